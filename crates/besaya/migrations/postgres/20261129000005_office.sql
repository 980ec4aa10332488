-- The Office: inquiries from the public site, investor projects through their life
-- cycle (stage history kept), their team, a timeline of events, interactions,
-- tasks, site proposals with the investor's feedback, documents requested and
-- uploaded, messages between the investor and the staff, and private calendar feeds.

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    code_name TEXT NOT NULL UNIQUE,
    investor_org_id TEXT REFERENCES organizations (id),
    cnae_code TEXT,
    description TEXT NOT NULL DEFAULT '',
    -- The site requirements, as the body of POST /api/v1/sites/match (JSON).
    -- Evidence of verified figures: a document of the project (project_documents.id).
    requirements TEXT NOT NULL DEFAULT '{}',
    investment_committed_eur DOUBLE PRECISION,
    investment_verified_eur DOUBLE PRECISION,
    investment_verified_on TEXT,
    investment_evidence_doc_id TEXT,
    jobs_committed BIGINT,
    jobs_verified BIGINT,
    jobs_verified_on TEXT,
    jobs_evidence_doc_id TEXT,
    owner_id TEXT NOT NULL REFERENCES users (id),
    confidential BIGINT NOT NULL DEFAULT 1 CHECK (confidential IN (0, 1)),
    stage TEXT NOT NULL CHECK (stage IN ('inquiry', 'qualified', 'site_search', 'visits', 'decision', 'establishment', 'financing', 'construction', 'operating', 'aftercare', 'on_hold', 'lost')),
    stage_since TEXT NOT NULL,
    -- The active stage a project on hold or lost came from (to resume or reopen it).
    held_from TEXT,
    -- Why the project is on hold or lost.
    stage_reason TEXT,
    inquiry_id TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_stage ON projects (stage, stage_since);
CREATE INDEX projects_owner ON projects (owner_id);
CREATE INDEX projects_investor ON projects (investor_org_id);

CREATE TABLE project_team (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_team_user ON project_team (user_id);

-- Every stay of a project in a stage: the time in each stage and the conversion between stages.
CREATE TABLE project_stages (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    left_at TEXT,
    actor_id TEXT REFERENCES users (id),
    reason TEXT
);
CREATE INDEX project_stages_project ON project_stages (project_id, entered_at);
CREATE INDEX project_stages_stage ON project_stages (stage);

-- The timeline of a project: one row for everything that happened.
CREATE TABLE project_events (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_id TEXT REFERENCES users (id),
    kind TEXT NOT NULL,
    -- Parameters to phrase the event in either language (JSON object).
    detail TEXT NOT NULL DEFAULT '{}',
    -- Whether the investor sees it on the portal.
    for_investor BIGINT NOT NULL DEFAULT 0 CHECK (for_investor IN (0, 1))
);
CREATE INDEX project_events_project ON project_events (project_id, at);

CREATE TABLE inquiries (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    company TEXT,
    country TEXT,
    message TEXT NOT NULL,
    cnae_code TEXT,
    land_m2 DOUBLE PRECISION,
    jobs BIGINT,
    investment_eur DOUBLE PRECISION,
    lang TEXT NOT NULL CHECK (lang IN ('es', 'en')),
    consent_text TEXT NOT NULL,
    consent_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered', 'qualified', 'dismissed')),
    owner_id TEXT REFERENCES users (id),
    received_at TEXT NOT NULL,
    -- The response clock stops here (answer, qualification or dismissal).
    answered_at TEXT,
    answer TEXT,
    dismiss_reason TEXT,
    project_id TEXT REFERENCES projects (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX inquiries_open ON inquiries (status, received_at);

CREATE TABLE interactions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'visit', 'email', 'other')),
    occurred_at TEXT NOT NULL,
    duration_minutes BIGINT,
    subject TEXT NOT NULL,
    people TEXT NOT NULL DEFAULT '',
    location TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX interactions_project ON interactions (project_id, occurred_at);
CREATE INDEX interactions_when ON interactions (occurred_at);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id),
    done_at TEXT,
    -- When the reminders went out (each is sent once).
    reminded_before_at TEXT,
    reminded_overdue_at TEXT,
    created_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_project ON tasks (project_id, due_on);
CREATE INDEX tasks_open ON tasks (done_at, due_on);
CREATE INDEX tasks_owner ON tasks (owner_id, due_on);

CREATE TABLE site_proposals (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES sites (id),
    note TEXT NOT NULL DEFAULT '',
    proposed_by TEXT REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    feedback TEXT CHECK (feedback IN ('interested', 'visit_requested', 'not_interested')),
    feedback_comment TEXT,
    feedback_by TEXT REFERENCES users (id),
    feedback_at TEXT,
    withdrawn_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, site_id)
);

CREATE TABLE project_documents (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('requested', 'uploaded', 'accepted', 'rejected')),
    requested_by TEXT REFERENCES users (id),
    requested_at TEXT,
    due_on TEXT,
    file_id TEXT REFERENCES files (id),
    file_name TEXT,
    uploaded_by TEXT REFERENCES users (id),
    uploaded_at TEXT,
    review_comment TEXT,
    -- Internal documents of the office are not shown to the investor.
    for_investor BIGINT NOT NULL DEFAULT 1 CHECK (for_investor IN (0, 1)),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX project_documents_project ON project_documents (project_id);

CREATE TABLE project_messages (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX project_messages_project ON project_messages (project_id, at);

-- A private calendar (ICS) feed per user: the secret is in the URL, stored hashed.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Every foreign key has an index (deleting a user or a site checks them).
CREATE INDEX project_stages_actor ON project_stages (actor_id);
CREATE INDEX project_events_actor ON project_events (actor_id);
CREATE INDEX inquiries_project ON inquiries (project_id);
CREATE INDEX inquiries_owner ON inquiries (owner_id);
CREATE INDEX interactions_created_by ON interactions (created_by);
CREATE INDEX tasks_created_by ON tasks (created_by);
CREATE INDEX site_proposals_site ON site_proposals (site_id);
CREATE INDEX site_proposals_proposed_by ON site_proposals (proposed_by);
CREATE INDEX site_proposals_feedback_by ON site_proposals (feedback_by);
CREATE INDEX project_documents_file ON project_documents (file_id);
CREATE INDEX project_documents_requested_by ON project_documents (requested_by);
CREATE INDEX project_documents_uploaded_by ON project_documents (uploaded_by);
CREATE INDEX project_messages_author ON project_messages (author_id);
