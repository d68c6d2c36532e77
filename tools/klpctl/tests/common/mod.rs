// SPDX-License-Identifier: GPL-2.0

//! A fake root (the kernel's sysfs, /proc and /dev/kmsg as plain files in a temporary
//! directory) and module files made with `object`'s writer, for the tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
use object::{Architecture, BinaryFormat, Endianness, RelocationFlags, SectionKind};
use object::{SymbolFlags, SymbolKind, SymbolScope};

pub const RELEASE: &str = "6.12.117";

/// The running kernel's files, faked.
pub struct Root {
    pub dir: tempfile::TempDir,
}

impl Root {
    /// A root with a livepatch sysfs, the release, a command line, kallsyms and no modules.
    pub fn new() -> Root {
        let root = Root {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(root.path("sys/kernel/livepatch")).unwrap();
        root.write("proc/sys/kernel/osrelease", &format!("{RELEASE}\n"));
        root.write("proc/cmdline", "console=ttyS0 quiet\n");
        root.write("proc/modules", "");
        root.write("dev/kmsg", "");
        root.write(
            "proc/kallsyms",
            "ffffffff81000000 T cmdline_proc_show\n\
             ffffffff81001000 t dup_fn\n\
             ffffffff81002000 t dup_fn\n\
             ffffffff81003000 d private_table\n\
             ffffffffc0000000 t target_fn\t[target_mod]\n",
        );
        root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// A loaded patch: `objects` is (object, patched, functions as "name,sympos").
    pub fn patch(
        &self,
        name: &str,
        enabled: bool,
        transition: bool,
        objects: &[(&str, bool, &[&str])],
    ) {
        let dir = format!("sys/kernel/livepatch/{name}");
        self.write(
            &format!("{dir}/enabled"),
            if enabled { "1\n" } else { "0\n" },
        );
        self.write(
            &format!("{dir}/transition"),
            if transition { "1\n" } else { "0\n" },
        );
        self.write(&format!("{dir}/replace"), "0\n");
        self.write(&format!("{dir}/force"), "");
        for (object, patched, functions) in objects {
            self.write(
                &format!("{dir}/{object}/patched"),
                if *patched { "1\n" } else { "0\n" },
            );
            for f in *functions {
                std::fs::create_dir_all(self.path(&format!("{dir}/{object}/{f}"))).unwrap();
            }
        }
        let modules = self.read("proc/modules");
        self.write(
            "proc/modules",
            &format!("{modules}{name} 16384 1 - Live 0xffffffffc0100000 (K)\n"),
        );
    }

    /// A task (thread `tid` of process `pid`).
    pub fn task(&self, pid: u32, tid: u32, comm: &str, flags: u64, patch_state: i32, stack: &str) {
        let dir = format!("proc/{pid}/task/{tid}");
        self.write(&format!("{dir}/patch_state"), &format!("{patch_state}\n"));
        self.write(
            &format!("{dir}/stat"),
            &format!("{tid} ({comm}) S 1 {pid} {pid} 0 -1 {flags} 0 0 0 0\n"),
        );
        self.write(&format!("{dir}/stack"), stack);
    }

    /// Runs klpctl with this root; returns (exit code, stdout, stderr).
    pub fn klpctl(&self, args: &[&str]) -> (i32, String, String) {
        klpctl_in(self.dir.path(), args)
    }
}

/// Runs klpctl with the root `root`.
pub fn klpctl_in(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_klpctl"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("klpctl was killed by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A record of `.klp_rs.check`: kind (1 replaced, 2 private function, 3 private static),
/// object, name, sympos.
pub type Record<'a> = (u32, &'a str, &'a str, u64);

/// A module file: `.modinfo` with `modinfo` entries, and `.klp_rs.check` with `records`
/// (none when `None`).
pub fn module(modinfo: &[&str], records: Option<&[Record]>) -> Vec<u8> {
    module_with(modinfo, records, &[])
}

/// [`module`] with the empty sections `extra` too (e.g. `__versions`).
pub fn module_with(modinfo: &[&str], records: Option<&[Record]>, extra: &[&str]) -> Vec<u8> {
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    let text = obj.section_id(StandardSection::Text);
    let witness_offset = obj.append_section_data(text, &[0xc3; 16], 16);
    let witness = obj.add_symbol(Symbol {
        name: b"_RNvCs0_5patch6new_fn".to_vec(),
        value: witness_offset,
        size: 16,
        kind: SymbolKind::Text,
        scope: SymbolScope::Compilation,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    let info = obj.add_section(Vec::new(), b".modinfo".to_vec(), SectionKind::ReadOnlyData);
    let mut bytes = Vec::new();
    for entry in modinfo {
        bytes.extend_from_slice(entry.as_bytes());
        bytes.push(0);
    }
    obj.append_section_data(info, &bytes, 1);
    for name in extra {
        let section = obj.add_section(
            Vec::new(),
            name.as_bytes().to_vec(),
            SectionKind::ReadOnlyData,
        );
        obj.append_section_data(section, &[0; 64], 8);
    }
    if let Some(records) = records {
        let strings = obj.add_section(
            Vec::new(),
            b".rodata.str".to_vec(),
            SectionKind::ReadOnlyString,
        );
        let strings_sym = obj.section_symbol(strings);
        let check = obj.add_section(
            Vec::new(),
            b".klp_rs.check".to_vec(),
            SectionKind::ReadOnlyData,
        );
        let add_string = |obj: &mut Object, s: &str| {
            let mut b = s.as_bytes().to_vec();
            b.push(0);
            obj.append_section_data(strings, &b, 1)
        };
        let file = add_string(&mut obj, "patches/fixture.rs");
        for (i, (kind, object, name, sympos)) in records.iter().enumerate() {
            let o = add_string(&mut obj, object);
            let n = add_string(&mut obj, name);
            let mut raw = Vec::new();
            raw.extend_from_slice(&1u32.to_le_bytes());
            raw.extend_from_slice(&kind.to_le_bytes());
            raw.extend_from_slice(&sympos.to_le_bytes());
            raw.extend_from_slice(&(10 + i as u64).to_le_bytes());
            raw.extend_from_slice(&[0; 32]);
            let base = obj.append_section_data(check, &raw, 8);
            for (field, symbol, addend) in [
                (24, strings_sym, o),
                (32, strings_sym, n),
                (40, strings_sym, file),
                (48, witness, 0),
            ] {
                obj.add_relocation(
                    check,
                    Relocation {
                        offset: base + field,
                        symbol,
                        addend: addend as i64,
                        flags: RelocationFlags::Elf {
                            r_type: object::elf::R_X86_64_64,
                        },
                    },
                )
                .unwrap();
            }
        }
    }
    obj.write().unwrap()
}

/// The `.modinfo` of a livepatch module `name` built for `release`.
pub fn livepatch_info(name: &str, release: &str) -> Vec<String> {
    vec![
        "license=GPL".to_owned(),
        "livepatch=Y".to_owned(),
        format!("name={name}"),
        format!("vermagic={release} SMP preempt mod_unload "),
    ]
}

/// Writes a module file into `dir` and returns its path.
pub fn write_module(
    dir: &Path,
    file: &str,
    modinfo: &[String],
    records: Option<&[Record]>,
) -> PathBuf {
    let refs: Vec<&str> = modinfo.iter().map(String::as_str).collect();
    let path = dir.join(file);
    std::fs::write(&path, module(&refs, records)).unwrap();
    path
}
