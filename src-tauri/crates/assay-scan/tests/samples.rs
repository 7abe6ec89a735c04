//! Every sample under shared/data/scans is detected as the right format and parses with the
//! counts stated in shared/data/scans/MANIFEST.md (one table row per file).

// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use assay_scan::{
    detect, format_by_name, parse_auto, ComplianceStatus, Control, Host, Item, ItemKind, ScanError,
    ScanInfo, ScanSink, Severity, SinkError,
};

use ItemKind::{Compliance, Informational, Misconfiguration, Potential, Secret, Vulnerability};
use Severity::{Critical, High, Info, Low, Medium, Unknown};

/// Expected numbers for one file (empty slices mean "not stated in the MANIFEST").
struct Row {
    file: &'static str,
    format: &'static str,
    items: u64,
    hosts: Option<u64>,
    /// Items by the scanner's own severity value (verbatim).
    raw: &'static [(&'static str, u64)],
    /// Items by normalised severity.
    sev: &'static [(Severity, u64)],
    kinds: &'static [(ItemKind, u64)],
    /// Items by (kind, raw severity).
    kind_raw: &'static [(ItemKind, &'static str, u64)],
    compliance: &'static [(ComplianceStatus, u64)],
    credentialed_hosts: Option<u64>,
}

const fn row(file: &'static str, format: &'static str, items: u64) -> Row {
    Row {
        file,
        format,
        items,
        hosts: None,
        raw: &[],
        sev: &[],
        kinds: &[],
        kind_raw: &[],
        compliance: &[],
        credentialed_hosts: None,
    }
}

