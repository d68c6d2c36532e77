// SPDX-License-Identifier: GPL-2.0

//! Replaces `get_random_bytes()` with a constant fill, its prototype taken from the declaration
//! in the bindings with `like(...)`. While enabled, `/proc/sys/kernel/random/uuid` reads
//! `42424242-4242-4242-8242-424242424242` (the version and variant bits set on the constant).

use kernel::ffi::c_void;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PatchRandom,
    name: "klp_rs_patch_random",
    authors: ["klp-rs"],
    description: "Live patch of get_random_bytes(), typed from the bindings",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// `buf` is writable for `len` bytes, as `get_random_bytes()`'s callers guarantee.
unsafe extern "C" fn constant_random_bytes(buf: *mut c_void, len: usize) {
    // SAFETY: `buf` is writable for `len` bytes (the function's contract).
    unsafe { core::ptr::write_bytes(buf.cast::<u8>(), 0x42, len) };
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: `get_random_bytes()`'s callers pass a buffer writable for `len` bytes, which
            // is what the replacement requires.
            c"get_random_bytes": unsafe like(kernel::bindings::get_random_bytes)
                = constant_random_bytes,
        ],
    ];
}
