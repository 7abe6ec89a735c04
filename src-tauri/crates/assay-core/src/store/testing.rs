//! The testing tables: `freeze`, `drift`, `control_test`, `evidence`, `evidence_link`, `custody`,
//! `finding`, `finding_objective` and `library_entry`.
//!
//! Invariants: a test row exists only once its objective has been touched (untested objectives
//! have no row and read as `untested`); the custody log is append-only (triggers refuse UPDATE
//! and DELETE); a finding's `data` column holds the whole finding and its indexed columns and
//! `finding_objective` rows are rewritten with it in the same statement sequence.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::{from_json, to_json};
use crate::error::{Error, Result};
use crate::model::ssp::SspChanges;
use crate::model::testing::{
    CustodyEntry, Drift, EvidenceItem, EvidenceLink, Finding, Freeze, LibraryEntry, TestMethod,
    TestResult, TestRow, TestWindow,
};

/// The objectives that get a test row.
///
/// Hook for the SAP: today every assessable objective of every baseline control is in scope.
/// When the SAP's control selection lands, narrow this condition (e.g. `AND c.id IN (SELECT
/// control_id FROM sap_control WHERE selected)`); every test query goes through it.
const IN_SCOPE: &str = "o.assessable";

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn parse_code<T: std::str::FromStr<Err = String>>(text: &str) -> rusqlite::Result<T> {
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

// ----- freeze and drift -----

/// Records a freeze.
pub fn insert_freeze(tx: &Transaction<'_>, freeze: &Freeze, import_id: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO freeze (id, at, actor, sha256, window_start, window_end, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            freeze.id,
            freeze.at,
            freeze.actor,
            freeze.sha256,
            freeze.window.start.to_string(),
            freeze.window.end.to_string(),
            import_id
        ],
    )?;
    Ok(())
}

/// The most recent freeze, if testing has been frozen.
pub fn latest_freeze(conn: &Connection) -> Result<Option<Freeze>> {
    let row = conn
        .query_row(
            "SELECT id, at, actor, sha256, window_start, window_end FROM freeze ORDER BY at DESC, rowid DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((id, at, actor, sha256, start, end)) = row else {
        return Ok(None);
    };
    let (Some(start), Some(end)) = (date(Some(start)), date(Some(end))) else {
        return Err(Error::Corrupt(format!(
            "freeze {id} has an unreadable window"
        )));
    };
    Ok(Some(Freeze {
        id,
        sha256,
        window: TestWindow { start, end },
        at,
        actor,
    }))
}

/// Records an SSP re-import after the freeze.
pub fn insert_drift(tx: &Transaction<'_>, d: &Drift) -> Result<()> {
    tx.execute(
        "INSERT INTO drift (id, freeze_id, at, actor, source_name, source_sha256, content_sha256, summary, changes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            d.id,
            d.freeze_id,
            d.at,
            d.actor,
            d.source_name,
            d.source_sha256,
            d.content_sha256,
            d.summary,
            to_json(&d.changes)?
        ],
    )?;
    Ok(())
}

/// Every drift record, oldest first, with whether it matches the freeze it followed.
pub fn drift(conn: &Connection) -> Result<Vec<Drift>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.freeze_id, d.at, d.actor, d.source_name, d.source_sha256, d.content_sha256, d.summary, d.changes, \
         d.content_sha256 = f.sha256 FROM drift d JOIN freeze f ON f.id = d.freeze_id ORDER BY d.rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            Drift {
                id: r.get(0)?,
                freeze_id: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                source_name: r.get(4)?,
                source_sha256: r.get(5)?,
                content_sha256: r.get(6)?,
                summary: r.get(7)?,
                changes: SspChanges::default(),
                matches_freeze: r.get(9)?,
            },
            r.get::<_, String>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut d, changes) = row?;
        d.changes = from_json(&changes)?;
        out.push(d);
    }
    Ok(out)
}

// ----- control tests -----

