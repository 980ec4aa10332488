//! The pages of procedures (trámites):
//!
//! - the office's "Trámites" tab of a project (`/office/projects/{id}/procedures`):
//!   the checklist with who holds each procedure, its dates, legal clock and what
//!   silence would mean; the critical path as a timeline with the expected date of
//!   the last permit; the form that adds procedures from the catalogue (pre-checked
//!   where the checklist says they apply, with its reasons); and each procedure's
//!   page (facts, history, the forms to record a step, edit or remove it);
//! - the administrations' pages (`/procedures`, `/procedures/{pid}`): the
//!   procedures a pact member's administration holds across projects, by due date,
//!   with the project's code name and activity only, and the forms it may use;
//! - the investor's tab (`/portal/projects/{id}/procedures`): its checklist, who
//!   holds each procedure, due dates, the expected date of the last permit, and the
//!   upload of a correction an administration asked for.
//!
//! Plain forms with the CSRF token and POST-redirect-GET; errors next to the
//! fields. Access goes through `store::visible` / `model::procedure_access` and
//! `office::policy`: what a user may not see answers 404.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use besaya_domain::directory::{format_date, parse_date};
use besaya_domain::procedures::{EventError, EventKind, Reason, Status};
use serde::Deserialize;
use time::Date;

use super::model::{
    ChecklistEntry, PlanView, ProcAccess, ProcEvent, Procedure, Template as CatalogueEntry,
};
use super::store::{self, AddItem, AdminFilter, NewEvent, ProcedureEdit, WriteError};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::office::policy::{self, Access};
use crate::office::portal::api::{self as papi, FileProblem, accepted_kinds};
use crate::office::portal::documents::{self, DocError, NewFile};
use crate::office::portal::kind::DocKind;
use crate::office::portal::pages::{local_date, local_time};
use crate::office::projects::{self, Project};
use crate::office::work::madrid;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Rows per page of the administrations' list.
const PAGE_SIZE: i64 = 50;
/// Longest note of a step, file reference, and notes of a procedure.
const NOTE_MAX: usize = 5000;
const REFERENCE_MAX: usize = 100;
const QUERY_MAX: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/office/projects/{id}/procedures",
            get(office_tab).post(office_add),
        )
        .route("/office/projects/{id}/procedures/{pid}", get(office_detail))
        .route(
            "/office/projects/{id}/procedures/{pid}/events",
            post(office_record),
        )
        .route(
            "/office/projects/{id}/procedures/{pid}/edit",
            post(office_edit),
        )
        .route(
            "/office/projects/{id}/procedures/{pid}/delete",
            post(office_delete),
        )
        .route("/procedures", get(admin_list))
        .route("/procedures/{pid}", get(admin_detail))
        .route("/procedures/{pid}/events", post(admin_record))
        .route("/procedures/{pid}/file-reference", post(admin_reference))
        .route("/procedures/{pid}/documents/{did}", get(admin_document))
        .route("/portal/projects/{id}/procedures", get(portal_tab))
        .route("/portal/projects/{id}/procedures/{pid}", get(portal_detail))
        .route(
            "/portal/projects/{id}/procedures/{pid}/events",
            post(portal_record),
        )
        .route(
            "/portal/projects/{id}/procedures/{pid}/correction",
            post(portal_correction).layer(DefaultBodyLimit::disable()),
        )
}

// ---- Words ----

fn status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("proc-status-{status}")).to_owned()
}

/// `3 meses`, `30 días hábiles`.
pub fn term_text(tr: &Tr, value: i64, unit: &str) -> String {
    tr.t1(&format!("proc-unit-{unit}"), "n", value)
}

/// What silence would mean on the due date, as a sentence.
pub fn silence_text(tr: &Tr, silence: &str) -> String {
    if silence == "positive" {
        tr.t("proc-ui-silence-positive").to_owned()
    } else {
        tr.t("proc-ui-silence-negative").to_owned()
    }
}

/// `business` or `calendar`: how the days of a clock are counted.
fn day_kind(unit: &str) -> &'static str {
    if unit == "business_days" {
        "business"
    } else {
        "calendar"
    }
}

/// A CNAE code as people read it: `2410` → `24.10`.
fn cnae_text(code: &str) -> String {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 2 && !code.contains('.') {
        format!("{}.{}", &digits[..2], &digits[2..])
    } else {
        code.trim().to_owned()
    }
}

/// The checklist's reasons in words.
fn reason_text(
    tr: &Tr,
    r: &Reason,
    cnae: Option<&str>,
    power: Option<f64>,
    prefixes: &[String],
) -> String {
    let cnae = cnae.map(cnae_text).unwrap_or_default();
    let kva = |x: f64| crate::sites::pages::num(tr.lang, x, 0);
    match r {
        Reason::Always => tr.t("proc-ui-reason-always").to_owned(),
        Reason::CnaeIn { prefix } => tr.tn(
            "proc-ui-reason-cnae_in",
            &[
                ("cnae", cnae.into()),
                ("prefix", prefix.clone().into()),
                ("len", (prefix.len() as i64).into()),
            ],
        ),
        Reason::CnaeOutside => tr.tn(
            "proc-ui-reason-cnae_outside",
            &[
                ("cnae", cnae.into()),
                ("prefixes", prefixes.join(", ").into()),
            ],
        ),
        Reason::NoCnae => tr.t("proc-ui-reason-no_cnae").to_owned(),
        Reason::PowerAtLeast { min } => tr.tn(
            "proc-ui-reason-power_at_least",
            &[
                ("power", power.map(kva).unwrap_or_default().into()),
                ("min", kva(*min).into()),
            ],
        ),
        Reason::PowerBelow { min } => tr.tn(
            "proc-ui-reason-power_below",
            &[
                ("power", power.map(kva).unwrap_or_default().into()),
                ("min", kva(*min).into()),
            ],
        ),
        Reason::NoPower { min } => tr.t1("proc-ui-reason-no_power", "min", kva(*min)),
    }
}

fn today() -> Date {
    madrid::today()
}

fn date_text(lang: Lang, d: Option<&str>) -> String {
    d.map(|d| local_date(lang, d)).unwrap_or_default()
}

// ---- What the pages show ----

/// A procedure as a row of the pages.
pub struct Row {
    pub id: String,
    pub url: String,
    pub name: String,
    pub project_code_name: String,
    pub administration: String,
    pub dir3: String,
    pub status: String,
    pub status_label: String,
    /// Not resolved yet.
    pub open: bool,
    pub paused: bool,
    pub filed: String,
    pub started: String,
    pub due: String,
    pub due_iso: String,
    pub resolved: String,
    /// `12 días hábiles de 30 días hábiles`.
    pub elapsed: String,
    /// `Quedan 5 días hábiles`, `Vencido hace 3 días`, `Vence hoy`.
    pub left: String,
    pub overdue: bool,
    pub term: String,
    /// The catalogue says the term is to be confirmed.
    pub unconfirmed: bool,
    pub silence: String,
    /// `Resuelto en plazo` / `fuera de plazo`.
    pub within: String,
    pub file_reference: String,
    pub version: i64,
}

