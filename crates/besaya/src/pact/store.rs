//! Storage of the Pact: needs, their life cycle, invitations and answers (with
//! double opt-in), answer files, the timeline (`need_events`), follow-ups and
//! targets. Every write runs in the caller's transaction (`conn`), bumps the
//! record's `version`, appends an audit entry and a `need_events` row; e-mails
//! are enqueued in the same transaction.

use besaya_domain::Role;
use besaya_domain::directory::{format_date, parse_date, split_codes};
use besaya_domain::pact::{self as dom, AnswerStatus, NeedKind, NeedStatus};
use serde_json::{Value, json};
use sqlx::{AnyConnection, FromRow};
use time::Date;

use super::Invalid;
use super::mail::{About, PactMail};
use super::model::*;
use super::policy::{NeedAccess, NeedFacts, need_access};
use crate::AppState;
use crate::auth::User;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, OptF64, VersionConflict};
use crate::files::StoredFile;
use crate::office::procedures::calendar;
use crate::office::projects::looks_like_id;
use crate::office::work::madrid;
use crate::web::invalid::shown;
use crate::web::invalid::text;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Unknown, or not visible to this user (404).
    #[error("the record does not exist")]
    NotFound,
    /// Visible, but this user may not do that (403).
    #[error("this user may not do that")]
    Forbidden,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    /// The move is not allowed from the current status: the moves this user may make.
    #[error("cannot move from {from} to {to}")]
    Transition {
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("composing an e-mail: {0}")]
    Mail(anyhow::Error),
}

/// A move of a need's life cycle made by a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// `submitted`, `published`, `draft` (sent back), `closed`, `expired`
    /// (office), `answered`/`negotiating` (office, by hand), `agreed` (refused:
    /// agreement is reached by accepting an answer).
    pub to: NeedStatus,
    /// Required when closing.
    pub reason: Option<String>,
    /// When publishing: the office user responsible (default: the actor).
    pub broker_id: Option<String>,
    /// When publishing a permit/infrastructure need: the administration that answers.
    pub routed_org_id: Option<String>,
}

/// An expression of interest (optionally with an offer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interest {
    pub proposal: String,
    pub questions: String,
    pub presentation: String,
    pub offer_text: String,
    pub offer_amount_cents: Option<i64>,
    /// The candidate also consents to release its identity to the owner.
    pub consent: bool,
}

/// A file to attach to an answer (type and size checked by the store).
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
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

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> Self {
        Self::Mail(e)
    }
}

/// The owner's name shown to those who may not know it.
pub const ANONYMOUS_OWNER: &str = "Empresa de la comarca (anónima)";

#[derive(Debug, FromRow)]
struct NeedRow {
    id: String,
    reference: String,
    kind: String,
    title: String,
    summary: String,
    description: String,
    cnae_codes: String,
    cpv_codes: String,
    required_certifications: String,
    quantity: Option<String>,
    recurrence: Option<String>,
    municipality_code: Option<String>,
    deadline: Option<String>,
    min_size_band: Option<String>,
    owner_org_id: String,
    anonymous: i64,
    status: String,
    close_reason: Option<String>,
    routed_org_id: Option<String>,
    broker_id: Option<String>,
    created_by: Option<String>,
    submitted_at: Option<String>,
    published_at: Option<String>,
    first_answer_at: Option<String>,
    agreed_at: Option<String>,
    agreed_amount_cents: Option<i64>,
    closed_at: Option<String>,
    overdue_notified_at: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
    owner_name: String,
    routed_org_name: Option<String>,
    broker_name: Option<String>,
    municipality_name: Option<String>,
    target_days: Option<i64>,
}

const NEED_SELECT: &str = "SELECT n.id, n.reference, n.kind, n.title, n.summary, n.description, \
     n.cnae_codes, n.cpv_codes, n.required_certifications, n.quantity, n.recurrence, n.municipality_code, \
     n.deadline, n.min_size_band, n.owner_org_id, n.anonymous, n.status, n.close_reason, n.routed_org_id, \
     n.broker_id, n.created_by, n.submitted_at, n.published_at, n.first_answer_at, n.agreed_at, \
     n.agreed_amount_cents, n.closed_at, n.overdue_notified_at, n.version, n.created_at, n.updated_at, \
     o.name AS owner_name, r.name AS routed_org_name, b.name AS broker_name, m.name AS municipality_name, \
     t.target_days \
     FROM needs n JOIN organizations o ON o.id = n.owner_org_id \
     LEFT JOIN organizations r ON r.id = n.routed_org_id \
     LEFT JOIN users b ON b.id = n.broker_id \
     LEFT JOIN municipalities m ON m.ine_code = n.municipality_code \
     LEFT JOIN pact_targets t ON t.kind = n.kind";

/// Binds a need's fields in the column order of `INSERT` and `UPDATE`: kind,
/// title, summary, description, CNAE, CPV, certifications, quantity, recurrence,
/// municipality, deadline, minimum size, owner, anonymous.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    v: &'q ValidNeed,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(v.kind.as_str())
        .bind(&v.title)
        .bind(&v.summary)
        .bind(&v.description)
        .bind(v.cnae_codes.join(","))
        .bind(v.cpv_codes.join(","))
        .bind(json!(v.required_certifications).to_string())
        .bind(&v.quantity)
        .bind(&v.recurrence)
        .bind(&v.municipality_code)
        .bind(v.deadline.map(format_date))
        .bind(&v.min_size_band)
        .bind(&v.owner_org_id)
        .bind(i64::from(v.anonymous))
}

/// The date part of a stored timestamp.
pub fn day_of(ts: &str) -> Option<Date> {
    parse_date(ts.get(..10)?)
}

