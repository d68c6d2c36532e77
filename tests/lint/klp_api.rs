// SPDX-License-Identifier: GPL-2.0

//! Uses every item of the `klp` API once, so that `make lint`, which builds this module with
//! `--cfg klp_api_lint` (dropping the framework's `allow(dead_code, ...)`), finds what is really
//! dead: an item unused here and inside the framework. Never loaded; each use is what a patch
//! module would write.

use core::cell::Cell;
use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::bindings::{seq_file, seq_printf};
use kernel::ffi::{c_int, c_uint, c_void};
use kernel::prelude::*;
use klp::CStrExt;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: KlpApi,
    name: "klp_api",
    authors: ["klp-rs"],
    description: "klp-rs: every API item, for the compiler's dead-code check",
    license: "GPL",
}

klp::module_param!(int_param: i32 = 0, 0o644, "an int");
klp::module_param!(bool_param: bool = false, 0o444, "a bool");
klp::module_param!(array_param: [i32; 4], 0o444, "an int array");

/// # Safety
///
/// `m` is a valid `seq_file`.
unsafe extern "C" fn show(m: *mut seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `m` is valid (the function's contract); the format takes one string.
    unsafe { seq_printf(m, c"%s\n".as_char_ptr(), c"klp_api".as_char_ptr()) };
    0
}

/// # Safety
///
/// `buf` is writable for `len` bytes.
unsafe extern "C" fn random(buf: *mut c_void, len: usize) {
    // SAFETY: `buf` is writable for `len` bytes (the function's contract).
    unsafe { core::ptr::write_bytes(buf.cast::<u8>(), 0, len) };
}

extern "C" fn random_u32() -> u32 {
    4
}

klp::patchable! {
    /// A Rust function a live patch could replace.
    pub fn klp_api_patchable(a: c_int, p: *const c_void) -> bool {
        a > 0 && !p.is_null()
    }
}

klp::patchable! {
    /// # Safety
    ///
    /// `p` points to a readable byte.
    pub unsafe fn klp_api_patchable_unsafe(p: *const u8) -> u8 {
        // SAFETY: `p` is readable (the function's contract).
        unsafe { *p }
    }
}

const PLAIN: klp::StateId = klp::StateId::new(1);
// SAFETY: only this module carries state 2, with a `Cell<c_int>`.
const WITH_DATA: klp::StateId<Cell<c_int>> = unsafe { klp::StateId::with_data(2) };

struct Logged;

#[vtable]
impl klp::ShadowHooks<c_int> for Logged {
    fn constructed(obj: *const (), data: &c_int) {
        klp::pr_info!("{} {}\n", klp::HashedPtr::new(obj), data);
    }
    fn destroying(obj: *const (), data: &c_int) {
        klp::pr_notice!("{} {:x} {:#x} {:X}\n", obj, *data, 1u64, 2usize);
        klp::pr_warn!("{} {} {}\n", 3i8, 4u16, true);
        klp::pr_err!("{} {}\n", -5isize, c"text");
    }
}

// SAFETY: only this module uses shadow id 1, with a `c_int`.
static SHADOW: klp::Shadow<c_int, Logged> = unsafe { klp::Shadow::new(1) };
// SAFETY: as for `SHADOW`; the two differ only in their hooks.
static SHADOW_PLAIN: klp::Shadow<c_int> = unsafe { klp::Shadow::new(1) };

fn use_shadows(obj: *const ()) {
    for gfp in [klp::Gfp::KERNEL, klp::Gfp::NOWAIT, klp::Gfp::ATOMIC] {
        pr_info!("{}\n", gfp);
    }
    let _ = SHADOW.alloc(obj, klp::Gfp::KERNEL, 1);
    let _ = SHADOW.get_or_alloc(obj, klp::Gfp::KERNEL, 2);
    let _ = SHADOW.get_or_alloc_with(obj, klp::Gfp::KERNEL, || 3);
    if SHADOW.get(obj).is_some() {
        SHADOW.free(obj);
    }
    pr_info!(
        "{} {}\n",
        klp::HashedPtr::new(klp::Shadow::<c_int, Logged>::constructor_addr()),
        klp::HashedPtr::new(klp::Shadow::<c_int>::destructor_addr())
    );
    SHADOW_PLAIN.free_all();
    let byte = 7u8;
    // SAFETY: `byte` is readable.
    let read = unsafe { klp_api_patchable_unsafe(&byte) };
    klp::pr_info!("{} {}\n", klp_api_patchable(1, obj.cast()), read);
}

struct Callbacks;

#[vtable]
impl klp::Callbacks for Callbacks {
    fn pre_patch(obj: &klp::ObjectRef) -> Result {
        let name = obj.name().map_or(c"vmlinux", |name| name);
        // SAFETY: `name` is NUL-terminated and lives as long as the object.
        let again = unsafe { core::ffi::CStr::from_char_ptr(name.as_char_ptr()) };
        klp::pr_info!("{}\n", again);
        pr_info!("{:?} {}\n", name, obj.is_patched());
        if let Some((module, state)) = obj.module() {
            // Parenthesized: 7.2's `pr_info!` reads `state =` as a named argument.
            pr_info!("{:?} {}\n", module, (state == klp::ModuleState::Live));
        }
        let state = PATCH.state(obj, &WITH_DATA).ok_or(EINVAL)?;
        state
            .set_data(KBox::new(Cell::new(0), GFP_KERNEL)?)
            .map_err(|_| EBUSY)?;
        Ok(())
    }
    fn post_patch(obj: &klp::ObjectRef) {
        let Some(state) = PATCH.state(obj, &WITH_DATA) else {
            return;
        };
        if let Some(prev) = obj.transition().and_then(|t| t.prev_state(&WITH_DATA)) {
            let _ = state.share_data_from(&prev);
        }
        if let Some(data) = state.data() {
            data.set(state.version() as c_int);
        }
        if let Some(plain) = PATCH.state(obj, &PLAIN) {
            pr_info!("{} {}\n", plain.id(), plain.version());
        }
        use_shadows(
            obj.name()
                .map_or(core::ptr::null(), |name| name.as_char_ptr().cast()),
        );
    }
    fn pre_unpatch(_obj: &klp::ObjectRef) {}
    fn post_unpatch(obj: &klp::ObjectRef) {
        if let Some(state) = PATCH.state(obj, &WITH_DATA) {
            // SAFETY: no reference to the data is left, and no other state shares it.
            drop(unsafe { state.take_data() });
        }
    }
}

klp::patch! {
    static PATCH (states: [PLAIN => 1, WITH_DATA => 1], replace: true) = [
        vmlinux (callbacks: Callbacks): [
            // SAFETY: the prototype of `cmdline_proc_show()` in fs/proc/cmdline.c.
            c"cmdline_proc_show": unsafe fn(*mut seq_file, *mut c_void) -> c_int = show,
            // SAFETY: `get_random_bytes()`'s callers pass a writable buffer of `len` bytes.
            c"get_random_bytes": unsafe like(kernel::bindings::get_random_bytes) = random,
            c"get_random_u32": like(kernel::bindings::get_random_u32) = random_u32,
        ],
        module c"klp_api_target": [],
    ];
}

klp::private! {
    vmlinux: [
        // SAFETY: `static int version_proc_show(struct seq_file *m, void *v)` in
        // fs/proc/version.c.
        fn version_proc_show(m: *mut seq_file, v: *mut c_void) -> c_int;
        // SAFETY: `unsigned int saved_command_line_len` in init/main.c.
        static saved_command_line_len: c_uint;
    ],
    module "klp_api_target": [
        // SAFETY: a static `int klp_api_counter`, the second of that name in the module.
        "klp_api_counter" sympos 2: static mut klp_api_counter_2: c_int;
    ],
}

/// Uses each private symbol as a replacement would.
///
/// # Safety
///
/// `m` is a valid `seq_file`, and `klp_api_target` is loaded.
#[expect(
    dead_code,
    reason = "a replacement would call it; this module is never loaded"
)]
unsafe fn use_private(m: *mut seq_file) -> c_int {
    // SAFETY: the caller's promises; the prototype and types are the kernel's.
    unsafe {
        klp_api_counter_2 += 1;
        version_proc_show(m, core::ptr::null_mut()) + saved_command_line_len as c_int
    }
}

struct KlpApi;

impl kernel::Module for KlpApi {
    fn init(module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "{} {} {} {}\n",
            int_param.get(),
            bool_param.get(),
            array_param.len(),
            array_param.is_empty()
        );
        let _ = array_param.replace(0, 1, 2);
        for value in array_param.values() {
            pr_info!("{}\n", value);
        }
        if bool_param.get() {
            // SAFETY: `init`'s last fallible step: it returns `Ok` once the patch is enabled.
            unsafe { PATCH.enable(module)? };
        } else {
            // SAFETY: as above.
            unsafe { PATCH.enable_replace(module, false)? };
        }
        Ok(KlpApi)
    }
}