impl Row {
    fn new(tr: &Tr, p: &Procedure, url: String, unconfirmed: bool) -> Self {
        let status = p.status();
        let lang = tr.lang;
        let term = term_text(tr, p.term_value, &p.term_unit);
        let kind = day_kind(&p.term_unit);
        let started = p.started_on.is_some();
        let elapsed = if started {
            tr.tn(
                "proc-ui-elapsed",
                &[
                    ("elapsed", i64::from(p.elapsed).into()),
                    ("unit", p.term_unit.clone().into()),
                    ("term", term.clone().into()),
                ],
            )
        } else {
            String::new()
        };
        let left = match (status.is_resolved(), p.remaining) {
            (false, Some(0)) => tr.t("proc-ui-due-today").to_owned(),
            (false, Some(n)) if n > 0 => {
                tr.tn("proc-ui-left", &[("n", n.into()), ("unit", kind.into())])
            }
            (false, Some(n)) => tr.tn("proc-ui-late", &[("n", (-n).into()), ("unit", kind.into())]),
            _ => String::new(),
        };
        let within = match p.within_term {
            Some(true) => tr.t("proc-ui-within-term").to_owned(),
            Some(false) => tr.t("proc-ui-out-of-term").to_owned(),
            None => String::new(),
        };
        Self {
            id: p.id.clone(),
            url,
            name: p.name(lang).to_owned(),
            project_code_name: p.project_code_name.clone(),
            administration: p.administration_name.clone(),
            dir3: p.administration_dir3.clone().unwrap_or_default(),
            status_label: status_label(tr, &p.status),
            status: p.status.clone(),
            open: !status.is_resolved(),
            paused: status == Status::Paused,
            filed: date_text(lang, p.filed_on.as_deref()),
            started: date_text(lang, p.started_on.as_deref()),
            due: date_text(lang, p.due_on.as_deref()),
            due_iso: p.due_on.clone().unwrap_or_default(),
            resolved: date_text(lang, p.resolved_on.as_deref()),
            elapsed,
            left,
            overdue: p.overdue,
            term,
            unconfirmed,
            silence: silence_text(tr, &p.silence),
            within,
            file_reference: p.file_reference.clone().unwrap_or_default(),
            version: p.version,
        }
    }
}

/// One procedure on the timeline of the plan.
pub struct PlanItem {
    pub name: String,
    pub url: String,
    pub administration: String,
    pub status_label: String,
    pub start: String,
    pub end: String,
    pub start_iso: String,
    pub end_iso: String,
    pub critical: bool,
    /// `del 1/2/2027 al 3/5/2027`.
    pub dates: String,
    /// Where its bar starts and how long it is, in % of the whole plan.
    pub x: String,
    pub w: String,
}

/// The plan as the timeline shows it: by expected start.
fn plan_items(tr: &Tr, plan: &PlanView, url: impl Fn(&str) -> String) -> Vec<PlanItem> {
    let days = |s: &str| parse_date(s).map(|d| d.to_julian_day());
    let first = plan.items.iter().filter_map(|r| days(&r.start)).min();
    let last = plan.items.iter().filter_map(|r| days(&r.end)).max();
    let (first, span) = match (first, last) {
        (Some(f), Some(l)) => (f, f64::from((l - f).max(1))),
        _ => (0, 1.0),
    };
    let mut rows: Vec<_> = plan.items.iter().collect();
    rows.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    rows.into_iter()
        .map(|r| {
            let s = days(&r.start).unwrap_or(first);
            let e = days(&r.end).unwrap_or(s).max(s);
            let x = f64::from(s - first) / span * 100.0;
            let w = (f64::from(e - s) / span * 100.0)
                .max(1.0)
                .min(100.0 - x.min(99.0));
            let (start, end) = (local_date(tr.lang, &r.start), local_date(tr.lang, &r.end));
            PlanItem {
                dates: tr.tn(
                    "proc-ui-plan-dates",
                    &[("start", start.clone().into()), ("end", end.clone().into())],
                ),
                name: r.name(tr.lang).to_owned(),
                url: url(&r.procedure_id),
                administration: r.administration_name.clone(),
                status_label: status_label(tr, &r.status),
                start,
                end,
                start_iso: r.start.clone(),
                end_iso: r.end.clone(),
                critical: r.critical,
                x: format!("{x:.2}"),
                w: format!("{w:.2}"),
            }
        })
        .collect()
}

/// An event of the history.
pub struct EventRow {
    pub on: String,
    pub on_iso: String,
    pub kind: String,
    pub label: String,
    pub note: String,
    pub doc_title: String,
    pub doc_url: String,
    pub by: String,
}

/// Where a page of a procedure lives: the office's, the administration's or the investor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Office,
    Administration,
    Portal,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Office => "office",
            Self::Administration => "administration",
            Self::Portal => "portal",
        }
    }

    /// The page of a procedure.
    fn url(self, project_id: &str, pid: &str) -> String {
        match self {
            Self::Office => format!("/office/projects/{project_id}/procedures/{pid}"),
            Self::Administration => format!("/procedures/{pid}"),
            Self::Portal => format!("/portal/projects/{project_id}/procedures/{pid}"),
        }
    }

    /// Where the list of procedures is.
    fn list(self, project_id: &str) -> String {
        match self {
            Self::Office => format!("/office/projects/{project_id}/procedures"),
            Self::Administration => "/procedures".to_owned(),
            Self::Portal => format!("/portal/projects/{project_id}/procedures"),
        }
    }

    /// Where a document attached to an event downloads.
    fn document(self, project_id: &str, pid: &str, did: &str) -> String {
        match self {
            Self::Office => format!("/office/projects/{project_id}/documents/{did}/file"),
            Self::Administration => format!("/procedures/{pid}/documents/{did}"),
            Self::Portal => format!("/portal/projects/{project_id}/documents/{did}/file"),
        }
    }
}

/// The step form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct EventForm {
    kind: String,
    on_date: String,
    note: String,
    version: i64,
}

/// The office's edit form, as typed.
#[derive(Debug, Default, Clone)]
struct EditForm {
    administration_org_id: String,
    file_reference: String,
    notes: String,
    depends_on: Vec<String>,
    version: i64,
}

impl EditForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "administration_org_id" => f.administration_org_id = v.trim().to_owned(),
                "file_reference" => f.file_reference = v.clone(),
                "notes" => f.notes = v.clone(),
                "depends_on" if f.depends_on.len() < 200 && !f.depends_on.contains(v) => {
                    f.depends_on.push(v.clone());
                }
                "version" => f.version = v.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        f
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ReferenceForm {
    file_reference: String,
    version: i64,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct DeleteForm {
    version: i64,
    confirm: String,
}

/// The correction a paused procedure waits for, on the investor's pages.
pub struct Correction {
    pub procedure_id: String,
    pub procedure_name: String,
    pub administration: String,
    /// What the administration asks for.
    pub asked: String,
    pub asked_on: String,
    pub document_id: String,
    pub document_title: String,
    pub document_version: i64,
    /// `requested`, `uploaded`, `rejected`...: the upload form shows unless accepted.
    pub can_upload: bool,
    pub action: String,
    /// `tab` or `detail`: where the upload goes back to.
    pub back: &'static str,
}

impl Correction {
    /// The id of its file field.
    pub fn field(&self) -> String {
        format!("corr-{}", self.procedure_id)
    }
}

/// The page of one procedure, in any of the three modes.
#[derive(Template)]
#[template(path = "office/procedures/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    mode: &'static str,
    portal: bool,
    tab: &'static str,
    project_id: String,
    project_title: String,
    project_cnae: String,
    url: String,
    list_url: String,
    row: Row,
    legal_basis: String,
    authority: String,
    notes: String,
    catalogue_notes: String,
    history: Vec<EventRow>,
    /// What the open correction asks for, and since when.
    asked: String,
    asked_on: String,
    /// The steps this user may record now: (kind, button label).
    kinds: Vec<(String, String)>,
    ev: EventForm,
    can_reference: bool,
    reference: String,
    can_edit: bool,
    orgs: Vec<(String, String)>,
    /// The project's other procedures: (id, name).
    others: Vec<(String, String)>,
    ed: EditForm,
    correction: Option<Correction>,
    errors: FormErrors,
    notice: Option<String>,
    max_mb: u64,
    accept: String,
    today: String,
}

