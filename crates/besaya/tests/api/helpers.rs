//! `TestApp`: the real application on port 0 with a fresh database per test.
//!
//! PostgreSQL comes from `BESAYA_TEST_DATABASE_URL` (an administrator URL: each test
//! creates its own database there). `scripts/test` starts a throwaway cluster and
//! sets it; without it the PostgreSQL tests fail with a message saying so.

use besaya::config::{Config, SecretUrl};
use besaya::{AppState, Application};
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub metrics: String,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    pub state: AppState,
    pub config: Config,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// The application with the demo data (reference data and fictional organisations).
    pub async fn spawn(backend: Backend) -> Self {
        let app = Self::spawn_empty(backend).await;
        besaya::demo::load(&app.state.db, &app.config, 0)
            .await
            .expect("demo data loads");
        app
    }

    /// The application on a migrated, empty database.
    pub async fn spawn_empty(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}/besaya.db", dir.path().display()),
            Backend::Postgres => fresh_postgres_database().await,
        };
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(SecretUrl::new(url)),
            bind: "127.0.0.1:0".into(),
            metrics_bind: "127.0.0.1:0".into(),
            database_max_connections: 4,
            ..Config::default()
        };
        let app = Application::build(config.clone())
            .await
            .expect("app builds");
        let base = format!("http://{}", app.local_addr().expect("addr"));
        let metrics = format!("http://{}", app.metrics_addr().expect("metrics addr"));
        let state = app.state().clone();
        tokio::spawn(app.run(std::future::pending()));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base,
            metrics,
            client,
            state,
            config,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GET a JSON document, asserting the status.
    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let res = self.get(path).await;
        assert_eq!(res.status().as_u16(), status, "GET {path}");
        res.json().await.expect("json body")
    }
}

/// Creates an empty database in the PostgreSQL named by `BESAYA_TEST_DATABASE_URL`.
pub async fn fresh_postgres_database() -> String {
    let admin = std::env::var("BESAYA_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "PostgreSQL tests need BESAYA_TEST_DATABASE_URL (an administrator URL). \
             Run scripts/test, which starts a throwaway cluster with Debian's `postgresql` \
             package (apt-get install postgresql), or point it at a server of yours."
        )
    });
    let name = format!("besaya_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to BESAYA_TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let _ = conn.close().await;
    with_database(&admin, &name)
}

/// Replaces the database name of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("URL with scheme");
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}{query}")
}

/// Declares, for each async fn `name(TestApp)`, the tests `name::sqlite` and `name::postgres`.
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use crate::helpers::{Backend, TestApp};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(TestApp::spawn(Backend::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(TestApp::spawn(Backend::Postgres).await).await
                }
            }
        )*
    };
}
pub(crate) use backends;

#[test]
fn database_names_are_replaced() {
    assert_eq!(
        with_database(
            "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable",
            "x"
        ),
        "postgres://u:p@127.0.0.1:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
