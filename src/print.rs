// SPDX-License-Identifier: GPL-2.0

//! Printing as C code does: kernel addresses hashed ([`HashedPtr`]), and messages through
//! printk's own formatting ([`pr_info!`] and its siblings), with formats converted at compile
//! time ([`printk_fmt`](super::printk_fmt)).

use super::printk_fmt::convert;
pub(crate) use super::printk_fmt::{converted_len, Conv};
use core::{
    ffi::{c_void, CStr},
    fmt,
    marker::PhantomData,
};
use kernel::ffi::{c_char, c_int, c_long, c_uint, c_ulong};

/// An address that displays as printk's `%p` does: hashed, so that logs do not leak kernel
/// addresses, and identical to what C code prints for the same pointer in the same boot.
///
/// `repr(transparent)`: patches share it in `repr(C)` data across modules.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct HashedPtr(usize);

impl HashedPtr {
    /// The address of `ptr`.
    pub(crate) fn new<T>(ptr: *const T) -> Self {
        Self(ptr as usize)
    }
}

impl fmt::Display for HashedPtr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: `%p` takes any pointer and only prints its (hashed) value.
        unsafe { write_printk(f, c"%p", self.0 as *const c_void) }
    }
}

/// Implements the kernel's own `Display` for a type that implements `core::fmt::Display`, on
/// kernels whose `pr_*!` format through it (`rust/kernel/fmt.rs`, since 6.18): klp-rs.kbuild
/// passes `--cfg klp_kernel_fmt` when KDIR has that file. Elsewhere it expands to nothing.
macro_rules! kernel_display {
    ($type:ty) => {
        #[cfg(klp_kernel_fmt)]
        impl kernel::fmt::Display for $type {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(self, f)
            }
        }
    };
}
pub(crate) use kernel_display;
kernel_display!(HashedPtr);

/// Writes to `f` what printk prints for the format `fmt` with the one argument `arg` (at most
/// 127 bytes): how Rust values display as C code logs them.
///
/// # Safety
///
/// `fmt` must hold exactly one conversion, and `arg` must be what that conversion takes (for
/// `%p`, any pointer; for `%pGg`, a valid pointer to a `gfp_t`; for `%s`, a valid NUL-terminated
/// string).
#[inline]
pub(crate) unsafe fn write_printk(
    f: &mut fmt::Formatter<'_>,
    fmt: &CStr,
    arg: *const c_void,
) -> fmt::Result {
    let mut buf = [0u8; 128];
    // SAFETY: `buf` is writable for its length, `fmt` is NUL-terminated, and the caller passes
    // the one argument its format consumes.
    let len = unsafe {
        kernel::bindings::snprintf(buf.as_mut_ptr(), buf.len(), super::char_ptr(fmt), arg)
    };
    let len = usize::try_from(len)
        .map_err(|_| fmt::Error)?
        .min(buf.len() - 1);
    f.write_str(core::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
}

/// A value the [`pr_info!`] family prints: the C value printk takes for it, whose type decides
/// the conversion (see [`Conv`]). Integers print in decimal (or hexadecimal, `{:x}`), C strings
/// as `%s`, pointers and [`HashedPtr`] hashed as `%p`, `bool` as `true`/`false`. A Rust `&str`
/// has no NUL: print a C string literal, `c"..."`, instead.
pub(crate) trait PrintArg {
    /// The C value, which may borrow this one.
    type C<'a>: CArg
    where
        Self: 'a;
    /// This value as printk takes it.
    fn to_c(&self) -> Self::C<'_>;
}

/// A C value printk takes as a variadic argument, and the conversion that reads it.
///
/// # Safety
///
/// `raw` must return a value that printk's conversion for `CONV` reads as it is passed: for
/// [`Conv::Str`], a pointer to a NUL-terminated string that lives as long as the value does.
pub(crate) unsafe trait CArg: Copy {
    /// The conversion.
    const CONV: Conv;
    /// The type passed to the variadic `_printk()`.
    type Raw;
    /// The value passed.
    fn raw(self) -> Self::Raw;
}

macro_rules! c_arg_int {
    ($($c:ty => $conv:ident, [$($rust:ty),*];)*) => {$(
        // SAFETY: `Conv::$conv` reads exactly this C integer type.
        unsafe impl CArg for $c {
            const CONV: Conv = Conv::$conv;
            type Raw = $c;
            #[inline(always)]
            fn raw(self) -> $c {
                self
            }
        }
        $(
            impl PrintArg for $rust {
                type C<'a> = $c;
                #[inline(always)]
                fn to_c(&self) -> $c {
                    <$c>::from(*self)
                }
            }
        )*
    )*};
}

c_arg_int! {
    c_int => Int, [i8, i16, i32];
    c_uint => UInt, [u8, u16, u32];
    c_long => Long, [];
    c_ulong => ULong, [];
}

// CAST: 64-bit integers, `isize` and `usize` have the width of C's `long` on every 64-bit kernel
// klp-rs supports (the kernel's `c_long` is `isize` or `i64`, depending on its version).
const _: () = assert!(core::mem::size_of::<u64>() == core::mem::size_of::<c_ulong>());
const _: () = assert!(core::mem::size_of::<usize>() == core::mem::size_of::<c_ulong>());

macro_rules! print_arg_long {
    ($($rust:ty => $c:ty;)*) => {$(
        impl PrintArg for $rust {
            type C<'a> = $c;
            #[inline(always)]
            fn to_c(&self) -> $c {
                *self as $c
            }
        }
    )*};
}

print_arg_long! {
    i64 => c_long;
    isize => c_long;
    u64 => c_ulong;
    usize => c_ulong;
}

/// A C string's address, for `%s`: made only from a `&CStr`.
#[derive(Clone, Copy)]
pub(crate) struct CStrArg<'a>(&'a CStr);

