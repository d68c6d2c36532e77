// SPDX-License-Identifier: GPL-2.0-or-later

//! A security fix for `/proc/cmdline`: secrets on the kernel command line no longer leak to
//! every user.
//!
//! `/proc/cmdline` is readable by every user, and `cmdline_proc_show()` prints the boot command
//! line as it is, so a secret passed there (dracut's `rd.luks.key=`, an iSCSI or NFS-root
//! password, an API token for a provisioning agent) leaks to every local user and container of
//! the machine. The fix replaces `cmdline_proc_show()` with a version that prints each
//! parameter whose name names a secret as `name=***`: a name whose parts, split at `.`, `_` and
//! `-`, include `password`, `passwd`, `passphrase`, `secret`, `token` or `key` (ASCII case
//! ignored). Everything else is printed as the kernel would.
//!
//! The command line is in `saved_command_line` (init/main.c), which the kernel does not export
//! to modules: the patch reads it through [`klp::private!`], a livepatch relocation that the
//! kernel resolves when the patch is enabled.

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
const SECRET_WORDS: [&[u8]; 6] = [
    b"password",
    b"passwd",
    b"passphrase",
    b"secret",
    b"token",
    b"key",
];

/// Whether the parameter named `name` carries a secret.
fn is_secret(name: &[u8]) -> bool {
    name.split(|&b| matches!(b, b'.' | b'_' | b'-'))
        .any(|part| {
            SECRET_WORDS
                .iter()
                .any(|word| part.eq_ignore_ascii_case(word))
        })
}

/// The end of the parameter that starts at `line[0]`: the first space or tab outside double
/// quotes, as the kernel's `next_arg()` splits the command line.
fn param_len(line: &[u8]) -> usize {
    let mut in_quotes = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b' ' | b'\t' if !in_quotes => return i,
            _ => {}
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
    // SAFETY: the kernel resolved `saved_command_line` when it enabled the patch, before this
    // replacement could run; it points to the boot command line, a NUL-terminated string that
    // nothing writes after init.
    let mut line = unsafe { core::ffi::CStr::from_ptr(saved_command_line.cast()) }.to_bytes();
    loop {
        let blanks = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        // SAFETY: `m` is valid (this function's contract).
        unsafe { put(m, &line[..blanks]) };
        line = &line[blanks..];
        if line.is_empty() {
            break;
        }
        let (param, rest) = line.split_at(param_len(line));
        line = rest;
        let unquoted = param.strip_prefix(b"\"").unwrap_or(param);
        match unquoted.iter().position(|&b| b == b'=') {
            Some(eq) if is_secret(&unquoted[..eq]) => {
                let name_end = param.len() - unquoted.len() + eq + 1;
                let close = if param.len() != unquoted.len() {
                    "\""
                } else {
                    ""
                };
                // SAFETY: `m` is valid.
                unsafe {
                    put(m, &param[..name_end]);
                    put(m, b"***");
                    put(m, close.as_bytes());
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
