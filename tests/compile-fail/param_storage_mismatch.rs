// SPDX-License-Identifier: GPL-2.0
// expect: the trait bound `AtomicU64: ParamStorage` is not satisfied
//! A module parameter's storage and the kernel's operations that write it come together from
//! `ParamStorage`: the kernel cannot be made to write an `int` parser's output into other storage.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: ParamStorageMismatch,
    name: "param_storage_mismatch",
    license: "GPL",
    patch: PATCH,
}

static WIDE: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);
klp::__module_param!(
    wide,
    "int",
    0o644,
    "a parameter of the wrong storage",
    &WIDE
);

klp::patch! {
    static PATCH = [vmlinux: []];
}
