//! Testing during the freeze through the core API: the freeze hash and drift, control test rows,
//! the evidence store, findings with the FedRAMP risk rules, and the finding library.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assay_core::api::ImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::model::ids::{EvidenceId, FindingId, LibraryEntryId, ObjectiveId};
use assay_core::model::testing::{
    Closure, DeviationAnswer, DeviationInput, EvidenceMeta, FindingStatus, FindingUpdate,
    LinkTarget, NewFinding, RiskAdjustmentInput, RiskLevel, TestFilter, TestMethod, TestResult,
    TestUpdate, VendorDependencyInput,
};
use assay_core::model::NewEngagement;
use assay_core::{Context, Error, Session};
use chrono::NaiveDate;
use sha2::Digest;

/// In the shared sample data's oscal folder (tests reading them start with `require_shared_data!`).
const NIST_JSON: &str = "nist-examples/ssp/json/ssp-example.json";
const NIST_XML: &str = "nist-examples/ssp/xml/ssp-example.xml";
const MINI_CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mini-catalog.json"
);
/// The NIST example SSP's logging server.
const LOGGING_SERVER: &str = "c9c32657-a0eb-4cf2-b5c1-20928983063c";

use RiskLevel::{High, Low, Moderate};

fn context() -> Context {
    let start = chrono::DateTime::parse_from_rfc3339("2026-02-02T10:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(7)),
        actor: "tester".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn create(dir: &Path, name: &str) -> Session {
    Session::create(
        &dir.join(format!("{name}.assay")),
        &NewEngagement::named("Example Cloud"),
        context(),
    )
    .unwrap()
}

fn import_ssp_bytes(s: &mut Session, name: &str, bytes: &[u8]) {
    let staged = s.stage_ssp(name, bytes, &ImportOptions::default()).unwrap();
    s.apply_ssp(staged).unwrap();
}

fn shared(rel: &str) -> PathBuf {
    assay_testkit::shared("oscal").join(rel)
}

fn import_ssp(s: &mut Session, rel: &str) {
    let bytes = std::fs::read(shared(rel)).unwrap();
    import_ssp_bytes(s, rel, &bytes);
}

/// An engagement with the mini catalog loaded (5 objectives in AC and AU).
fn with_baseline(dir: &Path, name: &str) -> Session {
    let mut s = create(dir, name);
    let bytes = std::fs::read(MINI_CATALOG).unwrap();
    s.import_baseline("mini-catalog.json", &bytes, &ImportOptions::default())
        .unwrap();
    s
}

fn field_of(e: Error) -> String {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other}"),
    }
}

// ----- freeze -----

