//! The legal clocks of procedures: due dates, assessments and project plans.
//!
//! ```text
//! cargo bench -p besaya-domain --bench procedures -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! The holidays are the 85 national and Cantabrian days of 2024–2030
//! (`holidays_es_cantabria.csv`). The plans use the seed catalogue's ten
//! procedures and dependencies (urban report and ordinary EIA → integrated
//! environmental authorisation → building licence → activity licence →
//! industrial register, plus the independent ones) in a deterministic mix of
//! states: decided, running, paused for a correction and not started.

use std::hint::black_box;

use besaya_domain::procedures::{
    Clock, EventKind, Holidays, PlanItem, Rules, Silence, Term, TermUnit, assess, plan,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use time::{Date, Duration, Month};

/// National and Cantabrian holidays, 2024–2030.
const HOLIDAYS: &[(i32, u8, u8)] = &[
    (2024, 1, 1),
    (2024, 1, 6),
    (2024, 3, 28),
    (2024, 3, 29),
    (2024, 4, 1),
    (2024, 5, 1),
    (2024, 7, 25),
    (2024, 8, 15),
    (2024, 10, 12),
    (2024, 11, 1),
    (2024, 12, 6),
    (2024, 12, 25),
    (2025, 1, 1),
    (2025, 1, 6),
    (2025, 4, 17),
    (2025, 4, 18),
    (2025, 5, 1),
    (2025, 7, 28),
    (2025, 8, 15),
    (2025, 9, 15),
    (2025, 11, 1),
    (2025, 12, 6),
    (2025, 12, 8),
    (2025, 12, 25),
    (2026, 1, 1),
    (2026, 1, 6),
    (2026, 4, 2),
    (2026, 4, 3),
    (2026, 5, 1),
    (2026, 7, 28),
    (2026, 8, 15),
    (2026, 9, 15),
    (2026, 10, 12),
    (2026, 12, 7),
    (2026, 12, 8),
    (2026, 12, 25),
    (2027, 1, 1),
    (2027, 1, 6),
    (2027, 3, 25),
    (2027, 3, 26),
    (2027, 5, 1),
    (2027, 7, 28),
    (2027, 9, 15),
    (2027, 10, 12),
    (2027, 11, 1),
    (2027, 12, 6),
    (2027, 12, 8),
    (2027, 12, 25),
    (2028, 1, 1),
    (2028, 1, 6),
    (2028, 4, 13),
    (2028, 4, 14),
    (2028, 5, 1),
    (2028, 7, 28),
    (2028, 8, 15),
    (2028, 9, 15),
    (2028, 10, 12),
    (2028, 11, 1),
    (2028, 12, 6),
    (2028, 12, 8),
    (2028, 12, 25),
    (2029, 1, 1),
    (2029, 1, 6),
    (2029, 3, 29),
    (2029, 3, 30),
    (2029, 5, 1),
    (2029, 7, 28),
    (2029, 8, 15),
    (2029, 9, 15),
    (2029, 10, 12),
    (2029, 11, 1),
    (2029, 12, 6),
    (2029, 12, 8),
    (2029, 12, 25),
    (2030, 1, 1),
    (2030, 4, 18),
    (2030, 4, 19),
    (2030, 4, 22),
    (2030, 5, 1),
    (2030, 7, 25),
    (2030, 8, 15),
    (2030, 10, 12),
    (2030, 11, 1),
    (2030, 12, 6),
    (2030, 12, 25),
];

fn holidays() -> Holidays {
    Holidays::new(HOLIDAYS.iter().filter_map(|&(y, m, d)| {
        Month::try_from(m)
            .ok()
            .and_then(|m| Date::from_calendar_date(y, m, d).ok())
    }))
}

fn day(y: i32, m: u8, d: u8) -> Date {
    Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
        .unwrap_or(Date::MIN)
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(Duration::days(days)).unwrap_or(Date::MAX)
}

fn rules(h: &Holidays, value: u32, unit: TermUnit, silence: Silence) -> Rules<'_> {
    Rules {
        term: Term { value, unit },
        silence,
        holidays: h,
    }
}

fn replay(r: Rules<'_>, events: &[(EventKind, Date)]) -> Clock {
    match Clock::replay(r, events.iter().copied()) {
        Ok(clock) => clock,
        Err((i, e)) => panic!("bench data: event {i} refused: {e}"),
    }
}

