//! Peak memory of one 200 MB JSON string, measured in a child process (VmHWM of
//! /proc/self/status) so nothing else the test binary did counts. Ignored by default (it
//! allocates hundreds of MB); run with
//! `cargo test -p assay-scan --release --test memory -- --ignored --nocapture`.
//! The figures are recorded in ARCHITECTURE.md (security posture).

#![allow(clippy::unwrap_used)]

use std::io::{BufReader, Read};
use std::process::Command;

use assay_scan::{format_by_name, Control, CountingSink, Limits};

const STRING: u64 = 200 << 20;
const CASE_ENV: &str = "ASSAY_MEMORY_CASE";
const TEST: &str = "a_200_mb_string_stays_within_a_small_multiple_of_the_cap";

/// `head`, 200 MB of `a`, then `tail`, produced lazily so the input itself takes no memory.
struct Lazy {
    head: &'static [u8],
    tail: &'static [u8],
    at: u64,
}

impl Read for Lazy {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let total = self.head.len() as u64 + STRING + self.tail.len() as u64;
        let mut n = 0;
        while n < out.len() && self.at < total {
            let i = self.at;
            let head = self.head.len() as u64;
            out[n] = if i < head {
                self.head[i as usize]
            } else if i < head + STRING {
                b'a'
            } else {
                self.tail[(i - head - STRING) as usize]
            };
            n += 1;
            self.at += 1;
        }
        Ok(n)
    }
}

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Runs one case in this (child) process and prints its peak.
fn run_case(case: &str) {
    let (format, head, tail): (&str, &[u8], &[u8]) = match case {
        "nuclei-lines" | "nuclei-lines-uncapped" => (
            "nuclei",
            b"{\"template-id\":\"t\",\"info\":{\"name\":\"n\"},\"response\":\"",
            b"\"}\n",
        ),
        _ => (
            "trivy",
            b"{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-2024-1\",\"Description\":\"",
            b"\"}]}]}",
        ),
    };
    let mut ctl = Control::default();
    if case.ends_with("-uncapped") {
        ctl.limits = Limits {
            json: assay_json::Limits {
                max_string: u64::MAX,
                ..assay_json::Limits::DEFAULT
            },
            max_record: u64::MAX,
        };
    }
    let before = peak_kib();
    let mut sink = CountingSink::default();
    let input = Lazy { head, tail, at: 0 };
    let result = format_by_name(format)
        .unwrap()
        .parse(&mut BufReader::new(input), &mut sink, &ctl);
    let outcome = match result {
        Ok(_) => "read".to_string(),
        Err(e) => e.to_string(),
    };
    println!(
        "case={case} before_mib={} peak_mib={} outcome={outcome}",
        before / 1024,
        peak_kib() / 1024
    );
}

#[test]
#[ignore = "allocates hundreds of MB; run with --ignored --nocapture"]
fn a_200_mb_string_stays_within_a_small_multiple_of_the_cap() {
    if let Ok(case) = std::env::var(CASE_ENV) {
        run_case(&case);
        return;
    }
    let cap_mib = assay_json::Limits::DEFAULT.max_string >> 20;
    let cases: Vec<&str> = match std::env::var("ASSAY_MEMORY_UNCAPPED") {
        // The uncapped runs show what the caps prevent (about 1 GB and more); opt in.
        Ok(_) => vec![
            "nuclei-lines",
            "trivy",
            "nuclei-lines-uncapped",
            "trivy-uncapped",
        ],
        Err(_) => vec!["nuclei-lines", "trivy"],
    };
    for case in cases {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                TEST,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CASE_ENV, case)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The child's line may follow libtest's "test … " on the same line.
        let line = stdout
            .lines()
            .find_map(|l| l.find("case=").map(|i| &l[i..]))
            .unwrap_or_else(|| panic!("{case}: {stdout}"));
        println!("{line}");
        let peak: u64 = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("peak_mib="))
            .unwrap()
            .parse()
            .unwrap();
        if !case.ends_with("-uncapped") {
            assert!(line.contains("longer than the"), "{line}");
            assert!(
                peak <= 4 * cap_mib,
                "{case}: peak {peak} MiB, cap {cap_mib} MiB"
            );
        }
    }
}
