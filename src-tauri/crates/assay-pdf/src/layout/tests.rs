//! Unit tests for wrapping, axis steps, validation and pagination invariants.

use super::metrics::{Fonts, Weight};
use super::paginate::{
    format_value, nice_step, page_size, paginate, validate, Item, BODY_BOTTOM_MARGIN,
    BODY_TOP_MARGIN,
};
use super::{Block, Column, Cover, Document, Table};
use crate::{PdfError, RenderOptions};
use chrono::{TimeZone, Utc};

fn opts() -> RenderOptions {
    RenderOptions::new(
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
            .single()
            .expect("date"),
        "t",
    )
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        title: "T".into(),
        marking: "CUI".into(),
        running_title: "Running".into(),
        cover: Cover {
            title: "Cover".into(),
            ..Cover::default()
        },
        blocks,
        ..Document::default()
    }
}

#[test]
fn wrap_keeps_lines_within_width_and_loses_no_text() {
    let fonts = Fonts::shared().expect("fonts");
    let long_word = "x".repeat(300);
    let cases: &[(&str, f32, &str)] = &[
        ("a short line", 500.0, "fits on one line"),
        (
            "the quick brown fox jumps over the lazy dog again and again",
            60.0,
            "many breaks",
        ),
        (
            long_word.as_str(),
            50.0,
            "a word longer than the line is split by characters",
        ),
        (
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 next",
            80.0,
            "hash then word",
        ),
        ("", 100.0, "empty text is one empty line"),
    ];
    for (text, max, why) in cases {
        for weight in [Weight::Regular, Weight::Bold] {
            let face = fonts.face(weight);
            let lines = face.wrap(text, 9.0, *max);
            assert!(!lines.is_empty(), "{why}");
            for line in &lines {
                assert!(
                    face.width(line, 9.0) <= *max + 0.01,
                    "{why}: {line:?} is wider than {max}"
                );
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            assert_eq!(joined, original, "{why}: text changed");
        }
    }
}

#[test]
fn wrap_honours_newlines_and_marks_paragraph_ends() {
    let fonts = Fonts::shared().expect("fonts");
    let lines = fonts.regular.wrap_marked("one\ntwo three", 10.0, 500.0);
    assert_eq!(
        lines,
        vec![("one".to_string(), true), ("two three".to_string(), true)]
    );
    let lines = fonts.regular.wrap_marked("aaa bbb ccc ddd", 10.0, 45.0);
    assert!(lines.len() > 1, "must wrap");
    assert!(
        lines[..lines.len() - 1].iter().all(|(_, end)| !end),
        "only the last line ends the paragraph"
    );
}

#[test]
fn axis_steps_are_nice() {
    let cases = [
        (2.4, true, 5.0, "counts skip 2.5"),
        (2.4, false, 2.5, "fractions may use 2.5"),
        (0.3, false, 0.5, "below one"),
        (0.2, true, 1.0, "counts never step below one"),
        (12.0, false, 20.0, "tens"),
        (0.0, true, 1.0, "no data"),
        (f64::NAN, false, 1.0, "not a number"),
    ];
    for (raw, whole, want, why) in cases {
        assert_eq!(nice_step(raw, whole), want, "{why}");
    }
    assert_eq!(format_value(3.0), "3");
    assert_eq!(format_value(2.5), "2.5");
}

#[test]
fn validation_names_the_offending_place() {
    let table = |columns: Vec<Column>, rows: Vec<Vec<String>>, font_size| {
        Block::Table(Table {
            caption: None,
            columns,
            rows,
            font_size,
        })
    };
    let col = |w: f32| Column {
        title: "c".into(),
        width: w,
    };
    let cases = vec![
        (Block::heading(0, None, "x"), "blocks[0].level"),
        (table(vec![], vec![], None), "blocks[0].columns"),
        (
            table(vec![col(1.0), col(-1.0)], vec![], None),
            "blocks[0].columns[1].width",
        ),
        (
            table(
                vec![col(1.0)],
                vec![vec![], vec!["a".into(), "b".into()]],
                None,
            ),
            "blocks[0].rows[0]",
        ),
        (
            table(vec![col(1.0)], vec![], Some(40.0)),
            "blocks[0].font_size",
        ),
        (Block::Spacer { mm: f32::NAN }, "blocks[0].mm"),
    ];
    for (block, place) in cases {
        match validate(&doc(vec![block])) {
            Err(PdfError::Invalid { place: p, .. }) => assert_eq!(p, place),
            other => panic!("expected an error at {place}, got {other:?}"),
        }
    }
    assert!(validate(&doc(vec![Block::heading(3, Some("1.1.1"), "ok")])).is_ok());
}

fn big_table(rows: usize, tall_row: Option<usize>) -> Block {
    Block::Table(Table {
        caption: Some("Cap".into()),
        columns: vec![
            Column {
                title: "HeadA".into(),
                width: 1.0,
            },
            Column {
                title: "HeadB".into(),
                width: 3.0,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                let text = if Some(i) == tall_row {
                    "word ".repeat(3000)
                } else {
                    format!("cell {i}")
                };
                vec![format!("id{i}"), text]
            })
            .collect(),
        font_size: None,
    })
}

fn texts(items: &[Item]) -> impl Iterator<Item = (&str, f32)> {
    items.iter().filter_map(|i| match i {
        Item::Text { text, y, .. } => Some((text.as_str(), *y)),
        _ => None,
    })
}

#[test]
fn table_repeats_its_header_and_keeps_the_body_inside_the_margins() {
    let fonts = Fonts::shared().expect("fonts");
    let laid = paginate(&doc(vec![big_table(400, Some(200))]), &opts(), fonts).expect("layout");
    let (_, h) = page_size(&opts());
    assert!(laid.pages.len() > 5);
    for (i, page) in laid.pages.iter().enumerate().skip(laid.first_numbered) {
        let t: Vec<(&str, f32)> = texts(&page.items).collect();
        assert!(
            t.iter().any(|(s, _)| *s == "HeadA"),
            "page {i} lacks the header row"
        );
        // Furniture (6 items: two markings, running title, two rules, page label) comes first.
        for item in &page.items[6..] {
            let (lo, hi) = match item {
                Item::Text { y, .. } => (*y, *y),
                Item::Rect { y, h, .. } => (*y, *y + *h),
                Item::Line { y1, y2, .. } => (y1.min(*y2), y1.max(*y2)),
            };
            assert!(
                lo >= BODY_BOTTOM_MARGIN - 0.01 && hi <= h - BODY_TOP_MARGIN + 0.01,
                "page {i}: {item:?} outside the body"
            );
        }
    }
    // Every row id is drawn exactly once.
    let all: Vec<&str> = laid
        .pages
        .iter()
        .flat_map(|p| texts(&p.items).map(|(s, _)| s))
        .collect();
    for r in 0..400 {
        let id = format!("id{r}");
        assert_eq!(all.iter().filter(|s| **s == id).count(), 1, "{id}");
    }
}

#[test]
fn justified_lines_reach_the_right_margin() {
    let fonts = Fonts::shared().expect("fonts");
    let text = "lorem ipsum dolor sit amet consectetur ".repeat(20);
    let laid = paginate(&doc(vec![Block::paragraph(text)]), &opts(), fonts).expect("layout");
    let (w, _) = page_size(&opts());
    let margin = 20.0 * super::paginate::MM;
    let lines: Vec<_> = laid.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text {
                x,
                size,
                text,
                word_gap,
                weight: Weight::Regular,
                ..
            } if *size == 10.0 => Some((*x, *size, text.clone(), *word_gap)),
            _ => None,
        })
        .collect();
    assert!(lines.len() > 3);
    for (x, size, text, gap) in &lines[..lines.len() - 1] {
        let end = x + fonts.regular.width(text, *size) + gap * text.matches(' ').count() as f32;
        assert!(
            (end - (w - margin)).abs() < 0.05,
            "line {text:?} ends at {end}"
        );
    }
    assert_eq!(
        lines.last().map(|l| l.3),
        Some(0.0),
        "the last line stays ragged"
    );
}

