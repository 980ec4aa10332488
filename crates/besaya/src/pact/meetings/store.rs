//! Meetings in the database: reading them as a seat may (need-to-know: no seat,
//! no meeting), and the audited writes of those who run the group (the
//! secretariat and the chair's representatives): the meeting and its status,
//! minutes, attendance, agreements, documents, and the e-mails (invitations,
//! minutes) enqueued in the same transaction as the stamp that records them.
//!
//! Minutes, attendance and agreements are recorded once the meeting is held
//! (`pact-err-meet_not_held` before).

use besaya_domain::alliance::MeetingStatus;
use serde_json::{Value, json};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use super::model::{
    Agreement, Attendance, Attendee, AttendeeInput, CommitmentRef, LinkedCommitment, Meeting,
    MeetingDocument, MeetingInput,
};
use crate::AppState;
use crate::db::versioned::{Versioned, bump_version};
use crate::db::{self, Audit, Changes, VersionConflict};
use crate::office::work::madrid;
use crate::pact::Invalid;
use crate::pact::alliance::{RefKind, Seat, next_reference};
use crate::pact::mail::Recipient;
pub use crate::pact::store::WriteError;

pub const TITLE_MAX: usize = 200;
pub const PLACE_MAX: usize = 200;
pub const AGENDA_MAX: usize = 10_000;
pub const MINUTES_MAX: usize = 50_000;
pub const AGREEMENT_MAX: usize = 5_000;
pub const NAME_MAX: usize = 200;
/// Lines of an attendance list.
pub const ATTENDEES_MAX: usize = 300;
/// Documents of a meeting.
pub const DOCUMENTS_MAX: i64 = 30;

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    reference: String,
    group_id: String,
    group_name: String,
    chair_member_id: Option<String>,
    title: String,
    starts_at: String,
    ends_at: String,
    place: String,
    agenda: String,
    minutes: String,
    status: String,
    invitations_sent_at: Option<String>,
    minutes_sent_at: Option<String>,
    created_by: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

const SELECT: &str = "SELECT m.id, m.reference, m.group_id, g.name AS group_name, g.chair_member_id, \
     m.title, m.starts_at, m.ends_at, m.place, m.agenda, m.minutes, m.status, m.invitations_sent_at, \
     m.minutes_sent_at, m.created_by, m.version, m.created_at, m.updated_at \
     FROM pact_meetings m JOIN pact_groups g ON g.id = m.group_id";

fn meeting_of(r: Row, seat: &Seat) -> Meeting {
    let status = MeetingStatus::parse(&r.status).unwrap_or(MeetingStatus::Scheduled);
    let may_edit = seat.runs_group(r.chair_member_id.as_deref());
    Meeting {
        allowed_moves: if may_edit {
            status
                .moves()
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect()
        } else {
            Vec::new()
        },
        may_edit,
        id: r.id,
        reference: r.reference,
        group_id: r.group_id,
        group_name: r.group_name,
        title: r.title,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        place: r.place,
        agenda: r.agenda,
        minutes: r.minutes,
        status: r.status,
        invitations_sent_at: r.invitations_sent_at,
        minutes_sent_at: r.minutes_sent_at,
        created_by: r.created_by,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
        chair_member_id: r.chair_member_id,
    }
}

impl Meeting {
    pub fn status(&self) -> MeetingStatus {
        MeetingStatus::parse(&self.status).unwrap_or(MeetingStatus::Scheduled)
    }

    pub fn input(&self) -> MeetingInput {
        MeetingInput {
            title: self.title.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            place: self.place.clone(),
            agenda: self.agenda.clone(),
            minutes: self.minutes.clone(),
        }
    }
}

/// A meeting as `seat` may see it: `None` without a seat or when unknown.
pub async fn get(
    conn: &mut AnyConnection,
    seat: &Seat,
    id: &str,
) -> Result<Option<Meeting>, sqlx::Error> {
    if !seat.in_workspace() || !plausible_id(id) {
        return Ok(None);
    }
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| meeting_of(r, seat)))
}

