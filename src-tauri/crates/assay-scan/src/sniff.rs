//! Content sniffing helpers shared by the formats' `sniff` methods: the XML root element
//! after the prologue, and the shape and top-level keys of a JSON document's head.
//!
//! Invariant: these functions only look at the bytes given (a head of the file) and never
//! fail; a truncated head yields whatever could be seen.

/// The first element of an XML document: its name and the raw bytes of its start tag.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct XmlRoot<'a> {
    pub name: &'a [u8],
    pub tag: &'a [u8],
    /// Everything after the root start tag (rest of the head).
    pub rest: &'a [u8],
}

/// Strips a UTF-8 BOM and leading ASCII whitespace.
pub(crate) fn trim_start(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let n = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// True when `needle` occurs in `hay`.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// Skips the XML prologue (declaration, PIs, comments, DOCTYPE with internal subset) and
/// returns the root element, or `None` if the head does not start like XML.
pub(crate) fn xml_root(head: &[u8]) -> Option<XmlRoot<'_>> {
    let mut s = trim_start(head);
    loop {
        if !s.starts_with(b"<") {
            return None;
        }
        if s.starts_with(b"<?") {
            s = trim_start(&s[find(s, b"?>")? + 2..]);
        } else if s.starts_with(b"<!--") {
            s = trim_start(&s[find(s, b"-->")? + 3..]);
        } else if s.len() >= 9 && s[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            s = trim_start(&s[doctype_end(s)?..]);
        } else {
            let body = &s[1..];
            let name_len = body
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                .unwrap_or(body.len());
            let tag_end = body.iter().position(|b| *b == b'>').unwrap_or(body.len());
            let rest_start = (tag_end + 1).min(body.len());
            return Some(XmlRoot {
                name: &body[..name_len],
                tag: &body[..tag_end],
                rest: &body[rest_start..],
            });
        }
    }
}

/// Index just past a DOCTYPE declaration, honouring `[ … ]` and quotes.
fn doctype_end(s: &[u8]) -> Option<usize> {
    let mut depth = 0u32;
    let mut quote: Option<u8> = None;
    for (i, &b) in s.iter().enumerate().skip(9) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(i + 1),
                _ => {}
            },
        }
    }
    None
}

/// Shape of a JSON document head.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonShape {
    /// `{…}` with its top-level keys (as far as the head reaches).
    Object(Vec<String>),
    /// `[…]` with the top-level keys of its first element if that is an object.
    Array(Option<Vec<String>>),
    /// `[]`.
    EmptyArray,
}

