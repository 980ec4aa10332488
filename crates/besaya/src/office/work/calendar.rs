//! A private calendar (ICS) feed per user at `/calendar/{token}.ics`: no login,
//! a 256-bit random secret in the address, stored only as its SHA-256. The
//! page `/account/calendar` creates it (the address is shown then, and never
//! again), replaces it with a new address, or revokes it (the old one answers 404).
//!
//! The feed holds the user's open tasks (all-day events on their due day) and
//! the meetings and visits of the projects the user works on — for the office,
//! those they own or are on the team of; for an investor, its own projects' —
//! from 180 days ago on, each named as the user may see the project (the code
//! name for anyone who may not see the investor) — and the legal due dates of
//! the running procedures the user follows (`procedures::dashboard::feed_events`:
//! pact members get those assigned to their administrations), and the meetings
//! of the pact's working groups (`pact::meetings::ics::feed_events`: a
//! representative's groups, the secretariat's all; cancelled ones marked so
//! calendars update). Internal notes
//! never go to the feed: calendar services keep copies.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use super::ics::{self, Event, When};
use super::pages::long_time;
use super::store::{self, CALENDAR_KINDS};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User, secret};
use crate::db::{self, Audit, Changes};
use crate::i18n::Tr;
use crate::office::{policy, projects};
use crate::web::page::{PageCtx, flash_cookie, redirect_with, render};

/// How far back meetings and visits go in the feed.
const PAST_DAYS: i64 = 180;
/// A meeting without a duration lasts this long in the calendar.
const DEFAULT_MINUTES: i64 = 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar/{file}", get(feed))
        .route("/account/calendar", get(calendar_page).post(create_feed))
        .route("/account/calendar/revoke", post(revoke_feed))
}

// ---- The feed ----

/// The user a feed's token belongs to (active users only).
pub async fn feed_user(state: &AppState, token: &str) -> Result<Option<User>, sqlx::Error> {
    if !secret::looks_like_token(token) {
        return Ok(None);
    }
    let user_id: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
            .bind(secret::hash(token))
            .fetch_optional(state.db.reader())
            .await?;
    match user_id {
        Some(id) => crate::users::store::get(state.db.reader(), &id).await,
        None => Ok(None),
    }
}

/// The host of the public address, for the events' UIDs.
fn host(state: &AppState) -> String {
    let base = state.config.public_base();
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split('/').next().unwrap_or("besaya").to_owned()
}

#[derive(sqlx::FromRow)]
struct TaskItem {
    id: String,
    project_id: String,
    title: String,
    due_on: String,
    version: i64,
    updated_at: String,
}

#[derive(sqlx::FromRow)]
struct MeetingItem {
    id: String,
    project_id: String,
    kind: String,
    occurred_at: String,
    duration_minutes: Option<i64>,
    subject: String,
    people: String,
    location: Option<String>,
    version: i64,
    updated_at: String,
}

/// The ids of the projects whose meetings and visits go to `user`'s feed.
async fn feed_projects(state: &AppState, user: &User) -> Result<Vec<String>, sqlx::Error> {
    let pool = state.db.reader();
    if policy::is_office(user) {
        sqlx::query_scalar(
            "SELECT p.id FROM projects p WHERE p.owner_id = $1 \
             OR EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = p.id AND t.user_id = $2) ORDER BY p.id",
        )
        .bind(&user.id)
        .bind(&user.id)
        .fetch_all(pool)
        .await
    } else if policy::is_investor(user) && !user.organization_ids.is_empty() {
        let mut sql = db::Sql::new("SELECT id FROM projects WHERE investor_org_id IN (");
        for (i, o) in user.organization_ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(o.clone());
        }
        sql.push(") ORDER BY id");
        let (text, args) = sql.build()?;
        sqlx::query_scalar_with(&text, args).fetch_all(pool).await
    } else {
        Ok(Vec::new())
    }
}

