//! The SAP as a PDF laid out after the FedRAMP Rev5 SAP template v4.0: cover, revision history,
//! contents, Sections 1–8, Appendices A–C (and D for significant changes), and the test cases
//! (each selected control's assessable objectives and methods).
//!
//! [`build`] calls one function per section in template order: the revision history and
//! Sections 1–8 are in `sections.rs`, Appendices A–D and the deviations in `appendices.rs`.
//!
//! Invariant: pure; the same input and options give the same bytes (assay-pdf guarantees it for
//! the document, and nothing here reads a clock).

mod appendices;
mod sections;

use assay_pdf::{Block, Column, Cover, Document, RenderOptions};

use crate::error::{Error, Result};
use crate::model::report::ExportOptions;
use crate::model::sap::{display_date, Sap};
use crate::model::AssessmentType;
use crate::pdf_parts::or_dash;
use crate::{SapExportInput, CUI_MARKING};

/// Renders the SAP to PDF bytes.
pub fn render(input: &SapExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    let doc = build(input, opts);
    let render_opts = RenderOptions::new(opts.generated_at, opts.document_id.clone());
    assay_pdf::render_pdf(&doc, &render_opts).map_err(|e| Error::Pdf {
        document: "SAP",
        message: e.to_string(),
    })
}

/// A captioned table in the body's font size.
fn table(caption: &str, columns: Vec<Column>, rows: Vec<Vec<String>>) -> Block {
    crate::pdf_parts::table(caption, columns, rows, None)
}

/// The names every section repeats, worked out once from the SAP header and the options.
struct Names {
    /// The cloud service offering, or a dash.
    cso: String,
    /// The cloud service provider, or a dash.
    csp: String,
    /// The independent assessor (3PAO), or "the independent assessor".
    ia: String,
    /// The SAP's date, else the generation date (MM/DD/YYYY).
    date: String,
    /// A significant change assessment (adds Section 3.4 and Appendix D).
    scr: bool,
}

impl Names {
    fn of(sap: &Sap, opts: &ExportOptions) -> Names {
        let h = &sap.header;
        let d = &sap.data;
        Names {
            cso: or_dash(&h.cso_name),
            csp: or_dash(&h.csp_name),
            ia: if h.assessor_org.is_empty() {
                "the independent assessor".to_owned()
            } else {
                h.assessor_org.clone()
            },
            date: d
                .document
                .date
                .map(|x| display_date(Some(x)))
                .unwrap_or_else(|| opts.generated_at.format("%m/%d/%Y").to_string()),
            scr: h.assessment_type == AssessmentType::Scr,
        }
    }
}

/// The document the PDF is rendered from (public for tests of the content): the template's
/// sections in order.
pub fn build(input: &SapExportInput, opts: &ExportOptions) -> Document {
    let sap = &input.sap;
    let d = &sap.data;
    let n = Names::of(sap, opts);
    let mut b = sections::front_matter(d, &n);
    b.extend(sections::introduction(&n));
    b.extend(sections::background(sap, &n));
    b.extend(sections::scope(sap, &n));
    b.extend(sections::role_testing(d, &n));
    b.extend(sections::assumptions(d));
    b.extend(sections::methodology(d));
    b.extend(sections::test_team(sap));
    b.extend(sections::test_methods(d));
    b.extend(sections::rules_of_engagement(d, &n));
    b.extend(sections::signatures(sap, &n));
    b.extend(appendices::appendix_a(input, &n));
    b.extend(appendices::appendix_b(d));
    b.extend(appendices::appendix_c(d));
    b.extend(appendices::appendix_d(d, &n));
    b.extend(appendices::deviations(sap));
    document(sap, n, b)
}

/// The cover and running titles around the body `blocks`.
fn document(sap: &Sap, n: Names, blocks: Vec<Block>) -> Document {
    let h = &sap.header;
    let d = &sap.data;
    let Names {
        cso, csp, ia, date, ..
    } = n;
    Document {
        title: format!("{cso} Security Assessment Plan"),
        subtitle: format!(
            "FedRAMP {} {} assessment",
            h.impact_level.label(),
            h.assessment_type.label()
        ),
        marking: CUI_MARKING.to_uppercase(),
        running_title: format!("{cso} Security Assessment Plan"),
        cover: Cover {
            organisation_line: "FedRAMP Rev5".into(),
            title: "Security Assessment Plan".into(),
            subtitle: cso.clone(),
            fields: vec![
                ("Cloud Service Provider".into(), csp.clone()),
                ("Cloud Service Offering".into(), cso.clone()),
                ("FedRAMP Package ID".into(), or_dash(&h.package_id)),
                ("Impact Level".into(), h.impact_level.label().to_owned()),
                (
                    "Assessment Type".into(),
                    h.assessment_type.label().to_owned(),
                ),
                ("Version".into(), or_dash(&d.document.version)),
                ("Date".into(), date),
            ],
            prepared_by: if d.document.prepared_by.is_empty() {
                vec![ia.clone()]
            } else {
                d.document.prepared_by.clone()
            },
            prepared_for: if d.document.prepared_for.is_empty() {
                vec![csp.clone()]
            } else {
                d.document.prepared_for.clone()
            },
        },
        blocks,
    }
}

/// The titles of the template sections the PDF always contains, for tests and the CLI.
pub fn section_titles(sap: &Sap) -> Vec<String> {
    let mut t: Vec<String> = [
        "Introduction",
        "Background",
        "Scope",
        "Assumptions",
        "Methodology",
        "Test Plan",
        "Rules of Engagement",
        "Signatures",
        "Appendix A",
        "Appendix B: Sampling Methodology",
        "Appendix C: Penetration Testing Plan and Methodology",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if sap.header.assessment_type == AssessmentType::Scr {
        t.push("Appendix D: Significant Change Request Documentation".into());
    }
    t
}
