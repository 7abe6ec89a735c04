//! The SAR (assessment results) and POA&M OSCAL exports of a whole engagement built through the
//! core API: the demo engagement (Moderate baseline, Northwind SSP, signed SAP, freeze, test
//! results with evidence, findings) plus a corrected finding, a risk adjustment, a vendor
//! dependency, a Nessus import with an accepted weakness, a false positive and configuration
//! checks, a KEV catalog and a recommendation. Both documents are validated against the OSCAL
//! 1.2.1 JSON schemas and loaded with compliance-trestle.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use assay_core::api::demo::build_demo;
use assay_core::api::scans::ScanImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::export::{oscal_ar, oscal_poam};
use assay_core::model::ids::{FindingId, WeaknessId};
use assay_core::model::report::ExportOptions;
use assay_core::model::sar::{PoamSettings, Recommendation, RetTab, SarUpdate};
use assay_core::model::scans::{ReviewAction, ReviewStatus, WeaknessFilter};
use assay_core::model::testing::{
    Closure, DeviationAnswer, EvidenceMeta, FindingStatus, FindingUpdate, NewFinding,
    RiskAdjustmentInput, RiskLevel, TestFilter, TestResult, TestUpdate, VendorDependencyInput,
};
use assay_core::{Context, Session};
use chrono::NaiveDate;
use serde_json::Value;

