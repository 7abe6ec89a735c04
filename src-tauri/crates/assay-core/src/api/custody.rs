//! The anchored audit log: sealing the log head with the 3PAO's key (`assay seal`, and every
//! package build), checking the log against its chain, its head and its stored checkpoints
//! (`assay verify-log`, `--deep` also against the current data rows), and checking the log
//! copy a package carries.
//!
//! Invariants: a checkpoint is stored in the same transaction as the audit record that names
//! it; a package carries the log exactly as sealed (records 1..=count, JSON Lines) and the
//! signed checkpoint, both listed in its signed manifest; every problem found is reported, each
//! in one line naming what and where.

use std::collections::HashMap;
use std::path::Path;

use assay_package::SigningKey;
use serde::{Deserialize, Serialize};

use super::Session;
use crate::error::{Error, Result};
use crate::model::audit::{
    verify_chain, AuditEntry, AuditRecord, Checkpoint, SignedCheckpoint, GENESIS_HASH,
};
use crate::store;

/// The log's path inside a package.
pub const PACKAGE_LOG: &str = "Custody/audit-log.jsonl";
/// The signed checkpoint's path inside a package.
pub const PACKAGE_CHECKPOINT: &str = "Custody/audit-checkpoint.json";
/// The audit entity of a seal record.
const SEAL_ENTITY: &str = "audit_checkpoint";
/// Largest packaged log read back.
const MAX_PACKAGED_LOG: u64 = 512 * 1024 * 1024;

/// What `verify-log` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustodyCheck {
    pub path: String,
    /// True when the chain, the head and every checkpoint agree (and, with `deep`, every
    /// covered row matches its last record).
    pub ok: bool,
    pub records: u32,
    pub checkpoints: u32,
    /// Whether the data rows were compared with the log (`--deep`).
    pub deep: bool,
    /// Rows compared with their last audit record.
    pub rows_checked: u32,
    /// Rows of covered tables that no audit record with a row hash covers (created before
    /// schema 7, or by an import that logs the file rather than each row): not failures.
    pub rows_not_covered: u32,
    /// Records with no row hash (written before schema 7): not failures.
    pub records_without_row_hash: u32,
    /// Each problem in one line.
    pub problems: Vec<String>,
}

impl Session {
    /// Signs the log head (count, last hash, engagement id, now) with `key`, stores the
    /// checkpoint and appends a record naming it, in one transaction.
    pub fn seal(&mut self, key: &SigningKey) -> Result<SignedCheckpoint> {
        let at = self.ctx.timestamp();
        self.seal_at(key, at)
    }

    /// [`Session::seal`] with the checkpoint's time given: a package seals at its generation
    /// time, so the same engagement, time and key give the same package.
    fn seal_at(&mut self, key: &SigningKey, at: String) -> Result<SignedCheckpoint> {
        let engagement_id = self.engagement()?.id;
        let signer = assay_package::describe_public_key(key);
        self.write(|tx, _| {
            let (count, hash) = store::audit::head(tx)?.unwrap_or((0, GENESIS_HASH.to_owned()));
            let checkpoint = Checkpoint {
                engagement_id,
                count,
                hash,
                at,
            };
            let signature = assay_package::sign_message(key, &checkpoint.signed_bytes());
            let signed = SignedCheckpoint {
                checkpoint,
                public_key: signer.public_key_hex.clone(),
                fingerprint: signer.fingerprint.clone(),
                signature,
            };
            store::audit::insert_checkpoint(tx, &signed)?;
            let entry = AuditEntry {
                entity: SEAL_ENTITY.into(),
                entity_id: signed.signature.clone(),
                action: "seal".into(),
                summary: format!(
                    "sealed the audit log at {} records with key {}",
                    signed.checkpoint.count, signed.fingerprint
                ),
                before: String::new(),
                after: super::engagement::to_json(&signed),
            };
            Ok((signed, vec![entry]))
        })
    }

    /// Seals the log and returns the two files the package carries: the log as sealed (JSON
    /// Lines) and the signed checkpoint.
    pub(crate) fn custody_files(
        &mut self,
        key: &SigningKey,
        at: String,
    ) -> Result<[(String, Vec<u8>); 2]> {
        let sealed = self.seal_at(key, at)?;
        let records = store::audit::list(self.store.conn())?;
        let mut log = Vec::new();
        for r in records.iter().take(sealed.checkpoint.count as usize) {
            log.extend_from_slice(super::engagement::to_json(r).as_bytes());
            log.push(b'\n');
        }
        let mut checkpoint = serde_json::to_vec_pretty(&sealed).unwrap_or_default();
        checkpoint.push(b'\n');
        Ok([
            (PACKAGE_LOG.to_owned(), log),
            (PACKAGE_CHECKPOINT.to_owned(), checkpoint),
        ])
    }

