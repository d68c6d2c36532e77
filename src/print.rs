// SPDX-License-Identifier: GPL-2.0

//! Printing kernel addresses as C code does.

use core::{
    ffi::{c_void, CStr},
    fmt,
};

/// An address that displays as printk's `%p` does: hashed, so that logs do not leak kernel
/// addresses, and identical to what C code prints for the same pointer in the same boot.
///
/// `repr(transparent)`: patches share it in `repr(C)` data across modules.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct HashedPtr(usize);

impl HashedPtr {
    /// The address of `ptr`.
    pub(crate) fn new<T>(ptr: *const T) -> Self {
        Self(ptr as usize)
    }
}

impl fmt::Display for HashedPtr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: `%p` takes any pointer and only prints its (hashed) value.
        unsafe { write_printk(f, c"%p", self.0 as *const c_void) }
    }
}

/// Implements the kernel's own `Display` for a type that implements `core::fmt::Display`, on
/// kernels whose `pr_*!` format through it (`rust/kernel/fmt.rs`, since 6.18): klp-rs.kbuild
/// passes `--cfg klp_kernel_fmt` when KDIR has that file. Elsewhere it expands to nothing.
macro_rules! kernel_display {
    ($type:ty) => {
        #[cfg(klp_kernel_fmt)]
        impl kernel::fmt::Display for $type {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(self, f)
            }
        }
    };
}
pub(crate) use kernel_display;
kernel_display!(HashedPtr);

/// Writes to `f` what printk prints for the format `fmt` with the one argument `arg` (at most
/// 127 bytes): how Rust values display as C code logs them.
///
/// # Safety
///
/// `fmt` must hold exactly one conversion, and `arg` must be what that conversion takes (for
/// `%p`, any pointer; for `%pGg`, a valid pointer to a `gfp_t`; for `%s`, a valid NUL-terminated
/// string).
#[inline]
pub(crate) unsafe fn write_printk(
    f: &mut fmt::Formatter<'_>,
    fmt: &CStr,
    arg: *const c_void,
) -> fmt::Result {
    let mut buf = [0u8; 128];
    // SAFETY: `buf` is writable for its length, `fmt` is NUL-terminated, and the caller passes
    // the one argument its format consumes.
    let len = unsafe {
        kernel::bindings::snprintf(buf.as_mut_ptr(), buf.len(), super::char_ptr(fmt), arg)
    };
    let len = usize::try_from(len)
        .map_err(|_| fmt::Error)?
        .min(buf.len() - 1);
    f.write_str(core::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
}
