//! The Security Assessment Report and the seed POA&M: the assessor's written fields, the
//! recommendation, the CISA KEV catalog, coverage explanations, and the computed report (risk
//! items, Table 2-2, summary, consistency checks) that the UI shows and the exporters render.
//!
//! Invariants: nothing computed is stored; [`Session::sar_report`] recomputes the report from the
//! stored findings, weaknesses, tests and coverage every time, so the SAR, RET and POA&M cannot
//! drift from the data. Each write is one transaction with its audit record.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::engagement::to_json;
use super::sap::SapExportOptions;
use super::Session;
use crate::error::{Error, Result};
use crate::export::{self, oscal_common::ResultsDetail};
use crate::model::sap::SapDeviation;
use crate::model::sar::{
    self, date_of, CheckInputs, ConsistencyCheck, KevCatalogInfo, Recommendation,
    RecommendationRecord, RiskInputs, RiskItem, SarData, SarSummary, SarUpdate, ScanOrigin,
    Table22,
};
use crate::model::scans::{
    ConfigurationFindings, Coverage, ReviewStatus, ScanFile, WeaknessFilter,
};
use crate::model::testing::{Drift, EvidenceItem, Finding, Freeze, TestFilter, TestRow};
use crate::model::{AuditEntry, Engagement};
use crate::store;

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
            .any(|c| c.severity == sar::CheckSeverity::Error)
    }
}

/// Raw inputs gathered from the store, before the pure computations.
struct Gathered {
    findings: Vec<Finding>,
    scan_origins: HashMap<String, ScanOrigin>,
    false_positives: Vec<crate::model::scans::WeaknessRow>,
    scan_dates: HashMap<i64, NaiveDate>,
    pending: u32,
    configuration: ConfigurationFindings,
    configuration_detected_on: Option<NaiveDate>,
    asset_labels: HashMap<String, String>,
    scan_files: Vec<ScanFile>,
}

/// The day the earliest scan that reported a weakness ran (its original detection date), else
/// the day it was first imported.
pub(crate) fn weakness_detected_on(
    conn: &rusqlite::Connection,
    weakness_id: i64,
) -> Result<Option<NaiveDate>> {
    Ok(store::sar::weakness_scan_times(conn, weakness_id)?
        .into_iter()
        .filter_map(|(start, imported)| {
            start
                .as_deref()
                .and_then(sar::scan_date)
                .or_else(|| date_of(&imported))
        })
        .min())
}

impl Session {
    /// The SAR's written fields (defaults before the first edit).
    pub fn sar_data(&self) -> Result<SarData> {
        store::sar::load(self.store.conn())
    }

    /// Changes the SAR's written fields.
    pub fn update_sar(&mut self, update: &SarUpdate) -> Result<SarData> {
        let before = self.sar_data()?;
        let mut after = before.clone();
        if let Some(v) = &update.version {
            after.version = v.trim().to_owned();
        }
        if let Some(d) = update.date {
            after.date = Some(d);
        }
        if let Some(p) = &update.poam {
            if p.id_digits > 9 {
                return Err(Error::validation(
                    "poam.id_digits",
                    "at most 9 digits in a POA&M id",
                ));
            }
            if p.id_prefix.chars().any(char::is_control) {
                return Err(Error::validation(
                    "poam.id_prefix",
                    "the POA&M id prefix may not contain control characters",
                ));
            }
            after.poam = p.clone();
        }
        if let Some(t) = &update.threats_note {
            after.threats_note = t.clone();
        }
        if let Some(t) = &update.interconnections_note {
            after.interconnections_note = t.clone();
        }
        if let Some(s) = &update.signatures {
            if s.iter().any(|s| s.name.trim().is_empty()) {
                return Err(Error::validation("signatures", "a signature needs a name"));
            }
            after.signatures = s.clone();
        }
        if after == before {
            return Ok(after);
        }
        self.write(|tx, ctx| {
            store::sar::save(tx, &after, &ctx.timestamp())?;
            let entry = AuditEntry {
                entity: "sar".into(),
                entity_id: "sar".into(),
                action: "update".into(),
                summary: "SAR fields edited".into(),
                before: to_json(&before),
                after: to_json(&after),
            };
            Ok((after.clone(), vec![entry]))
        })
    }

