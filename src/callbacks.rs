// SPDX-License-Identifier: GPL-2.0

//! Per-object callbacks: `struct klp_callbacks`.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h); see also
//! `Documentation/livepatch/callbacks.rst`.

use super::{bindings, ObjectRef};
use kernel::{ffi::c_int, prelude::*};

/// Per-object callbacks: `struct klp_callbacks`.
///
/// The kernel calls them around (un)patching the object, in process context, with `klp_mutex`
/// held: they may sleep, and must not enable or disable patches. For a module object they also
/// run when the module loads or goes away while the patch is enabled.
///
/// Implement only the ones needed, in an `impl` marked `#[vtable]`: the kernel is handed only
/// those, as a C patch leaves the others NULL.
#[vtable]
pub(crate) trait Callbacks {
    /// Before the object is patched. An error aborts patching: `insmod` of the patch (or of the
    /// target module, if it loads later) fails with it.
    fn pre_patch(_obj: &ObjectRef) -> Result {
        Ok(())
    }
    /// After the object is patched and every task has switched to the new code.
    fn post_patch(_obj: &ObjectRef) {}
    /// Before the object is unpatched.
    fn pre_unpatch(_obj: &ObjectRef) {}
    /// After the object is unpatched and every task has switched back. Not called if
    /// `pre_patch` failed.
    fn post_unpatch(_obj: &ObjectRef) {}
}

/// The `klp_callbacks` that call the methods `C` implements.
pub(crate) const fn callbacks<C: Callbacks>() -> bindings::klp_callbacks {
    let mut callbacks: bindings::klp_callbacks = bindings::zeroed();
    if C::HAS_PRE_PATCH {
        callbacks.pre_patch = Some(pre_patch_callback::<C>);
    }
    if C::HAS_POST_PATCH {
        callbacks.post_patch = Some(post_patch_callback::<C>);
    }
    if C::HAS_PRE_UNPATCH {
        callbacks.pre_unpatch = Some(pre_unpatch_callback::<C>);
    }
    if C::HAS_POST_UNPATCH {
        callbacks.post_unpatch = Some(post_unpatch_callback::<C>);
    }
    callbacks
}

/// The `klp_callbacks` of an object without callbacks.
pub(crate) const NO_CALLBACKS: bindings::klp_callbacks = bindings::zeroed();

/// # Safety
///
/// Called by the kernel only, with a valid object and `klp_mutex` held.
unsafe extern "C" fn pre_patch_callback<C: Callbacks>(obj: *mut bindings::klp_object) -> c_int {
    // SAFETY: the kernel passes an initialized object, stable while it holds `klp_mutex`, which
    // it holds for the whole call.
    match C::pre_patch(unsafe { ObjectRef::from_raw(obj) }) {
        Ok(()) => 0,
        Err(err) => err.to_errno(),
    }
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn post_patch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::post_patch(unsafe { ObjectRef::from_raw(obj) })
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn pre_unpatch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::pre_unpatch(unsafe { ObjectRef::from_raw(obj) })
}

/// # Safety
///
/// As for `pre_patch_callback`.
unsafe extern "C" fn post_unpatch_callback<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch_callback`.
    C::post_unpatch(unsafe { ObjectRef::from_raw(obj) })
}
