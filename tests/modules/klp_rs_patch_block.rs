// SPDX-License-Identifier: GPL-2.0

//! Replaces `klp_rs_block_wait()` of the C module `klp_rs_block` with a version that sleeps the
//! same way (through the target's exported `klp_rs_block_sleep()`) but returns 2, so that tasks
//! can be caught sleeping in the new code too.

use kernel::ffi::c_int;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PatchBlock,
    name: "klp_rs_patch_block",
    authors: ["klp-rs"],
    description: "Live patch of klp_rs_block_wait()",
    license: "GPL",
    patch: PATCH,
}

unsafe extern "C" {
    fn klp_rs_block_sleep();
}

extern "C" fn new_block_wait() -> c_int {
    // SAFETY: `klp_rs_block_sleep()` only sleeps on a wait queue of the target module, which a
    // task running this replacement (called from the target) keeps alive.
    unsafe { klp_rs_block_sleep() };
    2
}

klp::patch! {
    static PATCH = [
        // SAFETY: the prototype of `klp_rs_block_wait()` in klp_rs_block.c.
        module c"klp_rs_block": [c"klp_rs_block_wait": unsafe fn() -> c_int = new_block_wait],
    ];
}
