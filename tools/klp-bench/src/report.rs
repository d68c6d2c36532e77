// SPDX-License-Identifier: GPL-2.0

//! The report of a bench run: each part's figures per variant, the ratios that matter, and the
//! sizes of the Rust patches beside their C twins.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::samples::Sample;
use crate::sizes::{self, Sizes};
use crate::stats::Summary;

/// The name and version of the JSON schema of [`Report`].
pub const SCHEMA: &str = "klp-bench/1";

/// The parts of the guest's bench, in order: name, what its figure is, its unit.
pub const PARTS: &[(&str, &str, &str)] = &[
    (
        "call",
        "per-call cost of klp_rs_bench_fn()",
        "ns per call (TCG)",
    ),
    (
        "cmdline",
        "reads of /proc/cmdline",
        "reads per second (TCG)",
    ),
];

/// The variants of each part, in order.
pub const VARIANTS: &[&str] = &["unpatched", "c", "rust"];

/// One part's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub title: String,
    pub unit: String,
    /// Per variant: the summary of its samples.
    pub variants: BTreeMap<String, Summary>,
    /// Rust's median over C's: 1.0 means a Rust replacement costs what a C one does.
    pub rust_over_c: Option<f64>,
}

/// A Rust patch module beside its C twin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizePair {
    pub name: String,
    pub rust: Sizes,
    pub c: Sizes,
    /// Rust's text+data over C's.
    pub ratio: f64,
}

/// A whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    /// `full`, or `quick` (one short iteration: it runs, its figures mean nothing).
    pub mode: String,
    /// The command that produced it.
    pub command: String,
    /// The kernel it ran on (its release) and how (`QEMU TCG, 2 vCPUs`).
    pub kernel: String,
    pub machine: String,
    pub parts: Vec<Part>,
    pub sizes: Vec<SizePair>,
}

/// The Rust patch modules and their C twins whose sizes the report compares: name, Rust
/// module (relative to the klp-rs tree), C module (relative to the kernel build directory,
/// or to the klp-rs tree when it starts with `tests/`).
pub const SIZE_PAIRS: &[(&str, &str, &str)] = &[
    (
        "livepatch_sample",
        "patches/livepatch_sample.ko",
        "samples/livepatch/livepatch-sample.ko",
    ),
    (
        "livepatch_callbacks_demo",
        "patches/livepatch_callbacks_demo.ko",
        "samples/livepatch/livepatch-callbacks-demo.ko",
    ),
    (
        "livepatch_shadow_fix1",
        "patches/livepatch_shadow_fix1.ko",
        "samples/livepatch/livepatch-shadow-fix1.ko",
    ),
    (
        "livepatch_shadow_fix2",
        "patches/livepatch_shadow_fix2.ko",
        "samples/livepatch/livepatch-shadow-fix2.ko",
    ),
    (
        "klp_rs_bench_patch",
        "tests/modules/klp_rs_bench_patch.ko",
        "tests/modules/klp_rs_bench_patch_c.ko",
    ),
];

/// The sizes of [`SIZE_PAIRS`], with the modules under `modules` (the klp-rs tree) and the
/// C samples under `kdir`.
pub fn size_pairs(modules: &Path, kdir: &Path) -> Result<Vec<SizePair>, String> {
    let mut pairs = Vec::new();
    for (name, rust, c) in SIZE_PAIRS {
        let c_path: PathBuf = if c.starts_with("tests/") {
            modules.join(c)
        } else {
            kdir.join(c)
        };
        let rust = sizes::of(&modules.join(rust))?;
        let c = sizes::of(&c_path)?;
        pairs.push(SizePair {
            name: (*name).to_owned(),
            rust,
            c,
            ratio: rust.text_data() as f64 / c.text_data().max(1) as f64,
        });
    }
    Ok(pairs)
}

/// The parts' figures from `samples`. Every part must have samples of every variant.
pub fn parts(samples: &[Sample]) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    for (name, title, unit) in PARTS {
        let mut variants = BTreeMap::new();
        for variant in VARIANTS {
            let values: Vec<f64> = samples
                .iter()
                .filter(|s| s.part == *name && s.variant == *variant)
                .filter_map(Sample::value)
                .collect();
            let summary = Summary::of(&values)
                .ok_or_else(|| format!("no sample of part '{name}', variant '{variant}'"))?;
            variants.insert((*variant).to_owned(), summary);
        }
        let rust_over_c = match (variants.get("rust"), variants.get("c")) {
            (Some(r), Some(c)) if c.median > 0.0 => Some(r.median / c.median),
            _ => None,
        };
        parts.push(Part {
            name: (*name).to_owned(),
            title: (*title).to_owned(),
            unit: (*unit).to_owned(),
            variants,
            rust_over_c,
        });
    }
    Ok(parts)
}

fn fmt(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

impl Report {
    /// The report as Markdown: a table per part, then the sizes.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "Produced by `{}` on {} ({}), mode {}. Absolute times are QEMU TCG times, not \
             hardware times; ratios are of medians measured side by side in the same boot.\n",
            self.command, self.kernel, self.machine, self.mode
        );
        for part in &self.parts {
            let _ = writeln!(md, "**{}**, {}:\n", part.title, part.unit);
            let _ = writeln!(md, "| variant | median | min | max | runs |");
            let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
            for variant in VARIANTS {
                if let Some(s) = part.variants.get(*variant) {
                    let _ = writeln!(
                        md,
                        "| {variant} | {} | {} | {} | {} |",
                        fmt(s.median),
                        fmt(s.min),
                        fmt(s.max),
                        s.n
                    );
                }
            }
            if let Some(r) = part.rust_over_c {
                let _ = writeln!(md, "\nRust / C (medians): **{r:.3}**");
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "**Sizes** (`size`, bytes): Rust patch beside its C twin\n"
        );
        let _ = writeln!(
            md,
            "| patch | Rust text | Rust data | Rust bss | C text | C data | C bss | Rust / C (text+data) |"
        );
        let _ = writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for p in &self.sizes {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {:.2} |",
                p.name, p.rust.text, p.rust.data, p.rust.bss, p.c.text, p.c.data, p.c.bss, p.ratio
            );
        }
        md
    }
}
