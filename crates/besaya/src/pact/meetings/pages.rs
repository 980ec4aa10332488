//! The meetings on pages:
//!
//! - `/pact/meetings`: upcoming first (soonest first), then past (latest
//!   first), filtered by group;
//! - `/pact/groups/{id}/meetings/new`, `/pact/meetings/{id}/edit`: the form
//!   (day, start and end time in Madrid; errors next to the fields; a stale
//!   version says so);
//! - `/pact/meetings/{id}`: facts, moves, agenda, convocation and minutes by
//!   e-mail, documents, minutes, attendance (checklist of the representatives of
//!   the group's current members plus guests), agreements (with the commitment
//!   made from each, or "turn into a commitment" for the secretariat), the
//!   commitments decided or reviewed there;
//! - `/pact/meetings/{id}/calendar.ics`.
//!
//! Seats only (404 otherwise; anonymous visitors log in). Plain forms with the
//! CSRF token and POST-redirect-GET.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::alliance::MeetingStatus;
use serde::Deserialize;
use time::OffsetDateTime;

use super::model::{Attendance, AttendeeInput, Meeting, MeetingInput};
use super::store::{self, Filter, WriteError};
use crate::AppState;
use crate::auth::SignedIn;
use crate::auth::User;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::db::in_tx;
use crate::i18n::Tr;
use crate::office::portal::api::{self as papi, FileProblem, accepted_kinds};
use crate::office::work::madrid;
use crate::office::work::pages::long_time;
use crate::pact::alliance::{self, Seat};
use crate::pact::pages::{field, version_of};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Meetings per part of the list.
const LIST_MAX: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/meetings", get(list_page))
        .route(
            "/pact/groups/{gid}/meetings/new",
            get(new_page).post(create),
        )
        .route("/pact/meetings/{id}", get(detail_page))
        .route("/pact/meetings/{id}/edit", get(edit_page).post(update))
        .route("/pact/meetings/{id}/status", post(status))
        .route("/pact/meetings/{id}/minutes", post(minutes))
        .route("/pact/meetings/{id}/minutes/send", post(minutes_send))
        .route("/pact/meetings/{id}/invitations", post(invitations))
        .route("/pact/meetings/{id}/attendance", post(attendance))
        .route("/pact/meetings/{id}/agreements", post(agreement_add))
        .route("/pact/meetings/{id}/agreements/{aid}", post(agreement_edit))
        .route(
            "/pact/meetings/{id}/agreements/{aid}/delete",
            post(agreement_delete),
        )
        .route(
            "/pact/meetings/{id}/documents",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/pact/meetings/{id}/documents/{did}", get(download))
        .route("/pact/meetings/{id}/calendar.ics", get(calendar))
}

// ---- Shared ----

