//! TODO(demo helper): the pact's members, working groups, meetings with
//! minutes, agreements and commitments in every state.

use crate::db::Db;

/// Loads the alliance's demo once; returns how many commitments it added.
pub async fn load(db: &Db) -> anyhow::Result<u64> {
    let _ = db;
    Ok(0)
}
