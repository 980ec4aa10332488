//! Who may do what with users. One place, tested as a matrix in tests/api/access.rs.

use crate::auth::User;

/// Listing, inviting and editing users, and reading the audit log and the jobs.
pub fn can_administer(actor: &User) -> bool {
    actor.is_admin()
}

/// Seeing a user's record: the administrator, or the user themself. Anyone else
/// gets 404, as if the record did not exist.
pub fn can_view(actor: &User, user_id: &str) -> bool {
    actor.is_admin() || actor.id == user_id
}
