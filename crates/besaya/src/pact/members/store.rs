//! Storage of the pact's members (memberships of organisations of the
//! directory, by college), their representatives and the working groups.
//! Every write runs in the caller's transaction, bumps the record's `version`
//! and appends an audit entry.

use besaya_domain::alliance::{College, RepresentativeRole, is_current};
use besaya_domain::directory::{format_date, parse_date};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use time::Date;
use utoipa::ToSchema;

use crate::db::versioned::{Versioned, bump_version};
use crate::db::{self, Audit, Changes, Db, VersionConflict};
use crate::pact::Invalid;
use crate::web::invalid::{shown, text};

/// Limits of the texts.
pub const NOTES_MAX: usize = 5000;
pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;

/// Kinds of organisations offered as members.
pub const MEMBER_KINDS: [&str; 7] = [
    "administration",
    "business_association",
    "union",
    "other",
    "research_centre",
    "training_centre",
    "company",
];

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the record does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<crate::db::versioned::BumpError> for WriteError {
    /// A record gone meanwhile is 404; a stale version 409.
    fn from(e: crate::db::versioned::BumpError) -> Self {
        use crate::db::versioned::BumpError;
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => Self::from(e),
        }
    }
}

impl WriteError {
    fn one(field: &str, code: &'static str) -> Self {
        Self::Invalid(vec![Invalid::new(field, code)])
    }
}

/// Someone to write to about a group: a representative of one of its current members.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Recipient {
    pub user_id: String,
    pub email: String,
    pub name: String,
    /// `es` or `en`.
    pub lang: String,
    pub organization_id: String,
    pub organization_name: String,
}

/// The active users who represent the group's members that are current on
/// `today` (once each, by organisation then name).
pub async fn group_recipients(
    db: &Db,
    group_id: &str,
    today: Date,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let day = format_date(today);
    let rows: Vec<Recipient> = sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.name, u.lang, o.id AS organization_id, \
         o.name AS organization_name \
         FROM pact_group_members gm JOIN pact_members m ON m.id = gm.member_id \
         JOIN organizations o ON o.id = m.organization_id \
         JOIN pact_representatives r ON r.member_id = m.id \
         JOIN users u ON u.id = r.user_id \
         WHERE gm.group_id = $1 AND u.active = 1 AND m.joined_on <= $2 \
         AND (m.left_on IS NULL OR m.left_on > $2) \
         ORDER BY o.name, u.name, u.id",
    )
    .bind(group_id)
    .bind(&day)
    .fetch_all(db.reader())
    .await?;
    let mut out: Vec<Recipient> = Vec::with_capacity(rows.len());
    for r in rows {
        if !out.iter().any(|x| x.user_id == r.user_id) {
            out.push(r);
        }
    }
    Ok(out)
}

// ---- Members ----

/// A representative of a member (seats only).
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct Representative {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// `holder` (titular) or `alternate` (suplente).
    pub role: String,
}

/// A membership of an organisation in the pact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    pub id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub municipality_name: Option<String>,
    /// `administrations`, `employers`, `unions`, `others`.
    pub college: String,
    /// `YYYY-MM-DD`.
    pub joined_on: String,
    /// `YYYY-MM-DD`: the first day outside the pact.
    pub left_on: Option<String>,
    /// Not left (on or before today).
    pub current: bool,
    /// Internal notes: seats only (`null` for the public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Seats only (`null` for the public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representatives: Option<Vec<Representative>>,
    /// Tax id of the organisation: seats only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    pub version: i64,
}

#[derive(Debug, FromRow)]
struct MemberRow {
    id: String,
    organization_id: String,
    organization_name: String,
    tax_id: String,
    municipality_name: Option<String>,
    college: String,
    joined_on: String,
    left_on: Option<String>,
    notes: String,
    version: i64,
}

const MEMBER_SELECT: &str = "SELECT m.id, m.organization_id, o.name AS organization_name, o.tax_id, \
     mu.name AS municipality_name, m.college, m.joined_on, m.left_on, m.notes, m.version \
     FROM pact_members m JOIN organizations o ON o.id = m.organization_id \
     LEFT JOIN municipalities mu ON mu.ine_code = o.municipality_code";

