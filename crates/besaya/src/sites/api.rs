//! `/api/v1/sites` and `/api/v1/estates`: the catalogue through the API. Reading
//! is public (published sites only); the office sees and changes everything.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::Limit;
use besaya_domain::directory::{format_date, normalize_cnae, parse_date};
use besaya_domain::sites::availability::Availability;
use besaya_domain::sites::matching::{self, Importance, Range, Requirements, Want};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::catalogue::Snapshot;
use super::filter::RawFilter;
use super::model::{Estate, EstateInput, Invalid, Site, SiteInput, validate_estate, validate_site};
use super::policy;
use super::store::{self, Move, WriteError};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, DeleteQuery, FieldError, PageQuery};
use crate::auth::{ApiUser, ApiVisitor};
use crate::i18n::{Lang, Tr};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/sites", get(list).post(create))
        .route("/sites/match", post(match_sites))
        .route("/sites/{id}", get(read).patch(update).delete(remove))
        .route("/sites/{id}/transitions", post(transition))
        .route("/estates", get(list_estates).post(create_estate))
        .route(
            "/estates/{id}",
            get(read_estate).patch(update_estate).delete(remove_estate),
        )
}

fn english(state: &AppState) -> Tr {
    Tr::new(state.i18n.clone(), Lang::En)
}

fn invalid(state: &AppState, errs: Vec<Invalid>) -> ApiError {
    let en = english(state);
    ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
}

pub fn write_error(e: WriteError) -> ApiError {
    match e {
        WriteError::DuplicateReference => ApiError::Validation(vec![FieldError::new(
            "reference",
            "duplicate",
            "another site has this reference",
        )]),
        WriteError::DuplicateName => ApiError::Validation(vec![FieldError::new(
            "name",
            "duplicate",
            "another estate has this name",
        )]),
        WriteError::Conflict(c) => ApiError::Conflict(c),
        WriteError::NotFound => ApiError::NotFound,
        WriteError::Proposed(n) => ApiError::Duplicate(format!(
            "the site was proposed to {n} investor project(s); unpublish it instead of deleting it"
        )),
        WriteError::HasSites(n) => ApiError::Duplicate(format!(
            "the estate still holds {n} site(s); move or delete them first"
        )),
        WriteError::Transition { from, to } => {
            let from_a = from.as_deref().and_then(Availability::parse);
            let allowed: Vec<&str> = besaya_domain::sites::availability::allowed_from(from_a)
                .into_iter()
                .map(|a| a.as_str())
                .collect();
            ApiError::field(
                "to",
                "transition_not_allowed",
                format!(
                    "a site cannot move from {} to {to}; allowed: {}",
                    from.as_deref().unwrap_or("unknown"),
                    allowed.join(", ")
                ),
            )
        }
        WriteError::Db(e) => ApiError::Internal(e.into()),
    }
}

async fn snapshot(state: &AppState) -> Result<std::sync::Arc<Snapshot>, ApiError> {
    Ok(state.sites.get(&state.db, &state.catalog).await?)
}

/// What a caller may see of a site: the office everything, the rest published sites without internal notes.
fn visible(actor: Option<&crate::auth::User>, s: &Site) -> Option<Site> {
    if actor.is_some_and(policy::can_see_unpublished) {
        Some(s.clone())
    } else if s.published {
        Some(s.public())
    } else {
        None
    }
}

/// A page of sites.
#[derive(Debug, Serialize, ToSchema)]
pub struct SitePage {
    pub items: Vec<Site>,
    pub next_cursor: Option<String>,
}

fn parse_offset(c: Option<&str>) -> Result<usize, ApiError> {
    match c.filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 10_000_000)
            .ok_or_else(|| {
                ApiError::field(
                    "cursor",
                    "invalid_cursor",
                    "cursor is not one this API gave",
                )
            }),
    }
}

