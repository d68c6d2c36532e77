// SPDX-License-Identifier: GPL-2.0

//! Where the kernel's files are, and the system calls that load and remove modules.

use std::ffi::CString;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{explain, Error};

/// The kernel's files, under a root directory: `/` on a running system, a temporary
/// directory in the tests.
#[derive(Clone, Debug)]
pub struct System {
    root: PathBuf,
}

impl System {
    /// The files under `root`.
    pub fn new(root: impl Into<PathBuf>) -> System {
        System { root: root.into() }
    }

    /// Whether this is the running system's root.
    pub fn is_real(&self) -> bool {
        self.root == Path::new("/")
    }

    /// `path` (absolute, as on a running system) under the root.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// `/sys/kernel/livepatch`.
    pub fn livepatch_dir(&self) -> PathBuf {
        self.path("/sys/kernel/livepatch")
    }

    /// `/sys/kernel/livepatch/<patch>`.
    pub fn patch_dir(&self, patch: &str) -> PathBuf {
        self.livepatch_dir().join(patch)
    }

    /// The file `path`, without its trailing newline.
    pub fn read(&self, path: &Path) -> Result<String, Error> {
        let mut text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    /// The file `path` if it exists. A sysfs file of an object the kernel is removing reads
    /// as ENODEV: gone too.
    pub fn read_optional(&self, path: &Path) -> Result<Option<String>, Error> {
        match self.read(path) {
            Ok(text) => Ok(Some(text)),
            Err(Error::Io { source, .. }) if gone(&source) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `value` to the sysfs attribute `path`, as `echo value > path` does. A kernel
    /// refusal comes back as [`Error::Syscall`] with its errno explained.
    pub fn write_attr(&self, path: &Path, value: &str) -> Result<(), Error> {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        file.write_all(format!("{value}\n").as_bytes())
            .map_err(|e| match e.raw_os_error() {
                Some(raw) => {
                    let errno = rustix::io::Errno::from_raw_os_error(raw);
                    Error::Syscall {
                        call: "write",
                        errno,
                        explanation: format!(
                            "writing {value} to {}: {}",
                            path.display(),
                            explain(errno)
                        ),
                    }
                }
                None => Error::io(path, e),
            })
    }

    /// The running kernel's release, `uname -r`.
    pub fn release(&self) -> Result<String, Error> {
        self.read(&self.path("/proc/sys/kernel/osrelease"))
    }

    /// The kernel command line.
    pub fn cmdline(&self) -> Result<String, Error> {
        self.read(&self.path("/proc/cmdline"))
    }

    /// The loaded modules (`/proc/modules`): name and reference count.
    pub fn modules(&self) -> Result<Vec<(String, u64)>, Error> {
        let text = self.read(&self.path("/proc/modules"))?;
        Ok(text
            .lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                let name = fields.next()?;
                let _size = fields.next()?;
                let refcnt = fields.next()?.parse().ok()?;
                Some((name.to_owned(), refcnt))
            })
            .collect())
    }

    /// Fails with [`Error::NoLivepatch`] when the kernel has no livepatch sysfs.
    pub fn require_livepatch(&self) -> Result<(), Error> {
        let dir = self.livepatch_dir();
        if dir.is_dir() {
            Ok(())
        } else {
            Err(Error::NoLivepatch { path: dir })
        }
    }
}

/// Whether an I/O error says that the file is gone (or going: ENODEV from kernfs).
pub fn gone(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
        || e.raw_os_error() == Some(rustix::io::Errno::NODEV.raw_os_error())
}

/// The two system calls on modules, so that tests can stand in for the kernel.
pub trait Kernel {
    /// `finit_module(2)`: loads the module in `file` with the parameters `params`
    /// (`name=value` separated by spaces, as insmod passes them).
    fn load_module(&mut self, file: &File, params: &str) -> Result<(), rustix::io::Errno>;
    /// `delete_module(2)` of the module `name`, without waiting for its users.
    fn remove_module(&mut self, name: &str) -> Result<(), rustix::io::Errno>;
}

/// The running kernel.
#[derive(Debug, Default)]
pub struct RealKernel;

impl Kernel for RealKernel {
    fn load_module(&mut self, file: &File, params: &str) -> Result<(), rustix::io::Errno> {
        let params = CString::new(params).map_err(|_| rustix::io::Errno::INVAL)?;
        rustix::system::finit_module(file, &params, 0)
    }

    fn remove_module(&mut self, name: &str) -> Result<(), rustix::io::Errno> {
        let name = CString::new(name).map_err(|_| rustix::io::Errno::INVAL)?;
        rustix::system::delete_module(&name, rustix::fs::OFlags::NONBLOCK.bits() as i32)
    }
}
