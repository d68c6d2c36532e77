// SPDX-License-Identifier: GPL-2.0

//! What a module file says about itself: its `.modinfo`, and for klp-rs patches the records
//! of `.klp_rs.check` (every replaced function and private symbol, with its object and
//! sympos).

use std::path::{Path, PathBuf};

use object::{Object, ObjectSection};

use crate::error::Error;
use crate::kallsyms::{resolve, Kallsyms};
use crate::schema::{FileInfo, Target, SCHEMA};
use crate::system::System;

/// A module file.
#[derive(Debug)]
pub struct ModuleFile {
    pub path: PathBuf,
    /// `key=value` of `.modinfo`, in order.
    pub modinfo: Vec<(String, String)>,
    /// The records, `None` for a module not built with klp-rs.
    pub records: Option<Vec<klp_check::records::Record>>,
    /// Whether it carries symbol versions (`__versions`, CONFIG_MODVERSIONS): the kernel then
    /// checks those instead of the release in the vermagic.
    pub modversions: bool,
}

impl ModuleFile {
    /// Reads the module file `path`.
    pub fn read(path: &Path) -> Result<ModuleFile, Error> {
        let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let file = object::File::parse(&*data).map_err(|e| Error::NotElf {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let modinfo = file
            .section_by_name(".modinfo")
            .ok_or_else(|| Error::NotModule {
                path: path.to_owned(),
            })?;
        let bytes = modinfo.data().map_err(|e| Error::BadModule {
            path: path.to_owned(),
            reason: format!(".modinfo: {e}"),
        })?;
        let modinfo = bytes
            .split(|&b| b == 0)
            .filter(|entry| !entry.is_empty())
            .filter_map(|entry| {
                let entry = String::from_utf8_lossy(entry);
                let (key, value) = entry.split_once('=')?;
                Some((key.to_owned(), value.to_owned()))
            })
            .collect();
        let records = if file.section_by_name(klp_check::records::SECTION).is_some() {
            Some(
                klp_check::records::read(&file).map_err(|e| Error::BadModule {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })?,
            )
        } else {
            None
        };
        Ok(ModuleFile {
            path: path.to_owned(),
            modinfo,
            records,
            modversions: file.section_by_name("__versions").is_some(),
        })
    }

    /// The first value of `key` in `.modinfo`.
    pub fn info(&self, key: &str) -> Option<&str> {
        self.modinfo
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The module's name: `.modinfo`'s `name`, else the file's stem with `-` as `_`, as
    /// Kbuild names modules.
    pub fn name(&self) -> String {
        self.info("name").map(str::to_owned).unwrap_or_else(|| {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().replace('-', "_"))
                .unwrap_or_default()
        })
    }

    /// Whether it is a livepatch module (`MODULE_INFO(livepatch, "Y")`).
    pub fn is_livepatch(&self) -> bool {
        self.info("livepatch") == Some("Y")
    }

    /// Fails unless it is a livepatch module.
    pub fn require_livepatch(&self) -> Result<(), Error> {
        if self.is_livepatch() {
            Ok(())
        } else {
            Err(Error::NotLivepatch {
                path: self.path.clone(),
            })
        }
    }

    /// What loading it on `system` would do, and what would stop it.
    pub fn info_on(&self, system: &System) -> FileInfo {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let livepatch = self.is_livepatch();
        if !livepatch {
            problems.push("not a livepatch module: .modinfo has no livepatch=Y".to_owned());
        }
        let vermagic = self.info("vermagic").map(str::to_owned);
        let release = system.release().ok();
        let vermagic_matches = match (&vermagic, &release) {
            (Some(v), Some(r)) => Some(v.split_whitespace().next() == Some(r.as_str())),
            _ => None,
        };
        match (&vermagic, &release, vermagic_matches) {
            (None, _, _) => problems.push("no vermagic in .modinfo".to_owned()),
            (Some(v), Some(r), Some(false)) if self.modversions => warnings.push(format!(
                "built for another kernel release: vermagic '{v}', running {r}; the kernel checks \
                 its symbol versions instead"
            )),
            (Some(v), Some(r), Some(false)) => problems.push(format!(
                "built for another kernel: vermagic '{v}', running {r}"
            )),
            _ => {}
        }
        let kallsyms = Kallsyms::read(system).ok();
        let traceable = Traceable::read(system);
        let mut targets = Vec::new();
        for record in self.records.iter().flatten() {
            let (status, count) = match &kallsyms {
                None => ("unknown", None),
                Some(k) if record.object != "vmlinux" && !k.has_object(&record.object) => {
                    ("waiting for module", None)
                }
                Some(k) => {
                    let count = k.count(&record.object, &record.name);
                    let status = match resolve(count, record.sympos) {
                        // Found, but ftrace cannot redirect it: the kernel refuses with "failed
                        // to find location for function".
                        "ok" if record.kind == klp_check::records::Kind::Replaced
                            && traceable
                                .as_ref()
                                .is_some_and(|t| !t.has(&record.object, &record.name)) =>
                        {
                            "not traceable"
                        }
                        status => status,
                    };
                    (status, Some(count))
                }
            };
            if status == "not traceable" {
                problems.push(format!(
                    "{} {} in {}: not in ftrace's available_filter_functions (notrace, or not \
                     compiled with an fentry call): it cannot be patched",
                    record.kind.describe(),
                    record.name,
                    record.object
                ));
            } else if !matches!(status, "ok" | "waiting for module" | "unknown") {
                problems.push(format!(
                    "{} {} in {} (sympos {}): {status} in /proc/kallsyms ({} found)",
                    record.kind.describe(),
                    record.name,
                    record.object,
                    record.sympos,
                    count.unwrap_or(0)
                ));
            }
            targets.push(Target {
                kind: record.kind.describe().to_owned(),
                object: record.object.clone(),
                name: record.name.clone(),
                sympos: record.sympos,
                status: status.to_owned(),
                count,
            });
        }
        FileInfo {
            schema: SCHEMA.to_owned(),
            file: self.path.display().to_string(),
            name: self.name(),
            livepatch,
            vermagic,
            kernel_release: release,
            vermagic_matches,
            described: self.records.is_some(),
            targets,
            problems,
            warnings,
        }
    }
}

/// The functions ftrace can trace (`available_filter_functions`), which are those livepatch can
/// redirect.
struct Traceable {
    functions: std::collections::HashSet<(String, String)>,
}

impl Traceable {
    /// Reads tracefs where it is mounted; `None` when it is not (nothing is then concluded).
    fn read(system: &System) -> Option<Traceable> {
        let text = [
            "/sys/kernel/tracing/available_filter_functions",
            "/sys/kernel/debug/tracing/available_filter_functions",
        ]
        .iter()
        .find_map(|p| std::fs::read_to_string(system.path(p)).ok())?;
        let functions = text
            .lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let name = words.next()?;
                let rest = words.collect::<Vec<_>>().join(" ");
                let object = crate::kallsyms::bracketed_module(&rest).unwrap_or("vmlinux");
                Some((object.to_owned(), name.to_owned()))
            })
            .collect();
        Some(Traceable { functions })
    }

    fn has(&self, object: &str, name: &str) -> bool {
        self.functions
            .contains(&(object.to_owned(), name.to_owned()))
    }
}
