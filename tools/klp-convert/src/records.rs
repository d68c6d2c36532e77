// SPDX-License-Identifier: GPL-2.0

//! Keeping a module's check records out of the kernel's memory.
//!
//! `klp::patch!` and `klp::private!` describe a module to `tools/klp-check` and `klpctl` in
//! `.klp_rs.check`, with strings in `.klp_rs.check.str` (`src/record.rs`). The kernel never reads
//! them, but rustc gives a `#[link_section]` static the flags of ordinary data, `SHF_ALLOC`
//! included, so the module loader would copy them into kernel memory. Clearing `SHF_ALLOC` keeps
//! them in the file only: the loader neither lays out nor relocates a section without it
//! (`layout_sections()`, `apply_relocations()`).

use std::mem::offset_of;

use object::elf::{SectionHeader64, SHF_ALLOC};
use object::read::elf::SectionHeader as _;

use crate::elf::{Module, LE};
use crate::error::ElfError;

/// The sections of check records, which the kernel never reads.
pub const RECORD_SECTIONS: [&str; 2] = [".klp_rs.check", ".klp_rs.check.str"];

/// Clears `SHF_ALLOC` of the [`RECORD_SECTIONS`] of the module `image`, in place; returns how
/// many sections it changed (0 for a module without records, or whose records are already out).
pub fn unload_records(image: &mut [u8]) -> Result<usize, ElfError> {
    let module = Module::parse(image)?;
    let shoff = module.header.e_shoff.get(LE) as usize;
    let shentsize = usize::from(module.header.e_shentsize.get(LE));
    let mut flags_at = Vec::new();
    for (index, section) in module.sections.iter().enumerate() {
        let name = module.section_name(index)?;
        if RECORD_SECTIONS.iter().any(|r| r.as_bytes() == name)
            && section.sh_flags(LE) & u64::from(SHF_ALLOC) != 0
        {
            flags_at.push(
                shoff
                    + index * shentsize
                    + offset_of!(SectionHeader64<object::LittleEndian>, sh_flags),
            );
        }
    }
    for &at in &flags_at {
        // In bounds: `Module::parse` read this section header.
        let field: &mut [u8; 8] = (&mut image[at..at + 8]).try_into().expect("8 bytes");
        let flags = u64::from_le_bytes(*field) & !u64::from(SHF_ALLOC);
        *field = flags.to_le_bytes();
    }
    Ok(flags_at.len())
}
