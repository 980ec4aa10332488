//! The catalogue of procedures (`/office/procedure-templates`: the office reads it,
//! the administrator adds, changes and deletes entries) and the local holidays
//! the legal clocks skip (`/office/procedure-templates/holidays`: listed with the
//! national and Cantabrian ones of this year and the next; the administrator adds
//! and deletes them). Plain forms with the CSRF token and POST-redirect-GET;
//! errors next to the fields; a stale version answers 409 with the form kept.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::directory::{parse_date, parse_number};
use besaya_domain::procedures::{Silence, TermUnit};
use serde::Deserialize;

use super::calendar;
use super::model::{Invalid, LEVELS, Template as Entry, TemplateInput};
use super::pages::term_text;
use super::store::{self, WriteError};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::i18n::Tr;
use crate::office::policy;
use crate::office::portal::pages::local_date;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

const LIST: &str = "/office/procedure-templates";
const HOLIDAYS: &str = "/office/procedure-templates/holidays";
/// Longest name of a local holiday.
const HOLIDAY_NAME_MAX: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list_page).post(create))
        .route("/office/procedure-templates/new", get(new_page))
        .route(
            "/office/procedure-templates/{id}",
            get(edit_page).post(update),
        )
        .route("/office/procedure-templates/{id}/delete", post(delete))
        .route(HOLIDAYS, get(holidays_page).post(add_holiday))
        .route(
            "/office/procedure-templates/holidays/{hid}/delete",
            post(delete_holiday),
        )
}

/// Reading the catalogue: the office. Anyone else: 404.
fn may_read(user: &User) -> bool {
    policy::is_office(user)
}

// ---- The list ----

/// A catalogue entry as the list shows it.
pub struct EntryRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub authority: String,
    pub administration: String,
    pub dir3: String,
    pub legal_basis: String,
    pub source_url: String,
    pub term: String,
    pub unconfirmed: bool,
    pub silence: String,
    pub depends_on: Vec<String>,
    pub rule: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "office/procedures/catalogue.html")]
struct ListPage {
    ctx: PageCtx,
    admin: bool,
    rows: Vec<EntryRow>,
}

fn entry_row(tr: &Tr, t: &Entry, names: &HashMap<&str, &str>) -> EntryRow {
    let lang = tr.lang;
    let mut rule = Vec::new();
    if !t.rule_cnae_prefixes.is_empty() {
        rule.push(tr.t1(
            "proc-cat-rule-cnae",
            "prefixes",
            t.rule_cnae_prefixes.join(", "),
        ));
    }
    if let Some(kva) = t.rule_min_power_kva {
        rule.push(tr.t1(
            "proc-cat-rule-power",
            "min",
            crate::sites::pages::num(lang, kva, 0),
        ));
    }
    EntryRow {
        id: t.id.clone(),
        code: t.code.clone(),
        name: t.name(lang).to_owned(),
        level: tr.t(&format!("proc-level-{}", t.level)).to_owned(),
        authority: t.authority(lang).to_owned(),
        administration: t.administration_name.clone().unwrap_or_default(),
        dir3: t.administration_dir3.clone().unwrap_or_default(),
        legal_basis: t.legal_basis.clone(),
        source_url: t
            .source_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .unwrap_or_default(),
        term: term_text(tr, t.term_value, &t.term_unit),
        unconfirmed: !t.term_confirmed,
        silence: tr.t(&format!("proc-silence-{}", t.silence)).to_owned(),
        depends_on: t
            .depends_on
            .iter()
            .map(|d| {
                names
                    .get(d.as_str())
                    .copied()
                    .unwrap_or(d.as_str())
                    .to_owned()
            })
            .collect(),
        rule: if rule.is_empty() {
            tr.t("proc-cat-rule-always").to_owned()
        } else {
            rule.join(" · ")
        },
        active: t.active,
    }
}

