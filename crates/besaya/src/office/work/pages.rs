//! The office's pages for a project's activity (`/office/projects/{id}/activity`:
//! interactions newest first, open tasks by due day with the overdue ones
//! marked, done tasks, forms to log an interaction and add a task) and the
//! signed-in member's open tasks across projects (`/office/tasks`). Plain forms
//! with a CSRF token, POST-redirect-GET; errors next to each field.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::directory::parse_number;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::madrid;
use super::store::{
    self, Interaction, InteractionInput, KINDS, Task, TaskFilter, TaskInput, WriteError,
};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::Tr;
use crate::office::Invalid;
use crate::office::policy::{self, Access};
use crate::office::projects::{self, Project};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/projects/{id}/activity", get(activity_page))
        .route("/office/projects/{id}/interactions", post(log_interaction))
        .route("/office/projects/{id}/tasks", post(add_task))
        .route("/office/projects/{id}/tasks/{tid}/done", post(mark_done))
        .route("/office/projects/{id}/tasks/{tid}/reopen", post(reopen))
        .route("/office/tasks", get(my_tasks_page))
}

// ---- Dates in the reader's language ----

/// `1 de diciembre de 2026`, `1 December 2026`.
pub fn long_date(tr: &Tr, d: Date) -> String {
    let month = tr
        .t(&format!("office-work-month-{}", u8::from(d.month())))
        .to_owned();
    tr.tn(
        "office-work-date",
        &[
            ("day", d.day().to_string().into()),
            ("month", month.into()),
            ("year", d.year().to_string().into()),
        ],
    )
}

/// A stored time in Madrid: `1 de diciembre de 2026, 10:30`.
pub fn long_time(tr: &Tr, stored: &str) -> String {
    match madrid::parse_stored(stored) {
        Some(t) => {
            let l = madrid::local(t);
            format!(
                "{}, {:02}:{:02}",
                long_date(tr, l.date()),
                l.hour(),
                l.minute()
            )
        }
        None => stored.to_owned(),
    }
}

fn stored_day_text(tr: &Tr, stored: &str) -> String {
    store::day(stored).map_or_else(|| stored.to_owned(), |d| long_date(tr, d))
}

// ---- What the pages show ----

/// A task as the pages list it.
pub struct TaskView {
    pub id: String,
    pub project_id: String,
    pub project_title: String,
    pub title: String,
    pub notes: String,
    pub due: String,
    pub due_on: String,
    pub owner_name: String,
    pub overdue: bool,
    pub done: String,
    pub version: i64,
}

impl TaskView {
    fn new(tr: &Tr, t: Task, project_title: &str) -> Self {
        Self {
            due: stored_day_text(tr, &t.due_on),
            done: t
                .done_at
                .as_deref()
                .map(|d| stored_day_text(tr, d))
                .unwrap_or_default(),
            id: t.id,
            project_id: t.project_id,
            project_title: project_title.to_owned(),
            title: t.title,
            notes: t.notes,
            due_on: t.due_on,
            owner_name: t.owner_name,
            overdue: t.overdue,
            version: t.version,
        }
    }
}

/// An interaction as the activity page lists it.
pub struct InteractionView {
    pub kind: String,
    pub kind_label: String,
    pub when: String,
    /// For `<time datetime>`.
    pub at: String,
    pub duration: String,
    pub subject: String,
    pub people: String,
    pub location: String,
    /// The notes, line by line.
    pub notes: Vec<String>,
    pub by: String,
}

impl InteractionView {
    fn new(tr: &Tr, i: Interaction) -> Self {
        Self {
            kind_label: tr.t(&format!("office-work-kind-{}", i.kind)).to_owned(),
            when: long_time(tr, &i.occurred_at),
            duration: i
                .duration_minutes
                .map(|m| tr.t1("office-work-minutes", "count", m))
                .unwrap_or_default(),
            kind: i.kind,
            at: i.occurred_at,
            subject: i.subject,
            people: i.people,
            location: i.location.unwrap_or_default(),
            notes: i
                .notes
                .lines()
                .map(str::to_owned)
                .skip_while(|l| l.trim().is_empty())
                .collect(),
            by: i.created_by_name.unwrap_or_default(),
        }
    }
}

/// The interaction form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct InteractionForm {
    pub kind: String,
    pub occurred_at: String,
    pub duration_minutes: String,
    pub subject: String,
    pub people: String,
    pub location: String,
    pub notes: String,
}

