//! Investor projects: the record, its validation, and its storage — creation,
//! changes, stage moves with the stage history, the team, and the timeline every
//! part of the Office writes to ([`record_event`]).

use besaya_domain::directory::{format_date, normalize_cnae, parse_date};
use besaya_domain::office::{self, Stage};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AnyPool, FromRow};
use utoipa::ToSchema;

use super::Invalid;
use super::policy::{self, Access, Case};
use crate::auth::User;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, OptF64, VersionConflict};
use crate::reference::Catalog;
use crate::sites::api::MatchRequest;
use crate::web::invalid::text;

/// An investor project as stored, with its owner's name and team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Project {
    pub id: String,
    /// The name used everywhere the investor must not be named.
    pub code_name: String,
    /// The investor organisation (`null` for users who may not see it, or not yet known).
    pub investor_org_id: Option<String>,
    pub investor_name: Option<String>,
    /// CNAE code of the activity (section letter or 2–4 digits).
    pub cnae_code: Option<String>,
    pub description: String,
    /// The site requirements, as the body of `POST /api/v1/sites/match`.
    #[schema(value_type = Object)]
    pub requirements: Value,
    pub investment_committed_eur: Option<f64>,
    pub investment_verified_eur: Option<f64>,
    pub investment_verified_on: Option<String>,
    /// The project document that proves the verified investment.
    pub investment_evidence_doc_id: Option<String>,
    pub jobs_committed: Option<i64>,
    pub jobs_verified: Option<i64>,
    pub jobs_verified_on: Option<String>,
    pub jobs_evidence_doc_id: Option<String>,
    pub owner_id: String,
    pub owner_name: String,
    /// Staff assigned besides the owner.
    pub team: Vec<String>,
    pub confidential: bool,
    #[schema(value_type = String, example = "site_search")]
    pub stage: Stage,
    /// When the project entered its stage.
    pub stage_since: String,
    /// The active stage a project on hold or lost came from.
    #[schema(value_type = Option<String>)]
    pub held_from: Option<Stage>,
    /// Why it is on hold or lost.
    pub stage_reason: Option<String>,
    pub inquiry_id: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Project {
    pub fn case(&self) -> Case<'_> {
        Case {
            owner_id: &self.owner_id,
            team: &self.team,
            confidential: self.confidential,
            investor_org_id: self.investor_org_id.as_deref(),
        }
    }

    /// The stages the project may move to now.
    pub fn allowed_moves(&self) -> Vec<Stage> {
        office::allowed_moves(self.stage, self.held_from)
    }

    /// The name to show: the investor's for those who may see it, else the code name.
    pub fn title(&self, access: Access) -> &str {
        match (&self.investor_name, access.see_investor) {
            (Some(n), true) => n,
            _ => &self.code_name,
        }
    }

    /// The project as `access` may see it: without the investor and the
    /// evidence for staff outside a confidential project.
    pub fn seen_with(mut self, access: Access) -> Self {
        if !access.see_investor {
            self.investor_org_id = None;
            self.investor_name = None;
            self.description = String::new();
            self.investment_evidence_doc_id = None;
            self.jobs_evidence_doc_id = None;
        }
        self
    }

    /// The requirements as the matching request.
    pub fn match_request(&self) -> MatchRequest {
        serde_json::from_value(self.requirements.clone()).unwrap_or_default()
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    code_name: String,
    investor_org_id: Option<String>,
    investor_name: Option<String>,
    cnae_code: Option<String>,
    description: String,
    requirements: String,
    investment_committed_eur: Option<f64>,
    investment_verified_eur: Option<f64>,
    investment_verified_on: Option<String>,
    investment_evidence_doc_id: Option<String>,
    jobs_committed: Option<i64>,
    jobs_verified: Option<i64>,
    jobs_verified_on: Option<String>,
    jobs_evidence_doc_id: Option<String>,
    owner_id: String,
    owner_name: String,
    confidential: i64,
    stage: String,
    stage_since: String,
    held_from: Option<String>,
    stage_reason: Option<String>,
    inquiry_id: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl Row {
    fn into_project(self, team: Vec<String>) -> Project {
        Project {
            id: self.id,
            code_name: self.code_name,
            investor_org_id: self.investor_org_id,
            investor_name: self.investor_name,
            cnae_code: self.cnae_code,
            description: self.description,
            requirements: serde_json::from_str(&self.requirements).unwrap_or_else(|_| json!({})),
            investment_committed_eur: self.investment_committed_eur,
            investment_verified_eur: self.investment_verified_eur,
            investment_verified_on: self.investment_verified_on,
            investment_evidence_doc_id: self.investment_evidence_doc_id,
            jobs_committed: self.jobs_committed,
            jobs_verified: self.jobs_verified,
            jobs_verified_on: self.jobs_verified_on,
            jobs_evidence_doc_id: self.jobs_evidence_doc_id,
            owner_id: self.owner_id,
            owner_name: self.owner_name,
            team,
            confidential: self.confidential != 0,
            stage: Stage::parse(&self.stage).unwrap_or(Stage::Inquiry),
            stage_since: self.stage_since,
            held_from: self.held_from.as_deref().and_then(Stage::parse),
            stage_reason: self.stage_reason,
            inquiry_id: self.inquiry_id,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The columns of [`Row`], for `FROM projects p JOIN users u ON u.id = p.owner_id
/// LEFT JOIN organizations o ON o.id = p.investor_org_id`.
pub const SELECT: &str = "SELECT p.id, p.code_name, p.investor_org_id, o.name AS investor_name, p.cnae_code, \
     p.description, p.requirements, p.investment_committed_eur, p.investment_verified_eur, \
     p.investment_verified_on, p.investment_evidence_doc_id, p.jobs_committed, p.jobs_verified, \
     p.jobs_verified_on, p.jobs_evidence_doc_id, p.owner_id, u.name AS owner_name, p.confidential, \
     p.stage, p.stage_since, p.held_from, p.stage_reason, p.inquiry_id, p.version, p.created_at, p.updated_at \
     FROM projects p JOIN users u ON u.id = p.owner_id LEFT JOIN organizations o ON o.id = p.investor_org_id";

/// A project by id, whoever asks.
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Project>, sqlx::Error> {
    // Ids are UUIDs: anything else (a NUL byte, which PostgreSQL refuses) is simply not found.
    if !looks_like_id(id) {
        return Ok(None);
    }
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => {
            let team = team_of(&mut *conn, &r.id).await?;
            Ok(Some(r.into_project(team)))
        }
        None => Ok(None),
    }
}

/// Whether `id` could be one of our ids (UUIDs, or anything made of letters,
/// digits and hyphens, at most 64 characters).
pub fn looks_like_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A project as `user` may see it, with what the user may do; `None` when it
/// does not exist or the user must not know it does (answer 404 either way).
pub async fn visible(
    pool: &AnyPool,
    user: &User,
    id: &str,
) -> Result<Option<(Project, Access)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let Some(p) = get(&mut conn, id).await? else {
        return Ok(None);
    };
    Ok(policy::access(user, &p.case()).map(|a| (p.seen_with(a), a)))
}

/// The projects matching a filter with the raw rows (access is the caller's:
/// see [`list`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    pub stage: Option<Stage>,
    pub owner_id: Option<String>,
    /// Words of the code name (and of the investor's name for those who may see it).
    pub q: Option<String>,
    /// Only the projects the user owns or is on the team of.
    pub mine: bool,
}

/// Projects visible to `user` matching `filter`, newest stage move first, at most
/// `limit` after the cursor `after` (`stage_since|id` of the last one seen).
pub async fn list(
    pool: &AnyPool,
    user: &User,
    filter: &Filter,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<(Project, Access)>, sqlx::Error> {
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE 1 = 1");
    if policy::is_investor(user) {
        if user.organization_ids.is_empty() {
            return Ok(Vec::new());
        }
        sql.push(" AND p.investor_org_id IN (");
        for (i, o) in user.organization_ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(o.clone());
        }
        sql.push(")");
    } else if !policy::is_office(user) {
        return Ok(Vec::new());
    }
    if let Some(s) = filter.stage {
        sql.push(" AND p.stage = ").bind(s.as_str().to_owned());
    }
    if let Some(o) = &filter.owner_id {
        sql.push(" AND p.owner_id = ").bind(o.clone());
    }
    if filter.mine {
        sql.push(" AND (p.owner_id = ")
            .bind(user.id.clone())
            .push(" OR EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = p.id AND t.user_id = ")
            .bind(user.id.clone())
            .push("))");
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = format!("%{}%", db::like_escape(&q.to_lowercase()));
        sql.push(" AND (LOWER(p.code_name) LIKE ")
            .bind(like.clone())
            .push(" ESCAPE '\\' OR (LOWER(COALESCE(o.name, '')) LIKE ")
            .bind(like)
            .push(" ESCAPE '\\'");
        // The investor's name is searched only where the user may see it.
        if !user.is_admin() && !policy::is_investor(user) {
            sql.push(" AND (p.confidential = 0 OR p.owner_id = ")
                .bind(user.id.clone())
                .push(" OR EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = p.id AND t.user_id = ")
                .bind(user.id.clone())
                .push("))");
        }
        sql.push("))");
    }
    if let Some((since, id)) = after {
        sql.push(" AND (p.stage_since < ")
            .bind(since.to_owned())
            .push(" OR (p.stage_since = ")
            .bind(since.to_owned())
            .push(" AND p.id < ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY p.stage_since DESC, p.id DESC LIMIT ")
        .bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    let teams = teams_of(pool, rows.iter().map(|r| r.id.as_str())).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let team = teams.get(&r.id).cloned().unwrap_or_default();
            let p = r.into_project(team);
            policy::access(user, &p.case()).map(|a| (p.seen_with(a), a))
        })
        .collect())
}

