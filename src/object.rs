// SPDX-License-Identifier: GPL-2.0

//! Functions and objects: `struct klp_func` and `struct klp_object`, and the view of an object
//! that the kernel hands to callbacks.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)

use super::bindings::{self, zeroed};
use super::{char_ptr, cstr_at};
use core::{
    ffi::{c_void, CStr},
    marker::PhantomData,
};
use kernel::types::Opaque;

/// A function to replace: `struct klp_func`.
///
/// Built by [`patch!`](macro@crate::klp::patch); a table of them ends with [`Func::end()`].
#[repr(transparent)]
pub(crate) struct Func(Opaque<bindings::klp_func>);

// SAFETY: Rust code never accesses a `Func` after building it; the kernel accesses it only under
// its `klp_mutex`, once [`Patch::enable`](crate::klp::Patch::enable) has handed the tables over.
unsafe impl Sync for Func {}

impl Func {
    /// The all-zero entry that ends a table of functions. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// Replaces the function `old_name` (the `old_sympos`-th symbol of that name in its object,
    /// or the only one when `old_sympos` is 0) with `new_func`.
    ///
    /// # Safety
    ///
    /// `new_func` must be a function with the C ABI and the C prototype of `old_name`, and it must
    /// live as long as the module.
    pub(crate) const unsafe fn new(
        old_name: &'static CStr,
        old_sympos: usize,
        new_func: *const c_void,
    ) -> Self {
        let mut func: bindings::klp_func = zeroed();
        // CAST: the kernel's `c_char` is `u8`, `core::ffi::CStr` hands out `i8`; same bytes.
        func.old_name = char_ptr(old_name);
        func.old_sympos = old_sympos;
        func.new_func = new_func.cast_mut();
        Self(Opaque::new(func))
    }
}

/// A patched object, vmlinux or a module: `struct klp_object`.
///
/// Built by [`patch!`](macro@crate::klp::patch); a table of them ends with [`Object::end()`].
#[repr(transparent)]
pub(crate) struct Object(Opaque<bindings::klp_object>);

// SAFETY: As for `Func`: only the kernel accesses it after it is built, under `klp_mutex`.
unsafe impl Sync for Object {}

impl Object {
    /// The all-zero entry that ends a table of objects. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// The object `name` (`None` for vmlinux) with its functions and callbacks. If a module is not
    /// loaded when the patch is enabled, the kernel patches it when it loads.
    ///
    /// # Safety
    ///
    /// `funcs` must end with [`Func::end()`].
    pub(crate) const unsafe fn new(
        name: Option<&'static CStr>,
        funcs: &'static [Func],
        callbacks: bindings::klp_callbacks,
    ) -> Self {
        let mut obj: bindings::klp_object = zeroed();
        if let Some(name) = name {
            // CAST: as in `Func::new`.
            obj.name = char_ptr(name);
        }
        // CAST: `Func` is a transparent wrapper of `Opaque<klp_func>`, itself transparent.
        obj.funcs = funcs.as_ptr().cast::<bindings::klp_func>().cast_mut();
        obj.callbacks = callbacks;
        Self(Opaque::new(obj))
    }
}

/// The state of a module, as `struct module::state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModuleState {
    /// `MODULE_STATE_LIVE`: normal state.
    Live,
    /// `MODULE_STATE_COMING`: fully formed, running its `init`.
    Coming,
    /// `MODULE_STATE_GOING`: going away.
    Going,
    /// `MODULE_STATE_UNFORMED`: still being set up.
    Unformed,
}

/// The kernel's view of a patched object, handed to [`Callbacks`](crate::klp::Callbacks).
///
/// A callback receives it by reference, for the duration of the call only: a borrow of it is the
/// proof that the code runs in a callback, with the kernel's `klp_mutex` held, which is what
/// reaching a patch's states needs ([`Patch::state`](crate::klp::Patch::state),
/// [`ObjectRef::transition`]).
///
/// # Invariants
///
/// Wraps a `klp_object` the kernel has initialized; it is only handed out, by shared reference,
/// for the duration of a callback, which runs with `klp_mutex` held, so its fields do not change
/// meanwhile.
#[repr(transparent)]
pub(crate) struct ObjectRef(Opaque<bindings::klp_object>);

impl ObjectRef {
    /// # Safety
    ///
    /// `ptr` must point to an initialized `klp_object` that does not change for `'a`, and the
    /// caller must hold `klp_mutex` for `'a`: the kernel calls a callback so.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::klp_object) -> &'a Self {
        // SAFETY: `ObjectRef` is a transparent wrapper of `Opaque<klp_object>`, and the caller
        // guarantees the pointee is valid and stable for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    #[inline]
    fn raw(&self) -> &bindings::klp_object {
        // SAFETY: by the type invariant the object is initialized and nobody writes it while
        // `self` is borrowed.
        unsafe { &*self.0.get() }
    }

    /// The object's name: `None` for vmlinux, the module name otherwise.
    #[inline]
    pub(crate) fn name(&self) -> Option<&CStr> {
        let name = self.raw().name;
        // SAFETY: a non-NULL `name` is the NUL-terminated string of the object's static table.
        (!name.is_null()).then(|| unsafe { cstr_at(name) })
    }

    /// Whether the kernel has patched this object.
    #[inline]
    pub(crate) fn is_patched(&self) -> bool {
        self.raw().patched
    }

    /// The loaded module this object patches, with its state; `None` for vmlinux.
    #[inline]
    pub(crate) fn module(&self) -> Option<(&CStr, ModuleState)> {
        let module = self.raw().mod_;
        if module.is_null() {
            return None;
        }
        // SAFETY: the kernel sets `mod` to the loaded module while callbacks can run for the
        // object, and the module cannot go away during a callback, which holds `klp_mutex`.
        let module = unsafe { &*module };
        let state = match module.state {
            kernel::bindings::module_state_MODULE_STATE_LIVE => ModuleState::Live,
            kernel::bindings::module_state_MODULE_STATE_COMING => ModuleState::Coming,
            kernel::bindings::module_state_MODULE_STATE_GOING => ModuleState::Going,
            _ => ModuleState::Unformed,
        };
        // SAFETY: `name` is the NUL-terminated `char[MODULE_NAME_LEN]` of a live module.
        let name = unsafe { cstr_at(module.name.as_ptr()) };
        Some((name, state))
    }

    /// The transition this callback is part of: `Some` for the callbacks of vmlinux, which the
    /// kernel only calls while it enables, disables or reverts a patch. `None` for a module's:
    /// those also run when the module loads or goes away, outside any transition, and the kernel
    /// does not say which case it is.
    #[inline]
    pub(crate) fn transition(&self) -> Option<Transition<'_>> {
        // INVARIANT: vmlinux callbacks run only from `__klp_enable_patch()`,
        // `__klp_disable_patch()` and `klp_complete_transition()`, with `klp_transition_patch`
        // set and `klp_mutex` held, for as long as `self` is borrowed.
        self.name().is_none().then_some(Transition(PhantomData))
    }
}

/// Proof that a callback runs as part of a transition, with `klp_mutex` held: what
/// [`Transition::prev_state`](Transition::prev_state) needs. Obtained from
/// [`ObjectRef::transition`]; it lives no longer than the callback.
///
/// # Invariants
///
/// While `'a` lasts, `klp_transition_patch` is set and the current task holds `klp_mutex`.
#[derive(Clone, Copy)]
pub(crate) struct Transition<'a>(PhantomData<&'a ObjectRef>);
