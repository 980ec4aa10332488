//! The office's pages for the catalogue: create and edit sites and estates (with
//! errors next to each field and the version check), move a site's
//! availability, attach photos and documents, delete, and the list of sites
//! whose facts nobody has checked for a while. Forms work without JavaScript.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use besaya_domain::directory::{format_date, parse_date};
use besaya_domain::sites::availability::{
    Availability, EnvironmentalStatus, FloodRisk, SiteKind, allowed_from,
};
use serde::Deserialize;
use serde_json::Value;

use super::api::parse_move;
use super::catalogue::Snapshot;
use super::model::{Estate, EstateInput, Invalid, Site, SiteInput, validate_estate, validate_site};
use super::store::{self, Move, NewFile, WriteError};
use super::{photos, policy};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::{SignedIn, secret};
use crate::db::in_tx;
use crate::i18n::{Lang, Tr};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, PageError, flash_cookie, redirect_with, render};
use besaya_domain::directory::parse_number;

/// Longest title of a photo or document.
const TITLE_MAX: usize = 200;
/// What is still read (and thrown away) of an upload over the limit, so that the
/// browser gets the answer instead of a broken connection.
const DRAIN_MAX: usize = 256 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites/new", get(new_site_page).post(create_site))
        .route("/sites/stale", get(stale_page))
        .route("/sites/{id}/edit", get(edit_site_page).post(save_site))
        .route("/sites/{id}/manage", get(manage_page))
        .route("/sites/{id}/availability", post(move_availability))
        .route(
            "/sites/{id}/files",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/sites/{id}/files/{file_id}/delete", post(remove_file))
        .route("/sites/{id}/delete", post(delete_site))
        .route("/estates", get(estates_page))
        .route("/estates/new", get(new_estate_page).post(create_estate))
        .route(
            "/estates/{id}/edit",
            get(edit_estate_page).post(save_estate),
        )
        .route("/estates/{id}/delete", post(delete_estate))
}

// ---- Shared helpers ----

