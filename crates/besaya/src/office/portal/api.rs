//! `/api/v1/projects/{id}/documents`, `/messages` and `/invitations`.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use besaya_domain::directory::{format_date, parse_date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::documents::{self, DocError, Document, NewDocument, NewFile};
use super::invite::{self, InviteError, Outcome};
use super::kind::{self, DocKind};
use super::messages::{self, Message, Notify};
use super::upload::{self, Upload};
use super::{Invalid, documents::COMMENT_MAX};
use crate::AppState;
use crate::api::{ApiError, ApiJson, ApiPath, ApiQuery, Page, Paging, Problem, problem_response};
use crate::auth::ApiUser;
use crate::office::policy::Access;
use crate::office::projects::{self, Project};
use crate::web::invalid::text;

#[derive(OpenApi)]
#[openapi(
    paths(
        list_documents,
        request_document,
        upload_file,
        download_file,
        review_document,
        list_messages,
        post_message,
        invite_investor
    ),
    components(schemas(
        Document,
        Message,
        DocumentRequest,
        ReviewBody,
        MessageBody,
        InvitationBody,
        Invitation,
        UploadForm
    ))
)]
pub struct Api;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route(
            "/projects/{id}/documents",
            get(list_documents).post(request_document),
        )
        .route(
            "/projects/{id}/documents/{did}/file",
            get(download_file)
                .post(upload_file)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/projects/{id}/documents/{did}/review",
            post(review_document),
        )
        .route(
            "/projects/{id}/messages",
            get(list_messages).post(post_message),
        )
        .route("/projects/{id}/invitations", post(invite_investor))
}

// ---- Rules ----

/// May read the project's documents and messages: its investor, or the office
/// when it may see the investor (both name it).
pub fn can_read(a: Access) -> bool {
    a.investor || a.see_investor
}

/// May write a message: the investor, or the office when it may change the project.
pub fn can_write_message(a: Access) -> bool {
    a.investor || a.edit
}

// ---- Errors ----

/// An error answer: problem+json.
pub struct Fail(Response);

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        self.0
    }
}

impl From<ApiError> for Fail {
    fn from(e: ApiError) -> Self {
        Self(e.into_response())
    }
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        ApiError::from(e).into()
    }
}

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e).into()
    }
}

/// A problem with a code of this module.
fn problem(status: StatusCode, code: &str, title: &str, detail: String) -> Fail {
    Fail(problem_response(Problem {
        kind: format!("tag:besaya,2026:problem:{code}"),
        title: title.to_owned(),
        status: status.as_u16(),
        code: code.to_owned(),
        detail: Some(detail),
        errors: Vec::new(),
        current_version: None,
        existing_id: None,
    }))
}

fn invalid(state: &AppState, errs: &[Invalid]) -> Fail {
    let en = crate::office::english(state);
    ApiError::Validation(errs.iter().map(|e| e.to_field_error(&en)).collect()).into()
}

fn doc_error(e: DocError) -> Fail {
    match e {
        DocError::NotFound => ApiError::NotFound.into(),
        DocError::Conflict(c) => ApiError::Conflict(c).into(),
        DocError::Accepted => problem(
            StatusCode::CONFLICT,
            "document_accepted",
            "Document accepted",
            "The document was accepted: its file can no longer be replaced.".into(),
        ),
        DocError::NotReviewable => problem(
            StatusCode::CONFLICT,
            "not_reviewable",
            "Nothing to review",
            "Only an uploaded document waiting for review can be accepted or rejected.".into(),
        ),
        DocError::Db(e) => e.into(),
    }
}

/// The project as the caller may see it; 404 when it may not know it exists.
async fn project(
    state: &AppState,
    user: &crate::auth::User,
    id: &str,
) -> Result<(Project, Access), Fail> {
    projects::visible(state.db.reader(), user, id)
        .await?
        .ok_or_else(|| ApiError::NotFound.into())
}

