// SPDX-License-Identifier: GPL-2.0
// expect: more placeholders than arguments
//! A `klp::pr_info!` format is checked against its arguments at compile time: a placeholder
//! without its argument would make printk read a vararg nobody passed.

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrTooFewArguments,
    name: "pr_too_few_arguments",
    license: "GPL",
    patch: PATCH,
}

fn log() {
    klp::pr_info!("{} {}\n", 1i32);
}

// Compiled into the module: a format is checked where its call is compiled.
#[used]
static LOG: fn() = log;

klp::patch! {
    static PATCH = [vmlinux: []];
}
