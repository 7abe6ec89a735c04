//! OSCAL XML to a JSON-shaped tree, and a serde `Deserializer` over that tree.
//!
//! OSCAL defines one model with equivalent JSON and XML forms. Rather than writing every reader twice, the
//! XML event stream (quick-xml, no DOM crate) is folded into a compact tree that has the *JSON* shape:
//! attributes and child elements become object keys, repeated elements are grouped under their JSON
//! group-as name (`prop` -> `props`, `inventory-item` -> `inventory-items`), markup becomes plain text
//! (`markup::PlainWriter`), and text content next to attributes is stored under `$text`. The same raw serde
//! structs (`raw`) then deserialize from either serde_json or this tree. A `Sink` may take chosen elements
//! (the large lists of an SSP) as soon as they close, so their subtrees never accumulate.
//!
//! Invariants: DTDs are never read: any DOCTYPE is refused before anything else happens, so entity
//! expansion (billion laughs) and external entities (XXE) cannot occur; only the five predefined entities
//! and character references are decoded. Nesting is limited to `MAX_DEPTH`. Every object node remembers
//! the byte offset of its start tag so structural errors can name a line and column.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{last_line, line_col, OscalError, Place};
use crate::markup::{insert_token, PlainWriter};
use crate::{Progress, ReadOptions};

/// The OSCAL XML namespace.
pub const OSCAL_NS: &str = "http://csrc.nist.gov/ns/oscal/1.0";

/// Deepest element nesting accepted (OSCAL documents stay far below this).
const MAX_DEPTH: usize = 200;

/// Object key: interned for known OSCAL names, owned otherwise.
pub(crate) type Key = Cow<'static, str>;

/// A JSON-shaped value built from XML.
#[derive(Debug)]
pub(crate) enum Node {
    Str(String),
    Obj(Obj),
    Arr(Vec<Node>),
}

/// An object node with the byte offset of its start tag.
#[derive(Debug)]
pub(crate) struct Obj {
    pos: usize,
    entries: Vec<(Key, Node)>,
}

/// Elements whose text content is stored as `prose` (JSON) rather than `$text`.
fn holds_prose(name: &str) -> bool {
    matches!(name, "part" | "guideline")
}

/// Markup (HTML subset) element names. These never occur as OSCAL model elements next to markup.
fn is_markup(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "blockquote"
            | "hr"
            | "br"
            | "em"
            | "strong"
            | "b"
            | "i"
            | "a"
            | "q"
            | "code"
            | "insert"
            | "sub"
            | "sup"
            | "img"
            | "span"
    )
}

/// JSON group-as name of an XML element that is always a list in JSON.
fn group_as(name: &str) -> Option<&'static str> {
    Some(match name {
        "prop" => "props",
        "link" => "links",
        "part" => "parts",
        "param" => "params",
        "control" => "controls",
        "group" => "groups",
        "role" => "roles",
        "party" => "parties",
        "location" => "locations",
        "responsible-party" => "responsible-parties",
        "responsible-role" => "responsible-roles",
        "email-address" => "email-addresses",
        "telephone-number" => "telephone-numbers",
        "address" => "addresses",
        "addr-line" => "addr-lines",
        "member-of-organization" => "member-of-organizations",
        "location-uuid" => "location-uuids",
        "party-uuid" => "party-uuids",
        "role-id" => "role-ids",
        "external-id" => "external-ids",
        "revision" => "revisions",
        "document-id" => "document-ids",
        "action" => "actions",
        "resource" => "resources",
        "rlink" => "rlinks",
        "hash" => "hashes",
        "user" => "users",
        "component" => "components",
        "inventory-item" => "inventory-items",
        "implemented-component" => "implemented-components",
        "implemented-requirement" => "implemented-requirements",
        "statement" => "statements",
        "by-component" => "by-components",
        "set-parameter" => "set-parameters",
        "value" => "values",
        "authorized-privilege" => "authorized-privileges",
        "function-performed" => "functions-performed",
        "protocol" => "protocols",
        "port-range" => "port-ranges",
        "system-id" => "system-ids",
        "information-type" => "information-types",
        "categorization" => "categorizations",
        "information-type-id" => "information-type-ids",
        "leveraged-authorization" => "leveraged-authorizations",
        "diagram" => "diagrams",
        "constraint" => "constraints",
        "guideline" => "guidelines",
        "choice" => "choice",
        "test" => "tests",
        "provided" => "provided",
        "responsibility" => "responsibilities",
        "inherited" => "inherited",
        "satisfied" => "satisfied",
        "keyword" => "keywords",
        "citation" => "citation",
        _ => return None,
    })
}

