//! The project form of the office: `/office/projects/new` and
//! `/office/projects/{id}/edit`. Every field of a project, the site
//! requirements as on the sites' matching form, the verified figures with their
//! evidence, owner and team. Errors come back next to each field (and in a
//! summary); an edit saved meanwhile by someone else is shown as a conflict
//! (409) with what differs, and saving again wins.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::directory::{display_cnae, parse_number};
use besaya_domain::office::Stage;

use super::Invalid;
use super::pages::{not_office, office_project, staff_options};
use super::projects::{self, Project, ProjectInput, ValidProject, WriteError};
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, User};
use crate::i18n::{Lang, Tr};
use crate::sites::api::{
    DateCriterion, ImportanceDto, MatchRequest, MaxCriterion, MinCriterion,
    MunicipalitiesCriterion, PresentCriterion, RangeCriterion, UseCriterion,
};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/projects/new", get(new_page).post(create))
        .route("/office/projects/{id}/edit", get(edit_page).post(save))
}

/// The form's fields in the order it shows them, with their labels.
const FIELDS: [(&str, &str); 39] = [
    ("code_name", "office-f-code_name"),
    ("investor_org_id", "office-f-investor_org_id"),
    ("cnae_code", "office-f-cnae_code"),
    ("description", "office-f-description"),
    ("area_min", "match-area-min"),
    ("area_max", "match-area-max"),
    ("area_imp", "office-req-area-imp"),
    ("use", "match-use"),
    ("use_imp", "office-req-use-imp"),
    ("power", "match-power"),
    ("power_imp", "office-req-power-imp"),
    ("rail", "site-f-rail_siding"),
    ("gas", "site-f-gas"),
    ("water", "match-water"),
    ("water_imp", "office-req-water-imp"),
    ("port_km", "match-port"),
    ("port_imp", "office-req-port-imp"),
    ("motorway_km", "match-motorway"),
    ("motorway_imp", "office-req-motorway-imp"),
    ("municipality", "match-municipalities"),
    ("municipality_imp", "office-req-municipality-imp"),
    ("sale_price", "match-sale"),
    ("sale_imp", "office-req-sale-imp"),
    ("rent_price", "match-rent"),
    ("rent_imp", "office-req-rent-imp"),
    ("available_by", "match-available-by"),
    ("available_imp", "office-req-available-imp"),
    (
        "investment_committed_eur",
        "office-f-investment_committed_eur",
    ),
    (
        "investment_verified_eur",
        "office-f-investment_verified_eur",
    ),
    ("investment_verified_on", "office-f-investment_verified_on"),
    (
        "investment_evidence_doc_id",
        "office-f-investment_evidence_doc_id",
    ),
    ("jobs_committed", "office-f-jobs_committed"),
    ("jobs_verified", "office-f-jobs_verified"),
    ("jobs_verified_on", "office-f-jobs_verified_on"),
    ("jobs_evidence_doc_id", "office-f-jobs_evidence_doc_id"),
    ("owner_id", "office-f-owner_id"),
    ("team", "office-f-team"),
    ("confidential", "office-f-confidential"),
    ("version", "office-f-version"),
];

/// The project form as typed.
#[derive(Debug, Default, Clone)]
pub struct ProjectForm {
    pub code_name: String,
    pub investor_org_id: String,
    pub cnae_code: String,
    pub description: String,
    pub area_min: String,
    pub area_max: String,
    pub area_imp: String,
    pub use_cnae: String,
    pub use_imp: String,
    pub power: String,
    pub power_imp: String,
    /// `required`, `preferred` or empty (does not matter).
    pub rail: String,
    pub gas: String,
    pub water: String,
    pub water_imp: String,
    pub port_km: String,
    pub port_imp: String,
    pub motorway_km: String,
    pub motorway_imp: String,
    pub municipality: Vec<String>,
    pub municipality_imp: String,
    pub sale_price: String,
    pub sale_imp: String,
    pub rent_price: String,
    pub rent_imp: String,
    pub available_by: String,
    pub available_imp: String,
    pub investment_committed_eur: String,
    pub investment_verified_eur: String,
    pub investment_verified_on: String,
    pub investment_evidence_doc_id: String,
    pub jobs_committed: String,
    pub jobs_verified: String,
    pub jobs_verified_on: String,
    pub jobs_evidence_doc_id: String,
    pub owner_id: String,
    pub team: Vec<String>,
    pub confidential: bool,
    pub version: i64,
}

