// SPDX-License-Identifier: GPL-2.0

//! `klpctl`: load, watch, diagnose and install Linux live patches. `klpctl --help` and the
//! README's "klpctl" section document it.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde::Serialize;

use klpctl::error::exit;
use klpctl::ops::LoadOptions;
use klpctl::schema::{self, Blocker, Outcome, SCHEMA};
use klpctl::{install, kofile, ops, sysfs, tasks, Error, RealKernel, System};

/// The operator's command for Linux live patches (klp-rs).
///
/// Exit codes: 0 done; 1 failed (the kernel refused, no such patch, a file that could never
/// load); 2 wrong command line; 3 a transition did not finish within --timeout; 4 this
/// system cannot (no livepatch support, not permitted).
#[derive(Parser, Debug)]
#[command(name = "klpctl", version, about, long_about)]
struct Cli {
    /// Print JSON (schema "klpctl/1", README "klpctl") instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Read the kernel's files under DIR instead of / (for tests).
    #[arg(
        long,
        global = true,
        env = "KLPCTL_ROOT",
        default_value = "/",
        hide = true
    )]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Every loaded patch: enabled, in transition, replace, objects, functions, refcount.
    List,
    /// A loaded patch in detail, or what a patch module file would do on this kernel.
    Info {
        /// A loaded patch's name, or a .ko file (a path with a '/' or ending in .ko).
        what: String,
    },
    /// Load a patch module, and with --wait wait for its transition.
    Load {
        /// The patch module (.ko); not with --all.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// Module parameters, NAME=VALUE.
        #[arg(conflicts_with = "all")]
        params: Vec<String>,
        /// Load every installed patch of the running kernel, in order, as at boot
        /// (nothing when the kernel command line says klpctl.noload).
        #[arg(long)]
        all: bool,
        /// Wait until every task runs the patch.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after SECS seconds, and show what holds the transition.
        #[arg(long, value_name = "SECS", requires = "wait")]
        timeout: Option<u64>,
        /// On timeout, reverse the transition (waiting as long again, at least 60 s) and
        /// remove the module.
        #[arg(long, requires = "timeout")]
        revert_on_timeout: bool,
    },
    /// Disable a patch, wait until the kernel has freed it, remove its module.
    Unload {
        patch: String,
        /// Give up after SECS seconds (default: wait as long as it takes).
        #[arg(long, value_name = "SECS")]
        timeout: Option<u64>,
    },
    /// Reverse a patch's disabling while it is in transition (a freed patch must be loaded
    /// again).
    Enable { patch: String },
    /// Start disabling a patch (or reverse its enabling); see `unload` to also wait and
    /// remove it.
    Disable { patch: String },
    /// The tasks holding the transition: pid, comm, kthread, patch_state, and their kernel
    /// stacks with the patched functions marked.
    Blockers {
        /// Only if this is the patch in transition.
        patch: Option<String>,
    },
    /// Finish a transition by force. Tasks may then still run old code, and the module can
    /// never be removed.
    Force {
        patch: String,
        /// Confirm that the module can then never be removed.
        #[arg(long)]
        yes_i_understand_the_module_stays: bool,
    },
    /// Install a patch module for the kernel release it was built for, to be loaded at boot.
    Install { file: PathBuf },
    /// Remove an installed patch (a loaded one stays loaded).
    Uninstall {
        patch: String,
        /// The kernel release (default: the running kernel's).
        #[arg(long)]
        release: Option<String>,
    },
    /// The installed patches, in boot order.
    Installed {
        /// The kernel release (default: the running kernel's).
        #[arg(long)]
        release: Option<String>,
    },
}

/// What a verb prints.
struct Output {
    text: String,
    json: serde_json::Value,
    code: i32,
}

impl Output {
    fn new(value: &impl Serialize, text: String, code: i32) -> Result<Output, Error> {
        Ok(Output {
            text,
            json: serde_json::to_value(value).map_err(|e| Error::Refused(e.to_string()))?,
            code,
        })
    }
}

