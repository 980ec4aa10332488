//! The administrator's user pages and the users API.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::{Email, Nif, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::links::{self, Purpose};
use super::policy;
use super::store::{self, Change, CreateError, NewUser, UpdateError, UserRecord};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, FieldError, Page, Paging};
use crate::auth::csrf::CsrfForm;
use crate::auth::{Admin, ApiUser, User};
use crate::db::in_tx;
use crate::i18n::Lang;
use crate::web::form::FormErrors;
use crate::web::page::{flash_cookie, redirect_with};
use crate::web::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list_page))
        .route("/admin/users/new", get(new_page).post(create))
        .route("/admin/users/{id}", get(edit_page).post(save))
        .route("/admin/users/{id}/invite", post(reinvite))
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/me", get(api_me))
        .route("/users", get(api_list).post(api_create))
        .route("/users/{id}", get(api_get).patch(api_update))
}

/// Creates an invited user and e-mails the invitation, all in one transaction.
pub async fn invite(
    state: &AppState,
    inviter: &User,
    new: &NewUser,
) -> Result<String, InviteError> {
    let mut tx = state.db.writer().begin().await.map_err(CreateError::from)?;
    let id = store::create(&mut tx, Some(&inviter.id), new).await?;
    send_invitation(
        state,
        &mut tx,
        inviter,
        &id,
        new.email.as_str(),
        &new.name,
        new.lang,
    )
    .await?;
    tx.commit().await.map_err(CreateError::from)?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error(transparent)]
    Create(#[from] CreateError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

async fn send_invitation(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    inviter: &User,
    user_id: &str,
    email: &str,
    name: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    let token = links::create(tx, user_id, Purpose::Invite).await?;
    let link = format!("{}/invitation?token={token}", state.config.public_base());
    let mail = crate::mail::compose(
        &state.i18n,
        lang,
        email,
        name,
        crate::mail::Kind::Invite {
            inviter: &inviter.name,
            link: &link,
        },
    )?;
    crate::mail::enqueue(tx, &mail).await
}

/// Organisation ids from tax ids typed by the administrator (comma or space separated).
async fn orgs_from_tax_ids(state: &AppState, raw: &str) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    for part in raw
        .split([',', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let nif = Nif::parse(part).map_err(|_| part.to_owned())?;
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE tax_id = $1")
                .bind(nif.as_str())
                .fetch_optional(state.db.reader())
                .await
                .map_err(|_| part.to_owned())?;
        ids.push(id.ok_or_else(|| part.to_owned())?);
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

async fn tax_ids_of(state: &AppState, org_ids: &[String]) -> String {
    let mut out = Vec::new();
    for id in org_ids {
        if let Ok(Some(t)) =
            sqlx::query_scalar::<_, String>("SELECT tax_id FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(state.db.reader())
                .await
        {
            out.push(t);
        }
    }
    out.join(", ")
}

// ---------------------------------------------------------------- pages

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    ctx: PageCtx,
    users: Vec<UserRecord>,
    q: String,
    role: String,
    status: String,
    next: Option<String>,
    roles: Vec<(&'static str, String)>,
}

impl ListPage {
    fn role_label(&self, r: &Role) -> String {
        self.ctx.tr.t(&format!("role-{}", r.as_str())).to_owned()
    }
}

fn role_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str(),
                ctx.tr.t(&format!("role-{}", r.as_str())).to_owned(),
            )
        })
        .collect()
}

