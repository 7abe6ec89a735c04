//! The appendices of the SAR PDF: A (the risk exposure table in its four parts, each as three
//! tables), C (scan coverage and authentication, undocumented hosts, scan files), D
//! (documentation review findings) and E (evidence), one function each.
//!
//! Invariant: pure; rows come from the computed report's risk items, coverage, scan files and
//! evidence in their order, so Appendix A lists exactly the RET and POA&M rows.

use assay_pdf::Block;

use super::{controls_cell, ratings, vendor_cell, Names};
use crate::model::sap::display_date;
use crate::model::sar::{RetTab, RiskItem};
use crate::model::testing::FindingSource;
use crate::pdf_parts::{col, or_dash, para, reflow, table, yes_no};
use crate::SarExportInput;

/// The RET appendix parts in template order, with their table numbers.
const RET_PARTS: [(RetTab, &str); 4] = [
    (RetTab::Ret, "A-1"),
    (RetTab::Corrected, "A-2"),
    (RetTab::Configuration, "A-3"),
    (RetTab::Pl2, "A-4"),
];

/// Appendix A: the risk exposure table in its four parts (and the KEV catalog used).
pub(super) fn appendix_a(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let Names { csp, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::PageBreak);
    b.push(Block::heading(1, None, "Appendix A: Risk Exposure Table"));
    b.push(para(format!(
        "The risk exposure table in its four parts. Each risk carries its POA&M ID in {csp}'s scheme; the same ids, \
         ratings and detector sources appear in the POA&M. In each part, table (a) identifies the weakness, (b) \
         gives its ratings and deviation status, and (c) its description and the rationale of any deviation."
    )));
    if let Some(k) = &r.kev {
        b.push(para(format!(
            "Known exploited vulnerabilities were identified with the CISA KEV catalog version {} (released {}, {} \
             entries); a KEV due date earlier than the FedRAMP remediation deadline sets the scheduled completion date.",
            or_dash(&k.catalog_version),
            crate::model::sap::display_date_text(&k.released),
            k.entries
        )));
    }
    for (tab, number) in RET_PARTS {
        let items: Vec<&RiskItem> = r.items.iter().filter(|i| i.tab == tab).collect();
        b.push(Block::heading(2, Some(number), tab.label()));
        b.extend(ret_tables(number, tab.label(), &items));
    }
    b
}

/// Appendix C: vulnerability scan results.
pub(super) fn appendix_c(input: &SarExportInput) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(
        1,
        None,
        "Appendix C: Vulnerability Scan Results",
    ));
    b.extend(coverage_blocks(input));
    b
}

/// Appendix D: documentation review findings.
pub(super) fn appendix_d(input: &SarExportInput) -> Vec<Block> {
    let r = &input.report;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(
        1,
        None,
        "Appendix D: Documentation Review Findings",
    ));
    let doc_review: Vec<Vec<String>> = r
        .items
        .iter()
        .filter(|i| i.detector_source == FindingSource::DocumentationReview.label())
        .map(|i| {
            vec![
                i.poam_id.clone(),
                controls_cell(&i.controls),
                i.name.clone(),
                or_dash(&reflow(&i.description)),
                i.effective_risk.label().to_owned(),
            ]
        })
        .collect();
    b.push(table(
        "Table D-1. Documentation Review Findings",
        vec![
            col("POA&M ID", 1.0),
            col("Controls", 1.0),
            col("Weakness Name", 2.0),
            col("Weakness Description", 3.5),
            col("Risk", 0.8),
        ],
        doc_review,
        Some(7.0),
    ));
    b
}

/// Appendix E: the evidence collected.
pub(super) fn appendix_e(input: &SarExportInput) -> Vec<Block> {
    let r = &input.report;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, None, "Appendix E: Auxiliary Documents"));
    b.push(para(
        "The evidence collected during the assessment, identified by the SHA-256 of its content.",
    ));
    b.push(table(
        "Table E-1. Evidence",
        vec![
            col("Title", 120.0),
            col("File Name", 120.0),
            col("Collected", 50.0),
            col("SHA-256", 205.0),
        ],
        r.evidence
            .iter()
            .map(|x| {
                vec![
                    or_dash(&x.title),
                    x.file_name.clone(),
                    or_dash(&crate::model::sap::display_date_text(&x.collected_at)),
                    x.id.clone(),
                ]
            })
            .collect(),
        Some(7.0),
    ));
    b
}

