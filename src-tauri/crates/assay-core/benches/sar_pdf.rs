//! Rendering the SAR PDF with 10,000 risk exposure table rows of wrapped text: time and peak
//! memory.
//!
//! Run: `cargo bench -p assay-core --bench sar_pdf` (release). The engagement is the demo's
//! (built into a temporary folder from the FedRAMP Moderate baseline in `assets/baselines` or
//! `$ASSAY_BASELINES`); its risk items are replaced by 10,000 generated ones with scanner-length
//! descriptions, several assets and deviation rationales, spread over the four RET parts.
//! Goal on the 2-core dev machine: under 1.5 s for the render, peak memory reported.
//! Measured (release, 2-core dev machine, after the assay-pdf speed work): best of 3 0.27 s for
//! 10,000 rows (5.4 MB PDF); peak RSS 132 MB, of which 47 MB is the process with the input built.

// Bench code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Instant;

use assay_core::api::demo::{build_demo, demo_context};
use assay_core::model::report::ExportOptions;
use assay_core::model::sar::{PoamTab, RetTab};
use assay_core::model::testing::RiskLevel;
use assay_core::Session;
use chrono::Days;

const ROWS: usize = 10_000;

mod support;
use support::status_kb;

const WORDS: &[&str] = &[
    "remote",
    "server",
    "affected",
    "version",
    "TLS",
    "certificate",
    "allows",
    "attacker",
    "execute",
    "arbitrary",
    "code",
    "denial",
    "service",
    "configuration",
    "update",
    "vendor",
    "advisory",
    "package",
    "kernel",
    "library",
    "authentication",
    "bypass",
    "header",
    "session",
];

fn text(seed: usize, words: usize) -> String {
    (0..words)
        .map(|k| WORDS[(seed * 7 + k * 13) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let dirs: Vec<PathBuf> = std::env::var_os("ASSAY_BASELINES")
        .map(|d| vec![PathBuf::from(d)])
        .unwrap_or_else(|| {
            vec![PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../assets/baselines"
            ))]
        });
    let dir = tempfile::tempdir().unwrap();
    let out = build_demo(dir.path(), &dirs).unwrap();
    let session = Session::open(&out.engagement, demo_context()).unwrap();
    let mut input = session.sar_export_input().unwrap();
    let template = input.report.items[0].clone();
    let tabs = [
        (RetTab::Ret, PoamTab::Open),
        (RetTab::Ret, PoamTab::Open),
        (RetTab::Ret, PoamTab::Open),
        (RetTab::Corrected, PoamTab::Closed),
        (RetTab::Configuration, PoamTab::Configuration),
        (RetTab::Pl2, PoamTab::Open),
    ];
    input.report.items = (0..ROWS)
        .map(|i| {
            let mut item = template.clone();
            let (tab, poam_tab) = tabs[i % tabs.len()];
            item.tab = tab;
            item.poam_tab = poam_tab;
            item.poam_id = format!("NW-{:05}", i + 1);
            item.name = format!("Weakness {i}: {}", text(i, 6));
            item.description = text(i, 40 + i % 60);
            item.deviation_rationale = if i % 4 == 0 {
                text(i + 1, 30)
            } else {
                String::new()
            };
            item.assets = (0..1 + i % 4)
                .map(|k| format!("10.20.{}.{} tcp/{}", i % 250, k + 10, 443 + k))
                .collect();
            item.original_risk = [RiskLevel::High, RiskLevel::Moderate, RiskLevel::Low][i % 3];
            item.detected_on = template.detected_on + Days::new((i % 60) as u64);
            item
        })
        .collect();
    let opts = ExportOptions {
        generated_at: demo_context().clock.now(),
        document_id: "bench".into(),
    };
    let before = status_kb("VmHWM:");
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let pdf = assay_core::export::sar_pdf::render(&input, &opts).unwrap();
        best = best.min(start.elapsed().as_secs_f64());
        size = pdf.len();
    }
    println!(
        "SAR PDF, {ROWS} RET rows: best of 3 {best:.2} s, {:.1} MB; peak RSS {} MB (input built: {} MB)",
        size as f64 / 1e6,
        status_kb("VmHWM:") / 1024,
        before / 1024
    );
}
