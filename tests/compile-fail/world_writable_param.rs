// SPDX-License-Identifier: GPL-2.0
// expect: parameters must not be world-writable
//! Module parameter permissions follow VERIFY_OCTAL_PERMISSIONS().

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: WorldWritable,
    name: "world_writable_param",
    license: "GPL",
}

klp::module_param!(knob: i32 = 0, 0o666, "a knob anyone could turn");

struct WorldWritable;

impl kernel::Module for WorldWritable {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("knob={}\n", knob.get());
        Ok(WorldWritable)
    }
}
