//! Checking a package: signature, manifest and every file.
//!
//! Invariants:
//! - Every problem is collected, none stops the others being found, and each names its file.
//!   Only an archive whose central directory cannot be read at all is an [`Error`].
//! - Hostile archives cost bounded time and memory: nothing is written to disk, entries with
//!   unsafe names or symlink modes are never read, file contents are streamed through SHA-256
//!   and CRC-32 in 64 KiB chunks, and bytes are counted as they inflate, so an entry stops at
//!   the smaller of its declared size and [`Limits::max_entry_bytes`] whatever its header says.
//! - The public key that matters is the one the verifier's caller expects: the manifest names
//!   its own key, so a forger can re-sign with theirs. [`Verification::signer`] exposes it, and
//!   [`verify_package_with_key`] compares it.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use ed25519_dalek::{Signature, VerifyingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::{CompressionMethod, ZipArchive, ZipReadOptions};

use crate::archive::{self, signature_text};
use crate::key::{fingerprint_of, PublicKeyInfo};
use crate::manifest::{
    decode_hex_32, parse_manifest, Manifest, ManifestFile, PackageMeta, MANIFEST_NAME,
    SIGNATURE_NAME,
};
use crate::path::check_path;
use crate::Error;

/// Largest `manifest.json` read (about 100,000 files' worth).
const MAX_MANIFEST_BYTES: u64 = 32 * 1024 * 1024;
/// Largest `manifest.sig` read; a real one is 129 bytes.
const MAX_SIGNATURE_BYTES: u64 = 1024;
/// Read buffer for streaming entries through the hashes.
const CHUNK: usize = 64 * 1024;

/// Resource limits for verifying a package from an untrusted source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// An entry whose declared or inflated size exceeds this is not read past it.
    pub max_entry_bytes: u64,
    /// Reading stops once the entries read so far inflate to more than this in total.
    pub max_total_bytes: u64,
    /// An archive with more entries than this is refused.
    pub max_entries: usize,
}

impl Default for Limits {
    /// 4 GiB per entry, 64 GiB in all, 100,000 entries: far above a real FedRAMP package.
    fn default() -> Self {
        Self {
            max_entry_bytes: 4 * 1024 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024 * 1024,
            max_entries: 100_000,
        }
    }
}

/// How to verify.
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOptions<'a> {
    /// The signer's public key as the caller knows it out of band (64 hex digits; colons and
    /// whitespace are ignored). When set, a package signed by any other key has
    /// [`Problem::UnexpectedSigner`].
    pub expected_public_key_hex: Option<&'a str>,
    /// Resource limits.
    pub limits: Limits,
}

/// The outcome of checking a package.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The key the manifest names (whether or not the signature checks out), so a person can
    /// compare its fingerprint with the one the 3PAO gave them. `None` without a usable manifest.
    pub signer: Option<PublicKeyInfo>,
    /// The package metadata from the manifest. `None` without a usable manifest.
    pub meta: Option<PackageMeta>,
    /// How many files the manifest lists (0 without a usable manifest).
    pub file_count: usize,
    /// Every problem found, in a stable order: archive, manifest and signature, then files in
    /// manifest order, then unlisted entries by name.
    pub problems: Vec<Problem>,
}

