//! The reference data held in memory: it changes only with a release (CNAE) or
//! the configuration (the district), so validation, search and pages read it
//! without a query.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::db::{Db, Flag};

/// A CNAE code with what pages and search need.
#[derive(Debug, Clone)]
pub struct Cnae {
    pub level: i64,
    pub section: char,
    pub title_es: String,
    pub title_en: String,
}

#[derive(Debug, Clone)]
pub struct Municipality {
    pub name: String,
    pub in_district: bool,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Default)]
pub struct Catalog {
    cnae: FxHashMap<(&'static str, String), Cnae>,
    pub municipalities: BTreeMap<String, Municipality>,
    /// Their codes in name order (accents aside), for pickers.
    by_name: Vec<String>,
}

/// The classification versions the platform knows, newest first.
pub const CNAE_VERSIONS: [&str; 2] = ["2025", "2009"];

pub fn cnae_version(v: &str) -> Option<&'static str> {
    CNAE_VERSIONS.into_iter().find(|x| *x == v)
}

#[derive(sqlx::FromRow)]
struct CnaeRow {
    version: String,
    code: String,
    level: i64,
    parent: Option<String>,
    title_es: String,
    title_en: String,
}

#[derive(sqlx::FromRow)]
struct MuniRow {
    ine_code: String,
    name: String,
    lat: f64,
    lon: f64,
    #[sqlx(try_from = "i64")]
    in_district: Flag,
}

impl Catalog {
    pub async fn load(db: &Db) -> anyhow::Result<Self> {
        let rows: Vec<CnaeRow> = sqlx::query_as(
            "SELECT version, code, level, parent, title_es, title_en FROM cnae_codes",
        )
        .fetch_all(db.reader())
        .await?;
        let parents: FxHashMap<(String, String), Option<String>> = rows
            .iter()
            .map(|r| ((r.version.clone(), r.code.clone()), r.parent.clone()))
            .collect();
        let mut cnae = FxHashMap::default();
        for r in rows {
            let Some(version) = cnae_version(&r.version) else {
                continue;
            };
            // Walk up to the section letter.
            let mut code = r.code.clone();
            for _ in 0..4 {
                match parents.get(&(r.version.clone(), code.clone())) {
                    Some(Some(p)) => code = p.clone(),
                    _ => break,
                }
            }
            let section = code
                .chars()
                .next()
                .filter(char::is_ascii_uppercase)
                .unwrap_or('?');
            cnae.insert(
                (version, r.code),
                Cnae {
                    level: r.level,
                    section,
                    // 25 classes of CNAE-2025 have no English title in the source;
                    // the Spanish one is better than nothing.
                    title_en: if r.title_en.trim().is_empty() {
                        r.title_es.clone()
                    } else {
                        r.title_en
                    },
                    title_es: r.title_es,
                },
            );
        }
        let munis: Vec<MuniRow> =
            sqlx::query_as("SELECT ine_code, name, lat, lon, in_district FROM municipalities")
                .fetch_all(db.reader())
                .await?;
        let municipalities: BTreeMap<String, Municipality> = munis
            .into_iter()
            .map(|m| {
                (
                    m.ine_code,
                    Municipality {
                        name: m.name,
                        in_district: m.in_district.0,
                        lat: m.lat,
                        lon: m.lon,
                    },
                )
            })
            .collect();
        let mut by_name: Vec<(String, String)> = municipalities
            .iter()
            .map(|(c, m): (&String, &Municipality)| (besaya_domain::text::fold(&m.name), c.clone()))
            .collect();
        by_name.sort();
        Ok(Self {
            cnae,
            municipalities,
            by_name: by_name.into_iter().map(|(_, c)| c).collect(),
        })
    }

    pub fn cnae(&self, version: &'static str, code: &str) -> Option<&Cnae> {
        self.cnae.get(&(version, code.to_owned()))
    }

    /// The classes (level 4) of a version, in code order, for pickers.
    pub fn classes(&self, version: &'static str) -> Vec<(&str, &Cnae)> {
        let mut v: Vec<(&str, &Cnae)> = self
            .cnae
            .iter()
            .filter(|((ver, _), c)| *ver == version && c.level == 4)
            .map(|((_, code), c)| (code.as_str(), c))
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.get(code)
    }

    /// The INE code of a municipality given by its code or its name (accents and
    /// case aside); anything else comes back as typed, for validation to refuse.
    pub fn municipality_code(&self, typed: &str) -> String {
        let t = typed.trim();
        if self.municipalities.contains_key(t) {
            return t.to_owned();
        }
        let folded = besaya_domain::text::fold(t);
        self.municipalities
            .iter()
            .find(|(_, m)| besaya_domain::text::fold(&m.name) == folded)
            .map_or_else(|| t.to_owned(), |(c, _)| c.clone())
    }

    /// The municipalities in name order, for selects.
    pub fn municipalities_by_name(&self) -> Vec<(&str, &Municipality)> {
        self.by_name
            .iter()
            .filter_map(|c| self.municipalities.get(c).map(|m| (c.as_str(), m)))
            .collect()
    }
}
