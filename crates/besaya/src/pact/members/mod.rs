//! The pact's members by college (organisations of the directory, with the
//! dates they joined and left), their representatives (users who act for
//! them) and the working groups (mesas) with their members.
//!
//! Rooms: `store` (storage, audited; [`store::group_recipients`] for the
//! meetings' e-mails), `api` (under `/api/v1/pact`), `pages`.
//! Who sees what: the public list of members and its API are open to all;
//! seats (`Seat::in_workspace`) also see representatives and notes, and the
//! groups; the secretariat writes.

pub mod api;
pub mod pages;
pub mod store;

pub use api::{api_router, openapi};
pub use pages::router;
