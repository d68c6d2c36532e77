// SPDX-License-Identifier: GPL-2.0

//! C strings as the kernel's C functions take them, on every kernel klp-rs supports.
//!
//! The kernel's `char` is unsigned, `core::ffi::c_char` signed on x86: a `&CStr`'s pointer must
//! be cast for C. Since 6.18 the kernel has `CStrExt::as_char_ptr`/`from_char_ptr` for that in
//! `kernel::str` (imported by its prelude), and its clippy configuration forbids `CStr::as_ptr`/`from_ptr`; 6.12 has neither.
//! [`CStrExt`] is the kernel's trait where the kernel has it (klp-rs.kbuild sets
//! `klp_kernel_cstr_ext`) and an equivalent of it elsewhere, so that a patch written with
//! `use klp::CStrExt;` and `c"...".as_char_ptr()` builds on both.

use core::ffi::CStr;
use kernel::ffi::c_char;

#[cfg(klp_kernel_cstr_ext)]
pub(crate) use kernel::str::CStrExt;

/// The kernel's `CStrExt` (`rust/kernel/str.rs`, since 6.18), for kernels without it.
#[cfg(not(klp_kernel_cstr_ext))]
pub(crate) trait CStrExt {
    /// The string at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a NUL-terminated string that stays valid and unchanged for `'a`.
    unsafe fn from_char_ptr<'a>(ptr: *const c_char) -> &'a Self;

    /// The address of the string's first byte, as the kernel's `char *`.
    fn as_char_ptr(&self) -> *const c_char;
}

#[cfg(not(klp_kernel_cstr_ext))]
impl CStrExt for CStr {
    #[inline]
    unsafe fn from_char_ptr<'a>(ptr: *const c_char) -> &'a Self {
        // SAFETY: the caller's contract is `CStr::from_ptr`'s; `c_char` is a byte either way.
        unsafe { CStr::from_ptr(ptr.cast()) }
    }

    #[inline]
    fn as_char_ptr(&self) -> *const c_char {
        char_ptr(self)
    }
}

/// [`CStrExt::as_char_ptr`] in a `const fn`, where trait methods cannot be called.
#[inline]
#[allow(clippy::disallowed_methods)] // What the kernel's `as_char_ptr` does.
pub(crate) const fn char_ptr(s: &CStr) -> *const c_char {
    s.as_ptr().cast()
}

/// The string at `ptr`, as [`CStrExt::from_char_ptr`], measured by the kernel's `strlen()`: no
/// overflow check (a string is shorter than the address space), hence no panic path with its
/// location data in the module.
///
/// # Safety
///
/// `ptr` must point to a NUL-terminated string that stays valid and unchanged for `'a`.
#[inline]
pub(crate) unsafe fn cstr_at<'a>(ptr: *const c_char) -> &'a CStr {
    // SAFETY: `ptr` is a NUL-terminated string (the caller's contract).
    let len = unsafe { kernel::bindings::strlen(ptr) };
    // SAFETY: the `len` bytes before the NUL and the NUL are the string's, valid and unchanged
    // for `'a`; `len + 1` does not wrap, the string being shorter than the address space.
    unsafe {
        CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(
            ptr.cast::<u8>(),
            len.wrapping_add(1),
        ))
    }
}
