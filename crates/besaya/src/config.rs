//! Configuration: defaults → optional TOML file (`--config`) → `BESAYA_*` variables.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize};

/// Everything the platform can be told. See the README's configuration table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Where the SQLite file, e-mails in development and uploaded files live.
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://...`; defaults to `sqlite://<data_dir>/besaya.db`.
    pub database_url: Option<SecretUrl>,
    /// Address of the pages and the API.
    pub bind: String,
    /// Address of `/metrics` (Prometheus). Kept apart so it is never public by accident;
    /// empty or `off` disables it.
    pub metrics_bind: String,
    /// `text` (default) or `json` logs.
    pub log_format: LogFormat,
    /// A tracing filter such as `info` or `besaya=debug,sqlx=warn`.
    pub log: String,
    /// Most connections the pool opens (readers, on SQLite; there is one writer).
    pub database_max_connections: u32,
    /// Seconds a request may take before it is answered 408.
    pub request_timeout_secs: u64,
    /// INE codes of the municipalities of the Besaya district. Sources differ on its
    /// membership, so it is configurable; empty means the traditional comarca "Besaya"
    /// of the shipped municipalities file.
    #[serde(deserialize_with = "list_or_csv")]
    pub district_municipalities: Vec<String>,
    /// The address people reach the platform at: links in e-mails, and `Secure`
    /// cookies when it starts with `https://`.
    pub public_url: String,
    /// `smtps://USER:PASSWORD@HOST` (TLS), `smtp://...?tls=required` (STARTTLS) or
    /// `smtp://HOST:PORT` (unencrypted, a local relay). Unset: e-mails are written as
    /// `.eml` files under `<data_dir>/mail`.
    pub smtp_url: Option<SecretUrl>,
    /// The sender of e-mails.
    pub mail_from: String,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: u64,
    /// Take the client address for login throttling from `X-Forwarded-For` (only
    /// behind a reverse proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Run the background job worker in `serve` (tests run jobs by hand).
    pub jobs_worker: bool,
    /// Largest spreadsheet accepted for an import, in megabytes.
    pub import_max_mb: u64,
    /// Largest photo or document uploaded to a site, in megabytes.
    pub upload_max_mb: u64,
    /// Sites whose data was last verified longer ago than this are listed as stale.
    pub sites_stale_days: u32,
    /// Map tiles (`https://tile.example.org/{z}/{x}/{y}.png`); empty shows the map's
    /// markers and outlines over a plain background, with nothing fetched elsewhere.
    pub map_tile_url: String,
    /// The attribution the tile provider asks for (e.g. "© OpenStreetMap contributors").
    pub map_tile_attribution: String,
    /// The office answers every inquiry within this many hours (the response clock's target).
    pub inquiry_response_hours: u32,
    /// Inquiries accepted from one client address per hour through the public form and API.
    pub inquiry_rate_per_hour: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            metrics_bind: "127.0.0.1:9464".into(),
            log_format: LogFormat::Text,
            log: "info".into(),
            database_max_connections: 16,
            request_timeout_secs: 30,
            district_municipalities: Vec::new(),
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            mail_from: "Besaya <no-reply@besaya.invalid>".into(),
            session_idle_minutes: 480,
            trust_forwarded_for: false,
            jobs_worker: true,
            import_max_mb: 50,
            upload_max_mb: 10,
            sites_stale_days: 365,
            map_tile_url: String::new(),
            map_tile_attribution: String::new(),
            inquiry_response_hours: 48,
            inquiry_rate_per_hour: 5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Loads the configuration. A named file that cannot be read is an error; without a
    /// file, defaults and the environment are used.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("cannot read the configuration file {}", path.display())
            })?;
            figment = figment.merge(Toml::string(&text));
        }
        figment = figment.merge(Env::prefixed("BESAYA_").ignore(&["CONFIG", "TEST_DATABASE_URL"]));
        figment
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))
    }

    /// The database URL in force: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> SecretUrl {
        self.database_url.clone().unwrap_or_else(|| {
            SecretUrl(format!(
                "sqlite://{}",
                self.data_dir.join("besaya.db").display()
            ))
        })
    }

    /// The public URL without a trailing slash.
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// Whether cookies get the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The metrics address, unless disabled.
    pub fn metrics_bind(&self) -> Option<&str> {
        match self.metrics_bind.trim() {
            "" | "off" | "none" => None,
            addr => Some(addr),
        }
    }
}

/// Accepts `["39087", "39016"]` in TOML or `39087,39016` in an environment variable.
fn list_or_csv<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<serde_json::Value>),
        Text(String),
        Number(i64),
    }
    let items: Vec<String> = match Either::deserialize(d)? {
        Either::List(v) => v
            .into_iter()
            .map(|x| match x {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        Either::Text(s) => s.split(',').map(str::to_owned).collect(),
        Either::Number(n) => vec![n.to_string()],
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

/// A URL that may hold a password: `Debug` and `Display` show it as `***`.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The real URL, for the database driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn scheme(&self) -> &str {
        self.0.split_once("://").map_or("", |(s, _)| s)
    }

    fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let authority = match authority.rsplit_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***@{host}"),
                None => format!("{userinfo}@{host}"),
            },
            None => authority.to_owned(),
        };
        // Passwords may also come as query parameters (`?password=...`).
        let tail = match tail.split_once('?') {
            Some((path, query)) => {
                let q: Vec<String> = query
                    .split('&')
                    .map(|kv| match kv.split_once('=') {
                        Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                        _ => kv.to_owned(),
                    })
                    .collect();
                format!("{path}?{}", q.join("&"))
            }
            None => tail.to_owned(),
        };
        format!("{scheme}://{authority}{tail}")
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretUrl({})", self.redacted())
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let u = SecretUrl::new("postgres://besaya:s3cr3t@db.example:5432/besaya?sslmode=require");
        assert_eq!(
            u.to_string(),
            "postgres://besaya:***@db.example:5432/besaya?sslmode=require"
        );
        assert!(!format!("{u:?}").contains("s3cr3t"));
        let q = SecretUrl::new("postgres://db/besaya?user=x&password=s3cr3t");
        assert!(!q.to_string().contains("s3cr3t"));
        let c = Config {
            database_url: Some(u),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn sqlite_default_lives_in_the_data_dir() {
        let c = Config::default();
        assert_eq!(c.database_url().expose(), "sqlite://./data/besaya.db");
        assert_eq!(c.bind, "127.0.0.1:8080");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own error type
    fn file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "b.toml",
                "bind = \"127.0.0.1:9000\"\nlog = \"debug\"\ndistrict_municipalities = [\"39087\"]",
            )?;
            jail.set_env("BESAYA_LOG", "warn");
            jail.set_env("BESAYA_DISTRICT_MUNICIPALITIES", "39087, 39016");
            let c = Config::load(Some(Path::new("b.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.bind, "127.0.0.1:9000");
            assert_eq!(c.log, "warn");
            assert_eq!(c.district_municipalities, vec!["39087", "39016"]);
            Ok(())
        });
    }

    #[test]
    fn unreadable_file_is_named() {
        let e = Config::load(Some(Path::new("/nonexistent/besaya.toml"))).unwrap_err();
        assert!(format!("{e:#}").contains("/nonexistent/besaya.toml"));
    }
}
