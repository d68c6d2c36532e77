// SPDX-License-Identifier: GPL-2.0

//! The conversion itself: which relocations move where, and the append-only edit that moves
//! them.
//!
//! The edit changes bytes in place only where the kernel's format asks for it (the moved
//! entries leave their `.rela.*` section, the livepatch symbols' `st_shndx`) and appends the
//! rest: the new relocation sections' contents, an extended copy of the section name table and
//! a new section header table. Every other byte stays where it was, so sections this tool does
//! not understand (debug info, `SHT_LLVM_ADDRSIG`, notes) pass through untouched.

use std::collections::HashMap;
use std::fmt;

use object::elf::{
    Rela64, SectionHeader64, Sym64, SHF_ALLOC, SHF_INFO_LINK, SHN_LORESERVE, SHN_UNDEF, SHT_NOBITS,
    SHT_REL, SHT_RELA, SHT_STRTAB,
};
use object::endian::{U32, U64};
use object::pod::{bytes_of, bytes_of_slice};
use object::read::elf::{FileHeader as _, SectionHeader as _};
use object::LittleEndian;

use crate::elf::{KlpSymbol, Module, LE};
use crate::error::ElfError;
use crate::klp_elf::{SymName, RELA_PREFIX, SHF_RELA_LIVEPATCH, SHN_LIVEPATCH};
use crate::x86;

/// What `scripts/sign-file` appends after a module's signature.
pub const MODULE_SIG_STRING: &[u8] = b"~Module signature appended~\n";

/// The size of an `Elf64_Rela`.
const RELA_SIZE: usize = size_of::<Rela64<LittleEndian>>();

/// The size of an `Elf64_Sym`.
const SYM_SIZE: usize = size_of::<Sym64<LittleEndian>>();

/// A converted module.
#[derive(Debug)]
pub struct Converted {
    /// The whole new file.
    pub image: Vec<u8>,
    pub report: Report,
}

/// What a conversion did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The livepatch relocation sections created, in section header order.
    pub sections: Vec<SectionReport>,
    /// How many livepatch symbols were marked [`SHN_LIVEPATCH`].
    pub symbols: usize,
}

/// One livepatch relocation section created by a conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionReport {
    /// `.klp.rela.<object>.<section>`.
    pub name: String,
    /// How many relocations it holds.
    pub relocations: usize,
}

impl Report {
    /// How many relocations moved.
    pub fn relocations(&self) -> usize {
        self.sections
            .iter()
            .map(|section| section.relocations)
            .sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "moved {} relocation(s)", self.relocations())?;
        for (i, section) in self.sections.iter().enumerate() {
            let separator = if i == 0 { " into " } else { ", " };
            write!(f, "{separator}{} ({})", section.name, section.relocations)?;
        }
        write!(f, "; marked {} livepatch symbol(s)", self.symbols)
    }
}

/// Converts a linked module's image; `None` if it has no undefined livepatch symbol, so that
/// there is nothing to do.
pub fn convert(data: &[u8]) -> Result<Option<Converted>, ElfError> {
    let module = Module::parse(data)?;
    let symbols = module.klp_symbols()?;
    let Some(first_undefined) = symbols.iter().find(|symbol| symbol.is_undefined()) else {
        return Ok(None);
    };
    if data.ends_with(MODULE_SIG_STRING) {
        return Err(ElfError::Signed);
    }
    refuse_partly_converted(&module, &symbols, first_undefined)?;
    let names = parse_names(&symbols)?;
    let plan = plan(&module, &names)?;
    let undefined: Vec<usize> = symbols
        .iter()
        .filter(|symbol| symbol.is_undefined())
        .map(|symbol| symbol.index)
        .collect();
    let image = write(&module, &plan, &undefined)?;
    let report = Report {
        sections: plan
            .groups
            .iter()
            .map(|group| SectionReport {
                name: String::from_utf8_lossy(&group.name).into_owned(),
                relocations: group.relas.len(),
            })
            .collect(),
        symbols: undefined.len(),
    };
    Ok(Some(Converted { image, report }))
}

