//! Shared streaming-XML machinery: a hardened quick-xml reader with an element stack,
//! lenient text decoding and error places.
//!
//! Invariants: no DTD or entity is ever resolved — a DOCTYPE that declares an entity is
//! refused before the root element is read, and unknown entity references are kept
//! verbatim; the element stack always mirrors the open elements, so end of input inside
//! an element is reported as truncation with the open path.

use std::borrow::Cow;
use std::io::BufRead;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::control::{Control, Counting, RecordMark, Refusal};
use crate::error::ScanError;
use crate::model::ParseSummary;

/// Open-element names kept in one byte buffer so pushes do not allocate once warm.
#[derive(Default)]
pub(crate) struct ElementStack {
    names: Vec<u8>,
    ends: Vec<usize>,
}

impl ElementStack {
    fn push(&mut self, name: &[u8]) {
        self.names.extend_from_slice(name);
        self.ends.push(self.names.len());
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
    }

    pub(crate) fn depth(&self) -> usize {
        self.ends.len()
    }

    fn name_at(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.names[start..self.ends[i]]
    }

    fn path(&self) -> String {
        (0..self.ends.len())
            .map(|i| String::from_utf8_lossy(self.name_at(i)).into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A hardened streaming XML reader over a counting `BufRead`.
pub(crate) struct Xml<'c, R> {
    reader: NsReader<Counting<'c, R>>,
    /// Delimits each event for the counting reader's cap (see [`Counting::xml`]).
    event: Rc<RecordMark>,
    stack: ElementStack,
    seen_root: bool,
    events: u64,
    ctl: Control<'c>,
    /// Lossy-decoding notes collected while reading text.
    pub(crate) lossy: Vec<String>,
    lossy_count: u64,
}

impl<'c, R: BufRead> Xml<'c, R> {
    pub(crate) fn new(input: R, ctl: &Control<'c>) -> Self {
        let event = Rc::new(RecordMark::default());
        let mut reader = NsReader::from_reader(Counting::xml(input, ctl, event.clone()));
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.expand_empty_elements = false;
        cfg.check_end_names = true;
        Xml {
            reader,
            event,
            stack: ElementStack::default(),
            seen_root: false,
            events: 0,
            ctl: *ctl,
            lossy: Vec::new(),
            lossy_count: 0,
        }
    }

    /// Current depth (number of open elements).
    pub(crate) fn depth(&self) -> usize {
        self.stack.depth()
    }

    /// Name of the parent of the element just started (None at the root).
    pub(crate) fn parent_name(&self) -> Option<&[u8]> {
        let d = self.stack.depth();
        (d >= 2).then(|| self.stack.name_at(d - 2))
    }

    /// 1-based line of the current position.
    pub(crate) fn line(&self) -> u64 {
        self.reader.get_ref().line()
    }

    /// Bytes consumed so far.
    pub(crate) fn offset(&self) -> u64 {
        self.reader.get_ref().offset()
    }

    /// True when the element's namespace URI equals `uri` (whatever prefix binds it).
    pub(crate) fn in_namespace(&self, e: &BytesStart<'_>, uri: &[u8]) -> bool {
        let (ns, _) = self.reader.resolve_element(e.name());
        matches!(ns, ResolveResult::Bound(n) if n.as_ref() == uri)
    }

    fn xml_error(&self, err: &quick_xml::Error) -> ScanError {
        let c = self.reader.get_ref();
        ScanError::Xml {
            line: c.line(),
            column: c.column(),
            offset: self.reader.error_position(),
            message: crate::error::one_line(&err.to_string()),
        }
    }

    /// Next event, with the stack maintained, DOCTYPE entities refused and end of input
    /// inside an element reported as [`ScanError::Truncated`].
    pub(crate) fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ScanError> {
        buf.clear();
        self.events += 1;
        if self.events & 0x3ff == 0 {
            self.ctl.check()?;
        }
        self.event.start();
        let read = self.reader.read_event_into(buf);
        self.event.end();
        let ev = match read {
            Ok(ev) => ev,
            Err(e) => {
                if let Some(Refusal::Record { line, cap }) = self.reader.get_ref().refusal() {
                    return Err(ScanError::TextTooLarge {
                        path: crate::error::one_line(&self.stack.path()),
                        line,
                        cap,
                    });
                }
                return Err(self.xml_error(&e));
            }
        };
        match &ev {
            Event::Start(e) => {
                self.seen_root = true;
                self.stack.push(e.name().as_ref());
            }
            Event::Empty(_) => self.seen_root = true,
            Event::End(_) => self.stack.pop(),
            Event::DocType(d) if declares_entity(d.as_ref()) => {
                return Err(ScanError::EntityDeclaration { line: self.line() });
            }
            Event::Eof => {
                if self.stack.depth() > 0 {
                    let depth = self.stack.depth();
                    return Err(ScanError::Truncated {
                        element: crate::error::one_line(&String::from_utf8_lossy(
                            self.stack.name_at(depth - 1),
                        )),
                        path: crate::error::one_line(&self.stack.path()),
                        line: self.line(),
                        offset: self.offset(),
                    });
                }
                if !self.seen_root {
                    return Err(ScanError::Malformed {
                        place: format!("line {}", self.line()),
                        message: "no root element before end of file".into(),
                    });
                }
            }
            _ => {}
        }
        Ok(ev)
    }

    /// Decodes `raw` as UTF-8, replacing invalid bytes (scanner banners carry stray
    /// Latin-1) and noting where.
    pub(crate) fn decode<'a>(&mut self, raw: &'a [u8]) -> Cow<'a, str> {
        match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => {
                self.lossy_count += 1;
                if self.lossy.len() < 20 {
                    // The event has been consumed, so its bytes end at the current offset.
                    let at =
                        self.offset().saturating_sub(raw.len() as u64) + e.valid_up_to() as u64;
                    self.lossy.push(format!(
                        "invalid UTF-8 near byte offset {at} (line {}) replaced with U+FFFD",
                        self.line()
                    ));
                }
                String::from_utf8_lossy(raw)
            }
        }
    }

    /// Appends a text event's content to `out`, unescaping predefined and numeric entities;
    /// unknown entity references are kept verbatim (nothing is ever resolved).
    pub(crate) fn push_text(&mut self, raw: &[u8], escaped: bool, out: &mut String) {
        let s = self.decode(raw);
        if escaped && s.contains('&') {
            match quick_xml::escape::unescape(&s) {
                Ok(u) => out.push_str(&u),
                Err(_) => out.push_str(&s),
            }
        } else {
            out.push_str(&s);
        }
    }

    /// Reads the text content of the element just started (including nested elements'
    /// text) until its end tag; `out` is cleared first.
    pub(crate) fn read_text(
        &mut self,
        buf: &mut Vec<u8>,
        out: &mut String,
    ) -> Result<(), ScanError> {
        out.clear();
        let depth = self.depth();
        loop {
            match self.next(buf)? {
                Event::Text(t) => self.push_text(&t, true, out),
                Event::CData(t) => self.push_text(&t, false, out),
                Event::End(_) if self.depth() < depth => return Ok(()),
                _ => {}
            }
        }
    }

    /// Like [`Xml::read_text`] but returns a new string.
    pub(crate) fn text(&mut self, buf: &mut Vec<u8>) -> Result<String, ScanError> {
        let mut s = String::new();
        self.read_text(buf, &mut s)?;
        Ok(s)
    }

    /// Skips the element just started, without decoding anything.
    pub(crate) fn skip(&mut self, buf: &mut Vec<u8>) -> Result<(), ScanError> {
        let depth = self.depth();
        loop {
            if let Event::End(_) = self.next(buf)? {
                if self.depth() < depth {
                    return Ok(());
                }
            }
        }
    }

    /// Reads the element just started into a flat list of its descendants (name,
    /// attributes, own text), in document order; subtrees named in `skip` are not read.
    /// Memory is bounded by the record, which is all these callers hold.
    pub(crate) fn read_record(
        &mut self,
        buf: &mut Vec<u8>,
        skip: &[&[u8]],
    ) -> Result<Vec<Field>, ScanError> {
        let depth = self.depth();
        let mut fields: Vec<Field> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            match self.next(buf)? {
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_vec();
                    if skip.contains(&name.as_slice()) {
                        self.skip(buf)?;
                        continue;
                    }
                    let attrs = self.attrs(&e);
                    fields.push(Field {
                        name: String::from_utf8_lossy(&name).into_owned(),
                        attrs,
                        text: String::new(),
                        parent: open.last().copied(),
                    });
                    open.push(fields.len() - 1);
                }
                Event::Empty(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    let attrs = self.attrs(&e);
                    fields.push(Field {
                        name,
                        attrs,
                        text: String::new(),
                        parent: open.last().copied(),
                    });
                }
                Event::Text(t) => {
                    if let Some(&i) = open.last() {
                        let mut s = std::mem::take(&mut fields[i].text);
                        self.push_text(&t, true, &mut s);
                        fields[i].text = s;
                    }
                }
                Event::CData(t) => {
                    if let Some(&i) = open.last() {
                        let mut s = std::mem::take(&mut fields[i].text);
                        self.push_text(&t, false, &mut s);
                        fields[i].text = s;
                    }
                }
                Event::End(_) => {
                    if self.depth() < depth {
                        return Ok(fields);
                    }
                    open.pop();
                }
                _ => {}
            }
        }
    }

    /// Value of attribute `name` (unescaped, lossy UTF-8).
    pub(crate) fn attr(&mut self, e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
        for a in e.attributes().with_checks(false).flatten() {
            if a.key.as_ref() == name {
                let mut s = String::new();
                self.push_text(&a.value, true, &mut s);
                return Some(s);
            }
        }
        None
    }

    /// All attributes as (name, value) pairs.
    pub(crate) fn attrs(&mut self, e: &BytesStart<'_>) -> Vec<(Vec<u8>, String)> {
        let mut v = Vec::new();
        for a in e.attributes().with_checks(false).flatten() {
            let mut s = String::new();
            self.push_text(&a.value, true, &mut s);
            v.push((a.key.as_ref().to_vec(), s));
        }
        v
    }

    /// Moves lossy-decoding notes into the summary and reports final progress.
    pub(crate) fn finish(&mut self, summary: &mut ParseSummary) {
        for note in self.lossy.drain(..) {
            summary.warn(note);
        }
        if self.lossy_count > 20 {
            summary.warn(format!(
                "{} text runs contained invalid UTF-8 in total",
                self.lossy_count
            ));
        }
        let c = self.reader.get_ref();
        summary.bytes_read = c.offset();
        c.finish();
    }
}

