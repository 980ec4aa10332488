//! Ranking the directory's organisations for a Pact need.
//!
//! ```text
//! cargo bench -p besaya-domain --bench matching
//! ```
//!
//! A deterministic synthetic directory (xorshift, fixed seed): capability and
//! description phrases in Spanish from a vocabulary of 300 industrial words (a
//! skewed draw, so that some words are common and most rare), 1–3 real CNAE-2025
//! classes with their titles, 0–3 certifications with expiry dates around today,
//! a municipality of Cantabria with its coordinates (the Besaya comarca is the
//! district) and a size band. The need is the issue's example: "Mantenimiento
//! de instalaciones eléctricas de alta tensión", CNAE 4321, ISO 9001, in
//! Torrelavega (39087).
//!
//! `rank/100k` and `rank/1M` rank one need against 100,000 and 1,000,000
//! organisations (20 shown); `build/100k` builds the index. The 1M setup time
//! and the memory per organisation are printed once.

use std::hint::black_box;
use std::time::{Duration, Instant};

use besaya_domain::directory::SizeBand;
use besaya_domain::matching::{MatchIndex, NeedQuery, OrgProfile};
use criterion::{Criterion, criterion_group, criterion_main};
use time::{Date, Month};

const CNAE: &str = include_str!("../../besaya/data/cnae2025.csv");
const MUNICIPALITIES: &str = include_str!("../../besaya/data/cantabria_municipios.csv");

/// 300 words of industrial Spanish: activities, objects, materials, qualities.
const WORDS: &[&str] = &[
    "mantenimiento",
    "instalaciones",
    "eléctricas",
    "alta",
    "tensión",
    "baja",
    "media",
    "montaje",
    "reparación",
    "fabricación",
    "mecanizado",
    "soldadura",
    "calderería",
    "estructuras",
    "metálicas",
    "acero",
    "inoxidable",
    "aluminio",
    "cobre",
    "hierro",
    "fundición",
    "forja",
    "estampación",
    "tratamientos",
    "térmicos",
    "galvanizado",
    "pintura",
    "industrial",
    "recubrimientos",
    "chorreado",
    "granallado",
    "corte",
    "láser",
    "plasma",
    "plegado",
    "curvado",
    "torneado",
    "fresado",
    "rectificado",
    "control",
    "numérico",
    "cnc",
    "piezas",
    "precisión",
    "utillajes",
    "moldes",
    "matrices",
    "troqueles",
    "prototipos",
    "series",
    "cortas",
    "largas",
    "automoción",
    "aeronáutica",
    "naval",
    "ferroviario",
    "energía",
    "renovable",
    "eólica",
    "solar",
    "fotovoltaica",
    "térmica",
    "biomasa",
    "hidráulica",
    "neumática",
    "oleohidráulica",
    "bombas",
    "válvulas",
    "compresores",
    "motores",
    "reductores",
    "rodamientos",
    "transmisiones",
    "cintas",
    "transportadoras",
    "grúas",
    "puentes",
    "polipastos",
    "elevación",
    "manutención",
    "carretillas",
    "almacenaje",
    "logística",
    "transporte",
    "mercancías",
    "peligrosas",
    "frigorífico",
    "paquetería",
    "distribución",
    "almacén",
    "limpieza",
    "técnica",
    "desatascos",
    "residuos",
    "gestión",
    "reciclaje",
    "chatarra",
    "valorización",
    "tratamiento",
    "aguas",
    "residuales",
    "depuración",
    "potabilización",
    "filtración",
    "química",
    "productos",
    "químicos",
    "laboratorio",
    "ensayos",
    "análisis",
    "calibración",
    "metrología",
    "inspección",
    "certificación",
    "auditoría",
    "consultoría",
    "ingeniería",
    "proyectos",
    "diseño",
    "cálculo",
    "simulación",
    "modelado",
    "planos",
    "topografía",
    "geotecnia",
    "obra",
    "civil",
    "edificación",
    "naves",
    "industriales",
    "cubiertas",
    "fachadas",
    "aislamiento",
    "impermeabilización",
    "climatización",
    "calefacción",
    "ventilación",
    "refrigeración",
    "frío",
    "fontanería",
    "gas",
    "contra",
    "incendios",
    "protección",
    "seguridad",
    "vigilancia",
    "alarmas",
    "videovigilancia",
    "automatización",
    "robótica",
    "sistemas",
    "control",
    "electrónica",
    "cuadros",
    "eléctricos",
    "cableado",
    "telecomunicaciones",
    "redes",
    "fibra",
    "óptica",
    "informática",
    "software",
    "programación",
    "mantenimiento",
    "preventivo",
    "correctivo",
    "predictivo",
    "averías",
    "urgencias",
    "guardia",
    "turnos",
    "personal",
    "formación",
    "prevención",
    "riesgos",
    "laborales",
    "selección",
    "trabajo",
    "temporal",
    "externalización",
    "servicios",
    "auxiliares",
    "alquiler",
    "maquinaria",
    "andamios",
    "plataformas",
    "elevadoras",
    "generadores",
    "grupos",
    "electrógenos",
    "transformadores",
    "centros",
    "transformación",
    "subestaciones",
    "líneas",
    "aéreas",
    "subterráneas",
    "alumbrado",
    "público",
    "iluminación",
    "led",
    "eficiencia",
    "energética",
    "auditorías",
    "ahorro",
    "papel",
    "cartón",
    "embalajes",
    "envases",
    "palés",
    "madera",
    "carpintería",
    "metálica",
    "cerrajería",
    "vidrio",
    "plásticos",
    "inyección",
    "extrusión",
    "caucho",
    "neumáticos",
    "juntas",
    "tornillería",
    "suministros",
    "ferretería",
    "herramientas",
    "equipos",
    "protección",
    "individual",
    "vestuario",
    "laboral",
    "alimentación",
    "lácteos",
    "cárnicos",
    "conservas",
    "panadería",
    "hostelería",
    "catering",
    "comedores",
    "colectividades",
    "textil",
    "confección",
    "artes",
    "gráficas",
    "imprenta",
    "rotulación",
    "señalización",
    "publicidad",
    "comunicación",
    "marketing",
    "asesoría",
    "fiscal",
    "contable",
    "jurídica",
    "financiera",
    "seguros",
    "subvenciones",
    "innovación",
    "investigación",
    "desarrollo",
    "materiales",
    "composites",
    "nanotecnología",
    "hidrógeno",
    "baterías",
    "almacenamiento",
    "movilidad",
    "eléctrica",
    "vehículos",
    "talleres",
    "chapa",
    "neumática",
    "grúa",
    "asistencia",
    "carretera",
    "excavaciones",
    "movimiento",
    "tierras",
    "demoliciones",
    "desmontajes",
    "amianto",
    "descontaminación",
    "suelos",
    "hormigón",
    "prefabricados",
    "áridos",
    "cantera",
    "minería",
    "sondeos",
    "perforación",
    "voladuras",
    "calidad",
    "medio",
    "ambiente",
    "sostenibilidad",
    "emisiones",
    "ruido",
    "vibraciones",
    "acústica",
    "homologación",
    "marcado",
];

