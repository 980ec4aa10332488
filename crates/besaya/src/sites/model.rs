//! Estates and sites: what the API returns, what the API and the pages send, and
//! the one validation they share. Every fact of a site may be unknown (`null`),
//! and unknown stays unknown: never zero, never "no".

use besaya_domain::Email;
use besaya_domain::directory::{
    format_date, is_phone, normalize_cnae, normalize_website, parse_date,
};
use besaya_domain::sites::availability::{Availability, EnvironmentalStatus, FloodRisk, SiteKind};
use besaya_domain::sites::cadastre::{CadastralRef, CadastreError};
use besaya_domain::sites::geo::{OutlineError, Point, PointProblem, check_point, parse_outline};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::i18n::Tr;
use crate::reference::Catalog;
use crate::web::invalid::{Messages, text};

/// An industrial estate (polígono, parque empresarial).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Estate {
    pub id: String,
    pub name: String,
    /// INE code of the municipality.
    #[schema(example = "39087")]
    pub municipality_code: String,
    pub municipality_name: String,
    /// Who manages it: SICAN, a council...
    pub managing_body: Option<String>,
    /// `existing` or `planned` (a future estate).
    pub status: String,
    /// GeoJSON geometry (Polygon or MultiPolygon, WGS84).
    #[schema(value_type = Option<Object>)]
    pub outline: Option<Value>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub description: String,
    pub website: Option<String>,
    /// How many sites it holds.
    pub sites: i64,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The fields of an estate as sent to create one, or merged over the stored one
/// for a change (JSON merge patch).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstateInput {
    pub name: Option<String>,
    pub municipality_code: Option<String>,
    pub managing_body: Option<String>,
    /// `existing` (default) or `planned`.
    pub status: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub outline: Option<Value>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Required on `PATCH`: the version read.
    pub version: Option<i64>,
}

impl From<&Estate> for EstateInput {
    fn from(e: &Estate) -> Self {
        Self {
            name: Some(e.name.clone()),
            municipality_code: Some(e.municipality_code.clone()),
            managing_body: e.managing_body.clone(),
            status: Some(e.status.clone()),
            outline: e.outline.clone(),
            lat: e.lat,
            lon: e.lon,
            description: Some(e.description.clone()),
            website: e.website.clone(),
            version: Some(e.version),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEstate {
    pub name: String,
    pub municipality_code: String,
    pub managing_body: Option<String>,
    pub status: &'static str,
    pub outline: Option<String>,
    pub point: Option<Point>,
    pub description: String,
    pub website: Option<String>,
}

/// Straight-line distances computed from the coordinates, or the ones given.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Distance {
    pub km: f64,
    /// `computed` (straight line from the coordinates) or `given` (entered, e.g. by road).
    pub source: &'static str,
    /// The landmark measured to (for the motorway, the junction).
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq)]
pub struct Distances {
    /// To the nearest junction.
    pub motorway: Option<Distance>,
    pub port: Option<Distance>,
    pub airport: Option<Distance>,
}

/// A photo or a document of a site.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SiteFile {
    pub id: String,
    /// `photo` or `document`.
    pub kind: String,
    pub title: String,
    /// Where to download it.
    pub url: String,
    /// A small version (photos).
    pub thumb_url: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub size: i64,
}

