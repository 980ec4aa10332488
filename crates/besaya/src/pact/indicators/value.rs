//! The value of an indicator computed from the platform's records (the
//! contract used by the commitments' tree, the report and the public page).

use besaya_domain::alliance::Indicator;
use time::Date;

use crate::db::Db;

/// The value of `indicator` counted from `from` (all time when `None`) up to
/// `today`, in the indicator's unit (count, euro cents, whole percentage).
pub async fn value(
    db: &Db,
    indicator: Indicator,
    from: Option<Date>,
    today: Date,
) -> anyhow::Result<i64> {
    let _ = (db, indicator, from, today);
    todo!("indicators helper")
}
