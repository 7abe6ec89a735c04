-- Schema v7: the chain of custody. The audit log's head is protected like the log, each new
-- audit record carries the SHA-256 of the row it changed, and signed checkpoints of the log
-- head (made by `assay seal` and every package build) are kept, append-only.

-- The hash of the changed row's canonical content after the change ('deleted' for a deletion);
-- NULL for records written before this migration and for entities whose rows are not covered.
ALTER TABLE audit_log ADD COLUMN row_hash TEXT;

-- The head only ever moves to the next record, and is never deleted.
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit log head cannot be deleted'); END;
CREATE TRIGGER audit_head_next_only BEFORE UPDATE ON audit_head
WHEN NEW.id IS NOT OLD.id
  OR NEW.count IS NOT OLD.count + 1
  OR NEW.hash IS NOT (SELECT hash FROM audit_log WHERE seq = NEW.count)
BEGIN SELECT RAISE(ABORT, 'the audit log head only moves to the next record'); END;
CREATE TRIGGER audit_head_first_only BEFORE INSERT ON audit_head
WHEN (SELECT count(*) FROM audit_head) > 0
  OR NEW.count IS NOT 1
  OR NEW.hash IS NOT (SELECT hash FROM audit_log WHERE seq = 1)
BEGIN SELECT RAISE(ABORT, 'the audit log head starts at the first record'); END;

-- Signed checkpoints of the log head: (count, last hash, engagement id, time) signed with the
-- 3PAO's Ed25519 key.
CREATE TABLE audit_checkpoint (
    id              INTEGER PRIMARY KEY,
    engagement_id   TEXT NOT NULL,
    count           INTEGER NOT NULL,
    hash            TEXT NOT NULL,
    at              TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    signature       TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
