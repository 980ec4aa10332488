//! Users and accounts: the administrator's pages to invite, list and edit users,
//! one-time links (invitations and password resets), and the users API.

pub mod cli;
pub mod links;
pub mod policy;
pub mod routes;
pub mod store;

pub use routes::{api_router, router};
