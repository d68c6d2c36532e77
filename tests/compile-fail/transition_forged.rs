// SPDX-License-Identifier: GPL-2.0
// expect: cannot initialize a tuple struct which contains private fields
//! Only the framework makes a `Transition`: a replacement function, which runs outside any
//! callback, cannot forge one to call `klp_get_prev_state()`.

use kernel::bindings::seq_file;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TransitionForged,
    name: "transition_forged",
    license: "GPL",
    patch: PATCH,
}

const STATE: klp::StateId = klp::StateId::new(1);

extern "C" fn replacement(_m: *mut seq_file, _v: *mut c_void) -> c_int {
    let transition: klp::Transition<'static> = klp::Transition(core::marker::PhantomData);
    transition
        .prev_state(&STATE)
        .map_or(0, |state| state.version() as c_int)
}

klp::patch! {
    static PATCH (states: [STATE => 1]) = [vmlinux: [
        // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
        c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = replacement,
    ]];
}