async fn snapshot(state: &AppState, ctx: &PageCtx) -> Result<Arc<Snapshot>, Response> {
    state
        .sites
        .get(&state.db, &state.catalog)
        .await
        .map_err(|e| ctx.fail(e).into_response())
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// `2026-11-29` (or a timestamp) as `29/11/2026` in Spanish, `2026-11-29` in English.
fn local_date(lang: Lang, date: &str) -> String {
    let day = date.get(..10).unwrap_or(date);
    match (lang, day.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::Es, [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => day.to_owned(),
    }
}

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

/// A coordinate as typed: a decimal point or comma, never a thousands separator.
fn parse_coordinate(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A file size for people: `340 KB`, `1,2 MB`.
fn size_text(bytes: i64, lang: Lang) -> String {
    let b = bytes.max(0) as f64;
    let (v, unit) = if b >= 1024.0 * 1024.0 {
        (b / (1024.0 * 1024.0), "MB")
    } else {
        ((b / 1024.0).max(1.0), "KB")
    };
    let mut s = if v >= 10.0 || unit == "KB" {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if lang == Lang::Es {
        s = s.replace('.', ",");
    }
    format!("{s} {unit}")
}

fn number(errors: &mut FormErrors, tr: &Tr, field: &str, raw: &str) -> Option<f64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let n = parse_number(raw);
    if n.is_none() {
        errors.add(field, Invalid::with(field, "number", raw).message(tr));
    }
    n
}

fn coordinate(errors: &mut FormErrors, tr: &Tr, field: &str, raw: &str) -> Option<f64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let n = parse_coordinate(raw);
    if n.is_none() {
        errors.add(field, Invalid::with(field, "number", raw).message(tr));
    }
    n
}

/// A yes / no / unknown choice: unknown stays unknown.
fn tri(errors: &mut FormErrors, tr: &Tr, field: &str, raw: &str) -> Option<bool> {
    match raw.trim() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        other => {
            errors.add(
                field,
                Invalid::with(field, "invalid_choice", other).message(tr),
            );
            None
        }
    }
}

fn tri_text(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Adds the validation errors (one message per field, several joined) to the
/// ones found while reading the form, and orders them as the form shows its fields.
fn merge_errors(parsed: FormErrors, invalid: &[Invalid], tr: &Tr, order: &[&str]) -> FormErrors {
    let mut all: Vec<(String, String)> = parsed.items().to_vec();
    let mut extra: Vec<(String, String)> = Vec::new();
    for i in invalid {
        if parsed.has(&i.field) {
            continue;
        }
        let message = i.message(tr);
        match extra.iter_mut().find(|(f, _)| *f == i.field) {
            Some((_, m)) => {
                if !m.contains(&message) {
                    m.push(' ');
                    m.push_str(&message);
                }
            }
            None => extra.push((i.field.clone(), message)),
        }
    }
    all.extend(extra);
    let position = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    all.sort_by_key(|(f, _)| position(f));
    let mut out = FormErrors::default();
    for (f, m) in all {
        out.add(&f, m);
    }
    out
}

/// Rows of a "what changed meanwhile" table: (field, stored now, yours), only those that differ.
fn differences(rows: Vec<(String, String, String)>) -> Vec<(String, String, String)> {
    rows.into_iter()
        .filter(|(_, a, b)| a.trim() != b.trim())
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

/// Longest option label of a select: a longer one would widen the select, and
/// with it the form, past a phone's screen.
const OPTION_MAX: usize = 30;

/// An option label cut to [`OPTION_MAX`] characters, at a word when it can, with "…".
fn short_label(label: &str) -> String {
    if label.chars().count() <= OPTION_MAX {
        return label.to_owned();
    }
    let head: String = label.chars().take(OPTION_MAX - 1).collect();
    let cut = match head.rfind(' ') {
        Some(i) if head[..i].chars().count() >= OPTION_MAX / 2 => &head[..i],
        _ => head.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', '(', '-']))
}

fn label_of<'a>(options: &'a [(String, String)], value: &str) -> Option<&'a str> {
    options
        .iter()
        .find(|(v, _)| v == value)
        .map(|(_, l)| l.as_str())
}

// ---- The site form ----

/// The site form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct SiteForm {
    name: String,
    reference: String,
    kind: String,
    estate_id: String,
    published: Option<String>,
    municipality_code: String,
    address: String,
    lat: String,
    lon: String,
    outline: String,
    cadastral_refs: String,
    area_m2: String,
    net_area_m2: String,
    buildable_m2: String,
    permitted_uses: String,
    uses_text: String,
    planning_status: String,
    availability: String,
    available_from: String,
    sale_price_m2: String,
    rent_m2_month: String,
    rent_to_buy: String,
    power_kva: String,
    voltage_kv: String,
    substation_km: String,
    gas: String,
    water_m3_day: String,
    sewerage: String,
    fibre: String,
    rail_siding: String,
    motorway_km: String,
    port_km: String,
    airport_km: String,
    flood_risk: String,
    environmental_status: String,
    environmental_notes: String,
    owner: String,
    managing_body: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    description: String,
    internal_notes: String,
    last_verified_on: String,
    version: i64,
}

/// The site form's fields in the order the form shows them.
const SITE_FIELDS: [&str; 44] = [
    "name",
    "reference",
    "kind",
    "estate_id",
    "published",
    "municipality_code",
    "address",
    "lat",
    "lon",
    "outline",
    "cadastral_refs",
    "area_m2",
    "net_area_m2",
    "buildable_m2",
    "permitted_uses",
    "uses_text",
    "planning_status",
    "availability",
    "available_from",
    "sale_price_m2",
    "rent_m2_month",
    "rent_to_buy",
    "power_kva",
    "voltage_kv",
    "substation_km",
    "gas",
    "water_m3_day",
    "sewerage",
    "fibre",
    "rail_siding",
    "motorway_km",
    "port_km",
    "airport_km",
    "flood_risk",
    "environmental_status",
    "environmental_notes",
    "owner",
    "managing_body",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
    "internal_notes",
    "last_verified_on",
];

/// The catalogue key of a field's label.
fn site_label_key(field: &str) -> String {
    match field {
        "estate_id" => "site-f-estate".into(),
        "municipality_code" => "site-f-municipality".into(),
        f => format!("site-f-{f}"),
    }
}

impl SiteForm {
    fn from_site(s: &Site, lang: Lang) -> Self {
        let n = |v: Option<f64>| number_text(v, lang);
        let c = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: s.name.clone(),
            reference: text(&s.reference),
            kind: s.kind.clone(),
            estate_id: text(&s.estate_id),
            published: s.published.then(|| "on".to_owned()),
            municipality_code: s.municipality_code.clone(),
            address: text(&s.address),
            lat: c(s.lat),
            lon: c(s.lon),
            outline: s.outline.as_ref().map(Value::to_string).unwrap_or_default(),
            cadastral_refs: s.cadastral_refs.join("\n"),
            area_m2: n(s.area_m2),
            net_area_m2: n(s.net_area_m2),
            buildable_m2: n(s.buildable_m2),
            permitted_uses: s.permitted_uses.join(", "),
            uses_text: text(&s.uses_text),
            planning_status: text(&s.planning_status),
            availability: text(&s.availability),
            available_from: text(&s.available_from),
            sale_price_m2: n(s.sale_price_m2),
            rent_m2_month: n(s.rent_m2_month),
            rent_to_buy: tri_text(s.rent_to_buy),
            power_kva: n(s.power_kva),
            voltage_kv: n(s.voltage_kv),
            substation_km: n(s.substation_km),
            gas: tri_text(s.gas),
            water_m3_day: n(s.water_m3_day),
            sewerage: tri_text(s.sewerage),
            fibre: tri_text(s.fibre),
            rail_siding: tri_text(s.rail_siding),
            motorway_km: n(s.motorway_km),
            port_km: n(s.port_km),
            airport_km: n(s.airport_km),
            flood_risk: text(&s.flood_risk),
            environmental_status: text(&s.environmental_status),
            environmental_notes: text(&s.environmental_notes),
            owner: text(&s.owner),
            managing_body: text(&s.managing_body),
            contact_name: text(&s.contact_name),
            contact_email: text(&s.contact_email),
            contact_phone: text(&s.contact_phone),
            description: s.description.clone(),
            internal_notes: text(&s.internal_notes),
            last_verified_on: text(&s.last_verified_on),
            version: s.version,
        }
    }

    /// A field's value as typed (the check box: `on` or empty).
    fn value(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "reference" => &self.reference,
            "kind" => &self.kind,
            "estate_id" => &self.estate_id,
            "published" => self.published.as_deref().map_or("", |_| "on"),
            "municipality_code" => &self.municipality_code,
            "address" => &self.address,
            "lat" => &self.lat,
            "lon" => &self.lon,
            "outline" => &self.outline,
            "cadastral_refs" => &self.cadastral_refs,
            "area_m2" => &self.area_m2,
            "net_area_m2" => &self.net_area_m2,
            "buildable_m2" => &self.buildable_m2,
            "permitted_uses" => &self.permitted_uses,
            "uses_text" => &self.uses_text,
            "planning_status" => &self.planning_status,
            "availability" => &self.availability,
            "available_from" => &self.available_from,
            "sale_price_m2" => &self.sale_price_m2,
            "rent_m2_month" => &self.rent_m2_month,
            "rent_to_buy" => &self.rent_to_buy,
            "power_kva" => &self.power_kva,
            "voltage_kv" => &self.voltage_kv,
            "substation_km" => &self.substation_km,
            "gas" => &self.gas,
            "water_m3_day" => &self.water_m3_day,
            "sewerage" => &self.sewerage,
            "fibre" => &self.fibre,
            "rail_siding" => &self.rail_siding,
            "motorway_km" => &self.motorway_km,
            "port_km" => &self.port_km,
            "airport_km" => &self.airport_km,
            "flood_risk" => &self.flood_risk,
            "environmental_status" => &self.environmental_status,
            "environmental_notes" => &self.environmental_notes,
            "owner" => &self.owner,
            "managing_body" => &self.managing_body,
            "contact_name" => &self.contact_name,
            "contact_email" => &self.contact_email,
            "contact_phone" => &self.contact_phone,
            "description" => &self.description,
            "internal_notes" => &self.internal_notes,
            "last_verified_on" => &self.last_verified_on,
            _ => "",
        }
    }

    /// The form as an API input; figures that are not numbers and choices that
    /// are not offered are reported in `errors`. The availability is only taken
    /// when creating (afterwards it moves on the management page).
    fn to_input(&self, tr: &Tr, errors: &mut FormErrors, creating: bool) -> SiteInput {
        let e = errors;
        let lat = coordinate(e, tr, "lat", &self.lat);
        let lon = coordinate(e, tr, "lon", &self.lon);
        // A coordinate that is not a number is its own error: do not also ask for the pair.
        let (lat, lon) = if e.has("lat") || e.has("lon") {
            (None, None)
        } else {
            (lat, lon)
        };
        let list = |raw: &str, seps: &[char]| -> Vec<String> {
            raw.split(|c: char| seps.contains(&c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        SiteInput {
            reference: opt(&self.reference),
            name: opt(&self.name),
            kind: opt(&self.kind),
            estate_id: opt(&self.estate_id),
            published: Some(self.published.is_some()),
            municipality_code: opt(&self.municipality_code),
            address: opt(&self.address),
            lat,
            lon,
            outline: opt(&self.outline).map(Value::String),
            cadastral_refs: Some(list(&self.cadastral_refs, &['\n', '\r', ',', ';'])),
            area_m2: number(e, tr, "area_m2", &self.area_m2),
            net_area_m2: number(e, tr, "net_area_m2", &self.net_area_m2),
            buildable_m2: number(e, tr, "buildable_m2", &self.buildable_m2),
            permitted_uses: Some(list(
                &self.permitted_uses,
                &[',', ';', ' ', '\t', '\n', '\r'],
            )),
            uses_text: opt(&self.uses_text),
            planning_status: opt(&self.planning_status),
            availability: if creating {
                opt(&self.availability)
            } else {
                None
            },
            available_from: if creating {
                opt(&self.available_from)
            } else {
                None
            },
            sale_price_m2: number(e, tr, "sale_price_m2", &self.sale_price_m2),
            rent_m2_month: number(e, tr, "rent_m2_month", &self.rent_m2_month),
            rent_to_buy: tri(e, tr, "rent_to_buy", &self.rent_to_buy),
            power_kva: number(e, tr, "power_kva", &self.power_kva),
            voltage_kv: number(e, tr, "voltage_kv", &self.voltage_kv),
            substation_km: number(e, tr, "substation_km", &self.substation_km),
            gas: tri(e, tr, "gas", &self.gas),
            water_m3_day: number(e, tr, "water_m3_day", &self.water_m3_day),
            sewerage: tri(e, tr, "sewerage", &self.sewerage),
            fibre: tri(e, tr, "fibre", &self.fibre),
            rail_siding: tri(e, tr, "rail_siding", &self.rail_siding),
            motorway_km: number(e, tr, "motorway_km", &self.motorway_km),
            port_km: number(e, tr, "port_km", &self.port_km),
            airport_km: number(e, tr, "airport_km", &self.airport_km),
            flood_risk: opt(&self.flood_risk),
            environmental_status: opt(&self.environmental_status),
            environmental_notes: opt(&self.environmental_notes),
            owner: opt(&self.owner),
            managing_body: opt(&self.managing_body),
            contact_name: opt(&self.contact_name),
            contact_email: opt(&self.contact_email),
            contact_phone: opt(&self.contact_phone),
            description: opt(&self.description),
            internal_notes: opt(&self.internal_notes),
            last_verified_on: opt(&self.last_verified_on),
            version: Some(self.version),
        }
    }
}

#[derive(Template)]
#[template(path = "sites/staff/form.html")]
struct SiteFormPage {
    ctx: PageCtx,
    /// The site being edited (`None`: a new one).
    site: Option<Arc<Site>>,
    form: SiteForm,
    errors: FormErrors,
    /// Someone else saved the site meanwhile.
    stale: bool,
    /// On a stale edit: (field, stored now, yours).
    conflict: Vec<(String, String, String)>,
    kinds: Vec<(String, String)>,
    estates: Vec<(String, String)>,
    municipalities: Vec<(String, String)>,
    availabilities: Vec<(String, String)>,
    flood_risks: Vec<(String, String)>,
    env_statuses: Vec<(String, String)>,
    tri: Vec<(String, String)>,
    /// The edited site's availability: its name (`unknown` when not stated) and label.
    avail_state: String,
    avail_label: String,
    avail_from: Option<String>,
}

impl SiteFormPage {
    fn new(
        state: &AppState,
        snap: &Snapshot,
        ctx: PageCtx,
        site: Option<Arc<Site>>,
        form: SiteForm,
    ) -> Self {
        let tr = &ctx.tr;
        let label = |key: String| tr.t(&key).to_owned();
        let kinds = SiteKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    label(format!("site-kind-{}", k.as_str())),
                )
            })
            .collect();
        let availabilities = Availability::ALL
            .iter()
            .map(|a| {
                (
                    a.as_str().to_owned(),
                    label(format!("site-avail-{}", a.as_str())),
                )
            })
            .collect();
        let flood_risks = FloodRisk::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_owned(),
                    label(format!("site-flood-{}", r.as_str())),
                )
            })
            .collect();
        let env_statuses = EnvironmentalStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    short_label(&label(format!("site-env-{}", s.as_str()))),
                )
            })
            .collect();
        let estates = snap
            .estates
            .iter()
            .map(|e| (e.id.clone(), short_label(&e.name)))
            .collect();
        let tri = vec![
            ("yes".to_owned(), tr.t("site-yes").to_owned()),
            ("no".to_owned(), tr.t("site-no").to_owned()),
        ];
        let avail_state = site
            .as_ref()
            .and_then(|s| s.availability.clone())
            .unwrap_or_else(|| "unknown".to_owned());
        let avail_label = label(format!("site-avail-{avail_state}"));
        let avail_from = site
            .as_ref()
            .and_then(|s| s.available_from.as_deref())
            .map(|d| local_date(ctx.lang, d));
        Self {
            kinds,
            estates,
            municipalities: municipality_options(state),
            availabilities,
            flood_risks,
            env_statuses,
            tri,
            avail_state,
            avail_label,
            avail_from,
            errors: FormErrors::default(),
            stale: false,
            conflict: Vec::new(),
            site,
            form,
            ctx,
        }
    }

    /// A field's value as a reader sees it (labels of choices, "unknown" for blanks).
    fn shown(&self, field: &str, raw: &str) -> String {
        let tr = &self.ctx.tr;
        let options: Option<&[(String, String)]> = match field {
            "kind" => Some(&self.kinds),
            "estate_id" => Some(&self.estates),
            "municipality_code" => Some(&self.municipalities),
            "availability" => Some(&self.availabilities),
            "flood_risk" => Some(&self.flood_risks),
            "environmental_status" => Some(&self.env_statuses),
            "rent_to_buy" | "gas" | "sewerage" | "fibre" | "rail_siding" => Some(&self.tri),
            _ => None,
        };
        if field == "published" {
            return tr
                .t(if raw.is_empty() {
                    "site-no"
                } else {
                    "site-yes"
                })
                .to_owned();
        }
        if raw.trim().is_empty() {
            return tr.t("site-unknown").to_owned();
        }
        options
            .and_then(|o| label_of(o, raw))
            .unwrap_or(raw)
            .to_owned()
    }

    /// What differs between the stored site and the form sent.
    fn conflict_with(&self, stored: &SiteForm, yours: &SiteForm) -> Vec<(String, String, String)> {
        let same = |field: &str, a: &str, b: &str| -> bool {
            if a.trim() == b.trim() {
                return true;
            }
            let parse = |s: &str| {
                if matches!(field, "lat" | "lon") {
                    parse_coordinate(s)
                } else {
                    parse_number(s)
                }
            };
            parse(a).is_some() && parse(a) == parse(b)
        };
        let rows = SITE_FIELDS
            .iter()
            .filter(|f| !matches!(**f, "availability" | "available_from"))
            .filter(|f| !same(f, stored.value(f), yours.value(f)))
            .map(|f| {
                (
                    self.ctx.tr.t(&site_label_key(f)).to_owned(),
                    self.shown(f, stored.value(f)),
                    self.shown(f, yours.value(f)),
                )
            })
            .collect();
        differences(rows)
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }
}

