//! Storage of procedures: the catalogue, a project's procedures and their events
//! (the derived status and dates kept current from the domain's clock), the
//! checklist, the plan, the administrations' list, and local holidays. Every
//! write is audited and lands on the project's timeline in the caller's
//! transaction; e-mails are enqueued in the same transaction.

use std::collections::{HashMap, HashSet};

use besaya_domain::directory::{format_date, parse_date};
use besaya_domain::procedures::{
    self as dom, Clock, EventError, EventKind, Facts, Holidays, Rule, Rules, Silence, Status, Term,
    TermUnit,
};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AnyPool, FromRow};
use time::Date;

use super::calendar;
use super::mail::{Named, ProcMail};
use super::model::{
    ChecklistEntry, Invalid, LEVELS, LocalHoliday, PlanRow, PlanView, ProcAccess, ProcEvent,
    Procedure, Template, TemplateInput, ValidTemplate, procedure_access,
};
use crate::AppState;
use crate::auth::User;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, OptF64, VersionConflict};
use crate::i18n::Lang;
use crate::office::policy::{self, Access};
use crate::office::portal::documents::{self, NewDocument};
use crate::office::projects::{self, Project, looks_like_id, record_event};
use crate::office::work::madrid;
use crate::web::invalid::shown;
use crate::web::invalid::text;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the record does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    /// The clock refuses the event; the kinds this user may record now.
    #[error("{0}")]
    Event(EventError, Vec<EventKind>),
    /// This user may not record this kind of event; the kinds it may record now.
    #[error("this user may not record this event")]
    NotPermitted(Vec<EventKind>),
    /// The record is still used.
    #[error("the record is in use")]
    InUse,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("composing an e-mail: {0}")]
    Mail(anyhow::Error),
}

impl WriteError {
    /// As a database error, for callers whose transaction speaks only those
    /// (the portal's uploads): anything else becomes a protocol error.
    pub fn into_sqlx(self) -> sqlx::Error {
        match self {
            Self::Db(e) => e,
            other => sqlx::Error::Protocol(other.to_string()),
        }
    }
}

impl From<BumpError> for WriteError {
    fn from(e: BumpError) -> Self {
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => Self::Db(e),
        }
    }
}

/// A catalogue entry to add to a project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddItem {
    pub template_id: String,
    /// Default: the template's administration.
    pub administration_org_id: Option<String>,
}

/// What the office may change of a procedure (the administration: `file_reference`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcedureEdit {
    pub administration_org_id: String,
    pub file_reference: Option<String>,
    pub notes: String,
    /// Procedures of the same project this one waits for.
    pub depends_on: Vec<String>,
}

/// An event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventKind,
    pub on_date: Date,
    pub note: String,
    /// A document of the project handed in with it (the correction, the decision).
    pub document_id: Option<String>,
}

/// The administrations' list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminFilter {
    pub status: Option<Status>,
    /// Only running past their due date.
    pub overdue: bool,
    /// Words of the procedure's name, the project's code name or the file reference.
    pub q: Option<String>,
}

/// An organisation to choose as the administration of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema, FromRow)]
pub struct OrgOption {
    pub id: String,
    pub name: String,
    pub dir3_code: Option<String>,
    pub municipality_code: Option<String>,
}

/// A project's procedures as one user sees them.
#[derive(Debug, Clone)]
pub struct ProjectProcedures {
    /// The project and the user's access (`None` for an administration's user,
    /// who sees the code name only, in each procedure).
    pub project: Option<(Project, Access)>,
    pub procedures: Vec<(Procedure, ProcAccess)>,
}

/// Longest note of an event, notes of a procedure, legal basis.
pub const NOTE_MAX: usize = 5000;
/// Longest file reference.
pub const FILE_REFERENCE_MAX: usize = 100;
/// Most dependencies of one procedure or template.
pub const DEPS_MAX: usize = 50;

// ---- The catalogue ----

#[derive(FromRow)]
struct TemplateRow {
    id: String,
    code: String,
    name_es: String,
    name_en: String,
    level: String,
    authority_es: String,
    authority_en: String,
    administration_org_id: Option<String>,
    administration_name: Option<String>,
    administration_dir3: Option<String>,
    legal_basis: String,
    source_url: Option<String>,
    term_value: i64,
    term_unit: String,
    term_confirmed: i64,
    silence: String,
    rule_cnae_prefixes: String,
    rule_min_power_kva: Option<f64>,
    notes_es: String,
    notes_en: String,
    active: i64,
    position: i64,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl TemplateRow {
    fn into_template(self, depends_on: Vec<String>) -> Template {
        Template {
            id: self.id,
            code: self.code,
            name_es: self.name_es,
            name_en: self.name_en,
            level: self.level,
            authority_es: self.authority_es,
            authority_en: self.authority_en,
            administration_org_id: self.administration_org_id,
            administration_name: self.administration_name,
            administration_dir3: self.administration_dir3,
            legal_basis: self.legal_basis,
            source_url: self.source_url,
            term_value: self.term_value,
            term_unit: self.term_unit,
            term_confirmed: self.term_confirmed != 0,
            silence: self.silence,
            rule_cnae_prefixes: self
                .rule_cnae_prefixes
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            rule_min_power_kva: self.rule_min_power_kva,
            notes_es: self.notes_es,
            notes_en: self.notes_en,
            active: self.active != 0,
            position: self.position,
            depends_on,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const TEMPLATE_SELECT: &str = "SELECT t.id, t.code, t.name_es, t.name_en, t.level, t.authority_es, t.authority_en, \
     t.administration_org_id, o.name AS administration_name, o.dir3_code AS administration_dir3, t.legal_basis, \
     t.source_url, t.term_value, t.term_unit, t.term_confirmed, t.silence, t.rule_cnae_prefixes, t.rule_min_power_kva, \
     t.notes_es, t.notes_en, t.active, t.position, t.version, t.created_at, t.updated_at \
     FROM procedure_templates t LEFT JOIN organizations o ON o.id = t.administration_org_id";

async fn template_deps(
    conn: &mut AnyConnection,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT template_id, depends_on_id FROM procedure_template_deps ORDER BY template_id, depends_on_id",
    )
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (t, d) in rows {
        out.entry(t).or_default().push(d);
    }
    Ok(out)
}

/// The catalogue in its order (only the active entries when `active_only`).
pub async fn templates(
    conn: &mut AnyConnection,
    active_only: bool,
) -> Result<Vec<Template>, sqlx::Error> {
    let filter = if active_only {
        " WHERE t.active = 1"
    } else {
        ""
    };
    let rows: Vec<TemplateRow> = sqlx::query_as(&format!(
        "{TEMPLATE_SELECT}{filter} ORDER BY t.position, t.code"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut deps = template_deps(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = deps.remove(&r.id).unwrap_or_default();
            r.into_template(d)
        })
        .collect())
}

/// One catalogue entry.
pub async fn template(conn: &mut AnyConnection, id: &str) -> Result<Option<Template>, sqlx::Error> {
    if !looks_like_id(id) {
        return Ok(None);
    }
    let row: Option<TemplateRow> = sqlx::query_as(&format!("{TEMPLATE_SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let deps: Vec<String> = sqlx::query_scalar(
        "SELECT depends_on_id FROM procedure_template_deps WHERE template_id = $1 ORDER BY depends_on_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(row.into_template(deps)))
}

fn required(e: &mut Vec<Invalid>, field: &str, v: Option<String>) -> String {
    match v {
        Some(v) => v,
        None => {
            if !e.iter().any(|x| x.field == field) {
                e.push(Invalid::new(field, "required"));
            }
            String::new()
        }
    }
}

/// Checks the fields that need no database (the references — administration,
/// dependencies and their cycles, the unique code — are checked by
/// [`create_template`] and [`update_template`], answering `WriteError::Invalid`).
pub fn validate_template(
    input: &TemplateInput,
    existing: Option<&Template>,
) -> Result<ValidTemplate, Vec<Invalid>> {
    let mut e: Vec<Invalid> = Vec::new();
    let code = text(&mut e, "code", input.code.as_deref(), 60, false);
    if let Some(c) = &code {
        let ok = c.chars().count() >= 2
            && c.starts_with(|ch: char| ch.is_ascii_lowercase())
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok {
            e.push(Invalid::with("code", "invalid_code", shown(c)));
        }
    }
    let code = required(&mut e, "code", code);
    let name_es = text(&mut e, "name_es", input.name_es.as_deref(), 200, false);
    let name_es = required(&mut e, "name_es", name_es);
    let name_en = text(&mut e, "name_en", input.name_en.as_deref(), 200, false);
    let name_en = required(&mut e, "name_en", name_en);
    let level = match input
        .level
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("level", "required"));
            String::new()
        }
        Some(l) if LEVELS.contains(&l) => l.to_owned(),
        Some(l) => {
            e.push(Invalid::with("level", "invalid_level", shown(l)));
            String::new()
        }
    };
    let authority_es = text(
        &mut e,
        "authority_es",
        input.authority_es.as_deref(),
        300,
        false,
    )
    .unwrap_or_default();
    let authority_en = text(
        &mut e,
        "authority_en",
        input.authority_en.as_deref(),
        300,
        false,
    )
    .unwrap_or_default();
    let administration_org_id = match input
        .administration_org_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(o) if looks_like_id(o) => Some(o.to_owned()),
        Some(o) => {
            e.push(Invalid::with(
                "administration_org_id",
                "unknown_organization",
                shown(o),
            ));
            None
        }
    };
    let legal_basis = text(
        &mut e,
        "legal_basis",
        input.legal_basis.as_deref(),
        2000,
        true,
    )
    .unwrap_or_default();
    let source_url = text(
        &mut e,
        "source_url",
        input.source_url.as_deref(),
        500,
        false,
    );
    if let Some(u) = &source_url
        && (!(u.starts_with("https://") || u.starts_with("http://"))
            || u.len() < 12
            || u.contains(char::is_whitespace))
    {
        e.push(Invalid::with("source_url", "invalid_url", shown(u)));
    }
    let term_value = match input.term_value {
        None => {
            e.push(Invalid::new("term_value", "required"));
            1
        }
        Some(v) if (1..=3650).contains(&v) => u32::try_from(v).unwrap_or(1),
        Some(_) => {
            e.push(Invalid::with("term_value", "out_of_range", "1–3650"));
            1
        }
    };
    let unit = match input
        .term_unit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("term_unit", "required"));
            TermUnit::BusinessDays
        }
        Some(u) => TermUnit::parse(u).unwrap_or_else(|| {
            e.push(Invalid::with("term_unit", "invalid_unit", shown(u)));
            TermUnit::BusinessDays
        }),
    };
    let silence = match input
        .silence
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("silence", "required"));
            Silence::Negative
        }
        Some(s) => Silence::parse(s).unwrap_or_else(|| {
            e.push(Invalid::with("silence", "invalid_silence", shown(s)));
            Silence::Negative
        }),
    };
    let mut rule_cnae_prefixes: Vec<String> = Vec::new();
    let raw = input.rule_cnae_prefixes.as_deref().unwrap_or_default();
    if raw.len() > 100 {
        e.push(Invalid::with("rule_cnae_prefixes", "too_many", "100"));
    } else {
        for (i, p) in raw.iter().enumerate() {
            let digits: String = p.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
            if digits.is_empty() {
                continue;
            }
            if digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
                e.push(Invalid::with(
                    &format!("rule_cnae_prefixes[{i}]"),
                    "invalid_cnae_prefix",
                    shown(p),
                ));
            } else if !rule_cnae_prefixes.contains(&digits) {
                rule_cnae_prefixes.push(digits);
            }
        }
    }
    let rule_min_power_kva = match input.rule_min_power_kva {
        Some(v) if !v.is_finite() || !(0.0..=1e7).contains(&v) => {
            e.push(Invalid::with(
                "rule_min_power_kva",
                "out_of_range",
                "0–10 000 000",
            ));
            None
        }
        other => other,
    };
    let notes_es = text(
        &mut e,
        "notes_es",
        input.notes_es.as_deref(),
        NOTE_MAX,
        true,
    )
    .unwrap_or_default();
    let notes_en = text(
        &mut e,
        "notes_en",
        input.notes_en.as_deref(),
        NOTE_MAX,
        true,
    )
    .unwrap_or_default();
    let position = match input.position {
        Some(p) if !(0..=100_000).contains(&p) => {
            e.push(Invalid::with("position", "out_of_range", "0–100 000"));
            0
        }
        Some(p) => p,
        None => existing.map_or(0, |t| t.position),
    };
    let mut depends_on: Vec<String> = Vec::new();
    let raw = input.depends_on.as_deref().unwrap_or_default();
    if raw.len() > DEPS_MAX {
        e.push(Invalid::with(
            "depends_on",
            "too_many",
            DEPS_MAX.to_string(),
        ));
    } else {
        for (i, d) in raw.iter().enumerate() {
            let d = d.trim();
            if !looks_like_id(d) {
                e.push(Invalid::with(
                    &format!("depends_on[{i}]"),
                    "unknown_template",
                    shown(d),
                ));
            } else if existing.is_some_and(|t| t.id == d) {
                e.push(Invalid::new(&format!("depends_on[{i}]"), "self_dependency"));
            } else if !depends_on.iter().any(|x| x == d) {
                depends_on.push(d.to_owned());
            }
        }
    }
    depends_on.sort();
    if !e.is_empty() {
        return Err(e);
    }
    Ok(ValidTemplate {
        code,
        name_es,
        name_en,
        level,
        authority_es,
        authority_en,
        administration_org_id,
        legal_basis,
        source_url,
        term: Term {
            value: term_value,
            unit,
        },
        term_confirmed: input.term_confirmed.unwrap_or(false),
        silence,
        rule_cnae_prefixes,
        rule_min_power_kva,
        notes_es,
        notes_en,
        active: input.active.unwrap_or(true),
        position,
        depends_on,
    })
}

