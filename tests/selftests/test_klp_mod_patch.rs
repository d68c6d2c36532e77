// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_mod_patch.c` (from 7.2): replaces
//! `test_klp_mod_target_show()` of the C target module `test_klp_mod_target`, now or when it
//! loads.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_void};
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

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
    let (name, msg) = (c"test_klp_mod_patch", c"this has been live patched");
    // SAFETY: `m` is the seq_file the kernel passes to `test_klp_mod_target_show()`.
    unsafe {
        seq_printf(
            m,
            c"%s: %s\n".as_char_ptr(),
            name.as_char_ptr(),
            msg.as_char_ptr(),
        )
    };
    0
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
