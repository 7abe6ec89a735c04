//! Unit tests of the risk items, Table 2-2, the summary, the recommendation rule, the KEV reader
//! and the consistency checks.

use super::*;
use crate::scans::{AffectedAsset, AssetCoverage, CoverageSummary, ReviewStatus};
use crate::testing::{
    Closure, DeviationInfo, FindingStatus, RiskAdjustmentInfo, VendorDependencyInfo,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn finding(reference: &str, risk: RiskLevel) -> Finding {
    Finding {
        id: format!("id-{reference}"),
        reference: reference.into(),
        title: format!("Weakness {reference}"),
        description: String::new(),
        source: FindingSource::ManualTest,
        category: FindingCategory::SrtmTestCase,
        controls: vec!["AC-2".into()],
        assets: Vec::new(),
        objective_ids: Vec::new(),
        likelihood: risk,
        impact: risk,
        risk,
        effective_risk: risk,
        risk_statement: String::new(),
        recommendation: "Fix it.".into(),
        evidence_ids: vec!["ev1".into()],
        status: FindingStatus::Open,
        closure: None,
        open: true,
        risk_adjustment: None,
        false_positive: None,
        operational_requirement: None,
        vendor_dependency: None,
        cvss: None,
        library_entry_id: None,
        detected_on: day("2026-03-02"),
        created_at: "2026-03-02T10:00:00Z".into(),
        updated_at: "2026-03-02T10:00:00Z".into(),
    }
}

fn build(findings: &[Finding]) -> Vec<RiskItem> {
    let inputs = RiskInputs {
        findings,
        ..RiskInputs::default()
    };
    build_risk_items(&inputs, &PoamSettings::default())
}

fn empty_coverage() -> Coverage {
    Coverage {
        assets: Vec::new(),
        undocumented: Vec::new(),
        summary: CoverageSummary {
            in_scope: 0,
            scanned: 0,
            credentialed: 0,
            undocumented: 0,
            percent_scanned: 0.0,
            percent_credentialed: 0.0,
        },
    }
}

#[test]
fn scheduled_completion_follows_30_90_180_days_and_earlier_kev_dates() {
    let d = day("2026-03-02");
    let cases = [
        (RiskLevel::High, false, None, "2026-04-01"),
        (RiskLevel::Moderate, false, None, "2026-05-31"),
        (RiskLevel::Low, false, None, "2026-08-29"),
        (RiskLevel::Low, true, None, "2026-04-01"),
        (RiskLevel::Low, false, Some("2026-03-20"), "2026-03-20"),
        (RiskLevel::High, false, Some("2026-06-01"), "2026-04-01"),
        // A KEV due date already past at detection makes the item due on detection.
        (RiskLevel::Moderate, false, Some("2025-01-01"), "2026-03-02"),
    ];
    for (risk, critical, kev, want) in cases {
        assert_eq!(
            scheduled_completion(d, risk, critical, kev.map(day)),
            day(want),
            "{risk:?} critical={critical} kev={kev:?}"
        );
    }
}

#[test]
fn items_are_numbered_in_the_csp_scheme_high_first_then_closed() {
    let mut corrected = finding("F-003", RiskLevel::High);
    corrected.open = false;
    corrected.status = FindingStatus::CorrectedDuringTesting;
    corrected.closure = Some(Closure {
        description: "patched".into(),
        date: day("2026-03-10"),
        verification_evidence_ids: vec!["ev9".into()],
    });
    let findings = vec![
        finding("F-001", RiskLevel::Low),
        finding("F-002", RiskLevel::High),
        corrected,
    ];
    let settings = PoamSettings {
        id_prefix: "NW-".into(),
        id_start: 41,
        id_digits: 3,
        ..PoamSettings::default()
    };
    let inputs = RiskInputs {
        findings: &findings,
        ..RiskInputs::default()
    };
    let items = build_risk_items(&inputs, &settings);
    let ids: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i.poam_id.as_str(), i.name.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("NW-041", "Weakness F-002"),
            ("NW-042", "Weakness F-001"),
            ("NW-043", "Weakness F-003")
        ]
    );
    let closed = &items[2];
    assert_eq!(closed.tab, RetTab::Corrected);
    assert_eq!(closed.poam_tab, PoamTab::Closed);
    assert_eq!(closed.closed_on, Some(day("2026-03-10")));
    assert_eq!(closed.evidence_ids, ["ev1", "ev9"]);
    assert_eq!(items[0].detector_source, "Assessment Test Case");
}

