//! The API of members, representatives and working groups under
//! `/api/v1/pact`. The member list is public (public fields only without a
//! seat); the rest needs a seat (404 otherwise); writes need the secretariat.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::store::{
    self, Group, GroupInput, GroupMeeting, GroupMember, Member, MemberInput, Representative,
    WriteError,
};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, Page, PageQuery, Paging, Problem};
use crate::auth::{ApiUser, ApiVisitor, User};
use crate::office::work::madrid;
use crate::pact::alliance::{Seat, seat};
use crate::pact::invalid;

#[derive(OpenApi)]
#[openapi(
    paths(
        alliance_list_members,
        alliance_create_member,
        alliance_read_member,
        alliance_update_member,
        alliance_add_representative,
        alliance_remove_representative,
        alliance_list_groups,
        alliance_create_group,
        alliance_read_group,
        alliance_update_group,
        alliance_add_group_member,
        alliance_remove_group_member
    ),
    components(schemas(
        Member,
        MemberInput,
        MemberPatch,
        Representative,
        RepresentativeBody,
        Group,
        GroupInput,
        GroupPatch,
        GroupMember,
        GroupMeeting,
        GroupMemberBody
    ))
)]
pub struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    Api::openapi()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route(
            "/pact/members",
            get(alliance_list_members).post(alliance_create_member),
        )
        .route(
            "/pact/members/{id}",
            get(alliance_read_member).patch(alliance_update_member),
        )
        .route(
            "/pact/members/{id}/representatives",
            post(alliance_add_representative),
        )
        .route(
            "/pact/members/{id}/representatives/{user_id}",
            delete(alliance_remove_representative),
        )
        .route(
            "/pact/groups",
            get(alliance_list_groups).post(alliance_create_group),
        )
        .route(
            "/pact/groups/{id}",
            get(alliance_read_group).patch(alliance_update_group),
        )
        .route("/pact/groups/{id}/members", post(alliance_add_group_member))
        .route(
            "/pact/groups/{id}/members/{member_id}",
            delete(alliance_remove_group_member),
        )
}

type Fail = Response;

fn api(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

fn write_error(state: &AppState, e: WriteError) -> Response {
    match e {
        WriteError::NotFound => ApiError::NotFound.into_response(),
        WriteError::Conflict(c) => ApiError::Conflict(c).into_response(),
        WriteError::Invalid(errs) => invalid(state, &errs).into_response(),
        WriteError::Db(e) => ApiError::from(e).into_response(),
    }
}

fn created(location: String, body: impl Serialize) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

async fn seat_of(state: &AppState, user: Option<&User>) -> Result<Seat, Fail> {
    seat(&state.db, user, madrid::today()).await.map_err(api)
}

/// A seat in the workspace, else 404.
async fn workspace(state: &AppState, user: &User) -> Result<Seat, Fail> {
    let s = seat_of(state, Some(user)).await?;
    if s.in_workspace() {
        Ok(s)
    } else {
        Err(api(ApiError::NotFound))
    }
}

/// The secretariat, else 404 without a seat and 403 with one.
async fn secretariat(state: &AppState, user: &User) -> Result<(), Fail> {
    let s = workspace(state, user).await?;
    if s.secretariat {
        Ok(())
    } else {
        Err(api(ApiError::Forbidden))
    }
}

async fn member_of(state: &AppState, id: &str) -> Result<Member, Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::get_member(&mut conn, id, madrid::today())
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))
}

async fn group_of(state: &AppState, id: &str) -> Result<Group, Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::get_group(&mut conn, id, madrid::today())
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))
}

// ---- Members ----

/// The member list's query: paging and which members.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberListQuery {
    /// `true`: only today's members; `false`: only former ones; absent: both.
    pub current: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The member list (public): today's members by college then name, then the
