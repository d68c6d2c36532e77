// SPDX-License-Identifier: GPL-2.0

//! The systemd unit shipped beside klpctl: systemd accepts it, and the command it runs is one
//! klpctl takes (here against a fake root, where nothing is installed or klpctl.noload is
//! given).

mod common;

use std::process::Command;

const UNIT: &str = include_str!("../klpctl.service");

#[test]
fn systemd_accepts_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    // systemd-analyze wants the command to exist: the one just built stands in for
    // /usr/local/sbin/klpctl.
    let unit = UNIT.replace("/usr/local/sbin/klpctl", env!("CARGO_BIN_EXE_klpctl"));
    assert_ne!(unit, UNIT, "the unit runs /usr/local/sbin/klpctl");
    let path = dir.path().join("klpctl.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze not found: scripts/setup installs systemd");
    assert!(
        out.status.success(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_units_command_runs() {
    let exec = UNIT
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart=/usr/local/sbin/klpctl "))
        .expect("an ExecStart running /usr/local/sbin/klpctl");
    let args: Vec<&str> = exec.split_whitespace().collect();
    assert_eq!(
        args,
        [
            "load",
            "--all",
            "--wait",
            "--timeout",
            "120",
            "--revert-on-timeout"
        ]
    );
    assert!(UNIT.contains("ConditionKernelCommandLine=!klpctl.noload"));

    let root = common::Root::new();
    let (code, out, err) = root.klpctl(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("no patches installed for {}\n", common::RELEASE)
    );
    root.write("proc/cmdline", "ro klpctl.noload\n");
    let dir = tempfile::tempdir().unwrap();
    let ko = common::write_module(
        dir.path(),
        "fix.ko",
        &common::livepatch_info("fix", common::RELEASE),
        None,
    );
    let (code, _, _) = root.klpctl(&["install", ko.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, out, err) = root.klpctl(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "klpctl.noload on the kernel command line: no installed patch loaded\n"
    );
}
