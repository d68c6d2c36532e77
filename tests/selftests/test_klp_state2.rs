// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_state2.c`: `console_loglevel` kept in
//! `klp_state` 1, version 2 (see `state_common.rs`).

use kernel::prelude::*;

#[path = "common.rs"]
mod common;
#[path = "../../src/klp.rs"]
mod klp;
#[path = "state_common.rs"]
mod state_common;

klp::module! {
    type: TestKlpState2,
    name: "test_klp_state2",
    authors: ["klp-rs"],
    description: "Livepatch test: system state modification",
    license: "GPL",
    patch: PATCH,
}

state_common::state_test_module!(version: 2, migrate: true);
