//! The appendices of the SAP PDF: A (control selection and test cases), B (sampling), C (the
//! penetration test plan), D (significant change documentation, for significant change
//! assessments only) and the deviations from the signed plan, one function each.
//!
//! Invariant: pure; each function reads only the SAP data it is given; the test cases list the
//! objectives of the selected controls only, in catalog order.

use assay_pdf::{Block, Table};

use super::{table, Names};
use crate::model::sap::{Sap, SapData};
use crate::pdf_parts::{col, or_dash, para, yes_no};
use crate::SapExportInput;

/// Appendix A: the control selection worksheet and the test cases (the selected controls'
/// objectives and methods).
pub(super) fn appendix_a(input: &SapExportInput, n: &Names) -> Vec<Block> {
    let d = &input.sap.data;
    let Names { cso, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::PageBreak);
    b.push(Block::heading(
        1,
        None,
        format!("Appendix A: FedRAMP {cso} Security Controls Selection Worksheet"),
    ));
    let selected = d.control_selection.iter().filter(|c| c.included).count();
    b.push(para(format!(
        "{selected} of the {} controls and enhancements of the baseline are selected for this assessment.",
        d.control_selection.len()
    )));
    b.push(Block::Table(Table {
        caption: Some("Table A-1. Control Selection".into()),
        columns: vec![
            col("Control", 1.1),
            col("Title", 3.2),
            col("Core", 0.6),
            col("Selected", 0.8),
            col("Reason", 3.3),
        ],
        rows: d
            .control_selection
            .iter()
            .map(|c| {
                vec![
                    c.label.clone(),
                    c.title.clone(),
                    yes_no(c.core),
                    yes_no(c.included),
                    c.reason.clone(),
                ]
            })
            .collect(),
        font_size: Some(7.0),
    }));
    b.push(Block::heading(2, Some("A.1"), "Test Cases"));
    b.push(para(
        "For each selected control, the assessable objectives (determination statements) and the methods used to test them.",
    ));
    let labels: std::collections::HashMap<&str, &str> = d
        .control_selection
        .iter()
        .filter(|c| c.included)
        .map(|c| (c.control_id.as_str(), c.label.as_str()))
        .collect();
    let rows: Vec<Vec<String>> = input
        .objectives
        .iter()
        .filter_map(|o| {
            labels.get(o.control_id.as_str()).map(|label| {
                vec![
                    (*label).to_owned(),
                    if o.label.is_empty() {
                        o.id.clone()
                    } else {
                        o.label.clone()
                    },
                    o.text.clone(),
                    o.methods.join(", "),
                ]
            })
        })
        .collect();
    b.push(Block::Table(Table {
        caption: Some("Table A-2. Test Cases".into()),
        columns: vec![
            col("Control", 1.0),
            col("Objective", 1.3),
            col("Determination Statement", 5.0),
            col("Methods", 1.7),
        ],
        rows: if rows.is_empty() {
            vec![vec![
                "None".into(),
                String::new(),
                String::new(),
                String::new(),
            ]]
        } else {
            rows
        },
        font_size: Some(7.0),
    }));
    b
}

/// Appendix B: the sampling methodology and decisions.
pub(super) fn appendix_b(d: &SapData) -> Vec<Block> {
    let m = &d.methodology;
    vec![
        Block::heading(1, None, "Appendix B: Sampling Methodology"),
        para(m.sampling.clone()),
        table(
            "Table B-1. Sampling Decisions",
            vec![col("Area", 2.5), col("Sampled", 0.8), col("Method", 4.7)],
            d.sampling
                .iter()
                .map(|s| vec![s.area.clone(), yes_no(s.sampled), or_dash(&s.method)])
                .collect(),
        ),
    ]
}

/// Appendix C: the attack vectors, threat models and methodology of the penetration test.
pub(super) fn appendix_c(d: &SapData) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    let p = &d.penetration_test;
    b.push(Block::heading(
        1,
        None,
        "Appendix C: Penetration Testing Plan and Methodology",
    ));
    b.push(para(
        "FedRAMP requires every penetration test to cover the six attack vectors below; a vector judged not applicable \
         carries its rationale here and in the penetration test report.",
    ));
    b.push(table(
        "Table C-1. Attack Vectors",
        vec![
            col("Attack Vector", 2.4),
            col("Description", 3.8),
            col("Applicable", 0.9),
            col("Rationale if Not Applicable", 2.2),
        ],
        p.vectors
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.description.clone(),
                    yes_no(v.applicable),
                    if v.applicable {
                        String::new()
                    } else {
                        v.rationale.clone()
                    },
                ]
            })
            .collect(),
    ));
    b.push(table(
        "Table C-2. Threat Models",
        vec![
            col("Category", 3.0),
            col("Threat Model", 4.2),
            col("Selected", 0.8),
        ],
        p.threat_models
            .iter()
            .map(|t| vec![t.category.clone(), t.name.clone(), yes_no(t.selected)])
            .collect(),
    ));
    b.push(para(p.methodology.clone()));
    b
}

/// Appendix D (significant change assessments only): the change request documentation and its
/// roles.
pub(super) fn appendix_d(d: &SapData, n: &Names) -> Vec<Block> {
    if !n.scr {
        return Vec::new();
    }
    let mut b: Vec<Block> = Vec::new();
    let s = &d.significant_change;
    b.push(Block::heading(
        1,
        None,
        "Appendix D: Significant Change Request Documentation",
    ));
    b.push(para(or_dash(&s.description)));
    if !s.request_references.is_empty() {
        b.push(Block::Bullets {
            items: s.request_references.clone(),
        });
    }
    b.push(table(
        "Table D-1. Roles Introduced by the Significant Change",
        vec![
            col("Role Name", 2.5),
            col("Test User ID", 2.0),
            col("Associated Functions", 3.5),
        ],
        d.roles
            .iter()
            .filter(|r| r.tested)
            .map(|r| {
                vec![
                    r.role.clone(),
                    or_dash(&r.test_user_id),
                    or_dash(&r.functions),
                ]
            })
            .collect(),
    ));
    b
}

/// The deviations from the signed plan, when there are any.
pub(super) fn deviations(sap: &Sap) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    if !sap.deviations.is_empty() {
        b.push(Block::heading(1, None, "Deviations from the Signed Plan"));
        b.push(table(
            "Deviations",
            vec![
                col("ID", 0.8),
                col("Section", 1.5),
                col("Change", 3.5),
                col("Justification", 2.7),
            ],
            sap.deviations
                .iter()
                .map(|x| {
                    vec![
                        x.id.clone(),
                        x.section.label().to_owned(),
                        x.description.clone(),
                        x.justification.clone(),
                    ]
                })
                .collect(),
        ));
    }
    b
}
