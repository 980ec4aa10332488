-- The Industrial Pact, part 1: needs of large companies, the answers of the local
-- organisations invited to them (double opt-in), their files, the timeline, the
-- follow-ups after an agreement and the target response times per kind.
-- Booleans are 0/1 integers on both backends; timestamps are RFC 3339 text.

-- Target time to the first qualified answer, in business days, per need kind.
CREATE TABLE pact_targets (
    kind TEXT PRIMARY KEY CHECK (kind IN ('supply', 'service', 'talent', 'infrastructure_energy',
        'land', 'permit_regulatory', 'rnd', 'other')),
    target_days INTEGER NOT NULL DEFAULT 5 CHECK (target_days > 0 AND target_days <= 365),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
INSERT INTO pact_targets (kind, target_days, version, updated_at) VALUES
    ('supply', 5, 1, '2026-11-29T00:00:00Z'),
    ('service', 5, 1, '2026-11-29T00:00:00Z'),
    ('talent', 10, 1, '2026-11-29T00:00:00Z'),
    ('infrastructure_energy', 15, 1, '2026-11-29T00:00:00Z'),
    ('land', 10, 1, '2026-11-29T00:00:00Z'),
    ('permit_regulatory', 10, 1, '2026-11-29T00:00:00Z'),
    ('rnd', 10, 1, '2026-11-29T00:00:00Z'),
    ('other', 5, 1, '2026-11-29T00:00:00Z');

-- Sequence of the human references (NEC-YYYY-NNNN), one row per year.
CREATE TABLE need_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('supply', 'service', 'talent', 'infrastructure_energy',
        'land', 'permit_regulatory', 'rnd', 'other')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- CNAE-2025 stored codes (digits), comma-separated.
    cnae_codes TEXT NOT NULL DEFAULT '',
    -- CPV codes NNNNNNNN-N, comma-separated.
    cpv_codes TEXT NOT NULL DEFAULT '',
    -- JSON array of certification names.
    required_certifications TEXT NOT NULL DEFAULT '[]',
    quantity TEXT,
    recurrence TEXT CHECK (recurrence IN ('one_off', 'weekly', 'monthly', 'quarterly', 'yearly', 'ongoing')),
    municipality_code TEXT,
    deadline TEXT,
    min_size_band TEXT CHECK (min_size_band IN ('micro', 'small', 'medium', 'large')),
    owner_org_id TEXT NOT NULL REFERENCES organizations (id),
    anonymous INTEGER NOT NULL DEFAULT 1 CHECK (anonymous IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'published',
        'answered', 'negotiating', 'agreed', 'closed', 'expired')),
    close_reason TEXT,
    routed_org_id TEXT REFERENCES organizations (id),
    broker_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    submitted_at TEXT,
    published_at TEXT,
    first_answer_at TEXT,
    agreed_at TEXT,
    agreed_amount_cents INTEGER CHECK (agreed_amount_cents >= 0),
    closed_at TEXT,
    overdue_notified_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX needs_owner ON needs (owner_org_id);
CREATE INDEX needs_status ON needs (status);
CREATE INDEX needs_created ON needs (created_at, id);
CREATE INDEX needs_routed ON needs (routed_org_id);

-- One answer per invited organisation.
CREATE TABLE need_answers (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'declined', 'interested',
        'shortlisted', 'meeting', 'accepted', 'rejected')),
    -- The ranking's score at invitation (0-100).
    score DOUBLE PRECISION,
    invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    invited_at TEXT NOT NULL,
    proposal TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '',
    presentation TEXT NOT NULL DEFAULT '',
    offer_text TEXT NOT NULL DEFAULT '',
    offer_amount_cents INTEGER CHECK (offer_amount_cents >= 0),
    answered_at TEXT,
    owner_consent_at TEXT,
    candidate_consent_at TEXT,
    meeting_at TEXT,
    decided_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (need_id, organization_id)
);
CREATE INDEX need_answers_org ON need_answers (organization_id);

CREATE TABLE need_answer_files (
    id TEXT PRIMARY KEY,
    answer_id TEXT NOT NULL REFERENCES need_answers (id) ON DELETE CASCADE,
    file_id TEXT NOT NULL REFERENCES files (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX need_answer_files_answer ON need_answer_files (answer_id);

-- The timeline of a need and the funnel's source.
CREATE TABLE need_events (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    answer_id TEXT REFERENCES need_answers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX need_events_need ON need_events (need_id, at);
CREATE INDEX need_events_kind ON need_events (kind, at);

-- Questions to both sides 3 and 6 months after an agreement.
CREATE TABLE need_followups (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    answer_id TEXT NOT NULL REFERENCES need_answers (id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('owner', 'candidate')),
    months INTEGER NOT NULL CHECK (months IN (3, 6)),
    due_on TEXT NOT NULL,
    sent_at TEXT,
    answer TEXT,
    satisfied INTEGER CHECK (satisfied IN (0, 1)),
    answered_at TEXT,
    answered_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (answer_id, side, months)
);
CREATE INDEX need_followups_due ON need_followups (due_on);
CREATE INDEX need_followups_need ON need_followups (need_id);
CREATE INDEX need_followups_answered_by ON need_followups (answered_by);

-- Every foreign key has an index (deletes of the referenced rows stay cheap).
CREATE INDEX needs_created_by ON needs (created_by);
CREATE INDEX needs_broker ON needs (broker_id);
CREATE INDEX need_answers_invited_by ON need_answers (invited_by);
CREATE INDEX need_answer_files_uploaded_by ON need_answer_files (uploaded_by);
CREATE INDEX need_answer_files_file ON need_answer_files (file_id);
CREATE INDEX need_events_actor ON need_events (actor_id);
CREATE INDEX need_events_answer ON need_events (answer_id);
