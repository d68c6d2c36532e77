// SPDX-License-Identifier: GPL-2.0
// expect: missing: `USE_VTABLE_ATTR`
//! Callbacks are found with `#[vtable]`, so that the kernel is handed only those implemented: an
//! `impl` without it does not compile.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: CallbacksWithoutVtable,
    name: "callbacks_without_vtable",
    license: "GPL",
    patch: PATCH,
}

struct Cb;

impl klp::Callbacks for Cb {
    fn post_patch(_obj: &klp::ObjectRef) {}
}

klp::patch! {
    static PATCH = [vmlinux (callbacks: Cb): []];
}
