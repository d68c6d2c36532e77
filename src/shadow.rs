// SPDX-License-Identifier: GPL-2.0

//! Shadow variables: typed data attached to existing kernel objects.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h); see also
//! `Documentation/livepatch/shadow-vars.rst`.
//!
//! A shadow variable is identified by the address of the object it is attached to and by a
//! numeric id. The id is global: every module that uses an id must agree on its type `T`.

use super::bindings;
use core::{ffi::c_void, fmt, marker::PhantomData, ptr::NonNull};
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

/// Displays the flags as printk's `%pGg` does, e.g. `GFP_KERNEL`.
impl fmt::Display for Gfp {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: `%pGg` takes a pointer to a `gfp_t`, which `self.0` is.
        unsafe { super::write_printk(f, c"%pGg", (&raw const self.0).cast()) }
    }
}
super::kernel_display!(Gfp);

/// What runs, beside moving the value in and dropping it, when a shadow variable of a `T` is
/// created or destroyed: the constructor and destructor of the C API. Both run under the
/// kernel's shadow spinlock, in atomic context: they must not sleep.
///
/// Implement only the hooks needed, in an `impl` marked `#[vtable]`. When `destroying` is not
/// implemented and `T` needs no drop, the kernel is given no destructor at all, as a C caller
/// would pass NULL.
#[vtable]
pub(crate) trait ShadowHooks<T> {
    /// A variable of the object at `obj` was created; `data` is its value, in place.
    fn constructed(_obj: *const (), _data: &T) {}

    /// A variable of the object at `obj` is being freed; `data` is its value, dropped next.
    fn destroying(_obj: *const (), _data: &T) {}
}

/// No hooks: values are moved in and dropped, nothing more.
pub(crate) struct NoHooks;

#[vtable]
impl<T> ShadowHooks<T> for NoHooks {}

/// A shadow variable id whose data is a `T`, with the hooks `H`.
///
/// # Invariants
///
/// Every shadow variable with id `id`, attached by any module, holds a `T` (or a type of the
/// same layout and drop).
///
/// Initial values are moved in under the kernel's shadow spinlock, and `T`'s destructor (if it
/// has one) runs under it when the variable is freed: in atomic context, where it must not sleep.
pub(crate) struct Shadow<T, H = NoHooks> {
    id: usize,
    _data: PhantomData<fn(T, H) -> T>,
}

impl<T: Send + 'static, H: ShadowHooks<T>> Shadow<T, H> {
    /// The shadow variables with id `id`.
    ///
    /// # Safety
    ///
    /// Ids are global: every shadow variable with id `id` that any module attaches, in this boot,
    /// must hold a `T` (the same `T`, or a type of the same layout and drop in another module).
    /// Two `Shadow`s on one id may differ in their hooks, not in `T`.
    pub(crate) const unsafe fn new(id: usize) -> Self {
        // `struct klp_shadow` places `data[]` after an `unsigned long`, in a kmalloc'ed block.
        assert!(core::mem::align_of::<T>() <= core::mem::align_of::<usize>());
        // INVARIANT: the caller guarantees it.
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
        let mut value = Some(value);
        // SAFETY: `construct::<T, H>` takes an `Option<T>`.
        unsafe {
            self.attach(
                obj,
                gfp,
                construct::<T, H>,
                &mut value,
                bindings::klp_shadow_alloc,
            )
        }
    }

    /// The data of the shadow variable attached to `obj`, attaching a new one holding `value` if
    /// there is none: `klp_shadow_get_or_alloc()`. Fails with `ENOMEM` if memory runs out.
    /// `value` is dropped if the variable exists: see [`Shadow::get_or_alloc_with`] to build it
    /// only when needed.
    pub(crate) fn get_or_alloc<O>(&self, obj: *const O, gfp: Gfp, value: T) -> Result<NonNull<T>> {
        let mut value = Some(value);
        let get_or_alloc = bindings::klp_shadow_get_or_alloc;
        // SAFETY: `construct::<T, H>` takes an `Option<T>`.
        unsafe { self.attach(obj, gfp, construct::<T, H>, &mut value, get_or_alloc) }
    }

    /// As [`Shadow::get_or_alloc`], but the value is made by `make`, called only if the variable
    /// is created. `make` runs under the kernel's shadow spinlock, in atomic context: it must
    /// not sleep.
    pub(crate) fn get_or_alloc_with<O, F: FnOnce() -> T>(
        &self,
        obj: *const O,
        gfp: Gfp,
        make: F,
    ) -> Result<NonNull<T>> {
        let mut make = Some(make);
        let get_or_alloc = bindings::klp_shadow_get_or_alloc;
        // SAFETY: `construct_with::<T, H, F>` takes an `Option<F>`.
        unsafe { self.attach(obj, gfp, construct_with::<T, H, F>, &mut make, get_or_alloc) }
    }

    /// Calls `alloc`, `klp_shadow_alloc()` or `klp_shadow_get_or_alloc()`, with the constructor
    /// `ctor` and its data `ctor_data`.
    ///
    /// # Safety
    ///
    /// `ctor` must be a constructor of this file that takes a `C` as its `ctor_data`.
    unsafe fn attach<O, C>(
        &self,
        obj: *const O,
        gfp: Gfp,
        ctor: unsafe extern "C" fn(*mut c_void, *mut c_void, *mut c_void) -> c_int,
        ctor_data: &mut C,
        alloc: unsafe extern "C" fn(
            *mut c_void,
            usize,
            usize,
            kernel::bindings::gfp_t,
            bindings::klp_shadow_ctor_t,
            *mut c_void,
        ) -> *mut c_void,
    ) -> Result<NonNull<T>> {
        // SAFETY: `obj` is only a key. `ctor` is called, if at all, with a block of
        // `size_of::<T>()` bytes as `shadow_data` and with `ctor_data`, which outlives the call.
        let data = unsafe {
            alloc(
                obj.cast_mut().cast(),
                self.id,
                core::mem::size_of::<T>(),
                gfp.0,
                Some(ctor),
                core::ptr::from_mut(ctor_data).cast(),
            )
        };
        // A non-NULL result is the data of a variable with this id, a `T` (type invariant). If
        // the variable already existed, the constructor did not run, and the value or `make`
        // drops with the caller's `Option`.
        NonNull::new(data.cast()).ok_or(ENOMEM)
    }

    /// Detaches and frees the shadow variable attached to `obj`, running the destructor:
    /// `klp_shadow_free()`.
    pub(crate) fn free<O>(&self, obj: *const O) {
        // SAFETY: `obj` is only a key; `destruct::<T, H>` is given data of this id, a `T`.
        unsafe { bindings::klp_shadow_free(obj.cast_mut().cast(), self.id, Self::destructor()) }
    }

    /// Detaches and frees every shadow variable with this id, running the destructor:
    /// `klp_shadow_free_all()`.
    pub(crate) fn free_all(&self) {
        // SAFETY: `destruct::<T, H>` is given data of this id, a `T`.
        unsafe { bindings::klp_shadow_free_all(self.id, Self::destructor()) }
    }

    /// The address of the constructor that `alloc` and `get_or_alloc` hand to the kernel, for logs
    /// that show it as C ones do.
    pub(crate) fn constructor_addr() -> *const () {
        construct::<T, H> as *const ()
    }

    /// The address of the destructor handed to the kernel, NULL if none is.
    pub(crate) fn destructor_addr() -> *const () {
        Self::destructor().map_or(core::ptr::null(), |dtor| dtor as *const ())
    }

    /// The destructor handed to the kernel, if any.
    fn destructor() -> bindings::klp_shadow_dtor_t {
        (H::HAS_DESTROYING || core::mem::needs_drop::<T>())
            .then_some(destruct::<T, H> as unsafe extern "C" fn(*mut c_void, *mut c_void))
    }
}

