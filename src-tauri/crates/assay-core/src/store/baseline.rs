//! The `baseline`, `control` and `objective` tables: the catalog the engagement is assessed against.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{from_json, to_json};
use crate::error::Result;
use crate::model::baseline::{BaselineInfo, ControlSummary, Family};
use crate::model::oscal::{Catalog, Control, Format};

/// Replaces the stored baseline with `catalog` (active controls only).
pub fn replace(tx: &Transaction<'_>, catalog: &Catalog, loaded_at: &str) -> Result<()> {
    tx.execute_batch("DELETE FROM objective; DELETE FROM control; DELETE FROM baseline;")?;
    let header = Catalog {
        controls: Vec::new(),
        ..catalog.clone()
    };
    tx.execute(
        "INSERT INTO baseline (id, source_name, source_sha256, source_format, oscal_version, title, version, loaded_at, header) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            catalog.source.name,
            catalog.source.sha256,
            format_name(catalog.source.format),
            catalog.oscal_version,
            catalog.title,
            catalog.version,
            loaded_at,
            to_json(&header)?,
        ],
    )?;
    let mut insert_control = tx.prepare(
        "INSERT INTO control (id, label, title, family_id, family_title, parent_id, sort_order, core, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut insert_objective = tx.prepare(
        "INSERT INTO objective (id, control_id, label, text, parent_id, depth, leaf, response_point, assessable, methods, sort_order) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (order, control) in catalog.active_controls().enumerate() {
        let (family_id, family_title) = family_of(control);
        insert_control.execute(params![
            control.id,
            control.label,
            control.title,
            family_id,
            family_title,
            control.parent_id,
            order as i64,
            control.core,
            to_json(control)?,
        ])?;
        // The determination statements an assessor rates: FedRAMP's response points where the
        // baseline marks them for this control, otherwise every leaf objective.
        let marked = control.objectives.iter().any(|o| o.response_point);
        for (i, o) in control.objectives.iter().enumerate() {
            let assessable = if marked { o.response_point } else { o.leaf };
            // A few catalogs repeat an objective id; the first occurrence wins.
            insert_objective
                .execute(params![
                    o.id,
                    control.id,
                    o.label,
                    o.text,
                    o.parent_id,
                    o.depth,
                    o.leaf,
                    o.response_point,
                    assessable,
                    o.methods.join(","),
                    i as i64,
                ])
                .or_else(|e| {
                    if is_unique_violation(&e) {
                        Ok(0)
                    } else {
                        Err(e)
                    }
                })?;
        }
    }
    Ok(())
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// The family a control belongs to: its catalog group, or the prefix of its id.
fn family_of(control: &Control) -> (String, String) {
    let id = control
        .group_id
        .clone()
        .unwrap_or_else(|| control.id.split('-').next().unwrap_or_default().to_owned());
    let title = control
        .group_title
        .clone()
        .unwrap_or_else(|| id.to_uppercase());
    (id, title)
}

/// Lower-case name of a source format.
pub(crate) fn format_name(f: Format) -> &'static str {
    match f {
        Format::Json => "json",
        Format::Xml => "xml",
    }
}

/// The loaded baseline, if any.
pub fn info(conn: &Connection) -> Result<Option<BaselineInfo>> {
    let row = conn
        .query_row(
            "SELECT source_name, source_sha256, source_format, oscal_version, title, version, loaded_at, \
             (SELECT count(*) FROM control), (SELECT count(*) FROM objective WHERE assessable), \
             (SELECT count(DISTINCT family_id) FROM control) FROM baseline WHERE id = 1",
            [],
            |r| {
                Ok(BaselineInfo {
                    source_name: r.get(0)?,
                    source_sha256: r.get(1)?,
                    source_format: r.get(2)?,
                    oscal_version: r.get(3)?,
                    title: r.get(4)?,
                    version: r.get(5)?,
                    loaded_at: r.get(6)?,
                    controls: r.get(7)?,
                    objectives: r.get(8)?,
                    families: r.get(9)?,
                })
            },
        )
        .optional()?;
    Ok(row)
}

/// Control families in catalog order.
pub fn families(conn: &Connection) -> Result<Vec<Family>> {
    let mut stmt = conn.prepare(
        "SELECT family_id, family_title, count(*) FROM control GROUP BY family_id ORDER BY min(sort_order)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Family {
            id: r.get(0)?,
            title: r.get(1)?,
            controls: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every control in catalog order, with the SSP's implementation status where there is one.
pub fn controls(conn: &Connection) -> Result<Vec<ControlSummary>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.label, c.title, c.family_id, c.parent_id, c.core, \
           (SELECT count(*) FROM objective o WHERE o.control_id = c.id AND o.assessable), \
           (SELECT coalesce(r.implementation_status, '') FROM ssp_implemented_requirement r WHERE r.control_id = c.id LIMIT 1) \
         FROM control c ORDER BY c.sort_order",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ControlSummary {
            id: r.get(0)?,
            label: r.get(1)?,
            title: r.get(2)?,
            family_id: r.get(3)?,
            parent_id: r.get(4)?,
            core: r.get(5)?,
            objectives: r.get(6)?,
            implementation_status: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One control as loaded, with its family title and the ids of its assessable objectives.
pub fn control(conn: &Connection, id: &str) -> Result<Option<(Control, String, Vec<String>)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT data, family_title FROM control WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((data, family_title)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT id FROM objective WHERE control_id = ?1 AND assessable ORDER BY sort_order",
    )?;
    let assessable = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some((from_json(&data)?, family_title, assessable)))
}

/// The stored catalog, rebuilt (active controls only).
pub fn catalog(conn: &Connection) -> Result<Option<Catalog>> {
    let header: Option<String> = conn
        .query_row("SELECT header FROM baseline WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let Some(header) = header else {
        return Ok(None);
    };
    let mut catalog: Catalog = from_json(&header)?;
    let mut stmt = conn.prepare("SELECT data FROM control ORDER BY sort_order")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for data in rows {
        catalog.controls.push(from_json(&data?)?);
    }
    Ok(Some(catalog))
}