/// Top-level keys of the object at `s[0]` (which must be `{`); stops at the head's end.
fn object_keys(s: &[u8]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    // Whether the next string at depth 1 is a key (after `{` or `,`).
    let mut expect_key = false;
    while i < s.len() {
        match s[i] {
            b'{' | b'[' => {
                depth += 1;
                if depth == 1 {
                    expect_key = true;
                }
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return keys;
                }
            }
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < s.len() && s[j] != b'"' {
                    if s[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if depth == 1 && expect_key {
                    if let Some(raw) = s.get(start..j) {
                        keys.push(String::from_utf8_lossy(raw).into_owned());
                    }
                    expect_key = false;
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Classifies a JSON head, or `None` when it does not start with `{` or `[`.
pub(crate) fn json_shape(head: &[u8]) -> Option<JsonShape> {
    let s = trim_start(head);
    match s.first()? {
        b'{' => Some(JsonShape::Object(object_keys(s))),
        b'[' => {
            let inner = trim_start(&s[1..]);
            match inner.first() {
                Some(b']') => Some(JsonShape::EmptyArray),
                Some(b'{') => Some(JsonShape::Array(Some(object_keys(inner)))),
                _ => Some(JsonShape::Array(None)),
            }
        }
        _ => None,
    }
}

/// Keys of the top-level object, or of the first element of a top-level array.
pub(crate) fn first_record_keys(head: &[u8]) -> Option<Vec<String>> {
    match json_shape(head)? {
        JsonShape::Object(k) => Some(k),
        JsonShape::Array(Some(k)) => Some(k),
        _ => None,
    }
}

/// True when `keys` contains `k`.
pub(crate) fn has(keys: &[String], k: &str) -> bool {
    keys.iter().any(|x| x == k)
}

/// A short human description of what an unrecognised head looks like.
pub(crate) fn describe(head: &[u8]) -> String {
    let t = trim_start(head);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return "UTF-16 encoded text (convert to UTF-8)".into();
    }
    if t.starts_with(b"%PDF") {
        return "looks like a PDF document".into();
    }
    if t.starts_with(b"PK\x03\x04") {
        return "looks like a ZIP archive (extract it first)".into();
    }
    if let Some(root) = xml_root(head) {
        let name = String::from_utf8_lossy(root.name).into_owned();
        let lname = name.to_ascii_lowercase();
        if contains(root.tag, b"http://csrc.nist.gov/ns/oscal") {
            return format!("looks like an OSCAL {name} (XML)");
        }
        if lname == "html" {
            return "looks like an HTML page".into();
        }
        return format!("XML with root element <{name}>");
    }
    if let Some(shape) = json_shape(head) {
        if let JsonShape::Object(keys) = &shape {
            for oscal in [
                "catalog",
                "profile",
                "system-security-plan",
                "component-definition",
                "assessment-plan",
                "assessment-results",
                "plan-of-action-and-milestones",
            ] {
                if has(keys, oscal) {
                    return format!("looks like an OSCAL {} (JSON)", oscal.replace('-', " "));
                }
            }
            let shown: Vec<&str> = keys.iter().take(6).map(String::as_str).collect();
            return format!("JSON object with keys {}", shown.join(", "));
        }
        return match shape {
            JsonShape::EmptyArray => {
                "empty JSON array (no records, so the format cannot be told)".into()
            }
            _ => "JSON array of unrecognised records".into(),
        };
    }
    match std::str::from_utf8(head) {
        Ok(_) => "plain text".into(),
        Err(e) if e.error_len().is_none() => "plain text".into(),
        Err(e) => format!(
            "binary data (invalid UTF-8 at byte offset {})",
            e.valid_up_to()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_root_after_prologue() {
        let head = b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!DOCTYPE issues [\n<!ELEMENT issues (issue*)>\n<!ATTLIST issues a CDATA \">\">\n]>\n<!-- c -->\n<issues burpVersion=\"1\">\n<issue>";
        let root = xml_root(head).unwrap();
        assert_eq!(root.name, b"issues");
        assert_eq!(root.tag, b"issues burpVersion=\"1\"");
        assert!(root.rest.starts_with(b"\n<issue>"));
    }

    #[test]
    fn json_keys_top_level_only() {
        let head = br#"{"a": {"b": 1, "c": [ {"d": "x,\"y"} ]}, "e": [1, 2], "f""#;
        assert_eq!(
            json_shape(head),
            Some(JsonShape::Object(vec!["a".into(), "e".into(), "f".into()]))
        );
        assert_eq!(json_shape(b" [ ] "), Some(JsonShape::EmptyArray));
        assert_eq!(
            json_shape(br#"[{"Target": "x", "V": [{"z": 1}]}]"#),
            Some(JsonShape::Array(Some(vec!["Target".into(), "V".into()])))
        );
        assert_eq!(json_shape(b"hello"), None);
    }

    #[test]
    fn describes_other_content() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"catalog": {"uuid": "x"}}"#, "OSCAL catalog"),
            (b"just some words\n", "plain text"),
            (b"\xFF\xFEa\x00", "UTF-16"),
            (b"<html><body>", "HTML"),
            (
                b"\x00\x01\xC3\x28 garbage",
                "invalid UTF-8 at byte offset 2",
            ),
        ];
        for (head, want) in cases {
            let got = describe(head);
            assert!(got.contains(want), "{got:?} should contain {want:?}");
        }
    }
}
