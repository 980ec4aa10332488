//! The Pact's API under `/api/v1`: needs (`/needs`), their life cycle
//! (`/needs/{id}/transitions`), the ranked organisations that could answer
//! (`/needs/{id}/matches`, office only), invitations, answers with their
//! actions and files, the timeline, the funnel, and the target times per kind
//! (`/pact/targets`). Need-to-know: what the caller may not see answers 404.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::pact::{AnswerStatus, NeedKind, NeedStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::matching::{self, MatchItem, MatchList};
use super::model::{
    Answer, AnswerFile, Funnel, Need, NeedClock, NeedEvent, NeedFilter, NeedInput, Target,
    TargetInput,
};
use super::policy::NeedAccess;
use super::store::{self, Interest, Move, NewFile, WriteError};
use super::{Invalid, english, invalid};
use crate::AppState;
use crate::api::{
    ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, Page, Paging, Problem,
};
use crate::auth::{ApiUser, User};
use crate::office::portal::api::{FileProblem, read_file};
use crate::office::portal::kind;
use crate::office::work::madrid;

#[derive(OpenApi)]
#[openapi(
    paths(
        list_needs,
        create_need,
        read_need,
        update_need,
        delete_need,
        transition,
        matches,
        invite,
        list_answers,
        read_answer,
        interest,
        decline,
        answer_transition,
        consent,
        upload_file,
        list_files,
        download_file,
        events,
        funnel,
        get_targets,
        put_targets
    ),
    components(schemas(
        Need,
        NeedClock,
        NeedInput,
        NeedPatch,
        Answer,
        AnswerFile,
        NeedEvent,
        Funnel,
        Target,
        TargetInput,
        TargetsBody,
        MatchList,
        MatchItem,
        TransitionBody,
        InvitationBody,
        Invited,
        InterestBody,
        DeclineBody,
        AnswerTransitionBody,
        VersionBody,
        UploadForm,
        TransitionProblem
    ))
)]
pub struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    Api::openapi()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/needs", get(list_needs).post(create_need))
        .route(
            "/needs/{id}",
            get(read_need).patch(update_need).delete(delete_need),
        )
        .route("/needs/{id}/transitions", post(transition))
        .route("/needs/{id}/matches", get(matches))
        .route("/needs/{id}/invitations", post(invite))
        .route("/needs/{id}/answers", get(list_answers))
        .route("/needs/{id}/answers/{aid}", get(read_answer))
        .route("/needs/{id}/answers/{aid}/interest", post(interest))
        .route("/needs/{id}/answers/{aid}/decline", post(decline))
        .route(
            "/needs/{id}/answers/{aid}/transitions",
            post(answer_transition),
        )
        .route("/needs/{id}/answers/{aid}/consent", post(consent))
        .route(
            "/needs/{id}/answers/{aid}/files",
            get(list_files).post(upload_file),
        )
        .route("/needs/{id}/answers/{aid}/files/{fid}", get(download_file))
        .route("/needs/{id}/events", get(events))
        .route("/needs/{id}/funnel", get(funnel))
        .route("/pact/targets", get(get_targets).put(put_targets))
}

// ---- Shared ----

/// A move refused: the usual problem, with the moves the caller may make now.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// The moves the caller may make from the current status (only when a move
    /// was refused; other validation errors have `errors` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

fn problem_json(status: StatusCode, body: impl Serialize) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

