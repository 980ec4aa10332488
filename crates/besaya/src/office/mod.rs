//! The Office for attracting industrial investment: inquiries from the public
//! site with a response clock, investor projects through their whole life cycle
//! (stages, team, timeline), interactions and tasks with e-mail reminders, site
//! proposals from the sites matching, documents and messages with the investor
//! on its portal, the dashboard, and a private calendar feed per user.
//!
//! Rooms: `projects` (record, storage, timeline — every part writes to it),
//! `policy` (need-to-know access), `api` and `pages` (projects and the board),
//! `inquiries`, `work` (interactions, tasks, reminders, calendar), `proposals`,
//! `portal` (documents, messages, the investor's pages), `dashboard`, `demo`.

pub mod api;
pub mod dashboard;
pub mod demo;
pub mod inquiries;
pub mod pages;
mod pages_form;
pub mod policy;
pub mod portal;
pub mod procedures;
pub mod projects;
pub mod proposals;
pub mod work;

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;
use crate::i18n::Tr;
use crate::web::invalid::Messages;

/// Validation messages of the Office: `office-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeMessages;

impl Messages for OfficeMessages {
    const PREFIX: &'static str = "office-err-";
}

pub type Invalid = crate::web::invalid::Invalid<OfficeMessages>;

/// The Office's pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(inquiries::router())
        .merge(work::router())
        .merge(proposals::router())
        .merge(portal::router())
        .merge(dashboard::router())
        .merge(procedures::router())
}

/// The Office's routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(api::api_router())
        .merge(inquiries::api_router())
        .merge(work::api_router())
        .merge(proposals::api_router())
        .merge(portal::api_router())
        .merge(dashboard::api_router())
        .merge(procedures::api_router())
}

/// The Office's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::Api::openapi();
    doc.merge(inquiries::Api::openapi());
    doc.merge(work::Api::openapi());
    doc.merge(proposals::Api::openapi());
    doc.merge(portal::Api::openapi());
    doc.merge(dashboard::Api::openapi());
    doc.merge(procedures::openapi());
    doc
}

/// Messages of the API in English (the API's language), like the other modules.
pub fn english(state: &AppState) -> Tr {
    Tr::new(state.i18n.clone(), crate::i18n::Lang::En)
}

/// The field errors of a validation as the API's 422.
pub fn invalid(state: &AppState, errs: &[Invalid]) -> crate::api::ApiError {
    let en = english(state);
    crate::api::ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
}