/// Longest value kept of a typed field (the validation says what is too long).
const FIELD_MAX: usize = 20_000;

/// A figure as the form shows it, so that [`parse_number`] reads it back
/// unchanged: `12,5` in Spanish; in English `12.5`, and `1234.5670` rather than
/// `1234.567` (three decimals after a point read as thousands).
fn number_text(v: Option<f64>, lang: Lang) -> String {
    let Some(v) = v else {
        return String::new();
    };
    let mut s = format!("{v}");
    match lang {
        Lang::Es => s = s.replace('.', ","),
        Lang::En => {
            if s.split_once('.').is_some_and(|(_, frac)| frac.len() == 3) {
                s.push('0');
            }
        }
    }
    s
}

fn imp_text(i: ImportanceDto) -> String {
    match i {
        ImportanceDto::Required => "required".into(),
        ImportanceDto::Preferred => "preferred".into(),
    }
}

fn importance(s: &str) -> ImportanceDto {
    if s == "preferred" {
        ImportanceDto::Preferred
    } else {
        ImportanceDto::Required
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl ProjectForm {
    /// A new project: confidential, owned by whoever opens it.
    pub fn new_for(user: &User) -> Self {
        Self {
            confidential: true,
            owner_id: user.id.clone(),
            ..Self::default()
        }
    }

    /// The form from the `application/x-www-form-urlencoded` pairs sent.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            let v: String = v.chars().take(FIELD_MAX).collect();
            let slot = match k.as_str() {
                "code_name" => &mut f.code_name,
                "investor_org_id" => &mut f.investor_org_id,
                "cnae_code" => &mut f.cnae_code,
                "description" => &mut f.description,
                "area_min" => &mut f.area_min,
                "area_max" => &mut f.area_max,
                "area_imp" => &mut f.area_imp,
                "use" => &mut f.use_cnae,
                "use_imp" => &mut f.use_imp,
                "power" => &mut f.power,
                "power_imp" => &mut f.power_imp,
                "rail" => &mut f.rail,
                "gas" => &mut f.gas,
                "water" => &mut f.water,
                "water_imp" => &mut f.water_imp,
                "port_km" => &mut f.port_km,
                "port_imp" => &mut f.port_imp,
                "motorway_km" => &mut f.motorway_km,
                "motorway_imp" => &mut f.motorway_imp,
                "municipality_imp" => &mut f.municipality_imp,
                "sale_price" => &mut f.sale_price,
                "sale_imp" => &mut f.sale_imp,
                "rent_price" => &mut f.rent_price,
                "rent_imp" => &mut f.rent_imp,
                "available_by" => &mut f.available_by,
                "available_imp" => &mut f.available_imp,
                "investment_committed_eur" => &mut f.investment_committed_eur,
                "investment_verified_eur" => &mut f.investment_verified_eur,
                "investment_verified_on" => &mut f.investment_verified_on,
                "investment_evidence_doc_id" => &mut f.investment_evidence_doc_id,
                "jobs_committed" => &mut f.jobs_committed,
                "jobs_verified" => &mut f.jobs_verified,
                "jobs_verified_on" => &mut f.jobs_verified_on,
                "jobs_evidence_doc_id" => &mut f.jobs_evidence_doc_id,
                "owner_id" => &mut f.owner_id,
                "municipality" => {
                    if !v.trim().is_empty() && f.municipality.len() < 200 {
                        f.municipality.push(v);
                    }
                    continue;
                }
                "team" => {
                    if !v.trim().is_empty() && f.team.len() < 100 && !f.team.contains(&v) {
                        f.team.push(v);
                    }
                    continue;
                }
                "confidential" => {
                    f.confidential = !v.is_empty();
                    continue;
                }
                "version" => {
                    f.version = v.trim().parse().unwrap_or(0);
                    continue;
                }
                _ => continue,
            };
            *slot = v;
        }
        f
    }

    /// The form showing a stored project.
    pub fn from_project(p: &Project, lang: Lang) -> Self {
        let r = p.match_request();
        let n = |v: Option<f64>| number_text(v, lang);
        let t = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            code_name: p.code_name.clone(),
            investor_org_id: t(&p.investor_org_id),
            cnae_code: p.cnae_code.as_deref().map(display_cnae).unwrap_or_default(),
            description: p.description.clone(),
            area_min: n(r.area_m2.as_ref().and_then(|a| a.min)),
            area_max: n(r.area_m2.as_ref().and_then(|a| a.max)),
            area_imp: r
                .area_m2
                .as_ref()
                .map(|a| imp_text(a.importance))
                .unwrap_or_default(),
            use_cnae: r
                .use_cnae
                .as_ref()
                .map(|u| u.cnae.clone())
                .unwrap_or_default(),
            use_imp: r
                .use_cnae
                .as_ref()
                .map(|u| imp_text(u.importance))
                .unwrap_or_default(),
            power: n(r.power_kva.as_ref().map(|c| c.min)),
            power_imp: r
                .power_kva
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            rail: r
                .rail_siding
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            gas: r
                .gas
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            water: n(r.water_m3_day.as_ref().map(|c| c.min)),
            water_imp: r
                .water_m3_day
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            port_km: n(r.port_km.as_ref().map(|c| c.max)),
            port_imp: r
                .port_km
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            motorway_km: n(r.motorway_km.as_ref().map(|c| c.max)),
            motorway_imp: r
                .motorway_km
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            municipality: r
                .municipalities
                .as_ref()
                .map(|m| m.codes.clone())
                .unwrap_or_default(),
            municipality_imp: r
                .municipalities
                .as_ref()
                .map(|m| imp_text(m.importance))
                .unwrap_or_default(),
            sale_price: n(r.sale_price_m2.as_ref().map(|c| c.max)),
            sale_imp: r
                .sale_price_m2
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            rent_price: n(r.rent_m2_month.as_ref().map(|c| c.max)),
            rent_imp: r
                .rent_m2_month
                .as_ref()
                .map(|c| imp_text(c.importance))
                .unwrap_or_default(),
            available_by: r
                .available_by
                .as_ref()
                .map(|d| d.date.clone())
                .unwrap_or_default(),
            available_imp: r
                .available_by
                .as_ref()
                .map(|d| imp_text(d.importance))
                .unwrap_or_default(),
            investment_committed_eur: n(p.investment_committed_eur),
            investment_verified_eur: n(p.investment_verified_eur),
            investment_verified_on: t(&p.investment_verified_on),
            investment_evidence_doc_id: t(&p.investment_evidence_doc_id),
            jobs_committed: p.jobs_committed.map(|j| j.to_string()).unwrap_or_default(),
            jobs_verified: p.jobs_verified.map(|j| j.to_string()).unwrap_or_default(),
            jobs_verified_on: t(&p.jobs_verified_on),
            jobs_evidence_doc_id: t(&p.jobs_evidence_doc_id),
            owner_id: p.owner_id.clone(),
            team: p.team.clone(),
            confidential: p.confidential,
            version: p.version,
        }
    }

    /// A field's value as typed (lists joined), for the conflict table.
    fn value(&self, field: &str) -> String {
        match field {
            "code_name" => self.code_name.clone(),
            "investor_org_id" => self.investor_org_id.clone(),
            "cnae_code" => self.cnae_code.clone(),
            "description" => self.description.clone(),
            "area_min" => self.area_min.clone(),
            "area_max" => self.area_max.clone(),
            "area_imp" => self.area_imp.clone(),
            "use" => self.use_cnae.clone(),
            "use_imp" => self.use_imp.clone(),
            "power" => self.power.clone(),
            "power_imp" => self.power_imp.clone(),
            "rail" => self.rail.clone(),
            "gas" => self.gas.clone(),
            "water" => self.water.clone(),
            "water_imp" => self.water_imp.clone(),
            "port_km" => self.port_km.clone(),
            "port_imp" => self.port_imp.clone(),
            "motorway_km" => self.motorway_km.clone(),
            "motorway_imp" => self.motorway_imp.clone(),
            "municipality" => self.municipality.join("\n"),
            "municipality_imp" => self.municipality_imp.clone(),
            "sale_price" => self.sale_price.clone(),
            "sale_imp" => self.sale_imp.clone(),
            "rent_price" => self.rent_price.clone(),
            "rent_imp" => self.rent_imp.clone(),
            "available_by" => self.available_by.clone(),
            "available_imp" => self.available_imp.clone(),
            "investment_committed_eur" => self.investment_committed_eur.clone(),
            "investment_verified_eur" => self.investment_verified_eur.clone(),
            "investment_verified_on" => self.investment_verified_on.clone(),
            "investment_evidence_doc_id" => self.investment_evidence_doc_id.clone(),
            "jobs_committed" => self.jobs_committed.clone(),
            "jobs_verified" => self.jobs_verified.clone(),
            "jobs_verified_on" => self.jobs_verified_on.clone(),
            "jobs_evidence_doc_id" => self.jobs_evidence_doc_id.clone(),
            "owner_id" => self.owner_id.clone(),
            "team" => {
                let mut t = self.team.clone();
                t.sort();
                t.join("\n")
            }
            "confidential" => if self.confidential { "on" } else { "" }.to_owned(),
            _ => String::new(),
        }
    }

    /// The form as the API's input; figures that are not numbers are reported in `errors`.
    pub fn to_input(&self, tr: &Tr, errors: &mut FormErrors) -> ProjectInput {
        let mut number = |field: &str, raw: &str| -> Option<f64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let n = parse_number(raw);
            if n.is_none() {
                errors.add(field, Invalid::with(field, "number", raw).message(tr));
            }
            n
        };
        let area_min = number("area_min", &self.area_min);
        let area_max = number("area_max", &self.area_max);
        let power = number("power", &self.power);
        let water = number("water", &self.water);
        let port = number("port_km", &self.port_km);
        let motorway = number("motorway_km", &self.motorway_km);
        let sale = number("sale_price", &self.sale_price);
        let rent = number("rent_price", &self.rent_price);
        let investment_committed =
            number("investment_committed_eur", &self.investment_committed_eur);
        let investment_verified = number("investment_verified_eur", &self.investment_verified_eur);
        let jobs_committed = number("jobs_committed", &self.jobs_committed);
        let jobs_verified = number("jobs_verified", &self.jobs_verified);
        let mut whole = |field: &str, raw: &str, v: Option<f64>| -> Option<i64> {
            let v = v?;
            if v.fract() != 0.0 || !v.is_finite() || v.abs() > 1e12 {
                errors.add(
                    field,
                    Invalid::with(field, "whole_number", raw.trim()).message(tr),
                );
                return None;
            }
            Some(v as i64)
        };
        let jobs_committed = whole("jobs_committed", &self.jobs_committed, jobs_committed);
        let jobs_verified = whole("jobs_verified", &self.jobs_verified, jobs_verified);
        let present = |v: &str| {
            matches!(v, "required" | "preferred").then(|| PresentCriterion {
                importance: importance(v),
            })
        };
        let req = MatchRequest {
            area_m2: (area_min.is_some() || area_max.is_some()).then(|| RangeCriterion {
                min: area_min,
                max: area_max,
                importance: importance(&self.area_imp),
            }),
            use_cnae: opt(&self.use_cnae).map(|c| UseCriterion {
                cnae: c,
                importance: importance(&self.use_imp),
            }),
            power_kva: power.map(|min| MinCriterion {
                min,
                importance: importance(&self.power_imp),
            }),
            rail_siding: present(&self.rail),
            gas: present(&self.gas),
            water_m3_day: water.map(|min| MinCriterion {
                min,
                importance: importance(&self.water_imp),
            }),
            port_km: port.map(|max| MaxCriterion {
                max,
                importance: importance(&self.port_imp),
            }),
            motorway_km: motorway.map(|max| MaxCriterion {
                max,
                importance: importance(&self.motorway_imp),
            }),
            sale_price_m2: sale.map(|max| MaxCriterion {
                max,
                importance: importance(&self.sale_imp),
            }),
            rent_m2_month: rent.map(|max| MaxCriterion {
                max,
                importance: importance(&self.rent_imp),
            }),
            available_by: opt(&self.available_by).map(|d| DateCriterion {
                date: d,
                importance: importance(&self.available_imp),
            }),
            municipalities: (!self.municipality.is_empty()).then(|| MunicipalitiesCriterion {
                codes: self.municipality.clone(),
                importance: importance(&self.municipality_imp),
            }),
            include_incomplete: None,
            limit: None,
        };
        let any = serde_json::to_value(&req)
            .ok()
            .and_then(|v| v.as_object().map(|m| m.values().any(|x| !x.is_null())))
            .unwrap_or(false);
        ProjectInput {
            code_name: opt(&self.code_name),
            investor_org_id: opt(&self.investor_org_id),
            cnae_code: opt(&self.cnae_code),
            description: opt(&self.description),
            requirements: any.then_some(req),
            investment_committed_eur: investment_committed,
            investment_verified_eur: investment_verified,
            investment_verified_on: opt(&self.investment_verified_on),
            investment_evidence_doc_id: opt(&self.investment_evidence_doc_id),
            jobs_committed,
            jobs_verified,
            jobs_verified_on: opt(&self.jobs_verified_on),
            jobs_evidence_doc_id: opt(&self.jobs_evidence_doc_id),
            owner_id: opt(&self.owner_id),
            team: Some(self.team.clone()),
            confidential: Some(self.confidential),
        }
    }
}

