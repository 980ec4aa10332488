//! The directory's pages: list with search and filters, detail, create and
//! edit with field errors and the version check, merge, export, import.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::directory::{Certification, SizeBand, display_cnae, split_codes};
use serde::Deserialize;

use super::export::{self, Format};
use super::index::{Entry, Sort};
use super::model::{CertificationDto, Invalid, OrgInput, Organization, validate};
use super::store::{self, WriteError};
use super::{KINDS, api, import_pages, policy};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::db::in_tx;
use crate::reference::Catalog;
use crate::reference::catalog::CNAE_VERSIONS;
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

pub const PAGE_SIZE: usize = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/directory", get(list_page))
        .route("/directory/export.{ext}", get(export_file))
        .route("/directory/new", get(new_page).post(create))
        .route("/directory/{id}", get(detail_page))
        .route("/directory/{id}/edit", get(edit_page).post(save))
        .route("/directory/{id}/merge", post(merge))
        .route("/directory/{id}/delete", post(delete))
        .merge(import_pages::router())
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    cnae: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    pact: String,
    #[serde(default)]
    certification: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    sort: String,
    page: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> Result<super::index::Filter, Vec<crate::api::FieldError>> {
        let pact = match self.pact.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let mut f = api::parse_filter(api::RawFilter {
            q: Some(self.q.clone()),
            kind: Some(self.kind.clone()),
            cnae: Some(self.cnae.clone()),
            municipality: Some(self.municipality.clone()),
            district: !self.district.is_empty(),
            pact_member: pact,
            certification: Some(self.certification.clone()),
            size_band: Some(self.size.clone()),
        })?;
        // The pages show no error for an unknown municipality: it simply matches nothing.
        f.municipality = f.municipality.filter(|m| !m.is_empty());
        Ok(f)
    }

    fn sort(&self) -> Sort {
        Sort::parse(&self.sort).unwrap_or_default()
    }

    /// The query string of this search without the page, for links.
    fn query_string(&self) -> String {
        serde_urlencoded::to_string([
            ("q", self.q.as_str()),
            ("kind", &self.kind),
            ("cnae", &self.cnae),
            ("municipality", &self.municipality),
            ("district", &self.district),
            ("pact", &self.pact),
            ("certification", &self.certification),
            ("size", &self.size),
            ("sort", &self.sort),
        ])
        .unwrap_or_default()
    }
}

/// A row of the list, ready to show.
pub struct ListRow {
    pub id: String,
    pub name: String,
    pub trade_name: Option<String>,
    pub kind: String,
    pub municipality: String,
    pub activity: String,
    pub size: String,
    pub pact_member: bool,
}

