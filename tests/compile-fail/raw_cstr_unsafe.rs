// SPDX-License-Identifier: GPL-2.0
// expect: call to unsafe function `klp::print::RawCStr
//! A `RawCStr` is printed with `%s`: made from any pointer, printk would read whatever it points
//! to, so its constructor is `unsafe`.

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: RawCstrUnsafe,
    name: "raw_cstr_unsafe",
    license: "GPL",
    patch: PATCH,
}

fn log() {
    let s = klp::RawCStr::new(core::ptr::null());
    klp::pr_info!("{}\n", s);
}

klp::patch! {
    static PATCH = [vmlinux: []];
}
