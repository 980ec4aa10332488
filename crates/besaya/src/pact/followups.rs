//! The follow-up questions 3 and 6 months after an agreement
//! (`/pact/followups/{id}`): "how did it go?" — satisfied yes/no and a comment —
//! answered once by a user of the side asked (the organisation that posted the
//! need, or the one whose answer was accepted). The office reads the question and
//! its answer (and sees the answers on the dashboard); anybody else gets 404.
//!
//! The answer is stored with a conditional `UPDATE ... WHERE answered_at IS NULL`,
//! so two users of the same side answering at once leave the first answer; the
//! second is told it was already answered.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::Role;
use serde::Deserialize;
use serde_json::json;
use time::Date;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::db::{self, Audit, Changes};
use crate::office::pages::local_date;
use crate::office::work::madrid;
use crate::office::work::store::day;
use crate::web::PageError;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, flash_cookie, redirect_with, render};

/// The longest comment kept.
pub const COMMENT_MAX: usize = 2000;

pub fn router() -> Router<AppState> {
    Router::new().route("/pact/followups/{id}", get(show).post(answer))
}

/// A follow-up question with what the page shows of its need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Followup {
    pub id: String,
    pub need_id: String,
    pub answer_id: String,
    /// `owner` or `candidate`.
    pub side: String,
    pub months: i64,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub sent_at: Option<String>,
    pub answer: Option<String>,
    pub satisfied: Option<i64>,
    pub answered_at: Option<String>,
    pub reference: String,
    pub title: String,
    pub agreed_at: Option<String>,
    pub owner_org_id: Option<String>,
    /// The organisation of the accepted answer.
    pub candidate_org_id: Option<String>,
}

impl Followup {
    /// The organisation asked: the need's owner or the accepted candidate.
    pub fn side_org(&self) -> Option<&str> {
        match self.side.as_str() {
            "owner" => self.owner_org_id.as_deref(),
            _ => self.candidate_org_id.as_deref(),
        }
    }

    /// Whether `user` acts for the side asked (and so may answer).
    pub fn may_answer(&self, user: &User) -> bool {
        self.side_org()
            .is_some_and(|o| user.organization_ids.iter().any(|u| u == o))
    }

    /// Whether `user` may read it: the side's users and the office.
    pub fn may_see(&self, user: &User) -> bool {
        matches!(user.role, Role::Admin | Role::Staff) || self.may_answer(user)
    }

    /// Open to answers from its due day.
    pub fn is_open(&self, today: Date) -> bool {
        self.answered_at.is_none() && day(&self.due_on).is_some_and(|d| d <= today)
    }
}

/// A follow-up question by id, with its need and the accepted answer's organisation.
pub async fn get_followup(pool: &sqlx::AnyPool, id: &str) -> Result<Option<Followup>, sqlx::Error> {
    if id.len() > 64 {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT f.id, f.need_id, f.answer_id, f.side, CAST(f.months AS BIGINT) AS months, f.due_on, f.sent_at, \
         f.answer, CAST(f.satisfied AS BIGINT) AS satisfied, f.answered_at, n.reference, n.title, n.agreed_at, \
         n.owner_org_id, a.organization_id AS candidate_org_id \
         FROM need_followups f JOIN needs n ON n.id = f.need_id \
         LEFT JOIN need_answers a ON a.id = f.answer_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// What the form sends.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FollowupForm {
    /// `yes` or `no`.
    #[serde(default)]
    pub satisfied: String,
    #[serde(default)]
    pub comment: String,
}

/// Validated: satisfied, and the comment trimmed.
pub fn validate(form: &FollowupForm, tr: &crate::i18n::Tr) -> Result<(bool, String), FormErrors> {
    let mut errors = FormErrors::default();
    let satisfied = match form.satisfied.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("satisfied-yes", tr.t("pact-dash-fu-err-satisfied"));
            None
        }
    };
    let comment = form.comment.trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        errors.add(
            "comment",
            tr.t1("pact-dash-fu-err-comment", "max", COMMENT_MAX as i64),
        );
    }
    match satisfied {
        Some(s) if errors.is_empty() => Ok((s, comment)),
        _ => Err(errors),
    }
}

