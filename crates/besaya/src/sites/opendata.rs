//! Open data (CC BY 4.0): the published sites as GeoJSON (RFC 7946) and CSV, and
//! the outlines of estates and sites the public map draws. Public fields only:
//! no internal notes, no contact person. Both honour the list's filters and
//! answer `304 Not Modified` while the catalogue has not changed.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use super::catalogue::Snapshot;
use super::filter::RawFilter;
use super::model::Site;
use crate::AppState;
use crate::tabular::{Cell, write_csv};

pub const LICENSE: &str = "CC-BY-4.0";
pub const LICENSE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
pub const ATTRIBUTION: &str =
    "Besaya — Oficina de Atracción de Inversiones de la comarca del Besaya";

/// The open-data files already produced for the current revision, plain and
/// gzipped, by kind and query: harvesters and the map ask for the same few files
/// again and again, and gzipping 10,000 sites costs far more than serving them.
#[derive(Debug, Default)]
pub struct Rendered {
    revision: i64,
    files: Vec<(String, Arc<File>)>,
}

/// A file as produced and gzipped.
type File = (Vec<u8>, Vec<u8>);

/// How many (kind, query) files are kept per revision.
const KEPT: usize = 16;

async fn cached(
    state: &AppState,
    snap: &Snapshot,
    key: String,
    render: impl FnOnce() -> Vec<u8> + Send + 'static,
) -> anyhow::Result<Arc<File>> {
    {
        let cache = state
            .sites
            .rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if cache.revision == snap.revision
            && let Some((_, f)) = cache.files.iter().find(|(k, _)| *k == key)
        {
            return Ok(f.clone());
        }
    }
    let file = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let plain = render();
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(plain.len() / 8),
            flate2::Compression::new(6),
        );
        gz.write_all(&plain)?;
        let gzip = gz.finish()?;
        Ok::<_, std::io::Error>((plain, gzip))
    })
    .await??;
    let file = Arc::new(file);
    let mut cache = state
        .sites
        .rendered
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if cache.revision != snap.revision {
        cache.revision = snap.revision;
        cache.files.clear();
    }
    if cache.files.len() >= KEPT {
        cache.files.remove(0);
    }
    cache.files.push((key, file.clone()));
    Ok(file)
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

fn etag(snap: &Snapshot, kind: &str, query: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = hex::encode(&Sha256::digest(query.as_bytes())[..8]);
    format!("\"{kind}-{}-{h}\"", snap.revision)
}

fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
}

fn respond(
    request: &HeaderMap,
    content_type: &'static str,
    tag: &str,
    filename: Option<&str>,
    file: &File,
) -> Response {
    let gzip = accepts_gzip(request);
    let body = if gzip { file.1.clone() } else { file.0.clone() };
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    if gzip {
        // Already compressed: the compression layer leaves it as it is.
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("<{LICENSE_URL}>; rel=\"license\"")) {
        h.insert(header::LINK, v);
    }
    if let Some(f) = filename
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{f}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn bad_filter(state: &AppState, errs: Vec<super::model::Invalid>) -> Response {
    let en = crate::i18n::Tr::new(state.i18n.clone(), crate::i18n::Lang::En);
    crate::api::ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect())
        .into_response()
}

/// The published sites passing the filters.
fn selected<'a>(snap: &'a Snapshot, filter: &super::filter::Filter) -> Vec<&'a Site> {
    snap.published()
        .map(|(_, s)| s.as_ref())
        .filter(|s| filter.matches(s))
        .collect()
}

#[derive(Serialize)]
struct Collection<'a, F> {
    #[serde(rename = "type")]
    kind: &'static str,
    license: &'static str,
    attribution: &'static str,
    features: Vec<F>,
    #[serde(skip)]
    _m: std::marker::PhantomData<&'a ()>,
}

#[derive(Serialize)]
struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct SiteFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: PointGeometry,
    properties: SiteProps<'a>,
}