/// A site: a plot, a building, a warehouse (nave) or an office.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Site {
    pub id: String,
    /// The office's reference (unique).
    #[schema(example = "TV-P07")]
    pub reference: Option<String>,
    pub name: String,
    /// `plot`, `building`, `warehouse` or `office`.
    pub kind: String,
    pub estate_id: Option<String>,
    pub estate_name: Option<String>,
    /// Shown in the public catalogue and the open data.
    pub published: bool,
    pub municipality_code: String,
    pub municipality_name: String,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// GeoJSON geometry (Polygon or MultiPolygon, WGS84).
    #[schema(value_type = Option<Object>)]
    pub outline: Option<Value>,
    /// Cadastral references, 20 characters each.
    pub cadastral_refs: Vec<String>,
    /// Gross area in m².
    pub area_m2: Option<f64>,
    pub net_area_m2: Option<f64>,
    /// Buildable floor area in m².
    pub buildable_m2: Option<f64>,
    /// CNAE sections (`C`) and divisions (`24`) the plan allows.
    pub permitted_uses: Vec<String>,
    /// Permitted uses as the plan words them.
    pub uses_text: Option<String>,
    pub planning_status: Option<String>,
    /// `available`, `reserved`, `sold`, `let` or `in_tender`; `null` = unknown.
    pub availability: Option<String>,
    /// `YYYY-MM-DD`.
    pub available_from: Option<String>,
    /// Sale price, €/m².
    pub sale_price_m2: Option<f64>,
    /// Rent, €/m² a month.
    pub rent_m2_month: Option<f64>,
    pub rent_to_buy: Option<bool>,
    /// Electrical capacity available, kVA.
    pub power_kva: Option<f64>,
    pub voltage_kv: Option<f64>,
    pub substation_km: Option<f64>,
    pub gas: Option<bool>,
    pub water_m3_day: Option<f64>,
    pub sewerage: Option<bool>,
    pub fibre: Option<bool>,
    pub rail_siding: Option<bool>,
    /// Distance to the motorway as given (overrides the computed one).
    pub motorway_km: Option<f64>,
    pub port_km: Option<f64>,
    pub airport_km: Option<f64>,
    /// The distances in force: given, or computed from the coordinates.
    pub distances: Distances,
    /// `none`, `low`, `medium` or `high`; `null` = unknown.
    pub flood_risk: Option<String>,
    /// `clean`, `brownfield`, `remediated` or `under_assessment`.
    pub environmental_status: Option<String>,
    pub environmental_notes: Option<String>,
    pub owner: Option<String>,
    pub managing_body: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub description: String,
    /// For the office only (not in the public catalogue or the open data).
    pub internal_notes: Option<String>,
    pub photos: Vec<SiteFile>,
    pub documents: Vec<SiteFile>,
    /// `YYYY-MM-DD`.
    pub last_verified_on: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Site {
    /// The record as the public sees it.
    pub fn public(&self) -> Self {
        let mut s = self.clone();
        s.internal_notes = None;
        s
    }

    pub fn point(&self) -> Option<Point> {
        Some(Point {
            lat: self.lat?,
            lon: self.lon?,
        })
    }

    pub fn thumb_url(&self) -> Option<&str> {
        self.photos.first().and_then(|p| p.thumb_url.as_deref())
    }
}

/// The fields of a site as sent to create one (`POST`), or merged over the stored
/// record for a change (`PATCH`, JSON merge patch: `null` clears, left out keeps).
/// The availability changes through its transitions, not here.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    pub reference: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub estate_id: Option<String>,
    pub published: Option<bool>,
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub outline: Option<Value>,
    pub cadastral_refs: Option<Vec<String>>,
    pub area_m2: Option<f64>,
    pub net_area_m2: Option<f64>,
    pub buildable_m2: Option<f64>,
    pub permitted_uses: Option<Vec<String>>,
    pub uses_text: Option<String>,
    pub planning_status: Option<String>,
    /// On creation only; afterwards through `POST /api/v1/sites/{id}/transitions`.
    pub availability: Option<String>,
    pub available_from: Option<String>,
    pub sale_price_m2: Option<f64>,
    pub rent_m2_month: Option<f64>,
    pub rent_to_buy: Option<bool>,
    pub power_kva: Option<f64>,
    pub voltage_kv: Option<f64>,
    pub substation_km: Option<f64>,
    pub gas: Option<bool>,
    pub water_m3_day: Option<f64>,
    pub sewerage: Option<bool>,
    pub fibre: Option<bool>,
    pub rail_siding: Option<bool>,
    pub motorway_km: Option<f64>,
    pub port_km: Option<f64>,
    pub airport_km: Option<f64>,
    pub flood_risk: Option<String>,
    pub environmental_status: Option<String>,
    pub environmental_notes: Option<String>,
    pub owner: Option<String>,
    pub managing_body: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub description: Option<String>,
    pub internal_notes: Option<String>,
    pub last_verified_on: Option<String>,
    /// Required on `PATCH`: the version read; a stale one gets 409.
    pub version: Option<i64>,
}