/// The user's seat, or the 404 page for a user without one.
async fn seat_of(state: &AppState, user: &User, ctx: &PageCtx) -> Result<Seat, Response> {
    match alliance::seat(&state.db, Some(user), madrid::today()).await {
        Ok(s) if s.in_workspace() => Ok(s),
        Ok(_) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

async fn found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Seat, Meeting), Response> {
    let seat = seat_of(state, user, ctx).await?;
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        store::get(&mut conn, &seat, id).await
    }
    .await;
    match r {
        Ok(Some(m)) => Ok((seat, m)),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

fn status_label(tr: &Tr, s: &str) -> String {
    tr.t(&format!("pact-meet-status-{s}")).to_owned()
}

fn when(state: &AppState, tr: &Tr, m: &Meeting) -> String {
    super::mail::when_text(&state.i18n, tr.lang, &m.starts_at, &m.ends_at)
}

/// A write refused, for the simple actions: back to the page (404, 403, or an
/// error shown as the page's notice).
fn refused_simple(ctx: PageCtx, e: WriteError, id: &str) -> Response {
    match e {
        WriteError::NotFound => ctx.not_found().into_response(),
        WriteError::Forbidden => PageError::page(ctx, StatusCode::FORBIDDEN),
        WriteError::Conflict(_) => redirect_with(
            &format!("/pact/meetings/{id}"),
            &[flash_cookie("flash-pact-meet-conflict")],
        ),
        WriteError::Invalid(_) | WriteError::Transition { .. } => redirect_with(
            &format!("/pact/meetings/{id}"),
            &[flash_cookie("flash-pact-meet-refused")],
        ),
        other => ctx.fail(anyhow::anyhow!("{other}")).into_response(),
    }
}

type Done<T> = Result<Result<T, WriteError>, sqlx::Error>;

/// After a simple action: back to the meeting's page at `anchor` with `flash`,
/// or the refusal.
fn settled<T>(ctx: PageCtx, done: Done<T>, id: &str, anchor: &str, flash: &str) -> Response {
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/meetings/{id}{anchor}"),
            &[flash_cookie(flash)],
        ),
        Ok(Err(e)) => refused_simple(ctx, e, id),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// After a form on the meeting's page: like `settled`, but refused input shows
/// the page again (422) with the messages next to `field` and what was typed
/// put back by `fill`.
#[allow(clippy::too_many_arguments)]
async fn settled_form<T>(
    state: &AppState,
    ctx: PageCtx,
    seat: &Seat,
    m: &Meeting,
    done: Done<T>,
    (anchor, flash): (&str, &str),
    field: &str,
    fill: impl FnOnce(&mut DetailPage),
) -> Response {
    match done {
        Ok(Err(WriteError::Invalid(e))) => {
            let errs = e
                .iter()
                .map(|i| (field.to_owned(), i.message(&ctx.tr)))
                .collect();
            detail_with_errors(
                state,
                ctx,
                seat,
                m,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
                fill,
            )
            .await
        }
        other => settled(ctx, other, &m.id, anchor, flash),
    }
}

// ---- The list ----

pub struct MeetingRow {
    pub url: String,
    pub reference: String,
    pub title: String,
    pub group: String,
    pub when: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "pact/meetings/list.html")]
struct ListPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    groups: Vec<(String, String)>,
    group: String,
    /// (url, name) of the groups this user may schedule meetings for.
    may_schedule: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    group: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let seat = match seat_of(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let group = q.group.unwrap_or_default();
    let now = crate::db::now();
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        let base = Filter {
            group_id: Some(group.clone()).filter(|g| !g.is_empty()),
            limit: LIST_MAX,
            ..Filter::default()
        };
        let upcoming = store::list(
            &mut conn,
            &seat,
            &Filter {
                from: Some(now.clone()),
                ..base.clone()
            },
        )
        .await?;
        let past = store::list(
            &mut conn,
            &seat,
            &Filter {
                to: Some(now.clone()),
                descending: true,
                ..base
            },
        )
        .await?;
        let groups: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, name, chair_member_id FROM pact_groups WHERE archived_at IS NULL ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok::<_, sqlx::Error>((upcoming, past, groups))
    }
    .await;
    let (upcoming, past, groups) = match r {
        Ok(x) => x,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let row = |m: &Meeting| MeetingRow {
        url: format!("/pact/meetings/{}", m.id),
        reference: m.reference.clone(),
        title: m.title.clone(),
        group: m.group_name.clone(),
        when: when(&state, &tr, m),
        status: m.status.clone(),
        status_label: status_label(&tr, &m.status),
    };
    render(&ListPage {
        in_workspace: true,
        nav: "meetings",
        upcoming: upcoming.iter().map(row).collect(),
        past: past.iter().map(row).collect(),
        may_schedule: groups
            .iter()
            .filter(|(_, _, chair)| seat.runs_group(chair.as_deref()))
            .map(|(id, name, _)| (format!("/pact/groups/{id}/meetings/new"), name.clone()))
            .collect(),
        groups: groups.into_iter().map(|(id, name, _)| (id, name)).collect(),
        group,
        ctx,
    })
}

// ---- The form ----

#[derive(Debug, Clone, Default)]
pub struct MeetingForm {
    pub title: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub agenda: String,
    pub version: i64,
}

impl MeetingForm {
    fn of(m: &Meeting) -> Self {
        let (date, start) = split_local(&m.starts_at);
        let (_, end) = split_local(&m.ends_at);
        Self {
            title: m.title.clone(),
            date,
            start_time: start,
            end_time: end,
            place: m.place.clone(),
            agenda: m.agenda.clone(),
            version: m.version,
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        Self {
            title: field(pairs, "title").to_owned(),
            date: field(pairs, "date").trim().to_owned(),
            start_time: field(pairs, "start_time").trim().to_owned(),
            end_time: field(pairs, "end_time").trim().to_owned(),
            place: field(pairs, "place").to_owned(),
            agenda: field(pairs, "agenda").to_owned(),
            version: version_of(pairs),
        }
    }

    /// The store's input and the errors of the day and times (checked here).
    fn input(&self, tr: &Tr, keep_minutes: &str) -> (MeetingInput, FormErrors) {
        let mut errors = FormErrors::default();
        let day = besaya_domain::directory::parse_date(&self.date);
        if self.date.is_empty() {
            errors.add("date", tr.t("pact-err-required"));
        } else if day.is_none() {
            errors.add(
                "date",
                tr.t1("pact-err-invalid_date", "value", self.date.clone()),
            );
        }
        let mut at = |name: &str, v: &str| -> String {
            if v.is_empty() {
                errors.add(name, tr.t("pact-err-required"));
                return String::new();
            }
            if !is_time(v) {
                errors.add(
                    name,
                    tr.t1("pact-err-meet_invalid_time", "value", v.to_owned()),
                );
                return String::new();
            }
            match day {
                Some(_) => format!("{}T{v}", self.date),
                None => String::new(),
            }
        };
        let starts_at = at("start_time", &self.start_time);
        let ends_at = at("end_time", &self.end_time);
        (
            MeetingInput {
                title: self.title.clone(),
                starts_at,
                ends_at,
                place: self.place.clone(),
                agenda: self.agenda.clone(),
                minutes: keep_minutes.to_owned(),
            },
            errors,
        )
    }
}

fn is_time(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

/// A stored time as Madrid's (`2026-12-01`, `10:00`).
fn split_local(stored: &str) -> (String, String) {
    match madrid::parse_stored(stored) {
        Some(t) => {
            let v = madrid::input_value(t);
            match v.split_once('T') {
                Some((d, h)) => (d.to_owned(), h.to_owned()),
                None => (v, String::new()),
            }
        }
        None => (String::new(), String::new()),
    }
}

/// The form's field of a store's field.
fn form_field(f: &str) -> &str {
    match f {
        "starts_at" => "start_time",
        "ends_at" => "end_time",
        other => other,
    }
}

#[derive(Template)]
#[template(path = "pact/meetings/form.html")]
struct FormPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    heading: String,
    action: String,
    back: (String, String),
    group_name: String,
    form: MeetingForm,
    errors: FormErrors,
    notice: Option<String>,
}

async fn group_of(
    state: &AppState,
    gid: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    if !store::plausible_id(gid) {
        return Ok(None);
    }
    sqlx::query_as("SELECT name, chair_member_id FROM pact_groups WHERE id = $1")
        .bind(gid)
        .fetch_optional(state.db.reader())
        .await
}

async fn new_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(gid): Path<String>,
) -> Response {
    let seat = match seat_of(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (name, chair) = match group_of(&state, &gid).await {
        Ok(Some(g)) => g,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    if !seat.runs_group(chair.as_deref()) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let heading = ctx.tr.t("pact-meet-new-title").to_owned();
    render(&FormPage {
        in_workspace: true,
        nav: "meetings",
        heading,
        action: format!("/pact/groups/{gid}/meetings/new"),
        back: (format!("/pact/groups/{gid}"), name.clone()),
        group_name: name,
        form: MeetingForm {
            version: 1,
            ..MeetingForm::default()
        },
        errors: FormErrors::default(),
        notice: None,
        ctx,
    })
}

fn form_errors(tr: &Tr, mut errors: FormErrors, e: &[crate::pact::Invalid]) -> FormErrors {
    for i in e {
        let f = form_field(&i.field);
        // A bad day already explains why the times are missing.
        let moot = f != i.field && errors.has("date");
        if !errors.has(f) && !moot {
            errors.add(f, i.message(tr));
        }
    }
    errors
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(gid): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seat_of(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let name = match group_of(&state, &gid).await {
        Ok(Some((n, _))) => n,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let form = MeetingForm::from_pairs(&pairs);
    let (input, local) = form.input(&ctx.tr, "");
    let done = in_tx!(state, |tx| store::create(
        &mut tx, &user.id, &seat, &gid, &input
    )
    .await);
    match done {
        Ok(Ok(id)) => redirect_with(
            &format!("/pact/meetings/{id}"),
            &[flash_cookie("flash-pact-meet-created")],
        ),
        Ok(Err(WriteError::Invalid(e))) => {
            let errors = form_errors(&ctx.tr, local, &e);
            let heading = ctx.tr.t("pact-meet-new-title").to_owned();
            let page = FormPage {
                in_workspace: true,
                nav: "meetings",
                heading,
                action: format!("/pact/groups/{gid}/meetings/new"),
                back: (format!("/pact/groups/{gid}"), name.clone()),
                group_name: name,
                form,
                errors,
                notice: None,
                ctx,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Ok(Err(e)) => refused_simple(ctx, e, ""),
        Err(e) => ctx.fail(e).into_response(),
    }
}

fn edit_form(ctx: PageCtx, m: &Meeting, form: MeetingForm) -> FormPage {
    let heading = ctx.tr.t("pact-meet-edit-title").to_owned();
    FormPage {
        in_workspace: true,
        nav: "meetings",
        heading,
        action: format!("/pact/meetings/{}/edit", m.id),
        back: (
            format!("/pact/meetings/{}", m.id),
            format!("{} {}", m.reference, m.title),
        ),
        group_name: m.group_name.clone(),
        form,
        errors: FormErrors::default(),
        notice: None,
        ctx,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (_, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !m.may_edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = MeetingForm::of(&m);
    render(&edit_form(ctx, &m, form))
}

async fn update(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = MeetingForm::from_pairs(&pairs);
    let (input, local) = form.input(&ctx.tr, &m.minutes);
    let done = in_tx!(state, |tx| store::update(
        &mut tx,
        &user.id,
        &seat,
        &id,
        form.version,
        &input
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/meetings/{id}"),
            &[flash_cookie("flash-pact-meet-updated")],
        ),
        Ok(Err(WriteError::Invalid(e))) => {
            let errors = form_errors(&ctx.tr, local, &e);
            let mut page = edit_form(ctx, &m, form);
            page.errors = errors;
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Ok(Err(WriteError::Conflict(_))) => {
            let notice = ctx.tr.t("pact-conflict").to_owned();
            let mut page = edit_form(ctx, &m, MeetingForm::of(&m));
            page.notice = Some(notice);
            (StatusCode::CONFLICT, render(&page)).into_response()
        }
        Ok(Err(e)) => refused_simple(ctx, e, &id),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- A meeting's page ----

pub struct RepRow {
    pub user_id: String,
    pub name: String,
    pub organization: String,
    pub checked: bool,
}

pub struct GuestRow {
    pub n: usize,
    pub name: String,
    pub organization_id: String,
}

pub struct AgreementRow {
    pub id: String,
    pub position: i64,
    pub reference: String,
    pub text: String,
    pub version: i64,
    /// (url, reference, title) of the commitment made from it.
    pub commitment: Option<(String, String, String)>,
    pub convert_url: String,
    /// The refusal of a change of its text, shown next to it.
    pub error: Option<String>,
    /// The text typed in a refused change.
    pub typed: String,
}

pub struct DocRow {
    pub url: String,
    pub name: String,
    pub size: String,
    pub uploaded: String,
}

pub struct LinkedRow {
    pub url: String,
    pub reference: String,
    pub title: String,
    pub role_label: String,
}

#[derive(Template)]
#[template(path = "pact/meetings/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    id: String,
    reference: String,
    title: String,
    group_url: String,
    group_name: String,
    when: String,
    place: String,
    status: String,
    status_label: String,
    agenda: Vec<String>,
    minutes: String,
    version: i64,
    invitations_sent: String,
    minutes_sent: String,
    may_edit: bool,
    secretariat: bool,
    held: bool,
    scheduled: bool,
    /// (status, button label).
    moves: Vec<(String, String)>,
    summary: String,
    attendees: Vec<(String, String)>,
    reps: Vec<RepRow>,
    guests: Vec<GuestRow>,
    orgs: Vec<(String, String)>,
    agreements: Vec<AgreementRow>,
    documents: Vec<DocRow>,
    commitments: Vec<LinkedRow>,
    accepted: String,
    errors: FormErrors,
    new_agreement: String,
}

fn size_text(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (n + 1023) / 1024)
    }
}

pub fn attendance_summary(tr: &Tr, a: &Attendance) -> String {
    tr.tn(
        "pact-meet-attendance-summary",
        &[
            ("people", a.people.into()),
            ("organizations", a.organizations.into()),
        ],
    )
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    seat: &Seat,
    m: &Meeting,
) -> Result<DetailPage, Response> {
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        let attendance = store::attendance(&mut conn, &m.id).await?;
        let agreements = store::agreements(&mut conn, &m.id).await?;
        let documents = store::documents(&mut conn, &m.id).await?;
        let linked = store::linked_commitments(&mut conn, &m.id).await?;
        let reps = store::representatives(&mut conn, &m.group_id, madrid::today()).await?;
        let orgs: Vec<(String, String)> = sqlx::query_as(
            "SELECT DISTINCT o.id, o.name FROM pact_members m JOIN organizations o ON o.id = m.organization_id \
             WHERE m.joined_on <= $1 AND (m.left_on IS NULL OR m.left_on > $1) ORDER BY o.name, o.id",
        )
        .bind(besaya_domain::directory::format_date(madrid::today()))
        .fetch_all(&mut *conn)
        .await?;
        Ok::<_, sqlx::Error>((attendance, agreements, documents, linked, reps, orgs))
    }
    .await;
    let (attendance, agreements, documents, linked, reps, orgs) = match r {
        Ok(x) => x,
        Err(e) => return Err(ctx.fail(e).into_response()),
    };
    let tr = ctx.tr.clone();
    let status = m.status();
    let mut guests: Vec<GuestRow> = attendance
        .attendees
        .iter()
        .filter(|a| a.user_id.is_none())
        .enumerate()
        .map(|(n, a)| GuestRow {
            n: n + 1,
            name: a.name.clone(),
            organization_id: a.organization_id.clone().unwrap_or_default(),
        })
        .collect();
    for _ in 0..2 {
        guests.push(GuestRow {
            n: guests.len() + 1,
            name: String::new(),
            organization_id: String::new(),
        });
    }
    Ok(DetailPage {
        in_workspace: true,
        nav: "meetings",
        id: m.id.clone(),
        reference: m.reference.clone(),
        title: m.title.clone(),
        group_url: format!("/pact/groups/{}", m.group_id),
        group_name: m.group_name.clone(),
        when: when(state, &tr, m),
        place: m.place.clone(),
        status: m.status.clone(),
        status_label: status_label(&tr, &m.status),
        agenda: besaya_domain::alliance::agenda_items(&m.agenda)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        minutes: m.minutes.clone(),
        version: m.version,
        invitations_sent: m
            .invitations_sent_at
            .as_deref()
            .map(|t| long_time(&tr, t))
            .unwrap_or_default(),
        minutes_sent: m
            .minutes_sent_at
            .as_deref()
            .map(|t| long_time(&tr, t))
            .unwrap_or_default(),
        may_edit: m.may_edit,
        secretariat: seat.secretariat,
        held: status == MeetingStatus::Held,
        scheduled: status == MeetingStatus::Scheduled,
        moves: m
            .allowed_moves
            .iter()
            .map(|s| (s.clone(), tr.t(&format!("pact-meet-move-{s}")).to_owned()))
            .collect(),
        summary: attendance_summary(&tr, &attendance),
        attendees: attendance
            .attendees
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.organization_name.clone().unwrap_or_default(),
                )
            })
            .collect(),
        reps: reps
            .iter()
            .map(|r| RepRow {
                checked: attendance
                    .attendees
                    .iter()
                    .any(|a| a.user_id.as_deref() == Some(r.user_id.as_str())),
                user_id: r.user_id.clone(),
                name: r.name.clone(),
                organization: r.organization_name.clone(),
            })
            .collect(),
        guests,
        orgs,
        agreements: agreements
            .iter()
            .map(|a| AgreementRow {
                id: a.id.clone(),
                position: a.position,
                reference: a.reference.clone(),
                text: a.text.clone(),
                version: a.version,
                commitment: a.commitment.as_ref().map(|c| {
                    (
                        format!("/pact/commitments/{}", c.id),
                        c.reference.clone(),
                        c.title.clone(),
                    )
                }),
                convert_url: format!("/pact/commitments/new?agreement={}", a.id),
                error: None,
                typed: a.text.clone(),
            })
            .collect(),
        documents: documents
            .iter()
            .map(|d| DocRow {
                url: format!("/pact/meetings/{}/documents/{}", m.id, d.id),
                name: d.file_name.clone(),
                size: size_text(d.size),
                uploaded: long_time(&tr, &d.uploaded_at),
            })
            .collect(),
        commitments: linked
            .iter()
            .map(|c| LinkedRow {
                url: format!("/pact/commitments/{}", c.id),
                reference: c.reference.clone(),
                title: c.title.clone(),
                role_label: tr.t(&format!("pact-meet-role-{}", c.role)).to_owned(),
            })
            .collect(),
        accepted: accepted_kinds(),
        errors: FormErrors::default(),
        new_agreement: String::new(),
        ctx,
    })
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match detail(&state, ctx, &seat, &m).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

/// The page again with errors next to a form's fields (422).
async fn detail_with_errors(
    state: &AppState,
    ctx: PageCtx,
    seat: &Seat,
    m: &Meeting,
    errors: Vec<(String, String)>,
    status: StatusCode,
    edit: impl FnOnce(&mut DetailPage),
) -> Response {
    match detail(state, ctx, seat, m).await {
        Ok(mut p) => {
            for (f, msg) in errors {
                p.errors.add(&f, msg);
            }
            edit(&mut p);
            (status, render(&p)).into_response()
        }
        Err(r) => r,
    }
}

async fn status(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, _) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let to = field(&pairs, "status").to_owned();
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::set_status(
        &mut tx, &user.id, &seat, &id, version, &to
    )
    .await);
    settled(ctx, done, &id, "", "flash-pact-meet-status")
}

async fn minutes(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let text = field(&pairs, "minutes").to_owned();
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::set_minutes(
        &mut tx, &user.id, &seat, &id, version, &text
    )
    .await);
    settled_form(
        &state,
        ctx,
        &seat,
        &m,
        done,
        ("#minutes", "flash-pact-meet-minutes"),
        "minutes",
        |p| p.minutes = text,
    )
    .await
}

async fn invitations(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, _) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let done = in_tx!(state, |tx| store::send_invitations(
        &state, &mut tx, &user.id, &seat, &id
    )
    .await);
    settled(ctx, done, &id, "", "flash-pact-meet-invitations-sent")
}

async fn minutes_send(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, _) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let done = in_tx!(state, |tx| store::send_minutes(
        &state, &mut tx, &user.id, &seat, &id
    )
    .await);
    settled(ctx, done, &id, "", "flash-pact-meet-minutes-sent")
}

async fn attendance(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut list: Vec<AttendeeInput> = pairs
        .iter()
        .filter(|(k, _)| k == "user")
        .map(|(_, v)| AttendeeInput {
            user_id: Some(v.clone()),
            ..AttendeeInput::default()
        })
        .collect();
    let names: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "guest_name")
        .map(|(_, v)| v.as_str())
        .collect();
    let orgs: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "guest_org")
        .map(|(_, v)| v.as_str())
        .collect();
    for (i, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            continue;
        }
        list.push(AttendeeInput {
            user_id: None,
            name: Some((*name).to_owned()),
            organization_id: orgs
                .get(i)
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty()),
        });
    }
    let done = in_tx!(state, |tx| store::set_attendance(
        &mut tx, &user.id, &seat, &id, &list
    )
    .await);
    settled_form(
        &state,
        ctx,
        &seat,
        &m,
        done,
        ("#attendance", "flash-pact-meet-attendance"),
        "attendance",
        |_| {},
    )
    .await
}

