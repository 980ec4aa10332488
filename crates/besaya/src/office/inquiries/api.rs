//! `/api/v1/inquiries`: anyone sends an inquiry; the office lists, reads,
//! reassigns, answers, dismisses and qualifies them.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::store::{
    self, ActionError, After, Filter, Inquiry, InquiryInput, Qualify, Receipt, ReceiveError,
};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, FieldError, Page, Paging};
use crate::auth::{ApiUser, ApiVisitor, User};
use crate::i18n::{Lang, Tr};
use crate::office::policy;
use crate::office::projects::{self, Project};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/inquiries", get(list).post(submit))
        .route("/inquiries/{id}", get(read).patch(update))
        .route("/inquiries/{id}/answer", post(answer))
        .route("/inquiries/{id}/dismiss", post(dismiss))
        .route("/inquiries/{id}/qualify", post(qualify))
}

fn english(state: &AppState) -> Tr {
    Tr::new(state.i18n.clone(), Lang::En)
}

fn invalid(state: &AppState, errs: &[super::Invalid]) -> ApiError {
    let en = english(state);
    ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
}

/// The client's address, as the login throttling reads it.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    crate::auth::routes::client_ip(state, headers, Some(peer))
}

fn action_error(state: &AppState, e: ActionError) -> ApiError {
    match e {
        ActionError::NotFound => ApiError::NotFound,
        ActionError::Conflict(c) => ApiError::Conflict(c),
        ActionError::Invalid(errs) => invalid(state, &errs),
        ActionError::Project(errs) => crate::office::invalid(state, &errs),
        ActionError::NotOpen(status) => ApiError::field(
            "status",
            "not_open",
            format!("the inquiry is {status}: this is no longer possible"),
        ),
        ActionError::AlreadyQualified(project_id) => ApiError::DuplicateOf {
            detail: "the inquiry was already qualified into a project".into(),
            existing_id: project_id,
        },
        ActionError::Withheld => ApiError::Forbidden,
        ActionError::Other(e) => ApiError::Internal(e),
    }
}

fn office_only(user: &User) -> Result<(), ApiError> {
    if policy::is_office(user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Sends an inquiry to the office (no account needed). The office answers within
/// the hours in `response_hours`; an e-mail confirms the receipt in the language
/// chosen. At most `inquiry_rate_per_hour` inquiries an hour from one address
/// (then 429 with `Retry-After`).
#[utoipa::path(post, path = "/api/v1/inquiries", tag = "office", request_body = InquiryInput,
    responses(
        (status = 201, description = "Received", body = Receipt),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was sent and is not valid", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many inquiries from this address", body = crate::api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until another inquiry is accepted"))),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiVisitor(_visitor): ApiVisitor,
    ApiJson(body): ApiJson<InquiryInput>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let valid =
        store::validate(&body, &state.catalog, Lang::Es).map_err(|e| invalid(&state, &e))?;
    let consent = state.i18n.message(valid.lang, "office-inq-consent", &[]);
    let client = client_ip(&state, &headers, peer);
    match store::receive(&state, &valid, &consent, &client).await {
        Ok(r) => Ok((StatusCode::CREATED, Json(r))),
        Err(ReceiveError::RateLimited(wait)) => Err(ApiError::TooManyRequests {
            retry_after: wait.as_secs().max(1),
        }),
        Err(ReceiveError::Other(e)) => Err(ApiError::Internal(e)),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this state: `new`, `answered`, `qualified` or `dismissed`.
    #[param(pattern = "^(new|answered|qualified|dismissed)$")]
    pub status: Option<String>,
    /// Only those of this member of staff.
    pub owner_id: Option<String>,
    /// Only the caller's own.
    pub mine: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Parses the list's filters (shared with the pages).
pub fn filter_of(
    status: Option<&str>,
    owner_id: Option<&str>,
    mine: bool,
) -> Result<Filter, FieldError> {
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) if store::STATUSES.contains(&s) => Some(s.to_owned()),
        Some(s) => {
            return Err(FieldError::new(
                "status",
                "invalid_choice",
                format!(
                    "{:?} is not a state; use new, answered, qualified or dismissed",
                    s.chars().take(20).collect::<String>()
                ),
            ));
        }
    };
    Ok(Filter {
        status,
        owner_id: owner_id
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(64).collect()),
        mine,
    })
}

/// The inquiries (the office only): those still waiting for an answer first,
/// oldest first; then the rest, newest first. Each with its response clock.
#[utoipa::path(get, path = "/api/v1/inquiries", tag = "office", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Inquiry>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or cursor", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page<Inquiry>>, ApiError> {
    office_only(&actor)?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = filter_of(
        q.status.as_deref(),
        q.owner_id.as_deref(),
        q.mine.unwrap_or(false),
    )
    .map_err(|e| ApiError::Validation(vec![e]))?;
    let after = match paging.after.as_deref() {
        None => None,
        Some(k) => Some(After::parse(k).ok_or_else(|| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "cursor is not one this API gave",
            )
        })?),
    };
    let rows = store::list(
        state.db.reader(),
        &actor,
        &filter,
        after.as_ref(),
        paging.fetch(),
        state.config.inquiry_response_hours,
    )
    .await?;
    Ok(Json(paging.page(rows, After::key)))
}

