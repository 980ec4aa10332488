//! Sign-in pages: login, logout, password reset, invitations, and the user's own
//! account page (profile, password, API tokens, logging out everywhere).

use std::net::SocketAddr;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use besaya_domain::Email;
use besaya_domain::identity::{PasswordError, check_password};
use serde::Deserialize;

use super::csrf::{self, CsrfForm};
use super::{SignedIn, password, secret, session, throttle, tokens};
use crate::AppState;
use crate::db;
use crate::i18n::Lang;
use crate::users::links::{self, Purpose};
use crate::users::store;
use crate::web::form::FormErrors;
use crate::web::page::{cookie, flash_cookie, redirect_with};
use crate::web::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset", get(reset_page).post(reset))
        .route("/invitation", get(invitation_page).post(accept_invitation))
        .route("/account", get(account_page))
        .route("/account/profile", post(save_profile))
        .route("/account/password", post(change_password))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/account/sessions/revoke-all", post(logout_everywhere))
}

/// Only paths of this site.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| crate::web::is_local_path(n))
        .unwrap_or("/")
        .to_owned()
}

fn lang_cookie(lang: Lang) -> String {
    format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    )
}

/// The client's address for throttling: the peer, or the first `X-Forwarded-For`
/// hop when the platform runs behind a proxy that sets it (`trust_forwarded_for`).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if state.config.trust_forwarded_for
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 64)
    {
        return first.to_owned();
    }
    peer.map_or_else(|| "unknown".into(), |p| p.ip().to_string())
}

fn password_message(ctx: &PageCtx, e: PasswordError) -> String {
    ctx.tr
        .t(match e {
            PasswordError::TooShort => "password-too-short",
            PasswordError::TooLong => "password-too-long",
            PasswordError::TooCommon => "password-too-common",
            PasswordError::ContainsEmail => "password-contains-email",
        })
        .to_owned()
}

