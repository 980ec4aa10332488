//! The meetings' API under `/api/v1/pact`: meetings (cursor list, create, read,
//! merge-patch with `version`), their status, attendance, agreements, documents,
//! convocations and minutes by e-mail. Seats read; those who run the group
//! write (403 for another seat); no seat: 404.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::model::{
    Agreement, Attendance, Attendee, AttendeeInput, CommitmentRef, LinkedCommitment, Meeting,
    MeetingCreate, MeetingDocument, MeetingInput,
};
use super::store::{self, Filter, WriteError};
use crate::AppState;
use crate::api::{
    ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, Page, Paging, Problem,
};
use crate::auth::{ApiUser, User};
use crate::office::portal::api::{FileProblem, read_file};
use crate::office::portal::kind;
use crate::office::work::madrid;
use crate::pact::alliance::{self, Seat};
use crate::pact::api::TransitionProblem;
use crate::pact::{Invalid, english, invalid};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_meetings,
        create_meeting,
        read_meeting,
        update_meeting,
        meeting_status,
        get_attendance,
        put_attendance,
        list_agreements,
        create_agreement,
        read_agreement,
        update_agreement,
        delete_agreement,
        list_documents,
        upload_document,
        download_document,
        send_invitations,
        send_minutes
    ),
    components(schemas(
        Meeting,
        MeetingInput,
        MeetingCreate,
        MeetingDetail,
        StatusBody,
        Attendance,
        Attendee,
        AttendeeInput,
        AttendanceBody,
        Agreement,
        CommitmentRef,
        LinkedCommitment,
        AgreementBody,
        AgreementPatch,
        MeetingDocument,
        DocumentForm,
        Sent
    ))
)]
pub struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    Api::openapi()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/pact/meetings", get(list_meetings).post(create_meeting))
        .route(
            "/pact/meetings/{id}",
            get(read_meeting).patch(update_meeting),
        )
        .route("/pact/meetings/{id}/status", post(meeting_status))
        .route(
            "/pact/meetings/{id}/attendance",
            get(get_attendance).put(put_attendance),
        )
        .route(
            "/pact/meetings/{id}/agreements",
            get(list_agreements).post(create_agreement),
        )
        .route(
            "/pact/agreements/{id}",
            get(read_agreement)
                .patch(update_agreement)
                .delete(delete_agreement),
        )
        .route(
            "/pact/meetings/{id}/documents",
            get(list_documents)
                .post(upload_document)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/pact/meetings/{id}/documents/{did}",
            get(download_document),
        )
        .route("/pact/meetings/{id}/invitations", post(send_invitations))
        .route("/pact/meetings/{id}/minutes/send", post(send_minutes))
}

type Fail = Response;

fn api(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

fn problem_json(status: StatusCode, body: impl Serialize) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

/// A storage error as the API's answer (a refused move: 422 with `allowed`).
pub fn write_error(state: &AppState, e: WriteError) -> Response {
    match e {
        WriteError::Transition { allowed, .. } => {
            let en = english(state);
            let names = if allowed.is_empty() {
                "—".to_owned()
            } else {
                allowed.join(", ")
            };
            let error: FieldError =
                Invalid::with("status", "not_allowed", names).to_field_error(&en);
            problem_json(
                StatusCode::UNPROCESSABLE_ENTITY,
                TransitionProblem {
                    problem: Problem {
                        kind: "tag:besaya,2026:problem:validation_failed".into(),
                        title: "Validation failed".into(),
                        status: 422,
                        code: "validation_failed".into(),
                        detail: Some("This move is not allowed now; see allowed.".into()),
                        errors: vec![error],
                        current_version: None,
                        existing_id: None,
                    },
                    allowed: Some(allowed),
                },
            )
        }
        other => crate::pact::api::write_error(state, other),
    }
}

async fn seat_of(state: &AppState, user: &User) -> Result<Seat, Fail> {
    let seat = alliance::seat(&state.db, Some(user), madrid::today())
        .await
        .map_err(api)?;
    if seat.in_workspace() {
        Ok(seat)
    } else {
        Err(api(ApiError::NotFound))
    }
}

async fn meeting_of(state: &AppState, seat: &Seat, id: &str) -> Result<Meeting, Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::get(&mut conn, seat, id)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))
}

fn created(location: String, body: impl Serialize) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A meeting with what hangs from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingDetail {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub attendance: Attendance,
    pub agreements: Vec<Agreement>,
    pub documents: Vec<MeetingDocument>,
    /// Commitments decided or reviewed at this meeting.
    pub commitments: Vec<LinkedCommitment>,
}

