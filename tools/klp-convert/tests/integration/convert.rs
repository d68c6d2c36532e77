// SPDX-License-Identifier: GPL-2.0

//! Converting the fixtures: the result read back with the `object` crate and with readelf.

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::ops::Range;
use std::process::Command;

use crate::common;
use klp_convert::klp_elf::{SymName, SHF_RELA_LIVEPATCH, SHN_LIVEPATCH, SYM_PREFIX};
use object::elf::{
    FileHeader64, SectionHeader64, SHF_ALLOC, SHF_INFO_LINK, SHN_UNDEF, SHT_RELA, SHT_SYMTAB,
};
use object::read::elf::{FileHeader as _, SectionHeader as _, SectionTable, SymbolTable};
use object::{LittleEndian, Object as _, ObjectSection as _};

const LE: LittleEndian = LittleEndian;
type Elf = FileHeader64<LittleEndian>;

/// A relocation as readelf shows it: offset, type, symbol index, addend.
type Relocation = (u64, u32, u32, i64);

struct Image<'d> {
    data: &'d [u8],
    header: &'d Elf,
    sections: SectionTable<'d, Elf>,
    symtab_index: usize,
    symtab: SymbolTable<'d, Elf>,
}

impl<'d> Image<'d> {
    fn parse(data: &'d [u8]) -> Self {
        let header = Elf::parse(data).unwrap();
        let sections = header.sections(LE, data).unwrap();
        let symtab = sections.symbols(LE, data, SHT_SYMTAB).unwrap();
        Image {
            data,
            header,
            symtab_index: symtab.section().0,
            sections,
            symtab,
        }
    }

    fn header(&self, index: usize) -> &'d SectionHeader64<LittleEndian> {
        &self.sections.iter().as_slice()[index]
    }

    fn name(&self, index: usize) -> String {
        let name = self.sections.section_name(LE, self.header(index)).unwrap();
        String::from_utf8(name.to_vec()).unwrap()
    }

    fn file_range(&self, index: usize) -> Range<usize> {
        let header = self.header(index);
        let start = header.sh_offset(LE) as usize;
        start..start + header.sh_size(LE) as usize
    }

    fn relocations(&self, index: usize) -> Vec<Relocation> {
        let (relas, _) = self.header(index).rela(LE, self.data).unwrap().unwrap();
        relas
            .iter()
            .map(|rela| {
                (
                    rela.r_offset.get(LE),
                    rela.r_type(LE, false),
                    rela.r_sym(LE, false),
                    rela.r_addend.get(LE),
                )
            })
            .collect()
    }

    fn symbol_name(&self, index: u32) -> String {
        let symbol = &self.symtab.symbols()[index as usize];
        String::from_utf8(self.symtab.symbol_name(LE, symbol).unwrap().to_vec()).unwrap()
    }

    fn is_alloc(&self, index: usize) -> bool {
        self.header(index).sh_flags(LE) & u64::from(SHF_ALLOC) != 0
    }
}

