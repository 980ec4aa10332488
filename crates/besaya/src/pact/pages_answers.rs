//! The Pact's answers on pages:
//!
//! - `/pact/invitations`: the needs the user's organisations were invited to,
//!   with the status of their answer;
//! - `/pact/needs/{id}/answers/{aid}`: one answer. The candidate (an invited
//!   organisation, or the administration a permit/infrastructure need was routed
//!   to) sees the need with its owner anonymised until both sides consent, and
//!   expresses interest (what it proposes, what it needs to know, who it is, an
//!   optional offer and amount, consent to release its identity) or declines;
//!   then its status, its attachments and the consent button. The owner and the
//!   office see the expression of interest, its attachments (download links),
//!   the consent button and the decisions (shortlist, meeting, accept with an
//!   optional amount, reject).
//!
//! Plain forms with the CSRF token and POST-redirect-GET; the attachment is a
//! multipart form. What a user may not see answers 404.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::pact::AnswerStatus;

use super::model::{Answer, Need, NeedFilter};
use super::pages::{
    NeedView, answer_moves, answer_status_label, answer_url, candidate_label, date_text, euros,
    field, found, kind_label, owner_label, parse_euros, plausible_id, today, version_of,
};
use super::policy::NeedAccess;
use super::store::{self, Interest, NewFile, WriteError};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::Tr;
use crate::office::portal::api::{self as papi, FileProblem, accepted_kinds};
use crate::office::portal::kind::{self, DocKind};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

/// Needs looked at for the invitations list.
const INVITATIONS_MAX: i64 = 300;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/invitations", get(invitations_page))
        .route("/pact/needs/{id}/answers/{aid}", get(answer_page))
        .route("/pact/needs/{id}/answers/{aid}/interest", post(interest))
        .route("/pact/needs/{id}/answers/{aid}/decline", post(decline))
        .route("/pact/needs/{id}/answers/{aid}/move", post(decide))
        .route("/pact/needs/{id}/answers/{aid}/consent", post(consent))
        .route(
            "/pact/needs/{id}/answers/{aid}/files",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/pact/needs/{id}/answers/{aid}/files/{fid}", get(download))
}

// ---- Invitations ----

/// A need the user's organisation was invited to, with its answer.
pub struct InvitationRow {
    pub url: String,
    pub reference: String,
    pub title: String,
    pub kind_label: String,
    pub owner: String,
    pub status: String,
    pub status_label: String,
    pub invited: String,
    pub deadline: String,
}

/// The invitations of `user`'s organisations, newest need first: the needs it
/// sees without owning them, with its own answer to each.
pub async fn invitation_rows(
    state: &AppState,
    user: &User,
    tr: &Tr,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    if user.organization_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = state.db.reader().acquire().await?;
    let filter = NeedFilter {
        limit: INVITATIONS_MAX,
        ..NeedFilter::default()
    };
    let needs = store::list(&mut conn, user, &filter, today()).await?;
    let mut rows = Vec::new();
    for n in needs {
        let own = n
            .owner_org_id
            .as_ref()
            .is_some_and(|o| user.organization_ids.contains(o));
        // A company lists its own needs and those it was invited to; a pact
        // member every open need, of which it answers those routed to it.
        let routed_to_me = n
            .routed_org_id
            .as_ref()
            .is_some_and(|o| user.organization_ids.contains(o));
        if own || (user.role == besaya_domain::Role::PactMember && !routed_to_me) {
            continue;
        }
        let Some((need, access)) = store::visible(&mut conn, user, &n.id, today()).await? else {
            continue;
        };
        for aid in &access.answer_ids {
            if let Some(a) = store::answer(&mut conn, &need, &access, aid).await? {
                rows.push(InvitationRow {
                    url: answer_url(&need.id, &a.id),
                    reference: need.reference.clone(),
                    title: need.title.clone(),
                    kind_label: kind_label(tr, &need.kind),
                    owner: owner_label(tr, &need),
                    status_label: answer_status_label(tr, &a.status),
                    status: a.status.clone(),
                    invited: date_text(tr.lang, Some(&a.invited_at)),
                    deadline: date_text(tr.lang, need.deadline.as_deref()),
                });
            }
        }
    }
    Ok(rows)
}

#[derive(Template)]
#[template(path = "pact/invitations.html")]
struct InvitationsPage {
    ctx: PageCtx,
    rows: Vec<InvitationRow>,
}