/// Whether a membership has not ended by `today` (it may start later).
fn not_left(left_on: Option<&str>, today: Date) -> bool {
    left_on.and_then(parse_date).is_none_or(|l| l > today)
}

async fn representatives_of(
    conn: &mut AnyConnection,
    member_ids: &[String],
) -> Result<Vec<(String, Representative)>, sqlx::Error> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT r.member_id, u.id, u.name, u.email, r.role FROM pact_representatives r \
         JOIN users u ON u.id = r.user_id ORDER BY r.role DESC, u.name, u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| member_ids.contains(&r.0))
        .map(|(m, user_id, name, email, role)| {
            (
                m,
                Representative {
                    user_id,
                    name,
                    email,
                    role,
                },
            )
        })
        .collect())
}

fn to_member(r: MemberRow, today: Date, seat: bool, reps: &[(String, Representative)]) -> Member {
    Member {
        current: not_left(r.left_on.as_deref(), today),
        notes: seat.then(|| r.notes.clone()),
        representatives: seat.then(|| {
            reps.iter()
                .filter(|(m, _)| *m == r.id)
                .map(|(_, x)| x.clone())
                .collect()
        }),
        tax_id: seat.then(|| r.tax_id.clone()),
        id: r.id,
        organization_id: r.organization_id,
        organization_name: r.organization_name,
        municipality_name: r.municipality_name,
        college: r.college,
        joined_on: r.joined_on,
        left_on: r.left_on,
        version: r.version,
    }
}

/// Every membership, current first by college and name, then former ones
/// (latest left first). `seat`: with notes and representatives.
pub async fn list_members(
    conn: &mut AnyConnection,
    today: Date,
    seat: bool,
) -> Result<Vec<Member>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "{MEMBER_SELECT} ORDER BY o.name, m.joined_on DESC, m.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let reps = if seat {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        representatives_of(conn, &ids).await?
    } else {
        Vec::new()
    };
    let mut out: Vec<Member> = rows
        .into_iter()
        .map(|r| to_member(r, today, seat, &reps))
        .collect();
    out.sort_by(|a, b| {
        b.current
            .cmp(&a.current)
            .then_with(|| {
                if a.current {
                    college_rank(&a.college).cmp(&college_rank(&b.college))
                } else {
                    b.left_on.cmp(&a.left_on)
                }
            })
            .then_with(|| {
                a.organization_name
                    .to_lowercase()
                    .cmp(&b.organization_name.to_lowercase())
            })
    });
    Ok(out)
}

fn college_rank(c: &str) -> usize {
    College::ALL
        .iter()
        .position(|x| x.as_str() == c)
        .unwrap_or(College::ALL.len())
}

/// One membership (with notes and representatives: callers check the seat).
pub async fn get_member(
    conn: &mut AnyConnection,
    id: &str,
    today: Date,
) -> Result<Option<Member>, sqlx::Error> {
    if id.len() > 64 {
        return Ok(None);
    }
    let row: Option<MemberRow> = sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let reps = representatives_of(conn, std::slice::from_ref(&row.id)).await?;
    Ok(Some(to_member(row, today, true, &reps)))
}

/// Current members on `today` (joined, not left): `(member id, organisation
/// name, college)`, by name.
pub async fn current_members(
    conn: &mut AnyConnection,
    today: Date,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let day = format_date(today);
    sqlx::query_as(
        "SELECT m.id, o.name, m.college FROM pact_members m \
         JOIN organizations o ON o.id = m.organization_id \
         WHERE m.joined_on <= $1 AND (m.left_on IS NULL OR m.left_on > $1) ORDER BY o.name, m.id",
    )
    .bind(&day)
    .fetch_all(conn)
    .await
}

/// What a new membership or a change takes. On a change, the organisation
/// (`organization_id`/`tax_id`) is ignored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MemberInput {
    /// The organisation of the directory, by id…
    #[serde(default)]
    pub organization_id: Option<String>,
    /// …or by its tax id (NIF/CIF).
    #[serde(default)]
    pub tax_id: Option<String>,
    /// `administrations`, `employers`, `unions`, `others`; default from the
    /// organisation's kind.
    #[serde(default)]
    pub college: Option<String>,
    /// `YYYY-MM-DD` (required).
    #[serde(default)]
    pub joined_on: Option<String>,
    /// `YYYY-MM-DD`, on or after `joined_on`: the first day outside.
    #[serde(default)]
    pub left_on: Option<String>,
    /// Internal notes, at most 5,000 characters.
    #[serde(default)]
    pub notes: Option<String>,
}

