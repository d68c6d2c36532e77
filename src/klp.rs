// SPDX-License-Identifier: GPL-2.0

//! klp-rs: kernel live patches written in Rust.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! A patch module mounts this framework at its crate root (6.12 builds one crate per module, so
//! the framework is compiled into each patch module):
//!
//! ```ignore
//! #[path = "../src/klp.rs"]
//! mod klp;
//! ```
//!
//! and declares its tables with [`patch!`]: one [`Patch`] made of [`Object`]s (vmlinux or a
//! module), each holding the [`Func`]s it replaces. The macro also emits the module's
//! `livepatch=Y` modinfo, without which the kernel refuses the patch. `init` then calls
//! [`Patch::enable`]. `patches/livepatch_sample.rs` is the complete example.
//!
//! # Lifecycle
//!
//! 1. `insmod` runs `init`, which calls [`Patch::enable`], i.e. `klp_enable_patch()`. The kernel
//!    takes a reference on the module, links the tables into its lists and into
//!    `/sys/kernel/livepatch/<module>/`, redirects the functions through ftrace and starts the
//!    transition that moves every task to the new code.
//! 2. `echo 0 > /sys/kernel/livepatch/<module>/enabled` starts the reverse transition. When it
//!    completes, the kernel unlinks the tables and drops its reference on the module.
//! 3. `rmmod` then unloads the module. While the patch is enabled, `rmmod` fails with `EBUSY`.
//!
//! Nothing here calls into klp when the module goes away: the tables are `static`, so they
//! outlive every use the kernel makes of them, and the kernel has let go of them before the
//! module can be removed.
//!
//! # Safety contract
//!
//! The tables live in writable memory and are handed to the kernel, which writes to them (it
//! embeds kobjects and list heads in them) under its `klp_mutex`. Rust code never reads or writes
//! them after [`Patch::enable`]. A replacement function must have the C prototype of the function
//! it replaces; [`patch!`] makes the patch author spell that prototype and checks the replacement
//! against it at compile time.

#![allow(
    dead_code,
    reason = "each patch module uses only part of the framework"
)]

pub(crate) mod bindings;

use core::{
    ffi::{c_void, CStr},
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{error::to_result, prelude::*, types::Opaque, ThisModule};

/// A function to replace: `struct klp_func`.
///
/// Built by [`patch!`]; a table of them ends with [`Func::END`].
#[repr(transparent)]
pub(crate) struct Func(Opaque<bindings::klp_func>);

// SAFETY: Rust code never accesses a `Func` after building it; the kernel accesses it only under
// its `klp_mutex`, once [`Patch::enable`] has handed the tables over.
unsafe impl Sync for Func {}

impl Func {
    /// The all-zero entry that ends a table of functions.
    pub(crate) const END: Self = Self(Opaque::new(zeroed_func()));

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
        let mut func = zeroed_func();
        // CAST: the kernel's `c_char` is `u8`, `core::ffi::CStr` hands out `i8`; same bytes.
        func.old_name = old_name.as_ptr().cast();
        func.old_sympos = old_sympos;
        func.new_func = new_func.cast_mut();
        Self(Opaque::new(func))
    }
}

const fn zeroed_func() -> bindings::klp_func {
    // SAFETY: `klp_func` is plain data (pointers, integers, bools, list heads, a kobject), for
    // which all-zero is valid; it is what a C static initializer leaves in the fields not named.
    unsafe { core::mem::zeroed() }
}

/// A patched object, vmlinux or a module: `struct klp_object`.
#[repr(transparent)]
pub(crate) struct Object(Opaque<bindings::klp_object>);

// SAFETY: As for `Func`: only the kernel accesses it after it is built, under `klp_mutex`.
unsafe impl Sync for Object {}

impl Object {
    /// The all-zero entry that ends a table of objects.
    pub(crate) const END: Self = Self(Opaque::new(zeroed_object()));

    /// Functions of vmlinux.
    ///
    /// `funcs` must end with [`Func::END`]; [`patch!`] builds it so.
    pub(crate) const fn vmlinux(funcs: &'static [Func]) -> Self {
        Self::new(None, funcs)
    }

    /// Functions of the module `name`. If that module is not loaded when the patch is enabled, the
    /// kernel patches it when it loads.
    ///
    /// `funcs` must end with [`Func::END`]; [`patch!`] builds it so.
    pub(crate) const fn module(name: &'static CStr, funcs: &'static [Func]) -> Self {
        Self::new(Some(name), funcs)
    }

    const fn new(name: Option<&'static CStr>, funcs: &'static [Func]) -> Self {
        let mut obj = zeroed_object();
        if let Some(name) = name {
            // CAST: as in `Func::new`.
            obj.name = name.as_ptr().cast();
        }
        // CAST: `Func` is a transparent wrapper of `Opaque<klp_func>`, itself transparent.
        obj.funcs = funcs.as_ptr().cast::<bindings::klp_func>().cast_mut();
        Self(Opaque::new(obj))
    }
}

const fn zeroed_object() -> bindings::klp_object {
    // SAFETY: `klp_object` is plain data (pointers, bools, function pointers as `Option`, list
    // heads, a kobject), for which all-zero is valid.
    unsafe { core::mem::zeroed() }
}

/// A live patch: `struct klp_patch`.
///
/// # Invariants
///
/// `raw.objs` points to a `'static` table of [`Object`]s that ends with [`Object::END`], each of
/// whose function tables ends with [`Func::END`]. Once `enable_called` is set, only the kernel
/// accesses `raw`.
pub(crate) struct Patch {
    raw: Opaque<bindings::klp_patch>,
    enable_called: AtomicBool,
}

