// SPDX-License-Identifier: GPL-2.0
// expect: extension of %p that dereferences the pointer
//! printk reads the letters and digits after `%p` as an extension that dereferences the pointer
//! (`%pV`, `%pa`...): a letter right after a pointer's `{}` does not compile.

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: PrPointerExtension,
    name: "pr_pointer_extension",
    license: "GPL",
    patch: PATCH,
}

fn log(p: *const u8) {
    klp::pr_info!("{}V\n", p);
}

// Compiled into the module: a format is checked where its call is compiled.
#[used]
static LOG: fn(*const u8) = log;

klp::patch! {
    static PATCH = [vmlinux: []];
}
