// SPDX-License-Identifier: GPL-2.0

//! The replacement body of the selftest patches that replace a `*_show()` function
//! (`test_klp_livepatch`, `test_klp_atomic_replace`, `test_klp_mod_patch`), as their C originals
//! each repeat it.

use core::ffi::CStr;
use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::c_int;

use crate::klp::CStrExt;

/// Prints `"<name>: this has been live patched\n"` to `m`; returns 0, as a `*_show()` does.
///
/// # Safety
///
/// `m` must be a valid `seq_file`, as the callers of the replaced `*_show()` pass.
pub(crate) unsafe fn show_patched(m: *mut seq_file, name: &CStr) -> c_int {
    let msg = c"this has been live patched";
    // SAFETY: `m` is valid (the function's contract); the format takes two strings.
    unsafe {
        seq_printf(
            m,
            c"%s: %s\n".as_char_ptr(),
            name.as_char_ptr(),
            msg.as_char_ptr(),
        )
    };
    0
}