impl NeedRow {
    fn into_need(self, today: Date, hide_owner: bool) -> Need {
        let status = NeedStatus::parse(&self.status).unwrap_or(NeedStatus::Draft);
        let target = self
            .target_days
            .unwrap_or(i64::from(dom::DEFAULT_TARGET_DAYS));
        // A need closed or expired without an answer stops its clock that day.
        let seen_on = match self.closed_at.as_deref().and_then(day_of) {
            Some(end) if status.is_final() => end.min(today),
            _ => today,
        };
        let clock = match (status, self.published_at.as_deref().and_then(day_of)) {
            (NeedStatus::Draft | NeedStatus::Submitted, _) | (_, None) => None,
            (_, Some(published)) => {
                let c = dom::response_clock(
                    published,
                    u32::try_from(target).unwrap_or(dom::DEFAULT_TARGET_DAYS),
                    self.first_answer_at.as_deref().and_then(day_of),
                    seen_on,
                    calendar::national(),
                );
                Some(NeedClock {
                    target_days: target,
                    due_on: format_date(c.due_on),
                    elapsed: c.elapsed,
                    answered: c.answered,
                    late: c.late,
                })
            }
        };
        Need {
            id: self.id,
            reference: self.reference,
            kind: self.kind,
            title: self.title,
            summary: self.summary,
            description: self.description,
            cnae_codes: split_codes(&self.cnae_codes),
            cpv_codes: split_codes(&self.cpv_codes),
            required_certifications: serde_json::from_str(&self.required_certifications)
                .unwrap_or_default(),
            quantity: self.quantity,
            recurrence: self.recurrence,
            municipality_code: self.municipality_code,
            municipality_name: self.municipality_name,
            deadline: self.deadline,
            min_size_band: self.min_size_band,
            owner_org_id: (!hide_owner).then_some(self.owner_org_id),
            owner_name: if hide_owner {
                ANONYMOUS_OWNER.to_owned()
            } else {
                self.owner_name
            },
            owner_hidden: hide_owner,
            anonymous: self.anonymous != 0,
            status: self.status,
            close_reason: self.close_reason,
            routed_org_id: self.routed_org_id,
            routed_org_name: self.routed_org_name,
            broker_id: self.broker_id,
            broker_name: self.broker_name,
            created_by: self.created_by,
            submitted_at: self.submitted_at,
            published_at: self.published_at,
            first_answer_at: self.first_answer_at,
            agreed_at: self.agreed_at,
            agreed_amount_cents: self.agreed_amount_cents,
            closed_at: self.closed_at,
            overdue_notified_at: self.overdue_notified_at,
            clock,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The answers of the user's organisations: (need id, answer id, released).
async fn my_answers(
    conn: &mut AnyConnection,
    user: &User,
    need_id: Option<&str>,
) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    let mut out = Vec::new();
    for org in &user.organization_ids {
        let mut sql = db::Sql::new(
            "SELECT need_id, id, CASE WHEN owner_consent_at IS NOT NULL AND candidate_consent_at IS NOT NULL \
             THEN 1 ELSE 0 END FROM need_answers WHERE organization_id = ",
        );
        sql.bind(org.clone());
        if let Some(n) = need_id {
            sql.push(" AND need_id = ").bind(n.to_owned());
        }
        let (text, args) = sql.build()?;
        let rows: Vec<(String, String, i64)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows.into_iter().map(|(n, a, r)| (n, a, r != 0)));
    }
    Ok(out)
}

fn hide_owner(access: &NeedAccess, anonymous: bool, released: bool) -> bool {
    !access.sees_owner() && anonymous && !released
}

/// Needs visible to `user`, newest first, at most `filter.limit` rows (pass
/// the page size + 1 to know whether another page follows); owners anonymised
/// as the user must see them. With `overdue`, the page may come shorter.
pub async fn list(
    conn: &mut AnyConnection,
    user: &User,
    filter: &NeedFilter,
    today: Date,
) -> Result<Vec<Need>, sqlx::Error> {
    let mine = if user.role.is_office() {
        Vec::new()
    } else {
        my_answers(&mut *conn, user, None).await?
    };
    let mut sql = db::Sql::new(NEED_SELECT);
    sql.push(" WHERE 1 = 1");
    if !user.role.is_office() {
        sql.push(" AND (1 = 0");
        for org in &user.organization_ids {
            sql.push(" OR n.owner_org_id = ").bind(org.clone());
        }
        for (need, _, _) in &mine {
            sql.push(" OR (n.status NOT IN ('draft', 'submitted') AND n.id = ")
                .bind(need.clone())
                .push(")");
        }
        if user.role == Role::PactMember {
            sql.push(" OR n.status IN ('published', 'answered', 'negotiating')");
        }
        sql.push(")");
    }
    if let Some(s) = filter.status {
        sql.push(" AND n.status = ").bind(s.as_str().to_owned());
    }
    if let Some(k) = filter.kind {
        sql.push(" AND n.kind = ").bind(k.as_str().to_owned());
    }
    if let Some(o) = &filter.owner_org_id {
        sql.push(" AND n.owner_org_id = ").bind(o.clone());
    }
    if filter.overdue {
        sql.push(" AND n.status = 'published' AND n.first_answer_at IS NULL");
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().filter(|c| !c.is_control()).collect();
        let pattern = format!("%{}%", db::like_escape(&q.to_lowercase()));
        sql.push(" AND (LOWER(n.reference) LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(n.title) LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(n.summary) LIKE ")
            .bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some((at, id)) = filter
        .after
        .as_deref()
        .filter(|k| !k.chars().any(char::is_control))
        .and_then(|k| k.split_once('|'))
    {
        sql.push(" AND (n.created_at < ")
            .bind(at.to_owned())
            .push(" OR (n.created_at = ")
            .bind(at.to_owned())
            .push(" AND n.id < ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY n.created_at DESC, n.id DESC LIMIT ")
        .bind(filter.limit.clamp(1, 1000));
    let (text, args) = sql.build()?;
    let rows: Vec<NeedRow> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let released = mine.iter().any(|(n, _, r)| *n == row.id && *r);
        let answers: Vec<String> = mine
            .iter()
            .filter(|(n, _, _)| *n == row.id)
            .map(|(_, a, _)| a.clone())
            .collect();
        let status = NeedStatus::parse(&row.status).unwrap_or(NeedStatus::Draft);
        let facts = NeedFacts {
            owner_org_id: &row.owner_org_id,
            status,
            routed_org_id: row.routed_org_id.as_deref(),
        };
        let Some(access) = need_access(user, facts, answers) else {
            continue;
        };
        let hide = hide_owner(&access, row.anonymous != 0, released);
        let need = row.into_need(today, hide);
        if filter.overdue && !need.clock.as_ref().is_some_and(|c| c.late && !c.answered) {
            continue;
        }
        out.push(need);
    }
    Ok(out)
}

/// The sort key of a need in lists (the cursor).
pub fn list_key(n: &Need) -> String {
    format!("{}|{}", n.created_at, n.id)
}

async fn row(conn: &mut AnyConnection, id: &str) -> Result<Option<NeedRow>, sqlx::Error> {
    if !looks_like_id(id) {
        return Ok(None);
    }
    sqlx::query_as(&format!("{NEED_SELECT} WHERE n.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A need as `user` sees it, with the access; `None`: 404.
pub async fn visible(
    conn: &mut AnyConnection,
    user: &User,
    id: &str,
    today: Date,
) -> Result<Option<(Need, NeedAccess)>, sqlx::Error> {
    let Some(r) = row(&mut *conn, id).await? else {
        return Ok(None);
    };
    let mine = if user.role.is_office() {
        Vec::new()
    } else {
        my_answers(&mut *conn, user, Some(id)).await?
    };
    let released = mine.iter().any(|(_, _, r)| *r);
    let status = NeedStatus::parse(&r.status).unwrap_or(NeedStatus::Draft);
    let facts = NeedFacts {
        owner_org_id: &r.owner_org_id,
        status,
        routed_org_id: r.routed_org_id.as_deref(),
    };
    let Some(access) = need_access(user, facts, mine.into_iter().map(|(_, a, _)| a).collect())
    else {
        return Ok(None);
    };
    let hide = hide_owner(&access, r.anonymous != 0, released);
    Ok(Some((r.into_need(today, hide), access)))
}

/// A need as the office sees it (no access check: jobs, dashboard, mail).
pub async fn get(
    conn: &mut AnyConnection,
    id: &str,
    today: Date,
) -> Result<Option<Need>, sqlx::Error> {
    Ok(row(conn, id).await?.map(|r| r.into_need(today, false)))
}

/// The input of a stored need (the base of a merge patch, the edit form).
/// A hidden owner comes back as `null`.
pub fn input_of(n: &Need) -> NeedInput {
    NeedInput {
        kind: Some(n.kind.clone()),
        title: Some(n.title.clone()),
        summary: Some(n.summary.clone()),
        description: Some(n.description.clone()),
        cnae_codes: Some(n.cnae_codes.clone()),
        cpv_codes: Some(n.cpv_codes.clone()),
        required_certifications: Some(n.required_certifications.clone()),
        quantity: n.quantity.clone(),
        recurrence: n.recurrence.clone(),
        municipality_code: n.municipality_code.clone(),
        deadline: n.deadline.clone(),
        min_size_band: n.min_size_band.clone(),
        owner_org_id: n.owner_org_id.clone(),
        anonymous: Some(n.anonymous),
    }
}

/// Whether a CPV code has the form `NNNNNNNN-N` (eight digits, a hyphen and
/// the check digit; the check digit's algorithm is not published, so only its
/// presence is checked).
pub fn cpv_valid(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10 && b[8] == b'-' && b[..8].iter().all(u8::is_ascii_digit) && b[9].is_ascii_digit()
}

/// Stored form of a typed CNAE code: digits only.
fn cnae_stored(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Checks every field; `creating` adds the deadline-not-in-the-past rule. The
/// owner: a non-office user's is forced to its first organisation.
async fn validate(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    input: &NeedInput,
    creating: bool,
    today: Date,
) -> Result<Result<ValidNeed, Vec<Invalid>>, sqlx::Error> {
    let mut e: Vec<Invalid> = Vec::new();
    let kind = match input.kind.as_deref().map(str::trim) {
        None | Some("") => {
            e.push(Invalid::new("kind", "required"));
            NeedKind::Other
        }
        Some(k) => NeedKind::parse(k).unwrap_or_else(|| {
            e.push(Invalid::with("kind", "invalid_kind", shown(k)));
            NeedKind::Other
        }),
    };
    let title = text(&mut e, "title", input.title.as_deref(), TITLE_MAX, false);
    if title.is_none() && !e.iter().any(|x| x.field == "title") {
        e.push(Invalid::new("title", "required"));
    }
    let summary = text(
        &mut e,
        "summary",
        input.summary.as_deref(),
        SUMMARY_MAX,
        true,
    );
    if summary.is_none() && !e.iter().any(|x| x.field == "summary") {
        e.push(Invalid::new("summary", "required"));
    }
    let description = text(
        &mut e,
        "description",
        input.description.as_deref(),
        DESCRIPTION_MAX,
        true,
    )
    .unwrap_or_default();
    let mut cnae_codes: Vec<String> = Vec::new();
    let raw_cnae = input.cnae_codes.clone().unwrap_or_default();
    if raw_cnae.len() > CODES_MAX {
        e.push(Invalid::with(
            "cnae_codes",
            "too_many",
            CODES_MAX.to_string(),
        ));
    } else {
        for (i, c) in raw_cnae.iter().enumerate() {
            let stored = cnae_stored(c);
            if stored.is_empty() {
                continue;
            }
            if state.catalog.cnae("2025", &stored).is_none() {
                e.push(Invalid::with(
                    &format!("cnae_codes[{i}]"),
                    "unknown_cnae",
                    shown(c),
                ));
            } else if !cnae_codes.contains(&stored) {
                cnae_codes.push(stored);
            }
        }
    }
    let mut cpv_codes: Vec<String> = Vec::new();
    let raw_cpv = input.cpv_codes.clone().unwrap_or_default();
    if raw_cpv.len() > CODES_MAX {
        e.push(Invalid::with(
            "cpv_codes",
            "too_many",
            CODES_MAX.to_string(),
        ));
    } else {
        for (i, c) in raw_cpv.iter().enumerate() {
            let c = c.trim();
            if c.is_empty() {
                continue;
            }
            if !cpv_valid(c) {
                e.push(Invalid::with(
                    &format!("cpv_codes[{i}]"),
                    "invalid_cpv",
                    shown(c),
                ));
            } else if !cpv_codes.iter().any(|x| x == c) {
                cpv_codes.push(c.to_owned());
            }
        }
    }
    let mut certs: Vec<String> = Vec::new();
    let raw_certs = input.required_certifications.clone().unwrap_or_default();
    if raw_certs.len() > CERTIFICATIONS_MAX {
        e.push(Invalid::with(
            "required_certifications",
            "too_many",
            CERTIFICATIONS_MAX.to_string(),
        ));
    } else {
        for (i, c) in raw_certs.iter().enumerate() {
            let field = format!("required_certifications[{i}]");
            if let Some(c) = text(&mut e, &field, Some(c), CERTIFICATION_MAX, false)
                && !certs.contains(&c)
            {
                certs.push(c);
            }
        }
    }
    let quantity = text(
        &mut e,
        "quantity",
        input.quantity.as_deref(),
        QUANTITY_MAX,
        false,
    );
    let recurrence = match input.recurrence.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) if RECURRENCES.contains(&r) => Some(r.to_owned()),
        Some(r) => {
            e.push(Invalid::with("recurrence", "invalid_recurrence", shown(r)));
            None
        }
    };
    let min_size_band = match input.min_size_band.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) if SIZE_BANDS.contains(&r) => Some(r.to_owned()),
        Some(r) => {
            e.push(Invalid::with(
                "min_size_band",
                "invalid_size_band",
                shown(r),
            ));
            None
        }
    };
    let municipality_code = match input.municipality_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => {
            let code = state.catalog.municipality_code(m);
            if state.catalog.municipality(&code).is_some() {
                Some(code)
            } else {
                e.push(Invalid::with(
                    "municipality_code",
                    "unknown_municipality",
                    shown(m),
                ));
                None
            }
        }
    };
    let deadline = match input.deadline.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => match parse_date(d) {
            Some(d) if creating && d < today => {
                e.push(Invalid::with("deadline", "deadline_past", format_date(d)));
                None
            }
            Some(d) => Some(d),
            None => {
                e.push(Invalid::with("deadline", "invalid_date", shown(d)));
                None
            }
        },
    };
    let owner_org_id = if actor.role.is_office() {
        match input.owner_org_id.as_deref().map(str::trim) {
            None | Some("") => {
                e.push(Invalid::new("owner_org_id", "required"));
                String::new()
            }
            Some(o) => {
                let exists: Option<String> = if !looks_like_id(o) {
                    None
                } else {
                    sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                        .bind(o)
                        .fetch_optional(&mut *conn)
                        .await?
                };
                if exists.is_none() {
                    e.push(Invalid::with(
                        "owner_org_id",
                        "unknown_organization",
                        shown(o),
                    ));
                }
                o.to_owned()
            }
        }
    } else {
        match input.owner_org_id.as_deref().map(str::trim) {
            Some(o) if !o.is_empty() && actor.organization_ids.iter().any(|x| x == o) => {
                o.to_owned()
            }
            _ => match actor.organization_ids.first() {
                Some(o) => o.clone(),
                None => {
                    e.push(Invalid::new("owner_org_id", "no_organization"));
                    String::new()
                }
            },
        }
    };
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(ValidNeed {
        kind,
        title: title.unwrap_or_default(),
        summary: summary.unwrap_or_default(),
        description,
        cnae_codes,
        cpv_codes,
        required_certifications: certs,
        quantity,
        recurrence,
        municipality_code,
        deadline,
        min_size_band,
        owner_org_id,
        anonymous: input.anonymous.unwrap_or(true),
    }))
}