/// Element and attribute names of OSCAL documents: keys and element names of the tree that need no
/// allocation.
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    "abstract", "action", "activity", "activity-uuid", "actor", "actor-uuid", "addr-line", "address",
    "adjustment-justification", "algorithm", "allow-other", "allowed-values", "any", "as-type",
    "assembly", "assessment-assets", "assessment-plan", "assessment-platform", "assessment-results",
    "assessment-subject", "associated-activity", "associated-risk", "attestation",
    "authorization-boundary", "authorized-privilege", "availability-impact", "back-matter", "base",
    "base64", "binding", "by-component", "caption", "catalog", "categorization", "characterization",
    "choice", "citation", "city", "class", "collected", "component", "component-uuid",
    "confidentiality-impact", "constraint", "control", "control-id", "control-implementation",
    "control-objective-selection", "control-selection", "country", "data-flow", "data-type",
    "datatype", "date-authorized", "deadline", "default", "define-assembly", "define-field",
    "define-flag", "deprecated", "description", "diagram", "document-id", "email-address", "encoding",
    "end", "entry", "enum", "example", "exclude-control", "exclude-subject", "expect", "expires",
    "export", "extension", "extension-name", "external-id", "facet", "field", "filename", "finding",
    "flag", "formal-name", "function-performed", "group", "group-as", "guideline", "has-cardinality",
    "hash", "how-many", "href", "id", "id-ref", "identifier", "identifier-type",
    "implementation-statement-uuid", "implementation-status", "implementation-uuid",
    "implemented-component", "implemented-requirement", "import", "import-ap", "import-profile",
    "import-ssp", "in-json", "in-xml", "include-all", "include-control", "include-objective",
    "include-subject", "index", "index-has-key", "information-type", "information-type-id",
    "inherited", "integrity-impact", "inventory-item", "is-unique", "json-base-uri", "json-value-key",
    "key-field", "keyword", "label", "last-modified", "level", "leveraged-authorization", "lifecycle",
    "link", "local-definitions", "location", "location-uuid", "matches", "max-occurs", "media-type",
    "member-of-organization", "message", "metadata", "method", "min-occurs", "mitigating-factor",
    "model", "name", "namespace", "network-architecture", "ns", "number", "objective-id",
    "objectives-and-methods", "observation", "observation-uuid", "origin", "oscal-version", "param",
    "param-id", "part", "party", "party-uuid", "pattern", "plan-of-action-and-milestones", "poam-item",
    "port-range", "postal-code", "prop", "prose", "protocol", "provided", "provided-uuid", "published",
    "purpose", "ref", "regex", "rel", "related-observation", "related-task", "relevant-evidence",
    "remarks", "required", "resource", "response", "responsibility", "responsibility-uuid",
    "responsible-party", "responsible-role", "result", "reviewed-controls", "revision", "revisions",
    "risk", "risk-log", "risk-uuid", "rlink", "role", "role-id", "root-name", "satisfied",
    "schema-name", "schema-version", "schematypens", "scheme", "scope", "security-impact-level",
    "security-objective-availability", "security-objective-confidentiality",
    "security-objective-integrity", "security-sensitivity-level", "select", "selected",
    "set-parameter", "short-label", "short-name", "sort-id", "start", "state", "statement",
    "statement-id", "status", "status-change", "step", "subject", "subject-uuid", "system",
    "system-characteristics", "system-id", "system-implementation", "system-information",
    "system-name", "system-name-short", "system-security-plan", "target", "target-id", "task",
    "task-uuid", "telephone-number", "test", "text", "timing", "title", "transport", "type", "usage",
    "use-name", "user", "uses-component", "uuid", "value", "version", "within-date-range",
];

/// Slots of the `KNOWN` lookup table (a power of two, about four per name so probes stay short).
const SLOTS: usize = 1024;

