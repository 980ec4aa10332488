//! The semester report of the pact (the workspace's seats):
//!
//! - `/pact/report?semester=2026-S2` — printable (the print sheet hides the
//!   header, the sections and the buttons; A4): the period; "X of N
//!   commitments finished, Y in progress, Z delayed, W not started, V
//!   cancelled"; the tree (number, title, owner, status shown, progress, due
//!   date); the meetings held in the semester per working group (date, title,
//!   attendees, organisations, agreements); the indicator-linked commitments
//!   against their targets;
//! - `/pact/report.xlsx?semester=…` — the same in three sheets (commitments,
//!   meetings, indicators) in the user's language;
//! - `GET /api/v1/pact/report?semester=…` (registered with the indicators' API).
//!
//! The status of the commitments and the indicators' values are those of
//! today (the platform keeps no history of them); the meetings are those held
//! between the first and the last day of the semester (Madrid).

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::alliance::{Indicator, Semester, Shown, StatusCounts, indicator_progress};
use besaya_domain::directory::format_date;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::{ApiUser, SignedIn};
use crate::db::{self, Db};
use crate::i18n::{Lang, Tr};
use crate::office::work::madrid;
use crate::pact::commitments::model::tree;
use crate::pact::indicators::api_seat;
use crate::pact::indicators::pages::{amount_text, page_seat, progress_text, shown_label, unit_of};
use crate::pact::pages::date_text;
use crate::tabular::{Cell, Sheet, write_xlsx_book};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/report", get(page))
        .route("/pact/report.xlsx", get(xlsx))
}

/// The semester report.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactReport)]
pub struct Report {
    /// `2026-S2`.
    pub semester: String,
    /// `YYYY-MM-DD`.
    pub first_day: String,
    pub last_day: String,
    pub previous: String,
    pub next: String,
    /// The day the statuses and values are read on (Madrid), `YYYY-MM-DD`.
    pub today: String,
    pub generated_at: String,
    pub counts: ReportCounts,
    /// The whole tree in display order.
    pub commitments: Vec<ReportLine>,
    /// The working groups with meetings held in the semester, by name.
    pub groups: Vec<ReportGroup>,
    /// The commitments linked to an indicator, in the tree's order.
    pub indicators: Vec<ReportIndicator>,
}

/// How many commitments show each status.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(as = PactReportCounts)]
pub struct ReportCounts {
    pub total: usize,
    pub finished: usize,
    pub in_progress: usize,
    pub delayed: usize,
    pub planned: usize,
    pub cancelled: usize,
}

impl From<StatusCounts> for ReportCounts {
    fn from(c: StatusCounts) -> Self {
        Self {
            total: c.total,
            finished: c.finished,
            in_progress: c.in_progress,
            delayed: c.delayed,
            planned: c.planned,
            cancelled: c.cancelled,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactReportLine)]
pub struct ReportLine {
    pub id: String,
    /// `1.2.3`.
    pub number: String,
    pub depth: usize,
    pub reference: String,
    pub title: String,
    pub owner_name: Option<String>,
    /// Status shown: `planned`, `in_progress`, `delayed`, `finished`, `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: u8,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactReportGroup)]
pub struct ReportGroup {
    pub group_id: String,
    pub name: String,
    pub meetings: Vec<ReportMeeting>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactReportMeeting)]
pub struct ReportMeeting {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// When it started (stored timestamp, UTC).
    pub starts_at: String,
    /// Its day in Madrid, `YYYY-MM-DD`.
    pub date: String,
    /// People recorded as present.
    pub attendees: i64,
    /// The organisations they came for, by name.
    pub organizations: Vec<String>,
    pub agreements: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactReportIndicator)]
pub struct ReportIndicator {
    pub commitment_id: String,
    pub number: String,
    pub reference: String,
    pub title: String,
    /// The indicator's code.
    pub indicator: String,
    /// `count`, `cents`, `percent`.
    pub unit: String,
    pub value: Option<i64>,
    pub baseline: i64,
    pub target: Option<i64>,
    /// 0–100.
    pub progress: u8,
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: String,
    reference: String,
    title: String,
    starts_at: String,
    group_id: String,
    group_name: String,
    attendees: i64,
    agreements: i64,
}

