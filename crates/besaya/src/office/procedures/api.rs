//! The procedures' API: the catalogue (`/procedure-templates`), local holidays
//! (`/local-holidays`), a project's procedures with their events, checklist and
//! plan (`/projects/{id}/procedures`), and the administrations' list across
//! projects (`/procedures`). Access is need-to-know: what the caller may not see
//! answers 404.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use besaya_domain::Role;
use besaya_domain::directory::{format_date, parse_date};
use besaya_domain::procedures::{EventError, EventKind, Status};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::model::{
    ChecklistEntry, Invalid, LocalHoliday, PlanRow, PlanView, ProcAccess, ProcEvent, Procedure,
    Template, TemplateInput,
};
use super::store::{self, AddItem, AdminFilter, NewEvent, WriteError};
use crate::AppState;
use crate::api::{
    ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, Page, Paging, Problem,
};
use crate::auth::{ApiUser, User};
use crate::office::policy::{self, Access};
use crate::office::projects::{self, Project};
use crate::office::{english, work::madrid};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_templates,
        create_template,
        read_template,
        update_template,
        delete_template,
        list_holidays,
        create_holiday,
        delete_holiday,
        list_procedures,
        add_procedures,
        checklist,
        plan,
        read_procedure,
        update_procedure,
        delete_procedure,
        list_events,
        record_event,
        event_document_file,
        administration_list
    ),
    components(schemas(
        Template,
        TemplateInput,
        TemplatePatch,
        LocalHoliday,
        HolidayBody,
        Procedure,
        ProcedureDetail,
        ProcedurePatch,
        ProcEvent,
        EventBody,
        EventProblem,
        PlanView,
        PlanRow,
        ChecklistEntry,
        ProjectProcedures,
        AddBody,
        AddBodyItem,
        AddedProcedures,
        EventKindName,
        StatusName
    ))
)]
pub struct Api;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route(
            "/procedure-templates",
            get(list_templates).post(create_template),
        )
        .route(
            "/procedure-templates/{id}",
            get(read_template)
                .patch(update_template)
                .delete(delete_template),
        )
        .route("/local-holidays", get(list_holidays).post(create_holiday))
        .route("/local-holidays/{id}", delete(delete_holiday))
        .route(
            "/projects/{id}/procedures",
            get(list_procedures).post(add_procedures),
        )
        .route("/projects/{id}/procedures/checklist", get(checklist))
        .route("/projects/{id}/procedures/plan", get(plan))
        .route(
            "/projects/{id}/procedures/{pid}",
            get(read_procedure)
                .patch(update_procedure)
                .delete(delete_procedure),
        )
        .route(
            "/projects/{id}/procedures/{pid}/events",
            get(list_events).post(record_event),
        )
        .route(
            "/projects/{id}/procedures/{pid}/documents/{did}/file",
            get(event_document_file),
        )
        .route("/procedures", get(administration_list))
}

// ---- Shared ----

/// A kind of event of a procedure.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKindName {
    Filed,
    Complete,
    CorrectionRequested,
    Corrected,
    Granted,
    Denied,
    Silence,
    Note,
}

/// Where a procedure stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Pending,
    Filed,
    Running,
    Paused,
    Granted,
    Denied,
    SilencePositive,
    SilenceNegative,
}

/// The field errors of a validation as the API's 422, in English.
pub fn invalid(state: &AppState, errs: &[Invalid]) -> ApiError {
    let en = english(state);
    ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
}

