//! The package manifest: what `manifest.json` holds and how its bytes are produced and parsed.
//!
//! Invariant: [`render_manifest`] is a pure function of its inputs (struct field order fixes the
//! key order, files are sorted by path, the text ends with one newline), so the signed bytes are
//! reproducible. [`parse_manifest`] accepts only what [`render_manifest`] can produce: unknown
//! fields, another format version, unsafe or duplicate paths and malformed hashes or keys are
//! refused with a message naming the place.

use serde::{Deserialize, Serialize};

use crate::key::{fingerprint_of, PublicKeyInfo};
use crate::path::{check_path, fold_path};

/// Name of the manifest entry at the root of every package.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Name of the detached signature entry at the root of every package.
pub const SIGNATURE_NAME: &str = "manifest.sig";
/// Value of the manifest's `format` field.
pub const FORMAT: &str = "assay-package";
/// Manifest format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 2;
/// The only signature algorithm a manifest may name.
const ALGORITHM: &str = "Ed25519";

/// Who and what a package is for; copied verbatim into `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageMeta {
    /// Human name of the package, e.g. "Northwind FedRAMP Moderate Initial Assessment".
    pub package_name: String,
    /// The cloud service provider.
    pub csp: String,
    /// The cloud service offering's system name.
    pub system_name: String,
    /// FedRAMP package id (e.g. "FR1234567890"), when one is assigned.
    pub fedramp_id: Option<String>,
    /// When the package was made, RFC 3339 (e.g. "2026-11-24T09:00:00Z"). Passed in, never read
    /// from the clock; every zip entry's timestamp is derived from it.
    pub created_at: String,
    /// The 3PAO organisation that assessed the system and signs the package.
    pub assessor_org: String,
    /// The tool that made the package, e.g. "Assay 0.1.0".
    pub generator: String,
}

/// The whole `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub(crate) format: String,
    pub(crate) format_version: u32,
    pub(crate) package: PackageMeta,
    pub(crate) files: Vec<ManifestFile>,
    pub(crate) signer: ManifestSigner,
}

/// One listed file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestFile {
    pub(crate) path: String,
    pub(crate) size: u64,
    /// Lowercase hex.
    pub(crate) sha256: String,
}

/// The key that signed `manifest.sig`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestSigner {
    pub(crate) algorithm: String,
    /// Lowercase hex of the 32-byte Ed25519 public key.
    pub(crate) public_key: String,
    /// [`crate::PublicKeyInfo::fingerprint`] of `public_key`, for people comparing by eye.
    pub(crate) fingerprint: String,
}

/// The first two fields, read before the rest so a newer format gets a clear message rather
/// than a complaint about a field this version does not know.
#[derive(Deserialize)]
struct ManifestHeader {
    format: Option<String>,
    format_version: Option<u32>,
}

/// Renders the manifest; `files` must already be sorted by path.
pub(crate) fn render_manifest(
    meta: &PackageMeta,
    files: Vec<ManifestFile>,
    signer: &PublicKeyInfo,
) -> Vec<u8> {
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        package: meta.clone(),
        files,
        signer: ManifestSigner {
            algorithm: ALGORITHM.to_owned(),
            public_key: signer.public_key_hex.clone(),
            fingerprint: signer.fingerprint.clone(),
        },
    };
    // Serialising plain strings and integers into a Vec cannot fail. Rather than panic, fall
    // back to "{}", which no verifier accepts as a manifest, so the failure could not go unseen.
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    bytes
}

/// Parses and checks a manifest; the error is one line naming the place and the problem.
pub(crate) fn parse_manifest(bytes: &[u8]) -> Result<(Manifest, [u8; 32]), String> {
    // A repeated key (a second "sha256") would let two JSON readers see different manifests.
    assay_json::check(bytes, assay_json::Limits::DEFAULT)
        .map_err(|v| format!("not valid JSON: {v}"))?;
    let header: ManifestHeader =
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(format!(
            "\"format\" is {:?}, expected {FORMAT:?}",
            header.format
        ));
    }
    match header.format_version {
        Some(FORMAT_VERSION) => {}
        Some(other) => {
            return Err(format!(
            "\"format_version\" is {other}; this version of Assay reads version {FORMAT_VERSION}"
        ))
        }
        None => return Err("\"format_version\" is missing".to_owned()),
    }
    let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;

    if manifest.signer.algorithm != ALGORITHM {
        return Err(format!(
            "signer.algorithm is {:?}, expected {ALGORITHM:?}",
            manifest.signer.algorithm
        ));
    }
    let public_key = decode_hex_32(&manifest.signer.public_key)
        .ok_or_else(|| "signer.public_key is not 64 lowercase hex digits".to_owned())?;
    if manifest.signer.fingerprint != fingerprint_of(&public_key) {
        return Err("signer.fingerprint does not match signer.public_key".to_owned());
    }

    let mut previous: Option<&str> = None;
    let mut folded = std::collections::HashSet::new();
    for (index, file) in manifest.files.iter().enumerate() {
        let place = format!("files[{index}] ({:?})", file.path);
        check_path(&file.path).map_err(|reason| format!("{place}: {reason}"))?;
        if file.path == MANIFEST_NAME || file.path == SIGNATURE_NAME {
            return Err(format!(
                "{place}: the manifest may not list itself or its signature"
            ));
        }
        if previous.is_some_and(|p| p >= file.path.as_str()) {
            return Err(format!(
                "{place}: files are not sorted by path or repeat a path"
            ));
        }
        if !folded.insert(fold_path(&file.path)) {
            return Err(format!(
                "{place}: clashes with another path when case is ignored"
            ));
        }
        if decode_hex_32(&file.sha256).is_none() {
            return Err(format!("{place}: sha256 is not 64 lowercase hex digits"));
        }
        previous = Some(&file.path);
    }
    Ok((manifest, public_key))
}

/// Decodes exactly 64 lowercase hex digits.
pub(crate) fn decode_hex_32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}
