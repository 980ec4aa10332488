//! What every page needs: the request's language and translator, the path for the
//! language switch, and helpers that turn templates and errors into responses.

use std::convert::Infallible;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::AppState;
use crate::auth::User;
use crate::auth::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};

/// The context of a page, extracted from the request.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub tr: Tr,
    pub lang: Lang,
    /// The link of the language switch: back to this very page in the other language.
    pub switch_href: String,
    /// The signed-in user, if any.
    pub user: Option<User>,
    /// The CSRF token every form repeats in its `_csrf` field (see [`PageCtx::csrf`]).
    pub csrf_token: CsrfToken,
    /// A one-time message from the previous action (a translated text).
    pub flash: Option<String>,
}

impl PageCtx {
    pub fn other_lang(&self) -> Lang {
        self.lang.other()
    }

    /// A context without request (error pages rendered outside a handler, tests).
    pub fn bare(tr: Tr) -> Self {
        let lang = tr.lang;
        Self {
            switch_href: format!("/lang/{}?next=%2F", lang.other().code()),
            tr,
            lang,
            user: None,
            csrf_token: CsrfToken::default(),
            flash: None,
        }
    }

    /// The value of the hidden `_csrf` field of forms.
    pub fn csrf(&self) -> &str {
        self.csrf_token.value()
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(User::is_admin)
    }

    /// Whether the directory belongs in this user's navigation.
    pub fn can_read_directory(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(crate::orgs::policy::can_read)
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.name.as_str())
    }

    /// A page error in this request's language.
    pub fn fail(&self, e: impl Into<anyhow::Error>) -> PageError {
        PageError {
            tr: self.tr.clone(),
            status: StatusCode::INTERNAL_SERVER_ERROR,
            cause: Some(e.into()),
        }
    }

    pub fn not_found(&self) -> PageError {
        PageError {
            tr: self.tr.clone(),
            status: StatusCode::NOT_FOUND,
            cause: None,
        }
    }
}

/// A cookie's value in one `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// A cookie's value in a request's headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| cookie_value(v, name))
}

/// The flash message key of a request, put in the extensions by [`FlashLayer`].
#[derive(Debug, Clone)]
pub struct Flash(pub String);

pub const FLASH_COOKIE: &str = "besaya_flash";

/// A 303 redirect that also sets cookies (a session, a flash message...).
pub fn redirect_with(to: &str, cookies: &[String]) -> Response {
    let mut res = axum::response::Redirect::to(to).into_response();
    for c in cookies {
        if let Ok(v) = axum::http::HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// A `Set-Cookie` value carrying a flash message key to the next page.
pub fn flash_cookie(key: &str) -> String {
    format!("{FLASH_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60")
}

/// Middleware hooks: read the flash cookie once, and clear it once shown.
#[derive(Debug, Clone, Copy)]
pub struct FlashLayer;

impl super::around::Hooks for FlashLayer {
    /// Whether the request carried a flash message.
    type Carry = bool;

    fn before(&self, req: &mut axum::extract::Request) -> bool {
        let key = cookie(req.headers(), FLASH_COOKIE)
            .filter(|k| {
                k.starts_with("flash-")
                    && k.len() < 64
                    && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            })
            .map(str::to_owned);
        let had = key.is_some();
        if let Some(k) = key {
            req.extensions_mut().insert(Flash(k));
        }
        had
    }

    fn after(&self, had: bool, res: &mut Response) {
        // Cleared once shown (a redirect passes it on untouched).
        if had && !res.status().is_redirection() {
            res.headers_mut().append(
                header::SET_COOKIE,
                axum::http::HeaderValue::from_static(
                    "besaya_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
                ),
            );
        }
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = Lang::negotiate(cookie(&parts.headers, "lang"), accept);
        let here = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let switch_href = format!(
            "/lang/{}?next={}",
            lang.other().code(),
            utf8_percent_encode(here, NON_ALPHANUMERIC)
        );
        let user = crate::auth::extract::session_user(parts, state).await;
        let csrf_token = parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or_default();
        let tr = Tr::new(state.i18n.clone(), lang);
        let flash = parts
            .extensions
            .get::<Flash>()
            .map(|f| tr.t(&f.0).to_owned());
        Ok(Self {
            tr,
            lang,
            switch_href,
            user,
            csrf_token,
            flash,
        })
    }
}

/// Renders a template into an HTML response (or the error page if rendering fails).
pub fn render<T: Template>(t: &T) -> Response {
    // Room for a whole page up front: growing the buffer shows in profiles.
    let mut html = String::with_capacity(16 * 1024);
    match t.render_into(&mut html) {
        Ok(()) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Html(FALLBACK_500)).into_response()
        }
    }
}

/// Shown when even the error page cannot be rendered, or after a panic.
pub const FALLBACK_500: &str = "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\">\
<title>Error interno · Internal error</title><link rel=\"stylesheet\" href=\"/static/css/besaya.css\"></head>\
<body><main id=\"main\" class=\"error-page\"><h1>Error interno</h1><p>Algo ha fallado en el servidor. \
Ya ha quedado registrado; inténtalo de nuevo en unos minutos.</p><p><a href=\"/\">Volver al inicio</a></p>\
<h2 lang=\"en\">Internal error</h2><p lang=\"en\">Something went wrong on our side. It has been logged; \
please try again in a few minutes.</p><p lang=\"en\"><a href=\"/\">Back to the home page</a></p></main></body></html>";

/// An error shown as a friendly page in the user's language.
#[derive(Debug)]
pub struct PageError {
    tr: Tr,
    status: StatusCode,
    cause: Option<anyhow::Error>,
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    title: String,
    message: String,
    status: u16,
}

impl PageError {
    /// Renders the error page for `status` in the language of `ctx`.
    pub fn page(ctx: PageCtx, status: StatusCode) -> Response {
        let (title, message) = match status {
            StatusCode::NOT_FOUND => ("error-404-title", "error-404-text"),
            StatusCode::FORBIDDEN => ("error-403-title", "error-403-text"),
            StatusCode::BAD_REQUEST => ("error-400-title", "error-400-text"),
            StatusCode::PAYLOAD_TOO_LARGE => ("error-413-title", "error-413-text"),
            _ => ("error-500-title", "error-500-text"),
        };
        let page = ErrorPage {
            title: ctx.tr.t(title).to_owned(),
            message: ctx.tr.t(message).to_owned(),
            status: status.as_u16(),
            ctx,
        };
        (status, render(&page)).into_response()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(e) = &self.cause {
            tracing::error!(error = format!("{e:#}"), "page failed");
        }
        Self::page(PageCtx::bare(self.tr), self.status)
    }
}
