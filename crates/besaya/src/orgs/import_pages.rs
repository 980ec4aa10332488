//! The import on the pages: upload → the check runs in the background while the
//! page shows its progress → the report (every bad row, downloadable) → commit
//! of a clean file in one transaction, again with progress.
//!
//! Uploaded files wait in memory for their commit, one hour at most, visible
//! only to who uploaded them. (With several instances, route a user to one.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::import::{self, Committed, Progress, Report};
use super::policy;
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, secret};
use crate::i18n::Tr;
use crate::web::page::{PageCtx, PageError, redirect_with, render};

const KEEP: Duration = Duration::from_secs(3600);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/directory/import", get(upload_page).post(upload))
        .route("/directory/import/template.csv", get(template))
        .route("/directory/import/{id}", get(status_page))
        .route("/directory/import/{id}/commit", post(commit))
        .route("/directory/import/{id}/errors.csv", get(errors_csv))
        .layer(DefaultBodyLimit::disable())
}

#[derive(Debug)]
enum Stage {
    Checking,
    Checked(Report),
    Committing(Report),
    Done(Result<Committed, String>),
}

struct Session {
    owner: String,
    file_name: String,
    created: Instant,
    progress: Arc<Progress>,
    stage: Stage,
}

/// The imports in progress, by id.
#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sessions")
    }
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Template)]
#[template(path = "orgs/import.html")]
struct UploadPage {
    ctx: PageCtx,
    error: Option<String>,
    max_mb: u64,
}

async fn upload_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_create(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    render(&UploadPage {
        ctx,
        error: None,
        max_mb: state.config.import_max_mb,
    })
}

