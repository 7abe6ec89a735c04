//! Findings (manual, documentation review, interview, penetration test) with their FedRAMP risk,
//! deviations and closure, and the finding library of reusable write-ups.
//!
//! Invariants: the risk is always computed from likelihood and impact by `assay_risk` (never
//! entered); an adjusted rating is kept beside the original; every deviation passes the
//! `assay_risk` check for the finding's current rating on every change, so a finding is never
//! stored in a state FedRAMP would refuse (e.g. an operational requirement on a High).

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{Context, Session};
use crate::error::{Error, Result};
use crate::model::ids::{FindingId, LibraryEntryId};
use crate::model::testing::{
    CvssInfo, DeviationAnswer, DeviationInfo, DeviationInput, Finding, FindingStatus,
    FindingUpdate, LibraryEntry, NewFinding, NewLibraryEntry, RiskAdjustmentInfo,
    RiskAdjustmentInput, RiskLevel, VendorDependencyInfo, VendorDependencyInput,
};
use crate::model::AuditEntry;
use crate::store;

fn deviation_error(field: &str, e: assay_risk::DeviationError) -> Error {
    Error::validation(field, e.to_string())
}

fn flag_code(f: assay_risk::DeviationFlag) -> String {
    match f {
        assay_risk::DeviationFlag::HighToLow => "high-to-low",
        assay_risk::DeviationFlag::NoRationale => "no-rationale",
        assay_risk::DeviationFlag::HighVendorDependencyOverdue => "high-vendor-dependency-overdue",
        assay_risk::DeviationFlag::VendorCheckInOverdue => "vendor-check-in-overdue",
    }
    .to_owned()
}

fn text(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|t| !t.is_empty())
}

/// Scores a CVSS vector (what a finding stores).
pub fn score_cvss(vector: &str) -> Result<CvssInfo> {
    Ok(crate::model::cvss::score(vector)?)
}

/// Recomputes the derived fields of `f` and checks every rule; `today` dates the vendor checks.
fn settle(f: &mut Finding, today: NaiveDate) -> Result<()> {
    if text(&f.title).is_none() {
        return Err(Error::validation("title", "a finding needs a title"));
    }
    let (l, i) = (f.likelihood.into(), f.impact.into());
    f.risk = assay_risk::risk_exposure(l, i).into();
    let mut adjusted: Option<assay_risk::Level> = None;
    if let Some(ra) = &mut f.risk_adjustment {
        let checked = assay_risk::check_risk_adjustment(
            l,
            i,
            ra.adjusted_likelihood.into(),
            ra.adjusted_impact.into(),
            text(&ra.rationale),
        )
        .map_err(|e| deviation_error("risk adjustment", e))?;
        if ra.status == DeviationAnswer::Yes && text(&ra.rationale).is_none() {
            return Err(Error::validation(
                "risk adjustment",
                "a validated (Yes) risk adjustment needs a rationale",
            ));
        }
        ra.adjusted_risk = checked.adjusted.exposure.into();
        ra.flags = checked.flags.into_iter().map(flag_code).collect();
        adjusted = Some(checked.adjusted.exposure);
    }
    if let Some(fp) = &f.false_positive {
        assay_risk::check_false_positive(fp.status.into(), text(&fp.rationale))
            .map_err(|e| deviation_error("false positive", e))?;
    }
    if let Some(or) = &f.operational_requirement {
        assay_risk::check_operational_requirement(
            or.status.into(),
            f.risk.into(),
            adjusted,
            text(&or.rationale),
        )
        .map_err(|e| deviation_error("operational requirement", e))?;
    }
    if let Some(vd) = &mut f.vendor_dependency {
        let checked = assay_risk::check_vendor_dependency(
            text(&vd.product),
            f.detected_on,
            Some(vd.last_check_in),
            f.risk.into(),
            adjusted,
            today,
        )
        .map_err(|e| deviation_error("vendor dependency", e))?;
        vd.product = checked.product_name;
        vd.flags = checked.flags.into_iter().map(flag_code).collect();
    }
    f.effective_risk = match &f.risk_adjustment {
        Some(ra) if ra.status == DeviationAnswer::Yes => ra.adjusted_risk,
        _ => f.risk,
    };
    match (f.status, &f.closure) {
        (FindingStatus::CorrectedDuringTesting, None) => {
            return Err(Error::validation(
                "status",
                "a finding corrected during testing needs a closure description and date",
            ))
        }
        (FindingStatus::CorrectedDuringTesting, Some(c)) if text(&c.description).is_none() => {
            return Err(Error::validation(
                "closure",
                "describe how the finding was corrected and verified",
            ))
        }
        (FindingStatus::Open, Some(_)) => f.closure = None,
        _ => {}
    }
    let validated_fp = f
        .false_positive
        .as_ref()
        .is_some_and(|fp| fp.status == DeviationAnswer::Yes);
    f.open = f.status == FindingStatus::Open && !validated_fp;
    Ok(())
}