const CERTIFICATIONS: &[&str] = &[
    "ISO 9001:2015",
    "ISO 9001",
    "ISO 14001:2015",
    "ISO 45001:2018",
    "UNE-EN 1090-1",
    "UNE-EN ISO 3834-2",
    "ISO/IEC 27001:2022",
    "IATF 16949",
    "EN 9100",
    "ISO 50001",
    "ISO/IEC 17025",
];

/// xorshift64*: small, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// Skewed towards 0: a few items are common, most are rare.
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a * b / n.max(1)
    }
}

fn today() -> Date {
    Date::from_calendar_date(2026, Month::December, 3).unwrap_or(Date::MIN)
}

struct World {
    classes: Vec<(String, String)>,
    places: Vec<(u32, (f64, f64), bool)>,
}

fn world() -> World {
    let classes = CNAE
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (code, rest) = line.split_once(',')?;
            let rest = rest.strip_prefix("4,")?;
            let (_parent, rest) = rest.split_once(',')?;
            let title = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => rest.split(',').next()?,
            };
            Some((code.to_owned(), title.to_owned()))
        })
        .collect();
    let places = MUNICIPALITIES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let [code, _name, comarca, lat, lon] = f.as_slice() else {
                return None;
            };
            Some((
                code.parse().ok()?,
                (lat.parse().ok()?, lon.parse().ok()?),
                *comarca == "Besaya",
            ))
        })
        .collect();
    World { classes, places }
}