/// Appends an entry to a need's timeline.
pub async fn record_event(
    conn: &mut AnyConnection,
    need_id: &str,
    answer_id: Option<&str>,
    kind: &str,
    actor_id: Option<&str>,
    detail: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO need_events (id, need_id, answer_id, kind, actor_id, at, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(need_id)
    .bind(answer_id)
    .bind(kind)
    .bind(actor_id)
    .bind(db::now())
    .bind(detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

async fn next_reference(conn: &mut AnyConnection, year: i32) -> Result<String, sqlx::Error> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO need_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = need_counters.last + 1 RETURNING last",
    )
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok(format!("NEC-{year}-{last:04}"))
}

fn need_changes(before: Option<&ValidNeed>, after: &ValidNeed) -> Changes {
    let b = |f: fn(&ValidNeed) -> Value| before.map_or(Value::Null, f);
    Changes::new()
        .field(
            "kind",
            b(|v| json!(v.kind.as_str())),
            json!(after.kind.as_str()),
        )
        .field("title", b(|v| json!(v.title)), json!(after.title))
        .field("summary", b(|v| json!(v.summary)), json!(after.summary))
        .field(
            "description",
            b(|v| json!(v.description)),
            json!(after.description),
        )
        .field(
            "cnae_codes",
            b(|v| json!(v.cnae_codes)),
            json!(after.cnae_codes),
        )
        .field(
            "cpv_codes",
            b(|v| json!(v.cpv_codes)),
            json!(after.cpv_codes),
        )
        .field(
            "required_certifications",
            b(|v| json!(v.required_certifications)),
            json!(after.required_certifications),
        )
        .field("quantity", b(|v| json!(v.quantity)), json!(after.quantity))
        .field(
            "recurrence",
            b(|v| json!(v.recurrence)),
            json!(after.recurrence),
        )
        .field(
            "municipality_code",
            b(|v| json!(v.municipality_code)),
            json!(after.municipality_code),
        )
        .field(
            "deadline",
            b(|v| json!(v.deadline.map(format_date))),
            json!(after.deadline.map(format_date)),
        )
        .field(
            "min_size_band",
            b(|v| json!(v.min_size_band)),
            json!(after.min_size_band),
        )
        .field(
            "owner_org_id",
            b(|v| json!(v.owner_org_id)),
            json!(after.owner_org_id),
        )
        .field(
            "anonymous",
            b(|v| json!(v.anonymous)),
            json!(after.anonymous),
        )
}

fn valid_of(n: &Need, owner: &str) -> ValidNeed {
    ValidNeed {
        kind: n.kind(),
        title: n.title.clone(),
        summary: n.summary.clone(),
        description: n.description.clone(),
        cnae_codes: n.cnae_codes.clone(),
        cpv_codes: n.cpv_codes.clone(),
        required_certifications: n.required_certifications.clone(),
        quantity: n.quantity.clone(),
        recurrence: n.recurrence.clone(),
        municipality_code: n.municipality_code.clone(),
        deadline: n.deadline.as_deref().and_then(parse_date),
        min_size_band: n.min_size_band.clone(),
        owner_org_id: owner.to_owned(),
        anonymous: n.anonymous,
    }
}

/// Creates a draft; a company user's owner is forced to its (first) organisation.
/// Returns the new id.
pub async fn create(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    input: &NeedInput,
) -> Result<String, WriteError> {
    if !actor.role.is_office() && actor.role != Role::Company {
        return Err(WriteError::Forbidden);
    }
    let today = madrid::today();
    let v = validate(state, &mut *conn, actor, input, true, today)
        .await?
        .map_err(WriteError::Invalid)?;
    let id = db::new_id();
    let reference = next_reference(&mut *conn, today.year()).await?;
    let now = db::now();
    let insert = sqlx::query(
        "INSERT INTO needs (id, reference, kind, title, summary, description, cnae_codes, cpv_codes, \
         required_certifications, quantity, recurrence, municipality_code, deadline, min_size_band, \
         owner_org_id, anonymous, status, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'draft', $17, 1, $18, $18)",
    )
    .bind(&id)
    .bind(&reference);
    bind_fields(insert, &v)
        .bind(&actor.id)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        &id,
        None,
        "created",
        Some(&actor.id),
        json!({ "reference": reference }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need",
        entity_id: &id,
        action: "create",
        changes: need_changes(None, &v).created("reference", json!(reference)),
    }
    .record(&mut *conn)
    .await?;
    Ok(id)
}

/// The need and the actor's access, or 404.
async fn load(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
) -> Result<(Need, NeedAccess, String), WriteError> {
    let r = row(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    let owner = r.owner_org_id.clone();
    let mine = if actor.role.is_office() {
        Vec::new()
    } else {
        my_answers(&mut *conn, actor, Some(id)).await?
    };
    let status = NeedStatus::parse(&r.status).unwrap_or(NeedStatus::Draft);
    let facts = NeedFacts {
        owner_org_id: &r.owner_org_id,
        status,
        routed_org_id: r.routed_org_id.as_deref(),
    };
    let access = need_access(actor, facts, mine.into_iter().map(|(_, a, _)| a).collect())
        .ok_or(WriteError::NotFound)?;
    Ok((r.into_need(madrid::today(), false), access, owner))
}

/// Replaces the fields of a need (validated whole). Returns the new version.
pub async fn update(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    input: &NeedInput,
) -> Result<i64, WriteError> {
    let (before, access, owner) = load(&mut *conn, actor, id).await?;
    if !access.may_edit(before.status()) {
        return Err(WriteError::Forbidden);
    }
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let mut input = input.clone();
    if !actor.role.is_office() {
        input.owner_org_id = Some(owner.clone());
    }
    let today = madrid::today();
    // The deadline may stay in the past when unchanged.
    let creating_rule = input.deadline != before.deadline;
    let v = validate(state, &mut *conn, actor, &input, creating_rule, today)
        .await?
        .map_err(WriteError::Invalid)?;
    let version = bump_version(&mut *conn, Versioned::Needs, id, expected).await?;
    let update = sqlx::query(
        "UPDATE needs SET kind = $1, title = $2, summary = $3, description = $4, cnae_codes = $5, \
         cpv_codes = $6, required_certifications = $7, quantity = $8, recurrence = $9, \
         municipality_code = $10, deadline = $11, min_size_band = $12, owner_org_id = $13, anonymous = $14 \
         WHERE id = $15",
    );
    bind_fields(update, &v).bind(id).execute(&mut *conn).await?;
    let changes = need_changes(Some(&valid_of(&before, &owner)), &v);
    if !changes.is_empty() {
        let fields: Vec<String> = changes_fields(&changes);
        record_event(
            &mut *conn,
            id,
            None,
            "updated",
            Some(&actor.id),
            json!({ "fields": fields }),
        )
        .await?;
    }
    Audit {
        actor: Some(&actor.id),
        entity: "need",
        entity_id: id,
        action: "update",
        changes,
    }
    .record(&mut *conn)
    .await?;
    Ok(version)
}

fn changes_fields(c: &Changes) -> Vec<String> {
    match serde_json::from_str::<Value>(&c.to_json()) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Deletes a draft (office or owner); `expected`: the version read, if known.
pub async fn delete(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: Option<i64>,
) -> Result<(), WriteError> {
    let (before, access, _) = load(&mut *conn, actor, id).await?;
    if let Some(v) = expected
        && v != before.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    if !access.may_delete(before.status()) {
        if access.office || access.owner {
            return Err(WriteError::Transition {
                from: before.status.clone(),
                to: "deleted".into(),
                allowed: Vec::new(),
            });
        }
        return Err(WriteError::Forbidden);
    }
    // need_events, answers (none for a draft) go with it.
    sqlx::query("DELETE FROM need_events WHERE need_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM needs WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need",
        entity_id: id,
        action: "delete",
        changes: Changes::new().field("reference", json!(before.reference), Value::Null),
    }
    .record(&mut *conn)
    .await?;
    Ok(())
}

/// The moves this access may make by hand from `from`.
pub fn moves_for(access: &NeedAccess, from: NeedStatus) -> Vec<NeedStatus> {
    from.allowed()
        .iter()
        .copied()
        .filter(|to| *to != NeedStatus::Agreed && access.may_move(from, *to))
        .collect()
}

/// Makes a move of the life cycle. Returns the new version.
pub async fn transition(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    mv: &Move,
) -> Result<i64, WriteError> {
    let (need, access, owner) = load(&mut *conn, actor, id).await?;
    let from = need.status();
    let allowed = moves_for(&access, from);
    if !allowed.contains(&mv.to) {
        if !(access.office || access.owner) {
            return Err(WriteError::Forbidden);
        }
        return Err(WriteError::Transition {
            from: from.as_str().into(),
            to: mv.to.as_str().into(),
            allowed: allowed.iter().map(|s| s.as_str().to_owned()).collect(),
        });
    }
    if need.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(need.version),
        }));
    }
    let mut e = Vec::new();
    let reason = text(
        &mut e,
        "reason",
        mv.reason.as_deref(),
        CLOSE_REASON_MAX,
        true,
    );
    if mv.to.needs_reason() && reason.is_none() && e.is_empty() {
        e.push(Invalid::new("reason", "required"));
    }
    let mut broker = None;
    let mut routed = None;
    if mv.to == NeedStatus::Published {
        let b = mv.broker_id.clone().unwrap_or_else(|| actor.id.clone());
        let ok: Option<String> = if !looks_like_id(&b) {
            None
        } else {
            sqlx::query_scalar(
                "SELECT id FROM users WHERE id = $1 AND role IN ('admin', 'staff') AND active = 1",
            )
            .bind(&b)
            .fetch_optional(&mut *conn)
            .await?
        };
        if ok.is_none() {
            e.push(Invalid::with("broker_id", "unknown_broker", shown(&b)));
        }
        broker = Some(b);
        match mv
            .routed_org_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(r) => {
                let kind: Option<String> = if looks_like_id(r) {
                    sqlx::query_scalar("SELECT kind FROM organizations WHERE id = $1")
                        .bind(r)
                        .fetch_optional(&mut *conn)
                        .await?
                } else {
                    None
                };
                match kind.as_deref() {
                    Some("administration") => routed = Some(r.to_owned()),
                    Some(_) => e.push(Invalid::with(
                        "routed_org_id",
                        "not_administration",
                        shown(r),
                    )),
                    None => e.push(Invalid::with(
                        "routed_org_id",
                        "unknown_organization",
                        shown(r),
                    )),
                }
            }
            None if need.kind().routed_to_administration() => {
                e.push(Invalid::new("routed_org_id", "required"));
            }
            None => {}
        }
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let version = bump_version(&mut *conn, Versioned::Needs, id, expected).await?;
    let now = db::now();
    let to = mv.to;
    let mut sql = db::Sql::new("UPDATE needs SET status = ");
    sql.bind(to.as_str().to_owned());
    match to {
        NeedStatus::Submitted => {
            sql.push(", submitted_at = ").bind(now.clone());
        }
        NeedStatus::Draft => {
            sql.push(", submitted_at = NULL");
        }
        NeedStatus::Published => {
            sql.push(", published_at = ")
                .bind(now.clone())
                .push(", broker_id = ")
                .bind(broker.clone())
                .push(", routed_org_id = ")
                .bind(routed.clone());
        }
        NeedStatus::Answered => {
            sql.push(", first_answer_at = COALESCE(first_answer_at, ")
                .bind(now.clone())
                .push(")");
        }
        NeedStatus::Closed | NeedStatus::Expired => {
            sql.push(", closed_at = ")
                .bind(now.clone())
                .push(", close_reason = ")
                .bind(reason.clone());
        }
        NeedStatus::Negotiating | NeedStatus::Agreed => {}
    }
    sql.push(" WHERE id = ").bind(id.to_owned());
    let (text_sql, args) = sql.build()?;
    sqlx::query_with(&text_sql, args)
        .execute(&mut *conn)
        .await?;
    let kind = match to {
        NeedStatus::Draft => "sent_back",
        other => other.as_str(),
    };
    let mut detail = json!({ "from": from.as_str(), "to": to.as_str() });
    if let Some(r) = &reason {
        detail["reason"] = json!(r);
    }
    record_event(&mut *conn, id, None, kind, Some(&actor.id), detail).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need",
        entity_id: id,
        action: "transition",
        changes: Changes::new()
            .field("status", json!(from.as_str()), json!(to.as_str()))
            .field("close_reason", Value::Null, json!(reason))
            .field(
                "broker_id",
                json!(need.broker_id),
                json!(broker.or(need.broker_id.clone())),
            )
            .field(
                "routed_org_id",
                json!(need.routed_org_id),
                json!(routed.clone().or(need.routed_org_id.clone())),
            ),
    }
    .record(&mut *conn)
    .await?;
    if let Some(r) = routed
        && r != owner
    {
        // The administration answers like an invited candidate.
        let published = Need {
            status: to.as_str().to_owned(),
            ..need
        };
        insert_answers(state, &mut *conn, actor, &published, &[(r, None)]).await?;
    }
    Ok(version)
}