fn refused(state: &AppState, field: &str, allowed: Vec<String>) -> Response {
    let en = english(state);
    let names = if allowed.is_empty() {
        "—".to_owned()
    } else {
        allowed.join(", ")
    };
    let error: FieldError = Invalid::with(field, "not_allowed", names).to_field_error(&en);
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

/// A storage error as the API's answer.
pub fn write_error(state: &AppState, e: WriteError) -> Response {
    match e {
        WriteError::NotFound => ApiError::NotFound.into_response(),
        WriteError::Forbidden => ApiError::Forbidden.into_response(),
        WriteError::Conflict(c) => ApiError::Conflict(c).into_response(),
        WriteError::Invalid(errs) => invalid(state, &errs).into_response(),
        WriteError::Transition { allowed, .. } => refused(state, "to", allowed),
        WriteError::Db(e) => ApiError::from(e).into_response(),
        WriteError::Mail(e) => ApiError::Internal(e).into_response(),
    }
}

type Fail = Response;

fn api(e: impl Into<ApiError>) -> Response {
    e.into().into_response()
}

async fn need_of(state: &AppState, user: &User, id: &str) -> Result<(Need, NeedAccess), Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::visible(&mut conn, user, id, madrid::today())
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))
}

async fn answer_view(state: &AppState, user: &User, id: &str, aid: &str) -> Result<Answer, Fail> {
    let (need, access) = need_of(state, user, id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    store::answer(&mut conn, &need, &access, aid)
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

/// Euros (up to two decimals) as cents; `field` names it in errors.
fn cents(state: &AppState, field: &str, eur: Option<f64>) -> Result<Option<i64>, ApiError> {
    let Some(eur) = eur else {
        return Ok(None);
    };
    let max = store::AMOUNT_MAX_CENTS as f64 / 100.0;
    if !eur.is_finite() || !(0.0..=max).contains(&eur) {
        return Err(invalid(
            state,
            &[Invalid::with(field, "invalid_amount", eur.to_string())],
        ));
    }
    Ok(Some((eur * 100.0).round() as i64))
}

// ---- Needs ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedListQuery {
    /// One status: `draft`, `submitted`, `published`, `answered`, `negotiating`,
    /// `agreed`, `closed`, `expired`.
    pub status: Option<String>,
    /// One kind.
    pub kind: Option<String>,
    /// Only published needs without an answer past their target.
    pub overdue: Option<bool>,
    /// Words of the reference, title or summary.
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The needs the caller may see, newest first: the office all; a company its
/// own and those it was invited to (published onwards); a pact member the open
/// ones. Owners of anonymous needs are hidden from those who may not know them.
#[utoipa::path(get, path = "/api/v1/needs", tag = "pact", params(NeedListQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of needs", body = inline(Page<Need>)),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status or kind, bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_needs(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<NeedListQuery>,
) -> Result<Json<Page<Need>>, Fail> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref()).map_err(api)?;
    let mut e = Vec::new();
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => NeedStatus::parse(s).or_else(|| {
            e.push(Invalid::with(
                "status",
                "invalid_status",
                s.chars().take(40).collect::<String>(),
            ));
            None
        }),
    };
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => NeedKind::parse(s).or_else(|| {
            e.push(Invalid::with(
                "kind",
                "invalid_kind",
                s.chars().take(40).collect::<String>(),
            ));
            None
        }),
    };
    if !e.is_empty() {
        return Err(invalid(&state, &e).into_response());
    }
    let filter = NeedFilter {
        status,
        kind,
        overdue: q.overdue.unwrap_or(false),
        q: q.q.clone(),
        owner_org_id: None,
        limit: paging.fetch(),
        after: paging.after.clone(),
    };
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let rows = store::list(&mut conn, &user, &filter, madrid::today())
        .await
        .map_err(api)?;
    Ok(Json(paging.page(rows, store::list_key)))
}

/// Creates a draft need: the office for any organisation (`owner_org_id`
/// required), a company user for its own (forced).
#[utoipa::path(post, path = "/api/v1/needs", tag = "pact", request_body = NeedInput, security(("bearer" = [])),
    responses(
        (status = 201, description = "The new draft", body = Need),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither office nor company", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_need(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NeedInput>,
) -> Result<Response, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let id = store::create(&state, &mut tx, &user, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    let (need, _) = need_of(&state, &user, &id).await?;
    Ok(created(format!("/api/v1/needs/{id}"), need))
}