async fn org_exists(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The references of a valid template: a unique code, an existing organisation,
/// existing dependencies without a cycle through `id` (the entry being changed).
async fn check_template(
    conn: &mut AnyConnection,
    id: Option<&str>,
    v: &ValidTemplate,
) -> Result<Vec<Invalid>, sqlx::Error> {
    let mut e = Vec::new();
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM procedure_templates WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some_and(|t| Some(t.as_str()) != id) {
        e.push(Invalid::new("code", "duplicate_code"));
    }
    if let Some(o) = &v.administration_org_id
        && !org_exists(&mut *conn, o).await?
    {
        e.push(Invalid::with(
            "administration_org_id",
            "unknown_organization",
            o.clone(),
        ));
    }
    let all: Vec<(String, String)> =
        sqlx::query_as("SELECT id, code FROM procedure_templates ORDER BY position, code")
            .fetch_all(&mut *conn)
            .await?;
    let known: HashSet<&str> = all.iter().map(|(i, _)| i.as_str()).collect();
    for (i, d) in v.depends_on.iter().enumerate() {
        if !known.contains(d.as_str()) {
            e.push(Invalid::with(
                &format!("depends_on[{i}]"),
                "unknown_template",
                d.clone(),
            ));
        }
    }
    if e.is_empty()
        && let Some(id) = id
    {
        let mut deps = template_deps(&mut *conn).await?;
        deps.insert(id.to_owned(), v.depends_on.clone());
        e.extend(cycle_error(&all, &deps));
    }
    Ok(e)
}

fn template_changes(before: Option<&ValidTemplate>, after: &ValidTemplate) -> Changes {
    type F = fn(&ValidTemplate) -> Value;
    let fields: [(&str, F); 20] = [
        ("code", |v| json!(v.code)),
        ("name_es", |v| json!(v.name_es)),
        ("name_en", |v| json!(v.name_en)),
        ("level", |v| json!(v.level)),
        ("authority_es", |v| json!(v.authority_es)),
        ("authority_en", |v| json!(v.authority_en)),
        ("administration_org_id", |v| json!(v.administration_org_id)),
        ("legal_basis", |v| json!(v.legal_basis)),
        ("source_url", |v| json!(v.source_url)),
        ("term_value", |v| json!(v.term.value)),
        ("term_unit", |v| json!(v.term.unit.as_str())),
        ("term_confirmed", |v| json!(v.term_confirmed)),
        ("silence", |v| json!(v.silence.as_str())),
        ("rule_cnae_prefixes", |v| json!(v.rule_cnae_prefixes)),
        ("rule_min_power_kva", |v| json!(v.rule_min_power_kva)),
        ("notes_es", |v| json!(v.notes_es)),
        ("notes_en", |v| json!(v.notes_en)),
        ("active", |v| json!(v.active)),
        ("position", |v| json!(v.position)),
        ("depends_on", |v| json!(v.depends_on)),
    ];
    let mut c = Changes::new();
    for (name, get) in fields {
        c = c.field(name, before.map_or(Value::Null, get), get(after));
    }
    c
}

fn valid_of(t: &Template) -> ValidTemplate {
    ValidTemplate {
        code: t.code.clone(),
        name_es: t.name_es.clone(),
        name_en: t.name_en.clone(),
        level: t.level.clone(),
        authority_es: t.authority_es.clone(),
        authority_en: t.authority_en.clone(),
        administration_org_id: t.administration_org_id.clone(),
        legal_basis: t.legal_basis.clone(),
        source_url: t.source_url.clone(),
        term: t.term().unwrap_or(Term {
            value: 1,
            unit: TermUnit::BusinessDays,
        }),
        term_confirmed: t.term_confirmed,
        silence: t.silence().unwrap_or(Silence::Negative),
        rule_cnae_prefixes: t.rule_cnae_prefixes.clone(),
        rule_min_power_kva: t.rule_min_power_kva,
        notes_es: t.notes_es.clone(),
        notes_en: t.notes_en.clone(),
        active: t.active,
        position: t.position,
        depends_on: t.depends_on.clone(),
    }
}

async fn write_template_deps(
    conn: &mut AnyConnection,
    id: &str,
    deps: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM procedure_template_deps WHERE template_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for d in deps {
        sqlx::query(
            "INSERT INTO procedure_template_deps (template_id, depends_on_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(d)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a catalogue entry (position 0: after the last). Returns its id.
pub async fn create_template(
    conn: &mut AnyConnection,
    actor: &User,
    v: &ValidTemplate,
) -> Result<String, WriteError> {
    let errs = check_template(&mut *conn, None, v).await?;
    if !errs.is_empty() {
        return Err(WriteError::Invalid(errs));
    }
    let position = if v.position > 0 {
        v.position
    } else {
        let max: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM procedure_templates")
            .fetch_one(&mut *conn)
            .await?;
        max.unwrap_or(0) + 1
    };
    let id = db::new_id();
    let now = db::now();
    let done = sqlx::query(
        "INSERT INTO procedure_templates (id, code, name_es, name_en, level, authority_es, authority_en, \
         administration_org_id, legal_basis, source_url, term_value, term_unit, term_confirmed, silence, \
         rule_cnae_prefixes, rule_min_power_kva, notes_es, notes_en, active, position, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $21, $21)",
    )
    .bind(&id)
    .bind(&v.code)
    .bind(&v.name_es)
    .bind(&v.name_en)
    .bind(&v.level)
    .bind(&v.authority_es)
    .bind(&v.authority_en)
    .bind(&v.administration_org_id)
    .bind(&v.legal_basis)
    .bind(&v.source_url)
    .bind(i64::from(v.term.value))
    .bind(v.term.unit.as_str())
    .bind(i64::from(v.term_confirmed))
    .bind(v.silence.as_str())
    .bind(v.rule_cnae_prefixes.join(","))
    .bind(OptF64(v.rule_min_power_kva))
    .bind(&v.notes_es)
    .bind(&v.notes_en)
    .bind(i64::from(v.active))
    .bind(position)
    .bind(&now)
    .execute(&mut *conn)
    .await;
    match done {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(WriteError::Invalid(vec![Invalid::new(
                "code",
                "duplicate_code",
            )]));
        }
        other => {
            other?;
        }
    }
    write_template_deps(&mut *conn, &id, &v.depends_on).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure_template",
        entity_id: &id,
        action: "create",
        changes: template_changes(None, v).created("position", position),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes a catalogue entry from version `expected` (the procedures made from it
/// keep their copy). Returns the new version.
pub async fn update_template(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    v: &ValidTemplate,
) -> Result<i64, WriteError> {
    let before = template(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let errs = check_template(&mut *conn, Some(id), v).await?;
    if !errs.is_empty() {
        return Err(WriteError::Invalid(errs));
    }
    let version = bump_version(&mut *conn, Versioned::ProcedureTemplates, id, expected).await?;
    let done = sqlx::query(
        "UPDATE procedure_templates SET code = $1, name_es = $2, name_en = $3, level = $4, authority_es = $5, \
         authority_en = $6, administration_org_id = $7, legal_basis = $8, source_url = $9, term_value = $10, \
         term_unit = $11, term_confirmed = $12, silence = $13, rule_cnae_prefixes = $14, rule_min_power_kva = $15, \
         notes_es = $16, notes_en = $17, active = $18, position = $19 WHERE id = $20",
    )
    .bind(&v.code)
    .bind(&v.name_es)
    .bind(&v.name_en)
    .bind(&v.level)
    .bind(&v.authority_es)
    .bind(&v.authority_en)
    .bind(&v.administration_org_id)
    .bind(&v.legal_basis)
    .bind(&v.source_url)
    .bind(i64::from(v.term.value))
    .bind(v.term.unit.as_str())
    .bind(i64::from(v.term_confirmed))
    .bind(v.silence.as_str())
    .bind(v.rule_cnae_prefixes.join(","))
    .bind(OptF64(v.rule_min_power_kva))
    .bind(&v.notes_es)
    .bind(&v.notes_en)
    .bind(i64::from(v.active))
    .bind(v.position)
    .bind(id)
    .execute(&mut *conn)
    .await;
    match done {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(WriteError::Invalid(vec![Invalid::new(
                "code",
                "duplicate_code",
            )]));
        }
        other => {
            other?;
        }
    }
    write_template_deps(&mut *conn, id, &v.depends_on).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure_template",
        entity_id: id,
        action: "update",
        changes: template_changes(Some(&valid_of(&before)), v),
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Deletes a catalogue entry; the procedures made from it keep their copy.
pub async fn delete_template(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
) -> Result<(), WriteError> {
    let before = template(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    sqlx::query("UPDATE procedures SET template_id = NULL WHERE template_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM procedure_template_deps WHERE template_id = $1 OR depends_on_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM procedure_templates WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure_template",
        entity_id: id,
        action: "delete",
        changes: template_changes(None, &valid_of(&before))
            .field("code", json!(before.code), Value::Null)
            .field("version", json!(before.version), Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Organisations that may hold procedures: administrations, then the other pact
/// members (a distribution operator, a registry), by name.
pub async fn administrations(conn: &mut AnyConnection) -> Result<Vec<OrgOption>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, dir3_code, municipality_code FROM organizations \
         WHERE kind = 'administration' OR pact_member = 1 \
         ORDER BY CASE WHEN kind = 'administration' THEN 0 ELSE 1 END, name, id",
    )
    .fetch_all(conn)
    .await
}

/// The organisations that hold at least one procedure (the office's filter of the
/// cross-project list): a few, where `administrations` may be thousands.
pub async fn holding_administrations(
    conn: &mut AnyConnection,
) -> Result<Vec<OrgOption>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, dir3_code, municipality_code FROM organizations \
         WHERE id IN (SELECT DISTINCT administration_org_id FROM procedures) ORDER BY name, id",
    )
    .fetch_all(conn)
    .await
}

/// The names of these organisations (a user's own), by name.
pub async fn org_names(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        let name: Option<String> =
            sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        names.extend(name);
    }
    names.sort();
    Ok(names)
}

/// The `depends_on` error naming a cycle among `all` (id, name) with `deps` (id →
/// what it waits for), if the dependencies form one.
fn cycle_error(all: &[(String, String)], deps: &HashMap<String, Vec<String>>) -> Option<Invalid> {
    let index: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(n, (i, _))| (i.as_str(), n))
        .collect();
    let graph: Vec<Vec<usize>> = all
        .iter()
        .map(|(i, _)| {
            deps.get(i)
                .map(|ds| {
                    ds.iter()
                        .filter_map(|d| index.get(d.as_str()).copied())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let cycle = dom::find_cycle(&graph)?;
    let names: Vec<String> = cycle
        .0
        .iter()
        .filter_map(|n| all.get(*n).map(|(_, name)| name.clone()))
        .collect();
    Some(Invalid::with(
        "depends_on",
        "dependency_cycle",
        names.join(" → "),
    ))
}

// ---- The checklist ----

/// The facts the checklist knows of a project: its CNAE code and the power its
/// site requirements ask for.
pub fn facts_of(project: &Project) -> (Option<String>, Option<f64>) {
    let power = project.match_request().power_kva.map(|c| c.min);
    (project.cnae_code.clone(), power)
}

/// Every active catalogue entry with whether it applies to the project.
pub async fn checklist(
    conn: &mut AnyConnection,
    project: &Project,
) -> Result<Vec<ChecklistEntry>, sqlx::Error> {
    let all = templates(&mut *conn, true).await?;
    let added: Vec<Option<String>> =
        sqlx::query_scalar("SELECT template_id FROM procedures WHERE project_id = $1")
            .bind(&project.id)
            .fetch_all(&mut *conn)
            .await?;
    let added: HashSet<String> = added.into_iter().flatten().collect();
    let (cnae, power) = facts_of(project);
    let facts = Facts {
        cnae: cnae.as_deref(),
        power_kva: power,
    };
    Ok(all
        .into_iter()
        .map(|t| {
            let verdict = dom::proposes(
                &Rule {
                    cnae_prefixes: t.rule_cnae_prefixes.clone(),
                    min_power_kva: t.rule_min_power_kva,
                },
                facts,
            );
            ChecklistEntry {
                added: added.contains(&t.id),
                template: t,
                applies: verdict.applies,
                reasons: verdict.reasons,
            }
        })
        .collect())
}

// ---- Reading procedures ----

#[derive(FromRow)]
struct ProcRow {
    id: String,
    project_id: String,
    project_code_name: String,
    project_cnae_code: Option<String>,
    template_id: Option<String>,
    template_code: Option<String>,
    name_es: String,
    name_en: String,
    administration_org_id: String,
    administration_name: String,
    administration_dir3: Option<String>,
    municipality_code: Option<String>,
    legal_basis: String,
    term_value: i64,
    term_unit: String,
    silence: String,
    file_reference: Option<String>,
    status: String,
    filed_on: Option<String>,
    started_on: Option<String>,
    due_on: Option<String>,
    resolved_on: Option<String>,
    notes: String,
    version: i64,
    created_at: String,
    updated_at: String,
}

const PROC_SELECT: &str = "SELECT p.id, p.project_id, pr.code_name AS project_code_name, pr.cnae_code AS project_cnae_code, \
     p.template_id, t.code AS template_code, p.name_es, p.name_en, p.administration_org_id, \
     o.name AS administration_name, o.dir3_code AS administration_dir3, o.municipality_code, p.legal_basis, \
     p.term_value, p.term_unit, p.silence, p.file_reference, p.status, p.filed_on, p.started_on, p.due_on, \
     p.resolved_on, p.notes, p.version, p.created_at, p.updated_at \
     FROM procedures p JOIN projects pr ON pr.id = p.project_id \
     JOIN organizations o ON o.id = p.administration_org_id \
     LEFT JOIN procedure_templates t ON t.id = p.template_id";

fn term_of(value: i64, unit: &str) -> Term {
    Term {
        value: u32::try_from(value).unwrap_or(1).max(1),
        unit: TermUnit::parse(unit).unwrap_or(TermUnit::BusinessDays),
    }
}

fn silence_of(s: &str) -> Silence {
    Silence::parse(s).unwrap_or(Silence::Negative)
}

/// The events of a procedure in order, as the clock takes them.
type Steps = Vec<(EventKind, Date)>;

/// Replays events, skipping any the clock refuses (after a holiday changed a due
/// date, say): the derived state is always computable.
fn replay_lenient(rules: Rules<'_>, steps: &[(EventKind, Date)]) -> Clock {
    let mut clock = Clock::default();
    for (kind, on) in steps {
        if let Err(e) = clock.apply(rules, *kind, *on) {
            tracing::warn!(error = %e, "a procedure event no longer applies; skipped");
        }
    }
    clock
}

/// Local holidays by municipality code, loaded for the municipalities asked.
#[derive(Default)]
struct HolidayCache {
    by_municipality: HashMap<String, Holidays>,
}

impl HolidayCache {
    async fn get(
        &mut self,
        conn: &mut AnyConnection,
        municipality: Option<&str>,
    ) -> Result<&Holidays, sqlx::Error> {
        let key = municipality.unwrap_or("").to_owned();
        if !self.by_municipality.contains_key(&key) {
            let local = match municipality {
                Some(m) => local_dates(&mut *conn, m).await?,
                None => Vec::new(),
            };
            let h = if local.is_empty() {
                calendar::national().clone()
            } else {
                calendar::national().with(local)
            };
            self.by_municipality.insert(key.clone(), h);
        }
        Ok(self
            .by_municipality
            .get(&key)
            .unwrap_or_else(|| calendar::national()))
    }
}

async fn local_dates(
    conn: &mut AnyConnection,
    municipality: &str,
) -> Result<Vec<Date>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT on_date FROM local_holidays WHERE municipality_code = $1")
            .bind(municipality)
            .fetch_all(conn)
            .await?;
    Ok(rows.iter().filter_map(|d| parse_date(d)).collect())
}

fn in_list(sql: &mut db::Sql, ids: &[String]) {
    sql.push("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(id.clone());
    }
    sql.push(")");
}

/// The dependencies and the events of these procedures.
async fn deps_and_steps(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<(HashMap<String, Vec<String>>, HashMap<String, Steps>), sqlx::Error> {
    let mut deps: HashMap<String, Vec<String>> = HashMap::new();
    let mut steps: HashMap<String, Steps> = HashMap::new();
    for chunk in ids.chunks(400) {
        let mut sql = db::Sql::new(
            "SELECT procedure_id, depends_on_id FROM procedure_deps WHERE procedure_id IN ",
        );
        in_list(&mut sql, chunk);
        sql.push(" ORDER BY procedure_id, depends_on_id");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, String)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        for (p, d) in rows {
            deps.entry(p).or_default().push(d);
        }
        let mut sql = db::Sql::new(
            "SELECT procedure_id, kind, on_date FROM procedure_events WHERE procedure_id IN ",
        );
        in_list(&mut sql, chunk);
        sql.push(" ORDER BY procedure_id, at, id");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, String, String)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        for (p, kind, on) in rows {
            if let (Some(k), Some(d)) = (EventKind::parse(&kind), parse_date(&on)) {
                steps.entry(p).or_default().push((k, d));
            }
        }
    }
    Ok((deps, steps))
}

/// A procedure with its clock, for the plan and the derived columns.
struct Loaded {
    procedure: Procedure,
    clock: Clock,
    holidays: Holidays,
}

/// Rows into procedures assessed on `today`.
async fn hydrate(
    conn: &mut AnyConnection,
    rows: Vec<ProcRow>,
    today: Date,
) -> Result<Vec<Loaded>, sqlx::Error> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let (mut deps, mut steps) = deps_and_steps(&mut *conn, &ids).await?;
    let mut cache = HolidayCache::default();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let holidays = cache
            .get(&mut *conn, r.municipality_code.as_deref())
            .await?
            .clone();
        let term = term_of(r.term_value, &r.term_unit);
        let silence = silence_of(&r.silence);
        let rules = Rules {
            term,
            silence,
            holidays: &holidays,
        };
        let clock = replay_lenient(rules, &steps.remove(&r.id).unwrap_or_default());
        let a = dom::assess(&clock, rules, today);
        let procedure = Procedure {
            depends_on: deps.remove(&r.id).unwrap_or_default(),
            id: r.id,
            project_id: r.project_id,
            project_code_name: r.project_code_name,
            project_cnae_code: r.project_cnae_code,
            template_id: r.template_id,
            template_code: r.template_code,
            name_es: r.name_es,
            name_en: r.name_en,
            administration_org_id: r.administration_org_id,
            administration_name: r.administration_name,
            administration_dir3: r.administration_dir3,
            legal_basis: r.legal_basis,
            term_value: r.term_value,
            term_unit: r.term_unit,
            silence: r.silence,
            file_reference: r.file_reference,
            // The stored columns are what lists sort on; the replay agrees with them.
            status: r.status,
            filed_on: r.filed_on,
            started_on: r.started_on,
            due_on: r.due_on,
            resolved_on: r.resolved_on,
            elapsed: a.elapsed,
            remaining: a.remaining,
            overdue: a.overdue,
            within_term: a.within_term,
            notes: r.notes,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        };
        out.push(Loaded {
            procedure,
            clock,
            holidays,
        });
    }
    Ok(out)
}

async fn load_project(
    conn: &mut AnyConnection,
    project_id: &str,
    today: Date,
) -> Result<Vec<Loaded>, sqlx::Error> {
    let rows: Vec<ProcRow> = sqlx::query_as(&format!(
        "{PROC_SELECT} WHERE p.project_id = $1 ORDER BY COALESCE(t.position, 100000), p.created_at, p.id"
    ))
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    hydrate(conn, rows, today).await
}

/// The procedures of a project, in the catalogue's order.
pub async fn of_project(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Vec<Procedure>, sqlx::Error> {
    if !looks_like_id(project_id) {
        return Ok(Vec::new());
    }
    Ok(load_project(conn, project_id, madrid::today())
        .await?
        .into_iter()
        .map(|l| l.procedure)
        .collect())
}

async fn load_one(
    conn: &mut AnyConnection,
    id: &str,
    today: Date,
) -> Result<Option<Loaded>, sqlx::Error> {
    if !looks_like_id(id) {
        return Ok(None);
    }
    let row: Option<ProcRow> = sqlx::query_as(&format!("{PROC_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(hydrate(conn, vec![row], today).await?.pop())
}

/// One procedure by id, whoever asks (check access with [`visible`] or
/// `model::procedure_access`).
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Procedure>, sqlx::Error> {
    Ok(load_one(conn, id, madrid::today())
        .await?
        .map(|l| l.procedure))
}

/// The user's access to a project, for those who may have one (office, investor).
async fn project_access(
    conn: &mut AnyConnection,
    user: &User,
    project_id: &str,
) -> Result<Option<(Project, Access)>, sqlx::Error> {
    if !policy::is_office(user) && !policy::is_investor(user) {
        return Ok(None);
    }
    let Some(p) = projects::get(conn, project_id).await? else {
        return Ok(None);
    };
    Ok(policy::access(user, &p.case()).map(|a| (p.seen_with(a), a)))
}

/// One procedure as `user` may see it; `None`: answer 404.
pub async fn visible(
    conn: &mut AnyConnection,
    user: &User,
    id: &str,
) -> Result<Option<(Procedure, ProcAccess)>, sqlx::Error> {
    let Some(p) = get(&mut *conn, id).await? else {
        return Ok(None);
    };
    let access = project_access(&mut *conn, user, &p.project_id)
        .await?
        .map(|(_, a)| a);
    let Some(a) = procedure_access(user, &p, access) else {
        return Ok(None);
    };
    let held = if administration_only(a) {
        held_by(&mut *conn, user, &p.project_id).await?
    } else {
        HashSet::new()
    };
    Ok(Some((redact(p, a, &held), a)))
}

/// The access of an administration's user, who sees nothing else of the project.
fn administration_only(a: ProcAccess) -> bool {
    a.administration && !a.office && !a.investor
}

/// The ids of a project's procedures held by the user's organisations.
async fn held_by(
    conn: &mut AnyConnection,
    user: &User,
    project_id: &str,
) -> Result<HashSet<String>, sqlx::Error> {
    if user.organization_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let mut sql = db::Sql::new("SELECT id FROM procedures WHERE project_id = ");
    sql.bind(project_id.to_owned())
        .push(" AND administration_org_id IN ");
    in_list(&mut sql, &user.organization_ids);
    let (text, args) = sql.build()?;
    let ids: Vec<String> = sqlx::query_scalar_with(&text, args).fetch_all(conn).await?;
    Ok(ids.into_iter().collect())
}

/// A procedure as `a` may see it: the office's notes are for the office only; an
/// administration's user sees only the dependencies it also holds (`held`: the
/// project's procedures it holds), the others are not its business.
fn redact(mut p: Procedure, a: ProcAccess, held: &HashSet<String>) -> Procedure {
    if a.investor || administration_only(a) {
        p.notes = String::new();
    }
    if administration_only(a) {
        p.depends_on.retain(|d| held.contains(d));
    }
    p
}

/// A project's procedures as `user` may see them: the office and the investor
/// all of them, an administration's user only those it holds; `None` when the
/// user sees none (answer 404).
pub async fn project_procedures(
    conn: &mut AnyConnection,
    user: &User,
    project_id: &str,
) -> Result<Option<ProjectProcedures>, sqlx::Error> {
    if !looks_like_id(project_id) {
        return Ok(None);
    }
    let project = project_access(&mut *conn, user, project_id).await?;
    if project.is_none() && user.role != besaya_domain::Role::PactMember {
        return Ok(None);
    }
    let all = of_project(&mut *conn, project_id).await?;
    let access = project.as_ref().map(|(_, a)| *a);
    let mut visible: Vec<(Procedure, ProcAccess)> = all
        .into_iter()
        .filter_map(|p| procedure_access(user, &p, access).map(|a| (p, a)))
        .collect();
    let held: HashSet<String> = visible.iter().map(|(p, _)| p.id.clone()).collect();
    visible = visible
        .into_iter()
        .map(|(p, a)| (redact(p, a, &held), a))
        .collect();
    if project.is_none() && visible.is_empty() {
        return Ok(None);
    }
    Ok(Some(ProjectProcedures {
        project,
        procedures: visible,
    }))
}

// ---- Writing procedures ----

/// The derived columns of a procedure from its events, written back.
async fn refresh(conn: &mut AnyConnection, id: &str) -> Result<Option<Clock>, sqlx::Error> {
    let row: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT p.term_value, p.term_unit, p.silence, o.municipality_code FROM procedures p \
         JOIN organizations o ON o.id = p.administration_org_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((value, unit, silence, municipality)) = row else {
        return Ok(None);
    };
    let holidays = match &municipality {
        Some(m) => calendar::national().with(local_dates(&mut *conn, m).await?),
        None => calendar::national().clone(),
    };
    let rules = Rules {
        term: term_of(value, &unit),
        silence: silence_of(&silence),
        holidays: &holidays,
    };
    let (_, mut steps) = deps_and_steps(&mut *conn, &[id.to_owned()]).await?;
    let clock = replay_lenient(rules, &steps.remove(id).unwrap_or_default());
    let due = clock.due_on(rules);
    sqlx::query(
        "UPDATE procedures SET status = $1, filed_on = $2, started_on = $3, due_on = $4, resolved_on = $5 WHERE id = $6",
    )
    .bind(clock.status.as_str())
    .bind(clock.filed_on.map(format_date))
    .bind(clock.started_on.map(format_date))
    .bind(due.map(format_date))
    .bind(clock.resolved_on.map(format_date))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(clock))
}

/// The active users of an organisation who act for it (administrations: pact
/// members; investors: investor users): `(email, name, lang)`.
async fn users_of(
    conn: &mut AnyConnection,
    org_id: &str,
    role: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name, u.lang FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
         WHERE uo.organization_id = $1 AND u.role = $2 AND u.active = 1 ORDER BY u.email",
    )
    .bind(org_id)
    .bind(role)
    .fetch_all(conn)
    .await
}

async fn send(
    state: &AppState,
    conn: &mut AnyConnection,
    to: &[(String, String, String)],
    m: ProcMail<'_>,
) -> Result<(), WriteError> {
    for (email, name, lang) in to {
        let out = crate::mail::compose(
            &state.i18n,
            Lang::from_code(lang).unwrap_or_default(),
            email,
            name,
            crate::mail::Kind::Procedure(m),
        )
        .map_err(WriteError::Mail)?;
        crate::mail::enqueue(&mut *conn, &out)
            .await
            .map_err(WriteError::Mail)?;
    }
    Ok(())
}

async fn org_name(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Adds procedures from the catalogue to a project (the caller checked the office's
/// edit access); e-mails the administrations. Returns the new ids.
pub async fn add(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    project: &Project,
    items: &[AddItem],
) -> Result<Vec<String>, WriteError> {
    let mut e = Vec::new();
    if items.is_empty() {
        e.push(Invalid::new("items", "no_items"));
    }
    if items.len() > 50 {
        e.push(Invalid::with("items", "too_many", "50"));
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let existing: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, template_id FROM procedures WHERE project_id = $1")
            .bind(&project.id)
            .fetch_all(&mut *conn)
            .await?;
    let mut taken: HashSet<String> = existing.iter().filter_map(|(_, t)| t.clone()).collect();
    let mut chosen: Vec<(Template, String)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("items[{i}].template_id");
        let Some(t) = template(&mut *conn, item.template_id.trim()).await? else {
            e.push(Invalid::with(
                &field,
                "unknown_template",
                shown(&item.template_id),
            ));
            continue;
        };
        if !taken.insert(t.id.clone()) {
            e.push(Invalid::with(&field, "already_added", t.name_es.clone()));
            continue;
        }
        let org_field = format!("items[{i}].administration_org_id");
        let org = item
            .administration_org_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| t.administration_org_id.clone());
        let Some(org) = org else {
            e.push(Invalid::new(&org_field, "no_administration"));
            continue;
        };
        if !looks_like_id(&org) || !org_exists(&mut *conn, &org).await? {
            e.push(Invalid::with(
                &org_field,
                "unknown_organization",
                shown(&org),
            ));
            continue;
        }
        chosen.push((t, org));
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let now = db::now();
    let mut ids = Vec::new();
    let mut by_template: HashMap<String, String> = existing
        .iter()
        .filter_map(|(id, t)| t.clone().map(|t| (t, id.clone())))
        .collect();
    for (t, org) in &chosen {
        let id = db::new_id();
        sqlx::query(
            "INSERT INTO procedures (id, project_id, template_id, name_es, name_en, administration_org_id, \
             legal_basis, term_value, term_unit, silence, status, notes, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', '', 1, $11, $11)",
        )
        .bind(&id)
        .bind(&project.id)
        .bind(&t.id)
        .bind(&t.name_es)
        .bind(&t.name_en)
        .bind(org)
        .bind(&t.legal_basis)
        .bind(t.term_value)
        .bind(&t.term_unit)
        .bind(&t.silence)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
        by_template.insert(t.id.clone(), id.clone());
        ids.push(id);
    }
    // Dependencies from the catalogue, both ways between the project's procedures.
    let tdeps = template_deps(&mut *conn).await?;
    let mut links: HashSet<(String, String)> = HashSet::new();
    for (t, _) in &chosen {
        let Some(me) = by_template.get(&t.id) else {
            continue;
        };
        for d in tdeps.get(&t.id).into_iter().flatten() {
            if let Some(other) = by_template.get(d) {
                links.insert((me.clone(), other.clone()));
            }
        }
        for (other_t, ds) in &tdeps {
            if ds.contains(&t.id)
                && let Some(other) = by_template.get(other_t)
            {
                links.insert((other.clone(), me.clone()));
            }
        }
    }
    let mut links: Vec<(String, String)> = links.into_iter().collect();
    links.sort();
    for (p, d) in &links {
        sqlx::query(
            "INSERT INTO procedure_deps (procedure_id, depends_on_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(p)
        .bind(d)
        .execute(&mut *conn)
        .await?;
    }
    for ((t, org), id) in chosen.iter().zip(&ids) {
        let administration = org_name(&mut *conn, org).await?.unwrap_or_default();
        record_event(
            &mut *conn,
            &project.id,
            Some(&actor.id),
            "procedure_added",
            json!({ "name_es": t.name_es, "name_en": t.name_en, "administration": administration }),
            true,
        )
        .await?;
        let deps: Vec<&String> = links
            .iter()
            .filter(|(p, _)| p == id)
            .map(|(_, d)| d)
            .collect();
        Audit {
            actor: Some(&actor.id),
            entity: "procedure",
            entity_id: id,
            action: "create",
            changes: Changes::new()
                .created("project_id", project.id.as_str())
                .created("template_id", t.id.as_str())
                .created("name_es", t.name_es.as_str())
                .created("administration_org_id", org.as_str())
                .created("term", format!("{} {}", t.term_value, t.term_unit))
                .created("silence", t.silence.as_str())
                .created("depends_on", json!(deps)),
        }
        .record(&mut *conn)
        .await?;
        let link = format!("{}/procedures/{id}", state.config.public_base());
        let to = users_of(&mut *conn, org, "pact_member").await?;
        send(
            state,
            &mut *conn,
            &to,
            ProcMail::Assigned(Named {
                name_es: &t.name_es,
                name_en: &t.name_en,
                project: &project.code_name,
                administration: &administration,
                link: &link,
            }),
        )
        .await?;
    }
    Ok(ids)
}

/// Checks a procedure's dependencies within its project: known, not itself, no cycle.
async fn check_deps(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
    depends_on: &[String],
) -> Result<Vec<Invalid>, sqlx::Error> {
    let mut e = Vec::new();
    let all: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, name_es FROM procedures WHERE project_id = $1 ORDER BY created_at, id",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let index: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(n, (i, _))| (i.as_str(), n))
        .collect();
    if depends_on.len() > DEPS_MAX {
        e.push(Invalid::with(
            "depends_on",
            "too_many",
            DEPS_MAX.to_string(),
        ));
        return Ok(e);
    }
    for (i, d) in depends_on.iter().enumerate() {
        if d == id {
            e.push(Invalid::new(&format!("depends_on[{i}]"), "self_dependency"));
        } else if !index.contains_key(d.as_str()) {
            e.push(Invalid::with(
                &format!("depends_on[{i}]"),
                "unknown_procedure",
                shown(d),
            ));
        }
    }
    if !e.is_empty() {
        return Ok(e);
    }
    let (mut deps, _) = deps_and_steps(
        &mut *conn,
        &all.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
    )
    .await?;
    deps.insert(id.to_owned(), depends_on.to_vec());
    e.extend(cycle_error(&all, &deps));
    Ok(e)
}

/// Checks the fields of a change (text lengths; references are checked by [`update`]).
pub fn validate_edit(
    administration_org_id: Option<&str>,
    file_reference: Option<&str>,
    notes: Option<&str>,
    depends_on: &[String],
) -> Result<ProcedureEdit, Vec<Invalid>> {
    let mut e = Vec::new();
    let org = match administration_org_id
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("administration_org_id", "required"));
            String::new()
        }
        Some(o) if looks_like_id(o) => o.to_owned(),
        Some(o) => {
            e.push(Invalid::with(
                "administration_org_id",
                "unknown_organization",
                shown(o),
            ));
            String::new()
        }
    };
    let file_reference = text(
        &mut e,
        "file_reference",
        file_reference,
        FILE_REFERENCE_MAX,
        false,
    );
    let notes = text(&mut e, "notes", notes, NOTE_MAX, true).unwrap_or_default();
    let mut deps: Vec<String> = Vec::new();
    for (i, d) in depends_on.iter().enumerate() {
        let d = d.trim();
        if d.is_empty() {
            continue;
        }
        if !looks_like_id(d) {
            e.push(Invalid::with(
                &format!("depends_on[{i}]"),
                "unknown_procedure",
                shown(d),
            ));
        } else if !deps.iter().any(|x| x == d) {
            deps.push(d.to_owned());
        }
    }
    deps.sort();
    if e.is_empty() {
        Ok(ProcedureEdit {
            administration_org_id: org,
            file_reference,
            notes,
            depends_on: deps,
        })
    } else {
        Err(e)
    }
}

/// Changes a procedure from version `expected`; a new administration is e-mailed.
pub async fn update(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    edit: &ProcedureEdit,
) -> Result<i64, WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let mut e = Vec::new();
    if !org_exists(&mut *conn, &edit.administration_org_id).await? {
        e.push(Invalid::with(
            "administration_org_id",
            "unknown_organization",
            shown(&edit.administration_org_id),
        ));
    }
    e.extend(check_deps(&mut *conn, &before.project_id, id, &edit.depends_on).await?);
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let version = bump_version(&mut *conn, Versioned::Procedures, id, expected).await?;
    sqlx::query(
        "UPDATE procedures SET administration_org_id = $1, file_reference = $2, notes = $3 WHERE id = $4",
    )
    .bind(&edit.administration_org_id)
    .bind(&edit.file_reference)
    .bind(&edit.notes)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM procedure_deps WHERE procedure_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for d in &edit.depends_on {
        sqlx::query("INSERT INTO procedure_deps (procedure_id, depends_on_id) VALUES ($1, $2)")
            .bind(id)
            .bind(d)
            .execute(&mut *conn)
            .await?;
    }
    let reassigned = edit.administration_org_id != before.administration_org_id;
    if reassigned {
        // Another municipality may have other local holidays.
        refresh(&mut *conn, id).await?;
    }
    let changes = Changes::new()
        .field(
            "administration_org_id",
            json!(before.administration_org_id),
            json!(edit.administration_org_id),
        )
        .field(
            "file_reference",
            json!(before.file_reference),
            json!(edit.file_reference),
        )
        .field("notes", json!(before.notes), json!(edit.notes))
        .field(
            "depends_on",
            json!(before.depends_on),
            json!(edit.depends_on),
        );
    let administration = org_name(&mut *conn, &edit.administration_org_id)
        .await?
        .unwrap_or_default();
    if !changes.is_empty() {
        record_event(
            &mut *conn,
            &before.project_id,
            Some(&actor.id),
            "procedure_updated",
            json!({ "name_es": before.name_es, "name_en": before.name_en, "administration": administration }),
            reassigned,
        )
        .await?;
    }
    Audit {
        actor: Some(&actor.id),
        entity: "procedure",
        entity_id: id,
        action: "update",
        changes,
    }
    .record(&mut *conn)
    .await?;
    if reassigned {
        let link = format!("{}/procedures/{id}", state.config.public_base());
        let to = users_of(&mut *conn, &edit.administration_org_id, "pact_member").await?;
        send(
            state,
            &mut *conn,
            &to,
            ProcMail::Assigned(Named {
                name_es: &before.name_es,
                name_en: &before.name_en,
                project: &before.project_code_name,
                administration: &administration,
                link: &link,
            }),
        )
        .await?;
    }
    Ok(version)
}

/// Sets the file reference only (what the administration may change).
pub async fn set_file_reference(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    file_reference: Option<&str>,
) -> Result<i64, WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let mut e = Vec::new();
    let value = text(
        &mut e,
        "file_reference",
        file_reference,
        FILE_REFERENCE_MAX,
        false,
    );
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let version = bump_version(&mut *conn, Versioned::Procedures, id, expected).await?;
    sqlx::query("UPDATE procedures SET file_reference = $1 WHERE id = $2")
        .bind(&value)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure",
        entity_id: id,
        action: "update",
        changes: Changes::new().field("file_reference", json!(before.file_reference), json!(value)),
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Removes a procedure with its events from version `expected`.
pub async fn delete(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
) -> Result<(), WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM procedure_events WHERE procedure_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    for sql in [
        "DELETE FROM procedure_events WHERE procedure_id = $1",
        "DELETE FROM procedure_deps WHERE procedure_id = $1 OR depends_on_id = $1",
        "DELETE FROM procedures WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    record_event(
        &mut *conn,
        &before.project_id,
        Some(&actor.id),
        "procedure_removed",
        json!({ "name_es": before.name_es, "name_en": before.name_en }),
        true,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure",
        entity_id: id,
        action: "delete",
        changes: Changes::new()
            .field("project_id", json!(before.project_id), Value::Null)
            .field("name_es", json!(before.name_es), Value::Null)
            .field("status", json!(before.status), Value::Null)
            .field("events", json!(events), Value::Null)
            .field("version", json!(before.version), Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

// ---- Events ----

#[derive(FromRow)]
struct EventRow {
    id: String,
    procedure_id: String,
    kind: String,
    on_date: String,
    note: String,
    document_id: Option<String>,
    document_title: Option<String>,
    actor_id: Option<String>,
    actor_name: Option<String>,
    at: String,
}

/// The events of a procedure, in order.
pub async fn events(
    conn: &mut AnyConnection,
    procedure_id: &str,
) -> Result<Vec<ProcEvent>, sqlx::Error> {
    if !looks_like_id(procedure_id) {
        return Ok(Vec::new());
    }
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.procedure_id, e.kind, e.on_date, e.note, e.document_id, d.title AS document_title, \
         e.actor_id, u.name AS actor_name, e.at FROM procedure_events e \
         LEFT JOIN project_documents d ON d.id = e.document_id LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.procedure_id = $1 ORDER BY e.at, e.id",
    )
    .bind(procedure_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProcEvent {
            id: r.id,
            procedure_id: r.procedure_id,
            kind: r.kind,
            on_date: r.on_date,
            note: r.note,
            document_id: r.document_id,
            document_title: r.document_title,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            at: r.at,
        })
        .collect())
}

/// Checks the note of an event.
pub fn validate_note(note: Option<&str>) -> Result<String, Vec<Invalid>> {
    let mut e = Vec::new();
    let v = text(&mut e, "note", note, NOTE_MAX, true).unwrap_or_default();
    if e.is_empty() { Ok(v) } else { Err(e) }
}

/// Records an event by `actor` from version `expected` (checks the actor's rights,
/// the clock, the date and the document); returns the procedure's new version.
pub async fn record(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    procedure_id: &str,
    expected: i64,
    ev: &NewEvent,
) -> Result<i64, WriteError> {
    record_checked(state, conn, actor, procedure_id, expected, ev, true).await
}

async fn record_checked(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    procedure_id: &str,
    expected: i64,
    ev: &NewEvent,
    check_rights: bool,
) -> Result<i64, WriteError> {
    let today = madrid::today();
    let loaded = load_one(&mut *conn, procedure_id, today)
        .await?
        .ok_or(WriteError::NotFound)?;
    let p = &loaded.procedure;
    let project = projects::get(&mut *conn, &p.project_id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let project_access = if policy::is_office(actor) || policy::is_investor(actor) {
        policy::access(actor, &project.case())
    } else {
        None
    };
    let access = procedure_access(actor, p, project_access).ok_or(WriteError::NotFound)?;
    let status = loaded.clock.status;
    if check_rights && !access.may_record(ev.kind) {
        return Err(WriteError::NotPermitted(access.recordable(status)));
    }
    if p.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(p.version),
        }));
    }
    let mut e = Vec::new();
    if ev.on_date > today {
        e.push(Invalid::new("on_date", "date_in_future"));
    }
    let note = match validate_note(Some(&ev.note)) {
        Ok(n) => n,
        Err(errs) => {
            e.extend(errs);
            String::new()
        }
    };
    let mut document_id = ev.document_id.clone().filter(|d| !d.trim().is_empty());
    if ev.kind == EventKind::CorrectionRequested {
        // The request made below is the document of this event.
        document_id = None;
    }
    if let Some(d) = &document_id {
        let has_file: Option<Option<String>> = if looks_like_id(d) {
            sqlx::query_scalar(
                "SELECT file_id FROM project_documents WHERE id = $1 AND project_id = $2",
            )
            .bind(d)
            .bind(&p.project_id)
            .fetch_optional(&mut *conn)
            .await?
        } else {
            None
        };
        match has_file {
            None => e.push(Invalid::with("document_id", "unknown_document", shown(d))),
            Some(None) if ev.kind == EventKind::Corrected => {
                e.push(Invalid::new("document_id", "document_needs_file"));
            }
            Some(_) => {}
        }
    } else if ev.kind == EventKind::Corrected && access.investor && !access.office {
        e.push(Invalid::new("document_id", "document_needs_file"));
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let rules = Rules {
        term: p.term(),
        silence: p.silence_kind(),
        holidays: &loaded.holidays,
    };
    let mut clock = loaded.clock.clone();
    if let Err(err) = clock.apply(rules, ev.kind, ev.on_date) {
        return Err(WriteError::Event(err, access.recordable(status)));
    }
    let version = bump_version(&mut *conn, Versioned::Procedures, procedure_id, expected).await?;
    let on = format_date(ev.on_date);
    let lang = Lang::default();
    if ev.kind == EventKind::CorrectionRequested {
        let title = state.i18n.message(
            lang,
            "proc-correction-title",
            &[("name", p.name(lang).to_owned().into())],
        );
        let request = documents::create(
            &mut *conn,
            Some(&actor.id),
            &p.project_id,
            &NewDocument {
                title: title.chars().take(documents::TITLE_MAX).collect(),
                description: note.clone(),
                due_on: None,
                for_investor: true,
                request: true,
            },
        )
        .await?;
        document_id = Some(request);
    }
    let event_id = db::new_id();
    sqlx::query(
        "INSERT INTO procedure_events (id, procedure_id, kind, on_date, note, document_id, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&event_id)
    .bind(procedure_id)
    .bind(ev.kind.as_str())
    .bind(&on)
    .bind(&note)
    .bind(&document_id)
    .bind(&actor.id)
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    let after = refresh(&mut *conn, procedure_id).await?.unwrap_or(clock);
    let due = after.due_on(rules).map(format_date);
    record_event(
        &mut *conn,
        &p.project_id,
        Some(&actor.id),
        &format!("procedure_{}", ev.kind.as_str()),
        json!({
            "name_es": p.name_es,
            "name_en": p.name_en,
            "on_date": on,
            "due_on": due.clone().unwrap_or_default(),
            "silence": p.silence,
        }),
        ev.kind != EventKind::Note,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure_event",
        entity_id: &event_id,
        action: "create",
        changes: Changes::new()
            .created("procedure_id", procedure_id)
            .created("kind", ev.kind.as_str())
            .created("on_date", on.as_str())
            .created("note", note.as_str())
            .created("document_id", json!(document_id)),
    }
    .record(&mut *conn)
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "procedure",
        entity_id: procedure_id,
        action: "event",
        changes: Changes::new()
            .field("status", json!(p.status), json!(after.status.as_str()))
            .field("due_on", json!(p.due_on), json!(due))
            .field(
                "resolved_on",
                json!(p.resolved_on),
                json!(after.resolved_on.map(format_date)),
            ),
    }
    .record(&mut *conn)
    .await?;
    // E-mails.
    let base = state.config.public_base().to_owned();
    let pid = &p.project_id;
    let id = &p.id;
    let portal_link = format!("{base}/portal/projects/{pid}/procedures/{id}");
    let admin_link = format!("{base}/procedures/{id}");
    let office_link = format!("{base}/office/projects/{pid}/procedures/{id}");
    let mut named = Named {
        name_es: &p.name_es,
        name_en: &p.name_en,
        project: &project.code_name,
        administration: &p.administration_name,
        link: "",
    };
    if ev.kind == EventKind::CorrectionRequested
        && let Some(org) = &project.investor_org_id
    {
        named.link = &portal_link;
        let to = users_of(&mut *conn, org, "investor").await?;
        send(
            state,
            &mut *conn,
            &to,
            ProcMail::CorrectionRequested {
                about: named,
                note: &note,
            },
        )
        .await?;
    }
    if ev.kind == EventKind::Corrected {
        named.link = &admin_link;
        let to = users_of(&mut *conn, &p.administration_org_id, "pact_member").await?;
        send(
            state,
            &mut *conn,
            &to,
            ProcMail::Corrected {
                about: named,
                due_on: due.as_deref(),
            },
        )
        .await?;
    }
    if access.administration && !access.office {
        named.link = &office_link;
        let owner: Option<(String, String, String)> =
            sqlx::query_as("SELECT email, name, lang FROM users WHERE id = $1 AND active = 1")
                .bind(&project.owner_id)
                .fetch_optional(&mut *conn)
                .await?;
        send(
            state,
            &mut *conn,
            &owner.into_iter().collect::<Vec<_>>(),
            ProcMail::Event {
                about: named,
                kind: ev.kind.as_str(),
                on_date: &on,
                due_on: due.as_deref(),
            },
        )
        .await?;
    }
    Ok(version)
}

/// After an investor uploads the file of a document: if a paused procedure asked for
/// it with a correction request, records `corrected` today with that document.
/// Returns the procedure's id when it did (nothing when the clock would refuse it).
pub async fn correction_uploaded(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    project_id: &str,
    document_id: &str,
) -> Result<Option<String>, WriteError> {
    let found: Option<(String, i64)> = sqlx::query_as(
        "SELECT p.id, p.version FROM procedure_events e JOIN procedures p ON p.id = e.procedure_id \
         WHERE e.document_id = $1 AND e.kind = 'correction_requested' AND p.project_id = $2 \
         AND p.status = 'paused' ORDER BY e.at DESC, e.id DESC",
    )
    .bind(document_id)
    .bind(project_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((pid, version)) = found else {
        return Ok(None);
    };
    let ev = NewEvent {
        kind: EventKind::Corrected,
        on_date: madrid::today(),
        note: String::new(),
        document_id: Some(document_id.to_owned()),
    };
    match record_checked(state, conn, actor, &pid, version, &ev, false).await {
        Ok(_) => Ok(Some(pid)),
        Err(WriteError::Event(..) | WriteError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether a project document is attached to an event of a procedure (what an
/// administration's user may download).
pub async fn event_document(
    conn: &mut AnyConnection,
    procedure_id: &str,
    document_id: &str,
) -> Result<bool, sqlx::Error> {
    if !looks_like_id(procedure_id) || !looks_like_id(document_id) {
        return Ok(false);
    }
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM procedure_events WHERE procedure_id = $1 AND document_id = $2",
    )
    .bind(procedure_id)
    .bind(document_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

// ---- The plan ----

/// A project's procedures on the calendar from `today`, with the critical path.
pub async fn plan(
    conn: &mut AnyConnection,
    project_id: &str,
    today: Date,
) -> Result<PlanView, sqlx::Error> {
    if !looks_like_id(project_id) {
        return Ok(PlanView::default());
    }
    let loaded = load_project(conn, project_id, today).await?;
    Ok(plan_of(&loaded, today))
}

/// The plan of loaded procedures (an administration's user gets the plan of
/// those it sees: pass only those).
fn plan_of(loaded: &[Loaded], today: Date) -> PlanView {
    let index: HashMap<&str, usize> = loaded
        .iter()
        .enumerate()
        .map(|(n, l)| (l.procedure.id.as_str(), n))
        .collect();
    let items: Vec<dom::PlanItem<'_>> = loaded
        .iter()
        .map(|l| dom::PlanItem {
            deps: l
                .procedure
                .depends_on
                .iter()
                .filter_map(|d| index.get(d.as_str()).copied())
                .collect(),
            clock: &l.clock,
            rules: Rules {
                term: l.procedure.term(),
                silence: l.procedure.silence_kind(),
                holidays: &l.holidays,
            },
        })
        .collect();
    let Ok(plan) = dom::plan(&items, today) else {
        return PlanView::default();
    };
    PlanView {
        items: loaded
            .iter()
            .zip(&plan.items)
            .map(|(l, p)| PlanRow {
                procedure_id: l.procedure.id.clone(),
                name_es: l.procedure.name_es.clone(),
                name_en: l.procedure.name_en.clone(),
                administration_name: l.procedure.administration_name.clone(),
                status: l.procedure.status.clone(),
                start: format_date(p.start),
                end: format_date(p.end),
                critical: p.critical,
            })
            .collect(),
        path: plan
            .path
            .iter()
            .filter_map(|i| loaded.get(*i).map(|l| l.procedure.id.clone()))
            .collect(),
        last: plan.last.map(format_date),
    }
}

/// The plan of some of a project's procedures (those a user sees).
pub async fn plan_of_some(
    conn: &mut AnyConnection,
    project_id: &str,
    ids: &[String],
    today: Date,
) -> Result<PlanView, sqlx::Error> {
    let loaded: Vec<Loaded> = load_project(conn, project_id, today)
        .await?
        .into_iter()
        .filter(|l| ids.contains(&l.procedure.id))
        .collect();
    Ok(plan_of(&loaded, today))
}

// ---- The administrations' list ----

/// The sort key of a procedure in the administrations' list: `due_on|id`, with
/// `~` for no due date (after every date).
pub fn list_key(p: &Procedure) -> String {
    format!("{}|{}", p.due_on.as_deref().unwrap_or("~"), p.id)
}

/// A list key back into its parts (`None`: not one this platform gave).
pub fn split_key(key: &str) -> Option<(Option<String>, String)> {
    let (due, id) = key.split_once('|')?;
    if !looks_like_id(id) {
        return None;
    }
    match due {
        "~" => Some((None, id.to_owned())),
        d => parse_date(d).map(|d| (Some(format_date(d)), id.to_owned())),
    }
}

/// Procedures held by `org_ids` (empty: every administration, for the office;
/// otherwise without the office's notes and dependencies) matching `filter`, by due date (none last) then id, `limit` after the cursor
/// `after` (a [`list_key`]); with the next key when there are more.
///
/// Each (administration, status) pair is read through the index on
/// `(administration_org_id, status, due_on)` and the pages are merged, so that a
/// page costs the same with 40 or 40,000 procedures (a search for a rare word
/// reads them all).
pub async fn for_administrations(
    pool: &AnyPool,
    org_ids: &[String],
    filter: &AdminFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<Procedure>, Option<String>), sqlx::Error> {
    let limit = limit.clamp(1, 501);
    let after = after.and_then(split_key);
    let today = format_date(madrid::today());
    let statuses: Vec<Status> = if filter.overdue {
        vec![Status::Running]
    } else {
        filter
            .status
            .map_or_else(|| Status::ALL.to_vec(), |s| vec![s])
    };
    let orgs: Vec<Option<&String>> = if org_ids.is_empty() {
        vec![None]
    } else {
        org_ids.iter().map(Some).collect()
    };
    let q = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|q| format!("%{}%", db::like_escape(&q.to_lowercase())));
    let fetch = limit + 1;
    let mut conn = pool.acquire().await?;
    let mut keys = split_keys(
        &mut conn,
        &orgs,
        &statuses,
        filter.overdue,
        &today,
        q.as_deref(),
        after.as_ref(),
        fetch,
    )
    .await?;
    let more = i64::try_from(keys.len()).unwrap_or(i64::MAX) > limit;
    keys.truncate(usize::try_from(limit).unwrap_or(500));
    let ids: Vec<String> = keys.iter().map(|(_, i)| i.clone()).collect();
    let mut rows: Vec<ProcRow> = Vec::new();
    for chunk in ids.chunks(400) {
        let mut sql = db::Sql::new(PROC_SELECT);
        sql.push(" WHERE p.id IN ");
        in_list(&mut sql, chunk);
        let (text, args) = sql.build()?;
        let got: Vec<ProcRow> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        rows.extend(got);
    }
    let order: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(n, i)| (i.as_str(), n))
        .collect();
    rows.sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    let items: Vec<Procedure> = hydrate(&mut conn, rows, madrid::today())
        .await?
        .into_iter()
        .map(|l| {
            let mut p = l.procedure;
            if !org_ids.is_empty() {
                // An administration's list: not the office's notes, nor links
                // to procedures of other administrations.
                p.notes = String::new();
                p.depends_on.clear();
            }
            p
        })
        .collect();
    let next = if more {
        items.last().map(list_key)
    } else {
        None
    };
    Ok((items, next))
}

/// A list key: the due date (`None`: none) and the id.
type Key = (Option<String>, String);

/// The first `fetch` keys after `after`, read per (administration, status) through
/// the index on `(administration_org_id, status, due_on)` (or `(status, due_on)`
/// for every administration) and merged: with due dates first, then those without.
#[allow(clippy::too_many_arguments)]
async fn split_keys(
    conn: &mut AnyConnection,
    orgs: &[Option<&String>],
    statuses: &[Status],
    overdue: bool,
    today: &str,
    like: Option<&str>,
    after: Option<&Key>,
    fetch: i64,
) -> Result<Vec<Key>, sqlx::Error> {
    let cap = usize::try_from(fetch).unwrap_or(501);
    let base = |sql: &mut db::Sql, org: Option<&String>, status: Status| {
        if let Some(o) = org {
            sql.push(" AND p.administration_org_id = ").bind(o.clone());
        }
        sql.push(" AND p.status = ")
            .bind(status.as_str().to_owned());
        if overdue {
            sql.push(" AND p.due_on < ").bind(today.to_owned());
        }
        if let Some(like) = like {
            // Walking the index in order, a common word stops at the first page.
            sql.push(" AND (LOWER(p.name_es) LIKE ")
                .bind(like.to_owned())
                .push(" ESCAPE '\\' OR LOWER(p.name_en) LIKE ")
                .bind(like.to_owned())
                .push(" ESCAPE '\\' OR LOWER(COALESCE(p.file_reference, '')) LIKE ")
                .bind(like.to_owned())
                .push(
                    " ESCAPE '\\' OR p.project_id IN (SELECT pr.id FROM projects pr \
                     WHERE LOWER(pr.code_name) LIKE ",
                )
                .bind(like.to_owned())
                .push(" ESCAPE '\\'))");
        }
    };
    let mut keys: Vec<Key> = Vec::new();
    // With due dates first (unless the cursor is already past them).
    if !matches!(after, Some((None, _))) {
        for org in orgs {
            for s in statuses {
                let mut sql = db::Sql::new(
                    "SELECT p.due_on, p.id FROM procedures p WHERE p.due_on IS NOT NULL",
                );
                base(&mut sql, *org, *s);
                if let Some((Some(d), id)) = after {
                    sql.push(" AND (p.due_on > ")
                        .bind(d.clone())
                        .push(" OR (p.due_on = ")
                        .bind(d.clone())
                        .push(" AND p.id > ")
                        .bind(id.clone())
                        .push("))");
                }
                sql.push(" ORDER BY p.due_on, p.id LIMIT ").bind(fetch);
                let (text, args) = sql.build()?;
                let rows: Vec<(String, String)> = sqlx::query_as_with(&text, args)
                    .fetch_all(&mut *conn)
                    .await?;
                keys.extend(rows.into_iter().map(|(d, i)| (Some(d), i)));
            }
        }
        keys.sort();
        keys.truncate(cap);
    }
    if !overdue && keys.len() < cap {
        let mut undated: Vec<Key> = Vec::new();
        for org in orgs {
            for s in statuses {
                let mut sql = db::Sql::new("SELECT p.id FROM procedures p WHERE p.due_on IS NULL");
                base(&mut sql, *org, *s);
                if let Some((None, id)) = after {
                    sql.push(" AND p.id > ").bind(id.clone());
                }
                sql.push(" ORDER BY p.id LIMIT ").bind(fetch);
                let (text, args) = sql.build()?;
                let rows: Vec<String> = sqlx::query_scalar_with(&text, args)
                    .fetch_all(&mut *conn)
                    .await?;
                undated.extend(rows.into_iter().map(|i| (None, i)));
            }
        }
        undated.sort();
        keys.extend(undated);
        keys.truncate(cap);
    }
    Ok(keys)
}

// ---- Local holidays ----

#[derive(FromRow)]
struct HolidayRow {
    id: String,
    municipality_code: String,
    municipality_name: String,
    on_date: String,
    name_es: String,
    name_en: String,
}

pub async fn local_holidays(conn: &mut AnyConnection) -> Result<Vec<LocalHoliday>, sqlx::Error> {
    let rows: Vec<HolidayRow> = sqlx::query_as(
        "SELECT h.id, h.municipality_code, m.name AS municipality_name, h.on_date, h.name_es, h.name_en \
         FROM local_holidays h JOIN municipalities m ON m.ine_code = h.municipality_code \
         ORDER BY h.on_date, m.name, h.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LocalHoliday {
            id: r.id,
            municipality_code: r.municipality_code,
            municipality_name: r.municipality_name,
            on_date: r.on_date,
            name_es: r.name_es,
            name_en: r.name_en,
        })
        .collect())
}

/// One local holiday.
pub async fn local_holiday(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<LocalHoliday>, sqlx::Error> {
    if !looks_like_id(id) {
        return Ok(None);
    }
    Ok(local_holidays(conn).await?.into_iter().find(|h| h.id == id))
}

/// Recomputes the due dates of the procedures held by the administrations of a
/// municipality whose clocks have started.
async fn refresh_municipality(
    conn: &mut AnyConnection,
    municipality_code: &str,
) -> Result<usize, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT p.id FROM procedures p JOIN organizations o ON o.id = p.administration_org_id \
         WHERE o.municipality_code = $1 AND p.started_on IS NOT NULL ORDER BY p.id",
    )
    .bind(municipality_code)
    .fetch_all(&mut *conn)
    .await?;
    for id in &ids {
        refresh(&mut *conn, id).await?;
    }
    Ok(ids.len())
}

/// Checks a local holiday's fields.
pub fn validate_holiday(
    municipality_code: Option<&str>,
    on_date: Option<&str>,
    name_es: Option<&str>,
    name_en: Option<&str>,
) -> Result<(String, Date, String, String), Vec<Invalid>> {
    let mut e = Vec::new();
    let m = match municipality_code.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(Invalid::new("municipality_code", "required"));
            None
        }
        Some(m) if m.len() == 5 && m.chars().all(|c| c.is_ascii_digit()) => Some(m),
        Some(m) => {
            e.push(Invalid::with(
                "municipality_code",
                "unknown_municipality",
                shown(m),
            ));
            None
        }
    };
    let date = match on_date.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(Invalid::new("on_date", "required"));
            None
        }
        Some(d) => {
            let parsed = parse_date(d).filter(|x| (2000..=2100).contains(&x.year()));
            if parsed.is_none() {
                e.push(Invalid::with("on_date", "invalid_date", shown(d)));
            }
            parsed
        }
    };
    let es = text(&mut e, "name_es", name_es, 200, false);
    let es = required(&mut e, "name_es", es);
    let en = text(&mut e, "name_en", name_en, 200, false);
    let en = required(&mut e, "name_en", en);
    match (m, date) {
        (Some(m), Some(d)) if e.is_empty() => Ok((m.to_owned(), d, es, en)),
        _ => Err(e),
    }
}