fn after(p: &Paging) -> Option<(&str, &str)> {
    p.after.as_deref().and_then(|a| a.split_once('|'))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

// ---- Documents ----

/// The documents of a project, oldest first: requests to the investor with
/// their status, and the office's own. The investor sees only those shown to it;
/// staff who may not see a confidential project's investor get 403.
#[utoipa::path(get, path = "/api/v1/projects/{id}/documents", tag = "office",
    params(("id" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Document>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list_documents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Document>>, Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !can_read(access) {
        return Err(ApiError::Forbidden.into());
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let rows = documents::list(
        state.db.reader(),
        &p.id,
        access.investor,
        after(&paging),
        paging.fetch(),
    )
    .await?;
    Ok(Json(
        paging.page(rows, |d| format!("{}|{}", d.created_at, d.id)),
    ))
}

/// A document to request of the investor (or to create as the office's own).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200, example = "Plan de negocio")]
    pub title: String,
    /// What the office needs, at most 5000 characters.
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(example = "2026-12-31", format = Date)]
    pub due_on: Option<String>,
    /// Shown to the investor (default true); `false` for an internal document of the office.
    pub for_investor: Option<bool>,
    /// `request` (default): asked of the investor, reviewed once uploaded;
    /// `office`: a document of the office itself, accepted when its file is uploaded.
    #[schema(example = "request", pattern = "^(request|office)$")]
    pub origin: Option<String>,
}

/// Checks a document's fields (from the API or a form).
pub fn validate_document(
    title: Option<&str>,
    description: Option<&str>,
    due_on: Option<&str>,
    for_investor: bool,
    request: bool,
) -> Result<NewDocument, Vec<Invalid>> {
    let mut e = Vec::new();
    let title = text(&mut e, "title", title, documents::TITLE_MAX, false);
    if title.is_none() && !e.iter().any(|i: &Invalid| i.field == "title") {
        e.push(Invalid::new("title", "required"));
    }
    let description = text(
        &mut e,
        "description",
        description,
        documents::DESCRIPTION_MAX,
        true,
    )
    .unwrap_or_default();
    let due_on = match due_on.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => match parse_date(raw) {
            Some(d) => Some(format_date(d)),
            None => {
                e.push(Invalid::with(
                    "due_on",
                    "invalid_date",
                    raw.chars().take(20).collect::<String>(),
                ));
                None
            }
        },
    };
    match title {
        Some(title) if e.is_empty() => Ok(NewDocument {
            title,
            description,
            due_on: if request { due_on } else { None },
            for_investor,
            request,
        }),
        _ => Err(e),
    }
}

/// Requests a document of the investor (office with the right to change the
/// project). The timeline records it, for the investor too unless internal.
#[utoipa::path(post, path = "/api/v1/projects/{id}/documents", tag = "office",
    params(("id" = String, Path)), request_body = DocumentRequest, security(("bearer" = [])),
    responses((status = 201, body = Document),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn request_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DocumentRequest>,
) -> Result<(StatusCode, Json<Document>), Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !access.edit {
        return Err(ApiError::Forbidden.into());
    }
    let request = match body.origin.as_deref() {
        None | Some("request") => true,
        Some("office") => false,
        Some(other) => {
            return Err(invalid(
                &state,
                &[Invalid::with(
                    "origin",
                    "invalid_choice",
                    other.chars().take(40).collect::<String>(),
                )],
            ));
        }
    };
    let new = validate_document(
        Some(&body.title),
        body.description.as_deref(),
        body.due_on.as_deref(),
        body.for_investor.unwrap_or(true),
        request,
    )
    .map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    let doc_id = documents::create(&mut tx, Some(&user.id), &p.id, &new).await?;
    let doc = documents::get(&mut tx, &p.id, &doc_id, false).await?;
    tx.commit().await?;
    let (doc, _) = doc.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(doc)))
}

/// The body of an upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documents the multipart form
pub struct UploadForm {
    /// PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or
    /// spreadsheet (.ods), recognised by its content; at most the configured size.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The version read; when given, a stale one gets 409.
    version: Option<i64>,
}

/// Why an upload is refused, before anything is stored.
pub enum FileProblem {
    TooLarge,
    /// Not an accepted kind (by its bytes).
    WrongType,
    /// No file, or an empty one.
    Missing,
    Malformed,
    Forbidden,
}

