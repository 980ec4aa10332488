//! One-time links: invitations (set a first password) and password resets. The
//! link carries 256 random bits; the table keeps their hash, the purpose, the expiry
//! and when it was used. A link works once.

use std::time::Duration;

use sqlx::AnyConnection;

use crate::auth::secret;
use crate::db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }

    /// How long a link is valid: a week to accept an invitation, an hour to reset.
    pub fn ttl(self) -> Duration {
        match self {
            Purpose::Invite => Duration::from_secs(7 * 24 * 3600),
            Purpose::Reset => Duration::from_secs(3600),
        }
    }
}

/// Creates a link for `user_id` and returns its token.
pub async fn create(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
) -> Result<String, sqlx::Error> {
    let raw = secret::random_token();
    let now = time::OffsetDateTime::now_utc();
    sqlx::query(
        "INSERT INTO one_time_links (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret::hash(&raw))
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(db::timestamp(now))
    .bind(db::timestamp(now + purpose.ttl()))
    .execute(conn)
    .await?;
    Ok(raw)
}

/// The user of a live link (unused, unexpired, of this purpose), without using it.
pub async fn peek(
    conn: &mut AnyConnection,
    raw: &str,
    purpose: Purpose,
) -> Result<Option<String>, sqlx::Error> {
    if !secret::looks_like_token(raw) {
        return Ok(None);
    }
    sqlx::query_scalar(
        "SELECT l.user_id FROM one_time_links l JOIN users u ON u.id = l.user_id \
         WHERE l.token_hash = $1 AND l.purpose = $2 AND l.used_at IS NULL AND l.expires_at > $3 AND u.active = 1",
    )
    .bind(secret::hash(raw))
    .bind(purpose.as_str())
    .bind(db::now())
    .fetch_optional(conn)
    .await
}

/// Uses a live link: returns its user, or `None` if it is unknown, used or expired.
pub async fn consume(
    conn: &mut AnyConnection,
    raw: &str,
    purpose: Purpose,
) -> Result<Option<String>, sqlx::Error> {
    let Some(user_id) = peek(conn, raw, purpose).await? else {
        return Ok(None);
    };
    let done = sqlx::query(
        "UPDATE one_time_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(db::now())
    .bind(secret::hash(raw))
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(user_id))
}
