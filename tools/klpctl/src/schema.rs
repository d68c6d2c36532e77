// SPDX-License-Identifier: GPL-2.0

//! What `klpctl --json` prints: one JSON object per command, whose `schema` field is
//! [`SCHEMA`]. A change that removes or renames a field, or changes its meaning, bumps the
//! version; new fields may appear within a version.

use serde::{Deserialize, Serialize};

/// The name and version of the JSON schema.
pub const SCHEMA: &str = "klpctl/1";

/// A function of a loaded patch, as its sysfs directory `<name>,<sympos>` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    /// As sysfs gives it: the kernel shows a sympos of 0 (the only symbol of the name) as 1.
    pub sympos: u64,
}

/// An object (vmlinux or a module) of a loaded patch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    /// `vmlinux` or the module's name.
    pub name: String,
    /// Whether its functions are redirected now: `false` for a module not loaded yet (the
    /// patch waits for it). `None` on kernels without the `patched` attribute.
    pub patched: Option<bool>,
    pub functions: Vec<Function>,
}

/// A loaded patch (`/sys/kernel/livepatch/<name>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
    /// The patch module's name, which is also the patch's.
    pub name: String,
    pub enabled: bool,
    /// Whether this patch is the one in transition.
    pub transition: bool,
    /// Whether it replaces all others (atomic replace); `None` on kernels without the
    /// `replace` attribute.
    pub replace: Option<bool>,
    /// The patch module's reference count (`/proc/modules`); `None` when not listed there.
    pub refcount: Option<u64>,
    pub objects: Vec<Object>,
}

/// `klpctl list`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    pub schema: String,
    pub patches: Vec<Patch>,
}

/// A task that has not switched to the transition's target state yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocker {
    /// The thread's id (`/proc/<pid>/task/<tid>`).
    pub tid: u32,
    /// Its thread group (process) id.
    pub pid: u32,
    pub comm: String,
    pub kthread: bool,
    /// `/proc/<pid>/patch_state`: -1 none, 0 unpatched, 1 patched.
    pub patch_state: i32,
    /// Its kernel stack, innermost first; `None` when `/proc/<pid>/stack` is unreadable.
    pub stack: Option<Vec<Frame>>,
}

/// A line of a task's kernel stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// The line as the kernel printed it, e.g. `klp_rs_block_wait+0x3c/0x80 [klp_rs_block]`.
    pub text: String,
    /// The function's name.
    pub function: String,
    /// Whether the function is one the transitioning patch replaces, or code of the patch
    /// module itself: a task with such a frame cannot switch until it leaves.
    pub patched: bool,
}

/// `klpctl blockers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blockers {
    pub schema: String,
    /// The patch asked about, else the patch in transition; `None` when no patch was named
    /// and none is in transition.
    pub patch: Option<String>,
    /// The state the tasks are switching to: 1 patched, 0 unpatched; `None` when `patch` is
    /// not in transition (then nothing holds it and `tasks` is empty).
    pub target: Option<i32>,
    pub tasks: Vec<Blocker>,
}

/// One thing a patch module file declares (klp-rs patches describe themselves).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// `replaced function`, `private function` or `private static`.
    pub kind: String,
    pub object: String,
    pub name: String,
    pub sympos: u64,
    /// What `/proc/kallsyms` says: `ok`, `missing`, `ambiguous`, `sympos out of range`,
    /// `waiting for module` (the object is not loaded: checked when it loads), or `unknown`
    /// (kallsyms unreadable); for a replaced function also `not traceable` (absent from
    /// ftrace's `available_filter_functions`, when tracefs is mounted).
    pub status: String,
    /// How many symbols of that name the object has.
    pub count: Option<u64>,
}

/// `klpctl info FILE.ko`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub schema: String,
    pub file: String,
    /// The module's (and so its patch's) name.
    pub name: String,
    pub livepatch: bool,
    pub vermagic: Option<String>,
    /// The running kernel's release.
    pub kernel_release: Option<String>,
    /// Whether the vermagic's release is the running kernel's.
    pub vermagic_matches: Option<bool>,
    /// `false` for a module that does not describe itself (not built with klp-rs): its
    /// targets are then unknown.
    pub described: bool,
    pub targets: Vec<Target>,
    /// Why the module could never load on this kernel; empty when nothing was found.
    pub problems: Vec<String>,
    /// What may be wrong but does not stop it loading.
    pub warnings: Vec<String>,
}

/// `klpctl info PATCH`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchInfo {
    pub schema: String,
    pub patch: Patch,
    /// Tasks not switched yet, when the patch is in transition.
    pub blockers: Vec<Blocker>,
}

/// The outcome of `load`, `unload`, `enable`, `disable`, `force`, `install`, `uninstall`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub schema: String,
    pub command: String,
    pub patch: String,
    /// `done`, `failed`, `timeout`, `reverted`, `skipped` or `started` (without `--wait`).
    pub result: String,
    /// What happened, for people.
    pub message: String,
    /// The seconds it took.
    pub seconds: f64,
    /// The kernel's livepatch and module lines logged meanwhile (on failure).
    pub kernel_log: Vec<String>,
    /// The tasks holding the transition (on timeout).
    pub blockers: Vec<Blocker>,
}

/// `klpctl load --all`: an outcome per installed patch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadAll {
    pub schema: String,
    pub release: String,
    /// Whether the kernel command line said `klpctl.noload`.
    pub disabled: bool,
    pub outcomes: Vec<Outcome>,
}

/// An installed patch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installed {
    pub name: String,
    pub file: String,
}

/// `klpctl installed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledList {
    pub schema: String,
    pub release: String,
    pub patches: Vec<Installed>,
}
