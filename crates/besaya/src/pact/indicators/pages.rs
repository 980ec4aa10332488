//! The indicators' pages (`/pact/indicators`, `/pact/indicators/{code}`) and
//! the words and figures the report and the public page share with them.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::alliance::{Indicator, Semester, Unit};
use time::Date;

use super::{FromQuery, detail, parse_from, summaries};
use crate::AppState;
use crate::auth::{SignedIn, User};
use crate::db::Db;
use crate::i18n::{Lang, Tr};
use crate::office::work::madrid;
use crate::pact::alliance::{self, Seat};
use crate::pact::pages::{date_text, euros};
use crate::sites::pages::num;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pact/indicators", get(list_page))
        .route("/pact/indicators/{code}", get(detail_page))
}

/// The seat of a signed-in user on a workspace page; the 404 page without one.
pub(crate) async fn page_seat(
    db: &Db,
    user: &User,
    ctx: PageCtx,
    today: Date,
) -> Result<(Seat, PageCtx), Response> {
    match alliance::seat(db, Some(user), today).await {
        Ok(s) if s.in_workspace() => Ok((s, ctx)),
        Ok(_) => Err(PageError::page(ctx, StatusCode::NOT_FOUND)),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

/// The unit of an indicator code (a count for an unknown one).
pub(crate) fn unit_of(code: &str) -> Unit {
    Indicator::parse(code).map_or(Unit::Count, Indicator::unit)
}

/// A value in its unit: `12`, `12.500 €`, `75 %`.
pub(crate) fn amount_text(lang: Lang, unit: Unit, v: i64) -> String {
    match unit {
        Unit::Count => num(lang, v as f64, 0),
        Unit::Cents => euros(lang, v),
        Unit::Percent => format!("{} %", num(lang, v as f64, 0)),
    }
}

/// `40 %`.
pub(crate) fn progress_text(lang: Lang, p: u8) -> String {
    format!("{} %", num(lang, f64::from(p), 0))
}

/// The word of a status shown (`planned`, `in_progress`, `delayed`, …).
pub(crate) fn shown_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("pact-com-shown-{status}")).to_owned()
}

struct LinkedView {
    reference: String,
    title: String,
    url: String,
    from: String,
    value: String,
    baseline: String,
    target: String,
    progress: u8,
    progress_text: String,
}

struct IndicatorView {
    code: String,
    name: String,
    definition: String,
    all_time: String,
    semester: String,
    commitments: Vec<LinkedView>,
}

#[derive(Template)]
#[template(path = "pact/indicators/list.html")]
struct ListPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    today: String,
    semester_label: String,
    indicators: Vec<IndicatorView>,
}

async fn list_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    let today = madrid::today();
    let ctx = match page_seat(&state.db, &user, ctx, today).await {
        Ok((_, ctx)) => ctx,
        Err(r) => return r,
    };
    let all = match summaries(&state.db, today).await {
        Ok(a) => a,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let semester = Semester::containing(today);
    let indicators = all
        .iter()
        .map(|s| {
            let unit = unit_of(&s.code);
            IndicatorView {
                name: tr.t(&format!("pact-ind-{}-name", s.code)).to_owned(),
                definition: tr.t(&format!("pact-ind-{}-def", s.code)).to_owned(),
                all_time: amount_text(lang, unit, s.value_all_time),
                semester: amount_text(lang, unit, s.value_semester),
                commitments: s
                    .commitments
                    .iter()
                    .map(|c| LinkedView {
                        reference: c.reference.clone(),
                        title: c.title.clone(),
                        url: format!("/pact/commitments/{}", c.id),
                        from: c.from.as_deref().map_or_else(
                            || tr.t("pact-ind-all-time").to_owned(),
                            |f| date_text(lang, Some(f)),
                        ),
                        value: amount_text(lang, unit, c.value),
                        baseline: amount_text(lang, unit, c.baseline),
                        target: amount_text(lang, unit, c.target),
                        progress: c.progress,
                        progress_text: progress_text(lang, c.progress),
                    })
                    .collect(),
                code: s.code.clone(),
            }
        })
        .collect();
    let page = ListPage {
        in_workspace: true,
        nav: "indicators",
        today: date_text(lang, Some(&besaya_domain::directory::format_date(today))),
        semester_label: tr.t1(
            &format!("pact-ind-this-semester-{}", semester.half),
            "year",
            semester.year,
        ),
        indicators,
        ctx,
    };
    render(&page)
}

