//! Reference outputs: every deliverable of one hand-built engagement (no SQLite, no session;
//! see `support/engagement.rs`) compared with a reviewed reference file in the repository's
//! `tests/fixtures/reference/`: the PDFs' text as laid out, the OSCAL documents as the exact
//! pretty JSON delivered, the workbooks' cells. `ASSAY_UPDATE_REFERENCES=1` rewrites the files;
//! the change is then reviewed in `git diff tests/fixtures/reference` like code.
#![allow(clippy::unwrap_used)]

mod support;

use assay_export::{oscal_ap, oscal_ar, oscal_poam, poam_pdf, sap_pdf, sar_pdf};
use assay_model::report::DocumentKind;
use assay_model::sap::completeness;
use assay_model::sar::{PoamTab, RetTab};
use assay_model::testing::DeviationAnswer;
use assay_pdf::{Orientation, RenderOptions};
use support::dump::{pdf_text, workbook_cells};
use support::engagement::Fixture;
use support::reference::{check, diff};

/// One deliverable of the engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doc {
    SapPdf,
    SarPdf,
    PoamPdf,
    OscalAp,
    OscalAr,
    OscalPoam,
    RetXlsx,
    PoamXlsx,
}

const ALL: [Doc; 8] = [
    Doc::SapPdf,
    Doc::SarPdf,
    Doc::PoamPdf,
    Doc::OscalAp,
    Doc::OscalAr,
    Doc::OscalPoam,
    Doc::RetXlsx,
    Doc::PoamXlsx,
];

impl Doc {
    /// The reference file under tests/fixtures/reference/.
    fn reference(self) -> &'static str {
        match self {
            Doc::SapPdf => "sap.pdf.txt",
            Doc::SarPdf => "sar.pdf.txt",
            Doc::PoamPdf => "poam.pdf.txt",
            Doc::OscalAp => "oscal-ap.json",
            Doc::OscalAr => "oscal-ar.json",
            Doc::OscalPoam => "oscal-poam.json",
            Doc::RetXlsx => "ret.xlsx.tsv",
            Doc::PoamXlsx => "poam.xlsx.tsv",
        }
    }

    /// The deliverable the engagement's input comes from.
    fn kind(self) -> DocumentKind {
        match self {
            Doc::SapPdf | Doc::OscalAp => DocumentKind::Sap,
            Doc::SarPdf | Doc::OscalAr | Doc::RetXlsx => DocumentKind::Sar,
            Doc::PoamPdf | Doc::OscalPoam | Doc::PoamXlsx => DocumentKind::Poam,
        }
    }

    /// The bytes the exporter delivers.
    fn bytes(self, f: &Fixture) -> Vec<u8> {
        let o = f.options(self.kind());
        match self {
            Doc::SapPdf => sap_pdf::render(&f.sap, &o),
            Doc::SarPdf => sar_pdf::render(&f.sar, &o),
            Doc::PoamPdf => poam_pdf::render(&f.sar, &o),
            Doc::OscalAp => oscal_ap::render(&f.sap, &o),
            Doc::OscalAr => oscal_ar::render(&f.sar, &o),
            Doc::OscalPoam => oscal_poam::render(&f.sar, &o),
            Doc::RetXlsx => assay_export::ret_xlsx(&f.sar, f.workbook_date()),
            Doc::PoamXlsx => assay_export::poam_xlsx(&f.sar, f.workbook_date()),
        }
        .unwrap_or_else(|e| panic!("{self:?}: {e}"))
    }

    /// The reviewable text: the PDF's text as laid out, the OSCAL JSON byte for byte (it is
    /// pretty-printed and deterministic as delivered), the workbook's cells.
    fn text(self, f: &Fixture) -> String {
        let o = f.options(self.kind());
        let pdf = |doc, orientation| {
            let mut r = RenderOptions::new(o.generated_at, o.document_id.clone());
            r.orientation = orientation;
            pdf_text(&doc, &r, &self.bytes(f))
        };
        match self {
            Doc::SapPdf => pdf(sap_pdf::build(&f.sap, &o), Orientation::Portrait),
            Doc::SarPdf => pdf(sar_pdf::build(&f.sar, &o), Orientation::Portrait),
            // The POA&M's tables are wide: the exporter renders it landscape.
            Doc::PoamPdf => pdf(poam_pdf::build(&f.sar, &o), Orientation::Landscape),
            Doc::OscalAp | Doc::OscalAr | Doc::OscalPoam => {
                String::from_utf8(self.bytes(f)).expect("OSCAL JSON is UTF-8")
            }
            Doc::RetXlsx | Doc::PoamXlsx => workbook_cells(&self.bytes(f)),
        }
    }
}

fn matches_reference(doc: Doc) {
    check(doc.reference(), &doc.text(&Fixture::new()));
}

#[test]
fn sap_pdf_text_matches_the_reference() {
    matches_reference(Doc::SapPdf);
}

#[test]
fn sar_pdf_text_matches_the_reference() {
    matches_reference(Doc::SarPdf);
}

#[test]
fn poam_pdf_text_matches_the_reference() {
    matches_reference(Doc::PoamPdf);
}

#[test]
fn oscal_assessment_plan_matches_the_reference() {
    matches_reference(Doc::OscalAp);
}

#[test]
fn oscal_assessment_results_match_the_reference() {
    matches_reference(Doc::OscalAr);
}

