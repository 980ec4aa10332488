//! (being written)

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

#[derive(OpenApi)]
#[openapi()]
pub struct Api;

pub fn router() -> Router<AppState> {
    Router::new()
}

pub fn api_router() -> Router<AppState> {
    Router::new()
}
