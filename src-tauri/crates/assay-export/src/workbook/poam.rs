//! The FedRAMP POA&M workbook, laid out after the FedRAMP POA&M template v2.1 (2024-03-29):
//! tabs "Open POA&M Items", "Closed POA&M Items", "Configuration Findings" and "Record of
//! Changes"; header block on rows 2–3 (D3 = the POA&M date, which the RIC reads); column headers
//! on row 5; one item per row from row 6.
//!
//! Invariant: [`POAM_COLUMNS`] is the only place that knows the template's column headers and
//! order; the header strings are checked against the official template file by the tests.

use chrono::NaiveDate;

use super::{
    adjusted, date, excel_date, new_workbook, opt_date, pick, text, write_header_block,
    write_table, writer_error, yes_no, Cell, Column, Rule, Styles, WorkbookHeader, Ymd,
    ADJUSTED_RATINGS, RATINGS, YES_NO, YES_NO_PENDING,
};
use crate::error::Result;
use crate::model::testing::{DeviationAnswer, RiskLevel};

/// One POA&M item: one field per column of the FedRAMP POA&M template v2.1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoamRow {
    /// POAM ID (any scheme; assessors reuse it for RET IDs).
    pub poam_id: String,
    /// Controls: 800-53 control ids, comma-separated.
    pub controls: String,
    pub weakness_name: String,
    pub weakness_description: String,
    /// e.g. the scanner name, "Assessment Test Case", "Penetration Test".
    pub weakness_detector_source: String,
    /// Plugin id, CVE or "None".
    pub weakness_source_identifier: String,
    /// Asset ids with port/protocol; several assets newline-separated.
    pub asset_identifier: String,
    pub point_of_contact: String,
    pub resources_required: String,
    pub overall_remediation_plan: String,
    pub original_detection_date: NaiveDate,
    pub scheduled_completion_date: NaiveDate,
    pub planned_milestones: String,
    pub milestone_changes: String,
    pub status_date: Option<NaiveDate>,
    /// Written "Yes" / "No".
    pub vendor_dependency: bool,
    pub last_vendor_check_in_date: Option<NaiveDate>,
    pub vendor_dependent_product_name: String,
    pub original_risk_rating: RiskLevel,
    /// `None` is written "N/A" (no adjustment).
    pub adjusted_risk_rating: Option<RiskLevel>,
    pub risk_adjustment: DeviationAnswer,
    pub false_positive: DeviationAnswer,
    pub operational_requirement: DeviationAnswer,
    pub deviation_rationale: String,
    pub supporting_documents: String,
    pub comments: String,
    /// Written "Yes" / "No"; `None` leaves the cell blank.
    pub auto_approve: Option<bool>,
    /// Binding Operational Directive 22-01 tracking: the weakness is in CISA's KEV catalog.
    /// Written "Yes" / "No".
    pub bod_22_01_tracking: bool,
    /// The KEV due date, when the weakness is in the catalog.
    pub bod_22_01_due_date: Option<NaiveDate>,
    /// CVE ids, comma-separated.
    pub cve: String,
    /// The service within the offering (added in template v2.1).
    pub service_name: String,
}

/// The whole POA&M: header block and the items of each tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoamWorkbook {
    pub header: WorkbookHeader,
    /// "Open POA&M Items": open risks, including ORs and VDs.
    pub open: Vec<PoamRow>,
    /// "Closed POA&M Items": remediated and validated, including validated false positives.
    pub closed: Vec<PoamRow>,
    /// "Configuration Findings": individual CM-6 items.
    pub configuration: Vec<PoamRow>,
}

/// The tab names, in template order.
pub const POAM_TABS: [&str; 3] = [
    "Open POA&M Items",
    "Closed POA&M Items",
    "Configuration Findings",
];
/// The template's fourth tab.
pub const RECORD_OF_CHANGES_TAB: &str = "Record of Changes";

/// The title in A1 of the Open tab (the template's other tabs drop the ® sign).
const OPEN_TITLE: &str = "FedRAMP® Plan of Action and Milestones (POA&M) Template";
const OTHER_TITLE: &str = "FedRAMP Plan of Action and Milestones (POA&M) Template";
/// Header block labels, A2..D2.
const HEADER_LABELS: [&str; 4] = ["CSP", "System Name", "Impact Level", "POAM Date"];
/// The template version this layout follows.
const TEMPLATE_VERSION: &str = "2.1";

