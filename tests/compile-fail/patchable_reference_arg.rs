// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `&isize: PatchableArg` is not satisfied
//! A C caller may pass NULL where a Rust reference cannot be: a patchable function takes raw
//! pointers.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_reference_arg",
    license: "GPL",
}

klp::patchable! {
    pub fn deref(x: &c_long) -> c_long {
        *x
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
