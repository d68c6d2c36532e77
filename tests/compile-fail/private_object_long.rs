// SPDX-License-Identifier: GPL-2.0
// expect: an object name has at most 55 bytes
//! A module name has at most 55 bytes (MODULE_NAME_LEN).

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivateObjectLong,
    name: "private_object_long",
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
    module "a_module_name_that_is_longer_than_fifty_five_bytes_in_all": [
        // SAFETY: none needed: never called.
        fn helper() -> c_int;
    ],
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