async fn team_of(conn: &mut AnyConnection, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM project_team WHERE project_id = $1 ORDER BY user_id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// The teams of several projects at once.
pub async fn teams_of<'a>(
    pool: &AnyPool,
    ids: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, Vec<String>>, sqlx::Error> {
    let ids: Vec<&str> = ids.collect();
    let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
    for chunk in ids.chunks(500) {
        let mut sql =
            db::Sql::new("SELECT project_id, user_id FROM project_team WHERE project_id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind((*id).to_owned());
        }
        sql.push(") ORDER BY user_id");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, String)> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
        for (p, u) in rows {
            out.entry(p).or_default().push(u);
        }
    }
    Ok(out)
}

// ---- Input and validation ----

/// The fields of a project, as the API and the forms send them. On `PATCH` the
/// current record is merged with the patch (RFC 7386) and validated whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    /// 2–80 characters, unique. Left empty, the platform gives the next `P-YYYY-NNN`.
    pub code_name: Option<String>,
    pub investor_org_id: Option<String>,
    pub cnae_code: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<MatchRequest>,
    pub investment_committed_eur: Option<f64>,
    pub investment_verified_eur: Option<f64>,
    /// `YYYY-MM-DD`; required with a verified amount.
    pub investment_verified_on: Option<String>,
    pub investment_evidence_doc_id: Option<String>,
    pub jobs_committed: Option<i64>,
    pub jobs_verified: Option<i64>,
    /// `YYYY-MM-DD`; required with verified jobs.
    pub jobs_verified_on: Option<String>,
    pub jobs_evidence_doc_id: Option<String>,
    /// A staff user (default: whoever creates it).
    pub owner_id: Option<String>,
    /// Staff users assigned besides the owner.
    pub team: Option<Vec<String>>,
    /// Default true: only the owner, the team and the administrator see the investor.
    pub confidential: Option<bool>,
}