async fn list_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !may_read(&user) {
        return ctx.not_found().into_response();
    }
    let loaded = async {
        let mut conn = state.db.reader().acquire().await?;
        store::templates(&mut conn, false).await
    }
    .await;
    let all = match loaded {
        Ok(t) => t,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tr = ctx.tr.clone();
    let names: HashMap<&str, &str> = all
        .iter()
        .map(|t| (t.id.as_str(), t.name(tr.lang)))
        .collect();
    let rows = all.iter().map(|t| entry_row(&tr, t, &names)).collect();
    render(&ListPage {
        admin: user.is_admin(),
        rows,
        ctx,
    })
}

// ---- The form ----

/// The entry's form, as typed.
#[derive(Debug, Default, Clone)]
struct EntryForm {
    code: String,
    name_es: String,
    name_en: String,
    level: String,
    authority_es: String,
    authority_en: String,
    administration_org_id: String,
    legal_basis: String,
    source_url: String,
    term_value: String,
    term_unit: String,
    term_confirmed: bool,
    silence: String,
    rule_cnae_prefixes: String,
    rule_min_power_kva: String,
    notes_es: String,
    notes_en: String,
    active: bool,
    position: String,
    depends_on: Vec<String>,
    version: i64,
}

impl EntryForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "code" => f.code = v,
                "name_es" => f.name_es = v,
                "name_en" => f.name_en = v,
                "level" => f.level = v,
                "authority_es" => f.authority_es = v,
                "authority_en" => f.authority_en = v,
                "administration_org_id" => f.administration_org_id = v,
                "legal_basis" => f.legal_basis = v,
                "source_url" => f.source_url = v,
                "term_value" => f.term_value = v,
                "term_unit" => f.term_unit = v,
                "term_confirmed" => f.term_confirmed = true,
                "silence" => f.silence = v,
                "rule_cnae_prefixes" => f.rule_cnae_prefixes = v,
                "rule_min_power_kva" => f.rule_min_power_kva = v,
                "notes_es" => f.notes_es = v,
                "notes_en" => f.notes_en = v,
                "active" => f.active = true,
                "position" => f.position = v,
                "depends_on" if f.depends_on.len() < 200 && !f.depends_on.contains(&v) => {
                    f.depends_on.push(v);
                }
                "version" => f.version = v.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        f
    }

    fn of(t: &Entry) -> Self {
        Self {
            code: t.code.clone(),
            name_es: t.name_es.clone(),
            name_en: t.name_en.clone(),
            level: t.level.clone(),
            authority_es: t.authority_es.clone(),
            authority_en: t.authority_en.clone(),
            administration_org_id: t.administration_org_id.clone().unwrap_or_default(),
            legal_basis: t.legal_basis.clone(),
            source_url: t.source_url.clone().unwrap_or_default(),
            term_value: t.term_value.to_string(),
            term_unit: t.term_unit.clone(),
            term_confirmed: t.term_confirmed,
            silence: t.silence.clone(),
            rule_cnae_prefixes: t.rule_cnae_prefixes.join(", "),
            // As the form reads it back: no thousands separator, a decimal comma.
            rule_min_power_kva: t
                .rule_min_power_kva
                .map(|k| {
                    if k.fract() == 0.0 {
                        format!("{k:.0}")
                    } else {
                        k.to_string().replace('.', ",")
                    }
                })
                .unwrap_or_default(),
            notes_es: t.notes_es.clone(),
            notes_en: t.notes_en.clone(),
            active: t.active,
            position: t.position.to_string(),
            depends_on: t.depends_on.clone(),
            version: t.version,
        }
    }

    /// The API's input, or the fields that are not even numbers.
    fn input(&self, tr: &Tr) -> (TemplateInput, FormErrors) {
        let mut errors = FormErrors::default();
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut int = |field: &str, raw: &str| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(
                        &format!("tf-{field}"),
                        tr.t1("proc-cat-err-integer", "value", raw.to_owned()),
                    );
                    None
                }
            }
        };
        let term_value = int("term_value", &self.term_value);
        let position = int("position", &self.position);
        let power = match opt(&self.rule_min_power_kva) {
            None => None,
            Some(raw) => match parse_number(&raw) {
                Some(n) => Some(n),
                None => {
                    errors.add(
                        "tf-rule_min_power_kva",
                        tr.t1("proc-cat-err-number", "value", raw),
                    );
                    None
                }
            },
        };
        let prefixes: Vec<String> = self
            .rule_cnae_prefixes
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let input = TemplateInput {
            code: opt(&self.code),
            name_es: opt(&self.name_es),
            name_en: opt(&self.name_en),
            level: opt(&self.level),
            authority_es: Some(self.authority_es.trim().to_owned()),
            authority_en: Some(self.authority_en.trim().to_owned()),
            administration_org_id: opt(&self.administration_org_id),
            legal_basis: Some(self.legal_basis.trim().to_owned()),
            source_url: opt(&self.source_url),
            term_value,
            term_unit: opt(&self.term_unit),
            term_confirmed: Some(self.term_confirmed),
            silence: opt(&self.silence),
            rule_cnae_prefixes: Some(prefixes),
            rule_min_power_kva: power,
            notes_es: Some(self.notes_es.trim().to_owned()),
            notes_en: Some(self.notes_en.trim().to_owned()),
            active: Some(self.active),
            position: Some(position.unwrap_or(0)),
            depends_on: Some(self.depends_on.clone()),
        };
        (input, errors)
    }
}

