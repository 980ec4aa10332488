//! The demo data set: the reference data and a realistic, clearly fictional set of
//! records of the district. `--scale N` adds N generated organisations for
//! benchmarks. Loading is idempotent: records already there are left alone.

use std::fmt;

use anyhow::Context;
use besaya_domain::Nif;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::AppState;
use crate::config::Config;
use crate::db::Db;
use crate::orgs::{self, NewOrg};
use crate::reference::load::{load_reference, sync_district};

/// What a demo load did.
#[derive(Debug, Default)]
pub struct Report {
    pub reference_rows: u64,
    pub organizations: u64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo data loaded: {} reference rows and {} organisations added",
            self.reference_rows, self.organizations
        )
    }
}

/// Fictional organisations of the district: (name, kind, NIF letter, digits, INE code).
/// Names are invented; any likeness to a real firm is accidental.
const ORGS: &[(&str, &str, char, u32, &str)] = &[
    (
        "Aceros Trefilados del Besaya, S.A. (demo)",
        "company",
        'A',
        3_900_101,
        "39087",
    ),
    (
        "Cauchos y Neumáticos Saja, S.L. (demo)",
        "company",
        'B',
        3_900_102,
        "39087",
    ),
    (
        "Química Barreda Ejemplo, S.A. (demo)",
        "company",
        'A',
        3_900_103,
        "39087",
    ),
    (
        "Plásticos Técnicos Cartes, S.L. (demo)",
        "company",
        'B',
        3_900_104,
        "39020",
    ),
    (
        "Mecanizados Los Corrales, S.L. (demo)",
        "company",
        'B',
        3_900_105,
        "39025",
    ),
    (
        "Papelera del Valle de Buelna, S.A. (demo)",
        "company",
        'A',
        3_900_106,
        "39080",
    ),
    (
        "Ingeniería Eléctrica Polanco, S.L. (demo)",
        "company",
        'B',
        3_900_107,
        "39052",
    ),
    (
        "Textiles Suances Ejemplo, S.L. (demo)",
        "company",
        'B',
        3_900_108,
        "39085",
    ),
    (
        "Ayuntamiento de ejemplo de Torrelavega (demo)",
        "administration",
        'P',
        3_900_109,
        "39087",
    ),
    (
        "Asociación Empresarial del Besaya (demo)",
        "business_association",
        'G',
        3_900_110,
        "39087",
    ),
    (
        "Sindicato Comarcal de Industria (demo)",
        "union",
        'G',
        3_900_111,
        "39087",
    ),
    (
        "Centro Integrado de Formación Profesional Besaya (demo)",
        "training_centre",
        'Q',
        3_900_112,
        "39087",
    ),
    (
        "Instituto Tecnológico de Materiales de Cantabria (demo)",
        "research_centre",
        'G',
        3_900_113,
        "39075",
    ),
    (
        "Nordic Battery Components AB (demo investor)",
        "investor",
        'N',
        3_900_114,
        "39075",
    ),
];

/// Loads everything; `scale` adds generated organisations.
pub async fn load(db: &Db, config: &Config, scale: u32) -> anyhow::Result<Report> {
    let reference_rows = load_reference(db).await?;
    sync_district(db, &config.district_municipalities).await?;
    let mut new = Vec::new();
    for (name, kind, letter, digits, ine) in ORGS {
        new.push(NewOrg {
            name: (*name).to_owned(),
            kind: kind_of(kind),
            tax_id: Nif::entity(*letter, *digits).context("demo NIF")?,
            municipality_code: Some((*ine).to_owned()),
        });
    }
    new.extend(generate(scale)?);
    let mut tx = db.writer().begin().await?;
    let organizations = orgs::insert_many(&mut tx, None, &new).await?;
    tx.commit().await?;
    Ok(Report {
        reference_rows,
        organizations,
    })
}

/// `serve --demo`: loads the demo data only when the database has none.
pub async fn load_if_empty(state: &AppState) -> anyhow::Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
        .fetch_one(state.db.reader())
        .await?;
    if n == 0 {
        let report = load(&state.db, &state.config, 0).await?;
        tracing::info!(%report, "demo data");
    }
    Ok(())
}

fn kind_of(kind: &str) -> &'static str {
    orgs::KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .unwrap_or("other")
}

/// `n` generated organisations, the same for the same `n` (fixed seed).
fn generate(n: u32) -> anyhow::Result<Vec<NewOrg>> {
    const ACTIVITY: &[&str] = &[
        "Metalúrgica",
        "Calderería",
        "Mecanizados",
        "Fundiciones",
        "Plásticos",
        "Química",
        "Transportes",
        "Electricidad",
        "Automatismos",
        "Ingeniería",
        "Logística",
        "Montajes",
        "Soldaduras",
        "Recubrimientos",
        "Envases",
        "Maderas",
        "Textil",
        "Mantenimiento",
    ];
    const PLACE: &[&str] = &[
        "Besaya",
        "Saja",
        "Torrelavega",
        "Cartes",
        "Buelna",
        "Polanco",
        "Suances",
        "Reocín",
        "Pas",
        "Iguña",
        "Campoo",
        "Cantábrica",
        "del Norte",
        "Montañesa",
    ];
    const FORM: &[&str] = &["S.L.", "S.A.", "S.L.L.", "S. Coop."];
    const MUNIS: &[&str] = &[
        "39087", "39087", "39087", "39020", "39025", "39080", "39052", "39085", "39059", "39003",
        "39004", "39008", "39075", "39016", "39029",
    ];
    let mut rng = SmallRng::seed_from_u64(2026);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let name = format!(
            "{} {} {} {} (demo {i})",
            ACTIVITY[rng.gen_range(0..ACTIVITY.len())],
            PLACE[rng.gen_range(0..PLACE.len())],
            rng.gen_range(1..=99),
            FORM[rng.gen_range(0..FORM.len())],
        );
        out.push(NewOrg {
            name,
            kind: if rng.gen_ratio(9, 10) {
                "company"
            } else {
                "other"
            },
            tax_id: Nif::entity('B', 5_000_000 + i).context("generated NIF")?,
            municipality_code: Some(MUNIS[rng.gen_range(0..MUNIS.len())].to_owned()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_tax_ids_are_unique() {
        let a = generate(300).unwrap();
        let b = generate(300).unwrap();
        assert_eq!(a.len(), 300);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.name == y.name && x.tax_id == y.tax_id)
        );
        let mut ids: Vec<_> = a.iter().map(|o| o.tax_id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 300);
    }
}
