//! The pages of inquiries: the public form at `/inquiry` (no login, a honeypot, the
//! rate limit), and for the office the list at `/office/inquiries` and each
//! inquiry's page with its actions (reassign, answer, dismiss, qualify).

use std::net::SocketAddr;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use besaya_domain::directory::parse_number;
use besaya_domain::sites::matching::format_number_en;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::Invalid;
use super::api::{client_ip, filter_of};
use super::store::{self, ActionError, After, Clock, Inquiry, InquiryInput, Qualify, ReceiveError};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::i18n::{Lang, Tr};
use crate::office::policy;
use crate::web::form::FormErrors;
use crate::web::page::{flash_cookie, redirect_with};
use crate::web::{PageCtx, PageError, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inquiry", get(form_page).post(send))
        .route("/inquiry/thanks", get(thanks_page))
        .route("/office/inquiries", get(list_page))
        .route("/office/inquiries/{id}", get(detail_page))
        .route("/office/inquiries/{id}/owner", post(reassign))
        .route("/office/inquiries/{id}/answer", post(answer))
        .route("/office/inquiries/{id}/dismiss", post(dismiss))
        .route("/office/inquiries/{id}/qualify", post(qualify))
}

// ---- Showing times and figures ----

/// A stored timestamp in Spain's time: `29/11/2026 14:05` in Spanish, `2026-11-29 14:05` in English.
pub fn local_time(lang: Lang, ts: &str) -> String {
    let Some(t) = store::parse_time(ts) else {
        return ts.to_owned();
    };
    let t = t.to_offset(crate::office::work::madrid::offset_at(t));
    let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
    match lang {
        Lang::Es => format!("{d:02}/{m:02}/{y} {:02}:{:02}", t.hour(), t.minute()),
        Lang::En => format!("{y}-{m:02}-{d:02} {:02}:{:02}", t.hour(), t.minute()),
    }
}

/// A span of time for people: minutes under an hour, hours under two days, then days.
pub fn age_text(tr: &Tr, seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 3600 {
        tr.t1("office-inq-age-minutes", "n", (s / 60).max(1))
    } else if s < 48 * 3600 {
        tr.t1("office-inq-age-hours", "n", s / 3600)
    } else {
        tr.t1("office-inq-age-days", "n", s / 86_400)
    }
}

/// "3 h ago" while the clock runs, "answered in 5 h" once it stopped.
pub fn clock_text(tr: &Tr, c: &Clock) -> String {
    let age = age_text(tr, c.elapsed_seconds);
    if c.stopped {
        tr.t1("office-inq-clock-stopped", "age", age)
    } else {
        tr.t1("office-inq-clock-running", "age", age)
    }
}

/// A figure as the language writes it: `12.500` / `12,500`.
fn figure(lang: Lang, v: f64) -> String {
    let en = format_number_en(v);
    match lang {
        Lang::En => en,
        Lang::Es => en
            .chars()
            .map(|c| match c {
                ',' => '.',
                '.' => ',',
                c => c,
            })
            .collect(),
    }
}

/// A figure typed in the form: Spanish `12.500` or `12,5`; English `12,500` or `12.5`.
fn read_figure(lang: Lang, raw: &str) -> Option<f64> {
    match lang {
        Lang::Es => parse_number(raw),
        Lang::En => raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',' && *c != '_')
            .collect::<String>()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite()),
    }
}

fn status_label(tr: &Tr, status: &str) -> String {
    match status {
        "new" | "answered" | "qualified" | "dismissed" => {
            tr.t(&format!("office-inq-status-{status}")).to_owned()
        }
        other => other.to_owned(),
    }
}

fn cnae_text(state: &AppState, lang: Lang, code: &str) -> String {
    let title = crate::reference::catalog::CNAE_VERSIONS
        .iter()
        .find_map(|v| state.catalog.cnae(v, code))
        .map(|c| match lang {
            Lang::Es => c.title_es.clone(),
            Lang::En => c.title_en.clone(),
        });
    match title {
        Some(t) if !t.is_empty() => format!("{code} — {t}"),
        _ => code.to_owned(),
    }
}

// ---- The public form ----

