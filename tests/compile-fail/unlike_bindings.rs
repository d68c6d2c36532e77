// SPDX-License-Identifier: GPL-2.0
// expect: expected `usize`, found `u32`
//! A replacement typed `unsafe like(...)` must match the bindings' prototype of the original; the error
//! names the parameter that differs.

use kernel::ffi::c_void;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: UnlikeBindings,
    name: "unlike_bindings",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// None.
unsafe extern "C" fn replacement(_buf: *mut c_void, _len: u32) {}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the replacement has no requirement.
            c"get_random_bytes": unsafe like(kernel::bindings::get_random_bytes) = replacement,
        ],
    ];
}