/// The ID column's header on the template's row 5.
pub const POAM_ID_HEADER: &str = "POAM ID";

/// The template's columns A..AE, in order: header text (exactly as on row 5 of the template),
/// width, drop-down or date rule (as the template's `dataValidation` elements define them) and
/// the accessor. The template also puts a "decimal ≠ -9999" rule on Weakness Source Identifier;
/// it is left off because FedRAMP fills that column with CVE ids and "None" as well as numbers.
pub(crate) const POAM_COLUMNS: &[Column<PoamRow>] = &[
    text(POAM_ID_HEADER, 16.0, |r| Cell::Text(&r.poam_id)),
    text("Controls", 14.0, |r| Cell::Text(&r.controls)),
    text("Weakness Name", 30.0, |r| Cell::Text(&r.weakness_name)),
    text("Weakness Description", 60.0, |r| {
        Cell::Text(&r.weakness_description)
    }),
    text("Weakness Detector Source", 20.0, |r| {
        Cell::Text(&r.weakness_detector_source)
    }),
    text("Weakness Source Identifier", 20.0, |r| {
        Cell::Text(&r.weakness_source_identifier)
    }),
    text("Asset Identifier", 30.0, |r| {
        Cell::Text(&r.asset_identifier)
    }),
    text("Point of Contact", 20.0, |r| {
        Cell::Text(&r.point_of_contact)
    }),
    text("Resources Required", 20.0, |r| {
        Cell::Text(&r.resources_required)
    }),
    text("Overall Remediation Plan", 40.0, |r| {
        Cell::Text(&r.overall_remediation_plan)
    }),
    date(
        "Original Detection Date",
        Some(Rule::DateNot((1980, 1, 1))),
        |r| Cell::Date(r.original_detection_date),
    ),
    date(
        "Scheduled Completion Date",
        Some(Rule::DateNot((1900, 1, 1))),
        |r| Cell::Date(r.scheduled_completion_date),
    ),
    text("Planned Milestones", 40.0, |r| {
        Cell::Text(&r.planned_milestones)
    }),
    text("Milestone Changes", 30.0, |r| {
        Cell::Text(&r.milestone_changes)
    }),
    date("Status Date", Some(Rule::DateAfter((2000, 1, 1))), |r| {
        opt_date(r.status_date)
    }),
    pick("Vendor Dependency", 14.0, YES_NO, |r| {
        Cell::Text(yes_no(r.vendor_dependency))
    }),
    date(
        "Last Vendor Check-in Date",
        Some(Rule::DateAfter((2000, 1, 1))),
        |r| opt_date(r.last_vendor_check_in_date),
    ),
    text("Vendor Dependent Product Name", 22.0, |r| {
        Cell::Text(&r.vendor_dependent_product_name)
    }),
    pick("Original Risk Rating", 14.0, RATINGS, |r| {
        Cell::Text(r.original_risk_rating.label())
    }),
    pick("Adjusted Risk Rating", 14.0, ADJUSTED_RATINGS, |r| {
        Cell::Text(adjusted(r.adjusted_risk_rating))
    }),
    pick("Risk Adjustment", 14.0, YES_NO_PENDING, |r| {
        Cell::Text(r.risk_adjustment.label())
    }),
    pick("False Positive", 14.0, YES_NO_PENDING, |r| {
        Cell::Text(r.false_positive.label())
    }),
    pick("Operational Requirement", 14.0, YES_NO_PENDING, |r| {
        Cell::Text(r.operational_requirement.label())
    }),
    text("Deviation Rationale", 40.0, |r| {
        Cell::Text(&r.deviation_rationale)
    }),
    text("Supporting Documents", 25.0, |r| {
        Cell::Text(&r.supporting_documents)
    }),
    text("Comments", 40.0, |r| Cell::Text(&r.comments)),
    text("Auto-Approve", 14.0, |r| {
        r.auto_approve
            .map_or(Cell::Blank, |b| Cell::Text(yes_no(b)))
    }),
    text("Binding Operational Directive 22-01 tracking", 18.0, |r| {
        Cell::Text(yes_no(r.bod_22_01_tracking))
    }),
    date("Binding Operational Directive 22-01 Due Date", None, |r| {
        opt_date(r.bod_22_01_due_date)
    }),
    text("CVE", 18.0, |r| Cell::Text(&r.cve)),
    text("Service Name", 20.0, |r| Cell::Text(&r.service_name)),
];

