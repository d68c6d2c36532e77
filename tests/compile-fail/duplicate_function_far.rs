// SPDX-License-Identifier: GPL-2.0
// expect: the same function is listed twice in one object
//! A function listed twice is found wherever the two entries are: here first and last, with
//! the same name at other sympos between them (which are different functions, and fine).

use kernel::ffi::c_int;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: DuplicateFunctionFar,
    name: "duplicate_function_far",
    license: "GPL",
    patch: PATCH,
}

extern "C" fn replacement() -> c_int {
    0
}

klp::patch! {
    static PATCH = [
        module c"klp_rs_target": [
            c"klp_rs_target_dup" sympos 2: unsafe fn() -> c_int = replacement,
            c"klp_rs_target_value": unsafe fn() -> c_int = replacement,
            c"klp_rs_target_dup" sympos 1: unsafe fn() -> c_int = replacement,
            c"klp_rs_target_notrace": unsafe fn() -> c_int = replacement,
            c"klp_rs_target_dup" sympos 2: unsafe fn() -> c_int = replacement,
        ],
    ];
}
