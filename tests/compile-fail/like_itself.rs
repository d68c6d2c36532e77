// SPDX-License-Identifier: GPL-2.0
// expect: the replacement is the function it replaces
//! A function replacing itself would send every call back into the patched function.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: LikeItself,
    name: "like_itself",
    license: "GPL",
    patch: PATCH,
}

klp::patch! {
    static PATCH = [vmlinux: [
        // SAFETY: the callers of get_random_u32() are those of get_random_u32().
        c"get_random_u32": unsafe like(kernel::bindings::get_random_u32)
            = kernel::bindings::get_random_u32,
    ]];
}
