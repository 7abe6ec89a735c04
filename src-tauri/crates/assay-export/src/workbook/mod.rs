//! The FedRAMP Excel deliverables: the POA&M workbook ([`poam`], template v2.1) and the SAR
//! Appendix A Risk Exposure Table workbook ([`ret`]).
//!
//! This module owns what both share: the header block (CSP, system, impact level, date on rows
//! 2–3), the cell styles copied from the FedRAMP template, and the column-table machinery. Each
//! workbook describes its columns in ONE table of header text → value accessor (+ width and
//! drop-down); sheet layout, formats and data validation all follow from that table, so a column
//! added or moved in a future template is one edit.
//!
//! Invariant: pure. Input structs in, `.xlsx` bytes out; no clock, no file, no random ids. The
//! document creation time is the header date, so the same input always gives byte-identical
//! output.

pub mod poam;
pub mod ret;
pub mod seed;
pub mod written;

pub use poam::{write_poam_xlsx, PoamRow, PoamWorkbook};
pub use ret::{write_ret_xlsx, RetRow, RetWorkbook};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::model::testing::RiskLevel;

/// The header block every tab carries (template rows 2–3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookHeader {
    /// The cloud service provider's name.
    pub csp: String,
    /// The system (cloud service offering) name.
    pub system_name: String,
    /// "Low", "Moderate", "High" or "LI-SaaS".
    pub impact_level: String,
    /// The POA&M (or RET) date; also the workbook's recorded creation time.
    pub date: NaiveDate,
}

/// The template's row 5 (0-based 4): column headers.
pub(crate) const HEADER_ROW: u32 = 4;
/// Data starts on template row 6 (0-based 5).
pub(crate) const FIRST_DATA_ROW: u32 = 5;
/// Excel's last row (0-based); drop-downs run to it so rows the CSP appends get them too.
const LAST_EXCEL_ROW: u32 = 1_048_575;
/// Excel refuses cell text longer than this many UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;

/// The template's number format for dates (its numFmt 165).
const DATE_FORMAT: &str = "m/d/yyyy";
/// Template colours: FedRAMP blue text, light-blue header fill, grey value fill, grey borders.
const BLUE: u32 = 0x1A4480;
const HEADER_FILL: u32 = 0xCCECFC;
const VALUE_FILL: u32 = 0xF2F2F2;
const VALUE_TEXT: u32 = 0x444444;
const BORDER: u32 = 0xD8D8D8;
const FONT: &str = "Arial";

/// What one cell of a data row holds.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    Date(NaiveDate),
    Blank,
}

/// How a column's cells are formatted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Date,
}

/// A drop-down or date rule, with the allowed values and prompt read from the template's
/// `dataValidation` elements.
#[derive(Clone, Copy)]
pub(crate) enum Rule {
    /// `type="list"`: one of `values`.
    List {
        values: &'static [&'static str],
        prompt: &'static str,
    },
    /// `type="date" operator="notBetween"` with both bounds equal: any date but that one.
    DateNot(Ymd),
    /// `type="date" operator="greaterThan"`.
    DateAfter(Ymd),
}

/// A literal date in a rule: year, month, day.
pub(crate) type Ymd = (u16, u8, u8);

/// One column: its exact header text and everything needed to fill it.
pub(crate) struct Column<R> {
    pub header: &'static str,
    pub width: f64,
    pub kind: Kind,
    pub rule: Option<Rule>,
    pub value: for<'a> fn(&'a R) -> Cell<'a>,
}

/// "Yes" / "No" as the template's drop-downs spell them.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

/// The cell formats, built once per workbook (never cloned per cell).
pub(crate) struct Styles {
    title: Format,
    label: Format,
    value: Format,
    value_white: Format,
    value_quoted: Format,
    value_date: Format,
    column_header: Format,
    text: Format,
    /// Text that a spreadsheet would read as a formula: shown as typed, never evaluated.
    text_quoted: Format,
    date: Format,
}

impl Styles {
    pub(crate) fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(10);
        let boxed = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER))
        };
        let value = boxed(
            base.clone()
                .set_font_color(Color::RGB(VALUE_TEXT))
                .set_background_color(Color::RGB(VALUE_FILL))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top),
        );
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(18)
                .set_font_color(Color::RGB(BLUE))
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            label: boxed(
                base.clone()
                    .set_bold()
                    .set_font_color(Color::RGB(BLUE))
                    .set_background_color(Color::RGB(HEADER_FILL))
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            value_white: value.clone().set_background_color(Color::White),
            value_quoted: value.clone().set_quote_prefix(),
            value_date: value.clone().set_num_format(DATE_FORMAT),
            value,
            column_header: base
                .clone()
                .set_bold()
                .set_font_color(Color::RGB(BLUE))
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            text: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            text_quoted: base
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_quote_prefix(),
            date: base
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
        }
    }
}

/// Maps a writer failure to the core's error. Inputs are checked before they reach the writer,
/// so what is left here is a bug, not bad input.
pub(crate) fn writer_error(document: &'static str, e: XlsxError) -> Error {
    Error::Workbook {
        document,
        message: e.to_string(),
    }
}

