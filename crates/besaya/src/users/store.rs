//! Storage of users.

use besaya_domain::{Email, Role};
use sqlx::{AnyConnection, AnyPool};

use crate::auth::User;
use crate::db::{self, Audit, Changes, Sql};
use crate::i18n::Lang;

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    email: String,
    name: String,
    role: String,
    lang: String,
    version: i64,
}

impl Row {
    fn into_user(self, organization_ids: Vec<String>) -> User {
        User {
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role).unwrap_or(Role::Company),
            lang: Lang::from_code(&self.lang).unwrap_or_default(),
            version: self.version,
            organization_ids,
        }
    }
}

const COLUMNS: &str = "id, email, name, role, lang, version";

async fn orgs_of(pool: &AnyPool, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT organization_id FROM user_organizations WHERE user_id = $1 ORDER BY organization_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// An active user by id.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<User>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1 AND active = 1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(r) => {
            let orgs = orgs_of(pool, &r.id).await?;
            Ok(Some(r.into_user(orgs)))
        }
        None => Ok(None),
    }
}

/// A user as the administrator sees it (active or not).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub name: String,
    #[schema(value_type = String, example = "staff")]
    pub role: Role,
    /// `es` or `en`: the language of the interface and of e-mails.
    pub lang: String,
    pub active: bool,
    /// Whether the user has set a password (an invited user has not yet).
    pub has_password: bool,
    pub organization_ids: Vec<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    email: String,
    name: String,
    role: String,
    lang: String,
    active: i64,
    has_password: i64,
    version: i64,
    created_at: String,
    updated_at: String,
}

const RECORD_COLUMNS: &str = "id, email, name, role, lang, active, \
    CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, version, created_at, updated_at";

impl RecordRow {
    fn into_record(self, organization_ids: Vec<String>) -> UserRecord {
        UserRecord {
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role).unwrap_or(Role::Company),
            lang: self.lang,
            active: self.active != 0,
            has_password: self.has_password != 0,
            organization_ids,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

pub async fn record(pool: &AnyPool, id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    let row: Option<RecordRow> =
        sqlx::query_as(&format!("SELECT {RECORD_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?;
    match row {
        Some(r) => {
            let orgs = orgs_of(pool, &r.id).await?;
            Ok(Some(r.into_record(orgs)))
        }
        None => Ok(None),
    }
}

/// Filters of the users list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// The email_norm of the last user of the previous page.
    pub after: Option<String>,
    pub limit: i64,
}

/// Users in e-mail order; returns one more than `limit` when another page follows.
pub async fn list(pool: &AnyPool, f: &Filter) -> Result<Vec<UserRecord>, sqlx::Error> {
    let mut sql = Sql::new(&format!("SELECT {RECORD_COLUMNS} FROM users WHERE 1 = 1"));
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", db::like_escape(&q.to_lowercase()));
        sql.push(" AND (email_norm LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(name) LIKE ")
            .bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some(role) = f.role {
        sql.push(" AND role = ").bind(role.as_str());
    }
    if let Some(active) = f.active {
        sql.push(" AND active = ").bind(i64::from(active));
    }
    if let Some(after) = &f.after {
        sql.push(" AND email_norm > ").bind(after.clone());
    }
    sql.push(" ORDER BY email_norm LIMIT ").bind(f.limit + 1);
    let (text, args) = sql.build()?;
    let rows: Vec<RecordRow> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // The organisations of the whole page in one query, not one per user.
    let mut sql =
        Sql::new("SELECT user_id, organization_id FROM user_organizations WHERE user_id IN (");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(r.id.clone());
    }
    sql.push(") ORDER BY organization_id");
    let (text, args) = sql.build()?;
    let links: Vec<(String, String)> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let orgs = links
                .iter()
                .filter(|(u, _)| *u == r.id)
                .map(|(_, o)| o.clone())
                .collect();
            r.into_record(orgs)
        })
        .collect())
}

/// The id, stored hash and active flag of a user by e-mail, for login.
pub async fn credentials(
    pool: &AnyPool,
    email: &Email,
) -> Result<Option<(String, Option<String>, bool)>, sqlx::Error> {
    let row: Option<(String, Option<String>, i64)> =
        sqlx::query_as("SELECT id, password_hash, active FROM users WHERE email_norm = $1")
            .bind(email.normalized())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, h, a)| (id, h, a != 0)))
}

