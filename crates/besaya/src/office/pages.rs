//! The office's main pages: the pipeline board (`/office`), the list of
//! projects with filters, a project's summary with its stage history, the moves
//! it may make and its timeline. Moving a project is a plain form (POST, then
//! back to where it was sent from), so the board works without JavaScript. The
//! create and edit form is in [`super::pages_form`].
//!
//! Only the office (administrator and staff) reaches these pages; anybody else
//! gets 404, and a project the user may not see is 404 too.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::office::Stage;
use fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::Value;
use sqlx::FromRow;

use super::api::{
    self, EventScope, ProjectEvent, cursor_key, days_since, plausible_id, split_cursor,
};
use super::policy::{self, Access, Case};
use super::projects::{self, Project, WriteError};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::{I18n, Lang, Tr};
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Cards shown per column of the board (the most recent moves); the rest are on the list.
pub const COLUMN_CARDS: i64 = 30;
/// Projects per page of the list.
pub const LIST_PAGE: i64 = 50;
/// Timeline entries on the summary page.
const TIMELINE_MAX: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office", get(board))
        .route("/office/projects", get(list_page))
        .route("/office/projects/{id}", get(summary))
        .route("/office/projects/{id}/move", post(move_stage))
        .merge(super::pages_form::router())
}

// ---- Shared ----

/// The office's pages are the office's: anybody else is told there is nothing
/// here (the 404 page to answer, `None` for the office).
pub fn not_office(user: &User, ctx: &PageCtx) -> Option<Response> {
    (!policy::is_office(user)).then(|| PageError::page(ctx.clone(), StatusCode::NOT_FOUND))
}

