-- Schema v2: the FedRAMP baseline (controls, 800-53A objectives) and the CSP's SSP.
-- Each entity keeps the columns Assay queries by, plus `data`: the whole record as JSON, so the
-- stored content is lossless and the models can be rebuilt exactly.

CREATE TABLE baseline (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    source_name     TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,
    source_format   TEXT NOT NULL,
    oscal_version   TEXT NOT NULL,
    title           TEXT NOT NULL,
    version         TEXT NOT NULL,
    loaded_at       TEXT NOT NULL,
    header          TEXT NOT NULL   -- the catalog without its controls (JSON)
);

CREATE TABLE control (
    id              TEXT PRIMARY KEY NOT NULL,   -- ac-2, ac-2.1
    label           TEXT NOT NULL,               -- AC-2, AC-2(1)
    title           TEXT NOT NULL,
    family_id       TEXT NOT NULL,
    family_title    TEXT NOT NULL,
    parent_id       TEXT,
    sort_order      INTEGER NOT NULL,
    core            INTEGER NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX control_family ON control (family_id, sort_order);

CREATE TABLE objective (
    id              TEXT PRIMARY KEY NOT NULL,   -- ac-2_obj.a-1
    control_id      TEXT NOT NULL REFERENCES control (id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    text            TEXT NOT NULL,
    parent_id       TEXT,
    depth           INTEGER NOT NULL,
    leaf            INTEGER NOT NULL,
    response_point  INTEGER NOT NULL,
    -- The determination statements an assessor rates: the FedRAMP response points of the control,
    -- or its leaf objectives where the baseline marks none.
    assessable      INTEGER NOT NULL,
    methods         TEXT NOT NULL,               -- EXAMINE,INTERVIEW,TEST
    sort_order      INTEGER NOT NULL
);
CREATE INDEX objective_control ON objective (control_id, sort_order);

CREATE TABLE ssp_import (
    id              TEXT PRIMARY KEY NOT NULL,
    imported_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    source_name     TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,
    source_format   TEXT NOT NULL,
    oscal_version   TEXT NOT NULL,
    title           TEXT NOT NULL,
    version         TEXT NOT NULL,
    changes         TEXT NOT NULL   -- summary of what changed against the previous import (JSON)
);

CREATE TABLE ssp (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    import_id       TEXT NOT NULL REFERENCES ssp_import (id),
    uuid            TEXT NOT NULL,
    title           TEXT NOT NULL,
    system_name     TEXT NOT NULL,
    package_id      TEXT,
    document        TEXT NOT NULL   -- the SSP without its large lists (JSON)
);

CREATE TABLE ssp_user (
    -- SSPs in the wild repeat uuids, so the order is the key and uuid is only indexed.
    position        INTEGER PRIMARY KEY NOT NULL,
    uuid            TEXT NOT NULL,
    title           TEXT NOT NULL,
    user_type       TEXT,
    role_ids        TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX ssp_user_uuid ON ssp_user (uuid);

CREATE TABLE ssp_component (
    -- SSPs in the wild repeat uuids, so the order is the key and uuid is only indexed.
    position        INTEGER PRIMARY KEY NOT NULL,
    uuid            TEXT NOT NULL,
    component_type  TEXT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX ssp_component_uuid ON ssp_component (uuid);

CREATE TABLE ssp_inventory_item (
    -- SSPs in the wild repeat uuids, so the order is the key and uuid is only indexed.
    position        INTEGER PRIMARY KEY NOT NULL,
    uuid            TEXT NOT NULL,
    asset_id        TEXT,
    asset_type      TEXT,
    ipv4            TEXT NOT NULL,
    ipv6            TEXT NOT NULL,
    fqdn            TEXT,
    netbios_name    TEXT,
    mac_address     TEXT,
    os_name         TEXT,
    os_version      TEXT,
    software        TEXT,
    is_virtual      INTEGER,
    is_public       INTEGER,
    scan_type       TEXT,
    authenticated_scan INTEGER,
    baseline_configuration TEXT,
    function        TEXT,
    description     TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX ssp_inventory_item_uuid ON ssp_inventory_item (uuid);

CREATE TABLE ssp_implemented_requirement (
    -- SSPs in the wild repeat uuids, so the order is the key and uuid is only indexed.
    position        INTEGER PRIMARY KEY NOT NULL,
    uuid            TEXT NOT NULL,
    control_id      TEXT NOT NULL,
    implementation_status TEXT,
    control_origination TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX ssp_implemented_requirement_uuid ON ssp_implemented_requirement (uuid);
CREATE INDEX ssp_implemented_requirement_control ON ssp_implemented_requirement (control_id);

CREATE TABLE ssp_resource (
    -- SSPs in the wild repeat uuids, so the order is the key and uuid is only indexed.
    position        INTEGER PRIMARY KEY NOT NULL,
    uuid            TEXT NOT NULL,
    title           TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX ssp_resource_uuid ON ssp_resource (uuid);
