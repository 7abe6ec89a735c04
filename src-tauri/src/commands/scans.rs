//! Scanner results: importing several files with per-file progress and cancel, the weakness
//! review, per-asset weaknesses, scan coverage of the inventory and the CM-6 configuration roll-up.
//!
//! Invariant: each file of an `import_scans` batch is its own core call and transaction, so a
//! failed or cancelled file stores nothing of itself and never undoes the files before it. The
//! cancel flag lives outside the session lock (`AppState::cancel_import`), so Cancel is heard
//! while a file is being read.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use assay_core::api::scans::ScanImportOptions;
use assay_core::model::scans::{
    ConfigurationFindings, Coverage, ReviewAction, ScanFile, ScanReceipt, WeaknessFilter,
    WeaknessInstance, WeaknessRow,
};
use assay_core::Error;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};
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

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The least time between two progress messages of a file.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// Sends a file's progress at most every 1% or `PROGRESS_INTERVAL`, and always at the end.
struct Throttle<'a> {
    channel: &'a Channel<ScanProgress>,
    file_index: u32,
    file_name: String,
    last: Cell<Option<(Instant, u64)>>,
}

impl Throttle<'_> {
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
            let _ = self.channel.send(ScanProgress {
                file_index: self.file_index,
                file_name: self.file_name.clone(),
                done: clamp_u32(done),
                total: clamp_u32(total),
            });
        }
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn cancelled_before_start() -> IpcError {
    IpcError {
        code: assay_core::ErrorCode::Cancelled,
        message: "not imported: the import was cancelled before this file".into(),
    }
}

/// Imports scanner files one after the other, each in its own transaction. A file that fails
/// is reported and the next one is tried; Cancel stops the file being read (nothing of it is
/// stored) and skips the rest. `replace` re-imports files whose bytes were imported before.
#[tauri::command(async)]
#[specta::specta]
pub fn import_scans(
    state: State<'_, AppState>,
    paths: Vec<String>,
    replace: bool,
    accept_invalid_utf8: bool,
    on_progress: Channel<ScanProgress>,
) -> IpcResult<Vec<ScanFileOutcome>> {
    state.cancel_import.store(false, Ordering::SeqCst);
    let paths: Vec<String> = paths
        .iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if paths.is_empty() {
        return Err(IpcError::from(Error::Validation {
            field: "files".into(),
            message: "choose at least one scanner file to import".into(),
        }));
    }
    let mut outcomes = Vec::with_capacity(paths.len());
    for (i, shown) in paths.into_iter().enumerate() {
        if state.cancel_import.load(Ordering::SeqCst) {
            outcomes.push(ScanFileOutcome {
                path: shown,
                receipt: None,
                error: Some(cancelled_before_start()),
            });
            continue;
        }
        let path = PathBuf::from(&shown);
        let throttle = Throttle {
            channel: &on_progress,
            file_index: clamp_u32(i as u64),
            file_name: display_name(&path),
            last: Cell::new(None),
        };
        let report = |done: u64, total: u64| throttle.report(done, total);
        let opts = ScanImportOptions {
            progress: Some(&report),
            cancel: Some(&state.cancel_import),
            replace,
            accept_invalid_utf8,
        };
        let result = state.with_session(|s| s.import_scan(&path, &opts));
        let (receipt, error) = match result {
            Ok(r) => (Some(r), None),
            // No engagement open: every other file would fail the same way.
            Err(e) if e.code == assay_core::ErrorCode::NoEngagement => return Err(e),
            Err(e) => (None, Some(e)),
        };
        outcomes.push(ScanFileOutcome {
            path: shown,
            receipt,
            error,
        });
    }
    Ok(outcomes)
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
    state.with_session(|s| s.weakness_instances(i64::from(id)))
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
    state.with_session(|s| s.review_weakness(i64::from(id), &action))
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
