//! The commands, one module per group. Each command opens the engagement, makes one core call
//! per action asked for, and prints the result: no command decides anything itself.

pub mod baseline;
pub mod demo;
pub mod engagement;
pub mod package;
pub mod report;
pub mod sap;
pub mod scans;
pub mod testing;

use std::path::Path;

use assay_core::{Context, Session};

use crate::cli::UserError;

/// Opens the engagement file for a command that may write (migrating an older file).
fn open(file: &Path, ctx: Context) -> anyhow::Result<Session> {
    Ok(Session::open(file, ctx)?)
}

/// Opens the engagement file for a command that only reads: read-only, never migrated, works
/// on read-only media.
fn open_read(file: &Path, ctx: Context) -> anyhow::Result<Session> {
    Ok(Session::open_read_only(file, ctx)?)
}

/// The largest `@FILE` argument read (a SAP section or the SAR's fields are far smaller).
const MAX_DATA_FILE: u64 = 16 << 20;

/// The text of a JSON argument: `@FILE` reads FILE (a regular file of at most 16 MiB), anything
/// else is the text itself.
fn read_data(data: &str) -> anyhow::Result<String> {
    Ok(match data.strip_prefix('@') {
        Some(path) => {
            let bytes = assay_core::api::read_regular(Path::new(path), MAX_DATA_FILE)?;
            String::from_utf8(bytes)
                .map_err(|e| UserError(format!("{path}: not UTF-8 text: {e}")))?
        }
        None => data.to_owned(),
    })
}
