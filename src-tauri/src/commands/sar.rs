//! The Security Assessment Report and the seed POA&M: the computed report, the assessor's written
//! fields, the recommendation, the CISA KEV catalog and the coverage explanations.
//!
//! Invariant: the core computes and decides everything (risk items, Table 2-2, the refusal of a
//! recommendation the open risks do not allow); these commands only pass values through.

use assay_core::model::report::SarReport;
use assay_core::model::sar::{KevCatalogInfo, Recommendation, SarData, SarUpdate};
use tauri::{AppHandle, State};

use crate::ipc_error::IpcResult;
use crate::paths::Access;
use crate::state::AppState;

/// The whole SAR as computed from the engagement's data now, with the POA&M items.
#[tauri::command(async)]
#[specta::specta]
pub fn sar_report(state: State<'_, AppState>) -> IpcResult<SarReport> {
    state.with_session(|s| s.sar_report())
}

/// Changes the SAR's written fields (version, date, notes, signatures, POA&M numbering).
#[tauri::command(async)]
#[specta::specta]
pub fn update_sar(state: State<'_, AppState>, update: SarUpdate) -> IpcResult<SarData> {
    state.with_session(|s| s.update_sar(&update))
}

/// Records the authorization recommendation; refused (code `Validation`) when the assessment
/// type or the open risks do not allow it.
#[tauri::command(async)]
#[specta::specta]
pub fn set_recommendation(
    state: State<'_, AppState>,
    statement: Recommendation,
) -> IpcResult<SarData> {
    state.with_session(|s| s.set_recommendation(statement))
}

/// Imports the CISA Known Exploited Vulnerabilities catalog (JSON), replacing any earlier one.
#[tauri::command(async)]
#[specta::specta]
pub fn import_kev(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> IpcResult<KevCatalogInfo> {
    let empty = "choose the CISA KEV catalog file (known_exploited_vulnerabilities.json)";
    let path = state
        .grants
        .permit(&app, &path, Access::Read, "file", empty)?;
    state.with_session(|s| s.import_kev(&path))
}

/// Records why an in-scope inventory item was not scanned; an empty note removes it.
#[tauri::command(async)]
#[specta::specta]
pub fn set_coverage_note(
    state: State<'_, AppState>,
    inventory_uuid: String,
    note: String,
) -> IpcResult<()> {
    state.with_session(|s| s.set_coverage_note(&inventory_uuid, &note))
}
