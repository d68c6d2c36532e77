// SPDX-License-Identifier: GPL-2.0

//! Every module the kernel could not use is refused, naming where and why.

use std::mem::offset_of;

use crate::common;
use klp_convert::klp_elf::SHN_LIVEPATCH;
use klp_convert::{ElfError, MODULE_SIG_STRING};
use object::elf::{FileHeader64, SectionHeader64, Sym64, EM_AARCH64, ET_DYN, SHT_REL};
use object::read::elf::{FileHeader as _, SectionHeader as _};
use object::LittleEndian;

const LE: LittleEndian = LittleEndian;
type Elf = FileHeader64<LittleEndian>;

/// The converter's error for `image`, which it must refuse.
fn refusal(image: &[u8]) -> ElfError {
    match klp_convert::convert(image) {
        Err(err) => err,
        Ok(converted) => panic!("converted: {:?}", converted.map(|c| c.report)),
    }
}

/// Asserts that the message of `err` names each of `parts`.
fn assert_names(err: &ElfError, parts: &[&str]) {
    let message = err.to_string();
    for part in parts {
        assert!(message.contains(part), "{message:?} does not name {part:?}");
    }
}

/// The file offset of section `name`'s header in `image`.
fn section_header_offset(image: &[u8], name: &str) -> usize {
    let header = Elf::parse(image).unwrap();
    let sections = header.sections(LE, image).unwrap();
    let index = sections
        .iter()
        .position(|section| sections.section_name(LE, section).unwrap() == name.as_bytes())
        .unwrap_or_else(|| panic!("no section {name}"));
    header.e_shoff.get(LE) as usize + index * size_of::<SectionHeader64<LittleEndian>>()
}

/// The file offset of symbol `name`'s `st_shndx` in `image`.
fn shndx_offset(image: &[u8], name: &str) -> usize {
    let header = Elf::parse(image).unwrap();
    let sections = header.sections(LE, image).unwrap();
    let symtab = sections
        .symbols(LE, image, object::elf::SHT_SYMTAB)
        .unwrap();
    let index = symtab
        .symbols()
        .iter()
        .position(|symbol| symtab.symbol_name(LE, symbol).unwrap() == name.as_bytes())
        .unwrap_or_else(|| panic!("no symbol {name}"));
    let symtab_offset = sections.iter().as_slice()[symtab.section().0].sh_offset(LE) as usize;
    symtab_offset
        + index * size_of::<Sym64<LittleEndian>>()
        + offset_of!(Sym64<LittleEndian>, st_shndx)
}

fn put(image: &mut [u8], offset: usize, bytes: &[u8]) {
    image[offset..offset + bytes.len()].copy_from_slice(bytes);
}

#[test]
fn malformed_name() {
    let err = refusal(&common::fixture("bad-name.elf"));
    assert!(matches!(err, ElfError::MalformedName { .. }), "{err:?}");
    assert_names(
        &err,
        &[".klp.sym.vmlinux.printk", "no ',<sympos>' at the end"],
    );
}

