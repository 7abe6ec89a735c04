//! End-to-end checks of a rendered sample deliverable, read back with independent tools:
//! qpdf (structure), pdftotext (text per page), pdffonts and lopdf (fonts, outline).

mod support;

use assay_pdf::{render_pdf, Block, Document, PdfError, RenderOptions};
use chrono::{TimeZone, Utc};
use std::path::Path;
use std::process::Command;
use support::sample::{headings, sample_document, MARKING, TABLE_ROWS};

fn options() -> RenderOptions {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 14, 12, 0, 0)
        .single()
        .expect("valid date");
    RenderOptions::new(at, "assay-test-0001")
}

/// Collapses runs of whitespace so `pdftotext -layout` column gaps compare as one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text per physical page (index 0 = cover).
fn page_texts(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn write_sample(doc: &Document) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let bytes = render_pdf(doc, &options()).expect("render");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sample.pdf");
    std::fs::write(&path, &bytes).expect("write");
    (dir, path, bytes)
}

#[test]
fn rendering_is_deterministic() {
    let doc = sample_document();
    let a = render_pdf(&doc, &options()).expect("first render");
    let b = render_pdf(&doc, &options()).expect("second render");
    assert!(a.starts_with(b"%PDF-"), "output is not a PDF");
    assert!(
        a == b,
        "two renders of the same input differ ({} vs {} bytes)",
        a.len(),
        b.len()
    );
    let mut other = options();
    other.document_id = "assay-test-0002".into();
    let c = render_pdf(&doc, &other).expect("third render");
    assert_ne!(a, c, "the document id must reach the output");
}

#[test]
fn qpdf_finds_no_errors() {
    assay_testkit::require_tool!("qpdf");
    let (_dir, path, _) = write_sample(&sample_document());
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "qpdf --check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("No syntax or stream encoding errors"),
        "{stdout}"
    );
}

#[test]
fn every_page_has_markings_and_numbers() {
    assay_testkit::require_tool!("pdftotext");
    let (_dir, path, _) = write_sample(&sample_document());
    let pages = page_texts(&path);
    assert!(
        pages.len() > 10,
        "a 300-row table should span many pages, got {}",
        pages.len()
    );
    let body = pages.len() - 1;
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(
            page.matches(MARKING).count(),
            2,
            "page {} needs the marking top and bottom",
            i + 1
        );
    }
    assert!(!pages[0].contains("Page "), "the cover is not numbered");
    assert!(pages[0].contains("Security Assessment Report") && pages[0].contains("FR0000000000"));
    assert!(pages[0].contains("PREPARED BY") && pages[0].contains("PREPARED FOR"));
    for (n, page) in pages.iter().enumerate().skip(1) {
        let label = format!("Page {n} of {body}");
        assert!(
            page.contains(&label),
            "physical page {} lacks {label:?}",
            n + 1
        );
    }
}

#[test]
fn toc_page_numbers_match_where_headings_are() {
    assay_testkit::require_tool!("pdftotext");
    let doc = sample_document();
    let (_dir, path, _) = write_sample(&doc);
    let pages: Vec<Vec<String>> = page_texts(&path)
        .iter()
        .map(|p| p.lines().map(squash).collect())
        .collect();
    let toc_page = pages
        .iter()
        .position(|p| p.iter().any(|l| l == "Table of Contents"))
        .expect("TOC");
    let hs = headings(&doc);
    assert!(
        hs.iter().any(|h| h.0 == 3),
        "the sample must have three heading levels"
    );
    for (_, number, text) in &hs {
        let title = format!("{number} {text}");
        // In the TOC: "1.1 Purpose . . . . 3".
        let toc_line = pages[toc_page]
            .iter()
            .chain(pages.get(toc_page + 1).into_iter().flatten())
            .find(|l| l.starts_with(&format!("{title} .")))
            .unwrap_or_else(|| panic!("{title:?} is not in the table of contents"));
        let printed: usize = toc_line
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page number in TOC line {toc_line:?}"));
        // In the body: a line that is exactly the heading (physical page = printed + 1).
        let found: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.iter().any(|l| l == &title))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, vec![printed], "heading {title:?}: TOC says page {printed}, found on physical pages {found:?} (cover = 0)");
    }
}

