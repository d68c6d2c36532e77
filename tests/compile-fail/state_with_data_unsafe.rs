// SPDX-License-Identifier: GPL-2.0
// expect: StateId::<T>::with_data` is unsafe and requires unsafe block
//! A state id with data is a promise about every module that uses the id: it needs `unsafe`.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: StateWithDataUnsafe,
    name: "state_with_data_unsafe",
    license: "GPL",
    patch: PATCH,
}

const STATE: klp::StateId<u64> = klp::StateId::with_data(1);

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux: []];
}
