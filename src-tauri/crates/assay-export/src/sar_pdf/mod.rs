//! The SAR as a PDF laid out after the FedRAMP Rev5 SAR template v5.0: cover, revision history,
//! contents, Sections 1–5 with Table 2-1, Table 2-2 and the open-risk charts, Appendix A (the
//! risk exposure table in its four parts), Appendix C (scan coverage, authentication and the
//! scan files), Appendix D (documentation review findings), Appendix E (evidence) and the
//! assessor's signatures.
//!
//! Invariants: pure; the same input and options give the same bytes. Every figure printed comes
//! from the computed [`SarReport`](crate::model::report::SarReport) (never retyped here), the
//! consistency checks are the assessor's worklist and are never printed, and nothing is invented:
//! a missing recommendation or an empty table is said to be missing, never filled in.

use assay_pdf::{Bar, BarChart, Block, Color, Cover, Document, RenderOptions, SignatureRow, Table};

use super::pdf_parts::control_label;
use super::pdf_parts::{col, or_dash, para, reflow, table, yes_no};
use super::{SarExportInput, CUI_MARKING};
use crate::error::{Error, Result};
use crate::model::report::ExportOptions;
use crate::model::sap::display_date;
use crate::model::sar::{RetTab, RiskItem, TABLE_2_2_COLUMNS};
use crate::model::testing::{DeviationAnswer, FindingSource};
use crate::model::AssessmentType;

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

/// The SSP's service model code as the template words it.
fn service_model(code: &str) -> String {
    match code.trim().to_ascii_lowercase().as_str() {
        "saas" => "Software as a Service (SaaS)".into(),
        "paas" => "Platform as a Service (PaaS)".into(),
        "iaas" => "Infrastructure as a Service (IaaS)".into(),
        "other" => "Other".into(),
        _ => or_dash(code),
    }
}

/// The SSP's deployment model code as the template words it.
fn deployment_model(code: &str) -> String {
    match code.trim().to_ascii_lowercase().as_str() {
        "public-cloud" => "Public Cloud".into(),
        "private-cloud" => "Private Cloud".into(),
        "community-cloud" => "Community Cloud".into(),
        "government-only-cloud" => "Government-Only Cloud".into(),
        "hybrid-cloud" => "Hybrid Cloud".into(),
        "other" => "Other".into(),
        _ => or_dash(code),
    }
}

const HIGH: Color = Color::rgb(192, 57, 43);
const MODERATE: Color = Color::rgb(230, 126, 34);
const LOW: Color = Color::rgb(241, 196, 15);
const CATEGORY: Color = Color::rgb(41, 98, 155);

/// The applicable laws and guidance the template lists (facts, not placeholders).
const LAWS: [&str; 9] = [
    "Federal Information Security Modernization Act of 2014 (FISMA)",
    "OMB Circular A-130, Managing Information as a Strategic Resource",
    "OMB Memorandum M-24-15, Modernizing the Federal Risk and Authorization Management Program (FedRAMP)",
    "FIPS 199, Standards for Security Categorization of Federal Information and Information Systems",
    "FIPS 200, Minimum Security Requirements for Federal Information and Information Systems",
    "NIST SP 800-37 Rev 2, Risk Management Framework for Information Systems and Organizations",
    "NIST SP 800-53 Rev 5, Security and Privacy Controls for Information Systems and Organizations",
    "NIST SP 800-53A Rev 5, Assessing Security and Privacy Controls in Information Systems and Organizations",
    "NIST SP 800-115, Technical Guide to Information Security Testing and Assessment",
];

/// The RET appendix parts in template order, with their table numbers.
const RET_PARTS: [(RetTab, &str); 4] = [
    (RetTab::Ret, "A-1"),
    (RetTab::Corrected, "A-2"),
    (RetTab::Configuration, "A-3"),
    (RetTab::Pl2, "A-4"),
];

