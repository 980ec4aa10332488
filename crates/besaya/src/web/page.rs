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
use crate::i18n::{Lang, Tr};

/// The context of a page, extracted from the request.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub tr: Tr,
    pub lang: Lang,
    /// The link of the language switch: back to this very page in the other language.
    pub switch_href: String,
}

impl PageCtx {
    pub fn other_lang(&self) -> Lang {
        self.lang.other()
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

/// Reads the `lang` cookie from a `Cookie` header.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = Lang::negotiate(cookie(parts, "lang"), accept);
        let here = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let switch_href = format!(
            "/lang/{}?next={}",
            lang.other().code(),
            utf8_percent_encode(here, NON_ALPHANUMERIC)
        );
        Ok(Self {
            tr: Tr::new(state.i18n.clone(), lang),
            lang,
            switch_href,
        })
    }
}

/// Renders a template into an HTML response (or the error page if rendering fails).
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
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
            _ => ("error-500-title", "error-500-text"),
        };
        let page = ErrorPage {
            title: ctx.tr.t(title),
            message: ctx.tr.t(message),
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
        let lang = self.tr.lang;
        let ctx = PageCtx {
            switch_href: format!("/lang/{}?next=%2F", lang.other().code()),
            tr: self.tr,
            lang,
        };
        Self::page(ctx, self.status)
    }
}
