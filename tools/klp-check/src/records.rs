// SPDX-License-Identifier: GPL-2.0

//! The records a patch module carries for this checker: one per replaced function and per
//! private symbol, written by the `klp` crate's `patch!` and `private!` into
//! [`SECTION`] (`src/check.rs` defines the layout).

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionIndex, SymbolKind};

use crate::error::Error;

/// The section of the records.
pub const SECTION: &str = ".klp_rs.check";

/// The version of the record layout this checker reads.
pub const VERSION: u32 = 1;

/// The size of one record: `u32` version and kind, `u64` sympos and line, and four pointers.
pub const RECORD_SIZE: usize = 56;

/// What a record declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A function `klp::patch!` replaces; the witness is the replacement.
    Replaced,
    /// A function `klp::private!` declares; the witness's type parameter is its function
    /// pointer type.
    PrivateFn,
    /// A static `klp::private!` declares; the witness's type parameter is its type.
    PrivateStatic,
}

impl Kind {
    fn from_raw(raw: u32) -> Option<Kind> {
        match raw {
            1 => Some(Kind::Replaced),
            2 => Some(Kind::PrivateFn),
            3 => Some(Kind::PrivateStatic),
            _ => None,
        }
    }

    /// What the record declares, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Replaced => "replaced function",
            Kind::PrivateFn => "private function",
            Kind::PrivateStatic => "private static",
        }
    }
}

/// One record, with its pointers followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: Kind,
    /// `vmlinux` or a module's name.
    pub object: String,
    pub name: String,
    pub sympos: u64,
    /// The source file and line of the macro that declared it.
    pub file: String,
    pub line: u64,
    /// The (mangled) name of the Rust function whose debug info describes the Rust side; `None`
    /// when the compiler merged it with another function, whose debug info would describe that
    /// one instead.
    pub witness: Option<String>,
}

impl Record {
    /// `file:line`, for messages.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// Every record of `file`, in order.
pub fn read(file: &object::File<'_>) -> Result<Vec<Record>, Error> {
    let mut records = Vec::new();
    for section in file.sections() {
        if section.name() != Ok(SECTION) {
            continue;
        }
        let data = section.data().map_err(|e| malformed(SECTION, e))?;
        if data.len() % RECORD_SIZE != 0 {
            return Err(Error::Records(format!(
                "{SECTION} is {} bytes, not a multiple of {RECORD_SIZE}",
                data.len()
            )));
        }
        let mut pointers = std::collections::HashMap::new();
        for (offset, reloc) in section.relocations() {
            pointers.insert(offset, reloc);
        }
        for (i, raw) in data.chunks_exact(RECORD_SIZE).enumerate() {
            let base = (i * RECORD_SIZE) as u64;
            let u32_at = |at: usize| u32::from_le_bytes(raw[at..at + 4].try_into().unwrap());
            let u64_at = |at: usize| u64::from_le_bytes(raw[at..at + 8].try_into().unwrap());
            let version = u32_at(0);
            if version != VERSION {
                return Err(Error::Records(format!(
                    "record {i} has layout version {version}; this klp-check reads version {VERSION}"
                )));
            }
            let kind = Kind::from_raw(u32_at(4))
                .ok_or_else(|| Error::Records(format!("record {i} has kind {}", u32_at(4))))?;
            let target = |field: u64| -> Result<(SectionIndex, u64, Option<String>), Error> {
                let reloc = pointers.get(&(base + field)).ok_or_else(|| {
                    Error::Records(format!(
                        "record {i}: no relocation for the field at {field}"
                    ))
                })?;
                let RelocationTarget::Symbol(index) = reloc.target() else {
                    return Err(Error::Records(format!(
                        "record {i}: not a symbol relocation"
                    )));
                };
                let symbol = file
                    .symbol_by_index(index)
                    .map_err(|e| malformed("a record's symbol", e))?;
                let section = symbol.section_index().ok_or_else(|| {
                    Error::Records(format!("record {i}: its symbol is not defined"))
                })?;
                let name = match symbol.kind() {
                    SymbolKind::Section => None,
                    _ => symbol.name().ok().map(str::to_owned),
                };
                Ok((
                    section,
                    symbol.address().wrapping_add(reloc.addend() as u64),
                    name,
                ))
            };
            let string = |field: u64| -> Result<String, Error> {
                let (section, offset, _) = target(field)?;
                let data = file
                    .section_by_index(section)
                    .and_then(|s| s.data())
                    .map_err(|e| malformed("a record's string", e))?;
                let bytes = data.get(offset as usize..).unwrap_or(&[]);
                let end = bytes
                    .iter()
                    .position(|&b| b == 0)
                    .ok_or_else(|| Error::Records(format!("record {i}: unterminated string")))?;
                Ok(String::from_utf8_lossy(&bytes[..end]).into_owned())
            };
            let witness = match target(48)? {
                (_, _, Some(name)) => Some(name),
                (section, offset, None) => function_at(file, section, offset),
            };
            records.push(Record {
                kind,
                sympos: u64_at(8),
                line: u64_at(16),
                object: string(24)?,
                name: string(32)?,
                file: string(40)?,
                witness,
            });
        }
    }
    // In source order: the linker leaves them in whatever order it met their sections.
    records.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    Ok(records)
}

/// The name of the function symbol at `offset` in `section`; `None` if there is none, or several
/// (functions the compiler merged, of which the debug info describes only one).
fn function_at(file: &object::File<'_>, section: SectionIndex, offset: u64) -> Option<String> {
    let mut names = file.symbols().filter(|s| {
        s.kind() == SymbolKind::Text && s.section_index() == Some(section) && s.address() == offset
    });
    match (names.next(), names.next()) {
        (Some(only), None) => only.name().ok().map(str::to_owned),
        _ => None,
    }
}

fn malformed(what: &str, e: object::Error) -> Error {
    Error::Records(format!("{what}: {e}"))
}