/// Ids are uuids: anything else is not worth a query.
pub fn plausible_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// What the list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub group_id: Option<String>,
    /// Stored timestamps: starts at or after.
    pub from: Option<String>,
    /// Starts before.
    pub to: Option<String>,
    /// `starts_at|id` of the last row of the previous page.
    pub after: Option<String>,
    /// Newest first (the past on the page); else oldest first.
    pub descending: bool,
    pub limit: i64,
}

/// The meetings a seat may see (all of them for any seat).
pub async fn list(
    conn: &mut AnyConnection,
    seat: &Seat,
    f: &Filter,
) -> Result<Vec<Meeting>, sqlx::Error> {
    if !seat.in_workspace() {
        return Ok(Vec::new());
    }
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE 1 = 1");
    if let Some(g) = &f.group_id {
        sql.push(" AND m.group_id = ").bind(g.clone());
    }
    if let Some(from) = &f.from {
        sql.push(" AND m.starts_at >= ").bind(from.clone());
    }
    if let Some(to) = &f.to {
        sql.push(" AND m.starts_at < ").bind(to.clone());
    }
    if let Some((at, id)) = f.after.as_deref().and_then(|a| a.split_once('|')) {
        let op = if f.descending { "<" } else { ">" };
        sql.push(&format!(" AND (m.starts_at {op} "))
            .bind(at.to_owned())
            .push(" OR (m.starts_at = ")
            .bind(at.to_owned())
            .push(&format!(" AND m.id {op} "))
            .bind(id.to_owned())
            .push("))");
    }
    if f.descending {
        sql.push(" ORDER BY m.starts_at DESC, m.id DESC LIMIT ");
    } else {
        sql.push(" ORDER BY m.starts_at, m.id LIMIT ");
    }
    sql.bind(f.limit.clamp(1, 1000));
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| meeting_of(r, seat)).collect())
}

/// The cursor key of a listed meeting.
pub fn list_key(m: &Meeting) -> String {
    format!("{}|{}", m.starts_at, m.id)
}

// ---- Validation ----

fn text_field(
    errs: &mut Vec<Invalid>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errs.push(Invalid::new(field, "required"));
    }
    if v.chars().count() > max {
        errs.push(Invalid::with(field, "too_long", max.to_string()));
    }
    if v.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
    {
        errs.push(Invalid::new(field, "control_chars"));
    }
    v.replace("\r\n", "\n")
}

fn when(errs: &mut Vec<Invalid>, field: &str, value: &str) -> Option<OffsetDateTime> {
    if value.trim().is_empty() {
        errs.push(Invalid::new(field, "required"));
        return None;
    }
    let t = madrid::parse_when(value);
    if t.is_none() {
        errs.push(Invalid::with(
            field,
            "meet_invalid_when",
            value.chars().take(40).collect::<String>(),
        ));
    }
    t
}

/// The input checked: (title, starts_at, ends_at, place, agenda, minutes) as stored.
struct Clean {
    title: String,
    starts_at: String,
    ends_at: String,
    starts: OffsetDateTime,
    place: String,
    agenda: String,
    minutes: String,
}

fn clean(input: &MeetingInput, status: MeetingStatus) -> Result<Clean, WriteError> {
    let mut e = Vec::new();
    let title = text_field(&mut e, "title", &input.title, TITLE_MAX, true, false);
    let place = text_field(&mut e, "place", &input.place, PLACE_MAX, false, false);
    let agenda = text_field(&mut e, "agenda", &input.agenda, AGENDA_MAX, false, true);
    let minutes = text_field(&mut e, "minutes", &input.minutes, MINUTES_MAX, false, true);
    let starts = when(&mut e, "starts_at", &input.starts_at);
    let ends = when(&mut e, "ends_at", &input.ends_at);
    if let (Some(s), Some(t)) = (starts, ends)
        && t <= s
    {
        e.push(Invalid::new("ends_at", "meet_ends_before_start"));
    }
    if !minutes.is_empty() && status != MeetingStatus::Held {
        e.push(Invalid::new("minutes", "meet_not_held"));
    }
    match (starts, ends) {
        (Some(s), Some(t)) if e.is_empty() => Ok(Clean {
            title,
            starts_at: db::timestamp(s),
            ends_at: db::timestamp(t),
            starts: s,
            place,
            agenda,
            minutes,
        }),
        _ => Err(WriteError::Invalid(e)),
    }
}

