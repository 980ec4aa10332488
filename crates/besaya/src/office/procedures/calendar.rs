//! The holidays the legal clocks skip: Spain's national holidays and Cantabria's,
//! embedded in the binary (data/holidays_es_cantabria.csv, 2024–2030; see
//! data/SOURCES.md), plus each municipality's local holidays (the
//! `local_holidays` table, added on the catalogue's pages or the API).

use std::sync::LazyLock;

use besaya_domain::directory::parse_date;
use besaya_domain::procedures::Holidays;
use time::Date;

const CSV: &str = include_str!("../../../data/holidays_es_cantabria.csv");

/// One national or Cantabrian holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    /// `national` or `cantabria`.
    pub scope: String,
    pub name_es: String,
    pub name_en: String,
}

static LIST: LazyLock<Vec<Holiday>> = LazyLock::new(|| parse(CSV));
static NATIONAL: LazyLock<Holidays> = LazyLock::new(|| Holidays::new(LIST.iter().map(|h| h.date)));

/// The national and Cantabrian holidays, as the clocks use them.
pub fn national() -> &'static Holidays {
    &NATIONAL
}

/// The national and Cantabrian holidays with their names, by date.
pub fn list() -> &'static [Holiday] {
    &LIST
}

/// The first and last years the embedded calendar covers.
pub fn years() -> Option<(i32, i32)> {
    Some((LIST.first()?.date.year(), LIST.last()?.date.year()))
}

fn parse(csv: &str) -> Vec<Holiday> {
    let mut out: Vec<Holiday> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.trim_end_matches('\r').splitn(4, ',');
            let date = parse_date(f.next()?.trim())?;
            let scope = f.next()?.trim().to_owned();
            let name_es = f.next()?.trim().trim_matches('"').to_owned();
            let name_en = f.next()?.trim().trim_matches('"').to_owned();
            Some(Holiday {
                date,
                scope,
                name_es,
                name_en,
            })
        })
        .collect();
    out.sort_by_key(|h| h.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_embedded_calendar_is_read_whole() {
        assert_eq!(list().len(), 85);
        assert_eq!(years(), Some((2024, 2030)));
        let h = national();
        // Christmas, Cantabria's Institutions Day, Maundy Thursday 2025.
        assert!(h.is_holiday(date!(2025 - 12 - 25)));
        assert!(h.is_holiday(date!(2025 - 07 - 28)));
        assert!(h.is_holiday(date!(2025 - 04 - 17)));
        assert!(!h.is_holiday(date!(2025 - 04 - 16)));
        assert!(
            list()
                .iter()
                .all(|x| !x.name_es.is_empty() && !x.name_en.is_empty())
        );
    }
}
