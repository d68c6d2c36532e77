// SPDX-License-Identifier: GPL-2.0
// expect: incorrect number of function parameters
//! A replacement must have the prototype declared for the function it replaces.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: WrongPrototype,
    name: "wrong_prototype",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement(_m: *mut seq_file) -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
        ],
    ];
}
