//! Rough timings of the directory's text index at its expected size.
//!
//! ```text
//! cargo run -p besaya-domain --release --example search_bench
//! ```
//!
//! Builds an index of 100,000 synthetic organisations (about 40 words each, Spanish
//! industrial vocabulary, deterministic), then times searches, upserts and removes.
//! A measurement to read, not a test: nothing here fails on slow hardware.

use std::hint::black_box;
use std::time::{Duration, Instant};

use besaya_domain::search::{TextIndex, analyze};

const DOCS: u32 = 100_000;
const RUNS: usize = 1_000;

/// Trades and products, most common first (picked with a skew towards the start).
const TRADES: &[&str] = &[
    "servicios",
    "industrial",
    "mantenimiento",
    "transporte",
    "fabricación",
    "mecanizado",
    "soldadura",
    "montaje",
    "instalaciones",
    "metálicas",
    "estructuras",
    "logística",
    "ingeniería",
    "fundición",
    "calderería",
    "plásticos",
    "química",
    "papel",
    "madera",
    "eléctricas",
    "reparación",
    "maquinaria",
    "acero",
    "aluminio",
    "inoxidable",
    "automatización",
    "pintura",
    "limpieza",
    "construcción",
    "consultoría",
    "calidad",
    "medio",
    "ambiente",
    "residuos",
    "reciclaje",
    "energía",
    "renovables",
    "componentes",
    "automoción",
    "piezas",
    "moldes",
    "inyección",
    "extrusión",
    "tratamiento",
    "superficies",
    "galvanizado",
    "cromado",
    "forja",
    "estampación",
    "corte",
    "láser",
    "plegado",
    "chapa",
    "tubería",
    "válvulas",
    "bombas",
    "hidráulica",
    "neumática",
    "electrónica",
    "control",
    "software",
    "sistemas",
    "telecomunicaciones",
    "climatización",
    "frío",
    "envases",
    "embalajes",
    "cartón",
    "alimentación",
    "lácteos",
    "bebidas",
    "textil",
    "vidrio",
    "cerámica",
    "hormigón",
    "áridos",
    "cemento",
    "asfalto",
    "carpintería",
    "cerrajería",
    "fontanería",
    "electricidad",
    "iluminación",
    "seguridad",
    "laboratorio",
    "análisis",
    "ensayos",
    "certificación",
    "formación",
    "prevención",
    "riesgos",
    "asesoría",
    "gestión",
    "almacenaje",
    "distribución",
    "mercancías",
    "grúas",
    "alquiler",
    "andamios",
    "elevación",
    "carretillas",
    "neumáticos",
    "recambios",
    "rodamientos",
    "engranajes",
    "motores",
    "transformadores",
    "cables",
    "baterías",
    "robótica",
    "impresión",
    "artes",
    "gráficas",
    "publicidad",
    "diseño",
    "prototipos",
    "fibra",
    "composites",
    "caucho",
    "juntas",
    "adhesivos",
    "pinturas",
    "barnices",
    "disolventes",
    "fertilizantes",
    "farmacéutica",
    "cosmética",
    "papelera",
    "celulosa",
    "biomasa",
    "siderurgia",
    "laminación",
    "trefilado",
    "alambre",
    "tornillería",
    "herramientas",
];

const PLACES: &[&str] = &[
    "Torrelavega",
    "Cantabria",
    "Besaya",
    "Reinosa",
    "Los Corrales de Buelna",
    "Santander",
    "Polanco",
    "Suances",
    "Cartes",
    "Piélagos",
    "Camargo",
    "Astillero",
    "Laredo",
    "Castro Urdiales",
    "Santoña",
    "Cabezón de la Sal",
    "Barreda",
    "Sierrapando",
    "Tanos",
    "Viérnoles",
    "Requejo",
    "Arenas de Iguña",
    "Molledo",
    "Bárcena de Pie de Concha",
];

const FORMS: &[&str] = &[
    "Talleres",
    "Industrias",
    "Transportes",
    "Construcciones",
    "Hermanos",
    "Grupo",
    "Ingeniería",
    "Servicios",
    "Fundiciones",
    "Mecanizados",
    "Montajes",
    "Suministros",
];

/// Generic words of a company description (stop words included).
const FILLER: &[&str] = &[
    "de",
    "la",
    "y",
    "en",
    "con",
    "para",
    "el",
    "los",
    "las",
    "del",
    "empresa",
    "dedicada",
    "clientes",
    "sector",
    "desde",
    "años",
    "experiencia",
    "ofrece",
    "todo",
    "tipo",
    "proyectos",
    "a",
    "medida",
    "nacional",
    "internacional",
    "calidad",
    "plazo",
];

const SYLLABLES: &[&str] = &[
    "ba", "be", "go", "ra", "lo", "mi", "san", "tor", "re", "vi", "la", "ga", "ne", "co", "ur",
    "ta", "zu", "pe", "di", "mon", "ar", "el", "so", "ki", "tu", "ber", "ca", "de",
];

/// A tiny linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards the start of the list (roughly Zipf-like).
    fn skewed<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        list[((u * u * u) * list.len() as f64) as usize]
    }

    fn uniform<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    /// A made-up surname or brand ("Gorbera"), so the dictionary is not tiny.
    fn brand(&mut self) -> String {
        let mut word = String::new();
        for _ in 0..2 + self.below(2) {
            word.push_str(self.uniform(SYLLABLES));
        }
        word
    }
}

