// SPDX-License-Identifier: GPL-2.0
// expect: a spelled-out prototype is a claim nothing checks
//! A prototype spelled out in `klp::patch!` is the author's claim: it must be written `unsafe fn`.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: SpelledPrototype,
    name: "spelled_prototype",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"cmdline_proc_show": fn(*mut seq_file, *mut c_void) -> c_int = replacement,
    ]];
}