fn context() -> Context {
    let start = chrono::DateTime::parse_from_rfc3339("2026-04-15T09:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(5))),
        ids: Arc::new(SequentialIds::new(0x0053_4152)),
        actor: "Marcus Oyelaran".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The repository's Python checks (tests/python): schema validation and compliance-trestle.
const PYTHON_CHECKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/python");

fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg(format!("{PYTHON_CHECKS}/{script}"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 {script} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether the Python packages are installed: (jsonschema, compliance-trestle). Each missing one
/// is reported with one `skipped:` line (a failure under CI).
fn python_tools() -> (bool, bool) {
    (
        assay_testkit::check_python_module_for(
            "the OSCAL schema checks",
            "jsonschema",
            "jsonschema",
        ),
        assay_testkit::check_python_module_for(
            "the compliance-trestle checks",
            "trestle",
            "compliance-trestle",
        ),
    )
}

fn check_oscal(
    path: &Path,
    schema: &str,
    trestle_class: &str,
    title: &str,
    (jsonschema, trestle): (bool, bool),
) {
    if jsonschema {
        let schema = assay_testkit::shared("schemas/oscal-1.2.1-json-schema").join(schema);
        python(
            "validate_oscal.py",
            &[path.to_str().unwrap(), schema.to_str().unwrap()],
        );
    }
    if trestle {
        let printed = python("load_trestle.py", &[path.to_str().unwrap(), trestle_class]);
        assert!(
            printed.contains(title),
            "trestle read the title {printed:?}"
        );
    }
}

/// The demo engagement with the rest of an assessment recorded on top.
fn engagement(dir: &Path) -> Session {
    let baselines = vec![assay_testkit::shared("baselines/fedramp-rev5/xml")];
    let out = build_demo(dir, &baselines).unwrap();
    let mut s = Session::open(&out.engagement, context()).unwrap();

    // A finding corrected during testing, with the evidence that shows the fix.
    let fix = dir.join("tls-config-after.txt");
    std::fs::write(&fix, "nginx ssl_protocols TLSv1.2 TLSv1.3;\n").unwrap();
    let fixed = s
        .add_evidence(&fix, &EvidenceMeta::default())
        .unwrap()
        .sha256;
    let mut tls = NewFinding::new(
        "TLS 1.0 enabled on the public load balancer",
        RiskLevel::Moderate,
        RiskLevel::Moderate,
    );
    tls.description = "The load balancer accepted TLS 1.0 handshakes.".into();
    tls.controls = vec!["sc-8".into()];
    tls.recommendation = "Allow TLS 1.2 and later only.".into();
    tls.evidence_ids = vec![fixed.clone()];
    tls.detected_on = Some(day("2026-04-09"));
    tls.assets = vec![s.inventory().unwrap()[0].uuid.clone()];
    let tls = s.add_finding(&tls).unwrap();
    s.update_finding(
        &FindingId::from(tls.id.as_str()),
        &FindingUpdate {
            status: Some(FindingStatus::CorrectedDuringTesting),
            closure: Some(Closure {
                description: "The CSP disabled TLS 1.0 and 1.1; a rescan confirmed it.".into(),
                date: day("2026-04-13"),
                verification_evidence_ids: vec![fixed],
            }),
            ..FindingUpdate::default()
        },
    )
    .unwrap();

    // A risk adjustment and a vendor dependency on the demo's findings.
    let findings = s.list_findings().unwrap();
    let au6 = findings
        .iter()
        .find(|f| f.controls.iter().any(|c| c == "au-6"))
        .unwrap();
    s.update_finding(
        &FindingId::from(au6.id.as_str()),
        &FindingUpdate {
            risk_adjustment: Some(RiskAdjustmentInput {
                status: DeviationAnswer::Yes,
                adjusted_likelihood: RiskLevel::Low,
                adjusted_impact: RiskLevel::Moderate,
                rationale: "Automated SIEM alerting covers the days without a manual review."
                    .into(),
                evidence_ids: Vec::new(),
            }),
            ..FindingUpdate::default()
        },
    )
    .unwrap();
    let ac17 = findings
        .iter()
        .find(|f| f.controls.iter().any(|c| c == "ac-17"))
        .unwrap();
    s.update_finding(
        &FindingId::from(ac17.id.as_str()),
        &FindingUpdate {
            vendor_dependency: Some(VendorDependencyInput {
                status: DeviationAnswer::Yes,
                product: "Example Bastion 4.2".into(),
                last_check_in: Some(day("2026-04-14")),
                rationale: "The idle timeout is fixed in the vendor's next release.".into(),
                evidence_ids: Vec::new(),
            }),
            ..FindingUpdate::default()
        },
    )
    .unwrap();

    // Scans: a vulnerability scan (one weakness accepted, one false positive) and a compliance
    // audit (configuration findings).
    for rel in [
        "scans/nessus/defectdojo__nessus_with_cvssv3.nessus",
        "scans/nessus/saf__nessus_sample.nessus",
    ] {
        s.import_scan(&assay_testkit::shared(rel), &ScanImportOptions::default())
            .unwrap();
    }
    // The demo reviewed its own scan's weaknesses; these are the newly imported ones.
    let weaknesses = s
        .weaknesses(&WeaknessFilter {
            review: Some(ReviewStatus::Pending),
            ..WeaknessFilter::default()
        })
        .unwrap();
    let with_cve = weaknesses
        .iter()
        .find(|w| !w.cves.is_empty() && w.fedramp_risk.is_some())
        .unwrap()
        .clone();
    s.review_weakness(WeaknessId(with_cve.id), &ReviewAction::Accept)
        .unwrap();
    let other = weaknesses
        .iter()
        .find(|w| w.id != with_cve.id && w.fedramp_risk.is_some())
        .unwrap();
    s.review_weakness(
        WeaknessId(other.id),
        &ReviewAction::FalsePositive {
            evidence_ids: Vec::new(),
            rationale: "The banner reports a version the vendor back-ported the fix into.".into(),
        },
    )
    .unwrap();

    // A KEV catalog naming the accepted weakness's CVE.
    let kev = dir.join("kev.json");
    std::fs::write(
        &kev,
        serde_json::json!({
            "catalogVersion": "2026.04.01",
            "dateReleased": "2026-04-01T12:00:00.000Z",
            "vulnerabilities": [{
                "cveID": with_cve.cves[0],
                "vendorProject": "Example",
                "product": "Example",
                "vulnerabilityName": "Example known exploited vulnerability",
                "dateAdded": "2026-01-05",
                "dueDate": "2026-01-26"
            }]
        })
        .to_string(),
    )
    .unwrap();
    s.import_kev(&kev).unwrap();

    // A failed objective answered by the corrected finding, then the recommendation.
    let sc8 = s
        .test_rows(&TestFilter::default())
        .unwrap()
        .into_iter()
        .find(|r| r.control_id == "sc-8")
        .unwrap();
    s.update_finding(
        &FindingId::from(tls.id.as_str()),
        &FindingUpdate {
            objective_ids: Some(vec![sc8.objective_id.clone()]),
            ..FindingUpdate::default()
        },
    )
    .unwrap();
    s.record_test(&TestUpdate {
        objective_id: sc8.objective_id,
        result: Some(TestResult::OtherThanSatisfied),
        tested_on: Some(day("2026-04-09")),
        ..TestUpdate::default()
    })
    .unwrap();
    s.update_sar(&SarUpdate {
        version: Some("1.1".into()),
        poam: Some(PoamSettings {
            id_prefix: "NW-".into(),
            id_start: 101,
            id_digits: 4,
            point_of_contact: "Tom Brandt".into(),
            service_name: String::new(),
        }),
        ..SarUpdate::default()
    })
    .unwrap();
    s.set_recommendation(Recommendation::DoNotRecommend)
        .unwrap();
    s
}

fn options(document_id: &str) -> ExportOptions {
    ExportOptions {
        generated_at: chrono::DateTime::parse_from_rfc3339("2026-05-04T16:30:00Z")
            .unwrap()
            .to_utc(),
        document_id: document_id.into(),
    }
}

fn uuids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["uuid"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sar_and_poam_oscal_are_schema_valid_consistent_and_reproducible() {
    assay_testkit::require_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let s = engagement(dir.path());
    let input = s.sar_export_input().unwrap();
    let tests = s.test_rows(&TestFilter::default()).unwrap();
    let items = &input.report.items;
    let tested = tests
        .iter()
        .filter(|t| t.result != TestResult::Untested)
        .count();
    assert!(tested >= 8, "the demo and this test record results");
    // Methods used, else the baseline's, else UNKNOWN: at least one per tested objective.
    let methods: usize = tests
        .iter()
        .filter(|t| t.result != TestResult::Untested)
        .map(|t| {
            if t.methods.is_empty() {
                // The baseline may name a method twice (once per determination statement).
                let named: BTreeSet<String> = t
                    .baseline_methods
                    .iter()
                    .map(|m| m.trim().to_uppercase())
                    .filter(|m| ["EXAMINE", "INTERVIEW", "TEST"].contains(&m.as_str()))
                    .collect();
                named.len().max(1)
            } else {
                t.methods.len()
            }
        })
        .sum();
    for tab in [RetTab::Ret, RetTab::Corrected, RetTab::Configuration] {
        assert!(items.iter().any(|i| i.tab == tab), "an item on {tab:?}");
    }

    let sar_bytes = oscal_ar::render(&input, &options("northwind-sar-2026")).unwrap();
    let poam_bytes = oscal_poam::render(&input, &options("northwind-poam-2026")).unwrap();
    assert_eq!(sar_bytes.last(), Some(&b'\n'));
    assert_eq!(
        sar_bytes,
        oscal_ar::render(&input, &options("northwind-sar-2026")).unwrap(),
        "same input and options, same bytes"
    );
    assert_eq!(
        poam_bytes,
        oscal_poam::render(&input, &options("northwind-poam-2026")).unwrap()
    );
    let other_id = oscal_ar::render(&input, &options("another-id")).unwrap();
    assert_ne!(
        sar_bytes, other_id,
        "the document id seeds the document uuid"
    );

    let sar_path = dir.path().join("sar.json");
    let poam_path = dir.path().join("poam.json");
    std::fs::write(&sar_path, &sar_bytes).unwrap();
    std::fs::write(&poam_path, &poam_bytes).unwrap();

    // The assessment results.
    let sar: Value = serde_json::from_slice(&sar_bytes).unwrap();
    let ar = &sar["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(ar["metadata"]["last-modified"], "2026-05-04T16:30:00Z");
    assert_eq!(ar["metadata"]["version"], "1.1");
    let import = ar["import-ap"]["href"].as_str().unwrap();
    let resources = &ar["back-matter"]["resources"];
    let sap_resource = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| format!("#{}", r["uuid"].as_str().unwrap()) == import)
        .expect("import-ap points at a back-matter resource");
    assert_eq!(
        sap_resource["rlinks"][0]["href"],
        "../SAP/Northwind-Cloud-Platform-SAP.oscal.json"
    );
    let results = ar["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["start"], "2026-04-06T00:00:00Z", "the freeze window");
    assert_eq!(result["end"], "2026-05-01T23:59:59Z");
    let sar_findings = result["findings"].as_array().unwrap();
    assert_eq!(
        sar_findings.len(),
        tested,
        "one finding per tested objective"
    );
    let not_satisfied = sar_findings
        .iter()
        .filter(|f| f["target"]["status"]["state"] == "not-satisfied")
        .count();
    assert_eq!(
        not_satisfied,
        tests
            .iter()
            .filter(|t| t.result == TestResult::OtherThanSatisfied)
            .count()
    );
    assert!(sar_findings
        .iter()
        .all(|f| f["target"]["type"] == "objective-id"));
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), items.len(), "one risk per risk item");
    assert_eq!(
        result["observations"].as_array().unwrap().len(),
        methods + items.len(),
        "one observation per method of each tested objective and per risk item"
    );
    // Every related risk and observation resolves.
    let risk_ids = uuids(&result["risks"]);
    let obs_ids = uuids(&result["observations"]);
    for f in sar_findings {
        for r in f["related-risks"].as_array().into_iter().flatten() {
            assert!(risk_ids.contains(r["risk-uuid"].as_str().unwrap()));
        }
        for o in f["related-observations"].as_array().unwrap() {
            assert!(obs_ids.contains(o["observation-uuid"].as_str().unwrap()));
        }
    }
    // The failed sc-8 objective names the corrected finding's risk.
    let sc8 = sar_findings
        .iter()
        .find(|f| {
            f["target"]["target-id"]
                .as_str()
                .unwrap()
                .starts_with("sc-8")
                && f["target"]["status"]["state"] == "not-satisfied"
        })
        .unwrap();
    assert_eq!(sc8["related-risks"].as_array().unwrap().len(), 1);
    // Its observation names the affected inventory item as the subject.
    let inventory = s.inventory().unwrap();
    let tls_obs = result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["title"] == "TLS 1.0 enabled on the public load balancer")
        .unwrap();
    assert_eq!(
        tls_obs["subjects"][0]["subject-uuid"],
        inventory[0].uuid.as_str()
    );
    assert_eq!(tls_obs["subjects"][0]["type"], "inventory-item");
    assert_eq!(tls_obs["relevant-evidence"].as_array().unwrap().len(), 1);
    let prop = |r: &Value, name: &str| -> Vec<String> {
        r["props"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["name"] == name)
            .map(|p| p["value"].as_str().unwrap().to_owned())
            .collect()
    };
    // Closed: the corrected finding and the false positive.
    let closed: Vec<&Value> = risks.iter().filter(|r| r["status"] == "closed").collect();
    assert_eq!(
        closed.len(),
        items.iter().filter(|i| i.tab == RetTab::Corrected).count()
    );
    for r in &closed {
        let entry = &r["risk-log"]["entries"][0];
        assert_eq!(entry["status-change"], "closed");
        let response = entry["related-responses"][0]["response-uuid"].clone();
        assert!(r["remediations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["uuid"] == response && x["lifecycle"] == "completed"));
    }
    assert!(closed
        .iter()
        .any(|r| prop(r, "false-positive") == ["approved"]));
    // The risk adjustment keeps the initial facets beside the adjusted ones.
    let adjusted = risks
        .iter()
        // The demo adjusts a scanner risk too; this is the test's own adjustment (AU-6).
        .find(|r| {
            prop(r, "risk-adjustment") == ["approved"] && prop(r, "impacted-control-id") == ["au-6"]
        })
        .unwrap();
    let facets = adjusted["characterizations"][0]["facets"]
        .as_array()
        .unwrap();
    let facet = |name: &str, state: &str| {
        facets
            .iter()
            .find(|f| f["name"] == name && f["props"][0]["value"] == state)
            .map(|f| f["value"].as_str().unwrap().to_owned())
    };
    assert_eq!(facet("risk", "initial").as_deref(), Some("moderate"));
    assert_eq!(facet("risk", "adjusted").as_deref(), Some("low"));
    assert_eq!(facet("likelihood", "adjusted").as_deref(), Some("low"));
    assert!(adjusted["mitigating-factors"].is_array());
    assert_eq!(prop(adjusted, "impacted-control-id"), ["au-6"]);
    // Vendor dependency and KEV.
    assert!(risks
        .iter()
        .any(|r| prop(r, "vendor-dependency") == ["tracking"]));
    let kev = risks
        .iter()
        .find(|r| prop(r, "kev-catalog") == ["yes"])
        .expect("the accepted weakness is on the KEV catalog");
    assert_eq!(prop(kev, "kev-due-date").len(), 1);
    // POA&M ids on the risks match the report.
    let ids: BTreeSet<String> = risks.iter().flat_map(|r| prop(r, "POAM-ID")).collect();
    let expected: BTreeSet<String> = items.iter().map(|i| i.poam_id.clone()).collect();
    assert_eq!(ids, expected);
    // The recommendation.
    let statements = &result["attestations"][0]["parts"][0];
    assert_eq!(statements["name"], "authorization-statements");
    assert_eq!(statements["props"][0]["value"], "no");
    // Evidence and raw scans are back-matter resources with their hashes.
    let hashed = resources
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rlinks"][0]["hashes"][0]["algorithm"] == "SHA-256")
        .count();
    assert!(hashed >= input.report.evidence.len() + input.report.scan_files.len());

    // The POA&M.
    let poam: Value = serde_json::from_slice(&poam_bytes).unwrap();
    let p = &poam["plan-of-action-and-milestones"];
    assert_eq!(p["system-id"]["id"], "FR2612345678");
    let poam_items = p["poam-items"].as_array().unwrap();
    assert_eq!(
        poam_items.len(),
        items.len(),
        "one POA&M item per risk item"
    );
    assert_eq!(
        p["risks"], result["risks"],
        "the POA&M carries the SAR's risks, uuids included"
    );
    let sar_risk_obs: Vec<&Value> = result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["types"][0] == "discovery")
        .collect();
    assert_eq!(
        p["observations"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        sar_risk_obs
    );
    for (item, poam_item) in items.iter().zip(poam_items) {
        assert_eq!(
            prop(poam_item, "POAM-ID"),
            std::slice::from_ref(&item.poam_id)
        );
        assert!(item.poam_id.starts_with("NW-0"), "{}", item.poam_id);
        assert!(poam_item["remarks"]
            .as_str()
            .unwrap()
            .contains("Point of contact: Tom Brandt."));
        assert_eq!(poam_item["related-risks"].as_array().unwrap().len(), 1);
        assert!(risk_ids.contains(poam_item["related-risks"][0]["risk-uuid"].as_str().unwrap()));
    }

    let tools = python_tools();
    check_oscal(
        &sar_path,
        "oscal_assessment-results_schema.json",
        "trestle.oscal.assessment_results:AssessmentResults",
        "Northwind Cloud Platform Security Assessment Report",
        tools,
    );
    check_oscal(
        &poam_path,
        "oscal_poam_schema.json",
        "trestle.oscal.poam:PlanOfActionAndMilestones",
        "Northwind Cloud Platform Plan of Action and Milestones",
        tools,
    );
}

#[test]
fn a_poam_without_items_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let baselines = vec![assay_testkit::require_fedramp_baselines!()];
    let out = build_demo(dir.path(), &baselines).unwrap();
    let s = Session::open(&out.engagement, context()).unwrap();
    let mut input = s.sar_export_input().unwrap();
    input.report.items.clear();
    let mut bare = input.clone();
    bare.tests.clear();
    bare.findings.clear();
    let err = oscal_poam::render(&bare, &options("x")).unwrap_err();
    assert!(err.to_string().contains("no items"), "{err}");
    // The SAR still renders: no risks, findings for the tested objectives.
    let tests = s.test_rows(&TestFilter::default()).unwrap();
    input.findings.clear();
    let sar = oscal_ar::render(&input, &options("x")).unwrap();
    let sar: Value = serde_json::from_slice(&sar).unwrap();
    let result = &sar["assessment-results"]["results"][0];
    assert!(result["risks"].is_null());
    // The demo records "recommend": the attestation says so even without risks.
    let statement = &result["attestations"][0]["parts"][0];
    assert_eq!(
        statement["name"], "authorization-statements",
        "{statement:#}"
    );
    let tested = tests
        .iter()
        .filter(|t| t.result != TestResult::Untested)
        .count();
    assert_eq!(result["findings"].as_array().unwrap().len(), tested);
}

#[test]
fn the_same_engagement_recorded_twice_exports_the_same_bytes() {
    assay_testkit::require_shared_data!();
    let export = |dir: &Path| {
        let s = engagement(dir);
        let input = s.sar_export_input().unwrap();
        (
            oscal_ar::render(&input, &options("sar")).unwrap(),
            oscal_poam::render(&input, &options("poam")).unwrap(),
        )
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (sar_a, poam_a) = export(a.path());
    let (sar_b, poam_b) = export(b.path());
    assert!(
        sar_a == sar_b,
        "the SAR differs between two identical engagements"
    );
    assert!(
        poam_a == poam_b,
        "the POA&M differs between two identical engagements"
    );
}