/// Records the answer once; `Ok(false)` when it was already answered.
pub async fn record_answer(
    db: &crate::db::Db,
    followup: &Followup,
    user: &User,
    satisfied: bool,
    comment: &str,
) -> anyhow::Result<bool> {
    let mut tx = db.writer().begin().await?;
    let now = db::now();
    let done = sqlx::query(
        "UPDATE need_followups SET answer = $1, satisfied = $2, answered_at = $3, answered_by = $4 \
         WHERE id = $5 AND answered_at IS NULL",
    )
    .bind(comment)
    .bind(i64::from(satisfied))
    .bind(&now)
    .bind(&user.id)
    .bind(&followup.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let detail = json!({
        "followup_id": followup.id,
        "side": followup.side,
        "months": followup.months,
        "satisfied": satisfied,
    });
    sqlx::query(
        "INSERT INTO need_events (id, need_id, answer_id, kind, actor_id, at, detail) \
         VALUES ($1, $2, $3, 'followup_answered', $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&followup.need_id)
    .bind(&followup.answer_id)
    .bind(&user.id)
    .bind(&now)
    .bind(detail.to_string())
    .execute(&mut *tx)
    .await?;
    Audit {
        actor: Some(&user.id),
        entity: "need_followup",
        entity_id: &followup.id,
        action: "answer",
        changes: Changes::new()
            .created("satisfied", satisfied)
            .created("answer", comment),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Template)]
#[template(path = "pact/followup.html")]
struct FollowupPage {
    ctx: PageCtx,
    id: String,
    reference: String,
    title: String,
    question: String,
    agreed: Option<String>,
    /// The form is shown (the user may answer and it is open).
    form: bool,
    /// Not open yet: the day it opens.
    opens: Option<String>,
    answered: Option<String>,
    satisfied: String,
    comment: String,
    values: FollowupForm,
    errors: FormErrors,
}

fn page_of(
    ctx: PageCtx,
    user: &User,
    f: &Followup,
    values: FollowupForm,
    errors: FormErrors,
) -> FollowupPage {
    let today = madrid::today();
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let question = tr.t1(
        &format!("pact-dash-fu-question-{}", f.side),
        "months",
        f.months,
    );
    FollowupPage {
        id: f.id.clone(),
        reference: f.reference.clone(),
        title: f.title.clone(),
        question,
        agreed: f.agreed_at.as_deref().map(|a| local_date(lang, a)),
        form: f.may_answer(user) && f.is_open(today),
        opens: (f.answered_at.is_none() && !f.is_open(today)).then(|| local_date(lang, &f.due_on)),
        answered: f.answered_at.as_deref().map(|a| local_date(lang, a)),
        satisfied: tr
            .t(match f.satisfied {
                Some(0) => "pact-dash-followup-satisfied-no",
                Some(_) => "pact-dash-followup-satisfied-yes",
                None => "pact-dash-followup-satisfied-none",
            })
            .to_owned(),
        comment: f.answer.clone().unwrap_or_default(),
        values,
        errors,
        ctx,
    }
}

async fn show(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let f = match get_followup(state.db.reader(), &id).await {
        Ok(Some(f)) if f.may_see(&user) => f,
        Ok(_) => return PageError::page(ctx, StatusCode::NOT_FOUND),
        Err(e) => return ctx.fail(e).into_response(),
    };
    render(&page_of(
        ctx,
        &user,
        &f,
        FollowupForm::default(),
        FormErrors::default(),
    ))
}

async fn answer(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FollowupForm>,
) -> Response {
    let f = match get_followup(state.db.reader(), &id).await {
        Ok(Some(f)) if f.may_see(&user) => f,
        Ok(_) => return PageError::page(ctx, StatusCode::NOT_FOUND),
        Err(e) => return ctx.fail(e).into_response(),
    };
    if !f.may_answer(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let here = format!("/pact/followups/{}", f.id);
    if f.answered_at.is_some() {
        return redirect_with(&here, &[flash_cookie("flash-pact-fu-already")]);
    }
    if !f.is_open(madrid::today()) {
        return (
            StatusCode::CONFLICT,
            render(&page_of(ctx, &user, &f, form, FormErrors::default())),
        )
            .into_response();
    }
    let (satisfied, comment) = match validate(&form, &ctx.tr) {
        Ok(v) => v,
        Err(errors) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page_of(ctx, &user, &f, form, errors)),
            )
                .into_response();
        }
    };
    match record_answer(&state.db, &f, &user, satisfied, &comment).await {
        Ok(true) => redirect_with(&here, &[flash_cookie("flash-pact-fu-saved")]),
        Ok(false) => redirect_with(&here, &[flash_cookie("flash-pact-fu-already")]),
        Err(e) => ctx.fail(e).into_response(),
    }
}
