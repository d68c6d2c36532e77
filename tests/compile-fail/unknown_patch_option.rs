// SPDX-License-Identifier: GPL-2.0
// expect: unknown patch option `replce`
//! Patch options are `replace` and `states`, in any order; anything else is named in the error.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: UnknownPatchOption,
    name: "unknown_patch_option",
    license: "GPL",
    patch: PATCH,
}

klp::patch! {
    static PATCH (replce: true) = [vmlinux: [
        // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
        c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
    ]];
}

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    0
}
