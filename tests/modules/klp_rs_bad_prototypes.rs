// SPDX-License-Identifier: GPL-2.0

//! A patch whose declarations contradict the kernel, one way each, for `tools/klp-check` to
//! refuse at build time (scripts/check-klp); it compiles, and is never loaded.
//!
//! - `cmdline_proc_show()` is replaced by a function whose first parameter points to a
//!   `struct file`, where the kernel's points to a `struct seq_file`;
//! - the private `version_proc_show()` is declared to return a `long`, where the kernel's returns
//!   an `int`;
//! - the private `saved_command_line_len` is declared a `u64`, where the kernel's is an
//!   `unsigned int`.

use kernel::bindings::{file, seq_file};
use kernel::ffi::{c_int, c_long, c_void};

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: BadPrototypes,
    name: "klp_rs_bad_prototypes",
    authors: ["klp-rs"],
    description: "Declarations that contradict the kernel, which klp-check refuses",
    license: "GPL",
    patch: PATCH,
}

klp::private! {
    vmlinux: [
        // SAFETY: none: the kernel's returns an `int` (fs/proc/version.c); never called.
        fn version_proc_show(m: *mut seq_file, v: *mut c_void) -> c_long;
        // SAFETY: none: the kernel's is an `unsigned int` (init/main.c); never read.
        static saved_command_line_len: u64;
    ],
}

/// # Safety
///
/// Never called: the module is never loaded.
unsafe extern "C" fn bad_cmdline_proc_show(m: *mut file, v: *mut c_void) -> c_int {
    // SAFETY: never called.
    unsafe { version_proc_show(m.cast(), v) as c_int + saved_command_line_len as c_int }
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: none: `cmdline_proc_show()` takes a `struct seq_file *`.
            c"cmdline_proc_show": unsafe fn(*mut file, *mut c_void) -> c_int
                = bad_cmdline_proc_show,
        ],
    ];
}
