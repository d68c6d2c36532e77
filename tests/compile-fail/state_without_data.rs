// SPDX-License-Identifier: GPL-2.0
// expect: StateRef<'_, NoData>`, but its trait bounds were not satisfied
//! A state declared without data (`StateId::new`) has no data methods: its data may be another
//! module's.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: StateWithoutData,
    name: "state_without_data",
    license: "GPL",
    patch: PATCH,
}

const STATE: klp::StateId = klp::StateId::new(1);

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn post_patch(obj: &klp::ObjectRef) {
        if let Some(state) = PATCH.state(obj, &STATE) {
            let _data = state.data();
        }
    }
}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux (callbacks: Cb): []];
}