#[test]
fn relocation_type_the_kernel_does_not_apply() {
    let err = refusal(&common::fixture("bad-type.elf"));
    assert!(
        matches!(
            err,
            ElfError::RelocationType {
                r_type: 9,
                offset: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_names(
        &err,
        &[
            ".rela.text -> .text",
            "0x3",
            ".klp.sym.vmlinux.saved_command_line,0",
            "R_X86_64_GOTPCREL",
        ],
    );
}

#[test]
fn module_relocation_into_init_code() {
    let err = refusal(&common::fixture("init-module.elf"));
    assert!(matches!(err, ElfError::InitSection { .. }), "{err:?}");
    assert_names(
        &err,
        &[
            ".rela.init.text -> .init.text",
            "0x1",
            ".klp.sym.klp_rs_target.klp_rs_target_fn,0",
            "klp_rs_target",
        ],
    );
}

#[test]
fn nonzero_relocation_site() {
    let err = refusal(&common::fixture("nonzero-site.elf"));
    assert!(
        matches!(
            err,
            ElfError::NonzeroSite {
                size: 8,
                found: 0x2a,
                ..
            }
        ),
        "{err:?}"
    );
    assert_names(
        &err,
        &[".rela.data -> .data", ".klp.sym.vmlinux.jiffies,0", "0x2a"],
    );
}

#[test]
fn defined_livepatch_symbol() {
    let mut image = common::fixture("main.elf");
    let offset = shndx_offset(&image, ".klp.sym.vmlinux.jiffies,0");
    put(&mut image, offset, &6u16.to_le_bytes());
    let err = refusal(&image);
    assert!(
        matches!(err, ElfError::DefinedSymbol { shndx: 6, .. }),
        "{err:?}"
    );
    assert_names(&err, &[".klp.sym.vmlinux.jiffies,0"]);
}

#[test]
fn rel_section_with_livepatch_symbols() {
    let mut image = common::fixture("main.elf");
    let offset = section_header_offset(&image, ".rela.data")
        + offset_of!(SectionHeader64<LittleEndian>, sh_type);
    put(&mut image, offset, &SHT_REL.to_le_bytes());
    let err = refusal(&image);
    assert!(matches!(err, ElfError::RelSection { .. }), "{err:?}");
    assert_names(&err, &[".rela.data -> .data", ".klp.sym.vmlinux.jiffies,0"]);
}

#[test]
fn signed_module() {
    let mut image = common::fixture("main.elf");
    image.extend_from_slice(b"signature bytes");
    image.extend_from_slice(MODULE_SIG_STRING);
    let err = refusal(&image);
    assert!(matches!(err, ElfError::Signed), "{err:?}");
    assert_names(&err, &["before signing"]);
}

#[test]
fn signed_module_with_nothing_to_convert_is_left_alone() {
    let mut image = common::fixture("plain.elf");
    image.extend_from_slice(MODULE_SIG_STRING);
    assert!(klp_convert::convert(&image).unwrap().is_none());
}

#[test]
fn other_architecture() {
    let mut image = common::fixture("main.elf");
    put(
        &mut image,
        offset_of!(Elf, e_machine),
        &EM_AARCH64.to_le_bytes(),
    );
    let err = refusal(&image);
    assert!(matches!(err, ElfError::Unsupported { .. }), "{err:?}");
    assert_names(&err, &["e_machine is 183"]);
}

#[test]
fn not_relocatable() {
    let mut image = common::fixture("main.elf");
    put(&mut image, offset_of!(Elf, e_type), &ET_DYN.to_le_bytes());
    let err = refusal(&image);
    assert_names(&err, &["e_type is 3, not ET_REL"]);
}

#[test]
fn not_elf64_little_endian() {
    let mut image = common::fixture("main.elf");
    image[4] = object::elf::ELFCLASS32;
    assert_names(&refusal(&image), &["not ELFCLASS64"]);
    let mut image = common::fixture("main.elf");
    image[5] = object::elf::ELFDATA2MSB;
    assert_names(&refusal(&image), &["not little-endian"]);
    assert_names(&refusal(b"#!/bin/sh\n"), &["no ELF magic"]);
    assert_names(&refusal(b""), &["no ELF magic"]);
}

#[test]
fn converted_sections_beside_undefined_symbols() {
    let input = common::fixture("main.elf");
    let mut image = klp_convert::convert(&input).unwrap().unwrap().image;
    let offset = shndx_offset(&image, ".klp.sym.vmlinux.jiffies,0");
    put(&mut image, offset, &0u16.to_le_bytes());
    let err = refusal(&image);
    assert!(matches!(err, ElfError::PartlyConverted { .. }), "{err:?}");
    assert_names(
        &err,
        &[".klp.rela.vmlinux..text", ".klp.sym.vmlinux.jiffies,0"],
    );
}

#[test]
fn livepatch_symbols_beside_undefined_ones() {
    let mut image = common::fixture("main.elf");
    let offset = shndx_offset(&image, ".klp.sym.vmlinux.jiffies,0");
    put(&mut image, offset, &SHN_LIVEPATCH.to_le_bytes());
    let err = refusal(&image);
    assert!(matches!(err, ElfError::PartlyConverted { .. }), "{err:?}");
    assert_names(
        &err,
        &["`.klp.sym.vmlinux.jiffies,0` is marked SHN_LIVEPATCH"],
    );
}

#[test]
fn truncated_file() {
    let image = common::fixture("main.elf");
    let err = refusal(&image[..image.len() / 2]);
    assert!(matches!(err, ElfError::Malformed { .. }), "{err:?}");
}

#[test]
fn module_relocation_into_percpu_data() {
    let err = refusal(&common::fixture("percpu.elf"));
    assert!(matches!(err, ElfError::PercpuSection { .. }), "{err:?}");
    assert_names(
        &err,
        &[
            ".rela.data..percpu -> .data..percpu",
            "0x0",
            ".klp.sym.klp_rs_target.klp_rs_target_counter,0",
            "klp_rs_target",
        ],
    );
}

#[test]
fn vmlinux_relocation_into_percpu_data_is_converted() {
    let converted = klp_convert::convert(&common::fixture("percpu-vmlinux.elf"))
        .expect("a vmlinux relocation into .data..percpu is applied at the patch module's load")
        .expect("one relocation to convert");
    assert_eq!(
        converted.report.to_string(),
        "moved 1 relocation(s) into .klp.rela.vmlinux..data..percpu (1); \
         marked 1 livepatch symbol(s)"
    );
}

#[test]
fn module_relocation_into_special_section() {
    let err = refusal(&common::fixture("special-module.elf"));
    assert!(matches!(err, ElfError::SpecialSection { .. }), "{err:?}");
    assert_names(
        &err,
        &[
            ".rela__ex_table -> __ex_table",
            "0x0",
            ".klp.sym.klp_rs_target.klp_rs_target_fn,0",
            "klp_rs_target",
        ],
    );
}
