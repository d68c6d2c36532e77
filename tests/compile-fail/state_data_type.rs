// SPDX-License-Identifier: GPL-2.0
// expect: expected `Option<&u64>`, found `Option<&u8>`
//! The type of a state's data is fixed where the state id is declared: a callback cannot read it
//! as another type.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: StateDataType,
    name: "state_data_type",
    license: "GPL",
    patch: PATCH,
}

// SAFETY: only this module carries state 1, with a `u8`.
const STATE: klp::StateId<u8> = unsafe { klp::StateId::with_data(1) };

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn post_patch(obj: &klp::ObjectRef) {
        if let Some(state) = PATCH.state(obj, &STATE) {
            let _data: Option<&u64> = state.data();
        }
    }
}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux (callbacks: Cb): []];
}
