//! The commitments on pages (seats of the pact's workspace only; anonymous
//! visitors are sent to log in, users without a seat get 404):
//!
//! - `/pact/commitments`: the tree (number, reference, title, owner, status
//!   shown, progress bar with its number, due date, indicator against target)
//!   with the counts; new, import and export for the secretariat;
//! - `/pact/commitments/new?parent=&agreement=`, `/pact/commitments/{id}/edit`:
//!   the form (the owner's representatives see status and progress only);
//! - `/pact/commitments/{id}`: everything, milestones and meetings, with their
//!   forms for those who may use them;
//! - `/pact/commitments/export.csv`, `/pact/commitments/import` (upload →
//!   preview with every error → apply).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use besaya_domain::alliance::{CommitmentStatus, Indicator, Shown, StatusCounts, Unit};
use serde::Deserialize;

use super::api::{CommitmentView, csv_response, view};
use super::csv::{self, ImportReport};
use super::model::TreeLine;
use super::store::{self, CommitmentInput, MilestoneInput, WriteError};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, User, secret};
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::office::work::madrid;
use crate::pact::Invalid;
use crate::pact::alliance::{Seat, seat};
use crate::pact::pages::{date_text, euros, field, plausible_id, version_of};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Largest file the import page takes.
const IMPORT_MAX: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/commitments", get(tree_page))
        .route("/pact/commitments/new", get(new_page).post(create))
        .route("/pact/commitments/export.csv", get(export))
        .route(
            "/pact/commitments/import",
            get(import_page)
                .post(import_post)
                .layer(DefaultBodyLimit::max(IMPORT_MAX * 2 + 64 * 1024)),
        )
        .route("/pact/commitments/{id}", get(detail_page))
        .route("/pact/commitments/{id}/edit", get(edit_page).post(update))
        .route("/pact/commitments/{id}/delete", post(remove))
        .route("/pact/commitments/{id}/milestones", post(add_milestone))
        .route(
            "/pact/commitments/{id}/milestones/{mid}",
            post(change_milestone),
        )
        .route("/pact/commitments/{id}/meetings", post(link_meeting))
        .route(
            "/pact/commitments/{id}/meetings/{mid}/delete",
            post(unlink_meeting),
        )
}

// ---- Words ----

pub fn shown_label(tr: &Tr, s: Shown) -> String {
    tr.t(&format!("pact-com-shown-{}", s.as_str())).to_owned()
}

fn status_label(tr: &Tr, s: &str) -> String {
    tr.t(&format!("pact-com-status-{s}")).to_owned()
}

fn indicator_label(tr: &Tr, code: &str) -> String {
    tr.t(&format!("pact-ind-{code}-name")).to_owned()
}

/// A value in its indicator's unit, worded.
fn in_unit(lang: Lang, ind: Option<Indicator>, v: i64) -> String {
    match ind.map(Indicator::unit) {
        Some(Unit::Cents) => euros(lang, v),
        Some(Unit::Percent) => format!("{v} %"),
        _ => v.to_string(),
    }
}

/// `03/12/2026 18:30` (Madrid) of a stored timestamp.
fn when_text(lang: Lang, ts: &str) -> String {
    match madrid::parse_stored(ts) {
        Some(t) => {
            let l = madrid::local(t);
            let day = besaya_domain::directory::format_date(l.date());
            format!(
                "{} {:02}:{:02}",
                date_text(lang, Some(&day)),
                l.hour(),
                l.minute()
            )
        }
        None => date_text(lang, Some(ts)),
    }
}

// ---- Access ----

