//! Scanner imports through the core API: the review step (accept → finding with the mapped
//! library write-up, false positive, merge), instances with their decompressed output, the
//! per-asset view, CVE correlation across tools, cancel leaving nothing behind, and the kept
//! raw copy (byte for byte; none for a refused file).

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use assay_core::api::scans::{scans_dir, ScanImportOptions};
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::model::ids::{FindingId, WeaknessId};
use assay_core::model::scans::{ReviewAction, ReviewStatus, WeaknessFilter};
use assay_core::model::testing::{FindingCategory, FindingSource, NewLibraryEntry, RiskLevel};
use assay_core::model::NewEngagement;
use assay_core::{Context, Error, Session};

const CVSS3: &str = "nessus/defectdojo__nessus_with_cvssv3.nessus";

fn context() -> Context {
    let start = chrono::DateTime::parse_from_rfc3339("2026-02-02T10:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(11)),
        actor: "tester".into(),
    }
}

fn create(dir: &Path, name: &str) -> Session {
    Session::create(
        &dir.join(format!("{name}.assay")),
        &NewEngagement::named("Example Cloud"),
        context(),
    )
    .unwrap()
}

/// A scan in the shared sample data (each test starts with `require_shared_data!`).
fn sample(rel: &str) -> PathBuf {
    assay_testkit::shared("scans").join(rel)
}

fn import(s: &mut Session, rel: &str) {
    s.import_scan(&sample(rel), &ScanImportOptions::default())
        .unwrap();
}

#[test]
fn accepted_weaknesses_become_findings_with_the_library_write_up() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    // Learn the top weakness of the sample in a scratch engagement.
    let mut scratch = create(dir.path(), "scratch");
    import(&mut scratch, CVSS3);
    let rows = scratch.weaknesses(&WeaknessFilter::default()).unwrap();
    let top = rows.first().unwrap().clone();
    assert_eq!(top.fedramp_risk, Some(RiskLevel::High), "{top:?}");
    assert!(rows.iter().all(|w| w.kind != "informational"));

    let mut s = create(dir.path(), "review");
    let entry = s
        .add_library_entry(&NewLibraryEntry {
            title: "Outdated web server software".into(),
            description: "The web server runs unsupported software.".into(),
            recommendation: "Upgrade to a supported release.".into(),
            risk_statement: "Known vulnerabilities can be exploited remotely.".into(),
            likelihood: RiskLevel::Low,
            impact: RiskLevel::Low,
            controls: vec!["SI-2".into()],
            scanner_ids: vec![format!("Nessus:{}", top.plugin_id)],
        })
        .unwrap();
    import(&mut s, CVSS3);
    let w = s
        .weaknesses(&WeaknessFilter::default())
        .unwrap()
        .into_iter()
        .find(|w| w.key == top.key)
        .unwrap();
    // Applied at import.
    assert_eq!(w.library_entry_id.as_deref(), Some(entry.id.as_str()));
    assert_eq!(w.review, ReviewStatus::Pending);

    let reviewed = s
        .review_weakness(WeaknessId(w.id), &ReviewAction::Accept)
        .unwrap();
    assert_eq!(reviewed.review, ReviewStatus::Accepted);
    let finding = s
        .get_finding(&FindingId::from(reviewed.finding_id.as_deref().unwrap()))
        .unwrap();
    assert_eq!(finding.title, "Outdated web server software");
    assert_eq!(finding.recommendation, "Upgrade to a supported release.");
    assert_eq!(finding.source, FindingSource::VulnerabilityScan);
    assert_eq!(finding.category, FindingCategory::OsScan);
    // The risk comes from the scan's FedRAMP mapping, not the library's rating.
    assert_eq!(finding.risk, RiskLevel::High);
    assert!(
        finding.controls.contains(&"ra-5".to_owned()),
        "{:?}",
        finding.controls
    );
    assert!(
        finding.controls.contains(&"si-2".to_owned()),
        "{:?}",
        finding.controls
    );
    assert_eq!(s.info().unwrap().counts.findings, 1);
    let log = s.audit_log().unwrap();
    let last: Vec<&str> = log
        .iter()
        .rev()
        .take(2)
        .map(|r| r.entity.as_str())
        .collect();
    assert_eq!(
        last,
        ["weakness", "finding"],
        "finding and review in one write"
    );
    // Accepting twice is refused.
    assert!(matches!(
        s.review_weakness(WeaknessId(w.id), &ReviewAction::Accept),
        Err(Error::Validation { .. })
    ));

    // Informational results stay out of the RET.
    let info = s
        .weaknesses(&WeaknessFilter {
            include_informational: true,
            ..WeaknessFilter::default()
        })
        .unwrap()
        .into_iter()
        .find(|w| w.kind == "informational")
        .unwrap();
    assert_eq!(info.fedramp_risk, None);
    assert!(matches!(
        s.review_weakness(WeaknessId(info.id), &ReviewAction::Accept),
        Err(Error::Validation { .. })
    ));
}

