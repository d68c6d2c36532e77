// SPDX-License-Identifier: GPL-2.0
// expect: call to unsafe function `klp::print::write_printk` is unsafe
//! `write_printk` hands any format and argument to `snprintf`: `%s` with an integer would be
//! undefined behaviour, so the function is `unsafe`.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: WritePrintkUnsafe,
    name: "write_printk_unsafe",
    license: "GPL",
    patch: PATCH,
}

struct Bad;

impl core::fmt::Display for Bad {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        klp::write_printk(f, c"%s", 1 as _)
    }
}

klp::patch! {
    static PATCH = [vmlinux: []];
}
