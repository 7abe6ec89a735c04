//! Which files the window may name.
//!
//! The webview is the least trusted part of the app: it renders text from SSPs, scans and
//! evidence titles. So a path string arriving from it is not enough to read or write a file.
//! The shell reads or writes a path only when the user chose it here, in this session:
//! - in a native open or save dialog the shell itself showed (`pick_open`, `pick_save`);
//! - by dropping it on the window (the drop event comes from the windowing system, not the page);
//! - from the recent-files list, or as the file named on the command line;
//! - under a folder listed in `ASSAY_ALLOWED_DIRS` (colon-separated; set by whoever starts the
//!   app, e.g. the end-to-end tests, which cannot drive native dialogs).
//!
//! Anything else (a path typed into a field, or one a compromised page made up) is shown to the
//! user in a native dialog first: read it, create it, or replace it. Replacing an existing file
//! always needs a confirmation: the save dialog's own (GTK asks before it returns an existing
//! file) or the shell's.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use assay_core::Error;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::ipc_error::{IpcError, IpcResult};

/// What a command is about to do with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// Write a new file; the command itself refuses one that exists (a new engagement).
    Create,
}

/// What the grants say about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Not chosen: ask before reading.
    AskRead,
    /// Not chosen and not there: ask before creating.
    AskCreate,
    /// There already and not confirmed by a save dialog: ask before replacing.
    AskReplace,
}

/// The paths chosen in this session.
#[derive(Debug, Default)]
pub struct Grants {
    /// Picked in an open dialog, dropped on the window, on the recent list or named at start.
    chosen: HashSet<PathBuf>,
    /// Picked in a save dialog, which asked before returning an existing file.
    save_targets: HashSet<PathBuf>,
    /// Folders whose files count as chosen (`ASSAY_ALLOWED_DIRS`).
    allowed_dirs: Vec<PathBuf>,
}

impl Grants {
    /// Grants with the folders of `ASSAY_ALLOWED_DIRS` (empty entries and relative paths are
    /// ignored).
    pub fn from_env() -> Grants {
        let dirs = std::env::var_os("ASSAY_ALLOWED_DIRS").unwrap_or_default();
        Grants {
            allowed_dirs: std::env::split_paths(&dirs)
                .filter(|d| d.is_absolute())
                .map(|d| d.canonicalize().unwrap_or(d))
                .filter_map(|d| normalise(&d))
                .collect(),
            ..Grants::default()
        }
    }

    /// Records a path the user chose to read (or open).
    pub fn choose(&mut self, path: &Path) {
        if let Some(p) = normalise(path) {
            self.chosen.insert(p);
        }
    }

    /// Records a path the user picked in a save dialog.
    pub fn choose_save_target(&mut self, path: &Path) {
        if let Some(p) = normalise(path) {
            self.save_targets.insert(p);
        }
    }

    /// Whether `path` (already normalised) may be used for `access` without asking; `exists`
    /// says whether something is at the path now.
    pub fn decide(&self, path: &Path, access: Access, exists: bool) -> Decision {
        let chosen = self.chosen.contains(path);
        let save_target = self.save_targets.contains(path);
        let allowed_dir = self.under_allowed_dir(path);
        match access {
            Access::Read if chosen || save_target || allowed_dir => Decision::Allowed,
            Access::Read => Decision::AskRead,
            Access::Write | Access::Create if save_target => Decision::Allowed,
            Access::Create if exists => Decision::Allowed,
            Access::Write if exists => Decision::AskReplace,
            Access::Write | Access::Create if chosen || allowed_dir => Decision::Allowed,
            Access::Write | Access::Create => Decision::AskCreate,
        }
    }

    fn under_allowed_dir(&self, path: &Path) -> bool {
        if self.allowed_dirs.is_empty() {
            return false;
        }
        // Resolve links so a link inside an allowed folder cannot point outside it; a file
        // that does not exist yet is judged by its folder.
        let resolved = path.canonicalize().ok().or_else(|| {
            let parent = path.parent()?.canonicalize().ok()?;
            Some(parent.join(path.file_name()?))
        });
        resolved.is_some_and(|p| self.allowed_dirs.iter().any(|d| p.starts_with(d)))
    }
}

/// An absolute path without `.` components; `None` for a relative path or one with `..` (the
/// window has no working folder, and `..` would let a granted folder name another).
pub fn normalise(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return None;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => return None,
            other => out.push(other),
        }
    }
    Some(out)
}

/// The session's grants, shared by the commands.
#[derive(Debug, Default)]
pub struct PathGrants(Mutex<Grants>);

