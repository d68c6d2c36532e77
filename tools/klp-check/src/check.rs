// SPDX-License-Identifier: GPL-2.0

//! The checks: each record of a patch module against the object it names.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::dwarf::{DebugRelocations, Dwarf, Found, Function, Wanted};
use crate::error::Error;
use crate::records::{self, Kind, Record};
use crate::target::{SymKind, Symbol, Target};
use crate::types::{Mismatch, Prototype, Type};

/// Where the patched objects are: vmlinux, and the `.ko` of each module a patch names.
#[derive(Clone, Debug, Default)]
pub struct Objects {
    pub vmlinux: PathBuf,
    /// `name=path` given explicitly.
    pub modules: Vec<(String, PathBuf)>,
    /// Directories searched (recursively) for `<name>.ko`, `-` and `_` alike.
    pub module_dirs: Vec<PathBuf>,
    /// A module found nowhere is a note, not a failure: for a build that checks patches for
    /// modules the kernel it is built against may not have.
    pub allow_missing: bool,
}

/// One problem a record has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `file:line` of the macro that declared the record.
    pub location: String,
    /// The problem, possibly over several lines.
    pub message: String,
}

/// What checking one patch module found.
#[derive(Debug, Default)]
pub struct Report {
    pub records: usize,
    pub findings: Vec<Finding>,
    /// Checks that could not run, and why (no debug info): not failures.
    pub notes: Vec<String>,
}

/// A patch module's records, and the Rust functions its debug info describes (`None`: it has
/// none).
struct Patch {
    records: Vec<Record>,
    rust: Option<Vec<Function>>,
}

impl Patch {
    fn read(path: &Path) -> Result<Patch, Error> {
        let data = read(path)?;
        let file = parse(path, &data)?;
        let records = records::read(&file)?;
        let dwarf_error = |source| Error::Dwarf {
            path: path.into(),
            source,
        };
        let relocations = DebugRelocations::new(&file).map_err(|source| Error::Elf {
            path: path.into(),
            source,
        })?;
        let rust = match Dwarf::load(&file, &relocations).map_err(dwarf_error)? {
            Some(dwarf) if !records.is_empty() => {
                let wanted = Wanted {
                    linkage_names: records.iter().filter_map(|r| r.witness.clone()).collect(),
                    ..Wanted::default()
                };
                Some(dwarf.scan(&wanted).map_err(dwarf_error)?.functions)
            }
            _ => None,
        };
        Ok(Patch { records, rust })
    }
}

/// A patched object, read once for every patch module checked against it.
struct Loaded {
    path: PathBuf,
    /// Its debug info is compressed, which is not read.
    compressed: bool,
    target: Target,
    /// Functions and variables by name, from the object's DWARF (`None`: it has none).
    debug: Option<Found>,
}

/// Checks patch modules against the objects they patch, reading each object once.
pub struct Checker {
    objects: Objects,
    loaded: HashMap<String, Result<Loaded, Unloaded>>,
}

/// Why a patched object could not be read.
enum Unloaded {
    /// Its file was found nowhere.
    Missing(String),
    Failed(String),
}

impl Checker {
    pub fn new(objects: Objects) -> Checker {
        Checker {
            objects,
            loaded: HashMap::new(),
        }
    }

    /// Checks each patch module of `paths`, reading every patched object once.
    pub fn check_all(&mut self, paths: &[PathBuf]) -> Vec<(PathBuf, Result<Report, Error>)> {
        let patches: Vec<_> = paths.iter().map(|p| (p.clone(), Patch::read(p))).collect();
        let mut wanted: HashMap<String, Wanted> = HashMap::new();
        for (_, patch) in &patches {
            for record in patch.iter().flat_map(|p| &p.records) {
                wanted
                    .entry(record.object.clone())
                    .or_default()
                    .names
                    .insert(record.name.clone());
            }
        }
        for (object, wanted) in &wanted {
            let loaded = self.load(object, wanted);
            self.loaded.insert(object.clone(), loaded);
        }
        patches
            .into_iter()
            .map(|(path, patch)| {
                let report = patch.map(|patch| self.report(&patch));
                (path, report)
            })
            .collect()
    }

