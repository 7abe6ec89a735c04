//! The evidence store: content-addressed files in a sidecar folder beside the engagement file,
//! their metadata and links in the engagement, and the custody log.
//!
//! Layout: `<engagement file>.evidence/sha256/ab/abcdef…` (the first two hex digits fan the
//! files out over 256 folders). Invariants: a stored file's name is the SHA-256 of its bytes, so
//! the same bytes are stored once and any change is detectable; files are hashed while streaming
//! in 64 KiB chunks into a temporary file in the same folder tree and renamed into place, so any
//! size works and a crash never leaves a partial file under a content name; every add, link and
//! export appends a custody entry in the same transaction as the audit record; an add of several
//! files stores all or none; symbolic links are stored only when asked (`follow_symlinks`, the
//! target recorded) and nothing else but regular files is read; the folder is synced after each
//! rename; temporary files left by a killed add are removed by the next add (`blobs.rs`); the
//! check (`check.rs`) reports every problem and never follows links or opens special files.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::testing::link_entry;
use super::Session;
use crate::error::{Error, Result};
use crate::model::ids::EvidenceId;
use crate::model::testing::{
    CustodyEntry, EvidenceAdded, EvidenceItem, EvidenceMeta, EvidenceProblem, LinkTarget,
};
use crate::model::AuditEntry;
use crate::store;

mod blobs;
mod check;

use blobs::{hash_stream, io, Staged};
pub use check::{EvidenceCheck, StrayFile};

/// The sidecar folder holding an engagement's evidence files.
pub fn evidence_dir(engagement: &Path) -> PathBuf {
    let mut name = engagement
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".evidence");
    engagement.with_file_name(name)
}

/// Where the blob with hash `sha256` lives.
pub fn blob_path(engagement: &Path, sha256: &str) -> PathBuf {
    evidence_dir(engagement)
        .join("sha256")
        .join(&sha256[..2.min(sha256.len())])
        .join(sha256)
}

/// How [`Session::add_evidence_files_with`] takes files in.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddOptions {
    /// Store the file a symbolic link points to, recording the link and its target in the
    /// custody log and the audit record, instead of refusing the link.
    pub follow_symlinks: bool,
}

impl Session {
    /// The sidecar folder of this engagement's evidence.
    pub fn evidence_dir(&self) -> PathBuf {
        evidence_dir(self.path())
    }

    /// Stores one file as evidence (see [`Session::add_evidence_files_with`]).
    pub fn add_evidence(&mut self, path: &Path, meta: &EvidenceMeta) -> Result<EvidenceAdded> {
        let mut added = self.add_evidence_files(&[path.to_owned()], meta)?;
        added
            .pop()
            .ok_or_else(|| Error::Internal("adding one evidence file returned none".into()))
    }

    /// Stores files as evidence with the same `meta`, refusing symbolic links.
    pub fn add_evidence_files(
        &mut self,
        paths: &[PathBuf],
        meta: &EvidenceMeta,
    ) -> Result<Vec<EvidenceAdded>> {
        self.add_evidence_files_with(paths, meta, AddOptions::default())
    }

    /// Stores files as evidence with the same `meta`, all or none. Every file is checked and
    /// opened first (it must exist and be a regular file; a symbolic link only with
    /// `follow_symlinks`), then copied into locked temporary files while hashed (streaming;
    /// any size), and then, in one durable write transaction, put in place under their
    /// hashes and recorded with their custody entries and audit records. A file that fails
    /// at any step stores nothing, not even the files before it. The same bytes are stored
    /// once: adding them again returns the existing item with `stored_once` true and logs
    /// the add in custody.
    pub fn add_evidence_files_with(
        &mut self,
        paths: &[PathBuf],
        meta: &EvidenceMeta,
        opts: AddOptions,
    ) -> Result<Vec<EvidenceAdded>> {
        let sources = paths
            .iter()
            .map(|p| blobs::open_source(p, opts.follow_symlinks))
            .collect::<Result<Vec<_>>>()?;
        let root = blobs::open_store(self.path())?;
        let staged = sources
            .into_iter()
            .map(|source| blobs::stage(&root, source, &self.ctx.new_id()))
            .collect::<Result<Vec<_>>>()?;
        let engagement = self.path().to_owned();
        // Stored files this call created: removed again if the transaction fails. Files are
        // only put in place under the write lock, so nobody else can refer to them yet.
        let mut created = Vec::new();
        let result = self.write_durable(|tx, ctx| {
            let mut added = Vec::new();
            let mut entries = Vec::new();
            for s in staged {
                let (item, entry) = record_evidence(tx, ctx, &engagement, s, meta, &mut created)?;
                added.push(item);
                entries.push(entry);
            }
            Ok((added, entries))
        });
        if result.is_err() {
            for blob in &created {
                let _ = std::fs::remove_file(blob);
            }
        }
        result
    }

