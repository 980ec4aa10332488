//! CSRF protection for every form: a random token in an `HttpOnly; SameSite=Lax`
//! cookie, repeated in a hidden `_csrf` field that only our own pages can know.
//! A POST whose field does not match the cookie is refused with 403. Session
//! cookies are `SameSite=Lax` as a second barrier.

use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::secret;
use crate::AppState;
use crate::web::PageError;
use crate::web::page::{PageCtx, cookie};

pub const COOKIE: &str = "besaya_csrf";

/// The request's CSRF token, put in the extensions by [`CsrfLayer`]: the visitor's from
/// the cookie, or a new one made the first time a page renders a form (pages without
/// forms cost nothing).
#[derive(Debug, Clone, Default)]
pub struct CsrfToken(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    existing: Option<String>,
    fresh: OnceLock<String>,
}

impl CsrfToken {
    /// The value a form must repeat.
    pub fn value(&self) -> &str {
        match &self.0.existing {
            Some(t) => t,
            None => self.0.fresh.get_or_init(secret::random_token),
        }
    }

    /// The value the visitor's cookie holds, if any.
    pub fn existing(&self) -> Option<&str> {
        self.0.existing.as_deref()
    }
}

/// Middleware hooks: read the CSRF cookie, and set it when the page made a new token.
#[derive(Debug, Clone, Copy)]
pub struct CsrfLayer;

impl crate::web::around::Hooks for CsrfLayer {
    type Carry = CsrfToken;

    fn before(&self, req: &mut Request) -> CsrfToken {
        let existing = cookie(req.headers(), COOKIE)
            .filter(|v| secret::looks_like_token(v))
            .map(str::to_owned);
        let token = CsrfToken(Arc::new(Inner {
            existing,
            fresh: OnceLock::new(),
        }));
        req.extensions_mut().insert(token.clone());
        token
    }

    fn after(&self, token: CsrfToken, res: &mut Response) {
        if let Some(fresh) = token.0.fresh.get()
            && let Ok(v) =
                HeaderValue::from_str(&format!("{COOKIE}={fresh}; Path=/; HttpOnly; SameSite=Lax"))
        {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
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
        let expected = parts
            .extensions
            .get::<CsrfToken>()
            .and_then(|t| t.existing().map(str::to_owned));
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
