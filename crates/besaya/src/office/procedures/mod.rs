//! Administrative procedures (trámites) of investor projects, across the
//! administrations that decide them, with their legal clocks (Ley 39/2015):
//! the catalogue, the procedures of a project with their events, due dates,
//! pauses, silence and the critical path, the administrations' own view, the
//! investor's checklist, the dashboard and the calendar entries.
//!
//! Rooms: `model` (records), `calendar` (holidays: national and Cantabrian,
//! embedded, plus local ones), `store` (storage, the clock kept current), `api`,
//! `mail`, `pages` (the project's tab, the administration's pages, the investor's
//! tab), `pages_admin` (the catalogue and local holidays), `dashboard`, `demo`.
//! The legal rules themselves are pure, in `besaya_domain::procedures`.

pub mod api;
pub mod calendar;
pub mod dashboard;
pub mod demo;
pub mod mail;
pub mod model;
pub mod pages;
pub mod pages_admin;
pub mod store;

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

/// The pages of procedures.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(pages_admin::router())
        .merge(dashboard::router())
}

/// The routes of procedures under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(api::api_router())
        .merge(dashboard::api_router())
}

/// The procedures' part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::Api::openapi();
    doc.merge(dashboard::Api::openapi());
    doc
}