/// The public fields of a site, as open data.
#[derive(Serialize)]
struct SiteProps<'a> {
    id: &'a str,
    reference: Option<&'a str>,
    name: &'a str,
    kind: &'a str,
    estate: Option<&'a str>,
    municipality_code: &'a str,
    municipality: &'a str,
    address: Option<&'a str>,
    area_m2: Option<f64>,
    net_area_m2: Option<f64>,
    buildable_m2: Option<f64>,
    permitted_uses: &'a [String],
    planning_status: Option<&'a str>,
    availability: Option<&'a str>,
    available_from: Option<&'a str>,
    sale_price_m2: Option<f64>,
    rent_m2_month: Option<f64>,
    rent_to_buy: Option<bool>,
    power_kva: Option<f64>,
    gas: Option<bool>,
    water_m3_day: Option<f64>,
    sewerage: Option<bool>,
    fibre: Option<bool>,
    rail_siding: Option<bool>,
    motorway_km: Option<f64>,
    port_km: Option<f64>,
    airport_km: Option<f64>,
    flood_risk: Option<&'a str>,
    environmental_status: Option<&'a str>,
    last_verified_on: Option<&'a str>,
    /// The site's page on this server.
    url: String,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn props(s: &Site) -> SiteProps<'_> {
    SiteProps {
        id: &s.id,
        reference: s.reference.as_deref(),
        name: &s.name,
        kind: &s.kind,
        estate: s.estate_name.as_deref(),
        municipality_code: &s.municipality_code,
        municipality: &s.municipality_name,
        address: s.address.as_deref(),
        area_m2: s.area_m2,
        net_area_m2: s.net_area_m2,
        buildable_m2: s.buildable_m2,
        permitted_uses: &s.permitted_uses,
        planning_status: s.planning_status.as_deref(),
        availability: s.availability.as_deref(),
        available_from: s.available_from.as_deref(),
        sale_price_m2: s.sale_price_m2,
        rent_m2_month: s.rent_m2_month,
        rent_to_buy: s.rent_to_buy,
        power_kva: s.power_kva,
        gas: s.gas,
        water_m3_day: s.water_m3_day,
        sewerage: s.sewerage,
        fibre: s.fibre,
        rail_siding: s.rail_siding,
        motorway_km: s.distances.motorway.as_ref().map(|d| d.km),
        port_km: s.distances.port.as_ref().map(|d| d.km),
        airport_km: s.distances.airport.as_ref().map(|d| d.km),
        flood_risk: s.flood_risk.as_deref(),
        environmental_status: s.environmental_status.as_deref(),
        last_verified_on: s.last_verified_on.as_deref(),
        url: format!("/sites/{}", s.id),
    }
}

/// The GeoJSON text of the sites (those without coordinates are left out of the map).
pub fn sites_geojson(sites: &[&Site]) -> Vec<u8> {
    let features: Vec<SiteFeature<'_>> = sites
        .iter()
        .filter_map(|s| {
            let p = s.point()?;
            Some(SiteFeature {
                kind: "Feature",
                id: &s.id,
                geometry: PointGeometry {
                    kind: "Point",
                    coordinates: [round6(p.lon), round6(p.lat)],
                },
                properties: props(s),
            })
        })
        .collect();
    serde_json::to_vec(&Collection {
        kind: "FeatureCollection",
        license: LICENSE,
        attribution: ATTRIBUTION,
        features,
        _m: std::marker::PhantomData,
    })
    .unwrap_or_default()
}

pub async fn sites_geojson_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::api::ApiQuery(raw): crate::api::ApiQuery<RawFilter>,
    uri: axum::http::Uri,
) -> Response {
    let filter = match raw.parse() {
        Ok(f) => f,
        Err(e) => return bad_filter(&state, e),
    };
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    let tag = etag(&snap, "geojson", uri.query().unwrap_or(""));
    if not_modified(&headers, &tag) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let render_snap = snap.clone();
    let file = match cached(
        &state,
        &snap,
        format!("geojson?{}", uri.query().unwrap_or("")),
        move || sites_geojson(&selected(&render_snap, &filter)),
    )
    .await
    {
        Ok(f) => f,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    respond(&headers, "application/geo+json", &tag, None, &file)
}

#[derive(Serialize)]
struct OutlineFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: &'a RawValue,
    properties: OutlineProps<'a>,
}

#[derive(Serialize)]
struct OutlineProps<'a> {
    /// `estate` or `site`.
    kind: &'static str,
    name: &'a str,
    url: Option<String>,
}

/// The outlines of estates and published sites, for the map.
pub async fn outlines_handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    let tag = etag(&snap, "outlines", "");
    if not_modified(&headers, &tag) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let render_snap = snap.clone();
    let file = match cached(&state, &snap, "outlines".to_owned(), move || {
        outlines_geojson(&render_snap)
    })
    .await
    {
        Ok(f) => f,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    respond(&headers, "application/geo+json", &tag, None, &file)
}

