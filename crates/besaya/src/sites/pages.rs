//! The public catalogue: list with filters and map, site page, printable profile
//! sheet, comparison of up to four sites, requirement matching, the open-data
//! page, and the photos and documents. No login needed; the office also sees
//! unpublished sites (marked) and gets links to its own pages.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use besaya_domain::directory::display_cnae;
use besaya_domain::sites::availability::{Availability, SiteKind};
use besaya_domain::sites::matching::{Check, Criterion, Importance, Offered, Outcome, Wanted};
use fluent_bundle::FluentValue;

use super::api::{
    DateCriterion, ImportanceDto, MatchRequest, MaxCriterion, MinCriterion,
    MunicipalitiesCriterion, PresentCriterion, RangeCriterion, UseCriterion,
};
use super::catalogue::Snapshot;
use super::filter::RawFilter;
use super::model::Site;
use super::{opendata, policy};
use crate::AppState;
use crate::i18n::{Lang, Tr};
use crate::web::form::FormErrors;
use crate::web::page::{PageCtx, render};
use besaya_domain::directory::parse_number;

pub const PAGE_SIZE: usize = 24;
/// Sites compared side by side at most.
pub const COMPARE_MAX: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites", get(list_page))
        .route("/sites/compare", get(compare_page))
        .route("/sites/match", get(match_page))
        .route("/sites/{id}", get(detail_page))
        .route("/sites/{id}/sheet", get(sheet_page))
        .route("/files/{id}", get(file))
        .route("/open-data", get(open_data_page))
        .route(
            "/open-data/sites.geojson",
            get(opendata::sites_geojson_handler),
        )
        .route(
            "/open-data/outlines.geojson",
            get(opendata::outlines_handler),
        )
        .route("/open-data/sites.csv", get(opendata::sites_csv_handler))
        .merge(super::staff::router())
}

// ---- Formatting ----

/// A number for people: up to `decimals` decimals, trailing zeros trimmed,
/// thousands grouped (from 1000 on in both languages, so a list of areas reads
/// evenly: 9.800 m² above 18.000 m²).
pub fn num(lang: Lang, x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let (group, point) = match lang {
        Lang::Es => ('.', ','),
        Lang::En => (',', '.'),
    };
    let grouped = if int.len() > 3 {
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        out
    } else {
        int.to_owned()
    };
    let sign = if x < 0.0 && (grouped != "0" || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A date `YYYY-MM-DD` as people read it: `30/06/2027` (es) or `30 Jun 2027` (en).
pub fn date(lang: Lang, iso: &str) -> String {
    let Some(d) = besaya_domain::directory::parse_date(iso) else {
        return iso.to_owned();
    };
    match lang {
        Lang::Es => format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => {
            const M: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "{} {} {}",
                d.day(),
                M[u8::from(d.month()) as usize - 1],
                d.year()
            )
        }
    }
}

/// One fact of a site: `None` shows as "unknown", never as zero or "no".
#[derive(Debug, Clone)]
pub struct Fact {
    pub label: String,
    pub value: Option<String>,
    /// A note beside the value (e.g. "computed, straight line").
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub title: String,
    pub facts: Vec<Fact>,
}

pub struct Fmt<'a> {
    pub tr: &'a Tr,
    pub state: &'a AppState,
}