impl From<&Project> for ProjectInput {
    fn from(p: &Project) -> Self {
        Self {
            code_name: Some(p.code_name.clone()),
            investor_org_id: p.investor_org_id.clone(),
            cnae_code: p.cnae_code.clone(),
            description: Some(p.description.clone()),
            requirements: Some(p.match_request()),
            investment_committed_eur: p.investment_committed_eur,
            investment_verified_eur: p.investment_verified_eur,
            investment_verified_on: p.investment_verified_on.clone(),
            investment_evidence_doc_id: p.investment_evidence_doc_id.clone(),
            jobs_committed: p.jobs_committed,
            jobs_verified: p.jobs_verified,
            jobs_verified_on: p.jobs_verified_on.clone(),
            jobs_evidence_doc_id: p.jobs_evidence_doc_id.clone(),
            owner_id: Some(p.owner_id.clone()),
            team: Some(p.team.clone()),
            confidential: Some(p.confidential),
        }
    }
}

/// A project's fields once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProject {
    pub code_name: Option<String>,
    pub investor_org_id: Option<String>,
    pub cnae_code: Option<String>,
    pub description: String,
    /// The requirements as JSON (validated by the sites' matching rules).
    pub requirements: String,
    pub investment_committed_eur: Option<f64>,
    pub investment_verified_eur: Option<f64>,
    pub investment_verified_on: Option<String>,
    pub investment_evidence_doc_id: Option<String>,
    pub jobs_committed: Option<i64>,
    pub jobs_verified: Option<i64>,
    pub jobs_verified_on: Option<String>,
    pub jobs_evidence_doc_id: Option<String>,
    pub owner_id: String,
    pub team: Vec<String>,
    pub confidential: bool,
}