    /// Links evidence to an objective or a finding (idempotent; a new link is logged in custody).
    pub fn link_evidence(
        &mut self,
        target: &LinkTarget,
        evidence_id: &EvidenceId,
    ) -> Result<EvidenceItem> {
        let evidence_id = evidence_id.as_str();
        let conn = self.store.conn();
        if store::testing::evidence(conn, evidence_id)?.is_none() {
            return Err(Error::NotFound {
                what: format!("evidence {evidence_id}"),
            });
        }
        let (kind, id) = match target {
            LinkTarget::Objective(id) => {
                if store::testing::test_row_for(conn, id)?.is_none() {
                    return Err(Error::NotFound {
                        what: format!("objective {id} in the tested baseline"),
                    });
                }
                ("objective", id.as_str())
            }
            LinkTarget::Finding(id) => {
                if store::testing::finding(conn, id)?.is_none() {
                    return Err(Error::NotFound {
                        what: format!("finding {id}"),
                    });
                }
                ("finding", id.as_str())
            }
        };
        self.write(|tx, ctx| {
            let now = ctx.timestamp();
            let mut entries = Vec::new();
            if store::testing::insert_link(tx, evidence_id, kind, id, &now)? {
                store::testing::append_custody(
                    tx,
                    evidence_id,
                    &now,
                    &ctx.actor,
                    "link",
                    &format!("linked to {kind} {id}"),
                )?;
                entries.push(link_entry(evidence_id, kind, id));
            }
            let item = store::testing::evidence(tx, evidence_id)?.ok_or_else(|| {
                Error::Corrupt(format!("evidence {evidence_id} vanished while linking"))
            })?;
            Ok((item, entries))
        })
    }

    /// Every evidence item, in the order added.
    pub fn list_evidence(&self) -> Result<Vec<EvidenceItem>> {
        store::testing::list_evidence(self.store.conn())
    }

    /// One evidence item.
    pub fn get_evidence(&self, id: &EvidenceId) -> Result<EvidenceItem> {
        let id = id.as_str();
        store::testing::evidence(self.store.conn(), id)?.ok_or_else(|| Error::NotFound {
            what: format!("evidence {id}"),
        })
    }

    /// The custody log, oldest first; one item's entries when `evidence_id` is given.
    pub fn custody_log(&self, evidence_id: Option<&EvidenceId>) -> Result<Vec<CustodyEntry>> {
        store::testing::custody(self.store.conn(), evidence_id.map(EvidenceId::as_str))
    }

