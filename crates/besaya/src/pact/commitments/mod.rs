//! The Pact's commitments: a tree of results rolled up by weight (a node's
//! progress is the weighted mean of its live children; a leaf's is typed in or
//! comes from an indicator of the platform), with milestones, the meetings
//! where each was decided and reviewed, commitments made from agreements, and
//! the tree as CSV (export, and import back with a preview).
//!
//! Rooms: `model` (the contract with the indicators, report and public page),
//! `store` (storage, rules of who writes), `csv` (export and import), `api`,
//! `pages`.

pub mod api;
pub mod csv;
pub mod model;
pub mod pages;
pub mod store;

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

/// Pages.
pub fn router() -> Router<AppState> {
    pages::router()
}

/// Routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    api::api_router()
}

/// OpenAPI part.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::Api::openapi()
}
