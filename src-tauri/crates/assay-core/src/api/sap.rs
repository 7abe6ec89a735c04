//! The Security Assessment Plan: drafting it from the SSP and baseline, editing its sections,
//! checking it is complete, signing it, recording deviations after signing, and exporting it.
//!
//! Invariants: every edit is one transaction with its audit record; a signed SAP still accepts
//! edits, but each needs a justification and is stored as a deviation (DEV-n) in the same
//! transaction; exports refuse while a blocking completeness issue remains.

use super::Session;
use crate::error::{Error, Result};
use crate::export;
use crate::model::report::{ExportOptions, SapExportInput};
use crate::model::sap::{
    self, DraftInputs, Sap, SapData, SapDeviation, SapHeader, SapIssue, SapSectionUpdate,
    SapSigning, SapSspRef, Signature,
};
use crate::model::AuditEntry;
use crate::store;

impl Session {
    /// The SAP: the stored draft, or (before the first edit) the pre-fill, not yet stored.
    pub fn sap(&self) -> Result<Sap> {
        let conn = self.store.conn();
        let state = store::sap::state(conn)?;
        let data = match store::sap::load(conn)? {
            Some(d) => d,
            None => sap::draft(&self.draft_inputs()?),
        };
        let people = store::team::list(conn)?;
        Ok(Sap {
            drafted: state.is_some(),
            drafted_at: state.as_ref().map(|(at, _)| at.clone()),
            signing: state.and_then(|(_, s)| s),
            header: self.sap_header()?,
            team: sap::team_view(&people, &data.team_validation),
            csp_contacts: people
                .into_iter()
                .filter(|m| m.side == crate::model::Side::Csp)
                .collect(),
            deviations: store::sap::deviations(conn)?,
            data,
        })
    }

    /// Pre-fills every section from the engagement, SSP and baseline and stores it, replacing
    /// the current draft. Refused once the SAP is signed.
    pub fn draft_sap(&mut self) -> Result<Sap> {
        let state = store::sap::state(self.store.conn())?;
        if matches!(state, Some((_, Some(_)))) {
            return Err(Error::validation(
                "SAP",
                "the SAP is signed; change a section instead (each change is recorded as a deviation)",
            ));
        }
        let data = sap::draft(&self.draft_inputs()?);
        let redraft = state.is_some();
        self.write(|tx, ctx| {
            store::sap::replace(tx, &data, &ctx.timestamp())?;
            let entry = AuditEntry {
                entity: "sap".into(),
                entity_id: "sap".into(),
                action: if redraft { "redraft" } else { "draft" }.into(),
                summary: format!(
                    "{} the SAP from the SSP and baseline: {} controls, {} scope items, {} roles",
                    if redraft { "re-drafted" } else { "drafted" },
                    data.control_selection.len(),
                    data.scope.subjects.len(),
                    data.roles.len()
                ),
                before: String::new(),
                after: store::to_json(&data)?,
            };
            Ok(((), vec![entry]))
        })?;
        self.sap()
    }

