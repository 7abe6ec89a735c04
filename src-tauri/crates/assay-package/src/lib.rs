//! Assay's signed, deterministic deliverable package for FedRAMP.
//!
//! A package is a zip archive the 3PAO hands to the agency and the FedRAMP PMO. It holds every
//! deliverable (SAR, SAP, POA&M, evidence, ...) plus two entries at its root:
//!
//! - `manifest.json`: the format name and version, the package metadata ([`PackageMeta`]), a list
//!   of every other file sorted by path with its size and SHA-256, and the signer's Ed25519 public
//!   key with a short fingerprint.
//! - `manifest.sig`: the Ed25519 signature over the exact bytes of `manifest.json`, as one line of
//!   lowercase hex.
//!
//! The crate owns three things:
//!
//! - [`build_package`] / [`write_package`]: files + metadata + key in, zip bytes out.
//! - [`verify_package`] and friends: zip bytes in, a [`Verification`] listing every problem out.
//! - [`load_or_create_key`] / [`key_from_seed`]: the 3PAO's local signing key.
//!
//! Invariants:
//!
//! - Deterministic: the same files, metadata and key give byte-identical zips (fixed entry order,
//!   timestamps from [`PackageMeta::created_at`], fixed permissions, no varying extra fields).
//! - Pure: no wall clock, no randomness, no network. Only the key store touches the disk; the
//!   verifier never writes anything and never trusts sizes declared in zip headers.
//! - Paths inside a package are relative, forward-slash, free of `..` and of characters Windows
//!   refuses, and unique even on case-insensitive file systems.

mod build;
mod error;
mod key;
mod manifest;
mod path;
mod verify;

pub use build::{build_package, write_package, PackageFile};
pub use ed25519_dalek::SigningKey;
pub use error::Error;
pub use key::{
    describe_public_key, key_from_seed, load_or_create_key, KeyInfo, PublicKeyInfo, KEY_FILE_NAME,
};
pub use manifest::{PackageMeta, FORMAT, FORMAT_VERSION, MANIFEST_NAME, SIGNATURE_NAME};
pub use verify::{
    verify_package, verify_package_file, verify_package_with, verify_package_with_key, Limits,
    Problem, Verification, VerifyOptions,
};
