//! The `sar`, `kev_catalog`, `kev` and `coverage_note` tables: what the assessor writes into the
//! SAR, the imported CISA KEV catalog, and explanations for assets no scan covered.
//!
//! Invariant: `kev` always holds exactly the catalog described by the single `kev_catalog` row
//! (a new import replaces both in one transaction).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{from_json, to_json};
use crate::error::Result;
use crate::model::sar::{KevCatalogInfo, KevEntry, SarData};

/// The stored SAR fields, or the defaults when none were written yet.
pub fn load(conn: &Connection) -> Result<SarData> {
    let data: Option<String> = conn
        .query_row("SELECT data FROM sar WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    data.map(|d| from_json(&d))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Replaces the SAR fields.
pub fn save(tx: &Transaction<'_>, data: &SarData, at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO sar (id, data, updated_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        params![to_json(data)?, at],
    )?;
    Ok(())
}

/// The imported KEV catalog, if any.
pub fn kev_catalog(conn: &Connection) -> Result<Option<KevCatalogInfo>> {
    Ok(conn
        .query_row(
            "SELECT source_name, sha256, catalog_version, released, entries, imported_at
             FROM kev_catalog WHERE id = 1",
            [],
            |r| {
                Ok(KevCatalogInfo {
                    source_name: r.get(0)?,
                    sha256: r.get(1)?,
                    catalog_version: r.get(2)?,
                    released: r.get(3)?,
                    entries: r.get(4)?,
                    imported_at: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Replaces the KEV catalog.
pub fn replace_kev(
    tx: &Transaction<'_>,
    info: &KevCatalogInfo,
    entries: &[KevEntry],
    actor: &str,
) -> Result<()> {
    tx.execute_batch("DELETE FROM kev; DELETE FROM kev_catalog;")?;
    tx.execute(
        "INSERT INTO kev_catalog (id, source_name, sha256, catalog_version, released, entries,
                                  imported_at, actor)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            info.source_name,
            info.sha256,
            info.catalog_version,
            info.released,
            info.entries,
            info.imported_at,
            actor
        ],
    )?;
    let mut stmt = tx.prepare(
        "INSERT OR REPLACE INTO kev (cve, vendor, product, name, date_added, due_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for e in entries {
        stmt.execute(params![
            e.cve,
            e.vendor,
            e.product,
            e.name,
            e.date_added.to_string(),
            e.due_date.to_string()
        ])?;
    }
    Ok(())
}

/// CVE → KEV due date for the given CVEs (all of them when `cves` is empty is not offered: the
/// catalog has over a thousand entries and callers only need the ones their findings name).
pub fn kev_due_dates(conn: &Connection, cves: &[String]) -> Result<HashMap<String, NaiveDate>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT due_date FROM kev WHERE cve = ?1")?;
    for cve in cves {
        let due: Option<String> = stmt.query_row([cve], |r| r.get(0)).optional()?;
        if let Some(d) = due.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
            out.insert(cve.clone(), d);
        }
    }
    Ok(out)
}

/// Inventory uuid → the assessor's explanation of why the asset was not scanned.
pub fn coverage_notes(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT inventory_uuid, note FROM coverage_note")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records (or, with an empty note, removes) the explanation for one asset.
pub fn set_coverage_note(
    tx: &Transaction<'_>,
    inventory_uuid: &str,
    note: &str,
    at: &str,
    actor: &str,
) -> Result<()> {
    if note.trim().is_empty() {
        tx.execute(
            "DELETE FROM coverage_note WHERE inventory_uuid = ?1",
            [inventory_uuid],
        )?;
    } else {
        tx.execute(
            "INSERT INTO coverage_note (inventory_uuid, note, at, actor) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (inventory_uuid) DO UPDATE
             SET note = excluded.note, at = excluded.at, actor = excluded.actor",
            params![inventory_uuid, note.trim(), at, actor],
        )?;
    }
    Ok(())
}

/// The scan start (as the scanner wrote it) and import time of every file that reported the
/// weakness.
pub fn weakness_scan_times(
    conn: &Connection,
    weakness_id: i64,
) -> Result<Vec<(Option<String>, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT f.scan_start, f.imported_at FROM weakness_instance i
         JOIN scan_file f ON f.id = i.file_id WHERE i.weakness_id = ?1",
    )?;
    let rows = stmt.query_map([weakness_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