/// Largest amount accepted (€): ten billion.
const MAX_EUR: f64 = 1e10;
const MAX_JOBS: i64 = 1_000_000;

/// Checks the fields that need no database; `actor` is the default owner.
pub fn validate(
    input: &ProjectInput,
    catalog: &Catalog,
    actor: &User,
) -> Result<ValidProject, Vec<Invalid>> {
    let mut e: Vec<Invalid> = Vec::new();
    let code_name = text(&mut e, "code_name", input.code_name.as_deref(), 80, false);
    if code_name.as_ref().is_some_and(|c| c.chars().count() < 2) {
        e.push(Invalid::with("code_name", "too_short", "2"));
    }
    let id = |e: &mut Vec<Invalid>, field: &str, v: Option<&str>| -> Option<String> {
        let v = v.map(str::trim).filter(|s| !s.is_empty())?;
        if v.len() > 64 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            e.push(Invalid::with(
                field,
                "unknown_reference",
                v.chars().take(64).collect::<String>(),
            ));
            return None;
        }
        Some(v.to_owned())
    };
    let investor_org_id = id(&mut e, "investor_org_id", input.investor_org_id.as_deref());
    let cnae_code = match input
        .cnae_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => match normalize_cnae(raw) {
            Some(code)
                if ["2025", "2009"]
                    .iter()
                    .filter_map(|v| crate::reference::catalog::cnae_version(v))
                    .any(|v| catalog.cnae(v, &code).is_some()) =>
            {
                Some(code)
            }
            _ => {
                e.push(Invalid::with(
                    "cnae_code",
                    "unknown_cnae",
                    raw.chars().take(20).collect::<String>(),
                ));
                None
            }
        },
    };
    let description = text(
        &mut e,
        "description",
        input.description.as_deref(),
        10_000,
        true,
    )
    .unwrap_or_default();
    let requirements = match &input.requirements {
        None => "{}".to_owned(),
        Some(r) => {
            let mut r = r.clone();
            r.include_incomplete = None;
            r.limit = None;
            match crate::sites::api::requirements(&r, catalog) {
                Ok(_) => serde_json::to_string(&r).unwrap_or_else(|_| "{}".into()),
                Err(errs) => {
                    // The matching's own codes (figure_range, range_inverted,
                    // invalid_use, invalid_date, unknown_municipality, required),
                    // each with its message under office-err-.
                    for err in errs {
                        let field = format!("requirements.{}", err.field);
                        e.push(match &err.value {
                            Some(v) => Invalid::with(&field, err.code, v.clone()),
                            None => Invalid::new(&field, err.code),
                        });
                    }
                    "{}".to_owned()
                }
            }
        }
    };
    let eur = |e: &mut Vec<Invalid>, field: &str, v: Option<f64>| -> Option<f64> {
        let v = v?;
        if !v.is_finite() || !(0.0..=MAX_EUR).contains(&v) {
            e.push(Invalid::with(field, "out_of_range", "0–10 000 000 000"));
            return None;
        }
        Some(v)
    };
    let jobs = |e: &mut Vec<Invalid>, field: &str, v: Option<i64>| -> Option<i64> {
        let v = v?;
        if !(0..=MAX_JOBS).contains(&v) {
            e.push(Invalid::with(field, "out_of_range", "0–1 000 000"));
            return None;
        }
        Some(v)
    };
    let today = time::OffsetDateTime::now_utc().date();
    let day = |e: &mut Vec<Invalid>, field: &str, v: Option<&str>| -> Option<String> {
        let v = v.map(str::trim).filter(|s| !s.is_empty())?;
        match parse_date(v) {
            Some(d) if d > today => {
                e.push(Invalid::new(field, "date_in_future"));
                None
            }
            Some(d) => Some(format_date(d)),
            None => {
                e.push(Invalid::with(
                    field,
                    "invalid_date",
                    v.chars().take(20).collect::<String>(),
                ));
                None
            }
        }
    };
    let investment_committed_eur = eur(
        &mut e,
        "investment_committed_eur",
        input.investment_committed_eur,
    );
    let investment_verified_eur = eur(
        &mut e,
        "investment_verified_eur",
        input.investment_verified_eur,
    );
    let investment_verified_on = day(
        &mut e,
        "investment_verified_on",
        input.investment_verified_on.as_deref(),
    );
    if input.investment_verified_eur.is_some()
        && input
            .investment_verified_on
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        e.push(Invalid::new(
            "investment_verified_on",
            "verified_needs_date",
        ));
    }
    let investment_evidence_doc_id = id(
        &mut e,
        "investment_evidence_doc_id",
        input.investment_evidence_doc_id.as_deref(),
    );
    let jobs_committed = jobs(&mut e, "jobs_committed", input.jobs_committed);
    let jobs_verified = jobs(&mut e, "jobs_verified", input.jobs_verified);
    let jobs_verified_on = day(
        &mut e,
        "jobs_verified_on",
        input.jobs_verified_on.as_deref(),
    );
    if input.jobs_verified.is_some()
        && input
            .jobs_verified_on
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        e.push(Invalid::new("jobs_verified_on", "verified_needs_date"));
    }
    let jobs_evidence_doc_id = id(
        &mut e,
        "jobs_evidence_doc_id",
        input.jobs_evidence_doc_id.as_deref(),
    );
    let owner_id =
        id(&mut e, "owner_id", input.owner_id.as_deref()).unwrap_or_else(|| actor.id.clone());
    let mut team = Vec::new();
    let raw_team = input.team.as_deref().unwrap_or_default();
    if raw_team.len() > 20 {
        e.push(Invalid::with("team", "too_many", "20"));
    } else {
        for (i, t) in raw_team.iter().enumerate() {
            if let Some(t) = id(&mut e, &format!("team[{i}]"), Some(t))
                && t != owner_id
                && !team.contains(&t)
            {
                team.push(t);
            }
        }
    }
    team.sort();
    if e.is_empty() {
        Ok(ValidProject {
            code_name,
            investor_org_id,
            cnae_code,
            description,
            requirements,
            investment_committed_eur,
            investment_verified_eur,
            investment_verified_on,
            investment_evidence_doc_id,
            jobs_committed,
            jobs_verified,
            jobs_verified_on,
            jobs_evidence_doc_id,
            owner_id,
            team,
            confidential: input.confidential.unwrap_or(true),
        })
    } else {
        Err(e)
    }
}