impl DetailPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

/// A procedure with the project it belongs to, as a page found them.
struct Found {
    mode: Mode,
    proc: Procedure,
    pa: ProcAccess,
    /// The project and the user's access to it (the office and the investor).
    project: Option<(Project, Access)>,
}

impl Found {
    fn project_title(&self) -> String {
        match &self.project {
            Some((p, a)) => p.title(*a).to_owned(),
            None => self.proc.project_code_name.clone(),
        }
    }
}

/// The event that asked for the open correction, if the procedure is paused.
fn open_correction(events: &[ProcEvent]) -> Option<&ProcEvent> {
    let last = events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Note.as_str())?;
    (last.kind == EventKind::CorrectionRequested.as_str()).then_some(last)
}

impl DetailPage {
    async fn load(state: &AppState, ctx: PageCtx, f: &Found) -> Result<Self, Response> {
        let proc = &f.proc;
        let pa = f.pa;
        let mode = f.mode;
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let events = store::events(&mut conn, &proc.id).await?;
            let template = match &proc.template_id {
                Some(t) => store::template(&mut conn, t).await?,
                None => None,
            };
            let (orgs, others) = if pa.may_edit() && mode == Mode::Office {
                (
                    store::administrations(&mut conn).await?,
                    store::of_project(&mut conn, &proc.project_id).await?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            let doc = match (
                mode,
                open_correction(&events).and_then(|e| e.document_id.clone()),
            ) {
                (Mode::Portal, Some(did)) => {
                    documents::get(&mut conn, &proc.project_id, &did, true).await?
                }
                _ => None,
            };
            Ok::<_, sqlx::Error>((events, template, orgs, others, doc))
        }
        .await;
        let (events, template, orgs, others, doc) =
            loaded.map_err(|e| ctx.fail(e).into_response())?;
        let tr = ctx.tr.clone();
        let lang = tr.lang;
        let url = mode.url(&proc.project_id, &proc.id);
        let unconfirmed = template.as_ref().is_some_and(|t| !t.term_confirmed);
        let row = Row::new(&tr, proc, url.clone(), unconfirmed);
        let asked_event = open_correction(&events).filter(|_| row.paused);
        let asked = asked_event.map(|e| e.note.clone()).unwrap_or_default();
        let asked_on = asked_event
            .map(|e| local_date(lang, &e.on_date))
            .unwrap_or_default();
        let correction = match (mode, asked_event, doc) {
            (Mode::Portal, Some(e), Some((d, _))) => Some(Correction {
                procedure_id: proc.id.clone(),
                procedure_name: row.name.clone(),
                administration: row.administration.clone(),
                asked: e.note.clone(),
                asked_on: local_date(lang, &e.on_date),
                document_id: d.id.clone(),
                document_title: d.title.clone(),
                document_version: d.version,
                can_upload: d.status != "accepted",
                action: format!(
                    "/portal/projects/{}/procedures/{}/correction",
                    proc.project_id, proc.id
                ),
                back: "detail",
            }),
            _ => None,
        };
        let history = events
            .iter()
            .map(|e| EventRow {
                on: local_date(lang, &e.on_date),
                on_iso: e.on_date.clone(),
                kind: e.kind.clone(),
                label: tr.t(&format!("proc-event-{}", e.kind)).to_owned(),
                note: e.note.clone(),
                doc_title: e.document_title.clone().unwrap_or_default(),
                doc_url: e
                    .document_id
                    .as_deref()
                    .map(|d| mode.document(&proc.project_id, &proc.id, d))
                    .unwrap_or_default(),
                by: match &e.actor_name {
                    Some(n) => tr.tn(
                        "proc-ui-by",
                        &[
                            ("name", n.clone().into()),
                            ("when", local_time(lang, &e.at).into()),
                        ],
                    ),
                    None => local_time(lang, &e.at),
                },
            })
            .collect();
        // The steps offered: what the status allows this user; silence only once
        // the term has passed; the investor hands a correction in with its file.
        let kinds = pa
            .recordable(proc.status())
            .into_iter()
            .filter(|k| *k != EventKind::Silence || proc.overdue)
            .filter(|k| !(mode == Mode::Portal && *k == EventKind::Corrected))
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    tr.t(&format!("proc-action-{}", k.as_str())).to_owned(),
                )
            })
            .collect();
        let orgs = orgs
            .into_iter()
            .map(|o| {
                let label = match &o.dir3_code {
                    Some(c) => format!("{} ({c})", o.name),
                    None => o.name.clone(),
                };
                (o.id, label)
            })
            .collect();
        let others = others
            .iter()
            .filter(|o| o.id != proc.id)
            .map(|o| (o.id.clone(), o.name(lang).to_owned()))
            .collect();
        let (project_id, project_title) = (proc.project_id.clone(), f.project_title());
        Ok(Self {
            mode: mode.as_str(),
            portal: mode == Mode::Portal,
            tab: "procedures",
            project_cnae: proc
                .project_cnae_code
                .as_deref()
                .map(cnae_text)
                .unwrap_or_default(),
            list_url: mode.list(&project_id),
            project_id,
            project_title,
            url,
            legal_basis: proc.legal_basis.clone(),
            authority: template
                .as_ref()
                .map(|t| t.authority(lang).to_owned())
                .unwrap_or_default(),
            notes: if mode == Mode::Office {
                proc.notes.clone()
            } else {
                String::new()
            },
            catalogue_notes: template
                .as_ref()
                .map(|t| t.notes(lang).to_owned())
                .unwrap_or_default(),
            history,
            asked,
            asked_on,
            kinds,
            ev: EventForm {
                on_date: format_date(today()),
                version: proc.version,
                ..EventForm::default()
            },
            can_reference: pa.may_set_file_reference() && mode != Mode::Portal,
            reference: proc.file_reference.clone().unwrap_or_default(),
            can_edit: pa.may_edit() && mode == Mode::Office,
            orgs,
            others,
            ed: EditForm {
                administration_org_id: proc.administration_org_id.clone(),
                file_reference: proc.file_reference.clone().unwrap_or_default(),
                notes: proc.notes.clone(),
                depends_on: proc.depends_on.clone(),
                version: proc.version,
            },
            correction,
            errors: FormErrors::default(),
            notice: None,
            max_mb: state.config.upload_max_mb,
            accept: DocKind::accept(),
            today: format_date(today()),
            row,
            ctx,
        })
    }
}