async fn detail(state: &AppState, seat: &Seat, id: &str) -> Result<MeetingDetail, Fail> {
    let meeting = meeting_of(state, seat, id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(MeetingDetail {
        attendance: store::attendance(&mut conn, id).await.map_err(api)?,
        agreements: store::agreements(&mut conn, id).await.map_err(api)?,
        documents: store::documents(&mut conn, id).await.map_err(api)?,
        commitments: store::linked_commitments(&mut conn, id)
            .await
            .map_err(api)?,
        meeting,
    })
}

// ---- Meetings ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingListQuery {
    /// Only this working group's meetings.
    pub group_id: Option<String>,
    /// Meetings starting on or after this day (`YYYY-MM-DD`, Madrid) or time (RFC 3339).
    pub from: Option<String>,
    /// Meetings starting before this day (`YYYY-MM-DD`, Madrid: the day itself excluded) or time.
    pub to: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A bound of the list: a Madrid day's midnight, or a time.
fn bound(e: &mut Vec<Invalid>, field: &str, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    if let Some(d) = besaya_domain::directory::parse_date(v) {
        return Some(crate::db::timestamp(madrid::from_local(d.midnight())));
    }
    match madrid::parse_when(v) {
        Some(t) => Some(crate::db::timestamp(t)),
        None => {
            e.push(Invalid::with(
                field,
                "invalid_date",
                v.chars().take(40).collect::<String>(),
            ));
            None
        }
    }
}

/// The meetings, oldest first (any seat reads them all).
#[utoipa::path(get, path = "/api/v1/pact/meetings", tag = "pact", operation_id = "alliance_list_meetings",
    params(MeetingListQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of meetings", body = inline(Page<Meeting>)),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No seat in the pact", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad date, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_meetings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<MeetingListQuery>,
) -> Result<Json<Page<Meeting>>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref()).map_err(api)?;
    let mut e = Vec::new();
    let from = bound(&mut e, "from", q.from.as_deref());
    let to = bound(&mut e, "to", q.to.as_deref());
    if !e.is_empty() {
        return Err(invalid(&state, &e).into_response());
    }
    let filter = Filter {
        group_id: q.group_id.filter(|g| !g.is_empty()),
        from,
        to,
        after: paging.after.clone(),
        descending: false,
        limit: paging.fetch(),
    };
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let rows = store::list(&mut conn, &seat, &filter).await.map_err(api)?;
    Ok(Json(paging.page(rows, store::list_key)))
}

/// Schedules a meeting of a working group (the secretariat or the chair's
/// representatives). Times: RFC 3339, or Madrid's wall clock without offset.
#[utoipa::path(post, path = "/api/v1/pact/meetings", tag = "pact", operation_id = "alliance_create_meeting",
    request_body = MeetingCreate, security(("bearer" = [])),
    responses(
        (status = 201, body = Meeting),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A seat that does not run the group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No seat, or unknown group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (end before start…)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<MeetingCreate>,
) -> Result<Response, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create(&mut tx, &user.id, &seat, &body.group_id, &body.input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let m = meeting_of(&state, &seat, &id).await?;
    Ok(created(format!("/api/v1/pact/meetings/{id}"), m))
}

/// A meeting with its attendance, agreements, documents and linked commitments.
#[utoipa::path(get, path = "/api/v1/pact/meetings/{id}", tag = "pact", operation_id = "alliance_read_meeting",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = MeetingDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<MeetingDetail>, Fail> {
    let seat = seat_of(&state, &user).await?;
    Ok(Json(detail(&state, &seat, &id).await?))
}

/// Fields a `PATCH` ignores (sent back from a `GET`).
const READ_ONLY: [&str; 17] = [
    "id",
    "reference",
    "group_id",
    "group_name",
    "status",
    "allowed_moves",
    "invitations_sent_at",
    "minutes_sent_at",
    "created_by",
    "may_edit",
    "created_at",
    "updated_at",
    "attendance",
    "agreements",
    "documents",
    "commitments",
    "chair_member_id",
];

/// Changes a meeting (JSON merge patch with `version`); `minutes` only once held.
#[utoipa::path(patch, path = "/api/v1/pact/meetings/{id}", tag = "pact", operation_id = "alliance_update_meeting",
    params(("id" = String, Path)), request_body = MeetingInput, security(("bearer" = [])),
    responses(
        (status = 200, body = Meeting),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Meeting>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let m = meeting_of(&state, &seat, &id).await?;
    if !m.may_edit {
        return Err(api(ApiError::Forbidden));
    }
    let (input, version) = crate::api::merge_patch(&m.input(), patch, &READ_ONLY).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update(&mut tx, &user.id, &seat, &id, version, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(meeting_of(&state, &seat, &id).await?))
}

