// SPDX-License-Identifier: GPL-2.0
// expect: patch options are `name: value` pairs separated by commas
//! Patch options are separated by commas: a missing one is an error, not a silently dropped
//! option.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};

const STATE: klp::StateId = klp::StateId::new(1);
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: MissingOptionComma,
    name: "missing_option_comma",
    license: "GPL",
    patch: PATCH,
}

klp::patch! {
    static PATCH (replace: true states: [STATE => 1]) = [vmlinux: [
        // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
        c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
    ]];
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
