//! Pages of members and working groups: the public member list
//! (`/pact/members`, more for seats), a new member, a member with its
//! representatives, the groups, a new group and a group with its members and
//! meetings.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::alliance::{College, RepresentativeRole};

use super::store::{self, Group, GroupInput, GroupMeeting, Member, MemberInput, WriteError};
use crate::AppState;
use crate::auth::SignedIn;
use crate::auth::User;
use crate::auth::csrf::CsrfForm;
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::office::pages::local_date;
use crate::office::work::madrid;
use crate::pact::alliance::{Seat, seat};
use crate::pact::pages::{field, version_of};
use crate::web::PageError;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, flash_cookie, redirect_with, render};

/// The most organisations offered in the new member's list of suggestions.
const CANDIDATES_MAX: i64 = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/members", get(members))
        .route("/pact/members/new", get(new_member).post(create_member))
        .route("/pact/members/{id}", get(member).post(update_member))
        .route(
            "/pact/members/{id}/representatives",
            post(add_representative),
        )
        .route(
            "/pact/members/{id}/representatives/{user_id}/remove",
            post(remove_representative),
        )
        .route("/pact/groups", get(groups))
        .route("/pact/groups/new", get(new_group).post(create_group))
        .route("/pact/groups/{id}", get(group).post(update_group))
        .route("/pact/groups/{id}/members", post(add_group_member))
        .route(
            "/pact/groups/{id}/members/{member_id}/remove",
            post(remove_group_member),
        )
}

// ---- Shared ----

fn college_label(tr: &Tr, c: &str) -> String {
    tr.t(&format!("pact-mem-college-{c}")).to_owned()
}

fn colleges(tr: &Tr) -> Vec<(&'static str, String)> {
    College::ALL
        .iter()
        .map(|c| (c.as_str(), college_label(tr, c.as_str())))
        .collect()
}

fn roles(tr: &Tr) -> Vec<(&'static str, String)> {
    RepresentativeRole::ALL
        .iter()
        .map(|r| {
            (
                r.as_str(),
                tr.t(&format!("pact-mem-role-{}", r.as_str())).to_owned(),
            )
        })
        .collect()
}

fn role_label(tr: &Tr, r: &str) -> String {
    tr.t(&format!("pact-mem-role-{r}")).to_owned()
}

/// `03/12/2026, 10:00` (Europe/Madrid).
fn when(lang: Lang, stored: &str) -> String {
    match madrid::parse_stored(stored) {
        Some(t) => {
            let l = madrid::local(t);
            let day = local_date(lang, &besaya_domain::directory::format_date(l.date()));
            format!("{day}, {:02}:{:02}", l.hour(), l.minute())
        }
        None => stored.to_owned(),
    }
}

fn date_or_empty(lang: Lang, d: Option<&str>) -> String {
    d.filter(|d| !d.is_empty())
        .map(|d| local_date(lang, d))
        .unwrap_or_default()
}

async fn seat_of(state: &AppState, ctx: &PageCtx, user: Option<&User>) -> Result<Seat, Response> {
    seat(&state.db, user, madrid::today())
        .await
        .map_err(|e| ctx.fail(e).into_response())
}

/// A seat in the workspace, else 404.
async fn workspace(state: &AppState, ctx: &PageCtx, user: &User) -> Result<Seat, Response> {
    let s = seat_of(state, ctx, Some(user)).await?;
    if s.in_workspace() {
        Ok(s)
    } else {
        Err(ctx.not_found().into_response())
    }
}

/// The secretariat, else 404 (no seat) or 403 (a seat).
async fn secretariat(state: &AppState, ctx: &PageCtx, user: &User) -> Result<Seat, Response> {
    let s = workspace(state, ctx, user).await?;
    if s.secretariat {
        Ok(s)
    } else {
        Err(PageError::page(ctx.clone(), StatusCode::FORBIDDEN))
    }
}

