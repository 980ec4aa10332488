//! The office's working notes on a project: interactions with the investor
//! (meetings, calls, visits, e-mails), tasks with e-mail reminders, and a
//! private calendar (ICS) feed per user.
//!
//! Rooms: `store` (records, validation, storage), `api` (`/api/v1/projects/{id}/
//! interactions` and `/tasks`), `pages` (the project's activity tab and one's
//! open tasks), `reminders` (the e-mails the job worker sends), `calendar` (the
//! feed and its account page), `ics` (writing RFC 5545), `madrid` (the office's
//! clock).

pub mod api;
pub mod calendar;
pub mod ics;
pub mod madrid;
pub mod pages;
pub mod reminders;
pub mod store;

use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

pub use reminders::{scan as scan_reminders, send_task_reminders};

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list_interactions,
        api::read_interaction,
        api::create_interaction,
        api::update_interaction,
        api::delete_interaction,
        api::list_tasks,
        api::read_task,
        api::create_task,
        api::update_task,
        api::delete_task,
    ),
    components(schemas(
        store::Interaction,
        store::InteractionInput,
        store::Task,
        store::TaskInput
    ))
)]
pub struct Api;

/// The pages: the activity tab, one's tasks, the calendar feed and its page.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(calendar::router())
}

/// The routes under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    api::api_router()
}
