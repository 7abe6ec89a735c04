//! Text measurement and greedy word wrap from the embedded fonts' `hmtx` advances.
//!
//! Invariant: widths are the sum of nominal glyph advances (no kerning), which is exactly what the
//! renderer emits (printpdf does not kern `TextItem::Text`), so a wrapped line never overflows.

use crate::PdfError;
use std::sync::OnceLock;

/// Which of the two embedded faces a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Characters below this code point have their advance in [`FaceMetrics`]' flat table: Latin,
/// Greek, Cyrillic, general punctuation (dashes, curly quotes), arrows and symbols such as ✓.
const TABLE_END: u32 = 0x3000;

/// Glyph advances of one face, with a flat table for the common part of the BMP because a cmap
/// lookup per character dominates wrap time on large tables.
pub(crate) struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    /// Advance in font units of every character below [`TABLE_END`], indexed by code point.
    table: Vec<u16>,
    units_per_em: f32,
}

impl FaceMetrics {
    pub(crate) fn parse(bytes: &'static [u8], name: &str) -> Result<Self, PdfError> {
        let face = ttf_parser::Face::parse(bytes, 0)
            .map_err(|e| PdfError::Font(format!("cannot parse embedded font {name}: {e}")))?;
        let units_per_em = f32::from(face.units_per_em());
        let table = (0..TABLE_END)
            .map(|code| char::from_u32(code).map_or(0, |c| advance_of(&face, c)))
            .collect();
        Ok(FaceMetrics {
            face,
            table,
            units_per_em,
        })
    }

    /// Advance of one character in font units.
    fn advance(&self, c: char) -> u32 {
        match self.table.get(c as usize) {
            Some(advance) => u32::from(*advance),
            None => u32::from(advance_of(&self.face, c)),
        }
    }

    /// Width of `s` in points at font size `size`.
    pub(crate) fn width(&self, s: &str, size: f32) -> f32 {
        let units: u32 = s.chars().map(|c| self.advance(c)).sum();
        units as f32 * size / self.units_per_em
    }

    /// Greedy word wrap of `text` to lines no wider than `max` points. `\n` forces a break;
    /// a word wider than `max` is split between characters. Always returns at least one line.
    pub(crate) fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        self.wrap_marked(text, size, max)
            .into_iter()
            .map(|(line, _)| line)
            .collect()
    }

    /// As [`FaceMetrics::wrap`], with a flag per line telling whether it ends a paragraph (a `\n`
    /// or the end of the text): justified text leaves those lines ragged.
    pub(crate) fn wrap_marked(&self, text: &str, size: f32, max: f32) -> Vec<(String, bool)> {
        let scale = size / self.units_per_em;
        let space = self.advance(' ') as f32 * scale;
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0f32;
            for word in para.split_whitespace() {
                let word_w = self.width(word, size);
                let joined_w = if line.is_empty() {
                    word_w
                } else {
                    line_w + space + word_w
                };
                if joined_w <= max {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w = joined_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push((std::mem::take(&mut line), false));
                }
                if word_w <= max {
                    line.push_str(word);
                    line_w = word_w;
                } else {
                    // Too long for any line (hashes, URLs, paths): break between characters.
                    line_w = 0.0;
                    for ch in word.chars() {
                        let ch_w = self.advance(ch) as f32 * scale;
                        if line_w + ch_w > max && !line.is_empty() {
                            lines.push((std::mem::take(&mut line), false));
                            line_w = 0.0;
                        }
                        line.push(ch);
                        line_w += ch_w;
                    }
                }
            }
            lines.push((line, true));
        }
        lines
    }
}

fn advance_of(face: &ttf_parser::Face<'_>, c: char) -> u16 {
    let gid = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
    face.glyph_hor_advance(gid).unwrap_or(0)
}

/// The two faces used by every document.
pub(crate) struct Fonts {
    pub(crate) regular: FaceMetrics,
    pub(crate) bold: FaceMetrics,
}

impl Fonts {
    /// The process-wide metrics, parsed on first use: the fonts are compiled in, so they never
    /// change, and building the advance tables costs a noticeable moment in debug builds.
    pub(crate) fn shared() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS
            .get_or_init(|| Fonts::load().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| PdfError::Font(e.clone()))
    }

    pub(crate) fn load() -> Result<Self, PdfError> {
        Ok(Fonts {
            regular: FaceMetrics::parse(crate::REGULAR_TTF, "DejaVuSans.ttf")?,
            bold: FaceMetrics::parse(crate::BOLD_TTF, "DejaVuSans-Bold.ttf")?,
        })
    }

    pub(crate) fn face(&self, weight: Weight) -> &FaceMetrics {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_advances_match_the_cmap() {
        let fonts = Fonts::load().expect("fonts");
        for face in [&fonts.regular, &fonts.bold] {
            // Below, at and above the table's end, plus characters the font lacks.
            for c in "Aa é“”–€✓ЖΩ≤\u{2FFF}\u{3000}中\u{1F600}\u{7F}\u{0}".chars() {
                assert_eq!(
                    face.advance(c),
                    u32::from(advance_of(&face.face, c)),
                    "{c:?}"
                );
            }
            assert_eq!(face.table.len(), TABLE_END as usize);
        }
    }
}
