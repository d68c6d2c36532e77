// SPDX-License-Identifier: GPL-2.0

//! `klp-convert`: turns a linked livepatch module's references to private kernel symbols into
//! the kernel's livepatch relocations.
//!
//! A patch written with the `klp` crate refers to a symbol that no module exports through an
//! undefined weak symbol named `.klp.sym.<object>.<name>,<sympos>`
//! ([`klp_elf::SymName`]). The module loader cannot resolve those, so after the module is
//! linked (and before it is signed) this tool rewrites it the way
//! `Documentation/livepatch/module-elf-format.rst` describes:
//!
//! - each relocation against such a symbol in a section the kernel loads moves from its
//!   `.rela.<section>` into `.klp.rela.<object>.<section>` (`SHF_ALLOC | SHF_INFO_LINK |`
//!   [`SHF_RELA_LIVEPATCH`](klp_elf::SHF_RELA_LIVEPATCH)), which livepatch applies with
//!   `apply_relocate_add()` once `<object>` is loaded (`klp_apply_section_relocs()` in
//!   `kernel/livepatch/core.c`);
//! - each such symbol gets `st_shndx` [`SHN_LIVEPATCH`](klp_elf::SHN_LIVEPATCH), so that the
//!   module loader leaves it to livepatch (`klp_resolve_symbols()`).
//!
//! The rewrite is append-only (see [`convert()`]) and refuses, with the reason, anything the
//! kernel would refuse when it applies the relocations. [`unconverted()`] is the build's check
//! that no such symbol is left undefined. Every module it is given, converted or not, also has
//! its check records kept out of kernel memory ([`unload_records()`]).

#[path = "../../../src/klp_elf.rs"]
pub mod klp_elf;

mod convert;
mod elf;
mod error;
mod file;
mod records;
mod x86;

pub use convert::{convert, unconverted, Converted, Report, SectionReport, MODULE_SIG_STRING};
pub use error::{ElfError, FileError};
pub use file::{check_file, convert_file};
pub use records::{unload_records, RECORD_SECTIONS};
