// SPDX-License-Identifier: GPL-2.0

//! The macros patch authors use: [`patch!`] declares the tables, [`module!`] the module that
//! enables them.

use super::klp_elf::bytes_eq;
use core::ffi::CStr;

/// Declares a live patch: a `static` [`Patch`](crate::klp::Patch) with its object, function and
/// state tables, and the module's `livepatch=Y` modinfo.
///
/// Each object is `vmlinux` or `module c"name"`, optionally with `(callbacks: Type)` where `Type`
/// implements [`Callbacks`](crate::klp::Callbacks), followed by its functions (possibly none).
/// Each function names the symbol it replaces (a C string literal), optionally `sympos N` for
/// the N-th symbol of an ambiguous name, gives that function's C prototype, and names the
/// replacement, an `extern "C"` function (or `unsafe extern "C"`, for one whose caller must
/// uphold something) that the macro checks against the prototype at compile time. The prototype
/// is either taken from a declaration of the original in the bindings,
/// `like(kernel::bindings::get_random_bytes)`, which needs no `unsafe` for a safe replacement
/// (`unsafe like(...)` vouches for an unsafe one, whose `# Safety` section the kernel's callers
/// must then uphold), or spelled out,
/// `unsafe fn(*mut seq_file, *mut c_void) -> c_int`: nothing checks a spelled-out prototype
/// against the kernel, so the author vouches for it with `unsafe`, and a safety comment before
/// it says where it comes from. Patch options, in any order: `replace: true` for atomic
/// replace, `states: [ID => version, ...]` where each `ID` is a
/// [`StateId`](crate::klp::StateId).
///
/// ```ignore
/// klp::patch! {
///     static PATCH = [
///         vmlinux: [
///             // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
///             c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
///                 = livepatch_cmdline_proc_show,
///         ],
///     ];
/// }
/// ```
///
/// A patch needs at least one object: an empty list is a compile error, as are a function listed
/// twice in an object, an unknown object kind or option, and a name that is not a C string.
macro_rules! patch {
    (static $patch:ident $(($($options:tt)*))? = [$(,)?];) => {
        compile_error!("klp::patch!: a patch needs at least one object (vmlinux or a module)");
    };
    (
        static $patch:ident $(($($options:tt)*))? = [
            $( $kind:ident $($objname:literal)? $((callbacks: $callbacks:ty))? : [
                $( $name:literal $(sympos $pos:literal)? :
                    $proto:ident $($proto2:ident)? ($($sig:tt)*) $(-> $ret:ty)? = $new:path
                ),* $(,)?
            ] ),+ $(,)?
        ];
    ) => {
        $crate::klp::__check_options!($($($options)*)?);

        static $patch: $crate::klp::Patch = {
            static OBJS: [$crate::klp::Object; [$(stringify!($kind)),+].len() + 1] = [
                $( {
                    // The kernel would refuse a function listed twice in an object only when
                    // creating its sysfs entry, with a warning: refuse it here instead.
                    const _: () = $crate::klp::assert_distinct_funcs(&[
                        $( ($name, $crate::klp::__or!($($pos)? ; 0)) ),*
                    ]);
                    $( const _: () = $crate::klp::assert_c_name(&$name); )*
                    #[allow(dead_code, reason = "each function's record uses it; there may be none")]
                    const OBJECT_NAME: &[u8] = $crate::klp::__object_bytes!($kind $($objname)?);
                    static FUNCS: [$crate::klp::Func;
                        <[&str]>::len(&[$(stringify!($name)),*]) + 1] = [
                        $( {
                            // What tools/klp-check checks against the kernel.
                            $crate::klp::__check_record!(
                                Replaced,
                                OBJECT_NAME,
                                ::core::ffi::CStr::to_bytes_with_nul($name),
                                $crate::klp::__or!($($pos)? ; 0),
                                $crate::klp::__witness!(
                                    $proto $($proto2)? ($($sig)*) $(-> $ret)? = $new
                                )
                            );
                            // SAFETY: `__replacement!` checked that `$new` has the C ABI and the
                            // prototype of the function it replaces, either the bindings' or the
                            // one the author vouched for with `unsafe`, and it is a function of
                            // the module, so it lives as long as the module.
                            unsafe {
                                $crate::klp::Func::new(
                                    $name,
                                    $crate::klp::__or!($($pos)? ; 0),
                                    $crate::klp::__replacement!(
                                        $name $(sympos $pos)?;
                                        $proto $($proto2)? ($($sig)*) $(-> $ret)? = $new
                                    ),
                                )
                            }
                        }, )*
                        $crate::klp::Func::end(),
                    ];
                    // SAFETY: `FUNCS` ends with `Func::end()`.
                    unsafe {
                        $crate::klp::Object::new(
                            $crate::klp::__object_name!($kind $($objname)?),
                            &FUNCS,
                            $crate::klp::__or!(
                                $($crate::klp::callbacks::<$callbacks>())? ;
                                $crate::klp::NO_CALLBACKS
                            ),
                        )
                    }
                }, )+
                $crate::klp::Object::end(),
            ];
            // SAFETY: `OBJS`, every `FUNCS` and the states table end with their terminators, and
            // each state is built from its `StateId`.
            unsafe {
                $crate::klp::Patch::new(
                    &OBJS,
                    $crate::klp::__option!(states; $($($options)*)?),
                    $crate::klp::__option!(replace; $($($options)*)?),
                )
            }
        };

        // `MODULE_INFO(livepatch, "Y")`: `klp_enable_patch()` refuses modules without it.
        $crate::klp::modinfo!("livepatch=Y");
    };
}
pub(crate) use patch;

