//! Extractors that establish who is asking.
//!
//! Pages: [`PageCtx`](crate::web::PageCtx) carries the optional user; [`SignedIn`]
//! sends anonymous visitors to the login page; [`Admin`] answers 403 to the rest.
//! API: [`ApiUser`] reads `Authorization: Bearer`, answering 401 without a valid token.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::{User, session, tokens};
use crate::AppState;
use crate::api::ApiError;
use crate::web::PageError;
use crate::web::page::{PageCtx, cookie};

/// The session user of a request, looked up once and kept in the extensions.
#[derive(Clone)]
struct Cached(Option<User>);

pub async fn session_user(parts: &mut Parts, state: &AppState) -> Option<User> {
    if let Some(Cached(u)) = parts.extensions.get::<Cached>() {
        return u.clone();
    }
    let raw = cookie(&parts.headers, session::COOKIE).map(str::to_owned);
    let idle = Duration::from_secs(state.config.session_idle_minutes.max(1) * 60);
    let user = match raw {
        Some(raw) => match session::lookup(&state.db, &raw, idle).await {
            Ok(u) => u,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                None
            }
        },
        None => None,
    };
    parts.extensions.insert(Cached(user.clone()));
    user
}

/// A signed-in user on a page; anonymous visitors are sent to the login page and back.
pub struct SignedIn(pub User, pub PageCtx);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let ctx = match PageCtx::from_request_parts(parts, state).await {
            Ok(c) => c,
            Err(never) => match never {},
        };
        match ctx.user.clone() {
            Some(u) => Ok(SignedIn(u, ctx)),
            None => {
                let here = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
                let to = format!(
                    "/login?next={}",
                    utf8_percent_encode(here, NON_ALPHANUMERIC)
                );
                Err(Redirect::to(&to).into_response())
            }
        }
    }
}

/// An administrator on a page: the only way to reach the administration handlers.
pub struct Admin(pub User, pub PageCtx);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(user, ctx) = SignedIn::from_request_parts(parts, state).await?;
        if user.is_admin() {
            Ok(Admin(user, ctx))
        } else {
            Err(PageError::page(ctx, StatusCode::FORBIDDEN))
        }
    }
}

/// The user behind a valid API token.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| rest.trim().to_owned())
            });
        let user = match token {
            Some(t) => tokens::authenticate(&state.db, &t).await.map_err(|e| {
                ApiError::Internal(anyhow::Error::new(e).context("token lookup")).into_response()
            })?,
            None => None,
        };
        match user {
            Some(u) => Ok(ApiUser(u)),
            None => {
                let mut res = ApiError::Unauthorized.into_response();
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                Err(res)
            }
        }
    }
}

/// Whoever calls a public API endpoint: `None` without an `Authorization`
/// header; a header with a token that is not valid still gets 401 (a client
/// that means to authenticate should learn that it failed).
pub struct ApiVisitor(pub Option<User>);

impl FromRequestParts<AppState> for ApiVisitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(ApiVisitor(None));
        }
        let ApiUser(u) = ApiUser::from_request_parts(parts, state).await?;
        Ok(ApiVisitor(Some(u)))
    }
}
