//! One module per scanner format, each a unit struct implementing [`crate::ScanFormat`],
//! plus [`Out`], the bookkeeping wrapper every parser pushes records through.
//!
//! Invariant: records reach the sink only through [`Out`], which checks the cancel flag
//! before every record and keeps the [`ParseSummary`] counters exact.

pub mod burp;
pub mod grype;
pub mod nessus;
pub mod nmap;
pub mod nuclei;
pub mod openvas;
pub mod qualys;
pub mod sarif;
pub mod trivy;
pub mod zap_json;
pub mod zap_xml;

use crate::control::Control;
use crate::error::ScanError;
use crate::model::{CvssRef, Host, Item, ParseSummary, ScanInfo};
use crate::sink::ScanSink;

/// Counts, cancel checks and sink forwarding for one parse.
pub(crate) struct Out<'s, 'c> {
    sink: &'s mut dyn ScanSink,
    ctl: Control<'c>,
    pub(crate) summary: ParseSummary,
}

impl<'s, 'c> Out<'s, 'c> {
    pub(crate) fn new(sink: &'s mut dyn ScanSink, ctl: &Control<'c>, format: &'static str) -> Self {
        Out {
            sink,
            ctl: *ctl,
            summary: ParseSummary::new(format),
        }
    }

    pub(crate) fn item(&mut self, item: Item) -> Result<(), ScanError> {
        self.ctl.check()?;
        self.summary.count(&item);
        self.sink.item(item)?;
        Ok(())
    }

    pub(crate) fn host(&mut self, host: Host) -> Result<(), ScanError> {
        self.ctl.check()?;
        self.summary.hosts += 1;
        self.sink.host(host)?;
        Ok(())
    }

    pub(crate) fn info(&mut self, info: ScanInfo) -> Result<(), ScanError> {
        self.sink.scan_info(info)?;
        Ok(())
    }
}

/// Builds a CVSS reference from a score text and a vector text (either may be empty).
pub(crate) fn cvss(
    version: &str,
    score: Option<&str>,
    vector: Option<&str>,
    source: Option<&str>,
) -> Option<CvssRef> {
    let score = score.and_then(|s| s.trim().parse::<f64>().ok());
    let vector = vector
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "-")
        .map(str::to_string);
    if score.is_none() && vector.is_none() {
        return None;
    }
    let version = match vector.as_deref() {
        Some(v) if v.starts_with("CVSS:3.1") => "3.1".to_string(),
        Some(v) if v.starts_with("CVSS:3.0") => "3.0".to_string(),
        Some(v) if v.starts_with("CVSS:4.0") => "4.0".to_string(),
        _ => version.to_string(),
    };
    Some(CvssRef {
        version,
        score,
        vector,
        source: source.map(str::to_string),
    })
}

/// Splits Qualys-style "9.3 (AV:N/…)" into score and vector.
pub(crate) fn split_score_vector(s: &str) -> (Option<&str>, Option<&str>) {
    let s = s.trim();
    match s.find('(') {
        Some(i) => {
            let score = s[..i].trim();
            let vector = s[i + 1..].trim_end().trim_end_matches(')').trim();
            (
                (!score.is_empty()).then_some(score),
                (!vector.is_empty()).then_some(vector),
            )
        }
        None => ((!s.is_empty()).then_some(s), None),
    }
}

/// Parses a port number; 0 and garbage are `None`.
pub(crate) fn port(s: &str) -> Option<u16> {
    s.trim().parse::<u16>().ok().filter(|p| *p != 0)
}

/// True when `s` is a syntactically valid IPv4/IPv6 address.
pub(crate) fn is_ip(s: &str) -> bool {
    s.trim().parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_vector_split() {
        assert_eq!(
            split_score_vector("9.3 (AV:N/AC:M/Au:N/C:C/I:C/A:C)"),
            (Some("9.3"), Some("AV:N/AC:M/Au:N/C:C/I:C/A:C"))
        );
        assert_eq!(split_score_vector("-"), (Some("-"), None));
        assert_eq!(split_score_vector(""), (None, None));
    }

    #[test]
    fn cvss_version_from_vector_prefix() {
        let c = cvss("3", Some("9.8"), Some("CVSS:3.1/AV:N"), None).unwrap();
        assert_eq!((c.version.as_str(), c.score), ("3.1", Some(9.8)));
        assert!(cvss("2", Some("-"), Some("-"), None).is_none());
    }
}
