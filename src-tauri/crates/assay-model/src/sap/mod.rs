//! The Security Assessment Plan (FedRAMP Rev5 SAP template v4.0) as data: every section and table,
//! the pre-fill from the engagement, SSP and baseline, and the completeness rules.
//!
//! The pre-fill is in `draft.rs`, the completeness rules in `completeness.rs` and the change
//! descriptions of the audit log in `change.rs`; this file holds the sections and their updates.
//!
//! Invariants: everything here is pure (no IO, no clock); [`SapData`] is what the engagement file
//! stores, one top-level field per section, so a section can be replaced as a whole; the team and
//! the CSP's points of contact are not copied here but read live from the engagement's people.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ssp::SspImportRecord;
use super::{AssessmentType, ImpactLevel, Side, TeamMember};

mod change;
mod completeness;
mod draft;

pub use change::describe_change;
pub use completeness::{completeness, is_ip_or_cidr};
pub use draft::{draft, DraftInputs};

/// The whole SAP as the UI and the exporters see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Sap {
    /// False while the SAP is only the in-memory pre-fill (nothing stored yet).
    pub drafted: bool,
    /// When the draft was stored, ISO-8601 UTC.
    pub drafted_at: Option<String>,
    /// The signatures, once signed; a signed SAP is locked and later edits are deviations.
    pub signing: Option<SapSigning>,
    /// Fixed identity fields read from the engagement (edit them on the engagement).
    pub header: SapHeader,
    /// The editable sections.
    pub data: SapData,
    /// The 3PAO people on the engagement (Table 6-1), with the template's validation flags.
    pub team: Vec<SapTeamMember>,
    /// The CSP's testing points of contact (Table 6-2).
    pub csp_contacts: Vec<TeamMember>,
    /// Recorded deviations from the signed SAP.
    pub deviations: Vec<SapDeviation>,
}

impl Sap {
    /// True once both signatures are recorded.
    pub fn is_signed(&self) -> bool {
        self.signing.is_some()
    }
}

/// Identity fields the SAP repeats from the engagement and the imported SSP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapHeader {
    pub csp_name: String,
    pub cso_name: String,
    pub assessor_org: String,
    pub agency: String,
    pub package_id: String,
    pub impact_level: ImpactLevel,
    pub assessment_type: AssessmentType,
    /// The SSP import the plan is based on, if any.
    pub ssp: Option<SapSspRef>,
    /// The baseline's title, if one is loaded.
    pub baseline_title: Option<String>,
}

/// Which SSP the SAP is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapSspRef {
    pub uuid: String,
    pub title: String,
    pub version: String,
    /// The SSP's last-modified date as written in it.
    pub date: String,
    pub source_name: String,
    pub source_sha256: String,
    pub system_name: String,
    /// The FedRAMP package ID the SSP declares, if any.
    pub package_id: Option<String>,
}

/// The stored, editable sections of the SAP; one field per section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapData {
    pub document: SapDocumentInfo,
    pub scope: SapScope,
    pub roles: Vec<RoleTest>,
    pub assumptions: Vec<String>,
    pub methodology: SapMethodology,
    pub control_selection: Vec<ControlChoice>,
    pub sampling: Vec<SamplingDecision>,
    pub team_validation: Vec<TeamValidation>,
    pub tools: Vec<SapTool>,
    pub scan_origination_ips: Vec<String>,
    pub manual_tests: Vec<ManualTest>,
    pub schedule: Vec<ScheduleTask>,
    pub rules_of_engagement: RulesOfEngagement,
    pub penetration_test: PenTestPlan,
    pub significant_change: SignificantChange,
}

/// Cover-page and purpose fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapDocumentInfo {
    /// The SAP's own version, e.g. "1.0".
    pub version: String,
    /// The SAP's date.
    pub date: Option<NaiveDate>,
    /// Prepared-by address lines (3PAO).
    pub prepared_by: Vec<String>,
    /// Prepared-for address lines (CSP).
    pub prepared_for: Vec<String>,
    /// Section 2.1 purpose text.
    pub purpose: String,
}