impl PathGrants {
    pub fn new(grants: Grants) -> Self {
        PathGrants(Mutex::new(grants))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Grants> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn choose(&self, path: &Path) {
        self.lock().choose(path);
    }

    pub fn choose_save_target(&self, path: &Path) {
        self.lock().choose_save_target(path);
    }

    /// The path the window named, if the user chose it or now confirms it in a native dialog;
    /// `field` and `empty` give the message for an empty path.
    pub fn permit<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        raw: &str,
        access: Access,
        field: &str,
        empty: &str,
    ) -> IpcResult<PathBuf> {
        let path = requested(raw, field, empty)?;
        let exists = std::fs::symlink_metadata(&path).is_ok();
        let decision = self.lock().decide(&path, access, exists);
        let question = match decision {
            Decision::Allowed => return Ok(path),
            Decision::AskRead => ("Read this file?", "Read"),
            Decision::AskCreate => ("Save to this file?", "Save"),
            Decision::AskReplace => ("Replace this file?", "Replace"),
        };
        let detail = match decision {
            Decision::AskReplace => "It already exists; its contents will be lost.",
            _ => "It was not chosen in a file dialog.",
        };
        let yes = app
            .dialog()
            .message(format!("{}\n\n{detail}", path.display()))
            .title(question.0)
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                question.1.to_owned(),
                "Cancel".to_owned(),
            ))
            .blocking_show();
        if !yes {
            return Err(IpcError::from(Error::Cancelled));
        }
        match access {
            Access::Read => self.choose(&path),
            Access::Write | Access::Create => self.choose_save_target(&path),
        }
        Ok(path)
    }
}

/// The path as the window gave it, trimmed and normalised; an empty one is refused with
/// `empty`, a relative one or one with `..` naming it.
pub fn requested(raw: &str, field: &str, empty: &str) -> IpcResult<PathBuf> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(invalid(field, empty.to_owned()));
    }
    normalise(Path::new(raw)).ok_or_else(|| {
        invalid(
            field,
            format!("{raw}: give the full path (from /), without `..`"),
        )
    })
}

fn invalid(field: &str, message: String) -> IpcError {
    IpcError::from(Error::Validation {
        field: field.into(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abs(p: &str) -> PathBuf {
        PathBuf::from(p)
    }

    #[test]
    fn only_absolute_paths_without_parent_steps_are_accepted() {
        assert_eq!(normalise(&abs("/a/./b.assay")), Some(abs("/a/b.assay")));
        assert_eq!(normalise(&abs("relative.assay")), None);
        assert_eq!(normalise(&abs("/granted/../etc/shadow")), None);
    }

    #[test]
    fn empty_relative_and_climbing_paths_are_refused_naming_the_field() {
        let e = requested("   ", "file", "choose a file to import").unwrap_err();
        assert_eq!(e.code, assay_core::ErrorCode::Validation);
        assert!(
            e.message.contains("choose a file to import"),
            "{}",
            e.message
        );
        let e = requested("ssp.json", "file", "x").unwrap_err();
        assert!(
            e.message.contains("ssp.json: give the full path"),
            "{}",
            e.message
        );
        assert!(requested("/a/../b", "file", "x").is_err());
        assert_eq!(
            requested(" /a/b.json ", "file", "x").unwrap(),
            abs("/a/b.json")
        );
    }

    #[test]
    fn a_path_the_page_made_up_is_never_allowed_without_asking() {
        let mut g = Grants::default();
        g.choose(&abs("/home/a/ssp.json"));
        g.choose_save_target(&abs("/home/a/out.zip"));
        let cases = [
            ("/home/a/ssp.json", Access::Read, true, Decision::Allowed),
            ("/home/a/out.zip", Access::Write, true, Decision::Allowed),
            ("/home/a/out.zip", Access::Read, true, Decision::Allowed),
            (
                "/home/a/.ssh/id_ed25519",
                Access::Read,
                true,
                Decision::AskRead,
            ),
            ("/etc/shadow", Access::Read, true, Decision::AskRead),
            // Chosen for reading is not permission to overwrite.
            (
                "/home/a/ssp.json",
                Access::Write,
                true,
                Decision::AskReplace,
            ),
            ("/home/a/.bashrc", Access::Write, true, Decision::AskReplace),
            ("/home/a/new.pdf", Access::Write, false, Decision::AskCreate),
            (
                "/home/a/new.assay",
                Access::Create,
                false,
                Decision::AskCreate,
            ),
            // Creating never replaces: the command refuses an existing file without asking.
            ("/home/a/old.assay", Access::Create, true, Decision::Allowed),
        ];
        for (path, access, exists, want) in cases {
            assert_eq!(
                g.decide(&abs(path), access, exists),
                want,
                "{path} {access:?}"
            );
        }
    }

    #[test]
    fn allowed_folders_cover_their_files_but_never_replace_without_asking() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let inside = root.join("in.json");
        std::fs::write(&inside, b"{}").unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().canonicalize().unwrap().join("secret.txt");
        std::fs::write(&secret, b"s").unwrap();
        let link = root.join("link.txt");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let g = Grants {
            allowed_dirs: vec![root.clone()],
            ..Grants::default()
        };
        assert_eq!(g.decide(&inside, Access::Read, true), Decision::Allowed);
        assert_eq!(
            g.decide(&root.join("new.pdf"), Access::Write, false),
            Decision::Allowed
        );
        assert_eq!(g.decide(&inside, Access::Write, true), Decision::AskReplace);
        assert_eq!(g.decide(&secret, Access::Read, true), Decision::AskRead);
        assert_eq!(
            g.decide(&link, Access::Read, true),
            Decision::AskRead,
            "a link out of the folder is judged by its target"
        );
    }
}