async fn invitations_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
) -> Response {
    if user.role == besaya_domain::Role::Investor {
        return ctx.not_found().into_response();
    }
    match invitation_rows(&state, &user, &ctx.tr).await {
        Ok(rows) => render(&InvitationsPage { ctx, rows }),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- One answer ----

/// The expression of interest as typed (or as sent).
#[derive(Debug, Clone, Default)]
pub struct InterestForm {
    pub proposal: String,
    pub questions: String,
    pub presentation: String,
    pub offer_text: String,
    pub offer_amount_eur: String,
    pub consent: bool,
}

impl InterestForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let f = |k| field(pairs, k).to_owned();
        Self {
            proposal: f("proposal"),
            questions: f("questions"),
            presentation: f("presentation"),
            offer_text: f("offer_text"),
            offer_amount_eur: f("offer_amount_eur"),
            consent: !field(pairs, "consent").is_empty(),
        }
    }

    fn of_answer(a: &Answer) -> Self {
        Self {
            proposal: a.proposal.clone(),
            questions: a.questions.clone(),
            presentation: a.presentation.clone(),
            offer_text: a.offer_text.clone(),
            offer_amount_eur: String::new(),
            consent: a.candidate_consent_at.is_some(),
        }
    }
}

pub struct FileRow {
    pub url: String,
    pub name: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "pact/answer.html")]
struct AnswerPage {
    ctx: PageCtx,
    heading: String,
    need: NeedView,
    need_url: String,
    /// The candidate's view (else the owner's or the office's).
    candidate: bool,
    candidate_name: String,
    url: String,
    status: String,
    status_label: String,
    released: bool,
    version: i64,
    can_interest: bool,
    form: InterestForm,
    answered: bool,
    answered_on: String,
    offer_amount: String,
    files: Vec<FileRow>,
    can_upload: bool,
    max_mb: i64,
    accept: String,
    can_consent: bool,
    moves: Vec<(String, String)>,
    can_accept: bool,
    amount_eur: String,
    errors: FormErrors,
    notice: Option<String>,
}

