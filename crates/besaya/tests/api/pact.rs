//! The Pact's needs through the API, on both databases: validation with field
//! errors, stale versions, refused moves naming the allowed ones, unknown needs,
//! who sees what (need-to-know, anonymous owners), the ranking of the local
//! organisations (the unanswerable need, the index kept current when an
//! organisation changes), and an organisation with needs refusing deletion.

use besaya::i18n::Lang;
use besaya_domain::directory::format_date;
use besaya_domain::tax_id::Nif;
use besaya_domain::{Email, Role};
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{PASSWORD, TestApp, backends};

backends!(
    validation_versions_and_moves,
    who_sees_what,
    the_ranking_explains_and_follows_the_directory,
);

// ---- Shared with pact_answers ----

pub(crate) async fn user(
    app: &TestApp,
    email: &str,
    role: Role,
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
            name: format!("Test {email}"),
            role,
            lang: Lang::Es,
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

pub(crate) async fn send(
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

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    send(app, token, reqwest::Method::GET, path, None).await
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, token, reqwest::Method::POST, path, Some(body)).await
}

pub(crate) async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app, token, reqwest::Method::PATCH, path, Some(body)).await
}

pub(crate) fn tax(digits: u32) -> String {
    Nif::entity('B', digits).unwrap().to_string()
}

/// Creates an organisation through the API (as the office); its id.
pub(crate) async fn org(app: &TestApp, staff: &str, body: Value) -> String {
    let (status, o) = post(app, staff, "/api/v1/organizations", body).await;
    assert_eq!(status, 201, "{o}");
    o["id"].as_str().unwrap().to_owned()
}

/// The fields named in a 422's errors.
pub(crate) fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn in_days(n: i64) -> String {
    format_date(besaya::office::work::madrid::today() + Duration::days(n))
}

/// The electrical maintenance need of the story, for `owner`.
pub(crate) fn electrical_need(owner: Option<&str>) -> Value {
    let mut v = json!({
        "kind": "service",
        "title": "Mantenimiento de instalaciones eléctricas de alta tensión",
        "summary": "Mantenimiento preventivo y correctivo de las subestaciones y líneas de alta tensión de la planta, con certificación ISO 9001.",
        "description": "Contrato anual: revisiones trimestrales, guardias 24 h y reparación de celdas de media y alta tensión.",
        "cnae_codes": ["43.21", "3314"],
        "cpv_codes": ["50711000-2"],
        "required_certifications": ["ISO 9001"],
        "quantity": "2 subestaciones, 12 km de línea",
        "recurrence": "yearly",
        "municipality_code": "39087",
        "deadline": in_days(90),
    });
    if let Some(o) = owner {
        v["owner_org_id"] = json!(o);
    }
    v
}

/// The cast of the story: the office, the owner and three local candidates.
pub(crate) struct Cast {
    pub staff: String,
    pub staff_id: String,
    pub admin: String,
    pub owner_org: String,
    pub owner: String,
    /// Certified electrical contractor in Torrelavega.
    pub certified_org: String,
    pub certified: String,
    /// Electrical contractor in Santander without the certification.
    pub plain_org: String,
    pub plain: String,
    /// Electrical repairs with an expired certification.
    pub expired_org: String,
    pub expired: String,
    /// A company of the district with nothing to do with it.
    pub other: String,
    pub member: String,
}

