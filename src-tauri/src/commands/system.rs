//! Reading the baseline and the imported SSP back for the system, inventory, component,
//! control and intake-check pages. Every command here only reads.

use assay_core::model::baseline::{BaselineInfo, ControlDetail, ControlSummary, Family};
use assay_core::model::ids::ControlId;
use assay_core::model::ssp::{ComponentRow, IntakeCheck, InventoryRow, SystemOverview, UserRow};
use tauri::State;

use crate::ipc_error::IpcResult;
use crate::state::AppState;

/// The loaded baseline, if any.
#[tauri::command(async)]
#[specta::specta]
pub fn get_baseline(state: State<'_, AppState>) -> IpcResult<Option<BaselineInfo>> {
    state.with_session(|s| s.baseline())
}

/// The baseline's control families in catalog order.
#[tauri::command(async)]
#[specta::specta]
pub fn list_control_families(state: State<'_, AppState>) -> IpcResult<Vec<Family>> {
    state.with_session(|s| s.control_families())
}

/// The baseline's controls in catalog order, with the SSP's implementation status.
#[tauri::command(async)]
#[specta::specta]
pub fn list_controls(state: State<'_, AppState>) -> IpcResult<Vec<ControlSummary>> {
    state.with_session(|s| s.controls())
}

/// One control with its objectives, methods and the CSP's implementation.
#[tauri::command(async)]
#[specta::specta]
pub fn get_control(state: State<'_, AppState>, id: String) -> IpcResult<ControlDetail> {
    state.with_session(|s| s.control_detail(&ControlId::from(id.as_str())))
}

/// The system overview from the imported SSP, if one was imported.
#[tauri::command(async)]
#[specta::specta]
pub fn get_system_overview(state: State<'_, AppState>) -> IpcResult<Option<SystemOverview>> {
    state.with_session(|s| s.system_overview())
}

/// The SSP's inventory as table rows.
#[tauri::command(async)]
#[specta::specta]
pub fn list_inventory(state: State<'_, AppState>) -> IpcResult<Vec<InventoryRow>> {
    state.with_session(|s| s.inventory())
}

/// The SSP's components.
#[tauri::command(async)]
#[specta::specta]
pub fn list_components(state: State<'_, AppState>) -> IpcResult<Vec<ComponentRow>> {
    state.with_session(|s| s.components())
}

/// The SSP's users.
#[tauri::command(async)]
#[specta::specta]
pub fn list_users(state: State<'_, AppState>) -> IpcResult<Vec<UserRow>> {
    state.with_session(|s| s.users())
}

/// The intake checks on the SSP; fails with `NotFound` until an SSP is imported.
#[tauri::command(async)]
#[specta::specta]
pub fn list_intake_checks(state: State<'_, AppState>) -> IpcResult<Vec<IntakeCheck>> {
    state.with_session(|s| s.intake_checks())
}