    fn report(&self, patch: &Patch) -> Report {
        let mut report = Report {
            records: patch.records.len(),
            ..Report::default()
        };
        if patch.rust.is_none() && !patch.records.is_empty() {
            report.notes.push(
                "a patch module has no debug info (KDIR built without CONFIG_DEBUG_INFO?): its \
                 Rust prototypes are not checked"
                    .to_owned(),
            );
        }
        for record in &patch.records {
            let loaded = match &self.loaded[&record.object] {
                Ok(loaded) => loaded,
                Err(Unloaded::Missing(why)) if self.objects.allow_missing => {
                    let note = format!("{}: not checked: {why}", record.object);
                    if !report.notes.contains(&note) {
                        report.notes.push(note);
                    }
                    continue;
                }
                Err(Unloaded::Missing(why) | Unloaded::Failed(why)) => {
                    report.findings.push(Finding {
                        location: record.location(),
                        message: format!(
                            "{} `{}` of {}: cannot check: {why}",
                            record.kind.describe(),
                            record.name,
                            record.object
                        ),
                    });
                    continue;
                }
            };
            if loaded.debug.is_none() {
                let note = format!(
                    "{} has no debug info{}: prototypes of {} not checked",
                    loaded.path.display(),
                    if loaded.compressed {
                        " this tool reads (it is compressed)"
                    } else {
                        ""
                    },
                    record.object
                );
                if !report.notes.contains(&note) {
                    report.notes.push(note);
                }
            }
            let witness = patch.rust.as_ref().and_then(|functions| {
                functions
                    .iter()
                    .find(|f| f.linkage_name.is_some() && f.linkage_name == record.witness)
            });
            if witness.is_none() && patch.rust.is_some() && loaded.debug.is_some() {
                report.notes.push(format!(
                    "{}: {} `{}` of {}: its Rust prototype is not compared: no debug info \
                     describes it (the compiler merged the function with another?)",
                    record.location(),
                    record.kind.describe(),
                    record.name,
                    record.object
                ));
            }
            if let Some(message) = check_record(record, loaded, witness, &mut report.notes) {
                report.findings.push(Finding {
                    location: record.location(),
                    message,
                });
            }
        }
        report
    }

    fn load(&self, object: &str, wanted: &Wanted) -> Result<Loaded, Unloaded> {
        let path = self.find(object).map_err(Unloaded::Missing)?;
        self.load_file(path, wanted).map_err(Unloaded::Failed)
    }

    fn load_file(&self, path: PathBuf, wanted: &Wanted) -> Result<Loaded, String> {
        let data = read(&path).map_err(|e| e.to_string())?;
        let file = parse(&path, &data).map_err(|e| e.to_string())?;
        let target = Target::read(&file).map_err(|e| format!("{}: {e}", path.display()))?;
        let relocations = DebugRelocations::new(&file).map_err(|e| e.to_string())?;
        let dwarf = Dwarf::load(&file, &relocations)
            .map_err(|e| format!("{}: its debug info: {e}", path.display()))?;
        let debug = match dwarf {
            Some(dwarf) => Some(
                dwarf
                    .scan(wanted)
                    .map_err(|e| format!("{}: its debug info: {e}", path.display()))?,
            ),
            None => None,
        };
        Ok(Loaded {
            compressed: crate::dwarf::compressed(&file),
            path,
            target,
            debug,
        })
    }

    /// The file of `object`.
    fn find(&self, object: &str) -> Result<PathBuf, String> {
        if object == "vmlinux" {
            return Ok(self.objects.vmlinux.clone());
        }
        let normal = |s: &str| s.replace('-', "_");
        if let Some((_, path)) = self
            .objects
            .modules
            .iter()
            .find(|(name, _)| normal(name) == normal(object))
        {
            return Ok(path.clone());
        }
        for dir in &self.objects.module_dirs {
            if let Some(path) = find_ko(dir, &normal(object)) {
                return Ok(path);
            }
        }
        let dirs: Vec<String> = self
            .objects
            .module_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        Err(format!(
            "no {object}.ko in {}; name it with --module {object}=PATH",
            if dirs.is_empty() {
                "any module directory (none given)".into()
            } else {
                dirs.join(", ")
            }
        ))
    }
}

/// The first `<name>.ko` under `dir`, `-` and `_` alike.
fn find_ko(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let mut subdirs = Vec::new();
    for entry in entries {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            subdirs.push(path);
        } else if let Some(stem) = path
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.strip_suffix(".ko"))
        {
            if stem.replace('-', "_") == name {
                return Some(path);
            }
        }
    }
    subdirs.iter().find_map(|d| find_ko(d, name))
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.into(),
        source,
    })
}

