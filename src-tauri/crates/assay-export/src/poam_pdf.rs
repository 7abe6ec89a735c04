//! The seed POA&M as a PDF (Letter, landscape) after the FedRAMP POA&M template v2.1: cover, the
//! workbook's header block (CSP, system name, impact level, POA&M date), contents, and the Open,
//! Closed and Configuration Findings tabs as tables of the key POA&M columns, each followed by a
//! table of the longer text columns.
//!
//! Invariants: pure; the same input and options give the same bytes. The items are the SAR's
//! [`RiskItem`]s (one RET row = one POA&M item), so ids, ratings and detector sources agree with
//! the SAR by construction; the POA&M date is the export date from the options.

use assay_pdf::{Block, Cover, Document, Orientation, RenderOptions};

use super::pdf_parts::{col, date_or_dash, or_dash, reflow, table};
use super::sar_pdf::{controls_cell, deviations_cell, ratings, vendor_cell};
use super::{SarExportInput, CUI_MARKING};
use crate::error::{Error, Result};
use crate::model::report::ExportOptions;
use crate::model::sap::display_date;
use crate::model::sar::{PoamTab, RiskItem};

/// The POA&M tabs in workbook order.
pub const POAM_TABS: [PoamTab; 3] = [PoamTab::Open, PoamTab::Closed, PoamTab::Configuration];

/// Renders the POA&M to PDF bytes (Letter, landscape: the POA&M is a wide table).
pub fn render(input: &SarExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    let doc = build(input, opts);
    let mut render_opts = RenderOptions::new(opts.generated_at, opts.document_id.clone());
    render_opts.orientation = Orientation::Landscape;
    assay_pdf::render_pdf(&doc, &render_opts).map_err(|e| Error::Pdf {
        document: "POA&M",
        message: e.to_string(),
    })
}

/// The document the PDF is rendered from (public for tests of the content).
pub fn build(input: &SarExportInput, opts: &ExportOptions) -> Document {
    let r = &input.report;
    let e = &r.engagement;
    let cso = or_dash(&e.cso_name);
    let csp = or_dash(&e.csp_name);
    let system = input
        .overview
        .as_ref()
        .map(|o| o.system_name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| cso.clone());
    let level = e.impact_level.label().to_owned();
    let poam_date = opts.generated_at.format("%m/%d/%Y").to_string();
    let ia = or_dash(&e.assessor_org);
    let mut b: Vec<Block> = Vec::new();

    b.push(Block::TableOfContents);
    b.push(Block::PageBreak);
    b.push(table(
        "Plan of Action and Milestones",
        vec![
            col("CSP", 2.0),
            col("System Name", 2.0),
            col("Impact Level", 1.0),
            col("POA&M Date", 1.0),
        ],
        vec![vec![
            csp.clone(),
            system.clone(),
            level.clone(),
            poam_date.clone(),
        ]],
        None,
    ));
    let count = |t: PoamTab| r.items.iter().filter(|i| i.poam_tab == t).count();
    b.push(Block::paragraph(format!(
        "This POA&M is seeded from the Security Assessment Report of {ia}: every risk of the risk exposure table is \
         one item here, with the same POA&M ID, original risk rating and weakness detector source. It holds {} open \
         item(s), {} closed item(s) and {} configuration finding(s). Scheduled completion dates follow the FedRAMP \
         remediation timelines (30 days for High and Critical, 90 for Moderate, 180 for Low) or an earlier CISA KEV \
         due date.",
        count(PoamTab::Open),
        count(PoamTab::Closed),
        count(PoamTab::Configuration)
    )));

    for (n, tab) in POAM_TABS.iter().enumerate() {
        let items: Vec<&RiskItem> = r.items.iter().filter(|i| i.poam_tab == *tab).collect();
        let number = (n + 1).to_string();
        b.push(Block::heading(1, Some(&number), tab.label()));
        b.extend(tab_tables(
            &number,
            tab.label(),
            &items,
            &r.data.poam.point_of_contact,
        ));
    }

    Document {
        title: format!("{cso} Plan of Action and Milestones"),
        subtitle: format!("FedRAMP {level} POA&M"),
        marking: CUI_MARKING.to_uppercase(),
        running_title: format!("{cso} Plan of Action and Milestones"),
        cover: Cover {
            organisation_line: "FedRAMP Rev5".into(),
            title: "Plan of Action and Milestones".into(),
            subtitle: cso.clone(),
            fields: vec![
                ("Cloud Service Provider".into(), csp.clone()),
                ("System Name".into(), system),
                ("FedRAMP Package ID".into(), or_dash(&e.package_id)),
                ("Impact Level".into(), level),
                ("POA&M Date".into(), poam_date),
            ],
            prepared_by: vec![ia],
            prepared_for: vec![csp],
        },
        blocks: b,
    }
}

/// One POA&M tab: the key columns, then the long text columns keyed by the same POAM ID. Column
/// widths are points of the 679 pt landscape text width, chosen so that no header word, date or
/// CVE id breaks.
fn tab_tables(number: &str, label: &str, items: &[&RiskItem], poc: &str) -> Vec<Block> {
    let key = items
        .iter()
        .map(|i| {
            let (orig, adj) = ratings(i);
            vec![
                i.poam_id.clone(),
                controls_cell(&i.controls),
                i.name.clone(),
                or_dash(&i.detector_source),
                or_dash(&i.source_identifier),
                or_dash(&i.assets.join("\n")),
                display_date(Some(i.detected_on)),
                display_date(Some(i.scheduled_completion)),
                format!("{orig} / {adj}"),
                deviations_cell(i),
                vendor_cell(i),
                or_dash(&i.cves.join("\n")),
                date_or_dash(i.kev_due),
            ]
        })
        .collect();
    let text = items
        .iter()
        .map(|i| {
            let mut comments = i.comments.trim().to_owned();
            if let Some(closed) = i.closed_on {
                if !comments.is_empty() {
                    comments.push('\n');
                }
                comments.push_str(&format!("Closed on {}.", display_date(Some(closed))));
            }
            vec![
                i.poam_id.clone(),
                or_dash(&reflow(&i.description)),
                or_dash(&reflow(&i.remediation)),
                or_dash(poc),
                or_dash(&i.deviation_rationale),
                or_dash(&comments),
            ]
        })
        .collect();
    vec![
        table(
            &format!("Table {number}-1. {label}"),
            vec![
                col("POAM ID", 48.0),
                col("Controls", 38.0),
                col("Weakness Name", 85.0),
                col("Weakness Detector Source", 60.0),
                col("Weakness Source Identifier", 45.0),
                col("Asset Identifier", 55.0),
                col("Original Detection Date", 46.0),
                col("Scheduled Completion Date", 50.0),
                col("Original / Adjusted Risk", 50.0),
                col("RA / FP / OR", 45.0),
                col("Vendor Dependency", 50.0),
                col("CVE", 60.0),
                col("KEV Due Date", 46.0),
            ],
            key,
            Some(6.0),
        ),
        table(
            &format!("Table {number}-2. {label}: Descriptions and Remediation"),
            vec![
                col("POAM ID", 48.0),
                col("Weakness Description", 280.0),
                col("Overall Remediation Plan", 130.0),
                col("Point of Contact", 62.0),
                col("Deviation Rationale", 84.0),
                col("Comments", 74.0),
            ],
            text,
            Some(6.5),
        ),
    ]
}
