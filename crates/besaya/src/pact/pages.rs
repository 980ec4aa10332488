//! The Pact's needs on pages:
//!
//! - `/pact`: the needs a user may see — the office all of them with filters
//!   (status, kind, overdue, text) and the response clock; a company its own and,
//!   apart, those it was invited to; a pact member the published ones, owner
//!   anonymised;
//! - `/pact/needs/new`, `/pact/needs/{id}/edit`: the form (errors next to the
//!   fields, a stale version says so);
//! - `/pact/needs/{id}`: the facts, the moves this user may make (submit; for the
//!   office publish with a broker and, for permit/infrastructure needs, the
//!   responsible administration; send back; close with a reason), the response
//!   clock, the funnel, the office's ranked matches with "invite selected", the
//!   answers (anonymised for the owner until double opt-in) and the timeline;
//! - `/pact/targets`: the target business days per kind (admin).
//!
//! Plain forms with the CSRF token and POST-redirect-GET. Access is the store's
//! (`store::visible`, `policy`): what a user may not see answers 404.

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::Role;
use besaya_domain::directory::display_cnae;
use besaya_domain::pact::{AnswerStatus, NeedKind, NeedStatus};
use serde::Deserialize;
use time::Date;

use super::matching;
use super::model::{self, Answer, Need, NeedEvent, NeedFilter, NeedInput, TargetInput};
use super::policy::NeedAccess;
use super::store::{self, Move, WriteError};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Admin, SignedIn, User};
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::office::portal::pages::{local_date, local_time};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Needs per page of the list.
const PAGE_SIZE: i64 = 100;
/// Ranked organisations shown on a need's page.
const MATCHES: usize = 20;
const QUERY_MAX: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact", get(list_page))
        .route("/pact/needs/new", get(new_page).post(create))
        .route("/pact/needs/{id}", get(detail_page))
        .route("/pact/needs/{id}/edit", get(edit_page).post(update))
        .route(
            "/pact/needs/{id}/transition",
            axum::routing::post(transition),
        )
        .route("/pact/needs/{id}/invitations", axum::routing::post(invite))
        .route("/pact/targets", get(targets_page).post(targets_save))
}

// ---- Words ----

pub fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("pact-kind-{kind}")).to_owned()
}

pub fn status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("pact-status-{status}")).to_owned()
}

/// The owner as this user may see it: its name, or "a company of the district
/// (anonymous)" in the page's language.
pub fn owner_label(tr: &Tr, n: &Need) -> String {
    if n.owner_hidden {
        tr.t(model::ANONYMOUS_OWNER_KEY).to_owned()
    } else {
        n.owner_name.clone()
    }
}

/// The answering organisation as this user may see it: its name, or "Candidate 2"
/// in the page's language until both sides consent.
pub fn candidate_label(tr: &Tr, a: &Answer) -> String {
    if !a.organization_hidden {
        return a.organization_name.clone();
    }
    let digits: String = a
        .organization_name
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    match digits.parse::<i64>() {
        Ok(n) => tr.t1("pact-ans-candidate-n", "n", n),
        Err(_) => a.organization_name.clone(),
    }
}

pub fn answer_status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("pact-ans-status-{status}")).to_owned()
}

fn kinds(tr: &Tr) -> Vec<(String, String)> {
    NeedKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), kind_label(tr, k.as_str())))
        .collect()
}

fn statuses(tr: &Tr) -> Vec<(String, String)> {
    NeedStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), status_label(tr, s.as_str())))
        .collect()
}

/// `31/12/2026` / `31 Dec 2026` of a date or a timestamp; empty for none.
pub fn date_text(lang: Lang, d: Option<&str>) -> String {
    d.filter(|d| !d.is_empty())
        .map(|d| local_date(lang, d))
        .unwrap_or_default()
}

/// `12.500 €` / `€12,500.50`.
pub fn euros(lang: Lang, cents: i64) -> String {
    let whole = crate::sites::pages::num(lang, (cents / 100) as f64, 0);
    let n = if cents % 100 == 0 {
        whole
    } else {
        let point = if lang == Lang::Es { ',' } else { '.' };
        format!("{whole}{point}{:02}", (cents % 100).abs())
    };
    match lang {
        Lang::Es => format!("{n} €"),
        Lang::En => format!("€{n}"),
    }
}

/// An amount that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

/// An amount in euros as typed (`12.500`, `12500,50`, `12,500.50` in English),
/// in cents; `Ok(None)` when blank, `Err` when not a non-negative amount.
pub fn parse_euros(lang: Lang, raw: &str) -> Result<Option<i64>, BadAmount> {
    let t = raw
        .trim()
        .trim_end_matches('€')
        .trim_start_matches('€')
        .trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = if lang == Lang::En {
        t.replace(',', "")
    } else {
        t.to_owned()
    };
    match besaya_domain::directory::parse_number(&t) {
        Some(v) if (0.0..1e13).contains(&v) => Ok(Some((v * 100.0).round() as i64)),
        _ => Err(BadAmount),
    }
}

pub fn today() -> Date {
    crate::office::work::madrid::today()
}

/// A value of a url-encoded form (the first one), or "".
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find_map(|(k, v)| (k == name).then_some(v.as_str()))
        .unwrap_or("")
}

/// The version a form read, or -1 (never current: a conflict) when garbled.
pub fn version_of(pairs: &[(String, String)]) -> i64 {
    field(pairs, "version").trim().parse().unwrap_or(-1)
}

fn is_office(user: &User) -> bool {
    user.role.is_office()
}

/// Investors have no business with the Pact: 404 (their pages are the portal).
fn no_pact(user: &User) -> bool {
    user.role == Role::Investor
}