fn size_text(tr: &Tr, bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!(
            "{} MB",
            crate::sites::pages::num(tr.lang, bytes as f64 / (1024.0 * 1024.0), 1)
        )
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

impl AnswerPage {
    fn new(state: &AppState, ctx: PageCtx, need: &Need, access: &NeedAccess, a: &Answer) -> Self {
        let tr = ctx.tr.clone();
        let lang = tr.lang;
        let candidate = access.answers_as(&a.id) && !access.sees_all_answers();
        let status = a.status();
        let open = need.status().is_open();
        let url = answer_url(&need.id, &a.id);
        let qualified = status.is_qualified();
        let moves = if candidate {
            Vec::new()
        } else {
            answer_moves(&tr, need, access, a)
        };
        let heading = if candidate {
            tr.t1("pact-ans-title-candidate", "title", need.title.clone())
        } else {
            tr.t1("pact-ans-title-owner", "candidate", candidate_label(&tr, a))
        };
        let my_consent = if candidate {
            a.candidate_consent_at.is_some()
        } else {
            a.owner_consent_at.is_some()
        };
        Self {
            heading,
            need: NeedView::new(state, &tr, need),
            need_url: format!("/pact/needs/{}", need.id),
            candidate,
            candidate_name: candidate_label(&tr, a),
            status: a.status.clone(),
            status_label: answer_status_label(&tr, &a.status),
            released: a.identities_released,
            version: a.version,
            can_interest: candidate && status == AnswerStatus::Invited && open,
            form: InterestForm::of_answer(a),
            answered: qualified,
            answered_on: date_text(lang, a.answered_at.as_deref()),
            offer_amount: a
                .offer_amount_cents
                .map(|c| euros(lang, c))
                .unwrap_or_default(),
            files: a
                .files
                .iter()
                .map(|f| FileRow {
                    url: format!("{url}/files/{}", f.id),
                    name: f.file_name.clone(),
                    size: size_text(&tr, f.size),
                })
                .collect(),
            can_upload: (candidate || access.office)
                && open
                && matches!(
                    status,
                    AnswerStatus::Interested | AnswerStatus::Shortlisted | AnswerStatus::Meeting
                ),
            max_mb: i64::try_from(state.config.upload_max_mb).unwrap_or(i64::MAX),
            accept: DocKind::accept(),
            can_consent: qualified
                && status != AnswerStatus::Rejected
                && !my_consent
                && !a.identities_released
                && (candidate || access.may_decide()),
            can_accept: moves.iter().any(|(m, _)| m == "accepted"),
            moves,
            amount_eur: String::new(),
            url,
            errors: FormErrors::default(),
            notice: None,
            ctx,
        }
    }
}

/// The need and the answer a page is about, as `user` may see them; else 404.
async fn answer_found(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
    aid: &str,
) -> Result<(Need, NeedAccess, Answer), Response> {
    let (need, access) = found(state, user, ctx, id).await?;
    if !plausible_id(aid) {
        return Err(ctx.not_found().into_response());
    }
    let r = async {
        let mut conn = state.db.reader().acquire().await?;
        store::answer(&mut conn, &need, &access, aid).await
    }
    .await;
    match r {
        Ok(Some(a)) => Ok((need, access, a)),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

async fn answer_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
) -> Response {
    match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok((need, access, a)) => render(&AnswerPage::new(&state, ctx, &need, &access, &a)),
        Err(r) => r,
    }
}

/// The answer's page again after a refusal: the answer as it is now, with the
/// messages; `keep` puts back what was typed (not after a conflict).
async fn answer_refused(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    (id, aid): (&str, &str),
    e: WriteError,
    field_of_move: &str,
    keep: impl FnOnce(&mut AnswerPage),
) -> Response {
    let tr = ctx.tr.clone();
    let mut errors = FormErrors::default();
    let (status, notice) = match &e {
        WriteError::NotFound => return ctx.not_found().into_response(),
        WriteError::Forbidden => return PageError::page(ctx, StatusCode::FORBIDDEN),
        WriteError::Conflict(_) => (
            StatusCode::CONFLICT,
            Some(tr.t("pact-ans-conflict").to_owned()),
        ),
        WriteError::Invalid(errs) => {
            for i in errs {
                let f = match i.field.as_str() {
                    "offer_amount_cents" => "offer_amount_eur",
                    "amount_cents" | "amount" => "amount_eur",
                    "data" | "content_type" | "file_name" => "file",
                    other => other,
                };
                errors.add(f, i.message(&tr));
            }
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        WriteError::Transition { allowed, .. } => {
            let words: Vec<String> = allowed
                .iter()
                .map(|s| answer_status_label(&tr, s))
                .collect();
            let words = if words.is_empty() {
                tr.t("pact-none").to_owned()
            } else {
                words.join(", ")
            };
            errors.add(field_of_move, tr.t1("pact-ans-err-move", "allowed", words));
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        WriteError::Db(_) | WriteError::Mail(_) => {
            return ctx.fail(anyhow::anyhow!("{e}")).into_response();
        }
    };
    let conflict = notice.is_some();
    let (need, access, a) = match answer_found(state, user, &ctx, id, aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut page = AnswerPage::new(state, ctx, &need, &access, &a);
    if !conflict {
        keep(&mut page);
    }
    page.errors = errors;
    page.notice = notice;
    (status, render(&page)).into_response()
}

async fn interest(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.answers_as(&a.id) {
        return ctx.not_found().into_response();
    }
    let form = InterestForm::from_pairs(&pairs);
    let amount = match parse_euros(ctx.lang, &form.offer_amount_eur) {
        Ok(a) => a,
        Err(_) => {
            let mut page = AnswerPage::new(&state, ctx, &need, &access, &a);
            page.errors
                .add("offer_amount_eur", page.ctx.tr.t("pact-page-err-amount"));
            page.form = form;
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
        }
    };
    let it = Interest {
        proposal: form.proposal.clone(),
        questions: form.questions.clone(),
        presentation: form.presentation.clone(),
        offer_text: form.offer_text.clone(),
        offer_amount_cents: amount,
        consent: form.consent,
    };
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::express_interest(
        &state, &mut tx, &user, &need.id, &a.id, version, &it
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &answer_url(&need.id, &a.id),
            &[flash_cookie("flash-pact-ans-interest")],
        ),
        Ok(Err(e)) => {
            answer_refused(&state, ctx, &user, (&id, &aid), e, "proposal", |p| {
                p.form = form;
            })
            .await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn decline(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.answers_as(&a.id) {
        return ctx.not_found().into_response();
    }
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::decline(
        &state, &mut tx, &user, &need.id, &a.id, version, None
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &answer_url(&need.id, &a.id),
            &[flash_cookie("flash-pact-ans-declined")],
        ),
        Ok(Err(e)) => answer_refused(&state, ctx, &user, (&id, &aid), e, "proposal", |_| {}).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn decide(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.may_decide() {
        return ctx.not_found().into_response();
    }
    let tr = ctx.tr.clone();
    let to = AnswerStatus::parse(field(&pairs, "to").trim()).filter(|s| {
        matches!(
            s,
            AnswerStatus::Shortlisted
                | AnswerStatus::Meeting
                | AnswerStatus::Accepted
                | AnswerStatus::Rejected
        )
    });
    let typed_amount = field(&pairs, "amount_eur").to_owned();
    let amount = if to == Some(AnswerStatus::Accepted) {
        parse_euros(ctx.lang, &typed_amount)
    } else {
        Ok(None)
    };
    let (Some(to), Ok(amount)) = (to, amount) else {
        let mut page = AnswerPage::new(&state, ctx, &need, &access, &a);
        if to.is_none() {
            let words: Vec<String> = page.moves.iter().map(|(_, l)| l.clone()).collect();
            let words = if words.is_empty() {
                tr.t("pact-none").to_owned()
            } else {
                words.join(", ")
            };
            page.errors
                .add("to", tr.t1("pact-ans-err-move", "allowed", words));
        } else {
            page.errors.add("amount_eur", tr.t("pact-page-err-amount"));
            page.amount_eur = typed_amount;
        }
        return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
    };
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::decide(
        &state, &mut tx, &user, &need.id, &a.id, version, to, amount
    )
    .await);
    let back = if field(&pairs, "back") == "need" {
        format!("/pact/needs/{}#answers-title", need.id)
    } else {
        answer_url(&need.id, &a.id)
    };
    match done {
        Ok(Ok(_)) => redirect_with(&back, &[flash_cookie("flash-pact-ans-moved")]),
        Ok(Err(e)) => {
            answer_refused(&state, ctx, &user, (&id, &aid), e, "to", |p| {
                p.amount_eur = typed_amount;
            })
            .await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn consent(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (need, access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !(access.answers_as(&a.id) || access.may_decide()) {
        return ctx.not_found().into_response();
    }
    let version = version_of(&pairs);
    let done = in_tx!(state, |tx| store::consent(
        &state, &mut tx, &user, &need.id, &a.id, version
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &answer_url(&need.id, &a.id),
            &[flash_cookie("flash-pact-ans-consent")],
        ),
        Ok(Err(e)) => answer_refused(&state, ctx, &user, (&id, &aid), e, "to", |_| {}).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid)): Path<(String, String)>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (need, access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !(access.answers_as(&a.id) || access.office) {
        return ctx.not_found().into_response();
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
                    ctx.tr.t("pact-ans-err-file").to_owned(),
                ),
                FileProblem::Malformed => return PageError::page(ctx, StatusCode::BAD_REQUEST),
                FileProblem::Forbidden => return PageError::page(ctx, StatusCode::FORBIDDEN),
            };
            let mut page = AnswerPage::new(&state, ctx, &need, &access, &a);
            page.errors.add("file", message);
            return (status, render(&page)).into_response();
        }
    };
    let file = NewFile {
        file_name: &name,
        content_type: kind.content_type(),
        data: &up.bytes,
    };
    let done = in_tx!(state, |tx| store::add_file(
        &mut tx, &user, &need.id, &a.id, file
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &format!("{}#files-title", answer_url(&need.id, &a.id)),
            &[flash_cookie("flash-pact-ans-file")],
        ),
        Ok(Err(e)) => answer_refused(&state, ctx, &user, (&id, &aid), e, "file", |_| {}).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn download(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, aid, fid)): Path<(String, String, String)>,
) -> Response {
    let (_need, _access, a) = match answer_found(&state, &user, &ctx, &id, &aid).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !plausible_id(&fid) {
        return ctx.not_found().into_response();
    }
    let got = async {
        let mut conn = state.db.reader().acquire().await?;
        store::answer_file(&mut conn, &a.id, &fid).await
    }
    .await;
    let (meta, stored) = match got {
        Ok(Some(x)) => x,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let kind = DocKind::from_content_type(&stored.content_type);
    let name = kind::download_name(&meta.file_name, kind);
    let mut res = (StatusCode::OK, stored.data).into_response();
    let h = res.headers_mut();
    let ct = kind.map_or("application/octet-stream", DocKind::content_type);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&kind::content_disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
