//! The procedures' dashboard (`/office/procedures/dashboard`, and the same figures
//! at `GET /api/v1/procedures/dashboard`), for the office only (anybody else: 404):
//!
//! - per administration: procedures not filed yet, in progress (filed, running,
//!   paused), resolved, overdue now; the **median time to decision** and the share
//!   of procedures **resolved within the legal term**;
//! - the procedures by status;
//! - the overdue procedures, most overdue first (the first [`OVERDUE_SHOWN`]; the
//!   total is given), each named by its project's code name — the investor's name
//!   only for those who may see it (`office::policy`).
//!
//! How the figures are computed (read-only aggregation over the columns the store
//! keeps current — `status`, `started_on`, `due_on`, `resolved_on` — and the
//! events, so 40,000 procedures cost three queries, not 40,000 replays):
//! - counts and overdue: one `GROUP BY` over the index on (administration,
//!   status, due date). *Overdue*: running with a due date before today (Madrid).
//! - time to decision, as [`Clock::days_to_decision`] counts it — calendar days
//!   from the complete file to the decision, the pauses for corrections left out —
//!   computed per resolved procedure in SQL and counted by administration and
//!   days (see [`decisions`]: a histogram of a few hundred rows), the medians in
//!   Rust from it.
//! - within term: among the resolved procedures with a due date (their clock
//!   started), those decided on or before it (`resolved_on <= due_on`, as
//!   `procedures::assess` says; a decision by silence comes after the due date,
//!   so it never counts as within term).
//! - days overdue: calendar days from the due date to today.
//!
//! The calendar entries of due dates for the private ICS feed are made here too
//! ([`feed_events`]): `office::work::calendar` adds them to each user's feed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use besaya_domain::office::median;
#[cfg(doc)]
use besaya_domain::procedures::Clock;
use besaya_domain::procedures::Status;
use serde::Serialize;
use sqlx::AnyPool;
use time::{Date, OffsetDateTime};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::{ApiUser, SignedIn, User};
use crate::db::{self, Backend, Db};
use crate::i18n::{Lang, Tr};
use crate::office::pages::local_date;
use crate::office::policy::{self, Case};
use crate::office::projects;
use crate::office::work::ics::{Event, When};
use crate::office::work::{madrid, store::day};
use crate::sites::pages::num;
use crate::web::PageError;
use crate::web::page::{PageCtx, render};

/// How many overdue procedures the dashboard lists (the total is given).
pub const OVERDUE_SHOWN: i64 = 100;

#[derive(OpenApi)]
#[openapi(
    paths(api_dashboard),
    components(schemas(
        ProcDashboard,
        Figures,
        AdministrationFigures,
        StatusCount,
        OverdueProcedure
    ))
)]
pub struct Api;

pub fn api_router() -> Router<AppState> {
    Router::new().route("/procedures/dashboard", get(api_dashboard))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/office/procedures/dashboard", get(page))
}

/// The figures of the procedures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcDashboard {
    pub generated_at: String,
    /// The day the figures are assessed on (Madrid), `YYYY-MM-DD`.
    pub today: String,
    /// All administrations together.
    pub total: Figures,
    /// One per administration with procedures, by name.
    pub administrations: Vec<AdministrationFigures>,
    /// Procedures in each status (every status listed, zeros included).
    pub statuses: Vec<StatusCount>,
    /// Overdue procedures, most overdue first: at most 100 (`total.overdue` says how many there are).
    pub overdue: Vec<OverdueProcedure>,
}

/// The figures of a set of procedures.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Figures {
    /// Not filed yet.
    pub pending: i64,
    /// Filed, running or paused for a correction.
    pub in_progress: i64,
    /// Granted, denied or resolved by silence.
    pub resolved: i64,
    /// Running past the legal due date, today.
    pub overdue: i64,
    /// Resolved procedures whose clock had started: those in the median.
    pub decisions: i64,
    /// Median calendar days from the complete file to the decision, pauses for corrections left out.
    pub median_days_to_decision: Option<f64>,
    /// Resolved procedures with a legal due date.
    pub resolved_with_term: i64,
    /// Of those, decided on or before the due date.
    pub resolved_within_term: i64,
    /// `resolved_within_term / resolved_with_term`, 0–1; `null` without any.
    pub within_term_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdministrationFigures {
    pub administration_org_id: String,
    pub name: String,
    pub dir3_code: Option<String>,
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    /// `pending`, `filed`, `running`, `paused`, `granted`, `denied`, `silence_positive`, `silence_negative`.
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueProcedure {
    pub procedure_id: String,
    pub project_id: String,
    pub project_code_name: String,
    /// The investor, only for those who may see it.
    pub investor_name: Option<String>,
    pub name_es: String,
    pub name_en: String,
    pub administration_org_id: String,
    pub administration_name: String,
    /// The legal due date, `YYYY-MM-DD`.
    pub due_on: String,
    /// Calendar days since the due date.
    pub days_overdue: i64,
    /// What the silence means: `positive` (granted) or `negative` (refused).
    pub silence: String,
    /// The procedure's page in the office (a path).
    pub url: String,
}

impl OverdueProcedure {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
        }
    }
}