#[test]
fn false_positives_need_a_rationale_and_real_evidence_and_merges_hide_the_row() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "fp");
    import(&mut s, CVSS3);
    let rows = s.weaknesses(&WeaknessFilter::default()).unwrap();
    let (a, b) = (rows[0].id, rows[1].id);
    let fp = |evidence: Vec<String>, rationale: &str| ReviewAction::FalsePositive {
        evidence_ids: evidence,
        rationale: rationale.into(),
    };
    assert!(matches!(
        s.review_weakness(WeaknessId(a), &fp(Vec::new(), "  ")),
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        s.review_weakness(
            WeaknessId(a),
            &fp(vec!["no-such-evidence".into()], "patched")
        ),
        Err(Error::NotFound { .. })
    ));
    let w = s
        .review_weakness(
            WeaknessId(a),
            &fp(Vec::new(), "banner only; version is patched"),
        )
        .unwrap();
    assert_eq!(w.review, ReviewStatus::FalsePositive);
    assert_eq!(w.review_rationale, "banner only; version is patched");

    assert!(s
        .review_weakness(WeaknessId(b), &ReviewAction::Merge { into: b })
        .is_err());
    let merged = s
        .review_weakness(WeaknessId(b), &ReviewAction::Merge { into: a })
        .unwrap();
    assert_eq!(merged.merged_into, Some(a));
    let listed = s.weaknesses(&WeaknessFilter::default()).unwrap();
    assert!(listed.iter().all(|w| w.id != b));
    assert_eq!(listed.len(), rows.len() - 1);
    assert_eq!(s.info().unwrap().counts.weaknesses as usize, rows.len() - 1);
    let log = s.audit_log().unwrap();
    assert_eq!(
        log.iter().filter(|r| r.entity == "weakness").count(),
        2,
        "one audit record per review"
    );
}

#[test]
fn instances_keep_their_output_and_assets_list_their_weaknesses() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "inst");
    import(&mut s, "nessus/heimdall2__sample.nessus");
    let rows = s
        .weaknesses(&WeaknessFilter {
            include_informational: true,
            ..WeaknessFilter::default()
        })
        .unwrap();
    let total: u64 = rows.iter().map(|w| w.instance_count).sum();
    assert_eq!(total, 149);
    // Plugin 22964 appears twice on one host and port with different output (MANIFEST).
    let svc = rows.iter().find(|w| w.plugin_id == "22964").unwrap();
    let inst = s.weakness_instances(WeaknessId(svc.id)).unwrap();
    assert_eq!(inst.len() as u64, svc.instance_count);
    let outputs: Vec<&str> = inst.iter().filter_map(|i| i.output.as_deref()).collect();
    assert!(outputs.len() >= 2, "{inst:?}");
    assert!(outputs.iter().all(|o| !o.is_empty()));

    let on_host = s.asset_weaknesses("10.0.0.1").unwrap();
    assert!(!on_host.is_empty());
    assert!(on_host
        .iter()
        .all(|w| w.assets.iter().any(|a| a.label == "10.0.0.1")));
    assert!(matches!(
        s.asset_weaknesses("10.9.9.9"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn weaknesses_of_different_tools_correlate_by_cve() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "corr");
    for rel in [
        "trivy/defectdojo__legacy_many_vulns.json",
        "trivy/securecodebox__juice-shop-v12.10.2.json",
        "grype/heimdall2__anchore_grype.json",
        "grype/defectdojo__many_vulns3.json",
    ] {
        import(&mut s, rel);
    }
    let rows = s
        .weaknesses(&WeaknessFilter {
            include_informational: true,
            ..WeaknessFilter::default()
        })
        .unwrap();
    let by_id: std::collections::HashMap<i64, _> = rows.iter().map(|w| (w.id, w)).collect();
    let grype = rows
        .iter()
        .filter(|w| w.tool == "Grype" && !w.correlated.is_empty())
        .collect::<Vec<_>>();
    assert!(!grype.is_empty(), "no Grype weakness correlates with Trivy");
    for g in grype {
        for other in &g.correlated {
            let o = by_id[other];
            assert_ne!(o.tool, g.tool);
            assert!(o.cves.iter().any(|c| g.cves.contains(c)), "{g:?} / {o:?}");
        }
    }
}

#[test]
fn a_cancelled_import_stores_nothing() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "cancel");
    let before = (s.info().unwrap(), s.audit_log().unwrap());
    let cancel = AtomicBool::new(true);
    let opts = ScanImportOptions {
        cancel: Some(&cancel),
        ..ScanImportOptions::default()
    };
    let err = s
        .import_scan(&sample("nessus/saf__nessus_sample.nessus"), &opts)
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_eq!((s.info().unwrap(), s.audit_log().unwrap()), before);
    let left = std::fs::read_dir(scans_dir(s.path())).unwrap().count();
    assert_eq!(left, 0, "a cancelled import left a file behind");
    assert!(s.scan_files().unwrap().is_empty());
}