/// The task form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    pub due_on: String,
    pub owner_id: String,
    pub notes: String,
}

/// Marking a task done or open again.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct DoneForm {
    version: i64,
    /// `tasks`: back to the list of one's tasks; else the project's activity.
    back: String,
}

#[derive(Template)]
#[template(path = "office/work/activity.html")]
struct ActivityPage {
    ctx: PageCtx,
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    /// The member may see the project but not its activity.
    restricted: bool,
    open: Vec<TaskView>,
    done: Vec<TaskView>,
    interactions: Vec<InteractionView>,
    kinds: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    iform: InteractionForm,
    tform: TaskForm,
    errors: FormErrors,
    notice: Option<String>,
}

impl ActivityPage {
    /// The page as it stands; `iform`/`tform` keep what was typed after an error.
    async fn load(
        state: &AppState,
        ctx: PageCtx,
        user: &User,
        project: &Project,
        access: Access,
    ) -> Result<Self, Response> {
        let tr = ctx.tr.clone();
        let title = project.title(access).to_owned();
        let mut page = Self {
            project_id: project.id.clone(),
            project_title: title.clone(),
            tab: "activity",
            portal: false,
            restricted: !access.edit,
            open: Vec::new(),
            done: Vec::new(),
            interactions: Vec::new(),
            kinds: KINDS
                .iter()
                .map(|k| {
                    (
                        (*k).to_owned(),
                        tr.t(&format!("office-work-kind-{k}")).to_owned(),
                    )
                })
                .collect(),
            owners: Vec::new(),
            iform: InteractionForm {
                kind: "meeting".into(),
                occurred_at: madrid::input_value(OffsetDateTime::now_utc()),
                ..InteractionForm::default()
            },
            tform: TaskForm {
                owner_id: user.id.clone(),
                ..TaskForm::default()
            },
            errors: FormErrors::default(),
            notice: None,
            ctx,
        };
        if page.restricted {
            return Ok(page);
        }
        let pool = state.db.reader();
        let loaded = async {
            let tasks = store::tasks(pool, &project.id, TaskFilter::All, None, 1000).await?;
            let interactions = store::interactions(pool, &project.id, None, 500).await?;
            let owners = store::owner_choices(pool, project).await?;
            Ok::<_, sqlx::Error>((tasks, interactions, owners))
        }
        .await;
        let (tasks, interactions, owners) = loaded.map_err(|e| page.ctx.fail(e).into_response())?;
        let (mut done, open): (Vec<Task>, Vec<Task>) = tasks.into_iter().partition(|t| t.done);
        // Open ones by due day (as read); done ones most recently done first.
        done.sort_by(|a, b| b.done_at.cmp(&a.done_at).then_with(|| a.id.cmp(&b.id)));
        page.open = open
            .into_iter()
            .map(|t| TaskView::new(&tr, t, &title))
            .collect();
        page.done = done
            .into_iter()
            .map(|t| TaskView::new(&tr, t, &title))
            .collect();
        page.interactions = interactions
            .into_iter()
            .map(|i| InteractionView::new(&tr, i))
            .collect();
        page.owners = owners;
        Ok(page)
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }
}

