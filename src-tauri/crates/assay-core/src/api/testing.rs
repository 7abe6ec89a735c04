//! Testing during the freeze: the freeze baseline and drift after it, and the control test table
//! (one row per in-scope objective) with bulk results, progress and completeness.
//!
//! Invariants: the freeze hash depends only on the SSP's in-scope content and the window, never on
//! the file it came from (JSON and XML forms of one SSP hash the same); an other-than-satisfied
//! result is stored only with a linked finding or a recorded reason, or it is listed by
//! [`Session::test_gaps`].

use chrono::NaiveDate;
use rusqlite::Transaction;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Context, Session};
use crate::error::{Error, Result};
use crate::model::ids::ObjectiveId;
use crate::model::oscal::SystemSecurityPlan;
use crate::model::ssp::{SspChanges, SspImportRecord};
use crate::model::testing::{
    Drift, FamilyProgress, Freeze, ProgressCount, TestFilter, TestGap, TestProgress, TestResult,
    TestRow, TestUpdate, TestWindow,
};
use crate::model::AuditEntry;
use crate::store;

/// Writes `value` as JSON with object keys sorted at every level, so the bytes depend only on the
/// content (not on field order or map iteration order).
fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(&Value::String(k.clone()), out);
                out.push(b':');
                if let Some(v) = map.get(k) {
                    write_canonical(v, out);
                }
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        // Scalars have one serialisation in serde_json.
        scalar => out.extend_from_slice(scalar.to_string().as_bytes()),
    }
}

fn canonical_entities<T: Serialize>(
    what: &str,
    items: &[T],
    uuid: impl Fn(&T) -> &str,
) -> Result<Vec<serde_json::Value>> {
    let mut keyed: Vec<(String, Vec<u8>, serde_json::Value)> = Vec::with_capacity(items.len());
    for item in items {
        let value = serde_json::to_value(item).map_err(|e| Error::Encode {
            what: what.to_string(),
            message: e.to_string(),
        })?;
        let mut bytes = Vec::new();
        write_canonical(&value, &mut bytes);
        keyed.push((uuid(item).to_owned(), bytes, value));
    }
    // By uuid; SSPs in the wild repeat uuids, so ties are broken by content to stay order-free.
    keyed.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(keyed.into_iter().map(|(_, _, v)| v).collect())
}