fn phrase(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push_str(match rng.below(6) {
                0 => " de ",
                1 => " y ",
                2 => ", ",
                _ => " ",
            });
        }
        // The need's words (the first of the list) are about the 30th most
        // common: each is in roughly one organisation in six.
        let rank = rng.skewed(WORDS.len());
        out.push_str(WORDS[(rank + WORDS.len() - 30) % WORDS.len()]);
    }
    out
}

fn organisation(rng: &mut Rng, w: &World) -> OrgProfile {
    let n_codes = 1 + rng.below(3);
    let codes: Vec<&(String, String)> = (0..n_codes)
        .map(|_| &w.classes[rng.below(w.classes.len())])
        .collect();
    let certifications = (0..rng.below(4))
        .map(|_| {
            let name = CERTIFICATIONS[rng.below(CERTIFICATIONS.len())];
            let days = rng.below(1500) as i64 - 400;
            let expires = (rng.below(5) > 0).then(|| today() + time::Duration::days(days));
            (name.to_owned(), expires)
        })
        .collect();
    let (municipality, location, in_district) = w.places[rng.below(w.places.len())];
    let len = 4 + rng.below(8);
    let capabilities = phrase(rng, len);
    let len = 6 + rng.below(14);
    let description = format!("Empresa de {}", phrase(rng, len));
    OrgProfile {
        name: format!(
            "{} {} {}",
            WORDS[rng.below(WORDS.len())],
            WORDS[rng.below(WORDS.len())],
            ["S.L.", "S.A.", "Hermanos", "Norte", "Cantabria"][rng.below(5)]
        ),
        description,
        capabilities,
        cnae_codes: codes.iter().map(|(c, _)| c.clone()).collect(),
        cnae_titles: codes
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        certifications,
        municipality: Some(municipality),
        in_district,
        location: Some(location),
        size: [
            None,
            Some(SizeBand::Micro),
            Some(SizeBand::Micro),
            Some(SizeBand::Small),
            Some(SizeBand::Medium),
            Some(SizeBand::Large),
        ][rng.below(6)],
    }
}

fn organisations(n: usize) -> Vec<OrgProfile> {
    let w = world();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n).map(|_| organisation(&mut rng, &w)).collect()
}

fn need() -> NeedQuery {
    NeedQuery {
        title: "Mantenimiento de instalaciones eléctricas de alta tensión".to_owned(),
        text: "Mantenimiento preventivo y correctivo de los centros de transformación, \
               líneas subterráneas y cuadros eléctricos de la planta, con servicio de \
               guardia para averías y urgencias, revisiones reglamentarias y termografías."
            .to_owned(),
        cnae_codes: vec!["4321".to_owned()],
        required_certifications: vec!["ISO 9001".to_owned()],
        municipality: Some(39087),
        location: Some((43.3494, -4.0479)),
        min_size: None,
    }
}

fn index_of(orgs: &[OrgProfile]) -> MatchIndex {
    MatchIndex::build((0u32..).zip(orgs))
}

fn report(label: &str, index: &MatchIndex, built_in: Duration) {
    let stats = index.stats();
    let ranking = index.rank(&need(), today(), 20);
    eprintln!(
        "{label}: built in {built_in:.2?}; {} organisations, {} terms, {} postings, {:.1} MB, \
         {} bytes per organisation; {} candidates, answerable: {}",
        stats.docs,
        stats.terms,
        stats.postings,
        stats.approx_bytes as f64 / 1e6,
        stats.approx_bytes / stats.docs.max(1),
        ranking.candidates,
        ranking.answerable,
    );
}

fn bench(c: &mut Criterion) {
    let need = need();
    let day = today();

    let orgs = organisations(100_000);
    let started = Instant::now();
    let index = index_of(&orgs);
    report("100k", &index, started.elapsed());
    let mut group = c.benchmark_group("rank");
    group.bench_function("100k", |b| {
        b.iter(|| black_box(index.rank(black_box(&need), day, 20)))
    });
    group.finish();

    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("100k", |b| b.iter(|| black_box(index_of(black_box(&orgs)))));
    group.finish();
    drop(index);
    drop(orgs);

    let started = Instant::now();
    let orgs = organisations(1_000_000);
    let generated = started.elapsed();
    let started = Instant::now();
    let index = index_of(&orgs);
    let built = started.elapsed();
    drop(orgs);
    eprintln!("1M: generated in {generated:.2?}");
    report("1M", &index, built);
    let mut group = c.benchmark_group("rank");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("1M", |b| {
        b.iter(|| black_box(index.rank(black_box(&need), day, 20)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