/// The livepatch symbols of a module's image that are still undefined: what a conversion would
/// mark, and what the build must not sign or ship.
pub fn unconverted(data: &[u8]) -> Result<Vec<String>, ElfError> {
    Ok(Module::parse(data)?
        .klp_symbols()?
        .iter()
        .filter(|symbol| symbol.is_undefined())
        .map(KlpSymbol::display_name)
        .collect())
}

/// Refuses a module that is partly converted already: converting it again would leave
/// relocations of the first conversion next to new ones for the same symbols.
fn refuse_partly_converted(
    module: &Module<'_>,
    symbols: &[KlpSymbol<'_>],
    first_undefined: &KlpSymbol<'_>,
) -> Result<(), ElfError> {
    let evidence = if let Some(index) = module.find_section_prefixed(RELA_PREFIX)? {
        format!("it has section {}", module.describe_section(index))
    } else if let Some(symbol) = symbols.iter().find(|symbol| symbol.shndx == SHN_LIVEPATCH) {
        format!("`{}` is marked SHN_LIVEPATCH", symbol.display_name())
    } else {
        return Ok(());
    };
    Err(ElfError::PartlyConverted {
        evidence,
        symbol: first_undefined.display_name(),
    })
}

/// The livepatch symbols' names taken apart, by symbol index; refuses names the kernel would
/// not parse and livepatch symbols the module defines.
fn parse_names<'d>(symbols: &[KlpSymbol<'d>]) -> Result<HashMap<usize, SymName<'d>>, ElfError> {
    symbols
        .iter()
        .map(|symbol| {
            let name = symbol.parse_name()?;
            if symbol.shndx != SHN_UNDEF && symbol.shndx != SHN_LIVEPATCH {
                return Err(ElfError::DefinedSymbol {
                    index: symbol.index,
                    symbol: symbol.display_name(),
                    shndx: symbol.shndx,
                });
            }
            Ok((symbol.index, name))
        })
        .collect()
}

/// Which relocations move where.
struct Plan {
    /// The relocation sections that lose entries, with the entries they keep, in order.
    shrunk: Vec<(usize, Vec<Rela64<LittleEndian>>)>,
    /// The livepatch relocation sections to create, in the order their first entry was found.
    groups: Vec<Group>,
}

/// A livepatch relocation section to create: one object's relocations into one section.
struct Group {
    object: String,
    target: usize,
    /// `.klp.rela.<object>.<target's name>`.
    name: Vec<u8>,
    relas: Vec<Rela64<LittleEndian>>,
}

