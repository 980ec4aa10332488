//! The records of the Pact: needs ([`Need`], edited through [`NeedInput`]), the
//! answers of invited organisations ([`Answer`]) with their files
//! ([`AnswerFile`]), a need's timeline ([`NeedEvent`]), the follow-ups after an
//! agreement ([`Followup`]), the target times per kind ([`Target`]), the list
//! filter ([`NeedFilter`]) and a need's funnel ([`Funnel`]).

use besaya_domain::pact::{AnswerStatus, NeedKind, NeedStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Recurrence values of a need.
pub const RECURRENCES: [&str; 6] = [
    "one_off",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "ongoing",
];

/// Size bands a need may ask for at least.
pub const SIZE_BANDS: [&str; 4] = ["micro", "small", "medium", "large"];

/// Limits of the fields of a need.
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const QUANTITY_MAX: usize = 200;
pub const CERTIFICATIONS_MAX: usize = 20;
pub const CERTIFICATION_MAX: usize = 100;
pub const CODES_MAX: usize = 30;
pub const CLOSE_REASON_MAX: usize = 1000;
/// Limits of an answer's texts.
pub const ANSWER_TEXT_MAX: usize = 5000;
/// The name shown instead of an anonymous need's owner (the catalogues hold the
/// translations: `pact-api-anonymous-owner`).
pub const ANONYMOUS_OWNER_KEY: &str = "pact-api-anonymous-owner";

/// A need of a large company, as one user sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Need {
    pub id: String,
    /// Human code: `NEC-2026-0001`.
    pub reference: String,
    /// `supply`, `service`, `talent`, `infrastructure_energy`, `land`,
    /// `permit_regulatory`, `rnd`, `other`.
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    /// CNAE-2025 codes (digits without dots: "4321", "33").
    pub cnae_codes: Vec<String>,
    /// CPV codes (`NNNNNNNN-N`).
    pub cpv_codes: Vec<String>,
    /// Names of the certifications asked ("ISO 9001").
    pub required_certifications: Vec<String>,
    /// Free text: "15 personas", "2.000 t/año".
    pub quantity: Option<String>,
    /// `one_off`, `weekly`, `monthly`, `quarterly`, `yearly`, `ongoing`.
    pub recurrence: Option<String>,
    /// INE code of the municipality where it is needed.
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// `micro`, `small`, `medium`, `large`.
    pub min_size_band: Option<String>,
    /// The owner organisation; `null` when hidden from this user (anonymous need).
    pub owner_org_id: Option<String>,
    /// The owner's name, or the anonymous label when hidden.
    pub owner_name: String,
    /// True when the owner is hidden from this user.
    pub owner_hidden: bool,
    /// The owner asked to stay anonymous until double opt-in.
    pub anonymous: bool,
    /// `draft`, `submitted`, `published`, `answered`, `negotiating`, `agreed`,
    /// `closed`, `expired`.
    pub status: String,
    pub close_reason: Option<String>,
    /// The administration that answers a permit/infrastructure need.
    pub routed_org_id: Option<String>,
    pub routed_org_name: Option<String>,
    /// The office user responsible.
    pub broker_id: Option<String>,
    pub broker_name: Option<String>,
    pub created_by: Option<String>,
    pub submitted_at: Option<String>,
    pub published_at: Option<String>,
    pub first_answer_at: Option<String>,
    pub agreed_at: Option<String>,
    /// € awarded locally, in cents.
    pub agreed_amount_cents: Option<i64>,
    pub closed_at: Option<String>,
    pub overdue_notified_at: Option<String>,
    /// The response clock (published needs only).
    pub clock: Option<NeedClock>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Need {
    pub fn kind(&self) -> NeedKind {
        NeedKind::parse(&self.kind).unwrap_or(NeedKind::Other)
    }

    pub fn status(&self) -> NeedStatus {
        NeedStatus::parse(&self.status).unwrap_or(NeedStatus::Draft)
    }
}

/// The response clock of a published need, in business days (national and
/// Cantabrian holidays skipped).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedClock {
    /// Target business days for its kind (`pact_targets`).
    pub target_days: i64,
    /// `YYYY-MM-DD`: the last business day for a first qualified answer.
    pub due_on: String,
    /// Business days from publication to the first answer (or today).
    pub elapsed: i64,
    pub answered: bool,
    /// Unanswered past `due_on`, or answered after it.
    pub late: bool,
}

/// The fields of a need as the API and the forms send them. On `PATCH` the
/// current need is merged with the patch (RFC 7386) and validated whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    /// Required: one of the need kinds.
    pub kind: Option<String>,
    /// Required, at most 200 characters.
    pub title: Option<String>,
    /// Required, at most 500 characters.
    pub summary: Option<String>,
    /// At most 10,000 characters.
    pub description: Option<String>,
    /// CNAE-2025 codes of the catalogue (with or without dots).
    pub cnae_codes: Option<Vec<String>>,
    /// CPV codes `NNNNNNNN-N` (eight digits, a dash and a check digit).
    pub cpv_codes: Option<Vec<String>>,
    /// At most 20, each at most 100 characters.
    pub required_certifications: Option<Vec<String>>,
    /// Free text, at most 200 characters.
    pub quantity: Option<String>,
    /// `one_off`, `weekly`, `monthly`, `quarterly`, `yearly`, `ongoing`.
    pub recurrence: Option<String>,
    /// INE code of a municipality of the catalogue.
    pub municipality_code: Option<String>,
    /// `YYYY-MM-DD`, not in the past when created.
    pub deadline: Option<String>,
    /// `micro`, `small`, `medium`, `large`.
    pub min_size_band: Option<String>,
    /// The owner organisation (office users; a company user's is forced to its own).
    pub owner_org_id: Option<String>,
    /// Default true: the owner's name is hidden until double opt-in.
    pub anonymous: Option<bool>,
}