/// The system's move to `expired` of an open need past its deadline (jobs).
/// Returns whether it moved.
pub async fn expire(conn: &mut AnyConnection, id: &str, today: Date) -> Result<bool, WriteError> {
    let Some(need) = get(&mut *conn, id, today).await? else {
        return Ok(false);
    };
    let deadline = need.deadline.as_deref().and_then(parse_date);
    if !dom::expires(need.status(), deadline, today) {
        return Ok(false);
    }
    bump_version(&mut *conn, Versioned::Needs, id, need.version).await?;
    sqlx::query("UPDATE needs SET status = 'expired', closed_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        id,
        None,
        "expired",
        None,
        json!({ "from": need.status, "to": "expired" }),
    )
    .await?;
    Audit {
        actor: None,
        entity: "need",
        entity_id: id,
        action: "transition",
        changes: Changes::new().field("status", json!(need.status), json!("expired")),
    }
    .record(&mut *conn)
    .await?;
    Ok(true)
}

/// Creates invited answers (skipping organisations already invited) and
/// e-mails them. Returns the new ids.
async fn insert_answers(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need: &Need,
    orgs: &[(String, Option<f64>)],
) -> Result<Vec<String>, WriteError> {
    let mut ids = Vec::new();
    let link = super::mail::need_link(state, &need.id);
    for (org, score) in orgs {
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT id FROM need_answers WHERE need_id = $1 AND organization_id = $2",
        )
        .bind(&need.id)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?;
        if exists.is_some() {
            continue;
        }
        let id = db::new_id();
        let now = db::now();
        sqlx::query(
            "INSERT INTO need_answers (id, need_id, organization_id, status, score, invited_by, invited_at, \
             version, created_at, updated_at) VALUES ($1, $2, $3, 'invited', $4, $5, $6, 1, $6, $6)",
        )
        .bind(&id)
        .bind(&need.id)
        .bind(org)
        .bind(OptF64(*score))
        .bind(&actor.id)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
        record_event(
            &mut *conn,
            &need.id,
            Some(&id),
            "invited",
            Some(&actor.id),
            json!({ "organization_id": org, "score": score }),
        )
        .await?;
        Audit {
            actor: Some(&actor.id),
            entity: "need_answer",
            entity_id: &id,
            action: "create",
            changes: Changes::new()
                .created("need_id", json!(need.id))
                .created("organization_id", json!(org))
                .created("status", json!("invited")),
        }
        .record(&mut *conn)
        .await?;
        let to = super::mail::organization(&mut *conn, org).await?;
        super::mail::send(
            state,
            &mut *conn,
            &to,
            PactMail::Invited {
                about: About {
                    reference: &need.reference,
                    title: &need.title,
                    link: &link,
                },
                summary: &need.summary,
            },
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Invites organisations to answer (office; open needs). Creates one answer per
/// organisation not yet invited (score from the ranking), e-mails their users.
/// Returns the new answers' ids.
pub async fn invite(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    organization_ids: &[String],
) -> Result<Vec<String>, WriteError> {
    let (need, access, owner) = load(&mut *conn, actor, need_id).await?;
    if !access.may_invite() {
        return Err(WriteError::Forbidden);
    }
    if !need.status().is_open() {
        return Err(WriteError::Transition {
            from: need.status.clone(),
            to: "invited".into(),
            allowed: Vec::new(),
        });
    }
    let mut e = Vec::new();
    if organization_ids.is_empty() {
        e.push(Invalid::new("organization_ids", "required"));
    }
    if organization_ids.len() > INVITE_MAX {
        e.push(Invalid::with(
            "organization_ids",
            "too_many",
            INVITE_MAX.to_string(),
        ));
    }
    let mut orgs: Vec<String> = Vec::new();
    for (i, o) in organization_ids.iter().enumerate() {
        let o = o.trim();
        let field = format!("organization_ids[{i}]");
        if !looks_like_id(o) {
            e.push(Invalid::with(&field, "unknown_organization", shown(o)));
            continue;
        }
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                .bind(o)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            e.push(Invalid::with(&field, "unknown_organization", shown(o)));
        } else if o == owner {
            e.push(Invalid::with(&field, "owner_invited", shown(o)));
        } else if !orgs.iter().any(|x| x == o) {
            orgs.push(o.to_owned());
        }
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let scores = super::matching::scores(state, &need, madrid::today());
    let with_scores: Vec<(String, Option<f64>)> = orgs
        .into_iter()
        .map(|o| {
            let s = scores.get(&o).map(|s| f64::from(*s));
            (o, s)
        })
        .collect();
    insert_answers(state, &mut *conn, actor, &need, &with_scores).await
}

/// The most organisations invited at once.
pub const INVITE_MAX: usize = 50;

#[derive(Debug, FromRow)]
struct AnswerRow {
    id: String,
    need_id: String,
    organization_id: String,
    organization_name: String,
    status: String,
    score: Option<f64>,
    invited_by: Option<String>,
    invited_at: String,
    proposal: String,
    questions: String,
    presentation: String,
    offer_text: String,
    offer_amount_cents: Option<i64>,
    answered_at: Option<String>,
    owner_consent_at: Option<String>,
    candidate_consent_at: Option<String>,
    meeting_at: Option<String>,
    decided_at: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

const ANSWER_SELECT: &str = "SELECT a.id, a.need_id, a.organization_id, o.name AS organization_name, a.status, \
     a.score, a.invited_by, a.invited_at, a.proposal, a.questions, a.presentation, a.offer_text, \
     a.offer_amount_cents, a.answered_at, a.owner_consent_at, a.candidate_consent_at, a.meeting_at, \
     a.decided_at, a.version, a.created_at, a.updated_at \
     FROM need_answers a JOIN organizations o ON o.id = a.organization_id";

#[derive(Debug, FromRow)]
struct FileRow {
    id: String,
    answer_id: String,
    file_id: String,
    file_name: String,
    content_type: String,
    size: i64,
    uploaded_by: Option<String>,
    uploaded_at: String,
}

impl From<FileRow> for AnswerFile {
    fn from(f: FileRow) -> Self {
        AnswerFile {
            id: f.id,
            answer_id: f.answer_id,
            file_id: f.file_id,
            file_name: f.file_name,
            content_type: f.content_type,
            size: f.size,
            uploaded_by: f.uploaded_by,
            uploaded_at: f.uploaded_at,
        }
    }
}

async fn files_of(
    conn: &mut AnyConnection,
    answer_id: &str,
) -> Result<Vec<AnswerFile>, sqlx::Error> {
    let rows: Vec<FileRow> = sqlx::query_as(
        "SELECT id, answer_id, file_id, file_name, content_type, size, uploaded_by, uploaded_at \
         FROM need_answer_files WHERE answer_id = $1 ORDER BY uploaded_at, id",
    )
    .bind(answer_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(AnswerFile::from).collect())
}

/// The alias of a hidden candidate ("Candidato 2"): its place among the
/// need's answers in invitation order.
pub fn alias(n: usize) -> String {
    format!("Candidato {n}")
}

async fn answer_views(
    conn: &mut AnyConnection,
    need: &Need,
    access: &NeedAccess,
    only: Option<&str>,
) -> Result<Vec<Answer>, sqlx::Error> {
    let rows: Vec<AnswerRow> = sqlx::query_as(&format!(
        "{ANSWER_SELECT} WHERE a.need_id = $1 ORDER BY a.invited_at, a.id"
    ))
    .bind(&need.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        if only.is_some_and(|o| o != r.id) {
            continue;
        }
        let status = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
        let mine = access.answers_as(&r.id);
        let seen = access.office
            || mine
            // The owner sees the answers that expressed interest.
            || (access.owner && status.is_qualified());
        if !seen {
            continue;
        }
        let released = r.owner_consent_at.is_some() && r.candidate_consent_at.is_some();
        let hidden = !access.office && !mine && !released;
        let files = files_of(&mut *conn, &r.id).await?;
        out.push(Answer {
            organization_id: (!hidden).then(|| r.organization_id.clone()),
            organization_name: if hidden {
                alias(i + 1)
            } else {
                r.organization_name
            },
            organization_hidden: hidden,
            status: r.status,
            score: if access.office { r.score } else { None },
            invited_by: if access.office { r.invited_by } else { None },
            invited_at: r.invited_at,
            proposal: r.proposal,
            questions: r.questions,
            presentation: r.presentation,
            offer_text: r.offer_text,
            offer_amount_cents: r.offer_amount_cents,
            answered_at: r.answered_at,
            owner_consent_at: r.owner_consent_at,
            candidate_consent_at: r.candidate_consent_at,
            identities_released: released,
            meeting_at: r.meeting_at,
            decided_at: r.decided_at,
            files,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            id: r.id,
            need_id: r.need_id,
        });
    }
    Ok(out)
}

/// The answers of a need as `access` lets its user see them (office: all;
/// owner: those that expressed interest, anonymised until double opt-in; a
/// candidate: its own).
pub async fn answers(
    conn: &mut AnyConnection,
    need: &Need,
    access: &NeedAccess,
) -> Result<Vec<Answer>, sqlx::Error> {
    answer_views(conn, need, access, None).await
}

/// One answer as `access` lets its user see it; `None`: 404.
pub async fn answer(
    conn: &mut AnyConnection,
    need: &Need,
    access: &NeedAccess,
    answer_id: &str,
) -> Result<Option<Answer>, sqlx::Error> {
    Ok(answer_views(conn, need, access, Some(answer_id))
        .await?
        .into_iter()
        .next())
}

/// The need, the access, and the raw answer row (of this need), or 404.
async fn load_answer(
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
) -> Result<(Need, NeedAccess, String, AnswerRow), WriteError> {
    let (need, access, owner) = load(&mut *conn, actor, need_id).await?;
    if !looks_like_id(answer_id) {
        return Err(WriteError::NotFound);
    }
    let r: AnswerRow = sqlx::query_as(&format!(
        "{ANSWER_SELECT} WHERE a.id = $1 AND a.need_id = $2"
    ))
    .bind(answer_id)
    .bind(need_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(WriteError::NotFound)?;
    let status = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    let seen =
        access.office || access.answers_as(answer_id) || (access.owner && status.is_qualified());
    if !seen {
        return Err(WriteError::NotFound);
    }
    Ok((need, access, owner, r))
}

fn answer_transition(from: AnswerStatus, to: &str, allowed: &[AnswerStatus]) -> WriteError {
    WriteError::Transition {
        from: from.as_str().into(),
        to: to.into(),
        allowed: allowed.iter().map(|s| s.as_str().to_owned()).collect(),
    }
}

/// The need moves automatically (no person's version check): bumps the
/// version, records the event and the audit.
async fn auto_move(
    conn: &mut AnyConnection,
    need: &Need,
    to: NeedStatus,
    actor: &User,
    set: &str,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    let sql = format!(
        "UPDATE needs SET status = $1, version = version + 1, updated_at = $2{set} WHERE id = $3"
    );
    sqlx::query(&sql)
        .bind(to.as_str())
        .bind(&now)
        .bind(&need.id)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        &need.id,
        None,
        to.as_str(),
        Some(&actor.id),
        json!({ "from": need.status, "to": to.as_str(), "automatic": true }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need",
        entity_id: &need.id,
        action: "transition",
        changes: Changes::new().field("status", json!(need.status), json!(to.as_str())),
    }
    .record(&mut *conn)
    .await
}

/// The candidate's (or the office's, on its behalf) expression of interest:
/// invited → interested. The first one moves the need to `answered`.
#[allow(clippy::too_many_arguments)]
pub async fn express_interest(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
    expected: i64,
    interest: &Interest,
) -> Result<i64, WriteError> {
    let (need, access, _, r) = load_answer(&mut *conn, actor, need_id, answer_id).await?;
    if !(access.office || access.answers_as(answer_id)) {
        return Err(WriteError::Forbidden);
    }
    let from = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    if !from.can_move_to(AnswerStatus::Interested) || !need.status().is_open() {
        return Err(answer_transition(from, "interested", from.allowed()));
    }
    if r.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(r.version),
        }));
    }
    let mut e = Vec::new();
    let proposal = text(
        &mut e,
        "proposal",
        Some(&interest.proposal),
        ANSWER_TEXT_MAX,
        true,
    );
    if proposal.is_none() && e.is_empty() {
        e.push(Invalid::new("proposal", "required"));
    }
    let questions = text(
        &mut e,
        "questions",
        Some(&interest.questions),
        ANSWER_TEXT_MAX,
        true,
    );
    let presentation = text(
        &mut e,
        "presentation",
        Some(&interest.presentation),
        ANSWER_TEXT_MAX,
        true,
    );
    let offer_text = text(
        &mut e,
        "offer_text",
        Some(&interest.offer_text),
        ANSWER_TEXT_MAX,
        true,
    );
    if let Some(a) = interest.offer_amount_cents
        && !(0..=AMOUNT_MAX_CENTS).contains(&a)
    {
        e.push(Invalid::with(
            "offer_amount_eur",
            "invalid_amount",
            a.to_string(),
        ));
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let version = bump_version(&mut *conn, Versioned::NeedAnswers, answer_id, expected).await?;
    let now = db::now();
    sqlx::query(
        "UPDATE need_answers SET status = 'interested', proposal = $1, questions = $2, presentation = $3, \
         offer_text = $4, offer_amount_cents = $5, answered_at = $6, \
         candidate_consent_at = COALESCE(candidate_consent_at, $7) WHERE id = $8",
    )
    .bind(proposal.clone().unwrap_or_default())
    .bind(questions.clone().unwrap_or_default())
    .bind(presentation.clone().unwrap_or_default())
    .bind(offer_text.clone().unwrap_or_default())
    .bind(interest.offer_amount_cents)
    .bind(&now)
    .bind(interest.consent.then(|| now.clone()))
    .bind(answer_id)
    .execute(&mut *conn)
    .await?;
    record_event(
        &mut *conn,
        need_id,
        Some(answer_id),
        "interested",
        Some(&actor.id),
        json!({ "offer": interest.offer_amount_cents.is_some() || offer_text.is_some() }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need_answer",
        entity_id: answer_id,
        action: "transition",
        changes: Changes::new()
            .field("status", json!(r.status), json!("interested"))
            .field("proposal", json!(r.proposal), json!(proposal))
            .field(
                "offer_amount_cents",
                json!(r.offer_amount_cents),
                json!(interest.offer_amount_cents),
            )
            .field("candidate_consent", Value::Null, json!(interest.consent)),
    }
    .record(&mut *conn)
    .await?;
    if need.first_answer_at.is_none() {
        if need.status() == NeedStatus::Published {
            let set = format!(", first_answer_at = '{now}'");
            auto_move(&mut *conn, &need, NeedStatus::Answered, actor, &set).await?;
        } else {
            sqlx::query(
                "UPDATE needs SET first_answer_at = $1 WHERE id = $2 AND first_answer_at IS NULL",
            )
            .bind(&now)
            .bind(need_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    // The office learns of it (the candidate named: the office knows).
    let to = super::mail::broker_or_office(&mut *conn, need.broker_id.as_deref()).await?;
    let link = super::mail::need_link(state, need_id);
    super::mail::send(
        state,
        &mut *conn,
        &to,
        PactMail::Interest {
            about: About {
                reference: &need.reference,
                title: &need.title,
                link: &link,
            },
            candidate: &r.organization_name,
        },
    )
    .await?;
    if interest.consent {
        released_if_both(state, &mut *conn, actor, &need, answer_id).await?;
    }
    Ok(version)
}

/// Largest amount of an offer or an agreement: 10 000 million euros.
pub const AMOUNT_MAX_CENTS: i64 = 1_000_000_000_000;

/// The candidate declines: invited → declined.
#[allow(clippy::too_many_arguments)]
pub async fn decline(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
    expected: i64,
    reason: Option<&str>,
) -> Result<i64, WriteError> {
    let _ = state;
    let (_, access, _, r) = load_answer(&mut *conn, actor, need_id, answer_id).await?;
    if !(access.office || access.answers_as(answer_id)) {
        return Err(WriteError::Forbidden);
    }
    let from = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    if !from.can_move_to(AnswerStatus::Declined) {
        return Err(answer_transition(from, "declined", from.allowed()));
    }
    if r.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(r.version),
        }));
    }
    let mut e = Vec::new();
    let reason = text(&mut e, "reason", reason, CLOSE_REASON_MAX, true);
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let version = bump_version(&mut *conn, Versioned::NeedAnswers, answer_id, expected).await?;
    sqlx::query("UPDATE need_answers SET status = 'declined', decided_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(answer_id)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        need_id,
        Some(answer_id),
        "declined",
        Some(&actor.id),
        json!({ "reason": reason }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need_answer",
        entity_id: answer_id,
        action: "transition",
        changes: Changes::new().field("status", json!(r.status), json!("declined")),
    }
    .record(&mut *conn)
    .await?;
    Ok(version)
}

/// The owner's (or the office's) decision: `shortlisted`, `meeting` (also sets
/// the owner's consent), `accepted` (with an optional amount: the need becomes
/// `agreed`, follow-ups are created; the other answers are left as they are)
/// or `rejected`.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
    expected: i64,
    to: AnswerStatus,
    amount_cents: Option<i64>,
) -> Result<i64, WriteError> {
    let (need, access, owner, r) = load_answer(&mut *conn, actor, need_id, answer_id).await?;
    if !access.may_decide() {
        return Err(WriteError::Forbidden);
    }
    let from = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    let decisions = [
        AnswerStatus::Shortlisted,
        AnswerStatus::Meeting,
        AnswerStatus::Accepted,
        AnswerStatus::Rejected,
    ];
    let allowed: Vec<AnswerStatus> = from
        .allowed()
        .iter()
        .copied()
        .filter(|s| decisions.contains(s))
        .collect();
    if !decisions.contains(&to) || !allowed.contains(&to) || !need.status().is_open() {
        let allowed = if need.status().is_open() {
            allowed
        } else {
            Vec::new()
        };
        return Err(answer_transition(from, to.as_str(), &allowed));
    }
    if r.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(r.version),
        }));
    }
    if let Some(a) = amount_cents {
        let mut e = Vec::new();
        if to != AnswerStatus::Accepted {
            e.push(Invalid::new("amount_eur", "amount_only_accepted"));
        } else if !(0..=AMOUNT_MAX_CENTS).contains(&a) {
            e.push(Invalid::with("amount_eur", "invalid_amount", a.to_string()));
        }
        if !e.is_empty() {
            return Err(WriteError::Invalid(e));
        }
    }
    let version = bump_version(&mut *conn, Versioned::NeedAnswers, answer_id, expected).await?;
    let now = db::now();
    let set = match to {
        AnswerStatus::Meeting => {
            ", meeting_at = $2, owner_consent_at = COALESCE(owner_consent_at, $2)"
        }
        AnswerStatus::Accepted | AnswerStatus::Rejected => ", decided_at = $2",
        _ => ", updated_at = $2",
    };
    sqlx::query(&format!(
        "UPDATE need_answers SET status = $1{set} WHERE id = $3"
    ))
    .bind(to.as_str())
    .bind(&now)
    .bind(answer_id)
    .execute(&mut *conn)
    .await?;
    let mut detail = json!({ "from": r.status, "to": to.as_str() });
    if let Some(a) = amount_cents {
        detail["amount_cents"] = json!(a);
    }
    record_event(
        &mut *conn,
        need_id,
        Some(answer_id),
        to.as_str(),
        Some(&actor.id),
        detail,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need_answer",
        entity_id: answer_id,
        action: "transition",
        changes: Changes::new().field("status", json!(r.status), json!(to.as_str())),
    }
    .record(&mut *conn)
    .await?;
    let link = super::mail::need_link(state, need_id);
    let about = About {
        reference: &need.reference,
        title: &need.title,
        link: &link,
    };
    match to {
        AnswerStatus::Shortlisted | AnswerStatus::Meeting => {
            if need.status() == NeedStatus::Answered {
                auto_move(&mut *conn, &need, NeedStatus::Negotiating, actor, "").await?;
            }
            if to == AnswerStatus::Meeting {
                let cand = super::mail::organization(&mut *conn, &r.organization_id).await?;
                super::mail::send(state, &mut *conn, &cand, PactMail::Meeting { about }).await?;
                released_if_both(state, &mut *conn, actor, &need, answer_id).await?;
            }
        }
        AnswerStatus::Accepted => {
            let mut current = need.clone();
            if current.status() == NeedStatus::Answered {
                auto_move(&mut *conn, &current, NeedStatus::Negotiating, actor, "").await?;
                current.status = NeedStatus::Negotiating.as_str().to_owned();
            }
            let amount = amount_cents.map_or_else(|| "NULL".to_owned(), |a| a.to_string());
            let set = format!(", agreed_at = '{now}', agreed_amount_cents = {amount}");
            auto_move(&mut *conn, &current, NeedStatus::Agreed, actor, &set).await?;
            let agreed_on = madrid::today();
            let dates = dom::follow_up_dates(agreed_on);
            for side in ["owner", "candidate"] {
                for (months, due) in [3i64, 6].into_iter().zip(dates) {
                    sqlx::query(
                        "INSERT INTO need_followups (id, need_id, answer_id, side, months, due_on) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(db::new_id())
                    .bind(need_id)
                    .bind(answer_id)
                    .bind(side)
                    .bind(months)
                    .bind(format_date(due))
                    .execute(&mut *conn)
                    .await?;
                }
            }
            let cand = super::mail::organization(&mut *conn, &r.organization_id).await?;
            super::mail::send(state, &mut *conn, &cand, PactMail::Accepted { about }).await?;
            let _ = owner;
        }
        _ => {}
    }
    Ok(version)
}

