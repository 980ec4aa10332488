//! The investor's side of a project, on both databases: the document cycle
//! (request → upload → reject → upload again → accept) with files recognised by
//! their bytes and the size limit, who may download what, the message thread
//! and its e-mails in each recipient's language, inviting the investor's people
//! (the invitee sets a password and sees only its projects), and the pages of
//! the office's tabs and of the portal.

use besaya::i18n::Lang;
use besaya::office::projects::{self, ValidProject};
use besaya_domain::office::Stage;
use besaya_domain::{Email, Role};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, backends, link_in, new_client};

backends!(
    documents_go_from_request_to_acceptance,
    investors_see_only_what_is_theirs,
    messages_reach_the_other_side_in_their_language,
    an_invited_investor_sees_only_its_project,
    the_pages_work_without_javascript,
);

/// On a server of its own with a 1 MB upload limit.
mod files_are_checked_by_content_and_size {
    use crate::helpers::{Backend, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = TestApp::spawn_with(Backend::Sqlite, |c| c.upload_max_mb = 1).await;
        super::files_are_checked_by_content_and_size(app).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let app = TestApp::spawn_with(Backend::Postgres, |c| c.upload_max_mb = 1).await;
        super::files_are_checked_by_content_and_size(app).await
    }
}

// ---- Setting the scene ----

/// A user with a password; returns (id, API token).
async fn user(
    app: &TestApp,
    email: &str,
    name: &str,
    role: Role,
    lang: Lang,
    orgs: &[&str],
) -> (String, String) {
    let hash = besaya::auth::password::hash(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = besaya::users::store::create(
        &mut tx,
        None,
        &besaya::users::store::NewUser {
            email: Email::parse(email).unwrap(),
            name: name.to_owned(),
            role,
            lang,
            organization_ids: orgs.iter().map(|o| (*o).to_owned()).collect(),
            password_hash: Some(hash),
        },
    )
    .await
    .unwrap();
    let (_, token) = besaya::auth::tokens::create(&mut tx, None, &id, "test")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (id, token)
}

/// Organisations no project uses yet: (id, name).
async fn free_orgs(app: &TestApp, n: i64) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT id, name FROM organizations WHERE id NOT IN \
         (SELECT investor_org_id FROM projects WHERE investor_org_id IS NOT NULL) ORDER BY id LIMIT $1",
    )
    .bind(n)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap()
}

