// SPDX-License-Identifier: GPL-2.0

//! The `klp-convert` command: see [`klp_convert`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use klp_convert::FileError;

const EXIT_CODES: &str = "\
Exit codes:
  0  every file was converted, had nothing to convert, or (--check) has no undefined
     livepatch symbol
  1  a file was refused or could not be read or written, or (--check) still has undefined
     livepatch symbols; the other files were still processed
  2  usage error";

/// Converts linked livepatch modules' `.klp.sym.*` references into livepatch relocations.
///
/// Each relocation against an undefined `.klp.sym.<object>.<name>,<sympos>` symbol in a
/// loaded section moves into a `.klp.rela.<object>.<section>` section, and the symbols are
/// marked SHN_LIVEPATCH, as Documentation/livepatch/module-elf-format.rst describes. Files
/// are rewritten in place, append-only; a file with nothing to convert is not written. Run
/// it after linking and before signing.
#[derive(Parser)]
#[command(version, after_help = EXIT_CODES)]
struct Cli {
    /// Change nothing; fail naming each `.klp.sym.*` symbol that is still undefined.
    #[arg(long)]
    check: bool,

    /// Print nothing for files that convert or have nothing to convert.
    #[arg(long, short)]
    quiet: bool,

    /// Linked kernel modules (ELF64 x86-64 relocatable objects).
    #[arg(required = true, value_name = "FILE.ko")]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut failed = false;
    for file in &cli.files {
        match run(&cli, file) {
            Ok(Some(line)) if !cli.quiet => println!("{}: {line}", file.display()),
            Ok(_) => {}
            Err(err) => {
                eprintln!("klp-convert: {:#}", anyhow::Error::from(err));
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks or converts one file; what to print about it, if anything.
fn run(cli: &Cli, file: &Path) -> Result<Option<String>, FileError> {
    if cli.check {
        klp_convert::check_file(file)?;
        return Ok(None);
    }
    Ok(Some(match klp_convert::convert_file(file)? {
        Some(report) => report.to_string(),
        None => "nothing to convert".into(),
    }))
}
