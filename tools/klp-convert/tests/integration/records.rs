// SPDX-License-Identifier: GPL-2.0

//! Check records kept out of kernel memory: `unload_records` on the `records` fixture, and
//! through `convert_file`, which applies it to every module it is given.

use std::fs;

use object::elf::SHF_ALLOC;
use object::{Object as _, ObjectSection as _, SectionFlags};

use klp_convert::{convert_file, unload_records, MODULE_SIG_STRING, RECORD_SECTIONS};

use crate::common::{copy_fixture, fixture, scratch};

/// Each section's name and whether it is allocated, in order.
fn allocated(image: &[u8]) -> Vec<(String, bool)> {
    let file = object::File::parse(image).unwrap();
    file.sections()
        .map(|s| {
            let SectionFlags::Elf { sh_flags } = s.flags() else {
                panic!("not ELF")
            };
            (
                s.name().unwrap().to_owned(),
                sh_flags & u64::from(SHF_ALLOC) != 0,
            )
        })
        .collect()
}

#[test]
fn records_leave_kernel_memory_and_nothing_else_changes() {
    let before = fixture("records.elf");
    let mut after = before.clone();
    assert_eq!(unload_records(&mut after).unwrap(), 2);
    let (was, is) = (allocated(&before), allocated(&after));
    assert_eq!(was.len(), is.len());
    for ((name, alloc_before), (_, alloc_after)) in was.iter().zip(&is) {
        if RECORD_SECTIONS.contains(&name.as_str()) {
            assert!(alloc_before, "{name} was allocated");
            assert!(!alloc_after, "{name} is still allocated");
        } else {
            assert_eq!(alloc_before, alloc_after, "{name} changed");
        }
    }
    assert!(is
        .iter()
        .any(|(name, alloc)| name == ".klp_rs.unconverted_like" && *alloc));
    // Only the two flags words differ, by the one bit.
    let changed: Vec<usize> = (0..before.len())
        .filter(|&i| before[i] != after[i])
        .collect();
    assert_eq!(changed.len(), 2);
    for i in changed {
        assert_eq!(before[i] ^ after[i], SHF_ALLOC as u8);
    }
    // The records still read the same: the section's data and relocations are untouched.
    let file = object::File::parse(&*after).unwrap();
    let check = file.section_by_name(".klp_rs.check").unwrap();
    assert_eq!(check.data().unwrap().len(), 56);
    assert_eq!(check.relocations().count(), 4);
}

#[test]
fn unloading_twice_changes_nothing_the_second_time() {
    let mut image = fixture("records.elf");
    assert_eq!(unload_records(&mut image).unwrap(), 2);
    let once = image.clone();
    assert_eq!(unload_records(&mut image).unwrap(), 0);
    assert_eq!(image, once);
}

#[test]
fn a_module_without_records_is_left_alone() {
    let mut image = fixture("plain.elf");
    let before = image.clone();
    assert_eq!(unload_records(&mut image).unwrap(), 0);
    assert_eq!(image, before);
}

#[test]
fn convert_file_unloads_records_of_a_module_with_nothing_to_convert() {
    let dir = scratch("records-convert-file");
    let path = copy_fixture(&dir, "records.elf");
    assert!(convert_file(&path).unwrap().is_none(), "nothing to convert");
    let image = fs::read(&path).unwrap();
    assert!(allocated(&image)
        .iter()
        .all(|(name, alloc)| !RECORD_SECTIONS.contains(&name.as_str()) || !alloc));
}

#[test]
fn a_signed_module_keeps_its_records_loaded() {
    let dir = scratch("records-signed");
    let path = dir.join("records.elf");
    let mut signed = fixture("records.elf");
    signed.extend_from_slice(MODULE_SIG_STRING);
    fs::write(&path, &signed).unwrap();
    assert!(convert_file(&path).unwrap().is_none());
    assert_eq!(
        fs::read(&path).unwrap(),
        signed,
        "a signature covers the flags"
    );
}