impl MemberInput {
    pub fn of(m: &Member) -> Self {
        Self {
            organization_id: Some(m.organization_id.clone()),
            tax_id: None,
            college: Some(m.college.clone()),
            joined_on: Some(m.joined_on.clone()),
            left_on: m.left_on.clone(),
            notes: m.notes.clone(),
        }
    }
}

struct ValidMember {
    college: Option<College>,
    joined_on: Date,
    left_on: Option<Date>,
    notes: String,
}

fn date_field(errs: &mut Vec<Invalid>, field: &str, v: Option<&str>) -> Option<Date> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    let d = parse_date(v);
    if d.is_none() {
        errs.push(Invalid::with(field, "invalid_date", shown(v)));
    }
    d
}

fn validate_member(input: &MemberInput) -> Result<ValidMember, Vec<Invalid>> {
    let mut errs = Vec::new();
    let college = match input
        .college
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(c) => {
            let k = College::parse(c);
            if k.is_none() {
                errs.push(Invalid::with("college", "mem_invalid_college", shown(c)));
            }
            k
        }
    };
    let joined = date_field(&mut errs, "joined_on", input.joined_on.as_deref());
    if joined.is_none() && !errs.iter().any(|e| e.field == "joined_on") {
        errs.push(Invalid::new("joined_on", "required"));
    }
    let left = date_field(&mut errs, "left_on", input.left_on.as_deref());
    if let (Some(j), Some(l)) = (joined, left)
        && l < j
    {
        errs.push(Invalid::new("left_on", "mem_left_before_joined"));
    }
    let notes =
        text(&mut errs, "notes", input.notes.as_deref(), NOTES_MAX, true).unwrap_or_default();
    match joined {
        Some(joined_on) if errs.is_empty() => Ok(ValidMember {
            college,
            joined_on,
            left_on: left,
            notes,
        }),
        _ => Err(errs),
    }
}

/// Whether `[a, a_end)` and `[b, b_end)` overlap (no end: open).
fn overlaps(a: Date, a_end: Option<Date>, b: Date, b_end: Option<Date>) -> bool {
    a_end.is_none_or(|e| b < e) && b_end.is_none_or(|e| a < e)
}

async fn check_overlap(
    conn: &mut AnyConnection,
    org_id: &str,
    except: Option<&str>,
    v: &ValidMember,
) -> Result<(), WriteError> {
    let others: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, joined_on, left_on FROM pact_members WHERE organization_id = $1",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, j, l) in others {
        if except == Some(id.as_str()) {
            continue;
        }
        let Some(j) = parse_date(&j) else { continue };
        let l = l.as_deref().and_then(parse_date);
        if overlaps(v.joined_on, v.left_on, j, l) {
            return Err(WriteError::Invalid(vec![Invalid::with(
                "joined_on",
                "mem_membership_overlaps",
                format_date(j),
            )]));
        }
    }
    Ok(())
}

/// A second open membership of one organisation, refused by the database (the
/// overlap check lost a race).
fn one_open(e: sqlx::Error) -> WriteError {
    if db::is_unique_violation(&e) {
        WriteError::Invalid(vec![Invalid::new("joined_on", "mem_membership_open")])
    } else {
        WriteError::Db(e)
    }
}