#[test]
fn oscal_poam_matches_the_reference() {
    matches_reference(Doc::OscalPoam);
}

#[test]
fn ret_workbook_cells_match_the_reference() {
    matches_reference(Doc::RetXlsx);
}

#[test]
fn poam_workbook_cells_match_the_reference() {
    matches_reference(Doc::PoamXlsx);
}

/// Two renderings from two separately built inputs (fresh hash maps included) give the same
/// bytes, the PDFs' included: the references can only change when the code or the data does.
#[test]
fn rendering_twice_gives_identical_bytes() {
    let (a, b) = (Fixture::new(), Fixture::new());
    for doc in ALL {
        let (x, y) = (doc.bytes(&a), doc.bytes(&b));
        assert!(!x.is_empty(), "{doc:?} is empty");
        assert!(x == y, "{doc:?}: two renderings differ");
    }
}

/// The references are sensitive: retitling one finding changes every SAR and POA&M document,
/// and the diff the failing test would print shows the new title (a PDF may wrap it, so the
/// check looks for its first word).
#[test]
fn changing_a_finding_title_changes_the_sar_and_poam_references() {
    const WORD: &str = "Retitled";
    let before = Fixture::new();
    let after = Fixture::with(|s| s.finding("F-001").title = format!("{WORD} lockout finding"));
    for doc in ALL {
        let changed = diff(&doc.text(&before), &doc.text(&after));
        if doc.kind() == DocumentKind::Sap {
            assert!(
                changed.is_none(),
                "{doc:?} does not show findings: {changed:?}"
            );
            continue;
        }
        let shown = changed.unwrap_or_else(|| panic!("{doc:?} did not change"));
        assert!(
            shown.contains(WORD),
            "{doc:?}: the diff should show the new title:\n{shown}"
        );
    }
}

/// The same for the plan: a tool's version changes the SAP PDF and the assessment plan.
#[test]
fn changing_a_sap_tool_version_changes_the_sap_references() {
    let before = Fixture::new();
    let after = Fixture::with(|s| s.sap.data.tools[0].version = "10.9.1".into());
    for doc in [Doc::SapPdf, Doc::OscalAp] {
        let shown = diff(&doc.text(&before), &doc.text(&after))
            .unwrap_or_else(|| panic!("{doc:?} did not change"));
        assert!(shown.contains("10.9.1"), "{doc:?}:\n{shown}");
    }
}

/// The diff a failing reference test prints: the first differing lines with context.
#[test]
fn the_diff_shows_the_first_differing_lines_with_context() {
    let old = "a\nb\nc\nd\ne\nf\n";
    let new = "a\nb\nc\nd\nE\nf\n";
    assert_eq!(
        diff(old, new).unwrap(),
        "@@ -5,1 +5,1 @@\n b\n c\n d\n-e\n+E\n"
    );
    assert_eq!(diff(old, old), None);
    assert_eq!(diff("a\n", "a\nb\n").unwrap(), "@@ -2,0 +2,1 @@\n a\n+b\n");
}

/// The fixture stays a finished assessment, and each case the references are meant to cover is
/// in it (so a fixture edit cannot quietly drop one).
#[test]
fn the_fixture_is_a_finished_assessment_with_every_kind_of_risk() {
    let f = Fixture::new();
    let blocking: Vec<String> = completeness(&f.sap.sap)
        .iter()
        .filter(|i| i.is_blocking())
        .map(ToString::to_string)
        .collect();
    assert!(blocking.is_empty(), "the SAP is not complete: {blocking:?}");
    assert!(f.sap.sap.is_signed());
    let r = &f.sar.report;
    assert!(r.is_consistent(), "{:?}", r.errors());
    let warnings: Vec<&str> = r.checks.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        warnings,
        ["SAR-002", "SAR-010"],
        "only the CM-6 objective answered by configuration findings and the pending \
         operational requirement are flagged: {:?}",
        r.checks
    );
    let items = &r.items;
    let has = |what: &str, ok: bool| assert!(ok, "no {what} in the fixture");
    has(
        "corrected risk",
        items
            .iter()
            .any(|i| i.tab == RetTab::Corrected && i.false_positive == DeviationAnswer::No),
    );
    has(
        "false positive",
        items
            .iter()
            .any(|i| i.false_positive == DeviationAnswer::Yes),
    );
    has(
        "approved risk adjustment",
        items
            .iter()
            .any(|i| i.risk_adjustment == DeviationAnswer::Yes),
    );
    has(
        "vendor dependency",
        items.iter().any(|i| i.vendor_dependency),
    );
    has(
        "operational requirement",
        items
            .iter()
            .any(|i| i.operational_requirement != DeviationAnswer::No),
    );
    has(
        "configuration finding",
        items.iter().any(|i| i.poam_tab == PoamTab::Configuration),
    );
    has("PL-2 finding", items.iter().any(|i| i.tab == RetTab::Pl2));
    has("KEV due date", items.iter().any(|i| i.kev_due.is_some()));
    let s = &r.summary;
    assert_eq!(
        (s.open_total, s.open_high, s.open_moderate, s.open_low),
        (8, 0, 5, 3),
        "open risks: total, High, Moderate, Low"
    );
    assert_eq!((s.corrected, s.false_positives), (1, 1));
    assert_eq!(
        (
            s.objectives_satisfied,
            s.objectives_other_than_satisfied,
            s.objectives_untested
        ),
        (4, 7, 0)
    );
}
