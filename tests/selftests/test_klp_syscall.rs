// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_syscall.c`: replaces the getpid system call
//! (`__x64_sys_getpid`) and counts, in `/sys/kernel/test_klp_syscall/npids`, how many of the
//! tasks given in `klp_pids` have not yet called it through the patched code.
//!
//! The C module guards its counters with a mutex; here each pid is consumed with an atomic
//! compare-and-exchange, so a pid is counted once whichever task calls first.

use core::fmt::Write;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::bindings;
use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;
#[path = "sysfs.rs"]
mod sysfs;

klp::module! {
    type: TestKlpSyscall,
    name: "test_klp_syscall",
    authors: ["klp-rs"],
    description: "Livepatch test: syscall transition",
    license: "GPL",
}

klp::module_param!(
    klp_pids: [i32; bindings::NR_CPUS as usize],
    0,
    "Array of pids to be transitioned to livepatched state."
);

/// The pids of `klp_pids` that have not called the patched getpid yet.
static NPIDS_PENDING: AtomicU32 = AtomicU32::new(0);

struct Npids;

impl sysfs::Show for Npids {
    fn show(out: &mut sysfs::PageWriter<'_>) -> core::fmt::Result {
        writeln!(out, "{}", NPIDS_PENDING.load(Ordering::Relaxed))
    }
}

static NPIDS: sysfs::Attribute = sysfs::Attribute::read_only::<Npids>(c"npids");

extern "C" fn lp_sys_getpid() -> c_long {
    // SAFETY: `get_current()` is the running task, alive for the whole system call.
    let current = unsafe { bindings::get_current() };
    // current->pid, read as C reads it: tests/test-layout.sh checks that the bindings place the
    // field where C does (they did not with bindgen-cli 0.73.0).
    // SAFETY: `current` is alive; `pid` does not change for the life of the task.
    let pid = unsafe { (*current).pid };
    if NPIDS_PENDING.load(Ordering::Relaxed) > 0
        && (0..klp_pids.len()).any(|i| klp_pids.replace(i, pid, 0))
    {
        NPIDS_PENDING.fetch_sub(1, Ordering::Relaxed);
    }
    // task_tgid_vnr(current)
    // SAFETY: as above; a NULL namespace means the caller's.
    let tgid = unsafe {
        bindings::__task_pid_nr_ns(
            current,
            bindings::pid_type_PIDTYPE_TGID,
            core::ptr::null_mut(),
        )
    };
    // CAST: a pid_t always fits in a long.
    tgid as c_long
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of the x86_64 syscall wrapper `__x64_sys_getpid()`.
            c"__x64_sys_getpid": unsafe fn() -> c_long = lp_sys_getpid,
        ],
    ];
}

struct TestKlpSyscall {
    _dir: sysfs::KernelDir,
}

impl kernel::Module for TestKlpSyscall {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let dir = sysfs::KernelDir::new(c"test_klp_syscall")?;
        dir.create_file(&NPIDS)?;
        // CAST: at most NR_CPUS pids.
        NPIDS_PENDING.store(klp_pids.len() as u32, Ordering::Relaxed);
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { PATCH.enable(module)? };
        Ok(TestKlpSyscall { _dir: dir })
    }
}