/// Finds the relocations against livepatch symbols in allocated sections and checks that the
/// kernel can apply each.
fn plan(module: &Module<'_>, names: &HashMap<usize, SymName<'_>>) -> Result<Plan, ElfError> {
    let symbol_name = |index: u32| names.get(&(index as usize));
    let mut plan = Plan {
        shrunk: Vec::new(),
        groups: Vec::new(),
    };
    let Some((symtab_index, _)) = &module.symtab else {
        return Ok(plan);
    };
    for (index, section) in module.sections.iter().enumerate() {
        let sh_type = section.sh_type(LE);
        if (sh_type != SHT_REL && sh_type != SHT_RELA) || section.sh_size(LE) == 0 {
            continue;
        }
        let describe = || module.describe_relocation_section(index);
        let malformed = |source| ElfError::Malformed {
            what: format!("the relocations of section {}", describe()),
            source,
        };
        let link = section.sh_link(LE) as usize;
        if link != *symtab_index {
            return Err(ElfError::BadRelocationSection {
                section: describe(),
                what: format!("sh_link {link} is not the symbol table's index {symtab_index}"),
            });
        }
        let target = section.sh_info(LE) as usize;
        if target == 0 || target >= module.sections.len() {
            return Err(ElfError::BadRelocationSection {
                section: describe(),
                what: format!("sh_info {target} is not a section"),
            });
        }
        if let Some((rels, _)) = section.rel(LE, module.data).map_err(malformed)? {
            if let Some(rel) = rels.iter().find(|rel| symbol_name(rel.r_sym(LE)).is_some()) {
                return Err(ElfError::RelSection {
                    section: describe(),
                    offset: rel.r_offset.get(LE),
                    symbol: symbol_display(module, rel.r_sym(LE)),
                });
            }
            continue;
        }
        let Some((relas, _)) = section.rela(LE, module.data).map_err(malformed)? else {
            continue;
        };
        if module.section(target).sh_flags(LE) & u64::from(SHF_ALLOC) == 0 {
            // The module loader never applies relocations to sections it does not load.
            continue;
        }
        let target_name = module.section_name(target)?;
        let mut kept = Vec::with_capacity(relas.len());
        for rela in relas {
            let offset = rela.r_offset.get(LE);
            let r_sym = rela.r_sym(LE, false);
            let Some(name) = symbol_name(r_sym) else {
                kept.push(*rela);
                continue;
            };
            let context = || (describe(), offset, symbol_display(module, r_sym));
            let r_type = rela.r_type(LE, false);
            let Some(size) = x86::site_size(r_type) else {
                let (section, offset, symbol) = context();
                return Err(ElfError::RelocationType {
                    section,
                    offset,
                    symbol,
                    r_type,
                });
            };
            if !name.is_vmlinux() && target_name.starts_with(b".init") {
                let (section, offset, symbol) = context();
                return Err(ElfError::InitSection {
                    section,
                    offset,
                    symbol,
                    object: name.object.into(),
                });
            }
            if !name.is_vmlinux() && target_name == b".data..percpu" {
                let (section, offset, symbol) = context();
                return Err(ElfError::PercpuSection {
                    section,
                    offset,
                    symbol,
                    object: name.object.into(),
                });
            }
            if !name.is_vmlinux() && !module_relocatable(target_name) {
                let (section, offset, symbol) = context();
                return Err(ElfError::SpecialSection {
                    section,
                    offset,
                    symbol,
                    object: name.object.into(),
                });
            }
            check_site(module, target, offset, size).map_err(|fault| {
                let (section, offset, symbol) = context();
                match fault {
                    SiteFault::OutOfBounds => ElfError::SiteOutOfBounds {
                        section,
                        offset,
                        symbol,
                        size,
                    },
                    SiteFault::Nonzero(found) => ElfError::NonzeroSite {
                        section,
                        offset,
                        symbol,
                        size,
                        found,
                    },
                }
            })?;
            let group = match plan
                .groups
                .iter()
                .position(|group| group.target == target && group.object == name.object)
            {
                Some(group) => group,
                None => {
                    plan.groups.push(Group {
                        object: name.object.into(),
                        target,
                        name: rela_section_name(name.object, target_name),
                        relas: Vec::new(),
                    });
                    plan.groups.len() - 1
                }
            };
            plan.groups[group].relas.push(*rela);
        }
        if kept.len() < relas.len() {
            plan.shrunk.push((index, kept));
        }
    }
    Ok(plan)
}

/// `.klp.rela.<object>.<section>`: the name of the section that holds `object`'s relocations
/// into `section`. The kernel reads the object back up to the first `.` after the prefix, which
/// an object name never contains ([`crate::klp_elf::object_name_error`]).
fn rela_section_name(object: &str, section: &[u8]) -> Vec<u8> {
    let mut name = format!("{RELA_PREFIX}{object}.").into_bytes();
    name.extend_from_slice(section);
    name
}

/// Why a relocation site cannot take a livepatch relocation.
enum SiteFault {
    OutOfBounds,
    /// The site's bytes, read little-endian.
    Nonzero(u64),
}

/// Checks that the `size` bytes at `offset` in section `target` exist and are zero, as
/// `apply_relocate_add()` requires before it writes a relocation.
fn check_site(
    module: &Module<'_>,
    target: usize,
    offset: u64,
    size: usize,
) -> Result<(), SiteFault> {
    let header = module.section(target);
    let end = offset
        .checked_add(size as u64)
        .ok_or(SiteFault::OutOfBounds)?;
    if end > header.sh_size(LE) {
        return Err(SiteFault::OutOfBounds);
    }
    if header.sh_type(LE) == SHT_NOBITS {
        return Ok(());
    }
    let bytes = header
        .data(LE, module.data)
        .ok()
        .and_then(|data| data.get(offset as usize..end as usize))
        .ok_or(SiteFault::OutOfBounds)?;
    if bytes.iter().any(|&byte| byte != 0) {
        let mut value = [0; 8];
        value[..bytes.len()].copy_from_slice(bytes);
        return Err(SiteFault::Nonzero(u64::from_le_bytes(value)));
    }
    Ok(())
}

