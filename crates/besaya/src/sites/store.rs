//! Storage of estates, sites, their files and availability history. Every write
//! is audited and bumps `site_revision` in its transaction, so every instance's
//! in-memory catalogue ([`super::catalogue`]) reloads.

use besaya_domain::sites::availability::Availability;
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::{ValidEstate, ValidSite};
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, VersionConflict};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("another site has this reference")]
    DuplicateReference,
    #[error("another estate has this name")]
    DuplicateName,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("the record does not exist")]
    NotFound,
    #[error("the estate still holds {0} site(s)")]
    HasSites(i64),
    /// Proposals to investors are part of their projects' history: unpublish the site instead.
    #[error("the site was proposed to {0} investor project(s)")]
    Proposed(i64),
    #[error("a site cannot move from {from:?} to {to}")]
    Transition { from: Option<String>, to: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<BumpError> for WriteError {
    fn from(e: BumpError) -> Self {
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => Self::Db(e),
        }
    }
}

/// A value to bind, typed so both backends get the column's type even when null.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(Option<String>),
    Real(Option<f64>),
    Flag(Option<bool>),
}

impl Val {
    fn json(&self) -> Value {
        match self {
            Val::Text(v) => json!(v),
            Val::Real(v) => json!(v),
            Val::Flag(v) => json!(v),
        }
    }
}

fn t(s: &Option<String>) -> Val {
    Val::Text(s.clone())
}

/// The columns a site's validated fields are written to, with their values.
fn site_values(v: &ValidSite) -> Vec<(&'static str, Val)> {
    vec![
        ("reference", t(&v.reference)),
        ("name", Val::Text(Some(v.name.clone()))),
        ("kind", Val::Text(Some(v.kind.as_str().to_owned()))),
        ("estate_id", t(&v.estate_id)),
        ("published", Val::Flag(Some(v.published))),
        (
            "municipality_code",
            Val::Text(Some(v.municipality_code.clone())),
        ),
        ("address", t(&v.address)),
        ("lat", Val::Real(v.point.map(|p| p.lat))),
        ("lon", Val::Real(v.point.map(|p| p.lon))),
        ("outline", t(&v.outline)),
        (
            "cadastral_refs",
            Val::Text(Some(v.cadastral_refs.join(" "))),
        ),
        ("area_m2", Val::Real(v.area_m2)),
        ("net_area_m2", Val::Real(v.net_area_m2)),
        ("buildable_m2", Val::Real(v.buildable_m2)),
        (
            "permitted_uses",
            Val::Text(Some(v.permitted_uses.join(" "))),
        ),
        ("uses_text", t(&v.uses_text)),
        ("planning_status", t(&v.planning_status)),
        (
            "availability",
            Val::Text(v.availability.map(|a| a.as_str().to_owned())),
        ),
        ("available_from", t(&v.available_from)),
        ("sale_price_m2", Val::Real(v.sale_price_m2)),
        ("rent_m2_month", Val::Real(v.rent_m2_month)),
        ("rent_to_buy", Val::Flag(v.rent_to_buy)),
        ("power_kva", Val::Real(v.power_kva)),
        ("voltage_kv", Val::Real(v.voltage_kv)),
        ("substation_km", Val::Real(v.substation_km)),
        ("gas", Val::Flag(v.gas)),
        ("water_m3_day", Val::Real(v.water_m3_day)),
        ("sewerage", Val::Flag(v.sewerage)),
        ("fibre", Val::Flag(v.fibre)),
        ("rail_siding", Val::Flag(v.rail_siding)),
        ("motorway_km", Val::Real(v.motorway_km)),
        ("port_km", Val::Real(v.port_km)),
        ("airport_km", Val::Real(v.airport_km)),
        (
            "flood_risk",
            Val::Text(v.flood_risk.map(|x| x.as_str().to_owned())),
        ),
        (
            "environmental_status",
            Val::Text(v.environmental_status.map(|x| x.as_str().to_owned())),
        ),
        ("environmental_notes", t(&v.environmental_notes)),
        ("owner", t(&v.owner)),
        ("managing_body", t(&v.managing_body)),
        ("contact_name", t(&v.contact_name)),
        ("contact_email", t(&v.contact_email)),
        ("contact_phone", t(&v.contact_phone)),
        ("description", Val::Text(Some(v.description.clone()))),
        ("internal_notes", t(&v.internal_notes)),
        ("last_verified_on", t(&v.last_verified_on)),
    ]
}

