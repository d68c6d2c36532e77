// SPDX-License-Identifier: GPL-2.0

//! Rust port of the selftest module `test_klp_shadow_vars.c`: exercises the shadow variable API
//! at load and logs every call, with pointers replaced by `PTR<n>`, numbered in the order they
//! are first printed.

use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;

klp::module! {
    type: TestKlpShadowVars,
    name: "test_klp_shadow_vars",
    authors: ["klp-rs"],
    description: "Livepatch test: shadow variables",
    license: "GPL",
}

/// The pointers printed so far, in order: `PTR<n>` is `PTRS[n]`. A fixed table rather than the
/// C module's list, as the ids are also needed under the shadow spinlock.
static PTRS: [AtomicUsize; 32] = [const { AtomicUsize::new(0) }; 32];
static NPTRS: AtomicUsize = AtomicUsize::new(0);

/// The `PTR<n>` number of `ptr`, given a new one if it was not printed before.
fn ptr_id<T>(ptr: *const T) -> usize {
    let addr = ptr as usize;
    let count = NPTRS.load(Ordering::Relaxed);
    if let Some(id) = PTRS[..count]
        .iter()
        .position(|p| p.load(Ordering::Relaxed) == addr)
    {
        return id;
    }
    if count == PTRS.len() {
        pr_err!("ptr_id: out of ids\n");
        return count;
    }
    PTRS[count].store(addr, Ordering::Relaxed);
    NPTRS.store(count + 1, Ordering::Relaxed);
    count
}

/// Prints what the C module's `shadow_ctor()`/`shadow_dtor()` print.
struct Logged;

#[vtable]
impl klp::ShadowHooks<usize> for Logged {
    fn constructed(_obj: *const (), data: &usize) {
        pr_info!(
            "shadow_ctor: PTR{} -> PTR{}\n",
            ptr_id(data),
            ptr_id(*data as *const ())
        );
    }

    fn destroying(obj: *const (), data: &usize) {
        pr_info!(
            "shadow_dtor(obj=PTR{}, shadow_data=PTR{})\n",
            ptr_id(obj),
            ptr_id(data)
        );
    }
}

/// The shadow variables of the test: the address of a "field" added to an object. SV_ID1's are
/// freed with the logging destructor, SV_ID2's with none.
const SV_ID1: usize = 0x1234;
const SV_ID2: usize = 0x1235;
// SAFETY: only this module uses these ids, and every `Shadow` of them holds a `usize`.
static SV1: klp::Shadow<usize, Logged> = unsafe { klp::Shadow::new(SV_ID1) };
// SAFETY: as for `SV1`.
static SV2: klp::Shadow<usize, Logged> = unsafe { klp::Shadow::new(SV_ID2) };
// SAFETY: as for `SV1`.
static SV2_NO_DTOR: klp::Shadow<usize> = unsafe { klp::Shadow::new(SV_ID2) };

type Var = klp::Shadow<usize, Logged>;

fn shadow_get(sv: &Var, id: usize, obj: *const Object) -> Option<*const usize> {
    let data = sv.get(obj).map(|p| p.as_ptr().cast_const());
    let shown = data.unwrap_or(core::ptr::null());
    pr_info!(
        "klp_shadow_get(obj=PTR{}, id=0x{:x}) = PTR{}\n",
        ptr_id(obj),
        id,
        ptr_id(shown)
    );
    data
}

fn shadow_alloc(
    sv: &Var,
    id: usize,
    obj: *const Object,
    value: usize,
    or_get: bool,
) -> Result<*const usize> {
    let gfp = klp::Gfp::KERNEL;
    let data = if or_get {
        sv.get_or_alloc(obj, gfp, value)
    } else {
        sv.alloc(obj, gfp, value)
    };
    let shown = data
        .as_ref()
        .map_or(core::ptr::null(), |p| p.as_ptr().cast_const());
    pr_info!(
        "klp_shadow_{}(obj=PTR{}, id=0x{:x}, size={:x}, gfp_flags={}), ctor=PTR{}, ctor_data=PTR{} = PTR{}\n",
        if or_get { "get_or_alloc" } else { "alloc" },
        ptr_id(obj),
        id,
        core::mem::size_of::<usize>(),
        gfp,
        ptr_id(Var::constructor_addr()),
        ptr_id(value as *const ()),
        ptr_id(shown)
    );
    data.map(|p| p.as_ptr().cast_const())
}

