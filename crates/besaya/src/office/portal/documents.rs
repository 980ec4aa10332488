//! Documents of a project: the office requests one of the investor (title,
//! description, due date, shown to the investor or internal) → `requested`; the
//! investor (or the office on its behalf) uploads the file → `uploaded` (a new
//! upload replaces the file of a document not yet accepted); the office reviews
//! it → `accepted`, or `rejected` with a comment, after which it can be uploaded
//! again. The office's own documents (not requests) need no review: their upload
//! makes them `accepted`. Every write is audited and goes on the timeline.

use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool, FromRow};
use utoipa::ToSchema;

use super::kind::DocKind;
use crate::db::versioned::{BumpError, Versioned, bump_version};
use crate::db::{self, Audit, Changes, VersionConflict};
use crate::office::projects::record_event;

/// Longest title and description of a document.
pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;
/// Longest review comment.
pub const COMMENT_MAX: usize = 5000;

/// A document of a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Document {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub description: String,
    /// `requested` (waiting for its file), `uploaded` (waiting for review), `accepted`, `rejected`.
    #[schema(example = "requested")]
    pub status: String,
    /// `request`: asked of the investor; `office`: a document of the office itself (no review).
    #[schema(example = "request")]
    pub origin: String,
    pub requested_at: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// The uploaded file's name, as it downloads.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// Bytes.
    pub size: Option<i64>,
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: Option<String>,
    /// The office's comment on its review (why it was rejected, say).
    pub review_comment: Option<String>,
    /// Shown to the investor (`false`: internal to the office).
    pub for_investor: bool,
    /// Where the file downloads (API), once there is one.
    pub file_url: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Document {
    pub fn has_file(&self) -> bool {
        self.file_name.is_some()
    }

    pub fn is_request(&self) -> bool {
        self.origin == "request"
    }

    /// The kind of the stored file.
    pub fn kind(&self) -> Option<DocKind> {
        self.content_type
            .as_deref()
            .and_then(DocKind::from_content_type)
    }

    /// Whether the investor has something to do: upload it, or upload it again.
    pub fn awaits_investor(&self) -> bool {
        self.is_request()
            && self.for_investor
            && matches!(self.status.as_str(), "requested" | "rejected")
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    project_id: String,
    title: String,
    description: String,
    status: String,
    requested_at: Option<String>,
    due_on: Option<String>,
    file_id: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
    size: Option<i64>,
    uploaded_by_name: Option<String>,
    uploaded_at: Option<String>,
    review_comment: Option<String>,
    for_investor: i64,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl Row {
    fn into_document(self) -> (Document, Option<String>) {
        let file_url = self.file_id.as_ref().map(|_| {
            format!(
                "/api/v1/projects/{}/documents/{}/file",
                self.project_id, self.id
            )
        });
        (
            Document {
                origin: if self.requested_at.is_some() {
                    "request"
                } else {
                    "office"
                }
                .to_owned(),
                id: self.id,
                project_id: self.project_id,
                title: self.title,
                description: self.description,
                status: self.status,
                requested_at: self.requested_at,
                due_on: self.due_on,
                file_name: self.file_id.as_ref().and(self.file_name),
                content_type: self.content_type,
                size: self.size,
                uploaded_by_name: self.uploaded_by_name,
                uploaded_at: self.uploaded_at,
                review_comment: self.review_comment,
                for_investor: self.for_investor != 0,
                file_url,
                version: self.version,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            self.file_id,
        )
    }
}

const SELECT: &str = "SELECT d.id, d.project_id, d.title, d.description, d.status, d.requested_at, d.due_on, \
     d.file_id, d.file_name, f.content_type, f.size, u.name AS uploaded_by_name, d.uploaded_at, d.review_comment, \
     d.for_investor, d.version, d.created_at, d.updated_at \
     FROM project_documents d LEFT JOIN files f ON f.id = d.file_id LEFT JOIN users u ON u.id = d.uploaded_by";

/// What the investor sees: documents shown to it that are requests or hold a file.
const INVESTOR_ONLY: &str =
    " AND d.for_investor = 1 AND (d.requested_at IS NOT NULL OR d.file_id IS NOT NULL)";

/// The documents of a project in the order they were created, at most `limit`
/// after the cursor `after` (`created_at|id`); only what the investor sees when `investor`.
pub async fn list(
    pool: &AnyPool,
    project_id: &str,
    investor: bool,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<Document>, sqlx::Error> {
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE d.project_id = ")
        .bind(project_id.to_owned());
    if investor {
        sql.push(INVESTOR_ONLY);
    }
    if let Some((at, id)) = after {
        sql.push(" AND (d.created_at > ")
            .bind(at.to_owned())
            .push(" OR (d.created_at = ")
            .bind(at.to_owned())
            .push(" AND d.id > ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY d.created_at, d.id LIMIT ").bind(limit);
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| r.into_document().0).collect())
}

/// One document of a project with its stored file's id; `None` when it does not
/// exist there or (with `investor`) the investor may not see it.
pub async fn get(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
    investor: bool,
) -> Result<Option<(Document, Option<String>)>, sqlx::Error> {
    let mut sql = db::Sql::new(SELECT);
    sql.push(" WHERE d.project_id = ")
        .bind(project_id.to_owned())
        .push(" AND d.id = ")
        .bind(id.to_owned());
    if investor {
        sql.push(INVESTOR_ONLY);
    }
    let (text, args) = sql.build()?;
    let row: Option<Row> = sqlx::query_as_with(&text, args)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Row::into_document))
}

/// A document to request, or an office document to create, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: String,
    pub description: String,
    pub due_on: Option<String>,
    pub for_investor: bool,
    /// A request to the investor (else a document of the office itself).
    pub request: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the document does not exist")]
    NotFound,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("the document was accepted: its file can no longer be replaced")]
    Accepted,
    #[error("only an uploaded document waiting for review can be reviewed")]
    NotReviewable,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<BumpError> for DocError {
    fn from(e: BumpError) -> Self {
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => Self::Db(e),
        }
    }
}

