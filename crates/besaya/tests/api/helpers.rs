//! `TestApp`: the real application on port 0 with a fresh database per test.
//!
//! PostgreSQL comes from `BESAYA_TEST_DATABASE_URL` (an administrator URL: each test
//! creates its own database there). `scripts/test` starts a throwaway cluster and
//! sets it; without it the PostgreSQL tests fail with a message saying so.

use besaya::config::{Config, SecretUrl};
use besaya::{AppState, Application};
use besaya_domain::{Email, Role};
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
    /// The application with the demo data (reference data, fictional organisations and
    /// sites; not the Office's demo projects: load them with `besaya::office::demo::load`).
    pub async fn spawn(backend: Backend) -> Self {
        let app = Self::spawn_empty(backend).await;
        besaya::demo::load_catalogues(&app.state.db, &app.config, 0)
            .await
            .expect("demo data loads");
        app
    }

    /// The application with the demo data and a configuration of the test's own.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        let app = Self::build(backend, configure).await;
        besaya::demo::load_catalogues(&app.state.db, &app.config, 0)
            .await
            .expect("demo data loads");
        app
    }

    /// The application on a migrated, empty database.
    pub async fn spawn_empty(backend: Backend) -> Self {
        Self::build(backend, |_| {}).await
    }

    async fn build(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}/besaya.db", dir.path().display()),
            Backend::Postgres => fresh_postgres_database().await,
        };
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(SecretUrl::new(url)),
            bind: "127.0.0.1:0".into(),
            metrics_bind: "127.0.0.1:0".into(),
            database_max_connections: 4,
            // Tests run jobs when they choose (`run_jobs`), so they are deterministic.
            jobs_worker: false,
            ..Config::default()
        };
        configure(&mut config);
        let app = Application::build(config.clone())
            .await
            .expect("app builds");
        let base = format!("http://{}", app.local_addr().expect("addr"));
        let metrics = format!("http://{}", app.metrics_addr().expect("metrics addr"));
        let state = app.state().clone();
        tokio::spawn(app.run(std::future::pending()));
        let client = new_client();
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

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The `_csrf` value of the first form of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = r#"name="_csrf" value=""#;
    let start = html.find(marker).expect("a form with a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

impl TestApp {
    /// Creates an active user with a password; returns its id.
    pub async fn create_user(&self, email: &str, role: Role, password: &str) -> String {
        let hash = besaya::auth::password::hash(password.to_owned())
            .await
            .unwrap();
        let mut tx = self.state.db.writer().begin().await.unwrap();
        let id = besaya::users::store::create(
            &mut tx,
            None,
            &besaya::users::store::NewUser {
                email: Email::parse(email).unwrap(),
                name: format!("Test {}", role.as_str()),
                role,
                lang: besaya::i18n::Lang::Es,
                organization_ids: Vec::new(),
                password_hash: Some(hash),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// GETs a page with `client` and returns its CSRF token.
    pub async fn csrf(&self, client: &reqwest::Client, path: &str) -> String {
        let html = client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_of(&html)
    }

    /// POSTs a form with the CSRF token of `form_page`.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(client, form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &token)];
        all.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Posts the set-password form of an e-mailed link (invitation or reset), opened at `page`.
    pub async fn set_password(
        &self,
        client: &reqwest::Client,
        page: &str,
        action: &str,
        token: &str,
        password: &str,
        confirm: &str,
    ) -> reqwest::Response {
        self.post_form(
            client,
            page,
            action,
            &[
                ("token", token),
                ("password", password),
                ("confirm", confirm),
            ],
        )
        .await
    }

    /// Logs `client` in through the login form.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.post_form(
            client,
            "/login",
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("next", "/account"),
            ],
        )
        .await
    }

    /// A client logged in as a new user of `role`; returns (client, user id).
    pub async fn signed_in(&self, role: Role) -> (reqwest::Client, String) {
        let email = format!(
            "{}-{}@besaya.example",
            role.as_str(),
            uuid::Uuid::now_v7().simple()
        );
        let id = self.create_user(&email, role, PASSWORD).await;
        let client = new_client();
        let res = self.login(&client, &email, PASSWORD).await;
        assert_eq!(res.status(), 303, "login as {role}");
        (client, id)
    }

    /// An API token of a new user of `role`; returns (token, user id).
    pub async fn token(&self, role: Role) -> (String, String) {
        let email = format!(
            "{}-{}@besaya.example",
            role.as_str(),
            uuid::Uuid::now_v7().simple()
        );
        let id = self.create_user(&email, role, PASSWORD).await;
        let mut tx = self.state.db.writer().begin().await.unwrap();
        let (_, token) = besaya::auth::tokens::create(&mut tx, None, &id, "test")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (token, id)
    }

    /// Runs the jobs that are due now.
    pub async fn run_jobs(&self) -> besaya::jobs::RunReport {
        besaya::jobs::run_pending(&self.state, "test")
            .await
            .unwrap()
    }

    /// The messages written to `<data_dir>/mail` (no SMTP configured), parsed.
    pub fn mails(&self) -> Vec<(String, String, String)> {
        let dir = self.config.data_dir.join("mail");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let raw = std::fs::read(entry.unwrap().path()).unwrap();
            out.push(parse_mail(&raw));
        }
        out
    }
}

/// (to, subject, text body) of a raw message.
pub fn parse_mail(raw: &[u8]) -> (String, String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a MIME message");
    let to = m
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_owned();
    let subject = m.subject().unwrap_or_default().to_owned();
    let text = m.body_text(0).unwrap_or_default().into_owned();
    (to, subject, text)
}

/// The first link to this platform in a text.
pub fn link_in(text: &str, path: &str) -> String {
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

pub const PASSWORD: &str = "nave industrial en Barreda";

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
