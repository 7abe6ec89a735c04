//! Unit tests for the shared workbook machinery: the column tables, text and date limits.

use std::collections::BTreeSet;

use super::poam::POAM_COLUMNS;
use super::ret::{RET_COLUMNS, RET_ID_HEADER};
use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn header_set<R>(cols: &[Column<R>]) -> BTreeSet<&'static str> {
    cols.iter().map(|c| c.header).collect()
}

#[test]
fn column_headers_are_unique_so_lookup_by_header_is_unambiguous() {
    assert_eq!(header_set(POAM_COLUMNS).len(), POAM_COLUMNS.len());
    assert_eq!(header_set(RET_COLUMNS).len(), RET_COLUMNS.len());
}

#[test]
fn ret_columns_other_than_the_id_are_poam_columns_with_the_same_rule_and_kind() {
    for rc in RET_COLUMNS.iter().filter(|c| c.header != RET_ID_HEADER) {
        let pc = POAM_COLUMNS
            .iter()
            .find(|p| p.header == rc.header)
            .unwrap_or_else(|| panic!("{} is not a POA&M column", rc.header));
        assert!(pc.kind == rc.kind, "{}", rc.header);
        assert_eq!(
            format!("{:?}", pc.rule.map(describe)),
            format!("{:?}", rc.rule.map(describe)),
            "{}",
            rc.header
        );
    }
}

/// A comparable description of a rule.
fn describe(r: Rule) -> String {
    match r {
        Rule::List { values, prompt } => format!("list {values:?} {prompt}"),
        Rule::DateNot(d) => format!("not {d:?}"),
        Rule::DateAfter(d) => format!("after {d:?}"),
    }
}

fn check_date_rules<R>(cols: &[Column<R>]) {
    for c in cols {
        if let Some(Rule::DateNot(_) | Rule::DateAfter(_)) = c.rule {
            assert!(c.kind == Kind::Date, "{} has a date rule", c.header);
        }
        if let Some(Rule::List { .. }) = c.rule {
            assert!(c.kind == Kind::Text, "{} has a drop-down", c.header);
        }
    }
}

#[test]
fn date_columns_and_date_rules_go_together() {
    check_date_rules(POAM_COLUMNS);
    check_date_rules(RET_COLUMNS);
}

#[test]
fn rule_dates_are_the_templates_serial_numbers() {
    // The template stores the bounds as Excel serials: 29221, 1 and 36526.
    // Excel counts a 29 February 1900 that never was, so days before March 1900 count from
    // 31 December 1899 and later days from 30 December 1899.
    let serial = |(y, m, d): Ymd| {
        let date = day(i32::from(y), u32::from(m), u32::from(d));
        let epoch = if date < day(1900, 3, 1) {
            day(1899, 12, 31)
        } else {
            day(1899, 12, 30)
        };
        (date - epoch).num_days()
    };
    let rules: Vec<(&str, Rule)> = POAM_COLUMNS
        .iter()
        .filter_map(|c| c.rule.map(|r| (c.header, r)))
        .collect();
    let find = |h: &str| rules.iter().find(|(n, _)| *n == h).map(|(_, r)| *r);
    assert!(
        matches!(find("Original Detection Date"), Some(Rule::DateNot(d)) if serial(d) == 29221)
    );
    assert!(matches!(find("Scheduled Completion Date"), Some(Rule::DateNot(d)) if serial(d) == 1));
    assert!(matches!(find("Status Date"), Some(Rule::DateAfter(d)) if serial(d) == 36526));
}

#[test]
fn cell_text_limit_is_counted_in_utf16_units() {
    let ok = "a".repeat(MAX_CELL_TEXT);
    assert!(check_text(&ok, "tab row 6", "Comments").is_ok());
    let long = "a".repeat(MAX_CELL_TEXT + 1);
    let msg = check_text(&long, "tab row 6", "Comments")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("tab row 6, Comments: "), "{msg}");
    // 16,384 emoji are 32,768 UTF-16 units (over) though only 16,384 characters.
    let wide = "😀".repeat(16_384);
    assert!(check_text(&wide, "t", "c").is_err());
    // 10,000 three-byte characters are 30,000 bytes and 10,000 units (under).
    let cjk = "漢".repeat(10_000);
    assert!(check_text(&cjk, "t", "c").is_ok());
}