/// The project of a page, when the user is of the office and may see it.
async fn project_for(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<(Project, Access), Response> {
    if !policy::is_office(user) {
        return Err(PageError::page(ctx.clone(), StatusCode::FORBIDDEN));
    }
    if !store::plausible_id(id) {
        return Err(ctx.not_found().into_response());
    }
    match projects::visible(state.db.reader(), user, id).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

fn activity_url(id: &str) -> String {
    format!("/office/projects/{id}/activity")
}

async fn activity_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (project, access) = match project_for(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match ActivityPage::load(&state, ctx, &user, &project, access).await {
        Ok(page) => {
            let status = if page.restricted {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            page.respond(status)
        }
        Err(r) => r,
    }
}

/// The page again with what was typed and the errors (422), or the 403 page
/// for a member who may not work on the project.
async fn with_errors(
    state: &AppState,
    ctx: PageCtx,
    user: &User,
    project: &Project,
    access: Access,
    status: StatusCode,
    setup: impl FnOnce(&mut ActivityPage),
) -> Response {
    match ActivityPage::load(state, ctx, user, project, access).await {
        Ok(mut page) => {
            if page.restricted {
                return page.respond(StatusCode::FORBIDDEN);
            }
            setup(&mut page);
            page.respond(status)
        }
        Err(r) => r,
    }
}

/// The messages of field errors, under the form's ids (`i-subject`, `t-title`).
fn form_errors(
    tr: &Tr,
    prefix: &str,
    order: &[&str],
    parsed: FormErrors,
    invalid: &[Invalid],
) -> FormErrors {
    let mut all: Vec<(String, String)> = parsed.items().to_vec();
    for i in invalid {
        let id = format!("{prefix}{}", i.field);
        if all.iter().any(|(f, _)| *f == id) {
            continue;
        }
        all.push((id, i.message(tr)));
    }
    let position = |f: &str| {
        order
            .iter()
            .position(|o| f.strip_prefix(prefix) == Some(*o))
            .unwrap_or(order.len())
    };
    all.sort_by_key(|(f, _)| position(f));
    let mut out = FormErrors::default();
    for (f, m) in all {
        out.add(&f, m);
    }
    out
}

const INTERACTION_FIELDS: [&str; 7] = [
    "kind",
    "occurred_at",
    "duration_minutes",
    "subject",
    "people",
    "location",
    "notes",
];
const TASK_FIELDS: [&str; 4] = ["title", "due_on", "owner_id", "notes"];

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn log_interaction(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<InteractionForm>,
) -> Response {
    let (project, access) = match project_for(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let mut parsed = FormErrors::default();
    let duration = match opt(&form.duration_minutes) {
        None => None,
        Some(raw) => match parse_number(&raw).filter(|n| n.fract() == 0.0 && n.abs() < 1e9) {
            Some(n) => Some(n as i64),
            None => {
                parsed.add(
                    "i-duration_minutes",
                    Invalid::with("duration_minutes", "out_of_range", "1–1440").message(&tr),
                );
                None
            }
        },
    };
    let input = InteractionInput {
        kind: opt(&form.kind),
        occurred_at: opt(&form.occurred_at),
        duration_minutes: duration,
        subject: opt(&form.subject),
        people: opt(&form.people),
        location: opt(&form.location),
        notes: opt(&form.notes),
    };
    let checked = if access.edit {
        store::validate_interaction(&input)
    } else {
        Err(Vec::new())
    };
    let valid = match checked {
        Ok(v) if parsed.is_empty() => v,
        other => {
            let invalid = other.err().unwrap_or_default();
            let errors = form_errors(&tr, "i-", &INTERACTION_FIELDS, parsed, &invalid);
            return with_errors(
                &state,
                ctx,
                &user,
                &project,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                |p| {
                    p.iform = form;
                    p.errors = errors;
                },
            )
            .await;
        }
    };
    let done = in_tx!(state, |tx| store::create_interaction(
        &mut tx,
        Some(&user.id),
        &id,
        &valid
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(
            &activity_url(&id),
            &[flash_cookie("flash-work-interaction-saved")],
        ),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn add_task(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Response {
    let (project, access) = match project_for(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let input = TaskInput {
        title: opt(&form.title),
        notes: opt(&form.notes),
        due_on: opt(&form.due_on),
        owner_id: opt(&form.owner_id),
        done: Some(false),
    };
    let checked = if access.edit {
        store::validate_task(&input, &user)
    } else {
        Err(Vec::new())
    };
    let fail = |invalid: Vec<Invalid>, form: TaskForm, ctx: PageCtx| {
        let errors = form_errors(&tr, "t-", &TASK_FIELDS, FormErrors::default(), &invalid);
        let state = state.clone();
        let user = user.clone();
        let project = project.clone();
        async move {
            with_errors(
                &state,
                ctx,
                &user,
                &project,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                |p| {
                    p.tform = form;
                    p.errors = errors;
                },
            )
            .await
        }
    };
    let valid = match checked {
        Ok(v) => v,
        Err(invalid) => return fail(invalid, form, ctx).await,
    };
    let done: Result<Result<String, WriteError>, sqlx::Error> = async {
        let mut tx = state.db.writer().begin().await?;
        let errs = store::check_owner(&mut tx, &project, &valid.owner_id).await?;
        if !errs.is_empty() {
            return Ok(Err(WriteError::Invalid(errs)));
        }
        let r = store::create_task(&mut tx, Some(&user.id), &id, &valid).await;
        if r.is_ok() {
            tx.commit().await?;
        }
        Ok(r)
    }
    .await;
    match done {
        Ok(Ok(_)) => redirect_with(&activity_url(&id), &[flash_cookie("flash-work-task-saved")]),
        Ok(Err(WriteError::Invalid(errs))) => fail(errs, form, ctx).await,
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn mark_done(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, tid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> Response {
    set_done(state, user, ctx, id, tid, form, true).await
}

async fn reopen(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, tid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> Response {
    set_done(state, user, ctx, id, tid, form, false).await
}

async fn set_done(
    state: AppState,
    user: User,
    ctx: PageCtx,
    id: String,
    tid: String,
    form: DoneForm,
    done: bool,
) -> Response {
    let (project, access) = match project_for(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !access.edit {
        return with_errors(
            &state,
            ctx,
            &user,
            &project,
            access,
            StatusCode::FORBIDDEN,
            |_| {},
        )
        .await;
    }
    let result: Result<Result<i64, WriteError>, sqlx::Error> = async {
        let mut tx = state.db.writer().begin().await?;
        let Some(task) = store::task(&mut tx, &id, &tid).await? else {
            return Ok(Err(WriteError::NotFound));
        };
        let v = store::ValidTask {
            title: task.title.clone(),
            notes: task.notes.clone(),
            due_on: task.due_on.clone(),
            owner_id: task.owner_id.clone(),
            done,
        };
        let r = store::update_task(&mut tx, Some(&user.id), &id, &tid, form.version, &v).await;
        if r.is_ok() {
            tx.commit().await?;
        }
        Ok::<_, sqlx::Error>(r)
    }
    .await;
    let back = if form.back == "tasks" {
        "/office/tasks".to_owned()
    } else {
        activity_url(&id)
    };
    let flash = if done {
        "flash-work-task-done"
    } else {
        "flash-work-task-reopened"
    };
    match result {
        Ok(Ok(_)) => redirect_with(&back, &[flash_cookie(flash)]),
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(WriteError::Conflict(_))) => {
            let notice = ctx.tr.t("office-work-task-conflict").to_owned();
            with_errors(
                &state,
                ctx,
                &user,
                &project,
                access,
                StatusCode::CONFLICT,
                |p| {
                    p.notice = Some(notice);
                },
            )
            .await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- My tasks ----

#[derive(Template)]
#[template(path = "office/work/tasks.html")]
struct MyTasksPage {
    ctx: PageCtx,
    tasks: Vec<TaskView>,
    /// How many, and how many overdue.
    summary: String,
}

async fn my_tasks_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::is_office(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let loaded = async {
        let tasks = store::open_tasks_of(state.db.reader(), &user.id, 1000).await?;
        let mut titles: Vec<(String, Option<String>)> = Vec::new();
        let mut conn = state.db.reader().acquire().await?;
        for t in &tasks {
            if titles.iter().any(|(p, _)| *p == t.project_id) {
                continue;
            }
            let title = projects::get(&mut conn, &t.project_id)
                .await?
                .and_then(|p| policy::access(&user, &p.case()).map(|a| p.title(a).to_owned()));
            titles.push((t.project_id.clone(), title));
        }
        Ok::<_, sqlx::Error>((tasks, titles))
    }
    .await;
    let (tasks, titles) = match loaded {
        Ok(x) => x,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let tasks: Vec<TaskView> = tasks
        .into_iter()
        .filter_map(|t| {
            let title = titles
                .iter()
                .find(|(p, _)| *p == t.project_id)
                .and_then(|(_, title)| title.clone())?;
            Some(TaskView::new(&tr, t, &title))
        })
        .collect();
    let overdue = tasks.iter().filter(|t| t.overdue).count();
    let summary = ctx.tr.tn(
        "office-work-my-tasks-count",
        &[
            ("count", (tasks.len() as i64).into()),
            ("overdue", (overdue as i64).into()),
        ],
    );
    render(&MyTasksPage {
        ctx,
        tasks,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, Lang};
    use std::sync::Arc;
    use time::macros::date;

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let i18n = Arc::new(I18n::load().unwrap());
        let es = Tr::new(i18n.clone(), Lang::Es);
        let en = Tr::new(i18n, Lang::En);
        assert_eq!(
            long_date(&es, date!(2026 - 12 - 01)),
            "1 de diciembre de 2026"
        );
        assert_eq!(long_date(&en, date!(2026 - 12 - 01)), "1 December 2026");
        assert_eq!(
            long_time(&es, "2026-07-01T08:05:00.000000Z"),
            "1 de julio de 2026, 10:05"
        );
        assert_eq!(
            long_time(&en, "2026-01-01T08:05:00.000000Z"),
            "1 January 2026, 09:05"
        );
    }
}