/// Checks `output` against `input` as the format and the append-only rule require: the
/// relocations against livepatch symbols in loaded sections, and only those, moved exactly
/// once into the right `.klp.rela.<object>.<section>`; the livepatch symbols marked; every
/// other byte of the input where it was.
fn verify(input: &[u8], output: &[u8]) {
    let before = Image::parse(input);
    let after = Image::parse(output);
    let old_count = before.sections.len();

    // The generic reader takes the result too.
    let file = object::File::parse(output).unwrap();
    assert!(file.sections().all(|section| section.name().is_ok()));

    let klp_symbols: Vec<u32> = (0..before.symtab.len() as u32)
        .filter(|&index| before.symbol_name(index).starts_with(SYM_PREFIX))
        .collect();

    // What must move where, and what must stay, per relocation section.
    let mut expected_moves: HashMap<(String, usize), Vec<Relocation>> = HashMap::new();
    let mut expected_kept: HashMap<usize, Vec<Relocation>> = HashMap::new();
    for index in 0..old_count {
        if before.header(index).sh_type(LE) != SHT_RELA {
            continue;
        }
        let target = before.header(index).sh_info(LE) as usize;
        let mut kept = Vec::new();
        for relocation in before.relocations(index) {
            if before.is_alloc(target) && klp_symbols.contains(&relocation.2) {
                let name = before.symbol_name(relocation.2);
                let object = SymName::parse(&name).unwrap().unwrap().object.to_owned();
                expected_moves
                    .entry((object, target))
                    .or_default()
                    .push(relocation);
            } else {
                kept.push(relocation);
            }
        }
        expected_kept.insert(index, kept);
    }
    assert!(!expected_moves.is_empty());

    // The old sections: the same headers but for the name table's place and the shrunk
    // relocation sections' sizes; the same contents but for those and the symbol table.
    let shstrndx = before.header.shstrndx(LE, input).unwrap() as usize;
    let mut changed_ranges = vec![0..size_of::<Elf>(), before.file_range(before.symtab_index)];
    for index in 0..old_count {
        let (old, new) = (before.header(index), after.header(index));
        let mut expected = *old;
        if index == shstrndx {
            expected.sh_offset = new.sh_offset;
            expected.sh_size = new.sh_size;
            let names = &output[after.file_range(index)];
            assert!(names.starts_with(&input[before.file_range(index)]));
        }
        if let Some(kept) = expected_kept.get(&index) {
            expected.sh_size.set(LE, (kept.len() * 24) as u64);
            assert_eq!(&after.relocations(index), kept, "{}", before.name(index));
            let range = before.file_range(index);
            let tail = &output[range.start + kept.len() * 24..range.end];
            assert!(tail.iter().all(|&byte| byte == 0), "{}", before.name(index));
            changed_ranges.push(range);
        }
        assert_eq!(
            object::pod::bytes_of(&expected),
            object::pod::bytes_of(new),
            "header of {}",
            before.name(index)
        );
    }
    for (offset, (old, new)) in input.iter().zip(output).enumerate() {
        if old != new {
            assert!(
                changed_ranges.iter().any(|range| range.contains(&offset)),
                "byte {offset:#x} changed outside the edited ranges"
            );
        }
    }

    // The symbols: only the livepatch symbols' st_shndx changed, to SHN_LIVEPATCH.
    assert_eq!(before.symtab.len(), after.symtab.len());
    for (index, (old, new)) in before
        .symtab
        .symbols()
        .iter()
        .zip(after.symtab.symbols())
        .enumerate()
    {
        let mut expected = *old;
        if klp_symbols.contains(&(index as u32)) {
            assert_eq!(old.st_shndx.get(LE), SHN_UNDEF);
            expected.st_shndx.set(LE, SHN_LIVEPATCH);
        }
        assert_eq!(
            object::pod::bytes_of(&expected),
            object::pod::bytes_of(new),
            "symbol {index}"
        );
    }

    // The new sections: one per object and target, each holding exactly its relocations.
    let mut seen = HashMap::new();
    for index in old_count..after.sections.len() {
        let header = after.header(index);
        let target = header.sh_info(LE) as usize;
        let name = after.name(index);
        let object = name
            .strip_prefix(".klp.rela.")
            .and_then(|rest| rest.strip_suffix(&after.name(target)))
            .and_then(|rest| rest.strip_suffix('.'))
            .unwrap_or_else(|| panic!("{name} is not .klp.rela.<object>.<target>"));
        assert_eq!(header.sh_type(LE), SHT_RELA, "{name}");
        assert_eq!(
            header.sh_flags(LE),
            u64::from(SHF_ALLOC | SHF_INFO_LINK) | SHF_RELA_LIVEPATCH,
            "{name}"
        );
        assert_eq!(header.sh_link(LE) as usize, after.symtab_index, "{name}");
        assert_eq!(header.sh_entsize(LE), 24, "{name}");
        assert_eq!(header.sh_addralign(LE), 8, "{name}");
        assert_eq!(header.sh_offset(LE) % 8, 0, "{name}");
        let key = (object.to_owned(), target);
        let expected = expected_moves
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no relocation should move there"));
        assert_eq!(&after.relocations(index), expected, "{name}");
        assert!(
            seen.insert(key, name).is_none(),
            "two sections for one object and target"
        );
    }
    assert_eq!(seen.len(), expected_moves.len());
    assert!(klp_convert::unconverted(output).unwrap().is_empty());
}

#[test]
fn main_fixture_converts_as_the_format_says() {
    let input = common::fixture("main.elf");
    let converted = klp_convert::convert(&input).unwrap().unwrap();
    verify(&input, &converted.image);
    assert_eq!(converted.report.relocations(), 9);
    assert_eq!(converted.report.symbols, 9);
    let names: Vec<_> = converted
        .report
        .sections
        .iter()
        .map(|section| (section.name.as_str(), section.relocations))
        .collect();
    assert_eq!(
        names,
        [
            (".klp.rela.vmlinux..text", 3),
            (".klp.rela.klp_rs_target..text", 3),
            (".klp.rela.vmlinux..init.text", 1),
            (".klp.rela.vmlinux..data", 1),
            (".klp.rela.klp_rs_target..data.rel.ro", 1),
        ]
    );
}