/// Shadow constructor: moves the value out of the `Option<T>` at `ctor_data` into `shadow_data`,
/// then runs `H::constructed`.
///
/// # Safety
///
/// `shadow_data` must be valid for writing a `T`, `ctor_data` must point to an `Option<T>`.
unsafe extern "C" fn construct<T, H: ShadowHooks<T>>(
    obj: *mut c_void,
    shadow_data: *mut c_void,
    ctor_data: *mut c_void,
) -> c_int {
    // SAFETY: the caller guarantees `ctor_data` points to an `Option<T>`.
    let value = unsafe { &mut *ctor_data.cast::<Option<T>>() }.take();
    // SAFETY: the caller guarantees `shadow_data`.
    unsafe { construct_from::<T, H>(obj, shadow_data, value) }
}

/// Shadow constructor: makes the value with the `Option<F>` at `ctor_data`, moves it into
/// `shadow_data`, then runs `H::constructed`.
///
/// # Safety
///
/// `shadow_data` must be valid for writing a `T`, `ctor_data` must point to an `Option<F>`.
unsafe extern "C" fn construct_with<T, H: ShadowHooks<T>, F: FnOnce() -> T>(
    obj: *mut c_void,
    shadow_data: *mut c_void,
    ctor_data: *mut c_void,
) -> c_int {
    // SAFETY: the caller guarantees `ctor_data` points to an `Option<F>`.
    let make = unsafe { &mut *ctor_data.cast::<Option<F>>() }.take();
    // SAFETY: the caller guarantees `shadow_data`.
    unsafe { construct_from::<T, H>(obj, shadow_data, make.map(|make| make())) }
}

/// Moves `value` into `shadow_data`, then runs `H::constructed`; `EINVAL` if there is no value
/// (a constructor called twice).
///
/// # Safety
///
/// `shadow_data` must be valid for writing a `T`.
unsafe fn construct_from<T, H: ShadowHooks<T>>(
    obj: *mut c_void,
    shadow_data: *mut c_void,
    value: Option<T>,
) -> c_int {
    let Some(value) = value else {
        return EINVAL.to_errno();
    };
    let data = shadow_data.cast::<T>();
    // SAFETY: the caller guarantees `shadow_data` is valid for writing a `T`, and `struct
    // klp_shadow` aligns it for `T` (checked in `Shadow::new`). Once written, it is a `T`.
    let data = unsafe {
        data.write(value);
        &*data
    };
    if H::HAS_CONSTRUCTED {
        H::constructed(obj.cast_const().cast(), data);
    }
    0
}

/// Shadow destructor: runs `H::destroying`, then drops the `T` at `shadow_data`.
///
/// # Safety
///
/// `shadow_data` must hold a `T` that is not used afterwards.
unsafe extern "C" fn destruct<T, H: ShadowHooks<T>>(obj: *mut c_void, shadow_data: *mut c_void) {
    let data = shadow_data.cast::<T>();
    if H::HAS_DESTROYING {
        // SAFETY: the caller guarantees `shadow_data` holds a `T`.
        H::destroying(obj.cast_const().cast(), unsafe { &*data });
    }
    // SAFETY: the caller guarantees it is not used again.
    unsafe { core::ptr::drop_in_place(data) }
}
