//! `/api/v1/organizations`: the directory through the API.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::Limit;
use besaya_domain::directory::{SizeBand, normalize_cnae};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::index::{Filter, Sort};
use super::model::{OrgInput, Organization, validate};
use super::store::{self, WriteError};
use super::{KINDS, policy};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, Page};
use crate::auth::{ApiUser, User};
use crate::i18n::{Lang, Tr};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(list).post(create))
        .route(
            "/organizations/{id}",
            get(read).patch(update).delete(remove),
        )
        .route("/organizations/{id}/merge", post(merge))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to search in name, trade name, capabilities, description and activity
    /// titles (Spanish stemming, accent- and case-insensitive), ranked by relevance.
    pub q: Option<String>,
    /// One of the kinds of organisation.
    pub kind: Option<String>,
    /// A CNAE section letter (`C`), or a division, group or class (`24`, `24.5`, `24.51`).
    pub cnae: Option<String>,
    /// INE code of the municipality.
    pub municipality: Option<String>,
    /// Only organisations in the Besaya district.
    pub district: Option<bool>,
    pub pact_member: Option<bool>,
    /// Words of a certification held and not expired (`ISO 9001`).
    pub certification: Option<String>,
    /// `micro`, `small`, `medium` or `large`.
    pub size_band: Option<String>,
    /// `relevance` (default; by name without `q`), `name`, `employees` or `updated`.
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn english(state: &AppState) -> Tr {
    Tr::new(state.i18n.clone(), Lang::En)
}

/// The filter parameters as received, shared by the API and the pages.
#[derive(Debug, Default)]
pub struct RawFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub cnae: Option<String>,
    pub municipality: Option<String>,
    pub district: bool,
    pub pact_member: Option<bool>,
    pub certification: Option<String>,
    pub size_band: Option<String>,
}

/// Builds the search filter, or the field errors of the parameters.
pub fn parse_filter(raw: RawFilter) -> Result<Filter, Vec<FieldError>> {
    let RawFilter {
        q,
        kind,
        cnae,
        municipality,
        district,
        pact_member,
        certification,
        size_band,
    } = raw;
    let blank = |s: Option<String>| s.map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
    let mut errors = Vec::new();
    let kind = blank(kind);
    if let Some(k) = &kind
        && !KINDS.contains(&k.as_str())
    {
        errors.push(FieldError::new(
            "kind",
            "invalid_value",
            "not a kind of organisation",
        ));
    }
    let cnae = match blank(cnae) {
        None => None,
        Some(c) => {
            let n = normalize_cnae(&c);
            if n.is_none() {
                errors.push(FieldError::new("cnae", "invalid_value", "not a CNAE code"));
            }
            n
        }
    };
    let size_band = match blank(size_band) {
        None => None,
        Some(b) => {
            let band = SizeBand::parse(&b);
            if band.is_none() {
                errors.push(FieldError::new(
                    "size_band",
                    "invalid_value",
                    "size_band is micro, small, medium or large",
                ));
            }
            band
        }
    };
    let q = blank(q);
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        errors.push(FieldError::new(
            "q",
            "too_long",
            "q has at most 200 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Filter {
        q,
        kind,
        cnae,
        municipality: blank(municipality),
        district_only: district,
        pact_member,
        certification: blank(certification),
        size_band,
    })
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Organisations matching the search and filters, a page at a time. The total
/// count is in the `X-Total-Count` header.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "directory", params(ListQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations", body = Page<Organization>,
            headers(("X-Total-Count" = i64, description = "How many organisations match"))),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, limit or cursor", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    if !policy::can_read(&actor) {
        return Err(ApiError::Forbidden);
    }
    let limit = Limit::parse(query.limit)
        .map_err(|e| ApiError::field("limit", "out_of_range", e.to_string()))?;
    let offset = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => decode_offset(c).ok_or_else(|| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "cursor is not one this API gave",
            )
        })?,
    };
    let sort = match query.sort.as_deref().filter(|s| !s.is_empty()) {
        None => Sort::Relevance,
        Some(s) => Sort::parse(s).ok_or_else(|| {
            ApiError::field(
                "sort",
                "invalid_value",
                "sort is relevance, name, employees or updated",
            )
        })?,
    };
    let filter = parse_filter(RawFilter {
        q: query.q,
        kind: query.kind,
        cnae: query.cnae,
        municipality: query.municipality,
        district: query.district.unwrap_or(false),
        pact_member: query.pact_member,
        certification: query.certification,
        size_band: query.size_band,
    })
    .map_err(ApiError::Validation)?;
    state.directory.sync(&state.db, &state.catalog).await?;
    let limit = limit.get() as usize;
    let hits = state
        .directory
        .search(&filter, sort, offset, limit, &state.catalog, today());
    let ids: Vec<String> = hits.entries.iter().map(|e| e.id.clone()).collect();
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    let items = store::get_many(&mut conn, &ids)
        .await
        .map_err(anyhow::Error::from)?;
    let next = offset + limit;
    let page = Page {
        items,
        next_cursor: (next < hits.total).then(|| encode_offset(next)),
    };
    let mut res = Json(page).into_response();
    if let Ok(v) = HeaderValue::from_str(&hits.total.to_string()) {
        res.headers_mut().insert("x-total-count", v);
    }
    Ok(res)
}

fn encode_offset(n: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{n}"))
}

