//! The test workbench during the freeze: the freeze and drift, control test rows, evidence,
//! findings with their deviations, the finding library and the CVSS calculator.
//!
//! Invariant: every command is one core call (adding evidence is one call per file); anything
//! that touches the disk runs off the main thread (`async` commands), so a large evidence file
//! never freezes the window. The CVSS views only reshape what `assay_risk` computed.

use assay_core::api::findings::score_cvss as core_score_cvss;
use assay_core::model::testing::{
    CustodyEntry, Drift, EvidenceAdded, EvidenceItem, EvidenceMeta, EvidenceProblem, Finding,
    FindingUpdate, Freeze, LibraryEntry, LinkTarget, NewFinding, NewLibraryEntry, RiskLevel,
    TestFilter, TestGap, TestProgress, TestResult, TestRow, TestUpdate, TestWindow,
};
use assay_core::Error;
use serde::Serialize;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};
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
    state.with_session(|s| s.test_row(&objective_id))
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
    state: State<'_, AppState>,
    paths: Vec<String>,
    meta: EvidenceMeta,
) -> IpcResult<Vec<EvidenceAdded>> {
    let paths: Vec<&str> = paths
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if paths.is_empty() {
        return Err(invalid(
            "file",
            "choose at least one file to add as evidence".into(),
        ));
    }
    state.with_session(|s| {
        paths
            .iter()
            .map(|p| s.add_evidence(std::path::Path::new(p), &meta))
            .collect()
    })
}

/// Links evidence to an objective or a finding.
#[tauri::command(async)]
#[specta::specta]
pub fn link_evidence(
    state: State<'_, AppState>,
    target: LinkTarget,
    evidence_id: String,
) -> IpcResult<EvidenceItem> {
    state.with_session(|s| s.link_evidence(&target, &evidence_id))
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
    state.with_session(|s| s.custody_log(evidence_id.as_deref()))
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
    state.with_session(|s| s.update_finding(&id, &update))
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
    state.with_session(|s| s.get_finding(&id))
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
    state.with_session(|s| s.library_entry_from_finding(&finding_id))
}

/// Copies a library entry's write-up into a finding.
#[tauri::command(async)]
#[specta::specta]
pub fn apply_library_entry(
    state: State<'_, AppState>,
    finding_id: String,
    entry_id: String,
) -> IpcResult<Finding> {
    state.with_session(|s| s.apply_library_entry(&finding_id, &entry_id))
}

/// One metric of a scored vector, for the calculator's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CvssMetricValue {
    pub key: String,
    pub name: String,
    /// `base`, `temporal`, `threat`, `environmental` or `supplemental`.
    pub group: String,
    pub code: String,
    pub value_name: String,
}

/// A scored CVSS vector with its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CvssBreakdown {
    pub vector: String,
    pub version: String,
    pub base_score: f64,
    pub base_severity: String,
    pub temporal_score: Option<f64>,
    pub environmental_score: Option<f64>,
    /// The score that counts (environmental, else temporal, else base; v4.0: the one score).
    pub overall_score: f64,
    pub overall_severity: String,
    pub metrics: Vec<CvssMetricValue>,
}

/// One allowed value of a metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CvssValueDef {
    pub code: String,
    pub name: String,
}

/// One metric of a CVSS version, for the calculator's selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CvssMetricDef {
    pub key: String,
    pub name: String,
    pub group: String,
    pub mandatory: bool,
    pub values: Vec<CvssValueDef>,
}

fn group_name(g: assay_risk::MetricGroup) -> String {
    match g {
        assay_risk::MetricGroup::Base => "base",
        assay_risk::MetricGroup::Temporal => "temporal",
        assay_risk::MetricGroup::Threat => "threat",
        assay_risk::MetricGroup::Environmental => "environmental",
        assay_risk::MetricGroup::Supplemental => "supplemental",
    }
    .to_owned()
}

fn cvss_version(version: &str) -> IpcResult<assay_risk::CvssVersion> {
    match version.trim() {
        "3.0" => Ok(assay_risk::CvssVersion::V3_0),
        "3.1" => Ok(assay_risk::CvssVersion::V3_1),
        "4.0" => Ok(assay_risk::CvssVersion::V4_0),
        other => Err(invalid(
            "cvss version",
            format!("unknown CVSS version \"{other}\" (use 3.0, 3.1 or 4.0)"),
        )),
    }
}

