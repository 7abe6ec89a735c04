//! The signers a recipient trusts: `trusted-signers` in the key-store folder.
//!
//! A pin is a name and the signer's fingerprint (what `assay package` and `assay verify` print
//! and what a 3PAO reads out over the phone); a full public key given instead is reduced to its
//! fingerprint. Verification compares the fingerprint of the key a manifest names, so a pinned
//! fingerprint is all a recipient needs to obtain out of band.
//!
//! Invariants:
//! - The file is written whole or not at all (temporary file, fsync, rename), mode 0600.
//! - A trust file that is a symbolic link, not a regular file, or readable or writable by group
//!   or others is refused, never read: someone who can change it decides whom `verify` trusts.
//! - Names are unique, and so are fingerprints.
//!
//! The file is text, one pin per line after a header:
//!
//! ```text
//! assay-trusted-signers-v1
//! <fingerprint> <added, RFC 3339> <name>
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::key::{check_private_file, fingerprint_of, write_private_file};
use crate::manifest::decode_hex_32;
use crate::Error;

/// Name of the trust file inside the key-store directory.
pub const TRUST_FILE_NAME: &str = "trusted-signers";
const TRUST_FILE_HEADER: &str = "assay-trusted-signers-v1";
/// Far above any real list of signers.
const MAX_TRUST_FILE_BYTES: u64 = 1024 * 1024;
/// Longest signer name.
const MAX_NAME_CHARS: usize = 100;

/// One pinned signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedSigner {
    /// The recipient's name for the signer, e.g. "Example 3PAO LLC".
    pub name: String,
    /// The signer's fingerprint (see [`crate::PublicKeyInfo::fingerprint`]).
    pub fingerprint: String,
    /// When it was pinned, RFC 3339.
    pub added_at: String,
}

/// The pinned signers of one key-store folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustStore {
    path: PathBuf,
    signers: Vec<TrustedSigner>,
}

impl TrustStore {
    /// Reads the trust file in `dir`; a missing file is an empty store.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(TRUST_FILE_NAME);
        let signers = match fs::symlink_metadata(&path) {
            Ok(_) => read_trust_file(&path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(Error::Io {
                    action: "checking trust file",
                    path,
                    source,
                })
            }
        };
        Ok(Self { path, signers })
    }

    /// The pinned signers, in the order they were added.
    pub fn signers(&self) -> &[TrustedSigner] {
        &self.signers
    }

    /// The pin for `fingerprint`, if any.
    pub fn find(&self, fingerprint: &str) -> Option<&TrustedSigner> {
        self.signers.iter().find(|s| s.fingerprint == fingerprint)
    }

    /// Pins `key` (a fingerprint or a 64-hex-digit public key) as `name` and writes the file.
    pub fn add(&mut self, name: &str, key: &str, added_at: &str) -> Result<TrustedSigner, Error> {
        let name = check_name(name)?;
        let fingerprint = parse_signer_key(key)?;
        if let Some(same) = self.signers.iter().find(|s| s.name == name) {
            return Err(Error::Trust(format!(
                "a signer named {:?} is already pinned (key {}); remove it first",
                same.name, same.fingerprint
            )));
        }
        if let Some(same) = self.find(&fingerprint) {
            return Err(Error::Trust(format!(
                "key {fingerprint} is already pinned as {:?}",
                same.name
            )));
        }
        let signer = TrustedSigner {
            name,
            fingerprint,
            added_at: added_at.to_owned(),
        };
        self.signers.push(signer.clone());
        self.save()?;
        Ok(signer)
    }

    /// Removes the pin named `name` and writes the file.
    pub fn remove(&mut self, name: &str) -> Result<TrustedSigner, Error> {
        let Some(index) = self.signers.iter().position(|s| s.name == name) else {
            return Err(Error::Trust(format!(
                "no signer named {name:?} is pinned in {}",
                self.path.display()
            )));
        };
        let removed = self.signers.remove(index);
        self.save()?;
        Ok(removed)
    }

    fn save(&self) -> Result<(), Error> {
        let mut text = format!("{TRUST_FILE_HEADER}\n");
        for s in &self.signers {
            text.push_str(&format!("{} {} {}\n", s.fingerprint, s.added_at, s.name));
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::key::create_private_dir(dir)?;
        write_private_file(dir, &self.path, text.as_bytes())
    }
}

/// Reads a fingerprint (`ab:cd:…`, 16 pairs, or 32 hex digits) or a public key (64 hex digits)
/// and returns the fingerprint. Colons, spaces and case are ignored.
pub fn parse_signer_key(key: &str) -> Result<String, Error> {
    let cleaned: String = key
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.len() == 64 {
        if let Some(public) = decode_hex_32(&cleaned) {
            return Ok(fingerprint_of(&public));
        }
    }
    if cleaned.len() == 32 && cleaned.bytes().all(|b| b.is_ascii_hexdigit()) {
        let pairs: Vec<&str> = (0..16).map(|i| &cleaned[i * 2..i * 2 + 2]).collect();
        return Ok(pairs.join(":"));
    }
    Err(Error::Trust(format!(
        "{key:?} is neither a fingerprint (16 hex pairs, as `assay verify` prints it) nor a \
         public key (64 hex digits)"
    )))
}

fn check_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Error::Trust(format!(
            "signer name {name:?} must be 1 to {MAX_NAME_CHARS} characters without control \
             characters"
        )));
    }
    Ok(name.to_owned())
}

fn read_trust_file(path: &Path) -> Result<Vec<TrustedSigner>, Error> {
    check_private_file(path, "trust file")?;
    let io_error = |source| Error::Io {
        action: "reading trust file",
        path: path.to_path_buf(),
        source,
    };
    let metadata = fs::metadata(path).map_err(io_error)?;
    let corrupt = |problem: String| Error::CorruptKey {
        path: path.to_path_buf(),
        problem,
    };
    if metadata.len() > MAX_TRUST_FILE_BYTES {
        return Err(corrupt("it is far larger than a trust file".into()));
    }
    let bytes = fs::read(path).map_err(io_error)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt("it is not UTF-8 text".into()))?;
    let mut lines = text.lines();
    if lines.next() != Some(TRUST_FILE_HEADER) {
        return Err(corrupt(format!(
            "the first line is not {TRUST_FILE_HEADER:?}"
        )));
    }
    let mut signers = Vec::new();
    for (number, line) in (2..).zip(lines) {
        let mut parts = line.splitn(3, ' ');
        let (Some(fingerprint), Some(added_at), Some(name)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(corrupt(format!(
                "line {number} is not \"<fingerprint> <added> <name>\""
            )));
        };
        let parsed = parse_signer_key(fingerprint)
            .ok()
            .filter(|f| f == fingerprint);
        if parsed.is_none() {
            return Err(corrupt(format!(
                "line {number}: {fingerprint:?} is not a fingerprint"
            )));
        }
        signers.push(TrustedSigner {
            name: name.to_owned(),
            fingerprint: fingerprint.to_owned(),
            added_at: added_at.to_owned(),
        });
    }
    Ok(signers)
}

#[cfg(test)]
mod tests;
