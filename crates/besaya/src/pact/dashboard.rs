//! The Pact's dashboard (`/pact/dashboard`, and the same figures at
//! `GET /api/v1/pact/dashboard`) for the office and the pact's members, and the
//! public summary (`/pact/summary`, `GET /api/v1/pact/summary`, no login).
//!
//! How the figures are computed (read-only, from the columns the store keeps
//! current: `status`, `published_at`, `first_answer_at`, `agreed_amount_cents`):
//! - needs by kind and status: one `GROUP BY`;
//! - the response clock of every need ever published, as
//!   [`besaya_domain::pact::response_clock`] counts it — business days from the
//!   publication day (Madrid) to the first qualified answer, skipping weekends and
//!   the national and Cantabrian holidays, against the kind's target in
//!   `pact_targets`;
//! - **median time to first answer**: [`median_days`] over the answered needs;
//! - **within target**: among the published needs whose clock has *decided* —
//!   answered, or unanswered with the target passed, or finished (agreed,
//!   closed, expired) without an answer — those answered on or before the due
//!   day. Needs still inside their target without an answer are not counted yet
//!   (they may still make it), so the share does not flatter a fresh batch;
//! - **overdue**: open needs (published, answered, negotiating) without a first
//!   answer, today past their due day; most overdue first. The office sees the
//!   owner and the broker; a pact member sees only the reference and title;
//! - agreements: needs `agreed`, and the sum of their amounts awarded locally;
//! - follow-ups (office only): the answers given 3 and 6 months after agreements.
//!
//! The public summary has counts and shares only: no titles, references, names
//! or amounts per need.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use besaya_domain::Role;
use besaya_domain::pact::{
    DEFAULT_TARGET_DAYS, NeedKind, NeedStatus, ResponseClock, median_days, response_clock,
};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::{ApiUser, SignedIn, User};
use crate::db::{self, Db};
use crate::i18n::{Lang, Tr};
use crate::office::pages::local_date;
use crate::office::procedures::calendar;
use crate::office::work::madrid;
use crate::sites::pages::num;
use crate::web::PageError;
use crate::web::page::{PageCtx, render};

/// How many overdue needs the dashboard lists (the total is given).
pub const OVERDUE_SHOWN: usize = 100;
/// How many follow-up answers the dashboard lists, newest first.
pub const FOLLOWUPS_SHOWN: i64 = 50;

#[derive(OpenApi)]
#[openapi(
    paths(api_dashboard, api_summary),
    components(schemas(
        PactDashboard,
        Figures,
        KindFigures,
        StatusCount,
        OverdueNeed,
        FollowupAnswer,
        PactSummary,
        KindSummary
    ))
)]
pub struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    Api::openapi()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/pact/dashboard", get(api_dashboard))
        .route("/pact/summary", get(api_summary))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/dashboard", get(page))
        .route("/pact/summary", get(summary_page))
}

/// Whether `user` may read the dashboard: the office and the pact's members.
pub fn may_see(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Staff | Role::PactMember)
}

fn is_office(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Staff)
}

/// The figures of the Pact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PactDashboard {
    pub generated_at: String,
    /// The day the figures are assessed on (Madrid), `YYYY-MM-DD`.
    pub today: String,
    /// All needs together.
    pub total: Figures,
    /// One per kind (every kind, zeros included), with its target.
    pub kinds: Vec<KindFigures>,
    /// Needs in each status (every status listed, zeros included).
    pub statuses: Vec<StatusCount>,
    /// Open needs without a first qualified answer past their target, most overdue first
    /// (at most 100; `total.overdue` says how many there are).
    pub overdue: Vec<OverdueNeed>,
    /// The answers to the follow-up questions, newest first (office only; empty otherwise).
    pub followups: Vec<FollowupAnswer>,
    /// Follow-up questions sent and not answered yet (office only; 0 otherwise).
    pub followups_waiting: i64,
}