// SAFETY: the pointer is a `CStr`'s, NUL-terminated, valid for as long as the value lives.
unsafe impl CArg for CStrArg<'_> {
    const CONV: Conv = Conv::Str;
    type Raw = *const c_char;
    #[inline(always)]
    fn raw(self) -> *const c_char {
        super::char_ptr(self.0)
    }
}

impl PrintArg for CStr {
    type C<'a> = CStrArg<'a>;
    #[inline(always)]
    fn to_c(&self) -> CStrArg<'_> {
        CStrArg(self)
    }
}

impl PrintArg for bool {
    type C<'a> = CStrArg<'static>;
    #[inline(always)]
    fn to_c(&self) -> CStrArg<'static> {
        CStrArg(if *self { c"true" } else { c"false" })
    }
}

/// A C string by its address, for `%s`, whose length nobody measured, borrowed for `'a`.
#[derive(Clone, Copy)]
pub(crate) struct RawCStr<'a>(*const c_char, PhantomData<&'a CStr>);

impl<'a> RawCStr<'a> {
    /// The string at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a NUL-terminated string that stays valid and unchanged for `'a`.
    pub(crate) const unsafe fn new(ptr: *const c_char) -> Self {
        Self(ptr, PhantomData)
    }
}

// SAFETY: the pointer is NUL-terminated and valid for `'a` (`RawCStr::new`), which the value
// cannot outlive.
unsafe impl CArg for RawCStr<'_> {
    const CONV: Conv = Conv::Str;
    type Raw = *const c_char;
    #[inline(always)]
    fn raw(self) -> *const c_char {
        self.0
    }
}

impl<'s> PrintArg for RawCStr<'s> {
    type C<'a>
        = RawCStr<'s>
    where
        Self: 'a;
    #[inline(always)]
    fn to_c(&self) -> RawCStr<'s> {
        *self
    }
}

/// An address for `%p`, which printk prints hashed and never dereferences.
#[derive(Clone, Copy)]
pub(crate) struct PtrArg(*const c_void);

// SAFETY: `%p` takes any pointer and only prints its hashed value.
unsafe impl CArg for PtrArg {
    const CONV: Conv = Conv::Ptr;
    type Raw = *const c_void;
    #[inline(always)]
    fn raw(self) -> *const c_void {
        self.0
    }
}

impl PrintArg for HashedPtr {
    type C<'a> = PtrArg;
    #[inline(always)]
    fn to_c(&self) -> PtrArg {
        PtrArg(self.0 as *const c_void)
    }
}

impl<T> PrintArg for *const T {
    type C<'a>
        = PtrArg
    where
        T: 'a;
    #[inline(always)]
    fn to_c(&self) -> PtrArg {
        PtrArg(self.cast())
    }
}

impl<T> PrintArg for *mut T {
    type C<'a>
        = PtrArg
    where
        T: 'a;
    #[inline(always)]
    fn to_c(&self) -> PtrArg {
        PtrArg(self.cast_const().cast())
    }
}

impl<T: PrintArg + ?Sized> PrintArg for &T {
    type C<'a>
        = T::C<'a>
    where
        Self: 'a;
    #[inline(always)]
    fn to_c(&self) -> T::C<'_> {
        (**self).to_c()
    }
}

/// The arguments of one message, a tuple of [`CArg`]s.
///
/// # Safety
///
/// `CONVS` must be the conversions of the tuple's elements, in order, and `printk` must pass
/// them to `_printk()` in that order after `fmt` and `prefix`.
pub(crate) unsafe trait CArgs {
    /// The conversions of the arguments.
    const CONVS: &'static [Conv];
    /// `_printk(fmt, prefix, args...)`.
    ///
    /// # Safety
    ///
    /// `fmt` must be a NUL-terminated printk format whose first conversion is `%s`, then
    /// `CONVS`; `prefix` a NUL-terminated string.
    unsafe fn printk(self, fmt: *const c_char, prefix: *const c_char);
}

