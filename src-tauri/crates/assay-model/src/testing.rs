//! What the UI and CLI see of testing during the freeze: the freeze baseline and drift, control
//! test rows, evidence, findings with their deviations, and the finding library.
//!
//! Invariant: these are plain values. Risk ratings shown here are always computed by `assay_risk`
//! from the stored likelihood and impact (never typed in), and an adjusted rating is kept beside
//! the original one, never in its place.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use super::ssp::SspChanges;

string_enum! {
    /// The outcome of testing one determination statement (800-53A: S or O), or none yet.
    pub enum TestResult ("test result") {
        Satisfied => ("satisfied", "Satisfied"),
        OtherThanSatisfied => ("other-than-satisfied", "Other Than Satisfied"),
        Untested => ("untested", "Untested"),
    }
}

string_enum! {
    /// An 800-53A assessment method.
    pub enum TestMethod ("assessment method") {
        Examine => ("examine", "Examine"),
        Interview => ("interview", "Interview"),
        Test => ("test", "Test"),
    }
}

string_enum! {
    /// FedRAMP's Low / Moderate / High scale for likelihood, impact and risk exposure.
    pub enum RiskLevel ("risk level") {
        Low => ("low", "Low"),
        Moderate => ("moderate", "Moderate"),
        High => ("high", "High"),
    }
}

impl From<RiskLevel> for assay_risk::Level {
    fn from(l: RiskLevel) -> Self {
        match l {
            RiskLevel::Low => assay_risk::Level::Low,
            RiskLevel::Moderate => assay_risk::Level::Moderate,
            RiskLevel::High => assay_risk::Level::High,
        }
    }
}

impl From<assay_risk::Level> for RiskLevel {
    fn from(l: assay_risk::Level) -> Self {
        match l {
            assay_risk::Level::Low => RiskLevel::Low,
            assay_risk::Level::Moderate => RiskLevel::Moderate,
            assay_risk::Level::High => RiskLevel::High,
        }
    }
}

string_enum! {
    /// How a finding was found (the RET's Weakness Detector Source for manual findings).
    pub enum FindingSource ("finding source") {
        DocumentationReview => ("documentation-review", "Documentation Review"),
        Interview => ("interview", "Interview"),
        ManualTest => ("manual-test", "Manual Testing"),
        PenetrationTest => ("penetration-test", "Penetration Test"),
        VulnerabilityScan => ("scan", "Vulnerability Scan"),
    }
}

string_enum! {
    /// The SAR Table 2-2 column a finding is counted in (domain doc §6.2).
    pub enum FindingCategory ("finding category") {
        SrtmTestCase => ("srtm", "SRTM Test Cases"),
        OsScan => ("os-scan", "OS Scans"),
        WebScan => ("web-scan", "Web Scans"),
        DbScan => ("db-scan", "DB Scans"),
        ContainerScan => ("container-scan", "Container Scans"),
        PenTest => ("pen-test", "Pen Test"),
        Cm6 => ("cm-6", "CM-6 Finds"),
    }
}

string_enum! {
    /// Whether a finding is still open or was corrected (and validated) during testing.
    pub enum FindingStatus ("finding status") {
        Open => ("open", "Open"),
        CorrectedDuringTesting => ("corrected", "Corrected During Testing"),
    }
}

string_enum! {
    /// The Yes / No / Pending value of a deviation column (RA, FP, OR, VD).
    pub enum DeviationAnswer ("deviation status") {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        Pending => ("pending", "Pending"),
    }
}

impl From<DeviationAnswer> for assay_risk::DeviationStatus {
    fn from(a: DeviationAnswer) -> Self {
        match a {
            DeviationAnswer::Yes => assay_risk::DeviationStatus::Yes,
            DeviationAnswer::No => assay_risk::DeviationStatus::No,
            DeviationAnswer::Pending => assay_risk::DeviationStatus::Pending,
        }
    }
}