impl From<&Site> for SiteInput {
    fn from(s: &Site) -> Self {
        Self {
            reference: s.reference.clone(),
            name: Some(s.name.clone()),
            kind: Some(s.kind.clone()),
            estate_id: s.estate_id.clone(),
            published: Some(s.published),
            municipality_code: Some(s.municipality_code.clone()),
            address: s.address.clone(),
            lat: s.lat,
            lon: s.lon,
            outline: s.outline.clone(),
            cadastral_refs: Some(s.cadastral_refs.clone()),
            area_m2: s.area_m2,
            net_area_m2: s.net_area_m2,
            buildable_m2: s.buildable_m2,
            permitted_uses: Some(s.permitted_uses.clone()),
            uses_text: s.uses_text.clone(),
            planning_status: s.planning_status.clone(),
            availability: s.availability.clone(),
            available_from: s.available_from.clone(),
            sale_price_m2: s.sale_price_m2,
            rent_m2_month: s.rent_m2_month,
            rent_to_buy: s.rent_to_buy,
            power_kva: s.power_kva,
            voltage_kv: s.voltage_kv,
            substation_km: s.substation_km,
            gas: s.gas,
            water_m3_day: s.water_m3_day,
            sewerage: s.sewerage,
            fibre: s.fibre,
            rail_siding: s.rail_siding,
            motorway_km: s.motorway_km,
            port_km: s.port_km,
            airport_km: s.airport_km,
            flood_risk: s.flood_risk.clone(),
            environmental_status: s.environmental_status.clone(),
            environmental_notes: s.environmental_notes.clone(),
            owner: s.owner.clone(),
            managing_body: s.managing_body.clone(),
            contact_name: s.contact_name.clone(),
            contact_email: s.contact_email.clone(),
            contact_phone: s.contact_phone.clone(),
            description: Some(s.description.clone()),
            internal_notes: s.internal_notes.clone(),
            last_verified_on: s.last_verified_on.clone(),
            version: Some(s.version),
        }
    }
}

/// A site that passed validation, in the form it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSite {
    pub reference: Option<String>,
    pub name: String,
    pub kind: SiteKind,
    pub estate_id: Option<String>,
    pub published: bool,
    pub municipality_code: String,
    pub address: Option<String>,
    pub point: Option<Point>,
    pub outline: Option<String>,
    pub cadastral_refs: Vec<String>,
    pub area_m2: Option<f64>,
    pub net_area_m2: Option<f64>,
    pub buildable_m2: Option<f64>,
    pub permitted_uses: Vec<String>,
    pub uses_text: Option<String>,
    pub planning_status: Option<String>,
    pub availability: Option<Availability>,
    pub available_from: Option<String>,
    pub sale_price_m2: Option<f64>,
    pub rent_m2_month: Option<f64>,
    pub rent_to_buy: Option<bool>,
    pub power_kva: Option<f64>,
    pub voltage_kv: Option<f64>,
    pub substation_km: Option<f64>,
    pub gas: Option<bool>,
    pub water_m3_day: Option<f64>,
    pub sewerage: Option<bool>,
    pub fibre: Option<bool>,
    pub rail_siding: Option<bool>,
    pub motorway_km: Option<f64>,
    pub port_km: Option<f64>,
    pub airport_km: Option<f64>,
    pub flood_risk: Option<FloodRisk>,
    pub environmental_status: Option<EnvironmentalStatus>,
    pub environmental_notes: Option<String>,
    pub owner: Option<String>,
    pub managing_body: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub description: String,
    pub internal_notes: Option<String>,
    pub last_verified_on: Option<String>,
}

/// The sites' messages: `site-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteMessages;

impl Messages for SiteMessages {
    const PREFIX: &'static str = "site-err-";

    /// A wrong control letter names the reference and the right letters.
    fn special(i: &Invalid, tr: &Tr) -> Option<String> {
        let (r, expected) = i.value.as_deref()?.split_once('|')?;
        (i.code == "cadastre_control").then(|| {
            tr.tn(
                "site-err-cadastre_control",
                &[
                    ("ref", r.to_owned().into()),
                    ("expected", expected.to_owned().into()),
                ],
            )
        })
    }
}

/// One invalid field of a site or an estate.
pub type Invalid = crate::web::invalid::Invalid<SiteMessages>;

const SHORT: usize = 200;
const LONG: usize = 5000;
const MAX_REFS: usize = 20;
const MAX_USES: usize = 40;
/// Largest figure accepted for an area, a price or a capacity (a sanity bound).
const MAX_FIGURE: f64 = 1e9;