/// After a consent: when both sides have consented, records the release and
/// e-mails both sides the other's name.
async fn released_if_both(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need: &Need,
    answer_id: &str,
) -> Result<(), WriteError> {
    let both: Option<(String, String)> = sqlx::query_as(
        "SELECT a.organization_id, o.name FROM need_answers a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id = $1 AND a.owner_consent_at IS NOT NULL AND a.candidate_consent_at IS NOT NULL",
    )
    .bind(answer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((cand_org, cand_name)) = both else {
        return Ok(());
    };
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM need_events WHERE answer_id = $1 AND kind = 'identities_released'",
    )
    .bind(answer_id)
    .fetch_one(&mut *conn)
    .await?;
    if already > 0 {
        return Ok(());
    }
    record_event(
        &mut *conn,
        &need.id,
        Some(answer_id),
        "identities_released",
        Some(&actor.id),
        json!({}),
    )
    .await?;
    let owner_id = match &need.owner_org_id {
        Some(o) => o.clone(),
        None => return Ok(()),
    };
    let owner_name = need.owner_name.clone();
    let link = super::mail::need_link(state, &need.id);
    let about = About {
        reference: &need.reference,
        title: &need.title,
        link: &link,
    };
    let to_owner = super::mail::organization(&mut *conn, &owner_id).await?;
    super::mail::send(
        state,
        &mut *conn,
        &to_owner,
        PactMail::Released {
            about,
            other: &cand_name,
        },
    )
    .await?;
    let to_cand = super::mail::organization(&mut *conn, &cand_org).await?;
    super::mail::send(
        state,
        &mut *conn,
        &to_cand,
        PactMail::Released {
            about,
            other: &owner_name,
        },
    )
    .await?;
    Ok(())
}