fn upload_error(state: &AppState, ctx: PageCtx, key: &str, status: StatusCode) -> Response {
    let error = Some(ctx.tr.t1(key, "max", state.config.import_max_mb as i64));
    (
        status,
        render(&UploadPage {
            ctx,
            error,
            max_mb: state.config.import_max_mb,
        }),
    )
        .into_response()
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    token: axum::Extension<CsrfToken>,
    mut multipart: Multipart,
) -> Response {
    if !policy::can_create(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let max = state.config.import_max_mb.saturating_mul(1024 * 1024) as usize;
    let mut csrf_ok = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return upload_error(&state, ctx, "import-err-upload", StatusCode::BAD_REQUEST);
            }
        };
        match field.name() {
            Some("_csrf") => {
                let value = field.text().await.unwrap_or_default();
                csrf_ok = token
                    .existing()
                    .is_some_and(|e| secret::constant_time_eq(e.as_bytes(), value.as_bytes()));
            }
            Some("file") if csrf_ok => {
                let name = field.file_name().unwrap_or("").to_owned();
                let mut field = field;
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > max {
                                return upload_error(
                                    &state,
                                    ctx,
                                    "import-err-too-large",
                                    StatusCode::PAYLOAD_TOO_LARGE,
                                );
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(_) => {
                            return upload_error(
                                &state,
                                ctx,
                                "import-err-upload",
                                StatusCode::BAD_REQUEST,
                            );
                        }
                    }
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return upload_error(
            &state,
            ctx,
            "import-err-no-file",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let id = secret::random_token();
    let progress = Arc::new(Progress::default());
    {
        let mut sessions = state.imports.lock();
        // An hour at most; and one waiting import per person (a new upload
        // replaces the previous one unless that one is being written).
        sessions.retain(|_, s| {
            s.created.elapsed() < KEEP
                && (s.owner != user.id || matches!(s.stage, Stage::Committing(_)))
        });
        sessions.insert(
            id.clone(),
            Session {
                owner: user.id.clone(),
                file_name,
                created: Instant::now(),
                progress: progress.clone(),
                stage: Stage::Checking,
            },
        );
    }
    let tr = ctx.tr.clone();
    let task_state = state.clone();
    let task_id = id.clone();
    tokio::spawn(async move {
        let existing = import::existing_tax_ids(&task_state.db).await;
        let catalog = task_state.catalog.clone();
        let report = match existing {
            Ok(existing) => tokio::task::spawn_blocking(move || {
                import::check(&bytes, &catalog, &tr, &existing, &progress)
            })
            .await
            .unwrap_or_default(),
            Err(e) => {
                tracing::error!(error = %e, "import check failed");
                Report::default()
            }
        };
        if let Some(s) = task_state.imports.lock().get_mut(&task_id) {
            s.stage = Stage::Checked(report);
        }
    });
    redirect_with(&format!("/directory/import/{id}"), &[])
}

#[derive(Template)]
#[template(path = "orgs/import_status.html")]
struct StatusPage {
    ctx: PageCtx,
    id: String,
    file_name: String,
    /// `checking`, `checked`, `committing`, `done`, `failed`.
    stage: &'static str,
    done: usize,
    total: usize,
    rows: usize,
    new: usize,
    updates: usize,
    errors: Vec<import::RowError>,
    error_count: usize,
    ignored: Vec<String>,
    clean: bool,
    created: usize,
    updated: usize,
    failure: String,
}

async fn status_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let sessions = state.imports.lock();
    let Some(s) = sessions.get(&id).filter(|s| s.owner == user.id) else {
        drop(sessions);
        return ctx.not_found().into_response();
    };
    let progress = (
        s.progress.done.load(std::sync::atomic::Ordering::Relaxed),
        s.progress.total.load(std::sync::atomic::Ordering::Relaxed),
    );
    let mut page = StatusPage {
        id: id.clone(),
        file_name: s.file_name.clone(),
        stage: "checking",
        done: progress.0,
        total: progress.1,
        rows: 0,
        new: 0,
        updates: 0,
        errors: Vec::new(),
        error_count: 0,
        ignored: Vec::new(),
        clean: false,
        created: 0,
        updated: 0,
        failure: String::new(),
        ctx,
    };
    match &s.stage {
        Stage::Checking => {}
        Stage::Checked(r) | Stage::Committing(r) => {
            page.stage = if matches!(s.stage, Stage::Checked(_)) {
                "checked"
            } else {
                "committing"
            };
            page.rows = r.rows;
            page.new = r.new;
            page.updates = r.updates;
            page.errors = r.errors.iter().take(500).cloned().collect();
            page.error_count = r.errors.len();
            page.ignored = r.ignored_columns.clone();
            page.clean = r.is_clean();
        }
        Stage::Done(Ok(c)) => {
            page.stage = "done";
            page.created = c.created;
            page.updated = c.updated;
        }
        Stage::Done(Err(e)) => {
            page.stage = "failed";
            page.failure = e.clone();
        }
    }
    drop(sessions);
    render(&page)
}

#[derive(Deserialize)]
struct Empty {}

async fn commit(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if !policy::can_create(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let (rows, progress) = {
        let mut sessions = state.imports.lock();
        let Some(s) = sessions.get_mut(&id).filter(|s| s.owner == user.id) else {
            drop(sessions);
            return ctx.not_found().into_response();
        };
        match std::mem::replace(&mut s.stage, Stage::Checking) {
            Stage::Checked(mut r) if r.is_clean() => {
                let rows = std::mem::take(&mut r.valid);
                s.stage = Stage::Committing(r);
                (rows, s.progress.clone())
            }
            other => {
                // Not ready, not clean or already done: back to the report.
                s.stage = other;
                drop(sessions);
                return redirect_with(&format!("/directory/import/{id}"), &[]);
            }
        }
    };
    let task_state = state.clone();
    let actor = user.id.clone();
    let task_id = id.clone();
    tokio::spawn(async move {
        let result = import::commit(&task_state.db, Some(&actor), &rows, &progress)
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(error = %e, "import commit failed; nothing was written");
        }
        if let Err(e) = task_state
            .directory
            .sync(&task_state.db, &task_state.catalog)
            .await
        {
            tracing::error!(error = %e, "directory index sync failed");
        }
        if let Some(s) = task_state.imports.lock().get_mut(&task_id) {
            s.stage = Stage::Done(result);
        }
    });
    redirect_with(&format!("/directory/import/{id}"), &[])
}

async fn errors_csv(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let bytes = {
        let sessions = state.imports.lock();
        match sessions
            .get(&id)
            .filter(|s| s.owner == user.id)
            .map(|s| &s.stage)
        {
            Some(Stage::Checked(r) | Stage::Committing(r)) => r.errors_csv(&ctx.tr),
            _ => {
                drop(sessions);
                return ctx.not_found().into_response();
            }
        }
    };
    file_response(bytes, "errores-importacion.csv")
}

fn file_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn template(SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr: &Tr = &ctx.tr;
    file_response(import::template_csv(tr), "plantilla-organizaciones.csv")
}
