//! The 3PAO's Ed25519 signing key: deriving it from a seed and keeping it in a local key store.
//!
//! Invariants:
//! - Randomness is the caller's: a key is only ever made from a 32-byte seed passed in.
//! - An existing key file is never replaced. A file that does not parse is an error naming it.
//! - A new key file is written whole or not at all (temporary file, fsync, rename) and, on Unix,
//!   is readable by its owner only (0600) inside a directory created 0700.
//!
//! The key file is three lines of text, so a person can see what it is:
//!
//! ```text
//! assay-ed25519-signing-key-v1
//! secret: <64 hex digits: the 32-byte Ed25519 seed>
//! public: <64 hex digits: the public key, a check that the secret was not damaged>
//! ```

#[cfg(test)]
mod tests;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};

use crate::manifest::decode_hex_32;
use crate::Error;

/// Name of the key file inside the key-store directory.
pub const KEY_FILE_NAME: &str = "package-signing.key";
/// First line of every key file.
const KEY_FILE_HEADER: &str = "assay-ed25519-signing-key-v1";
/// A key file is about 170 bytes; anything much larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 4096;

/// A public key as people compare it out of band.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicKeyInfo {
    /// Lowercase hex of the 32-byte Ed25519 public key.
    pub public_key_hex: String,
    /// The first 16 bytes of SHA-256 of the public key as colon-separated lowercase hex pairs,
    /// short enough to read over the phone.
    pub fingerprint: String,
}

/// The signing key in the local key store, as [`load_or_create_key`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyInfo {
    /// Lowercase hex of the 32-byte Ed25519 public key.
    pub public_key_hex: String,
    /// See [`PublicKeyInfo::fingerprint`].
    pub fingerprint: String,
    /// The key file.
    pub path: PathBuf,
    /// Whether this call created the key (false: an existing key was loaded).
    pub created: bool,
}

/// Makes the signing key for a 32-byte seed; the same seed always gives the same key. For demos
/// and tests; real keys come from [`load_or_create_key`] with a seed from the OS random source.
pub fn key_from_seed(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// Describes the public half of a signing key.
pub fn describe_public_key(key: &SigningKey) -> PublicKeyInfo {
    let public = key.verifying_key().to_bytes();
    PublicKeyInfo {
        public_key_hex: hex::encode(public),
        fingerprint: fingerprint_of(&public),
    }
}

/// The fingerprint of a public key (see [`PublicKeyInfo::fingerprint`]).
pub(crate) fn fingerprint_of(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    let pairs: Vec<String> = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    pairs.join(":")
}

/// Loads the signing key kept in `dir`, or creates it from `seed()` when there is none.
///
/// `seed` is called only when a key is created; pass a closure drawing 32 bytes from the OS
/// random source. `dir` (and missing parents) is created with mode 0700 on Unix; an existing
/// directory's mode is left alone. A key file that is not one this crate wrote is
/// [`Error::CorruptKey`] and stays untouched.
pub fn load_or_create_key(
    dir: &Path,
    seed: impl FnOnce() -> [u8; 32],
) -> Result<(SigningKey, KeyInfo), Error> {
    create_private_dir(dir)?;
    let path = dir.join(KEY_FILE_NAME);
    match fs::symlink_metadata(&path) {
        Ok(_) => {
            let key = read_key_file(&path)?;
            let info = describe_key_file(&key, path, false);
            Ok((key, info))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = key_from_seed(seed());
            write_private_file(dir, &path, render_key_file(&key).as_bytes())?;
            let info = describe_key_file(&key, path, true);
            Ok((key, info))
        }
        Err(source) => Err(Error::Io {
            action: "checking key file",
            path,
            source,
        }),
    }
}

fn describe_key_file(key: &SigningKey, path: PathBuf, created: bool) -> KeyInfo {
    let public = describe_public_key(key);
    KeyInfo {
        public_key_hex: public.public_key_hex,
        fingerprint: public.fingerprint,
        path,
        created,
    }
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| Error::Io {
        action: "creating key directory",
        path: dir.to_path_buf(),
        source,
    })
}

/// Renders the key file's text.
fn render_key_file(key: &SigningKey) -> String {
    format!(
        "{KEY_FILE_HEADER}\nsecret: {}\npublic: {}\n",
        hex::encode(key.to_bytes()),
        hex::encode(key.verifying_key().to_bytes())
    )
}

