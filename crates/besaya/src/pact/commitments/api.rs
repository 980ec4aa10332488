//! The commitments under `/api/v1/pact`: the tree as a flat list, one
//! commitment with its milestones and meetings, writes (secretariat; the
//! owner's representatives status, progress and milestones), the commitment of
//! an agreement, and the CSV export and import. Without a seat in the pact's
//! workspace everything answers 404; a seat that may not write gets 403.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::csv::{self, ImportReport, RowError};
use super::model::{Commitment, TreeLine};
use super::store::{self, CommitmentInput, MeetingLink, Milestone, MilestoneInput, WriteError};
use crate::AppState;
use crate::api::{
    ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, Page, PageQuery, Paging, Problem,
};
use crate::auth::{ApiUser, User};
use crate::office::work::madrid;
use crate::pact::alliance::{Seat, seat};
use crate::pact::{english, invalid};

#[derive(OpenApi)]
#[openapi(
    paths(
        list,
        create,
        read,
        update,
        remove,
        add_milestone,
        update_milestone,
        delete_milestone,
        link_meeting,
        unlink_meeting,
        from_agreement,
        export,
        import
    ),
    components(schemas(
        Commitment,
        CommitmentInput,
        TreeItem,
        CommitmentView,
        Milestone,
        MilestoneInput,
        MeetingLink,
        MeetingBody,
        ImportReport,
        RowError
    ))
)]
pub struct Api;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/pact/commitments", get(list).post(create))
        .route("/pact/commitments/export.csv", get(export))
        .route("/pact/commitments/import", post(import))
        .route(
            "/pact/commitments/{id}",
            get(read).patch(update).delete(remove),
        )
        .route("/pact/commitments/{id}/milestones", post(add_milestone))
        .route(
            "/pact/milestones/{id}",
            patch(update_milestone).delete(delete_milestone),
        )
        .route("/pact/commitments/{id}/meetings", post(link_meeting))
        .route(
            "/pact/commitments/{id}/meetings/{meeting_id}",
            delete(unlink_meeting),
        )
        .route("/pact/agreements/{id}/commitment", post(from_agreement))
}

type Fail = Response;

fn api(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

/// A storage error as the API's answer.
pub fn write_error(state: &AppState, e: WriteError) -> Response {
    match e {
        WriteError::NotFound => api(ApiError::NotFound),
        WriteError::Forbidden => api(ApiError::Forbidden),
        WriteError::Conflict(c) => api(ApiError::Conflict(c)),
        WriteError::Invalid(errs) => invalid(state, &errs).into_response(),
        WriteError::Db(e) => api(e),
        WriteError::Other(e) => api(ApiError::Internal(e)),
    }
}

/// The caller's seat; 404 without one.
async fn seated(state: &AppState, user: &User) -> Result<Seat, Fail> {
    let s = seat(&state.db, Some(user), madrid::today())
        .await
        .map_err(api)?;
    if s.in_workspace() {
        Ok(s)
    } else {
        Err(api(ApiError::NotFound))
    }
}

/// A commitment in the tree, with what the roll-up computed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreeItem {
    /// `1`, `1.2`, `1.2.3`.
    pub number: String,
    /// 0 for a root.
    pub depth: usize,
    /// Progress shown, 0–100 (children, indicator or typed in).
    pub progress: u8,
    /// `planned`, `in_progress`, `delayed`, `finished`, `cancelled`.
    pub shown: String,
    pub has_children: bool,
    /// The indicator's value now, when linked to one.
    pub indicator_value: Option<i64>,
    pub commitment: Commitment,
}

impl From<TreeLine> for TreeItem {
    fn from(l: TreeLine) -> Self {
        Self {
            number: l.number,
            depth: l.depth,
            progress: l.progress,
            shown: l.shown.as_str().to_owned(),
            has_children: l.has_children,
            indicator_value: l.indicator_value,
            commitment: l.commitment,
        }
    }
}

/// One commitment with its place in the tree, milestones and meetings.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentView {
    #[serde(flatten)]
    pub item: TreeItem,
    pub milestones: Vec<Milestone>,
    pub meetings: Vec<MeetingLink>,
    /// The caller may change everything (secretariat).
    pub may_edit: bool,
    /// The caller may report status, progress and milestones.
    pub may_report: bool,
}

/// The commitment as the tree shows it today, with its milestones and meetings.
pub async fn view(
    state: &AppState,
    seat: &Seat,
    id: &str,
) -> anyhow::Result<Option<CommitmentView>> {
    let lines = store::tree(&state.db, madrid::today(), false).await?;
    let Some(line) = lines.into_iter().find(|l| l.commitment.id == id) else {
        return Ok(None);
    };
    let mut conn = state.db.reader().acquire().await?;
    let milestones = store::milestones(&mut conn, id).await?;
    let meetings = store::meetings(&mut conn, id).await?;
    let may_report = seat.reports_for(line.commitment.owner_org_id.as_deref());
    Ok(Some(CommitmentView {
        item: line.into(),
        milestones,
        meetings,
        may_edit: seat.secretariat,
        may_report,
    }))
}