impl Fmt<'_> {
    fn lang(&self) -> Lang {
        self.tr.lang
    }
    fn amount(&self, v: Option<f64>, unit: &str, decimals: usize) -> Option<String> {
        v.map(|x| format!("{} {unit}", num(self.lang(), x, decimals)))
    }
    fn yes_no(&self, v: Option<bool>) -> Option<String> {
        v.map(|b| self.tr.t(if b { "site-yes" } else { "site-no" }).to_owned())
    }
    fn key(&self, prefix: &str, v: Option<&str>) -> Option<String> {
        v.map(|x| self.tr.t(&format!("{prefix}{x}")).to_owned())
    }
    fn fact(&self, field: &str, value: Option<String>) -> Fact {
        Fact {
            label: self.tr.t(&format!("site-f-{field}")).to_owned(),
            value,
            note: None,
        }
    }
    fn uses(&self, s: &Site) -> Option<String> {
        if s.permitted_uses.is_empty() {
            return None;
        }
        let es = self.lang() == Lang::Es;
        Some(
            s.permitted_uses
                .iter()
                .map(|c| {
                    let title = self
                        .state
                        .catalog
                        .cnae("2009", c)
                        .or_else(|| self.state.catalog.cnae("2025", c))
                        .map(|i| {
                            if es {
                                i.title_es.as_str()
                            } else {
                                i.title_en.as_str()
                            }
                        })
                        .unwrap_or("");
                    let t = first_upper(title);
                    format!("{} · {t}", display_cnae(c))
                })
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
    fn distance(&self, field: &str, d: Option<&super::model::Distance>) -> Fact {
        let mut f = self.fact(field, None);
        if let Some(d) = d {
            f.value = Some(format!("{} km", num(self.lang(), d.km, 1)));
            f.note = Some(if d.source == "computed" {
                self.tr.t1("site-distance-computed", "to", d.to.clone())
            } else {
                self.tr.t("site-distance-given").to_owned()
            });
        }
        f
    }

    /// Every fact of a site, grouped as the site page, sheet and comparison show them.
    fn groups(&self, s: &Site) -> Vec<Group> {
        let g = |title: &str, facts: Vec<Fact>| Group {
            title: self.tr.t(title).to_owned(),
            facts,
        };
        let mut available = self.fact(
            "availability",
            self.key("site-avail-", s.availability.as_deref()),
        );
        if let Some(from) = &s.available_from {
            available.note = Some(self.tr.t1(
                "site-available-from-note",
                "date",
                date(self.lang(), from),
            ));
        }
        vec![
            g(
                "site-group-land",
                vec![
                    self.fact("area_m2", self.amount(s.area_m2, "m²", 0)),
                    self.fact("net_area_m2", self.amount(s.net_area_m2, "m²", 0)),
                    self.fact("buildable_m2", self.amount(s.buildable_m2, "m²", 0)),
                    self.fact("permitted_uses", self.uses(s)),
                    self.fact("uses_text", s.uses_text.clone()),
                    self.fact("planning_status", s.planning_status.clone()),
                ],
            ),
            g(
                "site-group-availability",
                vec![
                    available,
                    self.fact("sale_price_m2", self.amount(s.sale_price_m2, "€/m²", 2)),
                    self.fact(
                        "rent_m2_month",
                        self.amount(s.rent_m2_month, self.tr.t("site-unit-rent"), 2),
                    ),
                    self.fact("rent_to_buy", self.yes_no(s.rent_to_buy)),
                ],
            ),
            g(
                "site-group-utilities",
                vec![
                    self.fact("power_kva", self.amount(s.power_kva, "kVA", 0)),
                    self.fact("voltage_kv", self.amount(s.voltage_kv, "kV", 1)),
                    self.fact("substation_km", self.amount(s.substation_km, "km", 1)),
                    self.fact("gas", self.yes_no(s.gas)),
                    self.fact(
                        "water_m3_day",
                        self.amount(s.water_m3_day, self.tr.t("site-unit-water"), 0),
                    ),
                    self.fact("sewerage", self.yes_no(s.sewerage)),
                    self.fact("fibre", self.yes_no(s.fibre)),
                    self.fact("rail_siding", self.yes_no(s.rail_siding)),
                ],
            ),
            g(
                "site-group-distances",
                vec![
                    self.distance("motorway_km", s.distances.motorway.as_ref()),
                    self.distance("port_km", s.distances.port.as_ref()),
                    self.distance("airport_km", s.distances.airport.as_ref()),
                ],
            ),
            g(
                "site-group-environment",
                vec![
                    self.fact(
                        "flood_risk",
                        self.key("site-flood-", s.flood_risk.as_deref()),
                    ),
                    self.fact(
                        "environmental_status",
                        self.key("site-env-", s.environmental_status.as_deref()),
                    ),
                    self.fact("environmental_notes", s.environmental_notes.clone()),
                ],
            ),
            g(
                "site-group-identity",
                vec![
                    self.fact("reference", s.reference.clone()),
                    self.fact(
                        "kind",
                        Some(self.tr.t(&format!("site-kind-{}", s.kind)).to_owned()),
                    ),
                    self.fact("estate", s.estate_name.clone()),
                    self.fact("municipality", Some(s.municipality_name.clone())),
                    self.fact("address", s.address.clone()),
                    self.fact(
                        "cadastral_refs",
                        (!s.cadastral_refs.is_empty()).then(|| s.cadastral_refs.join(", ")),
                    ),
                    self.fact("owner", s.owner.clone()),
                    self.fact("managing_body", s.managing_body.clone()),
                    self.fact(
                        "last_verified_on",
                        s.last_verified_on.as_deref().map(|d| date(self.lang(), d)),
                    ),
                ],
            ),
        ]
    }
}

fn first_upper(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A site as a card of the list.
#[derive(Debug, Clone)]
pub struct Card {
    pub id: String,
    pub name: String,
    pub reference: Option<String>,
    pub kind: String,
    pub place: String,
    pub availability: String,
    pub availability_label: String,
    pub thumb: Option<String>,
    pub published: bool,
    pub facts: Vec<Fact>,
}

pub fn card(f: &Fmt<'_>, s: &Site) -> Card {
    let place = match &s.estate_name {
        Some(e) => format!("{e} · {}", s.municipality_name),
        None => s.municipality_name.clone(),
    };
    let av = s
        .availability
        .clone()
        .unwrap_or_else(|| "unknown".to_owned());
    Card {
        id: s.id.clone(),
        name: s.name.clone(),
        reference: s.reference.clone(),
        kind: f.tr.t(&format!("site-kind-{}", s.kind)).to_owned(),
        place,
        availability_label: f.tr.t(&format!("site-avail-{av}")).to_owned(),
        availability: av,
        thumb: s.thumb_url().map(str::to_owned),
        published: s.published,
        facts: vec![
            f.fact("area_m2", f.amount(s.area_m2, "m²", 0)),
            f.fact("power_kva", f.amount(s.power_kva, "kVA", 0)),
            f.fact("rail_siding", f.yes_no(s.rail_siding)),
            f.fact("sale_price_m2", f.amount(s.sale_price_m2, "€/m²", 2)),
        ],
    }
}

fn staff(ctx: &PageCtx) -> bool {
    ctx.user.as_ref().is_some_and(policy::can_see_unpublished)
}

async fn snapshot(state: &AppState, ctx: &PageCtx) -> Result<Arc<Snapshot>, Response> {
    state
        .sites
        .get(&state.db, &state.catalog)
        .await
        .map_err(|e| ctx.fail(e).into_response())
}

fn options(tr: &Tr, prefix: &str, values: &[&'static str]) -> Vec<(&'static str, String)> {
    values
        .iter()
        .map(|v| (*v, tr.t(&format!("{prefix}{v}")).to_owned()))
        .collect()
}

fn kinds() -> Vec<&'static str> {
    SiteKind::ALL.iter().map(|k| k.as_str()).collect()
}

fn states() -> Vec<&'static str> {
    Availability::ALL.iter().map(|a| a.as_str()).collect()
}

fn municipality_options(state: &AppState) -> Vec<(String, String)> {
    state
        .catalog
        .municipalities_by_name()
        .into_iter()
        .map(|(c, m)| (c.to_owned(), m.name.clone()))
        .collect()
}

/// The labels the map script needs, as JSON for a data attribute.
fn map_labels(tr: &Tr) -> String {
    let mut states = serde_json::Map::new();
    for a in Availability::ALL {
        states.insert(
            a.as_str().to_owned(),
            tr.t(&format!("site-avail-{}", a.as_str())).into(),
        );
    }
    serde_json::json!({
        "area": tr.t("site-f-area_m2"),
        "power": tr.t("site-f-power_kva"),
        "availability": tr.t("site-f-availability"),
        "unknown": tr.t("site-unknown"),
        "states": states,
        "open": tr.t("site-open"),
        "legend": tr.t("site-f-availability"),
        "close": tr.t("site-map-close"),
        "zoom_in": tr.t("site-map-zoom-in"),
        "zoom_out": tr.t("site-map-zoom-out"),
    })
    .to_string()
}

// ---- List ----

#[derive(Template)]
#[template(path = "sites/list.html")]
struct ListPage {
    ctx: PageCtx,
    q: RawFilter,
    query: String,
    errors: FormErrors,
    kinds: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    municipalities: Vec<(String, String)>,
    estates: Vec<(String, String)>,
    cards: Vec<Card>,
    total: usize,
    page: usize,
    pages: usize,
    staff: bool,
    tiles: String,
    attribution: String,
    labels: String,
    compare_max: usize,
}

impl ListPage {
    fn v<'a>(&self, s: &'a Option<String>) -> &'a str {
        s.as_deref().unwrap_or("")
    }

    fn page_href(&self, page: usize) -> String {
        if self.query.is_empty() {
            format!("/sites?page={page}")
        } else {
            format!("/sites?{}&page={page}", self.query)
        }
    }
}

