//! Site proposals: the office runs the sites matching with a project's
//! requirements, proposes published sites to the investor, and the investor
//! tells it, per site, whether it is interested, wants a visit or is not
//! interested.
//!
//! - Staff tab `/office/projects/{id}/sites`: the requirements, the ranked sites
//!   with each criterion's pass / fail / unknown and why (the public matching's
//!   own ranking and phrasing), a "propose" form per site, a form to propose any
//!   other published site (a site that fails a required criterion is left out of
//!   the ranking, but the office may still propose it knowingly), and the
//!   proposals with the investor's feedback and a withdraw button. Staff who may
//!   not change the project see it read-only.
//! - Investor tab `/portal/projects/{id}/sites`: the proposed sites that are not
//!   withdrawn, with their key facts, links to the public page and the printable
//!   sheet, the office's note, and a feedback form per site (changeable).
//! - API under `/api/v1/projects/{id}/proposals`.
//!
//! Only published sites may be proposed: the investor must be able to open the
//! site's public page. A withdrawn proposal keeps its row; proposing the same
//! site again brings it back (with its feedback cleared, as the proposal is new).
//! Staff who may not see a confidential project's investor do not see who gave
//! the feedback nor the comment (it may name the investor).

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::sites::matching::{
    self, Importance, Outcome, Requirements, SiteFacts, Status, Wanted,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyConnection, FromRow};
use utoipa::{OpenApi, ToSchema};

use super::policy::{self, Access};
use super::projects::{self, Project};
use super::{Invalid, invalid};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, Page, PageQuery, Paging};
use crate::auth::csrf::CsrfForm;
use crate::auth::{ApiUser, SignedIn, User};
use crate::db::in_tx;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, VersionConflict};
use crate::i18n::{I18n, Lang, Tr};
use crate::mail::Body;
use crate::sites::catalogue::Snapshot;
use crate::sites::model::Site;
use crate::sites::pages::{self as site_pages, Card, CheckView, Fmt, ResultView};
use crate::web::form::FormErrors;
use crate::web::invalid::text;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Longest note of the office and comment of the investor.
pub const NOTE_MAX: usize = 2000;
/// Ranked sites shown on the staff tab.
const RANKED_MAX: usize = 30;

// ---- The record ----

/// What the investor thinks of a proposed site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Feedback {
    Interested,
    VisitRequested,
    NotInterested,
}

