// SPDX-License-Identifier: GPL-2.0

//! A patched object as livepatch will see it: vmlinux, or a module's `.ko`. Its symbols in the
//! order livepatch counts a sympos in, and the `__fentry__` call sites ftrace can patch.

use object::{
    Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionFlags, SectionIndex, SymbolKind,
    SymbolSection,
};

use crate::error::Error;

/// What a symbol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymKind {
    Function,
    Data,
}

impl SymKind {
    pub fn describe(self) -> &'static str {
        match self {
            SymKind::Function => "a function",
            SymKind::Data => "data",
        }
    }
}

/// A symbol of the object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymKind,
    /// The section, in a relocatable object (a module), where `address` is an offset.
    pub section: Option<SectionIndex>,
    /// That section's name.
    pub section_name: Option<String>,
    pub address: u64,
    pub size: u64,
}

/// The symbols and call sites of a patched object.
pub struct Target {
    /// In the order livepatch counts a sympos in: by address in vmlinux (kallsyms sorts same
    /// names by address), in symbol table order in a module (`module_kallsyms_on_each_symbol()`).
    symbols: Vec<Symbol>,
    /// A module's symbols while it is still loading, init sections included: livepatch resolves
    /// a patch's functions of a module that loads after the patch then (`klp_module_coming()`
    /// runs before `do_init_module()` drops them). Empty for vmlinux.
    loading: Vec<Symbol>,
    /// The `__fentry__` call sites, from `__mcount_loc`.
    fentry: Vec<(Option<SectionIndex>, u64)>,
}

impl Symbol {
    /// Where it is: an address in vmlinux, `section+offset` in a module.
    pub fn place(&self) -> String {
        match &self.section_name {
            Some(section) => format!("{section}+{:#x}", self.address),
            None => format!("{:#x}", self.address),
        }
    }
}

impl Target {
    /// Reads vmlinux (`relocatable` false) or a module.
    pub fn read(file: &object::File<'_>) -> Result<Target, Error> {
        if file.kind() == object::ObjectKind::Relocatable {
            Self::read_module(file)
        } else {
            Self::read_vmlinux(file)
        }
    }

    fn read_vmlinux(file: &object::File<'_>) -> Result<Target, Error> {
        if file.section_by_name(".text").is_none() {
            return Err(Error::Object(
                "this vmlinux has no .text: not a kernel's vmlinux (a distribution's headers ship \
                 one with only the kernel's BTF)"
                    .into(),
            ));
        }
        let mut symbols: Vec<Symbol> = file
            .symbols()
            .filter_map(|s| symbol(file, &s, false, false))
            .collect();
        // Stable: a name at one address twice keeps its table order.
        symbols.sort_by_key(|s| s.address);
        let mut fentry = Vec::new();
        let bound = |name: &str| {
            file.symbols()
                .find(|s| s.name() == Ok(name))
                .map(|s| s.address())
        };
        if let (Some(start), Some(stop)) = (bound("__start_mcount_loc"), bound("__stop_mcount_loc"))
        {
            let section = file
                .sections()
                .find(|s| s.address() <= start && stop <= s.address() + s.size())
                .ok_or_else(|| Error::Object("no section holds __mcount_loc".into()))?;
            let data = section
                .data_range(start, stop - start)
                .ok()
                .flatten()
                .unwrap_or(&[]);
            for entry in data.chunks_exact(8) {
                let address = u64::from_le_bytes(entry.try_into().unwrap());
                if address != 0 {
                    fentry.push((None, address));
                }
            }
        }
        Ok(Target {
            symbols,
            loading: Vec::new(),
            fentry,
        })
    }

    fn read_module(file: &object::File<'_>) -> Result<Target, Error> {
        let symbols = file
            .symbols()
            .filter_map(|s| symbol(file, &s, true, false))
            .collect();
        let loading = file
            .symbols()
            .filter_map(|s| symbol(file, &s, true, true))
            .collect();
        let mut fentry = Vec::new();
        if let Some(section) = file.section_by_name("__mcount_loc") {
            for (_, reloc) in section.relocations() {
                let RelocationTarget::Symbol(index) = reloc.target() else {
                    continue;
                };
                let Ok(sym) = file.symbol_by_index(index) else {
                    continue;
                };
                if let Some(section) = sym.section_index() {
                    let offset = sym.address().wrapping_add(reloc.addend() as u64);
                    fentry.push((Some(section), offset));
                }
            }
        }
        Ok(Target {
            symbols,
            loading,
            fentry,
        })
    }

    /// The symbols named `name`, in sympos order (sympos 1 first).
    pub fn candidates(&self, name: &str) -> Vec<&Symbol> {
        self.symbols.iter().filter(|s| s.name == name).collect()
    }

    /// The symbols named `name` while a module is still loading, init sections included, in
    /// sympos order; the same as [`candidates`](Self::candidates) for vmlinux.
    pub fn candidates_loading(&self, name: &str) -> Vec<&Symbol> {
        if self.loading.is_empty() {
            return self.candidates(name);
        }
        self.loading.iter().filter(|s| s.name == name).collect()
    }

    /// Symbols that are `name` renamed by the compiler: `name.isra.0`, `name.constprop.0`, ...
    pub fn variants(&self, name: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .symbols
            .iter()
            .filter(|s| {
                s.name.len() > name.len()
                    && s.name.starts_with(name)
                    && s.name.as_bytes()[name.len()] == b'.'
            })
            .map(|s| s.name.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether ftrace can redirect `function`: a `__fentry__` call site lies inside it.
    pub fn has_fentry(&self, function: &Symbol) -> bool {
        let end = function.address + function.size.max(1);
        self.fentry.iter().any(|&(section, address)| {
            section == function.section && function.address <= address && address < end
        })
    }

    /// How many `__fentry__` call sites the object has.
    pub fn fentry_count(&self) -> usize {
        self.fentry.len()
    }
}

/// A symbol livepatch can find: named, defined in a section the kernel loads, a function or
/// data (a symbol without a type is what its section holds: asm code, or data). In a module,
/// with `init` false only those the kernel keeps after loading it (no `.init*` sections), as
/// `layout_symtab()` does; with `init` true also those, which the kernel counts while the module
/// is still loading.
fn symbol(
    file: &object::File<'_>,
    s: &object::Symbol<'_, '_>,
    module: bool,
    init: bool,
) -> Option<Symbol> {
    let name = s.name().ok().filter(|n| !n.is_empty())?;
    let SymbolSection::Section(index) = s.section() else {
        return None;
    };
    let section = file.section_by_index(index).ok()?;
    let sh_flags = match section.flags() {
        SectionFlags::Elf { sh_flags } => sh_flags,
        _ => 0,
    };
    if sh_flags & u64::from(object::elf::SHF_ALLOC) == 0 {
        return None;
    }
    let kind = match s.kind() {
        SymbolKind::Text => SymKind::Function,
        SymbolKind::Data | SymbolKind::Tls => SymKind::Data,
        SymbolKind::Unknown if sh_flags & u64::from(object::elf::SHF_EXECINSTR) != 0 => {
            SymKind::Function
        }
        SymbolKind::Unknown => SymKind::Data,
        _ => return None,
    };
    let section_name = section.name().ok().map(str::to_owned);
    if module
        && !init
        && section_name
            .as_deref()
            .is_some_and(|n| n.starts_with(".init"))
    {
        return None;
    }
    Some(Symbol {
        name: name.to_owned(),
        kind,
        section: module.then_some(index),
        section_name: module.then_some(section_name).flatten(),
        address: s.address(),
        size: s.size(),
    })
}
