//! The office's clock: Europe/Madrid. Central European Time (+01:00) in winter
//! and summer time (+02:00) from the last Sunday of March to the last Sunday of
//! October, both changes at 01:00 UTC — the EU rule in force since 1996. A fixed
//! rule rather than a time-zone database: the office is in one place, and the
//! rule is all the database would say for these years.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const WINTER: UtcOffset = time::macros::offset!(+1);
const SUMMER: UtcOffset = time::macros::offset!(+2);

/// The last Sunday of a month.
fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let last =
        Date::from_calendar_date(year, month, time::util::days_in_month(month, year)).ok()?;
    let back = last.weekday().number_days_from_sunday();
    last.checked_sub(time::Duration::days(i64::from(back)))
}

/// The offset of Madrid at an instant.
pub fn offset_at(t: OffsetDateTime) -> UtcOffset {
    let utc = t.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let one = Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT);
    let (Some(start), Some(end)) = (
        last_sunday(year, Month::March),
        last_sunday(year, Month::October),
    ) else {
        return WINTER;
    };
    let start = PrimitiveDateTime::new(start, one).assume_utc();
    let end = PrimitiveDateTime::new(end, one).assume_utc();
    if utc >= start && utc < end {
        SUMMER
    } else {
        WINTER
    }
}

/// An instant as Madrid's wall clock shows it.
pub fn local(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(offset_at(t))
}

/// Madrid's wall-clock time as an instant. In the hour repeated in October the
/// first (summer) one is meant; a time skipped in March is read as winter time
/// (02:30 becomes 03:30 summer time).
pub fn from_local(p: PrimitiveDateTime) -> OffsetDateTime {
    let summer = p.assume_offset(SUMMER);
    if offset_at(summer) == SUMMER {
        return summer;
    }
    p.assume_offset(WINTER)
}

/// Today in Madrid.
pub fn today() -> Date {
    local(OffsetDateTime::now_utc()).date()
}

/// A time as the API and forms take it: RFC 3339 with its offset
/// (`2026-12-01T10:00:00+01:00`, `…Z`), or Madrid's wall clock without one
/// (`2026-12-01T10:00`, `2026-12-01 10:00`, seconds optional) — what a
/// `datetime-local` field sends.
pub fn parse_when(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if s.len() > 40 {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let s = s.replacen(' ', "T", 1);
    let short = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let long = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(&s, short)
        .or_else(|_| PrimitiveDateTime::parse(&s, long))
        .ok()
        .map(from_local)
}

/// `2026-12-01T10:00` in Madrid, for a `datetime-local` field.
pub fn input_value(t: OffsetDateTime) -> String {
    let l = local(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        l.year(),
        u8::from(l.month()),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// A stored timestamp (RFC 3339) as an instant.
pub fn parse_stored(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Whether a day is a Sunday (used by the tests of the rule).
#[cfg(test)]
fn is_sunday(d: Date) -> bool {
    d.weekday() == time::Weekday::Sunday
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_the_last_of_october() {
        assert_eq!(last_sunday(2026, Month::March), Some(date!(2026 - 03 - 29)));
        assert_eq!(
            last_sunday(2026, Month::October),
            Some(date!(2026 - 10 - 25))
        );
        assert_eq!(last_sunday(2027, Month::March), Some(date!(2027 - 03 - 28)));
        assert!(is_sunday(date!(2027 - 03 - 28)));
        assert_eq!(offset_at(datetime!(2026-01-15 12:00 UTC)), WINTER);
        assert_eq!(offset_at(datetime!(2026-07-15 12:00 UTC)), SUMMER);
        // The changes happen at 01:00 UTC.
        assert_eq!(offset_at(datetime!(2026-03-29 00:59 UTC)), WINTER);
        assert_eq!(offset_at(datetime!(2026-03-29 01:00 UTC)), SUMMER);
        assert_eq!(offset_at(datetime!(2026-10-25 00:59 UTC)), SUMMER);
        assert_eq!(offset_at(datetime!(2026-10-25 01:00 UTC)), WINTER);
    }

    #[test]
    fn wall_clock_times_become_instants() {
        let winter = from_local(datetime!(2026-12-01 10:00));
        assert_eq!(winter, datetime!(2026-12-01 09:00 UTC));
        let summer = from_local(datetime!(2026-06-01 10:00));
        assert_eq!(summer, datetime!(2026-06-01 08:00 UTC));
        // 02:30 does not exist on 29 March 2026: read as winter time.
        assert_eq!(
            from_local(datetime!(2026-03-29 02:30)),
            datetime!(2026-03-29 01:30 UTC)
        );
        // 02:30 happens twice on 25 October 2026: the first (summer) one.
        assert_eq!(
            from_local(datetime!(2026-10-25 02:30)),
            datetime!(2026-10-25 00:30 UTC)
        );
        assert_eq!(
            local(datetime!(2026-12-31 23:30 UTC)).date(),
            date!(2027 - 01 - 01)
        );
    }

    #[test]
    fn times_are_read_with_or_without_offset() {
        assert_eq!(
            parse_when("2026-12-01T10:00:00Z"),
            Some(datetime!(2026-12-01 10:00 UTC))
        );
        assert_eq!(
            parse_when("2026-12-01T10:00:00+01:00"),
            Some(datetime!(2026-12-01 09:00 UTC))
        );
        assert_eq!(
            parse_when("2026-12-01T10:00"),
            Some(datetime!(2026-12-01 09:00 UTC))
        );
        assert_eq!(
            parse_when(" 2026-07-01 10:00:30 "),
            Some(datetime!(2026-07-01 08:00:30 UTC))
        );
        for bad in [
            "",
            "mañana",
            "2026-13-01T10:00",
            "2026-12-01",
            "2026-12-01T25:00",
            "1e9",
        ] {
            assert_eq!(parse_when(bad), None, "{bad}");
        }
        assert_eq!(
            input_value(datetime!(2026-07-01 08:05 UTC)),
            "2026-07-01T10:05"
        );
    }
}