/// Event kinds as the API names them, joined for a message.
pub fn kind_names(kinds: &[EventKind]) -> String {
    if kinds.is_empty() {
        return "—".to_owned();
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A storage error as the API's answer (event refusals: see [`event_refused`]).
pub fn write_error(state: &AppState, e: WriteError) -> Response {
    match e {
        WriteError::NotFound => ApiError::NotFound.into_response(),
        WriteError::Conflict(c) => ApiError::Conflict(c).into_response(),
        WriteError::Invalid(errs) => invalid(state, &errs).into_response(),
        WriteError::Event(err, allowed) => event_refused(state, &err, allowed),
        WriteError::NotPermitted(allowed) => {
            let en = english(state);
            let error =
                Invalid::with("kind", "not_permitted", kind_names(&allowed)).to_field_error(&en);
            event_problem(vec![error], allowed)
        }
        WriteError::InUse => invalid(state, &[Invalid::new("id", "in_use")]).into_response(),
        WriteError::Db(e) => ApiError::from(e).into_response(),
        WriteError::Mail(e) => ApiError::Internal(e).into_response(),
    }
}

/// The clock's refusal as a 422 naming what this user may record now.
pub fn event_refused(state: &AppState, err: &EventError, allowed: Vec<EventKind>) -> Response {
    let (field, inv) = match err {
        EventError::NotAllowed { .. } => (
            "kind",
            Invalid::with("kind", "not_allowed", kind_names(&allowed)),
        ),
        EventError::BeforePrevious { previous } => (
            "on_date",
            Invalid::with("on_date", "before_previous", format_date(*previous)),
        ),
        EventError::TermNotPassed { due } => (
            "kind",
            Invalid::with(
                "kind",
                "term_not_passed",
                due.map_or_else(|| "—".to_owned(), format_date),
            ),
        ),
    };
    let _ = field;
    let en = english(state);
    event_problem(vec![inv.to_field_error(&en)], allowed)
}

/// An event that cannot be recorded: the usual problem, with the kinds of event the
/// caller may record now.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// The events the procedure's status allows that the caller may record (on a
    /// refused event; absent on other invalid fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<EventKindName>>)]
    pub allowed: Option<Vec<String>>,
}

fn event_problem(errors: Vec<FieldError>, allowed: Vec<EventKind>) -> Response {
    let body = EventProblem {
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
        allowed: Some(allowed.iter().map(|k| k.as_str().to_owned()).collect()),
    };
    let mut res = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

/// Reading the catalogue and the holidays: the office, the administrations and
/// the investors.
fn may_read_catalogue(u: &User) -> bool {
    u.role.is_office() || matches!(u.role, Role::PactMember | Role::Investor)
}

fn admin_only(u: &User) -> Result<(), ApiError> {
    if u.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn created(location: String, body: impl Serialize) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A project the caller sees as the office or its investor (404 otherwise).
async fn project_of(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<Option<(Project, Access)>, ApiError> {
    if !projects::looks_like_id(id) {
        return Ok(None);
    }
    Ok(projects::visible(state.db.reader(), user, id).await?)
}

/// A project the office may change: 404 when the caller may not see it, 403 when
/// it sees it but may not change it.
async fn editable(state: &AppState, user: &User, id: &str) -> Result<Project, ApiError> {
    match project_of(state, user, id).await? {
        Some((p, a)) if a.edit && !a.investor => Ok(p),
        Some(_) => Err(ApiError::Forbidden),
        None => Err(ApiError::NotFound),
    }
}

/// A procedure of the project `project_id` as the caller may see it (404 otherwise).
async fn procedure_of(
    state: &AppState,
    user: &User,
    project_id: &str,
    pid: &str,
) -> Result<(Procedure, ProcAccess), ApiError> {
    let mut conn = state.db.reader().acquire().await?;
    match store::visible(&mut conn, user, pid).await? {
        Some((p, a)) if p.project_id == project_id => Ok((p, a)),
        _ => Err(ApiError::NotFound),
    }
}

// ---- The catalogue ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// Only the active entries (`true`) or only the inactive ones (`false`).
    pub active: Option<bool>,
}

/// The procedure catalogue, in its order. The office, administrations' users and
/// investors may read it.
#[utoipa::path(get, path = "/api/v1/procedure-templates", tag = "office", params(TemplateQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "The catalogue", body = Vec<Template>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_templates(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Json<Vec<Template>>, ApiError> {
    if !may_read_catalogue(&user) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.reader().acquire().await?;
    let all = store::templates(&mut conn, false).await?;
    Ok(Json(
        all.into_iter()
            .filter(|t| q.active.is_none_or(|a| t.active == a))
            .collect(),
    ))
}

/// Adds an entry to the catalogue (administrator).
#[utoipa::path(post, path = "/api/v1/procedure-templates", tag = "office", request_body = TemplateInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = Template),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a code taken, unknown references", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_template(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<TemplateInput>,
) -> Result<Response, ApiError> {
    admin_only(&user)?;
    let v = store::validate_template(&body, None).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let id = match store::create_template(&mut tx, &user, &v).await {
        Ok(id) => id,
        Err(e) => return Ok(write_error(&state, e)),
    };
    let t = store::template(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(created(format!("/api/v1/procedure-templates/{id}"), t))
}

/// One entry of the catalogue.
#[utoipa::path(get, path = "/api/v1/procedure-templates/{id}", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Template),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_template(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Template>, ApiError> {
    if !may_read_catalogue(&user) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.reader().acquire().await?;
    store::template(&mut conn, &id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// A change of a catalogue entry: the fields to change as a JSON merge patch and
/// the `version` read. Fields shown but not taken (`id`, `administration_name`...)
/// may be sent back and are ignored.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplatePatch {
    /// The version read (required).
    pub version: i64,
    /// 2–60 characters: lower-case letters, digits and `_`; unique.
    pub code: Option<String>,
    pub name_es: Option<String>,
    pub name_en: Option<String>,
    /// `council`, `region`, `state`, `registry` or `operator`.
    pub level: Option<String>,
    pub authority_es: Option<String>,
    pub authority_en: Option<String>,
    pub administration_org_id: Option<String>,
    pub legal_basis: Option<String>,
    pub source_url: Option<String>,
    /// 1–3650.
    pub term_value: Option<i64>,
    /// `business_days`, `calendar_days` or `months`.
    pub term_unit: Option<String>,
    pub term_confirmed: Option<bool>,
    /// `positive` or `negative`.
    pub silence: Option<String>,
    pub rule_cnae_prefixes: Option<Vec<String>>,
    pub rule_min_power_kva: Option<f64>,
    pub notes_es: Option<String>,
    pub notes_en: Option<String>,
    pub active: Option<bool>,
    pub position: Option<i64>,
    pub depends_on: Option<Vec<String>>,
}

const TEMPLATE_READ_ONLY: [&str; 5] = [
    "id",
    "administration_name",
    "administration_dir3",
    "created_at",
    "updated_at",
];

/// Changes a catalogue entry (administrator); the procedures made from it keep
/// their copy of the name, term and silence.
#[utoipa::path(patch, path = "/api/v1/procedure-templates/{id}", tag = "office", params(("id" = String, Path)), request_body = TemplatePatch, security(("bearer" = [])),
    responses(
        (status = 200, body = Template),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown dependencies, a cycle", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_template(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Response, ApiError> {
    admin_only(&user)?;
    let current = {
        let mut conn = state.db.reader().acquire().await?;
        store::template(&mut conn, &id)
            .await?
            .ok_or(ApiError::NotFound)?
    };
    let (input, version) =
        crate::api::merge_patch(&TemplateInput::from(&current), patch, &TEMPLATE_READ_ONLY)?;
    let v = store::validate_template(&input, Some(&current)).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    if let Err(e) = store::update_template(&mut tx, &user, &id, version, &v).await {
        return Ok(write_error(&state, e));
    }
    let t = store::template(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(t).into_response())
}

/// Deletes a catalogue entry (administrator); procedures made from it keep their copy.
#[utoipa::path(delete, path = "/api/v1/procedure-templates/{id}", tag = "office", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_template(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    admin_only(&user)?;
    let mut tx = state.db.writer().begin().await?;
    let current = store::template(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let version = q.version.unwrap_or(current.version);
    if let Err(e) = store::delete_template(&mut tx, &user, &id, version).await {
        return Ok(write_error(&state, e));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- Local holidays ----

/// The local holidays of the municipalities (two a year each): the clocks of
/// the administrations there skip them.
#[utoipa::path(get, path = "/api/v1/local-holidays", tag = "office", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<LocalHoliday>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_holidays(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<LocalHoliday>>, ApiError> {
    if !may_read_catalogue(&user) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.reader().acquire().await?;
    Ok(Json(store::local_holidays(&mut conn).await?))
}

/// A local holiday to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayBody {
    /// INE code of the municipality (`39087`).
    pub municipality_code: Option<String>,
    /// `YYYY-MM-DD`.
    pub on_date: Option<String>,
    pub name_es: Option<String>,
    pub name_en: Option<String>,
}

/// Adds a local holiday (administrator): the due dates of the procedures held by
/// administrations of that municipality move.
#[utoipa::path(post, path = "/api/v1/local-holidays", tag = "office", request_body = HolidayBody, security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = LocalHoliday),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, an unknown municipality, the day taken", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_holiday(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<HolidayBody>,
) -> Result<Response, ApiError> {
    admin_only(&user)?;
    let (m, d, es, en) = store::validate_holiday(
        body.municipality_code.as_deref(),
        body.on_date.as_deref(),
        body.name_es.as_deref(),
        body.name_en.as_deref(),
    )
    .map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let id = match store::add_local_holiday(&mut tx, &user, &m, d, &es, &en).await {
        Ok(id) => id,
        Err(e) => return Ok(write_error(&state, e)),
    };
    let h = store::local_holiday(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(created(format!("/api/v1/local-holidays/{id}"), h))
}

/// Deletes a local holiday (administrator); the due dates move back.
#[utoipa::path(delete, path = "/api/v1/local-holidays/{id}", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_holiday(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    admin_only(&user)?;
    let mut tx = state.db.writer().begin().await?;
    if let Err(e) = store::delete_local_holiday(&mut tx, &user, &id).await {
        return Ok(write_error(&state, e));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- A project's procedures ----

/// A project's procedures as the caller sees them, with their plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectProcedures {
    pub items: Vec<Procedure>,
    /// The procedures on the calendar, with the critical path and the expected
    /// date of the last decision.
    pub plan: PlanView,
}

/// The caller's procedures of a project and their plan (404 when it sees none).
async fn seen_procedures(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<ProjectProcedures, ApiError> {
    let mut conn = state.db.reader().acquire().await?;
    let seen = store::project_procedures(&mut conn, user, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let ids: Vec<String> = seen.procedures.iter().map(|(p, _)| p.id.clone()).collect();
    let plan = if seen.project.is_some() {
        store::plan(&mut conn, id, madrid::today()).await?
    } else {
        store::plan_of_some(&mut conn, id, &ids, madrid::today()).await?
    };
    Ok(ProjectProcedures {
        items: seen.procedures.into_iter().map(|(p, _)| p).collect(),
        plan,
    })
}

/// A project's procedures with their legal due dates and the plan: the office
/// (with access to the project) and its investor see all of them; a user of an
/// administration only those its administration holds (404 when none).
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = ProjectProcedures),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or none of its procedures is the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_procedures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProjectProcedures>, ApiError> {
    Ok(Json(seen_procedures(&state, &user, &id).await?))
}

/// The plan alone: the procedures on the calendar through their dependencies,
/// the critical path and the expected date of the last decision.
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures/plan", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = PlanView),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<PlanView>, ApiError> {
    Ok(Json(seen_procedures(&state, &user, &id).await?.plan))
}

/// What the checklist proposes for a project from its activity (CNAE) and the
/// power it asks for: every active catalogue entry, whether it applies and why
/// (the office).
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures/checklist", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<ChecklistEntry>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the office", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn checklist(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<ChecklistEntry>>, ApiError> {
    let (p, a) = project_of(&state, &user, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if a.investor {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.reader().acquire().await?;
    Ok(Json(store::checklist(&mut conn, &p).await?))
}

/// Catalogue entries to add to a project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBody {
    /// 1–50 entries, each at most once per project.
    pub items: Vec<AddBodyItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBodyItem {
    pub template_id: String,
    /// The administration that holds it (default: the catalogue's).
    pub administration_org_id: Option<String>,
}

/// The procedures just added.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedProcedures {
    pub items: Vec<Procedure>,
}

/// Adds procedures from the catalogue to a project (the office, with the right to
/// change the project): name, legal basis, term and silence are copied, the
/// dependencies follow the catalogue's, and each administration is told by e-mail.
#[utoipa::path(post, path = "/api/v1/projects/{id}/procedures", tag = "office", params(("id" = String, Path)), request_body = AddBody, security(("bearer" = [])),
    responses(
        (status = 201, body = AddedProcedures),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown entries or organisations, an entry already added, no administration", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_procedures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AddBody>,
) -> Result<Response, ApiError> {
    let project = editable(&state, &user, &id).await?;
    let items: Vec<AddItem> = body
        .items
        .into_iter()
        .map(|i| AddItem {
            template_id: i.template_id,
            administration_org_id: i.administration_org_id,
        })
        .collect();
    let mut tx = state.db.writer().begin().await?;
    let ids = match store::add(&state, &mut tx, &user, &project, &items).await {
        Ok(ids) => ids,
        Err(e) => return Ok(write_error(&state, e)),
    };
    tx.commit().await?;
    let mut conn = state.db.reader().acquire().await?;
    let all = store::of_project(&mut conn, &id).await?;
    let items = all.into_iter().filter(|p| ids.contains(&p.id)).collect();
    Ok((StatusCode::CREATED, Json(AddedProcedures { items })).into_response())
}

// ---- One procedure ----

/// A procedure with its events and what the caller may do with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDetail {
    #[serde(flatten)]
    pub procedure: Procedure,
    /// The events, in order.
    pub events: Vec<ProcEvent>,
    /// The events the status allows that the caller may record now.
    #[schema(value_type = Vec<EventKindName>)]
    pub allowed_events: Vec<String>,
    /// The caller may change the administration, dependencies and notes, or remove it.
    pub may_edit: bool,
    /// The caller may set the file reference.
    pub may_set_file_reference: bool,
}

async fn detail(
    state: &AppState,
    user: &User,
    project_id: &str,
    pid: &str,
) -> Result<ProcedureDetail, ApiError> {
    let (p, a) = procedure_of(state, user, project_id, pid).await?;
    let mut conn = state.db.reader().acquire().await?;
    let events = store::events(&mut conn, &p.id).await?;
    Ok(ProcedureDetail {
        allowed_events: a
            .recordable(p.status())
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        may_edit: a.may_edit(),
        may_set_file_reference: a.may_set_file_reference(),
        procedure: p,
        events,
    })
}

/// One procedure with its events: the office and the project's investor, or a user
/// of the administration that holds it (which sees the project's code name and
/// activity only).
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures/{pid}", tag = "office", params(("id" = String, Path), ("pid" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = ProcedureDetail),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_procedure(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
) -> Result<Json<ProcedureDetail>, ApiError> {
    Ok(Json(detail(&state, &user, &id, &pid).await?))
}

/// A change of a procedure as a JSON merge patch with the `version` read. The
/// office changes any of these; the administration only `file_reference`. Fields
/// shown but not taken (`status`, `due_on`...) may be sent back and are ignored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedurePatch {
    /// The version read (required).
    pub version: i64,
    /// An organisation (the office only).
    pub administration_org_id: Option<String>,
    /// The administration's file number (up to 100 characters).
    pub file_reference: Option<String>,
    /// The office's notes (up to 5,000 characters).
    pub notes: Option<String>,
    /// Procedures of the same project it waits for (no cycles).
    pub depends_on: Option<Vec<String>>,
}

/// The fields of a procedure a change takes, merged over the current ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureFields {
    administration_org_id: Option<String>,
    file_reference: Option<String>,
    notes: Option<String>,
    depends_on: Option<Vec<String>>,
}

