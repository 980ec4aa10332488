//! Who may do what with sites. One place, tested as a matrix in tests/api/sites.rs.

use crate::auth::User;

/// The catalogue is kept by the office (staff and administrators).
pub fn can_edit(u: &User) -> bool {
    u.role.is_office()
}

/// Drafts (unpublished sites) and internal notes: the office only.
pub fn can_see_unpublished(u: &User) -> bool {
    u.role.is_office()
}
