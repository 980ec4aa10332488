//! Demo estates and sites: the district's real estates with fictional sites
//! (`data/demo_sites.json`, every description says so), loaded through the same
//! validation as the API; `--scale N` adds N/10 generated sites for benchmarks.

use std::collections::HashMap;

use anyhow::Context;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::Value;

use super::model::{EstateInput, SiteInput, validate_estate, validate_site};
use super::store;
use crate::db::Db;
use crate::reference::Catalog;

const DEMO: &str = include_str!("../../data/demo_sites.json");

#[derive(Deserialize)]
struct DemoFile {
    estates: Vec<DemoEstate>,
    sites: Vec<DemoSite>,
}

#[derive(Deserialize)]
struct DemoEstate {
    key: String,
    #[serde(flatten)]
    input: EstateInput,
}

#[derive(Deserialize)]
struct DemoSite {
    estate: Option<String>,
    #[serde(flatten)]
    input: Value,
}

/// Loads the demo estates and sites when there are none; returns how many sites it added.
pub async fn load(db: &Db, catalog: &Catalog, scale: u32) -> anyhow::Result<u64> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM estates")
        .fetch_one(db.reader())
        .await?;
    let file: DemoFile = serde_json::from_str(DEMO).context("data/demo_sites.json")?;
    let mut tx = db.writer().begin().await?;
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut added = 0;
    if existing == 0 {
        for e in &file.estates {
            let valid = validate_estate(&e.input, catalog)
                .map_err(|errs| anyhow::anyhow!("demo estate {}: {errs:?}", e.key))?;
            let id = store::insert_estate(&mut tx, None, &valid)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            keys.insert(e.key.clone(), id);
        }
        for s in &file.sites {
            let mut input: SiteInput = serde_json::from_value(s.input.clone())
                .context("a demo site does not fit the site input")?;
            input.estate_id = s.estate.as_ref().and_then(|k| keys.get(k)).cloned();
            let valid = validate_site(&input, catalog, |_| true)
                .map_err(|errs| anyhow::anyhow!("demo site {:?}: {errs:?}", input.name))?;
            store::insert_site(&mut tx, None, &valid)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            added += 1;
        }
    } else {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM estates")
            .fetch_all(&mut *tx)
            .await?;
        for e in &file.estates {
            if let Some((id, _)) = rows.iter().find(|(_, n)| Some(n) == e.input.name.as_ref()) {
                keys.insert(e.key.clone(), id.clone());
            }
        }
    }
    let estate_ids: Vec<String> = keys.values().cloned().collect();
    for input in generate(scale / 10, &file.estates, &estate_ids, &keys) {
        let valid = validate_site(&input, catalog, |_| true)
            .map_err(|errs| anyhow::anyhow!("generated site: {errs:?}"))?;
        match store::insert_site(&mut tx, None, &valid).await {
            Ok(_) => added += 1,
            // Already there from an earlier run with the same scale.
            Err(store::WriteError::DuplicateReference) => {}
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// `n` generated sites in the demo estates, the same for the same `n`, with
/// about a third of the facts unknown.
fn generate(
    n: u32,
    estates: &[DemoEstate],
    estate_ids: &[String],
    keys: &HashMap<String, String>,
) -> Vec<SiteInput> {
    if estate_ids.is_empty() {
        return Vec::new();
    }
    let mut rng = SmallRng::seed_from_u64(0x5173);
    let kinds = ["plot", "plot", "plot", "warehouse", "building", "office"];
    let states = [
        "available",
        "available",
        "available",
        "reserved",
        "in_tender",
        "let",
        "sold",
    ];
    let uses: [&[&str]; 4] = [&["C"], &["C", "H"], &["24", "25"], &["H", "52"]];
    (0..n)
        .map(|i| {
            let e = &estates[i as usize % estates.len()];
            let estate_id = keys.get(&e.key).cloned();
            let (lat, lon) = centre(e).unwrap_or((43.35, -4.05));
            let mut maybe = |p: f64| rng.gen_bool(p);
            let known = |k: bool, v: f64| k.then_some(v);
            let k = [
                maybe(0.8),
                maybe(0.7),
                maybe(0.7),
                maybe(0.6),
                maybe(0.6),
                maybe(0.7),
            ];
            let area = rng.gen_range(800.0..60_000.0_f64).round();
            SiteInput {
                reference: Some(format!("GEN-{i:06}")),
                name: Some(format!("Parcela generada {i}")),
                kind: Some(kinds[rng.gen_range(0..kinds.len())].to_owned()),
                estate_id,
                published: Some(true),
                municipality_code: e.input.municipality_code.clone(),
                lat: Some(lat + rng.gen_range(-0.004..0.004)),
                lon: Some(lon + rng.gen_range(-0.006..0.006)),
                area_m2: known(k[0], area),
                permitted_uses: Some(if k[1] {
                    uses[rng.gen_range(0..uses.len())]
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect()
                } else {
                    Vec::new()
                }),
                availability: k[2].then(|| states[rng.gen_range(0..states.len())].to_owned()),
                sale_price_m2: known(k[3], rng.gen_range(35.0..140.0_f64).round()),
                rent_m2_month: known(k[4], (rng.gen_range(2.0..7.0_f64) * 10.0).round() / 10.0),
                power_kva: known(k[5], rng.gen_range(1..50) as f64 * 100.0),
                rail_siding: rng.gen_bool(0.7).then(|| rng.gen_bool(0.2)),
                gas: rng.gen_bool(0.6).then(|| rng.gen_bool(0.6)),
                water_m3_day: rng.gen_bool(0.5).then(|| rng.gen_range(5..300) as f64),
                description: Some("Ficticio (generado para pruebas de rendimiento).".to_owned()),
                last_verified_on: Some(format!("2026-{:02}-15", rng.gen_range(1..12))),
                ..SiteInput::default()
            }
        })
        .collect()
}

/// The centre of an estate's outline.
fn centre(e: &DemoEstate) -> Option<(f64, f64)> {
    let ring = e
        .input
        .outline
        .as_ref()?
        .get("coordinates")?
        .get(0)?
        .as_array()?;
    let pts: Vec<(f64, f64)> = ring
        .iter()
        .filter_map(|p| Some((p.get(1)?.as_f64()?, p.get(0)?.as_f64()?)))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let n = pts.len() as f64;
    Some((
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    ))
}
