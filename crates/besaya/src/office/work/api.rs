//! `/api/v1/projects/{id}/interactions` and `/api/v1/projects/{id}/tasks`.
//!
//! Interactions and tasks are the office's working notes on a project: only
//! those who may change the project read and write them (its owner and team on
//! a confidential project, any member of the office on an open one, the
//! administrator). Others of the office get 403; the investor's own users get
//! 403 too (the activity is internal to the office); anyone who may not know
//! the project exists gets 404.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::store::{
    self, INTERACTION_READ_ONLY, Interaction, InteractionInput, TASK_READ_ONLY, Task, TaskFilter,
    TaskInput, WriteError,
};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, Page, PageQuery, Paging};
use crate::auth::{ApiUser, User};
use crate::office::projects::{self, Project};
use crate::office::{invalid, policy::Access};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route(
            "/projects/{id}/interactions",
            get(list_interactions).post(create_interaction),
        )
        .route(
            "/projects/{id}/interactions/{iid}",
            get(read_interaction)
                .patch(update_interaction)
                .delete(delete_interaction),
        )
        .route("/projects/{id}/tasks", get(list_tasks).post(create_task))
        .route(
            "/projects/{id}/tasks/{tid}",
            get(read_task).patch(update_task).delete(delete_task),
        )
}

