//! `verify-evidence`: every record's file re-hashed, and everything else in the evidence folder
//! reported.
//!
//! Invariant: only reads; never follows a symbolic link or opens anything but a regular file
//! (opened with `O_NOFOLLOW | O_NONBLOCK`), so a link or a named pipe planted in the folder is
//! reported, not read; one problem never stops the check.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::blobs::{hash_stream, kind_of, open_no_follow, TEMP_PREFIX};
use super::{blob_path, evidence_dir};
use crate::model::testing::{EvidenceItem, EvidenceProblem};

/// What `verify-evidence` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceCheck {
    /// How many evidence records were checked.
    pub records: usize,
    /// Records whose file is `missing`, `changed`, `unreadable: …`, or `replaced by` a link or
    /// a special file.
    pub problems: Vec<EvidenceProblem>,
    /// Everything in the evidence folder that no record refers to.
    pub strays: Vec<StrayFile>,
}

impl EvidenceCheck {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.strays.is_empty()
    }
}

/// A file or folder in the evidence folder that no record refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrayFile {
    /// The path inside the evidence folder.
    pub path: PathBuf,
    pub problem: String,
}

/// Checks every record's file, then walks the folder for anything else.
pub(super) fn check(engagement: &Path, items: Vec<EvidenceItem>) -> EvidenceCheck {
    let records = items.len();
    let expected: HashSet<PathBuf> = items.iter().map(|i| blob_path(engagement, &i.id)).collect();
    let problems = items
        .into_iter()
        .filter_map(|item| {
            let problem = check_record(engagement, &item)?;
            Some(EvidenceProblem {
                id: item.id,
                title: item.title,
                problem,
            })
        })
        .collect();
    let root = evidence_dir(engagement);
    let mut strays = Vec::new();
    walk(&root, &root, 0, &expected, &mut strays);
    strays.sort_by(|a, b| a.path.cmp(&b.path));
    EvidenceCheck {
        records,
        problems,
        strays,
    }
}

/// The problem with one record's file, if any.
fn check_record(engagement: &Path, item: &EvidenceItem) -> Option<String> {
    let blob = blob_path(engagement, &item.id);
    let meta = match std::fs::symlink_metadata(&blob) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some("missing".into()),
        Err(e) => return Some(format!("unreadable: {e}")),
        Ok(m) => m,
    };
    if let Some(kind) = kind_of(meta.file_type()) {
        return Some(format!("replaced by {kind} (not opened)"));
    }
    let hashed = open_no_follow(&blob)
        .map_err(|e| e.to_string())
        .and_then(|mut f| hash_stream(&mut f, None, &blob).map_err(|e| e.to_string()));
    match hashed {
        Err(e) => Some(format!("unreadable: {e}")),
        Ok((sha256, size)) if sha256 != item.id || size as f64 != item.size => {
            Some("changed".into())
        }
        Ok(_) => None,
    }
}

/// Walks `dir` (at `depth` below the evidence folder) without following links, reporting what
/// does not belong: the layout is `sha256/<2 hex>/<64 hex>` plus temporary files in `sha256/`.
fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    expected: &HashSet<PathBuf>,
    out: &mut Vec<StrayFile>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_owned();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(t) = entry.file_type() else { continue };
        let stray = |problem: String| StrayFile {
            path: rel.clone(),
            problem,
        };
        if expected.contains(&path) {
            continue; // reported with its record
        }
        if t.is_dir() {
            let fan_out = depth == 1 && name.len() == 2 && is_hex(&name);
            if (depth == 0 && name == "sha256") || fan_out {
                walk(root, &path, depth + 1, expected, out);
            } else {
                out.push(stray(
                    "a folder that does not belong in the evidence folder".into(),
                ));
            }
            continue;
        }
        let problem = match kind_of(t) {
            Some(kind) => format!("{kind} (not followed or opened)"),
            None if depth == 1 && name.starts_with(TEMP_PREFIX) => {
                "a temporary file (an add in progress, or left by one that was interrupted: the next `evidence add` removes it)".into()
            }
            None => "a file no evidence record refers to".into(),
        };
        out.push(stray(problem));
    }
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}
