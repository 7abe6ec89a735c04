//! The Security Assessment Plan (FedRAMP Rev5 SAP template v4.0) as data: every section and table,
//! the pre-fill from the engagement, SSP and baseline, and the completeness rules.
//!
//! Invariants: everything here is pure (no IO, no clock); [`SapData`] is what the engagement file
//! stores, one top-level field per section, so a section can be replaced as a whole; the team and
//! the CSP's points of contact are not copied here but read live from the engagement's people.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::baseline::ControlSummary;
use super::ssp::{ComponentRow, InventoryRow, SspImportRecord, UserRow};
use super::{AssessmentType, Engagement, ImpactLevel, Side, TeamMember, TeamRole};

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

/// What the pre-fill reads: the engagement, the SSP and the baseline.
#[derive(Debug, Clone, Default)]
pub struct DraftInputs {
    pub engagement: Option<Engagement>,
    pub ssp: Option<SapSspRef>,
    pub components: Vec<ComponentRow>,
    pub inventory: Vec<InventoryRow>,
    pub users: Vec<UserRow>,
    pub controls: Vec<ControlSummary>,
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

/// Builds the pre-filled SAP from what the engagement already knows.
pub fn draft(inputs: &DraftInputs) -> SapData {
    let assessment_type = inputs
        .engagement
        .as_ref()
        .map(|e| e.assessment_type)
        .unwrap_or(AssessmentType::Initial);
    let e = inputs.engagement.as_ref();
    let csp = e.map(|e| e.csp_name.clone()).unwrap_or_default();
    let cso = e.map(|e| e.cso_name.clone()).unwrap_or_default();
    let ia = e.map(|e| e.assessor_org.clone()).unwrap_or_default();
    let nonempty =
        |v: Vec<String>| -> Vec<String> { v.into_iter().filter(|s| !s.is_empty()).collect() };

    let mut subjects: Vec<ScopeSubject> = inputs
        .components
        .iter()
        .map(|c| ScopeSubject {
            kind: "component".into(),
            uuid: c.uuid.clone(),
            title: c.title.clone(),
            detail: c.component_type.clone(),
            included: true,
            reason: String::new(),
        })
        .collect();
    subjects.extend(inputs.inventory.iter().map(|i| {
        ScopeSubject {
            kind: "inventory-item".into(),
            uuid: i.uuid.clone(),
            title: inventory_name(i),
            detail: [i.asset_type.clone().unwrap_or_default(), i.ipv4.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            included: true,
            reason: String::new(),
        }
    }));

    let kind_of = |i: &InventoryRow| {
        let t = i.asset_type.as_deref().unwrap_or_default().to_lowercase();
        let s = i.scan_type.as_deref().unwrap_or_default().to_lowercase();
        (t, s)
    };
    let asset = |i: &InventoryRow| ScopeAsset {
        name: inventory_name(i),
        detail: [
            i.software.clone().unwrap_or_default(),
            i.os.clone().unwrap_or_default(),
            i.ipv4.clone(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        inventory_uuid: Some(i.uuid.clone()),
    };
    let web_applications = inputs
        .inventory
        .iter()
        .filter(|i| {
            let (t, s) = kind_of(i);
            s == "web" || t.contains("web")
        })
        .map(|i| WebApplication {
            name: inventory_name(i),
            login_url: String::new(),
            test_user_ids: Vec::new(),
            inventory_uuid: Some(i.uuid.clone()),
        })
        .collect();
    let databases = inputs
        .inventory
        .iter()
        .filter(|i| {
            let (t, s) = kind_of(i);
            t == "database" || s == "database"
        })
        .map(asset)
        .collect();
    let container_images = inputs
        .inventory
        .iter()
        .filter(|i| kind_of(i).0.contains("container"))
        .map(asset)
        .collect();
    let apis = inputs
        .inventory
        .iter()
        .filter(|i| kind_of(i).0.contains("api"))
        .map(asset)
        .collect();

    let roles = inputs
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| RoleTest {
            user_uuid: Some(u.uuid.clone()),
            role: if !u.title.trim().is_empty() {
                u.title.clone()
            } else if !u.role_ids.is_empty() {
                u.role_ids.join(", ")
            } else {
                format!("User {}", i + 1)
            },
            user_type: u.user_type.clone().unwrap_or_default(),
            test_user_id: String::new(),
            functions: u.privileges.join("; "),
            tested: true,
            exclusion_reason: String::new(),
        })
        .collect();

    let not_applicable: Vec<String> = inputs
        .controls
        .iter()
        .filter(|c| c.implementation_status.as_deref() == Some("not-applicable"))
        .map(|c| c.label.clone())
        .collect();
    let alternative: Vec<String> = inputs
        .controls
        .iter()
        .filter(|c| c.implementation_status.as_deref() == Some("alternative"))
        .map(|c| c.label.clone())
        .collect();

    let control_selection = inputs
        .controls
        .iter()
        .map(|c| {
            let (included, reason) = match assessment_type {
                AssessmentType::Initial => (
                    true,
                    "Initial assessment: the whole baseline is tested".to_owned(),
                ),
                _ if c.core => (true, "Core control: tested every year".to_owned()),
                // The assessor decides the rest; an empty reason is reported by the check.
                _ => (true, String::new()),
            };
            ControlChoice {
                control_id: c.id.clone(),
                label: c.label.clone(),
                title: c.title.clone(),
                core: c.core,
                included,
                reason,
            }
        })
        .collect();

    let ssp_line = match &inputs.ssp {
        Some(s) => format!(
            "This plan is based on the {} System Security Plan, version {}, dated {}.",
            if s.system_name.is_empty() {
                &cso
            } else {
                &s.system_name
            },
            if s.version.is_empty() {
                "(not stated)"
            } else {
                &s.version
            },
            if s.date.is_empty() {
                "(not stated)".to_owned()
            } else {
                s.display_date()
            }
        ),
        None => {
            "This plan is based on the System Security Plan named in Section 3 (not yet imported)."
                .to_owned()
        }
    };
    let mut assumptions = vec![
        ssp_line,
        "The CSP will give the assessors every scan result in both its native machine-readable format and a human-readable report.".to_owned(),
        "The CSP will provide credentials so that every operating system, database, web application and network device in scope can be scanned with authentication.".to_owned(),
        "The CSP will allow the assessors' test systems to reach the system from the scan origination addresses listed in Section 7, and will keep that access open for the whole testing period.".to_owned(),
    ];
    if not_applicable.is_empty() {
        assumptions.push("The assessors will confirm that any control the SSP marks as not applicable is indeed not applicable.".to_owned());
    } else {
        assumptions.push(format!(
            "The assessors will confirm that the controls the SSP marks as not applicable are indeed not applicable: {}.",
            not_applicable.join(", ")
        ));
    }
    assumptions.extend([
        "The CSP will make no significant change to the system while testing is under way, and will tell the assessors at once of any change it must make.".to_owned(),
        "CSP staff with the necessary access will be available to support testing scheduled outside business hours.".to_owned(),
    ]);

    let purpose = format!(
        "This plan describes how {} will perform the {} assessment of {} ({}), provided by {}, against the FedRAMP {} baseline: what will be tested, by whom, when, with which tools and methods, and under which rules of engagement.",
        if ia.is_empty() { "the independent assessor".to_owned() } else { ia.clone() },
        assessment_type.label().to_lowercase(),
        if cso.is_empty() { "the cloud service offering" } else { &cso },
        inputs.ssp.as_ref().map(|s| s.system_name.clone()).filter(|s| !s.is_empty()).unwrap_or_else(|| "the system described in its SSP".to_owned()),
        if csp.is_empty() { "the cloud service provider" } else { &csp },
        e.map(|e| e.impact_level.label()).unwrap_or("Moderate"),
    );
    let narrative = match assessment_type {
        AssessmentType::Initial => "This is an initial assessment: every control of the baseline and the entire inventory in the SSP's integrated inventory workbook are in scope.",
        AssessmentType::Annual => "This is an annual assessment: the core controls, the controls selected for this year and any controls affected by changes since the last assessment are in scope, with the entire inventory.",
        AssessmentType::Scr => "This is a significant change assessment: the controls and inventory affected by the change requests in Appendix D are in scope.",
    }
    .to_owned();

    SapData {
        document: SapDocumentInfo {
            version: "1.0".into(),
            date: None,
            prepared_by: nonempty(vec![ia]),
            prepared_for: nonempty(vec![csp]),
            purpose,
        },
        scope: SapScope {
            narrative,
            locations: Vec::new(),
            subjects,
            web_applications,
            databases,
            container_images,
            apis,
        },
        roles,
        assumptions,
        methodology: SapMethodology {
            control_testing: "Controls are tested with the assessment procedures of NIST SP 800-53A Rev 5 as FedRAMP tailors them in its Security Requirements Traceability Matrix workbook. Each assessable objective (determination statement) of every selected control receives a result of satisfied or other than satisfied, with the evidence that supports it. Alternative implementations the SSP describes are tested against the intent of the control.".into(),
            alternative_implementations: alternative,
            data_gathering: "Evidence is gathered with the three methods of SP 800-53A: Examine (reviewing documents, configurations, records and system settings), Interview (discussions with the CSP staff who operate the controls) and Test (exercising mechanisms and activities under specified conditions and comparing actual with expected behaviour).".into(),
            sampling: "No sampling is planned for vulnerability scanning: authenticated scans cover 100% of the in-scope inventory. Any sampling for control testing is listed in Appendix B with its method.".into(),
            penetration_testing: "Penetration testing follows the FedRAMP Penetration Test Guidance and covers the six mandatory attack vectors in Appendix C, from an attributable internet connection against the production system.".into(),
        },
        control_selection,
        sampling: vec![SamplingDecision {
            area: "Vulnerability scanning".into(),
            sampled: false,
            method: "100% of the in-scope inventory is scanned with authenticated scans.".into(),
        }],
        team_validation: Vec::new(),
        tools: Vec::new(),
        scan_origination_ips: Vec::new(),
        manual_tests: Vec::new(),
        schedule: STANDARD_TASKS
            .iter()
            .filter(|t| assessment_type != AssessmentType::Scr || **t != "Perform Penetration Testing")
            .map(|t| ScheduleTask {
                name: (*t).to_owned(),
                start: None,
                finish: None,
            })
            .collect(),
        rules_of_engagement: RulesOfEngagement {
            included_activities: [
                "Port scanning and other network service enumeration",
                "Network sniffing and host discovery",
                "Login attempts with any account, token or password the assessors hold or find",
                "SQL injection and other input-validation testing of web applications and APIs",
                "Running exploit code against identified weaknesses",
                "Cracking password hashes obtained during testing",
                "Spoofing addresses and identities",
                "Changing running configurations, short of causing a denial of service",
                "Adding user accounts",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            excluded_activities: [
                "Changing the passwords of existing accounts",
                "Modifying or deleting user or system files",
                "Probing telephone modems",
                "Reading staff e-mail, browser caches or cookies",
                "Denial-of-service attacks",
                "Exploits that would introduce new weaknesses into the system",
                "Installing or running malicious code",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            end_of_testing_contact: String::new(),
            results_recipients: String::new(),
            results_delivery_days: 10,
            liability: vec![
                "The assessors will take reasonable care not to disrupt the system, but security testing carries an inherent risk of service interruption or data loss; the CSP accepts that risk by signing this plan.".into(),
                "The assessment reflects the state of the system during the testing period only; it does not guarantee that the system is free of weaknesses that were not detected, or that appear later.".into(),
            ],
        },
        penetration_test: PenTestPlan {
            vectors: default_attack_vectors(),
            threat_models: THREAT_MODELS
                .iter()
                .map(|(category, name)| ThreatModel {
                    category: (*category).to_owned(),
                    name: (*name).to_owned(),
                    selected: true,
                })
                .collect(),
            methodology: "Testing uses the MITRE ATT&CK Enterprise tactics (and the Mobile tactics where mobile applications are in scope) as its attack model: reconnaissance, initial access, execution, persistence, privilege escalation, defense evasion, credential access, discovery, lateral movement, collection, command and control, exfiltration and impact.".into(),
        },
        significant_change: SignificantChange {
            description: String::new(),
            request_references: Vec::new(),
        },
    }
}

fn inventory_name(i: &InventoryRow) -> String {
    i.asset_id
        .clone()
        .or_else(|| i.fqdn.clone())
        .or_else(|| i.netbios_name.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if i.description.is_empty() {
                i.uuid.clone()
            } else {
                i.description.chars().take(60).collect()
            }
        })
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

/// Everything the SAP still lacks, blocking items first.
pub fn completeness(sap: &Sap) -> Vec<SapIssue> {
    let mut out = Vec::new();
    let mut block = |section, message: String| {
        out.push(SapIssue {
            section,
            severity: IssueSeverity::Blocking,
            message,
        })
    };
    let mut warnings = Vec::new();
    let mut warn = |section, message: String| {
        warnings.push(SapIssue {
            section,
            severity: IssueSeverity::Warning,
            message,
        })
    };
    let h = &sap.header;
    let d = &sap.data;
    let scr = h.assessment_type == AssessmentType::Scr;
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };

    // Document and identification.
    if h.csp_name.trim().is_empty() {
        block(
            SapSection::Document,
            "the CSP name is empty (set it on the engagement)".into(),
        );
    }
    if h.assessor_org.trim().is_empty() {
        block(
            SapSection::Document,
            "the 3PAO organization is empty (set it on the engagement)".into(),
        );
    }
    if h.package_id.trim().is_empty() {
        warn(
            SapSection::Document,
            "the FedRAMP package ID is empty (set it on the engagement)".into(),
        );
    }
    if d.document.version.trim().is_empty() {
        block(SapSection::Document, "the SAP has no version number".into());
    }
    if d.document.date.is_none() {
        warn(SapSection::Document, "the SAP has no date".into());
    }

    // Scope.
    if h.ssp.is_none() {
        block(
            SapSection::Scope,
            "no SSP imported; import the CSP's SSP first".into(),
        );
    }
    if d.scope.locations.is_empty() {
        block(
            SapSection::Scope,
            "no data center location listed (Section 3.1 needs site name, address and description)"
                .into(),
        );
    }
    for (i, l) in d.scope.locations.iter().enumerate() {
        if l.name.trim().is_empty() || l.address.trim().is_empty() {
            block(
                SapSection::Scope,
                format!("location {} needs a site name and an address", i + 1),
            );
        }
    }
    let unreasoned = d
        .scope
        .subjects
        .iter()
        .filter(|s| !s.included && s.reason.trim().is_empty())
        .count();
    if unreasoned > 0 {
        block(
            SapSection::Scope,
            format!(
                "{} excluded without a reason",
                plural(unreasoned, "item is", "items are")
            ),
        );
    }
    if h.ssp.is_some() && !d.scope.subjects.iter().any(|s| s.included) {
        block(
            SapSection::Scope,
            "nothing from the SSP inventory is in scope".into(),
        );
    }
    for w in &d.scope.web_applications {
        if w.login_url.trim().is_empty() {
            warn(
                SapSection::Scope,
                format!("web application '{}' has no login URL", w.name),
            );
        }
    }

    // Roles.
    if d.roles.is_empty() {
        warn(
            SapSection::Roles,
            "no roles listed for role-based testing".into(),
        );
    }
    for r in &d.roles {
        if !r.tested && r.exclusion_reason.trim().is_empty() {
            block(
                SapSection::Roles,
                format!(
                    "role '{}' is excluded from testing without a reason",
                    r.role
                ),
            );
        }
        if r.tested && r.test_user_id.trim().is_empty() {
            warn(
                SapSection::Roles,
                format!("role '{}' has no test user ID", r.role),
            );
        }
    }
    if !d.roles.is_empty() {
        for kind in ["internal", "external", "privileged"] {
            let matches = |r: &RoleTest| {
                let all = format!("{} {} {}", r.user_type, r.role, r.functions).to_lowercase();
                all.contains(kind) || (kind == "privileged" && all.contains("admin"))
            };
            if !d.roles.iter().any(|r| r.tested && matches(r)) {
                warn(
                    SapSection::Roles,
                    format!("no {kind} role is tested; the template expects at least one"),
                );
            }
        }
    }

    if d.assumptions.is_empty() {
        warn(SapSection::Assumptions, "no assumptions listed".into());
    }
    for (name, text) in [
        ("control testing", &d.methodology.control_testing),
        ("data gathering", &d.methodology.data_gathering),
        ("sampling", &d.methodology.sampling),
        ("penetration testing", &d.methodology.penetration_testing),
    ] {
        if text.trim().is_empty() {
            block(SapSection::Methodology, format!("the {name} text is empty"));
        }
    }

    // Control selection.
    if h.baseline_title.is_none() {
        block(
            SapSection::ControlSelection,
            "no baseline loaded; load the FedRAMP baseline first".into(),
        );
    } else if d.control_selection.is_empty() {
        block(
            SapSection::ControlSelection,
            "no controls listed; draft the SAP again after loading the baseline".into(),
        );
    }
    let selected = d.control_selection.iter().filter(|c| c.included).count();
    if !d.control_selection.is_empty() && selected == 0 {
        block(
            SapSection::ControlSelection,
            "no control is selected for testing".into(),
        );
    }
    if h.assessment_type == AssessmentType::Initial {
        let left_out = d.control_selection.len() - selected;
        if left_out > 0 {
            block(
                SapSection::ControlSelection,
                format!(
                    "{} excluded, but an initial assessment tests the whole baseline",
                    plural(left_out, "control is", "controls are")
                ),
            );
        }
    } else {
        let missing = d
            .control_selection
            .iter()
            .filter(|c| c.reason.trim().is_empty())
            .count();
        if missing > 0 {
            block(SapSection::ControlSelection, format!("{} no reason for inclusion or exclusion (Appendix A needs one for each control)", plural(missing, "control has", "controls have")));
        }
    }

    for s in &d.sampling {
        if s.sampled && s.method.trim().is_empty() {
            block(
                SapSection::Sampling,
                format!(
                    "'{}' is sampled but the sampling method is not described",
                    s.area
                ),
            );
        }
    }

    // Team and contacts.
    let assessors = sap.team.len();
    if assessors < 3 {
        block(SapSection::Team, format!("{} listed; the template requires at least 3 (a senior assessor, a junior assessor and a penetration tester)", plural(assessors, "assessor", "assessors")));
    }
    if !sap
        .team
        .iter()
        .any(|t| t.member.role == TeamRole::AssessmentLead)
        && assessors > 0
    {
        warn(
            SapSection::Team,
            "no one has the assessment lead role".into(),
        );
    }
    let pen = sap.team.iter().any(|t| {
        matches!(
            t.member.role,
            TeamRole::PenetrationTestLead | TeamRole::PenetrationTestTeam
        )
    });
    if !pen {
        let message = "no penetration tester on the team".to_owned();
        if scr {
            warn(SapSection::Team, message)
        } else {
            block(SapSection::Team, message)
        }
    }
    let contacts = sap.csp_contacts.len();
    if contacts < 3 {
        block(
            SapSection::CspContacts,
            format!(
                "{} listed; the template requires at least 3",
                plural(contacts, "CSP point of contact", "CSP points of contact")
            ),
        );
    }
    if contacts > 0
        && !sap
            .csp_contacts
            .iter()
            .any(|c| c.role == TeamRole::CspOperationsCenter)
    {
        warn(
            SapSection::CspContacts,
            "no on-call contact with operations-center access (role csp-operations-center)".into(),
        );
    }

    // Tools, origination, manual tests.
    if d.tools.is_empty() {
        block(
            SapSection::Tools,
            "no automated tools listed (Table 6-3)".into(),
        );
    }
    for (i, t) in d.tools.iter().enumerate() {
        if t.name.trim().is_empty() {
            block(SapSection::Tools, format!("tool {} has no name", i + 1));
        } else if t.version.trim().is_empty() {
            warn(SapSection::Tools, format!("'{}' has no version", t.name));
        }
        if !t.name.trim().is_empty() && t.purpose.trim().is_empty() {
            warn(SapSection::Tools, format!("'{}' has no purpose", t.name));
        }
    }
    if d.scan_origination_ips.is_empty() {
        block(
            SapSection::ScanOrigination,
            "no scan origination IP addresses listed".into(),
        );
    }
    for ip in &d.scan_origination_ips {
        if !is_ip_or_cidr(ip) {
            block(
                SapSection::ScanOrigination,
                format!("'{ip}' is not an IP address or CIDR range"),
            );
        }
    }
    if d.manual_tests.is_empty() {
        warn(
            SapSection::ManualTests,
            "no manual tests listed (Table 6-4)".into(),
        );
    }
    for t in &d.manual_tests {
        if t.name.trim().is_empty() {
            block(SapSection::ManualTests, format!("{} has no name", t.id));
        }
    }

    // Schedule.
    if d.schedule.is_empty() {
        block(SapSection::Schedule, "no tasks scheduled".into());
    }
    for t in &d.schedule {
        match (t.start, t.finish) {
            (None, _) => block(
                SapSection::Schedule,
                format!("'{}' has no start date", t.name),
            ),
            (_, None) => block(
                SapSection::Schedule,
                format!("'{}' has no finish date", t.name),
            ),
            (Some(s), Some(f)) if f < s => block(
                SapSection::Schedule,
                format!(
                    "'{}' finishes ({}) before it starts ({})",
                    t.name,
                    display_date(Some(f)),
                    display_date(Some(s))
                ),
            ),
            _ => {}
        }
    }
    if !d.schedule.iter().any(|t| t.name == TESTING_TASK) {
        warn(
            SapSection::Schedule,
            format!("the standard task '{TESTING_TASK}' is missing"),
        );
    }

    // Rules of engagement.
    let roe = &d.rules_of_engagement;
    if roe.end_of_testing_contact.trim().is_empty() {
        block(
            SapSection::RulesOfEngagement,
            "no CSP contact named to be told when testing ends (7.2)".into(),
        );
    }
    if roe.results_delivery_days == 0 {
        block(
            SapSection::RulesOfEngagement,
            "the number of days for delivering results is 0 (7.3)".into(),
        );
    }
    if roe.results_recipients.trim().is_empty() {
        warn(
            SapSection::RulesOfEngagement,
            "no recipients named for the test results (7.3)".into(),
        );
    }

    // Penetration test.
    if !scr {
        for v in &d.penetration_test.vectors {
            if !v.applicable && v.rationale.trim().is_empty() {
                block(
                    SapSection::PenetrationTest,
                    format!("'{}' is marked not applicable without a rationale", v.name),
                );
            }
        }
        if !d.penetration_test.threat_models.iter().any(|t| t.selected) {
            warn(
                SapSection::PenetrationTest,
                "no threat model selected".into(),
            );
        }
    }
    if scr && d.significant_change.description.trim().is_empty() {
        block(
            SapSection::SignificantChange,
            "the significant change is not described (Appendix D)".into(),
        );
    }

    // Signatures are collected last: missing ones are a reminder, not a block.
    if sap.signing.is_none() {
        warn(
            SapSection::Signatures,
            "the 3PAO signature is missing".into(),
        );
        warn(
            SapSection::Signatures,
            "the CSP signature is missing".into(),
        );
    }
    out.extend(warnings);
    out
}

/// True for an IPv4/IPv6 address, optionally with a /prefix.
pub fn is_ip_or_cidr(s: &str) -> bool {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    match prefix {
        None => true,
        Some(p) => p
            .parse::<u8>()
            .is_ok_and(|n| n <= if ip.is_ipv4() { 32 } else { 128 }),
    }
}

/// Describes what changed between two versions of a section, for the audit log and deviations:
/// e.g. `[6].start: — → 2026-03-02; 1 item added`. At most `limit` changes are named.
pub fn describe_change(
    before: &serde_json::Value,
    after: &serde_json::Value,
    limit: usize,
) -> String {
    let mut changes = Vec::new();
    diff_values("", before, after, &mut changes);
    if changes.is_empty() {
        return "no change".into();
    }
    let total = changes.len();
    let mut text: Vec<String> = changes.into_iter().take(limit).collect();
    if total > limit {
        text.push(format!("and {} more", total - limit));
    }
    text.join("; ")
}

fn show(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => return "—".into(),
        serde_json::Value::String(s) if s.is_empty() => return "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn item_name(v: &serde_json::Value) -> Option<String> {
    [
        "id",
        "name",
        "control_id",
        "role",
        "area",
        "title",
        "member_id",
    ]
    .iter()
    .find_map(|k| v.get(k).and_then(|x| x.as_str()).filter(|s| !s.is_empty()))
    .map(str::to_owned)
}

fn diff_values(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(&p, va, y.get(k).unwrap_or(&Value::Null), out);
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(&p, &Value::Null, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            let common = x.len().min(y.len());
            for i in 0..common {
                let label = item_name(&y[i])
                    .map(|n| format!("'{n}'"))
                    .unwrap_or_else(|| format!("[{}]", i + 1));
                let p = if path.is_empty() {
                    label
                } else {
                    format!("{path} {label}")
                };
                diff_values(&p, &x[i], &y[i], out);
            }
            let at = if path.is_empty() {
                String::new()
            } else {
                format!("{path}: ")
            };
            for added in &y[common..] {
                out.push(format!(
                    "{at}added {}",
                    item_name(added)
                        .map(|n| format!("'{n}'"))
                        .unwrap_or_else(|| show(added))
                ));
            }
            for removed in &x[common..] {
                out.push(format!(
                    "{at}removed {}",
                    item_name(removed)
                        .map(|n| format!("'{n}'"))
                        .unwrap_or_else(|| show(removed))
                ));
            }
        }
        _ => out.push(format!(
            "{}: {} → {}",
            if path.is_empty() { "value" } else { path },
            show(a),
            show(b)
        )),
    }
}

#[cfg(test)]
mod tests;