// ---- Finding a need ----

/// A need as `user` may see it, with the access; else the 404 (or error) page.
pub async fn found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Need, NeedAccess), Response> {
    if no_pact(user) || !plausible_id(id) {
        return Err(ctx.not_found().into_response());
    }
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        store::visible(&mut conn, user, id, today()).await
    }
    .await;
    match r {
        Ok(Some(x)) => Ok(x),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// Ids are uuids: anything else is not worth a query.
pub fn plausible_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

// ---- The list ----

/// A need as a row of the lists.
pub struct NeedRow {
    pub id: String,
    pub url: String,
    pub reference: String,
    pub title: String,
    pub kind_label: String,
    pub owner: String,
    pub status: String,
    pub status_label: String,
    /// `3 de 5 días hábiles`, or the first answer's delay.
    pub clock: String,
    /// The day the first answer is expected, while unanswered.
    pub due: String,
    pub late: bool,
    pub deadline: String,
}

impl NeedRow {
    pub fn new(tr: &Tr, n: &Need) -> Self {
        let lang = tr.lang;
        let (clock, due, late) = match &n.clock {
            Some(c) if c.answered => (
                tr.tn(
                    "pact-clock-answered-in",
                    &[
                        ("elapsed", c.elapsed.into()),
                        ("target", c.target_days.into()),
                    ],
                ),
                String::new(),
                c.late,
            ),
            Some(c) => (
                tr.tn(
                    "pact-clock-days",
                    &[
                        ("elapsed", c.elapsed.into()),
                        ("target", c.target_days.into()),
                    ],
                ),
                local_date(lang, &c.due_on),
                c.late,
            ),
            None => (String::new(), String::new(), false),
        };
        Self {
            id: n.id.clone(),
            url: format!("/pact/needs/{}", n.id),
            reference: n.reference.clone(),
            title: n.title.clone(),
            kind_label: kind_label(tr, &n.kind),
            owner: owner_label(tr, n),
            status: n.status.clone(),
            status_label: status_label(tr, &n.status),
            clock,
            due,
            late,
            deadline: date_text(lang, n.deadline.as_deref()),
        }
    }
}

#[derive(Template)]
#[template(path = "pact/list.html")]
struct ListPage {
    ctx: PageCtx,
    office: bool,
    member: bool,
    company: bool,
    is_admin: bool,
    can_post: bool,
    has_invitations: bool,
    rows: Vec<NeedRow>,
    invited: Vec<super::pages_answers::InvitationRow>,
    statuses: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    status: String,
    kind: String,
    q: String,
    overdue: bool,
    next: Option<String>,
    /// The user has a seat in the alliance's workspace (the sections' links).
    in_workspace: bool,
    nav: &'static str,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    kind: String,
    q: String,
    overdue: String,
    after: String,
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    RawQuery(raw): RawQuery,
) -> Response {
    if no_pact(&user) {
        return ctx.not_found().into_response();
    }
    let q: ListQuery = raw
        .as_deref()
        .and_then(|r| serde_urlencoded::from_str(r).ok())
        .unwrap_or_default();
    let text: String =
        q.q.chars()
            .filter(|c| !c.is_control())
            .take(QUERY_MAX)
            .collect();
    let filter = NeedFilter {
        status: NeedStatus::parse(q.status.trim()),
        kind: NeedKind::parse(q.kind.trim()),
        overdue: !q.overdue.is_empty(),
        q: Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
        owner_org_id: None,
        limit: PAGE_SIZE + 1,
        after: Some(q.after.clone()).filter(|a| !a.is_empty() && a.len() < 200),
    };
    let office = is_office(&user);
    let member = user.role == Role::PactMember;
    let company = !office && !member;
    let listed = async {
        let mut conn = state.db.reader().acquire().await?;
        store::list(&mut conn, &user, &filter, today()).await
    }
    .await;
    let mut needs = match listed {
        Ok(n) => n,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let next = if needs.len() as i64 > PAGE_SIZE {
        needs.truncate(PAGE_SIZE as usize);
        needs.last().map(|n| {
            let mut url = format!(
                "/pact?status={}&kind={}&q={}&after={}",
                encode(&q.status),
                encode(&q.kind),
                encode(&text),
                encode(&store::list_key(n))
            );
            if filter.overdue {
                url.push_str("&overdue=1");
            }
            url
        })
    } else {
        None
    };
    // Companies and members: their organisations' own needs first; the needs they
    // were invited to are listed apart, with their answer.
    let own = |n: &Need| {
        n.owner_org_id
            .as_ref()
            .is_some_and(|o| user.organization_ids.contains(o))
    };
    let invited = if office {
        Vec::new()
    } else {
        match super::pages_answers::invitation_rows(&state, &user, &ctx.tr).await {
            Ok(rows) => rows,
            Err(e) => return ctx.fail(e).into_response(),
        }
    };
    let seat = match super::alliance::seat(&state.db, Some(&user), today()).await {
        Ok(s) => s,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let rows = needs
        .iter()
        .filter(|n| office || member || own(n))
        .map(|n| NeedRow::new(&tr, n))
        .collect();
    let page = ListPage {
        office,
        member,
        company,
        is_admin: user.is_admin(),
        can_post: office || (user.role == Role::Company && !user.organization_ids.is_empty()),
        has_invitations: !invited.is_empty(),
        rows,
        invited,
        statuses: statuses(&tr),
        kinds: kinds(&tr),
        status: q.status,
        kind: q.kind,
        q: text,
        overdue: filter.overdue,
        next,
        in_workspace: seat.in_workspace(),
        nav: "needs",
        ctx,
    };
    render(&page)
}

// ---- The form ----

/// The need form as typed.
#[derive(Debug, Clone, Default)]
pub struct NeedForm {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub cnae: [String; 4],
    pub cpv_codes: String,
    pub required_certifications: String,
    pub quantity: String,
    pub recurrence: String,
    pub municipality_code: String,
    pub deadline: String,
    pub min_size_band: String,
    pub owner_org_id: String,
    pub anonymous: bool,
    pub version: i64,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl NeedForm {
    fn blank() -> Self {
        Self {
            anonymous: true,
            ..Self::default()
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let f = |k| field(pairs, k).to_owned();
        Self {
            kind: f("kind"),
            title: f("title"),
            summary: f("summary"),
            description: f("description"),
            cnae: [f("cnae_1"), f("cnae_2"), f("cnae_3"), f("cnae_4")],
            cpv_codes: f("cpv_codes"),
            required_certifications: f("required_certifications"),
            quantity: f("quantity"),
            recurrence: f("recurrence"),
            municipality_code: f("municipality_code"),
            deadline: f("deadline"),
            min_size_band: f("min_size_band"),
            owner_org_id: f("owner_org_id"),
            anonymous: !field(pairs, "anonymous").is_empty(),
            version: version_of(pairs),
        }
    }

    fn of_need(state: &AppState, n: &Need) -> Self {
        let mut cnae: [String; 4] = Default::default();
        for (slot, c) in cnae.iter_mut().zip(&n.cnae_codes) {
            *slot = display_cnae(c);
        }
        Self {
            kind: n.kind.clone(),
            title: n.title.clone(),
            summary: n.summary.clone(),
            description: n.description.clone(),
            cnae,
            cpv_codes: n.cpv_codes.join(", "),
            required_certifications: n.required_certifications.join("\n"),
            quantity: n.quantity.clone().unwrap_or_default(),
            recurrence: n.recurrence.clone().unwrap_or_default(),
            municipality_code: n
                .municipality_code
                .as_deref()
                .map(|c| {
                    state
                        .catalog
                        .municipality(c)
                        .map_or_else(|| c.to_owned(), |m| m.name.clone())
                })
                .unwrap_or_default(),
            deadline: n.deadline.clone().unwrap_or_default(),
            min_size_band: n.min_size_band.clone().unwrap_or_default(),
            owner_org_id: n.owner_org_id.clone().unwrap_or_default(),
            anonymous: n.anonymous,
            version: n.version,
        }
    }

    /// What the store validates. Blank optional fields are absent (cleared on edit).
    fn input(&self, state: &AppState, office: bool) -> NeedInput {
        let list = |s: &str, sep: &dyn Fn(char) -> bool| -> Vec<String> {
            s.split(sep)
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        NeedInput {
            kind: Some(self.kind.trim().to_owned()),
            title: Some(self.title.clone()),
            summary: Some(self.summary.clone()),
            description: opt(&self.description),
            cnae_codes: Some(
                self.cnae
                    .iter()
                    .map(|c| c.trim())
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            cpv_codes: Some(list(&self.cpv_codes, &|c| {
                c == ',' || c == ';' || c.is_whitespace()
            })),
            required_certifications: Some(list(&self.required_certifications, &|c| c == '\n')),
            quantity: opt(&self.quantity),
            recurrence: opt(&self.recurrence),
            municipality_code: opt(&self.municipality_code)
                .map(|m| state.catalog.municipality_code(&m)),
            deadline: opt(&self.deadline),
            min_size_band: opt(&self.min_size_band),
            owner_org_id: if office {
                opt(&self.owner_org_id)
            } else {
                None
            },
            anonymous: Some(self.anonymous),
        }
    }
}

#[derive(Template)]
#[template(path = "pact/form.html")]
struct FormPage {
    ctx: PageCtx,
    heading: String,
    action: String,
    submit: String,
    cancel: String,
    back: Option<(String, String)>,
    form: NeedForm,
    errors: FormErrors,
    notice: Option<String>,
    office: bool,
    owner_name: String,
    kinds: Vec<(String, String)>,
    recurrences: Vec<(String, String)>,
    sizes: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    municipalities: Vec<(String, String)>,
    cnae_options: Vec<(String, String)>,
}

impl FormPage {
    fn new(
        state: &AppState,
        ctx: PageCtx,
        user: &User,
        need: Option<&Need>,
        form: NeedForm,
    ) -> Self {
        let tr = ctx.tr.clone();
        let es = ctx.lang == Lang::Es;
        let office = is_office(user);
        let cnae_options = state
            .catalog
            .classes("2025")
            .into_iter()
            .map(|(code, info)| {
                let title = if es { &info.title_es } else { &info.title_en };
                (display_cnae(code), title.clone())
            })
            .collect();
        let municipalities = state
            .catalog
            .municipalities_by_name()
            .into_iter()
            .map(|(c, m)| (c.to_owned(), m.name.clone()))
            .collect();
        // The office posts for any company of the directory (the one already set kept).
        let owners = if office {
            let hits = state.directory.search(
                &crate::orgs::index::Filter {
                    kind: Some("company".into()),
                    ..Default::default()
                },
                crate::orgs::index::Sort::Name,
                0,
                5000,
                &state.catalog,
                today(),
            );
            let mut v: Vec<(String, String)> =
                hits.entries.into_iter().map(|e| (e.id, e.name)).collect();
            if !form.owner_org_id.is_empty()
                && !v.iter().any(|(id, _)| *id == form.owner_org_id)
                && let Some(e) = state.directory.entry(&form.owner_org_id)
            {
                v.insert(0, (e.id, e.name));
            }
            v
        } else {
            Vec::new()
        };
        let owner_name = match need {
            Some(n) => owner_label(&tr, n),
            None => String::new(),
        };
        let (heading, action, submit, cancel, back) = match need {
            Some(n) => (
                tr.t("pact-edit-title").to_owned(),
                format!("/pact/needs/{}/edit", n.id),
                tr.t("pact-update").to_owned(),
                format!("/pact/needs/{}", n.id),
                Some((format!("/pact/needs/{}", n.id), n.title.clone())),
            ),
            None => (
                tr.t("pact-new-title").to_owned(),
                "/pact/needs/new".to_owned(),
                tr.t("pact-create").to_owned(),
                "/pact".to_owned(),
                None,
            ),
        };
        Self {
            heading,
            action,
            submit,
            cancel,
            back,
            form,
            errors: FormErrors::default(),
            notice: None,
            office,
            owner_name,
            kinds: kinds(&tr),
            recurrences: model::RECURRENCES
                .iter()
                .map(|r| {
                    (
                        (*r).to_owned(),
                        tr.t(&format!("pact-recurrence-{r}")).to_owned(),
                    )
                })
                .collect(),
            sizes: model::SIZE_BANDS
                .iter()
                .map(|s| ((*s).to_owned(), tr.t(&format!("pact-size-{s}")).to_owned()))
                .collect(),
            owners,
            municipalities,
            cnae_options,
            ctx,
        }
    }

    /// The activity inputs: (index, field id, value).
    fn cnae_inputs(&self) -> Vec<(usize, String, &str)> {
        self.form
            .cnae
            .iter()
            .enumerate()
            .map(|(i, v)| (i, format!("cnae_{}", i + 1), v.as_str()))
            .collect()
    }
}

/// The form's field of a store's field name (`cnae_codes[1]` → `cnae_2`).
fn form_field(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("cnae_codes[") {
        if let Some(i) = rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok())
            && i < 4
        {
            return format!("cnae_{}", i + 1);
        }
        return "cnae_codes".into();
    }
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match base {
        "cnae_codes" => "cnae_codes".into(),
        other => other.to_owned(),
    }
}

/// The name of the organisation a company user posts for (the directory's index
/// may not have caught up with a new organisation yet: the store has it).
async fn own_org_name(state: &AppState, user: &User) -> anyhow::Result<String> {
    // The office's owner picker reads the index too: bring it up to date.
    state.directory.sync(&state.db, &state.catalog).await?;
    let Some(id) = user.organization_ids.first() else {
        return Ok(String::new());
    };
    if let Some(e) = state.directory.entry(id) {
        return Ok(e.name);
    }
    let mut conn = state.db.reader().acquire().await?;
    Ok(crate::orgs::store::get(&mut conn, id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

/// Only companies with an organisation (for their own) and the office post needs.
fn may_post(user: &User) -> bool {
    is_office(user) || (user.role == Role::Company && !user.organization_ids.is_empty())
}

async fn new_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !may_post(&user) {
        return ctx.not_found().into_response();
    }
    let owner_name = match own_org_name(&state, &user).await {
        Ok(n) => n,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut page = FormPage::new(&state, ctx, &user, None, NeedForm::blank());
    page.owner_name = owner_name;
    render(&page)
}

/// The form again with the store's refusal.
async fn form_refused(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    need: Option<&Need>,
    form: NeedForm,
    e: WriteError,
) -> Response {
    let tr = ctx.tr.clone();
    let owner_name = match own_org_name(state, user).await {
        Ok(n) => need.map_or(n, |n| owner_label(&tr, n)),
        Err(e) => return ctx.fail(e).into_response(),
    };
    match e {
        WriteError::Invalid(errs) => {
            let mut page = FormPage::new(state, ctx, user, need, form);
            page.owner_name = owner_name;
            for i in &errs {
                page.errors.add(&form_field(&i.field), i.message(&tr));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        WriteError::Conflict(_) => {
            // A stale form shows the need as it is now.
            let now = need.map_or_else(NeedForm::blank, |n| NeedForm::of_need(state, n));
            let mut page = FormPage::new(state, ctx, user, need, now);
            page.owner_name = owner_name;
            page.notice = Some(tr.t("pact-conflict").to_owned());
            (StatusCode::CONFLICT, render(&page)).into_response()
        }
        WriteError::NotFound => ctx.not_found().into_response(),
        WriteError::Forbidden => PageError::page(ctx, StatusCode::FORBIDDEN),
        other => ctx.fail(anyhow::anyhow!("{other}")).into_response(),
    }
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if !may_post(&user) {
        return ctx.not_found().into_response();
    }
    let form = NeedForm::from_pairs(&pairs);
    let input = form.input(&state, is_office(&user));
    let done = in_tx!(state, |tx| store::create(&state, &mut tx, &user, &input)
        .await);
    match done {
        Ok(Ok(id)) => redirect_with(
            &format!("/pact/needs/{id}"),
            &[flash_cookie("flash-pact-need-created")],
        ),
        Ok(Err(e)) => form_refused(&state, ctx, &user, None, form, e).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (need, access) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.may_edit(need.status()) {
        return ctx.not_found().into_response();
    }
    if let Err(e) = state.directory.sync(&state.db, &state.catalog).await {
        return ctx.fail(e).into_response();
    }
    let form = NeedForm::of_need(&state, &need);
    render(&FormPage::new(&state, ctx, &user, Some(&need), form))
}

async fn update(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.may_edit(need.status()) {
        return ctx.not_found().into_response();
    }
    let mut form = NeedForm::from_pairs(&pairs);
    if !is_office(&user) {
        form.owner_org_id = need.owner_org_id.clone().unwrap_or_default();
    }
    let mut input = form.input(&state, is_office(&user));
    if !is_office(&user) {
        input.owner_org_id = need.owner_org_id.clone();
    }
    let done = in_tx!(state, |tx| store::update(
        &state,
        &mut tx,
        &user,
        &need.id,
        form.version,
        &input
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/needs/{}", need.id),
            &[flash_cookie("flash-pact-need-updated")],
        ),
        Ok(Err(e)) => form_refused(&state, ctx, &user, Some(&need), form, e).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- A need's page ----

/// The facts of a need, worded.
pub struct NeedView {
    pub id: String,
    pub url: String,
    pub reference: String,
    pub title: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub owner: String,
    pub anonymous: bool,
    pub summary: String,
    pub description: String,
    /// `43.21 Instalaciones eléctricas`.
    pub cnae: Vec<String>,
    pub cpv: String,
    pub certifications: Vec<String>,
    pub quantity: String,
    pub recurrence: String,
    pub municipality: String,
    pub deadline: String,
    pub min_size: String,
    pub broker: String,
    pub routed: String,
    pub close_reason: String,
    pub version: i64,
}

impl NeedView {
    pub fn new(state: &AppState, tr: &Tr, n: &Need) -> Self {
        let es = tr.lang == Lang::Es;
        let cnae = n
            .cnae_codes
            .iter()
            .map(|c| {
                let code = c.replace('.', "");
                match state.catalog.cnae("2025", &code) {
                    Some(info) => format!(
                        "{} {}",
                        display_cnae(&code),
                        if es { &info.title_es } else { &info.title_en }
                    ),
                    None => display_cnae(&code),
                }
            })
            .collect();
        Self {
            id: n.id.clone(),
            url: format!("/pact/needs/{}", n.id),
            reference: n.reference.clone(),
            title: n.title.clone(),
            kind_label: kind_label(tr, &n.kind),
            status: n.status.clone(),
            status_label: status_label(tr, &n.status),
            owner: owner_label(tr, n),
            anonymous: n.anonymous,
            summary: n.summary.clone(),
            description: n.description.clone(),
            cnae,
            cpv: n.cpv_codes.join(", "),
            certifications: n.required_certifications.clone(),
            quantity: n.quantity.clone().unwrap_or_default(),
            recurrence: n
                .recurrence
                .as_deref()
                .map(|r| tr.t(&format!("pact-recurrence-{r}")).to_owned())
                .unwrap_or_default(),
            municipality: n
                .municipality_name
                .clone()
                .or_else(|| n.municipality_code.clone())
                .unwrap_or_default(),
            deadline: date_text(tr.lang, n.deadline.as_deref()),
            min_size: n
                .min_size_band
                .as_deref()
                .map(|s| tr.t(&format!("pact-size-{s}")).to_owned())
                .unwrap_or_default(),
            broker: n.broker_name.clone().unwrap_or_default(),
            routed: n.routed_org_name.clone().unwrap_or_default(),
            close_reason: n.close_reason.clone().unwrap_or_default(),
            version: n.version,
        }
    }
}

/// The response clock, worded.
#[derive(Default)]
pub struct ClockView {
    pub published: bool,
    pub published_on: String,
    pub due_on: String,
    pub elapsed: String,
    pub first_answer: String,
    pub answered: bool,
    pub late: bool,
}

/// A ranked organisation on the need's page.
pub struct MatchRow {
    pub org_id: String,
    pub name: String,
    pub score: String,
    pub complete: bool,
    pub invited: bool,
    pub reasons: Vec<String>,
}

pub struct MatchesView {
    pub answerable: bool,
    pub candidates: i64,
    pub rows: Vec<MatchRow>,
}

/// An answer in the need's table.
pub struct AnswerRow {
    pub id: String,
    pub url: String,
    pub name: String,
    pub status: String,
    pub status_label: String,
    pub score: String,
    pub answered: String,
    pub released: bool,
    /// (move, button label) this user may make now.
    pub moves: Vec<(String, String)>,
    pub can_accept: bool,
    pub version: i64,
}

/// The decisions on an answer a user may take now: (to, label).
pub fn answer_moves(
    tr: &Tr,
    need: &Need,
    access: &NeedAccess,
    a: &Answer,
) -> Vec<(String, String)> {
    if !access.may_decide() || !need.status().is_open() {
        return Vec::new();
    }
    a.status()
        .allowed()
        .iter()
        .filter(|s| {
            matches!(
                s,
                AnswerStatus::Shortlisted
                    | AnswerStatus::Meeting
                    | AnswerStatus::Accepted
                    | AnswerStatus::Rejected
            )
        })
        .map(|s| {
            (
                s.as_str().to_owned(),
                tr.t(&format!("pact-ans-move-{}", s.as_str())).to_owned(),
            )
        })
        .collect()
}

pub fn answer_url(need_id: &str, answer_id: &str) -> String {
    format!("/pact/needs/{need_id}/answers/{answer_id}")
}

/// One entry of the timeline.
pub struct EventRow {
    pub at: String,
    pub at_iso: String,
    pub label: String,
    pub detail: String,
}

pub fn event_rows(tr: &Tr, events: &[NeedEvent], office: bool) -> Vec<EventRow> {
    events
        .iter()
        .map(|e| EventRow {
            at: local_time(tr.lang, &e.at),
            at_iso: e.at.clone(),
            label: tr.t(&format!("pact-event-{}", e.kind)).to_owned(),
            // Who did it only for the office: a name would give a side away.
            detail: if office {
                e.actor_name.clone().unwrap_or_default()
            } else {
                String::new()
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "pact/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    need: NeedView,
    office: bool,
    can_edit: bool,
    /// The manual moves this user may make: `submitted`, `draft`, `published`, `closed`.
    moves: Vec<String>,
    brokers: Vec<(String, String)>,
    broker_id: String,
    routed_kind: bool,
    administrations: Vec<(String, String)>,
    routed_org_id: String,
    reason: String,
    clock: ClockView,
    show_funnel: bool,
    /// (step, value, reached).
    funnel: Vec<(String, String, bool)>,
    matches: Option<MatchesView>,
    can_invite: bool,
    show_answers: bool,
    answers: Vec<AnswerRow>,
    my_answer: Option<String>,
    timeline: Vec<EventRow>,
    errors: FormErrors,
    notice: Option<String>,
}

impl DetailPage {
    fn can(&self, to: &str) -> bool {
        self.moves.iter().any(|m| m == to)
    }

    async fn load(
        state: &AppState,
        ctx: PageCtx,
        user: &User,
        need: &Need,
        access: &NeedAccess,
    ) -> Result<Self, Response> {
        let tr = ctx.tr.clone();
        let lang = tr.lang;
        let office = access.office;
        let status = need.status();
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let answers = if access.sees_all_answers() || !access.answer_ids.is_empty() {
                store::answers(&mut conn, need, access).await?
            } else {
                Vec::new()
            };
            let events = store::events(&mut conn, &need.id, access).await?;
            let funnel = if office || access.owner {
                Some(store::funnel(&mut conn, need).await?)
            } else {
                None
            };
            let administrations = if office && status == NeedStatus::Submitted {
                crate::office::procedures::store::administrations(&mut conn)
                    .await?
                    .into_iter()
                    .map(|o| (o.id, o.name))
                    .collect()
            } else {
                Vec::new()
            };
            Ok::<_, sqlx::Error>((answers, events, funnel, administrations))
        }
        .await;
        let (answers, events, funnel, administrations) =
            loaded.map_err(|e| ctx.fail(e).into_response())?;
        let brokers = if office && status == NeedStatus::Submitted {
            crate::office::pages::staff_options(state)
                .await
                .map_err(|e| ctx.fail(e).into_response())?
        } else {
            Vec::new()
        };
        // The office ranks from triage on: it may invite once published.
        let ranked = access.may_invite()
            && matches!(
                status,
                NeedStatus::Submitted
                    | NeedStatus::Published
                    | NeedStatus::Answered
                    | NeedStatus::Negotiating
            );
        let matches = if ranked {
            let list = matching::matches(state, &tr, need, today(), MATCHES)
                .await
                .map_err(|e| ctx.fail(e).into_response())?;
            Some(MatchesView {
                answerable: list.answerable,
                candidates: list.candidates as i64,
                rows: list
                    .items
                    .iter()
                    .map(|m| MatchRow {
                        org_id: m.organization_id.clone(),
                        name: m.name.clone(),
                        score: crate::sites::pages::num(lang, f64::from(m.score), 1),
                        complete: m.complete,
                        invited: answers.iter().any(|a| {
                            a.organization_id.as_deref() == Some(m.organization_id.as_str())
                        }),
                        reasons: m
                            .raw
                            .iter()
                            .map(|r| matching::reason_text(&tr, r))
                            .collect(),
                    })
                    .collect(),
            })
        } else {
            None
        };
        let moves: Vec<String> = status
            .allowed()
            .iter()
            .filter(|to| {
                matches!(
                    to,
                    NeedStatus::Submitted
                        | NeedStatus::Draft
                        | NeedStatus::Published
                        | NeedStatus::Closed
                ) && access.may_move(status, **to)
            })
            .map(|to| to.as_str().to_owned())
            .collect();
        let clock = match &need.clock {
            Some(c) => ClockView {
                published: true,
                published_on: date_text(lang, need.published_at.as_deref()),
                due_on: local_date(lang, &c.due_on),
                elapsed: tr.tn(
                    "pact-clock-days",
                    &[
                        ("elapsed", c.elapsed.into()),
                        ("target", c.target_days.into()),
                    ],
                ),
                first_answer: date_text(lang, need.first_answer_at.as_deref()),
                answered: c.answered,
                late: c.late,
            },
            None => ClockView::default(),
        };
        let not_yet = || tr.t("pact-funnel-not-yet").to_owned();
        let funnel_rows = match &funnel {
            Some(f) => {
                let published = date_text(lang, need.published_at.as_deref());
                let first = date_text(lang, need.first_answer_at.as_deref());
                let agreed = date_text(lang, need.agreed_at.as_deref());
                let agreement = match (agreed.is_empty(), need.agreed_amount_cents) {
                    (true, _) => not_yet(),
                    (false, Some(c)) => tr.tn(
                        "pact-funnel-agreed-amount",
                        &[
                            ("date", agreed.clone().into()),
                            ("amount", euros(lang, c).into()),
                        ],
                    ),
                    (false, None) => agreed.clone(),
                };
                vec![
                    (
                        tr.t("pact-funnel-published").to_owned(),
                        if published.is_empty() {
                            not_yet()
                        } else {
                            published.clone()
                        },
                        !published.is_empty(),
                    ),
                    (
                        tr.t("pact-funnel-first").to_owned(),
                        if first.is_empty() {
                            not_yet()
                        } else {
                            first.clone()
                        },
                        !first.is_empty(),
                    ),
                    (
                        tr.t("pact-funnel-interest").to_owned(),
                        f.interested.to_string(),
                        f.interested > 0,
                    ),
                    (
                        tr.t("pact-funnel-meetings").to_owned(),
                        f.meeting.to_string(),
                        f.meeting > 0,
                    ),
                    (
                        tr.t("pact-funnel-agreement").to_owned(),
                        agreement,
                        !agreed.is_empty(),
                    ),
                ]
            }
            None => Vec::new(),
        };
        let answer_rows = if access.sees_all_answers() {
            answers
                .iter()
                .map(|a| {
                    let moves = answer_moves(&tr, need, access, a);
                    AnswerRow {
                        id: a.id.clone(),
                        url: answer_url(&need.id, &a.id),
                        name: candidate_label(&tr, a),
                        status: a.status.clone(),
                        status_label: answer_status_label(&tr, &a.status),
                        score: a
                            .score
                            .filter(|_| office)
                            .map(|s| crate::sites::pages::num(lang, s, 1))
                            .unwrap_or_default(),
                        answered: date_text(lang, a.answered_at.as_deref()),
                        released: a.identities_released,
                        can_accept: moves.iter().any(|(m, _)| m == "accepted"),
                        moves,
                        version: a.version,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let my_answer = access
            .answer_ids
            .first()
            .filter(|_| !access.sees_all_answers())
            .map(|a| answer_url(&need.id, a));
        let default_broker = need.broker_id.clone().unwrap_or_else(|| {
            if office {
                user.id.clone()
            } else {
                String::new()
            }
        });
        Ok(Self {
            need: NeedView::new(state, &tr, need),
            office,
            can_edit: access.may_edit(status),
            moves,
            brokers,
            broker_id: default_broker,
            routed_kind: need.kind().routed_to_administration(),
            administrations,
            routed_org_id: need.routed_org_id.clone().unwrap_or_default(),
            reason: String::new(),
            clock,
            show_funnel: funnel.is_some(),
            funnel: funnel_rows,
            can_invite: access.may_invite() && status.is_open(),
            matches,
            show_answers: access.sees_all_answers(),
            answers: answer_rows,
            my_answer,
            timeline: event_rows(&tr, &events, office),
            errors: FormErrors::default(),
            notice: None,
            ctx,
        })
    }
}

async fn detail_with(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    need: &Need,
    access: &NeedAccess,
    status: StatusCode,
    setup: impl FnOnce(&mut DetailPage),
) -> Response {
    match DetailPage::load(state, ctx, user, need, access).await {
        Ok(mut page) => {
            setup(&mut page);
            (status, render(&page)).into_response()
        }
        Err(r) => r,
    }
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    match found(&state, &user, &ctx, &id).await {
        Ok((need, access)) => {
            detail_with(&state, ctx, &user, &need, &access, StatusCode::OK, |_| {}).await
        }
        Err(r) => r,
    }
}

/// The need's page again after the store refused a write (`field`: where a
/// field-less refusal is shown).
pub async fn detail_refused(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    need: &Need,
    access: &NeedAccess,
    e: WriteError,
    field: &str,
) -> Response {
    let tr = ctx.tr.clone();
    let mut errors = FormErrors::default();
    let (status, notice) = match &e {
        WriteError::NotFound => return ctx.not_found().into_response(),
        WriteError::Forbidden => return PageError::page(ctx, StatusCode::FORBIDDEN),
        WriteError::Conflict(_) => (StatusCode::CONFLICT, Some(tr.t("pact-conflict").to_owned())),
        WriteError::Invalid(errs) => {
            for i in errs {
                errors.add(&form_field(&i.field), i.message(&tr));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        WriteError::Transition { allowed, .. } => {
            let words: Vec<String> = allowed.iter().map(|s| status_label(&tr, s)).collect();
            let words = if words.is_empty() {
                tr.t("pact-none").to_owned()
            } else {
                words.join(", ")
            };
            errors.add(field, tr.t1("pact-page-err-move", "allowed", words));
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        WriteError::Db(_) | WriteError::Mail(_) => {
            return ctx.fail(anyhow::anyhow!("{e}")).into_response();
        }
    };
    detail_with(state, ctx, user, need, access, status, |p| {
        p.errors = errors;
        p.notice = notice;
    })
    .await
}

// ---- Moves ----

async fn transition(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let to = NeedStatus::parse(field(&pairs, "to").trim());
    let reason = opt(field(&pairs, "reason"));
    // What the page can say itself: an unknown move, a close without a reason.
    let mut errors = FormErrors::default();
    if to.is_none() {
        let words: Vec<String> = need
            .status()
            .allowed()
            .iter()
            .filter(|s| access.may_move(need.status(), **s))
            .map(|s| status_label(&tr, s.as_str()))
            .collect();
        errors.add(
            "to",
            tr.t1("pact-page-err-move", "allowed", words.join(", ")),
        );
    }
    if to == Some(NeedStatus::Closed) && reason.is_none() {
        errors.add("reason", tr.t("pact-page-err-reason"));
    }
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        return detail_with(
            &state,
            ctx,
            &user,
            &need,
            &access,
            StatusCode::UNPROCESSABLE_ENTITY,
            |p| p.errors = errors,
        )
        .await;
    };
    if !access.may_move(need.status(), to) && need.status().can_move_to(to) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let mv = Move {
        to,
        reason: if to == NeedStatus::Closed {
            reason
        } else {
            None
        },
        broker_id: opt(field(&pairs, "broker_id")).filter(|_| to == NeedStatus::Published),
        routed_org_id: opt(field(&pairs, "routed_org_id")).filter(|_| to == NeedStatus::Published),
    };
    let done = in_tx!(state, |tx| store::transition(
        &state,
        &mut tx,
        &user,
        &need.id,
        version_of(&pairs),
        &mv
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/needs/{}", need.id),
            &[flash_cookie("flash-pact-need-moved")],
        ),
        Ok(Err(e)) => detail_refused(&state, ctx, &user, &need, &access, e, "to").await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn invite(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access) = match found(&state, &user, &ctx, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.may_invite() {
        return ctx.not_found().into_response();
    }
    let mut ids: Vec<String> = Vec::new();
    for (k, v) in &pairs {
        if k == "organization_ids" && plausible_id(v.trim()) && !ids.contains(v) && ids.len() < 200
        {
            ids.push(v.trim().to_owned());
        }
    }
    if ids.is_empty() {
        let message = ctx.tr.t("pact-page-err-select").to_owned();
        return detail_with(
            &state,
            ctx,
            &user,
            &need,
            &access,
            StatusCode::UNPROCESSABLE_ENTITY,
            |p| p.errors.add("organization_ids", message),
        )
        .await;
    }
    let done = in_tx!(state, |tx| store::invite(
        &state, &mut tx, &user, &need.id, &ids
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/pact/needs/{}#answers-title", need.id),
            &[flash_cookie("flash-pact-need-invited")],
        ),
        Ok(Err(e)) => {
            detail_refused(&state, ctx, &user, &need, &access, e, "organization_ids").await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Targets ----

pub struct TargetRow {
    pub kind: String,
    pub label: String,
    pub field: String,
    pub days: String,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "pact/targets.html")]
struct TargetsPage {
    ctx: PageCtx,
    rows: Vec<TargetRow>,
    errors: FormErrors,
    notice: Option<String>,
}

async fn targets_rows(state: &AppState, tr: &Tr) -> Result<Vec<TargetRow>, sqlx::Error> {
    let mut conn = state.db.reader().acquire().await?;
    let targets = store::targets(&mut conn).await?;
    Ok(targets
        .into_iter()
        .map(|t| TargetRow {
            label: kind_label(tr, &t.kind),
            field: format!("days_{}", t.kind),
            days: t.target_days.to_string(),
            version: t.version,
            kind: t.kind,
        })
        .collect())
}

async fn targets_page(State(state): State<AppState>, Admin(_user, ctx): Admin) -> Response {
    match targets_rows(&state, &ctx.tr).await {
        Ok(rows) => render(&TargetsPage {
            ctx,
            rows,
            errors: FormErrors::default(),
            notice: None,
        }),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn targets_save(
    State(state): State<AppState>,
    Admin(user, ctx): Admin,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let tr = ctx.tr.clone();
    let mut rows = match targets_rows(&state, &tr).await {
        Ok(r) => r,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut errors = FormErrors::default();
    let mut items = Vec::new();
    let mut stale = false;
    for r in &mut rows {
        let typed = field(&pairs, &r.field).trim().to_owned();
        let read: i64 = field(&pairs, &format!("version_{}", r.kind))
            .trim()
            .parse()
            .unwrap_or(-1);
        if read != r.version {
            stale = true;
        }
        match typed.parse::<i64>() {
            Ok(d) if (1..=365).contains(&d) => {
                if d.to_string() != r.days {
                    items.push(TargetInput {
                        kind: r.kind.clone(),
                        target_days: d,
                    });
                }
            }
            _ => errors.add(&r.field, tr.t("pact-page-err-days")),
        }
        r.days = typed;
    }
    if stale {
        // Someone saved in between: show what is stored now.
        return match targets_rows(&state, &tr).await {
            Ok(now) => (
                StatusCode::CONFLICT,
                render(&TargetsPage {
                    ctx,
                    rows: now,
                    errors: FormErrors::default(),
                    notice: Some(tr.t("pact-targets-conflict").to_owned()),
                }),
            )
                .into_response(),
            Err(e) => ctx.fail(e).into_response(),
        };
    }
    if !errors.is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&TargetsPage {
                ctx,
                rows,
                errors,
                notice: None,
            }),
        )
            .into_response();
    }
    if !items.is_empty() {
        let done = in_tx!(state, |tx| store::set_targets(&mut tx, &user, &items).await);
        match done {
            Ok(Ok(_)) => {}
            Ok(Err(WriteError::Invalid(errs))) => {
                for i in &errs {
                    errors.add(&format!("days_{}", i.field), i.message(&tr));
                }
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    render(&TargetsPage {
                        ctx,
                        rows,
                        errors,
                        notice: None,
                    }),
                )
                    .into_response();
            }
            Ok(Err(e)) => return ctx.fail(anyhow::anyhow!("{e}")).into_response(),
            Err(e) => return ctx.fail(e).into_response(),
        }
    }
    redirect_with("/pact/targets", &[flash_cookie("flash-pact-targets-saved")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_typed() {
        assert_eq!(parse_euros(Lang::Es, ""), Ok(None));
        assert_eq!(parse_euros(Lang::Es, "12.500"), Ok(Some(1_250_000)));
        assert_eq!(parse_euros(Lang::Es, "12500,50 €"), Ok(Some(1_250_050)));
        assert_eq!(parse_euros(Lang::En, "12,500.50"), Ok(Some(1_250_050)));
        assert_eq!(parse_euros(Lang::En, "€300"), Ok(Some(30_000)));
        assert_eq!(parse_euros(Lang::Es, "-5"), Err(BadAmount));
        assert_eq!(parse_euros(Lang::Es, "mucho"), Err(BadAmount));
        assert_eq!(euros(Lang::Es, 1_250_000), "12.500 €");
        assert_eq!(euros(Lang::En, 1_250_050), "€12,500.50");
    }

    #[test]
    fn store_fields_map_to_the_form() {
        assert_eq!(form_field("cnae_codes[1]"), "cnae_2");
        assert_eq!(form_field("cnae_codes[9]"), "cnae_codes");
        assert_eq!(form_field("cnae_codes"), "cnae_codes");
        assert_eq!(form_field("title"), "title");
        assert_eq!(
            form_field("required_certifications[3]"),
            "required_certifications"
        );
    }
}
