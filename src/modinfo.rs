// SPDX-License-Identifier: GPL-2.0

//! `.modinfo` entries: `MODULE_INFO()` for Rust modules.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)

/// The bytes of a `.modinfo` entry: `entry` and its NUL terminator. `N` must be one more than the
/// length of `entry`; [`modinfo!`] computes it.
pub(crate) const fn modinfo_entry<const N: usize>(entry: &str) -> [u8; N] {
    let bytes = entry.as_bytes();
    assert!(
        bytes.len() + 1 == N,
        "N must leave room for exactly one NUL"
    );
    let mut out = [0u8; N];
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i] != 0, "a modinfo entry cannot contain NUL");
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Emits the `.modinfo` entry that is the concatenation of the given literals, e.g.
/// `modinfo!("livepatch=Y")`, as C's `MODULE_INFO(livepatch, "Y")` does.
macro_rules! modinfo {
    ($($part:expr),+ $(,)?) => {
        const _: () = {
            const ENTRY: &str = concat!($($part),+);
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static MODINFO: [u8; ENTRY.len() + 1] = $crate::klp::modinfo_entry(ENTRY);
        };
    };
}
pub(crate) use modinfo;