#[test]
fn the_freeze_hash_is_the_same_for_json_and_xml_and_changes_with_the_content() {
    assay_testkit::require_shared_data!("oscal/nist-examples");
    let dir = tempfile::tempdir().unwrap();
    let (start, end) = (day("2026-02-01"), day("2026-02-28"));
    let mut a = create(dir.path(), "a");
    import_ssp(&mut a, NIST_JSON);
    let mut b = create(dir.path(), "b");
    import_ssp(&mut b, NIST_XML);
    let fa = a.freeze(start, end).unwrap();
    let fb = b.freeze(start, end).unwrap();
    assert_eq!(fa.sha256.len(), 64);
    assert_eq!(fa.sha256, fb.sha256, "JSON and XML forms of one SSP");
    assert_eq!(fa.window.start, start);
    assert_eq!(fa.actor, "tester");

    // Another window is another baseline.
    let other = b.freeze(start, day("2026-03-31")).unwrap();
    assert_ne!(other.sha256, fa.sha256);

    // A changed component title changes the hash.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared(NIST_JSON)).unwrap()).unwrap();
    doc["system-security-plan"]["system-implementation"]["components"][0]["title"] =
        "A renamed component".into();
    let mut c = create(dir.path(), "c");
    import_ssp_bytes(&mut c, "changed.json", &serde_json::to_vec(&doc).unwrap());
    let fc = c.freeze(start, end).unwrap();
    assert_ne!(fc.sha256, fa.sha256);

    // A freeze needs an SSP and a sane window.
    let mut empty = create(dir.path(), "empty");
    assert!(matches!(
        empty.freeze(start, end),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(field_of(a.freeze(end, start).unwrap_err()), "test window");
}

#[test]
fn a_re_import_after_the_freeze_is_recorded_as_drift() {
    assay_testkit::require_shared_data!("oscal/nist-examples");
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "drift");
    import_ssp(&mut s, NIST_JSON);
    assert!(s.drift().unwrap().is_empty());
    let freeze = s.freeze(day("2026-02-01"), day("2026-02-28")).unwrap();

    // The same content from the XML file: drift, but matching the freeze.
    import_ssp(&mut s, NIST_XML);
    // Then a real change.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared(NIST_JSON)).unwrap()).unwrap();
    doc["system-security-plan"]["system-implementation"]["components"][0]["title"] =
        "A renamed component".into();
    import_ssp_bytes(&mut s, "changed.json", &serde_json::to_vec(&doc).unwrap());

    let drift = s.drift().unwrap();
    assert_eq!(drift.len(), 2);
    assert!(drift[0].matches_freeze);
    assert_eq!(drift[0].content_sha256, freeze.sha256);
    assert!(!drift[1].matches_freeze);
    assert_eq!(drift[1].freeze_id, freeze.id);
    assert_eq!(drift[1].actor, "tester");
    assert_eq!(drift[1].source_name, "changed.json");
    assert_eq!(drift[1].changes.components.len(), 1);
    assert!(
        drift[1].summary.contains("1 component"),
        "{}",
        drift[1].summary
    );
    let log = s.audit_log().unwrap();
    assert_eq!(log.iter().filter(|r| r.entity == "drift").count(), 2);
}

// ----- control tests -----

#[test]
fn every_assessable_objective_has_a_row_and_results_count_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "rows");
    let rows = s.test_rows(&TestFilter::default()).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.objective_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ac-1_obj.a",
            "ac-1_obj.b",
            "ac-2_obj.a",
            "au-2_obj.a",
            "au-2_obj.b"
        ]
    );
    assert!(rows.iter().all(|r| r.result == TestResult::Untested));

    let row = s
        .record_test(&TestUpdate {
            objective_id: "ac-1_obj.a".into(),
            methods: Some(vec![TestMethod::Interview, TestMethod::Examine]),
            examined: Some("Access control policy v3".into()),
            interviewed: Some("ISSO".into()),
            observations: Some("Policy exists and is approved.".into()),
            result: Some(TestResult::Satisfied),
            ..TestUpdate::default()
        })
        .unwrap();
    assert_eq!(row.result, TestResult::Satisfied);
    assert_eq!(row.methods, [TestMethod::Examine, TestMethod::Interview]);
    assert_eq!(row.assessor, "tester");
    assert_eq!(row.tested_on, Some(day("2026-02-02")));

    let bulk = s
        .set_results(
            &["au-2_obj.a".into(), "au-2_obj.b".into()],
            TestResult::OtherThanSatisfied,
            Some("covered by the inherited logging service's POA&M item"),
        )
        .unwrap();
    assert_eq!(bulk.len(), 2);

    let p = s.test_progress().unwrap();
    assert_eq!(
        (
            p.overall.total,
            p.overall.satisfied,
            p.overall.other_than_satisfied,
            p.overall.untested
        ),
        (5, 1, 2, 2)
    );
    assert!((p.overall.percent_done - 60.0).abs() < 1e-9);
    let fams: Vec<(&str, u32, u32)> = p
        .families
        .iter()
        .map(|f| (f.family_id.as_str(), f.counts.total, f.counts.untested))
        .collect();
    assert_eq!(fams, [("ac", 3, 2), ("au", 2, 0)]);
    assert_eq!(p.families[1].family_title, "Audit and Accountability");

    let filter = |f: TestFilter| s.test_rows(&f).unwrap().len();
    assert_eq!(
        filter(TestFilter {
            family: Some("AU".into()),
            ..TestFilter::default()
        }),
        2
    );
    assert_eq!(
        filter(TestFilter {
            untested_only: true,
            ..TestFilter::default()
        }),
        2
    );
    assert_eq!(
        filter(TestFilter {
            result: Some(TestResult::Satisfied),
            ..TestFilter::default()
        }),
        1
    );
    assert_eq!(
        filter(TestFilter {
            assessor: Some("tester".into()),
            ..TestFilter::default()
        }),
        3
    );
    assert_eq!(s.info().unwrap().counts.test_results, 3);
    assert!(matches!(
        s.record_test(&TestUpdate {
            objective_id: "zz-9_obj".into(),
            ..TestUpdate::default()
        }),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn other_than_satisfied_needs_a_finding_or_a_reason_and_gaps_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "ots");
    let ots = TestUpdate {
        objective_id: "ac-2_obj.a".into(),
        result: Some(TestResult::OtherThanSatisfied),
        ..TestUpdate::default()
    };
    assert_eq!(field_of(s.record_test(&ots).unwrap_err()), "result");
    assert_eq!(s.info().unwrap().counts.test_results, 0, "nothing stored");

    // With a finding naming the objective it is accepted.
    let mut new = NewFinding::new("Account types undefined", Moderate, Moderate);
    new.objective_ids = vec!["ac-2_obj.a".into()];
    new.controls = vec!["AC-2".into()];
    let f = s.add_finding(&new).unwrap();
    assert_eq!(f.controls, ["ac-2"]);
    let row = s.record_test(&ots).unwrap();
    assert_eq!(row.finding_ids, vec![f.id.clone()]);
    assert!(s.test_gaps().unwrap().is_empty());

    // Unlinking the finding leaves an other-than-satisfied row without one: listed.
    s.update_finding(
        &FindingId::from(f.id.as_str()),
        &FindingUpdate {
            objective_ids: Some(Vec::new()),
            ..FindingUpdate::default()
        },
    )
    .unwrap();
    let gaps = s.test_gaps().unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].objective_id.as_str(), gaps[0].code.as_str()),
        ("ac-2_obj.a", "no-finding")
    );

    // A reason settles it.
    s.record_test(&TestUpdate {
        objective_id: "ac-2_obj.a".into(),
        no_finding_reason: Some("risk accepted in the SSP".into()),
        ..TestUpdate::default()
    })
    .unwrap();
    assert!(s.test_gaps().unwrap().is_empty());
}