/// Progress of a transition on stderr: a spinner on a terminal, else a line per change.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    last: Option<usize>,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        // A spinner needs a terminal that can redraw a line: not TERM=dumb, as a serial
        // console logged to a file is.
        let redraws = std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb");
        let bar = (!quiet && redraws && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            last: None,
            quiet,
        }
    }

    fn update(&mut self, remaining: usize) {
        if self.quiet || self.last == Some(remaining) {
            return;
        }
        self.last = Some(remaining);
        // The idle tasks (swapper/N) are not in /proc: the kernel may wait for them after
        // every task listed there has switched.
        let line = match remaining {
            0 => "transition: every task in /proc switched; waiting for the kernel to finish"
                .to_owned(),
            n => format!("transition: {n} tasks still to switch"),
        };
        match &self.bar {
            Some(bar) => bar.set_message(line),
            None => eprintln!("klpctl: {line}"),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn opt_yes(b: Option<bool>) -> &'static str {
    b.map_or("-", yes)
}

fn patch_text(p: &schema::Patch, out: &mut String) {
    out.push_str(&format!(
        "{}: enabled {}, transition {}, replace {}, refcount {}\n",
        p.name,
        yes(p.enabled),
        yes(p.transition),
        opt_yes(p.replace),
        p.refcount.map_or("-".to_owned(), |r| r.to_string())
    ));
    for o in &p.objects {
        let state = match o.patched {
            Some(true) => "patched",
            Some(false) => "waiting for the module",
            None => "-",
        };
        out.push_str(&format!("  {} ({state})\n", o.name));
        for f in &o.functions {
            out.push_str(&format!("    {},{}\n", f.name, f.sympos));
        }
    }
}

fn blockers_text(blockers: &[Blocker], out: &mut String) {
    for b in blockers {
        out.push_str(&format!(
            "{} {} ({}) patch_state {}{}\n",
            b.tid,
            b.comm,
            if b.kthread { "kthread" } else { "user" },
            b.patch_state,
            if b.tid != b.pid {
                format!(", thread of {}", b.pid)
            } else {
                String::new()
            }
        ));
        match &b.stack {
            Some(frames) => {
                for f in frames {
                    out.push_str(&format!(
                        "  {} {}\n",
                        if f.patched { "=>" } else { "  " },
                        f.text
                    ));
                }
            }
            None => out.push_str("     (stack unreadable)\n"),
        }
    }
}

fn outcome_output(o: Outcome) -> Result<Output, Error> {
    let code = match o.result.as_str() {
        "timeout" | "reverted" => exit::TIMEOUT,
        "failed" => exit::FAILED,
        _ => exit::OK,
    };
    let mut text = format!("{}: {}\n", o.result, o.message);
    if !o.blockers.is_empty() {
        text.push_str("tasks holding the transition (=> marks patched code):\n");
        blockers_text(&o.blockers, &mut text);
    }
    for line in &o.kernel_log {
        text.push_str(&format!("  kernel: {line}\n"));
    }
    Output::new(&o, text, code)
}

fn run(cli: &Cli) -> Result<Output, Error> {
    let system = System::new(&cli.root);
    let mut kernel = RealKernel;
    let kernel_calls = || -> Result<(), Error> {
        if system.is_real() {
            Ok(())
        } else {
            Err(Error::Refused(
                "loading and removing modules needs the real root (not --root)".to_owned(),
            ))
        }
    };
    let secs = |s: Option<u64>| s.map(Duration::from_secs);
    match &cli.command {
        Command::List => {
            let patches = sysfs::patches(&system)?;
            let mut text = String::new();
            if patches.is_empty() {
                text.push_str("no patches loaded\n");
            }
            for p in &patches {
                patch_text(p, &mut text);
            }
            Output::new(
                &schema::List {
                    schema: SCHEMA.to_owned(),
                    patches,
                },
                text,
                exit::OK,
            )
        }
        Command::Info { what } => {
            let path = PathBuf::from(what);
            if what.contains('/')
                || what.ends_with(".ko")
                || (path.is_file() && !system.patch_dir(what).is_dir())
            {
                let info = kofile::ModuleFile::read(&path)?.info_on(&system);
                let mut text = format!(
                    "{}: module {}, livepatch {}, vermagic {}\n  running kernel {}: {}\n",
                    info.file,
                    info.name,
                    yes(info.livepatch),
                    info.vermagic.as_deref().unwrap_or("-"),
                    info.kernel_release.as_deref().unwrap_or("-"),
                    match info.vermagic_matches {
                        Some(true) => "built for it",
                        Some(false) => "NOT built for it",
                        None => "unknown",
                    }
                );
                if !info.described {
                    text.push_str("  targets: not recorded (not a klp-rs patch)\n");
                }
                for t in &info.targets {
                    text.push_str(&format!(
                        "  {} {}:{},{}: {}\n",
                        t.kind, t.object, t.name, t.sympos, t.status
                    ));
                }
                for w in &info.warnings {
                    text.push_str(&format!("  warning: {w}\n"));
                }
                if info.problems.is_empty() {
                    text.push_str("no problem found\n");
                } else {
                    text.push_str("it could not load here:\n");
                    for p in &info.problems {
                        text.push_str(&format!("  - {p}\n"));
                    }
                }
                let code = if info.problems.is_empty() {
                    exit::OK
                } else {
                    exit::FAILED
                };
                Output::new(&info, text, code)
            } else {
                let patch = sysfs::patch(&system, what)?;
                let blockers = if patch.transition {
                    tasks::blockers(&system, Some(&patch), i32::from(patch.enabled))?
                } else {
                    Vec::new()
                };
                let mut text = String::new();
                patch_text(&patch, &mut text);
                if patch.transition {
                    text.push_str(&format!("{} tasks still to switch:\n", blockers.len()));
                    blockers_text(&blockers, &mut text);
                }
                Output::new(
                    &schema::PatchInfo {
                        schema: SCHEMA.to_owned(),
                        patch,
                        blockers,
                    },
                    text,
                    exit::OK,
                )
            }
        }
        Command::Load {
            file,
            params,
            all,
            wait,
            timeout,
            revert_on_timeout,
        } => {
            let options = LoadOptions {
                params: params.clone(),
                wait: *wait,
                timeout: secs(*timeout),
                revert_on_timeout: *revert_on_timeout,
            };
            let mut progress = Progress::new(cli.json);
            if *all {
                // Nothing to load (none installed, or klpctl.noload) needs no system call.
                if !install::noload(&system)?
                    && !install::installed(&system, &system.release()?)?.is_empty()
                {
                    kernel_calls()?;
                }
                let all =
                    install::load_all(&system, &mut kernel, &options, &mut |n| progress.update(n))?;
                drop(progress);
                let mut text = String::new();
                if all.disabled {
                    text.push_str(&format!(
                        "{} on the kernel command line: no installed patch loaded\n",
                        install::NOLOAD
                    ));
                } else if all.outcomes.is_empty() {
                    text.push_str(&format!("no patches installed for {}\n", all.release));
                }
                let mut code = exit::OK;
                for o in &all.outcomes {
                    text.push_str(&format!("{}: {}: {}\n", o.patch, o.result, o.message));
                    match o.result.as_str() {
                        "failed" => code = exit::FAILED,
                        "timeout" | "reverted" if code == exit::OK => code = exit::TIMEOUT,
                        _ => {}
                    }
                }
                Output::new(&all, text, code)
            } else {
                let file = file
                    .as_ref()
                    .ok_or_else(|| Error::Refused("no file".into()))?;
                // Not a module file: say so before asking for the real root.
                kofile::ModuleFile::read(file)?.require_livepatch()?;
                kernel_calls()?;
                let out = ops::load(&system, &mut kernel, file, &options, &mut |n| {
                    progress.update(n)
                })?;
                drop(progress);
                outcome_output(out)
            }
        }
        Command::Unload { patch, timeout } => {
            sysfs::patch(&system, patch)?;
            kernel_calls()?;
            let mut progress = Progress::new(cli.json);
            let out = ops::unload(&system, &mut kernel, patch, secs(*timeout), &mut |n| {
                progress.update(n)
            })?;
            drop(progress);
            outcome_output(out)
        }
        Command::Enable { patch } => outcome_output(ops::set_enabled(&system, patch, true)?),
        Command::Disable { patch } => outcome_output(ops::set_enabled(&system, patch, false)?),
        Command::Blockers { patch } => {
            let current = sysfs::in_transition(&system)?;
            let mut out = schema::Blockers {
                schema: SCHEMA.to_owned(),
                patch: None,
                target: None,
                tasks: Vec::new(),
            };
            let mut text = String::new();
            if let Some(wanted) = patch {
                // No such patch is an error, not "nothing holds it".
                sysfs::patch(&system, wanted)?;
            }
            match (&current, patch) {
                (None, None) => text.push_str("no patch is in transition\n"),
                (None, Some(wanted)) => {
                    out.patch = Some(wanted.clone());
                    text.push_str(&format!("{wanted} is not in transition\n"));
                }
                (Some((p, _)), Some(wanted)) if p.name != *wanted => {
                    out.patch = Some(wanted.clone());
                    text.push_str(&format!("{wanted} is not in transition ({} is)\n", p.name));
                }
                (Some((p, target)), _) => {
                    out.patch = Some(p.name.clone());
                    out.target = Some(*target);
                    out.tasks = tasks::blockers(&system, Some(p), *target)?;
                    text.push_str(&format!(
                        "{} is {}: {} tasks still to switch (=> marks patched code)\n",
                        p.name,
                        if *target == 1 {
                            "being enabled"
                        } else {
                            "being disabled"
                        },
                        out.tasks.len()
                    ));
                    blockers_text(&out.tasks, &mut text);
                }
            }
            Output::new(&out, text, exit::OK)
        }
        Command::Force {
            patch,
            yes_i_understand_the_module_stays,
        } => {
            if !yes_i_understand_the_module_stays {
                return Err(Error::Refused(format!(
                    "forcing {patch}'s transition marks every task switched, even one that still \
                     runs code being replaced, and its module can never be removed afterwards: \
                     confirm with --yes-i-understand-the-module-stays"
                )));
            }
            outcome_output(ops::force(&system, patch)?)
        }
        Command::Install { file } => outcome_output(install::install(&system, file)?),
        Command::Uninstall { patch, release } => {
            let release = match release {
                Some(r) => r.clone(),
                None => system.release()?,
            };
            outcome_output(install::uninstall(&system, patch, &release)?)
        }
        Command::Installed { release } => {
            let release = match release {
                Some(r) => r.clone(),
                None => system.release()?,
            };
            let list = install::list(&system, &release)?;
            let mut text = String::new();
            if list.patches.is_empty() {
                text.push_str(&format!("no patches installed for {release}\n"));
            }
            for p in &list.patches {
                text.push_str(&format!("{} {}\n", p.name, p.file));
            }
            Output::new(&list, text, exit::OK)
        }
    }
}

/// Writes to stdout; a closed stdout (a pipe's reader gone) is not an error worth a panic.
fn print(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if !e.use_stderr() {
                // --help, --version.
                return ExitCode::SUCCESS;
            }
            if std::env::args().any(|a| a == "--json") {
                let value = serde_json::json!({
                    "schema": SCHEMA,
                    "error": e.kind().to_string(),
                    "exit_code": exit::USAGE,
                });
                print(&format!("{value}\n"));
            }
            return ExitCode::from(exit::USAGE as u8);
        }
    };
    let code = match run(&cli) {
        Ok(output) => {
            if cli.json {
                print(&format!("{}\n", output.json));
            } else {
                print(&output.text);
            }
            output.code
        }
        Err(e) => {
            let code = e.exit_code();
            if cli.json {
                let value = serde_json::json!({
                    "schema": SCHEMA,
                    "error": e.to_string(),
                    "exit_code": code,
                });
                print(&format!("{value}\n"));
            }
            eprintln!("klpctl: {e}");
            code
        }
    };
    ExitCode::from(code as u8)
}
