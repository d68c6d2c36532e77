// SPDX-License-Identifier: GPL-2.0

//! The `klp-check` command: see [`klp_check`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use klp_check::{Checker, Objects};

const EXIT_CODES: &str = "\
Exit codes:
  0  every record of every module passed (notes say what could not be compared)
  1  a check failed, or a file could not be read
  2  usage error";

/// Checks livepatch modules built with klp-rs against the kernel they patch.
///
/// Every function a module replaces and every private symbol it declares is looked up in its
/// object (vmlinux, or a module's .ko): it must exist, be unambiguous or have a sympos in range,
/// be a function or data as declared, be patchable by ftrace if replaced, and have the Rust
/// prototype or type of the kernel's, compared through both sides' DWARF.
#[derive(Parser)]
#[command(version, after_help = EXIT_CODES)]
struct Cli {
    /// The kernel's vmlinux (the build directory's, with its symbol table and debug info).
    #[arg(long, value_name = "FILE")]
    vmlinux: PathBuf,

    /// A patched module's .ko, by module name; may repeat.
    #[arg(long = "module", value_name = "NAME=FILE.ko", value_parser = parse_module)]
    modules: Vec<(String, PathBuf)>,

    /// A directory searched recursively for patched modules' <name>.ko; may repeat.
    #[arg(long = "module-dir", value_name = "DIR")]
    module_dirs: Vec<PathBuf>,

    /// A patched module whose .ko is found nowhere is a note, not a failure.
    #[arg(long)]
    allow_missing_modules: bool,

    /// Print nothing for modules that pass.
    #[arg(long, short)]
    quiet: bool,

    /// Patch modules to check.
    #[arg(required = true, value_name = "PATCH.ko")]
    patches: Vec<PathBuf>,
}

fn parse_module(arg: &str) -> Result<(String, PathBuf), String> {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=FILE.ko, got `{arg}`")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut checker = Checker::new(Objects {
        vmlinux: cli.vmlinux,
        modules: cli.modules,
        module_dirs: cli.module_dirs,
        allow_missing: cli.allow_missing_modules,
    });
    // Locations relative to the working directory, as a compiler prints them.
    let cwd = std::env::current_dir().ok();
    let relative = |location: &str| -> String {
        match cwd.as_deref().and_then(|d| d.to_str()) {
            Some(dir) => location
                .strip_prefix(dir)
                .and_then(|l| l.strip_prefix('/'))
                .unwrap_or(location)
                .to_owned(),
            None => location.to_owned(),
        }
    };
    let mut failed = false;
    let mut notes: Vec<String> = Vec::new();
    for (path, report) in checker.check_all(&cli.patches) {
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                eprintln!("klp-check: {e}");
                failed = true;
                continue;
            }
        };
        for finding in &report.findings {
            eprintln!(
                "{}: error: {}",
                relative(&finding.location),
                finding.message
            );
        }
        if !report.findings.is_empty() {
            eprintln!(
                "klp-check: {}: {} of {} records failed",
                path.display(),
                report.findings.len(),
                report.records
            );
            failed = true;
            continue;
        }
        if cli.quiet {
            // Once each: the same notes come with every module.
            for note in report.notes {
                if !notes.contains(&note) {
                    println!("klp-check: note: {note}");
                    notes.push(note);
                }
            }
        } else {
            for note in &report.notes {
                println!("klp-check: {}: note: {note}", path.display());
            }
            println!(
                "klp-check: {}: {} record{} checked",
                path.display(),
                report.records,
                if report.records == 1 { "" } else { "s" }
            );
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
