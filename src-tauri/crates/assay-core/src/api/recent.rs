//! The list of recently opened engagement files, kept in the user's configuration folder.
//!
//! The desktop app reopens the first entry on start. Only paths are stored, never content.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many files the list keeps.
const KEEP: usize = 10;
const FILE_NAME: &str = "recent.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentList {
    files: Vec<PathBuf>,
}

/// The recent files, most recent first, skipping any that no longer exist.
pub fn load_recent(config_dir: &Path) -> Vec<PathBuf> {
    let list: RecentList = std::fs::read(config_dir.join(FILE_NAME))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    list.files.into_iter().filter(|p| p.is_file()).collect()
}

/// Moves `path` to the front of the list and saves it. Failing to save is not worth an error
/// dialog: the engagement itself is unaffected, so the result only reports it.
pub fn remember_recent(config_dir: &Path, path: &Path) -> std::io::Result<()> {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let mut files = load_recent(config_dir);
    files.retain(|p| p != &path);
    files.insert(0, path);
    files.truncate(KEEP);
    save_recent(config_dir, files)
}

/// Drops `path` from the list (e.g. after it failed to open).
pub fn forget_recent(config_dir: &Path, path: &Path) -> std::io::Result<()> {
    let mut files = load_recent(config_dir);
    files.retain(|p| p != path);
    save_recent(config_dir, files)
}

/// Writes the list through a temporary file, so a crash never leaves it half-written.
fn save_recent(config_dir: &Path, files: Vec<PathBuf>) -> std::io::Result<()> {
    std::fs::create_dir_all(config_dir)?;
    let bytes = serde_json::to_vec_pretty(&RecentList { files }).map_err(std::io::Error::other)?;
    let tmp = config_dir.join(format!("{FILE_NAME}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, config_dir.join(FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_without_duplicates_or_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.assay");
        let b = dir.path().join("b.assay");
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        remember_recent(dir.path(), &a).unwrap();
        remember_recent(dir.path(), &b).unwrap();
        remember_recent(dir.path(), &a).unwrap();
        let a = a.canonicalize().unwrap();
        let b = b.canonicalize().unwrap();
        assert_eq!(load_recent(dir.path()), vec![a.clone(), b.clone()]);
        std::fs::remove_file(&b).unwrap();
        assert_eq!(load_recent(dir.path()), vec![a]);
    }
}
