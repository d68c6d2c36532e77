// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_callbacks_demo.c`: reporting callbacks for
//! vmlinux, `test_klp_callbacks_mod` and `test_klp_callbacks_busy`, whose
//! `busymod_work_func()` it replaces; `pre_patch_ret` sets what `pre_patch` returns.

use kernel::bindings::work_struct;
use kernel::prelude::*;

#[path = "common.rs"]
mod common;
#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TestKlpCallbacksDemo,
    name: "test_klp_callbacks_demo",
    authors: ["klp-rs"],
    description: "Livepatch test: livepatch demo",
    license: "GPL",
    patch: PATCH,
}

klp::module_param!(pre_patch_ret: i32 = 0, 0o644, "pre_patch_ret (default=0)");

struct Demo;

#[vtable]
impl klp::Callbacks for Demo {
    fn pre_patch(obj: &klp::ObjectRef) -> Result {
        common::callback_info("pre_patch_callback", obj);
        kernel::error::to_result(pre_patch_ret.get())
    }
    fn post_patch(obj: &klp::ObjectRef) {
        common::callback_info("post_patch_callback", obj);
    }
    fn pre_unpatch(obj: &klp::ObjectRef) {
        common::callback_info("pre_unpatch_callback", obj);
    }
    fn post_unpatch(obj: &klp::ObjectRef) {
        common::callback_info("post_unpatch_callback", obj);
    }
}

extern "C" fn patched_work_func(_work: *mut work_struct) {
    pr_info!("patched_work_func\n");
}

klp::patch! {
    static PATCH = [
        vmlinux (callbacks: Demo): [],
        module c"test_klp_callbacks_mod" (callbacks: Demo): [],
        module c"test_klp_callbacks_busy" (callbacks: Demo): [
            // SAFETY: the prototype of `busymod_work_func()` in test_klp_callbacks_busy.c.
            c"busymod_work_func": unsafe fn(*mut work_struct) = patched_work_func,
        ],
    ];
}
