// SPDX-License-Identifier: GPL-2.0
// expect: Shadow::<T, H>::new` is unsafe and requires unsafe block
//! Two `Shadow`s of different types on one id would be type confusion (one frees as a `KBox`
//! what the other stored as an integer): a shadow id is a promise, made with `unsafe`.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: ShadowNewUnsafe,
    name: "shadow_new_unsafe",
    license: "GPL",
    patch: PATCH,
}

static SV: klp::Shadow<u64> = klp::Shadow::new(1);

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn post_patch(obj: &klp::ObjectRef) {
        let _ = SV.alloc(obj, klp::Gfp::KERNEL, 1);
    }
}

klp::patch! {
    static PATCH = [vmlinux (callbacks: Cb): []];
}
