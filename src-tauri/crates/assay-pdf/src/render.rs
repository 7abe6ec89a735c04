//! Turns laid-out pages into PDF bytes: printpdf writes pages and subset fonts, then lopdf adds
//! what printpdf cannot (a nested outline, page labels, fixed metadata and file identifier).
//!
//! Invariant: this is the only module that uses printpdf or lopdf, and it introduces nothing that
//! varies between runs: font resource names and subset tags are fixed, the info dictionary dates
//! and the trailer `/ID` come from [`RenderOptions`].

use crate::layout::metrics::Weight;
use crate::layout::paginate::{Item, LaidOutDocument, Rgb, MM};
use crate::{Document, PdfError, RenderOptions};
use lopdf::{Dictionary, Object, StringFormat};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

// printpdf names font resources after the FontId and takes the subset tag (`XXXXXX+`) from its
// first six characters; its own ids come from a process-wide counter, which would make two
// renders differ, so we choose them.
const REGULAR_ID: &str = "ASYREG";
const BOLD_ID: &str = "ASYBLD";

/// Writes the laid-out document as PDF bytes.
pub(crate) fn render(
    laid: &LaidOutDocument,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = PdfDocument::new(&doc.title);
    for (id, bytes, name) in [
        (REGULAR_ID, crate::REGULAR_TTF, "DejaVuSans.ttf"),
        (BOLD_ID, crate::BOLD_TTF, "DejaVuSans-Bold.ttf"),
    ] {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| PdfError::Font(format!("cannot load embedded font {name}")))?;
        pdf.resources
            .fonts
            .map
            .insert(FontId(id.to_string()), PdfFont::new(parsed));
    }
    let (w, h) = (Mm(laid.width / MM), Mm(laid.height / MM));
    let pages: Vec<PdfPage> = laid
        .pages
        .iter()
        .map(|page| PdfPage::new(w, h, to_ops(&page.items)))
        .collect();
    let mut warnings = Vec::new();
    let save = PdfSaveOptions {
        subset_fonts: true,
        optimize: true,
        ..Default::default()
    };
    let mut lo = pdf
        .with_pages(pages)
        .to_lopdf_document(&save, &mut warnings);
    finish_document(&mut lo, laid, doc, opts)?;
    // printpdf's own info dictionary is now unreferenced.
    lo.prune_objects();
    compress_streams(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

/// Deflates every compressible stream that has no filter yet, like `lopdf::Document::compress`
/// but at the default level instead of `best` (which took ~40% of the time on large tables, for
/// a file a few percent smaller) and on all cores. Each stream is compressed independently, so
/// the output does not depend on the thread count.
fn compress_streams(lo: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for stream in part {
                    deflate(stream);
                }
            });
        }
    });
}

fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let Ok(compressed) = encoder
        .write_all(&stream.content)
        .and_then(|()| encoder.finish())
    else {
        return; // leave it uncompressed: still a valid PDF
    };
    if compressed.len() + 19 < stream.content.len() {
        stream
            .dict
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(compressed);
    }
}

fn colour(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn handle(weight: Weight) -> PdfFontHandle {
    let id = match weight {
        Weight::Regular => REGULAR_ID,
        Weight::Bold => BOLD_ID,
    };
    PdfFontHandle::External(FontId(id.to_string()))
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// Graphics state already set in the content stream, so repeated settings are not re-emitted.
#[derive(Default)]
struct State {
    in_text: bool,
    font: Option<(Weight, f32)>,
    fill: Option<Rgb>,
    stroke: Option<(Rgb, f32)>,
}

impl State {
    fn fill(&mut self, ops: &mut Vec<Op>, c: Rgb) {
        if self.fill != Some(c) {
            ops.push(Op::SetFillColor { col: colour(c) });
            self.fill = Some(c);
        }
    }

    fn stroke(&mut self, ops: &mut Vec<Op>, c: Rgb, width: f32) {
        if self.stroke != Some((c, width)) {
            ops.push(Op::SetOutlineColor { col: colour(c) });
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            self.stroke = Some((c, width));
        }
    }

    fn end_text(&mut self, ops: &mut Vec<Op>) {
        if self.in_text {
            ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }
}

/// Translates one page's items into printpdf operations. Consecutive text runs share one text
/// object (each positioned with an absolute `Tm`); paths stay outside text objects.
fn to_ops(items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 3);
    let mut st = State::default();
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                weight,
                color,
                text,
                word_gap,
            } => {
                if text.is_empty() {
                    continue;
                }
                if !st.in_text {
                    ops.push(Op::StartTextSection);
                    st.in_text = true;
                    st.font = None;
                }
                if st.font != Some((*weight, *size)) {
                    ops.push(Op::SetFont {
                        font: handle(*weight),
                        size: Pt(*size),
                    });
                    st.font = Some((*weight, *size));
                }
                st.fill(&mut ops, *color);
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(*x), Pt(*y)),
                });
                ops.push(Op::ShowText {
                    items: text_items(text, *size, *word_gap),
                });
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                st.end_text(&mut ops);
                let mode = match (fill, stroke) {
                    (Some(f), Some((s, width))) => {
                        st.fill(&mut ops, *f);
                        st.stroke(&mut ops, *s, *width);
                        PaintMode::FillStroke
                    }
                    (Some(f), None) => {
                        st.fill(&mut ops, *f);
                        PaintMode::Fill
                    }
                    (None, Some((s, width))) => {
                        st.stroke(&mut ops, *s, *width);
                        PaintMode::Stroke
                    }
                    (None, None) => continue,
                };
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(*y),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => {
                st.end_text(&mut ops);
                st.stroke(&mut ops, *color, *width);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1, *y1), point(*x2, *y2)],
                        is_closed: false,
                    },
                });
            }
        }
    }
    st.end_text(&mut ops);
    ops
}

