// SPDX-License-Identifier: GPL-2.0
// expect: an object name has '_' where the module's file name has '-'
//! A module is named with `_` where its file name has `-`: `klp-rs-target` can never match a loaded module.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateObjectDash,
    name: "private_object_dash",
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
    module "klp-rs-target": [
        // SAFETY: none needed: never called.
        fn helper() -> c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
