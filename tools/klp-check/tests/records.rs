// SPDX-License-Identifier: GPL-2.0

//! klp-check end to end on host-built objects: a C module built with the kernel's ftrace flags
//! (clang, `-pg -mfentry`, its `__mcount_loc` written as objtool writes it, linked with `ld -r`), and a Rust object whose records
//! come from the `klp` crate's own `src/record.rs`, so that the tool and the kernel side agree on
//! the layout. Each record of `fixtures/patch.rs` is one case, found by its line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use klp_check::{Checker, Finding, Objects, Report};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The first of `names` that runs.
fn tool(names: &[&str]) -> String {
    for name in names {
        if Command::new(name).arg("--version").output().is_ok() {
            return (*name).to_owned();
        }
    }
    panic!("none of {names:?} found: scripts/setup installs clang-19 and lld-19");
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Built {
    target: PathBuf,
    report: Report,
}

/// The patch checked against the C objects linked as a module (`ld -r`), and as a vmlinux is
/// linked (an executable, `__start_mcount_loc`/`__stop_mcount_loc` around the call sites).
struct Fixtures {
    module: Built,
    vmlinux: Built,
    /// `fixtures/patch.rs`, to find each case's line.
    source: String,
}

const VMLINUX_LDS: &str = "SECTIONS {
  . = 0xffffffff81000000;
  .text : { *(.text .text.*) }
  .rodata : { *(.rodata .rodata.*) }
  .data : { *(.data .data.*) }
  .init.data : { __start_mcount_loc = .; *(__mcount_loc) __stop_mcount_loc = .; }
}
";

fn fixtures() -> &'static Fixtures {
    static BUILT: OnceLock<Fixtures> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("klp-check-records");
        std::fs::create_dir_all(&dir).unwrap();
        let clang = tool(&["clang-19", "clang"]);
        let lld = tool(&["ld.lld-19", "ld.lld"]);
        let mut objects = Vec::new();
        for c in ["target_a", "target_b"] {
            let obj = dir.join(format!("{c}.o"));
            run(Command::new(&clang)
                .args(["-g", "-O2", "-fno-pic", "-pg", "-mfentry", "-c"])
                .arg(Path::new(FIXTURES).join(format!("{c}.c")))
                .arg("-o")
                .arg(&obj));
            objects.push(obj);
        }
        let module = dir.join("target.ko");
        run(Command::new(&lld)
            .arg("-r")
            .args(&objects)
            .arg("-o")
            .arg(&module));
        let lds = dir.join("vmlinux.lds");
        std::fs::write(&lds, VMLINUX_LDS).unwrap();
        let vmlinux = dir.join("vmlinux");
        run(Command::new(&lld)
            .args([
                "-static",
                "-e",
                "0",
                "--unresolved-symbols=ignore-all",
                "-T",
            ])
            .arg(&lds)
            .args(&objects)
            .arg("-o")
            .arg(&vmlinux));
        let patch = dir.join("patch.o");
        run(
            Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
                .args(["--edition", "2021", "-g", "-O", "--crate-type", "lib"])
                .args(["--emit=obj", "--crate-name", "patch", "-o"])
                .arg(&patch)
                .arg(Path::new(FIXTURES).join("patch.rs")),
        );
        let check = |target: &Path| {
            let mut checker = Checker::new(Objects {
                vmlinux: dir.join("no-vmlinux"),
                modules: vec![("target".into(), target.to_owned())],
                ..Objects::default()
            });
            let (_, report) = checker
                .check_all(std::slice::from_ref(&patch))
                .pop()
                .unwrap();
            Built {
                target: target.to_owned(),
                report: report.expect("the patch's records are read"),
            }
        };
        Fixtures {
            module: check(&module),
            vmlinux: check(&vmlinux),
            source: std::fs::read_to_string(Path::new(FIXTURES).join("patch.rs")).unwrap(),
        }
    })
}

fn both() -> [&'static Built; 2] {
    [&fixtures().module, &fixtures().vmlinux]
}

/// The findings by the line of their record.
fn findings(b: &'static Built) -> HashMap<u64, &'static Finding> {
    b.report
        .findings
        .iter()
        .map(|f| {
            let line = f.location.rsplit(':').next().unwrap().parse().unwrap();
            (line, f)
        })
        .collect()
}

/// The line of the record `record!(<args>` in fixtures/patch.rs.
fn line(args: &str) -> u64 {
    let needle = format!("record!({args}");
    let found: Vec<_> = fixtures()
        .source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&needle))
        .collect();
    assert_eq!(found.len(), 1, "one record!({args}...) in patch.rs");
    found[0].0 as u64 + 1
}

