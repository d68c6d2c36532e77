// SPDX-License-Identifier: GPL-2.0
// expect: the size for values of type `[u8]` cannot be known at compilation time
//! A pointer to a slice (or to a trait object) takes two registers: six such arguments would
//! need twelve, and the last ones would be on the stack.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_slice_pointer",
    license: "GPL",
}

klp::patchable! {
    /// A slice by pointer.
    pub fn first(p: *const [u8]) -> c_long {
        p.len() as c_long
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
