//! Pure readers for OSCAL catalogs (including resolved-profile catalogs such as the FedRAMP and NIST
//! baselines) and OSCAL System Security Plans, in JSON and XML, OSCAL 1.0.x to 1.2.x.
//!
//! Bytes in, assay-model's OSCAL documents (`assay_model::oscal`, re-exported here) plus diagnostics out:
//! no file or network IO, no SQL, no clock. JSON and XML forms of the same document produce equal models
//! (except `source`): both are deserialized into the same
//! raw JSON-shaped structs (`raw`), XML via a JSON-shaped tree (`xml`), and markup is rendered to one
//! canonical plain text (`markup`). The large lists of an SSP are converted element by element while the
//! document is parsed (`stream`; for XML the elements are taken out of the tree as they close), so the
//! raw form is never held whole, and JSON reports progress and honours cancellation during the parse.
//!
//! Security invariants: input larger than `ReadOptions::max_bytes` is refused before parsing; XML DOCTYPEs
//! are refused outright, so DTDs and entities are never resolved (no XXE, no entity expansion); JSON passes
//! the `assay_json` guard before parsing (no key repeated in one object; string, number, key and nesting
//! caps from `ReadOptions::json`).

mod catalog;
mod check;
mod common;
mod diff;
mod error;
pub mod gen;
mod markup;
mod raw;
mod ssp;
mod stream;
mod xml;

use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::DeserializeSeed;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

// The documents are assay-model's (`assay_model::oscal`): this crate reads them, the store keeps them.
pub use assay_model::oscal::{
    Address, AssessmentMethod, AuthorizedPrivilege, ByComponent, Catalog, Categorization, Cia,
    Component, Control, Described, Diagram, FedrampNote, Format, Group, Hash,
    ImplementedRequirement, InfoImpact, InformationType, Inherited, InventoryItem,
    LeveragedAuthorization, Metadata, Model, Ns, Objective, Param, ParamSelect, Party, PortRange,
    Prop, Protocol, Provided, Resource, Responsibility, Rlink, Role, RoleAssignment, Satisfied,
    SetParameter, Sharing, SourceInfo, Statement, StatementPart, SystemCharacteristics, SystemId,
    SystemImplementation, SystemSecurityPlan, User,
};
pub use catalog::{control_prop_values, substitute_params};
pub use check::{check_ssp, ImpactLevel, IntakeCheck, Subject, SubjectKind};
pub use common::{prop_value, prop_values};
pub use diff::{diff_ssp, Change, ChangeKind, SspDiff};
pub use error::{OscalError, Place};
pub use xml::OSCAL_NS;

/// The OSCAL model named by a document's root key / root element.
fn model_of_root(name: &str) -> Model {
    match name {
        "catalog" => Model::Catalog,
        "profile" => Model::Profile,
        "system-security-plan" => Model::SystemSecurityPlan,
        "assessment-plan" => Model::AssessmentPlan,
        "assessment-results" => Model::AssessmentResults,
        "plan-of-action-and-milestones" => Model::Poam,
        "component-definition" => Model::ComponentDefinition,
        other => Model::Unknown(other.to_string()),
    }
}

/// Identifies the format and model of a document from its content (not its name): a UTF-8 BOM and
/// leading whitespace are skipped; JSON is recognised by its root key, XML by its root element, which must
/// be in the OSCAL namespace. Returns `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<(Format, Model)> {
    let body = strip_bom(bytes).trim_ascii_start();
    match body.first()? {
        b'{' => sniff_json(&body[1..]).map(|root| (Format::Json, model_of_root(&root))),
        b'<' => sniff_xml(body).map(|root| (Format::Xml, model_of_root(&root))),
        _ => None,
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// First root key of a JSON object that does not start with `$` (`$schema` may precede the model key).
fn sniff_json(mut rest: &[u8]) -> Option<String> {
    loop {
        rest = rest.trim_ascii_start();
        let key = json_string(rest.strip_prefix(b"\"")?)?;
        rest = &rest[1 + key.1..];
        if !key.0.starts_with('$') {
            return Some(key.0);
        }
        // Skip `: "value",` of a `$schema`-like key.
        rest = rest
            .trim_ascii_start()
            .strip_prefix(b":")?
            .trim_ascii_start();
        let value = json_string(rest.strip_prefix(b"\"")?)?;
        rest = rest[1 + value.1..].trim_ascii_start().strip_prefix(b",")?;
    }
}

/// Reads a JSON string body (after the opening quote); returns it and the bytes consumed incl. the quote.
fn json_string(s: &[u8]) -> Option<(String, usize)> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'"' => return Some((String::from_utf8_lossy(&s[..i]).into_owned(), i + 1)),
            _ => i += 1,
        }
    }
    None
}

