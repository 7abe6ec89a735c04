//! Unit tests of the SAP pre-fill, section updates and completeness rules.

use super::*;
use crate::baseline::ControlSummary;
use crate::ssp::{ComponentRow, InventoryRow, UserRow};
use crate::{AuthorizationPath, Engagement, NewTeamMember, TeamRole};

fn engagement(kind: AssessmentType) -> Engagement {
    Engagement {
        id: "e1".into(),
        cso_name: "Cloud".into(),
        csp_name: "CSP Inc".into(),
        assessor_org: "3PAO LLC".into(),
        agency: String::new(),
        package_id: "FR2400000001".into(),
        impact_level: ImpactLevel::Moderate,
        authorization_path: AuthorizationPath::Agency,
        assessment_type: kind,
        test_window_start: None,
        test_window_end: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

fn control(id: &str, core: bool, status: Option<&str>) -> ControlSummary {
    ControlSummary {
        id: id.into(),
        label: id.to_uppercase(),
        title: format!("{id} title"),
        family_id: "ac".into(),
        parent_id: None,
        core,
        objectives: 2,
        implementation_status: status.map(str::to_owned),
    }
}

fn inventory(uuid: &str, asset_type: &str, scan: &str) -> InventoryRow {
    InventoryRow {
        uuid: uuid.into(),
        asset_id: Some(format!("asset-{uuid}")),
        asset_type: Some(asset_type.into()),
        ipv4: "10.0.0.1".into(),
        ipv6: String::new(),
        fqdn: None,
        netbios_name: None,
        mac_address: None,
        os: None,
        software: None,
        is_virtual: None,
        is_public: None,
        scan_type: Some(scan.into()),
        authenticated_scan: None,
        baseline_configuration: None,
        function: None,
        description: String::new(),
    }
}

fn ssp() -> SapSspRef {
    SapSspRef {
        uuid: "11111111-2222-4000-8000-000000000000".into(),
        title: "Cloud SSP".into(),
        version: "2.3".into(),
        date: "2026-01-15T00:00:00Z".into(),
        source_name: "ssp.json".into(),
        source_sha256: "ab".into(),
        system_name: "Cloud System".into(),
        package_id: None,
    }
}

fn inputs(kind: AssessmentType) -> DraftInputs {
    DraftInputs {
        engagement: Some(engagement(kind)),
        ssp: Some(ssp()),
        components: vec![ComponentRow {
            uuid: "c1".into(),
            component_type: "software".into(),
            title: "App".into(),
            status: "operational".into(),
            description: String::new(),
            responsible_roles: vec![],
            protocols: vec![],
        }],
        inventory: vec![
            inventory("i1", "web-server", "web"),
            inventory("i2", "database", "database"),
            inventory("i3", "operating-system", "infrastructure"),
        ],
        users: vec![UserRow {
            uuid: "u1".into(),
            title: "Administrator".into(),
            user_type: Some("internal".into()),
            role_ids: vec!["admin".into()],
            privileges: vec!["Manage users".into()],
        }],
        controls: vec![
            control("ac-1", true, Some("implemented")),
            control("ac-2", false, Some("not-applicable")),
            control("ac-3", false, Some("alternative")),
        ],
    }
}

fn person(id: &str, side: Side, role: TeamRole) -> TeamMember {
    let n = NewTeamMember {
        name: format!("Person {id}"),
        title: String::new(),
        email: String::new(),
        phone: String::new(),
        side,
        role,
    };
    TeamMember {
        id: id.into(),
        name: n.name,
        title: n.title,
        email: n.email,
        phone: n.phone,
        side: n.side,
        role: n.role,
    }
}

fn header(kind: AssessmentType) -> SapHeader {
    let e = engagement(kind);
    SapHeader {
        csp_name: e.csp_name,
        cso_name: e.cso_name,
        assessor_org: e.assessor_org,
        agency: e.agency,
        package_id: e.package_id,
        impact_level: e.impact_level,
        assessment_type: kind,
        ssp: Some(ssp()),
        baseline_title: Some("FedRAMP Rev 5 Moderate Baseline".into()),
    }
}

/// A SAP with everything the check asks for filled in.
fn complete(kind: AssessmentType) -> Sap {
    let mut data = draft(&inputs(kind));
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d);
    data.document.date = day(1);
    data.scope.locations = vec![SapLocation {
        name: "East".into(),
        address: "1 Main St".into(),
        description: "All".into(),
    }];
    data.tools = vec![SapTool {
        name: "Scanner".into(),
        vendor: "V".into(),
        version: "1".into(),
        purpose: "Scans".into(),
    }];
    data.scan_origination_ips = vec!["203.0.113.5".into()];
    for (i, t) in data.schedule.iter_mut().enumerate() {
        t.start = day(i as u32 + 1);
        t.finish = day(i as u32 + 2);
    }
    data.rules_of_engagement.end_of_testing_contact = "On-call SOC".into();
    for c in data.control_selection.iter_mut() {
        if c.reason.is_empty() {
            c.reason = "Selected by the agency".into();
        }
    }
    data.significant_change.description = "New region".into();
    let people = vec![
        person("a", Side::Assessor, TeamRole::AssessmentLead),
        person("b", Side::Assessor, TeamRole::AssessmentTeam),
        person("c", Side::Assessor, TeamRole::PenetrationTestLead),
    ];
    Sap {
        drafted: true,
        drafted_at: None,
        signing: None,
        header: header(kind),
        team: team_view(&people, &[]),
        csp_contacts: vec![
            person("x", Side::Csp, TeamRole::CspAssessmentPoc),
            person("y", Side::Csp, TeamRole::CspAssessmentPoc),
            person("z", Side::Csp, TeamRole::CspOperationsCenter),
        ],
        deviations: vec![],
        data,
    }
}

fn blocking(sap: &Sap) -> Vec<String> {
    completeness(sap)
        .into_iter()
        .filter(SapIssue::is_blocking)
        .map(|i| i.to_string())
        .collect()
}

#[test]
fn draft_prefills_scope_roles_assumptions_and_controls_from_the_ssp_and_baseline() {
    let d = draft(&inputs(AssessmentType::Initial));
    assert_eq!(d.scope.subjects.len(), 4, "1 component + 3 inventory items");
    assert!(d.scope.subjects.iter().all(|s| s.included));
    assert_eq!(d.scope.web_applications.len(), 1);
    assert_eq!(d.scope.databases.len(), 1);
    assert_eq!(d.roles[0].role, "Administrator");
    assert_eq!(d.roles[0].functions, "Manage users");
    assert!(
        d.assumptions[0].contains("version 2.3"),
        "{}",
        d.assumptions[0]
    );
    assert!(
        d.assumptions[0].contains("01/15/2026"),
        "{}",
        d.assumptions[0]
    );
    assert!(
        d.assumptions.iter().any(|a| a.contains("AC-2")),
        "N/A controls listed"
    );
    assert_eq!(d.methodology.alternative_implementations, vec!["AC-3"]);
    assert_eq!(d.control_selection.len(), 3);
    assert!(d.control_selection.iter().all(|c| c.included));
    assert_eq!(d.schedule.len(), STANDARD_TASKS.len());
    assert_eq!(d.penetration_test.vectors.len(), 6);
    assert_eq!(d.penetration_test.threat_models.len(), THREAT_MODELS.len());
}

#[test]
fn annual_draft_gives_reasons_to_core_controls_only() {
    let d = draft(&inputs(AssessmentType::Annual));
    let reasons: Vec<bool> = d
        .control_selection
        .iter()
        .map(|c| !c.reason.is_empty())
        .collect();
    assert_eq!(reasons, vec![true, false, false]);
    let scr = draft(&inputs(AssessmentType::Scr));
    assert!(!scr
        .schedule
        .iter()
        .any(|t| t.name == "Perform Penetration Testing"));
}

#[test]
fn a_filled_sap_has_no_blocking_issues_and_only_signature_reminders() {
    for kind in [
        AssessmentType::Initial,
        AssessmentType::Annual,
        AssessmentType::Scr,
    ] {
        let sap = complete(kind);
        assert!(blocking(&sap).is_empty(), "{kind}: {:?}", blocking(&sap));
        let warnings: Vec<String> = completeness(&sap).iter().map(ToString::to_string).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w == "Signatures: the CSP signature is missing"),
            "{warnings:?}"
        );
    }
}

