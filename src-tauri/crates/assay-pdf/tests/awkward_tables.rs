//! A table built to stress pagination and the content-stream writer (unbreakable tokens, empty
//! cells, explicit line breaks, a row taller than a page, characters that need escaping in PDF
//! strings), rendered to PDF and read back with qpdf, pdftotext and lopdf.

use assay_pdf::{layout_document, render_layout, render_pdf, Block, Column, Cover, Document};
use assay_pdf::{Orientation, RenderOptions, Table};
use chrono::{TimeZone, Utc};
use std::process::Command;

const ROWS: usize = 120;

fn options() -> RenderOptions {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 14, 12, 0, 0)
        .single()
        .expect("valid date");
    let mut opts = RenderOptions::new(at, "assay-awkward-0001");
    opts.orientation = Orientation::Landscape;
    opts
}

fn document() -> Document {
    let column = |title: &str, width: f32| Column {
        title: title.into(),
        width,
    };
    let rows = (0..ROWS)
        .map(|i| {
            let token = if i % 3 == 0 {
                format!("https://scan.example.gov/{}", "a1b2c3d4".repeat(30))
            } else {
                String::new()
            };
            let notes = match i % 4 {
                0 => String::new(),
                1 => "first\nsecond\n\nfourth".into(),
                _ if i == 50 => (0..160)
                    .map(|k| format!("line {k}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => "paths C:\\Temp\\(x86) and (nested (parens)) – café ✓".into(),
            };
            vec![format!("AW-{i:04}"), token, String::new(), notes]
        })
        .collect();
    Document {
        title: "Awkward tables".into(),
        marking: "CONTROLLED UNCLASSIFIED INFORMATION".into(),
        running_title: "Awkward".into(),
        cover: Cover {
            title: "Awkward tables".into(),
            ..Cover::default()
        },
        blocks: vec![
            Block::TableOfContents,
            Block::heading(1, Some("1"), "Stress table"),
            Block::Table(Table {
                caption: Some("Table 1-1. Stress".into()),
                columns: vec![
                    column("Row ID", 1.0),
                    column("Token", 1.5),
                    column("Always Empty", 1.0),
                    column("Notes", 3.0),
                ],
                rows,
                font_size: Some(7.0),
            }),
        ],
        ..Document::default()
    }
}

#[test]
fn awkward_table_renders_valid_complete_pdf() {
    let doc = document();
    let layout = layout_document(&doc, &options()).expect("layout");
    let bytes = render_layout(&layout, &doc, &options()).expect("render");
    assert_eq!(
        bytes,
        render_pdf(&doc, &options()).expect("render again"),
        "render_pdf and layout_document + render_layout differ, or output is not deterministic"
    );

    // Structure: the page tree matches the layout, and nothing is left unreferenced.
    let mut lo = lopdf::Document::load_mem(&bytes).expect("lopdf reads the output");
    assert_eq!(lo.get_pages().len(), layout.page_count());
    assert!(layout.page_count() > 5, "{} pages", layout.page_count());
    assert_eq!(lo.prune_objects(), Vec::<lopdf::ObjectId>::new());

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("awkward.pdf");
    std::fs::write(&path, &bytes).expect("write");
    if assay_testkit::check_tool_for("the qpdf check", "qpdf") {
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .expect("qpdf");
        assert!(
            out.status.success(),
            "qpdf --check failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    if !assay_testkit::check_tool_for("the text checks", "pdftotext") {
        return;
    }
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), layout.page_count());
    let first = pages
        .iter()
        .position(|p| p.contains("AW-0000"))
        .expect("first row");
    for (i, page) in pages.iter().enumerate().skip(first) {
        assert!(
            page.contains("Row ID") && page.contains("Always Empty"),
            "page {} lacks the repeated header:\n{page}",
            i + 1
        );
        assert!(page.contains("CONTROLLED UNCLASSIFIED INFORMATION"));
        assert!(page.contains(&format!("Page {i} of {}", pages.len() - 1)));
    }
    for r in 0..ROWS {
        let id = format!("AW-{r:04}");
        assert_eq!(text.matches(&id).count(), 1, "{id}");
    }
    // Escaped characters (backslash, nested parentheses) and non-ASCII come back intact.
    assert!(text.contains("C:\\Temp\\(x86)"));
    assert!(text.contains("(nested (parens)) – café ✓"));
    assert!(text.contains("line 159"));
}
