//! Exporters: engagement data in, document bytes out.
//!
//! Invariant: exporters are pure. They read no clock, draw no random ids and touch no file or
//! database; generation time and document ids come in through the options, so the same input and
//! options always give byte-identical output.

pub mod oscal_ap;
pub mod oscal_ar;
pub mod oscal_common;
pub mod oscal_poam;
pub(crate) mod pdf_parts;
pub mod poam_pdf;
pub mod sap_pdf;
pub mod sar_pdf;
pub mod workbook;

use sha2::{Digest, Sha256};

use crate::api::sar::SarReport;
use crate::model::sap::{Sap, SapObjective};
use crate::model::ssp::SystemOverview;

/// Everything the SAP exporters read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapExportInput {
    pub sap: Sap,
    /// The baseline's assessable objectives in catalog order (filtered to the selected controls
    /// by the exporters).
    pub objectives: Vec<SapObjective>,
}

/// Everything the SAR, RET and POA&M exporters read: the computed report, the SAP it reports
/// against, and the SSP's system overview (purpose, scope and description come from there).
#[derive(Debug, Clone, PartialEq)]
pub struct SarExportInput {
    pub report: SarReport,
    pub sap: Sap,
    pub overview: Option<SystemOverview>,
}

/// Turns a name into a file-name part: letters, digits, `.` and `-`; runs of anything else
/// become one `-`.
pub fn file_name_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "Unnamed".into()
    } else {
        out
    }
}

/// Where an evidence file sits in the deliverable package.
pub fn package_evidence_path(sha256: &str, file_name: &str) -> String {
    format!(
        "Evidence/{}_{}",
        &sha256[..sha256.len().min(12)],
        file_name_part(file_name)
    )
}

/// Where a raw scanner file sits in the deliverable package (one folder per scan category).
pub fn package_scan_path(sha256: &str, format: &str, file_name: &str) -> String {
    format!(
        "Scans/{}/{}_{}",
        crate::model::sar::scan_kind(format),
        &sha256[..sha256.len().min(12)],
        file_name_part(file_name)
    )
}

/// The marking every SAP carries (FedRAMP template wording).
pub const CUI_MARKING: &str = "Controlled Unclassified Information";

/// A version-4-shaped UUID derived from `seed` and `name`: stable across runs for the same inputs.
pub fn derived_uuid(seed: &str, name: &str) -> String {
    let mut h = Sha256::new();
    h.update((seed.len() as u64).to_be_bytes());
    h.update(seed.as_bytes());
    h.update(name.as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_uuids_are_stable_distinct_and_version_4() {
        let a = derived_uuid("doc-1", "tool-0");
        assert_eq!(a, derived_uuid("doc-1", "tool-0"));
        assert_ne!(a, derived_uuid("doc-1", "tool-1"));
        assert_ne!(a, derived_uuid("doc-2", "tool-0"));
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
