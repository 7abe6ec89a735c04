//! The deliverable package for the agency and the FedRAMP PMO: every document rendered from the
//! engagement, the raw scan files, the evidence index (and optionally the evidence), signed with
//! the 3PAO's Ed25519 key; and the verification of a package someone hands back.
//!
//! Invariants: the package is refused while a consistency check is an error; the same engagement,
//! options and key give a byte-identical zip (time comes in through [`PackageOptions`], names
//! and order are derived); the zip is written to a temporary file beside the target and renamed
//! into place, so a cancelled or failed build never leaves a partial package under the name.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use assay_package::{PackageFile, PackageMeta, SigningKey};

pub use assay_package::KeyInfo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::exports::{Deliverable, Inputs};
use super::Session;
use crate::error::{Error, Result};
use crate::export::{self, file_name_part as name_part, package_evidence_path, package_scan_path};
use crate::model::report::{ExportOptions, SarReport};
use crate::model::sar::SarData;
use crate::model::{AuditEntry, Engagement};

/// What a package build needs besides the engagement and the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageOptions {
    /// Written into every document and the manifest; the zip entries' timestamps derive from it.
    pub generated_at: DateTime<Utc>,
    /// Put the evidence files themselves in the package (the index is always there).
    #[serde(default)]
    pub include_evidence: bool,
}

/// One file in a built package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackagedFile {
    pub path: String,
    /// Bytes (f64: exact to 2^53 and safe in TypeScript).
    pub size: f64,
    pub sha256: String,
}

/// The signer's public key, for out-of-band confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignerKey {
    pub public_key_hex: String,
    pub fingerprint: String,
}

/// What building a package did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageReceipt {
    pub path: String,
    pub sha256: String,
    pub size: f64,
    pub files: Vec<PackagedFile>,
    pub signer: SignerKey,
}

/// The result of checking a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageCheck {
    pub path: String,
    /// True only when every file matches, the signature covers the archive, and the signer is
    /// trusted (`signer_trusted`).
    pub ok: bool,
    pub file_count: u32,
    /// The key that signed the manifest (read from it), when readable.
    pub signer: Option<SignerKey>,
    /// Whether the signer is one the recipient trusts: the key given with `--key`, a pinned
    /// signer, or the recipient's own signing key.
    pub signer_trusted: bool,
    /// Why the signer is trusted, for people: "the key given", "pinned as NAME", "your own
    /// signing key"; `None` when it is not.
    pub trusted_as: Option<String>,
    pub package_name: Option<String>,
    pub created_at: Option<String>,
    /// Each problem in one line naming the file it concerns.
    pub problems: Vec<String>,
    /// The files named by the problems, for tools that list them.
    pub files: Vec<String>,
}

/// A file of the package: its path in the zip and its bytes.
type NamedBytes = (String, Vec<u8>);

/// A step of a package build, for progress display.
pub type PackageProgress<'a> = &'a dyn Fn(usize, usize, &str);

