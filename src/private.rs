// SPDX-License-Identifier: GPL-2.0

//! The private symbols of the patched objects: functions and data of vmlinux or of a module that
//! the kernel does not export, reached through livepatch relocations.
//!
//! Documentation: [`Documentation/livepatch/module-elf-format.rst`](srctree/Documentation/livepatch/module-elf-format.rst)
//!
//! [`private!`] declares them. Each becomes a foreign item whose link name is the livepatch
//! symbol `.klp.sym.<object>.<name>,<sympos>`, a weak undefined symbol of the module (6.12's
//! modpost refuses a strong one). After the module is linked, `tools/klp-convert` (run by the
//! top Makefile on every module of `modules.order`) moves the relocations against these symbols
//! into `.klp.rela.<object>.<section>` sections, which the kernel applies when the object is
//! loaded: vmlinux's when the patch module loads (with its other relocations, before its `init`),
//! a module's when that module loads, before any of its replacement functions can run.

use super::{klp_elf, RawCStr};
use kernel::{bindings, ThisModule};

/// Declares private symbols of the patched objects: functions, with their C prototype, and
/// statics, with their type, of `vmlinux` or of `module "name"`. Each is then an ordinary foreign
/// item of the module that invokes the macro: calling such a function or reading such a static is
/// `unsafe`, and the author vouches, with a safety comment before each declaration, for
/// the prototype or type, taken from the kernel source.
///
/// ```ignore
/// klp::private! {
///     vmlinux: [
///         // `static int version_proc_show(struct seq_file *m, void *v)`, fs/proc/version.c.
///         fn version_proc_show(m: *mut seq_file, v: *mut c_void) -> c_int;
///         // `unsigned int saved_command_line_len`, init/main.c.
///         static saved_command_line_len: c_uint;
///     ],
///     module "klp_rs_target": [
///         // `static int value`, tests/modules/klp_rs_target_main.c.
///         "value": static target_value: c_int;
///         // `static int klp_rs_target_dup(void)`, the second of two in the module.
///         "klp_rs_target_dup" sympos 2: fn klp_rs_target_dup_b() -> c_int;
///     ],
/// }
/// ```
///
/// (`tests/modules/klp_rs_private.rs`, where each of these comments is a safety comment.)
///
/// A declaration is `fn name(args) -> ret;`, `static name: Type;` or `static mut name: Type;`,
/// with attributes (documentation) and a visibility if wanted. The symbol's name in its object is
/// the item's name, or the string before it, `"name": fn ...`, for a name that is not a Rust
/// identifier or is taken; `"name" sympos N: ...` picks the N-th symbol of an ambiguous name, as
/// in [`patch!`](macro@crate::klp::patch). Names are plain strings, not C strings: they become
/// ELF symbol names, never a C string the kernel reads.
///
/// A module's symbols exist only while that module is loaded: use them only from that object's
/// replacement functions and callbacks, which the kernel runs only then.
///
/// Compile errors: an unknown object kind, an object name with a dot or longer than 55 bytes, a
/// symbol name with a comma or more than 511 bytes, a sympos that is not a decimal number.
macro_rules! private {
    () => {
        compile_error!("klp::private!: declare at least one object: `vmlinux: [...]` or `module \"name\": [...]`");
    };
    ($($objects:tt)+) => {
        $crate::klp::__private_objects!($($objects)+);
    };
}
pub(crate) use private;

#[doc(hidden)]
macro_rules! __private_objects {
    () => {};
    (vmlinux : [$($items:tt)*] $(, $($rest:tt)*)?) => {
        $crate::klp::__private_items!("vmlinux"; $($items)*);
        $crate::klp::__private_objects!($($($rest)*)?);
    };
    (module $object:literal : [$($items:tt)*] $(, $($rest:tt)*)?) => {
        const _: () = $crate::klp::assert_private_object($object);
        $crate::klp::__private_items!($object; $($items)*);
        $crate::klp::__private_objects!($($($rest)*)?);
    };
    ($other:tt $($rest:tt)*) => {
        compile_error!(concat!(
            "klp::private!: unknown object `",
            stringify!($other),
            "`: expected `vmlinux: [...]` or `module \"name\": [...]`"
        ));
    };
}
pub(crate) use __private_objects;

