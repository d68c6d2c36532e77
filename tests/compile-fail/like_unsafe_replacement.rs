// SPDX-License-Identifier: GPL-2.0
// expect: expected safe fn, found unsafe fn
//! `like(...)` checks the prototype, not the replacement's `# Safety` section, which the kernel's
//! callers of the original must uphold: an `unsafe` replacement needs `unsafe like(...)`.

use kernel::ffi::c_void;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: LikeUnsafeReplacement,
    name: "like_unsafe_replacement",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// `buf` is writable for `len` bytes.
unsafe extern "C" fn replacement(buf: *mut c_void, len: usize) {
    // SAFETY: `buf` is writable for `len` bytes (the function's contract).
    unsafe { core::ptr::write_bytes(buf.cast::<u8>(), 0, len) };
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_bytes": like(kernel::bindings::get_random_bytes) = replacement,
    ]];
}
