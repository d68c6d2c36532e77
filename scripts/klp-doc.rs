// SPDX-License-Identifier: GPL-2.0

//! The `klp` framework of klp-rs, as a patch module sees it.
//!
//! A patch module mounts the framework at its crate root as `mod klp`: see [`klp`] for the API.
//! This crate does nothing else. It exists so that `make doc` can document the framework with
//! the flags of the module build: the framework is a module, not a crate of its own, and its
//! items are `pub(crate)`, visible to the patch crate that mounts them.

#![expect(
    rustdoc::private_intra_doc_links,
    reason = "`klp` is private here as in a patch crate; `make doc` documents private items"
)]

#[path = "../src/klp.rs"]
mod klp;

/// The log prefix of the `pr_*!` macros, which a patch's `module!` defines.
#[doc(hidden)]
const __LOG_PREFIX: &[u8] = b"klp_rs\0";
