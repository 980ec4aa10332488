//! `besaya import organizations FILE [--dry-run]` and
//! `besaya export organizations --format csv|xlsx [--output FILE]`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use super::export::{self, Format};
use super::import::{self, Progress};
use crate::config::Config;
use crate::db::Db;
use crate::i18n::{I18n, Lang, Tr};
use crate::reference::Catalog;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Organisations from a CSV (UTF-8 or Windows-1252, comma or semicolon) or XLSX
    /// file with the template's columns. Rows with a registered tax id update it.
    Organizations {
        file: PathBuf,
        /// Check every row and report, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Language of the report: es or en.
        #[arg(long, default_value = "es")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every organisation, with the import template's columns.
    Organizations {
        #[arg(long, value_parser = ["csv", "xlsx"], default_value = "csv")]
        format: String,
        /// Where to write; default `organizaciones.<format>` in the current directory.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

async fn open(config: &Config) -> anyhow::Result<(Db, Catalog)> {
    let db = Db::connect(&config.database_url(), 2).await?;
    db.migrate().await?;
    crate::reference::load::load_reference(&db).await?;
    crate::reference::load::sync_district(&db, &config.district_municipalities).await?;
    let catalog = Catalog::load(&db).await?;
    Ok((db, catalog))
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} ({eta})") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_owned());
    pb
}

/// Shows a shared progress counter on a bar until `done` is set.
fn follow(
    progress: Arc<Progress>,
    what: &'static str,
) -> (ProgressBar, tokio::task::JoinHandle<()>) {
    let pb = bar(0, what);
    let shown = pb.clone();
    let handle = tokio::spawn(async move {
        loop {
            shown.set_length(progress.total.load(Ordering::Relaxed) as u64);
            shown.set_position(progress.done.load(Ordering::Relaxed) as u64);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    (pb, handle)
}

pub async fn import(config: &Config, cmd: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Organizations {
        file,
        dry_run,
        lang,
    } = cmd;
    let lang = Lang::from_code(&lang).context("--lang is es or en")?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let (db, catalog) = open(config).await?;
    let tr = Tr::new(Arc::new(I18n::load()?), lang);
    let existing = import::existing_tax_ids(&db).await?;
    let progress = Arc::new(Progress::default());
    let (pb, ticker) = follow(progress.clone(), "check");
    let report = import::check(&bytes, &catalog, &tr, &existing, &progress);
    ticker.abort();
    pb.finish_and_clear();
    for e in &report.errors {
        eprintln!(
            "row {}, {}: {} ({:?})",
            e.line, e.column, e.message, e.value
        );
    }
    if !report.ignored_columns.is_empty() {
        eprintln!("ignored columns: {}", report.ignored_columns.join(", "));
    }
    if !report.is_clean() {
        db.close().await;
        anyhow::bail!(
            "{} error(s) in {} row(s); nothing was imported",
            report.errors.len(),
            report.rows
        );
    }
    if dry_run {
        println!(
            "dry run: {} rows are valid ({} new, {} updates); nothing was written",
            report.rows, report.new, report.updates
        );
        db.close().await;
        return Ok(());
    }
    let (pb, ticker) = follow(progress.clone(), "import");
    let result = import::commit(&db, None, &report.valid, &progress).await;
    ticker.abort();
    pb.finish_and_clear();
    db.close().await;
    let done = result.map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
    println!(
        "imported {} rows: {} new, {} updated",
        report.rows, done.created, done.updated
    );
    Ok(())
}

pub async fn export(config: &Config, cmd: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Organizations { format, output } = cmd;
    let format = Format::parse(&format).context("--format is csv or xlsx")?;
    let (db, _) = open(config).await?;
    let (count, bytes) = export::export_all(&db, format).await?;
    db.close().await;
    let path =
        output.unwrap_or_else(|| PathBuf::from(format!("organizaciones.{}", format.extension())));
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{count} organisations written to {}", path.display());
    Ok(())
}
