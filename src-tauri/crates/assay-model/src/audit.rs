//! The audit log: who changed what, when, chained by SHA-256 so tampering shows.
//!
//! Invariant: a record's `hash` covers every other field including `prev_hash`, and `prev_hash` is
//! the previous record's `hash` (64 zeros for the first). Editing, deleting or reordering any record
//! breaks the chain at that record.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a use case asks to be logged; the store adds sequence, time and the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The kind of record touched, e.g. `engagement`, `team_member`.
    pub entity: String,
    /// The id of the record touched.
    pub entity_id: String,
    /// `create`, `update`, `delete`, `import`, ...
    pub action: String,
    /// One line for people, e.g. `impact level: Moderate → High`.
    pub summary: String,
    /// The state before the change (JSON or text), empty for creations.
    pub before: String,
    /// The state after the change, empty for deletions.
    pub after: String,
}

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditRecord {
    /// 1, 2, 3, ... with no gaps.
    pub seq: u32,
    /// ISO-8601 UTC.
    pub at: String,
    /// Who made the change.
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub summary: String,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
    /// SHA-256 of the changed row's canonical content after the change ([`ROW_DELETED`] for a
    /// deletion), computed by the store in the same transaction. `None` for records written
    /// before schema 7 and for entities whose rows are not covered.
    pub row_hash: Option<String>,
}

/// The `row_hash` of a record whose change deleted the row.
pub const ROW_DELETED: &str = "deleted";

impl AuditRecord {
    /// The SHA-256 this record must carry, computed from all its other fields.
    pub fn compute_hash(&self) -> String {
        // Length-prefix every field so no two different records can serialise to the same bytes.
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        for field in [
            seq.as_str(),
            &self.at,
            &self.actor,
            &self.entity,
            &self.entity_id,
            &self.action,
            &self.summary,
            &self.before,
            &self.after,
            &self.prev_hash,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        // Records from before schema 7 have no row hash and keep their original hash.
        if let Some(row_hash) = &self.row_hash {
            h.update((row_hash.len() as u64).to_be_bytes());
            h.update(row_hash.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// The outcome of re-checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditVerification {
    /// How many records were read.
    pub records: u32,
    /// The first record that does not fit the chain, if any.
    pub first_bad: Option<BadRecord>,
}

/// A record that breaks the chain, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadRecord {
    pub seq: u32,
    pub reason: String,
}

impl AuditVerification {
    /// True when every record is intact.
    pub fn is_intact(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Walks records in sequence order and reports the first one that breaks the chain.
///
/// `head` is the (count, last hash) the store keeps beside the log, so a deleted tail is caught too.
pub fn verify_chain(
    records: impl IntoIterator<Item = AuditRecord>,
    head: Option<(u32, String)>,
) -> AuditVerification {
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut count = 0;
    for (expected_seq, r) in (1u32..).zip(records) {
        count = expected_seq;
        let reason = if r.seq != expected_seq {
            Some(format!("expected record {expected_seq} here, found record {} (a record was deleted or reordered)", r.seq))
        } else if r.prev_hash != expected_prev {
            Some("its link to the previous record does not match (the previous record was changed or removed)".to_owned())
        } else if r.compute_hash() != r.hash {
            Some("its contents do not match its hash (the record was edited)".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            return AuditVerification {
                records: count,
                first_bad: Some(BadRecord { seq: r.seq, reason }),
            };
        }
        expected_prev = r.hash;
    }
    if let Some((head_count, head_hash)) = head {
        let bad = if head_count != count {
            Some(BadRecord {
                seq: count + 1,
                reason: format!(
                    "the log should hold {head_count} records but {count} were found (records at the end were deleted)"
                ),
            })
        } else if head_hash != expected_prev {
            Some(BadRecord {
                seq: count,
                reason: "it is not the record the log last recorded (the record was replaced)"
                    .to_owned(),
            })
        } else {
            None
        };
        if bad.is_some() {
            return AuditVerification {
                records: count,
                first_bad: bad,
            };
        }
    }
    AuditVerification {
        records: count,
        first_bad: None,
    }
}

/// A checkpoint of the log head: what the 3PAO signs so a later rewrite of the log shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Checkpoint {
    /// The engagement whose log this is.
    pub engagement_id: String,
    /// Records in the log when it was sealed.
    pub count: u32,
    /// The hash of record `count` ([`GENESIS_HASH`] for an empty log).
    pub hash: String,
    /// When it was sealed, RFC 3339.
    pub at: String,
}

impl Checkpoint {
    /// The exact bytes the signature covers: a versioned, line-per-field text.
    pub fn signed_bytes(&self) -> Vec<u8> {
        format!(
            "assay-audit-checkpoint-v1\nengagement: {}\ncount: {}\nhash: {}\nat: {}\n",
            self.engagement_id, self.count, self.hash, self.at
        )
        .into_bytes()
    }
}

/// A checkpoint with the Ed25519 signature over [`Checkpoint::signed_bytes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignedCheckpoint {
    #[serde(flatten)]
    pub checkpoint: Checkpoint,
    /// Lowercase hex of the signer's Ed25519 public key.
    pub public_key: String,
    /// The signer's fingerprint, as `assay verify` prints it.
    pub fingerprint: String,
    /// Lowercase hex of the 64-byte signature.
    pub signature: String,
}
