//! Who sees and does what with a need (need-to-know: `None` means 404).
//!
//! - Office (admin, staff): everything, on behalf of companies.
//! - A company user of the owner organisation: sees the need, edits and submits
//!   drafts, sees answers anonymised until double opt-in, and may shortlist, ask
//!   a meeting, accept or reject (recorded as the owner's action).
//! - A user of an invited organisation (any role): sees the need (owner hidden
//!   unless not anonymous or both consented) and only its own answer.
//! - A pact member: sees open needs (published, answered, negotiating), owner
//!   hidden; if its organisation is the need's `routed_org_id`, it answers like a
//!   candidate (an answer is created for it at publication).
//! - Everyone else: nothing.

use besaya_domain::Role;
use besaya_domain::pact::NeedStatus;

use crate::auth::User;

/// The facts of a need that decide access.
#[derive(Debug, Clone, Copy)]
pub struct NeedFacts<'a> {
    pub owner_org_id: &'a str,
    pub status: NeedStatus,
    pub routed_org_id: Option<&'a str>,
}

/// What one user may do with one need.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeedAccess {
    /// Admin or staff: everything.
    pub office: bool,
    /// A user of the owner organisation.
    pub owner: bool,
    /// The answers of this user's organisations to this need (candidate side).
    pub answer_ids: Vec<String>,
    /// A pact member reading an open need.
    pub member: bool,
}

impl NeedAccess {
    /// Sees every answer (the office and the owner; the owner anonymised).
    pub fn sees_all_answers(&self) -> bool {
        self.office || self.owner
    }

    /// Sees the owner's name whatever `anonymous` says.
    pub fn sees_owner(&self) -> bool {
        self.office || self.owner
    }

    /// Edits the fields of a need in this status (office: until final; owner: drafts).
    pub fn may_edit(&self, status: NeedStatus) -> bool {
        if self.office {
            return !status.is_final();
        }
        self.owner && status == NeedStatus::Draft
    }

    /// Deletes the need (drafts only).
    pub fn may_delete(&self, status: NeedStatus) -> bool {
        status == NeedStatus::Draft && (self.office || self.owner)
    }

    /// Makes the move `from` → `to` by hand (automatic moves are the store's).
    pub fn may_move(&self, from: NeedStatus, to: NeedStatus) -> bool {
        use NeedStatus::*;
        if !from.can_move_to(to) {
            return false;
        }
        if self.office {
            return true;
        }
        // The owner submits its drafts and may withdraw (close) its own need.
        self.owner && matches!((from, to), (Draft, Submitted) | (_, Closed))
    }

    /// Invites organisations, sees the ranked matches and the scores.
    pub fn may_invite(&self) -> bool {
        self.office
    }

    /// Shortlists, asks a meeting, accepts, rejects (office or owner).
    pub fn may_decide(&self) -> bool {
        self.office || self.owner
    }

    /// Answers (interest, decline, files) as this answer's organisation.
    pub fn answers_as(&self, answer_id: &str) -> bool {
        self.answer_ids.iter().any(|a| a == answer_id)
    }
}

/// What `user` may do with a need; `my_answers` are the answers to this need of
/// the user's organisations (found by the store). `None`: 404.
pub fn need_access(
    user: &User,
    need: NeedFacts<'_>,
    my_answers: Vec<String>,
) -> Option<NeedAccess> {
    if user.role.is_office() {
        return Some(NeedAccess {
            office: true,
            answer_ids: my_answers,
            ..NeedAccess::default()
        });
    }
    let owner = user.organization_ids.iter().any(|o| o == need.owner_org_id);
    // Invited organisations see the need once it was published (their answer
    // stays visible afterwards, even when the need is final).
    let candidate =
        !my_answers.is_empty() && !matches!(need.status, NeedStatus::Draft | NeedStatus::Submitted);
    let member = user.role == Role::PactMember && need.status.is_open();
    if !(owner || candidate || member) {
        return None;
    }
    Some(NeedAccess {
        office: false,
        owner,
        answer_ids: if candidate { my_answers } else { Vec::new() },
        member,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn user(role: Role, orgs: &[&str]) -> User {
        User {
            id: "u".into(),
            email: "u@besaya.test".into(),
            name: "U".into(),
            role,
            lang: Lang::Es,
            version: 1,
            organization_ids: orgs.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn facts(status: NeedStatus) -> NeedFacts<'static> {
        NeedFacts {
            owner_org_id: "big",
            status,
            routed_org_id: None,
        }
    }

    #[test]
    fn need_to_know() {
        use NeedStatus::*;
        let staff = need_access(&user(Role::Staff, &[]), facts(Draft), vec![]);
        assert!(staff.is_some_and(|a| a.office && a.may_edit(Draft)));
        let owner = need_access(&user(Role::Company, &["big"]), facts(Draft), vec![]);
        let owner = owner.unwrap_or_default();
        assert!(owner.owner && owner.may_edit(Draft) && !owner.may_edit(Published));
        assert!(owner.may_move(Draft, Submitted) && !owner.may_move(Submitted, Published));
        assert!(!owner.may_invite() && owner.may_decide());
        assert_eq!(
            need_access(&user(Role::Company, &["other"]), facts(Published), vec![]),
            None
        );
        // A candidate sees the need once published, not before.
        assert_eq!(
            need_access(
                &user(Role::Company, &["c"]),
                facts(Submitted),
                vec!["a".into()]
            ),
            None
        );
        let cand = need_access(
            &user(Role::Company, &["c"]),
            facts(Published),
            vec!["a".into()],
        );
        let cand = cand.unwrap_or_default();
        assert!(cand.answers_as("a") && !cand.answers_as("b") && !cand.sees_all_answers());
        // Members: open needs only.
        assert!(need_access(&user(Role::PactMember, &[]), facts(Answered), vec![]).is_some());
        assert_eq!(
            need_access(&user(Role::PactMember, &[]), facts(Agreed), vec![]),
            None
        );
        assert_eq!(
            need_access(&user(Role::Investor, &[]), facts(Published), vec![]),
            None
        );
    }
}
