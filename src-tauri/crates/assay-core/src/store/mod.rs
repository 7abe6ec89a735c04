//! The engagement file: one SQLite database per assessment.
//!
//! Invariants:
//! - this module tree is the only place in Assay that holds SQL;
//! - every engagement file carries [`APPLICATION_ID`] and a `user_version` equal to the number of
//!   migrations applied; files without the id are refused unopened, files from a newer Assay are
//!   refused with both versions named;
//! - migrations are numbered, append-only and never edited once released;
//! - reads take `&Connection`, writes take `&Transaction`: the api layer owns every transaction.

pub mod audit;
pub mod baseline;
pub mod engagement;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod ssp;
pub mod team;
pub mod testing;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::error::{Error, Result};

/// SQLite `application_id` of Assay engagement files: the bytes "ASSY".
pub const APPLICATION_ID: i32 = 0x4153_5359;

/// The schema migrations, in order. Migration N brings a file to `user_version` N.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_engagement",
        include_str!("migrations/0001_engagement.sql"),
    ),
    (
        "0002_baseline_ssp",
        include_str!("migrations/0002_baseline_ssp.sql"),
    ),
    ("0003_sap", include_str!("migrations/0003_sap.sql")),
    ("0004_testing", include_str!("migrations/0004_testing.sql")),
    ("0005_scans", include_str!("migrations/0005_scans.sql")),
    ("0006_sar", include_str!("migrations/0006_sar.sql")),
    ("0007_custody", include_str!("migrations/0007_custody.sql")),
];

/// The schema version this Assay writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// An open engagement file.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Creates a new engagement file at `path` with the current schema. Refuses to overwrite.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::AlreadyExists {
                path: path.to_owned(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| io_error(path, format!("cannot create the file: {e}")))?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing engagement file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let mut store = Store::open_unmigrated(path)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens and checks an engagement file without migrating it (for tests of old schemas).
    pub fn open_unmigrated(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(Error::FileNotFound {
                path: path.to_owned(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|_| Error::NotAnEngagement {
                path: path.to_owned(),
            })?;
        // A text file or a foreign database fails here: reading the header either errors
        // ("file is not a database") or shows another application id.
        let app_id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|_| Error::NotAnEngagement {
                path: path.to_owned(),
            })?;
        if app_id != APPLICATION_ID {
            return Err(Error::NotAnEngagement {
                path: path.to_owned(),
            });
        }
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.configure()?;
        Ok(store)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Starts a write transaction; the caller commits or drops it (which rolls back).
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction()?)
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<u32> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        u32::try_from(v).map_err(|_| Error::NotAnEngagement {
            path: self.path.clone(),
        })
    }

    /// Connection settings: they live in the connection, not the file, so they are set on every open.
    fn configure(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(())
    }

    /// Applies every migration the file has not seen, each in its own transaction.
    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::EngagementTooNew {
                path: self.path.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as u32 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }
}

fn io_error(path: &Path, message: String) -> Error {
    Error::Io {
        path: path.to_owned(),
        source: std::io::Error::other(message),
    }
}

/// Counts rows of a table; `table` is always a literal from this module tree, never user input.
pub(crate) fn count_rows(conn: &Connection, table: &str) -> Result<u32> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Serialises a record for a `data` column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })
}

/// Decodes a `data` column.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Corrupt(format!("stored record cannot be decoded: {e}")))
}

#[cfg(test)]
mod tests;