/// A new workbook whose recorded creation time is `date` (midnight UTC), so the bytes do not
/// depend on when they were written.
pub(crate) fn new_workbook(header: &WorkbookHeader, title: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let created = excel_date(header.date, "header", "date")?;
    let props = DocProperties::new()
        .set_title(title)
        .set_company(header.csp.as_str())
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    Ok(wb)
}

/// Converts a date for Excel, which knows years 1900–9999 only; `place` and `column` name the
/// cell in the error.
pub(crate) fn excel_date(d: NaiveDate, place: &str, column: &str) -> Result<ExcelDateTime> {
    to_excel_date(d).ok_or_else(|| date_error(d, place, column))
}

fn to_excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    // Checked here because the writer accepts 1899-12-31 (Excel's day 0), which Excel shows as
    // "1/0/1900".
    if !(1900..=9999).contains(&d.year()) {
        return None;
    }
    let y = u16::try_from(d.year()).ok()?;
    let m = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(y, m, day).ok()
}

fn date_error(d: NaiveDate, place: &str, column: &str) -> Error {
    Error::validation(
        &format!("{place}, {column}"),
        format!("{d} is outside the dates Excel can hold (1900-01-01 to 9999-12-31)"),
    )
}

/// Whether a spreadsheet would take this text as a formula (or, for a leading tab or carriage
/// return, might after a copy and paste): the characters OWASP lists for CSV injection. Assay
/// writes such text as a text cell with Excel's quote prefix, so it is shown exactly as typed
/// and stays text when someone edits the cell.
pub fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Refuses text Excel would refuse, naming the tab, row and column.
fn check_text(s: &str, place: &str, column: &str) -> Result<()> {
    // Cheap byte test first: only strings longer than the limit in bytes can exceed it in UTF-16.
    if s.len() > MAX_CELL_TEXT && s.encode_utf16().count() > MAX_CELL_TEXT {
        return Err(Error::validation(
            &format!("{place}, {column}"),
            format!(
                "the text is {} characters long; an Excel cell holds at most {MAX_CELL_TEXT}",
                s.chars().count()
            ),
        ));
    }
    Ok(())
}

/// Writes the title (A1, merged A1:E1) and the header block (labels on row 2, values on row 3).
pub(crate) fn write_header_block(
    ws: &mut Worksheet,
    styles: &Styles,
    title: &str,
    labels: [&str; 4],
    header: &WorkbookHeader,
    document: &'static str,
) -> Result<()> {
    let name = ws.name();
    let err = |e| writer_error(document, e);
    check_text(&header.csp, &name, "CSP")?;
    check_text(&header.system_name, &name, "System Name")?;
    check_text(&header.impact_level, &name, "Impact Level")?;
    ws.merge_range(0, 0, 0, 4, title, &styles.title)
        .map_err(err)?;
    ws.set_row_height(0, 22.05).map_err(err)?;
    for (col, label) in (0u16..).zip(labels) {
        ws.write_string_with_format(1, col, label, &styles.label)
            .map_err(err)?;
    }
    for (col, value) in [(0, &header.csp), (1, &header.system_name)] {
        let format = if formula_like(value) {
            &styles.value_quoted
        } else {
            &styles.value
        };
        ws.write_string_with_format(2, col, value, format)
            .map_err(err)?;
    }
    ws.write_string_with_format(2, 2, &header.impact_level, &styles.value_white)
        .map_err(err)?;
    let date = excel_date(header.date, &name, labels[3])?;
    ws.write_datetime_with_format(2, 3, &date, &styles.value_date)
        .map_err(err)?;
    // The template restricts C3 to Low/Moderate/High; LI-SaaS is a FedRAMP impact level the
    // template's list lacks, so the rule is left off rather than marking a valid value invalid.
    if IMPACT_LEVELS.contains(&header.impact_level.as_str()) {
        add_rule(ws, RATINGS, 2, 2, 2, document)?;
    }
    add_rule(ws, Rule::DateAfter((2000, 1, 1)), 2, 2, 3, document)?;
    Ok(())
}

/// The template's C3 (impact level) list: the same as the ratings list.
const IMPACT_LEVELS: &[&str] = match RATINGS {
    Rule::List { values, .. } => values,
    _ => &[],
};

