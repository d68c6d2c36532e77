// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_livepatch.c`: replaces `cmdline_proc_show()`.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_void};
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TestKlpLivepatch,
    name: "test_klp_livepatch",
    authors: ["klp-rs"],
    description: "Livepatch test: livepatch module",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
unsafe extern "C" fn livepatch_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    let (name, msg) = (c"test_klp_livepatch", c"this has been live patched");
    // SAFETY: `m` is the seq_file the kernel passes to `cmdline_proc_show()`.
    unsafe {
        seq_printf(
            m,
            c"%s: %s\n".as_char_ptr(),
            name.as_char_ptr(),
            msg.as_char_ptr(),
        )
    };
    0
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