    /// Records the authorization recommendation; refused when the assessment type does not allow
    /// the statement or (initial assessments) while open High risks remain.
    pub fn set_recommendation(&mut self, statement: Recommendation) -> Result<SarData> {
        let engagement = self.engagement()?;
        let gathered = self.gather()?;
        let items = self.risk_items_from(&gathered)?;
        let tests = self.test_rows(&TestFilter::default())?;
        let coverage = self.coverage()?;
        let formats: Vec<String> = gathered
            .scan_files
            .iter()
            .map(|f| f.format.clone())
            .collect();
        let summary = sar::summarize(&items, &tests, &coverage, &formats);
        sar::check_recommendation(statement, engagement.assessment_type, &summary)
            .map_err(|why| Error::validation("recommendation", why))?;
        let before = self.sar_data()?;
        let mut after = before.clone();
        after.recommendation = Some(RecommendationRecord {
            statement,
            at: self.ctx.timestamp(),
            actor: self.ctx.actor.clone(),
        });
        self.write(|tx, ctx| {
            store::sar::save(tx, &after, &ctx.timestamp())?;
            let entry = AuditEntry {
                entity: "sar".into(),
                entity_id: "recommendation".into(),
                action: "update".into(),
                summary: format!("recommendation: {}", statement.label()),
                before: before
                    .recommendation
                    .as_ref()
                    .map(|r| r.statement.code().to_owned())
                    .unwrap_or_default(),
                after: statement.code().into(),
            };
            Ok((after.clone(), vec![entry]))
        })
    }

    /// Imports the CISA Known Exploited Vulnerabilities catalog (JSON), replacing any earlier one.
    pub fn import_kev(&mut self, path: &Path) -> Result<KevCatalogInfo> {
        let bytes = super::baseline::read_input(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (version, released, entries) =
            sar::parse_kev_catalog(&bytes, &path.display().to_string()).map_err(|message| {
                Error::BadInput {
                    path: path.to_owned(),
                    message,
                }
            })?;
        let info = KevCatalogInfo {
            source_name: name,
            sha256: hex::encode(Sha256::digest(&bytes)),
            catalog_version: version,
            released,
            entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
            imported_at: self.ctx.timestamp(),
        };
        self.write(|tx, ctx| {
            store::sar::replace_kev(tx, &info, &entries, &ctx.actor)?;
            let entry = AuditEntry {
                entity: "kev_catalog".into(),
                entity_id: info.sha256.clone(),
                action: "import".into(),
                summary: format!(
                    "CISA KEV catalog {} ({} entries) from {}",
                    info.catalog_version, info.entries, info.source_name
                ),
                before: String::new(),
                after: to_json(&info),
            };
            Ok((info.clone(), vec![entry]))
        })
    }

    /// Records why an in-scope asset was not scanned (an empty note removes it).
    pub fn set_coverage_note(&mut self, inventory_uuid: &str, note: &str) -> Result<()> {
        let known = self
            .inventory()?
            .into_iter()
            .any(|r| r.uuid == inventory_uuid);
        if !known {
            return Err(Error::NotFound {
                what: format!("inventory item {inventory_uuid}"),
            });
        }
        self.write(|tx, ctx| {
            store::sar::set_coverage_note(tx, inventory_uuid, note, &ctx.timestamp(), &ctx.actor)?;
            let entry = AuditEntry {
                entity: "coverage_note".into(),
                entity_id: inventory_uuid.into(),
                action: if note.trim().is_empty() {
                    "delete"
                } else {
                    "update"
                }
                .into(),
                summary: format!("coverage explanation for {inventory_uuid}"),
                before: String::new(),
                after: note.trim().into(),
            };
            Ok(((), vec![entry]))
        })
    }

    fn gather(&self) -> Result<Gathered> {
        let findings = self.list_findings()?;
        let weaknesses = self.weaknesses(&WeaknessFilter::default())?;
        let mut scan_origins = HashMap::new();
        let mut false_positives = Vec::new();
        let mut scan_dates = HashMap::new();
        let mut pending = 0u32;
        for w in weaknesses {
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
                ReviewStatus::FalsePositive => {
                    if let Some(d) = weakness_detected_on(self.store.conn(), w.id)? {
                        scan_dates.insert(w.id, d);
                    }
                    false_positives.push(w);
                }
                ReviewStatus::Pending => pending += 1,
                ReviewStatus::Merged => {}
            }
        }
        let configuration = self.configuration_findings()?;
        let scan_files = self.scan_files()?;
        let configuration_detected_on = if configuration.findings.is_empty() {
            None
        } else {
            scan_files
                .iter()
                .filter_map(|f| {
                    f.scan_start
                        .as_deref()
                        .and_then(sar::scan_date)
                        .or_else(|| date_of(&f.imported_at))
                })
                .min()
        };
        let asset_labels = self
            .inventory()?
            .into_iter()
            .map(|r| {
                let label = r
                    .asset_id
                    .clone()
                    .filter(|a| !a.trim().is_empty())
                    .or_else(|| r.fqdn.clone().filter(|f| !f.trim().is_empty()))
                    .unwrap_or_else(|| r.ipv4.clone());
                (r.uuid, label)
            })
            .collect();
        Ok(Gathered {
            findings,
            scan_origins,
            false_positives,
            scan_dates,
            pending,
            configuration,
            configuration_detected_on,
            asset_labels,
            scan_files,
        })
    }

