-- The Office, part 2: administrative procedures (trámites) of investor projects,
-- from a catalogue, with their legal clocks; the local holidays that the clocks
-- skip besides the national and Cantabrian ones (embedded in the binary).
-- Booleans are 0/1 integers on both backends.

-- The catalogue, editable by the administrator; seeded below with Cantabria's usual
-- procedures. `term_confirmed` = 0: the term is "to be confirmed" (the source found
-- does not give it, or it depends on the case).
CREATE TABLE procedure_templates (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_es TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- Which level of government (or body) decides: council, region, state, registry, operator.
    level TEXT NOT NULL CHECK (level IN ('council', 'region', 'state', 'registry', 'operator')),
    -- Who decides, in words (the body that an instance is assigned to is an organisation).
    authority_es TEXT NOT NULL DEFAULT '',
    authority_en TEXT NOT NULL DEFAULT '',
    -- The organisation proposed when the procedure is added to a project.
    administration_org_id TEXT REFERENCES organizations (id),
    legal_basis TEXT NOT NULL DEFAULT '',
    source_url TEXT,
    term_value INTEGER NOT NULL CHECK (term_value > 0 AND term_value <= 3650),
    term_unit TEXT NOT NULL CHECK (term_unit IN ('business_days', 'calendar_days', 'months')),
    term_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (term_confirmed IN (0, 1)),
    silence TEXT NOT NULL CHECK (silence IN ('positive', 'negative')),
    -- The checklist's rule: CNAE prefixes (comma-separated digits; empty: any
    -- activity) and the contracted power from which it applies (kVA).
    rule_cnae_prefixes TEXT NOT NULL DEFAULT '',
    rule_min_power_kva DOUBLE PRECISION,
    notes_es TEXT NOT NULL DEFAULT '',
    notes_en TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX procedure_templates_org ON procedure_templates (administration_org_id);

-- A template waits for another (both in the same project).
CREATE TABLE procedure_template_deps (
    template_id TEXT NOT NULL REFERENCES procedure_templates (id) ON DELETE CASCADE,
    depends_on_id TEXT NOT NULL REFERENCES procedure_templates (id) ON DELETE CASCADE,
    PRIMARY KEY (template_id, depends_on_id),
    CHECK (template_id <> depends_on_id)
);
CREATE INDEX procedure_template_deps_on ON procedure_template_deps (depends_on_id);

-- A procedure of a project. Name, legal basis, term and silence are copied from the
-- catalogue when it is added (the law at the time of filing applies); status and the
-- dates after it are derived from its events (procedure_events is the record) and
-- kept here to list and sort 40,000 procedures without replaying them.
CREATE TABLE procedures (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    template_id TEXT REFERENCES procedure_templates (id) ON DELETE SET NULL,
    name_es TEXT NOT NULL,
    name_en TEXT NOT NULL,
    administration_org_id TEXT NOT NULL REFERENCES organizations (id),
    legal_basis TEXT NOT NULL DEFAULT '',
    term_value INTEGER NOT NULL CHECK (term_value > 0 AND term_value <= 3650),
    term_unit TEXT NOT NULL CHECK (term_unit IN ('business_days', 'calendar_days', 'months')),
    silence TEXT NOT NULL CHECK (silence IN ('positive', 'negative')),
    -- The administration's file number (número de expediente).
    file_reference TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'filed', 'running', 'paused',
        'granted', 'denied', 'silence_positive', 'silence_negative')),
    filed_on TEXT,
    started_on TEXT,
    due_on TEXT,
    resolved_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX procedures_project ON procedures (project_id);
CREATE INDEX procedures_template ON procedures (template_id);
CREATE INDEX procedures_administration ON procedures (administration_org_id, status, due_on);
CREATE INDEX procedures_due ON procedures (status, due_on);

CREATE TABLE procedure_deps (
    procedure_id TEXT NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    depends_on_id TEXT NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    PRIMARY KEY (procedure_id, depends_on_id),
    CHECK (procedure_id <> depends_on_id)
);
CREATE INDEX procedure_deps_on ON procedure_deps (depends_on_id);

-- What happened to a procedure, dated as the law counts it (`on_date`), recorded at `at`.
CREATE TABLE procedure_events (
    id TEXT PRIMARY KEY,
    procedure_id TEXT NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('filed', 'complete', 'correction_requested', 'corrected',
        'granted', 'denied', 'silence', 'note')),
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- A document of the project handed in with the event (the correction, the decision).
    document_id TEXT REFERENCES project_documents (id) ON DELETE SET NULL,
    actor_id TEXT REFERENCES users (id),
    at TEXT NOT NULL
);
CREATE INDEX procedure_events_procedure ON procedure_events (procedure_id, at);
CREATE INDEX procedure_events_document ON procedure_events (document_id);
CREATE INDEX procedure_events_actor ON procedure_events (actor_id);