#[test]
fn tabs_follow_category_and_source() {
    let mut cm6 = finding("F-001", RiskLevel::Moderate);
    cm6.category = FindingCategory::Cm6;
    let mut pl2 = finding("F-002", RiskLevel::Low);
    pl2.source = FindingSource::DocumentationReview;
    pl2.controls = vec!["PL-2".into()];
    let mut fp = finding("F-003", RiskLevel::High);
    fp.open = false;
    fp.false_positive = Some(DeviationInfo {
        status: DeviationAnswer::Yes,
        rationale: "vendor VEX says not affected".into(),
        evidence_ids: vec!["vex".into()],
    });
    let items = build(&[cm6, pl2, fp]);
    let tab = |n: &str| items.iter().find(|i| i.name.ends_with(n)).unwrap().tab;
    assert_eq!(tab("F-001"), RetTab::Configuration);
    assert_eq!(tab("F-002"), RetTab::Pl2);
    assert_eq!(tab("F-003"), RetTab::Corrected);
    assert_eq!(RetTab::Pl2.poam_tab(), PoamTab::Open);
    let fp = items.iter().find(|i| i.name.ends_with("F-003")).unwrap();
    assert_eq!(fp.false_positive, DeviationAnswer::Yes);
    assert!(fp.deviation_rationale.contains("vendor VEX"));
}

#[test]
fn table_2_2_moves_only_validated_risk_adjustments_and_counts_or_and_vd() {
    let mut ra_yes = finding("F-001", RiskLevel::High);
    ra_yes.risk_adjustment = Some(RiskAdjustmentInfo {
        status: DeviationAnswer::Yes,
        adjusted_likelihood: RiskLevel::Moderate,
        adjusted_impact: RiskLevel::High,
        adjusted_risk: RiskLevel::Moderate,
        rationale: "WAF in front".into(),
        evidence_ids: Vec::new(),
        flags: Vec::new(),
    });
    ra_yes.effective_risk = RiskLevel::Moderate;
    let mut ra_pending = ra_yes.clone();
    ra_pending.reference = "F-002".into();
    ra_pending.risk_adjustment.as_mut().unwrap().status = DeviationAnswer::Pending;
    ra_pending.effective_risk = RiskLevel::High;
    let mut or = finding("F-003", RiskLevel::Moderate);
    or.category = FindingCategory::WebScan;
    or.operational_requirement = Some(DeviationInfo {
        status: DeviationAnswer::Yes,
        rationale: "breaks login".into(),
        evidence_ids: Vec::new(),
    });
    let mut vd = finding("F-004", RiskLevel::Low);
    vd.category = FindingCategory::ContainerScan;
    vd.vendor_dependency = Some(VendorDependencyInfo {
        status: DeviationAnswer::Yes,
        product: "Base image".into(),
        last_check_in: day("2026-03-01"),
        rationale: String::new(),
        evidence_ids: Vec::new(),
        flags: Vec::new(),
    });
    let items = build(&[ra_yes, ra_pending, or, vd]);
    let t = table_2_2(&items);
    let row = |label: &str| {
        t.rows
            .iter()
            .find(|r| r.label == label)
            .unwrap()
            .counts
            .clone()
    };
    assert_eq!(row("H RA to Moderate (M)").total, 1);
    assert_eq!(row("High (H)").total, 1, "a pending RA stays High");
    assert_eq!(row("M").total, 1);
    assert_eq!(row("M").operational_requirement, 1);
    assert_eq!(row("M").web_scans, 1);
    assert_eq!(row("L").vendor_dependency, 1);
    assert_eq!(row("L").container_scans, 1);
    assert_eq!(t.total.total, 4);
    assert_eq!(t.total.srtm, 2);
    assert_eq!(t.rows.len(), 6);
    let s = summarize(&items, &[], &empty_coverage(), &[]);
    assert_eq!((s.open_high, s.open_moderate, s.open_low), (1, 2, 1));
    assert_eq!(s.pending_deviations, 1);
    assert_eq!(
        summary_sentence(&s),
        "A total of 4 system risks were identified, including 1 High, 2 Moderate, 1 Low and 1 operationally required risks."
    );
}