/// The test window, inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestWindow {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl TestWindow {
    /// True when `day` lies inside the window.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The freeze baseline: what the SSP said when testing started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Freeze {
    pub id: String,
    /// Canonical SHA-256 of the in-scope SSP content (components, inventory items, implemented
    /// requirements) and the test window.
    pub sha256: String,
    pub window: TestWindow,
    pub at: String,
    pub actor: String,
}

/// An SSP re-import after the freeze.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Drift {
    pub id: String,
    pub freeze_id: String,
    pub at: String,
    pub actor: String,
    pub source_name: String,
    pub source_sha256: String,
    /// The canonical hash of the re-imported content with the frozen window.
    pub content_sha256: String,
    /// True when the re-imported content hashes to the freeze baseline (nothing in scope changed).
    pub matches_freeze: bool,
    pub summary: String,
    pub changes: SspChanges,
}

/// One row of the control test table: one assessable objective and its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestRow {
    pub objective_id: String,
    pub objective_label: String,
    pub objective_text: String,
    pub control_id: String,
    pub control_label: String,
    pub family_id: String,
    /// The methods the baseline names for this objective (e.g. `EXAMINE`).
    pub baseline_methods: Vec<String>,
    /// The methods the assessor used.
    pub methods: Vec<TestMethod>,
    pub examined: String,
    pub interviewed: String,
    pub tested: String,
    pub observations: String,
    pub result: TestResult,
    pub assessor: String,
    pub tested_on: Option<NaiveDate>,
    pub evidence_ids: Vec<String>,
    /// Findings that name this objective.
    pub finding_ids: Vec<String>,
    /// Why an other-than-satisfied result has no finding.
    pub no_finding_reason: String,
    /// True when `tested_on` lies outside the frozen test window.
    pub outside_window: bool,
    pub updated_at: Option<String>,
}

/// Changes to one test row; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestUpdate {
    pub objective_id: String,
    pub methods: Option<Vec<TestMethod>>,
    pub examined: Option<String>,
    pub interviewed: Option<String>,
    pub tested: Option<String>,
    pub observations: Option<String>,
    pub result: Option<TestResult>,
    /// Default: the acting person when a result is set.
    pub assessor: Option<String>,
    /// Default: today when a result is set.
    pub tested_on: Option<NaiveDate>,
    pub no_finding_reason: Option<String>,
    /// Evidence (SHA-256 ids) to link to this objective.
    #[serde(default)]
    pub link_evidence: Vec<String>,
}

/// Which test rows to list; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestFilter {
    pub family: Option<String>,
    pub result: Option<TestResult>,
    #[serde(default)]
    pub untested_only: bool,
    pub assessor: Option<String>,
}

/// Result counts for a set of rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProgressCount {
    pub total: u32,
    pub satisfied: u32,
    pub other_than_satisfied: u32,
    pub untested: u32,
    /// Share of rows with a result, 0–100.
    pub percent_done: f64,
}

impl ProgressCount {
    pub fn add(&mut self, result: TestResult) {
        self.total += 1;
        match result {
            TestResult::Satisfied => self.satisfied += 1,
            TestResult::OtherThanSatisfied => self.other_than_satisfied += 1,
            TestResult::Untested => self.untested += 1,
        }
        self.percent_done = if self.total == 0 {
            0.0
        } else {
            f64::from(self.total - self.untested) * 100.0 / f64::from(self.total)
        };
    }
}

/// Progress of one control family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FamilyProgress {
    pub family_id: String,
    pub family_title: String,
    pub counts: ProgressCount,
}

/// Progress per family and overall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestProgress {
    pub overall: ProgressCount,
    pub families: Vec<FamilyProgress>,
}

/// Something a test row still needs before the SAR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestGap {
    pub objective_id: String,
    /// `no-finding` (other than satisfied, no finding and no reason) or `outside-window`.
    pub code: String,
    pub message: String,
}

/// What the assessor records about a piece of evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceMeta {
    /// Default: the file name.
    pub title: Option<String>,
    /// Default: the acting person.
    pub collected_by: Option<String>,
    /// The system or person it came from.
    #[serde(default)]
    pub collected_from: String,
    /// When it was collected (free text, ISO-8601 preferred). Default: now.
    pub collected_at: Option<String>,
    /// How it was obtained (screenshot, export, interview notes, ...).
    #[serde(default)]
    pub source: String,
}