impl Verification {
    /// True when nothing is wrong: the signature is good, every listed file is present and
    /// intact, and nothing else is in the archive.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing wrong with a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// There is no `manifest.json`, so nothing can be checked.
    ManifestMissing,
    /// `manifest.json` is not a manifest this version reads.
    ManifestMalformed {
        /// What is wrong, naming the field or line.
        detail: String,
    },
    /// There is no `manifest.sig`.
    SignatureMissing,
    /// `manifest.sig` is not one line of 128 hex digits.
    SignatureMalformed {
        /// What is wrong.
        detail: String,
    },
    /// The signature does not verify: some byte of the archive (the manifest, a file, a header,
    /// the central directory) was changed after signing, or it was signed by a key other than
    /// the one the manifest names.
    SignatureInvalid {
        /// Fingerprint of the key the manifest names.
        fingerprint: String,
    },
    /// The manifest names a key other than the one the caller expects.
    UnexpectedSigner {
        /// Fingerprint of the key the caller expects.
        expected_fingerprint: String,
        /// Fingerprint of the key the manifest names.
        found_fingerprint: String,
    },
    /// The archive has more entries than [`Limits::max_entries`]; nothing was read.
    TooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The central directory lists some name more than once (only one of them can be checked).
    DuplicateEntries,
    /// The archive is not exactly the zip Assay writes: bytes before its first entry, bytes
    /// after its end record, or an archive comment. None of them is covered by the manifest,
    /// so a package carrying them was altered after it was built.
    ArchiveFraming {
        /// What is there that should not be.
        detail: String,
    },
    /// An entry's name could escape the extraction folder, or it is a symbolic link; it was not
    /// read.
    UnsafeEntry {
        /// The entry name (lossily decoded if not UTF-8).
        name: String,
        /// Why it is unsafe.
        reason: String,
    },
    /// A file the manifest lists is not in the archive.
    FileMissing {
        /// The path.
        path: String,
    },
    /// An entry in the archive is not in the manifest.
    FileUnlisted {
        /// The path.
        path: String,
    },
    /// A file's size or SHA-256 differs from the manifest.
    FileModified {
        /// The path.
        path: String,
        /// Size in the manifest.
        expected_size: u64,
        /// Size read from the archive.
        actual_size: u64,
        /// SHA-256 in the manifest.
        expected_sha256: String,
        /// SHA-256 of what the archive holds.
        actual_sha256: String,
    },
    /// A file could not be read back intact (corrupt data, a CRC-32 or size that disagrees with
    /// its zip header, inconsistent headers, an unsupported compression method or encryption).
    FileUnreadable {
        /// The path.
        path: String,
        /// What went wrong.
        detail: String,
    },
    /// A file declares or inflates to more than [`Limits::max_entry_bytes`]; it was not read
    /// past the limit.
    FileTooLarge {
        /// The path.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The files read so far inflate to more than [`Limits::max_total_bytes`]; the files named
    /// here were not checked.
    TotalTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// Listed files left unchecked.
        unchecked: Vec<String>,
    },
}

impl Problem {
    /// The file or entry the problem is about, if it is about one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Problem::ManifestMissing | Problem::ManifestMalformed { .. } => Some(MANIFEST_NAME),
            Problem::SignatureMissing
            | Problem::SignatureMalformed { .. }
            | Problem::SignatureInvalid { .. }
            | Problem::UnexpectedSigner { .. } => Some(SIGNATURE_NAME),
            Problem::TooManyEntries { .. }
            | Problem::DuplicateEntries
            | Problem::ArchiveFraming { .. }
            | Problem::TotalTooLarge { .. } => None,
            Problem::UnsafeEntry { name, .. } => Some(name),
            Problem::FileMissing { path }
            | Problem::FileUnlisted { path }
            | Problem::FileModified { path, .. }
            | Problem::FileUnreadable { path, .. }
            | Problem::FileTooLarge { path, .. } => Some(path),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ManifestMissing => write!(f, "{MANIFEST_NAME}: missing"),
            Problem::ManifestMalformed { detail } => write!(f, "{MANIFEST_NAME}: {detail}"),
            Problem::SignatureMissing => write!(f, "{SIGNATURE_NAME}: missing"),
            Problem::SignatureMalformed { detail } => write!(f, "{SIGNATURE_NAME}: {detail}"),
            Problem::SignatureInvalid { fingerprint } => write!(
                f,
                "{SIGNATURE_NAME}: the signature does not match the archive under the key \
                 {MANIFEST_NAME} names ({fingerprint}): the archive was altered after signing \
                 or signed with another key"
            ),
            Problem::UnexpectedSigner {
                expected_fingerprint,
                found_fingerprint,
            } => write!(
                f,
                "{SIGNATURE_NAME}: signed by key {found_fingerprint}, expected key \
                 {expected_fingerprint}"
            ),
            Problem::TooManyEntries { count, limit } => write!(
                f,
                "the archive has {count} entries, more than the limit of {limit}; not checked"
            ),
            Problem::DuplicateEntries => {
                write!(f, "the archive lists the same file name more than once")
            }
            Problem::ArchiveFraming { detail } => write!(
                f,
                "the archive was altered after it was built: {detail} (not covered by the \
                 signed manifest)"
            ),
            Problem::UnsafeEntry { name, reason } => {
                write!(f, "{name:?}: unsafe entry, not read: {reason}")
            }
            Problem::FileMissing { path } => {
                write!(f, "{path}: listed in the manifest but missing")
            }
            Problem::FileUnlisted { path } => {
                write!(f, "{path}: in the archive but not listed in the manifest")
            }
            Problem::FileModified {
                path,
                expected_size,
                actual_size,
                expected_sha256,
                actual_sha256,
            } => {
                if expected_size == actual_size {
                    write!(
                        f,
                        "{path}: contents changed (sha256 {actual_sha256}, manifest says \
                         {expected_sha256})"
                    )
                } else {
                    write!(
                        f,
                        "{path}: size changed ({actual_size} bytes, manifest says {expected_size})"
                    )
                }
            }
            Problem::FileUnreadable { path, detail } => write!(f, "{path}: unreadable: {detail}"),
            Problem::FileTooLarge { path, limit } => write!(
                f,
                "{path}: larger than the {limit}-byte limit for one file (possible zip bomb), \
                 not read"
            ),
            Problem::TotalTooLarge { limit, unchecked } => write!(
                f,
                "the files inflate to more than the {limit}-byte limit (possible zip bomb); {} \
                 files not checked",
                unchecked.len()
            ),
        }
    }
}

