// SPDX-License-Identifier: GPL-2.0
// expect: is generic
//! A generic function has an instance per type: no one address for a live patch to replace.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_generic",
    license: "GPL",
}

klp::patchable! {
    pub fn id<T>(x: c_long) -> c_long {
        x
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
