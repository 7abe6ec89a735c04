//! The signed deliverable package: the 3PAO's signing key, the default file name, the export with
//! progress and cancel, and the verification of a package someone hands back.
//!
//! Invariant: the core builds, signs and checks; these commands only pass values through. The
//! export shares the cancel flag of imports (`AppState::cancel_import`, raised by
//! `cancel_import`), which lives outside the session lock so Cancel is heard while a document
//! renders; the core writes through a temporary file, so a cancelled export leaves nothing.

use std::sync::atomic::Ordering;

use assay_core::api::package::{
    signing_key, verify_package as check_package, KeyInfo, PackageCheck, PackageReceipt,
    PackageRequest, TrustRequest,
};
use assay_core::api::trust::{trust_add, trust_list, trust_remove, TrustedSignerView};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::ipc_error::IpcResult;
use crate::paths::Access;
use crate::progress::{clamp_u32, Progress};
use crate::state::AppState;

/// The 3PAO's signing key as the Package page shows it (never the private half).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SigningKeyView {
    /// Lowercase hex of the 32-byte Ed25519 public key.
    pub public_key_hex: String,
    /// Colon-separated hex pairs, short enough to read over the phone.
    pub fingerprint: String,
    /// The key file in the local key store.
    pub path: String,
    /// Whether this call created the key (the first use on this computer).
    pub created: bool,
}

/// One step of a package build: `step` of `steps` done, `what` is being produced now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PackageProgress {
    pub step: u32,
    pub steps: u32,
    pub what: String,
}

/// The 3PAO's signing key from the app's key store, created on first use from the operating
/// system's random source and kept for every later package.
#[tauri::command(async)]
#[specta::specta]
pub fn signing_key_info(state: State<'_, AppState>) -> IpcResult<SigningKeyView> {
    let (_, info) = signing_key(&state.key_dir)?;
    Ok(SigningKeyView {
        public_key_hex: info.public_key_hex,
        fingerprint: info.fingerprint,
        path: info.path.display().to_string(),
        created: info.created,
    })
}

/// The FedRAMP-style file name for the package, e.g.
/// `CSP_CSO_Assessment-Package_v1.0_MMDDYYYY.zip`.
#[tauri::command(async)]
#[specta::specta]
pub fn default_package_name(state: State<'_, AppState>) -> IpcResult<String> {
    state.with_session(|s| s.default_package_name())
}

/// Builds the signed package and writes it to `out_path`. Refused (code `Validation`) while a
/// SAR consistency check is an error; `cancel_import` stops it (code `Cancelled`) and nothing is
/// left at `out_path`.
#[tauri::command(async)]
#[specta::specta]
pub fn export_package(
    app: AppHandle,
    state: State<'_, AppState>,
    out_path: String,
    include_evidence: bool,
    on_progress: Channel<PackageProgress>,
) -> IpcResult<PackageReceipt> {
    state.cancel_import.store(false, Ordering::SeqCst);
    let empty = "choose where to save the package (a .zip file)";
    let out = state
        .grants
        .permit(&app, &out_path, Access::Write, "file", empty)?;
    let progress = Progress::new(&on_progress);
    let report = |step: usize, steps: usize, what: &str| {
        progress.send(PackageProgress {
            step: clamp_u32(step),
            steps: clamp_u32(steps),
            what: what.to_owned(),
        })
    };
    let request = PackageRequest {
        generated_at: None,
        include_evidence,
        key_dir: Some(state.key_dir.as_path()),
    };
    state.with_session(|s| {
        s.export_package(
            &out,
            &request,
            &|_: &KeyInfo| {},
            &report,
            Some(&state.cancel_import),
        )
    })
}

/// Checks a package: every file's hash and size against the signed manifest, and the signature
/// (against `expected_key`, the signer's public key in hex, when given). A package with problems
/// is a normal result (`ok` false, each problem naming its file); an unreadable file or a
/// malformed expected key is an error.
#[tauri::command(async)]
#[specta::specta]
pub fn verify_package(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    expected_key: Option<String>,
) -> IpcResult<PackageCheck> {
    let empty = "choose the package (.zip) to verify";
    let path = state
        .grants
        .permit(&app, &path, Access::Read, "file", empty)?;
    let expected = expected_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    // The trusted signers are those pinned beside the app's key store (the command line's
    // `~/.config/assay/keys` unless the app was started with its own config folder).
    let trust = TrustRequest {
        expected_key: expected,
        key_dir: Some(state.key_dir.as_path()),
    };
    Ok(check_package(&path, &trust)?)
}

/// The signers pinned in the app's key store (packages they signed verify), in pinning order.
#[tauri::command(async)]
#[specta::specta]
pub fn list_trusted_signers(state: State<'_, AppState>) -> IpcResult<Vec<TrustedSignerView>> {
    Ok(trust_list(Some(state.key_dir.as_path()))?)
}

/// Pins a signer under `name`: `key` is the fingerprint `verify` shows (or the 64-hex-digit
/// public key), to be confirmed with the assessor by a separate channel first.
#[tauri::command(async)]
#[specta::specta]
pub fn trust_signer(
    state: State<'_, AppState>,
    name: String,
    key: String,
) -> IpcResult<TrustedSignerView> {
    let now = assay_core::Context::from_env(None).clock.now();
    Ok(trust_add(
        Some(state.key_dir.as_path()),
        name.trim(),
        key.trim(),
        now,
    )?)
}

/// Removes the pin named `name`; packages from that signer no longer verify.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_trusted_signer(
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<TrustedSignerView> {
    Ok(trust_remove(Some(state.key_dir.as_path()), &name)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc_error::IpcError;

    #[test]
    fn an_unreadable_package_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("not-a-zip.zip");
        std::fs::write(&bad, b"not a zip").unwrap();
        let trust = TrustRequest {
            expected_key: None,
            key_dir: Some(dir.path()),
        };
        let e = IpcError::from(check_package(&bad, &trust).unwrap_err());
        assert!(e.message.contains("not-a-zip.zip"), "{}", e.message);
    }
}