    fn risk_items_from(&self, g: &Gathered) -> Result<Vec<RiskItem>> {
        let settings = self.sar_data()?.poam;
        let mut inputs = RiskInputs {
            findings: &g.findings,
            scan_origins: g.scan_origins.clone(),
            false_positives: &g.false_positives,
            configuration: &g.configuration.findings,
            configuration_detected_on: g.configuration_detected_on,
            asset_labels: g.asset_labels.clone(),
            kev: HashMap::new(),
            scan_dates: g.scan_dates.clone(),
        };
        // Look up only the CVEs the items will name.
        let cves: Vec<String> = sar::named_cves(&inputs).into_iter().collect();
        inputs.kev = store::sar::kev_due_dates(self.store.conn(), &cves)?;
        Ok(sar::build_risk_items(&inputs, &settings))
    }

    /// The risk items (RET rows and POA&M items), numbered in the CSP's scheme.
    pub fn risk_items(&self) -> Result<Vec<RiskItem>> {
        let g = self.gather()?;
        self.risk_items_from(&g)
    }

    /// The whole computed SAR.
    pub fn sar_report(&self) -> Result<SarReport> {
        Ok(self.report_parts()?.0)
    }

    /// The report with the test rows and findings it was computed from (the OSCAL exporters
    /// read them too).
    fn report_parts(&self) -> Result<(SarReport, Vec<TestRow>, Vec<Finding>)> {
        let engagement = self.engagement()?;
        let data = self.sar_data()?;
        let g = self.gather()?;
        let items = self.risk_items_from(&g)?;
        let tests: Vec<TestRow> = self.test_rows(&TestFilter::default())?;
        let coverage = self.coverage()?;
        let formats: Vec<String> = g.scan_files.iter().map(|f| f.format.clone()).collect();
        let summary = sar::summarize(&items, &tests, &coverage, &formats);
        let table = sar::table_2_2(&items);
        let sap_signed = matches!(store::sap::state(self.store.conn())?, Some((_, Some(_))));
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
            findings: &g.findings,
            tests: &tests,
            coverage: &coverage,
            pending_weaknesses: g.pending,
            summary: &summary,
            table: &table,
            recommendation: data.recommendation.as_ref().map(|r| r.statement),
            assessment_type: engagement.assessment_type,
            sap_signed,
            ret_rows: rows.clone(),
            poam_rows: rows,
        });
        let report = SarReport {
            allowed_recommendations: Recommendation::allowed_for(engagement.assessment_type)
                .to_vec(),
            summary_sentence: sar::summary_sentence(&summary),
            engagement,
            data,
            summary,
            table_2_2: table,
            items,
            checks,
            kev: store::sar::kev_catalog(self.store.conn())?,
            coverage,
            deviations: self.sap_deviations()?,
            freeze: self.current_freeze()?,
            drift: self.drift()?,
            evidence: self.list_evidence()?,
            scan_files: g.scan_files,
        };
        Ok((report, tests, g.findings))
    }

    /// What the SAR, RET and POA&M exporters read.
    pub fn sar_export_input(&self) -> Result<crate::export::SarExportInput> {
        Ok(self.sar_documents()?.input)
    }

    /// Everything the SAR and POA&M documents are rendered from, computed once (the package
    /// renders six documents from one of these).
    pub fn sar_documents(&self) -> Result<SarDocuments> {
        let (report, tests, findings) = self.report_parts()?;
        Ok(SarDocuments {
            input: crate::export::SarExportInput {
                report,
                sap: self.sap()?,
                overview: self.system_overview()?,
            },
            tests,
            findings,
        })
    }

    /// The SAR as a PDF (FedRAMP SAR template v5.0 layout).
    pub fn export_sar_pdf(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        self.sar_documents()?.sar_pdf(opts)
    }

    /// The seed POA&M as a PDF (Open, Closed and Configuration Findings).
    pub fn export_poam_pdf(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        self.sar_documents()?.poam_pdf(opts)
    }

    /// The SAR as an OSCAL 1.2.1 assessment-results document (JSON).
    pub fn export_sar_oscal(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        self.sar_documents()?.sar_oscal(opts)
    }

    /// The seed POA&M as an OSCAL 1.2.1 plan-of-action-and-milestones document (JSON).
    pub fn export_poam_oscal(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        self.sar_documents()?.poam_oscal(opts)
    }

    /// The seed POA&M as the FedRAMP POA&M template v2.1 workbook, dated `date`.
    pub fn export_poam_xlsx(&self, date: NaiveDate) -> Result<Vec<u8>> {
        self.sar_documents()?.poam_xlsx(date)
    }

    /// The risk exposure table (SAR Appendix A) workbook, dated `date`.
    pub fn export_ret_xlsx(&self, date: NaiveDate) -> Result<Vec<u8>> {
        self.sar_documents()?.ret_xlsx(date)
    }
}