async fn project(
    app: &TestApp,
    code: &str,
    owner: &str,
    team: &[&str],
    org: Option<&str>,
) -> String {
    let v = ValidProject {
        code_name: Some(code.to_owned()),
        investor_org_id: org.map(str::to_owned),
        cnae_code: None,
        description: String::new(),
        requirements: "{}".into(),
        investment_committed_eur: None,
        investment_verified_eur: None,
        investment_verified_on: None,
        investment_evidence_doc_id: None,
        jobs_committed: None,
        jobs_verified: None,
        jobs_verified_on: None,
        jobs_evidence_doc_id: None,
        owner_id: owner.to_owned(),
        team: team.iter().map(|t| (*t).to_owned()).collect(),
        confidential: true,
    };
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = projects::create(&mut tx, Some(owner), &v, Stage::Qualified, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A confidential project of an investor organisation with its owner (Spanish),
/// a team member (English), and an investor user: the usual cast.
struct Cast {
    project: String,
    org: String,
    org_name: String,
    owner: String,
    owner_token: String,
    team_token: String,
    investor: String,
    investor_token: String,
}

async fn cast(app: &TestApp) -> Cast {
    let orgs = free_orgs(app, 1).await;
    let (org, org_name) = orgs[0].clone();
    let (owner, owner_token) = user(
        app,
        "olga@oficina.example",
        "Olga Owner",
        Role::Staff,
        Lang::Es,
        &[],
    )
    .await;
    let (team, team_token) = user(
        app,
        "tom@oficina.example",
        "Tom Team",
        Role::Staff,
        Lang::En,
        &[],
    )
    .await;
    let (investor, investor_token) = user(
        app,
        "ines@acme.example",
        "Inés Inversora",
        Role::Investor,
        Lang::Es,
        &[&org],
    )
    .await;
    let project = project(app, "Proyecto Portal", &owner, &[&team], Some(&org)).await;
    Cast {
        project,
        org,
        org_name,
        owner,
        owner_token,
        team_token,
        investor,
        investor_token,
    }
}

// ---- Calling the API ----

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

async fn upload(
    app: &TestApp,
    token: &str,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
    version: Option<i64>,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new();
    if let Some(v) = version {
        form = form.text("version", v.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/octet-stream")
            .unwrap(),
    );
    let res = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A ZIP archive with stored (uncompressed) entries, as Word and OpenDocument files are.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let header = |sig: &[u8], central: bool| {
            let mut h = sig.to_vec();
            if central {
                h.extend_from_slice(&[20, 0]);
            }
            h.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        out.extend_from_slice(&header(b"PK\x03\x04", false));
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&header(b"PK\x01\x02", true));
        // Comment length, disk, internal and external attributes.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// The e-mails written since `before` (the directory lists them in no order).
fn new_mails(app: &TestApp, before: &[(String, String, String)]) -> Vec<(String, String, String)> {
    let mut old = before.to_vec();
    app.mails()
        .into_iter()
        .filter(|m| match old.iter().position(|b| b == m) {
            Some(i) => {
                old.remove(i);
                false
            }
            None => true,
        })
        .collect()
}

async fn events(app: &TestApp, project: &str) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT kind, detail, for_investor FROM project_events WHERE project_id = $1 ORDER BY at, id")
        .bind(project)
        .fetch_all(app.state.db.reader())
        .await
        .unwrap()
}

// ---- Stories ----

async fn documents_go_from_request_to_acceptance(app: TestApp) {
    let c = cast(&app).await;
    let docs = format!("/api/v1/projects/{}/documents", c.project);

    // The office asks for the business plan.
    let (s, bad) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "  ", "due_on": "31/12/2026" }),
    )
    .await;
    assert_eq!(s, 422, "{bad}");
    let codes = field_codes(&bad);
    assert!(
        codes.contains(&("title".into(), "required".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("due_on".into(), "invalid_date".into())),
        "{codes:?}"
    );
    let (s, doc) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Plan de negocio", "description": "Con las cuentas de 2025.", "due_on": "2026-12-31" }),
    )
    .await;
    assert_eq!(s, 201, "{doc}");
    assert_eq!(doc["status"], "requested");
    assert_eq!(doc["origin"], "request");
    assert_eq!(doc["due_on"], "2026-12-31");
    assert_eq!(doc["for_investor"], true);
    assert!(doc["file_url"].is_null());
    let did = doc["id"].as_str().unwrap().to_owned();
    let file = format!("{docs}/{did}/file");

    // The investor sees it pending and uploads its PDF.
    let (s, page) = get(&app, &c.investor_token, &docs).await;
    assert_eq!(s, 200);
    assert_eq!(items(&page).len(), 1);
    assert_eq!(items(&page)[0]["status"], "requested");
    let (s, doc) = upload(
        &app,
        &c.investor_token,
        &file,
        "C:\\Users\\inés\\Plan de negocio.pdf",
        pdf("v1"),
        Some(1),
    )
    .await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(doc["status"], "uploaded");
    assert_eq!(doc["file_name"], "Plan de negocio.pdf");
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["uploaded_by_name"], "Inés Inversora");
    assert_eq!(doc["version"], 2);

    // The office rejects it — a rejection needs a comment.
    let review = format!("{docs}/{did}/review");
    let (s, bad) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "rejected", "version": 2 }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        field_codes(&bad),
        vec![("comment".to_owned(), "comment_required".to_owned())]
    );
    let (s, bad) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "maybe", "version": 2 }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(field_codes(&bad)[0].0, "status");
    // The investor cannot review its own documents.
    let (s, _) = post(
        &app,
        &c.investor_token,
        &review,
        json!({ "status": "accepted", "version": 2 }),
    )
    .await;
    assert_eq!(s, 403);
    let (s, doc) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "rejected", "comment": "Falta la firma del administrador.", "version": 2 }),
    )
    .await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(doc["status"], "rejected");

    // The investor reads why and uploads a signed copy (a scan, as PNG).
    let (_, page) = get(&app, &c.investor_token, &docs).await;
    assert_eq!(items(&page)[0]["status"], "rejected");
    assert_eq!(
        items(&page)[0]["review_comment"],
        "Falta la firma del administrador."
    );
    // A stale version is refused and changes nothing.
    let (s, conflict) = upload(
        &app,
        &c.investor_token,
        &file,
        "firmado.png",
        PNG.to_vec(),
        Some(2),
    )
    .await;
    assert_eq!(s, 409, "{conflict}");
    assert_eq!(conflict["current_version"], 3);
    let (s, doc) = upload(
        &app,
        &c.investor_token,
        &file,
        "firmado.png",
        PNG.to_vec(),
        Some(3),
    )
    .await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(doc["status"], "uploaded");
    assert_eq!(doc["content_type"], "image/png");
    assert!(
        doc["review_comment"].is_null(),
        "a new upload clears the old review"
    );

    // The office accepts it; an accepted document keeps its file.
    let (s, _) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "accepted", "version": 3 }),
    )
    .await;
    assert_eq!(s, 409);
    let (s, doc) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "accepted", "version": 4 }),
    )
    .await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(doc["status"], "accepted");
    let (s, again) = post(
        &app,
        &c.owner_token,
        &review,
        json!({ "status": "rejected", "comment": "x", "version": 5 }),
    )
    .await;
    assert_eq!(s, 409);
    assert_eq!(again["code"], "not_reviewable");
    let (s, refused) = upload(&app, &c.investor_token, &file, "otra.pdf", pdf("v3"), None).await;
    assert_eq!(s, 409);
    assert_eq!(refused["code"], "document_accepted");

    // The download is the PNG, as an attachment that no browser sniffs.
    let res = app
        .client
        .get(app.url(&file))
        .bearer_auth(&c.investor_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename=\"firmado.png\""),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    // The replaced PDF is gone from the file store: one file for one document.
    let files: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM files WHERE id IN (SELECT file_id FROM project_documents WHERE project_id = $1) \
         OR content_type = 'application/pdf'",
    )
    .bind(&c.project)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(files, 1);

    // The timeline tells the story, for the investor too; the audit log has every step.
    let kinds: Vec<(String, i64)> = events(&app, &c.project)
        .await
        .into_iter()
        .filter(|(k, _, _)| k.starts_with("document_"))
        .map(|(k, _, f)| (k, f))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("document_requested".into(), 1),
            ("document_uploaded".into(), 1),
            ("document_reviewed".into(), 1),
            ("document_uploaded".into(), 1),
            ("document_reviewed".into(), 1),
        ]
    );
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'project_document' AND entity_id = $1 ORDER BY id",
    )
    .bind(&did)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(
        audit,
        vec!["create", "upload", "review", "upload", "review"]
    );

    // The office's own documents need no review.
    let (s, own) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Informe de suelo", "origin": "office" }),
    )
    .await;
    assert_eq!(s, 201, "{own}");
    assert_eq!(own["origin"], "office");
    let own_file = format!("{docs}/{}/file", own["id"].as_str().unwrap());
    let word = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    let (s, own) = upload(&app, &c.owner_token, &own_file, "informe", word, None).await;
    assert_eq!(s, 200, "{own}");
    assert_eq!(own["status"], "accepted");
    assert_eq!(
        own["file_name"], "informe.docx",
        "the name gets the extension of what the file is"
    );
}

