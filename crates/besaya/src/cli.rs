//! The command line: `besaya serve | migrate | demo`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db::Db;
use crate::startup::{Application, shutdown_signal};

#[derive(Debug, Parser)]
#[command(
    name = "besaya",
    version,
    about = "Besaya: the industrial platform of the Besaya district (Torrelavega, Cantabria)",
    long_about = "Besaya: the industrial platform of the Besaya district (Torrelavega, Cantabria).\n\n\
        Configuration comes from defaults, then the optional TOML file given with --config, \
        then BESAYA_* environment variables (see the README)."
)]
pub struct Cli {
    /// A TOML configuration file.
    #[arg(long, global = true, env = "BESAYA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the pages and the API (migrates the database first).
    Serve {
        /// Load the demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (overrides BESAYA_BIND).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Load the reference data and the fictional demo data set (idempotent).
    Demo {
        /// Also generate this many organisations (and proportional records) for benchmarks.
        #[arg(long, default_value_t = 0, value_name = "N")]
        scale: u32,
    },
    /// Manage users (the way to create the first administrator).
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Work on the durable job queue.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Import records from a spreadsheet (CSV or XLSX): all rows or none.
    #[command(subcommand)]
    Import(crate::orgs::cli::ImportCommand),
    /// Export records to a spreadsheet.
    #[command(subcommand)]
    Export(crate::orgs::cli::ExportCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user with a password read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, staff, pact_member, company, investor or training_centre.
        #[arg(long)]
        role: String,
        /// An organisation the user acts for (its id or its tax id).
        #[arg(long, value_name = "ID")]
        org: Vec<String>,
        /// es (default) or en.
        #[arg(long, default_value = "es")]
        lang: String,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (it is shown only once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run every job that is due now, then exit.
    RunPending,
}

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref())?;
    if let Command::Serve {
        bind: Some(bind), ..
    } = &cli.command
    {
        config.bind.clone_from(bind);
    }
    crate::telemetry::init(&config);
    tracing::debug!(?config, "configuration");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cli.command {
            Command::Serve { demo, .. } => {
                let app = Application::build(config).await?;
                if demo {
                    crate::demo::load_if_empty(app.state()).await?;
                }
                app.run(shutdown_signal()).await
            }
            Command::Import(cmd) => crate::orgs::cli::import(&config, cmd).await,
            Command::Export(cmd) => crate::orgs::cli::export(&config, cmd).await,
            Command::Migrate => {
                let db = Db::connect(&config.database_url(), 1).await?;
                db.migrate().await?;
                crate::reference::load::load_reference(&db).await?;
                db.close().await;
                println!("database schema is up to date");
                Ok(())
            }
            Command::User(cmd) => crate::users::cli::run(&config, cmd).await,
            Command::Token(TokenCommand::Create { email, name }) => {
                crate::users::cli::create_token(&config, &email, &name).await
            }
            Command::Jobs(JobsCommand::RunPending) => {
                let app = Application::build(Config {
                    bind: "127.0.0.1:0".into(),
                    metrics_bind: "off".into(),
                    ..config
                })
                .await?;
                // The Pact's scan (expiry, overdue notices, follow-ups) enqueues its e-mails first.
                let pact = crate::pact::jobs::scan(app.state()).await?;
                if pact != crate::pact::jobs::ScanReport::default() {
                    println!(
                        "pact: {} needs expired, {} overdue notices, {} follow-ups sent",
                        pact.expired, pact.overdue_notified, pact.followups_sent
                    );
                }
                let report = crate::jobs::run_pending(app.state(), "cli").await?;
                println!("jobs run: {} done, {} failed", report.done, report.failed);
                Ok(())
            }
            Command::Demo { scale } => {
                let db = Db::connect(&config.database_url(), 2).await?;
                db.migrate().await?;
                let report = crate::demo::load(&db, &config, scale).await?;
                db.close().await;
                println!("{report}");
                Ok(())
            }
        }
    })
}
