//! Pages: the office's documents and messages tabs of a project, and the
//! investor's portal (`/portal`: its projects; each with a summary, documents
//! and messages). Plain forms with the CSRF token and POST-redirect-GET; errors
//! next to the fields. Office pages are 404 to everyone outside the office,
//! portal pages to everyone but the project's investor.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::office::Stage;
use serde::Deserialize;
use serde_json::Value;

use super::Invalid;
use super::api::{self as papi, FileProblem, accepted_kinds, can_read, can_write_message};
use super::documents::{self, DocError, Document, NewFile};
use super::invite::{self, InviteError, Outcome};
use super::kind::DocKind;
use super::messages::{self, Message, Notify};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::office::policy::{self, Access};
use crate::office::projects::{self, Project};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// How many messages a thread page shows (the latest).
const THREAD_MAX: i64 = 300;
/// How many documents a page lists.
const DOCS_MAX: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/office/projects/{id}/documents",
            get(office_documents).post(request_document),
        )
        .route(
            "/office/projects/{id}/documents/new-file",
            post(office_own_upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/office/projects/{id}/documents/{did}/file",
            get(office_download)
                .post(office_upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/office/projects/{id}/documents/{did}/review",
            post(review_document),
        )
        .route("/office/projects/{id}/invitations", post(invite_person))
        .route(
            "/office/projects/{id}/messages",
            get(office_messages).post(office_post_message),
        )
        .route("/portal", get(portal_home))
        .route("/portal/projects/{id}", get(portal_summary))
        .route("/portal/projects/{id}/documents", get(portal_documents))
        .route(
            "/portal/projects/{id}/documents/{did}/file",
            get(portal_download)
                .post(portal_upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/portal/projects/{id}/messages",
            get(portal_messages).post(portal_post_message),
        )
}

// ---- Dates in the user's language (Europe/Madrid) ----

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2026-11-29` as `29/11/2026` in Spanish, `29 Nov 2026` in English.
pub fn local_date(lang: Lang, date: &str) -> String {
    let day = date.get(..10).unwrap_or(date);
    let parts: Vec<&str> = day.split('-').collect();
    match (lang, parts.as_slice()) {
        (Lang::Es, [y, m, d]) => format!("{d}/{m}/{y}"),
        (Lang::En, [y, m, d]) => {
            let month = m
                .parse::<usize>()
                .ok()
                .and_then(|m| MONTHS_EN.get(m.wrapping_sub(1)))
                .copied()
                .unwrap_or(m);
            format!("{} {month} {y}", d.trim_start_matches('0'))
        }
        _ => day.to_owned(),
    }
}

/// A stored timestamp as the office's local date and time, in the user's language.
pub fn local_time(lang: Lang, ts: &str) -> String {
    let Ok(t) = time::OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339)
    else {
        return local_date(lang, ts);
    };
    let local = t.to_offset(crate::office::work::madrid::offset_at(t));
    let date = format!(
        "{:04}-{:02}-{:02}",
        local.year(),
        u8::from(local.month()),
        local.day()
    );
    let sep = if lang == Lang::Es { " " } else { ", " };
    format!(
        "{}{sep}{:02}:{:02}",
        local_date(lang, &date),
        local.hour(),
        local.minute()
    )
}

fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    let local = crate::office::work::madrid::local(now);
    format!(
        "{:04}-{:02}-{:02}",
        local.year(),
        u8::from(local.month()),
        local.day()
    )
}

/// A file size for people: `340 KB`, `1,2 MB`.
fn size_text(bytes: i64, lang: Lang) -> String {
    let b = bytes.max(0) as f64;
    let (v, unit) = if b >= 1024.0 * 1024.0 {
        (b / (1024.0 * 1024.0), "MB")
    } else {
        ((b / 1024.0).max(1.0), "KB")
    };
    let mut s = if v >= 10.0 || unit == "KB" {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if lang == Lang::Es {
        s = s.replace('.', ",");
    }
    format!("{s} {unit}")
}

/// A timeline entry in the reader's language: `office-event-{kind}` with the
/// detail's fields as arguments (stage names and dates translated); a neutral
/// sentence when the kind has no message.
pub fn event_text(tr: &Tr, kind: &str, detail: &str) -> String {
    let key = format!("office-event-{kind}");
    let map = match serde_json::from_str::<Value>(detail) {
        Ok(Value::Object(m)) => m,
        _ => Default::default(),
    };
    let args: Vec<(String, String)> = map
        .into_iter()
        .map(|(k, v)| {
            let raw = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            let shown = if matches!(k.as_str(), "stage" | "from" | "to")
                && Stage::parse(&raw).is_some()
            {
                tr.t(&format!("office-stage-{raw}")).to_owned()
            } else if k.ends_with("_on") && raw.len() == 10 && raw.as_bytes().get(4) == Some(&b'-')
            {
                local_date(tr.lang, &raw)
            } else {
                raw
            };
            (k, shown)
        })
        .collect();
    let fargs: Vec<(&str, fluent_bundle::FluentValue<'_>)> = args
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone().into()))
        .collect();
    let text = tr.tn(&key, &fargs);
    if text == key {
        tr.t("portal-event-other").to_owned()
    } else {
        text
    }
}

// ---- Access ----

/// A project as a page sees it: the record, what the user may do, which side.
#[derive(Clone, Copy)]
struct Seen<'a> {
    p: &'a Project,
    a: Access,
    /// The investor's portal (else the office's pages).
    portal: bool,
}

/// The project for an office page: office users who may see it, else 404.
async fn office_project(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_office(user) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some(pa)) => Ok(pa),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// The project for a portal page: the project's own investor users, else 404.
async fn portal_project(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_investor(user) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some((p, a))) if a.investor => Ok((p, a)),
        Ok(_) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

fn errors_from(tr: &Tr, errs: &[Invalid], prefix: &str) -> FormErrors {
    let mut out = FormErrors::default();
    for e in errs {
        out.add(&format!("{prefix}{}", e.field), e.message(tr));
    }
    out
}

// ---- Documents: what the pages show ----

/// A document as a row of the pages.
pub struct DocRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub status_label: String,
    pub is_request: bool,
    pub for_investor: bool,
    pub due: String,
    pub overdue: bool,
    pub file_name: String,
    pub file_url: String,
    pub file_info: String,
    pub uploaded: String,
    pub review_comment: String,
    pub version: i64,
    /// The upload form is offered.
    pub can_upload: bool,
    /// The review form is offered.
    pub can_review: bool,
    /// The investor is waiting on it.
    pub awaits_investor: bool,
}

fn doc_row(tr: &Tr, d: &Document, base: &str, investor: bool, edit: bool) -> DocRow {
    let today = today();
    let awaiting = d.awaits_investor();
    let overdue = awaiting && d.due_on.as_deref().is_some_and(|due| due < today.as_str());
    let kind = d.kind();
    let file_info = match (kind, d.size) {
        (Some(k), Some(s)) => format!("{} · {}", k.label(), size_text(s, tr.lang)),
        _ => String::new(),
    };
    let uploaded = match (&d.uploaded_by_name, &d.uploaded_at) {
        (Some(by), Some(at)) => tr.tn(
            "portal-doc-uploaded-by",
            &[
                ("name", by.clone().into()),
                ("when", local_time(tr.lang, at).into()),
            ],
        ),
        (None, Some(at)) => local_time(tr.lang, at),
        _ => String::new(),
    };
    DocRow {
        id: d.id.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        status: d.status.clone(),
        status_label: tr.t(&format!("portal-doc-status-{}", d.status)).to_owned(),
        is_request: d.is_request(),
        for_investor: d.for_investor,
        due: d
            .due_on
            .as_deref()
            .map(|x| local_date(tr.lang, x))
            .unwrap_or_default(),
        overdue,
        file_name: d.file_name.clone().unwrap_or_default(),
        file_url: if d.has_file() {
            format!("{base}/{}/documents/{}/file", d.project_id, d.id)
        } else {
            String::new()
        },
        file_info,
        uploaded,
        review_comment: d.review_comment.clone().unwrap_or_default(),
        version: d.version,
        can_upload: d.status != "accepted" && (edit || (investor && d.is_request())),
        can_review: edit && d.status == "uploaded",
        awaits_investor: awaiting,
    }
}

// ---- The office's documents tab ----

#[derive(Debug, Default, Clone, Deserialize)]
struct RequestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    due_on: String,
    internal: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    lang: String,
}

/// The office's own document being uploaded, for the form shown again.
#[derive(Debug, Default, Clone)]
struct OwnForm {
    title: String,
    description: String,
    internal: bool,
}

/// A person of the investor with access to the portal.
struct PersonRow {
    name: String,
    email: String,
    state: String,
}

#[derive(Template)]
#[template(path = "office/portal/office_documents.html")]
struct OfficeDocumentsPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    can_read: bool,
    can_edit: bool,
    docs: Vec<DocRow>,
    has_org: bool,
    org_name: String,
    people: Vec<PersonRow>,
    req: RequestForm,
    own: OwnForm,
    inv: InviteForm,
    errors: FormErrors,
    notice: Option<String>,
    max_mb: u64,
    accept: String,
}

/// The per-document fields of a page: their ids and errors.
trait DocFields {
    fn errors(&self) -> &FormErrors;

    fn field_id(&self, field: &str, id: &str) -> String {
        format!("{field}-{id}")
    }

    fn err(&self, field: &str, id: &str) -> Option<&str> {
        self.errors().get(&format!("{field}-{id}"))
    }
}

impl DocFields for OfficeDocumentsPage {
    fn errors(&self) -> &FormErrors {
        &self.errors
    }
}

impl DocFields for PortalDocumentsPage {
    fn errors(&self) -> &FormErrors {
        &self.errors
    }
}

impl OfficeDocumentsPage {
    async fn load(
        state: &AppState,
        ctx: PageCtx,
        p: &Project,
        a: Access,
    ) -> Result<Self, Response> {
        let read = can_read(a);
        let loaded = async {
            let docs = if read {
                documents::list(state.db.reader(), &p.id, false, None, DOCS_MAX).await?
            } else {
                Vec::new()
            };
            let people = match (&p.investor_org_id, read) {
                (Some(org), true) => invite::people(state.db.reader(), org).await?,
                _ => Vec::new(),
            };
            Ok::<_, sqlx::Error>((docs, people))
        }
        .await;
        let (docs, people) = loaded.map_err(|e| ctx.fail(e).into_response())?;
        let tr = &ctx.tr;
        let docs = docs
            .iter()
            .map(|d| doc_row(tr, d, "/office/projects", false, a.edit))
            .collect();
        let people = people
            .into_iter()
            .map(|(name, email, has_password, active)| PersonRow {
                name,
                email,
                state: tr
                    .t(match (active, has_password) {
                        (false, _) => "portal-person-inactive",
                        (true, true) => "portal-person-active",
                        (true, false) => "portal-person-invited",
                    })
                    .to_owned(),
            })
            .collect();
        Ok(Self {
            project_id: p.id.clone(),
            project_title: p.title(a).to_owned(),
            tab: "documents",
            portal: false,
            can_read: read,
            can_edit: a.edit,
            docs,
            has_org: p.investor_org_id.is_some(),
            org_name: p.investor_name.clone().unwrap_or_default(),
            people,
            req: RequestForm::default(),
            own: OwnForm {
                internal: false,
                ..OwnForm::default()
            },
            inv: InviteForm {
                lang: "es".into(),
                ..InviteForm::default()
            },
            errors: FormErrors::default(),
            notice: None,
            max_mb: state.config.upload_max_mb,
            accept: DocKind::accept(),
            ctx,
        })
    }
}

/// The office documents page again, with something to say.
async fn office_documents_with(
    state: &AppState,
    ctx: PageCtx,
    p: &Project,
    a: Access,
    status: StatusCode,
    setup: impl FnOnce(&mut OfficeDocumentsPage),
) -> Response {
    match OfficeDocumentsPage::load(state, ctx, p, a).await {
        Ok(mut page) => {
            setup(&mut page);
            (status, render(&page)).into_response()
        }
        Err(r) => r,
    }
}

async fn office_documents(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    office_documents_with(&state, ctx, &p, a, StatusCode::OK, |_| {}).await
}

async fn request_document(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !a.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let new = match papi::validate_document(
        Some(&form.title),
        Some(&form.description),
        Some(&form.due_on),
        form.internal.is_none(),
        true,
    ) {
        Ok(n) => n,
        Err(errs) => {
            let errors = errors_from(&ctx.tr, &errs, "req-");
            return office_documents_with(
                &state,
                ctx,
                &p,
                a,
                StatusCode::UNPROCESSABLE_ENTITY,
                |page| {
                    page.errors = errors;
                    page.req = form;
                },
            )
            .await;
        }
    };
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        documents::create(&mut tx, Some(&user.id), &p.id, &new).await?;
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => redirect_with(
            &format!("/office/projects/{}/documents", p.id),
            &[flash_cookie("flash-portal-doc-requested")],
        ),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The message for a refused file, or the page for a refused form.
enum Refusal {
    /// Shown next to the file field, with this status.
    Field(StatusCode, String),
    Page(StatusCode),
}

fn refusal(tr: &Tr, p: FileProblem, max_mb: u64) -> Refusal {
    match p {
        FileProblem::TooLarge => Refusal::Field(
            StatusCode::PAYLOAD_TOO_LARGE,
            tr.t1("portal-err-too_large", "value", max_mb as i64),
        ),
        FileProblem::WrongType => Refusal::Field(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            tr.t1("portal-err-wrong_type", "value", accepted_kinds()),
        ),
        FileProblem::Missing => Refusal::Field(
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("portal-err-file_required").to_owned(),
        ),
        FileProblem::Malformed => Refusal::Page(StatusCode::BAD_REQUEST),
        FileProblem::Forbidden => Refusal::Page(StatusCode::FORBIDDEN),
    }
}

fn doc_error_message(tr: &Tr, e: &DocError) -> Option<(StatusCode, String)> {
    match e {
        DocError::Conflict(_) => {
            Some((StatusCode::CONFLICT, tr.t("portal-doc-conflict").to_owned()))
        }
        DocError::Accepted => Some((
            StatusCode::CONFLICT,
            tr.t("portal-doc-already-accepted").to_owned(),
        )),
        DocError::NotReviewable => Some((
            StatusCode::CONFLICT,
            tr.t("portal-doc-not-reviewable").to_owned(),
        )),
        _ => None,
    }
}

/// The office uploads a document of its own (shared with the investor or internal).
async fn office_own_upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !a.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let max_mb = state.config.upload_max_mb;
    let read = papi::read_file(&state, multipart, Some(&token)).await;
    let form_of = |up: Option<&super::upload::Upload>| OwnForm {
        title: up.and_then(|u| u.field("title")).unwrap_or("").to_owned(),
        description: up
            .and_then(|u| u.field("description"))
            .unwrap_or("")
            .to_owned(),
        internal: up.is_some_and(|u| u.field("internal").is_some()),
    };
    let (kind, name, up) = match read {
        Ok(ok) => ok,
        Err((problem, up)) => {
            return match refusal(&ctx.tr, problem, max_mb) {
                Refusal::Page(s) => PageError::page(ctx, s),
                Refusal::Field(status, message) => {
                    let own = form_of(up.as_ref());
                    office_documents_with(&state, ctx, &p, a, status, |page| {
                        page.errors.add("own-file", message);
                        page.own = own;
                    })
                    .await
                }
            };
        }
    };
    let own = form_of(Some(&up));
    // The title defaults to the file's name.
    let typed = up.field("title").map(str::trim).filter(|t| !t.is_empty());
    let title = typed.map_or_else(
        || name.chars().take(documents::TITLE_MAX).collect::<String>(),
        str::to_owned,
    );
    let new = match papi::validate_document(
        Some(&title),
        up.field("description"),
        None,
        !own.internal,
        false,
    ) {
        Ok(n) => n,
        Err(errs) => {
            let errors = errors_from(&ctx.tr, &errs, "own-");
            return office_documents_with(
                &state,
                ctx,
                &p,
                a,
                StatusCode::UNPROCESSABLE_ENTITY,
                |page| {
                    page.errors = errors;
                    page.own = own;
                },
            )
            .await;
        }
    };
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let did = documents::create(&mut tx, Some(&user.id), &p.id, &new).await?;
        let r = documents::upload(
            &mut tx,
            Some(&user.id),
            &p.id,
            &did,
            None,
            &NewFile {
                kind,
                name: &name,
                bytes: &up.bytes,
            },
        )
        .await;
        if r.is_ok() {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(r)
    }
    .await;
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/office/projects/{}/documents", p.id),
            &[flash_cookie("flash-portal-doc-uploaded")],
        ),
        Ok(Err(e)) => ctx.fail(e).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// Uploads the file of a document from a page (office or portal). On success,
/// back to `back` with a flash; on a refusal, `again` renders the page with the
/// message next to the document's file field.
async fn upload_from_page(
    state: &AppState,
    user: &User,
    ctx: PageCtx,
    seen: Seen<'_>,
    did: &str,
    token: &CsrfToken,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, (PageCtx, StatusCode, String)> {
    let (p, investor) = (seen.p, seen.portal);
    let existing = async {
        let mut conn = state.db.reader().acquire().await?;
        documents::get(&mut conn, &p.id, did, investor).await
    }
    .await;
    match existing {
        Ok(Some((d, _))) if !investor || d.is_request() => {}
        Ok(_) => return Ok(ctx.not_found().into_response()),
        Err(e) => return Ok(ctx.fail(e).into_response()),
    }
    let max_mb = state.config.upload_max_mb;
    let (kind, name, up) = match papi::read_file(state, multipart, Some(token)).await {
        Ok(ok) => ok,
        Err((problem, _)) => {
            return match refusal(&ctx.tr, problem, max_mb) {
                Refusal::Page(s) => Ok(PageError::page(ctx, s)),
                Refusal::Field(status, message) => Err((ctx, status, message)),
            };
        }
    };
    let version = up
        .field("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let r = documents::upload(
            &mut tx,
            Some(&user.id),
            &p.id,
            did,
            version,
            &NewFile {
                kind,
                name: &name,
                bytes: &up.bytes,
            },
        )
        .await;
        if r.is_ok() {
            if investor {
                // The file a correction request asked for: the procedure resumes.
                crate::office::procedures::store::correction_uploaded(
                    state, &mut tx, user, &p.id, did,
                )
                .await
                .map_err(|e| e.into_sqlx())?;
            }
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(r)
    }
    .await;
    let back = if investor {
        "/portal/projects"
    } else {
        "/office/projects"
    };
    match done {
        Ok(Ok(_)) => Ok(redirect_with(
            &format!("{back}/{}/documents", p.id),
            &[flash_cookie("flash-portal-doc-uploaded")],
        )),
        Ok(Err(DocError::NotFound)) => Ok(ctx.not_found().into_response()),
        Ok(Err(e)) => match doc_error_message(&ctx.tr, &e) {
            Some((status, message)) => Err((ctx, status, message)),
            None => Ok(ctx.fail(e).into_response()),
        },
        Err(e) => Ok(ctx.fail(e).into_response()),
    }
}

async fn office_upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !a.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let seen = Seen {
        p: &p,
        a,
        portal: false,
    };
    match upload_from_page(&state, &user, ctx, seen, &did, &token, multipart).await {
        Ok(r) => r,
        Err((ctx, status, message)) => {
            office_documents_with(&state, ctx, &p, a, status, |page| {
                page.errors.add(&format!("file-{did}"), message);
            })
            .await
        }
    }
}

async fn office_download(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !can_read(a) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    match papi::file_response(&state, &p.id, &did, false).await {
        Ok(Some(r)) => r,
        Ok(None) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct ReviewForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: i64,
}

async fn review_document(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !a.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let (accepted, comment) = match papi::validate_review(Some(&form.status), Some(&form.comment)) {
        Ok(ok) => ok,
        Err(errs) => {
            let mut errors = FormErrors::default();
            for e in &errs {
                errors.add(&format!("{}-{did}", e.field), e.message(&ctx.tr));
            }
            return office_documents_with(
                &state,
                ctx,
                &p,
                a,
                StatusCode::UNPROCESSABLE_ENTITY,
                |page| {
                    page.errors = errors;
                },
            )
            .await;
        }
    };
    let done = in_tx!(state, |tx| documents::review(
        &mut tx,
        Some(&user.id),
        &p.id,
        &did,
        form.version,
        accepted,
        comment.as_deref(),
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("/office/projects/{}/documents", p.id),
            &[flash_cookie(if accepted {
                "flash-portal-doc-accepted"
            } else {
                "flash-portal-doc-rejected"
            })],
        ),
        Ok(Err(DocError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => match doc_error_message(&ctx.tr, &e) {
            Some((status, message)) => {
                office_documents_with(&state, ctx, &p, a, status, |page| {
                    page.notice = Some(message)
                })
                .await
            }
            None => ctx.fail(e).into_response(),
        },
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn invite_person(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    if !a.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let again = |ctx: PageCtx, errs: Vec<Invalid>, form: InviteForm| {
        let state = state.clone();
        let p = p.clone();
        async move {
            let errors = errors_from(&ctx.tr, &errs, "inv-");
            office_documents_with(
                &state,
                ctx,
                &p,
                a,
                StatusCode::UNPROCESSABLE_ENTITY,
                |page| {
                    page.errors = errors;
                    page.inv = form;
                },
            )
            .await
        }
    };
    let who = match invite::validate(Some(&form.name), Some(&form.email), Some(&form.lang)) {
        Ok(w) => w,
        Err(errs) => return again(ctx, errs, form).await,
    };
    let done = in_tx!(state, |tx| invite::invite(
        &mut tx,
        &state.i18n,
        state.config.public_base(),
        &user,
        &p,
        &who,
    )
    .await);
    match done {
        Ok(Ok((outcome, _))) => redirect_with(
            &format!("/office/projects/{}/documents", p.id),
            &[flash_cookie(match outcome {
                Outcome::Invited => "flash-portal-invited",
                Outcome::Linked => "flash-portal-linked",
                Outcome::AlreadyLinked => "flash-portal-already-linked",
            })],
        ),
        Ok(Err(InviteError::NoOrganisation)) => {
            again(
                ctx,
                vec![Invalid::new("email", "no_investor_organisation")],
                form,
            )
            .await
        }
        Ok(Err(InviteError::Taken(i))) => again(ctx, vec![i], form).await,
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Messages (both sides) ----

/// A message as the thread shows it.
pub struct MessageRow {
    /// What a screen reader announces: who wrote it, when.
    pub label: String,
    pub author: String,
    pub side: String,
    pub side_label: String,
    pub mine: bool,
    pub body: String,
    pub at: String,
    pub at_iso: String,
}

fn message_rows(tr: &Tr, user: &User, ms: Vec<Message>) -> Vec<MessageRow> {
    ms.into_iter()
        .map(|m| MessageRow {
            label: tr.tn(
                "portal-message-label",
                &[
                    ("author", m.author_name.clone().into()),
                    ("when", local_time(tr.lang, &m.at).into()),
                ],
            ),
            side_label: tr
                .t(if m.author_side == "investor" {
                    "portal-side-investor"
                } else {
                    "portal-side-office"
                })
                .to_owned(),
            mine: m.author_id == user.id,
            at: local_time(tr.lang, &m.at),
            at_iso: m.at,
            author: m.author_name,
            side: m.author_side,
            body: m.body,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "office/portal/messages.html")]
struct MessagesPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    can_read: bool,
    can_write: bool,
    messages: Vec<MessageRow>,
    body: String,
    errors: FormErrors,
    action: String,
}

async fn messages_page(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    seen: Seen<'_>,
    status: StatusCode,
    body: String,
    errors: FormErrors,
) -> Response {
    let (p, a, portal) = (seen.p, seen.a, seen.portal);
    let read = can_read(a);
    let ms = if read {
        match messages::latest(state.db.reader(), &p.id, THREAD_MAX).await {
            Ok(ms) => ms,
            Err(e) => return ctx.fail(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let base = if portal {
        "/portal/projects"
    } else {
        "/office/projects"
    };
    let page = MessagesPage {
        project_id: p.id.clone(),
        project_title: if portal {
            p.code_name.clone()
        } else {
            p.title(a).to_owned()
        },
        tab: "messages",
        portal,
        can_read: read,
        can_write: can_write_message(a),
        messages: message_rows(&ctx.tr, user, ms),
        body,
        errors,
        action: format!("{base}/{}/messages", p.id),
        ctx,
    };
    (status, render(&page)).into_response()
}

#[derive(Debug, Deserialize)]
struct MessageForm {
    #[serde(default)]
    body: String,
}

async fn post_message_page(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    seen: Seen<'_>,
    form: MessageForm,
) -> Response {
    let (p, a, portal) = (seen.p, seen.a, seen.portal);
    if !can_write_message(a) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let text = match papi::validate_message(Some(&form.body)) {
        Ok(t) => t,
        Err(errs) => {
            let errors = errors_from(&ctx.tr, &errs, "");
            return messages_page(
                state,
                ctx,
                user,
                seen,
                StatusCode::UNPROCESSABLE_ENTITY,
                form.body,
                errors,
            )
            .await;
        }
    };
    let notify = Notify {
        i18n: &state.i18n,
        base: state.config.public_base(),
    };
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        messages::post(&mut tx, &notify, user, p, &text).await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    let base = if portal {
        "/portal/projects"
    } else {
        "/office/projects"
    };
    match done {
        Ok(()) => redirect_with(
            &format!("{base}/{}/messages#latest", p.id),
            &[flash_cookie("flash-portal-message-sent")],
        ),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn office_messages(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    let seen = Seen {
        p: &p,
        a,
        portal: false,
    };
    messages_page(
        &state,
        ctx,
        &user,
        seen,
        StatusCode::OK,
        String::new(),
        FormErrors::default(),
    )
    .await
}

async fn office_post_message(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MessageForm>,
) -> Response {
    let (p, a) = match office_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    post_message_page(
        &state,
        ctx,
        &user,
        Seen {
            p: &p,
            a,
            portal: false,
        },
        form,
    )
    .await
}

async fn portal_messages(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, a) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    let seen = Seen {
        p: &p,
        a,
        portal: true,
    };
    messages_page(
        &state,
        ctx,
        &user,
        seen,
        StatusCode::OK,
        String::new(),
        FormErrors::default(),
    )
    .await
}

async fn portal_post_message(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MessageForm>,
) -> Response {
    let (p, a) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    post_message_page(
        &state,
        ctx,
        &user,
        Seen {
            p: &p,
            a,
            portal: true,
        },
        form,
    )
    .await
}

// ---- The portal ----

/// A project on the portal's home page.
struct ProjectCard {
    id: String,
    code_name: String,
    investor: String,
    stage: String,
    pending_docs: i64,
    pending_sites: i64,
}

#[derive(Template)]
#[template(path = "office/portal/home.html")]
struct HomePage {
    ctx: PageCtx,
    projects: Vec<ProjectCard>,
}

/// Proposed sites still waiting for the investor's feedback, per project.
async fn sites_awaiting_feedback(
    pool: &sqlx::AnyPool,
    ids: &[String],
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = crate::db::Sql::new(
            "SELECT project_id, COUNT(*) FROM site_proposals WHERE withdrawn_at IS NULL AND feedback IS NULL AND project_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(id.clone());
        }
        sql.push(") GROUP BY project_id");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
        out.extend(rows);
    }
    Ok(out)
}

async fn portal_home(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::is_investor(&user) {
        return ctx.not_found().into_response();
    }
    let loaded = async {
        let list = projects::list(
            state.db.reader(),
            &user,
            &projects::Filter::default(),
            None,
            200,
        )
        .await?;
        let ids: Vec<String> = list.iter().map(|(p, _)| p.id.clone()).collect();
        let docs = documents::pending_for_investor(state.db.reader(), &ids).await?;
        let sites = sites_awaiting_feedback(state.db.reader(), &ids).await?;
        Ok::<_, sqlx::Error>((list, docs, sites))
    }
    .await;
    let (list, docs, sites) = match loaded {
        Ok(l) => l,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = &ctx.tr;
    let projects = list
        .into_iter()
        .map(|(p, _)| ProjectCard {
            stage: tr
                .t(&format!("office-stage-{}", p.stage.as_str()))
                .to_owned(),
            pending_docs: docs.get(&p.id).copied().unwrap_or(0),
            pending_sites: sites.get(&p.id).copied().unwrap_or(0),
            investor: p.investor_name.clone().unwrap_or_default(),
            code_name: p.code_name,
            id: p.id,
        })
        .collect();
    render(&HomePage { ctx, projects })
}

/// A step of the stage list.
struct StepRow {
    label: String,
    /// `done`, `current` or `todo`.
    state: &'static str,
}

/// A timeline entry on the portal.
struct EventRow {
    text: String,
    at: String,
    at_iso: String,
}

#[derive(Template)]
#[template(path = "office/portal/summary.html")]
struct SummaryPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    investor: String,
    stage_label: String,
    /// `on_hold` or `lost`, else empty.
    halted: String,
    steps: Vec<StepRow>,
    checklist: Vec<DocRow>,
    proposals: i64,
    events: Vec<EventRow>,
}

async fn portal_summary(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, a) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    let loaded = async {
        let docs = documents::list(state.db.reader(), &p.id, true, None, DOCS_MAX).await?;
        let proposals: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM site_proposals WHERE project_id = $1 AND withdrawn_at IS NULL",
        )
        .bind(&p.id)
        .fetch_one(state.db.reader())
        .await?;
        let events = projects::timeline(state.db.reader(), &p.id, true, 10).await?;
        Ok::<_, sqlx::Error>((docs, proposals, events))
    }
    .await;
    let (docs, proposals, events) = match loaded {
        Ok(l) => l,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = &ctx.tr;
    // On hold or lost: the steps show where it stopped.
    let at = if p.stage.is_active() {
        Some(p.stage)
    } else {
        p.held_from
    };
    let at_rank = at.and_then(Stage::rank);
    let steps = Stage::ACTIVE
        .iter()
        .map(|s| {
            let r = s.rank().unwrap_or(0);
            StepRow {
                label: tr.t(&format!("office-stage-{}", s.as_str())).to_owned(),
                state: match at_rank {
                    Some(c) if r < c => "done",
                    Some(c) if r == c => "current",
                    _ => "todo",
                },
            }
        })
        .collect();
    let checklist = docs
        .iter()
        .filter(|d| d.is_request())
        .map(|d| doc_row(tr, d, "/portal/projects", true, false))
        .collect();
    let events = events
        .into_iter()
        .map(|e| EventRow {
            text: event_text(tr, &e.kind, &e.detail),
            at: local_time(tr.lang, &e.at),
            at_iso: e.at,
        })
        .collect();
    let page = SummaryPage {
        project_id: p.id.clone(),
        project_title: p.code_name.clone(),
        tab: "summary",
        portal: true,
        investor: p.title(a).to_owned(),
        stage_label: tr
            .t(&format!("office-stage-{}", p.stage.as_str()))
            .to_owned(),
        halted: if p.stage.is_active() {
            String::new()
        } else {
            p.stage.as_str().to_owned()
        },
        steps,
        checklist,
        proposals,
        events,
        ctx,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "office/portal/documents.html")]
struct PortalDocumentsPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    requested: Vec<DocRow>,
    shared: Vec<DocRow>,
    errors: FormErrors,
    max_mb: u64,
    accept: String,
}

async fn portal_documents_page(
    state: &AppState,
    ctx: PageCtx,
    p: &Project,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let docs = match documents::list(state.db.reader(), &p.id, true, None, DOCS_MAX).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = &ctx.tr;
    let (requested, shared): (Vec<DocRow>, Vec<DocRow>) = docs
        .iter()
        .map(|d| doc_row(tr, d, "/portal/projects", true, false))
        .partition(|d| d.is_request);
    let page = PortalDocumentsPage {
        project_id: p.id.clone(),
        project_title: p.code_name.clone(),
        tab: "documents",
        portal: true,
        requested,
        shared,
        errors,
        max_mb: state.config.upload_max_mb,
        accept: DocKind::accept(),
        ctx,
    };
    (status, render(&page)).into_response()
}

async fn portal_documents(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, _) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    portal_documents_page(&state, ctx, &p, StatusCode::OK, FormErrors::default()).await
}

async fn portal_upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (p, a) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    let seen = Seen {
        p: &p,
        a,
        portal: true,
    };
    match upload_from_page(&state, &user, ctx, seen, &did, &token, multipart).await {
        Ok(r) => r,
        Err((ctx, status, message)) => {
            let mut errors = FormErrors::default();
            errors.add(&format!("file-{did}"), message);
            portal_documents_page(&state, ctx, &p, status, errors).await
        }
    }
}

async fn portal_download(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, did)): Path<(String, String)>,
) -> Response {
    let (p, _) = match portal_project(&state, &user, &ctx, &id).await {
        Ok(pa) => pa,
        Err(r) => return r,
    };
    match papi::file_response(&state, &p.id, &did, true).await {
        Ok(Some(r)) => r,
        Ok(None) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_each_language() {
        assert_eq!(local_date(Lang::Es, "2026-03-05"), "05/03/2026");
        assert_eq!(local_date(Lang::En, "2026-03-05"), "5 Mar 2026");
        assert_eq!(local_date(Lang::En, "garbage"), "garbage");
        // Winter: UTC+1; summer: UTC+2; the switch at 01:00 UTC on the last Sunday.
        assert_eq!(
            local_time(Lang::Es, "2026-01-10T12:30:00.000000Z"),
            "10/01/2026 13:30"
        );
        assert_eq!(
            local_time(Lang::En, "2026-07-10T12:30:00.000000Z"),
            "10 Jul 2026, 14:30"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-03-29T00:59:00Z"),
            "29/03/2026 01:59"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-03-29T01:00:00Z"),
            "29/03/2026 03:00"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-10-25T00:59:00Z"),
            "25/10/2026 02:59"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-10-25T01:00:00Z"),
            "25/10/2026 02:00"
        );
        assert_eq!(
            local_time(Lang::Es, "2026-12-31T23:30:00Z"),
            "01/01/2027 00:30"
        );
    }

    #[test]
    fn timeline_entries_are_phrased_in_each_language() {
        let i18n = std::sync::Arc::new(crate::i18n::I18n::load().unwrap());
        let es = Tr::new(i18n.clone(), Lang::Es);
        let en = Tr::new(i18n, Lang::En);
        let detail = r#"{"title":"Plan de negocio","due_on":"2026-12-31"}"#;
        let t = event_text(&es, "document_requested", detail);
        assert_eq!(t, "La Oficina ha pedido el documento «Plan de negocio».");
        let t = event_text(&en, "document_requested", detail);
        assert_eq!(t, "The Office requested the document “Plan de negocio”.");
        let t = event_text(
            &es,
            "document_reviewed",
            r#"{"title":"X","status":"rejected","comment":"Falta la firma"}"#,
        );
        assert_eq!(t, "Documento «X» rechazado.");
        let t = event_text(
            &en,
            "stage",
            r#"{"from":"qualified","to":"site_search","reason":""}"#,
        );
        assert!(
            t.contains("Site search") || t.contains("site search"),
            "{t}"
        );
        let t = event_text(&en, "no_such_kind", "{}");
        assert_eq!(t, en.t("portal-event-other"));
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_text(350_000, Lang::Es), "342 KB");
        assert_eq!(size_text(1_300_000, Lang::Es), "1,2 MB");
        assert_eq!(size_text(1_300_000, Lang::En), "1.2 MB");
    }
}