#[test]
fn results_dated_outside_the_frozen_window_are_flagged() {
    assay_testkit::require_shared_data!("oscal/nist-examples");
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "window");
    import_ssp(&mut s, NIST_JSON);
    s.freeze(day("2026-02-01"), day("2026-02-28")).unwrap();
    let inside = s
        .record_test(&TestUpdate {
            objective_id: "ac-1_obj.a".into(),
            result: Some(TestResult::Satisfied),
            ..TestUpdate::default()
        })
        .unwrap();
    assert!(!inside.outside_window);
    let outside = s
        .record_test(&TestUpdate {
            objective_id: "ac-1_obj.b".into(),
            result: Some(TestResult::Satisfied),
            tested_on: Some(day("2026-03-15")),
            ..TestUpdate::default()
        })
        .unwrap();
    assert!(outside.outside_window);
    let gaps = s.test_gaps().unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].code, "outside-window");
    assert_eq!(gaps[0].objective_id, "ac-1_obj.b");
}

// ----- evidence -----

#[test]
fn the_same_bytes_are_stored_once_and_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "ev");
    // Larger than one 64 KiB chunk and not a multiple of it.
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let first = dir.path().join("config-export.txt");
    std::fs::write(&first, &bytes).unwrap();
    let copy = dir.path().join("copy.txt");
    std::fs::write(&copy, &bytes).unwrap();
    let expected = hex::encode(sha2::Sha256::digest(&bytes));

    let a = s
        .add_evidence(
            &first,
            &EvidenceMeta {
                title: Some("Firewall configuration".into()),
                collected_from: "fw-01".into(),
                source: "CLI export".into(),
                ..EvidenceMeta::default()
            },
        )
        .unwrap();
    assert_eq!(a.sha256, expected);
    assert!(!a.stored_once);
    assert_eq!(a.item.size, 200_000.0);
    assert_eq!(a.item.title, "Firewall configuration");
    assert_eq!(a.item.collected_by, "tester");
    let blob = s
        .evidence_dir()
        .join("sha256")
        .join(&expected[..2])
        .join(&expected);
    assert_eq!(std::fs::read(&blob).unwrap(), bytes);

    let b = s.add_evidence(&copy, &EvidenceMeta::default()).unwrap();
    assert!(b.stored_once);
    assert_eq!(
        b.item.title, "Firewall configuration",
        "first metadata kept"
    );
    assert_eq!(s.list_evidence().unwrap().len(), 1);
    assert_eq!(s.info().unwrap().counts.evidence, 1);
    let files: Vec<_> = std::fs::read_dir(blob.parent().unwrap()).unwrap().collect();
    assert_eq!(files.len(), 1, "one file for one content");

    // Links and exports go to the custody log.
    s.link_evidence(
        &LinkTarget::Objective("ac-1_obj.a".into()),
        &EvidenceId::from(expected.as_str()),
    )
    .unwrap();
    s.link_evidence(
        &LinkTarget::Objective("ac-1_obj.a".into()),
        &EvidenceId::from(expected.as_str()),
    )
    .unwrap();
    assert_eq!(
        s.test_row(&ObjectiveId::from("ac-1_obj.a"))
            .unwrap()
            .evidence_ids,
        vec![expected.clone()]
    );
    let out = dir.path().join("exported.txt");
    s.export_evidence(&EvidenceId::from(expected.as_str()), &out)
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    let actions: Vec<String> = s
        .custody_log(Some(&EvidenceId::from(&*expected)))
        .unwrap()
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(actions, ["add", "add", "link", "export"]);

    assert!(s.verify_evidence().unwrap().is_empty());
    let mut tampered = bytes.clone();
    tampered[100_000] ^= 1;
    std::fs::write(&blob, &tampered).unwrap();
    let problems = s.verify_evidence().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (
            problems[0].id.as_str(),
            problems[0].problem.as_str(),
            problems[0].title.as_str()
        ),
        (expected.as_str(), "changed", "Firewall configuration")
    );
    std::fs::remove_file(&blob).unwrap();
    assert_eq!(s.verify_evidence().unwrap()[0].problem, "missing");

    assert!(matches!(
        s.link_evidence(
            &LinkTarget::Objective("ac-1_obj.a".into()),
            &EvidenceId::from("0000")
        ),
        Err(Error::NotFound { .. })
    ));
    assert!(s
        .add_evidence(&dir.path().join("absent.txt"), &EvidenceMeta::default())
        .is_err());
}