macro_rules! c_args {
    ($(($($arg:ident),*);)*) => {$(
        // SAFETY: `CONVS` lists the elements' conversions in order, and `printk` passes them in
        // that order.
        unsafe impl<$($arg: CArg),*> CArgs for ($($arg,)*) {
            const CONVS: &'static [Conv] = &[$($arg::CONV),*];
            #[inline(always)]
            #[allow(non_snake_case, reason = "the tuple's elements, named by their types")]
            unsafe fn printk(self, fmt: *const c_char, prefix: *const c_char) {
                let ($($arg,)*) = self;
                // SAFETY: the caller's contract: the format's conversions are `%s` for `prefix`,
                // then `CONVS`, each of which reads its argument as `CArg::raw` passes it.
                unsafe { kernel::bindings::_printk(fmt, prefix $(, $arg.raw())*) };
            }
        }
    )*};
}

c_args! {
    ();
    (A);
    (A, B);
    (A, B, C);
    (A, B, C, D);
    (A, B, C, D, E);
    (A, B, C, D, E, F);
    (A, B, C, D, E, F, G);
    (A, B, C, D, E, F, G, H);
}

/// A message's Rust format, given to [`printk`] as a type ([`pr_info!`] makes one per message).
#[doc(hidden)]
pub(crate) trait PrintkFormat {
    /// The format, as written.
    const RUST: &'static str;
}

#[doc(hidden)]
pub(crate) struct Converted<F, const N: usize, const LEVEL: u8, A>(PhantomData<(F, A)>);

impl<F: PrintkFormat, const N: usize, const LEVEL: u8, A: CArgs> Converted<F, N, LEVEL, A> {
    /// The printk format, computed at compile time: a format that cannot be converted, or that
    /// disagrees with the arguments, is a compile error.
    const FMT: [u8; N] = convert::<N>(LEVEL, F::RUST, A::CONVS);
}

/// Prints a message: [`pr_info!`] and its siblings expand to a call of it.
#[doc(hidden)]
#[inline(always)]
pub(crate) fn printk<F: PrintkFormat, const N: usize, const LEVEL: u8, A: CArgs>(args: A) {
    let fmt: &'static [u8; N] = &Converted::<F, N, LEVEL, A>::FMT;
    let prefix: &'static [u8] = crate::__LOG_PREFIX;
    assert!(matches!(prefix.last(), Some(0)));
    // SAFETY: `convert` wrote a format that starts with the level and `%s`, then has a conversion
    // per argument, each `A::CONVS`'s, and ends with a NUL (`Converted::FMT`); the module's name
    // ends with a NUL (checked above, at compile time once inlined).
    unsafe { args.printk(fmt.as_ptr().cast(), prefix.as_ptr().cast()) }
}

/// Prints a message at a level: what [`pr_info!`] and its siblings expand to.
#[doc(hidden)]
macro_rules! __printk {
    ($level:literal, $fmt:literal $(, $arg:expr)* $(,)?) => {{
        struct Format;
        impl $crate::klp::PrintkFormat for Format {
            const RUST: &'static str = $fmt;
        }
        $crate::klp::printk::<Format, { $crate::klp::converted_len($fmt) }, $level, _>((
            $( $crate::klp::PrintArg::to_c(&$arg), )*
        ));
    }};
}
pub(crate) use __printk;

/// Prints an informational message, `pr_info()`, through printk's own formatting: the format is
/// converted at compile time (`{}`, `{:x}`, `{:#x}`, `{:X}`; see [`PrintArg`] for what each type
/// prints; hexadecimal as C prints it), and a format that disagrees with its arguments does not
/// compile (where the call is
/// compiled into the module: a function nothing calls is not checked). Unlike the kernel's
/// `pr_info!`, no `core::fmt` code goes into the module. The line starts with the module's name.
///
/// ```ignore
/// klp::pr_info!("{}: dummy @ {}, expires @ {:x}\n", c"dummy_alloc", ptr, expire);
/// ```
macro_rules! pr_info {
    ($($args:tt)*) => { $crate::klp::__printk!(b'6', $($args)*) };
}
pub(crate) use pr_info;

/// As [`pr_info!`], at `KERN_NOTICE`.
macro_rules! pr_notice {
    ($($args:tt)*) => { $crate::klp::__printk!(b'5', $($args)*) };
}
pub(crate) use pr_notice;

/// As [`pr_info!`], at `KERN_WARNING`.
macro_rules! pr_warn {
    ($($args:tt)*) => { $crate::klp::__printk!(b'4', $($args)*) };
}
pub(crate) use pr_warn;

/// As [`pr_info!`], at `KERN_ERR`.
macro_rules! pr_err {
    ($($args:tt)*) => { $crate::klp::__printk!(b'3', $($args)*) };
}
pub(crate) use pr_err;
