// SPDX-License-Identifier: GPL-2.0
// expect: missing: `USE_VTABLE_ATTR`
//! Shadow hooks are found with `#[vtable]`, not a flag kept in sync by hand: an `impl` without it
//! does not compile (with it, `destroying` runs whenever it is implemented).

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: ShadowHooksWithoutVtable,
    name: "shadow_hooks_without_vtable",
    license: "GPL",
    patch: PATCH,
}

struct Logged;

impl klp::ShadowHooks<u64> for Logged {
    fn destroying(_obj: *const (), data: &u64) {
        pr_info!("destroying {}\n", data);
    }
}

// SAFETY: only this module uses shadow id 1, with a `u64`.
static SV: klp::Shadow<u64, Logged> = unsafe { klp::Shadow::new(1) };

struct Cb;

#[vtable]
impl klp::Callbacks for Cb {
    fn post_unpatch(_obj: &klp::ObjectRef) {
        SV.free_all();
    }
}

klp::patch! {
    static PATCH = [vmlinux (callbacks: Cb): []];
}
