// SPDX-License-Identifier: GPL-2.0

//! `klp-bench`: the samples `make bench` collects in the guest (`bench: {JSON}` lines of the
//! console log, tests/suite-bench.sh) and the sizes of the patch modules on the host, as a
//! report: [`report::Report`], written as JSON, Markdown and SVG plots.

pub mod generate;
pub mod readme;
pub mod report;
pub mod samples;
pub mod sizes;
pub mod stats;
pub mod svg;
