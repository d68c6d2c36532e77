// SPDX-License-Identifier: GPL-2.0

//! The livepatch ELF format's names and constants: what a patch module's livepatch relocations
//! and symbols are called, and which names the kernel accepts.
//!
//! Documentation: [`Documentation/livepatch/module-elf-format.rst`](srctree/Documentation/livepatch/module-elf-format.rst);
//! the parser is `klp_resolve_symbols()` in
//! [`kernel/livepatch/core.c`](srctree/kernel/livepatch/core.c).
//!
//! A patch refers to a private symbol of an object (`vmlinux` or a module) through an undefined
//! symbol named `.klp.sym.<object>.<name>,<sympos>` (`klp::private!`); after
//! the module is linked, `tools/klp-convert` moves the relocations against such symbols into
//! `.klp.rela.<object>.<section>` sections and marks the symbols [`SHN_LIVEPATCH`], and the
//! kernel resolves them through kallsyms when the object is loaded.
//!
//! This file is kernel-free (`core` only): the `klp` crate mounts it, and so do the host tools
//! (`tools/klp-convert`), so that both agree on the format by construction.

/// The prefix of a livepatch symbol's name: `.klp.sym.<object>.<name>,<sympos>`.
pub const SYM_PREFIX: &str = ".klp.sym.";

/// The prefix of a livepatch relocation section's name: `.klp.rela.<object>.<section>`.
pub const RELA_PREFIX: &str = ".klp.rela.";

/// `st_shndx` of a livepatch symbol: livepatch, not the module loader, resolves it.
pub const SHN_LIVEPATCH: u16 = 0xff20;

/// `sh_flags` bit of a livepatch relocation section: livepatch, not the module loader, applies
/// it.
pub const SHF_RELA_LIVEPATCH: u64 = 0x0010_0000;

/// The longest object name: the kernel reads it with `%55[^.]` (`MODULE_NAME_LEN` is 56 bytes
/// with its NUL).
pub const OBJECT_NAME_MAX: usize = 55;

/// The longest symbol name: the kernel reads it with `%511[^,]` (`KSYM_NAME_LEN`).
pub const SYMBOL_NAME_MAX: usize = 511;

/// The name of vmlinux's object.
pub const VMLINUX: &str = "vmlinux";

/// Why an object name cannot be one, or `None`: a module's name or `vmlinux`, 1 to
/// [`OBJECT_NAME_MAX`] bytes, without `.` (which ends it in the symbol's name), without `-` (the
/// kernel names a module with `_` where its file name has `-`), and, as for a symbol's name,
/// printable ASCII without `,`.
pub const fn object_name_error(name: &str) -> Option<&'static str> {
    object_error(name.as_bytes())
}

/// Why a symbol name cannot be one, or `None`: 1 to [`SYMBOL_NAME_MAX`] bytes of printable ASCII
/// without `,` (which ends it in the livepatch symbol's name), and without spaces, quotes,
/// backslashes or braces, since `private!` writes it into an assembler directive, or `#` (a Rust
/// raw identifier's `r#`, no C symbol's). C symbols and Rust's mangled names are made of
/// letters, digits, `_`, `.` and `$`.
pub const fn symbol_name_error(name: &str) -> Option<&'static str> {
    symbol_error(name.as_bytes())
}

/// Why a sympos, as written, cannot be one, or `None`: decimal digits, as the kernel reads it
/// with `%lu` (`0x2` would read as 0), that fit in 64 bits.
pub const fn sympos_error(pos: &str) -> Option<&'static str> {
    sympos_digits_error(pos.as_bytes())
}

/// Why `full` is not a livepatch symbol's name the kernel accepts, or `None`:
/// [`SYM_PREFIX`], an object name, `.`, a symbol name, `,` and a sympos, each as above.
pub const fn sym_name_error(full: &str) -> Option<&'static str> {
    let bytes = full.as_bytes();
    let prefix = SYM_PREFIX.as_bytes();
    if bytes.len() < prefix.len() {
        return Some("a livepatch symbol's name starts with .klp.sym.");
    }
    let (head, rest) = bytes.split_at(prefix.len());
    if !bytes_eq(head, prefix) {
        return Some("a livepatch symbol's name starts with .klp.sym.");
    }
    let mut dot = 0;
    while dot < rest.len() && rest[dot] != b'.' {
        dot += 1;
    }
    if dot == rest.len() {
        return Some("no '.' after the object name");
    }
    let mut comma = rest.len();
    while comma > dot + 1 && rest[comma - 1] != b',' {
        comma -= 1;
    }
    if comma == dot + 1 {
        return Some("no ',<sympos>' at the end");
    }
    let (object, rest) = rest.split_at(dot);
    let (name, sympos) = rest.split_at(comma - dot);
    let (_, name) = name.split_at(1);
    let (name, _) = name.split_at(name.len() - 1);
    if let Some(err) = object_error(object) {
        return Some(err);
    }
    if let Some(err) = symbol_error(name) {
        return Some(err);
    }
    sympos_digits_error(sympos)
}