/// The detail page again with something to say.
async fn detail_with(
    state: &AppState,
    ctx: PageCtx,
    f: &Found,
    status: StatusCode,
    setup: impl FnOnce(&mut DetailPage),
) -> Response {
    match DetailPage::load(state, ctx, f).await {
        Ok(mut page) => {
            setup(&mut page);
            (status, render(&page)).into_response()
        }
        Err(r) => r,
    }
}

// ---- Finding what a page is about ----

/// The project of an office page: office users who may see it, else 404.
async fn office_project(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_office(user) || !projects::looks_like_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some(pa)) => Ok(pa),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// The project of a portal page: the project's own investor users, else 404.
async fn portal_project(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_investor(user) || !projects::looks_like_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some((p, a))) if a.investor => Ok((p, a)),
        Ok(_) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// A procedure as `user` may see it, else 404.
async fn visible(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    pid: &str,
) -> Result<(Procedure, ProcAccess), Response> {
    if !projects::looks_like_id(pid) {
        return Err(ctx.not_found().into_response());
    }
    let found = async {
        let mut conn = state.db.reader().acquire().await?;
        store::visible(&mut conn, user, pid).await
    }
    .await;
    match found {
        Ok(Some(x)) => Ok(x),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// A procedure of the project `id` on the office's pages.
async fn office_found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
    pid: &str,
) -> Result<Found, Response> {
    let (project, access) = office_project(state, user, ctx, id).await?;
    let (proc, pa) = visible(state, user, ctx, pid).await?;
    if proc.project_id != project.id {
        return Err(ctx.not_found().into_response());
    }
    Ok(Found {
        mode: Mode::Office,
        proc,
        pa,
        project: Some((project, access)),
    })
}

/// A procedure of the project `id` on the investor's pages.
async fn portal_found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
    pid: &str,
) -> Result<Found, Response> {
    let (project, access) = portal_project(state, user, ctx, id).await?;
    let (proc, pa) = visible(state, user, ctx, pid).await?;
    if proc.project_id != project.id || !pa.investor {
        return Err(ctx.not_found().into_response());
    }
    Ok(Found {
        mode: Mode::Portal,
        proc,
        pa,
        project: Some((project, access)),
    })
}

/// A procedure on the administration's pages: a user of the administration that
/// holds it. The office and the investor are sent to their own page of it.
async fn admin_found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    pid: &str,
) -> Result<Found, Response> {
    let (proc, pa) = visible(state, user, ctx, pid).await?;
    if !pa.administration {
        let to = if pa.investor {
            Mode::Portal.url(&proc.project_id, &proc.id)
        } else {
            Mode::Office.url(&proc.project_id, &proc.id)
        };
        return Err(Redirect::to(&to).into_response());
    }
    Ok(Found {
        mode: Mode::Administration,
        proc,
        pa,
        project: None,
    })
}

// ---- The procedure's page ----

async fn office_detail(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
) -> Response {
    match office_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => detail_with(&state, ctx, &f, StatusCode::OK, |_| {}).await,
        Err(r) => r,
    }
}

async fn admin_detail(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(pid): Path<String>,
) -> Response {
    match admin_found(&state, &user, &ctx, &pid).await {
        Ok(f) => detail_with(&state, ctx, &f, StatusCode::OK, |_| {}).await,
        Err(r) => r,
    }
}

async fn portal_detail(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
) -> Response {
    match portal_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => detail_with(&state, ctx, &f, StatusCode::OK, |_| {}).await,
        Err(r) => r,
    }
}

// ---- Recording a step ----