const RESOLVED: &str = "('granted', 'denied', 'silence_positive', 'silence_negative')";

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn share(within: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| within as f64 / of as f64)
}

/// One group of the counts: administration × status.
#[derive(sqlx::FromRow)]
struct GroupRow {
    administration_org_id: String,
    status: String,
    n: i64,
    overdue: i64,
}

/// How many resolved procedures of an administration took `days` to decision
/// (with `within`: 1 decided on or before the due date, 0 after it, -1 no due date).
#[derive(sqlx::FromRow)]
struct DecisionRow {
    administration_org_id: String,
    days: i64,
    within: i64,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct OverdueRow {
    id: String,
    project_id: String,
    name_es: String,
    name_en: String,
    administration_org_id: String,
    administration_name: String,
    due_on: String,
    silence: String,
    code_name: String,
    owner_id: String,
    confidential: i64,
    investor_org_id: Option<String>,
    investor_name: Option<String>,
}

/// A stored `YYYY-MM-DD` column as a day number, in the backend's SQL.
fn day_number(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("julianday({column})"),
        Backend::Postgres => format!("(CAST({column} AS DATE) - DATE '2000-01-01')"),
    }
}

/// The figures as `user` (office staff or an administrator) may see them, on `today`.
pub async fn compute(
    db: &Db,
    user: &User,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<ProcDashboard> {
    let pool = db.reader();
    let today_s = iso(today);

    // Counts and overdue: the index on (administration, status, due_on) covers them.
    let groups: Vec<GroupRow> = sqlx::query_as(
        "SELECT administration_org_id, status, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN status = 'running' AND due_on < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM procedures GROUP BY administration_org_id, status",
    )
    .bind(&today_s)
    .fetch_all(pool)
    .await?;
    let decisions = decisions(db).await?;

    let mut total = Figures::default();
    let mut by_status: HashMap<String, i64> = HashMap::new();
    let mut figures: HashMap<String, Figures> = HashMap::new();
    for g in &groups {
        *by_status.entry(g.status.clone()).or_default() += g.n;
        let a = figures.entry(g.administration_org_id.clone()).or_default();
        for f in [a, &mut total] {
            match Status::parse(&g.status) {
                Some(Status::Pending) => f.pending += g.n,
                Some(s) if s.is_resolved() => f.resolved += g.n,
                Some(_) => f.in_progress += g.n,
                None => {}
            }
            f.overdue += g.overdue;
        }
    }
    let mut days: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut all_days = Vec::with_capacity(decisions.len());
    for d in &decisions {
        let a = figures.entry(d.administration_org_id.clone()).or_default();
        for f in [a, &mut total] {
            if d.within >= 0 {
                f.resolved_with_term += d.n;
                f.resolved_within_term += d.within * d.n;
            }
        }
        // As `Clock::days_to_decision`: never below zero.
        let x = d.days.max(0) as f64;
        let n = usize::try_from(d.n).unwrap_or(0);
        days.entry(&d.administration_org_id)
            .or_default()
            .extend(std::iter::repeat_n(x, n));
        all_days.extend(std::iter::repeat_n(x, n));
    }
    finish(&mut total, &all_days);

    // The administrations' names, by name.
    let ids: Vec<String> = figures.keys().cloned().collect();
    let mut names: HashMap<String, (String, Option<String>)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = db::Sql::new("SELECT id, name, dir3_code FROM organizations WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(id.clone());
        }
        sql.push(")");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as_with(&text, args).fetch_all(pool).await?;
        names.extend(rows.into_iter().map(|(id, n, d)| (id, (n, d))));
    }
    let mut admins: Vec<AdministrationFigures> = figures
        .into_iter()
        .map(|(id, mut f)| {
            finish(
                &mut f,
                days.get(id.as_str()).map(Vec::as_slice).unwrap_or_default(),
            );
            let (name, dir3_code) = names.remove(&id).unwrap_or_else(|| (id.clone(), None));
            AdministrationFigures {
                administration_org_id: id,
                name,
                dir3_code,
                figures: f,
            }
        })
        .collect();
    admins.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.administration_org_id.cmp(&b.administration_org_id))
    });
    let statuses = Status::ALL
        .into_iter()
        .map(|s| StatusCount {
            status: s.as_str().to_owned(),
            count: by_status.get(s.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let overdue = overdue_list(pool, user, today).await?;
    Ok(ProcDashboard {
        generated_at: db::timestamp(now),
        today: today_s,
        total,
        administrations: admins,
        statuses,
        overdue,
    })
}

fn finish(f: &mut Figures, days: &[f64]) {
    f.decisions = days.len() as i64;
    f.median_days_to_decision = median(days);
    f.within_term_share = share(f.resolved_within_term, f.resolved_with_term);
}

/// The resolved procedures whose clock had started, counted by administration,
/// days to decision and within term — a histogram: a few hundred rows for 40,000
/// procedures, from which the medians are exact. The days are those of
/// [`Clock::days_to_decision`]: calendar days from the complete file to the
/// decision less the days paused. A resolved procedure's pauses are all closed and
/// lie between the two, so the paused days are the sum, over the corrections
/// requested and handed in *after* the file was complete (in the order recorded:
/// `at`, then `id`), of the handing in's date less the request's (a correction
/// asked before the file was complete paused no clock).
async fn decisions(db: &Db) -> Result<Vec<DecisionRow>, sqlx::Error> {
    let b = db.backend();
    let (resolved, started, on) = (
        day_number(b, "p.resolved_on"),
        day_number(b, "p.started_on"),
        day_number(b, "e.on_date"),
    );
    sqlx::query_as(&format!(
        "SELECT administration_org_id, days, within, COUNT(*) AS n FROM ( \
           SELECT p.administration_org_id, \
             CAST(ROUND({resolved} - {started} - COALESCE(x.paused, 0)) AS BIGINT) AS days, \
             CASE WHEN p.due_on IS NULL THEN -1 WHEN p.resolved_on <= p.due_on THEN 1 ELSE 0 END AS within \
           FROM procedures p LEFT JOIN ( \
             SELECT e.procedure_id, SUM(CASE WHEN e.kind = 'corrected' THEN {on} ELSE -{on} END) AS paused \
             FROM procedure_events e \
             JOIN procedure_events c ON c.procedure_id = e.procedure_id AND c.kind = 'complete' \
             WHERE e.kind IN ('correction_requested', 'corrected') AND (e.at, e.id) > (c.at, c.id) \
             GROUP BY e.procedure_id) x ON x.procedure_id = p.id \
           WHERE p.status IN {RESOLVED} AND p.started_on IS NOT NULL AND p.resolved_on IS NOT NULL \
         ) d GROUP BY administration_org_id, days, within"
    ))
    .fetch_all(db.reader())
    .await
}

/// The overdue procedures, most overdue first, named as `user` may see their projects.
async fn overdue_list(
    pool: &AnyPool,
    user: &User,
    today: Date,
) -> Result<Vec<OverdueProcedure>, sqlx::Error> {
    let rows: Vec<OverdueRow> = sqlx::query_as(
        "SELECT p.id, p.project_id, p.name_es, p.name_en, p.administration_org_id, \
         o.name AS administration_name, p.due_on, p.silence, pr.code_name, pr.owner_id, pr.confidential, \
         pr.investor_org_id, io.name AS investor_name \
         FROM procedures p JOIN projects pr ON pr.id = p.project_id \
         JOIN organizations o ON o.id = p.administration_org_id \
         LEFT JOIN organizations io ON io.id = pr.investor_org_id \
         WHERE p.status = 'running' AND p.due_on < $1 ORDER BY p.due_on, p.id LIMIT $2",
    )
    .bind(iso(today))
    .bind(OVERDUE_SHOWN)
    .fetch_all(pool)
    .await?;
    let teams = projects::teams_of(pool, rows.iter().map(|r| r.project_id.as_str())).await?;
    let empty = Vec::new();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let team = teams.get(&r.project_id).unwrap_or(&empty);
            let access = policy::access(
                user,
                &Case {
                    owner_id: &r.owner_id,
                    team,
                    confidential: r.confidential != 0,
                    investor_org_id: r.investor_org_id.as_deref(),
                },
            )?;
            let days_overdue = day(&r.due_on).map_or(0, |d| (today - d).whole_days());
            Some(OverdueProcedure {
                url: format!("/office/projects/{}/procedures/{}", r.project_id, r.id),
                procedure_id: r.id,
                project_id: r.project_id,
                project_code_name: r.code_name,
                investor_name: r.investor_name.filter(|_| access.see_investor),
                name_es: r.name_es,
                name_en: r.name_en,
                administration_org_id: r.administration_org_id,
                administration_name: r.administration_name,
                due_on: r.due_on,
                days_overdue,
                silence: r.silence,
            })
        })
        .collect())
}

