//! Scanner results: importing several files with per-file progress and cancel, the weakness
//! review, per-asset weaknesses, scan coverage of the inventory and the CM-6 configuration roll-up.
//!
//! Invariant: a batch of files is the core's `Session::import_scans`, the same loop the command
//! line runs (each file its own transaction and receipt; a failed file is reported and the
//! others still import). The cancel flag lives outside the session lock
//! (`AppState::cancel_import`), so Cancel is heard while a file is being read.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use assay_core::api::display_name;
use assay_core::api::scans::{ScanBatchOptions, ScanFileOutcome as CoreOutcome};
use assay_core::model::ids::WeaknessId;
use assay_core::model::scans::{
    ConfigurationFindings, Coverage, ReviewAction, ScanFile, ScanReceipt, WeaknessFilter,
    WeaknessInstance, WeaknessRow,
};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::ipc_error::{IpcError, IpcResult};
use crate::paths::Access;
use crate::progress::{clamp_u32, Progress};
use crate::state::AppState;

/// How far the import of one file of a batch has got, in bytes (`u32`: the bindings carry no
/// 64-bit integers; sizes above 4 GiB are clamped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ScanProgress {
    /// Position of the file in the batch, from 0.
    pub file_index: u32,
    pub file_name: String,
    pub done: u32,
    pub total: u32,
}

/// What happened to one file of a batch: a receipt, or the error that stopped it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ScanFileOutcome {
    pub path: String,
    pub receipt: Option<ScanReceipt>,
    pub error: Option<IpcError>,
}

impl ScanFileOutcome {
    /// The core's outcome as the window shows it; `shown` is the path as the user gave it.
    fn of(shown: String, outcome: CoreOutcome) -> Self {
        let (receipt, error) = match outcome.result {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(IpcError::from(e))),
        };
        ScanFileOutcome {
            path: shown,
            receipt,
            error,
        }
    }
}

/// Imports scanner files one after the other, each in its own transaction. A file that fails
/// is reported and the next one is tried; Cancel stops the file being read (nothing of it is
/// stored) and skips the rest. `replace` re-imports files whose bytes were imported before.
#[tauri::command(async)]
#[specta::specta]
pub fn import_scans(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    replace: bool,
    accept_invalid_utf8: bool,
    on_progress: Channel<ScanProgress>,
) -> IpcResult<Vec<ScanFileOutcome>> {
    state.cancel_import.store(false, Ordering::SeqCst);
    let shown: Vec<String> = paths
        .iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let files = shown
        .iter()
        .map(|p| {
            state
                .grants
                .permit(&app, p, Access::Read, "file", "choose a file")
        })
        .collect::<IpcResult<Vec<PathBuf>>>()?;
    let progress = Progress::new(&on_progress);
    let report = |i: usize, done: u64, total: u64| {
        progress.report_part(i, done, total, || ScanProgress {
            file_index: clamp_u32(i),
            file_name: files.get(i).map(|p| display_name(p)).unwrap_or_default(),
            done: clamp_u32(done),
            total: clamp_u32(total),
        })
    };
    let opts = ScanBatchOptions {
        progress: Some(&report),
        cancel: Some(&state.cancel_import),
        replace,
        accept_invalid_utf8,
    };
    let outcomes =
        state.with_session(|s| s.import_scans(&files, &opts, &mut |_: &CoreOutcome| {}))?;
    Ok(shown
        .into_iter()
        .zip(outcomes)
        .map(|(shown, o)| ScanFileOutcome::of(shown, o))
        .collect())
}

/// Every imported scan file, oldest first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_scan_files(state: State<'_, AppState>) -> IpcResult<Vec<ScanFile>> {
    state.with_session(|s| s.scan_files())
}

/// Weaknesses (one row per tool + plugin across hosts), RET order.
#[tauri::command(async)]
#[specta::specta]
pub fn list_weaknesses(
    state: State<'_, AppState>,
    filter: WeaknessFilter,
) -> IpcResult<Vec<WeaknessRow>> {
    state.with_session(|s| s.weaknesses(&filter))
}

/// Every instance (host, port, output) of one weakness.
#[tauri::command(async)]
#[specta::specta]
pub fn list_weakness_instances(
    state: State<'_, AppState>,
    id: u32,
) -> IpcResult<Vec<WeaknessInstance>> {
    state.with_session(|s| s.weakness_instances(WeaknessId(i64::from(id))))
}

/// The weaknesses found on one asset: an inventory uuid, IP, FQDN or scanner host name.
#[tauri::command(async)]
#[specta::specta]
pub fn list_asset_weaknesses(
    state: State<'_, AppState>,
    asset: String,
) -> IpcResult<Vec<WeaknessRow>> {
    state.with_session(|s| s.asset_weaknesses(&asset))
}

/// Records the assessor's decision on a weakness (accept → finding, false positive, merge).
#[tauri::command(async)]
#[specta::specta]
pub fn review_weakness(
    state: State<'_, AppState>,
    id: u32,
    action: ReviewAction,
) -> IpcResult<WeaknessRow> {
    state.with_session(|s| s.review_weakness(WeaknessId(i64::from(id)), &action))
}

/// Scan coverage of the in-scope inventory, with undocumented hosts.
#[tauri::command(async)]
#[specta::specta]
pub fn get_coverage(state: State<'_, AppState>) -> IpcResult<Coverage> {
    state.with_session(|s| s.coverage())
}

/// Failed and warned configuration checks rolled up for CM-6.
#[tauri::command(async)]
#[specta::specta]
pub fn get_configuration_findings(state: State<'_, AppState>) -> IpcResult<ConfigurationFindings> {
    state.with_session(|s| s.configuration_findings())
}
