-- One open membership per organisation, kept by the database itself: the
-- application's overlap check reads before it writes, so two simultaneous adds
-- of the same organisation on PostgreSQL could both pass it.
CREATE UNIQUE INDEX pact_members_one_open ON pact_members (organization_id) WHERE left_on IS NULL;
