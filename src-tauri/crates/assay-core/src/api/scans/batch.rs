//! Importing several scanner files: the one loop the CLI (`assay import-scan`) and the app
//! (`import_scans`) share, so a batch behaves the same in both.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::ScanImportOptions;
use crate::api::Session;
use crate::error::{Error, Result};
use crate::model::scans::ScanReceipt;

/// Options of [`Session::import_scans`].
#[derive(Clone, Copy, Default)]
pub struct ScanBatchOptions<'a> {
    /// Called with (position of the file in the batch, bytes parsed, file size).
    pub progress: Option<&'a dyn Fn(usize, u64, u64)>,
    /// Raise to stop: the file being read stores nothing and the rest are not started.
    pub cancel: Option<&'a AtomicBool>,
    /// Replace an earlier import of the same bytes instead of refusing the file.
    pub replace: bool,
    /// Accept text that is not valid UTF-8, replacing the bad bytes (see [`ScanImportOptions`]).
    pub accept_invalid_utf8: bool,
}

impl std::fmt::Debug for ScanBatchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanBatchOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.is_some())
            .field("replace", &self.replace)
            .field("accept_invalid_utf8", &self.accept_invalid_utf8)
            .finish()
    }
}

/// What happened to one file of a batch: its receipt, or the error that refused it (whose
/// message is one line naming the file and the reason).
#[derive(Debug)]
pub struct ScanFileOutcome {
    /// The file as given.
    pub path: PathBuf,
    pub result: Result<ScanReceipt>,
}

impl ScanFileOutcome {
    /// The receipt, when the file was imported.
    pub fn receipt(&self) -> Option<&ScanReceipt> {
        self.result.as_ref().ok()
    }

    /// The error, when the file was not imported.
    pub fn error(&self) -> Option<&Error> {
        self.result.as_ref().err()
    }
}

impl Session {
    /// Imports scanner files one after the other.
    ///
    /// Policy (the same for the CLI and the app): each file is its own transaction with its
    /// own receipt; a file that fails is reported with its one-line reason and stores nothing
    /// of itself, and the other files still import (the files before it stay imported, the
    /// files after it are tried). Raising `cancel` stops the file being read (nothing of it is
    /// stored) and refuses the files not yet started with [`Error::Cancelled`]. The outcomes
    /// come back in the order of `paths`, and `on_file` sees each as soon as its file is done.
    /// Callers report failure (the CLI exits 1) when any outcome is an error.
    ///
    /// Refused with [`Error::Validation`] only when `paths` is empty.
    pub fn import_scans(
        &mut self,
        paths: &[PathBuf],
        opts: &ScanBatchOptions<'_>,
        on_file: &mut dyn FnMut(&ScanFileOutcome),
    ) -> Result<Vec<ScanFileOutcome>> {
        if paths.is_empty() {
            return Err(Error::validation(
                "files",
                "choose at least one scanner file to import",
            ));
        }
        let mut outcomes = Vec::with_capacity(paths.len());
        for (i, path) in paths.iter().enumerate() {
            let outcome = ScanFileOutcome {
                path: path.clone(),
                result: self.import_one_of_batch(i, path, opts),
            };
            on_file(&outcome);
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// File `index` of a batch: refused as cancelled when the batch was cancelled before it.
    fn import_one_of_batch(
        &mut self,
        index: usize,
        path: &Path,
        opts: &ScanBatchOptions<'_>,
    ) -> Result<ScanReceipt> {
        if opts.cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
            return Err(Error::Cancelled);
        }
        let report = |done: u64, total: u64| {
            if let Some(p) = opts.progress {
                p(index, done, total);
            }
        };
        self.import_scan(
            path,
            &ScanImportOptions {
                progress: Some(&report),
                cancel: opts.cancel,
                replace: opts.replace,
                accept_invalid_utf8: opts.accept_invalid_utf8,
            },
        )
    }
}
