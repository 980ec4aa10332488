//! Sessions in the database (so several instances share them): the cookie holds a
//! random id, the table its hash. A session ends after `session_idle_minutes`
//! without use, at logout, or when the user logs out everywhere.

use std::time::Duration;

use sqlx::AnyConnection;

use super::{User, secret};
use crate::db::{self, Db};

pub const COOKIE: &str = "besaya_session";
/// A session's expiry moves forward at most this often (saves a write per request).
const SLIDE_EVERY: Duration = Duration::from_secs(60);

fn later(d: Duration) -> String {
    db::timestamp(time::OffsetDateTime::now_utc() + d)
}

/// Starts a session and returns the id for the cookie.
pub async fn create(
    conn: &mut AnyConnection,
    user_id: &str,
    idle: Duration,
) -> Result<String, sqlx::Error> {
    let raw = secret::random_token();
    let now = db::now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret::hash(&raw))
    .bind(user_id)
    .bind(&now)
    .bind(&now)
    .bind(later(idle))
    .execute(conn)
    .await?;
    Ok(raw)
}

/// The active user of a live session, moving its expiry forward.
pub async fn lookup(db: &Db, raw: &str, idle: Duration) -> Result<Option<User>, sqlx::Error> {
    if !secret::looks_like_token(raw) {
        return Ok(None);
    }
    let id_hash = secret::hash(raw);
    let now = db::now();
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(&id_hash)
    .bind(&now)
    .fetch_optional(db.reader())
    .await?;
    let Some((user_id, last_seen)) = row else {
        return Ok(None);
    };
    let slide_after = db::timestamp(time::OffsetDateTime::now_utc() - SLIDE_EVERY);
    if last_seen < slide_after {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(&now)
            .bind(later(idle))
            .bind(&id_hash)
            .execute(db.writer())
            .await?;
    }
    crate::users::store::get(db.reader(), &user_id).await
}

pub async fn delete(db: &Db, raw: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(secret::hash(raw))
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Ends every session of a user (logout everywhere, password change, deactivation).
pub async fn delete_all(conn: &mut AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// The `Set-Cookie` value for a session id (or its removal with `None`).
pub fn cookie(raw: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match raw {
        Some(v) => format!("{COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}
