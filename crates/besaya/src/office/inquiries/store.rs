//! The inquiry: its record as the office reads it (with the response clock), the
//! validation of what the public sends, and every write — arrival (owner, e-mails,
//! rate limit), reassignment, answer, dismissal and qualification into a project.

use std::time::Duration;

use besaya_domain::Email;
use besaya_domain::directory::normalize_cnae;
use besaya_domain::office::{self, Stage};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool, FromRow};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::Invalid;
use super::mail::InquiryMail;
use crate::AppState;
use crate::auth::User;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, OptF64, VersionConflict};
use crate::i18n::Lang;
use crate::office::policy::{self, Case};
use crate::office::projects::{self, ProjectInput, WriteError};
use crate::reference::Catalog;
use crate::web::invalid::text;

/// The states of an inquiry.
pub const STATUSES: [&str; 4] = ["new", "answered", "qualified", "dismissed"];

/// Largest figures accepted: land (m²), jobs, investment (€).
pub const MAX_LAND_M2: f64 = 1e8;
pub const MAX_JOBS: i64 = 1_000_000;
pub const MAX_EUR: f64 = 1e10;
/// Longest message and answer.
pub const MAX_MESSAGE: usize = 5_000;

/// The response clock of an inquiry, as the API shows it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
pub struct Clock {
    /// Seconds from arrival to now, or to the answer once the clock stopped.
    pub elapsed_seconds: i64,
    /// Answered, qualified or dismissed: the clock no longer runs.
    pub stopped: bool,
    /// Past the target (still waiting past it, or answered after it).
    pub late: bool,
    /// The target the office sets itself (`inquiry_response_hours`).
    pub target_hours: u32,
}

