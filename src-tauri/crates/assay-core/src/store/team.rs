//! The `team_member` table: the people on the engagement, in the order they were added.

use rusqlite::{params, Connection, Transaction};

use crate::error::{Error, Result};
use crate::model::TeamMember;

/// Appends a person at the end of the list.
pub fn insert(tx: &Transaction<'_>, m: &TeamMember) -> Result<()> {
    tx.execute(
        "INSERT INTO team_member (id, name, title, email, phone, side, role, position) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce(max(position), 0) + 1 FROM team_member))",
        params![m.id, m.name, m.title, m.email, m.phone, m.side.code(), m.role.code()],
    )?;
    Ok(())
}

/// Removes a person; errors if the id is unknown.
pub fn delete(tx: &Transaction<'_>, id: &str) -> Result<()> {
    if tx.execute("DELETE FROM team_member WHERE id = ?1", [id])? != 1 {
        return Err(Error::NotFound {
            what: format!("team member {id}"),
        });
    }
    Ok(())
}

/// One person by id.
pub fn get(conn: &Connection, id: &str) -> Result<TeamMember> {
    query(
        conn,
        "SELECT id, name, title, email, phone, side, role FROM team_member WHERE id = ?1",
        [id],
    )?
    .pop()
    .ok_or_else(|| Error::NotFound {
        what: format!("team member {id}"),
    })
}

/// Everyone, in the order added.
pub fn list(conn: &Connection) -> Result<Vec<TeamMember>> {
    query(
        conn,
        "SELECT id, name, title, email, phone, side, role FROM team_member ORDER BY position",
        [],
    )
}

fn query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<TeamMember>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, title, email, phone, side, role) = row?;
        out.push(TeamMember {
            id,
            name,
            title,
            email,
            phone,
            side: side.parse().map_err(Error::Corrupt)?,
            role: role.parse().map_err(Error::Corrupt)?,
        });
    }
    Ok(out)
}