/// Consent to release identities, on the actor's side (office/owner: owner's;
/// candidate: candidate's). Both set: identities released, both e-mailed.
pub async fn consent(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
    expected: i64,
) -> Result<i64, WriteError> {
    let (need, access, _, r) = load_answer(&mut *conn, actor, need_id, answer_id).await?;
    let candidate = access.answers_as(answer_id);
    let owner_side = access.office || access.owner;
    if !candidate && !owner_side {
        return Err(WriteError::Forbidden);
    }
    let status = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    if !status.is_qualified() || status == AnswerStatus::Rejected {
        return Err(answer_transition(status, "consent", &[]));
    }
    if r.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(r.version),
        }));
    }
    let column = if candidate {
        "candidate_consent_at"
    } else {
        "owner_consent_at"
    };
    let version = bump_version(&mut *conn, Versioned::NeedAnswers, answer_id, expected).await?;
    sqlx::query(&format!(
        "UPDATE need_answers SET {column} = COALESCE({column}, $1) WHERE id = $2"
    ))
    .bind(db::now())
    .bind(answer_id)
    .execute(&mut *conn)
    .await?;
    let side = if candidate { "candidate" } else { "owner" };
    record_event(
        &mut *conn,
        need_id,
        Some(answer_id),
        "consent",
        Some(&actor.id),
        json!({ "side": side }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need_answer",
        entity_id: answer_id,
        action: "consent",
        changes: Changes::new().field(column, Value::Null, json!(true)),
    }
    .record(&mut *conn)
    .await?;
    released_if_both(state, &mut *conn, actor, &need, answer_id).await?;
    Ok(version)
}