/// The form's field that shows a validation error of `field`.
fn form_field(field: &str) -> &str {
    match field.strip_prefix("requirements.") {
        Some(r) => match r.split('.').next().unwrap_or(r) {
            "area_m2" if r.ends_with(".max") => "area_max",
            "area_m2" => "area_min",
            "use" => "use",
            "power_kva" => "power",
            "water_m3_day" => "water",
            "port_km" => "port_km",
            "motorway_km" => "motorway_km",
            "sale_price_m2" => "sale_price",
            "rent_m2_month" => "rent_price",
            "available_by" => "available_by",
            "municipalities" => "municipality",
            "rail_siding" => "rail",
            "gas" => "gas",
            _ => "area_min",
        },
        None if field.starts_with("team[") => "team",
        None => field,
    }
}

/// The errors found while reading the form, then the validation's (several
/// for one field joined), in the order the form shows its fields.
fn merge_errors(parsed: FormErrors, invalid: &[Invalid], tr: &Tr) -> FormErrors {
    let mut all: Vec<(String, String)> = parsed.items().to_vec();
    for i in invalid {
        let field = form_field(&i.field);
        if parsed.has(field) {
            continue;
        }
        let message = i.message(tr);
        match all.iter_mut().find(|(f, _)| f == field) {
            Some((_, m)) => {
                if !m.contains(&message) {
                    m.push(' ');
                    m.push_str(&message);
                }
            }
            None => all.push((field.to_owned(), message)),
        }
    }
    let position = |f: &str| {
        FIELDS
            .iter()
            .position(|(o, _)| *o == f)
            .unwrap_or(FIELDS.len())
    };
    all.sort_by_key(|(f, _)| position(f));
    let mut out = FormErrors::default();
    for (f, m) in all {
        out.add(&f, m);
    }
    out
}

