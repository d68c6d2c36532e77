// SPDX-License-Identifier: GPL-2.0

//! `klpctl`: the operator's command for Linux live patches.
//!
//! Everything it knows about the running kernel comes from files: the livepatch sysfs
//! (`/sys/kernel/livepatch`), `/proc` (tasks, `kallsyms`, `modules`, `cmdline`), `/dev/kmsg`, and
//! the modules' own files. [`System`] names them all under one root directory, so that the tests
//! run every verb against a fake root in a temporary directory. The two system calls it makes,
//! `finit_module(2)` and `delete_module(2)`, go through the [`Kernel`] trait for the same reason.
//!
//! The JSON it prints (`--json`) is described by the types of [`schema`], whose version is
//! [`schema::SCHEMA`].

pub mod error;
pub mod install;
pub mod kallsyms;
pub mod kmsg;
pub mod kofile;
pub mod ops;
pub mod schema;
pub mod sysfs;
pub mod system;
pub mod tasks;

pub use error::Error;
pub use system::{Kernel, RealKernel, System};