#[test]
fn each_rule_reports_in_words_an_assessor_understands() {
    type Edit = fn(&mut Sap);
    let cases: Vec<(Edit, &str)> = vec![
        (|s| s.team.truncate(2), "Team: 2 assessors listed; the template requires at least 3"),
        (|s| s.team.retain(|t| t.member.role != TeamRole::PenetrationTestLead), "Team: no penetration tester"),
        (|s| s.csp_contacts.truncate(1), "CSP points of contact: 1 CSP point of contact listed"),
        (|s| s.data.schedule[5].start = None, "Schedule: 'Perform Testing' has no start date"),
        (|s| s.data.schedule[0].finish = NaiveDate::from_ymd_opt(2020, 1, 1), "Schedule: 'Prepare SAP' finishes (01/01/2020) before it starts"),
        (|s| s.header.ssp = None, "Scope: no SSP imported"),
        (|s| s.data.scope.locations.clear(), "Scope: no data center location listed"),
        (|s| s.data.scope.subjects[0].included = false, "Scope: 1 item is excluded without a reason"),
        (|s| s.data.roles[0].tested = false, "Role testing: role 'Administrator' is excluded from testing without a reason"),
        (|s| s.data.tools.clear(), "Tools: no automated tools listed"),
        (|s| s.data.scan_origination_ips = vec!["10.0.0.300".into()], "Scan origination: '10.0.0.300' is not an IP address"),
        (|s| s.data.rules_of_engagement.end_of_testing_contact.clear(), "Rules of engagement: no CSP contact named"),
        (|s| s.data.penetration_test.vectors[3].applicable = false, "Penetration test plan: 'Tenant to Tenant' is marked not applicable without a rationale"),
        (|s| s.data.control_selection[1].included = false, "Control selection: 1 control is excluded, but an initial assessment tests the whole baseline"),
        (|s| s.header.baseline_title = None, "Control selection: no baseline loaded"),
        (|s| s.data.sampling[0].sampled = true, ""),
        (|s| s.data.methodology.sampling.clear(), "Methodology: the sampling text is empty"),
    ];
    for (edit, expected) in cases {
        let mut sap = complete(AssessmentType::Initial);
        edit(&mut sap);
        let found = blocking(&sap);
        if expected.is_empty() {
            // Sampling with a method already described is fine.
            assert!(found.is_empty(), "{found:?}");
            continue;
        }
        assert!(
            found.iter().any(|m| m.starts_with(expected)),
            "expected '{expected}' in {found:?}"
        );
    }
}

