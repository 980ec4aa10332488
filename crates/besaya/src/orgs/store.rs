//! Storage of organisations: reads, the writes every entry path shares (each
//! audited, each appending to the change feed), bulk insert for imports, and
//! the merge of two records.

use std::collections::HashMap;

use besaya_domain::directory::{Certification, SizeBand};
use serde_json::Value;
use sqlx::{AnyConnection, Executor};

use super::model::{CertificationDto, Organization, ValidOrg};
use crate::db::versioned::{BumpError, Versioned};
use crate::db::{self, Audit, Changes, Flag, Sql, VersionConflict};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("an organisation with this tax id already exists")]
    DuplicateTaxId { existing_id: String },
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("the organisation does not exist")]
    NotFound,
    #[error("the organisation still has {0} user(s); merge it or move them first")]
    HasUsers(i64),
    /// Investor projects of the Office name it: their history keeps it.
    #[error("the organisation is the investor of {0} project(s); merge it instead")]
    HasProjects(i64),
    /// Procedures of the Office are assigned to it: their clocks and history keep it.
    #[error("the organisation is responsible for {0} procedure(s); merge it instead")]
    HasProcedures(i64),
    /// Needs of the Pact are owned by it, routed to it or answered by it.
    #[error("the organisation has {0} need(s) or answer(s) of the Pact; merge it instead")]
    HasNeeds(i64),
    #[error("an organisation cannot be merged into itself")]
    SameRecord,
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

const COLUMNS: &str = "id, name, trade_name, kind, tax_id, cnae_version, municipality_code, \
    address, lat, lon, employees, size_band, description, capabilities, website, email, phone, \
    pact_member, dir3_code, version, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    trade_name: Option<String>,
    kind: String,
    tax_id: String,
    cnae_version: String,
    municipality_code: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    employees: Option<i64>,
    size_band: Option<String>,
    description: String,
    capabilities: String,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    #[sqlx(try_from = "i64")]
    pact_member: Flag,
    dir3_code: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl Row {
    fn into_org(self) -> Organization {
        Organization {
            id: self.id,
            name: self.name,
            trade_name: self.trade_name,
            kind: self.kind,
            tax_id: self.tax_id,
            cnae_version: self.cnae_version,
            cnae_codes: Vec::new(),
            municipality_code: self.municipality_code,
            address: self.address,
            lat: self.lat,
            lon: self.lon,
            employees: self.employees,
            size_band: self.size_band,
            description: self.description,
            capabilities: self.capabilities,
            certifications: Vec::new(),
            website: self.website,
            email: self.email,
            phone: self.phone,
            pact_member: self.pact_member.0,
            dir3_code: self.dir3_code,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    organization_id: String,
    code: String,
}

#[derive(sqlx::FromRow)]
struct CertRow {
    organization_id: String,
    name: String,
    number: Option<String>,
    issuer: Option<String>,
    expires_on: Option<String>,
}

/// `id IN ($1, …)` over a list of ids.
fn in_list(sql: &mut Sql, column: &str, ids: &[String]) {
    sql.push(column).push(" IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(id.clone());
    }
    sql.push(")");
}

/// The organisations with these ids, in the order given (missing ones left out).
pub async fn get_many(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<Organization>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Organization> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM organizations WHERE "));
        in_list(&mut sql, "id", chunk);
        let (text, args) = sql.build()?;
        let rows: Vec<Row> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        let mut orgs: HashMap<String, Organization> = rows
            .into_iter()
            .map(|r| (r.id.clone(), r.into_org()))
            .collect();

        let mut sql = Sql::new("SELECT organization_id, code FROM organization_activities WHERE ");
        in_list(&mut sql, "organization_id", chunk);
        sql.push(" ORDER BY organization_id, position");
        let (text, args) = sql.build()?;
        let acts: Vec<ActivityRow> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        for a in acts {
            if let Some(o) = orgs.get_mut(&a.organization_id) {
                o.cnae_codes.push(a.code);
            }
        }
        let mut sql = Sql::new(
            "SELECT organization_id, name, number, issuer, expires_on FROM organization_certifications WHERE ",
        );
        in_list(&mut sql, "organization_id", chunk);
        sql.push(" ORDER BY organization_id, position");
        let (text, args) = sql.build()?;
        let certs: Vec<CertRow> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        for c in certs {
            if let Some(o) = orgs.get_mut(&c.organization_id) {
                o.certifications.push(CertificationDto {
                    name: c.name,
                    number: c.number,
                    issuer: c.issuer,
                    expires_on: c.expires_on,
                });
            }
        }
        out.extend(chunk.iter().filter_map(|id| orgs.remove(id)));
    }
    Ok(out)
}

/// Every organisation with its activities and certifications, in three queries.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Organization>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM organizations"))
        .fetch_all(&mut *conn)
        .await?;
    let mut orgs: Vec<Organization> = rows.into_iter().map(Row::into_org).collect();
    let index: HashMap<String, usize> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), i))
        .collect();
    let acts: Vec<ActivityRow> = sqlx::query_as(
        "SELECT organization_id, code FROM organization_activities ORDER BY organization_id, position",
    )
    .fetch_all(&mut *conn)
    .await?;
    for a in acts {
        if let Some(i) = index.get(&a.organization_id) {
            orgs[*i].cnae_codes.push(a.code);
        }
    }
    let certs: Vec<CertRow> = sqlx::query_as(
        "SELECT organization_id, name, number, issuer, expires_on FROM organization_certifications \
         ORDER BY organization_id, position",
    )
    .fetch_all(&mut *conn)
    .await?;
    for c in certs {
        if let Some(i) = index.get(&c.organization_id) {
            orgs[*i].certifications.push(CertificationDto {
                name: c.name,
                number: c.number,
                issuer: c.issuer,
                expires_on: c.expires_on,
            });
        }
    }
    Ok(orgs)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Organization>, sqlx::Error> {
    Ok(get_many(conn, &[id.to_owned()]).await?.pop())
}

