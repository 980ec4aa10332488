-- Sites: estates (polígonos), sites (plots, buildings, warehouses, offices), their
-- photos and documents, the availability history, and the file store.
-- Every fact of a site is nullable: NULL means unknown, never zero or "no".

CREATE TABLE estates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    municipality_code TEXT NOT NULL REFERENCES municipalities (ine_code),
    managing_body TEXT,
    status TEXT NOT NULL DEFAULT 'existing' CHECK (status IN ('existing', 'planned')),
    outline TEXT,
    lat REAL,
    lon REAL,
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX estates_municipality ON estates (municipality_code);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    reference TEXT UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('plot', 'building', 'warehouse', 'office')),
    estate_id TEXT REFERENCES estates (id),
    published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    municipality_code TEXT NOT NULL REFERENCES municipalities (ine_code),
    address TEXT,
    lat REAL,
    lon REAL,
    outline TEXT,
    cadastral_refs TEXT NOT NULL DEFAULT '',
    area_m2 REAL,
    net_area_m2 REAL,
    buildable_m2 REAL,
    permitted_uses TEXT NOT NULL DEFAULT '',
    uses_text TEXT,
    planning_status TEXT,
    availability TEXT CHECK (availability IN ('available', 'reserved', 'sold', 'let', 'in_tender')),
    available_from TEXT,
    sale_price_m2 REAL,
    rent_m2_month REAL,
    rent_to_buy INTEGER CHECK (rent_to_buy IN (0, 1)),
    power_kva REAL,
    voltage_kv REAL,
    substation_km REAL,
    gas INTEGER CHECK (gas IN (0, 1)),
    water_m3_day REAL,
    sewerage INTEGER CHECK (sewerage IN (0, 1)),
    fibre INTEGER CHECK (fibre IN (0, 1)),
    rail_siding INTEGER CHECK (rail_siding IN (0, 1)),
    motorway_km REAL,
    port_km REAL,
    airport_km REAL,
    flood_risk TEXT CHECK (flood_risk IN ('none', 'low', 'medium', 'high')),
    environmental_status TEXT CHECK (environmental_status IN ('clean', 'brownfield', 'remediated', 'under_assessment')),
    environmental_notes TEXT,
    owner TEXT,
    managing_body TEXT,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    description TEXT NOT NULL DEFAULT '',
    internal_notes TEXT,
    last_verified_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sites_estate ON sites (estate_id);
CREATE INDEX sites_municipality ON sites (municipality_code);

-- Every move between availability states, with the date it took effect.
CREATE TABLE site_availability_events (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    from_state TEXT,
    to_state TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    available_from TEXT,
    note TEXT,
    user_id TEXT,
    at TEXT NOT NULL
);
CREATE INDEX site_availability_events_site ON site_availability_events (site_id, at);

-- Uploaded files live in the database, so every instance sees them and backups hold them.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE site_files (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    title TEXT NOT NULL,
    file_id TEXT NOT NULL REFERENCES files (id),
    thumb_id TEXT REFERENCES files (id),
    width INTEGER,
    height INTEGER,
    size INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX site_files_site ON site_files (site_id, kind, position);
CREATE INDEX site_files_file ON site_files (file_id);
CREATE INDEX site_files_thumb ON site_files (thumb_id);

-- Bumped in the transaction of every write to estates, sites or their files:
-- each instance's in-memory catalogue reloads when it changes.
CREATE TABLE site_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO site_revision (id, value) VALUES (1, 0);