/// One organisation: a main trade (common ones more often), two others, generic words.
fn document(rng: &mut Lcg) -> [String; 5] {
    let trades = [rng.skewed(TRADES), rng.uniform(TRADES), rng.uniform(TRADES)];
    let topical = |rng: &mut Lcg| {
        if rng.below(4) == 0 {
            rng.skewed(TRADES)
        } else {
            trades[rng.below(3)]
        }
    };
    let name = format!(
        "{} {} {}",
        rng.uniform(FORMS),
        rng.brand(),
        rng.uniform(PLACES)
    );
    let trade_name = format!("{} {}", rng.brand(), trades[0]);
    let capabilities: Vec<&str> = (0..7).map(|_| topical(rng)).collect();
    let mut description: Vec<&str> = (0..20 + rng.below(6))
        .map(|i| {
            if i % 2 == 1 {
                rng.uniform(FILLER)
            } else {
                topical(rng)
            }
        })
        .collect();
    description.extend(["en", rng.uniform(PLACES)]);
    let cnae: Vec<&str> = (0..5).map(|_| topical(rng)).collect();
    [
        name,
        trade_name,
        capabilities.join(" "),
        description.join(" "),
        cnae.join(" "),
    ]
}

fn upsert(index: &mut TextIndex, doc: u32, fields: &[String; 5]) {
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    index.upsert(doc, &fields);
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

fn report(label: &str, mut times: Vec<Duration>, results: usize) {
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "{label:<34} p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}  mean {:>9.3?}  (avg {} results)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
        mean,
        results / times.len().max(1),
    );
}

fn time_queries(index: &TextIndex, label: &str, queries: &[String], top: Option<usize>) {
    let mut times = Vec::with_capacity(queries.len());
    let mut results = 0;
    for q in queries {
        let start = Instant::now();
        let found = match top {
            Some(limit) => index.search_top(black_box(q), limit),
            None => index.search(black_box(q)),
        };
        times.push(start.elapsed());
        results += black_box(found).len();
    }
    report(label, times, results);
}

fn main() {
    let mut rng = Lcg(2451);
    let docs: Vec<[String; 5]> = (0..DOCS).map(|_| document(&mut rng)).collect();
    let words: usize = docs
        .iter()
        .flatten()
        .map(|f| f.split_whitespace().count())
        .sum();
    println!(
        "{DOCS} documents, {:.1} words each on average",
        words as f64 / f64::from(DOCS)
    );

    let start = Instant::now();
    let terms: usize = docs
        .iter()
        .flatten()
        .map(|f| black_box(analyze(f)).len())
        .sum();
    println!(
        "analysis alone ({terms} terms)      {:.3?}",
        start.elapsed()
    );

    let start = Instant::now();
    let mut index = TextIndex::new(vec![3.0, 3.0, 1.5, 1.0, 1.0]);
    for (doc, fields) in (0u32..).zip(&docs) {
        upsert(&mut index, doc, fields);
    }
    println!("build, one upsert at a time        {:.3?}", start.elapsed());

    let start = Instant::now();
    let mut index = TextIndex::new(vec![3.0, 3.0, 1.5, 1.0, 1.0]);
    index.upsert_many((0u32..).zip(&docs));
    println!("build, upsert_many                 {:.3?}", start.elapsed());
    let stats = index.stats();
    println!(
        "index: {} docs, {} terms, {} postings, ~{:.1} MiB",
        stats.docs,
        stats.terms,
        stats.postings,
        stats.approx_bytes as f64 / (1024.0 * 1024.0)
    );

    let common: Vec<String> = (0..RUNS)
        .map(|_| rng.skewed(&TRADES[..20]).to_owned())
        .collect();
    let one: Vec<String> = (0..RUNS).map(|_| rng.uniform(TRADES).to_owned()).collect();
    let two: Vec<String> = (0..RUNS)
        .map(|_| format!("{} {}", rng.skewed(TRADES), rng.uniform(TRADES)))
        .collect();
    let prefix: Vec<String> = (0..RUNS)
        .map(|_| {
            let word = rng.uniform(TRADES);
            word.chars().take(3 + rng.below(4)).collect()
        })
        .collect();
    let place: Vec<String> = (0..RUNS)
        .map(|_| format!("{} {}", rng.uniform(TRADES), rng.uniform(PLACES)))
        .collect();

    time_queries(&index, "search: one common word", &common, None);
    time_queries(&index, "search: one word", &one, None);
    time_queries(&index, "search: two words", &two, None);
    time_queries(&index, "search: prefix (3-6 letters)", &prefix, None);
    time_queries(&index, "search: trade + place", &place, None);
    time_queries(&index, "search_top 20: one common word", &common, Some(20));
    time_queries(&index, "search_top 20: prefix", &prefix, Some(20));

    let mut any_times = Vec::with_capacity(RUNS);
    let mut any_results = 0;
    for q in &two {
        let start = Instant::now();
        let found = index.search_any(black_box(q));
        any_times.push(start.elapsed());
        any_results += black_box(found).len();
    }
    report("search_any: two words", any_times, any_results);

    let mut upserts = Vec::with_capacity(RUNS);
    let mut removes = Vec::with_capacity(RUNS);
    let mut inserts = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let doc = rng.below(DOCS as usize) as u32;
        let fields = document(&mut rng);
        let start = Instant::now();
        upsert(&mut index, doc, &fields);
        upserts.push(start.elapsed());

        let doc = rng.below(DOCS as usize) as u32;
        let start = Instant::now();
        index.remove(doc);
        removes.push(start.elapsed());
        let start = Instant::now();
        upsert(&mut index, doc, &fields);
        inserts.push(start.elapsed());
    }
    report("upsert (replace existing)", upserts, 0);
    report("remove", removes, 0);
    report("upsert (insert removed id)", inserts, 0);
    println!("after updates: {} docs", index.len());
}