/// A project the office user may see on these pages (404 otherwise).
pub async fn office_project(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if let Some(r) = not_office(user, ctx) {
        return Err(r);
    }
    if !plausible_id(id) {
        return Err(PageError::page(ctx.clone(), StatusCode::NOT_FOUND));
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some((p, a))) if !a.investor => Ok((p, a)),
        Ok(_) => Err(PageError::page(ctx.clone(), StatusCode::NOT_FOUND)),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// A stage's name in the page's language.
pub fn stage_label(tr: &Tr, s: Stage) -> String {
    tr.t(&format!("office-stage-{}", s.as_str())).to_owned()
}

/// "3 días" / "1 day".
pub fn days_text(tr: &Tr, days: i64) -> String {
    tr.t1("office-days", "days", days)
}

/// The moves a project may make, as (stage, label) options.
pub fn move_options(tr: &Tr, moves: &[Stage]) -> Vec<(String, String)> {
    moves
        .iter()
        .map(|s| (s.as_str().to_owned(), stage_label(tr, *s)))
        .collect()
}

/// A date or timestamp as people read it in the page's language.
pub fn local_date(lang: Lang, iso: &str) -> String {
    crate::sites::pages::date(lang, iso.get(..10).unwrap_or(iso))
}

fn parse_query<T: serde::de::DeserializeOwned + Default>(raw: Option<&str>) -> T {
    raw.and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

// ---- The board ----

/// One project on the board.
pub struct Card {
    pub id: String,
    /// The investor's name for those who may see it, else the code name.
    pub title: String,
    /// The code name, shown under a title that is the investor's name.
    pub code_name: Option<String>,
    pub owner_name: String,
    pub days: String,
    pub version: i64,
    /// Where the user may move it: (stage, label); empty when it may not.
    pub moves: Vec<(String, String)>,
}

/// One stage of the board.
pub struct Column {
    pub stage: &'static str,
    pub label: String,
    /// Projects in the stage (the cards are the most recent ones).
    pub count: i64,
    /// The count as people read it (`1.250`).
    pub count_text: String,
    pub cards: Vec<Card>,
}

impl Column {
    pub fn more(&self) -> bool {
        self.count > self.cards.len() as i64
    }
}

#[derive(Template)]
#[template(path = "office/board.html")]
struct BoardPage {
    ctx: PageCtx,
    /// The active stages, in order.
    columns: Vec<Column>,
    /// On hold and lost, shown compact under the board.
    closed: Vec<Column>,
    /// "5.012 proyectos en total."
    lead: String,
    mine: bool,
    cap: i64,
}

#[derive(FromRow)]
struct BoardRow {
    id: String,
    code_name: String,
    investor_org_id: Option<String>,
    investor_name: Option<String>,
    owner_id: String,
    owner_name: String,
    confidential: i64,
    stage: String,
    stage_since: String,
    held_from: Option<String>,
    version: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BoardQuery {
    mine: String,
}

/// The board's data in three queries whatever the number of projects: the
/// count per stage, the most recent cards of every stage (a window function),
/// and the teams of those cards.
async fn board_data(
    state: &AppState,
    user: &User,
    mine: bool,
) -> Result<
    (
        HashMap<String, i64>,
        Vec<BoardRow>,
        HashMap<String, Vec<String>>,
    ),
    sqlx::Error,
> {
    let pool = state.db.reader();
    let mine_sql = "(owner_id = $1 OR EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = projects.id AND t.user_id = $1))";
    let counts: Vec<(String, i64)> = if mine {
        sqlx::query_as(&format!(
            "SELECT stage, COUNT(*) FROM projects WHERE {mine_sql} GROUP BY stage"
        ))
        .bind(&user.id)
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_as("SELECT stage, COUNT(*) FROM projects GROUP BY stage")
            .fetch_all(pool)
            .await?
    };
    let ranked = format!(
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY stage ORDER BY stage_since DESC, id DESC) AS rn \
         FROM projects{}",
        if mine {
            format!(" WHERE {mine_sql}")
        } else {
            String::new()
        }
    );
    let sql = format!(
        "SELECT p.id, p.code_name, p.investor_org_id, o.name AS investor_name, p.owner_id, u.name AS owner_name, \
         p.confidential, p.stage, p.stage_since, p.held_from, p.version \
         FROM ({ranked}) r JOIN projects p ON p.id = r.id JOIN users u ON u.id = p.owner_id \
         LEFT JOIN organizations o ON o.id = p.investor_org_id \
         WHERE r.rn <= {COLUMN_CARDS} ORDER BY p.stage_since DESC, p.id DESC"
    );
    let rows: Vec<BoardRow> = if mine {
        sqlx::query_as(&sql).bind(&user.id).fetch_all(pool).await?
    } else {
        sqlx::query_as(&sql).fetch_all(pool).await?
    };
    let teams = projects::teams_of(pool, rows.iter().map(|r| r.id.as_str())).await?;
    Ok((counts.into_iter().collect(), rows, teams))
}

async fn board(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let q: BoardQuery = parse_query(raw.as_deref());
    let mine = !q.mine.is_empty();
    let (counts, rows, teams) = match board_data(&state, &user, mine).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = &ctx.tr;
    let mut by_stage: HashMap<&str, Vec<Card>> = HashMap::new();
    let empty = Vec::new();
    for r in &rows {
        let team = teams.get(&r.id).unwrap_or(&empty);
        let case = Case {
            owner_id: &r.owner_id,
            team,
            confidential: r.confidential != 0,
            investor_org_id: r.investor_org_id.as_deref(),
        };
        let Some(access) = policy::access(&user, &case) else {
            continue;
        };
        let Some(stage) = Stage::parse(&r.stage) else {
            continue;
        };
        let title = match (&r.investor_name, access.see_investor) {
            (Some(n), true) => n.clone(),
            _ => r.code_name.clone(),
        };
        let moves = if access.edit {
            let held = r.held_from.as_deref().and_then(Stage::parse);
            move_options(tr, &besaya_domain::office::allowed_moves(stage, held))
        } else {
            Vec::new()
        };
        by_stage.entry(stage.as_str()).or_default().push(Card {
            id: r.id.clone(),
            code_name: (title != r.code_name).then(|| r.code_name.clone()),
            title,
            owner_name: r.owner_name.clone(),
            days: days_text(tr, days_since(&r.stage_since)),
            version: r.version,
            moves,
        });
    }
    let column = |s: Stage, by_stage: &mut HashMap<&str, Vec<Card>>| Column {
        stage: s.as_str(),
        label: stage_label(tr, s),
        count: counts.get(s.as_str()).copied().unwrap_or(0),
        count_text: crate::sites::pages::num(
            ctx.lang,
            counts.get(s.as_str()).copied().unwrap_or(0) as f64,
            0,
        ),
        cards: by_stage.remove(s.as_str()).unwrap_or_default(),
    };
    let columns = Stage::ACTIVE
        .iter()
        .map(|s| column(*s, &mut by_stage))
        .collect();
    let closed = [Stage::OnHold, Stage::Lost]
        .iter()
        .map(|s| column(*s, &mut by_stage))
        .collect();
    let total: i64 = counts.values().sum();
    let lead = tr.tn(
        "office-board-lead",
        &[
            ("count", total.into()),
            (
                "shown",
                crate::sites::pages::num(ctx.lang, total as f64, 0).into(),
            ),
        ],
    );
    render(&BoardPage {
        columns,
        closed,
        lead,
        mine,
        cap: COLUMN_CARDS,
        ctx,
    })
}

// ---- Moving a project ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub to: String,
    pub reason: String,
    pub version: i64,
    /// Where to go back: `board`, `list`, or the project's summary (anything else).
    pub back: String,
}

async fn move_stage(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Response {
    let (_, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let summary = format!("/office/projects/{id}");
    let back = match form.back.as_str() {
        "board" => "/office".to_owned(),
        "list" => "/office/projects".to_owned(),
        _ => summary.clone(),
    };
    let (to, reason) = match api::parse_move(&form.to, Some(&form.reason)) {
        Ok(m) => m,
        Err(errs) if errs.iter().any(|e| e.field == "to") => {
            return redirect_with(&back, &[flash_cookie("flash-office-move-not-allowed")]);
        }
        Err(_) => {
            return redirect_with(
                &format!("{summary}#move"),
                &[flash_cookie("flash-office-move-reason-invalid")],
            );
        }
    };
    let done = in_tx!(state, |tx| projects::transition(
        &mut tx,
        Some(&user.id),
        &id,
        form.version,
        to,
        reason.as_deref(),
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(&back, &[flash_cookie("flash-office-moved")]),
        Ok(Err(WriteError::Conflict(_))) => {
            redirect_with(&back, &[flash_cookie("flash-office-move-stale")])
        }
        Ok(Err(WriteError::Transition { .. })) => {
            redirect_with(&back, &[flash_cookie("flash-office-move-not-allowed")])
        }
        // On hold and lost ask for the reason on the project's page, the stage chosen.
        Ok(Err(WriteError::ReasonRequired(s))) => redirect_with(
            &format!("{summary}?to={}#move", s.as_str()),
            &[flash_cookie("flash-office-move-reason")],
        ),
        Ok(Err(WriteError::NotFound)) => PageError::page(ctx, StatusCode::NOT_FOUND),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The list ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    stage: String,
    owner: String,
    q: String,
    mine: String,
    after: String,
}

/// One project in the list.
struct ListRow {
    id: String,
    title: String,
    code_name: Option<String>,
    stage: &'static str,
    stage_label: String,
    days: String,
    owner_name: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "office/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    stages: Vec<(String, String)>,
    staff: Vec<(String, String)>,
    stage: String,
    owner: String,
    q: String,
    mine: bool,
    /// The link to the next page, if there is one.
    next: Option<String>,
    /// The link to the first page, when this is not it.
    first: Option<String>,
}

/// Active office users, by name: (id, name).
pub async fn staff_options(state: &AppState) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM users WHERE active = 1 AND role IN ('admin', 'staff') ORDER BY name, id",
    )
    .fetch_all(state.db.reader())
    .await
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let q: ListQuery = parse_query(raw.as_deref());
    let text: String = q.q.chars().filter(|c| !c.is_control()).take(200).collect();
    let filter = projects::Filter {
        stage: Stage::parse(q.stage.trim()),
        owner_id: Some(q.owner.trim().to_owned()).filter(|o| plausible_id(o)),
        q: Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
        mine: !q.mine.is_empty(),
    };
    let after = split_cursor(&q.after);
    let loaded = async {
        let rows = projects::list(
            state.db.reader(),
            &user,
            &filter,
            after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            LIST_PAGE + 1,
        )
        .await?;
        let staff = staff_options(&state).await?;
        Ok::<_, sqlx::Error>((rows, staff))
    }
    .await;
    let (mut rows, staff) = match loaded {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let stage = filter
        .stage
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    let owner = filter.owner_id.clone().unwrap_or_default();
    let mut base = vec![];
    if !stage.is_empty() {
        base.push(format!("stage={}", encode(&stage)));
    }
    if !owner.is_empty() {
        base.push(format!("owner={}", encode(&owner)));
    }
    if let Some(t) = &filter.q {
        base.push(format!("q={}", encode(t)));
    }
    if filter.mine {
        base.push("mine=1".to_owned());
    }
    let next = if rows.len() as i64 > LIST_PAGE {
        rows.truncate(LIST_PAGE as usize);
        rows.last().map(|(p, _)| {
            let mut parts = base.clone();
            parts.push(format!("after={}", encode(&cursor_key(p))));
            format!("/office/projects?{}", parts.join("&"))
        })
    } else {
        None
    };
    let first = after.is_some().then(|| {
        if base.is_empty() {
            "/office/projects".to_owned()
        } else {
            format!("/office/projects?{}", base.join("&"))
        }
    });
    let tr = &ctx.tr;
    let rows = rows
        .into_iter()
        .map(|(p, a)| {
            let title = p.title(a).to_owned();
            ListRow {
                code_name: (title != p.code_name).then(|| p.code_name.clone()),
                title,
                stage: p.stage.as_str(),
                stage_label: stage_label(tr, p.stage),
                days: days_text(tr, days_since(&p.stage_since)),
                owner_name: p.owner_name.clone(),
                updated: local_date(ctx.lang, &p.updated_at),
                id: p.id,
            }
        })
        .collect();
    let stages = move_options(tr, &Stage::ALL);
    render(&ListPage {
        rows,
        stages,
        staff,
        stage,
        owner,
        q: filter.q.unwrap_or_default(),
        mine: filter.mine,
        next,
        first,
        ctx,
    })
}

// ---- The summary ----

/// A fact of the summary: label and value.
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One stay in a stage, for the history table.
struct StayRow {
    stage: String,
    entered: String,
    left: String,
    days: String,
    reason: String,
}

/// One entry of the timeline, phrased.
pub struct TimelineRow {
    /// The timestamp, for `<time datetime>`.
    pub at: String,
    pub date: String,
    pub text: String,
    /// The reason or note that came with it.
    pub note: String,
    pub actor: String,
}

#[derive(Template)]
#[template(path = "office/summary.html")]
struct SummaryPage {
    ctx: PageCtx,
    // The tabs partial's variables.
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    p: Project,
    access: Access,
    stage_name: String,
    days: String,
    held_from: Option<String>,
    facts: Vec<Fact>,
    requirements: Vec<Fact>,
    history: Vec<StayRow>,
    moves: Vec<(String, String)>,
    /// The stage preselected in the move form (`?to=`).
    chosen: String,
    /// The stages that need a reason, by name.
    reason_stages: String,
    timeline: Vec<TimelineRow>,
    /// The timeline shows only the stage moves and changes (staff outside a confidential project).
    limited: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SummaryQuery {
    to: String,
}

/// The message ids of the timeline's events (`office-event-{kind}`) in the catalogues.
static EVENT_KEYS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    I18n::ids(Lang::Es)
        .into_iter()
        .filter(|k| k.starts_with("office-event-"))
        .collect()
});

/// Keys of an event's detail that hold a stage's name.
const STAGE_KEYS: [&str; 4] = ["stage", "from", "to", "held_from"];

/// An event phrased in the page's language: its message with the detail's
/// fields as arguments (stage names and field names translated), or a neutral
/// sentence for a kind without a message.
pub fn event_text(tr: &Tr, kind: &str, detail: &Value) -> String {
    let key = format!("office-event-{kind}");
    if !EVENT_KEYS.contains(&key) {
        return tr.t("office-event-other").to_owned();
    }
    let mut args: Vec<(String, FluentValue<'static>)> = Vec::new();
    if let Value::Object(m) = detail {
        for (k, v) in m {
            let value: FluentValue<'static> = match v {
                Value::String(s) if STAGE_KEYS.contains(&k.as_str()) => match Stage::parse(s) {
                    Some(st) => stage_label(tr, st).into(),
                    None => s.clone().into(),
                },
                Value::String(s) if k == "fields" => s
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(|f| field_label(tr, f))
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
                Value::String(s) => s.clone().into(),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => i.into(),
                    None => n.as_f64().unwrap_or_default().into(),
                },
                Value::Bool(b) => tr
                    .t(if *b { "office-yes" } else { "office-no" })
                    .to_owned()
                    .into(),
                Value::Null => String::new().into(),
                other => other.to_string().into(),
            };
            args.push((k.clone(), value));
        }
    }
    let refs: Vec<(&str, FluentValue<'_>)> =
        args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    tr.tn(&key, &refs)
}

/// A field of the project by its label (the timeline names changed fields).
pub fn field_label(tr: &Tr, field: &str) -> String {
    let key = format!("office-f-{field}");
    if FIELD_KEYS.contains(&key) {
        tr.t(&key).to_owned()
    } else {
        field.to_owned()
    }
}

static FIELD_KEYS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    I18n::ids(Lang::Es)
        .into_iter()
        .filter(|k| k.starts_with("office-f-"))
        .collect()
});

/// The timeline rows of events.
pub fn timeline_rows(tr: &Tr, lang: Lang, events: Vec<ProjectEvent>) -> Vec<TimelineRow> {
    events
        .into_iter()
        .map(|e| TimelineRow {
            text: event_text(tr, &e.kind, &e.detail),
            note: e
                .detail
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            date: local_date(lang, &e.at),
            actor: e.actor_name.unwrap_or_default(),
            at: e.at,
        })
        .collect()
}

fn money(lang: Lang, v: Option<f64>) -> Option<String> {
    v.map(|x| format!("{} €", crate::sites::pages::num(lang, x, 2)))
}

fn jobs(lang: Lang, v: Option<i64>) -> Option<String> {
    v.map(|x| crate::sites::pages::num(lang, x as f64, 0))
}

/// The site requirements, one line per criterion.
fn requirement_facts(state: &AppState, tr: &Tr, lang: Lang, p: &Project) -> Vec<Fact> {
    let r = p.match_request();
    let n = |x: f64| crate::sites::pages::num(lang, x, 2);
    let imp = |i: crate::sites::api::ImportanceDto| {
        tr.t(match i {
            crate::sites::api::ImportanceDto::Required => "match-required",
            crate::sites::api::ImportanceDto::Preferred => "match-preferred",
        })
        .to_owned()
    };
    let mut out = Vec::new();
    let mut push = |label: &str, value: String, i| {
        out.push(Fact {
            label: tr.t(label).to_owned(),
            value: format!("{value} ({})", imp(i)),
        })
    };
    if let Some(a) = &r.area_m2 {
        let v = match (a.min, a.max) {
            (Some(lo), Some(hi)) => format!("{}–{} m²", n(lo), n(hi)),
            (Some(lo), None) => format!("≥ {} m²", n(lo)),
            (None, Some(hi)) => format!("≤ {} m²", n(hi)),
            (None, None) => String::new(),
        };
        if !v.is_empty() {
            push("office-req-area", v, a.importance);
        }
    }
    if let Some(u) = &r.use_cnae {
        push(
            "match-use",
            besaya_domain::directory::display_cnae(&u.cnae),
            u.importance,
        );
    }
    if let Some(c) = &r.power_kva {
        push("match-power", n(c.min), c.importance);
    }
    if let Some(c) = &r.rail_siding {
        push(
            "site-f-rail_siding",
            tr.t("office-yes").to_owned(),
            c.importance,
        );
    }
    if let Some(c) = &r.gas {
        push("site-f-gas", tr.t("office-yes").to_owned(), c.importance);
    }
    if let Some(c) = &r.water_m3_day {
        push("match-water", n(c.min), c.importance);
    }
    if let Some(c) = &r.port_km {
        push("match-port", n(c.max), c.importance);
    }
    if let Some(c) = &r.motorway_km {
        push("match-motorway", n(c.max), c.importance);
    }
    if let Some(c) = &r.sale_price_m2 {
        push("match-sale", n(c.max), c.importance);
    }
    if let Some(c) = &r.rent_m2_month {
        push("match-rent", n(c.max), c.importance);
    }
    if let Some(d) = &r.available_by {
        push(
            "match-available-by",
            local_date(lang, &d.date),
            d.importance,
        );
    }
    if let Some(m) = &r.municipalities {
        let names: Vec<String> = m
            .codes
            .iter()
            .map(|c| {
                state
                    .catalog
                    .municipality(c)
                    .map_or_else(|| c.clone(), |m| m.name.clone())
            })
            .collect();
        push("match-municipalities", names.join(", "), m.importance);
    }
    out
}

/// Names of users by id.
async fn user_names(
    state: &AppState,
    ids: &[String],
) -> Result<HashMap<String, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = crate::db::Sql::new("SELECT id, name FROM users WHERE id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(id.clone());
    }
    sql.push(")");
    let (text, args) = sql.build()?;
    let rows: Vec<(String, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(state.db.reader())
        .await?;
    Ok(rows.into_iter().collect())
}

/// The title of a project document.
async fn document_title(state: &AppState, id: Option<&str>) -> Result<Option<String>, sqlx::Error> {
    let Some(id) = id else { return Ok(None) };
    sqlx::query_scalar("SELECT title FROM project_documents WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.reader())
        .await
}

async fn summary(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (p, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let q: SummaryQuery = parse_query(raw.as_deref());
    let scope = EventScope::of(access);
    let loaded = async {
        let history = api::stage_views(state.db.reader(), &id).await?;
        let events = api::timeline(state.db.reader(), &id, scope, None, TIMELINE_MAX).await?;
        let names = user_names(&state, &p.team).await?;
        let inv_doc = document_title(&state, p.investment_evidence_doc_id.as_deref()).await?;
        let jobs_doc = document_title(&state, p.jobs_evidence_doc_id.as_deref()).await?;
        Ok::<_, sqlx::Error>((history, events, names, inv_doc, jobs_doc))
    }
    .await;
    let (history, events, names, inv_doc, jobs_doc) = match loaded {
        Ok(l) => l,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = &ctx.tr;
    let lang = ctx.lang;
    let unknown = || tr.t("office-unknown").to_owned();
    let mut facts = vec![Fact {
        label: tr.t("office-f-code_name").to_owned(),
        value: p.code_name.clone(),
    }];
    if access.see_investor {
        facts.push(Fact {
            label: tr.t("office-f-investor_org_id").to_owned(),
            value: p.investor_name.clone().unwrap_or_else(unknown),
        });
    }
    facts.push(Fact {
        label: tr.t("office-f-cnae_code").to_owned(),
        value: p
            .cnae_code
            .as_deref()
            .map(|c| {
                let title = ["2025", "2009"]
                    .iter()
                    .filter_map(|v| crate::reference::catalog::cnae_version(v))
                    .find_map(|v| state.catalog.cnae(v, c))
                    .map(|x| match lang {
                        Lang::Es => x.title_es.clone(),
                        Lang::En => x.title_en.clone(),
                    });
                let code = besaya_domain::directory::display_cnae(c);
                match title {
                    Some(t) if !t.is_empty() => format!("{code} · {t}"),
                    _ => code,
                }
            })
            .unwrap_or_else(unknown),
    });
    facts.push(Fact {
        label: tr.t("office-f-owner_id").to_owned(),
        value: p.owner_name.clone(),
    });
    facts.push(Fact {
        label: tr.t("office-f-team").to_owned(),
        value: if p.team.is_empty() {
            tr.t("office-team-none").to_owned()
        } else {
            p.team
                .iter()
                .map(|t| names.get(t).cloned().unwrap_or_else(|| t.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        },
    });
    facts.push(Fact {
        label: tr.t("office-f-confidential").to_owned(),
        value: tr
            .t(if p.confidential {
                "office-yes"
            } else {
                "office-no"
            })
            .to_owned(),
    });
    let verified = |amount: Option<String>, on: &Option<String>, doc: Option<String>| -> String {
        match amount {
            None => unknown(),
            Some(a) => {
                let mut s = a;
                if let Some(d) = on {
                    s.push_str(&format!(
                        " · {}",
                        tr.t1("office-verified-on", "date", local_date(lang, d))
                    ));
                }
                if let Some(d) = doc {
                    s.push_str(&format!(" · {}", tr.t1("office-evidence", "title", d)));
                }
                s
            }
        }
    };
    facts.push(Fact {
        label: tr.t("office-f-investment_committed_eur").to_owned(),
        value: money(lang, p.investment_committed_eur).unwrap_or_else(unknown),
    });
    facts.push(Fact {
        label: tr.t("office-f-investment_verified_eur").to_owned(),
        value: verified(
            money(lang, p.investment_verified_eur),
            &p.investment_verified_on,
            inv_doc,
        ),
    });
    facts.push(Fact {
        label: tr.t("office-f-jobs_committed").to_owned(),
        value: jobs(lang, p.jobs_committed).unwrap_or_else(unknown),
    });
    facts.push(Fact {
        label: tr.t("office-f-jobs_verified").to_owned(),
        value: verified(jobs(lang, p.jobs_verified), &p.jobs_verified_on, jobs_doc),
    });
    facts.push(Fact {
        label: tr.t("office-f-created_at").to_owned(),
        value: local_date(lang, &p.created_at),
    });
    let requirements = requirement_facts(&state, tr, lang, &p);
    let history = history
        .into_iter()
        .map(|s| StayRow {
            stage: Stage::parse(&s.stage).map_or_else(|| s.stage.clone(), |st| stage_label(tr, st)),
            entered: local_date(lang, &s.entered_at),
            left: s.left_at.as_deref().map_or_else(
                || tr.t("office-stage-current").to_owned(),
                |l| local_date(lang, l),
            ),
            days: days_text(tr, s.days),
            reason: s.reason.unwrap_or_default(),
        })
        .collect();
    let moves = if access.edit {
        move_options(tr, &p.allowed_moves())
    } else {
        Vec::new()
    };
    let chosen = moves
        .iter()
        .find(|(v, _)| *v == q.to)
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let reason_stages = format!(
        "{}, {}",
        stage_label(tr, Stage::OnHold),
        stage_label(tr, Stage::Lost)
    );
    let timeline = timeline_rows(tr, lang, events);
    render(&SummaryPage {
        project_id: p.id.clone(),
        project_title: p.title(access).to_owned(),
        tab: "summary",
        portal: false,
        stage_name: stage_label(tr, p.stage),
        days: days_text(tr, days_since(&p.stage_since)),
        held_from: p.held_from.map(|h| stage_label(tr, h)),
        facts,
        requirements,
        history,
        moves,
        chosen,
        reason_stages,
        timeline,
        limited: scope == EventScope::Open,
        access,
        p,
        ctx,
    })
}
