// SPDX-License-Identifier: GPL-2.0

//! `make bench`'s measure of what `klp::patchable!`'s wrapper costs a call: the body of
//! `klp_rs_bench_fn()` twice in Rust, once as a plain function, once patchable, both registered
//! with klp_rs_bench, whose timed loop calls either through a pointer (tests/suite-bench.sh).

use kernel::ffi::c_uint;
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

module! {
    type: BenchRust,
    name: "klp_rs_bench_rust",
    description: "klp-rs bench: a plain and a patchable Rust function",
    license: "GPL",
}

// The prototype of tests/modules/klp_rs_bench.c.
unsafe extern "C" {
    fn klp_rs_bench_set_rust(
        plain: Option<extern "C" fn(c_uint, c_uint) -> c_uint>,
        patchable: Option<extern "C" fn(c_uint, c_uint) -> c_uint>,
    );
}

/// `klp_rs_bench_fn()`'s body, as a plain Rust function.
extern "C" fn klp_rs_bench_rust_plain(a: c_uint, b: c_uint) -> c_uint {
    a.wrapping_mul(3).wrapping_add(b ^ 5)
}

klp::patchable! {
    /// The same body, behind the wrapper that makes it an ftrace location.
    pub fn klp_rs_bench_rust_patchable(a: c_uint, b: c_uint) -> c_uint {
        a.wrapping_mul(3).wrapping_add(b ^ 5)
    }
}

struct BenchRust;

impl kernel::Module for BenchRust {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: the functions live as long as the module, whose exit unregisters them.
        unsafe {
            klp_rs_bench_set_rust(
                Some(klp_rs_bench_rust_plain),
                Some(klp_rs_bench_rust_patchable),
            )
        };
        Ok(BenchRust)
    }
}

impl Drop for BenchRust {
    fn drop(&mut self) {
        // SAFETY: unregisters; klp_rs_bench's loop runs under the same lock.
        unsafe { klp_rs_bench_set_rust(None, None) };
    }
}
