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

/// A part of the guest's bench: its name, what its figure is, its unit, its variants in order,
/// and the ratio of two of them the report states (numerator, denominator, as written).
pub struct PartSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub unit: &'static str,
    pub variants: &'static [&'static str],
    pub ratio: (&'static str, &'static str, &'static str),
}

/// The parts of the guest's bench, in order.
pub const PARTS: &[PartSpec] = &[
    PartSpec {
        name: "call",
        title: "per-call cost of klp_rs_bench_fn()",
        unit: "ns per call (TCG)",
        variants: VARIANTS,
        ratio: ("rust", "c", "Rust / C"),
    },
    PartSpec {
        name: "cmdline",
        title: "reads of /proc/cmdline",
        unit: "reads per second (TCG)",
        variants: VARIANTS,
        ratio: ("rust", "c", "Rust / C"),
    },
    PartSpec {
        name: "wrapper",
        title: "per-call cost of a Rust function, plain and through klp::patchable!'s wrapper",
        unit: "ns per call (TCG)",
        variants: &["plain", "patchable"],
        ratio: ("patchable", "plain", "patchable / plain"),
    },
];

/// The variants of the parts that compare patches: unpatched, and patched by C and by Rust.
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
    /// The ratio of medians the part states (for `call` and `cmdline`, Rust / C).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Ratio>,
}

/// A ratio of two variants' medians, and what it divides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// `numerator / denominator`, as the report writes it.
    pub label: String,
    pub value: f64,
}

/// One point of a scaling part: a variant at one `x` (how many tasks, functions...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: u64,
    pub variant: String,
    /// ms from insmod to the end of the transition.
    pub load_ms: Summary,
    /// ms from disabling until the patch was freed.
    pub disable_ms: Summary,
    /// How many times the kernel tried to complete the transition (its first try at enable,
    /// then one a second).
    pub attempts: Summary,
    /// `scale`: how long the patch module took to build alone, and its `size` (text+data).
    pub build_ms: Option<u64>,
    pub text_data: Option<u64>,
}

/// A scaling module's build, as scripts/bench records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Build {
    pub functions: u64,
    pub variant: String,
    pub build_ms: u64,
    /// The module file built.
    pub ko: PathBuf,
}

/// A part whose figures depend on a size: transition times by extra tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    pub name: String,
    pub title: String,
    /// What `x` counts.
    pub x: String,
    pub points: Vec<Point>,
}

/// A scaling part's sample field that holds x.
type XField = fn(&Sample) -> Option<u64>;

/// The scaling parts: name, title, what x counts, where a sample has it.
pub const SCALING: &[(&str, &str, &str, XField)] = &[
    (
        "tasks",
        "transition time of the cmdline patch by extra sleeping tasks",
        "extra tasks",
        |s| s.tasks,
    ),
    (
        "scale",
        "load and disable times by patch size",
        "functions",
        |s| s.functions,
    ),
];

/// The scaling parts' points from `samples` (and, for patch sizes, `builds`): for each x, C
/// and Rust.
pub fn scaling(samples: &[Sample], builds: &[Build]) -> Result<Vec<Scaling>, String> {
    let mut out = Vec::new();
    for (name, title, x_name, x_of) in SCALING {
        let mine: Vec<&Sample> = samples.iter().filter(|s| s.part == *name).collect();
        let mut xs: Vec<u64> = mine.iter().filter_map(|s| x_of(s)).collect();
        xs.sort_unstable();
        xs.dedup();
        if xs.is_empty() {
            return Err(format!("no sample of part '{name}'"));
        }
        let mut points = Vec::new();
        for x in xs {
            for variant in ["c", "rust"] {
                let at: Vec<&Sample> = mine
                    .iter()
                    .copied()
                    .filter(|s| x_of(s) == Some(x) && s.variant == variant)
                    .collect();
                let build = (*name == "scale")
                    .then(|| {
                        builds
                            .iter()
                            .find(|b| b.functions == x && b.variant == variant)
                    })
                    .flatten();
                let summary = |f: &dyn Fn(&Sample) -> Option<f64>| {
                    Summary::of(&at.iter().filter_map(|s| f(s)).collect::<Vec<_>>())
                        .ok_or_else(|| format!("no sample of part '{name}', {variant} at {x}"))
                };
                points.push(Point {
                    x,
                    variant: variant.to_owned(),
                    load_ms: summary(&|s| Some(s.load_us? as f64 / 1000.0))?,
                    disable_ms: summary(&|s| Some(s.disable_us? as f64 / 1000.0))?,
                    attempts: summary(&|s| Some(s.attempts? as f64))?,
                    build_ms: build.map(|b| b.build_ms),
                    text_data: match build {
                        Some(b) => Some(sizes::of(&b.ko)?.text_data()),
                        None => None,
                    },
                });
            }
        }
        out.push(Scaling {
            name: (*name).to_owned(),
            title: (*title).to_owned(),
            x: (*x_name).to_owned(),
            points,
        });
    }
    Ok(out)
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
    pub scaling: Vec<Scaling>,
    pub sizes: Vec<SizePair>,
    /// Sizes measured before, to compare with (`bench/sizes-before.json`): the Sizes table
    /// shows each patch's Rust text+data and ratio then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizes_before: Option<SizesBefore>,
}

