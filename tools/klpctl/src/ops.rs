// SPDX-License-Identifier: GPL-2.0

//! The verbs that change something: load, unload, enable, disable, force; and waiting for a
//! transition.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::io::Errno;

use crate::error::{explain, Error};
use crate::kmsg::{self, Cursor};
use crate::kofile::ModuleFile;
use crate::schema::{Blocker, Outcome, SCHEMA};
use crate::sysfs;
use crate::system::{Kernel, System};
use crate::tasks;

/// How often a transition is polled.
pub const POLL: Duration = Duration::from_millis(100);

/// The least time `--revert-on-timeout` waits for the reversal.
pub const REVERT_MIN: Duration = Duration::from_secs(60);

/// How a wait ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Waited {
    /// The transition finished; for a disabled patch, the patch was freed.
    Done,
    /// Still in transition at the deadline.
    TimedOut,
}

/// Waits until the patch `name` is out of transition (and, when `gone`, until its sysfs
/// directory is removed, as the kernel does once a disabled patch is freed). `progress` gets
/// the number of tasks still to switch at each poll. `None` as timeout waits for ever.
pub fn wait(
    system: &System,
    name: &str,
    gone: bool,
    timeout: Option<Duration>,
    progress: &mut dyn FnMut(usize),
) -> Result<Waited, Error> {
    let start = Instant::now();
    let dir = system.patch_dir(name);
    loop {
        let transition = system.read_optional(&dir.join("transition"))?;
        let enabled = system.read_optional(&dir.join("enabled"))?;
        match (transition.as_deref(), gone) {
            // Freed: the directory went away.
            (None, _) => return Ok(Waited::Done),
            (Some("0"), false) => return Ok(Waited::Done),
            (Some("0"), true) if enabled.as_deref() == Some("1") => {
                return Err(Error::Patch {
                    name: name.to_owned(),
                    reason: "enabled again while it was being disabled".to_owned(),
                })
            }
            _ => {}
        }
        if transition.as_deref() == Some("1") {
            let target = i32::from(enabled.as_deref() == Some("1"));
            progress(tasks::remaining(system, target));
        }
        if timeout.is_some_and(|t| start.elapsed() >= t) {
            return Ok(Waited::TimedOut);
        }
        std::thread::sleep(POLL);
    }
}