fn changes(before: Option<&Meeting>, c: &Clean) -> Changes {
    let b = |f: fn(&Meeting) -> &str| before.map_or(Value::Null, |m| json!(f(m)));
    Changes::new()
        .field("title", b(|m| &m.title), json!(c.title))
        .field("starts_at", b(|m| &m.starts_at), json!(c.starts_at))
        .field("ends_at", b(|m| &m.ends_at), json!(c.ends_at))
        .field("place", b(|m| &m.place), json!(c.place))
        .field("agenda", b(|m| &m.agenda), json!(c.agenda))
        .field("minutes", b(|m| &m.minutes), json!(c.minutes))
}

/// The meeting for a write by `seat`: 404 unknown or without a seat, 403 for a
/// seat that does not run the group.
async fn for_write(conn: &mut AnyConnection, seat: &Seat, id: &str) -> Result<Meeting, WriteError> {
    let m = get(conn, seat, id).await?.ok_or(WriteError::NotFound)?;
    if !m.may_edit {
        return Err(WriteError::Forbidden);
    }
    Ok(m)
}

fn audit<'a>(
    actor: &'a str,
    entity: &'a str,
    id: &'a str,
    action: &'a str,
    c: Changes,
) -> Audit<'a> {
    Audit {
        actor: Some(actor),
        entity,
        entity_id: id,
        action,
        changes: c,
    }
}

// ---- Meetings ----