pub async fn password_hash(pool: &AnyPool, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT password_hash FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// A new user, validated.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub lang: Lang,
    pub organization_ids: Vec<String>,
    pub password_hash: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("a user with this e-mail address already exists")]
    DuplicateEmail,
    #[error("unknown organisation {0}")]
    UnknownOrganization(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Inserts a user with its organisations and the audit entry, in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    u: &NewUser,
) -> Result<String, CreateError> {
    let id = db::new_id();
    let now = db::now();
    let res = sqlx::query(
        "INSERT INTO users (id, email, email_norm, name, role, lang, password_hash, active, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, $8, $9)",
    )
    .bind(&id)
    .bind(u.email.as_str())
    .bind(u.email.normalized())
    .bind(&u.name)
    .bind(u.role.as_str())
    .bind(u.lang.code())
    .bind(u.password_hash.clone())
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await;
    match res {
        Err(e) if db::is_unique_violation(&e) => return Err(CreateError::DuplicateEmail),
        other => {
            other?;
        }
    }
    set_organizations(conn, &id, &u.organization_ids).await?;
    Audit {
        actor,
        entity: "user",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("email", u.email.as_str())
            .created("name", u.name.clone())
            .created("role", u.role.as_str())
            .created("lang", u.lang.code())
            .created("organization_ids", u.organization_ids.clone()),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// Replaces a user's organisations; every id must exist.
pub async fn set_organizations(
    conn: &mut AnyConnection,
    user_id: &str,
    org_ids: &[String],
) -> Result<(), CreateError> {
    sqlx::query("DELETE FROM user_organizations WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for org in org_ids {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            return Err(CreateError::UnknownOrganization(org.clone()));
        }
        sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(org)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Stores a new password hash (audited without the hash).
pub async fn set_password(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    user_id: &str,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(db::now())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor,
        entity: "user",
        entity_id: user_id,
        action: "set_password",
        changes: Changes::new(),
    }
    .record(conn)
    .await
}

/// A change to a user; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct Change {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub lang: Option<Lang>,
    pub active: Option<bool>,
    pub organization_ids: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Conflict(db::VersionConflict),
    #[error(transparent)]
    Create(#[from] CreateError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<db::versioned::BumpError> for UpdateError {
    fn from(e: db::versioned::BumpError) -> Self {
        match e {
            db::versioned::BumpError::Conflict(c) => UpdateError::Conflict(c),
            db::versioned::BumpError::Db(e) => UpdateError::Db(e),
        }
    }
}

/// Applies a change if the record is still at `version`; audits what changed.
/// Deactivating a user ends their sessions.
pub async fn update(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
    version: i64,
    change: &Change,
) -> Result<i64, UpdateError> {
    let before: Option<RecordRow> =
        sqlx::query_as(&format!("SELECT {RECORD_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(before) = before else {
        return Err(UpdateError::Conflict(db::VersionConflict { current: None }));
    };
    let new_version = db::bump_version(conn, db::versioned::Versioned::Users, id, version).await?;
    let before_orgs: Vec<String> = sqlx::query_scalar(
        "SELECT organization_id FROM user_organizations WHERE user_id = $1 ORDER BY organization_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut changes = Changes::new();
    let name = change.name.clone().unwrap_or_else(|| before.name.clone());
    let role = change
        .role
        .map_or(before.role.clone(), |r| r.as_str().to_owned());
    let lang = change
        .lang
        .map_or(before.lang.clone(), |l| l.code().to_owned());
    let active = change.active.map_or(before.active, i64::from);
    changes = changes
        .field("name", before.name.clone(), name.clone())
        .field("role", before.role.clone(), role.clone())
        .field("lang", before.lang.clone(), lang.clone())
        .field("active", before.active != 0, active != 0);
    sqlx::query("UPDATE users SET name = $1, role = $2, lang = $3, active = $4 WHERE id = $5")
        .bind(&name)
        .bind(&role)
        .bind(&lang)
        .bind(active)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(orgs) = &change.organization_ids {
        let mut sorted = orgs.clone();
        sorted.sort();
        sorted.dedup();
        set_organizations(conn, id, &sorted).await?;
        changes = changes.field("organization_ids", before_orgs, sorted);
    }
    if active == 0 && before.active != 0 {
        crate::auth::session::delete_all(conn, id).await?;
    }
    Audit {
        actor,
        entity: "user",
        entity_id: id,
        action: "update",
        changes,
    }
    .record(conn)
    .await?;
    Ok(new_version)
}
