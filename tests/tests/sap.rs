//! The Security Assessment Plan through the `assay` command line: the FedRAMP SSP example with the
//! Moderate baseline, filled in until the check passes, exported to PDF (checked with qpdf and
//! pdftotext) and to OSCAL (validated against the OSCAL 1.2.1 schema and loaded with
//! compliance-trestle), then signed, with a later change recorded as a deviation.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use assay_e2e::{assay, stderr, stdout};
use serde_json::{json, Value};

fn ok(args: &[&str]) -> String {
    let o = assay(args);
    assert!(
        o.status.success(),
        "assay {args:?} failed: {}{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn json_of(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn set(file: &str, section: &str, data: &Value) {
    ok(&["sap-set", file, section, &data.to_string()]);
}

fn blocking(file: &str) -> Vec<String> {
    let o = assay(&["sap", file, "--check", "--json"]);
    let issues: Value = serde_json::from_slice(&o.stdout).unwrap();
    let list: Vec<String> = issues
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "blocking")
        .map(|i| {
            format!(
                "{}: {}",
                i["section"].as_str().unwrap(),
                i["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        o.status.code(),
        Some(if list.is_empty() { 0 } else { 1 }),
        "--check exits 1 exactly while something blocks: {list:?}"
    );
    list
}

/// Runs one of the repository's Python checks (tests/python) with `args`.
fn python(script: &str, args: &[&Path]) -> std::process::Output {
    Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("python")
                .join(script),
        )
        .args(args)
        .output()
        .expect("python3 runs")
}

#[test]
fn sap_from_the_fedramp_example_checks_exports_validates_and_signs() {
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("sap.assay");
    let file = file_path.to_str().unwrap();
    let data = assay_testkit::require_shared_data!();
    ok(&[
        "new",
        file,
        "--name",
        "Awesome Cloud",
        "--csp",
        "Example CSP",
        "--assessor",
        "Good 3PAO LLC",
    ]);
    let baseline = data.join(
        "baselines/fedramp-rev5/xml/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
    );
    ok(&["baseline", file, "--import", baseline.to_str().unwrap()]);
    let ssp = data.join("oscal/fedramp-examples/fedramp-ssp-example.oscal.xml");
    ok(&["import-ssp", file, ssp.to_str().unwrap()]);
    ok(&["sap", file, "--draft"]);

    // The fresh draft is pre-filled but not complete.
    let sap = json_of(&["sap", file, "--show", "--json"]);
    assert_eq!(
        sap["data"]["control_selection"].as_array().unwrap().len(),
        323
    );
    assert_eq!(sap["data"]["roles"].as_array().unwrap().len(), 5);
    assert!(sap["data"]["scope"]["subjects"].as_array().unwrap().len() > 9);
    assert_eq!(
        sap["data"]["penetration_test"]["vectors"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    let missing = blocking(file);
    for expected in [
        "team: 0 assessors listed",
        "'Perform Testing' has no start date",
        "no scan origination",
    ] {
        assert!(
            missing.iter().any(|m| m.contains(expected)),
            "{expected} in {missing:?}"
        );
    }
    let pdf_path = dir.path().join("sap.pdf");
    let refused = assay(&["sap", file, "--pdf", pdf_path.to_str().unwrap()]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "export refused while incomplete"
    );
    assert!(
        stderr(&refused).contains("blocking: Team"),
        "{}",
        stderr(&refused)
    );
    assert!(!pdf_path.exists());

    // Fill what the check asks for.
    for (name, role) in [
        ("Alice Lead", "assessment-lead"),
        ("Bob Assessor", "assessment-team"),
        ("Carol Pentester", "penetration-test-lead"),
        ("Dan CSP", "csp-assessment-poc"),
        ("Erin CSP", "csp-assessment-poc"),
        ("Frank SOC", "csp-operations-center"),
    ] {
        ok(&[
            "team", "add", file, "--name", name, "--role", role, "--title", "Staff",
        ]);
    }
    set(file, "scope", &{
        let mut scope = sap["data"]["scope"].clone();
        scope["locations"] = json!([{ "name": "US East", "address": "1 Data Way, Ashburn, VA", "description": "Primary region" }]);
        scope
    });
    set(
        file,
        "tools",
        &json!([
            { "name": "Nessus", "vendor": "Tenable", "version": "10.7", "purpose": "Infrastructure vulnerability scanning" },
            { "name": "Burp Suite Professional", "vendor": "PortSwigger", "version": "2024.1", "purpose": "Web application testing" }
        ]),
    );
    set(
        file,
        "scan-origination",
        &json!(["203.0.113.10", "203.0.113.0/28"]),
    );
    set(
        file,
        "manual-tests",
        &json!([
            { "id": "", "name": "CAPTCHA review", "description": "Check the login CAPTCHA", "method": "TEST" }
        ]),
    );
    let schedule: Vec<Value> = sap["data"]["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, t)| json!({ "name": t["name"], "start": format!("2026-04-{:02}", i + 1), "finish": format!("2026-04-{:02}", i + 2) }))
        .collect();
    set(file, "schedule", &Value::Array(schedule));
    let mut roe = sap["data"]["rules_of_engagement"].clone();
    roe["end_of_testing_contact"] = json!("Frank SOC (on call)");
    set(file, "rules-of-engagement", &roe);
    assert_eq!(blocking(file), Vec::<String>::new());

    // PDF: structure and text.
    ok(&[
        "sap",
        file,
        "--pdf",
        pdf_path.to_str().unwrap(),
        "--generated-at",
        "2026-03-14T12:00:00Z",
    ]);
    if assay_testkit::check_tool_for("the PDF checks", "qpdf")
        && assay_testkit::check_tool_for("the PDF checks", "pdftotext")
    {
        let qpdf = Command::new("qpdf")
            .arg("--check")
            .arg(&pdf_path)
            .output()
            .expect("qpdf is installed");
        assert!(
            qpdf.status.success(),
            "qpdf --check: {}",
            String::from_utf8_lossy(&qpdf.stdout)
        );
        let text = Command::new("pdftotext")
            .arg(&pdf_path)
            .arg("-")
            .output()
            .expect("pdftotext is installed");
        let text = String::from_utf8_lossy(&text.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for title in [
            "1 Introduction",
            "2 Background",
            "3 Scope",
            "4 Assumptions",
            "5 Methodology",
            "6 Test Plan",
            "7 Rules of Engagement",
            "8 Signatures",
            "Appendix A: FedRAMP Awesome Cloud Security Controls Selection Worksheet",
            "Appendix B: Sampling Methodology",
            "Appendix C: Penetration Testing Plan and Methodology",
            "Table C-1",
            "Table 6-5. Schedule",
            "CONTROLLED UNCLASSIFIED INFORMATION",
            "Nessus",
            "MT-1",
        ] {
            assert!(text.contains(title), "the PDF lacks '{title}'");
        }
        for vector in [
            "External to Corporate",
            "External to CSP Target System",
            "Tenant to CSP Management System",
            "Tenant to Tenant",
            "Mobile Application to Target System",
            "Client-side Application and/or Agents to Target System",
        ] {
            assert!(
                text.contains(vector),
                "the PDF lacks the attack vector '{vector}'"
            );
        }
        assert!(text.contains("AC-2"), "test cases list the controls");
    }

    // OSCAL: schema-valid and loadable by compliance-trestle.
    let ap_path = dir.path().join("sap.json");
    ok(&[
        "sap",
        file,
        "--oscal",
        ap_path.to_str().unwrap(),
        "--generated-at",
        "2026-03-14T12:00:00Z",
    ]);
    let ap: Value = serde_json::from_slice(&std::fs::read(&ap_path).unwrap()).unwrap();
    let plan = &ap["assessment-plan"];
    assert_eq!(plan["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(plan["import-ssp"]["href"], "fedramp-ssp-example.oscal.xml");
    assert!(plan["reviewed-controls"]["control-selections"][0]["include-all"].is_object());
    let parts: Vec<&str> = plan["terms-and-conditions"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        [
            "background",
            "scope",
            "assumptions",
            "methodology",
            "test-plan",
            "rules-of-engagement",
            "disclosures",
            "results-delivery",
            "liability-limitations"
        ]
    );
    if assay_testkit::check_python_module_for("the OSCAL schema check", "jsonschema", "jsonschema")
    {
        let schema = data.join("schemas/oscal-1.2.1-json-schema/oscal_assessment-plan_schema.json");
        let v = python("validate_oscal.py", &[&ap_path, &schema]);
        assert!(
            v.status.success(),
            "the assessment plan is not valid OSCAL 1.2.1:\n{}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
    if assay_testkit::check_python_module_for(
        "the compliance-trestle check",
        "trestle",
        "compliance-trestle",
    ) {
        let trestle = python(
            "load_trestle.py",
            &[
                &ap_path,
                Path::new("trestle.oscal.assessment_plan:AssessmentPlan"),
            ],
        );
        assert!(
            trestle.status.success(),
            "compliance-trestle cannot load the assessment plan:\n{}{}",
            String::from_utf8_lossy(&trestle.stdout),
            String::from_utf8_lossy(&trestle.stderr)
        );
        assert!(String::from_utf8_lossy(&trestle.stdout).contains("Security Assessment Plan"));
    }

    // Exports are reproducible for the same options.
    let again = dir.path().join("again.json");
    ok(&[
        "sap",
        file,
        "--oscal",
        again.to_str().unwrap(),
        "--generated-at",
        "2026-03-14T12:00:00Z",
    ]);
    assert_eq!(
        std::fs::read(&ap_path).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // Signing locks the plan; later changes need a justification and become deviations.
    ok(&[
        "sap-sign",
        file,
        "--ia-name",
        "Alice Lead",
        "--ia-title",
        "Lead",
        "--csp-name",
        "Dan CSP",
        "--csp-title",
        "CISO",
        "--date",
        "2026-03-20",
    ]);
    let info = json_of(&["info", file, "--json"]);
    assert_eq!(
        info["engagement"]["test_window_start"], "2026-04-06",
        "from 'Perform Testing'"
    );
    let unjustified = assay(&["sap-set", file, "scan-origination", "[\"203.0.113.11\"]"]);
    assert_eq!(unjustified.status.code(), Some(1));
    assert!(
        stderr(&unjustified).contains("justification"),
        "{}",
        stderr(&unjustified)
    );
    ok(&[
        "sap-set",
        file,
        "scan-origination",
        "[\"203.0.113.11\"]",
        "--justification",
        "scanner moved",
    ]);
    let sap = json_of(&["sap", file, "--show", "--json"]);
    assert_eq!(sap["deviations"][0]["id"], "DEV-1");
    assert_eq!(sap["deviations"][0]["justification"], "scanner moved");
    let log = ok(&["log", file]);
    assert!(log.contains("signed the SAP"), "{log}");
    assert!(log.contains("DEV-1 deviation from the signed SAP"), "{log}");
    ok(&["verify-log", file]);
}