/// The public form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PublicForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    cnae_code: String,
    #[serde(default)]
    land_m2: String,
    #[serde(default)]
    jobs: String,
    #[serde(default)]
    investment_eur: String,
    #[serde(default)]
    consent: String,
    /// The honeypot: hidden from people, filled in by bots.
    #[serde(default)]
    website: String,
}

/// The order of the form's fields, for the error summary.
const FIELDS: [&str; 11] = [
    "name",
    "email",
    "phone",
    "company",
    "country",
    "message",
    "cnae_code",
    "land_m2",
    "jobs",
    "investment_eur",
    "consent",
];

#[derive(Template)]
#[template(path = "office/inquiries/form.html")]
struct FormPage {
    ctx: PageCtx,
    form: PublicForm,
    errors: FormErrors,
    hours: u32,
}

#[derive(Debug, Deserialize)]
struct FormQuery {
    site: Option<String>,
}

async fn form_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<FormQuery>,
) -> Response {
    let mut form = PublicForm::default();
    // "Ask the office about this site": the message starts with the site.
    if let Some(id) = q.site.as_deref().filter(|s| !s.is_empty() && s.len() <= 64) {
        match state.sites.get(&state.db, &state.catalog).await {
            Ok(snap) => {
                if let Some(site) = snap.site(id).filter(|s| s.published) {
                    let name = match &site.reference {
                        Some(r) => format!("{} ({r})", site.name),
                        None => site.name.clone(),
                    };
                    form.message = ctx.tr.t1("office-inq-about-site", "site", name);
                }
            }
            Err(e) => return ctx.fail(e).into_response(),
        }
    }
    render(&FormPage {
        ctx,
        form,
        errors: FormErrors::default(),
        hours: state.config.inquiry_response_hours,
    })
}

/// Reads the form into the API's input; figures that are not numbers are errors here.
fn form_input(form: &PublicForm, lang: Lang, tr: &Tr, errors: &mut FormErrors) -> InquiryInput {
    let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
    let mut number = |field: &str, raw: &str| -> Option<f64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let n = read_figure(lang, raw);
        if n.is_none() {
            errors.add(
                field,
                Invalid::with(
                    field,
                    "not_a_number",
                    raw.chars().take(30).collect::<String>(),
                )
                .message(tr),
            );
        }
        n
    };
    let land_m2 = number("land_m2", &form.land_m2);
    let investment_eur = number("investment_eur", &form.investment_eur);
    let jobs = number("jobs", &form.jobs);
    let jobs = match jobs {
        Some(j) if j.fract() != 0.0 || j.abs() > 1e12 => {
            errors.add(
                "jobs",
                Invalid::with(
                    "jobs",
                    "whole_number",
                    form.jobs.trim().chars().take(30).collect::<String>(),
                )
                .message(tr),
            );
            None
        }
        Some(j) => Some(j as i64),
        None => None,
    };
    InquiryInput {
        name: Some(form.name.clone()),
        email: Some(form.email.clone()),
        phone: opt(&form.phone),
        company: opt(&form.company),
        country: opt(&form.country),
        message: Some(form.message.clone()),
        cnae_code: opt(&form.cnae_code),
        land_m2,
        jobs,
        investment_eur,
        lang: Some(lang.code().to_owned()),
        consent: Some(!form.consent.is_empty()),
    }
}

/// Errors read from the form and found by the validation, one per field, in the form's order.
fn merge_errors(parsed: FormErrors, invalid: &[Invalid], tr: &Tr, order: &[&str]) -> FormErrors {
    let mut all: Vec<(String, String)> = parsed.items().to_vec();
    for i in invalid {
        if all.iter().any(|(f, _)| *f == i.field) {
            continue;
        }
        all.push((i.field.clone(), i.message(tr)));
    }
    let position = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    all.sort_by_key(|(f, _)| position(f));
    let mut out = FormErrors::default();
    for (f, m) in all {
        out.add(&f, m);
    }
    out
}

#[derive(Template)]
#[template(path = "office/inquiries/limited.html")]
struct LimitedPage {
    ctx: PageCtx,
    minutes: u64,
}

