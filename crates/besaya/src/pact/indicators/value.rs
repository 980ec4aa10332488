//! The value of an indicator computed from the platform's records (the
//! contract used by the commitments' tree, the report and the public page),
//! and the records behind it.
//!
//! Every indicator counts records from a day `from` (inclusive, the day in
//! Madrid; all time when `None`):
//! - `needs_within_target` — needs published on or after `from` whose first
//!   qualified answer came within the target business days of their kind, as
//!   the dashboard's response clock counts them (national and Cantabrian
//!   holidays skipped);
//! - `needs_within_target_share` — of those published needs whose clock has
//!   decided on `today`, the share within target, whole percent rounded down
//!   (0 when none has decided);
//! - `needs_agreed` — needs in status `agreed`, agreed on or after `from`;
//! - `local_awarded` — the sum of their amounts awarded locally (euro cents);
//! - `projects_operating` — investor projects now operating or in aftercare
//!   that first entered `operating` on or after `from`.
//!
//! The records carry references, titles and code names only: never the owner
//! of a need or the investor of a project.

use besaya_domain::alliance::Indicator;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::db::Db;
use crate::pact::dashboard::{self, Clocked, madrid_day};

/// One record behind an indicator's value. The fields filled depend on the
/// indicator: needs' clocks (`needs_within_target`, `…_share`), agreed needs
/// (`needs_agreed`, `local_awarded`) or projects (`projects_operating`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = PactIndicatorRecord)]
pub struct Record {
    /// The need's id or the project's id.
    pub id: String,
    /// The need's reference (`NEC-2026-001`); the project's code name.
    pub reference: String,
    /// The need's title (empty for a project).
    pub title: String,
    /// The need's kind (`supply`, `service`, …).
    pub kind: Option<String>,
    /// Published, `YYYY-MM-DD` (Madrid).
    pub published_on: Option<String>,
    /// First qualified answer, `YYYY-MM-DD` (Madrid).
    pub first_answer_on: Option<String>,
    /// Business days from publication to the first answer (or to today while unanswered).
    pub business_days: Option<i64>,
    /// The kind's target in business days.
    pub target_days: Option<i64>,
    /// Answered within the target.
    pub within_target: Option<bool>,
    /// Agreed, `YYYY-MM-DD` (Madrid).
    pub agreed_on: Option<String>,
    /// The amount awarded locally, euro cents.
    pub amount_cents: Option<i64>,
    /// The project's stage now (`operating`, `aftercare`).
    pub stage: Option<String>,
    /// The day the project entered `operating`, `YYYY-MM-DD` (Madrid).
    pub since: Option<String>,
}

fn iso(d: Date) -> String {
    besaya_domain::directory::format_date(d)
}

fn on_or_after(day: Option<Date>, from: Option<Date>) -> bool {
    match (from, day) {
        (None, _) => true,
        (Some(f), Some(d)) => d >= f,
        (Some(_), None) => false,
    }
}

/// The published needs' clocks from `from`, seen on `today`.
async fn clocks(db: &Db, from: Option<Date>, today: Date) -> anyhow::Result<Vec<Clocked>> {
    let targets = dashboard::targets(db).await?;
    let all = dashboard::clocks(db, &targets, today).await?;
    Ok(all
        .into_iter()
        .filter(|c| on_or_after(Some(c.published_on), from))
        .collect())
}

fn clock_record(c: &Clocked, targets: &std::collections::HashMap<String, u32>) -> Record {
    Record {
        id: c.row.id.clone(),
        reference: c.row.reference.clone(),
        title: c.row.title.clone(),
        kind: Some(c.row.kind.clone()),
        published_on: Some(iso(c.published_on)),
        first_answer_on: c
            .row
            .first_answer_at
            .as_deref()
            .and_then(madrid_day)
            .map(iso),
        business_days: Some(c.clock.elapsed),
        target_days: Some(i64::from(dashboard::target_of(targets, &c.row.kind))),
        within_target: Some(c.within()),
        ..Record::default()
    }
}

#[derive(sqlx::FromRow)]
struct AgreedRow {
    id: String,
    reference: String,
    title: String,
    agreed_at: Option<String>,
    amount: Option<i64>,
}