fn test_row(r: &Row<'_>) -> rusqlite::Result<TestRow> {
    let methods: String = r.get(8)?;
    let result: String = r.get(13)?;
    Ok(TestRow {
        objective_id: r.get(0)?,
        objective_label: r.get(1)?,
        objective_text: r.get(2)?,
        control_id: r.get(3)?,
        control_label: r.get(4)?,
        family_id: r.get(5)?,
        baseline_methods: split(&r.get::<_, String>(6)?),
        updated_at: r.get(7)?,
        methods: split(&methods)
            .iter()
            .map(|m| parse_code::<TestMethod>(m))
            .collect::<rusqlite::Result<_>>()?,
        examined: r.get(9)?,
        interviewed: r.get(10)?,
        tested: r.get(11)?,
        observations: r.get(12)?,
        result: parse_code(&result)?,
        assessor: r.get(14)?,
        tested_on: date(r.get(15)?),
        no_finding_reason: r.get(16)?,
        evidence_ids: Vec::new(),
        finding_ids: Vec::new(),
        outside_window: false,
    })
}

fn split(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn select_tests(where_extra: &str) -> String {
    format!(
        "SELECT o.id, o.label, o.text, c.id, c.label, c.family_id, o.methods, t.updated_at, \
         coalesce(t.methods, ''), coalesce(t.examined, ''), coalesce(t.interviewed, ''), coalesce(t.tested, ''), \
         coalesce(t.observations, ''), coalesce(t.result, 'untested'), coalesce(t.assessor, ''), t.tested_on, \
         coalesce(t.no_finding_reason, '') \
         FROM objective o JOIN control c ON c.id = o.control_id LEFT JOIN control_test t ON t.objective_id = o.id \
         WHERE {IN_SCOPE} {where_extra} ORDER BY c.sort_order, o.sort_order"
    )
}

fn links_by_target(conn: &Connection, kind: &str) -> Result<HashMap<String, Vec<String>>> {
    let mut stmt = conn.prepare(
        "SELECT target_id, evidence_id FROM evidence_link WHERE target_kind = ?1 ORDER BY linked_at, evidence_id",
    )?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for row in stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (target, evidence): (String, String) = row?;
        map.entry(target).or_default().push(evidence);
    }
    Ok(map)
}

fn findings_by_objective(conn: &Connection) -> Result<HashMap<String, Vec<String>>> {
    let mut stmt = conn.prepare(
        "SELECT fo.objective_id, fo.finding_id FROM finding_objective fo JOIN finding f ON f.id = fo.finding_id ORDER BY f.number",
    )?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (objective, finding): (String, String) = row?;
        map.entry(objective).or_default().push(finding);
    }
    Ok(map)
}

