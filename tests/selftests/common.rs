// SPDX-License-Identifier: GPL-2.0

//! What several ports of the selftest modules share, as their C originals each repeat it.

use kernel::prelude::*;

/// `callback_info()` of the C test modules: which callback ran, for which object.
pub(crate) fn callback_info(callback: &str, obj: &crate::klp::ObjectRef) {
    let Some((name, state)) = obj.module() else {
        pr_info!("{}: vmlinux\n", callback);
        return;
    };
    let state = match state {
        crate::klp::ModuleState::Live => "[MODULE_STATE_LIVE] Normal state",
        crate::klp::ModuleState::Coming => "[MODULE_STATE_COMING] Full formed, running module_init",
        crate::klp::ModuleState::Going => "[MODULE_STATE_GOING] Going away",
        crate::klp::ModuleState::Unformed => "[MODULE_STATE_UNFORMED] Still setting it up",
    };
    pr_info!(
        "{}: {} -> {}\n",
        callback,
        name.to_str().unwrap_or("?"),
        state
    );
}

/// Callbacks that only report themselves with [`callback_info`].
// Only test_klp_callbacks_demo2 uses it; the other ports that mount this file do not, which
// rustc 1.85 (Debian's kernel) reports as dead code and rustc 1.95 does not.
#[allow(dead_code)]
pub(crate) struct InfoCallbacks;

#[vtable]
impl crate::klp::Callbacks for InfoCallbacks {
    fn pre_patch(obj: &crate::klp::ObjectRef) -> Result {
        callback_info("pre_patch_callback", obj);
        Ok(())
    }
    fn post_patch(obj: &crate::klp::ObjectRef) {
        callback_info("post_patch_callback", obj);
    }
    fn pre_unpatch(obj: &crate::klp::ObjectRef) {
        callback_info("pre_unpatch_callback", obj);
    }
    fn post_unpatch(obj: &crate::klp::ObjectRef) {
        callback_info("post_unpatch_callback", obj);
    }
}
