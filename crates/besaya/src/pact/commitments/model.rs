//! A commitment as stored and as the tree shows it (the contract between the
//! commitments' store and the indicators, the report and the public page).

use besaya_domain::alliance::Shown;
use serde::Serialize;
use time::Date;

use crate::db::Db;

/// One row of `pact_commitments`, with the names it points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub id: String,
    /// `COM-2026-001`.
    pub reference: String,
    pub parent_id: Option<String>,
    pub position: i64,
    pub title: String,
    pub description: String,
    pub owner_org_id: Option<String>,
    pub owner_name: Option<String>,
    /// The agreement it comes from.
    pub agreement_id: Option<String>,
    pub agreement_reference: Option<String>,
    /// Stored status: `planned`, `in_progress`, `finished`, `cancelled`.
    pub status: String,
    /// Typed-in progress 0–100 (ignored when it has children or an indicator).
    pub progress: i64,
    /// 1–1000: share in the parent's progress.
    pub weight: i64,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    pub due_on: Option<String>,
    /// An indicator code of `besaya_domain::alliance::Indicator`.
    pub indicator: Option<String>,
    /// In the indicator's unit (count, euro cents, whole percentage).
    pub indicator_baseline: i64,
    pub indicator_target: Option<i64>,
    /// Counted from this day (`YYYY-MM-DD`); all time when absent.
    pub indicator_from: Option<String>,
    /// Shown on the public progress page.
    pub public: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A commitment in the tree, with what the roll-up computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeLine {
    pub commitment: Commitment,
    /// `1`, `1.2`, `1.2.3`.
    pub number: String,
    /// 0 for a root.
    pub depth: usize,
    /// Computed progress 0–100 (children, indicator or typed in).
    pub progress: u8,
    /// Status shown (with *delayed*).
    pub shown: Shown,
    pub has_children: bool,
    /// The indicator's current value, when linked to one.
    pub indicator_value: Option<i64>,
}

/// The whole tree in display order, rolled up on `today`. With `public_only`,
/// the roll-up is still computed over every commitment, then the non-public
/// ones and everything under them are left out.
pub async fn tree(db: &Db, today: Date, public_only: bool) -> anyhow::Result<Vec<TreeLine>> {
    super::store::tree(db, today, public_only).await
}
