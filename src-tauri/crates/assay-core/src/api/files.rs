//! Writing the files a user asked for (exports, packages), decided once for the CLI and the app.
//!
//! Invariant: an output file appears whole or not at all. The bytes go to a temporary file in
//! the same folder (so the rename cannot cross file systems), are synced, and the temporary file
//! is renamed over the target; on any failure the temporary file is removed and the error names
//! the file the user asked for.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Opens a file the user named for reading, refusing anything that is not a regular file: a
/// folder, a named pipe (which would block forever), a device such as `/dev/zero` (which never
/// ends) or a socket. The kind is checked before opening (opening a FIFO blocks) and again on
/// the opened handle, so a swap between the two is caught too.
pub fn open_regular(path: &Path) -> Result<std::fs::File> {
    let io = |source: std::io::Error| Error::Io {
        path: path.to_owned(),
        source,
    };
    let refuse = |kind: &str| Error::Validation {
        field: path.display().to_string(),
        message: format!("is {kind}, not a regular file; only regular files are read"),
    };
    let kind = |m: &std::fs::Metadata| -> Option<&'static str> {
        use std::os::unix::fs::FileTypeExt as _;
        let t = m.file_type();
        if t.is_file() {
            None
        } else if t.is_dir() {
            Some("a folder")
        } else if t.is_fifo() {
            Some("a named pipe")
        } else if t.is_char_device() || t.is_block_device() {
            Some("a device")
        } else if t.is_socket() {
            Some("a socket")
        } else {
            Some("not a plain file")
        }
    };
    if let Some(k) = kind(&std::fs::metadata(path).map_err(io)?) {
        return Err(refuse(k));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    if let Some(k) = kind(&file.metadata().map_err(io)?) {
        return Err(refuse(k));
    }
    Ok(file)
}

/// Reads a regular file (see [`open_regular`]) whole, refusing it once more than `max` bytes
/// have been read: the cap holds while reading, not only by the size the file claims.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(Error::Validation {
            field: path.display().to_string(),
            message: format!(
                "the file is over {} MiB; larger files are refused",
                max >> 20
            ),
        });
    }
    Ok(bytes)
}

/// Temporary files written by this process so far (keeps two writes in one folder apart).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: through a temporary file in the same folder, synced and
/// then renamed into place, so a crash or a full disk never leaves a half-written file under
/// the name. Any failure is [`Error::Io`] naming `path`, and leaves no temporary file behind.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: path.to_owned(),
        source,
    };
    let temp = temp_beside(path).ok_or_else(|| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(io(source));
    }
    Ok(())
}

/// `dir/.name.<pid>.<n>.partial` beside `path`; `None` when `path` names no file.
fn temp_beside(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(format!(
        ".{}.{}.partial",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    Some(path.with_file_name(temp))
}

/// Syncs the folder holding `path`, so a rename into it survives a power cut (the rename is
/// an entry in the folder, which `sync_all` on the file does not cover).
pub fn sync_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) => std::fs::File::open(folder)?.sync_all(),
        None => std::fs::File::open(".")?.sync_all(),
    }
}

/// The name a file goes by in receipts and the audit log: its last path component.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_replaces_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.pdf");
        write_file(&out, b"first").unwrap();
        write_file(&out, b"second").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.pdf"], "no temporary file is left behind");
    }

    #[test]
    fn failures_name_the_file_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("missing-folder/out.pdf");
        let err = write_file(&out, b"x").unwrap_err();
        assert!(
            matches!(&err, Error::Io { path, .. } if path == &out),
            "{err:?}"
        );
        assert!(err.to_string().starts_with(&out.display().to_string()));
        assert!(err.is_user_error());
        // A folder in the way: the rename fails and the temporary file is removed.
        let folder = dir.path().join("taken");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("keep"), b"k").unwrap();
        assert!(write_file(&folder, b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn display_names_are_file_names() {
        assert_eq!(display_name(Path::new("/a/b/ssp.xml")), "ssp.xml");
        assert_eq!(display_name(Path::new("ssp.json")), "ssp.json");
    }
}
