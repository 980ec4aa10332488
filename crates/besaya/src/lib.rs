//! Besaya: the industrial platform of the Besaya district.
//!
//! One binary serves the pages and the JSON API from the same process and keeps
//! its state in one database (SQLite by default, PostgreSQL for larger
//! deployments). `main.rs` is thin; everything lives here so tests start the
//! very same application.

pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod files;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod office;
pub mod orgs;
pub mod pact;
pub mod reference;
pub mod sites;
pub mod startup;
pub mod tabular;
pub mod telemetry;
pub mod users;
pub mod web;

pub use startup::{AppState, Application};
