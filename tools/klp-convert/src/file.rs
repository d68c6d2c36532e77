// SPDX-License-Identifier: GPL-2.0

//! Converting and checking module files in place.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process;

use crate::convert::{convert, unconverted, Report, MODULE_SIG_STRING};
use crate::error::FileError;
use crate::records::unload_records;

/// Converts the module at `path` in place, and keeps its check records out of kernel memory
/// ([`unload_records`]) unless it is signed already; `None` if there was nothing to convert.
/// A file with nothing to change is not written at all.
///
/// The new contents go to a temporary file beside it, with the same permissions, which then
/// replaces it: a reader never sees half a module.
pub fn convert_file(path: &Path) -> Result<Option<Report>, FileError> {
    let mut data = fs::read(path).map_err(|source| FileError::Read {
        file: path.into(),
        source,
    })?;
    let refused = |source| FileError::Refused {
        file: path.into(),
        source,
    };
    // The records first: the conversion then sees them unloaded and leaves their relocations
    // alone (livepatch would apply a `.klp.rela` section even to a section it never loaded). A
    // signature covers the flags: a signed module stays as it is, and the conversion refuses it.
    let unloaded = if data.ends_with(MODULE_SIG_STRING) {
        0
    } else {
        unload_records(&mut data).map_err(refused)?
    };
    let (image, report) = match convert(&data).map_err(refused)? {
        Some(converted) => (converted.image, Some(converted.report)),
        None => (data, None),
    };
    if report.is_some() || unloaded > 0 {
        replace(path, &image).map_err(|source| FileError::Write {
            file: path.into(),
            source,
        })?;
    }
    Ok(report)
}

/// Fails if the module at `path` still has undefined livepatch symbols, naming each.
pub fn check_file(path: &Path) -> Result<(), FileError> {
    let data = fs::read(path).map_err(|source| FileError::Read {
        file: path.into(),
        source,
    })?;
    let symbols = unconverted(&data).map_err(|source| FileError::Unreadable {
        file: path.into(),
        source,
    })?;
    if symbols.is_empty() {
        Ok(())
    } else {
        Err(FileError::Unconverted {
            file: path.into(),
            symbols,
        })
    }
}

/// Replaces the file at `path` (through a symbolic link, the file it names) with `contents`.
fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let path = fs::canonicalize(path)?;
    let permissions = fs::metadata(&path)?.permissions();
    let temporary = temporary_path(&path);
    let written = (|| {
        let mut file: File = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        fs::rename(&temporary, &path)
    })();
    if written.is_err() {
        // The error that matters is the one above; a leftover temporary file is only noise.
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// `.<name>.klp-convert.<pid>` beside `path`.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".klp-convert.{}", process::id()));
    path.with_file_name(name)
}
