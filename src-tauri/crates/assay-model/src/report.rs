//! The computed SAR: what the SAR page shows and every SAR, RET and POA&M exporter reads, the
//! inputs it is computed from, and the options every exporter takes.
//!
//! Invariant: [`compute`] is the only place report figures are derived. The SAR page, the
//! recommendation rule, the consistency checks and the package all call it; nothing it computes
//! is stored, so the SAR, RET and POA&M cannot drift from the data.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::sap::{Sap, SapDeviation, SapObjective};
use crate::sar::{
    self, date_of, CheckInputs, CheckSeverity, ConsistencyCheck, KevCatalogInfo, Recommendation,
    RiskInputs, RiskItem, SarData, SarSummary, ScanOrigin, Table22,
};
use crate::scans::{ConfigurationFindings, Coverage, ReviewStatus, ScanFile, WeaknessRow};
use crate::ssp::{InventoryRow, SystemOverview};
use crate::testing::{Drift, EvidenceItem, Finding, Freeze, TestRow};
use crate::Engagement;

/// Everything the SAR page shows and the SAR, RET and POA&M exporters read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SarReport {
    pub engagement: Engagement,
    pub data: SarData,
    pub summary: SarSummary,
    pub summary_sentence: String,
    pub table_2_2: Table22,
    /// Every risk item, RET order (open RET rows, PL-2, configuration, closed).
    pub items: Vec<RiskItem>,
    pub checks: Vec<ConsistencyCheck>,
    pub kev: Option<KevCatalogInfo>,
    pub coverage: Coverage,
    pub deviations: Vec<SapDeviation>,
    pub freeze: Option<Freeze>,
    pub drift: Vec<Drift>,
    pub evidence: Vec<EvidenceItem>,
    pub scan_files: Vec<ScanFile>,
    /// The statements the assessment type allows.
    pub allowed_recommendations: Vec<Recommendation>,
}

impl SarReport {
    /// True when no consistency check is an error (the package may be built).
    pub fn is_consistent(&self) -> bool {
        !self
            .checks
            .iter()
            .any(|c| c.severity == CheckSeverity::Error)
    }

    /// The consistency errors, each as "CODE message".
    pub fn errors(&self) -> Vec<String> {
        self.checks
            .iter()
            .filter(|c| c.severity == CheckSeverity::Error)
            .map(|c| format!("{} {}", c.code, c.message))
            .collect()
    }

    /// The day the RET and POA&M workbooks carry: the SAR's date, else the generation day.
    pub fn workbook_date(&self, generated_at: DateTime<Utc>) -> NaiveDate {
        self.data.date.unwrap_or_else(|| generated_at.date_naive())
    }
}

/// The stored data a SAR is computed from, as the store returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInputs {
    pub engagement: Engagement,
    pub data: SarData,
    pub findings: Vec<Finding>,
    /// Every weakness, whatever its review state.
    pub weaknesses: Vec<WeaknessRow>,
    /// Weakness id → the day its earliest scan ran (needed for false positives).
    pub scan_dates: HashMap<i64, NaiveDate>,
    pub configuration: ConfigurationFindings,
    pub inventory: Vec<InventoryRow>,
    pub scan_files: Vec<ScanFile>,
    pub tests: Vec<TestRow>,
    pub coverage: Coverage,
    /// CVE id → CISA KEV due date, for (at least) the CVEs of [`named_cves`].
    pub kev: HashMap<String, NaiveDate>,
    pub kev_catalog: Option<KevCatalogInfo>,
    pub sap_signed: bool,
    pub deviations: Vec<SapDeviation>,
    pub freeze: Option<Freeze>,
    pub drift: Vec<Drift>,
    pub evidence: Vec<EvidenceItem>,
}

/// What the weaknesses contribute to the risk items.
struct Reviewed<'a> {
    scan_origins: HashMap<String, ScanOrigin>,
    false_positives: Vec<WeaknessRow>,
    pending: u32,
    asset_labels: HashMap<String, String>,
    configuration_detected_on: Option<NaiveDate>,
    inputs: &'a ReportInputs,
}

impl<'a> Reviewed<'a> {
    fn of(inputs: &'a ReportInputs) -> Self {
        let mut scan_origins = HashMap::new();
        let mut false_positives = Vec::new();
        let mut pending = 0u32;
        for w in &inputs.weaknesses {
            match w.review {
                ReviewStatus::Accepted => {
                    if let Some(f) = &w.finding_id {
                        scan_origins.insert(
                            f.clone(),
                            ScanOrigin {
                                tool: w.tool.clone(),
                                plugin_id: w.plugin_id.clone(),
                                severity: w.severity.clone(),
                                cves: w.cves.clone(),
                                asset_labels: w.assets.iter().map(|a| a.label.clone()).collect(),
                                first_seen: w.first_seen.clone(),
                            },
                        );
                    }
                }
                ReviewStatus::FalsePositive => false_positives.push(w.clone()),
                ReviewStatus::Pending => pending += 1,
                ReviewStatus::Merged => {}
            }
        }
        let configuration_detected_on = if inputs.configuration.findings.is_empty() {
            None
        } else {
            inputs
                .scan_files
                .iter()
                .filter_map(|f| {
                    f.scan_start
                        .as_deref()
                        .and_then(sar::scan_date)
                        .or_else(|| date_of(&f.imported_at))
                })
                .min()
        };
        Reviewed {
            scan_origins,
            false_positives,
            pending,
            asset_labels: asset_labels(&inputs.inventory),
            configuration_detected_on,
            inputs,
        }
    }