/// Schedules a meeting of a group; returns its id.
pub async fn create(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    group_id: &str,
    input: &MeetingInput,
) -> Result<String, WriteError> {
    if !seat.in_workspace() || !plausible_id(group_id) {
        return Err(WriteError::NotFound);
    }
    let group: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT chair_member_id, archived_at FROM pact_groups WHERE id = $1")
            .bind(group_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((chair, archived)) = group else {
        return Err(WriteError::NotFound);
    };
    if !seat.runs_group(chair.as_deref()) {
        return Err(WriteError::Forbidden);
    }
    if archived.is_some() {
        return Err(WriteError::Invalid(vec![Invalid::new(
            "group_id",
            "meet_group_archived",
        )]));
    }
    let c = clean(input, MeetingStatus::Scheduled)?;
    let year = madrid::local(c.starts).year();
    let reference = next_reference(&mut *conn, RefKind::Meeting, year).await?;
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO pact_meetings (id, reference, group_id, title, starts_at, ends_at, place, agenda, \
         minutes, status, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', 'scheduled', $9, 1, $10, $10)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(group_id)
    .bind(&c.title)
    .bind(&c.starts_at)
    .bind(&c.ends_at)
    .bind(&c.place)
    .bind(&c.agenda)
    .bind(actor)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    let ch = changes(None, &c)
        .created("reference", json!(reference))
        .created("group_id", json!(group_id));
    audit(actor, "pact_meeting", &id, "create", ch)
        .record(&mut *conn)
        .await?;
    Ok(id)
}

/// Changes a meeting's fields (with the version read); returns the new version.
pub async fn update(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    version: i64,
    input: &MeetingInput,
) -> Result<i64, WriteError> {
    let m = for_write(conn, seat, id).await?;
    let c = clean(input, m.status())?;
    let v = bump_version(conn, Versioned::PactMeetings, id, version).await?;
    sqlx::query(
        "UPDATE pact_meetings SET title = $1, starts_at = $2, ends_at = $3, place = $4, agenda = $5, \
         minutes = $6 WHERE id = $7",
    )
    .bind(&c.title)
    .bind(&c.starts_at)
    .bind(&c.ends_at)
    .bind(&c.place)
    .bind(&c.agenda)
    .bind(&c.minutes)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    audit(actor, "pact_meeting", id, "update", changes(Some(&m), &c))
        .record(&mut *conn)
        .await?;
    Ok(v)
}

/// Records only the minutes of a held meeting.
pub async fn set_minutes(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    version: i64,
    minutes: &str,
) -> Result<i64, WriteError> {
    let m = for_write(conn, seat, id).await?;
    let mut input = m.input();
    input.minutes = minutes.to_owned();
    update(conn, actor, seat, id, version, &input).await
}

/// Moves a meeting (`MeetingStatus::may_move_to`; 422 with the allowed moves).
pub async fn set_status(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    version: i64,
    to: &str,
) -> Result<i64, WriteError> {
    let m = for_write(conn, seat, id).await?;
    let from = m.status();
    let Some(to_status) = MeetingStatus::parse(to.trim()).filter(|t| from.may_move_to(*t)) else {
        return Err(WriteError::Transition {
            from: from.as_str().to_owned(),
            to: to.chars().take(40).collect(),
            allowed: m.allowed_moves.clone(),
        });
    };
    let v = bump_version(conn, Versioned::PactMeetings, id, version).await?;
    sqlx::query("UPDATE pact_meetings SET status = $1 WHERE id = $2")
        .bind(to_status.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit(
        actor,
        "pact_meeting",
        id,
        "transition",
        Changes::new().field("status", json!(from.as_str()), json!(to_status.as_str())),
    )
    .record(&mut *conn)
    .await?;
    Ok(v)
}

fn held(m: &Meeting, field: &str) -> Result<(), WriteError> {
    if m.status() == MeetingStatus::Held {
        Ok(())
    } else {
        Err(WriteError::Invalid(vec![Invalid::new(
            field,
            "meet_not_held",
        )]))
    }
}

// ---- Attendance ----

/// Who came to a meeting, in the order recorded.
pub async fn attendance(
    conn: &mut AnyConnection,
    meeting_id: &str,
) -> Result<Attendance, sqlx::Error> {
    type AttendanceRow = (Option<String>, String, Option<String>, Option<String>);
    let rows: Vec<AttendanceRow> = sqlx::query_as(
        "SELECT a.user_id, a.name, a.organization_id, o.name FROM pact_attendance a \
         LEFT JOIN organizations o ON o.id = a.organization_id \
         WHERE a.meeting_id = $1 ORDER BY a.created_at, a.id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut orgs: Vec<&str> = rows.iter().filter_map(|r| r.2.as_deref()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let organizations = orgs.len() as i64;
    let attendees: Vec<Attendee> = rows
        .iter()
        .map(|(user_id, name, org, org_name)| Attendee {
            user_id: user_id.clone(),
            name: name.clone(),
            organization_id: org.clone(),
            organization_name: org_name.clone(),
        })
        .collect();
    Ok(Attendance {
        people: attendees.len() as i64,
        organizations,
        attendees,
    })
}

/// A representative of the group's current members: (user, name, organisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representative {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub organization_id: String,
    pub organization_name: String,
}

/// The representatives of a group's members current on `today`, by organisation.
pub async fn representatives(
    conn: &mut AnyConnection,
    group_id: &str,
    today: Date,
) -> Result<Vec<Representative>, sqlx::Error> {
    let day = besaya_domain::directory::format_date(today);
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.email, u.lang, o.id, o.name FROM pact_group_members gm \
         JOIN pact_members m ON m.id = gm.member_id \
         JOIN organizations o ON o.id = m.organization_id \
         JOIN pact_representatives r ON r.member_id = m.id \
         JOIN users u ON u.id = r.user_id \
         WHERE gm.group_id = $1 AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on > $2) \
         AND u.active = 1 ORDER BY o.name, u.name, u.id",
    )
    .bind(group_id)
    .bind(&day)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, name, email, lang, organization_id, organization_name)| Representative {
                user_id,
                name,
                email,
                lang,
                organization_id,
                organization_name,
            },
        )
        .collect())
}

