// SPDX-License-Identifier: GPL-2.0-or-later

//! Rust twin of `samples/livepatch/livepatch-shadow-fix2.c`.
//!
//! Extends livepatch-shadow-fix1: replaces `dummy_check()` to count, in a second shadow
//! variable, how often each dummy is checked, and `dummy_free()` to release fix1's saved
//! allocation as fix1 does and to print that count.

use kernel::alloc::KBox;
use kernel::bindings::{kfree, list_head};
use kernel::ffi::{c_int, c_ulong};

#[path = "../src/klp.rs"]
mod klp;

klp::module! {
    type: LivepatchShadowFix2,
    name: "livepatch_shadow_fix2",
    license: "GPL",
    patch: PATCH,
}

/// `struct dummy` of livepatch-shadow-mod, by its C name: tools/klp-check compares the struct a
/// replacement's pointer points to with the kernel's, by name and size.
#[allow(non_camel_case_types)]
#[repr(C)]
struct dummy {
    list: list_head,
    jiffies_expire: c_ulong,
}

/// The data of the `SV_LEAK` shadow variable, as livepatch-shadow-fix1 attaches it. Shared
/// between the two fixes, hence `repr(C)`.
#[repr(C)]
struct Leak {
    dummy: klp::HashedPtr,
    leak: KBox<c_int>,
}

impl Drop for Leak {
    fn drop(&mut self) {
        let leak = klp::HashedPtr::new(&*self.leak);
        klp::pr_info!(
            "livepatch_fix2_dummy_leak_dtor: dummy @ {}, prevented leak @ {}\n",
            self.dummy,
            leak
        );
    }
}

// SAFETY: shadow id 1 holds a `Leak` in both fixes, the only modules that use it.
static SV_LEAK: klp::Shadow<Leak> = unsafe { klp::Shadow::new(1) };
// SAFETY: shadow id 2 holds a `c_int`; only this module uses it.
static SV_COUNTER: klp::Shadow<c_int> = unsafe { klp::Shadow::new(2) };

/// # Safety
///
/// `d` is a live dummy, as `dummy_check()`'s callers pass.
unsafe extern "C" fn livepatch_fix2_dummy_check(d: *mut dummy, jiffies: c_ulong) -> bool {
    // Patch: count the checks of each dummy, attaching a counter to those without one.
    if let Ok(count) = SV_COUNTER.get_or_alloc(d, klp::Gfp::NOWAIT, 0) {
        // SAFETY: the counter lives until `dummy_free()`, which the same cleanup work calls.
        unsafe { *count.as_ptr() += 1 };
    }
    // SAFETY: `d` is a live dummy (the function's contract).
    let expire = unsafe { (*d).jiffies_expire };
    // time_after(jiffies, expire)
    (expire.wrapping_sub(jiffies) as isize) < 0
}

/// # Safety
///
/// `d` is a dummy of `dummy_alloc()`, which the caller gives up, as `dummy_free()`'s callers do.
unsafe extern "C" fn livepatch_fix2_dummy_free(d: *mut dummy) {
    let ptr = klp::HashedPtr::new(d);
    // Patch: fix1's fix of the leak.
    if SV_LEAK.get(d).is_some() {
        SV_LEAK.free(d);
    } else {
        klp::pr_info!("livepatch_fix2_dummy_free: dummy @ {} leaked!\n", ptr);
    }
    // Patch: print the final count of checks and detach the counter.
    if let Some(count) = SV_COUNTER.get(d) {
        // SAFETY: the counter is alive until the `free` below.
        let count = unsafe { *count.as_ptr() };
        klp::pr_info!(
            "livepatch_fix2_dummy_free: dummy @ {}, check counter = {}\n",
            ptr,
            count
        );
        SV_COUNTER.free(d);
    }
    // SAFETY: `d` was allocated by a `dummy_alloc()` with kmalloc, and the caller gives it up.
    unsafe { kfree(d.cast()) };
}

klp::patch! {
    static PATCH = [
        module c"livepatch_shadow_mod": [
            // SAFETY: the prototypes of samples/livepatch/livepatch-shadow-mod.c.
            c"dummy_check": unsafe fn(*mut dummy, c_ulong) -> bool = livepatch_fix2_dummy_check,
            c"dummy_free": unsafe fn(*mut dummy) = livepatch_fix2_dummy_free,
        ],
    ];
}

impl Drop for LivepatchShadowFix2 {
    fn drop(&mut self) {
        // Detach the counters still attached.
        SV_COUNTER.free_all();
    }
}
