// SPDX-License-Identifier: GPL-2.0
// expect: preceded by doc comments only
//! `klp::patchable!` writes the declaration Rust callers see: an attribute such as `link_name`
//! there would bind a safe name to another symbol, so only doc comments may precede the function.

use kernel::ffi::c_long;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Target,
    name: "patchable_link_name",
    license: "GPL",
}

klp::patchable! {
    /// Documented, then renamed.
    #[link_name = "kfree"]
    pub fn renamed(p: c_long) -> c_long {
        p
    }
}

struct Target;

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Target)
    }
}