/// The figures of the procedures (office staff and administrators; anybody else: 404).
#[utoipa::path(get, path = "/api/v1/procedures/dashboard", tag = "office", security(("bearer" = [])),
    responses((status = 200, body = ProcDashboard),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<ProcDashboard>, ApiError> {
    if !policy::is_office(&user) {
        return Err(ApiError::NotFound);
    }
    let d = compute(&state.db, &user, madrid::today(), OffsetDateTime::now_utc()).await?;
    Ok(Json(d))
}

// ---- The page ----

/// One administration's row, ready to show.
struct AdminRow {
    name: String,
    dir3_code: Option<String>,
    pending: String,
    in_progress: String,
    resolved: String,
    overdue_text: String,
    median: String,
    within: String,
    /// The within-term share as a bar, 0–100.
    width: f64,
}

struct StatusRow {
    label: String,
    count: String,
}

struct OverdueLine {
    url: String,
    name: String,
    project: String,
    investor: Option<String>,
    administration: String,
    due: String,
    days: String,
    silence: String,
}

#[derive(Template)]
#[template(path = "office/procedures/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    today: String,
    in_progress: String,
    resolved: String,
    overdue: i64,
    overdue_text: String,
    median: String,
    within: String,
    admins: Vec<AdminRow>,
    statuses: Vec<StatusRow>,
    overdue_rows: Vec<OverdueLine>,
    /// "The first 100 of 250", when there are more overdue than listed.
    overdue_more: Option<String>,
}

