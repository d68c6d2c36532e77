// SPDX-License-Identifier: GPL-2.0

//! Errors, and the exit code each stands for.

use std::path::PathBuf;

/// The exit codes of `klpctl` (README, "klpctl").
pub mod exit {
    /// The verb did what was asked.
    pub const OK: i32 = 0;
    /// The verb failed: the kernel refused, a patch or file is not what it must be, or `info`
    /// found that a patch could never load.
    pub const FAILED: i32 = 1;
    /// The command line is wrong (clap's own code).
    pub const USAGE: i32 = 2;
    /// A transition did not finish within `--timeout`.
    pub const TIMEOUT: i32 = 3;
    /// This system cannot do it: no livepatch support, or not permitted.
    pub const SYSTEM: i32 = 4;
}

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not an ELF file: {reason}", path.display())]
    NotElf { path: PathBuf, reason: String },
    #[error("{}: not a kernel module (no .modinfo section)", path.display())]
    NotModule { path: PathBuf },
    #[error(
        "{}: not a livepatch module (no livepatch=Y in its .modinfo): load it with insmod",
        path.display()
    )]
    NotLivepatch { path: PathBuf },
    #[error("{}: {reason}", path.display())]
    BadModule { path: PathBuf, reason: String },
    #[error("no livepatch support here: {} does not exist (a kernel with CONFIG_LIVEPATCH=y?)", path.display())]
    NoLivepatch { path: PathBuf },
    #[error("no patch '{name}' is loaded (klpctl list shows those that are)")]
    NoSuchPatch { name: String },
    #[error("patch '{name}': {reason}")]
    Patch { name: String, reason: String },
    #[error("{call} failed: {}: {explanation}", errno_name(*errno))]
    Syscall {
        call: &'static str,
        errno: rustix::io::Errno,
        explanation: String,
    },
    #[error("patch '{name}': the transition did not finish within {secs} s")]
    Timeout { name: String, secs: u64 },
    #[error("{0}")]
    Refused(String),
}

impl Error {
    /// The I/O error at `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The exit code this error stands for.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Timeout { .. } => exit::TIMEOUT,
            Error::NoLivepatch { .. } => exit::SYSTEM,
            Error::Syscall { errno, .. } if *errno == rustix::io::Errno::PERM => exit::SYSTEM,
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                exit::SYSTEM
            }
            _ => exit::FAILED,
        }
    }
}

/// What an errno of `finit_module(2)`, `delete_module(2)` or a write to a livepatch sysfs file
/// means for a live patch.
pub fn explain(errno: rustix::io::Errno) -> &'static str {
    use rustix::io::Errno;
    match errno {
        Errno::INVAL => "the kernel refused the patch: its livepatch messages (above) say why",
        Errno::BUSY => {
            "another patch is in transition: wait for it to finish (klpctl blockers shows what holds it)"
        }
        Errno::EXIST => "a module of this name is already loaded",
        Errno::NOEXEC => {
            "not a module this kernel can load: built for another kernel (vermagic), or damaged"
        }
        Errno::PERM => {
            "not permitted: loading modules needs root (CAP_SYS_MODULE), and module loading may be disabled"
        }
        Errno::KEYREJECTED => "the module's signature was rejected: the kernel does not trust its key",
        Errno::NOKEY => "the module is not signed and this kernel enforces module signatures",
        Errno::NOENT => "a symbol the module needs is not in this kernel (see the kernel's messages above)",
        Errno::NODEV => "the kernel's livepatch core refused: is the patched object or feature present?",
        Errno::NOMEM => "the kernel ran out of memory",
        Errno::NOSYS => "this kernel cannot load or remove modules (CONFIG_MODULES, CONFIG_MODULE_UNLOAD)",
        Errno::WOULDBLOCK => "the module is still in use: its patch must be disabled and freed first",
        _ => "see the kernel's messages above",
    }
}

/// The symbolic name of `errno` (`EBUSY`), as the kernel's sources and documentation use it.
pub fn errno_name(errno: rustix::io::Errno) -> String {
    use rustix::io::Errno;
    let name = match errno {
        Errno::PERM => "EPERM",
        Errno::NOENT => "ENOENT",
        Errno::INTR => "EINTR",
        Errno::IO => "EIO",
        Errno::NOEXEC => "ENOEXEC",
        Errno::AGAIN => "EAGAIN",
        Errno::NOMEM => "ENOMEM",
        Errno::ACCESS => "EACCES",
        Errno::FAULT => "EFAULT",
        Errno::BUSY => "EBUSY",
        Errno::EXIST => "EEXIST",
        Errno::NODEV => "ENODEV",
        Errno::INVAL => "EINVAL",
        Errno::FBIG => "EFBIG",
        Errno::NOSPC => "ENOSPC",
        Errno::ROFS => "EROFS",
        Errno::NOSYS => "ENOSYS",
        Errno::NOKEY => "ENOKEY",
        Errno::KEYREJECTED => "EKEYREJECTED",
        Errno::BADMSG => "EBADMSG",
        Errno::NOTSUP => "EOPNOTSUPP",
        other => return format!("errno {}", other.raw_os_error()),
    };
    name.to_owned()
}