/// An inquiry as the office reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Inquiry {
    pub id: String,
    /// The sender (empty when withheld).
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
    pub message: String,
    /// CNAE code of the planned activity.
    pub cnae_code: Option<String>,
    pub land_m2: Option<f64>,
    pub jobs: Option<i64>,
    pub investment_eur: Option<f64>,
    /// The language of the form, in which the sender gets the e-mails: `es` or `en`.
    #[schema(example = "es")]
    pub lang: String,
    /// The consent the sender gave, word for word, and when.
    pub consent_text: String,
    pub consent_at: String,
    /// `new`, `answered`, `qualified` or `dismissed`.
    #[schema(example = "new")]
    pub status: String,
    /// The member of staff who answers it.
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub received_at: String,
    /// When the clock stopped (answer, qualification or dismissal).
    pub answered_at: Option<String>,
    pub answer: Option<String>,
    pub dismiss_reason: Option<String>,
    /// The project it was qualified into.
    pub project_id: Option<String>,
    pub project_code_name: Option<String>,
    /// True when it became a confidential project the reader is not assigned to:
    /// the sender's details are withheld (only the code name shows).
    pub withheld: bool,
    pub clock: Clock,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Inquiry {
    pub fn is_open(&self) -> bool {
        self.status == "new"
    }

    /// Answered, qualified or dismissed: whether it may still be qualified.
    pub fn can_qualify(&self) -> bool {
        !self.withheld && matches!(self.status.as_str(), "new" | "answered")
    }

    pub fn can_dismiss(&self) -> bool {
        !self.withheld && matches!(self.status.as_str(), "new" | "answered")
    }

    pub fn can_answer(&self) -> bool {
        !self.withheld && self.is_open()
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    name: String,
    email: String,
    phone: Option<String>,
    company: Option<String>,
    country: Option<String>,
    message: String,
    cnae_code: Option<String>,
    land_m2: Option<f64>,
    jobs: Option<i64>,
    investment_eur: Option<f64>,
    lang: String,
    consent_text: String,
    consent_at: String,
    status: String,
    owner_id: Option<String>,
    owner_name: Option<String>,
    received_at: String,
    answered_at: Option<String>,
    answer: Option<String>,
    dismiss_reason: Option<String>,
    project_id: Option<String>,
    project_code_name: Option<String>,
    project_owner_id: Option<String>,
    project_confidential: Option<i64>,
    project_investor_org_id: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

const SELECT: &str = "SELECT i.id, i.name, i.email, i.phone, i.company, i.country, i.message, i.cnae_code, \
     i.land_m2, i.jobs, i.investment_eur, i.lang, i.consent_text, i.consent_at, i.status, i.owner_id, \
     u.name AS owner_name, i.received_at, i.answered_at, i.answer, i.dismiss_reason, i.project_id, \
     p.code_name AS project_code_name, p.owner_id AS project_owner_id, p.confidential AS project_confidential, \
     p.investor_org_id AS project_investor_org_id, i.version, i.created_at, i.updated_at \
     FROM inquiries i LEFT JOIN users u ON u.id = i.owner_id LEFT JOIN projects p ON p.id = i.project_id";

/// A stored timestamp as a time (the platform writes RFC 3339).
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// The clock of an inquiry received at `received`, stopped at `answered`, seen now.
pub fn clock_of(received: &str, answered: Option<&str>, target_hours: u32) -> Clock {
    let now = OffsetDateTime::now_utc();
    let received = parse_time(received).unwrap_or(now);
    let answered = answered.and_then(parse_time);
    let c = office::response_clock(
        received,
        answered,
        now,
        Duration::from_secs(u64::from(target_hours) * 3600),
    );
    Clock {
        elapsed_seconds: i64::try_from(c.elapsed.as_secs()).unwrap_or(i64::MAX),
        stopped: c.stopped,
        late: c.late,
        target_hours,
    }
}

impl Row {
    fn into_inquiry(self, reader: &User, team: &[String], target_hours: u32) -> Inquiry {
        // The sender of a confidential project is the investor: need to know only.
        let withheld = match (&self.project_id, &self.project_owner_id) {
            (Some(_), Some(owner)) => {
                let case = Case {
                    owner_id: owner,
                    team,
                    confidential: self.project_confidential.unwrap_or(1) != 0,
                    investor_org_id: self.project_investor_org_id.as_deref(),
                };
                !policy::access(reader, &case).is_some_and(|a| a.see_investor)
            }
            _ => false,
        };
        let clock = clock_of(&self.received_at, self.answered_at.as_deref(), target_hours);
        let hide = |v: Option<String>| if withheld { None } else { v };
        Inquiry {
            id: self.id,
            name: if withheld { String::new() } else { self.name },
            email: if withheld { String::new() } else { self.email },
            phone: hide(self.phone),
            company: hide(self.company),
            country: hide(self.country),
            message: if withheld {
                String::new()
            } else {
                self.message
            },
            cnae_code: self.cnae_code,
            land_m2: self.land_m2,
            jobs: self.jobs,
            investment_eur: self.investment_eur,
            lang: self.lang,
            consent_text: self.consent_text,
            consent_at: self.consent_at,
            status: self.status,
            owner_id: self.owner_id,
            owner_name: self.owner_name,
            received_at: self.received_at,
            answered_at: self.answered_at,
            answer: hide(self.answer),
            dismiss_reason: self.dismiss_reason,
            project_id: self.project_id,
            project_code_name: self.project_code_name,
            withheld,
            clock,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// An inquiry as `reader` (a member of the office) may see it.
pub async fn get(
    conn: &mut AnyConnection,
    reader: &User,
    id: &str,
    target_hours: u32,
) -> Result<Option<Inquiry>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let team: Vec<String> = match &row.project_id {
        Some(p) => {
            sqlx::query_scalar("SELECT user_id FROM project_team WHERE project_id = $1")
                .bind(p)
                .fetch_all(&mut *conn)
                .await?
        }
        None => Vec::new(),
    };
    Ok(Some(row.into_inquiry(reader, &team, target_hours)))
}

/// What the office's list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub owner_id: Option<String>,
    /// Only the reader's own.
    pub mine: bool,
}

/// Where a page of the list starts: after this inquiry in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub open: bool,
    pub received_at: String,
    pub id: String,
}

impl After {
    /// The cursor of an inquiry (as [`After::parse`] reads it back).
    pub fn key(i: &Inquiry) -> String {
        format!(
            "{}|{}|{}",
            if i.is_open() { 0 } else { 1 },
            i.received_at,
            i.id
        )
    }

    pub fn parse(key: &str) -> Option<Self> {
        let mut parts = key.splitn(3, '|');
        let open = match parts.next()? {
            "0" => true,
            "1" => false,
            _ => return None,
        };
        let received_at = parts.next()?.to_owned();
        let id = parts.next()?.to_owned();
        let ok = |s: &str| !s.is_empty() && s.len() <= 64;
        (ok(&received_at) && ok(&id)).then_some(Self {
            open,
            received_at,
            id,
        })
    }
}

/// The office's list: those still waiting for an answer first, oldest first (the
/// most urgent at the top), then the rest, newest first. At most `limit` after `after`.
pub async fn list(
    pool: &AnyPool,
    reader: &User,
    filter: &Filter,
    after: Option<&After>,
    limit: i64,
    target_hours: u32,
) -> Result<Vec<Inquiry>, sqlx::Error> {
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE 1 = 1");
    if let Some(s) = &filter.status {
        sql.push(" AND i.status = ").bind(s.clone());
    }
    if let Some(o) = &filter.owner_id {
        sql.push(" AND i.owner_id = ").bind(o.clone());
    }
    if filter.mine {
        sql.push(" AND i.owner_id = ").bind(reader.id.clone());
    }
    if let Some(a) = after {
        if a.open {
            sql.push(" AND ((i.status = 'new' AND (i.received_at > ")
                .bind(a.received_at.clone())
                .push(" OR (i.received_at = ")
                .bind(a.received_at.clone())
                .push(" AND i.id > ")
                .bind(a.id.clone())
                .push("))) OR i.status <> 'new')");
        } else {
            sql.push(" AND i.status <> 'new' AND (i.received_at < ")
                .bind(a.received_at.clone())
                .push(" OR (i.received_at = ")
                .bind(a.received_at.clone())
                .push(" AND i.id < ")
                .bind(a.id.clone())
                .push("))");
        }
    }
    sql.push(
        " ORDER BY CASE WHEN i.status = 'new' THEN 0 ELSE 1 END, \
         CASE WHEN i.status = 'new' THEN i.received_at ELSE '' END, \
         CASE WHEN i.status = 'new' THEN i.id ELSE '' END, \
         i.received_at DESC, i.id DESC LIMIT ",
    )
    .bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    let teams =
        projects::teams_of(pool, rows.iter().filter_map(|r| r.project_id.as_deref())).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let team = r
                .project_id
                .as_ref()
                .and_then(|p| teams.get(p))
                .cloned()
                .unwrap_or_default();
            r.into_inquiry(reader, &team, target_hours)
        })
        .collect())
}