/// The figures of a set of needs.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[schema(as = PactFigures)]
pub struct Figures {
    /// Needs of every status, drafts included.
    pub needs: i64,
    /// Needs ever published (whatever their status now).
    pub published: i64,
    /// Published needs with a first qualified answer.
    pub answered: i64,
    /// Median business days from publication to the first qualified answer.
    pub median_days_to_first_answer: Option<i64>,
    /// Published needs whose clock has decided (answered, or past the target, or finished).
    pub decided: i64,
    /// Of those, answered on or before the target day.
    pub within_target: i64,
    /// `within_target / decided`, 0–1; `null` without any.
    pub within_target_share: Option<f64>,
    /// Open needs without an answer past their target, today.
    pub overdue: i64,
    /// Needs agreed.
    pub agreements: i64,
    /// The amounts awarded locally in the agreements, in euro cents.
    pub awarded_cents: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindFigures {
    /// `supply`, `service`, `talent`, `infrastructure_energy`, `land`, `permit_regulatory`, `rnd`, `other`.
    pub kind: String,
    /// Target business days to the first qualified answer.
    pub target_days: i64,
    pub figures: Figures,
    /// The kind's needs in each status (every status, zeros included).
    pub statuses: Vec<StatusCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PactStatusCount)]
pub struct StatusCount {
    /// `draft`, `submitted`, `published`, `answered`, `negotiating`, `agreed`, `closed`, `expired`.
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueNeed {
    pub need_id: String,
    pub reference: String,
    pub title: String,
    pub kind: String,
    /// The owner organisation (office only).
    pub owner_name: Option<String>,
    /// The office user responsible (office only).
    pub broker_name: Option<String>,
    /// `YYYY-MM-DD` (Madrid).
    pub published_on: String,
    /// The last business day of the target, `YYYY-MM-DD`.
    pub due_on: String,
    /// Business days since the due day.
    pub business_days_late: i64,
    /// The need's page (a path).
    pub url: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowupAnswer {
    pub followup_id: String,
    pub need_id: String,
    pub reference: String,
    pub title: String,
    /// `owner` or `candidate`.
    pub side: String,
    /// 3 or 6 months after the agreement.
    pub months: i64,
    pub satisfied: Option<bool>,
    pub answer: String,
    pub answered_at: String,
}

/// The public figures of the Pact: counts and shares only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PactSummary {
    pub generated_at: String,
    /// `YYYY-MM-DD` (Madrid).
    pub today: String,
    /// Needs ever published.
    pub published: i64,
    /// Published needs with a first qualified answer.
    pub answered: i64,
    /// Needs agreed with a local organisation.
    pub agreed: i64,
    /// Median business days from publication to the first qualified answer.
    pub median_days_to_first_answer: Option<i64>,
    /// Share of the published needs whose clock has decided that were answered within target, 0–1.
    pub within_target_share: Option<f64>,
    /// Total awarded locally in the agreements, in euros (rounded down to the euro).
    pub awarded_eur: i64,
    /// One per kind (every kind).
    pub kinds: Vec<KindSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindSummary {
    pub kind: String,
    pub published: i64,
    pub answered: i64,
    pub agreed: i64,
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn share(within: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| within as f64 / of as f64)
}

/// A stored timestamp as its day in Madrid.
pub(crate) fn madrid_day(s: &str) -> Option<Date> {
    madrid::parse_stored(s).map(|t| madrid::local(t).date())
}

#[derive(sqlx::FromRow)]
struct CountRow {
    kind: String,
    status: String,
    n: i64,
    awarded: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClockRow {
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) title: String,
    pub(crate) kind: String,
    pub(crate) status: String,
    pub(crate) published_at: String,
    pub(crate) first_answer_at: Option<String>,
    owner_name: Option<String>,
    broker_name: Option<String>,
}

/// The targets per kind, in business days (the default for a kind without a row).
pub async fn targets(db: &Db) -> Result<HashMap<String, u32>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT kind, target_days FROM pact_targets")
        .fetch_all(db.reader())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, d)| (k, u32::try_from(d).unwrap_or(DEFAULT_TARGET_DAYS)))
        .collect())
}

pub(crate) fn target_of(targets: &HashMap<String, u32>, kind: &str) -> u32 {
    targets.get(kind).copied().unwrap_or(DEFAULT_TARGET_DAYS)
}

