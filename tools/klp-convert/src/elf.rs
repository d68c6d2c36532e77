// SPDX-License-Identifier: GPL-2.0

//! A read-only view of a module's ELF image, through the `object` crate's ELF structures.

use std::mem::offset_of;

use object::elf::{
    FileHeader64, Ident, SectionHeader64, ELFCLASS64, ELFDATA2LSB, ELFMAG, EM_X86_64, ET_REL,
    SHN_UNDEF, SHN_XINDEX, SHT_SYMTAB,
};
use object::read::elf::{FileHeader, SectionHeader, SectionTable, SymbolTable};
use object::{LittleEndian, SectionIndex, SymbolIndex};

use crate::error::ElfError;
use crate::klp_elf::{SymName, SYM_PREFIX};

/// The only ELF flavour a module for the kernels we patch can be.
pub type Elf = FileHeader64<LittleEndian>;

/// The byte order of [`Elf`].
pub const LE: LittleEndian = LittleEndian;

/// A module's ELF image: its header, sections and symbol table.
pub struct Module<'d> {
    pub data: &'d [u8],
    pub header: &'d Elf,
    pub sections: SectionTable<'d, Elf>,
    /// The index of the symbol table and the table, if the module has one.
    pub symtab: Option<(usize, SymbolTable<'d, Elf>)>,
}

/// A symbol whose name starts with [`SYM_PREFIX`].
pub struct KlpSymbol<'d> {
    /// Its index in the symbol table, which relocations refer to.
    pub index: usize,
    pub name: &'d [u8],
    pub shndx: u16,
}

impl<'d> Module<'d> {
    /// Reads an x86-64 ELF64 relocatable object's headers; refuses anything else.
    pub fn parse(data: &'d [u8]) -> Result<Self, ElfError> {
        let unsupported = |what: &str| ElfError::Unsupported { what: what.into() };
        if !data.starts_with(&ELFMAG) {
            return Err(unsupported("no ELF magic"));
        }
        if data.get(offset_of!(Ident, class)) != Some(&ELFCLASS64) {
            return Err(unsupported("not ELFCLASS64"));
        }
        if data.get(offset_of!(Ident, data)) != Some(&ELFDATA2LSB) {
            return Err(unsupported("not little-endian"));
        }
        let header = Elf::parse(data).map_err(|source| ElfError::Malformed {
            what: "the ELF header".into(),
            source,
        })?;
        let machine = header.e_machine.get(LE);
        if machine != EM_X86_64 {
            return Err(unsupported(&format!(
                "e_machine is {machine}, not EM_X86_64"
            )));
        }
        let e_type = header.e_type.get(LE);
        if e_type != ET_REL {
            return Err(unsupported(&format!("e_type is {e_type}, not ET_REL")));
        }
        if (header.e_shnum.get(LE) == 0 && header.e_shoff.get(LE) != 0)
            || header.e_shstrndx.get(LE) == SHN_XINDEX
        {
            return Err(unsupported(
                "extended section numbering, which the module loader does not read",
            ));
        }
        let sections = header
            .sections(LE, data)
            .map_err(|source| ElfError::Malformed {
                what: "the section headers".into(),
                source,
            })?;
        let mut symtabs = sections
            .enumerate()
            .filter(|(_, section)| section.sh_type(LE) == SHT_SYMTAB);
        let symtab = match (symtabs.next(), symtabs.next()) {
            (None, _) => None,
            (Some((index, section)), None) => {
                let table =
                    SymbolTable::parse(LE, data, &sections, index, section).map_err(|source| {
                        ElfError::Malformed {
                            what: "the symbol table".into(),
                            source,
                        }
                    })?;
                Some((index.0, table))
            }
            (Some(_), Some(_)) => return Err(unsupported("more than one SHT_SYMTAB")),
        };
        Ok(Module {
            data,
            header,
            sections,
            symtab,
        })
    }

