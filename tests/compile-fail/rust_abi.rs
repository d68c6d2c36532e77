// SPDX-License-Identifier: GPL-2.0
// expect: expected "C" fn, found "Rust" fn
//! A replacement must have the C ABI.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: RustAbi,
    name: "rust_abi",
    license: "GPL",
    patch: PATCH,
}

fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
        ],
    ];
}
