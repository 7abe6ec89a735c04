-- Schema: testing during the freeze. The freeze baseline and the drift recorded after it, one test
-- row per assessable objective, the evidence store's index and custody log, findings and the
-- finding library.
--
-- Test rows and evidence links are keyed by objective id without a foreign key on purpose:
-- reloading the baseline replaces the objective table, and results must survive that.

CREATE TABLE freeze (
    id              TEXT PRIMARY KEY NOT NULL,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    sha256          TEXT NOT NULL,   -- canonical hash of the in-scope SSP content and the window
    window_start    TEXT NOT NULL,   -- YYYY-MM-DD
    window_end      TEXT NOT NULL,
    import_id       TEXT NOT NULL    -- the SSP import frozen
);
CREATE INDEX freeze_at ON freeze (at);

CREATE TABLE drift (
    id              TEXT PRIMARY KEY NOT NULL,
    freeze_id       TEXT NOT NULL REFERENCES freeze (id),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    source_name     TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,   -- the canonical hash of the re-imported content
    summary         TEXT NOT NULL,
    changes         TEXT NOT NULL    -- what changed against the previously stored SSP (JSON)
);
CREATE INDEX drift_at ON drift (at);

CREATE TABLE control_test (
    objective_id    TEXT PRIMARY KEY NOT NULL,
    methods         TEXT NOT NULL DEFAULT '',          -- examine,interview,test
    examined        TEXT NOT NULL DEFAULT '',
    interviewed     TEXT NOT NULL DEFAULT '',
    tested          TEXT NOT NULL DEFAULT '',
    observations    TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT 'untested'
                    CHECK (result IN ('satisfied', 'other-than-satisfied', 'untested')),
    assessor        TEXT NOT NULL DEFAULT '',
    tested_on       TEXT,                              -- YYYY-MM-DD
    no_finding_reason TEXT NOT NULL DEFAULT '',        -- why an other-than-satisfied row has no finding
    updated_at      TEXT NOT NULL
);
CREATE INDEX control_test_result ON control_test (result);

CREATE TABLE evidence (
    id              TEXT PRIMARY KEY NOT NULL,   -- the SHA-256 of the content (content addressed)
    size            INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    title           TEXT NOT NULL,
    collected_by    TEXT NOT NULL,
    collected_from  TEXT NOT NULL,
    collected_at    TEXT NOT NULL,
    source          TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    added_by        TEXT NOT NULL
);

CREATE TABLE evidence_link (
    evidence_id     TEXT NOT NULL REFERENCES evidence (id),
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('objective', 'finding')),
    target_id       TEXT NOT NULL,
    linked_at       TEXT NOT NULL,
    PRIMARY KEY (evidence_id, target_kind, target_id)
);
CREATE INDEX evidence_link_target ON evidence_link (target_kind, target_id);

CREATE TABLE custody (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    evidence_id     TEXT NOT NULL REFERENCES evidence (id),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('add', 'link', 'export')),
    detail          TEXT NOT NULL
);
CREATE INDEX custody_evidence ON custody (evidence_id, seq);
-- The custody log is append-only, like the audit log.
CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;

CREATE TABLE finding (
    id              TEXT PRIMARY KEY NOT NULL,
    number          INTEGER NOT NULL UNIQUE,     -- F-001, F-002, ... in order of creation
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    risk            TEXT NOT NULL,               -- original exposure: low, moderate, high
    created_at      TEXT NOT NULL,
    data            TEXT NOT NULL                -- the whole finding (JSON)
);

-- Which objectives a finding answers (an other-than-satisfied row needs one, or a reason).
CREATE TABLE finding_objective (
    finding_id      TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
    objective_id    TEXT NOT NULL,
    PRIMARY KEY (finding_id, objective_id)
);
CREATE INDEX finding_objective_objective ON finding_objective (objective_id);

CREATE TABLE library_entry (
    id              TEXT PRIMARY KEY NOT NULL,
    title           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    data            TEXT NOT NULL                -- the whole entry (JSON)
);
