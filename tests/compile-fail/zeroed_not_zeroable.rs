// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `&u8: Zeroable` is not satisfied
//! `zeroed()` makes only types for which all-zero is valid: not a reference.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: ZeroedNotZeroable,
    name: "zeroed_not_zeroable",
    license: "GPL",
    patch: PATCH,
}

const NULL_REF: &u8 = klp::bindings::zeroed();

klp::patch! {
    static PATCH = [vmlinux: []];
}
