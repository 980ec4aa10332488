//! Writing iCalendar (RFC 5545): content lines ended by CRLF and folded at 75
//! octets (never inside a UTF-8 character), TEXT values escaped (`\\`, `;`, `,`,
//! new lines), times in UTC (`Z`) or whole days (`VALUE=DATE`).

use time::{Date, OffsetDateTime, UtcOffset};

/// Longest content line in octets, CRLF not counted (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

/// A TEXT value escaped: backslash, semicolon, comma and new lines; other
/// control characters are dropped (they are not allowed in TEXT).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded: at most 75 octets per line, continuation lines
/// starting with one space, each ended by CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `20261201T090000Z`.
pub fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `20261201`.
pub fn day_stamp(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// When an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A whole day (all-day event).
    Day(Date),
    /// From, to.
    Timed(OffsetDateTime, OffsetDateTime),
}

/// One VEVENT.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub last_modified: Option<OffsetDateTime>,
    /// The record's revision (its version less one).
    pub sequence: i64,
    /// Whether the time shows as busy.
    pub busy: bool,
}

/// A whole calendar (`METHOD:PUBLISH`), ready to serve.
pub fn calendar(name: &str, events: &[Event], now: OffsetDateTime) -> String {
    let mut out = String::with_capacity(512 + events.len() * 400);
    let mut line = |s: &str| fold(s, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Besaya//Oficina de inversion//ES");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    line(&format!("NAME:{}", escape_text(name)));
    line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    line("X-PUBLISHED-TTL:PT1H");
    let stamp = utc_stamp(now);
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&e.uid)));
        line(&format!("DTSTAMP:{stamp}"));
        if let Some(m) = e.last_modified {
            line(&format!("LAST-MODIFIED:{}", utc_stamp(m)));
        }
        line(&format!("SEQUENCE:{}", e.sequence.max(0)));
        match e.when {
            When::Day(d) => {
                line(&format!("DTSTART;VALUE=DATE:{}", day_stamp(d)));
                let next = d.next_day().unwrap_or(d);
                line(&format!("DTEND;VALUE=DATE:{}", day_stamp(next)));
            }
            When::Timed(from, to) => {
                line(&format!("DTSTART:{}", utc_stamp(from)));
                line(&format!("DTEND:{}", utc_stamp(to.max(from))));
            }
        }
        line(&format!("SUMMARY:{}", escape_text(&e.summary)));
        if !e.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&e.description)));
        }
        if let Some(l) = e.location.as_deref().filter(|l| !l.trim().is_empty()) {
            line(&format!("LOCATION:{}", escape_text(l)));
        }
        if let Some(u) = &e.url {
            line(&format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        line(if e.busy {
            "TRANSP:OPAQUE"
        } else {
            "TRANSP:TRANSPARENT"
        });
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a,b;c\\d\ne\r\nf\rg\u{7}h"),
            "a\\,b\\;c\\\\d\\ne\\nf\\ngh"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_characters() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "ñandú €uro ".repeat(20));
        fold(&text, &mut out);
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 3);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' '));
            }
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, text);
    }

    #[test]
    fn a_calendar_has_the_required_properties() {
        let ics = calendar(
            "Besaya",
            &[
                Event {
                    uid: "task-1@besaya".into(),
                    when: When::Day(date!(2026 - 12 - 31)),
                    summary: "Llamar, ya".into(),
                    description: String::new(),
                    location: None,
                    url: Some("https://besaya.example/x".into()),
                    last_modified: None,
                    sequence: 0,
                    busy: false,
                },
                Event {
                    uid: "meeting-1@besaya".into(),
                    when: When::Timed(
                        datetime!(2026-12-01 09:00 UTC),
                        datetime!(2026-12-01 10:30 UTC),
                    ),
                    summary: "Reunión".into(),
                    description: "Ana; Luis".into(),
                    location: Some("Torrelavega".into()),
                    url: None,
                    last_modified: Some(datetime!(2026-11-01 08:00 UTC)),
                    sequence: 2,
                    busy: true,
                },
            ],
            datetime!(2026-11-29 10:15:30 UTC),
        );
        for needle in [
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:",
            "METHOD:PUBLISH\r\n",
            "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n",
            "DTSTART:20261201T090000Z\r\nDTEND:20261201T103000Z\r\n",
            "DTSTAMP:20261129T101530Z\r\n",
            "SUMMARY:Llamar\\, ya\r\n",
            "DESCRIPTION:Ana\\; Luis\r\n",
            "SEQUENCE:2\r\n",
            "END:VCALENDAR\r\n",
        ] {
            assert!(ics.contains(needle), "{needle:?} in {ics}");
        }
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }
}