// ---------------------------------------------------------------- login

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageCtx,
    email: String,
    next: String,
    errors: FormErrors,
    throttled: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ctx: PageCtx, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if ctx.user.is_some() {
        return Redirect::to(&next).into_response();
    }
    render(&LoginPage {
        ctx,
        email: String::new(),
        next,
        errors: FormErrors::default(),
        throttled: None,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let email = Email::parse(&form.email).ok();
    let account_key = format!(
        "account:{}",
        email
            .as_ref()
            .map_or_else(|| form.email.trim().to_lowercase(), Email::normalized)
    );
    let ip_key = format!("address:{}", client_ip(&state, &headers, Some(peer)));
    let again =
        |ctx: PageCtx, status: StatusCode, errors: FormErrors, throttled: Option<String>| {
            (
                status,
                render(&LoginPage {
                    ctx,
                    email: form.email.clone(),
                    next: next.clone(),
                    errors,
                    throttled,
                }),
            )
                .into_response()
        };
    match throttle::locked_for(&state.db, &[&account_key, &ip_key]).await {
        Ok(Some(wait)) => {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let msg = ctx.tr.t1("login-throttled", "minutes", minutes);
            return again(
                ctx,
                StatusCode::TOO_MANY_REQUESTS,
                FormErrors::default(),
                Some(msg),
            );
        }
        Ok(None) => {}
        Err(e) => return ctx.fail(e).into_response(),
    }
    let creds = match &email {
        Some(e) => match store::credentials(state.db.reader(), e).await {
            Ok(c) => c,
            Err(e) => return ctx.fail(e).into_response(),
        },
        None => None,
    };
    let (user_id, hash) = match creds {
        Some((id, hash, true)) => (Some(id), hash),
        _ => (None, None),
    };
    // Always one argon2 verification, whatever was wrong: the same time for everyone.
    let ok = password::verify(form.password.clone(), hash).await;
    let Some(user_id) = user_id.filter(|_| ok) else {
        for (key, policy) in [
            (&account_key, throttle::ACCOUNT),
            (&ip_key, throttle::ADDRESS),
        ] {
            if let Err(e) = throttle::fail(&state.db, key, policy).await {
                return ctx.fail(e).into_response();
            }
        }
        let mut errors = FormErrors::default();
        errors.add("email", ctx.tr.t("login-invalid").to_owned());
        return again(ctx, StatusCode::UNAUTHORIZED, errors, None);
    };
    let started = async {
        throttle::clear(&state.db, &account_key).await?;
        let mut tx = state.db.writer().begin().await?;
        // A new id at every login (the old one, if any, ends).
        if let Some(old) = cookie(&headers, session::COOKIE) {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(secret::hash(old))
                .execute(&mut *tx)
                .await?;
        }
        let idle = Duration::from_secs(state.config.session_idle_minutes.max(1) * 60);
        let raw = session::create(&mut tx, &user_id, idle).await?;
        db::Audit {
            actor: Some(&user_id),
            entity: "user",
            entity_id: &user_id,
            action: "login",
            changes: db::Changes::new(),
        }
        .record(&mut tx)
        .await?;
        tx.commit().await?;
        let user = store::get(state.db.reader(), &user_id).await?;
        Ok::<_, sqlx::Error>((raw, user))
    }
    .await;
    match started {
        Ok((raw, Some(user))) => redirect_with(
            // An investor with no page to go back to lands on its portal.
            if next == "/" && user.role == besaya_domain::Role::Investor {
                "/portal"
            } else {
                &next
            },
            &[
                session::cookie(Some(&raw), state.config.secure_cookies()),
                lang_cookie(user.lang),
                // A fresh CSRF token for the new session.
                format!(
                    "{}={}; Path=/; HttpOnly; SameSite=Lax",
                    csrf::COOKIE,
                    secret::random_token()
                ),
            ],
        ),
        Ok((_, None)) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Some(raw) = cookie(&headers, session::COOKIE)
        && let Err(e) = session::delete(&state.db, raw).await
    {
        tracing::error!(error = %e, "logout");
    }
    redirect_with(
        "/",
        &[
            session::cookie(None, state.config.secure_cookies()),
            flash_cookie("flash-logged-out"),
        ],
    )
}

// ---------------------------------------------------------------- password reset

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    email: String,
    errors: FormErrors,
}

async fn forgot_page(ctx: PageCtx) -> Response {
    render(&ForgotPage {
        ctx,
        email: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Template)]
#[template(path = "auth/message.html")]
struct MessagePage {
    ctx: PageCtx,
    title: String,
    text: String,
    link: Option<(String, String)>,
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Response {
    let Ok(email) = Email::parse(&form.email) else {
        let mut errors = FormErrors::default();
        errors.add("email", ctx.tr.t("field-email-invalid").to_owned());
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&ForgotPage {
                ctx,
                email: form.email,
                errors,
            }),
        )
            .into_response();
    };
    if let Err(e) = send_reset(&state, &email).await {
        return ctx.fail(e).into_response();
    }
    // The same answer whether or not the address has an account.
    render(&MessagePage {
        title: ctx.tr.t("forgot-sent-title").to_owned(),
        text: ctx.tr.t("forgot-sent-text").to_owned(),
        link: Some(("/login".into(), ctx.tr.t("back-to-login").to_owned())),
        ctx,
    })
}

async fn send_reset(state: &AppState, email: &Email) -> anyhow::Result<()> {
    // No flood of reset e-mails to one mailbox, whoever asks.
    let key = format!("reset:{}", email.normalized());
    if throttle::locked_for(&state.db, &[&key]).await?.is_some() {
        tracing::info!("password reset e-mail held back: too many requests for one address");
        return Ok(());
    }
    throttle::fail(&state.db, &key, throttle::RESET_MAIL).await?;
    let Some((user_id, _, true)) = store::credentials(state.db.reader(), email).await? else {
        return Ok(());
    };
    let Some(user) = store::get(state.db.reader(), &user_id).await? else {
        return Ok(());
    };
    let mut tx = state.db.writer().begin().await?;
    let token = links::create(&mut tx, &user.id, Purpose::Reset).await?;
    let link = format!(
        "{}/password/reset?token={token}",
        state.config.public_base()
    );
    let mail = crate::mail::compose(
        &state.i18n,
        user.lang,
        &user.email,
        &user.name,
        crate::mail::Kind::Reset { link: &link },
    )?;
    crate::mail::enqueue(&mut tx, &mail).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "auth/set_password.html")]