/// Reads and checks an uploaded file: (its kind, the name it will download as, the form).
pub async fn read_file(
    state: &AppState,
    multipart: Result<Multipart, MultipartRejection>,
    csrf: Option<&crate::auth::csrf::CsrfToken>,
) -> Result<(DocKind, String, Upload), (FileProblem, Option<Upload>)> {
    let Ok(multipart) = multipart else {
        return Err((FileProblem::Malformed, None));
    };
    let max = state.config.upload_max_mb.saturating_mul(1024 * 1024) as usize;
    let up = match upload::read(multipart, csrf, max).await {
        Ok(up) => up,
        Err(upload::Problem::TooLarge(up)) => return Err((FileProblem::TooLarge, Some(up))),
        Err(upload::Problem::Forbidden) => return Err((FileProblem::Forbidden, None)),
        Err(upload::Problem::Malformed) => return Err((FileProblem::Malformed, None)),
    };
    if up.bytes.is_empty() {
        return Err((FileProblem::Missing, Some(up)));
    }
    match kind::sniff(&up.bytes) {
        Some(k) => {
            let name = kind::download_name(&up.file_name, Some(k));
            Ok((k, name, up))
        }
        None => Err((FileProblem::WrongType, Some(up))),
    }
}

/// The accepted kinds, for messages.
pub fn accepted_kinds() -> String {
    DocKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Uploads the file of a document (multipart form, field `file`): the investor
/// for the documents requested of it, the office for any. A new upload replaces
/// the file of a document not yet accepted. The type is recognised by the
/// file's content (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS), never by its name.
#[utoipa::path(post, path = "/api/v1/projects/{id}/documents/{did}/file", tag = "office",
    params(("id" = String, Path), ("did" = String, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 200, description = "The document with its new file", body = Document),
        (status = 400, description = "Not a readable multipart form", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or the document was accepted", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than allowed", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an accepted kind of file", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, or an invalid version", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn upload_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, did)): ApiPath<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<Document>, Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !access.edit && !access.investor {
        return Err(ApiError::Forbidden.into());
    }
    let doc = {
        let mut conn = state.db.reader().acquire().await?;
        documents::get(&mut conn, &p.id, &did, access.investor).await?
    };
    let Some((doc, _)) = doc else {
        return Err(ApiError::NotFound.into());
    };
    if access.investor && !doc.is_request() {
        return Err(ApiError::Forbidden.into());
    }
    let max_mb = state.config.upload_max_mb;
    let (kind, name, up) = match read_file(&state, multipart, None).await {
        Ok(ok) => ok,
        Err((FileProblem::TooLarge, _)) => {
            return Err(problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Payload too large",
                format!("The file is larger than {max_mb} MB."),
            ));
        }
        Err((FileProblem::WrongType, _)) => {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_file_type",
                "Unsupported file type",
                format!("Send a file of one of these kinds: {}.", accepted_kinds()),
            ));
        }
        Err((FileProblem::Missing, _)) => {
            return Err(invalid(&state, &[Invalid::new("file", "file_required")]));
        }
        Err((FileProblem::Malformed | FileProblem::Forbidden, _)) => {
            return Err(ApiError::BadRequest {
                code: "malformed_multipart",
                detail: "Send a multipart/form-data body with the file in the field `file`.".into(),
            }
            .into());
        }
    };
    let version = match up.field("version").map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return Err(invalid(
                    &state,
                    &[Invalid::with(
                        "version",
                        "invalid_version",
                        v.chars().take(20).collect::<String>(),
                    )],
                ));
            }
        },
    };
    let mut tx = state.db.writer().begin().await?;
    documents::upload(
        &mut tx,
        Some(&user.id),
        &p.id,
        &did,
        version,
        &NewFile {
            kind,
            name: &name,
            bytes: &up.bytes,
        },
    )
    .await
    .map_err(doc_error)?;
    if access.investor {
        // The file a correction request asked for: the procedure resumes.
        crate::office::procedures::store::correction_uploaded(&state, &mut tx, &user, &p.id, &did)
            .await
            .map_err(|e| ApiError::from(e.into_sqlx()))?;
    }
    let doc = documents::get(&mut tx, &p.id, &did, false).await?;
    tx.commit().await?;
    let (doc, _) = doc.ok_or(ApiError::NotFound)?;
    Ok(Json(doc))
}

/// Serves a document's file as an attachment, never to be shown inline.
pub async fn file_response(
    state: &AppState,
    project_id: &str,
    did: &str,
    investor: bool,
) -> Result<Option<Response>, sqlx::Error> {
    let mut conn = state.db.reader().acquire().await?;
    let Some((doc, Some(file_id))) = documents::get(&mut conn, project_id, did, investor).await?
    else {
        return Ok(None);
    };
    let Some(f) = crate::files::get(&mut conn, &file_id).await? else {
        return Ok(None);
    };
    let kind = DocKind::from_content_type(&f.content_type);
    let name = kind::download_name(doc.file_name.as_deref().unwrap_or(&doc.title), kind);
    let mut res = (StatusCode::OK, f.data).into_response();
    let h = res.headers_mut();
    let ct = kind.map_or("application/octet-stream", DocKind::content_type);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&kind::content_disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(Some(res))
}

