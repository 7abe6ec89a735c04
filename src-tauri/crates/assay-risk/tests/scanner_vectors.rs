//! Scores every CVSS v3.x/v4.0 vector found in the real Trivy and Grype reports under
//! `shared/data/scans` and compares the base score with the score the report carries next to
//! it (published by NVD, GitHub or the distribution's security team).

use std::path::Path;

use assay_risk::parse_cvss;
use serde_json::Value;

/// (vector, published base score) pairs of a report: Trivy writes `V3Vector`/`V3Score` (and
/// `V40Vector`/`V40Score`) per source; Grype writes `vector` with `metrics.baseScore`.
fn collect(value: &Value, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Object(map) => {
            for (vector_key, score_key) in [("V3Vector", "V3Score"), ("V40Vector", "V40Score")] {
                if let (Some(Value::String(v)), Some(s)) = (map.get(vector_key), map.get(score_key))
                {
                    if let Some(s) = s.as_f64() {
                        out.push((v.clone(), s));
                    }
                }
            }
            if let (Some(Value::String(v)), Some(s)) = (
                map.get("vector"),
                map.get("metrics").and_then(|m| m.get("baseScore")),
            ) {
                if v.starts_with("CVSS:") {
                    if let Some(s) = s.as_f64() {
                        out.push((v.clone(), s));
                    }
                }
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn pairs(path: &Path) -> Vec<(String, f64)> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let json: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    let mut out = Vec::new();
    collect(&json, &mut out);
    out
}

/// Checks every pair of `relative`; `known_wrong` lists (vector, published score) pairs whose
/// published score is provably not the v3.1/v4.0 score of the vector, each justified where
/// the file is tested. Those must still be present and still differ (so the list stays true).
/// Each test is this one call, so a missing sample data folder skips the test from here.
fn check(relative: &str, minimum: usize, known_wrong: &[(&str, f64)]) {
    let path = assay_testkit::require_shared_data!(&format!("scans/{relative}"));
    let pairs = pairs(&path);
    assert!(
        pairs.len() >= minimum,
        "{relative}: expected at least {minimum} vectors, found {}",
        pairs.len()
    );
    for (vector, published) in known_wrong {
        let listed = pairs.iter().any(|(v, p)| v == vector && p == published);
        assert!(
            listed,
            "{relative}: known-wrong pair {vector} = {published} not found"
        );
        let base = parse_cvss(vector).map(|c| c.score().base);
        assert_ne!(base, Ok(*published), "{relative}: {vector} now agrees");
    }
    let mismatches: Vec<String> = pairs
        .iter()
        .filter(|(v, p)| !known_wrong.iter().any(|(kv, kp)| kv == v && kp == p))
        .filter_map(|(vector, published)| match parse_cvss(vector) {
            Err(e) => Some(format!("{vector}: {e}")),
            Ok(cvss) => {
                let base = cvss.score().base;
                (base != *published)
                    .then(|| format!("{vector}: computed {base}, published {published}"))
            }
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{relative}: {} of {} differ:\n{}",
        mismatches.len(),
        pairs.len(),
        mismatches.join("\n")
    );
}

#[test]
fn trivy_juice_shop_scores_match() {
    check(
        "trivy/securecodebox__juice-shop-v12.10.2.json",
        432,
        &[
            // GHSA, CVE-2023-22579: the FIRST v3.1 examples score this exact vector 9.9
            // (CVE-2012-1516, asserted in the crate's unit tests); 10 is not reachable.
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 10.0),
            // GHSA, CVE-2021-4435: the same report's Red Hat entry gives 7.7 for the same
            // vector, which is what the v3.1 equations yield.
            ("CVSS:3.1/AV:L/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H", 7.8),
        ],
    );
}

#[test]
fn trivy_legacy_report_scores_match() {
    check("trivy/defectdojo__legacy_many_vulns.json", 140, &[]);
}

#[test]
fn grype_epss_report_scores_match() {
    check(
        "grype/defectdojo__many_vulns_with_epss_values.json",
        26,
        &[],
    );
}

#[test]
fn grype_heimdall_report_scores_match() {
    check("grype/heimdall2__anchore_grype.json", 89, &[]);
}
