//! The Office's dashboard: inquiries waiting and their ages, projects by stage,
//! conversion between stages, median days per stage, committed against verified
//! jobs and investment. Every chart has its numbers as a table. The same figures
//! at `GET /api/v1/office/dashboard`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use besaya_domain::office::{self, Stage};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{OpenApi, ToSchema};

use super::policy;
use crate::AppState;
use crate::api::ApiError;
use crate::auth::{ApiUser, SignedIn};
use crate::db::{self, Db};
use crate::i18n::Lang;
use crate::sites::pages::num;
use crate::web::PageError;
use crate::web::page::{PageCtx, render};

#[derive(OpenApi)]
#[openapi(paths(api_dashboard), components(schemas(Dashboard)))]
pub struct Api;

pub fn router() -> Router<AppState> {
    Router::new().route("/office/dashboard", get(page))
}

pub fn api_router() -> Router<AppState> {
    Router::new().route("/office/dashboard", get(api_dashboard))
}

/// The figures of the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    pub generated_at: String,
    pub inquiries: InquiryFigures,
    /// Projects in each stage now (every stage listed, zeros included).
    pub stages: Vec<StageCount>,
    /// Between consecutive active stages: how many projects reached the first and how many of those got to the next.
    pub conversions: Vec<ConversionFigure>,
    /// Median days of the finished stays in each active stage.
    pub median_days: Vec<StageDays>,
    /// Projects not lost: jobs and investment promised and verified with evidence.
    pub jobs: Pair,
    pub investment_eur: Pair,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InquiryFigures {
    /// Inquiries not yet answered, qualified or dismissed.
    pub waiting: i64,
    /// Waiting longer than the target.
    pub late: i64,
    pub target_hours: u32,
    /// Waiting inquiries by age.
    pub ages: Vec<AgeBucket>,
    /// Hours the oldest waiting inquiry has waited.
    pub oldest_hours: Option<f64>,
    /// Inquiries of the last 90 days that got their answer.
    pub answered_90d: i64,
    /// Median hours to the answer over those.
    pub median_response_hours_90d: Option<f64>,
    /// Share of those answered within the target, 0–1.
    pub answered_within_target_90d: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgeBucket {
    /// `under_24h`, `24_48h`, `2_7d`, `over_7d`.
    pub bucket: &'static str,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageCount {
    #[schema(value_type = String)]
    pub stage: Stage,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversionFigure {
    #[schema(value_type = String)]
    pub from: Stage,
    #[schema(value_type = String)]
    pub to: Stage,
    pub reached_from: usize,
    pub reached_to: usize,
    /// 0–1; `null` when no project reached `from`.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageDays {
    #[schema(value_type = String)]
    pub stage: Stage,
    pub median_days: Option<f64>,
    /// Finished stays counted.
    pub stays: usize,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Pair {
    pub committed: f64,
    pub verified: f64,
}

fn parse_ts(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn hours(d: time::Duration) -> f64 {
    d.as_seconds_f64() / 3600.0
}

/// The figures of the projects: they change only when a project does.
#[derive(Debug, Clone)]
struct ProjectFigures {
    stages: Vec<StageCount>,
    conversions: Vec<ConversionFigure>,
    median_days: Vec<StageDays>,
    jobs: Pair,
    investment_eur: Pair,
}

/// What identifies a state of the projects: their number and the sum of their
/// versions (every change of a project, its stage included, bumps its version;
/// a deletion changes the number).
type ProjectsKey = (i64, i64);

/// The project figures of the last state seen, per instance. Reading the key is
/// one aggregate over `projects`; the figures are recomputed only when it moved,
/// so what the dashboard shows is never stale, whichever instance changed it.
#[derive(Debug, Default)]
pub struct Cache(std::sync::Mutex<Option<(ProjectsKey, Arc<ProjectFigures>)>>);

/// Computes the figures from the database as of `now`.
pub async fn compute(db: &Db, target_hours: u32, now: OffsetDateTime) -> anyhow::Result<Dashboard> {
    compute_with(db, &Cache::default(), target_hours, now).await
}

/// The figures as of `now`, the projects' part from `cache` when they did not change.
pub async fn compute_with(
    db: &Db,
    cache: &Cache,
    target_hours: u32,
    now: OffsetDateTime,
) -> anyhow::Result<Dashboard> {
    let inquiries = inquiry_figures(db, target_hours, now).await?;
    let key: ProjectsKey =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM projects")
            .fetch_one(db.reader())
            .await?;
    let cached = cache.0.lock().ok().and_then(|c| {
        c.as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    });
    let p = match cached {
        Some(p) => p,
        None => {
            let p = Arc::new(project_figures(db).await?);
            if let Ok(mut c) = cache.0.lock() {
                *c = Some((key, p.clone()));
            }
            p
        }
    };
    Ok(Dashboard {
        generated_at: db::timestamp(now),
        inquiries,
        stages: p.stages.clone(),
        conversions: p.conversions.clone(),
        median_days: p.median_days.clone(),
        jobs: p.jobs,
        investment_eur: p.investment_eur,
    })
}

async fn inquiry_figures(
    db: &Db,
    target_hours: u32,
    now: OffsetDateTime,
) -> anyhow::Result<InquiryFigures> {
    let pool = db.reader();
    let target = Duration::from_secs(u64::from(target_hours) * 3600);

    // Inquiries waiting, by age.
    let waiting: Vec<String> = sqlx::query_scalar(
        "SELECT received_at FROM inquiries WHERE answered_at IS NULL AND status = 'new'",
    )
    .fetch_all(pool)
    .await?;
    let mut ages = [0i64; 4];
    let (mut late, mut oldest) = (0i64, None::<f64>);
    for r in waiting.iter().filter_map(|s| parse_ts(s)) {
        let clock = office::response_clock(r, None, now, target);
        let h = clock.elapsed.as_secs_f64() / 3600.0;
        late += i64::from(clock.late);
        oldest = Some(oldest.map_or(h, |o: f64| o.max(h)));
        let i = match h {
            h if h < 24.0 => 0,
            h if h < 48.0 => 1,
            h if h < 168.0 => 2,
            _ => 3,
        };
        ages[i] += 1;
    }
    let since = db::timestamp(now - time::Duration::days(90));
    let answered: Vec<(String, String)> = sqlx::query_as(
        "SELECT received_at, answered_at FROM inquiries WHERE answered_at IS NOT NULL AND received_at >= $1",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    let response_hours: Vec<f64> = answered
        .iter()
        .filter_map(|(r, a)| Some(hours(parse_ts(a)? - parse_ts(r)?)))
        .collect();
    let within = response_hours
        .iter()
        .filter(|h| **h <= f64::from(target_hours))
        .count();
    let inquiries = InquiryFigures {
        waiting: waiting.len() as i64,
        late,
        target_hours,
        ages: ["under_24h", "24_48h", "2_7d", "over_7d"]
            .into_iter()
            .zip(ages)
            .map(|(bucket, count)| AgeBucket { bucket, count })
            .collect(),
        oldest_hours: oldest,
        answered_90d: response_hours.len() as i64,
        median_response_hours_90d: office::median(&response_hours),
        answered_within_target_90d: (!response_hours.is_empty())
            .then(|| within as f64 / response_hours.len() as f64),
    };

    Ok(inquiries)
}

async fn project_figures(db: &Db) -> anyhow::Result<ProjectFigures> {
    let pool = db.reader();
    // Projects by stage.
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT stage, COUNT(*) FROM projects GROUP BY stage")
            .fetch_all(pool)
            .await?;
    let counts: HashMap<String, i64> = counts.into_iter().collect();
    let stages = Stage::ALL
        .into_iter()
        .map(|stage| StageCount {
            stage,
            count: counts.get(stage.as_str()).copied().unwrap_or(0),
        })
        .collect();

    // The stage history: the furthest active stage of each project, and the stays.
    let stays: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT project_id, stage, entered_at, left_at FROM project_stages")
            .fetch_all(pool)
            .await?;
    let mut furthest: HashMap<&str, Stage> = HashMap::new();
    let mut days: HashMap<Stage, Vec<f64>> = HashMap::new();
    for (project, stage, entered, left) in &stays {
        let Some(stage) = Stage::parse(stage) else {
            continue;
        };
        if stage.is_active() {
            let f = furthest.entry(project).or_insert(stage);
            if stage.rank() > f.rank() {
                *f = stage;
            }
            if let (Some(e), Some(l)) = (parse_ts(entered), left.as_deref().and_then(parse_ts)) {
                days.entry(stage).or_default().push(hours(l - e) / 24.0);
            }
        }
    }
    let furthest: Vec<Stage> = furthest.into_values().collect();
    let conversions = office::conversions(&furthest)
        .into_iter()
        .map(|c| ConversionFigure {
            from: c.from,
            to: c.to,
            reached_from: c.reached_from,
            reached_to: c.reached_to,
            rate: c.rate(),
        })
        .collect();
    let median_days = Stage::ACTIVE
        .into_iter()
        .map(|stage| {
            let v = days.get(&stage).map(Vec::as_slice).unwrap_or_default();
            StageDays {
                stage,
                median_days: office::median(v),
                stays: v.len(),
            }
        })
        .collect();

    // Jobs and investment, committed and verified, of the projects not lost.
    let (jc, jv, ic, iv): (i64, i64, f64, f64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(jobs_committed), 0) AS BIGINT), CAST(COALESCE(SUM(jobs_verified), 0) AS BIGINT), \
         CAST(COALESCE(SUM(investment_committed_eur), 0) AS DOUBLE PRECISION), \
         CAST(COALESCE(SUM(investment_verified_eur), 0) AS DOUBLE PRECISION) FROM projects WHERE stage <> 'lost'",
    )
    .fetch_one(pool)
    .await?;
    Ok(ProjectFigures {
        stages,
        conversions,
        median_days,
        jobs: Pair {
            committed: jc as f64,
            verified: jv as f64,
        },
        investment_eur: Pair {
            committed: ic,
            verified: iv,
        },
    })
}

/// The Office's figures (office staff and administrators).
#[utoipa::path(get, path = "/api/v1/office/dashboard", tag = "office", security(("bearer" = [])),
    responses((status = 200, body = Dashboard),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Dashboard>, ApiError> {
    if !policy::is_office(&user) {
        return Err(ApiError::Forbidden);
    }
    let d = compute_with(
        &state.db,
        &state.office_dashboard,
        state.config.inquiry_response_hours,
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok(Json(d))
}

// ---- The page ----

/// One bar of a chart with the numbers its table shows.
struct Bar {
    label: String,
    /// Width in percent of the chart's longest bar (0–100).
    width: f64,
    value: String,
    /// A second bar (verified against committed), if any.
    second: Option<(f64, String)>,
}

struct Chart {
    id: &'static str,
    title: String,
    /// Column headings of the table: label, value (and second value).
    headings: Vec<String>,
    bars: Vec<Bar>,
}

#[derive(Template)]
#[template(path = "office/dashboard/index.html")]
struct DashboardPage {
    ctx: PageCtx,
    d: Dashboard,
    charts: Vec<Chart>,
    oldest: String,
    median_response: String,
    within_target: String,
}

fn pct(lang: Lang, rate: Option<f64>) -> String {
    rate.map_or_else(
        || "—".to_owned(),
        |r| format!("{} %", num(lang, r * 100.0, 1)),
    )
}

fn scale(values: &[f64]) -> f64 {
    values
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
}

fn charts(ctx: &PageCtx, d: &Dashboard) -> Vec<Chart> {
    let tr = &ctx.tr;
    let lang = ctx.lang;
    let stage = |s: Stage| tr.t(&format!("office-stage-{}", s.as_str())).to_owned();
    let mut out = Vec::new();

    let max = scale(&d.stages.iter().map(|s| s.count as f64).collect::<Vec<_>>());
    out.push(Chart {
        id: "stages",
        title: tr.t("office-dash-stages").to_owned(),
        headings: vec![
            tr.t("office-dash-stage").to_owned(),
            tr.t("office-dash-projects").to_owned(),
        ],
        bars: d
            .stages
            .iter()
            .map(|s| Bar {
                label: stage(s.stage),
                width: s.count as f64 / max * 100.0,
                value: num(lang, s.count as f64, 0),
                second: None,
            })
            .collect(),
    });

    out.push(Chart {
        id: "conversion",
        title: tr.t("office-dash-conversion").to_owned(),
        headings: vec![
            tr.t("office-dash-step").to_owned(),
            tr.t("office-dash-rate").to_owned(),
        ],
        bars: d
            .conversions
            .iter()
            .map(|c| Bar {
                label: format!("{} → {}", stage(c.from), stage(c.to)),
                width: c.rate.unwrap_or(0.0) * 100.0,
                value: format!(
                    "{} ({} / {})",
                    pct(lang, c.rate),
                    num(lang, c.reached_to as f64, 0),
                    num(lang, c.reached_from as f64, 0)
                ),
                second: None,
            })
            .collect(),
    });

    let max = scale(
        &d.median_days
            .iter()
            .filter_map(|s| s.median_days)
            .collect::<Vec<_>>(),
    );
    out.push(Chart {
        id: "days",
        title: tr.t("office-dash-days").to_owned(),
        headings: vec![
            tr.t("office-dash-stage").to_owned(),
            tr.t("office-dash-median-days").to_owned(),
        ],
        bars: d
            .median_days
            .iter()
            .map(|s| Bar {
                label: stage(s.stage),
                width: s.median_days.unwrap_or(0.0) / max * 100.0,
                value: match s.median_days {
                    Some(m) => tr.tn(
                        "office-dash-days-value",
                        &[
                            ("days", num(lang, m, 1).into()),
                            ("stays", (s.stays as i64).into()),
                        ],
                    ),
                    None => "—".to_owned(),
                },
                second: None,
            })
            .collect(),
    });

    let figures = [
        (tr.t("office-dash-jobs").to_owned(), d.jobs, 0usize),
        (
            tr.t("office-dash-investment").to_owned(),
            d.investment_eur,
            0usize,
        ),
    ];
    for (i, (label, pair, decimals)) in figures.into_iter().enumerate() {
        let max = scale(&[pair.committed, pair.verified]);
        out.push(Chart {
            id: if i == 0 { "jobs" } else { "investment" },
            title: label.clone(),
            headings: vec![
                String::new(),
                tr.t("office-dash-committed").to_owned(),
                tr.t("office-dash-verified").to_owned(),
            ],
            bars: vec![Bar {
                label,
                width: pair.committed / max * 100.0,
                value: num(lang, pair.committed, decimals),
                second: Some((
                    pair.verified / max * 100.0,
                    num(lang, pair.verified, decimals),
                )),
            }],
        });
    }
    out
}

async fn page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::is_office(&user) {
        return PageError::page(ctx, StatusCode::NOT_FOUND);
    }
    let d = match compute_with(
        &state.db,
        &state.office_dashboard,
        state.config.inquiry_response_hours,
        OffsetDateTime::now_utc(),
    )
    .await
    {
        Ok(d) => d,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let hours_text = |h: Option<f64>| {
        h.map_or_else(
            || "—".to_owned(),
            |h| tr.t1("office-dash-hours-value", "hours", num(lang, h, 1)),
        )
    };
    let oldest = hours_text(d.inquiries.oldest_hours);
    let median_response = hours_text(d.inquiries.median_response_hours_90d);
    let within_target = pct(lang, d.inquiries.answered_within_target_90d);
    let charts = charts(&ctx, &d);
    render(&DashboardPage {
        ctx,
        d,
        charts,
        oldest,
        median_response,
        within_target,
    })
}
