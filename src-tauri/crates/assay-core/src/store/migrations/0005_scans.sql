-- Schema: imported scanner results. One row per imported file (its SHA-256 is unique: the same
-- bytes are imported once), the hosts each file scanned, plugin text stored once per tool+plugin,
-- weaknesses (one per tool+plugin across all hosts and files: the RET row) with their instances,
-- per-instance output compressed out of the hot table, compliance check results, and the CVE
-- correlation table that groups weaknesses reported by different tools.
--
-- The raw file is kept beside the engagement (`<engagement>.scans/<sha256>`), not in SQLite, so
-- scans of any size never bloat the engagement file; `scan_file.sha256` names it.

CREATE TABLE scan_file (
    id              TEXT PRIMARY KEY NOT NULL,
    sha256          TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    format          TEXT NOT NULL,
    tool            TEXT NOT NULL,
    tool_version    TEXT,
    scan_start      TEXT,
    scan_end        TEXT,
    size            INTEGER NOT NULL,
    imported_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    receipt         TEXT NOT NULL            -- the ScanReceipt as JSON
);

CREATE TABLE scan_host (
    id              INTEGER PRIMARY KEY,
    file_id         TEXT NOT NULL REFERENCES scan_file (id) ON DELETE CASCADE,
    host_key        TEXT NOT NULL,           -- normalised identity used to join items to hosts
    ip              TEXT,
    fqdn            TEXT,
    netbios         TEXT,
    mac             TEXT,
    os              TEXT,
    image           TEXT,
    url             TEXT,
    file_path       TEXT,
    resource        TEXT,
    name            TEXT,
    credentialed    INTEGER,                 -- NULL: the file does not say
    auth_failures   TEXT NOT NULL DEFAULT '[]',
    inventory_uuid  TEXT,                    -- matched SSP inventory item at import (NULL: undocumented)
    start           TEXT,
    end             TEXT,
    UNIQUE (file_id, host_key)
);
CREATE INDEX scan_host_inventory ON scan_host (inventory_uuid);

CREATE TABLE plugin (
    id              INTEGER PRIMARY KEY,
    tool            TEXT NOT NULL,
    plugin_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    synopsis        TEXT,
    description     TEXT,
    solution        TEXT,
    family          TEXT,
    refs            TEXT NOT NULL DEFAULT '[]',   -- JSON array
    UNIQUE (tool, plugin_id)
);

CREATE TABLE weakness (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,    -- assay_scan::weakness_key
    tool            TEXT NOT NULL,
    plugin_id       TEXT NOT NULL,
    format          TEXT NOT NULL,           -- scanner format of the first import (decides the SAR column)
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,           -- vulnerability, potential, informational, misconfiguration, secret
    severity        TEXT NOT NULL,           -- critical, high, medium, low, info, unknown
    fedramp_risk    TEXT CHECK (fedramp_risk IN ('high', 'moderate', 'low')),  -- NULL: out of the RET
    cvss            TEXT NOT NULL DEFAULT '[]',   -- JSON array of {version, score, vector, source}
    cvss_score      REAL,                    -- the highest stated base score
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    review          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (review IN ('pending', 'accepted', 'false-positive', 'merged')),
    merged_into     INTEGER REFERENCES weakness (id),
    review_rationale TEXT NOT NULL DEFAULT '',
    review_evidence TEXT NOT NULL DEFAULT '[]',   -- JSON array of evidence ids
    library_entry_id TEXT,                   -- finding-library write-up mapped to this plugin
    finding_id      TEXT                     -- the finding an accepted weakness became
);
CREATE INDEX weakness_tool_plugin ON weakness (tool, plugin_id);

-- Correlation across tools: weaknesses that share a CVE id are the same weakness seen twice.
CREATE TABLE weakness_cve (
    weakness_id     INTEGER NOT NULL REFERENCES weakness (id) ON DELETE CASCADE,
    cve             TEXT NOT NULL,
    PRIMARY KEY (weakness_id, cve)
);
CREATE INDEX weakness_cve_cve ON weakness_cve (cve);

CREATE TABLE weakness_instance (
    id              INTEGER PRIMARY KEY,
    weakness_id     INTEGER NOT NULL REFERENCES weakness (id),
    file_id         TEXT NOT NULL REFERENCES scan_file (id) ON DELETE CASCADE,
    host_id         INTEGER NOT NULL REFERENCES scan_host (id) ON DELETE CASCADE,
    port            INTEGER,
    protocol        TEXT,
    service         TEXT,
    location        TEXT
);
CREATE INDEX weakness_instance_weakness ON weakness_instance (weakness_id);
CREATE INDEX weakness_instance_host ON weakness_instance (host_id);
CREATE INDEX weakness_instance_file ON weakness_instance (file_id);

-- Plugin output per instance, zlib-compressed, kept out of the hot table.
-- Per-instance output, out of the hot tables. Outputs under 1 KiB are stored as they are (compressing
-- them costs more than it saves); longer ones zlib-compressed (`compressed` = 1).
CREATE TABLE instance_output (
    instance_id     INTEGER PRIMARY KEY NOT NULL REFERENCES weakness_instance (id) ON DELETE CASCADE,
    compressed      INTEGER NOT NULL,
    data            BLOB NOT NULL
);

CREATE TABLE compliance_result (
    id              INTEGER PRIMARY KEY,
    file_id         TEXT NOT NULL REFERENCES scan_file (id) ON DELETE CASCADE,
    host_id         INTEGER NOT NULL REFERENCES scan_host (id) ON DELETE CASCADE,
    tool            TEXT NOT NULL,
    plugin_id       TEXT NOT NULL,
    check_name      TEXT NOT NULL,
    check_id        TEXT,
    audit_file      TEXT,
    result          TEXT,                    -- pass, fail, warning, error; NULL: not stated
    actual_value    TEXT,
    policy_value    TEXT,
    refs_800_53     TEXT NOT NULL DEFAULT '[]'    -- JSON array: CM-6, AC-2(1), ...
);
CREATE INDEX compliance_result_check ON compliance_result (check_id, check_name);
