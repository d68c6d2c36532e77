// SPDX-License-Identifier: GPL-2.0
// expect: cannot concatenate a C string literal
//! Names in `klp::private!` are plain strings: they become ELF symbol names, not C strings.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateCString,
    name: "private_c_string",
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
    module c"klp_rs_target": [
        // SAFETY: none needed: never called.
        fn helper() -> c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
