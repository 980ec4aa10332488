//! Optimistic concurrency: every mutable record has a `version`. An update names the
//! version it read; if someone else changed the record meanwhile, it gets a conflict
//! (HTTP 409 in the API, a clear message on a page) and nothing is written.

use sqlx::AnyConnection;

/// The record changed since the caller read it (or no longer exists).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the record was changed by someone else (now at version {current:?})")]
pub struct VersionConflict {
    /// The version now stored, or `None` when the record is gone.
    pub current: Option<i64>,
}

/// Tables whose records carry a version. A closed list: table names never come from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    Organizations,
    Users,
    Sites,
    Estates,
    Projects,
    Inquiries,
    Interactions,
    Tasks,
    ProjectDocuments,
    SiteProposals,
    ProcedureTemplates,
    Procedures,
    Needs,
    NeedAnswers,
    PactMembers,
    PactGroups,
    PactMeetings,
    PactAgreements,
    PactCommitments,
}

impl Versioned {
    fn table(self) -> &'static str {
        match self {
            Self::Organizations => "organizations",
            Self::Users => "users",
            Self::Sites => "sites",
            Self::Estates => "estates",
            Self::Projects => "projects",
            Self::Inquiries => "inquiries",
            Self::Interactions => "interactions",
            Self::Tasks => "tasks",
            Self::ProjectDocuments => "project_documents",
            Self::SiteProposals => "site_proposals",
            Self::ProcedureTemplates => "procedure_templates",
            Self::Procedures => "procedures",
            Self::Needs => "needs",
            Self::NeedAnswers => "need_answers",
            Self::PactMembers => "pact_members",
            Self::PactGroups => "pact_groups",
            Self::PactMeetings => "pact_meetings",
            Self::PactAgreements => "pact_agreements",
            Self::PactCommitments => "pact_commitments",
        }
    }
}

/// Moves a record from `expected` to `expected + 1` and stamps `updated_at`, inside the
/// caller's transaction; the caller then writes its fields in the same transaction.
/// Returns the new version, or the conflict when `expected` is stale.
pub async fn bump_version(
    conn: &mut AnyConnection,
    table: Versioned,
    id: &str,
    expected: i64,
) -> Result<i64, BumpError> {
    let t = table.table();
    let done = sqlx::query(&format!(
        "UPDATE {t} SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3"
    ))
    .bind(super::now())
    .bind(id)
    .bind(expected)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(expected + 1);
    }
    let current: Option<i64> =
        sqlx::query_scalar(&format!("SELECT version FROM {t} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Err(BumpError::Conflict(VersionConflict { current }))
}

#[derive(Debug, thiserror::Error)]
pub enum BumpError {
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}
