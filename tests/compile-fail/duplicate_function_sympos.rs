// SPDX-License-Identifier: GPL-2.0
// expect: the same function is listed twice in one object
//! A function without sympos and the same name at sympos 1 collide: the kernel shows a sympos of
//! 0 as 1 in the function's sysfs entry (`<name>,1`), and with one symbol of that name they are
//! the same function.

use kernel::ffi::c_int;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: DuplicateFunctionSympos,
    name: "duplicate_function_sympos",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement() -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        module c"klp_rs_target": [
            c"klp_rs_target_value": unsafe fn() -> c_int = replacement,
            c"klp_rs_target_value" sympos 1: unsafe fn() -> c_int = replacement,
        ],
    ];
}