/// One need as the caller may see it.
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "pact", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Need),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_need(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Need>, Fail> {
    Ok(Json(need_of(&state, &user, &id).await?.0))
}

/// The fields a change takes (a JSON merge patch over the need) with the version read.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedPatch {
    /// The version read (required).
    pub version: i64,
    pub kind: Option<String>,
    /// At most 200 characters.
    pub title: Option<String>,
    /// At most 500 characters.
    pub summary: Option<String>,
    /// At most 10,000 characters.
    pub description: Option<String>,
    /// CNAE-2025 codes of the catalogue (with or without dots).
    pub cnae_codes: Option<Vec<String>>,
    /// CPV codes `NNNNNNNN-N`.
    pub cpv_codes: Option<Vec<String>>,
    /// At most 20, each at most 100 characters.
    pub required_certifications: Option<Vec<String>>,
    pub quantity: Option<String>,
    /// `one_off`, `weekly`, `monthly`, `quarterly`, `yearly`, `ongoing`.
    pub recurrence: Option<String>,
    pub municipality_code: Option<String>,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// `micro`, `small`, `medium`, `large`.
    pub min_size_band: Option<String>,
    /// The office only.
    pub owner_org_id: Option<String>,
    pub anonymous: Option<bool>,
}

/// Fields of a need that a `PATCH` ignores (sent back from a `GET`).
const NEED_READ_ONLY: [&str; 26] = [
    "id",
    "reference",
    "municipality_name",
    "owner_name",
    "owner_hidden",
    "status",
    "close_reason",
    "routed_org_id",
    "routed_org_name",
    "broker_id",
    "broker_name",
    "created_by",
    "submitted_at",
    "published_at",
    "first_answer_at",
    "agreed_at",
    "agreed_amount_cents",
    "closed_at",
    "overdue_notified_at",
    "clock",
    "created_at",
    "updated_at",
    "answers",
    "events",
    "allowed_moves",
    "funnel",
];

/// Changes a need (JSON merge patch with `version`): the office until it is
/// final, the owner while it is a draft (403 otherwise).
#[utoipa::path(patch, path = "/api/v1/needs/{id}", tag = "pact", params(("id" = String, Path)), request_body = NeedPatch, security(("bearer" = [])),
    responses(
        (status = 200, body = Need),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_need(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Need>, Fail> {
    let (need, access) = need_of(&state, &user, &id).await?;
    if !access.may_edit(need.status()) {
        return Err(api(ApiError::Forbidden));
    }
    let (input, version) =
        crate::api::merge_patch(&store::input_of(&need), patch, &NEED_READ_ONLY).map_err(api)?;
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::update(&state, &mut tx, &user, &id, version, &input)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(need_of(&state, &user, &id).await?.0))
}

/// Deletes a draft (the office or the owner); other statuses get 422.
#[utoipa::path(delete, path = "/api/v1/needs/{id}", tag = "pact", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a draft", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn delete_need(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::delete(&mut tx, &user, &id, q.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A move of a need's life cycle.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NeedTransitionBody)]
pub struct TransitionBody {
    /// `submitted` (owner or office), `published` (office: triage), `draft`
    /// (office: sent back), `closed` (with `reason`), `expired`, `answered`,
    /// `negotiating` (office). `agreed` is reached by accepting an answer.
    pub to: String,
    /// Required when closing; a note when sending back.
    pub reason: Option<String>,
    /// Publishing: the office user responsible (default: the caller).
    pub broker_id: Option<String>,
    /// Publishing a permit or infrastructure need: the administration that answers.
    pub routed_org_id: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Moves a need; a move the status or the caller does not allow gets 422 with
/// the moves allowed.
#[utoipa::path(post, path = "/api/v1/needs/{id}/transitions", tag = "pact", params(("id" = String, Path)), request_body = TransitionBody, security(("bearer" = [])),
    responses(
        (status = 200, description = "The need after the move", body = Need),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A move not allowed (with `allowed`), a missing reason, broker or administration", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn transition(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> Result<Json<Need>, Fail> {
    let (need, access) = need_of(&state, &user, &id).await?;
    let allowed: Vec<String> = store::moves_for(&access, need.status())
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    let Some(to) = NeedStatus::parse(body.to.trim()) else {
        return Err(refused(&state, "to", allowed));
    };
    let mv = Move {
        to,
        reason: body.reason,
        broker_id: body.broker_id,
        routed_org_id: body.routed_org_id,
    };
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::transition(&state, &mut tx, &user, &id, body.version, &mv)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(need_of(&state, &user, &id).await?.0))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// 1–100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The organisations of the directory that could answer the need, best first,
/// each with its score and the reasons (office only: the list names them).
/// `answerable` is false when no candidate holds every requirement (the list
/// then has the nearest partial matches).
#[utoipa::path(get, path = "/api/v1/needs/{id}/matches", tag = "pact", params(("id" = String, Path), MatchQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = MatchList),
        (status = 400, description = "Malformed path or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Limit out of range", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn matches(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<MatchQuery>,
) -> Result<Json<MatchList>, Fail> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(
            invalid(&state, &[Invalid::with("limit", "out_of_range", "1–100")]).into_response(),
        );
    }
    let (need, access) = need_of(&state, &user, &id).await?;
    if !access.may_invite() {
        return Err(api(ApiError::Forbidden));
    }
    let en = english(&state);
    let list = matching::matches(&state, &en, &need, madrid::today(), limit as usize)
        .await
        .map_err(api)?;
    Ok(Json(list))
}

/// Organisations to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NeedInvitationBody)]
pub struct InvitationBody {
    /// 1–50 organisations of the directory (not the owner).
    pub organization_ids: Vec<String>,
}

/// The answers created by an invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invited {
    /// The new answers (organisations already invited are skipped).
    pub answer_ids: Vec<String>,
}

