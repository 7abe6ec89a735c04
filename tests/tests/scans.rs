//! Scanner imports through the `assay` command line on every sample of shared/data/scans: item
//! counts as the MANIFEST states them, duplicate refusal and `--replace`, hostile and broken
//! inputs refused with the engagement unchanged, coverage against a small SSP, and the
//! compliance (CM-6) roll-up of the saf Nessus audit sample.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assay_e2e::{assay, shared_data, stderr, stdout};
use serde_json::Value;

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

fn new_engagement(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(format!("{name}.assay"));
    let o = assay(&["new", file.to_str().unwrap(), "--name", "Example Cloud"]);
    assert!(o.status.success(), "{}", stderr(&o));
    file
}

/// A scan in the shared sample data (each test starts with `require_shared_data!`).
fn scan(rel: &str) -> PathBuf {
    shared_data().join("scans").join(rel)
}

fn import(file: &Path, scans: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["import-scan", file.to_str().unwrap()];
    args.extend(scans.iter().map(|s| s.to_str().unwrap()));
    args.extend(extra);
    args.push("--json");
    assay(&args)
}

/// `info` and `log` as JSON: together they change whenever anything is stored.
fn snapshot(file: &Path) -> (Value, Value) {
    let f = file.to_str().unwrap();
    (
        json(&assay(&["info", f, "--json"])),
        json(&assay(&["log", f, "--json"])),
    )
}

/// Items per sample file, as shared/data/scans/MANIFEST.md (and assay-scan's samples test)
/// state them. The 0-byte `nuclei/defectdojo__empty.jsonl` is refused as empty (see below).
const SAMPLES: &[(&str, u64)] = &[
    ("nessus/saf__nessus_sample.nessus", 420),
    ("nessus/heimdall2__sample.nessus", 149),
    ("nessus/defectdojo__nessus_with_cvssv3.nessus", 49),
    ("nessus/pytenable__example.nessus", 230),
    ("nmap/defectdojo__issue4406.xml", 25),
    ("nmap/securecodebox__local-network-verbose.xml", 21),
    ("nmap/securecodebox__scanme.nmap.org-ipv6.xml", 3),
    ("nmap/securecodebox__no-host.xml", 0),
    ("zap_xml/defectdojo__zap-results-first-scan.xml", 15),
    ("zap_xml/defectdojo__zap_2.16.1_with_req_resp.xml", 4),
    ("zap_xml/defectdojo__zap-xml-plus-format.xml", 1),
    ("zap_xml/defectdojo__empty_2.9.0.xml", 0),
    ("zap_json/bcgov-chefs__report_json.json", 20),
    ("zap_json/heimdall2__webgoat.json", 28),
    ("zap_json/heimdall2__zero.webappsecurity.json", 13),
    ("burp_xml/defectdojo__issue4399.xml", 441),
    ("burp_xml/defectdojo__seven_findings.xml", 16),
    ("burp_xml/defectdojo__one_finding_with_cwe.xml", 1),
    ("burp_xml/heimdall2__zero.webappsecurity.com.min", 60),
    ("openvas/defectdojo__many_vuln.xml", 44),
    ("openvas/defectdojo__report_detail_v2.xml", 1),
    ("openvas/defectdojo__no_vuln.xml", 0),
    ("qualys_vm/defectdojo__Qualys_Sample_Report.xml", 301),
    ("qualys_vm/defectdojo__empty.xml", 0),
    (
        "qualys_vm/defectdojo__qualys_infrascan_webgui_multiple.xml",
        24,
    ),
    ("nuclei/defectdojo__issue_14071.json", 27),
    ("nuclei/defectdojo__many_findings.json", 18),
    ("nuclei/defectdojo__multiple_v3.json", 6),
    ("trivy/securecodebox__juice-shop-v12.10.2.json", 185),
    (
        "trivy/securecodebox__juice-shop-v12.10.2-no-results.json",
        0,
    ),
    ("trivy/defectdojo__legacy_many_vulns.json", 93),
    ("trivy/defectdojo__issue_10991.json", 37),
    ("grype/heimdall2__anchore_grype.json", 89),
    ("grype/defectdojo__many_vulns_with_epss_values.json", 15),
    ("grype/defectdojo__many_vulns3.json", 327),
    ("grype/defectdojo__no_vuln.json", 0),
    ("sarif/defectdojo__cxf-3.4.6.sarif", 22),
    ("sarif/defectdojo__dependency_check.sarif", 13),
    ("sarif/defectdojo__codeQL-output.sarif", 72),
    ("sarif/defectdojo__no_runs.sarif", 0),
];

