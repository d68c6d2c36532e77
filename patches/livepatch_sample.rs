// SPDX-License-Identifier: GPL-2.0-or-later

//! Rust twin of `samples/livepatch/livepatch-sample.c`.
//!
//! Replaces `cmdline_proc_show()` in vmlinux: once the patch is enabled,
//! `cat /proc/cmdline` prints `this has been live patched`. Disable it with
//! `echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled`, then `rmmod` it.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_void};
use klp::CStrExt;

#[path = "../src/klp.rs"]
mod klp;

klp::module! {
    type: LivepatchSample,
    name: "livepatch_sample",
    license: "GPL",
    patch: PATCH,
}

/// # Safety
///
/// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
unsafe extern "C" fn livepatch_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    let msg = c"this has been live patched";
    // SAFETY: `m` is valid (the function's contract); the format takes one string.
    unsafe { seq_printf(m, c"%s\n".as_char_ptr(), msg.as_char_ptr()) };
    0
}

klp::patch! {
    static PATCH = [
        vmlinux: [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
                = livepatch_cmdline_proc_show,
        ],
    ];
}