fn figure(errors: &mut Vec<Invalid>, field: &str, value: Option<f64>) -> Option<f64> {
    let v = value?;
    if !v.is_finite() || !(0.0..=MAX_FIGURE).contains(&v) {
        errors.push(Invalid::new(field, "figure_range"));
        return None;
    }
    Some(v)
}

fn date(errors: &mut Vec<Invalid>, field: &str, value: Option<&str>) -> Option<String> {
    let v = value.map(str::trim).filter(|s| !s.is_empty())?;
    match parse_date(v) {
        Some(d) => Some(format_date(d)),
        None => {
            errors.push(Invalid::with(field, "invalid_date", v));
            None
        }
    }
}

fn enumerated<T>(
    errors: &mut Vec<Invalid>,
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = value.map(str::trim).filter(|s| !s.is_empty())?;
    let found = parse(v);
    if found.is_none() {
        errors.push(Invalid::with(field, "invalid_choice", v));
    }
    found
}

/// Latitude and longitude together, checked against Cantabria (and for a swap).
fn point(errors: &mut Vec<Invalid>, lat: Option<f64>, lon: Option<f64>) -> Option<Point> {
    match (lat, lon) {
        (None, None) => None,
        (Some(lat), Some(lon)) => match check_point(lat, lon) {
            Ok(p) => Some(p),
            Err(PointProblem::Swapped) => {
                errors.push(Invalid::with(
                    "lat",
                    "point_swapped",
                    format!("{lon}, {lat}"),
                ));
                None
            }
            Err(PointProblem::OutsideCantabria) => {
                errors.push(Invalid::new("lat", "point_outside"));
                None
            }
            Err(_) => {
                errors.push(Invalid::new("lat", "point_range"));
                None
            }
        },
        _ => {
            errors.push(Invalid::new("lat", "lat_lon_pair"));
            None
        }
    }
}

fn outline(
    errors: &mut Vec<Invalid>,
    value: Option<&Value>,
) -> Option<besaya_domain::sites::geo::Outline> {
    let v = value.filter(|v| !v.is_null())?;
    let text = match v {
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match parse_outline(&text) {
        Ok(o) => Some(o),
        Err(e) => {
            let code = match e {
                OutlineError::NotJson => "outline_json",
                OutlineError::UnsupportedType(_) => "outline_type",
                OutlineError::Ring => "outline_ring",
                OutlineError::Position => "outline_position",
                OutlineError::OutsideCantabria => "point_outside",
                OutlineError::Swapped => "outline_swapped",
                OutlineError::TooLarge => "outline_too_large",
            };
            errors.push(Invalid::new("outline", code));
            None
        }
    }
}

fn municipality(
    errors: &mut Vec<Invalid>,
    value: Option<&str>,
    catalog: &Catalog,
) -> Option<String> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(Invalid::new("municipality_code", "required"));
            None
        }
        Some(m) => {
            let code = catalog.municipality_code(m);
            if catalog.municipality(&code).is_some() {
                Some(code)
            } else {
                errors.push(Invalid::with(
                    "municipality_code",
                    "unknown_municipality",
                    m,
                ));
                None
            }
        }
    }
}

/// The cadastral references, normalised; a wrong control letter names the right ones.
pub fn cadastral_refs(errors: &mut Vec<Invalid>, refs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let refs: Vec<&str> = refs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if refs.len() > MAX_REFS {
        errors.push(Invalid::with(
            "cadastral_refs",
            "too_many",
            MAX_REFS.to_string(),
        ));
        return out;
    }
    for r in refs {
        match CadastralRef::parse(r) {
            Ok(c) => {
                if !out.iter().any(|o| o == c.as_str()) {
                    out.push(c.as_str().to_owned());
                }
            }
            Err(CadastreError::Control { expected, .. }) => errors.push(Invalid::with(
                "cadastral_refs",
                "cadastre_control",
                format!("{r}|{expected}"),
            )),
            Err(CadastreError::Length { .. }) => {
                errors.push(Invalid::with("cadastral_refs", "cadastre_length", r))
            }
            Err(CadastreError::Characters) => {
                errors.push(Invalid::with("cadastral_refs", "cadastre_chars", r))
            }
        }
    }
    out
}

