// SPDX-License-Identifier: GPL-2.0

//! What `tools/klp-check` reads: one record per replaced function ([`patch!`]) and per private
//! symbol ([`private!`]), in the module's `.klp_rs.check` section, from which the tool checks the
//! module against the kernel it is built for before any machine loads it.
//!
//! The kernel never reads the records. rustc gives a `#[link_section]` static the flags of
//! ordinary data, so `tools/klp-convert`, which the build runs on every module, clears their
//! `SHF_ALLOC`: the records (56 bytes each) and the strings only they use (the source file's
//! name, in `.klp_rs.check.str`) stay in the file, out of kernel memory.
//!
//! [`patch!`]: macro@crate::klp::patch
//! [`private!`]: macro@crate::klp::private

/// The layout version `tools/klp-check` expects (`records::VERSION` there).
const VERSION: u32 = 1;

/// What a record declares (`records::Kind` in `tools/klp-check`).
#[doc(hidden)]
#[derive(Clone, Copy)]
#[repr(u32)]
pub(crate) enum RecordKind {
    /// A function [`patch!`](macro@crate::klp::patch) replaces; the witness is its replacement.
    Replaced = 1,
    /// A private function; the witness is `witness::<its function pointer type>`.
    PrivateFn = 2,
    /// A private static; the witness is `witness::<its type>`.
    PrivateStatic = 3,
}

/// One record. `tools/klp-check` reads the pointers through the module's relocations, and the
/// Rust side's types from the witness function's debug info. `line` is where the macro
/// invocation starts, the same for all its entries (`line!()` in a `macro_rules!` expansion
/// gives no entry's own line): the tool's messages also name the symbol.
#[doc(hidden)]
#[repr(C)]
pub(crate) struct CheckRecord {
    version: u32,
    kind: RecordKind,
    sympos: u64,
    line: u64,
    object: *const u8,
    name: *const u8,
    file: *const u8,
    witness: *const (),
}

const _: () = assert!(core::mem::size_of::<CheckRecord>() == 56);

// SAFETY: a record is immutable and holds pointers to immutable, `'static` data (string
// literals and a function): sharing it between threads shares nothing mutable.
unsafe impl Sync for CheckRecord {}

impl CheckRecord {
    /// A record; `object`, `name` and `file` end with a NUL, which compilation checks.
    #[doc(hidden)]
    pub(crate) const fn new(
        kind: RecordKind,
        sympos: u64,
        line: u32,
        object: &'static [u8],
        name: &'static [u8],
        file: &'static [u8],
        witness: *const (),
    ) -> Self {
        assert!(
            matches!(object.last(), Some(0))
                && matches!(name.last(), Some(0))
                && matches!(file.last(), Some(0)),
            "klp: a check record's strings end with a NUL"
        );
        CheckRecord {
            version: VERSION,
            kind,
            sympos,
            line: line as u64,
            object: object.as_ptr(),
            name: name.as_ptr(),
            file: file.as_ptr(),
            witness,
        }
    }
}

/// A function whose debug info names `T` (its type parameter): the Rust side of a private
/// symbol's record. Its body differs for each `T`, so that no two are merged into one.
#[doc(hidden)]
#[inline(never)]
pub(crate) fn witness<T: ?Sized>() -> &'static str {
    core::any::type_name::<T>()
}

/// `bytes` as an array of its length, for a `static` of it.
#[doc(hidden)]
pub(crate) const fn byte_array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    assert!(bytes.len() == N);
    let mut array = [0; N];
    let mut i = 0;
    while i < N {
        array[i] = bytes[i];
        i += 1;
    }
    array
}

/// A record of `$kind`, in `.klp_rs.check`: an expression of type `()`.
#[doc(hidden)]
macro_rules! __check_record {
    ($kind:ident, $object:expr, $name:expr, $pos:expr, $witness:expr) => {{
        const FILE: &[u8] = concat!(file!(), "\0").as_bytes();
        #[link_section = ".klp_rs.check.str"]
        static FILE_NAME: [u8; FILE.len()] = $crate::klp::byte_array(FILE);
        #[used]
        #[link_section = ".klp_rs.check"]
        static RECORD: $crate::klp::CheckRecord = $crate::klp::CheckRecord::new(
            $crate::klp::RecordKind::$kind,
            $pos,
            line!(),
            $object,
            $name,
            &FILE_NAME,
            $witness,
        );
    }};
}
pub(crate) use __check_record;