/// The query string of the filters (without the page), for links.
fn filter_query(raw: &RawFilter) -> String {
    let pairs = [
        ("q", &raw.q),
        ("kind", &raw.kind),
        ("estate", &raw.estate),
        ("municipality", &raw.municipality),
        ("availability", &raw.availability),
        ("area_min", &raw.area_min),
        ("area_max", &raw.area_max),
        ("use", &raw.use_cnae),
        ("min_power_kva", &raw.min_power_kva),
        ("rail", &raw.rail),
        ("max_sale_price_m2", &raw.max_sale_price_m2),
        ("max_rent_m2_month", &raw.max_rent_m2_month),
    ];
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|v| (*k, v))
        })
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

fn parse_query<T: serde::de::DeserializeOwned + Default>(raw: Option<&str>) -> T {
    raw.and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> Response {
    let raw: RawFilter = parse_query(query.as_deref());
    let page: usize = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "page").map(|(_, v)| v))
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let mut errors = FormErrors::default();
    let filter = match raw.parse() {
        Ok(f) => f,
        Err(errs) => {
            for e in errs {
                let field = if e.field == "use" {
                    "use".to_owned()
                } else {
                    e.field.clone()
                };
                errors.add(&field, e.message(&ctx.tr));
            }
            super::filter::Filter::default()
        }
    };
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let is_staff = staff(&ctx);
    let fmt = Fmt {
        tr: &ctx.tr,
        state: &state,
    };
    let matching: Vec<&Arc<Site>> = snap
        .sites
        .iter()
        .filter(|s| (s.published || is_staff) && filter.matches(s))
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages);
    let cards = matching
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|s| card(&fmt, s))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ListPage {
        query: filter_query(&raw),
        kinds: options(&ctx.tr, "site-kind-", &kinds()),
        states: options(&ctx.tr, "site-avail-", &states()),
        municipalities: municipality_options(&state),
        estates: snap
            .estates
            .iter()
            .map(|e| (e.id.clone(), e.name.clone()))
            .collect(),
        cards,
        total,
        page,
        pages,
        staff: is_staff,
        tiles: state.config.map_tile_url.clone(),
        attribution: state.config.map_tile_attribution.clone(),
        labels: map_labels(&ctx.tr),
        compare_max: COMPARE_MAX,
        errors,
        q: raw,
        ctx,
    };
    (status, render(&p)).into_response()
}