fn sniff_xml(bytes: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    for _ in 0..64 {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let wanted: Vec<u8> = match e.name().prefix() {
                    Some(p) => [b"xmlns:".as_slice(), p.as_ref()].concat(),
                    None => b"xmlns".to_vec(),
                };
                let in_ns = e.attributes().flatten().any(|a| {
                    a.key.as_ref() == wanted.as_slice() && a.value.as_ref() == OSCAL_NS.as_bytes()
                });
                return in_ns
                    .then(|| String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Event::Eof => return None,
            _ => buf.clear(),
        }
    }
    None
}

/// Options for a read.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Called with (bytes done, total bytes) as parsing advances: about once per MiB (JSON reports at the
    /// elements of the large lists, XML at any element), first with 0 and last with the total.
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// When set to true the read stops with `OscalError::Cancelled`.
    pub cancel: Option<&'a AtomicBool>,
    /// Inputs longer than this are refused before parsing.
    pub max_bytes: u64,
    /// Caps held while reading: JSON strings, numbers, keys and nesting (keys repeated in one
    /// object are always refused); `max_string` also caps one XML text node or attribute value.
    pub limits: assay_json::Limits,
}

impl Default for ReadOptions<'_> {
    /// No progress, no cancel flag, 1 GiB limit, [`assay_json::Limits::DEFAULT`].
    fn default() -> Self {
        ReadOptions {
            progress: None,
            cancel: None,
            max_bytes: 1 << 30,
            limits: assay_json::Limits::DEFAULT,
        }
    }
}

impl std::fmt::Debug for ReadOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.map(|c| c.load(Ordering::Relaxed)))
            .field("max_bytes", &self.max_bytes)
            .field("limits", &self.limits)
            .finish()
    }
}

/// Progress reporting and cancellation, throttled to about one call per MiB.
pub(crate) struct Progress<'a> {
    file: &'a str,
    total: u64,
    opts: &'a ReadOptions<'a>,
    next: u64,
}

impl<'a> Progress<'a> {
    const STEP: u64 = 1 << 20;

    pub(crate) fn new(file: &'a str, total: u64, opts: &'a ReadOptions<'a>) -> Progress<'a> {
        Progress {
            file,
            total,
            opts,
            next: 0,
        }
    }

    pub(crate) fn tick(&mut self, done: u64) -> Result<(), OscalError> {
        if done < self.next {
            return Ok(());
        }
        self.next = done + Self::STEP;
        self.check_cancel()?;
        if let Some(report) = self.opts.progress {
            report(done.min(self.total), self.total);
        }
        Ok(())
    }

    pub(crate) fn check_cancel(&self) -> Result<(), OscalError> {
        if self.opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(OscalError::Cancelled {
                file: self.file.to_string(),
            });
        }
        Ok(())
    }

    pub(crate) fn finish(&mut self) -> Result<(), OscalError> {
        self.check_cancel()?;
        if let Some(report) = self.opts.progress {
            report(self.total, self.total);
        }
        Ok(())
    }
}

/// Severity of a diagnostic or intake check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Informational.
    Info,
    /// Suspicious but usable.
    Warning,
    /// Wrong.
    Error,
}

/// A non-fatal problem found while reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Severity.
    pub severity: Severity,
    /// Where (e.g. `inventory-item 1234...`).
    pub location: String,
    /// What.
    pub message: String,
}

/// A read result with its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported<T> {
    /// The model.
    pub value: T,
    /// Non-fatal problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads an OSCAL catalog or resolved-profile catalog.