/// 429 with `Retry-After`, as a page.
fn limited(ctx: PageCtx, wait: Duration) -> Response {
    let secs = wait.as_secs().max(1);
    let mut res = (
        StatusCode::TOO_MANY_REQUESTS,
        render(&LimitedPage {
            ctx,
            minutes: secs.div_ceil(60),
        }),
    )
        .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

async fn send(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<PublicForm>,
) -> Response {
    if !form.website.trim().is_empty() {
        // A bot: the same thank-you page, and nothing stored.
        tracing::info!("inquiry honeypot filled in: ignored");
        return Redirect::to("/inquiry/thanks").into_response();
    }
    let lang = ctx.lang;
    let mut parsed = FormErrors::default();
    let input = form_input(&form, lang, &ctx.tr, &mut parsed);
    let checked = store::validate(&input, &state.catalog, lang);
    let valid = match checked {
        Ok(v) if parsed.is_empty() => v,
        other => {
            let invalid = other.err().unwrap_or_default();
            let errors = merge_errors(parsed, &invalid, &ctx.tr, &FIELDS);
            let page = FormPage {
                ctx,
                form,
                errors,
                hours: state.config.inquiry_response_hours,
            };
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
        }
    };
    // The consent as the sender read it, in the form's language.
    let consent = ctx.tr.t("office-inq-consent").to_owned();
    let client = client_ip(&state, &headers, peer);
    match store::receive(&state, &valid, &consent, &client).await {
        Ok(_) => Redirect::to("/inquiry/thanks").into_response(),
        Err(ReceiveError::RateLimited(wait)) => limited(ctx, wait),
        Err(ReceiveError::Other(e)) => ctx.fail(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "office/inquiries/thanks.html")]
struct ThanksPage {
    ctx: PageCtx,
    hours: u32,
}

async fn thanks_page(State(state): State<AppState>, ctx: PageCtx) -> Response {
    render(&ThanksPage {
        ctx,
        hours: state.config.inquiry_response_hours,
    })
}

// ---- The office's list ----

/// The office only; everybody else learns nothing (the 404 to answer).
fn not_office(user: &User, ctx: &PageCtx) -> Option<Response> {
    (!policy::is_office(user)).then(|| ctx.not_found().into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    cursor: String,
}

/// One row of the list, ready to show.
struct ListRow {
    id: String,
    who: String,
    company: String,
    withheld: bool,
    received: String,
    clock: String,
    late: bool,
    stopped: bool,
    status: String,
    status_label: String,
    owner: String,
}

#[derive(Template)]
#[template(path = "office/inquiries/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    status: String,
    owner: String,
    mine: bool,
    /// (value, label) of the states.
    statuses: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    next: Option<String>,
    first: Option<String>,
    hours: u32,
    filter_error: Option<String>,
}

const PAGE_SIZE: i64 = 50;

async fn list_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let mine = !q.mine.is_empty();
    let mut filter_error = None;
    let filter = match filter_of(Some(&q.status), Some(&q.owner), mine) {
        Ok(f) => f,
        Err(_) => {
            filter_error = Some(ctx.tr.t1(
                "office-inq-err-invalid_choice",
                "value",
                q.status.chars().take(20).collect::<String>(),
            ));
            filter_of(None, Some(&q.owner), mine).unwrap_or_default()
        }
    };
    // The cursor is the list's own: anything else starts from the top.
    let after = crate::api::Paging::parse(None, Some(&q.cursor))
        .ok()
        .and_then(|p| p.after)
        .and_then(|k| After::parse(&k));
    let target = state.config.inquiry_response_hours;
    let loaded = async {
        let rows = store::list(
            state.db.reader(),
            &user,
            &filter,
            after.as_ref(),
            PAGE_SIZE + 1,
            target,
        )
        .await?;
        let owners = store::office_users(state.db.reader()).await?;
        Ok::<_, sqlx::Error>((rows, owners))
    }
    .await;
    let (rows, owners) = match loaded {
        Ok(x) => x,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let (rows, next) = match crate::api::Paging::parse(Some(PAGE_SIZE), None) {
        Ok(p) => {
            let page = p.page(rows, After::key);
            (page.items, page.next_cursor)
        }
        Err(_) => (rows, None),
    };
    let query = |cursor: Option<&str>| {
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = &filter.status {
            parts.push(format!("status={s}"));
        }
        if let Some(o) = &filter.owner_id {
            parts.push(format!(
                "owner={}",
                utf8_percent_encode(o, NON_ALPHANUMERIC)
            ));
        }
        if mine {
            parts.push("mine=1".into());
        }
        if let Some(c) = cursor {
            parts.push(format!(
                "cursor={}",
                utf8_percent_encode(c, NON_ALPHANUMERIC)
            ));
        }
        if parts.is_empty() {
            "/office/inquiries".to_owned()
        } else {
            format!("/office/inquiries?{}", parts.join("&"))
        }
    };
    let next = next.map(|c| query(Some(&c)));
    let first = after.is_some().then(|| query(None));
    let tr = &ctx.tr;
    let view: Vec<ListRow> = rows
        .into_iter()
        .map(|i| ListRow {
            who: if i.withheld {
                i.project_code_name.clone().unwrap_or_default()
            } else {
                i.name.clone()
            },
            company: i.company.clone().unwrap_or_default(),
            withheld: i.withheld,
            received: local_time(ctx.lang, &i.received_at),
            clock: clock_text(tr, &i.clock),
            late: i.clock.late,
            stopped: i.clock.stopped,
            status_label: status_label(tr, &i.status),
            status: i.status,
            owner: i.owner_name.unwrap_or_default(),
            id: i.id,
        })
        .collect();
    let statuses = store::STATUSES
        .iter()
        .map(|s| ((*s).to_owned(), status_label(tr, s)))
        .collect();
    let page = ListPage {
        rows: view,
        status: filter.status.clone().unwrap_or_default(),
        owner: filter.owner_id.clone().unwrap_or_default(),
        mine,
        statuses,
        owners,
        next,
        first,
        hours: target,
        filter_error,
        ctx,
    };
    render(&page)
}

// ---- One inquiry ----

/// The fields of the page's four forms, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    code_name: String,
    #[serde(default)]
    investor_org_id: String,
    #[serde(default)]
    version: i64,
}

#[derive(Template)]
#[template(path = "office/inquiries/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    i: Inquiry,
    received: String,
    clock: String,
    status_label: String,
    answered: String,
    consent_at: String,
    activity: String,
    land: String,
    jobs: String,
    investment: String,
    lang_label: String,
    owners: Vec<(String, String)>,
    /// Organisations for the qualification: (id, name), investors first.
    investors: Vec<(String, String)>,
    others: Vec<(String, String)>,
    form: ActionForm,
    errors: FormErrors,
    /// A message for the whole page (someone changed the inquiry meanwhile).
    notice: Option<String>,
}