#[derive(Template)]
#[template(path = "office/procedures/template_form.html")]
struct FormPage {
    ctx: PageCtx,
    /// `None`: a new entry.
    id: Option<String>,
    title: String,
    f: EntryForm,
    levels: Vec<(String, String)>,
    units: Vec<(String, String)>,
    silences: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    /// The other entries it may wait for: (id, name).
    others: Vec<(String, String)>,
    errors: FormErrors,
    notice: Option<String>,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    async fn load(
        state: &AppState,
        ctx: PageCtx,
        id: Option<&str>,
        f: EntryForm,
        title: String,
    ) -> Result<Self, Response> {
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            let all = store::templates(&mut conn, false).await?;
            let orgs = store::administrations(&mut conn).await?;
            Ok::<_, sqlx::Error>((all, orgs))
        }
        .await;
        let (all, orgs) = loaded.map_err(|e| ctx.fail(e).into_response())?;
        let tr = ctx.tr.clone();
        Ok(Self {
            id: id.map(str::to_owned),
            title,
            f,
            levels: LEVELS
                .iter()
                .map(|l| ((*l).to_owned(), tr.t(&format!("proc-level-{l}")).to_owned()))
                .collect(),
            units: TermUnit::ALL
                .iter()
                .map(|u| {
                    (
                        u.as_str().to_owned(),
                        tr.t(&format!("proc-unit-name-{}", u.as_str())).to_owned(),
                    )
                })
                .collect(),
            silences: Silence::ALL
                .iter()
                .map(|s| {
                    (
                        s.as_str().to_owned(),
                        tr.t(&format!("proc-silence-{}", s.as_str())).to_owned(),
                    )
                })
                .collect(),
            orgs: orgs
                .into_iter()
                .map(|o| {
                    let label = match &o.dir3_code {
                        Some(c) => format!("{} ({c})", o.name),
                        None => o.name.clone(),
                    };
                    (o.id, label)
                })
                .collect(),
            others: all
                .iter()
                .filter(|t| Some(t.id.as_str()) != id)
                .map(|t| (t.id.clone(), t.name(tr.lang).to_owned()))
                .collect(),
            errors: FormErrors::default(),
            notice: None,
            ctx,
        })
    }
}

/// The form's field ids, in the order it shows them (for the error summary).
const FIELDS: [&str; 20] = [
    "code",
    "name_es",
    "name_en",
    "level",
    "authority_es",
    "authority_en",
    "administration_org_id",
    "legal_basis",
    "source_url",
    "term_value",
    "term_unit",
    "term_confirmed",
    "silence",
    "rule_cnae_prefixes",
    "rule_min_power_kva",
    "notes_es",
    "notes_en",
    "active",
    "position",
    "depends_on",
];

