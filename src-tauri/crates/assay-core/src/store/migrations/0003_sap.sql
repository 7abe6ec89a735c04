-- Schema v3: the Security Assessment Plan.
-- The SAP's sections are edited and saved whole, so each is one JSON document keyed by section;
-- deviations after signing are rows because the SAR lists them one by one.

CREATE TABLE sap (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    drafted_at      TEXT NOT NULL,
    signing         TEXT            -- the signatures (JSON) once signed; NULL while a draft
);

CREATE TABLE sap_section (
    key             TEXT PRIMARY KEY NOT NULL,   -- a field of the SAP data, e.g. `schedule`
    data            TEXT NOT NULL                -- the section as JSON
);

CREATE TABLE sap_deviation (
    seq             INTEGER PRIMARY KEY NOT NULL,    -- DEV-<seq>
    section         TEXT NOT NULL,
    description     TEXT NOT NULL,
    justification   TEXT NOT NULL CHECK (length(trim(justification)) > 0),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL
);