#[derive(Template)]
#[template(path = "orgs/list.html")]
struct ListPage {
    ctx: PageCtx,
    q: ListQuery,
    rows: Vec<ListRow>,
    total: usize,
    page: usize,
    pages: usize,
    query: String,
    kinds: Vec<(&'static str, String)>,
    sizes: Vec<(&'static str, String)>,
    sorts: Vec<(&'static str, String)>,
    municipalities: Vec<(String, String)>,
    sections: Vec<(String, String)>,
    errors: FormErrors,
    can_create: bool,
}

pub fn kind_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .map(|k| (*k, ctx.tr.t(&format!("kind-{k}")).to_owned()))
        .collect()
}

fn size_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    SizeBand::ALL
        .iter()
        .map(|b| {
            (
                b.as_str(),
                ctx.tr.t(&format!("size-{}", b.as_str())).to_owned(),
            )
        })
        .collect()
}

fn municipality_options(state: &AppState) -> Vec<(String, String)> {
    state
        .catalog
        .municipalities_by_name()
        .into_iter()
        .map(|(c, m)| (c.to_owned(), m.name.clone()))
        .collect()
}

/// Sections and divisions of CNAE-2025 for the activity filter.
fn section_options(state: &AppState, ctx: &PageCtx) -> Vec<(String, String)> {
    let es = ctx.lang == crate::i18n::Lang::Es;
    let mut out = Vec::new();
    for c in ('A'..='V').map(String::from) {
        if let Some(info) = state.catalog.cnae("2025", &c) {
            out.push((c.clone(), format!("{c} · {}", title(info, es))));
        }
    }
    out
}

fn title(info: &crate::reference::catalog::Cnae, es: bool) -> &str {
    if es { &info.title_es } else { &info.title_en }
}

fn row_of(state: &AppState, ctx: &PageCtx, e: &Entry) -> ListRow {
    let es = ctx.lang == crate::i18n::Lang::Es;
    let version = crate::reference::catalog::cnae_version(&e.cnae_version).unwrap_or("2025");
    ListRow {
        id: e.id.clone(),
        name: e.name.clone(),
        trade_name: e.trade_name.clone(),
        kind: ctx.tr.t(&format!("kind-{}", e.kind)).to_owned(),
        municipality: e
            .municipality_code
            .as_deref()
            .and_then(|m| state.catalog.municipality(m))
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        activity: e
            .cnae_codes
            .first()
            .map(|c| {
                let t = state
                    .catalog
                    .cnae(version, c)
                    .map(|i| title(i, es))
                    .unwrap_or("");
                format!("{} {t}", display_cnae(c))
            })
            .unwrap_or_default(),
        size: e
            .size_band
            .map(|b| ctx.tr.t(&format!("size-{}", b.as_str())).to_owned())
            .unwrap_or_default(),
        pact_member: e.pact_member,
    }
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let page: usize = q
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let mut errors = FormErrors::default();
    let filter = match q.filter() {
        Ok(f) => f,
        Err(errs) => {
            for e in errs {
                errors.add(
                    &e.field,
                    ctx.tr
                        .t(&format!("dir-filter-invalid-{}", e.field))
                        .to_owned(),
                );
            }
            super::index::Filter::default()
        }
    };
    if let Err(e) = state.directory.sync(&state.db, &state.catalog).await {
        return ctx.fail(e).into_response();
    }
    let today = time::OffsetDateTime::now_utc().date();
    let hits = state.directory.search(
        &filter,
        q.sort(),
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
        &state.catalog,
        today,
    );
    let rows = hits
        .entries
        .iter()
        .map(|e| row_of(&state, &ctx, e))
        .collect();
    let pages = hits.total.div_ceil(PAGE_SIZE).max(1);
    let sorts = Sort::ALL
        .iter()
        .map(|s| {
            (
                s.as_str(),
                ctx.tr.t(&format!("sort-{}", s.as_str())).to_owned(),
            )
        })
        .collect();
    render(&ListPage {
        query: q.query_string(),
        kinds: kind_options(&ctx),
        sizes: size_options(&ctx),
        sorts,
        municipalities: municipality_options(&state),
        sections: section_options(&state, &ctx),
        rows,
        total: hits.total,
        page,
        pages,
        can_create: policy::can_create(&user),
        errors,
        q,
        ctx,
    })
}

async fn export_file(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(ext): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let Some(format) = Format::parse(&ext) else {
        return ctx.not_found().into_response();
    };
    let Ok(filter) = q.filter() else {
        return PageError::page(ctx, StatusCode::BAD_REQUEST);
    };
    match export::export(
        &state.db,
        &state.directory,
        &state.catalog,
        &filter,
        q.sort(),
        format,
    )
    .await
    {
        Ok(bytes) => {
            let name = format!(
                "organizaciones-{}.{}",
                time::OffsetDateTime::now_utc().date(),
                format.extension()
            );
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The detail page's view of a record.
#[derive(Template)]
#[template(path = "orgs/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    org: Organization,
    kind: String,
    municipality: String,
    in_district: bool,
    activities: Vec<(String, String)>,
    certifications: Vec<(CertificationDto, bool)>,
    size: String,
    can_edit: bool,
    can_admin: bool,
    duplicates: Vec<Entry>,
    merge_error: Option<String>,
    /// The date of the last change, as the reader writes dates.
    updated: String,
}

async fn load(state: &AppState, id: &str) -> Result<Option<Organization>, sqlx::Error> {
    let mut conn = state.db.reader().acquire().await?;
    store::get(&mut conn, id).await
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    match load(&state, &id).await {
        Ok(Some(org)) => detail(&state, &user, ctx, org, None, StatusCode::OK),
        Ok(None) => ctx.not_found().into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

fn detail(
    state: &AppState,
    user: &User,
    ctx: PageCtx,
    org: Organization,
    merge_error: Option<String>,
    status: StatusCode,
) -> Response {
    let es = ctx.lang == crate::i18n::Lang::Es;
    let version = crate::reference::catalog::cnae_version(&org.cnae_version).unwrap_or("2025");
    let activities = org
        .cnae_codes
        .iter()
        .map(|c| {
            let t = state
                .catalog
                .cnae(version, c)
                .map(|i| title(i, es))
                .unwrap_or("");
            (display_cnae(c), t.to_owned())
        })
        .collect();
    let today = time::OffsetDateTime::now_utc().date();
    let certifications = org
        .certifications
        .iter()
        .map(|c| {
            let valid = c
                .expires_on
                .as_deref()
                .and_then(besaya_domain::directory::parse_date)
                .is_none_or(|d| d >= today);
            (c.clone(), valid)
        })
        .collect();
    let muni = org
        .municipality_code
        .as_deref()
        .and_then(|m| state.catalog.municipality(m));
    let page = DetailPage {
        kind: ctx.tr.t(&format!("kind-{}", org.kind)).to_owned(),
        municipality: muni.map(|m| m.name.clone()).unwrap_or_default(),
        in_district: muni.is_some_and(|m| m.in_district),
        activities,
        certifications,
        size: org
            .size_band
            .as_deref()
            .map(|b| ctx.tr.t(&format!("size-{b}")).to_owned())
            .unwrap_or_default(),
        can_edit: policy::can_edit(user, &org.id),
        can_admin: policy::can_merge(user),
        duplicates: if policy::can_merge(user) {
            state.directory.same_name(&org.name, Some(&org.id))
        } else {
            Vec::new()
        },
        merge_error,
        updated: local_date(&ctx, &org.updated_at),
        org,
        ctx,
    };
    (status, render(&page)).into_response()
}

/// `2026-11-29T…` as `29/11/2026` in Spanish, `2026-11-29` in English.
fn local_date(ctx: &PageCtx, timestamp: &str) -> String {
    let day = timestamp.get(..10).unwrap_or(timestamp);
    match (ctx.lang, day.split('-').collect::<Vec<_>>().as_slice()) {
        (crate::i18n::Lang::Es, [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => day.to_owned(),
    }
}

/// The edit form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    trade_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tax_id: String,
    #[serde(default)]
    cnae_version: String,
    #[serde(default)]
    cnae_1: String,
    #[serde(default)]
    cnae_2: String,
    #[serde(default)]
    cnae_3: String,
    #[serde(default)]
    cnae_4: String,
    #[serde(default)]
    municipality_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    employees: String,
    #[serde(default)]
    size_band: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    capabilities: String,
    #[serde(default)]
    certifications: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    pact_member: Option<String>,
    #[serde(default)]
    dir3_code: String,
    #[serde(default)]
    version: i64,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl OrgForm {
    fn from_org(o: &Organization, catalog: &Catalog) -> Self {
        let code = |i: usize| {
            o.cnae_codes
                .get(i)
                .map(|c| display_cnae(c))
                .unwrap_or_default()
        };
        let certs: Vec<Certification> = o.certifications();
        Self {
            name: o.name.clone(),
            trade_name: o.trade_name.clone().unwrap_or_default(),
            kind: o.kind.clone(),
            tax_id: o.tax_id.clone(),
            cnae_version: o.cnae_version.clone(),
            cnae_1: code(0),
            cnae_2: code(1),
            cnae_3: code(2),
            cnae_4: code(3),
            // The picker shows names; the code goes back to the record.
            municipality_code: o
                .municipality_code
                .as_deref()
                .map(|c| {
                    catalog
                        .municipality(c)
                        .map_or(c, |m| m.name.as_str())
                        .to_owned()
                })
                .unwrap_or_default(),
            address: o.address.clone().unwrap_or_default(),
            lat: o.lat.map(|x| x.to_string()).unwrap_or_default(),
            lon: o.lon.map(|x| x.to_string()).unwrap_or_default(),
            employees: o.employees.map(|x| x.to_string()).unwrap_or_default(),
            size_band: o.size_band.clone().unwrap_or_default(),
            description: o.description.clone(),
            capabilities: o.capabilities.clone(),
            certifications: Certification::format_list(&certs).replace("; ", "\n"),
            website: o.website.clone().unwrap_or_default(),
            email: o.email.clone().unwrap_or_default(),
            phone: o.phone.clone().unwrap_or_default(),
            pact_member: o.pact_member.then(|| "on".to_owned()),
            dir3_code: o.dir3_code.clone().unwrap_or_default(),
            version: o.version,
        }
    }

    /// The form as an API input; numbers that do not parse are reported here.
    fn to_input(&self, ctx: &PageCtx, catalog: &Catalog, errors: &mut FormErrors) -> OrgInput {
        let mut number = |field: &str, raw: &str| -> Option<f64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let n = raw
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite());
            if n.is_none() {
                errors.add(field, ctx.tr.t("org-err-number").to_owned());
            }
            n
        };
        let lat = number("lat", &self.lat);
        let lon = number("lon", &self.lon);
        // One coordinate that is not a number is its error; do not also ask for the pair.
        let (lat, lon) = if lat.is_none() != lon.is_none()
            && !self.lat.trim().is_empty()
            && !self.lon.trim().is_empty()
        {
            (None, None)
        } else {
            (lat, lon)
        };
        let employees = match self.employees.trim() {
            "" => None,
            raw => match raw.replace('.', "").parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add("employees", ctx.tr.t("org-err-integer").to_owned());
                    None
                }
            },
        };
        let certifications =
            match Certification::parse_list(&self.certifications.replace('\n', ";")) {
                Ok(list) => list.iter().map(CertificationDto::from).collect(),
                Err(e) => {
                    errors.add(
                        "certifications",
                        super::model::certification_error(&e, &ctx.tr),
                    );
                    Vec::new()
                }
            };
        let codes = [&self.cnae_1, &self.cnae_2, &self.cnae_3, &self.cnae_4]
            .iter()
            .flat_map(|c| split_codes(c).into_iter().take(1))
            .collect();
        OrgInput {
            name: opt(&self.name),
            trade_name: opt(&self.trade_name),
            kind: opt(&self.kind),
            tax_id: opt(&self.tax_id),
            cnae_version: opt(&self.cnae_version),
            cnae_codes: Some(codes),
            municipality_code: opt(&self.municipality_code).map(|m| catalog.municipality_code(&m)),
            address: opt(&self.address),
            lat,
            lon,
            employees,
            size_band: opt(&self.size_band),
            description: opt(&self.description),
            capabilities: opt(&self.capabilities),
            certifications: Some(certifications),
            website: opt(&self.website),
            email: opt(&self.email),
            phone: opt(&self.phone),
            pact_member: Some(self.pact_member.is_some()),
            dir3_code: opt(&self.dir3_code),
            version: Some(self.version),
        }
    }
}

/// The form field an invalid value belongs to.
fn form_field(i: &Invalid, form: &OrgForm) -> String {
    if let Some(rest) = i.field.strip_prefix("cnae_codes[") {
        // Codes are compacted: the n-th non-empty input.
        let n: usize = rest.trim_end_matches(']').parse().unwrap_or(0);
        let filled: Vec<usize> = [&form.cnae_1, &form.cnae_2, &form.cnae_3, &form.cnae_4]
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(k, _)| k + 1)
            .collect();
        return format!("cnae_{}", filled.get(n).copied().unwrap_or(1));
    }
    if i.field.starts_with("certifications") {
        return "certifications".into();
    }
    i.field.clone()
}

#[derive(Template)]
#[template(path = "orgs/form.html")]
struct FormPage {
    ctx: PageCtx,
    org: Option<Organization>,
    form: OrgForm,
    errors: FormErrors,
    /// On a stale edit: (field, stored now, yours).
    conflict: Vec<(String, String, String)>,
    existing: Option<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    sizes: Vec<(&'static str, String)>,
    versions: [&'static str; 2],
    municipalities: Vec<(String, String)>,
    cnae_options: Vec<(String, String)>,
    office: bool,
}

impl FormPage {
    fn new(
        state: &AppState,
        ctx: PageCtx,
        org: Option<Organization>,
        form: OrgForm,
        user: &User,
    ) -> Self {
        let es = ctx.lang == crate::i18n::Lang::Es;
        let version = crate::reference::catalog::cnae_version(&form.cnae_version).unwrap_or("2025");
        let cnae_options = state
            .catalog
            .classes(version)
            .into_iter()
            .map(|(code, info)| (display_cnae(code), title(info, es).to_owned()))
            .collect();
        Self {
            kinds: kind_options(&ctx),
            sizes: size_options(&ctx),
            versions: CNAE_VERSIONS,
            municipalities: municipality_options(state),
            cnae_options,
            office: user.role.is_office(),
            errors: FormErrors::default(),
            conflict: Vec::new(),
            existing: None,
            ctx,
            org,
            form,
        }
    }

    /// The activity inputs: (index, field id, value).
    fn cnae_inputs(&self) -> Vec<(usize, String, &str)> {
        [
            &self.form.cnae_1,
            &self.form.cnae_2,
            &self.form.cnae_3,
            &self.form.cnae_4,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, v)| (i, format!("cnae_{}", i + 1), v.as_str()))
        .collect()
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }
}

async fn new_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_create(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = OrgForm {
        kind: "company".into(),
        cnae_version: "2025".into(),
        ..OrgForm::default()
    };
    FormPage::new(&state, ctx, None, form, &user).respond(StatusCode::OK)
}

fn errors_of(invalid: &[Invalid], form: &OrgForm, ctx: &PageCtx, errors: &mut FormErrors) {
    for i in invalid {
        let field = form_field(i, form);
        if !errors.has(&field) {
            errors.add(&field, i.message(&ctx.tr));
        }
    }
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<OrgForm>,
) -> Response {
    if !policy::can_create(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let mut errors = FormErrors::default();
    let input = form.to_input(&ctx, &state.catalog, &mut errors);
    let valid = validate(&input, &state.catalog);
    let valid = match valid {
        Ok(v) if errors.is_empty() => v,
        Ok(_) => {
            let mut page = FormPage::new(&state, ctx, None, form, &user);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(invalid) => {
            errors_of(&invalid, &form, &ctx, &mut errors);
            let mut page = FormPage::new(&state, ctx, None, form, &user);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::insert(&mut tx, Some(&user.id), &valid)
        .await);
    match result {
        Ok(Ok(id)) => {
            if let Err(e) = state.directory.sync(&state.db, &state.catalog).await {
                return ctx.fail(e).into_response();
            }
            redirect_with(
                &format!("/directory/{id}"),
                &[flash_cookie("flash-org-created")],
            )
        }
        Ok(Err(WriteError::DuplicateTaxId { existing_id })) => {
            let name = state
                .directory
                .entry(&existing_id)
                .map(|e| e.name)
                .unwrap_or_default();
            errors.add("tax_id", ctx.tr.t("org-err-duplicate_tax_id").to_owned());
            let mut page = FormPage::new(&state, ctx, None, form, &user);
            page.errors = errors;
            page.existing = Some((existing_id, name));
            page.respond(StatusCode::CONFLICT)
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let org = match load(&state, &id).await {
        Ok(Some(o)) => o,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    if !policy::can_edit(&user, &id) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = OrgForm::from_org(&org, &state.catalog);
    FormPage::new(&state, ctx, Some(org), form, &user).respond(StatusCode::OK)
}

/// Fields whose stored value differs from what the user sent: (label, stored, yours).
fn differences(ctx: &PageCtx, stored: &OrgForm, yours: &OrgForm) -> Vec<(String, String, String)> {
    let pairs: [(&str, &str, &str); 20] = [
        ("field-org-name", &stored.name, &yours.name),
        ("field-trade-name", &stored.trade_name, &yours.trade_name),
        ("field-kind", &stored.kind, &yours.kind),
        ("field-tax-id", &stored.tax_id, &yours.tax_id),
        (
            "field-cnae-version",
            &stored.cnae_version,
            &yours.cnae_version,
        ),
        ("field-cnae-primary", &stored.cnae_1, &yours.cnae_1),
        ("field-cnae-other", &stored.cnae_2, &yours.cnae_2),
        (
            "field-municipality",
            &stored.municipality_code,
            &yours.municipality_code,
        ),
        ("field-address", &stored.address, &yours.address),
        ("field-lat", &stored.lat, &yours.lat),
        ("field-lon", &stored.lon, &yours.lon),
        ("field-employees", &stored.employees, &yours.employees),
        ("field-size-band", &stored.size_band, &yours.size_band),
        ("field-description", &stored.description, &yours.description),
        (
            "field-capabilities",
            &stored.capabilities,
            &yours.capabilities,
        ),
        (
            "field-certifications",
            &stored.certifications,
            &yours.certifications,
        ),
        ("field-website", &stored.website, &yours.website),
        ("field-email", &stored.email, &yours.email),
        ("field-phone", &stored.phone, &yours.phone),
        ("field-dir3", &stored.dir3_code, &yours.dir3_code),
    ];
    let mut out: Vec<(String, String, String)> = pairs
        .iter()
        .filter(|(_, a, b)| a.trim() != b.trim())
        .map(|(k, a, b)| (ctx.tr.t(k).to_owned(), (*a).to_owned(), (*b).to_owned()))
        .collect();
    if stored.pact_member.is_some() != yours.pact_member.is_some() {
        let yes_no = |b: bool| ctx.tr.t(if b { "yes" } else { "no" }).to_owned();
        out.push((
            ctx.tr.t("field-pact-member").to_owned(),
            yes_no(stored.pact_member.is_some()),
            yes_no(yours.pact_member.is_some()),
        ));
    }
    out
}

async fn save(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(mut form): CsrfForm<OrgForm>,
) -> Response {
    if !policy::can_read(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let current = match load(&state, &id).await {
        Ok(Some(o)) => o,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    if !policy::can_edit(&user, &id) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    if !policy::can_change_kind(&user) {
        // Only the office changes what an organisation is and its tax id.
        form.kind = current.kind.clone();
        form.tax_id = current.tax_id.clone();
        // Pact membership is the office's too (the box is disabled, so not sent).
        form.pact_member = current.pact_member.then(|| "on".to_owned());
    }
    if form.version != current.version {
        let stored = OrgForm::from_org(&current, &state.catalog);
        let conflict = differences(&ctx, &stored, &form);
        form.version = current.version;
        let mut page = FormPage::new(&state, ctx, Some(current), form, &user);
        page.conflict = conflict;
        return page.respond(StatusCode::CONFLICT);
    }
    let mut errors = FormErrors::default();
    let input = form.to_input(&ctx, &state.catalog, &mut errors);
    let valid = match validate(&input, &state.catalog) {
        Ok(v) if errors.is_empty() => v,
        Ok(_) => {
            let mut page = FormPage::new(&state, ctx, Some(current), form, &user);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(invalid) => {
            errors_of(&invalid, &form, &ctx, &mut errors);
            let mut page = FormPage::new(&state, ctx, Some(current), form, &user);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::update(
        &mut tx,
        Some(&user.id),
        &id,
        form.version,
        &valid
    )
    .await);
    match result {
        Ok(Ok(_)) => {
            if let Err(e) = state.directory.sync(&state.db, &state.catalog).await {
                return ctx.fail(e).into_response();
            }
            redirect_with(&format!("/directory/{id}"), &[flash_cookie("flash-saved")])
        }
        Ok(Err(WriteError::Conflict(_))) => {
            let fresh = match load(&state, &id).await {
                Ok(Some(o)) => o,
                Ok(None) => return ctx.not_found().into_response(),
                Err(e) => return ctx.fail(e).into_response(),
            };
            let conflict = differences(&ctx, &OrgForm::from_org(&fresh, &state.catalog), &form);
            form.version = fresh.version;
            let mut page = FormPage::new(&state, ctx, Some(fresh), form, &user);
            page.conflict = conflict;
            page.respond(StatusCode::CONFLICT)
        }
        Ok(Err(WriteError::DuplicateTaxId { existing_id })) => {
            let name = state
                .directory
                .entry(&existing_id)
                .map(|e| e.name)
                .unwrap_or_default();
            errors.add("tax_id", ctx.tr.t("org-err-duplicate_tax_id").to_owned());
            let mut page = FormPage::new(&state, ctx, Some(current), form, &user);
            page.errors = errors;
            page.existing = Some((existing_id, name));
            page.respond(StatusCode::CONFLICT)
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct MergeForm {
    #[serde(default)]
    from_tax_id: String,
    #[serde(default)]
    version: i64,
}

async fn merge(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> Response {
    if !policy::can_merge(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let current = match load(&state, &id).await {
        Ok(Some(o)) => o,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let tax = besaya_domain::directory::TaxId::parse(&form.from_tax_id)
        .map(|t| t.as_str().to_owned())
        .unwrap_or_else(|_| form.from_tax_id.trim().to_ascii_uppercase());
    let loser = match store::id_by_tax_id(state.db.reader(), &tax).await {
        Ok(Some(l)) if l != id => l,
        Ok(Some(_)) => {
            let msg = ctx.tr.t("merge-err-same").to_owned();
            return detail(
                &state,
                &user,
                ctx,
                current,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Ok(None) => {
            let msg = ctx.tr.t("merge-err-unknown").to_owned();
            return detail(
                &state,
                &user,
                ctx,
                current,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return ctx.fail(e).into_response(),
    };
    match api::merge_into(&state, &user, &id, &loser, form.version).await {
        Ok(_) => redirect_with(
            &format!("/directory/{id}"),
            &[flash_cookie("flash-org-merged")],
        ),
        Err(crate::api::ApiError::Conflict(_)) => {
            let msg = ctx.tr.t("conflict-text").to_owned();
            detail(&state, &user, ctx, current, Some(msg), StatusCode::CONFLICT)
        }
        Err(e) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    version: i64,
}

async fn delete(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Response {
    if !policy::can_delete(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let result = in_tx!(state, |tx| store::delete(
        &mut tx,
        Some(&user.id),
        &id,
        Some(form.version)
    )
    .await);
    match result {
        Ok(Ok(())) => {
            if let Err(e) = state.directory.sync(&state.db, &state.catalog).await {
                return ctx.fail(e).into_response();
            }
            redirect_with("/directory", &[flash_cookie("flash-org-deleted")])
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(
            e @ (WriteError::Conflict(_)
            | WriteError::HasUsers(_)
            | WriteError::HasProjects(_)
            | WriteError::HasProcedures(_)
            | WriteError::HasNeeds(_)),
        )) => {
            let msg = match e {
                WriteError::HasUsers(n) => ctx.tr.t1("delete-err-users", "count", n),
                WriteError::HasProjects(n) => ctx.tr.t1("delete-err-projects", "count", n),
                WriteError::HasProcedures(n) => ctx.tr.t1("delete-err-procedures", "count", n),
                WriteError::HasNeeds(n) => ctx.tr.t1("pact-api-delete-has-needs", "count", n),
                _ => ctx.tr.t("conflict-text").to_owned(),
            };
            match load(&state, &id).await {
                Ok(Some(org)) => detail(&state, &user, ctx, org, Some(msg), StatusCode::CONFLICT),
                Ok(None) => ctx.not_found().into_response(),
                Err(e) => ctx.fail(e).into_response(),
            }
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}
