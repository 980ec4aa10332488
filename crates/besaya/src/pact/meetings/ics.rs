//! Meetings in iCalendar: one meeting's `.ics` (UID stable per meeting,
//! SEQUENCE = its version, `STATUS:CANCELLED` once cancelled) and the meetings a
//! user's calendar feed lists (the groups of the memberships the user
//! represents; the secretariat's: all of them).

use sqlx::AnyConnection;
use time::OffsetDateTime;

use super::model::Meeting;
use crate::db;
use crate::i18n::Tr;
use crate::office::work::ics::{self, Event, When};
use crate::office::work::madrid;
use crate::pact::alliance::Seat;

/// The UID of a meeting's event: the same in the `.ics` and the feed.
pub fn uid(meeting_id: &str, host: &str) -> String {
    format!("pact-meeting-{meeting_id}@{host}")
}

/// The host of the public address, for the events' UIDs.
pub fn host(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split('/').next().unwrap_or("besaya").to_owned()
}

/// A meeting as an event (`None` when its stored times do not parse).
#[allow(clippy::too_many_arguments)]
pub fn event(
    tr: &Tr,
    base: &str,
    host: &str,
    id: &str,
    title: &str,
    group: &str,
    starts_at: &str,
    ends_at: &str,
    place: &str,
    agenda: &str,
    cancelled: bool,
    version: i64,
    updated_at: &str,
) -> Option<Event> {
    let from = madrid::parse_stored(starts_at)?;
    let to = madrid::parse_stored(ends_at)?;
    let link = format!("{base}/pact/meetings/{id}");
    let summary = tr.tn(
        if cancelled {
            "pact-meet-ics-summary-cancelled"
        } else {
            "pact-meet-ics-summary"
        },
        &[
            ("title", title.to_owned().into()),
            ("group", group.to_owned().into()),
        ],
    );
    let mut description = agenda.trim().to_owned();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&link);
    Some(Event {
        uid: uid(id, host),
        when: When::Timed(from, to),
        summary,
        description,
        location: Some(place.to_owned()).filter(|p| !p.trim().is_empty()),
        url: Some(link),
        last_modified: madrid::parse_stored(updated_at),
        sequence: version,
        busy: !cancelled,
    })
}

/// One meeting's calendar, ready to serve.
pub fn calendar(tr: &Tr, base: &str, m: &Meeting, now: OffsetDateTime) -> String {
    let host = host(base);
    let cancelled = m.status == "cancelled";
    let events: Vec<Event> = event(
        tr,
        base,
        &host,
        &m.id,
        &m.title,
        &m.group_name,
        &m.starts_at,
        &m.ends_at,
        &m.place,
        &m.agenda,
        cancelled,
        m.version,
        &m.updated_at,
    )
    .into_iter()
    .collect();
    let text = ics::calendar(&format!("{} {}", m.reference, m.title), &events, now);
    // The shared writer has no STATUS property; a single event gets it here.
    let status = if cancelled {
        "STATUS:CANCELLED"
    } else {
        "STATUS:CONFIRMED"
    };
    text.replacen("END:VEVENT\r\n", &format!("{status}\r\nEND:VEVENT\r\n"), 1)
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    id: String,
    title: String,
    group_name: String,
    starts_at: String,
    ends_at: String,
    place: String,
    agenda: String,
    status: String,
    version: i64,
    updated_at: String,
}

/// The meetings of `seat`'s feed from `since` (a stored timestamp): the
/// secretariat all; a representative those of the groups its current
/// memberships belong to. Cancelled ones stay, marked, so calendars update.
pub async fn feed_events(
    conn: &mut AnyConnection,
    seat: &Seat,
    tr: &Tr,
    base: &str,
    host: &str,
    since: &str,
) -> Result<Vec<Event>, sqlx::Error> {
    if !seat.in_workspace() {
        return Ok(Vec::new());
    }
    let mut sql = db::Sql::new(
        "SELECT m.id, m.title, g.name AS group_name, m.starts_at, m.ends_at, m.place, m.agenda, \
         m.status, m.version, m.updated_at FROM pact_meetings m JOIN pact_groups g ON g.id = m.group_id \
         WHERE m.starts_at >= ",
    );
    sql.bind(since.to_owned());
    if !seat.secretariat {
        sql.push(" AND m.group_id IN (SELECT gm.group_id FROM pact_group_members gm WHERE gm.member_id IN (");
        for (i, mid) in seat.member_ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(mid.clone());
        }
        sql.push("))");
    }
    sql.push(" ORDER BY m.starts_at, m.id");
    let (text, args) = sql.build()?;
    let rows: Vec<FeedRow> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            event(
                tr,
                base,
                host,
                &r.id,
                &r.title,
                &r.group_name,
                &r.starts_at,
                &r.ends_at,
                &r.place,
                &r.agenda,
                r.status == "cancelled",
                r.version,
                &r.updated_at,
            )
        })
        .collect())
}
