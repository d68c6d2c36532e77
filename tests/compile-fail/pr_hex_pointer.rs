// SPDX-License-Identifier: GPL-2.0
// expect: take integers, not strings or pointers
//! `{:x}` is an integer conversion: with a pointer, printk would print its raw address, which
//! `{}` (`%p`) hashes.

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrHexPointer,
    name: "pr_hex_pointer",
    license: "GPL",
    patch: PATCH,
}

fn log(p: *const u8) {
    klp::pr_info!("{:x}\n", p);
}

// Compiled into the module: a format is checked where its call is compiled.
#[used]
static LOG: fn(*const u8) = log;

klp::patch! {
    static PATCH = [vmlinux: []];
}