    /// Checks the log: its chain, its head, every stored checkpoint (signature, signer trusted
    /// in the key store `key_dir`, truncation, rewrite, deleted checkpoints) and, with `deep`,
    /// every covered data row against its last audit record.
    pub fn check_custody(&self, deep: bool, key_dir: Option<&Path>) -> Result<CustodyCheck> {
        let conn = self.store.conn();
        let records = store::audit::list(conn)?;
        let head = store::audit::head(conn)?;
        let checkpoints = store::audit::checkpoints(conn)?;
        let engagement_id = self.engagement()?.id;
        let mut problems = Vec::new();
        if records.is_empty() {
            problems.push(
                "the log is empty, but every engagement file starts with its creation record \
                 (the log was wiped)"
                    .to_owned(),
            );
        }
        if head.is_none() && !records.is_empty() {
            problems.push(format!(
                "the log's head (audit_head) is missing while the log holds {} records (it was \
                 deleted outside Assay)",
                records.len()
            ));
        }
        let chain = verify_chain(records.clone(), head);
        if let Some(bad) = &chain.first_bad {
            problems.push(format!("audit record {}: {}", bad.seq, bad.reason));
        }
        problems.extend(checkpoint_problems(
            &records,
            &checkpoints,
            &engagement_id,
            key_dir,
        )?);
        let mut check = CustodyCheck {
            path: self.path().display().to_string(),
            ok: false,
            records: u32::try_from(records.len()).unwrap_or(u32::MAX),
            checkpoints: u32::try_from(checkpoints.len()).unwrap_or(u32::MAX),
            deep,
            rows_checked: 0,
            rows_not_covered: 0,
            records_without_row_hash: 0,
            problems,
        };
        self.check_rows(&records, &mut check)?;
        check.ok = check.problems.is_empty();
        Ok(check)
    }

    /// Refuses a file whose log chain is broken or whose covered rows were changed outside
    /// Assay (`verify-log --deep` finds them): a package must not seal and sign data its log
    /// does not account for. The checkpoints' signers are not judged here (packaging a file
    /// someone else sealed is allowed).
    pub(super) fn require_logged_data(&self) -> Result<()> {
        let conn = self.store.conn();
        let records = store::audit::list(conn)?;
        let head = store::audit::head(conn)?;
        let mut check = CustodyCheck {
            path: self.path().display().to_string(),
            ok: false,
            records: 0,
            checkpoints: 0,
            deep: true,
            rows_checked: 0,
            rows_not_covered: 0,
            records_without_row_hash: 0,
            problems: Vec::new(),
        };
        if let Some(bad) = verify_chain(records.clone(), head).first_bad {
            check
                .problems
                .push(format!("audit record {}: {}", bad.seq, bad.reason));
        }
        self.check_rows(&records, &mut check)?;
        match check.problems.first() {
            None => Ok(()),
            Some(first) => Err(Error::AuditDamaged {
                path: self.path().to_owned(),
                message: match check.problems.len() {
                    1 => first.clone(),
                    n => format!("{first} (and {} more: `assay verify-log --deep`)", n - 1),
                },
            }),
        }
    }