#[derive(Template)]
#[template(path = "office/form.html")]
struct FormPage {
    ctx: PageCtx,
    // The tabs partial's variables (an edit shows the project's tabs).
    project_id: String,
    project_title: String,
    tab: &'static str,
    portal: bool,
    editing: bool,
    form: ProjectForm,
    errors: FormErrors,
    /// Someone else saved the project meanwhile.
    stale: bool,
    /// On a stale edit: (field, stored now, yours).
    conflict: Vec<(String, String, String)>,
    investors: Vec<(String, String)>,
    staff: Vec<(String, String)>,
    documents: Vec<(String, String)>,
    municipalities: Vec<(String, String)>,
}

impl FormPage {
    async fn new(
        state: &AppState,
        ctx: PageCtx,
        project: Option<&Project>,
        access_title: Option<String>,
        form: ProjectForm,
    ) -> Result<Self, Response> {
        let loaded = async {
            let investors: Vec<(String, String)> = sqlx::query_as(
                "SELECT id, name FROM organizations WHERE kind = 'investor' OR id = $1 ORDER BY name, id LIMIT 2000",
            )
            .bind(&form.investor_org_id)
            .fetch_all(state.db.reader())
            .await?;
            let staff = staff_options(state).await?;
            let documents: Vec<(String, String)> = match project {
                Some(p) => {
                    sqlx::query_as(
                        "SELECT id, title FROM project_documents WHERE project_id = $1 AND file_id IS NOT NULL ORDER BY title, id",
                    )
                    .bind(&p.id)
                    .fetch_all(state.db.reader())
                    .await?
                }
                None => Vec::new(),
            };
            Ok::<_, sqlx::Error>((investors, staff, documents))
        }
        .await;
        let (investors, staff, documents) = match loaded {
            Ok(l) => l,
            Err(e) => return Err(ctx.fail(e).into_response()),
        };
        let municipalities = state
            .catalog
            .municipalities_by_name()
            .into_iter()
            .map(|(c, m)| (c.to_owned(), m.name.clone()))
            .collect();
        Ok(Self {
            project_id: project.map(|p| p.id.clone()).unwrap_or_default(),
            project_title: access_title.unwrap_or_default(),
            tab: "summary",
            portal: false,
            editing: project.is_some(),
            form,
            errors: FormErrors::default(),
            stale: false,
            conflict: Vec::new(),
            investors,
            staff,
            documents,
            municipalities,
            ctx,
        })
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }

