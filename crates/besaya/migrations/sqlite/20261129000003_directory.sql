-- The directory of organisations: the full record, its activities (CNAE codes
-- with their classification version), certifications, and the change feed that
-- keeps every instance's search index current.

ALTER TABLE organizations ADD COLUMN trade_name TEXT;
ALTER TABLE organizations ADD COLUMN address TEXT;
ALTER TABLE organizations ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE organizations ADD COLUMN lon DOUBLE PRECISION;
ALTER TABLE organizations ADD COLUMN employees INTEGER CHECK (employees >= 0);
ALTER TABLE organizations ADD COLUMN size_band TEXT CHECK (size_band IN ('micro', 'small', 'medium', 'large'));
ALTER TABLE organizations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN capabilities TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN website TEXT;
ALTER TABLE organizations ADD COLUMN email TEXT;
ALTER TABLE organizations ADD COLUMN phone TEXT;
ALTER TABLE organizations ADD COLUMN pact_member INTEGER NOT NULL DEFAULT 0 CHECK (pact_member IN (0, 1));
ALTER TABLE organizations ADD COLUMN dir3_code TEXT;
ALTER TABLE organizations ADD COLUMN cnae_version TEXT NOT NULL DEFAULT '2025' CHECK (cnae_version IN ('2009', '2025'));

-- Activities in order: position 0 is the primary one.
CREATE TABLE organization_activities (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    version TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (organization_id, position),
    UNIQUE (organization_id, version, code),
    FOREIGN KEY (version, code) REFERENCES cnae_codes (version, code)
);
CREATE INDEX organization_activities_code ON organization_activities (version, code);

CREATE TABLE organization_certifications (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    name TEXT NOT NULL,
    number TEXT,
    issuer TEXT,
    expires_on TEXT,
    PRIMARY KEY (organization_id, position)
);

-- Every write to an organisation appends its id here, in the write's transaction.
-- Search indexes read what they have not applied yet (and rebuild when far behind).
CREATE TABLE organization_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL
);
