// SPDX-License-Identifier: GPL-2.0

//! A live patch of `klp_rs_rust_answer()` in the Rust module `klp_rs_rust_target`, which the
//! kernel must refuse: a Rust function has no ftrace location with our rustc.

use kernel::ffi::c_int;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: PatchRust,
    name: "klp_rs_patch_rust",
    author: "klp-rs",
    description: "Live patch of a Rust function, to be refused",
    license: "GPL",
}

extern "C" fn patched_answer() -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        module c"klp_rs_rust_target": [
            c"klp_rs_rust_answer": fn() -> c_int = patched_answer,
        ],
    ];
}

klp::patch_module!(PatchRust, PATCH);
