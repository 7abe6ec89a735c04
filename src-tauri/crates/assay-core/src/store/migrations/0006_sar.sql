-- Schema: the Security Assessment Report's written fields, the CISA Known Exploited
-- Vulnerabilities catalog the assessor imported (for POA&M due dates), and the assessor's
-- explanations for in-scope assets that no scan covered.
--
-- Everything else in the SAR, the RET and the seed POA&M is computed from the findings,
-- weaknesses, tests and coverage already stored; nothing computed is stored here.

CREATE TABLE sar (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    data            TEXT NOT NULL,           -- SarData as JSON
    updated_at      TEXT NOT NULL
);

CREATE TABLE kev_catalog (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    source_name     TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    released        TEXT NOT NULL,
    entries         INTEGER NOT NULL,
    imported_at     TEXT NOT NULL,
    actor           TEXT NOT NULL
);

CREATE TABLE kev (
    cve             TEXT PRIMARY KEY NOT NULL,
    vendor          TEXT NOT NULL,
    product         TEXT NOT NULL,
    name            TEXT NOT NULL,
    date_added      TEXT NOT NULL,
    due_date        TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE coverage_note (
    inventory_uuid  TEXT PRIMARY KEY NOT NULL,
    note            TEXT NOT NULL,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL
);
