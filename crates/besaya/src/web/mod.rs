//! The web layer: the router that joins pages, API and static files, and the
//! middleware every response passes through (request ids, tracing, compression,
//! timeouts, security headers, metrics).

pub mod around;
mod assets;
pub mod form;
mod home;
pub mod invalid;
pub mod page;

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::AppState;
use crate::api::{self, ApiError};
use crate::i18n::Lang;
pub use page::{PageCtx, PageError, render};

/// Content-Security-Policy: no inline script, nothing from other origins.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// The policy in force: [`CSP`], plus the origin of the map tiles when they are
/// configured on another site (the only images allowed from elsewhere).
pub fn csp(map_tile_url: &str) -> HeaderValue {
    let origin = map_tile_url
        .split_once("://")
        .filter(|(scheme, _)| matches!(*scheme, "https" | "http"))
        .and_then(|(scheme, rest)| {
            let host = rest.split('/').next().unwrap_or("");
            let ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
            ok.then(|| format!("{scheme}://{}", host.replace("{s}", "*")))
        });
    let policy = match origin {
        Some(o) if !o.contains('{') => {
            CSP.replace("img-src 'self' data:", &format!("img-src 'self' data: {o}"))
        }
        _ => CSP.to_owned(),
    };
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(CSP))
}

/// The whole application: the router inside the middleware every response passes
/// through. The middleware wraps the router once, as one service, rather than
/// through `Router::layer`, which would wrap every route in one more boxed service
/// (an allocation and a copy of the request's future on every request).
pub fn router(
    state: AppState,
) -> impl tower::Service<
    Request,
    Response = Response,
    Error = std::convert::Infallible,
    Future: Send + 'static,
> + Clone
+ Send
+ Sync
+ 'static {
    let timeout = Duration::from_secs(state.config.request_timeout_secs.max(1));
    let envelope = Envelope {
        ids: RequestIds::new(),
        policy: csp(&state.config.map_tile_url),
    };
    let pages = Router::new()
        .route("/", get(home::index))
        .route("/lang/{code}", get(switch_language))
        .route("/api/docs", get(api_docs))
        .merge(crate::auth::routes::router())
        .merge(crate::users::router())
        .merge(crate::orgs::router())
        .merge(crate::sites::router())
        .merge(crate::office::router())
        .merge(crate::pact::router())
        .merge(crate::audit::router())
        .merge(crate::jobs::routes::router())
        .fallback(not_found_page)
        // One `layer` call: each wraps every route in one more boxed service.
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::custom(|_| page_panic()))
                .layer(around::Around((
                    crate::auth::csrf::CsrfLayer,
                    page::FlashLayer,
                ))),
        );
    let api = api::router().layer(CatchPanicLayer::custom(|_| api_panic()));
    let routes = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/static/{*path}", get(assets::serve))
        .nest("/api/v1", api)
        .merge(pages)
        .route_layer(around::Around(crate::metrics::Track(state.metrics.clone())))
        .with_state(state);
    ServiceBuilder::new()
        .layer(around::Around(envelope))
        .map_response(IntoResponse::into_response)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .service(routes)
}

/// The request id header: kept when the caller sent one, made otherwise, and
/// repeated on the response.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a random prefix per process and a counter (`3kq9xw2a-1f`), unique
/// across instances without a random number per request.
#[derive(Clone)]
struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> Self {
        Self {
            prefix: crate::auth::secret::random_token()[..10].into(),
            next: Default::default(),
        }
    }

    fn next(&self) -> HeaderValue {
        use std::io::Write;
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // 10 characters, a dash and at most 16 hex digits.
        let mut buf = [0u8; 32];
        let mut rest = &mut buf[..];
        let _ = write!(rest, "{}-{n:x}", self.prefix);
        let len = 32 - rest.len();
        HeaderValue::from_bytes(&buf[..len]).unwrap_or(HeaderValue::from_static("-"))
    }
}

/// What every request and response passes through first and last: the request
/// id, the tracing span the request runs in (so what a handler logs names the
/// method, path and request id) and the headers every response carries.
///
/// One layer rather than four (tower-http's set and propagate request id and
/// trace layers, and a map of the response): each layer costs a move of the request
/// and of its future, and together they were a fifth of the home page's
/// instructions (issue #2). Handlers log their own failures, so the trace layer's
/// classification of 5xx answers is not missed.
#[derive(Clone)]
struct Envelope {
    ids: RequestIds,
    policy: HeaderValue,
}

impl around::Hooks for Envelope {
    type Carry = HeaderValue;

    fn before(&self, req: &mut Request) -> HeaderValue {
        if let Some(id) = req.headers().get(&REQUEST_ID) {
            return id.clone();
        }
        let id = self.ids.next();
        req.headers_mut().insert(REQUEST_ID, id.clone());
        id
    }

    fn after(&self, id: HeaderValue, res: &mut Response) {
        tracing::debug!(status = res.status().as_u16(), "answered");
        response_headers(res.headers_mut(), &self.policy, id);
    }