#[test]
fn outline_and_toc_follow_the_headings() {
    let fonts = Fonts::shared().expect("fonts");
    let blocks = vec![
        Block::TableOfContents,
        Block::heading(1, Some("1"), "One"),
        big_table(200, None),
        Block::heading(2, Some("1.1"), "Sub"),
        Block::PageBreak,
        Block::heading(3, Some("1.1.1"), "Deep"),
    ];
    let laid = paginate(&doc(blocks), &opts(), fonts).expect("layout");
    let titles: Vec<(u8, &str)> = laid
        .outline
        .iter()
        .map(|o| (o.level, o.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        vec![
            (1, "Table of Contents"),
            (1, "1 One"),
            (2, "1.1 Sub"),
            (3, "1.1.1 Deep")
        ]
    );
    // The TOC shows each heading's printed page number (physical index - cover + 1).
    let toc: Vec<&str> = texts(&laid.pages[1].items).map(|(s, _)| s).collect();
    for entry in &laid.outline[1..] {
        let printed = (entry.page + 1 - laid.first_numbered).to_string();
        assert!(
            toc.contains(&printed.as_str()),
            "TOC lacks page {printed} for {}",
            entry.title
        );
    }
    let deep = &laid.outline[3];
    assert!(
        deep.page > laid.outline[2].page,
        "the page break moved 1.1.1 to a new page"
    );
    assert_eq!(laid.pages.len() - 1, deep.page, "no empty trailing page");
}

/// A table built to break pagination: unbreakable 300-character tokens in a narrow column, a
/// column that is always empty, rows whose only content is the id, cells with explicit line
/// breaks and blank lines, and one row taller than a page.
fn awkward_table(rows: usize) -> Table {
    let column = |title: &str, width: f32| Column {
        title: title.into(),
        width,
    };
    Table {
        caption: Some("Awkward".into()),
        columns: vec![
            column("ID", 1.0),
            column("Token", 1.2),
            column("Empty", 0.8),
            column("Notes", 2.0),
            column("Text", 3.0),
        ],
        rows: (0..rows)
            .map(|i| {
                let token = if i % 3 == 0 {
                    format!("T{i:04}:{}", "0123456789abcdef".repeat(19))
                } else {
                    String::new()
                };
                let notes = match i % 5 {
                    0 => String::new(),
                    1 => "first\nsecond\n\nfourth".into(),
                    _ if i == 77 => (0..200)
                        .map(|k| format!("line {k}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    n => format!("n{n}"),
                };
                let text = if i % 4 == 2 {
                    String::new()
                } else {
                    "assessment evidence ".repeat(1 + i % 9)
                };
                vec![format!("AW-{i:04}"), token, String::new(), notes, text]
            })
            .collect(),
        font_size: Some(7.0),
    }
}

#[test]
fn awkward_tables_paginate_without_losing_or_escaping_text() {
    let fonts = Fonts::shared().expect("fonts");
    let table = awkward_table(150);
    let laid = paginate(&doc(vec![Block::Table(table.clone())]), &opts(), fonts).expect("layout");
    let (page_w, page_h) = page_size(&opts());
    assert!(laid.pages.len() > 8, "{} pages", laid.pages.len());

    // Column text positions (the layout's left margin is 20 mm, cells are padded by 3 pt).
    let left = 20.0 * super::paginate::MM;
    let total: f32 = table.columns.iter().map(|c| c.width).sum();
    let col_x: Vec<f32> = table
        .columns
        .iter()
        .scan(left, |x, c| {
            let start = *x;
            *x += c.width / total * (page_w - 2.0 * left);
            Some(start + 3.0)
        })
        .collect();
    let in_column = |x: f32, c: usize| (x - col_x[c]).abs() < 0.01;

    let mut token_text = String::new();
    let mut notes_lines = Vec::new();
    let mut ids = Vec::new();
    for (i, page) in laid.pages.iter().enumerate().skip(laid.first_numbered) {
        let mut header = false;
        for item in &page.items[6..] {
            let (lo, hi) = match item {
                Item::Text { y, .. } => (*y, *y),
                Item::Rect { y, h, .. } => (*y, *y + *h),
                Item::Line { y1, y2, .. } => (y1.min(*y2), y1.max(*y2)),
            };
            assert!(
                lo >= BODY_BOTTOM_MARGIN - 0.01 && hi <= page_h - BODY_TOP_MARGIN + 0.01,
                "page {i}: {item:?} outside the body"
            );
            if let Item::Text {
                x, text, weight, ..
            } = item
            {
                assert!(!text.is_empty(), "page {i}: empty text run emitted");
                if *weight == Weight::Bold {
                    header |= text == "Token";
                    continue;
                }
                if in_column(*x, 0) {
                    ids.push(text.clone());
                } else if in_column(*x, 1) {
                    // Every piece of a split token fits its column.
                    let w = fonts.regular.width(text, 7.0);
                    assert!(
                        w <= col_x[2] - col_x[1] - 6.0 + 0.01,
                        "{text} is {w} pt wide"
                    );
                    token_text.push_str(text);
                } else if in_column(*x, 2) {
                    panic!("page {i}: text {text:?} in the empty column");
                } else if in_column(*x, 3) {
                    notes_lines.push(text.clone());
                }
            }
        }
        assert!(header, "page {i} lacks the header row");
    }

    // Nothing lost, duplicated or reordered: ids, tokens (split between characters) and the
    // explicit lines of the notes column come back in row order.
    let expected_ids: Vec<String> = (0..150).map(|i| format!("AW-{i:04}")).collect();
    assert_eq!(ids, expected_ids);
    let expected_tokens: String = table.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(token_text, expected_tokens);
    let expected_notes: Vec<String> = table
        .rows
        .iter()
        .flat_map(|r| r[3].split('\n').filter(|l| !l.is_empty()))
        .map(str::to_string)
        .collect();
    assert_eq!(notes_lines, expected_notes);
}