/// One stored piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceItem {
    /// The SHA-256 of the content, which is also its id.
    pub id: String,
    /// Size in bytes (f64: exact up to 2^53 bytes and safe in TypeScript).
    pub size: f64,
    pub file_name: String,
    pub title: String,
    pub collected_by: String,
    pub collected_from: String,
    pub collected_at: String,
    pub source: String,
    pub added_at: String,
    pub added_by: String,
    /// What it is linked to: `objective:ac-2_obj.a-1`, `finding:<id>`.
    pub links: Vec<EvidenceLink>,
}

/// A link from evidence to an objective or a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceLink {
    /// `objective` or `finding`.
    pub kind: String,
    pub id: String,
}

/// What adding one file did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceAdded {
    pub path: String,
    pub sha256: String,
    /// True when these bytes were already in the store: nothing new was written and the
    /// existing item (with its first metadata) is returned.
    pub stored_once: bool,
    pub item: EvidenceItem,
}

/// What a link targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum LinkTarget {
    Objective(String),
    Finding(String),
}

/// One custody log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustodyEntry {
    pub seq: u32,
    pub evidence_id: String,
    pub at: String,
    pub actor: String,
    /// `add`, `link` or `export`.
    pub action: String,
    pub detail: String,
}

/// A problem verify-evidence found: a stored file that no longer matches its record, or a file in the evidence folder no record refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceProblem {
    pub id: String,
    pub title: String,
    /// `changed`, `missing`, `unreadable: ...` or `replaced by` a link or special file; for a file no record refers to (`id` its path in the evidence folder, `title` empty), what it is.
    pub problem: String,
}

/// A CVSS vector with its computed scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CvssInfo {
    /// The normalised vector.
    pub vector: String,
    pub version: String,
    pub base_score: f64,
    /// `None`, `Low`, `Medium`, `High` or `Critical`.
    pub base_severity: String,
}

/// A risk adjustment: the adjusted rating beside the original one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RiskAdjustmentInfo {
    pub status: DeviationAnswer,
    pub adjusted_likelihood: RiskLevel,
    pub adjusted_impact: RiskLevel,
    /// Computed from the adjusted likelihood and impact.
    pub adjusted_risk: RiskLevel,
    pub rationale: String,
    pub evidence_ids: Vec<String>,
    /// Points for the reviewer: `high-to-low`, `no-rationale`.
    pub flags: Vec<String>,
}

/// A false positive or operational requirement claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviationInfo {
    pub status: DeviationAnswer,
    pub rationale: String,
    pub evidence_ids: Vec<String>,
}

/// A vendor dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorDependencyInfo {
    pub status: DeviationAnswer,
    pub product: String,
    pub last_check_in: NaiveDate,
    pub rationale: String,
    pub evidence_ids: Vec<String>,
    /// `high-vendor-dependency-overdue`, `vendor-check-in-overdue`, as of the last change.
    pub flags: Vec<String>,
}

/// How a finding was corrected during testing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Closure {
    pub description: String,
    pub date: NaiveDate,
    /// The evidence the assessor validated the fix with.
    pub verification_evidence_ids: Vec<String>,
}

