//! Login throttling, per account and per client address, kept in the database so
//! every instance sees the same counters. After `threshold` failures in a row a key
//! is locked for `base`, doubling with each further failure up to `max`. Failures
//! older than an hour are forgotten; a successful login clears the account's key.

use std::time::Duration;

use time::OffsetDateTime;

use crate::db::{self, Db};

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub threshold: i64,
    pub base: Duration,
    pub max: Duration,
}

/// An account: five wrong passwords, then a minute, two, four... up to 15 minutes.
pub const ACCOUNT: Policy = Policy {
    threshold: 5,
    base: Duration::from_secs(60),
    max: Duration::from_secs(15 * 60),
};

/// A client address: thirty failures (any accounts), then 5 minutes up to 15.
pub const ADDRESS: Policy = Policy {
    threshold: 30,
    base: Duration::from_secs(5 * 60),
    max: Duration::from_secs(15 * 60),
};

/// Password-reset e-mails to one address: three, then none for 15 minutes up to an hour
/// (the page answers the same either way, so nobody learns anything from it).
pub const RESET_MAIL: Policy = Policy {
    threshold: 3,
    base: Duration::from_secs(15 * 60),
    max: Duration::from_secs(3600),
};

const FORGET_AFTER: Duration = Duration::from_secs(3600);

/// How long until every one of `keys` may try again (`None`: now).
pub async fn locked_for(db: &Db, keys: &[&str]) -> Result<Option<Duration>, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut longest: Option<Duration> = None;
    for key in keys {
        let until: Option<Option<String>> =
            sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
                .bind(*key)
                .fetch_optional(db.reader())
                .await?;
        if let Some(Some(until)) = until
            && let Ok(t) =
                OffsetDateTime::parse(&until, &time::format_description::well_known::Rfc3339)
            && t > now
        {
            let left = Duration::try_from(t - now).unwrap_or_default();
            longest = Some(longest.map_or(left, |l| l.max(left)));
        }
    }
    Ok(longest)
}

/// Counts a failure for `key`.
pub async fn fail(db: &Db, key: &str, policy: Policy) -> Result<(), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db.writer().begin().await?;
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT failures, last_failure_at FROM login_throttle WHERE throttle_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    let forget_before = db::timestamp(now - FORGET_AFTER);
    let failures = match row {
        Some((n, last)) if last >= forget_before => n + 1,
        _ => 1,
    };
    let locked_until = (failures >= policy.threshold).then(|| {
        let doublings = u32::try_from(failures - policy.threshold)
            .unwrap_or(u32::MAX)
            .min(16);
        let lock = policy.base.saturating_mul(1 << doublings).min(policy.max);
        db::timestamp(now + lock)
    });
    sqlx::query(
        "INSERT INTO login_throttle (throttle_key, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (throttle_key) DO UPDATE SET failures = $2, last_failure_at = $3, locked_until = $4",
    )
    .bind(key)
    .bind(failures)
    .bind(db::timestamp(now))
    .bind(locked_until)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(db.writer())
        .await?;
    Ok(())
}
