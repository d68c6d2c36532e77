// SPDX-License-Identifier: GPL-2.0
// expect: call to unsafe function `livepatch_cmdline_proc_show` is unsafe
//! A replacement that dereferences a raw argument is an `unsafe extern "C" fn`: only the
//! kernel's callers, which uphold its `# Safety` line, may call it; Rust code needs `unsafe`.

use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: UnsafeReplacementCall,
    name: "unsafe_replacement_call",
    license: "GPL",
}

/// # Safety
///
/// `m` is a valid `seq_file`, as `cmdline_proc_show()`'s callers pass.
unsafe extern "C" fn livepatch_cmdline_proc_show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `m` is valid (the function's contract); the format takes one string.
    unsafe { seq_printf(m, c"%s\n".as_char_ptr(), c"patched".as_char_ptr()) };
    0
}

klp::patch! {
    static PATCH = [vmlinux: [
        // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
        c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int
            = livepatch_cmdline_proc_show,
    ]];
}

struct UnsafeReplacementCall;

impl kernel::Module for UnsafeReplacementCall {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // A NULL seq_file: what safe code could pass if the replacement were safe.
        livepatch_cmdline_proc_show(core::ptr::null_mut(), core::ptr::null_mut());
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { PATCH.enable(module)? };
        Ok(UnsafeReplacementCall)
    }
}
