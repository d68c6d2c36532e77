// SPDX-License-Identifier: GPL-2.0

//! A module with one parameter of each kind `klp::module_param!` offers, printing their values
//! at load.

use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: Params,
    name: "klp_rs_params",
    authors: ["klp-rs"],
    description: "klp-rs module parameters",
    license: "GPL",
}

klp::module_param!(level: i32 = 7, 0o600, "level (default=7)");
klp::module_param!(flag: bool = false, 0o644, "flag (default=false)");
klp::module_param!(values: [i32; 4], 0o444, "up to four values");

struct Params;

impl kernel::Module for Params {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("level={} flag={}\n", level.get(), flag.get());
        for (i, value) in values.values().enumerate() {
            pr_info!("values[{}]={}\n", i, value);
        }
        Ok(Params)
    }
}