/// Permitted uses: CNAE sections (`C`) and divisions (`24`).
fn uses(errors: &mut Vec<Invalid>, codes: &[String], catalog: &Catalog) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if codes.len() > MAX_USES {
        errors.push(Invalid::with(
            "permitted_uses",
            "too_many",
            MAX_USES.to_string(),
        ));
        return out;
    }
    for raw in codes.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match normalize_cnae(raw) {
            Some(c)
                if c.len() <= 2
                    && (catalog.cnae("2025", &c).is_some()
                        || catalog.cnae("2009", &c).is_some()) =>
            {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            _ => errors.push(Invalid::with("permitted_uses", "invalid_use", raw)),
        }
    }
    out
}

fn email(errors: &mut Vec<Invalid>, field: &str, value: Option<&str>) -> Option<String> {
    let v = value.map(str::trim).filter(|s| !s.is_empty())?;
    match Email::parse(v) {
        Ok(e) => Some(e.as_str().to_owned()),
        Err(_) => {
            errors.push(Invalid::with(field, "invalid_email", v));
            None
        }
    }
}

/// Checks every field of a site; reports every invalid field at once.
/// `estate_exists` answers whether an estate id names a stored estate.
pub fn validate_site(
    input: &SiteInput,
    catalog: &Catalog,
    estate_exists: impl Fn(&str) -> bool,
) -> Result<ValidSite, Vec<Invalid>> {
    let mut e = Vec::new();
    let name = text(&mut e, "name", input.name.as_deref(), SHORT, false);
    if name.is_none() && !e.iter().any(|i: &Invalid| i.field == "name") {
        e.push(Invalid::new("name", "required"));
    }
    let reference = text(&mut e, "reference", input.reference.as_deref(), 40, false);
    let kind = match input
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("kind", "required"));
            None
        }
        Some(k) => enumerated(&mut e, "kind", Some(k), SiteKind::parse),
    };
    let estate_id = match input
        .estate_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(id) if estate_exists(id) => Some(id.to_owned()),
        Some(id) => {
            e.push(Invalid::with("estate_id", "unknown_estate", id));
            None
        }
    };
    let municipality_code = municipality(&mut e, input.municipality_code.as_deref(), catalog);
    let address = text(&mut e, "address", input.address.as_deref(), SHORT, false);
    let outline = outline(&mut e, input.outline.as_ref());
    let mut point = point(&mut e, input.lat, input.lon);
    if point.is_none() && input.lat.is_none() && input.lon.is_none() {
        point = outline.as_ref().map(|o| o.centroid());
    }
    let refs = cadastral_refs(&mut e, input.cadastral_refs.as_deref().unwrap_or(&[]));
    let area_m2 = figure(&mut e, "area_m2", input.area_m2);
    let net_area_m2 = figure(&mut e, "net_area_m2", input.net_area_m2);
    let buildable_m2 = figure(&mut e, "buildable_m2", input.buildable_m2);
    if let (Some(a), Some(n)) = (area_m2, net_area_m2)
        && n > a
    {
        e.push(Invalid::new("net_area_m2", "net_above_gross"));
    }
    let permitted_uses = uses(
        &mut e,
        input.permitted_uses.as_deref().unwrap_or(&[]),
        catalog,
    );
    let uses_text = text(&mut e, "uses_text", input.uses_text.as_deref(), LONG, true);
    let planning_status = text(
        &mut e,
        "planning_status",
        input.planning_status.as_deref(),
        SHORT,
        false,
    );
    let availability = enumerated(
        &mut e,
        "availability",
        input.availability.as_deref(),
        Availability::parse,
    );
    let available_from = date(&mut e, "available_from", input.available_from.as_deref());
    let v = ValidSite {
        reference,
        name: name.unwrap_or_default(),
        kind: kind.unwrap_or(SiteKind::Plot),
        estate_id,
        published: input.published.unwrap_or(false),
        municipality_code: municipality_code.unwrap_or_default(),
        address,
        point,
        outline: outline.map(|o| o.geometry_json().to_owned()),
        cadastral_refs: refs,
        area_m2,
        net_area_m2,
        buildable_m2,
        permitted_uses,
        uses_text,
        planning_status,
        availability,
        available_from,
        sale_price_m2: figure(&mut e, "sale_price_m2", input.sale_price_m2),
        rent_m2_month: figure(&mut e, "rent_m2_month", input.rent_m2_month),
        rent_to_buy: input.rent_to_buy,
        power_kva: figure(&mut e, "power_kva", input.power_kva),
        voltage_kv: figure(&mut e, "voltage_kv", input.voltage_kv),
        substation_km: figure(&mut e, "substation_km", input.substation_km),
        gas: input.gas,
        water_m3_day: figure(&mut e, "water_m3_day", input.water_m3_day),
        sewerage: input.sewerage,
        fibre: input.fibre,
        rail_siding: input.rail_siding,
        motorway_km: figure(&mut e, "motorway_km", input.motorway_km),
        port_km: figure(&mut e, "port_km", input.port_km),
        airport_km: figure(&mut e, "airport_km", input.airport_km),
        flood_risk: enumerated(
            &mut e,
            "flood_risk",
            input.flood_risk.as_deref(),
            FloodRisk::parse,
        ),
        environmental_status: enumerated(
            &mut e,
            "environmental_status",
            input.environmental_status.as_deref(),
            EnvironmentalStatus::parse,
        ),
        environmental_notes: text(
            &mut e,
            "environmental_notes",
            input.environmental_notes.as_deref(),
            LONG,
            true,
        ),
        owner: text(&mut e, "owner", input.owner.as_deref(), SHORT, false),
        managing_body: text(
            &mut e,
            "managing_body",
            input.managing_body.as_deref(),
            SHORT,
            false,
        ),
        contact_name: text(
            &mut e,
            "contact_name",
            input.contact_name.as_deref(),
            SHORT,
            false,
        ),
        contact_email: email(&mut e, "contact_email", input.contact_email.as_deref()),
        contact_phone: match text(
            &mut e,
            "contact_phone",
            input.contact_phone.as_deref(),
            40,
            false,
        ) {
            Some(p) if !is_phone(&p) => {
                e.push(Invalid::with("contact_phone", "invalid_phone", p));
                None
            }
            p => p,
        },
        description: text(
            &mut e,
            "description",
            input.description.as_deref(),
            LONG,
            true,
        )
        .unwrap_or_default(),
        internal_notes: text(
            &mut e,
            "internal_notes",
            input.internal_notes.as_deref(),
            LONG,
            true,
        ),
        last_verified_on: date(
            &mut e,
            "last_verified_on",
            input.last_verified_on.as_deref(),
        ),
    };
    if e.is_empty() { Ok(v) } else { Err(e) }
}