/// Sites matching the filters, by name. Without a token, published sites only.
/// The total is in `X-Total-Count`. A site lacking the fact a filter asks
/// about (area, power, rail, price) does not pass that filter.
#[utoipa::path(get, path = "/api/v1/sites", tag = "sites", params(RawFilter, PageQuery),
    responses(
        (status = 200, description = "A page of sites", body = SitePage,
            headers(("X-Total-Count" = i64, description = "How many sites match"))),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was sent and is not valid", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiVisitor(actor): ApiVisitor,
    ApiQuery(raw): ApiQuery<RawFilter>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Response, ApiError> {
    let limit = Limit::parse(page.limit)
        .map_err(|e| ApiError::field("limit", "out_of_range", e.to_string()))?
        .get() as usize;
    let offset = parse_offset(page.cursor.as_deref())?;
    let filter = raw.parse().map_err(|e| invalid(&state, e))?;
    let snap = snapshot(&state).await?;
    let all: Vec<Site> = snap
        .sites
        .iter()
        .filter(|s| filter.matches(s))
        .filter_map(|s| visible(actor.as_ref(), s))
        .collect();
    let total = all.len();
    let items: Vec<Site> = all.into_iter().skip(offset).take(limit).collect();
    let next = offset + limit;
    let mut res = Json(SitePage {
        items,
        next_cursor: (next < total).then(|| next.to_string()),
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        res.headers_mut().insert("x-total-count", v);
    }
    Ok(res)
}

/// One site (published ones without a token).
#[utoipa::path(get, path = "/api/v1/sites/{id}", tag = "sites", params(("id" = String, Path)),
    responses((status = 200, body = Site),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    ApiVisitor(actor): ApiVisitor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Site>, ApiError> {
    let snap = snapshot(&state).await?;
    snap.site(&id)
        .and_then(|s| visible(actor.as_ref(), s))
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Adds a site (office staff and administrators). Every fact may be left out
/// (unknown). Coordinates outside Cantabria, or latitude and longitude swapped,
/// are refused; so is a cadastral reference with wrong control letters.
#[utoipa::path(post, path = "/api/v1/sites", tag = "sites", request_body = SiteInput, security(("bearer" = [])),
    responses((status = 201, body = Site),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<SiteInput>,
) -> Result<(StatusCode, Json<Site>), ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let snap = snapshot(&state).await?;
    let valid = validate_site(&body, &state.catalog, |e| snap.estate(e).is_some())
        .map_err(|e| invalid(&state, e))?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let id = store::insert_site(&mut tx, Some(&actor.id), &valid)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let snap = snapshot(&state).await?;
    let site = snap.site(&id).ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(Site::clone(site))))
}

/// Fields of a site the API shows but a change does not take.
const SITE_READ_ONLY: [&str; 9] = [
    "id",
    "created_at",
    "updated_at",
    "estate_name",
    "municipality_name",
    "distances",
    "photos",
    "documents",
    "availability_history",
];

/// Changes a site: a JSON merge patch with the `version` read. The availability
/// moves through `/transitions`.
#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "sites", params(("id" = String, Path)), request_body = SiteInput, security(("bearer" = [])),
    responses((status = 200, body = Site),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Site>, ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let snap = snapshot(&state).await?;
    let current = snap.site(&id).ok_or(ApiError::NotFound)?;
    let base = SiteInput::from(current.as_ref());
    if let Value::Object(p) = &patch {
        let moved = |k: &str| {
            p.get(k).is_some_and(|v| {
                let now = serde_json::to_value(if k == "availability" {
                    &base.availability
                } else {
                    &base.available_from
                })
                .unwrap_or(Value::Null);
                *v != now
            })
        };
        if moved("availability") || moved("available_from") {
            return Err(ApiError::field(
                "availability",
                "use_transitions",
                "the availability changes through POST /api/v1/sites/{id}/transitions",
            ));
        }
    }
    let (input, version) = crate::api::merge_patch(&base, patch, &SITE_READ_ONLY)?;
    let valid = validate_site(&input, &state.catalog, |e| snap.estate(e).is_some())
        .map_err(|e| invalid(&state, e))?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::update_site(&mut tx, Some(&actor.id), &id, version, &valid)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let snap = snapshot(&state).await?;
    snap.site(&id)
        .map(|s| Json(Site::clone(s)))
        .ok_or(ApiError::NotFound)
}

/// Deletes a site with its photos, documents and history (office staff and administrators).
#[utoipa::path(delete, path = "/api/v1/sites/{id}", tag = "sites", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::delete_site(&mut tx, Some(&actor.id), &id, q.version)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A move of a site's availability.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// `available`, `reserved`, `sold`, `let` or `in_tender`.
    pub to: String,
    /// The day it takes effect (`YYYY-MM-DD`, default today).
    pub effective_on: Option<String>,
    /// When the site is (again) available, if known (`YYYY-MM-DD`).
    pub available_from: Option<String>,
    pub note: Option<String>,
    /// The version read.
    pub version: i64,
}