impl DetailPage {
    async fn load(state: &AppState, user: &User, ctx: PageCtx, id: &str) -> Result<Self, Response> {
        let target = state.config.inquiry_response_hours;
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let Some(i) = store::get(&mut conn, user, id, target).await? else {
                return Ok(None);
            };
            let owners = store::office_users(state.db.reader()).await?;
            let orgs: Vec<(String, String, String)> =
                sqlx::query_as("SELECT id, name, kind FROM organizations ORDER BY name, id")
                    .fetch_all(&mut *conn)
                    .await?;
            Ok::<_, sqlx::Error>(Some((i, owners, orgs)))
        }
        .await;
        let (i, owners, orgs) = match loaded {
            Ok(Some(x)) => x,
            Ok(None) => return Err(ctx.not_found().into_response()),
            Err(e) => return Err(ctx.fail(e).into_response()),
        };
        let lang = ctx.lang;
        let tr = &ctx.tr;
        let (investors, others): (Vec<_>, Vec<_>) =
            orgs.into_iter().partition(|(_, _, k)| k == "investor");
        let pair =
            |v: Vec<(String, String, String)>| v.into_iter().map(|(id, n, _)| (id, n)).collect();
        Ok(Self {
            received: local_time(lang, &i.received_at),
            clock: clock_text(tr, &i.clock),
            status_label: status_label(tr, &i.status),
            answered: i
                .answered_at
                .as_deref()
                .map(|a| local_time(lang, a))
                .unwrap_or_default(),
            consent_at: local_time(lang, &i.consent_at),
            activity: i
                .cnae_code
                .as_deref()
                .map(|c| cnae_text(state, lang, c))
                .unwrap_or_default(),
            land: i.land_m2.map(|v| figure(lang, v)).unwrap_or_default(),
            jobs: i.jobs.map(|v| figure(lang, v as f64)).unwrap_or_default(),
            investment: i
                .investment_eur
                .map(|v| figure(lang, v))
                .unwrap_or_default(),
            lang_label: match i.lang.as_str() {
                "en" => tr.t("office-inq-lang-en").to_owned(),
                _ => tr.t("office-inq-lang-es").to_owned(),
            },
            form: ActionForm {
                owner_id: i.owner_id.clone().unwrap_or_default(),
                version: i.version,
                ..ActionForm::default()
            },
            owners,
            investors: pair(investors),
            others: pair(others),
            errors: FormErrors::default(),
            notice: None,
            i,
            ctx,
        })
    }

    /// The page again after a failed action: what was typed kept, the version read now.
    fn again(mut self, form: ActionForm, status: StatusCode) -> Response {
        let version = self.i.version;
        let owner_id = if form.owner_id.is_empty() {
            self.form.owner_id.clone()
        } else {
            form.owner_id.clone()
        };
        self.form = ActionForm {
            version,
            owner_id,
            ..form
        };
        (status, render(&self)).into_response()
    }
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    match DetailPage::load(&state, &user, ctx, &id).await {
        Ok(page) => render(&page),
        Err(r) => r,
    }
}