/// Every in-scope test row in catalog order, with evidence and finding links.
pub fn test_rows(conn: &Connection) -> Result<Vec<TestRow>> {
    let mut stmt = conn.prepare(&select_tests(""))?;
    let mut rows: Vec<TestRow> = stmt
        .query_map([], test_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut evidence = links_by_target(conn, "objective")?;
    let mut findings = findings_by_objective(conn)?;
    for row in &mut rows {
        row.evidence_ids = evidence.remove(&row.objective_id).unwrap_or_default();
        row.finding_ids = findings.remove(&row.objective_id).unwrap_or_default();
    }
    Ok(rows)
}

/// One in-scope test row, or `None` when the objective is not in scope.
pub fn test_row_for(conn: &Connection, objective_id: &str) -> Result<Option<TestRow>> {
    let mut stmt = conn.prepare(&select_tests("AND o.id = ?1"))?;
    let Some(mut row) = stmt.query_row([objective_id], test_row).optional()? else {
        return Ok(None);
    };
    let mut ev = conn.prepare(
        "SELECT evidence_id FROM evidence_link WHERE target_kind = 'objective' AND target_id = ?1 ORDER BY linked_at, evidence_id",
    )?;
    row.evidence_ids = ev
        .query_map([objective_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut f = conn.prepare(
        "SELECT fo.finding_id FROM finding_objective fo JOIN finding f ON f.id = fo.finding_id WHERE fo.objective_id = ?1 ORDER BY f.number",
    )?;
    row.finding_ids = f
        .query_map([objective_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(row))
}

/// Family titles by family id.
pub fn family_titles(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT family_id, family_title FROM control")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a test row's assessor-entered fields.
pub fn upsert_test(tx: &Transaction<'_>, row: &TestRow, updated_at: &str) -> Result<()> {
    let methods: Vec<&str> = row.methods.iter().map(|m| m.code()).collect();
    tx.execute(
        "INSERT INTO control_test (objective_id, methods, examined, interviewed, tested, observations, result, assessor, \
         tested_on, no_finding_reason, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
         ON CONFLICT (objective_id) DO UPDATE SET methods = excluded.methods, examined = excluded.examined, \
         interviewed = excluded.interviewed, tested = excluded.tested, observations = excluded.observations, \
         result = excluded.result, assessor = excluded.assessor, tested_on = excluded.tested_on, \
         no_finding_reason = excluded.no_finding_reason, updated_at = excluded.updated_at",
        params![
            row.objective_id,
            methods.join(","),
            row.examined,
            row.interviewed,
            row.tested,
            row.observations,
            row.result.code(),
            row.assessor,
            row.tested_on.map(|d| d.to_string()),
            row.no_finding_reason,
            updated_at
        ],
    )?;
    Ok(())
}

/// Test rows with a result (satisfied or other than satisfied).
pub fn count_results(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM control_test WHERE result <> ?1",
        [TestResult::Untested.code()],
        |r| r.get(0),
    )?)
}

// ----- evidence -----

/// Adds an evidence item's metadata.
pub fn insert_evidence(tx: &Transaction<'_>, e: &EvidenceItem) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence (id, size, file_name, title, collected_by, collected_from, collected_at, source, added_at, added_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            e.id,
            e.size,
            e.file_name,
            e.title,
            e.collected_by,
            e.collected_from,
            e.collected_at,
            e.source,
            e.added_at,
            e.added_by
        ],
    )?;
    Ok(())
}

fn evidence_row(r: &Row<'_>) -> rusqlite::Result<EvidenceItem> {
    Ok(EvidenceItem {
        id: r.get(0)?,
        size: r.get(1)?,
        file_name: r.get(2)?,
        title: r.get(3)?,
        collected_by: r.get(4)?,
        collected_from: r.get(5)?,
        collected_at: r.get(6)?,
        source: r.get(7)?,
        added_at: r.get(8)?,
        added_by: r.get(9)?,
        links: Vec::new(),
    })
}

const EVIDENCE_COLUMNS: &str =
    "id, size, file_name, title, collected_by, collected_from, collected_at, source, added_at, added_by";

fn links_of(conn: &Connection, evidence_id: &str) -> Result<Vec<EvidenceLink>> {
    let mut stmt = conn.prepare(
        "SELECT target_kind, target_id FROM evidence_link WHERE evidence_id = ?1 ORDER BY linked_at, target_kind, target_id",
    )?;
    let rows = stmt.query_map([evidence_id], |r| {
        Ok(EvidenceLink {
            kind: r.get(0)?,
            id: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One evidence item with its links.
pub fn evidence(conn: &Connection, id: &str) -> Result<Option<EvidenceItem>> {
    let item = conn
        .query_row(
            &format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = ?1"),
            [id],
            evidence_row,
        )
        .optional()?;
    let Some(mut item) = item else {
        return Ok(None);
    };
    item.links = links_of(conn, id)?;
    Ok(Some(item))
}

/// Every evidence item, in the order added, with links.
pub fn list_evidence(conn: &Connection) -> Result<Vec<EvidenceItem>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence ORDER BY added_at, rowid"
    ))?;
    let mut items: Vec<EvidenceItem> = stmt
        .query_map([], evidence_row)?
        .collect::<rusqlite::Result<_>>()?;
    for item in &mut items {
        item.links = links_of(conn, &item.id)?;
    }
    Ok(items)
}

/// Links evidence to a target; returns false when the link already existed.
pub fn insert_link(
    tx: &Transaction<'_>,
    evidence_id: &str,
    kind: &str,
    target_id: &str,
    at: &str,
) -> Result<bool> {
    let n = tx.execute(
        "INSERT OR IGNORE INTO evidence_link (evidence_id, target_kind, target_id, linked_at) VALUES (?1, ?2, ?3, ?4)",
        params![evidence_id, kind, target_id, at],
    )?;
    Ok(n > 0)
}

/// Evidence ids linked to a target.
pub fn linked_evidence(conn: &Connection, kind: &str, target_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT evidence_id FROM evidence_link WHERE target_kind = ?1 AND target_id = ?2 ORDER BY linked_at, evidence_id",
    )?;
    let rows = stmt.query_map([kind, target_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Appends a custody log entry.
pub fn append_custody(
    tx: &Transaction<'_>,
    evidence_id: &str,
    at: &str,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO custody (evidence_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![evidence_id, at, actor, action, detail],
    )?;
    Ok(())
}

/// The custody log, oldest first; only `evidence_id`'s entries when given.
pub fn custody(conn: &Connection, evidence_id: Option<&str>) -> Result<Vec<CustodyEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, evidence_id, at, actor, action, detail FROM custody WHERE ?1 IS NULL OR evidence_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([evidence_id], |r| {
        Ok(CustodyEntry {
            seq: r.get(0)?,
            evidence_id: r.get(1)?,
            at: r.get(2)?,
            actor: r.get(3)?,
            action: r.get(4)?,
            detail: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ----- findings -----

/// The number the next finding gets.
pub fn next_finding_number(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM finding",
        [],
        |r| r.get(0),
    )?)
}

/// Inserts or replaces a finding and its objective links.
pub fn save_finding(tx: &Transaction<'_>, f: &Finding, number: u32) -> Result<()> {
    tx.execute(
        "INSERT INTO finding (id, number, title, status, risk, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, status = excluded.status, risk = excluded.risk, data = excluded.data",
        params![
            f.id,
            number,
            f.title,
            f.status.code(),
            f.risk.code(),
            f.created_at,
            to_json(f)?
        ],
    )?;
    tx.execute(
        "DELETE FROM finding_objective WHERE finding_id = ?1",
        [&f.id],
    )?;
    let mut stmt = tx.prepare(
        "INSERT OR IGNORE INTO finding_objective (finding_id, objective_id) VALUES (?1, ?2)",
    )?;
    for o in &f.objective_ids {
        stmt.execute([&f.id, o])?;
    }
    Ok(())
}

/// One finding and its number.
pub fn finding(conn: &Connection, id: &str) -> Result<Option<(Finding, u32)>> {
    let row: Option<(String, u32)> = conn
        .query_row(
            "SELECT data, number FROM finding WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(data, n)| Ok((from_json(&data)?, n))).transpose()
}

/// Every finding in number order.
pub fn findings(conn: &Connection) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare("SELECT data FROM finding ORDER BY number")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row?)?);
    }
    Ok(out)
}

// ----- finding library -----

/// Inserts or replaces a library entry.
pub fn save_library_entry(tx: &Transaction<'_>, e: &LibraryEntry) -> Result<()> {
    tx.execute(
        "INSERT INTO library_entry (id, title, created_at, data) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, data = excluded.data",
        params![e.id, e.title, e.created_at, to_json(e)?],
    )?;
    Ok(())
}

/// One library entry.
pub fn library_entry(conn: &Connection, id: &str) -> Result<Option<LibraryEntry>> {
    let data: Option<String> = conn
        .query_row("SELECT data FROM library_entry WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    data.map(|d| from_json(&d)).transpose()
}

/// Every library entry by title.
pub fn library(conn: &Connection) -> Result<Vec<LibraryEntry>> {
    let mut stmt = conn.prepare("SELECT data FROM library_entry ORDER BY title, id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row?)?);
    }
    Ok(out)
}

// ----- references -----

/// True when the baseline holds control `id`.
pub fn control_exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM control WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// True when a baseline is loaded.
pub fn has_baseline(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM baseline WHERE id = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// True when the stored SSP's inventory has an item with this uuid.
pub fn inventory_item_exists(conn: &Connection, uuid: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM ssp_inventory_item WHERE uuid = ?1 LIMIT 1",
            [uuid],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Counts findings.
pub fn count_findings(conn: &Connection) -> Result<u32> {
    super::count_rows(conn, "finding")
}

/// Counts evidence items.
pub fn count_evidence(conn: &Connection) -> Result<u32> {
    super::count_rows(conn, "evidence")
}