/// The members of the office who may own inquiries: (id, name), by name.
pub async fn office_users(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM users WHERE active = 1 AND role IN ('admin', 'staff') ORDER BY name, id",
    )
    .fetch_all(pool)
    .await
}

// ---- What the public sends ----

/// An inquiry as the public sends it (the form's fields, the API's body).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryInput {
    /// Who writes (1–200 characters).
    #[schema(
        required = true,
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        example = "Laura Gómez"
    )]
    pub name: Option<String>,
    /// Where the office answers.
    #[schema(
        required = true,
        pattern = r"^[A-Za-z0-9_%+-]{1,20}(\.[A-Za-z0-9_%+-]{1,20}){0,2}@[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?){1,3}$",
        example = "laura@acme.example"
    )]
    pub email: Option<String>,
    /// Digits, spaces and `+ ( ) - . /` (6 to 20 digits).
    #[schema(pattern = r"^\+?[0-9 ]{6,20}$", example = "+34 942 000 000")]
    pub phone: Option<String>,
    #[schema(max_length = 200, example = "Acme Components GmbH")]
    pub company: Option<String>,
    #[schema(max_length = 100, example = "Alemania")]
    pub country: Option<String>,
    /// What the sender plans and asks (1–5 000 characters).
    #[schema(required = true, min_length = 1, max_length = 5000, pattern = r"\S")]
    pub message: Option<String>,
    /// CNAE code of the planned activity (CNAE-2025 or CNAE-2009; section letter, or 2–4 digits).
    #[schema(example = "2451")]
    pub cnae_code: Option<String>,
    /// Land needed, m².
    #[schema(minimum = 0, maximum = 100000000)]
    pub land_m2: Option<f64>,
    /// Jobs the project would create.
    #[schema(minimum = 0, maximum = 1000000)]
    pub jobs: Option<i64>,
    /// Investment planned, €.
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub investment_eur: Option<f64>,
    /// `es` (default) or `en`: the language of the replies.
    #[schema(pattern = "^(es|en)$", example = "en")]
    pub lang: Option<String>,
    /// Must be `true`: the sender accepts that the office processes these data to
    /// answer (the text accepted and the time are recorded).
    #[schema(required = true)]
    pub consent: Option<bool>,
}