/// The FedRAMP-style file name stem `CSP_CSO_<document>_v<version>_<MMDDYYYY>`.
pub fn document_name(e: &Engagement, sar: &SarData, document: &str, at: DateTime<Utc>) -> String {
    let version = if sar.version.trim().is_empty() {
        "1.0".to_owned()
    } else {
        sar.version.trim().to_owned()
    };
    let day = sar.date.unwrap_or_else(|| at.date_naive());
    format!(
        "{}_{}_{}_v{}_{}",
        name_part(&e.csp_name),
        name_part(&e.cso_name),
        document,
        name_part(&version),
        day.format("%m%d%Y")
    )
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// Reads a file of the content-addressed store and checks it against its name (the SHA-256 of
/// its bytes) and, when recorded, its size: the package signs only what Assay stored.
fn read_stored(
    path: &Path,
    what: &'static str,
    sha256: &str,
    size: Option<u64>,
) -> Result<Vec<u8>> {
    let bytes = read(path)?;
    let changed = |problem: String| Error::StoredFileChanged {
        path: path.to_owned(),
        what,
        problem,
    };
    if let Some(size) = size {
        if bytes.len() as u64 != size {
            return Err(changed(format!(
                "{} bytes where {size} were stored",
                bytes.len()
            )));
        }
    }
    let found = hex::encode(Sha256::digest(&bytes));
    if !found.eq_ignore_ascii_case(sha256) {
        return Err(changed(format!("SHA-256 {found}, stored as {sha256}")));
    }
    Ok(bytes)
}

impl Session {
    /// The files of the package, in the order they are produced. Refused while a consistency
    /// check is an error.
    fn package_files(
        &self,
        opts: &PackageOptions,
        progress: PackageProgress<'_>,
        cancel: Option<&AtomicBool>,
    ) -> Result<(SarReport, Vec<NamedBytes>)> {
        // One computation of the report for all six SAR and POA&M documents, one of the SAP
        // input for its two; the documents render through the same dispatch as single exports.
        let sar = self.sar_export_input()?;
        let computed = sar.report.clone();
        let mut inputs = Inputs::with_sar(sar);
        let report = &computed;
        let errors = report.errors();
        if !errors.is_empty() {
            return Err(Error::validation(
                "package",
                format!(
                    "{} consistency error(s) must be fixed first: {}",
                    errors.len(),
                    errors.join("; ")
                ),
            ));
        }
        let at = opts.generated_at;
        let name = |doc: &str| document_name(&report.engagement, &report.data, doc, at);
        let documents: Vec<(String, Deliverable)> = vec![
            (format!("SAP/{}.pdf", name("SAP")), Deliverable::SapPdf),
            (
                // The name the SAR's OSCAL import-ap points at.
                format!(
                    "SAP/{}",
                    export::oscal_common::sap_oscal_file_name(&report.engagement.cso_name)
                ),
                Deliverable::SapOscal,
            ),
            (format!("SAR/{}.pdf", name("SAR")), Deliverable::SarPdf),
            (format!("POAM/{}.pdf", name("POAM")), Deliverable::PoamPdf),
            (
                format!("SAR/{}.xlsx", name("SAR-Appendix-A-RET")),
                Deliverable::RetXlsx,
            ),
            (format!("POAM/{}.xlsx", name("POAM")), Deliverable::PoamXlsx),
            (
                format!("SAR/{}.json", name("SAR-OSCAL")),
                Deliverable::SarOscal,
            ),
            (
                format!("POAM/{}.json", name("POAM-OSCAL")),
                Deliverable::PoamOscal,
            ),
        ];
        let index = (
            format!("SAR/{}.csv", name("SAR-Evidence-Index")),
            export::evidence_index_csv(report, opts.include_evidence),
        );
        let engagement_id = report.engagement.id.clone();
        let scans: Vec<(String, String)> = report
            .scan_files
            .iter()
            .map(|f| {
                (
                    package_scan_path(&f.sha256, &f.format, &f.name),
                    f.sha256.clone(),
                )
            })
            .collect();
        let evidence: Vec<(String, String, f64)> = if opts.include_evidence {
            report
                .evidence
                .iter()
                .map(|e| {
                    (
                        package_evidence_path(&e.id, &e.file_name),
                        e.id.clone(),
                        e.size,
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let total = documents.len() + 1 + scans.len() + evidence.len() + 1;
        let mut files = Vec::with_capacity(total);
        let check = |label: &str, i: usize| {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(Error::Cancelled);
            }
            progress(i, total, label);
            Ok(())
        };
        let (mut ret, mut poam) = (0, 0);
        for (path, deliverable) in documents {
            check(&path, files.len())?;
            let options = ExportOptions::new(&engagement_id, deliverable.kind(), at, None);
            match deliverable {
                Deliverable::RetXlsx => ret = files.len(),
                Deliverable::PoamXlsx => poam = files.len(),
                _ => {}
            }
            files.push((path, self.render(deliverable, &options, &mut inputs)?));
        }
        check(&index.0, files.len())?;
        files.push(index);
        // SAR-001 once more, on the RET and POA&M workbooks as written into the package.
        let disagree = export::workbook::written::check_written(&files[ret].1, &files[poam].1)?;
        if !disagree.is_empty() {
            let what: Vec<String> = disagree
                .iter()
                .map(|c| format!("{} {}", c.code, c.message))
                .collect();
            return Err(Error::validation(
                "package",
                format!("the RET and POA&M workbooks disagree: {}", what.join("; ")),
            ));
        }
        let dir = super::scans::scans_dir(self.path());
        for (path, sha256) in scans {
            check(&path, files.len())?;
            let bytes = read_stored(&dir.join(&sha256), "scan file", &sha256, None)?;
            files.push((path, bytes));
        }
        for (path, id, size) in evidence {
            check(&path, files.len())?;
            let blob = super::evidence::blob_path(self.path(), &id);
            // The size is recorded as f64 for the UI; exact below 2^53 bytes.
            let size = (size >= 0.0).then_some(size as u64);
            files.push((path, read_stored(&blob, "evidence file", &id, size)?));
        }
        check("signing the package", files.len())?;
        Ok((computed, files))
    }

    /// Builds the signed package and writes it to `out` (via a temporary file and a rename).
    /// `progress` gets (step, steps, what); raising `cancel` stops before the next step and
    /// leaves nothing behind.
    pub fn write_package(
        &mut self,
        out: &Path,
        opts: &PackageOptions,
        key: &SigningKey,
        progress: PackageProgress<'_>,
        cancel: Option<&AtomicBool>,
    ) -> Result<PackageReceipt> {
        self.require_logged_data()?;
        let (report, mut files) = self.package_files(opts, progress, cancel)?;
        // The log as sealed now, and the signed checkpoint, listed in the signed manifest.
        let sealed_at = opts
            .generated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        files.extend(self.custody_files(key, sealed_at)?);
        let e = &report.engagement;
        let meta = PackageMeta {
            package_name: document_name(
                &report.engagement,
                &report.data,
                "Assessment-Package",
                opts.generated_at,
            ),
            csp: e.csp_name.clone(),
            system_name: e.cso_name.clone(),
            fedramp_id: Some(e.package_id.clone()).filter(|p| !p.trim().is_empty()),
            created_at: opts
                .generated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            assessor_org: e.assessor_org.clone(),
            generator: format!("Assay {}", env!("CARGO_PKG_VERSION")),
        };
        let entries: Vec<PackageFile<'_>> = files
            .iter()
            .map(|(p, b)| PackageFile::new(p.clone(), &b[..]))
            .collect();
        let zip = assay_package::build_package(&entries, &meta, key)
            .map_err(|e| Error::validation("package", e.to_string()))?;
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Error::Cancelled);
        }
        super::write_file(out, &zip)?;
        let signer = assay_package::describe_public_key(key);
        let receipt = PackageReceipt {
            path: out.display().to_string(),
            sha256: hex::encode(Sha256::digest(&zip)),
            size: zip.len() as f64,
            files: files
                .iter()
                .map(|(p, b)| PackagedFile {
                    path: p.clone(),
                    size: b.len() as f64,
                    sha256: hex::encode(Sha256::digest(b)),
                })
                .collect(),
            signer: SignerKey {
                public_key_hex: signer.public_key_hex,
                fingerprint: signer.fingerprint,
            },
        };
        self.write(|_, _| {
            let entry = AuditEntry {
                entity: "package".into(),
                entity_id: receipt.sha256.clone(),
                action: "export".into(),
                summary: format!(
                    "deliverable package {} ({} files) signed by key {}",
                    out.display(),
                    receipt.files.len(),
                    receipt.signer.fingerprint
                ),
                before: String::new(),
                after: super::engagement::to_json(&receipt.files),
            };
            Ok(((), vec![entry]))
        })?;
        Ok(receipt)
    }
}

/// A package as the user asks for it (the CLI's flags, the app's dialog).
#[derive(Debug, Clone, Copy, Default)]
pub struct PackageRequest<'a> {
    /// Generation time written into every document (RFC 3339); default: now.
    pub generated_at: Option<&'a str>,
    /// Put the evidence files in the package too (the index is always there).
    pub include_evidence: bool,
    /// The key store folder; default: [`default_key_dir`].
    pub key_dir: Option<&'a Path>,
}

impl Session {
    /// Builds and writes the signed package as `request` asks: checks the generation time,
    /// loads the 3PAO's signing key from the key store (creating it on first use; `on_key` sees
    /// it before the build starts, so a new key's fingerprint can be shown), then
    /// [`Session::write_package`].
    pub fn export_package(
        &mut self,
        out: &Path,
        request: &PackageRequest<'_>,
        on_key: &dyn Fn(&KeyInfo),
        progress: PackageProgress<'_>,
        cancel: Option<&AtomicBool>,
    ) -> Result<PackageReceipt> {
        let opts = PackageOptions {
            generated_at: self.generation_time(request.generated_at)?,
            include_evidence: request.include_evidence,
        };
        let (key, info) = signing_key_in(request.key_dir)?;
        on_key(&info);
        self.write_package(out, &opts, &key, progress, cancel)
    }

    /// The FedRAMP-style file name for the package made now, e.g.
    /// `CSP_CSO_Assessment-Package_v1.0_MMDDYYYY.zip`.
    pub fn default_package_name(&self) -> Result<String> {
        let now = self.ctx.clock.now();
        Ok(format!(
            "{}.zip",
            document_name(
                &self.engagement()?,
                &self.sar_data()?,
                "Assessment-Package",
                now
            )
        ))
    }
}

/// What decides whether a package's signer is trusted.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrustRequest<'a> {
    /// The signer's public key or fingerprint as confirmed out of band (`--key`); when given,
    /// only that key is trusted.
    pub expected_key: Option<&'a str>,
    /// The key store folder whose pinned signers ([`super::trust`]) and own signing key are
    /// trusted; default: [`default_key_dir`].
    pub key_dir: Option<&'a Path>,
}

