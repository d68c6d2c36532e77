// SPDX-License-Identifier: GPL-2.0

//! Test patch `klp_rs_replace_base`: state 1 in version 1, atomic replace false (see
//! `replace_common.rs`).

#[path = "../../src/klp.rs"]
mod klp;
#[path = "replace_common.rs"]
mod replace_common;

replace_common::replace_test_module!(
    name: "klp_rs_replace_base",
    message: c"klp-rs base patch",
    replace: false,
    state_version: 1
);
