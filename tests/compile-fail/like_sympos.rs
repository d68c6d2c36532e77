// SPDX-License-Identifier: GPL-2.0
// expect: a `sympos` picks among same-named functions
//! The bindings declare the global function of a name; the other functions a `sympos` picks are
//! static ones, whose prototypes may differ.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: LikeSympos,
    name: "like_sympos",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement() -> u32 {
    4
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_u32" sympos 2: like(kernel::bindings::get_random_u32) = replacement,
    ]];
}
