// SPDX-License-Identifier: GPL-2.0

//! `klp-check`: checks a livepatch module built with the `klp` crate against the kernel it is
//! for, before any machine loads it.
//!
//! `klp::patch!` and `klp::private!` leave one record per replaced function and per private
//! symbol in the module ([`records`]). For each, this reads the patched object (vmlinux, or the
//! target module's `.ko`) and reports, naming the patch's source line:
//!
//! - a symbol that does not exist there (and the copies the compiler renamed, if any);
//! - an ambiguous name without a sympos, with each candidate's sympos and source file, or a
//!   sympos out of range;
//! - a function where the patch wants data, or data where it wants a function;
//! - a replaced function that ftrace cannot redirect (no `__fentry__` call site: `notrace`);
//! - a function whose calling convention the compiler changed (`DW_CC_nocall`);
//! - a Rust prototype or type that differs from the kernel's at the ABI level: parameter count,
//!   each parameter's size, kind and signedness, what a pointer points to, the return type
//!   ([`types`]), read from both sides' DWARF.
//!
//! The objects are read offline: vmlinux from the kernel's build directory, modules from
//! directories searched for `<name>.ko`.

pub mod check;
pub mod dwarf;
pub mod error;
pub mod records;
pub mod target;
pub mod types;

pub use check::{sympos_choice, Checker, Finding, Objects, Report, SymposError};
pub use error::Error;
