//! Loading the FedRAMP baseline and importing the CSP's SSP, with progress and cancel.
//!
//! An SSP import runs in two steps so a re-import is applied only after the assessor has seen its
//! change list: `stage_ssp` parses and compares (changing nothing) and keeps the result in the
//! state; `apply_staged_ssp` stores it; `discard_staged_ssp` drops it.

use std::sync::atomic::Ordering;

use assay_core::api::baseline::BaselineReceipt;
use assay_core::api::ssp::SspReceipt;
use assay_core::api::ImportOptions;
use assay_core::Error;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::ipc_error::{IpcError, IpcResult};
use crate::paths::Access;
use crate::progress::{clamp_u32, Progress};
use crate::state::AppState;

/// How far a read has got, in bytes. `u32` because the bindings cannot carry 64-bit integers;
/// it holds every size up to the 1 GiB Assay accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// Loads a FedRAMP baseline: the catalog at `path`, or, when `path` is absent, the bundled
/// baseline for the engagement's impact level. Replaces any earlier baseline.
#[tauri::command(async)]
#[specta::specta]
pub fn import_baseline(
    app: AppHandle,
    state: State<'_, AppState>,
    path: Option<String>,
    on_progress: Channel<ImportProgress>,
) -> IpcResult<BaselineReceipt> {
    state.cancel_import.store(false, Ordering::SeqCst);
    let file = path
        .as_deref()
        .map(|p| {
            let empty = "choose a baseline catalog to import";
            state.grants.permit(&app, p, Access::Read, "file", empty)
        })
        .transpose()?;
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
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    on_progress: Channel<ImportProgress>,
) -> IpcResult<SspReceipt> {
    state.cancel_import.store(false, Ordering::SeqCst);
    state.set_staged_ssp(None);
    let empty = "choose the SSP to import";
    let file = state
        .grants
        .permit(&app, &path, Access::Read, "file", empty)?;
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
