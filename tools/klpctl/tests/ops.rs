// SPDX-License-Identifier: GPL-2.0

//! load, unload and load --all through the library, with a fake kernel that answers the two
//! system calls by changing the fake root as the real kernel changes sysfs.

mod common;

use std::fs::File;
use std::time::Duration;

use common::{livepatch_info, write_module, Root, RELEASE};
use klpctl::ops::{self, LoadOptions};
use klpctl::{install, Error, Kernel, System};
use rustix::io::Errno;

/// What the fake kernel does on `finit_module`.
#[derive(Clone, Copy)]
enum OnLoad {
    /// Registers the patch, its transition already finished.
    Patch,
    /// Registers the patch, which stays in transition.
    Stuck,
    /// Refuses with this errno, logging a livepatch line.
    Refuse(Errno),
}

struct FakeKernel<'a> {
    root: &'a Root,
    on_load: OnLoad,
    loaded: Vec<String>,
    removed: Vec<String>,
    /// How many `delete_module` calls fail with EAGAIN first (the module's reference not
    /// yet dropped).
    busy_removals: usize,
}

impl<'a> FakeKernel<'a> {
    fn new(root: &'a Root, on_load: OnLoad) -> Self {
        FakeKernel {
            root,
            on_load,
            loaded: Vec::new(),
            removed: Vec::new(),
            busy_removals: 0,
        }
    }
}

impl Kernel for FakeKernel<'_> {
    fn load_module(&mut self, file: &File, params: &str) -> Result<(), Errno> {
        // The module's name, from its .modinfo as the kernel reads it.
        let path = std::fs::read_link(format!(
            "/proc/self/fd/{}",
            std::os::fd::AsRawFd::as_raw_fd(file)
        ))
        .unwrap();
        let name = klpctl::kofile::ModuleFile::read(&path).unwrap().name();
        self.loaded
            .push(format!("{name} {params}").trim().to_owned());
        match self.on_load {
            OnLoad::Patch => self.root.patch(
                &name,
                true,
                false,
                &[("vmlinux", true, &["cmdline_proc_show,0"])],
            ),
            OnLoad::Stuck => {
                self.root.patch(
                    &name,
                    true,
                    true,
                    &[("vmlinux", true, &["cmdline_proc_show,0"])],
                );
                self.root.task(1, 1, "init", 0x400100, 1, "");
                self.root.task(
                    9,
                    9,
                    "sleeper",
                    0x400000,
                    0,
                    "[<0>] cmdline_proc_show+0x1/0x2\n",
                );
            }
            OnLoad::Refuse(errno) => {
                let log = self.root.read("dev/kmsg");
                self.root.write(
                    "dev/kmsg",
                    &format!("{log}3,100,5000,-;livepatch: symbol position 3 for symbol 'dup_fn' in object 'vmlinux' not found\n SUBSYSTEM=x\n6,101,5001,-;unrelated: noise\n"),
                );
                return Err(errno);
            }
        }
        Ok(())
    }

    fn remove_module(&mut self, name: &str) -> Result<(), Errno> {
        if self.busy_removals > 0 {
            self.busy_removals -= 1;
            return Err(Errno::AGAIN);
        }
        self.removed.push(name.to_owned());
        Ok(())
    }
}

fn no_progress(_: usize) {}

#[test]
fn load_and_wait() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let ko = write_module(dir.path(), "fix.ko", &livepatch_info("fix", RELEASE), None);
    let system = System::new(root.dir.path());
    let mut kernel = FakeKernel::new(&root, OnLoad::Patch);
    let options = LoadOptions {
        params: vec!["mode=2".to_owned()],
        wait: true,
        ..LoadOptions::default()
    };
    let out = ops::load(&system, &mut kernel, &ko, &options, &mut no_progress).unwrap();
    assert_eq!(out.result, "done", "{out:?}");
    assert_eq!(kernel.loaded, ["fix mode=2"]);
}

