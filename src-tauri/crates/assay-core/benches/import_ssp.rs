//! Import of a ~50 MB SSP into an engagement file, including storing it: time and peak memory.
//!
//! Run: `cargo bench -p assay-core --bench import_ssp` (release). The SSP is generated
//! deterministically by scaling the FedRAMP example SSP (`assay_oscal::gen`). Goal on a 2-core
//! machine: at most 1 s per import and peak memory at most 3x the file size.
//! Measured here (release, quiet machine): JSON 50.1 MB in 0.74 s, XML 50.5 MB in 0.86 s; peak RSS
//! growth 2.94x (JSON) and 2.73x (XML) the file size (3.07x / 2.85x counting the process's own RSS).

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use assay_core::api::baseline::read_input;
use assay_core::api::ImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::model::NewEngagement;
use assay_core::{Context, Session};
use assay_oscal::gen::{scale_ssp_json, scale_ssp_xml};

const TARGET: usize = 50 * 1024 * 1024;

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

fn run(label: &str, path: &std::path::Path, dir: &std::path::Path) {
    let file = dir.join(format!("{label}.assay"));
    let mut session = Session::create(&file, &NewEngagement::named("Bench"), context()).unwrap();
    // Count the peak from here on: reading the file, parsing and storing.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_kb("VmRSS:");
    let start = Instant::now();
    let bytes = read_input(path).unwrap();
    let staged = session
        .stage_ssp(label, &bytes, &ImportOptions::default())
        .unwrap();
    drop(bytes);
    let receipt = session.apply_ssp(staged).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM:");
    let size = std::fs::metadata(path).unwrap().len() as f64;
    let mb = size / (1024.0 * 1024.0);
    let above = (peak.saturating_sub(rss_before) * 1024) as f64;
    println!(
        "{label}: {mb:.1} MB imported and stored in {secs:.3} s ({:.0} MB/s): {} components, {} inventory items, \
         {} implemented requirements; peak RSS {:.0} MB = {:.2}x the file ({:.2}x above the RSS before the import)",
        mb / secs,
        receipt.components,
        receipt.inventory_items,
        receipt.implemented_requirements,
        peak as f64 / 1024.0,
        (peak * 1024) as f64 / size,
        above / size,
    );
}

fn main() {
    let examples = assay_testkit::shared_data_or_exit("oscal");
    let dir = tempfile::tempdir().unwrap();
    let xml_base =
        std::fs::read_to_string(examples.join("fedramp-examples/fedramp-ssp-example.oscal.xml"))
            .unwrap();
    let json_base = std::fs::read_to_string(
        examples.join("fedramp-templates-rev5/json/FedRAMP-SSP-OSCAL-Template.json"),
    )
    .unwrap();
    let xml_path = dir.path().join("ssp-50mb.xml");
    let json_path = dir.path().join("ssp-50mb.json");
    std::fs::write(&xml_path, scale_ssp_xml(&xml_base, TARGET)).unwrap();
    std::fs::write(&json_path, scale_ssp_json(&json_base, TARGET).unwrap()).unwrap();
    drop((xml_base, json_base));
    let mode = std::env::args().nth(1).unwrap_or_default();
    // Each format in its own process keeps one run's allocations out of the other's peak.
    if mode.is_empty() || mode == "--bench" {
        for format in ["json", "xml"] {
            let status = std::process::Command::new(std::env::current_exe().unwrap())
                .arg(format)
                .status()
                .unwrap();
            assert!(status.success());
        }
        return;
    }
    match mode.as_str() {
        "json" => run("json", &json_path, dir.path()),
        _ => run("xml", &xml_path, dir.path()),
    }
}