// ----- findings and the risk rules -----

#[test]
fn all_nine_risk_matrix_cells_through_the_finding_api() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "matrix");
    // FedRAMP SAR Table 3-6: likelihood × impact.
    let cells = [
        (High, Low, Low),
        (High, Moderate, Moderate),
        (High, High, High),
        (Moderate, Low, Low),
        (Moderate, Moderate, Moderate),
        (Moderate, High, Moderate),
        (Low, Low, Low),
        (Low, Moderate, Low),
        (Low, High, Low),
    ];
    for (likelihood, impact, risk) in cells {
        let f = s
            .add_finding(&NewFinding::new("cell", likelihood, impact))
            .unwrap();
        assert_eq!(f.risk, risk, "{likelihood} × {impact}");
        assert_eq!(f.effective_risk, risk);
        assert!(f.open);
    }
    let all = s.list_findings().unwrap();
    assert_eq!(all.len(), 9);
    assert_eq!(all[8].reference, "F-009");
    assert_eq!(s.info().unwrap().counts.findings, 9);
    // Changing the impact recomputes the risk.
    let f = s
        .update_finding(
            &FindingId::from(all[0].id.as_str()),
            &FindingUpdate {
                impact: Some(High),
                ..FindingUpdate::default()
            },
        )
        .unwrap();
    assert_eq!(f.risk, High);
}

fn ra(status: DeviationAnswer, l: RiskLevel, i: RiskLevel, why: &str) -> FindingUpdate {
    FindingUpdate {
        risk_adjustment: Some(RiskAdjustmentInput {
            status,
            adjusted_likelihood: l,
            adjusted_impact: i,
            rationale: why.into(),
            evidence_ids: Vec::new(),
        }),
        ..FindingUpdate::default()
    }
}