    fn span(&self, req: &Request, id: &HeaderValue) -> tracing::Span {
        let id = id.to_str().unwrap_or("");
        tracing::info_span!(
            "http",
            method = %req.method(),
            path = %req.uri().path(),
            request_id = %id
        )
    }
}

/// The headers every response carries, set in one pass: the security headers and
/// the request id. One a handler set already (a page's own policy) is kept.
fn response_headers(headers: &mut axum::http::HeaderMap, policy: &HeaderValue, id: HeaderValue) {
    use axum::http::header::Entry;
    let all = [
        (header::CONTENT_SECURITY_POLICY, policy.clone()),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(self)"),
        ),
        (REQUEST_ID, id),
    ];
    headers.reserve(all.len());
    for (name, value) in all {
        if let Entry::Vacant(e) = headers.entry(name) {
            e.insert(value);
        }
    }
}

fn page_panic() -> Response {
    tracing::error!("a page handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::response::Html(page::FALLBACK_500),
    )
        .into_response()
}

fn api_panic() -> Response {
    tracing::error!("an API handler panicked");
    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

async fn not_found_page(uri: axum::http::Uri, ctx: PageCtx) -> Response {
    // `/api` and `/api/v1/` fall outside the nested API router: still problem+json.
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return ApiError::NotFound.into_response();
    }
    PageError::page(ctx, StatusCode::NOT_FOUND)
}

/// `/readyz`: 200 when the database answers, 503 otherwise.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: remembers the language in a cookie and goes back.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
    ctx: PageCtx,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return PageError::page(ctx, StatusCode::NOT_FOUND);
    };
    // A signed-in user's choice is kept with the account (and its e-mails follow it).
    if let Some(user) = &ctx.user
        && user.lang != lang
        && let Err(e) = remember_language(&state, &user.id, user.lang, lang).await
    {
        return ctx.fail(e).into_response();
    }
    let next = q
        .next
        .as_deref()
        .filter(|n| is_local_path(n))
        .unwrap_or("/");
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    let mut res = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

async fn remember_language(
    state: &AppState,
    user_id: &str,
    before: Lang,
    after: Lang,
) -> Result<(), sqlx::Error> {
    let mut tx = state.db.writer().begin().await?;
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(after.code())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    crate::db::Audit {
        actor: Some(user_id),
        entity: "user",
        entity_id: user_id,
        action: "update",
        changes: crate::db::Changes::new().field("lang", before.code(), after.code()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await
}

/// Only paths of this site: no scheme, no `//host`, no backslashes or control characters.
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(char::is_control)
}

#[derive(askama::Template)]
#[template(path = "api/docs.html")]
struct ApiDocsPage {
    ctx: PageCtx,
}

/// `/api/docs`: the OpenAPI document, browsable (Swagger UI, vendored).
async fn api_docs(ctx: PageCtx) -> Response {
    render(&ApiDocsPage { ctx })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/sites?page=2"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x=y"));
    }

    #[test]
    fn response_headers_are_added_and_a_handlers_own_kept() {
        let policy = csp("");
        let mut plain = axum::http::HeaderMap::new();
        response_headers(&mut plain, &policy, HeaderValue::from_static("abc-1"));
        assert_eq!(plain[header::CONTENT_SECURITY_POLICY], policy);
        assert_eq!(plain[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(plain[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(
            plain[header::REFERRER_POLICY],
            "strict-origin-when-cross-origin"
        );
        assert!(plain.contains_key("permissions-policy"));
        assert_eq!(plain[REQUEST_ID], "abc-1");

        let mut download = axum::http::HeaderMap::new();
        let own = HeaderValue::from_static("default-src 'none'; sandbox");
        download.insert(header::CONTENT_SECURITY_POLICY, own.clone());
        download.insert(REQUEST_ID, HeaderValue::from_static("set-by-handler"));
        response_headers(&mut download, &policy, HeaderValue::from_static("abc-2"));
        assert_eq!(
            download
                .get_all(header::CONTENT_SECURITY_POLICY)
                .iter()
                .count(),
            1
        );
        assert_eq!(download[header::CONTENT_SECURITY_POLICY], own);
        assert_eq!(download[REQUEST_ID], "set-by-handler");
    }
}

#[cfg(test)]
mod csp_tests {
    use super::csp;

    #[test]
    fn map_tiles_on_another_site_are_the_only_images_allowed_from_elsewhere() {
        let none = csp("");
        assert!(none.to_str().unwrap().contains("img-src 'self' data:;"));
        let osm = csp("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png");
        assert!(
            osm.to_str()
                .unwrap()
                .contains("img-src 'self' data: https://*.tile.openstreetmap.org;")
        );
        let own = csp("/tiles/{z}/{x}/{y}.png");
        assert_eq!(own, none);
        // Nothing else slips into the policy through the setting.
        let evil = csp("https://a.example; script-src *");
        assert_eq!(evil, none);
    }
}
