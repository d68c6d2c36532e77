// SPDX-License-Identifier: GPL-2.0
// expect: argument requires that `'1` must outlive `'static`
//! A state is reachable only in a callback, and cannot outlive it: keeping it for later (to use
//! it outside `klp_mutex`) does not compile.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: StateEscapesCallback,
    name: "state_escapes_callback",
    license: "GPL",
    patch: PATCH,
}

const STATE: klp::StateId = klp::StateId::new(1);

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn post_patch(obj: &klp::ObjectRef) {
        let state = PATCH.state(obj, &STATE);
        keep(state);
    }
}

/// Would keep the state for use after the callback.
fn keep(_state: Option<klp::StateRef<'static, klp::NoData>>) {}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux (callbacks: Cb): []];
}
