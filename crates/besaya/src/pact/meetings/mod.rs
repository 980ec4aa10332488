//! The working groups' meetings: agenda, documents, minutes, attendance and
//! agreements; convocations and minutes by e-mail; ICS.
//!
//! Rooms: `model` (records), `store` (reading as a seat may, audited writes of
//! those who run the group), `api` (`/api/v1/pact/meetings…`,
//! `/api/v1/pact/agreements/{id}`), `pages` (`/pact/meetings…`,
//! `/pact/groups/{id}/meetings/new`), `mail` (convocation, minutes), `ics`
//! (one meeting's `.ics`, the events of the user's calendar feed).
//!
//! Who: every seat of the pact reads; the secretariat and the representatives of
//! the group's chair write (another seat: 403); without a seat, 404.

pub mod api;
pub mod ics;
pub mod mail;
pub mod model;
pub mod pages;
pub mod store;

use axum::Router;

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
    api::openapi()
}