/// `parsed` and the store's messages under the form's ids (`tf-code`), in its order.
fn form_errors(tr: &Tr, parsed: FormErrors, invalid: &[Invalid]) -> FormErrors {
    let mut all: Vec<(String, String)> = parsed.items().to_vec();
    for i in invalid {
        // `depends_on[2]` and the like: next to the whole field.
        let field = i.field.split(['[', '.']).next().unwrap_or(&i.field);
        let id = format!("tf-{field}");
        if all.iter().any(|(f, _)| *f == id) {
            continue;
        }
        all.push((id, i.message(tr)));
    }
    let position = |f: &str| {
        FIELDS
            .iter()
            .position(|o| f.strip_prefix("tf-") == Some(*o))
            .unwrap_or(FIELDS.len())
    };
    all.sort_by_key(|(f, _)| position(f));
    let mut out = FormErrors::default();
    for (f, m) in all {
        out.add(&f, m);
    }
    out
}

async fn new_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !may_read(&user) {
        return ctx.not_found().into_response();
    }
    if !user.is_admin() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let title = ctx.tr.t("proc-cat-new-title").to_owned();
    let f = EntryForm {
        active: true,
        level: "council".into(),
        term_unit: "months".into(),
        silence: "negative".into(),
        ..EntryForm::default()
    };
    match FormPage::load(&state, ctx, None, f, title).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

