// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_livepatch.c`: replaces `cmdline_proc_show()`.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: TestKlpLivepatch,
    name: "test_klp_livepatch",
    author: "klp-rs",
    description: "Livepatch test: livepatch module",
    license: "GPL",
}

extern "C" fn livepatch_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    let (name, msg) = (c"test_klp_livepatch", c"this has been live patched");
    // SAFETY: `m` is the seq_file the kernel passes to `cmdline_proc_show()`.
    unsafe { seq_printf(m, c"%s: %s\n".as_ptr().cast(), name.as_ptr(), msg.as_ptr()) };
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            c"cmdline_proc_show": fn(*mut seq_file, *mut c_void) -> c_int
                = livepatch_cmdline_proc_show,
        ],
    ];
}

klp::patch_module!(TestKlpLivepatch, PATCH);