fn risk_adjustment(input: &RiskAdjustmentInput) -> Option<RiskAdjustmentInfo> {
    (input.status != DeviationAnswer::No).then(|| RiskAdjustmentInfo {
        status: input.status,
        adjusted_likelihood: input.adjusted_likelihood,
        adjusted_impact: input.adjusted_impact,
        // Computed by `settle`.
        adjusted_risk: RiskLevel::Low,
        rationale: input.rationale.trim().to_owned(),
        evidence_ids: input.evidence_ids.clone(),
        flags: Vec::new(),
    })
}

fn deviation(input: &DeviationInput) -> Option<DeviationInfo> {
    (input.status != DeviationAnswer::No).then(|| DeviationInfo {
        status: input.status,
        rationale: input.rationale.trim().to_owned(),
        evidence_ids: input.evidence_ids.clone(),
    })
}

fn vendor_dependency(input: &VendorDependencyInput) -> Result<Option<VendorDependencyInfo>> {
    if input.status == DeviationAnswer::No {
        return Ok(None);
    }
    let Some(last_check_in) = input.last_check_in else {
        return Err(deviation_error(
            "vendor dependency",
            assay_risk::DeviationError::VendorDependencyWithoutCheckIn,
        ));
    };
    Ok(Some(VendorDependencyInfo {
        status: input.status,
        product: input.product.trim().to_owned(),
        last_check_in,
        rationale: input.rationale.trim().to_owned(),
        evidence_ids: input.evidence_ids.clone(),
        flags: Vec::new(),
    }))
}

/// Lower-cases control ids and accepts display labels: `AC-2(1)` → `ac-2.1`.
fn control_id(label: &str) -> String {
    label
        .trim()
        .to_lowercase()
        .replace('(', ".")
        .replace(')', "")
}

fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        let i = i.trim();
        if !i.is_empty() && !out.iter().any(|o| o == i) {
            out.push(i.to_owned());
        }
    }
    out
}

/// Every evidence id a finding refers to (its own and its deviations' and closure's).
fn all_evidence(f: &Finding) -> Vec<String> {
    let mut ids = f.evidence_ids.clone();
    if let Some(ra) = &f.risk_adjustment {
        ids.extend(ra.evidence_ids.iter().cloned());
    }
    for d in [&f.false_positive, &f.operational_requirement]
        .into_iter()
        .flatten()
    {
        ids.extend(d.evidence_ids.iter().cloned());
    }
    if let Some(vd) = &f.vendor_dependency {
        ids.extend(vd.evidence_ids.iter().cloned());
    }
    if let Some(c) = &f.closure {
        ids.extend(c.verification_evidence_ids.iter().cloned());
    }
    clean_list(&ids)
}

/// Checks the controls, assets, objectives and evidence a finding names exist.
fn check_references(conn: &Connection, f: &Finding) -> Result<()> {
    if store::testing::has_baseline(conn)? {
        for c in &f.controls {
            if !store::testing::control_exists(conn, c)? {
                return Err(Error::validation(
                    "controls",
                    format!("{c} is not a control of the loaded baseline"),
                ));
            }
        }
    }
    for a in &f.assets {
        if !store::testing::inventory_item_exists(conn, a)? {
            return Err(Error::validation(
                "assets",
                format!("{a} is not an inventory item uuid of the stored SSP"),
            ));
        }
    }
    for o in &f.objective_ids {
        if store::testing::test_row_for(conn, o)?.is_none() {
            return Err(Error::validation(
                "objectives",
                format!("{o} is not an objective of the tested baseline"),
            ));
        }
    }
    for e in all_evidence(f) {
        if store::testing::evidence(conn, &e)?.is_none() {
            return Err(Error::NotFound {
                what: format!("evidence {e}"),
            });
        }
    }
    Ok(())
}