/// Invites organisations to answer an open need (office): an answer is created
/// for each and their users are e-mailed (in their language).
#[utoipa::path(post, path = "/api/v1/needs/{id}/invitations", tag = "pact", params(("id" = String, Path)), request_body = InvitationBody, security(("bearer" = [])),
    responses(
        (status = 201, body = Invited),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown organisations, the owner, a need not open", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn invite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InvitationBody>,
) -> Result<Response, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let ids = store::invite(&state, &mut tx, &user, &id, &body.organization_ids)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(created(
        format!("/api/v1/needs/{id}/answers"),
        Invited { answer_ids: ids },
    ))
}

// ---- Answers ----

/// The answers the caller may see: the office all (with names and scores); the
/// owner those that expressed interest, anonymised until both sides consent; an
/// invited organisation its own.
#[utoipa::path(get, path = "/api/v1/needs/{id}/answers", tag = "pact", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Answer>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_answers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Answer>>, Fail> {
    let (need, access) = need_of(&state, &user, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(
        store::answers(&mut conn, &need, &access)
            .await
            .map_err(api)?,
    ))
}

/// One answer, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/needs/{id}/answers/{aid}", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Answer),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_answer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
) -> Result<Json<Answer>, Fail> {
    Ok(Json(answer_view(&state, &user, &id, &aid).await?))
}

/// An expression of interest, optionally with an offer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestBody {
    /// What it proposes (required, up to 5,000 characters).
    pub proposal: String,
    /// What it needs to know.
    pub questions: Option<String>,
    /// Who it is, in its own words.
    pub presentation: Option<String>,
    /// The offer, in words.
    pub offer_text: Option<String>,
    /// The offer's amount in euros (≥ 0).
    pub offer_amount_eur: Option<f64>,
    /// Also consent to release its identity to the owner.
    pub consent: Option<bool>,
    /// The version of the answer read.
    pub version: i64,
}