fn pct(lang: Lang, share: Option<f64>) -> String {
    share.map_or_else(
        || "—".to_owned(),
        |r| format!("{} %", num(lang, r * 100.0, 1)),
    )
}

fn median_text(tr: &Tr, lang: Lang, f: &Figures) -> String {
    match f.median_days_to_decision {
        Some(m) => tr.tn(
            "proc-dash-median-value",
            &[
                ("days", num(lang, m, 1).into()),
                ("decisions", f.decisions.into()),
            ],
        ),
        None => "—".to_owned(),
    }
}

fn within_text(tr: &Tr, lang: Lang, f: &Figures) -> String {
    match f.within_term_share {
        Some(s) => tr.tn(
            "proc-dash-within-value",
            &[
                ("share", pct(lang, Some(s)).into()),
                ("within", f.resolved_within_term.into()),
                ("resolved", f.resolved_with_term.into()),
            ],
        ),
        None => "—".to_owned(),
    }
}

async fn page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::is_office(&user) {
        return PageError::page(ctx, StatusCode::NOT_FOUND);
    }
    let today = madrid::today();
    let d = match compute(&state.db, &user, today, OffsetDateTime::now_utc()).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let n = |x: i64| num(lang, x as f64, 0);
    let admins = d
        .administrations
        .iter()
        .map(|a| AdminRow {
            name: a.name.clone(),
            dir3_code: a.dir3_code.clone(),
            pending: n(a.figures.pending),
            in_progress: n(a.figures.in_progress),
            resolved: n(a.figures.resolved),
            overdue_text: n(a.figures.overdue),
            median: median_text(tr, lang, &a.figures),
            within: within_text(tr, lang, &a.figures),
            width: a.figures.within_term_share.unwrap_or(0.0) * 100.0,
        })
        .collect();
    let statuses = d
        .statuses
        .iter()
        .map(|s| StatusRow {
            label: tr.t(&format!("proc-status-{}", s.status)).to_owned(),
            count: n(s.count),
        })
        .collect();
    let overdue_rows = d
        .overdue
        .iter()
        .map(|o| OverdueLine {
            url: o.url.clone(),
            name: o.name(lang).to_owned(),
            project: o.project_code_name.clone(),
            investor: o.investor_name.clone(),
            administration: o.administration_name.clone(),
            due: local_date(lang, &o.due_on),
            days: tr.t1("proc-dash-days-overdue-value", "days", o.days_overdue),
            silence: tr.t(&format!("proc-dash-silence-{}", o.silence)).to_owned(),
        })
        .collect();
    let page = DashboardPage {
        today: local_date(lang, &d.today),
        in_progress: n(d.total.in_progress),
        resolved: n(d.total.resolved),
        overdue: d.total.overdue,
        overdue_text: n(d.total.overdue),
        median: median_text(tr, lang, &d.total),
        within: within_text(tr, lang, &d.total),
        admins,
        statuses,
        overdue_more: (d.total.overdue > d.overdue.len() as i64).then(|| {
            tr.tn(
                "proc-dash-overdue-more",
                &[
                    ("shown", (d.overdue.len() as i64).into()),
                    ("total", d.total.overdue.into()),
                ],
            )
        }),
        overdue_rows,
        ctx,
    };
    render(&page)
}

