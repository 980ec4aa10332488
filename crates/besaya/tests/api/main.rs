//! One integration-test binary: a module per area. Storage and API stories run on
//! SQLite and on PostgreSQL (see `helpers::backends!`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a failed expectation is a failed test

mod helpers;

mod access;
mod api;
mod cli;
mod directory;
mod identity;
mod pages;
mod sites;
mod storage;