/// clang's objects name their sections in the symbol string table: the copy extended with the
/// new names must keep the symbols' names valid.
#[test]
fn shared_string_table_converts_as_the_format_says() {
    let input = common::fixture("main-shared-strtab.elf");
    let before = Image::parse(&input);
    assert_eq!(
        before.header.shstrndx(LE, &input[..]).unwrap() as usize,
        before.header(before.symtab_index).sh_link(LE) as usize,
        "the fixture should share its string table"
    );
    let converted = klp_convert::convert(&input).unwrap().unwrap();
    verify(&input, &converted.image);
    assert_eq!(converted.report.relocations(), 9);
}

#[test]
fn converting_twice_changes_nothing_the_second_time() {
    let input = common::fixture("main.elf");
    let once = klp_convert::convert(&input).unwrap().unwrap().image;
    assert!(klp_convert::convert(&once).unwrap().is_none());

    let dir = common::scratch("converting_twice");
    let path = common::copy_fixture(&dir, "main.elf");
    let report = klp_convert::convert_file(&path).unwrap().unwrap();
    assert_eq!(report.relocations(), 9);
    let first = fs::read(&path).unwrap();
    assert_eq!(first, once);
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    assert!(klp_convert::convert_file(&path).unwrap().is_none());
    assert_eq!(fs::read(&path).unwrap(), first);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), modified);
}

#[test]
fn module_without_livepatch_symbols_is_untouched() {
    let input = common::fixture("plain.elf");
    assert!(klp_convert::convert(&input).unwrap().is_none());
    assert!(klp_convert::unconverted(&input).unwrap().is_empty());
}

#[test]
fn unconverted_lists_every_undefined_livepatch_symbol() {
    let input = common::fixture("main.elf");
    let mut symbols = klp_convert::unconverted(&input).unwrap();
    symbols.sort();
    assert_eq!(
        symbols,
        [
            ".klp.sym.klp_rs_target.klp_rs_counter,0",
            ".klp.sym.klp_rs_target.klp_rs_dup,2",
            ".klp.sym.klp_rs_target.klp_rs_ops,0",
            ".klp.sym.klp_rs_target.klp_rs_target_fn,0",
            ".klp.sym.vmlinux.jiffies,0",
            ".klp.sym.vmlinux.klp_rs_init_helper,0",
            ".klp.sym.vmlinux.klp_rs_private_fn,0",
            ".klp.sym.vmlinux.klp_rs_unreferenced,0",
            ".klp.sym.vmlinux.saved_command_line,0",
        ]
    );
}

/// The lines of `readelf -W -S -s -r` that show the conversion: the relocation sections'
/// headers, the livepatch symbols, and every relocation.
fn readelf_summary(path: &std::path::Path) -> String {
    let output = match Command::new("readelf")
        .args(["-W", "-S", "-s", "-r"])
        .arg(path)
        .output()
    {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            panic!("readelf not found: install Debian's binutils package")
        }
        Err(err) => panic!("readelf: {err}"),
    };
    assert!(output.status.success(), "readelf failed: {output:?}");
    assert!(
        output.stderr.is_empty(),
        "readelf warned: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let relocation_entry =
        |line: &str| line.len() > 17 && line[..16].bytes().all(|byte| byte.is_ascii_hexdigit());
    text.lines()
        .filter(|line| {
            (line.trim_start().starts_with('[') && line.contains("rela"))
                || line.contains(SYM_PREFIX)
                || line.starts_with("Relocation section")
                || relocation_entry(line)
        })
        .map(|line| line.trim_end().to_owned() + "\n")
        .collect()
}

/// The converted main fixture as readelf shows it, compared with `golden/main.readelf`.
/// `KLP_CONVERT_BLESS=1` rewrites that file; review its diff.
#[test]
fn readelf_shows_the_livepatch_format() {
    let dir = common::scratch("readelf_golden");
    let path = common::copy_fixture(&dir, "main.elf");
    klp_convert::convert_file(&path).unwrap().unwrap();
    let summary = readelf_summary(&path);

    assert!(!summary.contains("UND .klp.sym."), "{summary}");
    assert_eq!(summary.matches(" AIo ").count(), 5, "{summary}");
    assert_eq!(
        summary.matches("OS [0xff20] .klp.sym.").count(),
        9,
        "{summary}"
    );

    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/main.readelf");
    if std::env::var_os("KLP_CONVERT_BLESS").is_some() {
        fs::write(&golden, &summary).unwrap();
    }
    let expected = fs::read_to_string(&golden).unwrap_or_else(|err| {
        panic!(
            "{}: {err} (KLP_CONVERT_BLESS=1 writes it)",
            golden.display()
        )
    });
    assert!(
        summary == expected,
        "readelf output differs from {}:\n--- expected\n{expected}\n--- actual\n{summary}",
        golden.display()
    );
}