/// The meetings held in `semester` by group (groups by name, meetings by date).
async fn meetings(db: &Db, semester: Semester) -> anyhow::Result<Vec<ReportGroup>> {
    // A day either side in UTC, then the Madrid day decides.
    let lo = semester.first_day().previous_day().unwrap_or(Date::MIN);
    let hi = semester.last_day().next_day().unwrap_or(Date::MAX);
    let rows: Vec<MeetingRow> = sqlx::query_as(
        "SELECT m.id, m.reference, m.title, m.starts_at, g.id AS group_id, g.name AS group_name, \
         (SELECT COUNT(*) FROM pact_attendance a WHERE a.meeting_id = m.id) AS attendees, \
         (SELECT COUNT(*) FROM pact_agreements x WHERE x.meeting_id = m.id) AS agreements \
         FROM pact_meetings m JOIN pact_groups g ON g.id = m.group_id \
         WHERE m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2 \
         ORDER BY g.name, g.id, m.starts_at, m.id",
    )
    .bind(format_date(lo))
    .bind(format!("{}T99", format_date(hi)))
    .fetch_all(db.reader())
    .await?;
    let orgs: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT a.meeting_id, o.name FROM pact_attendance a \
         JOIN pact_meetings m ON m.id = a.meeting_id \
         JOIN organizations o ON o.id = a.organization_id \
         WHERE m.status = 'held' AND m.starts_at >= $1 AND m.starts_at < $2 \
         ORDER BY a.meeting_id, o.name",
    )
    .bind(format_date(lo))
    .bind(format!("{}T99", format_date(hi)))
    .fetch_all(db.reader())
    .await?;
    let first = semester.first_day();
    let last = semester.last_day();
    let mut groups: Vec<ReportGroup> = Vec::new();
    for r in rows {
        let Some(day) = madrid::parse_stored(&r.starts_at).map(|t| madrid::local(t).date()) else {
            continue;
        };
        if day < first || day > last {
            continue;
        }
        let meeting = ReportMeeting {
            organizations: orgs
                .iter()
                .filter(|(m, _)| *m == r.id)
                .map(|(_, n)| n.clone())
                .collect(),
            id: r.id,
            reference: r.reference,
            title: r.title,
            starts_at: r.starts_at,
            date: format_date(day),
            attendees: r.attendees,
            agreements: r.agreements,
        };
        match groups.last_mut() {
            Some(g) if g.group_id == r.group_id => g.meetings.push(meeting),
            _ => groups.push(ReportGroup {
                group_id: r.group_id,
                name: r.group_name,
                meetings: vec![meeting],
            }),
        }
    }
    Ok(groups)
}

