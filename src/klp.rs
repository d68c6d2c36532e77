// SPDX-License-Identifier: GPL-2.0

//! klp-rs: kernel live patches written in Rust.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! A patch module mounts this framework at its crate root, under the name `klp` (6.12 builds one
//! crate per module object, so the framework is compiled into each patch module):
//!
//! ```ignore
//! #[path = "../src/klp.rs"]
//! mod klp;
//! ```
//!
//! It then declares its tables with [`patch!`]: one [`Patch`] made of [`Object`]s (vmlinux or a
//! module), each with the [`Func`]s it replaces and optional [`Callbacks`]. The macro also emits
//! the module's `livepatch=Y` modinfo, without which the kernel refuses the patch, so a patch
//! built with klp-rs cannot forget it. [`module!`] declares the module, whose `init` calls
//! [`Patch::enable`]. Shadow variables are typed ([`Shadow`]), so are states ([`StateId`]);
//! module parameters come from [`module_param!`]. `patches/` holds complete examples, starting
//! with `patches/livepatch_sample.rs`.
//!
//! # Lifecycle
//!
//! 1. `insmod` runs `init`, which calls [`Patch::enable`], i.e. `klp_enable_patch()`. The kernel
//!    takes a reference on the module, links the tables into its lists and into
//!    `/sys/kernel/livepatch/<module>/`, redirects the functions through ftrace and starts the
//!    transition that moves every task to the new code. If it refuses the patch (a function it
//!    cannot find, a failing `pre_patch` callback, ...), `init` returns its error and `insmod`
//!    fails with it.
//! 2. `echo 0 > /sys/kernel/livepatch/<module>/enabled` starts the reverse transition. When it
//!    completes, the kernel unlinks the tables and drops its reference on the module.
//! 3. `rmmod` then unloads the module. While the patch is enabled, `rmmod` fails with `EBUSY`.
//!
//! Nothing here calls into the patch API when the module goes away (no `Drop` does): the tables
//! are `static`, they outlive every use the kernel makes of them, and the kernel has let go of
//! them before the module can be removed. A module may free its shadow variables on exit, as the
//! C samples do.
//!
//! # Safety contract
//!
//! Safe code cannot cause undefined behaviour through this API, whatever it passes and wherever
//! it calls from. What the compiler cannot check is `unsafe` for the patch author to vouch for:
//!
//! - A replacement function must have the C prototype of the function it replaces. With
//!   `like(path)`, [`patch!`] takes the prototype from the bindings' declaration and checks the
//!   replacement against it; a prototype spelled out in the patch is a claim nothing checks
//!   against the kernel, so it is written `unsafe fn(...)`.
//! - Shadow variable ids and state ids are global: every module that uses one must agree on the
//!   type of its data. [`Shadow::new`] and [`StateId::with_data`] are `unsafe` for that promise.
//! - A replacement that dereferences a raw argument is an `unsafe extern "C" fn` with a
//!   `# Safety` line: the kernel's callers of the original uphold it.
//!
//! The tables live in writable memory and are handed to the kernel, which writes to them (it
//! embeds kobjects and list heads in them) under its `klp_mutex`. Rust code never reads or writes
//! them after [`Patch::enable`], except through the views the kernel hands to callbacks, under
//! that same mutex: an [`ObjectRef`] borrowed for the call, and the [`StateRef`]s and
//! [`Transition`] reached through it, none of which can outlive the callback. Code in this
//! framework is the only place with `unsafe` blocks, each with its `// SAFETY:` reasoning; a
//! patch module needs `unsafe` only for the promises above and in a replacement body that
//! touches raw kernel data.
//!
//! # Context
//!
//! Callbacks run in process context with `klp_mutex` held: they may sleep, and must not enable
//! or disable patches. Shadow variable constructors and destructors run under the shadow
//! spinlock, in atomic context: they must not sleep.

// Each patch module uses part of the framework: the rest is unused there. `make lint` builds
// `tests/lint/klp_api.rs`, which uses every item of the API, with `--cfg klp_api_lint`, without
// this `allow`: the compiler then finds what is really dead.
#![cfg_attr(
    not(klp_api_lint),
    allow(
        dead_code,
        unused_imports,
        unused_macros,
        reason = "each patch module uses only part of the framework"
    )
)]

pub(crate) mod bindings;
mod callbacks;
mod cstr;
// Shared with the host tools (tools/klp-convert), which use what the kernel side does not.
#[allow(
    dead_code,
    unreachable_pub,
    reason = "a host tool's module too: its items are `pub`, and the tools use the rest"
)]
mod klp_elf;
mod macros;
mod modinfo;
mod object;
mod param;
mod patch;
mod patchable;
mod print;
// Kernel-free, shared with the host tests (tools/klp-check/tests/printk_fmt.rs).
#[allow(
    unreachable_pub,
    reason = "a host test's module too: its items are `pub`"
)]
mod printk_fmt;
mod private;
mod record;
mod shadow;
mod state;

pub(crate) use callbacks::*;
pub(crate) use cstr::*;
pub(crate) use macros::*;
pub(crate) use modinfo::*;
pub(crate) use object::*;
pub(crate) use param::*;
pub(crate) use patch::*;
pub(crate) use patchable::*;
pub(crate) use print::*;
pub(crate) use private::*;
pub(crate) use record::*;
pub(crate) use shadow::*;
pub(crate) use state::*;