async fn list_page(
    State(state): State<AppState>,
    Admin(_, ctx): Admin,
    Query(q): Query<ListQuery>,
) -> Response {
    let role = q.role.as_deref().and_then(|r| Role::parse(r).ok());
    let active = match q.status.as_deref() {
        Some("active") => Some(true),
        Some("inactive") => Some(false),
        _ => None,
    };
    let filter = store::Filter {
        q: q.q.clone(),
        role,
        active,
        after: q.cursor.clone().filter(|c| !c.is_empty()),
        limit: 50,
    };
    let mut users = match store::list(state.db.reader(), &filter).await {
        Ok(u) => u,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let next = if users.len() > 50 {
        users.truncate(50);
        users.last().map(|u| u.email.to_lowercase())
    } else {
        None
    };
    let roles = role_options(&ctx);
    render(&ListPage {
        users,
        q: q.q.unwrap_or_default(),
        role: role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        next,
        roles,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    ctx: PageCtx,
    /// `None` for a new user.
    user: Option<UserRecord>,
    email: String,
    name: String,
    role: String,
    lang: String,
    active: bool,
    tax_ids: String,
    version: i64,
    roles: Vec<(&'static str, String)>,
    errors: FormErrors,
    conflict: bool,
}

async fn new_page(Admin(_, ctx): Admin) -> Response {
    let roles = role_options(&ctx);
    render(&FormPage {
        user: None,
        email: String::new(),
        name: String::new(),
        role: "staff".into(),
        lang: ctx.lang.code().into(),
        active: true,
        tax_ids: String::new(),
        version: 0,
        roles,
        errors: FormErrors::default(),
        conflict: false,
        ctx,
    })
}

#[derive(Deserialize)]
struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    lang: String,
    active: Option<String>,
    #[serde(default)]
    tax_ids: String,
    #[serde(default)]
    version: i64,
}

struct Checked {
    name: String,
    role: Role,
    lang: Lang,
    org_ids: Vec<String>,
}

async fn check_form(
    state: &AppState,
    ctx: &PageCtx,
    form: &UserForm,
    errors: &mut FormErrors,
) -> Option<Checked> {
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("name", ctx.tr.t("field-name-invalid").to_owned());
    }
    let role = Role::parse(&form.role).ok();
    if role.is_none() {
        errors.add("role", ctx.tr.t("field-role-invalid").to_owned());
    }
    let lang = Lang::from_code(&form.lang);
    if lang.is_none() {
        errors.add("lang", ctx.tr.t("field-lang-invalid").to_owned());
    }
    let org_ids = match orgs_from_tax_ids(state, &form.tax_ids).await {
        Ok(ids) => Some(ids),
        Err(bad) => {
            errors.add("tax_ids", ctx.tr.t1("field-tax-ids-unknown", "tax_id", bad));
            None
        }
    };
    Some(Checked {
        name,
        role: role?,
        lang: lang?,
        org_ids: org_ids?,
    })
}

fn form_again(
    ctx: PageCtx,
    user: Option<UserRecord>,
    form: UserForm,
    errors: FormErrors,
    conflict: bool,
) -> Response {
    let roles = role_options(&ctx);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        render(&FormPage {
            user,
            email: form.email,
            name: form.name,
            role: form.role,
            lang: form.lang,
            active: form.active.is_some(),
            tax_ids: form.tax_ids,
            version: form.version,
            roles,
            errors,
            conflict,
            ctx,
        }),
    )
        .into_response()
}

async fn create(
    State(state): State<AppState>,
    Admin(admin, ctx): Admin,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Response {
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email).ok();
    if email.is_none() {
        errors.add("email", ctx.tr.t("field-email-invalid").to_owned());
    }
    let checked = check_form(&state, &ctx, &form, &mut errors).await;
    let (Some(email), Some(c), true) = (email, checked, errors.is_empty()) else {
        return form_again(ctx, None, form, errors, false);
    };
    let new = NewUser {
        email,
        name: c.name,
        role: c.role,
        lang: c.lang,
        organization_ids: c.org_ids,
        password_hash: None,
    };
    match invite(&state, &admin, &new).await {
        Ok(id) => redirect_with(
            &format!("/admin/users/{id}"),
            &[flash_cookie("flash-user-invited")],
        ),
        Err(InviteError::Create(CreateError::DuplicateEmail)) => {
            errors.add("email", ctx.tr.t("field-email-taken").to_owned());
            form_again(ctx, None, form, errors, false)
        }
        Err(e) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    Admin(_, ctx): Admin,
    Path(id): Path<String>,
) -> Response {
    let user = match store::record(state.db.reader(), &id).await {
        Ok(Some(u)) => u,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tax_ids = tax_ids_of(&state, &user.organization_ids).await;
    let roles = role_options(&ctx);
    render(&FormPage {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role.as_str().into(),
        lang: user.lang.clone(),
        active: user.active,
        tax_ids,
        version: user.version,
        user: Some(user),
        roles,
        errors: FormErrors::default(),
        conflict: false,
        ctx,
    })
}

async fn save(
    State(state): State<AppState>,
    Admin(admin, ctx): Admin,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Response {
    let current = match store::record(state.db.reader(), &id).await {
        Ok(Some(u)) => u,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut errors = FormErrors::default();
    let checked = check_form(&state, &ctx, &form, &mut errors).await;
    if admin.id == id && (form.active.is_none() || form.role != "admin") {
        errors.add("role", ctx.tr.t("field-self-demote").to_owned());
    }
    let (Some(c), true) = (checked, errors.is_empty()) else {
        return form_again(ctx, Some(current), form, errors, false);
    };
    let change = Change {
        name: Some(c.name),
        role: Some(c.role),
        lang: Some(c.lang),
        active: Some(form.active.is_some()),
        organization_ids: Some(c.org_ids),
    };
    let result = in_tx!(state, |tx| store::update(
        &mut tx,
        Some(&admin.id),
        &id,
        form.version,
        &change
    )
    .await);
    match result {
        Ok(Ok(_)) => redirect_with(
            &format!("/admin/users/{id}"),
            &[flash_cookie("flash-saved")],
        ),
        Ok(Err(UpdateError::Conflict(_))) => {
            // Someone else saved first: show the stored values now, and say so.
            let tax_ids = tax_ids_of(&state, &current.organization_ids).await;
            let fresh = UserForm {
                email: current.email.clone(),
                name: current.name.clone(),
                role: current.role.as_str().into(),
                lang: current.lang.clone(),
                active: current.active.then(|| "on".into()),
                tax_ids,
                version: current.version,
            };
            form_again(ctx, Some(current), fresh, FormErrors::default(), true)
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn reinvite(
    State(state): State<AppState>,
    Admin(admin, ctx): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let user = match store::record(state.db.reader(), &id).await {
        Ok(Some(u)) if u.active && !u.has_password => u,
        Ok(_) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        send_invitation(
            &state,
            &mut tx,
            &admin,
            &user.id,
            &user.email,
            &user.name,
            Lang::from_code(&user.lang).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    match done {
        Ok(()) => redirect_with(
            &format!("/admin/users/{id}"),
            &[flash_cookie("flash-user-invited")],
        ),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---------------------------------------------------------------- API

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    #[schema(example = "staff")]
    pub role: String,
    pub lang: String,
    pub organization_ids: Vec<String>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_me(ApiUser(u): ApiUser) -> Json<Me> {
    Json(Me {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role.as_str().into(),
        lang: u.lang.code().into(),
        organization_ids: u.organization_ids,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Text in the e-mail address or the name.
    pub q: Option<String>,
    /// Only this role.
    #[param(value_type = Option<RoleName>)]
    pub role: Option<String>,
    /// Only active (true) or deactivated (false) users.
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Users, in e-mail order (administrator only).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UsersQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<UserRecord>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<UsersQuery>,
) -> Result<Json<Page<UserRecord>>, ApiError> {
    if !policy::can_administer(&actor) {
        return Err(ApiError::Forbidden);
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let role = match q.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(
            Role::parse(r).map_err(|e| ApiError::field("role", "invalid_value", e.to_string()))?,
        ),
        None => None,
    };
    let filter = store::Filter {
        q: q.q,
        role,
        active: q.active,
        after: paging.after.clone(),
        limit: i64::from(paging.limit.get()),
    };
    let rows = store::list(state.db.reader(), &filter).await?;
    Ok(Json(paging.page(rows, |u| u.email.to_lowercase())))
}

/// A new user, invited by e-mail to set a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    #[schema(
        pattern = r"^[A-Za-z0-9_%+-]{1,20}(\.[A-Za-z0-9_%+-]{1,20}){0,2}@[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?){1,3}$",
        example = "tecnico@besaya.example"
    )]
    pub email: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(value_type = RoleName)]
    pub role: String,
    /// `es` (default) or `en`.
    #[schema(value_type = Option<LangName>)]
    pub lang: Option<String>,
    #[serde(default)]
    pub organization_ids: Vec<String>,
}

fn field_errors_from(e: CreateError) -> ApiError {
    match e {
        CreateError::DuplicateEmail => {
            ApiError::Duplicate("a user with this e-mail address already exists".into())
        }
        CreateError::UnknownOrganization(id) => ApiError::field(
            "organization_ids",
            "unknown",
            format!("no organisation {id}"),
        ),
        CreateError::Db(e) => e.into(),
    }
}

/// Invites a user (administrator only): creates the account and e-mails a link to set a password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserBody, security(("bearer" = [])),
    responses((status = 201, body = UserRecord),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail address is taken", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<UserRecord>), ApiError> {
    if !policy::can_administer(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut errors = Vec::new();
    let email = Email::parse(&body.email)
        .map_err(|e| errors.push(FieldError::new("email", "invalid_format", e.to_string())))
        .ok();
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "invalid_length",
            "name has 1 to 200 characters",
        ));
    }
    let role = Role::parse(&body.role)
        .map_err(|e| errors.push(FieldError::new("role", "invalid_value", e.to_string())))
        .ok();
    let lang = match body.lang.as_deref() {
        None => Some(Lang::Es),
        Some(l) => Lang::from_code(l).or_else(|| {
            errors.push(FieldError::new("lang", "invalid_value", "lang is es or en"));
            None
        }),
    };
    let (Some(email), Some(role), Some(lang), true) = (email, role, lang, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let new = NewUser {
        email,
        name,
        role,
        lang,
        organization_ids: body.organization_ids,
        password_hash: None,
    };
    let id = invite(&state, &actor, &new).await.map_err(|e| match e {
        InviteError::Create(c) => field_errors_from(c),
        InviteError::Other(e) => ApiError::Internal(e),
    })?;
    let record = store::record(state.db.reader(), &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// A user (administrator, or the user themself; anyone else gets 404).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = UserRecord),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<UserRecord>, ApiError> {
    if !policy::can_view(&actor, &id) {
        return Err(ApiError::NotFound);
    }
    store::record(state.db.reader(), &id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// A change to a user; fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// The version read; a stale one gets 409.
    pub version: i64,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[schema(value_type = Option<RoleName>)]
    pub role: Option<String>,
    #[schema(value_type = Option<LangName>)]
    pub lang: Option<String>,
    pub active: Option<bool>,
    pub organization_ids: Option<Vec<String>>,
}

/// The roles of the platform.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documentation only: the API reads roles as text and validates them.
pub enum RoleName {
    Admin,
    Staff,
    PactMember,
    Company,
    Investor,
    TrainingCentre,
}

/// The languages of the interface and of e-mails.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documentation only
pub enum LangName {
    Es,
    En,
}

/// Changes a user (administrator only).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserPatch, security(("bearer" = [])),
    responses((status = 200, body = UserRecord),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UserPatch>,
) -> Result<Json<UserRecord>, ApiError> {
    if !policy::can_view(&actor, &id) {
        return Err(ApiError::NotFound);
    }
    if !policy::can_administer(&actor) {
        return Err(ApiError::Forbidden);
    }
    let mut errors = Vec::new();
    let name = body.name.map(|n| n.trim().to_owned());
    if name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "name",
            "invalid_length",
            "name has 1 to 200 characters",
        ));
    }
    let role = body.role.as_deref().and_then(|r| {
        Role::parse(r)
            .map_err(|e| errors.push(FieldError::new("role", "invalid_value", e.to_string())))
            .ok()
    });
    let lang = body.lang.as_deref().and_then(|l| {
        Lang::from_code(l).or_else(|| {
            errors.push(FieldError::new("lang", "invalid_value", "lang is es or en"));
            None
        })
    });
    if actor.id == id && (body.active == Some(false) || role.is_some_and(|r| r != Role::Admin)) {
        errors.push(FieldError::new(
            "role",
            "self_demotion",
            "administrators cannot deactivate or demote themselves",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let change = Change {
        name,
        role,
        lang,
        active: body.active,
        organization_ids: body.organization_ids,
    };
    let mut tx = state.db.writer().begin().await?;
    match store::update(&mut tx, Some(&actor.id), &id, body.version, &change).await {
        Ok(_) => tx.commit().await?,
        Err(UpdateError::Conflict(c)) => return Err(c.into()),
        Err(UpdateError::Create(c)) => return Err(field_errors_from(c)),
        Err(UpdateError::Db(e)) => return Err(e.into()),
    }
    store::record(state.db.reader(), &id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
