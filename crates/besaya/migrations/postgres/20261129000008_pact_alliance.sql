-- The Industrial Pact, part 2: the alliance itself. Member organisations by
-- college with their representatives, working groups (mesas) and their
-- meetings (agenda, documents, minutes, attendance, agreements), and the
-- commitments tree whose progress may come from an indicator computed from the
-- platform's own data.
-- Booleans are 0/1 integers on both backends; timestamps are RFC 3339 text,
-- dates YYYY-MM-DD.

-- An organisation of the directory in the pact. A membership has a start and
-- maybe an end; an organisation that rejoins gets a new row.
CREATE TABLE pact_members (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    college TEXT NOT NULL CHECK (college IN ('administrations', 'employers', 'unions', 'others')),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX pact_members_organization ON pact_members (organization_id);

-- The people who speak for a member: users of the platform.
CREATE TABLE pact_representatives (
    member_id TEXT NOT NULL REFERENCES pact_members (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'holder' CHECK (role IN ('holder', 'alternate')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (member_id, user_id)
);
CREATE INDEX pact_representatives_user ON pact_representatives (user_id);

-- Working groups (mesas de trabajo).
CREATE TABLE pact_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    chair_member_id TEXT REFERENCES pact_members (id) ON DELETE SET NULL,
    archived_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX pact_groups_name ON pact_groups (name);
CREATE INDEX pact_groups_chair ON pact_groups (chair_member_id);

CREATE TABLE pact_group_members (
    group_id TEXT NOT NULL REFERENCES pact_groups (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES pact_members (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX pact_group_members_member ON pact_group_members (member_id);

-- Sequence of the human references of meetings (REU-YYYY-NNN), agreements
-- (ACU-YYYY-NNN) and commitments (COM-YYYY-NNN): one row per kind and year.
CREATE TABLE pact_counters (
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'agreement', 'commitment')),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, year)
);

CREATE TABLE pact_meetings (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL REFERENCES pact_groups (id),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held', 'cancelled')),
    invitations_sent_at TEXT,
    minutes_sent_at TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX pact_meetings_group ON pact_meetings (group_id, starts_at);
CREATE INDEX pact_meetings_starts ON pact_meetings (starts_at);
CREATE INDEX pact_meetings_created_by ON pact_meetings (created_by);

CREATE TABLE pact_meeting_documents (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES pact_meetings (id) ON DELETE CASCADE,
    file_id TEXT NOT NULL REFERENCES files (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX pact_meeting_documents_meeting ON pact_meeting_documents (meeting_id);
CREATE INDEX pact_meeting_documents_file ON pact_meeting_documents (file_id);
CREATE INDEX pact_meeting_documents_uploaded_by ON pact_meeting_documents (uploaded_by);

-- Who came, and for which organisation. A guest without a user has a name only.
CREATE TABLE pact_attendance (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES pact_meetings (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    organization_id TEXT REFERENCES organizations (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX pact_attendance_user ON pact_attendance (meeting_id, user_id);
CREATE INDEX pact_attendance_user_id ON pact_attendance (user_id);
CREATE INDEX pact_attendance_organization ON pact_attendance (organization_id);

CREATE TABLE pact_agreements (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    meeting_id TEXT NOT NULL REFERENCES pact_meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pact_agreements_meeting ON pact_agreements (meeting_id, position);

-- The commitments tree. A node with children rolls them up (weighted mean of
-- their progress); a leaf's progress is typed in, or comes from an indicator
-- computed by the platform when `indicator` is set (target and baseline in the
-- indicator's unit: a count, euro cents or a whole percentage, counted from
-- `indicator_from`).
CREATE TABLE pact_commitments (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    parent_id TEXT REFERENCES pact_commitments (id),
    position BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_org_id TEXT REFERENCES organizations (id),
    agreement_id TEXT REFERENCES pact_agreements (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress',
        'finished', 'cancelled')),
    progress BIGINT NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    weight BIGINT NOT NULL DEFAULT 1 CHECK (weight >= 1 AND weight <= 1000),
    starts_on TEXT,
    due_on TEXT,
    indicator TEXT,
    indicator_baseline BIGINT NOT NULL DEFAULT 0,
    indicator_target BIGINT,
    indicator_from TEXT,
    public BIGINT NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (indicator IS NULL OR indicator_target IS NOT NULL)
);
CREATE INDEX pact_commitments_parent ON pact_commitments (parent_id, position);
CREATE INDEX pact_commitments_owner ON pact_commitments (owner_org_id);
CREATE INDEX pact_commitments_agreement ON pact_commitments (agreement_id);
CREATE INDEX pact_commitments_created_by ON pact_commitments (created_by);

CREATE TABLE pact_milestones (
    id TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES pact_commitments (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pact_milestones_commitment ON pact_milestones (commitment_id, due_on);

-- The meetings where a commitment was decided or reviewed.
CREATE TABLE pact_commitment_meetings (
    commitment_id TEXT NOT NULL REFERENCES pact_commitments (id) ON DELETE CASCADE,
    meeting_id TEXT NOT NULL REFERENCES pact_meetings (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('decided', 'reviewed')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (commitment_id, meeting_id, role)
);
CREATE INDEX pact_commitment_meetings_meeting ON pact_commitment_meetings (meeting_id);
