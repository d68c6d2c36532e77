// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `f64: PatchableRet` is not satisfied
//! A float is returned in `xmm0`, which the kernel does not use and the wrapper does not pass on.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_float_ret",
    license: "GPL",
}

klp::patchable! {
    pub fn half(x: c_long) -> f64 {
        x as f64 / 2.0
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