/// Scores `vector` and lists its metrics by name.
pub fn breakdown(vector: &str) -> IpcResult<CvssBreakdown> {
    let info = core_score_cvss(vector)?;
    // The core already parsed it; parsing again only to name the metrics cannot fail differently.
    let cvss = assay_risk::parse_cvss(vector).map_err(|e| invalid("cvss vector", e.to_string()))?;
    let score = cvss.score();
    let metrics = assay_risk::metric_definitions(cvss.version())
        .into_iter()
        .filter_map(|def| {
            let code = cvss.get(&def.key)?;
            let value_name = def
                .values
                .iter()
                .find(|v| v.code == code)
                .map(|v| v.name.clone())
                .unwrap_or_else(|| code.to_owned());
            Some(CvssMetricValue {
                key: def.key,
                name: def.name,
                group: group_name(def.group),
                code: code.to_owned(),
                value_name,
            })
        })
        .collect();
    Ok(CvssBreakdown {
        vector: info.vector,
        version: info.version,
        base_score: info.base_score,
        base_severity: info.base_severity,
        temporal_score: score.temporal,
        environmental_score: score.environmental,
        overall_score: score.overall(),
        overall_severity: score.overall_severity().as_str().to_owned(),
        metrics,
    })
}

/// Scores a CVSS 3.x or 4.0 vector with a per-metric breakdown (for the live calculator).
#[tauri::command]
#[specta::specta]
pub fn score_cvss(vector: String) -> IpcResult<CvssBreakdown> {
    breakdown(&vector)
}

/// The metrics of CVSS `version` (`3.0`, `3.1`, `4.0`) with their allowed values.
#[tauri::command]
#[specta::specta]
pub fn cvss_metric_definitions(version: String) -> IpcResult<Vec<CvssMetricDef>> {
    Ok(assay_risk::metric_definitions(cvss_version(&version)?)
        .into_iter()
        .map(|d| CvssMetricDef {
            key: d.key,
            name: d.name,
            group: group_name(d.group),
            mandatory: d.mandatory,
            values: d
                .values
                .into_iter()
                .map(|v| CvssValueDef {
                    code: v.code,
                    name: v.name,
                })
                .collect(),
        })
        .collect())
}

/// The FedRAMP risk exposure of a likelihood and an impact (for the editor's live rating).
#[tauri::command]
#[specta::specta]
pub fn risk_exposure(likelihood: RiskLevel, impact: RiskLevel) -> RiskLevel {
    assay_risk::risk_exposure(likelihood.into(), impact.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v31_vector_scores_with_named_metrics() {
        let b = breakdown("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(b.base_score, 9.8);
        assert_eq!(b.base_severity, "Critical");
        assert_eq!(b.metrics.len(), 8);
        let av = &b.metrics[0];
        assert_eq!((av.key.as_str(), av.code.as_str()), ("AV", "N"));
        assert_eq!(av.value_name, "Network");
        assert_eq!(av.group, "base");
    }

    #[test]
    fn risk_exposure_follows_the_fedramp_matrix() {
        use RiskLevel::*;
        assert_eq!(risk_exposure(High, Moderate), Moderate);
        assert_eq!(risk_exposure(High, High), High);
        assert_eq!(risk_exposure(Low, High), Low);
    }

    #[test]
    fn a_bad_vector_is_a_validation_error() {
        let e = breakdown("CVSS:3.1/AV:Q").unwrap_err();
        assert_eq!(e.code, "Validation");
    }

    #[test]
    fn metric_definitions_per_version() {
        for (v, first) in [("3.0", "AV"), ("3.1", "AV"), ("4.0", "AV")] {
            let defs = cvss_metric_definitions(v.into()).unwrap();
            assert_eq!(defs[0].key, first);
            assert!(defs.iter().any(|d| d.mandatory));
        }
        assert_eq!(
            cvss_metric_definitions("2.0".into()).unwrap_err().code,
            "Validation"
        );
    }
}