/// Writes the column headers on row 5, the data from row 6, widths, column formats, drop-downs
/// and the frozen header.
pub(crate) fn write_table<R>(
    ws: &mut Worksheet,
    styles: &Styles,
    columns: &[Column<R>],
    rows: &[R],
    document: &'static str,
) -> Result<()> {
    let name = ws.name();
    let err = |e| writer_error(document, e);
    let last_row = FIRST_DATA_ROW as usize + rows.len();
    if last_row > LAST_EXCEL_ROW as usize + 1 {
        return Err(Error::validation(
            &name,
            format!(
                "{} rows do not fit in one Excel sheet (at most {})",
                rows.len(),
                LAST_EXCEL_ROW - FIRST_DATA_ROW + 1
            ),
        ));
    }
    ws.set_row_height(HEADER_ROW, 35.05).map_err(err)?;
    for (col, c) in (0u16..).zip(columns) {
        ws.write_string_with_format(HEADER_ROW, col, c.header, &styles.column_header)
            .map_err(err)?;
        ws.set_column_width(col, c.width).map_err(err)?;
        // Cells written without a format take the column's, which spares a format lookup per
        // cell (most of the time on a 10,000-item POA&M).
        let format = match c.kind {
            Kind::Text => &styles.text,
            Kind::Date => &styles.date,
        };
        ws.set_column_format(col, format).map_err(err)?;
        if let Some(rule) = c.rule {
            add_rule(ws, rule, FIRST_DATA_ROW, LAST_EXCEL_ROW, col, document)?;
        }
    }
    for (row, item) in (FIRST_DATA_ROW..).zip(rows) {
        let place = || format!("{name} row {}", row + 1);
        for (col, c) in (0u16..).zip(columns) {
            match (c.value)(item) {
                Cell::Text(s) => {
                    // The length test first keeps the row's name unbuilt for ordinary text.
                    if s.len() > MAX_CELL_TEXT {
                        check_text(s, &place(), c.header)?;
                    }
                    if formula_like(s) {
                        ws.write_string_with_format(row, col, s, &styles.text_quoted)
                            .map_err(err)?;
                    } else if !s.is_empty() {
                        ws.write_string(row, col, s).map_err(err)?;
                    }
                }
                Cell::Date(d) => {
                    let date = to_excel_date(d).ok_or_else(|| date_error(d, &place(), c.header))?;
                    ws.write_datetime(row, col, &date).map_err(err)?;
                }
                Cell::Blank => {}
            }
        }
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0).map_err(err)?;
    Ok(())
}

/// Adds one data validation over `first..=last` rows of column `col`.
fn add_rule(
    ws: &mut Worksheet,
    rule: Rule,
    first: u32,
    last: u32,
    col: u16,
    document: &'static str,
) -> Result<()> {
    let err = |e| writer_error(document, e);
    let v = match rule {
        Rule::List { values, prompt } => DataValidation::new()
            .allow_list_strings(values)
            .map_err(err)?
            .set_input_message(prompt)
            .map_err(err)?,
        Rule::DateNot((y, m, d)) => {
            let day = ExcelDateTime::from_ymd(y, m, d).map_err(err)?;
            DataValidation::new()
                .allow_date(DataValidationRule::NotBetween(day.clone(), day))
                .set_input_message("Date")
                .map_err(err)?
        }
        Rule::DateAfter((y, m, d)) => {
            let day = ExcelDateTime::from_ymd(y, m, d).map_err(err)?;
            DataValidation::new()
                .allow_date(DataValidationRule::GreaterThan(day))
                .set_input_message("Date")
                .map_err(err)?
        }
    };
    ws.add_data_validation(first, col, last, col, &v)
        .map_err(err)?;
    Ok(())
}

// Rules and column shorthands shared by the POA&M and RET tables. The rules are the
// template's `dataValidation` elements (allowed values and prompts as found there).

pub(crate) const RATINGS: Rule = Rule::List {
    values: &["Low", "Moderate", "High"],
    prompt: "Low, Moderate, High",
};
pub(crate) const ADJUSTED_RATINGS: Rule = Rule::List {
    values: &["Low", "Moderate", "High", "N/A"],
    prompt: "Low, Moderate, High, N/A",
};
// The template's prompt on Vendor Dependency reads "Yes,No,Pending" but its list allows only
// Yes and No; the prompt here names what the list accepts.
pub(crate) const YES_NO: Rule = Rule::List {
    values: &["Yes", "No"],
    prompt: "Yes, No",
};
pub(crate) const YES_NO_PENDING: Rule = Rule::List {
    values: &["Yes", "No", "Pending"],
    prompt: "Yes,No,Pending",
};

pub(crate) fn adjusted(r: Option<RiskLevel>) -> &'static str {
    r.map_or("N/A", RiskLevel::label)
}

pub(crate) fn opt_date(d: Option<NaiveDate>) -> Cell<'static> {
    d.map_or(Cell::Blank, Cell::Date)
}

/// Shorthands for the column tables.
pub(crate) const fn text<R>(
    header: &'static str,
    width: f64,
    value: for<'a> fn(&'a R) -> Cell<'a>,
) -> Column<R> {
    Column {
        header,
        width,
        kind: Kind::Text,
        rule: None,
        value,
    }
}

pub(crate) const fn pick<R>(
    header: &'static str,
    width: f64,
    rule: Rule,
    value: for<'a> fn(&'a R) -> Cell<'a>,
) -> Column<R> {
    Column {
        header,
        width,
        kind: Kind::Text,
        rule: Some(rule),
        value,
    }
}

pub(crate) const fn date<R>(
    header: &'static str,
    rule: Option<Rule>,
    value: for<'a> fn(&'a R) -> Cell<'a>,
) -> Column<R> {
    Column {
        header,
        width: 14.0,
        kind: Kind::Date,
        rule,
        value,
    }
}

#[cfg(test)]
mod tests;
