//! Peak memory of an SSP holding one 200 MB JSON string, measured in a child process (VmHWM
//! of /proc/self/status) so nothing else the test binary did counts. The reader takes bytes in
//! memory, so the 200 MB input itself is part of the peak. Ignored by default (it allocates
//! hundreds of MB); run with
//! `cargo test -p assay-oscal --release --test memory -- --ignored --nocapture`.
//! The figures are recorded in ARCHITECTURE.md (security posture).

#![allow(clippy::unwrap_used)]

use std::process::Command;

use assay_oscal::{read_ssp, ReadOptions};

const STRING: usize = 200 << 20;
const CASE_ENV: &str = "ASSAY_MEMORY_CASE";
const TEST: &str = "a_200_mb_string_stays_within_a_small_multiple_of_the_cap";

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Runs one case in this (child) process and prints its peak.
fn run_case(case: &str) {
    let ssp = include_str!("fixtures/mini-ssp.json");
    let marker = "\"system-name\": \"Mini\"";
    let at = ssp.find(marker).unwrap() + marker.len() - 1;
    let mut text = String::with_capacity(ssp.len() + STRING);
    text.push_str(&ssp[..at]);
    text.extend(std::iter::repeat_n('a', STRING));
    text.push_str(&ssp[at..]);
    let mut opts = ReadOptions::default();
    if case.ends_with("-uncapped") {
        opts.limits.max_string = u64::MAX;
    }
    let before = peak_kib();
    let outcome = match read_ssp("big.json", text.as_bytes(), &opts) {
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
        Ok(_) => vec!["ssp", "ssp-uncapped"],
        Err(_) => vec!["ssp"],
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
            // The input (200 MiB) is the caller's; the reader adds little to it.
            let input_mib = (STRING >> 20) as u64;
            assert!(
                peak <= input_mib + 2 * cap_mib,
                "{case}: peak {peak} MiB, input {input_mib} MiB, cap {cap_mib} MiB"
            );
        }
    }
}
