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
use sha2::{Digest, Sha256};

use super::engagement::to_json;
use super::Session;
use crate::error::{Error, Result};
use crate::model::report::{
    self, DocumentKind, ExportOptions, ReportInputs, SarExportInput, SarReport,
};
use crate::model::sar::{
    self, date_of, KevCatalogInfo, Recommendation, RecommendationRecord, RiskItem, SarData,
    SarUpdate,
};
use crate::model::scans::{ReviewStatus, WeaknessFilter};
use crate::model::testing::TestFilter;
use crate::model::AuditEntry;
use crate::store;

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
        let report = self.sar_report()?;
        sar::check_recommendation(
            statement,
            report.engagement.assessment_type,
            &report.summary,
        )
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
        self.write_durable(|tx, ctx| {
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

    /// Records why an in-scope asset was not scanned, naming the asset by its inventory uuid or
    /// its asset id (an empty note removes the explanation).
    pub fn explain_coverage(&mut self, asset: &str, note: &str) -> Result<()> {
        let uuid = self
            .inventory()?
            .into_iter()
            .find(|r| r.uuid == asset || r.asset_id.as_deref() == Some(asset))
            .map(|r| r.uuid)
            .ok_or_else(|| Error::Precondition {
                path: self.path().to_owned(),
                message: format!("no inventory item has the uuid or asset id '{asset}'"),
            })?;
        self.set_coverage_note(&uuid, note)
    }

    /// The stored data the SAR is computed from, with the KEV due dates of the CVEs the risk
    /// items will name.
    fn report_inputs(&self) -> Result<ReportInputs> {
        let conn = self.store.conn();
        let weaknesses = self.weaknesses(&WeaknessFilter::default())?;
        let mut scan_dates = HashMap::new();
        for w in &weaknesses {
            if w.review == ReviewStatus::FalsePositive {
                if let Some(d) = weakness_detected_on(conn, w.id)? {
                    scan_dates.insert(w.id, d);
                }
            }
        }
        let mut inputs = ReportInputs {
            engagement: self.engagement()?,
            data: self.sar_data()?,
            findings: self.list_findings()?,
            weaknesses,
            scan_dates,
            configuration: self.configuration_findings()?,
            inventory: self.inventory()?,
            scan_files: self.scan_files()?,
            tests: self.test_rows(&TestFilter::default())?,
            coverage: self.coverage()?,
            kev: HashMap::new(),
            kev_catalog: store::sar::kev_catalog(conn)?,
            sap_signed: matches!(store::sap::state(conn)?, Some((_, Some(_)))),
            deviations: self.sap_deviations()?,
            freeze: self.current_freeze()?,
            drift: self.drift()?,
            evidence: self.list_evidence()?,
        };
        // Look up only the CVEs the items will name.
        inputs.kev = store::sar::kev_due_dates(conn, &report::named_cves(&inputs))?;
        Ok(inputs)
    }

    /// The risk items (RET rows and POA&M items), numbered in the CSP's scheme.
    pub fn risk_items(&self) -> Result<Vec<RiskItem>> {
        Ok(self.sar_report()?.items)
    }

    /// The whole computed SAR.
    pub fn sar_report(&self) -> Result<SarReport> {
        Ok(report::compute(&self.report_inputs()?))
    }

    /// Everything the SAR, RET and POA&M exporters read, computed once (the package renders six
    /// documents from one of these).
    pub fn sar_export_input(&self) -> Result<SarExportInput> {
        let inputs = self.report_inputs()?;
        let report = report::compute(&inputs);
        Ok(SarExportInput {
            report,
            sap: self.sap()?,
            overview: self.system_overview()?,
            tests: inputs.tests,
            findings: inputs.findings,
        })
    }

    /// The time a document or package says it was generated: `generated_at` (RFC 3339) when
    /// given, else now.
    pub fn generation_time(
        &self,
        generated_at: Option<&str>,
    ) -> Result<chrono::DateTime<chrono::Utc>> {
        Ok(match generated_at {
            Some(t) => chrono::DateTime::parse_from_rfc3339(t.trim())
                .map_err(|e| {
                    Error::validation(
                        "generated-at",
                        format!("'{t}' is not an RFC 3339 time such as 2026-05-08T12:00:00Z: {e}"),
                    )
                })?
                .to_utc(),
            None => self.ctx.clock.now(),
        })
    }

    /// The export options for one deliverable, decided here for the CLI and the app alike: the
    /// generation time is `generated_at` (RFC 3339) when given, else now; the document id is
    /// `document_id` when given, else the engagement's default for `kind`.
    pub fn export_options(
        &self,
        kind: DocumentKind,
        generated_at: Option<&str>,
        document_id: Option<String>,
    ) -> Result<ExportOptions> {
        let at = self.generation_time(generated_at)?;
        Ok(ExportOptions::new(
            &self.engagement()?.id,
            kind,
            at,
            document_id,
        ))
    }
}
