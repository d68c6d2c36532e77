// SPDX-License-Identifier: GPL-2.0

//! A Rust module whose function `klp_rs_rust_answer()` a live patch tries to replace (see
//! `klp_rs_patch_rust.rs`). rustc emits no `__fentry__` call, so the function has no ftrace
//! location and the kernel must refuse the patch.

use kernel::ffi::c_int;
use kernel::prelude::*;

module! {
    type: RustTarget,
    name: "klp_rs_rust_target",
    description: "Rust function that cannot be live patched",
    license: "GPL",
}

/// The function under patch: global, so that kallsyms and the livepatch core find it.
#[no_mangle]
pub extern "C" fn klp_rs_rust_answer() -> c_int {
    42
}

struct RustTarget;

impl kernel::Module for RustTarget {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("klp_rs_rust_answer() = {}\n", klp_rs_rust_answer());
        Ok(RustTarget)
    }
}
