// SPDX-License-Identifier: GPL-2.0

//! Why a module cannot be converted: [`ElfError`] for what its bytes say, [`FileError`] for the
//! file that holds them.

use std::io;
use std::path::PathBuf;

use crate::x86;

/// Why a module's ELF image cannot be converted (or checked).
///
/// `section` fields name the relocation section and, after `->`, the section it applies to;
/// `offset` is the relocation's `r_offset` in that target section.
#[derive(Debug, thiserror::Error)]
pub enum ElfError {
    /// Not a 64-bit little-endian x86-64 relocatable ELF file.
    #[error("not an ELF64 little-endian x86-64 relocatable object: {what}")]
    Unsupported { what: String },

    /// The `object` crate could not read part of the file.
    #[error("malformed ELF: cannot read {what}")]
    Malformed {
        what: String,
        #[source]
        source: object::read::Error,
    },

    /// A livepatch symbol's name is one the kernel would not parse.
    #[error("symbol {index} `{symbol}`: malformed livepatch symbol name: {reason}")]
    MalformedName {
        index: usize,
        symbol: String,
        reason: &'static str,
    },

    /// A livepatch symbol that the module defines itself.
    #[error(
        "symbol {index} `{symbol}` is defined (st_shndx {shndx:#x}): a livepatch symbol must be \
         undefined and resolved by livepatch"
    )]
    DefinedSymbol {
        index: usize,
        symbol: String,
        shndx: u16,
    },

    /// Livepatch symbols in SHT_REL sections, which the kernel's x86 loader does not apply.
    #[error(
        "section {section}: SHT_REL relocation at offset {offset:#x} against `{symbol}`: \
         livepatch relocations must be SHT_RELA"
    )]
    RelSection {
        section: String,
        offset: u64,
        symbol: String,
    },

    /// A relocation section whose `sh_link` or `sh_info` does not fit the module.
    #[error("section {section}: {what}")]
    BadRelocationSection { section: String, what: String },

    /// A relocation type that `apply_relocate_add()` does not apply.
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}` has type {} \
         ({r_type}), which the kernel's apply_relocate_add() does not apply; it applies {}",
        x86::type_name(*r_type),
        x86::APPLIED_TYPES
    )]
    RelocationType {
        section: String,
        offset: u64,
        symbol: String,
        r_type: u32,
    },

    /// A module-object relocation into memory that is freed when the patch module's init ends.
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}` of module \
         {object} writes into an init section, which is freed before livepatch could apply it \
         when {object} loads"
    )]
    InitSection {
        section: String,
        offset: u64,
        symbol: String,
        object: String,
    },

    /// A module-object relocation into the per-CPU template, which the module loader copies to
    /// each CPU's area long before that module loads: the copies would never see it.
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}` of module \
         {object} writes into .data..percpu, the per-CPU template the module loader copies to \
         each CPU before livepatch could apply it when {object} loads"
    )]
    PercpuSection {
        section: String,
        offset: u64,
        symbol: String,
        object: String,
    },

    /// A module-object relocation into a section the module loader has consumed before that
    /// module loads: alternatives, jump labels, static calls, exception tables...
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}` of module \
         {object} writes into a special section, which the module loader has processed before \
         livepatch could apply it when {object} loads; module relocations may only go into \
         .text*, .rodata* and .data* (not .data..percpu)"
    )]
    SpecialSection {
        section: String,
        offset: u64,
        symbol: String,
        object: String,
    },

    /// A relocation site past its section's end.
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}` writes {size} \
         bytes past the section's end"
    )]
    SiteOutOfBounds {
        section: String,
        offset: u64,
        symbol: String,
        size: usize,
    },

    /// A relocation site that the kernel would refuse to write because it is not zero.
    #[error(
        "section {section}: relocation at offset {offset:#x} against `{symbol}`: the {size} \
         bytes at the site are {found:#x}, and apply_relocate_add() writes only into zeroed sites"
    )]
    NonzeroSite {
        section: String,
        offset: u64,
        symbol: String,
        size: usize,
        found: u64,
    },

    /// A module that has been converted and still has undefined livepatch symbols.
    #[error(
        "already converted ({evidence}) but `{symbol}` is still undefined: rebuild the module \
         and convert it once"
    )]
    PartlyConverted { evidence: String, symbol: String },

    /// A signed module: its signature would no longer match.
    #[error("carries a module signature: convert the module before signing it")]
    Signed,

    /// A section name table that the kernel would refuse.
    #[error("section {section}: the section name table {what}")]
    BadNameTable { section: String, what: &'static str },

    /// More sections than the kernel's module loader reads (it has no extended numbering).
    #[error("would have {count} sections; the module loader reads at most {max}")]
    TooManySections { count: usize, max: usize },
}

/// Why a module file could not be converted or checked.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be read.
    #[error("cannot read {}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The converted file could not be written in place.
    #[error("cannot write {}", file.display())]
    Write {
        file: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The file's contents cannot be converted.
    #[error("cannot convert {}", file.display())]
    Refused {
        file: PathBuf,
        #[source]
        source: ElfError,
    },

    /// The file's contents cannot be checked.
    #[error("cannot check {}", file.display())]
    Unreadable {
        file: PathBuf,
        #[source]
        source: ElfError,
    },

    /// `--check` found livepatch symbols that were never converted.
    #[error(
        "{}: unconverted livepatch symbol(s), run klp-convert on it: {}",
        file.display(),
        symbols.join(", ")
    )]
    Unconverted { file: PathBuf, symbols: Vec<String> },
}