/// Fields of a procedure the API shows but a change does not take.
const PROCEDURE_READ_ONLY: [&str; 29] = [
    "id",
    "project_id",
    "project_code_name",
    "project_cnae_code",
    "template_id",
    "template_code",
    "name_es",
    "name_en",
    "administration_name",
    "administration_dir3",
    "legal_basis",
    "term_value",
    "term_unit",
    "silence",
    "status",
    "filed_on",
    "started_on",
    "due_on",
    "resolved_on",
    "elapsed",
    "remaining",
    "overdue",
    "within_term",
    "created_at",
    "updated_at",
    "events",
    "allowed_events",
    "may_edit",
    "may_set_file_reference",
];

/// Changes a procedure: the office (with the right to change the project) its
/// administration (who is told by e-mail), file reference, notes and dependencies;
/// the administration that holds it its file reference only (403 for the rest).
#[utoipa::path(patch, path = "/api/v1/projects/{id}/procedures/{pid}", tag = "office", params(("id" = String, Path), ("pid" = String, Path)), request_body = ProcedurePatch, security(("bearer" = [])),
    responses(
        (status = 200, body = ProcedureDetail),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown references, a cycle", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_procedure(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let (p, a) = procedure_of(&state, &user, &id, &pid).await?;
    if !a.may_set_file_reference() {
        return Err(ApiError::Forbidden);
    }
    let current = ProcedureFields {
        administration_org_id: Some(p.administration_org_id.clone()),
        file_reference: p.file_reference.clone(),
        notes: Some(p.notes.clone()),
        depends_on: Some(p.depends_on.clone()),
    };
    let (input, version) = crate::api::merge_patch(&current, patch, &PROCEDURE_READ_ONLY)?;
    let mut tx = state.db.writer().begin().await?;
    let done = if a.may_edit() {
        let edit = store::validate_edit(
            input.administration_org_id.as_deref(),
            input.file_reference.as_deref(),
            input.notes.as_deref(),
            input.depends_on.as_deref().unwrap_or_default(),
        )
        .map_err(|e| invalid(&state, &e))?;
        store::update(&state, &mut tx, &user, &pid, version, &edit).await
    } else {
        let mut deps = input.depends_on.clone().unwrap_or_default();
        deps.sort();
        let mut had = p.depends_on.clone();
        had.sort();
        let others_same = input.administration_org_id == current.administration_org_id
            && input.notes.as_deref().unwrap_or("").trim() == p.notes.trim()
            && deps == had;
        if !others_same {
            return Err(ApiError::Forbidden);
        }
        store::set_file_reference(
            &mut tx,
            &user,
            &pid,
            version,
            input.file_reference.as_deref(),
        )
        .await
    };
    if let Err(e) = done {
        return Ok(write_error(&state, e));
    }
    tx.commit().await?;
    Ok(Json(detail(&state, &user, &id, &pid).await?).into_response())
}