/// Section 3: what is tested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapScope {
    /// Section 3 narrative for this assessment type.
    pub narrative: String,
    pub locations: Vec<SapLocation>,
    /// SSP components and inventory items with include/exclude.
    pub subjects: Vec<ScopeSubject>,
    pub web_applications: Vec<WebApplication>,
    pub databases: Vec<ScopeAsset>,
    pub container_images: Vec<ScopeAsset>,
    pub apis: Vec<ScopeAsset>,
}

/// A data center site (Section 3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapLocation {
    pub name: String,
    pub address: String,
    pub description: String,
}

/// A component or inventory item of the SSP and whether it is tested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeSubject {
    /// `component` or `inventory-item`.
    pub kind: String,
    /// The SSP uuid.
    pub uuid: String,
    pub title: String,
    /// Component type or asset type / addresses, for the table.
    pub detail: String,
    pub included: bool,
    /// Required when excluded.
    pub reason: String,
}

/// A web application to test, with its login URL and test accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WebApplication {
    pub name: String,
    pub login_url: String,
    pub test_user_ids: Vec<String>,
    /// The inventory item it came from, if any.
    pub inventory_uuid: Option<String>,
}

/// A database, container image or API in scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeAsset {
    pub name: String,
    pub detail: String,
    pub inventory_uuid: Option<String>,
}

/// A role of the system and how it is tested (Sections 3.3/3.4, Table D-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoleTest {
    /// The SSP user's uuid, if the role comes from the SSP.
    pub user_uuid: Option<String>,
    pub role: String,
    /// internal, external, privileged, ... as the SSP says.
    pub user_type: String,
    pub test_user_id: String,
    pub functions: String,
    pub tested: bool,
    /// Required when not tested.
    pub exclusion_reason: String,
}

/// Section 5 texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapMethodology {
    pub control_testing: String,
    /// Alternative implementations from the SSP to be tested.
    pub alternative_implementations: Vec<String>,
    pub data_gathering: String,
    pub sampling: String,
    pub penetration_testing: String,
}

/// One baseline control and whether this assessment tests it (Appendix A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ControlChoice {
    pub control_id: String,
    pub label: String,
    pub title: String,
    pub core: bool,
    pub included: bool,
    /// Why included or excluded; required for annual and significant-change assessments.
    pub reason: String,
}

/// A sampling decision (Section 5.3, Appendix B).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SamplingDecision {
    /// What is or is not sampled, e.g. "Vulnerability scanning" or a control id.
    pub area: String,
    pub sampled: bool,
    /// How the sample is drawn; required when sampled.
    pub method: String,
}

/// The template's "validated by IA / CSP" flags for one team member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamValidation {
    pub member_id: String,
    pub validated_by_ia: bool,
    pub validated_by_csp: bool,
}

/// A team member as Table 6-1 shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapTeamMember {
    pub member: TeamMember,
    pub validated_by_ia: bool,
    pub validated_by_csp: bool,
}

/// An automated tool (Table 6-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapTool {
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub purpose: String,
}

/// A manual test (Table 6-4); ids are MT-1.. in list order, renumbered on every save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManualTest {
    pub id: String,
    pub name: String,
    pub description: String,
    /// EXAMINE, INTERVIEW or TEST.
    pub method: String,
}

/// A schedule task (Table 6-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduleTask {
    pub name: String,
    pub start: Option<NaiveDate>,
    pub finish: Option<NaiveDate>,
}

/// Section 7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RulesOfEngagement {
    pub included_activities: Vec<String>,
    pub excluded_activities: Vec<String>,
    /// Who at the CSP is told when testing ends (7.2).
    pub end_of_testing_contact: String,
    /// Who receives the results (7.3).
    pub results_recipients: String,
    /// Results are delivered within this many days of the end of testing.
    pub results_delivery_days: u32,
    /// The limitation-of-liability paragraphs (7.4).
    pub liability: Vec<String>,
}

/// Appendix C.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PenTestPlan {
    /// Always the six FedRAMP vectors, in order.
    pub vectors: Vec<AttackVector>,
    pub threat_models: Vec<ThreatModel>,
    pub methodology: String,
}

/// One mandatory FedRAMP attack vector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttackVector {
    pub name: String,
    pub description: String,
    pub applicable: bool,
    /// Required when not applicable.
    pub rationale: String,
}

/// A selectable threat model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ThreatModel {
    pub category: String,
    pub name: String,
    pub selected: bool,
}