/// One RET part as three tables sharing the POA&M ID: (a) the weakness, (b) its ratings and
/// deviation status, (c) the long texts (description and deviation rationale) in wide columns.
/// Together they carry every RET column; one portrait table of 18 columns would not be
/// readable. Column widths are points of the 498 pt portrait text width, chosen so that no header
/// word, date or rating breaks.
fn ret_tables(number: &str, label: &str, items: &[&RiskItem]) -> Vec<Block> {
    let weakness = items
        .iter()
        .map(|i| {
            vec![
                i.poam_id.clone(),
                controls_cell(&i.controls),
                i.name.clone(),
                or_dash(&i.detector_source),
                or_dash(&i.source_identifier),
                or_dash(&i.assets.join("\n")),
                display_date(Some(i.detected_on)),
            ]
        })
        .collect();
    let rating = items
        .iter()
        .map(|i| {
            let (orig, adj) = ratings(i);
            vec![
                i.poam_id.clone(),
                orig,
                adj,
                i.risk_adjustment.label().to_owned(),
                i.false_positive.label().to_owned(),
                i.operational_requirement.label().to_owned(),
                vendor_cell(i),
                or_dash(&i.comments),
            ]
        })
        .collect();
    let text = items
        .iter()
        .map(|i| {
            vec![
                i.poam_id.clone(),
                or_dash(&reflow(&i.description)),
                or_dash(&i.deviation_rationale),
            ]
        })
        .collect();
    vec![
        table(
            &format!("Table {number}a. {label}: Weaknesses"),
            vec![
                col("POA&M ID", 48.0),
                col("Controls", 50.0),
                col("Weakness Name", 125.0),
                col("Weakness Detector Source", 62.0),
                col("Weakness Source Identifier", 80.0),
                col("Asset Identifier", 85.0),
                col("Original Detection Date", 48.0),
            ],
            weakness,
            Some(6.5),
        ),
        table(
            &format!("Table {number}b. {label}: Ratings and Deviations"),
            vec![
                col("POA&M ID", 48.0),
                col("Original Risk Rating", 44.0),
                col("Adjusted Risk Rating", 44.0),
                col("Risk Adjustment", 52.0),
                col("False Positive", 42.0),
                col("Operational Requirement", 58.0),
                col("Vendor Dependency", 56.0),
                col("Comments", 154.0),
            ],
            rating,
            Some(6.5),
        ),
        table(
            &format!("Table {number}c. {label}: Descriptions and Deviation Rationale"),
            vec![
                col("POA&M ID", 48.0),
                col("Weakness Description", 300.0),
                col("Deviation Rationale", 150.0),
            ],
            text,
            Some(6.5),
        ),
    ]
}

/// Appendix C: coverage and authentication per in-scope asset, undocumented hosts, scan files.
fn coverage_blocks(input: &SarExportInput) -> Vec<Block> {
    let r = &input.report;
    let c = &r.coverage;
    let s = &r.summary;
    let mut b = vec![para(format!(
        "{} of {} in-scope inventory assets were scanned; {} of them with authenticated (credentialed) scans. {} \
         scanned host(s) are not in the SSP inventory.",
        s.assets_scanned, s.assets_in_scope, s.assets_credentialed, s.undocumented_assets
    ))];
    b.push(table(
        "Table C-1. Scan Coverage and Authentication",
        vec![
            col("Asset", 60.0),
            col("Address", 112.0),
            col("Scanned", 42.0),
            col("Tools", 80.0),
            col("Credentialed", 60.0),
            col("Explanation / Note", 138.0),
        ],
        c.assets
            .iter()
            .map(|a| {
                let mut tools: Vec<String> = a.tools.iter().map(|t| t.tool.clone()).collect();
                tools.dedup();
                let note = [a.explanation.trim(), a.note.trim()]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    a.asset_id.clone().unwrap_or_else(|| "—".into()),
                    or_dash(&a.address),
                    yes_no(a.scanned),
                    or_dash(&tools.join(", ")),
                    match a.credentialed {
                        Some(true) => "Yes".into(),
                        Some(false) => "No".into(),
                        None => "Unknown".into(),
                    },
                    or_dash(&note),
                ]
            })
            .collect(),
        Some(7.0),
    ));
    b.push(table(
        "Table C-2. Scanned Hosts Not in the SSP Inventory",
        vec![
            col("Host", 100.0),
            col("IP Address", 70.0),
            col("FQDN", 105.0),
            col("Tool", 55.0),
            col("Scan File", 165.0),
        ],
        c.undocumented
            .iter()
            .map(|u| {
                vec![
                    u.label.clone(),
                    u.ip.clone().unwrap_or_else(|| "—".into()),
                    u.fqdn.clone().unwrap_or_else(|| "—".into()),
                    u.tool.clone(),
                    u.file.clone(),
                ]
            })
            .collect(),
        Some(7.0),
    ));
    b.push(table(
        "Table C-3. Scan Files",
        vec![
            col("File Name", 175.0),
            col("Tool", 80.0),
            col("Scan Start", 70.0),
            col("SHA-256", 170.0),
        ],
        r.scan_files
            .iter()
            .map(|f| {
                let tool = match &f.tool_version {
                    Some(v) if !v.trim().is_empty() => format!("{} {v}", f.tool),
                    _ => f.tool.clone(),
                };
                vec![
                    f.name.clone(),
                    tool,
                    f.scan_start
                        .as_deref()
                        .map(crate::model::sap::display_date_text)
                        .unwrap_or_else(|| "—".into()),
                    f.sha256.clone(),
                ]
            })
            .collect(),
        Some(7.0),
    ));
    b
}