/// Attaches a file to an answer (the candidate or the office; not once decided).
pub async fn add_file(
    conn: &mut AnyConnection,
    actor: &User,
    need_id: &str,
    answer_id: &str,
    file: NewFile<'_>,
) -> Result<AnswerFile, WriteError> {
    let (_, access, _, r) = load_answer(&mut *conn, actor, need_id, answer_id).await?;
    if !(access.office || access.answers_as(answer_id)) {
        return Err(WriteError::Forbidden);
    }
    let status = AnswerStatus::parse(&r.status).unwrap_or(AnswerStatus::Invited);
    if matches!(
        status,
        AnswerStatus::Declined | AnswerStatus::Accepted | AnswerStatus::Rejected
    ) {
        return Err(answer_transition(status, "file_added", &[]));
    }
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM need_answer_files WHERE answer_id = $1")
            .bind(answer_id)
            .fetch_one(&mut *conn)
            .await?;
    if count >= FILES_MAX {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "file",
            "too_many_files",
            FILES_MAX.to_string(),
        )]));
    }
    let file_id = crate::files::put(&mut *conn, file.content_type, file.data).await?;
    let id = db::new_id();
    let now = db::now();
    let name: String = file
        .file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let size = i64::try_from(file.data.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO need_answer_files (id, answer_id, file_id, file_name, content_type, size, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(answer_id)
    .bind(&file_id)
    .bind(&name)
    .bind(file.content_type)
    .bind(size)
    .bind(&actor.id)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    record_event(
        &mut *conn,
        need_id,
        Some(answer_id),
        "file_added",
        Some(&actor.id),
        json!({ "file_name": name }),
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "need_answer_file",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("answer_id", json!(answer_id))
            .created("file_name", json!(name))
            .created("size", json!(size)),
    }
    .record(&mut *conn)
    .await?;
    Ok(AnswerFile {
        id,
        answer_id: answer_id.to_owned(),
        file_id,
        file_name: name,
        content_type: file.content_type.to_owned(),
        size,
        uploaded_by: Some(actor.id.clone()),
        uploaded_at: now,
    })
}

/// Most files on one answer.
pub const FILES_MAX: i64 = 20;

/// An answer's file with its bytes (the caller checked access to the answer).
pub async fn answer_file(
    conn: &mut AnyConnection,
    answer_id: &str,
    id: &str,
) -> Result<Option<(AnswerFile, StoredFile)>, sqlx::Error> {
    if !looks_like_id(answer_id) || !looks_like_id(id) {
        return Ok(None);
    }
    let row: Option<FileRow> = sqlx::query_as(
        "SELECT id, answer_id, file_id, file_name, content_type, size, uploaded_by, uploaded_at \
         FROM need_answer_files WHERE answer_id = $1 AND id = $2",
    )
    .bind(answer_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(stored) = crate::files::get(&mut *conn, &row.file_id).await? else {
        return Ok(None);
    };
    Ok(Some((row.into(), stored)))
}

/// id, need, answer, kind, actor id, actor name, at, detail, answer status.
type EventRow = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

/// A need's timeline as `access` lets its user see it (oldest first).
/// Candidates: the need's own moves and their answers' events; the owner: all
/// but the invitations of answers that have not expressed interest.
pub async fn events(
    conn: &mut AnyConnection,
    need_id: &str,
    access: &NeedAccess,
) -> Result<Vec<NeedEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.need_id, e.answer_id, e.kind, e.actor_id, u.name, e.at, e.detail, a.status \
             FROM need_events e LEFT JOIN users u ON u.id = e.actor_id \
             LEFT JOIN need_answers a ON a.id = e.answer_id \
             WHERE e.need_id = $1 ORDER BY e.at, e.id",
    )
    .bind(need_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (id, need_id, answer_id, kind, actor_id, actor_name, at, detail, astatus) in rows {
        let keep = match &answer_id {
            _ if access.office => true,
            None => true,
            Some(a) if access.answers_as(a) => true,
            Some(_) if access.owner => astatus
                .as_deref()
                .and_then(AnswerStatus::parse)
                .is_some_and(AnswerStatus::is_qualified),
            Some(_) => false,
        };
        if !keep {
            continue;
        }
        let mut detail: Value = serde_json::from_str(&detail).unwrap_or_else(|_| json!({}));
        let (actor_id, actor_name) = if access.office {
            (actor_id, actor_name)
        } else {
            // Others see no one's name nor which organisation was invited.
            if let Value::Object(m) = &mut detail {
                m.remove("organization_id");
                m.remove("score");
            }
            (None, None)
        };
        out.push(NeedEvent {
            id,
            need_id,
            answer_id,
            kind,
            actor_id,
            actor_name,
            at,
            detail,
        });
    }
    Ok(out)
}

/// A need's funnel (from the timeline).
pub async fn funnel(conn: &mut AnyConnection, need: &Need) -> Result<Funnel, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(DISTINCT answer_id) FROM need_events \
         WHERE need_id = $1 AND answer_id IS NOT NULL GROUP BY kind",
    )
    .bind(&need.id)
    .fetch_all(&mut *conn)
    .await?;
    let n = |k: &str| rows.iter().find(|(x, _)| x == k).map_or(0, |(_, c)| *c);
    let invited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM need_answers WHERE need_id = $1")
        .bind(&need.id)
        .fetch_one(&mut *conn)
        .await?;
    let days = match (
        need.published_at.as_deref().and_then(day_of),
        need.first_answer_at.as_deref().and_then(day_of),
    ) {
        (Some(p), Some(f)) => Some(calendar::national().business_days_between(p, f)),
        _ => None,
    };
    Ok(Funnel {
        need_id: need.id.clone(),
        invited,
        declined: n("declined"),
        interested: n("interested"),
        shortlisted: n("shortlisted"),
        meeting: n("meeting"),
        accepted: n("accepted"),
        rejected: n("rejected"),
        days_to_first_answer: days,
    })
}