/// The kinds as words, for messages: `corrected, note` → `Corrección entregada, Nota`.
fn kinds_text(tr: &Tr, kinds: &[EventKind]) -> String {
    if kinds.is_empty() {
        return tr.t("proc-ui-nothing-allowed").to_owned();
    }
    kinds
        .iter()
        .map(|k| tr.t(&format!("proc-event-{}", k.as_str())).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message of a step the clock or the rights refuse, and the field it belongs to.
fn event_refusal(tr: &Tr, e: &WriteError) -> Option<(&'static str, String)> {
    match e {
        WriteError::Event(EventError::BeforePrevious { previous }, _) => Some((
            "ev-on_date",
            tr.t1(
                "proc-ui-err-before",
                "date",
                local_date(tr.lang, &format_date(*previous)),
            ),
        )),
        WriteError::Event(EventError::TermNotPassed { due: Some(due) }, _) => Some((
            "ev-kind",
            tr.t1(
                "proc-ui-err-term-not-passed",
                "date",
                local_date(tr.lang, &format_date(*due)),
            ),
        )),
        WriteError::Event(EventError::TermNotPassed { due: None }, _) => Some((
            "ev-kind",
            tr.t("proc-ui-err-term-not-passed-none").to_owned(),
        )),
        WriteError::Event(EventError::NotAllowed { .. }, allowed) => Some((
            "ev-kind",
            tr.t1(
                "proc-ui-err-not-allowed",
                "allowed",
                kinds_text(tr, allowed),
            ),
        )),
        WriteError::NotPermitted(allowed) => Some((
            "ev-kind",
            tr.t1(
                "proc-ui-err-not-permitted",
                "allowed",
                kinds_text(tr, allowed),
            ),
        )),
        _ => None,
    }
}

/// Records a step from the detail page of any mode.
async fn record_step(
    state: AppState,
    user: User,
    ctx: PageCtx,
    f: Found,
    form: EventForm,
) -> Response {
    let tr = ctx.tr.clone();
    let mut errors = FormErrors::default();
    let kind = EventKind::parse(&form.kind).filter(|k| {
        f.pa.recordable(f.proc.status()).contains(k)
            && !(f.mode == Mode::Portal && *k == EventKind::Corrected)
    });
    if kind.is_none() {
        let allowed = f.pa.recordable(f.proc.status());
        errors.add(
            "ev-kind",
            if f.pa
                .may_record(EventKind::parse(&form.kind).unwrap_or(EventKind::Note))
            {
                tr.t1(
                    "proc-ui-err-not-allowed",
                    "allowed",
                    kinds_text(&tr, &allowed),
                )
            } else {
                tr.t1(
                    "proc-ui-err-not-permitted",
                    "allowed",
                    kinds_text(&tr, &allowed),
                )
            },
        );
    }
    let on_date = parse_date(&form.on_date);
    if on_date.is_none() {
        errors.add("ev-on_date", tr.t("proc-ui-err-date"));
    }
    let mut invalid: Vec<super::model::Invalid> = Vec::new();
    let note = crate::web::invalid::text(&mut invalid, "note", Some(&form.note), NOTE_MAX, true);
    for i in &invalid {
        errors.add("ev-note", i.message(&tr));
    }
    let (Some(kind), Some(on_date), true) = (kind, on_date, errors.is_empty()) else {
        return detail_with(&state, ctx, &f, StatusCode::UNPROCESSABLE_ENTITY, |p| {
            p.ev = form;
            p.errors = errors;
        })
        .await;
    };
    let ev = NewEvent {
        kind,
        on_date,
        note: note.unwrap_or_default(),
        document_id: None,
    };
    let done = in_tx!(state, |tx| store::record(
        &state,
        &mut tx,
        &user,
        &f.proc.id,
        form.version,
        &ev
    )
    .await);
    let url = f.mode.url(&f.proc.project_id, &f.proc.id);
    match done {
        Ok(Ok(_)) => redirect_with(&url, &[flash_cookie("flash-proc-event-recorded")]),
        Ok(Err(e)) => write_refused(&state, ctx, &f, e, "ev-", |p| p.ev = form).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The page again after the store refused a write: the fields' messages (`prefix` +
/// field), a stale version's notice, or the error page.
async fn write_refused(
    state: &AppState,
    ctx: PageCtx,
    f: &Found,
    e: WriteError,
    prefix: &str,
    keep: impl FnOnce(&mut DetailPage),
) -> Response {
    let tr = ctx.tr.clone();
    let mut errors = FormErrors::default();
    let (status, notice) = match &e {
        WriteError::NotFound => return ctx.not_found().into_response(),
        WriteError::Conflict(_) => (
            StatusCode::CONFLICT,
            Some(tr.t("proc-ui-conflict").to_owned()),
        ),
        WriteError::Invalid(errs) => {
            for i in errs {
                errors.add(&format!("{prefix}{}", i.field), i.message(&tr));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        WriteError::Event(..) | WriteError::NotPermitted(_) => match event_refusal(&tr, &e) {
            Some((field, message)) => {
                errors.add(field, message);
                (StatusCode::UNPROCESSABLE_ENTITY, None)
            }
            None => return ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        },
        WriteError::InUse => (
            StatusCode::CONFLICT,
            Some(tr.t("proc-ui-in-use").to_owned()),
        ),
        WriteError::Db(_) | WriteError::Mail(_) => {
            return ctx.fail(anyhow::anyhow!("{e}")).into_response();
        }
    };
    // A stale form shows the procedure as it is now, not what was typed.
    let conflict = notice.is_some();
    detail_with(state, ctx, f, status, |p| {
        if !conflict {
            keep(p);
        }
        p.errors = errors;
        p.notice = notice;
    })
    .await
}

async fn office_record(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Response {
    match office_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => record_step(state, user, ctx, f, form).await,
        Err(r) => r,
    }
}

async fn admin_record(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(pid): Path<String>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Response {
    match admin_found(&state, &user, &ctx, &pid).await {
        Ok(f) => record_step(state, user, ctx, f, form).await,
        Err(r) => r,
    }
}

async fn portal_record(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Response {
    match portal_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => record_step(state, user, ctx, f, form).await,
        Err(r) => r,
    }
}

// ---- The file reference (the administration) ----

async fn admin_reference(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(pid): Path<String>,
    CsrfForm(form): CsrfForm<ReferenceForm>,
) -> Response {
    let f = match admin_found(&state, &user, &ctx, &pid).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let mut invalid: Vec<super::model::Invalid> = Vec::new();
    let reference = crate::web::invalid::text(
        &mut invalid,
        "file_reference",
        Some(&form.file_reference),
        REFERENCE_MAX,
        false,
    );
    if !invalid.is_empty() {
        let mut errors = FormErrors::default();
        for i in &invalid {
            errors.add("ref-file_reference", i.message(&tr));
        }
        return detail_with(&state, ctx, &f, StatusCode::UNPROCESSABLE_ENTITY, |p| {
            p.reference = form.file_reference;
            p.errors = errors;
        })
        .await;
    }
    let done = in_tx!(state, |tx| store::set_file_reference(
        &mut tx,
        &user,
        &f.proc.id,
        form.version,
        reference.as_deref(),
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &Mode::Administration.url(&f.proc.project_id, &f.proc.id),
            &[flash_cookie("flash-proc-reference-saved")],
        ),
        Ok(Err(e)) => {
            let typed = form.file_reference.clone();
            write_refused(&state, ctx, &f, e, "ref-", |p| p.reference = typed).await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Editing and removing (the office) ----

async fn office_edit(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let f = match office_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if !f.pa.may_edit() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = EditForm::from_pairs(&pairs);
    let tr = ctx.tr.clone();
    let mut invalid: Vec<super::model::Invalid> = Vec::new();
    let reference = crate::web::invalid::text(
        &mut invalid,
        "file_reference",
        Some(&form.file_reference),
        REFERENCE_MAX,
        false,
    );
    let notes = crate::web::invalid::text(&mut invalid, "notes", Some(&form.notes), NOTE_MAX, true);
    let mut errors = FormErrors::default();
    if form.administration_org_id.is_empty() {
        errors.add(
            "ed-administration_org_id",
            tr.t("proc-ui-err-administration"),
        );
    }
    for i in &invalid {
        errors.add(&format!("ed-{}", i.field), i.message(&tr));
    }
    if !errors.is_empty() {
        return detail_with(&state, ctx, &f, StatusCode::UNPROCESSABLE_ENTITY, |p| {
            p.ed = form;
            p.errors = errors;
        })
        .await;
    }
    let edit = ProcedureEdit {
        administration_org_id: form.administration_org_id.clone(),
        file_reference: reference,
        notes: notes.unwrap_or_default(),
        depends_on: form.depends_on.clone(),
    };
    let done = in_tx!(state, |tx| store::update(
        &state,
        &mut tx,
        &user,
        &f.proc.id,
        form.version,
        &edit
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &Mode::Office.url(&f.proc.project_id, &f.proc.id),
            &[flash_cookie("flash-proc-updated")],
        ),
        Ok(Err(e)) => write_refused(&state, ctx, &f, e, "ed-", |p| p.ed = form).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn office_delete(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Response {
    let f = match office_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if !f.pa.may_edit() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    if form.confirm.is_empty() {
        let message = ctx.tr.t("proc-ui-err-confirm").to_owned();
        return detail_with(&state, ctx, &f, StatusCode::UNPROCESSABLE_ENTITY, |p| {
            p.errors.add("del-confirm", message);
        })
        .await;
    }
    let done = in_tx!(state, |tx| store::delete(
        &mut tx,
        &user,
        &f.proc.id,
        form.version
    )
    .await);
    match done {
        Ok(Ok(())) => redirect_with(
            &Mode::Office.list(&f.proc.project_id),
            &[flash_cookie("flash-proc-removed")],
        ),
        Ok(Err(e)) => write_refused(&state, ctx, &f, e, "del-", |_| {}).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The office's tab ----

/// A catalogue entry on the form that adds procedures.
pub struct Offer {
    pub template_id: String,
    pub name: String,
    pub level: String,
    pub term: String,
    pub unconfirmed: bool,
    pub applies: bool,
    pub checked: bool,
    pub added: bool,
    pub reasons: Vec<String>,
    /// The administration chosen (the catalogue's by default).
    pub administration: String,
}

#[derive(Template)]
#[template(path = "office/procedures/staff.html")]
struct StaffPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    code_name: String,
    tab: &'static str,
    portal: bool,
    can_edit: bool,
    rows: Vec<Row>,
    plan: Vec<PlanItem>,
    last: String,
    offers: Vec<Offer>,
    orgs: Vec<(String, String)>,
    errors: FormErrors,
}

impl StaffPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    async fn load(
        state: &AppState,
        ctx: PageCtx,
        project: &Project,
        access: Access,
    ) -> Result<Self, Response> {
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let procs = store::of_project(&mut conn, &project.id).await?;
            let plan = store::plan(&mut conn, &project.id, today()).await?;
            let templates = store::templates(&mut conn, false).await?;
            let (checklist, orgs) = if access.edit {
                (
                    store::checklist(&mut conn, project).await?,
                    store::administrations(&mut conn).await?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            Ok::<_, sqlx::Error>((procs, plan, templates, checklist, orgs))
        }
        .await;
        let (procs, plan, templates, checklist, orgs) =
            loaded.map_err(|e| ctx.fail(e).into_response())?;
        let tr = ctx.tr.clone();
        let unconfirmed = unconfirmed_of(&templates);
        let rows = procs
            .iter()
            .map(|p| {
                let u = p
                    .template_id
                    .as_deref()
                    .is_some_and(|t| unconfirmed.get(t).copied().unwrap_or(false));
                Row::new(&tr, p, Mode::Office.url(&project.id, &p.id), u)
            })
            .collect();
        let pid = project.id.clone();
        let items = plan_items(&tr, &plan, |p| Mode::Office.url(&pid, p));
        let power = project.match_request().power_kva.map(|c| c.min);
        let offers = checklist
            .iter()
            .map(|c| offer(&tr, c, project.cnae_code.as_deref(), power))
            .collect();
        let orgs = orgs
            .into_iter()
            .map(|o| {
                let label = match &o.dir3_code {
                    Some(c) => format!("{} ({c})", o.name),
                    None => o.name.clone(),
                };
                (o.id, label)
            })
            .collect();
        Ok(Self {
            project_id: project.id.clone(),
            project_title: project.title(access).to_owned(),
            code_name: project.code_name.clone(),
            tab: "procedures",
            portal: false,
            can_edit: access.edit,
            rows,
            plan: items,
            last: plan
                .last
                .as_deref()
                .map(|d| local_date(tr.lang, d))
                .unwrap_or_default(),
            offers,
            orgs,
            errors: FormErrors::default(),
            ctx,
        })
    }
}

/// Which catalogue entries have a term to be confirmed, by id.
fn unconfirmed_of(templates: &[CatalogueEntry]) -> HashMap<&str, bool> {
    templates
        .iter()
        .map(|t| (t.id.as_str(), !t.term_confirmed))
        .collect()
}

fn offer(tr: &Tr, c: &ChecklistEntry, cnae: Option<&str>, power: Option<f64>) -> Offer {
    let t = &c.template;
    Offer {
        template_id: t.id.clone(),
        name: t.name(tr.lang).to_owned(),
        level: tr.t(&format!("proc-level-{}", t.level)).to_owned(),
        term: term_text(tr, t.term_value, &t.term_unit),
        unconfirmed: !t.term_confirmed,
        applies: c.applies,
        checked: c.applies && !c.added,
        added: c.added,
        reasons: c
            .reasons
            .iter()
            .map(|r| reason_text(tr, r, cnae, power, &t.rule_cnae_prefixes))
            .collect(),
        administration: t.administration_org_id.clone().unwrap_or_default(),
    }
}

async fn office_tab(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (project, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    match StaffPage::load(&state, ctx, &project, access).await {
        Ok(page) => render(&page),
        Err(r) => r,
    }
}

async fn office_add(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (project, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr = ctx.tr.clone();
    // What was ticked, and the administration chosen for each entry.
    let mut chosen: Vec<String> = Vec::new();
    let mut admins: HashMap<String, String> = HashMap::new();
    for (k, v) in &pairs {
        if k == "template_id" {
            if !chosen.contains(v) && chosen.len() < 100 {
                chosen.push(v.clone());
            }
        } else if let Some(t) = k.strip_prefix("admin-") {
            admins.insert(t.to_owned(), v.trim().to_owned());
        }
    }
    let again =
        |errors: FormErrors, chosen: Vec<String>, admins: HashMap<String, String>, ctx: PageCtx| {
            let state = state.clone();
            let project = project.clone();
            async move {
                match StaffPage::load(&state, ctx, &project, access).await {
                    Ok(mut page) => {
                        for o in &mut page.offers {
                            o.checked = chosen.contains(&o.template_id);
                            if let Some(a) = admins.get(&o.template_id) {
                                o.administration = a.clone();
                            }
                        }
                        page.errors = errors;
                        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
                    }
                    Err(r) => r,
                }
            }
        };
    let mut errors = FormErrors::default();
    if chosen.is_empty() {
        errors.add("add-first", tr.t("proc-ui-err-choose-one"));
        return again(errors, chosen, admins, ctx).await;
    }
    // Each ticked entry needs an administration (its own by default).
    let catalogue = async {
        let mut conn = state.db.reader().acquire().await?;
        store::templates(&mut conn, false).await
    }
    .await;
    let catalogue = match catalogue {
        Ok(c) => c,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut items = Vec::new();
    for t in &chosen {
        let Some(entry) = catalogue.iter().find(|c| c.id == *t) else {
            errors.add("add-first", tr.t("proc-ui-err-choose-one"));
            continue;
        };
        let admin = admins
            .get(t)
            .filter(|a| !a.is_empty())
            .cloned()
            .or_else(|| entry.administration_org_id.clone());
        match admin {
            Some(a) => items.push(AddItem {
                template_id: t.clone(),
                administration_org_id: Some(a),
            }),
            None => errors.add(
                &format!("admin-{t}"),
                tr.t1(
                    "proc-ui-err-no-administration",
                    "name",
                    entry.name(tr.lang).to_owned(),
                ),
            ),
        }
    }
    if !errors.is_empty() {
        return again(errors, chosen, admins, ctx).await;
    }
    let done = in_tx!(state, |tx| store::add(
        &state, &mut tx, &user, &project, &items
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &Mode::Office.list(&project.id),
            &[flash_cookie("flash-proc-added")],
        ),
        Ok(Err(WriteError::Invalid(errs))) => {
            // `items[i].field`: next to the i-th entry's administration.
            for e in &errs {
                let at = e
                    .field
                    .strip_prefix("items[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| items.get(i));
                match at {
                    Some(item) => {
                        errors.add(&format!("admin-{}", item.template_id), e.message(&tr))
                    }
                    None => errors.add("add-first", e.message(&tr)),
                }
            }
            again(errors, chosen, admins, ctx).await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The administrations' list ----

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    overdue: String,
    q: String,
    org: String,
    cursor: String,
}

#[derive(Template)]
#[template(path = "office/procedures/list.html")]
struct ListPage {
    ctx: PageCtx,
    office: bool,
    heading: String,
    rows: Vec<Row>,
    statuses: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    status: String,
    overdue: bool,
    q: String,
    org: String,
    /// Show the administration of each row (several administrations listed).
    show_administration: bool,
    no_org: bool,
    next: Option<String>,
    first: Option<String>,
}

async fn admin_list(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let office = policy::is_office(&user);
    if !office && user.role != besaya_domain::Role::PactMember {
        return ctx.not_found().into_response();
    }
    let status = Status::parse(&q.status);
    let overdue = !q.overdue.is_empty();
    let text: String = q.q.trim().chars().take(QUERY_MAX).collect();
    let filter = AdminFilter {
        status,
        overdue,
        q: Some(text.clone()).filter(|t| !t.is_empty()),
    };
    // The office picks among the administrations that hold procedures; a member
    // of an administration reads the names of its own.
    let orgs = async {
        let mut conn = state.db.reader().acquire().await?;
        if office {
            Ok::<_, sqlx::Error>((store::holding_administrations(&mut conn).await?, Vec::new()))
        } else {
            Ok((
                Vec::new(),
                store::org_names(&mut conn, &user.organization_ids).await?,
            ))
        }
    }
    .await;
    let (all_orgs, mine) = match orgs {
        Ok(o) => o,
        Err(e) => return ctx.fail(e).into_response(),
    };
    // The office lists every administration's (or the one it picks); a member of
    // an administration only its own — never "all" for want of one.
    let org = q.org.trim().to_owned();
    let org_ids: Vec<String> = if office {
        if org.is_empty() {
            Vec::new()
        } else {
            vec![org.clone()]
        }
    } else {
        user.organization_ids.clone()
    };
    let no_org = !office && org_ids.is_empty();
    let after = Some(q.cursor.trim()).filter(|c| !c.is_empty() && c.len() <= 200);
    let (procs, next) = if no_org {
        (Vec::new(), None)
    } else {
        match store::for_administrations(state.db.reader(), &org_ids, &filter, after, PAGE_SIZE)
            .await
        {
            Ok(x) => x,
            Err(e) => return ctx.fail(e).into_response(),
        }
    };
    let tr = ctx.tr.clone();
    let rows = procs
        .iter()
        .map(|p| {
            let url = if office {
                Mode::Office.url(&p.project_id, &p.id)
            } else {
                Mode::Administration.url(&p.project_id, &p.id)
            };
            Row::new(&tr, p, url, false)
        })
        .collect();
    let heading = if office || mine.is_empty() {
        tr.t("proc-ui-list-title").to_owned()
    } else {
        tr.t1("proc-ui-list-of", "orgs", mine.join(", "))
    };
    let query = |cursor: Option<&str>| {
        let mut parts = Vec::new();
        let mut add = |k: &str, v: &str| {
            parts.push(format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            ));
        };
        if let Some(s) = status {
            add("status", s.as_str());
        }
        if overdue {
            add("overdue", "1");
        }
        if !text.is_empty() {
            add("q", &text);
        }
        if office && !org.is_empty() {
            add("org", &org);
        }
        if let Some(c) = cursor {
            add("cursor", c);
        }
        if parts.is_empty() {
            "/procedures".to_owned()
        } else {
            format!("/procedures?{}", parts.join("&"))
        }
    };
    let next = next.map(|c| query(Some(&c)));
    let first = after.map(|_| query(None));
    let page = ListPage {
        office,
        heading,
        rows,
        statuses: Status::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), status_label(&tr, s.as_str())))
            .collect(),
        orgs: if office {
            all_orgs
                .iter()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        overdue,
        q: text,
        show_administration: office || user.organization_ids.len() > 1,
        org,
        no_org,
        next,
        first,
        ctx,
    };
    render(&page)
}

/// A document attached to an event of the procedure, for its administration.
async fn admin_document(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((pid, did)): Path<(String, String)>,
) -> Response {
    let (proc, pa) = match visible(&state, &user, &ctx, &pid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !(pa.administration || pa.office) || !projects::looks_like_id(&did) {
        return ctx.not_found().into_response();
    }
    let attached = async {
        let mut conn = state.db.reader().acquire().await?;
        store::event_document(&mut conn, &proc.id, &did).await
    }
    .await;
    match attached {
        Ok(true) => {}
        Ok(false) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    }
    match papi::file_response(&state, &proc.project_id, &did, false).await {
        Ok(Some(r)) => r,
        Ok(None) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- The investor's tab ----

#[derive(Template)]
#[template(path = "office/procedures/portal.html")]
struct PortalPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    rows: Vec<Row>,
    plan: Vec<PlanItem>,
    last: String,
    corrections: Vec<Correction>,
    errors: FormErrors,
    max_mb: u64,
    accept: String,
}

impl PortalPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    async fn load(
        state: &AppState,
        ctx: PageCtx,
        project: &Project,
        access: Access,
    ) -> Result<Self, Response> {
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let procs = store::of_project(&mut conn, &project.id).await?;
            let plan = store::plan(&mut conn, &project.id, today()).await?;
            let templates = store::templates(&mut conn, false).await?;
            // What each paused procedure asks for, and the document to send.
            let mut asked = Vec::new();
            for p in procs.iter().filter(|p| p.status() == Status::Paused) {
                let events = store::events(&mut conn, &p.id).await?;
                let Some(e) = open_correction(&events).cloned() else {
                    continue;
                };
                let doc = match &e.document_id {
                    Some(did) => documents::get(&mut conn, &project.id, did, true).await?,
                    None => None,
                };
                asked.push((p.id.clone(), e, doc.map(|(d, _)| d)));
            }
            Ok::<_, sqlx::Error>((procs, plan, templates, asked))
        }
        .await;
        let (procs, plan, templates, asked) = loaded.map_err(|e| ctx.fail(e).into_response())?;
        let tr = ctx.tr.clone();
        let unconfirmed = unconfirmed_of(&templates);
        let rows: Vec<Row> = procs
            .iter()
            .map(|p| {
                let u = p
                    .template_id
                    .as_deref()
                    .is_some_and(|t| unconfirmed.get(t).copied().unwrap_or(false));
                Row::new(&tr, p, Mode::Portal.url(&project.id, &p.id), u)
            })
            .collect();
        let corrections = asked
            .into_iter()
            .filter_map(|(pid, e, doc)| {
                let row = rows.iter().find(|r| r.id == pid)?;
                Some(match doc {
                    Some(d) => Correction {
                        procedure_id: pid.clone(),
                        procedure_name: row.name.clone(),
                        administration: row.administration.clone(),
                        asked: e.note.clone(),
                        asked_on: local_date(tr.lang, &e.on_date),
                        document_id: d.id.clone(),
                        document_title: d.title.clone(),
                        document_version: d.version,
                        can_upload: d.status != "accepted",
                        action: format!(
                            "/portal/projects/{}/procedures/{pid}/correction",
                            project.id
                        ),
                        back: "tab",
                    },
                    None => Correction {
                        procedure_id: pid.clone(),
                        procedure_name: row.name.clone(),
                        administration: row.administration.clone(),
                        asked: e.note.clone(),
                        asked_on: local_date(tr.lang, &e.on_date),
                        document_id: String::new(),
                        document_title: String::new(),
                        document_version: 0,
                        can_upload: false,
                        action: String::new(),
                        back: "tab",
                    },
                })
            })
            .collect();
        let pid = project.id.clone();
        let items = plan_items(&tr, &plan, |p| Mode::Portal.url(&pid, p));
        Ok(Self {
            project_id: project.id.clone(),
            project_title: project.title(access).to_owned(),
            tab: "procedures",
            portal: true,
            rows,
            plan: items,
            last: plan
                .last
                .as_deref()
                .map(|d| local_date(tr.lang, d))
                .unwrap_or_default(),
            corrections,
            errors: FormErrors::default(),
            max_mb: state.config.upload_max_mb,
            accept: DocKind::accept(),
            ctx,
        })
    }
}

async fn portal_tab(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (project, access) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    match PortalPage::load(&state, ctx, &project, access).await {
        Ok(page) => render(&page),
        Err(r) => r,
    }
}

/// The investor hands in the correction: the file of the document the correction
/// request opened, which resumes the procedure's clock.
async fn portal_correction(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let f = match portal_found(&state, &user, &ctx, &id, &pid).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let Some((project, access)) = f.project.clone() else {
        return ctx.not_found().into_response();
    };
    // The document the open correction asks for.
    let asked = async {
        let mut conn = state.db.reader().acquire().await?;
        let events = store::events(&mut conn, &f.proc.id).await?;
        let did = open_correction(&events).and_then(|e| e.document_id.clone());
        Ok::<_, sqlx::Error>(did)
    }
    .await;
    let did = match asked {
        Ok(Some(did)) if f.proc.status() == Status::Paused => did,
        Ok(_) => {
            let message = ctx.tr.t("proc-ui-no-correction").to_owned();
            return detail_with(&state, ctx, &f, StatusCode::CONFLICT, |p| {
                p.notice = Some(message);
            })
            .await;
        }
        Err(e) => return ctx.fail(e).into_response(),
    };
    let max_mb = state.config.upload_max_mb;
    let read = papi::read_file(&state, multipart, Some(&token)).await;
    let field = format!("corr-{}", f.proc.id);
    let (kind, name, up) = match read {
        Ok(ok) => ok,
        Err((problem, up)) => {
            let back_tab = up
                .as_ref()
                .and_then(|u| u.field("back"))
                .is_some_and(|b| b == "tab");
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
                    ctx.tr.t("portal-err-file_required").to_owned(),
                ),
                FileProblem::Malformed => return PageError::page(ctx, StatusCode::BAD_REQUEST),
                FileProblem::Forbidden => return PageError::page(ctx, StatusCode::FORBIDDEN),
            };
            return correction_again(
                &state, ctx, &f, &project, access, back_tab, status, &field, message,
            )
            .await;
        }
    };
    let back_tab = up.field("back") == Some("tab");
    let version = up
        .field("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let uploaded = documents::upload(
            &mut tx,
            Some(&user.id),
            &project.id,
            &did,
            version,
            &NewFile {
                kind,
                name: &name,
                bytes: &up.bytes,
            },
        )
        .await;
        if let Err(e) = uploaded {
            return Ok(Err(Err(e)));
        }
        let resumed = store::correction_uploaded(&state, &mut tx, &user, &project.id, &did).await;
        if resumed.is_ok() {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(resumed.map_err(Ok))
    }
    .await;
    let back = if back_tab {
        Mode::Portal.list(&project.id)
    } else {
        Mode::Portal.url(&project.id, &f.proc.id)
    };
    match done {
        Ok(Ok(_)) => redirect_with(&back, &[flash_cookie("flash-proc-correction-sent")]),
        Ok(Err(Err(DocError::Conflict(_)))) => {
            let message = ctx.tr.t("portal-doc-conflict").to_owned();
            correction_again(
                &state,
                ctx,
                &f,
                &project,
                access,
                back_tab,
                StatusCode::CONFLICT,
                &field,
                message,
            )
            .await
        }
        Ok(Err(Err(DocError::Accepted))) => {
            let message = ctx.tr.t("portal-doc-already-accepted").to_owned();
            correction_again(
                &state,
                ctx,
                &f,
                &project,
                access,
                back_tab,
                StatusCode::CONFLICT,
                &field,
                message,
            )
            .await
        }
        Ok(Err(Err(DocError::NotFound))) => ctx.not_found().into_response(),
        Ok(Err(Err(e))) => ctx.fail(e).into_response(),
        Ok(Err(Ok(e))) => write_refused(&state, ctx, &f, e, "corr-", |_| {}).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The tab or the procedure's page again, with a message next to the file field.
#[allow(clippy::too_many_arguments)]
async fn correction_again(
    state: &AppState,
    ctx: PageCtx,
    f: &Found,
    project: &Project,
    access: Access,
    tab: bool,
    status: StatusCode,
    field: &str,
    message: String,
) -> Response {
    if tab {
        match PortalPage::load(state, ctx, project, access).await {
            Ok(mut page) => {
                page.errors.add(field, message);
                (status, render(&page)).into_response()
            }
            Err(r) => r,
        }
    } else {
        detail_with(state, ctx, f, status, |p| p.errors.add(field, message)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use std::sync::Arc;

    fn tr(lang: Lang) -> Tr {
        Tr::new(Arc::new(I18n::load().unwrap()), lang)
    }

    #[test]
    fn cnae_codes_read_with_their_dot() {
        assert_eq!(cnae_text("2410"), "24.10");
        assert_eq!(cnae_text("24.10"), "24.10");
        assert_eq!(cnae_text("24"), "24");
    }

    #[test]
    fn the_checklist_says_why_in_words() {
        let es = tr(Lang::Es);
        let prefixes = vec!["24".to_owned(), "2351".to_owned()];
        assert_eq!(
            reason_text(
                &es,
                &Reason::CnaeIn {
                    prefix: "24".into()
                },
                Some("24.10"),
                None,
                &prefixes
            ),
            "La actividad (CNAE 24.10) está en la división 24"
        );
        assert_eq!(
            reason_text(
                &es,
                &Reason::PowerAtLeast { min: 1000.0 },
                None,
                Some(2000.0),
                &prefixes
            ),
            "Pide 2.000 kVA (desde 1.000 kVA)"
        );
        assert_eq!(
            reason_text(&es, &Reason::NoCnae, None, None, &prefixes),
            "El proyecto no tiene CNAE"
        );
        let en = tr(Lang::En);
        assert_eq!(
            reason_text(
                &en,
                &Reason::CnaeIn {
                    prefix: "241".into()
                },
                Some("2410"),
                None,
                &prefixes
            ),
            "The activity (CNAE 24.10) is in group 241"
        );
        assert_eq!(
            reason_text(
                &en,
                &Reason::PowerBelow { min: 1000.0 },
                None,
                Some(500.0),
                &prefixes
            ),
            "Asks for 500 kVA (needed from 1,000 kVA)"
        );
    }

    #[test]
    fn the_open_correction_is_the_last_step_but_notes() {
        let ev = |kind: &str| ProcEvent {
            id: kind.into(),
            procedure_id: "p".into(),
            kind: kind.into(),
            on_date: "2026-01-05".into(),
            note: String::new(),
            document_id: None,
            document_title: None,
            actor_id: None,
            actor_name: None,
            at: String::new(),
        };
        let events = vec![ev("complete"), ev("correction_requested"), ev("note")];
        assert_eq!(
            open_correction(&events).map(|e| e.kind.as_str()),
            Some("correction_requested")
        );
        let events = vec![ev("complete"), ev("correction_requested"), ev("corrected")];
        assert!(open_correction(&events).is_none());
    }
}
