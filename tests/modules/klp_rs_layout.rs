// SPDX-License-Identifier: GPL-2.0

//! Rust's view of every kernel struct and field that klp-rs or its tests access through
//! `kernel::bindings` and the generated `klp::bindings`: `/sys/kernel/klp_rs_layout/layout` has a
//! line per struct (size, alignment) and per field (offset, size), from `size_of`, `align_of` and
//! `offset_of!`. `klp_rs_layout_c.c` prints the same lines from C's `sizeof`, `__alignof__` and
//! `offsetof`; `tests/test-layout.sh` fails on any difference.
//!
//! `/sys/kernel/klp_rs_layout/current` shows the `pid` and `tgid` of the reading task, read
//! through `kernel::bindings::task_struct` as C reads `current->pid`.

use core::fmt::Write;
use core::mem::{align_of, offset_of, size_of, MaybeUninit};
use kernel::bindings::{
    get_current, kernel_param, kobj_attribute, kparam_array, list_head, module, task_struct,
};
use kernel::prelude::*;

#[path = "../../src/klp.rs"]
mod klp;
#[path = "../selftests/sysfs.rs"]
mod sysfs;

use klp::bindings::{klp_callbacks, klp_func, klp_object, klp_patch, klp_state};

module! {
    type: Layout,
    name: "klp_rs_layout",
    description: "klp-rs: Rust layout of the kernel structs Rust reads",
    license: "GPL",
}

/// A line of the layout: a struct's size and alignment, or a field's offset and size.
enum Line {
    Struct(&'static str, usize, usize),
    Field(&'static str, &'static str, usize, usize),
}

/// The size of the pointee of `_field`, a pointer used only for its type.
const fn pointee_size<F>(_field: *const F) -> usize {
    size_of::<F>()
}

/// The layout lines of each struct and of the fields listed after it, named as in C:
/// `field` or `field.subfield`, or `rust.path as "c_name"` where bindgen names it otherwise.
macro_rules! layout {
    ($( $ty:ident { $( $field:ident $(. $sub:ident)* $(as $c_name:literal)? ),* $(,)? } )*) => {
        &[ $(
            Line::Struct(stringify!($ty), size_of::<$ty>(), align_of::<$ty>()),
            $( Line::Field(
                stringify!($ty),
                klp::__or!($($c_name)? ; concat!(stringify!($field) $(, ".", stringify!($sub))*)),
                offset_of!($ty, $field $(. $sub)*),
                {
                    let value = MaybeUninit::<$ty>::uninit();
                    // SAFETY: only the address of the field is taken, of a value that exists;
                    // nothing is read.
                    pointee_size(unsafe { &raw const (*value.as_ptr()).$field $(. $sub)* })
                },
            ), )*
        )* ]
    };
}

/// In the order of `klp_rs_layout_c.c`.
static LAYOUT: &[Line] = layout! {
    klp_func {
        old_name, new_func, old_sympos, old_func, kobj, node, stack_node, old_size, new_size,
        nop, patched, transition,
    }
    klp_callbacks { pre_patch, post_patch, pre_unpatch, post_unpatch, post_unpatch_enabled }
    klp_object { name, funcs, callbacks, kobj, func_list, node, mod_ as "mod", dynamic, patched }
    klp_state { id, version, data }
    klp_patch {
        mod_ as "mod", objs, states, replace, list, kobj, obj_list, enabled, forced, free_work,
        finish,
    }
    module { state, name }
    kernel_param {
        name, mod_ as "mod", ops, perm, level, flags, __bindgen_anon_1.arg as "arg",
    }
    kparam_array { max, elemsize, num, ops, elem }
    kobj_attribute { attr, attr.name, attr.mode, show, store }
    list_head { next, prev }
    task_struct {
        thread_info, stack, se, rt, dl, sched_info, tasks, mm, exit_state, jobctl, personality,
        atomic_flags, restart_block, pid, tgid, real_parent, comm, thread,
    }
};

struct LayoutFile;

impl sysfs::Show for LayoutFile {
    fn show(out: &mut sysfs::PageWriter<'_>) -> core::fmt::Result {
        LAYOUT.iter().try_for_each(|line| match *line {
            Line::Struct(name, size, align) => writeln!(out, "{name}: size {size}, align {align}"),
            Line::Field(ty, field, offset, size) => {
                writeln!(out, "{ty}.{field}: offset {offset}, size {size}")
            }
        })
    }
}

struct CurrentFile;

impl sysfs::Show for CurrentFile {
    fn show(out: &mut sysfs::PageWriter<'_>) -> core::fmt::Result {
        // SAFETY: `get_current()` is the task reading the file, alive for the whole read; its
        // `pid` and `tgid` are set at fork and never change.
        let (pid, tgid) = unsafe {
            let current = get_current();
            ((*current).pid, (*current).tgid)
        };
        writeln!(out, "pid {pid} tgid {tgid}")
    }
}

static LAYOUT_ATTR: sysfs::Attribute = sysfs::Attribute::read_only::<LayoutFile>(c"layout");
static CURRENT_ATTR: sysfs::Attribute = sysfs::Attribute::read_only::<CurrentFile>(c"current");

struct Layout {
    _dir: sysfs::KernelDir,
}

impl kernel::Module for Layout {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let dir = sysfs::KernelDir::new(c"klp_rs_layout")?;
        dir.create_file(&LAYOUT_ATTR)?;
        dir.create_file(&CURRENT_ATTR)?;
        Ok(Layout { _dir: dir })
    }
}