    /// Counts what the row hashes cover and, when `check.deep`, compares each covered row with
    /// its last record.
    fn check_rows(&self, records: &[AuditRecord], check: &mut CustodyCheck) -> Result<()> {
        let conn = self.store.conn();
        let mut last: HashMap<(&str, String), &AuditRecord> = HashMap::new();
        // Once a covered record carries a row hash (schema 7 on), every later one must too.
        let mut hashed_since = None;
        for r in records {
            let Some(covered) = store::audit::COVERED.iter().find(|c| c.entity == r.entity) else {
                continue;
            };
            match (&r.row_hash, hashed_since) {
                (Some(_), None) => hashed_since = Some(r.seq),
                (Some(_), Some(_)) => {}
                (None, None) => check.records_without_row_hash += 1,
                (None, Some(since)) => check.problems.push(format!(
                    "record {}: a {} record without a row hash, after record {since} which \
                     carries one (written outside Assay)",
                    r.seq, r.entity
                )),
            }
            let key = if covered.key.is_some() {
                r.entity_id.clone()
            } else {
                "sar".to_owned()
            };
            last.insert((covered.entity, key), r);
        }
        for covered in store::audit::COVERED {
            let keys = store::audit::row_keys(conn, covered)?;
            for key in &keys {
                let covering = last
                    .get(&(covered.entity, key.clone()))
                    .filter(|r| r.row_hash.is_some());
                if covering.is_none() {
                    check.rows_not_covered += 1;
                }
            }
            if !check.deep {
                continue;
            }
            for ((entity, key), record) in &last {
                if *entity != covered.entity {
                    continue;
                }
                let Some(expected) = &record.row_hash else {
                    continue;
                };
                check.rows_checked += 1;
                let current = store::audit::row_hash(conn, entity, key)?;
                if current.as_deref() != Some(expected.as_str()) {
                    let what = if current.as_deref() == Some(crate::model::audit::ROW_DELETED) {
                        "was deleted"
                    } else if expected == crate::model::audit::ROW_DELETED {
                        "exists again"
                    } else {
                        "was changed"
                    };
                    check.problems.push(format!(
                        "{entity} {key}: {what} outside Assay after record {} ({})",
                        record.seq, record.summary
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What is wrong with the stored checkpoints, given the log as it is now.
fn checkpoint_problems(
    records: &[AuditRecord],
    checkpoints: &[SignedCheckpoint],
    engagement_id: &str,
    key_dir: Option<&Path>,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut highest = 0;
    for (i, cp) in checkpoints.iter().enumerate() {
        let c = &cp.checkpoint;
        let name = format!(
            "checkpoint {} (sealed {} at {} records)",
            i + 1,
            c.at,
            c.count
        );
        if !assay_package::verify_message(&cp.public_key, &c.signed_bytes(), &cp.signature)
            || assay_package::fingerprint_of_hex(&cp.public_key).as_deref()
                != Some(cp.fingerprint.as_str())
        {
            problems.push(format!(
                "{name}: its signature does not verify (the checkpoint was forged or edited)"
            ));
            continue;
        }
        if super::trust::trusted_as(key_dir, &cp.fingerprint)?.is_none() {
            problems.push(format!(
                "{name}: signed by key {}, which is neither your signing key nor a pinned \
                 signer (a checkpoint forged with another key?)",
                cp.fingerprint
            ));
        }
        if c.engagement_id != engagement_id {
            problems.push(format!(
                "{name}: it seals engagement {}, not this one",
                c.engagement_id
            ));
        }
        let held = records.len();
        if c.count as usize > held {
            problems.push(format!(
                "{name}: truncated: the log holds {held} records, fewer than were sealed"
            ));
        } else if c.count > 0 && records[c.count as usize - 1].hash != c.hash {
            problems.push(format!(
                "{name}: rewritten: record {} is not the record that was sealed",
                c.count
            ));
        }
        if c.count < highest {
            problems.push(format!(
                "{name}: seals fewer records than an earlier checkpoint ({highest})"
            ));
        }
        highest = highest.max(c.count);
    }
    for r in records.iter().filter(|r| r.entity == SEAL_ENTITY) {
        if !checkpoints.iter().any(|c| c.signature == r.entity_id) {
            problems.push(format!(
                "record {}: the checkpoint it stored ({}) was deleted from the engagement",
                r.seq, r.at
            ));
        }
    }
    Ok(problems)
}

/// Checks the audit log a package carries: the checkpoint is signed by the package's own
/// signer, and the packaged log's chain ends exactly at the sealed count and hash. Each problem
/// is one line naming the file.
pub(crate) fn package_log_problems(package: &Path, signer_public_key: &str) -> Vec<String> {
    let read = |name: &str| {
        assay_package::read_package_entry(package, name, MAX_PACKAGED_LOG)
            .ok()
            .flatten()
    };
    let (Some(log), Some(checkpoint)) = (read(PACKAGE_LOG), read(PACKAGE_CHECKPOINT)) else {
        return vec![format!(
            "{PACKAGE_LOG}: missing (the package carries no sealed audit log)"
        )];
    };
    let cp: SignedCheckpoint = match serde_json::from_slice(&checkpoint) {
        Ok(cp) => cp,
        Err(e) => return vec![format!("{PACKAGE_CHECKPOINT}: not a checkpoint: {e}")],
    };
    let mut problems = Vec::new();
    if cp.public_key != signer_public_key
        || !assay_package::verify_message(
            &cp.public_key,
            &cp.checkpoint.signed_bytes(),
            &cp.signature,
        )
    {
        problems.push(format!(
            "{PACKAGE_CHECKPOINT}: not signed by the package's signer"
        ));
    }
    let mut records = Vec::new();
    for (number, line) in (1..).zip(log.split(|b| *b == b'\n')) {
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<AuditRecord>(line) {
            Ok(r) => records.push(r),
            Err(e) => {
                problems.push(format!("{PACKAGE_LOG}: line {number}: not a record: {e}"));
                return problems;
            }
        }
    }
    let chain = verify_chain(records, Some((cp.checkpoint.count, cp.checkpoint.hash)));
    if let Some(bad) = chain.first_bad {
        problems.push(format!(
            "{PACKAGE_LOG}: record {}: {} (against the sealed checkpoint)",
            bad.seq, bad.reason
        ));
    }
    problems
}