/// Creates a document of a project (a request, or an office document waiting for
/// its file) with its timeline entry and audit. Returns its id.
pub async fn create(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    d: &NewDocument,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO project_documents (id, project_id, title, description, status, requested_by, requested_at, \
         due_on, for_investor, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(&d.title)
    .bind(&d.description)
    .bind(if d.request { actor } else { None })
    .bind(if d.request { Some(now.clone()) } else { None })
    .bind(&d.due_on)
    .bind(i64::from(d.for_investor))
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    if d.request {
        record_event(
            &mut *conn,
            project_id,
            actor,
            "document_requested",
            json!({ "title": d.title, "due_on": d.due_on.clone().unwrap_or_default() }),
            d.for_investor,
        )
        .await?;
    }
    Audit {
        actor,
        entity: "project_document",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("project_id", project_id)
            .created("title", d.title.clone())
            .created("description", d.description.clone())
            .created("due_on", json!(d.due_on))
            .created("for_investor", d.for_investor)
            .created("origin", if d.request { "request" } else { "office" }),
    }
    .record(conn)
    .await?;
    Ok(id)
}

/// A checked file to store.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub kind: DocKind,
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Stores the file of a document (from version `expected`, when given), replacing
/// the one it had unless the document was accepted. A request becomes `uploaded`;
/// an office document `accepted`. Returns the new version.
pub async fn upload(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: Option<i64>,
    file: &NewFile<'_>,
) -> Result<i64, DocError> {
    let (doc, old_file) = get(&mut *conn, project_id, id, false)
        .await?
        .ok_or(DocError::NotFound)?;
    if let Some(v) = expected
        && v != doc.version
    {
        return Err(DocError::Conflict(VersionConflict {
            current: Some(doc.version),
        }));
    }
    if doc.status == "accepted" {
        return Err(DocError::Accepted);
    }
    let version = bump_version(&mut *conn, Versioned::ProjectDocuments, id, doc.version).await?;
    let file_id = crate::files::put(&mut *conn, file.kind.content_type(), file.bytes).await?;
    let status = if doc.is_request() {
        "uploaded"
    } else {
        "accepted"
    };
    sqlx::query(
        "UPDATE project_documents SET file_id = $1, file_name = $2, uploaded_by = $3, uploaded_at = $4, \
         status = $5, review_comment = NULL WHERE id = $6",
    )
    .bind(&file_id)
    .bind(file.name)
    .bind(actor)
    .bind(db::now())
    .bind(status)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if let Some(old) = old_file {
        crate::files::delete(&mut *conn, &old).await?;
    }
    record_event(
        &mut *conn,
        project_id,
        actor,
        "document_uploaded",
        json!({ "title": doc.title, "file_name": file.name }),
        doc.for_investor,
    )
    .await?;
    Audit {
        actor,
        entity: "project_document",
        entity_id: id,
        action: "upload",
        changes: Changes::new()
            .field("status", doc.status.clone(), status)
            .field("file_name", json!(doc.file_name), file.name)
            .field(
                "content_type",
                json!(doc.content_type),
                file.kind.content_type(),
            )
            .field("size", json!(doc.size), file.bytes.len() as i64),
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// The office's review of an uploaded document, from version `expected`.
/// Returns the new version.
pub async fn review(
    conn: &mut AnyConnection,
    actor: Option<&str>,
    project_id: &str,
    id: &str,
    expected: i64,
    accepted: bool,
    comment: Option<&str>,
) -> Result<i64, DocError> {
    let (doc, _) = get(&mut *conn, project_id, id, false)
        .await?
        .ok_or(DocError::NotFound)?;
    if expected != doc.version {
        return Err(DocError::Conflict(VersionConflict {
            current: Some(doc.version),
        }));
    }
    if doc.status != "uploaded" {
        return Err(DocError::NotReviewable);
    }
    let version = bump_version(&mut *conn, Versioned::ProjectDocuments, id, expected).await?;
    let status = if accepted { "accepted" } else { "rejected" };
    sqlx::query("UPDATE project_documents SET status = $1, review_comment = $2 WHERE id = $3")
        .bind(status)
        .bind(comment)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record_event(
        &mut *conn,
        project_id,
        actor,
        "document_reviewed",
        json!({ "title": doc.title, "status": status, "comment": comment.unwrap_or("") }),
        doc.for_investor,
    )
    .await?;
    Audit {
        actor,
        entity: "project_document",
        entity_id: id,
        action: "review",
        changes: Changes::new()
            .field("status", doc.status.clone(), status)
            .field("review_comment", json!(doc.review_comment), json!(comment)),
    }
    .record(conn)
    .await?;
    Ok(version)
}

/// How many documents the investor still has to upload, per project.
pub async fn pending_for_investor(
    pool: &AnyPool,
    project_ids: &[String],
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let mut out = std::collections::HashMap::new();
    for chunk in project_ids.chunks(500) {
        let mut sql = db::Sql::new(
            "SELECT project_id, COUNT(*) FROM project_documents WHERE for_investor = 1 \
             AND requested_at IS NOT NULL AND status IN ('requested', 'rejected') AND project_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(id.clone());
        }
        sql.push(") GROUP BY project_id");
        let (text, args) = sql.build()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&text, args).fetch_all(pool).await?;
        out.extend(rows);
    }
    Ok(out)
}
