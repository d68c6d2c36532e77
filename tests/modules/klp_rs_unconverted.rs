// SPDX-License-Identifier: GPL-2.0

//! A patch module that uses a private symbol and is left unconverted: the Makefile builds it
//! like any other but tells scripts/convert-modules to skip it (`--except`). Its private symbol
//! is then a weak reference the module loader resolves to 0, and `Patch::enable` must refuse
//! the patch (tests/test-private.sh).

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_char, c_int, c_void};
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: Unconverted,
    name: "klp_rs_unconverted",
    authors: ["klp-rs"],
    description: "A patch with a private symbol, left unconverted, to be refused",
    license: "GPL",
    patch: PATCH,
}

klp::private! {
    vmlinux: [
        // SAFETY: `char *saved_command_line` in init/main.c.
        static saved_command_line: *mut c_char;
    ],
}

/// # Safety
///
/// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
unsafe extern "C" fn unconverted_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `m` is valid; were the module converted, `saved_command_line` would be the boot
    // command line, set at boot and read-only after init; the format takes one string.
    unsafe { seq_printf(m, c"%s\n".as_char_ptr(), saved_command_line) };
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = unconverted_cmdline_proc_show,
        ],
    ];
}