fn estate_values(v: &ValidEstate) -> Vec<(&'static str, Val)> {
    vec![
        ("name", Val::Text(Some(v.name.clone()))),
        (
            "municipality_code",
            Val::Text(Some(v.municipality_code.clone())),
        ),
        ("managing_body", t(&v.managing_body)),
        ("status", Val::Text(Some(v.status.to_owned()))),
        ("outline", t(&v.outline)),
        ("lat", Val::Real(v.point.map(|p| p.lat))),
        ("lon", Val::Real(v.point.map(|p| p.lon))),
        ("description", Val::Text(Some(v.description.clone()))),
        ("website", t(&v.website)),
    ]
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: &[(&'static str, Val)],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for (_, v) in values {
        q = match v.clone() {
            Val::Text(x) => q.bind(x),
            Val::Real(x) => q.bind(db::OptF64(x)),
            Val::Flag(x) => q.bind(x.map(i64::from)),
        };
    }
    q
}

/// The placeholders of the values from parameter `$first` on.
fn exprs(values: &[(&'static str, Val)], first: usize) -> Vec<String> {
    (first..first + values.len())
        .map(|n| format!("${n}"))
        .collect()
}

/// The stored values of the given columns, typed like `values`, for the audit diff.
async fn stored(
    conn: &mut AnyConnection,
    table: &'static str,
    id: &str,
    like: &[(&'static str, Val)],
) -> Result<Option<Vec<(&'static str, Val)>>, sqlx::Error> {
    let cols: Vec<&str> = like.iter().map(|(c, _)| *c).collect();
    let row: Option<AnyRow> = sqlx::query(&format!(
        "SELECT {} FROM {table} WHERE id = $1",
        cols.join(", ")
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut out = Vec::with_capacity(like.len());
    for (i, (c, kind)) in like.iter().enumerate() {
        let v = match kind {
            Val::Text(_) => Val::Text(row.try_get::<Option<String>, _>(i)?),
            Val::Real(_) => Val::Real(row.try_get::<Option<f64>, _>(i)?),
            Val::Flag(_) => Val::Flag(row.try_get::<Option<i64>, _>(i)?.map(|x| x != 0)),
        };
        out.push((*c, v));
    }
    Ok(Some(out))
}

fn diff(before: Option<&[(&'static str, Val)]>, after: &[(&'static str, Val)]) -> Changes {
    let mut ch = Changes::new();
    for (i, (c, v)) in after.iter().enumerate() {
        let b = before
            .and_then(|b| b.get(i))
            .map_or(Value::Null, |(_, v)| v.json());
        ch = ch.field(c, b, v.json());
    }
    ch
}

/// Moves the catalogues of every instance to a new revision.
pub async fn bump_revision(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE site_revision SET value = value + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn revision(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM site_revision WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
}

fn unique_error(e: sqlx::Error, dup: WriteError) -> WriteError {
    if db::is_unique_violation(&e) {
        dup
    } else {
        WriteError::Db(e)
    }
}

/// What differs between the two kinds of record written here.
struct Kind {
    table: &'static str,
    entity: &'static str,
    versioned: Versioned,
    /// The error of a unique violation (the site's reference, the estate's name).
    duplicate: fn() -> WriteError,
}

const SITES: Kind = Kind {
    table: "sites",
    entity: "site",
    versioned: Versioned::Sites,
    duplicate: || WriteError::DuplicateReference,
};

const ESTATES: Kind = Kind {
    table: "estates",
    entity: "estate",
    versioned: Versioned::Estates,
    duplicate: || WriteError::DuplicateName,
};

/// Inserts a record of `kind` with its values; audited, revision bumped.
async fn insert_row(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    kind: &Kind,
    values: &[(&'static str, Val)],
) -> Result<String, WriteError> {
    let id = db::new_id();
    let now = db::now();
    let cols: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "INSERT INTO {} (id, created_at, updated_at, {}) VALUES ($1, $2, $3, {})",
        kind.table,
        cols.join(", "),
        exprs(values, 4).join(", ")
    );
    bind_all(sqlx::query(&sql).bind(&id).bind(&now).bind(&now), values)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_error(e, (kind.duplicate)()))?;
    Audit {
        actor,
        entity: kind.entity,
        entity_id: &id,
        action: "create",
        changes: diff(None, values),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(id)
}

/// Writes `values` over a record of `kind` at `version`; audited, revision bumped.
async fn update_row(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    kind: &Kind,
    id: &str,
    version: i64,
    values: &[(&'static str, Val)],
) -> Result<(), WriteError> {
    let before = stored(conn, kind.table, id, values).await?;
    bump_version(conn, kind.versioned, id, version).await?;
    let sets: Vec<String> = values
        .iter()
        .zip(exprs(values, 2))
        .map(|((c, _), e)| format!("{c} = {e}"))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = $1",
        kind.table,
        sets.join(", ")
    );
    bind_all(sqlx::query(&sql).bind(id), values)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_error(e, (kind.duplicate)()))?;
    Audit {
        actor,
        entity: kind.entity,
        entity_id: id,
        action: "update",
        changes: diff(before.as_deref(), values),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(())
}

/// The stored version and name of a record, checked against the one the caller read.
async fn check_version(
    conn: &mut AnyConnection,
    kind: &Kind,
    id: &str,
    version: Option<i64>,
) -> Result<String, WriteError> {
    let current: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT version, name FROM {} WHERE id = $1",
        kind.table
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((stored_version, name)) = current else {
        return Err(WriteError::NotFound);
    };
    if version.is_some_and(|v| v != stored_version) {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(stored_version),
        }));
    }
    Ok(name)
}

pub async fn insert_site(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    v: &ValidSite,
) -> Result<String, WriteError> {
    let id = insert_row(conn, actor, &SITES, &site_values(v)).await?;
    if let Some(a) = v.availability {
        let today = db::now();
        record_event(
            conn,
            actor,
            &id,
            None,
            a,
            &today[..10],
            v.available_from.as_deref(),
            None,
        )
        .await?;
    }
    Ok(id)
}

/// Writes a site's fields over the stored ones, when `version` is the stored one.
/// The availability is left as stored (it moves through [`transition`]).
pub async fn update_site(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: i64,
    v: &ValidSite,
) -> Result<(), WriteError> {
    let values: Vec<_> = site_values(v)
        .into_iter()
        .filter(|(c, _)| !matches!(*c, "availability" | "available_from"))
        .collect();
    update_row(conn, actor, &SITES, id, version, &values).await
}

#[allow(clippy::too_many_arguments)]
async fn record_event(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    site_id: &str,
    from: Option<Availability>,
    to: Availability,
    effective_on: &str,
    available_from: Option<&str>,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO site_availability_events \
         (id, site_id, from_state, to_state, effective_on, available_from, note, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(db::new_id())
    .bind(site_id)
    .bind(from.map(|f| f.as_str()))
    .bind(to.as_str())
    .bind(effective_on)
    .bind(available_from)
    .bind(note)
    .bind(actor)
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A move between availability states.
pub struct Move<'a> {
    pub to: Availability,
    /// The day the move takes effect (`YYYY-MM-DD`).
    pub effective_on: &'a str,
    /// When the site becomes (or becomes again) available, if known.
    pub available_from: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Moves a site to another availability state, when the rule allows it.
pub async fn transition(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: i64,
    m: &Move<'_>,
) -> Result<(), WriteError> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT availability, available_from FROM sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((from_raw, from_date)) = row else {
        return Err(WriteError::NotFound);
    };
    let from = from_raw.as_deref().and_then(Availability::parse);
    if !besaya_domain::sites::availability::can_move(from, m.to) {
        return Err(WriteError::Transition {
            from: from_raw,
            to: m.to.as_str().to_owned(),
        });
    }
    bump_version(conn, Versioned::Sites, id, version).await?;
    sqlx::query("UPDATE sites SET availability = $1, available_from = $2 WHERE id = $3")
        .bind(m.to.as_str())
        .bind(m.available_from)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record_event(
        conn,
        actor,
        id,
        from,
        m.to,
        m.effective_on,
        m.available_from,
        m.note,
    )
    .await?;
    Audit {
        actor,
        entity: "site",
        entity_id: id,
        action: "transition",
        changes: Changes::new()
            .field("availability", json!(from_raw), json!(m.to.as_str()))
            .field("available_from", json!(from_date), json!(m.available_from))
            .field("effective_on", Value::Null, json!(m.effective_on)),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(())
}

/// One move of a site's availability, as its history shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AvailabilityEvent {
    pub from_state: Option<String>,
    pub to_state: String,
    pub effective_on: String,
    pub available_from: Option<String>,
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: String,
}

pub async fn events(
    conn: &mut AnyConnection,
    site_id: &str,
) -> Result<Vec<AvailabilityEvent>, sqlx::Error> {
    let rows: Vec<AnyRow> = sqlx::query(
        "SELECT e.from_state, e.to_state, e.effective_on, e.available_from, e.note, u.name, e.at \
         FROM site_availability_events e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.site_id = $1 ORDER BY e.at DESC, e.id DESC",
    )
    .bind(site_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AvailabilityEvent {
                from_state: r.try_get(0)?,
                to_state: r.try_get(1)?,
                effective_on: r.try_get(2)?,
                available_from: r.try_get(3)?,
                note: r.try_get(4)?,
                by: r.try_get(5)?,
                at: r.try_get(6)?,
            })
        })
        .collect()
}

/// Deletes a site, its files and history.
pub async fn delete_site(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: Option<i64>,
) -> Result<(), WriteError> {
    let name = check_version(conn, &SITES, id, version).await?;
    let proposed: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT project_id) FROM site_proposals WHERE site_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if proposed > 0 {
        return Err(WriteError::Proposed(proposed));
    }
    let files: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT file_id, thumb_id FROM site_files WHERE site_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM site_files WHERE site_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (f, th) in files {
        crate::files::delete(conn, &f).await?;
        if let Some(th) = th {
            crate::files::delete(conn, &th).await?;
        }
    }
    sqlx::query("DELETE FROM sites WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor,
        entity: "site",
        entity_id: id,
        action: "delete",
        changes: Changes::new().field("name", json!(name), Value::Null),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(())
}

pub async fn insert_estate(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    v: &ValidEstate,
) -> Result<String, WriteError> {
    insert_row(conn, actor, &ESTATES, &estate_values(v)).await
}

pub async fn update_estate(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: i64,
    v: &ValidEstate,
) -> Result<(), WriteError> {
    update_row(conn, actor, &ESTATES, id, version, &estate_values(v)).await
}

/// Deletes an estate that holds no site.
pub async fn delete_estate(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: Option<i64>,
) -> Result<(), WriteError> {
    let name = check_version(conn, &ESTATES, id, version).await?;
    let sites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites WHERE estate_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if sites > 0 {
        return Err(WriteError::HasSites(sites));
    }
    sqlx::query("DELETE FROM estates WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor,
        entity: "estate",
        entity_id: id,
        action: "delete",
        changes: Changes::new().field("name", json!(name), Value::Null),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(())
}

/// A photo or document to attach.
pub struct NewFile<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    /// For photos: the thumbnail (JPEG) and the dimensions of `data`.
    pub thumb: Option<&'a [u8]>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

pub async fn add_file(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    site_id: &str,
    f: &NewFile<'_>,
) -> Result<String, WriteError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(WriteError::NotFound);
    }
    let file_id = crate::files::put(conn, f.content_type, f.data).await?;
    let thumb_id = match f.thumb {
        Some(t) => Some(crate::files::put(conn, "image/jpeg", t).await?),
        None => None,
    };
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM site_files WHERE site_id = $1 AND kind = $2",
    )
    .bind(site_id)
    .bind(f.kind)
    .fetch_one(&mut *conn)
    .await?;
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO site_files (id, site_id, kind, title, file_id, thumb_id, width, height, size, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(site_id)
    .bind(f.kind)
    .bind(f.title)
    .bind(&file_id)
    .bind(&thumb_id)
    .bind(f.width)
    .bind(f.height)
    .bind(f.data.len() as i64)
    .bind(position)
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    Audit {
        actor,
        entity: "site",
        entity_id: site_id,
        action: "attach",
        changes: Changes::new().created(f.kind, json!(f.title)),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(id)
}

pub async fn remove_file(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    site_id: &str,
    id: &str,
) -> Result<(), WriteError> {
    let row: Option<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT file_id, thumb_id, title, kind FROM site_files WHERE id = $1 AND site_id = $2",
    )
    .bind(id)
    .bind(site_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((file_id, thumb_id, title, kind)) = row else {
        return Err(WriteError::NotFound);
    };
    sqlx::query("DELETE FROM site_files WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    crate::files::delete(conn, &file_id).await?;
    if let Some(t) = thumb_id {
        crate::files::delete(conn, &t).await?;
    }
    Audit {
        actor,
        entity: "site",
        entity_id: site_id,
        action: "detach",
        changes: Changes::new().field(&kind, json!(title), Value::Null),
    }
    .record(conn)
    .await?;
    bump_revision(conn).await?;
    Ok(())
}
