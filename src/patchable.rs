// SPDX-License-Identifier: GPL-2.0

//! Live-patchable Rust functions: [`patchable!`] gives a Rust function the `__fentry__` call site
//! that ftrace, and with it livepatch, needs, which rustc does not emit.
//!
//! A patchable function is two functions. The one callers call, under the function's own,
//! unmangled name, is a few instructions of assembly laid out as the kernel's C compiler lays out
//! a function: `endbr64` (with `CONFIG_X86_KERNEL_IBT`), the `call __fentry__` that objtool (or,
//! where the C compiler records the call sites, this macro) records in `__mcount_loc`, then a
//! frame, a call of the body, and the return the kernel's configuration asks for (`jmp
//! __x86_return_thunk` with `CONFIG_MITIGATION_RETHUNK`, `ret; int3` with `CONFIG_MITIGATION_SLS`).
//! The body is an ordinary Rust function. The wrapper *calls* the body rather than jumping to it:
//! a task asleep in the body then has the wrapper's return address on its stack, which is what
//! the consistency model checks. With a tail jump, the transition would complete under a task
//! still running the old body.
//!
//! The unit of patching is the whole function: a live patch replaces the wrapper, and with it the
//! body; the body alone cannot be patched or stack-checked. The wrapper passes the arguments in
//! registers as it got them: it takes at most six integer or pointer arguments (the System V
//! ABI's argument registers; a seventh would be on the stack, which the wrapper's own return
//! address shifts) and returns an integer, a pointer, a `bool` or nothing. Anything else does not
//! compile: structs by value, floats, 128-bit integers, references (a C caller may pass NULL),
//! pointers to slices or trait objects (two registers each), generics (no one address to patch).
//! Only doc comments may precede the function: the macro writes the declaration Rust callers see,
//! and an attribute such as `link_name` there would bind a safe name to another symbol.
//!
//! klp-rs.kbuild reads the configuration of the kernel the module is built for into the `klp_*`
//! cfgs this file tests; `CONFIG_CFI_CLANG` (kCFI's type-hash preamble, which this wrapper
//! lacks) is refused.

/// An argument a patchable function takes in a register, as the System V ABI passes it.
///
/// # Safety
///
/// Implemented only for types passed in one general-purpose register.
#[doc(hidden)]
pub(crate) unsafe trait PatchableArg {}

/// What a patchable function returns in `rax` (or nothing).
///
/// # Safety
///
/// Implemented only for types returned in `rax`, or not at all.
#[doc(hidden)]
pub(crate) unsafe trait PatchableRet {}

/// Compiles only for a [`PatchableArg`]: `klp::patchable!` calls it for each argument's type.
#[doc(hidden)]
#[inline(always)]
pub(crate) const fn patchable_arg<T: PatchableArg>() {}

/// Compiles only for a [`PatchableRet`]: `klp::patchable!` calls it for the result's type.
#[doc(hidden)]
#[inline(always)]
pub(crate) const fn patchable_ret<T: PatchableRet>() {}

macro_rules! register_types {
    ($($t:ty),*) => {$(
        // SAFETY: an integer of at most 64 bits, a `bool` or a pointer: one register.
        unsafe impl PatchableArg for $t {}
        // SAFETY: as above, returned in `rax`.
        unsafe impl PatchableRet for $t {}
    )*};
}
register_types!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, bool);
// SAFETY: a thin pointer (`T: Sized`; a slice's or a trait object's takes two): one register.
unsafe impl<T> PatchableArg for *const T {}
// SAFETY: a thin pointer, as above: one register.
unsafe impl<T> PatchableArg for *mut T {}
// SAFETY: returned in `rax`.
unsafe impl<T> PatchableRet for *const T {}
// SAFETY: returned in `rax`.
unsafe impl<T> PatchableRet for *mut T {}
// SAFETY: nothing returned.
unsafe impl PatchableRet for () {}

