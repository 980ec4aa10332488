//! Interactions and tasks of a project: the records, their validation, and their
//! storage. Every write is audited and leaves an (internal) entry on the
//! project's timeline, in the same transaction.

use besaya_domain::directory::{format_date, parse_date};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AnyPool, FromRow};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::madrid;
use crate::auth::User;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, VersionConflict};
use crate::office::Invalid;
use crate::office::policy;
use crate::office::projects::{self, Project};
use crate::web::invalid::text;

/// The kinds of interaction, in the order forms offer them.
pub const KINDS: [&str; 5] = ["meeting", "call", "visit", "email", "other"];

/// The kinds that go to the calendar feed (they happen somewhere, at a time).
pub const CALENDAR_KINDS: [&str; 2] = ["meeting", "visit"];

/// Years a date or time may fall in.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// Longest interaction, in minutes (a day).
const MAX_MINUTES: i64 = 1440;

// ---- Interactions ----

/// A meeting, call, visit or e-mail with the investor, as recorded by the office.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct Interaction {
    pub id: String,
    pub project_id: String,
    /// `meeting`, `call`, `visit`, `email` or `other`.
    pub kind: String,
    /// When it took place (RFC 3339, UTC).
    pub occurred_at: String,
    /// How long it took, in minutes.
    pub duration_minutes: Option<i64>,
    pub subject: String,
    /// Who took part.
    pub people: String,
    pub location: Option<String>,
    pub notes: String,
    pub created_by: Option<String>,
    pub created_by_name: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The fields of an interaction, as the API and the form send them. On `PATCH`
/// the stored record is merged with the patch (RFC 7396) and checked whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionInput {
    /// `meeting`, `call`, `visit`, `email` or `other` (required).
    pub kind: Option<String>,
    /// When it took place (required): RFC 3339 with its offset
    /// (`2026-12-01T10:00:00+01:00`), or the office's wall clock in Madrid
    /// without one (`2026-12-01T10:00`).
    pub occurred_at: Option<String>,
    /// 1–1440 minutes.
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i64>,
    /// Up to 200 characters (required).
    pub subject: Option<String>,
    /// Who took part (up to 1,000 characters).
    pub people: Option<String>,
    /// Up to 200 characters.
    pub location: Option<String>,
    /// Up to 10,000 characters.
    pub notes: Option<String>,
}

impl From<&Interaction> for InteractionInput {
    fn from(i: &Interaction) -> Self {
        Self {
            kind: Some(i.kind.clone()),
            occurred_at: Some(i.occurred_at.clone()),
            duration_minutes: i.duration_minutes,
            subject: Some(i.subject.clone()),
            people: Some(i.people.clone()),
            location: i.location.clone(),
            notes: Some(i.notes.clone()),
        }
    }
}

/// Fields of an interaction the API shows but a change does not take.
pub const INTERACTION_READ_ONLY: [&str; 6] = [
    "id",
    "project_id",
    "created_by",
    "created_by_name",
    "created_at",
    "updated_at",
];

/// An interaction's fields once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInteraction {
    pub kind: &'static str,
    /// Stored form: fixed-width UTC.
    pub occurred_at: String,
    pub duration_minutes: Option<i64>,
    pub subject: String,
    pub people: String,
    pub location: Option<String>,
    pub notes: String,
}

fn kind_of(e: &mut Vec<Invalid>, raw: Option<&str>) -> Option<&'static str> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(Invalid::new("kind", "missing_value"));
            None
        }
        Some(k) => match KINDS.iter().find(|x| **x == k) {
            Some(x) => Some(x),
            None => {
                e.push(Invalid::with(
                    "kind",
                    "unknown_kind",
                    k.chars().take(20).collect::<String>(),
                ));
                None
            }
        },
    }
}

/// A time of an interaction, checked: a valid time between 2000 and 2100.
pub fn when(e: &mut Vec<Invalid>, field: &str, raw: Option<&str>) -> Option<OffsetDateTime> {
    let Some(v) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        e.push(Invalid::new(field, "missing_value"));
        return None;
    };
    match madrid::parse_when(v) {
        Some(t) if YEARS.contains(&t.to_offset(time::UtcOffset::UTC).year()) => Some(t),
        Some(_) => {
            e.push(Invalid::with(field, "out_of_range", "2000–2100"));
            None
        }
        None => {
            e.push(Invalid::with(
                field,
                "invalid_datetime",
                v.chars().take(40).collect::<String>(),
            ));
            None
        }
    }
}

