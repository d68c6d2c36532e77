// SPDX-License-Identifier: GPL-2.0

//! Patches of the C module `klp_rs_target` that the kernel must refuse, and one it must take,
//! chosen at load by `case`: 1 an unknown function, 2 an ambiguous name without `sympos`,
//! 3 a `sympos` out of range, 4 a `notrace` function, 5 the second `klp_rs_target_dup()` by
//! `sympos 2` (valid), 6 `klp_rs_target_value()` (valid, unless another ftrace user that
//! modifies the instruction pointer has it). Each replacement returns 42.

use kernel::ffi::c_int;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: BadInput,
    name: "klp_rs_bad_input",
    authors: ["klp-rs"],
    description: "klp-rs bad-input test patches",
    license: "GPL",
}

klp::module_param!(case: i32 = 0, 0o444, "which patch to enable (1-6)");

extern "C" fn answer() -> c_int {
    42
}

// SAFETY: `int f(void)`, the prototype of every function of tests/modules/klp_rs_target_*.c
// (those that exist), in each patch below.
klp::patch! {
    static UNKNOWN = [
        module c"klp_rs_target": [c"klp_rs_no_such_function": unsafe fn() -> c_int = answer],
    ];
}

klp::patch! {
    static AMBIGUOUS = [
        module c"klp_rs_target": [c"klp_rs_target_dup": unsafe fn() -> c_int = answer],
    ];
}

klp::patch! {
    static SYMPOS_OUT_OF_RANGE = [
        module c"klp_rs_target": [c"klp_rs_target_dup" sympos 3: unsafe fn() -> c_int = answer],
    ];
}

klp::patch! {
    static NOTRACE = [
        module c"klp_rs_target": [c"klp_rs_target_notrace": unsafe fn() -> c_int = answer],
    ];
}

klp::patch! {
    static SYMPOS_2 = [
        module c"klp_rs_target": [c"klp_rs_target_dup" sympos 2: unsafe fn() -> c_int = answer],
    ];
}

klp::patch! {
    static VALUE = [
        module c"klp_rs_target": [c"klp_rs_target_value": unsafe fn() -> c_int = answer],
    ];
}

struct BadInput;

impl kernel::Module for BadInput {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let patch = match case.get() {
            1 => &UNKNOWN,
            2 => &AMBIGUOUS,
            3 => &SYMPOS_OUT_OF_RANGE,
            4 => &NOTRACE,
            5 => &SYMPOS_2,
            6 => &VALUE,
            _ => return Err(EINVAL),
        };
        // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
        unsafe { patch.enable(module)? };
        Ok(BadInput)
    }
}
