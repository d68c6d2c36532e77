// SPDX-License-Identifier: GPL-2.0

//! Fixtures and scratch directories shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};

/// The directory of the committed fixtures (see `fixtures/make-fixtures`).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The bytes of fixture `name`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures().join(name);
    fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// An empty scratch directory for test `name` under Cargo's target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    match fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => panic!("{}: {err}", dir.display()),
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies fixture `name` into `dir`, returning the copy's path.
pub fn copy_fixture(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, fixture(name)).unwrap();
    path
}
