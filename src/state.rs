// SPDX-License-Identifier: GPL-2.0

//! System states that patches set up and hand over: `struct klp_state`.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h); see also
//! `Documentation/livepatch/system-state.rst`.
//!
//! A state is declared by a [`StateId`], which fixes the type of the data the state carries, and
//! listed with its version in the patch's `states: [...]`. Its data is reachable only from
//! callbacks, where the kernel's `klp_mutex` serializes every access: [`Patch::state`] for the
//! patch's own states, [`Transition::prev_state`] for the states of the patches a transition
//! replaces. Both hand out a [`StateRef`] that cannot outlive the callback.
//!
//! [`Patch::state`]: crate::klp::Patch::state

use super::{
    bindings::{self, zeroed},
    ObjectRef, Transition,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{alloc::KBox, prelude::*, types::Opaque};

/// The data type of a state without data: not [`Send`], so a [`StateRef`] of it has no data
/// methods (they need `T: Send + 'static`: the data outlives the callback that attaches it).
pub(crate) struct NoData(PhantomData<*mut ()>);

/// A state id, with the type `T` of the data the state carries ([`NoData`] by default).
///
/// Ids are global: every patch that carries state `id` and attaches data to it must attach a
/// `T`. That is a promise the compiler cannot check across modules, hence the `unsafe`
/// constructor of a state with data.
pub(crate) struct StateId<T = NoData> {
    id: usize,
    /// Invariant in `T`: the data type is exactly the declared one.
    _data: PhantomData<fn(T) -> T>,
}

impl StateId {
    /// State `id` (non-zero), without data.
    pub(crate) const fn new(id: usize) -> Self {
        assert!(id != 0, "klp: state id 0 ends the table");
        Self {
            id,
            _data: PhantomData,
        }
    }
}

impl<T: Send + 'static> StateId<T> {
    /// State `id` (non-zero), whose data is a `KBox<T>`.
    ///
    /// # Safety
    ///
    /// Every patch module that carries state `id` and attaches data to it, in this boot, attaches
    /// a `KBox<T>` (the same `T`, or a type of the same layout and drop, in another module).
    pub(crate) const unsafe fn with_data(id: usize) -> Self {
        assert!(id != 0, "klp: state id 0 ends the table");
        Self {
            id,
            _data: PhantomData,
        }
    }
}

impl<T> StateId<T> {
    /// The numeric id.
    pub(crate) const fn id(&self) -> usize {
        self.id
    }
}

/// An entry of a patch's state table: `struct klp_state`. Built by
/// [`patch!`](macro@crate::klp::patch)'s `states: [ID => version, ...]`.
///
/// With atomic replace, the kernel refuses a patch that does not carry every state of the patches
/// it replaces (or carries one in a lower version).
#[repr(transparent)]
pub(crate) struct State(Opaque<bindings::klp_state>);

// SAFETY: Rust reaches a `State` only through `StateRef`s, which exist only in callbacks, under
// `klp_mutex`; the kernel reads it under that mutex too.
unsafe impl Sync for State {}

impl State {
    /// The all-zero entry that ends a table of states. A function, not a constant: each table
    /// needs its own instance of this interior-mutable value.
    pub(crate) const fn end() -> Self {
        Self(Opaque::new(zeroed()))
    }

    /// State `id` in version `version`.
    pub(crate) const fn new<T>(id: &StateId<T>, version: u32) -> Self {
        let mut state: bindings::klp_state = zeroed();
        state.id = id.id;
        state.version = version;
        Self(Opaque::new(state))
    }
}

/// A state of an enabled patch, as a callback sees it.
///
/// # Invariants
///
/// `raw` is an entry of the state table of a patch that stays enabled for `'a`, whose data, if
/// any, is a `KBox<T>` ([`StateId::with_data`]); for `'a` the current task holds `klp_mutex`,
/// which serializes every access to that data.
pub(crate) struct StateRef<'a, T> {
    raw: NonNull<bindings::klp_state>,
    /// Bound to the callback, like the `ObjectRef` it came from (and, like it, not `Send`).
    _callback: PhantomData<&'a ObjectRef>,
    /// Invariant in `T`, as [`StateId`].
    _data: PhantomData<fn(T) -> T>,
}