/// FNV-1a: cheap for the short names here (a sorted-array search costs several string compares per name,
/// and interning runs for every element and attribute).
fn name_hash(name: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

/// Open-addressing table of `KNOWN`, built on first use.
fn known_table() -> &'static [Option<&'static str>] {
    static TABLE: OnceLock<Vec<Option<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![None; SLOTS];
        for &name in KNOWN {
            let mut i = name_hash(name) % SLOTS;
            while table[i].is_some() {
                i = (i + 1) % SLOTS;
            }
            table[i] = Some(name);
        }
        table
    })
}

/// Interns a known name; others are owned.
fn intern(name: &str) -> Key {
    let table = known_table();
    let mut i = name_hash(name) % SLOTS;
    while let Some(known) = table[i] {
        if known == name {
            return Cow::Borrowed(known);
        }
        i = (i + 1) % SLOTS;
    }
    Cow::Owned(name.to_string())
}

/// One open element while folding the event stream.
struct Frame {
    name: Key,
    pos: usize,
    attrs: Vec<(Key, Node)>,
    children: Vec<(Key, Node)>,
    markup: Option<Markup>,
}

/// Rendering state for markup inside one model element.
#[derive(Default)]
struct Markup {
    w: PlainWriter,
    /// Open markup elements (name, list item counter for ol).
    stack: Vec<(String, usize)>,
    has_block: bool,
}

