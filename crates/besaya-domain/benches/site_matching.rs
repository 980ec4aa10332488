//! Ranking 10,000 sites against a requirement set that states every criterion.
//!
//! ```text
//! cargo bench -p besaya-domain --bench site_matching
//! ```
//!
//! The sites are synthetic and deterministic (a fixed-seed LCG): areas, power,
//! prices and distances spread over the district's realistic ranges, and about
//! 30 % of every fact unknown. The target is well under 5 ms per ranking on one
//! core, so that a search can re-rank on every change of a filter.

use std::hint::black_box;

use besaya_domain::sites::availability::Availability;
use besaya_domain::sites::matching::{Range, Requirements, SiteFacts, Uses, Want, rank};
use criterion::{Criterion, criterion_group, criterion_main};
use time::{Date, Duration};

const SITES: usize = 10_000;

/// Knuth's MMIX linear congruential generator: enough spread for test data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Known 70 % of the time.
    fn known(&mut self) -> bool {
        self.next() % 10 >= 3
    }

    fn maybe(&mut self, lo: f64, hi: f64) -> Option<f64> {
        let v = self.range(lo, hi);
        self.known().then_some(v)
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const MUNICIPALITIES: &[&str] = &[
    "39087", "39052", "39025", "39059", "39016", "39060", "39008", "39093", "39075", "39020",
];
const USE_CODES: &[&str] = &["C", "24", "25", "28", "H", "52", "G", "46", "E", "38"];

fn sites() -> Vec<SiteFacts> {
    let mut g = Lcg(0x5eed_b35a_7a00_0001);
    let base = Date::from_ordinal_date(2026, 1).unwrap_or(Date::MIN);
    (0..SITES)
        .map(|_| {
            let codes = if g.known() {
                (0..1 + g.next() % 3)
                    .map(|_| g.pick(USE_CODES).to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            let text = (codes.is_empty() && g.next().is_multiple_of(2))
                .then(|| "Industrial en todas sus categorías".to_owned());
            let availability = g
                .known()
                .then(|| Availability::ALL[(g.next() as usize) % Availability::ALL.len()]);
            let available_from = g
                .known()
                .then(|| base + Duration::days((g.next() % 900) as i64));
            SiteFacts {
                area_m2: g.maybe(500.0, 80_000.0),
                uses: Uses { codes, text },
                power_kva: g.maybe(50.0, 10_000.0),
                rail: g.known().then(|| g.next().is_multiple_of(4)),
                gas: g.known().then(|| g.next().is_multiple_of(2)),
                water_m3_day: g.maybe(5.0, 2_000.0),
                port_km: g.maybe(2.0, 60.0),
                motorway_km: g.maybe(0.1, 15.0),
                sale_price_m2: g.maybe(20.0, 250.0),
                rent_m2_month: g.maybe(1.5, 9.0),
                availability,
                available_from,
                municipality: g.pick(MUNICIPALITIES).to_owned(),
            }
        })
        .collect()
}

/// Every criterion stated: a few required (the ones that decide), the rest preferred.
fn requirements() -> Requirements {
    let by = Date::from_ordinal_date(2027, 1).unwrap_or(Date::MAX);
    Requirements {
        area_m2: Some(Want::required(Range {
            min: Some(2_000.0),
            max: Some(60_000.0),
        })),
        use_cnae: Some(Want::required("2410".to_owned())),
        min_power_kva: Some(Want::preferred(1_000.0)),
        rail: Some(Want::preferred(())),
        gas: Some(Want::preferred(())),
        min_water_m3_day: Some(Want::preferred(100.0)),
        max_port_km: Some(Want::preferred(40.0)),
        max_motorway_km: Some(Want::required(10.0)),
        max_sale_price_m2: Some(Want::preferred(150.0)),
        max_rent_m2_month: Some(Want::preferred(6.0)),
        available_by: Some(Want::preferred(by)),
        municipalities: Some(Want::preferred(
            MUNICIPALITIES[..6]
                .iter()
                .map(|m| (*m).to_owned())
                .collect(),
        )),
    }
}

fn bench(c: &mut Criterion) {
    let sites = sites();
    let req = requirements();
    let ranked = rank(&req, sites.iter().enumerate(), true);
    println!(
        "{} sites: {} listed, {} eliminated, {} incomplete",
        ranked.considered,
        ranked.results.len(),
        ranked.eliminated,
        ranked.incomplete
    );
    c.bench_function("rank 10,000 sites, every criterion, with incomplete", |b| {
        b.iter(|| rank(black_box(&req), sites.iter().enumerate(), true))
    });
    c.bench_function("rank 10,000 sites, every criterion, matches only", |b| {
        b.iter(|| rank(black_box(&req), sites.iter().enumerate(), false))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