pub fn read_catalog(
    source_name: &str,
    bytes: &[u8],
    opts: &ReadOptions<'_>,
) -> Result<Imported<Catalog>, OscalError> {
    let (format, text) = prepare(source_name, bytes, opts, &Model::Catalog, "a catalog")?;
    let mut read = catalog::CatalogRead {
        tracker: tracker(source_name, text, opts),
        root: None,
    };
    let (parsed, sha256) = with_sha256(bytes, || {
        parse(
            source_name,
            format,
            text,
            opts,
            &mut read,
            catalog::Level::Document,
        )
    });
    parsed?;
    let root = read
        .root
        .ok_or_else(|| missing(source_name, format, &["catalog"]))?;
    let metadata = root
        .metadata
        .as_ref()
        .ok_or_else(|| missing(source_name, format, &["catalog", "metadata"]))?;
    let version = required_version(source_name, format, "catalog", metadata)?;
    let mut cx = common::Cx::new(format);
    let source = source_info(source_name, sha256, format, version, Model::Catalog);
    let value = catalog::convert(&mut cx, source, root);
    Progress::new(source_name, 0, opts).check_cancel()?;
    Ok(Imported {
        value,
        diagnostics: cx.diagnostics,
    })
}

/// Reads an OSCAL System Security Plan.
///
/// The large lists (users, components, inventory items, implemented requirements, back-matter resources)
/// are converted element by element as they are parsed, so the raw form of the document is never held
/// whole: peak memory stays close to the size of the returned model.
pub fn read_ssp(
    source_name: &str,
    bytes: &[u8],
    opts: &ReadOptions<'_>,
) -> Result<Imported<SystemSecurityPlan>, OscalError> {
    let (format, text) = prepare(
        source_name,
        bytes,
        opts,
        &Model::SystemSecurityPlan,
        "a system security plan",
    )?;
    let root_name = "system-security-plan";
    let cx = common::Cx::new(format);
    let mut read = ssp::SspRead::new(cx, tracker(source_name, text, opts));
    let (parsed, sha256) = with_sha256(bytes, || {
        parse(
            source_name,
            format,
            text,
            opts,
            &mut read,
            ssp::Level::Document,
        )
    });
    parsed?;
    let ssp::SspRead {
        mut cx,
        root,
        lists,
        ..
    } = read;
    let root = root.ok_or_else(|| missing(source_name, format, &[root_name]))?;
    if root.uuid.is_none() {
        return Err(missing(source_name, format, &[root_name, "uuid"]));
    }
    let metadata = root
        .metadata
        .as_ref()
        .ok_or_else(|| missing(source_name, format, &[root_name, "metadata"]))?;
    let version = required_version(source_name, format, root_name, metadata)?;
    let source = source_info(
        source_name,
        sha256,
        format,
        version,
        Model::SystemSecurityPlan,
    );
    let value = ssp::convert(&mut cx, source, root, lists);
    Progress::new(source_name, 0, opts).check_cancel()?;
    Ok(Imported {
        value,
        diagnostics: cx.diagnostics,
    })
}

fn tracker<'a>(file: &'a str, text: &str, opts: &'a ReadOptions<'a>) -> stream::Tracker<'a> {
    stream::Tracker::new(text, Progress::new(file, text.len() as u64, opts))
}

fn source_info(
    name: &str,
    sha256: String,
    format: Format,
    oscal_version: String,
    model: Model,
) -> SourceInfo {
    SourceInfo {
        name: name.to_string(),
        sha256,
        format,
        oscal_version,
        model,
    }
}

/// Runs `read` while the SHA-256 of `bytes` (for `SourceInfo`) is computed on a second thread: on a
/// multi-core machine this takes the hash (about a tenth of a large read) off the critical path.
fn with_sha256<T>(bytes: &[u8], read: impl FnOnce() -> T) -> (T, String) {
    let digest = || hex::encode(Sha256::digest(bytes));
    // Below a MiB a thread costs about what it saves.
    if bytes.len() < 1 << 20 {
        let out = read();
        return (out, digest());
    }
    std::thread::scope(|scope| {
        let hasher = std::thread::Builder::new()
            .name("assay-oscal-sha256".into())
            .spawn_scoped(scope, digest);
        let out = read();
        // If the thread could not start (or died), hash here instead.
        let sha256 = hasher
            .ok()
            .and_then(|h| h.join().ok())
            .unwrap_or_else(digest);
        (out, sha256)
    })
}

/// A path in the notation of the format: `$.a.b` for JSON, `/a/b` for XML.
fn doc_path(format: Format, segments: &[&str]) -> String {
    match format {
        Format::Json => format!("$.{}", segments.join(".")),
        Format::Xml => format!("/{}", segments.join("/")),
    }
}

