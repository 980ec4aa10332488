//! Building and running the application. The application binds its own listeners
//! and reports their addresses, so tests pass port 0 and never sleep.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::Db;
use crate::i18n::I18n;
use crate::mail::Mailer;
use crate::metrics::Metrics;

/// What every handler can reach, through axum's `State`. One `Arc`, because axum
/// clones the state for every request.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
    pub mailer: Arc<Mailer>,
    /// Reference data in memory (CNAE, municipalities with the district flag).
    pub catalog: Arc<crate::reference::Catalog>,
    /// The directory's search index, kept current from the change feed.
    pub directory: Arc<crate::orgs::DirectoryIndex>,
    /// Imports uploaded on the pages, checked and waiting for their commit.
    pub imports: Arc<crate::orgs::import_pages::Sessions>,
    /// Estates and sites in memory, reloaded when `site_revision` moves.
    pub sites: Arc<crate::sites::SiteCatalogue>,
    /// The Office dashboard's project figures, recomputed when a project changes.
    pub office_dashboard: Arc<crate::office::dashboard::Cache>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// A configured application with its listeners bound, ready to run.
pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    state: AppState,
    started: Instant,
}

impl Application {
    /// Opens the data directory and the database, migrates, and binds the listeners.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let started = Instant::now();
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let i18n = Arc::new(I18n::load()?);
        let mailer = Arc::new(Mailer::from_config(&config)?);
        let db = Db::connect(&config.database_url(), config.database_max_connections).await?;
        db.migrate().await?;
        crate::reference::load::load_reference(&db).await?;
        crate::reference::load::sync_district(&db, &config.district_municipalities).await?;
        let catalog = Arc::new(crate::reference::Catalog::load(&db).await?);
        let directory = Arc::new(crate::orgs::DirectoryIndex::build(&db, &catalog).await?);
        let listener = TcpListener::bind(&config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let metrics_listener = match config.metrics_bind() {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} for metrics"))?,
            ),
            None => None,
        };
        Ok(Self {
            listener,
            metrics_listener,
            state: AppState(Arc::new(Shared {
                config: Arc::new(config),
                db,
                i18n,
                metrics: Arc::new(Metrics::default()),
                mailer,
                catalog,
                directory,
                imports: Arc::default(),
                sites: Arc::default(),
                office_dashboard: Arc::default(),
            })),
            started,
        })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then drains in-flight requests.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        let metrics_task = self.metrics_listener.map(|l| {
            let app = Router::new()
                .route("/metrics", get(crate::metrics::serve))
                .with_state(self.state.metrics.clone());
            tokio::spawn(async move { axum::serve(l, app).await })
        });
        let db = self.state.db.clone();
        let worker = self
            .state
            .config
            .jobs_worker
            .then(|| crate::jobs::spawn_worker(self.state.clone()));
        // The dummy password hash, so the first failed login takes as long as the others.
        tokio::task::spawn_blocking(crate::auth::password::warm_up);
        let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            SocketAddr,
        >(crate::web::router(self.state));
        tracing::info!(
            %addr,
            ready_ms = self.started.elapsed().as_millis() as u64,
            "Besaya is ready"
        );
        println!("Besaya listening on http://{addr}");
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the web server stopped")?;
        if let Some(task) = metrics_task {
            task.abort();
        }
        if let Some(task) = worker {
            task.abort();
        }
        db.close().await;
        tracing::info!("Besaya stopped");
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
