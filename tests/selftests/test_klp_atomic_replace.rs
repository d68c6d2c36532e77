// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_atomic_replace.c`: replaces `meminfo_proc_show()`,
//! atomically replacing earlier patches when loaded with `replace=1`.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;
#[path = "show.rs"]
mod show;

klp::module! {
    type: TestKlpAtomicReplace,
    name: "test_klp_atomic_replace",
    authors: ["klp-rs"],
    description: "Livepatch test: atomic replace",
    license: "GPL",
}

klp::module_param!(replace: i32 = 0, 0o644, "replace (default=0)");

/// # Safety
///
/// `m` is a valid `seq_file`, as `meminfo_proc_show()`'s callers pass.
unsafe extern "C" fn livepatch_meminfo_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `m` is the seq_file the kernel passes to `meminfo_proc_show()`.
    unsafe { show::show_patched(m, c"test_klp_atomic_replace") }
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `meminfo_proc_show()` in fs/proc/meminfo.c.
            c"meminfo_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = livepatch_meminfo_proc_show,
        ],
    ];
}

struct TestKlpAtomicReplace;

impl kernel::Module for TestKlpAtomicReplace {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { PATCH.enable_replace(module, replace.get() != 0)? };
        Ok(TestKlpAtomicReplace)
    }
}
