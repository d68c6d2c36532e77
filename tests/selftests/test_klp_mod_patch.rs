// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_mod_patch.c` (from 7.2): replaces
//! `test_klp_mod_target_show()` of the C target module `test_klp_mod_target`, now or when it
//! loads.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};

#[path = "../../src/klp.rs"]
mod klp;
#[path = "show.rs"]
mod show;

klp::module! {
    type: TestKlpModPatch,
    name: "test_klp_mod_patch",
    authors: ["klp-rs"],
    description: "Livepatch test: patch for module-provided function",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// `m` is a valid `seq_file`, as `test_klp_mod_target_show()`'s callers pass.
unsafe extern "C" fn livepatch_mod_target_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `m` is the seq_file the kernel passes to `test_klp_mod_target_show()`.
    unsafe { show::show_patched(m, c"test_klp_mod_patch") }
}

klp::patch! {
    static PATCH = [
        module c"test_klp_mod_target": [
            // SAFETY: the prototype of `test_klp_mod_target_show()` in test_klp_mod_target.c.
            c"test_klp_mod_target_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = livepatch_mod_target_show,
        ],
    ];
}