#[test]
fn recommend_is_refused_with_open_highs_on_an_initial_assessment_only() {
    let items = build(&[finding("F-001", RiskLevel::High)]);
    let s = summarize(&items, &[], &empty_coverage(), &[]);
    let err =
        check_recommendation(Recommendation::Recommend, AssessmentType::Initial, &s).unwrap_err();
    assert!(err.contains("1 High risk(s) remain open"), "{err}");
    assert!(
        check_recommendation(Recommendation::DoNotRecommend, AssessmentType::Initial, &s).is_ok()
    );
    assert!(check_recommendation(
        Recommendation::RecommendContinued,
        AssessmentType::Annual,
        &s
    )
    .is_ok());
    let err = check_recommendation(
        Recommendation::RecommendContinued,
        AssessmentType::Initial,
        &s,
    )
    .unwrap_err();
    assert!(err.contains("does not fit"), "{err}");
    let none = summarize(&build(&[]), &[], &empty_coverage(), &[]);
    assert!(
        check_recommendation(Recommendation::Recommend, AssessmentType::Initial, &none).is_ok()
    );
}

#[test]
fn configuration_checks_become_cm6_items_rated_by_result() {
    let checks = vec![
        ConfigurationFinding {
            check_name: "1.1 Ensure password length".into(),
            check_id: Some("CIS-1.1".into()),
            audit_file: Some("CIS_RHEL_9.audit".into()),
            result: "fail".into(),
            refs_800_53: vec!["IA-5".into()],
            hosts: vec!["10.0.0.5".into()],
            failed: 1,
            warnings: 0,
            passed: 2,
        },
        ConfigurationFinding {
            check_name: "2.2 Banner".into(),
            check_id: None,
            audit_file: None,
            result: "warning".into(),
            refs_800_53: Vec::new(),
            hosts: vec!["10.0.0.6".into()],
            failed: 0,
            warnings: 1,
            passed: 0,
        },
    ];
    let inputs = RiskInputs {
        configuration: &checks,
        configuration_detected_on: Some(day("2026-03-03")),
        ..RiskInputs::default()
    };
    let items = build_risk_items(&inputs, &PoamSettings::default());
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.tab == RetTab::Configuration));
    assert_eq!(items[0].original_risk, RiskLevel::Moderate);
    assert_eq!(items[0].controls, ["CM-6", "IA-5"]);
    assert_eq!(items[0].source_identifier, "CIS-1.1");
    assert_eq!(items[1].original_risk, RiskLevel::Low);
    assert_eq!(table_2_2(&items).total.cm6, 2);
}

#[test]
fn false_positive_weaknesses_close_with_their_rationale() {
    let w = WeaknessRow {
        id: 7,
        key: "nessus:1".into(),
        tool: "Nessus".into(),
        plugin_id: "12345".into(),
        name: "OpenSSL issue".into(),
        kind: "vulnerability".into(),
        severity: "critical".into(),
        fedramp_risk: Some(RiskLevel::High),
        cvss: Vec::new(),
        cves: vec!["CVE-2024-0001".into()],
        correlated: Vec::new(),
        first_seen: "2026-03-04T00:00:00Z".into(),
        last_seen: "2026-03-05T00:00:00Z".into(),
        review: ReviewStatus::FalsePositive,
        merged_into: None,
        review_rationale: "backported patch".into(),
        review_evidence: vec!["ev2".into()],
        library_entry_id: None,
        finding_id: None,
        assets: vec![AffectedAsset {
            label: "10.0.0.5".into(),
            inventory_uuid: None,
            instances: 1,
        }],
        instance_count: 1,
        asset_count: 1,
        synopsis: Some("Old OpenSSL".into()),
        solution: Some("Upgrade".into()),
    };
    let kev = HashMap::from([("CVE-2024-0001".to_owned(), day("2026-03-20"))]);
    let fps = [w];
    let inputs = RiskInputs {
        false_positives: &fps,
        kev,
        ..RiskInputs::default()
    };
    let items = build_risk_items(&inputs, &PoamSettings::default());
    let i = &items[0];
    assert_eq!(i.tab, RetTab::Corrected);
    assert_eq!(i.false_positive, DeviationAnswer::Yes);
    assert!(i.critical);
    assert_eq!(i.kev_due, Some(day("2026-03-20")));
    assert_eq!(i.scheduled_completion, day("2026-03-20"));
    assert_eq!(i.evidence_ids, ["ev2"]);
    let s = summarize(&items, &[], &empty_coverage(), &[]);
    assert_eq!((s.open_total, s.false_positives, s.corrected), (0, 1, 0));
}

