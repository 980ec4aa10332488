//! Loading the shipped reference files into the database (idempotent) and keeping
//! the district flag in line with the configuration.

use anyhow::Context;
use besaya_domain::IneCode;
use besaya_domain::text::fold;
use serde::Deserialize;

use crate::db::{Db, Sql};

const CNAE2009: &str = include_str!("../../data/cnae2009.csv");
const CNAE2025: &str = include_str!("../../data/cnae2025.csv");
const MUNICIPALITIES: &str = include_str!("../../data/cantabria_municipios.csv");
/// Rows per multi-row INSERT.
const CHUNK: usize = 200;

#[derive(Debug, Deserialize)]
struct CnaeRow {
    code: String,
    level: i64,
    parent: String,
    title_es: String,
    title_en: String,
}

#[derive(Debug, Deserialize)]
struct MunicipalityRow {
    ine_code: String,
    name: String,
    comarca: String,
    lat: f64,
    lon: f64,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> anyhow::Result<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .with_context(|| format!("the shipped file {name} is malformed"))
}

/// Loads CNAE-2009, CNAE-2025 and the municipalities; rows already there are left
/// alone, and nothing is written when every row is there. Runs at start-up.
/// Returns the number of rows inserted.
pub async fn load_reference(db: &Db) -> anyhow::Result<u64> {
    let cnae2009: Vec<CnaeRow> = parse("cnae2009.csv", CNAE2009)?;
    let cnae2025: Vec<CnaeRow> = parse("cnae2025.csv", CNAE2025)?;
    let munis: Vec<MunicipalityRow> = parse("cantabria_municipios.csv", MUNICIPALITIES)?;
    let (have_cnae, have_munis): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cnae_codes), (SELECT COUNT(*) FROM municipalities)",
    )
    .fetch_one(db.reader())
    .await?;
    if have_cnae == (cnae2009.len() + cnae2025.len()) as i64 && have_munis == munis.len() as i64 {
        return Ok(0);
    }
    let mut tx = db.writer().begin().await?;
    let mut inserted = 0;
    for chunk in munis.chunks(CHUNK) {
        let mut sql = Sql::new(
            "INSERT INTO municipalities (ine_code, name, comarca, lat, lon, in_district, search_text) VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            IneCode::parse(&m.ine_code).with_context(|| {
                format!("bad INE code {} in cantabria_municipios.csv", m.ine_code)
            })?;
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(m.ine_code.clone())
                .push(", ")
                .bind(m.name.clone())
                .push(", ")
                .bind(m.comarca.clone())
                .push(", ")
                .bind(m.lat)
                .push(", ")
                .bind(m.lon)
                .push(", 0, ")
                .bind(fold(&m.name))
                .push(")");
        }
        sql.push(" ON CONFLICT (ine_code) DO NOTHING");
        let (text, args) = sql.build()?;
        inserted += sqlx::query_with(&text, args)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    let versions = [("2009", &cnae2009), ("2025", &cnae2025)];
    for (chunk, version) in versions
        .iter()
        .flat_map(|(v, rows)| rows.chunks(CHUNK).map(move |c| (c, *v)))
    {
        let mut sql = Sql::new(
            "INSERT INTO cnae_codes (version, code, level, parent, title_es, title_en, search_text) VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            let parent = (!c.parent.is_empty()).then(|| c.parent.clone());
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(version)
                .push(", ")
                .bind(c.code.clone())
                .push(", ")
                .bind(c.level)
                .push(", ")
                .bind(parent)
                .push(", ")
                .bind(c.title_es.clone())
                .push(", ")
                .bind(c.title_en.clone())
                .push(", ")
                .bind(fold(&format!("{} {} {}", c.code, c.title_es, c.title_en)))
                .push(")");
        }
        sql.push(" ON CONFLICT (version, code) DO NOTHING");
        let (text, args) = sql.build()?;
        inserted += sqlx::query_with(&text, args)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

/// Marks the district's municipalities. `codes` empty means the traditional comarca
/// "Besaya". A code that is malformed, or unknown once the municipalities are loaded,
/// is a configuration error.
pub async fn sync_district(db: &Db, codes: &[String]) -> anyhow::Result<()> {
    let mut parsed = Vec::with_capacity(codes.len());
    for c in codes {
        let code = IneCode::parse(c).map_err(|e| {
            anyhow::anyhow!("district_municipalities: {c:?} is not an INE code ({e})")
        })?;
        parsed.push(code.as_str().to_owned());
    }
    parsed.sort();
    parsed.dedup();
    let loaded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
        .fetch_one(db.reader())
        .await?;
    if loaded == 0 {
        return Ok(());
    }
    let mut sql = Sql::new("UPDATE municipalities SET in_district = CASE WHEN (");
    if parsed.is_empty() {
        sql.push("comarca = 'Besaya'");
    } else {
        sql.push("ine_code IN (");
        for (i, c) in parsed.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(c.clone());
        }
        sql.push(")");
    }
    sql.push(") THEN 1 ELSE 0 END");
    let (text, args) = sql.build()?;
    let mut tx = db.writer().begin().await?;
    sqlx::query_with(&text, args).execute(&mut *tx).await?;
    let marked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM municipalities WHERE in_district = 1")
            .fetch_one(&mut *tx)
            .await?;
    if !parsed.is_empty() && marked != parsed.len() as i64 {
        anyhow::bail!(
            "district_municipalities: {} of the {} codes are not municipalities of Cantabria",
            parsed.len() as i64 - marked,
            parsed.len()
        );
    }
    tx.commit().await?;
    Ok(())
}