#[test]
fn excel_date_range_is_1900_to_9999() {
    for (d, ok) in [
        (day(1900, 1, 1), true),
        (day(9999, 12, 31), true),
        (day(2026, 2, 28), true),
        (day(1899, 12, 31), false),
        (day(10_000, 1, 1), false),
        (day(-5, 1, 1), false),
    ] {
        assert_eq!(excel_date(d, "t", "c").is_ok(), ok, "{d}");
    }
}

#[test]
fn ratings_and_answers_print_as_the_template_lists_spell_them() {
    let Rule::List { values, .. } = ADJUSTED_RATINGS else {
        panic!("adjusted ratings are a list");
    };
    for r in RiskLevel::ALL {
        assert!(values.contains(&adjusted(Some(*r))));
    }
    assert!(values.contains(&adjusted(None)));
    let Rule::List { values, .. } = YES_NO_PENDING else {
        panic!("deviations are a list");
    };
    for a in crate::model::testing::DeviationAnswer::ALL {
        assert!(values.contains(&a.label()));
    }
    let Rule::List { values, .. } = YES_NO else {
        panic!("vendor dependency is a list");
    };
    assert!(values.contains(&yes_no(true)) && values.contains(&yes_no(false)));
}

/// A POA&M of five items on three tabs and the RET written from the same rows (tabs by rating:
/// the RET groups differently from the POA&M, as real ones do).
pub(crate) fn sample_rows() -> (RetWorkbook, PoamWorkbook) {
    use crate::model::testing::{DeviationAnswer, RiskLevel};
    let header = WorkbookHeader {
        csp: "Harbor Cloud LLC".into(),
        system_name: "Harbor Records Service".into(),
        impact_level: "Moderate".into(),
        date: day(2026, 5, 8),
    };
    let row = |i: usize, rating: RiskLevel, source: &str| PoamRow {
        poam_id: format!("HC-{i:03}"),
        controls: "SI-2".into(),
        weakness_name: format!("Weakness {i} & <friends>"),
        weakness_description: "Out-of-date package.".into(),
        weakness_detector_source: source.into(),
        weakness_source_identifier: format!("{}", 1000 + i),
        asset_identifier: "app-01".into(),
        point_of_contact: "ISSO".into(),
        resources_required: String::new(),
        overall_remediation_plan: "Patch.".into(),
        original_detection_date: day(2026, 4, 1),
        scheduled_completion_date: day(2026, 5, 1),
        planned_milestones: String::new(),
        milestone_changes: String::new(),
        status_date: Some(day(2026, 5, 8)),
        vendor_dependency: false,
        last_vendor_check_in_date: None,
        vendor_dependent_product_name: String::new(),
        original_risk_rating: rating,
        adjusted_risk_rating: None,
        risk_adjustment: DeviationAnswer::No,
        false_positive: DeviationAnswer::No,
        operational_requirement: DeviationAnswer::No,
        deviation_rationale: String::new(),
        supporting_documents: String::new(),
        comments: String::new(),
        auto_approve: None,
        bod_22_01_tracking: false,
        bod_22_01_due_date: None,
        cve: String::new(),
        service_name: String::new(),
    };
    let poam = PoamWorkbook {
        header: header.clone(),
        open: vec![
            row(1, RiskLevel::High, "Nessus"),
            row(2, RiskLevel::Moderate, "Assessment Test Case"),
            row(3, RiskLevel::Low, "OWASP ZAP"),
        ],
        closed: vec![row(4, RiskLevel::Moderate, "Penetration Test")],
        configuration: vec![row(5, RiskLevel::Moderate, "Nessus Compliance")],
    };
    let ret = RetWorkbook {
        header,
        ret: poam.open[..2].iter().map(RetRow::from).collect(),
        corrected: poam.closed.iter().map(RetRow::from).collect(),
        configuration: poam.configuration.iter().map(RetRow::from).collect(),
        pl2: poam.open[2..].iter().map(RetRow::from).collect(),
    };
    (ret, poam)
}