/// An inquiry once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInquiry {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
    pub message: String,
    pub cnae_code: Option<String>,
    pub land_m2: Option<f64>,
    pub jobs: Option<i64>,
    pub investment_eur: Option<f64>,
    pub lang: Lang,
}

/// A CNAE code of either classification, normalised; the raw value when unknown.
pub fn check_cnae(catalog: &Catalog, raw: &str) -> Result<String, String> {
    match normalize_cnae(raw) {
        Some(code)
            if ["2025", "2009"]
                .iter()
                .filter_map(|v| crate::reference::catalog::cnae_version(v))
                .any(|v| catalog.cnae(v, &code).is_some()) =>
        {
            Ok(code)
        }
        _ => Err(raw.chars().take(20).collect()),
    }
}

fn required(
    e: &mut Vec<Invalid>,
    field: &str,
    v: Option<&str>,
    max: usize,
    multiline: bool,
) -> String {
    let blank = v.is_none_or(|s| s.trim().is_empty());
    let out = text(e, field, v, max, multiline);
    if blank {
        e.push(Invalid::new(field, "required"));
    }
    out.unwrap_or_default()
}

/// Checks an inquiry; `lang` is the form's language when the input names none.
pub fn validate(
    input: &InquiryInput,
    catalog: &Catalog,
    lang: Lang,
) -> Result<ValidInquiry, Vec<Invalid>> {
    let mut e: Vec<Invalid> = Vec::new();
    let name = required(&mut e, "name", input.name.as_deref(), 200, false);
    let email = match input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("email", "required"));
            String::new()
        }
        Some(raw) => match Email::parse(raw) {
            Ok(m) => m.as_str().to_owned(),
            Err(_) => {
                e.push(Invalid::new("email", "invalid_email"));
                String::new()
            }
        },
    };
    let phone = match input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(p) => {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let allowed = p.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.' | '/')
            });
            if p.chars().count() > 40 || !allowed || !(6..=20).contains(&digits) {
                e.push(Invalid::new("phone", "invalid_phone"));
                None
            } else {
                Some(p.to_owned())
            }
        }
    };
    let company = text(&mut e, "company", input.company.as_deref(), 200, false);
    let country = text(&mut e, "country", input.country.as_deref(), 100, false);
    let message = required(
        &mut e,
        "message",
        input.message.as_deref(),
        MAX_MESSAGE,
        true,
    );
    let cnae_code = match input
        .cnae_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => match check_cnae(catalog, raw) {
            Ok(c) => Some(c),
            Err(v) => {
                e.push(Invalid::with("cnae_code", "unknown_cnae", v));
                None
            }
        },
    };
    let figure =
        |e: &mut Vec<Invalid>, field: &str, v: Option<f64>, max: f64, shown: &str| -> Option<f64> {
            let v = v?;
            if !v.is_finite() || !(0.0..=max).contains(&v) {
                e.push(Invalid::with(field, "out_of_range", shown));
                return None;
            }
            Some(v)
        };
    let land_m2 = figure(
        &mut e,
        "land_m2",
        input.land_m2,
        MAX_LAND_M2,
        "0–100 000 000",
    );
    let investment_eur = figure(
        &mut e,
        "investment_eur",
        input.investment_eur,
        MAX_EUR,
        "0–10 000 000 000",
    );
    let jobs = match input.jobs {
        Some(j) if !(0..=MAX_JOBS).contains(&j) => {
            e.push(Invalid::with("jobs", "out_of_range", "0–1 000 000"));
            None
        }
        other => other,
    };
    let lang = match input
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => lang,
        Some(code) => Lang::from_code(code).unwrap_or_else(|| {
            e.push(Invalid::with(
                "lang",
                "invalid_choice",
                code.chars().take(20).collect::<String>(),
            ));
            lang
        }),
    };
    if input.consent != Some(true) {
        e.push(Invalid::new("consent", "consent_required"));
    }
    if e.is_empty() {
        Ok(ValidInquiry {
            name,
            email,
            phone,
            company,
            country,
            message,
            cnae_code,
            land_m2,
            jobs,
            investment_eur,
            lang,
        })
    } else {
        Err(e)
    }
}

// ---- Arrival ----