/// Declares a patch module: the fields of the kernel's `module!` (`type`, `name`, `authors`,
/// `description`, `license`, `alias`), forwarded, and with `patch: PATCH` the module type itself,
/// whose `init` enables `PATCH` (the whole `module_init()` of most patch modules,
/// `return klp_enable_patch(&patch);` in C). Without `patch`, the module implements
/// `kernel::Module` itself, and calls the `unsafe` [`Patch::enable`](crate::klp::Patch::enable)
/// as the last fallible step of its `init`. `authors` is written into the modinfo here, so that a patch reads the
/// same whatever the kernel's `module!` calls that field.
///
/// ```ignore
/// klp::module! {
///     type: LivepatchSample,
///     name: "livepatch_sample",
///     authors: ["klp-rs"],
///     description: "Rust twin of the livepatch-sample kernel sample",
///     license: "GPL",
///     patch: PATCH,
/// }
/// ```
macro_rules! module {
    (
        type: $type:ident,
        name: $name:tt,
        $(authors: [$($author:tt),* $(,)?],)?
        $(description: $description:tt,)?
        license: $license:tt,
        $(alias: $alias:tt,)?
        $(patch: $patch:ident $(,)?)?
    ) => {
        ::kernel::prelude::module! {
            type: $type,
            name: $name,
            $(description: $description,)?
            license: $license,
            $(alias: $alias,)?
        }
        $($( $crate::klp::modinfo!("author=", $author); )*)?
        $(
            struct $type;

            impl ::kernel::Module for $type {
                // Into the kernel's `init_module()`, its only caller: no function of its own.
                #[inline(always)]
                fn init(module: &'static ::kernel::ThisModule) -> ::kernel::error::Result<Self> {
                    // SAFETY: this is the module's `init`, and it returns `Ok` once the patch is
                    // enabled.
                    unsafe { $patch.enable(module)? };
                    Ok($type)
                }
            }
        )?
    };
}
pub(crate) use module;