fn parse<'d>(path: &Path, data: &'d [u8]) -> Result<object::File<'d>, Error> {
    object::File::parse(data).map_err(|source| Error::Elf {
        path: path.into(),
        source,
    })
}

/// The problem with `record`, if any.
fn check_record(
    record: &Record,
    loaded: &Loaded,
    witness: Option<&Function>,
    notes: &mut Vec<String>,
) -> Option<String> {
    let what = format!(
        "{} `{}` of {}",
        record.kind.describe(),
        record.name,
        record.object
    );
    let candidates = loaded.target.candidates(&record.name);
    let source_of = |s: &Symbol| -> String {
        let Some(debug) = &loaded.debug else {
            return String::new();
        };
        let unit = match s.kind {
            SymKind::Function => debug
                .functions
                .iter()
                .find(|f| f.name == s.name && f.starts.contains(&s.address))
                .map(|f| f.source.unit.clone()),
            SymKind::Data => debug
                .variables
                .iter()
                .find(|v| v.name == s.name && v.address == s.address)
                .map(|v| v.source.unit.clone()),
        };
        unit.map(|u| format!(", {u}")).unwrap_or_default()
    };
    let list = |out: &mut String| list_candidates(out, "", &candidates, &source_of);

    if candidates.is_empty() {
        let mut message = format!("{what}: no such symbol in {}", loaded.path.display());
        let variants = loaded.target.variants(&record.name);
        if !variants.is_empty() {
            let _ = write!(
                message,
                "\n  the compiler renamed it: {} (a changed copy; patch its callers, or name the \
                 copy)",
                variants.join(", ")
            );
        }
        return Some(message);
    }
    let symbol = match sympos_choice(candidates.len(), record.sympos) {
        Ok(i) => candidates[i],
        Err(SymposError::Ambiguous | SymposError::Missing) => {
            let mut message = format!(
                "{what}: the name is ambiguous: {} symbols have it; give a sympos",
                candidates.len()
            );
            list(&mut message);
            return Some(message);
        }
        Err(SymposError::OutOfRange) => {
            let mut message = format!(
                "{what}: sympos {} is out of range: {} has {} symbol{} of that name",
                record.sympos,
                record.object,
                candidates.len(),
                if candidates.len() == 1 { "" } else { "s" }
            );
            list(&mut message);
            return Some(message);
        }
    };

    // A module that loads after the patch is resolved while its init symbols still count.
    let loading = loaded.target.candidates_loading(&record.name);
    if loading.len() != candidates.len() {
        let same = match record.sympos {
            0 => loading.len() == 1,
            pos => loading.get(pos as usize - 1) == Some(&symbol),
        };
        if !same {
            let mut message = format!(
                "{what}: its sympos depends on the load order: when {} loads after the patch, \
                 the kernel also counts the symbols of its init sections, and {} symbols have \
                 the name then; rename the init function, or load the module first",
                record.object,
                loading.len()
            );
            list_candidates(&mut message, " while loading", &loading, &|_| String::new());
            return Some(message);
        }
    }
    if record.kind != Kind::PrivateStatic {
        // A `.cold` part is the same function's unlikely code, which only it jumps to.
        let variants: Vec<&str> = loaded
            .target
            .variants(&record.name)
            .into_iter()
            .filter(|v| !v[record.name.len()..].starts_with(".cold"))
            .collect();
        if !variants.is_empty() {
            notes.push(format!(
                "{}: {what}: the compiler also made copies of it ({}): their callers keep \
                 calling the copies",
                record.location(),
                variants.join(", ")
            ));
        }
    }

    let expected = match record.kind {
        Kind::Replaced | Kind::PrivateFn => SymKind::Function,
        Kind::PrivateStatic => SymKind::Data,
    };
    if symbol.kind != expected {
        return Some(format!(
            "{what}: it is {} in the kernel, not {}",
            symbol.kind.describe(),
            expected.describe()
        ));
    }
    if record.kind == Kind::Replaced && !loaded.target.has_fentry(symbol) {
        return Some(format!(
            "{what}: ftrace cannot patch it: it has no __fentry__ call site (no __mcount_loc \
             entry in {}; is it `notrace`, or a function ftrace excludes?)",
            loaded.path.display()
        ));
    }

    // The prototype, where both sides have debug info.
    let debug = loaded.debug.as_ref()?;
    let witness = witness?;
    match record.kind {
        Kind::Replaced | Kind::PrivateFn => {
            let Some(kernel) = debug
                .functions
                .iter()
                .find(|f| f.name == symbol.name && f.starts.contains(&symbol.address))
            else {
                notes.push(format!(
                    "{}: {what}: no debug info describes the kernel's function: its prototype is \
                     not compared",
                    record.location()
                ));
                return None;
            };
            if kernel.nocall {
                return Some(format!(
                    "{what}: the compiler changed how it is called (DW_CC_nocall: parameters \
                     removed or changed), so its callers do not follow its C prototype; patch \
                     its callers instead"
                ));
            }
            // A function pointer type (a witness), or the replacement itself.
            let (rust, rust_name) = match &witness.type_param {
                Some(Type::Pointer(to)) if matches!(**to, Type::Function(_)) => match &**to {
                    Type::Function(proto) => ((**proto).clone(), "as declared".to_owned()),
                    _ => unreachable!(),
                },
                // Rust's reduced debug info (-Cdebuginfo=1) has no type parameters.
                None if record.kind == Kind::Replaced && !witness.name.starts_with("witness<") => {
                    (witness.proto.clone(), witness.name.clone())
                }
                _ => {
                    notes.push(no_rust_types(record, &what));
                    return None;
                }
            };
            let mismatches = kernel.proto.mismatches(&rust);
            (!mismatches.is_empty()).then(|| {
                prototype_message(
                    &what,
                    &kernel.proto,
                    &kernel.source.unit,
                    &rust,
                    &rust_name,
                    &mismatches,
                )
            })
        }
        Kind::PrivateStatic => {
            let Some(kernel) = debug
                .variables
                .iter()
                .find(|v| v.name == symbol.name && v.address == symbol.address)
            else {
                notes.push(format!(
                    "{}: {what}: no debug info describes the kernel's variable: its type is not \
                     compared",
                    record.location()
                ));
                return None;
            };
            let Some(rust) = witness.type_param.as_ref() else {
                notes.push(no_rust_types(record, &what));
                return None;
            };
            (!kernel.ty.matches(rust)).then(|| {
                format!(
                    "{what}: its Rust type differs from the kernel's:\n  kernel: {} ({})\n  \
                     Rust:   {}",
                    kernel.ty, kernel.source.unit, rust
                )
            })
        }
    }
}

