//! The body of the SAR PDF: the revision history and contents, Sections 1–5 of the FedRAMP Rev5
//! SAR template (with Table 2-1, Table 2-2 and the open-risk charts) and the assessor's
//! attestation, one function per section or group of subsections, each returning its blocks.
//!
//! Invariant: pure; every figure printed is read from the computed report, never counted here,
//! and a missing value (recommendation, window, freeze, SSP) is said to be missing.

use assay_pdf::{Bar, BarChart, Block, Color, SignatureRow, Table};

use super::Names;
use crate::model::sap::display_date;
use crate::model::sar::TABLE_2_2_COLUMNS;
use crate::model::AssessmentType;
use crate::pdf_parts::{col, or_dash, para, table, yes_no};
use crate::SarExportInput;

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

/// The revision history and the table of contents.
pub(super) fn front_matter(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let e = &r.engagement;
    let Names {
        ia, date, version, ..
    } = n;
    vec![
        Block::heading(1, None, "Document Revision History"),
        table(
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
        ),
        Block::TableOfContents,
        Block::PageBreak,
    ]
}

/// Section 1: what the report presents.
pub(super) fn introduction(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let e = &r.engagement;
    let Names { cso, csp, ia, .. } = n;
    let level = n.level;
    vec![
        Block::heading(1, Some("1"), "Introduction"),
        para(format!(
            "This Security Assessment Report (SAR) presents the results of the {} assessment of {cso}, a cloud service \
             offering of {csp}, performed by {ia} at the FedRAMP {level} impact level. It follows the FedRAMP Rev5 SAR \
             template and reports the risks that remained open at the end of the assessment, the risks corrected during \
             testing, and the authorization recommendation of the independent assessor.",
            e.assessment_type.label().to_lowercase()
        )),
    ]
}

/// Section 2: Table 2-1, the assessment and its window, Table 2-2 and the open-risk charts, the
/// types of testing and the recommendation.
pub(super) fn executive_summary(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let e = &r.engagement;
    let s = &r.summary;
    let d = &r.data;
    let Names { cso, csp, ia, .. } = n;
    let level = n.level;
    let mut b: Vec<Block> = Vec::new();
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
    b.push(para(assessment_narrative(e.assessment_type, ia, cso, csp)));
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
    b
}

/// Sections 2.1 to 2.3.1: purpose, applicable laws, the scope (the SAP followed, the sites) and the
/// controls assessed.
pub(super) fn purpose_and_scope(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let s = &r.summary;
    let sap = &input.sap;
    let Names { cso, csp, ia, .. } = n;
    let level = n.level;
    let mut b: Vec<Block> = Vec::new();
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
    b
}

/// Section 3: the system description from the SSP.
pub(super) fn system_overview(input: &SarExportInput) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
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
    b
}

/// Sections 4 and 4.1: the methods and tools, the deviations from the SAP and the freeze with the
/// SSP re-imports after it.
pub(super) fn methodology(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let r = &input.report;
    let sap = &input.sap;
    let Names { ia, .. } = n;
    let mut b: Vec<Block> = Vec::new();
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
    b
}

/// Sections 4.2 to 4.4: the SRTM results, the consideration of threats and what the results consist
/// of.
pub(super) fn srtm_and_results(input: &SarExportInput) -> Vec<Block> {
    let r = &input.report;
    let s = &r.summary;
    let d = &r.data;
    let mut b = vec![
        Block::heading(
            2,
            Some("4.2"),
            "Security Requirements Traceability Matrix (SRTM)",
        ),
        para(
            "Each assessable objective of the selected controls was tested and its result recorded in the SRTM. The \
             results are summarised below.",
        ),
        table(
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
        ),
        Block::heading(2, Some("4.3"), "Consideration of Threats"),
        para(
            "Risk exposure was rated with the FedRAMP likelihood and impact scale (NIST SP 800-30), considering the \
             threat sources and events relevant to a cloud service offering and the mitigating factors in place.",
        ),
    ];
    if !d.threats_note.trim().is_empty() {
        b.push(para(d.threats_note.clone()));
    }
    b.push(Block::heading(2, Some("4.4"), "Document Results"));
    b.push(para(document_results(input)));
    b
}

/// Section 5: risks known for interconnected systems and external services.
pub(super) fn interconnections(input: &SarExportInput) -> Vec<Block> {
    let r = &input.report;
    let d = &r.data;
    vec![
        Block::heading(
            1,
            Some("5"),
            "Risks Known for Interconnected Systems and External Services",
        ),
        para(if d.interconnections_note.trim().is_empty() {
            "No risks for interconnected systems or external services were recorded beyond those listed in the RET."
                .to_owned()
        } else {
            d.interconnections_note.clone()
        }),
    ]
}

/// The independent assessor's attestation and signatures.
pub(super) fn attestation(input: &SarExportInput, n: &Names) -> Vec<Block> {
    let Names { cso, ia, .. } = n;
    vec![
        Block::heading(1, None, "Independent Assessor Attestation"),
        para(format!(
            "{ia} attests that this report presents the results of its independent assessment of {cso}."
        )),
        Block::Signature {
            rows: signature_rows(input),
        },
    ]
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