/// The user's seat; the 404 page without one.
async fn seated(state: &AppState, user: &User, ctx: &PageCtx) -> Result<Seat, Response> {
    match seat(&state.db, Some(user), madrid::today()).await {
        Ok(s) if s.in_workspace() => Ok(s),
        Ok(_) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

fn refused(ctx: PageCtx, e: WriteError) -> Response {
    match e {
        WriteError::NotFound => ctx.not_found().into_response(),
        WriteError::Forbidden => PageError::page(ctx, StatusCode::FORBIDDEN),
        other => ctx.fail(anyhow::anyhow!("{other}")).into_response(),
    }
}

// ---- The tree ----

pub struct LineView {
    pub id: String,
    pub number: String,
    pub depth: usize,
    pub reference: String,
    pub title: String,
    pub owner: String,
    pub shown: String,
    pub shown_class: &'static str,
    pub progress: u8,
    pub due: String,
    /// (value against target, link to the records).
    pub indicator: Option<(String, String)>,
    pub public: bool,
}

impl LineView {
    pub fn new(tr: &Tr, lang: Lang, l: &TreeLine) -> Self {
        let c = &l.commitment;
        let ind = c.indicator.as_deref().and_then(Indicator::parse);
        let indicator = ind.map(|i| {
            let value = l.indicator_value.unwrap_or(0);
            let target = c.indicator_target.unwrap_or(0);
            let text = tr.tn(
                "pact-com-ind-against",
                &[
                    ("name", indicator_label(tr, i.as_str()).into()),
                    ("value", in_unit(lang, ind, value).into()),
                    ("target", in_unit(lang, ind, target).into()),
                ],
            );
            let href = match &c.indicator_from {
                Some(f) => format!("/pact/indicators/{}?from={f}", i.as_str()),
                None => format!("/pact/indicators/{}", i.as_str()),
            };
            (text, href)
        });
        Self {
            id: c.id.clone(),
            number: l.number.clone(),
            depth: l.depth,
            reference: c.reference.clone(),
            title: c.title.clone(),
            owner: c.owner_name.clone().unwrap_or_default(),
            shown: shown_label(tr, l.shown),
            shown_class: l.shown.as_str(),
            progress: l.progress,
            due: date_text(lang, c.due_on.as_deref()),
            indicator,
            public: c.public,
        }
    }

    /// Indent of the title (a class per depth, up to 5).
    pub fn indent(&self) -> usize {
        self.depth.min(5)
    }
}

#[derive(Template)]
#[template(path = "pact/commitments/list.html")]
struct TreePage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    secretariat: bool,
    lines: Vec<LineView>,
    counts: String,
}

pub fn counts_text(tr: &Tr, lines: &[TreeLine]) -> String {
    let c = StatusCounts::of(lines.iter().map(|l| l.shown));
    tr.tn(
        "pact-com-counts",
        &[
            ("finished", (c.finished as i64).into()),
            ("total", (c.total as i64).into()),
            ("in_progress", (c.in_progress as i64).into()),
            ("delayed", (c.delayed as i64).into()),
        ],
    )
}

async fn tree_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lines = match store::tree(&state.db, madrid::today(), false).await {
        Ok(l) => l,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let page = TreePage {
        in_workspace: true,
        nav: "commitments",
        secretariat: seat.secretariat,
        counts: counts_text(&tr, &lines),
        lines: lines
            .iter()
            .map(|l| LineView::new(&tr, ctx.lang, l))
            .collect(),
        ctx,
    };
    render(&page)
}

// ---- The form ----

#[derive(Debug, Clone, Default)]
struct Form {
    version: i64,
    parent_id: String,
    title: String,
    description: String,
    owner_org_id: String,
    status: String,
    progress: String,
    weight: String,
    starts_on: String,
    due_on: String,
    indicator: String,
    indicator_baseline: String,
    indicator_target: String,
    indicator_from: String,
    public: bool,
    agreement_id: String,
}

impl Form {
    fn of_input(i: &CommitmentInput, version: i64) -> Self {
        Self {
            version,
            parent_id: i.parent_id.clone().unwrap_or_default(),
            title: i.title.clone(),
            description: i.description.clone(),
            owner_org_id: i.owner_org_id.clone().unwrap_or_default(),
            status: i.status.clone(),
            progress: i.progress.to_string(),
            weight: i.weight.to_string(),
            starts_on: i.starts_on.clone().unwrap_or_default(),
            due_on: i.due_on.clone().unwrap_or_default(),
            indicator: i.indicator.clone().unwrap_or_default(),
            indicator_baseline: i.indicator_baseline.to_string(),
            indicator_target: i
                .indicator_target
                .map(|t| t.to_string())
                .unwrap_or_default(),
            indicator_from: i.indicator_from.clone().unwrap_or_default(),
            public: i.public,
            agreement_id: String::new(),
        }
    }

    fn from_pairs(p: &[(String, String)]) -> Self {
        let f = |n: &str| field(p, n).to_owned();
        Self {
            version: version_of(p),
            parent_id: f("parent_id"),
            title: f("title"),
            description: f("description"),
            owner_org_id: f("owner_org_id"),
            status: f("status"),
            progress: f("progress"),
            weight: f("weight"),
            starts_on: f("starts_on"),
            due_on: f("due_on"),
            indicator: f("indicator"),
            indicator_baseline: f("indicator_baseline"),
            indicator_target: f("indicator_target"),
            indicator_from: f("indicator_from"),
            public: field(p, "public") == "1",
            agreement_id: f("agreement_id"),
        }
    }

    /// The input, or the fields that are not numbers.
    fn input(&self, position: Option<i64>) -> Result<CommitmentInput, Vec<Invalid>> {
        let mut e = Vec::new();
        let mut num = |name: &str, raw: &str, default: i64| -> i64 {
            let t = raw.trim();
            if t.is_empty() {
                return default;
            }
            t.parse().unwrap_or_else(|_| {
                e.push(Invalid::with(
                    name,
                    "com_not_number",
                    crate::web::invalid::shown(t),
                ));
                default
            })
        };
        let progress = num("progress", &self.progress, 0);
        let weight = num("weight", &self.weight, 1);
        let baseline = num("indicator_baseline", &self.indicator_baseline, 0);
        let target = (!self.indicator_target.trim().is_empty())
            .then(|| num("indicator_target", &self.indicator_target, 0));
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        if !e.is_empty() {
            return Err(e);
        }
        Ok(CommitmentInput {
            parent_id: opt(&self.parent_id),
            position,
            title: self.title.clone(),
            description: self.description.clone(),
            owner_org_id: opt(&self.owner_org_id),
            status: self.status.clone(),
            progress,
            weight,
            starts_on: opt(&self.starts_on),
            due_on: opt(&self.due_on),
            indicator: opt(&self.indicator),
            indicator_baseline: baseline,
            indicator_target: target,
            indicator_from: opt(&self.indicator_from),
            public: self.public,
        })
    }
}

#[derive(Template)]
#[template(path = "pact/commitments/form.html")]
struct FormPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    heading: String,
    action: String,
    cancel: String,
    /// The full form (secretariat) or status and progress only (owner's representatives).
    full: bool,
    form: Form,
    errors: FormErrors,
    notice: Option<String>,
    /// The agreement it comes from (reference).
    agreement: Option<String>,
    statuses: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    parents: Vec<(String, String)>,
    members: Vec<(String, String)>,
    others: Vec<(String, String)>,
}