/// Checks a package: every file's hash and size against the signed manifest, the signature over
/// the whole archive, and whether the signer is trusted (see [`TrustRequest`]). An untrusted
/// signer is a problem like a changed file: `ok` is false and the problem says how to pin it.
pub fn verify_package(path: &Path, trust: &TrustRequest<'_>) -> Result<PackageCheck> {
    let bad_input = |message: String| Error::BadInput {
        path: path.to_owned(),
        message: format!("{}: {message}", path.display()),
    };
    // A fingerprint cannot be handed to the verifier as a key: compare fingerprints here.
    let expected = trust
        .expected_key
        .map(assay_package::parse_signer_key)
        .transpose()
        .map_err(|e| bad_input(format!("--key: {e}")))?;
    let v = assay_package::verify_package_file(path, &assay_package::VerifyOptions::default())
        .map_err(|e| bad_input(e.to_string()))?;
    let mut problems: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
    let mut files: Vec<String> = v
        .problems
        .iter()
        .filter_map(|p| p.path().map(str::to_owned))
        .collect();
    if let Some(signer) = &v.signer {
        for problem in super::custody::package_log_problems(path, &signer.public_key_hex) {
            files.push(super::custody::PACKAGE_LOG.to_owned());
            problems.push(problem);
        }
    }
    let trusted_as = match (&v.signer, &expected) {
        (None, _) => None,
        (Some(signer), Some(expected)) => {
            if &signer.fingerprint == expected {
                Some("the key given".to_owned())
            } else {
                problems.push(format!(
                    "{}: signed by key {}, expected key {expected}",
                    assay_package::SIGNATURE_NAME,
                    signer.fingerprint
                ));
                files.push(assay_package::SIGNATURE_NAME.to_owned());
                None
            }
        }
        (Some(signer), None) => {
            let found = super::trust::trusted_as(trust.key_dir, &signer.fingerprint)?;
            if found.is_none() {
                problems.push(format!(
                    "signer not trusted: key {fp} (pin it with `assay trust add NAME {fp}` \
                     after confirming it with the assessor, or pass --key)",
                    fp = signer.fingerprint
                ));
                files.push(assay_package::SIGNATURE_NAME.to_owned());
            }
            found
        }
    };
    Ok(PackageCheck {
        path: path.display().to_string(),
        ok: problems.is_empty(),
        file_count: u32::try_from(v.file_count).unwrap_or(u32::MAX),
        signer: v.signer.as_ref().map(|s| SignerKey {
            public_key_hex: s.public_key_hex.clone(),
            fingerprint: s.fingerprint.clone(),
        }),
        signer_trusted: trusted_as.is_some(),
        trusted_as,
        package_name: v.meta.as_ref().map(|m| m.package_name.clone()),
        created_at: v.meta.as_ref().map(|m| m.created_at.clone()),
        problems,
        files,
    })
}

