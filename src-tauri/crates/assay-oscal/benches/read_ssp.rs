//! Generates ~50 MB SSPs (JSON and XML) from the shared FedRAMP examples and times `read_ssp`.
//! Run: `cargo bench -p assay-oscal --bench read_ssp`. Prints MB/s and peak RSS (VmHWM).

use std::time::Instant;

use assay_oscal::gen::{scale_ssp_json, scale_ssp_xml};
use assay_oscal::{read_ssp, ReadOptions};

const OSCAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/data/oscal");
const TARGET: usize = 50 * 1024 * 1024;

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak-RSS counter so VmHWM covers only the read (Linux `clear_refs` value 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn bench(name: &str, bytes: &[u8]) {
    let mb = bytes.len() as f64 / (1024.0 * 1024.0);
    reset_peak();
    let before = status_kb("VmRSS:");
    let start = Instant::now();
    let ssp = read_ssp(name, bytes, &ReadOptions::default()).expect("read");
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM:");
    println!(
        "{name}: {mb:.1} MB in {secs:.3} s = {:.0} MB/s; {} components, {} inventory items, {} requirements; \
         RSS before {:.0} MB, peak during read {:.0} MB ({:.2}x input, {:.2}x input above the pre-read RSS)",
        mb / secs,
        ssp.value.implementation.components.len(),
        ssp.value.implementation.inventory_items.len(),
        ssp.value.implemented_requirements.len(),
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak as f64 / 1024.0 / mb,
        (peak.saturating_sub(before)) as f64 / 1024.0 / mb,
    );
}

/// Each format runs in its own process (the bench re-executes itself) so peak RSS is not polluted by the
/// other run; pass `json` or `xml` to run one.
fn main() {
    let which = std::env::args().skip(1).find(|a| a == "json" || a == "xml");
    let Some(which) = which else {
        let exe = std::env::current_exe().expect("exe");
        for format in ["json", "xml"] {
            let status = std::process::Command::new(&exe)
                .arg(format)
                .status()
                .expect("spawn");
            assert!(status.success(), "{format} run failed");
        }
        return;
    };
    let json_base = std::fs::read_to_string(format!(
        "{OSCAL}/fedramp-templates-rev5/json/FedRAMP-SSP-OSCAL-Template.json"
    ))
    .expect("json base");
    let xml_base = std::fs::read_to_string(format!(
        "{OSCAL}/fedramp-examples/fedramp-ssp-example.oscal.xml"
    ))
    .expect("xml base");
    if which == "json" {
        let json = scale_ssp_json(&json_base, TARGET).expect("scale json");
        bench("generated-ssp.json", json.as_bytes());
    } else {
        let xml = scale_ssp_xml(&xml_base, TARGET);
        bench("generated-ssp.xml", xml.as_bytes());
    }
}