async fn owner_choices(
    state: &AppState,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), sqlx::Error> {
    let today = besaya_domain::directory::format_date(madrid::today());
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT o.id, o.name FROM pact_members m JOIN organizations o ON o.id = m.organization_id \
         WHERE m.joined_on <= $1 AND (m.left_on IS NULL OR m.left_on > $1) ORDER BY o.name",
    )
    .bind(&today)
    .fetch_all(state.db.reader())
    .await?;
    let all: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organizations ORDER BY name LIMIT 5000")
            .fetch_all(state.db.reader())
            .await?;
    let others = all
        .into_iter()
        .filter(|(id, _)| !members.iter().any(|(m, _)| m == id))
        .collect();
    Ok((members, others))
}

impl FormPage {
    async fn new(
        state: &AppState,
        ctx: PageCtx,
        editing: Option<&CommitmentView>,
        full: bool,
        form: Form,
        agreement: Option<String>,
    ) -> Result<Self, Response> {
        let tr = ctx.tr.clone();
        let (members, others) = match owner_choices(state).await {
            Ok(x) => x,
            Err(e) => return Err(ctx.fail(e).into_response()),
        };
        let lines = match store::tree(&state.db, madrid::today(), false).await {
            Ok(l) => l,
            Err(e) => return Err(ctx.fail(e).into_response()),
        };
        // Not under itself or its descendants.
        let mut parents = Vec::new();
        let mut skip_below: Option<usize> = None;
        for l in &lines {
            if let Some(d) = skip_below {
                if l.depth > d {
                    continue;
                }
                skip_below = None;
            }
            if editing.is_some_and(|v| v.item.commitment.id == l.commitment.id) {
                skip_below = Some(l.depth);
                continue;
            }
            parents.push((
                l.commitment.id.clone(),
                format!(
                    "{} {} — {}",
                    l.number, l.commitment.reference, l.commitment.title
                ),
            ));
        }
        let (heading, action, cancel) = match editing {
            Some(v) => (
                tr.t1(
                    "pact-com-edit-title",
                    "reference",
                    v.item.commitment.reference.clone(),
                ),
                format!("/pact/commitments/{}/edit", v.item.commitment.id),
                format!("/pact/commitments/{}", v.item.commitment.id),
            ),
            None => (
                tr.t("pact-com-new-title").to_owned(),
                "/pact/commitments/new".to_owned(),
                "/pact/commitments".to_owned(),
            ),
        };
        Ok(Self {
            in_workspace: true,
            nav: "commitments",
            heading,
            action,
            cancel,
            full,
            form,
            errors: FormErrors::default(),
            notice: None,
            agreement,
            statuses: CommitmentStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), status_label(&tr, s.as_str())))
                .collect(),
            indicators: Indicator::ALL
                .iter()
                .map(|i| (i.as_str().to_owned(), indicator_label(&tr, i.as_str())))
                .collect(),
            parents,
            members,
            others,
            ctx,
        })
    }
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    parent: Option<String>,
    agreement: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<NewQuery>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !seat.secretariat {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let mut input = CommitmentInput::default();
    let mut agreement = None;
    let mut agreement_id = String::new();
    if let Some(a) = q.agreement.as_deref().filter(|a| plausible_id(a)) {
        let found = async {
            let mut conn = state.db.reader().acquire().await?;
            store::agreement(&mut conn, a).await
        }
        .await;
        match found {
            Ok(Some((text, reference))) => {
                input = store::from_agreement(&text);
                agreement = Some(reference);
                agreement_id = a.to_owned();
            }
            Ok(None) => return ctx.not_found().into_response(),
            Err(e) => return ctx.fail(e).into_response(),
        }
    }
    input.parent_id = q.parent.filter(|p| plausible_id(p));
    let mut form = Form::of_input(&input, 0);
    form.agreement_id = agreement_id;
    match FormPage::new(&state, ctx, None, true, form, agreement).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !seat.secretariat {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = Form::from_pairs(&pairs);
    let agreement_id = Some(form.agreement_id.trim()).filter(|a| !a.is_empty());
    let r = match form.input(None) {
        Err(errs) => Err(WriteError::Invalid(errs)),
        Ok(input) => {
            let done = in_tx!(state, |tx| store::create(
                &mut tx,
                &user,
                &seat,
                &input,
                agreement_id,
                madrid::today()
            )
            .await);
            match done {
                Ok(r) => r,
                Err(e) => return ctx.fail(e).into_response(),
            }
        }
    };
    match r {
        Ok(id) => redirect_with(
            &format!("/pact/commitments/{id}"),
            &[flash_cookie("flash-pact-com-created")],
        ),
        Err(e) => {
            let agreement = match agreement_id {
                Some(a) => {
                    let mut conn = match state.db.reader().acquire().await {
                        Ok(c) => c,
                        Err(e) => return ctx.fail(e).into_response(),
                    };
                    store::agreement(&mut conn, a)
                        .await
                        .ok()
                        .flatten()
                        .map(|(_, r)| r)
                }
                None => None,
            };
            form_refused(&state, ctx, None, true, form, agreement, e).await
        }
    }
}

/// The form again with the store's refusal.
async fn form_refused(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<&CommitmentView>,
    full: bool,
    form: Form,
    agreement: Option<String>,
    e: WriteError,
) -> Response {
    let tr = ctx.tr.clone();
    match e {
        WriteError::Invalid(errs) => {
            let mut page = match FormPage::new(state, ctx, editing, full, form, agreement).await {
                Ok(p) => p,
                Err(r) => return r,
            };
            for i in &errs {
                page.errors.add(&i.field, i.message(&tr));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        WriteError::Conflict(_) => {
            let now = editing.map_or_else(Form::default, |v| {
                Form::of_input(
                    &store::input_of(&v.item.commitment),
                    v.item.commitment.version,
                )
            });
            let mut page = match FormPage::new(state, ctx, editing, full, now, agreement).await {
                Ok(p) => p,
                Err(r) => return r,
            };
            page.notice = Some(tr.t("pact-com-conflict").to_owned());
            (StatusCode::CONFLICT, render(&page)).into_response()
        }
        other => refused(ctx, other),
    }
}

/// The commitment's view, or the 404 page.
async fn found(
    state: &AppState,
    seat: &Seat,
    ctx: &PageCtx,
    id: &str,
) -> Result<CommitmentView, Response> {
    if !plausible_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match view(state, seat, id).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let v = match found(&state, &seat, &ctx, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.may_report {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let c = &v.item.commitment;
    let form = Form::of_input(&store::input_of(c), c.version);
    let agreement = c.agreement_reference.clone();
    match FormPage::new(&state, ctx, Some(&v), v.may_edit, form, agreement).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

async fn update(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let v = match found(&state, &seat, &ctx, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !v.may_report {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let c = &v.item.commitment;
    let full = v.may_edit;
    let mut form = Form::from_pairs(&pairs);
    if !full {
        // The owner's representatives report status and progress only.
        let mut keep = Form::of_input(&store::input_of(c), form.version);
        keep.status = form.status.clone();
        keep.progress = form.progress.clone();
        form = keep;
    }
    let position =
        (form.parent_id == c.parent_id.clone().unwrap_or_default()).then_some(c.position);
    let r = match form.input(position) {
        Err(errs) => Err(WriteError::Invalid(errs)),
        Ok(input) => {
            let done = in_tx!(state, |tx| store::update(
                &mut tx,
                &user,
                &seat,
                &id,
                form.version,
                &input
            )
            .await);
            match done {
                Ok(r) => r,
                Err(e) => return ctx.fail(e).into_response(),
            }
        }
    };
    match r {
        Ok(_) => redirect_with(
            &format!("/pact/commitments/{id}"),
            &[flash_cookie("flash-pact-com-updated")],
        ),
        Err(e) => {
            let agreement = c.agreement_reference.clone();
            form_refused(&state, ctx, Some(&v), full, form, agreement, e).await
        }
    }
}

// ---- A commitment's page ----

pub struct MilestoneView {
    pub id: String,
    pub title: String,
    pub due_on: String,
    pub due: String,
    pub done_on: String,
    pub done: String,
    pub version: i64,
    pub late: bool,
}

pub struct MeetingView {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub when: String,
    pub role: String,
    pub reviewed: bool,
}

#[derive(Template)]
#[template(path = "pact/commitments/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    line: LineView,
    status: String,
    description: String,
    parent: Option<(String, String)>,
    agreement: Option<String>,
    weight: i64,
    starts: String,
    indicator_from: String,
    baseline: String,
    version: i64,
    may_edit: bool,
    may_report: bool,
    has_children: bool,
    milestones: Vec<MilestoneView>,
    meetings: Vec<MeetingView>,
    meeting_choices: Vec<(String, String)>,
    errors: FormErrors,
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    seat: &Seat,
    id: &str,
    errors: FormErrors,
) -> Response {
    let v = match found(state, seat, &ctx, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let lang = ctx.lang;
    let today = madrid::today();
    let c = &v.item.commitment;
    let parent = match &c.parent_id {
        Some(p) => {
            let mut conn = match state.db.reader().acquire().await {
                Ok(c) => c,
                Err(e) => return ctx.fail(e).into_response(),
            };
            match store::get(&mut conn, p).await {
                Ok(x) => x.map(|x| (x.id, format!("{} — {}", x.reference, x.title))),
                Err(e) => return ctx.fail(e).into_response(),
            }
        }
        None => None,
    };
    let meeting_choices = if v.may_edit {
        let r = async {
            let mut conn = state.db.reader().acquire().await?;
            store::meeting_choices(&mut conn).await
        }
        .await;
        match r {
            Ok(list) => list
                .into_iter()
                .map(|(id, reference, title, at)| {
                    (
                        id,
                        format!("{reference} — {title} ({})", when_text(lang, &at)),
                    )
                })
                .collect(),
            Err(e) => return ctx.fail(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let line = TreeLine {
        commitment: c.clone(),
        number: v.item.number.clone(),
        depth: 0,
        progress: v.item.progress,
        shown: Shown::parse(&v.item.shown).unwrap_or(Shown::Planned),
        has_children: v.item.has_children,
        indicator_value: v.item.indicator_value,
    };
    let ind = c.indicator.as_deref().and_then(Indicator::parse);
    let page = DetailPage {
        in_workspace: true,
        nav: "commitments",
        line: LineView::new(&tr, lang, &line),
        status: status_label(&tr, &c.status),
        description: c.description.clone(),
        parent,
        agreement: c.agreement_reference.clone(),
        weight: c.weight,
        starts: date_text(lang, c.starts_on.as_deref()),
        indicator_from: date_text(lang, c.indicator_from.as_deref()),
        baseline: in_unit(lang, ind, c.indicator_baseline),
        version: c.version,
        may_edit: v.may_edit,
        may_report: v.may_report,
        has_children: v.item.has_children,
        milestones: v
            .milestones
            .iter()
            .map(|m| MilestoneView {
                id: m.id.clone(),
                title: m.title.clone(),
                due_on: m.due_on.clone(),
                due: date_text(lang, Some(&m.due_on)),
                done_on: m.done_on.clone().unwrap_or_default(),
                done: date_text(lang, m.done_on.as_deref()),
                version: m.version,
                late: m.done_on.is_none()
                    && besaya_domain::directory::parse_date(&m.due_on).is_some_and(|d| d < today),
            })
            .collect(),
        meetings: v
            .meetings
            .iter()
            .map(|m| MeetingView {
                id: m.meeting_id.clone(),
                reference: m.reference.clone(),
                title: m.title.clone(),
                when: when_text(lang, &m.starts_at),
                role: tr.t(&format!("pact-com-role-{}", m.role)).to_owned(),
                reviewed: m.role == "reviewed",
            })
            .collect(),
        meeting_choices,
        errors,
        ctx,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(&page)).into_response()
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    detail(&state, ctx, &seat, &id, FormErrors::default()).await
}

/// Runs a write in a transaction; on success redirects to the commitment with
/// `flash`, on invalid input shows its page with the errors (fields prefixed).
async fn write_then<F>(
    state: &AppState,
    ctx: PageCtx,
    seat: &Seat,
    id: &str,
    prefix: &str,
    flash: &str,
    f: F,
) -> Response
where
    F: AsyncFnOnce(&mut sqlx::AnyConnection) -> Result<(), WriteError>,
{
    let done = in_tx!(state, |tx| f(&mut tx).await);
    match done {
        Ok(Ok(())) => redirect_with(&format!("/pact/commitments/{id}"), &[flash_cookie(flash)]),
        Ok(Err(WriteError::Invalid(errs))) => {
            let mut errors = FormErrors::default();
            for i in &errs {
                errors.add(&format!("{prefix}{}", i.field), i.message(&ctx.tr));
            }
            detail(state, ctx, seat, id, errors).await
        }
        Ok(Err(WriteError::Conflict(_))) => {
            let mut errors = FormErrors::default();
            errors.add(&format!("{prefix}title"), ctx.tr.t("pact-com-conflict"));
            let r = detail(state, ctx, seat, id, errors).await;
            let mut r = r;
            *r.status_mut() = StatusCode::CONFLICT;
            r
        }
        Ok(Err(e)) => refused(ctx, e),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::delete(
        &mut tx,
        &user,
        &seat,
        &id,
        Some(version)
    )
    .await);
    match done {
        Ok(Ok(())) => redirect_with(
            "/pact/commitments",
            &[flash_cookie("flash-pact-com-deleted")],
        ),
        Ok(Err(WriteError::Invalid(errs))) => {
            let mut errors = FormErrors::default();
            for i in &errs {
                errors.add("delete", i.message(&ctx.tr));
            }
            detail(&state, ctx, &seat, &id, errors).await
        }
        Ok(Err(WriteError::Conflict(_))) => {
            let mut errors = FormErrors::default();
            errors.add("delete", ctx.tr.t("pact-com-conflict"));
            detail(&state, ctx, &seat, &id, errors).await
        }
        Ok(Err(e)) => refused(ctx, e),
        Err(e) => ctx.fail(e).into_response(),
    }
}

fn milestone_input(pairs: &[(String, String)]) -> MilestoneInput {
    let done = field(pairs, "done_on").trim();
    MilestoneInput {
        title: field(pairs, "title").to_owned(),
        due_on: field(pairs, "due_on").to_owned(),
        done_on: (!done.is_empty()).then(|| done.to_owned()),
    }
}

async fn add_milestone(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let input = milestone_input(&pairs);
    let (u, s, cid) = (user.clone(), seat.clone(), id.clone());
    write_then(
        &state,
        ctx,
        &seat,
        &id,
        "milestone_",
        "flash-pact-com-milestone-saved",
        async move |conn| {
            store::add_milestone(conn, &u, &s, &cid, &input)
                .await
                .map(|_| ())
        },
    )
    .await
}

/// Saves a milestone (`action=save`), marks it done today (`done`) or deletes it (`delete`).
async fn change_milestone(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, mid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let current = async {
        let mut conn = state.db.reader().acquire().await?;
        store::milestone(&mut conn, &mid).await
    }
    .await;
    let m = match current {
        Ok(Some(m)) if m.commitment_id == id => m,
        Ok(_) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let action = field(&pairs, "action").to_owned();
    let version = version_of(&pairs);
    let input = match action.as_str() {
        "done" => MilestoneInput {
            title: m.title.clone(),
            due_on: m.due_on.clone(),
            done_on: Some(besaya_domain::directory::format_date(madrid::today())),
        },
        _ => milestone_input(&pairs),
    };
    let (u, s) = (user.clone(), seat.clone());
    let prefix = format!("milestone_{mid}_");
    write_then(
        &state,
        ctx,
        &seat,
        &id,
        &prefix,
        "flash-pact-com-milestone-saved",
        async move |conn| {
            if action == "delete" {
                store::delete_milestone(conn, &u, &s, &mid)
                    .await
                    .map(|_| ())
            } else {
                store::update_milestone(conn, &u, &s, &mid, version, &input)
                    .await
                    .map(|_| ())
            }
        },
    )
    .await
}

async fn link_meeting(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let meeting = field(&pairs, "meeting_id").trim().to_owned();
    let (u, s, cid) = (user.clone(), seat.clone(), id.clone());
    write_then(
        &state,
        ctx,
        &seat,
        &id,
        "",
        "flash-pact-com-meeting-linked",
        async move |conn| {
            if meeting.is_empty() {
                return Err(WriteError::Invalid(vec![Invalid::new(
                    "meeting_id",
                    "required",
                )]));
            }
            store::link_meeting(conn, &u, &s, &cid, &meeting, "reviewed").await
        },
    )
    .await
}

async fn unlink_meeting(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, mid)): Path<(String, String)>,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (u, s, cid) = (user.clone(), seat.clone(), id.clone());
    write_then(
        &state,
        ctx,
        &seat,
        &id,
        "",
        "flash-pact-com-meeting-unlinked",
        async move |conn| store::unlink_meeting(conn, &u, &s, &cid, &mid).await,
    )
    .await
}

// ---- Export and import ----

async fn export(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if let Err(r) = seated(&state, &user, &ctx).await {
        return r;
    }
    let today = madrid::today();
    match csv::export_csv(&state.db, today).await {
        Ok(bytes) => csv_response(bytes, &csv::export_name(today)),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "pact/commitments/import.html")]
struct ImportPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    error: Option<String>,
    report: Option<ImportReport>,
    /// The checked file (base64), posted again to apply it.
    data: String,
    file_name: String,
}

impl ImportPage {
    fn new(ctx: PageCtx) -> Self {
        Self {
            ctx,
            in_workspace: true,
            nav: "commitments",
            error: None,
            report: None,
            data: String::new(),
            file_name: String::new(),
        }
    }
}

async fn import_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !seat.secretariat {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    render(&ImportPage::new(ctx))
}

/// The upload (`file`: checked and previewed) or the apply (`data`: the
/// checked file again, written when still clean).
async fn import_post(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    token: axum::Extension<CsrfToken>,
    mut multipart: Multipart,
) -> Response {
    let seat = match seated(&state, &user, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !seat.secretariat {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let mut csrf_ok = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut data: Option<String> = None;
    let mut file_name = String::new();
    let mut too_large = false;
    let mut bad = false;
    loop {
        let f = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                bad = true;
                break;
            }
        };
        match f.name() {
            Some("_csrf") => {
                let value = f.text().await.unwrap_or_default();
                csrf_ok = token
                    .existing()
                    .is_some_and(|e| secret::constant_time_eq(e.as_bytes(), value.as_bytes()));
            }
            Some("file") if csrf_ok => {
                let name = f.file_name().unwrap_or("").to_owned();
                match f.bytes().await {
                    Ok(b) if b.len() > IMPORT_MAX => too_large = true,
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => bad = true,
                }
            }
            Some("data") if csrf_ok => data = Some(f.text().await.unwrap_or_default()),
            Some("file_name") if csrf_ok => file_name = f.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    if !csrf_ok {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr = ctx.tr.clone();
    let mut page = ImportPage::new(ctx);
    if too_large || bad {
        page.error = Some(
            tr.t(if too_large {
                "pact-com-import-too-large"
            } else {
                "pact-com-import-upload-failed"
            })
            .to_owned(),
        );
        return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
    }
    let engine = base64::engine::general_purpose::STANDARD;
    let (bytes, apply) = match (file.filter(|(_, b)| !b.is_empty()), data) {
        (Some((name, b)), _) => {
            page.file_name = name;
            (b, false)
        }
        (None, Some(d)) => match engine.decode(d.trim()) {
            Ok(b) if !b.is_empty() && b.len() <= IMPORT_MAX => {
                page.file_name = file_name;
                (b, true)
            }
            _ => {
                page.error = Some(tr.t("pact-com-import-no-file").to_owned());
                return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
            }
        },
        (None, None) => {
            page.error = Some(tr.t("pact-com-import-no-file").to_owned());
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
        }
    };
    let report = match csv::import(
        &state.db,
        &tr,
        &user,
        &seat,
        &bytes,
        !apply,
        madrid::today(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return refused(page.ctx, e),
    };
    if report.applied {
        return redirect_with(
            "/pact/commitments",
            &[flash_cookie("flash-pact-com-imported")],
        );
    }
    let status = if report.errors.is_empty() {
        page.data = engine.encode(&bytes);
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.report = Some(report);
    (status, render(&page)).into_response()
}