/// The GeoJSON text of the outlines of estates and published sites.
fn outlines_geojson(snap: &Snapshot) -> Vec<u8> {
    let geoms: Vec<(Box<RawValue>, &'static str, &str, Option<String>)> = snap
        .estates
        .iter()
        .filter_map(|e| {
            let g = serde_json::value::to_raw_value(e.outline.as_ref()?).ok()?;
            Some((g, "estate", e.name.as_str(), None))
        })
        .chain(snap.published().filter_map(|(_, s)| {
            let g = serde_json::value::to_raw_value(s.outline.as_ref()?).ok()?;
            Some((g, "site", s.name.as_str(), Some(format!("/sites/{}", s.id))))
        }))
        .collect();
    let features: Vec<OutlineFeature<'_>> = geoms
        .iter()
        .map(|(g, kind, name, url)| OutlineFeature {
            kind: "Feature",
            geometry: g,
            properties: OutlineProps {
                kind,
                name,
                url: url.clone(),
            },
        })
        .collect();
    serde_json::to_vec(&Collection {
        kind: "FeatureCollection",
        license: LICENSE,
        attribution: ATTRIBUTION,
        features,
        _m: std::marker::PhantomData,
    })
    .unwrap_or_default()
}

pub const CSV_COLUMNS: [&str; 36] = [
    "id",
    "reference",
    "name",
    "kind",
    "estate",
    "municipality_code",
    "municipality",
    "address",
    "lat",
    "lon",
    "cadastral_refs",
    "area_m2",
    "net_area_m2",
    "buildable_m2",
    "permitted_uses",
    "planning_status",
    "availability",
    "available_from",
    "sale_price_m2",
    "rent_m2_month",
    "rent_to_buy",
    "power_kva",
    "voltage_kv",
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
    "owner",
    "last_verified_on",
    "url",
];

/// One CSV row per site; an unknown fact is an empty cell.
pub fn csv_row(s: &Site, base: &str) -> Vec<Cell> {
    let text = |v: &Option<String>| Cell::from(v.clone());
    vec![
        Cell::from(s.id.as_str()),
        text(&s.reference),
        Cell::from(s.name.as_str()),
        Cell::from(s.kind.as_str()),
        text(&s.estate_name),
        Cell::from(s.municipality_code.as_str()),
        Cell::from(s.municipality_name.as_str()),
        text(&s.address),
        Cell::from(s.lat),
        Cell::from(s.lon),
        Cell::from(s.cadastral_refs.join(" ")),
        Cell::from(s.area_m2),
        Cell::from(s.net_area_m2),
        Cell::from(s.buildable_m2),
        Cell::from(s.permitted_uses.join(" ")),
        text(&s.planning_status),
        text(&s.availability),
        text(&s.available_from),
        Cell::from(s.sale_price_m2),
        Cell::from(s.rent_m2_month),
        Cell::from(s.rent_to_buy),
        Cell::from(s.power_kva),
        Cell::from(s.voltage_kv),
        Cell::from(s.gas),
        Cell::from(s.water_m3_day),
        Cell::from(s.sewerage),
        Cell::from(s.fibre),
        Cell::from(s.rail_siding),
        Cell::from(s.distances.motorway.as_ref().map(|d| d.km)),
        Cell::from(s.distances.port.as_ref().map(|d| d.km)),
        Cell::from(s.distances.airport.as_ref().map(|d| d.km)),
        text(&s.flood_risk),
        text(&s.environmental_status),
        text(&s.owner),
        text(&s.last_verified_on),
        Cell::from(format!("{base}/sites/{}", s.id)),
    ]
}

pub async fn sites_csv_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::api::ApiQuery(raw): crate::api::ApiQuery<RawFilter>,
    uri: axum::http::Uri,
) -> Response {
    let filter = match raw.parse() {
        Ok(f) => f,
        Err(e) => return bad_filter(&state, e),
    };
    let snap = match state.sites.get(&state.db, &state.catalog).await {
        Ok(s) => s,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    let tag = etag(&snap, "csv", uri.query().unwrap_or(""));
    if not_modified(&headers, &tag) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let base = state.config.public_base().to_owned();
    let render_snap = snap.clone();
    let key = format!("csv?{}", uri.query().unwrap_or(""));
    let file = match cached(&state, &snap, key, move || {
        let sites = selected(&render_snap, &filter);
        write_csv(&CSV_COLUMNS, sites.iter().map(|s| csv_row(s, &base)))
    })
    .await
    {
        Ok(f) => f,
        Err(e) => return crate::api::ApiError::Internal(e).into_response(),
    };
    respond(
        &headers,
        "text/csv; charset=utf-8",
        &tag,
        Some("besaya-sites.csv"),
        &file,
    )
}
