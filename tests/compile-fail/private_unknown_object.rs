// SPDX-License-Identifier: GPL-2.0
// expect: klp::private!: unknown object `vmlinx`
//! An object is `vmlinux` or `module "name"`; anything else is named in the error.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateUnknownObject,
    name: "private_unknown_object",
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
    vmlinx: [
        // SAFETY: none needed: never called.
        fn helper() -> c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