/// A text run as TJ items; justified lines get a negative offset (moves right) after each space.
fn text_items(text: &str, size: f32, word_gap: f32) -> Vec<TextItem> {
    if word_gap <= 0.0 || !text.contains(' ') {
        return vec![TextItem::Text(text.to_string())];
    }
    let offset = -word_gap * 1000.0 / size;
    let mut items = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if words.peek().is_some() {
            items.push(TextItem::Text(format!("{word} ")));
            items.push(TextItem::Offset(offset));
        } else {
            items.push(TextItem::Text(word.to_string()));
        }
    }
    items
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with a byte order mark.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn pdf_date(opts: &RenderOptions) -> Object {
    let stamp = opts.generated_at.format("D:%Y%m%d%H%M%SZ").to_string();
    Object::String(stamp.into_bytes(), StringFormat::Literal)
}

/// Adds the nested outline, page labels, metadata and file identifier.
fn finish_document(
    lo: &mut lopdf::Document,
    laid: &LaidOutDocument,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<(), PdfError> {
    // printpdf's bookmarks are flat, so the outline is built here from (level, title, page).
    let page_ids = lo.get_pages();
    let mut stack: Vec<(u8, u32)> = Vec::new();
    for entry in &laid.outline {
        let Some(&page_id) = u32::try_from(entry.page + 1)
            .ok()
            .and_then(|n| page_ids.get(&n))
        else {
            return Err(PdfError::Write(format!(
                "outline entry {:?} has no page",
                entry.title
            )));
        };
        while stack.last().is_some_and(|(level, _)| *level >= entry.level) {
            stack.pop();
        }
        let parent = stack.last().map(|(_, id)| *id);
        let colour = if entry.level == 1 {
            [0.12, 0.23, 0.42]
        } else {
            [0.0, 0.0, 0.0]
        };
        let id = lo.add_bookmark(
            lopdf::Bookmark::new(entry.title.clone(), colour, 0, page_id),
            parent,
        );
        stack.push((entry.level, id));
    }
    let outline = lo.build_outline();
    if let Some(id) = outline {
        if let Ok(Object::Dictionary(dict)) = lo.get_object_mut(id) {
            dict.set("Type", Object::Name(b"Outlines".to_vec()));
        }
    }

    let first = i64::try_from(laid.first_numbered).unwrap_or(1);
    let mut labels = vec![
        Object::Integer(0),
        Object::Dictionary(Dictionary::from_iter(vec![("P", text_string("Cover"))])),
    ];
    if laid.pages.len() > laid.first_numbered {
        labels.push(Object::Integer(first));
        labels.push(Object::Dictionary(Dictionary::from_iter(vec![
            ("S", Object::Name(b"D".to_vec())),
            ("St", Object::Integer(1)),
        ])));
    }

    let catalog = lo
        .catalog_mut()
        .map_err(|e| PdfError::Write(format!("no catalog: {e}")))?;
    catalog.set(
        "PageLabels",
        Dictionary::from_iter(vec![("Nums", Object::Array(labels))]),
    );
    match outline {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }
    catalog.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );

    let info = Dictionary::from_iter(vec![
        ("Title", text_string(&doc.title)),
        ("Subject", text_string(&doc.subtitle)),
        ("Author", text_string("Assay")),
        ("Creator", text_string("Assay")),
        ("Producer", text_string("Assay")),
        ("CreationDate", pdf_date(opts)),
        ("ModDate", pdf_date(opts)),
    ]);
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(info_id));
    let id = if opts.document_id.is_empty() {
        "assay"
    } else {
        opts.document_id.as_str()
    };
    let id_string = Object::String(id.as_bytes().to_vec(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![id_string.clone(), id_string]));
    Ok(())
}
