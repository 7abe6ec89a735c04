-- Schema v1: the engagement, the people on it, and the append-only audit log.

CREATE TABLE engagement (
    id                  TEXT PRIMARY KEY NOT NULL,
    cso_name            TEXT NOT NULL CHECK (length(trim(cso_name)) > 0),
    csp_name            TEXT NOT NULL DEFAULT '',
    assessor_org        TEXT NOT NULL DEFAULT '',
    agency              TEXT NOT NULL DEFAULT '',
    package_id          TEXT NOT NULL DEFAULT '',
    impact_level        TEXT NOT NULL CHECK (impact_level IN ('li-saas', 'low', 'moderate', 'high')),
    authorization_path  TEXT NOT NULL CHECK (authorization_path IN ('agency', 'jab', 'program')),
    assessment_type     TEXT NOT NULL CHECK (assessment_type IN ('initial', 'annual', 'scr')),
    test_window_start   TEXT,
    test_window_end     TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE team_member (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    side        TEXT NOT NULL CHECK (side IN ('3pao', 'csp', 'agency')),
    role        TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The log is append-only inside Assay; the hash chain catches edits made around these triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The chain head (record count and last hash), so a deleted tail of the log is detectable.
CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    count   INTEGER NOT NULL,
    hash    TEXT NOT NULL
);