    pub fn in_team(&self, id: &str) -> bool {
        self.form.team.iter().any(|t| t == id)
    }

    pub fn municipality_chosen(&self, code: &str) -> bool {
        self.form.municipality.iter().any(|m| m == code)
    }

    /// A field's value as a reader sees it: names for ids, words for choices.
    fn shown(&self, field: &str, raw: &str) -> String {
        let tr = &self.ctx.tr;
        let name_in = |options: &[(String, String)], v: &str| {
            options
                .iter()
                .find(|(id, _)| id == v)
                .map_or_else(|| v.to_owned(), |(_, n)| n.clone())
        };
        if field == "confidential" {
            return tr
                .t(if raw.is_empty() {
                    "office-no"
                } else {
                    "office-yes"
                })
                .to_owned();
        }
        if raw.trim().is_empty() {
            return tr.t("office-empty").to_owned();
        }
        match field {
            "investor_org_id" => name_in(&self.investors, raw),
            "owner_id" => name_in(&self.staff, raw),
            "team" => raw
                .lines()
                .map(|t| name_in(&self.staff, t))
                .collect::<Vec<_>>()
                .join(", "),
            "municipality" => raw
                .lines()
                .map(|m| name_in(&self.municipalities, m))
                .collect::<Vec<_>>()
                .join(", "),
            "investment_evidence_doc_id" | "jobs_evidence_doc_id" => name_in(&self.documents, raw),
            "rail" | "gas" | "area_imp" | "use_imp" | "power_imp" | "water_imp" | "port_imp"
            | "motorway_imp" | "municipality_imp" | "sale_imp" | "rent_imp" | "available_imp" => tr
                .t(if raw == "preferred" {
                    "match-preferred"
                } else {
                    "match-required"
                })
                .to_owned(),
            _ => raw.to_owned(),
        }
    }

