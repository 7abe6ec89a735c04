//! The `audit_log` table, its chain head, the hash of each changed row, and the signed
//! checkpoints of the head (`audit_checkpoint`).
//!
//! Invariants: a record is appended only onto a head that matches the log's last record (a
//! missing or moved head is [`Error::AuditDamaged`], never a database error); each record of a
//! covered entity ([`COVERED`]) carries the SHA-256 of its row's canonical content, read in the
//! same transaction after the change; checkpoints are append-only (triggers, migration 0007).

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::audit::{
    AuditEntry, AuditRecord, Checkpoint, SignedCheckpoint, GENESIS_HASH, ROW_DELETED,
};

/// An entity whose rows the log covers: the audit `entity` name, its table, the key column the
/// record's `entity_id` names, and the columns hashed. Only what the assessor decides and the
/// SAR/POA&M report is hashed (a weakness's review, not its `last_seen`, which re-imports move).
pub struct Covered {
    pub entity: &'static str,
    pub table: &'static str,
    /// `None`: a one-row table (`id = 1`) whatever the entity id.
    pub key: Option<&'static str>,
    pub columns: &'static str,
}

/// Every covered entity: findings (with their risk adjustments, deviations and POA&M fields,
/// kept in `data`), weakness reviews, control test results, evidence metadata, the SAR's written
/// fields (recommendation and POA&M settings included) and coverage notes.
pub const COVERED: &[Covered] = &[
    Covered {
        entity: "finding",
        table: "finding",
        key: Some("id"),
        columns: "id, number, title, status, risk, data",
    },
    Covered {
        entity: "weakness",
        table: "weakness",
        key: Some("id"),
        columns: "id, review, merged_into, review_rationale, review_evidence, library_entry_id, \
                  finding_id, fedramp_risk",
    },
    Covered {
        entity: "control_test",
        table: "control_test",
        key: Some("objective_id"),
        columns: "objective_id, methods, examined, interviewed, tested, observations, result, \
                  assessor, tested_on, no_finding_reason",
    },
    Covered {
        entity: "evidence",
        table: "evidence",
        key: Some("id"),
        columns: "id, size, file_name, title, collected_by, collected_from, collected_at, source",
    },
    Covered {
        entity: "sar",
        table: "sar",
        key: None,
        columns: "data",
    },
    Covered {
        entity: "coverage_note",
        table: "coverage_note",
        key: Some("inventory_uuid"),
        columns: "inventory_uuid, note",
    },
];

fn damaged(message: impl Into<String>) -> Error {
    Error::AuditDamaged {
        path: std::path::PathBuf::new(),
        message: message.into(),
    }
}

/// Appends one record, chained to the last, and moves the head. Runs inside the caller's transaction
/// so the change and its audit record land together or not at all. Refused with
/// [`Error::AuditDamaged`] when the head does not match the log's last record.
pub fn append(
    tx: &Transaction<'_>,
    at: &str,
    actor: &str,
    entry: AuditEntry,
) -> Result<AuditRecord> {
    let head = head(tx)?;
    let last = last_record(tx)?;
    let (count, prev_hash) = match (head, last) {
        (None, None) => (0, GENESIS_HASH.to_owned()),
        (Some((count, hash)), Some((seq, last_hash))) if count == seq && hash == last_hash => {
            (count, hash)
        }
        (None, Some((seq, _))) => {
            return Err(damaged(format!(
                "its head (audit_head) is missing while the log holds {seq} records"
            )))
        }
        (Some((count, _)), None) => {
            return Err(damaged(format!(
                "its head says {count} records but the log is empty"
            )))
        }
        (Some((count, _)), Some((seq, _))) => {
            return Err(damaged(format!(
                "its head (audit_head, {count} records) does not match the last record ({seq})"
            )))
        }
    };
    let row_hash = row_hash(tx, &entry.entity, &entry.entity_id)?;
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
        row_hash,
    };
    record.hash = record.compute_hash();
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, summary, before, after, prev_hash, hash, row_hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
            record.hash,
            record.row_hash,
        ],
    )?;
    if count == 0 {
        tx.execute(
            "INSERT INTO audit_head (id, count, hash) VALUES (1, ?1, ?2)",
            params![record.seq, record.hash],
        )?;
    } else {
        tx.execute(
            "UPDATE audit_head SET count = ?1, hash = ?2 WHERE id = 1",
            params![record.seq, record.hash],
        )?;
    }
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