/// A need's fields once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidNeed {
    pub kind: NeedKind,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub cnae_codes: Vec<String>,
    pub cpv_codes: Vec<String>,
    pub required_certifications: Vec<String>,
    pub quantity: Option<String>,
    pub recurrence: Option<String>,
    pub municipality_code: Option<String>,
    pub deadline: Option<time::Date>,
    pub min_size_band: Option<String>,
    pub owner_org_id: String,
    pub anonymous: bool,
}

/// One invited organisation's answer, as one user sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answer {
    pub id: String,
    pub need_id: String,
    /// `null` when hidden from this user (before double opt-in, to the owner).
    pub organization_id: Option<String>,
    /// The organisation's name, or an alias ("Candidato 2") when hidden.
    pub organization_name: String,
    pub organization_hidden: bool,
    /// `invited`, `declined`, `interested`, `shortlisted`, `meeting`, `accepted`, `rejected`.
    pub status: String,
    /// Score of the ranking at invitation (0–100); office only (`null` for others).
    pub score: Option<f64>,
    pub invited_by: Option<String>,
    pub invited_at: String,
    /// What it proposes.
    pub proposal: String,
    /// What it needs to know.
    pub questions: String,
    /// Who it is (its own words).
    pub presentation: String,
    pub offer_text: String,
    pub offer_amount_cents: Option<i64>,
    pub answered_at: Option<String>,
    pub owner_consent_at: Option<String>,
    pub candidate_consent_at: Option<String>,
    /// Both consented: the identities are released to each other.
    pub identities_released: bool,
    pub meeting_at: Option<String>,
    pub decided_at: Option<String>,
    pub files: Vec<AnswerFile>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Answer {
    pub fn status(&self) -> AnswerStatus {
        AnswerStatus::parse(&self.status).unwrap_or(AnswerStatus::Invited)
    }
}

/// A file attached to an answer (an offer, a brochure).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerFile {
    pub id: String,
    pub answer_id: String,
    /// Id in the file store.
    pub file_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: Option<String>,
    pub uploaded_at: String,
}

/// One entry of a need's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedEvent {
    pub id: String,
    pub need_id: String,
    pub answer_id: Option<String>,
    /// `created`, `updated`, `submitted`, `published`, `sent_back`, `closed`,
    /// `expired`, `answered`, `negotiating`, `agreed`, `invited`, `interested`,
    /// `declined`, `shortlisted`, `meeting`, `accepted`, `rejected`, `consent`,
    /// `identities_released`, `file_added`, `overdue_notified`, `followup_sent`,
    /// `followup_answered`.
    pub kind: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub at: String,
    /// Free details (JSON object), e.g. `{"from": "draft", "to": "submitted"}`.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// A follow-up question after an agreement (3 and 6 months, to each side).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Followup {
    pub id: String,
    pub need_id: String,
    pub answer_id: String,
    /// `owner` or `candidate`.
    pub side: String,
    /// 3 or 6.
    pub months: i64,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub sent_at: Option<String>,
    pub answer: Option<String>,
    pub satisfied: Option<bool>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
}

/// The target time to the first qualified answer of one kind of need.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Target {
    /// The need kind.
    pub kind: String,
    /// Business days, 1–365.
    pub target_days: i64,
    pub version: i64,
    pub updated_at: String,
}

/// One target to write (`PUT /api/v1/pact/targets`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    pub kind: String,
    /// Business days, 1–365.
    pub target_days: i64,
}

/// The list filter of needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedFilter {
    pub status: Option<NeedStatus>,
    pub kind: Option<NeedKind>,
    /// Only published/answered needs past their response target.
    pub overdue: bool,
    /// Words of the reference, title or summary.
    pub q: Option<String>,
    /// Only needs owned by this organisation (office filter).
    pub owner_org_id: Option<String>,
    /// Page size (1–500).
    pub limit: i64,
    /// The sort key of the last item of the previous page (from `list_key`).
    pub after: Option<String>,
}

/// A need's funnel: how many answers reached each stage (an answer that went
/// further counts in the earlier stages too), plus the current status counts.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Funnel {
    pub need_id: String,
    pub invited: i64,
    pub declined: i64,
    /// Expressed interest (qualified answers).
    pub interested: i64,
    pub shortlisted: i64,
    pub meeting: i64,
    pub accepted: i64,
    pub rejected: i64,
    /// Business days from publication to the first qualified answer.
    pub days_to_first_answer: Option<i64>,
}