/// A move of a meeting's status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AllianceMeetingStatusBody)]
pub struct StatusBody {
    /// `held`, `cancelled` (from scheduled); `scheduled` (from cancelled).
    pub status: String,
    pub version: i64,
}

/// Moves a meeting: scheduled → held | cancelled, cancelled → scheduled; any
/// other move is 422 with the moves allowed.
#[utoipa::path(post, path = "/api/v1/pact/meetings/{id}/status", tag = "pact", operation_id = "alliance_meeting_status",
    params(("id" = String, Path)), request_body = StatusBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Meeting),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = TransitionProblem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn meeting_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<Meeting>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::set_status(&mut tx, &user.id, &seat, &id, body.version, &body.status)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(meeting_of(&state, &seat, &id).await?))
}

// ---- Attendance ----

/// Who came to a meeting.
#[utoipa::path(get, path = "/api/v1/pact/meetings/{id}/attendance", tag = "pact", operation_id = "alliance_get_attendance",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Attendance),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_attendance(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Attendance>, Fail> {
    let seat = seat_of(&state, &user).await?;
    meeting_of(&state, &seat, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(store::attendance(&mut conn, &id).await.map_err(api)?))
}

/// The whole attendance list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub attendees: Vec<AttendeeInput>,
}

/// Replaces the attendance of a held meeting: users (their name from the
/// account; their organisation by default the member they represent in the
/// group) and guests by name with an optional organisation.
#[utoipa::path(put, path = "/api/v1/pact/meetings/{id}/attendance", tag = "pact", operation_id = "alliance_put_attendance",
    params(("id" = String, Path)), request_body = AttendanceBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Attendance),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not held, unknown user or organisation, a guest without name", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_attendance(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<Json<Attendance>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let a = store::set_attendance(&mut tx, &user.id, &seat, &id, &body.attendees)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(a))
}

// ---- Agreements ----

/// The agreements of a meeting, numbered.
#[utoipa::path(get, path = "/api/v1/pact/meetings/{id}/agreements", tag = "pact", operation_id = "alliance_list_agreements",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Agreement>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_agreements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Agreement>>, Fail> {
    let seat = seat_of(&state, &user).await?;
    meeting_of(&state, &seat, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(store::agreements(&mut conn, &id).await.map_err(api)?))
}

/// A new agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = AllianceAgreementBody)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    /// At most 5,000 characters.
    pub text: String,
}

/// Adds an agreement to a held meeting (`ACU-YYYY-NNN`, numbered after the last).
#[utoipa::path(post, path = "/api/v1/pact/meetings/{id}/agreements", tag = "pact", operation_id = "alliance_create_agreement",
    params(("id" = String, Path)), request_body = AgreementBody, security(("bearer" = [])),
    responses(
        (status = 201, body = Agreement),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AgreementBody>,
) -> Result<Response, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let aid = store::add_agreement(&mut tx, &user.id, &seat, &id, &body.text)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let a = agreement_of(&state, &seat, &aid).await?.0;
    Ok(created(format!("/api/v1/pact/agreements/{aid}"), a))
}

async fn agreement_of(
    state: &AppState,
    seat: &Seat,
    id: &str,
) -> Result<(Agreement, Meeting), Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::agreement(&mut conn, seat, id)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))
}

/// One agreement.
#[utoipa::path(get, path = "/api/v1/pact/agreements/{id}", tag = "pact", operation_id = "alliance_read_agreement",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Agreement),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Agreement>, Fail> {
    let seat = seat_of(&state, &user).await?;
    Ok(Json(agreement_of(&state, &seat, &id).await?.0))
}

/// A change of an agreement's text.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = AllianceAgreementPatch)]
pub struct AgreementPatch {
    pub text: String,
    pub version: i64,
}

/// Changes an agreement's text (with `version`).
#[utoipa::path(patch, path = "/api/v1/pact/agreements/{id}", tag = "pact", operation_id = "alliance_update_agreement",
    params(("id" = String, Path)), request_body = AgreementPatch, security(("bearer" = [])),
    responses(
        (status = 200, body = Agreement),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AgreementPatch>,
) -> Result<Json<Agreement>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update_agreement(&mut tx, &user.id, &seat, &id, body.version, &body.text)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(agreement_of(&state, &seat, &id).await?.0))
}

/// Deletes an agreement no commitment comes from (422 otherwise); the others
/// are renumbered.
#[utoipa::path(delete, path = "/api/v1/pact/agreements/{id}", tag = "pact", operation_id = "alliance_delete_agreement",
    params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A commitment comes from it", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::delete_agreement(&mut tx, &user.id, &seat, &id, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Documents ----