fn rows() -> Vec<Row> {
    vec![
        // Nessus
        Row {
            hosts: Some(3),
            kinds: &[(Compliance, 381), (Informational, 36 + 3)],
            compliance: &[
                (ComplianceStatus::Fail, 333),
                (ComplianceStatus::Pass, 42),
                (ComplianceStatus::Warning, 6),
            ],
            credentialed_hosts: Some(3),
            ..row("nessus/saf__nessus_sample.nessus", "nessus", 420)
        },
        Row {
            hosts: Some(3),
            raw: &[("0", 140), ("1", 2), ("2", 5), ("3", 1), ("4", 1)],
            sev: &[(Info, 140), (Low, 2), (Medium, 5), (High, 1), (Critical, 1)],
            credentialed_hosts: Some(1),
            ..row("nessus/heimdall2__sample.nessus", "nessus", 149)
        },
        Row {
            hosts: Some(1),
            raw: &[("0", 23), ("1", 1), ("2", 13), ("3", 10), ("4", 2)],
            ..row("nessus/defectdojo__nessus_with_cvssv3.nessus", "nessus", 49)
        },
        Row {
            hosts: Some(1),
            raw: &[("0", 135), ("1", 2), ("2", 9), ("3", 77), ("4", 7)],
            credentialed_hosts: Some(1),
            ..row("nessus/pytenable__example.nessus", "nessus", 230)
        },
        // Nmap: one informational item per open port; only up hosts.
        Row {
            hosts: Some(1),
            ..row("nmap/defectdojo__issue4406.xml", "nmap", 25)
        },
        Row {
            hosts: Some(5),
            ..row("nmap/securecodebox__local-network-verbose.xml", "nmap", 21)
        },
        Row {
            hosts: Some(1),
            ..row("nmap/securecodebox__scanme.nmap.org-ipv6.xml", "nmap", 3)
        },
        Row {
            hosts: Some(0),
            ..row("nmap/securecodebox__no-host.xml", "nmap", 0)
        },
        // ZAP XML
        Row {
            hosts: Some(1),
            raw: &[("3", 4), ("2", 3), ("1", 4), ("0", 4)],
            ..row(
                "zap_xml/defectdojo__zap-results-first-scan.xml",
                "zap-xml",
                15,
            )
        },
        Row {
            raw: &[("0", 4)],
            ..row(
                "zap_xml/defectdojo__zap_2.16.1_with_req_resp.xml",
                "zap-xml",
                4,
            )
        },
        Row {
            sev: &[(Medium, 1)],
            ..row("zap_xml/defectdojo__zap-xml-plus-format.xml", "zap-xml", 1)
        },
        row("zap_xml/defectdojo__empty_2.9.0.xml", "zap-xml", 0),
        // ZAP JSON
        Row {
            hosts: Some(1),
            raw: &[("2", 4), ("1", 5), ("0", 11)],
            ..row("zap_json/bcgov-chefs__report_json.json", "zap-json", 20)
        },
        Row {
            hosts: Some(4),
            raw: &[("3", 3), ("2", 5), ("1", 10), ("0", 10)],
            ..row("zap_json/heimdall2__webgoat.json", "zap-json", 28)
        },
        Row {
            hosts: Some(2),
            ..row(
                "zap_json/heimdall2__zero.webappsecurity.json",
                "zap-json",
                13,
            )
        },
        // Burp
        Row {
            raw: &[
                ("High", 24),
                ("Medium", 3),
                ("Low", 343),
                ("Information", 71),
            ],
            ..row("burp_xml/defectdojo__issue4399.xml", "burp", 441)
        },
        Row {
            raw: &[("High", 5), ("Low", 2), ("Information", 9)],
            ..row("burp_xml/defectdojo__seven_findings.xml", "burp", 16)
        },
        Row {
            raw: &[("Information", 1)],
            ..row("burp_xml/defectdojo__one_finding_with_cwe.xml", "burp", 1)
        },
        Row {
            hosts: Some(2),
            raw: &[("Medium", 1), ("Low", 3), ("Information", 56)],
            ..row(
                "burp_xml/heimdall2__zero.webappsecurity.com.min",
                "burp",
                60,
            )
        },
        // OpenVAS / GVM
        Row {
            raw: &[("High", 19), ("Medium", 23), ("", 2)],
            ..row("openvas/defectdojo__many_vuln.xml", "openvas", 44)
        },
        Row {
            raw: &[("High", 1)],
            sev: &[(Critical, 1)],
            ..row("openvas/defectdojo__report_detail_v2.xml", "openvas", 1)
        },
        Row {
            hosts: Some(0),
            ..row("openvas/defectdojo__no_vuln.xml", "openvas", 0)
        },
        // Qualys
        Row {
            hosts: Some(7),
            kinds: &[(Vulnerability, 90), (Potential, 2), (Informational, 209)],
            kind_raw: &[
                (Vulnerability, "5", 7),
                (Vulnerability, "4", 4),
                (Vulnerability, "3", 32),
                (Vulnerability, "2", 39),
                (Vulnerability, "1", 8),
            ],
            ..row(
                "qualys_vm/defectdojo__Qualys_Sample_Report.xml",
                "qualys",
                301,
            )
        },
        Row {
            hosts: Some(0),
            ..row("qualys_vm/defectdojo__empty.xml", "qualys", 0)
        },
        Row {
            hosts: Some(2),
            // 6 VULN + 2 PRACTICE + 12 INFO per the MANIFEST, plus the file's 4 SERVICE
            // entries (informational, not listed in the MANIFEST).
            kinds: &[(Vulnerability, 6), (Potential, 2), (Informational, 12 + 4)],
            kind_raw: &[(Vulnerability, "2", 4), (Vulnerability, "5", 2)],
            ..row(
                "qualys_vm/defectdojo__qualys_infrascan_webgui_multiple.xml",
                "qualys-scan",
                24,
            )
        },
        // Nuclei
        Row {
            raw: &[("critical", 1), ("medium", 2), ("low", 1), ("info", 23)],
            ..row("nuclei/defectdojo__issue_14071.json", "nuclei", 27)
        },
        Row {
            raw: &[("medium", 1), ("low", 1), ("info", 16)],
            ..row("nuclei/defectdojo__many_findings.json", "nuclei", 18)
        },
        Row {
            raw: &[("info", 6)],
            ..row("nuclei/defectdojo__multiple_v3.json", "nuclei", 6)
        },
        // Trivy
        Row {
            kinds: &[(Vulnerability, 182), (Secret, 3)],
            kind_raw: &[
                (Vulnerability, "CRITICAL", 28),
                (Vulnerability, "HIGH", 100),
                (Vulnerability, "MEDIUM", 48),
                (Vulnerability, "LOW", 6),
            ],
            ..row(
                "trivy/securecodebox__juice-shop-v12.10.2.json",
                "trivy",
                185,
            )
        },
        row(
            "trivy/securecodebox__juice-shop-v12.10.2-no-results.json",
            "trivy",
            0,
        ),
        Row {
            raw: &[("HIGH", 18), ("MEDIUM", 9), ("LOW", 65), ("UNKNOWN", 1)],
            sev: &[(High, 18), (Medium, 9), (Low, 65), (Unknown, 1)],
            ..row("trivy/defectdojo__legacy_many_vulns.json", "trivy", 93)
        },
        Row {
            hosts: Some(13),
            kinds: &[(Misconfiguration, 37)],
            raw: &[("HIGH", 1), ("MEDIUM", 5), ("LOW", 31)],
            ..row("trivy/defectdojo__issue_10991.json", "trivy", 37)
        },
        // Grype
        Row {
            raw: &[
                ("Critical", 13),
                ("High", 44),
                ("Medium", 28),
                ("Low", 2),
                ("Unknown", 2),
            ],
            ..row("grype/heimdall2__anchore_grype.json", "grype", 89)
        },
        row(
            "grype/defectdojo__many_vulns_with_epss_values.json",
            "grype",
            15,
        ),
        Row {
            raw: &[
                ("Critical", 5),
                ("High", 24),
                ("Medium", 155),
                ("Low", 27),
                ("Negligible", 106),
                ("Unknown", 10),
            ],
            sev: &[(Info, 106), (Unknown, 10)],
            ..row("grype/defectdojo__many_vulns3.json", "grype", 327)
        },
        row("grype/defectdojo__no_vuln.json", "grype", 0),
        // SARIF
        row("sarif/defectdojo__cxf-3.4.6.sarif", "sarif", 22),
        row("sarif/defectdojo__dependency_check.sarif", "sarif", 13),
        row("sarif/defectdojo__codeQL-output.sarif", "sarif", 72),
        row("sarif/defectdojo__no_runs.sarif", "sarif", 0),
    ]
}

