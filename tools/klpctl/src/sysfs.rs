// SPDX-License-Identifier: GPL-2.0

//! The loaded patches, read from `/sys/kernel/livepatch`.

use std::path::Path;

use crate::error::Error;
use crate::schema::{Function, Object, Patch};
use crate::system::System;

/// `0`/`1` of a sysfs attribute.
fn flag(system: &System, path: &Path) -> Result<bool, Error> {
    match system.read(path)?.as_str() {
        "0" => Ok(false),
        "1" => Ok(true),
        other => Err(Error::Refused(format!(
            "{}: expected 0 or 1, read '{other}'",
            path.display()
        ))),
    }
}

/// An attribute that older kernels lack.
fn optional_flag(system: &System, path: &Path) -> Result<Option<bool>, Error> {
    if path.exists() {
        flag(system, path).map(Some)
    } else {
        Ok(None)
    }
}

/// The names of the subdirectories of `dir`, sorted.
fn subdirs(dir: &Path) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.path().is_dir() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// The names of the loaded patches, sorted.
pub fn patch_names(system: &System) -> Result<Vec<String>, Error> {
    system.require_livepatch()?;
    subdirs(&system.livepatch_dir())
}

/// The loaded patch `name`.
pub fn patch(system: &System, name: &str) -> Result<Patch, Error> {
    system.require_livepatch()?;
    let dir = system.patch_dir(name);
    if name.is_empty() || name.contains('/') || name.starts_with('.') || !dir.is_dir() {
        return Err(Error::NoSuchPatch {
            name: name.to_owned(),
        });
    }
    let mut objects = Vec::new();
    for object in subdirs(&dir)? {
        let object_dir = dir.join(&object);
        let mut functions = Vec::new();
        for function in subdirs(&object_dir)? {
            // "<name>,<sympos>"; a C name has no comma.
            let (fname, sympos) = function.rsplit_once(',').ok_or_else(|| {
                Error::Refused(format!(
                    "{}: a function directory without ',<sympos>'",
                    object_dir.join(&function).display()
                ))
            })?;
            functions.push(Function {
                name: fname.to_owned(),
                sympos: sympos.parse().map_err(|_| {
                    Error::Refused(format!(
                        "{}: sympos '{sympos}' is not a number",
                        object_dir.join(&function).display()
                    ))
                })?,
            });
        }
        objects.push(Object {
            patched: optional_flag(system, &object_dir.join("patched"))?,
            name: object,
            functions,
        });
    }
    // vmlinux first, then the modules in order.
    objects.sort_by_key(|o| (o.name != "vmlinux", o.name.clone()));
    let refcount = system
        .modules()
        .ok()
        .and_then(|m| m.into_iter().find(|(n, _)| n == name).map(|(_, r)| r));
    Ok(Patch {
        name: name.to_owned(),
        enabled: flag(system, &dir.join("enabled"))?,
        transition: flag(system, &dir.join("transition"))?,
        replace: optional_flag(system, &dir.join("replace"))?,
        refcount,
        objects,
    })
}

/// Every loaded patch. A patch freed while it is read (its directory gone) is left out.
pub fn patches(system: &System) -> Result<Vec<Patch>, Error> {
    let mut patches = Vec::new();
    for name in patch_names(system)? {
        match patch(system, &name) {
            Ok(p) => patches.push(p),
            Err(Error::NoSuchPatch { .. }) => {}
            Err(Error::Io { source, .. }) if crate::system::gone(&source) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(patches)
}

/// The patch in transition and the state its tasks switch to (1 patched, 0 unpatched).
pub fn in_transition(system: &System) -> Result<Option<(Patch, i32)>, Error> {
    Ok(patches(system)?
        .into_iter()
        .find(|p| p.transition)
        .map(|p| {
            let target = i32::from(p.enabled);
            (p, target)
        }))
}