/// The invited organisation expresses interest (or the office on its behalf):
/// `invited` → `interested`. The first one marks the need answered.
#[utoipa::path(post, path = "/api/v1/needs/{id}/answers/{aid}/interest", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), request_body = InterestBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Answer),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or already answered", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn interest(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<InterestBody>,
) -> Result<Json<Answer>, Fail> {
    let amount = cents(&state, "offer_amount_eur", body.offer_amount_eur).map_err(api)?;
    let i = Interest {
        proposal: body.proposal,
        questions: body.questions.unwrap_or_default(),
        presentation: body.presentation.unwrap_or_default(),
        offer_text: body.offer_text.unwrap_or_default(),
        offer_amount_cents: amount,
        consent: body.consent.unwrap_or(false),
    };
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::express_interest(&state, &mut tx, &user, &id, &aid, body.version, &i)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(answer_view(&state, &user, &id, &aid).await?))
}

/// Declining an invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    /// Why (optional).
    pub reason: Option<String>,
    pub version: i64,
}

/// The invited organisation cannot answer: `invited` → `declined`.
#[utoipa::path(post, path = "/api/v1/needs/{id}/answers/{aid}/decline", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), request_body = DeclineBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Answer),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Already answered", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn decline(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<DeclineBody>,
) -> Result<Json<Answer>, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::decline(
        &state,
        &mut tx,
        &user,
        &id,
        &aid,
        body.version,
        body.reason.as_deref(),
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(answer_view(&state, &user, &id, &aid).await?))
}

/// The owner's (or the office's) decision on an answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerTransitionBody {
    /// `shortlisted`, `meeting`, `accepted` or `rejected`.
    pub to: String,
    /// Accepting: the amount awarded locally, in euros (optional).
    pub amount_eur: Option<f64>,
    pub version: i64,
}

/// Shortlists, asks a meeting (which gives the owner's consent), accepts (the
/// need is agreed; follow-ups at 3 and 6 months) or rejects an answer.
#[utoipa::path(post, path = "/api/v1/needs/{id}/answers/{aid}/transitions", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), request_body = AnswerTransitionBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Answer),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A move not allowed (with `allowed`), a bad amount", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn answer_transition(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<AnswerTransitionBody>,
) -> Result<Json<Answer>, Fail> {
    let amount = cents(&state, "amount_eur", body.amount_eur).map_err(api)?;
    let decisions = ["shortlisted", "meeting", "accepted", "rejected"];
    let to = match AnswerStatus::parse(body.to.trim()) {
        Some(s) if decisions.contains(&s.as_str()) => s,
        _ => {
            let a = answer_view(&state, &user, &id, &aid).await?;
            let allowed = a
                .status()
                .allowed()
                .iter()
                .map(|s| s.as_str().to_owned())
                .filter(|s| decisions.contains(&s.as_str()))
                .collect();
            return Err(refused(&state, "to", allowed));
        }
    };
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::decide(&state, &mut tx, &user, &id, &aid, body.version, to, amount)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(answer_view(&state, &user, &id, &aid).await?))
}

/// A body carrying only the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    pub version: i64,
}

/// Consents to release the identities, on the caller's side (the office and
/// the owner: the owner's; the invited organisation: its own). When both
/// sides have consented, each learns the other's name (and is e-mailed).
#[utoipa::path(post, path = "/api/v1/needs/{id}/answers/{aid}/consent", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), request_body = VersionBody, security(("bearer" = [])),
    responses(
        (status = 200, body = Answer),
        (status = 400, description = "Malformed JSON or path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No expression of interest yet", body = TransitionProblem, content_type = "application/problem+json"),
    ))]
pub async fn consent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<Json<Answer>, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    store::consent(&state, &mut tx, &user, &id, &aid, body.version)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(answer_view(&state, &user, &id, &aid).await?))
}

/// An answer's file (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[schema(as = AnswerUploadForm)]
pub struct UploadForm {
    /// PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or
    /// spreadsheet (.ods), recognised by its content; at most the configured size.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Attaches a file to an answer (the invited organisation or the office), e.g.
/// an offer. The type is recognised by the file's content, never by its name.
#[utoipa::path(post, path = "/api/v1/needs/{id}/answers/{aid}/files", tag = "pact",
    params(("id" = String, Path), ("aid" = String, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = AnswerFile),
        (status = 400, description = "Not a readable multipart form", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an accepted kind of file", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, too many files, a decided answer", body = TransitionProblem, content_type = "application/problem+json")))]
