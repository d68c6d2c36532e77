// SPDX-License-Identifier: GPL-2.0
// expect: borrowed data escapes outside of associated function
//! `klp_get_prev_state()` is valid only in a transition, with `klp_mutex` held: the `Transition`
//! that reaches it cannot outlive the callback that was given it.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TransitionEscapesCallback,
    name: "transition_escapes_callback",
    license: "GPL",
    patch: PATCH,
}

const STATE: klp::StateId = klp::StateId::new(1);

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn pre_patch(obj: &klp::ObjectRef) -> Result {
        keep(obj.transition());
        Ok(())
    }
}

/// Would keep the transition, to call `prev_state()` after the callback.
fn keep(_transition: Option<klp::Transition<'static>>) {}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux (callbacks: Cb): []];
}