/// What the sender learns of an inquiry once received.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Receipt {
    pub id: String,
    pub received_at: String,
    /// The office answers within this many hours.
    pub response_hours: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    /// Too many inquiries from this address: try again after this long.
    #[error("too many inquiries from this address")]
    RateLimited(Duration),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ReceiveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(anyhow::Error::new(e).context("database"))
    }
}

/// The window of the rate limit.
const RATE_WINDOW: time::Duration = time::Duration::HOUR;

/// Counts one inquiry from `client` in the current hour, in the caller's
/// transaction (the count lives in the database, so every instance agrees).
/// Returns how long to wait when the hour's `limit` is already reached (the caller
/// then rolls back, so the refused one is not counted).
async fn count_one(
    conn: &mut AnyConnection,
    client: &str,
    limit: u32,
) -> Result<Option<Duration>, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let key = format!("inquiry:{client}");
    let (count, since): (i64, String) = sqlx::query_as(
        "INSERT INTO login_throttle (throttle_key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
         failures = CASE WHEN login_throttle.last_failure_at > $3 THEN login_throttle.failures + 1 ELSE 1 END, \
         last_failure_at = CASE WHEN login_throttle.last_failure_at > $3 THEN login_throttle.last_failure_at ELSE $2 END \
         RETURNING failures, last_failure_at",
    )
    .bind(&key)
    .bind(db::timestamp(now))
    .bind(db::timestamp(now - RATE_WINDOW))
    .fetch_one(&mut *conn)
    .await?;
    if count <= i64::from(limit) {
        return Ok(None);
    }
    let window_end = parse_time(&since).unwrap_or(now) + RATE_WINDOW;
    let wait = Duration::try_from(window_end - now).unwrap_or_default();
    Ok(Some(wait.max(Duration::from_secs(1))))
}

/// A member of the office as a recipient.
#[derive(FromRow)]
struct Staff {
    id: String,
    name: String,
    email: String,
    lang: String,
}

/// The owner for a new inquiry: the active member of staff with the fewest open
/// inquiries (ties by name); an administrator only when there is no staff.
async fn pick_owner(conn: &mut AnyConnection) -> Result<Option<Staff>, sqlx::Error> {
    for role in ["staff", "admin"] {
        let found: Option<Staff> = sqlx::query_as(
            "SELECT u.id, u.name, u.email, u.lang FROM users u WHERE u.active = 1 AND u.role = $1 \
             ORDER BY (SELECT COUNT(*) FROM inquiries i WHERE i.owner_id = u.id AND i.status = 'new'), u.name, u.id LIMIT 1",
        )
        .bind(role)
        .fetch_optional(&mut *conn)
        .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

async fn office_user(conn: &mut AnyConnection, id: &str) -> Result<Option<Staff>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, email, lang FROM users WHERE id = $1 AND active = 1 AND role IN ('admin', 'staff')",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The inquiry's page on the platform, for e-mails.
pub fn page_link(state: &AppState, id: &str) -> String {
    format!("{}/office/inquiries/{id}", state.config.public_base())
}

async fn mail_owner(
    state: &AppState,
    conn: &mut AnyConnection,
    owner: &Staff,
    inquiry_id: &str,
    sender: &str,
    company: &str,
) -> anyhow::Result<()> {
    let link = page_link(state, inquiry_id);
    let lang = Lang::from_code(&owner.lang).unwrap_or_default();
    let m = crate::mail::compose(
        &state.i18n,
        lang,
        &owner.email,
        &owner.name,
        crate::mail::Kind::Inquiry(InquiryMail::Assigned {
            sender,
            company,
            link: &link,
        }),
    )?;
    crate::mail::enqueue(conn, &m).await
}

/// Stores an inquiry that arrived from `client` (an address), with its owner, the
/// acknowledgement to the sender and the notice to the owner, in one transaction.
pub async fn receive(
    state: &AppState,
    v: &ValidInquiry,
    consent_text: &str,
    client: &str,
) -> Result<Receipt, ReceiveError> {
    let mut tx = state.db.writer().begin().await?;
    if let Some(wait) = count_one(&mut tx, client, state.config.inquiry_rate_per_hour).await? {
        tx.rollback().await?;
        return Err(ReceiveError::RateLimited(wait));
    }
    let owner = pick_owner(&mut tx).await?;
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO inquiries (id, name, email, phone, company, country, message, cnae_code, land_m2, jobs, \
         investment_eur, lang, consent_text, consent_at, status, owner_id, received_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'new', $15, $14, 1, $14, $14)",
    )
    .bind(&id)
    .bind(&v.name)
    .bind(&v.email)
    .bind(&v.phone)
    .bind(&v.company)
    .bind(&v.country)
    .bind(&v.message)
    .bind(&v.cnae_code)
    .bind(OptF64(v.land_m2))
    .bind(v.jobs)
    .bind(OptF64(v.investment_eur))
    .bind(v.lang.code())
    .bind(consent_text)
    .bind(&now)
    .bind(owner.as_ref().map(|o| o.id.clone()))
    .execute(&mut *tx)
    .await?;
    let hours = state.config.inquiry_response_hours;
    let sites = format!("{}/sites", state.config.public_base());
    let ack = crate::mail::compose(
        &state.i18n,
        v.lang,
        &v.email,
        &v.name,
        crate::mail::Kind::Inquiry(InquiryMail::Received {
            hours,
            link: &sites,
        }),
    )?;
    crate::mail::enqueue(&mut tx, &ack).await?;
    if let Some(o) = &owner {
        mail_owner(
            state,
            &mut tx,
            o,
            &id,
            &v.name,
            v.company.as_deref().unwrap_or(""),
        )
        .await?;
    }
    Audit {
        actor: None,
        entity: "inquiry",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("email", v.email.as_str())
            .created("lang", v.lang.code())
            .created("cnae_code", json!(v.cnae_code))
            .created("owner_id", json!(owner.as_ref().map(|o| o.id.as_str())))
            .created("consent_text", consent_text),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Receipt {
        id,
        received_at: now,
        response_hours: hours,
    })
}

// ---- The office's actions ----

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("the inquiry does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    /// Invalid fields of the action.
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    /// Invalid fields of the project it would become.
    #[error("invalid project")]
    Project(Vec<crate::office::Invalid>),
    /// Not in this state (`status` is the current one).
    #[error("the inquiry is {0}")]
    NotOpen(String),
    #[error("already qualified into project {0}")]
    AlreadyQualified(String),
    /// The details belong to a confidential project the user is not on.
    #[error("withheld")]
    Withheld,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ActionError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(anyhow::Error::new(e).context("database"))
    }
}