/// The address of the replacement `$new` of the function `$name`, checked at compile time
/// against the prototype of the function it replaces: spelled out (`unsafe fn(args) -> ret`), or
/// that of the bindings' declaration of `$name` (`like(kernel::bindings::name)`), which `$new`
/// must then share exactly, and be safe to call (`unsafe like(...)` vouches for an unsafe one).
#[doc(hidden)]
macro_rules! __replacement {
    ($name:literal $(sympos $pos:literal)?;
        unsafe fn ($($arg:ty),* $(,)?) $(-> $ret:ty)? = $new:path) => {{
        let new_func: unsafe extern "C" fn($($arg),*) $(-> $ret)? = $new;
        new_func as *const ::core::ffi::c_void
    }};
    ($name:literal $(sympos $pos:literal)?; fn ($($arg:ty),* $(,)?) $(-> $ret:ty)? = $new:path) => {
        compile_error!(concat!(
            "klp::patch!: a spelled-out prototype is a claim nothing checks: write `unsafe fn(",
            stringify!($($arg),*),
            ")",
            "` with a `// SAFETY:` comment saying where it comes from, or take it from the \
             bindings with `like(kernel::bindings::...)`"
        ))
    };
    ($name:literal; like (kernel::bindings::$original:ident) = $new:path) => {
        $crate::klp::__like_safe!($name, $original, $new)
    };
    ($name:literal; unsafe like (kernel::bindings::$original:ident) = $new:path) => {
        $crate::klp::__replacement!(@like $name, $original, $new,)
    };
    ($name:literal sympos $pos:literal; $(unsafe)? like $($rest:tt)*) => {
        compile_error!(
            "klp::patch!: `like(...)` takes the prototype of the global function the bindings \
             declare; a `sympos` picks among same-named functions, whose prototypes they do not \
             declare: spell the prototype out with `unsafe fn(...)`"
        )
    };
    ($name:literal; $(unsafe)? like $($rest:tt)*) => {
        compile_error!(concat!(
            "klp::patch!: `like` takes the bindings' declaration of the replaced function, \
             `like(kernel::bindings::name)`; found `like",
            stringify!($($rest)*),
            "`"
        ))
    };
    (@like $name:literal, $original:ident, $new:path, $($safe:ident)?) => {{
        const _: () = $crate::klp::assert_like_name($name, stringify!($original));
        // An array's elements coerce to one function pointer type: this fails, naming the first
        // parameter or return type that differs, unless `$new` has the ABI, parameters and
        // return type of the original; and it is a pointer only if `$new` is another function.
        let [_, new_func] = [kernel::bindings::$original, $new];
        $crate::klp::assert_other_function(&new_func);
        // `like` without `unsafe`: `$new` must coerce to the safe pointer type, "expected safe
        // fn, found unsafe fn" otherwise.
        $( let _ = $crate::klp::$safe(&new_func, $new); )?
        new_func as *const ::core::ffi::c_void
    }};
    ($name:literal $(sympos $pos:literal)?; $($other:tt)*) => {
        compile_error!(concat!(
            "klp::patch!: expected a prototype, `unsafe fn(...) -> ...` or \
             `like(kernel::bindings::name)`, found `",
            stringify!($($other)*),
            "`"
        ))
    };
}
pub(crate) use __replacement;

/// `like(...)` with a safe replacement, which the array in `__replacement!` unifies with the
/// bindings' `unsafe` declaration: rustc unifies function items of different safety from 1.93 on
/// (rust-lang/rust#148602). klp-rs.kbuild passes `--cfg klp_fn_lub_same_safety` to an older rustc,
/// such as the 1.85 of Debian 13's kernel, which rejects the array with "expected unsafe fn, found
/// safe fn"; there an error says why and what to write instead, and the other checks still run.
#[cfg(not(klp_fn_lub_same_safety))]
#[doc(hidden)]
macro_rules! __like_safe {
    ($name:literal, $original:ident, $new:path) => {
        $crate::klp::__replacement!(@like $name, $original, $new, safe)
    };
}
#[cfg(klp_fn_lub_same_safety)]
#[doc(hidden)]
macro_rules! __like_safe {
    ($name:literal, $original:ident, $new:path) => {{
        compile_error!(
            "klp::patch!: `like(...)` with a safe replacement needs rustc 1.93 or later, which \
             unifies it with the bindings' `unsafe` declaration; with this rustc, make the \
             replacement an `unsafe extern \"C\" fn` and write `unsafe like(...)`, or spell the \
             prototype out"
        );
        $crate::klp::__replacement!(@like $name, $original, $new, safe)
    }};
}
pub(crate) use __like_safe;

/// `vmlinux` is `None`; `module c"name"` is `Some(c"name")`.
#[doc(hidden)]
macro_rules! __object_name {
    (vmlinux) => {
        None
    };
    (module $name:literal) => {{
        const _: () = $crate::klp::assert_c_name(&$name);
        Some($name)
    }};
    ($other:ident $($name:literal)?) => {
        compile_error!(concat!(
            "klp::patch!: unknown object `",
            stringify!($other $($name)?),
            "`: expected `vmlinux` or `module c\"name\"`"
        ))
    };
}
pub(crate) use __object_name;

/// The witness of a replacement's record ([`CheckRecord`](crate::klp::CheckRecord)): the
/// spelled-out prototype as a function pointer type, or with `like(...)` the replacement itself,
/// whose prototype the bindings' declaration fixed. A type is what the compiler cannot merge away:
/// two replacements with the same code may become one function, described by one's debug info.
#[doc(hidden)]
macro_rules! __witness {
    // The replacement itself: `__replacement!` checks that it has the prototype, and its debug
    // info has the prototype's types, without a function of its own to carry them.
    (unsafe fn ($($sig:tt)*) $(-> $ret:ty)? = $new:path) => {
        $new as *const ()
    };
    ($(unsafe)? like ($($original:tt)*) = $new:path) => {
        $new as *const ()
    };
    // What `__replacement!` refuses, with its error.
    ($($other:tt)*) => {
        ::core::ptr::null()
    };
}
pub(crate) use __witness;