impl Feedback {
    pub const ALL: [Self; 3] = [Self::Interested, Self::VisitRequested, Self::NotInterested];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interested => "interested",
            Self::VisitRequested => "visit_requested",
            Self::NotInterested => "not_interested",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

/// A site proposed to the investor of a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub id: String,
    pub project_id: String,
    pub site_id: String,
    /// The site's name, as the catalogue has it now.
    pub site_name: String,
    pub site_reference: Option<String>,
    /// Whether the site is still in the public catalogue.
    pub site_published: bool,
    /// The site's public page and printable sheet (`null` once it is unpublished).
    pub site_url: Option<String>,
    pub sheet_url: Option<String>,
    /// The office's note to the investor (empty when none).
    pub note: String,
    pub proposed_by: Option<String>,
    pub proposed_by_name: Option<String>,
    pub proposed_at: String,
    /// The investor's feedback, `null` until given.
    pub feedback: Option<Feedback>,
    /// `null` also for staff who may not see the investor of a confidential project.
    pub feedback_comment: Option<String>,
    pub feedback_by: Option<String>,
    pub feedback_by_name: Option<String>,
    pub feedback_at: Option<String>,
    /// When the office withdrew it (`null` while it stands).
    pub withdrawn_at: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Proposal {
    /// The proposal as `access` may see it.
    fn seen_with(mut self, access: Access) -> Self {
        if !access.see_investor {
            self.feedback_comment = None;
            self.feedback_by = None;
            self.feedback_by_name = None;
        }
        self
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    project_id: String,
    site_id: String,
    site_name: String,
    site_reference: Option<String>,
    site_published: i64,
    note: String,
    proposed_by: Option<String>,
    proposed_by_name: Option<String>,
    proposed_at: String,
    feedback: Option<String>,
    feedback_comment: Option<String>,
    feedback_by: Option<String>,
    feedback_by_name: Option<String>,
    feedback_at: Option<String>,
    withdrawn_at: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl From<Row> for Proposal {
    fn from(r: Row) -> Self {
        let published = r.site_published != 0;
        Self {
            site_url: published.then(|| format!("/sites/{}", r.site_id)),
            sheet_url: published.then(|| format!("/sites/{}/sheet", r.site_id)),
            id: r.id,
            project_id: r.project_id,
            site_id: r.site_id,
            site_name: r.site_name,
            site_reference: r.site_reference,
            site_published: published,
            note: r.note,
            proposed_by: r.proposed_by,
            proposed_by_name: r.proposed_by_name,
            proposed_at: r.proposed_at,
            feedback: r.feedback.as_deref().and_then(Feedback::parse),
            feedback_comment: r.feedback_comment,
            feedback_by: r.feedback_by,
            feedback_by_name: r.feedback_by_name,
            feedback_at: r.feedback_at,
            withdrawn_at: r.withdrawn_at,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT sp.id, sp.project_id, sp.site_id, s.name AS site_name, s.reference AS site_reference, \
     s.published AS site_published, sp.note, sp.proposed_by, pu.name AS proposed_by_name, sp.proposed_at, \
     sp.feedback, sp.feedback_comment, sp.feedback_by, fu.name AS feedback_by_name, sp.feedback_at, \
     sp.withdrawn_at, sp.version, sp.created_at, sp.updated_at \
     FROM site_proposals sp JOIN sites s ON s.id = sp.site_id \
     LEFT JOIN users pu ON pu.id = sp.proposed_by LEFT JOIN users fu ON fu.id = sp.feedback_by";

/// The proposals of a project, newest first, at most `limit` after the cursor
/// `after` (`proposed_at|id` of the last one seen); withdrawn ones only when asked.
pub async fn list(
    conn: &mut AnyConnection,
    project_id: &str,
    include_withdrawn: bool,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<Proposal>, sqlx::Error> {
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE sp.project_id = ")
        .bind(project_id.to_owned());
    if !include_withdrawn {
        sql.push(" AND sp.withdrawn_at IS NULL");
    }
    if let Some((at, id)) = after {
        sql.push(" AND (sp.proposed_at < ")
            .bind(at.to_owned())
            .push(" OR (sp.proposed_at = ")
            .bind(at.to_owned())
            .push(" AND sp.id < ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY sp.proposed_at DESC, sp.id DESC LIMIT ")
        .bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args).fetch_all(conn).await?;
    Ok(rows.into_iter().map(Proposal::from).collect())
}

/// One proposal of a project.
pub async fn find(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<Proposal>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE sp.id = $1 AND sp.project_id = $2"))
            .bind(id)
            .bind(project_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(Proposal::from))
}

/// The number of standing proposals of a project (for the portal's summary).
pub async fn count_standing(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM site_proposals WHERE project_id = $1 AND withdrawn_at IS NULL",
    )
    .bind(project_id)
    .fetch_one(conn)
    .await
}

// ---- Input ----

/// A note or comment, checked: `None` when blank.
fn note_of(e: &mut Vec<Invalid>, field: &str, v: Option<&str>) -> Option<String> {
    text(e, field, v, NOTE_MAX, true)
}

/// A site id as sent: the published site of the catalogue, or the field errors.
fn proposable_site(snap: &Snapshot, field: &str, raw: &str) -> Result<Arc<Site>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Invalid::new(field, "site_required"));
    }
    let shown: String = raw.chars().take(64).collect();
    match snap.site(raw) {
        None => Err(Invalid::with(field, "unknown_site", shown)),
        Some(s) if !s.published => Err(Invalid::with(field, "site_not_published", s.name.clone())),
        Some(s) => Ok(s.clone()),
    }
}

// ---- Writes ----

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The site stands proposed already (the proposal's id).
    #[error("the site is already proposed to this project")]
    AlreadyProposed(String),
    #[error("the proposal has been withdrawn")]
    Withdrawn,
    #[error("the record does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
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

fn api_error(e: WriteError) -> ApiError {
    match e {
        WriteError::AlreadyProposed(existing_id) => ApiError::DuplicateOf {
            detail: "this site is already proposed to this project; withdraw it first to propose it again".into(),
            existing_id,
        },
        WriteError::Withdrawn => ApiError::field(
            "feedback",
            "proposal_withdrawn",
            "the office has withdrawn this proposal",
        ),
        WriteError::NotFound => ApiError::NotFound,
        WriteError::Conflict(c) => ApiError::Conflict(c),
        WriteError::Db(e) => ApiError::Internal(e.into()),
        WriteError::Other(e) => ApiError::Internal(e),
    }
}

/// Proposes a published site to a project's investor (the caller checked access
/// and that the site is published), in the caller's transaction: the proposal
/// (or a withdrawn one brought back), the timeline, the audit entry and an
/// e-mail to each active investor user of the project's organisation. Returns
/// the proposal's id.
pub async fn propose(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    project_id: &str,
    site: &Site,
    note: Option<&str>,
) -> Result<String, WriteError> {
    let project = projects::get(&mut *conn, project_id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let note = note.unwrap_or("");
    let now = db::now();
    let existing: Option<(String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT id, withdrawn_at, version, note FROM site_proposals WHERE project_id = $1 AND site_id = $2",
    )
    .bind(project_id)
    .bind(&site.id)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, action, changes) = match existing {
        Some((id, None, _, _)) => return Err(WriteError::AlreadyProposed(id)),
        Some((id, Some(withdrawn_at), version, old_note)) => {
            bump_version(&mut *conn, Versioned::SiteProposals, &id, version).await?;
            sqlx::query(
                "UPDATE site_proposals SET note = $1, proposed_by = $2, proposed_at = $3, feedback = NULL, \
                 feedback_comment = NULL, feedback_by = NULL, feedback_at = NULL, withdrawn_at = NULL WHERE id = $4",
            )
            .bind(note)
            .bind(&actor.id)
            .bind(&now)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
            let changes = Changes::new()
                .field("withdrawn_at", json!(withdrawn_at), json!(null))
                .field("note", old_note, note);
            (id, "repropose", changes)
        }
        None => {
            let id = db::new_id();
            let done = sqlx::query(
                "INSERT INTO site_proposals (id, project_id, site_id, note, proposed_by, proposed_at, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $6, $6)",
            )
            .bind(&id)
            .bind(project_id)
            .bind(&site.id)
            .bind(note)
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut *conn)
            .await;
            match done {
                Err(e) if db::is_unique_violation(&e) => {
                    return Err(WriteError::AlreadyProposed(String::new()));
                }
                other => {
                    other?;
                }
            }
            let changes = Changes::new()
                .created("project_id", project_id)
                .created("site_id", site.id.as_str())
                .created("note", note);
            (id, "create", changes)
        }
    };
    projects::record_event(
        &mut *conn,
        project_id,
        Some(&actor.id),
        "proposal",
        json!({ "site": site.name }),
        true,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "site_proposal",
        entity_id: &id,
        action,
        changes,
    }
    .record(&mut *conn)
    .await?;
    // The investor's users hear of it in their own language.
    if let Some(org) = &project.investor_org_id {
        let link = format!(
            "{}/portal/projects/{project_id}/sites",
            state.config.public_base()
        );
        let recipients: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT u.email, u.name, u.lang FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
             WHERE uo.organization_id = $1 AND u.role = 'investor' AND u.active = 1 ORDER BY u.email",
        )
        .bind(org)
        .fetch_all(&mut *conn)
        .await?;
        for (email, name, lang) in recipients {
            let m = crate::mail::compose(
                &state.i18n,
                Lang::from_code(&lang).unwrap_or_default(),
                &email,
                &name,
                crate::mail::Kind::SiteProposed(ProposedMail {
                    // The investor knows its projects by their code names, as on the portal.
                    project: &project.code_name,
                    site: &site.name,
                    note,
                    link: &link,
                }),
            )?;
            crate::mail::enqueue(&mut *conn, &m).await?;
        }
    }
    Ok(id)
}

/// Withdraws a standing proposal (from version `expected`, when given).
pub async fn withdraw(
    conn: &mut AnyConnection,
    actor: &User,
    project_id: &str,
    id: &str,
    expected: Option<i64>,
) -> Result<i64, WriteError> {
    let p = find(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if p.withdrawn_at.is_some() {
        return Err(WriteError::Withdrawn);
    }
    let version = bump_version(
        &mut *conn,
        Versioned::SiteProposals,
        id,
        expected.unwrap_or(p.version),
    )
    .await?;
    let now = db::now();
    sqlx::query("UPDATE site_proposals SET withdrawn_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    projects::record_event(
        &mut *conn,
        project_id,
        Some(&actor.id),
        "proposal_withdrawn",
        json!({ "site": p.site_name }),
        true,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "site_proposal",
        entity_id: id,
        action: "withdraw",
        changes: Changes::new().field("withdrawn_at", json!(null), json!(now)),
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// Records the investor's feedback on a standing proposal (by the investor, or
/// the office on its behalf) from version `expected`, and tells the project's
/// owner unless the owner gave it.
#[allow(clippy::too_many_arguments)]
pub async fn give_feedback(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &User,
    project_id: &str,
    id: &str,
    expected: i64,
    feedback: Feedback,
    comment: Option<&str>,
) -> Result<i64, WriteError> {
    let p = find(&mut *conn, project_id, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if p.withdrawn_at.is_some() {
        return Err(WriteError::Withdrawn);
    }
    let version = bump_version(&mut *conn, Versioned::SiteProposals, id, expected).await?;
    let now = db::now();
    sqlx::query(
        "UPDATE site_proposals SET feedback = $1, feedback_comment = $2, feedback_by = $3, feedback_at = $4 WHERE id = $5",
    )
    .bind(feedback.as_str())
    .bind(comment)
    .bind(&actor.id)
    .bind(&now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    projects::record_event(
        &mut *conn,
        project_id,
        Some(&actor.id),
        "feedback",
        json!({ "site": p.site_name, "feedback": feedback.as_str() }),
        true,
    )
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "site_proposal",
        entity_id: id,
        action: "feedback",
        changes: Changes::new()
            .field(
                "feedback",
                json!(p.feedback.map(Feedback::as_str)),
                json!(feedback.as_str()),
            )
            .field(
                "feedback_comment",
                json!(p.feedback_comment),
                json!(comment),
            ),
    }
    .record(&mut *conn)
    .await?;
    let project = projects::get(&mut *conn, project_id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if project.owner_id != actor.id {
        let owner: Option<(String, String, String)> =
            sqlx::query_as("SELECT email, name, lang FROM users WHERE id = $1 AND active = 1")
                .bind(&project.owner_id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((email, name, lang)) = owner {
            let link = format!(
                "{}/office/projects/{project_id}/sites",
                state.config.public_base()
            );
            let m = crate::mail::compose(
                &state.i18n,
                Lang::from_code(&lang).unwrap_or_default(),
                &email,
                &name,
                crate::mail::Kind::SiteFeedback(FeedbackMail {
                    // E-mail is no place for a confidential investor: the code name.
                    project: &project.code_name,
                    site: &p.site_name,
                    feedback,
                    comment: comment.unwrap_or(""),
                    by: &actor.name,
                    link: &link,
                }),
            )?;
            crate::mail::enqueue(&mut *conn, &m).await?;
        }
    }
    Ok(version)
}

// ---- E-mails ----

/// The e-mail to an investor's user: a site proposed for its project.
#[derive(Debug, Clone, Copy)]
pub struct ProposedMail<'a> {
    pub project: &'a str,
    pub site: &'a str,
    /// The office's note (empty when none).
    pub note: &'a str,
    /// The investor's tab of proposed sites.
    pub link: &'a str,
}

impl ProposedMail<'_> {
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let t = |id: &str| i18n.message(lang, id, &[]);
        let mut paragraphs = vec![i18n.message(
            lang,
            "mail-office-site-proposed-text",
            &[
                ("project", self.project.to_owned().into()),
                ("site", self.site.to_owned().into()),
            ],
        )];
        if !self.note.trim().is_empty() {
            paragraphs.push(i18n.message(
                lang,
                "mail-office-site-proposed-note",
                &[("note", self.note.trim().to_owned().into())],
            ));
        }
        (
            i18n.message(
                lang,
                "mail-office-site-proposed-subject",
                &[("project", self.project.to_owned().into())],
            ),
            Body {
                greeting: i18n.message(
                    lang,
                    "mail-greeting",
                    &[("name", to_name.to_owned().into())],
                ),
                paragraphs,
                action_label: t("mail-office-site-proposed-action"),
                action_url: self.link.to_owned(),
                after: vec![t("mail-office-site-proposed-after")],
                signature: t("mail-signature"),
            },
        )
    }
}

/// The e-mail to a project's owner: the investor's feedback on a proposed site.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackMail<'a> {
    pub project: &'a str,
    pub site: &'a str,
    pub feedback: Feedback,
    /// The investor's comment (empty when none).
    pub comment: &'a str,
    /// Who gave it.
    pub by: &'a str,
    /// The office's tab of proposed sites.
    pub link: &'a str,
}

impl FeedbackMail<'_> {
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let t = |id: &str| i18n.message(lang, id, &[]);
        let mut paragraphs = vec![i18n.message(
            lang,
            "mail-office-site-feedback-text",
            &[
                ("by", self.by.to_owned().into()),
                ("project", self.project.to_owned().into()),
                ("site", self.site.to_owned().into()),
                ("feedback", self.feedback.as_str().into()),
            ],
        )];
        if !self.comment.trim().is_empty() {
            paragraphs.push(i18n.message(
                lang,
                "mail-office-site-feedback-comment",
                &[("comment", self.comment.trim().to_owned().into())],
            ));
        }
        (
            i18n.message(
                lang,
                "mail-office-site-feedback-subject",
                &[
                    ("project", self.project.to_owned().into()),
                    ("site", self.site.to_owned().into()),
                ],
            ),
            Body {
                greeting: i18n.message(
                    lang,
                    "mail-greeting",
                    &[("name", to_name.to_owned().into())],
                ),
                paragraphs,
                action_label: t("mail-office-site-feedback-action"),
                action_url: self.link.to_owned(),
                after: Vec::new(),
                signature: t("mail-signature"),
            },
        )
    }
}

// ---- API ----

#[derive(OpenApi)]
#[openapi(paths(api_list, api_propose, api_withdraw, api_feedback))]
pub struct Api;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/proposals", get(api_list).post(api_propose))
        .route(
            "/projects/{id}/proposals/{pid}",
            axum::routing::delete(api_withdraw),
        )
        .route(
            "/projects/{id}/proposals/{pid}/feedback",
            post(api_feedback),
        )
}

/// The project as the API caller may see it, or 404.
/// Whether a path segment can be an id of ours (a UUID): anything else is 404
/// without asking the database (which refuses some bytes, e.g. NUL, in text).
fn plausible_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

async fn visible(state: &AppState, user: &User, id: &str) -> Result<(Project, Access), ApiError> {
    if !plausible_id(id) {
        return Err(ApiError::NotFound);
    }
    projects::visible(state.db.reader(), user, id)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .ok_or(ApiError::NotFound)
}

/// The sites proposed to a project's investor, newest first: for the office
/// (with access to the project) every proposal, withdrawn ones included; for
/// the project's investor the standing ones.
#[utoipa::path(get, path = "/api/v1/projects/{id}/proposals", tag = "office",
    params(("id" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of proposals", body = Page<Proposal>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not one the caller may see", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Proposal>>, ApiError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let (project, access) = visible(&state, &actor, &id).await?;
    let after = match paging.after.as_deref() {
        None => None,
        Some(c) => Some(
            c.split_once('|')
                .filter(|(at, id)| {
                    plausible_id(id)
                        && at.len() <= 40
                        && at
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-:.+".contains(c))
                })
                .ok_or_else(|| {
                    ApiError::field(
                        "cursor",
                        "invalid_cursor",
                        "cursor is not one this API gave",
                    )
                })?,
        ),
    };
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    let rows = list(
        &mut conn,
        &project.id,
        !access.investor,
        after,
        paging.fetch(),
    )
    .await
    .map_err(anyhow::Error::from)?;
    let rows = rows.into_iter().map(|p| p.seen_with(access)).collect();
    Ok(Json(
        paging.page(rows, |p| format!("{}|{}", p.proposed_at, p.id)),
    ))
}

/// A site to propose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    /// A published site of the catalogue.
    #[schema(min_length = 1, max_length = 64)]
    pub site_id: String,
    /// A note to the investor (at most 2,000 characters).
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Proposes a published site to the project's investor (office staff who may
/// change the project), who is told by e-mail. Any published site may be
/// proposed, also one that fails a required criterion of the project (the
/// matching on the office's tab leaves those out; proposing one is a choice of
/// the office). A site already proposed and not withdrawn answers 409 with the
/// proposal's id; a withdrawn one is proposed again (its feedback cleared).
#[utoipa::path(post, path = "/api/v1/projects/{id}/proposals", tag = "office",
    params(("id" = String, Path)), request_body = ProposeBody, security(("bearer" = [])),
    responses((status = 201, body = Proposal),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not change this project", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already proposed", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or unpublished site, or a note too long", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_propose(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ProposeBody>,
) -> Result<(StatusCode, Json<Proposal>), ApiError> {
    let (project, access) = visible(&state, &actor, &id).await?;
    if !access.edit {
        return Err(ApiError::Forbidden);
    }
    let snap = state.sites.get(&state.db, &state.catalog).await?;
    let mut errs = Vec::new();
    let note = note_of(&mut errs, "note", body.note.as_deref());
    let site = match proposable_site(&snap, "site_id", &body.site_id) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.push(e);
            None
        }
    };
    let Some(site) = site.filter(|_| errs.is_empty()) else {
        return Err(invalid(&state, &errs));
    };
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let pid = propose(&state, &mut tx, &actor, &project.id, &site, note.as_deref())
        .await
        .map_err(api_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    let p = find(&mut conn, &project.id, &pid)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(p.seen_with(access))))
}

