// SPDX-License-Identifier: GPL-2.0

//! The kernel's messages logged while an operation ran, read from `/dev/kmsg`.

use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;

use crate::system::System;

/// A position in the kernel's log: the messages after it can be read back.
pub struct Cursor {
    file: Option<File>,
}

impl Cursor {
    /// The end of the log now. Without a readable `/dev/kmsg` (not root, or a kernel without
    /// printk) nothing is collected.
    pub fn now(system: &System) -> Cursor {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(system.path("/dev/kmsg"))
            .ok()
            .and_then(|mut f| f.seek(SeekFrom::End(0)).ok().map(|_| f));
        Cursor { file }
    }

    /// The messages logged since, for which `keep` holds.
    pub fn lines(&mut self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let Some(file) = self.file.as_mut() else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        // /dev/kmsg returns one record per read; a regular file (the tests) returns what
        // fits. Both end with EAGAIN or 0.
        let mut buf = vec![0u8; 8192];
        let mut pending = String::new();
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => pending.push_str(&String::from_utf8_lossy(&buf[..n])),
                // EPIPE: records were overwritten before we read them; go on with the rest.
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::PIPE.raw_os_error()) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        for record in pending.lines() {
            // "prio,seq,usec,flags;message"; continuation lines (" KEY=value") are metadata.
            if record.starts_with(' ') {
                continue;
            }
            let message = record.split_once(';').map_or(record, |(_, m)| m);
            if keep(message) {
                lines.push(message.to_owned());
            }
        }
        lines
    }
}

/// Whether a kernel message belongs to the livepatch operation on the module `name`.
pub fn about(name: &str) -> impl Fn(&str) -> bool + '_ {
    move |message: &str| {
        message.starts_with("livepatch:")
            || message.contains(name)
            || message.contains(".klp.sym")
            || message.starts_with("module ")
            || message.starts_with("Lockdown:")
    }
}