/// Appendix D (significant change requests only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignificantChange {
    pub description: String,
    pub request_references: Vec<String>,
}

/// A signature block (Section 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Signature {
    pub name: String,
    pub title: String,
    pub date: NaiveDate,
}

/// Both signatures and when they were recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapSigning {
    pub ia: Signature,
    pub csp: Signature,
    /// When Assay recorded the signing, ISO-8601 UTC.
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A change made after signing: a deviation from the SAP the SAR must list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapDeviation {
    /// DEV-1, DEV-2, ...
    pub id: String,
    pub section: SapSection,
    pub description: String,
    pub justification: String,
    pub at: String,
    pub actor: String,
}

super::enums::string_enum! {
    /// The editable sections, named as the audit log and the completeness check name them.
    pub enum SapSection ("SAP section") {
        Document => ("document", "Document"),
        Scope => ("scope", "Scope"),
        Roles => ("roles", "Role testing"),
        Assumptions => ("assumptions", "Assumptions"),
        Methodology => ("methodology", "Methodology"),
        ControlSelection => ("control-selection", "Control selection"),
        Sampling => ("sampling", "Sampling"),
        Team => ("team", "Team"),
        CspContacts => ("csp-contacts", "CSP points of contact"),
        Tools => ("tools", "Tools"),
        ScanOrigination => ("scan-origination", "Scan origination"),
        ManualTests => ("manual-tests", "Manual tests"),
        Schedule => ("schedule", "Schedule"),
        RulesOfEngagement => ("rules-of-engagement", "Rules of engagement"),
        PenetrationTest => ("penetration-test", "Penetration test plan"),
        SignificantChange => ("significant-change", "Significant change"),
        Signatures => ("signatures", "Signatures"),
    }
}

/// A replacement for one section: the UI edits a section and saves it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "section", content = "data", rename_all = "kebab-case")]
pub enum SapSectionUpdate {
    Document(SapDocumentInfo),
    Scope(SapScope),
    Roles(Vec<RoleTest>),
    Assumptions(Vec<String>),
    Methodology(SapMethodology),
    ControlSelection(Vec<ControlChoice>),
    Sampling(Vec<SamplingDecision>),
    TeamValidation(Vec<TeamValidation>),
    Tools(Vec<SapTool>),
    ScanOrigination(Vec<String>),
    ManualTests(Vec<ManualTest>),
    Schedule(Vec<ScheduleTask>),
    RulesOfEngagement(RulesOfEngagement),
    PenetrationTest(PenTestPlan),
    SignificantChange(SignificantChange),
}

impl SapSectionUpdate {
    /// The section this update replaces.
    pub fn section(&self) -> SapSection {
        match self {
            SapSectionUpdate::Document(_) => SapSection::Document,
            SapSectionUpdate::Scope(_) => SapSection::Scope,
            SapSectionUpdate::Roles(_) => SapSection::Roles,
            SapSectionUpdate::Assumptions(_) => SapSection::Assumptions,
            SapSectionUpdate::Methodology(_) => SapSection::Methodology,
            SapSectionUpdate::ControlSelection(_) => SapSection::ControlSelection,
            SapSectionUpdate::Sampling(_) => SapSection::Sampling,
            SapSectionUpdate::TeamValidation(_) => SapSection::Team,
            SapSectionUpdate::Tools(_) => SapSection::Tools,
            SapSectionUpdate::ScanOrigination(_) => SapSection::ScanOrigination,
            SapSectionUpdate::ManualTests(_) => SapSection::ManualTests,
            SapSectionUpdate::Schedule(_) => SapSection::Schedule,
            SapSectionUpdate::RulesOfEngagement(_) => SapSection::RulesOfEngagement,
            SapSectionUpdate::PenetrationTest(_) => SapSection::PenetrationTest,
            SapSectionUpdate::SignificantChange(_) => SapSection::SignificantChange,
        }
    }