pub fn validate_interaction(input: &InteractionInput) -> Result<ValidInteraction, Vec<Invalid>> {
    let mut e = Vec::new();
    let kind = kind_of(&mut e, input.kind.as_deref());
    let occurred = when(&mut e, "occurred_at", input.occurred_at.as_deref());
    let duration = match input.duration_minutes {
        Some(m) if !(1..=MAX_MINUTES).contains(&m) => {
            e.push(Invalid::with("duration_minutes", "out_of_range", "1–1440"));
            None
        }
        other => other,
    };
    let subject = text(&mut e, "subject", input.subject.as_deref(), 200, false);
    if subject.is_none() && !e.iter().any(|i| i.field == "subject") {
        e.push(Invalid::new("subject", "missing_value"));
    }
    let people = text(&mut e, "people", input.people.as_deref(), 1000, false).unwrap_or_default();
    let location = text(&mut e, "location", input.location.as_deref(), 200, false);
    let notes = text(&mut e, "notes", input.notes.as_deref(), 10_000, true).unwrap_or_default();
    match (kind, occurred, subject) {
        (Some(kind), Some(t), Some(subject)) if e.is_empty() => Ok(ValidInteraction {
            kind,
            occurred_at: db::timestamp(t),
            duration_minutes: duration,
            subject,
            people,
            location,
            notes,
        }),
        _ => Err(e),
    }
}

const INTERACTION_SELECT: &str = "SELECT i.id, i.project_id, i.kind, i.occurred_at, i.duration_minutes, i.subject, \
     i.people, i.location, i.notes, i.created_by, u.name AS created_by_name, i.version, i.created_at, i.updated_at \
     FROM interactions i LEFT JOIN users u ON u.id = i.created_by";