/// The follow-ups of a need.
pub async fn followups(
    conn: &mut AnyConnection,
    need_id: &str,
) -> Result<Vec<Followup>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, String, String, i64, String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>)> =
        sqlx::query_as(
            "SELECT id, need_id, answer_id, side, months, due_on, sent_at, answer, satisfied, answered_at, answered_by \
             FROM need_followups WHERE need_id = $1 ORDER BY due_on, side",
        )
        .bind(need_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                need_id,
                answer_id,
                side,
                months,
                due_on,
                sent_at,
                answer,
                satisfied,
                answered_at,
                answered_by,
            )| {
                Followup {
                    id,
                    need_id,
                    answer_id,
                    side,
                    months,
                    due_on,
                    sent_at,
                    answer,
                    satisfied: satisfied.map(|s| s != 0),
                    answered_at,
                    answered_by,
                }
            },
        )
        .collect())
}

/// The targets per kind (all 8, in the kinds' order).
pub async fn targets(conn: &mut AnyConnection) -> Result<Vec<Target>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, String)> =
        sqlx::query_as("SELECT kind, target_days, version, updated_at FROM pact_targets")
            .fetch_all(conn)
            .await?;
    let mut out: Vec<Target> = rows
        .into_iter()
        .map(|(kind, target_days, version, updated_at)| Target {
            kind,
            target_days,
            version,
            updated_at,
        })
        .collect();
    out.sort_by_key(|t| NeedKind::parse(&t.kind));
    Ok(out)
}

/// Writes targets (admin). Returns all targets.
pub async fn set_targets(
    conn: &mut AnyConnection,
    actor: &User,
    items: &[TargetInput],
) -> Result<Vec<Target>, WriteError> {
    if !actor.is_admin() {
        return Err(WriteError::Forbidden);
    }
    let mut e = Vec::new();
    if items.is_empty() {
        e.push(Invalid::new("items", "required"));
    }
    let mut parsed = Vec::new();
    for (i, t) in items.iter().enumerate() {
        match NeedKind::parse(t.kind.trim()) {
            None => e.push(Invalid::with(
                &format!("items[{i}].kind"),
                "invalid_kind",
                shown(&t.kind),
            )),
            Some(k) => {
                if !(1..=365).contains(&t.target_days) {
                    e.push(Invalid::with(
                        &format!("items[{i}].target_days"),
                        "invalid_target",
                        t.target_days.to_string(),
                    ));
                }
                parsed.push((k, t.target_days));
            }
        }
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let before = targets(&mut *conn).await?;
    let now = db::now();
    for (k, days) in parsed {
        let old = before
            .iter()
            .find(|t| t.kind == k.as_str())
            .map(|t| t.target_days);
        if old == Some(days) {
            continue;
        }
        sqlx::query(
            "UPDATE pact_targets SET target_days = $1, version = version + 1, updated_at = $2 WHERE kind = $3",
        )
        .bind(days)
        .bind(&now)
        .bind(k.as_str())
        .execute(&mut *conn)
        .await?;
        Audit {
            actor: Some(&actor.id),
            entity: "pact_target",
            entity_id: k.as_str(),
            action: "update",
            changes: Changes::new().field("target_days", json!(old), json!(days)),
        }
        .record(&mut *conn)
        .await?;
    }
    Ok(targets(conn).await?)
}
