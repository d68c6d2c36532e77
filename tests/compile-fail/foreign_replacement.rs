// SPDX-License-Identifier: GPL-2.0
// expect: extern blocks should be unsafe
//! A foreign function's declaration is a claim about its prototype: the module build requires it
//! in an `unsafe extern` block, so that a replacement named from it is vouched for.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: ForeignReplacement,
    name: "foreign_replacement",
    license: "GPL",
    patch: PATCH,
}

extern "C" {
    fn klp_rs_somewhere() -> u32;
}

klp::patch! {
    static PATCH = [vmlinux: [
        c"get_random_u32": like(kernel::bindings::get_random_u32) = klp_rs_somewhere,
    ]];
}