/// One published need's clock, as the dashboard reads it.
pub(crate) struct Clocked {
    pub(crate) row: ClockRow,
    pub(crate) published_on: Date,
    pub(crate) clock: ResponseClock,
}

impl Clocked {
    fn status(&self) -> Option<NeedStatus> {
        NeedStatus::parse(&self.row.status)
    }

    /// Answered, or past its target, or finished without an answer.
    pub(crate) fn decided(&self, today: Date) -> bool {
        self.clock.answered
            || today > self.clock.due_on
            || self.status().is_some_and(NeedStatus::is_final)
    }

    pub(crate) fn within(&self) -> bool {
        self.clock.answered && !self.clock.late
    }

    fn overdue(&self) -> bool {
        !self.clock.answered && self.clock.late && self.status().is_some_and(NeedStatus::is_open)
    }
}

/// The response clocks of every need ever published, seen on `today`.
pub(crate) async fn clocks(
    db: &Db,
    targets: &HashMap<String, u32>,
    today: Date,
) -> Result<Vec<Clocked>, sqlx::Error> {
    let rows: Vec<ClockRow> = sqlx::query_as(
        "SELECT n.id, n.reference, n.title, n.kind, n.status, n.published_at, n.first_answer_at, \
         o.name AS owner_name, u.name AS broker_name \
         FROM needs n LEFT JOIN organizations o ON o.id = n.owner_org_id \
         LEFT JOIN users u ON u.id = n.broker_id \
         WHERE n.published_at IS NOT NULL ORDER BY n.published_at, n.id",
    )
    .fetch_all(db.reader())
    .await?;
    let holidays = calendar::national();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let published_on = madrid_day(&row.published_at)?;
            let first = row.first_answer_at.as_deref().and_then(madrid_day);
            let clock = response_clock(
                published_on,
                target_of(targets, &row.kind),
                first,
                today,
                holidays,
            );
            Some(Clocked {
                row,
                published_on,
                clock,
            })
        })
        .collect())
}

/// Adds the clocks to `f` (published, answered, decided, within, overdue, the median).
fn add_clocks<'a>(f: &mut Figures, clocks: impl Iterator<Item = &'a Clocked>, today: Date) {
    let mut days = Vec::new();
    for c in clocks {
        f.published += 1;
        if c.clock.answered {
            f.answered += 1;
            days.push(c.clock.elapsed);
        }
        if c.decided(today) {
            f.decided += 1;
            if c.within() {
                f.within_target += 1;
            }
        }
        if c.overdue() {
            f.overdue += 1;
        }
    }
    f.median_days_to_first_answer = median_days(&mut days);
    f.within_target_share = share(f.within_target, f.decided);
}

struct Base {
    counts: Vec<CountRow>,
    targets: HashMap<String, u32>,
    clocks: Vec<Clocked>,
}

async fn base(db: &Db, today: Date) -> anyhow::Result<Base> {
    let counts: Vec<CountRow> = sqlx::query_as(
        "SELECT kind, status, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN status = 'agreed' THEN COALESCE(agreed_amount_cents, 0) ELSE 0 END) AS BIGINT) AS awarded \
         FROM needs GROUP BY kind, status",
    )
    .fetch_all(db.reader())
    .await?;
    let targets = targets(db).await?;
    let clocks = clocks(db, &targets, today).await?;
    Ok(Base {
        counts,
        targets,
        clocks,
    })
}

fn figures_of(b: &Base, kind: Option<&str>, today: Date) -> Figures {
    let mut f = Figures::default();
    for c in b.counts.iter().filter(|c| kind.is_none_or(|k| k == c.kind)) {
        f.needs += c.n;
        if c.status == NeedStatus::Agreed.as_str() {
            f.agreements += c.n;
            f.awarded_cents += c.awarded.unwrap_or(0);
        }
    }
    add_clocks(
        &mut f,
        b.clocks
            .iter()
            .filter(|c| kind.is_none_or(|k| k == c.row.kind)),
        today,
    );
    f
}

