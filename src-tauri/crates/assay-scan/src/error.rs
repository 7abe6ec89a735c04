//! Error types: one variant per way an input can be refused, each rendering as one line
//! that names the place (line/column or byte offset for XML, line or JSON path for JSON).
//!
//! Invariant: no variant carries the file name; the caller prefixes it.

use thiserror::Error;

/// Error returned by a [`crate::ScanSink`] callback; aborts the parse.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct SinkError {
    /// What went wrong in the consumer.
    pub message: String,
}

impl SinkError {
    /// Wraps a message.
    pub fn new(message: impl Into<String>) -> SinkError {
        SinkError {
            message: message.into(),
        }
    }
}

/// Why a parse failed.
#[derive(Debug, Error)]
pub enum ScanError {
    /// Zero bytes (or only whitespace/BOM).
    #[error("empty file")]
    Empty,
    /// Content is not one of the supported formats.
    #[error("not a recognised scanner format: {0}")]
    NotRecognised(String),
    /// A known but unsupported variant (Nessus v1, UTF-16…).
    #[error("unsupported input: {0}")]
    Unsupported(String),
    /// The XML ended while elements were still open.
    #[error("unexpected end of file inside <{element}> at line {line} (byte {offset}); open elements: {path}")]
    Truncated {
        /// Innermost open element.
        element: String,
        /// Open element path, outermost first.
        path: String,
        /// 1-based line of the end of input.
        line: u64,
        /// Byte offset of the end of input.
        offset: u64,
    },
    /// A DOCTYPE declares entities; refused before anything is expanded.
    #[error("DOCTYPE declares an entity (<!ENTITY …>) at line {line}; refused to protect against XXE and entity expansion")]
    EntityDeclaration {
        /// 1-based line of the DOCTYPE's end.
        line: u64,
    },
    /// Malformed XML.
    #[error("XML error at line {line}, column {column} (byte {offset}): {message}")]
    Xml {
        /// 1-based line.
        line: u64,
        /// 1-based column (bytes).
        column: u64,
        /// Byte offset.
        offset: u64,
        /// The problem.
        message: String,
    },
    /// Malformed or unexpected JSON.
    #[error("JSON error at {path} (line {line}, column {column}): {message}")]
    Json {
        /// JSON path of the record being read (`$.Results[2].Vulnerabilities[7]`).
        path: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// The problem.
        message: String,
    },
    /// Bytes that are not UTF-8 where text is required.
    #[error("invalid UTF-8 at byte offset {offset}{context}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: u64,
        /// Extra place information (`" (line 3)"`), may be empty.
        context: String,
    },
    /// A record the format requires is structurally wrong.
    #[error("{place}: {message}")]
    Malformed {
        /// Where (line N, JSON path…).
        place: String,
        /// The problem.
        message: String,
    },
    /// A rule of strict JSON reading was broken: a duplicate key, or a string, number, key
    /// or nesting over its cap ([`crate::Limits`]); reading stopped there.
    #[error("JSON refused at {0}")]
    JsonRefused(assay_json::Violation),
    /// One record (a JSON Lines line, an element of a list of records) is larger than
    /// [`crate::Limits::max_record`]; reading stopped at the cap.
    #[error("the record at {path} (starting on line {line}) is larger than the {cap}-byte limit")]
    RecordTooLarge {
        /// JSON path of the record, or `line N` for JSON Lines.
        path: String,
        /// 1-based line where the record starts.
        line: u64,
        /// The cap.
        cap: u64,
    },
    /// One piece of an XML file (a text node, a CDATA section, a tag with its attributes, a
    /// comment) is longer than the string cap ([`crate::Limits`]); reading stopped at the cap.
    #[error("the text in {path} (starting on line {line}) is longer than the {cap}-byte limit")]
    TextTooLarge {
        /// The open elements, e.g. `/NessusClientData_v2/Report/ReportHost`.
        path: String,
        /// 1-based line where the text starts.
        line: u64,
        /// The cap.
        cap: u64,
    },
    /// Reading the input failed.
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
    /// The sink refused a record.
    #[error("sink rejected a record: {0}")]
    Sink(#[from] SinkError),
    /// The cancel flag was raised.
    #[error("cancelled")]
    Cancelled,
}

pub(crate) use assay_json::one_line;
