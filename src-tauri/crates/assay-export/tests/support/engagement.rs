//! A small but complete engagement, built by hand: the Moderate initial assessment of
//! "Larchmont Case Manager", a fictional case-management SaaS of the fictional "Larchmont Data
//! Co.", assessed by the fictional "Quillfeather Assurance LLC". Every name, address, hash, CVE
//! id and date is made up for this fixture (private and documentation addresses 10.20.0.0/16 and
//! 198.51.100.0/24, `.example` names); nothing is read from a file, a database or the clock.
//!
//! The data is what the store would hand the exporters after a finished assessment: a signed
//! SAP with one deviation, a frozen test window, test results for eleven objectives of ten
//! controls, seven findings (manual test, penetration test, corrected during testing, an
//! approved risk adjustment, a vendor dependency, a pending operational requirement, a PL-2
//! documentation finding), two accepted scanner weaknesses and a false positive, two configuration
//! (CM-6) checks not passed (a fail and a warning), scan coverage with an unscanned and an
//! undocumented host, four scan files, evidence and a KEV due date. A test in `reference.rs`
//! keeps it realistic: the SAP has no blocking issue, the report no consistency error, and each
//! of these cases is present.

use std::collections::HashMap;

use assay_export::{ExportOptions, SapExportInput, SarExportInput};
use assay_model::baseline::ControlSummary;
use assay_model::cvss;
use assay_model::report::{self, DocumentKind, ReportInputs};
use assay_model::sap::{
    self, DraftInputs, ManualTest, Sap, SapDeviation, SapHeader, SapLocation, SapObjective,
    SapSection, SapSigning, SapSspRef, SapTool, Signature, TeamValidation,
};
use assay_model::sar::{
    KevCatalogInfo, PoamSettings, Recommendation, RecommendationRecord, SarData, SarSignature,
};
use assay_model::scans::{
    AffectedAsset, AssetCoverage, AssetScan, ConfigurationFinding, ConfigurationFindings, Coverage,
    CoverageSummary, ReviewStatus, ScanFile, UndocumentedAsset, WeaknessRow,
};
use assay_model::ssp::{
    ComponentRow, InventoryRow, SspChanges, SspImportRecord, SystemOverview, UserRow,
};
use assay_model::testing::{
    Closure, DeviationAnswer, DeviationInfo, Drift, EvidenceItem, EvidenceLink, Finding,
    FindingCategory, FindingSource, FindingStatus, Freeze, RiskAdjustmentInfo, RiskLevel,
    TestMethod, TestResult, TestRow, TestWindow, VendorDependencyInfo,
};
use assay_model::{
    AssessmentType, AuthorizationPath, Engagement, ImpactLevel, Side, TeamMember, TeamRole,
};
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

/// The time every document says it was generated.
pub const GENERATED_AT: &str = "2026-05-08T16:00:00Z";

const ENGAGEMENT_ID: &str = "larchmont-2026-initial";

/// Everything the exporters read, with the options they are rendered with.
pub struct Fixture {
    pub sap: SapExportInput,
    pub sar: SarExportInput,
    pub generated_at: DateTime<Utc>,
}

impl Fixture {
    /// The engagement as described in the module documentation.
    pub fn new() -> Fixture {
        Fixture::with(|_| {})
    }

    /// The engagement with `edit` applied to the stored data before the report is computed
    /// (for tests that change one field).
    pub fn with(edit: impl FnOnce(&mut Stored)) -> Fixture {
        let mut stored = Stored::new();
        edit(&mut stored);
        stored.into_fixture()
    }

    /// The options of one deliverable: the fixed generation time and the engagement's default
    /// document id (`larchmont-2026-initial-sap`, `-sar`, `-poam`), as the package uses them.
    pub fn options(&self, kind: DocumentKind) -> ExportOptions {
        ExportOptions::new(ENGAGEMENT_ID, kind, self.generated_at, None)
    }

    /// The day the RET and POA&M workbooks carry (the SAR's date), as the package picks it.
    pub fn workbook_date(&self) -> NaiveDate {
        self.sar.report.workbook_date(self.generated_at)
    }
}

/// The stored data, before the report is computed from it.
pub struct Stored {
    pub sap: Sap,
    pub objectives: Vec<SapObjective>,
    pub inputs: ReportInputs,
    pub overview: SystemOverview,
}

impl Stored {
    fn new() -> Stored {
        let engagement = engagement();
        let sap = signed_sap(&engagement);
        let findings = findings();
        let tests = test_rows();
        let inputs = ReportInputs {
            engagement,
            data: sar_data(),
            weaknesses: weaknesses(),
            scan_dates: HashMap::from([(103, day(2026, 3, 4))]),
            configuration: configuration(),
            inventory: inventory(),
            scan_files: scan_files(),
            tests,
            coverage: coverage(),
            kev: HashMap::from([(CVE_KEV.to_owned(), day(2026, 3, 25))]),
            kev_catalog: Some(KevCatalogInfo {
                source_name: "known_exploited_vulnerabilities.json".into(),
                sha256: sha("kev catalog 2026.03.20"),
                catalog_version: "2026.03.20".into(),
                released: "2026-03-20T14:05:11.000Z".into(),
                entries: 1487,
                imported_at: "2026-03-23T08:30:00Z".into(),
            }),
            sap_signed: sap.is_signed(),
            deviations: sap.deviations.clone(),
            freeze: Some(freeze()),
            drift: vec![drift()],
            evidence: evidence(),
            findings,
        };
        Stored {
            sap,
            objectives: objectives(),
            inputs,
            overview: overview(),
        }
    }

    fn into_fixture(self) -> Fixture {
        let report = report::compute(&self.inputs);
        Fixture {
            sap: SapExportInput {
                sap: self.sap.clone(),
                objectives: self.objectives,
            },
            sar: SarExportInput {
                report,
                sap: self.sap,
                overview: Some(self.overview),
                tests: self.inputs.tests,
                findings: self.inputs.findings,
            },
            generated_at: DateTime::parse_from_rfc3339(GENERATED_AT)
                .expect("fixed time")
                .to_utc(),
        }
    }