/// Checks every field of an estate.
pub fn validate_estate(
    input: &EstateInput,
    catalog: &Catalog,
) -> Result<ValidEstate, Vec<Invalid>> {
    let mut e = Vec::new();
    let name = text(&mut e, "name", input.name.as_deref(), SHORT, false);
    if name.is_none() && !e.iter().any(|i: &Invalid| i.field == "name") {
        e.push(Invalid::new("name", "required"));
    }
    let municipality_code = municipality(&mut e, input.municipality_code.as_deref(), catalog);
    let status = match input
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None | Some("existing") => "existing",
        Some("planned") => "planned",
        Some(other) => {
            e.push(Invalid::with("status", "invalid_choice", other));
            "existing"
        }
    };
    let outline = outline(&mut e, input.outline.as_ref());
    let mut point = point(&mut e, input.lat, input.lon);
    if point.is_none() && input.lat.is_none() && input.lon.is_none() {
        point = outline.as_ref().map(|o| o.centroid());
    }
    let website = match input
        .website
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(w) => match normalize_website(w) {
            Some(n) => Some(n),
            None => {
                e.push(Invalid::with("website", "invalid_website", w));
                None
            }
        },
    };
    let v = ValidEstate {
        name: name.unwrap_or_default(),
        municipality_code: municipality_code.unwrap_or_default(),
        managing_body: text(
            &mut e,
            "managing_body",
            input.managing_body.as_deref(),
            SHORT,
            false,
        ),
        status,
        outline: outline.map(|o| o.geometry_json().to_owned()),
        point,
        description: text(
            &mut e,
            "description",
            input.description.as_deref(),
            LONG,
            true,
        )
        .unwrap_or_default(),
        website,
    };
    if e.is_empty() { Ok(v) } else { Err(e) }
}
