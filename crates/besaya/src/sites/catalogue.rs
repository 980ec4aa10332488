//! The sites catalogue in memory: every estate and site, ready for the list, the
//! map, matching and the open data. Each request checks `site_revision` (one
//! small query) and reloads everything when another write moved it, so several
//! instances on one PostgreSQL stay current. Thousands of sites load in tens of
//! milliseconds; matching then runs without touching the database.

use std::sync::Arc;

use besaya_domain::sites::availability::Availability;
use besaya_domain::sites::geo::{Point, distances_from};
use besaya_domain::sites::matching::{SiteFacts, Uses};
use rustc_hash::FxHashMap;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::model::{Distance, Distances, Estate, Site, SiteFile};
use super::store;
use crate::db::Db;
use crate::reference::Catalog;

/// One revision of the catalogue.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Whether this was read from the database (the default one was not).
    loaded: bool,
    pub revision: i64,
    /// Estates by name.
    pub estates: Vec<Arc<Estate>>,
    /// Sites by name, then reference.
    pub sites: Vec<Arc<Site>>,
    /// The facts matching reads, aligned with `sites`.
    pub facts: Vec<SiteFacts>,
    by_id: FxHashMap<String, usize>,
    estate_by_id: FxHashMap<String, usize>,
}

impl Snapshot {
    pub fn site(&self, id: &str) -> Option<&Arc<Site>> {
        self.by_id.get(id).map(|&i| &self.sites[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn estate(&self, id: &str) -> Option<&Arc<Estate>> {
        self.estate_by_id.get(id).map(|&i| &self.estates[i])
    }

    pub fn published(&self) -> impl Iterator<Item = (usize, &Arc<Site>)> {
        self.sites.iter().enumerate().filter(|(_, s)| s.published)
    }
}

#[derive(Debug, Default)]
pub struct SiteCatalogue {
    current: std::sync::RwLock<Arc<Snapshot>>,
    reload: tokio::sync::Mutex<()>,
    /// The open-data files of the current revision.
    pub rendered: std::sync::Mutex<super::opendata::Rendered>,
}

impl SiteCatalogue {
    /// The current snapshot, reloaded first when the database moved on.
    pub async fn get(&self, db: &Db, catalog: &Catalog) -> anyhow::Result<Arc<Snapshot>> {
        let mut conn = db.reader().acquire().await?;
        let rev = store::revision(&mut conn).await?;
        let fresh_enough = |s: &Snapshot| s.loaded && s.revision == rev;
        let snap = self.snapshot();
        if fresh_enough(&snap) {
            return Ok(snap);
        }
        let _guard = self.reload.lock().await;
        let snap = self.snapshot();
        if fresh_enough(&snap) {
            return Ok(snap);
        }
        let fresh = Arc::new(load(&mut conn, catalog).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

fn flag(r: &AnyRow, col: &str) -> Result<Option<bool>, sqlx::Error> {
    Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
}

fn words(s: String) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

fn geometry(s: Option<String>) -> Option<Value> {
    s.and_then(|t| serde_json::from_str(&t).ok())
}

/// Reads every estate, site and file description (not the bytes).
pub async fn load(conn: &mut sqlx::AnyConnection, catalog: &Catalog) -> anyhow::Result<Snapshot> {
    // Read the revision first: a write landing meanwhile makes the next request reload.
    let revision = store::revision(conn).await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT estate_id, COUNT(*) FROM sites WHERE estate_id IS NOT NULL GROUP BY estate_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let counts: FxHashMap<String, i64> = counts.into_iter().collect();
    let rows: Vec<AnyRow> = sqlx::query(
        "SELECT id, name, municipality_code, managing_body, status, outline, lat, lon, description, \
         website, version, created_at, updated_at FROM estates ORDER BY name, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut estates = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let municipality_code: String = r.try_get("municipality_code")?;
        estates.push(Arc::new(Estate {
            sites: counts.get(&id).copied().unwrap_or(0),
            municipality_name: catalog
                .municipality(&municipality_code)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            id,
            name: r.try_get("name")?,
            municipality_code,
            managing_body: r.try_get("managing_body")?,
            status: r.try_get("status")?,
            outline: geometry(r.try_get("outline")?),
            lat: r.try_get("lat")?,
            lon: r.try_get("lon")?,
            description: r.try_get("description")?,
            website: r.try_get("website")?,
            version: r.try_get("version")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }));
    }
    let estate_by_id: FxHashMap<String, usize> = estates
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();

    let file_rows: Vec<AnyRow> = sqlx::query(
        "SELECT id, site_id, kind, title, file_id, thumb_id, width, height, size \
         FROM site_files ORDER BY site_id, kind, position, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut files: FxHashMap<String, (Vec<SiteFile>, Vec<SiteFile>)> = FxHashMap::default();
    for r in &file_rows {
        let site_id: String = r.try_get("site_id")?;
        let kind: String = r.try_get("kind")?;
        let file_id: String = r.try_get("file_id")?;
        let thumb: Option<String> = r.try_get("thumb_id")?;
        let f = SiteFile {
            id: r.try_get("id")?,
            url: format!("/files/{file_id}"),
            thumb_url: thumb.map(|t| format!("/files/{t}")),
            kind: kind.clone(),
            title: r.try_get("title")?,
            width: r.try_get("width")?,
            height: r.try_get("height")?,
            size: r.try_get("size")?,
        };
        let entry = files.entry(site_id).or_default();
        if kind == "photo" {
            entry.0.push(f);
        } else {
            entry.1.push(f);
        }
    }

    let rows: Vec<AnyRow> = sqlx::query("SELECT * FROM sites ORDER BY name, reference, id")
        .fetch_all(&mut *conn)
        .await?;
    let mut sites = Vec::with_capacity(rows.len());
    let mut facts = Vec::with_capacity(rows.len());
    for r in &rows {
        let site = site_from_row(r, catalog, &estates, &estate_by_id, &mut files)?;
        facts.push(facts_of(&site));
        sites.push(Arc::new(site));
    }
    let by_id = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    Ok(Snapshot {
        loaded: true,
        revision,
        estates,
        sites,
        facts,
        by_id,
        estate_by_id,
    })
}

fn site_from_row(
    r: &AnyRow,
    catalog: &Catalog,
    estates: &[Arc<Estate>],
    estate_by_id: &FxHashMap<String, usize>,
    files: &mut FxHashMap<String, (Vec<SiteFile>, Vec<SiteFile>)>,
) -> Result<Site, sqlx::Error> {
    let id: String = r.try_get("id")?;
    let municipality_code: String = r.try_get("municipality_code")?;
    let estate_id: Option<String> = r.try_get("estate_id")?;
    let lat: Option<f64> = r.try_get("lat")?;
    let lon: Option<f64> = r.try_get("lon")?;
    let motorway_km: Option<f64> = r.try_get("motorway_km")?;
    let port_km: Option<f64> = r.try_get("port_km")?;
    let airport_km: Option<f64> = r.try_get("airport_km")?;
    let computed = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(distances_from(Point { lat, lon })),
        _ => None,
    };
    let pick = |given: Option<f64>, comp: Option<(f64, &str)>, to: &str| -> Option<Distance> {
        match (given, comp) {
            (Some(km), _) => Some(Distance {
                km,
                source: "given",
                to: comp.map_or(to, |c| c.1).to_owned(),
            }),
            (None, Some((km, name))) => Some(Distance {
                km,
                source: "computed",
                to: name.to_owned(),
            }),
            (None, None) => None,
        }
    };
    let distances = Distances {
        motorway: pick(
            motorway_km,
            computed
                .as_ref()
                .map(|d| (d.motorway_km, d.motorway_junction)),
            "A-67/A-8",
        ),
        port: pick(
            port_km,
            computed
                .as_ref()
                .map(|d| (d.port_km, "Puerto de Santander")),
            "Puerto de Santander",
        ),
        airport: pick(
            airport_km,
            computed
                .as_ref()
                .map(|d| (d.airport_km, "Aeropuerto Seve Ballesteros")),
            "Aeropuerto Seve Ballesteros",
        ),
    };
    let (photos, documents) = files.remove(&id).unwrap_or_default();
    let estate_name = estate_id
        .as_deref()
        .and_then(|e| estate_by_id.get(e))
        .map(|&i| estates[i].name.clone());
    Ok(Site {
        reference: r.try_get("reference")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        estate_name,
        estate_id,
        published: flag(r, "published")?.unwrap_or(false),
        municipality_name: catalog
            .municipality(&municipality_code)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        municipality_code,
        address: r.try_get("address")?,
        lat,
        lon,
        outline: geometry(r.try_get("outline")?),
        cadastral_refs: words(r.try_get("cadastral_refs")?),
        area_m2: r.try_get("area_m2")?,
        net_area_m2: r.try_get("net_area_m2")?,
        buildable_m2: r.try_get("buildable_m2")?,
        permitted_uses: words(r.try_get("permitted_uses")?),
        uses_text: r.try_get("uses_text")?,
        planning_status: r.try_get("planning_status")?,
        availability: r.try_get("availability")?,
        available_from: r.try_get("available_from")?,
        sale_price_m2: r.try_get("sale_price_m2")?,
        rent_m2_month: r.try_get("rent_m2_month")?,
        rent_to_buy: flag(r, "rent_to_buy")?,
        power_kva: r.try_get("power_kva")?,
        voltage_kv: r.try_get("voltage_kv")?,
        substation_km: r.try_get("substation_km")?,
        gas: flag(r, "gas")?,
        water_m3_day: r.try_get("water_m3_day")?,
        sewerage: flag(r, "sewerage")?,
        fibre: flag(r, "fibre")?,
        rail_siding: flag(r, "rail_siding")?,
        motorway_km,
        port_km,
        airport_km,
        distances,
        flood_risk: r.try_get("flood_risk")?,
        environmental_status: r.try_get("environmental_status")?,
        environmental_notes: r.try_get("environmental_notes")?,
        owner: r.try_get("owner")?,
        managing_body: r.try_get("managing_body")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        contact_phone: r.try_get("contact_phone")?,
        description: r.try_get("description")?,
        internal_notes: r.try_get("internal_notes")?,
        photos,
        documents,
        last_verified_on: r.try_get("last_verified_on")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        id,
    })
}

/// What matching needs of a site.
pub fn facts_of(s: &Site) -> SiteFacts {
    SiteFacts {
        area_m2: s.area_m2,
        uses: Uses {
            codes: s.permitted_uses.clone(),
            text: s.uses_text.clone(),
        },
        power_kva: s.power_kva,
        rail: s.rail_siding,
        gas: s.gas,
        water_m3_day: s.water_m3_day,
        port_km: s.distances.port.as_ref().map(|d| d.km),
        motorway_km: s.distances.motorway.as_ref().map(|d| d.km),
        sale_price_m2: s.sale_price_m2,
        rent_m2_month: s.rent_m2_month,
        availability: s.availability.as_deref().and_then(Availability::parse),
        available_from: s
            .available_from
            .as_deref()
            .and_then(besaya_domain::directory::parse_date),
        municipality: s.municipality_code.clone(),
    }
}