/// The name of symbol `index` for a message.
fn symbol_display(module: &Module<'_>, index: u32) -> String {
    module
        .symtab
        .as_ref()
        .and_then(|(_, symtab)| {
            let symbol = symtab.symbols().get(index as usize)?;
            symtab.symbol_name(LE, symbol).ok()
        })
        .map_or_else(
            || format!("symbol {index}"),
            |name| String::from_utf8_lossy(name).into_owned(),
        )
}

/// Writes the converted image: the in-place edits, then the appended sections and headers.
fn write(module: &Module<'_>, plan: &Plan, undefined: &[usize]) -> Result<Vec<u8>, ElfError> {
    let mut image = module.data.to_vec();

    for (index, kept) in &plan.shrunk {
        let header = module.section(*index);
        let start = header.sh_offset(LE) as usize;
        let old_end = start + header.sh_size(LE) as usize;
        let kept = bytes_of_slice(kept);
        image[start..start + kept.len()].copy_from_slice(kept);
        image[start + kept.len()..old_end].fill(0);
    }

    if let Some((symtab_index, symtab)) = &module.symtab {
        let start = module.section(*symtab_index).sh_offset(LE) as usize;
        for &index in undefined {
            let mut symbol = symtab.symbols()[index];
            symbol.st_shndx.set(LE, SHN_LIVEPATCH);
            put(&mut image, start + index * SYM_SIZE, bytes_of(&symbol));
        }
    }

    if plan.groups.is_empty() {
        return Ok(image);
    }

    let count = module.sections.len() + plan.groups.len();
    if count >= usize::from(SHN_LORESERVE) {
        return Err(ElfError::TooManySections {
            count,
            max: usize::from(SHN_LORESERVE) - 1,
        });
    }

    let mut headers: Vec<SectionHeader64<LittleEndian>> = module.sections.iter().copied().collect();
    for (index, kept) in &plan.shrunk {
        headers[*index]
            .sh_size
            .set(LE, (kept.len() * RELA_SIZE) as u64);
    }

    let shstrndx =
        module
            .header
            .shstrndx(LE, module.data)
            .map_err(|source| ElfError::Malformed {
                what: "e_shstrndx".into(),
                source,
            })? as usize;
    let mut names = name_table(module, shstrndx)?.to_vec();
    let symtab_index = module.symtab.as_ref().map_or(0, |(index, _)| *index);

    let mut name_offsets: Vec<(&[u8], u32)> = Vec::new();
    for group in &plan.groups {
        align(&mut image, 8);
        let offset = image.len() as u64;
        image.extend_from_slice(bytes_of_slice(&group.relas));
        let name = match name_offsets
            .iter()
            .find(|(name, _)| *name == &group.name[..])
        {
            Some(&(_, offset)) => offset,
            None => {
                let offset = names.len() as u32;
                names.extend_from_slice(&group.name);
                names.push(0);
                name_offsets.push((&group.name, offset));
                offset
            }
        };
        headers.push(SectionHeader64 {
            sh_name: U32::new(LE, name),
            sh_type: U32::new(LE, SHT_RELA),
            sh_flags: U64::new(
                LE,
                u64::from(SHF_ALLOC | SHF_INFO_LINK) | SHF_RELA_LIVEPATCH,
            ),
            sh_addr: U64::new(LE, 0),
            sh_offset: U64::new(LE, offset),
            sh_size: U64::new(LE, (group.relas.len() * RELA_SIZE) as u64),
            sh_link: U32::new(LE, symtab_index as u32),
            sh_info: U32::new(LE, group.target as u32),
            sh_addralign: U64::new(LE, 8),
            sh_entsize: U64::new(LE, RELA_SIZE as u64),
        });
    }

    // The name table may be the symbol string table too (LLVM's objects share one `.strtab`):
    // a whole copy keeps every old offset valid for both.
    headers[shstrndx].sh_offset.set(LE, image.len() as u64);
    headers[shstrndx].sh_size.set(LE, names.len() as u64);
    image.extend_from_slice(&names);

    align(&mut image, 8);
    let mut header = *module.header;
    header.e_shoff.set(LE, image.len() as u64);
    header.e_shnum.set(LE, count as u16);
    image.extend_from_slice(bytes_of_slice(&headers));
    put(&mut image, 0, bytes_of(&header));
    Ok(image)
}

