// SPDX-License-Identifier: GPL-2.0

//! `klp-bench`: render a `make bench` run (scripts/bench) as bench.json, bench.md and SVG
//! plots in a results directory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use clap::Parser;

use klp_bench::report::{self, Report, SCHEMA};
use klp_bench::{samples, svg};

/// make bench's host side: generate the scaling modules, render a run's report.
#[derive(Parser, Debug)]
#[command(name = "klp-bench", version, about)]
enum Cli {
    /// Write the sources of the patch-size scaling modules (a C target, a C and a Rust
    /// patch of N functions, for each N) with their Kbuild and Makefile.
    Generate {
        /// The directory to write them to.
        #[arg(long)]
        out: PathBuf,
        /// The klp-rs tree (for klp-rs.mk).
        #[arg(long)]
        klp_rs: PathBuf,
        /// The sizes, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000")]
        functions: Vec<usize>,
    },
    /// Turn the samples of a bench boot's console log, and the modules' sizes, into
    /// bench.json, bench.md and SVG plots.
    Render(Render),
}

#[derive(clap::Args, Debug)]
struct Render {
    /// The console log of the bench boot.
    #[arg(long)]
    log: PathBuf,
    /// The klp-rs tree whose modules were booted.
    #[arg(long)]
    modules: PathBuf,
    /// The kernel build directory (its samples/livepatch are the C twins).
    #[arg(long)]
    kdir: PathBuf,
    /// The scaling modules' build report (scripts/bench), JSON.
    #[arg(long)]
    builds: Option<PathBuf>,
    /// full, or quick.
    #[arg(long, default_value = "full")]
    mode: String,
    /// The command that produced the run, recorded in the report.
    #[arg(long)]
    command: String,
    /// The kernel's release.
    #[arg(long)]
    kernel: String,
    /// Where to write bench.json, bench.md and the plots.
    #[arg(long)]
    out: PathBuf,
    /// Also replace the performance section of this README with bench.md.
    #[arg(long)]
    readme: Option<PathBuf>,
    /// Sizes of an earlier run to show beside this run's (JSON: `source` and `sizes`).
    #[arg(long)]
    sizes_before: Option<PathBuf>,
}

fn render(cli: &Render) -> Result<Report> {
    let log = std::fs::read_to_string(&cli.log)
        .with_context(|| format!("reading {}", cli.log.display()))?;
    let samples = samples::parse(&log).map_err(|e| anyhow!(e))?;
    let builds: Vec<report::Build> = match &cli.builds {
        Some(path) => serde_json::from_str(
            &std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?,
        )
        .with_context(|| format!("{}", path.display()))?,
        None => Vec::new(),
    };
    let report = Report {
        schema: SCHEMA.to_owned(),
        mode: cli.mode.clone(),
        command: cli.command.clone(),
        kernel: cli.kernel.clone(),
        machine: "QEMU TCG (thread=single: 2 vCPUs on one host thread), 1 GiB".to_owned(),
        parts: report::parts(&samples).map_err(|e| anyhow!("{}: {e}", cli.log.display()))?,
        scaling: report::scaling(&samples, &builds)
            .map_err(|e| anyhow!("{}: {e}", cli.log.display()))?,
        sizes: report::size_pairs(&cli.modules, &cli.kdir).map_err(|e| anyhow!(e))?,
        sizes_before: match &cli.sizes_before {
            Some(path) => Some(
                serde_json::from_str(
                    &std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?,
                )
                .with_context(|| format!("{}", path.display()))?,
            ),
            None => None,
        },
    };
    std::fs::create_dir_all(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?;
    let write = |name: &str, text: &str| -> Result<()> {
        let path = cli.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    write(
        "bench.json",
        &(serde_json::to_string_pretty(&report)? + "\n"),
    )?;
    write("bench.md", &report.markdown())?;
    for part in &report.parts {
        write(
            &format!("{}.svg", part.name),
            &svg::part(part).map_err(|e| anyhow!(e))?,
        )?;
    }
    for sc in &report.scaling {
        write(
            &format!("{}.svg", sc.name),
            &svg::scaling(sc).map_err(|e| anyhow!(e))?,
        )?;
    }
    write(
        "sizes.svg",
        &svg::sizes(&report.sizes).map_err(|e| anyhow!(e))?,
    )?;
    if let Some(path) = &cli.readme {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let text = klp_bench::readme::replace(&text, &report.markdown())
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(report)
}

fn main() -> ExitCode {
    let result = match Cli::parse() {
        Cli::Generate {
            out,
            klp_rs,
            functions,
        } => klp_bench::generate::write(&out, &functions, &klp_rs)
            .with_context(|| format!("writing {}", out.display())),
        Cli::Render(cli) => render(&cli).map(|report| print!("{}", report.markdown())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("klp-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