/// The last record's (seq, hash), if any.
fn last_record(conn: &Connection) -> Result<Option<(u32, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// All records in sequence order (newest last).
pub fn list(conn: &Connection) -> Result<Vec<AuditRecord>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, entity, entity_id, action, summary, before, after, prev_hash, hash, row_hash \
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
            row_hash: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The SHA-256 of the current canonical content of the row `entity_id` of a covered `entity`
/// ([`ROW_DELETED`] when there is no such row); `None` for an entity that is not covered.
pub fn row_hash(conn: &Connection, entity: &str, entity_id: &str) -> Result<Option<String>> {
    let Some(covered) = COVERED.iter().find(|c| c.entity == entity) else {
        return Ok(None);
    };
    let filter = match covered.key {
        Some(key) => format!("{key} = ?1"),
        None => "id = 1 AND ?1 IS NOT NULL".to_owned(),
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter}",
        covered.columns, covered.table
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let hash = stmt
        .query_row([entity_id], |row| {
            let mut h = Sha256::new();
            h.update(b"assay-row-v1\0");
            h.update(covered.table.as_bytes());
            for (i, name) in columns.iter().enumerate() {
                let (tag, bytes): (u8, Vec<u8>) = match row.get_ref(i)? {
                    ValueRef::Null => (0, Vec::new()),
                    ValueRef::Integer(v) => (1, v.to_be_bytes().to_vec()),
                    ValueRef::Real(v) => (2, v.to_be_bytes().to_vec()),
                    ValueRef::Text(t) => (3, t.to_vec()),
                    ValueRef::Blob(b) => (4, b.to_vec()),
                };
                for part in [name.as_bytes(), &bytes] {
                    h.update((part.len() as u64).to_be_bytes());
                    h.update(part);
                }
                h.update([tag]);
            }
            Ok(hex::encode(h.finalize()))
        })
        .optional()?;
    Ok(Some(hash.unwrap_or_else(|| ROW_DELETED.to_owned())))
}

/// The keys of every row of a covered table, to count rows the log does not cover.
pub fn row_keys(conn: &Connection, covered: &Covered) -> Result<Vec<String>> {
    let sql = match covered.key {
        Some(key) => format!("SELECT CAST({key} AS TEXT) FROM {}", covered.table),
        None => format!("SELECT 'sar' FROM {} WHERE id = 1", covered.table),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Stores a signed checkpoint.
pub fn insert_checkpoint(tx: &Transaction<'_>, c: &SignedCheckpoint) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_checkpoint (engagement_id, count, hash, at, public_key, fingerprint, signature) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            c.checkpoint.engagement_id,
            c.checkpoint.count,
            c.checkpoint.hash,
            c.checkpoint.at,
            c.public_key,
            c.fingerprint,
            c.signature
        ],
    )?;
    Ok(())
}

/// Every stored checkpoint, oldest first.
pub fn checkpoints(conn: &Connection) -> Result<Vec<SignedCheckpoint>> {
    let mut stmt = conn.prepare(
        "SELECT engagement_id, count, hash, at, public_key, fingerprint, signature \
         FROM audit_checkpoint ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SignedCheckpoint {
            checkpoint: Checkpoint {
                engagement_id: r.get(0)?,
                count: r.get(1)?,
                hash: r.get(2)?,
                at: r.get(3)?,
            },
            public_key: r.get(4)?,
            fingerprint: r.get(5)?,
            signature: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
