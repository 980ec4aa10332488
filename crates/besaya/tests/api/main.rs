//! One integration-test binary: a module per area. Storage and API stories run on
//! SQLite and on PostgreSQL (see `helpers::backends!`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a failed expectation is a failed test

mod helpers;

mod access;
mod api;
mod cli;
mod directory;
mod identity;
mod office_dashboard;
mod office_inquiries;
mod office_portal;
mod office_procedures;
mod office_procedures_dashboard;
mod office_projects;
mod office_proposals;
mod office_work;
mod pact;
mod pact_alliance_demo;
mod pact_answers;
mod pact_commitments;
mod pact_dashboard;
mod pact_indicators;
mod pact_meetings;
mod pact_members;
mod pact_pages;
mod pages;
mod sites;
mod storage;