/// A finding (a risk for the RET), with its computed risk and deviations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    pub id: String,
    /// F-001, F-002, ...
    pub reference: String,
    pub title: String,
    pub description: String,
    pub source: FindingSource,
    pub category: FindingCategory,
    pub controls: Vec<String>,
    /// Inventory item uuids.
    pub assets: Vec<String>,
    /// Objectives this finding answers (their other-than-satisfied results).
    pub objective_ids: Vec<String>,
    pub likelihood: RiskLevel,
    pub impact: RiskLevel,
    /// The original risk exposure, computed by the FedRAMP matrix.
    pub risk: RiskLevel,
    /// The risk that counts: the adjusted risk of an accepted (Yes) adjustment, else `risk`.
    pub effective_risk: RiskLevel,
    pub risk_statement: String,
    pub recommendation: String,
    pub evidence_ids: Vec<String>,
    pub status: FindingStatus,
    pub closure: Option<Closure>,
    /// False when corrected during testing or a validated false positive.
    pub open: bool,
    pub risk_adjustment: Option<RiskAdjustmentInfo>,
    pub false_positive: Option<DeviationInfo>,
    pub operational_requirement: Option<DeviationInfo>,
    pub vendor_dependency: Option<VendorDependencyInfo>,
    pub cvss: Option<CvssInfo>,
    /// The library entry last applied.
    pub library_entry_id: Option<String>,
    pub detected_on: NaiveDate,
    pub created_at: String,
    pub updated_at: String,
}

/// A new manual finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewFinding {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub source: FindingSource,
    pub category: FindingCategory,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub assets: Vec<String>,
    #[serde(default)]
    pub objective_ids: Vec<String>,
    pub likelihood: RiskLevel,
    pub impact: RiskLevel,
    #[serde(default)]
    pub risk_statement: String,
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    pub cvss_vector: Option<String>,
    /// Default: today.
    pub detected_on: Option<NaiveDate>,
}

impl NewFinding {
    /// A manual-test SRTM finding with the given title and rating and nothing else.
    pub fn new(title: &str, likelihood: RiskLevel, impact: RiskLevel) -> NewFinding {
        NewFinding {
            title: title.to_owned(),
            description: String::new(),
            source: FindingSource::ManualTest,
            category: FindingCategory::SrtmTestCase,
            controls: Vec::new(),
            assets: Vec::new(),
            objective_ids: Vec::new(),
            likelihood,
            impact,
            risk_statement: String::new(),
            recommendation: String::new(),
            evidence_ids: Vec::new(),
            cvss_vector: None,
            detected_on: None,
        }
    }
}

/// A risk adjustment as the assessor enters it (status No removes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RiskAdjustmentInput {
    pub status: DeviationAnswer,
    pub adjusted_likelihood: RiskLevel,
    pub adjusted_impact: RiskLevel,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// A false positive or operational requirement as entered (status No removes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviationInput {
    pub status: DeviationAnswer,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// A vendor dependency as entered (status No removes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorDependencyInput {
    pub status: DeviationAnswer,
    #[serde(default)]
    pub product: String,
    pub last_check_in: Option<NaiveDate>,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// Changes to a finding; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FindingUpdate {
    pub title: Option<String>,
    pub description: Option<String>,
    pub source: Option<FindingSource>,
    pub category: Option<FindingCategory>,
    pub controls: Option<Vec<String>>,
    pub assets: Option<Vec<String>>,
    pub objective_ids: Option<Vec<String>>,
    pub likelihood: Option<RiskLevel>,
    pub impact: Option<RiskLevel>,
    pub risk_statement: Option<String>,
    pub recommendation: Option<String>,
    /// An empty string removes the vector.
    pub cvss_vector: Option<String>,
    /// `Open` clears the closure; `CorrectedDuringTesting` needs `closure`.
    pub status: Option<FindingStatus>,
    pub closure: Option<Closure>,
    pub risk_adjustment: Option<RiskAdjustmentInput>,
    pub false_positive: Option<DeviationInput>,
    pub operational_requirement: Option<DeviationInput>,
    pub vendor_dependency: Option<VendorDependencyInput>,
}

/// A reusable finding write-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LibraryEntry {
    pub id: String,
    pub title: String,
    pub description: String,
    pub recommendation: String,
    pub risk_statement: String,
    pub likelihood: RiskLevel,
    pub impact: RiskLevel,
    pub controls: Vec<String>,
    /// Scanner plugin / rule ids this write-up applies to (e.g. `nessus:19506`).
    pub scanner_ids: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new library entry written by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewLibraryEntry {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub risk_statement: String,
    pub likelihood: RiskLevel,
    pub impact: RiskLevel,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub scanner_ids: Vec<String>,
}