/// Moves a site between availability states. Allowed: available → reserved,
/// in_tender, sold, let; in_tender → available, reserved, sold, let; reserved →
/// available, sold, let; let → available, sold; sold → available; from unknown,
/// any. Otherwise 422 naming the allowed ones.
#[utoipa::path(post, path = "/api/v1/sites/{id}/transitions", tag = "sites", params(("id" = String, Path)), request_body = TransitionBody, security(("bearer" = [])),
    responses((status = 200, body = Site),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an allowed move, or invalid dates", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> Result<Json<Site>, ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let m = parse_move(
        &body.to,
        body.effective_on.as_deref(),
        body.available_from.as_deref(),
        body.note.as_deref(),
    )
    .map_err(|e| invalid(&state, e))?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::transition(
        &mut tx,
        Some(&actor.id),
        &id,
        body.version,
        &Move {
            to: m.0,
            effective_on: &m.1,
            available_from: m.2.as_deref(),
            note: m.3.as_deref(),
        },
    )
    .await
    .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let snap = snapshot(&state).await?;
    snap.site(&id)
        .map(|s| Json(Site::clone(s)))
        .ok_or(ApiError::NotFound)
}

/// The validated parts of a move: state, effective day, available from, note.
pub type ParsedMove = (Availability, String, Option<String>, Option<String>);

pub fn parse_move(
    to: &str,
    effective_on: Option<&str>,
    available_from: Option<&str>,
    note: Option<&str>,
) -> Result<ParsedMove, Vec<Invalid>> {
    let mut e = Vec::new();
    let to = Availability::parse(to.trim());
    if to.is_none() {
        e.push(Invalid::new("to", "invalid_choice"));
    }
    let day = |field: &str, v: Option<&str>, e: &mut Vec<Invalid>| -> Option<String> {
        let v = v.map(str::trim).filter(|s| !s.is_empty())?;
        match parse_date(v) {
            Some(d) => Some(format_date(d)),
            None => {
                e.push(Invalid::with(field, "invalid_date", v));
                None
            }
        }
    };
    let effective = day("effective_on", effective_on, &mut e)
        .unwrap_or_else(|| format_date(time::OffsetDateTime::now_utc().date()));
    let from = day("available_from", available_from, &mut e);
    let note = note
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        e.push(Invalid::with("note", "too_long", "1000"));
    }
    match to {
        Some(to) if e.is_empty() => Ok((to, effective, from, note)),
        _ => Err(e),
    }
}

// ---- Matching ----

/// How much a criterion matters: `required` (default) eliminates the sites that
/// fail it; `preferred` ranks.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ImportanceDto {
    #[default]
    Required,
    Preferred,
}

