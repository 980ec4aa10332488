//! Who may do what in the directory. One place, tested as a matrix in tests/api/access.rs.

use besaya_domain::Role;

use crate::auth::User;

/// The directory is the alliance's shared registry: everyone signed in reads it
/// but investors, who are outside the alliance and see only their own project.
pub fn can_read(u: &User) -> bool {
    u.role != Role::Investor
}

/// Registering organisations and importing files: the office.
pub fn can_create(u: &User) -> bool {
    u.role.is_office()
}

/// The office edits every record; a company or training-centre user edits the
/// profile of the organisations it acts for.
pub fn can_edit(u: &User, org_id: &str) -> bool {
    u.role.is_office()
        || (matches!(u.role, Role::Company | Role::TrainingCentre)
            && u.organization_ids.iter().any(|id| id == org_id))
}

/// The kind (and with it what an organisation is in the plan) is the office's call.
pub fn can_change_kind(u: &User) -> bool {
    u.role.is_office()
}

pub fn can_delete(u: &User) -> bool {
    u.is_admin()
}

pub fn can_merge(u: &User) -> bool {
    u.is_admin()
}