pub(crate) async fn cast(app: &TestApp) -> Cast {
    let (staff_id, staff) = user(app, "pact-staff@besaya.test", Role::Staff, &[]).await;
    let (_, admin) = user(app, "pact-admin@besaya.test", Role::Admin, &[]).await;
    let owner_org = org(
        app,
        &staff,
        json!({"name": "Química Grande del Besaya (test)", "kind": "company", "tax_id": tax(8_100_001),
               "municipality_code": "39087", "employees": 900, "cnae_codes": ["2013"]}),
    )
    .await;
    let certified_org = org(
        app,
        &staff,
        json!({"name": "Electro Alta Tensión Torrelavega (test)", "kind": "company", "tax_id": tax(8_100_002),
               "municipality_code": "39087", "employees": 35, "cnae_codes": ["4321"],
               "capabilities": "Mantenimiento de instalaciones eléctricas de alta tensión, subestaciones y centros de transformación",
               "certifications": [{"name": "ISO 9001:2015", "expires_on": "2031-06-30"}]}),
    )
    .await;
    let plain_org = org(
        app,
        &staff,
        json!({"name": "Instalaciones Eléctricas Santander Norte (test)", "kind": "company", "tax_id": tax(8_100_003),
               "municipality_code": "39075", "employees": 12, "cnae_codes": ["4321"],
               "capabilities": "Instalaciones eléctricas de baja tensión en edificios"}),
    )
    .await;
    let expired_org = org(
        app,
        &staff,
        json!({"name": "Reparaciones Eléctricas del Pas (test)", "kind": "company", "tax_id": tax(8_100_004),
               "municipality_code": "39054", "employees": 8, "cnae_codes": ["3314"],
               "capabilities": "Reparación de motores y transformadores eléctricos",
               "certifications": [{"name": "ISO 9001:2015", "expires_on": "2020-01-31"}]}),
    )
    .await;
    let other_org = org(
        app,
        &staff,
        json!({"name": "Panadería La Espiga (test)", "kind": "company", "tax_id": tax(8_100_005),
               "municipality_code": "39087", "employees": 4, "cnae_codes": ["1071"]}),
    )
    .await;
    let (_, owner) = user(app, "owner@quimica.test", Role::Company, &[&owner_org]).await;
    let (_, certified) = user(app, "jefa@electro.test", Role::Company, &[&certified_org]).await;
    let (_, plain) = user(
        app,
        "info@santander-norte.test",
        Role::Company,
        &[&plain_org],
    )
    .await;
    let (_, expired) = user(app, "taller@pas.test", Role::Company, &[&expired_org]).await;
    let (_, other) = user(app, "horno@espiga.test", Role::Company, &[&other_org]).await;
    let (_, member) = user(app, "socio@pacto.test", Role::PactMember, &[]).await;
    Cast {
        staff,
        staff_id,
        admin,
        owner_org,
        owner,
        certified_org,
        certified,
        plain_org,
        plain,
        expired_org,
        expired,
        other,
        member,
    }
}

