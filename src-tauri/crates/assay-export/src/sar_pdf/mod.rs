//! The SAR as a PDF laid out after the FedRAMP Rev5 SAR template v5.0: cover, revision history,
//! contents, Sections 1–5 with Table 2-1, Table 2-2 and the open-risk charts, Appendix A (the
//! risk exposure table in its four parts), Appendix C (scan coverage, authentication and the
//! scan files), Appendix D (documentation review findings), Appendix E (evidence) and the
//! assessor's signatures.
//!
//! [`build`] calls one function per section in template order: the revision history and
//! Sections 1–5 with the attestation are in `sections.rs`, Appendices A, C, D and E in
//! `appendices.rs`.
//!
//! Invariants: pure; the same input and options give the same bytes. Every figure printed comes
//! from the computed [`SarReport`](crate::model::report::SarReport) (never retyped here), the
//! consistency checks are the assessor's worklist and are never printed, and nothing is invented:
//! a missing recommendation or an empty table is said to be missing, never filled in.

mod appendices;
mod sections;

use assay_pdf::{Block, Cover, Document, RenderOptions};

use crate::error::{Error, Result};
use crate::model::report::ExportOptions;
use crate::model::sap::display_date;
use crate::model::sar::RiskItem;
use crate::model::testing::DeviationAnswer;
use crate::pdf_parts::{control_label, or_dash};
use crate::{SarExportInput, CUI_MARKING};

/// Renders the SAR to PDF bytes (Letter, portrait).
pub fn render(input: &SarExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    let doc = build(input, opts);
    let render_opts = RenderOptions::new(opts.generated_at, opts.document_id.clone());
    assay_pdf::render_pdf(&doc, &render_opts).map_err(|e| Error::Pdf {
        document: "SAR",
        message: e.to_string(),
    })
}

