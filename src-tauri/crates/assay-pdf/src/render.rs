//! Turns laid-out pages into PDF bytes: printpdf builds the document skeleton and the subset
//! fonts, this module writes every page's content stream itself, then lopdf adds what printpdf
//! cannot (a nested outline, page labels, fixed metadata and file identifier).
//!
//! Invariant: this is the only module that uses printpdf or lopdf, and it introduces nothing that
//! varies between runs: font resource names and subset tags are fixed, numbers are written with a
//! fixed number of decimals, streams are compressed one by one (so the thread count does not
//! matter), the info dictionary dates and the trailer `/ID` come from [`RenderOptions`].

use crate::layout::metrics::Weight;
use crate::layout::paginate::{Item, LaidOutDocument, Rgb, MM};
use crate::{Document, PdfError, RenderOptions};
use lopdf::{Dictionary, Object, StringFormat};
use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt,
    TextItem,
};
use std::collections::{BTreeMap, BTreeSet};

// printpdf names font resources after the FontId and takes the subset tag (`XXXXXX+`) from its
// first six characters; its own ids come from a process-wide counter, which would make two
// renders differ, so we choose them.
const REGULAR_ID: &str = "ASYREG";
const BOLD_ID: &str = "ASYBLD";

/// Writes the laid-out document as PDF bytes.
///
/// printpdf builds the document skeleton (page tree, resources, the subset fonts with their
/// widths and ToUnicode maps) from pages whose content streams are empty except for the first,
/// which carries one `Tj` per face listing every character the document uses. The glyph codes
/// printpdf writes for that carrier string are read back, and every page's content stream is
/// then written here directly with those codes. printpdf's own per-op serialisation (a heap
/// object per operand, per-character cmap and remap lookups, generic float formatting) took
/// over 80% of the render time of large tables; this path is linear in the text and writes
/// each page independently, on all cores.
pub(crate) fn render(
    laid: &LaidOutDocument,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<Vec<u8>, PdfError> {
    let used = used_chars(laid);
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
    let mut pages: Vec<PdfPage> = Vec::with_capacity(laid.pages.len());
    pages.push(PdfPage::new(w, h, carrier_ops(&used)));
    pages.extend((1..laid.pages.len()).map(|_| PdfPage::new(w, h, Vec::new())));
    let mut warnings = Vec::new();
    let save = PdfSaveOptions {
        subset_fonts: true,
        optimize: true,
        ..Default::default()
    };
    let mut lo = pdf
        .with_pages(pages)
        .to_lopdf_document(&save, &mut warnings);
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != laid.pages.len() {
        return Err(PdfError::Write(format!(
            "printpdf wrote {} pages for {} laid out",
            page_ids.len(),
            laid.pages.len()
        )));
    }
    let content_ids = page_ids
        .iter()
        .map(|id| {
            lo.get_dictionary(*id)
                .and_then(|d| d.get(b"Contents"))
                .and_then(Object::as_reference)
                .map_err(|e| PdfError::Write(format!("page without content stream: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let codes = read_carrier_codes(&lo, content_ids.first().copied(), &used)?;
    let streams = write_page_streams(laid, &codes);
    for (id, (content, compressed)) in content_ids.into_iter().zip(streams) {
        let mut dict = Dictionary::new();
        if compressed {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        }
        lo.objects
            .insert(id, Object::Stream(lopdf::Stream::new(dict, content)));
    }
    let printpdf_info = lo.trailer.get(b"Info").and_then(Object::as_reference).ok();
    finish_document(&mut lo, laid, doc, opts)?;
    // printpdf's own info dictionary is now the only unreferenced object; removing it directly
    // saves `prune_objects`' walk over the whole document (a tenth of the time on big tables).
    if let Some(id) = printpdf_info {
        lo.objects.remove(&id);
    }
    compress_streams(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

/// The characters each face draws, in code point order (index 0 regular, 1 bold).
fn used_chars(laid: &LaidOutDocument) -> [Vec<char>; 2] {
    let mut ascii = [[false; 128]; 2];
    let mut other: [BTreeSet<char>; 2] = Default::default();
    for item in laid.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { weight, text, .. } = item {
            let face = face_index(*weight);
            for c in text.chars() {
                match ascii[face].get_mut(c as usize) {
                    Some(seen) => *seen = true,
                    None => {
                        other[face].insert(c);
                    }
                }
            }
        }
    }
    [0, 1].map(|face| {
        (0u8..128)
            .filter(|b| ascii[face][usize::from(*b)])
            .map(char::from)
            .chain(other[face].iter().copied())
            .collect()
    })
}

fn face_index(weight: Weight) -> usize {
    match weight {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }
}

/// The first page's printpdf content: one text run per used face listing its characters, so
/// printpdf subsets exactly the glyphs the document needs and shows how it encodes them.
fn carrier_ops(used: &[Vec<char>; 2]) -> Vec<Op> {
    let mut ops = vec![Op::StartTextSection];
    for (face, weight) in [(0, Weight::Regular), (1, Weight::Bold)] {
        if used[face].is_empty() {
            continue;
        }
        ops.push(Op::SetFont {
            font: handle(weight),
            size: Pt(10.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(used[face].iter().collect())],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// Two-byte glyph code of every used character of one face.
struct FaceCodes {
    ascii: [u16; 128],
    other: BTreeMap<char, u16>,
}

impl Default for FaceCodes {
    fn default() -> Self {
        FaceCodes {
            ascii: [0; 128],
            other: BTreeMap::new(),
        }
    }
}

impl FaceCodes {
    fn code(&self, c: char) -> u16 {
        match self.ascii.get(c as usize) {
            Some(code) => *code,
            None => self.other.get(&c).copied().unwrap_or(0),
        }
    }
}

/// Reads the carrier's hex strings back (in face order) and pairs each two-byte code with its
/// character.
fn read_carrier_codes(
    lo: &lopdf::Document,
    carrier: Option<lopdf::ObjectId>,
    used: &[Vec<char>; 2],
) -> Result<[FaceCodes; 2], PdfError> {
    let bad = |why: &str| PdfError::Write(format!("cannot read glyph codes: {why}"));
    let mut codes: [FaceCodes; 2] = Default::default();
    let Some(id) = carrier else {
        return Ok(codes);
    };
    let stream = lo
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| bad(&e.to_string()))?;
    let mut strings = hex_strings(&stream.content);
    for face in 0..2 {
        if used[face].is_empty() {
            continue;
        }
        let bytes = strings.next().ok_or_else(|| bad("carrier text missing"))?;
        if bytes.len() != 2 * used[face].len() {
            return Err(bad("carrier text has an unexpected length"));
        }
        for (c, pair) in used[face].iter().zip(bytes.chunks_exact(2)) {
            let code = u16::from_be_bytes([pair[0], pair[1]]);
            match codes[face].ascii.get_mut(*c as usize) {
                Some(slot) => *slot = code,
                None => {
                    codes[face].other.insert(*c, code);
                }
            }
        }
    }
    Ok(codes)
}

/// The `<...>` hex strings of an uncompressed content stream, decoded, in order.
fn hex_strings(content: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    content
        .split(|b| *b == b'<')
        .skip(1)
        .filter_map(|rest| rest.split(|b| *b == b'>').next())
        .map(|hex| {
            let digits: Vec<u8> = hex
                .iter()
                .filter_map(|b| (*b as char).to_digit(16))
                .map(|d| d as u8)
                .collect();
            digits
                .chunks(2)
                .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
                .collect()
        })
}

/// Writes and deflates every page's content stream (with a flag telling whether it is
/// compressed); pages are independent, so they are split across cores and the bytes do not
/// depend on the thread count.
fn write_page_streams(laid: &LaidOutDocument, codes: &[FaceCodes; 2]) -> Vec<(Vec<u8>, bool)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = laid.pages.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = laid
            .pages
            .chunks(chunk)
            .map(|pages| {
                scope.spawn(move || {
                    let mut buf = Vec::new();
                    let mut deflater = Deflater::new();
                    pages
                        .iter()
                        .map(|page| {
                            buf.clear();
                            write_content(&mut buf, &page.items, codes);
                            match deflater.deflate(&buf) {
                                Some(z) => (z, true),
                                None => (buf.clone(), false),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker can only fail by panicking; pass that on rather than lose pages.
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// A zlib compressor reused across streams: a fresh one per page spent a noticeable share of
/// the time allocating and clearing its tables.
struct Deflater {
    engine: flate2::Compress,
}

impl Deflater {
    fn new() -> Self {
        // Level 3: level 1 (miniz "fast") made the file 45% larger for a few percent of time;
        // level 6 doubled the serialise time for a 2% smaller file.
        Deflater {
            engine: flate2::Compress::new(flate2::Compression::new(3), true),
        }
    }

    /// The zlib stream of `content` (every call starts a fresh stream); `None` if the
    /// compressor fails, which in-memory buffers never make it do.
    fn deflate(&mut self, content: &[u8]) -> Option<Vec<u8>> {
        self.engine.reset();
        let mut out = Vec::with_capacity(content.len() / 3 + 64);
        let mut input = content;
        loop {
            if out.len() == out.capacity() {
                out.reserve(out.capacity().max(1024));
            }
            let before = self.engine.total_in();
            let status = self
                .engine
                .compress_vec(input, &mut out, flate2::FlushCompress::Finish);
            let used = usize::try_from(self.engine.total_in() - before).unwrap_or(input.len());
            input = &input[used.min(input.len())..];
            match status {
                Ok(flate2::Status::StreamEnd) => return Some(out),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
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

fn handle(weight: Weight) -> PdfFontHandle {
    let id = match weight {
        Weight::Regular => REGULAR_ID,
        Weight::Bold => BOLD_ID,
    };
    PdfFontHandle::External(FontId(id.to_string()))
}

/// Appends `v` rounded to `decimals` (at most 3) places, without trailing zeros or a sign on
/// zero: the PDF number syntax, deterministic and much cheaper than float formatting.
fn push_num(buf: &mut Vec<u8>, v: f32, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let scaled = if v.is_finite() {
        (f64::from(v) * scale as f64).round() as i64
    } else {
        0
    };
    if scaled < 0 {
        buf.push(b'-');
    }
    let abs = scaled.unsigned_abs();
    let scale = scale.unsigned_abs();
    push_uint(buf, abs / scale);
    let mut frac = abs % scale;
    if frac != 0 {
        buf.push(b'.');
        let mut div = scale / 10;
        while frac != 0 {
            let digit = frac / div;
            buf.push(b'0' + digit as u8);
            frac %= div;
            div /= 10;
        }
    }
}

fn push_uint(buf: &mut Vec<u8>, v: u64) {
    let mut digits = [0u8; 20];
    let mut n = v;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

fn push_nums(buf: &mut Vec<u8>, values: &[f32], decimals: u32, op: &[u8]) {
    for v in values {
        push_num(buf, *v, decimals);
        buf.push(b' ');
    }
    buf.extend_from_slice(op);
    buf.push(b'\n');
}

/// Appends `text` as a PDF literal string of two-byte glyph codes; the delimiters, backslash
/// and line-end bytes are escaped so readers take every byte literally.
fn push_glyphs(buf: &mut Vec<u8>, text: &str, codes: &FaceCodes) {
    buf.push(b'(');
    for c in text.chars() {
        for b in codes.code(c).to_be_bytes() {
            match b {
                b'(' | b')' | b'\\' => buf.extend_from_slice(&[b'\\', b]),
                b'\r' => buf.extend_from_slice(b"\\r"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                _ => buf.push(b),
            }
        }
    }
    buf.push(b')');
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
    fn fill(&mut self, buf: &mut Vec<u8>, c: Rgb) {
        if self.fill != Some(c) {
            push_nums(buf, &[c.0, c.1, c.2], 3, b"rg");
            self.fill = Some(c);
        }
    }

    fn stroke(&mut self, buf: &mut Vec<u8>, c: Rgb, width: f32) {
        if self.stroke != Some((c, width)) {
            push_nums(buf, &[c.0, c.1, c.2], 3, b"RG");
            push_nums(buf, &[width], 2, b"w");
            self.stroke = Some((c, width));
        }
    }

    fn end_text(&mut self, buf: &mut Vec<u8>) {
        if self.in_text {
            buf.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }
}

/// Writes one page's items as content-stream operators. Consecutive text runs share one text
/// object (each positioned with an absolute `Tm`); paths stay outside text objects.
fn write_content(buf: &mut Vec<u8>, items: &[Item], codes: &[FaceCodes; 2]) {
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
                    buf.extend_from_slice(b"BT\n");
                    st.in_text = true;
                    st.font = None;
                }
                if st.font != Some((*weight, *size)) {
                    buf.push(b'/');
                    buf.extend_from_slice(match weight {
                        Weight::Regular => REGULAR_ID.as_bytes(),
                        Weight::Bold => BOLD_ID.as_bytes(),
                    });
                    buf.push(b' ');
                    push_nums(buf, &[*size], 2, b"Tf");
                    st.font = Some((*weight, *size));
                }
                st.fill(buf, *color);
                buf.extend_from_slice(b"1 0 0 1 ");
                push_nums(buf, &[*x, *y], 2, b"Tm");
                let face = &codes[face_index(*weight)];
                if *word_gap <= 0.0 || !text.contains(' ') {
                    push_glyphs(buf, text, face);
                    buf.extend_from_slice(b" Tj\n");
                } else {
                    // Justified: a negative offset (moves right) after each space.
                    let offset = -word_gap * 1000.0 / size;
                    buf.push(b'[');
                    let mut words = text.split(' ').peekable();
                    while let Some(word) = words.next() {
                        if words.peek().is_some() {
                            push_glyphs(buf, word, face);
                            push_glyphs(buf, " ", face);
                            buf.push(b' ');
                            push_num(buf, offset, 2);
                            buf.push(b' ');
                        } else {
                            push_glyphs(buf, word, face);
                        }
                    }
                    buf.extend_from_slice(b"] TJ\n");
                }
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                st.end_text(buf);
                let op: &[u8] = match (fill, stroke) {
                    (Some(f), Some((s, width))) => {
                        st.fill(buf, *f);
                        st.stroke(buf, *s, *width);
                        b"re B"
                    }
                    (Some(f), None) => {
                        st.fill(buf, *f);
                        b"re f"
                    }
                    (None, Some((s, width))) => {
                        st.stroke(buf, *s, *width);
                        b"re S"
                    }
                    (None, None) => continue,
                };
                push_nums(buf, &[*x, *y, *w, *h], 2, op);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => {
                st.end_text(buf);
                st.stroke(buf, *color, *width);
                push_nums(buf, &[*x1, *y1], 2, b"m");
                push_nums(buf, &[*x2, *y2], 2, b"l S");
            }
        }
    }
    st.end_text(buf);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_pdf_syntax() {
        for (v, decimals, want) in [
            (0.0, 2, "0"),
            (-0.0, 2, "0"),
            (-0.001, 2, "0"),
            (1.0, 2, "1"),
            (1.5, 2, "1.5"),
            (12.25, 2, "12.25"),
            (0.05, 2, "0.05"),
            (-3.5, 2, "-3.5"),
            (612.0, 2, "612"),
            (0.123_456, 3, "0.123"),
            (0.999_9, 3, "1"),
            (-25.046, 2, "-25.05"),
            (f32::NAN, 2, "0"),
        ] {
            let mut buf = Vec::new();
            push_num(&mut buf, v, decimals);
            assert_eq!(String::from_utf8(buf).expect("ascii"), want, "{v}");
        }
    }

    #[test]
    fn glyph_strings_escape_delimiters_and_line_ends() {
        let mut codes = FaceCodes::default();
        // Codes chosen so each byte a literal string must escape occurs.
        for (c, code) in [('a', 0x0028), ('b', 0x295C), ('c', 0x0D0A), ('d', 0x0041)] {
            codes.ascii[c as usize] = code;
        }
        codes.other.insert('é', 0x0102);
        let mut buf = Vec::new();
        push_glyphs(&mut buf, "abcdé", &codes);
        assert_eq!(
            buf,
            b"(\x00\\(\\)\\\\\\r\\n\x00A\x01\x02)".to_vec(),
            "{}",
            String::from_utf8_lossy(&buf)
        );
        // Characters the carrier did not list fall back to .notdef (code 0).
        let mut buf = Vec::new();
        push_glyphs(&mut buf, "z€", &codes);
        assert_eq!(buf, b"(\x00\x00\x00\x00)".to_vec());
    }

    #[test]
    fn carrier_hex_strings_are_read_in_order() {
        let content = b"BT\n/ASYREG 10 Tf\n<00010002 00FF> Tj\n/ASYBLD 10 Tf\n<0a0B> Tj\nET";
        let strings: Vec<Vec<u8>> = hex_strings(content).collect();
        assert_eq!(strings, vec![vec![0, 1, 0, 2, 0, 0xFF], vec![0x0A, 0x0B]]);
    }

    #[test]
    fn deflated_streams_inflate_to_the_content() {
        use std::io::Read;
        let mut deflater = Deflater::new();
        for content in [
            Vec::new(),
            b"BT /ASYREG 8 Tf ET\n".repeat(5000),
            (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ] {
            let z = deflater.deflate(&content).expect("deflate");
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(z.as_slice())
                .read_to_end(&mut back)
                .expect("inflate");
            assert_eq!(back, content);
        }
    }
}