/// Replaces the attendance of a held meeting with `list`.
pub async fn set_attendance(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    list: &[AttendeeInput],
) -> Result<Attendance, WriteError> {
    let m = for_write(conn, seat, id).await?;
    held(&m, "attendees")?;
    if list.len() > ATTENDEES_MAX {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "attendees",
            "too_many",
            ATTENDEES_MAX.to_string(),
        )]));
    }
    let reps = representatives(conn, &m.group_id, madrid::today()).await?;
    let mut e = Vec::new();
    let mut rows: Vec<(Option<String>, String, Option<String>)> = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let f = |name: &str| format!("attendees[{i}].{name}");
        let org = a
            .organization_id
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned);
        if let Some(o) = &org {
            let known: Option<String> = if plausible_id(o) {
                sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                    .bind(o)
                    .fetch_optional(&mut *conn)
                    .await?
            } else {
                None
            };
            if known.is_none() {
                e.push(Invalid::with(
                    &f("organization_id"),
                    "unknown_organization",
                    o.chars().take(64).collect::<String>(),
                ));
            }
        }
        match a
            .user_id
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(uid) => {
                let name: Option<String> = if plausible_id(uid) {
                    sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
                        .bind(uid)
                        .fetch_optional(&mut *conn)
                        .await?
                } else {
                    None
                };
                let Some(name) = name else {
                    e.push(Invalid::with(
                        &f("user_id"),
                        "meet_unknown_user",
                        uid.chars().take(64).collect::<String>(),
                    ));
                    continue;
                };
                if rows.iter().any(|r| r.0.as_deref() == Some(uid)) {
                    continue;
                }
                let org = org.or_else(|| {
                    reps.iter()
                        .find(|r| r.user_id == uid)
                        .map(|r| r.organization_id.clone())
                });
                rows.push((Some(uid.to_owned()), name, org));
            }
            None => {
                let name = text_field(
                    &mut e,
                    &f("name"),
                    a.name.as_deref().unwrap_or(""),
                    NAME_MAX,
                    true,
                    false,
                );
                rows.push((None, name, org));
            }
        }
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let before = attendance(conn, id).await?;
    sqlx::query("DELETE FROM pact_attendance WHERE meeting_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let now = db::now();
    for (user_id, name, org) in &rows {
        sqlx::query(
            "INSERT INTO pact_attendance (id, meeting_id, user_id, name, organization_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(db::new_id())
        .bind(id)
        .bind(user_id.as_deref())
        .bind(name)
        .bind(org.as_deref())
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    let after = attendance(conn, id).await?;
    let names = |a: &Attendance| json!(a.attendees.iter().map(|x| &x.name).collect::<Vec<_>>());
    audit(
        actor,
        "pact_meeting",
        id,
        "attendance",
        Changes::new().field("attendance", names(&before), names(&after)),
    )
    .record(&mut *conn)
    .await?;
    Ok(after)
}

// ---- Agreements ----

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: String,
    reference: String,
    meeting_id: String,
    position: i64,
    text: String,
    version: i64,
    created_at: String,
    updated_at: String,
    commitment_id: Option<String>,
    commitment_reference: Option<String>,
    commitment_title: Option<String>,
}

const AGREEMENT_SELECT: &str = "SELECT a.id, a.reference, a.meeting_id, a.position, a.text, a.version, \
     a.created_at, a.updated_at, c.id AS commitment_id, c.reference AS commitment_reference, \
     c.title AS commitment_title FROM pact_agreements a \
     LEFT JOIN pact_commitments c ON c.id = (SELECT MIN(c2.id) FROM pact_commitments c2 WHERE c2.agreement_id = a.id)";

fn agreement_of(r: AgreementRow) -> Agreement {
    let commitment = match (r.commitment_id, r.commitment_reference, r.commitment_title) {
        (Some(id), Some(reference), Some(title)) => Some(CommitmentRef {
            id,
            reference,
            title,
        }),
        _ => None,
    };
    Agreement {
        id: r.id,
        reference: r.reference,
        meeting_id: r.meeting_id,
        position: r.position,
        text: r.text,
        commitment,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// The agreements of a meeting, numbered.
pub async fn agreements(
    conn: &mut AnyConnection,
    meeting_id: &str,
) -> Result<Vec<Agreement>, sqlx::Error> {
    let rows: Vec<AgreementRow> = sqlx::query_as(&format!(
        "{AGREEMENT_SELECT} WHERE a.meeting_id = $1 ORDER BY a.position, a.id"
    ))
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(agreement_of).collect())
}

/// One agreement with its meeting, as `seat` may see them.
pub async fn agreement(
    conn: &mut AnyConnection,
    seat: &Seat,
    id: &str,
) -> Result<Option<(Agreement, Meeting)>, sqlx::Error> {
    if !seat.in_workspace() || !plausible_id(id) {
        return Ok(None);
    }
    let row: Option<AgreementRow> = sqlx::query_as(&format!("{AGREEMENT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(a) = row.map(agreement_of) else {
        return Ok(None);
    };
    let m = get(conn, seat, &a.meeting_id).await?;
    Ok(m.map(|m| (a, m)))
}

fn agreement_text(text: &str) -> Result<String, WriteError> {
    let mut e = Vec::new();
    let t = text_field(&mut e, "text", text, AGREEMENT_MAX, true, true);
    if e.is_empty() {
        Ok(t)
    } else {
        Err(WriteError::Invalid(e))
    }
}

/// Adds an agreement to a held meeting, numbered after the last; returns its id.
pub async fn add_agreement(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    meeting_id: &str,
    text: &str,
) -> Result<String, WriteError> {
    let m = for_write(conn, seat, meeting_id).await?;
    let text = agreement_text(text)?;
    held(&m, "text")?;
    let year = madrid::parse_stored(&m.starts_at)
        .map_or_else(|| madrid::today().year(), |t| madrid::local(t).year());
    // The counter's row stays locked until commit, so two agreements added at
    // once read the last number one after the other (read it after, not before).
    let reference = next_reference(&mut *conn, RefKind::Agreement, year).await?;
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM pact_agreements WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut *conn)
            .await?;
    let id = db::new_id();
    let now = db::now();
    let position = last.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO pact_agreements (id, reference, meeting_id, position, text, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(meeting_id)
    .bind(position)
    .bind(&text)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    audit(
        actor,
        "pact_agreement",
        &id,
        "create",
        Changes::new()
            .created("reference", json!(reference))
            .created("meeting_id", json!(meeting_id))
            .created("position", json!(position))
            .created("text", json!(text)),
    )
    .record(&mut *conn)
    .await?;
    Ok(id)
}

/// Changes an agreement's text.
pub async fn update_agreement(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    version: i64,
    text: &str,
) -> Result<i64, WriteError> {
    let (a, m) = agreement(conn, seat, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if !m.may_edit {
        return Err(WriteError::Forbidden);
    }
    let text = agreement_text(text)?;
    let v = bump_version(conn, Versioned::PactAgreements, id, version).await?;
    sqlx::query("UPDATE pact_agreements SET text = $1 WHERE id = $2")
        .bind(&text)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit(
        actor,
        "pact_agreement",
        id,
        "update",
        Changes::new().field("text", json!(a.text), json!(text)),
    )
    .record(&mut *conn)
    .await?;
    Ok(v)
}

/// Deletes an agreement no commitment comes from, and renumbers the others.
pub async fn delete_agreement(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
    version: Option<i64>,
) -> Result<(), WriteError> {
    let (a, m) = agreement(conn, seat, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    if !m.may_edit {
        return Err(WriteError::Forbidden);
    }
    if let Some(v) = version
        && v != a.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(a.version),
        }));
    }
    let made: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pact_commitments WHERE agreement_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if made > 0 {
        return Err(WriteError::Invalid(vec![Invalid::new(
            "id",
            "meet_agreement_has_commitment",
        )]));
    }
    sqlx::query("DELETE FROM pact_agreements WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let rest: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, position FROM pact_agreements WHERE meeting_id = $1 ORDER BY position, id",
    )
    .bind(&m.id)
    .fetch_all(&mut *conn)
    .await?;
    for (i, (aid, pos)) in rest.iter().enumerate() {
        let want = i as i64 + 1;
        if *pos != want {
            sqlx::query("UPDATE pact_agreements SET position = $1 WHERE id = $2")
                .bind(want)
                .bind(aid)
                .execute(&mut *conn)
                .await?;
        }
    }
    audit(
        actor,
        "pact_agreement",
        id,
        "delete",
        Changes::new()
            .field("reference", json!(a.reference), Value::Null)
            .field("text", json!(a.text), Value::Null),
    )
    .record(&mut *conn)
    .await?;
    Ok(())
}

// ---- Commitments linked ----

/// The commitments decided or reviewed at a meeting.
pub async fn linked_commitments(
    conn: &mut AnyConnection,
    meeting_id: &str,
) -> Result<Vec<LinkedCommitment>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.id, c.reference, c.title, cm.role FROM pact_commitment_meetings cm \
         JOIN pact_commitments c ON c.id = cm.commitment_id WHERE cm.meeting_id = $1 \
         ORDER BY c.reference, cm.role",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, reference, title, role)| LinkedCommitment {
            id,
            reference,
            title,
            role,
        })
        .collect())
}