// ---- Site page and sheet ----

#[derive(Template)]
#[template(path = "sites/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    site: Arc<Site>,
    groups: Vec<Group>,
    contact: Vec<Fact>,
    kind: String,
    availability: String,
    availability_label: String,
    outline: String,
    estate_outline: String,
    tiles: String,
    attribution: String,
    staff: bool,
}

#[derive(Template)]
#[template(path = "sites/sheet.html")]
struct SheetPage {
    ctx: PageCtx,
    site: Arc<Site>,
    groups: Vec<Group>,
    contact: Vec<Fact>,
    kind: String,
    availability_label: String,
    outline: String,
    estate_outline: String,
    public_url: String,
    today: String,
}

impl DetailPage {
    fn d(&self, iso: &str) -> String {
        date(self.ctx.lang, iso)
    }
    fn kb(&self, size: &i64) -> String {
        num(self.ctx.lang, *size as f64 / 1024.0, 0)
    }
}

fn find(snap: &Snapshot, ctx: &PageCtx, id: &str) -> Option<Arc<Site>> {
    snap.site(id).filter(|s| s.published || staff(ctx)).cloned()
}

fn contact(f: &Fmt<'_>, s: &Site) -> Vec<Fact> {
    vec![
        f.fact("contact_name", s.contact_name.clone()),
        f.fact("contact_email", s.contact_email.clone()),
        f.fact("contact_phone", s.contact_phone.clone()),
    ]
}

fn json_attr(v: Option<&serde_json::Value>) -> String {
    v.map(|g| g.to_string()).unwrap_or_default()
}

/// What the site page and the profile sheet both show of a site.
struct Shown {
    site: Arc<Site>,
    groups: Vec<Group>,
    contact: Vec<Fact>,
    kind: String,
    /// The state's code, `unknown` when not known.
    availability: String,
    availability_label: String,
    outline: String,
    estate_outline: String,
}

