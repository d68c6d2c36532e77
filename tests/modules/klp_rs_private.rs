// SPDX-License-Identifier: GPL-2.0

//! A live patch whose replacements use private symbols (tests/test-private.sh), through
//! `klp::private!` and livepatch relocations:
//!
//! - vmlinux: `cmdline_proc_show()` is replaced by a function that calls the static
//!   `version_proc_show()` of fs/proc/version.c and reads `saved_command_line` and
//!   `saved_command_line_len` of init/main.c, none of which is exported;
//! - `klp_rs_target`: `klp_rs_target_value()` is replaced by a function that reads the module's
//!   static `value` and calls the second of its two static `klp_rs_target_dup()`
//!   (tests/modules/klp_rs_target_dup_b.c, sympos 2): 1 * 1000 + 20 = 1020.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_char, c_int, c_uint, c_void};
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrivatePatch,
    name: "klp_rs_private",
    authors: ["klp-rs"],
    description: "Replacements that use private symbols of vmlinux and of a module",
    license: "GPL",
    patch: PATCH,
}

klp::private! {
    vmlinux: [
        // SAFETY: `static int version_proc_show(struct seq_file *m, void *v)` in
        // fs/proc/version.c.
        fn version_proc_show(m: *mut seq_file, v: *mut c_void) -> c_int;
        // SAFETY: `char *saved_command_line` in init/main.c.
        static saved_command_line: *mut c_char;
        // SAFETY: `unsigned int saved_command_line_len` in init/main.c.
        static saved_command_line_len: c_uint;
    ],
    module "klp_rs_target": [
        // SAFETY: `static int value` in tests/modules/klp_rs_target_main.c.
        "value": static target_value: c_int;
        // SAFETY: `static int klp_rs_target_dup(void)` in tests/modules/klp_rs_target_dup_b.c,
        // the second of the module's two functions of that name.
        "klp_rs_target_dup" sympos 2: fn klp_rs_target_dup_b() -> c_int;
    ],
}

/// # Safety
///
/// `m` is a valid `seq_file` and `v` what `seq_read()` passes, as `cmdline_proc_show()`'s
/// callers do.
unsafe extern "C" fn private_cmdline_proc_show(m: *mut seq_file, v: *mut c_void) -> c_int {
    // SAFETY: `version_proc_show()` takes the same arguments as the function it stands for.
    let ret = unsafe { version_proc_show(m, v) };
    // SAFETY: `m` is valid; both statics are set at boot and read-only after init; the format
    // takes an unsigned int and a string.
    unsafe {
        seq_printf(
            m,
            c"klp_rs_private: saved_command_line_len=%u saved_command_line=%s\n".as_char_ptr(),
            saved_command_line_len,
            saved_command_line,
        )
    };
    ret
}

extern "C" fn private_target_value() -> c_int {
    // SAFETY: this replacement runs only while `klp_rs_target` is loaded, when the kernel has
    // resolved its symbols; `value` is an int the module only reads, and `klp_rs_target_dup()`
    // takes no argument.
    unsafe { core::ptr::addr_of!(target_value).read_volatile() * 1000 + klp_rs_target_dup_b() }
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = private_cmdline_proc_show,
        ],
        module c"klp_rs_target": [
            // SAFETY: the prototype of `klp_rs_target_value()` in klp_rs_target_main.c.
            c"klp_rs_target_value": unsafe fn() -> c_int = private_target_value,
        ],
    ];
}
