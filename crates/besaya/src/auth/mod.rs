//! Who is asking: users, sessions, API tokens, CSRF protection and login throttling.
//! Modules decide what a user may do with their own policy functions; this module
//! only establishes identity.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod routes;
pub mod secret;
pub mod session;
pub mod throttle;
pub mod tokens;

use besaya_domain::Role;

use crate::i18n::Lang;

pub use extract::{Admin, ApiUser, ApiVisitor, SignedIn};

/// A signed-in, active user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub lang: Lang,
    pub version: i64,
    /// The organisations the user acts for.
    pub organization_ids: Vec<String>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