fn status_counts(b: &Base, kind: Option<&str>) -> Vec<StatusCount> {
    NeedStatus::ALL
        .into_iter()
        .map(|s| StatusCount {
            status: s.as_str().to_owned(),
            count: b
                .counts
                .iter()
                .filter(|c| c.status == s.as_str() && kind.is_none_or(|k| k == c.kind))
                .map(|c| c.n)
                .sum(),
        })
        .collect()
}

/// The dashboard as `user` (office or pact member) may see it, on `today`.
pub async fn compute(
    db: &Db,
    user: &User,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<PactDashboard> {
    let b = base(db, today).await?;
    let office = is_office(user);
    let kinds = NeedKind::ALL
        .into_iter()
        .map(|k| KindFigures {
            kind: k.as_str().to_owned(),
            target_days: i64::from(target_of(&b.targets, k.as_str())),
            figures: figures_of(&b, Some(k.as_str()), today),
            statuses: status_counts(&b, Some(k.as_str())),
        })
        .collect();
    let holidays = calendar::national();
    let mut overdue: Vec<&Clocked> = b.clocks.iter().filter(|c| c.overdue()).collect();
    overdue.sort_by(|a, b| {
        a.clock
            .due_on
            .cmp(&b.clock.due_on)
            .then_with(|| a.row.id.cmp(&b.row.id))
    });
    let overdue = overdue
        .into_iter()
        .take(OVERDUE_SHOWN)
        .map(|c| OverdueNeed {
            need_id: c.row.id.clone(),
            reference: c.row.reference.clone(),
            title: c.row.title.clone(),
            kind: c.row.kind.clone(),
            owner_name: c.row.owner_name.clone().filter(|_| office),
            broker_name: c.row.broker_name.clone().filter(|_| office),
            published_on: iso(c.published_on),
            due_on: iso(c.clock.due_on),
            business_days_late: holidays.business_days_between(c.clock.due_on, today),
            url: format!("/pact/needs/{}", c.row.id),
        })
        .collect();
    let (followups, followups_waiting) = if office {
        followups(db).await?
    } else {
        (Vec::new(), 0)
    };
    Ok(PactDashboard {
        generated_at: db::timestamp(now),
        today: iso(today),
        total: figures_of(&b, None, today),
        kinds,
        statuses: status_counts(&b, None),
        overdue,
        followups,
        followups_waiting,
    })
}

#[derive(sqlx::FromRow)]
struct FollowupRow {
    id: String,
    need_id: String,
    reference: String,
    title: String,
    side: String,
    months: i64,
    satisfied: Option<i64>,
    answer: Option<String>,
    answered_at: String,
}

async fn followups(db: &Db) -> anyhow::Result<(Vec<FollowupAnswer>, i64)> {
    let rows: Vec<FollowupRow> = sqlx::query_as(
        "SELECT f.id, f.need_id, n.reference, n.title, f.side, CAST(f.months AS BIGINT) AS months, \
         CAST(f.satisfied AS BIGINT) AS satisfied, f.answer, f.answered_at \
         FROM need_followups f JOIN needs n ON n.id = f.need_id \
         WHERE f.answered_at IS NOT NULL ORDER BY f.answered_at DESC, f.id LIMIT $1",
    )
    .bind(FOLLOWUPS_SHOWN)
    .fetch_all(db.reader())
    .await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM need_followups WHERE sent_at IS NOT NULL AND answered_at IS NULL",
    )
    .fetch_one(db.reader())
    .await?;
    Ok((
        rows.into_iter()
            .map(|r| FollowupAnswer {
                followup_id: r.id,
                need_id: r.need_id,
                reference: r.reference,
                title: r.title,
                side: r.side,
                months: r.months,
                satisfied: r.satisfied.map(|s| s != 0),
                answer: r.answer.unwrap_or_default(),
                answered_at: r.answered_at,
            })
            .collect(),
        waiting,
    ))
}

