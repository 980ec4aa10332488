//! The demo data set: the reference data and a realistic, clearly fictional set of
//! records of the district. `--scale N` adds N generated organisations for
//! benchmarks. Loading is idempotent: records already there are left alone.

use std::fmt;

use std::sync::Arc;

use anyhow::Context;
use besaya_domain::Nif;
use besaya_domain::directory::{Certification, SizeBand, TaxId};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::AppState;
use crate::config::Config;
use crate::db::Db;
use crate::i18n::{I18n, Lang, Tr};
use crate::orgs::import::{self, Progress};
use crate::orgs::{self, ValidOrg};
use crate::reference::Catalog;
use crate::reference::load::{load_reference, sync_district};

/// What a demo load did.
#[derive(Debug, Default)]
pub struct Report {
    pub reference_rows: u64,
    pub organizations: u64,
    pub sites: u64,
    pub projects: u64,
    pub needs: u64,
    pub commitments: u64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo data loaded: {} reference rows, {} organisations, {} sites, {} projects, {} needs and {} pact commitments added",
            self.reference_rows,
            self.organizations,
            self.sites,
            self.projects,
            self.needs,
            self.commitments
        )
    }
}

/// The demo organisations: a spreadsheet in the import template's format, loaded
/// through the importer itself.
const ORGS_CSV: &[u8] = include_bytes!("../data/demo_organizations.csv");

/// Loads everything; `scale` adds generated organisations, sites and projects.
pub async fn load(db: &Db, config: &Config, scale: u32) -> anyhow::Result<Report> {
    let mut report = load_catalogues(db, config, scale).await?;
    report.projects = crate::office::demo::load(db, scale).await?;
    report.needs = crate::pact::demo::load(db).await?;
    report.commitments = crate::pact::alliance_demo::load(db).await?;
    Ok(report)
}

/// The reference data, the directory and the sites, without the Office's
/// projects (integration tests of the Office start from their own records).
pub async fn load_catalogues(db: &Db, config: &Config, scale: u32) -> anyhow::Result<Report> {
    let reference_rows = load_reference(db).await?;
    sync_district(db, &config.district_municipalities).await?;
    let catalog = Catalog::load(db).await?;
    let tr = Tr::new(Arc::new(I18n::load()?), Lang::En);
    let existing = import::existing_tax_ids(db).await?;
    let report = import::check(ORGS_CSV, &catalog, &tr, &existing, &Progress::default());
    if let Some(e) = report.errors.first() {
        anyhow::bail!(
            "the demo file has a bad row {} ({}): {}",
            e.line,
            e.column,
            e.message
        );
    }
    let mut new: Vec<ValidOrg> = report
        .valid
        .into_iter()
        .filter(|(_, id)| id.is_none())
        .map(|(v, _)| v)
        .collect();
    let generated = generate(scale, &catalog)?;
    new.extend(
        generated
            .into_iter()
            .filter(|v| !existing.contains_key(v.tax_id.as_str())),
    );
    let mut organizations = 0;
    for chunk in new.chunks(5000) {
        let mut tx = db.writer().begin().await?;
        organizations += orgs::store::insert_many(&mut tx, None, chunk)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .len() as u64;
        tx.commit().await?;
    }
    let sites = crate::sites::demo::load(db, &catalog, scale).await?;
    Ok(Report {
        reference_rows,
        organizations,
        sites,
        projects: 0,
        needs: 0,
        commitments: 0,
    })
}

/// `serve --demo`: loads the demo data only when the database has none.
pub async fn load_if_empty(state: &AppState) -> anyhow::Result<()> {
    // Reference data is loaded at every start; the demo is the organisations.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(state.db.reader())
        .await?;
    let estates: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM estates")
        .fetch_one(state.db.reader())
        .await?;
    let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(state.db.reader())
        .await?;
    if n == 0 || estates == 0 || projects == 0 {
        let report = load(&state.db, &state.config, 0).await?;
        tracing::info!(%report, "demo data");
    }
    Ok(())
}