/// former ones, latest left first (`current` tells them apart). Without a seat
/// only the public fields (no notes, no representatives, no tax id).
#[utoipa::path(get, path = "/api/v1/pact/members", tag = "pact", operation_id = "alliance_list_members",
    params(MemberListQuery), security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of members", body = inline(Page<Member>)),
        (status = 401, description = "A token that is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_list_members(
    State(state): State<AppState>,
    ApiVisitor(user): ApiVisitor,
    ApiQuery(q): ApiQuery<MemberListQuery>,
) -> Result<Json<Page<Member>>, Fail> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref()).map_err(api)?;
    let s = seat_of(&state, user.as_ref()).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let all = store::list_members(&mut conn, madrid::today(), s.in_workspace())
        .await
        .map_err(api)?;
    let (current, former): (Vec<Member>, Vec<Member>) = all.into_iter().partition(|m| m.current);
    let chosen = match q.current {
        Some(true) => current,
        Some(false) => former,
        None => current.into_iter().chain(former).collect(),
    };
    Ok(Json(paging.slice(chosen).map_err(api)?))
}

/// Adds an organisation of the directory to the pact (the secretariat). The
/// college defaults from the organisation's kind.
#[utoipa::path(post, path = "/api/v1/pact/members", tag = "pact", operation_id = "alliance_create_member",
    request_body = MemberInput, security(("bearer" = [])),
    responses(
        (status = 201, body = Member),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A seat, not the secretariat", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No seat", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown organisation, overlapping membership", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_create_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<MemberInput>,
) -> Result<Response, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create_member(&mut tx, &user.id, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let m = member_of(&state, &id).await?;
    Ok(created(format!("/api/v1/pact/members/{id}"), m))
}

/// One membership with its representatives and notes (seats).
#[utoipa::path(get, path = "/api/v1/pact/members/{id}", tag = "pact", operation_id = "alliance_read_member",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Member),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_read_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Member>, Fail> {
    workspace(&state, &user).await?;
    Ok(Json(member_of(&state, &id).await?))
}

/// A change of a membership (JSON merge patch): the organisation stays.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPatch {
    /// The version read (required).
    pub version: i64,
    pub college: Option<String>,
    pub joined_on: Option<String>,
    /// `null` to clear.
    pub left_on: Option<String>,
    pub notes: Option<String>,
}

const MEMBER_READ_ONLY: [&str; 9] = [
    "id",
    "organization_id",
    "organization_name",
    "municipality_name",
    "current",
    "representatives",
    "tax_id",
    "created_at",
    "updated_at",
];

/// Changes a membership (the secretariat): college, dates (leaving = setting
/// `left_on`), notes.
#[utoipa::path(patch, path = "/api/v1/pact/members/{id}", tag = "pact", operation_id = "alliance_update_member",
    params(("id" = String, Path)), request_body = MemberPatch, security(("bearer" = [])),
    responses(
        (status = 200, body = Member),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_update_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Member>, Fail> {
    secretariat(&state, &user).await?;
    let m = member_of(&state, &id).await?;
    let (input, version) =
        crate::api::merge_patch(&MemberInput::of(&m), patch, &MEMBER_READ_ONLY).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update_member(&mut tx, &user.id, &id, version, &input, madrid::today())
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(member_of(&state, &id).await?))
}

/// A representative to name.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RepresentativeBody {
    /// The e-mail of an active user who acts for the member's organisation.
    #[serde(default)]
    pub email: String,
    /// `holder` (default) or `alternate`.
    #[serde(default)]
    pub role: String,
}