// SAFETY: `raw` is accessed by Rust only in `enable`, once, guarded by `enable_called`; after that
// only the kernel accesses it, under `klp_mutex`.
unsafe impl Sync for Patch {}

impl Patch {
    /// A patch made of `objs`.
    ///
    /// # Safety
    ///
    /// `objs` must end with [`Object::END`] and each object's functions with [`Func::END`].
    /// [`patch!`] builds them so.
    pub(crate) const unsafe fn new(objs: &'static [Object]) -> Self {
        // SAFETY: all-zero is valid for `klp_patch` (pointers, bools, list heads, a kobject, a
        // work item and a completion that the kernel initializes in `klp_enable_patch()`).
        let mut raw: bindings::klp_patch = unsafe { core::mem::zeroed() };
        // CAST: `Object` is a transparent wrapper of `Opaque<klp_object>`, itself transparent.
        raw.objs = objs.as_ptr().cast::<bindings::klp_object>().cast_mut();
        // INVARIANT: the caller guarantees the terminators; `enable_called` starts unset.
        Self {
            raw: Opaque::new(raw),
            enable_called: AtomicBool::new(false),
        }
    }

    /// Registers and enables the patch: `klp_enable_patch()`. Call it from the module's `init`.
    ///
    /// Returns the kernel's error if it refuses the patch (for example `EINVAL` for a function it
    /// cannot find, or `EBUSY` while another patch is in transition); the module load then fails
    /// with that error. A patch can be enabled only once: a second call fails with `EBUSY`.
    pub(crate) fn enable(&'static self, module: &'static ThisModule) -> Result {
        if self.enable_called.swap(true, Ordering::AcqRel) {
            pr_err!("klp: a patch can be enabled only once\n");
            return Err(EBUSY);
        }
        let raw = self.raw.get();
        // SAFETY: `enable_called` was unset, so the kernel has not seen `raw` and no other Rust
        // code accesses it: this write does not race.
        unsafe { (*raw).mod_ = module.as_ptr() };
        // SAFETY: `raw` is a `klp_patch` in writable memory that lives as long as the module, its
        // `mod` is this module and its tables are terminated (type invariant), which is all
        // `klp_enable_patch()` requires. From here on only the kernel accesses it.
        to_result(unsafe { bindings::klp_enable_patch(raw) })
    }
}

/// Declares a live patch: a `static` [`Patch`] with its object and function tables, and the
/// module's `livepatch=Y` modinfo.
///
/// Each function names the symbol it replaces, spells that function's C prototype, and names the
/// replacement, an `extern "C"` function that the macro checks against the prototype. An optional
/// `sympos N` picks the N-th symbol of an ambiguous name. An object is `vmlinux` or
/// `module c"name"`.
///
/// ```ignore
/// klp::patch! {
///     static PATCH = [
///         vmlinux: [
///             c"cmdline_proc_show": fn(*mut seq_file, *mut c_void) -> c_int
///                 = livepatch_cmdline_proc_show,
///         ],
///     ];
/// }
/// ```
macro_rules! patch {
    (
        static $patch:ident = [
            $( $kind:ident $($objname:literal)? : [
                $( $name:literal $(sympos $pos:literal)? :
                    fn($($arg:ty),* $(,)?) $(-> $ret:ty)? = $new:path ),+ $(,)?
            ] ),+ $(,)?
        ];
    ) => {
        static $patch: $crate::klp::Patch = {
            static OBJS: [$crate::klp::Object; [$(stringify!($kind)),+].len() + 1] = [
                $( $crate::klp::__object!($kind $($objname)?, {
                    static FUNCS: [$crate::klp::Func; [$(stringify!($name)),+].len() + 1] = [
                        $( {
                            let new_func: unsafe extern "C" fn($($arg),*) $(-> $ret)? = $new;
                            // SAFETY: `new_func` has the C ABI and the prototype that the patch
                            // declares for the function it replaces, and it is a function of the
                            // module, so it lives as long as the module.
                            unsafe {
                                $crate::klp::Func::new(
                                    $name,
                                    $crate::klp::__sympos!($($pos)?),
                                    new_func as *const ::core::ffi::c_void,
                                )
                            }
                        }, )+
                        $crate::klp::Func::END,
                    ];
                    &FUNCS
                }), )+
                $crate::klp::Object::END,
            ];
            // SAFETY: `OBJS` and every `FUNCS` above end with their terminators.
            unsafe { $crate::klp::Patch::new(&OBJS) }
        };

        // `MODULE_INFO(livepatch, "Y")`: `klp_enable_patch()` refuses modules without it.
        #[link_section = ".modinfo"]
        #[used]
        static __KLP_MODINFO_LIVEPATCH: [u8; 12] = *b"livepatch=Y\0";
    };
}
pub(crate) use patch;

#[doc(hidden)]
macro_rules! __object {
    (vmlinux, $funcs:expr) => {
        $crate::klp::Object::vmlinux($funcs)
    };
    (module $name:literal, $funcs:expr) => {
        $crate::klp::Object::module($name, $funcs)
    };
}
pub(crate) use __object;

#[doc(hidden)]
macro_rules! __sympos {
    () => {
        0
    };
    ($pos:literal) => {
        $pos
    };
}
pub(crate) use __sympos;
