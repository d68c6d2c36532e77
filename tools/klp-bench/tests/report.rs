// SPDX-License-Identifier: GPL-2.0

//! The report from samples and module files: figures, ratios, sizes, and its renderings.

use klp_bench::report::{self, Report, SCHEMA};
use klp_bench::samples;
use klp_bench::sizes;

use object::write::Object;
use object::{Architecture, BinaryFormat, Endianness, SectionKind};

/// A relocatable ELF file with sections of the given kinds and sizes.
fn elf(sections: &[(&str, SectionKind, usize)]) -> Vec<u8> {
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    for (name, kind, size) in sections {
        let id = obj.add_section(Vec::new(), name.as_bytes().to_vec(), *kind);
        if *kind == SectionKind::UninitializedData {
            obj.append_section_bss(id, *size as u64, 1);
        } else {
            obj.append_section_data(id, &vec![0u8; *size], 1);
        }
    }
    obj.write().unwrap()
}

#[test]
fn sizes_count_as_size_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.ko");
    std::fs::write(
        &path,
        elf(&[
            (".text", SectionKind::Text, 100),
            (".rodata", SectionKind::ReadOnlyData, 20),
            (".data", SectionKind::Data, 30),
            (".bss", SectionKind::UninitializedData, 40),
            (".comment", SectionKind::OtherString, 50),
        ]),
    )
    .unwrap();
    let s = sizes::of(&path).unwrap();
    assert_eq!((s.text, s.data, s.bss), (120, 30, 40));
    assert!(sizes::of(&dir.path().join("none.ko")).is_err());
}

fn sample(part: &str, variant: &str, rep: u32, a: u64, b: u64) -> String {
    match part {
        "call" | "wrapper" => format!(
            "# bench: {{\"part\":\"{part}\",\"variant\":\"{variant}\",\"rep\":{rep},\"calls\":{a},\"ns\":{b}}}"
        ),
        _ => format!(
            "# bench: {{\"part\":\"cmdline\",\"variant\":\"{variant}\",\"rep\":{rep},\"reads\":{a},\"us\":{b}}}"
        ),
    }
}

#[test]
fn parts_medians_and_ratios() {
    let mut log = Vec::new();
    for (variant, ns) in [
        ("unpatched", [20, 22, 21]),
        ("c", [40, 44, 42]),
        ("rust", [42, 40, 43]),
    ] {
        for (i, n) in ns.iter().enumerate() {
            log.push(sample("call", variant, i as u32 + 1, 1000, n * 1000));
            log.push(sample(
                "cmdline",
                variant,
                i as u32 + 1,
                *n * 100,
                1_000_000,
            ));
        }
    }
    for (variant, ns) in [("plain", 10), ("patchable", 13)] {
        log.push(sample("wrapper", variant, 1, 1000, ns * 1000));
    }
    let samples = samples::parse(&log.join("\n")).unwrap();
    let parts = report::parts(&samples).unwrap();
    let wrapper = &parts[2];
    assert_eq!(wrapper.name, "wrapper");
    assert_eq!(wrapper.rust_over_c, None);
    let ratio = wrapper.ratio.as_ref().unwrap();
    assert_eq!(ratio.label, "patchable / plain");
    assert!((ratio.value - 1.3).abs() < 1e-9, "{}", ratio.value);
    let call = &parts[0];
    assert_eq!(call.ratio.as_ref().unwrap().label, "Rust / C");
    assert_eq!(call.variants["unpatched"].median, 21.0);
    assert_eq!(call.variants["c"].median, 42.0);
    assert_eq!(call.variants["rust"].median, 42.0);
    assert_eq!(call.variants["rust"].min, 40.0);
    assert_eq!(call.rust_over_c, Some(1.0));
    assert_eq!(parts[1].variants["c"].median, 4200.0);

    // A part without a variant's samples is an error, not a table with a hole.
    let partial: Vec<_> = samples
        .into_iter()
        .filter(|s| s.variant != "rust")
        .collect();
    let e = report::parts(&partial).unwrap_err();
    assert!(
        e.contains("no sample of part 'call', variant 'rust'"),
        "{e}"
    );

    let report = Report {
        schema: SCHEMA.into(),
        mode: "full".into(),
        command: "make bench".into(),
        kernel: "Linux 6.12.117".into(),
        machine: "QEMU TCG".into(),
        parts,
        scaling: Vec::new(),
        sizes: Vec::new(),
        sizes_before: None,
    };
    let md = report.markdown();
    assert!(md.contains("| c | 42.00 | 40.00 | 44.00 | 3 |"), "{md}");
    assert!(md.contains("Rust / C (medians): **1.000**"), "{md}");
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
    for part in &report.parts {
        let svg = klp_bench::svg::part(part).unwrap();
        let variant = if part.name == "wrapper" {
            "patchable"
        } else {
            "rust"
        };
        assert!(svg.starts_with("<svg") && svg.contains(variant), "{svg}");
    }
}