    /// What differs between the stored project and the form sent.
    fn conflict_with(
        &self,
        stored: &ProjectForm,
        yours: &ProjectForm,
    ) -> Vec<(String, String, String)> {
        let same = |field: &str, a: &str, b: &str| {
            let imp = field.ends_with("_imp");
            let norm = |s: &str| {
                let s = s.trim();
                if imp && s.is_empty() {
                    "required".to_owned()
                } else {
                    s.to_owned()
                }
            };
            let (a, b) = (norm(a), norm(b));
            a == b || (parse_number(&a).is_some() && parse_number(&a) == parse_number(&b))
        };
        FIELDS
            .iter()
            .filter(|(f, _)| *f != "version")
            .filter_map(|(f, label)| {
                let (a, b) = (stored.value(f), yours.value(f));
                (!same(f, &a, &b)).then(|| {
                    (
                        self.ctx.tr.t(label).to_owned(),
                        self.shown(f, &a),
                        self.shown(f, &b),
                    )
                })
            })
            .collect()
    }
}

/// Reads and checks the form: the valid project, or the page's errors.
fn check(
    state: &AppState,
    tr: &Tr,
    user: &User,
    form: &ProjectForm,
) -> Result<ValidProject, FormErrors> {
    let mut parsed = FormErrors::default();
    let input = form.to_input(tr, &mut parsed);
    match projects::validate(&input, &state.catalog, user) {
        Ok(v) if parsed.is_empty() => Ok(v),
        Ok(_) => Err(merge_errors(parsed, &[], tr)),
        Err(invalid) => Err(merge_errors(parsed, &invalid, tr)),
    }
}

