// SPDX-License-Identifier: GPL-2.0

//! `/proc/kallsyms`: how many symbols of a name each object has.

use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::system::System;

/// The symbols of the running kernel, counted by object and name.
#[derive(Debug, Default)]
pub struct Kallsyms {
    counts: HashMap<(String, String), u64>,
    objects: HashSet<String>,
}

impl Kallsyms {
    /// Reads `/proc/kallsyms`.
    pub fn read(system: &System) -> Result<Kallsyms, Error> {
        Ok(Kallsyms::parse(
            &system.read(&system.path("/proc/kallsyms"))?,
        ))
    }

    /// Parses `/proc/kallsyms` text: `address type name [module]`.
    pub fn parse(text: &str) -> Kallsyms {
        let mut symbols = Kallsyms::default();
        for line in text.lines() {
            let mut fields = line.split_whitespace();
            let (Some(_address), Some(_kind), Some(name)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let rest = fields.collect::<Vec<_>>().join(" ");
            let object = bracketed_module(&rest).unwrap_or("vmlinux");
            // Some architectures' kallsyms append ".llvm.<hash>" or similar; livepatch looks
            // names up as they are, and so does this count.
            *symbols
                .counts
                .entry((object.to_owned(), name.to_owned()))
                .or_default() += 1;
            symbols.objects.insert(object.to_owned());
        }
        symbols
    }

    /// How many symbols `name` the object has.
    pub fn count(&self, object: &str, name: &str) -> u64 {
        self.counts
            .get(&(object.to_owned(), name.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Whether any symbol of `object` is listed (vmlinux always is; a module when loaded).
    pub fn has_object(&self, object: &str) -> bool {
        self.objects.contains(object)
    }
}

/// What livepatch will find for a name with `sympos` among `count` symbols of it.
pub fn resolve(count: u64, sympos: u64) -> &'static str {
    match klp_check::sympos_choice(count as usize, sympos) {
        Ok(_) => "ok",
        Err(klp_check::SymposError::Missing) => "missing",
        Err(klp_check::SymposError::Ambiguous) => "ambiguous",
        Err(klp_check::SymposError::OutOfRange) => "sympos out of range",
    }
}

/// The module a line of `/proc/kallsyms`, `available_filter_functions` or a stack names after
/// its symbol: the first word of a trailing `[...]` (`[module]`, or `[module buildid]` with
/// CONFIG_STACKTRACE_BUILD_ID); `None` for vmlinux.
pub fn bracketed_module(rest: &str) -> Option<&str> {
    let (_, inside) = rest.trim_end().rsplit_once('[')?;
    inside.strip_suffix(']')?.split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_object() {
        let k = Kallsyms::parse(
            "ffffffff81000000 T _stext\n\
             ffffffff81001000 t dup\n\
             ffffffff81002000 t dup\n\
             ffffffffc0000000 t dup\t[mod_a]\n\
             ffffffffc0001000 T only\t[mod_a]\n\
             garbage\n",
        );
        assert_eq!(k.count("vmlinux", "dup"), 2);
        assert_eq!(k.count("mod_a", "dup"), 1);
        assert_eq!(k.count("mod_a", "_stext"), 0);
        assert!(k.has_object("mod_a"));
        assert!(!k.has_object("mod_b"));
        assert_eq!(resolve(k.count("vmlinux", "dup"), 0), "ambiguous");
        assert_eq!(resolve(2, 2), "ok");
        assert_eq!(resolve(2, 3), "sympos out of range");
        assert_eq!(resolve(1, 0), "ok");
        assert_eq!(resolve(0, 0), "missing");
        assert_eq!(bracketed_module(" [mod_a]"), Some("mod_a"));
        assert_eq!(
            bracketed_module("+0x3c/0x80 [mod_a 0123abcd]"),
            Some("mod_a")
        );
        assert_eq!(bracketed_module("+0x3c/0x80"), None);
    }
}