/// Removes a procedure with its events (the office, with the right to change the project).
#[utoipa::path(delete, path = "/api/v1/projects/{id}/procedures/{pid}", tag = "office", params(("id" = String, Path), ("pid" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_procedure(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    let (p, a) = procedure_of(&state, &user, &id, &pid).await?;
    if !a.may_edit() {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.writer().begin().await?;
    if let Err(e) = store::delete(&mut tx, &user, &pid, q.version.unwrap_or(p.version)).await {
        return Ok(write_error(&state, e));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- Events ----

/// The events of a procedure, in order.
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures/{pid}/events", tag = "office", params(("id" = String, Path), ("pid" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<ProcEvent>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
) -> Result<Json<Vec<ProcEvent>>, ApiError> {
    let (p, _) = procedure_of(&state, &user, &id, &pid).await?;
    let mut conn = state.db.reader().acquire().await?;
    Ok(Json(store::events(&mut conn, &p.id).await?))
}

/// An event to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    /// One of the procedure's `allowed_events`.
    #[schema(value_type = EventKindName)]
    pub kind: String,
    /// The date the law counts (`YYYY-MM-DD`; default today in Madrid): not in the
    /// future, not before the previous event.
    pub on_date: Option<String>,
    /// Up to 5,000 characters; for a correction request, what is asked.
    pub note: Option<String>,
    /// A document of the project handed in with it (required when the investor
    /// hands in a correction).
    pub document_id: Option<String>,
    /// The procedure's version read.
    pub version: i64,
}