/// Creates a membership (secretariat: callers check). Returns its id.
pub async fn create_member(
    conn: &mut AnyConnection,
    actor: &str,
    input: &MemberInput,
) -> Result<String, WriteError> {
    let mut errs = Vec::new();
    let by_id = input
        .organization_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let by_tax = input
        .tax_id
        .as_deref()
        .map(|s| match besaya_domain::tax_id::Nif::parse(s) {
            Ok(n) => n.as_str().to_owned(),
            Err(_) => s.trim().to_uppercase().replace([' ', '-', '.'], ""),
        })
        .filter(|s| !s.is_empty());
    let field = if by_id.is_some() {
        "organization_id"
    } else {
        "tax_id"
    };
    let org: Option<(String, String, String)> = match (by_id, by_tax.as_deref()) {
        (Some(id), _) if id.len() <= 64 => {
            sqlx::query_as("SELECT id, name, kind FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        }
        (None, Some(tax)) if tax.len() <= 32 => {
            sqlx::query_as("SELECT id, name, kind FROM organizations WHERE UPPER(tax_id) = $1")
                .bind(tax)
                .fetch_optional(&mut *conn)
                .await?
        }
        _ => None,
    };
    match (&org, by_id.or(by_tax.as_deref())) {
        (None, None) => errs.push(Invalid::new(field, "required")),
        (None, Some(v)) => errs.push(Invalid::with(field, "unknown_organization", shown(v))),
        _ => {}
    }
    let v = match validate_member(input) {
        Ok(v) if errs.is_empty() => v,
        Ok(_) => return Err(WriteError::Invalid(errs)),
        Err(mut e) => {
            errs.append(&mut e);
            return Err(WriteError::Invalid(errs));
        }
    };
    let Some((org_id, org_name, kind)) = org else {
        return Err(WriteError::one(field, "required"));
    };
    check_overlap(conn, &org_id, None, &v).await?;
    let college = v.college.unwrap_or_else(|| College::for_org_kind(&kind));
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO pact_members (id, organization_id, college, joined_on, left_on, notes, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&id)
    .bind(&org_id)
    .bind(college.as_str())
    .bind(format_date(v.joined_on))
    .bind(v.left_on.map(format_date))
    .bind(&v.notes)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(one_open)?;
    Audit {
        actor: Some(actor),
        entity: "pact_member",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("organization_id", org_id.as_str())
            .created("organization", org_name.as_str())
            .created("college", college.as_str())
            .created("joined_on", format_date(v.joined_on))
            .created("left_on", v.left_on.map(format_date))
            .created("notes", v.notes.as_str()),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes a membership's college, dates and notes (the organisation stays).
pub async fn update_member(
    conn: &mut AnyConnection,
    actor: &str,
    id: &str,
    version: i64,
    input: &MemberInput,
    today: Date,
) -> Result<(), WriteError> {
    let Some(before) = get_member(conn, id, today).await? else {
        return Err(WriteError::NotFound);
    };
    let v = validate_member(input).map_err(WriteError::Invalid)?;
    bump_version(conn, Versioned::PactMembers, id, version).await?;
    check_overlap(conn, &before.organization_id, Some(id), &v).await?;
    let college = v
        .college
        .map_or_else(|| before.college.clone(), |c| c.as_str().to_owned());
    let joined = format_date(v.joined_on);
    let left = v.left_on.map(format_date);
    sqlx::query(
        "UPDATE pact_members SET college = $1, joined_on = $2, left_on = $3, notes = $4 WHERE id = $5",
    )
    .bind(&college)
    .bind(&joined)
    .bind(&left)
    .bind(&v.notes)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(one_open)?;
    Audit {
        actor: Some(actor),
        entity: "pact_member",
        entity_id: id,
        action: "update",
        changes: Changes::new()
            .field("college", before.college.as_str(), college.as_str())
            .field("joined_on", before.joined_on.as_str(), joined.as_str())
            .field("left_on", before.left_on.clone(), left.clone())
            .field(
                "notes",
                before.notes.clone().unwrap_or_default(),
                v.notes.as_str(),
            ),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Names a user representative of a member: an active user who acts for the
/// member's organisation, found by e-mail.
pub async fn add_representative(
    conn: &mut AnyConnection,
    actor: &str,
    member_id: &str,
    email: &str,
    role: &str,
    today: Date,
) -> Result<String, WriteError> {
    let Some(member) = get_member(conn, member_id, today).await? else {
        return Err(WriteError::NotFound);
    };
    let mut errs = Vec::new();
    let role_v = match role.trim() {
        "" => Some(RepresentativeRole::Holder),
        r => {
            let k = RepresentativeRole::parse(r);
            if k.is_none() {
                errs.push(Invalid::with("role", "mem_invalid_role", shown(r)));
            }
            k
        }
    };
    let email = email.trim();
    let user: Option<(String, String)> = if email.is_empty() {
        errs.push(Invalid::new("email", "required"));
        None
    } else if email.len() > 254 {
        errs.push(Invalid::with("email", "too_long", "254"));
        None
    } else {
        let u: Option<(String, String)> =
            sqlx::query_as("SELECT id, name FROM users WHERE email_norm = $1 AND active = 1")
                .bind(email.to_lowercase())
                .fetch_optional(&mut *conn)
                .await?;
        match u {
            None => {
                errs.push(Invalid::with("email", "mem_unknown_user", shown(email)));
                None
            }
            Some((uid, name)) => {
                let acts: Option<String> = sqlx::query_scalar(
                    "SELECT user_id FROM user_organizations WHERE user_id = $1 AND organization_id = $2",
                )
                .bind(&uid)
                .bind(&member.organization_id)
                .fetch_optional(&mut *conn)
                .await?;
                if acts.is_none() {
                    errs.push(Invalid::with(
                        "email",
                        "mem_not_of_organization",
                        shown(&member.organization_name),
                    ));
                    None
                } else if member
                    .representatives
                    .as_ref()
                    .is_some_and(|r| r.iter().any(|x| x.user_id == uid))
                {
                    errs.push(Invalid::with(
                        "email",
                        "mem_already_representative",
                        shown(email),
                    ));
                    None
                } else {
                    Some((uid, name))
                }
            }
        }
    };
    let (Some((uid, name)), Some(role_v)) = (user, role_v) else {
        return Err(WriteError::Invalid(errs));
    };
    if !errs.is_empty() {
        return Err(WriteError::Invalid(errs));
    }
    sqlx::query(
        "INSERT INTO pact_representatives (member_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(member_id)
    .bind(&uid)
    .bind(role_v.as_str())
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    bump_version(conn, Versioned::PactMembers, member_id, member.version).await?;
    Audit {
        actor: Some(actor),
        entity: "pact_member",
        entity_id: member_id,
        action: "add_representative",
        changes: Changes::new()
            .created("representative_id", uid.as_str())
            .created("representative", name.as_str())
            .created("role", role_v.as_str()),
    }
    .record(conn)
    .await?;
    Ok(uid)
}

/// Removes a representative (404 when not one).
pub async fn remove_representative(
    conn: &mut AnyConnection,
    actor: &str,
    member_id: &str,
    user_id: &str,
) -> Result<(), WriteError> {
    if member_id.len() > 64 || user_id.len() > 64 {
        return Err(WriteError::NotFound);
    }
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT r.role, u.name FROM pact_representatives r JOIN users u ON u.id = r.user_id \
         WHERE r.member_id = $1 AND r.user_id = $2",
    )
    .bind(member_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((role, name)) = before else {
        return Err(WriteError::NotFound);
    };
    sqlx::query("DELETE FROM pact_representatives WHERE member_id = $1 AND user_id = $2")
        .bind(member_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE pact_members SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(actor),
        entity: "pact_member",
        entity_id: member_id,
        action: "remove_representative",
        changes: Changes::new()
            .field("representative_id", user_id, serde_json::Value::Null)
            .field("representative", name.as_str(), serde_json::Value::Null)
            .field("role", role.as_str(), serde_json::Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Organisations that may join (kinds of [`MEMBER_KINDS`], not current
/// members today): `(tax id, name)` by name, at most `limit`.
pub async fn candidates(
    conn: &mut AnyConnection,
    today: Date,
    limit: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let day = format_date(today);
    let kinds = MEMBER_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "SELECT o.tax_id, o.name FROM organizations o WHERE o.kind IN ({kinds}) \
         AND NOT EXISTS (SELECT 1 FROM pact_members m WHERE m.organization_id = o.id \
         AND (m.left_on IS NULL OR m.left_on > $1)) ORDER BY o.name, o.id LIMIT $2"
    ))
    .bind(&day)
    .bind(limit)
    .fetch_all(conn)
    .await
}

// ---- Groups ----

/// A member of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMember {
    pub member_id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub college: String,
    /// The membership is current today.
    pub current: bool,
    pub representatives: Vec<Representative>,
}

/// A meeting of a group, as the group's page lists it.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct GroupMeeting {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// RFC 3339 (UTC).
    pub starts_at: String,
    /// `scheduled`, `held`, `cancelled`.
    pub status: String,
}

/// A working group (mesa de trabajo).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: String,
    pub chair_member_id: Option<String>,
    pub chair_name: Option<String>,
    pub archived: bool,
    pub member_count: i64,
    /// The next scheduled meeting (from now).
    pub next_meeting: Option<GroupMeeting>,
    /// The last meeting held or past.
    pub last_meeting: Option<GroupMeeting>,
    /// Members (only in the detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<GroupMember>>,
    /// Meetings, latest first (only in the detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meetings: Option<Vec<GroupMeeting>>,
    pub version: i64,
}

#[derive(Debug, FromRow)]
struct GroupRow {
    id: String,
    name: String,
    description: String,
    chair_member_id: Option<String>,
    chair_name: Option<String>,
    archived_at: Option<String>,
    member_count: i64,
    version: i64,
}

const GROUP_SELECT: &str = "SELECT g.id, g.name, g.description, g.chair_member_id, o.name AS chair_name, \
     g.archived_at, CAST((SELECT COUNT(*) FROM pact_group_members gm WHERE gm.group_id = g.id) AS BIGINT) \
     AS member_count, g.version FROM pact_groups g \
     LEFT JOIN pact_members c ON c.id = g.chair_member_id \
     LEFT JOIN organizations o ON o.id = c.organization_id";

async fn meetings_of(
    conn: &mut AnyConnection,
    group_id: &str,
) -> Result<Vec<GroupMeeting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, title, starts_at, status FROM pact_meetings WHERE group_id = $1 \
         ORDER BY starts_at DESC, id",
    )
    .bind(group_id)
    .fetch_all(conn)
    .await
}

fn next_and_last(
    meetings: &[GroupMeeting],
    now: &str,
) -> (Option<GroupMeeting>, Option<GroupMeeting>) {
    let next = meetings
        .iter()
        .filter(|m| m.status == "scheduled" && m.starts_at.as_str() >= now)
        .min_by(|a, b| a.starts_at.cmp(&b.starts_at))
        .cloned();
    let last = meetings
        .iter()
        .filter(|m| m.status != "cancelled" && m.starts_at.as_str() < now)
        .max_by(|a, b| a.starts_at.cmp(&b.starts_at))
        .cloned();
    (next, last)
}

fn to_group(r: GroupRow, meetings: &[GroupMeeting], now: &str) -> Group {
    let (next_meeting, last_meeting) = next_and_last(meetings, now);
    Group {
        id: r.id,
        name: r.name,
        description: r.description,
        chair_member_id: r.chair_member_id,
        chair_name: r.chair_name,
        archived: r.archived_at.is_some(),
        member_count: r.member_count,
        next_meeting,
        last_meeting,
        members: None,
        meetings: None,
        version: r.version,
    }
}

/// The groups, active first then archived, by name.
pub async fn list_groups(conn: &mut AnyConnection) -> Result<Vec<Group>, sqlx::Error> {
    let rows: Vec<GroupRow> = sqlx::query_as(&format!("{GROUP_SELECT} ORDER BY g.name, g.id"))
        .fetch_all(&mut *conn)
        .await?;
    let all: Vec<(String, GroupMeeting)> =
        sqlx::query_as::<_, (String, String, String, String, String, String)>(
            "SELECT group_id, id, reference, title, starts_at, status FROM pact_meetings",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(g, id, reference, title, starts_at, status)| {
            (
                g,
                GroupMeeting {
                    id,
                    reference,
                    title,
                    starts_at,
                    status,
                },
            )
        })
        .collect();
    let now = db::now();
    let mut out: Vec<Group> = rows
        .into_iter()
        .map(|r| {
            let ms: Vec<GroupMeeting> = all
                .iter()
                .filter(|(g, _)| *g == r.id)
                .map(|(_, m)| m.clone())
                .collect();
            to_group(r, &ms, &now)
        })
        .collect();
    out.sort_by_key(|g| g.archived);
    Ok(out)
}

/// One group with its members and meetings.
pub async fn get_group(
    conn: &mut AnyConnection,
    id: &str,
    today: Date,
) -> Result<Option<Group>, sqlx::Error> {
    if id.len() > 64 {
        return Ok(None);
    }
    let row: Option<GroupRow> = sqlx::query_as(&format!("{GROUP_SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let meetings = meetings_of(conn, id).await?;
    let members: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.organization_id, o.name, m.college, m.joined_on, m.left_on \
         FROM pact_group_members gm JOIN pact_members m ON m.id = gm.member_id \
         JOIN organizations o ON o.id = m.organization_id WHERE gm.group_id = $1 ORDER BY o.name, m.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<String> = members.iter().map(|m| m.0.clone()).collect();
    let reps = representatives_of(conn, &ids).await?;
    let mut g = to_group(row, &meetings, &db::now());
    g.members = Some(
        members
            .into_iter()
            .map(|(mid, org, name, college, j, l)| GroupMember {
                current: parse_date(&j)
                    .is_some_and(|j| is_current(j, l.as_deref().and_then(parse_date), today)),
                representatives: reps
                    .iter()
                    .filter(|(m, _)| *m == mid)
                    .map(|(_, r)| r.clone())
                    .collect(),
                member_id: mid,
                organization_id: org,
                organization_name: name,
                college,
            })
            .collect(),
    );
    g.meetings = Some(meetings);
    Ok(Some(g))
}

/// What a new group or a change takes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct GroupInput {
    /// Unique, at most 200 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// At most 5,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// A current member of the pact (`pact_members.id`), or `null`.
    #[serde(default)]
    pub chair_member_id: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
}

impl GroupInput {
    pub fn of(g: &Group) -> Self {
        Self {
            name: Some(g.name.clone()),
            description: Some(g.description.clone()),
            chair_member_id: g.chair_member_id.clone(),
            archived: Some(g.archived),
        }
    }
}

struct ValidGroup {
    name: String,
    description: String,
    chair: Option<String>,
    archived: bool,
}

async fn validate_group(
    conn: &mut AnyConnection,
    input: &GroupInput,
    except: Option<&str>,
    keep_chair: Option<&str>,
    today: Date,
) -> Result<ValidGroup, WriteError> {
    let mut errs = Vec::new();
    let name = text(&mut errs, "name", input.name.as_deref(), NAME_MAX, false);
    if name.is_none() && !errs.iter().any(|e| e.field == "name") {
        errs.push(Invalid::new("name", "required"));
    }
    let description = text(
        &mut errs,
        "description",
        input.description.as_deref(),
        DESCRIPTION_MAX,
        true,
    )
    .unwrap_or_default();
    if let Some(n) = &name {
        let other: Option<String> =
            sqlx::query_scalar("SELECT id FROM pact_groups WHERE LOWER(name) = $1")
                .bind(n.to_lowercase())
                .fetch_optional(&mut *conn)
                .await?;
        if other.is_some_and(|o| Some(o.as_str()) != except) {
            errs.push(Invalid::with("name", "mem_group_name_taken", shown(n)));
        }
    }
    let chair = input
        .chair_member_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(c) = &chair
        && keep_chair != Some(c.as_str())
    {
        let current = current_members(conn, today).await?;
        if !current.iter().any(|m| m.0 == *c) {
            errs.push(Invalid::with(
                "chair_member_id",
                "mem_not_current_member",
                shown(c),
            ));
        }
    }
    match name {
        Some(name) if errs.is_empty() => Ok(ValidGroup {
            name,
            description,
            chair,
            archived: input.archived.unwrap_or(false),
        }),
        _ => Err(WriteError::Invalid(errs)),
    }
}

fn unique_name(e: sqlx::Error, name: &str) -> WriteError {
    if db::is_unique_violation(&e) {
        WriteError::Invalid(vec![Invalid::with(
            "name",
            "mem_group_name_taken",
            shown(name),
        )])
    } else {
        WriteError::Db(e)
    }
}

/// Creates a group. Returns its id.
pub async fn create_group(
    conn: &mut AnyConnection,
    actor: &str,
    input: &GroupInput,
    today: Date,
) -> Result<String, WriteError> {
    let v = validate_group(conn, input, None, None, today).await?;
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO pact_groups (id, name, description, chair_member_id, archived_at, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(&v.name)
    .bind(&v.description)
    .bind(&v.chair)
    .bind(v.archived.then(|| now.clone()))
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_name(e, &v.name))?;
    Audit {
        actor: Some(actor),
        entity: "pact_group",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("name", v.name.as_str())
            .created("description", v.description.as_str())
            .created("chair_member_id", v.chair.clone())
            .created("archived", v.archived),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Changes a group's name, description, chair, archived.
pub async fn update_group(
    conn: &mut AnyConnection,
    actor: &str,
    id: &str,
    version: i64,
    input: &GroupInput,
    today: Date,
) -> Result<(), WriteError> {
    let Some(before) = get_group(conn, id, today).await? else {
        return Err(WriteError::NotFound);
    };
    let v = validate_group(
        conn,
        input,
        Some(id),
        before.chair_member_id.as_deref(),
        today,
    )
    .await?;
    bump_version(conn, Versioned::PactGroups, id, version).await?;
    let archived_at: Option<String> = match (before.archived, v.archived) {
        (false, true) => Some(db::now()),
        (true, true) => {
            sqlx::query_scalar("SELECT archived_at FROM pact_groups WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?
        }
        _ => None,
    };
    sqlx::query(
        "UPDATE pact_groups SET name = $1, description = $2, chair_member_id = $3, archived_at = $4 \
         WHERE id = $5",
    )
    .bind(&v.name)
    .bind(&v.description)
    .bind(&v.chair)
    .bind(&archived_at)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_name(e, &v.name))?;
    Audit {
        actor: Some(actor),
        entity: "pact_group",
        entity_id: id,
        action: "update",
        changes: Changes::new()
            .field("name", before.name.as_str(), v.name.as_str())
            .field(
                "description",
                before.description.as_str(),
                v.description.as_str(),
            )
            .field(
                "chair_member_id",
                before.chair_member_id.clone(),
                v.chair.clone(),
            )
            .field("archived", before.archived, v.archived),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Adds a current member of the pact to a group.
pub async fn add_group_member(
    conn: &mut AnyConnection,
    actor: &str,
    group_id: &str,
    member_id: &str,
    today: Date,
) -> Result<(), WriteError> {
    let Some(group) = get_group(conn, group_id, today).await? else {
        return Err(WriteError::NotFound);
    };
    let member_id = member_id.trim();
    if member_id.is_empty() {
        return Err(WriteError::one("member_id", "required"));
    }
    let current = current_members(conn, today).await?;
    let Some((_, name, _)) = current.iter().find(|m| m.0 == member_id) else {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "member_id",
            "mem_not_current_member",
            shown(member_id),
        )]));
    };
    if group
        .members
        .as_ref()
        .is_some_and(|ms| ms.iter().any(|m| m.member_id == member_id))
    {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "member_id",
            "mem_already_in_group",
            shown(name),
        )]));
    }
    sqlx::query(
        "INSERT INTO pact_group_members (group_id, member_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(group_id)
    .bind(member_id)
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    bump_version(conn, Versioned::PactGroups, group_id, group.version).await?;
    Audit {
        actor: Some(actor),
        entity: "pact_group",
        entity_id: group_id,
        action: "add_member",
        changes: Changes::new()
            .created("member_id", member_id)
            .created("member", name.as_str()),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Removes a member from a group (404 when not in it).
pub async fn remove_group_member(
    conn: &mut AnyConnection,
    actor: &str,
    group_id: &str,
    member_id: &str,
) -> Result<(), WriteError> {
    if group_id.len() > 64 || member_id.len() > 64 {
        return Err(WriteError::NotFound);
    }
    let name: Option<String> = sqlx::query_scalar(
        "SELECT o.name FROM pact_group_members gm JOIN pact_members m ON m.id = gm.member_id \
         JOIN organizations o ON o.id = m.organization_id WHERE gm.group_id = $1 AND gm.member_id = $2",
    )
    .bind(group_id)
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(name) = name else {
        return Err(WriteError::NotFound);
    };
    sqlx::query("DELETE FROM pact_group_members WHERE group_id = $1 AND member_id = $2")
        .bind(group_id)
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE pact_groups SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(actor),
        entity: "pact_group",
        entity_id: group_id,
        action: "remove_member",
        changes: Changes::new()
            .field("member_id", member_id, serde_json::Value::Null)
            .field("member", name.as_str(), serde_json::Value::Null),
    }
    .record(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn memberships_overlap_unless_one_ends_before_the_other_starts() {
        let (a, b, c) = (
            date!(2026 - 01 - 01),
            date!(2026 - 06 - 01),
            date!(2026 - 09 - 01),
        );
        assert!(overlaps(a, None, b, None));
        assert!(overlaps(a, Some(c), b, None));
        assert!(
            !overlaps(a, Some(b), b, None),
            "left on the day the next one joins"
        );
        assert!(!overlaps(c, None, a, Some(b)));
    }
}