// ---- Calendar entries ----

#[derive(sqlx::FromRow)]
struct DueRow {
    id: String,
    project_id: String,
    name_es: String,
    name_en: String,
    due_on: String,
    silence: String,
    file_reference: Option<String>,
    version: i64,
    updated_at: String,
    code_name: String,
    administration_name: String,
}

/// The legal due dates of the running procedures in `user`'s calendar feed, due on
/// `since` or later, as all-day events: for an administrator, every procedure's;
/// for office staff and investors, those of `project_ids` (the projects whose
/// meetings go to the feed: the ones they own or are on the team of, or their
/// own); for a pact member, those assigned to its administrations. Named by the
/// project's code name, never the investor's.
pub async fn feed_events(
    pool: &AnyPool,
    user: &User,
    project_ids: &[String],
    tr: &Tr,
    base: &str,
    host: &str,
    since: Date,
) -> Result<Vec<Event>, sqlx::Error> {
    const SELECT: &str = "SELECT p.id, p.project_id, p.name_es, p.name_en, p.due_on, p.silence, p.file_reference, \
         p.version, p.updated_at, pr.code_name, o.name AS administration_name \
         FROM procedures p JOIN projects pr ON pr.id = p.project_id \
         JOIN organizations o ON o.id = p.administration_org_id \
         WHERE p.status = 'running' AND p.due_on IS NOT NULL AND p.due_on >= ";
    let since = iso(since);
    let query = |column: &str, ids: &[String]| {
        let mut sql = db::Sql::new(SELECT);
        sql.bind(since.clone());
        if !column.is_empty() {
            sql.push(&format!(" AND {column} IN ("));
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(id.clone());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY p.due_on, p.id");
        sql
    };
    let (column, ids): (&str, &[String]) = if user.is_admin() {
        ("", &[])
    } else if policy::is_office(user) || policy::is_investor(user) {
        ("p.project_id", project_ids)
    } else if user.role == besaya_domain::Role::PactMember {
        ("p.administration_org_id", &user.organization_ids)
    } else {
        return Ok(Vec::new());
    };
    let mut rows: Vec<DueRow> = Vec::new();
    if column.is_empty() {
        let (text, args) = query("", &[]).build()?;
        rows = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    } else {
        for chunk in ids.chunks(500) {
            let (text, args) = query(column, chunk).build()?;
            let part: Vec<DueRow> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
            rows.extend(part);
        }
    }
    let link = |r: &DueRow| {
        if policy::is_office(user) {
            format!(
                "{base}/office/projects/{}/procedures/{}",
                r.project_id, r.id
            )
        } else if policy::is_investor(user) {
            format!(
                "{base}/portal/projects/{}/procedures/{}",
                r.project_id, r.id
            )
        } else {
            format!("{base}/procedures/{}", r.id)
        }
    };
    Ok(rows
        .iter()
        .filter_map(|r| {
            let due = day(&r.due_on)?;
            let name = match tr.lang {
                Lang::Es => &r.name_es,
                Lang::En => &r.name_en,
            };
            let mut description = vec![
                tr.t1(
                    "proc-dash-ics-administration",
                    "administration",
                    r.administration_name.clone(),
                ),
                tr.t(&format!("proc-dash-ics-silence-{}", r.silence))
                    .to_owned(),
            ];
            if let Some(f) = r.file_reference.as_deref().filter(|f| !f.trim().is_empty()) {
                description.push(tr.t1("proc-dash-ics-file", "file", f.to_owned()));
            }
            description.push(link(r));
            Some(Event {
                uid: format!("procedure-{}@{host}", r.id),
                when: When::Day(due),
                summary: tr.tn(
                    "proc-dash-ics-due",
                    &[
                        ("procedure", name.clone().into()),
                        ("project", r.code_name.clone().into()),
                    ],
                ),
                description: description.join("\n"),
                location: None,
                url: Some(link(r)),
                last_modified: madrid::parse_stored(&r.updated_at),
                sequence: r.version - 1,
                busy: false,
            })
        })
        .collect())
}
