//! The evidence store: content-addressed files in a sidecar folder beside the engagement file,
//! their metadata and links in the engagement, and the custody log.
//!
//! Layout: `<engagement file>.evidence/sha256/ab/abcdef…` (the first two hex digits fan the
//! files out over 256 folders). Invariants: a stored file's name is the SHA-256 of its bytes, so
//! the same bytes are stored once and any change is detectable; files are hashed while streaming
//! in 64 KiB chunks into a temporary file in the same folder tree and renamed into place, so any
//! size works and a crash never leaves a partial file under a content name; every add, link and
//! export appends a custody entry in the same transaction as the audit record.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::testing::link_entry;
use super::Session;
use crate::error::{Error, Result};
use crate::model::ids::EvidenceId;
use crate::model::testing::{
    CustodyEntry, EvidenceAdded, EvidenceItem, EvidenceMeta, EvidenceProblem, LinkTarget,
};
use crate::model::AuditEntry;
use crate::store;

const CHUNK: usize = 64 * 1024;

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

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Streams `reader` through SHA-256, copying it to `out` when given. Returns (hash, size).
fn hash_stream(
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

/// Copies `source` into the store under its hash. Returns (hash, size, already stored).
fn store_blob(engagement: &Path, source: &Path, temp_name: &str) -> Result<(String, u64, bool)> {
    let root = evidence_dir(engagement).join("sha256");
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    let mut input = super::files::open_regular(source)?;
    let temp = root.join(format!(".incoming-{temp_name}"));
    let mut out = File::create(&temp).map_err(io(&temp))?;
    let hashed = hash_stream(&mut input, Some(&mut out), source).and_then(|r| {
        out.sync_all().map_err(io(&temp))?;
        Ok(r)
    });
    drop(out);
    let (sha256, size) = match hashed {
        Ok(r) => r,
        Err(e) => {
            // Best effort: a leftover temp file is harmless but untidy.
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    let target = blob_path(engagement, &sha256);
    if target.is_file() {
        let _ = std::fs::remove_file(&temp);
        return Ok((sha256, size, true));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::rename(&temp, &target).map_err(io(&target))?;
    Ok((sha256, size, false))
}

impl Session {
    /// The sidecar folder of this engagement's evidence.
    pub fn evidence_dir(&self) -> PathBuf {
        evidence_dir(self.path())
    }

    /// Stores a file as evidence (streaming; any size). The same bytes are stored once: adding
    /// them again returns the existing item with `stored_once` true and logs the add in custody.
    pub fn add_evidence(&mut self, path: &Path, meta: &EvidenceMeta) -> Result<EvidenceAdded> {
        let temp_name = self.ctx.new_id();
        let (sha256, size, mut stored_once) = store_blob(self.path(), path, &temp_name)?;
        let existing = store::testing::evidence(self.store.conn(), &sha256)?;
        // A blob left by an add whose transaction failed is not "stored" until it has a record.
        stored_once &= existing.is_some();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = path.display().to_string();
        self.write(|tx, ctx| {
            let now = ctx.timestamp();
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
                format!("added {shown} again ({size} bytes); already stored, kept once")
            } else {
                format!("added {shown} ({size} bytes)")
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
                    path: shown.clone(),
                    sha256: sha256.clone(),
                    stored_once,
                    item,
                },
                vec![entry],
            ))
        })
    }

    /// Stores each file as evidence with the same `meta`, in order, each in its own transaction.
    /// Stops at the first file that fails; the files before it stay added.
    pub fn add_evidence_files(
        &mut self,
        paths: &[PathBuf],
        meta: &EvidenceMeta,
    ) -> Result<Vec<EvidenceAdded>> {
        paths.iter().map(|p| self.add_evidence(p, meta)).collect()
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
        let mut input = File::open(&blob).map_err(io(&blob))?;
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

    /// Re-hashes every stored evidence file; lists each one that changed or is missing.
    pub fn verify_evidence(&self) -> Result<Vec<EvidenceProblem>> {
        let mut problems = Vec::new();
        for item in self.list_evidence()? {
            let blob = blob_path(self.path(), &item.id);
            let problem = match File::open(&blob) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("missing"),
                Err(e) => return Err(io(&blob)(e)),
                Ok(mut f) => {
                    let (sha256, _) = hash_stream(&mut f, None, &blob)?;
                    (sha256 != item.id).then_some("changed")
                }
            };
            if let Some(problem) = problem {
                problems.push(EvidenceProblem {
                    id: item.id,
                    title: item.title,
                    problem: problem.to_owned(),
                });
            }
        }
        Ok(problems)
    }
}