#[test]
fn table_header_repeats_on_every_page_it_spans() {
    assay_testkit::require_tool!("pdftotext");
    let (_dir, path, _) = write_sample(&sample_document());
    let pages = page_texts(&path);
    let first = pages
        .iter()
        .position(|p| p.contains("R-0001"))
        .expect("first row");
    let last_id = format!("R-{TABLE_ROWS:04}");
    let last = pages
        .iter()
        .position(|p| p.contains(&last_id))
        .expect("last row");
    assert!(
        last > first + 5,
        "the table should span several pages ({first}..={last})"
    );
    for (i, page) in pages.iter().enumerate().take(last + 1).skip(first) {
        let header = page
            .lines()
            .map(squash)
            .any(|l| l.starts_with("Risk ID Control Weakness Description Risk Status"));
        assert!(header, "table page {} lacks the header row:\n{page}", i + 1);
        if i > first {
            assert!(
                page.contains("Table 3-1. Risk Exposure (continued)"),
                "page {} lacks the continued caption",
                i + 1
            );
        }
    }
    // Every row id appears exactly once: no row lost or duplicated by pagination.
    let all: String = pages.concat();
    for r in 1..=TABLE_ROWS {
        assert_eq!(
            all.matches(&format!("R-{r:04} ")).count(),
            1,
            "row R-{r:04}"
        );
    }
}

#[test]
fn text_survives_extraction() {
    assay_testkit::require_tool!("pdftotext");
    let (_dir, path, _) = write_sample(&sample_document());
    let all = squash(&page_texts(&path).concat());
    for needle in [
        "café",
        "“curly quotes”",
        "€ euro",
        "✓ check",
        "≤ ≥",
        "Open Risks by Category",
        "Signature",
        "Jordan Example",
        "03/14/2026",
    ] {
        assert!(
            all.contains(needle),
            "{needle:?} missing from the extracted text"
        );
    }
}

/// Outline titles three levels deep: (h1, [(h2, [h3])]).
type Shape = Vec<(String, Vec<(String, Vec<String>)>)>;

/// (title, children) read from the PDF outline.
#[derive(Debug, PartialEq)]
struct Node {
    title: String,
    page: usize,
    children: Vec<Node>,
}

fn read_outline(
    pdf: &lopdf::Document,
    first: Option<lopdf::ObjectId>,
    pages: &[lopdf::ObjectId],
) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut next = first;
    while let Some(id) = next {
        let dict = pdf.get_dictionary(id).expect("outline item");
        let title = match dict.get(b"Title").expect("title") {
            lopdf::Object::String(bytes, _) => {
                if bytes.starts_with(&[0xFE, 0xFF]) {
                    let units: Vec<u16> = bytes[2..]
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16(&units).expect("utf-16")
                } else {
                    String::from_utf8(bytes.clone()).expect("ascii")
                }
            }
            other => panic!("title is {other:?}"),
        };
        let action = pdf
            .get_dictionary(
                dict.get(b"A")
                    .and_then(lopdf::Object::as_reference)
                    .expect("A"),
            )
            .expect("action");
        let dest = action
            .get(b"D")
            .and_then(lopdf::Object::as_array)
            .expect("D");
        let page_ref = dest[0].as_reference().expect("page ref");
        let page = pages
            .iter()
            .position(|p| *p == page_ref)
            .expect("page in document");
        let children = read_outline(
            pdf,
            dict.get(b"First")
                .and_then(lopdf::Object::as_reference)
                .ok(),
            pages,
        );
        nodes.push(Node {
            title,
            page,
            children,
        });
        next = dict.get(b"Next").and_then(lopdf::Object::as_reference).ok();
    }
    nodes
}

