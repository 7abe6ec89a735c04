//! Pagination: turns a [`Document`] into pages of positioned items (text runs, rectangles, lines)
//! plus the outline.
//!
//! Invariants: every body item lies between the body top and bottom of its page (a table row that
//! is taller than a page is split between lines, never clipped); the header and footer are added
//! last, when the page count is known; table-of-contents page numbers are patched in after layout,
//! which is exact because the number column has a fixed width, so the TOC's own length does not
//! depend on the numbers it shows.

use super::metrics::{FaceMetrics, Fonts, Weight};
use super::{Align, BarChart, Block, Cover, Document, SignatureRow, Table};
use crate::{Orientation, Paper, PdfError, RenderOptions};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// Distance from the top edge to the body (room for the marking and running title).
pub(crate) const BODY_TOP_MARGIN: f32 = 23.0 * MM;
/// Distance from the bottom edge to the body (room for the page number and marking).
pub(crate) const BODY_BOTTOM_MARGIN: f32 = 22.0 * MM;

/// A colour with components in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

impl From<super::Color> for Rgb {
    fn from(c: super::Color) -> Self {
        Rgb(
            f32::from(c.r) / 255.0,
            f32::from(c.g) / 255.0,
            f32::from(c.b) / 255.0,
        )
    }
}

const NAVY: Rgb = Rgb(0.12, 0.23, 0.42);
const MARKING_RED: Rgb = Rgb(0.72, 0.04, 0.04);
const INK: Rgb = Rgb(0.10, 0.10, 0.12);
const GREY: Rgb = Rgb(0.38, 0.40, 0.44);
const RULE: Rgb = Rgb(0.62, 0.64, 0.68);
const GRID: Rgb = Rgb(0.85, 0.86, 0.88);
const ZEBRA: Rgb = Rgb(0.94, 0.95, 0.97);
const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// One positioned drawing instruction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A single line of text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
        /// Extra space added after each space character (justification), in points.
        word_gap: f32,
    },
    /// An axis-aligned rectangle; `(x, y)` is its bottom-left corner.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
    },
}

/// One page of items.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// One outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineEntry {
    pub(crate) level: u8,
    pub(crate) title: String,
    /// Zero-based physical page index.
    pub(crate) page: usize,
}

/// The result of layout: everything the renderer needs.
#[derive(Debug)]
pub(crate) struct LaidOutDocument {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) pages: Vec<Page>,
    pub(crate) outline: Vec<OutlineEntry>,
    /// Physical index of the page printed as "Page 1" (the cover is not numbered).
    pub(crate) first_numbered: usize,
}

/// Page size in points for the options.
pub(crate) fn page_size(opts: &RenderOptions) -> (f32, f32) {
    let (w, h) = match opts.paper {
        Paper::Letter => (215.9 * MM, 279.4 * MM),
        Paper::A4 => (210.0 * MM, 297.0 * MM),
    };
    match opts.orientation {
        Orientation::Portrait => (w, h),
        Orientation::Landscape => (h, w),
    }
}