/// The documents of a meeting, newest first.
#[utoipa::path(get, path = "/api/v1/pact/meetings/{id}/documents", tag = "pact", operation_id = "alliance_list_documents",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<MeetingDocument>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_documents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<MeetingDocument>>, Fail> {
    let seat = seat_of(&state, &user).await?;
    meeting_of(&state, &seat, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(store::documents(&mut conn, &id).await.map_err(api)?))
}

/// The upload form: one file in the field `file`.
#[derive(Debug, ToSchema)]
#[schema(as = AllianceDocumentForm)]
#[allow(dead_code)]
pub struct DocumentForm {
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

/// Attaches a document to a meeting. The type is recognised by the file's
/// content (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS), never by its name.
#[utoipa::path(post, path = "/api/v1/pact/meetings/{id}/documents", tag = "pact", operation_id = "alliance_upload_document",
    params(("id" = String, Path)),
    request_body(content = DocumentForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = MeetingDocument),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an accepted kind of file (by its content)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, too many", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Fail> {
    let seat = seat_of(&state, &user).await?;
    let m = meeting_of(&state, &seat, &id).await?;
    if !m.may_edit {
        return Err(api(ApiError::Forbidden));
    }
    let (kind, name, up) = match read_file(&state, multipart, None).await {
        Ok(ok) => ok,
        Err((FileProblem::TooLarge, _)) => return Err(api(ApiError::PayloadTooLarge)),
        Err((FileProblem::WrongType, _)) => return Err(api(ApiError::UnsupportedMediaType)),
        Err((FileProblem::Missing, _)) => {
            return Err(invalid(&state, &[Invalid::new("file", "file_required")]).into_response());
        }
        Err((FileProblem::Malformed | FileProblem::Forbidden, _)) => {
            return Err(api(ApiError::BadRequest {
                code: "malformed_multipart",
                detail: "Send a multipart/form-data body with the file in the field `file`.".into(),
            }));
        }
    };
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let doc = store::add_document(
        &mut tx,
        &user.id,
        &seat,
        &id,
        &name,
        kind.content_type(),
        &up.bytes,
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(created(
        format!("/api/v1/pact/meetings/{id}/documents/{}", doc.id),
        doc,
    ))
}

/// A document's bytes as a download (headers that keep a browser from running it).
pub fn download(name: &str, f: crate::files::StoredFile) -> Response {
    let dk = kind::DocKind::from_content_type(&f.content_type);
    let name = kind::download_name(name, dk);
    let mut res = (StatusCode::OK, f.data).into_response();
    let h = res.headers_mut();
    let ct = dk.map_or("application/octet-stream", kind::DocKind::content_type);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&kind::content_disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}

/// Downloads a document of a meeting (any seat).
#[utoipa::path(get, path = "/api/v1/pact/meetings/{id}/documents/{did}", tag = "pact", operation_id = "alliance_download_document",
    params(("id" = String, Path), ("did" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file", content(
            ("application/pdf"), ("image/png"), ("image/jpeg"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.oasis.opendocument.text"),
            ("application/vnd.oasis.opendocument.spreadsheet"),
            ("application/octet-stream"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, did)): ApiPath<(String, String)>,
) -> Result<Response, Fail> {
    let seat = seat_of(&state, &user).await?;
    meeting_of(&state, &seat, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let (name, f) = store::document_file(&mut conn, &id, &did)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))?;
    Ok(download(&name, f))
}

// ---- E-mails ----

/// How many people were written to.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AllianceMailSent)]
pub struct Sent {
    pub recipients: usize,
    pub meeting: Meeting,
}

/// Sends the convocation of a scheduled meeting to the representatives of the
/// group's current members, each in their language (again after changes: an
/// updated convocation).
#[utoipa::path(post, path = "/api/v1/pact/meetings/{id}/invitations", tag = "pact", operation_id = "alliance_send_invitations",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Sent),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not scheduled", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send_invitations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Sent>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let n = store::send_invitations(&state, &mut tx, &user.id, &seat, &id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(Sent {
        recipients: n,
        meeting: meeting_of(&state, &seat, &id).await?,
    }))
}

/// Sends the minutes (text and agreements) of a held meeting to the
/// representatives of the group's current members and the attendees with an account.
#[utoipa::path(post, path = "/api/v1/pact/meetings/{id}/minutes/send", tag = "pact", operation_id = "alliance_send_minutes",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Sent),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not held, or no minutes", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send_minutes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Sent>, Fail> {
    let seat = seat_of(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let n = store::send_minutes(&state, &mut tx, &user.id, &seat, &id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(Sent {
        recipients: n,
        meeting: meeting_of(&state, &seat, &id).await?,
    }))
}