async fn meetings_of(
    state: &AppState,
    project_ids: &[String],
    since: &str,
) -> Result<Vec<MeetingItem>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in project_ids.chunks(500) {
        let mut sql = db::Sql::new(
            "SELECT id, project_id, kind, occurred_at, duration_minutes, subject, people, location, version, updated_at \
             FROM interactions WHERE occurred_at >= ",
        );
        sql.bind(since.to_owned()).push(" AND kind IN (");
        for (i, k) in CALENDAR_KINDS.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind((*k).to_owned());
        }
        sql.push(") AND project_id IN (");
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(p.clone());
        }
        sql.push(") ORDER BY occurred_at, id");
        let (text, args) = sql.build()?;
        let rows: Vec<MeetingItem> = sqlx::query_as_with(&text, args)
            .fetch_all(state.db.reader())
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The feed of `user` as iCalendar text, in the user's language.
pub async fn feed_for(
    state: &AppState,
    user: &User,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let tr = Tr::new(state.i18n.clone(), user.lang);
    let pool = state.db.reader();
    let tasks: Vec<TaskItem> = sqlx::query_as(
        "SELECT id, project_id, title, due_on, version, updated_at FROM tasks \
         WHERE owner_id = $1 AND done_at IS NULL ORDER BY due_on, id",
    )
    .bind(&user.id)
    .fetch_all(pool)
    .await?;
    let since = db::timestamp(now - time::Duration::days(PAST_DAYS));
    let project_ids = feed_projects(state, user).await?;
    let meetings = meetings_of(state, &project_ids, &since).await?;
    // Each project once: its name as this user may see it (None: not for this user).
    let mut titles: Vec<(String, Option<String>)> = Vec::new();
    let mut conn = pool.acquire().await?;
    for pid in tasks
        .iter()
        .map(|t| &t.project_id)
        .chain(meetings.iter().map(|m| &m.project_id))
    {
        if titles.iter().any(|(p, _)| p == pid) {
            continue;
        }
        let title = projects::get(&mut conn, pid)
            .await?
            .and_then(|p| policy::access(user, &p.case()).map(|a| p.title(a).to_owned()));
        titles.push((pid.clone(), title));
    }
    drop(conn);
    let title_of = |pid: &str| {
        titles
            .iter()
            .find(|(p, _)| p == pid)
            .and_then(|(_, t)| t.clone())
    };
    let base = state.config.public_base();
    let link = |pid: &str| {
        if policy::is_investor(user) {
            format!("{base}/portal/projects/{pid}")
        } else {
            format!("{base}/office/projects/{pid}/activity")
        }
    };
    let host = host(state);
    let stamp = |s: &str| super::madrid::parse_stored(s);
    let mut events = Vec::new();
    for t in &tasks {
        let (Some(project), Some(day)) = (title_of(&t.project_id), store::day(&t.due_on)) else {
            continue;
        };
        events.push(Event {
            uid: format!("task-{}@{host}", t.id),
            when: When::Day(day),
            summary: tr.tn(
                "office-work-ics-task",
                &[
                    ("title", t.title.clone().into()),
                    ("project", project.into()),
                ],
            ),
            description: link(&t.project_id),
            location: None,
            url: Some(link(&t.project_id)),
            last_modified: stamp(&t.updated_at),
            sequence: t.version - 1,
            busy: false,
        });
    }
    for m in &meetings {
        let (Some(project), Some(from)) = (title_of(&m.project_id), stamp(&m.occurred_at)) else {
            continue;
        };
        let minutes = m.duration_minutes.unwrap_or(DEFAULT_MINUTES).clamp(1, 1440);
        let mut description = String::new();
        if !m.people.trim().is_empty() {
            description.push_str(&tr.t1("office-work-ics-people", "people", m.people.clone()));
            description.push('\n');
        }
        description.push_str(&link(&m.project_id));
        events.push(Event {
            uid: format!("interaction-{}@{host}", m.id),
            when: When::Timed(from, from + time::Duration::minutes(minutes)),
            summary: tr.tn(
                "office-work-ics-interaction",
                &[
                    (
                        "kind",
                        tr.t(&format!("office-work-kind-{}", m.kind))
                            .to_owned()
                            .into(),
                    ),
                    ("subject", m.subject.clone().into()),
                    ("project", project.into()),
                ],
            ),
            description,
            location: m.location.clone(),
            url: Some(link(&m.project_id)),
            last_modified: stamp(&m.updated_at),
            sequence: m.version - 1,
            busy: true,
        });
    }
    // The legal due dates of running procedures (see `procedures::dashboard`).
    events.extend(
        crate::office::procedures::dashboard::feed_events(
            pool,
            user,
            &project_ids,
            &tr,
            base,
            &host,
            (now - time::Duration::days(PAST_DAYS)).date(),
        )
        .await?,
    );
    // The meetings of the pact's working groups (`pact::meetings::ics`).
    let seat = crate::pact::alliance::seat(&state.db, Some(user), super::madrid::today()).await?;
    let mut conn = pool.acquire().await?;
    events.extend(
        crate::pact::meetings::ics::feed_events(&mut conn, &seat, &tr, base, &host, &since).await?,
    );
    drop(conn);
    let name = tr.t1("office-work-ics-name", "name", user.name.clone());
    Ok(ics::calendar(&name, &events, now))
}