#[test]
fn risk_adjustments_follow_the_fedramp_rules_and_keep_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "ra");
    let high = s
        .add_finding(&NewFinding::new("High one", High, High))
        .unwrap();

    // One level with a rationale: accepted; the original stays beside the adjusted rating.
    let f = s
        .update_finding(
            &FindingId::from(high.id.as_str()),
            &ra(
                DeviationAnswer::Yes,
                Moderate,
                High,
                "WAF blocks the vector",
            ),
        )
        .unwrap();
    assert_eq!((f.likelihood, f.impact, f.risk), (High, High, High));
    let adj = f.risk_adjustment.clone().unwrap();
    assert_eq!(
        (adj.adjusted_likelihood, adj.adjusted_risk),
        (Moderate, Moderate)
    );
    assert_eq!(f.effective_risk, Moderate);
    assert!(adj.flags.is_empty());

    // Pending without a rationale: accepted but flagged; Yes without one: refused.
    let f = s
        .update_finding(
            &FindingId::from(high.id.as_str()),
            &ra(DeviationAnswer::Pending, Moderate, High, ""),
        )
        .unwrap();
    assert_eq!(f.risk_adjustment.unwrap().flags, ["no-rationale"]);
    assert_eq!(
        f.effective_risk, High,
        "a pending adjustment does not count yet"
    );
    assert_eq!(
        field_of(
            s.update_finding(
                &FindingId::from(high.id.as_str()),
                &ra(DeviationAnswer::Yes, Moderate, High, "")
            )
            .unwrap_err()
        ),
        "risk adjustment"
    );

    // High to Low: refused without a reason, accepted with one and flagged.
    assert_eq!(
        field_of(
            s.update_finding(
                &FindingId::from(high.id.as_str()),
                &ra(DeviationAnswer::Pending, Low, High, "")
            )
            .unwrap_err()
        ),
        "risk adjustment"
    );
    let f = s
        .update_finding(
            &FindingId::from(high.id.as_str()),
            &ra(
                DeviationAnswer::Pending,
                Low,
                High,
                "compensating control X",
            ),
        )
        .unwrap();
    assert_eq!(f.risk_adjustment.unwrap().flags, ["high-to-low"]);

    // Raising a factor or leaving the rating unchanged is refused.
    let low = s
        .add_finding(&NewFinding::new("Low one", Moderate, Low))
        .unwrap();
    assert!(s
        .update_finding(
            &FindingId::from(low.id.as_str()),
            &ra(DeviationAnswer::Yes, High, Low, "x")
        )
        .is_err());
    assert!(s
        .update_finding(
            &FindingId::from(high.id.as_str()),
            &ra(DeviationAnswer::Yes, High, High, "x")
        )
        .is_err());

    // Status No removes the adjustment.
    let f = s
        .update_finding(
            &FindingId::from(high.id.as_str()),
            &ra(DeviationAnswer::No, High, High, ""),
        )
        .unwrap();
    assert!(f.risk_adjustment.is_none());
    assert_eq!(f.effective_risk, High);
}

fn dev(status: DeviationAnswer, why: &str) -> DeviationInput {
    DeviationInput {
        status,
        rationale: why.into(),
        evidence_ids: Vec::new(),
    }
}

#[test]
fn false_positive_and_operational_requirement_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "fp-or");
    let f = s
        .add_finding(&NewFinding::new("Scanner says so", High, High))
        .unwrap();

    // False positive: needs a rationale; validated (Yes) closes the risk.
    let fp = |d| FindingUpdate {
        false_positive: Some(d),
        ..FindingUpdate::default()
    };
    assert_eq!(
        field_of(
            s.update_finding(
                &FindingId::from(f.id.as_str()),
                &fp(dev(DeviationAnswer::Yes, " "))
            )
            .unwrap_err()
        ),
        "false positive"
    );
    let pending = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &fp(dev(DeviationAnswer::Pending, "vendor VEX")),
        )
        .unwrap();
    assert!(pending.open);
    let yes = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &fp(dev(DeviationAnswer::Yes, "vendor VEX")),
        )
        .unwrap();
    assert!(!yes.open);
    s.update_finding(
        &FindingId::from(f.id.as_str()),
        &fp(dev(DeviationAnswer::No, "")),
    )
    .unwrap();

    // Operational requirement: refused on a High, accepted once risk-adjusted to Moderate.
    let or = |d| FindingUpdate {
        operational_requirement: Some(d),
        ..FindingUpdate::default()
    };
    assert_eq!(
        field_of(
            s.update_finding(
                &FindingId::from(f.id.as_str()),
                &or(dev(DeviationAnswer::Pending, "breaks login"))
            )
            .unwrap_err()
        ),
        "operational requirement"
    );
    s.update_finding(
        &FindingId::from(f.id.as_str()),
        &ra(DeviationAnswer::Yes, Moderate, High, "segmented network"),
    )
    .unwrap();
    let ok = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &or(dev(DeviationAnswer::Pending, "breaks login")),
        )
        .unwrap();
    assert_eq!(
        ok.operational_requirement.unwrap().status,
        DeviationAnswer::Pending
    );
    assert!(ok.open, "an operational requirement stays open");
    // Removing the adjustment would leave an OR on a High: refused, nothing stored.
    assert!(s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &ra(DeviationAnswer::No, High, High, "")
        )
        .is_err());
    assert!(s
        .get_finding(&FindingId::from(f.id.as_str()))
        .unwrap()
        .risk_adjustment
        .is_some());

    let m = s
        .add_finding(&NewFinding::new("Moderate", Moderate, Moderate))
        .unwrap();
    assert_eq!(
        field_of(
            s.update_finding(
                &FindingId::from(m.id.as_str()),
                &or(dev(DeviationAnswer::Yes, ""))
            )
            .unwrap_err()
        ),
        "operational requirement"
    );
    assert!(s
        .update_finding(
            &FindingId::from(m.id.as_str()),
            &or(dev(DeviationAnswer::Yes, "legacy clients"))
        )
        .is_ok());
}

