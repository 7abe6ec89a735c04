//! Rendering of OSCAL markup (markup-line / markup-multiline) to plain text.
//!
//! OSCAL JSON carries markup as Markdown, OSCAL XML as an HTML subset. Both are rendered here to the same
//! canonical plain text, so a document read from JSON equals its XML twin:
//! * one line per block (paragraph, heading, list item, table row, preformatted block), joined with `\n`;
//! * whitespace inside a line collapsed to single spaces, lines trimmed, empty lines dropped;
//! * list items prefixed `- ` (unordered) or `N. ` (ordered); table cells joined with ` | `;
//! * emphasis, strong, code, links and subscripts reduced to their text; quotes kept as `"..."`;
//! * parameter (and other) insertions rendered as `{{ insert: TYPE, ID }}` exactly as in OSCAL Markdown, so a
//!   later step can substitute parameter values (see `catalog::substitute_params`).

/// Accumulates plain-text lines with whitespace collapsing.
#[derive(Debug, Default)]
pub(crate) struct PlainWriter {
    out: String,
    cur: String,
    pending_space: bool,
    /// The current line holds only a list marker so far.
    marker_only: bool,
}

impl PlainWriter {
    /// Appends running text; runs of whitespace become one space, leading whitespace of a line is dropped.
    pub(crate) fn text(&mut self, s: &str) {
        // Word by word rather than char by char: this is the hot loop of both readers.
        let mut rest = s;
        loop {
            let word = rest.trim_start();
            if word.len() != rest.len() {
                self.pending_space = !self.cur.is_empty() && !self.marker_only;
            }
            if word.is_empty() {
                return;
            }
            let end = word.find(char::is_whitespace).unwrap_or(word.len());
            if self.pending_space {
                self.cur.push(' ');
                self.pending_space = false;
            }
            self.marker_only = false;
            self.cur.push_str(&word[..end]);
            rest = &word[end..];
        }
    }

    /// Appends preformatted text: every source line break ends a line.
    pub(crate) fn text_pre(&mut self, s: &str) {
        let mut lines = s.split('\n');
        if let Some(first) = lines.next() {
            self.text(first);
        }
        for line in lines {
            self.break_line();
            self.text(line);
        }
    }

    /// Appends a token that must stay intact (an insertion), honouring a pending space.
    pub(crate) fn token(&mut self, s: &str) {
        if self.pending_space {
            self.cur.push(' ');
            self.pending_space = false;
        }
        self.marker_only = false;
        self.cur.push_str(s);
    }

    /// Starts a block (paragraph) unless the line so far is just a list marker (`<li><p>`).
    pub(crate) fn start_block(&mut self) {
        if !self.marker_only {
            self.break_line();
        }
    }

    /// Ends the current line (if any).
    pub(crate) fn break_line(&mut self) {
        let line = self.cur.trim_end();
        if self.out.is_empty() {
            // The first line (for most fields the only one) moves instead of being copied.
            self.cur.truncate(line.len());
            self.out = std::mem::take(&mut self.cur);
        } else if !line.is_empty() {
            self.out.push('\n');
            self.out.push_str(line);
        }
        self.cur.clear();
        self.pending_space = false;
        self.marker_only = false;
    }

    /// Starts a new line beginning with `prefix` (a list marker).
    pub(crate) fn start_line(&mut self, prefix: &str) {
        self.break_line();
        self.cur.push_str(prefix);
        self.marker_only = true;
    }

    /// Separates table cells on the current line.
    pub(crate) fn cell(&mut self) {
        if !self.cur.is_empty() {
            self.cur.push_str(" | ");
        }
        self.pending_space = false;
    }

    /// The rendered text.
    pub(crate) fn finish(mut self) -> String {
        self.break_line();
        // Texts live as long as the model: drop the growth slack.
        self.out.shrink_to_fit();
        self.out
    }
}

/// Renders an insertion the same way for both formats.
pub(crate) fn insert_token(kind: &str, id: &str) -> String {
    let kind = if kind.is_empty() { "param" } else { kind };
    format!("{{{{ insert: {kind}, {id} }}}}")
}

/// Renders OSCAL Markdown (as found in OSCAL JSON) to canonical plain text.
pub(crate) fn markdown_to_plain(md: &str) -> String {
    let mut w = PlainWriter::default();
    let mut in_fence = false;
    // Markdown numbers ordered items any way (often all `1.`); XML numbers them 1, 2, 3. Renumber.
    let mut ordered: Option<u64> = None;
    for raw_line in md.lines() {
        let line = raw_line.trim();
        if line.starts_with("```") {
            in_fence = !in_fence;
            w.break_line();
            continue;
        }
        if in_fence {
            w.text(line);
            w.break_line();
            continue;
        }
        if line.is_empty() {
            w.break_line();
            continue;
        }
        let line = line.strip_prefix("> ").unwrap_or(line);
        if list_item(line).is_none() {
            ordered = None;
        }
        if let Some(rest) = heading_text(line) {
            w.break_line();
            render_inline(&mut w, rest);
            w.break_line();
        } else if let Some((mut marker, rest)) = list_item(line) {
            if let Some(n) = marker
                .strip_suffix(". ")
                .and_then(|d| d.parse::<u64>().ok())
            {
                let next = ordered.map_or(n, |prev| prev + 1);
                ordered = Some(next);
                marker = format!("{next}. ");
            }
            // Some converters (FedRAMP's Rev5 JSON) flatten a nested list onto its parent item's line as
            // `* parent    * child`; two or more spaces before a bullet mark such a flattened item.
            let mut items = split_flattened_items(rest).into_iter();
            w.start_line(&marker);
            render_inline(&mut w, items.next().unwrap_or_default());
            for item in items {
                w.start_line("- ");
                render_inline(&mut w, item);
            }
        } else if line.starts_with('|') {
            ordered = None;
            w.break_line();
            if !is_table_separator(line) {
                for cell in split_cells(line) {
                    w.cell();
                    render_inline(&mut w, cell.trim());
                }
            }
            w.break_line();
        } else {
            // A soft line break continues the paragraph.
            w.text(" ");
            render_inline(&mut w, line);
        }
    }
    w.finish()
}

fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(line[hashes..].trim())
    } else {
        None
    }
}

fn list_item(line: &str) -> Option<(String, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some(("- ".to_string(), rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some((format!("{}. ", &line[..digits]), &line[digits + 2..]));
    }
    None
}

/// Splits `a    * b   * c` into `[a, b, c]` (see the caller for why).
fn split_flattened_items(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            let spaces = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            let j = i + spaces;
            if spaces >= 2
                && j + 1 < bytes.len()
                && matches!(bytes[j], b'*' | b'-')
                && bytes[j + 1] == b' '
            {
                items.push(&s[start..i]);
                start = j + 2;
                i = start;
                continue;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    items.push(&s[start..]);
    items
}

fn is_table_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn split_cells(line: &str) -> Vec<&str> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                cells.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    cells.push(&inner[start.min(inner.len())..]);
    cells
}

/// Renders one line of inline Markdown into `w`.
fn render_inline(w: &mut PlainWriter, s: &str) {
    let mut buf = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        // Copy the run up to the next character with a meaning in one go.
        let plain = rest.find(['\\', '*', '`', '{', '[']).unwrap_or(rest.len());
        buf.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        let clen = c.len_utf8();
        match c {
            '\\' => {
                let next = rest[1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        buf.push(n);
                        rest = &rest[1 + n.len_utf8()..];
                    }
                    _ => {
                        buf.push('\\');
                        rest = &rest[1..];
                    }
                }
            }
            '*' | '`' => rest = &rest[1..],
            '{' if rest.starts_with("{{") => {
                if let Some((token, after)) = parse_insert(rest) {
                    w.text(&std::mem::take(&mut buf));
                    w.token(&token);
                    rest = after;
                } else {
                    buf.push('{');
                    rest = &rest[1..];
                }
            }
            '[' => {
                if let Some((text, after)) = parse_link(rest) {
                    buf.push_str(&inline_plain(text));
                    rest = after;
                } else {
                    buf.push('[');
                    rest = &rest[1..];
                }
            }
            _ => {
                buf.push(c);
                rest = &rest[clen..];
            }
        }
    }
    w.text(&buf);
}

/// Inline Markdown of link text to plain text (no insertions expected there).
fn inline_plain(s: &str) -> String {
    let mut w = PlainWriter::default();
    render_inline(&mut w, s);
    w.finish()
}

/// Parses `{{ insert: param, id }}` at the start of `s`.
fn parse_insert(s: &str) -> Option<(String, &str)> {
    let end = s.find("}}")?;
    let inner = s[2..end].trim();
    let body = inner.strip_prefix("insert:")?;
    let (kind, id) = body.split_once(',')?;
    Some((insert_token(kind.trim(), id.trim()), &s[end + 2..]))
}

/// Parses `[text](target)` at the start of `s`, returning the text.
fn parse_link(s: &str) -> Option<(&str, &str)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('[') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    Some((text, &after[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_to_canonical_lines() {
        let cases: &[(&str, &str)] = &[
            ("Plain text", "Plain text"),
            ("a\n\nb", "a\nb"),
            ("soft\nbreak", "soft break"),
            (
                "Require {{ insert: param, ac-02_odp.01 }} for x;",
                "Require {{ insert: param, ac-02_odp.01 }} for x;",
            ),
            (
                "Require {{insert: param,ac-02_odp.01}} x",
                "Require {{ insert: param, ac-02_odp.01 }} x",
            ),
            ("*em* and **strong** and `code`", "em and strong and code"),
            ("see [the site](https://x.gov) now", "see the site now"),
            ("escaped \\* star and \\[x\\]", "escaped * star and [x]"),
            ("- one\n- two\n    - nested", "- one\n- two\n- nested"),
            ("text\n\n*  two spaces \n*  b", "text\n- two spaces\n- b"),
            (
                "* AAL1 (low)    * 30 days   * No limit  ",
                "- AAL1 (low)\n- 30 days\n- No limit",
            ),
            ("- a - b * c", "- a - b c"),
            ("1. first\n2. second", "1. first\n2. second"),
            (
                "1. a\n1. b\n1. c\n\ntext\n1. d",
                "1. a\n2. b\n3. c\ntext\n1. d",
            ),
            ("# Head\ntext", "Head\ntext"),
            ("```\n  a  *b*\n\nc\n```\nafter", "a *b*\nc\nafter"),
            ("| a | b |\n| --- | --- |\n| c | d |", "a | b\nc | d"),
            ("  spaced   out  ", "spaced out"),
            ("", ""),
        ];
        for (md, want) in cases {
            assert_eq!(markdown_to_plain(md), *want, "input {md:?}");
        }
    }

    #[test]
    fn writer_collapses_whitespace_and_keeps_tokens() {
        let mut w = PlainWriter::default();
        w.text("  a \n  b ");
        w.token("{{ insert: param, x }}");
        w.text(" c");
        w.start_line("- ");
        w.text("item");
        assert_eq!(w.finish(), "a b {{ insert: param, x }} c\n- item");
    }
}