impl From<BumpError> for ActionError {
    fn from(e: BumpError) -> Self {
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => e.into(),
        }
    }
}

/// The current record of an action's inquiry, with the version check done first:
/// a stale version is a conflict whatever else is wrong. The caller refuses a
/// withheld one ([`Inquiry::withheld`]) after its own state checks.
async fn current(
    conn: &mut AnyConnection,
    actor: &User,
    id: &str,
    expected: i64,
    target_hours: u32,
) -> Result<Inquiry, ActionError> {
    let i = get(conn, actor, id, target_hours)
        .await?
        .ok_or(ActionError::NotFound)?;
    if i.version != expected {
        return Err(ActionError::Conflict(VersionConflict {
            current: Some(i.version),
        }));
    }
    Ok(i)
}

/// Gives the inquiry to another member of the office (who gets an e-mail).
pub async fn reassign(
    state: &AppState,
    actor: &User,
    id: &str,
    expected: i64,
    owner_id: Option<&str>,
) -> Result<(), ActionError> {
    let mut tx = state.db.writer().begin().await?;
    let target = state.config.inquiry_response_hours;
    let before = current(&mut tx, actor, id, expected, target).await?;
    if before.withheld {
        return Err(ActionError::Withheld);
    }
    let owner_id = owner_id.map(str::trim).filter(|s| !s.is_empty());
    let Some(owner_id) = owner_id else {
        return Err(ActionError::Invalid(vec![Invalid::new(
            "owner_id", "required",
        )]));
    };
    let Some(owner) = office_user(&mut tx, owner_id).await? else {
        return Err(ActionError::Invalid(vec![Invalid::with(
            "owner_id",
            "not_staff",
            owner_id.chars().take(64).collect::<String>(),
        )]));
    };
    bump_version(&mut tx, Versioned::Inquiries, id, expected).await?;
    sqlx::query("UPDATE inquiries SET owner_id = $1 WHERE id = $2")
        .bind(&owner.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if before.owner_id.as_deref() != Some(owner.id.as_str()) && owner.id != actor.id {
        mail_owner(
            state,
            &mut tx,
            &owner,
            id,
            &before.name,
            before.company.as_deref().unwrap_or(""),
        )
        .await?;
    }
    Audit {
        actor: Some(&actor.id),
        entity: "inquiry",
        entity_id: id,
        action: "reassign",
        changes: Changes::new().field("owner_id", json!(before.owner_id), json!(owner.id)),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers an inquiry that waits: the text goes to the sender by e-mail in the
/// form's language, and the clock stops.
pub async fn answer(
    state: &AppState,
    actor: &User,
    id: &str,
    expected: i64,
    answer: Option<&str>,
) -> Result<(), ActionError> {
    let mut e = Vec::new();
    let text_ok = text(&mut e, "answer", answer, MAX_MESSAGE, true);
    if answer.is_none_or(|a| a.trim().is_empty()) {
        e.push(Invalid::new("answer", "required"));
    }
    let mut tx = state.db.writer().begin().await?;
    let target = state.config.inquiry_response_hours;
    let before = current(&mut tx, actor, id, expected, target).await?;
    if !before.is_open() {
        return Err(ActionError::NotOpen(before.status));
    }
    let Some(answer) = text_ok.filter(|_| e.is_empty()) else {
        return Err(ActionError::Invalid(e));
    };
    bump_version(&mut tx, Versioned::Inquiries, id, expected).await?;
    let now = db::now();
    sqlx::query(
        "UPDATE inquiries SET status = 'answered', answer = $1, answered_at = $2 WHERE id = $3",
    )
    .bind(&answer)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let lang = Lang::from_code(&before.lang).unwrap_or_default();
    let sites = format!("{}/sites", state.config.public_base());
    let m = crate::mail::compose(
        &state.i18n,
        lang,
        &before.email,
        &before.name,
        crate::mail::Kind::Inquiry(InquiryMail::Answer {
            answer: &answer,
            link: &sites,
        }),
    )?;
    crate::mail::enqueue(&mut tx, &m).await?;
    Audit {
        actor: Some(&actor.id),
        entity: "inquiry",
        entity_id: id,
        action: "answer",
        changes: Changes::new()
            .field("status", before.status.as_str(), "answered")
            .created("answer", answer.as_str())
            .created("answered_at", now.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Dismisses an inquiry (spam, out of scope...) with a reason; stops the clock if it ran.
pub async fn dismiss(
    state: &AppState,
    actor: &User,
    id: &str,
    expected: i64,
    reason: Option<&str>,
) -> Result<(), ActionError> {
    let mut e = Vec::new();
    let reason_ok = text(&mut e, "reason", reason, 1_000, true);
    if reason.is_none_or(|a| a.trim().is_empty()) {
        e.push(Invalid::new("reason", "required"));
    }
    let mut tx = state.db.writer().begin().await?;
    let target = state.config.inquiry_response_hours;
    let before = current(&mut tx, actor, id, expected, target).await?;
    if !before.can_dismiss() {
        return Err(ActionError::NotOpen(before.status));
    }
    let Some(reason) = reason_ok.filter(|_| e.is_empty()) else {
        return Err(ActionError::Invalid(e));
    };
    bump_version(&mut tx, Versioned::Inquiries, id, expected).await?;
    let now = db::now();
    sqlx::query(
        "UPDATE inquiries SET status = 'dismissed', dismiss_reason = $1, answered_at = COALESCE(answered_at, $2) WHERE id = $3",
    )
    .bind(&reason)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "inquiry",
        entity_id: id,
        action: "dismiss",
        changes: Changes::new()
            .field("status", before.status.as_str(), "dismissed")
            .created("dismiss_reason", reason.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What qualifying needs besides the inquiry.
#[derive(Debug, Clone, Default)]
pub struct Qualify {
    /// Left empty, the platform gives the next `P-YYYY-NNN`.
    pub code_name: Option<String>,
    /// An organisation of the directory.
    pub investor_org_id: Option<String>,
}

/// Turns an inquiry (waiting or answered) into a project at `qualified`, owned by
/// the inquiry's owner (or the actor when the owner is no longer in the office),
/// with the message as its description. Returns the project's id.
pub async fn qualify(
    state: &AppState,
    actor: &User,
    id: &str,
    expected: i64,
    q: &Qualify,
) -> Result<String, ActionError> {
    let mut tx = state.db.writer().begin().await?;
    let target = state.config.inquiry_response_hours;
    let before = current(&mut tx, actor, id, expected, target).await?;
    if let Some(p) = &before.project_id {
        return Err(ActionError::AlreadyQualified(p.clone()));
    }
    if before.withheld {
        return Err(ActionError::Withheld);
    }
    if !before.can_qualify() {
        return Err(ActionError::NotOpen(before.status));
    }
    let owner_id = match &before.owner_id {
        Some(o) if office_user(&mut tx, o).await?.is_some() => o.clone(),
        _ => actor.id.clone(),
    };
    // Whoever qualifies it has read the inquiry: on the team unless the owner.
    let input = ProjectInput {
        code_name: q.code_name.clone(),
        investor_org_id: q.investor_org_id.clone(),
        cnae_code: before.cnae_code.clone(),
        description: Some(before.message.clone()),
        owner_id: Some(owner_id),
        team: Some(vec![actor.id.clone()]),
        ..ProjectInput::default()
    };
    let valid = projects::validate(&input, &state.catalog, actor).map_err(ActionError::Project)?;
    let errs = projects::check_references(&mut tx, &valid, None).await?;
    if !errs.is_empty() {
        return Err(ActionError::Project(errs));
    }
    bump_version(&mut tx, Versioned::Inquiries, id, expected).await?;
    let project_id = match projects::create(
        &mut tx,
        Some(&actor.id),
        &valid,
        Stage::Qualified,
        Some(id),
    )
    .await
    {
        Ok(p) => p,
        Err(WriteError::DuplicateCodeName) => {
            return Err(ActionError::Project(vec![crate::office::Invalid::new(
                "code_name",
                "duplicate_code_name",
            )]));
        }
        Err(WriteError::Db(e)) => return Err(e.into()),
        Err(other) => return Err(ActionError::Other(anyhow::anyhow!("{other}"))),
    };
    let now = db::now();
    sqlx::query(
        "UPDATE inquiries SET status = 'qualified', project_id = $1, answered_at = COALESCE(answered_at, $2) WHERE id = $3",
    )
    .bind(&project_id)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    projects::record_event(
        &mut tx,
        &project_id,
        Some(&actor.id),
        "inquiry_qualified",
        json!({ "received": before.received_at.get(..10).unwrap_or(&before.received_at) }),
        false,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "inquiry",
        entity_id: id,
        action: "qualify",
        changes: Changes::new()
            .field("status", before.status.as_str(), "qualified")
            .created("project_id", project_id.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(project_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_code_is_in_both_catalogues() {
        let i18n = std::sync::Arc::new(crate::i18n::I18n::load().unwrap());
        let codes = [
            "required",
            "too_long",
            "control_chars",
            "invalid_email",
            "invalid_phone",
            "unknown_cnae",
            "out_of_range",
            "not_a_number",
            "whole_number",
            "consent_required",
            "invalid_choice",
            "not_staff",
            "not_open",
        ];
        for lang in Lang::ALL {
            let tr = crate::i18n::Tr::new(i18n.clone(), lang);
            for code in codes {
                let m = Invalid::with("x", code, "v").message(&tr);
                assert!(!m.starts_with("office-inq-err-"), "{code} in {lang:?}");
            }
            for s in STATUSES {
                let key = format!("office-inq-status-{s}");
                assert_ne!(tr.t(&key), key);
            }
            let event = tr.t1("office-event-inquiry_qualified", "received", "2026-12-01");
            assert!(
                event.contains("2026-12-01") && !event.starts_with("office-"),
                "{event}"
            );
        }
    }

    #[test]
    fn cursors_read_back() {
        let a = After::parse("0|2026-12-01T09:00:00.000000Z|0193a").unwrap();
        assert!(a.open);
        assert_eq!(a.received_at, "2026-12-01T09:00:00.000000Z");
        assert_eq!(a.id, "0193a");
        assert!(After::parse("2|x|y").is_none());
        assert!(After::parse("0|x").is_none());
        assert!(After::parse("1||y").is_none());
    }

    #[test]
    fn the_clock_stops_at_the_answer() {
        let c = clock_of(
            "2026-12-01T09:00:00.000000Z",
            Some("2026-12-01T10:30:00.000000Z"),
            48,
        );
        assert_eq!(c.elapsed_seconds, 5400);
        assert!(c.stopped && !c.late);
        let late = clock_of("2020-01-01T00:00:00.000000Z", None, 48);
        assert!(late.late && !late.stopped);
    }
}
