//! The administrator's view of the job queue, with a retry button for failed jobs.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Admin;
use crate::auth::csrf::CsrfForm;
use crate::web::page::{flash_cookie, redirect_with};
use crate::web::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/jobs", get(page))
        .route("/admin/jobs/{id}/retry", post(retry))
}

#[derive(Debug, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: String,
    pub last_error: Option<String>,
    pub updated_at: String,
}

#[derive(Template)]
#[template(path = "jobs/list.html")]
struct JobsPage {
    ctx: PageCtx,
    counts: Vec<(String, i64)>,
    jobs: Vec<JobRow>,
}

async fn page(State(state): State<AppState>, Admin(_, ctx): Admin) -> Response {
    let loaded = async {
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
                .fetch_all(state.db.reader())
                .await?;
        // Failed first, then waiting, then the latest done.
        let jobs: Vec<JobRow> = sqlx::query_as(
            "SELECT id, kind, status, attempts, max_attempts, run_at, last_error, updated_at FROM jobs \
             ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'running' THEN 1 WHEN 'pending' THEN 2 ELSE 3 END, updated_at DESC LIMIT 200",
        )
        .fetch_all(state.db.reader())
        .await?;
        Ok::<_, sqlx::Error>((counts, jobs))
    }
    .await;
    match loaded {
        Ok((counts, jobs)) => {
            let counts = counts
                .into_iter()
                .map(|(s, n)| (ctx.tr.t(&format!("job-status-{s}")).to_owned(), n))
                .collect();
            render(&JobsPage { ctx, counts, jobs })
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn retry(
    State(state): State<AppState>,
    Admin(admin, ctx): Admin,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let done = async {
        let mut tx = state.db.writer().begin().await?;
        let ok = super::retry(&mut tx, Some(&admin.id), &id).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(ok)
    }
    .await;
    match done {
        Ok(true) => redirect_with("/admin/jobs", &[flash_cookie("flash-job-retried")]),
        Ok(false) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}
