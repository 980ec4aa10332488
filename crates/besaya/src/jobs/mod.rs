//! Durable jobs: a table in the same database, enqueued in the same transaction
//! as the change that causes them, claimed atomically (PostgreSQL: `FOR UPDATE SKIP
//! LOCKED`; SQLite: one `UPDATE ... RETURNING` on the single writer), retried with
//! exponential backoff, and listed for the administrator when they fail.

pub mod routes;

use std::time::Duration;

use serde_json::Value;
use sqlx::AnyConnection;

use crate::AppState;
use crate::db::{self, Backend, Db};

pub const SEND_EMAIL: &str = "send_email";
/// A running job whose worker has been silent this long is taken over by another.
const STALE_AFTER: Duration = Duration::from_secs(600);
const FIRST_RETRY: Duration = Duration::from_secs(30);
const LONGEST_RETRY: Duration = Duration::from_secs(3600);
/// How often the worker looks for task reminders to send (office::work).
const REMINDER_SCAN_EVERY: Duration = Duration::from_secs(300);

/// Adds a job in the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: &str,
    payload: &Value,
    max_attempts: i64,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(kind)
    .bind(payload.to_string())
    .bind(max_attempts)
    .bind(&now)
    .bind(&now)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Claims the next job that is due, if any.
pub async fn claim(db: &Db, worker: &str) -> Result<Option<Job>, sqlx::Error> {
    let now = time::OffsetDateTime::now_utc();
    let stale = db::timestamp(now - STALE_AFTER);
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_at = $2, attempts = attempts + 1, updated_at = $2 \
         WHERE id = (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= $2) \
         OR (status = 'running' AND locked_at < $3) ORDER BY run_at LIMIT 1{lock}) \
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    sqlx::query_as(&sql)
        .bind(worker)
        .bind(db::timestamp(now))
        .bind(stale)
        .fetch_optional(db.writer())
        .await
}

async fn complete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET status = 'done', locked_by = NULL, last_error = NULL, updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(id)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// The wait before the next attempt: 30 s, 1 min, 2 min... at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(16);
    FIRST_RETRY
        .saturating_mul(1 << doublings)
        .min(LONGEST_RETRY)
}

async fn fail(db: &Db, job: &Job, error: &str) -> Result<(), sqlx::Error> {
    let now = time::OffsetDateTime::now_utc();
    let (status, run_at) = if job.attempts >= job.max_attempts {
        ("failed", db::timestamp(now))
    } else {
        ("pending", db::timestamp(now + backoff(job.attempts)))
    };
    sqlx::query(
        "UPDATE jobs SET status = $1, run_at = $2, locked_by = NULL, last_error = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(run_at)
    .bind(error.chars().take(2000).collect::<String>())
    .bind(db::timestamp(now))
    .bind(&job.id)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Puts a failed job back in the queue, due now, with its attempts counted afresh.
pub async fn retry(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $1, updated_at = $1 WHERE id = $2 AND status = 'failed'",
    )
    .bind(db::now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        db::Audit {
            actor,
            entity: "job",
            entity_id: id,
            action: "retry",
            changes: db::Changes::new().field("status", "failed", "pending"),
        }
        .record(conn)
        .await?;
    }
    Ok(done.rows_affected() == 1)
}

async fn execute(state: &AppState, job: &Job) -> anyhow::Result<()> {
    match job.kind.as_str() {
        SEND_EMAIL => {
            let mail: crate::mail::Outgoing = serde_json::from_str(&job.payload)?;
            state.mailer.send(&mail).await
        }
        other => anyhow::bail!("unknown job kind {other:?}"),
    }
}

/// What a run of the queue did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    pub done: usize,
    pub failed: usize,
}

/// Runs every job that is due now, one after the other, and returns what happened.
pub async fn run_pending(state: &AppState, worker: &str) -> anyhow::Result<RunReport> {
    let mut report = RunReport::default();
    while let Some(job) = claim(&state.db, worker).await? {
        match execute(state, &job).await {
            Ok(()) => {
                complete(&state.db, &job.id).await?;
                report.done += 1;
            }
            Err(e) => {
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = format!("{e:#}"), "job failed");
                fail(&state.db, &job, &format!("{e:#}")).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// The worker of `serve`: runs due jobs every two seconds until the process stops.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    let worker = format!(
        "{}-{}",
        std::process::id(),
        &crate::auth::secret::random_token()[..8]
    );
    tokio::spawn(async move {
        let mut last_scan: Option<std::time::Instant> = None;
        loop {
            // The office's task reminders: each sent once, whichever instance scans first.
            if last_scan.is_none_or(|t| t.elapsed() >= REMINDER_SCAN_EVERY) {
                last_scan = Some(std::time::Instant::now());
                if let Err(e) = crate::office::work::scan_reminders(&state).await {
                    tracing::error!(error = format!("{e:#}"), "task reminders");
                }
                if let Err(e) = crate::pact::jobs::scan(&state).await {
                    tracing::error!(error = format!("{e:#}"), "pact scan");
                }
            }
            if let Err(e) = run_pending(&state, &worker).await {
                tracing::error!(error = format!("{e:#}"), "job worker");
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(3), Duration::from_secs(120));
        assert_eq!(backoff(50), Duration::from_secs(3600));
    }
}
