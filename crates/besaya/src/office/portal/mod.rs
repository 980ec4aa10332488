//! The investor's side of a project: documents requested of the investor and
//! uploaded by it (or the office's own), one thread of messages between the
//! investor's users and the office, the invitation of the investor's people to
//! the portal, and the portal's pages (`/portal`), where an investor follows its
//! own projects.
//!
//! Who may do what (on top of [`crate::office::policy`]):
//! - the office with `access.edit` requests, uploads and reviews documents,
//!   writes messages and invites the investor's people;
//! - staff who may not see the investor (a confidential project they are not on)
//!   may not read documents or messages either (403): both name the investor;
//! - the investor's users see the documents shown to them (requests, and files
//!   the office shares), upload the requested ones and write messages; anything
//!   else of the project is 404 to them, like another investor's project.

pub mod api;
pub mod documents;
pub mod invite;
pub mod kind;
pub mod mail;
pub mod messages;
pub mod pages;
mod upload;

use axum::Router;

use crate::AppState;
use crate::web::invalid::Messages;

pub use api::Api;

/// Validation messages of the portal: `portal-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalMessages;

impl Messages for PortalMessages {
    const PREFIX: &'static str = "portal-err-";
}

pub type Invalid = crate::web::invalid::Invalid<PortalMessages>;

/// The portal's pages and the office's documents and messages tabs.
pub fn router() -> Router<AppState> {
    pages::router()
}

/// `/api/v1/projects/{id}/documents`, `/messages` and `/invitations`.
pub fn api_router() -> Router<AppState> {
    api::api_router()
}