impl From<ImportanceDto> for Importance {
    fn from(i: ImportanceDto) -> Self {
        match i {
            ImportanceDto::Required => Importance::Required,
            ImportanceDto::Preferred => Importance::Preferred,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeCriterion {
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinCriterion {
    pub min: f64,
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaxCriterion {
    pub max: f64,
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentCriterion {
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UseCriterion {
    /// A CNAE section or code (`C`, `24`, `24.10`).
    pub cnae: String,
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateCriterion {
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub importance: ImportanceDto,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MunicipalitiesCriterion {
    /// INE codes (or names) of the acceptable municipalities.
    pub codes: Vec<String>,
    #[serde(default)]
    pub importance: ImportanceDto,
}

/// An investor's requirements. Every criterion is optional; each is `required`
/// (default) or `preferred`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    pub area_m2: Option<RangeCriterion>,
    #[serde(rename = "use")]
    #[schema(rename = "use")]
    pub use_cnae: Option<UseCriterion>,
    pub power_kva: Option<MinCriterion>,
    pub rail_siding: Option<PresentCriterion>,
    pub gas: Option<PresentCriterion>,
    pub water_m3_day: Option<MinCriterion>,
    pub port_km: Option<MaxCriterion>,
    pub motorway_km: Option<MaxCriterion>,
    pub sale_price_m2: Option<MaxCriterion>,
    pub rent_m2_month: Option<MaxCriterion>,
    pub available_by: Option<DateCriterion>,
    pub municipalities: Option<MunicipalitiesCriterion>,
    /// Also list sites where a required fact is unknown, after the matches (default true).
    pub include_incomplete: Option<bool>,
    /// How many results at most (default 50, up to 500).
    pub limit: Option<i64>,
}

/// Turns the request into the domain's requirements, or the field errors.
pub fn requirements(
    r: &MatchRequest,
    catalog: &crate::reference::Catalog,
) -> Result<Requirements, Vec<Invalid>> {
    let mut e = Vec::new();
    let mut amount = |field: &str, v: f64| -> f64 {
        if !v.is_finite() || !(0.0..=1e9).contains(&v) {
            e.push(Invalid::new(field, "figure_range"));
        }
        v
    };
    let area_m2 = r.area_m2.as_ref().map(|c| {
        let min = c.min.map(|v| amount("area_m2.min", v));
        let max = c.max.map(|v| amount("area_m2.max", v));
        Want {
            value: Range { min, max },
            importance: c.importance.into(),
        }
    });
    let min_power_kva = r.power_kva.as_ref().map(|c| Want {
        value: amount("power_kva.min", c.min),
        importance: c.importance.into(),
    });
    let min_water = r.water_m3_day.as_ref().map(|c| Want {
        value: amount("water_m3_day.min", c.min),
        importance: c.importance.into(),
    });
    let port = r.port_km.as_ref().map(|c| Want {
        value: amount("port_km.max", c.max),
        importance: c.importance.into(),
    });
    let motorway = r.motorway_km.as_ref().map(|c| Want {
        value: amount("motorway_km.max", c.max),
        importance: c.importance.into(),
    });
    let sale = r.sale_price_m2.as_ref().map(|c| Want {
        value: amount("sale_price_m2.max", c.max),
        importance: c.importance.into(),
    });
    let rent = r.rent_m2_month.as_ref().map(|c| Want {
        value: amount("rent_m2_month.max", c.max),
        importance: c.importance.into(),
    });
    if let Some(a) = &r.area_m2
        && let (Some(min), Some(max)) = (a.min, a.max)
        && min > max
    {
        e.push(Invalid::new("area_m2", "range_inverted"));
    }
    let use_cnae = match &r.use_cnae {
        None => None,
        Some(u) => match normalize_cnae(&u.cnae) {
            Some(c) => Some(Want {
                value: c,
                importance: u.importance.into(),
            }),
            None => {
                e.push(Invalid::with("use", "invalid_use", u.cnae.clone()));
                None
            }
        },
    };
    let available_by = match &r.available_by {
        None => None,
        Some(d) => match parse_date(d.date.trim()) {
            Some(date) => Some(Want {
                value: date,
                importance: d.importance.into(),
            }),
            None => {
                e.push(Invalid::with(
                    "available_by",
                    "invalid_date",
                    d.date.clone(),
                ));
                None
            }
        },
    };
    let municipalities = match &r.municipalities {
        None => None,
        Some(m) => {
            let mut codes = Vec::new();
            for raw in m.codes.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let code = catalog.municipality_code(raw);
                if catalog.municipality(&code).is_some() {
                    codes.push(code);
                } else {
                    e.push(Invalid::with("municipalities", "unknown_municipality", raw));
                }
            }
            if codes.is_empty() && e.is_empty() {
                e.push(Invalid::new("municipalities", "required"));
            }
            Some(Want {
                value: codes,
                importance: m.importance.into(),
            })
        }
    };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(Requirements {
        area_m2,
        use_cnae,
        min_power_kva,
        rail: r.rail_siding.as_ref().map(|c| Want {
            value: (),
            importance: c.importance.into(),
        }),
        gas: r.gas.as_ref().map(|c| Want {
            value: (),
            importance: c.importance.into(),
        }),
        min_water_m3_day: min_water,
        max_port_km: port,
        max_motorway_km: motorway,
        max_sale_price_m2: sale,
        max_rent_m2_month: rent,
        available_by,
        municipalities,
    })
}

/// One criterion on one site.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckDto {
    /// `area`, `use`, `power`, `rail`, `gas`, `water`, `port_distance`,
    /// `motorway_distance`, `sale_price`, `rent_price`, `available_by` or `municipality`.
    pub criterion: &'static str,
    /// `required` or `preferred`.
    pub importance: &'static str,
    /// `pass`, `fail` or `unknown` (the site lacks the fact; never a pass).
    pub outcome: &'static str,
    /// E.g. "needs 2,000 kVA, site offers 800 kVA".
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResult {
    pub site_id: String,
    pub name: String,
    pub reference: Option<String>,
    /// The site's public page.
    pub url: String,
    /// `match` (every required criterion passes) or `incomplete` (a required fact is unknown).
    pub status: &'static str,
    /// 0–100: how well the site meets the preferred criteria.
    pub score: f64,
    pub checks: Vec<CheckDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponse {
    /// Sites looked at (published ones, or all for the office).
    pub considered: usize,
    /// Sites a required criterion ruled out.
    pub eliminated: usize,
    /// Sites with a required fact unknown.
    pub incomplete: usize,
    /// Best first: matches, then incomplete sites; by score, then name.
    pub results: Vec<MatchResult>,
}

/// Ranks the catalogue's sites against requirements. For each site and each
/// criterion: pass, fail or unknown, with the reason. Required criteria
/// eliminate, preferred ones rank; an unknown fact is never a pass.
#[utoipa::path(post, path = "/api/v1/sites/match", tag = "sites", request_body = MatchRequest,
    responses((status = 200, body = MatchResponse),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was sent and is not valid", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid requirements", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn match_sites(
    State(state): State<AppState>,
    ApiVisitor(actor): ApiVisitor,
    ApiJson(body): ApiJson<MatchRequest>,
) -> Result<Json<MatchResponse>, ApiError> {
    let limit = Limit::parse(body.limit)
        .map_err(|e| ApiError::field("limit", "out_of_range", e.to_string()))?
        .get() as usize;
    let req = requirements(&body, &state.catalog).map_err(|e| invalid(&state, e))?;
    let snap = snapshot(&state).await?;
    let all = actor.as_ref().is_some_and(policy::can_see_unpublished);
    Ok(Json(run_match(
        &snap,
        &req,
        all,
        body.include_incomplete.unwrap_or(true),
        limit,
    )))
}

/// The sites the caller may see, ranked against the requirements (keys index
/// `snap.sites`).
pub fn rank_visible<'a>(
    snap: &'a Snapshot,
    req: &'a Requirements,
    include_unpublished: bool,
    include_incomplete: bool,
) -> matching::Ranked<'a, usize> {
    let sites = snap
        .facts
        .iter()
        .enumerate()
        .filter(|(i, _)| include_unpublished || snap.sites[*i].published);
    matching::rank(req, sites, include_incomplete)
}

/// Matching over a snapshot: the sites the caller may see, best first.
pub fn run_match(
    snap: &Snapshot,
    req: &Requirements,
    include_unpublished: bool,
    include_incomplete: bool,
    limit: usize,
) -> MatchResponse {
    let ranked = rank_visible(snap, req, include_unpublished, include_incomplete);
    let results = ranked
        .results
        .iter()
        .take(limit)
        .map(|(i, ev)| {
            let s = &snap.sites[*i];
            MatchResult {
                site_id: s.id.clone(),
                name: s.name.clone(),
                reference: s.reference.clone(),
                url: format!("/sites/{}", s.id),
                status: ev.status.as_str(),
                score: (ev.score * 10.0).round() / 10.0,
                checks: ev
                    .checks
                    .iter()
                    .map(|c| CheckDto {
                        criterion: c.criterion.as_str(),
                        importance: match c.importance {
                            Importance::Required => "required",
                            Importance::Preferred => "preferred",
                        },
                        outcome: c.outcome.as_str(),
                        reason: c.reason_en(),
                    })
                    .collect(),
            }
        })
        .collect();
    MatchResponse {
        considered: ranked.considered,
        eliminated: ranked.eliminated,
        incomplete: ranked.incomplete,
        results,
    }
}

// ---- Estates ----

/// Every estate, by name (public).
#[utoipa::path(get, path = "/api/v1/estates", tag = "sites",
    responses((status = 200, body = Vec<Estate>),
        (status = 401, description = "A token was sent and is not valid", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list_estates(
    State(state): State<AppState>,
    ApiVisitor(_actor): ApiVisitor,
) -> Result<Json<Vec<Estate>>, ApiError> {
    let snap = snapshot(&state).await?;
    Ok(Json(
        snap.estates.iter().map(|e| Estate::clone(e)).collect(),
    ))
}

/// One estate (public).
#[utoipa::path(get, path = "/api/v1/estates/{id}", tag = "sites", params(("id" = String, Path)),
    responses((status = 200, body = Estate),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn read_estate(
    State(state): State<AppState>,
    ApiVisitor(_actor): ApiVisitor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Estate>, ApiError> {
    let snap = snapshot(&state).await?;
    snap.estate(&id)
        .map(|e| Json(Estate::clone(e)))
        .ok_or(ApiError::NotFound)
}

/// Adds an estate (office staff and administrators).
#[utoipa::path(post, path = "/api/v1/estates", tag = "sites", request_body = EstateInput, security(("bearer" = [])),
    responses((status = 201, body = Estate),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the name is taken", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create_estate(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<EstateInput>,
) -> Result<(StatusCode, Json<Estate>), ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let valid = validate_estate(&body, &state.catalog).map_err(|e| invalid(&state, e))?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    let id = store::insert_estate(&mut tx, Some(&actor.id), &valid)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let snap = snapshot(&state).await?;
    let e = snap.estate(&id).ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(Estate::clone(e))))
}

/// Changes an estate: a JSON merge patch with the `version` read.
#[utoipa::path(patch, path = "/api/v1/estates/{id}", tag = "sites", params(("id" = String, Path)), request_body = EstateInput, security(("bearer" = [])),
    responses((status = 200, body = Estate),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update_estate(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<Json<Estate>, ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let snap = snapshot(&state).await?;
    let current = snap.estate(&id).ok_or(ApiError::NotFound)?;
    let (input, version) = crate::api::merge_patch(
        &EstateInput::from(current.as_ref()),
        patch,
        &[
            "id",
            "created_at",
            "updated_at",
            "municipality_name",
            "sites",
        ],
    )?;
    let valid = validate_estate(&input, &state.catalog).map_err(|e| invalid(&state, e))?;
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::update_estate(&mut tx, Some(&actor.id), &id, version, &valid)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let snap = snapshot(&state).await?;
    snap.estate(&id)
        .map(|e| Json(Estate::clone(e)))
        .ok_or(ApiError::NotFound)
}

/// Deletes an estate that holds no site (office staff and administrators).
#[utoipa::path(delete, path = "/api/v1/estates/{id}", tag = "sites", params(("id" = String, Path), DeleteQuery), security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or sites still in it", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn remove_estate(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    if !policy::can_edit(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state
        .db
        .writer()
        .begin()
        .await
        .map_err(anyhow::Error::from)?;
    store::delete_estate(&mut tx, Some(&actor.id), &id, q.version)
        .await
        .map_err(write_error)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}