#[test]
fn annual_controls_need_a_reason_each() {
    let mut sap = complete(AssessmentType::Annual);
    sap.data.control_selection[2].reason.clear();
    assert!(
        blocking(&sap)
            .iter()
            .any(|m| m.contains("1 control has no reason")),
        "{:?}",
        blocking(&sap)
    );
}

#[test]
fn manual_tests_are_numbered_and_vectors_cannot_be_dropped() {
    let mut data = draft(&inputs(AssessmentType::Initial));
    let t = |name: &str| ManualTest {
        id: "x".into(),
        name: name.into(),
        description: String::new(),
        method: "TEST".into(),
    };
    SapSectionUpdate::ManualTests(vec![t("CAPTCHA"), t("OCSP")]).apply(&mut data);
    let ids: Vec<&str> = data.manual_tests.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec!["MT-1", "MT-2"]);
    let mut plan = data.penetration_test.clone();
    plan.vectors.truncate(1);
    plan.vectors[0].applicable = false;
    plan.vectors[0].rationale = " no corporate network ".into();
    SapSectionUpdate::PenetrationTest(plan).apply(&mut data);
    assert_eq!(data.penetration_test.vectors.len(), 6);
    assert!(!data.penetration_test.vectors[0].applicable);
    assert_eq!(
        data.penetration_test.vectors[0].rationale,
        "no corporate network"
    );
}

#[test]
fn ip_addresses_and_ranges_are_recognised() {
    for ok in ["10.0.0.1", "10.0.0.0/24", "2001:db8::1", "2001:db8::/32"] {
        assert!(is_ip_or_cidr(ok), "{ok}");
    }
    for bad in ["", "10.0.0", "10.0.0.0/33", "example.com", "2001:db8::/129"] {
        assert!(!is_ip_or_cidr(bad), "{bad}");
    }
}

#[test]
fn changes_are_described_by_item_name() {
    let before = serde_json::json!([{ "name": "Prepare SAP", "start": null }]);
    let after =
        serde_json::json!([{ "name": "Prepare SAP", "start": "2026-03-02" }, { "name": "Extra" }]);
    let text = describe_change(&before, &after, 4);
    assert_eq!(text, "'Prepare SAP'.start: — → 2026-03-02; added 'Extra'");
    assert_eq!(describe_change(&before, &before, 4), "no change");
}