/// The report of `semester`, statuses and values read on `today`.
pub async fn compute(
    db: &Db,
    semester: Semester,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<Report> {
    let lines = tree(db, today, false).await?;
    let counts = StatusCounts::of(lines.iter().map(|l| l.shown));
    let commitments = lines
        .iter()
        .map(|l| ReportLine {
            id: l.commitment.id.clone(),
            number: l.number.clone(),
            depth: l.depth,
            reference: l.commitment.reference.clone(),
            title: l.commitment.title.clone(),
            owner_name: l.commitment.owner_name.clone(),
            status: l.shown.as_str().to_owned(),
            progress: l.progress,
            due_on: l.commitment.due_on.clone(),
        })
        .collect();
    let indicators = lines
        .iter()
        .filter_map(|l| {
            let c = &l.commitment;
            let code = c.indicator.as_deref()?;
            let unit = Indicator::parse(code).map_or("count", |i| i.unit().as_str());
            Some(ReportIndicator {
                commitment_id: c.id.clone(),
                number: l.number.clone(),
                reference: c.reference.clone(),
                title: c.title.clone(),
                indicator: code.to_owned(),
                unit: unit.to_owned(),
                value: l.indicator_value,
                baseline: c.indicator_baseline,
                target: c.indicator_target,
                progress: match (l.indicator_value, c.indicator_target) {
                    (Some(v), Some(t)) => indicator_progress(v, c.indicator_baseline, t),
                    _ => l.progress,
                },
            })
        })
        .collect();
    Ok(Report {
        semester: semester.to_string(),
        first_day: format_date(semester.first_day()),
        last_day: format_date(semester.last_day()),
        previous: semester.previous().to_string(),
        next: semester.next().to_string(),
        today: format_date(today),
        generated_at: db::timestamp(now),
        counts: counts.into(),
        commitments,
        groups: meetings(db, semester).await?,
        indicators,
    })
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SemesterQuery {
    /// `2026-S2` (the current semester when absent).
    pub semester: Option<String>,
}

/// The semester asked for; the current one when absent or blank.
fn parse_semester(raw: Option<&str>, today: Date) -> Result<Semester, crate::pact::Invalid> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Semester::containing(today)),
        Some(s) => Semester::parse(s).ok_or_else(|| {
            crate::pact::Invalid::with(
                "semester",
                "invalid_semester",
                crate::web::invalid::shown(s),
            )
        }),
    }
}

/// The semester report: commitments by status, the tree, meetings held per
/// working group, indicators against their targets (the pact's workspace).
#[utoipa::path(get, path = "/api/v1/pact/report", tag = "pact", security(("bearer" = [])),
    params(SemesterQuery),
    responses((status = 200, body = Report),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<SemesterQuery>,
) -> Result<Json<Report>, ApiError> {
    let today = madrid::today();
    api_seat(&state.db, &user, today).await?;
    let semester = parse_semester(q.semester.as_deref(), today)
        .map_err(|e| crate::pact::invalid(&state, &[e]))?;
    Ok(Json(
        compute(&state.db, semester, today, OffsetDateTime::now_utc()).await?,
    ))
}

// ---- The page ----

struct LineView {
    number: String,
    depth: usize,
    reference: String,
    title: String,
    owner: String,
    status: String,
    status_class: &'static str,
    progress: u8,
    progress_text: String,
    due: String,
}

struct MeetingView {
    date: String,
    reference: String,
    title: String,
    attendees: i64,
    organizations: String,
    agreements: i64,
}

struct GroupView {
    name: String,
    meetings: Vec<MeetingView>,
}

struct IndicatorView {
    number: String,
    title: String,
    indicator: String,
    value: String,
    baseline: String,
    target: String,
    progress_text: String,
}

#[derive(Template)]
#[template(path = "pact/indicators/report.html")]
struct ReportPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    errors: FormErrors,
    semester_value: String,
    title: String,
    period: String,
    today: String,
    semester: String,
    previous: String,
    next: String,
    previous_label: String,
    next_label: String,
    summary: String,
    lines: Vec<LineView>,
    groups: Vec<GroupView>,
    meetings_total: usize,
    indicators: Vec<IndicatorView>,
}

fn semester_label(tr: &Tr, s: &str) -> String {
    match Semester::parse(s) {
        Some(s) => tr.tn(
            &format!("pact-rep-semester-{}", s.half),
            &[("year", s.year.into())],
        ),
        None => s.to_owned(),
    }
}

/// "3 de 10 compromisos finalizados, 2 en curso, …".
pub fn summary_text(tr: &Tr, c: &ReportCounts) -> String {
    tr.tn(
        "pact-rep-summary",
        &[
            ("finished", c.finished.into()),
            ("total", c.total.into()),
            ("in_progress", c.in_progress.into()),
            ("delayed", c.delayed.into()),
            ("planned", c.planned.into()),
            ("cancelled", c.cancelled.into()),
        ],
    )
}

fn status_class(s: &str) -> &'static str {
    match Shown::parse(s) {
        Some(Shown::Planned) => "status-planned",
        Some(Shown::InProgress) => "status-in_progress",
        Some(Shown::Delayed) => "status-delayed",
        Some(Shown::Finished) => "status-finished",
        Some(Shown::Cancelled) | None => "status-cancelled",
    }
}

