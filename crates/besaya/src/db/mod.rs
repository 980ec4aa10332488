//! The data layer: one schema, two backends chosen at run time by the URL scheme.
//!
//! Queries are written once with `$1` placeholders, which both SQLite and
//! PostgreSQL accept, and run through sqlx's `Any` driver. See
//! `docs/adr/0001-sqlx-any.md` for why this and not an ORM.
//!
//! SQLite settings: WAL, `foreign_keys=ON`, `busy_timeout=5000`,
//! `synchronous=NORMAL` (durable across application crashes; the last
//! transactions may roll back on a power cut, which WAL keeps consistent — the
//! usual choice for WAL). Writes go through a one-connection writer pool, so
//! writers queue in the application instead of failing with "database is locked".

pub mod audit;
pub mod sql;
pub mod versioned;

use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::config::SecretUrl;

pub use audit::{Audit, Changes};
pub use sql::Sql;
pub use versioned::{VersionConflict, bump_version};

/// Runs a store call in a write transaction on `state`'s database and commits
/// it when the call answers `Ok`; refusals roll back. Gives
/// `Result<Result<T, E>, sqlx::Error>`:
/// `in_tx!(state, |tx| store::f(&mut tx, ...).await)`.
macro_rules! in_tx {
    ($state:expr, |$tx:ident| $body:expr) => {
        async {
            let mut $tx = $state.db.writer().begin().await?;
            let r = $body;
            if r.is_ok() {
                $tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(r)
        }
        .await
    };
}
pub(crate) use in_tx;

/// Which engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle: a reader pool and a writer pool (the same pool on PostgreSQL).
#[derive(Clone, Debug)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to the database named by `url`, failing fast with a message that names
    /// the (redacted) URL when it is unsupported or unreachable.
    pub async fn connect(url: &SecretUrl, max_connections: u32) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = match url.scheme() {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            other => anyhow::bail!(
                "unsupported database URL scheme {other:?} in {url}: use sqlite:// or postgres://"
            ),
        };
        match backend {
            Backend::Sqlite => {
                let (path, query) = sqlite_path(url.expose());
                if let Some(parent) = std::path::Path::new(path).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent).with_context(|| {
                        format!("cannot create the directory {}", parent.display())
                    })?;
                }
                let full = if query.is_empty() {
                    format!("sqlite://{path}?mode=rwc")
                } else {
                    url.expose().to_owned()
                };
                let opts = || {
                    AnyPoolOptions::new()
                        .acquire_timeout(Duration::from_secs(10))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute("PRAGMA foreign_keys = ON").await?;
                                conn.execute("PRAGMA busy_timeout = 5000").await?;
                                conn.execute("PRAGMA synchronous = NORMAL").await?;
                                Ok(())
                            })
                        })
                };
                let writer = opts()
                    .max_connections(1)
                    .connect(&full)
                    .await
                    .with_context(|| format!("cannot open the SQLite database {url}"))?;
                writer
                    .execute("PRAGMA journal_mode = WAL")
                    .await
                    .with_context(|| format!("cannot switch {url} to WAL"))?;
                let reader = opts()
                    .max_connections(max_connections.max(1))
                    .connect(&full)
                    .await
                    .with_context(|| format!("cannot open the SQLite database {url}"))?;
                Ok(Self {
                    reader,
                    writer,
                    backend,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url.expose())
                    .await
                    .with_context(|| format!("cannot connect to the database {url}"))?;
                Ok(Self {
                    reader: pool.clone(),
                    writer: pool,
                    backend,
                })
            }
        }
    }

    /// Brings the schema up to date. Applied migrations are never edited.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.writer)
            .await
            .context("cannot migrate the database schema")
    }

    /// The pool for reads.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// The pool for writes: begin a transaction here for every change.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True when the database answers a trivial query within two seconds.
    pub async fn ping(&self) -> bool {
        let q = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&self.reader);
        matches!(
            tokio::time::timeout(Duration::from_secs(2), q).await,
            Ok(Ok(1))
        )
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// Splits `sqlite://PATH?QUERY` into its path and query.
fn sqlite_path(url: &str) -> (&str, &str) {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    rest.split_once('?').unwrap_or((rest, ""))
}

/// A yes/no column. Flags are stored as 0/1 integers on both backends, because
/// sqlx's `Any` driver cannot decode SQLite booleans (docs/adr/0001-sqlx-any.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(v: i64) -> Self {
        Flag(v != 0)
    }
}

/// A new opaque identifier: a UUIDv7, so identifiers sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now as an RFC 3339 UTC timestamp with a fixed width (microseconds), so that text
/// order is time order on both backends.
pub fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

pub fn timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// True when the error is a unique-constraint violation (e.g. a duplicate tax id).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_a_fixed_width() {
        let t = time::macros::datetime!(2026-02-03 04:05:06.7 UTC);
        assert_eq!(timestamp(t), "2026-02-03T04:05:06.700000Z");
        assert_eq!(now().len(), 27);
    }

    #[test]
    fn sqlite_urls_split() {
        assert_eq!(sqlite_path("sqlite://./data/b.db"), ("./data/b.db", ""));
        assert_eq!(
            sqlite_path("sqlite:///tmp/b.db?mode=ro"),
            ("/tmp/b.db", "mode=ro")
        );
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }
}

/// An optional `f64` to bind. sqlx 0.8's `Any` driver binds a null `f64` as a
/// PostgreSQL `float4`; the statement it prepares and caches then refuses the next
/// non-null `f64` of the same statement ("incorrect binary data format"). This
/// binds the null as `float8`, like the value. Bind every optional `f64` with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptF64(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for OptF64 {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for OptF64 {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(x) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&x, buf),
            // A null `f32` is what the driver binds as a PostgreSQL float8 null.
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}
