// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_callbacks_demo2.c`: reporting callbacks for
//! vmlinux only; `replace=1` makes it an atomic replace patch.

use kernel::prelude::*;

#[path = "common.rs"]
mod common;
#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TestKlpCallbacksDemo2,
    name: "test_klp_callbacks_demo2",
    authors: ["klp-rs"],
    description: "Livepatch test: livepatch demo2",
    license: "GPL",
}

klp::module_param!(replace: i32 = 0, 0o644, "replace (default=0)");

klp::patch! {
    static PATCH = [
        vmlinux (callbacks: common::InfoCallbacks): [],
    ];
}

struct TestKlpCallbacksDemo2;

impl kernel::Module for TestKlpCallbacksDemo2 {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { PATCH.enable_replace(module, replace.get() != 0)? };
        Ok(TestKlpCallbacksDemo2)
    }
}
