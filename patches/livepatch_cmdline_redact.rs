// SPDX-License-Identifier: GPL-2.0-or-later

//! A security fix for `/proc/cmdline`: secrets on the kernel command line no longer leak to
//! every user.
//!
//! `/proc/cmdline` is readable by every user, and `cmdline_proc_show()` prints the boot command
//! line as it is, so a secret passed there (dracut's `rd.luks.key=`, systemd's
//! `systemd.set_credential=`, an API token for a provisioning agent) leaks to every local user
//! and container of the machine. The fix replaces `cmdline_proc_show()` with a version that
//! prints each parameter whose name names a secret as `name=***`: a name whose parts, split at
//! `.`, `_` and `-` (quotes ignored), include `password`, `passwd`, `passphrase`, `secret`,
//! `token`, `key` or `credential` (ASCII case ignored). Parameters are split as the kernel's
//! `next_arg()` splits them: at white space outside double quotes. Everything else is printed as
//! the kernel would. A secret inside the value of an innocent-looking parameter (a password in
//! an iSCSI root URL) is not recognised.
//!
//! The command line is in `saved_command_line` (init/main.c), which the kernel does not export
//! to modules: the patch reads it through [`klp::private!`], a livepatch relocation that the
//! kernel resolves when the patch module loads.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_char, c_int, c_void};
use klp::CStrExt;

#[path = "../src/klp.rs"]
mod klp;

klp::module! {
    type: LivepatchCmdlineRedact,
    name: "livepatch_cmdline_redact",
    authors: ["klp-rs"],
    description: "Redact secrets from /proc/cmdline",
    license: "GPL",
    patch: PATCH,
}

klp::private! {
    vmlinux: [
        // SAFETY: `char *saved_command_line` in init/main.c: the boot command line, a
        // NUL-terminated string set at boot and read-only after init.
        static saved_command_line: *mut c_char;
    ],
}

/// The parts of a parameter name that mark its value as a secret.
const SECRET_WORDS: [&[u8]; 7] = [
    b"password",
    b"passwd",
    b"passphrase",
    b"secret",
    b"token",
    b"key",
    b"credential",
];

/// Whether the parameter named `name` carries a secret; quotes in the name are ignored, as
/// user space ignores them.
fn is_secret(name: &[u8]) -> bool {
    name.split(|&b| matches!(b, b'.' | b'_' | b'-'))
        .any(|part| {
            SECRET_WORDS.iter().any(|word| {
                let mut letters = part.iter().filter(|&&b| b != b'"');
                word.iter()
                    .all(|w| letters.next().is_some_and(|b| b.eq_ignore_ascii_case(w)))
                    && letters.next().is_none()
            })
        })
}

/// Whether `b` separates parameters: the kernel's `isspace()` (lib/ctype.c), which `next_arg()`
/// splits at, also counts vertical tab, form feed and Latin-1's non-breaking space (0xa0).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0xa0)
}

/// The end of the parameter that starts at `line[0]`: the first white space outside double
/// quotes, as `next_arg()` splits the command line.
fn param_len(line: &[u8]) -> usize {
    let mut in_quotes = false;
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if is_space(b) && !in_quotes {
            return i;
        }
    }
    line.len()
}

/// Writes `bytes` to `m` as they are.
///
/// # Safety
///
/// `m` is a valid `seq_file`.
unsafe fn put(m: *mut seq_file, bytes: &[u8]) {
    // CAST: a command line is shorter than `COMMAND_LINE_SIZE`, far below `c_int::MAX`.
    let len = bytes.len() as c_int;
    // SAFETY: `m` is valid (the caller's contract); `%.*s` reads `len` bytes of `bytes`.
    unsafe { seq_printf(m, c"%.*s".as_char_ptr(), len, bytes.as_ptr()) };
}

/// The fixed `cmdline_proc_show()`.
///
/// # Safety
///
/// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
unsafe extern "C" fn redacted_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: the kernel resolved `saved_command_line` when it loaded the patch module, before
    // this replacement could run; it points to the boot command line, a NUL-terminated string
    // that nothing writes after init.
    let mut line = unsafe { core::ffi::CStr::from_char_ptr(saved_command_line) }.to_bytes();
    loop {
        let blanks = line.iter().take_while(|&&b| is_space(b)).count();
        let (blank, rest) = line.split_at(blanks);
        // SAFETY: `m` is valid (this function's contract).
        unsafe { put(m, blank) };
        if rest.is_empty() {
            break;
        }
        let (param, rest) = rest.split_at(param_len(rest));
        line = rest;
        match param.iter().position(|&b| b == b'=') {
            Some(eq) if is_secret(&param[..eq]) => {
                let (name, _) = param.split_at(eq + 1);
                // The value started inside quotes: close them, as the original did.
                let open = name.iter().filter(|&&b| b == b'"').count() % 2 == 1;
                // SAFETY: `m` is valid.
                unsafe {
                    put(m, name);
                    put(m, if open { &b"***\""[..] } else { &b"***"[..] });
                }
            }
            // SAFETY: `m` is valid.
            _ => unsafe { put(m, param) },
        }
    }
    // SAFETY: `m` is valid.
    unsafe { put(m, b"\n") };
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = redacted_cmdline_proc_show,
        ],
    ];
}