/// Checks the references of a valid project against the database: the investor
/// organisation exists, the owner and team are active office users, the evidence
/// documents belong to the project (`project_id`, `None` on creation) and hold a file.
pub async fn check_references(
    conn: &mut AnyConnection,
    v: &ValidProject,
    project_id: Option<&str>,
) -> Result<Vec<Invalid>, sqlx::Error> {
    let mut e = Vec::new();
    if let Some(org) = &v.investor_org_id {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            e.push(Invalid::with(
                "investor_org_id",
                "unknown_reference",
                org.clone(),
            ));
        }
    }
    let staff = |id: &str| {
        sqlx::query_scalar::<_, String>(
            "SELECT id FROM users WHERE id = $1 AND active = 1 AND role IN ('admin', 'staff')",
        )
        .bind(id.to_owned())
    };
    if staff(&v.owner_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_none()
    {
        e.push(Invalid::with("owner_id", "not_staff", v.owner_id.clone()));
    }
    for (i, t) in v.team.iter().enumerate() {
        if staff(t).fetch_optional(&mut *conn).await?.is_none() {
            e.push(Invalid::with(&format!("team[{i}]"), "not_staff", t.clone()));
        }
    }
    for (field, doc) in [
        ("investment_evidence_doc_id", &v.investment_evidence_doc_id),
        ("jobs_evidence_doc_id", &v.jobs_evidence_doc_id),
    ] {
        if let Some(doc) = doc {
            let ok: Option<String> = sqlx::query_scalar(
                "SELECT id FROM project_documents WHERE id = $1 AND project_id = $2 AND file_id IS NOT NULL",
            )
            .bind(doc)
            .bind(project_id.unwrap_or(""))
            .fetch_optional(&mut *conn)
            .await?;
            if ok.is_none() {
                e.push(Invalid::with(field, "unknown_document", doc.clone()));
            }
        }
    }
    Ok(e)
}

