// SPDX-License-Identifier: GPL-2.0

//! What keeps the checker from checking (as opposed to what it finds wrong).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not an ELF file klp-check reads: {source}", path.display())]
    Elf {
        path: PathBuf,
        source: object::Error,
    },
    #[error("{}: its debug info: {source}", path.display())]
    Dwarf { path: PathBuf, source: gimli::Error },
    #[error("malformed klp-rs check records: {0}")]
    Records(String),
    /// A patched object that is not what it should be.
    #[error("{0}")]
    Object(String),
}
