//! Renders Assay deliverables (SAP, SAR, POA&M) to PDF bytes.
//!
//! Callers describe a document as plain data ([`Document`]: cover page, headings, paragraphs,
//! tables, bar charts, signatures, a table of contents) and call [`render_pdf`]. The crate owns the
//! page layout (word wrap, pagination, repeated table headers, CUI markings, "Page N of M", a
//! nested PDF outline) and the embedded, subset DejaVu Sans fonts.
//!
//! Invariants: the library reads no clock and draws no random ids, so the same [`Document`] and
//! [`RenderOptions`] always give byte-identical output; only `render` touches printpdf/lopdf.

pub mod layout;
mod render;

pub use layout::{
    Align, Bar, BarChart, Block, Color, Column, Cover, Document, SignatureRow, Table,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// DejaVu Sans (Bitstream Vera license, see assets/fonts/LICENSE-DejaVu.txt).
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold (same license).
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// US Letter, 8.5 × 11 in (the US government default).
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall (wide POA&M tables).
    Landscape,
}

/// Everything besides the document that the output bytes depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Paper size (default Letter).
    pub paper: Paper,
    /// Orientation (default portrait).
    pub orientation: Orientation,
    /// Written as the PDF creation and modification date; supplied by the caller so output is
    /// reproducible.
    pub generated_at: DateTime<Utc>,
    /// Written as the PDF file identifier (trailer `/ID`) and the info `/Identifier`.
    pub document_id: String,
}

impl RenderOptions {
    /// Letter, portrait, with the given timestamp and document id.
    pub fn new(generated_at: DateTime<Utc>, document_id: impl Into<String>) -> Self {
        RenderOptions {
            paper: Paper::Letter,
            orientation: Orientation::Portrait,
            generated_at,
            document_id: document_id.into(),
        }
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document breaks a rule the types cannot express: heading level outside 1..=3, a table
    /// without columns, a row whose cell count differs from the column count, a non-positive
    /// column width, chart height or spacer, a table font size outside 4..=16.
    #[error("invalid document at {place}: {problem}")]
    Invalid {
        /// JSON-path-like location, e.g. `blocks[12].rows[3]`.
        place: String,
        /// What is wrong there.
        problem: String,
    },
    /// An embedded font could not be parsed (a build defect, never caused by user data).
    #[error("{0}")]
    Font(String),
    /// The PDF could not be assembled or serialised.
    #[error("cannot write pdf: {0}")]
    Write(String),
}

/// Renders `doc` to PDF bytes: cover page, body, header/footer markings, page numbers, table of
/// contents, nested outline, subset embedded fonts.
pub fn render_pdf(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>, PdfError> {
    render_layout(&layout_document(doc, opts)?, doc, opts)
}

/// A document laid out into pages, not yet written as PDF: the first half of [`render_pdf`],
/// exposed so callers can learn the page count and the text of each page, or time the two halves
/// separately.
#[derive(Debug)]
pub struct Layout {
    laid_out: layout::paginate::LaidOutDocument,
}

impl Layout {
    /// Number of physical pages, the cover included.
    pub fn page_count(&self) -> usize {
        self.laid_out.pages.len()
    }

    /// The text of every physical page as laid out (the cover first), for tests that compare a
    /// document's text with a reference: on each page, one [`TextLine`] per baseline from the
    /// top down, its runs left to right. Exactly the strings the PDF draws, page markings,
    /// running titles and page numbers included; rules, boxes and bars are left out.
    pub fn page_text(&self) -> Vec<Vec<TextLine>> {
        self.laid_out.pages.iter().map(page_lines).collect()
    }
}

/// The text runs drawn on one baseline of a laid-out page, left to right: a table row gives one
/// run per cell line, a numbered heading its number and its title, a paragraph line one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub runs: Vec<String>,
}

/// Baselines closer than this (in points) are one line.
const SAME_BASELINE: f32 = 0.5;

fn page_lines(page: &layout::paginate::Page) -> Vec<TextLine> {
    let mut runs: Vec<(f32, f32, &str)> = page
        .items
        .iter()
        .filter_map(|item| match item {
            layout::paginate::Item::Text { x, y, text, .. } if !text.is_empty() => {
                Some((*y, *x, text.as_str()))
            }
            _ => None,
        })
        .collect();
    // Top of the page first (PDF y grows upwards), then left to right.
    runs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
    let mut lines: Vec<(f32, Vec<(f32, &str)>)> = Vec::new();
    for (y, x, text) in runs {
        match lines.last_mut() {
            Some((top, line)) if *top - y < SAME_BASELINE => line.push((x, text)),
            _ => lines.push((y, vec![(x, text)])),
        }
    }
    lines
        .into_iter()
        .map(|(_, mut line)| {
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            TextLine {
                runs: line.into_iter().map(|(_, t)| t.to_owned()).collect(),
            }
        })
        .collect()
}

/// Validates and paginates `doc` (word wrap, page breaks, repeated table headers, markings,
/// page numbers, table of contents) without writing PDF.
pub fn layout_document(doc: &Document, opts: &RenderOptions) -> Result<Layout, PdfError> {
    let fonts = layout::metrics::Fonts::shared()?;
    let laid_out = layout::paginate::paginate(doc, opts, fonts)?;
    Ok(Layout { laid_out })
}

/// Writes a [`Layout`] as PDF bytes. `doc` and `opts` must be the ones the layout was made from
/// (the metadata and outline titles come from them); `render_pdf(doc, opts)` is exactly
/// `render_layout(&layout_document(doc, opts)?, doc, opts)`.
pub fn render_layout(
    layout: &Layout,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<Vec<u8>, PdfError> {
    render::render(&layout.laid_out, doc, opts)
}