/// Where the 3PAO's signing key is kept: `$ASSAY_KEY_DIR`, else `$XDG_CONFIG_HOME/assay/keys`,
/// else `~/.config/assay/keys`.
pub fn default_key_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ASSAY_KEY_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("assay/keys"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/assay/keys"))
}

/// The 3PAO's signing key from the key store `dir` when given, else from the default store
/// ([`default_key_dir`]); refused when there is neither.
pub fn signing_key_in(dir: Option<&Path>) -> Result<(SigningKey, KeyInfo)> {
    signing_key(&key_dir_or_default(dir)?)
}

/// `dir` when given, else [`default_key_dir`]; refused when there is neither.
pub fn key_dir_or_default(dir: Option<&Path>) -> Result<PathBuf> {
    dir.map(Path::to_path_buf)
        .or_else(default_key_dir)
        .ok_or_else(|| Error::Validation {
            field: "no key store folder".into(),
            message: "set ASSAY_KEY_DIR or HOME".into(),
        })
}

/// The 3PAO's signing key from the key store in `dir`, created on first use from the operating
/// system's random source.
pub fn signing_key(dir: &Path) -> Result<(SigningKey, KeyInfo)> {
    let mut failure = None;
    let result = assay_package::load_or_create_key(dir, || match crate::clock::fresh_key_seed() {
        Ok(seed) => seed,
        Err(e) => {
            failure = Some(e);
            [0; 32]
        }
    });
    if let Some(e) = failure {
        // Never keep a key made from a failed random source.
        if let Ok((_, info)) = &result {
            if info.created {
                let _ = std::fs::remove_file(&info.path);
            }
        }
        return Err(e.into());
    }
    result.map_err(|e| Error::BadInput {
        path: dir.to_owned(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_fedramp_pattern_and_are_safe() {
        assert_eq!(
            name_part("Northwind Systems, Inc."),
            "Northwind-Systems-Inc."
        );
        assert_eq!(name_part("  ../etc/passwd "), "..-etc-passwd");
        assert_eq!(name_part("///"), "Unnamed");
    }
}