/// The public summary on `today`.
pub async fn summary(db: &Db, today: Date, now: OffsetDateTime) -> anyhow::Result<PactSummary> {
    let b = base(db, today).await?;
    let total = figures_of(&b, None, today);
    let kinds = NeedKind::ALL
        .into_iter()
        .map(|k| {
            let f = figures_of(&b, Some(k.as_str()), today);
            KindSummary {
                kind: k.as_str().to_owned(),
                published: f.published,
                answered: f.answered,
                agreed: f.agreements,
            }
        })
        .collect();
    Ok(PactSummary {
        generated_at: db::timestamp(now),
        today: iso(today),
        published: total.published,
        answered: total.answered,
        agreed: total.agreements,
        median_days_to_first_answer: total.median_days_to_first_answer,
        within_target_share: total.within_target_share,
        awarded_eur: total.awarded_cents.div_euclid(100),
        kinds,
    })
}

/// The Pact's figures (office and pact members; anybody else: 404).
#[utoipa::path(get, path = "/api/v1/pact/dashboard", tag = "pact", security(("bearer" = [])),
    responses((status = 200, body = PactDashboard),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<PactDashboard>, ApiError> {
    if !may_see(&user) {
        return Err(ApiError::NotFound);
    }
    let d = compute(&state.db, &user, madrid::today(), OffsetDateTime::now_utc()).await?;
    Ok(Json(d))
}

/// The Pact's public figures: counts, median time to first answer, share within target,
/// total awarded. No titles, no names. No authentication.
#[utoipa::path(get, path = "/api/v1/pact/summary", tag = "pact",
    responses((status = 200, body = PactSummary)))]
pub async fn api_summary(State(state): State<AppState>) -> Result<Json<PactSummary>, ApiError> {
    let s = summary(&state.db, madrid::today(), OffsetDateTime::now_utc()).await?;
    Ok(Json(s))
}

// ---- The pages ----

struct KindRow {
    label: String,
    target: String,
    /// Counts in the order of `status_labels`.
    counts: Vec<String>,
    total: String,
    /// The bar's width, 0–100 (the kind's needs against the largest kind's).
    width: f64,
    median: String,
    within: String,
}

struct OverdueLine {
    url: String,
    reference: String,
    title: String,
    kind: String,
    owner: Option<String>,
    broker: Option<String>,
    due: String,
    late: String,
}

struct FollowupLine {
    reference: String,
    title: String,
    side: String,
    satisfied: String,
    answer: String,
    answered: String,
}

#[derive(Template)]
#[template(path = "pact/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    office: bool,
    today: String,
    published: String,
    answered: String,
    median: String,
    within: String,
    agreements: String,
    awarded: String,
    overdue: i64,
    overdue_text: String,
    status_labels: Vec<String>,
    kinds: Vec<KindRow>,
    overdue_rows: Vec<OverdueLine>,
    overdue_more: Option<String>,
    followups: Vec<FollowupLine>,
    followups_waiting: i64,
}

fn pct(lang: Lang, share: Option<f64>) -> String {
    share.map_or_else(
        || "—".to_owned(),
        |r| format!("{} %", num(lang, r * 100.0, 1)),
    )
}

/// "4 días hábiles (12 respuestas)".
fn median_text(tr: &Tr, f: &Figures) -> String {
    match f.median_days_to_first_answer {
        Some(m) => tr.tn(
            "pact-dash-median-value",
            &[("days", m.into()), ("answered", f.answered.into())],
        ),
        None => "—".to_owned(),
    }
}

/// "75,0 % (3 de 4)".
fn within_text(tr: &Tr, lang: Lang, f: &Figures) -> String {
    match f.within_target_share {
        Some(s) => tr.tn(
            "pact-dash-within-value",
            &[
                ("share", pct(lang, Some(s)).into()),
                ("within", f.within_target.into()),
                ("decided", f.decided.into()),
            ],
        ),
        None => "—".to_owned(),
    }
}

fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("pact-dash-kind-{kind}")).to_owned()
}

