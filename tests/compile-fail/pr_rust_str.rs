// SPDX-License-Identifier: GPL-2.0
// expect: is not implemented for `str`
//! A Rust `&str` has no NUL: printk's `%s` would read past its end, so `klp::pr_info!` takes C
//! strings only.

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrRustStr,
    name: "pr_rust_str",
    license: "GPL",
    patch: PATCH,
}

fn log() {
    klp::pr_info!("{}\n", "text");
}

// Compiled into the module: a format is checked where its call is compiled.
#[used]
static LOG: fn() = log;

klp::patch! {
    static PATCH = [vmlinux: []];
}