#[test]
fn cve_ids_are_found_in_text() {
    assert_eq!(
        cves_in("see CVE-2021-44228 and CVE-2023-12345, not CVE-12 or CVE-2020-"),
        ["CVE-2021-44228", "CVE-2023-12345"]
    );
}

#[test]
fn kev_catalog_reads_and_bad_entries_are_named() {
    let good = br#"{"title":"CISA KEV","catalogVersion":"2026.03.01","dateReleased":"2026-03-01T12:00:00Z","count":1,
        "vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache","product":"Log4j2","vulnerabilityName":"Log4Shell",
        "dateAdded":"2021-12-10","shortDescription":"x","requiredAction":"y","dueDate":"2021-12-24","knownRansomwareCampaignUse":"Known","notes":"","cwes":["CWE-20"]}]}"#;
    let (version, _, entries) = parse_kev_catalog(good, "kev.json").unwrap();
    assert_eq!(version, "2026.03.01");
    assert_eq!(entries[0].cve, "CVE-2021-44228");
    assert_eq!(entries[0].due_date, day("2021-12-24"));

    let bad_date = br#"{"catalogVersion":"1","dateReleased":"x","vulnerabilities":[{"cveID":"CVE-2021-1","dateAdded":"2021-12-10","dueDate":"soon"}]}"#;
    let err = parse_kev_catalog(bad_date, "kev.json").unwrap_err();
    assert!(
        err.contains("kev.json: $.vulnerabilities[0].dueDate"),
        "{err}"
    );
    // A repeated key, at the top or in an entry, is refused with the line, key and object.
    for (text, want) in [
        (
            "{\"catalogVersion\":\"1\",\n\"catalogVersion\":\"2\",\"dateReleased\":\"x\",\"vulnerabilities\":[]}",
            "kev.json: line 2 column 1: not a usable KEV catalog: duplicate key \"catalogVersion\" in the object at $",
        ),
        (
            "{\"catalogVersion\":\"1\",\"dateReleased\":\"x\",\"vulnerabilities\":[{\"cveID\":\"CVE-2021-1\",\n\"dateAdded\":\"2021-12-10\",\"dueDate\":\"2021-12-24\",\"dueDate\":\"2031-12-24\"}]}",
            "kev.json: line 2 column 49: not a usable KEV catalog: duplicate key \"dueDate\" in the object at $.vulnerabilities[0]",
        ),
    ] {
        assert_eq!(parse_kev_catalog(text.as_bytes(), "kev.json").unwrap_err(), want);
    }
    // A depth bomb and a 5 KB number are refused before parsing, naming the place.
    let deep = format!(
        "{{\"vulnerabilities\": {}{}}}",
        "[".repeat(500),
        "]".repeat(500)
    );
    let err = parse_kev_catalog(deep.as_bytes(), "kev.json").unwrap_err();
    assert!(err.contains("nesting deeper than 100 levels"), "{err}");
    let long = format!("{{\"count\": {}}}", "9".repeat(5000));
    let err = parse_kev_catalog(long.as_bytes(), "kev.json").unwrap_err();
    assert!(err.contains("the value at $.count is longer than"), "{err}");
    let not_kev = br#"{"catalog": []}"#;
    let err = parse_kev_catalog(not_kev, "x.json").unwrap_err();
    assert!(err.starts_with("x.json: line 1 column"), "{err}");
}

fn test_row(objective: &str, result: TestResult) -> TestRow {
    TestRow {
        objective_id: objective.into(),
        objective_label: objective.into(),
        objective_text: String::new(),
        control_id: "ac-2".into(),
        control_label: "AC-2".into(),
        family_id: "ac".into(),
        baseline_methods: Vec::new(),
        methods: Vec::new(),
        examined: String::new(),
        interviewed: String::new(),
        tested: String::new(),
        observations: String::new(),
        result,
        assessor: String::new(),
        tested_on: None,
        evidence_ids: Vec::new(),
        finding_ids: Vec::new(),
        no_finding_reason: String::new(),
        outside_window: false,
        updated_at: None,
    }
}

fn codes(checks: &[ConsistencyCheck]) -> Vec<(&str, CheckSeverity)> {
    checks
        .iter()
        .map(|c| (c.code.as_str(), c.severity))
        .collect()
}

