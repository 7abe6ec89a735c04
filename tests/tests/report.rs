//! The SAR and POA&M on the command line: the demo engagement's computed report, the
//! recommendation rule, the KEV catalog import and its bad inputs, and coverage explanations.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_e2e::{assay, stderr, stdout};
use serde_json::Value;

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

/// A fresh Moderate engagement with the demo SSP, as the command line builds it, on the FedRAMP
/// catalogs in `baselines` (`require_fedramp_baselines!`).
fn engagement(dir: &Path, kind: &str, baselines: &Path) -> String {
    let f = dir.join("e.assay").display().to_string();
    let o = assay(&["new", &f, "--name", "Northwind", "--type", kind]);
    assert!(o.status.success(), "{}", stderr(&o));
    let catalog = baselines.join("FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml");
    let o = assay(&["baseline", &f, "--import", catalog.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ssp = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/demo/northwind-ssp.json"
    );
    let o = assay(&["import-ssp", &f, ssp, "--apply"]);
    assert!(o.status.success(), "{}", stderr(&o));
    f
}

#[test]
fn the_demo_report_is_consistent_and_its_figures_come_from_the_data() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = assay_e2e::assay_with_env(
        &["demo", out.to_str().unwrap()],
        &[("ASSAY_BASELINES", baselines.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let f = out.join("demo.assay").display().to_string();

    let o = assay(&["sar", &f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sar = json(&o);
    assert_eq!(sar["consistent"], true, "{sar:#}");
    assert_eq!(sar["checks"].as_array().unwrap().len(), 0);
    assert_eq!(sar["recommendation"], "recommend");
    let total = &sar["table_2_2"]["total"];
    let rows = sar["table_2_2"]["rows"].as_array().unwrap();
    let row_sum: u64 = rows
        .iter()
        .map(|r| r["counts"]["total"].as_u64().unwrap())
        .sum();
    assert_eq!(total["total"].as_u64().unwrap(), row_sum);
    assert_eq!(sar["summary"]["open_total"], total["total"]);
    assert_eq!(sar["summary"]["open_high"], 0);

    let o = assay(&["poam", &f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items = json(&o);
    let items = items.as_array().unwrap();
    let open = items.iter().filter(|i| i["poam_tab"] == "open").count() as u64;
    let config = items
        .iter()
        .filter(|i| i["poam_tab"] == "configuration")
        .count() as u64;
    // Every open risk of Table 2-2 is an Open or Configuration Findings item.
    assert_eq!(open + config, total["total"].as_u64().unwrap());
    assert!(items
        .iter()
        .all(|i| i["poam_id"].as_str().unwrap().starts_with("NW-")));
    let kev = items
        .iter()
        .find(|i| {
            i["cves"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "CVE-2023-44487")
        })
        .unwrap();
    assert_eq!(kev["kev_due"], "2023-10-31");

    let o = assay(&["info", &f, "--json"]);
    assert_eq!(
        json(&o)["counts"]["poam_items"].as_u64().unwrap(),
        items.len() as u64
    );
    let o = assay(&["sar", &f]);
    assert!(
        stdout(&o).contains("recommends this system for authorization"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn recommend_is_refused_while_a_high_risk_is_open_on_an_initial_assessment() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let f = engagement(dir.path(), "initial", &baselines);
    let o = assay(&[
        "finding",
        "add",
        &f,
        "--title",
        "Unauthenticated admin API",
        "--likelihood",
        "high",
        "--impact",
        "high",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = assay(&["sar", &f, "--recommend", "recommend"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("1 High risk(s) remain open"),
        "{}",
        stderr(&o)
    );
    let o = assay(&["sar", &f, "--recommend", "recommend-continued"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not fit an initial"),
        "{}",
        stderr(&o)
    );

    let o = assay(&["sar", &f, "--recommend", "do-not-recommend", "--json"]);
    let sar = json(&o);
    assert_eq!(sar["recommendation"], "do-not-recommend");
    // The finding has no evidence and the objectives are untested: the report says so.
    assert_eq!(o.status.code(), Some(1));
    let codes: Vec<&str> = sar["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"SAR-004"), "{codes:?}");
    assert!(codes.contains(&"SAR-005"), "{codes:?}");
    assert_eq!(sar["table_2_2"]["rows"][0]["counts"]["total"], 1);
}

#[test]
fn a_bad_kev_catalog_is_refused_naming_the_file_and_place_and_nothing_changes() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let f = engagement(dir.path(), "initial", &baselines);
    let log_before = stdout(&assay(&["log", &f, "--json"]));
    let cases = [
        (
            "truncated.json",
            "{\"catalogVersion\": \"1\", \"vulner",
            "line 1 column",
        ),
        (
            "bad-date.json",
            r#"{"catalogVersion":"1","dateReleased":"2026-01-01","vulnerabilities":[{"cveID":"CVE-2024-1","dateAdded":"2024-01-01","dueDate":"next week"}]}"#,
            "$.vulnerabilities[0].dueDate",
        ),
        ("empty.json", "", "line 1 column 0"),
    ];
    for (name, text, place) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let o = assay(&["sar", &f, "--kev", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(name) && err.contains(place), "{name}: {err}");
    }
    assert_eq!(stdout(&assay(&["log", &f, "--json"])), log_before);

    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo/kev-demo.json");
    let o = assay(&["sar", &f, "--kev", good]);
    assert!(stderr(&o).contains("(2 entries)"), "{}", stderr(&o));
}

#[test]
fn an_unscanned_asset_needs_an_explanation_before_the_report_is_consistent() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let f = engagement(dir.path(), "initial", &baselines);
    let sar = json(&assay(&["sar", &f, "--json"]));
    let unexplained = |v: &Value| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["code"] == "SAR-005")
            .count()
    };
    assert_eq!(unexplained(&sar), 8, "the demo SSP has 8 inventory items");
    let o = assay(&[
        "coverage",
        &f,
        "--explain",
        "nw-siem",
        "Powered off for the hardware refresh during the whole test window",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let coverage = json(&o);
    let siem = coverage["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset_id"] == "nw-siem")
        .unwrap();
    assert!(siem["note"].as_str().unwrap().starts_with("Powered off"));
    assert_eq!(unexplained(&json(&assay(&["sar", &f, "--json"]))), 7);
    let o = assay(&["coverage", &f, "--explain", "nw-nothing", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nw-nothing"), "{}", stderr(&o));
}