/// The document the PDF is rendered from (public for tests of the content).
pub fn build(input: &SarExportInput, opts: &ExportOptions) -> Document {
    let r = &input.report;
    let e = &r.engagement;
    let s = &r.summary;
    let d = &r.data;
    let sap = &input.sap;
    let cso = or_dash(&e.cso_name);
    let csp = or_dash(&e.csp_name);
    let ia = if e.assessor_org.trim().is_empty() {
        "The independent assessor".to_owned()
    } else {
        e.assessor_org.clone()
    };
    let date = d
        .date
        .map(|x| display_date(Some(x)))
        .unwrap_or_else(|| opts.generated_at.format("%m/%d/%Y").to_string());
    let version = or_dash(&d.version);
    let level = e.impact_level.label();
    let mut b: Vec<Block> = Vec::new();

    // Front matter.
    b.push(Block::heading(1, None, "Document Revision History"));
    b.push(table(
        "Document Revision History",
        vec![
            col("Date", 1.2),
            col("Description", 4.0),
            col("Version", 0.8),
            col("Author", 2.0),
        ],
        vec![vec![
            date.clone(),
            format!(
                "Security Assessment Report for the {} assessment",
                e.assessment_type.label().to_lowercase()
            ),
            version.clone(),
            ia.clone(),
        ]],
        None,
    ));
    b.push(Block::TableOfContents);
    b.push(Block::PageBreak);

    // 1 Introduction.
    b.push(Block::heading(1, Some("1"), "Introduction"));
    b.push(para(format!(
        "This Security Assessment Report (SAR) presents the results of the {} assessment of {cso}, a cloud service \
         offering of {csp}, performed by {ia} at the FedRAMP {level} impact level. It follows the FedRAMP Rev5 SAR \
         template and reports the risks that remained open at the end of the assessment, the risks corrected during \
         testing, and the authorization recommendation of the independent assessor.",
        e.assessment_type.label().to_lowercase()
    )));

    // 2 Executive Summary.
    b.push(Block::heading(1, Some("2"), "Executive Summary"));
    let (model, deployment) = match &input.overview {
        Some(o) => (
            o.cloud_service_model
                .as_deref()
                .map(service_model)
                .unwrap_or_else(|| "—".into()),
            o.cloud_deployment_model
                .as_deref()
                .map(deployment_model)
                .unwrap_or_else(|| "—".into()),
        ),
        None => ("—".into(), "—".into()),
    };
    b.push(table(
        "Table 2-1. System Information",
        vec![col("Field", 2.5), col("Value", 5.5)],
        vec![
            vec!["FedRAMP Unique Identifier".into(), or_dash(&e.package_id)],
            vec!["Cloud Service Provider (CSP) Name".into(), csp.clone()],
            vec!["Cloud Service Offering (CSO) Name".into(), cso.clone()],
            vec!["Service Model".into(), model],
            vec!["Deployment Model".into(), deployment],
            vec!["Impact Level".into(), level.to_owned()],
        ],
        None,
    ));
    b.push(para(assessment_narrative(
        e.assessment_type,
        &ia,
        &cso,
        &csp,
    )));
    let window = r
        .freeze
        .as_ref()
        .map(|f| (Some(f.window.start), Some(f.window.end)))
        .unwrap_or((e.test_window_start, e.test_window_end));
    b.push(para(match window {
        (Some(start), Some(end)) => format!(
            "Testing was performed from {} to {} (the assessment window).",
            display_date(Some(start)),
            display_date(Some(end))
        ),
        _ => "No assessment window has been recorded for this engagement.".to_owned(),
    }));
    b.push(para(r.summary_sentence.clone()));
    b.push(table_2_2(input));
    b.push(para(format!(
        "Besides the open risks above, {} risk(s) were corrected during testing and {} reported weakness(es) were \
         validated as false positives; both are listed in Appendix A, Table A-2.",
        s.corrected, s.false_positives
    )));
    b.extend(charts(input));
    b.push(para("The following types of testing were performed:"));
    if s.test_types.is_empty() {
        b.push(Block::Bullets {
            items: vec!["None recorded".into()],
        });
    } else {
        b.push(Block::Bullets {
            items: s.test_types.clone(),
        });
    }
    b.push(Block::KeyValue {
        rows: vec![(
            "Authorization Recommendation".into(),
            match &d.recommendation {
                Some(rec) => format!("{ia} {}.", rec.statement.label()),
                None => "No authorization recommendation has been recorded for this assessment."
                    .to_owned(),
            },
        )],
    });

    b.push(Block::heading(2, Some("2.1"), "Purpose"));
    b.push(para(format!(
        "This report documents the independent assessment of the security controls of {cso} against the FedRAMP \
         {level} baseline, so that the authorizing official can decide on the authorization with a full view of \
         the remaining risk."
    )));
    b.push(Block::heading(
        2,
        Some("2.2"),
        "Applicable Laws, Regulations, Standards and Guidance",
    ));
    b.push(Block::Bullets {
        items: LAWS.iter().map(|s| (*s).to_owned()).collect(),
    });

    b.push(Block::heading(2, Some("2.3"), "Scope"));
    let sap_date = sap
        .data
        .document
        .date
        .map(|x| format!(", dated {}", display_date(Some(x))))
        .unwrap_or_default();
    b.push(para(format!(
        "The assessment followed the Security Assessment Plan (SAP) version {}{sap_date}{}. The scope is \
         the authorization boundary of {cso} as the System Security Plan describes it.",
        or_dash(&sap.data.document.version),
        match &sap.signing {
            Some(sig) => format!(
                ", signed by {ia} on {} and by {csp} on {}",
                display_date(Some(sig.ia.date)),
                display_date(Some(sig.csp.date))
            ),
            None => String::new(),
        }
    )));
    b.push(table(
        "Table 2-3. Site Names and Addresses",
        vec![
            col("Data Center Site Name", 2.0),
            col("Address", 2.5),
            col("Description of Components", 3.5),
        ],
        sap.data
            .scope
            .locations
            .iter()
            .map(|l| vec![l.name.clone(), or_dash(&l.address), or_dash(&l.description)])
            .collect(),
        None,
    ));
    b.push(Block::heading(3, Some("2.3.1"), "Controls Assessed"));
    b.push(para(format!(
        "{} controls and enhancements were assessed through {} assessable objectives (determination statements) of \
         the FedRAMP {level} baseline selected in the SAP.",
        s.controls_assessed, s.objectives_total
    )));

    // 3 System Overview.
    b.push(Block::heading(1, Some("3"), "System Overview"));
    b.push(Block::heading(2, Some("3.1"), "System Description"));
    match &input.overview {
        Some(o) if !o.description.trim().is_empty() => {
            b.push(para(o.description.clone()));
            b.push(para(format!(
                "The System Security Plan \"{}\" (version {}) lists {} components, {} inventory items and {} \
                 implemented requirements.",
                or_dash(&o.title),
                or_dash(&o.version),
                o.components,
                o.inventory_items,
                o.implemented_requirements
            )));
        }
        _ => b.push(para(
            "No System Security Plan has been imported, so no system description is available.",
        )),
    }

    // 4 Assessment Methodology.
    b.push(Block::heading(1, Some("4"), "Assessment Methodology"));
    b.push(para(format!(
        "{ia} assessed the controls with the examine, interview and test methods of NIST SP 800-53A Rev 5, as the SAP \
         sets out{}.",
        if sap.data.tools.is_empty() {
            String::new()
        } else {
            format!(
                ", supported by the automated tools it lists: {}",
                sap.data
                    .tools
                    .iter()
                    .map(|t| format!("{} {}", t.name, t.version).trim().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )));
    b.push(Block::heading(2, Some("4.1"), "Deviations from the SAP"));
    if r.deviations.is_empty() {
        b.push(Block::Table(Table {
            caption: Some("Table 4-1. Deviations from the SAP".into()),
            columns: vec![
                col("Deviation ID", 1.0),
                col("Deviation Description", 4.0),
                col("Justification", 3.0),
            ],
            rows: vec![vec!["N/A".into(), String::new(), String::new()]],
            font_size: None,
        }));
    } else {
        b.push(table(
            "Table 4-1. Deviations from the SAP",
            vec![
                col("Deviation ID", 1.0),
                col("Deviation Description", 4.0),
                col("Justification", 3.0),
            ],
            r.deviations
                .iter()
                .map(|x| {
                    vec![
                        x.id.clone(),
                        format!("{}: {}", x.section.label(), x.description),
                        or_dash(&x.justification),
                    ]
                })
                .collect(),
            None,
        ));
    }
    match &r.freeze {
        Some(f) => {
            b.push(para(format!(
                "The system was frozen for testing on {}: the SHA-256 of the in-scope SSP content and the test window is \
                 {}. Each re-import of the SSP after the freeze is listed below with whether its content still matched \
                 the frozen baseline.",
                crate::model::sap::display_date_text(&f.at),
                f.sha256
            )));
            b.push(table(
                "Table 4-2. SSP Re-imports after the Freeze",
                vec![
                    col("Date", 1.1),
                    col("Source File", 2.0),
                    col("Content SHA-256", 2.6),
                    col("Matches Freeze", 0.9),
                    col("Changes", 2.4),
                ],
                r.drift
                    .iter()
                    .map(|x| {
                        vec![
                            crate::model::sap::display_date_text(&x.at),
                            x.source_name.clone(),
                            x.content_sha256.clone(),
                            yes_no(x.matches_freeze),
                            or_dash(&x.summary),
                        ]
                    })
                    .collect(),
                None,
            ));
        }
        None => b.push(para(
            "No freeze of the system was recorded for this assessment.",
        )),
    }
    b.push(Block::heading(
        2,
        Some("4.2"),
        "Security Requirements Traceability Matrix (SRTM)",
    ));
    b.push(para(
        "Each assessable objective of the selected controls was tested and its result recorded in the SRTM. The \
         results are summarised below.",
    ));
    b.push(table(
        "Table 4-3. SRTM Results",
        vec![col("Result", 4.0), col("Objectives", 1.5)],
        vec![
            vec!["Satisfied".into(), s.objectives_satisfied.to_string()],
            vec![
                "Other Than Satisfied".into(),
                s.objectives_other_than_satisfied.to_string(),
            ],
            vec!["Not tested".into(), s.objectives_untested.to_string()],
            vec!["Total".into(), s.objectives_total.to_string()],
        ],
        None,
    ));
    b.push(Block::heading(2, Some("4.3"), "Consideration of Threats"));
    b.push(para(
        "Risk exposure was rated with the FedRAMP likelihood and impact scale (NIST SP 800-30), considering the \
         threat sources and events relevant to a cloud service offering and the mitigating factors in place.",
    ));
    if !d.threats_note.trim().is_empty() {
        b.push(para(d.threats_note.clone()));
    }
    b.push(Block::heading(2, Some("4.4"), "Document Results"));
    b.push(para(document_results(input)));

    // 5 Interconnected systems.
    b.push(Block::heading(
        1,
        Some("5"),
        "Risks Known for Interconnected Systems and External Services",
    ));
    b.push(para(if d.interconnections_note.trim().is_empty() {
        "No risks for interconnected systems or external services were recorded beyond those listed in the RET."
            .to_owned()
    } else {
        d.interconnections_note.clone()
    }));

    // Signatures.
    b.push(Block::heading(1, None, "Independent Assessor Attestation"));
    b.push(para(format!(
        "{ia} attests that this report presents the results of its independent assessment of {cso}."
    )));
    b.push(Block::Signature {
        rows: signature_rows(input),
    });

    // Appendix A.
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

    // Appendix C.
    b.push(Block::heading(
        1,
        None,
        "Appendix C: Vulnerability Scan Results",
    ));
    b.extend(coverage_blocks(input));

    // Appendix D.
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

    // Appendix E.
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
        blocks: b,
    }
}

fn assessment_narrative(kind: AssessmentType, ia: &str, cso: &str, csp: &str) -> String {
    match kind {
        AssessmentType::Initial => format!(
            "{ia} performed the initial assessment of {cso} for {csp} to support its FedRAMP authorization, \
             assessing the controls of the FedRAMP baseline selected in the SAP."
        ),
        AssessmentType::Annual => format!(
            "{ia} performed the annual assessment of {cso} for {csp} to support its continued FedRAMP authorization. \
             The assessment covered the core controls and the controls selected for this year, as listed in the SAP."
        ),
        AssessmentType::Scr => format!(
            "{ia} performed the significant change assessment of {cso} for {csp}. The assessment covered the \
             controls affected by the significant change, as listed in the SAP."
        ),
    }
}

/// Table 2-2 with the v5.0 columns, from the computed counts.
fn table_2_2(input: &SarExportInput) -> Block {
    let t = &input.report.table_2_2;
    // Widths in points of the 498 pt text width: each header's longest word fits unbroken.
    const WIDTHS: [f32; 10] = [38.0, 54.0, 54.0, 44.0, 36.0, 36.0, 36.0, 46.0, 36.0, 36.0];
    let mut columns = vec![col("Category", 80.0)];
    columns.extend(TABLE_2_2_COLUMNS.iter().zip(WIDTHS).map(|(c, w)| col(c, w)));
    let mut rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|line| {
            let mut row = vec![line.label.clone()];
            row.extend(line.counts.cells().iter().map(u32::to_string));
            row
        })
        .collect();
    let mut total = vec!["Total Risks".to_owned()];
    total.extend(t.total.cells().iter().map(u32::to_string));
    rows.push(total);
    Block::Table(Table {
        caption: Some(
            "Table 2-2. Summary of Risks that Remained Open at the Conclusion of this Assessment"
                .into(),
        ),
        columns,
        rows,
        font_size: Some(6.5),
    })
}

/// The two open-risk charts, stacked (assay-pdf lays blocks out one under the other): by
/// level and by Table 2-2 category.
fn charts(input: &SarExportInput) -> Vec<Block> {
    let s = &input.report.summary;
    let bar = |label: &str, value: u32, color: Color| Bar {
        label: label.into(),
        value: f64::from(value),
        color,
    };
    vec![
        Block::BarChart(BarChart {
            title: "Open Risks by Risk Level".into(),
            bars: vec![
                bar("High", s.open_high, HIGH),
                bar("Moderate", s.open_moderate, MODERATE),
                bar("Low", s.open_low, LOW),
            ],
            axis_label: Some("Open risks".into()),
            height_mm: Some(40.0),
        }),
        Block::BarChart(BarChart {
            title: "Open Risks by Category".into(),
            bars: s
                .open_by_category
                .iter()
                .map(|(label, n)| bar(label, *n, CATEGORY))
                .collect(),
            axis_label: Some("Open risks".into()),
            height_mm: Some(40.0),
        }),
    ]
}

/// Section 4.4: what the results consist of, with the real counts.
fn document_results(input: &SarExportInput) -> String {
    let r = &input.report;
    let open = r.items.iter().filter(|i| i.tab.is_open()).count();
    format!(
        "The results of each test were recorded against its objective in the SRTM. Every weakness found is listed in \
         the risk exposure table (Appendix A): {open} open risk(s) and {} closed during testing. The results of the \
         {} scan file(s) imported are summarised in Appendix C, and the {} evidence item(s) the results rest on are \
         listed in Appendix E.",
        r.items.len() - open,
        r.scan_files.len(),
        r.evidence.len()
    )
}

fn signature_rows(input: &SarExportInput) -> Vec<SignatureRow> {
    let ia = &input.report.engagement.assessor_org;
    let role = |i: usize| {
        let base = if i == 0 {
            "Lead Assessor"
        } else if i == 1 {
            "3PAO Authorized Official"
        } else {
            "Assessor"
        };
        if ia.trim().is_empty() {
            base.to_owned()
        } else {
            format!("{base}, {ia}")
        }
    };
    let sigs = &input.report.data.signatures;
    if sigs.is_empty() {
        return (0..2)
            .map(|i| SignatureRow {
                role: role(i),
                ..SignatureRow::default()
            })
            .collect();
    }
    sigs.iter()
        .enumerate()
        .map(|(i, s)| SignatureRow {
            role: role(i),
            name: s.name.clone(),
            title: s.title.clone(),
            date: display_date(Some(s.date)),
        })
        .collect()
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