// ---- Documents ----

/// The documents of a meeting, newest first.
pub async fn documents(
    conn: &mut AnyConnection,
    meeting_id: &str,
) -> Result<Vec<MeetingDocument>, sqlx::Error> {
    type DocRow = (
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<DocRow> = sqlx::query_as(
        "SELECT d.id, d.file_name, d.content_type, d.size, d.uploaded_by, u.name, d.uploaded_at \
             FROM pact_meeting_documents d LEFT JOIN users u ON u.id = d.uploaded_by \
             WHERE d.meeting_id = $1 ORDER BY d.uploaded_at DESC, d.id DESC",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, file_name, content_type, size, uploaded_by, uploaded_by_name, uploaded_at)| {
                MeetingDocument {
                    id,
                    file_name,
                    content_type,
                    size,
                    uploaded_by,
                    uploaded_by_name,
                    uploaded_at,
                }
            },
        )
        .collect())
}

/// Stores a document (type already checked from its content by the caller).
pub async fn add_document(
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    meeting_id: &str,
    file_name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<MeetingDocument, WriteError> {
    for_write(conn, seat, meeting_id).await?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pact_meeting_documents WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut *conn)
            .await?;
    if count >= DOCUMENTS_MAX {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "file",
            "too_many_files",
            DOCUMENTS_MAX.to_string(),
        )]));
    }
    let file_id = crate::files::put(&mut *conn, content_type, data).await?;
    let id = db::new_id();
    let now = db::now();
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let size = i64::try_from(data.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO pact_meeting_documents (id, meeting_id, file_id, file_name, content_type, size, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(meeting_id)
    .bind(&file_id)
    .bind(&name)
    .bind(content_type)
    .bind(size)
    .bind(actor)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    audit(
        actor,
        "pact_meeting",
        meeting_id,
        "document_added",
        Changes::new().created(
            "document",
            json!({ "id": id, "file_name": name, "size": size }),
        ),
    )
    .record(&mut *conn)
    .await?;
    let uploaded_by_name: Option<String> =
        sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(actor)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(MeetingDocument {
        id,
        file_name: name,
        content_type: content_type.to_owned(),
        size,
        uploaded_by: Some(actor.to_owned()),
        uploaded_by_name,
        uploaded_at: now,
    })
}

/// A document's record and bytes.
pub async fn document_file(
    conn: &mut AnyConnection,
    meeting_id: &str,
    doc_id: &str,
) -> Result<Option<(String, crate::files::StoredFile)>, sqlx::Error> {
    if !plausible_id(doc_id) {
        return Ok(None);
    }
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT file_name, file_id FROM pact_meeting_documents WHERE id = $1 AND meeting_id = $2",
    )
    .bind(doc_id)
    .bind(meeting_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((name, file_id)) = row else {
        return Ok(None);
    };
    Ok(crate::files::get(conn, &file_id).await?.map(|f| (name, f)))
}

// ---- E-mails ----

/// The people invited: the representatives of the group's current members
/// (`members::store::group_recipients`), each address once.
pub async fn invitees(
    state: &AppState,
    group_id: &str,
    today: Date,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let reps = crate::pact::members::store::group_recipients(&state.db, group_id, today).await?;
    let mut out: Vec<Recipient> = Vec::new();
    for r in reps {
        if out.iter().any(|o| o.email.eq_ignore_ascii_case(&r.email)) {
            continue;
        }
        out.push(Recipient {
            email: r.email,
            name: r.name,
            lang: crate::i18n::Lang::from_code(&r.lang).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Sends the convocation (again, marked as updated, after a first one) to the
/// invitees of a scheduled meeting; returns how many were written to.
pub async fn send_invitations(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
) -> Result<usize, WriteError> {
    let m = for_write(conn, seat, id).await?;
    if m.status() != MeetingStatus::Scheduled {
        return Err(WriteError::Invalid(vec![Invalid::new(
            "status",
            "meet_not_scheduled",
        )]));
    }
    let to = invitees(state, &m.group_id, madrid::today()).await?;
    let updated = m.invitations_sent_at.is_some();
    super::mail::send(
        state,
        conn,
        &to,
        super::mail::MeetingMail::Invitation {
            meeting: &m,
            updated,
            base: state.config.public_base(),
        },
    )
    .await
    .map_err(WriteError::Mail)?;
    let now = db::now();
    sqlx::query("UPDATE pact_meetings SET invitations_sent_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit(
        actor,
        "pact_meeting",
        id,
        "invitations_sent",
        Changes::new()
            .field(
                "invitations_sent_at",
                json!(m.invitations_sent_at),
                json!(now),
            )
            .created("recipients", json!(to.len())),
    )
    .record(&mut *conn)
    .await?;
    Ok(to.len())
}

/// Sends the minutes (text and agreements) of a held meeting to the invitees
/// and the attendees with an account; returns how many were written to.
pub async fn send_minutes(
    state: &AppState,
    conn: &mut AnyConnection,
    actor: &str,
    seat: &Seat,
    id: &str,
) -> Result<usize, WriteError> {
    let m = for_write(conn, seat, id).await?;
    held(&m, "minutes")?;
    if m.minutes.trim().is_empty() {
        return Err(WriteError::Invalid(vec![Invalid::new(
            "minutes",
            "meet_no_minutes",
        )]));
    }
    let mut to = invitees(state, &m.group_id, madrid::today()).await?;
    let came: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.name, u.lang FROM pact_attendance a JOIN users u ON u.id = a.user_id \
         WHERE a.meeting_id = $1 AND u.active = 1 ORDER BY u.email",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (email, name, lang) in came {
        if !to.iter().any(|o| o.email.eq_ignore_ascii_case(&email)) {
            to.push(Recipient {
                email,
                name,
                lang: crate::i18n::Lang::from_code(&lang).unwrap_or_default(),
            });
        }
    }
    let agreements = agreements(conn, id).await?;
    super::mail::send(
        state,
        conn,
        &to,
        super::mail::MeetingMail::Minutes {
            meeting: &m,
            agreements: &agreements,
            base: state.config.public_base(),
        },
    )
    .await
    .map_err(WriteError::Mail)?;
    let now = db::now();
    sqlx::query("UPDATE pact_meetings SET minutes_sent_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit(
        actor,
        "pact_meeting",
        id,
        "minutes_sent",
        Changes::new()
            .field("minutes_sent_at", json!(m.minutes_sent_at), json!(now))
            .created("recipients", json!(to.len())),
    )
    .record(&mut *conn)
    .await?;
    Ok(to.len())
}