/// Verifies package bytes with default limits, trusting the key the manifest names (compare
/// [`Verification::signer`] with the 3PAO's published fingerprint).
pub fn verify_package(bytes: &[u8]) -> Result<Verification, Error> {
    verify_package_with(Cursor::new(bytes), &VerifyOptions::default())
}

/// Verifies package bytes and also requires the manifest to name `expected_public_key_hex`.
pub fn verify_package_with_key(
    bytes: &[u8],
    expected_public_key_hex: &str,
) -> Result<Verification, Error> {
    let options = VerifyOptions {
        expected_public_key_hex: Some(expected_public_key_hex),
        ..VerifyOptions::default()
    };
    verify_package_with(Cursor::new(bytes), &options)
}

/// Verifies the package file at `path`, reading it in place (it is opened, never extracted).
pub fn verify_package_file(
    path: &Path,
    options: &VerifyOptions<'_>,
) -> Result<Verification, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        action: "opening package",
        path: path.to_path_buf(),
        source,
    })?;
    verify_package_with(std::io::BufReader::new(file), options)
}

/// Verifies a package from any seekable reader.
pub fn verify_package_with<R: Read + Seek>(
    reader: R,
    options: &VerifyOptions<'_>,
) -> Result<Verification, Error> {
    let expected_key = options
        .expected_public_key_hex
        .map(|text| {
            let cleaned: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect::<String>()
                .to_ascii_lowercase();
            decode_hex_32(&cleaned).ok_or_else(|| Error::InvalidExpectedKey {
                value: text.to_owned(),
            })
        })
        .transpose()?;
    let mut reader = reader;
    let framing = end_record_problem(&mut reader);
    let mut archive = ZipArchive::new(reader).map_err(|source| Error::NotAZip { source })?;
    let mut check = Check {
        limits: options.limits,
        problems: Vec::new(),
        total_read: 0,
    };
    check.problems.extend(framing);
    if archive.offset() != 0 {
        check.problems.push(Problem::ArchiveFraming {
            detail: format!("{} bytes before the first entry", archive.offset()),
        });
    }
    if !archive.comment().is_empty() {
        check.problems.push(Problem::ArchiveFraming {
            detail: format!("an archive comment of {} bytes", archive.comment().len()),
        });
    }
    if archive.len() > options.limits.max_entries {
        check.problems.push(Problem::TooManyEntries {
            count: archive.len(),
            limit: options.limits.max_entries,
        });
        return Ok(check.finish_without_manifest());
    }
    if archive.has_duplicate_names() {
        check.problems.push(Problem::DuplicateEntries);
    }
    let entries = index_entries(&archive, &mut check.problems);

    let manifest = read_manifest(&mut archive, &entries, &mut check.problems);
    let Some((manifest, public_key)) = manifest else {
        if !entries.contains_key(SIGNATURE_NAME) {
            check.problems.push(Problem::SignatureMissing);
        }
        return Ok(check.finish_without_manifest());
    };
    let signature = read_signature(&mut archive, &entries);
    let signature_at = check.problems.len();
    if let Some(expected) = expected_key {
        if expected != public_key {
            check.problems.push(Problem::UnexpectedSigner {
                expected_fingerprint: fingerprint_of(&expected),
                found_fingerprint: fingerprint_of(&public_key),
            });
        }
    }
    check.check_files(&mut archive, &entries, &manifest);
    let mut reader = archive.into_inner();
    let problem = match signature {
        Ok(read) => signature_problem(&mut reader, &read, &public_key),
        Err(problem) => Some(problem),
    };
    if let Some(problem) = problem {
        check.problems.insert(signature_at, problem);
    }
    Ok(Verification {
        signer: Some(PublicKeyInfo {
            public_key_hex: hex::encode(public_key),
            fingerprint: fingerprint_of(&public_key),
        }),
        file_count: manifest.files.len(),
        meta: Some(manifest.package),
        problems: check.problems,
    })
}