/// Downloads a document's file (`Content-Disposition: attachment` with the
/// file's own name). The investor only gets the documents shown to it.
#[utoipa::path(get, path = "/api/v1/projects/{id}/documents/{did}/file", tag = "office",
    params(("id" = String, Path), ("did" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file", content(
            ("application/pdf"), ("image/png"), ("image/jpeg"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.oasis.opendocument.text"),
            ("application/vnd.oasis.opendocument.spreadsheet"),
            ("application/octet-stream"))),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document, or no file yet", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn download_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, did)): ApiPath<(String, String)>,
) -> Result<Response, Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !can_read(access) {
        return Err(ApiError::Forbidden.into());
    }
    file_response(&state, &p.id, &did, access.investor)
        .await?
        .ok_or_else(|| ApiError::NotFound.into())
}

/// The office's review of an uploaded document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `accepted` or `rejected`.
    #[schema(example = "accepted", pattern = "^(accepted|rejected)$")]
    pub status: String,
    /// Required when rejecting: what is wrong (the investor reads it). At most 5000 characters.
    #[schema(max_length = 5000)]
    pub comment: Option<String>,
    /// The version read; a stale one gets 409.
    pub version: i64,
}

/// Checks a review: (accepted, comment).
pub fn validate_review(
    status: Option<&str>,
    comment: Option<&str>,
) -> Result<(bool, Option<String>), Vec<Invalid>> {
    let mut e = Vec::new();
    let accepted = match status.map(str::trim) {
        Some("accepted") => Some(true),
        Some("rejected") => Some(false),
        None | Some("") => {
            e.push(Invalid::new("status", "required"));
            None
        }
        Some(other) => {
            e.push(Invalid::with(
                "status",
                "invalid_choice",
                other.chars().take(40).collect::<String>(),
            ));
            None
        }
    };
    let comment = text(&mut e, "comment", comment, COMMENT_MAX, true);
    if accepted == Some(false)
        && comment.is_none()
        && !e.iter().any(|i: &Invalid| i.field == "comment")
    {
        e.push(Invalid::new("comment", "comment_required"));
    }
    match accepted {
        Some(a) if e.is_empty() => Ok((a, comment)),
        _ => Err(e),
    }
}

/// Accepts or rejects an uploaded document (office with the right to change the
/// project). A rejection needs a comment; the investor may then upload it again.
#[utoipa::path(post, path = "/api/v1/projects/{id}/documents/{did}/review", tag = "office",
    params(("id" = String, Path), ("did" = String, Path)), request_body = ReviewBody, security(("bearer" = [])),
    responses((status = 200, body = Document),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, or nothing uploaded to review", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn review_document(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, did)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<Document>, Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !access.edit {
        return Err(ApiError::Forbidden.into());
    }
    let (accepted, comment) = validate_review(Some(&body.status), body.comment.as_deref())
        .map_err(|e| invalid(&state, &e))?;
    let mut tx = state.db.writer().begin().await?;
    documents::review(
        &mut tx,
        Some(&user.id),
        &p.id,
        &did,
        body.version,
        accepted,
        comment.as_deref(),
    )
    .await
    .map_err(doc_error)?;
    let doc = documents::get(&mut tx, &p.id, &did, false).await?;
    tx.commit().await?;
    let (doc, _) = doc.ok_or(ApiError::NotFound)?;
    Ok(Json(doc))
}

// ---- Messages ----