pub async fn upload_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Fail> {
    // 404 before reading anything for those who may not see the answer.
    answer_view(&state, &user, &id, &aid).await?;
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
    let file = store::add_file(
        &mut tx,
        &user,
        &id,
        &aid,
        NewFile {
            file_name: &name,
            content_type: kind.content_type(),
            data: &up.bytes,
        },
    )
    .await
    .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(created(
        format!("/api/v1/needs/{id}/answers/{aid}/files/{}", file.id),
        file,
    ))
}

/// The files of an answer.
#[utoipa::path(get, path = "/api/v1/needs/{id}/answers/{aid}/files", tag = "pact", params(("id" = String, Path), ("aid" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<AnswerFile>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_files(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid)): ApiPath<(String, String)>,
) -> Result<Json<Vec<AnswerFile>>, Fail> {
    Ok(Json(answer_view(&state, &user, &id, &aid).await?.files))
}

/// Downloads a file of an answer (for whoever sees the answer).
#[utoipa::path(get, path = "/api/v1/needs/{id}/answers/{aid}/files/{fid}", tag = "pact",
    params(("id" = String, Path), ("aid" = String, Path), ("fid" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file", content(
            ("application/pdf"), ("image/png"), ("image/jpeg"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.oasis.opendocument.text"),
            ("application/vnd.oasis.opendocument.spreadsheet"),
            ("application/octet-stream"))),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn download_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, aid, fid)): ApiPath<(String, String, String)>,
) -> Result<Response, Fail> {
    answer_view(&state, &user, &id, &aid).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    let (meta, f) = store::answer_file(&mut conn, &aid, &fid)
        .await
        .map_err(api)?
        .ok_or_else(|| api(ApiError::NotFound))?;
    let dk = kind::DocKind::from_content_type(&f.content_type);
    let name = kind::download_name(&meta.file_name, dk);
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
    Ok(res)
}

// ---- Timeline, funnel, targets ----

/// A need's timeline, oldest first, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/needs/{id}/events", tag = "pact", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<NeedEvent>),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<NeedEvent>>, Fail> {
    let (need, access) = need_of(&state, &user, &id).await?;
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(
        store::events(&mut conn, &need.id, &access)
            .await
            .map_err(api)?,
    ))
}

/// A need's funnel: how many answers reached each stage (the office and the owner).
#[utoipa::path(get, path = "/api/v1/needs/{id}/funnel", tag = "pact", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Funnel),
        (status = 400, description = "Malformed path", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn funnel(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Funnel>, Fail> {
    let (need, access) = need_of(&state, &user, &id).await?;
    if !access.sees_all_answers() {
        return Err(api(ApiError::Forbidden));
    }
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(store::funnel(&mut conn, &need).await.map_err(api)?))
}

/// The target business days to a first qualified answer, per kind of need (any
/// signed-in user may read them).
#[utoipa::path(get, path = "/api/v1/pact/targets", tag = "pact", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Target>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_targets(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
) -> Result<Json<Vec<Target>>, Fail> {
    let mut conn = state.db.reader().acquire().await.map_err(api)?;
    Ok(Json(store::targets(&mut conn).await.map_err(api)?))
}

/// Targets to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetsBody {
    pub items: Vec<TargetInput>,
}

/// Changes target times (the administrator).
#[utoipa::path(put, path = "/api/v1/pact/targets", tag = "pact", request_body = TargetsBody, security(("bearer" = [])),
    responses(
        (status = 200, description = "All targets", body = Vec<Target>),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown kind, days out of 1–365", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_targets(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<TargetsBody>,
) -> Result<Json<Vec<Target>>, Fail> {
    let mut tx = state.db.writer().begin().await.map_err(api)?;
    let all = store::set_targets(&mut tx, &user, &body.items)
        .await
        .map_err(|e| write_error(&state, e))?;
    tx.commit().await.map_err(api)?;
    Ok(Json(all))
}