    /// Writes this section into `data`, normalising what the template fixes (MT-n numbering,
    /// trimmed text); returns the stored key of the section.
    pub fn apply(self, data: &mut SapData) -> &'static str {
        match self {
            SapSectionUpdate::Document(v) => {
                data.document = v;
                "document"
            }
            SapSectionUpdate::Scope(v) => {
                data.scope = v;
                "scope"
            }
            SapSectionUpdate::Roles(v) => {
                data.roles = v;
                "roles"
            }
            SapSectionUpdate::Assumptions(v) => {
                data.assumptions = trimmed_list(v);
                "assumptions"
            }
            SapSectionUpdate::Methodology(v) => {
                data.methodology = v;
                "methodology"
            }
            SapSectionUpdate::ControlSelection(v) => {
                data.control_selection = v;
                "control_selection"
            }
            SapSectionUpdate::Sampling(v) => {
                data.sampling = v;
                "sampling"
            }
            SapSectionUpdate::TeamValidation(v) => {
                data.team_validation = v;
                "team_validation"
            }
            SapSectionUpdate::Tools(v) => {
                data.tools = v;
                "tools"
            }
            SapSectionUpdate::ScanOrigination(v) => {
                data.scan_origination_ips = trimmed_list(v);
                "scan_origination_ips"
            }
            SapSectionUpdate::ManualTests(mut v) => {
                number_manual_tests(&mut v);
                data.manual_tests = v;
                "manual_tests"
            }
            SapSectionUpdate::Schedule(v) => {
                data.schedule = v;
                "schedule"
            }
            SapSectionUpdate::RulesOfEngagement(v) => {
                data.rules_of_engagement = v;
                "rules_of_engagement"
            }
            SapSectionUpdate::PenetrationTest(mut v) => {
                keep_mandatory_vectors(&mut v.vectors);
                data.penetration_test = v;
                "penetration_test"
            }
            SapSectionUpdate::SignificantChange(v) => {
                data.significant_change = v;
                "significant_change"
            }
        }
    }
}

fn trimmed_list(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Gives manual tests the ids MT-1, MT-2, ... in list order.
pub fn number_manual_tests(tests: &mut [ManualTest]) {
    for (i, t) in tests.iter_mut().enumerate() {
        t.id = format!("MT-{}", i + 1);
    }
}

/// The six FedRAMP attack vectors are mandatory: an edit may mark one not applicable (with a
/// rationale) but never drop, rename or reorder them.
fn keep_mandatory_vectors(vectors: &mut Vec<AttackVector>) {
    let mut fixed = default_attack_vectors();
    for v in fixed.iter_mut() {
        if let Some(edited) = vectors.iter().find(|e| e.name == v.name) {
            v.applicable = edited.applicable;
            v.rationale = edited.rationale.trim().to_owned();
            if !edited.description.trim().is_empty() {
                v.description = edited.description.trim().to_owned();
            }
        }
    }
    *vectors = fixed;
}

/// One assessable objective of a selected control, for the test-case appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapObjective {
    pub control_id: String,
    pub id: String,
    pub label: String,
    pub text: String,
    /// EXAMINE, INTERVIEW, TEST.
    pub methods: Vec<String>,
}

/// How serious a completeness issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum IssueSeverity {
    /// Export and signing are refused until it is fixed.
    Blocking,
    /// Worth fixing; does not stop export.
    Warning,
}

/// Something the SAP still lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SapIssue {
    pub section: SapSection,
    pub severity: IssueSeverity,
    pub message: String,
}

impl SapIssue {
    /// True when the issue stops export and signing.
    pub fn is_blocking(&self) -> bool {
        self.severity == IssueSeverity::Blocking
    }
}

impl std::fmt::Display for SapIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.section.label(), self.message)
    }
}

/// The six mandatory FedRAMP penetration-test attack vectors, in the template's order.
pub const ATTACK_VECTORS: [(&str, &str); 6] = [
    (
        "External to Corporate",
        "An attacker on the internet targets the CSP's corporate network and staff, including a social-engineering (phishing) campaign against CSP personnel.",
    ),
    (
        "External to CSP Target System",
        "An attacker on the internet targets the system's externally reachable services and interfaces.",
    ),
    (
        "Tenant to CSP Management System",
        "An authenticated tenant tries to reach or abuse the CSP's management plane.",
    ),
    (
        "Tenant to Tenant",
        "An authenticated tenant tries to read or change another tenant's data or services.",
    ),
    (
        "Mobile Application to Target System",
        "The system's mobile applications are used to attack the system's back end.",
    ),
    (
        "Client-side Application and/or Agents to Target System",
        "Client software or agents installed by customers are used to attack the system.",
    ),
];

