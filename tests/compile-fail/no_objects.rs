// SPDX-License-Identifier: GPL-2.0
// expect: a patch needs at least one object
//! A patch must have at least one object.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: NoObjects,
    name: "no_objects",
    license: "GPL",
}

klp::patch! {
    static PATCH = [];
}
