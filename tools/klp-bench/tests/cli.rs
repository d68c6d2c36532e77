// SPDX-License-Identifier: GPL-2.0

//! `klp-bench render` end to end: from a console log, the modules and a build report to every
//! file of the results directory and the README's section.

use std::process::Command;

use klp_bench::report::SIZE_PAIRS;
use object::write::Object;
use object::{Architecture, BinaryFormat, Endianness, SectionKind};

fn elf(text: usize) -> Vec<u8> {
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    let id = obj.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
    obj.append_section_data(id, &vec![0xc3; text], 1);
    obj.write().unwrap()
}

#[test]
fn render_writes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let (modules, kdir, out) = (
        dir.path().join("m"),
        dir.path().join("k"),
        dir.path().join("out"),
    );
    for (_, rust, c) in SIZE_PAIRS {
        for (base, path) in [
            (&modules, *rust),
            (
                if c.starts_with("tests/") {
                    &modules
                } else {
                    &kdir
                },
                *c,
            ),
        ] {
            let path = base.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, elf(100)).unwrap();
        }
    }
    let mut log = String::new();
    for v in ["unpatched", "c", "rust"] {
        log += &format!("# bench: {{\"part\":\"call\",\"variant\":\"{v}\",\"rep\":1,\"calls\":10,\"ns\":1000}}\n");
        log += &format!("# bench: {{\"part\":\"cmdline\",\"variant\":\"{v}\",\"rep\":1,\"reads\":10,\"us\":1000}}\n");
    }
    for (v, ns) in [("plain", 1000), ("patchable", 1500)] {
        log += &format!("# bench: {{\"part\":\"wrapper\",\"variant\":\"{v}\",\"rep\":1,\"calls\":10,\"ns\":{ns}}}\n");
    }
    for v in ["c", "rust"] {
        log += &format!("# bench: {{\"part\":\"tasks\",\"variant\":\"{v}\",\"rep\":1,\"tasks\":0,\"load_us\":10,\"attempts\":1,\"disable_us\":10}}\n");
        log += &format!("# bench: {{\"part\":\"scale\",\"variant\":\"{v}\",\"rep\":1,\"functions\":1,\"load_us\":10,\"attempts\":1,\"disable_us\":10}}\n");
    }
    let log_path = dir.path().join("console.log");
    std::fs::write(&log_path, log).unwrap();
    let ko = dir.path().join("scale.ko");
    std::fs::write(&ko, elf(300)).unwrap();
    let builds = dir.path().join("builds.json");
    std::fs::write(
        &builds,
        format!(
            "[{{\"functions\":1,\"variant\":\"rust\",\"build_ms\":5,\"ko\":\"{}\"}}]",
            ko.display()
        ),
    )
    .unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(
        &readme,
        format!(
            "# x\n{}\nold\n{}\n",
            klp_bench::readme::BEGIN,
            klp_bench::readme::END
        ),
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_klp-bench"))
        .args([
            "render",
            "--mode",
            "full",
            "--command",
            "make bench",
            "--kernel",
            "Linux test",
        ])
        .arg("--log")
        .arg(&log_path)
        .arg("--modules")
        .arg(&modules)
        .arg("--kdir")
        .arg(&kdir)
        .arg("--builds")
        .arg(&builds)
        .arg("--out")
        .arg(&out)
        .arg("--readme")
        .arg(&readme)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in [
        "bench.json",
        "bench.md",
        "call.svg",
        "cmdline.svg",
        "wrapper.svg",
        "tasks.svg",
        "scale.svg",
        "sizes.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let md = std::fs::read_to_string(out.join("bench.md")).unwrap();
    let readme = std::fs::read_to_string(&readme).unwrap();
    assert_eq!(
        klp_bench::readme::section(&readme).unwrap(),
        md.trim_matches('\n')
    );
    assert!(md.contains("| - | 5 | - | 300 |"), "{md}");
    // The wrapper part, its variants in its own order and its own ratio.
    assert!(
        md.contains("| plain | 100 | 100 | 100 | 1 |\n| patchable | 150 | 150 | 150 | 1 |"),
        "{md}"
    );
    assert!(
        md.contains("patchable / plain (medians): **1.500**"),
        "{md}"
    );
}
