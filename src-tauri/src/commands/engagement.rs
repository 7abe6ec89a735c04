//! Opening, creating and editing the engagement; the audit log.

use assay_core::api::custody::CustodyCheck;
use assay_core::api::recent;
use assay_core::model::ids::TeamMemberId;
use assay_core::model::{AuditRecord, EngagementField, NewEngagement, NewTeamMember};
use assay_core::{Context, Overview, Session};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::ipc_error::IpcResult;
use crate::paths::Access;
use crate::state::AppState;

/// What the window needs on start.
#[derive(Debug, Serialize, specta::Type)]
pub struct Startup {
    /// The last engagement, reopened, if there was one and it still opens.
    pub overview: Option<Overview>,
    /// Recently opened files, most recent first.
    pub recent: Vec<String>,
    /// Why the last engagement could not be reopened, if it could not.
    pub reopen_error: Option<String>,
    /// Suggested folder for new engagement files.
    pub documents_dir: String,
    pub vocabularies: assay_core::Vocabularies,
}

/// The acting context of the app: the real clock, as the default actor (the core's rule).
fn context() -> Context {
    Context::from_env(None)
}

fn remember(state: &AppState, session: &Session) {
    // The recent list is a convenience; failing to save it must not fail the open.
    let _ = recent::remember_recent(&state.config_dir, session.path());
}

/// Reopens the most recent engagement, if any.
#[tauri::command(async)]
#[specta::specta]
pub fn startup(state: State<'_, AppState>) -> IpcResult<Startup> {
    let files = recent::load_recent(&state.config_dir);
    // The recent list and the file named at start were chosen by the user earlier.
    for f in files.iter().chain(&state.initial_file) {
        if let Ok(f) = std::path::absolute(f) {
            state.grants.choose(&f);
        }
    }
    let mut reopen_error = None;
    let mut overview = None;
    let first = state.initial_file.as_ref().or(files.first());
    if let Some(last) = first {
        match Session::open(last, context()).and_then(|s| s.overview().map(|o| (s, o))) {
            Ok((session, o)) => {
                overview = Some(o);
                remember(&state, &session);
                state.set_session(Some(session));
            }
            Err(e) => {
                reopen_error = Some(e.to_string());
                let _ = recent::forget_recent(&state.config_dir, last);
            }
        }
    }
    Ok(Startup {
        overview,
        recent: files.iter().map(|p| p.display().to_string()).collect(),
        reopen_error,
        documents_dir: state.documents_dir.display().to_string(),
        vocabularies: assay_core::Vocabularies::current(),
    })
}

/// Creates a new engagement file and opens it.
#[tauri::command(async)]
#[specta::specta]
pub fn create_engagement(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    engagement: NewEngagement,
) -> IpcResult<Overview> {
    let path = state.grants.permit(
        &app,
        &path,
        Access::Create,
        "file",
        "choose where to save the engagement file",
    )?;
    let session = Session::create(&path, &engagement, context())?;
    let overview = session.overview()?;
    remember(&state, &session);
    state.set_session(Some(session));
    Ok(overview)
}

/// Opens an existing engagement file.
#[tauri::command(async)]
#[specta::specta]
pub fn open_engagement(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> IpcResult<Overview> {
    let path = state.grants.permit(
        &app,
        &path,
        Access::Read,
        "file",
        "choose the engagement file to open",
    )?;
    let session = Session::open(&path, context())?;
    let overview = session.overview()?;
    remember(&state, &session);
    state.set_session(Some(session));
    Ok(overview)
}

/// Closes the open engagement.
#[tauri::command(async)]
#[specta::specta]
pub fn close_engagement(state: State<'_, AppState>) -> IpcResult<()> {
    state.set_session(None);
    Ok(())
}

/// The overview of the open engagement.
#[tauri::command(async)]
#[specta::specta]
pub fn get_overview(state: State<'_, AppState>) -> IpcResult<Overview> {
    state.with_session(|s| s.overview())
}

/// Changes one engagement field (autosave from the overview page).
#[tauri::command(async)]
#[specta::specta]
pub fn update_engagement(
    state: State<'_, AppState>,
    field: EngagementField,
    value: String,
) -> IpcResult<Overview> {
    state.with_session(|s| {
        s.update_engagement(field, &value)?;
        s.overview()
    })
}

/// Adds a person to the engagement.
#[tauri::command(async)]
#[specta::specta]
pub fn add_team_member(state: State<'_, AppState>, member: NewTeamMember) -> IpcResult<Overview> {
    state.with_session(|s| {
        s.add_team_member(&member)?;
        s.overview()
    })
}

/// Removes a person from the engagement.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_team_member(state: State<'_, AppState>, id: String) -> IpcResult<Overview> {
    state.with_session(|s| {
        s.remove_team_member(&TeamMemberId::from(id.as_str()))?;
        s.overview()
    })
}

/// The audit log, oldest first.
#[tauri::command(async)]
#[specta::specta]
pub fn audit_log(state: State<'_, AppState>) -> IpcResult<Vec<AuditRecord>> {
    state.with_session(|s| s.audit_log())
}

/// Re-checks the audit log as `assay verify-log --deep` does: the hash chain, its head, every
/// signed checkpoint (against this computer's key and the pinned signers), and every covered
/// data row against its last audit record.
#[tauri::command(async)]
#[specta::specta]
pub fn verify_audit_log(state: State<'_, AppState>) -> IpcResult<CustodyCheck> {
    state.with_session(|s| s.check_custody(true, Some(state.key_dir.as_path())))
}