fn indicator_view(tr: &Tr, lang: Lang, i: &ReportIndicator) -> IndicatorView {
    let unit = unit_of(&i.indicator);
    IndicatorView {
        number: i.number.clone(),
        title: i.title.clone(),
        indicator: tr.t(&format!("pact-ind-{}-name", i.indicator)).to_owned(),
        value: i
            .value
            .map_or_else(|| "—".to_owned(), |v| amount_text(lang, unit, v)),
        baseline: amount_text(lang, unit, i.baseline),
        target: i
            .target
            .map_or_else(|| "—".to_owned(), |v| amount_text(lang, unit, v)),
        progress_text: progress_text(lang, i.progress),
    }
}

async fn page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<SemesterQuery>,
) -> Response {
    let today = madrid::today();
    let ctx = match page_seat(&state.db, &user, ctx, today).await {
        Ok((_, ctx)) => ctx,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let mut errors = FormErrors::default();
    let (semester, status) = match parse_semester(q.semester.as_deref(), today) {
        Ok(s) => (s, StatusCode::OK),
        Err(e) => {
            errors.add("semester", e.message(tr));
            (
                Semester::containing(today),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let r = match compute(&state.db, semester, today, OffsetDateTime::now_utc()).await {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lines = r
        .commitments
        .iter()
        .map(|l| LineView {
            number: l.number.clone(),
            depth: l.depth.min(6),
            reference: l.reference.clone(),
            title: l.title.clone(),
            owner: l.owner_name.clone().unwrap_or_default(),
            status: shown_label(tr, &l.status),
            status_class: status_class(&l.status),
            progress: l.progress,
            progress_text: progress_text(lang, l.progress),
            due: date_text(lang, l.due_on.as_deref()),
        })
        .collect();
    let groups: Vec<GroupView> = r
        .groups
        .iter()
        .map(|g| GroupView {
            name: g.name.clone(),
            meetings: g
                .meetings
                .iter()
                .map(|m| MeetingView {
                    date: date_text(lang, Some(&m.date)),
                    reference: m.reference.clone(),
                    title: m.title.clone(),
                    attendees: m.attendees,
                    organizations: m.organizations.join(", "),
                    agreements: m.agreements,
                })
                .collect(),
        })
        .collect();
    let page = ReportPage {
        in_workspace: true,
        nav: "report",
        semester_value: q.semester.clone().unwrap_or_else(|| r.semester.clone()),
        errors,
        title: tr.t1(
            "pact-rep-title",
            "semester",
            semester_label(tr, &r.semester),
        ),
        period: tr.tn(
            "pact-rep-period",
            &[
                ("from", date_text(lang, Some(&r.first_day)).into()),
                ("to", date_text(lang, Some(&r.last_day)).into()),
            ],
        ),
        today: tr.t1("pact-rep-as-of", "date", date_text(lang, Some(&r.today))),
        previous_label: semester_label(tr, &r.previous),
        next_label: semester_label(tr, &r.next),
        semester: r.semester.clone(),
        previous: r.previous.clone(),
        next: r.next.clone(),
        summary: summary_text(tr, &r.counts),
        lines,
        meetings_total: groups.iter().map(|g| g.meetings.len()).sum(),
        groups,
        indicators: r
            .indicators
            .iter()
            .map(|i| indicator_view(tr, lang, i))
            .collect(),
        ctx,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

// ---- XLSX ----

/// The report as a workbook: sheets of commitments, meetings and indicators
/// with headers in `tr`'s language. Texts are never formulas.
pub fn workbook(tr: &Tr, r: &Report) -> Result<Vec<u8>, crate::tabular::WriteError> {
    let day = |s: Option<&str>| {
        s.and_then(besaya_domain::directory::parse_date)
            .map_or(Cell::Empty, Cell::Date)
    };
    let text = |s: &str| Cell::Text(s.to_owned());
    let commitments = r
        .commitments
        .iter()
        .map(|l| {
            vec![
                text(&l.number),
                text(&l.reference),
                text(&l.title),
                l.owner_name.as_deref().map_or(Cell::Empty, text),
                text(&shown_label(tr, &l.status)),
                Cell::Int(i64::from(l.progress)),
                day(l.due_on.as_deref()),
            ]
        })
        .collect();
    let meetings = r
        .groups
        .iter()
        .flat_map(|g| {
            g.meetings.iter().map(|m| {
                vec![
                    text(&g.name),
                    day(Some(&m.date)),
                    text(&m.reference),
                    text(&m.title),
                    Cell::Int(m.attendees),
                    text(&m.organizations.join(", ")),
                    Cell::Int(m.agreements),
                ]
            })
        })
        .collect();
    let indicators = r
        .indicators
        .iter()
        .map(|i| {
            let euros = |v: i64| {
                if i.unit == "cents" {
                    Cell::Float(v as f64 / 100.0)
                } else {
                    Cell::Int(v)
                }
            };
            vec![
                text(&i.number),
                text(&i.reference),
                text(&i.title),
                text(tr.t(&format!("pact-ind-{}-name", i.indicator))),
                text(tr.t(&format!("pact-ind-unit-{}", i.unit))),
                i.value.map_or(Cell::Empty, euros),
                euros(i.baseline),
                i.target.map_or(Cell::Empty, euros),
                Cell::Int(i64::from(i.progress)),
            ]
        })
        .collect();
    let h = |k: &str| tr.t(k).to_owned();
    let c_headers = [
        h("pact-rep-col-number"),
        h("pact-rep-col-reference"),
        h("pact-rep-col-title"),
        h("pact-rep-col-owner"),
        h("pact-rep-col-status"),
        h("pact-rep-col-progress"),
        h("pact-rep-col-due"),
    ];
    let m_headers = [
        h("pact-rep-col-group"),
        h("pact-rep-col-date"),
        h("pact-rep-col-reference"),
        h("pact-rep-col-title"),
        h("pact-rep-col-attendees"),
        h("pact-rep-col-organizations"),
        h("pact-rep-col-agreements"),
    ];
    let i_headers = [
        h("pact-rep-col-number"),
        h("pact-rep-col-reference"),
        h("pact-rep-col-title"),
        h("pact-rep-col-indicator"),
        h("pact-rep-col-unit"),
        h("pact-rep-col-value"),
        h("pact-rep-col-baseline"),
        h("pact-rep-col-target"),
        h("pact-rep-col-progress"),
    ];
    let names = [
        h("pact-rep-sheet-commitments"),
        h("pact-rep-sheet-meetings"),
        h("pact-rep-sheet-indicators"),
    ];
    write_xlsx_book(vec![
        Sheet {
            name: &names[0],
            headers: c_headers.iter().map(String::as_str).collect(),
            rows: commitments,
        },
        Sheet {
            name: &names[1],
            headers: m_headers.iter().map(String::as_str).collect(),
            rows: meetings,
        },
        Sheet {
            name: &names[2],
            headers: i_headers.iter().map(String::as_str).collect(),
            rows: indicators,
        },
    ])
}

async fn xlsx(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<SemesterQuery>,
) -> Response {
    let today = madrid::today();
    let ctx = match page_seat(&state.db, &user, ctx, today).await {
        Ok((_, ctx)) => ctx,
        Err(r) => return r,
    };
    let semester = match parse_semester(q.semester.as_deref(), today) {
        Ok(s) => s,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                e.message(&ctx.tr),
            )
                .into_response();
        }
    };
    let r = match compute(&state.db, semester, today, OffsetDateTime::now_utc()).await {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let bytes = match workbook(&ctx.tr, &r) {
        Ok(b) => b,
        Err(e) => return ctx.fail(anyhow::Error::new(e)).into_response(),
    };
    let name = format!(
        "{}-{}.xlsx",
        ctx.tr.t("pact-rep-file-name"),
        r.semester.to_lowercase()
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