    fn risk_inputs(&self) -> RiskInputs<'_> {
        RiskInputs {
            findings: &self.inputs.findings,
            scan_origins: self.scan_origins.clone(),
            false_positives: &self.false_positives,
            configuration: &self.inputs.configuration.findings,
            configuration_detected_on: self.configuration_detected_on,
            asset_labels: self.asset_labels.clone(),
            kev: self.inputs.kev.clone(),
            scan_dates: self.inputs.scan_dates.clone(),
        }
    }
}

/// Inventory uuid → the identifier the RET writes for the asset: its asset id, else its fully
/// qualified domain name, else its IPv4 address.
pub fn asset_labels(inventory: &[InventoryRow]) -> HashMap<String, String> {
    inventory
        .iter()
        .map(|r| {
            let label = r
                .asset_id
                .clone()
                .filter(|a| !a.trim().is_empty())
                .or_else(|| r.fqdn.clone().filter(|f| !f.trim().is_empty()))
                .unwrap_or_else(|| r.ipv4.clone());
            (r.uuid.clone(), label)
        })
        .collect()
}

/// The CVEs the risk items will name: the only ones whose KEV due dates [`compute`] reads.
pub fn named_cves(inputs: &ReportInputs) -> Vec<String> {
    let reviewed = Reviewed::of(inputs);
    sar::named_cves(&reviewed.risk_inputs())
        .into_iter()
        .collect()
}

/// Computes the whole SAR from its inputs: risk items, summary, Table 2-2, consistency checks.
pub fn compute(inputs: &ReportInputs) -> SarReport {
    let reviewed = Reviewed::of(inputs);
    let items = sar::build_risk_items(&reviewed.risk_inputs(), &inputs.data.poam);
    let formats: Vec<String> = inputs.scan_files.iter().map(|f| f.format.clone()).collect();
    let summary = sar::summarize(&items, &inputs.tests, &inputs.coverage, &formats);
    let table = sar::table_2_2(&items);
    // Every item is both a RET row (on one of its four tabs) and a POA&M item.
    let rows: Vec<_> = items
        .iter()
        .map(|i| {
            (
                i.poam_id.clone(),
                i.original_risk,
                i.detector_source.clone(),
            )
        })
        .collect();
    let checks = sar::check_consistency(&CheckInputs {
        items: &items,
        findings: &inputs.findings,
        tests: &inputs.tests,
        coverage: &inputs.coverage,
        pending_weaknesses: reviewed.pending,
        summary: &summary,
        table: &table,
        recommendation: inputs.data.recommendation.as_ref().map(|r| r.statement),
        assessment_type: inputs.engagement.assessment_type,
        sap_signed: inputs.sap_signed,
        ret_rows: rows.clone(),
        poam_rows: rows,
    });
    SarReport {
        allowed_recommendations: Recommendation::allowed_for(inputs.engagement.assessment_type)
            .to_vec(),
        summary_sentence: sar::summary_sentence(&summary),
        engagement: inputs.engagement.clone(),
        data: inputs.data.clone(),
        summary,
        table_2_2: table,
        items,
        checks,
        kev: inputs.kev_catalog.clone(),
        coverage: inputs.coverage.clone(),
        deviations: inputs.deviations.clone(),
        freeze: inputs.freeze.clone(),
        drift: inputs.drift.clone(),
        evidence: inputs.evidence.clone(),
        scan_files: inputs.scan_files.clone(),
    }
}

/// Which deliverable an export is for; names its default document id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Sap,
    Sar,
    Poam,
}

impl DocumentKind {
    fn suffix(self) -> &'static str {
        match self {
            DocumentKind::Sap => "sap",
            DocumentKind::Sar => "sar",
            DocumentKind::Poam => "poam",
        }
    }
}

/// What every exporter's bytes depend on besides the data: the generation time written into the
/// document and the document id (PDF `/ID`; the seed of the OSCAL uuids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub generated_at: DateTime<Utc>,
    pub document_id: String,
}

impl ExportOptions {
    /// The options for one deliverable of engagement `engagement_id`. The document id is
    /// `ENGAGEMENT-sap`, `-sar` or `-poam` unless one is given, so a document exported from the
    /// command line, the app or inside the package carries the same id.
    pub fn new(
        engagement_id: &str,
        kind: DocumentKind,
        generated_at: DateTime<Utc>,
        document_id: Option<String>,
    ) -> Self {
        ExportOptions {
            generated_at,
            document_id: document_id
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| format!("{engagement_id}-{}", kind.suffix())),
        }
    }
}

/// Everything the SAP exporters read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapExportInput {
    pub sap: Sap,
    /// The baseline's assessable objectives in catalog order (filtered to the selected controls
    /// by the exporters).
    pub objectives: Vec<SapObjective>,
}

/// Everything the SAR, RET and POA&M exporters read: the computed report, the SAP it reports
/// against, the SSP's system overview (purpose, scope and description come from there), and the
/// control test rows and findings the OSCAL results list one by one.
#[derive(Debug, Clone, PartialEq)]
pub struct SarExportInput {
    pub report: SarReport,
    pub sap: Sap,
    pub overview: Option<SystemOverview>,
    pub tests: Vec<TestRow>,
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_default_per_deliverable_and_yield_to_a_given_one() {
        let at = DateTime::parse_from_rfc3339("2026-05-08T00:00:00Z")
            .unwrap()
            .to_utc();
        let o = ExportOptions::new("e1", DocumentKind::Poam, at, None);
        assert_eq!(o.document_id, "e1-poam");
        assert_eq!(o.generated_at, at);
        let o = ExportOptions::new("e1", DocumentKind::Sap, at, Some("  ".into()));
        assert_eq!(o.document_id, "e1-sap", "a blank id means the default");
        let o = ExportOptions::new("e1", DocumentKind::Sar, at, Some("mine".into()));
        assert_eq!(o.document_id, "mine");
    }
}
