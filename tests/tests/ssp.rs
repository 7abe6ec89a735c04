//! Baselines and SSP import through the `assay` command line, on the real FedRAMP and NIST files.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_e2e::{assay, shared_data, stderr, stdout};
use serde_json::Value;

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

fn new_engagement(dir: &Path, impact: &str) -> PathBuf {
    let file = dir.join(format!("{impact}.assay"));
    let o = assay(&[
        "new",
        file.to_str().unwrap(),
        "--name",
        "Example Cloud",
        "--impact",
        impact,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    file
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/oscal")
        .join(name)
}

/// Every SSP under shared/data/oscal, JSON and XML.
fn all_ssps() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_lowercase()
                .contains("ssp")
                && matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "xml"))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&shared_data().join("oscal"), &mut out);
    out.sort();
    out
}

#[test]
fn the_four_bundled_fedramp_baselines_load_with_the_fedramp_counts() {
    assay_testkit::require_bundled_baselines!();
    let dir = tempfile::tempdir().unwrap();
    for (impact, controls) in [
        ("high", 410),
        ("moderate", 323),
        ("low", 156),
        ("li-saas", 156),
    ] {
        let file = new_engagement(dir.path(), impact);
        let o = assay(&["baseline", file.to_str().unwrap(), "--json"]);
        assert!(
            o.status.success(),
            "{impact}: {} (install the baselines with `bash .ci/fetch-baselines`)",
            stderr(&o)
        );
        let r = json(&o);
        assert_eq!(
            r["baseline"]["controls"], controls,
            "{impact} controls+enhancements"
        );
        assert_eq!(r["baseline"]["families"], 18, "{impact} families");
        assert!(
            r["baseline"]["objectives"].as_u64().unwrap() > 0,
            "{impact} has objectives"
        );
        assert!(r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| !w.as_str().unwrap().contains("engagement's impact")));
        let info = json(&assay(&["info", file.to_str().unwrap(), "--json"]));
        assert_eq!(info["counts"]["controls"], controls);
        assert_eq!(info["counts"]["objectives"], r["baseline"]["objectives"]);
    }
}

#[test]
fn a_catalog_for_another_impact_level_loads_with_a_warning() {
    assay_testkit::require_shared_data!("baselines/fedramp-rev5");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "moderate");
    let high = shared_data()
        .join("baselines/fedramp-rev5/xml/FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog.xml");
    let o = assay(&[
        "baseline",
        file.to_str().unwrap(),
        "--import",
        high.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["baseline"]["controls"], 410);
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("is a High baseline"),
        "{}",
        r["warnings"]
    );
}

#[test]
fn every_ssp_in_the_shared_data_imports() {
    assay_testkit::require_shared_data!("oscal");
    let ssps = all_ssps();
    assert!(
        ssps.len() >= 14,
        "expected the shared SSP examples, found {}",
        ssps.len()
    );
    let dir = tempfile::tempdir().unwrap();
    for (i, ssp) in ssps.iter().enumerate() {
        let file = dir.path().join(format!("e{i}.assay"));
        assert!(assay(&["new", file.to_str().unwrap(), "--name", "X"])
            .status
            .success());
        let o = assay(&[
            "import-ssp",
            file.to_str().unwrap(),
            ssp.to_str().unwrap(),
            "--json",
        ]);
        assert!(o.status.success(), "{}: {}", ssp.display(), stderr(&o));
        let r = json(&o);
        assert_eq!(r["applied"], true);
        assert_eq!(
            r["source_format"],
            if ssp.extension().unwrap() == "json" {
                "json"
            } else {
                "xml"
            }
        );
        assert_eq!(r["source_sha256"].as_str().unwrap().len(), 64);
        let info = json(&assay(&["info", file.to_str().unwrap(), "--json"]));
        for key in [
            "components",
            "users",
            "implemented_requirements",
            "inventory_items",
        ] {
            assert_eq!(
                info["counts"][key],
                r[key],
                "{}: counts.{key}",
                ssp.display()
            );
        }
        assert!(
            r["components"].as_u64().unwrap() > 0,
            "{}: no components stored",
            ssp.display()
        );
    }
}