/// One element read by [`Xml::read_record`].
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: String,
    pub attrs: Vec<(Vec<u8>, String)>,
    pub text: String,
    /// Index of the enclosing field, `None` for direct children of the record.
    pub parent: Option<usize>,
}

impl Field {
    /// Attribute value by name.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.as_slice() == name.as_bytes())
            .map(|(_, v)| v.as_str())
    }
}

/// Helpers over a record's fields.
pub(crate) trait Fields {
    /// Trimmed non-empty text of the first field called `name`.
    fn text(&self, name: &str) -> Option<String>;
    /// First field called `name`.
    fn field(&self, name: &str) -> Option<&Field>;
    /// Trimmed non-empty text of a direct child `name` of the record.
    fn direct(&self, name: &str) -> Option<String>;
    /// Trimmed non-empty text of the first `name` whose parent is called `parent`.
    fn child(&self, parent: &str, name: &str) -> Option<String>;
}

impl Fields for [Field] {
    fn text(&self, name: &str) -> Option<String> {
        self.iter()
            .filter(|f| f.name == name)
            .find_map(|f| non_empty(&f.text))
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.iter().find(|f| f.name == name)
    }

    fn direct(&self, name: &str) -> Option<String> {
        self.iter()
            .filter(|f| f.parent.is_none() && f.name == name)
            .find_map(|f| non_empty(&f.text))
    }

