//! The Security Assessment Plan: reading, drafting, editing, checking, signing and exporting it.
//!
//! Invariant: the core decides everything (pre-fill, completeness, deviations, refusals, how
//! exports are rendered and written); these commands only pass values through. The core
//! renders every requested file before writing any, so a refused export leaves nothing
//! half-written.

use std::path::PathBuf;

use assay_core::api::exports::{Deliverable, ExportRequest};
use assay_core::model::sap::{Sap, SapDeviation, SapIssue, SapSectionUpdate, Signature};
use assay_core::Error;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::ipc_error::{IpcError, IpcResult};
use crate::paths::Access;
use crate::progress::{clamp_u32, Progress};
use crate::state::AppState;

/// The SAP: the stored draft, or the unsaved pre-fill before the first edit.
#[tauri::command(async)]
#[specta::specta]
pub fn get_sap(state: State<'_, AppState>) -> IpcResult<Sap> {
    state.with_session(|s| s.sap())
}

/// Pre-fills every section from the engagement, SSP and baseline and stores it.
#[tauri::command(async)]
#[specta::specta]
pub fn draft_sap(state: State<'_, AppState>) -> IpcResult<Sap> {
    state.with_session(|s| s.draft_sap())
}

/// Replaces one section; after signing, `justification` is required and the change is recorded
/// as a deviation.
#[tauri::command(async)]
#[specta::specta]
pub fn update_sap(
    state: State<'_, AppState>,
    update: SapSectionUpdate,
    justification: Option<String>,
) -> IpcResult<Sap> {
    state.with_session(|s| s.update_sap(update, justification))
}

/// What the SAP still lacks, blocking items first.
#[tauri::command(async)]
#[specta::specta]
pub fn get_sap_completeness(state: State<'_, AppState>) -> IpcResult<Vec<SapIssue>> {
    state.with_session(|s| s.sap_completeness())
}

/// Records the 3PAO and CSP signatures; refused while blocking issues remain.
#[tauri::command(async)]
#[specta::specta]
pub fn sign_sap(state: State<'_, AppState>, ia: Signature, csp: Signature) -> IpcResult<Sap> {
    state.with_session(|s| s.sign_sap(ia, csp))
}

/// The changes made after signing.
#[tauri::command(async)]
#[specta::specta]
pub fn list_sap_deviations(state: State<'_, AppState>) -> IpcResult<Vec<SapDeviation>> {
    state.with_session(|s| s.sap_deviations())
}

/// One step of an export, for the progress indicator.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportProgress {
    /// Steps finished so far.
    pub done: u32,
    /// All steps of this export.
    pub total: u32,
    /// What is happening now, e.g. "Rendering the PDF".
    pub step: String,
}

/// The files an export wrote.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SapExportReceipt {
    pub pdf_path: Option<String>,
    pub oscal_path: Option<String>,
    /// The document id written into the files.
    pub document_id: String,
    /// The generation time written into the files (RFC 3339).
    pub generated_at: String,
}

/// Renders the SAP as PDF and/or OSCAL assessment plan and writes the files. The generation time
/// is now and the document id the engagement's SAP id, as on the command line.
#[tauri::command(async)]
#[specta::specta]
pub fn export_sap(
    app: AppHandle,
    state: State<'_, AppState>,
    pdf_path: Option<String>,
    oscal_path: Option<String>,
    on_progress: Channel<ExportProgress>,
) -> IpcResult<SapExportReceipt> {
    // Empty means "not this format"; a named file must be one the user chose (or confirms).
    let target = |p: Option<String>| {
        p.filter(|p| !p.trim().is_empty())
            .map(|p| {
                state
                    .grants
                    .permit(&app, &p, Access::Write, "file", "choose a file")
            })
            .transpose()
    };
    let pdf = target(pdf_path)?;
    let oscal = target(oscal_path)?;
    let files: Vec<(Deliverable, PathBuf)> =
        [(Deliverable::SapPdf, &pdf), (Deliverable::SapOscal, &oscal)]
            .into_iter()
            .filter_map(|(d, path)| path.clone().map(|p| (d, p)))
            .collect();
    if files.is_empty() {
        return Err(IpcError::from(Error::Validation {
            field: "file".into(),
            message: "choose where to save the PDF, the OSCAL assessment plan, or both".into(),
        }));
    }
    let progress = Progress::new(&on_progress);
    let report = |done: u32, total: u32, step: &str| {
        progress.send(ExportProgress {
            done,
            total,
            step: step.to_owned(),
        })
    };
    let request = ExportRequest {
        files,
        ..ExportRequest::default()
    };
    let written = state.with_session(|s| s.export_files(&request, Some(&report)))?;
    let total = clamp_u32(written.len() * 2);
    progress.send(ExportProgress {
        done: total,
        total,
        step: "Done".into(),
    });
    let first = written.first();
    Ok(SapExportReceipt {
        pdf_path: pdf.map(|p| p.display().to_string()),
        oscal_path: oscal.map(|p| p.display().to_string()),
        document_id: first.map(|w| w.document_id.clone()).unwrap_or_default(),
        generated_at: first
            .map(|w| w.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
    })
}