/// The name of an object as [`CheckRecord`](crate::klp::CheckRecord) has it, with its NUL.
#[doc(hidden)]
macro_rules! __object_bytes {
    (vmlinux) => {
        b"vmlinux\0"
    };
    (module $name:literal) => {
        ::core::ffi::CStr::to_bytes_with_nul($name)
    };
    ($($other:tt)*) => {
        b"\0"
    };
}
pub(crate) use __object_bytes;

/// The given expression if any, else the default after `;`.
#[doc(hidden)]
macro_rules! __or {
    (; $default:expr) => {
        $default
    };
    ($value:expr ; $default:expr) => {
        $value
    };
}
pub(crate) use __or;

/// Fails compilation unless the patch options are `name: value` pairs, separated by commas, each
/// a known option.
#[doc(hidden)]
macro_rules! __check_options {
    () => {};
    ($($option:ident : $value:tt),+ $(,)?) => {
        $( $crate::klp::__check_option!($option); )+
    };
    ($($malformed:tt)*) => {
        compile_error!(concat!(
            "klp::patch!: patch options are `name: value` pairs separated by commas, e.g. \
             `(replace: true, states: [ID => 1])`; found `",
            stringify!($($malformed)*),
            "`"
        ));
    };
}
pub(crate) use __check_options;

/// Fails compilation unless `$option` is a patch option.
#[doc(hidden)]
macro_rules! __check_option {
    (replace) => {};
    (states) => {};
    ($other:ident) => {
        compile_error!(concat!(
            "klp::patch!: unknown patch option `",
            stringify!($other),
            "`: expected `replace` or `states`"
        ));
    };
}
pub(crate) use __check_option;

/// The value of the patch option `$key` among `$option: $value, ...`, or its default.
#[doc(hidden)]
macro_rules! __option {
    (replace;) => {
        false
    };
    (states;) => {
        None
    };
    (replace; replace: $value:tt $(, $($rest:tt)*)?) => {
        $value
    };
    (states; states: $value:tt $(, $($rest:tt)*)?) => {
        $crate::klp::__states!($value)
    };
    ($key:ident; $other:ident: $value:tt $(, $($rest:tt)*)?) => {
        $crate::klp::__option!($key; $($($rest)*)?)
    };
    // Malformed options, which `__check_options!` reports.
    (replace; $($malformed:tt)*) => {
        false
    };
    (states; $($malformed:tt)*) => {
        None
    };
}
pub(crate) use __option;

/// `[ID => version, ...]`: a static, terminated table of [`State`](crate::klp::State)s.
#[doc(hidden)]
macro_rules! __states {
    ([$($id:expr => $version:expr),* $(,)?]) => {{
        static STATES: [$crate::klp::State; <[&str]>::len(&[$(stringify!($id)),*]) + 1] = [
            $($crate::klp::State::new(&$id, $version),)*
            $crate::klp::State::end(),
        ];
        Some(&STATES)
    }};
}
pub(crate) use __states;

/// What names a function or an object in [`patch!`]: a C string literal, `c"name"`.
#[diagnostic::on_unimplemented(
    message = "klp::patch!: `{Self}` is not a C string: name functions and modules as `c\"name\"`",
    label = "write this as a C string literal, `c\"...\"`"
)]
pub(crate) trait CName {}

impl CName for &'static CStr {}

/// Fails compilation, with [`CName`]'s message, unless `name` is a C string.
#[doc(hidden)]
pub(crate) const fn assert_c_name<N: CName>(_name: &N) {}

/// Fails compilation unless `original`, the function whose prototype `like(...)` takes, is the
/// replaced function `name`.
#[doc(hidden)]
pub(crate) const fn assert_like_name(name: &CStr, original: &str) {
    assert!(
        bytes_eq(name.to_bytes(), original.as_bytes()),
        "klp::patch!: `like(kernel::bindings::...)` must name the function it replaces"
    );
}

/// An `unsafe extern "C"` function pointer, the type of a bindings' function, which two different
/// functions of its prototype coerce to; `Safe` is the safe pointer type of the same prototype.
#[diagnostic::on_unimplemented(
    message = "klp::patch!: the replacement is the function it replaces",
    label = "a function cannot replace itself"
)]
pub(crate) trait ReplacementPtr {
    /// `extern "C" fn` of the same parameters and return type.
    type Safe;
}