/// Names a representative (the secretariat).
#[utoipa::path(post, path = "/api/v1/pact/members/{id}/representatives", tag = "pact",
    operation_id = "alliance_add_representative",
    params(("id" = String, Path)), request_body = RepresentativeBody, security(("bearer" = [])),
    responses(
        (status = 201, body = Member),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such user, or not of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_add_representative(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RepresentativeBody>,
) -> Result<Response, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::add_representative(
        &mut tx,
        &user.id,
        &id,
        &body.email,
        &body.role,
        madrid::today(),
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let m = member_of(&state, &id).await?;
    Ok(created(format!("/api/v1/pact/members/{id}"), m))
}

/// Removes a representative (the secretariat).
#[utoipa::path(delete, path = "/api/v1/pact/members/{id}/representatives/{user_id}", tag = "pact",
    operation_id = "alliance_remove_representative",
    params(("id" = String, Path), ("user_id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_remove_representative(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, user_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::remove_representative(&mut tx, &user.id, &id, &user_id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Groups ----

/// The working groups with their number of members, next and last meeting (seats).
#[utoipa::path(get, path = "/api/v1/pact/groups", tag = "pact", operation_id = "alliance_list_groups",
    params(PageQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of working groups", body = inline(Page<Group>)),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No seat", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_list_groups(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Group>>, Fail> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref()).map_err(api)?;
    workspace(&state, &user).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let items = store::list_groups(&mut conn).await.map_err(api)?;
    Ok(Json(paging.slice(items).map_err(api)?))
}

/// Creates a working group (the secretariat).
#[utoipa::path(post, path = "/api/v1/pact/groups", tag = "pact", operation_id = "alliance_create_group",
    request_body = GroupInput, security(("bearer" = [])),
    responses(
        (status = 201, body = Group),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, name taken, chair not a current member", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_create_group(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<GroupInput>,
) -> Result<Response, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create_group(&mut tx, &user.id, &input, madrid::today())
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let g = group_of(&state, &id).await?;
    Ok(created(format!("/api/v1/pact/groups/{id}"), g))
}

/// One working group with its members (and their representatives) and meetings (seats).
#[utoipa::path(get, path = "/api/v1/pact/groups/{id}", tag = "pact", operation_id = "alliance_read_group",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Group),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_read_group(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Group>, Fail> {
    workspace(&state, &user).await?;
    Ok(Json(group_of(&state, &id).await?))
}

/// A change of a group (JSON merge patch).
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupPatch {
    /// The version read (required).
    pub version: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `null` for none.
    pub chair_member_id: Option<String>,
    pub archived: Option<bool>,
}

const GROUP_READ_ONLY: [&str; 8] = [
    "id",
    "chair_name",
    "member_count",
    "next_meeting",
    "last_meeting",
    "members",
    "meetings",
    "updated_at",
];

/// Changes a working group (the secretariat).
#[utoipa::path(patch, path = "/api/v1/pact/groups/{id}", tag = "pact", operation_id = "alliance_update_group",
    params(("id" = String, Path)), request_body = GroupPatch, security(("bearer" = [])),
    responses(
        (status = 200, body = Group),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_update_group(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Group>, Fail> {
    secretariat(&state, &user).await?;
    let g = group_of(&state, &id).await?;
    let (input, version) =
        crate::api::merge_patch(&GroupInput::of(&g), patch, &GROUP_READ_ONLY).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update_group(&mut tx, &user.id, &id, version, &input, madrid::today())
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(group_of(&state, &id).await?))
}

/// A member to add to a group.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupMemberBody {
    /// A current member of the pact (`pact_members.id`).
    #[serde(default)]
    pub member_id: String,
}

/// Adds a current member of the pact to a group (the secretariat).
#[utoipa::path(post, path = "/api/v1/pact/groups/{id}/members", tag = "pact", operation_id = "alliance_add_group_member",
    params(("id" = String, Path)), request_body = GroupMemberBody, security(("bearer" = [])),
    responses(
        (status = 201, body = Group),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a current member, or already in the group", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not of the declared type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_add_group_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<GroupMemberBody>,
) -> Result<Response, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::add_group_member(&mut tx, &user.id, &id, &body.member_id, madrid::today())
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let g = group_of(&state, &id).await?;
    Ok(created(format!("/api/v1/pact/groups/{id}"), g))
}

/// Removes a member from a group (the secretariat).
#[utoipa::path(delete, path = "/api/v1/pact/groups/{id}/members/{member_id}", tag = "pact",
    operation_id = "alliance_remove_group_member",
    params(("id" = String, Path), ("member_id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed path, query or body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alliance_remove_group_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, member_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Fail> {
    secretariat(&state, &user).await?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::remove_group_member(&mut tx, &user.id, &id, &member_id)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}
