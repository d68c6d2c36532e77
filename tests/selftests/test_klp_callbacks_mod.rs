// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_callbacks_mod.c`: a target module that only says
//! when it loads and unloads.

use kernel::prelude::*;

module! {
    type: TestKlpCallbacksMod,
    name: "test_klp_callbacks_mod",
    description: "Livepatch test: target module",
    license: "GPL",
}

struct TestKlpCallbacksMod;

impl kernel::Module for TestKlpCallbacksMod {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("test_klp_callbacks_mod_init\n");
        Ok(TestKlpCallbacksMod)
    }
}

impl Drop for TestKlpCallbacksMod {
    fn drop(&mut self) {
        pr_info!("test_klp_callbacks_mod_exit\n");
    }
}
