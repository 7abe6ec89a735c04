//! Renders a 10,000-row Risk-Exposure-Table-like document and prints the time and peak memory.
//! Run: `cargo bench -p assay-pdf --bench render_large` (release profile). Goal: under 1.5 s.

use assay_pdf::{render_pdf, Block, Column, Cover, Document, RenderOptions, Table};
use chrono::{TimeZone, Utc};
use std::time::Instant;

const ROWS: usize = 10_000;

fn words(n: usize, seed: usize) -> String {
    const VOCAB: [&str; 20] = [
        "the",
        "scanner",
        "reported",
        "outdated",
        "package",
        "on",
        "host",
        "web-01",
        "which",
        "allows",
        "remote",
        "attackers",
        "to",
        "execute",
        "arbitrary",
        "code",
        "via",
        "crafted",
        "requests",
        "mitigation",
    ];
    (0..n)
        .map(|i| VOCAB[(seed * 31 + i * 7) % VOCAB.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn ret_document() -> Document {
    let rows = (1..=ROWS)
        .map(|i| {
            vec![
                format!("V-{i:05}"),
                ["AC-2", "AU-6", "CM-6", "RA-5", "SI-2"][i % 5].to_string(),
                format!("CVE-2025-{:05}", (i * 37) % 99_999),
                words(20 + (i * 17) % 41, i),
                words(20 + (i * 23) % 41, i + 3),
                ["High", "Moderate", "Low"][i % 3].to_string(),
                ["High", "Moderate", "Low"][(i + 1) % 3].to_string(),
                words(8 + i % 10, i + 7),
                [
                    "Open",
                    "Risk Adjusted",
                    "Operationally Required",
                    "False Positive",
                ][i % 4]
                    .to_string(),
                format!("{:02}/{:02}/2026", 1 + i % 12, 1 + i % 28),
            ]
        })
        .collect();
    let columns = [
        ("ID", 7.0),
        ("Control", 7.0),
        ("Identifier", 10.0),
        ("Description", 20.0),
        ("Recommendation", 18.0),
        ("Initial Risk", 7.0),
        ("Adjusted Risk", 7.0),
        ("Assets", 10.0),
        ("Status", 8.0),
        ("Due", 8.0),
    ]
    .into_iter()
    .map(|(title, width)| Column {
        title: title.into(),
        width,
    })
    .collect();
    Document {
        title: "Risk Exposure Table".into(),
        subtitle: "Benchmark".into(),
        marking: "CONTROLLED UNCLASSIFIED INFORMATION".into(),
        running_title: "Benchmark SAR | Appendix A".into(),
        cover: Cover {
            title: "Risk Exposure Table".into(),
            ..Cover::default()
        },
        blocks: vec![
            Block::TableOfContents,
            Block::heading(1, Some("A"), "Risk Exposure Table"),
            Block::Table(Table {
                caption: Some("Table A-1. Risk Exposure".into()),
                columns,
                rows,
                font_size: Some(7.0),
            }),
        ],
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // Arguments cargo bench passes (e.g. --bench) are ignored.
    let doc = ret_document();
    let at = Utc
        .with_ymd_and_hms(2026, 3, 14, 12, 0, 0)
        .single()
        .expect("valid date");
    let opts = RenderOptions::new(at, "bench");
    let start = Instant::now();
    let bytes = render_pdf(&doc, &opts).expect("render");
    let elapsed = start.elapsed();
    let page_count = lopdf::Document::load_mem(&bytes)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);
    println!(
        "render_large: {ROWS} rows, {page_count} pages, {:.2} MB, {:.3} s, peak RSS {} MiB",
        bytes.len() as f64 / 1e6,
        elapsed.as_secs_f64(),
        peak_rss_kib().map_or_else(|| "?".into(), |k| (k / 1024).to_string()),
    );
}