/// Checks the rules the model cannot express in types, naming the offending block.
pub(crate) fn validate(doc: &Document) -> Result<(), PdfError> {
    let invalid = |place: String, problem: String| Err(PdfError::Invalid { place, problem });
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, .. } if !(1..=3).contains(level) => {
                return invalid(
                    format!("blocks[{i}].level"),
                    format!("heading level {level} is outside 1..=3"),
                );
            }
            Block::Table(t) => {
                if t.columns.is_empty() {
                    return invalid(
                        format!("blocks[{i}].columns"),
                        "table has no columns".into(),
                    );
                }
                for (c, col) in t.columns.iter().enumerate() {
                    if !(col.width.is_finite() && col.width > 0.0) {
                        return invalid(
                            format!("blocks[{i}].columns[{c}].width"),
                            format!("column width {} is not a positive number", col.width),
                        );
                    }
                }
                if let Some(size) = t.font_size {
                    if !(4.0..=16.0).contains(&size) {
                        return invalid(
                            format!("blocks[{i}].font_size"),
                            format!("font size {size} is outside 4..=16"),
                        );
                    }
                }
                for (r, row) in t.rows.iter().enumerate() {
                    if row.len() != t.columns.len() {
                        return invalid(
                            format!("blocks[{i}].rows[{r}]"),
                            format!(
                                "row has {} cells, table has {} columns",
                                row.len(),
                                t.columns.len()
                            ),
                        );
                    }
                }
            }
            Block::Spacer { mm } if !(mm.is_finite() && *mm >= 0.0) => {
                return invalid(
                    format!("blocks[{i}].mm"),
                    format!("spacer height {mm} is not a non-negative number"),
                );
            }
            Block::BarChart(c) => {
                if let Some(h) = c.height_mm {
                    if !(h.is_finite() && h > 0.0) {
                        return invalid(
                            format!("blocks[{i}].height_mm"),
                            format!("chart height {h} is not a positive number"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Where a TOC page number goes once the heading's page is known.
struct TocSlot {
    page: usize,
    item: usize,
    heading: usize,
    right: f32,
}

struct Layouter<'a> {
    fonts: &'a Fonts,
    width: f32,
    height: f32,
    left: f32,
    right: f32,
    /// Highest y the body may use.
    top: f32,
    /// Lowest y the body may use.
    bottom: f32,
    pages: Vec<Page>,
    /// Current cursor: the body has been filled down to here.
    y: f32,
    outline: Vec<OutlineEntry>,
    heading_pages: Vec<usize>,
    toc_slots: Vec<TocSlot>,
}

/// Vertical position of a baseline inside a line box of height `lead` whose bottom is `bottom`.
fn baseline(bottom: f32, lead: f32, size: f32) -> f32 {
    bottom + (lead - size) / 2.0 + 0.22 * size
}

/// Formats a chart number: integers without decimals, others with one.
pub(crate) fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) of at least `raw`; with `whole`
/// (all values are counts) the step is a whole number, so no tick reads "2.5 risks".
pub(crate) fn nice_step(raw: f64, whole: bool) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let step = m * magnitude;
        if whole && (step.fract() != 0.0 || step < 1.0) {
            continue;
        }
        if step >= raw - 1e-12 {
            return step;
        }
    }
    if whole {
        (10.0 * magnitude).max(1.0)
    } else {
        10.0 * magnitude
    }
}

impl<'a> Layouter<'a> {
    fn new(fonts: &'a Fonts, opts: &RenderOptions) -> Self {
        let (width, height) = page_size(opts);
        let margin = 20.0 * MM;
        Layouter {
            fonts,
            width,
            height,
            left: margin,
            right: width - margin,
            top: height - BODY_TOP_MARGIN,
            bottom: BODY_BOTTOM_MARGIN,
            pages: Vec::new(),
            y: 0.0,
            outline: Vec::new(),
            heading_pages: Vec::new(),
            toc_slots: Vec::new(),
        }
    }

    fn text_width(&self) -> f32 {
        self.right - self.left
    }

    fn face(&self, weight: Weight) -> &'a FaceMetrics {
        self.fonts.face(weight)
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top;
    }

    fn at_top(&self) -> bool {
        self.y >= self.top
    }

    /// Starts a new page unless `h` points still fit above the bottom margin.
    fn ensure(&mut self, h: f32) {
        if self.y - h < self.bottom && !self.at_top() {
            self.new_page();
        }
    }

    fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    fn push(&mut self, item: Item) {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        self.pages[last].items.push(item);
    }

    #[allow(clippy::too_many_arguments)] // a text run simply has this many attributes
    fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, color: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.push(Item::Text {
            x,
            y,
            size,
            weight,
            color,
            text: text.to_string(),
            word_gap: 0.0,
        });
    }

    fn centred(&mut self, y: f32, size: f32, weight: Weight, color: Rgb, text: &str) {
        let w = self.face(weight).width(text, size);
        let x = (self.width - w) / 2.0;
        self.text(x, y, size, weight, color, text);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb, width: f32) {
        self.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        });
    }

    fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    ) {
        self.push(Item::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }

    // ---- cover ------------------------------------------------------------------------------

    fn layout_cover(&mut self, cover: &Cover) {
        self.pages.push(Page::default());
        let (left, right, h) = (self.left, self.right, self.height);
        let width = right - left;
        let bold = self.face(Weight::Bold);
        let regular = self.face(Weight::Regular);

        // Accent bar with the organisation line above it.
        let bar_y = h * 0.74;
        if !cover.organisation_line.is_empty() {
            let lines = bold.wrap(&cover.organisation_line, 11.0, width);
            let mut y = bar_y + 10.0 + (lines.len() as f32 - 1.0) * 15.0;
            for line in &lines {
                self.text(left, y, 11.0, Weight::Bold, GREY, line);
                y -= 15.0;
            }
        }
        self.rect(left, bar_y, width, 4.0, Some(NAVY), None);
        self.rect(
            left,
            bar_y - 1.5,
            width * 0.25,
            1.5,
            Some(MARKING_RED),
            None,
        );

        let mut y = bar_y - 20.0;
        for line in bold.wrap(&cover.title, 26.0, width) {
            y -= 32.0;
            self.text(
                left,
                baseline(y, 32.0, 26.0),
                26.0,
                Weight::Bold,
                NAVY,
                &line,
            );
        }
        if !cover.subtitle.is_empty() {
            y -= 6.0;
            for line in regular.wrap(&cover.subtitle, 15.0, width) {
                y -= 20.0;
                self.text(
                    left,
                    baseline(y, 20.0, 15.0),
                    15.0,
                    Weight::Regular,
                    GREY,
                    &line,
                );
            }
        }

        // Identity fields.
        if !cover.fields.is_empty() {
            y -= 30.0;
            let key_w = cover
                .fields
                .iter()
                .map(|(k, _)| bold.width(k, 10.0))
                .fold(0.0f32, f32::max)
                .min(width * 0.4)
                + 14.0;
            let value_w = (width * 0.8 - key_w).max(width * 0.3);
            self.line(left, y, left + key_w + value_w, y, GRID, 0.6);
            for (key, value) in &cover.fields {
                let keys = bold.wrap(key, 10.0, key_w - 14.0);
                let values = regular.wrap(value, 10.0, value_w);
                let n = keys.len().max(values.len());
                for i in 0..n {
                    y -= 15.0;
                    let base = baseline(y, 15.0, 10.0);
                    if let Some(k) = keys.get(i) {
                        self.text(left, base, 10.0, Weight::Bold, GREY, k);
                    }
                    if let Some(v) = values.get(i) {
                        self.text(left + key_w, base, 10.0, Weight::Regular, INK, v);
                    }
                }
                y -= 4.0;
                self.line(left, y, left + key_w + value_w, y, GRID, 0.6);
            }
        }

        // Prepared by / Prepared for, side by side above the bottom marking.
        let blocks: Vec<(&str, &Vec<String>)> = [
            ("PREPARED BY", &cover.prepared_by),
            ("PREPARED FOR", &cover.prepared_for),
        ]
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .collect();
        if !blocks.is_empty() {
            let col_w = (width - 24.0) / 2.0;
            let wrapped: Vec<Vec<String>> = blocks
                .iter()
                .map(|(_, lines)| {
                    lines
                        .iter()
                        .flat_map(|l| regular.wrap(l, 9.5, col_w))
                        .collect()
                })
                .collect();
            let max_lines = wrapped.iter().map(Vec::len).max().unwrap_or(0) as f32;
            let block_top = (self.bottom + 6.0 + max_lines * 13.0 + 22.0)
                .min(y - 30.0)
                .max(self.bottom + 40.0);
            for (i, ((label, _), lines)) in blocks.iter().zip(&wrapped).enumerate() {
                let x = left + i as f32 * (col_w + 24.0);
                self.text(x, block_top - 10.0, 9.0, Weight::Bold, NAVY, label);
                self.line(x, block_top - 15.0, x + col_w, block_top - 15.0, NAVY, 0.8);
                let mut ly = block_top - 17.0;
                for line in lines {
                    ly -= 13.0;
                    self.text(x, baseline(ly, 13.0, 9.5), 9.5, Weight::Regular, INK, line);
                }
            }
        }
    }

    // ---- body blocks ------------------------------------------------------------------------

    fn layout_block(&mut self, block: &Block, headings: &[HeadingRef<'_>]) {
        match block {
            Block::Heading {
                level,
                number,
                text,
            } => self.layout_heading(*level, number.as_deref(), text, true),
            Block::Paragraph { text, align } => self.layout_paragraph(text, *align),
            Block::Bullets { items } => self.layout_bullets(items),
            Block::KeyValue { rows } => self.layout_key_values(rows),
            Block::Table(table) => self.layout_table(table),
            Block::BarChart(chart) => self.layout_chart(chart),
            Block::Signature { rows } => self.layout_signatures(rows),
            Block::TableOfContents => self.layout_toc(headings),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
            Block::Spacer { mm } => {
                let h = mm * MM;
                if self.y - h < self.bottom {
                    self.new_page();
                } else {
                    self.y -= h;
                }
            }
        }
    }

    /// Draws a heading; `numbered_entry` says whether it is one of the document's headings
    /// (true) or the TOC's own title (which is bookmarked but not listed).
    fn layout_heading(
        &mut self,
        level: u8,
        number: Option<&str>,
        text: &str,
        numbered_entry: bool,
    ) {
        let idx = usize::from(level.clamp(1, 3)) - 1;
        let size = [15.0, 12.5, 10.5][idx];
        let lead = size * 1.3;
        let before = [14.0, 11.0, 8.0][idx];
        let bold = self.face(Weight::Bold);
        let (num_text, num_w) = match number {
            Some(n) if !n.is_empty() => (n, bold.width(n, size) + size * 0.8),
            _ => ("", 0.0),
        };
        let lines = bold.wrap(text, size, self.text_width() - num_w);
        // Keep with next: the heading plus about three body lines.
        self.ensure(before + lines.len() as f32 * lead + 6.0 + 3.0 * 14.0);
        if !self.at_top() {
            self.y -= before;
        }
        let colour = if level == 1 { NAVY } else { INK };
        for (i, line) in lines.iter().enumerate() {
            self.y -= lead;
            let base = baseline(self.y, lead, size);
            if i == 0 {
                self.text(self.left, base, size, Weight::Bold, colour, num_text);
            }
            self.text(self.left + num_w, base, size, Weight::Bold, colour, line);
        }
        if level == 1 {
            self.y -= 3.0;
            self.line(self.left, self.y, self.right, self.y, NAVY, 0.8);
        }
        self.y -= 5.0;
        let title = match number {
            Some(n) if !n.is_empty() => format!("{n} {text}"),
            _ => text.to_string(),
        };
        let page = self.page_index();
        if numbered_entry {
            self.heading_pages.push(page);
        }
        self.outline.push(OutlineEntry {
            level: level.clamp(1, 3),
            title,
            page,
        });
    }

    fn layout_paragraph(&mut self, text: &str, align: Align) {
        let (size, lead) = (10.0, 14.0);
        let max = self.text_width();
        let regular = self.face(Weight::Regular);
        let space = regular.width(" ", size);
        for (line, ends_paragraph) in regular.wrap_marked(text, size, max) {
            self.ensure(lead);
            self.y -= lead;
            let mut word_gap = 0.0;
            let spaces = line.matches(' ').count();
            if align == Align::Justify && !ends_paragraph && spaces > 0 {
                let gap = (max - regular.width(&line, size)) / spaces as f32;
                // A line with two long words would look torn apart: leave it ragged.
                if gap <= space * 3.0 {
                    word_gap = gap.max(0.0);
                }
            }
            if !line.is_empty() {
                let y = baseline(self.y, lead, size);
                self.push(Item::Text {
                    x: self.left,
                    y,
                    size,
                    weight: Weight::Regular,
                    color: INK,
                    text: line,
                    word_gap,
                });
            }
        }
        self.y -= 6.0;
    }

    fn layout_bullets(&mut self, items: &[String]) {
        let (size, lead, indent) = (10.0, 14.0, 18.0);
        let regular = self.face(Weight::Regular);
        for item in items {
            let lines = regular.wrap(item, size, self.text_width() - indent);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(lead);
                self.y -= lead;
                let base = baseline(self.y, lead, size);
                if i == 0 {
                    self.text(
                        self.left + 5.0,
                        base,
                        size,
                        Weight::Regular,
                        NAVY,
                        "\u{2022}",
                    );
                }
                self.text(self.left + indent, base, size, Weight::Regular, INK, line);
            }
            self.y -= 2.0;
        }
        self.y -= 4.0;
    }

    fn layout_key_values(&mut self, rows: &[(String, String)]) {
        let (size, lead) = (9.5, 13.5);
        let width = self.text_width();
        let bold = self.face(Weight::Bold);
        let regular = self.face(Weight::Regular);
        let key_w = rows
            .iter()
            .map(|(k, _)| bold.width(k, size))
            .fold(0.0f32, f32::max)
            .min(width * 0.35)
            + 12.0;
        for (key, value) in rows {
            let keys = bold.wrap(key, size, key_w - 12.0);
            let values = regular.wrap(value, size, width - key_w);
            let n = keys.len().max(values.len());
            // Keep short rows together; long values may continue on the next page.
            self.ensure((n.min(4) as f32) * lead + 4.0);
            for i in 0..n {
                self.ensure(lead);
                self.y -= lead;
                let base = baseline(self.y, lead, size);
                if let Some(k) = keys.get(i) {
                    self.text(self.left, base, size, Weight::Bold, GREY, k);
                }
                if let Some(v) = values.get(i) {
                    self.text(self.left + key_w, base, size, Weight::Regular, INK, v);
                }
            }
            self.y -= 2.0;
            self.line(self.left, self.y, self.right, self.y, GRID, 0.4);
            self.y -= 2.0;
        }
        self.y -= 6.0;
    }

    // ---- tables -----------------------------------------------------------------------------

    fn layout_table(&mut self, table: &Table) {
        let style = TableStyle::new(self, table);
        let header_row: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
        let header = style.wrap_row(&header_row, self.face(Weight::Bold));
        let header_h = style.row_height(lines_in(&header));
        let regular = self.face(Weight::Regular);
        // Rows are wrapped in batches ahead of pagination (which only needs the line counts), on
        // all cores; batches bound the memory held by wrapped rows not yet placed.
        const BATCH: usize = 2048;
        let wrapped = table
            .rows
            .chunks(BATCH)
            .flat_map(|batch| style.wrap_rows(batch, regular));

        // Caption, header and the first row (or a few lines of it) must share a page.
        let first_h = table
            .rows
            .first()
            .map(|row| style.row_height(lines_in(&style.wrap_row(row, regular)).min(4)))
            .unwrap_or(0.0);
        self.ensure(style.caption_h + header_h + first_h);
        self.y -= 2.0;
        let mut grid_top = self.draw_table_top(table, &style, &header, false);

        for (r, mut cells) in wrapped.enumerate() {
            let n = lines_in(&cells);
            let h = style.row_height(n);
            let shade = (r % 2 == 1).then_some(ZEBRA);
            if self.y - h >= self.bottom {
                self.draw_row(&style, &mut cells, 0..n, Weight::Regular, shade, None);
                continue;
            }
            let full_page = self.top - self.bottom - style.caption_h - header_h - 2.0;
            if h <= full_page {
                grid_top = self.continue_table(table, &style, &header, grid_top);
                self.draw_row(&style, &mut cells, 0..n, Weight::Regular, shade, None);
                continue;
            }
            // Taller than a page: split between lines, continuing under a repeated header.
            let mut start = 0;
            while start < n {
                let fits = ((self.y - self.bottom - 2.0 * style.pad_v) / style.lead).floor();
                let fits = if fits.is_finite() && fits > 0.0 {
                    fits as usize
                } else {
                    0
                };
                let fresh = self.y >= self.top - style.caption_h - header_h - 2.0;
                if fits < 3 && !fresh {
                    grid_top = self.continue_table(table, &style, &header, grid_top);
                    continue;
                }
                let take = fits.max(1).min(n - start);
                self.draw_row(
                    &style,
                    &mut cells,
                    start..start + take,
                    Weight::Regular,
                    shade,
                    None,
                );
                start += take;
                if start < n {
                    grid_top = self.continue_table(table, &style, &header, grid_top);
                }
            }
        }
        self.close_grid(&style, grid_top);
        self.y -= 10.0;
    }

    /// Column rules for the part of a table on the current page, drawn once per page rather than
    /// per cell: it keeps content streams (and so the time to write them) small.
    fn close_grid(&mut self, style: &TableStyle, grid_top: f32) {
        let mut x = self.left;
        self.line(x, grid_top, x, self.y, RULE, 0.4);
        for w in &style.col_w {
            x += w;
            self.line(x, grid_top, x, self.y, RULE, 0.4);
        }
    }

    /// Closes the grid, starts a new page and repeats the caption and header; returns the new
    /// grid top.
    fn continue_table(
        &mut self,
        table: &Table,
        style: &TableStyle,
        header: &[Vec<String>],
        grid_top: f32,
    ) -> f32 {
        self.close_grid(style, grid_top);
        self.new_page();
        self.draw_table_top(table, style, header, true)
    }

    /// Draws the caption and header row; returns the y of the header's top edge.
    fn draw_table_top(
        &mut self,
        table: &Table,
        style: &TableStyle,
        header: &[Vec<String>],
        continued: bool,
    ) -> f32 {
        if let Some(caption) = &table.caption {
            let text = if continued {
                format!("{caption} (continued)")
            } else {
                caption.clone()
            };
            self.y -= style.caption_h;
            let base = self.y + 4.0;
            self.text(self.left, base, 9.0, Weight::Bold, NAVY, &text);
        }
        let top = self.y;
        let n = lines_in(header);
        // The header is drawn on every page the table spans, so it is copied, not moved.
        let mut header = header.to_vec();
        self.draw_row(
            style,
            &mut header,
            0..n,
            Weight::Bold,
            Some(NAVY),
            Some(WHITE),
        );
        top
    }

    /// Draws `lines` of a row's wrapped cells; the drawn lines are moved out of `cells` into the
    /// page (each line is drawn once), which saves a copy of every string of a large table.
    fn draw_row(
        &mut self,
        style: &TableStyle,
        cells: &mut [Vec<String>],
        lines: std::ops::Range<usize>,
        weight: Weight,
        fill: Option<Rgb>,
        text_colour: Option<Rgb>,
    ) {
        let h = style.row_height(lines.len());
        let y0 = self.y - h;
        let width = self.text_width();
        if let Some(fill) = fill {
            self.rect(self.left, y0, width, h, Some(fill), None);
        }
        let mut x = self.left;
        for (cell, w) in cells.iter_mut().zip(&style.col_w) {
            for (k, line) in cell
                .iter_mut()
                .enumerate()
                .skip(lines.start)
                .take(lines.len())
            {
                if line.is_empty() {
                    continue;
                }
                let line_bottom =
                    self.y - style.pad_v - ((k - lines.start + 1) as f32) * style.lead;
                let base = baseline(line_bottom, style.lead, style.size);
                self.push(Item::Text {
                    x: x + style.pad_h,
                    y: base,
                    size: style.size,
                    weight,
                    color: text_colour.unwrap_or(INK),
                    text: std::mem::take(line),
                    word_gap: 0.0,
                });
            }
            x += w;
        }
        if text_colour.is_none() {
            self.line(self.left, y0, self.right, y0, RULE, 0.4);
        }
        self.y = y0;
    }

    // ---- chart ------------------------------------------------------------------------------

    fn layout_chart(&mut self, chart: &BarChart) {
        let plot_h = chart.height_mm.unwrap_or(60.0).clamp(20.0, 160.0) * MM;
        let (label_size, label_lead, tick_size) = (7.5, 9.0, 7.5);
        let n = chart.bars.len();
        let regular = self.face(Weight::Regular);
        let bold = self.face(Weight::Bold);
        let values: Vec<f64> = chart
            .bars
            .iter()
            .map(|b| {
                if b.value.is_finite() && b.value > 0.0 {
                    b.value
                } else {
                    0.0
                }
            })
            .collect();
        let max = values.iter().copied().fold(0.0f64, f64::max);
        let whole = values.iter().all(|v| v.fract() == 0.0);
        let step = nice_step(if max > 0.0 { max / 5.0 } else { 1.0 }, whole);
        let top_value = if max > 0.0 {
            (max / step).ceil() * step
        } else {
            step * 5.0
        };
        let ticks: Vec<f64> = (0..)
            .map(|i| f64::from(i) * step)
            .take_while(|v| *v <= top_value + step * 1e-6)
            .collect();
        let tick_w = ticks
            .iter()
            .map(|t| regular.width(&format_value(*t), tick_size))
            .fold(0.0f32, f32::max);
        let x0 = self.left + tick_w + 8.0;
        let x1 = self.right - 6.0;
        let slot = if n > 0 { (x1 - x0) / n as f32 } else { x1 - x0 };
        let labels: Vec<Vec<String>> = chart
            .bars
            .iter()
            .map(|b| {
                let mut lines = regular.wrap(&b.label, label_size, (slot - 4.0).max(10.0));
                if lines.len() > 3 {
                    lines.truncate(3);
                    if let Some(last) = lines.last_mut() {
                        last.push('\u{2026}');
                    }
                }
                lines
            })
            .collect();
        let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f32;
        let title_h = if chart.title.is_empty() { 0.0 } else { 18.0 };
        let axis_h = if chart.axis_label.is_some() {
            12.0
        } else {
            0.0
        };
        let total = title_h + axis_h + 10.0 + plot_h + 6.0 + label_lines * label_lead + 10.0;
        self.ensure(total);
        self.y -= 4.0;
        if !chart.title.is_empty() {
            self.y -= title_h;
            self.centred(self.y + 5.0, 10.5, Weight::Bold, INK, &chart.title);
        }
        if let Some(axis) = &chart.axis_label {
            self.y -= axis_h;
            self.text(
                self.left,
                self.y + 2.0,
                tick_size,
                Weight::Regular,
                GREY,
                axis,
            );
        }
        self.y -= 10.0;
        let plot_top = self.y;
        let base_y = plot_top - plot_h;
        for t in &ticks {
            let ty = base_y + (*t / top_value) as f32 * plot_h;
            if *t > 0.0 {
                self.line(x0, ty, x1, ty, GRID, 0.5);
            }
            let label = format_value(*t);
            let w = regular.width(&label, tick_size);
            self.text(
                x0 - 4.0 - w,
                ty - tick_size * 0.35,
                tick_size,
                Weight::Regular,
                GREY,
                &label,
            );
        }
        for (i, (bar, value)) in chart.bars.iter().zip(&values).enumerate() {
            let bar_w = (slot * 0.6).min(56.0);
            let bx = x0 + i as f32 * slot + (slot - bar_w) / 2.0;
            let bh = (*value / top_value) as f32 * plot_h;
            if bh > 0.0 {
                self.rect(bx, base_y, bar_w, bh, Some(Rgb::from(bar.color)), None);
            }
            let label = format_value(*value);
            let w = bold.width(&label, 8.0);
            self.text(
                bx + (bar_w - w) / 2.0,
                base_y + bh + 3.0,
                8.0,
                Weight::Bold,
                INK,
                &label,
            );
            let centre = x0 + (i as f32 + 0.5) * slot;
            let mut ly = base_y - 6.0;
            for line in &labels[i] {
                ly -= label_lead;
                let w = regular.width(line, label_size);
                let base = baseline(ly, label_lead, label_size);
                self.text(
                    centre - w / 2.0,
                    base,
                    label_size,
                    Weight::Regular,
                    INK,
                    line,
                );
            }
        }
        if n == 0 {
            self.centred(base_y + plot_h / 2.0, 9.0, Weight::Regular, GREY, "No data");
        }
        self.line(x0, base_y, x0, plot_top, RULE, 0.8);
        self.line(x0, base_y, x1, base_y, INK, 0.8);
        self.y = base_y - 6.0 - label_lines * label_lead - 10.0;
    }

    // ---- signatures -------------------------------------------------------------------------

    fn layout_signatures(&mut self, rows: &[SignatureRow]) {
        let width = self.text_width();
        let sig_end = self.left + width * 0.6;
        let date_start = self.left + width * 0.68;
        for row in rows {
            self.ensure(96.0);
            self.y -= 14.0;
            self.text(self.left, self.y + 3.0, 10.0, Weight::Bold, NAVY, &row.role);
            self.y -= 34.0;
            let line_y = self.y;
            if !row.date.is_empty() {
                self.text(
                    date_start + 2.0,
                    line_y + 4.0,
                    10.0,
                    Weight::Regular,
                    INK,
                    &row.date,
                );
            }
            self.line(self.left, line_y, sig_end, line_y, INK, 0.7);
            self.line(date_start, line_y, self.right, line_y, INK, 0.7);
            self.text(
                self.left,
                line_y - 9.0,
                7.5,
                Weight::Regular,
                GREY,
                "Signature",
            );
            self.text(date_start, line_y - 9.0, 7.5, Weight::Regular, GREY, "Date");
            self.y = line_y - 12.0;
            if !row.name.is_empty() {
                self.y -= 13.0;
                self.text(self.left, self.y + 3.0, 10.0, Weight::Bold, INK, &row.name);
            }
            if !row.title.is_empty() {
                self.y -= 12.0;
                self.text(
                    self.left,
                    self.y + 3.0,
                    9.0,
                    Weight::Regular,
                    GREY,
                    &row.title,
                );
            }
            self.y -= 18.0;
        }
    }

    // ---- table of contents ------------------------------------------------------------------

    fn layout_toc(&mut self, headings: &[HeadingRef<'_>]) {
        if !self.at_top() {
            self.new_page();
        }
        self.layout_heading(1, None, "Table of Contents", false);
        self.y -= 4.0;
        let bold = self.face(Weight::Bold);
        let regular = self.face(Weight::Regular);
        let number_col = bold.width("0000", 10.0);
        let mut number_w = [0.0f32; 3];
        for h in headings {
            let idx = usize::from(h.level) - 1;
            let (face, size) = toc_style(self.fonts, h.level);
            number_w[idx] = number_w[idx].max(face.width(h.number.unwrap_or(""), size));
        }
        let dot = regular.width(". ", 9.0);
        for (k, h) in headings.iter().enumerate() {
            let idx = usize::from(h.level) - 1;
            let (face, size) = toc_style(self.fonts, h.level);
            let weight = if h.level == 1 {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let lead = size * 1.55;
            let indent = [0.0, 16.0, 32.0][idx];
            let text_x = self.left
                + indent
                + if number_w[idx] > 0.0 {
                    number_w[idx] + 8.0
                } else {
                    0.0
                };
            let leader_end = self.right - number_col - 6.0;
            let lines = face.wrap(h.text, size, leader_end - 24.0 - text_x);
            if h.level == 1 {
                self.y -= 3.0;
            }
            self.ensure(lines.len() as f32 * lead);
            for (i, line) in lines.iter().enumerate() {
                self.y -= lead;
                let base = baseline(self.y, lead, size);
                if i == 0 {
                    if let Some(n) = h.number {
                        self.text(self.left + indent, base, size, weight, INK, n);
                    }
                }
                self.text(text_x, base, size, weight, INK, line);
                if i + 1 == lines.len() {
                    let start = text_x + face.width(line, size) + 6.0;
                    let count = ((leader_end - start) / dot).floor();
                    if count >= 1.0 {
                        let leaders = ". ".repeat(count as usize);
                        let x = leader_end - count * dot;
                        self.text(x, base, 9.0, Weight::Regular, GREY, leaders.trim_end());
                    }
                    // Placeholder, replaced by the page number once layout is complete.
                    let page = self.page_index();
                    self.push(Item::Text {
                        x: self.right,
                        y: base,
                        size,
                        weight,
                        color: INK,
                        text: String::new(),
                        word_gap: 0.0,
                    });
                    let item = self.pages[page].items.len() - 1;
                    self.toc_slots.push(TocSlot {
                        page,
                        item,
                        heading: k,
                        right: self.right,
                    });
                }
            }
        }
        self.y -= 8.0;
    }

    // ---- page furniture ---------------------------------------------------------------------

    fn add_furniture(&mut self, marking: &str, running_title: &str, first_numbered: usize) {
        let total = self.pages.len().saturating_sub(first_numbered);
        let (h, left, right) = (self.height, self.left, self.right);
        for index in 0..self.pages.len() {
            // The drawing helpers append to the last page, so draw on a scratch page and put
            // its items under the body (furniture first, so the body paints over it).
            self.pages.push(Page::default());
            if !marking.is_empty() {
                self.centred(h - 9.0 * MM, 9.0, Weight::Bold, MARKING_RED, marking);
                self.centred(7.0 * MM, 9.0, Weight::Bold, MARKING_RED, marking);
            }
            if index >= first_numbered {
                self.text(
                    left,
                    h - 15.5 * MM,
                    8.0,
                    Weight::Regular,
                    GREY,
                    running_title,
                );
                self.line(left, h - 17.0 * MM, right, h - 17.0 * MM, RULE, 0.5);
                self.line(left, 17.0 * MM, right, 17.0 * MM, RULE, 0.5);
                let label = format!("Page {} of {}", index - first_numbered + 1, total);
                let w = self.face(Weight::Regular).width(&label, 8.0);
                self.text(right - w, 12.5 * MM, 8.0, Weight::Regular, GREY, &label);
            }
            let mut furniture = self.pages.pop().map(|p| p.items).unwrap_or_default();
            let page = &mut self.pages[index];
            furniture.append(&mut page.items);
            page.items = furniture;
        }
    }
}

/// Font and size of a TOC entry by heading level.
fn toc_style(fonts: &Fonts, level: u8) -> (&FaceMetrics, f32) {
    match level {
        1 => (&fonts.bold, 10.0),
        2 => (&fonts.regular, 10.0),
        _ => (&fonts.regular, 9.5),
    }
}

fn lines_in(cells: &[Vec<String>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
}

/// Resolved measures of one table.
struct TableStyle {
    size: f32,
    lead: f32,
    pad_h: f32,
    pad_v: f32,
    col_w: Vec<f32>,
    caption_h: f32,
}

impl TableStyle {
    fn new(l: &Layouter<'_>, table: &Table) -> Self {
        let size = table.font_size.unwrap_or(8.0);
        let total: f32 = table.columns.iter().map(|c| c.width).sum();
        let width = l.text_width();
        TableStyle {
            size,
            lead: size * 1.25,
            pad_h: 3.0,
            pad_v: 2.5,
            col_w: table
                .columns
                .iter()
                .map(|c| c.width / total * width)
                .collect(),
            caption_h: if table.caption.is_some() { 16.0 } else { 0.0 },
        }
    }

    fn row_height(&self, lines: usize) -> f32 {
        lines as f32 * self.lead + 2.0 * self.pad_v
    }

    /// The wrapped lines of each cell of one row.
    fn wrap_row(&self, row: &[String], face: &FaceMetrics) -> Vec<Vec<String>> {
        row.iter()
            .zip(&self.col_w)
            .map(|(cell, w)| face.wrap(cell, self.size, w - 2.0 * self.pad_h))
            .collect()
    }

    /// [`TableStyle::wrap_row`] for every row, in order. Large tables are split into one
    /// contiguous chunk per core; the result does not depend on the split.
    fn wrap_rows(&self, rows: &[Vec<String>], face: &FaceMetrics) -> Vec<Vec<Vec<String>>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        if threads == 1 || rows.len() < 512 {
            return rows.iter().map(|r| self.wrap_row(r, face)).collect();
        }
        let chunk = rows.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let workers: Vec<_> = rows
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|r| self.wrap_row(r, face))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }
}

/// A heading as listed in the table of contents.
struct HeadingRef<'d> {
    level: u8,
    number: Option<&'d str>,
    text: &'d str,
}

