// SPDX-License-Identifier: GPL-2.0

//! Rust format strings turned into printk formats at compile time, for `klp::pr_info!` and its
//! siblings: a message goes to the kernel's own `printk()` formatting, with no `core::fmt` code in
//! the module, and each argument's conversion comes from its Rust type, so that a format cannot
//! disagree with its arguments.
//!
//! The format is the familiar subset of Rust's: `{}`, `{:x}`, `{:#x}` and `{:X}`, with
//! `{{` and `}}` for braces. Each argument has a [`Conv`]: `{}` prints a signed integer with
//! `%d`/`%ld`, an unsigned one with `%u`/`%lu`, a C string with `%s` and a pointer with `%p`
//! (hashed, as C code prints it); the hexadecimal forms take integers only. A `%` in the text is
//! written `%%` for printk. What cannot be converted (another spec, a positional or named
//! argument, an unmatched brace, a count of placeholders other than the count of arguments) fails
//! in `const` evaluation: a compile error with the reason. So does a letter or digit right after
//! a pointer's `{}`, which printk would read as an extension of `%p` (`%pV`, `%pa`, ...) that
//! dereferences the pointer.
//!
//! Hexadecimal prints as C prints it: a negative `i8` or `i16` at the width of `int` (`-1i8` is
//! `ffffffff`, Rust's `ff`), and `{:#x}` of 0 as `0` (Rust's `0x0`).
//!
//! The converted format starts with the level (`\x01` and a digit) and `%s: `, the module's name,
//! as the kernel's `pr_*!` print it.
//!
//! This file is kernel-free (`core` only): the host tests mount it too
//! (`tools/klp-check/tests/printk_fmt.rs`).

/// How printk prints one argument, chosen by the argument's Rust type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    /// A C `int` (`i8`, `i16`, `i32`, promoted): `%d`.
    Int,
    /// A C `unsigned int` (`u8`, `u16`, `u32`, promoted): `%u`.
    UInt,
    /// A C `long` (`i64`, `isize`): `%ld`.
    Long,
    /// A C `unsigned long` (`u64`, `usize`): `%lu`.
    ULong,
    /// A NUL-terminated string: `%s`.
    Str,
    /// A pointer, printed hashed: `%p`.
    Ptr,
}

/// What comes before the message: the level's two bytes, then the module's name.
const PREFIX: &[u8] = b"\x01?%s: ";

/// An upper bound of the converted format's length, its NUL included: a `{}` may grow by a byte
/// (to `%ld`), a `%` doubles; the other placeholders do not grow (`{:x}` to `%lx` at most).
pub const fn converted_len(rust: &str) -> usize {
    let bytes = rust.as_bytes();
    let mut len = PREFIX.len() + bytes.len() + 1;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' || (bytes[i] == b'{' && i + 1 < bytes.len() && bytes[i + 1] == b'}') {
            len += 1;
        }
        // `{{` is one brace, never the start of a `{}`.
        i += if bytes[i] == b'{' && i + 1 < bytes.len() && bytes[i + 1] == b'{' {
            2
        } else {
            1
        };
    }
    len
}

