// SPDX-License-Identifier: GPL-2.0

//! klp-convert's tests on the fixtures in `tests/fixtures`, as one test binary.

mod cli;
mod common;
mod convert;
mod records;
mod refusals;
