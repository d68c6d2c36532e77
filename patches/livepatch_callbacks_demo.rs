// SPDX-License-Identifier: GPL-2.0-or-later

//! Rust twin of `samples/livepatch/livepatch-callbacks-demo.c`.
//!
//! Registers (un)patch callbacks for vmlinux and for the sample modules
//! `livepatch_callbacks_mod` and `livepatch_callbacks_busymod`, each printing the object and its
//! module state, and replaces `busymod_work_func()` of the latter. Load order is free: a target
//! module loaded after the patch is patched as it loads, its callbacks firing then.
//!
//! `pre_patch_ret` sets what the `pre_patch` callback returns: with
//! `echo -19 > /sys/module/livepatch_callbacks_demo/parameters/pre_patch_ret`, the module loader
//! then refuses to load a target module, with `ENODEV`.

use kernel::bindings::work_struct;
use kernel::prelude::*;

#[path = "../src/klp.rs"]
mod klp;

klp::module! {
    type: LivepatchCallbacksDemo,
    name: "livepatch_callbacks_demo",
    license: "GPL",
    patch: PATCH,
}

klp::module_param!(pre_patch_ret: i32 = 0, 0o644, "pre_patch_ret (default=0)");

fn callback_info(callback: &core::ffi::CStr, obj: &klp::ObjectRef) {
    match obj.module() {
        Some((name, state)) => klp::pr_info!(
            "{}: {} -> {}\n",
            callback,
            name,
            match state {
                klp::ModuleState::Live => c"[MODULE_STATE_LIVE] Normal state",
                klp::ModuleState::Coming =>
                    c"[MODULE_STATE_COMING] Full formed, running module_init",
                klp::ModuleState::Going => c"[MODULE_STATE_GOING] Going away",
                klp::ModuleState::Unformed => c"[MODULE_STATE_UNFORMED] Still setting it up",
            }
        ),
        None => klp::pr_info!("{}: vmlinux\n", callback),
    }
}

struct Demo;

#[vtable]
impl klp::Callbacks for Demo {
    fn pre_patch(obj: &klp::ObjectRef) -> Result {
        callback_info(c"pre_patch_callback", obj);
        kernel::error::to_result(pre_patch_ret.get())
    }
    fn post_patch(obj: &klp::ObjectRef) {
        callback_info(c"post_patch_callback", obj);
    }
    fn pre_unpatch(obj: &klp::ObjectRef) {
        callback_info(c"pre_unpatch_callback", obj);
    }
    fn post_unpatch(obj: &klp::ObjectRef) {
        callback_info(c"post_unpatch_callback", obj);
    }
}

extern "C" fn patched_work_func(_work: *mut work_struct) {
    klp::pr_info!("patched_work_func\n");
}

klp::patch! {
    static PATCH = [
        vmlinux (callbacks: Demo): [],
        module c"livepatch_callbacks_mod" (callbacks: Demo): [],
        module c"livepatch_callbacks_busymod" (callbacks: Demo): [
            // SAFETY: the prototype of samples/livepatch/livepatch-callbacks-busymod.c.
            c"busymod_work_func": unsafe fn(*mut work_struct) = patched_work_func,
        ],
    ];
}
