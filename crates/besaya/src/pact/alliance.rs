//! The Pact as an alliance: who has a seat in its shared workspace, and the
//! human references of its records.
//!
//! - **Secretariat** — the office (admin, staff) runs the pact: members, working
//!   groups, meetings, minutes, agreements, commitments.
//! - **Representative** — a user named representative of a *current* member
//!   (joined, not left) reads the whole workspace; the representatives of a
//!   group's chair also run that group's meetings; the representatives of a
//!   commitment's owner organisation report its progress and milestones.
//! - Everyone else reads only the public pages (member list, progress) and gets
//!   404 on the rest (need-to-know).
//!
//! The role `pact_member` alone gives no seat: being a representative does.

use sqlx::AnyConnection;
use time::Date;

use crate::auth::User;
use crate::db::Db;

/// A user's seat in the pact's workspace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seat {
    /// Admin or staff: the pact's secretariat.
    pub secretariat: bool,
    /// The current memberships this user represents (`pact_members.id`).
    pub member_ids: Vec<String>,
    /// Their organisations (`organizations.id`).
    pub organization_ids: Vec<String>,
}

impl Seat {
    /// Reads the workspace (members with their representatives, groups,
    /// meetings, minutes, commitments, indicators' records).
    pub fn in_workspace(&self) -> bool {
        self.secretariat || !self.member_ids.is_empty()
    }

    /// Runs a group's meetings (agenda, minutes, attendance, agreements, mails):
    /// the secretariat, and the representatives of the group's chair.
    pub fn runs_group(&self, chair_member_id: Option<&str>) -> bool {
        self.secretariat || chair_member_id.is_some_and(|c| self.member_ids.iter().any(|m| m == c))
    }

    /// Reports progress, status and milestones of a commitment owned by this
    /// organisation: the secretariat, and the owner's representatives.
    pub fn reports_for(&self, owner_org_id: Option<&str>) -> bool {
        self.secretariat
            || owner_org_id.is_some_and(|o| self.organization_ids.iter().any(|x| x == o))
    }
}

/// The seat of `user` on `today` (`None` user: the public, no seat).
pub async fn seat(db: &Db, user: Option<&User>, today: Date) -> Result<Seat, sqlx::Error> {
    let Some(user) = user else {
        return Ok(Seat::default());
    };
    let mut seat = Seat {
        secretariat: user.role.is_office(),
        ..Seat::default()
    };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.id, m.organization_id FROM pact_representatives r \
         JOIN pact_members m ON m.id = r.member_id \
         WHERE r.user_id = $1 AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on > $2) \
         ORDER BY m.id",
    )
    .bind(&user.id)
    .bind(besaya_domain::directory::format_date(today))
    .fetch_all(db.reader())
    .await?;
    for (member, org) in rows {
        seat.member_ids.push(member);
        if !seat.organization_ids.contains(&org) {
            seat.organization_ids.push(org);
        }
    }
    Ok(seat)
}

/// The kinds of records with a human reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `REU-2026-001`
    Meeting,
    /// `ACU-2026-001`
    Agreement,
    /// `COM-2026-001`
    Commitment,
}

impl RefKind {
    fn parts(self) -> (&'static str, &'static str) {
        match self {
            Self::Meeting => ("meeting", "REU"),
            Self::Agreement => ("agreement", "ACU"),
            Self::Commitment => ("commitment", "COM"),
        }
    }
}

/// The next reference of `kind` in `year`, inside the caller's transaction.
pub async fn next_reference(
    conn: &mut AnyConnection,
    kind: RefKind,
    year: i32,
) -> Result<String, sqlx::Error> {
    let (name, prefix) = kind.parts();
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO pact_counters (kind, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (kind, year) DO UPDATE SET last = pact_counters.last + 1 RETURNING last",
    )
    .bind(name)
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok(format!("{prefix}-{year}-{last:03}"))
}