// ---- Writes ----

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("another project has this code name")]
    DuplicateCodeName,
    #[error("invalid references")]
    Invalid(Vec<Invalid>),
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("the record does not exist")]
    NotFound,
    #[error("a project cannot move from {from} to {to}")]
    Transition {
        from: Stage,
        to: Stage,
        allowed: Vec<Stage>,
    },
    #[error("moving to {0} needs a reason")]
    ReasonRequired(Stage),
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

/// Adds an entry to a project's timeline. `kind` names the event (its message is
/// `office-event-{kind}` in the catalogues, with `detail`'s fields as arguments);
/// `for_investor` shows it on the investor portal too.
pub async fn record_event(
    conn: &mut AnyConnection,
    project_id: &str,
    actor: Option<&str>,
    kind: &str,
    detail: Value,
    for_investor: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_events (id, project_id, at, actor_id, kind, detail, for_investor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(project_id)
    .bind(db::now())
    .bind(actor)
    .bind(kind)
    .bind(detail.to_string())
    .bind(i64::from(for_investor))
    .execute(conn)
    .await?;
    Ok(())
}

/// The next free code name of the year: `P-2026-001`, `P-2026-002`...
async fn next_code_name(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    let year = time::OffsetDateTime::now_utc().year();
    let prefix = format!("P-{year}-");
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT code_name FROM projects WHERE code_name LIKE $1")
            .bind(format!("{prefix}%"))
            .fetch_all(&mut *conn)
            .await?;
    let max = taken
        .iter()
        .filter_map(|c| c.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{prefix}{:03}", max + 1))
}

async fn write_team(
    conn: &mut AnyConnection,
    id: &str,
    team: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM project_team WHERE project_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for u in team {
        sqlx::query("INSERT INTO project_team (project_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A field of a project as JSON, for the audit log.
type FieldValue = fn(&ValidProject) -> Value;

fn changes(before: Option<&ValidProject>, after: &ValidProject, code_name: &str) -> Changes {
    let b = |f: FieldValue| before.map_or(Value::Null, f);
    let fields: [(&str, FieldValue); 15] = [
        ("investor_org_id", |v| json!(v.investor_org_id)),
        ("cnae_code", |v| json!(v.cnae_code)),
        ("description", |v| json!(v.description)),
        ("requirements", |v| json!(v.requirements)),
        ("investment_committed_eur", |v| {
            json!(v.investment_committed_eur)
        }),
        ("investment_verified_eur", |v| {
            json!(v.investment_verified_eur)
        }),
        ("investment_verified_on", |v| {
            json!(v.investment_verified_on)
        }),
        ("investment_evidence_doc_id", |v| {
            json!(v.investment_evidence_doc_id)
        }),
        ("jobs_committed", |v| json!(v.jobs_committed)),
        ("jobs_verified", |v| json!(v.jobs_verified)),
        ("jobs_verified_on", |v| json!(v.jobs_verified_on)),
        ("jobs_evidence_doc_id", |v| json!(v.jobs_evidence_doc_id)),
        ("owner_id", |v| json!(v.owner_id)),
        ("team", |v| json!(v.team)),
        ("confidential", |v| json!(v.confidential)),
    ];
    let mut c = Changes::new().field(
        "code_name",
        before.map_or(Value::Null, |v| json!(v.code_name)),
        json!(code_name),
    );
    for (name, get) in fields {
        c = c.field(name, b(get), get(after));
    }
    c
}

/// Creates a project in `stage` (`inquiry` or `qualified`), with its first stage
/// stay and timeline entry. Returns its id. References must have been checked
/// ([`check_references`]).
pub async fn create(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    v: &ValidProject,
    stage: Stage,
    inquiry_id: Option<&str>,
) -> Result<String, WriteError> {
    let id = db::new_id();
    let now = db::now();
    let code_name = match &v.code_name {
        Some(c) => c.clone(),
        None => next_code_name(&mut *conn).await?,
    };
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM projects WHERE LOWER(code_name) = LOWER($1)")
            .bind(&code_name)
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some() {
        return Err(WriteError::DuplicateCodeName);
    }
    let done = sqlx::query(
        "INSERT INTO projects (id, code_name, investor_org_id, cnae_code, description, requirements, \
         investment_committed_eur, investment_verified_eur, investment_verified_on, investment_evidence_doc_id, \
         jobs_committed, jobs_verified, jobs_verified_on, jobs_evidence_doc_id, owner_id, confidential, \
         stage, stage_since, inquiry_id, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $18, $18)",
    )
    .bind(&id)
    .bind(&code_name)
    .bind(&v.investor_org_id)
    .bind(&v.cnae_code)
    .bind(&v.description)
    .bind(&v.requirements)
    .bind(OptF64(v.investment_committed_eur))
    .bind(OptF64(v.investment_verified_eur))
    .bind(&v.investment_verified_on)
    .bind(&v.investment_evidence_doc_id)
    .bind(v.jobs_committed)
    .bind(v.jobs_verified)
    .bind(&v.jobs_verified_on)
    .bind(&v.jobs_evidence_doc_id)
    .bind(&v.owner_id)
    .bind(i64::from(v.confidential))
    .bind(stage.as_str())
    .bind(&now)
    .bind(inquiry_id)
    .execute(&mut *conn)
    .await;
    match done {
        Err(e) if db::is_unique_violation(&e) => return Err(WriteError::DuplicateCodeName),
        other => {
            other?;
        }
    }
    write_team(&mut *conn, &id, &v.team).await?;
    sqlx::query(
        "INSERT INTO project_stages (id, project_id, stage, entered_at, actor_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(db::new_id())
    .bind(&id)
    .bind(stage.as_str())
    .bind(&now)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    record_event(
        &mut *conn,
        &id,
        actor,
        "created",
        json!({ "stage": stage.as_str() }),
        true,
    )
    .await?;
    Audit {
        actor,
        entity: "project",
        entity_id: &id,
        action: "create",
        changes: changes(None, v, &code_name).created("stage", stage.as_str()),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes a project's fields (not its stage: see [`transition`]) from version `expected`.
pub async fn update(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    expected: i64,
    v: &ValidProject,
) -> Result<i64, WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    let version = bump_version(&mut *conn, Versioned::Projects, id, expected).await?;
    let code_name = v
        .code_name
        .clone()
        .unwrap_or_else(|| before.code_name.clone());
    let taken: Option<String> = sqlx::query_scalar(
        "SELECT id FROM projects WHERE LOWER(code_name) = LOWER($1) AND id <> $2",
    )
    .bind(&code_name)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Err(WriteError::DuplicateCodeName);
    }
    let done = sqlx::query(
        "UPDATE projects SET code_name = $1, investor_org_id = $2, cnae_code = $3, description = $4, requirements = $5, \
         investment_committed_eur = $6, investment_verified_eur = $7, investment_verified_on = $8, investment_evidence_doc_id = $9, \
         jobs_committed = $10, jobs_verified = $11, jobs_verified_on = $12, jobs_evidence_doc_id = $13, owner_id = $14, \
         confidential = $15 WHERE id = $16",
    )
    .bind(&code_name)
    .bind(&v.investor_org_id)
    .bind(&v.cnae_code)
    .bind(&v.description)
    .bind(&v.requirements)
    .bind(OptF64(v.investment_committed_eur))
    .bind(OptF64(v.investment_verified_eur))
    .bind(&v.investment_verified_on)
    .bind(&v.investment_evidence_doc_id)
    .bind(v.jobs_committed)
    .bind(v.jobs_verified)
    .bind(&v.jobs_verified_on)
    .bind(&v.jobs_evidence_doc_id)
    .bind(&v.owner_id)
    .bind(i64::from(v.confidential))
    .bind(id)
    .execute(&mut *conn)
    .await;
    match done {
        Err(e) if db::is_unique_violation(&e) => return Err(WriteError::DuplicateCodeName),
        other => {
            other?;
        }
    }
    write_team(&mut *conn, id, &v.team).await?;
    let old = ValidProject {
        code_name: Some(before.code_name.clone()),
        investor_org_id: before.investor_org_id.clone(),
        cnae_code: before.cnae_code.clone(),
        description: before.description.clone(),
        requirements: serde_json::to_string(&before.requirements).unwrap_or_default(),
        investment_committed_eur: before.investment_committed_eur,
        investment_verified_eur: before.investment_verified_eur,
        investment_verified_on: before.investment_verified_on.clone(),
        investment_evidence_doc_id: before.investment_evidence_doc_id.clone(),
        jobs_committed: before.jobs_committed,
        jobs_verified: before.jobs_verified,
        jobs_verified_on: before.jobs_verified_on.clone(),
        jobs_evidence_doc_id: before.jobs_evidence_doc_id.clone(),
        owner_id: before.owner_id.clone(),
        team: before.team.clone(),
        confidential: before.confidential,
    };
    let c = changes(Some(&old), v, &code_name);
    if !c.is_empty() {
        let fields: Vec<String> = match serde_json::from_str::<Value>(&c.to_json()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        record_event(
            &mut *conn,
            id,
            actor,
            "updated",
            json!({ "fields": fields.join(", ") }),
            false,
        )
        .await?;
    }
    Audit {
        actor,
        entity: "project",
        entity_id: id,
        action: "update",
        changes: c,
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Moves a project to `to` from version `expected`, closing its stay in the
/// current stage. A reason is required for on hold and lost.
pub async fn transition(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    expected: i64,
    to: Stage,
    reason: Option<&str>,
) -> Result<i64, WriteError> {
    let row: Option<(String, Option<String>, i64)> =
        sqlx::query_as("SELECT stage, held_from, version FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (stage, held, current) = row.ok_or(WriteError::NotFound)?;
    if current != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(current),
        }));
    }
    let from = Stage::parse(&stage).unwrap_or(Stage::Inquiry);
    let held = held.as_deref().and_then(Stage::parse);
    if !office::can_move(from, held, to) {
        return Err(WriteError::Transition {
            from,
            to,
            allowed: office::allowed_moves(from, held),
        });
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if to.needs_reason() && reason.is_none() {
        return Err(WriteError::ReasonRequired(to));
    }
    let version = bump_version(&mut *conn, Versioned::Projects, id, expected).await?;
    let now = db::now();
    let held_after = office::held_from_after(from, held, to);
    sqlx::query(
        "UPDATE projects SET stage = $1, stage_since = $2, held_from = $3, stage_reason = $4 WHERE id = $5",
    )
    .bind(to.as_str())
    .bind(&now)
    .bind(held_after.map(Stage::as_str))
    .bind(if to.needs_reason() { reason } else { None })
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE project_stages SET left_at = $1 WHERE project_id = $2 AND left_at IS NULL")
        .bind(&now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO project_stages (id, project_id, stage, entered_at, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(db::new_id())
    .bind(id)
    .bind(to.as_str())
    .bind(&now)
    .bind(actor)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    record_event(
        &mut *conn,
        id,
        actor,
        "stage",
        json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason.unwrap_or("") }),
        true,
    )
    .await?;
    Audit {
        actor,
        entity: "project",
        entity_id: id,
        action: "transition",
        changes: Changes::new()
            .field("stage", from.as_str(), to.as_str())
            .field("stage_reason", Value::Null, json!(reason)),
    }
    .record(conn)
    .await?;
    Ok(version)
}

// ---- Reading the history ----

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct Event {
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// `created`, `updated`, `stage`, `interaction`, `task`, `proposal`, `feedback`,
    /// `document_requested`, `document_uploaded`, `message`, ...
    pub kind: String,
    /// Parameters of the event (JSON object as text).
    pub detail: String,
    #[serde(skip)]
    pub for_investor: i64,
}

/// The timeline of a project, newest first (only what the investor sees when `investor`).
pub async fn timeline(
    pool: &AnyPool,
    project_id: &str,
    investor: bool,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.at, e.actor_id, u.name AS actor_name, e.kind, e.detail, e.for_investor \
         FROM project_events e LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.project_id = $1 AND (e.for_investor = 1 OR $2 = 0) ORDER BY e.at DESC, e.id DESC LIMIT $3",
    )
    .bind(project_id)
    .bind(i64::from(investor))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// One stay of a project in a stage.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct StageStay {
    pub stage: String,
    pub entered_at: String,
    /// `null` while the project is still there.
    pub left_at: Option<String>,
    pub reason: Option<String>,
}

/// The stages a project went through, oldest first.
pub async fn stage_history(
    pool: &AnyPool,
    project_id: &str,
) -> Result<Vec<StageStay>, sqlx::Error> {
    sqlx::query_as(
        "SELECT stage, entered_at, left_at, reason FROM project_stages WHERE project_id = $1 ORDER BY entered_at, id",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}