/// The site the visitor may see, ready for its page or sheet; 404 otherwise.
async fn shown(state: &AppState, ctx: &PageCtx, id: &str) -> Result<Shown, Response> {
    let snap = snapshot(state, ctx).await?;
    let Some(site) = find(&snap, ctx, id) else {
        return Err(ctx.not_found().into_response());
    };
    let fmt = Fmt { tr: &ctx.tr, state };
    let estate_outline = json_attr(
        site.estate_id
            .as_deref()
            .and_then(|e| snap.estate(e))
            .and_then(|e| e.outline.as_ref()),
    );
    let availability = site
        .availability
        .clone()
        .unwrap_or_else(|| "unknown".to_owned());
    Ok(Shown {
        groups: fmt.groups(&site),
        contact: contact(&fmt, &site),
        kind: ctx.tr.t(&format!("site-kind-{}", site.kind)).to_owned(),
        availability_label: ctx.tr.t(&format!("site-avail-{availability}")).to_owned(),
        availability,
        outline: json_attr(site.outline.as_ref()),
        estate_outline,
        site,
    })
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let v = match shown(&state, &ctx, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    render(&DetailPage {
        groups: v.groups,
        contact: v.contact,
        kind: v.kind,
        availability: v.availability,
        availability_label: v.availability_label,
        outline: v.outline,
        estate_outline: v.estate_outline,
        tiles: state.config.map_tile_url.clone(),
        attribution: state.config.map_tile_attribution.clone(),
        staff: staff(&ctx),
        site: v.site,
        ctx,
    })
}

async fn sheet_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let v = match shown(&state, &ctx, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let today = besaya_domain::directory::format_date(time::OffsetDateTime::now_utc().date());
    render(&SheetPage {
        groups: v.groups,
        contact: v.contact,
        kind: v.kind,
        availability_label: v.availability_label,
        outline: v.outline,
        estate_outline: v.estate_outline,
        public_url: format!("{}/sites/{}", state.config.public_base(), v.site.id),
        today: date(ctx.lang, &today),
        site: v.site,
        ctx,
    })
}

// ---- Comparison ----

/// One line of the comparison: a fact's label and its value on each site.
type CompareLine = (String, Vec<Option<String>>);

#[derive(Template)]
#[template(path = "sites/compare.html")]
struct ComparePage {
    ctx: PageCtx,
    sites: Vec<Arc<Site>>,
    /// Per group: title, then rows of (label, one value per site).
    rows: Vec<(String, Vec<CompareLine>)>,
    too_many: bool,
    compare_max: usize,
}

async fn compare_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> Response {
    let ids: Vec<String> = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .collect();
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut sites: Vec<Arc<Site>> = Vec::new();
    for id in &ids {
        if let Some(s) = find(&snap, &ctx, id)
            && !sites.iter().any(|x| x.id == s.id)
        {
            sites.push(s);
        }
    }
    let too_many = sites.len() > COMPARE_MAX;
    sites.truncate(COMPARE_MAX);
    let fmt = Fmt {
        tr: &ctx.tr,
        state: &state,
    };
    let per_site: Vec<Vec<Group>> = sites.iter().map(|s| fmt.groups(s)).collect();
    let mut rows = Vec::new();
    if let Some(first) = per_site.first() {
        for (gi, g) in first.iter().enumerate() {
            let mut lines = Vec::new();
            for (fi, f) in g.facts.iter().enumerate() {
                let values = per_site
                    .iter()
                    .map(|groups| {
                        let fact = &groups[gi].facts[fi];
                        fact.value.clone()
                    })
                    .collect();
                lines.push((f.label.clone(), values));
            }
            rows.push((g.title.clone(), lines));
        }
    }
    let status = if sites.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (
        status,
        render(&ComparePage {
            sites,
            rows,
            too_many,
            compare_max: COMPARE_MAX,
            ctx,
        }),
    )
        .into_response()
}

// ---- Matching ----

/// The matching form as received (`GET`, so results can be bookmarked and shared).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MatchForm {
    pub area_min: String,
    pub area_max: String,
    pub area_imp: String,
    #[serde(rename = "use")]
    pub use_cnae: String,
    pub use_imp: String,
    pub power: String,
    pub power_imp: String,
    pub rail: String,
    pub gas: String,
    pub water: String,
    pub water_imp: String,
    pub port_km: String,
    pub port_imp: String,
    pub motorway_km: String,
    pub motorway_imp: String,
    pub sale_price: String,
    pub sale_imp: String,
    pub rent_price: String,
    pub rent_imp: String,
    pub available_by: String,
    pub available_imp: String,
    pub municipality: Vec<String>,
    pub municipality_imp: String,
    pub incomplete: String,
    pub go: String,
}

fn importance(s: &str) -> ImportanceDto {
    if s == "preferred" {
        ImportanceDto::Preferred
    } else {
        ImportanceDto::Required
    }
}

