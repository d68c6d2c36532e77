// SPDX-License-Identifier: GPL-2.0

//! Installed patches: a directory per kernel release, `/var/lib/klp-rs/<release>/`, holding
//! `NNNN-<name>.ko` files that `klpctl load --all` loads at boot in the order of their
//! numbers, which is the order they were first installed in.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Error;
use crate::kofile::ModuleFile;
use crate::ops::{self, LoadOptions};
use crate::schema::{Installed, LoadAll, Outcome, SCHEMA};
use crate::system::{Kernel, System};

/// Where the installed patches live, per kernel release.
pub const DIR: &str = "/var/lib/klp-rs";

/// The kernel command line word that stops `load --all`.
pub const NOLOAD: &str = "klpctl.noload";

/// The directory of `release`'s installed patches.
pub fn release_dir(system: &System, release: &str) -> PathBuf {
    system.path(DIR).join(release)
}

/// A release as a directory name: no path separators, not `.` or `..`.
fn check_release(release: &str) -> Result<(), Error> {
    if release.is_empty() || release.contains('/') || release == "." || release == ".." {
        return Err(Error::Refused(format!(
            "'{release}' is not a kernel release"
        )));
    }
    Ok(())
}

/// The installed patches of `release` in load order: (number, name, file).
pub fn installed(system: &System, release: &str) -> Result<Vec<(u32, String, PathBuf)>, Error> {
    check_release(release)?;
    let dir = release_dir(system, release);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let mut patches = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = file_name.strip_suffix(".ko") else {
            continue;
        };
        let Some((number, name)) = stem.split_once('-') else {
            continue;
        };
        let Ok(number) = number.parse() else {
            continue;
        };
        patches.push((number, name.to_owned(), entry.path()));
    }
    patches.sort();
    Ok(patches)
}

/// The list `klpctl installed` prints.
pub fn list(system: &System, release: &str) -> Result<crate::schema::InstalledList, Error> {
    Ok(crate::schema::InstalledList {
        schema: SCHEMA.to_owned(),
        release: release.to_owned(),
        patches: installed(system, release)?
            .into_iter()
            .map(|(_, name, file)| Installed {
                name,
                file: file.display().to_string(),
            })
            .collect(),
    })
}

/// The kernel release a module was built for: the first word of its vermagic.
pub fn module_release(module: &ModuleFile) -> Result<String, Error> {
    module
        .info("vermagic")
        .and_then(|v| v.split_whitespace().next())
        .map(str::to_owned)
        .ok_or_else(|| Error::BadModule {
            path: module.path.clone(),
            reason: "no vermagic in .modinfo: which kernel is it for?".to_owned(),
        })
}

fn outcome(command: &str, patch: &str, result: &str, message: String, start: Instant) -> Outcome {
    Outcome {
        result: result.to_owned(),
        message,
        ..ops::outcome(command, patch, start)
    }
}

/// A module name as the kernel takes it, and so a safe file name: letters, digits and `_`
/// (Kbuild turns `-` into `_`), shorter than MODULE_NAME_LEN (56).
fn check_name(module: &ModuleFile, name: &str) -> Result<(), Error> {
    if name.is_empty()
        || name.len() >= 56
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(Error::BadModule {
            path: module.path.clone(),
            reason: format!("'{name}' is not a module name (letters, digits and '_', under 56)"),
        });
    }
    Ok(())
}

/// Writes `data` to `target` through a temporary file in the same directory, synced before
/// the rename, so that a boot sees the old file or the new one, never half of one.
fn write_atomically(dir: &Path, name: &str, target: &Path, data: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.ko.tmp"));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(data)?;
        file.sync_all()?;
        std::fs::rename(&tmp, target)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(target, e)
    })
}

