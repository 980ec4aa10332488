-- Foundation: audit log, reference data, the organisations' core record.
-- Timestamps are RFC 3339 UTC text of fixed width (see db::now), ids opaque text,
-- flags 0/1 integers (see docs/adr/0001).

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id TEXT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE cnae_codes (
    version TEXT NOT NULL CHECK (version IN ('2009', '2025')),
    code TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent TEXT,
    title_es TEXT NOT NULL,
    title_en TEXT NOT NULL,
    search_text TEXT NOT NULL,
    PRIMARY KEY (version, code)
);

CREATE TABLE municipalities (
    ine_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    comarca TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    in_district INTEGER NOT NULL DEFAULT 0 CHECK (in_district IN (0, 1)),
    search_text TEXT NOT NULL
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('company', 'administration', 'business_association',
        'union', 'training_centre', 'research_centre', 'investor', 'other')),
    tax_id TEXT NOT NULL UNIQUE,
    municipality_code TEXT REFERENCES municipalities (ine_code),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organizations_municipality ON organizations (municipality_code);