fn decode_offset(c: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("o:")?
        .parse()
        .ok()
        .filter(|n| *n <= 10_000_000)
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "directory", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Organization),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Organization>, ApiError> {
    if !policy::can_read(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    store::get(&mut conn, &id)
        .await
        .map_err(anyhow::Error::from)?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

pub fn write_error(e: WriteError) -> ApiError {
    match e {
        WriteError::DuplicateTaxId { existing_id } => ApiError::DuplicateOf {
            detail: format!(
                "an organisation with this tax id already exists: /api/v1/organizations/{existing_id}"
            ),
            existing_id,
        },
        WriteError::Conflict(c) => ApiError::Conflict(c),
        WriteError::NotFound => ApiError::NotFound,
        WriteError::HasProjects(n) => ApiError::Duplicate(format!(
            "the organisation is the investor of {n} project(s) of the Office; merge it into another instead"
        )),
        WriteError::HasProcedures(n) => ApiError::Duplicate(format!(
            "the organisation is responsible for {n} procedure(s) of the Office; merge it into another instead"
        )),
        WriteError::HasNeeds(n) => ApiError::Duplicate(format!(
            "the organisation has {n} need(s) or answer(s) of the Industrial Pact; merge it into another instead"
        )),
        WriteError::HasUsers(n) => ApiError::Duplicate(format!(
            "the organisation still has {n} user(s); merge it into another or move them first"
        )),
        WriteError::SameRecord => ApiError::field(
            "from",
            "same_record",
            "an organisation cannot be merged into itself",
        ),
        WriteError::Db(e) => ApiError::Internal(e.into()),
    }
}

/// Registers an organisation (office staff and administrators).
#[utoipa::path(post, path = "/api/v1/organizations", tag = "directory", request_body = OrgInput, security(("bearer" = [])),
    responses((status = 201, body = Organization),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tax id is already registered (`existing_id` names the record)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<OrgInput>,
) -> Result<(StatusCode, Json<Organization>), ApiError> {
    if !policy::can_create(&actor) {
        return Err(ApiError::Forbidden);
    }
    let valid = validate(&body, &state.catalog).map_err(|errs| {
        let en = english(&state);
        ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
    })?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let id = store::insert(&mut tx, Some(&actor.id), &valid)
        .await
        .map_err(write_error)?;
    let org = store::get(&mut tx, &id)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    state.directory.sync(&state.db, &state.catalog).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// Changes an organisation: a JSON merge patch (RFC 7396) over the record, with
/// the `version` read. Office staff and administrators change any; a company
/// user changes its own organisation's profile.
#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "directory", params(("id" = String, Path)), request_body = OrgInput, security(("bearer" = [])),
    responses((status = 200, body = Organization),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or the tax id belongs to another record", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Organization>, ApiError> {
    if !policy::can_read(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state
        .db
        .reader()
        .acquire()
        .await
        .map_err(anyhow::Error::from)?;
    let current = store::get(&mut conn, &id)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    if !policy::can_edit(&actor, &id) {
        return Err(ApiError::Forbidden);
    }
    // Read-only fields sent back from a GET are ignored.
    let (input, version) = crate::api::merge_patch(
        &OrgInput::from(&current),
        patch,
        &["id", "created_at", "updated_at"],
    )?;
    if !policy::can_change_kind(&actor) {
        // What an organisation is in the plan is the office's call: its kind,
        // its tax id and its membership of the Pact.
        let same_tax_id = input
            .tax_id
            .as_deref()
            .and_then(|t| besaya_domain::directory::TaxId::parse(t).ok())
            .is_some_and(|t| t.as_str() == current.tax_id);
        let locked = [
            ("kind", input.kind.as_deref() != Some(current.kind.as_str())),
            ("tax_id", !same_tax_id),
            (
                "pact_member",
                input.pact_member != Some(current.pact_member),
            ),
        ];
        let errors: Vec<FieldError> = locked
            .iter()
            .filter(|(_, changed)| *changed)
            .map(|(field, _)| {
                FieldError::new(field, "forbidden", "only the office changes this field")
            })
            .collect();
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
    }
    let valid = validate(&input, &state.catalog).map_err(|errs| {
        let en = english(&state);
        ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
    })?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let org = store::update(&mut tx, Some(&actor.id), &id, version, &valid)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    state.directory.sync(&state.db, &state.catalog).await?;
    Ok(Json(org))
}

/// Deletes an organisation no user belongs to (administrators).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}", tag = "directory", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or users still belong to it", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    if !policy::can_read(&actor) {
        return Err(ApiError::Forbidden);
    }
    if !policy::can_delete(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::delete(&mut tx, Some(&actor.id), &id, q.version)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    state.directory.sync(&state.db, &state.catalog).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What to merge into the organisation of the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The duplicate record, deleted once its references move.
    pub from: String,
    /// The version read of the surviving record.
    pub version: i64,
}

/// Merges a duplicate into this organisation (administrators): users and other
/// references move here, blank fields are completed, the duplicate is deleted;
/// both sides are audited.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/merge", tag = "directory", params(("id" = String, Path)), request_body = MergeBody, security(("bearer" = [])),
    responses((status = 200, description = "The surviving record", body = Organization),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn merge(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<Json<Organization>, ApiError> {
    if !policy::can_merge(&actor) {
        return Err(ApiError::Forbidden);
    }
    let org = merge_into(&state, &actor, &id, &body.from, body.version).await?;
    Ok(Json(org))
}

pub async fn merge_into(
    state: &AppState,
    actor: &User,
    survivor: &str,
    loser: &str,
    version: i64,
) -> Result<Organization, ApiError> {
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let org = store::merge(&mut tx, Some(&actor.id), survivor, loser, version)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    state.directory.sync(&state.db, &state.catalog).await?;
    Ok(org)
}
