// SPDX-License-Identifier: GPL-2.0

//! `size`'s figures for a module file: text (allocated, not writable), data (allocated,
//! writable, with contents) and bss (allocated, no contents), as binutils' `size` counts an
//! ELF relocatable file's sections.

use std::path::Path;

use object::{Object, ObjectSection, SectionFlags, SectionKind};
use serde::{Deserialize, Serialize};

/// The sizes of one module file, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sizes {
    pub text: u64,
    pub data: u64,
    pub bss: u64,
}

impl Sizes {
    /// text + data: what the module costs in memory besides its bss.
    pub fn text_data(&self) -> u64 {
        self.text + self.data
    }
}

const SHF_WRITE: u64 = 0x1;
const SHF_ALLOC: u64 = 0x2;

/// The sizes of the ELF file `path`.
pub fn of(path: &Path) -> Result<Sizes, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = object::File::parse(&*data).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sizes = Sizes {
        text: 0,
        data: 0,
        bss: 0,
    };
    for section in file.sections() {
        let SectionFlags::Elf { sh_flags } = section.flags() else {
            continue;
        };
        if sh_flags & SHF_ALLOC == 0 {
            continue;
        }
        if matches!(
            section.kind(),
            SectionKind::UninitializedData | SectionKind::UninitializedTls
        ) {
            sizes.bss += section.size();
        } else if sh_flags & SHF_WRITE != 0 {
            sizes.data += section.size();
        } else {
            sizes.text += section.size();
        }
    }
    Ok(sizes)
}
