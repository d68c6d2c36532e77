// SPDX-License-Identifier: GPL-2.0

//! Replaces `klp_rs_bench_fn()` of the C module `klp_rs_bench` with the same body, for
//! `make bench`'s per-call cost of a Rust replacement beside its C twin,
//! `klp_rs_bench_patch_c.c`.

use kernel::ffi::c_uint;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: BenchPatch,
    name: "klp_rs_bench_patch",
    authors: ["klp-rs"],
    description: "klp-rs bench: Rust live patch of klp_rs_bench_fn()",
    license: "GPL",
    patch: PATCH,
}

/// `a * 3 + (b ^ 5)`, wrapping as C's unsigned arithmetic does.
extern "C" fn new_bench_fn(a: c_uint, b: c_uint) -> c_uint {
    a.wrapping_mul(3).wrapping_add(b ^ 5)
}

klp::patch! {
    static PATCH = [
        // SAFETY: the prototype of `klp_rs_bench_fn()` in klp_rs_bench.c.
        module c"klp_rs_bench": [
            c"klp_rs_bench_fn": unsafe fn(c_uint, c_uint) -> c_uint = new_bench_fn
        ],
    ];
}
