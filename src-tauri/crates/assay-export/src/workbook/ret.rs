//! The SAR Appendix A Risk Exposure Table (RET) workbook (domain doc §6.3): tabs "Risk Exposure
//! Table (RET)", "Risks Corrected During Testing", "Configuration Findings" and "PL-2 Findings",
//! each with the header block on rows 2–3, column headers on row 5 and data from row 6.
//!
//! FedRAMP aligned the Rev5 RET with the POA&M so items copy across 1:1; no RET template file is
//! in the shared data, so every column the RET shares with the POA&M carries the POA&M template's
//! exact header text and drop-down (the tests check them against the POA&M template). The ID
//! column's header, the title and the date label are the only RET-specific texts and are not
//! verified against an official RET file.
//!
//! Invariant: [`RET_COLUMNS`] is the only place that knows the RET's column headers and order.

use chrono::NaiveDate;

use super::poam::PoamRow;
use super::{
    adjusted, date, new_workbook, pick, text, write_header_block, write_table, writer_error,
    yes_no, Cell, Column, Rule, Styles, WorkbookHeader, ADJUSTED_RATINGS, RATINGS, YES_NO,
    YES_NO_PENDING,
};
use crate::error::Result;
use crate::model::testing::{DeviationAnswer, RiskLevel};

/// One RET item: the RET's columns (a subset of the POA&M's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetRow {
    /// The RET ID, in the CSP's POA&M ID scheme (e.g. `VS-001-AC(2)`).
    pub ret_id: String,
    pub controls: String,
    pub weakness_name: String,
    pub weakness_description: String,
    pub weakness_detector_source: String,
    pub weakness_source_identifier: String,
    pub asset_identifier: String,
    pub original_detection_date: NaiveDate,
    /// Written "Yes" / "No".
    pub vendor_dependency: bool,
    pub vendor_dependent_product_name: String,
    pub original_risk_rating: RiskLevel,
    /// `None` is written "N/A".
    pub adjusted_risk_rating: Option<RiskLevel>,
    pub risk_adjustment: DeviationAnswer,
    pub false_positive: DeviationAnswer,
    pub operational_requirement: DeviationAnswer,
    pub deviation_rationale: String,
    pub comments: String,
    pub service_name: String,
}

impl From<&PoamRow> for RetRow {
    /// The RET columns of a POA&M item (the POAM ID becomes the RET ID).
    fn from(p: &PoamRow) -> Self {
        RetRow {
            ret_id: p.poam_id.clone(),
            controls: p.controls.clone(),
            weakness_name: p.weakness_name.clone(),
            weakness_description: p.weakness_description.clone(),
            weakness_detector_source: p.weakness_detector_source.clone(),
            weakness_source_identifier: p.weakness_source_identifier.clone(),
            asset_identifier: p.asset_identifier.clone(),
            original_detection_date: p.original_detection_date,
            vendor_dependency: p.vendor_dependency,
            vendor_dependent_product_name: p.vendor_dependent_product_name.clone(),
            original_risk_rating: p.original_risk_rating,
            adjusted_risk_rating: p.adjusted_risk_rating,
            risk_adjustment: p.risk_adjustment,
            false_positive: p.false_positive,
            operational_requirement: p.operational_requirement,
            deviation_rationale: p.deviation_rationale.clone(),
            comments: p.comments.clone(),
            service_name: p.service_name.clone(),
        }
    }
}

/// The whole RET: header block and the items of each tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetWorkbook {
    pub header: WorkbookHeader,
    /// "Risk Exposure Table (RET)": open risks, including RAs, ORs and VDs.
    pub ret: Vec<RetRow>,
    /// "Risks Corrected During Testing": validated closed before the SAR, and validated FPs.
    pub corrected: Vec<RetRow>,
    /// "Configuration Findings": individual CM-6 items.
    pub configuration: Vec<RetRow>,
    /// "PL-2 Findings": SSP and documentation deficiencies.
    pub pl2: Vec<RetRow>,
}

/// The tab names, in order (domain doc §6.3).
pub const RET_TABS: [&str; 4] = [
    "Risk Exposure Table (RET)",
    "Risks Corrected During Testing",
    "Configuration Findings",
    "PL-2 Findings",
];

/// The ID column's header as the domain reference names it.
pub const RET_ID_HEADER: &str = "POA&M / RET ID";

const TITLE: &str =
    "FedRAMP Security Assessment Report (SAR) Appendix A: Risk Exposure Table (RET)";
const HEADER_LABELS: [&str; 4] = ["CSP", "System Name", "Impact Level", "RET Date"];

/// The RET's columns, in order. Apart from the ID column, header texts, widths and rules are the
/// POA&M template's for the same column.
pub(crate) const RET_COLUMNS: &[Column<RetRow>] = &[
    text(RET_ID_HEADER, 16.0, |r| Cell::Text(&r.ret_id)),
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
    date(
        "Original Detection Date",
        Some(Rule::DateNot((1980, 1, 1))),
        |r| Cell::Date(r.original_detection_date),
    ),
    pick("Vendor Dependency", 14.0, YES_NO, |r| {
        Cell::Text(yes_no(r.vendor_dependency))
    }),
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
    text("Comments", 40.0, |r| Cell::Text(&r.comments)),
    text("Service Name", 20.0, |r| Cell::Text(&r.service_name)),
];

/// Writes the RET workbook as `.xlsx` bytes.
///
/// Fails with a validation error naming the tab, row and column when a value does not fit in
/// Excel (text over 32,767 characters, a date before 1900, more than a million rows).
pub fn write_ret_xlsx(wb: &RetWorkbook) -> Result<Vec<u8>> {
    const DOC: &str = "RET";
    let err = |e| writer_error(DOC, e);
    let mut book = new_workbook(&wb.header, "Risk Exposure Table (RET)")?;
    let styles = Styles::new();
    let tabs = [&wb.ret, &wb.corrected, &wb.configuration, &wb.pl2];
    for (name, rows) in RET_TABS.iter().zip(tabs) {
        let ws = book.add_worksheet();
        ws.set_name(*name).map_err(err)?;
        write_header_block(ws, &styles, TITLE, HEADER_LABELS, &wb.header, DOC)?;
        write_table(ws, &styles, RET_COLUMNS, rows, DOC)?;
    }
    book.save_to_buffer().map_err(err)
}