    /// The finding with this reference (F-001 …).
    pub fn finding(&mut self, reference: &str) -> &mut Finding {
        self.inputs
            .findings
            .iter_mut()
            .find(|f| f.reference == reference)
            .unwrap_or_else(|| panic!("no finding {reference} in the fixture"))
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A stand-in SHA-256 (of the label, not of any real file) so ids look like the real thing.
fn sha(label: &str) -> String {
    Sha256::digest(label.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---- identity -------------------------------------------------------------------------------

const CSO: &str = "Larchmont Case Manager";
const CSP: &str = "Larchmont Data Co.";
const IA: &str = "Quillfeather Assurance LLC";

fn engagement() -> Engagement {
    Engagement {
        id: ENGAGEMENT_ID.into(),
        cso_name: CSO.into(),
        csp_name: CSP.into(),
        assessor_org: IA.into(),
        agency: "Office of Example Grants".into(),
        package_id: "FR2612340017".into(),
        impact_level: ImpactLevel::Moderate,
        authorization_path: AuthorizationPath::Agency,
        assessment_type: AssessmentType::Initial,
        test_window_start: Some(day(2026, 3, 2)),
        test_window_end: Some(day(2026, 3, 27)),
        created_at: "2026-01-12T14:00:00Z".into(),
        updated_at: "2026-03-02T13:00:00Z".into(),
    }
}

// ---- people -----------------------------------------------------------------------------------

const LEAD: &str = "Dana Whitlock";
const ASSESSOR: &str = "Priya Castellano";
const PEN_TESTER: &str = "Tomasz Reyes";

fn person(id: &str, name: &str, title: &str, side: Side, role: TeamRole) -> TeamMember {
    let mail = name.to_lowercase().replace(' ', ".");
    let domain = match side {
        Side::Assessor => "quillfeather.example",
        _ => "larchmont.example",
    };
    TeamMember {
        id: id.into(),
        name: name.into(),
        title: title.into(),
        email: format!("{mail}@{domain}"),
        phone: "+1 555 0100".into(),
        side,
        role,
    }
}

fn people() -> Vec<TeamMember> {
    vec![
        person(
            "p1",
            LEAD,
            "Senior Assessor",
            Side::Assessor,
            TeamRole::AssessmentLead,
        ),
        person(
            "p2",
            ASSESSOR,
            "Assessor",
            Side::Assessor,
            TeamRole::AssessmentTeam,
        ),
        person(
            "p3",
            PEN_TESTER,
            "Penetration Test Lead",
            Side::Assessor,
            TeamRole::PenetrationTestLead,
        ),
        person(
            "p4",
            "Morgan Ellery",
            "Information System Security Officer",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        person(
            "p5",
            "Jun Okafor",
            "Director of Platform Engineering",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        person(
            "p6",
            "Larchmont Network Operations Center",
            "24x7 on-call desk",
            Side::Csp,
            TeamRole::CspOperationsCenter,
        ),
    ]
}

// ---- SSP and baseline ---------------------------------------------------------------------------

const WEB_01: &str = "7c1f3a52-5d0e-4b7a-9e21-0a6b3c1d0011";
const APP_01: &str = "7c1f3a52-5d0e-4b7a-9e21-0a6b3c1d0021";
const DB_01: &str = "7c1f3a52-5d0e-4b7a-9e21-0a6b3c1d0031";
const BATCH_01: &str = "7c1f3a52-5d0e-4b7a-9e21-0a6b3c1d0041";

fn ssp_ref() -> SapSspRef {
    SapSspRef {
        uuid: "3e9d6b40-1c2a-4f5e-8d7c-6b5a4f3e2d10".into(),
        title: "Larchmont Case Manager System Security Plan".into(),
        version: "2.4".into(),
        date: "2026-01-30T00:00:00Z".into(),
        source_name: "larchmont-ssp-v2.4.json".into(),
        source_sha256: sha("larchmont ssp 2.4"),
        system_name: "Larchmont Case Manager".into(),
        package_id: Some("FR2612340017".into()),
    }
}

fn components() -> Vec<ComponentRow> {
    vec![
        ComponentRow {
            uuid: "1b7e2c90-4a3d-4e8f-a1b2-c3d4e5f60001".into(),
            component_type: "software".into(),
            title: "Case Manager web application".into(),
            status: "operational".into(),
            description: "The tenant-facing case management application and its REST API.".into(),
            responsible_roles: vec!["platform-operator".into()],
            protocols: vec!["https 443/tcp".into()],
        },
        ComponentRow {
            uuid: "1b7e2c90-4a3d-4e8f-a1b2-c3d4e5f60002".into(),
            component_type: "service".into(),
            title: "Managed PostgreSQL service".into(),
            status: "operational".into(),
            description: "The case database, run from the vendor's hardened image.".into(),
            responsible_roles: vec!["platform-operator".into()],
            protocols: vec!["postgresql 5432/tcp".into()],
        },
    ]
}

#[allow(clippy::too_many_arguments)] // an inventory row simply has this many columns
fn host(
    uuid: &str,
    asset_id: &str,
    asset_type: &str,
    ipv4: &str,
    fqdn: Option<&str>,
    software: &str,
    scan_type: &str,
    function: &str,
) -> InventoryRow {
    InventoryRow {
        uuid: uuid.into(),
        asset_id: Some(asset_id.into()),
        asset_type: Some(asset_type.into()),
        ipv4: ipv4.into(),
        ipv6: String::new(),
        fqdn: fqdn.map(str::to_owned),
        netbios_name: None,
        mac_address: None,
        os: Some("Red Hat Enterprise Linux 9.4".into()),
        software: Some(software.into()),
        is_virtual: Some(true),
        is_public: Some(fqdn.is_some()),
        scan_type: Some(scan_type.into()),
        authenticated_scan: Some(true),
        baseline_configuration: Some("CIS RHEL 9 Level 1 Server".into()),
        function: Some(function.into()),
        description: String::new(),
    }
}

fn inventory() -> Vec<InventoryRow> {
    vec![
        host(
            WEB_01,
            "web-01",
            "web-server",
            "10.20.1.11",
            Some("app.larchmont.example"),
            "Apache HTTP Server 2.4",
            "web",
            "Reverse proxy and web front end",
        ),
        host(
            APP_01,
            "app-01",
            "application-server",
            "10.20.2.21",
            None,
            "Case Manager 4.12",
            "infrastructure",
            "Application server",
        ),
        host(
            DB_01,
            "db-01",
            "database",
            "10.20.3.31",
            None,
            "PostgreSQL 15",
            "database",
            "Case database",
        ),
        host(
            BATCH_01,
            "batch-01",
            "server",
            "10.20.2.41",
            None,
            "Report generator 1.3",
            "infrastructure",
            "Month-end report batch host",
        ),
    ]
}

fn users() -> Vec<UserRow> {
    vec![
        UserRow {
            uuid: "9a8b7c6d-0001-4e2f-8a1b-2c3d4e5f6a01".into(),
            title: "Case Worker".into(),
            user_type: Some("external".into()),
            role_ids: vec!["case-worker".into()],
            privileges: vec![
                "Create and update cases".into(),
                "Upload attachments".into(),
            ],
        },
        UserRow {
            uuid: "9a8b7c6d-0001-4e2f-8a1b-2c3d4e5f6a02".into(),
            title: "Tenant Administrator".into(),
            user_type: Some("external".into()),
            role_ids: vec!["tenant-admin".into()],
            privileges: vec![
                "Manage the tenant's users".into(),
                "Export the tenant's cases".into(),
            ],
        },
        UserRow {
            uuid: "9a8b7c6d-0001-4e2f-8a1b-2c3d4e5f6a03".into(),
            title: "Platform Operator".into(),
            user_type: Some("internal".into()),
            role_ids: vec!["platform-operator".into()],
            privileges: vec![
                "Administer hosts and databases (privileged)".into(),
                "Deploy releases".into(),
            ],
        },
    ]
}

/// The baseline controls of the fixture: (id, label, title, core).
#[rustfmt::skip]
const CONTROLS: [(&str, &str, &str, bool); 10] = [
    ("ac-2", "AC-2", "Account Management", true),
    ("ac-3", "AC-3", "Access Enforcement", false),
    ("ac-7", "AC-7", "Unsuccessful Logon Attempts", false),
    ("ac-12", "AC-12", "Session Termination", false),
    ("cm-6", "CM-6", "Configuration Settings", true),
    ("ia-2.1", "IA-2(1)", "Multi-factor Authentication to Privileged Accounts", true),
    ("pl-2", "PL-2", "System Security and Privacy Plans", false),
    ("ra-5", "RA-5", "Vulnerability Monitoring and Scanning", true),
    ("sc-8", "SC-8", "Transmission Confidentiality and Integrity", false),
    ("si-2", "SI-2", "Flaw Remediation", true),
];

fn controls() -> Vec<ControlSummary> {
    CONTROLS
        .iter()
        .map(|(id, label, title, core)| ControlSummary {
            id: (*id).into(),
            label: (*label).into(),
            title: (*title).into(),
            family_id: id.split('-').next().unwrap_or_default().into(),
            parent_id: id.split_once('.').map(|(p, _)| p.to_owned()),
            core: *core,
            objectives: 1,
            implementation_status: Some("implemented".into()),
        })
        .collect()
}

/// The assessable objectives of the fixture: (control id, objective id, label, text, methods).
#[rustfmt::skip]
const OBJECTIVES: [(&str, &str, &str, &str, &[&str]); 11] = [
    ("ac-2", "ac-2_obj.a-1", "AC-02(a)[01]", "The account types allowed and prohibited on the system are defined and documented.", &["EXAMINE", "INTERVIEW"]),
    ("ac-2", "ac-2_obj.d-1", "AC-02(d)[01]", "The authorized users of the system are specified, and no account exists without an authorized user.", &["EXAMINE", "TEST"]),
    ("ac-3", "ac-3_obj-1", "AC-03[01]", "Approved authorizations for logical access to information are enforced.", &["TEST"]),
    ("ac-7", "ac-7_obj.a-1", "AC-07(a)[01]", "A limit of consecutive invalid logon attempts by a user during a defined period is enforced.", &["EXAMINE", "TEST"]),
    ("ac-12", "ac-12_obj-1", "AC-12[01]", "A user session is terminated automatically after the defined conditions or trigger events.", &["EXAMINE", "TEST"]),
    ("cm-6", "cm-6_obj.b-1", "CM-06(b)[01]", "The configuration settings of the baseline are implemented.", &["EXAMINE", "TEST"]),
    ("ia-2.1", "ia-2.1_obj-1", "IA-02(01)[01]", "Multi-factor authentication is implemented for access to privileged accounts.", &["TEST"]),
    ("pl-2", "pl-2_obj.a-1", "PL-02(a)[01]", "A system security plan is developed that describes the authorization boundary and the system's components.", &["EXAMINE"]),
    ("ra-5", "ra-5_obj.a-1", "RA-05(a)[01]", "The system and hosted applications are monitored and scanned for vulnerabilities at the defined frequency.", &["EXAMINE", "INTERVIEW"]),
    ("sc-8", "sc-8_obj-1", "SC-08[01]", "The confidentiality and integrity of transmitted information are protected.", &["TEST"]),
    ("si-2", "si-2_obj.c-1", "SI-02(c)[01]", "Security-relevant software updates are installed within the defined period of their release.", &["EXAMINE", "TEST"]),
];

fn objectives() -> Vec<SapObjective> {
    OBJECTIVES
        .iter()
        .map(|(control, id, label, text, methods)| SapObjective {
            control_id: (*control).into(),
            id: (*id).into(),
            label: (*label).into(),
            text: (*text).into(),
            methods: methods.iter().map(|m| (*m).to_owned()).collect(),
        })
        .collect()
}

fn overview() -> SystemOverview {
    let s = ssp_ref();
    SystemOverview {
        import: SspImportRecord {
            id: "ssp-import-2".into(),
            imported_at: "2026-02-02T10:15:00Z".into(),
            actor: LEAD.into(),
            source_name: s.source_name.clone(),
            source_sha256: s.source_sha256.clone(),
            source_format: "json".into(),
            oscal_version: "1.1.2".into(),
            title: s.title.clone(),
            version: s.version.clone(),
        },
        ssp_uuid: s.uuid,
        title: s.title,
        version: s.version,
        last_modified: s.date,
        system_name: "Larchmont Case Manager".into(),
        system_name_short: Some("LCM".into()),
        package_id: s.package_id,
        description: "Larchmont Case Manager is a multi-tenant case management service for grant \
            programs. Agency case workers record applications, correspondence and decisions; \
            tenant administrators manage their agency's users and export its cases. The service \
            runs in one primary site on hardened Linux hosts behind a web application firewall, \
            with a managed PostgreSQL database."
            .into(),
        status: "under-development".into(),
        cloud_service_model: Some("saas".into()),
        cloud_deployment_model: Some("government-only-cloud".into()),
        authorization_type: Some("fedramp-agency".into()),
        security_sensitivity_level: Some("fips-199-moderate".into()),
        confidentiality: Some("fips-199-moderate".into()),
        integrity: Some("fips-199-moderate".into()),
        availability: Some("fips-199-low".into()),
        authorization_boundary: "The web, application, database and batch hosts of the \
            primary site and the managed database service."
            .into(),
        network_architecture: "Three subnets (web, application, data) behind the WAF.".into(),
        data_flow: "Case workers reach the web tier over TLS 1.2+; the application tier reads \
            and writes the database over TLS."
            .into(),
        information_types: Vec::new(),
        leveraged_authorizations: Vec::new(),
        parties: vec![CSP.into()],
        roles: vec!["platform-operator".into()],
        components: 2,
        inventory_items: 4,
        users: 3,
        implemented_requirements: 10,
    }
}

// ---- SAP --------------------------------------------------------------------------------------

fn signed_sap(engagement: &Engagement) -> Sap {
    let mut data = sap::draft(&DraftInputs {
        engagement: Some(engagement.clone()),
        ssp: Some(ssp_ref()),
        components: components(),
        inventory: inventory(),
        users: users(),
        controls: controls(),
    });
    data.document.date = Some(day(2026, 2, 16));
    data.document.prepared_by = vec![
        IA.into(),
        "2200 Example Avenue, Suite 300".into(),
        "Arlington, VA 22201".into(),
    ];
    data.document.prepared_for = vec![
        CSP.into(),
        "75 Example Street".into(),
        "Hartford, CT 06103".into(),
    ];
    data.scope.locations = vec![SapLocation {
        name: "Larchmont Primary Site".into(),
        address: "100 Example Way, Ashburn, VA 20147".into(),
        description: "All hosts of the system: web, application, database and batch tiers.".into(),
    }];
    for w in &mut data.scope.web_applications {
        w.login_url = "https://app.larchmont.example/login".into();
        w.test_user_ids = vec!["qa-caseworker-01".into(), "qa-tenantadmin-01".into()];
    }
    for (r, id) in
        data.roles
            .iter_mut()
            .zip(["qa-caseworker-01", "qa-tenantadmin-01", "qa-operator-01"])
    {
        r.test_user_id = id.into();
    }
    data.team_validation = ["p1", "p2", "p3"]
        .iter()
        .map(|id| TeamValidation {
            member_id: (*id).into(),
            validated_by_ia: true,
            validated_by_csp: true,
        })
        .collect();
    data.tools = vec![
        SapTool {
            name: "Nessus Professional".into(),
            vendor: "Tenable".into(),
            version: "10.8.3".into(),
            purpose: "Authenticated operating system and database vulnerability scans; CIS \
                benchmark compliance audits."
                .into(),
        },
        SapTool {
            name: "ZAP".into(),
            vendor: "ZAP project".into(),
            version: "2.16.0".into(),
            purpose: "Authenticated web application scans.".into(),
        },
        SapTool {
            name: "Trivy".into(),
            vendor: "Aqua Security".into(),
            version: "0.58.1".into(),
            purpose: "Container image scans of the application images.".into(),
        },
    ];
    data.scan_origination_ips = vec!["198.51.100.24".into(), "198.51.100.25".into()];
    data.manual_tests = vec![
        ManualTest {
            id: "MT-1".into(),
            name: "Account lockout".into(),
            description: "Submit wrong passwords for a test account until it locks, and time \
                the lockout."
                .into(),
            method: "TEST".into(),
        },
        ManualTest {
            id: "MT-2".into(),
            name: "Attachment links across sessions and tenants".into(),
            description: "Replay attachment download links after sign-out and from another \
                tenant's session."
                .into(),
            method: "TEST".into(),
        },
        ManualTest {
            id: "MT-3".into(),
            name: "MFA for privileged accounts".into(),
            description: "Sign in as a platform operator with and without the second factor."
                .into(),
            method: "TEST".into(),
        },
    ];
    // Two weeks of preparation, four of testing, then reporting. Penetration testing was
    // planned to finish on 03/20 and moved to 03/24 after signing (deviation DEV-1).
    let dates: [(u32, u32, u32, u32); 14] = [
        (2, 2, 2, 13),
        (2, 17, 2, 17),
        (2, 18, 2, 20),
        (2, 23, 3, 6),
        (3, 2, 3, 13),
        (3, 2, 3, 27),
        (3, 9, 3, 24),
        (3, 16, 3, 27),
        (3, 23, 4, 3),
        (3, 30, 4, 10),
        (4, 13, 4, 13),
        (4, 20, 4, 20),
        (4, 21, 4, 29),
        (4, 30, 4, 30),
    ];
    for (t, (m1, d1, m2, d2)) in data.schedule.iter_mut().zip(dates) {
        t.start = Some(day(2026, m1, d1));
        t.finish = Some(day(2026, m2, d2));
    }
    let roe = &mut data.rules_of_engagement;
    roe.end_of_testing_contact =
        "the Larchmont Network Operations Center (noc@larchmont.example)".into();
    roe.results_recipients = "Morgan Ellery (ISSO) and Jun Okafor".into();
    for v in &mut data.penetration_test.vectors {
        if v.name.starts_with("Mobile") {
            v.applicable = false;
            v.rationale = "The service has no mobile application.".into();
        } else if v.name.starts_with("Client-side") {
            v.applicable = false;
            v.rationale = "Customers use a web browser only; no client software or agent is \
                distributed."
                .into();
        }
    }
    let people = people();
    Sap {
        drafted: true,
        drafted_at: Some("2026-02-03T09:00:00Z".into()),
        signing: Some(SapSigning {
            ia: Signature {
                name: LEAD.into(),
                title: "Senior Assessor".into(),
                date: day(2026, 2, 20),
            },
            csp: Signature {
                name: "Morgan Ellery".into(),
                title: "Information System Security Officer".into(),
                date: day(2026, 2, 20),
            },
            recorded_at: "2026-02-20T17:30:00Z".into(),
            recorded_by: LEAD.into(),
        }),
        header: SapHeader {
            csp_name: CSP.into(),
            cso_name: CSO.into(),
            assessor_org: IA.into(),
            agency: engagement.agency.clone(),
            package_id: engagement.package_id.clone(),
            impact_level: ImpactLevel::Moderate,
            assessment_type: AssessmentType::Initial,
            ssp: Some(ssp_ref()),
            baseline_title: Some("FedRAMP Rev 5 Moderate Baseline".into()),
        },
        team: sap::team_view(&people, &data.team_validation),
        csp_contacts: people.into_iter().filter(|p| p.side == Side::Csp).collect(),
        deviations: vec![SapDeviation {
            id: "DEV-1".into(),
            section: SapSection::Schedule,
            description: "'Perform Penetration Testing'.finish: 03/20/2026 → 03/24/2026".into(),
            justification: "The CSP moved a release into the week of 03/16/2026; the tenant \
                isolation tests were repeated on the new release with the CSP's agreement."
                .into(),
            at: "2026-03-17T11:20:00Z".into(),
            actor: PEN_TESTER.into(),
        }],
        data,
    }
}

// ---- testing ----------------------------------------------------------------------------------

fn freeze() -> Freeze {
    Freeze {
        id: "freeze-1".into(),
        sha256: sha("freeze larchmont 2026-03-02"),
        window: TestWindow {
            start: day(2026, 3, 2),
            end: day(2026, 3, 27),
        },
        at: "2026-03-02T13:00:00Z".into(),
        actor: LEAD.into(),
    }
}

fn drift() -> Drift {
    Drift {
        id: "drift-1".into(),
        freeze_id: "freeze-1".into(),
        at: "2026-03-16T09:45:00Z".into(),
        actor: ASSESSOR.into(),
        source_name: "larchmont-ssp-v2.4.1.json".into(),
        source_sha256: sha("larchmont ssp 2.4.1"),
        content_sha256: sha("freeze larchmont 2026-03-02"),
        matches_freeze: true,
        summary: "no changes".into(),
        changes: SspChanges::default(),
    }
}

/// What a piece of evidence is linked to: (`objective` or `finding`, its id).
type Link = (&'static str, &'static str);

/// Evidence: (title, file name, collected at, links).
#[rustfmt::skip]
const EVIDENCE: [(&str, &str, &str, &[Link]); 10] = [
    ("Account lockout policy export", "lockout-policy.json", "2026-03-03T10:00:00Z", &[("objective", "ac-7_obj.a-1"), ("finding", "finding-001")]),
    ("Attachment link replay, proxy log", "attachment-replay.har", "2026-03-11T15:40:00Z", &[("finding", "finding-002")]),
    ("Database console accounts before the fix", "db-console-accounts.png", "2026-03-05T14:10:00Z", &[("finding", "finding-003")]),
    ("Database console accounts after the fix", "db-console-accounts-after.png", "2026-03-12T09:05:00Z", &[("finding", "finding-003")]),
    ("WAF rule set and management VPN routes", "waf-and-vpn-config.pdf", "2026-03-19T13:00:00Z", &[("finding", "finding-004")]),
    ("Vendor support case for the PostgreSQL image", "vendor-case-88412.pdf", "2026-03-20T16:30:00Z", &[("finding", "finding-005")]),
    ("Session timeout setting and the agency's request", "session-timeout-request.pdf", "2026-03-10T11:00:00Z", &[("objective", "ac-12_obj-1"), ("finding", "finding-006")]),
    ("SSP integrated inventory workbook", "larchmont-inventory-v2.4.xlsx", "2026-03-02T13:30:00Z", &[("objective", "pl-2_obj.a-1"), ("finding", "finding-007")]),
    ("Certificate chain of app.larchmont.example", "app-certificate-chain.txt", "2026-03-06T10:20:00Z", &[]),
    ("Platform operator sign-in with and without MFA", "mfa-operator-sign-in.png", "2026-03-04T15:00:00Z", &[("objective", "ia-2.1_obj-1")]),
];

fn evidence_id(file_name: &str) -> String {
    sha(&format!("evidence {file_name}"))
}

fn evidence() -> Vec<EvidenceItem> {
    EVIDENCE
        .iter()
        .enumerate()
        .map(|(i, (title, file, at, links))| EvidenceItem {
            id: evidence_id(file),
            size: 20_000.0 + 1_111.0 * i as f64,
            file_name: (*file).into(),
            title: (*title).into(),
            collected_by: if file.ends_with(".har") {
                PEN_TESTER.into()
            } else {
                ASSESSOR.into()
            },
            collected_from: "Larchmont Case Manager (production)".into(),
            collected_at: (*at).into(),
            source: if file.ends_with(".png") {
                "screenshot".into()
            } else {
                "export".into()
            },
            added_at: (*at).into(),
            added_by: ASSESSOR.into(),
            links: links
                .iter()
                .map(|(kind, id)| EvidenceLink {
                    kind: (*kind).into(),
                    id: (*id).into(),
                })
                .collect(),
        })
        .collect()
}

/// One test row: `result` on March `tested_on`, with the findings that answer it.
fn test_row(objective: &str, result: TestResult, findings: &[&str], tested_on: u32) -> TestRow {
    let (control, id, label, text, methods) = OBJECTIVES
        .iter()
        .find(|o| o.1 == objective)
        .copied()
        .unwrap_or_else(|| panic!("no objective {objective}"));
    let label_of = CONTROLS
        .iter()
        .find(|c| c.0 == control)
        .map(|c| c.1)
        .unwrap_or_default();
    let used: Vec<TestMethod> = methods
        .iter()
        .map(|m| m.parse().expect("method name"))
        .collect();
    let evidence_ids = EVIDENCE
        .iter()
        .filter(|e| e.3.contains(&("objective", id)))
        .map(|e| evidence_id(e.1))
        .collect();
    let tester = if control == "ac-3" {
        PEN_TESTER
    } else {
        ASSESSOR
    };
    TestRow {
        objective_id: id.into(),
        objective_label: label.into(),
        objective_text: text.into(),
        control_id: control.into(),
        control_label: label_of.into(),
        family_id: control.split('-').next().unwrap_or_default().into(),
        baseline_methods: methods.iter().map(|m| (*m).to_owned()).collect(),
        examined: if used.contains(&TestMethod::Examine) {
            "The SSP, the configuration export and the procedure named in the evidence.".into()
        } else {
            String::new()
        },
        interviewed: if used.contains(&TestMethod::Interview) {
            "Morgan Ellery (ISSO) and Jun Okafor (platform engineering).".into()
        } else {
            String::new()
        },
        tested: if used.contains(&TestMethod::Test) {
            "Exercised in production with the test accounts of SAP Table 3-8.".into()
        } else {
            String::new()
        },
        observations: match result {
            TestResult::Satisfied => "Implemented as the SSP describes.".into(),
            _ if findings.is_empty() => "Not implemented as the SSP describes.".into(),
            _ => format!(
                "Not implemented as the SSP describes; see {}.",
                findings.join(", ")
            ),
        },
        methods: used,
        result,
        assessor: tester.into(),
        tested_on: Some(day(2026, 3, tested_on)),
        evidence_ids,
        finding_ids: findings
            .iter()
            .map(|r| format!("finding-{}", &r[2..]))
            .collect(),
        no_finding_reason: String::new(),
        outside_window: false,
        updated_at: Some("2026-03-20T17:00:00Z".into()),
    }
}

fn test_rows() -> Vec<TestRow> {
    use TestResult::{OtherThanSatisfied as Ots, Satisfied};
    let mut cm6 = test_row("cm-6_obj.b-1", Ots, &[], 9);
    cm6.no_finding_reason = "The failed benchmark checks are reported as configuration \
        findings (RET Configuration Findings)."
        .into();
    vec![
        test_row("ac-2_obj.a-1", Satisfied, &[], 3),
        test_row("ac-2_obj.d-1", Ots, &["F-003"], 5),
        test_row("ac-3_obj-1", Ots, &["F-002"], 11),
        test_row("ac-7_obj.a-1", Ots, &["F-001"], 3),
        test_row("ac-12_obj-1", Ots, &["F-006"], 10),
        cm6,
        test_row("ia-2.1_obj-1", Satisfied, &[], 4),
        test_row("pl-2_obj.a-1", Ots, &["F-007"], 4),
        test_row("ra-5_obj.a-1", Satisfied, &[], 9),
        test_row("sc-8_obj-1", Satisfied, &[], 6),
        test_row("si-2_obj.c-1", Ots, &["F-004", "F-005"], 12),
    ]
}

// ---- findings ---------------------------------------------------------------------------------

/// The CVE of the accepted Nessus weakness that the KEV catalog lists.
const CVE_KEV: &str = "CVE-2025-90112";

/// A finding with its ratings computed as the app computes them (never typed in).
#[allow(clippy::too_many_arguments)] // the columns every finding has
fn finding(
    reference: &str,
    title: &str,
    source: FindingSource,
    category: FindingCategory,
    controls: &[&str],
    assets: &[&str],
    likelihood: RiskLevel,
    impact: RiskLevel,
    detected_on: NaiveDate,
) -> Finding {
    let id = format!("finding-{}", &reference[2..]);
    let risk = cvss::risk_exposure(likelihood, impact);
    // The objectives whose test rows name this finding.
    let objective_ids = test_rows()
        .into_iter()
        .filter(|t| t.finding_ids.contains(&id))
        .map(|t| t.objective_id)
        .collect();
    let evidence_ids = EVIDENCE
        .iter()
        .filter(|e| e.3.contains(&("finding", id.as_str())))
        .map(|e| evidence_id(e.1))
        .collect();
    Finding {
        reference: reference.into(),
        title: title.into(),
        description: String::new(),
        source,
        category,
        controls: controls.iter().map(|c| (*c).to_owned()).collect(),
        assets: assets.iter().map(|a| (*a).to_owned()).collect(),
        objective_ids,
        likelihood,
        impact,
        risk,
        effective_risk: risk,
        risk_statement: String::new(),
        recommendation: String::new(),
        evidence_ids,
        status: FindingStatus::Open,
        closure: None,
        open: true,
        risk_adjustment: None,
        false_positive: None,
        operational_requirement: None,
        vendor_dependency: None,
        cvss: None,
        library_entry_id: None,
        detected_on,
        created_at: format!("{detected_on}T16:00:00Z"),
        updated_at: "2026-03-24T12:00:00Z".into(),
        id,
    }
}

fn findings() -> Vec<Finding> {
    use FindingCategory as C;
    use FindingSource as S;
    use RiskLevel::{High, Low, Moderate};

    let mut f1 = finding(
        "F-001",
        "Account lockout allows 25 failed sign-in attempts",
        S::ManualTest,
        C::SrtmTestCase,
        &["ac-7"],
        &[APP_01],
        Moderate,
        Moderate,
        day(2026, 3, 3),
    );
    f1.description = "The identity provider locks a case worker's account after 25 consecutive \
        failed sign-in attempts within 15 minutes. The FedRAMP Moderate baseline and the SSP set \
        the limit at 3 attempts."
        .into();
    f1.risk_statement = "Online password guessing against case worker accounts is far easier \
        than the SSP assumes."
        .into();
    f1.recommendation = "Set the lockout threshold to 3 failed attempts in 15 minutes, with a \
        30-minute lockout, as the SSP states."
        .into();

    let mut f2 = finding(
        "F-002",
        "Attachment download links stay valid after sign-out",
        S::PenetrationTest,
        C::PenTest,
        &["ac-3", "sc-23"],
        &[WEB_01, APP_01],
        Moderate,
        High,
        day(2026, 3, 11),
    );
    f2.description = "Attachment download links carry a signed token that is not bound to the \
        session. A link captured from one session still downloaded the attachment 24 hours \
        after the case worker signed out. Links did not work across tenants."
        .into();
    f2.recommendation = "Bind attachment tokens to the session and expire them within 5 \
        minutes."
        .into();

    let mut f3 = finding(
        "F-003",
        "Default administrator account enabled on the database console",
        S::ManualTest,
        C::SrtmTestCase,
        &["ac-2"],
        &[DB_01],
        High,
        High,
        day(2026, 3, 5),
    );
    f3.description = "The database management console had its vendor default administrator \
        account enabled, with a password that had never been changed."
        .into();
    f3.recommendation = "Disable the default account and manage console access through named \
        accounts."
        .into();
    f3.status = FindingStatus::CorrectedDuringTesting;
    f3.open = false;
    f3.closure = Some(Closure {
        description: "The CSP disabled the account and rotated its password; the assessor \
            confirmed that sign-in with it fails."
            .into(),
        date: day(2026, 3, 12),
        verification_evidence_ids: vec![evidence_id("db-console-accounts-after.png")],
    });

    let mut f4 = finding(
        "F-004",
        "Apache HTTP Server 2.4.x < 2.4.66 Multiple Vulnerabilities",
        S::VulnerabilityScan,
        C::OsScan,
        &["ra-5", "si-2"],
        &[WEB_01],
        High,
        High,
        day(2026, 3, 4),
    );
    f4.description = format!(
        "According to its banner, the version of Apache httpd on the remote host is earlier \
         than 2.4.66. It is therefore affected by multiple vulnerabilities\n(mod_proxy request \
         smuggling, {CVE_KEV}; mod_status information disclosure, CVE-2025-90113)."
    );
    f4.recommendation = "Upgrade Apache HTTP Server to 2.4.66 or later.".into();
    f4.cvss = Some(cvss::score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N").expect("vector"));
    f4.risk_adjustment = Some(RiskAdjustmentInfo {
        status: DeviationAnswer::Yes,
        adjusted_likelihood: Moderate,
        adjusted_impact: High,
        adjusted_risk: cvss::risk_exposure(Moderate, High),
        rationale: "The vulnerable proxy module only serves the status endpoint, which the WAF \
            blocks from the internet; it is reachable from the management VPN alone."
            .into(),
        evidence_ids: vec![evidence_id("waf-and-vpn-config.pdf")],
        flags: Vec::new(),
    });
    f4.effective_risk = cvss::risk_exposure(Moderate, High);

    let mut f5 = finding(
        "F-005",
        "libpq: SQL injection through quoting functions (CVE-2025-90240)",
        S::VulnerabilityScan,
        C::ContainerScan,
        &["ra-5", "si-2"],
        &[],
        Moderate,
        Moderate,
        day(2026, 3, 6),
    );
    f5.description = "The case API image ships libpq5 15.6-1, which mishandles some multibyte \
        input in its quoting functions."
        .into();
    f5.recommendation = "Rebuild the image on the vendor's fixed base image once it is \
        released."
        .into();
    f5.vendor_dependency = Some(VendorDependencyInfo {
        status: DeviationAnswer::Yes,
        product: "Managed PostgreSQL client image".into(),
        last_check_in: day(2026, 3, 20),
        rationale: "The vendor has confirmed the flaw and plans a fixed image; the CSP cannot \
            patch the vendor's image itself."
            .into(),
        evidence_ids: vec![evidence_id("vendor-case-88412.pdf")],
        flags: Vec::new(),
    });

    let mut f6 = finding(
        "F-006",
        "Case worker sessions end after 60 minutes of inactivity",
        S::Interview,
        C::SrtmTestCase,
        &["ac-12"],
        &[APP_01],
        Low,
        Moderate,
        day(2026, 3, 10),
    );
    f6.description = "Case worker sessions are terminated after 60 minutes of inactivity; the \
        SSP states 15 minutes."
        .into();
    f6.recommendation = "Terminate sessions after 15 minutes of inactivity, or obtain the \
        authorizing official's approval for 60."
        .into();
    f6.operational_requirement = Some(DeviationInfo {
        status: DeviationAnswer::Pending,
        rationale: "Case workers record interviews in the application and lose unsaved notes \
            when the session ends; the sponsoring agency has asked for 60 minutes."
            .into(),
        evidence_ids: vec![evidence_id("session-timeout-request.pdf")],
    });

    let mut f7 = finding(
        "F-007",
        "SSP inventory omits the jump host jump-02",
        S::DocumentationReview,
        C::SrtmTestCase,
        &["pl-2", "cm-8"],
        &[],
        Moderate,
        Low,
        day(2026, 3, 4),
    );
    f7.description = "The internal scan found jump-02 (10.20.4.40), an administrative jump \
        host inside the boundary, which the SSP's integrated inventory does not list."
        .into();
    f7.recommendation = "Add jump-02 to the integrated inventory and the boundary diagram.".into();

    vec![f1, f2, f3, f4, f5, f6, f7]
}

// ---- scans ------------------------------------------------------------------------------------

const NESSUS_FILE: &str = "larchmont-internal-2026-03-04.nessus";

fn scan_files() -> Vec<ScanFile> {
    let file =
        |id: &str, name: &str, format: &str, tool: &str, version: &str, start: &str| ScanFile {
            id: id.into(),
            sha256: sha(&format!("scan {name}")),
            name: name.into(),
            format: format.into(),
            tool: tool.into(),
            tool_version: Some(version.into()),
            scan_start: Some(start.into()),
            scan_end: None,
            imported_at: "2026-03-09T08:00:00Z".into(),
            actor: ASSESSOR.into(),
        };
    vec![
        file(
            "scan-1",
            NESSUS_FILE,
            "nessus",
            "Nessus",
            "10.8.3",
            "Wed Mar  4 09:12:40 2026",
        ),
        file(
            "scan-2",
            "larchmont-cis-audit-2026-03-05.nessus",
            "nessus",
            "Nessus",
            "10.8.3",
            "Thu Mar  5 08:30:02 2026",
        ),
        file(
            "scan-3",
            "zap-case-manager-2026-03-05.json",
            "zap-json",
            "ZAP",
            "2.16.0",
            "Thu, 5 Mar 2026 13:02:17",
        ),
        file(
            "scan-4",
            "trivy-case-api-4.12.0.json",
            "trivy",
            "Trivy",
            "0.58.1",
            "2026-03-06T07:45:00Z",
        ),
    ]
}

#[allow(clippy::too_many_arguments)] // a weakness row simply has this many columns
fn weakness(
    id: i64,
    tool: &str,
    plugin_id: &str,
    name: &str,
    severity: &str,
    risk: RiskLevel,
    cves: &[&str],
    assets: &[(&str, Option<&str>)],
    review: ReviewStatus,
    finding_id: Option<&str>,
) -> WeaknessRow {
    WeaknessRow {
        id,
        key: format!("{}:{plugin_id}", tool.to_lowercase()),
        tool: tool.into(),
        plugin_id: plugin_id.into(),
        name: name.into(),
        kind: "vulnerability".into(),
        severity: severity.into(),
        fedramp_risk: Some(risk),
        cvss: Vec::new(),
        cves: cves.iter().map(|c| (*c).to_owned()).collect(),
        correlated: Vec::new(),
        first_seen: "2026-03-04T09:40:00Z".into(),
        last_seen: "2026-03-18T10:00:00Z".into(),
        review,
        merged_into: None,
        review_rationale: String::new(),
        review_evidence: Vec::new(),
        library_entry_id: None,
        finding_id: finding_id.map(str::to_owned),
        assets: assets
            .iter()
            .map(|(label, inventory)| AffectedAsset {
                label: (*label).into(),
                inventory_uuid: inventory.map(str::to_owned),
                instances: 1,
            })
            .collect(),
        instance_count: assets.len() as u64,
        asset_count: assets.len() as u64,
        synopsis: None,
        solution: None,
    }
}

fn weaknesses() -> Vec<WeaknessRow> {
    let apache = weakness(
        101,
        "Nessus",
        "298114",
        "Apache HTTP Server 2.4.x < 2.4.66 Multiple Vulnerabilities",
        "High",
        RiskLevel::High,
        &[CVE_KEV, "CVE-2025-90113"],
        &[("10.20.1.11:443/tcp", Some(WEB_01))],
        ReviewStatus::Accepted,
        Some("finding-004"),
    );
    let libpq = weakness(
        102,
        "Trivy",
        "CVE-2025-90240",
        "libpq: SQL injection through quoting functions",
        "Medium",
        RiskLevel::Moderate,
        &["CVE-2025-90240"],
        &[(
            "registry.larchmont.example/case-api:4.12.0 (libpq5 15.6-1)",
            None,
        )],
        ReviewStatus::Accepted,
        Some("finding-005"),
    );
    let mut certificate = weakness(
        103,
        "Nessus",
        "51192",
        "SSL Certificate Cannot Be Trusted",
        "Medium",
        RiskLevel::Moderate,
        &[],
        &[("10.20.1.11:443/tcp", Some(WEB_01))],
        ReviewStatus::FalsePositive,
        None,
    );
    certificate.synopsis = Some("The SSL certificate for this service cannot be trusted.".into());
    certificate.solution = Some("Purchase or generate a proper SSL certificate.".into());
    certificate.review_rationale = "The scanner reached the host by its address; the \
        certificate is valid for app.larchmont.example and chains to a public root (chain in \
        the evidence)."
        .into();
    certificate.review_evidence = vec![evidence_id("app-certificate-chain.txt")];
    vec![apache, libpq, certificate]
}

fn configuration() -> ConfigurationFindings {
    ConfigurationFindings {
        findings: vec![
            ConfigurationFinding {
                check_name: "5.2.10 Ensure SSH root login is disabled".into(),
                check_id: Some("CIS-RHEL9-5.2.10".into()),
                audit_file: Some("CIS_RHEL_9_Server_L1_v2.0.0.audit".into()),
                result: "fail".into(),
                refs_800_53: vec!["AC-6(2)".into()],
                hosts: vec!["app-01".into(), "db-01".into()],
                failed: 2,
                warnings: 0,
                passed: 2,
            },
            ConfigurationFinding {
                check_name: "1.6.1.3 Ensure SELinux policy is configured".into(),
                check_id: Some("CIS-RHEL9-1.6.1.3".into()),
                audit_file: Some("CIS_RHEL_9_Server_L1_v2.0.0.audit".into()),
                result: "warning".into(),
                refs_800_53: vec!["AC-3".into()],
                hosts: vec!["web-01".into()],
                failed: 0,
                warnings: 1,
                passed: 3,
            },
        ],
        passed: 611,
        failed: 2,
        warnings: 1,
        errors: 0,
    }
}

fn coverage() -> Coverage {
    let scanned = |uuid: &str, asset: &str, address: &str, tools: &[&str]| AssetCoverage {
        inventory_uuid: uuid.into(),
        asset_id: Some(asset.into()),
        address: address.into(),
        scanned: true,
        tools: tools
            .iter()
            .map(|t| AssetScan {
                tool: (*t).into(),
                when: "Wed Mar  4 09:12:40 2026".into(),
                credentialed: Some(true),
                auth_failures: Vec::new(),
            })
            .collect(),
        credentialed: Some(true),
        explanation: format!("scanned with credentials ({})", tools.join(", ")),
        note: String::new(),
    };
    Coverage {
        assets: vec![
            scanned(
                WEB_01,
                "web-01",
                "10.20.1.11, app.larchmont.example",
                &["Nessus", "ZAP"],
            ),
            scanned(APP_01, "app-01", "10.20.2.21", &["Nessus"]),
            scanned(DB_01, "db-01", "10.20.3.31", &["Nessus"]),
            AssetCoverage {
                inventory_uuid: BATCH_01.into(),
                asset_id: Some("batch-01".into()),
                address: "10.20.2.41".into(),
                scanned: false,
                tools: Vec::new(),
                credentialed: None,
                explanation: "not found in any imported scan".into(),
                note: "Powered off outside the month-end run; the CSP's change record \
                    CHG-20417 schedules its credentialed scan for 03/31/2026."
                    .into(),
            },
        ],
        undocumented: vec![UndocumentedAsset {
            label: "10.20.4.40".into(),
            ip: Some("10.20.4.40".into()),
            fqdn: Some("jump-02.larchmont.example".into()),
            tool: "Nessus".into(),
            file: NESSUS_FILE.into(),
        }],
        summary: CoverageSummary {
            in_scope: 4,
            scanned: 3,
            credentialed: 3,
            undocumented: 1,
            percent_scanned: 75.0,
            percent_credentialed: 75.0,
        },
    }
}

// ---- the SAR's written fields -------------------------------------------------------------

fn sar_data() -> SarData {
    SarData {
        version: "1.0".into(),
        date: Some(day(2026, 4, 30)),
        recommendation: Some(RecommendationRecord {
            statement: Recommendation::Recommend,
            at: "2026-04-28T15:00:00Z".into(),
            actor: LEAD.into(),
        }),
        poam: PoamSettings {
            id_prefix: "LCM-".into(),
            id_start: 1,
            id_digits: 3,
            point_of_contact: "Morgan Ellery, ISSO, Larchmont Data Co.".into(),
            service_name: String::new(),
        },
        threats_note: "Threats considered include credential stuffing against case worker \
            accounts and a malicious tenant trying to read another agency's cases."
            .into(),
        interconnections_note: String::new(),
        signatures: vec![
            SarSignature {
                name: LEAD.into(),
                title: "Senior Assessor".into(),
                date: day(2026, 4, 30),
            },
            SarSignature {
                name: "Rafael Osei".into(),
                title: "Managing Director".into(),
                date: day(2026, 4, 30),
            },
        ],
    }
}
