//! TODO(helper): module docs.

use axum::Router;

use crate::AppState;

/// Pages.
pub fn router() -> Router<AppState> {
    Router::new()
}

/// Routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
}

/// OpenAPI part.
pub fn openapi() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new().build()
}