#[test]
fn vendor_dependency_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "vd");
    let mut new = NewFinding::new("Unpatched appliance", High, High);
    new.detected_on = Some(day("2025-12-01"));
    let f = s.add_finding(&new).unwrap();
    let vd = |product: &str, check_in: Option<&str>| FindingUpdate {
        vendor_dependency: Some(VendorDependencyInput {
            status: DeviationAnswer::Yes,
            product: product.into(),
            last_check_in: check_in.map(day),
            rationale: String::new(),
            evidence_ids: Vec::new(),
        }),
        ..FindingUpdate::default()
    };
    assert_eq!(
        field_of(
            s.update_finding(&FindingId::from(f.id.as_str()), &vd("", Some("2026-01-20")))
                .unwrap_err()
        ),
        "vendor dependency"
    );
    assert_eq!(
        field_of(
            s.update_finding(&FindingId::from(f.id.as_str()), &vd("Acme LB", None))
                .unwrap_err()
        ),
        "vendor dependency"
    );
    // Today is 2026-02-02 (the test clock): a check-in after it is refused.
    assert!(s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &vd("Acme LB", Some("2026-03-01"))
        )
        .is_err());
    let ok = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &vd(" Acme LB ", Some("2025-12-15")),
        )
        .unwrap();
    let info = ok.vendor_dependency.unwrap();
    assert_eq!(info.product, "Acme LB");
    assert_eq!(
        info.flags,
        ["high-vendor-dependency-overdue", "vendor-check-in-overdue"]
    );
}

#[test]
fn closure_cvss_references_and_the_audit_log() {
    assay_testkit::require_shared_data!("oscal/nist-examples");
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "misc");
    import_ssp(&mut s, NIST_JSON);
    let mut new = NewFinding::new("Weak TLS", Moderate, High);
    new.assets = vec![LOGGING_SERVER.into()];
    new.cvss_vector = Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into());
    let f = s.add_finding(&new).unwrap();
    let cvss = f.cvss.clone().unwrap();
    assert_eq!(
        (cvss.base_score, cvss.base_severity.as_str()),
        (9.8, "Critical")
    );
    assert_eq!(
        f.risk, Moderate,
        "the risk comes from likelihood × impact, not CVSS"
    );

    let mut bad = NewFinding::new("x", Low, Low);
    bad.cvss_vector = Some("CVSS:3.1/AV:Q".into());
    assert_eq!(field_of(s.add_finding(&bad).unwrap_err()), "cvss vector");
    let mut bad = NewFinding::new("x", Low, Low);
    bad.assets = vec!["not-an-asset".into()];
    assert_eq!(field_of(s.add_finding(&bad).unwrap_err()), "assets");
    let mut bad = NewFinding::new("x", Low, Low);
    bad.controls = vec!["zz-1".into()];
    assert_eq!(field_of(s.add_finding(&bad).unwrap_err()), "controls");
    assert_eq!(
        field_of(s.add_finding(&NewFinding::new(" ", Low, Low)).unwrap_err()),
        "title"
    );

    // Corrected during testing needs a closure.
    let close = FindingUpdate {
        status: Some(FindingStatus::CorrectedDuringTesting),
        ..FindingUpdate::default()
    };
    assert_eq!(
        field_of(
            s.update_finding(&FindingId::from(f.id.as_str()), &close)
                .unwrap_err()
        ),
        "status"
    );
    let closed = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &FindingUpdate {
                status: Some(FindingStatus::CorrectedDuringTesting),
                closure: Some(Closure {
                    description: "TLS 1.0 disabled; re-scan clean".into(),
                    date: day("2026-02-10"),
                    verification_evidence_ids: Vec::new(),
                }),
                ..FindingUpdate::default()
            },
        )
        .unwrap();
    assert!(!closed.open);
    let reopened = s
        .update_finding(
            &FindingId::from(f.id.as_str()),
            &FindingUpdate {
                status: Some(FindingStatus::Open),
                ..FindingUpdate::default()
            },
        )
        .unwrap();
    assert!(reopened.open && reopened.closure.is_none());

    let log = s.audit_log().unwrap();
    // Added, closed, reopened: refused changes leave no record.
    assert_eq!(log.iter().filter(|r| r.entity == "finding").count(), 3);
    assert!(s.verify_audit_log().unwrap().is_intact());
}

