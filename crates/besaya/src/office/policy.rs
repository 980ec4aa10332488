//! Who may do what with investor projects: one place, tested as a matrix in
//! tests/api/office.rs.
//!
//! A project is a confidential case with need-to-know access:
//! - the administrator sees and changes everything;
//! - office staff see every project on the board, but a confidential project's
//!   investor only when they own it or are on its team, and only then change it
//!   (a project that is not confidential is open to the whole office);
//! - an investor user sees the projects of the organisations it acts for, and no
//!   other (404, as if they did not exist); it comments, uploads and writes messages,
//!   but does not edit the project;
//! - everybody else gets 404.

use besaya_domain::Role;

use crate::auth::User;

/// What of a project decides access.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub owner_id: &'a str,
    pub team: &'a [String],
    pub confidential: bool,
    pub investor_org_id: Option<&'a str>,
}

/// What a user may do with one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    /// Change the project, its stage, interactions, tasks, proposals, documents.
    pub edit: bool,
    /// See the investor's name (otherwise the code name only) and the internal details.
    pub see_investor: bool,
    /// The user is on the investor's side: the portal's view.
    pub investor: bool,
}

/// `None`: the user must not learn the project exists (404).
pub fn access(u: &User, c: &Case<'_>) -> Option<Access> {
    match u.role {
        Role::Admin => Some(Access {
            edit: true,
            see_investor: true,
            investor: false,
        }),
        Role::Staff => {
            let assigned = c.owner_id == u.id || c.team.contains(&u.id);
            let open = !c.confidential || assigned;
            Some(Access {
                edit: open,
                see_investor: open,
                investor: false,
            })
        }
        Role::Investor => c
            .investor_org_id
            .filter(|org| u.organization_ids.iter().any(|o| o == org))
            .map(|_| Access {
                edit: false,
                see_investor: true,
                investor: true,
            }),
        _ => None,
    }
}

/// Creating projects, qualifying inquiries, seeing the board and the dashboard: the office.
pub fn is_office(u: &User) -> bool {
    u.role.is_office()
}

/// The investor portal: investor users.
pub fn is_investor(u: &User) -> bool {
    u.role == Role::Investor
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn user(id: &str, role: Role, orgs: &[&str]) -> User {
        User {
            id: id.into(),
            email: format!("{id}@besaya.test"),
            name: id.into(),
            role,
            lang: Lang::Es,
            version: 1,
            organization_ids: orgs.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn need_to_know() {
        let team = vec!["ana".to_owned()];
        let secret = Case {
            owner_id: "olga",
            team: &team,
            confidential: true,
            investor_org_id: Some("acme"),
        };
        let admin = user("root", Role::Admin, &[]);
        assert_eq!(access(&admin, &secret).map(|a| a.edit), Some(true));
        for assigned in ["olga", "ana"] {
            let a = access(&user(assigned, Role::Staff, &[]), &secret);
            assert_eq!(a.map(|a| (a.edit, a.see_investor)), Some((true, true)));
        }
        let other = access(&user("pepe", Role::Staff, &[]), &secret);
        assert_eq!(other, Some(Access::default()));
        let open = Case {
            confidential: false,
            ..secret
        };
        assert_eq!(
            access(&user("pepe", Role::Staff, &[]), &open).map(|a| a.see_investor),
            Some(true)
        );
        let own = access(&user("inv", Role::Investor, &["acme"]), &secret);
        assert_eq!(
            own.map(|a| (a.edit, a.investor, a.see_investor)),
            Some((false, true, true))
        );
        assert_eq!(
            access(&user("inv", Role::Investor, &["rival"]), &secret),
            None
        );
        for role in [Role::Company, Role::PactMember, Role::TrainingCentre] {
            assert_eq!(access(&user("x", role, &["acme"]), &open), None);
        }
    }
}
