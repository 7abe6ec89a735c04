//! Streaming parsers for vulnerability-scanner output.
//!
//! One module per format under [`formats`], all behind the [`ScanFormat`] trait; the
//! format is detected from content ([`detect`]), never from the file name. Parsers push
//! records one at a time into a [`ScanSink`], so memory stays flat in the file size
//! (per-host state aside; the exceptions are documented on [`formats::qualys`] and
//! [`formats::grype`], whose layouts put needed context after the records).
//!
//! Invariants: parsing never panics on user data; XML DTDs and entities are never
//! resolved; JSON is read through the `assay_json` guard (no key repeated in one object,
//! strings, numbers, nesting and records capped while reading: [`Limits`]); every error
//! renders as one line naming the place in the input.

pub mod control;
pub mod error;
pub mod formats;
pub mod gen;
mod json;
pub mod model;
pub mod sink;
mod sniff;
mod xml;

use std::io::{BufRead, Read};

pub use control::{Control, Limits};
pub use error::{ScanError, SinkError};
pub use model::{
    correlation_keys, weakness_key, AssetIdentity, ComplianceResult, ComplianceStatus, CvssRef,
    Host, Item, ItemKind, ParseSummary, ScanInfo, Severity, SeverityCounts,
};
pub use sink::{CountingSink, ScanSink, VecSink};

/// How many bytes [`detect`] callers should provide (and [`parse_auto`] reads) as the head.
pub const SNIFF_LEN: usize = 64 * 1024;

/// One scanner output format.
pub trait ScanFormat: Sync {
    /// Stable short name (`nessus`, `nmap`, `zap-xml`, …).
    fn name(&self) -> &'static str;
    /// True when `head` (the first bytes of a file, up to [`SNIFF_LEN`]) is this format.
    fn sniff(&self, head: &[u8]) -> bool;
    /// Streams `input` into `sink`.
    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError>;
}

/// All formats in sniffing order: the order matters where shapes overlap (SARIF before
/// other JSON objects with `runs`/`version`; Grype and Trivy before ZAP JSON and Nuclei).
pub fn formats() -> &'static [&'static dyn ScanFormat] {
    use formats::*;
    static ALL: [&dyn ScanFormat; 12] = [
        &sarif::Sarif,
        &grype::Grype,
        &trivy::Trivy,
        &zap_json::ZapJson,
        &nuclei::Nuclei,
        &nessus::Nessus,
        &nmap::Nmap,
        &zap_xml::ZapXml,
        &burp::Burp,
        &openvas::OpenVas,
        &qualys::Qualys,
        &qualys::QualysScan,
    ];
    &ALL
}

/// The format with this [`ScanFormat::name`].
pub fn format_by_name(name: &str) -> Option<&'static dyn ScanFormat> {
    formats().iter().copied().find(|f| f.name() == name)
}

/// Detects the format of a file from its first bytes (pass up to [`SNIFF_LEN`]).
///
/// Errors: [`ScanError::Empty`] for an empty (or whitespace-only) head,
/// [`ScanError::Unsupported`] for known-but-unsupported variants (Nessus v1),
/// [`ScanError::NotRecognised`] with a description of what the content looks like.
pub fn detect(head: &[u8]) -> Result<&'static dyn ScanFormat, ScanError> {
    if sniff::trim_start(head).is_empty() {
        return Err(ScanError::Empty);
    }
    if let Some(f) = formats().iter().copied().find(|f| f.sniff(head)) {
        return Ok(f);
    }
    if let Some(root) = sniff::xml_root(head) {
        if root.name == b"NessusClientData" {
            return Err(ScanError::Unsupported(
                "Nessus v1 (NessusClientData) is obsolete; export as .nessus v2".into(),
            ));
        }
    }
    Err(ScanError::NotRecognised(error::one_line(&sniff::describe(
        head,
    ))))
}

/// Reads the head of `input`, detects its format and parses it.
pub fn parse_auto(
    input: &mut dyn BufRead,
    sink: &mut dyn ScanSink,
    ctl: &Control,
) -> Result<(&'static dyn ScanFormat, ParseSummary), ScanError> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    input.take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    let format = detect(&head)?;
    let mut chained = std::io::Cursor::new(head).chain(input);
    let summary = format.parse(&mut chained, sink, ctl)?;
    Ok((format, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = formats().iter().map(|f| f.name()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
        for name in names {
            assert_eq!(format_by_name(name).map(|f| f.name()), Some(name));
        }
    }

    #[test]
    fn empty_and_unknown_heads() {
        assert!(matches!(detect(b""), Err(ScanError::Empty)));
        assert!(matches!(detect(b" \n\t"), Err(ScanError::Empty)));
        assert!(matches!(detect(b"hello"), Err(ScanError::NotRecognised(_))));
        assert!(matches!(
            detect(b"<NessusClientData><Report/></NessusClientData>"),
            Err(ScanError::Unsupported(_))
        ));
    }
}
