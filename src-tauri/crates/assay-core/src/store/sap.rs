//! The `sap`, `sap_section` and `sap_deviation` tables: the Security Assessment Plan.
//!
//! Invariant: `sap_section` holds one row per field of [`SapData`], written together by a draft and
//! one at a time by an edit; a file with a `sap` row always has every section (a missing one is
//! damage, reported as such).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{from_json, to_json};
use crate::error::{Error, Result};
use crate::model::sap::{SapData, SapDeviation, SapObjective, SapSigning};

/// When the draft was stored and its signatures, if a draft exists.
pub fn state(conn: &Connection) -> Result<Option<(String, Option<SapSigning>)>> {
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT drafted_at, signing FROM sap WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(at, signing)| Ok((at, signing.map(|s| from_json(&s)).transpose()?)))
        .transpose()
}

/// The stored sections, if a draft exists.
pub fn load(conn: &Connection) -> Result<Option<SapData>> {
    if state(conn)?.is_none() {
        return Ok(None);
    }
    let mut stmt = conn.prepare("SELECT key, data FROM sap_section")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut map = serde_json::Map::new();
    for row in rows {
        let (key, data) = row?;
        map.insert(key, from_json(&data)?);
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map(Some)
        .map_err(|e| Error::Corrupt(format!("the stored SAP cannot be decoded: {e}")))
}

/// Stores a whole draft, replacing any previous one (signatures are cleared).
pub fn replace(tx: &Transaction<'_>, data: &SapData, drafted_at: &str) -> Result<()> {
    tx.execute_batch("DELETE FROM sap_section; DELETE FROM sap;")?;
    tx.execute(
        "INSERT INTO sap (id, drafted_at, signing) VALUES (1, ?1, NULL)",
        [drafted_at],
    )?;
    let value = serde_json::to_value(data).map_err(|e| Error::Encode {
        what: "the SAP".into(),
        message: e.to_string(),
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::Encode {
            what: "the SAP".into(),
            message: "it did not encode as a JSON object".into(),
        });
    };
    let mut stmt = tx.prepare("INSERT INTO sap_section (key, data) VALUES (?1, ?2)")?;
    for (key, section) in map {
        stmt.execute(params![key, to_json(&section)?])?;
    }
    Ok(())
}

/// Replaces one section.
pub fn put_section(tx: &Transaction<'_>, key: &str, section: &serde_json::Value) -> Result<()> {
    tx.execute(
        "INSERT INTO sap_section (key, data) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET data = excluded.data",
        params![key, to_json(section)?],
    )?;
    Ok(())
}

/// Records the signatures.
pub fn sign(tx: &Transaction<'_>, signing: &SapSigning) -> Result<()> {
    if tx.execute(
        "UPDATE sap SET signing = ?1 WHERE id = 1",
        [to_json(signing)?],
    )? != 1
    {
        return Err(Error::Corrupt("the SAP draft to sign is missing".into()));
    }
    Ok(())
}

/// Appends a deviation and returns its id (DEV-n).
pub fn add_deviation(
    tx: &Transaction<'_>,
    section: &str,
    description: &str,
    justification: &str,
    at: &str,
    actor: &str,
) -> Result<String> {
    tx.execute(
        "INSERT INTO sap_deviation (section, description, justification, at, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![section, description, justification, at, actor],
    )?;
    Ok(format!("DEV-{}", tx.last_insert_rowid()))
}

/// Every deviation, oldest first.
pub fn deviations(conn: &Connection) -> Result<Vec<SapDeviation>> {
    let mut stmt = conn.prepare(
        "SELECT seq, section, description, justification, at, actor FROM sap_deviation ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, section, description, justification, at, actor) = row?;
        out.push(SapDeviation {
            id: format!("DEV-{seq}"),
            section: section.parse().map_err(Error::Corrupt)?,
            description,
            justification,
            at,
            actor,
        });
    }
    Ok(out)
}

/// Every assessable objective, in catalog order.
pub fn assessable_objectives(conn: &Connection) -> Result<Vec<SapObjective>> {
    let mut stmt = conn.prepare(
        "SELECT o.control_id, o.id, o.label, o.text, o.methods FROM objective o \
         JOIN control c ON c.id = o.control_id WHERE o.assessable ORDER BY c.sort_order, o.sort_order",
    )?;
    let rows = stmt.query_map([], |r| {
        let methods: String = r.get(4)?;
        Ok(SapObjective {
            control_id: r.get(0)?,
            id: r.get(1)?,
            label: r.get(2)?,
            text: r.get(3)?,
            methods: methods
                .split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
