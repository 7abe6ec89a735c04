//! The evidence folder's files: taking a source file in (checked, hashed while copied into a
//! locked temporary file), putting it in place under its hash, and the folder's housekeeping.
//!
//! Invariants: a source is read only when it is a regular file, and a symbolic link only when
//! the caller asked to follow links (the target is then recorded); a temporary file is held
//! under an exclusive lock while it is written, so the clean-up on the next open removes only
//! files nobody is writing; every rename into place is followed by a sync of the folder.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{blob_path, evidence_dir};
use crate::error::{Error, Result};

const CHUNK: usize = 64 * 1024;

/// The prefix of temporary files in `<evidence>/sha256/`.
pub(super) const TEMP_PREFIX: &str = ".incoming-";

pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Streams `reader` through SHA-256, copying it to `out` when given. Returns (hash, size).
pub(super) fn hash_stream(
    reader: &mut impl Read,
    mut out: Option<&mut File>,
    path: &Path,
) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(path)(e)),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        if let Some(out) = out.as_deref_mut() {
            out.write_all(chunk).map_err(io(path))?;
        }
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// What a file system entry is, for messages; `None` for a regular file.
pub(super) fn kind_of(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    if t.is_file() {
        None
    } else if t.is_symlink() {
        Some("a symbolic link")
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
}

/// Opens `path` for reading without following a symbolic link in its last component and
/// without blocking on a named pipe; the handle must be a regular file.
pub(super) fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    match kind_of(file.metadata()?.file_type()) {
        None => Ok(file),
        Some(kind) => Err(std::io::Error::other(format!("is {kind}"))),
    }
}

/// A source file checked and opened, not yet copied.
pub(super) struct Source {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// What a followed symbolic link pointed to.
    pub link_target: Option<PathBuf>,
    pub file: File,
}

/// Checks and opens one file to add: it must exist and be a regular file; a symbolic link is
/// refused unless `follow_symlinks`, when its final target is opened (and must be regular).
pub(super) fn open_source(path: &Path, follow_symlinks: bool) -> Result<Source> {
    let refuse = |message: String| Error::Validation {
        field: path.display().to_string(),
        message,
    };
    let meta = std::fs::symlink_metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound {
            path: path.to_owned(),
        },
        _ => io(path)(e),
    })?;
    if meta.file_type().is_symlink() {
        if !follow_symlinks {
            return Err(refuse(
                "is a symbolic link; evidence is stored from the file itself (give that file, or add --follow-symlinks to store what the link points to and record the link)".into(),
            ));
        }
        let target = std::fs::canonicalize(path)
            .map_err(|e| refuse(format!("is a symbolic link that cannot be followed: {e}")))?;
        let file = crate::api::files::open_regular(&target).map_err(|e| match e {
            Error::Validation { message, .. } => refuse(format!(
                "is a symbolic link to {}, which {message}",
                target.display()
            )),
            other => other,
        })?;
        return Ok(Source {
            path: path.to_owned(),
            link_target: Some(target),
            file,
        });
    }
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(refuse(format!(
            "is {kind}, not a regular file; only regular files are stored as evidence"
        )));
    }
    let file = open_no_follow(path).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    let opened = file.metadata().map_err(io(path))?;
    // The name was checked, then opened: the same file both times, or it was swapped.
    if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
        return Err(refuse(
            "changed while it was being opened; try again".into(),
        ));
    }
    Ok(Source {
        path: path.to_owned(),
        link_target: None,
        file,
    })
}

/// A source copied into a locked temporary file in the evidence folder, with its hash.
pub(super) struct Staged {
    pub source: PathBuf,
    pub link_target: Option<PathBuf>,
    pub sha256: String,
    pub size: u64,
    temp: PathBuf,
    /// Held (with its lock) until the file is renamed into place or removed.
    _lock: File,
}

impl Drop for Staged {
    /// Removes the temporary file unless it was renamed into place (then there is nothing
    /// under its name any more), so a refused or failed add leaves nothing behind.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Prepares the evidence folder for writing: creates it, then removes temporary files left by
/// an add that was killed. A temporary file some process is still writing is locked by it and
/// stays. Returns `<evidence>/sha256`.
pub(super) fn open_store(engagement: &Path) -> Result<PathBuf> {
    let root = evidence_dir(engagement).join("sha256");
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    for entry in std::fs::read_dir(&root).map_err(io(&root))? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(t) = entry.file_type() else { continue };
        if !t.is_file() {
            // Not ours (a link or a pipe planted under our prefix): verify-evidence reports it.
            continue;
        }
        if let Ok(file) = open_no_follow(&path) {
            if file.try_lock().is_ok() {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    Ok(root)
}

/// Copies `source` into a new locked temporary file under `root`, hashing as it goes, and
/// syncs it.
pub(super) fn stage(root: &Path, mut source: Source, temp_name: &str) -> Result<Staged> {
    let temp = root.join(format!("{TEMP_PREFIX}{temp_name}"));
    let mut out = File::create_new(&temp).map_err(io(&temp))?;
    let locked = out.lock().map_err(io(&temp)).and_then(|()| {
        // A clean-up between create and lock would have removed this name: make sure the
        // name is still this file.
        let on_disk = std::fs::symlink_metadata(&temp).map_err(io(&temp))?;
        let held = out.metadata().map_err(io(&temp))?;
        if (on_disk.dev(), on_disk.ino()) == (held.dev(), held.ino()) {
            Ok(())
        } else {
            Err(io(&temp)(std::io::Error::other(
                "the temporary file was removed while it was written; try again",
            )))
        }
    });
    let copied = locked.and_then(|()| {
        let r = hash_stream(&mut source.file, Some(&mut out), &source.path)?;
        out.sync_all().map_err(io(&temp))?;
        Ok(r)
    });
    match copied {
        Ok((sha256, size)) => Ok(Staged {
            source: source.path,
            link_target: source.link_target,
            sha256,
            size,
            temp,
            _lock: out,
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Puts a staged file in place under its hash (or drops it when those bytes are already
/// stored) and syncs the folder. Returns true when this call created the stored file.
pub(super) fn put_in_place(engagement: &Path, staged: Staged) -> Result<bool> {
    let target = blob_path(engagement, &staged.sha256);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
        return Ok(false);
    }
    let folder = target.parent().unwrap_or(engagement);
    std::fs::create_dir_all(folder).map_err(io(folder))?;
    std::fs::rename(&staged.temp, &target).map_err(io(&target))?;
    // The new name, and the fan-out folder's own entry when it was just made.
    crate::api::files::sync_parent(&target).map_err(io(&target))?;
    crate::api::files::sync_parent(folder).map_err(io(folder))?;
    Ok(true)
}