    fn child(&self, parent: &str, name: &str) -> Option<String> {
        self.iter()
            .filter(|f| f.name == name)
            .filter(|f| f.parent.is_some_and(|p| self[p].name == parent))
            .find_map(|f| non_empty(&f.text))
    }
}

/// True when a DOCTYPE body declares an entity (`<!ENTITY`), in any letter case.
pub(crate) fn declares_entity(doctype: &[u8]) -> bool {
    doctype
        .windows(8)
        .any(|w| w.eq_ignore_ascii_case(b"<!ENTITY"))
}

/// Returns `None` for empty/whitespace strings, else the trimmed string.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_declaration_detection() {
        assert!(declares_entity(b"foo [ <!ENTITY x \"y\"> ]"));
        assert!(declares_entity(b"foo [ <!entity x \"y\"> ]"));
        assert!(!declares_entity(b"issues [ <!ELEMENT issues (issue*)> ]"));
        assert!(!declares_entity(b"nmaprun"));
    }

    #[test]
    fn truncation_names_the_open_path() {
        let data = b"<a>\n<b>\n<c>text";
        let ctl = Control::default();
        let mut x = Xml::new(&data[..], &ctl);
        let mut buf = Vec::new();
        let err = loop {
            match x.next(&mut buf) {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        let msg = err.to_string();
        assert!(msg.contains("inside <c>"), "{msg}");
        assert!(msg.contains("a/b/c"), "{msg}");
        assert!(msg.contains("line 3"), "{msg}");
    }
}
