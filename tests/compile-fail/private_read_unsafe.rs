// SPDX-License-Identifier: GPL-2.0
// expect: use of extern static is unsafe
//! Reading a private static is `unsafe`: nothing checks its type at compile time.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateReadUnsafe,
    name: "private_read_unsafe",
    license: "GPL",
    patch: PATCH,
}

klp::patch! {
    static PATCH = [vmlinux: [
        // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
        c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
    ]];
}

klp::private! {
    vmlinux: [
        // SAFETY: a test declaration.
        static helper_value: c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    helper_value
}
