//! The `engagement` table: exactly one row per file.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::error::{Error, Result};
use crate::model::Engagement;

const COLUMNS: &str = "id, cso_name, csp_name, assessor_org, agency, package_id, impact_level, \
    authorization_path, assessment_type, test_window_start, test_window_end, created_at, updated_at";

/// Inserts the engagement row of a new file.
pub fn insert(tx: &Transaction<'_>, e: &Engagement) -> Result<()> {
    save(tx, e)
}

/// Writes every field of the engagement row (all but its id and creation time).
pub fn update(tx: &Transaction<'_>, e: &Engagement) -> Result<()> {
    let exists: bool = tx.query_row(
        "SELECT count(*) FROM engagement WHERE id = ?1",
        [&e.id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(Error::NotFound {
            what: format!("engagement {}", e.id),
        });
    }
    save(tx, e)
}

fn save(tx: &Transaction<'_>, e: &Engagement) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO engagement ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT (id) DO UPDATE SET cso_name = excluded.cso_name, csp_name = excluded.csp_name, \
             assessor_org = excluded.assessor_org, agency = excluded.agency, package_id = excluded.package_id, \
             impact_level = excluded.impact_level, authorization_path = excluded.authorization_path, \
             assessment_type = excluded.assessment_type, test_window_start = excluded.test_window_start, \
             test_window_end = excluded.test_window_end, updated_at = excluded.updated_at"
        ),
        params![
            e.id,
            e.cso_name,
            e.csp_name,
            e.assessor_org,
            e.agency,
            e.package_id,
            e.impact_level.code(),
            e.authorization_path.code(),
            e.assessment_type.code(),
            e.test_window_start.map(|d| d.to_string()),
            e.test_window_end.map(|d| d.to_string()),
            e.created_at,
            e.updated_at,
        ],
    )?;
    Ok(())
}

/// The engagement of this file.
pub fn get(conn: &Connection) -> Result<Engagement> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM engagement LIMIT 1"),
        [],
        |r| Ok(from_row(r)),
    )
    .optional()?
    .ok_or_else(|| Error::Corrupt("the file holds no engagement record".into()))?
}

fn from_row(r: &Row<'_>) -> Result<Engagement> {
    let text = |i: usize| -> Result<String> { Ok(r.get::<_, String>(i)?) };
    let parse = |i: usize| -> Result<String> { text(i) };
    let date = |i: usize| -> Result<Option<NaiveDate>> {
        match r.get::<_, Option<String>>(i)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| Error::Corrupt(format!("engagement date '{s}' is not YYYY-MM-DD"))),
        }
    };
    Ok(Engagement {
        id: text(0)?,
        cso_name: text(1)?,
        csp_name: text(2)?,
        assessor_org: text(3)?,
        agency: text(4)?,
        package_id: text(5)?,
        impact_level: parse(6)?.parse().map_err(Error::Corrupt)?,
        authorization_path: parse(7)?.parse().map_err(Error::Corrupt)?,
        assessment_type: parse(8)?.parse().map_err(Error::Corrupt)?,
        test_window_start: date(9)?,
        test_window_end: date(10)?,
        created_at: text(11)?,
        updated_at: text(12)?,
    })
}
