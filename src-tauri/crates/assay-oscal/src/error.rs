//! Errors returned by the readers.
//!
//! Invariant: every error renders as one line that names the source file, the place in it (line:column
//! for XML and JSON syntax, a JSON path or element path for structural problems) and the problem.

use std::fmt;

/// Where in a source file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The whole file.
    File,
    /// 1-based line and column.
    LineCol(usize, usize),
    /// A path into the document, e.g. `$.system-security-plan.metadata.title`.
    Path(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => Ok(()),
            Place::LineCol(line, col) => write!(f, ":{line}:{col}"),
            Place::Path(path) => write!(f, " at {path}"),
        }
    }
}

/// A reader failure; the import is refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum OscalError {
    /// The file has no content (or only whitespace).
    #[error("{file}: the file is empty")]
    Empty {
        /// Source name.
        file: String,
    },
    /// The input is larger than `ReadOptions::max_bytes`; refused before parsing.
    #[error("{file}: the file is {size} bytes, larger than the {max}-byte limit")]
    TooLarge {
        /// Source name.
        file: String,
        /// Input size.
        size: u64,
        /// Configured limit.
        max: u64,
    },
    /// The bytes are not UTF-8.
    #[error("{file}{place}: invalid UTF-8 (byte offset {offset})")]
    InvalidUtf8 {
        /// Source name.
        file: String,
        /// Line/column of the first bad byte.
        place: Place,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// JSON syntax error.
    #[error("{file}{place}: malformed JSON: {message}")]
    MalformedJson {
        /// Source name.
        file: String,
        /// Where.
        place: Place,
        /// What.
        message: String,
    },
    /// JSON that breaks a rule of strict reading: a key repeated in one object, or a string,
    /// number, key or nesting over its cap (`ReadOptions::limits`). Refused before parsing.
    #[error("{file}{place}: {message}")]
    JsonRefused {
        /// Source name.
        file: String,
        /// Line/column where the key, string or container starts.
        place: Place,
        /// The rule broken, with the JSON path.
        message: String,
    },
    /// XML syntax error (including mismatched or unclosed tags).
    #[error("{file}{place}: malformed XML: {message}")]
    MalformedXml {
        /// Source name.
        file: String,
        /// Where.
        place: Place,
        /// What.
        message: String,
    },
    /// The file ends in the middle of the document.
    #[error("{file}: unexpected end of file at line {line}: {message}")]
    Truncated {
        /// Source name.
        file: String,
        /// Last line of the file.
        line: usize,
        /// What was still open.
        message: String,
    },
    /// A DOCTYPE (and with it any entity declaration) was found; DTDs and entities are never resolved.
    #[error("{file}{place}: {message}")]
    Doctype {
        /// Source name.
        file: String,
        /// Where.
        place: Place,
        /// What was refused.
        message: String,
    },
    /// Well-formed, but not the OSCAL structure expected (missing field, wrong type, ...).
    #[error("{file}{place}: {message}")]
    Invalid {
        /// Source name.
        file: String,
        /// Where.
        place: Place,
        /// What.
        message: String,
    },
    /// Not an OSCAL document at all (unknown JSON root, XML outside the OSCAL namespace).
    #[error("{file}: not an OSCAL document: {message}")]
    NotOscal {
        /// Source name.
        file: String,
        /// Why.
        message: String,
    },
    /// A valid OSCAL document of another model than the one asked for.
    #[error("{file}: this is an OSCAL {found}, not {expected}")]
    WrongModel {
        /// Source name.
        file: String,
        /// The model found, e.g. "catalog".
        found: String,
        /// The model expected, e.g. "a system security plan".
        expected: &'static str,
    },
    /// `oscal-version` outside 1.0.x-1.2.x.
    #[error(
        "{file}{place}: unsupported OSCAL version {version:?} (supported: 1.0.x, 1.1.x, 1.2.x)"
    )]
    UnsupportedVersion {
        /// Source name.
        file: String,
        /// Where the version was declared.
        place: Place,
        /// The declared version.
        version: String,
    },
    /// The caller's cancel flag was set.
    #[error("{file}: import cancelled")]
    Cancelled {
        /// Source name.
        file: String,
    },
}

pub(crate) use assay_json::one_line;

/// 1-based line and column (in characters) of a byte offset; offsets past the end clamp to the end.
pub(crate) fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Number of the last line (1-based).
pub(crate) fn last_line(bytes: &[u8]) -> usize {
    let trimmed = bytes.trim_ascii_end();
    trimmed.iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = b"ab\ncd\n\xc3\xa9x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(line_col(text, 8), (3, 2));
        assert_eq!(line_col(text, 999), (3, 3));
    }

    #[test]
    fn places_render_as_in_compiler_messages() {
        assert_eq!(format!("f{}", Place::LineCol(3, 4)), "f:3:4");
        assert_eq!(format!("f{}", Place::Path("$.a".into())), "f at $.a");
        assert_eq!(format!("f{}", Place::File), "f");
    }
}
