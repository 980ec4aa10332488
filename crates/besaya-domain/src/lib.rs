//! Pure rules of Besaya: validated value types and business rules.
//!
//! No IO and no async here. Raw input becomes one of these types once, at the
//! edge ("parse, don't validate"); inside the platform a [`Nif`] is always a
//! valid Spanish tax id and a [`Limit`] always a page size the API accepts.

pub mod alliance;
pub mod directory;
pub mod identity;
pub mod ine;
pub mod matching;
pub mod office;
pub mod pact;
pub mod page;
pub mod procedures;
pub mod search;
pub mod sites;
pub mod tax_id;
pub mod text;

pub use identity::{Email, Role};
pub use ine::IneCode;
pub use page::Limit;
pub use tax_id::Nif;