    /// Replaces one section. Before signing, `justification` is optional; after signing it is
    /// required and the change is recorded as a deviation from the SAP.
    pub fn update_sap(
        &mut self,
        update: SapSectionUpdate,
        justification: Option<String>,
    ) -> Result<Sap> {
        let conn = self.store.conn();
        let state = store::sap::state(conn)?;
        let signed = matches!(state, Some((_, Some(_))));
        let justification = justification
            .map(|j| j.trim().to_owned())
            .filter(|j| !j.is_empty());
        if signed && justification.is_none() {
            return Err(Error::validation(
                "justification",
                "the SAP is signed: a change needs a justification, and is recorded as a deviation from the SAP",
            ));
        }
        let stored = store::sap::load(conn)?;
        let first = stored.is_none();
        let before = match stored {
            Some(d) => d,
            None => sap::draft(&self.draft_inputs()?),
        };
        let section = update.section();
        let mut after = before.clone();
        let key = update.apply(&mut after);
        let value = |d: &SapData| -> Result<serde_json::Value> {
            let v = serde_json::to_value(d).map_err(|e| Error::Encode {
                what: "the SAP".into(),
                message: e.to_string(),
            })?;
            Ok(v.get(key).cloned().unwrap_or(serde_json::Value::Null))
        };
        let (old, new) = (value(&before)?, value(&after)?);
        if old == new && !first {
            return self.sap();
        }
        let change = sap::describe_change(&old, &new, 4);
        self.write(|tx, ctx| {
            let mut entries = Vec::new();
            if first {
                store::sap::replace(tx, &before, &ctx.timestamp())?;
                entries.push(AuditEntry {
                    entity: "sap".into(),
                    entity_id: "sap".into(),
                    action: "draft".into(),
                    summary: "drafted the SAP from the SSP and baseline".into(),
                    before: String::new(),
                    after: store::to_json(&before)?,
                });
            }
            store::sap::put_section(tx, key, &new)?;
            let mut summary = format!("SAP {}: {change}", section.label());
            if signed {
                let j = justification.clone().unwrap_or_default();
                let id = store::sap::add_deviation(
                    tx,
                    section.code(),
                    &change,
                    &j,
                    &ctx.timestamp(),
                    &ctx.actor,
                )?;
                summary =
                    format!("{id} deviation from the signed SAP: {summary} (justification: {j})");
            }
            entries.push(AuditEntry {
                entity: "sap_section".into(),
                entity_id: key.to_owned(),
                action: if signed { "deviate" } else { "update" }.into(),
                summary,
                before: store::to_json(&old)?,
                after: store::to_json(&new)?,
            });
            Ok(((), entries))
        })?;
        self.sap()
    }

    /// What the SAP still lacks, blocking items first.
    pub fn sap_completeness(&self) -> Result<Vec<SapIssue>> {
        Ok(sap::completeness(&self.sap()?))
    }

    /// Records both signatures and locks the SAP; refused while blocking issues remain. Sets the
    /// engagement's test window from the "Perform Testing" task (or the signing date) when empty.
    pub fn sign_sap(&mut self, ia: Signature, csp: Signature) -> Result<Sap> {
        for (who, s) in [("3PAO", &ia), ("CSP", &csp)] {
            if s.name.trim().is_empty() {
                return Err(Error::validation(
                    "signature",
                    format!("the {who} signature needs the signer's name"),
                ));
            }
        }
        let current = self.sap()?;
        if current.is_signed() {
            return Err(Error::validation("SAP", "the SAP is already signed"));
        }
        let blocking: Vec<SapIssue> = sap::completeness(&current)
            .into_iter()
            .filter(SapIssue::is_blocking)
            .collect();
        if !blocking.is_empty() {
            return Err(refusal("sign", blocking));
        }
        let engagement = self.engagement()?;
        let testing = current
            .data
            .schedule
            .iter()
            .find(|t| t.name == sap::TESTING_TASK);
        let mut updated = engagement.clone();
        if updated.test_window_start.is_none() {
            updated.test_window_start = testing
                .and_then(|t| t.start)
                .or(Some(ia.date.max(csp.date)));
        }
        if updated.test_window_end.is_none() {
            updated.test_window_end = testing
                .and_then(|t| t.finish)
                .filter(|f| updated.test_window_start.is_none_or(|s| *f >= s));
        }
        let drafted = current.drafted;
        let data = current.data.clone();
        self.write(|tx, ctx| {
            let mut entries = Vec::new();
            if !drafted {
                store::sap::replace(tx, &data, &ctx.timestamp())?;
                entries.push(AuditEntry {
                    entity: "sap".into(),
                    entity_id: "sap".into(),
                    action: "draft".into(),
                    summary: "drafted the SAP from the SSP and baseline".into(),
                    before: String::new(),
                    after: store::to_json(&data)?,
                });
            }
            let signing = SapSigning {
                ia: trimmed(ia),
                csp: trimmed(csp),
                recorded_at: ctx.timestamp(),
                recorded_by: ctx.actor.clone(),
            };
            store::sap::sign(tx, &signing)?;
            entries.push(AuditEntry {
                entity: "sap".into(),
                entity_id: "sap".into(),
                action: "sign".into(),
                summary: format!(
                    "signed the SAP: 3PAO {} ({}) on {}, CSP {} ({}) on {}; later changes are deviations",
                    signing.ia.name,
                    signing.ia.title,
                    signing.ia.date,
                    signing.csp.name,
                    signing.csp.title,
                    signing.csp.date
                ),
                before: String::new(),
                after: store::to_json(&signing)?,
            });
            if updated != engagement {
                updated.updated_at = ctx.timestamp();
                store::engagement::update(tx, &updated)?;
                let show = |d: Option<chrono::NaiveDate>| {
                    d.map(|d| d.to_string()).unwrap_or_else(|| "(empty)".into())
                };
                entries.push(AuditEntry {
                    entity: "engagement".into(),
                    entity_id: updated.id.clone(),
                    action: "update".into(),
                    summary: format!(
                        "Test window: {} – {} (from the signed SAP)",
                        show(updated.test_window_start),
                        show(updated.test_window_end)
                    ),
                    before: format!(
                        "{} – {}",
                        show(engagement.test_window_start),
                        show(engagement.test_window_end)
                    ),
                    after: format!(
                        "{} – {}",
                        show(updated.test_window_start),
                        show(updated.test_window_end)
                    ),
                });
            }
            Ok(((), entries))
        })?;
        self.sap()
    }