async fn files_are_checked_by_content_and_size(app: TestApp) {
    let c = cast(&app).await;
    let docs = format!("/api/v1/projects/{}/documents", c.project);
    let (_, doc) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Escrituras" }),
    )
    .await;
    let file = format!("{docs}/{}/file", doc["id"].as_str().unwrap());

    // Named .pdf but not a PDF; a GIF; a plain ZIP; a script: all 415, nothing stored.
    let plain_zip = zip(&[("fotos/nave.jpg", b"\xFF\xD8\xFF")]);
    for (name, bytes) in [
        ("escrituras.pdf", b"Esto no es un PDF".to_vec()),
        ("plano.gif", b"GIF89a\x01\0\x01\0".to_vec()),
        ("todo.zip", plain_zip),
        ("x.pdf", b"<script>alert(1)</script>".to_vec()),
    ] {
        let (s, problem) = upload(&app, &c.investor_token, &file, name, bytes, None).await;
        assert_eq!(s, 415, "{name}: {problem}");
        assert_eq!(problem["code"], "unsupported_file_type");
        assert!(
            problem["detail"].as_str().unwrap().contains("PDF"),
            "{problem}"
        );
    }
    // One byte over the limit: 413 naming the limit.
    let mut big = pdf("grande");
    big.resize(1024 * 1024 + 1, b' ');
    let (s, problem) = upload(&app, &c.investor_token, &file, "grande.pdf", big, None).await;
    assert_eq!(s, 413, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("1 MB"),
        "{problem}"
    );
    // An empty file, no file, not a multipart body.
    let (s, problem) = upload(
        &app,
        &c.investor_token,
        &file,
        "vacio.pdf",
        Vec::new(),
        None,
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        field_codes(&problem),
        vec![("file".to_owned(), "file_required".to_owned())]
    );
    let res = app
        .client
        .post(app.url(&file))
        .bearer_auth(&c.investor_token)
        .json(&json!({ "file": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let (_, page) = get(&app, &c.owner_token, &docs).await;
    assert_eq!(items(&page)[0]["status"], "requested", "nothing was stored");

    // Exactly at the limit, and every accepted kind, pass.
    let mut limit = pdf("justo");
    limit.resize(1024 * 1024, b' ');
    let (s, _) = upload(&app, &c.investor_token, &file, "justo.pdf", limit, None).await;
    assert_eq!(s, 200);
    let kinds: [(&str, Vec<u8>, &str); 5] = [
        (
            "foto.jpg",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'],
            "image/jpeg",
        ),
        (
            "cuentas.xlsx",
            zip(&[
                ("[Content_Types].xml", b"<T/>"),
                ("xl/workbook.xml", b"<w/>"),
            ]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "memoria.odt",
            zip(&[
                ("mimetype", b"application/vnd.oasis.opendocument.text"),
                ("content.xml", b"<c/>"),
            ]),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "datos.ods",
            zip(&[(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            )]),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("plano.png", PNG.to_vec(), "image/png"),
    ];
    for (name, bytes, ct) in kinds {
        let (s, doc) = upload(&app, &c.investor_token, &file, name, bytes, None).await;
        assert_eq!(s, 200, "{name}: {doc}");
        assert_eq!(doc["content_type"], ct, "{name}");
        let res = app
            .client
            .get(app.url(&file))
            .bearer_auth(&c.owner_token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], ct, "{name}");
    }

    // The page answers a too large file with 413 and the limit next to the field.
    let investor = new_client();
    let res = login_to(&app, &investor, "ines@acme.example", "/").await;
    assert_eq!(
        res.headers()["location"],
        "/portal",
        "an investor lands on the portal"
    );
    let page_url = format!("/portal/projects/{}/documents", c.project);
    let token = app.csrf(&investor, &page_url).await;
    let did = doc["id"].as_str().unwrap();
    let mut big = pdf("grande");
    big.resize(2 * 1024 * 1024, b' ');
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("version", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(big).file_name("grande.pdf"),
        );
    let res = investor
        .post(app.url(&format!(
            "/portal/projects/{}/documents/{did}/file",
            c.project
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"id="file-{did}-error""#)),
        "error next to the field"
    );
    assert!(html.contains("El archivo ocupa más de 1 MB."), "in Spanish");
}

async fn investors_see_only_what_is_theirs(app: TestApp) {
    let c = cast(&app).await;
    let orgs = free_orgs(&app, 2).await;
    let other_org = orgs.iter().find(|(id, _)| *id != c.org).unwrap().0.clone();
    let (_, rival_token) = user(
        &app,
        "rival@otra.example",
        "Rival",
        Role::Investor,
        Lang::Es,
        &[&other_org],
    )
    .await;
    let (_, outsider_token) = user(
        &app,
        "pepe@oficina.example",
        "Pepe",
        Role::Staff,
        Lang::Es,
        &[],
    )
    .await;
    let (_, company_token) = user(
        &app,
        "empresa@local.example",
        "Empresa",
        Role::Company,
        Lang::Es,
        &[&c.org],
    )
    .await;
    let docs = format!("/api/v1/projects/{}/documents", c.project);

    // A shared document and an internal one, both with a file.
    let (_, shared) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Ficha del suelo", "origin": "office" }),
    )
    .await;
    let (_, internal) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Nota interna sobre el inversor", "origin": "office", "for_investor": false }),
    )
    .await;
    assert_eq!(internal["for_investor"], false);
    let shared_file = format!("{docs}/{}/file", shared["id"].as_str().unwrap());
    let internal_file = format!("{docs}/{}/file", internal["id"].as_str().unwrap());
    assert_eq!(
        upload(
            &app,
            &c.owner_token,
            &shared_file,
            "ficha.pdf",
            pdf("ficha"),
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(
        upload(
            &app,
            &c.owner_token,
            &internal_file,
            "nota.pdf",
            pdf("nota"),
            None
        )
        .await
        .0,
        200
    );
    // A shared document without its file yet is not shown to the investor either.
    let (_, pending) = post(
        &app,
        &c.owner_token,
        &docs,
        json!({ "title": "Borrador", "origin": "office" }),
    )
    .await;

    let (_, page) = get(&app, &c.investor_token, &docs).await;
    let titles: Vec<&str> = items(&page)
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Ficha del suelo"]);
    let (_, page) = get(&app, &c.owner_token, &docs).await;
    assert_eq!(items(&page).len(), 3, "the office sees all");
    assert_eq!(get(&app, &c.investor_token, &shared_file).await.0, 200);
    assert_eq!(get(&app, &c.investor_token, &internal_file).await.0, 404);
    let pending_file = format!("{docs}/{}/file", pending["id"].as_str().unwrap());
    assert_eq!(
        upload(
            &app,
            &c.investor_token,
            &pending_file,
            "x.pdf",
            pdf("x"),
            None
        )
        .await
        .0,
        404
    );
    // The investor may not request documents, nor upload the office's own.
    assert_eq!(
        post(&app, &c.investor_token, &docs, json!({ "title": "x" }))
            .await
            .0,
        403
    );
    assert_eq!(
        upload(
            &app,
            &c.investor_token,
            &shared_file,
            "x.pdf",
            pdf("x"),
            None
        )
        .await
        .0,
        403
    );

    // Another investor, a company of the same organisation: as if nothing existed.
    let messages = format!("/api/v1/projects/{}/messages", c.project);
    for token in [&rival_token, &company_token] {
        assert_eq!(get(&app, token, &docs).await.0, 404);
        assert_eq!(get(&app, token, &shared_file).await.0, 404);
        assert_eq!(
            upload(&app, token, &shared_file, "x.pdf", pdf("x"), None)
                .await
                .0,
            404
        );
        assert_eq!(get(&app, token, &messages).await.0, 404);
        assert_eq!(
            post(&app, token, &messages, json!({ "body": "hola" }))
                .await
                .0,
            404
        );
    }
    // Staff outside a confidential project: it names the investor, so no.
    assert_eq!(get(&app, &outsider_token, &docs).await.0, 403);
    assert_eq!(get(&app, &outsider_token, &shared_file).await.0, 403);
    assert_eq!(get(&app, &outsider_token, &messages).await.0, 403);
    assert_eq!(
        post(&app, &outsider_token, &messages, json!({ "body": "hola" }))
            .await
            .0,
        403
    );
    assert_eq!(
        post(&app, &outsider_token, &docs, json!({ "title": "x" }))
            .await
            .0,
        403
    );
    // Without a token: 401; an unknown project or document: 404.
    let res = app.client.get(app.url(&docs)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        get(&app, &c.owner_token, "/api/v1/projects/nope/documents")
            .await
            .0,
        404
    );
    assert_eq!(
        get(&app, &c.owner_token, &format!("{docs}/nope/file"))
            .await
            .0,
        404
    );

    // The same on the pages: the rival's portal shows nothing of it.
    let rival = new_client();
    login_to(&app, &rival, "rival@otra.example", "/").await;
    for path in ["", "/documents", "/messages"] {
        let res = rival
            .get(app.url(&format!("/portal/projects/{}{path}", c.project)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let res = rival
        .get(app.url(&format!(
            "/portal/projects/{}/documents/{}/file",
            c.project,
            shared["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let home = rival
        .get(app.url("/portal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("Proyecto Portal"));
    // ...and the office's tabs are not for investors.
    let investor = new_client();
    login_to(&app, &investor, "ines@acme.example", "/").await;
    let res = investor
        .get(app.url(&format!("/office/projects/{}/documents", c.project)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = investor
        .get(app.url(&format!(
            "/portal/projects/{}/documents/{}/file",
            c.project,
            internal["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let _ = c.investor;
}

async fn messages_reach_the_other_side_in_their_language(app: TestApp) {
    let c = cast(&app).await;
    // Two more people of the investor: one in English, one deactivated.
    let (_, _) = user(
        &app,
        "john@acme.example",
        "John Investor",
        Role::Investor,
        Lang::En,
        &[&c.org],
    )
    .await;
    let (gone, _) = user(
        &app,
        "gone@acme.example",
        "Gone",
        Role::Investor,
        Lang::Es,
        &[&c.org],
    )
    .await;
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&gone)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, outsider_token) = user(
        &app,
        "pepe@oficina.example",
        "Pepe",
        Role::Staff,
        Lang::Es,
        &[],
    )
    .await;
    let messages = format!("/api/v1/projects/{}/messages", c.project);

    let (s, bad) = post(
        &app,
        &c.investor_token,
        &messages,
        json!({ "body": " \n " }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        field_codes(&bad),
        vec![("body".to_owned(), "required".to_owned())]
    );
    let (s, bad) = post(
        &app,
        &c.investor_token,
        &messages,
        json!({ "body": "a".repeat(5001) }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        field_codes(&bad),
        vec![("body".to_owned(), "too_long".to_owned())]
    );
    assert_eq!(
        post(
            &app,
            &c.investor_token,
            &messages,
            json!({ "body": "a".repeat(5000) })
        )
        .await
        .0,
        201
    );
    assert_eq!(
        post(&app, &outsider_token, &messages, json!({ "body": "hola" }))
            .await
            .0,
        403
    );

    // The investor writes: the owner (Spanish) and the team (English) are told.
    app.run_jobs().await;
    let before = app.mails();
    let (s, m) = post(
        &app,
        &c.investor_token,
        &messages,
        json!({ "body": "¿Podemos visitar la nave el martes?" }),
    )
    .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(m["author_side"], "investor");
    assert_eq!(m["author_name"], "Inés Inversora");
    app.run_jobs().await;
    let new = new_mails(&app, &before);
    let before = app.mails();
    let mut to: Vec<&str> = new.iter().map(|(t, _, _)| t.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, vec!["olga@oficina.example", "tom@oficina.example"]);
    let olga = new
        .iter()
        .find(|(t, _, _)| t == "olga@oficina.example")
        .unwrap();
    assert!(
        olga.1
            .starts_with("Nuevo mensaje sobre el proyecto «Proyecto Portal"),
        "{}",
        olga.1
    );
    assert!(
        olga.2
            .contains(&format!("/office/projects/{}/messages", c.project)),
        "{}",
        olga.2
    );
    assert!(
        !olga.2.contains("visitar la nave"),
        "the message stays on the platform"
    );
    let tom = new
        .iter()
        .find(|(t, _, _)| t == "tom@oficina.example")
        .unwrap();
    assert!(
        tom.1.starts_with("New message about the project"),
        "{}",
        tom.1
    );

    // The office answers: the investor's active people are told, each in their language.
    let (s, m) = post(
        &app,
        &c.team_token,
        &messages,
        json!({ "body": "Sí, a las 10:00 en Barreda." }),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(m["author_side"], "office");
    app.run_jobs().await;
    let new = new_mails(&app, &before);
    let mut to: Vec<&str> = new.iter().map(|(t, _, _)| t.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, vec!["ines@acme.example", "john@acme.example"]);
    let ines = new
        .iter()
        .find(|(t, _, _)| t == "ines@acme.example")
        .unwrap();
    assert!(
        ines.1.contains("«Proyecto Portal") && !ines.1.contains(&c.org_name),
        "investors read the code name, as on their portal: {}",
        ines.1
    );
    assert!(ines.2.contains("Tom Team, de la Oficina"), "{}", ines.2);
    assert!(
        ines.2
            .contains(&format!("/portal/projects/{}/messages", c.project))
    );
    let john = new
        .iter()
        .find(|(t, _, _)| t == "john@acme.example")
        .unwrap();
    assert!(john.2.contains("of the Office"), "{}", john.2);

    // The thread, oldest first, page by page.
    let (s, page) = get(&app, &c.investor_token, &format!("{messages}?limit=2")).await;
    assert_eq!(s, 200);
    assert_eq!(items(&page).len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let (_, rest) = get(
        &app,
        &c.owner_token,
        &format!("{messages}?limit=2&cursor={cursor}"),
    )
    .await;
    assert_eq!(items(&rest).len(), 1);
    assert_eq!(items(&rest)[0]["body"], "Sí, a las 10:00 en Barreda.");
    assert!(rest["next_cursor"].is_null());
    assert_eq!(
        get(&app, &c.owner_token, &format!("{messages}?cursor=garbage"))
            .await
            .0,
        422
    );

    // Each message is on the timeline (the investor sees it) and in the audit log.
    let msgs: Vec<i64> = events(&app, &c.project)
        .await
        .into_iter()
        .filter(|(k, _, _)| k == "message")
        .map(|(_, _, f)| f)
        .collect();
    assert_eq!(msgs, vec![1, 1, 1]);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'project_message'")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 3);
    let _ = (c.owner, c.investor);
}

async fn an_invited_investor_sees_only_its_project(app: TestApp) {
    let c = cast(&app).await;
    let invitations = format!("/api/v1/projects/{}/invitations", c.project);

    let (s, bad) = post(
        &app,
        &c.owner_token,
        &invitations,
        json!({ "name": "", "email": "no-es-correo", "lang": "fr" }),
    )
    .await;
    assert_eq!(s, 422);
    let fields: Vec<String> = field_codes(&bad).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["name", "email", "lang"]);
    // The investor itself may not invite; a member of staff's address is not an investor's.
    assert_eq!(
        post(
            &app,
            &c.investor_token,
            &invitations,
            json!({ "name": "X", "email": "x@acme.example" })
        )
        .await
        .0,
        403
    );
    let (s, bad) = post(
        &app,
        &c.owner_token,
        &invitations,
        json!({ "name": "Tom", "email": "tom@oficina.example" }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        field_codes(&bad),
        vec![("email".to_owned(), "not_investor".to_owned())]
    );
    // A project without its investor organisation cannot invite anyone.
    let bare = project(&app, "Sin inversor", &c.owner, &[], None).await;
    let (s, bad) = post(
        &app,
        &c.owner_token,
        &format!("/api/v1/projects/{bare}/invitations"),
        json!({ "name": "Ana", "email": "ana@acme.example" }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(field_codes(&bad)[0].1, "no_investor_organisation");

    // Ana is invited in English.
    app.run_jobs().await;
    let before = app.mails();
    let (s, inv) = post(
        &app,
        &c.owner_token,
        &invitations,
        json!({ "name": "Ana Acme", "email": "Ana@Acme.example", "lang": "en" }),
    )
    .await;
    assert_eq!(s, 201, "{inv}");
    assert_eq!(inv["outcome"], "invited");
    assert_eq!(inv["organization_id"], c.org);
    let ana = inv["user_id"].as_str().unwrap().to_owned();
    let (role, active, lang, pw): (String, i64, String, Option<String>) =
        sqlx::query_as("SELECT role, active, lang, password_hash FROM users WHERE id = $1")
            .bind(&ana)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(
        (role.as_str(), active, lang.as_str(), pw),
        ("investor", 1, "en", None)
    );
    let orgs: Vec<String> =
        sqlx::query_scalar("SELECT organization_id FROM user_organizations WHERE user_id = $1")
            .bind(&ana)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(orgs, vec![c.org.clone()]);
    let invited: Vec<(String, i64)> = events(&app, &c.project)
        .await
        .into_iter()
        .filter(|(k, _, _)| k == "investor_invited")
        .map(|(_, d, f)| (d, f))
        .collect();
    assert_eq!(invited.len(), 1);
    assert!(invited[0].0.contains("Ana Acme"));
    assert_eq!(invited[0].1, 0, "internal to the office");

    // The e-mail, in English, carries the one-time link.
    app.run_jobs().await;
    let mails = new_mails(&app, &before);
    let (to, subject, text) = mails
        .iter()
        .find(|(t, _, _)| t == "Ana@Acme.example")
        .unwrap();
    assert_eq!(to, "Ana@Acme.example");
    assert!(subject.starts_with("Follow your project"), "{subject}");
    assert!(text.contains("Olga Owner"), "{text}");
    let link = link_in(text, "/invitation?token=");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let visitor = new_client();
    let res = app
        .set_password(
            &visitor,
            &link,
            "/invitation",
            &token,
            "la nave de Barreda",
            "la nave de Barreda",
        )
        .await;
    assert_eq!(res.status(), 303);

    // Logged in, Ana lands on her portal, which lists this project and no other.
    let other = free_orgs(&app, 2)
        .await
        .into_iter()
        .find(|(id, _)| *id != c.org)
        .unwrap()
        .0;
    let elsewhere = project(&app, "Proyecto Ajeno", &c.owner, &[], Some(&other)).await;
    let res = login_to_with(
        &app,
        &visitor,
        "ana@acme.example",
        "la nave de Barreda",
        "/",
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/portal");
    let home = visitor.get(app.url("/portal")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("Proyecto Portal"), "her project");
    assert!(html.contains("My projects"), "in her language");
    assert!(
        !html.contains("Proyecto Ajeno") && !html.contains("Proyecto Faro"),
        "nothing else"
    );
    let res = visitor
        .get(app.url(&format!("/portal/projects/{}", c.project)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = visitor
        .get(app.url(&format!("/portal/projects/{elsewhere}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Inviting her again changes nothing; inviting her to another project of
    // another organisation links her to it, tells her, and tells the office.
    let (s, again) = post(
        &app,
        &c.owner_token,
        &invitations,
        json!({ "name": "Ana", "email": "ana@acme.example" }),
    )
    .await;
    assert_eq!(
        (s, again["outcome"].as_str()),
        (200, Some("already_linked"))
    );
    let (s, linked) = post(
        &app,
        &c.owner_token,
        &format!("/api/v1/projects/{elsewhere}/invitations"),
        json!({ "name": "Ana", "email": "ana@acme.example" }),
    )
    .await;
    assert_eq!((s, linked["outcome"].as_str()), (200, Some("linked")));
    assert_eq!(linked["user_id"], ana.as_str());
    app.run_jobs().await;
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|(t, s, _)| t == "ana@acme.example" && s.starts_with("You can now follow")),
        "{mails:?}"
    );
    let res = visitor
        .get(app.url(&format!("/portal/projects/{elsewhere}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "her new project, without logging in again"
    );
    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND action = 'invite_investor'",
    )
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audit, 2);
}

async fn the_pages_work_without_javascript(app: TestApp) {
    let c = cast(&app).await;
    let office = new_client();
    assert_eq!(
        login_to(&app, &office, "olga@oficina.example", "/office")
            .await
            .status(),
        303
    );
    let tab = format!("/office/projects/{}/documents", c.project);

    // A request with errors: shown next to the fields, values kept.
    let res = app
        .post_form(
            &office,
            &tab,
            &tab,
            &[
                ("title", ""),
                ("description", "Las cuentas"),
                ("due_on", "mañana"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#"id="req-title-error""#) && html.contains(r##"href="#req-title""##),
        "{html}"
    );
    assert!(html.contains("Fecha no válida: mañana"), "in Spanish");
    assert!(html.contains(">Las cuentas</textarea>"), "value kept");
    // Corrected: back to the tab with a flash.
    let res = app
        .post_form(
            &office,
            &tab,
            &tab,
            &[("title", "Cuentas anuales"), ("due_on", "2030-01-31")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], tab.as_str());
    let html = office
        .get(app.url(&tab))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Documento pedido al inversor."), "flash");
    assert!(
        html.contains("Cuentas anuales")
            && html.contains("31/01/2030")
            && html.contains("Pendiente de envío")
    );
    let did: String = sqlx::query_scalar("SELECT id FROM project_documents WHERE project_id = $1")
        .bind(&c.project)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();

    // The investor sees it on the summary and uploads it from the documents tab.
    let investor = new_client();
    let res = login_to(&app, &investor, "ines@acme.example", "/").await;
    assert_eq!(res.headers()["location"], "/portal");
    let home = investor
        .get(app.url("/portal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("Falta un documento por enviar"),
        "what is pending from it"
    );
    let summary = investor
        .get(app.url(&format!("/portal/projects/{}", c.project)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        summary.contains(r#"aria-current="step""#) && summary.contains("Cualificado"),
        "the current stage is marked"
    );
    assert!(summary.contains("Cuentas anuales") && summary.contains("31/01/2030"));
    assert!(
        summary.contains("La Oficina ha pedido el documento «Cuentas anuales»."),
        "the timeline"
    );
    let docs_page = format!("/portal/projects/{}/documents", c.project);
    let token = app.csrf(&investor, &docs_page).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token.clone())
        .text("version", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"hola".to_vec()).file_name("cuentas.pdf"),
        );
    let upload_url = app.url(&format!(
        "/portal/projects/{}/documents/{did}/file",
        c.project
    ));
    let res = investor
        .post(&upload_url)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Este tipo de archivo no se admite")
    );
    // Without the CSRF field: refused.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf("c")).file_name("cuentas.pdf"),
    );
    assert_eq!(
        investor
            .post(&upload_url)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("version", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf("cuentas")).file_name("cuentas 2025.pdf"),
        );
    let res = investor
        .post(&upload_url)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = investor
        .get(app.url(&docs_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Enviado, en revisión") && html.contains("cuentas 2025.pdf"),
        "{html}"
    );

    // The investor writes; the office reads it and answers from its tab.
    let thread = format!("/portal/projects/{}/messages", c.project);
    let res = app
        .post_form(&investor, &thread, &thread, &[("body", "")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains(r#"id="body-error""#));
    let res = app
        .post_form(
            &investor,
            &thread,
            &thread,
            &[("body", "Adjunto las cuentas <b>firmadas</b>.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let office_thread = format!("/office/projects/{}/messages", c.project);
    let html = office
        .get(app.url(&office_thread))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Adjunto las cuentas &#60;b&#62;firmadas&#60;/b&#62;.")
            || html.contains("Adjunto las cuentas &lt;b&gt;firmadas&lt;/b&gt;."),
        "escaped: {html}"
    );
    assert!(html.contains("Inés Inversora"));
    let res = app
        .post_form(
            &office,
            &office_thread,
            &office_thread,
            &[("body", "Recibidas, gracias.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = investor
        .get(app.url(&thread))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Recibidas, gracias.") && html.contains("Olga Owner"));

    // The office reviews from its tab: a rejection without comment is refused next to the field.
    let res = app
        .post_form(
            &office,
            &tab,
            &format!("{tab}/{did}/review"),
            &[("status", "rejected"), ("comment", ""), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(&format!(r#"id="comment-{did}-error""#))
    );
    let res = app
        .post_form(
            &office,
            &tab,
            &format!("{tab}/{did}/review"),
            &[("status", "accepted"), ("comment", ""), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = investor
        .get(app.url(&docs_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Aceptado"));

    // The invitation form: errors next to the fields, then the flash.
    let res = app
        .post_form(
            &office,
            &tab,
            &format!("/office/projects/{}/invitations", c.project),
            &[("name", "Luis"), ("email", "luis@"), ("lang", "es")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(r#"id="inv-email-error""#)
    );
    let res = app
        .post_form(
            &office,
            &tab,
            &format!("/office/projects/{}/invitations", c.project),
            &[
                ("name", "Luis"),
                ("email", "luis@acme.example"),
                ("lang", "es"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = office
        .get(app.url(&tab))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Invitación enviada.") && html.contains("luis@acme.example"));

    // Other roles: no portal; staff outside the confidential project: nothing named.
    let (company, _) = app.signed_in(Role::Company).await;
    assert_eq!(
        company
            .get(app.url("/portal"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (admin, _) = app.signed_in(Role::Admin).await;
    assert_eq!(
        admin.get(app.url("/portal")).send().await.unwrap().status(),
        404
    );
    let (outsider, _) = app.signed_in(Role::Staff).await;
    let res = outsider.get(app.url(&tab)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("Cuentas anuales") && !html.contains(&c.org_name),
        "nothing of the investor"
    );
    let res = outsider
        .get(app.url(&office_thread))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!res.contains("Recibidas, gracias."));
    assert!(anonymous_is_sent_to_login(&app, &thread).await);
}

async fn anonymous_is_sent_to_login(app: &TestApp, path: &str) -> bool {
    let res = new_client().get(app.url(path)).send().await.unwrap();
    res.status() == 303
        && res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
}

/// Logs `client` in with the test password, asking to go to `next`.
async fn login_to(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    next: &str,
) -> reqwest::Response {
    login_to_with(app, client, email, PASSWORD, next).await
}

async fn login_to_with(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    app.post_form(
        client,
        "/login",
        "/login",
        &[("email", email), ("password", password), ("next", next)],
    )
    .await
}
