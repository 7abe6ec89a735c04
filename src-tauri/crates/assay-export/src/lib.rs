//! Assay's exporters: model in, document bytes out (SAP, SAR and POA&M PDFs, the RET and POA&M
//! workbooks, OSCAL assessment plan, results and POA&M).
//!
//! Invariants (ARCHITECTURE.md; Cargo keeps the first): no database, store or use-case layer
//! (this crate depends on the model, the PDF renderer and the workbook writer only). Exporters
//! are pure: they read no clock, draw no random ids and touch no file; generation time and
//! document ids come in through [`ExportOptions`], so the same input and options always give
//! byte-identical output.

pub mod error;
mod evidence_index;
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

pub(crate) use assay_model as model;
pub use assay_model::report::{ExportOptions, SapExportInput, SarExportInput};
pub use error::{Error, Result};
pub use evidence_index::evidence_index_csv;

/// The RET workbook (SAR Appendix A) dated `date`.
pub fn ret_xlsx(input: &SarExportInput, date: chrono::NaiveDate) -> Result<Vec<u8>> {
    workbook::write_ret_xlsx(&workbook::seed::ret_workbook(&input.report, date))
}

/// The seed POA&M as the FedRAMP POA&M template v2.1 workbook dated `date`.
pub fn poam_xlsx(input: &SarExportInput, date: chrono::NaiveDate) -> Result<Vec<u8>> {
    workbook::write_poam_xlsx(&workbook::seed::poam_workbook(&input.report, date))
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
