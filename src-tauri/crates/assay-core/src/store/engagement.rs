//! The `engagement` table: exactly one row per file.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::error::{Error, Result};
use crate::model::Engagement;

const COLUMNS: &str = "id, cso_name, csp_name, assessor_org, agency, package_id, impact_level, \
    authorization_path, assessment_type, test_window_start, test_window_end, created_at, updated_at";

/// Inserts the engagement row of a new file.
pub fn insert(tx: &Transaction<'_>, e: &Engagement) -> Result<()> {
    tx.execute(
        &format!("INSERT INTO engagement ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
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

/// Writes every field of the engagement row.
pub fn update(tx: &Transaction<'_>, e: &Engagement) -> Result<()> {
    let changed = tx.execute(
        "UPDATE engagement SET cso_name = ?2, csp_name = ?3, assessor_org = ?4, agency = ?5, \
         package_id = ?6, impact_level = ?7, authorization_path = ?8, assessment_type = ?9, \
         test_window_start = ?10, test_window_end = ?11, updated_at = ?12 WHERE id = ?1",
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
            e.updated_at,
        ],
    )?;
    if changed != 1 {
        return Err(Error::NotFound {
            what: format!("engagement {}", e.id),
        });
    }
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
