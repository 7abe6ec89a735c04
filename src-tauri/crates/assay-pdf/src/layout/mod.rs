//! The document model and the page layout engine: plain data in, plain data out.
//!
//! Owns [`Document`] (what callers build: cover, headings, paragraphs, tables, charts, ...) and the
//! pagination that turns it into positioned text runs, rectangles and lines per page
//! ([`paginate::LaidOutDocument`]). Invariant: nothing here knows about printpdf or lopdf; every
//! coordinate is in PDF points with the origin at the bottom-left of the page, so the renderer
//! only translates items one to one.

pub(crate) mod metrics;
pub(crate) mod paginate;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// A deliverable to render: cover page, then body blocks in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Document {
    /// Document title, written to the PDF info dictionary (`/Title`).
    pub title: String,
    /// Short description, written to the PDF info dictionary (`/Subject`).
    #[serde(default)]
    pub subtitle: String,
    /// Banner printed centred at the top and bottom of every page, e.g.
    /// "CONTROLLED UNCLASSIFIED INFORMATION". Empty means no banner.
    #[serde(default)]
    pub marking: String,
    /// Title printed at the left of every page header except the cover.
    #[serde(default)]
    pub running_title: String,
    /// The cover page (always page one, unnumbered).
    pub cover: Cover,
    /// Body content in reading order.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// The cover page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Cover {
    /// Small line above the title, e.g. the assessor organisation or "FedRAMP Rev5".
    #[serde(default)]
    pub organisation_line: String,
    /// Large title, e.g. "Security Assessment Report".
    pub title: String,
    /// Line under the title, e.g. the system name.
    #[serde(default)]
    pub subtitle: String,
    /// Identity fields shown as a label/value list (CSP, CSO, Package ID, Version, Date, ...).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// "Prepared by" block, one line per entry.
    #[serde(default)]
    pub prepared_by: Vec<String>,
    /// "Prepared for" block, one line per entry.
    #[serde(default)]
    pub prepared_for: Vec<String>,
}

/// One piece of body content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading. Every heading appears in the table of contents and the PDF outline,
    /// nested by `level` (1..=3).
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// Section number shown before the text, e.g. "2.1".
        #[serde(default)]
        number: Option<String>,
        /// Heading text.
        text: String,
    },
    /// Word-wrapped body text; `\n` starts a new line.
    Paragraph {
        /// The text.
        text: String,
        /// Justified (default) or left aligned.
        #[serde(default)]
        align: Align,
    },
    /// A bulleted list; each item is wrapped with a hanging indent.
    Bullets {
        /// One entry per bullet.
        items: Vec<String>,
    },
    /// A borderless two-column label/value list.
    KeyValue {
        /// (label, value) pairs.
        rows: Vec<(String, String)>,
    },
    /// A data table whose header row repeats on every page it spans.
    Table(Table),
    /// A vertical bar chart drawn with vector operations.
    BarChart(BarChart),
    /// Signature lines (role, name, title, date).
    Signature {
        /// One signature block per entry.
        rows: Vec<SignatureRow>,
    },
    /// "Table of Contents" with dotted leaders and page numbers of every heading.
    TableOfContents,
    /// Continue on a new page (no effect at the top of a page).
    PageBreak,
    /// Vertical space in millimetres.
    Spacer {
        /// Height in millimetres.
        mm: f32,
    },
}

impl Block {
    /// A heading with an optional section number.
    pub fn heading(level: u8, number: Option<&str>, text: impl Into<String>) -> Self {
        Block::Heading {
            level,
            number: number.map(str::to_string),
            text: text.into(),
        }
    }

    /// A justified paragraph.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph {
            text: text.into(),
            align: Align::Justify,
        }
    }
}

/// Horizontal alignment of paragraph text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Both edges flush (the last line of a paragraph stays left aligned).
    #[default]
    Justify,
    /// Ragged right.
    Left,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Header text.
    pub title: String,
    /// Relative width weight; the columns share the text width in proportion.
    pub width: f32,
}

/// A data table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Caption printed above the table (and "(continued)" on following pages).
    #[serde(default)]
    pub caption: Option<String>,
    /// Columns, left to right.
    pub columns: Vec<Column>,
    /// Rows; each must have exactly one cell per column.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// Font size in points (default 8).
    #[serde(default)]
    pub font_size: Option<f32>,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Color {
    /// Red 0..=255.
    pub r: u8,
    /// Green 0..=255.
    pub g: u8,
    /// Blue 0..=255.
    pub b: u8,
}

impl Color {
    /// A colour from its components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color { r, g, b }
    }
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// Category label under the bar.
    pub label: String,
    /// Bar height in chart units; negative or non-finite values are drawn as zero.
    pub value: f64,
    /// Fill colour.
    pub color: Color,
}

/// A vertical bar chart (e.g. open risks by level or by category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    /// Title centred above the chart.
    pub title: String,
    /// Bars, left to right.
    pub bars: Vec<Bar>,
    /// Optional label of the value axis, e.g. "Open risks".
    #[serde(default)]
    pub axis_label: Option<String>,
    /// Height of the plot area in millimetres (default 60).
    #[serde(default)]
    pub height_mm: Option<f32>,
}

/// One signature block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SignatureRow {
    /// Role, e.g. "Lead Assessor".
    pub role: String,
    /// Printed name (may be empty for a blank form).
    #[serde(default)]
    pub name: String,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Pre-filled date (may be empty).
    #[serde(default)]
    pub date: String,
}