/// The seed catalogue: term and what each waits for (by index).
const CATALOGUE: [(u32, TermUnit, Silence, &[usize]); 10] = [
    (15, TermUnit::BusinessDays, Silence::Negative, &[]), // company incorporation
    (30, TermUnit::BusinessDays, Silence::Positive, &[]), // urban compatibility report
    (4, TermUnit::Months, Silence::Negative, &[]),        // ordinary EIA
    (3, TermUnit::Months, Silence::Negative, &[]),        // simplified EIA
    (9, TermUnit::Months, Silence::Negative, &[1, 2]),    // integrated env. authorisation
    (3, TermUnit::Months, Silence::Negative, &[]),        // comprobación ambiental
    (3, TermUnit::Months, Silence::Negative, &[2, 3, 4]), // building licence
    (3, TermUnit::Months, Silence::Negative, &[5, 6]),    // activity licence
    (1, TermUnit::Months, Silence::Positive, &[7]),       // industrial register
    (2, TermUnit::Months, Silence::Negative, &[]),        // grid access and connection
];

/// One project's clocks, started `shift` days after 2026-01-05, in a mix of states.
fn project(h: &Holidays, shift: i64) -> Vec<Clock> {
    use EventKind as E;
    let base = plus(day(2026, 1, 5), shift);
    let at = |d: i64| plus(base, d);
    CATALOGUE
        .iter()
        .enumerate()
        .map(|(i, &(value, unit, silence, _))| {
            let r = rules(h, value, unit, silence);
            let events: Vec<(EventKind, Date)> = match i {
                // Decided.
                0 => vec![
                    (E::Filed, at(0)),
                    (E::Complete, at(2)),
                    (E::Granted, at(20)),
                ],
                1 => vec![
                    (E::Filed, at(0)),
                    (E::Complete, at(3)),
                    (E::CorrectionRequested, at(10)),
                    (E::Corrected, at(24)),
                    (E::Granted, at(50)),
                ],
                // Running after two corrections.
                2 => vec![
                    (E::Filed, at(1)),
                    (E::Complete, at(8)),
                    (E::CorrectionRequested, at(30)),
                    (E::Corrected, at(41)),
                    (E::CorrectionRequested, at(60)),
                    (E::Corrected, at(66)),
                ],
                // Paused.
                5 => vec![
                    (E::Filed, at(4)),
                    (E::Complete, at(9)),
                    (E::CorrectionRequested, at(40)),
                ],
                // Running.
                9 => vec![(E::Complete, at(12))],
                // Not started.
                _ => vec![],
            };
            replay(r, &events)
        })
        .collect()
}

fn items<'a>(h: &'a Holidays, clocks: &'a [Clock]) -> Vec<PlanItem<'a>> {
    CATALOGUE
        .iter()
        .zip(clocks)
        .map(|(&(value, unit, silence, deps), clock)| PlanItem {
            deps: deps.to_vec(),
            clock,
            rules: rules(h, value, unit, silence),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    use EventKind as E;
    let h = holidays();
    let today = day(2026, 5, 4);

    // A 3-month term and a 30-business-day term, each with two closed pauses.
    let months = rules(&h, 3, TermUnit::Months, Silence::Negative);
    let business = rules(&h, 30, TermUnit::BusinessDays, Silence::Positive);
    let paused_twice = [
        (E::Filed, day(2026, 3, 2)),
        (E::Complete, day(2026, 3, 9)),
        (E::CorrectionRequested, day(2026, 3, 20)),
        (E::Corrected, day(2026, 4, 1)),
        (E::CorrectionRequested, day(2026, 4, 15)),
        (E::Corrected, day(2026, 4, 22)),
    ];
    let months_clock = replay(months, &paused_twice);
    let business_clock = replay(business, &paused_twice);

    let mut g = c.benchmark_group("procedures/clock");
    g.throughput(Throughput::Elements(1));
    g.bench_function("due_on/3_months_2_pauses", |b| {
        b.iter(|| black_box(&months_clock).due_on(black_box(months)))
    });
    g.bench_function("due_on/30_business_days_2_pauses", |b| {
        b.iter(|| black_box(&business_clock).due_on(black_box(business)))
    });
    g.bench_function("assess/3_months_2_pauses", |b| {
        b.iter(|| {
            assess(
                black_box(&months_clock),
                black_box(months),
                black_box(today),
            )
        })
    });
    g.bench_function("assess/30_business_days_2_pauses", |b| {
        b.iter(|| {
            assess(
                black_box(&business_clock),
                black_box(business),
                black_box(today),
            )
        })
    });
    g.finish();

    let one = project(&h, 0);
    let one_items = items(&h, &one);
    let projects: Vec<Vec<Clock>> = (0..1_000).map(|i| project(&h, (i * 37) % 400)).collect();
    let batch: Vec<Vec<PlanItem<'_>>> = projects.iter().map(|p| items(&h, p)).collect();

    let mut g = c.benchmark_group("procedures/plan");
    g.throughput(Throughput::Elements(1));
    g.bench_function("project_of_10", |b| {
        b.iter(|| plan(black_box(&one_items), black_box(today)))
    });
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("1000_projects_of_10", |b| {
        b.iter(|| {
            batch
                .iter()
                .filter_map(|items| plan(black_box(items), today).ok())
                .filter_map(|p| p.last)
                .max()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
