//! `/api/v1/projects`: investor projects through the API — the list with
//! filters, creation, changes with the version read, deletion (administrator),
//! stage moves, the timeline and the stage history. Access is need-to-know
//! ([`super::policy`]): a project the caller may not see answers 404.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::office::Stage;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AnyConnection, FromRow};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::policy::{self, Access};
use super::projects::{self, Project, ProjectInput, WriteError};
use super::{Invalid, english, invalid};
use crate::AppState;
use crate::api::{
    ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, Page, Paging, Problem,
};
use crate::auth::{ApiUser, User};
use crate::db::{self, Audit, Changes, VersionConflict};
use crate::i18n::Tr;

#[derive(OpenApi)]
#[openapi(
    paths(list, create, read, update, remove, transition, events, stages),
    components(schemas(
        ProjectView,
        ProjectPatch,
        ProjectMove,
        ProjectMoveProblem,
        ProjectEvent,
        ProjectStay,
        StageName
    ))
)]
pub struct Api;

/// No pages here: they are in [`super::pages`].
pub fn router() -> Router<AppState> {
    Router::new()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/{id}", get(read).patch(update).delete(remove))
        .route("/projects/{id}/transitions", post(transition))
        .route("/projects/{id}/events", get(events))
        .route("/projects/{id}/stages", get(stages))
}

// ---- Shared with the pages ----

/// Whole days from an RFC 3339 timestamp to `now` (0 for a timestamp that does
/// not parse or lies ahead).
pub fn days_between(from: &str, now: time::OffsetDateTime) -> i64 {
    match time::OffsetDateTime::parse(from, &time::format_description::well_known::Rfc3339) {
        Ok(t) => (now - t).whole_days().max(0),
        Err(_) => 0,
    }
}

/// Whole days from an RFC 3339 timestamp until now.
pub fn days_since(from: &str) -> i64 {
    days_between(from, time::OffsetDateTime::now_utc())
}

/// An identifier as this platform makes them (UUIDs): anything else cannot
/// name a record, and is answered 404 without asking the database.
pub fn plausible_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Kinds of timeline entries that staff outside a confidential project may
/// see: they name no investor, document or message.
pub const OPEN_EVENT_KINDS: [&str; 3] = ["created", "updated", "stage"];

/// A stage of an investor project (the documented names of [`Stage`]).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageName {
    Inquiry,
    Qualified,
    SiteSearch,
    Visits,
    Decision,
    Establishment,
    Financing,
    Construction,
    Operating,
    Aftercare,
    OnHold,
    Lost,
}

/// The project as the API shows it: the record, the moves the caller may make
/// now and the whole days it has been in its stage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectView {
    #[serde(flatten)]
    pub project: Project,
    /// The stages the caller may move the project to now (empty for those who
    /// may not change it).
    #[schema(value_type = Vec<StageName>, example = json!(["visits", "decision", "qualified", "on_hold", "lost"]))]
    pub allowed_moves: Vec<Stage>,
    /// Whole days since the project entered its stage.
    pub days_in_stage: i64,
}

impl ProjectView {
    pub fn new(project: Project, access: Access) -> Self {
        let allowed_moves = if access.edit {
            project.allowed_moves()
        } else {
            Vec::new()
        };
        let days_in_stage = days_since(&project.stage_since);
        Self {
            project,
            allowed_moves,
            days_in_stage,
        }
    }
}

/// A storage error as the API's answer.
pub fn write_error(state: &AppState, e: WriteError) -> ApiError {
    match e {
        WriteError::DuplicateCodeName => {
            invalid(state, &[Invalid::new("code_name", "duplicate_code_name")])
        }
        WriteError::Invalid(errs) => invalid(state, &errs),
        WriteError::Conflict(c) => ApiError::Conflict(c),
        WriteError::NotFound => ApiError::NotFound,
        WriteError::Transition { allowed, .. } => {
            let en = english(state);
            invalid(
                state,
                &[Invalid::with(
                    "to",
                    "transition_not_allowed",
                    stage_names(&en, &allowed),
                )],
            )
        }
        WriteError::ReasonRequired(_) => {
            invalid(state, &[Invalid::new("reason", "reason_required")])
        }
        WriteError::Db(e) => e.into(),
    }
}