const fn object_error(bytes: &[u8]) -> Option<&'static str> {
    if bytes.is_empty() {
        return Some("an object name cannot be empty");
    }
    if bytes.len() > OBJECT_NAME_MAX {
        return Some("an object name has at most 55 bytes (the kernel's MODULE_NAME_LEN)");
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            return Some("an object name cannot contain '.'");
        }
        if bytes[i] == b'-' {
            return Some("an object name has '_' where the module's file name has '-'");
        }
        i += 1;
    }
    name_chars_error(bytes)
}

const fn symbol_error(bytes: &[u8]) -> Option<&'static str> {
    if bytes.is_empty() {
        return Some("a symbol name cannot be empty");
    }
    if bytes.len() > SYMBOL_NAME_MAX {
        return Some("a symbol name has at most 511 bytes (the kernel's KSYM_NAME_LEN)");
    }
    name_chars_error(bytes)
}

const fn name_chars_error(bytes: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b',' => return Some("a name cannot contain ','"),
            b'"' | b'\\' | b'{' | b'}' | b'#' => {
                return Some("a name cannot contain quotes, backslashes, braces or '#'")
            }
            b'!'..=b'~' => {}
            _ => return Some("a name is printable ASCII, without spaces"),
        }
        i += 1;
    }
    None
}

const fn sympos_digits_error(bytes: &[u8]) -> Option<&'static str> {
    if bytes.is_empty() {
        return Some("a sympos cannot be empty");
    }
    let mut value: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let digit = bytes[i];
        if !digit.is_ascii_digit() {
            return Some("a sympos is a decimal number, without suffix or underscores");
        }
        value = match value.checked_mul(10) {
            Some(v) => match v.checked_add((digit - b'0') as u64) {
                Some(v) => v,
                None => return Some("a sympos fits in 64 bits"),
            },
            None => return Some("a sympos fits in 64 bits"),
        };
        i += 1;
    }
    None
}

/// Whether `a` and `b` are the same bytes, in a `const fn`, where `==` on slices is not allowed.
pub const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A livepatch symbol's name, taken apart: `.klp.sym.<object>.<name>,<sympos>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymName<'a> {
    /// `vmlinux` or the module's name.
    pub object: &'a str,
    /// The symbol's name in that object.
    pub name: &'a str,
    /// Which of the object's symbols of that name, counted from 1; 0 if the name is unique.
    pub sympos: u64,
}

impl<'a> SymName<'a> {
    /// Parses a symbol's name: `None` if it does not start with [`SYM_PREFIX`], the reason if it
    /// does but the kernel would refuse it.
    pub fn parse(full: &'a str) -> Option<Result<SymName<'a>, &'static str>> {
        let rest = full.strip_prefix(SYM_PREFIX)?;
        Some(Self::parse_rest(rest))
    }

    fn parse_rest(rest: &'a str) -> Result<SymName<'a>, &'static str> {
        let (object, rest) = rest.split_once('.').ok_or("no '.' after the object name")?;
        let (name, sympos) = rest.rsplit_once(',').ok_or("no ',<sympos>' at the end")?;
        if let Some(err) = object_name_error(object) {
            return Err(err);
        }
        if let Some(err) = symbol_name_error(name) {
            return Err(err);
        }
        if let Some(err) = sympos_error(sympos) {
            return Err(err);
        }
        let sympos = sympos.parse().map_err(|_| "a sympos fits in 64 bits")?;
        Ok(SymName {
            object,
            name,
            sympos,
        })
    }

    /// Whether the symbol belongs to vmlinux rather than to a module.
    pub fn is_vmlinux(&self) -> bool {
        self.object == VMLINUX
    }
}