/// Records an event: the administration that holds the procedure records the
/// file's steps and decisions (`filed`, `complete`, `correction_requested`,
/// `granted`, `denied`, `silence` after the due date, `note`); the investor hands in
/// a correction (`corrected`, with a document of the project) or adds a note;
/// the office (with the right to change the project) records any. The legal due
/// date follows: it starts the day after `complete`, pauses with a correction
/// request and resumes after the correction. A correction request opens a
/// document request for the investor and e-mails it.
#[utoipa::path(post, path = "/api/v1/projects/{id}/procedures/{pid}/events", tag = "office", params(("id" = String, Path), ("pid" = String, Path)), request_body = EventBody, security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded: the procedure as it stands now", body = ProcedureDetail),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may record nothing on this procedure", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An event the status or the caller does not allow (with `allowed`), a date in the future or before the last event, silence before the due date, an unknown document", body = EventProblem, content_type = "application/problem+json"),
    ))]
pub async fn record_event(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Response, ApiError> {
    let (p, a) = procedure_of(&state, &user, &id, &pid).await?;
    if !a.office && !a.administration && !a.investor {
        return Err(ApiError::Forbidden);
    }
    let allowed = a.recordable(p.status());
    let Some(kind) = EventKind::parse(&body.kind) else {
        let en = english(&state);
        let e = Invalid::with(
            "kind",
            "invalid_kind",
            body.kind
                .chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect::<String>(),
        )
        .to_field_error(&en);
        return Ok(event_problem(vec![e], allowed));
    };
    let mut errs = Vec::new();
    let on_date = match body
        .on_date
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => madrid::today(),
        Some(d) => match parse_date(d) {
            Some(d) => d,
            None => {
                errs.push(Invalid::with(
                    "on_date",
                    "invalid_date",
                    d.chars()
                        .filter(|c| !c.is_control())
                        .take(20)
                        .collect::<String>(),
                ));
                madrid::today()
            }
        },
    };
    let note = match store::validate_note(body.note.as_deref()) {
        Ok(n) => n,
        Err(e) => {
            errs.extend(e);
            String::new()
        }
    };
    if !errs.is_empty() {
        return Err(invalid(&state, &errs));
    }
    let ev = NewEvent {
        kind,
        on_date,
        note,
        document_id: body.document_id.clone(),
    };
    let mut tx = state.db.writer().begin().await?;
    if let Err(e) = store::record(&state, &mut tx, &user, &pid, body.version, &ev).await {
        return Ok(write_error(&state, e));
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &user, &id, &pid).await?),
    )
        .into_response())
}