/// `n` generated organisations, the same for the same `n` (fixed seed), with
/// activities, capabilities and certifications varied enough to make search and
/// filters work as on real data.
fn generate(n: u32, catalog: &Catalog) -> anyhow::Result<Vec<ValidOrg>> {
    const ACTIVITY: &[(&str, &[&str])] = &[
        ("Metalúrgica", &["2410", "2420", "2434"]),
        ("Calderería", &["2522", "2513", "3311"]),
        ("Mecanizados", &["2553", "2599"]),
        ("Fundiciones", &["2451", "2452", "2453"]),
        ("Plásticos", &["2221", "2222", "2229"]),
        ("Química", &["2013", "2014", "2016"]),
        ("Transportes", &["4941", "5210"]),
        ("Electricidad", &["4321", "3314"]),
        ("Automatismos", &["2651", "3320"]),
        ("Ingeniería", &["7112", "7120"]),
        ("Logística", &["5210", "5229"]),
        ("Montajes", &["4329", "3320"]),
        ("Soldaduras", &["2513", "3311"]),
        ("Recubrimientos", &["2561", "4334"]),
        ("Envases", &["2222", "1721"]),
        ("Maderas", &["1610", "1623"]),
        ("Textil", &["1392", "1396"]),
        ("Mantenimiento", &["3312", "3311", "8122"]),
    ];
    const CAPABILITY: &[&str] = &[
        "soldadura TIG y MIG de acero inoxidable",
        "mecanizado CNC de precisión en series cortas",
        "calderería pesada y estructuras metálicas",
        "fundición de hierro gris y nodular",
        "inyección de plásticos técnicos",
        "transporte de mercancías peligrosas por carretera",
        "mantenimiento industrial preventivo y correctivo",
        "instalaciones eléctricas de media y baja tensión",
        "automatización de líneas y robótica",
        "ingeniería de procesos y legalizaciones",
        "tratamientos superficiales y pintura industrial",
        "almacenaje y logística de aprovisionamiento",
        "montaje de tuberías y equipos a presión",
        "corte por láser y plegado de chapa",
        "reparación de motores y bombas",
        "embalaje industrial a medida",
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
        "39087", "39087", "39087", "39018", "39025", "39069", "39054", "39085", "39059", "39003",
        "39004", "39008", "39075", "39016", "39029",
    ];
    const CERTS: &[&str] = &[
        "ISO 9001:2015",
        "ISO 14001:2015",
        "ISO 45001:2018",
        "EN 1090-2",
        "IATF 16949",
    ];
    let mut rng = SmallRng::seed_from_u64(2026);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let (activity, codes) = ACTIVITY[rng.gen_range(0..ACTIVITY.len())];
        let name = format!(
            "{activity} {} {} {} (demo {i})",
            PLACE[rng.gen_range(0..PLACE.len())],
            rng.gen_range(1..=99),
            FORM[rng.gen_range(0..FORM.len())],
        );
        let cnae_codes: Vec<String> = codes
            .iter()
            .take(rng.gen_range(1..=codes.len()))
            .filter(|c| catalog.cnae("2025", c).is_some())
            .map(|c| (*c).to_owned())
            .collect();
        let capabilities = (0..rng.gen_range(1..=3))
            .map(|_| CAPABILITY[rng.gen_range(0..CAPABILITY.len())])
            .collect::<Vec<_>>()
            .join("; ");
        let employees: i64 = match rng.gen_range(0..100) {
            0..60 => rng.gen_range(1..10),
            60..90 => rng.gen_range(10..50),
            90..98 => rng.gen_range(50..250),
            _ => rng.gen_range(250..1500),
        };
        let certifications = (0..rng.gen_range(0..3))
            .map(|k| Certification {
                name: CERTS[(i as usize + k) % CERTS.len()].to_owned(),
                number: Some(format!("ES-{:05}/{}", i, 2020 + k)),
                issuer: Some("AENOR".into()),
                expires_on: time::Date::from_calendar_date(
                    2025 + rng.gen_range(0..5),
                    time::Month::June,
                    30,
                )
                .ok(),
            })
            .collect();
        let municipality = MUNIS[rng.gen_range(0..MUNIS.len())];
        let place = catalog.municipality(municipality);
        out.push(ValidOrg {
            name,
            trade_name: None,
            kind: if rng.gen_ratio(9, 10) {
                "company"
            } else {
                "other"
            },
            tax_id: TaxId::Spanish(Nif::entity('B', 5_000_000 + i).context("generated NIF")?),
            cnae_version: "2025",
            cnae_codes,
            municipality_code: place.map(|_| municipality.to_owned()),
            address: Some(format!(
                "Polígono Industrial, nave {}",
                rng.gen_range(1..200)
            )),
            lat: place.map(|m| m.lat + rng.gen_range(-0.01..0.01)),
            lon: place.map(|m| m.lon + rng.gen_range(-0.01..0.01)),
            employees: Some(employees),
            size_band: Some(SizeBand::for_headcount(employees)),
            description: format!("{activity} con taller propio en la comarca."),
            capabilities: format!("{capabilities}."),
            certifications,
            website: None,
            email: None,
            phone: None,
            pact_member: rng.gen_ratio(1, 20),
            dir3_code: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_tax_ids_are_unique() {
        let catalog = Catalog::default();
        let a = generate(300, &catalog).unwrap();
        let b = generate(300, &catalog).unwrap();
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