/// The controls of a risk item as one cell.
pub(crate) fn controls_cell(controls: &[String]) -> String {
    or_dash(
        &controls
            .iter()
            .map(|c| control_label(c))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// Original and adjusted rating, e.g. "High / Moderate" or "High / N/A".
pub(crate) fn ratings(i: &RiskItem) -> (String, String) {
    (
        i.original_risk.label().to_owned(),
        i.adjusted_risk
            .map(|r| r.label().to_owned())
            .unwrap_or_else(|| "N/A".into()),
    )
}

/// The vendor dependency cell: "Yes (product)" or "No".
pub(crate) fn vendor_cell(i: &RiskItem) -> String {
    match (i.vendor_dependency, i.vendor_product.trim()) {
        (true, "") => "Yes".into(),
        (true, p) => format!("Yes ({p})"),
        (false, _) => "No".into(),
    }
}

/// "RA / FP / OR" answers in one cell.
pub(crate) fn deviations_cell(i: &RiskItem) -> String {
    let a = |d: DeviationAnswer| d.label();
    format!(
        "{} / {} / {}",
        a(i.risk_adjustment),
        a(i.false_positive),
        a(i.operational_requirement)
    )
}

/// The names every section repeats, worked out once from the engagement, the SAR's written
/// fields and the options.
struct Names {
    /// The cloud service offering, or a dash.
    cso: String,
    /// The cloud service provider, or a dash.
    csp: String,
    /// The independent assessor (3PAO), or "The independent assessor".
    ia: String,
    /// The SAR's date, else the generation date (MM/DD/YYYY).
    date: String,
    /// The SAR's version, or a dash.
    version: String,
    /// The FedRAMP impact level.
    level: &'static str,
}

impl Names {
    fn of(input: &SarExportInput, opts: &ExportOptions) -> Names {
        let e = &input.report.engagement;
        let d = &input.report.data;
        Names {
            cso: or_dash(&e.cso_name),
            csp: or_dash(&e.csp_name),
            ia: if e.assessor_org.trim().is_empty() {
                "The independent assessor".to_owned()
            } else {
                e.assessor_org.clone()
            },
            date: d
                .date
                .map(|x| display_date(Some(x)))
                .unwrap_or_else(|| opts.generated_at.format("%m/%d/%Y").to_string()),
            version: or_dash(&d.version),
            level: e.impact_level.label(),
        }
    }
}

/// The document the PDF is rendered from (public for tests of the content): the template's
/// sections in order.
pub fn build(input: &SarExportInput, opts: &ExportOptions) -> Document {
    let n = Names::of(input, opts);
    let mut b = sections::front_matter(input, &n);
    b.extend(sections::introduction(input, &n));
    b.extend(sections::executive_summary(input, &n));
    b.extend(sections::purpose_and_scope(input, &n));
    b.extend(sections::system_overview(input));
    b.extend(sections::methodology(input, &n));
    b.extend(sections::srtm_and_results(input));
    b.extend(sections::interconnections(input));
    b.extend(sections::attestation(input, &n));
    b.extend(appendices::appendix_a(input, &n));
    b.extend(appendices::appendix_c(input));
    b.extend(appendices::appendix_d(input));
    b.extend(appendices::appendix_e(input));
    document(input, n, b)
}

/// The cover and running titles around the body `blocks`.
fn document(input: &SarExportInput, n: Names, blocks: Vec<Block>) -> Document {
    let e = &input.report.engagement;
    let Names {
        cso,
        csp,
        ia,
        date,
        version,
        level,
    } = n;
    Document {
        title: format!("{cso} Security Assessment Report"),
        subtitle: format!("FedRAMP {level} {} assessment", e.assessment_type.label()),
        marking: CUI_MARKING.to_uppercase(),
        running_title: format!("{cso} Security Assessment Report"),
        cover: Cover {
            organisation_line: "FedRAMP Rev5".into(),
            title: "Security Assessment Report".into(),
            subtitle: cso.clone(),
            fields: vec![
                ("Cloud Service Provider".into(), csp.clone()),
                ("Cloud Service Offering".into(), cso.clone()),
                ("FedRAMP Package ID".into(), or_dash(&e.package_id)),
                ("Impact Level".into(), level.to_owned()),
                (
                    "Assessment Type".into(),
                    e.assessment_type.label().to_owned(),
                ),
                ("Version".into(), version),
                ("Date".into(), date),
            ],
            prepared_by: vec![ia.clone()],
            prepared_for: vec![csp],
        },
        blocks,
    }
}

/// The titles of the sections the SAR PDF always contains, for tests and the CLI.
pub fn section_titles() -> Vec<&'static str> {
    vec![
        "Introduction",
        "Executive Summary",
        "Purpose",
        "Applicable Laws, Regulations, Standards and Guidance",
        "Scope",
        "Controls Assessed",
        "System Overview",
        "Assessment Methodology",
        "Deviations from the SAP",
        "Security Requirements Traceability Matrix (SRTM)",
        "Consideration of Threats",
        "Document Results",
        "Risks Known for Interconnected Systems and External Services",
        "Appendix A: Risk Exposure Table",
        "Appendix C: Vulnerability Scan Results",
        "Appendix D: Documentation Review Findings",
        "Appendix E: Auxiliary Documents",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf_parts::reflow;

    #[test]
    fn scanner_text_is_reflowed_but_keeps_paragraphs_and_list_items() {
        let plugin = "The remote host is affected by\nmultiple flaws :\n\n- A buffer overflow\n  in the parser.\n- A directory traversal.\n1. First step\n\nNessus 1 on: host";
        assert_eq!(
            reflow(plugin),
            "The remote host is affected by multiple flaws :\n\n- A buffer overflow in the parser.\n- A directory traversal.\n1. First step\n\nNessus 1 on: host"
        );
        assert_eq!(reflow("  one line  "), "one line");
        assert_eq!(reflow(""), "");
        assert_eq!(reflow("a\r\nb"), "a b");
    }

    #[test]
    fn control_ids_print_in_fedramp_form() {
        for (id, want) in [
            ("ac-2", "AC-2"),
            ("ac-2.1", "AC-2(1)"),
            ("AU-11", "AU-11"),
            ("si-4.4", "SI-4(4)"),
            ("pl-2", "PL-2"),
            ("ac-2_obj.a", "ac-2_obj.a"),
            ("Custom control", "Custom control"),
            ("ac-", "ac-"),
        ] {
            assert_eq!(control_label(id), want, "{id}");
        }
        assert_eq!(controls_cell(&[]), "—");
        assert_eq!(
            controls_cell(&["ra-5".into(), "si-2.2".into()]),
            "RA-5, SI-2(2)"
        );
    }
}