/// Reads and checks a site form: the valid site, or the page's errors.
fn check_site(
    state: &AppState,
    snap: &Snapshot,
    tr: &Tr,
    form: &SiteForm,
    creating: bool,
) -> Result<super::model::ValidSite, FormErrors> {
    let mut parsed = FormErrors::default();
    let input = form.to_input(tr, &mut parsed, creating);
    let checked = validate_site(&input, &state.catalog, |e| snap.estate(e).is_some());
    match checked {
        Ok(v) if parsed.is_empty() => Ok(v),
        Ok(_) => Err(merge_errors(parsed, &[], tr, &SITE_FIELDS)),
        Err(invalid) => Err(merge_errors(parsed, &invalid, tr, &SITE_FIELDS)),
    }
}

async fn new_site_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    SiteFormPage::new(&state, &snap, ctx, None, SiteForm::default()).respond(StatusCode::OK)
}

async fn create_site(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<SiteForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let valid = match check_site(&state, &snap, &ctx.tr, &form, true) {
        Ok(v) => v,
        Err(errors) => {
            let mut page = SiteFormPage::new(&state, &snap, ctx, None, form);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::insert_site(
        &mut tx,
        Some(&user.id),
        &valid
    )
    .await);
    match result {
        Ok(Ok(id)) => redirect_with(&format!("/sites/{id}"), &[flash_cookie("flash-site-saved")]),
        Ok(Err(WriteError::DuplicateReference)) => {
            let mut page = SiteFormPage::new(&state, &snap, ctx, None, form);
            page.errors.add(
                "reference",
                page.ctx
                    .tr
                    .t("site-staff-err-duplicate-reference")
                    .to_owned(),
            );
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn edit_site_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(site) = snap.site(&id).cloned() else {
        return ctx.not_found().into_response();
    };
    let form = SiteForm::from_site(&site, ctx.lang);
    SiteFormPage::new(&state, &snap, ctx, Some(site), form).respond(StatusCode::OK)
}

/// The form again after someone else saved the site meanwhile: what they saved
/// is the version to overwrite now, and a table shows what differs.
fn site_conflict(
    state: &AppState,
    snap: &Snapshot,
    ctx: PageCtx,
    site: Arc<Site>,
    mut form: SiteForm,
) -> Response {
    let stored = SiteForm::from_site(&site, ctx.lang);
    form.version = site.version;
    let mut page = SiteFormPage::new(state, snap, ctx, Some(site), form);
    page.conflict = page.conflict_with(&stored, &page.form);
    page.stale = true;
    page.respond(StatusCode::CONFLICT)
}

async fn save_site(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SiteForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(current) = snap.site(&id).cloned() else {
        return ctx.not_found().into_response();
    };
    if form.version != current.version {
        return site_conflict(&state, &snap, ctx, current, form);
    }
    let valid = match check_site(&state, &snap, &ctx.tr, &form, false) {
        Ok(v) => v,
        Err(errors) => {
            let mut page = SiteFormPage::new(&state, &snap, ctx, Some(current), form);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::update_site(
        &mut tx,
        Some(&user.id),
        &id,
        form.version,
        &valid
    )
    .await);
    match result {
        Ok(Ok(())) => redirect_with(&format!("/sites/{id}"), &[flash_cookie("flash-site-saved")]),
        Ok(Err(WriteError::Conflict(_))) => {
            let snap = match snapshot(&state, &ctx).await {
                Ok(s) => s,
                Err(r) => return r,
            };
            match snap.site(&id).cloned() {
                Some(fresh) => site_conflict(&state, &snap, ctx, fresh, form),
                None => ctx.not_found().into_response(),
            }
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(WriteError::DuplicateReference)) => {
            let mut page = SiteFormPage::new(&state, &snap, ctx, Some(current), form);
            page.errors.add(
                "reference",
                page.ctx
                    .tr
                    .t("site-staff-err-duplicate-reference")
                    .to_owned(),
            );
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Management: availability, photos and documents, deletion ----

/// One move of the availability, as the history table shows it.
struct EventRow {
    effective_on: String,
    from_state: String,
    from: String,
    to_state: String,
    to: String,
    available_from: String,
    note: String,
    by: String,
    at: String,
}

/// A photo or a document, as the management page lists it.
struct FileRow {
    id: String,
    title: String,
    url: String,
    thumb_url: Option<String>,
    size: String,
    /// `1600 × 1200` for photos.
    dims: String,
}

/// The availability form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct MoveForm {
    to: String,
    effective_on: String,
    available_from: String,
    note: String,
    version: i64,
}

#[derive(Template)]
#[template(path = "sites/staff/manage.html")]
struct ManagePage {
    ctx: PageCtx,
    site: Arc<Site>,
    avail_state: String,
    avail_label: String,
    avail_from: Option<String>,
    /// The states the site may move to: (name, label).
    moves: Vec<(String, String)>,
    mv: MoveForm,
    events: Vec<EventRow>,
    photos: Vec<FileRow>,
    documents: Vec<FileRow>,
    /// Errors of the three forms (their field ids differ).
    errors: FormErrors,
    /// A message for the whole page (someone changed the site meanwhile).
    notice: Option<String>,
    upload_kind: String,
    upload_title: String,
    max_mb: u64,
}

impl ManagePage {
    async fn load(state: &AppState, ctx: PageCtx, id: &str) -> Result<Self, Response> {
        let snap = snapshot(state, &ctx).await?;
        let Some(site) = snap.site(id).cloned() else {
            return Err(ctx.not_found().into_response());
        };
        let events = async {
            let mut conn = state.db.reader().acquire().await?;
            store::events(&mut conn, id).await
        }
        .await
        .map_err(|e| ctx.fail(e).into_response())?;
        let tr = &ctx.tr;
        let lang = ctx.lang;
        let state_label = |s: &str| tr.t(&format!("site-avail-{s}")).to_owned();
        let current = site.availability.as_deref().and_then(Availability::parse);
        let moves = allowed_from(current)
            .into_iter()
            .map(|a| (a.as_str().to_owned(), state_label(a.as_str())))
            .collect();
        let events = events
            .into_iter()
            .map(|e| {
                let from_state = e.from_state.clone().unwrap_or_else(|| "unknown".into());
                EventRow {
                    effective_on: local_date(lang, &e.effective_on),
                    from: state_label(&from_state),
                    from_state,
                    to: state_label(&e.to_state),
                    to_state: e.to_state,
                    available_from: e
                        .available_from
                        .as_deref()
                        .map(|d| local_date(lang, d))
                        .unwrap_or_default(),
                    note: e.note.unwrap_or_default(),
                    by: e.by.unwrap_or_default(),
                    at: local_date(lang, &e.at),
                }
            })
            .collect();
        let file_row = |f: &super::model::SiteFile| FileRow {
            id: f.id.clone(),
            title: f.title.clone(),
            url: f.url.clone(),
            thumb_url: f.thumb_url.clone(),
            size: size_text(f.size, lang),
            dims: match (f.width, f.height) {
                (Some(w), Some(h)) => format!("{w} × {h}"),
                _ => String::new(),
            },
        };
        let avail_state = site
            .availability
            .clone()
            .unwrap_or_else(|| "unknown".into());
        Ok(Self {
            avail_label: state_label(&avail_state),
            avail_state,
            avail_from: site.available_from.as_deref().map(|d| local_date(lang, d)),
            moves,
            mv: MoveForm {
                effective_on: format_date(today()),
                ..MoveForm::default()
            },
            events,
            photos: site.photos.iter().map(file_row).collect(),
            documents: site.documents.iter().map(file_row).collect(),
            errors: FormErrors::default(),
            notice: None,
            upload_kind: "photo".into(),
            upload_title: String::new(),
            max_mb: state.config.upload_max_mb,
            site,
            ctx,
        })
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }
}

/// The management page with something to say: `setup` adds errors or a notice.
async fn manage_with(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    status: StatusCode,
    setup: impl FnOnce(&mut ManagePage),
) -> Response {
    match ManagePage::load(state, ctx, id).await {
        Ok(mut page) => {
            setup(&mut page);
            page.respond(status)
        }
        Err(r) => r,
    }
}

async fn manage_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    manage_with(&state, ctx, &id, StatusCode::OK, |_| {}).await
}

async fn move_availability(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr = ctx.tr.clone();
    let parsed = parse_move(
        &form.to,
        Some(&form.effective_on),
        Some(&form.available_from),
        Some(&form.note),
    );
    let (to, effective_on, available_from, note) = match parsed {
        Ok(m) => m,
        Err(invalid) => {
            let mut errors = FormErrors::default();
            for i in &invalid {
                if errors.has(&i.field) {
                    continue;
                }
                let message = match (i.field.as_str(), form.to.trim()) {
                    ("to", "") => tr.t("site-staff-err-choose-move").to_owned(),
                    ("to", other) => tr.t1("site-err-invalid_choice", "value", other.to_owned()),
                    _ => i.message(&tr),
                };
                errors.add(&i.field, message);
            }
            return manage_with(&state, ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, |p| {
                p.errors = errors;
                p.mv = form;
            })
            .await;
        }
    };
    let result = in_tx!(state, |tx| store::transition(
        &mut tx,
        Some(&user.id),
        &id,
        form.version,
        &Move {
            to,
            effective_on: &effective_on,
            available_from: available_from.as_deref(),
            note: note.as_deref(),
        },
    )
    .await);
    match result {
        Ok(Ok(())) => redirect_with(
            &format!("/sites/{id}/manage"),
            &[flash_cookie("flash-site-moved")],
        ),
        Ok(Err(WriteError::Conflict(_))) => {
            let notice = tr.t("site-staff-conflict-manage").to_owned();
            manage_with(&state, ctx, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(notice);
                p.mv = form;
            })
            .await
        }
        Ok(Err(WriteError::Transition { from, to })) => {
            let label = |s: &str| tr.t(&format!("site-avail-{s}")).to_owned();
            let from_state = from.as_deref().and_then(Availability::parse);
            let allowed: Vec<String> = allowed_from(from_state)
                .into_iter()
                .map(|a| label(a.as_str()))
                .collect();
            let message = tr.tn(
                "site-staff-err-move",
                &[
                    ("from", label(from.as_deref().unwrap_or("unknown")).into()),
                    ("to", label(&to).into()),
                    ("allowed", allowed.join(", ").into()),
                ],
            );
            manage_with(&state, ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, |p| {
                p.errors.add("to", message);
                p.mv = form;
            })
            .await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// A short text field of a multipart form, at most `max` bytes (more is cut).
async fn small_text(field: &mut Field<'_>, max: usize) -> Result<String, ()> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        if bytes.len() < max {
            let room = max - bytes.len();
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The title of an upload: the one typed, else the file's name; one line, at most 200 characters.
fn upload_title(typed: &str, file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let chosen = if typed.trim().is_empty() { base } else { typed };
    let clean: String = chosen
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    clean
        .trim()
        .chars()
        .take(TITLE_MAX)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// What an upload carried.
struct Upload {
    kind: String,
    title: String,
    file_name: String,
    bytes: Vec<u8>,
}

enum UploadProblem {
    /// The CSRF field was missing or wrong.
    Forbidden,
    Malformed,
    TooLarge,
}

/// Reads the upload form: `_csrf` first, then `kind`, `title` and `file`, the
/// file at most `max` bytes. Over the limit, the rest is read and dropped (up
/// to a point) so that the browser shows the answer.
async fn read_upload(
    mut multipart: Multipart,
    token: &CsrfToken,
    max: usize,
) -> Result<Upload, (UploadProblem, Option<Upload>)> {
    let mut csrf_ok = false;
    let mut up = Upload {
        kind: String::new(),
        title: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
    };
    let mut too_large = false;
    let mut skipped = false;
    let mut drained = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) if too_large => break,
            Err(_) => return Err((UploadProblem::Malformed, None)),
        };
        match field.name() {
            Some("_csrf") => {
                let value = small_text(&mut field, 256).await.unwrap_or_default();
                csrf_ok = token
                    .existing()
                    .is_some_and(|e| secret::constant_time_eq(e.as_bytes(), value.as_bytes()));
            }
            Some("kind") if csrf_ok => {
                up.kind = small_text(&mut field, 32)
                    .await
                    .map_err(|_| (UploadProblem::Malformed, None))?;
            }
            Some("title") if csrf_ok => {
                up.title = small_text(&mut field, 4 * TITLE_MAX)
                    .await
                    .map_err(|_| (UploadProblem::Malformed, None))?;
            }
            Some("file") if csrf_ok => {
                up.file_name = field.file_name().unwrap_or("").to_owned();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) if too_large => {
                            drained += chunk.len();
                            if drained > DRAIN_MAX {
                                return Err((UploadProblem::TooLarge, Some(up)));
                            }
                        }
                        Ok(Some(chunk)) => {
                            if up.bytes.len() + chunk.len() > max {
                                too_large = true;
                                drained = up.bytes.len() + chunk.len();
                                up.bytes = Vec::new();
                            } else {
                                up.bytes.extend_from_slice(&chunk);
                            }
                        }
                        Ok(None) => break,
                        Err(_) if too_large => return Err((UploadProblem::TooLarge, Some(up))),
                        Err(_) => return Err((UploadProblem::Malformed, None)),
                    }
                }
            }
            // The form's own fields before a good `_csrf`: not sent by our form.
            Some("kind" | "title" | "file") => skipped = true,
            _ => {}
        }
    }
    if !csrf_ok || skipped {
        return Err((UploadProblem::Forbidden, None));
    }
    if too_large {
        return Err((UploadProblem::TooLarge, Some(up)));
    }
    Ok(up)
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    token: axum::Extension<CsrfToken>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let tr = ctx.tr.clone();
    let failed = |ctx: PageCtx,
                  status: StatusCode,
                  field: &'static str,
                  message: String,
                  up: Option<Upload>| {
        let state = state.clone();
        let id = id.clone();
        async move {
            manage_with(&state, ctx, &id, status, |p| {
                p.errors.add(field, message);
                if let Some(up) = up {
                    if !up.kind.is_empty() {
                        p.upload_kind = up.kind;
                    }
                    p.upload_title = up.title;
                }
            })
            .await
        }
    };
    let Ok(multipart) = multipart else {
        let message = tr.t("site-staff-err-upload").to_owned();
        return failed(ctx, StatusCode::BAD_REQUEST, "file", message, None).await;
    };
    let max_mb = state.config.upload_max_mb;
    let max = max_mb.saturating_mul(1024 * 1024) as usize;
    let up = match read_upload(multipart, &token, max).await {
        Ok(up) => up,
        Err((UploadProblem::Forbidden, _)) => return PageError::page(ctx, StatusCode::FORBIDDEN),
        Err((UploadProblem::Malformed, up)) => {
            let message = tr.t("site-staff-err-upload").to_owned();
            return failed(ctx, StatusCode::BAD_REQUEST, "file", message, up).await;
        }
        Err((UploadProblem::TooLarge, up)) => {
            let message = tr.t1("site-err-too_large", "value", max_mb as i64);
            return failed(ctx, StatusCode::PAYLOAD_TOO_LARGE, "file", message, up).await;
        }
    };
    let kind: &'static str = match up.kind.trim() {
        "photo" => "photo",
        "document" => "document",
        "" => {
            let message = tr.t("site-staff-err-kind").to_owned();
            return failed(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "kind",
                message,
                Some(up),
            )
            .await;
        }
        other => {
            let message = tr.t1("site-err-invalid_choice", "value", other.to_owned());
            return failed(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "kind",
                message,
                Some(up),
            )
            .await;
        }
    };
    if up.bytes.is_empty() {
        let message = tr.t("site-staff-err-no-file").to_owned();
        return failed(
            ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
            message,
            Some(up),
        )
        .await;
    }
    let mut title = upload_title(&up.title, &up.file_name);
    if title.is_empty() {
        title = tr.t(&format!("site-staff-kind-{kind}")).to_owned();
    }
    // Photos are decoded and stored again as JPEG (off the async threads);
    // documents must be PDF by their content.
    let (content_type, data, thumb, width, height) = if kind == "photo" {
        let bytes = up.bytes;
        match tokio::task::spawn_blocking(move || photos::process_photo(&bytes)).await {
            Ok(Ok(p)) => (
                "image/jpeg",
                p.jpeg,
                Some(p.thumb),
                Some(i64::from(p.width)),
                Some(i64::from(p.height)),
            ),
            Ok(Err(e)) => {
                let message = tr.t(e.key()).to_owned();
                let meta = up_meta(kind, &up.title);
                return failed(
                    ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "file",
                    message,
                    Some(meta),
                )
                .await;
            }
            Err(e) => return ctx.fail(e).into_response(),
        }
    } else {
        if let Err(e) = photos::check_pdf(&up.bytes) {
            let message = tr.t(e.key()).to_owned();
            let meta = up_meta(kind, &up.title);
            return failed(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "file",
                message,
                Some(meta),
            )
            .await;
        }
        ("application/pdf", up.bytes, None, None, None)
    };
    let result = in_tx!(state, |tx| store::add_file(
        &mut tx,
        Some(&user.id),
        &id,
        &NewFile {
            kind,
            title: &title,
            content_type,
            data: &data,
            thumb: thumb.as_deref(),
            width,
            height,
        },
    )
    .await);
    match result {
        Ok(Ok(_)) => redirect_with(
            &format!("/sites/{id}/manage"),
            &[flash_cookie("flash-site-file-added")],
        ),
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The upload form's choices again (without the file) for the page that refuses it.
fn up_meta(kind: &str, title: &str) -> Upload {
    Upload {
        kind: kind.to_owned(),
        title: title.to_owned(),
        file_name: String::new(),
        bytes: Vec::new(),
    }
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn remove_file(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path((id, file_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let result = in_tx!(state, |tx| store::remove_file(
        &mut tx,
        Some(&user.id),
        &id,
        &file_id
    )
    .await);
    match result {
        Ok(Ok(())) => redirect_with(
            &format!("/sites/{id}/manage"),
            &[flash_cookie("flash-site-file-removed")],
        ),
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    version: i64,
    confirm: Option<String>,
}

async fn delete_site(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    if form.confirm.is_none() {
        let message = ctx.tr.t("site-staff-err-confirm").to_owned();
        return manage_with(&state, ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, |p| {
            p.errors.add("confirm", message);
        })
        .await;
    }
    let result = in_tx!(state, |tx| store::delete_site(
        &mut tx,
        Some(&user.id),
        &id,
        Some(form.version)
    )
    .await);
    match result {
        Ok(Ok(())) => redirect_with("/sites", &[flash_cookie("flash-site-deleted")]),
        Ok(Err(WriteError::Conflict(_))) => {
            let notice = ctx.tr.t("site-staff-conflict-manage").to_owned();
            manage_with(&state, ctx, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(notice);
            })
            .await
        }
        Ok(Err(WriteError::Proposed(n))) => {
            let notice = ctx.tr.t1("site-staff-err-proposed", "count", n);
            manage_with(&state, ctx, &id, StatusCode::CONFLICT, |p| {
                p.notice = Some(notice);
            })
            .await
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

// ---- Sites to verify again ----

#[derive(Debug, Default, Deserialize)]
struct StaleQuery {
    #[serde(default)]
    days: String,
}

struct StaleRow {
    id: String,
    name: String,
    reference: Option<String>,
    published: bool,
    estate: String,
    municipality: String,
    /// As the reader writes dates; empty when never stated.
    verified: String,
    /// Days since it was last verified (`None`: never stated).
    days: Option<i64>,
}

#[derive(Template)]
#[template(path = "sites/staff/stale.html")]
struct StalePage {
    ctx: PageCtx,
    /// The number of days as typed (or the default).
    days: String,
    rows: Vec<StaleRow>,
    /// "3 of 12 sites".
    count: String,
    errors: FormErrors,
}

/// Largest number of days the stale list takes (a century).
const MAX_DAYS: u32 = 36_500;

async fn stale_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Query(q): Query<StaleQuery>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let default = state.config.sites_stale_days;
    let mut errors = FormErrors::default();
    let typed = q.days.trim().to_owned();
    let days = if typed.is_empty() {
        default
    } else {
        match typed.parse::<u32>() {
            Ok(n) if (1..=MAX_DAYS).contains(&n) => n,
            _ => {
                errors.add(
                    "days",
                    ctx.tr.t1("site-staff-err-days", "max", i64::from(MAX_DAYS)),
                );
                default
            }
        }
    };
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = today();
    let mut rows: Vec<(Option<time::Date>, StaleRow)> = snap
        .sites
        .iter()
        .filter_map(|s| {
            let verified = s.last_verified_on.as_deref().and_then(parse_date);
            let since = verified.map(|d| (today - d).whole_days());
            if since.is_some_and(|n| n <= i64::from(days)) {
                return None;
            }
            Some((
                verified,
                StaleRow {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    reference: s.reference.clone(),
                    published: s.published,
                    estate: s.estate_name.clone().unwrap_or_default(),
                    municipality: s.municipality_name.clone(),
                    verified: verified
                        .map(|d| local_date(ctx.lang, &format_date(d)))
                        .unwrap_or_default(),
                    days: since,
                },
            ))
        })
        .collect();
    // Never verified first, then the oldest; `None` sorts before any date.
    rows.sort_by(|(a, ra), (b, rb)| a.cmp(b).then_with(|| ra.name.cmp(&rb.name)));
    let rows: Vec<StaleRow> = rows.into_iter().map(|(_, r)| r).collect();
    let days = if errors.is_empty() {
        days.to_string()
    } else {
        typed
    };
    let count = ctx.tr.tn(
        "site-staff-stale-count",
        &[
            ("count", (rows.len() as i64).into()),
            ("total", (snap.sites.len() as i64).into()),
        ],
    );
    render(&StalePage {
        count,
        rows,
        days,
        errors,
        ctx,
    })
}

// ---- Estates ----

struct EstateRow {
    id: String,
    name: String,
    municipality: String,
    managing_body: String,
    status: String,
    status_label: String,
    sites: i64,
}

#[derive(Template)]
#[template(path = "sites/staff/estates.html")]
struct EstatesPage {
    ctx: PageCtx,
    rows: Vec<EstateRow>,
}

async fn estates_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let rows = snap
        .estates
        .iter()
        .map(|e| EstateRow {
            id: e.id.clone(),
            name: e.name.clone(),
            municipality: e.municipality_name.clone(),
            managing_body: e.managing_body.clone().unwrap_or_default(),
            status_label: ctx.tr.t(&format!("site-estate-{}", e.status)).to_owned(),
            status: e.status.clone(),
            sites: e.sites,
        })
        .collect();
    render(&EstatesPage { ctx, rows })
}

/// The estate form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct EstateForm {
    name: String,
    municipality_code: String,
    managing_body: String,
    status: String,
    outline: String,
    lat: String,
    lon: String,
    description: String,
    website: String,
    version: i64,
}

const ESTATE_FIELDS: [&str; 9] = [
    "name",
    "municipality_code",
    "managing_body",
    "status",
    "outline",
    "lat",
    "lon",
    "description",
    "website",
];

fn estate_label_key(field: &str) -> String {
    match field {
        "municipality_code" => "site-f-municipality".into(),
        "website" => "site-staff-f-website".into(),
        f => format!("site-f-{f}"),
    }
}

impl EstateForm {
    fn from_estate(e: &Estate) -> Self {
        Self {
            name: e.name.clone(),
            municipality_code: e.municipality_code.clone(),
            managing_body: e.managing_body.clone().unwrap_or_default(),
            status: e.status.clone(),
            outline: e.outline.as_ref().map(Value::to_string).unwrap_or_default(),
            lat: e.lat.map(|x| x.to_string()).unwrap_or_default(),
            lon: e.lon.map(|x| x.to_string()).unwrap_or_default(),
            description: e.description.clone(),
            website: e.website.clone().unwrap_or_default(),
            version: e.version,
        }
    }

    fn value(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "municipality_code" => &self.municipality_code,
            "managing_body" => &self.managing_body,
            "status" => &self.status,
            "outline" => &self.outline,
            "lat" => &self.lat,
            "lon" => &self.lon,
            "description" => &self.description,
            "website" => &self.website,
            _ => "",
        }
    }

    fn to_input(&self, tr: &Tr, errors: &mut FormErrors) -> EstateInput {
        let lat = coordinate(errors, tr, "lat", &self.lat);
        let lon = coordinate(errors, tr, "lon", &self.lon);
        let (lat, lon) = if errors.has("lat") || errors.has("lon") {
            (None, None)
        } else {
            (lat, lon)
        };
        EstateInput {
            name: opt(&self.name),
            municipality_code: opt(&self.municipality_code),
            managing_body: opt(&self.managing_body),
            status: opt(&self.status),
            outline: opt(&self.outline).map(Value::String),
            lat,
            lon,
            description: opt(&self.description),
            website: opt(&self.website),
            version: Some(self.version),
        }
    }
}

#[derive(Template)]
#[template(path = "sites/staff/estate_form.html")]
struct EstateFormPage {
    ctx: PageCtx,
    estate: Option<Arc<Estate>>,
    form: EstateForm,
    errors: FormErrors,
    stale: bool,
    conflict: Vec<(String, String, String)>,
    municipalities: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    /// The estate's sites: (id, name).
    sites: Vec<(String, String)>,
    /// Why the estate could not be deleted.
    delete_error: Option<String>,
}

impl EstateFormPage {
    fn new(
        state: &AppState,
        snap: &Snapshot,
        ctx: PageCtx,
        estate: Option<Arc<Estate>>,
        form: EstateForm,
    ) -> Self {
        let statuses = ["existing", "planned"]
            .iter()
            .map(|s| {
                (
                    (*s).to_owned(),
                    ctx.tr.t(&format!("site-estate-{s}")).to_owned(),
                )
            })
            .collect();
        let sites = match &estate {
            Some(e) => snap
                .sites
                .iter()
                .filter(|s| s.estate_id.as_deref() == Some(e.id.as_str()))
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            None => Vec::new(),
        };
        Self {
            municipalities: municipality_options(state),
            statuses,
            sites,
            errors: FormErrors::default(),
            stale: false,
            conflict: Vec::new(),
            delete_error: None,
            estate,
            form,
            ctx,
        }
    }

    fn conflict_with(
        &self,
        stored: &EstateForm,
        yours: &EstateForm,
    ) -> Vec<(String, String, String)> {
        let shown = |field: &str, raw: &str| -> String {
            if raw.trim().is_empty() {
                return self.ctx.tr.t("site-unknown").to_owned();
            }
            let options = match field {
                "municipality_code" => Some(&self.municipalities),
                "status" => Some(&self.statuses),
                _ => None,
            };
            options
                .and_then(|o| label_of(o, raw))
                .unwrap_or(raw)
                .to_owned()
        };
        differences(
            ESTATE_FIELDS
                .iter()
                .map(|f| {
                    (
                        self.ctx.tr.t(&estate_label_key(f)).to_owned(),
                        shown(f, stored.value(f)),
                        shown(f, yours.value(f)),
                    )
                })
                .filter(|(_, a, b)| a != b)
                .collect(),
        )
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }
}

fn check_estate(
    state: &AppState,
    tr: &Tr,
    form: &EstateForm,
) -> Result<super::model::ValidEstate, FormErrors> {
    let mut parsed = FormErrors::default();
    let input = form.to_input(tr, &mut parsed);
    match validate_estate(&input, &state.catalog) {
        Ok(v) if parsed.is_empty() => Ok(v),
        Ok(_) => Err(merge_errors(parsed, &[], tr, &ESTATE_FIELDS)),
        Err(invalid) => Err(merge_errors(parsed, &invalid, tr, &ESTATE_FIELDS)),
    }
}

async fn new_estate_page(State(state): State<AppState>, SignedIn(user, ctx): SignedIn) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = EstateForm {
        status: "existing".into(),
        ..EstateForm::default()
    };
    EstateFormPage::new(&state, &snap, ctx, None, form).respond(StatusCode::OK)
}

async fn create_estate(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    CsrfForm(form): CsrfForm<EstateForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let valid = match check_estate(&state, &ctx.tr, &form) {
        Ok(v) => v,
        Err(errors) => {
            let mut page = EstateFormPage::new(&state, &snap, ctx, None, form);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::insert_estate(
        &mut tx,
        Some(&user.id),
        &valid
    )
    .await);
    match result {
        Ok(Ok(_)) => redirect_with("/estates", &[flash_cookie("flash-estate-saved")]),
        Ok(Err(WriteError::DuplicateName)) => {
            let mut page = EstateFormPage::new(&state, &snap, ctx, None, form);
            page.errors.add(
                "name",
                page.ctx.tr.t("site-staff-err-duplicate-estate").to_owned(),
            );
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn edit_estate_page(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(estate) = snap.estate(&id).cloned() else {
        return ctx.not_found().into_response();
    };
    let form = EstateForm::from_estate(&estate);
    EstateFormPage::new(&state, &snap, ctx, Some(estate), form).respond(StatusCode::OK)
}

fn estate_conflict(
    state: &AppState,
    snap: &Snapshot,
    ctx: PageCtx,
    estate: Arc<Estate>,
    mut form: EstateForm,
) -> Response {
    let stored = EstateForm::from_estate(&estate);
    form.version = estate.version;
    let mut page = EstateFormPage::new(state, snap, ctx, Some(estate), form);
    page.conflict = page.conflict_with(&stored, &page.form);
    page.stale = true;
    page.respond(StatusCode::CONFLICT)
}

async fn save_estate(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EstateForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(current) = snap.estate(&id).cloned() else {
        return ctx.not_found().into_response();
    };
    if form.version != current.version {
        return estate_conflict(&state, &snap, ctx, current, form);
    }
    let valid = match check_estate(&state, &ctx.tr, &form) {
        Ok(v) => v,
        Err(errors) => {
            let mut page = EstateFormPage::new(&state, &snap, ctx, Some(current), form);
            page.errors = errors;
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let result = in_tx!(state, |tx| store::update_estate(
        &mut tx,
        Some(&user.id),
        &id,
        form.version,
        &valid
    )
    .await);
    match result {
        Ok(Ok(())) => redirect_with("/estates", &[flash_cookie("flash-estate-saved")]),
        Ok(Err(WriteError::Conflict(_))) => {
            let snap = match snapshot(&state, &ctx).await {
                Ok(s) => s,
                Err(r) => return r,
            };
            match snap.estate(&id).cloned() {
                Some(fresh) => estate_conflict(&state, &snap, ctx, fresh, form),
                None => ctx.not_found().into_response(),
            }
        }
        Ok(Err(WriteError::DuplicateName)) => {
            let mut page = EstateFormPage::new(&state, &snap, ctx, Some(current), form);
            page.errors.add(
                "name",
                page.ctx.tr.t("site-staff-err-duplicate-estate").to_owned(),
            );
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(WriteError::NotFound)) => ctx.not_found().into_response(),
        Ok(Err(e)) => ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => ctx.fail(e).into_response(),
    }
}

async fn delete_estate(
    State(state): State<AppState>,
    SignedIn(user, ctx): SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Response {
    if !policy::can_edit(&user) {
        return PageError::page(ctx, StatusCode::FORBIDDEN);
    }
    let result = in_tx!(state, |tx| store::delete_estate(
        &mut tx,
        Some(&user.id),
        &id,
        Some(form.version)
    )
    .await);
    let message = match result {
        Ok(Ok(())) => return redirect_with("/estates", &[flash_cookie("flash-estate-deleted")]),
        Ok(Err(WriteError::NotFound)) => return ctx.not_found().into_response(),
        Ok(Err(WriteError::HasSites(n))) => {
            ctx.tr.t1("site-staff-err-estate-has-sites", "count", n)
        }
        Ok(Err(WriteError::Conflict(_))) => {
            ctx.tr.t("site-staff-conflict-estate-delete").to_owned()
        }
        Ok(Err(e)) => return ctx.fail(anyhow::anyhow!("{e}")).into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(estate) = snap.estate(&id).cloned() else {
        return ctx.not_found().into_response();
    };
    let form = EstateForm::from_estate(&estate);
    let mut page = EstateFormPage::new(&state, &snap, ctx, Some(estate), form);
    page.delete_error = Some(message);
    page.respond(StatusCode::CONFLICT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn figures_shown_in_the_form_read_back_unchanged() {
        for v in [0.0, 5.0, 12.5, 1234.567, 5000.0, 0.125, 1e9, 3.25, 1500.5] {
            for lang in Lang::ALL {
                let shown = number_text(Some(v), lang);
                assert_eq!(
                    parse_number(&shown),
                    Some(v),
                    "{v} shown as {shown} in {lang:?}"
                );
            }
        }
        assert_eq!(number_text(Some(12.5), Lang::Es), "12,5");
        assert_eq!(number_text(Some(12.5), Lang::En), "12.5");
        assert_eq!(number_text(None, Lang::Es), "");
    }

    #[test]
    fn coordinates_take_a_point_or_a_comma() {
        assert_eq!(parse_coordinate("43,350"), Some(43.35));
        assert_eq!(parse_coordinate(" -4.047 "), Some(-4.047));
        assert_eq!(parse_coordinate("43°"), None);
        assert_eq!(parse_coordinate("NaN"), None);
    }

    #[test]
    fn upload_titles_default_to_the_file_name() {
        assert_eq!(upload_title("", "C:\\fotos\\nave 3.jpg"), "nave 3.jpg");
        assert_eq!(
            upload_title("  Fachada\n norte ", "x.jpg"),
            "Fachada  norte"
        );
        assert_eq!(
            upload_title("", &"a".repeat(300)).chars().count(),
            TITLE_MAX
        );
        assert_eq!(upload_title("", ""), "");
    }

    #[test]
    fn long_option_labels_are_cut_at_a_word() {
        assert_eq!(
            short_label("Parque Empresarial Besaya"),
            "Parque Empresarial Besaya"
        );
        assert_eq!(
            short_label("Las Excavadas (futuro parque empresarial)"),
            "Las Excavadas (futuro parque…"
        );
        assert_eq!(short_label(&"x".repeat(40)).chars().count(), OPTION_MAX);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size_text(300, Lang::Es), "1 KB");
        assert_eq!(size_text(340 * 1024, Lang::En), "340 KB");
        assert_eq!(size_text(1_258_291, Lang::Es), "1,2 MB");
        assert_eq!(size_text(12 * 1024 * 1024, Lang::En), "12 MB");
    }

    #[test]
    fn errors_follow_the_form_and_several_join() {
        let tr = Tr::new(Arc::new(I18n::load().unwrap()), Lang::En);
        let mut parsed = FormErrors::default();
        parsed.add("area_m2", "not a number");
        let invalid = [
            Invalid::with("cadastral_refs", "cadastre_length", "123"),
            Invalid::new("name", "required"),
            Invalid::with("cadastral_refs", "cadastre_chars", "ñ"),
            Invalid::new("area_m2", "figure_range"),
        ];
        let e = merge_errors(parsed, &invalid, &tr, &SITE_FIELDS);
        let fields: Vec<&str> = e.items().iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "cadastral_refs", "area_m2"]);
        assert!(e.get("cadastral_refs").unwrap().contains("123"));
        assert!(e.get("cadastral_refs").unwrap().contains("ñ"));
        assert_eq!(e.get("area_m2"), Some("not a number"));
    }

    /// The keys the templates hand to the field macros (not seen by the i18n
    /// test, which looks for literal keys in calls of the translator) exist in both languages.
    #[test]
    fn keys_given_to_the_field_macros_exist() {
        let es: std::collections::BTreeSet<String> = I18n::ids(Lang::Es).into_iter().collect();
        let en: std::collections::BTreeSet<String> = I18n::ids(Lang::En).into_iter().collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/sites/staff");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in text.split('"').skip(1).step_by(2) {
                if piece.starts_with("site-") && !piece.contains(['{', ' ', '/']) {
                    seen += 1;
                    assert!(es.contains(piece), "{piece} missing in Spanish");
                    assert!(en.contains(piece), "{piece} missing in English");
                }
            }
        }
        assert!(seen > 50, "found too few keys ({seen})");
        let labels = SITE_FIELDS
            .iter()
            .map(|f| site_label_key(f))
            .chain(ESTATE_FIELDS.iter().map(|f| estate_label_key(f)));
        for k in labels {
            assert!(es.contains(&k) && en.contains(&k), "{k} missing");
        }
        for k in ["photo", "document"] {
            assert!(es.contains(&format!("site-staff-kind-{k}")));
        }
    }
}
