//! The append-only audit log: who changed what, when. Every write of the platform
//! records an entry in the same transaction as the change (the database refuses
//! updates and deletes of the log itself).

use serde_json::{Map, Value, json};
use sqlx::AnyConnection;

/// One audit entry, written with [`Audit::record`].
#[derive(Debug, Clone)]
pub struct Audit<'a> {
    /// The user who acted; `None` for the system (CLI, jobs, demo loader).
    pub actor: Option<&'a str>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// `create`, `update`, `delete`, `transition`...
    pub action: &'a str,
    pub changes: Changes,
}

/// The changed fields with their values before and after.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a field only when it changed.
    pub fn field(mut self, name: &str, before: impl Into<Value>, after: impl Into<Value>) -> Self {
        let (before, after) = (before.into(), after.into());
        if before != after {
            self.0
                .insert(name.to_owned(), json!({ "before": before, "after": after }));
        }
        self
    }

    /// Records a field of a new record (no before).
    pub fn created(self, name: &str, after: impl Into<Value>) -> Self {
        self.field(name, Value::Null, after)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

impl Audit<'_> {
    /// Appends the entry inside the caller's transaction.
    pub async fn record(&self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, changes) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(super::now())
        .bind(self.actor)
        .bind(self.entity)
        .bind(self.entity_id)
        .bind(self.action)
        .bind(self.changes.to_json())
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_kept() {
        let c = Changes::new()
            .field("name", "Acme", "Acme")
            .field("employees", 10, 12)
            .created("kind", "company");
        assert_eq!(
            c.to_json(),
            r#"{"employees":{"after":12,"before":10},"kind":{"after":"company","before":null}}"#
        );
    }
}