/// Which of the page's forms sent the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Owner,
    Answer,
    Dismiss,
    Qualify,
}

/// The page again with what went wrong, or where to go next.
async fn after_action(
    state: &AppState,
    user: &User,
    ctx: PageCtx,
    id: &str,
    action: Action,
    form: ActionForm,
    result: Result<Option<String>, ActionError>,
) -> Response {
    let tr = ctx.tr.clone();
    let (status, errors, notice): (StatusCode, Vec<(String, String)>, Option<String>) = match result
    {
        Ok(project) => {
            return match (action, project) {
                (Action::Qualify, Some(p)) => redirect_with(
                    &format!("/office/projects/{p}"),
                    &[flash_cookie("flash-office-inq-qualified")],
                ),
                (Action::Answer, _) => redirect_with(
                    &format!("/office/inquiries/{id}"),
                    &[flash_cookie("flash-office-inq-answered")],
                ),
                (Action::Dismiss, _) => redirect_with(
                    &format!("/office/inquiries/{id}"),
                    &[flash_cookie("flash-office-inq-dismissed")],
                ),
                _ => redirect_with(
                    &format!("/office/inquiries/{id}"),
                    &[flash_cookie("flash-office-inq-reassigned")],
                ),
            };
        }
        Err(ActionError::NotFound) => return ctx.not_found().into_response(),
        Err(ActionError::Withheld) => return PageError::page(ctx, StatusCode::FORBIDDEN),
        Err(ActionError::Other(e)) => return ctx.fail(e).into_response(),
        Err(ActionError::Conflict(_)) => (
            StatusCode::CONFLICT,
            Vec::new(),
            Some(tr.t("office-inq-conflict").to_owned()),
        ),
        Err(ActionError::AlreadyQualified(_)) => (
            StatusCode::CONFLICT,
            Vec::new(),
            Some(tr.t("office-inq-already-qualified").to_owned()),
        ),
        Err(ActionError::NotOpen(s)) => {
            let field = match action {
                Action::Owner => "owner_id",
                Action::Answer => "answer",
                Action::Dismiss => "reason",
                Action::Qualify => "code_name",
            };
            let label = status_label(&tr, &s);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![(
                    field.to_owned(),
                    tr.t1("office-inq-err-not_open", "value", label),
                )],
                None,
            )
        }
        Err(ActionError::Invalid(errs)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errs.iter()
                .map(|e| (e.field.clone(), e.message(&tr)))
                .collect(),
            None,
        ),
        Err(ActionError::Project(errs)) => {
            // The project's fields the form does not show are reported on the code name.
            let shown = |f: &str| {
                if f == "investor_org_id" {
                    "investor_org_id"
                } else {
                    "code_name"
                }
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                errs.iter()
                    .map(|e| (shown(&e.field).to_owned(), e.message(&tr)))
                    .collect(),
                None,
            )
        }
    };
    match DetailPage::load(state, user, ctx, id).await {
        Ok(mut page) => {
            let mut fe = FormErrors::default();
            for (f, m) in errors {
                if !fe.has(&f) {
                    fe.add(&f, m);
                }
            }
            page.errors = fe;
            page.notice = notice;
            page.again(form, status)
        }
        Err(r) => r,
    }
}

