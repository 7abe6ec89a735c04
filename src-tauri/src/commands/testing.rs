//! The test workbench during the freeze: the freeze and drift, control test rows, evidence,
//! findings with their deviations, the finding library and the CVSS calculator.
//!
//! Invariant: every command is one core call; anything that touches the disk runs off the main
//! thread (`async` commands), so a large evidence file never freezes the window.

use assay_core::model::cvss::{self, CvssBreakdown, CvssMetricDef};
use assay_core::model::ids::{EvidenceId, FindingId, LibraryEntryId, ObjectiveId};
use assay_core::model::testing::{
    CustodyEntry, Drift, EvidenceAdded, EvidenceItem, EvidenceMeta, EvidenceProblem, Finding,
    FindingUpdate, Freeze, LibraryEntry, LinkTarget, NewFinding, NewLibraryEntry, RiskLevel,
    TestFilter, TestGap, TestProgress, TestResult, TestRow, TestUpdate, TestWindow,
};
use assay_core::Error;
use tauri::{AppHandle, State};

use crate::ipc_error::{IpcError, IpcResult};
use crate::paths::Access;
use crate::state::AppState;

fn invalid(field: &str, message: String) -> IpcError {
    IpcError::from(Error::Validation {
        field: field.to_owned(),
        message,
    })
}

/// Takes the freeze baseline of the imported SSP for the test window.
#[tauri::command(async)]
#[specta::specta]
pub fn freeze(state: State<'_, AppState>, window: TestWindow) -> IpcResult<Freeze> {
    state.with_session(|s| s.freeze(window.start, window.end))
}

/// The current freeze, if testing has started.
#[tauri::command(async)]
#[specta::specta]
pub fn current_freeze(state: State<'_, AppState>) -> IpcResult<Option<Freeze>> {
    state.with_session(|s| s.current_freeze())
}

/// SSP re-imports after the freeze, oldest first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_drift(state: State<'_, AppState>) -> IpcResult<Vec<Drift>> {
    state.with_session(|s| s.drift())
}

/// Test rows matching `filter`, in catalog order.
#[tauri::command(async)]
#[specta::specta]
pub fn list_test_rows(state: State<'_, AppState>, filter: TestFilter) -> IpcResult<Vec<TestRow>> {
    state.with_session(|s| s.test_rows(&filter))
}

/// One test row.
#[tauri::command(async)]
#[specta::specta]
pub fn get_test_row(state: State<'_, AppState>, objective_id: String) -> IpcResult<TestRow> {
    state.with_session(|s| s.test_row(&ObjectiveId::from(objective_id.as_str())))
}

/// Records (part of) a test; refuses other than satisfied without a finding or a reason.
#[tauri::command(async)]
#[specta::specta]
pub fn record_test(state: State<'_, AppState>, update: TestUpdate) -> IpcResult<TestRow> {
    state.with_session(|s| s.record_test(&update))
}

/// Sets one result on many objectives in one transaction.
#[tauri::command(async)]
#[specta::specta]
pub fn set_results(
    state: State<'_, AppState>,
    objective_ids: Vec<String>,
    result: TestResult,
    no_finding_reason: Option<String>,
) -> IpcResult<Vec<TestRow>> {
    state.with_session(|s| s.set_results(&objective_ids, result, no_finding_reason.as_deref()))
}

/// Result counts per family and overall.
#[tauri::command(async)]
#[specta::specta]
pub fn get_test_progress(state: State<'_, AppState>) -> IpcResult<TestProgress> {
    state.with_session(|s| s.test_progress())
}

/// Rows not ready for the SAR.
#[tauri::command(async)]
#[specta::specta]
pub fn list_test_gaps(state: State<'_, AppState>) -> IpcResult<Vec<TestGap>> {
    state.with_session(|s| s.test_gaps())
}

/// Adds files as evidence (the core streams each file into the sidecar store, so any size
/// works). Stops at the first file that fails; files before it stay added.
#[tauri::command(async)]
#[specta::specta]
pub fn add_evidence(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    meta: EvidenceMeta,
) -> IpcResult<Vec<EvidenceAdded>> {
    let paths = paths
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            state
                .grants
                .permit(&app, p, Access::Read, "file", "choose a file")
        })
        .collect::<IpcResult<Vec<_>>>()?;
    if paths.is_empty() {
        return Err(invalid(
            "file",
            "choose at least one file to add as evidence".into(),
        ));
    }
    state.with_session(|s| s.add_evidence_files(&paths, &meta))
}

