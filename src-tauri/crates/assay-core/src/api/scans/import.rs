//! Importing one scanner file as a use case: the transaction, the refusals (folder, unknown
//! format, invalid UTF-8, incomplete copy, bytes already imported), the receipt and its audit
//! record, and the raw copy kept beside the engagement.
//!
//! Invariants:
//! - one transaction per file, with its audit record: a parse error, a store error or a cancel
//!   rolls everything back and leaves the engagement unchanged;
//! - the same bytes (SHA-256) are imported once; a second import is refused naming the first,
//!   unless `replace`, which removes the earlier import's rows in the same transaction;
//! - the raw file is kept content-addressed beside the engagement (`<engagement>.scans/<sha256>`),
//!   copied while it is parsed into a temporary name, renamed only on success and removed on
//!   failure.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use assay_scan::ParseSummary;

use super::io_err;
use super::pipeline::{Pipeline, Streamed};
use super::sink::{library_ids, StoreSink};
use crate::api::Session;
use crate::error::{Error, Result};
use crate::model::scans::matching::InventoryMatcher;
use crate::model::scans::{ScanFile, ScanReceipt};
use crate::model::AuditEntry;
use crate::store;

/// Options of [`Session::import_scan`].
#[derive(Clone, Copy, Default)]
pub struct ScanImportOptions<'a> {
    /// Called with (bytes parsed, file size).
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// Raise to stop; nothing is stored.
    pub cancel: Option<&'a AtomicBool>,
    /// Replace an earlier import of the same bytes instead of refusing.
    pub replace: bool,
    /// Accept text that is not valid UTF-8 (stray Latin-1 bytes from old scanners), replacing the
    /// bad bytes with U+FFFD; by default such a file is refused, naming the first bad byte.
    pub accept_invalid_utf8: bool,
}

impl std::fmt::Debug for ScanImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanImportOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.is_some())
            .field("replace", &self.replace)
            .field("accept_invalid_utf8", &self.accept_invalid_utf8)
            .finish()
    }
}

/// The sidecar folder holding the raw scanner files of an engagement.
pub fn scans_dir(engagement: &Path) -> PathBuf {
    let mut name = engagement
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".scans");
    engagement.with_file_name(name)
}

