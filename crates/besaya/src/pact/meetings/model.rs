//! A working group's meeting and what hangs from it, as stored and as the API
//! shows them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A meeting of a working group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meeting {
    pub id: String,
    /// `REU-2026-001`.
    pub reference: String,
    pub group_id: String,
    pub group_name: String,
    pub title: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    /// RFC 3339, UTC; after `starts_at`.
    pub ends_at: String,
    pub place: String,
    /// One item per line.
    pub agenda: String,
    /// Recorded once the meeting is held.
    pub minutes: String,
    /// `scheduled`, `held`, `cancelled`.
    pub status: String,
    /// The statuses it may move to now.
    pub allowed_moves: Vec<String>,
    pub invitations_sent_at: Option<String>,
    pub minutes_sent_at: Option<String>,
    pub created_by: Option<String>,
    /// Whether the caller runs this group's meetings (may change it).
    pub may_edit: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub chair_member_id: Option<String>,
}

/// The fields of a meeting a person types (create and change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = AllianceMeetingInput)]
pub struct MeetingInput {
    /// At most 200 characters.
    #[serde(default)]
    pub title: String,
    /// RFC 3339 with offset, or Madrid's wall clock `2026-12-01T10:00`.
    #[serde(default)]
    pub starts_at: String,
    /// Same forms as `starts_at`; after it.
    #[serde(default)]
    pub ends_at: String,
    /// At most 200 characters.
    #[serde(default)]
    pub place: String,
    /// At most 10,000 characters; one item per line.
    #[serde(default)]
    pub agenda: String,
    /// At most 50,000 characters; only once the meeting is held.
    #[serde(default)]
    pub minutes: String,
}

/// A new meeting: its group and its fields.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = AllianceMeetingCreate)]
pub struct MeetingCreate {
    pub group_id: String,
    #[serde(flatten)]
    pub input: MeetingInput,
}

/// Someone who came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Attendee {
    /// A user of the platform; none for a guest.
    pub user_id: Option<String>,
    pub name: String,
    /// The organisation they came for.
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
}

/// Who came, with the counts the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Attendance {
    pub attendees: Vec<Attendee>,
    /// People.
    pub people: i64,
    /// Distinct organisations.
    pub organizations: i64,
}

/// One line of the attendance as sent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeInput {
    /// A user of the platform (their name is taken from the account).
    pub user_id: Option<String>,
    /// Required for a guest without a user; at most 200 characters.
    pub name: Option<String>,
    /// The organisation they came for (default for a representative: the
    /// member of the group they represent).
    pub organization_id: Option<String>,
}

/// The commitment made from an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = AgreementCommitment)]
pub struct CommitmentRef {
    pub id: String,
    pub reference: String,
    pub title: String,
}

/// An agreement of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Agreement {
    pub id: String,
    /// `ACU-2026-001`.
    pub reference: String,
    pub meeting_id: String,
    /// 1, 2, … within the meeting.
    pub position: i64,
    pub text: String,
    /// The commitment made from it, if any (then it cannot be deleted).
    pub commitment: Option<CommitmentRef>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A document of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MeetingDocument {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: Option<String>,
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: String,
}

/// A commitment linked to a meeting (decided or reviewed there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = MeetingCommitment)]
pub struct LinkedCommitment {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// `decided`, `reviewed`.
    pub role: String,
}