#[test]
fn consistency_checks_name_each_problem_with_a_fix() {
    let mut answered = finding("F-001", RiskLevel::Moderate);
    answered.objective_ids = vec!["ac-2_obj.a".into()];
    let mut no_evidence = finding("F-002", RiskLevel::Low);
    no_evidence.evidence_ids.clear();
    let findings = vec![answered, no_evidence];
    let items = build(&findings);
    let tests = vec![
        test_row("ac-2_obj.a", TestResult::OtherThanSatisfied),
        test_row("ac-2_obj.b", TestResult::OtherThanSatisfied),
        test_row("ac-2_obj.c", TestResult::Satisfied),
        test_row("ac-2_obj.d", TestResult::Untested),
    ];
    let mut coverage = empty_coverage();
    coverage.assets.push(AssetCoverage {
        inventory_uuid: "inv-1".into(),
        asset_id: Some("web-01".into()),
        address: "10.0.0.9".into(),
        scanned: false,
        tools: Vec::new(),
        credentialed: None,
        explanation: "not found in any imported scan".into(),
        note: String::new(),
    });
    let summary = summarize(&items, &tests, &coverage, &[]);
    assert_eq!(summary.controls_assessed, 1, "ac-2 has tested objectives");
    let untested_only = summarize(&items, &tests[3..], &coverage, &[]);
    assert_eq!(
        untested_only.controls_assessed, 0,
        "no result, not assessed"
    );
    let table = table_2_2(&items);
    let rows: Vec<(String, RiskLevel, String)> = items
        .iter()
        .map(|i| {
            (
                i.poam_id.clone(),
                i.original_risk,
                i.detector_source.clone(),
            )
        })
        .collect();
    let mut poam_rows = rows.clone();
    poam_rows[1].1 = RiskLevel::High;
    let inputs = CheckInputs {
        items: &items,
        findings: &findings,
        tests: &tests,
        coverage: &coverage,
        pending_weaknesses: 2,
        summary: &summary,
        table: &table,
        recommendation: None,
        assessment_type: AssessmentType::Initial,
        sap_signed: false,
        ret_rows: rows.clone(),
        poam_rows,
    };
    let checks = check_consistency(&inputs);
    use CheckSeverity::{Error, Warning};
    assert_eq!(
        codes(&checks),
        [
            ("SAR-001", Error),
            ("SAR-002", Error),
            ("SAR-004", Error),
            ("SAR-005", Error),
            ("SAR-006", Error),
            ("SAR-007", Error),
            ("SAR-008", Warning),
            ("SAR-009", Warning),
        ]
    );
    assert!(checks[1].message.contains("ac-2_obj.b"));
    assert!(checks[2].message.contains("F-002"));
    assert!(checks[3].message.contains("web-01"));
    assert!(checks
        .iter()
        .all(|c| !c.hint.is_empty() && !c.page.is_empty()));

    // Fixed data: a reason for the unanswered objective, a note for the asset, evidence, a
    // recommendation and a signed SAP leave only the reason as a warning and the untested row.
    let mut tests = tests;
    tests[1].no_finding_reason = "duplicate of ac-2_obj.a".into();
    coverage.assets[0].note = "decommissioned before testing".into();
    let mut findings = findings;
    findings[1].evidence_ids = vec!["ev3".into()];
    let items = build(&findings);
    let summary = summarize(&items, &tests, &coverage, &[]);
    let table = table_2_2(&items);
    let rows: Vec<(String, RiskLevel, String)> = items
        .iter()
        .map(|i| {
            (
                i.poam_id.clone(),
                i.original_risk,
                i.detector_source.clone(),
            )
        })
        .collect();
    let mut bad_table = table.clone();
    bad_table.total.total += 1;
    let fixed = CheckInputs {
        items: &items,
        findings: &findings,
        tests: &tests,
        coverage: &coverage,
        pending_weaknesses: 0,
        summary: &summary,
        table: &table,
        recommendation: Some(Recommendation::Recommend),
        assessment_type: AssessmentType::Initial,
        sap_signed: true,
        ret_rows: rows.clone(),
        poam_rows: rows,
    };
    assert_eq!(
        codes(&check_consistency(&fixed)),
        [("SAR-002", Warning), ("SAR-008", Warning)]
    );
    let miscounted = CheckInputs {
        table: &bad_table,
        ..fixed
    };
    assert!(codes(&check_consistency(&miscounted)).contains(&("SAR-003", Error)));
}
