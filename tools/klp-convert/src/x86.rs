// SPDX-License-Identifier: GPL-2.0

//! The x86-64 relocation types, as the kernel's module loader sees them.
//!
//! Livepatch hands its relocation sections to `apply_relocate_add()` (`__write_relocate_add()`
//! in `arch/x86/kernel/module.c`), which applies a few types and refuses to write over a site
//! that is not zero.

use object::elf::*;

/// How many bytes `apply_relocate_add()` writes for a relocation of type `r_type`, or `None`
/// if it does not apply that type at all.
pub fn site_size(r_type: u32) -> Option<usize> {
    match r_type {
        R_X86_64_NONE => Some(0),
        R_X86_64_PC32 | R_X86_64_PLT32 | R_X86_64_32 | R_X86_64_32S => Some(4),
        R_X86_64_64 | R_X86_64_PC64 => Some(8),
        _ => None,
    }
}

/// The types [`site_size`] accepts, for error messages.
pub const APPLIED_TYPES: &str =
    "R_X86_64_NONE, R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC64";

/// The psABI's name of relocation type `r_type`, as readelf prints it.
pub fn type_name(r_type: u32) -> &'static str {
    match r_type {
        R_X86_64_NONE => "R_X86_64_NONE",
        R_X86_64_64 => "R_X86_64_64",
        R_X86_64_PC32 => "R_X86_64_PC32",
        R_X86_64_GOT32 => "R_X86_64_GOT32",
        R_X86_64_PLT32 => "R_X86_64_PLT32",
        R_X86_64_COPY => "R_X86_64_COPY",
        R_X86_64_GLOB_DAT => "R_X86_64_GLOB_DAT",
        R_X86_64_JUMP_SLOT => "R_X86_64_JUMP_SLOT",
        R_X86_64_RELATIVE => "R_X86_64_RELATIVE",
        R_X86_64_GOTPCREL => "R_X86_64_GOTPCREL",
        R_X86_64_32 => "R_X86_64_32",
        R_X86_64_32S => "R_X86_64_32S",
        R_X86_64_16 => "R_X86_64_16",
        R_X86_64_PC16 => "R_X86_64_PC16",
        R_X86_64_8 => "R_X86_64_8",
        R_X86_64_PC8 => "R_X86_64_PC8",
        R_X86_64_DTPMOD64 => "R_X86_64_DTPMOD64",
        R_X86_64_DTPOFF64 => "R_X86_64_DTPOFF64",
        R_X86_64_TPOFF64 => "R_X86_64_TPOFF64",
        R_X86_64_TLSGD => "R_X86_64_TLSGD",
        R_X86_64_TLSLD => "R_X86_64_TLSLD",
        R_X86_64_DTPOFF32 => "R_X86_64_DTPOFF32",
        R_X86_64_GOTTPOFF => "R_X86_64_GOTTPOFF",
        R_X86_64_TPOFF32 => "R_X86_64_TPOFF32",
        R_X86_64_PC64 => "R_X86_64_PC64",
        R_X86_64_GOTOFF64 => "R_X86_64_GOTOFF64",
        R_X86_64_GOTPC32 => "R_X86_64_GOTPC32",
        R_X86_64_GOT64 => "R_X86_64_GOT64",
        R_X86_64_GOTPCREL64 => "R_X86_64_GOTPCREL64",
        R_X86_64_GOTPC64 => "R_X86_64_GOTPC64",
        R_X86_64_GOTPLT64 => "R_X86_64_GOTPLT64",
        R_X86_64_PLTOFF64 => "R_X86_64_PLTOFF64",
        R_X86_64_SIZE32 => "R_X86_64_SIZE32",
        R_X86_64_SIZE64 => "R_X86_64_SIZE64",
        R_X86_64_GOTPC32_TLSDESC => "R_X86_64_GOTPC32_TLSDESC",
        R_X86_64_TLSDESC_CALL => "R_X86_64_TLSDESC_CALL",
        R_X86_64_TLSDESC => "R_X86_64_TLSDESC",
        R_X86_64_IRELATIVE => "R_X86_64_IRELATIVE",
        R_X86_64_RELATIVE64 => "R_X86_64_RELATIVE64",
        R_X86_64_GOTPCRELX => "R_X86_64_GOTPCRELX",
        R_X86_64_REX_GOTPCRELX => "R_X86_64_REX_GOTPCRELX",
        _ => "an unknown type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applied_types_have_their_kernel_sizes() {
        assert_eq!(site_size(R_X86_64_NONE), Some(0));
        for r_type in [R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32, R_X86_64_32S] {
            assert_eq!(site_size(r_type), Some(4), "{}", type_name(r_type));
        }
        for r_type in [R_X86_64_64, R_X86_64_PC64] {
            assert_eq!(site_size(r_type), Some(8), "{}", type_name(r_type));
        }
    }

    #[test]
    fn other_types_are_not_applied() {
        for r_type in (0..=R_X86_64_REX_GOTPCRELX).chain([43, 0xffff_ffff]) {
            let applied = APPLIED_TYPES
                .split(", ")
                .any(|name| name == type_name(r_type));
            assert_eq!(site_size(r_type).is_some(), applied, "type {r_type}");
        }
    }

    #[test]
    fn names_are_readelf_names() {
        assert_eq!(type_name(R_X86_64_GOTPCREL), "R_X86_64_GOTPCREL");
        assert_eq!(type_name(R_X86_64_REX_GOTPCRELX), "R_X86_64_REX_GOTPCRELX");
        assert_eq!(type_name(1000), "an unknown type");
    }
}
