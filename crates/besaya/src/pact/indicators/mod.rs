//! Indicators fed by the platform's data, the semester report and the public
//! progress page's API.
//!
//! - `value` — each [`Indicator`]'s value from a day, and the records behind it
//!   (the contract the commitments' tree uses);
//! - `/pact/indicators` (seats): every indicator, what it counts in plain
//!   words, its value all time and this semester, and the commitments linked
//!   to it with their progress;
//! - `/pact/indicators/{code}?from=YYYY-MM-DD` (seats): the value and the
//!   records behind it — references, titles and code names, never a need's
//!   owner or a project's investor; links to the need and the project for the
//!   office only;
//! - API `GET /api/v1/pact/indicators`, `GET /api/v1/pact/indicators/{code}`,
//!   and (registered here, built in `pact::report` and `pact::progress`)
//!   `GET /api/v1/pact/report`, `GET /api/v1/pact/progress`.
//!
//! Who: the workspace (`Seat::in_workspace`); a signed-in user without a seat
//! gets 404, an anonymous visitor the login page (401 on the API).

pub mod pages;
pub mod value;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use besaya_domain::alliance::{Indicator, Semester, indicator_progress};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::{ApiUser, User};
use crate::db::Db;
use crate::office::work::madrid;
use crate::pact::alliance::{self, Seat};
use value::Record;

#[derive(OpenApi)]
#[openapi(
    paths(
        api_list,
        api_detail,
        crate::pact::report::api_report,
        crate::pact::progress::api_progress
    ),
    components(schemas(
        IndicatorSummary,
        LinkedCommitment,
        IndicatorDetail,
        Record,
        crate::pact::report::Report,
        crate::pact::report::ReportCounts,
        crate::pact::report::ReportLine,
        crate::pact::report::ReportGroup,
        crate::pact::report::ReportMeeting,
        crate::pact::report::ReportIndicator,
        crate::pact::progress::PublicProgress,
        crate::pact::progress::PublicLine
    ))
)]
pub struct Api;

/// Pages.
pub fn router() -> Router<AppState> {
    pages::router()
}

/// Routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/pact/indicators", get(api_list))
        .route("/pact/indicators/{code}", get(api_detail))
        .route("/pact/report", get(crate::pact::report::api_report))
        .route("/pact/progress", get(crate::pact::progress::api_progress))
}

/// OpenAPI part.
pub fn openapi() -> utoipa::openapi::OpenApi {
    Api::openapi()
}

/// The seat of an API caller in the workspace; 404 without one.
pub(crate) async fn api_seat(db: &Db, user: &User, today: Date) -> Result<Seat, ApiError> {
    let seat = alliance::seat(db, Some(user), today)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if seat.in_workspace() {
        Ok(seat)
    } else {
        Err(ApiError::NotFound)
    }
}

/// An indicator with its value.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactIndicatorSummary)]
pub struct IndicatorSummary {
    /// `needs_within_target`, `needs_within_target_share`, `needs_agreed`,
    /// `local_awarded`, `projects_operating`.
    pub code: String,
    /// `count`, `cents` (euro cents) or `percent` (whole percentage).
    pub unit: String,
    /// The value over all the records.
    pub value_all_time: i64,
    /// The semester of `today`, `2026-S2`.
    pub semester: String,
    /// The value counted from the first day of that semester.
    pub value_semester: i64,
    /// The commitments whose progress comes from this indicator.
    pub commitments: Vec<LinkedCommitment>,
}

/// A commitment linked to an indicator.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactLinkedCommitment)]
pub struct LinkedCommitment {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// Counted from this day (`YYYY-MM-DD`); all time when absent.
    pub from: Option<String>,
    /// The indicator's value counted from `from`.
    pub value: i64,
    pub baseline: i64,
    pub target: i64,
    /// 0–100, from the baseline towards the target.
    pub progress: u8,
}

/// An indicator's value from a day and the records behind it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactIndicatorDetail)]
pub struct IndicatorDetail {
    pub code: String,
    pub unit: String,
    /// Counted from this day, `YYYY-MM-DD`; all time when absent.
    pub from: Option<String>,
    /// The day the clocks are read on (Madrid), `YYYY-MM-DD`.
    pub today: String,
    pub value: i64,
    /// The records behind the value (for `needs_within_target` as many as the
    /// value; for the share, every need whose clock has decided).
    pub records: Vec<Record>,
}

#[derive(sqlx::FromRow)]
struct LinkedRow {
    id: String,
    reference: String,
    title: String,
    indicator_from: Option<String>,
    indicator_baseline: i64,
    indicator_target: Option<i64>,
}