/// Stores `f`, links its evidence (logging new links in custody) and returns the audit entries.
fn save(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Context,
    f: &Finding,
    number: u32,
) -> Result<Vec<AuditEntry>> {
    store::testing::save_finding(tx, f, number)?;
    let now = ctx.timestamp();
    let mut entries = Vec::new();
    for e in all_evidence(f) {
        if store::testing::insert_link(tx, &e, "finding", &f.id, &now)? {
            store::testing::append_custody(
                tx,
                &e,
                &now,
                &ctx.actor,
                "link",
                &format!("linked to finding {}", f.reference),
            )?;
            entries.push(super::testing::link_entry(&e, "finding", &f.id));
        }
    }
    Ok(entries)
}

/// Stores a prepared new finding inside the caller's transaction; returns its audit entries.
pub(super) fn create_finding(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Context,
    f: &mut Finding,
) -> Result<Vec<AuditEntry>> {
    // Numbered here, inside the write transaction (which holds the write lock from its
    // start), so concurrent writers never read the same "next number".
    let number = store::testing::next_finding_number(tx)?;
    f.reference = finding_reference(number);
    let mut entries = vec![AuditEntry {
        entity: "finding".into(),
        entity_id: f.id.clone(),
        action: "create".into(),
        summary: format!(
            "added finding {} \"{}\" ({} risk: likelihood {}, impact {})",
            f.reference, f.title, f.risk, f.likelihood, f.impact
        ),
        before: String::new(),
        after: super::engagement::to_json(f),
    }];
    entries.extend(save(tx, ctx, f, number)?);
    Ok(entries)
}

/// `F-001`: a finding's reference from its number.
fn finding_reference(number: u32) -> String {
    format!("F-{number:03}")
}

fn load(conn: &Connection, id: &str) -> Result<(Finding, u32)> {
    let (mut f, n) = store::testing::finding(conn, id)?.ok_or_else(|| Error::NotFound {
        what: format!("finding {id}"),
    })?;
    f.evidence_ids = store::testing::linked_evidence(conn, "finding", id)?;
    Ok((f, n))
}

impl Session {
    fn today(&self) -> NaiveDate {
        self.ctx.clock.now().date_naive()
    }

    /// Adds a finding; its risk is computed from likelihood and impact.
    pub fn add_finding(&mut self, new: &NewFinding) -> Result<Finding> {
        let mut f = self.prepare_finding(new)?;
        self.write(|tx, ctx| {
            let entries = create_finding(tx, ctx, &mut f)?;
            Ok((f, entries))
        })
    }

    /// Builds and checks a new finding without storing it; [`create_finding`] numbers it.
    pub(super) fn prepare_finding(&self, new: &NewFinding) -> Result<Finding> {
        let conn = self.store.conn();
        let now = self.ctx.timestamp();
        let mut f = Finding {
            id: self.ctx.new_id(),
            reference: String::new(),
            title: new.title.trim().to_owned(),
            description: new.description.trim().to_owned(),
            source: new.source,
            category: new.category,
            controls: clean_list(
                &new.controls
                    .iter()
                    .map(|c| control_id(c))
                    .collect::<Vec<_>>(),
            ),
            assets: clean_list(&new.assets),
            objective_ids: clean_list(&new.objective_ids),
            likelihood: new.likelihood,
            impact: new.impact,
            risk: RiskLevel::Low,
            effective_risk: RiskLevel::Low,
            risk_statement: new.risk_statement.trim().to_owned(),
            recommendation: new.recommendation.trim().to_owned(),
            evidence_ids: clean_list(&new.evidence_ids),
            status: FindingStatus::Open,
            closure: None,
            open: true,
            risk_adjustment: None,
            false_positive: None,
            operational_requirement: None,
            vendor_dependency: None,
            cvss: new
                .cvss_vector
                .as_deref()
                .and_then(text)
                .map(score_cvss)
                .transpose()?,
            library_entry_id: None,
            detected_on: new.detected_on.unwrap_or_else(|| self.today()),
            created_at: now.clone(),
            updated_at: now,
        };
        settle(&mut f, self.today())?;
        check_references(conn, &f)?;
        Ok(f)
    }