async fn agreed(db: &Db, from: Option<Date>) -> anyhow::Result<Vec<Record>> {
    let rows: Vec<AgreedRow> = sqlx::query_as(
        "SELECT id, reference, title, agreed_at, CAST(agreed_amount_cents AS BIGINT) AS amount \
         FROM needs WHERE status = 'agreed' ORDER BY agreed_at, id",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let day = r.agreed_at.as_deref().and_then(madrid_day);
            on_or_after(day, from).then(|| Record {
                id: r.id,
                reference: r.reference,
                title: r.title,
                agreed_on: day.map(iso),
                amount_cents: Some(r.amount.unwrap_or(0)),
                ..Record::default()
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: String,
    code_name: String,
    stage: String,
    stage_since: String,
    operating_since: Option<String>,
}

async fn projects(db: &Db, from: Option<Date>) -> anyhow::Result<Vec<Record>> {
    let rows: Vec<ProjectRow> = sqlx::query_as(
        "SELECT p.id, p.code_name, p.stage, p.stage_since, \
         (SELECT MIN(s.entered_at) FROM project_stages s \
          WHERE s.project_id = p.id AND s.stage = 'operating') AS operating_since \
         FROM projects p WHERE p.stage IN ('operating', 'aftercare') ORDER BY p.code_name, p.id",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            // The first day in operation; a project put straight into
            // operation without its history: the day it entered its stage.
            let since = r
                .operating_since
                .as_deref()
                .or((r.stage == "operating").then_some(r.stage_since.as_str()))
                .and_then(madrid_day);
            on_or_after(since, from).then(|| Record {
                id: r.id,
                reference: r.code_name,
                stage: Some(r.stage),
                since: since.map(iso),
                ..Record::default()
            })
        })
        .collect())
}

/// Whole percent rounded down, 0 of nothing.
fn floor_percent(part: i64, of: i64) -> i64 {
    if of <= 0 {
        0
    } else {
        part.saturating_mul(100) / of
    }
}

/// The value of `indicator` counted from `from` (all time when `None`) up to
/// `today`, in the indicator's unit (count, euro cents, whole percentage).
pub async fn value(
    db: &Db,
    indicator: Indicator,
    from: Option<Date>,
    today: Date,
) -> anyhow::Result<i64> {
    Ok(match indicator {
        Indicator::NeedsWithinTarget => {
            let c = clocks(db, from, today).await?;
            c.iter().filter(|c| c.within()).count() as i64
        }
        Indicator::NeedsWithinTargetShare => {
            let c = clocks(db, from, today).await?;
            let decided: Vec<&Clocked> = c.iter().filter(|c| c.decided(today)).collect();
            let within = decided.iter().filter(|c| c.within()).count();
            floor_percent(within as i64, decided.len() as i64)
        }
        Indicator::NeedsAgreed => agreed(db, from).await?.len() as i64,
        Indicator::LocalAwarded => agreed(db, from)
            .await?
            .iter()
            .map(|r| r.amount_cents.unwrap_or(0))
            .fold(0i64, i64::saturating_add),
        Indicator::ProjectsOperating => projects(db, from).await?.len() as i64,
    })
}

/// The records behind the value of `indicator` from `from`, seen on `today`:
/// for `needs_within_target` the needs within target (as many as the value),
/// for the share the needs whose clock has decided (the denominator, each
/// marked within or not), for `needs_agreed` and `local_awarded` the agreed
/// needs with their amounts, for `projects_operating` the projects by code name.
pub async fn records(
    db: &Db,
    indicator: Indicator,
    from: Option<Date>,
    today: Date,
) -> anyhow::Result<Vec<Record>> {
    Ok(match indicator {
        Indicator::NeedsWithinTarget | Indicator::NeedsWithinTargetShare => {
            let targets = dashboard::targets(db).await?;
            let c = clocks(db, from, today).await?;
            c.iter()
                .filter(|c| match indicator {
                    Indicator::NeedsWithinTarget => c.within(),
                    _ => c.decided(today),
                })
                .map(|c| clock_record(c, &targets))
                .collect()
        }
        Indicator::NeedsAgreed | Indicator::LocalAwarded => agreed(db, from).await?,
        Indicator::ProjectsOperating => projects(db, from).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_floors_and_is_zero_of_nothing() {
        assert_eq!(floor_percent(2, 3), 66);
        assert_eq!(floor_percent(1, 3), 33);
        assert_eq!(floor_percent(3, 3), 100);
        assert_eq!(floor_percent(0, 0), 0);
    }

    #[test]
    fn from_is_inclusive_and_an_unknown_day_counts_only_for_all_time() {
        let d = time::macros::date!(2026 - 07 - 01);
        assert!(on_or_after(Some(d), Some(d)));
        assert!(!on_or_after(d.previous_day(), Some(d)));
        assert!(on_or_after(None, None));
        assert!(!on_or_after(None, Some(d)));
    }
}
