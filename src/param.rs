// SPDX-License-Identifier: GPL-2.0

//! Module parameters: `module_param()` and `module_param_array()` for Rust modules, which the
//! `module!` macro of 6.12 does not offer.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)
//!
//! [`module_param!`] declares a `static` holding the value, a `struct kernel_param` in the
//! module's `__param` section (the module loader creates
//! `/sys/module/<module>/parameters/<name>` from it, and parses `insmod` arguments into it with
//! the kernel's own `param_ops_*`), and the `parm`/`parmtype` modinfo that `modinfo` shows.

use core::{
    ffi::{c_void, CStr},
    sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering},
};

/// The kernel writes parameters under its parameter lock with plain stores of `int`/`bool`; Rust
/// reads them with relaxed atomic loads, as C code would with `READ_ONCE()`.
macro_rules! param_storage {
    ($(#[$doc:meta])* $name:ident($atomic:ty) -> $value:ty, $ops:path) => {
        $(#[$doc])*
        #[repr(transparent)]
        pub(crate) struct $name($atomic);

        // SAFETY: `$ops` parses into and prints from the `$value` at the address of a `$name`,
        // a transparent `$atomic`, which has the layout of a `$value` and tolerates the kernel's
        // plain stores under its parameter lock.
        unsafe impl ParamStorage for $name {
            const OPS: *const kernel::bindings::kernel_param_ops = &raw const $ops;
        }

        impl $name {
            #[doc(hidden)]
            pub(crate) const fn new(value: $value) -> Self {
                Self(<$atomic>::new(value))
            }

            /// The current value.
            #[inline]
            pub(crate) fn get(&self) -> $value {
                self.0.load(Ordering::Relaxed)
            }

        }
    };
}

param_storage! {
    /// An `int` module parameter.
    IntParam(AtomicI32) -> i32, kernel::bindings::param_ops_int
}

param_storage! {
    /// A `bool` module parameter.
    BoolParam(AtomicBool) -> bool, kernel::bindings::param_ops_bool
}

/// Storage that the kernel parses a module parameter into, with the `kernel_param_ops` that do
/// it: what [`module_param!`] hands the kernel as a parameter's `arg` and `ops`.
///
/// # Safety
///
/// `OPS` must parse into, and print from, exactly the storage at the address of a `Self` (the
/// `arg` the kernel passes it), and that storage must tolerate the kernel writing it with plain
/// stores while Rust reads it.
#[doc(hidden)]
pub(crate) unsafe trait ParamStorage: Sync {
    /// The kernel's operations for this storage.
    const OPS: *const kernel::bindings::kernel_param_ops;
}

/// An array-of-`int` module parameter of at most `N` elements.
pub(crate) struct IntArrayParam<const N: usize> {
    values: [AtomicI32; N],
    count: AtomicU32,
}

impl<const N: usize> IntArrayParam<N> {
    #[doc(hidden)]
    pub(crate) const fn new() -> Self {
        Self {
            values: [const { AtomicI32::new(0) }; N],
            count: AtomicU32::new(0),
        }
    }

    /// The number of values given.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        (self.count.load(Ordering::Relaxed) as usize).min(N)
    }

    /// Whether no value was given.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the `i`-th value with `new` if it is `current`; returns whether it did. Lets a
    /// module consume values atomically (the kernel only writes the array when parsing).
    #[inline]
    pub(crate) fn replace(&self, i: usize, current: i32, new: i32) -> bool {
        self.values[..self.len()].get(i).is_some_and(|v| {
            v.compare_exchange(current, new, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        })
    }

    /// The values given, in order (none if the parameter was not set).
    #[inline]
    pub(crate) fn values(&self) -> impl Iterator<Item = i32> + '_ {
        let count = (self.count.load(Ordering::Relaxed) as usize).min(N);
        self.values[..count]
            .iter()
            .map(|v| v.load(Ordering::Relaxed))
    }
}

/// `struct kparam_array`: how the kernel parses an array parameter into an [`IntArrayParam`].
#[repr(transparent)]
#[doc(hidden)]
pub(crate) struct ArrayDesc(kernel::bindings::kparam_array);

// SAFETY: the kernel only reads the descriptor; its pointers are to `'static` data.
unsafe impl Sync for ArrayDesc {}

impl ArrayDesc {
    #[doc(hidden)]
    pub(crate) const fn new<const N: usize>(param: &'static IntArrayParam<N>) -> Self {
        Self(kernel::bindings::kparam_array {
            max: N as u32,
            elemsize: core::mem::size_of::<i32>() as u32,
            num: param.count.as_ptr(),
            ops: &raw const kernel::bindings::param_ops_int,
            // CAST: `AtomicI32` has the layout of `i32`.
            elem: param.values.as_ptr().cast_mut().cast(),
        })
    }
}

// SAFETY: `param_array_ops` parses into and prints from the `kparam_array` at the address of an
// `ArrayDesc` (a transparent wrapper), whose `num` and `elem` point to the atomics of an
// `IntArrayParam` with `param_ops_int`.
unsafe impl ParamStorage for ArrayDesc {
    const OPS: *const kernel::bindings::kernel_param_ops =
        &raw const kernel::bindings::param_array_ops;
}

/// A module parameter descriptor: `struct kernel_param`, placed in the `__param` section by
/// [`module_param!`].
#[repr(transparent)]
#[doc(hidden)]
pub(crate) struct ParamDesc(kernel::bindings::kernel_param);

// SAFETY: the kernel only reads the descriptor; its pointers are to `'static` data.
unsafe impl Sync for ParamDesc {}

impl ParamDesc {
    /// The parameter `name`, held in `storage`, with permissions `perm`.
    ///
    /// # Safety
    ///
    /// `module` must be this module's `__this_module`.
    #[doc(hidden)]
    pub(crate) const unsafe fn new<S: ParamStorage>(
        name: &'static CStr,
        storage: &'static S,
        perm: u16,
        module: *mut kernel::bindings::module,
    ) -> Self {
        assert_permissions(perm);
        let ops = S::OPS;
        // CAST: the kernel writes the storage only through the `ops` of `S`, which tolerates it.
        let arg = core::ptr::from_ref(storage).cast_mut().cast::<c_void>();
        Self(kernel::bindings::kernel_param {
            // CAST: the kernel's `c_char` is `u8`, `core::ffi::CStr` hands out `i8`; same bytes.
            name: super::char_ptr(name),
            mod_: module,
            ops,
            perm,
            level: -1,
            flags: 0,
            __bindgen_anon_1: kernel::bindings::kernel_param__bindgen_ty_1 { arg },
        })
    }
}

/// The rules of C's `VERIFY_OCTAL_PERMISSIONS()`, checked at compile time.
const fn assert_permissions(perm: u16) {
    assert!(perm <= 0o777, "permissions must be octal 0..=0777");
    assert!(perm & 0o002 == 0, "parameters must not be world-writable");
    assert!(
        (perm >> 6) & 4 >= (perm >> 3) & 4,
        "user must be able to read what group can"
    );
    assert!(
        (perm >> 3) & 4 >= perm & 4,
        "group must be able to read what others can"
    );
    assert!(
        (perm >> 6) & 2 >= (perm >> 3) & 2,
        "user must be able to write what group can"
    );
}

/// Declares a module parameter, as C's `module_param()`/`module_param_array()` with
/// `MODULE_PARM_DESC()`:
///
/// ```ignore
/// klp::module_param!(pre_patch_ret: i32 = 0, 0o644, "pre_patch_ret (default=0)");
/// klp::module_param!(block_transition: bool = false, 0o644, "block_transition (default=false)");
/// klp::module_param!(klp_pids: [i32; 128], 0, "Array of pids to be transitioned");
/// ```
///
/// The static is named as the parameter; read it with `.get()` (`.values()` for an array).
/// Permissions follow the rules of C's `VERIFY_OCTAL_PERMISSIONS()`, checked at compile time.
macro_rules! module_param {
    ($name:ident: i32 = $default:expr, $perm:expr, $desc:literal) => {
        #[allow(non_upper_case_globals, reason = "named as the parameter")]
        static $name: $crate::klp::IntParam = $crate::klp::IntParam::new($default);
        $crate::klp::__module_param!($name, "int", $perm, $desc, &$name);
    };
    ($name:ident: bool = $default:expr, $perm:expr, $desc:literal) => {
        #[allow(non_upper_case_globals, reason = "named as the parameter")]
        static $name: $crate::klp::BoolParam = $crate::klp::BoolParam::new($default);
        $crate::klp::__module_param!($name, "bool", $perm, $desc, &$name);
    };
    ($name:ident: [i32; $max:expr], $perm:expr, $desc:literal) => {
        #[allow(non_upper_case_globals, reason = "named as the parameter")]
        static $name: $crate::klp::IntArrayParam<{ $max }> = $crate::klp::IntArrayParam::new();
        $crate::klp::__module_param!($name, "array of int", $perm, $desc, {
            static ARRAY: $crate::klp::ArrayDesc = $crate::klp::ArrayDesc::new(&$name);
            &ARRAY
        });
    };
}
pub(crate) use module_param;

/// The `struct kernel_param` of the parameter `$name` held in `$storage` (a `&'static` to a
/// [`ParamStorage`]), and its modinfo.
#[doc(hidden)]
macro_rules! __module_param {
    ($name:ident, $type:literal, $perm:expr, $desc:literal, $storage:expr) => {
        const _: () = {
            unsafe extern "C" {
                #[allow(improper_ctypes, reason = "only its address is taken")]
                static __this_module: kernel::types::Opaque<kernel::bindings::module>;
            }
            const PERM: u16 = $perm;
            const NAME: &::core::ffi::CStr = match ::core::ffi::CStr::from_bytes_with_nul(
                concat!(stringify!($name), "\0").as_bytes(),
            ) {
                Ok(name) => name,
                Err(_) => panic!("parameter names cannot contain NUL"),
            };
            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: $crate::klp::ParamDesc = {
                let storage = $storage;
                // SAFETY: `__this_module` is this module.
                unsafe { $crate::klp::ParamDesc::new(NAME, storage, PERM, __this_module.get()) }
            };
        };
        $crate::klp::modinfo!("parmtype=", stringify!($name), ":", $type);
        $crate::klp::modinfo!("parm=", stringify!($name), ":", $desc);
    };
}
pub(crate) use __module_param;