async fn load(state: &AppState, actor: &User, id: &str) -> Result<Inquiry, ApiError> {
    let mut conn = state.db.reader().acquire().await?;
    store::get(&mut conn, actor, id, state.config.inquiry_response_hours)
        .await?
        .ok_or(ApiError::NotFound)
}

/// One inquiry (the office only). The sender's details of an inquiry qualified
/// into a confidential project are withheld from staff not assigned to it.
#[utoipa::path(get, path = "/api/v1/inquiries/{id}", tag = "office", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Inquiry),
        (status = 400, description = "Malformed path", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Inquiry>, ApiError> {
    office_only(&actor)?;
    load(&state, &actor, &id).await.map(Json)
}

/// A change of owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryPatch {
    /// An active member of the office (staff or administrator).
    #[schema(required = true)]
    pub owner_id: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Gives the inquiry to another member of the office, who gets an e-mail with its link.
#[utoipa::path(patch, path = "/api/v1/inquiries/{id}", tag = "office", params(("id" = String, Path)), request_body = InquiryPatch, security(("bearer" = [])),
    responses((status = 200, body = Inquiry),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a member of the office", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InquiryPatch>,
) -> Result<Json<Inquiry>, ApiError> {
    office_only(&actor)?;
    store::reassign(&state, &actor, &id, body.version, body.owner_id.as_deref())
        .await
        .map_err(|e| action_error(&state, e))?;
    load(&state, &actor, &id).await.map(Json)
}

/// The answer to an inquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The text e-mailed to the sender (1–5 000 characters).
    #[schema(required = true, min_length = 1, max_length = 5000, pattern = r"\S")]
    pub answer: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Answers an inquiry that waits: the text is e-mailed to the sender (in the
/// language of the form) and the response clock stops.
#[utoipa::path(post, path = "/api/v1/inquiries/{id}/answer", tag = "office", params(("id" = String, Path)), request_body = AnswerBody, security(("bearer" = [])),
    responses((status = 200, body = Inquiry),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No answer, or the inquiry no longer waits", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Json<Inquiry>, ApiError> {
    office_only(&actor)?;
    store::answer(&state, &actor, &id, body.version, body.answer.as_deref())
        .await
        .map_err(|e| action_error(&state, e))?;
    load(&state, &actor, &id).await.map(Json)
}

/// Why an inquiry is dismissed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    /// Spam, out of scope, a duplicate... (1–1 000 characters).
    #[schema(required = true, min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Dismisses an inquiry (waiting or answered) with a reason; the clock stops.
#[utoipa::path(post, path = "/api/v1/inquiries/{id}/dismiss", tag = "office", params(("id" = String, Path)), request_body = DismissBody, security(("bearer" = [])),
    responses((status = 200, body = Inquiry),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or already qualified or dismissed", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn dismiss(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DismissBody>,
) -> Result<Json<Inquiry>, ApiError> {
    office_only(&actor)?;
    store::dismiss(&state, &actor, &id, body.version, body.reason.as_deref())
        .await
        .map_err(|e| action_error(&state, e))?;
    load(&state, &actor, &id).await.map(Json)
}

/// What the project made of an inquiry starts with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualifyBody {
    /// 2–80 characters, unique. Left out, the platform gives the next `P-YYYY-NNN`.
    pub code_name: Option<String>,
    /// The investor, an organisation of the directory.
    pub investor_org_id: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Qualifies an inquiry (waiting or answered) into an investor project at the
/// `qualified` stage: owned by the inquiry's owner, the message as its
/// description, its activity code. The clock stops. A second time answers 409
/// with the project's id in `existing_id`.
#[utoipa::path(post, path = "/api/v1/inquiries/{id}/qualify", tag = "office", params(("id" = String, Path)), request_body = QualifyBody, security(("bearer" = [])),
    responses((status = 201, description = "The project", body = Project),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or already qualified", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid code name or organisation, or a dismissed inquiry", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn qualify(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<QualifyBody>,
) -> Result<(StatusCode, Json<Project>), ApiError> {
    office_only(&actor)?;
    let q = Qualify {
        code_name: body.code_name,
        investor_org_id: body.investor_org_id,
    };
    let project_id = store::qualify(&state, &actor, &id, body.version, &q)
        .await
        .map_err(|e| action_error(&state, e))?;
    let (project, _) = projects::visible(state.db.reader(), &actor, &project_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(project)))
}