/// The printk format of the Rust format `rust` at level `level` (`b'0'` to `b'7'`), whose
/// arguments have the conversions `args`, in `N` bytes ([`converted_len`]), NUL-padded.
///
/// # Panics
///
/// If `rust` cannot be converted, or `N` is too small: in `const` evaluation, a compile error.
pub const fn convert<const N: usize>(level: u8, rust: &str, args: &[Conv]) -> [u8; N] {
    assert!(
        level >= b'0' && level <= b'7',
        "klp::pr_*!: a printk level is a digit from 0 to 7"
    );
    let mut out = Out {
        buf: [0; N],
        len: 0,
    };
    out.push_all(PREFIX);
    out.buf[1] = level;
    let bytes = rust.as_bytes();
    let mut used = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'{' {
            if i + 1 < bytes.len() && bytes[i + 1] == b'{' {
                out.push(b'{');
                i += 2;
                continue;
            }
            let mut end = i + 1;
            while end < bytes.len() && bytes[end] != b'}' {
                end += 1;
            }
            assert!(
                end < bytes.len(),
                "klp::pr_*!: a '{{' without its '}}' (write '{{{{' for a brace)"
            );
            assert!(
                used < args.len(),
                "klp::pr_*!: more placeholders than arguments"
            );
            out.placeholder(spec(bytes, i + 1, end), args[used]);
            // printk reads the letters and digits after `%p` as an extension (`%pV`, `%pa`,
            // `%ph`, ...) that dereferences the pointer: none may follow a pointer's `{}`.
            assert!(
                !matches!(args[used], Conv::Ptr)
                    || end + 1 >= bytes.len()
                    || !bytes[end + 1].is_ascii_alphanumeric(),
                "klp::pr_*!: a letter or digit right after a pointer's {{}} would make printk read an \
                 extension of %p that dereferences the pointer: put a space or punctuation after it"
            );
            used += 1;
            i = end + 1;
        } else if b == b'}' {
            assert!(
                i + 1 < bytes.len() && bytes[i + 1] == b'}',
                "klp::pr_*!: a '}}' without its '{{' (write '}}}}' for a brace)"
            );
            out.push(b'}');
            i += 2;
        } else if b == 0 {
            panic!("klp::pr_*!: a format cannot contain a NUL");
        } else {
            if b == b'%' {
                out.push(b'%');
            }
            out.push(b);
            i += 1;
        }
    }
    assert!(
        used == args.len(),
        "klp::pr_*!: more arguments than placeholders"
    );
    // The terminating NUL: `buf` is zeroed, and `push` keeps one byte free.
    out.buf
}

/// A placeholder's spec, what comes between `{` and `}`.
#[derive(Clone, Copy)]
enum Spec {
    /// `{}`.
    Display,
    /// `{:x}`, `{:#x}`, `{:X}`: the conversion letter, and whether `#` prefixes `0x`. (`{:#X}` is
    /// refused: Rust prints `0xFF`, C `0XFF`.)
    Hex(u8, bool),
}

const fn spec(bytes: &[u8], start: usize, end: usize) -> Spec {
    let len = end - start;
    if len == 0 {
        return Spec::Display;
    }
    assert!(
        bytes[start] == b':',
        "klp::pr_*!: positional and named arguments are not supported: write '{{}}'"
    );
    let alt = len == 3 && bytes[start + 1] == b'#';
    let letter = bytes[end - 1];
    assert!(
        (len == 2 && (letter == b'x' || letter == b'X')) || (alt && letter == b'x'),
        "klp::pr_*!: supported placeholders: {{}}, {{:x}}, {{:#x}}, {{:X}}"
    );
    Spec::Hex(letter, alt)
}

/// The output buffer: `len` bytes written, always one short of `N` for the NUL.
struct Out<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Out<N> {
    const fn push(&mut self, b: u8) {
        assert!(
            self.len + 1 < N,
            "klp::pr_*!: the converted format does not fit"
        );
        self.buf[self.len] = b;
        self.len += 1;
    }

    const fn push_all(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            self.push(bytes[i]);
            i += 1;
        }
    }

    const fn placeholder(&mut self, spec: Spec, conv: Conv) {
        let long = matches!(conv, Conv::Long | Conv::ULong);
        match spec {
            Spec::Display => {
                self.push(b'%');
                if long {
                    self.push(b'l');
                }
                self.push(match conv {
                    Conv::Int | Conv::Long => b'd',
                    Conv::UInt | Conv::ULong => b'u',
                    Conv::Str => b's',
                    Conv::Ptr => b'p',
                });
            }
            Spec::Hex(letter, alt) => {
                assert!(
                    !matches!(conv, Conv::Str | Conv::Ptr),
                    "klp::pr_*!: {{:x}} and {{:X}} take integers, not strings or pointers"
                );
                self.push(b'%');
                if alt {
                    self.push(b'#');
                }
                if long {
                    self.push(b'l');
                }
                self.push(letter);
            }
        }
    }
}
