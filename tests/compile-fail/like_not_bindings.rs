// SPDX-License-Identifier: GPL-2.0
// expect: `like` takes the bindings' declaration of the replaced function
//! `like(...)` takes the bindings' declaration of the replaced function: any other path (here
//! the replacement itself) would check nothing.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: LikeNotBindings,
    name: "like_not_bindings",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn get_random_u32() -> u32 {
    4
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_u32": like(get_random_u32) = get_random_u32,
    ]];
}