/// Errors of the store next to their fields.
fn errors_of(tr: &Tr, errs: &[crate::pact::Invalid]) -> FormErrors {
    let mut errors = FormErrors::default();
    for e in errs {
        let f = match e.field.as_str() {
            "organization_id" => "tax_id",
            other => other,
        };
        errors.add(f, e.message(tr));
    }
    errors
}

// ---- The member list ----

/// A member as a row of the list.
struct MemberRow {
    url: String,
    name: String,
    municipality: String,
    college: String,
    since: String,
    left: String,
    notes: String,
    /// `(name, e-mail, role label)`.
    representatives: Vec<(String, String, String)>,
}

struct CollegeSection {
    code: &'static str,
    label: String,
    count: usize,
    rows: Vec<MemberRow>,
}

#[derive(Template)]
#[template(path = "pact/members/list.html")]
struct ListPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    secretariat: bool,
    sections: Vec<CollegeSection>,
    former: Vec<MemberRow>,
    total: i64,
}

fn row_of(tr: &Tr, lang: Lang, m: &Member) -> MemberRow {
    MemberRow {
        url: format!("/pact/members/{}", m.id),
        name: m.organization_name.clone(),
        municipality: m.municipality_name.clone().unwrap_or_default(),
        college: college_label(tr, &m.college),
        since: local_date(lang, &m.joined_on),
        left: date_or_empty(lang, m.left_on.as_deref()),
        notes: m.notes.clone().unwrap_or_default(),
        representatives: m
            .representatives
            .iter()
            .flatten()
            .map(|r| (r.name.clone(), r.email.clone(), role_label(tr, &r.role)))
            .collect(),
    }
}