    /// Changes a finding; deviations are re-checked against its (possibly new) rating.
    pub fn update_finding(&mut self, id: &FindingId, u: &FindingUpdate) -> Result<Finding> {
        let id = id.as_str();
        let (before, number) = load(self.store.conn(), id)?;
        let mut f = before.clone();
        if let Some(v) = &u.title {
            f.title = v.trim().to_owned();
        }
        if let Some(v) = &u.description {
            f.description = v.trim().to_owned();
        }
        if let Some(v) = u.source {
            f.source = v;
        }
        if let Some(v) = u.category {
            f.category = v;
        }
        if let Some(v) = &u.controls {
            f.controls = clean_list(&v.iter().map(|c| control_id(c)).collect::<Vec<_>>());
        }
        if let Some(v) = &u.assets {
            f.assets = clean_list(v);
        }
        if let Some(v) = &u.objective_ids {
            f.objective_ids = clean_list(v);
        }
        if let Some(v) = u.likelihood {
            f.likelihood = v;
        }
        if let Some(v) = u.impact {
            f.impact = v;
        }
        if let Some(v) = &u.risk_statement {
            f.risk_statement = v.trim().to_owned();
        }
        if let Some(v) = &u.recommendation {
            f.recommendation = v.trim().to_owned();
        }
        if let Some(v) = &u.cvss_vector {
            f.cvss = text(v).map(score_cvss).transpose()?;
        }
        if let Some(c) = &u.closure {
            f.closure = Some(c.clone());
        }
        if let Some(s) = u.status {
            f.status = s;
        }
        if let Some(ra) = &u.risk_adjustment {
            f.risk_adjustment = risk_adjustment(ra);
        }
        if let Some(fp) = &u.false_positive {
            f.false_positive = deviation(fp);
        }
        if let Some(or) = &u.operational_requirement {
            f.operational_requirement = deviation(or);
        }
        if let Some(vd) = &u.vendor_dependency {
            f.vendor_dependency = vendor_dependency(vd)?;
        }
        self.store_update(before, f, number, "updated")
    }

    /// Validates and stores a changed finding with its audit record.
    fn store_update(
        &mut self,
        before: Finding,
        mut f: Finding,
        number: u32,
        verb: &str,
    ) -> Result<Finding> {
        settle(&mut f, self.today())?;
        if f == before {
            return Ok(before);
        }
        check_references(self.store.conn(), &f)?;
        self.write(|tx, ctx| {
            f.updated_at = ctx.timestamp();
            let mut entries = vec![AuditEntry {
                entity: "finding".into(),
                entity_id: f.id.clone(),
                action: "update".into(),
                summary: format!(
                    "{verb} finding {} \"{}\" ({} risk{}{})",
                    f.reference,
                    f.title,
                    f.risk,
                    if f.effective_risk != f.risk {
                        format!(", adjusted to {}", f.effective_risk)
                    } else {
                        String::new()
                    },
                    if f.open { "" } else { ", closed" }
                ),
                before: super::engagement::to_json(&before),
                after: super::engagement::to_json(&f),
            }];
            entries.extend(save(tx, ctx, &f, number)?);
            let (f, _) = load(tx, &f.id)?;
            Ok((f, entries))
        })
    }

    /// Every finding, in the order created.
    pub fn list_findings(&self) -> Result<Vec<Finding>> {
        let conn = self.store.conn();
        let mut out = store::testing::findings(conn)?;
        for f in &mut out {
            f.evidence_ids = store::testing::linked_evidence(conn, "finding", &f.id)?;
        }
        Ok(out)
    }

    /// One finding.
    pub fn get_finding(&self, id: &FindingId) -> Result<Finding> {
        Ok(load(self.store.conn(), id.as_str())?.0)
    }

