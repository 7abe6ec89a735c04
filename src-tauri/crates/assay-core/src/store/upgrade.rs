//! `assay upgrade`: brings an older engagement file to this Assay's schema after keeping a copy.
//!
//! Invariant: the copy (`FILE.v<N>.bak`, N the old schema version) is a consistent snapshot
//! written and synced before the first migration runs, and an existing copy is never
//! overwritten.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Store, SCHEMA_VERSION};
use crate::error::{Error, Result};

/// What `upgrade` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upgraded {
    pub path: PathBuf,
    /// The schema version found.
    pub from: u32,
    /// The schema version now.
    pub to: u32,
    /// The copy of the file as it was; none when nothing needed upgrading.
    pub backup: Option<PathBuf>,
}

/// `FILE.v<N>.bak` beside `path`.
pub fn backup_path(path: &Path, version: u32) -> PathBuf {
    super::file::side_file(path, &format!(".v{version}.bak"))
}

/// Upgrades the file at `path` to [`SCHEMA_VERSION`], first copying it to
/// [`backup_path`]. A current file is left alone.
pub fn upgrade(path: &Path) -> Result<Upgraded> {
    let mut store = Store::open_unmigrated(path)?;
    let from = store.schema_version()?;
    if from >= SCHEMA_VERSION {
        return Ok(Upgraded {
            path: path.to_owned(),
            from,
            to: from,
            backup: None,
        });
    }
    let backup = backup_path(path, from);
    if backup.exists() {
        return Err(Error::AlreadyExists { path: backup });
    }
    let io = |source: std::io::Error| Error::Io {
        path: backup.clone(),
        source,
    };
    let target = backup
        .to_str()
        .ok_or_else(|| io(std::io::Error::other("the file name is not UTF-8")))?;
    // A consistent snapshot through SQLite (the WAL's pages included), not a byte copy that
    // could catch a checkpoint half-way.
    store
        .conn
        .execute("VACUUM INTO ?1", [target])
        .map_err(|e| Error::from(e).in_file(&backup))?;
    std::fs::File::open(&backup)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    if let Some(folder) = backup.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
    }
    store.migrate().map_err(|e| e.in_file(path))?;
    Ok(Upgraded {
        path: path.to_owned(),
        from,
        to: store.schema_version()?,
        backup: Some(backup),
    })
}
