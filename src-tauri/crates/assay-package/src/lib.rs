//! Assay's signed, deterministic deliverable package for FedRAMP.
//!
//! A package is a zip archive the 3PAO hands to the agency and the FedRAMP PMO. It holds every
//! deliverable (SAR, SAP, POA&M, evidence, ...) plus two entries at its root:
//!
//! - `manifest.json`: the format name and version, the package metadata ([`PackageMeta`]), a list
//!   of every other file sorted by path with its size and SHA-256, and the signer's Ed25519 public
//!   key with a short fingerprint.
//! - `manifest.sig`: an Ed25519 signature over the whole archive (every byte except the
//!   signature's own text and CRC-32 fields, see `archive.rs`), as one line of lowercase hex,
//!   stored uncompressed. Any changed, added or removed byte anywhere in the archive fails it.
//!
//! The crate owns three things:
//!
//! - [`build_package`] / [`write_package`]: files + metadata + key in, zip bytes out.
//! - [`verify_package`] and friends: zip bytes in, a [`Verification`] listing every problem out.
//! - [`load_or_create_key`] / [`key_from_seed`]: the 3PAO's local signing key.
//! - [`TrustStore`]: the signers the recipient pinned (`trusted-signers` beside the key).
//!
//! ```
//! use assay_package::{build_package, key_from_seed, verify_package_with_key, PackageFile, PackageMeta};
//!
//! let key = key_from_seed([7; 32]); // real keys: load_or_create_key(dir, os_random_seed)
//! let meta = PackageMeta {
//!     package_name: "Northwind Moderate Initial Assessment".into(),
//!     csp: "Northwind Cloud, Inc.".into(),
//!     system_name: "Northwind Analytics".into(),
//!     fedramp_id: None,
//!     created_at: "2026-11-24T09:00:00Z".into(),
//!     assessor_org: "Example 3PAO LLC".into(),
//!     generator: "Assay 0.1.0".into(),
//! };
//! let sar = b"%PDF-1.7 ...".to_vec();
//! let files = [PackageFile::new("SAR/Northwind-SAR.pdf", &sar[..])];
//! let zip = build_package(&files, &meta, &key)?;
//!
//! let expected = assay_package::describe_public_key(&key).public_key_hex;
//! let verification = verify_package_with_key(&zip, &expected)?;
//! assert!(verification.ok(), "{:?}", verification.problems);
//! assert_eq!(verification.file_count, 1);
//! # Ok::<(), assay_package::Error>(())
//! ```
//!
//! Invariants:
//!
//! - Deterministic: the same files, metadata and key give byte-identical zips (fixed entry order,
//!   timestamps from [`PackageMeta::created_at`], fixed permissions, no varying extra fields).
//! - Pure: no wall clock, no randomness, no network. Only the key store touches the disk; the
//!   verifier never writes anything and never trusts sizes declared in zip headers.
//! - Paths inside a package are relative, forward-slash, free of `..` and of characters Windows
//!   refuses, and unique even on case-insensitive file systems.

mod archive;
mod build;
mod error;
mod key;
mod manifest;
mod path;
mod trust;
mod verify;

pub use build::{build_package, write_package, PackageFile};
pub use ed25519_dalek::SigningKey;
pub use error::Error;
pub use key::{
    describe_public_key, fingerprint_of_hex, key_from_seed, load_key, load_or_create_key,
    sign_message, verify_message, KeyInfo, PublicKeyInfo, KEY_FILE_NAME,
};
pub use manifest::{PackageMeta, FORMAT, FORMAT_VERSION, MANIFEST_NAME, SIGNATURE_NAME};
pub use trust::{parse_signer_key, TrustStore, TrustedSigner, TRUST_FILE_NAME};
pub use verify::{
    read_package_entry, verify_package, verify_package_file, verify_package_with,
    verify_package_with_key, Limits, Problem, Verification, VerifyOptions,
};
