// SPDX-License-Identifier: GPL-2.0
// expect: `level` does not live long enough
//! State data outlives the callback that attaches it: a reference to the callback's stack, made
//! to fit a state declared with `&'static` data, does not compile (state types are invariant).

use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: StateDataLifetime,
    name: "state_data_lifetime",
    license: "GPL",
    patch: PATCH,
}

// SAFETY: only this module carries state 1, with a `&'static u32`.
const STATE: klp::StateId<&'static u32> = unsafe { klp::StateId::with_data(1) };

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn pre_patch(obj: &klp::ObjectRef) -> Result {
        let level = 1u32;
        let state = PATCH.state(obj, &STATE).ok_or(EINVAL)?;
        let _ = state.set_data(KBox::new(&level, GFP_KERNEL)?);
        Ok(())
    }
}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux (callbacks: Cb): []];
}
