//! CSRF protection for every form: a random token in an `HttpOnly; SameSite=Lax`
//! cookie, repeated in a hidden `_csrf` field that only our own pages can know.
//! A POST whose field does not match the cookie is refused with 403. Session
//! cookies are `SameSite=Lax` as a second barrier.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::secret;
use crate::AppState;
use crate::web::PageError;
use crate::web::page::{PageCtx, cookie_value};

pub const COOKIE: &str = "besaya_csrf";

/// The request's CSRF token (from its cookie, or new), put in the extensions by [`layer`].
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Middleware: makes sure every visitor has a CSRF cookie.
pub async fn layer(mut req: Request, next: Next) -> Response {
    let existing = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| cookie_value(v, COOKIE))
        .filter(|v| secret::looks_like_token(v))
        .map(str::to_owned);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (secret::random_token(), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    if fresh
        && let Ok(v) =
            HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct Field {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A url-encoded form whose `_csrf` field matched the cookie.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let ctx = match <PageCtx as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, state,
        )
        .await
        {
            Ok(ctx) => ctx,
            Err(never) => match never {},
        };
        let ctx: PageCtx = ctx;
        let expected = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone());
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError::page(ctx.clone(), StatusCode::PAYLOAD_TOO_LARGE))?;
        let field: Field = serde_urlencoded::from_bytes(&bytes).unwrap_or(Field {
            csrf: String::new(),
        });
        let ok =
            expected.is_some_and(|e| secret::constant_time_eq(e.as_bytes(), field.csrf.as_bytes()));
        if !ok {
            return Err(PageError::page(ctx, StatusCode::FORBIDDEN));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| {
                tracing::info!(error = %e, "malformed form");
                PageError::page(ctx, StatusCode::BAD_REQUEST).into_response()
            })
    }
}
