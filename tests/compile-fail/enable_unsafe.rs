// SPDX-License-Identifier: GPL-2.0
// expect: Patch::enable` is unsafe and requires unsafe block
//! An `init` that fails after enabling its patch frees a module the kernel now runs: enabling by
//! hand is `unsafe` (`klp::module!` with `patch:` does it safely, as `init`'s last step).

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: EnableUnsafe,
    name: "enable_unsafe",
    license: "GPL",
}

extern "C" fn replacement() -> u32 {
    4
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_u32": like(kernel::bindings::get_random_u32) = replacement,
    ]];
}

struct EnableUnsafe;

impl kernel::Module for EnableUnsafe {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        Err(EINVAL)
    }
}