#[test]
fn outline_is_nested_by_heading_level() {
    let doc = sample_document();
    let (_dir, path, bytes) = write_sample(&doc);
    let pdf = lopdf::Document::load_mem(&bytes).expect("lopdf reads the output");
    let catalog = pdf.catalog().expect("catalog");
    assert_eq!(
        catalog
            .get(b"PageMode")
            .and_then(lopdf::Object::as_name)
            .expect("PageMode"),
        b"UseOutlines"
    );
    let outlines = pdf
        .get_dictionary(
            catalog
                .get(b"Outlines")
                .and_then(lopdf::Object::as_reference)
                .expect("Outlines"),
        )
        .expect("outline root");
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().values().copied().collect();
    let tree = read_outline(
        &pdf,
        outlines
            .get(b"First")
            .and_then(lopdf::Object::as_reference)
            .ok(),
        &pages,
    );

    // Expected shape from the document itself: the TOC entry, then headings nested by level.
    let mut expected: Shape = vec![("Table of Contents".into(), vec![])];
    for (level, number, text) in headings(&doc) {
        let title = format!("{number} {text}");
        match level {
            1 => expected.push((title, vec![])),
            2 => expected.last_mut().expect("h1").1.push((title, vec![])),
            _ => expected
                .last_mut()
                .expect("h1")
                .1
                .last_mut()
                .expect("h2")
                .1
                .push(title),
        }
    }
    let shape: Shape = tree
        .iter()
        .map(|n| {
            (
                n.title.clone(),
                n.children
                    .iter()
                    .map(|c| {
                        (
                            c.title.clone(),
                            c.children.iter().map(|g| g.title.clone()).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(shape, expected);

    // Each bookmark points at the page where pdftotext finds its heading.
    if assay_testkit::check_tool_for("the bookmark page checks", "pdftotext") {
        let texts: Vec<Vec<String>> = page_texts(&path)
            .iter()
            .map(|p| p.lines().map(squash).collect())
            .collect();
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for n in nodes {
                out.push(n);
                walk(&n.children, out);
            }
        }
        let mut all = Vec::new();
        walk(&tree, &mut all);
        for node in all {
            assert!(
                texts[node.page].iter().any(|l| l == &node.title),
                "bookmark {:?} points at page {} which lacks it",
                node.title,
                node.page + 1
            );
        }
    }
}

#[test]
fn fonts_are_embedded_subsets() {
    let (_dir, path, bytes) = write_sample(&sample_document());
    let pdf = lopdf::Document::load_mem(&bytes).expect("lopdf reads the output");
    let mut fonts = 0;
    for object in pdf.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(lopdf::Object::as_name).ok() != Some(b"FontDescriptor") {
            continue;
        }
        fonts += 1;
        let name = String::from_utf8_lossy(
            dict.get(b"FontName")
                .and_then(lopdf::Object::as_name)
                .expect("FontName"),
        )
        .to_string();
        let (tag, rest) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("{name} has no subset tag"));
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "subset tag of {name}"
        );
        assert!(rest.starts_with("DejaVuSans"), "{name}");
        let file = pdf
            .get_object(
                dict.get(b"FontFile2")
                    .and_then(lopdf::Object::as_reference)
                    .expect("FontFile2"),
            )
            .expect("font file");
        let stream = file.as_stream().expect("stream");
        let full = stream
            .dict
            .get(b"Length1")
            .and_then(lopdf::Object::as_i64)
            .unwrap_or(0);
        assert!(
            full > 0 && full < 400_000,
            "{name}: embedded program of {full} bytes is not a subset"
        );
    }
    assert_eq!(fonts, 2, "regular and bold");
    if assay_testkit::check_tool_for("the pdffonts check", "pdffonts") {
        let out = Command::new("pdffonts")
            .arg(&path)
            .output()
            .expect("pdffonts");
        let text = String::from_utf8_lossy(&out.stdout);
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("DejaVu")).collect();
        assert_eq!(rows.len(), 2, "{text}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type type encoding emb sub uni obj gen: emb and sub are columns -5 and -4.
            assert_eq!(
                &cols[cols.len() - 5..cols.len() - 3],
                &["yes", "yes"],
                "{row}"
            );
        }
    }
}

#[test]
fn metadata_comes_from_the_document_and_options() {
    let (_dir, _path, bytes) = write_sample(&sample_document());
    let pdf = lopdf::Document::load_mem(&bytes).expect("lopdf reads the output");
    let info = pdf
        .get_dictionary(
            pdf.trailer
                .get(b"Info")
                .and_then(lopdf::Object::as_reference)
                .expect("Info"),
        )
        .expect("info");
    let text = |k: &[u8]| match info.get(k).expect("key") {
        lopdf::Object::String(b, _) => String::from_utf8_lossy(b).to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text(b"Title"),
        "Security Assessment Report: Acme Cloud Platform"
    );
    assert_eq!(text(b"Author"), "Assay");
    assert_eq!(text(b"Producer"), "Assay");
    assert_eq!(text(b"CreationDate"), "D:20260314120000Z");
    let id = pdf
        .trailer
        .get(b"ID")
        .and_then(lopdf::Object::as_array)
        .expect("ID");
    assert_eq!(id[0].as_str().expect("id string"), b"assay-test-0001");
}

#[test]
fn invalid_documents_are_refused_with_the_place() {
    let mut doc = sample_document();
    let Some(Block::Table(table)) = doc.blocks.iter_mut().find(|b| matches!(b, Block::Table(_)))
    else {
        panic!("sample has a table")
    };
    table.rows[7].pop();
    let err = render_pdf(&doc, &options()).expect_err("short row");
    assert!(matches!(err, PdfError::Invalid { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(".rows[7]") && msg.contains("5 cells") && msg.contains("6 columns"),
        "{msg}"
    );

    let mut doc = sample_document();
    doc.blocks.push(Block::heading(4, Some("9"), "Too deep"));
    let msg = render_pdf(&doc, &options())
        .expect_err("level 4")
        .to_string();
    assert!(msg.contains("heading level 4"), "{msg}");
}

#[test]
fn document_model_round_trips_through_json() {
    let doc = sample_document();
    let json = serde_json::to_string(&doc).expect("serialize");
    assert!(
        json.contains(r#""kind":"table_of_contents""#),
        "blocks are tagged by kind"
    );
    let back: Document = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, doc);
}