    /// The header of section `index`, which the caller knows exists.
    pub fn section(&self, index: usize) -> &'d SectionHeader64<LittleEndian> {
        &self.sections.iter().as_slice()[index]
    }

    /// The name of section `index`, for messages and new section names.
    pub fn section_name(&self, index: usize) -> Result<&'d [u8], ElfError> {
        self.sections
            .section_name(LE, self.section(index))
            .map_err(|source| ElfError::Malformed {
                what: format!("the name of section {index}"),
                source,
            })
    }

    /// The name of section `index` for a message: lossy, never failing.
    pub fn describe_section(&self, index: usize) -> String {
        match self.section_name(index) {
            Ok(name) => String::from_utf8_lossy(name).into_owned(),
            Err(_) => format!("[{index}]"),
        }
    }

    /// A relocation section and its target, for a message: `.rela.text -> .text`.
    pub fn describe_relocation_section(&self, index: usize) -> String {
        let target = self.section(index).sh_info(LE) as usize;
        if target < self.sections.len() {
            format!(
                "{} -> {}",
                self.describe_section(index),
                self.describe_section(target)
            )
        } else {
            self.describe_section(index)
        }
    }

    /// Every symbol whose name starts with [`SYM_PREFIX`], in symbol table order.
    pub fn klp_symbols(&self) -> Result<Vec<KlpSymbol<'d>>, ElfError> {
        let Some((_, symtab)) = &self.symtab else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for (SymbolIndex(index), symbol) in symtab.enumerate() {
            let name = symtab
                .symbol_name(LE, symbol)
                .map_err(|source| ElfError::Malformed {
                    what: format!("the name of symbol {index}"),
                    source,
                })?;
            if name.starts_with(SYM_PREFIX.as_bytes()) {
                found.push(KlpSymbol {
                    index,
                    name,
                    shndx: symbol.st_shndx.get(LE),
                });
            }
        }
        Ok(found)
    }

    /// The index of the first section whose name starts with `prefix`.
    pub fn find_section_prefixed(&self, prefix: &str) -> Result<Option<usize>, ElfError> {
        for (SectionIndex(index), _) in self.sections.enumerate() {
            if self.section_name(index)?.starts_with(prefix.as_bytes()) {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }
}

impl<'d> KlpSymbol<'d> {
    /// The name for a message.
    pub fn display_name(&self) -> String {
        String::from_utf8_lossy(self.name).into_owned()
    }

    /// Whether the symbol is still undefined, that is, not converted.
    pub fn is_undefined(&self) -> bool {
        self.shndx == SHN_UNDEF
    }

    /// The name taken apart, or why the kernel would not take it apart.
    pub fn parse_name(&self) -> Result<SymName<'d>, ElfError> {
        let malformed = |reason| ElfError::MalformedName {
            index: self.index,
            symbol: self.display_name(),
            reason,
        };
        let name =
            std::str::from_utf8(self.name).map_err(|_| malformed("the name is not UTF-8"))?;
        match SymName::parse(name) {
            Some(Ok(parsed)) => Ok(parsed),
            Some(Err(reason)) => Err(malformed(reason)),
            None => Err(malformed("no .klp.sym. prefix")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbol(name: &[u8]) -> KlpSymbol<'_> {
        KlpSymbol {
            index: 7,
            name,
            shndx: SHN_UNDEF,
        }
    }

    #[test]
    fn names_are_taken_apart() {
        let parsed = symbol(b".klp.sym.klp_rs_target.klp_rs_dup,2")
            .parse_name()
            .unwrap();
        assert_eq!(parsed.object, "klp_rs_target");
        assert_eq!(parsed.name, "klp_rs_dup");
        assert_eq!(parsed.sympos, 2);
        assert!(!parsed.is_vmlinux());
    }

    #[test]
    fn malformed_names_name_the_symbol_and_reason() {
        for (name, reason) in [
            (&b".klp.sym.vmlinux.printk"[..], "no ',<sympos>' at the end"),
            (b".klp.sym.vmlinux.printk,0x1", "a sympos is a decimal"),
            (b".klp.sym.vmlinux,0", "no '.' after the object name"),
            (b".klp.sym.vmlinux.\xff,0", "not UTF-8"),
        ] {
            let err = symbol(name).parse_name().unwrap_err();
            assert!(
                matches!(&err, ElfError::MalformedName { index: 7, reason: r, .. } if r.contains(reason)),
                "{err}"
            );
            assert!(err.to_string().contains(".klp.sym.vmlinux"), "{err}");
        }
    }
}