/// Sizes of an earlier run: where they come from, and the pairs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizesBefore {
    /// Which run, e.g. "make bench at 5f8c47a".
    pub source: String,
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
    for spec in PARTS {
        let PartSpec {
            name, title, unit, ..
        } = spec;
        let mut variants = BTreeMap::new();
        for variant in spec.variants {
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
        let (num, den, label) = spec.ratio;
        let ratio = match (variants.get(num), variants.get(den)) {
            (Some(n), Some(d)) if d.median > 0.0 => Some(Ratio {
                label: label.to_owned(),
                value: n.median / d.median,
            }),
            _ => None,
        };
        parts.push(Part {
            name: (*name).to_owned(),
            title: (*title).to_owned(),
            unit: (*unit).to_owned(),
            variants,
            rust_over_c,
            ratio,
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
            let order = PARTS
                .iter()
                .find(|p| p.name == part.name)
                .map_or(VARIANTS, |p| p.variants);
            for variant in order {
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
            match (&part.ratio, part.rust_over_c) {
                (Some(r), _) => {
                    let _ = writeln!(md, "\n{} (medians): **{:.3}**", r.label, r.value);
                }
                (None, Some(r)) => {
                    let _ = writeln!(md, "\nRust / C (medians): **{r:.3}**");
                }
                (None, None) => {}
            }
            md.push('\n');
        }
        for sc in &self.scaling {
            let _ = writeln!(
                md,
                "**{}** (medians, min–max; times in ms, TCG; attempts a count; build in ms of the \
                 patch's whole `make`; text+data in bytes):\n",
                sc.title
            );
            let builds = sc.points.iter().any(|p| p.build_ms.is_some());
            let _ = write!(
                md,
                "| {} | C load | Rust load | C disable | Rust disable | C attempts | Rust attempts |",
                sc.x
            );
            let _ = write!(
                md,
                "{}",
                if builds {
                    " C build ms | Rust build ms | C text+data | Rust text+data |\n"
                } else {
                    "\n"
                }
            );
            let _ = writeln!(
                md,
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |{}",
                if builds {
                    " ---: | ---: | ---: | ---: |"
                } else {
                    ""
                }
            );
            let mut xs: Vec<u64> = sc.points.iter().map(|p| p.x).collect();
            xs.dedup();
            for x in xs {
                let at = |v: &str| sc.points.iter().find(|p| p.x == x && p.variant == v);
                let (Some(c), Some(r)) = (at("c"), at("rust")) else {
                    continue;
                };
                let range =
                    |s: &Summary| format!("{} ({}–{})", fmt(s.median), fmt(s.min), fmt(s.max));
                let _ = write!(
                    md,
                    "| {x} | {} | {} | {} | {} | {} | {} |",
                    range(&c.load_ms),
                    range(&r.load_ms),
                    range(&c.disable_ms),
                    range(&r.disable_ms),
                    range(&c.attempts),
                    range(&r.attempts)
                );
                if builds {
                    let opt = |v: Option<u64>| v.map_or("-".to_owned(), |v| v.to_string());
                    let _ = write!(
                        md,
                        " {} | {} | {} | {} |",
                        opt(c.build_ms),
                        opt(r.build_ms),
                        opt(c.text_data),
                        opt(r.text_data)
                    );
                }
                md.push('\n');
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "**Sizes** (`size`, bytes): Rust patch beside its C twin\n"
        );
        let before = |name: &str| {
            self.sizes_before
                .as_ref()
                .and_then(|b| b.sizes.iter().find(|p| p.name == name))
        };
        match &self.sizes_before {
            Some(b) => {
                let _ = writeln!(
                    md,
                    "Before: {}. After: this run.\n\n\
                     | patch | Rust text | Rust data | Rust bss | C text | C data | C bss | \
                     Rust text+data before | Rust / C before | Rust / C (text+data) |\n\
                     | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                    b.source
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "| patch | Rust text | Rust data | Rust bss | C text | C data | C bss | \
                     Rust / C (text+data) |\n\
                     | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
                );
            }
        }
        for p in &self.sizes {
            let _ = write!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.name, p.rust.text, p.rust.data, p.rust.bss, p.c.text, p.c.data, p.c.bss
            );
            if self.sizes_before.is_some() {
                match before(&p.name) {
                    Some(b) => {
                        let _ = write!(md, " {} | {:.2} |", b.rust.text + b.rust.data, b.ratio);
                    }
                    None => md.push_str(" – | – |"),
                }
            }
            let _ = writeln!(md, " {:.2} |", p.ratio);
        }
        md
    }
}