/// The computed SAR with everything its exporters read: render any number of documents from
/// one computation.
#[derive(Debug, Clone)]
pub struct SarDocuments {
    pub input: crate::export::SarExportInput,
    pub tests: Vec<TestRow>,
    pub findings: Vec<Finding>,
}

impl SarDocuments {
    fn detail(&self) -> ResultsDetail<'_> {
        ResultsDetail {
            tests: &self.tests,
            findings: &self.findings,
        }
    }

    /// The SAR PDF.
    pub fn sar_pdf(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        export::sar_pdf::render(&self.input, opts)
    }

    /// The POA&M PDF.
    pub fn poam_pdf(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        export::poam_pdf::render(&self.input, opts)
    }

    /// The OSCAL assessment results.
    pub fn sar_oscal(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        export::oscal_ar::render(&self.input, self.detail(), opts)
    }

    /// The OSCAL plan of action and milestones.
    pub fn poam_oscal(&self, opts: &SapExportOptions) -> Result<Vec<u8>> {
        export::oscal_poam::render(&self.input, self.detail(), opts)
    }

    /// The POA&M workbook dated `date`.
    pub fn poam_xlsx(&self, date: NaiveDate) -> Result<Vec<u8>> {
        export::workbook::write_poam_xlsx(&export::workbook::seed::poam_workbook(
            &self.input.report,
            date,
        ))
    }

    /// The RET workbook dated `date`.
    pub fn ret_xlsx(&self, date: NaiveDate) -> Result<Vec<u8>> {
        export::workbook::write_ret_xlsx(&export::workbook::seed::ret_workbook(
            &self.input.report,
            date,
        ))
    }
}