/// An object that gets shadow variables, as the C module's `struct test_object`.
type Object = [usize; 4];

const NUM_OBJS: usize = 3;

/// Prints the shadow variable at `sv` if it is `expected` and holds `field`.
fn report_found(sv: *const usize, expected: *const usize, field: usize) {
    // SAFETY: `sv` is the data of a live shadow variable, a `usize`, which only this
    // single-threaded test changes.
    if sv == expected && unsafe { *sv } == field {
        pr_info!(
            "  got expected PTR{} -> PTR{} result\n",
            ptr_id(sv),
            ptr_id(field as *const ())
        );
    }
}

fn report_gone(sv: Option<*const usize>) {
    if sv.is_none() {
        pr_info!("  got expected NULL result\n");
    }
}

fn run() -> Result {
    let objs: [Object; NUM_OBJS] = [[0; 4]; NUM_OBJS];
    let nfields1 = [0u8; NUM_OBJS];
    let nfields2 = [0i32; NUM_OBJS];
    let obj = |i: usize| &raw const objs[i];
    let field1 = |i: usize| &raw const nfields1[i] as usize;
    let field2 = |i: usize| &raw const nfields2[i] as usize;
    let mut sv1 = [core::ptr::null(); NUM_OBJS];
    let mut sv2 = [core::ptr::null(); NUM_OBJS];

    ptr_id(core::ptr::null::<()>());

    // With an empty shadow variable hash table, expect not to find any matches.
    report_gone(shadow_get(&SV1, SV_ID1, obj(0)));

    // Pass 1: init & alloc a char+int pair of shadow variables for each object.
    for i in 0..NUM_OBJS {
        ptr_id(field1(i) as *const ());
        sv1[i] = shadow_alloc(&SV1, SV_ID1, obj(i), field1(i), i % 2 == 0)?;
        ptr_id(field2(i) as *const ());
        sv2[i] = shadow_alloc(&SV2, SV_ID2, obj(i), field2(i), false)?;
    }

    // Pass 2: verify we find allocated shadow variables and where they point to.
    for i in 0..NUM_OBJS {
        report_found(
            shadow_get(&SV1, SV_ID1, obj(i)).ok_or(EINVAL)?,
            sv1[i],
            field1(i),
        );
        report_found(
            shadow_get(&SV2, SV_ID2, obj(i)).ok_or(EINVAL)?,
            sv2[i],
            field2(i),
        );
    }

    // Pass 3: verify that get_or_alloc returns already allocated shadow variables.
    for (i, &expected) in sv1.iter().enumerate() {
        let dup = field1(i);
        ptr_id(dup as *const ());
        let found = shadow_alloc(&SV1, SV_ID1, obj(i), dup, true)?;
        report_found(found, expected, field1(i));
    }

    // Pass 4: free the <objs[*], SV_ID1> pairs of shadow variables, verify removal.
    for i in 0..NUM_OBJS {
        SV1.free(obj(i));
        pr_info!(
            "klp_shadow_free(obj=PTR{}, id=0x{:x}, dtor=PTR{})\n",
            ptr_id(obj(i)),
            SV_ID1,
            ptr_id(Var::destructor_addr())
        );
        report_gone(shadow_get(&SV1, SV_ID1, obj(i)));
    }

    // Pass 5: check we still find the <objs[*], SV_ID2> pairs.
    for (i, &expected) in sv2.iter().enumerate() {
        let found = shadow_get(&SV2, SV_ID2, obj(i)).ok_or(EINVAL)?;
        report_found(found, expected, field2(i));
    }

    // Pass 6: free all the <objs[*], SV_ID2> pairs too, without a destructor.
    SV2_NO_DTOR.free_all();
    pr_info!(
        "klp_shadow_free_all(id=0x{:x}, dtor=PTR{})\n",
        SV_ID2,
        ptr_id(klp::Shadow::<usize>::destructor_addr())
    );
    for i in 0..NUM_OBJS {
        report_gone(shadow_get(&SV2, SV_ID2, obj(i)));
    }
    Ok(())
}

struct TestKlpShadowVars;

impl kernel::Module for TestKlpShadowVars {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let result = run();
        if result.is_err() {
            SV1.free_all();
            SV2_NO_DTOR.free_all();
        }
        result.map(|()| TestKlpShadowVars)
    }
}
