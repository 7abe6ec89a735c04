//! Writing a package.
//!
//! Invariant: the output is a pure function of (files, meta, key) and the versions of this crate
//! and its zip/deflate dependencies. Entry order is fixed: `manifest.json`, then `manifest.sig`,
//! then every file sorted by path (byte order), so a reader can check the signature before
//! touching any file. The archive is written with a placeholder signature, then its bytes are
//! hashed as [`crate::archive`] says and the signature and its CRC-32 fields are written over
//! the placeholder, so the signature covers every byte of the archive. Every entry gets the DOS timestamp of `meta.created_at` in UTC, Unix mode
//! 0644, "made by" Unix, and no extra fields (zip64 sizes only for files of 4 GiB or more).
//! Formats that are already compressed (PDF, Office, images, archives) are stored; everything
//! else is deflated at level 6.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};

use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::archive::{self, SIGNATURE_LEN};
use crate::key::describe_public_key;
use crate::manifest::{render_manifest, ManifestFile, PackageMeta, MANIFEST_NAME, SIGNATURE_NAME};
use crate::path::{check_path, fold_path};
use crate::Error;

/// Extensions (lowercase) of formats that are already compressed: deflating them again costs
/// time and saves nothing. PDF streams are usually Flate-compressed, and Office files are zips.
const STORED_EXTENSIONS: &[&str] = &[
    "pdf", "zip", "xlsx", "xlsm", "docx", "pptx", "odt", "ods", "png", "jpg", "jpeg", "gif",
    "webp", "gz", "tgz", "bz2", "xz", "zst", "7z", "mp4", "mov", "webm",
];

/// Files at or above this size get zip64 size fields; below it none, so small packages carry no
/// zip64 extra fields at all.
const ZIP64_THRESHOLD: usize = 0xFFFF_0000;

/// One file to put in a package.
#[derive(Clone)]
pub struct PackageFile<'a> {
    /// Path inside the zip: relative, forward slashes, e.g. `SAR/Northwind-SAR.pdf`.
    pub path: String,
    /// The file's contents, borrowed when the caller already holds them.
    pub bytes: Cow<'a, [u8]>,
}