/// The commitments linked to `indicator`, with their value and progress.
pub async fn linked(
    db: &Db,
    indicator: Indicator,
    today: Date,
) -> anyhow::Result<Vec<LinkedCommitment>> {
    let rows: Vec<LinkedRow> = sqlx::query_as(
        "SELECT id, reference, title, indicator_from, \
         CAST(indicator_baseline AS BIGINT) AS indicator_baseline, \
         CAST(indicator_target AS BIGINT) AS indicator_target \
         FROM pact_commitments WHERE indicator = $1 ORDER BY reference",
    )
    .bind(indicator.as_str())
    .fetch_all(db.reader())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    // Commitments counted from the same day share one computation.
    let mut values: std::collections::HashMap<Option<Date>, i64> = Default::default();
    for r in rows {
        let from = r
            .indicator_from
            .as_deref()
            .and_then(besaya_domain::directory::parse_date);
        let v = match values.get(&from) {
            Some(v) => *v,
            None => {
                let v = value::value(db, indicator, from, today).await?;
                values.insert(from, v);
                v
            }
        };
        let target = r.indicator_target.unwrap_or(0);
        out.push(LinkedCommitment {
            id: r.id,
            reference: r.reference,
            title: r.title,
            from: r.indicator_from,
            value: v,
            baseline: r.indicator_baseline,
            target,
            progress: indicator_progress(v, r.indicator_baseline, target),
        });
    }
    Ok(out)
}

/// Every indicator with its values and linked commitments, on `today`.
pub async fn summaries(db: &Db, today: Date) -> anyhow::Result<Vec<IndicatorSummary>> {
    let semester = Semester::containing(today);
    let mut out = Vec::new();
    for i in Indicator::ALL {
        out.push(IndicatorSummary {
            code: i.as_str().to_owned(),
            unit: i.unit().as_str().to_owned(),
            value_all_time: value::value(db, i, None, today).await?,
            semester: semester.to_string(),
            value_semester: value::value(db, i, Some(semester.first_day()), today).await?,
            commitments: linked(db, i, today).await?,
        });
    }
    Ok(out)
}

/// The value and records of `indicator` from `from`. Links to needs and
/// projects are the caller's (office only).
pub async fn detail(
    db: &Db,
    indicator: Indicator,
    from: Option<Date>,
    today: Date,
) -> anyhow::Result<IndicatorDetail> {
    Ok(IndicatorDetail {
        code: indicator.as_str().to_owned(),
        unit: indicator.unit().as_str().to_owned(),
        from: from.map(besaya_domain::directory::format_date),
        today: besaya_domain::directory::format_date(today),
        value: value::value(db, indicator, from, today).await?,
        records: value::records(db, indicator, from, today).await?,
    })
}

/// `from` of the query: empty is all time; anything else must be a date.
pub(crate) fn parse_from(raw: Option<&str>) -> Result<Option<Date>, crate::pact::Invalid> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => besaya_domain::directory::parse_date(s)
            .map(Some)
            .ok_or_else(|| {
                crate::pact::Invalid::with("from", "invalid_date", crate::web::invalid::shown(s))
            }),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FromQuery {
    /// Count from this day, `YYYY-MM-DD` (all time when absent).
    pub from: Option<String>,
}

/// The indicators computed by the platform: values all time and this
/// semester, and the commitments linked to each (the pact's workspace).
#[utoipa::path(get, path = "/api/v1/pact/indicators", tag = "pact", security(("bearer" = [])),
    responses((status = 200, body = [IndicatorSummary]),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<IndicatorSummary>>, ApiError> {
    let today = madrid::today();
    api_seat(&state.db, &user, today).await?;
    Ok(Json(summaries(&state.db, today).await?))
}

/// An indicator's value from a day and the records behind it (references,
/// titles, code names; never owners or investors).
#[utoipa::path(get, path = "/api/v1/pact/indicators/{code}", tag = "pact", security(("bearer" = [])),
    params(("code" = String, Path, description = "The indicator's code"), FromQuery),
    responses((status = 200, body = IndicatorDetail),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_detail(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
    Query(q): Query<FromQuery>,
) -> Result<Json<IndicatorDetail>, ApiError> {
    let today = madrid::today();
    api_seat(&state.db, &user, today).await?;
    let indicator = Indicator::parse(&code).ok_or(ApiError::NotFound)?;
    let from = parse_from(q.from.as_deref()).map_err(|e| crate::pact::invalid(&state, &[e]))?;
    Ok(Json(detail(&state.db, indicator, from, today).await?))
}