impl MatchForm {
    fn from_query(q: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> = q
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        let mut f = MatchForm::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
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
                "sale_price" => &mut f.sale_price,
                "sale_imp" => &mut f.sale_imp,
                "rent_price" => &mut f.rent_price,
                "rent_imp" => &mut f.rent_imp,
                "available_by" => &mut f.available_by,
                "available_imp" => &mut f.available_imp,
                "municipality_imp" => &mut f.municipality_imp,
                "incomplete" => &mut f.incomplete,
                "go" => &mut f.go,
                "municipality" => {
                    if !v.trim().is_empty() && f.municipality.len() < 102 {
                        f.municipality.push(v);
                    }
                    continue;
                }
                _ => continue,
            };
            *slot = v.chars().take(200).collect();
        }
        f
    }

    /// The form as the API's request; numbers that do not parse are field errors.
    fn to_request(&self, tr: &Tr, errors: &mut FormErrors) -> MatchRequest {
        let mut number = |field: &str, raw: &str| -> Option<f64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match parse_number(raw) {
                Some(n) if n >= 0.0 => Some(n),
                _ => {
                    errors.add(field, tr.t1("site-err-number", "value", raw.to_owned()));
                    None
                }
            }
        };
        let area_min = number("area_min", &self.area_min);
        let area_max = number("area_max", &self.area_max);
        let power = number("power", &self.power);
        let water = number("water", &self.water);
        let port = number("port_km", &self.port_km);
        let motorway = number("motorway_km", &self.motorway_km);
        let sale = number("sale_price", &self.sale_price);
        let rent = number("rent_price", &self.rent_price);
        let present = |v: &str| {
            matches!(v, "required" | "preferred").then(|| PresentCriterion {
                importance: importance(v),
            })
        };
        MatchRequest {
            area_m2: (area_min.is_some() || area_max.is_some()).then(|| RangeCriterion {
                min: area_min,
                max: area_max,
                importance: importance(&self.area_imp),
            }),
            use_cnae: Some(self.use_cnae.trim())
                .filter(|s| !s.is_empty())
                .map(|c| UseCriterion {
                    cnae: c.to_owned(),
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
            available_by: Some(self.available_by.trim())
                .filter(|s| !s.is_empty())
                .map(|d| DateCriterion {
                    date: d.to_owned(),
                    importance: importance(&self.available_imp),
                }),
            municipalities: (!self.municipality.is_empty()).then(|| MunicipalitiesCriterion {
                codes: self.municipality.clone(),
                importance: importance(&self.municipality_imp),
            }),
            include_incomplete: Some(self.incomplete != "no"),
            limit: Some(100),
        }
    }

    fn selected(&self, code: &str) -> bool {
        self.municipality.iter().any(|m| m == code)
    }
}