/// Installs the patch module `path` for the kernel release it was built for: loaded by every
/// `load --all` on that release from now on. Installing a patch of the same name again
/// replaces its file and keeps its place in the order; the same file again changes nothing.
pub fn install(system: &System, path: &Path) -> Result<Outcome, Error> {
    let start = Instant::now();
    let module = ModuleFile::read(path)?;
    module.require_livepatch()?;
    let name = module.name();
    check_name(&module, &name)?;
    let release = module_release(&module)?;
    check_release(&release)?;
    let dir = release_dir(system, &release);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let existing = installed(system, &release)?;
    let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let target = match existing.iter().find(|(_, n, _)| *n == name) {
        Some((_, _, file)) => {
            if std::fs::read(file).ok().as_deref() == Some(&data[..]) {
                return Ok(outcome(
                    "install",
                    &name,
                    "skipped",
                    format!(
                        "{name} is already installed for {release}: {}",
                        file.display()
                    ),
                    start,
                ));
            }
            file.clone()
        }
        None => {
            let number = existing
                .iter()
                .map(|(n, _, _)| *n)
                .max()
                .map_or(1, |n| n + 1);
            dir.join(format!("{number:04}-{name}.ko"))
        }
    };
    write_atomically(&dir, &name, &target, &data)?;
    Ok(outcome(
        "install",
        &name,
        "done",
        format!("{name} installed for {release}: {}", target.display()),
        start,
    ))
}

/// Removes the installed patch `name` of `release`; a patch not installed is left as it is.
/// A loaded patch stays loaded (`klpctl unload` removes it).
pub fn uninstall(system: &System, name: &str, release: &str) -> Result<Outcome, Error> {
    let start = Instant::now();
    let found: Vec<_> = installed(system, release)?
        .into_iter()
        .filter(|(_, n, _)| n == name)
        .collect();
    if found.is_empty() {
        return Ok(outcome(
            "uninstall",
            name,
            "skipped",
            format!("{name} is not installed for {release}"),
            start,
        ));
    }
    for (_, _, file) in &found {
        std::fs::remove_file(file).map_err(|e| Error::io(file, e))?;
    }
    Ok(outcome(
        "uninstall",
        name,
        "done",
        format!("{name} uninstalled for {release}; a loaded patch stays loaded"),
        start,
    ))
}

/// Whether the kernel command line has [`NOLOAD`].
pub fn noload(system: &System) -> Result<bool, Error> {
    Ok(system.cmdline()?.split_whitespace().any(|w| w == NOLOAD))
}

/// Loads every installed patch of the running kernel in order, as at boot, each after the
/// transition of the one before has finished (the kernel refuses a patch while another is in
/// transition): `options.wait` is implied. Patches already loaded are skipped, so running it
/// twice loads nothing the second time. Nothing is loaded when the kernel command line has
/// [`NOLOAD`]. A patch that fails, or times out, does not stop the ones after it.
pub fn load_all(
    system: &System,
    kernel: &mut dyn Kernel,
    options: &LoadOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<LoadAll, Error> {
    let release = system.release()?;
    let mut all = LoadAll {
        schema: SCHEMA.to_owned(),
        release: release.clone(),
        disabled: false,
        outcomes: Vec::new(),
    };
    if noload(system)? {
        all.disabled = true;
        return Ok(all);
    }
    let installed = installed(system, &release)?;
    if !installed.is_empty() {
        system.require_livepatch()?;
    }
    let options = LoadOptions {
        wait: true,
        ..options.clone()
    };
    let loaded: Vec<String> = system
        .modules()
        .unwrap_or_default()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for (_, name, file) in installed {
        let start = Instant::now();
        if loaded.contains(&name) || system.patch_dir(&name).exists() {
            all.outcomes.push(outcome(
                "load",
                &name,
                "skipped",
                format!("{name} is already loaded"),
                start,
            ));
            continue;
        }
        match ops::load(system, kernel, &file, &options, progress) {
            Ok(out) => all.outcomes.push(out),
            Err(e) => all
                .outcomes
                .push(outcome("load", &name, "failed", e.to_string(), start)),
        }
    }
    Ok(all)
}