async fn new_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let form = ProjectForm::new_for(&user);
    match FormPage::new(&state, ctx, None, None, form).await {
        Ok(p) => p.respond(StatusCode::OK),
        Err(r) => r,
    }
}

/// The form again with errors (422).
async fn with_errors(
    state: &AppState,
    ctx: PageCtx,
    project: Option<(&Project, String)>,
    form: ProjectForm,
    errors: FormErrors,
) -> Response {
    let (p, title) = match project {
        Some((p, t)) => (Some(p), Some(t)),
        None => (None, None),
    };
    match FormPage::new(state, ctx, p, title, form).await {
        Ok(mut page) => {
            page.errors = errors;
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(r) => r,
    }
}

/// What a write ended in, for the pages.
enum Saved {
    Done(String),
    Invalid(Vec<Invalid>),
    Error(WriteError),
}

async fn create(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = not_office(&user, &ctx) {
        return r;
    }
    let form = ProjectForm::from_pairs(pairs);
    let valid = match check(&state, &ctx.tr, &user, &form) {
        Ok(v) => v,
        Err(errors) => return with_errors(&state, ctx, None, form, errors).await,
    };
    let done: Result<Saved, sqlx::Error> = async {
        let mut tx = state.db.writer().begin().await?;
        let errs = projects::check_references(&mut tx, &valid, None).await?;
        if !errs.is_empty() {
            return Ok(Saved::Invalid(errs));
        }
        match projects::create(&mut tx, Some(&user.id), &valid, Stage::Inquiry, None).await {
            Ok(id) => {
                tx.commit().await?;
                Ok(Saved::Done(id))
            }
            Err(e) => Ok(Saved::Error(e)),
        }
    }
    .await;
    match done {
        Ok(Saved::Done(id)) => redirect_with(
            &format!("/office/projects/{id}"),
            &[flash_cookie("flash-office-project-created")],
        ),
        Ok(Saved::Invalid(errs)) => {
            let errors = merge_errors(FormErrors::default(), &errs, &ctx.tr);
            with_errors(&state, ctx, None, form, errors).await
        }
        Ok(Saved::Error(WriteError::DuplicateCodeName)) => {
            let errors = merge_errors(
                FormErrors::default(),
                &[Invalid::new("code_name", "duplicate_code_name")],
                &ctx.tr,
            );
            with_errors(&state, ctx, None, form, errors).await
        }
        Ok(Saved::Error(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (p, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let form = ProjectForm::from_project(&p, ctx.lang);
    let title = p.title(access).to_owned();
    match FormPage::new(&state, ctx, Some(&p), Some(title), form).await {
        Ok(page) => page.respond(StatusCode::OK),
        Err(r) => r,
    }
}

/// The form again after someone else saved the project meanwhile: their
/// version is the one to overwrite now, and a table shows what differs.
async fn conflict(
    state: &AppState,
    ctx: PageCtx,
    current: &Project,
    title: String,
    mut form: ProjectForm,
) -> Response {
    let stored = ProjectForm::from_project(current, ctx.lang);
    form.version = current.version;
    match FormPage::new(state, ctx, Some(current), Some(title), form).await {
        Ok(mut page) => {
            page.conflict = page.conflict_with(&stored, &page.form);
            page.stale = true;
            page.respond(StatusCode::CONFLICT)
        }
        Err(r) => r,
    }
}

async fn save(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (current, access) = match office_project(&state, &user, &ctx, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !access.edit {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let title = current.title(access).to_owned();
    let form = ProjectForm::from_pairs(pairs);
    if form.version != current.version {
        return conflict(&state, ctx, &current, title, form).await;
    }
    let valid = match check(&state, &ctx.tr, &user, &form) {
        Ok(v) => v,
        Err(errors) => {
            return with_errors(&state, ctx, Some((&current, title)), form, errors).await;
        }
    };
    let done: Result<Saved, sqlx::Error> = async {
        let mut tx = state.db.writer().begin().await?;
        let errs = projects::check_references(&mut tx, &valid, Some(&id)).await?;
        if !errs.is_empty() {
            return Ok(Saved::Invalid(errs));
        }
        match projects::update(&mut tx, Some(&user.id), &id, form.version, &valid).await {
            Ok(_) => {
                tx.commit().await?;
                Ok(Saved::Done(id.clone()))
            }
            Err(e) => Ok(Saved::Error(e)),
        }
    }
    .await;
    match done {
        Ok(Saved::Done(_)) => redirect_with(
            &format!("/office/projects/{id}"),
            &[flash_cookie("flash-office-project-saved")],
        ),
        Ok(Saved::Invalid(errs)) => {
            let errors = merge_errors(FormErrors::default(), &errs, &ctx.tr);
            with_errors(&state, ctx, Some((&current, title)), form, errors).await
        }
        Ok(Saved::Error(WriteError::DuplicateCodeName)) => {
            let errors = merge_errors(
                FormErrors::default(),
                &[Invalid::new("code_name", "duplicate_code_name")],
                &ctx.tr,
            );
            with_errors(&state, ctx, Some((&current, title)), form, errors).await
        }
        Ok(Saved::Error(WriteError::Conflict(_))) => {
            match office_project(&state, &user, &ctx, &id).await {
                Ok((fresh, a)) => {
                    let title = fresh.title(a).to_owned();
                    conflict(&state, ctx, &fresh, title, form).await
                }
                Err(r) => r,
            }
        }
        Ok(Saved::Error(WriteError::NotFound)) => PageError::page(ctx, StatusCode::NOT_FOUND),
        Ok(Saved::Error(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}
