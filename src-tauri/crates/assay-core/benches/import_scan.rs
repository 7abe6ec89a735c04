//! Import of generated Nessus files (10 and 100 MB; 500 MB with `ASSAY_BENCH_500MB=1`) into an
//! engagement file: throughput and peak memory.
//!
//! Run: `cargo bench -p assay-core --bench import_scan` (release). Files come from
//! `assay_scan::gen::write_nessus` (deterministic) into a temporary folder. Each size runs in
//! its own process so one run's peak (VmHWM) does not hide in another's. Goal: peak RSS at most
//! 64 MB at every size (the import streams; memory must stay flat in file size).
//! Measured on the 2-core dev machine (release, quiet): 10 MB 0.10 s, 100 MB 1.02 s
//! (about 90 MB/s, 40k items/s); peak RSS 8.0 / 8.1 MB. Before the compressor was reused: 4.3 s per 100 MB.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::io::BufWriter;
use std::time::Instant;

use assay_core::api::scans::ScanImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::model::NewEngagement;
use assay_core::{Context, Session};
use assay_scan::gen::{write_nessus, GenSpec};

const MB: u64 = 1024 * 1024;

mod support;
use support::status_kb;

fn context() -> Context {
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: std::sync::Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
        ids: std::sync::Arc::new(SequentialIds::new(9)),
        actor: "bench".into(),
    }
}

fn run(size_mb: u64) {
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join(format!("gen-{size_mb}mb.nessus"));
    let stats = {
        let mut out = BufWriter::new(std::fs::File::create(&scan).unwrap());
        let spec = GenSpec {
            seed: 42,
            items_per_host: 200,
            target_bytes: size_mb * MB,
            max_hosts: usize::MAX,
        };
        write_nessus(&mut out, &spec).unwrap()
    };
    let file = dir.path().join("bench.assay");
    let mut session = Session::create(&file, &NewEngagement::named("Bench"), context()).unwrap();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let receipt = session
        .import_scan(&scan, &ScanImportOptions::default())
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let peak_mb = status_kb("VmHWM:") as f64 / 1024.0;
    let mb = stats.bytes as f64 / MB as f64;
    assert_eq!(receipt.items_read, stats.items);
    println!(
        "{mb:>7.1} MB  {:>8} items  {:>5} hosts  {secs:>7.2} s  {:>6.1} MB/s  {:>8.0} items/s  peak RSS {peak_mb:>5.1} MB{}",
        receipt.items_read,
        receipt.hosts,
        mb / secs,
        receipt.items_read as f64 / secs,
        if peak_mb <= 64.0 { "" } else { "  (over the 64 MB goal)" }
    );
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    if let Ok(size) = arg.parse::<u64>() {
        run(size);
        return;
    }
    let mut sizes = vec![10u64, 100];
    if std::env::var_os("ASSAY_BENCH_500MB").is_some() {
        sizes.push(500);
    }
    for size in sizes {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .arg(size.to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
}