/// The tasks holding the transition of `name`, if it is the patch in transition.
pub fn blockers_of(system: &System, name: &str) -> Vec<Blocker> {
    match sysfs::in_transition(system) {
        Ok(Some((patch, target))) if patch.name == name => {
            tasks::blockers(system, Some(&patch), target).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// What `load` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `name=value` module parameters.
    pub params: Vec<String>,
    /// Wait for the transition to finish.
    pub wait: bool,
    /// Give up waiting after this long.
    pub timeout: Option<Duration>,
    /// On timeout, reverse the transition (write 0 to `enabled`), wait for that (as long as
    /// `timeout`, and at least [`REVERT_MIN`]) and remove the module.
    pub revert_on_timeout: bool,
}

/// An outcome of `command` on `patch` begun at `start`: done, nothing said yet.
pub(crate) fn outcome(command: &str, patch: &str, start: Instant) -> Outcome {
    Outcome {
        schema: SCHEMA.to_owned(),
        command: command.to_owned(),
        patch: patch.to_owned(),
        result: "done".to_owned(),
        message: String::new(),
        seconds: start.elapsed().as_secs_f64(),
        kernel_log: Vec::new(),
        blockers: Vec::new(),
    }
}

/// Loads the patch module `path`, and with `wait` waits for its transition.
///
/// Refuses files that are not livepatch modules before the kernel sees them. A kernel refusal
/// is an error whose message holds the errno explained and the kernel's lines logged
/// meanwhile. A timeout is an `Ok` outcome whose result is `timeout` (or `reverted`), with the
/// blockers.
pub fn load(
    system: &System,
    kernel: &mut dyn Kernel,
    path: &Path,
    options: &LoadOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome, Error> {
    let start = Instant::now();
    let module = ModuleFile::read(path)?;
    module.require_livepatch()?;
    system.require_livepatch()?;
    let name = module.name();
    let params = module_params(&options.params)?;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut log = Cursor::now(system);
    if let Err(errno) = kernel.load_module(&file, &params) {
        return Err(with_log(
            Error::Syscall {
                call: "finit_module",
                errno,
                explanation: explain(errno).to_owned(),
            },
            &mut log,
            &name,
        ));
    }
    let mut out = outcome("load", &name, start);
    if !system.patch_dir(&name).is_dir() {
        // Loaded, but no patch: a module that enables its patch later, or not at all.
        out.result = "failed".to_owned();
        out.message = format!(
            "module {name} loaded, but it registered no patch in {}",
            system.livepatch_dir().display()
        );
        out.kernel_log = log.lines(kmsg::about(&name));
        return Ok(out);
    }
    if !options.wait {
        out.result = "started".to_owned();
        out.message = format!("{name} loaded; its transition runs (klpctl list shows it)");
        return Ok(out);
    }
    match wait(system, &name, false, options.timeout, progress)? {
        Waited::Done => {
            out.message = format!("{name} loaded, and every task runs it");
        }
        Waited::TimedOut => {
            out.blockers = blockers_of(system, &name);
            out.kernel_log = log.lines(kmsg::about(&name));
            let secs = options.timeout.unwrap_or_default().as_secs();
            out.result = "timeout".to_owned();
            out.message = format!("{name}: the transition did not finish within {secs} s");
            if options.revert_on_timeout {
                system.write_attr(&system.patch_dir(&name).join("enabled"), "0")?;
                // The reversal waits for the tasks that did switch; give it at least a minute
                // of the kernel's one-second retries.
                let revert_timeout = options.timeout.map(|t| t.max(REVERT_MIN));
                match wait(system, &name, true, revert_timeout, progress)? {
                    Waited::Done => {
                        out.result = "reverted".to_owned();
                        out.message.push_str("; reverted: the patch is disabled");
                        if let Err(errno) = remove(kernel, &name, options.timeout) {
                            out.message.push_str(&format!(
                                ", but its module stays loaded: delete_module: {}: {}",
                                crate::error::errno_name(errno),
                                explain(errno)
                            ));
                        } else {
                            out.message.push_str(" and its module removed");
                        }
                    }
                    Waited::TimedOut => out
                        .message
                        .push_str("; reverting did not finish within the timeout either"),
                }
            }
        }
    }
    out.seconds = start.elapsed().as_secs_f64();
    Ok(out)
}

/// Disables the patch `name`, waits until the kernel has freed it, and removes its module.
pub fn unload(
    system: &System,
    kernel: &mut dyn Kernel,
    name: &str,
    timeout: Option<Duration>,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome, Error> {
    let start = Instant::now();
    let mut log = Cursor::now(system);
    let patch = sysfs::patch(system, name)?;
    if patch.enabled {
        system.write_attr(&system.patch_dir(name).join("enabled"), "0")?;
    }
    let mut out = outcome("unload", name, start);
    if wait(system, name, true, timeout, progress)? == Waited::TimedOut {
        out.blockers = blockers_of(system, name);
        out.kernel_log = log.lines(kmsg::about(name));
        out.result = "timeout".to_owned();
        out.message = format!(
            "{name}: disabling did not finish within {} s; the module stays loaded",
            timeout.unwrap_or_default().as_secs()
        );
        return Ok(out);
    }
    if let Err(errno) = remove(kernel, name, timeout) {
        return Err(with_log(
            Error::Syscall {
                call: "delete_module",
                errno,
                explanation: explain(errno).to_owned(),
            },
            &mut log,
            name,
        ));
    }
    out.message = format!("{name} disabled and its module removed");
    out.seconds = start.elapsed().as_secs_f64();
    Ok(out)
}

/// Writes `value` to the patch's `enabled`: 0 starts disabling it (or reverses its enabling
/// transition), 1 reverses a disabling transition. A disabled patch that was freed cannot be
/// enabled again: its module must be loaded anew.
pub fn set_enabled(system: &System, name: &str, enabled: bool) -> Result<Outcome, Error> {
    let start = Instant::now();
    let patch = sysfs::patch(system, name)?;
    let mut out = outcome(if enabled { "enable" } else { "disable" }, name, start);
    if patch.enabled == enabled {
        out.result = "skipped".to_owned();
        out.message = format!(
            "{name} is already {}",
            if enabled { "enabled" } else { "disabled" }
        );
        return Ok(out);
    }
    let mut log = Cursor::now(system);
    system
        .write_attr(
            &system.patch_dir(name).join("enabled"),
            if enabled { "1" } else { "0" },
        )
        .map_err(|e| with_log(e, &mut log, name))?;
    out.result = "started".to_owned();
    out.message = if enabled {
        format!("{name}: reversing its disabling; tasks switch back to the patch")
    } else {
        format!("{name}: disabling; once every task has switched, the kernel frees the patch")
    };
    Ok(out)
}

/// Forces the transition of `name` to finish: every task is marked switched whatever it
/// runs. The module can then never be removed (the kernel keeps a reference for ever).
pub fn force(system: &System, name: &str) -> Result<Outcome, Error> {
    let start = Instant::now();
    let patch = sysfs::patch(system, name)?;
    if !patch.transition {
        return Err(Error::Patch {
            name: name.to_owned(),
            reason: "not in transition: there is nothing to force".to_owned(),
        });
    }
    let mut log = Cursor::now(system);
    system
        .write_attr(&system.patch_dir(name).join("force"), "1")
        .map_err(|e| with_log(e, &mut log, name))?;
    let mut out = outcome("force", name, start);
    out.message = format!(
        "{name}: transition forced; tasks that still ran old code may run it until they leave it, \
         and the module {name} can never be removed"
    );
    Ok(out)
}

/// `e` with the kernel's lines about `name` appended.
fn with_log(e: Error, log: &mut Cursor, name: &str) -> Error {
    match e {
        Error::Syscall {
            call,
            errno,
            mut explanation,
        } => {
            for line in log.lines(kmsg::about(name)) {
                explanation.push_str("\n  kernel: ");
                explanation.push_str(&line);
            }
            Error::Syscall {
                call,
                errno,
                explanation,
            }
        }
        e => e,
    }
}

/// `delete_module(2)` of a module whose patch was just freed. The kernel drops the patch's
/// reference on its module right after it removes the patch's sysfs directory, which is what
/// [`wait`] waits for: until it has, the call fails with EAGAIN, and is tried again for up to
/// `timeout` or 10 s, whichever is longer (a forced patch's module keeps its reference for ever).
fn remove(kernel: &mut dyn Kernel, name: &str, timeout: Option<Duration>) -> Result<(), Errno> {
    let limit = timeout.unwrap_or_default().max(Duration::from_secs(10));
    let start = Instant::now();
    loop {
        match kernel.remove_module(name) {
            Err(Errno::AGAIN) if start.elapsed() < limit => std::thread::sleep(POLL),
            result => return result,
        }
    }
}

/// The module parameters as `finit_module(2)` takes them: `NAME=VALUE` separated by spaces,
/// a value with spaces in double quotes (the kernel's `parse_args()` unquotes it).
pub fn module_params(params: &[String]) -> Result<String, Error> {
    let mut out = Vec::new();
    for param in params {
        let (name, value) = match param.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (param.as_str(), None),
        };
        if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '"') {
            return Err(Error::Refused(format!(
                "module parameter '{param}': expected NAME=VALUE"
            )));
        }
        match value {
            None => out.push(name.to_owned()),
            Some(v) if v.contains('"') => {
                return Err(Error::Refused(format!(
                    "module parameter '{param}': a value cannot hold '\"'"
                )))
            }
            Some(v) if v.contains(char::is_whitespace) => out.push(format!("{name}=\"{v}\"")),
            Some(v) => out.push(format!("{name}={v}")),
        }
    }
    Ok(out.join(" "))
}
