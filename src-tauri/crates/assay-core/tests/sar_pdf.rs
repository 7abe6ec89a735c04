//! The SAR and POA&M PDF exporters on an engagement built through the public Session API: the
//! demo engagement (bundled Moderate baseline, the Northwind SSP, freeze, tests, findings with
//! evidence), then a corrected finding, a risk adjustment, a PL-2 finding, a Nessus scan with an
//! accepted weakness and a false positive, the SAR fields and a recommendation. The PDFs must
//! pass `qpdf --check`, carry every section, the computed counts and every POA&M id in their
//! text, and be byte-identical for the same options.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use assay_core::api::demo::build_demo;
use assay_core::api::scans::ScanImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::export::{poam_pdf, sar_pdf, SarExportInput};
use assay_core::model::ids::{FindingId, WeaknessId};
use assay_core::model::report::ExportOptions;
use assay_core::model::sar::{
    PoamTab, Recommendation, RecommendationRecord, RetTab, SarSignature, SarUpdate,
};
use assay_core::model::scans::{ReviewAction, ReviewStatus, WeaknessFilter};
use assay_core::model::testing::{
    Closure, DeviationAnswer, FindingCategory, FindingSource, FindingStatus, FindingUpdate,
    NewFinding, RiskAdjustmentInput, RiskLevel,
};
use assay_core::model::AssessmentType;
use assay_core::{Context, Session};
use chrono::NaiveDate;

/// In the shared sample data.
const NESSUS: &str = "scans/nessus/defectdojo__nessus_with_cvssv3.nessus";
const COMPLIANCE: &str = "scans/nessus/saf__nessus_sample.nessus";

