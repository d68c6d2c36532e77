// SPDX-License-Identifier: GPL-2.0-or-later

//! Rust twin of `samples/livepatch/livepatch-shadow-fix1.c`.
//!
//! `livepatch-shadow-mod` leaks an allocation with every `struct dummy` it creates. This patch
//! replaces its `dummy_alloc()` to keep that allocation in a shadow variable of the dummy, and
//! its `dummy_free()` to release it: dummies created from now on no longer leak; those created
//! before still do, and say so when they are freed.

use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::bindings::{jiffies, kfree, list_head};
use kernel::ffi::{c_int, c_ulong};

#[path = "../src/klp.rs"]
mod klp;

klp::module! {
    type: LivepatchShadowFix1,
    name: "livepatch_shadow_fix1",
    license: "GPL",
    patch: PATCH,
}

/// Dummies expire after this long (`EXPIRE_PERIOD` of livepatch-shadow-mod).
const EXPIRE_MS: u32 = 12_000;

/// `struct dummy` of livepatch-shadow-mod, by its C name: tools/klp-check compares the struct a
/// replacement's pointer points to with the kernel's, by name and size.
#[allow(non_camel_case_types)]
#[repr(C)]
struct dummy {
    list: list_head,
    jiffies_expire: c_ulong,
}

/// The data of the `SV_LEAK` shadow variable: the allocation the original leaks. Shared
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
            "livepatch_fix1_dummy_leak_dtor: dummy @ {}, prevented leak @ {}\n",
            self.dummy,
            leak
        );
    }
}

// SAFETY: shadow id 1 holds a `Leak` in both fixes, the only modules that use it.
static SV_LEAK: klp::Shadow<Leak> = unsafe { klp::Shadow::new(1) };

extern "C" fn livepatch_fix1_dummy_alloc() -> *mut dummy {
    // SAFETY: `jiffies` is always readable; it changes under us, hence the volatile read.
    let now = unsafe { (&raw const jiffies).read_volatile() };
    let expire = now.wrapping_add(kernel::time::msecs_to_jiffies(EXPIRE_MS));
    let new = dummy {
        list: list_head {
            next: core::ptr::null_mut(),
            prev: core::ptr::null_mut(),
        },
        jiffies_expire: expire,
    };
    let Ok(dummy) = KBox::new(new, GFP_KERNEL) else {
        return core::ptr::null_mut();
    };
    let Ok(leak) = KBox::new(0, GFP_KERNEL) else {
        return core::ptr::null_mut();
    };
    // Patch: save the extra allocation in a shadow variable of the dummy, for dummy_free().
    let d = klp::HashedPtr::new(&*dummy);
    let leak_ptr = klp::HashedPtr::new(&*leak);
    if SV_LEAK
        .alloc(&*dummy, klp::Gfp::KERNEL, Leak { dummy: d, leak })
        .is_err()
    {
        klp::pr_err!("livepatch_fix1_dummy_alloc: failed to allocate shadow variable for the leaking pointer: dummy @ {}, leak @ {}\n", d, leak_ptr);
        return core::ptr::null_mut();
    }
    klp::pr_info!(
        "livepatch_fix1_dummy_alloc: dummy @ {}, expires @ {:x}\n",
        d,
        expire
    );
    KBox::into_raw(dummy)
}

/// # Safety
///
/// `d` is a dummy of `dummy_alloc()`, which the caller gives up, as `dummy_free()`'s callers do.
unsafe extern "C" fn livepatch_fix1_dummy_free(d: *mut dummy) {
    // Patch: release the saved allocation; dummies from before the patch have none.
    if SV_LEAK.get(d).is_some() {
        SV_LEAK.free(d);
    } else {
        klp::pr_info!(
            "livepatch_fix1_dummy_free: dummy @ {} leaked!\n",
            klp::HashedPtr::new(d)
        );
    }
    // SAFETY: `d` was allocated by a `dummy_alloc()` with kmalloc, and the caller gives it up.
    unsafe { kfree(d.cast()) };
}

klp::patch! {
    static PATCH = [
        module c"livepatch_shadow_mod": [
            // SAFETY: the prototypes of samples/livepatch/livepatch-shadow-mod.c.
            c"dummy_alloc": unsafe fn() -> *mut dummy = livepatch_fix1_dummy_alloc,
            c"dummy_free": unsafe fn(*mut dummy) = livepatch_fix1_dummy_free,
        ],
    ];
}

impl Drop for LivepatchShadowFix1 {
    fn drop(&mut self) {
        // Release the allocations of the dummies still alive.
        SV_LEAK.free_all();
    }
}