#[test]
fn scaling_points_per_count_and_variant() {
    let mut log = Vec::new();
    for (tasks, base) in [(0, 1000), (100, 2000)] {
        for (variant, extra) in [("c", 0), ("rust", 10)] {
            for rep in 1..=3u64 {
                log.push(format!(
                    "# bench: {{\"part\":\"tasks\",\"variant\":\"{variant}\",\"rep\":{rep},\"tasks\":{tasks},\"load_us\":{},\"attempts\":{},\"disable_us\":{}}}",
                    (base + extra + rep * 100) * 1000,
                    rep + 1,
                    500_000
                ));
            }
        }
    }
    for (n, variant) in [(1, "c"), (1, "rust"), (10, "c"), (10, "rust")] {
        log.push(format!(
            "# bench: {{\"part\":\"scale\",\"variant\":\"{variant}\",\"rep\":1,\"functions\":{n},\"load_us\":1500000,\"attempts\":2,\"disable_us\":900000}}"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let ko = dir.path().join("klp_rs_scale_rust_10.ko");
    std::fs::write(
        &ko,
        elf(&[
            (".text", SectionKind::Text, 300),
            (".data", SectionKind::Data, 50),
        ]),
    )
    .unwrap();
    let builds = vec![report::Build {
        functions: 10,
        variant: "rust".into(),
        build_ms: 4200,
        ko,
    }];
    let samples = samples::parse(&log.join("\n")).unwrap();
    let scaling = report::scaling(&samples, &builds).unwrap();
    let scale = &scaling[1];
    assert_eq!(scale.points.len(), 4);
    assert_eq!(
        (scale.points[3].build_ms, scale.points[3].text_data),
        (Some(4200), Some(350))
    );
    assert_eq!(scale.points[2].build_ms, None);
    let tasks = &scaling[0];
    assert_eq!(tasks.points.len(), 4);
    let p = &tasks.points[3];
    assert_eq!((p.x, p.variant.as_str()), (100, "rust"));
    assert_eq!(p.load_ms.median, 2210.0);
    assert_eq!((p.attempts.min, p.attempts.max), (2.0, 4.0));
    assert_eq!(p.disable_ms.median, 500.0);
    let svg = klp_bench::svg::scaling(tasks).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(report::scaling(&[], &[]).is_err());
}

#[test]
fn sizes_table_shows_the_sizes_before_beside_this_runs() {
    use klp_bench::report::{SizePair, SizesBefore};
    use klp_bench::sizes::Sizes;
    let pair = |name: &str, rust_text: u64, ratio: f64| SizePair {
        name: name.into(),
        rust: Sizes {
            text: rust_text,
            data: 2000,
            bss: 0,
        },
        c: Sizes {
            text: 500,
            data: 2000,
            bss: 0,
        },
        ratio,
    };
    let mut report = Report {
        schema: SCHEMA.into(),
        mode: "full".into(),
        command: "make bench".into(),
        kernel: "Linux 6.12.117".into(),
        machine: "QEMU TCG".into(),
        parts: Vec::new(),
        scaling: Vec::new(),
        sizes: vec![pair("sample", 600, 1.04), pair("new_patch", 700, 1.08)],
        sizes_before: Some(SizesBefore {
            source: "make bench at abc1234".into(),
            sizes: vec![pair("sample", 1800, 1.52)],
        }),
    };
    let md = report.markdown();
    assert!(
        md.contains("Before: make bench at abc1234. After: this run."),
        "{md}"
    );
    assert!(
        md.contains("| Rust text+data before | Rust / C before | Rust / C (text+data) |"),
        "{md}"
    );
    assert!(
        md.contains("| sample | 600 | 2000 | 0 | 500 | 2000 | 0 | 3800 | 1.52 | 1.04 |"),
        "{md}"
    );
    // A patch the earlier run did not have: dashes, not zeros.
    assert!(
        md.contains("| new_patch | 700 | 2000 | 0 | 500 | 2000 | 0 | – | – | 1.08 |"),
        "{md}"
    );
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
    // Without, the table has no such columns, and the JSON no such field.
    report.sizes_before = None;
    let md = report.markdown();
    assert!(!md.contains("before"), "{md}");
    assert!(!serde_json::to_string(&report)
        .unwrap()
        .contains("sizes_before"));
}
