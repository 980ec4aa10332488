//! The public progress page of the pact (`/pact/progress`, no login, in both
//! languages) and its API (`GET /api/v1/pact/progress`, registered with the
//! indicators' API): the public commitments tree with its numbers, titles,
//! owner organisations, status shown, progress and due dates, an indicator's
//! value against its target, the counts by status and the date of the data.
//!
//! Nothing confidential: the private commitments and everything under them
//! are left out (`tree(…, public_only)`), and so are the descriptions (written
//! for the members), meetings, agreements, records behind the indicators,
//! representatives and e-mail addresses.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use besaya_domain::alliance::{Indicator, StatusCounts};
use besaya_domain::directory::format_date;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiError;
use crate::db::{self, Db};
use crate::office::work::madrid;
use crate::pact::alliance;
use crate::pact::commitments::model::tree;
use crate::pact::indicators::pages::{amount_text, progress_text, shown_label, unit_of};
use crate::pact::pages::date_text;
use crate::pact::report::{ReportCounts, summary_text};
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/pact/progress", get(page))
}

/// The pact's public progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactPublicProgress)]
pub struct PublicProgress {
    /// The day the statuses and values are read on (Madrid), `YYYY-MM-DD`.
    pub today: String,
    pub generated_at: String,
    /// Counts of the public commitments by status shown.
    pub counts: ReportCounts,
    /// The public tree in display order.
    pub commitments: Vec<PublicLine>,
}

/// A public commitment.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactPublicLine)]
pub struct PublicLine {
    /// `1.2.3`.
    pub number: String,
    pub depth: usize,
    pub reference: String,
    pub title: String,
    /// The owner organisation's name.
    pub owner_name: Option<String>,
    /// Status shown: `planned`, `in_progress`, `delayed`, `finished`, `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: u8,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// The indicator's code, when its progress comes from one.
    pub indicator: Option<String>,
    /// `count`, `cents`, `percent`.
    pub unit: Option<String>,
    pub indicator_value: Option<i64>,
    pub indicator_target: Option<i64>,
}

/// The public progress on `today`.
pub async fn compute(db: &Db, today: Date, now: OffsetDateTime) -> anyhow::Result<PublicProgress> {
    let lines = tree(db, today, true).await?;
    let counts = StatusCounts::of(lines.iter().map(|l| l.shown));
    Ok(PublicProgress {
        today: format_date(today),
        generated_at: db::timestamp(now),
        counts: counts.into(),
        commitments: lines
            .into_iter()
            .map(|l| {
                let c = l.commitment;
                let indicator = c.indicator.filter(|i| Indicator::parse(i).is_some());
                PublicLine {
                    number: l.number,
                    depth: l.depth,
                    reference: c.reference,
                    title: c.title,
                    owner_name: c.owner_name,
                    status: l.shown.as_str().to_owned(),
                    progress: l.progress,
                    due_on: c.due_on,
                    unit: indicator.as_deref().map(|i| unit_of(i).as_str().to_owned()),
                    indicator_value: indicator.as_ref().and(l.indicator_value),
                    indicator_target: indicator.as_ref().and(c.indicator_target),
                    indicator,
                }
            })
            .collect(),
    })
}

/// The pact's public progress: the public commitments tree and its status.
/// No authentication.
#[utoipa::path(get, path = "/api/v1/pact/progress", tag = "pact",
    responses((status = 200, body = PublicProgress)))]
pub async fn api_progress(State(state): State<AppState>) -> Result<Json<PublicProgress>, ApiError> {
    let p = compute(&state.db, madrid::today(), OffsetDateTime::now_utc()).await?;
    Ok(Json(p))
}

struct LineView {
    number: String,
    depth: usize,
    title: String,
    owner: String,
    status: String,
    status_class: String,
    progress: u8,
    progress_text: String,
    due: String,
    indicator: Option<String>,
}

#[derive(Template)]
#[template(path = "pact/indicators/progress.html")]
struct ProgressPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    today: String,
    summary: String,
    lines: Vec<LineView>,
}

async fn page(State(state): State<AppState>, ctx: PageCtx) -> Response {
    let today = madrid::today();
    let in_workspace = match alliance::seat(&state.db, ctx.user.as_ref(), today).await {
        Ok(s) => s.in_workspace(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let p = match compute(&state.db, today, OffsetDateTime::now_utc()).await {
        Ok(p) => p,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let lines = p
        .commitments
        .iter()
        .map(|l| LineView {
            number: l.number.clone(),
            depth: l.depth.min(6),
            title: l.title.clone(),
            owner: l.owner_name.clone().unwrap_or_default(),
            status: shown_label(tr, &l.status),
            status_class: format!("status-{}", l.status),
            progress: l.progress,
            progress_text: progress_text(lang, l.progress),
            due: date_text(lang, l.due_on.as_deref()),
            indicator: match (&l.indicator, l.indicator_value, l.indicator_target) {
                (Some(code), Some(v), Some(t)) => {
                    let unit = unit_of(code);
                    Some(tr.tn(
                        "pact-prog-indicator",
                        &[
                            ("name", tr.t(&format!("pact-ind-{code}-name")).into()),
                            ("value", amount_text(lang, unit, v).into()),
                            ("target", amount_text(lang, unit, t).into()),
                        ],
                    ))
                }
                _ => None,
            },
        })
        .collect();
    let page = ProgressPage {
        in_workspace,
        nav: "progress",
        today: tr.t1("pact-prog-as-of", "date", date_text(lang, Some(&p.today))),
        summary: summary_text(tr, &p.counts),
        lines,
        ctx,
    };
    render(&page)
}