macro_rules! impl_replacement_ptr {
    ($($arg:ident),*) => {
        impl<R, $($arg),*> ReplacementPtr for unsafe extern "C" fn($($arg),*) -> R {
            type Safe = extern "C" fn($($arg),*) -> R;
        }
    };
}
impl_replacement_ptr!();
impl_replacement_ptr!(A1);
impl_replacement_ptr!(A1, A2);
impl_replacement_ptr!(A1, A2, A3);
impl_replacement_ptr!(A1, A2, A3, A4);
impl_replacement_ptr!(A1, A2, A3, A4, A5);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7, A8);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7, A8, A9);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7, A8, A9, A10);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11);
impl_replacement_ptr!(A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12);

/// Fails compilation, with [`ReplacementPtr`]'s message, unless `new` is a function pointer:
/// what the original and a different replacement coerce to.
#[doc(hidden)]
pub(crate) const fn assert_other_function<P: ReplacementPtr>(_new: &P) {}

/// Fails compilation unless `new` coerces to the safe pointer type of `ptr`'s prototype: a
/// replacement that any caller may call, so that the kernel's callers of the original need to
/// uphold nothing. An `unsafe` one's `# Safety` section is a claim nothing checks.
#[doc(hidden)]
pub(crate) const fn safe<P: ReplacementPtr>(_ptr: &P, new: P::Safe) -> P::Safe {
    new
}

/// Fails compilation if two entries of `funcs` (name, sympos) are the same function. The kernel
/// names a function's sysfs entry `<name>,<sympos>` with a sympos of 0 shown as 1, so `f` and
/// `f` at sympos 1 collide there too (and are the same function when only one is called `f`).
///
/// In O(N log N): the entries are sorted by a hash of name and sympos and only neighbours with
/// the same hash are compared. Comparing every pair, a patch of 1000 functions exceeded what
/// const evaluation allows ("constant evaluation is taking a long time").
#[doc(hidden)]
pub(crate) const fn assert_distinct_funcs<const N: usize>(funcs: &[(&CStr, usize); N]) {
    let mut keys = [0u64; N];
    let mut order = [0usize; N];
    let mut i = 0;
    while i < N {
        keys[i] = func_hash(funcs[i].0.to_bytes(), sysfs_sympos(funcs[i].1));
        order[i] = i;
        i += 1;
    }
    heap_sort(&mut keys, &mut order);
    // Each run of equal hashes: every pair in it (a run is one entry, barring a collision or
    // the duplicate this looks for).
    let mut start = 0;
    while start < N {
        let mut end = start + 1;
        while end < N && keys[end] == keys[start] {
            end += 1;
        }
        let mut a = start;
        while a < end {
            let mut b = a + 1;
            while b < end {
                let (x, y) = (funcs[order[a]], funcs[order[b]]);
                assert!(
                    !(sysfs_sympos(x.1) == sysfs_sympos(y.1)
                        && bytes_eq(x.0.to_bytes(), y.0.to_bytes())),
                    "klp::patch!: the same function is listed twice in one object"
                );
                b += 1;
            }
            a += 1;
        }
        start = end;
    }
}

/// The sympos as the kernel's sysfs shows it: 0 as 1.
const fn sysfs_sympos(sympos: usize) -> usize {
    if sympos == 0 {
        1
    } else {
        sympos
    }
}

/// FNV-1a of `name`, then of `sympos`.
const fn func_hash(name: &[u8], sympos: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < name.len() {
        h = (h ^ name[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    let pos = (sympos as u64).to_le_bytes();
    let mut i = 0;
    while i < pos.len() {
        h = (h ^ pos[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// Sorts `keys` in place, ascending, and `order` with them (heap sort: const, O(N log N)).
const fn heap_sort<const N: usize>(keys: &mut [u64; N], order: &mut [usize; N]) {
    let mut i = N / 2;
    while i > 0 {
        i -= 1;
        sift_down(keys, order, i, N);
    }
    let mut end = N;
    while end > 1 {
        end -= 1;
        swap(keys, order, 0, end);
        sift_down(keys, order, 0, end);
    }
}

/// Restores the max-heap property below `root` in the first `len` entries.
const fn sift_down<const N: usize>(
    keys: &mut [u64; N],
    order: &mut [usize; N],
    mut root: usize,
    len: usize,
) {
    loop {
        let mut child = 2 * root + 1;
        if child >= len {
            return;
        }
        if child + 1 < len && keys[child + 1] > keys[child] {
            child += 1;
        }
        if keys[root] >= keys[child] {
            return;
        }
        swap(keys, order, root, child);
        root = child;
    }
}

const fn swap<const N: usize>(keys: &mut [u64; N], order: &mut [usize; N], a: usize, b: usize) {
    let k = keys[a];
    keys[a] = keys[b];
    keys[b] = k;
    let o = order[a];
    order[a] = order[b];
    order[b] = o;
}