impl Markup {
    fn start(
        &mut self,
        name: &str,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), quick_xml::Error> {
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote" | "tr" | "hr"
            | "br" | "ul" | "ol" | "table" => {
                self.has_block = true;
                self.w.start_block();
            }
            "li" => {
                self.has_block = true;
                let marker = match self
                    .stack
                    .iter_mut()
                    .rev()
                    .find(|(n, _)| n == "ul" || n == "ol")
                {
                    Some((n, counter)) if n == "ol" => {
                        *counter += 1;
                        format!("{counter}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.w.start_line(&marker);
            }
            "td" | "th" => self.w.cell(),
            "q" => self.w.text("\""),
            "insert" => {
                let mut kind = String::new();
                let mut id = String::new();
                for attr in e.attributes() {
                    let attr = attr?;
                    match attr.key.local_name().as_ref() {
                        b"type" => kind = attr.unescape_value()?.into_owned(),
                        b"id-ref" => id = attr.unescape_value()?.into_owned(),
                        _ => {}
                    }
                }
                self.w.token(&insert_token(&kind, &id));
            }
            _ => {}
        }
        if !empty {
            self.stack.push((name.to_string(), 0));
        } else {
            self.end(name);
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote" | "tr" | "li"
            | "ul" | "ol" | "table" => self.w.break_line(),
            "q" => self.w.text("\""),
            _ => {}
        }
    }
}

impl Frame {
    fn new(name: Key, pos: usize) -> Frame {
        Frame {
            name,
            pos,
            attrs: Vec::new(),
            children: Vec::new(),
            markup: None,
        }
    }

    fn in_markup(&self) -> bool {
        self.markup.as_ref().is_some_and(|m| !m.stack.is_empty())
    }

    /// Turns the finished element into a node.
    fn into_node(self, name: &str) -> Node {
        let Frame {
            name: _,
            pos,
            attrs,
            children,
            markup,
        } = self;
        let text = markup.map(|m| (m.w.finish(), m.has_block));
        let prose = holds_prose(name);
        if attrs.is_empty() && children.is_empty() && !prose {
            return Node::Str(text.map(|(t, _)| t).unwrap_or_default());
        }
        let mut entries: Vec<(Key, Node)> = attrs;
        for (key, node) in children {
            let list_key = group_as(&key);
            let target = list_key.map_or(key.clone(), Cow::Borrowed);
            match entries.iter_mut().find(|(k, _)| *k == target) {
                Some((_, Node::Arr(items))) => items.push(node),
                Some((_, existing)) => {
                    let first = std::mem::replace(existing, Node::Arr(Vec::new()));
                    if let Node::Arr(items) = existing {
                        items.push(first);
                        items.push(node);
                    }
                }
                None if list_key.is_some() => entries.push((target, Node::Arr(vec![node]))),
                None => entries.push((target, node)),
            }
        }
        if let Some((text, _)) = text {
            if !text.is_empty() || prose {
                let key = if prose { "prose" } else { "$text" };
                entries.push((Cow::Borrowed(key), Node::Str(text)));
            }
        }
        Node::Obj(Obj { pos, entries })
    }
}

/// Local part of a possibly prefixed name.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Takes over chosen elements as soon as they are complete, so they never sit in the tree: the large
/// lists of a document are converted one element at a time and each element's tree is dropped at once.
pub(crate) trait Sink {
    /// Whether the element `name` directly inside `parent` goes to `take` instead of the tree.
    fn wants(&self, parent: &str, name: &str) -> bool;

    /// Receives one complete element.
    fn take(&mut self, name: &str, node: Node) -> Result<(), NodeError>;
}

/// Reads an OSCAL XML document into `(root element name, tree)`; elements the sink wants are handed to it
/// when they close and are left out of the tree.
///
/// `text` is the whole (UTF-8 checked) document; `file` names it in errors.
pub(crate) fn read_tree(
    file: &str,
    text: &str,
    opts: &ReadOptions<'_>,
    sink: &mut dyn Sink,
) -> Result<(String, Node), OscalError> {
    let bytes = text.as_bytes();
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut progress = Progress::new(file, bytes.len() as u64, opts);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(String, Node)> = None;

    let malformed = |pos: u64, message: String| OscalError::MalformedXml {
        file: file.to_string(),
        place: place_at(bytes, pos as usize),
        message: crate::error::one_line(&message),
    };
    let truncated = |message: String| OscalError::Truncated {
        file: file.to_string(),
        line: last_line(bytes),
        message: crate::error::one_line(&message),
    };
    // One text node or attribute value at most this long (a 200 MB string is refused, not copied).
    let max_string = usize::try_from(opts.limits.max_string).unwrap_or(usize::MAX);
    let too_long = |pos: u64, what: &str| {
        malformed(
            pos,
            format!("{what} longer than the {max_string}-byte limit"),
        )
    };

    loop {
        let start_pos = reader.buffer_position();
        progress.tick(start_pos)?;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                use quick_xml::errors::{Error as XE, IllFormedError, SyntaxError};
                return Err(match &err {
                    XE::Syntax(
                        SyntaxError::UnclosedTag
                        | SyntaxError::UnclosedCData
                        | SyntaxError::UnclosedComment
                        | SyntaxError::UnclosedPIOrXmlDecl
                        | SyntaxError::UnclosedDoctype,
                    ) => truncated(err.to_string()),
                    XE::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                        malformed(
                            reader.error_position(),
                            format!("expected </{expected}>, found </{found}>"),
                        )
                    }
                    _ => malformed(reader.error_position(), err.to_string()),
                });
            }
        };
        let xml_err = |e: quick_xml::Error| malformed(start_pos, e.to_string());
        match event {
            Event::DocType(dt) => {
                let body = String::from_utf8_lossy(&dt);
                let message = if body.contains("<!ENTITY") {
                    "DOCTYPE with ENTITY declarations refused: DTDs and entities are never resolved"
                } else {
                    "DOCTYPE refused: DTDs are never read in OSCAL documents"
                };
                return Err(OscalError::Doctype {
                    file: file.to_string(),
                    place: place_at(bytes, start_pos as usize),
                    message: message.to_string(),
                });
            }
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (e, empty) = match ev {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    _ => continue,
                };
                let local_name = e.local_name();
                // The text is valid UTF-8 (checked before parsing), so this borrows.
                let name = String::from_utf8_lossy(local_name.as_ref());
                if root.is_some() {
                    return Err(malformed(
                        start_pos,
                        format!("content after the root element: <{name}>"),
                    ));
                }
                if let Some(top) = stack.last_mut() {
                    if top.in_markup() || is_markup(&name) {
                        let markup = top.markup.get_or_insert_with(Markup::default);
                        markup.start(&name, &e, empty).map_err(xml_err)?;
                        continue;
                    }
                } else {
                    check_root_namespace(file, &e, &name)?;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(malformed(
                        start_pos,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let mut frame = Frame::new(intern(&name), start_pos as usize);
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| xml_err(e.into()))?;
                    let key = attr.key.as_ref();
                    if key == b"xmlns" || key.starts_with(b"xmlns:") || key.starts_with(b"xml:") {
                        continue;
                    }
                    if attr.value.len() > max_string {
                        return Err(too_long(start_pos, "an attribute value"));
                    }
                    let value = attr.unescape_value().map_err(xml_err)?;
                    let key = intern(&String::from_utf8_lossy(local(key)));
                    frame.attrs.push((key, Node::Str(value.into_owned())));
                }
                if empty {
                    close(&mut stack, frame, &mut root, sink)
                        .map_err(|e| e.into_oscal(file, bytes))?;
                } else {
                    stack.push(frame);
                }
            }
            Event::End(e) => {
                let qname = e.name();
                let name = local(qname.as_ref());
                let Some(top) = stack.last_mut() else {
                    return Err(malformed(
                        start_pos,
                        "end tag without start tag".to_string(),
                    ));
                };
                if top.in_markup() {
                    if let Some(markup) = top.markup.as_mut() {
                        if let Some((open, _)) = markup.stack.pop() {
                            markup.end(&open);
                        }
                    }
                    continue;
                }
                if top.name.as_bytes() != name {
                    return Err(malformed(
                        start_pos,
                        format!(
                            "expected </{}>, found </{}>",
                            top.name,
                            String::from_utf8_lossy(name)
                        ),
                    ));
                }
                if let Some(frame) = stack.pop() {
                    close(&mut stack, frame, &mut root, sink)
                        .map_err(|e| e.into_oscal(file, bytes))?;
                }
            }
            Event::Text(t) => {
                let Some(top) = stack.last_mut() else {
                    if t.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Err(malformed(
                        start_pos,
                        "text outside the root element".to_string(),
                    ));
                };
                if t.len() > max_string {
                    return Err(too_long(start_pos, "a text node"));
                }
                let raw_ws = t.iter().all(u8::is_ascii_whitespace);
                if raw_ws && top.markup.is_none() {
                    continue;
                }
                let s = t.unescape().map_err(xml_err)?;
                let markup = top.markup.get_or_insert_with(Markup::default);
                if markup.stack.iter().any(|(n, _)| n == "pre") {
                    markup.w.text_pre(&s);
                } else {
                    markup.w.text(&s);
                }
            }
            Event::CData(c) => {
                if c.len() > max_string {
                    return Err(too_long(start_pos, "a CDATA section"));
                }
                if let Some(top) = stack.last_mut() {
                    let s = String::from_utf8_lossy(&c).into_owned();
                    top.markup.get_or_insert_with(Markup::default).w.text(&s);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(truncated(format!("element <{}> is not closed", open.name)));
    }
    progress.finish()?;
    root.ok_or_else(|| OscalError::NotOscal {
        file: file.to_string(),
        message: "no root element".to_string(),
    })
}

/// Adds a finished element to its parent (or makes it the root), unless the sink takes it.
fn close(
    stack: &mut [Frame],
    mut frame: Frame,
    root: &mut Option<(String, Node)>,
    sink: &mut dyn Sink,
) -> Result<(), NodeError> {
    let name = std::mem::take(&mut frame.name);
    let wanted = stack.last().is_some_and(|p| sink.wants(&p.name, &name));
    let pos = frame.pos;
    let node = frame.into_node(&name);
    if wanted {
        return sink.take(&name, node).map_err(|mut e| {
            // Name the element's place as the whole-document deserialization would (innermost first).
            e.path.push(group_as(&name).unwrap_or(&name).to_string());
            e.path
                .extend(stack.iter().rev().map(|f| f.name.to_string()));
            e.pos.get_or_insert(pos);
            e
        });
    }
    match stack.last_mut() {
        Some(parent) => parent.children.push((name, node)),
        None => *root = Some((name.into_owned(), node)),
    }
    Ok(())
}

fn check_root_namespace(file: &str, e: &BytesStart<'_>, name: &str) -> Result<(), OscalError> {
    let prefix = e.name().prefix().map(|p| p.as_ref().to_vec());
    let wanted: Vec<u8> = match &prefix {
        Some(p) => [b"xmlns:".as_slice(), p].concat(),
        None => b"xmlns".to_vec(),
    };
    for attr in e.attributes().flatten() {
        if attr.key.as_ref() == wanted.as_slice() {
            if attr.value.as_ref() == OSCAL_NS.as_bytes() {
                return Ok(());
            }
            return Err(OscalError::NotOscal {
                file: file.to_string(),
                message: format!(
                    "root element <{name}> is in namespace {:?}, not {OSCAL_NS}",
                    String::from_utf8_lossy(&attr.value)
                ),
            });
        }
    }
    Err(OscalError::NotOscal {
        file: file.to_string(),
        message: format!("root element <{name}> is not in the OSCAL namespace {OSCAL_NS}"),
    })
}

fn place_at(bytes: &[u8], pos: usize) -> Place {
    let (line, col) = line_col(bytes, pos);
    Place::LineCol(line, col)
}

/// Error while mapping the tree onto raw structs.
#[derive(Debug)]
pub(crate) struct NodeError {
    pub(crate) message: String,
    pub(crate) pos: Option<usize>,
    /// Keys from the innermost outwards.
    pub(crate) path: Vec<String>,
}

impl NodeError {
    /// Converts to a reader error naming line/column and the element path.
    pub(crate) fn into_oscal(self, file: &str, bytes: &[u8]) -> OscalError {
        let path: Vec<String> = self.path.into_iter().rev().collect();
        OscalError::Invalid {
            file: file.to_string(),
            place: self.pos.map_or(Place::File, |p| place_at(bytes, p)),
            message: crate::error::one_line(&format!("in {}: {}", path.join("/"), self.message)),
        }
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NodeError {}

impl de::Error for NodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NodeError {
            message: msg.to_string(),
            pos: None,
            path: Vec::new(),
        }
    }
}

struct ObjAccess {
    pos: usize,
    iter: std::vec::IntoIter<(Key, Node)>,
    value: Option<(Key, Node)>,
}

impl<'de> MapAccess<'de> for ObjAccess {
    type Error = NodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        match self.iter.next() {
            Some((key, node)) => {
                let k = seed.deserialize(key.clone().into_deserializer())?;
                self.value = Some((key, node));
                Ok(Some(k))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        let Some((key, node)) = self.value.take() else {
            return Err(de::Error::custom("value requested before key"));
        };
        let pos = self.pos;
        seed.deserialize(node).map_err(|mut e| {
            e.path.push(key.into_owned());
            e.pos.get_or_insert(pos);
            e
        })
    }
}

struct ArrAccess {
    iter: std::vec::IntoIter<Node>,
}

impl<'de> SeqAccess<'de> for ArrAccess {
    type Error = NodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        match self.iter.next() {
            Some(node) => seed.deserialize(node).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

fn visit_obj<'de, V: Visitor<'de>>(obj: Obj, visitor: V) -> Result<V::Value, NodeError> {
    let pos = obj.pos;
    visitor
        .visit_map(ObjAccess {
            pos,
            iter: obj.entries.into_iter(),
            value: None,
        })
        .map_err(|mut e| {
            e.pos.get_or_insert(pos);
            e
        })
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self {
            Node::Str(s) => visitor.visit_string(s),
            Node::Arr(items) => visitor.visit_seq(ArrAccess {
                iter: items.into_iter(),
            }),
            Node::Obj(obj) => visit_obj(obj, visitor),
        }
    }

    /// A single element where a list is expected is a list of one (XML has no list syntax).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self {
            Node::Arr(items) => visitor.visit_seq(ArrAccess {
                iter: items.into_iter(),
            }),
            other => visitor.visit_seq(ArrAccess {
                iter: vec![other].into_iter(),
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_newtype_struct(self)
    }

    /// Text where an object is expected becomes `{"$text": ...}`; an empty element an empty object.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self {
            Node::Obj(obj) => visit_obj(obj, visitor),
            Node::Str(s) if s.is_empty() => visit_obj(
                Obj {
                    pos: 0,
                    entries: Vec::new(),
                },
                visitor,
            ),
            Node::Str(s) => visit_obj(
                Obj {
                    pos: 0,
                    entries: vec![(Cow::Borrowed("$text"), Node::Str(s))],
                },
                visitor,
            ),
            Node::Arr(mut items) if items.len() == 1 => match items.pop() {
                Some(item) => item.deserialize_map(visitor),
                None => Err(de::Error::custom("empty list")),
            },
            Node::Arr(_) => Err(de::Error::custom("expected one element, found several")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct enum identifier ignored_any
    }
}

/// Wraps the root node as `{root_name: node}` so it matches the JSON document shape.
pub(crate) fn document(root_name: String, node: Node) -> Node {
    Node::Obj(Obj {
        pos: 0,
        entries: vec![(Cow::Owned(root_name), node)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn tree(xml: &str) -> Result<(String, Node), OscalError> {
        read_tree("t.xml", xml, &ReadOptions::default(), &mut KeepAll)
    }

    #[derive(Deserialize, Debug, Default, PartialEq)]
    #[serde(default)]
    struct Part {
        id: String,
        name: String,
        title: String,
        prose: String,
        props: Vec<Prop>,
        parts: Vec<Part>,
    }

    #[derive(Deserialize, Debug, Default, PartialEq)]
    #[serde(default)]
    struct Prop {
        name: String,
        value: String,
    }

    const NS: &str = r#"xmlns="http://csrc.nist.gov/ns/oscal/1.0""#;

    /// Keeps every element in the tree.
    struct KeepAll;

    impl Sink for KeepAll {
        fn wants(&self, _parent: &str, _name: &str) -> bool {
            false
        }

        fn take(&mut self, _name: &str, _node: Node) -> Result<(), NodeError> {
            Ok(())
        }
    }

    #[test]
    fn every_known_name_is_interned() {
        assert!(KNOWN.len() * 3 < SLOTS, "table too full for short probes");
        for name in KNOWN {
            assert!(
                matches!(intern(name), Cow::Borrowed(k) if k == *name),
                "{name}"
            );
        }
        for other in ["x-custom", "", "uuidx", "prop "] {
            assert!(
                matches!(intern(other), Cow::Owned(k) if k == other),
                "{other}"
            );
        }
    }

    #[test]
    fn folds_xml_into_json_shape() {
        let xml = format!(
            r#"<part {NS} id="a" name="item"><prop name="label" value="a."/>
            <title>T <em>x</em></title>
            <p>Require <insert type="param" id-ref="p1"/> for <q>all</q>.</p>
            <ul><li><p>one</p></li><li>two <ol><li>x</li><li>y</li></ol></li></ul><pre>  a  b
c</pre>
            <part name="guidance"><p>g</p></part></part>"#
        );
        let (root, node) = tree(&xml).unwrap();
        assert_eq!(root, "part");
        let part = Part::deserialize(node).unwrap();
        assert_eq!(part.id, "a");
        assert_eq!(part.title, "T x");
        assert_eq!(
            part.prose,
            "Require {{ insert: param, p1 }} for \"all\".\n- one\n- two\n1. x\n2. y\na b\nc"
        );
        assert_eq!(
            part.props,
            vec![Prop {
                name: "label".into(),
                value: "a.".into()
            }]
        );
        assert_eq!(part.parts.len(), 1);
        assert_eq!(part.parts[0].prose, "g");
    }

    #[test]
    fn refuses_hostile_and_broken_input() {
        let cases: &[(&str, &str)] = &[
            (
                r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">&lol2;</catalog>"#,
                "t.xml:1:22: DOCTYPE with ENTITY declarations refused",
            ),
            (
                r#"<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><catalog>&xxe;</catalog>"#,
                "t.xml:1:1: DOCTYPE with ENTITY",
            ),
            (r#"<catalog xmlns="urn:other"/>"#, "not an OSCAL document"),
            (
                "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n  <a></b></catalog>",
                "t.xml:2:6: malformed XML: expected </a>, found </b>",
            ),
            (
                "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n<metadata>",
                "unexpected end of file at line 2",
            ),
            (
                "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">&bogus;</catalog>",
                "t.xml:1:52: malformed XML",
            ),
        ];
        for (xml, want) in cases {
            let err = tree(xml).unwrap_err().to_string();
            assert!(
                err.contains(want),
                "for {xml:?}: got {err:?}, want {want:?}"
            );
        }
    }
}
