//! The signers a recipient trusts when verifying packages: pinned by name in the key store
//! folder (`trusted-signers` beside the signing key), plus the recipient's own signing key (a
//! 3PAO verifying the package it built).
//!
//! Invariant: the trust file is written whole (temporary file, then rename), 0600, and a trust
//! or key file that is a symbolic link or open to group or others is refused, never read.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::package::key_dir_or_default;
use crate::error::{Error, Result};

/// One pinned signer, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrustedSignerView {
    pub name: String,
    pub fingerprint: String,
    /// When it was pinned, RFC 3339.
    pub added_at: String,
}

fn view(s: &assay_package::TrustedSigner) -> TrustedSignerView {
    TrustedSignerView {
        name: s.name.clone(),
        fingerprint: s.fingerprint.clone(),
        added_at: s.added_at.clone(),
    }
}

fn store_error(dir: &Path) -> impl Fn(assay_package::Error) -> Error + '_ {
    move |e| Error::BadInput {
        path: dir.to_owned(),
        message: e.to_string(),
    }
}

/// Pins `key` (a fingerprint as `assay verify` prints it, or a 64-hex-digit public key) under
/// `name` in the key store `key_dir` (default: [`super::package::default_key_dir`]).
pub fn trust_add(
    key_dir: Option<&Path>,
    name: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<TrustedSignerView> {
    let dir = key_dir_or_default(key_dir)?;
    let mut store = assay_package::TrustStore::load(&dir).map_err(store_error(&dir))?;
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let added = store.add(name, key, &at).map_err(store_error(&dir))?;
    Ok(view(&added))
}

/// The pinned signers, in the order they were pinned.
pub fn trust_list(key_dir: Option<&Path>) -> Result<Vec<TrustedSignerView>> {
    let dir = key_dir_or_default(key_dir)?;
    let store = assay_package::TrustStore::load(&dir).map_err(store_error(&dir))?;
    Ok(store.signers().iter().map(view).collect())
}

/// Removes the pin named `name`.
pub fn trust_remove(key_dir: Option<&Path>, name: &str) -> Result<TrustedSignerView> {
    let dir = key_dir_or_default(key_dir)?;
    let mut store = assay_package::TrustStore::load(&dir).map_err(store_error(&dir))?;
    let removed = store.remove(name).map_err(store_error(&dir))?;
    Ok(view(&removed))
}

/// Why `fingerprint` is trusted in the key store `key_dir`: "pinned as NAME", or "your own
/// signing key" when it is the store's signing key; `None` when it is neither. The signing key
/// is only read, never created.
pub fn trusted_as(key_dir: Option<&Path>, fingerprint: &str) -> Result<Option<String>> {
    let dir = key_dir_or_default(key_dir)?;
    let store = assay_package::TrustStore::load(&dir).map_err(store_error(&dir))?;
    if let Some(pinned) = store.find(fingerprint) {
        return Ok(Some(format!("pinned as {:?}", pinned.name)));
    }
    let own = assay_package::load_key(&dir).map_err(store_error(&dir))?;
    Ok(own
        .filter(|(_, info)| info.fingerprint == fingerprint)
        .map(|_| "your own signing key".to_owned()))
}
