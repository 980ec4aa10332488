//! The directory of organisations: the shared registry every module stands on,
//! de-duplicated by tax id, searched in Spanish, imported and exported as
//! spreadsheets.

pub mod api;
pub mod cli;
pub mod export;
pub mod import;
pub mod import_pages;
pub mod index;
pub mod model;
pub mod pages;
pub mod policy;
pub mod store;

pub use api::api_router;
pub use index::DirectoryIndex;
pub use model::{OrgInput, Organization, ValidOrg, validate};
pub use pages::router;

/// The kinds of organisation of the registry.
pub const KINDS: [&str; 8] = [
    "company",
    "administration",
    "business_association",
    "union",
    "training_centre",
    "research_centre",
    "investor",
    "other",
];