/// The names in the engagement's raw-scan folder, sorted.
fn kept_copies(s: &Session) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scans_dir(s.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_kept_copy_is_the_file_byte_for_byte_and_refused_files_leave_no_copy() {
    assay_testkit::require_shared_data!("scans");
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "copies");
    let bytes = std::fs::read(sample(CVSS3)).unwrap();
    // Cut inside the report: the parse fails after the copying thread has taken chunks.
    let truncated = dir.path().join("truncated.nessus");
    std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let err = s
        .import_scan(&truncated, &ScanImportOptions::default())
        .unwrap_err();
    assert!(matches!(err, Error::ScanImport { .. }), "{err}");
    assert!(kept_copies(&s).is_empty(), "{:?}", kept_copies(&s));
    assert!(s.scan_files().unwrap().is_empty());

    let receipt = s
        .import_scan(&sample(CVSS3), &ScanImportOptions::default())
        .unwrap();
    let sha = hex::encode(Sha256::digest(&bytes));
    assert_eq!(receipt.sha256, sha);
    assert_eq!(receipt.size, bytes.len() as f64);
    assert_eq!(kept_copies(&s), vec![sha.clone()]);
    let kept = std::fs::read(scans_dir(s.path()).join(&sha)).unwrap();
    assert!(
        kept == bytes,
        "the kept copy differs from the imported file"
    );

    // The same bytes again: refused before anything is stored, and its copy is not kept.
    let err = s
        .import_scan(&sample(CVSS3), &ScanImportOptions::default())
        .unwrap_err();
    assert!(matches!(err, Error::ScanDuplicate { .. }), "{err}");
    assert_eq!(kept_copies(&s), vec![sha]);
    assert_eq!(s.scan_files().unwrap().len(), 1);
}

#[test]
fn a_batch_imports_every_good_file_and_names_each_bad_one() {
    use assay_core::api::scans::ScanBatchOptions;
    let dir = tempfile::tempdir().unwrap();
    let mut s = create(dir.path(), "batch");
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "not a scan").unwrap();
    let paths = [
        sample("nmap/defectdojo__issue4406.xml"),
        bad.clone(),
        sample("nmap/securecodebox__scanme.nmap.org-ipv6.xml"),
        sample("nmap/defectdojo__issue4406.xml"),
    ];
    let progressed = std::cell::RefCell::new(Vec::new());
    let progress = |i: usize, _: u64, _: u64| progressed.borrow_mut().push(i);
    let mut seen = Vec::new();
    let outcomes = s
        .import_scans(
            &paths,
            &ScanBatchOptions {
                progress: Some(&progress),
                ..ScanBatchOptions::default()
            },
            &mut |o| seen.push((o.path.clone(), o.receipt().is_some())),
        )
        .unwrap();
    let got: Vec<(PathBuf, bool)> = outcomes
        .iter()
        .map(|o| (o.path.clone(), o.receipt().is_some()))
        .collect();
    assert_eq!(
        got,
        [
            (paths[0].clone(), true),
            (bad.clone(), false),
            (paths[2].clone(), true),
            (paths[3].clone(), false),
        ]
    );
    assert_eq!(seen, got, "on_file sees every outcome, in order");
    let err = outcomes[1].error().unwrap().to_string();
    assert!(
        err.starts_with(&bad.display().to_string()) && !err.contains('\n'),
        "{err}"
    );
    assert!(matches!(
        outcomes[3].error(),
        Some(Error::ScanDuplicate { .. })
    ));
    assert_eq!(outcomes[0].receipt().unwrap().items_read, 25);
    assert_eq!(outcomes[2].receipt().unwrap().items_read, 3);
    let progressed = progressed.into_inner();
    assert!(
        progressed.contains(&0) && progressed.contains(&2),
        "{progressed:?}"
    );
    assert!(
        progressed.windows(2).all(|w| w[0] <= w[1]),
        "{progressed:?}"
    );

    // A cancelled batch starts no file; nothing is stored.
    let mut c = create(dir.path(), "cancelled");
    let before = c.audit_log().unwrap().len();
    let cancel = AtomicBool::new(true);
    let outcomes = c
        .import_scans(
            &paths[..1],
            &ScanBatchOptions {
                cancel: Some(&cancel),
                ..ScanBatchOptions::default()
            },
            &mut |_| {},
        )
        .unwrap();
    assert!(matches!(outcomes[0].error(), Some(Error::Cancelled)));
    assert_eq!(c.audit_log().unwrap().len(), before);

    // An empty batch is refused.
    assert!(matches!(
        c.import_scans(&[], &ScanBatchOptions::default(), &mut |_| {}),
        Err(Error::Validation { .. })
    ));
}
