// SPDX-License-Identifier: GPL-2.0

//! A Rust live patch of the Rust module `klp_rs_patchable`, whose functions `klp::patchable!`
//! made ftrace locations: `klp_rs_patchable_wait()` returns 2 at once, `klp_rs_patchable_sum6()`
//! the plain sum of its arguments (21 for 1 to 6). With `replace=1`, atomic replace.

use kernel::ffi::{c_int, c_long};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PatchPatchable,
    name: "klp_rs_patch_patchable",
    license: "GPL",
}

klp::module_param!(replace: bool = false, 0o444, "atomically replace the patches before it");

extern "C" fn new_wait() -> c_int {
    2
}

extern "C" fn new_sum6(a: c_long, b: c_long, c: c_long, d: c_long, e: c_long, f: c_long) -> c_long {
    a.wrapping_add(b)
        .wrapping_add(c)
        .wrapping_add(d)
        .wrapping_add(e)
        .wrapping_add(f)
}

klp::patch! {
    static PATCH = [
        module c"klp_rs_patchable": [
            // SAFETY: the prototypes of tests/modules/klp_rs_patchable.rs.
            c"klp_rs_patchable_wait": unsafe fn() -> c_int = new_wait,
            // `sympos 1`: the first (here the only) symbol of that name, as for a C function.
            c"klp_rs_patchable_sum6" sympos 1:
                unsafe fn(c_long, c_long, c_long, c_long, c_long, c_long) -> c_long = new_sum6,
        ],
    ];
}

struct PatchPatchable;

impl kernel::Module for PatchPatchable {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { PATCH.enable_replace(module, replace.get())? };
        Ok(PatchPatchable)
    }
}