#[test]
fn a_refusal_explains_the_errno_with_the_kernel_lines() {
    let root = Root::new();
    // A line from before the operation is not its business.
    root.write("dev/kmsg", "3,1,1,-;livepatch: an older failure\n");
    let dir = tempfile::tempdir().unwrap();
    let ko = write_module(dir.path(), "fix.ko", &livepatch_info("fix", RELEASE), None);
    let system = System::new(root.dir.path());
    let mut kernel = FakeKernel::new(&root, OnLoad::Refuse(Errno::INVAL));
    let err = ops::load(
        &system,
        &mut kernel,
        &ko,
        &LoadOptions::default(),
        &mut no_progress,
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(
        err,
        Error::Syscall {
            errno: Errno::INVAL,
            ..
        }
    ));
    assert!(
        text.starts_with("finit_module failed: EINVAL: the kernel refused the patch"),
        "{text}"
    );
    assert!(
        text.contains("kernel: livepatch: symbol position 3 for symbol 'dup_fn'"),
        "{text}"
    );
    assert!(
        !text.contains("older failure") && !text.contains("noise") && !text.contains("SUBSYSTEM"),
        "{text}"
    );
    assert_eq!(err.exit_code(), 1);

    let mut kernel = FakeKernel::new(&root, OnLoad::Refuse(Errno::BUSY));
    let err = ops::load(
        &system,
        &mut kernel,
        &ko,
        &LoadOptions::default(),
        &mut no_progress,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("another patch is in transition"),
        "{err}"
    );
}

#[test]
fn a_timeout_shows_the_blockers_and_reverts_when_asked() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let ko = write_module(dir.path(), "fix.ko", &livepatch_info("fix", RELEASE), None);
    let system = System::new(root.dir.path());
    let mut kernel = FakeKernel::new(&root, OnLoad::Stuck);
    let mut seen = Vec::new();
    let options = LoadOptions {
        wait: true,
        timeout: Some(Duration::ZERO),
        ..LoadOptions::default()
    };
    let out = ops::load(&system, &mut kernel, &ko, &options, &mut |n| seen.push(n)).unwrap();
    assert_eq!(out.result, "timeout");
    assert_eq!(seen, [1], "one task still to switch");
    assert_eq!(out.blockers.len(), 1);
    assert_eq!(out.blockers[0].comm, "sleeper");
    assert!(out.blockers[0].stack.as_ref().unwrap()[0].patched);
    assert_eq!(
        root.read("sys/kernel/livepatch/fix/enabled"),
        "1\n",
        "not reverted unless asked"
    );

    std::fs::remove_dir_all(root.path("sys/kernel/livepatch/fix")).unwrap();
    let options = LoadOptions {
        revert_on_timeout: true,
        ..options
    };
    let out = ops::load(&system, &mut kernel, &ko, &options, &mut no_progress).unwrap();
    assert_eq!(
        root.read("sys/kernel/livepatch/fix/enabled"),
        "0\n",
        "reverted"
    );
    // The fake kernel never frees the patch: reverting times out too.
    assert_eq!(out.result, "timeout");
    assert!(
        out.message.contains("reverting did not finish"),
        "{}",
        out.message
    );
    assert!(kernel.removed.is_empty());
}

#[test]
fn unload_disables_waits_and_removes() {
    let root = Root::new();
    root.patch(
        "fix",
        true,
        false,
        &[("vmlinux", true, &["cmdline_proc_show,0"])],
    );
    let system = System::new(root.dir.path());
    let mut kernel = FakeKernel::new(&root, OnLoad::Patch);
    // Still there at the deadline: a timeout, and the module stays.
    let out = ops::unload(
        &system,
        &mut kernel,
        "fix",
        Some(Duration::ZERO),
        &mut no_progress,
    )
    .unwrap();
    assert_eq!(out.result, "timeout");
    assert_eq!(root.read("sys/kernel/livepatch/fix/enabled"), "0\n");
    assert!(kernel.removed.is_empty());
    // The kernel frees the patch while unload waits (here: when the first poll reports the
    // tasks still to switch): the module is then removed.
    root.write("sys/kernel/livepatch/fix/transition", "1\n");
    root.task(9, 9, "sleeper", 0x400000, 1, "");
    let patch_dir = root.path("sys/kernel/livepatch/fix");
    let mut polls = Vec::new();
    // The kernel drops its reference on the module just after: the first two tries fail.
    kernel.busy_removals = 2;
    let out = ops::unload(&system, &mut kernel, "fix", None, &mut |n| {
        polls.push(n);
        std::fs::remove_dir_all(&patch_dir).unwrap();
    })
    .unwrap();
    assert_eq!(polls, [1]);
    assert_eq!(out.result, "done", "{out:?}");
    assert_eq!(kernel.removed, ["fix"]);
    let err = ops::unload(&system, &mut kernel, "fix", None, &mut no_progress).unwrap_err();
    assert!(matches!(err, Error::NoSuchPatch { .. }), "{err}");
}