#[derive(Default)]
struct Tally {
    infos: u64,
    hosts: Vec<Host>,
    items: u64,
    raw: BTreeMap<String, u64>,
    sev: BTreeMap<Severity, u64>,
    kinds: BTreeMap<String, u64>,
    kind_raw: BTreeMap<(String, String), u64>,
    compliance: BTreeMap<String, u64>,
    items_before_info: bool,
}

impl ScanSink for Tally {
    fn scan_info(&mut self, _info: ScanInfo) -> Result<(), SinkError> {
        self.infos += 1;
        Ok(())
    }

    fn host(&mut self, host: Host) -> Result<(), SinkError> {
        self.hosts.push(host);
        Ok(())
    }

    fn item(&mut self, item: Item) -> Result<(), SinkError> {
        if self.infos == 0 {
            self.items_before_info = true;
        }
        self.items += 1;
        *self.raw.entry(item.raw_severity.clone()).or_default() += 1;
        *self.sev.entry(item.severity).or_default() += 1;
        let kind = format!("{:?}", item.kind);
        *self.kinds.entry(kind.clone()).or_default() += 1;
        *self
            .kind_raw
            .entry((kind, item.raw_severity.clone()))
            .or_default() += 1;
        if let Some(r) = item.compliance.as_ref().and_then(|c| c.result) {
            *self.compliance.entry(format!("{r:?}")).or_default() += 1;
        }
        Ok(())
    }
}

