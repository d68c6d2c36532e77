// SPDX-License-Identifier: GPL-2.0

//! A Rust module whose functions live patches replace: `klp::patchable!` gives each an ftrace
//! location under its own name (tests/test-patchable.sh). It registers them with klp_rs_block,
//! whose debugfs files call them: `rust_sum` calls `klp_rs_patchable_sum6(1, 2, 3, 4, 5, 6)`,
//! `rust_wait` calls `klp_rs_patchable_wait()`, which sleeps in klp_rs_block until released.

use kernel::ffi::{c_int, c_long};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: Patchable,
    name: "klp_rs_patchable",
    description: "Rust functions that live patches replace",
    license: "GPL",
}

// The prototypes of tests/modules/klp_rs_block.c.
unsafe extern "C" {
    fn klp_rs_block_sleep();
    fn klp_rs_block_set_rust(
        wait: Option<extern "C" fn() -> c_int>,
        sum6: Option<extern "C" fn(c_long, c_long, c_long, c_long, c_long, c_long) -> c_long>,
    );
}

/// What `klp_rs_patchable_wait()` returns unpatched, read after the sleep.
static UNPATCHED_RESULT: c_int = 1;

klp::patchable! {
    /// Sleeps until klp_rs_block's next release (or a signal), then returns 1; patches return
    /// other values.
    pub fn klp_rs_patchable_wait() -> c_int {
        // SAFETY: sleeps in process context, where debugfs reads call this.
        unsafe { klp_rs_block_sleep() };
        // SAFETY: reads a static that nothing writes; volatile, so that it stays a read.
        unsafe { (&raw const UNPATCHED_RESULT).read_volatile() }
    }
}

klp::patchable! {
    /// Weighs its six arguments, all passed in registers: `a + 2b + 3c + 4d + 5e + 6f`, 91 for
    /// 1 to 6. Patches compute something else.
    pub fn klp_rs_patchable_sum6(
        a: c_long,
        b: c_long,
        c: c_long,
        d: c_long,
        e: c_long,
        f: c_long,
    ) -> c_long {
        a.wrapping_add(b.wrapping_mul(2))
            .wrapping_add(c.wrapping_mul(3))
            .wrapping_add(d.wrapping_mul(4))
            .wrapping_add(e.wrapping_mul(5))
            .wrapping_add(f.wrapping_mul(6))
    }
}

struct Patchable;

impl kernel::Module for Patchable {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "klp_rs_patchable_sum6(1, 2, 3, 4, 5, 6) = {}\n",
            klp_rs_patchable_sum6(1, 2, 3, 4, 5, 6)
        );
        // SAFETY: the functions live as long as the module, whose exit unregisters them.
        unsafe { klp_rs_block_set_rust(Some(klp_rs_patchable_wait), Some(klp_rs_patchable_sum6)) };
        Ok(Patchable)
    }
}

impl Drop for Patchable {
    fn drop(&mut self) {
        // SAFETY: unregisters; klp_rs_block waits for the calls in progress.
        unsafe { klp_rs_block_set_rust(None, None) };
    }
}
