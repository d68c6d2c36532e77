// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_state.c`: `console_loglevel` kept in
//! `klp_state` 1, version 1 (see `state_common.rs`).

use kernel::prelude::*;

#[path = "common.rs"]
mod common;
#[path = "../../src/klp.rs"]
mod klp;
#[path = "state_common.rs"]
mod state_common;

klp::module! {
    type: TestKlpState,
    name: "test_klp_state",
    authors: ["klp-rs"],
    description: "Livepatch test: system state modification",
    license: "GPL",
    patch: PATCH,
}

state_common::state_test_module!(version: 1, migrate: false);
