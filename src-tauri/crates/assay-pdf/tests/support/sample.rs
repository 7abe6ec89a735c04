//! A SAR-like sample document exercising every block type (shared by the integration tests and
//! the `render_sample` example). The content is invented for testing.

use assay_pdf::{Align, Bar, BarChart, Block, Color, Column, Cover, Document, SignatureRow, Table};

pub const MARKING: &str = "CONTROLLED UNCLASSIFIED INFORMATION";
pub const TABLE_ROWS: usize = 300;

/// Heading (level, number, text) in document order.
pub fn headings(doc: &Document) -> Vec<(u8, String, String)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level,
                number,
                text,
            } => Some((*level, number.clone().unwrap_or_default(), text.clone())),
            _ => None,
        })
        .collect()
}

fn words(n: usize, seed: usize) -> String {
    const VOCAB: [&str; 16] = [
        "account",
        "review",
        "privileged",
        "users",
        "quarterly",
        "evidence",
        "configuration",
        "baseline",
        "encryption",
        "boundary",
        "logging",
        "retention",
        "vulnerability",
        "remediation",
        "scanner",
        "inventory",
    ];
    (0..n)
        .map(|i| VOCAB[(seed * 7 + i * 3) % VOCAB.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn sample_document() -> Document {
    let para =
        "This Security Assessment Report documents the results of the independent assessment of \
        the Acme Cloud Platform performed against the FedRAMP Moderate baseline. The assessment \
        examined documentation, interviewed personnel and tested the implementation of every \
        control in scope; results are recorded per assessment objective, and every weakness that \
        remained open at the end of testing is carried into the Plan of Action and Milestones.";
    let mut blocks = vec![
        Block::TableOfContents,
        Block::heading(1, Some("1"), "Introduction"),
        Block::paragraph(para),
        Block::heading(2, Some("1.1"), "Purpose"),
        Block::paragraph(format!("{para} {para}")),
        Block::Paragraph {
            text: "Unicode check: café, “curly quotes”, en–dash, € euro, ✓ check, ≤ ≥.".into(),
            align: Align::Left,
        },
        Block::heading(3, Some("1.1.1"), "Applicable Laws and Standards"),
        Block::Bullets {
            items: vec![
                "NIST SP 800-53 Rev5, Security and Privacy Controls for Information Systems and Organizations".into(),
                "NIST SP 800-53A Rev5, Assessing Security and Privacy Controls".into(),
                format!("FedRAMP Security Assessment Framework; {}", words(30, 3)),
            ],
        },
        Block::heading(3, Some("1.1.2"), "Assessment Team"),
        Block::KeyValue {
            rows: vec![
                ("Lead Assessor".into(), "Jordan Example, CISSP".into()),
                ("Penetration Tester".into(), "Sam Placeholder, OSCP".into()),
                ("Scope".into(), words(40, 5)),
            ],
        },
        Block::heading(2, Some("1.2"), "System Overview"),
        Block::paragraph(para),
        Block::heading(1, Some("2"), "Summary of Risks"),
        Block::BarChart(BarChart {
            title: "Open Risks by Risk Level".into(),
            bars: vec![
                Bar { label: "High".into(), value: 3.0, color: Color::rgb(192, 40, 40) },
                Bar { label: "Moderate".into(), value: 12.0, color: Color::rgb(230, 140, 30) },
                Bar { label: "Low".into(), value: 7.0, color: Color::rgb(60, 130, 190) },
            ],
            axis_label: Some("Open risks".into()),
            height_mm: Some(55.0),
        }),
        Block::BarChart(BarChart {
            title: "Open Risks by Category".into(),
            bars: ["Access Control", "Audit and Accountability", "Configuration Management",
                "Identification and Authentication", "System and Communications Protection",
                "Vulnerability Scanning"]
                .iter()
                .enumerate()
                .map(|(i, l)| Bar {
                    label: (*l).into(),
                    value: [4.0, 2.0, 6.0, 1.0, 3.0, 9.0][i],
                    color: Color::rgb(31, 59, 107),
                })
                .collect(),
            axis_label: None,
            height_mm: None,
        }),
        Block::heading(1, Some("3"), "Risk Exposure Table"),
        Block::paragraph("Every risk that remained open at the end of the assessment is listed below."),
    ];
    let rows = (1..=TABLE_ROWS)
        .map(|i| {
            let description = if i == 150 {
                // One row far taller than a page, to exercise row splitting.
                words(1400, i)
            } else {
                words(10 + (i * 13) % 50, i)
            };
            vec![
                format!("R-{i:04}"),
                ["AC-2", "AU-6", "CM-7(1)", "IA-5(1)(a)", "SC-28"][i % 5].to_string(),
                format!("Weakness {i}: {}", words(4 + i % 9, i + 1)),
                description,
                ["High", "Moderate", "Low"][i % 3].to_string(),
                if i % 11 == 0 {
                    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into()
                } else {
                    ["Open", "Operationally Required", "Risk Adjusted"][i % 3].to_string()
                },
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        caption: Some("Table 3-1. Risk Exposure".into()),
        columns: vec![
            Column {
                title: "Risk ID".into(),
                width: 8.0,
            },
            Column {
                title: "Control".into(),
                width: 9.0,
            },
            Column {
                title: "Weakness".into(),
                width: 22.0,
            },
            Column {
                title: "Description".into(),
                width: 34.0,
            },
            Column {
                title: "Risk Level".into(),
                width: 10.0,
            },
            Column {
                title: "Status".into(),
                width: 14.0,
            },
        ],
        rows,
        font_size: None,
    }));
    blocks.extend([
        Block::heading(2, Some("3.1"), "Deviations"),
        Block::paragraph(para),
        Block::PageBreak,
        Block::heading(1, Some("4"), "Attestation"),
        Block::paragraph("The undersigned attest that the assessment was performed as described."),
        Block::Signature {
            rows: vec![
                SignatureRow {
                    role: "Lead Assessor".into(),
                    name: "Jordan Example".into(),
                    title: "Principal, Example 3PAO LLC".into(),
                    date: "03/14/2026".into(),
                },
                SignatureRow {
                    role: "3PAO Quality Reviewer".into(),
                    name: "Casey Sample".into(),
                    title: "Quality Manager".into(),
                    date: String::new(),
                },
            ],
        },
    ]);
    Document {
        title: "Security Assessment Report: Acme Cloud Platform".into(),
        subtitle: "FedRAMP Moderate annual assessment".into(),
        marking: MARKING.into(),
        running_title: "Acme Cloud Platform | Security Assessment Report".into(),
        cover: Cover {
            organisation_line: "FedRAMP Rev5 Independent Assessment".into(),
            title: "Security Assessment Report".into(),
            subtitle: "Acme Cloud Platform (ACP), FedRAMP Moderate".into(),
            fields: vec![
                ("Cloud Service Provider".into(), "Acme Cloud, Inc.".into()),
                (
                    "Cloud Service Offering".into(),
                    "Acme Cloud Platform".into(),
                ),
                ("FedRAMP Package ID".into(), "FR0000000000".into()),
                ("Version".into(), "1.0".into()),
                ("Date".into(), "03/14/2026".into()),
            ],
            prepared_by: vec![
                "Example 3PAO LLC".into(),
                "100 Example Way, Suite 200".into(),
                "Arlington, VA 22201".into(),
            ],
            prepared_for: vec![
                "Acme Cloud, Inc.".into(),
                "500 Placeholder Avenue".into(),
                "Reston, VA 20190".into(),
            ],
        },
        blocks,
    }
}
