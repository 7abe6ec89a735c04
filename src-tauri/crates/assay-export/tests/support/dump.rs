//! Reviewable text forms of the documents: a PDF's text as laid out, page by page, and every
//! non-empty cell of a workbook.

use std::io::Cursor;

use assay_pdf::{Document, RenderOptions};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

/// Runs on one baseline are joined with this (table cells, a heading's number and title).
const RUN_SEPARATOR: &str = " | ";

/// A run of table-of-contents dot leaders (`. . . .`), left out of the dump.
fn is_leader(run: &str) -> bool {
    run.len() > 2 && run.chars().all(|c| c == '.' || c == ' ')
}

/// The text of `doc` laid out with `opts`, as `--- page N ---` (N counts physical pages, the
/// cover is page 1) followed by one line per baseline, its runs joined with ` | `. Also checks
/// that this layout is the one `rendered` was written from, so the dump describes the PDF the
/// exporter delivers (same options: paper, orientation, time, id).
pub fn pdf_text(doc: &Document, opts: &RenderOptions, rendered: &[u8]) -> String {
    let layout = assay_pdf::layout_document(doc, opts).expect("the document lays out");
    let again = assay_pdf::render_layout(&layout, doc, opts).expect("the layout renders");
    assert!(
        again == rendered,
        "the PDF the exporter rendered differs from the one this layout gives: the test's \
         RenderOptions ({opts:?}) are not the exporter's"
    );
    let mut out = String::new();
    for (n, page) in layout.page_text().iter().enumerate() {
        out.push_str(&format!("--- page {} ---\n", n + 1));
        for line in page {
            let runs: Vec<&str> = line
                .runs
                .iter()
                .map(|r| r.trim_end())
                .filter(|r| !is_leader(r))
                .collect();
            out.push_str(&runs.join(RUN_SEPARATOR));
            out.push('\n');
        }
    }
    out
}

/// Every non-empty cell of every sheet, in sheet order then row by row, as
/// `Sheet!A1<TAB>value`. Text is written as is with `\n`, `\t` and `\\` escaped; other types
/// carry a tag: `[date] 2026-03-04`, `[number] 3`, `[bool] TRUE`, `[error] …`, so a date
/// written as text (or the reverse) shows in the diff.
pub fn workbook_cells(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("the workbook opens");
    let mut out = String::new();
    for sheet in book.sheet_names() {
        let range = book
            .worksheet_range(&sheet)
            .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (r, c, value) in range.used_cells() {
            let text = cell_text(value);
            if text.is_empty() {
                continue;
            }
            let address = cell_address(row0 + r as u32, col0 + c as u32);
            out.push_str(&format!("{sheet}!{address}\t{text}\n"));
        }
    }
    out
}

fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\t', "\\t")
            .replace('\r', "\\r"),
        Data::Int(i) => format!("[number] {i}"),
        Data::Float(f) => format!("[number] {f}"),
        Data::Bool(b) => format!("[bool] {}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => format!("[date] {}", t.date()),
            Some(t) => format!("[date] {}", t.format("%Y-%m-%dT%H:%M:%S")),
            None => format!("[date] {dt}"),
        },
        Data::DateTimeIso(s) => format!("[date] {s}"),
        Data::DurationIso(s) => format!("[duration] {s}"),
        Data::Error(e) => format!("[error] {e:?}"),
    }
}

/// `(0, 0)` → `A1`, `(4, 27)` → `AB5`.
fn cell_address(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

#[test]
fn cell_addresses_are_spreadsheet_style() {
    assert_eq!(cell_address(0, 0), "A1");
    assert_eq!(cell_address(4, 25), "Z5");
    assert_eq!(cell_address(4, 26), "AA5");
    assert_eq!(cell_address(9, 27), "AB10");
}
