//! The Industrial Pact, part 1: large companies' needs, the local organisations
//! that could answer them (ranked and explained), brokered answers with double
//! opt-in, the response clock in business days, the outcome funnel, the
//! dashboard and a public summary.
//!
//! Rooms: `model` (records), `policy` (who sees what), `store` (storage, the
//! life cycle, events), `matching` (the directory's organisations as the ranking
//! reads them; the ranking itself is pure, in `besaya_domain::matching`), `api`,
//! `mail`, `jobs` (overdue reminders, expiry, follow-ups), `pages` (needs),
//! `pages_answers` (invitations, expressions of interest, offers, shortlist),
//! `dashboard`, `followups` (3 and 6 months after an agreement), `demo`. The rules of needs are in `besaya_domain::pact`.
//!
//! Part 2, the alliance itself (rules in `besaya_domain::alliance`): `alliance`
//! (who has a seat in the workspace, references), `members` (members by college,
//! representatives, working groups), `meetings` (agenda, documents, minutes,
//! attendance, agreements, invitations and minutes by e-mail, ICS),
//! `commitments` (the tree of results, milestones, CSV), `indicators` (values
//! computed from the platform's records, with the records behind them),
//! `report` (the semester report), `progress` (the public page),
//! `alliance_demo`.

pub mod alliance;
pub mod alliance_demo;
pub mod api;
pub mod commitments;
pub mod dashboard;
pub mod demo;
pub mod followups;
pub mod indicators;
pub mod jobs;
pub mod mail;
pub mod matching;
pub mod meetings;
pub mod members;
pub mod model;
pub mod pages;
pub mod pages_answers;
pub mod policy;
pub mod progress;
pub mod report;
pub mod store;

use axum::Router;

use crate::AppState;
use crate::i18n::Tr;
use crate::web::invalid::Messages;

/// Validation messages of the Pact: `pact-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactMessages;

impl Messages for PactMessages {
    const PREFIX: &'static str = "pact-err-";
}

pub type Invalid = crate::web::invalid::Invalid<PactMessages>;

/// The Pact's pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(pages_answers::router())
        .merge(dashboard::router())
        .merge(followups::router())
        .merge(members::router())
        .merge(meetings::router())
        .merge(commitments::router())
        .merge(indicators::router())
        .merge(report::router())
        .merge(progress::router())
}

/// The Pact's routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(api::api_router())
        .merge(dashboard::api_router())
        .merge(members::api_router())
        .merge(meetings::api_router())
        .merge(commitments::api_router())
        .merge(indicators::api_router())
}

/// The Pact's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi();
    doc.merge(dashboard::openapi());
    doc.merge(members::openapi());
    doc.merge(meetings::openapi());
    doc.merge(commitments::openapi());
    doc.merge(indicators::openapi());
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