/// The canonical SHA-256 of an SSP's in-scope content (components, inventory items, implemented
/// requirements: each serialised with sorted keys, sorted by uuid) and the test window.
///
/// Provenance (`source`: file name, format, file hash) is not part of the content, so the JSON
/// and XML forms of one SSP give the same hash.
pub fn freeze_hash(ssp: &SystemSecurityPlan, window: TestWindow) -> Result<String> {
    let imp = &ssp.implementation;
    let doc = serde_json::json!({
        "components": canonical_entities("a component", &imp.components, |c| &c.uuid)?,
        "inventory_items": canonical_entities("an inventory item", &imp.inventory_items, |i| &i.uuid)?,
        "implemented_requirements":
            canonical_entities("an implemented requirement", &ssp.implemented_requirements, |r| &r.uuid)?,
        "window": { "start": window.start.to_string(), "end": window.end.to_string() },
    });
    let mut bytes = Vec::new();
    write_canonical(&doc, &mut bytes);
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Called by the SSP import inside its transaction: after a freeze, a re-import is recorded as
/// drift (what changed, when, who). Returns the audit entry to append, or `None` before a freeze.
pub(crate) fn record_drift(
    tx: &Transaction<'_>,
    ctx: &Context,
    ssp: &SystemSecurityPlan,
    import: &SspImportRecord,
    changes: &SspChanges,
) -> Result<Option<AuditEntry>> {
    let Some(freeze) = store::testing::latest_freeze(tx)? else {
        return Ok(None);
    };
    let content_sha256 = freeze_hash(ssp, freeze.window)?;
    let matches_freeze = content_sha256 == freeze.sha256;
    let summary = if matches_freeze {
        format!(
            "SSP re-imported from {} after the freeze; in-scope content unchanged",
            import.source_name
        )
    } else {
        format!(
            "SSP re-imported from {} after the freeze: {}",
            import.source_name,
            changes.summary()
        )
    };
    let drift = Drift {
        id: ctx.new_id(),
        freeze_id: freeze.id.clone(),
        at: import.imported_at.clone(),
        actor: ctx.actor.clone(),
        source_name: import.source_name.clone(),
        source_sha256: import.source_sha256.clone(),
        content_sha256,
        matches_freeze,
        summary: summary.clone(),
        changes: changes.clone(),
    };
    store::testing::insert_drift(tx, &drift)?;
    Ok(Some(AuditEntry {
        entity: "drift".into(),
        entity_id: drift.id.clone(),
        action: "create".into(),
        summary,
        before: freeze.sha256,
        after: drift.content_sha256,
    }))
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Session {
    /// Takes the freeze baseline: the canonical hash of the stored SSP's in-scope content and the
    /// test window. Later SSP re-imports are recorded as drift against it.
    pub fn freeze(&mut self, window_start: NaiveDate, window_end: NaiveDate) -> Result<Freeze> {
        if window_end < window_start {
            return Err(Error::validation(
                "test window",
                format!("the end {window_end} is before the start {window_start}"),
            ));
        }
        let conn = self.store.conn();
        let (Some(ssp), Some(import)) =
            (store::ssp::load(conn)?, store::ssp::current_import(conn)?)
        else {
            return Err(Error::NotFound {
                what: "an imported SSP to freeze (import one first)".into(),
            });
        };
        let window = TestWindow {
            start: window_start,
            end: window_end,
        };
        let sha256 = freeze_hash(&ssp, window)?;
        self.write(|tx, ctx| {
            let freeze = Freeze {
                id: ctx.new_id(),
                sha256,
                window,
                at: ctx.timestamp(),
                actor: ctx.actor.clone(),
            };
            store::testing::insert_freeze(tx, &freeze, &import.id)?;
            let entry = AuditEntry {
                entity: "freeze".into(),
                entity_id: freeze.id.clone(),
                action: "create".into(),
                summary: format!(
                    "froze the SSP \"{}\" for testing {} – {} (SHA-256 {})",
                    import.title,
                    window.start,
                    window.end,
                    &freeze.sha256[..12]
                ),
                before: String::new(),
                after: super::engagement::to_json(&freeze),
            };
            Ok((freeze, vec![entry]))
        })
    }

    /// Takes the freeze baseline for the window given, each end defaulting to the engagement's
    /// test window; refused naming the file when neither gives both ends.
    pub fn freeze_with_defaults(
        &mut self,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Result<Freeze> {
        let e = self.engagement()?;
        let (Some(start), Some(end)) = (start.or(e.test_window_start), end.or(e.test_window_end))
        else {
            return Err(Error::Precondition {
                path: self.path().to_owned(),
                message:
                    "no test window; give --start and --end or set the engagement's test window"
                        .into(),
            });
        };
        self.freeze(start, end)
    }

    /// The current freeze, if testing has been frozen.
    pub fn current_freeze(&self) -> Result<Option<Freeze>> {
        store::testing::latest_freeze(self.store.conn())
    }

    /// SSP re-imports recorded after a freeze, oldest first.
    pub fn drift(&self) -> Result<Vec<Drift>> {
        store::testing::drift(self.store.conn())
    }

    /// The window test dates are checked against: the freeze's, else the engagement's.
    fn test_window(&self) -> Result<Option<TestWindow>> {
        if let Some(f) = self.current_freeze()? {
            return Ok(Some(f.window));
        }
        let e = self.engagement()?;
        Ok(match (e.test_window_start, e.test_window_end) {
            (Some(start), Some(end)) => Some(TestWindow { start, end }),
            _ => None,
        })
    }

    /// Test rows matching `filter`, in catalog order.
    pub fn test_rows(&self, filter: &TestFilter) -> Result<Vec<TestRow>> {
        let window = self.test_window()?;
        let mut rows = store::testing::test_rows(self.store.conn())?;
        rows.retain(|r| {
            filter
                .family
                .as_deref()
                .is_none_or(|f| r.family_id.eq_ignore_ascii_case(f))
                && filter.result.is_none_or(|res| r.result == res)
                && (!filter.untested_only || r.result == TestResult::Untested)
                && filter
                    .assessor
                    .as_deref()
                    .is_none_or(|a| r.assessor.eq_ignore_ascii_case(a))
        });
        for r in &mut rows {
            flag_window(r, window);
        }
        Ok(rows)
    }

    /// One test row.
    pub fn test_row(&self, objective_id: &ObjectiveId) -> Result<TestRow> {
        self.test_row_of(objective_id.as_str())
    }

    fn test_row_of(&self, objective_id: &str) -> Result<TestRow> {
        let mut row =
            store::testing::test_row_for(self.store.conn(), objective_id)?.ok_or_else(|| {
                Error::NotFound {
                    what: format!("objective {objective_id} in the tested baseline"),
                }
            })?;
        flag_window(&mut row, self.test_window()?);
        Ok(row)
    }

    /// Records (part of) a test: methods, what was examined/interviewed/tested, observations,
    /// result, assessor, date, and evidence links. Refuses an other-than-satisfied result that has
    /// neither a linked finding nor a reason why none.
    pub fn record_test(&mut self, update: &TestUpdate) -> Result<TestRow> {
        let before = self.test_row_of(&update.objective_id)?;
        for id in &update.link_evidence {
            if store::testing::evidence(self.store.conn(), id)?.is_none() {
                return Err(Error::NotFound {
                    what: format!("evidence {id}"),
                });
            }
        }
        let window = self.test_window()?;
        self.write(|tx, ctx| {
            let row = apply_update(&before, update, ctx)?;
            let now = ctx.timestamp();
            store::testing::upsert_test(tx, &row, &now)?;
            let mut entries = vec![test_entry(&before, &row)];
            for id in &update.link_evidence {
                if store::testing::insert_link(tx, id, "objective", &row.objective_id, &now)? {
                    store::testing::append_custody(
                        tx,
                        id,
                        &now,
                        &ctx.actor,
                        "link",
                        &format!("linked to objective {}", row.objective_id),
                    )?;
                    entries.push(link_entry(id, "objective", &row.objective_id));
                }
            }
            let mut row = store::testing::test_row_for(tx, &row.objective_id)?.unwrap_or(row);
            flag_window(&mut row, window);
            Ok((row, entries))
        })
    }

    /// Sets one result on many objectives in one transaction (one audit record per row).
    /// `no_finding_reason` is stored on every row when given. Returns the rows after the change.
    pub fn set_results(
        &mut self,
        objective_ids: &[String],
        result: TestResult,
        no_finding_reason: Option<&str>,
    ) -> Result<Vec<TestRow>> {
        let mut befores = Vec::with_capacity(objective_ids.len());
        for id in objective_ids {
            befores.push(self.test_row_of(id)?);
        }
        let window = self.test_window()?;
        self.write(|tx, ctx| {
            let now = ctx.timestamp();
            let mut rows = Vec::with_capacity(befores.len());
            let mut entries = Vec::with_capacity(befores.len());
            for before in &befores {
                let update = TestUpdate {
                    objective_id: before.objective_id.clone(),
                    result: Some(result),
                    no_finding_reason: no_finding_reason.map(str::to_owned),
                    ..TestUpdate::default()
                };
                let mut row = apply_update(before, &update, ctx)?;
                store::testing::upsert_test(tx, &row, &now)?;
                entries.push(test_entry(before, &row));
                row.updated_at = Some(now.clone());
                flag_window(&mut row, window);
                rows.push(row);
            }
            Ok((rows, entries))
        })
    }

    /// Result counts per family (catalog order) and overall.
    pub fn test_progress(&self) -> Result<TestProgress> {
        let conn = self.store.conn();
        let titles = store::testing::family_titles(conn)?;
        let mut overall = ProgressCount::default();
        let mut families: Vec<FamilyProgress> = Vec::new();
        for row in store::testing::test_rows(conn)? {
            overall.add(row.result);
            match families.last_mut() {
                Some(f) if f.family_id == row.family_id => f.counts.add(row.result),
                _ => {
                    let mut counts = ProgressCount::default();
                    counts.add(row.result);
                    families.push(FamilyProgress {
                        family_title: titles.get(&row.family_id).cloned().unwrap_or_default(),
                        family_id: row.family_id,
                        counts,
                    });
                }
            }
        }
        Ok(TestProgress { overall, families })
    }

    /// Rows that are not ready for the SAR: other than satisfied with neither a finding nor a
    /// reason, and results dated outside the test window.
    pub fn test_gaps(&self) -> Result<Vec<TestGap>> {
        let mut gaps = Vec::new();
        for row in self.test_rows(&TestFilter::default())? {
            if row.result == TestResult::OtherThanSatisfied
                && row.finding_ids.is_empty()
                && blank(&row.no_finding_reason)
            {
                gaps.push(TestGap {
                    objective_id: row.objective_id.clone(),
                    code: "no-finding".into(),
                    message: format!(
                        "{} is other than satisfied but has no finding and no reason why none",
                        row.objective_label
                    ),
                });
            }
            if row.outside_window {
                gaps.push(TestGap {
                    objective_id: row.objective_id.clone(),
                    code: "outside-window".into(),
                    message: format!(
                        "{} was tested on {} outside the test window",
                        row.objective_label,
                        row.tested_on.map(|d| d.to_string()).unwrap_or_default()
                    ),
                });
            }
        }
        Ok(gaps)
    }
}

fn flag_window(row: &mut TestRow, window: Option<TestWindow>) {
    row.outside_window = match (row.tested_on, window) {
        (Some(day), Some(w)) => row.result != TestResult::Untested && !w.contains(day),
        _ => false,
    };
}

/// The row after `update`, with defaults for a newly set result; refuses an other-than-satisfied
/// result without a finding or a reason.
fn apply_update(before: &TestRow, u: &TestUpdate, ctx: &Context) -> Result<TestRow> {
    let mut row = before.clone();
    if let Some(m) = &u.methods {
        let mut m = m.clone();
        m.sort();
        m.dedup();
        row.methods = m;
    }
    for (slot, value) in [
        (&mut row.examined, &u.examined),
        (&mut row.interviewed, &u.interviewed),
        (&mut row.tested, &u.tested),
        (&mut row.observations, &u.observations),
        (&mut row.no_finding_reason, &u.no_finding_reason),
    ] {
        if let Some(v) = value {
            *slot = v.trim().to_owned();
        }
    }
    if let Some(result) = u.result {
        row.result = result;
        if result == TestResult::Untested {
            row.tested_on = None;
        } else {
            row.assessor = u.assessor.clone().unwrap_or_else(|| ctx.actor.clone());
            row.tested_on = Some(u.tested_on.unwrap_or_else(|| ctx.clock.now().date_naive()));
        }
    } else {
        if let Some(a) = &u.assessor {
            row.assessor = a.trim().to_owned();
        }
        if u.tested_on.is_some() {
            row.tested_on = u.tested_on;
        }
    }
    if row.result == TestResult::OtherThanSatisfied
        && row.finding_ids.is_empty()
        && blank(&row.no_finding_reason)
    {
        return Err(Error::validation(
            "result",
            format!(
                "{} is other than satisfied: link a finding to it or record why there is none",
                row.objective_id
            ),
        ));
    }
    Ok(row)
}

fn test_entry(before: &TestRow, after: &TestRow) -> AuditEntry {
    let summary = if before.result != after.result {
        format!(
            "{}: {} → {}",
            after.objective_id, before.result, after.result
        )
    } else {
        format!("{}: test record updated", after.objective_id)
    };
    AuditEntry {
        entity: "control_test".into(),
        entity_id: after.objective_id.clone(),
        action: "update".into(),
        summary,
        before: super::engagement::to_json(&TestState::of(before)),
        after: super::engagement::to_json(&TestState::of(after)),
    }
}

pub(crate) fn link_entry(evidence_id: &str, kind: &str, target: &str) -> AuditEntry {
    AuditEntry {
        entity: "evidence".into(),
        entity_id: evidence_id.to_owned(),
        action: "link".into(),
        summary: format!(
            "linked evidence {} to {kind} {target}",
            &evidence_id[..12.min(evidence_id.len())]
        ),
        before: String::new(),
        after: format!("{kind}:{target}"),
    }
}

/// The assessor-entered part of a row, for the audit log.
#[derive(Serialize)]
struct TestState<'a> {
    methods: &'a [crate::model::testing::TestMethod],
    examined: &'a str,
    interviewed: &'a str,
    tested: &'a str,
    observations: &'a str,
    result: TestResult,
    assessor: &'a str,
    tested_on: Option<NaiveDate>,
    no_finding_reason: &'a str,
}

impl<'a> TestState<'a> {
    fn of(r: &'a TestRow) -> Self {
        TestState {
            methods: &r.methods,
            examined: &r.examined,
            interviewed: &r.interviewed,
            tested: &r.tested,
            observations: &r.observations,
            result: r.result,
            assessor: &r.assessor,
            tested_on: r.tested_on,
            no_finding_reason: &r.no_finding_reason,
        }
    }
}
