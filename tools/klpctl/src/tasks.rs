// SPDX-License-Identifier: GPL-2.0

//! The tasks of `/proc`: which have not switched to a transition's target state, and where
//! they are.

use std::io::ErrorKind;
use std::path::Path;

use crate::error::Error;
use crate::kallsyms::bracketed_module;
use crate::schema::{Blocker, Frame, Patch};
use crate::system::System;

/// `PF_KTHREAD` of `include/linux/sched.h`, in the flags of `/proc/<pid>/stat`.
const PF_KTHREAD: u64 = 0x0020_0000;

/// A task's line of `/proc/<pid>/task/<tid>/stat`: its comm and its flags.
fn parse_stat(stat: &str) -> Option<(String, u64)> {
    // "tid (comm) state ppid pgrp session tty tpgid flags ..."; comm may hold spaces and
    // parentheses, so it ends at the last ')'.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_owned();
    let flags = stat
        .get(close + 1..)?
        .split_whitespace()
        .nth(6)?
        .parse()
        .ok()?;
    Some((comm, flags))
}

/// Numeric entries of a `/proc` directory.
fn numeric_entries(dir: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// Every task (thread) of `/proc` whose `patch_state` is neither `target` nor -1 (a task is
/// -1 outside transitions, and every task becomes -1 as a transition completes): (pid, tid,
/// its directory, its patch_state). Tasks that exit meanwhile are left out. Fails when a
/// `patch_state` cannot be read for lack of permission (it is readable by its owner and root
/// only): an empty answer would then be a lie.
fn unswitched(
    system: &System,
    target: i32,
) -> Result<Vec<(u32, u32, std::path::PathBuf, i32)>, Error> {
    let proc_dir = system.path("/proc");
    if !proc_dir.is_dir() {
        return Err(Error::io(
            &proc_dir,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let mut tasks = Vec::new();
    for pid in numeric_entries(&proc_dir) {
        let task_dir = proc_dir.join(pid.to_string()).join("task");
        for tid in numeric_entries(&task_dir) {
            let dir = task_dir.join(tid.to_string());
            let state = match system.read_optional(&dir.join("patch_state")) {
                Ok(Some(state)) => state,
                Ok(None) => continue,
                Err(Error::Io { source, path }) if source.kind() == ErrorKind::PermissionDenied => {
                    return Err(Error::Io { source, path });
                }
                Err(_) => continue,
            };
            let Ok(patch_state) = state.trim().parse::<i32>() else {
                continue;
            };
            if patch_state != target && patch_state != -1 {
                tasks.push((pid, tid, dir, patch_state));
            }
        }
    }
    Ok(tasks)
}

/// Parses a line of `/proc/<pid>/stack`: `[<0>] function+0x3c/0x80 [module]`. A frame is
/// marked when it is in a function of `patch` (that name in that object) or in the patch
/// module's own code.
pub fn parse_frame(line: &str, patch: Option<&Patch>) -> Frame {
    let rest = line.trim();
    let rest = match rest.strip_prefix("[<") {
        Some(r) => r
            .split_once(">]")
            .map_or(r, |(_, after)| after)
            .trim_start(),
        None => rest,
    };
    let function = rest.split(['+', ' ']).next().unwrap_or_default().to_owned();
    let object = bracketed_module(rest).unwrap_or("vmlinux");
    let patched = patch.is_some_and(|p| {
        object == p.name
            || p.objects
                .iter()
                .filter(|o| o.name == object)
                .any(|o| o.functions.iter().any(|f| f.name == function))
    });
    Frame {
        text: rest.to_owned(),
        function,
        patched,
    }
}

/// Every task (thread) that has not switched to `target` yet, with its stack marked against
/// `patch`'s functions. Empty when the transition ended while the tasks were read.
pub fn blockers(
    system: &System,
    patch: Option<&Patch>,
    target: i32,
) -> Result<Vec<Blocker>, Error> {
    let mut blockers = Vec::new();
    for (pid, tid, dir, patch_state) in unswitched(system, target)? {
        let Ok(Some(stat)) = system.read_optional(&dir.join("stat")) else {
            continue;
        };
        let Some((comm, flags)) = parse_stat(&stat) else {
            continue;
        };
        let stack = system
            .read_optional(&dir.join("stack"))
            .ok()
            .flatten()
            .map(|s| s.lines().map(|l| parse_frame(l, patch)).collect());
        blockers.push(Blocker {
            tid,
            pid,
            comm,
            kthread: flags & PF_KTHREAD != 0,
            patch_state,
            stack,
        });
    }
    // Whatever was read after the transition ended is no blocker.
    if let Some(p) = patch {
        let transition = system.read_optional(&system.patch_dir(&p.name).join("transition"));
        if !matches!(transition, Ok(Some(t)) if t == "1") {
            blockers.clear();
        }
    }
    Ok(blockers)
}

/// How many tasks have not switched to `target` yet (0 when they cannot be read).
pub fn remaining(system: &System, target: i32) -> usize {
    unswitched(system, target).map_or(0, |t| t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_spaces_and_parentheses_in_comm() {
        let stat = "137 (my (odd) task) S 1 137 137 0 -1 4194560 0 0";
        assert_eq!(
            parse_stat(stat),
            Some(("my (odd) task".to_owned(), 4194560))
        );
        let kthread = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0";
        let (_, flags) = parse_stat(kthread).unwrap();
        assert_ne!(flags & PF_KTHREAD, 0);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn frames_are_marked() {
        let patch = Patch {
            name: "p".into(),
            enabled: true,
            transition: true,
            replace: Some(false),
            refcount: None,
            objects: vec![crate::schema::Object {
                name: "klp_rs_block".into(),
                patched: Some(true),
                functions: vec![crate::schema::Function {
                    name: "klp_rs_block_wait".into(),
                    sympos: 0,
                }],
            }],
        };
        let f = parse_frame(
            "[<0>] klp_rs_block_wait+0x3c/0x80 [klp_rs_block]",
            Some(&patch),
        );
        assert_eq!(f.function, "klp_rs_block_wait");
        assert!(f.patched);
        let f = parse_frame("[<0>] do_syscall_64+0x5c/0xf0", Some(&patch));
        assert_eq!(f.function, "do_syscall_64");
        assert!(!f.patched);
        let f = parse_frame("[<0>] new_fn+0x1/0x2 [p]", Some(&patch));
        assert!(f.patched, "code of the patch module itself");
        let f = parse_frame("[<0>] klp_rs_block_wait+0x3c/0x80 [other]", Some(&patch));
        assert!(!f.patched, "the same name in another object");
        let f = parse_frame(
            "[<0>] klp_rs_block_wait+0x3c/0x80 [klp_rs_block 0a1b2c]",
            Some(&patch),
        );
        assert!(f.patched, "a build id after the module's name");
        assert!(!parse_frame("[<0>] klp_rs_block_wait+0x3c/0x80", None).patched);
    }
}