/// Stage names in a language, joined: `Qualified, On hold, Lost`.
pub fn stage_names(tr: &Tr, stages: &[Stage]) -> String {
    stages
        .iter()
        .map(|s| tr.t(&format!("office-stage-{}", s.as_str())).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A project the caller may see, with what it may do (404 otherwise).
async fn visible(state: &AppState, user: &User, id: &str) -> Result<(Project, Access), ApiError> {
    if !plausible_id(id) {
        return Err(ApiError::NotFound);
    }
    projects::visible(state.db.reader(), user, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A project the caller may change: 404 when it may not see it, 403 when it
/// sees it but may not change it.
async fn editable(state: &AppState, user: &User, id: &str) -> Result<(Project, Access), ApiError> {
    let (p, a) = visible(state, user, id).await?;
    if !a.edit {
        return Err(ApiError::Forbidden);
    }
    Ok((p, a))
}

async fn view_of(state: &AppState, user: &User, id: &str) -> Result<Json<ProjectView>, ApiError> {
    let (p, a) = visible(state, user, id).await?;
    Ok(Json(ProjectView::new(p, a)))
}

// ---- The list ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// One stage: `inquiry`, `qualified`, `site_search`, `visits`, `decision`,
    /// `establishment`, `financing`, `construction`, `operating`, `aftercare`,
    /// `on_hold` or `lost`.
    #[param(value_type = Option<StageName>)]
    pub stage: Option<String>,
    /// Projects owned by this user.
    pub owner_id: Option<String>,
    /// Words of the code name (and of the investor's name, where the caller may see it).
    pub q: Option<String>,
    /// Only the projects the caller owns or is on the team of.
    pub mine: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// The list's filter, or the field errors of the query.
pub fn parse_filter(
    state: &AppState,
    stage: Option<&str>,
    owner_id: Option<&str>,
    q: Option<&str>,
    mine: bool,
) -> Result<projects::Filter, ApiError> {
    let mut e = Vec::new();
    let stage = match stage.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let found = Stage::parse(s);
            if found.is_none() {
                e.push(Invalid::with(
                    "stage",
                    "invalid_stage",
                    s.chars().take(40).collect::<String>(),
                ));
            }
            found
        }
    };
    let owner_id = match owner_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(o) if plausible_id(o) => Some(o.to_owned()),
        Some(o) => {
            e.push(Invalid::with(
                "owner_id",
                "unknown_reference",
                o.chars()
                    .filter(|c| !c.is_control())
                    .take(64)
                    .collect::<String>(),
            ));
            None
        }
    };
    let q = match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(q) if has_control(q) => {
            e.push(Invalid::new("q", "control_chars"));
            None
        }
        Some(q) if q.chars().count() > 200 => {
            e.push(Invalid::with("q", "too_long", "200"));
            None
        }
        Some(q) => Some(q.to_owned()),
    };
    if !e.is_empty() {
        return Err(invalid(state, &e));
    }
    Ok(projects::Filter {
        stage,
        owner_id,
        q,
        mine,
    })
}

/// The sort key of a project in lists: `stage_since|id`.
pub fn cursor_key(p: &Project) -> String {
    format!("{}|{}", p.stage_since, p.id)
}

/// A list cursor's key back into its parts (`None`: not one this platform gave).
pub fn split_cursor(key: &str) -> Option<(String, String)> {
    let (since, id) = key.split_once('|')?;
    let stamp_ok = !since.is_empty()
        && since.len() <= 40
        && since
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | 'T' | 'Z' | '.' | '+'));
    (stamp_ok && plausible_id(id)).then(|| (since.to_owned(), id.to_owned()))
}

/// Investor projects, the most recent stage move first. The office sees every
/// project (a confidential one's investor only where the caller owns it or is on
/// its team); an investor user sees its own organisations' projects; other roles
/// get 403.
#[utoipa::path(get, path = "/api/v1/projects", tag = "office", params(ListQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of projects", body = Page<ProjectView>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the office nor an investor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page<ProjectView>>, ApiError> {
    if !policy::is_office(&actor) && !policy::is_investor(&actor) {
        return Err(ApiError::Forbidden);
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let after = match paging.after.as_deref() {
        None => None,
        Some(k) => Some(split_cursor(k).ok_or_else(|| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "cursor is not one this API gave",
            )
        })?),
    };
    let filter = parse_filter(
        &state,
        q.stage.as_deref(),
        q.owner_id.as_deref(),
        q.q.as_deref(),
        q.mine.unwrap_or(false),
    )?;
    let rows = projects::list(
        state.db.reader(),
        &actor,
        &filter,
        after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        paging.fetch(),
    )
    .await?;
    let page = paging.page(rows, |(p, _)| cursor_key(p));
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(|(p, a)| ProjectView::new(p, a))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

// ---- One project ----