struct SetPasswordPage {
    ctx: PageCtx,
    action: &'static str,
    title: String,
    intro: String,
    token: String,
    errors: FormErrors,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn link_page(
    state: &AppState,
    ctx: PageCtx,
    token: Option<String>,
    purpose: Purpose,
) -> Response {
    let token = token.unwrap_or_default();
    let live = async {
        let mut conn = state.db.reader().acquire().await?;
        links::peek(&mut conn, &token, purpose).await
    }
    .await;
    match live {
        Ok(Some(_)) => {
            let (action, title, intro) = match purpose {
                Purpose::Invite => ("/invitation", "invitation-title", "invitation-intro"),
                Purpose::Reset => ("/password/reset", "reset-title", "reset-intro"),
            };
            render(&SetPasswordPage {
                action,
                title: ctx.tr.t(title).to_owned(),
                intro: ctx.tr.t(intro).to_owned(),
                token,
                errors: FormErrors::default(),
                ctx,
            })
        }
        Ok(None) => (
            StatusCode::GONE,
            render(&MessagePage {
                title: ctx.tr.t("link-invalid-title").to_owned(),
                text: ctx.tr.t("link-invalid-text").to_owned(),
                link: Some((
                    "/password/forgot".into(),
                    ctx.tr.t("forgot-title").to_owned(),
                )),
                ctx,
            }),
        )
            .into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn reset_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> Response {
    link_page(&state, ctx, q.token, Purpose::Reset).await
}

async fn invitation_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> Response {
    link_page(&state, ctx, q.token, Purpose::Invite).await
}

#[derive(Deserialize)]
struct SetPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn set_from_link(
    state: &AppState,
    ctx: PageCtx,
    form: SetPasswordForm,
    purpose: Purpose,
) -> Response {
    let user = async {
        let mut conn = state.db.reader().acquire().await?;
        let Some(id) = links::peek(&mut conn, &form.token, purpose).await? else {
            return Ok(None);
        };
        drop(conn);
        store::record(state.db.reader(), &id).await
    }
    .await;
    let user = match user {
        Ok(Some(u)) => u,
        Ok(None) => return link_page(state, ctx, Some(form.token), purpose).await,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut errors = FormErrors::default();
    if let Err(e) = check_password(&form.password, Some(&user.email)) {
        errors.add("password", password_message(&ctx, e));
    } else if form.password != form.confirm {
        errors.add("confirm", ctx.tr.t("password-mismatch").to_owned());
    }
    if !errors.is_empty() {
        let (action, title, intro) = match purpose {
            Purpose::Invite => ("/invitation", "invitation-title", "invitation-intro"),
            Purpose::Reset => ("/password/reset", "reset-title", "reset-intro"),
        };
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&SetPasswordPage {
                action,
                title: ctx.tr.t(title).to_owned(),
                intro: ctx.tr.t(intro).to_owned(),
                token: form.token,
                errors,
                ctx,
            }),
        )
            .into_response();
    }
    let done = async {
        let hash = password::hash(form.password.clone()).await?;
        let mut tx = state.db.writer().begin().await?;
        // Used once: a second use of the same link finds nothing.
        let Some(id) = links::consume(&mut tx, &form.token, purpose).await? else {
            return Ok(false);
        };
        store::set_password(&mut tx, Some(&id), &id, &hash).await?;
        session::delete_all(&mut tx, &id).await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(true)
    }
    .await;
    match done {
        Ok(true) => redirect_with("/login", &[flash_cookie("flash-password-set")]),
        Ok(false) => link_page(state, ctx, Some(form.token), purpose).await,
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn reset(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SetPasswordForm>,
) -> Response {
    set_from_link(&state, ctx, form, Purpose::Reset).await
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SetPasswordForm>,
) -> Response {
    set_from_link(&state, ctx, form, Purpose::Invite).await
}

// ---------------------------------------------------------------- account

#[derive(Template)]
#[template(path = "account/index.html")]
struct AccountPage {
    ctx: PageCtx,
    name: String,
    lang: String,
    version: i64,
    tokens: Vec<tokens::TokenInfo>,
    new_token: Option<String>,
    errors: FormErrors,
    conflict: bool,
}

impl AccountPage {
    fn role_label(&self) -> String {
        self.ctx
            .user
            .as_ref()
            .map(|u| {
                self.ctx
                    .tr
                    .t(&format!("role-{}", u.role.as_str()))
                    .to_owned()
            })
            .unwrap_or_default()
    }
}

async fn account_view(
    state: &AppState,
    user: &super::User,
    ctx: PageCtx,
    errors: FormErrors,
    new_token: Option<String>,
    conflict: bool,
) -> Response {
    let tokens = match tokens::list(&state.db, &user.id).await {
        Ok(t) => t,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let status = if errors.is_empty() && !conflict {
        StatusCode::OK
    } else if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        render(&AccountPage {
            name: user.name.clone(),
            lang: user.lang.code().to_owned(),
            version: user.version,
            tokens,
            new_token,
            errors,
            conflict,
            ctx,
        }),
    )
        .into_response()
}

async fn account_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    account_view(&state, &user, ctx, FormErrors::default(), None, false).await
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    version: i64,
}

async fn save_profile(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> Response {
    let mut errors = FormErrors::default();
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("name", ctx.tr.t("field-name-invalid").to_owned());
    }
    let lang = Lang::from_code(&form.lang);
    if lang.is_none() {
        errors.add("lang", ctx.tr.t("field-lang-invalid").to_owned());
    }
    if !errors.is_empty() {
        return account_view(&state, &user, ctx, errors, None, false).await;
    }
    let change = store::Change {
        name: Some(name),
        lang,
        ..store::Change::default()
    };
    let result = async {
        let mut tx = state.db.writer().begin().await?;
        let v = store::update(&mut tx, Some(&user.id), &user.id, form.version, &change).await;
        if v.is_ok() {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(v)
    }
    .await;
    match result {
        Ok(Ok(_)) => redirect_with(
            "/account",
            &[
                lang_cookie(lang.unwrap_or_default()),
                flash_cookie("flash-profile-saved"),
            ],
        ),
        Ok(Err(store::UpdateError::Conflict(_))) => {
            // Show what is stored now, with a message saying someone else changed it.
            account_view(&state, &user, ctx, FormErrors::default(), None, true).await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Response {
    let stored = match store::password_hash(state.db.reader(), &user.id).await {
        Ok(h) => h,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let mut errors = FormErrors::default();
    if !password::verify(form.current.clone(), stored).await {
        errors.add("current", ctx.tr.t("password-current-wrong").to_owned());
    }
    if let Err(e) = check_password(&form.password, Some(&user.email)) {
        errors.add("password", password_message(&ctx, e));
    } else if form.password != form.confirm {
        errors.add("confirm", ctx.tr.t("password-mismatch").to_owned());
    }
    if !errors.is_empty() {
        return account_view(&state, &user, ctx, errors, None, false).await;
    }
    let this_session = cookie(&headers, session::COOKIE).map(secret::hash);
    let done = async {
        let hash = password::hash(form.password.clone()).await?;
        let mut tx = state.db.writer().begin().await?;
        store::set_password(&mut tx, Some(&user.id), &user.id, &hash).await?;
        // Every other session ends; this one stays.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(&user.id)
            .bind(this_session.unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    match done {
        Ok(()) => redirect_with("/account", &[flash_cookie("flash-password-changed")]),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Response {
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        let mut errors = FormErrors::default();
        errors.add(
            "token-name",
            ctx.tr.t("field-token-name-invalid").to_owned(),
        );
        return account_view(&state, &user, ctx, errors, None, false).await;
    }
    let created = async {
        let mut tx = state.db.writer().begin().await?;
        let (_, token) = tokens::create(&mut tx, Some(&user.id), &user.id, &name).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(token)
    }
    .await;
    match created {
        // Shown once, on this page; never again.
        Ok(token) => {
            account_view(
                &state,
                &user,
                ctx,
                FormErrors::default(),
                Some(token),
                false,
            )
            .await
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let ok = tokens::revoke(&mut tx, Some(&user.id), &user.id, &id).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(ok)
    }
    .await;
    match done {
        Ok(true) => redirect_with("/account", &[flash_cookie("flash-token-revoked")]),
        Ok(false) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn logout_everywhere(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        session::delete_all(&mut tx, &user.id).await?;
        db::Audit {
            actor: Some(&user.id),
            entity: "user",
            entity_id: &user.id,
            action: "logout_everywhere",
            changes: db::Changes::new(),
        }
        .record(&mut tx)
        .await?;
        tx.commit().await
    }
    .await;
    match done {
        Ok(()) => redirect_with(
            "/login",
            &[
                session::cookie(None, state.config.secure_cookies()),
                flash_cookie("flash-logged-out-everywhere"),
            ],
        ),
        Err(e) => ctx.fail(e).into_response(),
    }
}