/// Adds a local holiday and moves the due dates of the procedures held by
/// administrations of that municipality. Returns its id.
pub async fn add_local_holiday(
    conn: &mut AnyConnection,
    actor: &User,
    municipality_code: &str,
    on_date: Date,
    name_es: &str,
    name_en: &str,
) -> Result<String, WriteError> {
    let known: Option<String> =
        sqlx::query_scalar("SELECT ine_code FROM municipalities WHERE ine_code = $1")
            .bind(municipality_code)
            .fetch_optional(&mut *conn)
            .await?;
    if known.is_none() {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "municipality_code",
            "unknown_municipality",
            shown(municipality_code),
        )]));
    }
    let id = db::new_id();
    let on = format_date(on_date);
    let done = sqlx::query(
        "INSERT INTO local_holidays (id, municipality_code, on_date, name_es, name_en, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(municipality_code)
    .bind(&on)
    .bind(name_es)
    .bind(name_en)
    .bind(db::now())
    .execute(&mut *conn)
    .await;
    match done {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(WriteError::Invalid(vec![Invalid::new(
                "on_date",
                "duplicate_holiday",
            )]));
        }
        other => {
            other?;
        }
    }
    let moved = refresh_municipality(&mut *conn, municipality_code).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "local_holiday",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("municipality_code", municipality_code)
            .created("on_date", on.as_str())
            .created("name_es", name_es)
            .created("name_en", name_en)
            .created("procedures_recomputed", json!(moved)),
    }
    .record(conn)
    .await?;
    Ok(id)
}

pub async fn delete_local_holiday(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
) -> Result<(), WriteError> {
    let h = local_holiday(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    sqlx::query("DELETE FROM local_holidays WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let moved = refresh_municipality(&mut *conn, &h.municipality_code).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "local_holiday",
        entity_id: id,
        action: "delete",
        changes: Changes::new()
            .field("municipality_code", json!(h.municipality_code), Value::Null)
            .field("on_date", json!(h.on_date), Value::Null)
            .field("name_es", json!(h.name_es), Value::Null)
            .field("procedures_recomputed", Value::Null, json!(moved)),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// The holidays an administration's clocks skip: `base` (national and Cantabrian)
/// and the local ones of its municipality.
pub async fn holidays_for_org(
    conn: &mut AnyConnection,
    base: &Holidays,
    org_id: &str,
) -> Result<Holidays, sqlx::Error> {
    let municipality: Option<Option<String>> =
        sqlx::query_scalar("SELECT municipality_code FROM organizations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await?;
    match municipality.flatten() {
        Some(m) => Ok(base.with(local_dates(conn, &m).await?)),
        None => Ok(base.clone()),
    }
}