async fn feed(State(state): State<AppState>, ctx: PageCtx, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return ctx.not_found().into_response();
    };
    let user = match feed_user(&state, token).await {
        Ok(Some(u)) => u,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    match feed_for(&state, &user, OffsetDateTime::now_utc()).await {
        Ok(body) => {
            let mut res = body.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"besaya.ics\""),
            );
            h.insert(
                "x-robots-tag",
                HeaderValue::from_static("noindex, nofollow"),
            );
            res
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The account page ----

#[derive(Template)]
#[template(path = "office/work/calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    /// When the feed in force was made (`None`: no feed).
    since: Option<String>,
    /// The address just made: shown this once.
    new_url: Option<String>,
}

#[derive(Deserialize)]
struct Empty {}

async fn created_at(state: &AppState, user: &User) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
        .bind(&user.id)
        .fetch_optional(state.db.reader())
        .await
}

async fn page(state: &AppState, user: &User, ctx: PageCtx, new_url: Option<String>) -> Response {
    match created_at(state, user).await {
        Ok(since) => {
            let since = since.map(|s| long_time(&ctx.tr, &s));
            render(&CalendarPage {
                ctx,
                since,
                new_url,
            })
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn calendar_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    page(&state, &user, ctx, None).await
}

/// Makes a new address (replacing the one in force, if any).
async fn create_feed(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let token = secret::random_token();
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let old = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        let now = db::now();
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&user.id)
        .bind(secret::hash(&token))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        Audit {
            actor: Some(&user.id),
            entity: "calendar_feed",
            entity_id: &user.id,
            action: if old.rows_affected() > 0 {
                "replace"
            } else {
                "create"
            },
            changes: Changes::new().created("created_at", now.as_str()),
        }
        .record(&mut tx)
        .await?;
        tx.commit().await
    }
    .await;
    match done {
        // Shown once, on this page; only its hash is kept.
        Ok(()) => {
            let url = format!("{}/calendar/{token}.ics", state.config.public_base());
            page(&state, &user, ctx, Some(url)).await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn revoke_feed(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let gone = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() > 0 {
            Audit {
                actor: Some(&user.id),
                entity: "calendar_feed",
                entity_id: &user.id,
                action: "revoke",
                changes: Changes::new(),
            }
            .record(&mut tx)
            .await?;
        }
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => redirect_with(
            "/account/calendar",
            &[flash_cookie("flash-work-calendar-revoked")],
        ),
        Err(e) => ctx.fail(e).into_response(),
    }
}