/// The zip Assay writes ends with its end-of-central-directory record and no comment: the last
/// 22 bytes are that record with a comment length of 0. Anything else (bytes appended after the
/// record, a comment) is reported; a reader that cannot seek leaves the zip reader to complain.
fn end_record_problem<R: Read + Seek>(reader: &mut R) -> Option<Problem> {
    const END_RECORD: usize = 22;
    let len = reader.seek(std::io::SeekFrom::End(0)).ok()?;
    let mut tail = [0u8; END_RECORD];
    let read = len >= END_RECORD as u64
        && reader
            .seek(std::io::SeekFrom::End(-(END_RECORD as i64)))
            .is_ok()
        && reader.read_exact(&mut tail).is_ok();
    reader.seek(std::io::SeekFrom::Start(0)).ok()?;
    if !read {
        return None;
    }
    if tail[..4] != *b"PK\x05\x06" || tail[20..] != [0, 0] {
        return Some(Problem::ArchiveFraming {
            detail: "bytes after the archive's end record, or a comment".into(),
        });
    }
    None
}

/// Entry names that are safe to look at, mapped to their archive index.
type Entries = BTreeMap<String, usize>;

/// Sorts the archive's entries: unsafe ones become problems and are dropped.
fn index_entries<R: Read + Seek>(archive: &ZipArchive<R>, problems: &mut Vec<Problem>) -> Entries {
    let mut entries = Entries::new();
    for index in 0..archive.len() {
        // Indices below len() always exist; nothing to report if one did not.
        let Ok(entry) = archive.by_index_data(index) else {
            continue;
        };
        let raw = entry.name_raw();
        let Ok(name) = std::str::from_utf8(raw) else {
            problems.push(Problem::UnsafeEntry {
                name: String::from_utf8_lossy(raw).into_owned(),
                reason: "the name is not UTF-8".to_owned(),
            });
            continue;
        };
        // A directory entry ("SAR/") is harmless but not part of any package Assay writes.
        let as_file = name.strip_suffix('/').unwrap_or(name);
        if let Err(reason) = check_path(as_file) {
            problems.push(Problem::UnsafeEntry {
                name: name.to_owned(),
                reason: reason.to_owned(),
            });
            continue;
        }
        if entry.is_symlink() {
            problems.push(Problem::UnsafeEntry {
                name: name.to_owned(),
                reason: "it is a symbolic link".to_owned(),
            });
            continue;
        }
        entries.insert(name.to_owned(), index);
    }
    entries
}

/// The parsed manifest and the public key it names.
type ReadManifest = (Manifest, [u8; 32]);

fn read_manifest<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    entries: &Entries,
    problems: &mut Vec<Problem>,
) -> Option<ReadManifest> {
    let Some(&index) = entries.get(MANIFEST_NAME) else {
        problems.push(Problem::ManifestMissing);
        return None;
    };
    let bytes = match read_small(archive, index, MAX_MANIFEST_BYTES) {
        Ok(bytes) => bytes,
        Err(detail) => {
            problems.push(Problem::ManifestMalformed { detail });
            return None;
        }
    };
    match parse_manifest(&bytes) {
        Ok((manifest, key)) => Some((manifest, key)),
        Err(detail) => {
            problems.push(Problem::ManifestMalformed { detail });
            None
        }
    }
}

