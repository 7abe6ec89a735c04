//! Writing a POA&M workbook with 10,000 open items of realistic text (and a RET with the same
//! items): time and peak memory.
//!
//! Run: `cargo bench -p assay-core --bench workbook` (release). Goal: the 10,000-item POA&M in
//! under 0.6 s on the 2-core dev machine.
//! Measured (release, 2-core dev machine shared with other builds, load average 7–9): POA&M
//! best of 5 0.34–0.46 s over six runs (1.2 MB xlsx), RET 0.26–0.44 s (0.8 MB); peak RSS 103 MB,
//! of which 34 MB is the process with the input built. Profile (perf): about 37% is deflate in
//! the zip writer, 6% hashing for the shared-string table, the rest rust_xlsxwriter's cell store
//! and XML; per-cell format lookups do not show because data cells take their column's format. Levers left unused: a lower zip
//! compression level (`set_zip_compression_level`) and constant-memory mode, which spills to
//! temporary files and so would make the exporter do file IO.

// Bench code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use assay_core::export::workbook::{
    write_poam_xlsx, write_ret_xlsx, PoamRow, PoamWorkbook, RetRow, RetWorkbook, WorkbookHeader,
};
use assay_core::model::testing::{DeviationAnswer, RiskLevel};
use chrono::{Days, NaiveDate};

const ITEMS: usize = 10_000;

mod support;
use support::status_kb;

/// A scanner-style item: a few hundred characters of description, two assets, milestones.
fn item(i: usize) -> PoamRow {
    let detected = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new((i % 90) as u64);
    let (rating, days) = match i % 3 {
        0 => (RiskLevel::High, 30),
        1 => (RiskLevel::Moderate, 90),
        _ => (RiskLevel::Low, 180),
    };
    let plugin = 150_000 + i;
    PoamRow {
        poam_id: format!("VS-{i:05}-RA(5)"),
        controls: "RA-5, SI-2".into(),
        weakness_name: format!("Vendor package security update (plugin {plugin})"),
        weakness_description: format!(
            "The remote host is missing one or more security updates for package {i}. The \
             installed version is affected by multiple vulnerabilities, including a heap buffer \
             overflow that may allow a remote, unauthenticated attacker to execute arbitrary \
             code, and an out-of-bounds read that may disclose memory contents. Note that the \
             scanner has not tested for these issues but has relied on the application's \
             self-reported version number."
        ),
        weakness_detector_source: "Tenable Nessus".into(),
        weakness_source_identifier: plugin.to_string(),
        asset_identifier: format!(
            "app-{:03}.prod.example.test:443/tcp\napp-{:03}.prod.example.test:443/tcp",
            i % 200,
            (i + 1) % 200
        ),
        point_of_contact: "Platform Operations (ops@example.test)".into(),
        resources_required: "Operations staff time; maintenance window".into(),
        overall_remediation_plan: "Apply the vendor's security update through the standard \
             patch pipeline, verify with an authenticated rescan and close the item."
            .into(),
        original_detection_date: detected,
        scheduled_completion_date: detected + Days::new(days),
        planned_milestones: format!(
            "1. {} Patch staged in the test environment\n2. {} Patch applied in production",
            detected + Days::new(7),
            detected + Days::new(days - 5)
        ),
        milestone_changes: String::new(),
        status_date: Some(detected + Days::new(14)),
        vendor_dependency: i.is_multiple_of(10),
        last_vendor_check_in_date: i.is_multiple_of(10).then(|| detected + Days::new(20)),
        vendor_dependent_product_name: if i.is_multiple_of(10) {
            "Vendor OS".into()
        } else {
            String::new()
        },
        original_risk_rating: rating,
        adjusted_risk_rating: i.is_multiple_of(7).then_some(RiskLevel::Low),
        risk_adjustment: if i.is_multiple_of(7) {
            DeviationAnswer::Yes
        } else {
            DeviationAnswer::No
        },
        false_positive: DeviationAnswer::No,
        operational_requirement: DeviationAnswer::No,
        deviation_rationale: String::new(),
        supporting_documents: String::new(),
        comments: format!("RET ID VS-{i:05}-RA(5)"),
        auto_approve: None,
        bod_22_01_tracking: i.is_multiple_of(25),
        bod_22_01_due_date: i.is_multiple_of(25).then(|| detected + Days::new(21)),
        cve: format!(
            "CVE-2025-{:04}, CVE-2025-{:04}",
            i % 9000 + 1000,
            i % 9000 + 1001
        ),
        service_name: "Customer portal".into(),
    }
}

fn main() {
    let header = WorkbookHeader {
        csp: "Example Cloud, Inc.".into(),
        system_name: "Example Cloud Platform".into(),
        impact_level: "Moderate".into(),
        date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    };
    let poam = PoamWorkbook {
        header: header.clone(),
        open: (0..ITEMS).map(item).collect(),
        closed: Vec::new(),
        configuration: Vec::new(),
    };
    let ret = RetWorkbook {
        header,
        ret: poam.open.iter().map(RetRow::from).collect(),
        corrected: Vec::new(),
        configuration: Vec::new(),
        pl2: Vec::new(),
    };
    let rss_input = status_kb("VmHWM:");

    // Warm-up write (page faults, allocator), then the timed runs.
    let bytes = write_poam_xlsx(&poam).unwrap();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let again = write_poam_xlsx(&poam).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        assert!(again == bytes, "output differs between runs");
    }
    let rss_poam = status_kb("VmHWM:");
    let t = Instant::now();
    let ret_bytes = write_ret_xlsx(&ret).unwrap();
    let ret_time = t.elapsed().as_secs_f64();
    println!(
        "POA&M {ITEMS} items: best of 5 {best:.3} s, {:.1} MB xlsx; RET {ITEMS} items: {ret_time:.3} s, \
         {:.1} MB; peak RSS {:.1} MB (input alone {:.1} MB)",
        bytes.len() as f64 / 1e6,
        ret_bytes.len() as f64 / 1e6,
        rss_poam.max(status_kb("VmHWM:")) as f64 / 1024.0,
        rss_input as f64 / 1024.0,
    );
}
