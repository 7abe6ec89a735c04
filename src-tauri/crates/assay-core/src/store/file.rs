//! The engagement file before SQLite touches it: its header, read with plain file IO, and the
//! read-only open.
//!
//! Invariant: a file that is not an Assay engagement, is visibly truncated, or comes from a
//! newer Assay is refused from its first 100 bytes, before SQLite opens it, so refusing a file
//! never changes it and never leaves `-wal`/`-shm` files beside it.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::APPLICATION_ID;
use crate::error::{Error, Result};

/// The SQLite file header's magic string.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the first 100 bytes of an engagement file say.
#[derive(Debug, Clone, Copy)]
pub(super) struct Header {
    /// `PRAGMA user_version` as of the last checkpoint.
    pub user_version: u32,
    /// A `-wal` file with content exists: the header may be older than the database.
    pub wal_pending: bool,
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_be_bytes)
}

/// `FILE-wal` (or `-shm`) beside `path`.
pub(super) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Reads and checks the header: refuses a missing or non-regular path, an empty or foreign
/// file, a file whose header says it is longer than it is, and a newer schema.
pub(super) fn check_header(path: &Path) -> Result<Header> {
    let meta = std::fs::metadata(path).map_err(|_| Error::FileNotFound {
        path: path.to_owned(),
    })?;
    if !meta.is_file() {
        return Err(Error::FileNotFound {
            path: path.to_owned(),
        });
    }
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked on the handle too: a name swapped for a pipe after the check is not read.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(Error::FileNotFound {
            path: path.to_owned(),
        });
    }
    let mut bytes = Vec::with_capacity(100);
    file.take(100).read_to_end(&mut bytes).map_err(io)?;
    let not_ours = || Error::NotAnEngagement {
        path: path.to_owned(),
    };
    if !bytes.starts_with(MAGIC) {
        return Err(not_ours());
    }
    if bytes.len() < 100 {
        return Err(Error::Damaged {
            path: path.to_owned(),
            detail: format!("it ends after {} bytes, inside its header", bytes.len()),
        });
    }
    if be32(&bytes, 68) as i32 != APPLICATION_ID {
        return Err(not_ours());
    }
    let wal_pending = std::fs::metadata(side_file(path, "-wal")).is_ok_and(|m| m.len() > 0);
    let header = Header {
        user_version: be32(&bytes, 60),
        wal_pending,
    };
    if header.user_version > super::SCHEMA_VERSION {
        return Err(Error::EngagementTooNew {
            path: path.to_owned(),
            found: header.user_version,
            supported: super::SCHEMA_VERSION,
        });
    }
    if !wal_pending {
        check_length(path, &bytes, meta.len())?;
    }
    Ok(header)
}

/// The header records the database's size in pages (valid when the "version valid for" number
/// equals the change counter); a file shorter than that was truncated.
fn check_length(path: &Path, header: &[u8], len: u64) -> Result<()> {
    let page_size = match u32::from(u16::from_be_bytes([header[16], header[17]])) {
        1 => 65_536,
        n => n,
    };
    let pages = be32(header, 28);
    let valid = be32(header, 92) == be32(header, 24);
    let expected = u64::from(pages) * u64::from(page_size);
    if valid && pages > 0 && len < expected {
        return Err(Error::Damaged {
            path: path.to_owned(),
            detail: format!(
                "it is {len} bytes long but its header records {expected}; it was cut short"
            ),
        });
    }
    Ok(())
}

/// Opens `path` read-only. First as SQLite's ordinary read-only connection (which shares the
/// WAL with writers and may create the empty `-wal`/`-shm` coordination files beside it); when
/// the folder cannot take those files and no `-wal` exists, as immutable: nobody can be
/// writing a WAL file whose `-wal` cannot be created. A `-wal` with content that cannot be read
/// this way is refused rather than skipped, since skipping it would show older data.
pub(super) fn open_read_only(path: &Path, header: &Header) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let first = Connection::open_with_flags(path, flags).and_then(|conn| {
        conn.busy_timeout(super::lock_wait())?;
        // Opening is lazy: this read is where the WAL is opened.
        conn.pragma_query_value(None, "application_id", |r| r.get::<_, i32>(0))?;
        Ok(conn)
    });
    let err = match first {
        Ok(conn) => return Ok(conn),
        Err(e) => e,
    };
    let cannot_share = matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    );
    if !cannot_share {
        return Err(Error::from(err).in_file(path));
    }
    if header.wal_pending {
        return Err(Error::Io {
            path: path.to_owned(),
            source: std::io::Error::other(
                "its -wal file holds changes that cannot be read where the folder is read-only; copy the file with its -wal file to a writable folder and open it there",
            ),
        });
    }
    let uri = format!("file:{}?immutable=1", uri_path(path)?);
    let conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
        .map_err(|e| Error::from(e).in_file(path))?;
    conn.busy_timeout(super::lock_wait())?;
    Ok(conn)
}

/// `path` made absolute and percent-encoded for a `file:` URI.
fn uri_path(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut out = String::new();
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_escape_what_a_uri_would_read() {
        let p = uri_path(Path::new("/tmp/a b?c#d%e.assay")).unwrap();
        assert_eq!(p, "/tmp/a%20b%3Fc%23d%25e.assay");
    }

    #[test]
    fn the_length_check_needs_a_valid_size_field() {
        let mut header = vec![0u8; 100];
        header[16..18].copy_from_slice(&4096u16.to_be_bytes());
        header[28..32].copy_from_slice(&10u32.to_be_bytes());
        // Change counter 7, version-valid-for 7: the size is valid; 10 pages need 40960 bytes.
        header[24..28].copy_from_slice(&7u32.to_be_bytes());
        header[92..96].copy_from_slice(&7u32.to_be_bytes());
        let path = Path::new("x.assay");
        assert!(check_length(path, &header, 40_960).is_ok());
        let err = check_length(path, &header, 40_959).unwrap_err();
        assert!(err.to_string().contains("cut short"), "{err}");
        // A stale size field (counter moved on) proves nothing.
        header[92..96].copy_from_slice(&6u32.to_be_bytes());
        assert!(check_length(path, &header, 100).is_ok());
    }
}