/// The thread of a project, oldest first (the cursor continues forward, so a
/// client can fetch what is new since its last page).
#[utoipa::path(get, path = "/api/v1/projects/{id}/messages", tag = "office",
    params(("id" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Message>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn list_messages(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Message>>, Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !can_read(access) {
        return Err(ApiError::Forbidden.into());
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let rows = messages::list(state.db.reader(), &p.id, after(&paging), paging.fetch()).await?;
    Ok(Json(paging.page(rows, |m| format!("{}|{}", m.at, m.id))))
}

/// A new message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// 1–5000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub body: String,
}

/// Checks a message's text.
pub fn validate_message(body: Option<&str>) -> Result<String, Vec<Invalid>> {
    let mut e = Vec::new();
    match text(&mut e, "body", body, messages::BODY_MAX, true) {
        Some(b) => Ok(b),
        None => {
            if e.is_empty() {
                e.push(Invalid::new("body", "required"));
            }
            Err(e)
        }
    }
}

/// Writes a message on the project's thread (the investor, or the office when it
/// may change the project). It is e-mailed: from the investor to the project's
/// owner and team, from the office to the investor's active users.
#[utoipa::path(post, path = "/api/v1/projects/{id}/messages", tag = "office",
    params(("id" = String, Path)), request_body = MessageBody, security(("bearer" = [])),
    responses((status = 201, body = Message),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn post_message(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MessageBody>,
) -> Result<(StatusCode, Json<Message>), Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !can_write_message(access) {
        return Err(ApiError::Forbidden.into());
    }
    let text = validate_message(Some(&body.body)).map_err(|e| invalid(&state, &e))?;
    let notify = Notify {
        i18n: &state.i18n,
        base: state.config.public_base(),
    };
    let mut tx = state.db.writer().begin().await?;
    let message_id = messages::post(&mut tx, &notify, &user, &p, &text).await?;
    tx.commit().await?;
    let m = messages::get(state.db.reader(), &message_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(m)))
}

// ---- Invitations ----

/// A person of the investor to invite to the portal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        example = "Inés Ortiz"
    )]
    pub name: String,
    #[schema(
        example = "ines@acme.example",
        pattern = r"^[A-Za-z0-9_%+-]{1,20}(\.[A-Za-z0-9_%+-]{1,20}){0,2}@[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?){1,3}$"
    )]
    pub email: String,
    /// `es` (default) or `en`: the language of the e-mails and the pages.
    #[schema(example = "en", pattern = "^(es|en)$")]
    pub lang: Option<String>,
}

/// What an invitation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub user_id: String,
    /// `invited` (a new user, e-mailed a link to set a password), `linked` (an
    /// existing investor user now acts for the project's organisation too, and was
    /// told so), `already_linked` (nothing changed).
    #[schema(example = "invited")]
    pub outcome: String,
    pub organization_id: String,
}

/// Invites a person of the investor to the portal (office with the right to
/// change the project; the project needs its investor organisation): creates an
/// investor user linked to the organisation and e-mails the one-time link to set
/// a password. An address that belongs to an investor user links that user
/// instead (200).
#[utoipa::path(post, path = "/api/v1/projects/{id}/invitations", tag = "office",
    params(("id" = String, Path)), request_body = InvitationBody, security(("bearer" = [])),
    responses((status = 201, description = "A new user was invited", body = Invitation),
        (status = 200, description = "An existing investor user was linked (or already was)", body = Invitation),
        (status = 400, description = "Malformed JSON", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, the address belongs to another kind of user, or the project has no investor organisation", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn invite_investor(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InvitationBody>,
) -> Result<(StatusCode, Json<Invitation>), Fail> {
    let (p, access) = project(&state, &user, &id).await?;
    if !access.edit {
        return Err(ApiError::Forbidden.into());
    }
    let who = invite::validate(Some(&body.name), Some(&body.email), body.lang.as_deref())
        .map_err(|e| invalid(&state, &e))?;
    let Some(org) = p.investor_org_id.clone() else {
        return Err(invalid(
            &state,
            &[Invalid::new("investor_org_id", "no_investor_organisation")],
        ));
    };
    let mut tx = state.db.writer().begin().await?;
    let done = invite::invite(
        &mut tx,
        &state.i18n,
        state.config.public_base(),
        &user,
        &p,
        &who,
    )
    .await;
    let (outcome, user_id) = match done {
        Ok(ok) => ok,
        Err(InviteError::NoOrganisation) => {
            return Err(invalid(
                &state,
                &[Invalid::new("investor_org_id", "no_investor_organisation")],
            ));
        }
        Err(InviteError::Taken(i)) => return Err(invalid(&state, &[i])),
        Err(InviteError::Db(e)) => return Err(e.into()),
        Err(InviteError::Other(e)) => return Err(e.into()),
    };
    tx.commit().await?;
    let status = if outcome == Outcome::Invited {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Invitation {
            user_id,
            outcome: outcome.as_str().to_owned(),
            organization_id: org,
        }),
    ))
}