async fn agreement_add(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let text = field(&pairs, "text").to_owned();
    let done = in_tx!(state, |tx| store::add_agreement(
        &mut tx, &user.id, &seat, &id, &text
    )
    .await);
    settled_form(
        &state,
        ctx,
        &seat,
        &m,
        done,
        ("#agreements", "flash-pact-meet-agreement-added"),
        "agreement_text",
        |p| p.new_agreement = text,
    )
    .await
}

async fn agreement_edit(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let text = field(&pairs, "text").to_owned();
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::update_agreement(
        &mut tx, &user.id, &seat, &aid, version, &text
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/meetings/{id}#agreements"),
            &[flash_cookie("flash-pact-meet-agreement-updated")],
        ),
        Ok(Err(WriteError::Invalid(e))) => {
            let tr = ctx.tr.clone();
            let key = format!("text-{aid}");
            let message = e
                .iter()
                .map(|i| i.message(&tr))
                .collect::<Vec<_>>()
                .join(" ");
            let errs = vec![(key, message.clone())];
            detail_with_errors(
                &state,
                ctx,
                &seat,
                &m,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
                |p| {
                    if let Some(row) = p.agreements.iter_mut().find(|r| r.id == aid) {
                        row.error = Some(message);
                        row.typed = text;
                    }
                },
            )
            .await
        }
        Ok(Err(e)) => refused_simple(ctx, e, &id),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn agreement_delete(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (seat, _) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let version = Some(version_of(&pairs));
    let done = in_tx!(state, |tx| store::delete_agreement(
        &mut tx, &user.id, &seat, &aid, version
    )
    .await);
    settled(
        ctx,
        done,
        &id,
        "#agreements",
        "flash-pact-meet-agreement-deleted",
    )
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (seat, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !m.may_edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let max_mb = state.config.upload_max_mb;
    let (kind, name, up) = match papi::read_file(&state, multipart, Some(&token)).await {
        Ok(ok) => ok,
        Err((problem, _)) => {
            let (status, message) = match problem {
                FileProblem::TooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ctx.tr.t1("portal-err-too_large", "value", max_mb as i64),
                ),
                FileProblem::WrongType => (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ctx.tr
                        .t1("portal-err-wrong_type", "value", accepted_kinds()),
                ),
                FileProblem::Missing => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.tr.t("pact-err-file_required").to_owned(),
                ),
                FileProblem::Malformed => return PageError::page(ctx, StatusCode::BAD_REQUEST),
                FileProblem::Forbidden => return PageError::page(ctx, StatusCode::FORBIDDEN),
            };
            return detail_with_errors(
                &state,
                ctx,
                &seat,
                &m,
                vec![("file".to_owned(), message)],
                status,
                |_| {},
            )
            .await;
        }
    };
    let done = in_tx!(state, |tx| store::add_document(
        &mut tx,
        &user.id,
        &seat,
        &id,
        &name,
        kind.content_type(),
        &up.bytes
    )
    .await);
    settled_form(
        &state,
        ctx,
        &seat,
        &m,
        done,
        ("#documents", "flash-pact-meet-document-added"),
        "file",
        |_| {},
    )
    .await
}

async fn download(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
) -> Response {
    if let Err(r) = found(&state, &user, &ctx, &id).await {
        return r;
    }
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        store::document_file(&mut conn, &id, &did).await
    }
    .await;
    match r {
        Ok(Some((name, f))) => super::api::download(&name, f),
        Ok(None) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn calendar(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (_, m) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let body = super::ics::calendar(
        &ctx.tr,
        state.config.public_base(),
        &m,
        OffsetDateTime::now_utc(),
    );
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.ics\"",
        m.reference
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