/// Reads a small entry whole, refusing more than `cap` bytes and a bad CRC-32.
fn read_small<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    cap: u64,
) -> Result<Vec<u8>, String> {
    let mut entry = archive
        .by_index_with_options(
            index,
            ZipReadOptions::new().enforce_header_consistency(true),
        )
        .map_err(|e| format!("cannot be read: {}", describe(&e)))?;
    if entry.size() > cap {
        return Err(format!(
            "declares {} bytes, more than the {cap}-byte limit",
            entry.size()
        ));
    }
    let mut bytes = Vec::new();
    (&mut entry)
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {}", describe(&e)))?;
    if bytes.len() as u64 > cap {
        return Err(format!("larger than the {cap}-byte limit"));
    }
    Ok(bytes)
}

/// `manifest.sig` as read: the signature and where its entry sits.
struct ReadSignature {
    signature: [u8; 64],
    header_start: u64,
    central_header_start: u64,
}

/// Reads `manifest.sig`: it must be exactly the canonical text of one Ed25519 signature (128
/// lowercase hex digits and a newline), since its bytes are left out of what it signs.
fn read_signature<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    entries: &Entries,
) -> Result<ReadSignature, Problem> {
    let Some(&index) = entries.get(SIGNATURE_NAME) else {
        return Err(Problem::SignatureMissing);
    };
    let malformed = |detail: &str| Problem::SignatureMalformed {
        detail: detail.to_owned(),
    };
    let (header_start, central_header_start) = archive
        .by_index_data(index)
        .map(|e| (e.header_start(), e.central_header_start()))
        .map_err(|e| malformed(&describe(&e)))?;
    let bytes = read_small(archive, index, MAX_SIGNATURE_BYTES).map_err(|d| malformed(&d))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(malformed("not UTF-8 text"));
    };
    let mut signature = [0u8; 64];
    if hex::decode_to_slice(text.trim(), &mut signature).is_err()
        || signature_text(&signature) != text
    {
        return Err(malformed(
            "not exactly one line of 128 lowercase hex digits",
        ));
    }
    Ok(ReadSignature {
        signature,
        header_start,
        central_header_start,
    })
}

/// What is wrong with the signature, if anything: it must be an Ed25519 signature by
/// `public_key` of the archive's digest (see [`crate::archive`]), and the signature entry's two
/// CRC-32 fields, which the digest leaves out, must match its text.
fn signature_problem<R: Read + Seek>(
    reader: &mut R,
    read: &ReadSignature,
    public_key: &[u8; 32],
) -> Option<Problem> {
    let malformed = |detail: String| Some(Problem::SignatureMalformed { detail });
    let layout = match archive::locate(reader, read.header_start, read.central_header_start) {
        Ok(layout) => layout,
        Err(detail) => return malformed(detail),
    };
    let crc = crc32fast::hash(signature_text(&read.signature).as_bytes());
    match archive::stored_crcs(reader, &layout) {
        Ok(stored) if stored == [crc, crc] => {}
        Ok(_) => return malformed("its CRC-32 fields do not match its text".to_owned()),
        Err(detail) => return malformed(detail),
    }
    let digest = match archive::digest(reader, &layout) {
        Ok(digest) => digest,
        Err(detail) => return malformed(detail),
    };
    // verify_strict also refuses weak keys and malleable signatures.
    let verified = VerifyingKey::from_bytes(public_key).and_then(|key| {
        key.verify_strict(
            &archive::message(&digest),
            &Signature::from_bytes(&read.signature),
        )
    });
    verified.is_err().then(|| Problem::SignatureInvalid {
        fingerprint: fingerprint_of(public_key),
    })
}

