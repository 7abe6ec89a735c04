//! Loading the FedRAMP baseline and importing the CSP's SSP, with progress and cancel.
//!
//! An SSP import runs in two steps so a re-import is applied only after the assessor has seen its
//! change list: `stage_ssp` parses and compares (changing nothing) and keeps the result in the
//! state; `apply_staged_ssp` stores it; `discard_staged_ssp` drops it.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use assay_core::api::baseline::BaselineReceipt;
use assay_core::api::ssp::SspReceipt;
use assay_core::api::ImportOptions;
use assay_core::Error;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};
use crate::progress::{clamp_u32, Progress};
use crate::state::AppState;

/// How far a read has got, in bytes. `u32` because the bindings cannot carry 64-bit integers;
/// it holds every size up to the 1 GiB Assay accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// The file the user chose; refuses an empty path with a readable message.
fn chosen_file(path: &str) -> IpcResult<PathBuf> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(IpcError::from(Error::Validation {
            field: "file".into(),
            message: "choose a file to import".into(),
        }));
    }
    Ok(path)
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
    let file = path.as_deref().map(chosen_file).transpose()?;
    let progress = Progress::new(&on_progress);
    let report = |done: u64, total: u64| {
        progress.report(done, total, || ImportProgress {
            done: clamp_u32(done),
            total: clamp_u32(total),
        })
    };
    let opts = ImportOptions {
        progress: Some(&report),
        cancel: Some(&state.cancel_import),
    };
    state.with_session(|s| s.load_baseline(file.as_deref(), &state.baseline_dirs, &opts))
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
    let file = chosen_file(&path)?;
    let progress = Progress::new(&on_progress);
    let report = |done: u64, total: u64| {
        progress.report(done, total, || ImportProgress {
            done: clamp_u32(done),
            total: clamp_u32(total),
        })
    };
    let opts = ImportOptions {
        progress: Some(&report),
        cancel: Some(&state.cancel_import),
    };
    let staged = state.with_session(|s| s.stage_ssp_file(&file, &opts))?;
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
    fn an_empty_path_is_a_validation_error() {
        let e = chosen_file("  ").unwrap_err();
        assert_eq!(e.code, assay_core::ErrorCode::Validation);
        assert_eq!(
            chosen_file(" /a/ssp.xml ").unwrap(),
            PathBuf::from("/a/ssp.xml")
        );
    }
}