async fn reassign(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let r = store::reassign(&state, &user, &id, form.version, Some(&form.owner_id)).await;
    after_action(
        &state,
        &user,
        ctx,
        &id,
        Action::Owner,
        form,
        r.map(|()| None),
    )
    .await
}

async fn answer(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let r = store::answer(&state, &user, &id, form.version, Some(&form.answer)).await;
    after_action(
        &state,
        &user,
        ctx,
        &id,
        Action::Answer,
        form,
        r.map(|()| None),
    )
    .await
}

async fn dismiss(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let r = store::dismiss(&state, &user, &id, form.version, Some(&form.reason)).await;
    after_action(
        &state,
        &user,
        ctx,
        &id,
        Action::Dismiss,
        form,
        r.map(|()| None),
    )
    .await
}

async fn qualify(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let q = Qualify {
        code_name: opt(&form.code_name),
        investor_org_id: opt(&form.investor_org_id),
    };
    let r = store::qualify(&state, &user, &id, form.version, &q).await;
    after_action(&state, &user, ctx, &id, Action::Qualify, form, r.map(Some)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn spanish_time_follows_summer_time() {
        // Winter: UTC+1; summer: UTC+2; the change at 01:00 UTC on the last Sunday.
        assert_eq!(
            local_time(Lang::Es, "2026-12-01T09:00:00.000000Z"),
            "01/12/2026 10:00"
        );
        assert_eq!(
            local_time(Lang::En, "2026-07-01T09:00:00.000000Z"),
            "2026-07-01 11:00"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-03-29T00:59:00.000000Z"),
            "29/03/2026 01:59"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-03-29T01:00:00.000000Z"),
            "29/03/2026 03:00"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-10-25T00:59:00.000000Z"),
            "25/10/2026 02:59"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-10-25T01:00:00.000000Z"),
            "25/10/2026 02:00"
        );
        assert_eq!(local_time(Lang::Es, "not a time"), "not a time");
    }

    #[test]
    fn ages_read_as_people_say_them() {
        let i18n = Arc::new(crate::i18n::I18n::load().unwrap());
        let es = Tr::new(i18n.clone(), Lang::Es);
        let en = Tr::new(i18n, Lang::En);
        assert_eq!(age_text(&es, 20), "1 min");
        assert_eq!(age_text(&es, 3 * 3600 + 100), "3 h");
        assert_eq!(age_text(&es, 50 * 3600), "2 días");
        assert_eq!(age_text(&en, 86_400 * 9), "9 days");
        let running = Clock {
            elapsed_seconds: 3 * 3600,
            stopped: false,
            late: false,
            target_hours: 48,
        };
        assert_eq!(clock_text(&es, &running), "hace 3 h");
        assert_eq!(clock_text(&en, &running), "3 h ago");
    }

    #[test]
    fn figures_are_read_and_written_in_the_language() {
        assert_eq!(read_figure(Lang::Es, "12.500"), Some(12500.0));
        assert_eq!(read_figure(Lang::Es, "2,5"), Some(2.5));
        assert_eq!(read_figure(Lang::En, "12,500"), Some(12500.0));
        assert_eq!(read_figure(Lang::En, "2.5"), Some(2.5));
        assert_eq!(read_figure(Lang::Es, "mucho"), None);
        assert_eq!(figure(Lang::Es, 12500.0), "12.500");
        assert_eq!(figure(Lang::En, 2_500_000.5), "2,500,000.5");
    }
}