async fn page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !may_see(&user) {
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
    let max = d
        .kinds
        .iter()
        .map(|k| k.figures.needs)
        .max()
        .unwrap_or(0)
        .max(1);
    let kinds = d
        .kinds
        .iter()
        .map(|k| KindRow {
            label: kind_label(tr, &k.kind),
            target: tr.t1("pact-dash-target-value", "days", k.target_days),
            counts: k.statuses.iter().map(|s| n(s.count)).collect(),
            total: n(k.figures.needs),
            width: k.figures.needs as f64 * 100.0 / max as f64,
            median: median_text(tr, &k.figures),
            within: within_text(tr, lang, &k.figures),
        })
        .collect();
    let overdue_rows = d
        .overdue
        .iter()
        .map(|o| OverdueLine {
            url: o.url.clone(),
            reference: o.reference.clone(),
            title: o.title.clone(),
            kind: kind_label(tr, &o.kind),
            owner: o.owner_name.clone(),
            broker: o.broker_name.clone(),
            due: local_date(lang, &o.due_on),
            late: tr.t1("pact-dash-late-value", "days", o.business_days_late),
        })
        .collect();
    let followups = d
        .followups
        .iter()
        .map(|f| FollowupLine {
            reference: f.reference.clone(),
            title: f.title.clone(),
            side: tr.t1(
                &format!("pact-dash-followup-side-{}", f.side),
                "months",
                f.months,
            ),
            satisfied: tr
                .t(match f.satisfied {
                    Some(true) => "pact-dash-followup-satisfied-yes",
                    Some(false) => "pact-dash-followup-satisfied-no",
                    None => "pact-dash-followup-satisfied-none",
                })
                .to_owned(),
            answer: f.answer.clone(),
            answered: local_date(lang, &f.answered_at),
        })
        .collect();
    let page = DashboardPage {
        office: is_office(&user),
        today: local_date(lang, &d.today),
        published: n(d.total.published),
        answered: n(d.total.answered),
        median: median_text(tr, &d.total),
        within: within_text(tr, lang, &d.total),
        agreements: n(d.total.agreements),
        awarded: super::pages::euros(lang, d.total.awarded_cents),
        overdue: d.total.overdue,
        overdue_text: n(d.total.overdue),
        status_labels: NeedStatus::ALL
            .iter()
            .map(|s| tr.t(&format!("pact-dash-status-{}", s.as_str())).to_owned())
            .collect(),
        kinds,
        overdue_more: (d.total.overdue > d.overdue.len() as i64).then(|| {
            tr.tn(
                "pact-dash-overdue-more",
                &[
                    ("shown", (d.overdue.len() as i64).into()),
                    ("total", d.total.overdue.into()),
                ],
            )
        }),
        overdue_rows,
        followups,
        followups_waiting: d.followups_waiting,
        ctx,
    };
    render(&page)
}

struct SummaryKindRow {
    label: String,
    published: String,
    answered: String,
    agreed: String,
    width: f64,
}

#[derive(Template)]
#[template(path = "pact/summary.html")]
struct SummaryPage {
    ctx: PageCtx,
    today: String,
    published: String,
    answered: String,
    agreed: String,
    median: String,
    within: String,
    awarded: String,
    kinds: Vec<SummaryKindRow>,
}

async fn summary_page(State(state): State<AppState>, ctx: PageCtx) -> Response {
    let s = match summary(&state.db, madrid::today(), OffsetDateTime::now_utc()).await {
        Ok(s) => s,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let n = |x: i64| num(lang, x as f64, 0);
    let max = s
        .kinds
        .iter()
        .map(|k| k.published)
        .max()
        .unwrap_or(0)
        .max(1);
    let page = SummaryPage {
        today: local_date(lang, &s.today),
        published: n(s.published),
        answered: n(s.answered),
        agreed: n(s.agreed),
        median: s.median_days_to_first_answer.map_or_else(
            || "—".to_owned(),
            |m| tr.t1("pact-dash-days-value", "days", m),
        ),
        within: pct(lang, s.within_target_share),
        awarded: super::pages::euros(lang, s.awarded_eur.saturating_mul(100)),
        kinds: s
            .kinds
            .iter()
            .map(|k| SummaryKindRow {
                label: kind_label(tr, &k.kind),
                published: n(k.published),
                answered: n(k.answered),
                agreed: n(k.agreed),
                width: k.published as f64 * 100.0 / max as f64,
            })
            .collect(),
        ctx,
    };
    render(&page)
}