/// The message for the record `args`, which must have one.
fn message(b: &'static Built, args: &str) -> &'static str {
    let line = line(args);
    match findings(b).get(&line) {
        Some(f) => &f.message,
        None => panic!("no finding for record!({args}...) at line {line}"),
    }
}

fn passes(b: &'static Built, args: &str) {
    let line = line(args);
    if let Some(f) = findings(b).get(&line) {
        panic!("record!({args}...) at line {line}: {}", f.message);
    }
}

#[test]
fn every_record_is_read() {
    for b in both() {
        assert_eq!(b.report.records, 18);
        assert!(b.target.exists());
        assert!(b.report.notes.is_empty(), "{:?}", b.report.notes);
    }
}

#[test]
fn valid_records_pass() {
    for b in both() {
        passes(b, "Replaced, \"answer\", 0, new_answer)");
        passes(
            b,
            "Replaced, \"show\", 0, klp::witness::<unsafe extern \"C\" fn(*mut seq_file",
        );
        passes(b, "Replaced, \"dup\", 2,");
        passes(b, "PrivateFn, \"use_dup_a\"");
        passes(b, "PrivateStatic, \"counter\", 0, klp::witness::<c_uint>");
        passes(
            b,
            "PrivateStatic, \"table\", 0, klp::witness::<[c_long; 4]>",
        );
        // A C function pointer is an `Option<fn>` in the bindings.
        passes(b, "PrivateFn, \"with_callback\"");
        // `int grid[2][3]` is `[[c_int; 3]; 2]`.
        passes(b, "PrivateStatic, \"grid\"");
        assert_eq!(b.report.findings.len(), 10);
    }
}

#[test]
fn unknown_symbol() {
    for b in both() {
        assert_eq!(
            message(b, "Replaced, \"no_such_function\""),
            format!(
                "replaced function `no_such_function` of target: no such symbol in {}",
                b.target.display()
            )
        );
    }
}

#[test]
fn ambiguous_name_lists_candidates_with_their_files() {
    for (b, place) in [
        (&fixtures().module, ".text+0x"),
        (&fixtures().vmlinux, "0xffffffff81"),
    ] {
        let m = message(b, "Replaced, \"dup\", 0,");
        assert!(
            m.starts_with(&format!(
                "replaced function `dup` of target: the name is ambiguous: 2 symbols have it; \
                 give a sympos\n  sympos 1: a function at {place}"
            )),
            "{m}"
        );
        let lines: Vec<_> = m.lines().collect();
        assert_eq!(lines.len(), 3, "{m}");
        assert!(lines[1].ends_with("fixtures/target_a.c"), "{m}");
        assert!(
            lines[2].starts_with(&format!("  sympos 2: a function at {place}")),
            "{m}"
        );
        assert!(lines[2].ends_with("fixtures/target_b.c"), "{m}");
    }
}

#[test]
fn sympos_out_of_range() {
    for b in both() {
        let m = message(b, "Replaced, \"dup\", 3,");
        assert!(
            m.starts_with(
                "replaced function `dup` of target: sympos 3 is out of range: target has 2 \
                 symbols of that name\n  sympos 1:"
            ),
            "{m}"
        );
    }
}

#[test]
fn notrace_target() {
    for b in both() {
        assert!(message(b, "Replaced, \"quiet\"").starts_with(
            "replaced function `quiet` of target: ftrace cannot patch it: it has no __fentry__ \
             call site"
        ));
    }
}

#[test]
fn data_is_not_a_function() {
    for b in both() {
        assert_eq!(
            message(b, "Replaced, \"counter\""),
            "replaced function `counter` of target: it is data in the kernel, not a function"
        );
    }
}

#[test]
fn replacement_prototype() {
    for b in both() {
        assert_eq!(
            message(
                b,
                "Replaced, \"show\", 0, klp::witness::<unsafe extern \"C\" fn(*mut file"
            ),
            format!(
                "replaced function `show` of target: its Rust prototype differs from the \
                 kernel's:\n  kernel: s32 (struct seq_file *, void *) ({})\n  Rust:   s32 \
                 (struct file *, void *) (as declared)\n  parameter 1: kernel `struct seq_file \
                 *`, Rust `struct file *`",
                unit("target_a.c")
            )
        );
    }
}

#[test]
fn private_function_prototype() {
    for b in both() {
        let m = message(b, "PrivateFn, \"show\"");
        assert!(
            m.starts_with("private function `show` of target: its Rust prototype differs"),
            "{m}"
        );
        assert!(
            m.ends_with("\n  return type: kernel `s32`, Rust `s64`"),
            "{m}"
        );
    }
}

#[test]
fn private_static_type() {
    for b in both() {
        assert_eq!(
            message(b, "PrivateStatic, \"counter\", 0, klp::witness::<u64>"),
            format!(
                "private static `counter` of target: its Rust type differs from the kernel's:\n  \
                 kernel: u32 ({})\n  Rust:   u64",
                unit("target_a.c")
            )
        );
        let m = message(
            b,
            "PrivateStatic, \"table\", 0, klp::witness::<[c_long; 3]>",
        );
        assert!(m.contains("\n  kernel: s64[4] ("), "{m}");
        assert!(m.ends_with("\n  Rust:   s64[3]"), "{m}");
    }
}

#[test]
fn init_symbols_count_while_a_module_loads() {
    let m = message(&fixtures().module, "Replaced, \"setup\"");
    assert!(
        m.starts_with(
            "replaced function `setup` of target: its sympos depends on the load order: when \
             target loads after the patch, the kernel also counts the symbols of its init \
             sections, and 2 symbols have the name then"
        ),
        "{m}"
    );
    assert!(
        m.contains("\n  sympos 2 while loading: a function at .init.text+0x"),
        "{m}"
    );
    // In vmlinux, kallsyms lists the init symbols too: the name is ambiguous.
    let m = message(&fixtures().vmlinux, "Replaced, \"setup\"");
    assert!(
        m.starts_with("replaced function `setup` of target: the name is ambiguous"),
        "{m}"
    );
}

/// The compilation unit's name clang gives `fixtures/<file>`.
fn unit(file: &str) -> String {
    Path::new(FIXTURES).join(file).display().to_string()
}
