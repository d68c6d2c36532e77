// SPDX-License-Identifier: GPL-2.0

//! The samples of a console log.

use serde::Deserialize;

/// One sample: a run of one part of the bench, for one variant (`unpatched`, `c`, `rust`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Sample {
    pub part: String,
    pub variant: String,
    pub rep: u32,
    /// `call`: how many calls the timed loop made, and in how many ns.
    pub calls: Option<u64>,
    pub ns: Option<u64>,
    /// `cmdline`: how many reads of /proc/cmdline, in how many µs.
    pub reads: Option<u64>,
    pub us: Option<u64>,
    /// `tasks`: how many extra tasks slept; `load_us` from insmod to the end of the
    /// transition, in how many `attempts` of the kernel; `disable_us` from disabling until the
    /// patch was freed.
    pub tasks: Option<u64>,
    /// `scale`: how many functions the patch replaces.
    pub functions: Option<u64>,
    pub load_us: Option<u64>,
    pub attempts: Option<u64>,
    pub disable_us: Option<u64>,
}

impl Sample {
    /// The sample's figure: ns per call (`call`), reads per second (`cmdline`).
    pub fn value(&self) -> Option<f64> {
        match self.part.as_str() {
            "call" | "wrapper" => Some(self.ns? as f64 / self.calls.filter(|&c| c > 0)? as f64),
            "cmdline" => Some(self.reads? as f64 / (self.us.filter(|&u| u > 0)? as f64 / 1e6)),
            _ => None,
        }
    }
}

/// Every `bench: {JSON}` line of `log` (a console log, whose lines the guest's runner may
/// prefix with `# `). A line that is not valid JSON is an error: the guest wrote it.
pub fn parse(log: &str) -> Result<Vec<Sample>, String> {
    let mut samples = Vec::new();
    for (i, line) in log.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let Some(at) = line.find("bench: {") else {
            continue;
        };
        let json = &line[at + "bench: ".len()..];
        let sample: Sample = serde_json::from_str(json)
            .map_err(|e| format!("console log line {}: {e}: {line}", i + 1))?;
        samples.push(sample);
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixed_lines_and_computes_values() {
        let log = "boot noise\n\
                   # bench: {\"part\":\"call\",\"variant\":\"c\",\"rep\":1,\"calls\":1000,\"ns\":25000}\r\n\
                   bench: {\"part\":\"cmdline\",\"variant\":\"rust\",\"rep\":2,\"reads\":500,\"us\":250000}\n";
        let s = parse(log).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].value(), Some(25.0));
        assert_eq!(s[1].value(), Some(2000.0));
        assert!(parse("# bench: {\"part\":").is_err());
    }
}