#[test]
fn load_all_in_order_once_and_not_with_noload() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let system = System::new(root.dir.path());
    for name in ["fix_b", "fix_a", "fix_c"] {
        let ko = write_module(
            dir.path(),
            &format!("{name}.ko"),
            &livepatch_info(name, RELEASE),
            None,
        );
        install::install(&system, &ko).unwrap();
    }
    let options = LoadOptions {
        wait: true,
        ..LoadOptions::default()
    };
    root.write("proc/cmdline", "quiet klpctl.noload\n");
    let mut kernel = FakeKernel::new(&root, OnLoad::Patch);
    let all = install::load_all(&system, &mut kernel, &options, &mut no_progress).unwrap();
    assert!(all.disabled);
    assert!(kernel.loaded.is_empty());

    root.write("proc/cmdline", "quiet\n");
    // fix_a is loaded already.
    root.patch("fix_a", true, false, &[]);
    let all = install::load_all(&system, &mut kernel, &options, &mut no_progress).unwrap();
    assert_eq!(kernel.loaded, ["fix_b", "fix_c"]);
    let results: Vec<(&str, &str)> = all
        .outcomes
        .iter()
        .map(|o| (o.patch.as_str(), o.result.as_str()))
        .collect();
    assert_eq!(
        results,
        [("fix_b", "done"), ("fix_a", "skipped"), ("fix_c", "done")]
    );
    // Again: everything is loaded now.
    let all = install::load_all(&system, &mut kernel, &options, &mut no_progress).unwrap();
    assert!(all.outcomes.iter().all(|o| o.result == "skipped"));
    assert_eq!(kernel.loaded.len(), 2);

    // A failing patch does not stop the ones after it.
    std::fs::remove_dir_all(root.path("sys/kernel/livepatch")).unwrap();
    std::fs::create_dir_all(root.path("sys/kernel/livepatch")).unwrap();
    root.write("proc/modules", "");
    let mut kernel = FakeKernel::new(&root, OnLoad::Refuse(Errno::INVAL));
    let all = install::load_all(&system, &mut kernel, &options, &mut no_progress).unwrap();
    assert_eq!(all.outcomes.len(), 3);
    assert!(all.outcomes.iter().all(|o| o.result == "failed"));
    assert!(
        all.outcomes[0]
            .message
            .starts_with("finit_module failed: EINVAL: the kernel refused the patch"),
        "{}",
        all.outcomes[0].message
    );
}

#[test]
fn module_parameters_are_quoted_for_the_kernel() {
    let params =
        |p: &[&str]| ops::module_params(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(
        params(&["mode=2", "msg=two words", "flag", "empty="]).unwrap(),
        "mode=2 msg=\"two words\" flag empty="
    );
    for bad in ["=1", "a b=1", "q\"=1", "m=a\"b", ""] {
        assert!(params(&[bad]).is_err(), "{bad:?}");
    }
}

#[test]
fn install_refuses_a_name_that_is_no_module_name() {
    let root = Root::new();
    let dir = tempfile::tempdir().unwrap();
    let system = System::new(root.dir.path());
    for name in ["../../tmp/x", "a-b", "", &"x".repeat(56)] {
        let ko = write_module(dir.path(), "odd.ko", &livepatch_info(name, RELEASE), None);
        let err = install::install(&system, &ko).unwrap_err();
        assert!(
            err.to_string().contains("is not a module name"),
            "{name:?}: {err}"
        );
    }
    assert!(!root
        .path("var/lib/klp-rs")
        .join(RELEASE)
        .join("x.ko")
        .exists());
    assert!(!root.path("tmp").exists());
}