#[test]
fn every_sample_imports_with_the_manifest_counts() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "all");
    let paths: Vec<PathBuf> = SAMPLES.iter().map(|(rel, _)| scan(rel)).collect();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let o = import(&file, &refs, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let receipts = json(&o);
    let receipts = receipts.as_array().unwrap();
    assert_eq!(receipts.len(), SAMPLES.len());
    let mut failures = Vec::new();
    let mut weaknesses = 0;
    for ((rel, items), r) in SAMPLES.iter().zip(receipts) {
        let n = |k: &str| r[k].as_u64().unwrap();
        let skipped: u64 = r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["count"].as_u64().unwrap())
            .sum();
        if n("items_read") != *items {
            failures.push(format!("{rel}: read {}, want {items}", n("items_read")));
        }
        if n("stored") + n("informational") + skipped != n("items_read") {
            failures.push(format!(
                "{rel}: stored + informational + skipped != read: {r}"
            ));
        }
        assert!(r["file"].as_str().unwrap().ends_with(rel), "{r}");
        weaknesses += n("weaknesses_new");
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every raw file is kept once under its SHA-256 beside the engagement.
    let kept = std::fs::read_dir(dir.path().join("all.assay.scans"))
        .unwrap()
        .count();
    assert_eq!(kept, SAMPLES.len());
    let info = json(&assay(&["info", file.to_str().unwrap(), "--json"]));
    let counted = info["counts"]["weaknesses"].as_u64().unwrap();
    assert!(
        counted > 0 && counted <= weaknesses,
        "{counted} of {weaknesses}"
    );
    let w = json(&assay(&["weaknesses", file.to_str().unwrap(), "--json"]));
    assert_eq!(w.as_array().unwrap().len() as u64, counted);
}

