// SPDX-License-Identifier: GPL-2.0
// expect: the same function is listed twice in one object
//! A function may be listed only once per object (the kernel would fail creating its sysfs
//! entry, with a warning).

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: DuplicateFunction,
    name: "duplicate_function",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
        ],
    ];
}
