//! Organisations: the shared registry every module stands on. The foundation
//! holds the core record (name, kind, tax id, municipality); the directory
//! module completes it.

use besaya_domain::Nif;
use sqlx::AnyConnection;

use crate::db::{self, Audit, Changes, Sql};

/// The kinds of organisation of the registry.
pub const KINDS: [&str; 8] = [
    "company",
    "administration",
    "business_association",
    "union",
    "training_centre",
    "research_centre",
    "investor",
    "other",
];

/// A new organisation, already validated.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub name: String,
    pub kind: &'static str,
    pub tax_id: Nif,
    pub municipality_code: Option<String>,
}

/// Inserts organisations in bulk with their audit entries, in the caller's
/// transaction. Tax ids already registered are skipped (the registry is
/// de-duplicated by tax id). Returns how many were inserted.
pub async fn insert_many(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    orgs: &[NewOrg],
) -> Result<u64, sqlx::Error> {
    let mut inserted = 0;
    for chunk in orgs.chunks(200) {
        let now = db::now();
        let ids: Vec<String> = chunk.iter().map(|_| db::new_id()).collect();
        let mut sql = Sql::new(
            "INSERT INTO organizations (id, name, kind, tax_id, municipality_code, version, created_at, updated_at) VALUES ",
        );
        for (i, (o, id)) in chunk.iter().zip(&ids).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(id.clone())
                .push(", ")
                .bind(o.name.clone())
                .push(", ")
                .bind(o.kind)
                .push(", ")
                .bind(o.tax_id.as_str().to_owned())
                .push(", ")
                .bind(o.municipality_code.clone())
                .push(", 1, ")
                .bind(now.clone())
                .push(", ")
                .bind(now.clone())
                .push(")");
        }
        sql.push(" ON CONFLICT (tax_id) DO NOTHING RETURNING id");
        let (text, args) = sql.build()?;
        let created: Vec<String> = sqlx::query_scalar_with(&text, args)
            .fetch_all(&mut *conn)
            .await?;
        for (o, id) in chunk
            .iter()
            .zip(&ids)
            .filter(|(_, id)| created.contains(id))
        {
            Audit {
                actor,
                entity: "organization",
                entity_id: id,
                action: "create",
                changes: Changes::new()
                    .created("name", o.name.clone())
                    .created("kind", o.kind)
                    .created("tax_id", o.tax_id.as_str())
                    .created("municipality_code", o.municipality_code.clone()),
            }
            .record(&mut *conn)
            .await?;
        }
        inserted += created.len() as u64;
    }
    Ok(inserted)
}