/// The section name table's bytes, if the kernel would accept the table.
fn name_table<'d>(module: &Module<'d>, index: usize) -> Result<&'d [u8], ElfError> {
    let header = module.section(index);
    let bad = |what| ElfError::BadNameTable {
        section: module.describe_section(index),
        what,
    };
    if header.sh_type(LE) != SHT_STRTAB {
        return Err(bad("is not SHT_STRTAB"));
    }
    let names = header
        .data(LE, module.data)
        .map_err(|source| ElfError::Malformed {
            what: "the section name table".into(),
            source,
        })?;
    if names.last() != Some(&0) {
        return Err(bad("does not end with NUL"));
    }
    Ok(names)
}

/// Overwrites `image` at `offset` with `bytes`.
fn put(image: &mut [u8], offset: usize, bytes: &[u8]) {
    image[offset..offset + bytes.len()].copy_from_slice(bytes);
}

/// Pads `image` with zeros to a multiple of `alignment`.
fn align(image: &mut Vec<u8>, alignment: usize) {
    image.resize(image.len().next_multiple_of(alignment), 0);
}

/// Whether livepatch can apply a module-object relocation into the section named `name` of the
/// patch module: code and plain data. It applies them when that module loads, long after the
/// patch module's own load, when the loader has consumed its special sections (alternatives,
/// jump labels, static calls, exception tables: `module_finalize()`), copied `.data..percpu` to
/// each CPU and freed `.init*` (see the comment in `klp_resolve_symbols()`). vmlinux relocations
/// are applied with the patch module's other relocations, before all that, and may go anywhere.
fn module_relocatable(name: &[u8]) -> bool {
    (name.starts_with(b".text") || name.starts_with(b".rodata") || name.starts_with(b".data"))
        && name != b".data..percpu"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `klp_write_section_relocs()` reads as the object: `.klp.rela.%55[^.]`.
    fn kernel_object_of(section_name: &[u8]) -> &[u8] {
        let rest = section_name.strip_prefix(RELA_PREFIX.as_bytes()).unwrap();
        rest.split(|&byte| byte == b'.').next().unwrap()
    }

    #[test]
    fn rela_section_names_keep_the_section_name_whole() {
        assert_eq!(
            rela_section_name("vmlinux", b".text"),
            b".klp.rela.vmlinux..text"
        );
        assert_eq!(
            rela_section_name("klp_rs_target", b".data.rel.ro"),
            b".klp.rela.klp_rs_target..data.rel.ro"
        );
    }

    #[test]
    fn the_kernel_reads_back_the_object() {
        for (object, section) in [
            ("vmlinux", &b".text"[..]),
            ("klp_rs_target", b".init.text"),
            ("ext4", b".text.ext4_attr_store"),
            ("x", b"text_without_dot"),
        ] {
            let name = rela_section_name(object, section);
            assert_eq!(kernel_object_of(&name), object.as_bytes());
            assert!(name.ends_with(section));
        }
    }

    #[test]
    fn report_lists_sections_in_order() {
        let report = Report {
            sections: vec![
                SectionReport {
                    name: ".klp.rela.vmlinux..text".into(),
                    relocations: 3,
                },
                SectionReport {
                    name: ".klp.rela.klp_rs_target..text".into(),
                    relocations: 2,
                },
            ],
            symbols: 4,
        };
        assert_eq!(report.relocations(), 5);
        assert_eq!(
            report.to_string(),
            "moved 5 relocation(s) into .klp.rela.vmlinux..text (3), \
             .klp.rela.klp_rs_target..text (2); marked 4 livepatch symbol(s)"
        );
    }

    #[test]
    fn report_without_relocations() {
        let report = Report {
            sections: Vec::new(),
            symbols: 1,
        };
        assert_eq!(
            report.to_string(),
            "moved 0 relocation(s); marked 1 livepatch symbol(s)"
        );
    }

    #[test]
    fn align_pads_with_zeros() {
        let mut image = vec![1; 9];
        align(&mut image, 8);
        assert_eq!(image, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
        align(&mut image, 8);
        assert_eq!(image.len(), 16);
    }
}