/// A zip or I/O error as a problem detail: the zip crate capitalises its messages, problem
/// details are lowercase like every other message in Assay.
fn describe(error: &dyn fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Accumulates problems and the running total of inflated bytes.
struct Check {
    limits: Limits,
    problems: Vec<Problem>,
    total_read: u64,
}

impl Check {
    /// The outcome when no usable manifest was found.
    fn finish_without_manifest(self) -> Verification {
        Verification {
            signer: None,
            meta: None,
            file_count: 0,
            problems: self.problems,
        }
    }

    fn check_files<R: Read + Seek>(
        &mut self,
        archive: &mut ZipArchive<R>,
        entries: &Entries,
        manifest: &Manifest,
    ) {
        let mut listed: HashSet<&str> = HashSet::with_capacity(manifest.files.len());
        let mut unchecked = Vec::new();
        for file in &manifest.files {
            listed.insert(&file.path);
            let Some(&index) = entries.get(&file.path) else {
                self.problems.push(Problem::FileMissing {
                    path: file.path.clone(),
                });
                continue;
            };
            if self.total_read > self.limits.max_total_bytes {
                unchecked.push(file.path.clone());
                continue;
            }
            if let Some(problem) = self.check_file(archive, index, file) {
                self.problems.push(problem);
            }
        }
        if !unchecked.is_empty() {
            self.problems.push(Problem::TotalTooLarge {
                limit: self.limits.max_total_bytes,
                unchecked,
            });
        }
        for name in entries.keys() {
            let name = name.as_str();
            if name != MANIFEST_NAME && name != SIGNATURE_NAME && !listed.contains(name) {
                self.problems.push(Problem::FileUnlisted {
                    path: name.to_owned(),
                });
            }
        }
    }

    /// Streams one listed file through SHA-256 and CRC-32, never past its declared size or
    /// the per-entry limit, and returns what is wrong with it, if anything.
    fn check_file<R: Read + Seek>(
        &mut self,
        archive: &mut ZipArchive<R>,
        index: usize,
        file: &ManifestFile,
    ) -> Option<Problem> {
        let path = file.path.clone();
        let unreadable = |detail: String| Problem::FileUnreadable {
            path: file.path.clone(),
            detail,
        };
        let limit = self.limits.max_entry_bytes;
        // The CRC is checked below, by us, so a changed byte is reported with its hashes
        // instead of as an opaque read error.
        let options = ZipReadOptions::new()
            .enforce_header_consistency(true)
            .ignore_crc32(true);
        let mut entry = match archive.by_index_with_options(index, options) {
            Ok(entry) => entry,
            Err(e) => return Some(unreadable(describe(&e))),
        };
        if entry.encrypted() {
            return Some(unreadable("the entry is encrypted".to_owned()));
        }
        let method = entry.compression();
        if method != CompressionMethod::Stored && method != CompressionMethod::Deflated {
            return Some(unreadable(format!(
                "unsupported compression method {method}"
            )));
        }
        let declared = entry.size();
        if declared > limit {
            return Some(Problem::FileTooLarge { path, limit });
        }
        let header_crc = entry.crc32();

        let mut sha = Sha256::new();
        let mut crc = crc32fast::Hasher::new();
        let mut read: u64 = 0;
        let mut buffer = vec![0u8; CHUNK];
        // One byte past the declared size is enough to know the header lied.
        let mut bounded = (&mut entry).take(declared + 1);
        loop {
            let n = match bounded.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(unreadable(describe(&e))),
            };
            let chunk = &buffer[..n];
            read += n as u64;
            self.total_read += n as u64;
            sha.update(chunk);
            crc.update(chunk);
        }
        if read > declared {
            return Some(unreadable(format!(
                "inflates past its declared size of {declared} bytes (possible zip bomb)"
            )));
        }
        let actual_sha256 = hex::encode(sha.finalize());
        if read != file.size || actual_sha256 != file.sha256 {
            return Some(Problem::FileModified {
                path,
                expected_size: file.size,
                actual_size: read,
                expected_sha256: file.sha256.clone(),
                actual_sha256,
            });
        }
        if crc.finalize() != header_crc {
            return Some(unreadable(
                "its CRC-32 does not match the zip header (the archive is damaged)".to_owned(),
            ));
        }
        None
    }
}

/// Reads one entry of the package at `path` whole, at most `cap` bytes; `None` when there is no
/// such entry or it is larger. For callers that check a package's contents after
/// [`verify_package_file`] found it intact.
pub fn read_package_entry(path: &Path, name: &str, cap: u64) -> Result<Option<Vec<u8>>, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        action: "opening package",
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|source| Error::NotAZip { source })?;
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    Ok(read_small(&mut archive, index, cap).ok())
}
