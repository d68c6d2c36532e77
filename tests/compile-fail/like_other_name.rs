// SPDX-License-Identifier: GPL-2.0
// expect: must name the function it replaces
//! `like(kernel::bindings::f)` takes the prototype of the replaced function itself, not of
//! another one.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: LikeOtherName,
    name: "like_other_name",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement() -> u32 {
    4
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_u16": like(kernel::bindings::get_random_u32) = replacement,
    ]];
}