fn head_of(path: &Path) -> Vec<u8> {
    let mut head = Vec::new();
    File::open(path)
        .unwrap()
        .take(assay_scan::SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .unwrap();
    head
}

#[test]
fn every_sample_matches_the_manifest() {
    let scans = assay_testkit::require_shared_data!("scans");
    let mut failures = Vec::new();
    let rows = rows();
    for r in &rows {
        let path = scans.join(r.file);
        let detected = detect(&head_of(&path)).map(|f| f.name());
        if detected.as_ref().ok() != Some(&r.format) {
            failures.push(format!(
                "{}: detected {detected:?}, want {}",
                r.file, r.format
            ));
            continue;
        }
        let mut input = BufReader::new(File::open(&path).unwrap());
        let mut t = Tally::default();
        let summary = match parse_auto(&mut input, &mut t, &Control::default()) {
            Ok((_, s)) => s,
            Err(e) => {
                failures.push(format!("{}: {e}", r.file));
                continue;
            }
        };
        let mut check = |what: String, got: u64, want: u64| {
            if got != want {
                failures.push(format!("{}: {what}: got {got}, want {want}", r.file));
            }
        };
        check("items".into(), t.items, r.items);
        check("summary.items".into(), summary.items, r.items);
        check("summary.hosts".into(), summary.hosts, t.hosts.len() as u64);
        if let Some(h) = r.hosts {
            check("hosts".into(), t.hosts.len() as u64, h);
        }
        for (raw, n) in r.raw {
            check(
                format!("raw {raw:?}"),
                t.raw.get(*raw).copied().unwrap_or(0),
                *n,
            );
        }
        for (s, n) in r.sev {
            check(
                format!("severity {s:?}"),
                t.sev.get(s).copied().unwrap_or(0),
                *n,
            );
        }
        for (k, n) in r.kinds {
            let key = format!("{k:?}");
            check(
                format!("kind {key}"),
                t.kinds.get(&key).copied().unwrap_or(0),
                *n,
            );
        }
        for (k, raw, n) in r.kind_raw {
            let key = (format!("{k:?}"), raw.to_string());
            check(
                format!("{key:?}"),
                t.kind_raw.get(&key).copied().unwrap_or(0),
                *n,
            );
        }
        for (c, n) in r.compliance {
            let key = format!("{c:?}");
            check(
                format!("compliance {key}"),
                t.compliance.get(&key).copied().unwrap_or(0),
                *n,
            );
        }
        if let Some(n) = r.credentialed_hosts {
            let got = t
                .hosts
                .iter()
                .filter(|h| h.credentialed == Some(true))
                .count() as u64;
            check("credentialed hosts".into(), got, n);
        }
        if t.infos == 0 || t.items_before_info {
            failures.push(format!("{}: scan_info must precede items", r.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn table_covers_every_sample_file() {
    let scans = assay_testkit::require_shared_data!("scans");
    let listed: Vec<String> = rows().iter().map(|r| r.file.to_string()).collect();
    let mut missing = Vec::new();
    for dir in std::fs::read_dir(&scans).unwrap() {
        let dir = dir.unwrap();
        if !dir.file_type().unwrap().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).unwrap() {
            let f = f.unwrap();
            let rel = format!(
                "{}/{}",
                dir.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            );
            if !listed.contains(&rel) && rel != "nuclei/defectdojo__empty.jsonl" {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "samples without a table row: {missing:?}"
    );
}

#[test]
fn empty_nuclei_file_is_ambiguous_but_parses_as_nuclei() {
    let path = assay_testkit::require_shared_data!("scans/nuclei/defectdojo__empty.jsonl");
    assert!(matches!(detect(&head_of(&path)), Err(ScanError::Empty)));
    let nuclei = format_by_name("nuclei").unwrap();
    let mut t = Tally::default();
    let mut input = BufReader::new(File::open(&path).unwrap());
    let s = nuclei
        .parse(&mut input, &mut t, &Control::default())
        .unwrap();
    assert_eq!((s.items, t.items), (0, 0));
}

#[test]
fn nessus_details_from_samples() {
    let scans = assay_testkit::require_shared_data!("scans");
    let path = scans.join("nessus/saf__nessus_sample.nessus");
    let mut input = BufReader::new(File::open(&path).unwrap());
    let mut sink = assay_scan::VecSink::default();
    parse_auto(&mut input, &mut sink, &Control::default()).unwrap();
    // Asset identity comes from host-ip, not the AWS-style ReportHost name.
    assert_eq!(sink.hosts[0].identity.ip.as_deref(), Some("10.10.23.102"));
    assert_eq!(
        sink.hosts[0].identity.name.as_deref(),
        Some("ip-10-10-23-102")
    );
    let c = sink
        .items
        .iter()
        .find_map(|i| {
            i.compliance
                .as_ref()
                .filter(|c| !c.references_800_53.is_empty())
        })
        .unwrap();
    assert!(c.references_800_53.iter().any(|r| r == "CM-6"), "{c:?}");
    assert_eq!(
        c.audit_file.as_deref(),
        Some("CIS_Ubuntu_18.04_LTS_Server_v2.0.1_L2.audit")
    );
    // Compliance checks share pluginID 21157 but keep distinct weakness keys.
    let keys: std::collections::BTreeSet<String> = sink
        .items
        .iter()
        .filter(|i| i.compliance.is_some())
        .map(assay_scan::weakness_key)
        .collect();
    assert!(keys.len() > 100, "{} distinct compliance keys", keys.len());

    let path = scans.join("nessus/heimdall2__sample.nessus");
    let mut input = BufReader::new(File::open(&path).unwrap());
    let mut sink = assay_scan::VecSink::default();
    parse_auto(&mut input, &mut sink, &Control::default()).unwrap();
    let failing: Vec<_> = sink
        .hosts
        .iter()
        .filter(|h| !h.auth_failures.is_empty())
        .collect();
    assert_eq!(failing.len(), 2);
    assert!(failing.iter().all(|h| h.credentialed == Some(false)));
    let with_cve = sink.items.iter().find(|i| !i.cves.is_empty()).unwrap();
    assert_eq!(assay_scan::correlation_keys(with_cve), with_cve.cves);
    assert!(sink
        .items
        .iter()
        .any(|i| i.cvss.iter().any(|c| c.version.starts_with('3'))));
}