/// Declares a Rust function that a live patch can replace, as it can a C function: an ftrace
/// location under the function's own, unmangled name (`available_filter_functions` lists it,
/// the function tracer traces it, `klp::patch!` and C patches name it as any function of the
/// module).
///
/// ```ignore
/// klp::patchable! {
///     /// What callers see.
///     pub fn klp_rs_sum(a: c_long, b: c_long) -> c_long {
///         a + b
///     }
/// }
/// ```
///
/// The function is `extern "C"`, called as any function, `unsafe` if declared `unsafe fn`. At
/// most six arguments, each an integer, a `bool` or a raw pointer; the result one of those or
/// nothing; no generics. See the [module documentation](self) for the layout and its reasons.
macro_rules! patchable {
    ($(#[doc = $doc:expr])* $vis:vis $(unsafe)? fn $name:ident < $($rest:tt)*) => {
        compile_error!(concat!(
            "klp::patchable!: `", stringify!($name), "` is generic: a generic function has an ",
            "instance per type, and no one address a live patch could replace"
        ));
    };
    (
        $(#[doc = $doc:expr])* $vis:vis fn $name:ident ($($arg:ident : $ty:ty),* $(,)?)
            $(-> $ret:ty)? $body:block
    ) => {
        $crate::klp::__patchable!(
            [$(#[doc = $doc])*] $vis [safe] [] $name ($($arg: $ty),*) [$($ret)?] $body
        );
    };
    (
        $(#[doc = $doc:expr])* $vis:vis unsafe fn $name:ident ($($arg:ident : $ty:ty),* $(,)?)
            $(-> $ret:ty)? $body:block
    ) => {
        $crate::klp::__patchable!(
            [$(#[doc = $doc])*] $vis [unsafe] [unsafe] $name ($($arg: $ty),*) [$($ret)?] $body
        );
    };
    ($($other:tt)*) => {
        compile_error!(
            "klp::patchable!: expected one function, `pub fn name(arg: Type, ...) -> Type { ... }` \
             (or `unsafe fn`), with named arguments, preceded by doc comments only (another \
             attribute, `link_name` say, would change what the declaration callers see binds to)"
        );
    };
}
pub(crate) use patchable;

#[doc(hidden)]
macro_rules! __patchable {
    (
        [$($meta:tt)*] $vis:vis [$safety:ident] [$($unsafe:tt)?] $name:ident
            ($($arg:ident : $ty:ty),*) [$($ret:ty)?] $body:block
    ) => {
        // The body, and what the compiler checks of the signature, in a module named after the
        // function: modules and functions do not share a namespace.
        #[doc(hidden)]
        mod $name {
            #[allow(unused_imports, reason = "the body sees what the function's scope sees")]
            use super::*;

            // Called by the wrapper only, under the function's contract.
            #[allow(
                clippy::missing_safety_doc,
                reason = "the function's own documentation states its contract"
            )]
            pub(super) $($unsafe)? extern "C" fn body($($arg: $ty),*) $(-> $ret)? $body

            const _: () = assert!(
                <[&str]>::len(&[$(stringify!($arg)),*]) <= 6,
                concat!(
                    "klp::patchable!: `", stringify!($name), "` takes more than six arguments: ",
                    "the seventh would be passed on the stack, which the wrapper's return ",
                    "address shifts"
                )
            );

            #[allow(dead_code, reason = "a check the compiler makes of the signature")]
            fn registers_only() {
                $($crate::klp::patchable_arg::<$ty>();)*
                $($crate::klp::patchable_ret::<$ret>();)?
            }
        }

        $crate::klp::__patchable_refused!();

        ::core::arch::global_asm!(
            concat!(
                ".pushsection .text.", stringify!($name), ",\"ax\",@progbits\n",
                ".globl ", stringify!($name), "\n",
                ".type ", stringify!($name), ", @function\n",
                ".p2align 4\n",
                $crate::klp::__patchable_padding!(),
                stringify!($name), ":\n",
                $crate::klp::__patchable_endbr!(),
                ".Lklp_rs_fentry_", stringify!($name), ":\n",
                "call __fentry__\n",
                $crate::klp::__patchable_mcount!(stringify!($name)),
                "push rbp\n",
                "mov rbp, rsp\n",
                "call {body}\n",
                "pop rbp\n",
                $crate::klp::__patchable_ret!(),
                ".size ", stringify!($name), ", . - ", stringify!($name), "\n",
                ".popsection\n",
            ),
            body = sym $name::body,
        );

        // The wrapper, as Rust calls it: the body's own signature, so that what it declares is
        // what the body, a Rust function, takes.
        #[allow(
            improper_ctypes,
            reason = "the body is Rust: the types are the ones it was compiled with"
        )]
        unsafe extern "C" {
            $($meta)*
            $vis $safety fn $name($($arg: $ty),*) $(-> $ret)?;
        }
    };
}
pub(crate) use __patchable;

/// `endbr64` where the kernel has indirect branch tracking (`CONFIG_X86_KERNEL_IBT`), as the C
/// compiler begins a function there.
#[cfg(klp_ibt)]
#[doc(hidden)]
macro_rules! __patchable_endbr {
    () => {
        "endbr64\n"
    };
}
#[cfg(not(klp_ibt))]
#[doc(hidden)]
macro_rules! __patchable_endbr {
    () => {
        ""
    };
}
pub(crate) use __patchable_endbr;

/// The `__mcount_loc` entry of the `call __fentry__`, where the C compiler records the call
/// sites (`CONFIG_FTRACE_MCOUNT_USE_CC`, GCC's `-mrecord-mcount`): there, objtool does not, and
/// ftrace turns the call into a NOP when the module loads. Elsewhere objtool records it and makes
/// it a NOP itself, and a second entry would give ftrace the site twice.
#[cfg(klp_mcount_cc)]
#[doc(hidden)]
macro_rules! __patchable_mcount {
    ($name:expr) => {
        concat!(
            ".pushsection __mcount_loc, \"a\", @progbits\n",
            ".balign 8\n",
            ".quad .Lklp_rs_fentry_",
            $name,
            "\n",
            ".popsection\n"
        )
    };
}
#[cfg(not(klp_mcount_cc))]
#[doc(hidden)]
macro_rules! __patchable_mcount {
    ($name:expr) => {
        ""
    };
}
pub(crate) use __patchable_mcount;

/// The return: through the return thunk with `CONFIG_MITIGATION_RETHUNK`, followed by `int3`
/// with `CONFIG_MITIGATION_SLS` otherwise, as the kernel's own `RET` (`asm/linkage.h`).
#[cfg(klp_rethunk)]
#[doc(hidden)]
macro_rules! __patchable_ret {
    () => {
        "jmp __x86_return_thunk\n"
    };
}
#[cfg(all(not(klp_rethunk), klp_sls))]
#[doc(hidden)]
macro_rules! __patchable_ret {
    () => {
        "ret\nint3\n"
    };
}
#[cfg(all(not(klp_rethunk), not(klp_sls)))]
#[doc(hidden)]
macro_rules! __patchable_ret {
    () => {
        "ret\n"
    };
}
pub(crate) use __patchable_ret;

/// The function padding before the symbol (`CONFIG_CALL_PADDING`: 16 bytes of NOPs, where the
/// kernel may put a call-depth accounting thunk, after checking that they are NOPs).
#[cfg(klp_call_padding)]
#[doc(hidden)]
macro_rules! __patchable_padding {
    () => {
        ".nops 16\n"
    };
}
#[cfg(not(klp_call_padding))]
#[doc(hidden)]
macro_rules! __patchable_padding {
    () => {
        ""
    };
}
pub(crate) use __patchable_padding;

/// A compile error on the configurations whose layout this wrapper does not follow.
#[cfg(klp_cfi)]
#[doc(hidden)]
macro_rules! __patchable_refused {
    () => {
        compile_error!(
            "klp::patchable!: this kernel has CONFIG_CFI_CLANG: its indirect callers check a type \
             hash before each function, which the wrapper does not carry yet"
        );
    };
}
#[cfg(klp_padding_unknown)]
#[doc(hidden)]
macro_rules! __patchable_refused {
    () => {
        compile_error!(
            "klp::patchable!: this kernel's CONFIG_FUNCTION_PADDING_BYTES is not 16, the only \
             padding the wrapper lays out"
        );
    };
}
#[cfg(not(any(klp_cfi, klp_padding_unknown)))]
#[doc(hidden)]
macro_rules! __patchable_refused {
    () => {};
}
pub(crate) use __patchable_refused;
