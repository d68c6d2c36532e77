// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_livepatch.c`: replaces `cmdline_proc_show()`.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};

#[path = "../../src/klp.rs"]
mod klp;
#[path = "show.rs"]
mod show;

klp::module! {
    type: TestKlpLivepatch,
    name: "test_klp_livepatch",
    authors: ["klp-rs"],
    description: "Livepatch test: livepatch module",
    license: "GPL",
    patch: PATCH,
}

klp::patchable! {
    /// The replacement, an ftrace location under its own name as the C module's is:
    /// test-ftrace.sh (7.2) traces it by that name.
    ///
    /// # Safety
    ///
    /// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
    unsafe fn livepatch_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
        // SAFETY: `m` is the seq_file the kernel passes to `cmdline_proc_show()`.
        unsafe { show::show_patched(m, c"test_klp_livepatch") }
    }
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = livepatch_cmdline_proc_show,
        ],
    ];
}
