// SPDX-License-Identifier: GPL-2.0

//! The `klp-convert` command: what it prints, what it changes, its exit codes.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Command, Output};

use crate::common;

/// Runs `klp-convert` with `args`.
fn klp_convert<I: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = I>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_klp-convert"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn converts_in_place_and_reports_each_file() {
    let dir = common::scratch("cli_converts");
    let main = common::copy_fixture(&dir, "main.elf");
    let plain = common::copy_fixture(&dir, "plain.elf");
    fs::set_permissions(&main, fs::Permissions::from_mode(0o640)).unwrap();

    let output = klp_convert([&main, &plain]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        stdout(&output),
        format!(
            "{}: moved 9 relocation(s) into .klp.rela.vmlinux..text (3), \
             .klp.rela.klp_rs_target..text (3), .klp.rela.vmlinux..init.text (1), \
             .klp.rela.vmlinux..data (1), .klp.rela.klp_rs_target..data.rel.ro (1); \
             marked 9 livepatch symbol(s)\n\
             {}: nothing to convert\n",
            main.display(),
            plain.display()
        )
    );
    assert!(stderr(&output).is_empty(), "{output:?}");
    assert_eq!(mode(&main), 0o640);
    assert_eq!(fs::read(&plain).unwrap(), common::fixture("plain.elf"));
    let expected = klp_convert::convert(&common::fixture("main.elf"))
        .unwrap()
        .unwrap()
        .image;
    assert_eq!(fs::read(&main).unwrap(), expected);
    let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "temporary files left: {leftovers:?}");

    let output = klp_convert(["--check".as_ref(), main.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout(&output).is_empty() && stderr(&output).is_empty());
}

#[test]
fn quiet_prints_nothing() {
    let dir = common::scratch("cli_quiet");
    let main = common::copy_fixture(&dir, "main.elf");
    let output = klp_convert(["--quiet".as_ref(), main.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout(&output).is_empty() && stderr(&output).is_empty());
    assert!(klp_convert::unconverted(&fs::read(&main).unwrap())
        .unwrap()
        .is_empty());
}

#[test]
fn check_names_each_unconverted_symbol_and_changes_nothing() {
    let dir = common::scratch("cli_check");
    let main = common::copy_fixture(&dir, "main.elf");
    let plain = common::copy_fixture(&dir, "plain.elf");
    let output = klp_convert(["--check".as_ref(), main.as_os_str(), plain.as_os_str()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!(
            "klp-convert: {}: unconverted livepatch symbol(s)",
            main.display()
        )),
        "{message}"
    );
    for symbol in klp_convert::unconverted(&common::fixture("main.elf")).unwrap() {
        assert!(
            message.contains(&symbol),
            "{message} does not name {symbol}"
        );
    }
    assert_eq!(message.lines().count(), 1, "{message}");
    assert_eq!(fs::read(&main).unwrap(), common::fixture("main.elf"));
}

#[test]
fn refused_file_fails_and_the_others_still_convert() {
    let dir = common::scratch("cli_refused");
    let bad = common::copy_fixture(&dir, "bad-type.elf");
    let main = common::copy_fixture(&dir, "main.elf");
    let output = klp_convert([&bad, &main]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!(
            "klp-convert: cannot convert {}: section .rela.text -> .text: relocation at offset 0x3",
            bad.display()
        )),
        "{message}"
    );
    assert!(message.contains("R_X86_64_GOTPCREL"), "{message}");
    assert_eq!(fs::read(&bad).unwrap(), common::fixture("bad-type.elf"));
    assert!(stdout(&output).starts_with(&format!("{}: moved 9", main.display())));
}

#[test]
fn missing_file_fails() {
    let dir = common::scratch("cli_missing");
    let output = klp_convert([dir.join("absent.ko")]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(stderr(&output).contains("cannot read"), "{output:?}");
}

#[test]
fn usage_errors_exit_2() {
    let output = klp_convert::<&str>([]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let output = klp_convert(["--no-such-option", "x.ko"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

#[test]
fn help_documents_exit_codes() {
    let output = klp_convert(["--help"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let help = stdout(&output);
    for line in [
        "Exit codes:",
        "  0  ",
        "  1  ",
        "  2  usage error",
        "--check",
        "--quiet",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}:\n{help}");
    }
}