impl Session {
    /// Imports one scanner file (any format `assay_scan` detects) in one transaction.
    pub fn import_scan(
        &mut self,
        path: &Path,
        opts: &ScanImportOptions<'_>,
    ) -> Result<ScanReceipt> {
        let shown = path.display().to_string();
        let input = crate::api::files::open_regular(path).map_err(|e| match e {
            Error::Validation { message, .. } => Error::ScanImport {
                path: path.to_owned(),
                message,
            },
            other => other,
        })?;
        let meta = input.metadata().map_err(io_err(path))?;
        let total = meta.len();
        let conn = self.store.conn();
        let matcher = InventoryMatcher::new(&store::ssp::inventory_rows(conn)?);
        let library = library_ids(conn)?;
        let dir = scans_dir(self.path());
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let file_id = self.ctx.new_id();
        let temp = dir.join(format!(".incoming-{file_id}"));
        let copy = File::create(&temp).map_err(io_err(&temp))?;
        let mut pipeline = Pipeline::new(input, copy);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let result = self.write_durable(|tx, ctx| {
            let refused = |message: String| Error::ScanImport {
                path: path.to_owned(),
                message,
            };
            let head = pipeline
                .sniff()
                .map_err(|e| refused(format!("read error: {e}")))?;
            let format = assay_scan::detect(head).map_err(|e| refused(e.to_string()))?;
            let now = ctx.timestamp();
            let mut file = ScanFile {
                id: file_id.clone(),
                sha256: format!("pending:{file_id}"),
                name: name.clone(),
                format: format.name().to_owned(),
                tool: String::new(),
                tool_version: None,
                scan_start: None,
                scan_end: None,
                imported_at: now.clone(),
                actor: ctx.actor.clone(),
            };
            store::scans::insert_file(tx, &file, total, "{}")?;
            let mut sink =
                StoreSink::new(tx, file_id.clone(), format.name(), now, matcher, library)?;
            let report = |done: u64| {
                if let Some(p) = opts.progress {
                    p(done, total);
                }
            };
            let streamed = pipeline.run(format, &mut sink, opts.cancel, &report, path, &temp)?;
            let (summary, size, sha256) = check_streamed(streamed, opts, &report, path)?;
            let earlier = store::scans::file_by_sha(tx, &sha256)?;
            if let Some(earlier) = &earlier {
                if !opts.replace {
                    return Err(Error::ScanDuplicate {
                        path: path.to_owned(),
                        earlier: earlier.name.clone(),
                        at: earlier.imported_at.clone(),
                        actor: earlier.actor.clone(),
                    });
                }
                store::scans::delete_file(tx, &earlier.file_id)?;
            }
            let info = sink.take_info();
            file.sha256.clone_from(&sha256);
            file.tool = if info.tool.is_empty() {
                format.name().to_owned()
            } else {
                info.tool.clone()
            };
            file.tool_version = info.tool_version.clone();
            file.scan_start = info.scan_start.clone();
            file.scan_end = info.scan_end.clone();
            let receipt = sink.receipt(&file, &shown, size, &summary, earlier);
            let receipt_json = crate::api::engagement::to_json(&receipt);
            store::scans::finish_file(tx, &file, size, &receipt_json)?;
            let target = dir.join(&sha256);
            std::fs::rename(&temp, &target).map_err(io_err(&target))?;
            crate::api::files::sync_parent(&target).map_err(io_err(&target))?;
            let entry = import_entry(&name, &receipt, receipt_json);
            Ok((receipt, vec![entry]))
        });
        if result.is_err() {
            // Best effort: the copy of a refused file is not kept.
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// Every imported scan file, oldest first.
    pub fn scan_files(&self) -> Result<Vec<ScanFile>> {
        store::scans::files(self.store.conn())
    }
}

/// Turns what the threads left into (parse summary, bytes read, SHA-256), or the refusal that
/// explains why the file is not imported, the most telling cause first.
fn check_streamed(
    streamed: Streamed,
    opts: &ScanImportOptions<'_>,
    report: &dyn Fn(u64),
    path: &Path,
) -> Result<(ParseSummary, u64, String)> {
    let refused = |message: String| Error::ScanImport {
        path: path.to_owned(),
        message,
    };
    let Streamed {
        parsed,
        finished,
        copied,
        parsed_bytes,
        store_error,
    } = streamed;
    // A failed copy (disk full) is the cause of the parser's read error: reported first.
    let copied = copied?;
    if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(Error::Cancelled);
    }
    report(parsed_bytes);
    let summary = match parsed {
        Ok(s) => s,
        Err(assay_scan::ScanError::Cancelled) => return Err(Error::Cancelled),
        Err(e) => {
            return Err(match store_error {
                Some(inner) => inner,
                None => refused(e.to_string()),
            })
        }
    };
    if !opts.accept_invalid_utf8 {
        if let Some(note) = summary
            .warnings
            .iter()
            .find(|w| w.starts_with("invalid UTF-8"))
        {
            let place = note.trim_end_matches(" replaced with U+FFFD");
            return Err(refused(format!(
                "{place}: the file is not valid UTF-8 (import it with --accept-invalid-utf8 to replace such bytes)"
            )));
        }
    }
    let Some(finished) = finished else {
        return Err(refused("the parser stopped without a result".into()));
    };
    let size = finished?;
    let Some((sha256, _)) = copied.filter(|(_, n)| *n == size) else {
        return Err(refused("the copy of the file is incomplete".into()));
    };
    Ok((summary, size, sha256))
}

/// The audit record of an import (or of a replacing import).
fn import_entry(name: &str, receipt: &ScanReceipt, receipt_json: String) -> AuditEntry {
    let replaced = receipt
        .duplicate_of
        .as_ref()
        .map(|e| format!(", replacing the import of {}", e.imported_at))
        .unwrap_or_default();
    AuditEntry {
        entity: "scan_file".into(),
        entity_id: receipt.file_id.clone(),
        action: if receipt.duplicate_of.is_some() {
            "replace".into()
        } else {
            "import".into()
        },
        summary: format!(
            "imported scan {name} ({}, {}): {} items, {} hosts, {} new and {} updated weaknesses, {} compliance results{replaced}",
            receipt.format,
            receipt.tool,
            receipt.items_read,
            receipt.hosts,
            receipt.weaknesses_new,
            receipt.weaknesses_updated,
            receipt.compliance_results
        ),
        before: String::new(),
        after: receipt_json,
    }
}