/// One entry, for the admin's pages; the 404 or 403 page otherwise.
async fn entry_for_admin(
    state: &AppState,
    user: &User,
    ctx: &PageCtx,
    id: &str,
) -> Result<Entry, Response> {
    if !may_read(user) || !crate::office::projects::looks_like_id(id) {
        return Err(ctx.not_found().into_response());
    }
    if !user.is_admin() {
        return Err(PageError::page(ctx.clone(), StatusCode::FORBIDDEN));
    }
    let found = async {
        let mut conn = state.db.reader().acquire().await?;
        store::template(&mut conn, id).await
    }
    .await;
    match found {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(ctx.not_found().into_response()),
        Err(e) => Err(ctx.fail(e).into_response()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let t = match entry_for_admin(&state, &user, &ctx, &id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let title = ctx
        .tr
        .t1("proc-cat-edit-title", "name", t.name(ctx.lang).to_owned());
    let f = EntryForm::of(&t);
    match FormPage::load(&state, ctx, Some(&id), f, title).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

/// The form again with what was typed and what is wrong.
async fn form_again(
    state: &AppState,
    ctx: PageCtx,
    id: Option<&str>,
    f: EntryForm,
    status: StatusCode,
    errors: FormErrors,
    notice: Option<String>,
) -> Response {
    let title = match id {
        Some(_) => ctx.tr.t1("proc-cat-edit-title", "name", f.name_es.clone()),
        None => ctx.tr.t("proc-cat-new-title").to_owned(),
    };
    match FormPage::load(state, ctx, id, f, title).await {
        Ok(mut p) => {
            p.errors = errors;
            p.notice = notice;
            (status, render(&p)).into_response()
        }
        Err(r) => r,
    }
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if !may_read(&user) {
        return ctx.not_found().into_response();
    }
    if !user.is_admin() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let f = EntryForm::from_pairs(&pairs);
    let tr = ctx.tr.clone();
    let (input, parsed) = f.input(&tr);
    let valid = match store::validate_template(&input, None) {
        Ok(v) if parsed.is_empty() => v,
        other => {
            let errors = form_errors(&tr, parsed, &other.err().unwrap_or_default());
            return form_again(
                &state,
                ctx,
                None,
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await;
        }
    };
    let done = in_tx!(state, |tx| store::create_template(&mut tx, &user, &valid)
        .await);
    match done {
        Ok(Ok(_)) => redirect_with(LIST, &[flash_cookie("flash-proc-cat-created")]),
        Ok(Err(WriteError::Invalid(errs))) => {
            let errors = form_errors(&tr, FormErrors::default(), &errs);
            form_again(
                &state,
                ctx,
                None,
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn update(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let existing = match entry_for_admin(&state, &user, &ctx, &id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let mut f = EntryForm::from_pairs(&pairs);
    let tr = ctx.tr.clone();
    let (input, parsed) = f.input(&tr);
    let valid = match store::validate_template(&input, Some(&existing)) {
        Ok(v) if parsed.is_empty() => v,
        other => {
            let errors = form_errors(&tr, parsed, &other.err().unwrap_or_default());
            return form_again(
                &state,
                ctx,
                Some(&id),
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await;
        }
    };
    let done = in_tx!(state, |tx| store::update_template(
        &mut tx, &user, &id, f.version, &valid
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(LIST, &[flash_cookie("flash-proc-cat-updated")]),
        Ok(Err(WriteError::Invalid(errs))) => {
            let errors = form_errors(&tr, FormErrors::default(), &errs);
            form_again(
                &state,
                ctx,
                Some(&id),
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Ok(Err(WriteError::Conflict(c))) => {
            // Kept as typed; saving again overwrites the other person's change.
            f.version = c.current.unwrap_or(existing.version);
            let notice = tr.t("proc-cat-conflict").to_owned();
            form_again(
                &state,
                ctx,
                Some(&id),
                f,
                StatusCode::CONFLICT,
                FormErrors::default(),
                Some(notice),
            )
            .await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    version: i64,
    confirm: String,
}

async fn delete(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Response {
    let existing = match entry_for_admin(&state, &user, &ctx, &id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let tr = ctx.tr.clone();
    let again = |status, errors, notice, ctx| {
        let f = EntryForm::of(&existing);
        let state = state.clone();
        let id = id.clone();
        async move { form_again(&state, ctx, Some(&id), f, status, errors, notice).await }
    };
    if form.confirm.is_empty() {
        let mut errors = FormErrors::default();
        errors.add("del-confirm", tr.t("proc-ui-err-confirm"));
        return again(StatusCode::UNPROCESSABLE_ENTITY, errors, None, ctx).await;
    }
    let done = in_tx!(state, |tx| store::delete_template(
        &mut tx,
        &user,
        &id,
        form.version
    )
    .await);
    match done {
        Ok(Ok(())) => redirect_with(LIST, &[flash_cookie("flash-proc-cat-deleted")]),
        Ok(Err(WriteError::Conflict(_))) => {
            let notice = tr.t("proc-cat-conflict").to_owned();
            again(
                StatusCode::CONFLICT,
                FormErrors::default(),
                Some(notice),
                ctx,
            )
            .await
        }
        Ok(Err(WriteError::InUse)) => {
            let notice = tr.t("proc-cat-in-use").to_owned();
            again(
                StatusCode::CONFLICT,
                FormErrors::default(),
                Some(notice),
                ctx,
            )
            .await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Local holidays ----

/// A holiday as the page lists it.
pub struct HolidayRow {
    pub id: String,
    pub date: String,
    pub date_iso: String,
    pub name: String,
    pub municipality: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct HolidayForm {
    municipality_code: String,
    on_date: String,
    name_es: String,
    name_en: String,
}

#[derive(Template)]
#[template(path = "office/procedures/holidays.html")]
struct HolidaysPage {
    ctx: PageCtx,
    admin: bool,
    local: Vec<HolidayRow>,
    /// The national and Cantabrian ones of this year and the next: (year, rows).
    regional: Vec<(i32, Vec<HolidayRow>)>,
    municipalities: Vec<(String, String)>,
    f: HolidayForm,
    errors: FormErrors,
}

impl HolidaysPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    async fn load(state: &AppState, ctx: PageCtx, admin: bool) -> Result<Self, Response> {
        let loaded = async {
            let mut conn = state.db.reader().acquire().await?;
            store::local_holidays(&mut conn).await
        }
        .await;
        let local = loaded.map_err(|e| ctx.fail(e).into_response())?;
        let lang = ctx.lang;
        let year = crate::office::work::madrid::today().year();
        let regional = [year, year + 1]
            .into_iter()
            .map(|y| {
                let rows = calendar::list()
                    .iter()
                    .filter(|h| h.date.year() == y)
                    .map(|h| {
                        let iso = besaya_domain::directory::format_date(h.date);
                        HolidayRow {
                            id: String::new(),
                            date: local_date(lang, &iso),
                            date_iso: iso,
                            name: match lang {
                                crate::i18n::Lang::Es => h.name_es.clone(),
                                crate::i18n::Lang::En => h.name_en.clone(),
                            },
                            municipality: if h.scope == "national" {
                                ctx.tr.t("proc-hol-national").to_owned()
                            } else {
                                ctx.tr.t("proc-hol-cantabria").to_owned()
                            },
                        }
                    })
                    .collect::<Vec<_>>();
                (y, rows)
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        Ok(Self {
            admin,
            local: local
                .iter()
                .map(|h| HolidayRow {
                    id: h.id.clone(),
                    date: local_date(lang, &h.on_date),
                    date_iso: h.on_date.clone(),
                    name: h.name(lang).to_owned(),
                    municipality: h.municipality_name.clone(),
                })
                .collect(),
            regional,
            municipalities: state
                .catalog
                .municipalities_by_name()
                .into_iter()
                .filter(|(c, _)| c.starts_with("39"))
                .map(|(c, m)| (c.to_owned(), m.name.clone()))
                .collect(),
            f: HolidayForm::default(),
            errors: FormErrors::default(),
            ctx,
        })
    }
}

async fn holidays_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !may_read(&user) {
        return ctx.not_found().into_response();
    }
    match HolidaysPage::load(&state, ctx, user.is_admin()).await {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

async fn add_holiday(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<HolidayForm>,
) -> Response {
    if !may_read(&user) {
        return ctx.not_found().into_response();
    }
    if !user.is_admin() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr = ctx.tr.clone();
    let mut errors = FormErrors::default();
    let code = form.municipality_code.trim().to_owned();
    if state.catalog.municipality(&code).is_none() {
        errors.add("hol-municipality_code", tr.t("proc-hol-err-municipality"));
    }
    let date = parse_date(&form.on_date);
    if date.is_none() {
        errors.add("hol-on_date", tr.t("proc-ui-err-date"));
    }
    let mut invalid: Vec<Invalid> = Vec::new();
    let name_es = crate::web::invalid::text(
        &mut invalid,
        "name_es",
        Some(&form.name_es),
        HOLIDAY_NAME_MAX,
        false,
    );
    let name_en = crate::web::invalid::text(
        &mut invalid,
        "name_en",
        Some(&form.name_en),
        HOLIDAY_NAME_MAX,
        false,
    );
    for i in &invalid {
        errors.add(&format!("hol-{}", i.field), i.message(&tr));
    }
    if name_es.is_none() && !errors.has("hol-name_es") {
        errors.add("hol-name_es", tr.t("office-proc-err-required"));
    }
    // The English name defaults to the Spanish one.
    let name_en = name_en.or_else(|| name_es.clone());
    let again = |errors: FormErrors, status: StatusCode, ctx: PageCtx, form: HolidayForm| {
        let state = state.clone();
        async move {
            match HolidaysPage::load(&state, ctx, true).await {
                Ok(mut p) => {
                    p.f = form;
                    p.errors = errors;
                    (status, render(&p)).into_response()
                }
                Err(r) => r,
            }
        }
    };
    let (Some(date), Some(name_es), Some(name_en), true) =
        (date, name_es, name_en, errors.is_empty())
    else {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY, ctx, form).await;
    };
    let done = in_tx!(state, |tx| store::add_local_holiday(
        &mut tx, &user, &code, date, &name_es, &name_en
    )
    .await);
    match done {
        Ok(Ok(_)) => redirect_with(HOLIDAYS, &[flash_cookie("flash-proc-hol-added")]),
        Ok(Err(WriteError::Invalid(errs))) => {
            let mut errors = FormErrors::default();
            for i in &errs {
                errors.add(&format!("hol-{}", i.field), i.message(&tr));
            }
            again(errors, StatusCode::UNPROCESSABLE_ENTITY, ctx, form).await
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn delete_holiday(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(hid): Path<String>,
    CsrfForm(_form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if !may_read(&user) || !crate::office::projects::looks_like_id(&hid) {
        return ctx.not_found().into_response();
    }
    if !user.is_admin() {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let done = in_tx!(state, |tx| store::delete_local_holiday(
        &mut tx, &user, &hid
    )
    .await);
    match done {
        Ok(Ok(())) => redirect_with(HOLIDAYS, &[flash_cookie("flash-proc-hol-deleted")]),
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}
