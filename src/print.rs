// SPDX-License-Identifier: GPL-2.0

//! Printing kernel addresses as C code does.

use core::{ffi::c_void, fmt};

/// An address that displays as printk's `%p` does: hashed, so that logs do not leak kernel
/// addresses, and identical to what C code prints for the same pointer in the same boot.
#[derive(Clone, Copy)]
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
        let mut buf = [0u8; 32];
        // SAFETY: `buf` is writable for its length, the format is NUL-terminated, and `%p`
        // consumes the one pointer argument given.
        let len = unsafe {
            kernel::bindings::snprintf(
                buf.as_mut_ptr(),
                buf.len(),
                c"%p".as_ptr().cast(),
                self.0 as *const c_void,
            )
        };
        let len = usize::try_from(len)
            .map_err(|_| fmt::Error)?
            .min(buf.len() - 1);
        f.write_str(core::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
    }
}
