// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `Pair: PatchableArg` is not satisfied
//! A struct passed by value may take two registers, or the stack: the wrapper passes only what
//! one register holds per argument.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_struct_arg",
    license: "GPL",
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct Pair {
    a: c_long,
    b: c_long,
}

klp::patchable! {
    pub fn first(p: Pair) -> c_long {
        p.a + p.b
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