/// One interaction of a project.
pub async fn interaction(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<Interaction>, sqlx::Error> {
    if !plausible_id(id) {
        return Ok(None);
    }
    sqlx::query_as(&format!(
        "{INTERACTION_SELECT} WHERE i.id = $1 AND i.project_id = $2"
    ))
    .bind(id)
    .bind(project_id)
    .fetch_optional(conn)
    .await
}

/// A project's interactions, newest first, after the cursor `(occurred_at, id)`.
pub async fn interactions(
    pool: &AnyPool,
    project_id: &str,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<Interaction>, sqlx::Error> {
    let mut sql = db::Sql::new(INTERACTION_SELECT);
    sql.push(" WHERE i.project_id = ")
        .bind(project_id.to_owned());
    if let Some((at, id)) = after {
        sql.push(" AND (i.occurred_at < ")
            .bind(at.to_owned())
            .push(" OR (i.occurred_at = ")
            .bind(at.to_owned())
            .push(" AND i.id < ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY i.occurred_at DESC, i.id DESC LIMIT ")
        .bind(limit);
    let (text, args) = sql.build()?;
    sqlx::query_as_with(&text, args).fetch_all(pool).await
}

/// What a write of this module may meet.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the record does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("invalid references")]
    Invalid(Vec<Invalid>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
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

fn interaction_changes(before: Option<&ValidInteraction>, after: &ValidInteraction) -> Changes {
    let b = |f: &dyn Fn(&ValidInteraction) -> Value| before.map_or(Value::Null, f);
    Changes::new()
        .field("kind", b(&|v| json!(v.kind)), json!(after.kind))
        .field(
            "occurred_at",
            b(&|v| json!(v.occurred_at)),
            json!(after.occurred_at),
        )
        .field(
            "duration_minutes",
            b(&|v| json!(v.duration_minutes)),
            json!(after.duration_minutes),
        )
        .field("subject", b(&|v| json!(v.subject)), json!(after.subject))
        .field("people", b(&|v| json!(v.people)), json!(after.people))
        .field("location", b(&|v| json!(v.location)), json!(after.location))
        .field("notes", b(&|v| json!(v.notes)), json!(after.notes))
}

fn valid_of(i: &Interaction) -> ValidInteraction {
    ValidInteraction {
        kind: KINDS
            .iter()
            .find(|k| **k == i.kind)
            .copied()
            .unwrap_or("other"),
        occurred_at: i.occurred_at.clone(),
        duration_minutes: i.duration_minutes,
        subject: i.subject.clone(),
        people: i.people.clone(),
        location: i.location.clone(),
        notes: i.notes.clone(),
    }
}

/// Records an interaction; returns its id.
pub async fn create_interaction(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    v: &ValidInteraction,
) -> Result<String, WriteError> {
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO interactions (id, project_id, kind, occurred_at, duration_minutes, subject, people, location, \
         notes, created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(v.kind)
    .bind(&v.occurred_at)
    .bind(v.duration_minutes)
    .bind(&v.subject)
    .bind(&v.people)
    .bind(&v.location)
    .bind(&v.notes)
    .bind(actor)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    projects::record_event(
        &mut *conn,
        project_id,
        actor,
        "interaction",
        json!({ "kind": v.kind, "subject": v.subject }),
        false,
    )
    .await?;
    Audit {
        actor,
        entity: "interaction",
        entity_id: &id,
        action: "create",
        changes: interaction_changes(None, v).created("project_id", project_id),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes an interaction from version `expected`; returns the new version.
pub async fn update_interaction(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: i64,
    v: &ValidInteraction,
) -> Result<i64, WriteError> {
    let before = interaction(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let version = bump_version(&mut *conn, Versioned::Interactions, id, expected).await?;
    sqlx::query(
        "UPDATE interactions SET kind = $1, occurred_at = $2, duration_minutes = $3, subject = $4, people = $5, \
         location = $6, notes = $7 WHERE id = $8",
    )
    .bind(v.kind)
    .bind(&v.occurred_at)
    .bind(v.duration_minutes)
    .bind(&v.subject)
    .bind(&v.people)
    .bind(&v.location)
    .bind(&v.notes)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let changes = interaction_changes(Some(&valid_of(&before)), v);
    if !changes.is_empty() {
        projects::record_event(
            &mut *conn,
            project_id,
            actor,
            "interaction_updated",
            json!({ "kind": v.kind, "subject": v.subject }),
            false,
        )
        .await?;
    }
    Audit {
        actor,
        entity: "interaction",
        entity_id: id,
        action: "update",
        changes,
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Deletes an interaction (at version `expected`, when given).
pub async fn delete_interaction(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: Option<i64>,
) -> Result<(), WriteError> {
    let before = interaction(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if let Some(v) = expected
        && v != before.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let done = sqlx::query("DELETE FROM interactions WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(before.version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(WriteError::Conflict(VersionConflict { current: None }));
    }
    projects::record_event(
        &mut *conn,
        project_id,
        actor,
        "interaction_deleted",
        json!({ "kind": before.kind, "subject": before.subject }),
        false,
    )
    .await?;
    Audit {
        actor,
        entity: "interaction",
        entity_id: id,
        action: "delete",
        changes: Changes::new()
            .field("project_id", json!(project_id), Value::Null)
            .field("kind", json!(before.kind), Value::Null)
            .field("subject", json!(before.subject), Value::Null)
            .field("occurred_at", json!(before.occurred_at), Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

// ---- Tasks ----

/// Something to do for a project, by a day, by one person of the office.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub notes: String,
    /// The day it is due (`YYYY-MM-DD`, the office's calendar).
    pub due_on: String,
    /// Who does it: a member of the office who works on the project.
    pub owner_id: String,
    pub owner_name: String,
    pub done: bool,
    /// When it was marked done.
    pub done_at: Option<String>,
    /// Open and due before today (in Madrid).
    pub overdue: bool,
    /// When the reminder of the day before went out.
    pub reminded_before_at: Option<String>,
    /// When the reminder of an overdue task went out.
    pub reminded_overdue_at: Option<String>,
    pub created_by: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(FromRow)]
struct TaskRow {
    id: String,
    project_id: String,
    title: String,
    notes: String,
    due_on: String,
    owner_id: String,
    owner_name: String,
    done_at: Option<String>,
    reminded_before_at: Option<String>,
    reminded_overdue_at: Option<String>,
    created_by: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl TaskRow {
    fn into_task(self, today: &str) -> Task {
        Task {
            done: self.done_at.is_some(),
            overdue: self.done_at.is_none() && self.due_on.as_str() < today,
            id: self.id,
            project_id: self.project_id,
            title: self.title,
            notes: self.notes,
            due_on: self.due_on,
            owner_id: self.owner_id,
            owner_name: self.owner_name,
            done_at: self.done_at,
            reminded_before_at: self.reminded_before_at,
            reminded_overdue_at: self.reminded_overdue_at,
            created_by: self.created_by,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const TASK_SELECT: &str = "SELECT t.id, t.project_id, t.title, t.notes, t.due_on, t.owner_id, u.name AS owner_name, \
     t.done_at, t.reminded_before_at, t.reminded_overdue_at, t.created_by, t.version, t.created_at, t.updated_at \
     FROM tasks t JOIN users u ON u.id = t.owner_id";

/// The fields of a task, as the API and the forms send them. On `PATCH` the
/// stored task is merged with the patch and checked whole: `{"done": true,
/// "version": 3}` marks it done.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// Up to 200 characters (required).
    pub title: Option<String>,
    /// Up to 5,000 characters.
    pub notes: Option<String>,
    /// `YYYY-MM-DD` (required).
    pub due_on: Option<String>,
    /// A member of the office who may work on the project (default: whoever creates it).
    pub owner_id: Option<String>,
    /// Done or not (default false).
    pub done: Option<bool>,
}

impl From<&Task> for TaskInput {
    fn from(t: &Task) -> Self {
        Self {
            title: Some(t.title.clone()),
            notes: Some(t.notes.clone()),
            due_on: Some(t.due_on.clone()),
            owner_id: Some(t.owner_id.clone()),
            done: Some(t.done),
        }
    }
}

/// Fields of a task the API shows but a change does not take.
pub const TASK_READ_ONLY: [&str; 10] = [
    "id",
    "project_id",
    "owner_name",
    "done_at",
    "overdue",
    "reminded_before_at",
    "reminded_overdue_at",
    "created_by",
    "created_at",
    "updated_at",
];

/// A task's fields once checked (the owner still to be checked against the
/// database: [`check_owner`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTask {
    pub title: String,
    pub notes: String,
    pub due_on: String,
    pub owner_id: String,
    pub done: bool,
}

pub fn validate_task(input: &TaskInput, actor: &User) -> Result<ValidTask, Vec<Invalid>> {
    let mut e = Vec::new();
    let title = text(&mut e, "title", input.title.as_deref(), 200, false);
    if title.is_none() && !e.iter().any(|i| i.field == "title") {
        e.push(Invalid::new("title", "missing_value"));
    }
    let notes = text(&mut e, "notes", input.notes.as_deref(), 5000, true).unwrap_or_default();
    let due_on = match input
        .due_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("due_on", "missing_value"));
            None
        }
        Some(v) => match parse_date(v) {
            Some(d) if YEARS.contains(&d.year()) => Some(format_date(d)),
            Some(_) => {
                e.push(Invalid::with("due_on", "out_of_range", "2000–2100"));
                None
            }
            None => {
                e.push(Invalid::with(
                    "due_on",
                    "invalid_date",
                    v.chars().take(20).collect::<String>(),
                ));
                None
            }
        },
    };
    let owner_id = match input
        .owner_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => actor.id.clone(),
        Some(o) if o.len() <= 64 && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            o.to_owned()
        }
        Some(o) => {
            e.push(Invalid::with(
                "owner_id",
                "unknown_reference",
                o.chars().take(64).collect::<String>(),
            ));
            String::new()
        }
    };
    match (title, due_on) {
        (Some(title), Some(due_on)) if e.is_empty() => Ok(ValidTask {
            title,
            notes,
            due_on,
            owner_id,
            done: input.done.unwrap_or(false),
        }),
        _ => Err(e),
    }
}

/// An active member of the office, as the policy sees them.
async fn staff_user(conn: &mut AnyConnection, id: &str) -> Result<Option<User>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, email, name, role, lang, version FROM users WHERE id = $1 AND active = 1 AND role IN ('admin', 'staff')",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(id, email, name, role, lang, version)| {
        Some(User {
            id,
            email,
            name,
            role: besaya_domain::Role::parse(&role).ok()?,
            lang: crate::i18n::Lang::from_code(&lang).unwrap_or_default(),
            version,
            organization_ids: Vec::new(),
        })
    }))
}

/// The owner of a task must be an active member of the office who may work on
/// the project (on a confidential one: its owner, its team, or an administrator).
pub async fn check_owner(
    conn: &mut AnyConnection,
    project: &Project,
    owner_id: &str,
) -> Result<Vec<Invalid>, sqlx::Error> {
    if owner_id.is_empty() {
        return Ok(Vec::new());
    }
    Ok(match staff_user(conn, owner_id).await? {
        None => vec![Invalid::with("owner_id", "not_staff", owner_id.to_owned())],
        Some(u) if !policy::access(&u, &project.case()).is_some_and(|a| a.edit) => {
            vec![Invalid::with("owner_id", "not_on_team", u.name)]
        }
        Some(_) => Vec::new(),
    })
}

/// The members of the office who may own a task of `project`: (id, name), by name.
pub async fn owner_choices(
    pool: &AnyPool,
    project: &Project,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, name, role FROM users WHERE active = 1 AND role IN ('admin', 'staff') ORDER BY name, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(id, name, role)| {
            let u = User {
                id: id.clone(),
                email: String::new(),
                name: name.clone(),
                role: besaya_domain::Role::parse(role).unwrap_or(besaya_domain::Role::Company),
                lang: crate::i18n::Lang::Es,
                version: 0,
                organization_ids: Vec::new(),
            };
            policy::access(&u, &project.case()).is_some_and(|a| a.edit)
        })
        .map(|(id, name, _)| (id, name))
        .collect())
}

/// Today in Madrid, as stored dates are written.
pub fn today_text() -> String {
    format_date(madrid::today())
}

/// One task of a project.
pub async fn task(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<Task>, sqlx::Error> {
    if !plausible_id(id) {
        return Ok(None);
    }
    let row: Option<TaskRow> = sqlx::query_as(&format!(
        "{TASK_SELECT} WHERE t.id = $1 AND t.project_id = $2"
    ))
    .bind(id)
    .bind(project_id)
    .fetch_optional(conn)
    .await?;
    let today = today_text();
    Ok(row.map(|r| r.into_task(&today)))
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskFilter {
    All,
    Open,
    Done,
}

/// A project's tasks by due date (then id), after the cursor `(due_on, id)`.
pub async fn tasks(
    pool: &AnyPool,
    project_id: &str,
    filter: TaskFilter,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<Task>, sqlx::Error> {
    let mut sql = db::Sql::new(TASK_SELECT);
    sql.push(" WHERE t.project_id = ")
        .bind(project_id.to_owned());
    match filter {
        TaskFilter::All => {}
        TaskFilter::Open => {
            sql.push(" AND t.done_at IS NULL");
        }
        TaskFilter::Done => {
            sql.push(" AND t.done_at IS NOT NULL");
        }
    }
    if let Some((due, id)) = after {
        sql.push(" AND (t.due_on > ")
            .bind(due.to_owned())
            .push(" OR (t.due_on = ")
            .bind(due.to_owned())
            .push(" AND t.id > ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY t.due_on, t.id LIMIT ").bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<TaskRow> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    let today = today_text();
    Ok(rows.into_iter().map(|r| r.into_task(&today)).collect())
}

/// A user's open tasks across projects, by due date (overdue first).
pub async fn open_tasks_of(
    pool: &AnyPool,
    owner_id: &str,
    limit: i64,
) -> Result<Vec<Task>, sqlx::Error> {
    let rows: Vec<TaskRow> = sqlx::query_as(&format!(
        "{TASK_SELECT} WHERE t.owner_id = $1 AND t.done_at IS NULL ORDER BY t.due_on, t.id LIMIT $2"
    ))
    .bind(owner_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let today = today_text();
    Ok(rows.into_iter().map(|r| r.into_task(&today)).collect())
}

fn task_changes(before: Option<&ValidTask>, after: &ValidTask) -> Changes {
    let b = |f: &dyn Fn(&ValidTask) -> Value| before.map_or(Value::Null, f);
    Changes::new()
        .field("title", b(&|v| json!(v.title)), json!(after.title))
        .field("notes", b(&|v| json!(v.notes)), json!(after.notes))
        .field("due_on", b(&|v| json!(v.due_on)), json!(after.due_on))
        .field("owner_id", b(&|v| json!(v.owner_id)), json!(after.owner_id))
        .field("done", b(&|v| json!(v.done)), json!(after.done))
}

/// Adds a task (its owner checked: [`check_owner`]); returns its id.
pub async fn create_task(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    v: &ValidTask,
) -> Result<String, WriteError> {
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO tasks (id, project_id, title, notes, due_on, owner_id, done_at, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(&v.title)
    .bind(&v.notes)
    .bind(&v.due_on)
    .bind(&v.owner_id)
    .bind(v.done.then(|| now.clone()))
    .bind(actor)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    projects::record_event(
        &mut *conn,
        project_id,
        actor,
        "task_created",
        json!({ "title": v.title, "due_on": v.due_on }),
        false,
    )
    .await?;
    if v.done {
        projects::record_event(
            &mut *conn,
            project_id,
            actor,
            "task_done",
            json!({ "title": v.title }),
            false,
        )
        .await?;
    }
    Audit {
        actor,
        entity: "task",
        entity_id: &id,
        action: "create",
        changes: task_changes(None, v).created("project_id", project_id),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes a task from version `expected`: its fields, done or not. A new due
/// day or owner gets its reminders afresh. Returns the new version.
pub async fn update_task(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: i64,
    v: &ValidTask,
) -> Result<i64, WriteError> {
    let before = task(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let version = bump_version(&mut *conn, Versioned::Tasks, id, expected).await?;
    let done_at = match (v.done, &before.done_at) {
        (true, Some(at)) => Some(at.clone()),
        (true, None) => Some(db::now()),
        (false, _) => None,
    };
    let rearm = before.due_on != v.due_on || before.owner_id != v.owner_id;
    sqlx::query(
        "UPDATE tasks SET title = $1, notes = $2, due_on = $3, owner_id = $4, done_at = $5, \
         reminded_before_at = $6, reminded_overdue_at = $7 WHERE id = $8",
    )
    .bind(&v.title)
    .bind(&v.notes)
    .bind(&v.due_on)
    .bind(&v.owner_id)
    .bind(&done_at)
    .bind(if rearm {
        None
    } else {
        before.reminded_before_at.clone()
    })
    .bind(if rearm {
        None
    } else {
        before.reminded_overdue_at.clone()
    })
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let old = ValidTask {
        title: before.title.clone(),
        notes: before.notes.clone(),
        due_on: before.due_on.clone(),
        owner_id: before.owner_id.clone(),
        done: before.done,
    };
    let changes = task_changes(Some(&old), v);
    let fields_changed = old.title != v.title
        || old.notes != v.notes
        || old.due_on != v.due_on
        || old.owner_id != v.owner_id;
    if fields_changed {
        projects::record_event(
            &mut *conn,
            project_id,
            actor,
            "task_updated",
            json!({ "title": v.title, "due_on": v.due_on }),
            false,
        )
        .await?;
    }
    if old.done != v.done {
        let kind = if v.done { "task_done" } else { "task_reopened" };
        projects::record_event(
            &mut *conn,
            project_id,
            actor,
            kind,
            json!({ "title": v.title }),
            false,
        )
        .await?;
    }
    Audit {
        actor,
        entity: "task",
        entity_id: id,
        action: "update",
        changes,
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Deletes a task (at version `expected`, when given).
pub async fn delete_task(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: Option<i64>,
) -> Result<(), WriteError> {
    let before = task(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if let Some(v) = expected
        && v != before.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let done = sqlx::query("DELETE FROM tasks WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(before.version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(WriteError::Conflict(VersionConflict { current: None }));
    }
    projects::record_event(
        &mut *conn,
        project_id,
        actor,
        "task_deleted",
        json!({ "title": before.title }),
        false,
    )
    .await?;
    Audit {
        actor,
        entity: "task",
        entity_id: id,
        action: "delete",
        changes: Changes::new()
            .field("project_id", json!(project_id), Value::Null)
            .field("title", json!(before.title), Value::Null)
            .field("due_on", json!(before.due_on), Value::Null)
            .field("owner_id", json!(before.owner_id), Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Whether a path's id could be one of ours (a UUID or a slug): anything else is
/// answered 404 without asking the database (which refuses NUL characters).
pub fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A stored day, as a date.
pub fn day(s: &str) -> Option<Date> {
    parse_date(s.get(..10).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use besaya_domain::Role;

    fn actor() -> User {
        User {
            id: "u1".into(),
            email: "a@b.es".into(),
            name: "Ana".into(),
            role: Role::Staff,
            lang: Lang::Es,
            version: 1,
            organization_ids: Vec::new(),
        }
    }

    fn codes(errs: &[Invalid]) -> Vec<(String, &'static str)> {
        errs.iter().map(|e| (e.field.clone(), e.code)).collect()
    }

    #[test]
    fn an_interaction_needs_kind_time_and_subject() {
        let errs = validate_interaction(&InteractionInput::default()).unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("kind".to_owned(), "missing_value"),
                ("occurred_at".to_owned(), "missing_value"),
                ("subject".to_owned(), "missing_value"),
            ]
        );
        let bad = InteractionInput {
            kind: Some("lunch".into()),
            occurred_at: Some("ayer".into()),
            duration_minutes: Some(0),
            subject: Some("x".repeat(201)),
            notes: Some("línea\nlínea".into()),
            people: Some("Ana\u{0}".into()),
            location: None,
        };
        let errs = validate_interaction(&bad).unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("kind".to_owned(), "unknown_kind"),
                ("occurred_at".to_owned(), "invalid_datetime"),
                ("duration_minutes".to_owned(), "out_of_range"),
                ("subject".to_owned(), "too_long"),
                ("people".to_owned(), "control_chars"),
            ]
        );
        let ok = validate_interaction(&InteractionInput {
            kind: Some(" visit ".into()),
            occurred_at: Some("2026-12-01T10:00".into()),
            duration_minutes: Some(90),
            subject: Some(" Visita a la parcela ".into()),
            ..InteractionInput::default()
        })
        .unwrap();
        assert_eq!(ok.kind, "visit");
        assert_eq!(ok.occurred_at, "2026-12-01T09:00:00.000000Z");
        assert_eq!(ok.subject, "Visita a la parcela");
        let far = InteractionInput {
            occurred_at: Some("1999-12-31T10:00:00Z".into()),
            ..InteractionInput::default()
        };
        assert!(
            codes(&validate_interaction(&far).unwrap_err())
                .contains(&("occurred_at".to_owned(), "out_of_range"))
        );
    }

    #[test]
    fn a_task_needs_title_and_due_day() {
        let errs = validate_task(&TaskInput::default(), &actor()).unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("title".to_owned(), "missing_value"),
                ("due_on".to_owned(), "missing_value")
            ]
        );
        let errs = validate_task(
            &TaskInput {
                title: Some("Enviar el dosier".into()),
                due_on: Some("31/12/2026".into()),
                owner_id: Some("'; DROP TABLE tasks; --".into()),
                ..TaskInput::default()
            },
            &actor(),
        )
        .unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("due_on".to_owned(), "invalid_date"),
                ("owner_id".to_owned(), "unknown_reference")
            ]
        );
        let ok = validate_task(
            &TaskInput {
                title: Some("Enviar el dosier".into()),
                due_on: Some("2026-12-31".into()),
                ..TaskInput::default()
            },
            &actor(),
        )
        .unwrap();
        assert_eq!((ok.owner_id.as_str(), ok.done), ("u1", false));
    }
}
