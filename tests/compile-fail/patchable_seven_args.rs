// SPDX-License-Identifier: GPL-2.0
// expect: takes more than six arguments
//! A seventh argument is passed on the stack, where the wrapper's own return address would shift
//! it: `klp::patchable!` takes at most six.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_seven_args",
    license: "GPL",
}

klp::patchable! {
    pub fn seven(a: c_long, b: c_long, c: c_long, d: c_long, e: c_long, f: c_long, g: c_long) -> c_long {
        a + b + c + d + e + f + g
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