/// The project, when `user` may work on it: 404 when they must not know it
/// exists, 403 when they may see it but not its activity.
pub async fn workable(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<(Project, Access), ApiError> {
    if !store::plausible_id(id) {
        return Err(ApiError::NotFound);
    }
    let (project, access) = projects::visible(state.db.reader(), user, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if access.investor || !access.edit {
        return Err(ApiError::Forbidden);
    }
    Ok((project, access))
}

pub fn write_error(state: &AppState, e: WriteError) -> ApiError {
    match e {
        WriteError::NotFound => ApiError::NotFound,
        WriteError::Conflict(c) => ApiError::from(c),
        WriteError::Invalid(errs) => invalid(state, &errs),
        WriteError::Db(e) => e.into(),
    }
}

fn bad_cursor() -> ApiError {
    ApiError::field(
        "cursor",
        "invalid_cursor",
        "cursor is not one this API gave",
    )
}

/// Splits a cursor key `a|b` (printable text only, as this API gives).
fn key_pair(after: Option<&str>) -> Result<Option<(&str, &str)>, ApiError> {
    match after {
        None => Ok(None),
        Some(k) if k.chars().any(char::is_control) || k.len() > 200 => Err(bad_cursor()),
        Some(k) => k.split_once('|').map(Some).ok_or_else(bad_cursor),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// `true`: only tasks done; `false`: only open ones; left out: all.
    pub done: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

// ---- Interactions ----

/// A project's interactions (meetings, calls, visits, e-mails), newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/interactions", tag = "office",
    params(("id" = String, Path, description = "The project"), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Interaction>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one who works on the project (or an investor)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list_interactions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Interaction>>, ApiError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let after = key_pair(paging.after.as_deref())?;
    workable(&state, &user, &id).await?;
    let rows = store::interactions(state.db.reader(), &id, after, paging.fetch()).await?;
    Ok(Json(
        paging.page(rows, |i| format!("{}|{}", i.occurred_at, i.id)),
    ))
}

/// One interaction.
#[utoipa::path(get, path = "/api/v1/projects/{id}/interactions/{iid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("iid" = String, Path, description = "The interaction")),
    security(("bearer" = [])),
    responses((status = 200, body = Interaction),
        (status = 400, description = "Malformed path", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read_interaction(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, iid)): ApiPath<(String, String)>,
) -> Result<Json<Interaction>, ApiError> {
    workable(&state, &user, &id).await?;
    let mut conn = state.db.reader().acquire().await?;
    store::interaction(&mut conn, &id, &iid)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Records an interaction with the investor. It is added to the project's
/// (internal) timeline.
#[utoipa::path(post, path = "/api/v1/projects/{id}/interactions", tag = "office",
    params(("id" = String, Path, description = "The project")), request_body = InteractionInput, security(("bearer" = [])),
    responses((status = 201, body = Interaction),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create_interaction(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InteractionInput>,
) -> Result<(StatusCode, Json<Interaction>), ApiError> {
    workable(&state, &user, &id).await?;
    let valid = store::validate_interaction(&body).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let iid = store::create_interaction(&mut tx, Some(&user.id), &id, &valid)
        .await
        .map_err(|e| write_error(&state, e))?;
    let created = store::interaction(&mut tx, &id, &iid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes an interaction: a JSON merge patch with the `version` read.
#[utoipa::path(patch, path = "/api/v1/projects/{id}/interactions/{iid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("iid" = String, Path, description = "The interaction")),
    request_body = InteractionInput, security(("bearer" = [])),
    responses((status = 200, body = Interaction),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update_interaction(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, iid)): ApiPath<(String, String)>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Interaction>, ApiError> {
    workable(&state, &user, &id).await?;
    let current = {
        let mut conn = state.db.reader().acquire().await?;
        store::interaction(&mut conn, &id, &iid)
            .await?
            .ok_or(ApiError::NotFound)?
    };
    let (input, version) = crate::api::merge_patch(
        &InteractionInput::from(&current),
        patch,
        &INTERACTION_READ_ONLY,
    )?;
    let valid = store::validate_interaction(&input).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    store::update_interaction(&mut tx, Some(&user.id), &id, &iid, version, &valid)
        .await
        .map_err(|e| write_error(&state, e))?;
    let updated = store::interaction(&mut tx, &id, &iid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// Deletes an interaction (`?version=` the version read: 409 when stale).
#[utoipa::path(delete, path = "/api/v1/projects/{id}/interactions/{iid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("iid" = String, Path, description = "The interaction"), DeleteQuery),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn delete_interaction(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, iid)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    workable(&state, &user, &id).await?;
    let mut tx = state.db.writer().begin().await?;
    store::delete_interaction(&mut tx, Some(&user.id), &id, &iid, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Tasks ----

/// A project's tasks by due date.
#[utoipa::path(get, path = "/api/v1/projects/{id}/tasks", tag = "office",
    params(("id" = String, Path, description = "The project"), TaskQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Task>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one who works on the project (or an investor)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list_tasks(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> Result<Json<Page<Task>>, ApiError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let after = key_pair(paging.after.as_deref())?;
    workable(&state, &user, &id).await?;
    let filter = match q.done {
        None => TaskFilter::All,
        Some(true) => TaskFilter::Done,
        Some(false) => TaskFilter::Open,
    };
    let rows = store::tasks(state.db.reader(), &id, filter, after, paging.fetch()).await?;
    Ok(Json(
        paging.page(rows, |t| format!("{}|{}", t.due_on, t.id)),
    ))
}

/// One task.
#[utoipa::path(get, path = "/api/v1/projects/{id}/tasks/{tid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("tid" = String, Path, description = "The task")),
    security(("bearer" = [])),
    responses((status = 200, body = Task),
        (status = 400, description = "Malformed path", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, tid)): ApiPath<(String, String)>,
) -> Result<Json<Task>, ApiError> {
    workable(&state, &user, &id).await?;
    let mut conn = state.db.reader().acquire().await?;
    store::task(&mut conn, &id, &tid)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Adds a task. Its owner (default: the caller) must be an active member of
/// the office who may work on the project; the day before it is due, and once
/// when it is overdue, the owner gets an e-mail.
#[utoipa::path(post, path = "/api/v1/projects/{id}/tasks", tag = "office",
    params(("id" = String, Path, description = "The project")), request_body = TaskInput, security(("bearer" = [])),
    responses((status = 201, body = Task),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an owner who may not work on the project", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Task>), ApiError> {
    let (project, _) = workable(&state, &user, &id).await?;
    let valid = store::validate_task(&body, &user).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let errs = store::check_owner(&mut tx, &project, &valid.owner_id).await?;
    if !errs.is_empty() {
        return Err(invalid(&state, &errs));
    }
    let tid = store::create_task(&mut tx, Some(&user.id), &id, &valid)
        .await
        .map_err(|e| write_error(&state, e))?;
    let created = store::task(&mut tx, &id, &tid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes a task: a JSON merge patch with the `version` read —
/// `{"done": true, "version": 3}` marks it done, `false` opens it again. A new
/// due day or owner gets the reminders afresh.
#[utoipa::path(patch, path = "/api/v1/projects/{id}/tasks/{tid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("tid" = String, Path, description = "The task")),
    request_body = TaskInput, security(("bearer" = [])),
    responses((status = 200, body = Task),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, tid)): ApiPath<(String, String)>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Task>, ApiError> {
    let (project, _) = workable(&state, &user, &id).await?;
    let current = {
        let mut conn = state.db.reader().acquire().await?;
        store::task(&mut conn, &id, &tid)
            .await?
            .ok_or(ApiError::NotFound)?
    };
    let (input, version) =
        crate::api::merge_patch(&TaskInput::from(&current), patch, &TASK_READ_ONLY)?;
    let valid = store::validate_task(&input, &user).map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    if valid.owner_id != current.owner_id {
        let errs = store::check_owner(&mut tx, &project, &valid.owner_id).await?;
        if !errs.is_empty() {
            return Err(invalid(&state, &errs));
        }
    }
    store::update_task(&mut tx, Some(&user.id), &id, &tid, version, &valid)
        .await
        .map_err(|e| write_error(&state, e))?;
    let updated = store::task(&mut tx, &id, &tid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// Deletes a task (`?version=` the version read: 409 when stale).
#[utoipa::path(delete, path = "/api/v1/projects/{id}/tasks/{tid}", tag = "office",
    params(("id" = String, Path, description = "The project"), ("tid" = String, Path, description = "The task"), DeleteQuery),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn delete_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, tid)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    workable(&state, &user, &id).await?;
    let mut tx = state.db.writer().begin().await?;
    store::delete_task(&mut tx, Some(&user.id), &id, &tid, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