fn missing(file: &str, format: Format, segments: &[&str]) -> OscalError {
    OscalError::Invalid {
        file: file.to_string(),
        place: Place::Path(doc_path(format, segments)),
        message: "missing required field".to_string(),
    }
}

fn required_version(
    file: &str,
    format: Format,
    root: &str,
    metadata: &raw::Metadata,
) -> Result<String, OscalError> {
    if metadata.title.is_none() {
        return Err(missing(file, format, &[root, "metadata", "title"]));
    }
    let path = [root, "metadata", "oscal-version"];
    let version = metadata
        .oscal_version
        .as_deref()
        .ok_or_else(|| missing(file, format, &path))?
        .trim();
    if !is_supported_version(version) {
        return Err(OscalError::UnsupportedVersion {
            file: file.to_string(),
            place: Place::Path(doc_path(format, &path)),
            version: version.to_string(),
        });
    }
    Ok(version.to_string())
}

/// 1.0.x, 1.1.x and 1.2.x (any patch, optional pre-release suffix).
fn is_supported_version(version: &str) -> bool {
    let mut parts = version.split('.');
    let (Some(major), Some(minor)) = (parts.next(), parts.next()) else {
        return false;
    };
    major == "1" && matches!(minor, "0" | "1" | "2") && parts.next().is_some_and(|p| !p.is_empty())
}

/// Size, emptiness, UTF-8, model and cancellation checks shared by the readers.
fn prepare<'b>(
    file: &str,
    bytes: &'b [u8],
    opts: &ReadOptions<'_>,
    expected: &Model,
    expected_name: &'static str,
) -> Result<(Format, &'b str), OscalError> {
    let size = bytes.len() as u64;
    if size > opts.max_bytes {
        return Err(OscalError::TooLarge {
            file: file.to_string(),
            size,
            max: opts.max_bytes,
        });
    }
    Progress::new(file, size, opts).check_cancel()?;
    let body = strip_bom(bytes);
    if body.trim_ascii().is_empty() {
        return Err(OscalError::Empty {
            file: file.to_string(),
        });
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        let offset = e.valid_up_to();
        let (line, col) = error::line_col(body, offset);
        OscalError::InvalidUtf8 {
            file: file.to_string(),
            place: Place::LineCol(line, col),
            offset,
        }
    })?;
    let Some((format, model)) = sniff(body) else {
        let message = match body.trim_ascii_start().first() {
            Some(b'<') => format!("the XML root element is not in the OSCAL namespace {OSCAL_NS}"),
            Some(b'{') => "no JSON root key found".to_string(),
            _ => "neither JSON nor XML".to_string(),
        };
        return Err(OscalError::NotOscal {
            file: file.to_string(),
            message,
        });
    };
    if &model != expected {
        if let Model::Unknown(name) = &model {
            return Err(OscalError::NotOscal {
                file: file.to_string(),
                message: format!("unknown root {name:?}"),
            });
        }
        return Err(OscalError::WrongModel {
            file: file.to_string(),
            found: model.describe(),
            expected: expected_name,
        });
    }
    Ok((format, text))
}

/// Parses the whole document into `reader`; structural errors name line/column.
///
/// JSON: the strict-JSON check (`assay_json`), then serde_json over the text, progress and cancellation at each large-list element (`stream`). XML:
/// the tree reader hands the elements `reader` wants to it as they close (`xml::Sink`), then the rest of
/// the tree goes through the same `stream::Fields` reading as JSON.
fn parse<R: stream::Fields + xml::Sink>(
    file: &str,
    format: Format,
    text: &str,
    opts: &ReadOptions<'_>,
    reader: &mut R,
    level: R::Level,
) -> Result<(), OscalError> {
    let bytes = text.as_bytes();
    let result = match format {
        Format::Json => {
            reader.tracker().start()?;
            // Duplicate keys and over-long strings are refused before serde_json buffers or
            // copies anything (a pass over bytes already in memory; no allocation per value).
            assay_json::check(bytes, opts.limits).map_err(|v| OscalError::JsonRefused {
                file: file.to_string(),
                place: Place::LineCol(v.line as usize, v.column as usize),
                message: v.problem.to_string(),
            })?;
            let mut de = serde_json::Deserializer::from_str(text);
            let parsed = stream::Object::new(&mut *reader, level)
                .deserialize(&mut de)
                .and_then(|()| de.end());
            match parsed {
                Ok(()) => reader.tracker().finish(),
                Err(_) if reader.tracker().cancelled() => Err(OscalError::Cancelled {
                    file: file.to_string(),
                }),
                Err(e) => Err(json_error(file, bytes, &e)),
            }
        }
        Format::Xml => xml::read_tree(file, text, opts, reader).and_then(|(root_name, node)| {
            stream::Object::new(reader, level)
                .deserialize(xml::document(root_name, node))
                .map_err(|e| e.into_oscal(file, bytes))
        }),
    };
    // A structural error in a document of an unsupported version is reported as the version problem.
    if let Err(OscalError::Invalid { .. }) = &result {
        if let Some((version, place)) = scan_version(format, text) {
            if !is_supported_version(&version) {
                return Err(OscalError::UnsupportedVersion {
                    file: file.to_string(),
                    place,
                    version,
                });
            }
        }
    }
    result
}