#[test]
fn the_same_file_twice_is_refused_unless_replaced() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "dup");
    let sample = scan("nessus/heimdall2__sample.nessus");
    let first = import(&file, &[&sample], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&file);
    let weaknesses_before = json(&assay(&[
        "weaknesses",
        file.to_str().unwrap(),
        "--all",
        "--json",
    ]));

    let again = import(&file, &[&sample], &[]);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(
        err.contains(sample.to_str().unwrap())
            && err.contains("already imported as \"heimdall2__sample.nessus\""),
        "{err}"
    );
    assert_eq!(
        snapshot(&file),
        before,
        "a refused import changed the engagement"
    );

    let replaced = import(&file, &[&sample], &["--replace"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    let r = &json(&replaced)[0];
    assert_eq!(r["duplicate_of"]["name"], "heimdall2__sample.nessus");
    assert_eq!(r["items_read"], 149);
    assert_eq!(r["weaknesses_new"], 0);
    let after = snapshot(&file);
    assert_eq!(after.0["counts"], before.0["counts"].clone().tap_audit(1));
    let weaknesses_after = json(&assay(&[
        "weaknesses",
        file.to_str().unwrap(),
        "--all",
        "--json",
    ]));
    let ids = |v: &Value| -> Vec<(i64, u64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["id"].as_i64().unwrap(),
                    w["instance_count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(ids(&weaknesses_after), ids(&weaknesses_before));
}

/// Adds `n` audit records to a `counts` object.
trait TapAudit {
    fn tap_audit(self, n: u64) -> Value;
}

impl TapAudit for Value {
    fn tap_audit(mut self, n: u64) -> Value {
        let c = self["audit_records"].as_u64().unwrap();
        self["audit_records"] = Value::from(c + n);
        self
    }
}

#[test]
fn bad_inputs_are_refused_and_change_nothing() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "bad");
    let ok = import(&file, &[&scan("nessus/pytenable__example.nessus")], &[]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let nessus = std::fs::read(scan("nessus/heimdall2__sample.nessus")).unwrap();
    let trivy = std::fs::read(scan("trivy/defectdojo__legacy_many_vulns.json")).unwrap();
    let at = trivy.windows(5).position(|w| w == b"Title").unwrap() + 20;
    let mut bad_utf8 = trivy[..at].to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe");
    bad_utf8.extend_from_slice(&trivy[at..]);
    // A Latin-1 byte inside plugin output of a Nessus file.
    let at = nessus
        .windows(14)
        .position(|w| w == b"<plugin_output")
        .unwrap()
        + 20;
    let mut latin1 = nessus[..at].to_vec();
    latin1.push(0xe9);
    latin1.extend_from_slice(&nessus[at..]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("latin1.nessus", latin1.clone(), "invalid UTF-8 near byte offset"),
        ("truncated.nessus", nessus[..100_000].to_vec(), "unexpected end of file inside <"),
        (
            "xxe.nessus",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<NessusClientData_v2><Report name=\"r\">&x;</Report></NessusClientData_v2>\n".to_vec(),
            "DOCTYPE declares an entity",
        ),
        (
            "laughs.nessus",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n<NessusClientData_v2><Report name=\"&c;\"/></NessusClientData_v2>\n".to_vec(),
            "DOCTYPE declares an entity",
        ),
        ("invalid-utf8.json", bad_utf8, "invalid UTF-8 at byte offset"),
        (
            "duplicate-key.json",
            {
                let at = trivy.iter().position(|&b| b == b'{').unwrap() + 1;
                [&trivy[..at], b"\"Target\":\"a\",\"Target\":\"b\",", &trivy[at..]].concat()
            },
            "duplicate key \"Target\"",
        ),
        ("empty.nessus", Vec::new(), "empty file"),
        (
            "ssp.json",
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scans/coverage-ssp.json")).unwrap(),
            "not a recognised scanner format",
        ),
    ];
    let mut paths: Vec<(PathBuf, &str)> = cases
        .iter()
        .map(|(name, bytes, want)| {
            let p = inputs.join(name);
            std::fs::write(&p, bytes).unwrap();
            (p, *want)
        })
        .collect();
    // A 2 GB sparse file: refused from its first bytes, never read whole.
    let sparse = inputs.join("sparse.nessus");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    paths.push((sparse, "not a recognised scanner format"));
    // The corpus's own 0-byte sample.
    paths.push((scan("nuclei/defectdojo__empty.jsonl"), "empty file"));

    // With --accept-invalid-utf8 the same file imports, the bad byte replaced.
    let accept_dir = tempfile::tempdir().unwrap();
    let accept = new_engagement(accept_dir.path(), "accept");
    let latin1_path = accept_dir.path().join("latin1.nessus");
    std::fs::write(&latin1_path, &latin1).unwrap();
    let o = import(&accept, &[&latin1_path], &["--accept-invalid-utf8"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let before = snapshot(&file);
    let kept_before = std::fs::read_dir(dir.path().join("bad.assay.scans"))
        .unwrap()
        .count();
    for (path, want) in &paths {
        let o = import(&file, &[path], &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", path.display());
        let line = err.lines().last().unwrap();
        assert!(
            line.contains(path.to_str().unwrap()) && line.contains(want),
            "{}: {line}",
            path.display()
        );
        assert_eq!(
            snapshot(&file),
            before,
            "{} changed the engagement",
            path.display()
        );
    }
    let kept_after = std::fs::read_dir(dir.path().join("bad.assay.scans"))
        .unwrap()
        .count();
    assert_eq!(kept_after, kept_before, "a refused file left a copy behind");

    // Several files: every good file imports, each bad one is named on its own line with its
    // reason (and stores nothing), and the run exits 1.
    let o = import(
        &file,
        &[
            &scan("nmap/defectdojo__issue4406.xml"),
            &paths[0].0,
            &scan("nmap/securecodebox__scanme.nmap.org-ipv6.xml"),
            &paths[1].0,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let named: Vec<&str> = err.lines().filter(|l| l.starts_with("assay: ")).collect();
    assert_eq!(named.len(), 2, "{err}");
    for ((path, want), line) in paths[..2].iter().zip(&named) {
        assert!(
            line.contains(path.to_str().unwrap()) && line.contains(want),
            "{line}"
        );
    }
    let done = json(&o);
    let read: Vec<&Value> = done
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["items_read"])
        .collect();
    assert_eq!(read, [25, 3]);
}

#[test]
fn coverage_matches_scanned_hosts_to_the_inventory() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "cov");
    let f = file.to_str().unwrap();
    let ssp = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scans/coverage-ssp.json");
    let o = assay(&["import-ssp", f, ssp.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = import(
        &file,
        &[
            &scan("nessus/heimdall2__sample.nessus"),
            &scan("nessus/saf__nessus_sample.nessus"),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r[0]["hosts"], 3);
    assert_eq!(r[0]["hosts_matched"], 2);
    assert_eq!(r[1]["hosts_matched"], 1);

    let c = json(&assay(&["coverage", f, "--json"]));
    let asset = |id: &str| {
        c["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["asset_id"] == id)
            .unwrap()
            .clone()
    };
    for id in ["WEB-01", "WEB-02"] {
        let a = asset(id);
        assert_eq!(a["scanned"], true, "{a}");
        assert_eq!(a["credentialed"], false, "{a}");
        assert_eq!(a["tools"][0]["tool"], "Nessus");
        assert!(
            a["explanation"]
                .as_str()
                .unwrap()
                .contains("authentication failed"),
            "{a}"
        );
    }
    let app = asset("APP-01");
    assert_eq!(
        (app["scanned"].clone(), app["credentialed"].clone()),
        (Value::Bool(true), Value::Bool(true)),
        "{app}"
    );
    let db = asset("DB-01");
    assert_eq!(db["scanned"], false);
    assert_eq!(db["credentialed"], Value::Null);
    let undocumented: Vec<&str> = c["undocumented"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["label"].as_str().unwrap())
        .collect();
    assert_eq!(undocumented, ["10.0.0.3", "10.10.37.43", "10.10.24.231"]);
    let s = &c["summary"];
    assert_eq!(
        (
            s["in_scope"].as_u64(),
            s["scanned"].as_u64(),
            s["credentialed"].as_u64()
        ),
        (Some(4), Some(3), Some(1))
    );
    assert_eq!(s["percent_scanned"], 75.0);

    // Text output names each asset.
    let text = stdout(&assay(&["coverage", f]));
    assert!(
        text.contains("MISSING")
            && text.contains("DB-01")
            && text.contains("UNDOCUMENTED 10.0.0.3"),
        "{text}"
    );
}

#[test]
fn compliance_results_roll_up_as_configuration_findings() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "cm6");
    let o = import(&file, &[&scan("nessus/saf__nessus_sample.nessus")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &json(&o)[0];
    assert_eq!(r["compliance_results"], 381);
    assert_eq!(r["informational"], 39);
    let c = json(&assay(&[
        "config-findings",
        file.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(
        (
            c["failed"].as_u64(),
            c["passed"].as_u64(),
            c["warnings"].as_u64()
        ),
        (Some(333), Some(42), Some(6))
    );
    let findings = c["findings"].as_array().unwrap();
    // 127 checks per host; every check that failed or warned anywhere is one finding.
    assert!(
        !findings.is_empty() && findings.len() <= 127,
        "{}",
        findings.len()
    );
    let failed: u64 = findings.iter().map(|f| f["failed"].as_u64().unwrap()).sum();
    let warned: u64 = findings
        .iter()
        .map(|f| f["warnings"].as_u64().unwrap())
        .sum();
    assert_eq!((failed, warned), (333, 6));
    assert!(findings
        .iter()
        .all(|f| f["result"] == "fail" || f["result"] == "warning"));
    assert!(
        findings.iter().any(|f| f["refs_800_53"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "CM-6")),
        "no check references CM-6"
    );
}

/// A scan whose text carries terminal escape sequences (a title change, a screen clear, colours,
/// a bell): the data keeps them (JSON output escapes them), but nothing printed as text does.
#[test]
fn escape_sequences_from_a_scan_never_reach_the_terminal() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let file = new_engagement(dir.path(), "escapes");
    let original = std::fs::read_to_string(scan("nuclei/defectdojo__issue_14071.json")).unwrap();
    let hostile_name =
        r#""name":"\u001b]0;pwned\u0007\u001b[2J\u001b[31mDVWA Default Login\u001b[0m\u009b1m""#;
    let forged = original.replacen(r#""name":"DVWA Default Login""#, hostile_name, 1);
    assert_ne!(
        forged, original,
        "the sample still names DVWA Default Login"
    );
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, forged).unwrap();
    let o = import(&file, &[&path], &[]);
    assert!(o.status.success(), "{}", stderr(&o));

    let f = file.to_str().unwrap();
    let text = assay(&["weaknesses", f]);
    assert!(text.status.success(), "{}", stderr(&text));
    let shown = stdout(&text);
    assert!(shown.contains("DVWA Default Login"), "{shown}");
    assert!(
        !shown.contains(['\u{1b}', '\u{7}', '\u{9b}']),
        "a control character reached stdout: {shown:?}"
    );
    let data = json(&assay(&["weaknesses", f, "--json"]));
    let stored = data
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_owned())
        .find(|n| n.contains("DVWA"))
        .unwrap();
    assert!(
        stored.starts_with("\u{1b}]0;pwned"),
        "the record keeps the text: {stored:?}"
    );
}
