// SPDX-License-Identifier: GPL-2.0
// expect: an object name cannot contain '.'
//! A module name cannot contain a dot: the kernel reads the object name up to the first one.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateObjectDot,
    name: "private_object_dot",
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
    module "klp.rs": [
        // SAFETY: none needed: never called.
        fn helper() -> c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
