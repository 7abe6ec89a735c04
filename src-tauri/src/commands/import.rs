//! Loading the FedRAMP baseline and importing the CSP's SSP, with progress and cancel.
//!
//! An SSP import runs in two steps so a re-import is applied only after the assessor has seen its
//! change list: `stage_ssp` parses and compares (changing nothing) and keeps the result in the
//! state; `apply_staged_ssp` stores it; `discard_staged_ssp` drops it.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use assay_core::api::baseline::{baseline_search_dirs, read_input, BaselineReceipt};
use assay_core::api::ssp::SspReceipt;
use assay_core::api::ImportOptions;
use assay_core::{Error, Session};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};
use crate::state::AppState;

/// How far a read has got, in bytes. `u32` because the bindings cannot carry 64-bit integers;
/// it holds every size up to the 1 GiB Assay accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The least time between two progress messages; the bar cannot show finer steps anyway.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// Forwards progress to the window at most every 1% or `PROGRESS_INTERVAL`, whichever comes
/// first, and always at the end, so a large file does not flood the IPC channel.
struct ProgressSink<'a> {
    channel: &'a Channel<ImportProgress>,
    last: Cell<Option<(Instant, u64)>>,
}

impl<'a> ProgressSink<'a> {
    fn new(channel: &'a Channel<ImportProgress>) -> Self {
        ProgressSink {
            channel,
            last: Cell::new(None),
        }
    }

    fn report(&self, done: u64, total: u64) {
        let now = Instant::now();
        let due = match self.last.get() {
            None => true,
            Some((at, sent)) => {
                done >= total
                    || done.saturating_sub(sent) >= total / 100
                    || now.duration_since(at) >= PROGRESS_INTERVAL
            }
        };
        if due {
            self.last.set(Some((now, done)));
            // A closed window side only means nobody is watching; the import goes on.
            let _ = self.channel.send(ImportProgress {
                done: clamp_u32(done),
                total: clamp_u32(total),
            });
        }
    }
}

/// The file name shown in receipts and the audit log.
fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads the named file; refuses an empty path with a readable message.
fn read_named(path: &str) -> IpcResult<(String, Vec<u8>)> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(IpcError::from(Error::Validation {
            field: "file".into(),
            message: "choose a file to import".into(),
        }));
    }
    let bytes = read_input(&path)?;
    Ok((display_name(&path), bytes))
}

/// Loads a FedRAMP baseline: the catalog at `path`, or, when `path` is absent, the bundled
/// baseline for the engagement's impact level. Replaces any earlier baseline.
#[tauri::command(async)]
#[specta::specta]
pub fn import_baseline(
    state: State<'_, AppState>,
    path: Option<String>,
    on_progress: Channel<ImportProgress>,
) -> IpcResult<BaselineReceipt> {
    state.cancel_import.store(false, Ordering::SeqCst);
    let file = path.as_deref().map(read_named).transpose()?;
    let sink = ProgressSink::new(&on_progress);
    let report = |done: u64, total: u64| sink.report(done, total);
    let opts = ImportOptions {
        progress: Some(&report),
        cancel: Some(&state.cancel_import),
    };
    let dirs = baseline_search_dirs(&state.baseline_dirs);
    state.with_session(|s: &mut Session| match &file {
        Some((name, bytes)) => s.import_baseline(name, bytes, &opts),
        None => s.import_bundled_baseline(&dirs, &opts),
    })
}

/// Reads the SSP at `path` and compares it with the stored one without changing anything. The
/// result waits in the state for `apply_staged_ssp` or `discard_staged_ssp`.
#[tauri::command(async)]
#[specta::specta]
pub fn stage_ssp(
    state: State<'_, AppState>,
    path: String,
    on_progress: Channel<ImportProgress>,
) -> IpcResult<SspReceipt> {
    state.cancel_import.store(false, Ordering::SeqCst);
    state.set_staged_ssp(None);
    let (name, bytes) = read_named(&path)?;
    let sink = ProgressSink::new(&on_progress);
    let report = |done: u64, total: u64| sink.report(done, total);
    let opts = ImportOptions {
        progress: Some(&report),
        cancel: Some(&state.cancel_import),
    };
    let staged = state.with_session(|s| s.stage_ssp(&name, &bytes, &opts))?;
    let receipt = staged.receipt().clone();
    state.set_staged_ssp(Some(staged));
    Ok(receipt)
}

/// Stores the staged SSP (one transaction with its audit record).
#[tauri::command(async)]
#[specta::specta]
pub fn apply_staged_ssp(state: State<'_, AppState>) -> IpcResult<SspReceipt> {
    let staged = state.take_staged_ssp().ok_or_else(|| {
        IpcError::from(Error::NotFound {
            what: "an SSP waiting to be applied (import it again)".into(),
        })
    })?;
    state.with_session(|s| s.apply_ssp(staged))
}

/// Drops the staged SSP; nothing was stored.
#[tauri::command(async)]
#[specta::specta]
pub fn discard_staged_ssp(state: State<'_, AppState>) -> IpcResult<()> {
    state.set_staged_ssp(None);
    Ok(())
}

/// Asks the running import or package export to stop; it fails with code `Cancelled` and
/// stores or writes nothing.
#[tauri::command]
#[specta::specta]
pub fn cancel_import(state: State<'_, AppState>) -> IpcResult<()> {
    state.cancel_import.store(true, Ordering::SeqCst);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_file_names() {
        assert_eq!(display_name(Path::new("/a/b/ssp.xml")), "ssp.xml");
        assert_eq!(display_name(Path::new("ssp.json")), "ssp.json");
    }

    #[test]
    fn an_empty_path_is_a_validation_error() {
        let e = read_named("  ").unwrap_err();
        assert_eq!(e.code, assay_core::ErrorCode::Validation);
    }
}