/// The id of the organisation holding this tax id.
pub async fn id_by_tax_id<'e, E>(exec: E, tax_id: &str) -> Result<Option<String>, sqlx::Error>
where
    E: Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT id FROM organizations WHERE tax_id = $1")
        .bind(tax_id)
        .fetch_optional(exec)
        .await
}

/// Appends the ids to the change feed the search indexes follow.
pub async fn record_changes(conn: &mut AnyConnection, ids: &[String]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("INSERT INTO organization_changes (organization_id) VALUES ");
        for (i, id) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(id.clone())
                .push(")");
        }
        let (text, args) = sql.build()?;
        sqlx::query_with(&text, args).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The record as the audit log keeps it: every field but the bookkeeping ones.
fn snapshot(o: &Organization) -> serde_json::Map<String, Value> {
    let mut v = match serde_json::to_value(o) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    for k in ["id", "version", "created_at", "updated_at"] {
        v.remove(k);
    }
    v
}

fn diff(before: Option<&Organization>, after: &Organization) -> Changes {
    let a = snapshot(after);
    let b = before.map(snapshot).unwrap_or_default();
    let mut changes = Changes::new();
    for (k, v) in &a {
        changes = changes.field(k, b.get(k).cloned().unwrap_or(Value::Null), v.clone());
    }
    changes
}

/// The stored form of a valid record (for diffs and audits).
fn as_record(id: &str, v: &ValidOrg, version: i64, at: &str) -> Organization {
    Organization {
        id: id.to_owned(),
        name: v.name.clone(),
        trade_name: v.trade_name.clone(),
        kind: v.kind.to_owned(),
        tax_id: v.tax_id.as_str().to_owned(),
        cnae_version: v.cnae_version.to_owned(),
        cnae_codes: v.cnae_codes.clone(),
        municipality_code: v.municipality_code.clone(),
        address: v.address.clone(),
        lat: v.lat,
        lon: v.lon,
        employees: v.employees,
        size_band: v.size_band.map(|b| b.as_str().to_owned()),
        description: v.description.clone(),
        capabilities: v.capabilities.clone(),
        certifications: v
            .certifications
            .iter()
            .map(CertificationDto::from)
            .collect(),
        website: v.website.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        pact_member: v.pact_member,
        dir3_code: v.dir3_code.clone(),
        version,
        created_at: at.to_owned(),
        updated_at: at.to_owned(),
    }
}