impl<'a, T> StateRef<'a, T> {
    /// # Safety
    ///
    /// `raw` must satisfy the type invariant for `'a`.
    pub(super) unsafe fn from_raw(raw: *mut bindings::klp_state) -> Option<Self> {
        // INVARIANT: the caller guarantees it.
        NonNull::new(raw).map(|raw| Self {
            raw,
            _callback: PhantomData,
            _data: PhantomData,
        })
    }

    #[inline]
    fn raw(&self) -> *mut bindings::klp_state {
        self.raw.as_ptr()
    }

    /// The state's id.
    #[inline]
    pub(crate) fn id(&self) -> usize {
        // SAFETY: by the type invariant `raw` is a valid state; `id` never changes.
        unsafe { (*self.raw()).id }
    }

    /// The state's version.
    #[inline]
    pub(crate) fn version(&self) -> u32 {
        // SAFETY: by the type invariant `raw` is a valid state; `version` never changes.
        unsafe { (*self.raw()).version }
    }
}

impl<'a, T: Send + 'static> StateRef<'a, T> {
    fn data_ptr(&self) -> *mut T {
        // SAFETY: by the type invariant `raw` is valid and `klp_mutex`, held, serializes the
        // accesses to `data`.
        unsafe { (*self.raw()).data.cast() }
    }

    fn set_data_ptr(&self, data: *mut T) {
        // SAFETY: as in `data_ptr`.
        unsafe { (*self.raw()).data = data.cast() };
    }

    /// The data attached to the state, if any. Mutate it through interior mutability (e.g. a
    /// `Cell`): callbacks never run concurrently.
    #[inline]
    pub(crate) fn data(&self) -> Option<&'a T> {
        // SAFETY: by the type invariant the data is a `KBox<T>`, alive until `take_data`, whose
        // caller promises that no reference from here is used after it.
        NonNull::new(self.data_ptr()).map(|data| unsafe { data.as_ref() })
    }

    /// Attaches `data` to the state (`klp_state::data`), for the callbacks of this patch, or of
    /// a patch that takes the state over, to find. Fails, handing `data` back, if the state has
    /// data already.
    pub(crate) fn set_data(&self, data: KBox<T>) -> Result<(), KBox<T>> {
        if !self.data_ptr().is_null() {
            return Err(data);
        }
        self.set_data_ptr(KBox::into_raw(data));
        Ok(())
    }

    /// Attaches the data of `prev` (a state of a patch being replaced, see
    /// [`Transition::prev_state`]) to this state too: the take-over of a state by a replacing
    /// patch. Fails with `EBUSY` if this state has data already.
    pub(crate) fn share_data_from(&self, prev: &StateRef<'_, T>) -> Result {
        if !self.data_ptr().is_null() {
            return Err(EBUSY);
        }
        self.set_data_ptr(prev.data_ptr());
        Ok(())
    }

    /// Detaches and returns the data attached to the state.
    ///
    /// # Safety
    ///
    /// No reference returned by [`StateRef::data`] for this data (through this state or another
    /// that shares it) is used afterwards, and no other state still shares it.
    pub(crate) unsafe fn take_data(&self) -> Option<KBox<T>> {
        let data = NonNull::new(self.data_ptr())?;
        self.set_data_ptr(core::ptr::null_mut());
        // SAFETY: by the type invariant the data came from `KBox::<T>::into_raw`; the caller
        // guarantees that nobody else owns or uses it.
        Some(unsafe { KBox::from_raw(data.as_ptr()) })
    }
}

impl<'a> Transition<'a> {
    /// The state `id` of the patches installed before the one in transition, as it replaces
    /// them: `klp_get_prev_state()`. `None` if none of them carries it.
    #[inline]
    pub(crate) fn prev_state<T>(&self, id: &StateId<T>) -> Option<StateRef<'a, T>> {
        // SAFETY: by the invariant of `Transition`, `klp_transition_patch` is set and
        // `klp_mutex`, which protects the list of patches, is held.
        let state = unsafe { bindings::klp_get_prev_state(id.id) };
        // SAFETY: a non-NULL result is an entry of the state table of an installed patch, which
        // stays installed while `klp_mutex` is held, for `'a`; its data is a `KBox<T>` by the
        // promise of `StateId::with_data`.
        unsafe { StateRef::from_raw(state) }
    }
}