#[test]
fn a_library_entry_applies_to_a_finding_in_one_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_baseline(dir.path(), "lib");
    let mut new = NewFinding::new("Missing MFA for admins", High, High);
    new.description = "Administrators log in with a password only.".into();
    new.recommendation = "Require phishing-resistant MFA.".into();
    new.controls = vec!["ac-2".into()];
    let source = s.add_finding(&new).unwrap();
    let entry = s
        .library_entry_from_finding(&FindingId::from(source.id.as_str()))
        .unwrap();
    assert_eq!(entry.title, "Missing MFA for admins");
    assert_eq!(s.list_library().unwrap().len(), 1);

    let target = s.add_finding(&NewFinding::new("draft", Low, Low)).unwrap();
    let applied = s
        .apply_library_entry(
            &FindingId::from(target.id.as_str()),
            &LibraryEntryId::from(entry.id.as_str()),
        )
        .unwrap();
    assert_eq!(applied.title, "Missing MFA for admins");
    assert_eq!(applied.recommendation, "Require phishing-resistant MFA.");
    assert_eq!(
        (applied.likelihood, applied.impact, applied.risk),
        (High, High, High)
    );
    assert_eq!(applied.controls, ["ac-2"]);
    assert_eq!(applied.library_entry_id.as_deref(), Some(entry.id.as_str()));
    assert!(matches!(
        s.apply_library_entry(
            &FindingId::from(target.id.as_str()),
            &LibraryEntryId::from("nope")
        ),
        Err(Error::NotFound { .. })
    ));
    let log = s.audit_log().unwrap();
    assert!(log
        .iter()
        .any(|r| r.summary.contains("applied library entry")));
}

#[test]
fn finding_evidence_links_are_logged_in_custody() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "fev");
    let file = dir.path().join("screenshot.png");
    std::fs::write(&file, b"not really a png").unwrap();
    let ev = s.add_evidence(&file, &EvidenceMeta::default()).unwrap();
    let mut new = NewFinding::new("Banner missing", Low, Moderate);
    new.evidence_ids = vec![ev.sha256.clone()];
    let f = s.add_finding(&new).unwrap();
    assert_eq!(f.evidence_ids, vec![ev.sha256.clone()]);
    let item = s
        .get_evidence(&EvidenceId::from(ev.sha256.as_str()))
        .unwrap();
    assert_eq!(item.links.len(), 1);
    assert_eq!(
        (item.links[0].kind.as_str(), item.links[0].id.as_str()),
        ("finding", f.id.as_str())
    );
    let custody = s.custody_log(None).unwrap();
    assert_eq!(
        custody
            .iter()
            .map(|c| c.action.as_str())
            .collect::<Vec<_>>(),
        ["add", "link"]
    );
    let mut bad = NewFinding::new("x", Low, Low);
    bad.evidence_ids = vec!["ffff".into()];
    assert!(matches!(s.add_finding(&bad), Err(Error::NotFound { .. })));
}
