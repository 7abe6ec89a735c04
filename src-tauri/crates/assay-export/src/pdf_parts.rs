//! Building blocks shared by the PDF exporters (SAP, SAR, POA&M): cells, captioned tables,
//! FedRAMP date and control-id forms, and scanner text re-flowed for table cells.
//!
//! Invariant: pure string and layout helpers; nothing here reads data beyond its arguments.

use assay_pdf::{Block, Column, Table};

use crate::model::sap::display_date;

/// `s`, or an em dash when blank (a cell the data leaves empty, never a placeholder).
pub(crate) fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_owned()
    }
}

pub(crate) fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.into()
}

pub(crate) fn col(title: &str, width: f32) -> Column {
    Column {
        title: title.into(),
        width,
    }
}

/// A captioned table; an empty one shows a single "None" row so the reader sees it is empty.
pub(crate) fn table(
    caption: &str,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
    font_size: Option<f32>,
) -> Block {
    let n = columns.len();
    let rows = if rows.is_empty() {
        let mut empty = vec![String::new(); n];
        empty[0] = "None".into();
        vec![empty]
    } else {
        rows
    };
    Block::Table(Table {
        caption: Some(caption.into()),
        columns,
        rows,
        font_size,
    })
}

pub(crate) fn para(text: impl Into<String>) -> Block {
    Block::paragraph(text)
}

/// A date as FedRAMP documents print it (MM/DD/YYYY), or a dash.
pub(crate) fn date_or_dash(d: Option<chrono::NaiveDate>) -> String {
    or_dash(&display_date(d))
}

/// A control id as FedRAMP documents print it: `ac-2.1` → `AC-2(1)`, `ra-5` → `RA-5`; anything
/// that is not an 800-53 id is returned unchanged.
pub(crate) fn control_label(id: &str) -> String {
    let id = id.trim();
    let mut parts = id.split('.');
    let base = parts.next().unwrap_or_default();
    let well_formed = base.split_once('-').is_some_and(|(family, n)| {
        family.len() == 2
            && family.chars().all(|c| c.is_ascii_alphabetic())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
    }) && id
        .split('.')
        .skip(1)
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !well_formed {
        return id.to_owned();
    }
    let mut out = base.to_ascii_uppercase();
    for p in parts {
        out.push_str(&format!("({p})"));
    }
    out
}

/// Scanner text re-flowed for a table cell: the hard line breaks inside a paragraph (plugin
/// descriptions are wrapped at about 70 columns) become spaces, while blank lines and lines that
/// start a list item ("- ", "* ", "1. ") keep their break, so the renderer wraps to the column.
pub(crate) fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run = true;
            continue;
        }
        let list_item = line.starts_with("- ")
            || line.starts_with("* ")
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !out.is_empty() {
            if blank_run {
                out.push_str("\n\n");
            } else if list_item {
                out.push('\n');
            } else {
                out.push(' ');
            }
        }
        out.push_str(line);
        blank_run = false;
    }
    out
}
