//! API tokens: `bsy_` and 256 random bits, shown once, stored as a hash, revocable,
//! with the time of last use.

use sqlx::AnyConnection;

use super::{User, secret};
use crate::db::{self, Audit, Changes, Db};

pub const PREFIX: &str = "bsy_";

/// An API token as listed to its owner (never the token itself).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Creates a token for `user_id`; returns (id, the token to show once).
pub async fn create(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    user_id: &str,
    name: &str,
) -> Result<(String, String), sqlx::Error> {
    let token = format!("{PREFIX}{}", secret::random_token());
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(name)
    .bind(secret::hash(&token))
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    Audit {
        actor,
        entity: "api_token",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("user_id", user_id)
            .created("name", name),
    }
    .record(conn)
    .await?;
    Ok((id, token))
}

/// Revokes a token of `user_id`; false when there is no such live token.
pub async fn revoke(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    user_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(db::now())
    .bind(id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        Audit {
            actor,
            entity: "api_token",
            entity_id: id,
            action: "revoke",
            changes: Changes::new(),
        }
        .record(conn)
        .await?;
    }
    Ok(done.rows_affected() == 1)
}

pub async fn list(db: &Db, user_id: &str) -> Result<Vec<TokenInfo>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .fetch_all(db.reader())
    .await
}

/// The active user of a live token; records its use (at most once a minute).
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<User>, sqlx::Error> {
    let Some(raw) = token
        .strip_prefix(PREFIX)
        .filter(|r| secret::looks_like_token(r))
    else {
        return Ok(None);
    };
    let _ = raw;
    let hash = secret::hash(token);
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
    )
    .bind(&hash)
    .fetch_optional(db.reader())
    .await?;
    let Some((id, user_id, last_used)) = row else {
        return Ok(None);
    };
    let minute_ago = db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(1));
    if last_used.is_none_or(|t| t < minute_ago) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(db::now())
            .bind(&id)
            .execute(db.writer())
            .await?;
    }
    crate::users::store::get(db.reader(), &user_id).await
}