/// Lays out the whole document: cover, body, furniture, TOC page numbers.
pub(crate) fn paginate(
    doc: &Document,
    opts: &RenderOptions,
    fonts: &Fonts,
) -> Result<LaidOutDocument, PdfError> {
    validate(doc)?;
    let headings: Vec<HeadingRef<'_>> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level,
                number,
                text,
            } => Some(HeadingRef {
                level: *level,
                number: number.as_deref().filter(|n| !n.is_empty()),
                text,
            }),
            _ => None,
        })
        .collect();
    let mut l = Layouter::new(fonts, opts);
    l.layout_cover(&doc.cover);
    let first_numbered = l.pages.len();
    l.new_page();
    for block in &doc.blocks {
        l.layout_block(block, &headings);
    }
    // A trailing page break leaves an empty page behind: drop it.
    if l.pages.len() > first_numbered + 1 && l.pages.last().is_some_and(|p| p.items.is_empty()) {
        l.pages.pop();
    }
    for slot in std::mem::take(&mut l.toc_slots) {
        let Some(&page) = l.heading_pages.get(slot.heading) else {
            continue;
        };
        let number = (page + 1).saturating_sub(first_numbered).to_string();
        if let Some(Item::Text {
            x,
            text,
            size,
            weight,
            ..
        }) = l
            .pages
            .get_mut(slot.page)
            .and_then(|p| p.items.get_mut(slot.item))
        {
            *x = slot.right - fonts.face(*weight).width(&number, *size);
            *text = number;
        }
    }
    l.add_furniture(&doc.marking, &doc.running_title, first_numbered);
    Ok(LaidOutDocument {
        width: l.width,
        height: l.height,
        pages: l.pages,
        outline: l.outline,
        first_numbered,
    })
}

#[cfg(test)]
mod wrap_rows_tests {
    use super::*;

    #[test]
    fn parallel_wrapping_matches_row_by_row_wrapping() {
        let fonts = Fonts::shared().expect("fonts");
        let style = TableStyle {
            size: 7.0,
            lead: 8.75,
            pad_h: 3.0,
            pad_v: 2.5,
            col_w: vec![40.0, 120.0, 60.0],
            caption_h: 0.0,
        };
        // Enough rows for the parallel path, with an uneven count so chunks differ in size.
        let rows: Vec<Vec<String>> = (0..3_001)
            .map(|i| {
                vec![
                    format!("R-{i}"),
                    "wrapped words in a medium column ".repeat(1 + i % 7),
                    if i % 5 == 0 {
                        "x".repeat(200)
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let parallel = style.wrap_rows(&rows, &fonts.regular);
        let serial: Vec<_> = rows
            .iter()
            .map(|r| style.wrap_row(r, &fonts.regular))
            .collect();
        assert_eq!(parallel.len(), rows.len());
        assert!(parallel == serial, "parallel wrapping changed the lines");
    }
}
