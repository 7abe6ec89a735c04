//! The crate's error type.
//!
//! Invariant: every message names the file, entry or setting at fault and says what was wrong, in
//! one lowercase line without a trailing period. Problems found *inside* a package being verified
//! are not errors: they are [`crate::Problem`]s collected in a [`crate::Verification`]. An
//! [`Error`] from the verifier means it could not look inside the package at all.

use std::path::PathBuf;

/// Everything that can stop building a package, verifying one, or loading the signing key.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file path given to the builder is not a safe, portable zip path (see the crate docs).
    #[error("unsafe package path {path:?}: {reason}")]
    UnsafePath {
        /// The path as given.
        path: String,
        /// Why it was refused.
        reason: &'static str,
    },

    /// Two files given to the builder would land on the same name (compared case-insensitively,
    /// because Windows and macOS extract them to one file).
    #[error("duplicate package path {path:?} (clashes with {other:?})")]
    DuplicatePath {
        /// The later path.
        path: String,
        /// The earlier path it clashes with.
        other: String,
    },

    /// A file given to the builder uses a name the package reserves for its manifest.
    #[error("package path {path:?} is reserved for the package manifest")]
    ReservedPath {
        /// The path as given.
        path: String,
    },

    /// `PackageMeta::created_at` must be an RFC 3339 time a zip timestamp can hold (1980-2107).
    #[error("package created_at {value:?}: {reason}")]
    InvalidCreatedAt {
        /// The value as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    /// The zip writer failed for one entry (in practice: the output writer failed).
    #[error("writing package entry {entry:?}: {source}")]
    Write {
        /// The entry being written.
        entry: String,
        /// The underlying failure.
        #[source]
        source: zip::result::ZipError,
    },

    /// The bytes handed to the verifier are not a zip archive it can open.
    #[error("the package is not a readable zip archive: {source}")]
    NotAZip {
        /// What the zip reader reported.
        #[source]
        source: zip::result::ZipError,
    },

    /// The expected public key handed to the verifier is not 32 bytes of hex.
    #[error("expected public key {value:?} is not 64 hex digits")]
    InvalidExpectedKey {
        /// The value as given.
        value: String,
    },

    /// Reading, creating or writing a file failed.
    #[error("{action} {path}: {source}", path = path.display())]
    Io {
        /// What was being attempted, e.g. "reading key file".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// The key file exists but is not a key this crate wrote. It is never replaced silently:
    /// the 3PAO must move it away or restore it.
    #[error("key file {path} is corrupt: {problem}", path = path.display())]
    CorruptKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },

    /// A private file (the signing key, the trust file) is a symbolic link, not a regular file,
    /// or accessible to group or others. It is not read until its owner fixes it.
    #[error("{what} {path} is not private: {problem}", path = path.display())]
    InsecureFile {
        /// "key file" or "trust file".
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        problem: String,
    },

    /// A trust-store request cannot be done (unknown name, name or key already pinned, a key
    /// that is neither a fingerprint nor a public key); the message says which.
    #[error("{0}")]
    Trust(String),
}
