// SPDX-License-Identifier: GPL-2.0

//! A directory under `/sys/kernel/` with read-only attributes, for test modules that report their
//! state to user space (the selftest port `test_klp_syscall` and `tests/modules/klp_rs_layout.rs`).
//!
//! C header: [`include/linux/kobject.h`](srctree/include/linux/kobject.h)

use core::{ffi::CStr, fmt, ptr::NonNull};
use kernel::{bindings, error::to_result, prelude::*, types::Opaque};

/// What a read-only attribute shows.
pub(crate) trait Show {
    /// Writes the attribute's contents (at most a page).
    fn show(out: &mut PageWriter<'_>) -> fmt::Result;
}

/// The page a [`Show`] writes into; output beyond it is an error.
pub(crate) struct PageWriter<'a> {
    page: &'a mut [u8],
    len: usize,
}

impl fmt::Write for PageWriter<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.page
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A read-only (0444) attribute: `struct kobj_attribute`, as C's `__ATTR_RO()`.
#[repr(transparent)]
pub(crate) struct Attribute(Opaque<bindings::kobj_attribute>);

// SAFETY: Rust code never accesses an `Attribute` after building it; sysfs only reads it.
unsafe impl Sync for Attribute {}

impl Attribute {
    /// The attribute `name`, showing what `S` writes.
    pub(crate) const fn read_only<S: Show>(name: &'static CStr) -> Self {
        // SAFETY: all-zero is valid for `kobj_attribute` (pointers, a mode, optional callbacks).
        let mut attr: bindings::kobj_attribute = unsafe { core::mem::zeroed() };
        // CAST: the kernel's `c_char` is `u8`, `core::ffi::CStr` hands out `i8`; same bytes.
        attr.attr.name = crate::klp::char_ptr(name);
        attr.attr.mode = 0o444;
        attr.show = Some(show_callback::<S>);
        Self(Opaque::new(attr))
    }
}

/// # Safety
///
/// Called by sysfs only, with `buf` a page-sized buffer.
unsafe extern "C" fn show_callback<S: Show>(
    _kobj: *mut bindings::kobject,
    _attr: *mut bindings::kobj_attribute,
    buf: *mut kernel::ffi::c_char,
) -> isize {
    // SAFETY: sysfs hands `show` a zeroed buffer of `PAGE_SIZE` bytes that nothing else uses
    // during the call.
    let page = unsafe { core::slice::from_raw_parts_mut(buf, kernel::page::PAGE_SIZE) };
    let mut out = PageWriter { page, len: 0 };
    match S::show(&mut out) {
        // CAST: `len` is at most `PAGE_SIZE`.
        Ok(()) => out.len as isize,
        Err(_) => EFBIG.to_errno() as isize,
    }
}

/// `/sys/kernel/<name>/`: a kobject, released (with its files) when dropped.
///
/// # Invariants
///
/// `kobj` is a kobject from `kobject_create_and_add()` on which this owns a reference.
pub(crate) struct KernelDir {
    kobj: NonNull<bindings::kobject>,
}

// SAFETY: a kobject reference can be used and dropped from any thread.
unsafe impl Send for KernelDir {}
// SAFETY: `&KernelDir` only adds files, which sysfs serializes.
unsafe impl Sync for KernelDir {}

impl KernelDir {
    /// Creates `/sys/kernel/<name>/`.
    #[inline]
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        // SAFETY: `name` is NUL-terminated; `kernel_kobj` is the kernel's `/sys/kernel` kobject,
        // set up at boot and never freed.
        let kobj = unsafe {
            bindings::kobject_create_and_add(crate::klp::char_ptr(name), bindings::kernel_kobj)
        };
        // INVARIANT: a non-NULL result is a new kobject holding one reference, ours.
        Ok(Self {
            kobj: NonNull::new(kobj).ok_or(ENOMEM)?,
        })
    }

    /// Adds `attr` to the directory.
    #[inline]
    pub(crate) fn create_file(&self, attr: &'static Attribute) -> Result {
        // SAFETY: `kobj` is live (type invariant); `attr` is `'static`, so it outlives the file,
        // which goes away with the kobject.
        to_result(unsafe {
            bindings::sysfs_create_file_ns(
                self.kobj.as_ptr(),
                &raw const (*attr.0.get()).attr,
                core::ptr::null(),
            )
        })
    }
}

impl Drop for KernelDir {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: we own a reference (type invariant). Removing the directory waits for the
        // `show` calls in progress, so none runs once the module is gone.
        unsafe { bindings::kobject_put(self.kobj.as_ptr()) };
    }
}