/// Downloads the file of a document attached to one of the procedure's events (the
/// correction handed in, the decision): for whoever sees the procedure, including the
/// administration that holds it, which sees no other document of the project.
#[utoipa::path(get, path = "/api/v1/projects/{id}/procedures/{pid}/documents/{did}/file", tag = "office",
    params(("id" = String, Path), ("pid" = String, Path), ("did" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file", content(
            ("application/pdf"), ("image/png"), ("image/jpeg"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.oasis.opendocument.text"),
            ("application/vnd.oasis.opendocument.spreadsheet"),
            ("application/octet-stream"))),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such procedure or document, not attached to its events, or no file yet", body = Problem, content_type = "application/problem+json")))]
pub async fn event_document_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, pid, did)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    let (p, a) = procedure_of(&state, &user, &id, &pid).await?;
    let attached = {
        let mut conn = state.db.reader().acquire().await?;
        store::event_document(&mut conn, &p.id, &did).await?
    };
    if !attached {
        return Err(ApiError::NotFound);
    }
    crate::office::portal::api::file_response(&state, &p.project_id, &did, a.investor)
        .await?
        .ok_or(ApiError::NotFound)
}

// ---- The administrations' list ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminListQuery {
    /// One status.
    #[param(value_type = Option<StatusName>)]
    pub status: Option<String>,
    /// Only the procedures running past their due date.
    pub overdue: Option<bool>,
    /// Words of the procedure's name, the project's code name or the file reference.
    pub q: Option<String>,
    /// One administration (the office; an administration's user: one of its own).
    pub administration_org_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Procedures across projects, by due date (those without one last): a user of an