    /// Copies a stored evidence file to `dest` (refusing to overwrite) after checking its hash,
    /// and logs the export in custody.
    pub fn export_evidence(
        &mut self,
        evidence_id: &EvidenceId,
        dest: &Path,
    ) -> Result<EvidenceItem> {
        let item = self.get_evidence(evidence_id)?;
        let evidence_id = evidence_id.as_str();
        if dest.exists() {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
        let blob = blob_path(self.path(), evidence_id);
        let mut input = blobs::open_no_follow(&blob).map_err(io(&blob))?;
        let mut out = File::create(dest).map_err(io(dest))?;
        let (sha256, _) = hash_stream(&mut input, Some(&mut out), &blob)?;
        if sha256 != evidence_id {
            drop(out);
            let _ = std::fs::remove_file(dest);
            return Err(Error::validation(
                "evidence",
                format!(
                    "stored file {} no longer matches its hash; not exported",
                    blob.display()
                ),
            ));
        }
        let shown = dest.display().to_string();
        self.write(|tx, ctx| {
            let detail = format!("exported to {shown}");
            store::testing::append_custody(
                tx,
                evidence_id,
                &ctx.timestamp(),
                &ctx.actor,
                "export",
                &detail,
            )?;
            let entry = AuditEntry {
                entity: "evidence".into(),
                entity_id: evidence_id.to_owned(),
                action: "export".into(),
                summary: format!("evidence \"{}\" {detail}", item.title),
                before: String::new(),
                after: shown.clone(),
            };
            Ok((item, vec![entry]))
        })
    }

    /// Re-hashes every stored evidence file and looks through the evidence folder, reporting
    /// every problem (see [`EvidenceCheck`]) without following links or opening special
    /// files. Only reads.
    pub fn check_evidence(&self) -> Result<EvidenceCheck> {
        Ok(check::check(self.path(), self.list_evidence()?))
    }

    /// [`Session::check_evidence`] as one list: the records' problems, then each file no
    /// record refers to (its `id` the path inside the evidence folder, its title empty).
    pub fn verify_evidence(&self) -> Result<Vec<EvidenceProblem>> {
        let check = self.check_evidence()?;
        let strays = check.strays.into_iter().map(|s| EvidenceProblem {
            id: s.path.display().to_string(),
            title: String::new(),
            problem: s.problem,
        });
        Ok(check.problems.into_iter().chain(strays).collect())
    }
}

/// Puts one staged file in place and records it (evidence row when new, custody entry),
/// inside the caller's transaction; returns what was added and its audit entry.
fn record_evidence(
    tx: &rusqlite::Transaction<'_>,
    ctx: &super::Context,
    engagement: &Path,
    staged: Staged,
    meta: &EvidenceMeta,
    created: &mut Vec<PathBuf>,
) -> Result<(EvidenceAdded, AuditEntry)> {
    let (sha256, size) = (staged.sha256.clone(), staged.size);
    let shown = staged.source.display().to_string();
    let file_name = staged
        .source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let link = staged
        .link_target
        .as_ref()
        .map(|t| format!(" (a symbolic link to {})", t.display()))
        .unwrap_or_default();
    if blobs::put_in_place(engagement, staged)? {
        created.push(blob_path(engagement, &sha256));
    }
    let now = ctx.timestamp();
    let existing = store::testing::evidence(tx, &sha256)?;
    let stored_once = existing.is_some();
    let item = match existing {
        Some(item) => item,
        None => {
            let pick = |v: &Option<String>, default: &str| {
                v.as_deref()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .unwrap_or(default)
                    .to_owned()
            };
            let item = EvidenceItem {
                id: sha256.clone(),
                size: size as f64,
                file_name: file_name.clone(),
                title: pick(&meta.title, &file_name),
                collected_by: pick(&meta.collected_by, &ctx.actor),
                collected_from: meta.collected_from.trim().to_owned(),
                collected_at: pick(&meta.collected_at, &now),
                source: meta.source.trim().to_owned(),
                added_at: now.clone(),
                added_by: ctx.actor.clone(),
                links: Vec::new(),
            };
            store::testing::insert_evidence(tx, &item)?;
            item
        }
    };
    let detail = if stored_once {
        format!("added {shown}{link} again ({size} bytes); already stored, kept once")
    } else {
        format!("added {shown}{link} ({size} bytes)")
    };
    store::testing::append_custody(tx, &sha256, &now, &ctx.actor, "add", &detail)?;
    let entry = AuditEntry {
        entity: "evidence".into(),
        entity_id: sha256.clone(),
        action: "add".into(),
        summary: format!("evidence \"{}\": {detail}", item.title),
        before: String::new(),
        after: super::engagement::to_json(&item),
    };
    Ok((
        EvidenceAdded {
            path: shown,
            sha256,
            stored_once,
            item,
        },
        entry,
    ))
}

#[cfg(test)]
mod tests;
