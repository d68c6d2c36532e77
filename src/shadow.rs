// SPDX-License-Identifier: GPL-2.0

//! Shadow variables: typed data attached to existing kernel objects.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h); see also
//! `Documentation/livepatch/shadow-vars.rst`.
//!
//! A shadow variable is identified by the address of the object it is attached to and by a
//! numeric id. The id is global: every module that uses an id must agree on its type `T`.

use super::bindings;
use core::{ffi::c_void, marker::PhantomData, ptr::NonNull};
use kernel::{ffi::c_int, prelude::*};

/// Allocation flags for shadow variables (`gfp_t`).
#[derive(Clone, Copy)]
pub(crate) struct Gfp(kernel::bindings::gfp_t);

impl Gfp {
    /// `GFP_KERNEL`: may sleep.
    pub(crate) const KERNEL: Self = Self(kernel::bindings::GFP_KERNEL);
    /// `GFP_NOWAIT`: does not sleep, may fail.
    pub(crate) const NOWAIT: Self = Self(kernel::bindings::GFP_NOWAIT);
    /// `GFP_ATOMIC`: does not sleep, may use emergency reserves.
    pub(crate) const ATOMIC: Self = Self(kernel::bindings::GFP_ATOMIC);
}

/// A shadow variable id whose data is a `T`.
///
/// Initial values are moved in under the kernel's shadow spinlock, and `T`'s destructor (if it
/// has one) runs under it when the variable is freed: in atomic context, where it must not sleep.
pub(crate) struct Shadow<T> {
    id: usize,
    _data: PhantomData<fn(T) -> T>,
}

impl<T: Send> Shadow<T> {
    /// The shadow variables with id `id`.
    pub(crate) const fn new(id: usize) -> Self {
        // `struct klp_shadow` places `data[]` after an `unsigned long`, in a kmalloc'ed block.
        assert!(core::mem::align_of::<T>() <= core::mem::align_of::<usize>());
        Self {
            id,
            _data: PhantomData,
        }
    }

    /// The data of the shadow variable attached to `obj`, if any: `klp_shadow_get()`.
    ///
    /// The pointer is valid until the variable is freed.
    pub(crate) fn get<O>(&self, obj: *const O) -> Option<NonNull<T>> {
        // SAFETY: `klp_shadow_get()` only compares `obj` as a key, never dereferences it.
        let data = unsafe { bindings::klp_shadow_get(obj.cast_mut().cast(), self.id) };
        NonNull::new(data.cast())
    }

    /// Attaches a new shadow variable holding `value` to `obj`: `klp_shadow_alloc()`. Fails with
    /// `ENOMEM` if memory runs out or if `obj` already has one with this id (the kernel warns).
    pub(crate) fn alloc<O>(&self, obj: *const O, gfp: Gfp, value: T) -> Result<NonNull<T>> {
        self.attach(obj, gfp, value, bindings::klp_shadow_alloc)
    }

    /// The data of the shadow variable attached to `obj`, attaching a new one holding `value` if
    /// there is none: `klp_shadow_get_or_alloc()`. Fails with `ENOMEM` if memory runs out.
    pub(crate) fn get_or_alloc<O>(&self, obj: *const O, gfp: Gfp, value: T) -> Result<NonNull<T>> {
        self.attach(obj, gfp, value, bindings::klp_shadow_get_or_alloc)
    }

    fn attach<O>(
        &self,
        obj: *const O,
        gfp: Gfp,
        value: T,
        alloc: unsafe extern "C" fn(
            *mut c_void,
            usize,
            usize,
            kernel::bindings::gfp_t,
            bindings::klp_shadow_ctor_t,
            *mut c_void,
        ) -> *mut c_void,
    ) -> Result<NonNull<T>> {
        let mut value = Some(value);
        // SAFETY: `obj` is only a key. `init_from::<T>` is called, if at all, with a block of
        // `size_of::<T>()` bytes as `shadow_data` and with `&mut value` as `ctor_data`, which
        // outlives the call.
        let data = unsafe {
            alloc(
                obj.cast_mut().cast(),
                self.id,
                core::mem::size_of::<T>(),
                gfp.0,
                Some(init_from::<T>),
                (&raw mut value).cast(),
            )
        };
        // If the variable already existed, `value` was not moved in and drops here.
        NonNull::new(data.cast()).ok_or(ENOMEM)
    }

    /// Detaches and frees the shadow variable attached to `obj`, dropping its data:
    /// `klp_shadow_free()`.
    pub(crate) fn free<O>(&self, obj: *const O) {
        // SAFETY: `obj` is only a key; `drop_data::<T>` is given data of this id, which is a `T`.
        unsafe { bindings::klp_shadow_free(obj.cast_mut().cast(), self.id, Self::dtor()) }
    }

    /// Detaches and frees every shadow variable with this id, dropping their data:
    /// `klp_shadow_free_all()`.
    pub(crate) fn free_all(&self) {
        // SAFETY: `drop_data::<T>` is given data of this id, which is a `T`.
        unsafe { bindings::klp_shadow_free_all(self.id, Self::dtor()) }
    }

    fn dtor() -> bindings::klp_shadow_dtor_t {
        core::mem::needs_drop::<T>().then_some(drop_data::<T> as _)
    }
}

/// Shadow constructor: moves the value out of the `Option<T>` at `ctor_data` into `shadow_data`.
///
/// # Safety
///
/// `shadow_data` must be valid for writing a `T`, `ctor_data` must point to an `Option<T>`.
unsafe extern "C" fn init_from<T>(
    _obj: *mut c_void,
    shadow_data: *mut c_void,
    ctor_data: *mut c_void,
) -> c_int {
    // SAFETY: the caller guarantees `ctor_data` points to an `Option<T>`.
    let value = unsafe { &mut *ctor_data.cast::<Option<T>>() };
    match value.take() {
        // SAFETY: the caller guarantees `shadow_data` is valid for writing a `T`, and `struct
        // klp_shadow` aligns it for `T` (checked in `Shadow::new`).
        Some(value) => unsafe { shadow_data.cast::<T>().write(value) },
        None => return EINVAL.to_errno(),
    }
    0
}

/// Shadow destructor: drops the `T` at `shadow_data`.
///
/// # Safety
///
/// `shadow_data` must hold a `T` that is not used afterwards.
unsafe extern "C" fn drop_data<T>(_obj: *mut c_void, shadow_data: *mut c_void) {
    // SAFETY: the caller guarantees `shadow_data` holds a `T` that is not used again.
    unsafe { core::ptr::drop_in_place(shadow_data.cast::<T>()) }
}
