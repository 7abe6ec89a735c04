//! Progress reports and cancellation during the parse of multi-MB documents (SSPs generated from the
//! shared FedRAMP examples with `assay_oscal::gen`, and a real FedRAMP catalog).

// Test helpers outside #[test] fns unwrap too: a panic is the failure report here.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use assay_oscal::gen::{scale_ssp_json, scale_ssp_xml};
use assay_oscal::{read_catalog, read_ssp, OscalError, ReadOptions};

/// In the shared sample data.
const LOW_JSON: &str =
    "baselines/fedramp-rev5/json/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.json";
const MIB: u64 = 1 << 20;

/// (file name, ~6 MiB generated SSP) for both formats.
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    let json = std::fs::read_to_string(assay_testkit::shared(
        "oscal/fedramp-templates-rev5/json/FedRAMP-SSP-OSCAL-Template.json",
    ))
    .unwrap();
    let xml = std::fs::read_to_string(assay_testkit::shared(
        "oscal/fedramp-examples/fedramp-ssp-example.oscal.xml",
    ))
    .unwrap();
    let size = 6 * MIB as usize;
    vec![
        (
            "big.json",
            scale_ssp_json(&json, size).unwrap().into_bytes(),
        ),
        ("big.xml", scale_ssp_xml(&xml, size).into_bytes()),
    ]
}

/// Checks that reports start at 0, never go back, end at (total, total) and come at least every
/// `max_gap` bytes.
fn check_reports(name: &str, seen: &[(u64, u64)], total: u64, max_gap: u64) {
    assert_eq!(seen.first(), Some(&(0, total)), "{name}: {seen:?}");
    assert_eq!(seen.last(), Some(&(total, total)), "{name}: {seen:?}");
    for pair in seen.windows(2) {
        let (a, b) = (pair[0].0, pair[1].0);
        assert!(a <= b, "{name}: progress went back: {seen:?}");
        assert!(
            b - a <= max_gap,
            "{name}: {} bytes without a report: {seen:?}",
            b - a
        );
    }
    assert!(seen.iter().all(|&(_, t)| t == total), "{name}: {seen:?}");
}

#[test]
fn multi_mb_documents_report_progress_about_every_mib() {
    assay_testkit::require_shared_data!("oscal");
    for (name, bytes) in generated() {
        let seen = RefCell::new(Vec::new());
        let report = |done: u64, total: u64| seen.borrow_mut().push((done, total));
        let opts = ReadOptions {
            progress: Some(&report),
            ..ReadOptions::default()
        };
        let ssp = read_ssp(name, &bytes, &opts).unwrap();
        assert!(ssp.value.implemented_requirements.len() > 100, "{name}");
        let total = bytes.len() as u64;
        let seen = seen.into_inner();
        let inside = seen.iter().filter(|&&(d, _)| d > 0 && d < total).count();
        assert!(inside >= 4, "{name}: {total} bytes, reports {seen:?}");
        // JSON reports at list elements, which are a few KiB here.
        check_reports(name, &seen, total, MIB + 256 * 1024);
    }

    let bytes = std::fs::read(assay_testkit::require_shared_data!(LOW_JSON)).unwrap();
    let seen = RefCell::new(Vec::new());
    let report = |done: u64, total: u64| seen.borrow_mut().push((done, total));
    let opts = ReadOptions {
        progress: Some(&report),
        ..ReadOptions::default()
    };
    read_catalog("low.json", &bytes, &opts).unwrap();
    let seen = seen.into_inner();
    assert!(seen.len() >= 4, "{seen:?}");
    // Catalogs report per control group (a family of controls).
    check_reports("low.json", &seen, bytes.len() as u64, 2 * MIB);
}

#[test]
fn cancel_during_the_parse_stops_the_read() {
    assay_testkit::require_shared_data!("oscal");
    for (name, bytes) in generated() {
        let cancel = AtomicBool::new(false);
        let seen = RefCell::new(Vec::new());
        // Cancel from the progress callback once a MiB or more has been read.
        let report = |done: u64, _total: u64| {
            seen.borrow_mut().push(done);
            if done >= MIB {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let opts = ReadOptions {
            progress: Some(&report),
            cancel: Some(&cancel),
            ..ReadOptions::default()
        };
        match read_ssp(name, &bytes, &opts) {
            Err(OscalError::Cancelled { file }) => assert_eq!(file, name),
            other => panic!(
                "{name}: expected a cancellation, got {:?}",
                other.map(|_| ())
            ),
        }
        let seen = seen.into_inner();
        // The read stopped at the next check: nothing was reported after the report that cancelled.
        let last = *seen.last().unwrap();
        assert!(
            last >= MIB && last < bytes.len() as u64 / 2,
            "{name}: {seen:?}"
        );
        assert_eq!(
            seen.iter().filter(|&&d| d >= MIB).count(),
            1,
            "{name}: {seen:?}"
        );
    }
}