-- Each council sets two local holidays a year: the clocks of procedures of an
-- administration in that municipality skip them.
CREATE TABLE local_holidays (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities (ine_code),
    on_date TEXT NOT NULL,
    name_es TEXT NOT NULL,
    name_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (municipality_code, on_date)
);

-- The seed catalogue: Cantabria's usual procedures for an industrial investment.
-- Sources in legal_basis/source_url; term_confirmed = 0 where the term is to be confirmed.
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000001', 'company_incorporation', 'Constitución de sociedad limitada (PAE/CIRCE)', 'Incorporation of a limited company (PAE/CIRCE)', 'registry', 'Notaría y Registro Mercantil de Cantabria, a través de un Punto de Atención al Emprendedor (CIRCE)', 'Notary and Commercial Registry of Cantabria, through an Entrepreneur Service Point (CIRCE)', 'Ley 14/2013, de apoyo a los emprendedores, arts. 13–16 (Ley 18/2022, «Crea y Crece»); Código de Comercio, art. 18.4', 'https://www.boe.es/buscar/act.php?id=BOE-A-2013-10074', 15, 'business_days', 0, 'negative', '', NULL, 'Con estatutos tipo y el DUE la ley cuenta horas hábiles (escritura y calificación); sin ellos, el registrador califica en 15 días. Plazo por confirmar en cada caso.', 'With model bylaws and the single electronic form (DUE) the law counts business hours; otherwise the registrar decides within 15 days. Term to be confirmed case by case.', 1, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000002', 'urban_compatibility_report', 'Informe de compatibilidad urbanística', 'Urban planning compatibility report', 'council', 'Ayuntamiento del municipio donde se implanta el proyecto', 'Council of the municipality where the project settles', 'Real Decreto Legislativo 1/2016 (prevención y control integrados de la contaminación), art. 15: 30 días', 'https://www.boe.es/buscar/act.php?id=BOE-A-2016-12601', 30, 'business_days', 1, 'positive', '', NULL, 'Si el ayuntamiento no lo emite en plazo, el procedimiento sigue adelante (por eso se trata como silencio positivo).', 'If the council does not issue it in time, the procedure goes on (hence treated as positive silence).', 2, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000003', 'eia_ordinary', 'Evaluación de impacto ambiental ordinaria', 'Ordinary environmental impact assessment', 'region', 'Gobierno de Cantabria — órgano ambiental', 'Government of Cantabria — environmental authority', 'Ley 21/2013, de evaluación ambiental, art. 33 (declaración de impacto ambiental en 4 meses desde el expediente completo, prorrogables 2) y art. 10 (nunca favorable por silencio)', 'https://www.boe.es/buscar/act.php?id=BOE-A-2013-12913', 4, 'months', 1, 'negative', '19,20,241,2351,1711,3511', NULL, 'Proyectos del anexo I de la Ley 21/2013; la regla por CNAE es una aproximación que confirma el técnico. Prorrogable 2 meses.', 'Projects in Annex I of Law 21/2013; the CNAE rule is an approximation the officer confirms. Extendable by 2 months.', 3, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000004', 'eia_simplified', 'Evaluación de impacto ambiental simplificada', 'Simplified environmental impact assessment', 'region', 'Gobierno de Cantabria — órgano ambiental', 'Government of Cantabria — environmental authority', 'Ley 21/2013, de evaluación ambiental, art. 47 (informe de impacto ambiental en 3 meses) y art. 10 (nunca favorable por silencio)', 'https://www.boe.es/buscar/act.php?id=BOE-A-2013-12913', 3, 'months', 1, 'negative', '10,11,13,16,17,22,23,25,27,28,29,30,38', NULL, 'Proyectos del anexo II de la Ley 21/2013; la regla por CNAE es una aproximación que confirma el técnico.', 'Projects in Annex II of Law 21/2013; the CNAE rule is an approximation the officer confirms.', 4, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000005', 'integrated_environmental_authorisation', 'Autorización ambiental integrada', 'Integrated environmental authorisation', 'region', 'Gobierno de Cantabria — órgano ambiental', 'Government of Cantabria — environmental authority', 'Real Decreto Legislativo 1/2016, art. 21 (9 meses; sin resolución, desestimada)', 'https://www.boe.es/buscar/act.php?id=BOE-A-2016-12601', 9, 'months', 1, 'negative', '17,19,20,24,2351,2352,101,3821', NULL, 'Instalaciones del anejo 1 del RDL 1/2016; requiere el informe de compatibilidad urbanística y, si procede, la declaración de impacto ambiental.', 'Installations in Annex 1 of Royal Legislative Decree 1/2016; needs the urban compatibility report and, where it applies, the environmental impact statement.', 5, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000006', 'comprobacion_ambiental', 'Comprobación ambiental (informe regional de la licencia de actividad)', 'Environmental check (regional report within the activity licence)', 'region', 'Gobierno de Cantabria — Comisión para la Comprobación Ambiental', 'Government of Cantabria — Environmental Check Commission', 'Ley de Cantabria 17/2006, de control ambiental integrado; Decreto 19/2010', NULL, 3, 'months', 0, 'negative', '10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33', NULL, 'Forma parte de la licencia de actividad municipal. Plazo por confirmar: se toma el general de 3 meses.', 'Part of the council''s activity licence. Term to be confirmed: the general 3 months is assumed.', 6, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000007', 'building_licence', 'Licencia de obra de nueva planta', 'Building licence (new building)', 'council', 'Ayuntamiento del municipio donde se implanta el proyecto', 'Council of the municipality where the project settles', 'Ley de Cantabria 5/2022, de Ordenación del Territorio y Urbanismo; Real Decreto Legislativo 7/2015, art. 11.4 (la obra de nueva planta no se obtiene por silencio)', 'https://www.boe.es/buscar/act.php?id=BOE-A-2015-11723', 3, 'months', 0, 'negative', '', NULL, 'Plazo por confirmar: se toma el general de 3 meses de la ley de Cantabria. El silencio es negativo por el art. 11.4 del texto refundido de la Ley de Suelo.', 'Term to be confirmed: Cantabria''s general 3 months is assumed. Silence is negative under art. 11.4 of the Land Act.', 7, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000008', 'activity_licence', 'Licencia de actividad', 'Activity licence', 'council', 'Ayuntamiento del municipio donde se implanta el proyecto', 'Council of the municipality where the project settles', 'Ley de Cantabria 17/2006, de control ambiental integrado (con la comprobación ambiental regional)', NULL, 3, 'months', 0, 'negative', '', NULL, 'Plazo por confirmar: se toma el general de 3 meses. Silencio negativo cuando la actividad requiere comprobación ambiental.', 'Term to be confirmed: the general 3 months is assumed. Negative silence when the activity needs the environmental check.', 8, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000009', 'industrial_register', 'Inscripción en el Registro Integrado Industrial', 'Entry in the Integrated Industrial Register', 'region', 'Gobierno de Cantabria — Dirección General de Industria', 'Government of Cantabria — Directorate-General for Industry', 'Ley 21/1992, de Industria; Real Decreto 559/2010 (Reglamento del Registro Integrado Industrial)', NULL, 1, 'months', 0, 'positive', '10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33', NULL, 'Se comunica al empezar la actividad industrial. Plazo por confirmar.', 'Notified when the industrial activity starts. Term to be confirmed.', 9, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, position, created_at, updated_at) VALUES ('01938f00-0000-7000-8000-000000000010', 'grid_access_connection', 'Permisos de acceso y conexión a la red eléctrica', 'Grid access and connection permits', 'operator', 'Empresa distribuidora de la zona', 'The area''s distribution system operator', 'Real Decreto 1183/2020, de acceso y conexión a las redes de transporte y distribución de energía eléctrica', 'https://www.boe.es/buscar/act.php?id=BOE-A-2020-17278', 2, 'months', 0, 'negative', '', 1000.0, 'Se propone a partir de 1.000 kVA (aproximación). Plazo por confirmar según la tensión y el tipo de solicitud.', 'Proposed from 1,000 kVA (an approximation). Term to be confirmed by voltage and kind of request.', 10, '2026-12-03T00:00:00.000000Z', '2026-12-03T00:00:00.000000Z');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000005', '01938f00-0000-7000-8000-000000000002');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000005', '01938f00-0000-7000-8000-000000000003');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000007', '01938f00-0000-7000-8000-000000000003');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000007', '01938f00-0000-7000-8000-000000000004');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000007', '01938f00-0000-7000-8000-000000000005');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000008', '01938f00-0000-7000-8000-000000000006');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000008', '01938f00-0000-7000-8000-000000000007');
INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ('01938f00-0000-7000-8000-000000000009', '01938f00-0000-7000-8000-000000000008');