#[doc(hidden)]
macro_rules! __private_items {
    ($object:literal;) => {};
    ($object:literal;
        $(#[$attr:meta])* $($name:literal $(sympos $pos:literal)? :)?
        $vis:vis fn $item:ident ($($arg:ident : $argty:ty),* $(,)?) $(-> $ret:ty)?;
        $($rest:tt)*
    ) => {
        $crate::klp::__private_item!(
            $object, [$($name)?], [$($($pos)?)?], $item;
            fn [$(#[$attr])*] $vis $item ($($arg: $argty),*) [$($ret)?]
        );
        $crate::klp::__private_items!($object; $($rest)*);
    };
    ($object:literal;
        $(#[$attr:meta])* $($name:literal $(sympos $pos:literal)? :)?
        $vis:vis static mut $item:ident : $ty:ty; $($rest:tt)*
    ) => {
        $crate::klp::__private_item!(
            $object, [$($name)?], [$($($pos)?)?], $item;
            static [$ty] $(#[$attr])* $vis static mut $item: $ty
        );
        $crate::klp::__private_items!($object; $($rest)*);
    };
    ($object:literal;
        $(#[$attr:meta])* $($name:literal $(sympos $pos:literal)? :)?
        $vis:vis static $item:ident : $ty:ty; $($rest:tt)*
    ) => {
        $crate::klp::__private_item!(
            $object, [$($name)?], [$($($pos)?)?], $item;
            static [$ty] $(#[$attr])* $vis static $item: $ty
        );
        $crate::klp::__private_items!($object; $($rest)*);
    };
    ($object:literal; $($other:tt)+) => {
        compile_error!(concat!(
            "klp::private!: expected `fn name(arg: Type, ...) -> Ret;`, `static name: Type;` or ",
            "`static mut name: Type;`, optionally after `\"name\" sympos N:`, found `",
            stringify!($($other)+),
            "`"
        ));
    };
}
pub(crate) use __private_items;

#[doc(hidden)]
macro_rules! __private_item {
    ($object:literal, [], [], $item:ident; $($decl:tt)*) => {
        $crate::klp::__private_item!(@emit $object, stringify!($item), 0; $($decl)*);
    };
    ($object:literal, [$name:literal], [], $item:ident; $($decl:tt)*) => {
        $crate::klp::__private_item!(@emit $object, $name, 0; $($decl)*);
    };
    ($object:literal, [$name:literal], [$pos:literal], $item:ident; $($decl:tt)*) => {
        const _: () = $crate::klp::assert_private_sympos(stringify!($pos));
        $crate::klp::__private_item!(@emit $object, $name, $pos; $($decl)*);
    };
    (@emit $object:literal, $name:expr, $pos:literal; $($decl:tt)*) => {
        $crate::klp::__unconverted_hook!();
        const _: () =
            $crate::klp::assert_private_symbol(concat!(".klp.sym.", $object, ".", $name, ",", $pos));
        // A weak reference: 6.12's modpost refuses a strong undefined `.klp.sym.*` symbol.
        ::core::arch::global_asm!(concat!(
            ".weak \".klp.sym.", $object, ".", $name, ",", $pos, "\""
        ));
        $crate::klp::__private_item!(
            @declare concat!(".klp.sym.", $object, ".", $name, ",", $pos),
            [$object, $name, $pos]; $($decl)*
        );
    };
    // A function is a Rust function that calls the foreign one: safe code could otherwise turn
    // the foreign item into a function pointer, which would be null until the kernel resolves
    // the symbol (in an unconverted module, or while the symbol's module is not loaded).
    (@declare $link:expr, [$object:literal, $name:expr, $pos:literal];
        fn [$($attr:tt)*] $vis:vis $item:ident ($($arg:ident : $argty:ty),*) [$($ret:ty)?]
    ) => {
        // What tools/klp-check checks against the kernel.
        const _: () = $crate::klp::__check_record!(
            PrivateFn,
            concat!($object, "\0").as_bytes(),
            concat!($name, "\0").as_bytes(),
            $pos,
            $crate::klp::witness::<unsafe extern "C" fn($($argty),*) $(-> $ret)?> as *const ()
        );
        $($attr)*
        ///
        /// # Safety
        ///
        /// The declared prototype is the private function's, its object is loaded (a module's
        /// function exists only while that module is), and the function's own preconditions
        /// hold.
        #[inline(always)]
        $vis unsafe fn $item($($arg: $argty),*) $(-> $ret)? {
            // Pointers to the kernel's types, whose bindings `improper_ctypes` flags as
            // `kernel::bindings` itself does.
            #[allow(improper_ctypes)]
            unsafe extern "C" {
                #[link_name = $link]
                fn $item($($arg: $argty),*) $(-> $ret)?;
            }
            // SAFETY: the caller upholds this function's contract, which is the private
            // function's.
            unsafe { $item($($arg),*) }
        }
    };
    // A static stays a foreign static: only `unsafe` code can read it or take a reference to it.
    (@declare $link:expr, [$object:literal, $name:expr, $pos:literal];
        static [$ty:ty] $($decl:tt)*
    ) => {
        // What tools/klp-check checks against the kernel.
        const _: () = $crate::klp::__check_record!(
            PrivateStatic,
            concat!($object, "\0").as_bytes(),
            concat!($name, "\0").as_bytes(),
            $pos,
            $crate::klp::witness::<$ty> as *const ()
        );
        // Pointers to the kernel's types, whose bindings `improper_ctypes` flags as
        // `kernel::bindings` itself does.
        #[allow(improper_ctypes)]
        unsafe extern "C" {
            #[link_name = $link]
            $($decl)*;
        }
    };
}
pub(crate) use __private_item;

/// Fails compilation unless `name` is a module name a livepatch symbol can carry.
#[doc(hidden)]
pub(crate) const fn assert_private_object(name: &str) {
    if let Some(err) = klp_elf::object_name_error(name) {
        panic!("{}", err);
    }
}

/// Fails compilation unless `pos`, a sympos as written, is a plain decimal number: `concat!`
/// would write `2usize` or `0x2` into the symbol's name as they are.
#[doc(hidden)]
pub(crate) const fn assert_private_sympos(pos: &str) {
    if let Some(err) = klp_elf::sympos_error(pos) {
        panic!("{}", err);
    }
}

/// Fails compilation unless `full` is a livepatch symbol's name the kernel accepts.
#[doc(hidden)]
pub(crate) const fn assert_private_symbol(full: &str) {
    if let Some(err) = klp_elf::sym_name_error(full) {
        panic!("{}", err);
    }
}

// The check of unconverted symbols, in the modules that need it: `private!`, the only source of
// livepatch symbols, points `__klp_rs_unconverted_check` at `unconverted_check`, once, and this
// weak reference reads 0 in a module without private symbols, which then carries no check.
core::arch::global_asm!(".weak __klp_rs_unconverted_check");

/// Whether `module` still has an undefined livepatch symbol ([`unconverted_check`], which says
/// which in the kernel log), in a module with private symbols; `false` in a module without.
///
/// # Safety
///
/// As for [`unconverted_check`].
#[inline]
pub(crate) unsafe fn unconverted(module: &'static ThisModule) -> bool {
    let check: usize;
    // The weak symbol's address, 0 if nothing defines it, as an immediate (a module's addresses
    // are in the top 2 GiB, `-mcmodel=kernel`): read in assembly, where the compiler cannot
    // assume that a symbol's address is never 0.
    // SAFETY: loads a constant into a register, touching neither memory nor the stack.
    unsafe {
        core::arch::asm!(
            "mov {check}, offset __klp_rs_unconverted_check",
            check = out(reg) check,
            options(pure, nomem, nostack, preserves_flags),
        )
    };
    if check == 0 {
        return false;
    }
    // SAFETY: a defined `__klp_rs_unconverted_check` is `unconverted_check` (`private!`).
    let check: unsafe extern "C" fn(*mut bindings::module) -> bool =
        unsafe { core::mem::transmute(check) };
    // SAFETY: the caller's contract.
    unsafe { check(module.as_ptr()) }
}

/// `private!` points `__klp_rs_unconverted_check` here: one symbol, whatever the count of
/// `private!` invocations (`.ifndef`).
#[doc(hidden)]
macro_rules! __unconverted_hook {
    () => {
        ::core::arch::global_asm!(
            ".ifndef __klp_rs_unconverted_check",
            ".set __klp_rs_unconverted_check, {check}",
            ".endif",
            check = sym $crate::klp::unconverted_check,
        );
    };
}
pub(crate) use __unconverted_hook;

/// Whether `module` has a livepatch symbol that is still undefined, which it then names in the
/// kernel log: the module was not converted by `tools/klp-convert`, and every private symbol
/// would read as address 0.
///
/// Livepatch modules keep their complete symbol table (`layout_symtab()` keeps every symbol of a
/// module with `livepatch=Y`, in order), so this sees every symbol the module references.
///
/// # Safety
///
/// `module` is the calling module, loaded, and its patch is not registered with the kernel yet:
/// from `klp_enable_patch()` on, livepatch writes the `st_value` of the module's livepatch symbols
/// in that same table, under its `klp_mutex`, whenever a patched module loads.
pub(crate) unsafe extern "C" fn unconverted_check(raw: *mut bindings::module) -> bool {
    if raw.is_null() {
        return false;
    }
    // SAFETY: `raw` is this module, loaded; the loader filled its `core_kallsyms` before running
    // its `init`, and it lives as long as the module.
    let kallsyms = unsafe { &(*raw).core_kallsyms };
    let prefix = klp_elf::SYM_PREFIX.as_bytes();
    // CAST: `num_symtab` is an `unsigned int` count, which fits a `usize`.
    for i in 0..kallsyms.num_symtab as usize {
        // SAFETY: `symtab` holds `num_symtab` symbols; nothing writes them while the patch is not
        // registered (the caller's contract), and the fields are read through the raw pointer.
        let (shndx, name) = unsafe {
            let sym = kallsyms.symtab.add(i);
            ((*sym).st_shndx, (*sym).st_name)
        };
        if u32::from(shndx) != bindings::SHN_UNDEF {
            continue;
        }
        // CAST: `st_name` is an offset into `strtab`, which fits a `usize`.
        // SAFETY: `st_name` is the offset of a NUL-terminated name in `strtab`, which lives as
        // long as the module and which nothing writes.
        let name = unsafe { kallsyms.strtab.add(name as usize) }.cast::<u8>();
        // Compared byte by byte, without measuring the name first: the first byte that differs,
        // the NUL included, ends the comparison inside the name.
        let mut j = 0;
        // SAFETY: bytes up to the first that differs from `prefix`, at the latest the name's NUL,
        // are the name's.
        while j < prefix.len() && unsafe { *name.add(j) } == prefix[j] {
            j += 1;
        }
        if j == prefix.len() {
            // SAFETY: the name is NUL-terminated and lives as long as the module.
            let name: RawCStr<'static> = unsafe { RawCStr::new(name.cast()) };
            crate::klp::pr_err!(
                "klp: {} is undefined: this module was not converted by tools/klp-convert\n",
                name
            );
            return true;
        }
    }
    false
}