fn context() -> Context {
    // After the demo's own records, so the audit log stays in time order.
    let start = chrono::DateTime::parse_from_rfc3339("2026-05-04T09:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(0x5341_5250)),
        actor: "Dana Whitfield".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn options() -> ExportOptions {
    ExportOptions {
        generated_at: chrono::DateTime::parse_from_rfc3339("2026-05-20T12:00:00Z")
            .unwrap()
            .to_utc(),
        document_id: "northwind-sar-2026".into(),
    }
}

/// The demo engagement plus everything the SAR needs to show each part.
fn engagement(dir: &Path) -> Session {
    let dirs = vec![
        assay_testkit::bundled_baselines_dir(),
        assay_testkit::shared("baselines/fedramp-rev5/xml"),
    ];
    build_demo(dir, &dirs).unwrap();
    let mut s = Session::open(&dir.join("demo.assay"), context()).unwrap();
    let evidence = s.list_evidence().unwrap();
    let ev = |i: usize| evidence[i].id.clone();

    // A High finding the CSP corrected during testing, validated by the assessor.
    let mut tls = NewFinding::new(
        "TLS 1.0 enabled on the public load balancer",
        RiskLevel::High,
        RiskLevel::High,
    );
    tls.description = "The load balancer accepted TLS 1.0 handshakes on port 443.".into();
    tls.controls = vec!["sc-8".into()];
    tls.source = FindingSource::ManualTest;
    tls.recommendation = "Allow TLS 1.2 and later only.".into();
    tls.evidence_ids = vec![ev(1)];
    tls.detected_on = Some(day("2026-04-09"));
    let tls = s.add_finding(&tls).unwrap();
    s.update_finding(
        &FindingId::from(tls.id.as_str()),
        &FindingUpdate {
            status: Some(FindingStatus::CorrectedDuringTesting),
            closure: Some(Closure {
                description: "TLS 1.0 disabled; re-test shows TLS 1.2 and 1.3 only.".into(),
                date: day("2026-04-20"),
                verification_evidence_ids: vec![ev(1)],
            }),
            ..FindingUpdate::default()
        },
    )
    .unwrap();

    // A High finding risk-adjusted to Moderate (validated).
    let mut logs = NewFinding::new(
        "Database audit logs are kept for 30 days instead of 90",
        RiskLevel::High,
        RiskLevel::High,
    );
    logs.description =
        "The managed database retains audit logs for 30 days; the SSP states 90 days, and the long \
         retention copy in the log archive was not configured for the reporting replica."
            .into();
    logs.controls = vec!["au-11".into()];
    logs.recommendation = "Ship database audit logs to the central archive.".into();
    logs.evidence_ids = vec![ev(2)];
    logs.detected_on = Some(day("2026-04-15"));
    let logs = s.add_finding(&logs).unwrap();
    s.update_finding(
        &FindingId::from(logs.id.as_str()),
        &FindingUpdate {
            risk_adjustment: Some(RiskAdjustmentInput {
                status: DeviationAnswer::Yes,
                adjusted_likelihood: RiskLevel::Moderate,
                adjusted_impact: RiskLevel::Moderate,
                rationale:
                    "The central SIEM keeps a copy of every database audit event for one year."
                        .into(),
                evidence_ids: vec![ev(2)],
            }),
            ..FindingUpdate::default()
        },
    )
    .unwrap();

    // A PL-2 documentation finding.
    let mut pl2 = NewFinding::new(
        "The SSP's data flow diagram omits the reporting replica",
        RiskLevel::Low,
        RiskLevel::Low,
    );
    pl2.description =
        "Figure 9-1 of the SSP does not show the read replica used for reports.".into();
    pl2.controls = vec!["PL-2".into()];
    pl2.source = FindingSource::DocumentationReview;
    pl2.category = FindingCategory::SrtmTestCase;
    pl2.evidence_ids = vec![ev(0)];
    pl2.detected_on = Some(day("2026-04-07"));
    s.add_finding(&pl2).unwrap();

    // Two Nessus scans (one with compliance checks: the configuration findings): mark one
    // weakness a false positive and accept the rest, so the RET spans several pages.
    s.import_scan(
        &assay_testkit::shared(NESSUS),
        &ScanImportOptions::default(),
    )
    .unwrap();
    s.import_scan(
        &assay_testkit::shared(COMPLIANCE),
        &ScanImportOptions::default(),
    )
    .unwrap();
    // The demo reviewed its own scan's weaknesses; these are the ones just imported.
    let weaknesses = s
        .weaknesses(&WeaknessFilter {
            review: Some(ReviewStatus::Pending),
            ..WeaknessFilter::default()
        })
        .unwrap();
    for w in &weaknesses[2..] {
        s.review_weakness(WeaknessId(w.id), &ReviewAction::Accept)
            .unwrap();
    }
    s.review_weakness(WeaknessId(weaknesses[0].id), &ReviewAction::Accept)
        .unwrap();
    s.review_weakness(
        WeaknessId(weaknesses[1].id),
        &ReviewAction::FalsePositive {
            evidence_ids: vec![ev(0)],
            rationale: "The vendor backported the fix; the package version string is stale.".into(),
        },
    )
    .unwrap();

    s.update_sar(&SarUpdate {
        version: Some("1.0".into()),
        date: Some(day("2026-05-15")),
        threats_note: Some("Insider misuse of administrator access was given particular weight.".into()),
        interconnections_note: Some(
            "The platform relies on a FedRAMP-authorized IaaS region; no unauthorized external services were found."
                .into(),
        ),
        signatures: Some(vec![SarSignature {
            name: "Dana Whitfield".into(),
            title: "Senior Assessor".into(),
            date: day("2026-05-15"),
        }]),
        ..SarUpdate::default()
    })
    .unwrap();
    s
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdftotext -layout` of the PDF.
fn text_of(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed on {name}");
    String::from_utf8(out.stdout).unwrap()
}

fn qpdf_check(dir: &Path, name: &str, pdf: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qpdf --check {name}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The page count as qpdf reports it.
fn pages_of(pdf: &[u8]) -> u32 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf")
        .arg("--show-npages")
        .arg(&path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn assert_no_placeholders(name: &str, text: &str) {
    let lower = text.to_lowercase();
    for bad in ["tbd", "lorem", "[insert", "todo", "xxx"] {
        assert!(
            !lower
                .split(|c: char| !c.is_alphanumeric() && c != '[')
                .any(|w| w == bad)
                && !lower.contains("[insert"),
            "{name} contains placeholder text '{bad}'"
        );
    }
}

#[test]
fn the_sar_and_poam_pdfs_carry_the_computed_report() {
    assay_testkit::require_shared_data!("scans/nessus");
    assay_testkit::require_tool!("qpdf");
    assay_testkit::require_tool!("pdftotext");
    let dir = tempfile::tempdir().unwrap();
    let mut s = engagement(dir.path());
    // Open Highs remain (the accepted scanner weakness), so only the negative statement fits.
    s.set_recommendation(Recommendation::DoNotRecommend)
        .unwrap();
    let input = s.sar_export_input().unwrap();
    let r = &input.report;

    // The engagement exercises every part of the report.
    for tab in [
        RetTab::Ret,
        RetTab::Corrected,
        RetTab::Pl2,
        RetTab::Configuration,
    ] {
        assert!(r.items.iter().any(|i| i.tab == tab), "no item on {tab:?}");
    }
    assert!(r.items.iter().any(|i| i.adjusted_risk.is_some()));
    assert!(r.summary.false_positives >= 1);
    assert!(!r.scan_files.is_empty() && !r.evidence.is_empty());
    assert!(r.freeze.is_some());

    let opts = options();
    let sar = sar_pdf::render(&input, &opts).unwrap();
    let poam = poam_pdf::render(&input, &opts).unwrap();
    assert!(
        sar == sar_pdf::render(&input, &opts).unwrap(),
        "SAR bytes differ"
    );
    assert!(
        poam == poam_pdf::render(&input, &opts).unwrap(),
        "POA&M bytes differ"
    );
    qpdf_check(dir.path(), "sar.pdf", &sar);
    qpdf_check(dir.path(), "poam.pdf", &poam);
    if let Ok(out) = std::env::var("ASSAY_SAR_PDF_OUT") {
        std::fs::write(Path::new(&out).join("sar.pdf"), &sar).unwrap();
        std::fs::write(Path::new(&out).join("poam.pdf"), &poam).unwrap();
    }

    // SAR text.
    let raw = text_of(dir.path(), "sar.pdf", &sar);
    let text = collapse(&raw);
    for title in sar_pdf::section_titles() {
        assert!(text.contains(title), "SAR lacks section '{title}'");
    }
    for heading in [
        "Risk Exposure Table (RET)",
        "Risks Corrected During Testing",
        "Configuration Findings",
        "PL-2 Findings",
        "Table 2-1. System Information",
        "Table 2-2. Summary of Risks that Remained Open",
        "Open Risks by Risk Level",
        "Open Risks by Category",
        "CONTROLLED UNCLASSIFIED INFORMATION",
        "Table of Contents",
    ] {
        assert!(text.contains(heading), "SAR lacks '{heading}'");
    }
    assert!(
        text.contains(&collapse(&r.summary_sentence)),
        "SAR lacks the summary sentence '{}'",
        r.summary_sentence
    );
    assert!(
        r.summary_sentence
            .contains(&format!("A total of {} system risks", r.summary.open_total)),
        "{}",
        r.summary_sentence
    );
    // The sentence's numbers, re-derived from the open items.
    let open: Vec<_> = r.items.iter().filter(|i| i.tab.is_open()).collect();
    let level = |l: RiskLevel| open.iter().filter(|i| i.effective_risk == l).count();
    assert_eq!(
        r.summary_sentence,
        format!(
            "A total of {} system risks were identified, including {} High, {} Moderate, {} Low and {} operationally required risks.",
            open.len(),
            level(RiskLevel::High),
            level(RiskLevel::Moderate),
            level(RiskLevel::Low),
            open
                .iter()
                .filter(|i| i.operational_requirement != DeviationAnswer::No)
                .count()
        )
    );
    assert!(
        text.contains(&format!("Page 1 of {}", pages_of(&sar) - 1)),
        "page numbers"
    );
    // Every row of Table 2-2, cell by cell, as pdftotext lays it out on one line.
    let mut expected_rows: Vec<(String, Vec<String>)> = r
        .table_2_2
        .rows
        .iter()
        .map(|l| {
            (
                l.label.clone(),
                l.counts.cells().iter().map(u32::to_string).collect(),
            )
        })
        .collect();
    expected_rows.push((
        "Total Risks".into(),
        r.table_2_2
            .total
            .cells()
            .iter()
            .map(u32::to_string)
            .collect(),
    ));
    for (label, cells) in &expected_rows {
        let found = raw.lines().any(|l| {
            l.trim_start()
                .strip_prefix(label.as_str())
                .is_some_and(|rest| rest.split_whitespace().collect::<Vec<_>>() == *cells)
        });
        assert!(
            found,
            "Table 2-2 row '{label}' with {cells:?} not in the SAR text"
        );
    }
    assert_eq!(r.table_2_2.total.total, r.summary.open_total);
    // The validated High → Moderate adjustments (the demo's and this test's) have their own row.
    assert_eq!(
        r.table_2_2.rows[1].counts.total, 2,
        "{:?}",
        r.table_2_2.rows[1]
    );
    assert!(
        text.contains("Clearwater Assurance LLC does not recommend this system for authorization."),
        "SAR lacks the recommendation statement"
    );
    assert!(text.contains("FR2612345678"), "package id");
    assert!(
        text.contains("Software as a Service (SaaS)"),
        "service model"
    );
    let freeze = r.freeze.as_ref().unwrap();
    assert!(text.contains(&freeze.sha256[..32]), "freeze hash");
    for f in &r.scan_files {
        assert!(text.contains(&f.name), "scan file {}", f.name);
    }
    for e in &r.evidence {
        assert!(text.contains(&e.file_name), "evidence {}", e.file_name);
    }
    for i in &r.items {
        assert!(text.contains(&i.poam_id), "SAR lacks RET row {}", i.poam_id);
    }
    assert!(text.contains("Dana Whitfield"), "signature");
    // Consistency checks are the assessor's worklist, not part of the deliverable.
    assert!(!text.contains("SAR-0"), "no check code is printed");
    for c in &r.checks {
        assert!(
            !text.contains(&c.message),
            "SAR prints the check '{}'",
            c.message
        );
    }
    assert_no_placeholders("SAR", &raw);

    // POA&M text.
    let raw = text_of(dir.path(), "poam.pdf", &poam);
    let text = collapse(&raw);
    for tab in [PoamTab::Open, PoamTab::Closed, PoamTab::Configuration] {
        assert!(text.contains(tab.label()), "POA&M lacks '{}'", tab.label());
    }
    for i in &r.items {
        assert!(text.contains(&i.poam_id), "POA&M lacks {}", i.poam_id);
    }
    assert!(text.contains("05/20/2026"), "POA&M date from the options");
    assert!(text.contains("CONTROLLED UNCLASSIFIED INFORMATION"));
    assert_no_placeholders("POA&M", &raw);
    assert!(pages_of(&sar) >= 8);
    assert!(pages_of(&poam) >= 3);
}

#[test]
fn a_report_without_recommendation_or_findings_invents_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = vec![assay_testkit::require_fedramp_baselines!()];
    build_demo(dir.path(), &dirs).unwrap();
    let s = Session::open(&dir.path().join("demo.assay"), context()).unwrap();
    let mut input: SarExportInput = s.sar_export_input().unwrap();
    // The demo records a recommendation and signs; take both away to see what is printed then.
    input.report.data.recommendation = None;
    input.report.data.signatures.clear();
    input.report.deviations.clear();
    input.report.scan_files.clear();
    let doc = sar_pdf::build(&input, &options());
    let json = serde_json::to_string(&doc).unwrap();
    assert!(
        json.contains("No authorization recommendation has been recorded"),
        "the missing recommendation is stated"
    );
    assert!(!json.contains("recommends this system"));
    // Table 4-1 says N/A, the empty scan file table says None.
    assert!(json.contains("\"N/A\""));
    assert!(json.contains("Table C-3. Scan Files"));
    // Unsigned SAR: two blank signature lines for the assessor.
    let blank_sigs = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            assay_pdf::Block::Signature { rows } => Some(rows.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(blank_sigs.len(), 2);
    assert!(blank_sigs
        .iter()
        .all(|r| r.name.is_empty() && r.date.is_empty()));
    // An annual assessment with its recorded statement: the template's sentence, unconditional.
    input.report.engagement.assessment_type = AssessmentType::Annual;
    input.report.data.recommendation = Some(RecommendationRecord {
        statement: Recommendation::RecommendContinued,
        at: "2026-05-15T10:00:00Z".into(),
        actor: "Dana Whitfield".into(),
    });
    let json = serde_json::to_string(&sar_pdf::build(&input, &options())).unwrap();
    assert!(json
        .contains("Clearwater Assurance LLC recommends this system for continued authorization."));
    assert!(json.contains("annual assessment"));
    assert!(!json.contains("No authorization recommendation"));

    // The POA&M of the same data without its closed items has a table per tab, and the closed
    // tab says None.
    input
        .report
        .items
        .retain(|i| i.poam_tab != assay_core::model::sar::PoamTab::Closed);
    let poam = poam_pdf::build(&input, &options());
    let tables: Vec<&assay_pdf::Table> = poam
        .blocks
        .iter()
        .filter_map(|b| match b {
            assay_pdf::Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(
        tables.len(),
        1 + 2 * 3,
        "header block and two tables per tab"
    );
    let closed = tables
        .iter()
        .find(|t| t.caption.as_deref() == Some("Table 2-1. Closed POA&M Items"))
        .unwrap();
    assert_eq!(closed.rows[0][0], "None");
    assert_eq!(closed.columns.len(), 13);
}
