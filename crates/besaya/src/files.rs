//! The file store: photos and documents, kept in the database so that every
//! instance sees them and a backup of the database holds them (ADR 0006).
//! Callers check type and size before storing.

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::db;

/// A stored file.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

/// Stores the bytes and returns the file's id.
pub async fn put(
    conn: &mut AnyConnection,
    content_type: &str,
    data: &[u8],
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let sha = hex::encode(Sha256::digest(data));
    sqlx::query(
        "INSERT INTO files (id, content_type, size, sha256, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(content_type)
    .bind(data.len() as i64)
    .bind(&sha)
    .bind(data.to_vec())
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredFile>, sqlx::Error> {
    let row: Option<(String, String, Vec<u8>)> =
        sqlx::query_as("SELECT content_type, sha256, data FROM files WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(content_type, sha256, data)| StoredFile {
        content_type,
        sha256,
        data,
    }))
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM files WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