/// The template's own record of changes (Record of Changes tab, rows 4–5): date, description,
/// version, author.
const TEMPLATE_RECORDS: [(Ymd, &str, &str); 2] = [
    (
        (2023, 8, 30),
        "Updated to align with FedRAMP branding and minor editorial changes.",
        "2.0",
    ),
    (
        (2024, 3, 29),
        "Added Tab for Configuration Findings. Added Column in 'Open POA&M' tab for Service level information",
        "2.1",
    ),
];

/// Writes the POA&M workbook as `.xlsx` bytes.
///
/// Fails with a validation error naming the tab, row and column when a value does not fit in
/// Excel (text over 32,767 characters, a date before 1900, more than a million rows).
pub fn write_poam_xlsx(wb: &PoamWorkbook) -> Result<Vec<u8>> {
    const DOC: &str = "POA&M";
    let err = |e| writer_error(DOC, e);
    let mut book = new_workbook(&wb.header, "Plan of Action and Milestones (POA&M)")?;
    let styles = Styles::new();
    let tabs = [&wb.open, &wb.closed, &wb.configuration];
    for (i, (name, rows)) in POAM_TABS.iter().zip(tabs).enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(*name).map_err(err)?;
        let title = if i == 0 { OPEN_TITLE } else { OTHER_TITLE };
        write_header_block(ws, &styles, title, HEADER_LABELS, &wb.header, DOC)?;
        write_table(ws, &styles, POAM_COLUMNS, rows, DOC)?;
    }
    write_record_of_changes(&mut book, &wb.header)?;
    book.save_to_buffer().map_err(err)
}

/// The Record of Changes tab: the template's history (so a reader sees which template version
/// the layout follows) and one line saying Assay generated this workbook on the POA&M date.
fn write_record_of_changes(
    book: &mut rust_xlsxwriter::Workbook,
    header: &WorkbookHeader,
) -> Result<()> {
    use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign};
    const DOC: &str = "POA&M";
    let err = |e| writer_error(DOC, e);
    let ws = book.add_worksheet();
    ws.set_name(RECORD_OF_CHANGES_TAB).map_err(err)?;
    let base = Format::new().set_font_name("Calibri").set_font_size(10);
    let title = base
        .clone()
        .set_bold()
        .set_font_size(12)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = base
        .clone()
        .set_bold()
        .set_font_color(Color::RGB(0x1A4480))
        .set_background_color(Color::RGB(0xCCECFC))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = base
        .clone()
        .set_font_color(Color::RGB(0x444444))
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let date = cell
        .clone()
        .set_num_format("m/d/yyyy")
        .set_align(FormatAlign::Center);
    for (col, width) in [(0u16, 3.34), (1, 10.66), (2, 66.67), (3, 10.66), (4, 13.34)] {
        ws.set_column_width(col, width).map_err(err)?;
    }
    ws.merge_range(1, 1, 1, 4, "Record of Changes for Template", &title)
        .map_err(err)?;
    for (col, label) in (1u16..).zip(["Date", "Description", "Version", "Author"]) {
        ws.write_string_with_format(2, col, label, &head)
            .map_err(err)?;
    }
    let generated = format!(
        "Generated by Assay from the assessment records, in the layout of template version \
         {TEMPLATE_VERSION}."
    );
    let mut rows = Vec::with_capacity(TEMPLATE_RECORDS.len() + 1);
    for ((y, m, d), text, version) in TEMPLATE_RECORDS {
        let when = ExcelDateTime::from_ymd(y, m, d).map_err(err)?;
        rows.push((when, text, version, "FedRAMP PMO"));
    }
    let today = excel_date(header.date, RECORD_OF_CHANGES_TAB, "Date")?;
    rows.push((today, generated.as_str(), TEMPLATE_VERSION, "Assay"));
    for (row, (when, text, version, author)) in (3u32..).zip(rows) {
        ws.write_datetime_with_format(row, 1, &when, &date)
            .map_err(err)?;
        ws.write_string_with_format(row, 2, text, &cell)
            .map_err(err)?;
        ws.write_string_with_format(row, 3, version, &cell)
            .map_err(err)?;
        ws.write_string_with_format(row, 4, author, &cell)
            .map_err(err)?;
    }
    Ok(())
}