/// One line per symbol of `symbols`, in sympos order: `sympos N<label>: <kind> at <place><source>`.
/// Why livepatch finds no symbol for a sympos.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymposError {
    /// No symbol has the name.
    Missing,
    /// Several have it and sympos is 0.
    Ambiguous,
    /// Fewer than sympos have it.
    OutOfRange,
}

/// Which of the `count` symbols of a name, in the kernel's order, livepatch takes for `sympos`
/// (as `klp_find_object_symbol()` does): sympos 0 needs exactly one; sympos N takes the N-th.
pub fn sympos_choice(count: usize, sympos: u64) -> Result<usize, SymposError> {
    match (count, sympos) {
        (0, _) => Err(SymposError::Missing),
        (1, 0) => Ok(0),
        (_, 0) => Err(SymposError::Ambiguous),
        (c, s) if s > c as u64 => Err(SymposError::OutOfRange),
        (_, s) => Ok(s as usize - 1),
    }
}

fn list_candidates(
    out: &mut String,
    label: &str,
    symbols: &[&Symbol],
    source_of: &dyn Fn(&Symbol) -> String,
) {
    for (i, s) in symbols.iter().enumerate() {
        let _ = write!(
            out,
            "\n  sympos {}{label}: {} at {}{}",
            i + 1,
            s.kind.describe(),
            s.place(),
            source_of(s)
        );
    }
}

fn no_rust_types(record: &Record, what: &str) -> String {
    format!(
        "{}: {what}: the patch's debug info does not describe the Rust types (reduced debug \
         info?): not compared",
        record.location()
    )
}

fn prototype_message(
    what: &str,
    kernel: &Prototype,
    unit: &str,
    rust: &Prototype,
    rust_name: &str,
    mismatches: &[Mismatch],
) -> String {
    let mut message = format!(
        "{what}: its Rust prototype differs from the kernel's:\n  kernel: {kernel} ({unit})\n  \
         Rust:   {rust} ({rust_name})"
    );
    for mismatch in mismatches {
        let _ = write!(message, "\n  {mismatch}");
    }
    message
}