/// administration sees those its administrations hold; the office sees all (or one
/// administration's with `administration_org_id`). Others get 403.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "office", params(AdminListQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<Procedure>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the office nor an administration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn administration_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<AdminListQuery>,
) -> Result<Json<Page<Procedure>>, ApiError> {
    let office = policy::is_office(&user);
    if !office && user.role != Role::PactMember {
        return Err(ApiError::Forbidden);
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    if let Some(k) = paging.after.as_deref()
        && store::split_key(k).is_none()
    {
        return Err(ApiError::field(
            "cursor",
            "invalid_cursor",
            "cursor is not one this API gave",
        ));
    }
    let mut errs = Vec::new();
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let found = Status::parse(s);
            if found.is_none() {
                errs.push(Invalid::with(
                    "status",
                    "invalid_status",
                    s.chars()
                        .filter(|c| !c.is_control())
                        .take(40)
                        .collect::<String>(),
                ));
            }
            found
        }
    };
    let text_q = crate::web::invalid::text(&mut errs, "q", q.q.as_deref(), 200, false);
    let org = q
        .administration_org_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(o) = org
        && !projects::looks_like_id(o)
    {
        errs.push(Invalid::with(
            "administration_org_id",
            "unknown_organization",
            o.chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect::<String>(),
        ));
    }
    if !errs.is_empty() {
        return Err(invalid(&state, &errs));
    }
    let orgs: Vec<String> = match (office, org) {
        (true, Some(o)) => vec![o.to_owned()],
        (true, None) => Vec::new(),
        (false, Some(o)) => {
            if user.organization_ids.iter().any(|x| x == o) {
                vec![o.to_owned()]
            } else {
                return Ok(Json(Page {
                    items: Vec::new(),
                    next_cursor: None,
                }));
            }
        }
        (false, None) => user.organization_ids.clone(),
    };
    if !office && orgs.is_empty() {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let filter = AdminFilter {
        status,
        overdue: q.overdue.unwrap_or(false),
        q: text_q,
    };
    let (items, _) = store::for_administrations(
        state.db.reader(),
        &orgs,
        &filter,
        paging.after.as_deref(),
        paging.fetch(),
    )
    .await?;
    Ok(Json(paging.page(items, store::list_key)))
}