async fn view_or_404(state: &AppState, seat: &Seat, id: &str) -> Result<CommitmentView, Fail> {
    view(state, seat, id)
        .await
        .map_err(|e| api(ApiError::Internal(e)))?
        .ok_or_else(|| api(ApiError::NotFound))
}

fn created(location: String, body: impl Serialize) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// The tree of commitments in display order (depth first), each with its
/// number, depth, progress and status shown, and its indicator's value; pages
/// of `limit` lines (50 by default).
#[utoipa::path(get, path = "/api/v1/pact/commitments", tag = "pact", operation_id = "alliance_list_commitments",
    params(PageQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the tree", body = inline(Page<TreeItem>)),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No seat in the pact's workspace", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<TreeItem>>, Fail> {
    seated(&state, &user).await?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref()).map_err(api)?;
    let lines = store::tree(&state.db, madrid::today(), false)
        .await
        .map_err(|e| api(ApiError::Internal(e)))?;
    let items = lines.into_iter().map(TreeItem::from).collect();
    Ok(Json(paging.slice(items).map_err(api)?))
}

/// Creates a commitment (secretariat).
#[utoipa::path(post, path = "/api/v1/pact/commitments", tag = "pact", operation_id = "alliance_create_commitment", request_body = CommitmentInput, security(("bearer" = [])),
    responses(
        (status = 201, body = CommitmentView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown parent", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> Result<Response, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create(&mut tx, &user, &seat, &input, None, madrid::today())
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let v = view_or_404(&state, &seat, &id).await?;
    Ok(created(format!("/api/v1/pact/commitments/{id}"), v))
}

/// One commitment with its milestones and meetings.
#[utoipa::path(get, path = "/api/v1/pact/commitments/{id}", tag = "pact", operation_id = "alliance_read_commitment", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = CommitmentView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CommitmentView>, Fail> {
    let seat = seated(&state, &user).await?;
    Ok(Json(view_or_404(&state, &seat, &id).await?))
}

/// Fields of a commitment that a `PATCH` ignores (sent back from a `GET`).
const READ_ONLY: [&str; 17] = [
    "id",
    "reference",
    "owner_name",
    "agreement_id",
    "agreement_reference",
    "created_at",
    "updated_at",
    "number",
    "depth",
    "shown",
    "has_children",
    "indicator_value",
    "commitment",
    "milestones",
    "meetings",
    "may_edit",
    "may_report",
];