    /// The deviations from the signed SAP, for the SAR.
    pub fn sap_deviations(&self) -> Result<Vec<SapDeviation>> {
        store::sap::deviations(self.store.conn())
    }

    /// The SAP as a PDF; refused while blocking issues remain.
    pub fn export_sap_pdf(&self, opts: &ExportOptions) -> Result<Vec<u8>> {
        let input = self.sap_export_input("export")?;
        Ok(export::sap_pdf::render(&input, opts)?)
    }

    /// The SAP as an OSCAL 1.2.1 assessment plan (JSON); refused while blocking issues remain.
    pub fn export_sap_oscal(&self, opts: &ExportOptions) -> Result<Vec<u8>> {
        let input = self.sap_export_input("export")?;
        Ok(export::oscal_ap::render(&input, opts)?)
    }

    pub(crate) fn sap_export_input(&self, verb: &str) -> Result<SapExportInput> {
        let sap = self.sap()?;
        let blocking: Vec<SapIssue> = sap::completeness(&sap)
            .into_iter()
            .filter(SapIssue::is_blocking)
            .collect();
        if !blocking.is_empty() {
            return Err(refusal(verb, blocking));
        }
        Ok(SapExportInput {
            objectives: store::sap::assessable_objectives(self.store.conn())?,
            sap,
        })
    }

    fn sap_header(&self) -> Result<SapHeader> {
        let conn = self.store.conn();
        let e = self.engagement()?;
        let ssp = self.sap_ssp_ref()?;
        let package_id = if e.package_id.is_empty() {
            ssp.as_ref()
                .and_then(|s| s.package_id.clone())
                .unwrap_or_default()
        } else {
            e.package_id.clone()
        };
        Ok(SapHeader {
            csp_name: e.csp_name,
            cso_name: e.cso_name,
            assessor_org: e.assessor_org,
            agency: e.agency,
            package_id,
            impact_level: e.impact_level,
            assessment_type: e.assessment_type,
            ssp,
            baseline_title: store::baseline::info(conn)?.map(|b| b.title),
        })
    }

    fn sap_ssp_ref(&self) -> Result<Option<SapSspRef>> {
        let conn = self.store.conn();
        let (Some(import), Some(doc)) = (
            store::ssp::current_import(conn)?,
            store::ssp::document(conn)?,
        ) else {
            return Ok(None);
        };
        Ok(Some(SapSspRef::new(
            &import,
            &doc.uuid,
            &doc.metadata.last_modified,
            &doc.system.system_name,
            doc.system.fedramp_package_id.clone(),
        )))
    }

