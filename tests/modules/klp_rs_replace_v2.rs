// SPDX-License-Identifier: GPL-2.0

//! Test patch `klp_rs_replace_v2`: state 1 in version 2, atomic replace true (see
//! `replace_common.rs`).

#[path = "../../src/klp.rs"]
mod klp;
#[path = "replace_common.rs"]
mod replace_common;

replace_common::replace_test_module!(
    name: "klp_rs_replace_v2",
    message: c"klp-rs replace v2",
    replace: true,
    state_version: 2
);