async fn members(State(state): State<AppState>, ctx: PageCtx) -> Response {
    let s = match seat_of(&state, &ctx, ctx.user.as_ref()).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let all = async {
        let mut conn = state.db.reader().acquire().await?;
        store::list_members(&mut conn, madrid::today(), s.in_workspace()).await
    }
    .await;
    let all = match all {
        Ok(a) => a,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let (tr, lang) = (ctx.tr.clone(), ctx.lang);
    let sections = College::ALL
        .iter()
        .map(|c| {
            let rows: Vec<MemberRow> = all
                .iter()
                .filter(|m| m.current && m.college == c.as_str())
                .map(|m| row_of(&tr, lang, m))
                .collect();
            CollegeSection {
                code: c.as_str(),
                label: college_label(&tr, c.as_str()),
                count: rows.len(),
                rows,
            }
        })
        .collect();
    let former = all
        .iter()
        .filter(|m| !m.current)
        .map(|m| row_of(&tr, lang, m))
        .collect();
    render(&ListPage {
        in_workspace: s.in_workspace(),
        nav: "members",
        secretariat: s.secretariat,
        sections,
        former,
        total: all.iter().filter(|m| m.current).count() as i64,
        ctx,
    })
}

// ---- A new member ----

#[derive(Debug, Clone, Default)]
struct MemberForm {
    tax_id: String,
    college: String,
    joined_on: String,
    left_on: String,
    notes: String,
    version: i64,
}

impl MemberForm {
    fn from_pairs(p: &[(String, String)]) -> Self {
        Self {
            tax_id: field(p, "tax_id").trim().to_owned(),
            college: field(p, "college").to_owned(),
            joined_on: field(p, "joined_on").trim().to_owned(),
            left_on: field(p, "left_on").trim().to_owned(),
            notes: field(p, "notes").to_owned(),
            version: version_of(p),
        }
    }

    fn of(m: &Member) -> Self {
        Self {
            tax_id: m.tax_id.clone().unwrap_or_default(),
            college: m.college.clone(),
            joined_on: m.joined_on.clone(),
            left_on: m.left_on.clone().unwrap_or_default(),
            notes: m.notes.clone().unwrap_or_default(),
            version: m.version,
        }
    }

    fn input(&self) -> MemberInput {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        MemberInput {
            organization_id: None,
            tax_id: opt(&self.tax_id),
            college: opt(&self.college),
            joined_on: opt(&self.joined_on),
            left_on: opt(&self.left_on),
            notes: Some(self.notes.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "pact/members/new.html")]
struct NewMemberPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    form: MemberForm,
    errors: FormErrors,
    colleges: Vec<(&'static str, String)>,
    /// `(tax id, name)`.
    candidates: Vec<(String, String)>,
}

async fn new_member_page(
    state: &AppState,
    ctx: PageCtx,
    form: MemberForm,
    errors: FormErrors,
) -> Response {
    let candidates = async {
        let mut conn = state.db.reader().acquire().await?;
        store::candidates(&mut conn, madrid::today(), CANDIDATES_MAX).await
    }
    .await;
    let candidates = match candidates {
        Ok(c) => c,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NewMemberPage {
        in_workspace: true,
        nav: "members",
        colleges: colleges(&ctx.tr),
        form,
        errors,
        candidates,
        ctx,
    };
    (status, render(&page)).into_response()
}

async fn new_member(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if let Err(r) = secretariat(&state, &ctx, &user).await {
        return r;
    }
    let form = MemberForm {
        joined_on: besaya_domain::directory::format_date(madrid::today()),
        ..MemberForm::default()
    };
    new_member_page(&state, ctx, form, FormErrors::default()).await
}

async fn create_member(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = secretariat(&state, &ctx, &user).await {
        return r;
    }
    let form = MemberForm::from_pairs(&pairs);
    let input = form.input();
    let done = in_tx!(state, |tx| store::create_member(&mut tx, &user.id, &input)
        .await);
    match done {
        Ok(Ok(id)) => redirect_with(
            &format!("/pact/members/{id}"),
            &[flash_cookie("flash-pact-mem-created")],
        ),
        Ok(Err(WriteError::Invalid(errs))) => {
            let errors = errors_of(&ctx.tr, &errs);
            new_member_page(&state, ctx, form, errors).await
        }
        Ok(Err(e)) => ctx.fail(e).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- A member ----

#[derive(Template)]
#[template(path = "pact/members/detail.html")]
struct MemberPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    secretariat: bool,
    member: Member,
    row: MemberRow,
    /// `(user id, name, e-mail, role label)`.
    representatives: Vec<(String, String, String, String)>,
    form: MemberForm,
    email: String,
    role: String,
    errors: FormErrors,
    notice: Option<String>,
    colleges: Vec<(&'static str, String)>,
    roles: Vec<(&'static str, String)>,
}

#[derive(Default)]
struct MemberState {
    form: Option<MemberForm>,
    email: String,
    role: String,
    errors: FormErrors,
    notice: Option<String>,
}

async fn member_page(
    state: &AppState,
    ctx: PageCtx,
    s: &Seat,
    id: &str,
    st: MemberState,
    status: StatusCode,
) -> Response {
    let m = async {
        let mut conn = state.db.reader().acquire().await?;
        store::get_member(&mut conn, id, madrid::today()).await
    }
    .await;
    let m = match m {
        Ok(Some(m)) => m,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let mut form = st.form.unwrap_or_else(|| MemberForm::of(&m));
    form.version = if st.notice.is_some() {
        m.version
    } else {
        form.version
    };
    let page = MemberPage {
        in_workspace: true,
        nav: "members",
        secretariat: s.secretariat,
        row: row_of(&tr, ctx.lang, &m),
        representatives: m
            .representatives
            .iter()
            .flatten()
            .map(|r| {
                (
                    r.user_id.clone(),
                    r.name.clone(),
                    r.email.clone(),
                    role_label(&tr, &r.role),
                )
            })
            .collect(),
        member: m,
        form,
        email: st.email,
        role: st.role,
        errors: st.errors,
        notice: st.notice,
        colleges: colleges(&tr),
        roles: roles(&tr),
        ctx,
    };
    (status, render(&page)).into_response()
}

async fn member(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let s = match workspace(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    member_page(&state, ctx, &s, &id, MemberState::default(), StatusCode::OK).await
}

/// The store's answer to a write on a member's page.
async fn member_done(
    state: &AppState,
    ctx: PageCtx,
    s: &Seat,
    id: &str,
    done: Result<Result<(), WriteError>, sqlx::Error>,
    mut st: MemberState,
    flash: &str,
) -> Response {
    match done {
        Ok(Ok(())) => redirect_with(&format!("/pact/members/{id}"), &[flash_cookie(flash)]),
        Ok(Err(WriteError::Invalid(errs))) => {
            st.errors = errors_of(&ctx.tr, &errs);
            member_page(state, ctx, s, id, st, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(Err(WriteError::Conflict(_))) => {
            st.form = None;
            st.notice = Some(ctx.tr.t("pact-mem-conflict").to_owned());
            member_page(state, ctx, s, id, st, StatusCode::CONFLICT).await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(WriteError::Db(e))) | Err(e) => ctx.fail(e).into_response(),
    }
}

async fn update_member(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = MemberForm::from_pairs(&pairs);
    let input = form.input();
    let done = in_tx!(state, |tx| store::update_member(
        &mut tx,
        &user.id,
        &id,
        form.version,
        &input,
        madrid::today(),
    )
    .await);
    let st = MemberState {
        form: Some(form),
        ..MemberState::default()
    };
    member_done(&state, ctx, &s, &id, done, st, "flash-pact-mem-saved").await
}

async fn add_representative(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let email = field(&pairs, "email").trim().to_owned();
    let role = field(&pairs, "role").to_owned();
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let r = store::add_representative(&mut tx, &user.id, &id, &email, &role, madrid::today())
            .await
            .map(|_| ());
        if r.is_ok() {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(r)
    }
    .await;
    let st = MemberState {
        email,
        role,
        ..MemberState::default()
    };
    member_done(&state, ctx, &s, &id, done, st, "flash-pact-mem-rep-added").await
}

async fn remove_representative(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, user_id)): Path<(String, String)>,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let done = in_tx!(state, |tx| store::remove_representative(
        &mut tx, &user.id, &id, &user_id
    )
    .await);
    member_done(
        &state,
        ctx,
        &s,
        &id,
        done,
        MemberState::default(),
        "flash-pact-mem-rep-removed",
    )
    .await
}

// ---- Groups ----

struct GroupRow {
    url: String,
    name: String,
    chair: String,
    archived: bool,
    members: i64,
    next: String,
    last: String,
}

#[derive(Template)]
#[template(path = "pact/members/groups.html")]
struct GroupsPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    secretariat: bool,
    rows: Vec<GroupRow>,
}

fn meeting_text(lang: Lang, m: Option<&GroupMeeting>) -> String {
    m.map(|m| format!("{} · {}", when(lang, &m.starts_at), m.title))
        .unwrap_or_default()
}

async fn groups(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    let s = match workspace(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let gs = async {
        let mut conn = state.db.reader().acquire().await?;
        store::list_groups(&mut conn).await
    }
    .await;
    let gs = match gs {
        Ok(g) => g,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let rows = gs
        .iter()
        .map(|g| GroupRow {
            url: format!("/pact/groups/{}", g.id),
            name: g.name.clone(),
            chair: g.chair_name.clone().unwrap_or_default(),
            archived: g.archived,
            members: g.member_count,
            next: meeting_text(lang, g.next_meeting.as_ref()),
            last: meeting_text(lang, g.last_meeting.as_ref()),
        })
        .collect();
    render(&GroupsPage {
        in_workspace: true,
        nav: "groups",
        secretariat: s.secretariat,
        rows,
        ctx,
    })
}

#[derive(Debug, Clone, Default)]
struct GroupForm {
    name: String,
    description: String,
    chair_member_id: String,
    archived: bool,
    version: i64,
}

impl GroupForm {
    fn from_pairs(p: &[(String, String)]) -> Self {
        Self {
            name: field(p, "name").to_owned(),
            description: field(p, "description").to_owned(),
            chair_member_id: field(p, "chair_member_id").to_owned(),
            archived: !field(p, "archived").is_empty(),
            version: version_of(p),
        }
    }

    fn of(g: &Group) -> Self {
        Self {
            name: g.name.clone(),
            description: g.description.clone(),
            chair_member_id: g.chair_member_id.clone().unwrap_or_default(),
            archived: g.archived,
            version: g.version,
        }
    }

    fn input(&self) -> GroupInput {
        GroupInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            chair_member_id: (!self.chair_member_id.trim().is_empty())
                .then(|| self.chair_member_id.clone()),
            archived: Some(self.archived),
        }
    }
}

/// `(member id, organisation name · college)` of today's members.
async fn member_options(state: &AppState, tr: &Tr) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut conn = state.db.reader().acquire().await?;
    let ms = store::current_members(&mut conn, madrid::today()).await?;
    Ok(ms
        .into_iter()
        .map(|(id, name, college)| (id, format!("{name} · {}", college_label(tr, &college))))
        .collect())
}

#[derive(Template)]
#[template(path = "pact/members/group_new.html")]
struct NewGroupPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    form: GroupForm,
    errors: FormErrors,
    chairs: Vec<(String, String)>,
}

async fn new_group_page(
    state: &AppState,
    ctx: PageCtx,
    form: GroupForm,
    errors: FormErrors,
) -> Response {
    let chairs = match member_options(state, &ctx.tr).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NewGroupPage {
        in_workspace: true,
        nav: "groups",
        form,
        errors,
        chairs,
        ctx,
    };
    (status, render(&page)).into_response()
}

async fn new_group(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if let Err(r) = secretariat(&state, &ctx, &user).await {
        return r;
    }
    new_group_page(&state, ctx, GroupForm::default(), FormErrors::default()).await
}

async fn create_group(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = secretariat(&state, &ctx, &user).await {
        return r;
    }
    let form = GroupForm::from_pairs(&pairs);
    let input = form.input();
    let done = in_tx!(state, |tx| store::create_group(
        &mut tx,
        &user.id,
        &input,
        madrid::today()
    )
    .await);
    match done {
        Ok(Ok(id)) => redirect_with(
            &format!("/pact/groups/{id}"),
            &[flash_cookie("flash-pact-mem-group-created")],
        ),
        Ok(Err(WriteError::Invalid(errs))) => {
            let errors = errors_of(&ctx.tr, &errs);
            new_group_page(&state, ctx, form, errors).await
        }
        Ok(Err(e)) => ctx.fail(e).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// A member of a group as its page shows it.
struct GroupMemberRow {
    member_id: String,
    url: String,
    name: String,
    college: String,
    current: bool,
    /// `name (role)`.
    representatives: Vec<String>,
}

/// A meeting of a group as its page shows it.
struct MeetingRow {
    url: String,
    reference: String,
    title: String,
    when: String,
    status: String,
}

#[derive(Template)]
#[template(path = "pact/members/group.html")]
struct GroupPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    secretariat: bool,
    runs: bool,
    group: Group,
    members: Vec<GroupMemberRow>,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    form: GroupForm,
    member_id: String,
    errors: FormErrors,
    notice: Option<String>,
    chairs: Vec<(String, String)>,
    /// Current members not in the group.
    addable: Vec<(String, String)>,
}

#[derive(Default)]
struct GroupState {
    form: Option<GroupForm>,
    member_id: String,
    errors: FormErrors,
    notice: Option<String>,
}

async fn group_page(
    state: &AppState,
    ctx: PageCtx,
    s: &Seat,
    id: &str,
    st: GroupState,
    status: StatusCode,
) -> Response {
    let g = async {
        let mut conn = state.db.reader().acquire().await?;
        store::get_group(&mut conn, id, madrid::today()).await
    }
    .await;
    let g = match g {
        Ok(Some(g)) => g,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let chairs = match member_options(state, &ctx.tr).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let lang = ctx.lang;
    let members: Vec<GroupMemberRow> = g
        .members
        .iter()
        .flatten()
        .map(|m| GroupMemberRow {
            member_id: m.member_id.clone(),
            url: format!("/pact/members/{}", m.member_id),
            name: m.organization_name.clone(),
            college: college_label(&tr, &m.college),
            current: m.current,
            representatives: m
                .representatives
                .iter()
                .map(|r| format!("{} ({})", r.name, role_label(&tr, &r.role)))
                .collect(),
        })
        .collect();
    let addable = chairs
        .iter()
        .filter(|(id, _)| !members.iter().any(|m| m.member_id == *id))
        .cloned()
        .collect();
    let now = crate::db::now();
    let row = |m: &GroupMeeting| MeetingRow {
        url: format!("/pact/meetings/{}", m.id),
        reference: m.reference.clone(),
        title: m.title.clone(),
        when: when(lang, &m.starts_at),
        status: tr.t(&format!("pact-mem-meeting-{}", m.status)).to_owned(),
    };
    let all = g.meetings.clone().unwrap_or_default();
    let mut upcoming: Vec<MeetingRow> = Vec::new();
    let mut past: Vec<MeetingRow> = Vec::new();
    for m in all.iter().rev() {
        if m.starts_at >= now {
            upcoming.push(row(m));
        }
    }
    for m in &all {
        if m.starts_at < now {
            past.push(row(m));
        }
    }
    let mut form = st.form.unwrap_or_else(|| GroupForm::of(&g));
    if st.notice.is_some() {
        form.version = g.version;
    }
    let page = GroupPage {
        in_workspace: true,
        nav: "groups",
        secretariat: s.secretariat,
        runs: s.runs_group(g.chair_member_id.as_deref()),
        group: g,
        members,
        upcoming,
        past,
        form,
        member_id: st.member_id,
        errors: st.errors,
        notice: st.notice,
        chairs,
        addable,
        ctx,
    };
    (status, render(&page)).into_response()
}

async fn group(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let s = match workspace(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    group_page(&state, ctx, &s, &id, GroupState::default(), StatusCode::OK).await
}

async fn group_done(
    state: &AppState,
    ctx: PageCtx,
    s: &Seat,
    id: &str,
    done: Result<Result<(), WriteError>, sqlx::Error>,
    mut st: GroupState,
    flash: &str,
) -> Response {
    match done {
        Ok(Ok(())) => redirect_with(&format!("/pact/groups/{id}"), &[flash_cookie(flash)]),
        Ok(Err(WriteError::Invalid(errs))) => {
            st.errors = errors_of(&ctx.tr, &errs);
            group_page(state, ctx, s, id, st, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(Err(WriteError::Conflict(_))) => {
            st.form = None;
            st.notice = Some(ctx.tr.t("pact-mem-conflict").to_owned());
            group_page(state, ctx, s, id, st, StatusCode::CONFLICT).await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(WriteError::Db(e))) | Err(e) => ctx.fail(e).into_response(),
    }
}

async fn update_group(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = GroupForm::from_pairs(&pairs);
    let input = form.input();
    let done = in_tx!(state, |tx| store::update_group(
        &mut tx,
        &user.id,
        &id,
        form.version,
        &input,
        madrid::today(),
    )
    .await);
    let st = GroupState {
        form: Some(form),
        ..GroupState::default()
    };
    group_done(&state, ctx, &s, &id, done, st, "flash-pact-mem-saved").await
}

async fn add_group_member(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let member_id = field(&pairs, "member_id").to_owned();
    let done = in_tx!(state, |tx| store::add_group_member(
        &mut tx,
        &user.id,
        &id,
        &member_id,
        madrid::today()
    )
    .await);
    let st = GroupState {
        member_id,
        ..GroupState::default()
    };
    group_done(
        &state,
        ctx,
        &s,
        &id,
        done,
        st,
        "flash-pact-mem-member-added",
    )
    .await
}

async fn remove_group_member(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, member_id)): Path<(String, String)>,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let s = match secretariat(&state, &ctx, &user).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let done = in_tx!(state, |tx| store::remove_group_member(
        &mut tx, &user.id, &id, &member_id
    )
    .await);
    group_done(
        &state,
        ctx,
        &s,
        &id,
        done,
        GroupState::default(),
        "flash-pact-mem-member-removed",
    )
    .await
}
