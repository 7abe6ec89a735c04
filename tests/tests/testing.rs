//! Testing during the freeze through the `assay` command line: freeze, test results, evidence,
//! findings, on the FedRAMP Moderate baseline and the NIST example SSP.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_e2e::{assay, shared_data, stderr, stdout};
use serde_json::Value;

/// The NIST example SSP's logging server (an inventory item uuid).
const LOGGING_SERVER: &str = "c9c32657-a0eb-4cf2-b5c1-20928983063c";

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A Moderate engagement with the FedRAMP Moderate baseline and the NIST example SSP (`form`:
/// `json` or `xml`).
fn engagement(dir: &Path, name: &str, form: &str) -> PathBuf {
    let file = dir.join(format!("{name}.assay"));
    let o = assay(&[
        "new",
        s(&file),
        "--name",
        "Example Cloud",
        "--impact",
        "moderate",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let catalog = shared_data().join(
        "baselines/fedramp-rev5/xml/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
    );
    let o = assay(&["baseline", s(&file), "--import", s(&catalog), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ssp = shared_data().join(format!("oscal/nist-examples/ssp/{form}/ssp-example.{form}"));
    let o = assay(&["import-ssp", s(&file), s(&ssp), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    file
}

fn freeze(file: &Path) -> Value {
    json(&assay(&[
        "freeze",
        s(file),
        "--start",
        "2026-02-01",
        "--end",
        "2026-02-28",
        "--json",
    ]))
}

#[test]
fn freeze_test_evidence_and_findings_on_the_command_line() {
    assay_testkit::require_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let file = engagement(dir.path(), "cli", "json");

    // Freeze: the JSON and XML forms of the SSP give the same baseline hash.
    let f = freeze(&file);
    assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(f["window"]["start"], "2026-02-01");
    assert_eq!(f["window"]["end"], "2026-02-28");
    let xml = engagement(dir.path(), "xml", "xml");
    assert_eq!(freeze(&xml)["sha256"], f["sha256"]);
    // Without a window the freeze is refused with exit 1.
    let o = assay(&["freeze", s(&xml)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("test window"), "{}", stderr(&o));

    // Evidence: the same bytes twice are stored once.
    let a = dir.path().join("policy.txt");
    let b = dir.path().join("policy-copy.txt");
    let c = dir.path().join("scan.txt");
    std::fs::write(&a, "access control policy v3").unwrap();
    std::fs::write(&b, "access control policy v3").unwrap();
    std::fs::write(&c, "scan output").unwrap();
    let added = json(&assay(&[
        "evidence",
        "add",
        s(&file),
        s(&a),
        s(&b),
        s(&c),
        "--title",
        "Policy",
        "--json",
    ]));
    let added = added.as_array().unwrap();
    assert_eq!(added.len(), 3);
    assert_eq!(added[0]["sha256"], added[1]["sha256"]);
    assert_ne!(added[0]["sha256"], added[2]["sha256"]);
    let flags: Vec<bool> = added
        .iter()
        .map(|a| a["stored_once"].as_bool().unwrap())
        .collect();
    assert_eq!(flags, [false, true, false]);
    assert_eq!(added[0]["path"], s(&a));
    let policy = added[0]["sha256"].as_str().unwrap().to_owned();
    let scan = added[2]["sha256"].as_str().unwrap().to_owned();

    // A satisfied result with methods, a note and evidence.
    let row = json(&assay(&[
        "test",
        s(&file),
        "--objective",
        "ac-1_obj.a-1",
        "--result",
        "satisfied",
        "--method",
        "examine,interview",
        "--note",
        "Policy reviewed and approved",
        "--evidence",
        &policy,
        "--date",
        "2026-02-10",
        "--json",
    ]));
    assert_eq!(row["result"], "satisfied");
    assert_eq!(row["methods"], serde_json::json!(["examine", "interview"]));
    assert_eq!(row["observations"], "Policy reviewed and approved");
    assert_eq!(row["assessor"], "e2e-tester");
    assert_eq!(row["evidence_ids"], serde_json::json!([policy]));
    assert_eq!(row["outside_window"], false);

    // Other than satisfied without a finding or reason: refused, exit 1, nothing stored.
    let ots = |extra: &[&str]| {
        let mut args = vec![
            "test",
            s(&file),
            "--objective",
            "ac-2_obj.a-1",
            "--result",
            "other-than-satisfied",
            "--date",
            "2026-03-05",
        ];
        args.extend_from_slice(extra);
        assay(&args)
    };
    let o = ots(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("ac-2_obj.a-1"), "{}", stderr(&o));

    // A finding for it: risk computed by the FedRAMP matrix.
    let finding = json(&assay(&[
        "finding",
        "add",
        s(&file),
        "--title",
        "Account types not defined",
        "--likelihood",
        "high",
        "--impact",
        "moderate",
        "--control",
        "AC-2",
        "--asset",
        LOGGING_SERVER,
        "--objective",
        "ac-2_obj.a-1",
        "--json",
    ]));
    assert_eq!(finding["risk"], "moderate");
    assert_eq!(finding["reference"], "F-001");
    assert_eq!(finding["controls"], serde_json::json!(["ac-2"]));
    assert_eq!(finding["assets"], serde_json::json!([LOGGING_SERVER]));
    assert_eq!(finding["status"], "open");
    let high = json(&assay(&[
        "finding",
        "add",
        s(&file),
        "--title",
        "Default admin password",
        "--likelihood",
        "high",
        "--impact",
        "high",
        "--json",
    ]));
    assert_eq!(high["risk"], "high");

    // Now the other-than-satisfied result is accepted; dated outside the window, it is flagged.
    let o = ots(&["--json"]);
    let row = json(&o);
    assert_eq!(row["result"], "other-than-satisfied");
    assert_eq!(row["finding_ids"][0], finding["id"]);
    assert_eq!(row["outside_window"], true);

    let list = json(&assay(&["findings", s(&file), "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["title"], "Default admin password");
    let o = assay(&["findings", s(&file)]);
    assert!(stdout(&o).contains("F-002"), "{}", stdout(&o));

    let counts = &json(&assay(&["info", s(&file), "--json"]))["counts"];
    assert_eq!(counts["test_results"], 2);
    assert_eq!(counts["findings"], 2);
    assert_eq!(counts["evidence"], 2);

    // Bad input: exit 1 with one line naming the problem.
    for args in [
        vec![
            "finding",
            "add",
            s(&file),
            "--title",
            "x",
            "--likelihood",
            "extreme",
            "--impact",
            "low",
        ],
        vec![
            "finding",
            "add",
            s(&file),
            "--title",
            "x",
            "--likelihood",
            "low",
            "--impact",
            "low",
            "--control",
            "zz-9",
        ],
        vec![
            "finding",
            "add",
            s(&file),
            "--title",
            "x",
            "--likelihood",
            "low",
            "--impact",
            "low",
            "--asset",
            "nope",
        ],
        vec![
            "test",
            s(&file),
            "--objective",
            "zz-1_obj.a",
            "--result",
            "satisfied",
        ],
        vec![
            "test",
            s(&file),
            "--objective",
            "ac-1_obj.a-1",
            "--result",
            "satisfied",
            "--evidence",
            "abc",
        ],
    ] {
        let o = assay(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).trim().is_empty());
    }

    // Every change is in the audit log, and the chain holds.
    let log = json(&assay(&["log", s(&file), "--json"]));
    let entities: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entity"].as_str().unwrap())
        .collect();
    for e in ["freeze", "evidence", "control_test", "finding"] {
        assert!(entities.contains(&e), "{e} missing from {entities:?}");
    }
    // A re-import after the freeze is drift.
    let ssp = shared_data().join("oscal/nist-examples/ssp/xml/ssp-example.xml");
    let o = assay(&["import-ssp", s(&file), s(&ssp), "--apply", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = json(&assay(&["log", s(&file), "--json"]));
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["entity"] == "drift"));
    assert!(assay(&["verify-log", s(&file)]).status.success());

    // Evidence verification: intact, then a changed and a missing file.
    let o = assay(&["verify-evidence", s(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let blob = |sha: &str| {
        let mut name = file.file_name().unwrap().to_os_string();
        name.push(".evidence");
        file.with_file_name(name)
            .join("sha256")
            .join(&sha[..2])
            .join(sha)
    };
    std::fs::write(blob(&policy), "access control policy v4").unwrap();
    std::fs::remove_file(blob(&scan)).unwrap();
    let o = assay(&["verify-evidence", s(&file)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{policy} \"Policy\" is changed")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{scan} \"Policy\" is missing")),
        "{err}"
    );
}