#[test]
fn the_fedramp_example_ssp_against_the_moderate_baseline_gives_intake_checks() {
    assay_testkit::require_shared_data!("oscal");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "moderate");
    let f = file.to_str().unwrap();
    let catalog = shared_data().join(
        "baselines/fedramp-rev5/xml/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
    );
    assert!(
        assay(&["baseline", f, "--import", catalog.to_str().unwrap()])
            .status
            .success()
    );
    let ssp = shared_data().join("oscal/fedramp-examples/fedramp-ssp-example.oscal.xml");
    let o = assay(&["import-ssp", f, ssp.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let receipt = json(&o);
    assert_eq!(receipt["implemented_requirements"], 323);

    let o = assay(&["checks", f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let checks = json(&o);
    let checks = checks.as_array().unwrap();
    assert!(!checks.is_empty());
    for c in checks {
        assert!(
            ["error", "warning", "info"].contains(&c["severity"].as_str().unwrap()),
            "{c}"
        );
        assert!(c["code"].as_str().unwrap().starts_with("SSP-"), "{c}");
        assert!(!c["message"].as_str().unwrap().is_empty());
        assert!(
            c["subject"]["kind"].is_string() && c["subject"]["id"].is_string(),
            "{c}"
        );
    }
    // Against a High engagement the SSP's impact level no longer matches.
    let high = new_engagement(dir.path(), "high");
    assert!(
        assay(&["import-ssp", high.to_str().unwrap(), ssp.to_str().unwrap()])
            .status
            .success()
    );
    let checks = json(&assay(&["checks", high.to_str().unwrap(), "--json"]));
    assert!(
        checks
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "SSP-050"),
        "impact mismatch reported"
    );
}

#[test]
fn a_reimport_lists_the_changes_and_applies_them_only_when_confirmed() {
    assay_testkit::require_shared_data!("oscal");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "moderate");
    let f = file.to_str().unwrap();
    let v1 = shared_data().join("oscal/fedramp-examples/awesome-cloud/AwesomeCloudSSP1.xml");
    let v2 = shared_data().join("oscal/fedramp-examples/awesome-cloud/AwesomeCloudSSP2.xml");
    assert!(assay(&["import-ssp", f, v1.to_str().unwrap()])
        .status
        .success());
    let before = json(&assay(&["info", f, "--json"]));

    let o = assay(&["import-ssp", f, v2.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let preview = json(&o);
    assert_eq!(preview["applied"], false);
    let changes = &preview["changes"];
    let n = |k: &str| changes[k].as_array().unwrap().len();
    assert!(
        n("inventory_items") + n("implemented_requirements") + n("components") > 0,
        "{changes}"
    );
    assert!(stderr(&o).contains("--apply"), "{}", stderr(&o));
    assert_eq!(
        json(&assay(&["info", f, "--json"])),
        before,
        "nothing changes without --apply"
    );

    let o = assay(&["import-ssp", f, v2.to_str().unwrap(), "--apply", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["applied"], true);
    let after = json(&assay(&["info", f, "--json"]));
    assert_eq!(after["counts"]["inventory_items"], 17);
    let log = json(&assay(&["log", f, "--json"]));
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "reimport");
    assert!(
        last["summary"].as_str().unwrap().contains("changed"),
        "{last}"
    );
    assert!(assay(&["verify-log", f]).status.success());
}

#[test]
fn bad_input_is_refused_with_one_line_and_the_engagement_is_unchanged() {
    assay_testkit::require_shared_data!("oscal");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "moderate");
    let f = file.to_str().unwrap();
    let good = shared_data().join("oscal/nist-examples/ssp/json/ssp-example.json");
    assert!(assay(&["import-ssp", f, good.to_str().unwrap()])
        .status
        .success());
    let before = (
        json(&assay(&["info", f, "--json"])),
        json(&assay(&["log", f, "--json"])),
    );

    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap(); // sparse: no disk used
    let catalog = shared_data()
        .join("baselines/fedramp-rev5/xml/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.xml");
    // A key repeated in one object: the later value would silently win.
    let duplicate = dir.path().join("duplicate-key.json");
    let text = std::fs::read_to_string(&good).unwrap();
    let at = text.find("\"metadata\"").unwrap();
    let at = at + text[at..].find('{').unwrap() + 1;
    let twice = format!(
        "{}\"title\": \"A\", \"title\": \"B\",{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&duplicate, twice).unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            duplicate,
            "duplicate key \"title\" in the object at $.system-security-plan.metadata",
        ),
        (fixture("malformed.json"), "malformed JSON"),
        (fixture("malformed.xml"), "malformed XML"),
        (fixture("truncated.xml"), "truncated.xml:"),
        (fixture("billion-laughs.xml"), "entit"),
        (fixture("xxe.xml"), "entit"),
        (fixture("future-version.json"), "2.0.0"),
        (catalog, "catalog, not a system security plan"),
        (huge.clone(), "refused"),
    ];
    for (path, expected) in cases {
        let o = assay(&["import-ssp", f, path.to_str().unwrap()]);
        let err = stderr(&o);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("reading ")).collect();
        assert_eq!(lines.len(), 1, "{name}: one line expected, got:\n{err}");
        assert!(
            lines[0].contains(&name),
            "{name}: the message names the file: {}",
            lines[0]
        );
        assert!(
            lines[0].to_lowercase().contains(&expected.to_lowercase()),
            "{name}: {}",
            lines[0]
        );
        let now = (
            json(&assay(&["info", f, "--json"])),
            json(&assay(&["log", f, "--json"])),
        );
        assert_eq!(now, before, "{name}: the engagement changed");
    }
    // The XML errors name a line.
    let o = assay(&["import-ssp", f, fixture("malformed.xml").to_str().unwrap()]);
    assert!(stderr(&o).contains("malformed.xml:7:"), "{}", stderr(&o));
    let o = assay(&["import-ssp", f, fixture("malformed.json").to_str().unwrap()]);
    assert!(
        stderr(&o).contains("line 6") || stderr(&o).contains(":6:"),
        "{}",
        stderr(&o)
    );
}