struct RecordView {
    reference: String,
    title: String,
    url: Option<String>,
    kind: String,
    published: String,
    first_answer: String,
    days: String,
    target: String,
    within: String,
    agreed: String,
    amount: String,
    stage: String,
    since: String,
}

#[derive(Template)]
#[template(path = "pact/indicators/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    in_workspace: bool,
    nav: &'static str,
    errors: FormErrors,
    code: String,
    name: String,
    definition: String,
    /// `clocks`, `agreed` or `projects`: which columns the table has.
    shape: &'static str,
    from_value: String,
    value: String,
    counted: String,
    records_caption: String,
    records: Vec<RecordView>,
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(code): Path<String>,
    Query(q): Query<FromQuery>,
) -> Response {
    let today = madrid::today();
    let (seat, ctx) = match page_seat(&state.db, &user, ctx, today).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(indicator) = Indicator::parse(&code) else {
        return PageError::page(ctx, StatusCode::NOT_FOUND);
    };
    let mut errors = FormErrors::default();
    let (from, status) = match parse_from(q.from.as_deref()) {
        Ok(f) => (f, StatusCode::OK),
        Err(e) => {
            errors.add("from", e.message(&ctx.tr));
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let d = if errors.is_empty() {
        match detail(&state.db, indicator, from, today).await {
            Ok(d) => Some(d),
            Err(e) => return ctx.fail(e).into_response(),
        }
    } else {
        None
    };
    let lang = ctx.lang;
    let tr = &ctx.tr;
    let office = seat.secretariat;
    let unit = indicator.unit();
    let shape = match indicator {
        Indicator::NeedsWithinTarget | Indicator::NeedsWithinTargetShare => "clocks",
        Indicator::NeedsAgreed | Indicator::LocalAwarded => "agreed",
        Indicator::ProjectsOperating => "projects",
    };
    let records = d
        .as_ref()
        .map(|d| {
            d.records
                .iter()
                .map(|r| RecordView {
                    reference: r.reference.clone(),
                    title: r.title.clone(),
                    url: office.then(|| match shape {
                        "projects" => format!("/office/projects/{}", r.id),
                        _ => format!("/pact/needs/{}", r.id),
                    }),
                    kind: r
                        .kind
                        .as_deref()
                        .map(|k| crate::pact::pages::kind_label(tr, k))
                        .unwrap_or_default(),
                    published: date_text(lang, r.published_on.as_deref()),
                    first_answer: date_text(lang, r.first_answer_on.as_deref()),
                    days: r
                        .business_days
                        .map(|d| num(lang, d as f64, 0))
                        .unwrap_or_default(),
                    target: r
                        .target_days
                        .map(|d| num(lang, d as f64, 0))
                        .unwrap_or_default(),
                    within: match r.within_target {
                        Some(true) => tr.t("pact-ind-yes").to_owned(),
                        Some(false) => tr.t("pact-ind-no").to_owned(),
                        None => String::new(),
                    },
                    agreed: date_text(lang, r.agreed_on.as_deref()),
                    amount: r.amount_cents.map(|c| euros(lang, c)).unwrap_or_default(),
                    stage: r
                        .stage
                        .as_deref()
                        .map(|s| tr.t(&format!("office-stage-{s}")).to_owned())
                        .unwrap_or_default(),
                    since: date_text(lang, r.since.as_deref()),
                })
                .collect()
        })
        .unwrap_or_default();
    let counted = match from {
        Some(f) => tr.t1(
            "pact-ind-counted-from",
            "date",
            date_text(lang, Some(&besaya_domain::directory::format_date(f))),
        ),
        None => tr.t("pact-ind-counted-all").to_owned(),
    };
    let page = DetailPage {
        in_workspace: true,
        nav: "indicators",
        from_value: q.from.clone().unwrap_or_default(),
        errors,
        name: tr.t(&format!("pact-ind-{code}-name")).to_owned(),
        definition: tr.t(&format!("pact-ind-{code}-def")).to_owned(),
        shape,
        value: d
            .as_ref()
            .map_or_else(|| "—".to_owned(), |d| amount_text(lang, unit, d.value)),
        counted,
        records_caption: tr.t1(
            &format!("pact-ind-records-{code}"),
            "count",
            records_len(&d),
        ),
        records,
        code,
        ctx,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

fn records_len(d: &Option<super::IndicatorDetail>) -> i64 {
    d.as_ref().map_or(0, |d| d.records.len() as i64)
}
