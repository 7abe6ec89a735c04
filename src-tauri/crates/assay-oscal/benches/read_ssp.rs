//! Generates ~50 MB SSPs from the shared FedRAMP examples and measures `read_ssp`: time and peak memory.
//!
//! Run: `cargo bench -p assay-oscal --bench read_ssp`. Cases: JSON as `gen` writes it (copies compact, the
//! densest and so the hardest case for memory), the same JSON pretty-printed with two-space indents as the
//! FedRAMP templates are, and XML. Each case runs in a fresh child process that reads the generated file
//! into memory, so the peak (VmHWM, reset just before the read) is the read's alone. Printed: time (best of
//! three reads) and the read's peak memory above the RSS before it (that is, beyond the input buffer), in
//! MB and as a ratio to the file size. Goal: ratio <= 2 (the import into SQLite adds to it; 3x in all).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use assay_oscal::gen::{scale_ssp_json, scale_ssp_xml};
use assay_oscal::{read_ssp, ReadOptions};

const TARGET: usize = 50 * 1024 * 1024;
const MB: f64 = 1024.0 * 1024.0;
const RUNS: usize = 3;

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak-RSS counter so VmHWM covers only what follows (Linux `clear_refs` value 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Child: reads `path` and reports one line per measure.
fn measure(label: &str, path: &Path) {
    let bytes = std::fs::read(path).expect("read generated file");
    let size = bytes.len() as f64;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("ssp");

    reset_peak();
    let before = status_kb("VmRSS:") * 1024;
    let start = Instant::now();
    let ssp = read_ssp(name, &bytes, &ReadOptions::default()).expect("read_ssp");
    let mut times = vec![start.elapsed().as_secs_f64()];
    let peak = status_kb("VmHWM:") * 1024;
    let counts = (
        ssp.value.implementation.components.len(),
        ssp.value.implementation.inventory_items.len(),
        ssp.value.implemented_requirements.len(),
    );
    drop(ssp);
    // Further runs for timing only: memory freed by the first run would flatter their peak.
    for _ in 1..RUNS {
        let start = Instant::now();
        let ssp = read_ssp(name, &bytes, &ReadOptions::default()).expect("read_ssp");
        times.push(start.elapsed().as_secs_f64());
        drop(ssp);
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    // The strict-JSON check (duplicate keys, caps) is part of each JSON read above; alone:
    let mut check_line = String::new();
    if bytes.first() == Some(&b'{') {
        let start = Instant::now();
        assay_json::check(&bytes, assay_json::Limits::DEFAULT).expect("strict JSON");
        let check = start.elapsed().as_secs_f64();
        check_line = format!(
            "  strict-JSON check: {check:.3} s alone ({:.0}% of the best read, which includes it)",
            100.0 * check / best
        );
    }
    let above = peak.saturating_sub(before) as f64;
    println!(
        "{label}: {:.1} MB, {} components, {} inventory items, {} implemented requirements",
        size / MB,
        counts.0,
        counts.1,
        counts.2,
    );
    println!(
        "  time:   {best:.3} s best of {RUNS} ({:.0} MB/s; runs {})",
        size / MB / best,
        times
            .iter()
            .map(|t| format!("{t:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    println!(
        "  memory: read peak {:.0} MB above the RSS before it = {:.2}x the file size \
         (process peak {:.0} MB incl. the {:.0} MB input buffer)",
        above / MB,
        above / size,
        peak as f64 / MB,
        size / MB,
    );
    if !check_line.is_empty() {
        println!("{check_line}");
    }
}

fn to_pretty(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).expect("generated json");
    serde_json::to_string_pretty(&value).expect("pretty json")
}

/// Parent: writes the generated documents to a temporary directory and runs one child per case.
fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    if let (Some(label), Some(path)) = (args.next(), args.next()) {
        measure(&label, Path::new(&path));
        return;
    }
    let oscal = assay_testkit::shared_data_or_exit("oscal");
    let dir = tempfile::tempdir().expect("temp dir");
    let json_base = std::fs::read_to_string(
        oscal.join("fedramp-templates-rev5/json/FedRAMP-SSP-OSCAL-Template.json"),
    )
    .expect("json base");
    let xml_base =
        std::fs::read_to_string(oscal.join("fedramp-examples/fedramp-ssp-example.oscal.xml"))
            .expect("xml base");
    let json = scale_ssp_json(&json_base, TARGET).expect("scale json");
    // Indenting adds most of the size again: scale a smaller document so the pretty one is ~50 MB too.
    let pretty_len = to_pretty(&json).len();
    let smaller = TARGET as f64 * json.len() as f64 / pretty_len as f64;
    let pretty = to_pretty(&scale_ssp_json(&json_base, smaller as usize).expect("scale json"));
    let cases = [
        ("JSON (compact copies)", "generated-ssp.json", json),
        ("JSON (pretty-printed)", "generated-ssp-pretty.json", pretty),
        ("XML", "generated-ssp.xml", scale_ssp_xml(&xml_base, TARGET)),
    ];
    let exe = std::env::current_exe().expect("exe");
    for (label, file, text) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, text).expect("write generated file");
        let status = Command::new(&exe)
            .arg(label)
            .arg(&path)
            .status()
            .expect("spawn");
        assert!(status.success(), "{label} run failed");
    }
}