impl<'a> PackageFile<'a> {
    /// A file at `path` with `bytes` (a `&[u8]` borrows, a `Vec<u8>` moves in).
    pub fn new(path: impl Into<String>, bytes: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

impl std::fmt::Debug for PackageFile<'_> {
    // The contents can be many megabytes: show their size, not their bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackageFile")
            .field("path", &self.path)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Builds a signed package in memory and returns the zip bytes.
///
/// Fails with an error naming the path when a path is unsafe ([`Error::UnsafePath`]), reserved
/// ([`Error::ReservedPath`]) or repeated ([`Error::DuplicatePath`]), and when `meta.created_at`
/// is not an RFC 3339 time between 1980 and 2107 ([`Error::InvalidCreatedAt`]).
pub fn build_package(
    files: &[PackageFile<'_>],
    meta: &PackageMeta,
    key: &SigningKey,
) -> Result<Vec<u8>, Error> {
    let capacity = files.iter().map(|f| f.bytes.len()).sum::<usize>() + 64 * 1024;
    let cursor = write_package(files, meta, key, Cursor::new(Vec::with_capacity(capacity)))?;
    Ok(cursor.into_inner())
}

/// Builds a signed package into `out` (a file opened for reading and writing, say) and returns
/// `out`; the bytes written are exactly those [`build_package`] returns. `out` is read back once
/// to compute what the signature covers.
pub fn write_package<W: Read + Write + Seek>(
    files: &[PackageFile<'_>],
    meta: &PackageMeta,
    key: &SigningKey,
    out: W,
) -> Result<W, Error> {
    let timestamp = zip_timestamp(&meta.created_at)?;
    let order = check_files(files)?;

    let listed: Vec<ManifestFile> = order
        .iter()
        .map(|&i| ManifestFile {
            path: files[i].path.clone(),
            size: files[i].bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&files[i].bytes)),
        })
        .collect();
    let manifest = render_manifest(meta, listed, &describe_public_key(key));
    let placeholder = [b'0'; SIGNATURE_LEN as usize];

    let base = SimpleFileOptions::DEFAULT
        .last_modified_time(timestamp)
        .system(System::Unix)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(out);
    write_entry(&mut zip, MANIFEST_NAME, &manifest, base)?;
    write_entry(&mut zip, SIGNATURE_NAME, &placeholder, base)?;
    for &i in &order {
        write_entry(&mut zip, &files[i].path, &files[i].bytes, base)?;
    }
    let out = zip.finish().map_err(|source| Error::Write {
        entry: "central directory".to_owned(),
        source,
    })?;
    sign_archive(out, key)
}

/// Computes the archive's signed digest and writes the signature and its CRC-32 over the
/// placeholder entry.
fn sign_archive<W: Read + Write + Seek>(mut out: W, key: &SigningKey) -> Result<W, Error> {
    let failed = |problem: String| Error::Write {
        entry: SIGNATURE_NAME.to_owned(),
        source: zip::result::ZipError::Io(std::io::Error::other(problem)),
    };
    let (header, central) = {
        let archive = zip::ZipArchive::new(&mut out).map_err(|source| Error::Write {
            entry: SIGNATURE_NAME.to_owned(),
            source,
        })?;
        let entry = archive.by_index_data(1).map_err(|source| Error::Write {
            entry: SIGNATURE_NAME.to_owned(),
            source,
        })?;
        (entry.header_start(), entry.central_header_start())
    };
    let layout = archive::locate(&mut out, header, central).map_err(failed)?;
    let digest = archive::digest(&mut out, &layout).map_err(failed)?;
    let signature = archive::signature_text(&key.sign(&archive::message(&digest)).to_bytes());
    let crc = crc32fast::hash(signature.as_bytes()).to_le_bytes();
    for (at, bytes) in [
        (layout.data, signature.as_bytes()),
        (layout.local_crc, &crc[..]),
        (layout.central_crc, &crc[..]),
    ] {
        out.seek(SeekFrom::Start(at))
            .and_then(|_| out.write_all(bytes))
            .map_err(|e| failed(e.to_string()))?;
    }
    out.seek(SeekFrom::End(0))
        .and_then(|_| out.flush())
        .map_err(|e| failed(e.to_string()))?;
    Ok(out)
}

/// Checks every path and returns the indices of `files` sorted by path.
fn check_files(files: &[PackageFile<'_>]) -> Result<Vec<usize>, Error> {
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(files.len());
    for file in files {
        check_path(&file.path).map_err(|reason| Error::UnsafePath {
            path: file.path.clone(),
            reason,
        })?;
        let folded = fold_path(&file.path);
        if folded == MANIFEST_NAME || folded == SIGNATURE_NAME {
            return Err(Error::ReservedPath {
                path: file.path.clone(),
            });
        }
        if let Some(other) = seen.insert(folded, &file.path) {
            return Err(Error::DuplicatePath {
                path: file.path.clone(),
                other: other.to_owned(),
            });
        }
    }
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
    Ok(order)
}

fn write_entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    bytes: &[u8],
    base: SimpleFileOptions,
) -> Result<(), Error> {
    // The signature entry is always stored: its bytes are the signature text (see archive.rs).
    let options = if is_stored(path) || path == SIGNATURE_NAME {
        base.compression_method(CompressionMethod::Stored)
    } else {
        base.compression_method(CompressionMethod::Deflated)
            .compression_level(Some(6))
    }
    .large_file(bytes.len() >= ZIP64_THRESHOLD);
    let wrap = |source| Error::Write {
        entry: path.to_owned(),
        source,
    };
    zip.start_file(path, options).map_err(wrap)?;
    zip.write_all(bytes)
        .map_err(|e| wrap(zip::result::ZipError::Io(e)))
}

fn is_stored(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => STORED_EXTENSIONS
            .iter()
            .any(|stored| stored.eq_ignore_ascii_case(ext)),
        None => false,
    }
}

/// The DOS timestamp for `created_at`: its instant in UTC, seconds rounded down to even (DOS
/// time has two-second resolution).
fn zip_timestamp(created_at: &str) -> Result<DateTime, Error> {
    use chrono::{Datelike, Timelike};
    let invalid = |reason: String| Error::InvalidCreatedAt {
        value: created_at.to_owned(),
        reason,
    };
    let instant = chrono::DateTime::parse_from_rfc3339(created_at)
        .map_err(|e| invalid(format!("not an RFC 3339 time ({e})")))?
        .with_timezone(&chrono::Utc);
    let year = u16::try_from(instant.year())
        .ok()
        .filter(|y| (1980..=2107).contains(y))
        .ok_or_else(|| invalid("zip timestamps hold years 1980 to 2107 only".to_owned()))?;
    // Month, day, hour, minute and second come from a valid chrono time, so they fit a u8.
    let part = |v: u32| u8::try_from(v).unwrap_or(0);
    DateTime::from_date_and_time(
        year,
        part(instant.month()),
        part(instant.day()),
        part(instant.hour()),
        part(instant.minute()),
        part(instant.second() - instant.second() % 2),
    )
    .map_err(|e| invalid(format!("not a valid zip timestamp ({e})")))
}

#[cfg(test)]
mod tests {
    use super::{is_stored, zip_timestamp};

    #[test]
    fn stores_already_compressed_formats_and_deflates_the_rest() {
        for (path, stored) in [
            ("SAR/x.pdf", true),
            ("SAR/X.PDF", true),
            ("POAM/poam.xlsx", true),
            ("evidence.zip", true),
            ("img/a.png", true),
            ("oscal/sar.json", false),
            ("notes.txt", false),
            ("pdf", false),
            ("dir.pdf/readme", false),
        ] {
            assert_eq!(is_stored(path), stored, "{path}");
        }
    }

    #[test]
    fn timestamps_come_from_created_at_in_utc() {
        let t = zip_timestamp("2026-11-24T10:30:45+02:00").unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 11, 24, 8, 30, 44),
            "the instant is converted to UTC and seconds rounded down to even"
        );
    }

    #[test]
    fn refuses_times_a_zip_cannot_hold() {
        for value in [
            "yesterday",
            "2026-11-24",
            "1979-12-31T23:59:59Z",
            "2108-01-01T00:00:00Z",
        ] {
            let err = zip_timestamp(value).unwrap_err().to_string();
            assert!(err.contains(value), "{err} should name {value}");
        }
    }
}