/// Parses a key file's text; the error says what is wrong.
fn parse_key_file(text: &str) -> Result<SigningKey, String> {
    let mut lines = text.lines();
    if lines.next() != Some(KEY_FILE_HEADER) {
        return Err(format!("the first line is not {KEY_FILE_HEADER:?}"));
    }
    let secret = lines
        .next()
        .and_then(|l| l.strip_prefix("secret: "))
        .ok_or("the second line is not \"secret: <hex>\"")?;
    let public = lines
        .next()
        .and_then(|l| l.strip_prefix("public: "))
        .ok_or("the third line is not \"public: <hex>\"")?;
    if lines.any(|l| !l.trim().is_empty()) {
        return Err("there is text after the public key line".to_owned());
    }
    let secret = decode_hex_32(secret).ok_or("the secret key is not 64 lowercase hex digits")?;
    let public = decode_hex_32(public).ok_or("the public key is not 64 lowercase hex digits")?;
    let key = key_from_seed(secret);
    if key.verifying_key().to_bytes() != public {
        return Err(
            "the public key does not belong to the secret key (the file was altered)".into(),
        );
    }
    Ok(key)
}

/// Refuses a private file (the key, the trust file) that is a symbolic link, not a regular
/// file, or open to group or others: whoever can read the key can sign as the 3PAO, and whoever
/// can change the trust file decides whom `verify` trusts.
pub(crate) fn check_private_file(path: &Path, what: &'static str) -> Result<(), Error> {
    let metadata = fs::symlink_metadata(path).map_err(|source| Error::Io {
        action: "checking private file",
        path: path.to_path_buf(),
        source,
    })?;
    let insecure = |problem: String| Error::InsecureFile {
        what,
        path: path.to_path_buf(),
        problem,
    };
    if metadata.file_type().is_symlink() {
        return Err(insecure(
            "it is a symbolic link; replace it with the file itself (mode 600)".to_owned(),
        ));
    }
    if !metadata.is_file() {
        return Err(insecure("it is not a regular file".to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(insecure(format!(
                "group or others may access it (mode {mode:o}); run chmod 600 {}",
                path.display()
            )));
        }
    }
    Ok(())
}

fn read_key_file(path: &Path) -> Result<SigningKey, Error> {
    check_private_file(path, "key file")?;
    let io_error = |source| Error::Io {
        action: "reading key file",
        path: path.to_path_buf(),
        source,
    };
    let metadata = fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        return Err(corrupt(path, "it is not a regular file"));
    }
    if metadata.len() > MAX_KEY_FILE_BYTES {
        return Err(corrupt(path, "it is far larger than a key file"));
    }
    let bytes = fs::read(path).map_err(io_error)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt(path, "it is not UTF-8 text"))?;
    parse_key_file(text).map_err(|problem| corrupt(path, &problem))
}

fn corrupt(path: &Path, problem: &str) -> Error {
    Error::CorruptKey {
        path: path.to_path_buf(),
        problem: problem.to_owned(),
    }
}

/// Loads the signing key kept in `dir` without creating one: `None` when there is no key file.
pub fn load_key(dir: &Path) -> Result<Option<(SigningKey, KeyInfo)>, Error> {
    let path = dir.join(KEY_FILE_NAME);
    match fs::symlink_metadata(&path) {
        Ok(_) => {
            let key = read_key_file(&path)?;
            let info = describe_key_file(&key, path, false);
            Ok(Some((key, info)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            action: "checking key file",
            path,
            source,
        }),
    }
}

/// Writes `bytes` to `path` atomically and privately (0600): a temporary file beside it,
/// created fresh (never through a leftover or a planted link), flushed, renamed over `path`,
/// then the folder flushed so the rename survives a crash. The key file and the trust file
/// are written this way.
pub(crate) fn write_private_file(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp"));
    let io_error = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    };
    match fs::remove_file(&temp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(io_error("removing stale temporary file", &temp)(source)),
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temp)
        .map_err(io_error("creating temporary file", &temp))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(source) = written {
        let _ = fs::remove_file(&temp);
        return Err(io_error("writing temporary file", &temp)(source));
    }
    if let Err(source) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(io_error("moving the new file into place", path)(source));
    }
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("flushing the folder", dir))?;
    Ok(())
}

/// Signs `message` with `key` (Ed25519) and returns the signature as lowercase hex.
pub fn sign_message(key: &SigningKey, message: &[u8]) -> String {
    use ed25519_dalek::Signer;
    hex::encode(key.sign(message).to_bytes())
}

/// True when `signature_hex` is a valid Ed25519 signature of `message` by `public_key_hex`
/// (strict verification: weak keys and malleable signatures are refused).
pub fn verify_message(public_key_hex: &str, message: &[u8], signature_hex: &str) -> bool {
    let Some(public) = decode_hex_32(public_key_hex) else {
        return false;
    };
    let mut signature = [0u8; 64];
    if signature_hex.len() != 128
        || signature_hex.bytes().any(|b| b.is_ascii_uppercase())
        || hex::decode_to_slice(signature_hex, &mut signature).is_err()
    {
        return false;
    }
    ed25519_dalek::VerifyingKey::from_bytes(&public)
        .and_then(|k| k.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&signature)))
        .is_ok()
}

/// The fingerprint of a public key given as 64 lowercase hex digits, if it is one.
pub fn fingerprint_of_hex(public_key_hex: &str) -> Option<String> {
    decode_hex_32(public_key_hex).map(|k| fingerprint_of(&k))
}