    /// Adds a reusable write-up to the finding library.
    pub fn add_library_entry(&mut self, new: &NewLibraryEntry) -> Result<LibraryEntry> {
        if text(&new.title).is_none() {
            return Err(Error::validation("title", "a library entry needs a title"));
        }
        let now = self.ctx.timestamp();
        let entry = LibraryEntry {
            id: self.ctx.new_id(),
            title: new.title.trim().to_owned(),
            description: new.description.trim().to_owned(),
            recommendation: new.recommendation.trim().to_owned(),
            risk_statement: new.risk_statement.trim().to_owned(),
            likelihood: new.likelihood,
            impact: new.impact,
            controls: clean_list(
                &new.controls
                    .iter()
                    .map(|c| control_id(c))
                    .collect::<Vec<_>>(),
            ),
            scanner_ids: clean_list(&new.scanner_ids),
            created_at: now.clone(),
            updated_at: now,
        };
        self.write(|tx, _| {
            store::testing::save_library_entry(tx, &entry)?;
            let audit = AuditEntry {
                entity: "library_entry".into(),
                entity_id: entry.id.clone(),
                action: "create".into(),
                summary: format!("added \"{}\" to the finding library", entry.title),
                before: String::new(),
                after: super::engagement::to_json(&entry),
            };
            Ok((entry, vec![audit]))
        })
    }

    /// Saves a finding's write-up to the library.
    pub fn library_entry_from_finding(&mut self, finding_id: &FindingId) -> Result<LibraryEntry> {
        let f = self.get_finding(finding_id)?;
        self.add_library_entry(&NewLibraryEntry {
            title: f.title,
            description: f.description,
            recommendation: f.recommendation,
            risk_statement: f.risk_statement,
            likelihood: f.likelihood,
            impact: f.impact,
            controls: f.controls,
            scanner_ids: Vec::new(),
        })
    }

    /// The finding library, by title.
    pub fn list_library(&self) -> Result<Vec<LibraryEntry>> {
        store::testing::library(self.store.conn())
    }

    /// Applies a library write-up to a finding in one action: title, description, risk
    /// statement, recommendation, likelihood and impact are replaced (non-empty values only),
    /// controls are merged; deviations are re-checked against the new rating.
    ///
    /// The ids are typed, so the arguments cannot be swapped:
    ///
    /// ```no_run
    /// # use assay_core::model::ids::{FindingId, LibraryEntryId};
    /// # fn apply(s: &mut assay_core::Session, finding: FindingId, entry: LibraryEntryId) {
    /// s.apply_library_entry(&finding, &entry);
    /// # }
    /// ```
    ///
    /// ```compile_fail
    /// # use assay_core::model::ids::{FindingId, LibraryEntryId};
    /// # fn apply(s: &mut assay_core::Session, finding: FindingId, entry: LibraryEntryId) {
    /// s.apply_library_entry(&entry, &finding);
    /// # }
    /// ```
    pub fn apply_library_entry(
        &mut self,
        finding_id: &FindingId,
        entry_id: &LibraryEntryId,
    ) -> Result<Finding> {
        let (finding_id, entry_id) = (finding_id.as_str(), entry_id.as_str());
        let (before, number) = load(self.store.conn(), finding_id)?;
        let entry =
            store::testing::library_entry(self.store.conn(), entry_id)?.ok_or_else(|| {
                Error::NotFound {
                    what: format!("library entry {entry_id}"),
                }
            })?;
        let mut f = before.clone();
        for (slot, value) in [
            (&mut f.title, &entry.title),
            (&mut f.description, &entry.description),
            (&mut f.risk_statement, &entry.risk_statement),
            (&mut f.recommendation, &entry.recommendation),
        ] {
            if text(value).is_some() {
                slot.clone_from(value);
            }
        }
        f.likelihood = entry.likelihood;
        f.impact = entry.impact;
        let mut controls = f.controls.clone();
        controls.extend(entry.controls.iter().cloned());
        f.controls = clean_list(&controls);
        f.library_entry_id = Some(entry.id.clone());
        let verb = format!("applied library entry \"{}\" to", entry.title);
        self.store_update(before, f, number, &verb)
    }
}