/// Opens a project (office staff and administrators), in the stage `inquiry`.
/// Every field may be left out: the code name then becomes the next
/// `P-YYYY-NNN`, the owner is the caller, and the project is confidential.
#[utoipa::path(post, path = "/api/v1/projects", tag = "office", request_body = ProjectInput, security(("bearer" = [])),
    responses((status = 201, body = ProjectView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown references, or the code name is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<ProjectInput>,
) -> Result<(StatusCode, Json<ProjectView>), ApiError> {
    if !policy::is_office(&actor) {
        return Err(ApiError::Forbidden);
    }
    let valid =
        projects::validate(&body, &state.catalog, &actor).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let errs = projects::check_references(&mut tx, &valid, None).await?;
    if !errs.is_empty() {
        return Err(invalid(&state, &errs));
    }
    let id = projects::create(&mut tx, Some(&actor.id), &valid, Stage::Inquiry, None)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await?;
    let Json(view) = view_of(&state, &actor, &id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One project, as the caller may see it: staff outside a confidential project
/// get its code name without the investor, the description or the evidence.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProjectView),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not one the caller may see", body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProjectView>, ApiError> {
    view_of(&state, &actor, &id).await
}

/// A change of a project: the fields to change as a JSON merge patch (left out:
/// kept; `null`: cleared) and the `version` read. The fields the API shows but
/// does not take (`id`, `owner_name`, `stage`...) may be sent back and are ignored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPatch {
    /// The version read (required).
    pub version: i64,
    /// 2–80 characters, unique.
    pub code_name: Option<String>,
    pub investor_org_id: Option<String>,
    pub cnae_code: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<crate::sites::api::MatchRequest>,
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
    /// A staff user.
    pub owner_id: Option<String>,
    /// Staff users assigned besides the owner.
    pub team: Option<Vec<String>>,
    pub confidential: Option<bool>,
}

/// Fields of a project the API shows but a change does not take.
const READ_ONLY: [&str; 12] = [
    "id",
    "investor_name",
    "owner_name",
    "stage_since",
    "held_from",
    "stage_reason",
    "inquiry_id",
    "created_at",
    "updated_at",
    "allowed_moves",
    "days_in_stage",
    "stage",
];

/// Changes a project: a JSON merge patch (RFC 7396) over its fields, with the
/// `version` read. The administrator, the owner and the team may change a
/// confidential project; any member of the office an open one. The stage moves
/// through `/transitions`.
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "office", params(("id" = String, Path)), request_body = ProjectPatch, security(("bearer" = [])),
    responses((status = 200, body = ProjectView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller sees the project but may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<ProjectView>, ApiError> {
    let (current, _) = editable(&state, &actor, &id).await?;
    if let Value::Object(p) = &patch
        && p.get("stage").is_some_and(|s| *s != json!(current.stage))
    {
        return Err(invalid(&state, &[Invalid::new("stage", "use_transitions")]));
    }
    let (input, version) =
        crate::api::merge_patch(&ProjectInput::from(&current), patch, &READ_ONLY)?;
    let valid =
        projects::validate(&input, &state.catalog, &actor).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let errs = projects::check_references(&mut tx, &valid, Some(&id)).await?;
    if !errs.is_empty() {
        return Err(invalid(&state, &errs));
    }
    projects::update(&mut tx, Some(&actor.id), &id, version, &valid)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await?;
    view_of(&state, &actor, &id).await
}

/// Deletes a project with everything that hangs from it — team, stage history,
/// timeline, interactions, tasks, site proposals, documents and their files,
/// messages — and unlinks its inquiry. Administrator only.
#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "office", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json")))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    visible(&state, &actor, &id).await?;
    if !actor.is_admin() {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.writer().begin().await?;
    delete_project(&mut tx, Some(&actor.id), &id, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a project and its dependent rows (children before parents, files
/// after the documents that named them), audited. `version`, when given, must be
/// the one stored.
pub async fn delete_project(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: Option<i64>,
) -> Result<(), WriteError> {
    let row: Option<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT code_name, version, inquiry_id FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (code_name, current, inquiry_id) = row.ok_or(WriteError::NotFound)?;
    if version.is_some_and(|v| v != current) {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(current),
        }));
    }
    let files: Vec<String> = sqlx::query_scalar(
        "SELECT file_id FROM project_documents WHERE project_id = $1 AND file_id IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("UPDATE inquiries SET project_id = NULL WHERE project_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // A closed list of tables: names never come from input.
    for table in [
        "project_team",
        "project_stages",
        "project_events",
        "interactions",
        "tasks",
        "site_proposals",
        "project_documents",
        "project_messages",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for f in &files {
        crate::files::delete(&mut *conn, f).await?;
    }
    sqlx::query("DELETE FROM projects WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor,
        entity: "project",
        entity_id: id,
        action: "delete",
        changes: Changes::new()
            .field("code_name", json!(code_name), Value::Null)
            .field("version", json!(current), Value::Null)
            .field("inquiry_id", json!(inquiry_id), Value::Null)
            .field("files", json!(files.len()), Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

// ---- Stage moves ----

/// A move of a project to another stage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectMove {
    /// The stage to move to (one of `allowed_moves`).
    #[schema(value_type = StageName, example = "qualified")]
    pub to: String,
    /// Why: required for `on_hold` and `lost` (up to 1,000 characters).
    pub reason: Option<String>,
    /// The version read.
    pub version: i64,
}

/// The answer to a move that is not allowed: the usual problem, with the stages
/// the project may move to now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectMoveProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// The stages the project may move to now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<StageName>>)]
    pub allowed: Option<Vec<Stage>>,
}

fn not_allowed(state: &AppState, allowed: Vec<Stage>) -> Response {
    let en = english(state);
    let error = Invalid::with("to", "transition_not_allowed", stage_names(&en, &allowed))
        .to_field_error(&en);
    problem_with_allowed(vec![error], allowed)
}

fn problem_with_allowed(errors: Vec<FieldError>, allowed: Vec<Stage>) -> Response {
    let body = ProjectMoveProblem {
        problem: Problem {
            kind: "tag:besaya,2026:problem:validation_failed".into(),
            title: "Validation failed".into(),
            status: 422,
            code: "validation_failed".into(),
            detail: Some("One or more fields are invalid; see errors.".into()),
            errors,
            current_version: None,
            existing_id: None,
        },
        allowed: Some(allowed),
    };
    let mut res = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

/// The checked parts of a move: the stage and the reason.
pub fn parse_move(to: &str, reason: Option<&str>) -> Result<(Stage, Option<String>), Vec<Invalid>> {
    let mut e = Vec::new();
    let stage = Stage::parse(to.trim());
    if stage.is_none() {
        e.push(Invalid::with(
            "to",
            "invalid_stage",
            to.chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect::<String>(),
        ));
    }
    let reason = crate::web::invalid::text(&mut e, "reason", reason, 1000, true);
    match stage {
        Some(s) if e.is_empty() => Ok((s, reason)),
        _ => Err(e),
    }
}

/// Moves a project to another stage, closing its stay in the current one (the
/// time in each stage is kept: `/stages`). From an active stage: the next one
/// (skipping visits or financing), one back, on hold or lost; on hold resumes
/// where it stopped or is lost; lost reopens where it stopped. On hold and lost
/// need a `reason`. A move that is not allowed answers 422 with an error on `to`
/// naming the allowed stages, and `allowed` listing them.
#[utoipa::path(post, path = "/api/v1/projects/{id}/transitions", tag = "office", params(("id" = String, Path)), request_body = ProjectMove, security(("bearer" = [])),
    responses((status = 200, body = ProjectView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller sees the project but may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an allowed move (with `allowed`), no reason for on hold or lost, or an unknown stage", body = ProjectMoveProblem, content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ProjectMove>,
) -> Result<Response, ApiError> {
    let (current, _) = editable(&state, &actor, &id).await?;
    let (to, reason) = match parse_move(&body.to, body.reason.as_deref()) {
        Ok(m) => m,
        Err(errs) if errs.iter().any(|e| e.field == "to") => {
            let en = english(&state);
            let errors = errs.iter().map(|e| e.to_field_error(&en)).collect();
            return Ok(problem_with_allowed(errors, current.allowed_moves()));
        }
        Err(errs) => return Err(invalid(&state, &errs)),
    };
    let mut tx = state.db.writer().begin().await?;
    let done = projects::transition(
        &mut tx,
        Some(&actor.id),
        &id,
        body.version,
        to,
        reason.as_deref(),
    )
    .await;
    match done {
        Ok(_) => {}
        Err(WriteError::Transition { allowed, .. }) => return Ok(not_allowed(&state, allowed)),
        Err(e) => return Err(write_error(&state, e)),
    }
    tx.commit().await?;
    Ok(view_of(&state, &actor, &id).await?.into_response())
}

// ---- History ----

/// One entry of a project's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectEvent {
    pub id: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// `created`, `updated`, `stage`, `interaction`, `task`, `proposal`,
    /// `document_requested`, `message`...
    pub kind: String,
    /// The event's parameters (e.g. `{"from": "inquiry", "to": "qualified", "reason": ""}`).
    #[schema(value_type = Object)]
    pub detail: Value,
    /// Whether the investor sees it on its portal.
    pub for_investor: bool,
}

#[derive(FromRow)]
struct EventRow {
    id: String,
    at: String,
    actor_id: Option<String>,
    actor_name: Option<String>,
    kind: String,
    detail: String,
    for_investor: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Which timeline entries a caller sees: the investor those shown on its
/// portal; staff outside a confidential project the stage moves and changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventScope {
    All,
    Investor,
    Open,
}

impl EventScope {
    pub fn of(access: Access) -> Self {
        if access.investor {
            Self::Investor
        } else if access.see_investor {
            Self::All
        } else {
            Self::Open
        }
    }
}

/// A project's timeline, newest first, at most `limit` after `after` (`at|id`).
pub async fn timeline(
    pool: &sqlx::AnyPool,
    project_id: &str,
    scope: EventScope,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<ProjectEvent>, sqlx::Error> {
    let mut sql = db::Sql::new(
        "SELECT e.id, e.at, e.actor_id, u.name AS actor_name, e.kind, e.detail, e.for_investor \
         FROM project_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.project_id = ",
    );
    sql.bind(project_id.to_owned());
    match scope {
        EventScope::All => {}
        EventScope::Investor => {
            sql.push(" AND e.for_investor = 1");
        }
        EventScope::Open => {
            sql.push(" AND e.kind IN (");
            for (i, k) in OPEN_EVENT_KINDS.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind((*k).to_owned());
            }
            sql.push(")");
        }
    }
    if let Some((at, id)) = after {
        sql.push(" AND (e.at < ")
            .bind(at.to_owned())
            .push(" OR (e.at = ")
            .bind(at.to_owned())
            .push(" AND e.id < ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY e.at DESC, e.id DESC LIMIT ")
        .bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<EventRow> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| ProjectEvent {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            kind: r.kind,
            detail: serde_json::from_str(&r.detail).unwrap_or_else(|_| json!({})),
            for_investor: r.for_investor != 0,
        })
        .collect())
}

/// A project's timeline, newest first: everything that happened to it. The
/// investor gets the entries shown on its portal; staff outside a confidential
/// project the stage moves and changes of fields.
#[utoipa::path(get, path = "/api/v1/projects/{id}/events", tag = "office", params(("id" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of the timeline", body = Page<ProjectEvent>),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json")))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<ProjectEvent>>, ApiError> {
    let (_, access) = visible(&state, &actor, &id).await?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let after = match paging.after.as_deref() {
        None => None,
        Some(k) => Some(split_cursor(k).ok_or_else(|| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "cursor is not one this API gave",
            )
        })?),
    };
    let rows = timeline(
        state.db.reader(),
        &id,
        EventScope::of(access),
        after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        paging.fetch(),
    )
    .await?;
    Ok(Json(paging.page(rows, |e| format!("{}|{}", e.at, e.id))))
}

/// One stay of a project in a stage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectStay {
    #[schema(value_type = StageName, example = "site_search")]
    pub stage: String,
    pub entered_at: String,
    /// `null` while the project is still there.
    pub left_at: Option<String>,
    /// Whole days in the stage (until now while it is still there).
    pub days: i64,
    /// Why it went on hold or was lost (or moved back).
    pub reason: Option<String>,
}

/// The stays of a project, oldest first, with the days in each.
pub async fn stage_views(pool: &sqlx::AnyPool, id: &str) -> Result<Vec<ProjectStay>, sqlx::Error> {
    let now = time::OffsetDateTime::now_utc();
    Ok(projects::stage_history(pool, id)
        .await?
        .into_iter()
        .map(|s| {
            let end = s
                .left_at
                .as_deref()
                .and_then(|l| {
                    time::OffsetDateTime::parse(l, &time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or(now);
            ProjectStay {
                days: days_between(&s.entered_at, end),
                stage: s.stage,
                entered_at: s.entered_at,
                left_at: s.left_at,
                reason: s.reason,
            }
        })
        .collect())
}

/// The stages a project went through, oldest first, with the days in each.
#[utoipa::path(get, path = "/api/v1/projects/{id}/stages", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<ProjectStay>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn stages(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<ProjectStay>>, ApiError> {
    visible(&state, &actor, &id).await?;
    Ok(Json(stage_views(state.db.reader(), &id).await?))
}
