// SPDX-License-Identifier: GPL-2.0

//! Live patches: `struct klp_patch`.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)

use super::{
    bindings::{self, zeroed},
    unconverted, Object, ObjectRef, State, StateId, StateRef,
};
use kernel::{error::to_result, prelude::*, types::Opaque, ThisModule};

/// A live patch: `struct klp_patch`.
///
/// # Invariants
///
/// `raw.objs` points to a `'static` table of [`Object`]s that ends with [`Object::end()`], each of
/// whose function tables ends with [`Func::end()`](crate::klp::Func::end); `raw.states` is NULL or
/// points to a `'static` table of [`State`]s that ends with [`State::end()`], whose data, if any,
/// is of the type its [`StateId`] declares. Rust writes `raw` only in [`Patch::enable`], before
/// the kernel sees it; after that, only the kernel writes it, but for states' data, which
/// callbacks write under `klp_mutex`.
pub(crate) struct Patch {
    raw: Opaque<bindings::klp_patch>,
}

// SAFETY: `raw` is written by Rust only in `enable`, which is called at most once (its contract)
// and before the kernel sees the patch; after that only the kernel writes it, under `klp_mutex`,
// and the states' data only by callbacks, under the same mutex.
unsafe impl Sync for Patch {}

impl Patch {
    /// A patch made of `objs`, carrying `states`; with `replace`, enabling it atomically replaces
    /// every patch enabled before it.
    ///
    /// # Safety
    ///
    /// `objs` must end with [`Object::end()`], each object's functions with
    /// [`Func::end()`](crate::klp::Func::end), and `states` with [`State::end()`], each state
    /// built from the [`StateId`] that [`Patch::state`] is later given for it.
    /// [`patch!`](macro@crate::klp::patch) builds them so.
    pub(crate) const unsafe fn new(
        objs: &'static [Object],
        states: Option<&'static [State]>,
        replace: bool,
    ) -> Self {
        let mut raw: bindings::klp_patch = zeroed();
        // CAST: `Object` is a transparent wrapper of `Opaque<klp_object>`, itself transparent.
        raw.objs = objs.as_ptr().cast::<bindings::klp_object>().cast_mut();
        if let Some(states) = states {
            // CAST: `State` is a transparent wrapper of `Opaque<klp_state>`, itself transparent.
            raw.states = states.as_ptr().cast::<bindings::klp_state>().cast_mut();
        }
        raw.replace = replace;
        // This module, as a C patch's static initializer has it (`.mod = THIS_MODULE`).
        raw.mod_ = &raw mut kernel::bindings::__this_module;
        // INVARIANT: the caller guarantees the terminators.
        Self {
            raw: Opaque::new(raw),
        }
    }

    /// Registers and enables the patch: `klp_enable_patch()`. [`module!`](macro@crate::klp::module)
    /// with `patch: PATCH` calls it; a module that implements `kernel::Module` itself calls it
    /// from its `init`.
    ///
    /// Returns the kernel's error if it refuses the patch (for example `EINVAL` for a function it
    /// cannot find, `EBUSY` while another patch is in transition, or the error of a `pre_patch`
    /// callback); the module load then fails with that error. A module that still references a
    /// private symbol
    /// ([`private!`](macro@crate::klp::private)) as an undefined symbol, one that
    /// `tools/klp-convert` did not convert, is refused with `ENOEXEC` before the kernel sees it.
    ///
    /// # Safety
    ///
    /// Called at most once for a patch (a second call would write the tables the kernel now owns),
    /// from the `init` of the module `module`, as its last fallible step: once it succeeds, `init`
    /// must return `Ok`. A failed `init` frees the module, and with it the tables and the
    /// replacement functions that the kernel, now redirecting calls to them, uses.
    /// [`module!`](macro@crate::klp::module) with `patch:` makes that one call.
    #[inline]
    pub(crate) unsafe fn enable(&'static self, module: &'static ThisModule) -> Result {
        // SAFETY: the caller's contract is `enable_with`'s.
        unsafe { self.enable_with(module, None) }
    }

    /// As [`Patch::enable`], but first sets whether the patch atomically replaces the patches
    /// enabled before it, for patches that decide at load time (from a module parameter).
    ///
    /// # Safety
    ///
    /// As for [`Patch::enable`].
    #[inline]
    pub(crate) unsafe fn enable_replace(
        &'static self,
        module: &'static ThisModule,
        replace: bool,
    ) -> Result {
        // SAFETY: the caller's contract is `enable_with`'s.
        unsafe { self.enable_with(module, Some(replace)) }
    }

    /// # Safety
    ///
    /// As for [`Patch::enable`].
    #[inline]
    unsafe fn enable_with(
        &'static self,
        module: &'static ThisModule,
        replace: Option<bool>,
    ) -> Result {
        // An unconverted module's private symbols are weak references resolved to 0: the patch
        // would call or read address 0. The build converts every module; refuse one it missed.
        // SAFETY: `enable` and `enable_replace`, the only callers, run in the `init` of `module`,
        // once (their contract): the patch is not registered yet.
        if unsafe { unconverted(module) } {
            return Err(ENOEXEC);
        }
        let raw = self.raw.get();
        if let Some(replace) = replace {
            // SAFETY: this is the one call (the contract), so the kernel has not seen `raw` and
            // no other Rust code accesses it: this write does not race.
            unsafe { (*raw).replace = replace };
        }
        // SAFETY: `raw` is a `klp_patch` in writable memory that lives as long as the module, its
        // `mod` is this module (`Patch::new`; `module` is this module too, the contract) and its
        // tables are terminated (type invariant), which is all
        // `klp_enable_patch()` requires. From here on only the kernel writes it.
        to_result(unsafe { bindings::klp_enable_patch(raw) })
    }

    /// This patch's state `id`, `klp_get_state()`, for a callback: `in_callback` is the object
    /// the callback was given, and the state cannot outlive it. `None` if the patch does not
    /// carry the state.
    #[inline]
    pub(crate) fn state<'a, T>(
        &'static self,
        in_callback: &'a ObjectRef,
        id: &StateId<T>,
    ) -> Option<StateRef<'a, T>> {
        let _ = in_callback;
        // SAFETY: `klp_get_state()` only reads this patch's static state table, whose ids and
        // terminator never change.
        let state = unsafe { bindings::klp_get_state(self.raw.get(), id.id()) };
        // SAFETY: a non-NULL result is an entry of this patch's `'static` state table, whose data
        // is of the type `id` declares (type invariant); the borrow of `in_callback` proves that
        // `klp_mutex` is held for `'a`.
        unsafe { StateRef::from_raw(state) }
    }
}