/// Withdraws a proposal (office staff who may change the project): the
/// investor no longer sees it; the record stays, marked with `withdrawn_at`.
#[utoipa::path(delete, path = "/api/v1/projects/{id}/proposals/{pid}", tag = "office",
    params(("id" = String, Path), ("pid" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses((status = 204, description = "Withdrawn"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Already withdrawn", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_withdraw(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    let (project, access) = visible(&state, &actor, &id).await?;
    if !plausible_id(&pid) {
        return Err(ApiError::NotFound);
    }
    if !access.edit {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    match withdraw(&mut tx, &actor, &project.id, &pid, q.version).await {
        Ok(_) => {}
        Err(WriteError::Withdrawn) => {
            return Err(ApiError::field(
                "proposal",
                "proposal_withdrawn",
                "the proposal is already withdrawn",
            ));
        }
        Err(e) => return Err(api_error(e)),
    }
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The investor's feedback on a proposed site.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    #[schema(value_type = Feedback)]
    pub feedback: String,
    /// At most 2,000 characters.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Records the investor's feedback on a standing proposal: the project's
/// investor users, or the office on its behalf (staff who may change the
/// project). It can be changed later (with the version read). The project's
/// owner is told by e-mail.
#[utoipa::path(post, path = "/api/v1/projects/{id}/proposals/{pid}/feedback", tag = "office",
    params(("id" = String, Path), ("pid" = String, Path)), request_body = FeedbackBody, security(("bearer" = [])),
    responses((status = 200, body = Proposal),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid feedback, or the proposal was withdrawn", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_feedback(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> Result<Json<Proposal>, ApiError> {
    let (project, access) = visible(&state, &actor, &id).await?;
    if !plausible_id(&pid) {
        return Err(ApiError::NotFound);
    }
    if !(access.investor || access.edit) {
        return Err(ApiError::Forbidden);
    }
    let mut errs = Vec::new();
    let feedback = Feedback::parse(&body.feedback);
    if feedback.is_none() {
        errs.push(Invalid::with(
            "feedback",
            "invalid_feedback",
            body.feedback.chars().take(40).collect::<String>(),
        ));
    }
    let comment = note_of(&mut errs, "comment", body.comment.as_deref());
    let Some(feedback) = feedback.filter(|_| errs.is_empty()) else {
        return Err(invalid(&state, &errs));
    };
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    give_feedback(
        &state,
        &mut tx,
        &actor,
        &project.id,
        &pid,
        body.version,
        feedback,
        comment.as_deref(),
    )
    .await
    .map_err(api_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    let p = find(&mut conn, &project.id, &pid)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(p.seen_with(access)))
}

// ---- Pages ----

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/projects/{id}/sites", get(staff_tab))
        .route("/office/projects/{id}/sites/propose", post(staff_propose))
        .route(
            "/office/projects/{id}/sites/{pid}/withdraw",
            post(staff_withdraw),
        )
        .route("/portal/projects/{id}/sites", get(portal_tab))
        .route(
            "/portal/projects/{id}/sites/{pid}/feedback",
            post(portal_feedback),
        )
}

/// A site's name as forms and links name it: with its reference, as names repeat
/// across estates ("Parcela P-02").
fn site_label(name: &str, reference: Option<&str>) -> String {
    match reference {
        Some(r) => format!("{name} · {r}"),
        None => name.to_owned(),
    }
}

/// The day of a timestamp on the office's clock (Europe/Madrid), in the page's language.
fn day(lang: Lang, ts: &str) -> String {
    let iso = time::OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339)
        .map(|t| besaya_domain::directory::format_date(super::work::madrid::local(t).date()))
        .unwrap_or_else(|_| ts.get(..10).unwrap_or(ts).to_owned());
    site_pages::date(lang, &iso)
}

/// One stated requirement, as the tab lists it.
pub struct RequirementLine {
    pub label: String,
    pub wanted: String,
    pub required: bool,
}

/// A proposal as the tabs show it.
pub struct ProposalView {
    pub id: String,
    pub site_id: String,
    pub site_name: String,
    pub site_reference: Option<String>,
    /// Name and reference, for labels.
    pub site_label: String,
    /// The site's card (key facts); `None` when the site is no longer published.
    pub card: Option<Card>,
    pub note: String,
    pub proposed_by: String,
    pub proposed_on: String,
    pub feedback: Option<&'static str>,
    pub feedback_label: String,
    pub comment: Option<String>,
    pub feedback_by: Option<String>,
    pub feedback_on: Option<String>,
    pub withdrawn_on: Option<String>,
    /// How the site stands against the requirements now: (class, words).
    pub fit: Option<(&'static str, String)>,
    pub version: i64,
}

impl ProposalView {
    fn standing(&self) -> bool {
        self.withdrawn_on.is_none()
    }
}

/// How a site fares against the requirements, in words.
fn fit_of(tr: &Tr, status: Status) -> (&'static str, String) {
    match status {
        Status::Match => ("pass", tr.t("match-status-match").to_owned()),
        Status::Incomplete => ("unknown", tr.t("match-status-incomplete").to_owned()),
        Status::Eliminated => ("fail", tr.t("office-prop-fit-eliminated").to_owned()),
    }
}

fn view(
    ctx: &PageCtx,
    state: &AppState,
    snap: &Snapshot,
    req: Option<&Requirements>,
    p: Proposal,
) -> ProposalView {
    let tr = &ctx.tr;
    let fmt = Fmt { tr, state };
    let site = snap.site(&p.site_id).filter(|s| s.published);
    let fit = req.filter(|r| r.stated() > 0).and_then(|r| {
        let i = snap.index_of(&p.site_id)?;
        Some(fit_of(tr, matching::evaluate(r, &snap.facts[i]).status))
    });
    ProposalView {
        card: site.map(|s| site_pages::card(&fmt, s)),
        feedback_label: p
            .feedback
            .map(|f| {
                tr.t(&format!("office-prop-feedback-{}", f.as_str()))
                    .to_owned()
            })
            .unwrap_or_else(|| tr.t("office-prop-feedback-none").to_owned()),
        feedback: p.feedback.map(Feedback::as_str),
        proposed_by: p.proposed_by_name.unwrap_or_default(),
        proposed_on: day(ctx.lang, &p.proposed_at),
        comment: p.feedback_comment.filter(|c| !c.trim().is_empty()),
        feedback_by: p.feedback_by_name,
        feedback_on: p.feedback_at.as_deref().map(|d| day(ctx.lang, d)),
        withdrawn_on: p.withdrawn_at.as_deref().map(|d| day(ctx.lang, d)),
        fit,
        site_label: site_label(&p.site_name, p.site_reference.as_deref()),
        id: p.id,
        site_id: p.site_id,
        site_name: p.site_name,
        site_reference: p.site_reference,
        note: p.note,
        version: p.version,
    }
}

/// The summary of a ranking.
pub struct RankSummary {
    pub considered: usize,
    pub eliminated: usize,
    pub matches: usize,
    pub incomplete: usize,
}

/// A ranked site on the staff tab.
pub struct Candidate {
    pub result: ResultView,
    /// Proposed already (and not withdrawn).
    pub proposed: bool,
}

/// The propose form as sent, to show it again with its errors.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    pub site_id: String,
    #[serde(default)]
    pub note: String,
    /// `other` for the form that picks any published site.
    #[serde(default)]
    pub from: String,
}

#[derive(Template)]
#[template(path = "office/proposals/staff.html")]
struct StaffPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    edit: bool,
    requirements: Vec<RequirementLine>,
    requirements_invalid: bool,
    summary: Option<RankSummary>,
    candidates: Vec<Candidate>,
    others: Vec<(String, String)>,
    proposals: Vec<ProposalView>,
    errors: FormErrors,
    form: ProposeForm,
    notice: Option<String>,
}

impl StaffPage {
    /// The note typed for a site's form when the page comes back with errors.
    fn note_for(&self, site_id: &str) -> &str {
        if self.form.from != "other" && self.form.site_id == site_id {
            &self.form.note
        } else {
            ""
        }
    }

    fn other_note(&self) -> &str {
        if self.form.from == "other" {
            &self.form.note
        } else {
            ""
        }
    }

    fn other_site(&self) -> &str {
        if self.form.from == "other" {
            &self.form.site_id
        } else {
            ""
        }
    }

    fn note_key(&self, site_id: &str) -> String {
        format!("note-{site_id}")
    }

    fn label(&self, c: &Card) -> String {
        site_label(&c.name, c.reference.as_deref())
    }
}

/// The office's project as the user may see it, or the page to answer.
async fn office_project(
    state: &AppState,
    ctx: &PageCtx,
    user: &User,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_office(user) || !plausible_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// The requirements of a project as the domain's, or `Err(())` when stored ones are not valid.
fn requirements_of(state: &AppState, p: &Project) -> Result<Requirements, ()> {
    crate::sites::api::requirements(&p.match_request(), &state.catalog).map_err(|_| ())
}

async fn staff_with(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    id: &str,
    status: StatusCode,
    tweak: impl FnOnce(&mut StaffPage),
) -> Response {
    let (project, access) = match office_project(state, &ctx, user, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let rows = async {
        let mut conn = state.db.reader().acquire().await?;
        list(&mut conn, &project.id, true, None, 1000).await
    }
    .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let req = requirements_of(state, &project);
    let tr = &ctx.tr;
    let standing: HashSet<String> = rows
        .iter()
        .filter(|p| p.withdrawn_at.is_none())
        .map(|p| p.site_id.clone())
        .collect();
    let mut requirements = Vec::new();
    let mut summary = None;
    let mut candidates = Vec::new();
    if let Ok(r) = &req
        && r.stated() > 0
    {
        // Every stated criterion against a site with no facts: what was asked.
        let blank = SiteFacts::default();
        for c in matching::evaluate(r, &blank).checks {
            requirements.push(RequirementLine {
                label: site_pages::criterion_label(tr, c.criterion),
                wanted: if matches!(c.wanted, Wanted::Present) {
                    tr.t("office-prop-wanted-present").to_owned()
                } else {
                    site_pages::wanted(tr, state, &c)
                },
                required: c.importance == Importance::Required,
            });
        }
        let fmt = Fmt { tr, state };
        let ranked = crate::sites::api::rank_visible(&snap, r, false, true);
        summary = Some(RankSummary {
            considered: ranked.considered,
            eliminated: ranked.eliminated,
            matches: ranked
                .results
                .iter()
                .filter(|(_, e)| e.status == Status::Match)
                .count(),
            incomplete: ranked.incomplete,
        });
        for (i, ev) in ranked.results.iter().take(RANKED_MAX) {
            let s = &snap.sites[*i];
            let preferred = ev
                .checks
                .iter()
                .filter(|c| c.importance == Importance::Preferred);
            let of = preferred.clone().count();
            let met = preferred.filter(|c| c.outcome == Outcome::Pass).count();
            candidates.push(Candidate {
                proposed: standing.contains(&s.id),
                result: ResultView {
                    card: site_pages::card(&fmt, s),
                    complete: ev.status == Status::Match,
                    preferences: (of > 0).then_some((met, of)),
                    checks: ev
                        .checks
                        .iter()
                        .map(|c| CheckView {
                            label: site_pages::criterion_label(tr, c.criterion),
                            outcome: c.outcome.as_str(),
                            outcome_label: tr
                                .t(match c.outcome {
                                    Outcome::Pass => "site-outcome-pass",
                                    Outcome::Fail => "site-outcome-fail",
                                    Outcome::Unknown => "site-outcome-unknown",
                                })
                                .to_owned(),
                            required: c.importance == Importance::Required,
                            reason: site_pages::reason(tr, state, c),
                        })
                        .collect(),
                },
            });
        }
    }
    // Any other published site, by reference (or id when it has none) with its name.
    let others = snap
        .published()
        .filter(|(_, s)| !standing.contains(&s.id))
        .map(|(_, s)| {
            let value = s.reference.clone().unwrap_or_else(|| s.id.clone());
            (value, format!("{} · {}", s.name, s.municipality_name))
        })
        .collect();
    let req_ok = req.as_ref().ok();
    let proposals = rows
        .into_iter()
        .map(|p| view(&ctx, state, &snap, req_ok, p.seen_with(access)))
        .collect();
    let mut page = StaffPage {
        project_id: project.id.clone(),
        project_title: project.title(access).to_owned(),
        tab: "sites",
        portal: false,
        edit: access.edit,
        requirements,
        requirements_invalid: req.is_err(),
        summary,
        candidates,
        others,
        proposals,
        errors: FormErrors::default(),
        form: ProposeForm::default(),
        notice: None,
        ctx,
    };
    tweak(&mut page);
    (status, render(&page)).into_response()
}

async fn staff_tab(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    staff_with(&state, ctx, &user, &id, StatusCode::OK, |_| {}).await
}

async fn staff_propose(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ProposeForm>,
) -> Response {
    let (project, access) = match office_project(&state, &ctx, &user, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let other = form.from == "other";
    // Errors go next to the field the user typed in: the note of the site's own
    // form, or the fields of the form that picks any site.
    let note_field = if other {
        "other_note".to_owned()
    } else {
        format!("note-{}", form.site_id.trim())
    };
    let site_field = if other {
        "other_site".to_owned()
    } else {
        note_field.clone()
    };
    // The form for any site takes its reference too.
    let raw = form.site_id.trim();
    let site_id = match snap.site(raw) {
        Some(_) => raw,
        None => snap
            .sites
            .iter()
            .find(|s| {
                s.reference
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(raw))
            })
            .map_or(raw, |s| s.id.as_str()),
    };
    let mut errs = Vec::new();
    let note = note_of(&mut errs, &note_field, Some(&form.note));
    let site = match proposable_site(&snap, &site_field, site_id) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.push(e);
            None
        }
    };
    let tr = ctx.tr.clone();
    let show_errors = |errors: Vec<(String, String)>, status: StatusCode, ctx: PageCtx| {
        let form = form.clone();
        let state = state.clone();
        let user = user.clone();
        let id = id.clone();
        async move {
            staff_with(&state, ctx, &user, &id, status, |p| {
                for (f, m) in errors {
                    if !p.errors.has(&f) {
                        p.errors.add(&f, m);
                    }
                }
                p.form = form;
            })
            .await
        }
    };
    let site = match site.filter(|_| errs.is_empty()) {
        Some(s) => s,
        None => {
            let errors = errs
                .iter()
                .map(|e| (e.field.clone(), e.message(&tr)))
                .collect();
            return show_errors(errors, StatusCode::UNPROCESSABLE_ENTITY, ctx).await;
        }
    };
    let result = in_tx!(state, |tx| propose(
        &state,
        &mut tx,
        &user,
        &project.id,
        &site,
        note.as_deref()
    )
    .await);
    match result {
        Ok(Ok(_)) => redirect_with(
            &format!("/office/projects/{}/sites", project.id),
            &[flash_cookie("flash-office-site-proposed")],
        ),
        Ok(Err(WriteError::AlreadyProposed(_))) => {
            let m = Invalid::with(&site_field, "already_proposed", site.name.clone()).message(&tr);
            show_errors(vec![(site_field.clone(), m)], StatusCode::CONFLICT, ctx).await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: i64,
}

async fn staff_withdraw(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> Response {
    let (project, access) = match office_project(&state, &ctx, &user, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !plausible_id(&pid) {
        return ctx.not_found().into_response();
    }
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let result = in_tx!(state, |tx| withdraw(
        &mut tx,
        &user,
        &project.id,
        &pid,
        Some(form.version)
    )
    .await);
    let notice = |key: &str| ctx.tr.t(key).to_owned();
    match result {
        Ok(Ok(_)) => redirect_with(
            &format!("/office/projects/{}/sites", project.id),
            &[flash_cookie("flash-office-proposal-withdrawn")],
        ),
        Ok(Err(WriteError::Conflict(_))) => {
            let n = notice("office-prop-conflict");
            staff_with(&state, ctx, &user, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(n)
            })
            .await
        }
        Ok(Err(WriteError::Withdrawn)) => {
            let n = notice("office-prop-already-withdrawn");
            staff_with(&state, ctx, &user, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(n)
            })
            .await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The investor's tab ----

/// The feedback form as sent.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    pub feedback: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub version: i64,
    /// The proposal it was for (set from the path).
    #[serde(skip)]
    pub pid: String,
}

#[derive(Template)]
#[template(path = "office/proposals/portal.html")]
struct PortalPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    proposals: Vec<ProposalView>,
    /// The feedback choices: (value, label).
    choices: Vec<(&'static str, String)>,
    errors: FormErrors,
    form: FeedbackForm,
    notice: Option<String>,
}

impl PortalPage {
    /// Whether a choice is ticked on a proposal's form: what was just sent, else what is stored.
    fn checked(&self, p: &ProposalView, value: &str) -> bool {
        if self.form.pid == p.id {
            self.form.feedback == value
        } else {
            p.feedback == Some(value)
        }
    }

    fn comment_of<'a>(&'a self, p: &'a ProposalView) -> &'a str {
        if self.form.pid == p.id {
            &self.form.comment
        } else {
            p.comment.as_deref().unwrap_or("")
        }
    }

    fn key(&self, prefix: &str, p: &ProposalView) -> String {
        format!("{prefix}-{}", p.id)
    }
}

async fn investor_project(
    state: &AppState,
    ctx: &PageCtx,
    user: &User,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !plausible_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some((p, a))) if a.investor => Ok((p, a)),
        Ok(_) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

async fn portal_with(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    id: &str,
    status: StatusCode,
    tweak: impl FnOnce(&mut PortalPage),
) -> Response {
    let (project, access) = match investor_project(state, &ctx, user, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let rows = async {
        let mut conn = state.db.reader().acquire().await?;
        list(&mut conn, &project.id, false, None, 1000).await
    }
    .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let proposals = rows
        .into_iter()
        .map(|p| view(&ctx, state, &snap, None, p.seen_with(access)))
        .collect();
    let choices = Feedback::ALL
        .iter()
        .map(|f| {
            (
                f.as_str(),
                ctx.tr
                    .t(&format!("office-prop-feedback-{}", f.as_str()))
                    .to_owned(),
            )
        })
        .collect();
    let mut page = PortalPage {
        project_id: project.id.clone(),
        project_title: project.code_name.clone(),
        tab: "sites",
        portal: true,
        proposals,
        choices,
        errors: FormErrors::default(),
        form: FeedbackForm::default(),
        notice: None,
        ctx,
    };
    tweak(&mut page);
    (status, render(&page)).into_response()
}

async fn portal_tab(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    portal_with(&state, ctx, &user, &id, StatusCode::OK, |_| {}).await
}

async fn portal_feedback(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(mut form): CsrfForm<FeedbackForm>,
) -> Response {
    let (project, _) = match investor_project(&state, &ctx, &user, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !plausible_id(&pid) {
        return ctx.not_found().into_response();
    }
    form.pid = pid.clone();
    let tr = ctx.tr.clone();
    let feedback_field = format!("feedback-{pid}");
    let comment_field = format!("comment-{pid}");
    let mut errs = Vec::new();
    let feedback = Feedback::parse(&form.feedback);
    if feedback.is_none() {
        errs.push(Invalid::new(&feedback_field, "feedback_required"));
    }
    let comment = note_of(&mut errs, &comment_field, Some(&form.comment));
    let Some(feedback) = feedback.filter(|_| errs.is_empty()) else {
        let errors: Vec<(String, String)> = errs
            .iter()
            .map(|e| (e.field.clone(), e.message(&tr)))
            .collect();
        return portal_with(
            &state,
            ctx,
            &user,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            |p| {
                for (f, m) in errors {
                    p.errors.add(&f, m);
                }
                p.form = form;
            },
        )
        .await;
    };
    let result = in_tx!(state, |tx| give_feedback(
        &state,
        &mut tx,
        &user,
        &project.id,
        &pid,
        form.version,
        feedback,
        comment.as_deref(),
    )
    .await);
    match result {
        Ok(Ok(_)) => redirect_with(
            &format!("/portal/projects/{}/sites", project.id),
            &[flash_cookie("flash-office-feedback-saved")],
        ),
        Ok(Err(WriteError::Conflict(_))) => {
            let n = tr.t("office-prop-conflict-feedback").to_owned();
            portal_with(&state, ctx, &user, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(n);
                p.form = form;
            })
            .await
        }
        Ok(Err(WriteError::Withdrawn | WriteError::NotFound)) => {
            let n = tr.t("office-prop-gone").to_owned();
            portal_with(&state, ctx, &user, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(n)
            })
            .await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_on_the_office_clock() {
        // 23:30 UTC on 31 March is already 1 April in Madrid (summer time).
        assert_eq!(day(Lang::Es, "2026-03-31T23:30:00.000000Z"), "01/04/2026");
        assert_eq!(day(Lang::En, "2026-12-03T08:00:00.000000Z"), "3 Dec 2026");
        assert_eq!(day(Lang::Es, "2026-12-03"), "03/12/2026");
    }

    #[test]
    fn feedback_round_trips() {
        for f in Feedback::ALL {
            assert_eq!(Feedback::parse(f.as_str()), Some(f));
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.as_str().to_owned())
            );
        }
        assert_eq!(Feedback::parse(" interested "), Some(Feedback::Interested));
        assert_eq!(Feedback::parse("Interested"), None);
        assert_eq!(Feedback::parse(""), None);
    }

    #[test]
    fn e_mails_are_composed_in_each_language() {
        let i18n = I18n::load().unwrap();
        let proposed = ProposedMail {
            project: "Acme <Ibérica>",
            site: "Parcela TV-P03",
            note: "Tiene apartadero",
            link: "https://besaya.example/portal/projects/p1/sites",
        };
        let feedback = FeedbackMail {
            project: "Acme",
            site: "Parcela TV-P03",
            feedback: Feedback::VisitRequested,
            comment: "¿El martes?",
            by: "Ana Inversora",
            link: "https://besaya.example/office/projects/p1/sites",
        };
        let mut subjects = Vec::new();
        for lang in Lang::ALL {
            let m = crate::mail::compose(
                &i18n,
                lang,
                "a@b.es",
                "Ana",
                crate::mail::Kind::SiteProposed(proposed),
            )
            .unwrap();
            assert!(!m.subject.contains("mail-"), "{}", m.subject);
            assert!(m.subject.contains("Acme <Ibérica>"), "{}", m.subject);
            assert!(
                m.text.contains("Parcela TV-P03") && m.text.contains("Tiene apartadero"),
                "{}",
                m.text
            );
            assert!(m.text.contains("/portal/projects/p1/sites"));
            assert!(
                m.html.contains("Acme &#60;Ibérica&#62;")
                    || m.html.contains("Acme &lt;Ibérica&gt;")
            );
            assert!(!m.text.contains("mail-"), "{}", m.text);
            subjects.push(m.subject);
            let f = crate::mail::compose(
                &i18n,
                lang,
                "o@b.es",
                "Olga",
                crate::mail::Kind::SiteFeedback(feedback),
            )
            .unwrap();
            assert!(
                f.text.contains("Ana Inversora") && f.text.contains("¿El martes?"),
                "{}",
                f.text
            );
            assert!(f.text.contains("/office/projects/p1/sites"));
            assert!(
                !f.text.contains("mail-") && !f.subject.contains("mail-"),
                "{}",
                f.text
            );
            let word = if lang == Lang::Es { "visitar" } else { "visit" };
            assert!(f.text.contains(word), "{}", f.text);
        }
        assert_ne!(subjects[0], subjects[1]);
    }

    #[test]
    fn the_events_read_in_both_languages() {
        let i18n = I18n::load().unwrap();
        for lang in Lang::ALL {
            let said: Vec<String> = Feedback::ALL
                .iter()
                .map(|f| {
                    i18n.message(
                        lang,
                        "office-event-feedback",
                        &[("site", "Nave 7".into()), ("feedback", f.as_str().into())],
                    )
                })
                .collect();
            for t in &said {
                assert!(
                    t.contains("Nave 7") && !t.contains('_') && !t.contains("office-"),
                    "{t}"
                );
            }
            assert!(
                said[0] != said[1] && said[1] != said[2] && said[0] != said[2],
                "{said:?}"
            );
            for k in ["office-event-proposal", "office-event-proposal_withdrawn"] {
                let t = i18n.message(lang, k, &[("site", "Nave 7".into())]);
                assert!(t.contains("Nave 7") && t != k, "{t}");
            }
        }
    }
}