/// The standard schedule tasks of Table 6-5, with the penetration-testing task the OSCAL template adds.
pub const STANDARD_TASKS: [&str; 14] = [
    "Prepare SAP",
    "Meeting to Review SAP",
    "Update and Finalize SAP",
    "Review CSP Documentation",
    "Conduct Interviews of CSP Staff",
    "Perform Testing",
    "Perform Penetration Testing",
    "Vulnerability Analysis and Threat Assessment",
    "Risk Exposure Table Development",
    "Complete Draft SAR",
    "Draft SAR Delivered to CSP",
    "Issue Resolution Meeting",
    "Complete Final Version of SAR",
    "Provide Final Version of SAR to CSP",
];

/// The schedule task whose start is the start of testing.
pub const TESTING_TASK: &str = "Perform Testing";

/// Threat models offered for Appendix C: (category, name).
pub const THREAT_MODELS: [(&str, &str); 18] = [
    ("Internet based (untrusted)", "Network threat actor"),
    ("Internet based (untrusted)", "Attack on a CSP-managed user"),
    (
        "Internet based (untrusted)",
        "Email attack against a CSP-managed user",
    ),
    ("Internet based (untrusted)", "Application threat actor"),
    ("Internet based (untrusted)", "Physical based attack"),
    (
        "CSP corporate (untrusted and trusted)",
        "Breach of CSP management systems",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Breach of CSP-managed support systems or networks",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Breach of the CSP-managed enclave",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Corporate insider threat",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Lost CSP-managed system",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Interconnected networks, including international entities pivoting into the US enclave",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Ransomware spreading from CSP corporate",
    ),
    (
        "CSP corporate (untrusted and trusted)",
        "Unauthorized physical access",
    ),
    (
        "Internal threat (untrusted and trusted)",
        "Weak permissions or access control",
    ),
    (
        "Internal threat (untrusted and trusted)",
        "Abuse of services",
    ),
    (
        "Internal threat (untrusted and trusted)",
        "Ransomware spreading from a government system",
    ),
    (
        "Internal threat (untrusted and trusted)",
        "Multi-organization access",
    ),
    (
        "Internal threat (untrusted and trusted)",
        "Unauthorized physical access",
    ),
];

fn default_attack_vectors() -> Vec<AttackVector> {
    ATTACK_VECTORS
        .iter()
        .map(|(name, description)| AttackVector {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            applicable: true,
            rationale: String::new(),
        })
        .collect()
}

impl SapSspRef {
    /// The reference from the stored import and the SSP's header fields.
    pub fn new(
        import: &SspImportRecord,
        uuid: &str,
        date: &str,
        system_name: &str,
        package_id: Option<String>,
    ) -> Self {
        SapSspRef {
            uuid: uuid.to_owned(),
            title: import.title.clone(),
            version: import.version.clone(),
            date: date.to_owned(),
            source_name: import.source_name.clone(),
            source_sha256: import.source_sha256.clone(),
            system_name: system_name.to_owned(),
            package_id,
        }
    }

    /// The SSP's date as the SAP prints it (MM/DD/YYYY), or the text as written if not a date.
    pub fn display_date(&self) -> String {
        display_date_text(&self.date)
    }
}

/// `2024-03-01T00:00:00Z` → `03/01/2024`; anything else is returned unchanged.
pub fn display_date_text(text: &str) -> String {
    text.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| d.format("%m/%d/%Y").to_string())
        .unwrap_or_else(|| text.to_owned())
}

/// A date as the SAP prints it (MM/DD/YYYY), or empty.
pub fn display_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%m/%d/%Y").to_string())
        .unwrap_or_default()
}

/// The SAP's team view: 3PAO people with their validation flags.
pub fn team_view(people: &[TeamMember], flags: &[TeamValidation]) -> Vec<SapTeamMember> {
    people
        .iter()
        .filter(|m| m.side == Side::Assessor)
        .map(|m| {
            let f = flags.iter().find(|f| f.member_id == m.id);
            SapTeamMember {
                member: m.clone(),
                validated_by_ia: f.is_some_and(|f| f.validated_by_ia),
                validated_by_csp: f.is_some_and(|f| f.validated_by_csp),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