/// Posts the story's need as the owner, submits it and publishes it as the
/// office; the need.
pub(crate) async fn published_need(app: &TestApp, c: &Cast) -> Value {
    let (status, need) = post(app, &c.owner, "/api/v1/needs", electrical_need(None)).await;
    assert_eq!(status, 201, "{need}");
    let id = need["id"].as_str().unwrap().to_owned();
    let (status, need) = post(
        app,
        &c.owner,
        &format!("/api/v1/needs/{id}/transitions"),
        json!({"to": "submitted", "version": need["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{need}");
    let (status, need) = post(
        app,
        &c.staff,
        &format!("/api/v1/needs/{id}/transitions"),
        json!({"to": "published", "version": need["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{need}");
    need
}

// ---- Tests ----

async fn validation_versions_and_moves(app: TestApp) {
    let c = cast(&app).await;
    // Nothing sent: the required fields, each named.
    let (status, p) = post(&app, &c.staff, "/api/v1/needs", json!({})).await;
    assert_eq!(status, 422, "{p}");
    let f = fields(&p);
    for field in ["kind", "title", "summary", "owner_org_id"] {
        assert!(f.contains(&field.to_owned()), "{field} in {f:?}");
    }
    // Every field wrong at once: each gets its error, never a 500.
    let bad = json!({
        "kind": "favour",
        "title": "x".repeat(201),
        "summary": "Algo",
        "description": "y".repeat(10_001),
        "cnae_codes": ["9999", "4321"],
        "cpv_codes": ["50711000", "5071100-2"],
        "required_certifications": (0..21).map(|i| format!("ISO {i}")).collect::<Vec<_>>(),
        "recurrence": "daily",
        "municipality_code": "28079",
        "deadline": "2001-01-01",
        "min_size_band": "huge",
        "owner_org_id": "no-such-organisation",
    });
    let (status, p) = post(&app, &c.staff, "/api/v1/needs", bad).await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["code"], "validation_failed");
    let f = fields(&p);
    for field in [
        "kind",
        "title",
        "description",
        "cnae_codes[0]",
        "cpv_codes[0]",
        "cpv_codes[1]",
        "required_certifications",
        "recurrence",
        "municipality_code",
        "deadline",
        "min_size_band",
        "owner_org_id",
    ] {
        assert!(f.contains(&field.to_owned()), "{field} in {f:?}");
    }
    assert!(
        !f.contains(&"cnae_codes[1]".to_owned()),
        "4321 is a CNAE-2025 class"
    );
    let msg = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "cnae_codes[0]")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("9999") && msg.contains("CNAE-2025"), "{msg}");
    // Control characters in references and ids: field errors or 404, never a 500.
    let mut nul = electrical_need(Some("a\u{0}b"));
    nul["municipality_code"] = json!("39\u{0}087");
    let (status, p) = post(&app, &c.staff, "/api/v1/needs", nul).await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(fields(&p), ["municipality_code", "owner_org_id"]);
    for path in [
        "/api/v1/needs/a%00b",
        "/api/v1/needs?q=a%00b",
        "/api/v1/needs/a%00b/answers/x%00",
    ] {
        let (status, _) = get(&app, &c.staff, path).await;
        assert!(
            status == 404 || status == 200 || status == 400,
            "{path}: {status}"
        );
    }
    // A bad body shape: 4xx, not 500.
    let (status, _) = post(&app, &c.staff, "/api/v1/needs", json!({"title": 7})).await;
    assert!((400..500).contains(&status), "{status}");

    // A valid draft by the office for the owner.
    let (status, need) = post(
        &app,
        &c.staff,
        "/api/v1/needs",
        electrical_need(Some(&c.owner_org)),
    )
    .await;
    assert_eq!(status, 201, "{need}");
    let id = need["id"].as_str().unwrap().to_owned();
    assert_eq!(need["status"], "draft");
    assert_eq!(need["version"], 1);
    assert_eq!(
        need["cnae_codes"],
        json!(["4321", "3314"]),
        "stored without dots"
    );
    assert!(need["reference"].as_str().unwrap().starts_with("NEC-"));
    assert_eq!(need["owner_org_id"], json!(c.owner_org));
    assert!(need["clock"].is_null(), "no clock before publication");

    // Stale version: 409, nothing written.
    let path = format!("/api/v1/needs/{id}");
    let (status, p) = patch(
        &app,
        &c.staff,
        &path,
        json!({"title": "Otro", "version": 7}),
    )
    .await;
    assert_eq!(status, 409, "{p}");
    let (status, p) = patch(&app, &c.staff, &path, json!({"title": "Otro"})).await;
    assert_eq!(status, 422, "version required: {p}");
    // A merge patch over what the GET gave (read-only fields ignored).
    let (_, mut full) = get(&app, &c.owner, &path).await;
    full["title"] = json!("Mantenimiento de alta tensión en Torrelavega");
    full["quantity"] = Value::Null;
    let (status, after) = patch(&app, &c.owner, &path, full).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["version"], 2);
    assert_eq!(
        after["title"],
        "Mantenimiento de alta tensión en Torrelavega"
    );
    assert!(after["quantity"].is_null(), "null clears");
    assert_eq!(after["recurrence"], "yearly", "left out: kept");
    let (status, p) = patch(
        &app,
        &c.owner,
        &path,
        json!({"min_size_band": "giant", "version": 2}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(fields(&p), ["min_size_band"]);

    // Moves: publishing a draft is refused, naming what is allowed.
    let moves = format!("/api/v1/needs/{id}/transitions");
    let (status, p) = post(
        &app,
        &c.staff,
        &moves,
        json!({"to": "published", "version": 2}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["allowed"], json!(["submitted"]));
    let (status, p) = post(
        &app,
        &c.staff,
        &moves,
        json!({"to": "flying", "version": 2}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["allowed"], json!(["submitted"]));
    let (status, _) = post(
        &app,
        &c.owner,
        &moves,
        json!({"to": "submitted", "version": 1}),
    )
    .await;
    assert_eq!(status, 409, "stale version on a move");
    let (status, n) = post(
        &app,
        &c.owner,
        &moves,
        json!({"to": "submitted", "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{n}");
    assert_eq!(n["status"], "submitted");
    assert!(n["submitted_at"].is_string());
    // The owner may not publish (the office triages); nor edit once submitted.
    let (status, p) = post(
        &app,
        &c.owner,
        &moves,
        json!({"to": "published", "version": 3}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["allowed"], json!(["closed"]));
    let (status, _) = patch(
        &app,
        &c.owner,
        &path,
        json!({"title": "Nuevo", "version": 3}),
    )
    .await;
    assert_eq!(status, 403);
    // Closing asks a reason; `agreed` is only reached by accepting an answer.
    let (status, p) = post(
        &app,
        &c.staff,
        &moves,
        json!({"to": "closed", "version": 3}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(fields(&p), ["reason"]);
    let (status, n) = post(
        &app,
        &c.staff,
        &moves,
        json!({"to": "published", "version": 3}),
    )
    .await;
    assert_eq!(status, 200, "{n}");
    assert_eq!(n["status"], "published");
    assert_eq!(
        n["broker_id"],
        json!(c.staff_id),
        "the publisher brokers by default"
    );
    assert!(n["clock"]["due_on"].is_string() && n["clock"]["late"] == false);
    let (status, p) = post(
        &app,
        &c.staff,
        &moves,
        json!({"to": "agreed", "version": 4}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert!(!p["allowed"].as_array().unwrap().contains(&json!("agreed")));
    // Only drafts are deleted.
    let (status, _) = send(&app, &c.staff, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 422);

    // Unknown needs: 404 everywhere.
    for p in [
        "/api/v1/needs/01938f00-0000-7000-8000-00000000dead",
        "/api/v1/needs/nope/answers",
        "/api/v1/needs/nope/matches",
        "/api/v1/needs/nope/events",
    ] {
        let (status, _) = get(&app, &c.staff, p).await;
        assert_eq!(status, 404, "{p}");
    }

    // A draft is deleted by its owner, with its timeline.
    let (_, draft) = post(&app, &c.owner, "/api/v1/needs", electrical_need(None)).await;
    let draft_path = format!("/api/v1/needs/{}", draft["id"].as_str().unwrap());
    let (status, _) = send(
        &app,
        &c.owner,
        reqwest::Method::DELETE,
        &format!("{draft_path}?version=9"),
        None,
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = send(&app, &c.owner, reqwest::Method::DELETE, &draft_path, None).await;
    assert_eq!(status, 204);
    let (status, _) = get(&app, &c.owner, &draft_path).await;
    assert_eq!(status, 404);

    // Every write is audited.
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'need' AND entity_id = $1",
    )
    .bind(&id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 4, "create, update, submit, publish");

    // An organisation owning needs cannot be deleted (merge it instead).
    let lonely = org(
        &app,
        &c.staff,
        json!({"name": "Naviera sin usuarios (test)", "kind": "company", "tax_id": tax(8_100_009)}),
    )
    .await;
    let (status, _) = post(
        &app,
        &c.staff,
        "/api/v1/needs",
        electrical_need(Some(&lonely)),
    )
    .await;
    assert_eq!(status, 201);
    let (status, p) = send(
        &app,
        &c.admin,
        reqwest::Method::DELETE,
        &format!("/api/v1/organizations/{lonely}"),
        None,
    )
    .await;
    assert_eq!(status, 409, "{p}");
    assert!(p["detail"].as_str().unwrap_or("").contains("need"), "{p}");
}

async fn who_sees_what(app: TestApp) {
    let c = cast(&app).await;
    // A draft: its owner and the office only.
    let (_, draft) = post(&app, &c.owner, "/api/v1/needs", electrical_need(None)).await;
    let draft_path = format!("/api/v1/needs/{}", draft["id"].as_str().unwrap());
    assert_eq!(
        draft["owner_org_id"],
        json!(c.owner_org),
        "forced to the owner's organisation"
    );
    for t in [&c.member, &c.other, &c.certified] {
        let (status, _) = get(&app, t, &draft_path).await;
        assert_eq!(status, 404);
    }
    // A company may not post for another organisation.
    let (status, n) = post(
        &app,
        &c.other,
        "/api/v1/needs",
        electrical_need(Some(&c.owner_org)),
    )
    .await;
    assert_eq!(status, 201);
    assert_ne!(n["owner_org_id"], json!(c.owner_org), "forced to its own");

    let need = published_need(&app, &c).await;
    let id = need["id"].as_str().unwrap();
    let path = format!("/api/v1/needs/{id}");
    // Another company: 404 (need-to-know), also for its sub-resources.
    for p in [
        path.clone(),
        format!("{path}/answers"),
        format!("{path}/events"),
        format!("{path}/matches"),
    ] {
        let (status, _) = get(&app, &c.other, &p).await;
        assert_eq!(status, 404, "{p}");
    }
    // A pact member: open needs only, the owner hidden.
    let (status, seen) = get(&app, &c.member, &path).await;
    assert_eq!(status, 200);
    assert_eq!(seen["owner_hidden"], true);
    assert!(seen["owner_org_id"].is_null());
    assert_eq!(seen["owner_name"], "Empresa de la comarca (anónima)");
    assert!(!seen.to_string().contains("Química Grande"), "{seen}");
    let (_, list) = get(&app, &c.member, "/api/v1/needs").await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id], "published only, not the drafts");
    assert!(!list.to_string().contains("Química Grande"));
    // The ranking names organisations: the office only.
    let (status, _) = get(&app, &c.member, &format!("{path}/matches")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&app, &c.owner, &format!("{path}/matches")).await;
    assert_eq!(status, 403);
    // The owner sees its own need with its name; lists filter.
    let (_, own) = get(&app, &c.owner, &path).await;
    assert_eq!(own["owner_hidden"], false);
    assert_eq!(own["owner_name"], "Química Grande del Besaya (test)");
    let (_, mine) = get(&app, &c.owner, "/api/v1/needs?status=draft").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let (status, p) = get(&app, &c.owner, "/api/v1/needs?status=lost").await;
    assert_eq!(status, 422, "{p}");
    let (_, found) = get(
        &app,
        &c.staff,
        "/api/v1/needs?q=ALTA%20TENSI%C3%93N&kind=service",
    )
    .await;
    assert!(found["items"].as_array().unwrap().len() >= 2, "{found}");
    // Invited: the candidate sees the need (owner hidden) and only its answer.
    let (status, inv) = post(
        &app,
        &c.staff,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.certified_org, c.plain_org]}),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    let (status, seen) = get(&app, &c.certified, &path).await;
    assert_eq!(status, 200);
    assert_eq!(seen["owner_hidden"], true);
    let (_, answers) = get(&app, &c.certified, &format!("{path}/answers")).await;
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["organization_id"], json!(c.certified_org));
    assert!(answers[0]["score"].is_null(), "the score is the office's");
    let other_answer = inv["answer_ids"][1].as_str().unwrap();
    let (status, _) = get(
        &app,
        &c.certified,
        &format!("{path}/answers/{other_answer}"),
    )
    .await;
    assert_eq!(status, 404, "another candidate's answer");
    // The expired-certificate company was not invited: 404.
    let (status, _) = get(&app, &c.expired, &path).await;
    assert_eq!(status, 404);
    // The owner sees no answer before interest; the office sees both, scored.
    let (_, owner_view) = get(&app, &c.owner, &format!("{path}/answers")).await;
    assert_eq!(owner_view, json!([]));
    let (_, office_view) = get(&app, &c.staff, &format!("{path}/answers")).await;
    assert_eq!(office_view.as_array().unwrap().len(), 2);
    assert!(office_view[0]["score"].is_number(), "{office_view}");
    // The candidate's timeline has no other organisation in it.
    let (_, events) = get(&app, &c.certified, &format!("{path}/events")).await;
    assert!(!events.to_string().contains(&c.plain_org), "{events}");
    // The funnel: the office and the owner.
    let (status, _) = get(&app, &c.certified, &format!("{path}/funnel")).await;
    assert_eq!(status, 403);
    let (status, f) = get(&app, &c.owner, &format!("{path}/funnel")).await;
    assert_eq!(status, 200);
    assert_eq!(f["invited"], 2);
    // Targets: everyone reads, the administrator writes.
    let (status, t) = get(&app, &c.member, "/api/v1/pact/targets").await;
    assert_eq!(status, 200);
    assert_eq!(t.as_array().unwrap().len(), 8);
    let body = json!({"items": [{"kind": "service", "target_days": 3}]});
    let (status, _) = send(
        &app,
        &c.staff,
        reqwest::Method::PUT,
        "/api/v1/pact/targets",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, t) = send(
        &app,
        &c.admin,
        reqwest::Method::PUT,
        "/api/v1/pact/targets",
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let service = t
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "service")
        .unwrap()
        .clone();
    assert_eq!(service["target_days"], 3);
    let (_, n) = get(&app, &c.staff, &path).await;
    assert_eq!(
        n["clock"]["target_days"], 3,
        "the clock reads the new target"
    );
    let bad = json!({"items": [{"kind": "magic", "target_days": 0}, {"kind": "land", "target_days": 400}]});
    let (status, p) = send(
        &app,
        &c.admin,
        reqwest::Method::PUT,
        "/api/v1/pact/targets",
        Some(bad),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(fields(&p), ["items[0].kind", "items[1].target_days"]);
}

async fn the_ranking_explains_and_follows_the_directory(app: TestApp) {
    let c = cast(&app).await;
    let need = published_need(&app, &c).await;
    let path = format!("/api/v1/needs/{}", need["id"].as_str().unwrap());
    let (status, m) = get(&app, &c.staff, &format!("{path}/matches?limit=5")).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["answerable"], true);
    let items = m["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    // The certified electrical contractor of Torrelavega comes first, complete,
    // with its reasons in words.
    let first = &items[0];
    assert_eq!(first["organization_id"], json!(c.certified_org), "{m}");
    assert_eq!(first["complete"], true);
    let codes: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"cnae") && codes.contains(&"certification"),
        "{codes:?}"
    );
    let cert = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "certification")
        .unwrap();
    assert_eq!(cert["expires_on"], "2031-06-30");
    assert!(
        cert["message"].as_str().unwrap().contains("ISO 9001"),
        "{cert}"
    );
    // The uncertified and the expired are further down, incomplete, saying why.
    let (_, m) = get(&app, &c.staff, &format!("{path}/matches?limit=100")).await;
    let items = m["items"].as_array().unwrap();
    assert_eq!(
        m["candidates"].as_u64(),
        Some(items.len() as u64),
        "all listed"
    );
    for (org, code) in [
        (&c.plain_org, "certification_missing"),
        (&c.expired_org, "certification_expired"),
    ] {
        let it = items
            .iter()
            .find(|i| i["organization_id"] == json!(org))
            .unwrap_or_else(|| panic!("{org} in {m}"));
        assert_eq!(it["complete"], false);
        assert!(
            it["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == code),
            "{it}"
        );
    }
    // Never the owner itself, nor a bakery.
    assert!(!m.to_string().contains(&c.owner_org));
    assert!(!m.to_string().contains("Espiga"));
    let (status, _) = get(&app, &c.staff, &format!("{path}/matches?limit=0")).await;
    assert_eq!(status, 422);
    let (status, _) = get(&app, &c.staff, &format!("{path}/matches?limit=101")).await;
    assert_eq!(status, 422);

    // A need nobody can meet: answerable false, the nearest partial matches.
    let mut rare = electrical_need(None);
    rare["required_certifications"] = json!(["EN 50110"]);
    rare["title"] = json!("Trabajos en tensión en subestaciones eléctricas");
    let (_, n) = post(&app, &c.owner, "/api/v1/needs", rare).await;
    let rid = n["id"].as_str().unwrap().to_owned();
    let rpath = format!("/api/v1/needs/{rid}");
    let (_, n) = post(
        &app,
        &c.owner,
        &format!("{rpath}/transitions"),
        json!({"to": "submitted", "version": 1}),
    )
    .await;
    let (status, _) = post(
        &app,
        &c.staff,
        &format!("{rpath}/transitions"),
        json!({"to": "published", "version": n["version"]}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, m) = get(&app, &c.staff, &format!("{rpath}/matches")).await;
    assert_eq!(m["answerable"], false, "{m}");
    let items = m["items"].as_array().unwrap();
    assert!(!items.is_empty(), "partial matches are still listed");
    assert!(items.iter().all(|i| i["complete"] == false));
    assert!(
        items[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "certification_missing" && r["required"] == "EN 50110")
    );

    // The index follows the directory: the Santander contractor gets certified
    // after start-up and becomes the one complete candidate.
    let org_path = format!("/api/v1/organizations/{}", c.plain_org);
    let (_, o) = get(&app, &c.staff, &org_path).await;
    let (status, o) = patch(
        &app,
        &c.staff,
        &org_path,
        json!({"certifications": [{"name": "EN 50110:2013", "expires_on": "2030-12-31"}], "version": o["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{o}");
    let (_, m) = get(&app, &c.staff, &format!("{rpath}/matches")).await;
    assert_eq!(m["answerable"], true, "{m}");
    assert_eq!(m["items"][0]["organization_id"], json!(c.plain_org));
    assert_eq!(m["items"][0]["complete"], true);
}
