//! The `audit_log` table and its chain head.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::Result;
use crate::model::audit::{AuditEntry, AuditRecord, GENESIS_HASH};

/// Appends one record, chained to the last, and moves the head. Runs inside the caller's transaction
/// so the change and its audit record land together or not at all.
pub fn append(
    tx: &Transaction<'_>,
    at: &str,
    actor: &str,
    entry: AuditEntry,
) -> Result<AuditRecord> {
    let (count, prev_hash) = head(tx)?.unwrap_or((0, GENESIS_HASH.to_owned()));
    let mut record = AuditRecord {
        seq: count + 1,
        at: at.to_owned(),
        actor: actor.to_owned(),
        entity: entry.entity,
        entity_id: entry.entity_id,
        action: entry.action,
        summary: entry.summary,
        before: entry.before,
        after: entry.after,
        prev_hash,
        hash: String::new(),
    };
    record.hash = record.compute_hash();
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, summary, before, after, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            record.seq,
            record.at,
            record.actor,
            record.entity,
            record.entity_id,
            record.action,
            record.summary,
            record.before,
            record.after,
            record.prev_hash,
            record.hash
        ],
    )?;
    tx.execute(
        "INSERT INTO audit_head (id, count, hash) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
        params![record.seq, record.hash],
    )?;
    Ok(record)
}

/// The recorded (count, last hash), if anything was ever logged.
pub fn head(conn: &Connection) -> Result<Option<(u32, String)>> {
    Ok(conn
        .query_row("SELECT count, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// All records in sequence order (newest last).
pub fn list(conn: &Connection) -> Result<Vec<AuditRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, entity, entity_id, action, summary, before, after, prev_hash, hash \
         FROM audit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditRecord {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            summary: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