async fn write_children(
    conn: &mut AnyConnection,
    batch: &[(&str, &ValidOrg)],
) -> Result<(), sqlx::Error> {
    let acts: Vec<(&str, usize, &str, &str)> = batch
        .iter()
        .flat_map(|(id, v)| {
            v.cnae_codes
                .iter()
                .enumerate()
                .map(move |(i, c)| (*id, i, v.cnae_version, c.as_str()))
        })
        .collect();
    // Rows per statement: about a thousand parameters. SQLite finds a `$n`
    // parameter's name by a linear scan, so binding a statement costs the square
    // of its parameters: 50 rows of 22 were 3 times faster than 500 (perf showed
    // sqlite3VListNumToName on top).
    for chunk in acts.chunks(200) {
        let mut sql = Sql::new(
            "INSERT INTO organization_activities (organization_id, position, version, code) VALUES ",
        );
        for (i, (id, pos, version, code)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind((*id).to_owned())
                .push(", ")
                .bind(*pos as i64)
                .push(", ")
                .bind(*version)
                .push(", ")
                .bind((*code).to_owned())
                .push(")");
        }
        let (text, args) = sql.build()?;
        sqlx::query_with(&text, args).execute(&mut *conn).await?;
    }
    let certs: Vec<(&str, usize, &Certification)> = batch
        .iter()
        .flat_map(|(id, v)| {
            v.certifications
                .iter()
                .enumerate()
                .map(move |(i, c)| (*id, i, c))
        })
        .collect();
    for chunk in certs.chunks(120) {
        let mut sql = Sql::new(
            "INSERT INTO organization_certifications (organization_id, position, name, number, issuer, expires_on) VALUES ",
        );
        for (i, (id, pos, c)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind((*id).to_owned())
                .push(", ")
                .bind(*pos as i64)
                .push(", ")
                .bind(c.name.clone())
                .push(", ")
                .bind(c.number.clone())
                .push(", ")
                .bind(c.issuer.clone())
                .push(", ")
                .bind(c.expires_on.map(besaya_domain::directory::format_date))
                .push(")");
        }
        let (text, args) = sql.build()?;
        sqlx::query_with(&text, args).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn delete_children(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM organization_activities WHERE organization_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM organization_certifications WHERE organization_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts many new organisations in the caller's transaction, with their audit
/// entries and change-feed entries. A tax id already stored fails the whole
/// batch with [`WriteError::DuplicateTaxId`] (callers check first). Returns the ids.
pub async fn insert_many(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    orgs: &[ValidOrg],
) -> Result<Vec<String>, WriteError> {
    let mut all_ids = Vec::with_capacity(orgs.len());
    for chunk in orgs.chunks(50) {
        let now = db::now();
        let ids: Vec<String> = chunk.iter().map(|_| db::new_id()).collect();
        let mut sql = Sql::new(
            "INSERT INTO organizations (id, name, trade_name, kind, tax_id, cnae_version, \
             municipality_code, address, lat, lon, employees, size_band, description, capabilities, \
             website, email, phone, pact_member, dir3_code, version, created_at, updated_at) VALUES ",
        );
        for (i, (v, id)) in chunk.iter().zip(&ids).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(id.clone())
                .push(", ")
                .bind(v.name.clone())
                .push(", ")
                .bind(v.trade_name.clone())
                .push(", ")
                .bind(v.kind)
                .push(", ")
                .bind(v.tax_id.as_str().to_owned())
                .push(", ")
                .bind(v.cnae_version)
                .push(", ")
                .bind(v.municipality_code.clone())
                .push(", ")
                .bind(v.address.clone())
                .push(", ")
                .bind(db::OptF64(v.lat))
                .push(", ")
                .bind(db::OptF64(v.lon))
                .push(", ")
                .bind(v.employees)
                .push(", ")
                .bind(v.size_band.map(SizeBand::as_str))
                .push(", ")
                .bind(v.description.clone())
                .push(", ")
                .bind(v.capabilities.clone())
                .push(", ")
                .bind(v.website.clone())
                .push(", ")
                .bind(v.email.clone())
                .push(", ")
                .bind(v.phone.clone())
                .push(", ")
                .bind(i64::from(v.pact_member))
                .push(", ")
                .bind(v.dir3_code.clone())
                .push(", 1, ")
                .bind(now.clone())
                .push(", ")
                .bind(now.clone())
                .push(")");
        }
        let (text, args) = sql.build()?;
        if let Err(e) = sqlx::query_with(&text, args).execute(&mut *conn).await {
            if db::is_unique_violation(&e) {
                for v in chunk {
                    if let Some(existing_id) = id_by_tax_id(&mut *conn, v.tax_id.as_str()).await? {
                        return Err(WriteError::DuplicateTaxId { existing_id });
                    }
                }
            }
            return Err(e.into());
        }
        let batch: Vec<(&str, &ValidOrg)> =
            ids.iter().map(String::as_str).zip(chunk.iter()).collect();
        write_children(conn, &batch).await?;
        // One audit entry per record, written in bulk.
        let mut sql = Sql::new(
            "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, changes) VALUES ",
        );
        for (i, (id, v)) in batch.iter().enumerate() {
            let changes = diff(None, &as_record(id, v, 1, &now));
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(now.clone())
                .push(", ")
                .bind(actor.map(str::to_owned))
                .push(", 'organization', ")
                .bind((*id).to_owned())
                .push(", 'create', ")
                .bind(changes.to_json())
                .push(")");
        }
        let (text, args) = sql.build()?;
        sqlx::query_with(&text, args).execute(&mut *conn).await?;
        record_changes(conn, &ids).await?;
        all_ids.extend(ids);
    }
    Ok(all_ids)
}

pub async fn insert(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    v: &ValidOrg,
) -> Result<String, WriteError> {
    if let Some(existing_id) = id_by_tax_id(&mut *conn, v.tax_id.as_str()).await? {
        return Err(WriteError::DuplicateTaxId { existing_id });
    }
    let mut ids = insert_many(conn, actor, std::slice::from_ref(v)).await?;
    ids.pop().ok_or(WriteError::NotFound)
}

/// Replaces every field of the record `id` at version `expected`. Returns the
/// record as stored now.
pub async fn update(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    expected: i64,
    v: &ValidOrg,
) -> Result<Organization, WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    if let Some(existing_id) = id_by_tax_id(&mut *conn, v.tax_id.as_str()).await?
        && existing_id != id
    {
        return Err(WriteError::DuplicateTaxId { existing_id });
    }
    let version = db::bump_version(&mut *conn, Versioned::Organizations, id, expected).await?;
    sqlx::query(
        "UPDATE organizations SET name = $1, trade_name = $2, kind = $3, tax_id = $4, \
         cnae_version = $5, municipality_code = $6, address = $7, lat = $8, lon = $9, \
         employees = $10, size_band = $11, description = $12, capabilities = $13, website = $14, \
         email = $15, phone = $16, pact_member = $17, dir3_code = $18 WHERE id = $19",
    )
    .bind(v.name.clone())
    .bind(v.trade_name.clone())
    .bind(v.kind)
    .bind(v.tax_id.as_str().to_owned())
    .bind(v.cnae_version)
    .bind(v.municipality_code.clone())
    .bind(v.address.clone())
    .bind(db::OptF64(v.lat))
    .bind(db::OptF64(v.lon))
    .bind(v.employees)
    .bind(v.size_band.map(SizeBand::as_str))
    .bind(v.description.clone())
    .bind(v.capabilities.clone())
    .bind(v.website.clone())
    .bind(v.email.clone())
    .bind(v.phone.clone())
    .bind(i64::from(v.pact_member))
    .bind(v.dir3_code.clone())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    delete_children(conn, id).await?;
    write_children(conn, &[(id, v)]).await?;
    let after = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    debug_assert_eq!(after.version, version);
    Audit {
        actor,
        entity: "organization",
        entity_id: id,
        action: "update",
        changes: diff(Some(&before), &after),
    }
    .record(conn)
    .await?;
    record_changes(conn, &[id.to_owned()]).await?;
    Ok(after)
}

/// Deletes a record that no user belongs to. `expected`, when given, must be
/// the stored version.
pub async fn delete(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    expected: Option<i64>,
) -> Result<(), WriteError> {
    let before = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    if let Some(e) = expected
        && e != before.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let users: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM user_organizations WHERE organization_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if users > 0 {
        return Err(WriteError::HasUsers(users));
    }
    let projects: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE investor_org_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if projects > 0 {
        return Err(WriteError::HasProjects(projects));
    }
    let procedures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM procedures WHERE administration_org_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if procedures > 0 {
        return Err(WriteError::HasProcedures(procedures));
    }
    let needs: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM needs WHERE owner_org_id = $1 OR routed_org_id = $1) \
         + (SELECT COUNT(*) FROM need_answers WHERE organization_id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if needs > 0 {
        return Err(WriteError::HasNeeds(needs));
    }
    // The catalogue only proposed it: its entries go back to "choose when adding".
    sqlx::query(
        "UPDATE procedure_templates SET administration_org_id = NULL WHERE administration_org_id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let mut changes = Changes::new();
    for (k, v) in snapshot(&before) {
        changes = changes.field(&k, v, Value::Null);
    }
    Audit {
        actor,
        entity: "organization",
        entity_id: id,
        action: "delete",
        changes,
    }
    .record(conn)
    .await?;
    record_changes(conn, &[id.to_owned()]).await?;
    Ok(())
}

/// Merges `loser` into `survivor`: every reference to the loser moves to the
/// survivor, the survivor's blank fields take the loser's values, activities
/// and certifications are united, and the loser is deleted. Audited on both.
pub async fn merge(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    survivor_id: &str,
    loser_id: &str,
    expected_survivor: i64,
) -> Result<Organization, WriteError> {
    if survivor_id == loser_id {
        return Err(WriteError::SameRecord);
    }
    let survivor = get(&mut *conn, survivor_id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let loser = get(&mut *conn, loser_id)
        .await?
        .ok_or(WriteError::NotFound)?;
    // References: users of the loser become users of the survivor.
    sqlx::query(
        "INSERT INTO user_organizations (user_id, organization_id) \
         SELECT user_id, $1 FROM user_organizations WHERE organization_id = $2 \
         AND user_id NOT IN (SELECT user_id FROM user_organizations WHERE organization_id = $1)",
    )
    .bind(survivor_id)
    .bind(loser_id)
    .execute(&mut *conn)
    .await?;
    let moved_users: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM user_organizations WHERE organization_id = $1")
            .bind(loser_id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM user_organizations WHERE organization_id = $1")
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    // The loser's investor projects follow it into the survivor.
    sqlx::query("UPDATE projects SET investor_org_id = $1 WHERE investor_org_id = $2")
        .bind(survivor_id)
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    // So do the procedures it decides and the catalogue entries that propose it.
    for table in ["procedures", "procedure_templates"] {
        sqlx::query(&format!(
            "UPDATE {table} SET administration_org_id = $1 WHERE administration_org_id = $2"
        ))
        .bind(survivor_id)
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    }
    // The Pact's needs and answers follow it too; an answer of the loser to a
    // need the survivor also answers is dropped (the survivor's stays).
    for (table, column) in [("needs", "owner_org_id"), ("needs", "routed_org_id")] {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
        ))
        .bind(survivor_id)
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE need_answers SET organization_id = $1 WHERE organization_id = $2 \
         AND need_id NOT IN (SELECT need_id FROM need_answers WHERE organization_id = $1)",
    )
    .bind(survivor_id)
    .bind(loser_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM need_answers WHERE organization_id = $1")
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    // The survivor's record, completed with what only the loser knew.
    let mut merged = survivor.clone();
    fill(&mut merged.trade_name, &loser.trade_name);
    fill(&mut merged.municipality_code, &loser.municipality_code);
    fill(&mut merged.address, &loser.address);
    if merged.lat.is_none() {
        merged.lat = loser.lat;
        merged.lon = loser.lon;
    }
    if merged.employees.is_none() {
        merged.employees = loser.employees;
        merged.size_band = merged.size_band.or(loser.size_band.clone());
    }
    fill(&mut merged.website, &loser.website);
    fill(&mut merged.email, &loser.email);
    fill(&mut merged.phone, &loser.phone);
    fill(&mut merged.dir3_code, &loser.dir3_code);
    if merged.description.is_empty() {
        merged.description = loser.description.clone();
    }
    if merged.capabilities.is_empty() {
        merged.capabilities = loser.capabilities.clone();
    }
    merged.pact_member |= loser.pact_member;
    if merged.cnae_version == loser.cnae_version {
        for c in &loser.cnae_codes {
            if !merged.cnae_codes.contains(c) && merged.cnae_codes.len() < 10 {
                merged.cnae_codes.push(c.clone());
            }
        }
    }
    for c in &loser.certifications {
        if !merged.certifications.iter().any(|m| m.name == c.name) {
            merged.certifications.push(c.clone());
        }
    }
    // Delete the loser first: its tax id is unique.
    sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(loser_id)
        .execute(&mut *conn)
        .await?;
    let valid = stored_as_valid(&merged)?;
    let after = update(conn, actor, survivor_id, expected_survivor, &valid).await?;
    let mut loser_changes = Changes::new().field("merged_into", Value::Null, survivor_id);
    for (k, v) in snapshot(&loser) {
        loser_changes = loser_changes.field(&k, v, Value::Null);
    }
    Audit {
        actor,
        entity: "organization",
        entity_id: loser_id,
        action: "merge",
        changes: loser_changes.field("users_moved", 0, moved_users),
    }
    .record(conn)
    .await?;
    // And on the survivor, whose history is the one people open.
    Audit {
        actor,
        entity: "organization",
        entity_id: survivor_id,
        action: "merge",
        changes: Changes::new()
            .created("merged_from", loser_id)
            .created("merged_name", loser.name.clone())
            .created("merged_tax_id", loser.tax_id.clone())
            .field("users_moved", 0, moved_users),
    }
    .record(conn)
    .await?;
    record_changes(conn, &[loser_id.to_owned()]).await?;
    Ok(after)
}

fn fill(target: &mut Option<String>, from: &Option<String>) {
    if target.is_none() {
        target.clone_from(from);
    }
}

/// A stored record back in its valid form (stored records were validated on the
/// way in; a value that no longer parses is dropped rather than invented).
fn stored_as_valid(o: &Organization) -> Result<ValidOrg, WriteError> {
    let kind = super::KINDS
        .iter()
        .copied()
        .find(|k| *k == o.kind)
        .unwrap_or("other");
    let tax_id = besaya_domain::directory::TaxId::parse(&o.tax_id)
        .unwrap_or(besaya_domain::directory::TaxId::Foreign(o.tax_id.clone()));
    Ok(ValidOrg {
        name: o.name.clone(),
        trade_name: o.trade_name.clone(),
        kind,
        tax_id,
        cnae_version: crate::reference::catalog::cnae_version(&o.cnae_version).unwrap_or("2025"),
        cnae_codes: o.cnae_codes.clone(),
        municipality_code: o.municipality_code.clone(),
        address: o.address.clone(),
        lat: o.lat,
        lon: o.lon,
        employees: o.employees,
        size_band: o.size_band.as_deref().and_then(SizeBand::parse),
        description: o.description.clone(),
        capabilities: o.capabilities.clone(),
        certifications: o.certifications(),
        website: o.website.clone(),
        email: o.email.clone(),
        phone: o.phone.clone(),
        pact_member: o.pact_member,
        dir3_code: o.dir3_code.clone(),
    })
}