/// One criterion's outcome on a result card.
#[derive(Debug, Clone)]
pub struct CheckView {
    pub label: String,
    pub outcome: &'static str,
    pub outcome_label: String,
    pub required: bool,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ResultView {
    pub card: Card,
    pub complete: bool,
    /// Preferred criteria met, of those stated.
    pub preferences: Option<(usize, usize)>,
    pub checks: Vec<CheckView>,
}

#[derive(Template)]
#[template(path = "sites/match.html")]
struct MatchPage {
    ctx: PageCtx,
    form: MatchForm,
    errors: FormErrors,
    municipalities: Vec<(String, String)>,
    response: Option<MatchSummary>,
    results: Vec<ResultView>,
    compare_max: usize,
}

#[derive(Debug, Clone)]
pub struct MatchSummary {
    pub considered: usize,
    pub eliminated: usize,
    pub matches: usize,
    pub incomplete: usize,
}

pub fn criterion_label(tr: &Tr, c: Criterion) -> String {
    tr.t(&format!("site-crit-{}", c.as_str())).to_owned()
}

fn unit(tr: &Tr, c: Criterion) -> String {
    match c {
        Criterion::Area => "m²".to_owned(),
        Criterion::Power => "kVA".to_owned(),
        Criterion::Water => tr.t("site-unit-water").to_owned(),
        Criterion::PortDistance | Criterion::MotorwayDistance => "km".to_owned(),
        Criterion::SalePrice => "€/m²".to_owned(),
        Criterion::RentPrice => tr.t("site-unit-rent").to_owned(),
        _ => String::new(),
    }
}

/// What a check asked for, in the page's language (e.g. "at least 1,000 kVA").
pub fn wanted(tr: &Tr, state: &AppState, c: &Check<'_>) -> String {
    let lang = tr.lang;
    let u = unit(tr, c.criterion);
    let n = |x: f64| format!("{} {u}", num(lang, x, 2)).trim().to_owned();
    match c.wanted {
        Wanted::Range(r) => match (r.min, r.max) {
            (Some(a), Some(b)) => tr.tn(
                "site-want-between",
                &[("min", num(lang, a, 2).into()), ("max", n(b).into())],
            ),
            (Some(a), None) => tr.t1("site-want-at-least", "value", n(a)),
            (None, Some(b)) => tr.t1("site-want-at-most", "value", n(b)),
            (None, None) => String::new(),
        },
        Wanted::AtLeast(a) => tr.t1("site-want-at-least", "value", n(a)),
        Wanted::AtMost(b) => tr.t1("site-want-at-most", "value", n(b)),
        Wanted::Code(code) => tr.t1("site-want-use", "value", display_cnae(code)),
        Wanted::Present => criterion_label(tr, c.criterion).to_lowercase(),
        Wanted::By(d) => tr.t1(
            "site-want-by",
            "value",
            date(lang, &besaya_domain::directory::format_date(d)),
        ),
        Wanted::OneOf(codes) => codes
            .iter()
            .map(|m| {
                state
                    .catalog
                    .municipality(m)
                    .map_or(m.as_str(), |x| x.name.as_str())
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The reason of a check in the page's language: what was asked, what the site has.
pub fn reason(tr: &Tr, state: &AppState, c: &Check<'_>) -> String {
    let lang = tr.lang;
    let u = unit(tr, c.criterion);
    let n = |x: f64| format!("{} {u}", num(lang, x, 2)).trim().to_owned();
    let wanted = wanted(tr, state, c);
    let offered = match c.offered {
        Offered::Unknown => tr.t("site-unknown").to_lowercase(),
        Offered::Amount(x) => n(x),
        Offered::Has(b) => tr.t(if b { "site-yes" } else { "site-no" }).to_lowercase(),
        Offered::Uses(u) if !u.codes.is_empty() => u
            .codes
            .iter()
            .map(|c| display_cnae(c))
            .collect::<Vec<_>>()
            .join(", "),
        Offered::Uses(u) => match &u.text {
            Some(t) => tr.t1(
                "site-offer-uses-text",
                "value",
                t.chars().take(80).collect::<String>(),
            ),
            None => tr.t("site-unknown").to_lowercase(),
        },
        Offered::Availability { status, from } => {
            let label = tr
                .t(&format!("site-avail-{}", status.as_str()))
                .to_lowercase();
            match from {
                Some(d) => tr.tn(
                    "site-offer-availability-from",
                    &[
                        ("state", label.into()),
                        (
                            "date",
                            date(lang, &besaya_domain::directory::format_date(d)).into(),
                        ),
                    ],
                ),
                None => label,
            }
        }
        Offered::Municipality(m) => state
            .catalog
            .municipality(m)
            .map_or(m.to_owned(), |x| x.name.clone()),
    };
    tr.tn(
        "site-why",
        &[
            ("wanted", FluentValue::from(wanted)),
            ("offered", FluentValue::from(offered)),
        ],
    )
}

async fn match_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> Response {
    let form = MatchForm::from_query(query.as_deref());
    let asked = !form.go.is_empty();
    let mut errors = FormErrors::default();
    let mut response = None;
    let mut results = Vec::new();
    if asked {
        let req = form.to_request(&ctx.tr, &mut errors);
        let domain = super::api::requirements(&req, &state.catalog);
        match domain {
            Err(invalid) => {
                for i in invalid {
                    let field = match i.field.split('.').next().unwrap_or("") {
                        "area_m2" => "area_min",
                        "use" => "use",
                        "power_kva" => "power",
                        "water_m3_day" => "water",
                        "port_km" => "port_km",
                        "motorway_km" => "motorway_km",
                        "sale_price_m2" => "sale_price",
                        "rent_m2_month" => "rent_price",
                        "available_by" => "available_by",
                        _ => "municipality",
                    };
                    if !errors.has(field) {
                        errors.add(field, i.message(&ctx.tr));
                    }
                }
            }
            Ok(domain) if errors.is_empty() => {
                let snap = match snapshot(&state, &ctx).await {
                    Ok(s) => s,
                    Err(r) => return r,
                };
                let all = staff(&ctx);
                let fmt = Fmt {
                    tr: &ctx.tr,
                    state: &state,
                };
                // Ranked once; the checks are phrased in the page's language.
                let ranked = super::api::rank_visible(
                    &snap,
                    &domain,
                    all,
                    req.include_incomplete.unwrap_or(true),
                );
                for (i, ev) in ranked.results.iter().take(100) {
                    let s = &snap.sites[*i];
                    results.push(ResultView {
                        card: card(&fmt, s),
                        complete: ev.status == besaya_domain::sites::matching::Status::Match,
                        preferences: {
                            let preferred = ev
                                .checks
                                .iter()
                                .filter(|c| c.importance == Importance::Preferred);
                            let of = preferred.clone().count();
                            let met = preferred.filter(|c| c.outcome == Outcome::Pass).count();
                            (of > 0).then_some((met, of))
                        },
                        checks: ev
                            .checks
                            .iter()
                            .map(|c| CheckView {
                                label: criterion_label(&ctx.tr, c.criterion),
                                outcome: c.outcome.as_str(),
                                outcome_label: ctx
                                    .tr
                                    .t(match c.outcome {
                                        Outcome::Pass => "site-outcome-pass",
                                        Outcome::Fail => "site-outcome-fail",
                                        Outcome::Unknown => "site-outcome-unknown",
                                    })
                                    .to_owned(),
                                required: c.importance == Importance::Required,
                                reason: reason(&ctx.tr, &state, c),
                            })
                            .collect(),
                    });
                }
                response = Some(MatchSummary {
                    considered: ranked.considered,
                    eliminated: ranked.eliminated,
                    matches: ranked
                        .results
                        .iter()
                        .filter(|(_, e)| e.status == besaya_domain::sites::matching::Status::Match)
                        .count(),
                    incomplete: ranked.incomplete,
                });
            }
            Ok(_) => {}
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        render(&MatchPage {
            municipalities: municipality_options(&state),
            response,
            results,
            compare_max: COMPARE_MAX,
            errors,
            form,
            ctx,
        }),
    )
        .into_response()
}

// ---- Open data page ----

#[derive(Template)]
#[template(path = "sites/opendata.html")]
struct OpenDataPage {
    ctx: PageCtx,
    sites: usize,
    license_url: &'static str,
}

async fn open_data_page(State(state): State<AppState>, ctx: PageCtx) -> Response {
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    render(&OpenDataPage {
        sites: snap.published().count(),
        license_url: opendata::LICENSE_URL,
        ctx,
    })
}

// ---- Files ----

/// A photo or document of a site: public when the site is published.
async fn file(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let owner: Result<Option<(String, String, String)>, sqlx::Error> = async {
        let mut conn = state.db.reader().acquire().await?;
        sqlx::query_as(
            "SELECT site_id, kind, title FROM site_files WHERE file_id = $1 OR thumb_id = $1",
        )
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await
    }
    .await;
    let (site_id, kind, title) = match owner {
        Ok(Some(o)) => o,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let snap = match snapshot(&state, &ctx).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if find(&snap, &ctx, &site_id).is_none() {
        return ctx.not_found().into_response();
    }
    let etag = format!("\"{id}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let stored = async {
        let mut conn = state.db.reader().acquire().await?;
        crate::files::get(&mut conn, &id).await
    }
    .await;
    let f = match stored {
        Ok(Some(f)) => f,
        Ok(None) => return ctx.not_found().into_response(),
        Err(e) => return ctx.fail(e).into_response(),
    };
    let safe_title: String = title
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
        .take(80)
        .collect();
    let (disposition, ext) = if kind == "photo" {
        ("inline", "jpg")
    } else {
        ("attachment", "pdf")
    };
    let name = if safe_title.trim().is_empty() {
        "besaya".to_owned()
    } else {
        safe_title.trim().to_owned()
    };
    let name = if name.to_lowercase().ends_with(&format!(".{ext}")) {
        name
    } else {
        format!("{name}.{ext}")
    };
    let mut res = (StatusCode::OK, f.data).into_response();
    let h = res.headers_mut();
    let ct = if f.content_type == "application/pdf" {
        "application/pdf"
    } else {
        "image/jpeg"
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(num(Lang::Es, 12500.0, 0), "12.500");
        assert_eq!(num(Lang::Es, 5000.0, 0), "5.000");
        assert_eq!(num(Lang::Es, 999.0, 0), "999");
        assert_eq!(num(Lang::En, 5000.0, 0), "5,000");
        assert_eq!(num(Lang::Es, 3.5, 2), "3,5");
        assert_eq!(num(Lang::En, 1234567.25, 2), "1,234,567.25");
        assert_eq!(num(Lang::Es, 0.0, 1), "0");
        assert_eq!(date(Lang::Es, "2027-06-30"), "30/06/2027");
        assert_eq!(date(Lang::En, "2027-06-30"), "30 Jun 2027");
    }
}