/// Links evidence to an objective or a finding.
#[tauri::command(async)]
#[specta::specta]
pub fn link_evidence(
    state: State<'_, AppState>,
    target: LinkTarget,
    evidence_id: String,
) -> IpcResult<EvidenceItem> {
    state.with_session(|s| s.link_evidence(&target, &EvidenceId::from(evidence_id.as_str())))
}

/// Every piece of evidence with its links.
#[tauri::command(async)]
#[specta::specta]
pub fn list_evidence(state: State<'_, AppState>) -> IpcResult<Vec<EvidenceItem>> {
    state.with_session(|s| s.list_evidence())
}

/// Re-hashes every stored evidence file; returns the changed or missing ones.
#[tauri::command(async)]
#[specta::specta]
pub fn verify_evidence(state: State<'_, AppState>) -> IpcResult<Vec<EvidenceProblem>> {
    state.with_session(|s| s.verify_evidence())
}

/// The custody log, of one item or of all.
#[tauri::command(async)]
#[specta::specta]
pub fn custody_log(
    state: State<'_, AppState>,
    evidence_id: Option<String>,
) -> IpcResult<Vec<CustodyEntry>> {
    state.with_session(|s| s.custody_log(evidence_id.map(EvidenceId::new).as_ref()))
}

/// Adds a manual finding.
#[tauri::command(async)]
#[specta::specta]
pub fn add_finding(state: State<'_, AppState>, finding: NewFinding) -> IpcResult<Finding> {
    state.with_session(|s| s.add_finding(&finding))
}

/// Changes a finding; refusals of FedRAMP's deviation rules come back as `Validation`.
#[tauri::command(async)]
#[specta::specta]
pub fn update_finding(
    state: State<'_, AppState>,
    id: String,
    update: FindingUpdate,
) -> IpcResult<Finding> {
    state.with_session(|s| s.update_finding(&FindingId::from(id.as_str()), &update))
}

/// Every finding, by reference.
#[tauri::command(async)]
#[specta::specta]
pub fn list_findings(state: State<'_, AppState>) -> IpcResult<Vec<Finding>> {
    state.with_session(|s| s.list_findings())
}

/// One finding.
#[tauri::command(async)]
#[specta::specta]
pub fn get_finding(state: State<'_, AppState>, id: String) -> IpcResult<Finding> {
    state.with_session(|s| s.get_finding(&FindingId::from(id.as_str())))
}

/// The finding library.
#[tauri::command(async)]
#[specta::specta]
pub fn list_library(state: State<'_, AppState>) -> IpcResult<Vec<LibraryEntry>> {
    state.with_session(|s| s.list_library())
}

/// Adds a library entry written by hand.
#[tauri::command(async)]
#[specta::specta]
pub fn add_library_entry(
    state: State<'_, AppState>,
    entry: NewLibraryEntry,
) -> IpcResult<LibraryEntry> {
    state.with_session(|s| s.add_library_entry(&entry))
}

/// Saves a finding's write-up to the library.
#[tauri::command(async)]
#[specta::specta]
pub fn library_entry_from_finding(
    state: State<'_, AppState>,
    finding_id: String,
) -> IpcResult<LibraryEntry> {
    state.with_session(|s| s.library_entry_from_finding(&FindingId::from(finding_id.as_str())))
}

/// Copies a library entry's write-up into a finding.
#[tauri::command(async)]
#[specta::specta]
pub fn apply_library_entry(
    state: State<'_, AppState>,
    finding_id: String,
    entry_id: String,
) -> IpcResult<Finding> {
    state.with_session(|s| {
        s.apply_library_entry(
            &FindingId::from(finding_id.as_str()),
            &LibraryEntryId::from(entry_id.as_str()),
        )
    })
}

/// Scores a CVSS 3.x or 4.0 vector with a per-metric breakdown (for the live calculator).
#[tauri::command]
#[specta::specta]
pub fn score_cvss(vector: String) -> IpcResult<CvssBreakdown> {
    Ok(cvss::breakdown(&vector).map_err(Error::from)?)
}

/// The metrics of CVSS `version` (`3.0`, `3.1`, `4.0`) with their allowed values.
#[tauri::command]
#[specta::specta]
pub fn cvss_metric_definitions(version: String) -> IpcResult<Vec<CvssMetricDef>> {
    Ok(cvss::metric_definitions(&version).map_err(Error::from)?)
}

/// The FedRAMP risk exposure of a likelihood and an impact (for the editor's live rating).
#[tauri::command]
#[specta::specta]
pub fn risk_exposure(likelihood: RiskLevel, impact: RiskLevel) -> RiskLevel {
    cvss::risk_exposure(likelihood, impact)
}
