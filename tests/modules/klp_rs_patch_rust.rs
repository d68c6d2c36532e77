// SPDX-License-Identifier: GPL-2.0

//! A live patch of `klp_rs_rust_answer()` in the Rust module `klp_rs_rust_target`, which the
//! kernel must refuse: a Rust function has no ftrace location with our rustc.

use kernel::ffi::c_int;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PatchRust,
    name: "klp_rs_patch_rust",
    authors: ["klp-rs"],
    description: "Live patch of a Rust function, to be refused",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn patched_answer() -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        module c"klp_rs_rust_target": [
            // SAFETY: the prototype of `klp_rs_rust_answer()` in klp_rs_rust_target.rs.
            c"klp_rs_rust_answer": unsafe fn() -> c_int = patched_answer,
        ],
    ];
}