fn json_error(file: &str, bytes: &[u8], e: &serde_json::Error) -> OscalError {
    use serde_json::error::Category;
    let place = Place::LineCol(e.line(), e.column());
    let message = error::one_line(&strip_position(&e.to_string()));
    match e.classify() {
        Category::Eof => OscalError::Truncated {
            file: file.to_string(),
            line: error::last_line(bytes),
            message,
        },
        Category::Syntax | Category::Io => OscalError::MalformedJson {
            file: file.to_string(),
            place,
            message,
        },
        Category::Data => OscalError::Invalid {
            file: file.to_string(),
            place,
            message,
        },
    }
}

/// serde_json appends " at line L column C"; the place is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Finds the first declared `oscal-version` cheaply (used only to explain structural failures).
fn scan_version(format: Format, text: &str) -> Option<(String, Place)> {
    let (needle, stop) = match format {
        Format::Json => ("\"oscal-version\"", '"'),
        Format::Xml => ("<oscal-version>", '<'),
    };
    let at = text.find(needle)? + needle.len();
    let mut rest = &text[at..];
    let mut offset = at;
    if format == Format::Json {
        let colon = rest.find('"')? + 1;
        rest = &rest[colon..];
        offset += colon;
    }
    let end = rest.find(stop)?;
    let (line, col) = error::line_col(text.as_bytes(), offset);
    Some((rest[..end].trim().to_string(), Place::LineCol(line, col)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_reads_content_not_names() {
        let ns = OSCAL_NS;
        type Case = (Vec<u8>, Option<(Format, Model)>);
        let cases: Vec<Case> = vec![
            (
                b"  {\"catalog\": {}}".to_vec(),
                Some((Format::Json, Model::Catalog)),
            ),
            (
                b"\xEF\xBB\xBF\n{\"$schema\": \"x\", \"system-security-plan\": {}}".to_vec(),
                Some((Format::Json, Model::SystemSecurityPlan)),
            ),
            (
                b"{\"plan-of-action-and-milestones\":{}}".to_vec(),
                Some((Format::Json, Model::Poam)),
            ),
            (
                b"{\"weird\":{}}".to_vec(),
                Some((Format::Json, Model::Unknown("weird".into()))),
            ),
            (
                format!("<?xml version=\"1.0\"?>\n<!-- c --><profile xmlns=\"{ns}\"/>")
                    .into_bytes(),
                Some((Format::Xml, Model::Profile)),
            ),
            (
                format!("<o:assessment-plan xmlns:o=\"{ns}\"></o:assessment-plan>").into_bytes(),
                Some((Format::Xml, Model::AssessmentPlan)),
            ),
            (b"<catalog xmlns=\"urn:x\"/>".to_vec(), None),
            (b"hello".to_vec(), None),
            (b"".to_vec(), None),
        ];
        for (input, want) in cases {
            assert_eq!(sniff(&input), want, "{:?}", String::from_utf8_lossy(&input));
        }
    }

    #[test]
    fn versions_1_0_to_1_2_are_supported() {
        for (v, ok) in [
            ("1.0.0", true),
            ("1.0.4", true),
            ("1.1.2", true),
            ("1.2.2", true),
            ("1.0.0-rc2", true),
            ("2.0.0", false),
            ("0.9", false),
            ("1.3.0", false),
            ("1.1", false),
            ("", false),
        ] {
            assert_eq!(is_supported_version(v), ok, "{v}");
        }
    }
}
