//! The SAR report's risk items as POA&M and RET workbook rows: one item, one row, on the tab
//! its RET/POA&M tab names (domain doc §7.3).
//!
//! Invariant: pure; every cell comes from the risk item or the report's settings, so the POA&M
//! and the RET carry the same id, ratings and detector source for each risk.

use chrono::NaiveDate;

use super::{PoamRow, PoamWorkbook, RetRow, RetWorkbook, WorkbookHeader};
use crate::model::report::SarReport;
use crate::model::sar::{PoamTab, RetTab, RiskItem};
use crate::pdf_parts::control_label;

fn header(report: &SarReport, date: NaiveDate) -> WorkbookHeader {
    WorkbookHeader {
        csp: report.engagement.csp_name.clone(),
        system_name: report.engagement.cso_name.clone(),
        impact_level: report.engagement.impact_level.label().to_owned(),
        date,
    }
}

/// The evidence titles (with their SHA-256 prefix) an item rests on.
fn supporting_documents(report: &SarReport, item: &RiskItem) -> String {
    item.evidence_ids
        .iter()
        .map(|id| {
            let title = report
                .evidence
                .iter()
                .find(|e| &e.id == id)
                .map(|e| e.title.as_str())
                .unwrap_or("evidence");
            format!("{title} (SHA-256 {})", &id[..id.len().min(12)])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One POA&M row for a risk item, dated `date` (the POA&M date is the status date).
pub fn poam_row(report: &SarReport, item: &RiskItem, date: NaiveDate) -> PoamRow {
    let settings = &report.data.poam;
    PoamRow {
        poam_id: item.poam_id.clone(),
        controls: item
            .controls
            .iter()
            .map(|c| control_label(c))
            .collect::<Vec<_>>()
            .join(", "),
        weakness_name: item.name.clone(),
        weakness_description: item.description.clone(),
        weakness_detector_source: item.detector_source.clone(),
        weakness_source_identifier: item.source_identifier.clone(),
        asset_identifier: item.assets.join("\n"),
        point_of_contact: settings.point_of_contact.clone(),
        resources_required: String::new(),
        overall_remediation_plan: item.remediation.clone(),
        original_detection_date: item.detected_on,
        scheduled_completion_date: item.scheduled_completion,
        planned_milestones: String::new(),
        milestone_changes: String::new(),
        status_date: Some(item.closed_on.unwrap_or(date)),
        vendor_dependency: item.vendor_dependency,
        last_vendor_check_in_date: item.last_vendor_check_in,
        vendor_dependent_product_name: item.vendor_product.clone(),
        original_risk_rating: item.original_risk,
        adjusted_risk_rating: item.adjusted_risk,
        risk_adjustment: item.risk_adjustment,
        false_positive: item.false_positive,
        operational_requirement: item.operational_requirement,
        deviation_rationale: item.deviation_rationale.clone(),
        supporting_documents: supporting_documents(report, item),
        comments: item.comments.clone(),
        auto_approve: None,
        bod_22_01_tracking: item.kev_due.is_some(),
        bod_22_01_due_date: item.kev_due,
        cve: item.cves.join(", "),
        service_name: settings.service_name.clone(),
    }
}

/// The seed POA&M workbook dated `date`.
pub fn poam_workbook(report: &SarReport, date: NaiveDate) -> PoamWorkbook {
    let rows = |tab: PoamTab| {
        report
            .items
            .iter()
            .filter(|i| i.poam_tab == tab)
            .map(|i| poam_row(report, i, date))
            .collect()
    };
    PoamWorkbook {
        header: header(report, date),
        open: rows(PoamTab::Open),
        closed: rows(PoamTab::Closed),
        configuration: rows(PoamTab::Configuration),
    }
}

/// The RET workbook (SAR Appendix A) dated `date`.
pub fn ret_workbook(report: &SarReport, date: NaiveDate) -> RetWorkbook {
    let rows = |tab: RetTab| {
        report
            .items
            .iter()
            .filter(|i| i.tab == tab)
            .map(|i| RetRow::from(&poam_row(report, i, date)))
            .collect()
    };
    RetWorkbook {
        header: header(report, date),
        ret: rows(RetTab::Ret),
        corrected: rows(RetTab::Corrected),
        configuration: rows(RetTab::Configuration),
        pl2: rows(RetTab::Pl2),
    }
}