/// Changes a commitment (JSON merge patch with `version`): the secretariat
/// anything (moving it under its own descendant is 422); the owner's
/// representatives `status` and `progress` only (403 otherwise).
#[utoipa::path(patch, path = "/api/v1/pact/commitments/{id}", tag = "pact", operation_id = "alliance_update_commitment", params(("id" = String, Path)), request_body = CommitmentInput, security(("bearer" = [])),
    responses(
        (status = 200, body = CommitmentView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a loop", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<CommitmentView>, Fail> {
    let seat = seated(&state, &user).await?;
    let current = {
        let mut conn = state.db.reader().acquire().await.map_err(api)?;
        store::get(&mut conn, &id)
            .await
            .map_err(api)?
            .ok_or_else(|| api(ApiError::NotFound))?
    };
    let (input, version) =
        crate::api::merge_patch(&store::input_of(&current), body, &READ_ONLY).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update(&mut tx, &user, &seat, &id, version, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(view_or_404(&state, &seat, &id).await?))
}

/// Deletes a commitment without children (secretariat); its milestones and
/// meeting links go with it. With children: 422.
#[utoipa::path(delete, path = "/api/v1/pact/commitments/{id}", tag = "pact", operation_id = "alliance_delete_commitment", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "It has children", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::delete(&mut tx, &user, &seat, &id, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a milestone (secretariat or the owner's representatives).
#[utoipa::path(post, path = "/api/v1/pact/commitments/{id}/milestones", tag = "pact", operation_id = "alliance_add_milestone", params(("id" = String, Path)), request_body = MilestoneInput, security(("bearer" = [])),
    responses(
        (status = 201, body = Milestone),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_milestone(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> Result<Response, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let mid = store::add_milestone(&mut tx, &user, &seat, &id, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    let m = store::milestone(&mut tx, &mid)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))?;
    tx.commit().await.map_err(api)?;
    Ok(created(format!("/api/v1/pact/milestones/{mid}"), m))
}

/// Changes a milestone (merge patch with `version`), e.g. `{"done_on": "2026-12-01"}`.
#[utoipa::path(patch, path = "/api/v1/pact/milestones/{id}", tag = "pact", operation_id = "alliance_update_milestone", params(("id" = String, Path)), request_body = MilestoneInput, security(("bearer" = [])),
    responses(
        (status = 200, body = Milestone),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_milestone(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Milestone>, Fail> {
    let seat = seated(&state, &user).await?;
    let current = {
        let mut conn = state.db.reader().acquire().await.map_err(api)?;
        store::milestone(&mut conn, &id)
            .await
            .map_err(api)?
            .ok_or_else(|| api(ApiError::NotFound))?
    };
    let base = MilestoneInput {
        title: current.title.clone(),
        due_on: current.due_on.clone(),
        done_on: current.done_on.clone(),
    };
    let (input, version) =
        crate::api::merge_patch(&base, body, &["id", "commitment_id"]).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update_milestone(&mut tx, &user, &seat, &id, version, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    let m = store::milestone(&mut tx, &id)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(m))
}

/// Deletes a milestone.
#[utoipa::path(delete, path = "/api/v1/pact/milestones/{id}", tag = "pact", operation_id = "alliance_delete_milestone", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_milestone(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::delete_milestone(&mut tx, &user, &seat, &id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A meeting where the commitment was reviewed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    pub meeting_id: String,
    /// `reviewed` (the `decided` link comes with the agreement).
    pub role: String,
}

/// Links a meeting where the commitment was reviewed (secretariat). Answers
/// the commitment's meetings.
#[utoipa::path(post, path = "/api/v1/pact/commitments/{id}/meetings", tag = "pact", operation_id = "alliance_link_commitment_meeting", params(("id" = String, Path)), request_body = MeetingBody, security(("bearer" = [])),
    responses(
        (status = 201, body = Vec<MeetingLink>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown meeting, a role other than reviewed", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn link_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Response, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::link_meeting(
        &mut tx,
        &user,
        &seat,
        &id,
        body.meeting_id.trim(),
        body.role.trim(),
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    let list = store::meetings(&mut tx, &id).await.map_err(api)?;
    tx.commit().await.map_err(api)?;
    Ok((StatusCode::CREATED, Json(list)).into_response())
}

/// Removes a `reviewed` link (secretariat).
#[utoipa::path(delete, path = "/api/v1/pact/commitments/{id}/meetings/{meeting_id}", tag = "pact", operation_id = "alliance_unlink_commitment_meeting", params(("id" = String, Path), ("meeting_id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unlink_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, meeting_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Fail> {
    let seat = seated(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::unlink_meeting(&mut tx, &user, &seat, &id, &meeting_id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes the commitment of an agreement (secretariat): the title is the
/// agreement's text trimmed to a title, the description the whole text (any
/// field of the body overrides them); the agreement's meeting is linked as
/// `decided`. An agreement gives at most one commitment (422).
#[utoipa::path(post, path = "/api/v1/pact/agreements/{id}/commitment", tag = "pact", operation_id = "alliance_commitment_from_agreement", params(("id" = String, Path)), request_body = CommitmentInput, security(("bearer" = [])),
    responses(
        (status = 201, body = CommitmentView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown agreement", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The agreement has a commitment already; invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn from_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(agreement_id): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, Fail> {
    let seat = seated(&state, &user).await?;
    let (text, _) = {
        let mut conn = state.db.reader().acquire().await.map_err(api)?;
        store::agreement(&mut conn, &agreement_id)
            .await
            .map_err(api)?
            .ok_or_else(|| api(ApiError::NotFound))?
    };
    let mut merged = serde_json::to_value(store::from_agreement(&text))
        .map_err(|e| api(ApiError::Internal(e.into())))?;
    if let (Value::Object(base), Value::Object(over)) = (&mut merged, body) {
        for (k, v) in over {
            base.insert(k, v);
        }
    }
    let input: CommitmentInput = serde_json::from_value(merged)
        .map_err(|e| api(ApiError::field("body", "invalid_value", e.to_string())))?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create(
        &mut tx,
        &user,
        &seat,
        &input,
        Some(&agreement_id),
        madrid::today(),
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let v = view_or_404(&state, &seat, &id).await?;
    Ok(created(format!("/api/v1/pact/commitments/{id}"), v))
}

/// The whole tree as CSV (UTF-8 with BOM), one row per commitment in tree order.
#[utoipa::path(get, path = "/api/v1/pact/commitments/export.csv", tag = "pact", operation_id = "alliance_export_commitments", security(("bearer" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Response, Fail> {
    seated(&state, &user).await?;
    let today = madrid::today();
    let bytes = csv::export_csv(&state.db, today)
        .await
        .map_err(|e| api(ApiError::Internal(e)))?;
    Ok(csv_response(bytes, &csv::export_name(today)))
}

/// A CSV file to download.
pub fn csv_response(bytes: Vec<u8>, name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check (default true): nothing is written.
    pub dry_run: Option<bool>,
}

/// Imports the tree from a CSV or XLSX file (the body): every row checked;
/// nothing written unless every row is good and `dry_run=false`. Answers the
/// report (200 when clean, 422 with the errors by row, column and value).
#[utoipa::path(post, path = "/api/v1/pact/commitments/import", tag = "pact", operation_id = "alliance_import_commitments", params(ImportQuery), request_body(content = Vec<u8>, content_type = "text/csv"), security(("bearer" = [])),
    responses(
        (status = 200, body = ImportReport),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Errors by row; nothing written", body = ImportReport),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Response, Fail> {
    let seat = seated(&state, &user).await?;
    let en = english(&state);
    let report = csv::import(
        &state.db,
        &en,
        &user,
        &seat,
        &body,
        q.dry_run.unwrap_or(true),
        madrid::today(),
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)).into_response())
}