    fn draft_inputs(&self) -> Result<DraftInputs> {
        let has_ssp = store::ssp::current_import(self.store.conn())?.is_some();
        Ok(DraftInputs {
            engagement: Some(self.engagement()?),
            ssp: self.sap_ssp_ref()?,
            components: if has_ssp {
                self.components()?
            } else {
                Vec::new()
            },
            inventory: if has_ssp {
                self.inventory()?
            } else {
                Vec::new()
            },
            users: if has_ssp { self.users()? } else { Vec::new() },
            controls: self.controls()?,
        })
    }
}

fn trimmed(s: Signature) -> Signature {
    Signature {
        name: s.name.trim().to_owned(),
        title: s.title.trim().to_owned(),
        date: s.date,
    }
}

/// The refusal of `verb` ("sign", "export") while `blocking` items remain.
fn refusal(verb: &str, blocking: Vec<SapIssue>) -> Error {
    Error::SapBlocked {
        verb: verb.to_owned(),
        blocking,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::api::Context;
    use crate::clock::{FixedClock, SequentialIds};
    use crate::model::sap::SapTool;
    use crate::model::NewEngagement;
    use chrono::DateTime;

    fn session(dir: &std::path::Path) -> Session {
        let start = DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
            .unwrap()
            .to_utc();
        let ctx = Context {
            clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
            ids: Arc::new(SequentialIds::new(1)),
            actor: "tester".into(),
        };
        Session::create(&dir.join("e.assay"), &NewEngagement::named("Cloud"), ctx).unwrap()
    }

    fn tools() -> SapSectionUpdate {
        SapSectionUpdate::Tools(vec![SapTool {
            name: "Nessus".into(),
            vendor: "Tenable".into(),
            version: "10".into(),
            purpose: "Scanning".into(),
        }])
    }

    #[test]
    fn the_prefill_is_shown_unstored_and_the_first_edit_stores_it_with_audit_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        let before = s.audit_log().unwrap().len();
        let sap = s.sap().unwrap();
        assert!(!sap.drafted);
        assert_eq!(sap.data.schedule.len(), sap::STANDARD_TASKS.len());
        assert_eq!(
            s.audit_log().unwrap().len(),
            before,
            "reading writes nothing"
        );
        let sap = s.update_sap(tools(), None).unwrap();
        assert!(sap.drafted);
        assert_eq!(sap.data.tools[0].name, "Nessus");
        let log = s.audit_log().unwrap();
        assert_eq!(log.len(), before + 2, "draft + edit");
        assert!(
            log[before + 1]
                .summary
                .starts_with("SAP Tools: added 'Nessus'"),
            "{}",
            log[before + 1].summary
        );
        // Saving the same section again changes nothing and logs nothing.
        s.update_sap(tools(), None).unwrap();
        assert_eq!(s.audit_log().unwrap().len(), before + 2);
        assert!(s.verify_audit_log().unwrap().is_intact());
    }

    #[test]
    fn signing_and_export_are_refused_while_items_block() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        let sig = Signature {
            name: "A".into(),
            title: "T".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        };
        let err = s.sign_sap(sig.clone(), sig).unwrap_err().to_string();
        assert!(err.contains("cannot sign the SAP while"), "{err}");
        assert!(err.contains("Scope: no SSP imported"), "{err}");
        let opts = ExportOptions {
            generated_at: DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
                .unwrap()
                .to_utc(),
            document_id: "d".into(),
        };
        let err = s.export_sap_pdf(&opts).unwrap_err().to_string();
        assert!(err.contains("cannot export the SAP"), "{err}");
        assert!(s.export_sap_oscal(&opts).is_err());
        assert!(s.sap_deviations().unwrap().is_empty());
    }
}
