//! The engagement file: one SQLite database per assessment.
//!
//! Invariants:
//! - this module tree is the only place in Assay that holds SQL;
//! - every engagement file carries [`APPLICATION_ID`] and a `user_version` equal to the number of
//!   migrations applied; files without the id, visibly truncated files and files from a newer
//!   Assay (both versions named) are refused from their header, before SQLite opens them (`file.rs`);
//! - a store opened read-only never writes: no migration, no pragma that changes the file, no
//!   journal-mode switch; it works on read-only media;
//! - migrations are numbered, append-only and never edited once released, and run only when a
//!   file is opened for writing or upgraded ([`upgrade`], which copies the file first);
//! - reads take `&Connection`, writes take `&Transaction`, begun `IMMEDIATE` with a bounded wait
//!   for the lock: the api layer owns every transaction.

pub mod audit;
pub mod baseline;
pub mod engagement;
mod file;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod ssp;
pub mod team;
pub mod testing;
pub mod upgrade;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

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
    read_only: bool,
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
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            read_only: false,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing engagement file for writing and brings its schema up to date (each
    /// migration in its own write transaction). A file from a newer Assay is refused before
    /// anything is written to it, and so is a file that is not an engagement or is damaged.
    pub fn open(path: &Path) -> Result<Store> {
        let mut store = Store::open_unmigrated(path)?;
        store.migrate().map_err(|e| e.in_file(path))?;
        Ok(store)
    }

    /// Opens and checks an engagement file for writing without migrating it (for `upgrade`,
    /// which backs the file up first, and for tests of old schemas).
    pub fn open_unmigrated(path: &Path) -> Result<Store> {
        let header = file::check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| Error::from(e).in_file(path))?;
        // SQLite opens a write-protected file read-only without saying so; refuse it here,
        // by name, rather than at the first write.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            return Err(Error::ReadOnlyFile {
                path: path.to_owned(),
            });
        }
        conn.busy_timeout(lock_wait())?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            read_only: false,
        };
        store.check_identity(&header).map_err(|e| e.in_file(path))?;
        store.configure().map_err(|e| e.in_file(path))?;
        Ok(store)
    }

    /// Opens an engagement file for reading only: SQLite's read-only mode, no pragma that writes
    /// (the journal mode is left as it is), no migration. Works on read-only media: when the
    /// folder cannot take SQLite's `-wal`/`-shm` files and none exist, the file is opened as
    /// immutable (nothing can be writing it then). A file of an older schema is refused with
    /// the command that upgrades it; a newer one untouched.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let header = file::check_header(path)?;
        let conn = file::open_read_only(path, &header)?;
        let store = Store {
            conn,
            path: path.to_owned(),
            read_only: true,
        };
        store.check_identity(&header).map_err(|e| e.in_file(path))?;
        let found = store.schema_version()?;
        if found < SCHEMA_VERSION {
            return Err(Error::NeedsUpgrade {
                path: path.to_owned(),
                found,
            });
        }
        Ok(store)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when opened with [`Store::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Starts a write transaction; the caller commits or drops it (which rolls back).
    ///
    /// `BEGIN IMMEDIATE`: the write lock is taken first, so everything the transaction reads
    /// (the next finding number, the audit head) is read under the lock and no other writer
    /// can slip in between. A writer that cannot get the lock within [`lock_wait`] gets
    /// [`Error::InUse`].
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        if self.read_only {
            return Err(Error::Internal(format!(
                "{} was opened read-only and a write was attempted",
                self.path.display()
            )));
        }
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| Error::from(e).in_file(&path))
    }

    /// Sets how commits reach the disk: `full` for commits that store imported data or
    /// evidence (the WAL is synced at each commit, so a power cut cannot lose them), else
    /// `NORMAL` (synced at checkpoints; a power cut may lose the last edits, never corrupt).
    pub fn set_durable(&self, full: bool) -> Result<()> {
        let mode = if full { "FULL" } else { "NORMAL" };
        Ok(self.conn.pragma_update(None, "synchronous", mode)?)
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<u32> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| Error::from(e).in_file(&self.path))?;
        u32::try_from(v).map_err(|_| Error::NotAnEngagement {
            path: self.path.clone(),
        })
    }

    /// Checks, through SQLite (which also sees a `-wal` file's newer pages), what the header
    /// check saw: Assay's application id and a schema this Assay understands.
    fn check_identity(&self, header: &file::Header) -> Result<()> {
        let app_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match Error::from(e) {
                // The header looked like SQLite's; pages SQLite cannot read mean damage.
                Error::Database(_) => Error::NotAnEngagement {
                    path: self.path.clone(),
                },
                other => other,
            })?;
        if app_id != APPLICATION_ID {
            return Err(Error::NotAnEngagement {
                path: self.path.clone(),
            });
        }
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION || header.user_version > SCHEMA_VERSION {
            return Err(Error::EngagementTooNew {
                path: self.path.clone(),
                found: found.max(header.user_version),
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Connection settings for writing: they live in the connection (the journal mode in the
    /// file), so they are set on every open for writing, and only after the file passed the
    /// checks. An Assay file is already in WAL mode; the pragma only runs when it is not.
    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(lock_wait())?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        self.set_durable(false)?;
        Ok(())
    }

    /// Applies every migration the file has not seen, each in its own write transaction that
    /// re-reads the version under the lock, so two processes opening an old file at once
    /// apply each migration once. A migration that fails means the file's schema is not what
    /// its version says: the file is damaged (no SQL is shown).
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let target = index as u32 + 1;
            if self.schema_version()? >= target {
                continue;
            }
            let tx = self.transaction()?;
            let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if found >= i64::from(target) {
                continue;
            }
            tx.execute_batch(sql).map_err(|e| match Error::from(e) {
                Error::Database(e) => Error::Damaged {
                    path: path.clone(),
                    detail: format!(
                        "its schema {found} cannot be upgraded (migration {name}: {})",
                        crate::error::sqlite_message(&e)
                    ),
                },
                other => other,
            })?;
            tx.pragma_update(None, "user_version", target)?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// How long a writer waits for another Assay process to finish its write before giving up
/// with [`Error::InUse`]: `$ASSAY_LOCK_WAIT` seconds when set (0 to 3600), else 30. Each
/// write holds the lock for one transaction (milliseconds for an edit, seconds for a large
/// import), so 30 s lets dozens of writers queue up and still bounds the wait behind a
/// long import.
pub fn lock_wait() -> std::time::Duration {
    let secs = std::env::var("ASSAY_LOCK_WAIT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| (0.0..=3600.0).contains(s))
        .unwrap_or(30.0);
    std::time::Duration::from_secs_f64(secs)
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
