// SPDX-License-Identifier: GPL-2.0

//! The README's performance section is the committed bench/bench.md of the last full
//! `make bench`, byte for byte.

use std::path::Path;

#[test]
fn readme_shows_the_committed_bench() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let bench = std::fs::read_to_string(root.join("bench/bench.md"))
        .expect("bench/bench.md: run make bench and commit bench/");
    let section = klp_bench::readme::section(&readme).unwrap();
    assert_eq!(
        section,
        bench.trim_matches('\n'),
        "README's performance section differs from bench/bench.md: run make bench (or copy it)"
    );
    assert!(
        bench.contains("mode full"),
        "bench/bench.md is not from a full make bench"
    );
}
