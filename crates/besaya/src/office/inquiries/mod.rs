//! Inquiries from the public site: the form at `/inquiry` and `POST
//! /api/v1/inquiries` (no login, a honeypot, a rate limit per client address
//! counted in the database), one owner on the staff for each (the one with the
//! fewest open inquiries), e-mails to the sender and the owner, the response
//! clock against `inquiry_response_hours`, and the office's list and page where
//! an inquiry is reassigned, answered, dismissed or qualified into a project.
//!
//! Rooms: `store` (the record, validation, storage), `mail` (the messages),
//! `api` (`/api/v1/inquiries`), `pages` (the public form and the office's pages).

pub mod api;
pub mod mail;
pub mod pages;
pub mod store;

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

pub use mail::InquiryMail;

/// Validation messages of inquiries: `office-inq-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryMessages;

impl crate::web::invalid::Messages for InquiryMessages {
    const PREFIX: &'static str = "office-inq-err-";
}

pub type Invalid = crate::web::invalid::Invalid<InquiryMessages>;

#[derive(OpenApi)]
#[openapi(paths(
    api::submit,
    api::list,
    api::read,
    api::update,
    api::answer,
    api::dismiss,
    api::qualify,
))]
pub struct Api;

/// The public form and the office's pages.
pub fn router() -> Router<AppState> {
    pages::router()
}

/// `/api/v1/inquiries`.
pub fn api_router() -> Router<AppState> {
    api::api_router()
}
