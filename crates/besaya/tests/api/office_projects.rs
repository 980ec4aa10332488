//! Investor projects through the API and the office's pages, on both databases:
//! creation, changes with the version read, deletion with everything that hangs
//! from a project, stage moves by the rules with the time in each stage kept,
//! need-to-know access (a confidential project's investor only for its owner, team
//! and the administrator; the investor its own projects; the rest 404/403), every
//! change in the audit log, and the board and forms working without JavaScript.

use std::time::{Duration, Instant};

use besaya_domain::{Email, Role};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, backends, csrf_of, new_client};

backends!(
    projects_are_created_changed_listed_and_deleted,
    stage_moves_follow_the_rules_and_keep_the_time_in_each_stage,
    access_is_need_to_know,
    the_board_and_the_forms_work_without_javascript,
    the_board_stays_quick_with_five_thousand_projects,
);

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, Some(token), reqwest::Method::GET, path, None).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, Some(token), reqwest::Method::POST, path, Some(body)).await
}

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, Some(token), reqwest::Method::PATCH, path, Some(body)).await
}

async fn delete(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, Some(token), reqwest::Method::DELETE, path, None).await
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    items(page)
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

/// (field, code, message) of a problem's errors.
fn errors(problem: &Value) -> Vec<(String, String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                        e["message"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has_error(problem: &Value, field: &str, code: &str) -> bool {
    errors(problem)
        .iter()
        .any(|(f, c, _)| f == field && c == code)
}

/// Two organisations of the demo data: (id, name).
async fn two_orgs(app: &TestApp) -> [(String, String); 2] {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organizations ORDER BY tax_id LIMIT 2")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    [rows[0].clone(), rows[1].clone()]
}

/// A user of `role` acting for `orgs`, with an API token: (token, user id).
async fn user_for(app: &TestApp, role: Role, orgs: &[&str]) -> (String, String) {
    let email = format!(
        "{}-{}@besaya.example",
        role.as_str(),
        uuid::Uuid::now_v7().simple()
    );
    let hash = besaya::auth::password::hash(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = besaya::users::store::create(
        &mut tx,
        None,
        &besaya::users::store::NewUser {
            email: Email::parse(&email).unwrap(),
            name: format!("Persona {}", role.as_str()),
            role,
            lang: besaya::i18n::Lang::Es,
            organization_ids: orgs.iter().map(|s| (*s).to_owned()).collect(),
            password_hash: Some(hash),
        },
    )
    .await
    .unwrap();
    let (_, token) = besaya::auth::tokens::create(&mut tx, None, &id, "test")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (token, id)
}

/// The audit log's actions for one project, oldest first.
async fn audit_actions(app: &TestApp, admin: &str, id: &str) -> Vec<String> {
    let (status, page) = get(
        app,
        admin,
        &format!("/api/v1/audit?entity=project&entity_id={id}&limit=500"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let mut actions: Vec<String> = items(&page)
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    actions.reverse();
    actions
}

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

async fn projects_are_created_changed_listed_and_deleted(app: TestApp) {
    let (staff, staff_id) = app.token(Role::Staff).await;
    let (colleague, colleague_id) = app.token(Role::Staff).await;
    let (admin, _) = app.token(Role::Admin).await;
    let [(org, org_name), _] = two_orgs(&app).await;

    // Nothing given: the next code name of the year, the caller as owner, confidential.
    let (status, bare) = post(&app, &staff, "/api/v1/projects", json!({})).await;
    assert_eq!(status, 201, "{bare}");
    let code = bare["code_name"].as_str().unwrap();
    let year = time::OffsetDateTime::now_utc().year();
    assert!(
        code.starts_with(&format!("P-{year}-")) && code.len() == 10,
        "{code}"
    );
    assert_eq!(bare["owner_id"], json!(staff_id));
    assert_eq!(bare["confidential"], true);
    assert_eq!(bare["stage"], "inquiry");
    assert_eq!(
        bare["allowed_moves"],
        json!(["qualified", "on_hold", "lost"])
    );
    assert_eq!(bare["days_in_stage"], 0);
    assert_eq!(bare["version"], 1);
    let (_, second) = post(&app, &staff, "/api/v1/projects", json!({})).await;
    assert_ne!(
        second["code_name"], bare["code_name"],
        "code names are unique"
    );

    // Everything given.
    let (status, p) = post(
        &app,
        &staff,
        "/api/v1/projects",
        json!({
            "code_name": "Proyecto Faro",
            "investor_org_id": org,
            "cnae_code": "24.10",
            "description": "Una acería eléctrica de 40 empleos.",
            "requirements": {
                "area_m2": {"min": 5000, "max": 20000},
                "power_kva": {"min": 1000},
                "rail_siding": {"importance": "preferred"},
                "municipalities": {"codes": ["39087"]}
            },
            "investment_committed_eur": 2500000.5,
            "jobs_committed": 40,
            "team": [colleague_id],
        }),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(p["code_name"], "Proyecto Faro");
    assert_eq!(p["investor_org_id"], json!(org));
    assert_eq!(p["investor_name"], json!(org_name));
    assert_eq!(p["cnae_code"], "2410");
    assert_eq!(p["investment_committed_eur"], 2500000.5);
    assert_eq!(p["jobs_committed"], 40);
    assert_eq!(p["team"], json!([colleague_id]));
    assert_eq!(p["requirements"]["area_m2"]["min"], 5000.0);
    assert_eq!(p["requirements"]["rail_siding"]["importance"], "preferred");
    assert_eq!(
        p["requirements"]["municipalities"]["codes"],
        json!(["39087"])
    );
    let (status, read) = get(&app, &staff, &format!("/api/v1/projects/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(read["description"], "Una acería eléctrica de 40 empleos.");

    // The same code name, in other letters, is taken.
    let (status, dup) = post(
        &app,
        &staff,
        "/api/v1/projects",
        json!({"code_name": "proyecto FARO"}),
    )
    .await;
    assert_eq!(status, 422, "{dup}");
    assert!(has_error(&dup, "code_name", "duplicate_code_name"), "{dup}");

    // Bad input: every problem named, none stored.
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(2)).date();
    let (status, bad) = post(
        &app,
        &staff,
        "/api/v1/projects",
        json!({
            "cnae_code": "99.99",
            "investment_verified_eur": 10,
            "jobs_committed": -1,
            "jobs_verified": 3,
            "jobs_verified_on": tomorrow.to_string(),
            "requirements": {"area_m2": {"min": 10, "max": 5}, "municipalities": {"codes": ["Gotham"]}},
        }),
    )
    .await;
    assert_eq!(status, 422, "{bad}");
    assert_eq!(bad["code"], "validation_failed");
    for (field, code) in [
        ("cnae_code", "unknown_cnae"),
        ("investment_verified_on", "verified_needs_date"),
        ("jobs_committed", "out_of_range"),
        ("jobs_verified_on", "date_in_future"),
        ("requirements.area_m2", "range_inverted"),
        ("requirements.municipalities", "unknown_municipality"),
    ] {
        assert!(has_error(&bad, field, code), "{field} {code}: {bad}");
    }
    assert!(
        errors(&bad)
            .iter()
            .all(|(_, _, m)| !m.is_empty() && !m.contains("office-err")),
        "English messages: {bad}"
    );
    let (company, company_id) = app.token(Role::Company).await;
    let (status, not_staff) = post(
        &app,
        &staff,
        "/api/v1/projects",
        json!({"owner_id": company_id}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        has_error(&not_staff, "owner_id", "not_staff"),
        "{not_staff}"
    );
    let (status, unknown) =
        post(&app, &staff, "/api/v1/projects", json!({"stage": "visits"})).await;
    assert_eq!(status, 422, "unknown fields are refused: {unknown}");
    let (status, _) = post(&app, &company, "/api/v1/projects", json!({})).await;
    assert_eq!(status, 403);

    // Changes name the version read.
    let path = format!("/api/v1/projects/{id}");
    let (status, changed) = patch(
        &app,
        &staff,
        &path,
        json!({"description": "Acería y laminación.", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["description"], "Acería y laminación.");
    assert_eq!(
        changed["code_name"], "Proyecto Faro",
        "what is left out stays"
    );
    assert_eq!(changed["jobs_committed"], 40);
    let (status, stale) = patch(
        &app,
        &staff,
        &path,
        json!({"jobs_committed": 50, "version": 1}),
    )
    .await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["code"], "version_conflict");
    assert_eq!(stale["current_version"], 2);
    let (status, no_version) = patch(&app, &staff, &path, json!({"jobs_committed": 50})).await;
    assert_eq!(status, 422);
    assert!(has_error(&no_version, "version", "required"));
    let (status, moved) = patch(
        &app,
        &staff,
        &path,
        json!({"stage": "visits", "version": 2}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(has_error(&moved, "stage", "use_transitions"), "{moved}");
    let (status, cleared) = patch(
        &app,
        &staff,
        &path,
        json!({"jobs_committed": null, "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{cleared}");
    assert!(cleared["jobs_committed"].is_null(), "null clears a field");
    // A whole record read back is a valid change too.
    let mut whole = cleared.clone();
    whole["jobs_committed"] = json!(45);
    let (status, round) = patch(&app, &staff, &path, whole).await;
    assert_eq!(status, 200, "{round}");
    assert_eq!(round["jobs_committed"], 45);
    assert_eq!(round["version"], 4);

    // The list: filters and cursor.
    let (status, found) = get(&app, &staff, "/api/v1/projects?q=faro").await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(ids(&found), vec![id.clone()]);
    let (_, by_owner) = get(
        &app,
        &staff,
        &format!("/api/v1/projects?owner_id={staff_id}&limit=500"),
    )
    .await;
    assert_eq!(items(&by_owner).len(), 3);
    assert!(
        items(&by_owner)
            .iter()
            .all(|p| p["owner_id"] == json!(staff_id))
    );
    let (_, mine) = get(&app, &colleague, "/api/v1/projects?mine=true").await;
    assert_eq!(
        ids(&mine),
        vec![id.clone()],
        "the team member's own projects"
    );
    let (_, first) = get(
        &app,
        &staff,
        &format!("/api/v1/projects?owner_id={staff_id}&limit=2"),
    )
    .await;
    assert_eq!(items(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, rest) = get(
        &app,
        &staff,
        &format!("/api/v1/projects?owner_id={staff_id}&limit=2&cursor={cursor}"),
    )
    .await;
    assert_eq!(items(&rest).len(), 1);
    assert!(rest["next_cursor"].is_null());
    assert!(!ids(&first).contains(&ids(&rest)[0]));
    let (_, inquiry) = get(&app, &staff, "/api/v1/projects?stage=inquiry&limit=500").await;
    assert!(items(&inquiry).iter().all(|p| p["stage"] == "inquiry"));
    let (status, bad_stage) = get(&app, &staff, "/api/v1/projects?stage=nope").await;
    assert_eq!(status, 422);
    assert!(has_error(&bad_stage, "stage", "invalid_stage"));
    assert_eq!(
        get(&app, &staff, "/api/v1/projects?cursor=nonsense")
            .await
            .0,
        422
    );
    assert_eq!(get(&app, &staff, "/api/v1/projects?limit=0").await.0, 422);
    assert_eq!(get(&app, &staff, "/api/v1/projects/no%00such").await.0, 404);

    // Everything that hangs from the project goes with it.
    let db = app.state.db.writer();
    let mut tx = db.begin().await.unwrap();
    let file = besaya::files::put(&mut tx, "application/pdf", b"%PDF-1.4 prueba")
        .await
        .unwrap();
    let now = besaya::db::now();
    sqlx::query("INSERT INTO project_documents (id, project_id, title, status, file_id, file_name, created_at, updated_at) VALUES ($1, $2, 'Escritura', 'uploaded', $3, 'e.pdf', $4, $4)")
        .bind(besaya::db::new_id()).bind(&id).bind(&file).bind(&now).execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO interactions (id, project_id, kind, occurred_at, subject, created_at, updated_at) VALUES ($1, $2, 'call', $3, 'Llamada', $3, $3)")
        .bind(besaya::db::new_id()).bind(&id).bind(&now).execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO tasks (id, project_id, title, due_on, owner_id, created_at, updated_at) VALUES ($1, $2, 'Enviar ficha', '2030-01-01', $3, $4, $4)")
        .bind(besaya::db::new_id()).bind(&id).bind(&staff_id).bind(&now).execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO project_messages (id, project_id, author_id, body, at) VALUES ($1, $2, $3, 'Hola', $4)")
        .bind(besaya::db::new_id()).bind(&id).bind(&staff_id).bind(&now).execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO site_proposals (id, project_id, site_id, proposed_at, created_at, updated_at) SELECT $1, $2, id, $3, $3, $3 FROM sites ORDER BY id LIMIT 1")
        .bind(besaya::db::new_id()).bind(&id).bind(&now).execute(&mut *tx).await.unwrap();
    let inquiry_id = besaya::db::new_id();
    sqlx::query("INSERT INTO inquiries (id, name, email, message, lang, consent_text, consent_at, status, received_at, project_id, created_at, updated_at) VALUES ($1, 'Ana', 'ana@example.com', 'Hola', 'es', 'Acepto', $2, 'qualified', $2, $3, $2, $2)")
        .bind(&inquiry_id).bind(&now).bind(&id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM site_proposals WHERE project_id = $1",
            &id
        )
        .await,
        1,
        "the demo has sites"
    );

    let (status, _) = delete(&app, &staff, &format!("{path}?version=4")).await;
    assert_eq!(status, 403, "only the administrator deletes");
    let (status, stale) = delete(&app, &admin, &format!("{path}?version=3")).await;
    assert_eq!(status, 409, "{stale}");
    let (status, _) = delete(&app, &admin, &format!("{path}?version=4")).await;
    assert_eq!(status, 204);
    assert_eq!(get(&app, &admin, &path).await.0, 404);
    assert_eq!(delete(&app, &admin, &path).await.0, 404);
    for table in [
        "project_team",
        "project_stages",
        "project_events",
        "interactions",
        "tasks",
        "site_proposals",
        "project_documents",
        "project_messages",
    ] {
        let n = count(
            &app,
            &format!("SELECT COUNT(*) FROM {table} WHERE project_id = $1"),
            &id,
        )
        .await;
        assert_eq!(n, 0, "{table}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM files WHERE id = $1", &file).await,
        0,
        "the document's file"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM inquiries WHERE id = $1 AND project_id IS NULL",
            &inquiry_id
        )
        .await,
        1,
        "the inquiry stays, unlinked"
    );

    // Every change is in the audit log.
    assert_eq!(
        audit_actions(&app, &admin, &id).await,
        vec!["create", "update", "update", "update", "delete"]
    );
}

async fn stage_moves_follow_the_rules_and_keep_the_time_in_each_stage(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (admin, _) = app.token(Role::Admin).await;
    let (_, p) = post(
        &app,
        &staff,
        "/api/v1/projects",
        json!({"code_name": "Proyecto Brisa"}),
    )
    .await;
    let id = p["id"].as_str().unwrap().to_owned();
    let moves = format!("/api/v1/projects/{id}/transitions");

    // It arrived ten days ago.
    let ten_days_ago =
        besaya::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(10));
    let db = app.state.db.writer();
    sqlx::query("UPDATE projects SET stage_since = $1 WHERE id = $2")
        .bind(&ten_days_ago)
        .bind(&id)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("UPDATE project_stages SET entered_at = $1 WHERE project_id = $2")
        .bind(&ten_days_ago)
        .bind(&id)
        .execute(db)
        .await
        .unwrap();
    let (_, read) = get(&app, &staff, &format!("/api/v1/projects/{id}")).await;
    assert_eq!(read["days_in_stage"], 10);

    // Not an allowed move: the error on `to` names the allowed stages.
    let (status, refused) = post(&app, &staff, &moves, json!({"to": "visits", "version": 1})).await;
    assert_eq!(status, 422, "{refused}");
    let errs = errors(&refused);
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].0.as_str(), errs[0].1.as_str()),
        ("to", "transition_not_allowed")
    );
    assert!(
        errs[0].2.contains("Qualified, On hold, Lost"),
        "{}",
        errs[0].2
    );
    assert_eq!(refused["allowed"], json!(["qualified", "on_hold", "lost"]));
    let (status, unknown) = post(
        &app,
        &staff,
        &moves,
        json!({"to": "paradise", "version": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(has_error(&unknown, "to", "invalid_stage"), "{unknown}");
    assert_eq!(unknown["allowed"], json!(["qualified", "on_hold", "lost"]));

    let step = |to: &str, version: i64, reason: Option<&str>| {
        let mut body = json!({"to": to, "version": version});
        if let Some(r) = reason {
            body["reason"] = json!(r);
        }
        body
    };
    let (status, q) = post(&app, &staff, &moves, step("qualified", 1, None)).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["stage"], "qualified");
    assert_eq!(q["version"], 2);
    assert_eq!(q["days_in_stage"], 0);
    assert_eq!(
        q["allowed_moves"],
        json!(["site_search", "inquiry", "on_hold", "lost"])
    );
    let (status, stale) = post(&app, &staff, &moves, step("site_search", 1, None)).await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["current_version"], 2);

    // On hold needs a reason, and resumes where it stopped.
    for reason in [None, Some("   ")] {
        let (status, no_reason) = post(&app, &staff, &moves, step("on_hold", 2, reason)).await;
        assert_eq!(status, 422);
        assert!(
            has_error(&no_reason, "reason", "reason_required"),
            "{no_reason}"
        );
    }
    let (status, held) = post(
        &app,
        &staff,
        &moves,
        step("on_hold", 2, Some("Espera a la junta de accionistas")),
    )
    .await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["stage"], "on_hold");
    assert_eq!(held["held_from"], "qualified");
    assert_eq!(held["stage_reason"], "Espera a la junta de accionistas");
    assert_eq!(held["allowed_moves"], json!(["qualified", "lost"]));
    let (_, resumed) = post(&app, &staff, &moves, step("qualified", 3, None)).await;
    assert_eq!(resumed["stage"], "qualified");
    assert!(resumed["held_from"].is_null() && resumed["stage_reason"].is_null());
    let (_, search) = post(&app, &staff, &moves, step("site_search", 4, None)).await;
    assert_eq!(
        search["allowed_moves"],
        json!(["visits", "decision", "qualified", "on_hold", "lost"])
    );
    // Visits may be skipped.
    let (status, decision) = post(&app, &staff, &moves, step("decision", 5, None)).await;
    assert_eq!(status, 200, "{decision}");
    assert_eq!(decision["stage"], "decision");

    // The time in each stage is kept.
    let (status, stays) = get(&app, &staff, &format!("/api/v1/projects/{id}/stages")).await;
    assert_eq!(status, 200);
    let stays = stays.as_array().unwrap();
    let names: Vec<&str> = stays.iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "inquiry",
            "qualified",
            "on_hold",
            "qualified",
            "site_search",
            "decision"
        ]
    );
    assert_eq!(stays[0]["days"], 10, "ten days as an inquiry");
    assert_eq!(stays[0]["entered_at"], json!(ten_days_ago));
    assert!(stays[..5].iter().all(|s| s["left_at"].is_string()));
    assert!(stays[5]["left_at"].is_null(), "still in decision");
    assert_eq!(stays[2]["reason"], "Espera a la junta de accionistas");
    for w in stays.windows(2) {
        assert_eq!(
            w[0]["left_at"], w[1]["entered_at"],
            "one stay ends when the next begins"
        );
    }

    // The timeline, newest first.
    let (status, events) = get(&app, &staff, &format!("/api/v1/projects/{id}/events")).await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = items(&events)
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["stage", "stage", "stage", "stage", "stage", "created"]
    );
    assert_eq!(
        items(&events)[0]["detail"],
        json!({"from": "site_search", "to": "decision", "reason": ""})
    );
    assert_eq!(
        items(&events)[3]["detail"]["reason"],
        "Espera a la junta de accionistas"
    );
    let (_, page1) = get(
        &app,
        &staff,
        &format!("/api/v1/projects/{id}/events?limit=4"),
    )
    .await;
    let cursor = page1["next_cursor"].as_str().unwrap();
    let (_, page2) = get(
        &app,
        &staff,
        &format!("/api/v1/projects/{id}/events?limit=4&cursor={cursor}"),
    )
    .await;
    assert_eq!(items(&page2).len(), 2);
    assert_eq!(items(&page2)[1]["kind"], "created");

    assert_eq!(
        audit_actions(&app, &admin, &id).await,
        vec![
            "create",
            "transition",
            "transition",
            "transition",
            "transition",
            "transition"
        ]
    );
}

async fn access_is_need_to_know(app: TestApp) {
    let [(org_a, name_a), (org_b, name_b)] = two_orgs(&app).await;
    let (admin, _) = app.token(Role::Admin).await;
    let (owner, _) = app.token(Role::Staff).await;
    let (member, member_id) = app.token(Role::Staff).await;
    let (other, _) = app.token(Role::Staff).await;
    let (investor_a, _) = user_for(&app, Role::Investor, &[&org_a]).await;
    let (investor_b, _) = user_for(&app, Role::Investor, &[&org_b]).await;
    let (company, _) = user_for(&app, Role::Company, &[&org_a]).await;
    let (pact, _) = app.token(Role::PactMember).await;

    let (_, secret) = post(
        &app,
        &owner,
        "/api/v1/projects",
        json!({"code_name": "Proyecto Niebla", "investor_org_id": org_a, "team": [member_id], "description": "Planta de hidrógeno."}),
    )
    .await;
    let id = secret["id"].as_str().unwrap().to_owned();
    let (_, open) = post(
        &app,
        &owner,
        "/api/v1/projects",
        json!({"code_name": "Proyecto Abierto", "investor_org_id": org_b, "confidential": false}),
    )
    .await;
    let open_id = open["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/projects/{id}");

    // Those who need to know see the investor and may change it.
    for (who, token) in [("admin", &admin), ("owner", &owner), ("team", &member)] {
        let (status, p) = get(&app, token, &path).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(p["investor_name"], json!(name_a), "{who}");
        assert_eq!(p["description"], "Planta de hidrógeno.", "{who}");
        assert_eq!(
            p["allowed_moves"],
            json!(["qualified", "on_hold", "lost"]),
            "{who}"
        );
    }
    let (status, _) = patch(
        &app,
        &member,
        &path,
        json!({"jobs_committed": 12, "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "a team member changes it");

    // Other staff: the code name only, and hands off.
    let (status, seen) = get(&app, &other, &path).await;
    assert_eq!(status, 200);
    assert_eq!(seen["code_name"], "Proyecto Niebla");
    assert!(seen["investor_org_id"].is_null() && seen["investor_name"].is_null());
    assert_eq!(seen["description"], "");
    assert_eq!(seen["allowed_moves"], json!([]));
    assert!(
        !seen.to_string().contains(&name_a),
        "no trace of the investor: {seen}"
    );
    assert_eq!(
        patch(
            &app,
            &other,
            &path,
            json!({"jobs_committed": 1, "version": 2})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            &app,
            &other,
            &format!("{path}/transitions"),
            json!({"to": "qualified", "version": 2})
        )
        .await
        .0,
        403
    );
    let (_, events) = get(&app, &other, &format!("{path}/events")).await;
    assert!(
        items(&events)
            .iter()
            .all(|e| ["created", "updated", "stage"].contains(&e["kind"].as_str().unwrap()))
    );
    let (_, listed) = get(&app, &other, "/api/v1/projects?limit=500").await;
    let row = items(&listed)
        .iter()
        .find(|p| p["id"] == json!(id))
        .expect("on the board");
    assert!(row["investor_name"].is_null());
    let (_, by_name) = get(
        &app,
        &other,
        &format!("/api/v1/projects?q={}", urlencode(&name_a)),
    )
    .await;
    assert!(
        !ids(&by_name).contains(&id),
        "no search by a hidden investor's name"
    );
    let (_, by_name) = get(
        &app,
        &owner,
        &format!("/api/v1/projects?q={}", urlencode(&name_a)),
    )
    .await;
    assert!(ids(&by_name).contains(&id));
    // An open project is the whole office's.
    let (_, open_seen) = get(&app, &other, &format!("/api/v1/projects/{open_id}")).await;
    assert_eq!(open_seen["investor_name"], json!(name_b));
    assert_eq!(
        patch(
            &app,
            &other,
            &format!("/api/v1/projects/{open_id}"),
            json!({"jobs_committed": 7, "version": 1})
        )
        .await
        .0,
        200
    );

    // The investor: its own projects, read only, and only what its portal shows.
    let (status, own) = get(&app, &investor_a, &path).await;
    assert_eq!(status, 200);
    assert_eq!(own["investor_name"], json!(name_a));
    assert_eq!(own["allowed_moves"], json!([]));
    let (status, own_list) = get(&app, &investor_a, "/api/v1/projects?limit=500").await;
    assert_eq!(status, 200);
    assert!(ids(&own_list).contains(&id));
    assert!(
        items(&own_list)
            .iter()
            .all(|p| p["investor_org_id"] == json!(org_a))
    );
    assert_eq!(
        patch(
            &app,
            &investor_a,
            &path,
            json!({"jobs_committed": 1, "version": 2})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            &app,
            &investor_a,
            &format!("{path}/transitions"),
            json!({"to": "lost", "reason": "x", "version": 2})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(&app, &investor_a, "/api/v1/projects", json!({}))
            .await
            .0,
        403
    );
    let (_, own_events) = get(&app, &investor_a, &format!("{path}/events")).await;
    let kinds: Vec<&str> = items(&own_events)
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created"], "the change of figures is internal");
    assert!(items(&own_events).iter().all(|e| e["for_investor"] == true));

    // Another investor, and the other roles: the project does not exist for them.
    for (who, token) in [
        ("investor B", &investor_b),
        ("company", &company),
        ("pact member", &pact),
    ] {
        assert_eq!(get(&app, token, &path).await.0, 404, "{who}");
        assert_eq!(
            get(&app, token, &format!("{path}/events")).await.0,
            404,
            "{who}"
        );
        assert_eq!(
            get(&app, token, &format!("{path}/stages")).await.0,
            404,
            "{who}"
        );
        assert_eq!(
            patch(&app, token, &path, json!({"version": 2})).await.0,
            404,
            "{who}"
        );
        assert_eq!(delete(&app, token, &path).await.0, 404, "{who}");
    }
    let (_, b_list) = get(&app, &investor_b, "/api/v1/projects?limit=500").await;
    assert!(!ids(&b_list).contains(&id));
    for token in [&company, &pact] {
        assert_eq!(get(&app, token, "/api/v1/projects").await.0, 403);
        assert_eq!(
            post(&app, token, "/api/v1/projects", json!({})).await.0,
            403
        );
    }
    assert_eq!(
        delete(&app, &owner, &path).await.0,
        403,
        "staff do not delete"
    );
    assert_eq!(
        call(&app, None, reqwest::Method::GET, "/api/v1/projects", None)
            .await
            .0,
        401
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---- Pages ----

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = page(client, app, form_page).await;
    let token = csrf_of(&html);
    let mut all: Vec<(&str, &str)> = vec![("_csrf", &token)];
    all.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&all)
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// The stage column of the board that holds a project's card.
fn column_of(board: &str, id: &str) -> Option<String> {
    let at = board.find(&format!("id=\"card-{id}\""))?;
    let before = &board[..at];
    let start = before.rfind("<section class=\"board-column")?;
    let head = &before[start..];
    let stage = head.split("stage-").nth(1)?.split(['"', ' ']).next()?;
    Some(stage.to_owned())
}

/// Text of the page with tags removed and whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn the_board_and_the_forms_work_without_javascript(app: TestApp) {
    let (staff, staff_id) = app.signed_in(Role::Staff).await;
    let [(org, org_name), _] = two_orgs(&app).await;

    // Anonymous visitors log in first; investors and companies find nothing here.
    let (status, _) = page(&new_client(), &app, "/office").await;
    assert_eq!(status, 303);
    for role in [Role::Investor, Role::Company] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(page(&client, &app, "/office").await.0, 404, "{role:?}");
        assert_eq!(
            page(&client, &app, "/office/projects/new").await.0,
            404,
            "{role:?}"
        );
    }

    // The form with mistakes: messages next to the fields, values kept.
    let res = send(
        &staff,
        &app,
        "/office/projects/new",
        "/office/projects/new",
        &[
            ("code_name", "Nave Norte"),
            ("investor_org_id", &org),
            ("area_min", "20.000"),
            ("area_max", "5.000"),
            ("jobs_committed", "muchos"),
            ("owner_id", &staff_id),
            ("confidential", "on"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(
            r#"<p class="field-error" id="jobs_committed-error">«muchos» no es un número.</p>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"id="area_min-error">El mínimo es mayor que el máximo.</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"value="Nave Norte""#), "values kept");
    assert!(
        html.contains(r##"<a href="#jobs_committed">"##),
        "the summary links the field"
    );

    // Corrected: the project opens in the first stage.
    let res = send(
        &staff,
        &app,
        "/office/projects/new",
        "/office/projects/new",
        &[
            ("code_name", "Nave Norte"),
            ("investor_org_id", &org),
            ("cnae_code", "24.10"),
            ("area_min", "5.000"),
            ("area_max", "20.000"),
            ("power", "1.000"),
            ("rail", "required"),
            ("municipality", "39087"),
            ("investment_committed_eur", "2.500.000"),
            ("jobs_committed", "40"),
            ("owner_id", &staff_id),
            ("confidential", "on"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let summary = location(&res);
    let id = summary.trim_start_matches("/office/projects/").to_owned();
    let (status, html) = page(&staff, &app, &summary).await;
    assert_eq!(status, 200);
    let shown = text(&html);
    assert!(shown.contains("Proyecto abierto."), "flash: {shown}");
    assert!(shown.contains(&org_name) && shown.contains("Nave Norte"));
    assert!(shown.contains("5.000–20.000 m² (Obligatorio)"), "{shown}");
    assert!(shown.contains("2.500.000 €"), "{shown}");
    assert!(
        shown.contains("Proyecto abierto en la fase «Consulta»."),
        "{shown}"
    );
    assert!(
        html.contains(r#"aria-current="page">Resumen</a>"#),
        "the summary tab"
    );

    // The board: the card in its column, moved with a plain form.
    let (status, board) = page(&staff, &app, "/office").await;
    assert_eq!(status, 200);
    assert_eq!(column_of(&board, &id).as_deref(), Some("inquiry"));
    let res = send(
        &staff,
        &app,
        "/office",
        &format!("/office/projects/{id}/move"),
        &[("to", "qualified"), ("version", "1"), ("back", "board")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/office");
    let (_, board) = page(&staff, &app, "/office").await;
    assert!(text(&board).contains("Proyecto movido de fase."));
    assert_eq!(column_of(&board, &id).as_deref(), Some("qualified"));

    // The same form again (stale), a move not allowed, and lost without a reason.
    let res = send(
        &staff,
        &app,
        "/office",
        &format!("/office/projects/{id}/move"),
        &[("to", "site_search"), ("version", "1"), ("back", "board")],
    )
    .await;
    assert_eq!(location(&res), "/office");
    assert!(
        text(&page(&staff, &app, "/office").await.1)
            .contains("Otra persona ha movido o cambiado este proyecto")
    );
    let res = send(
        &staff,
        &app,
        "/office",
        &format!("/office/projects/{id}/move"),
        &[("to", "operating"), ("version", "2"), ("back", "board")],
    )
    .await;
    assert_eq!(location(&res), "/office");
    assert!(
        text(&page(&staff, &app, "/office").await.1)
            .contains("Ese cambio de fase no está permitido")
    );
    let res = send(
        &staff,
        &app,
        "/office",
        &format!("/office/projects/{id}/move"),
        &[("to", "lost"), ("version", "2"), ("back", "board")],
    )
    .await;
    assert_eq!(
        location(&res),
        format!("/office/projects/{id}?to=lost#move")
    );
    let (_, asked) = page(&staff, &app, &format!("/office/projects/{id}?to=lost")).await;
    assert!(text(&asked).contains("hay que indicar el motivo"));
    assert!(
        asked.contains(r#"<option value="lost" selected>Perdido</option>"#),
        "{asked}"
    );
    let res = send(
        &staff,
        &app,
        &summary,
        &format!("/office/projects/{id}/move"),
        &[
            ("to", "lost"),
            ("reason", "Se instala en Asturias"),
            ("version", "2"),
            ("back", "summary"),
        ],
    )
    .await;
    assert_eq!(location(&res), summary);
    let (_, html) = page(&staff, &app, &summary).await;
    let shown = text(&html);
    assert!(
        shown.contains("Cambio de fase: de «Cualificado» a «Perdido»."),
        "{shown}"
    );
    assert!(shown.contains("Motivo: Se instala en Asturias"));
    assert!(shown.contains("Cambio de fase: de «Consulta» a «Cualificado»."));
    // The board keeps lost projects in their compact column, with the way back.
    let (_, board) = page(&staff, &app, "/office").await;
    assert_eq!(column_of(&board, &id).as_deref(), Some("lost"));

    // In English, the same history.
    let res = staff
        .get(app.url(&format!("/lang/en?next={summary}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, html) = page(&staff, &app, &summary).await;
    let shown = text(&html);
    assert!(
        shown.contains("Stage changed from “Qualified” to “Lost”."),
        "{shown}"
    );
    assert!(shown.contains("Stage history"));
    let _ = staff.get(app.url("/lang/es?next=/")).send().await.unwrap();

    // The list with filters.
    let (_, lost) = page(&staff, &app, "/office/projects?stage=lost").await;
    assert!(lost.contains(&format!("/office/projects/{id}\"")));
    let (_, inquiries) = page(&staff, &app, "/office/projects?stage=inquiry&q=Nave").await;
    assert!(!inquiries.contains(&format!("/office/projects/{id}\"")));
    let (_, mine) = page(&staff, &app, "/office/projects?mine=1&q=nave+norte").await;
    assert!(mine.contains(&format!("/office/projects/{id}\"")));

    // Edit: a stale form shows what the other person saved; saving again wins.
    let edit = format!("/office/projects/{id}/edit");
    let (status, form) = page(&staff, &app, &edit).await;
    assert_eq!(status, 200);
    assert!(
        form.contains(r#"value="2.500.000""#) || form.contains(r#"value="2500000""#),
        "figures shown in Spanish"
    );
    let version: i64 = sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
        .bind(&id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let old = (version - 1).to_string();
    let fields = |v: &str| -> Vec<(String, String)> {
        [
            ("code_name", "Nave Norte"),
            ("investor_org_id", org.as_str()),
            ("jobs_committed", "45"),
            ("owner_id", staff_id.as_str()),
            ("confidential", "on"),
            ("version", v),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
    };
    let stale: Vec<(String, String)> = fields(&old);
    let stale_ref: Vec<(&str, &str)> = stale
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let res = send(&staff, &app, &edit, &edit, &stale_ref).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(text(&html).contains("Otra persona ha cambiado el proyecto"));
    assert!(
        html.contains(&format!(r#"name="version" value="{version}""#)),
        "the form now names the stored version"
    );
    let current = fields(&version.to_string());
    let current_ref: Vec<(&str, &str)> = current
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let res = send(&staff, &app, &edit, &edit, &current_ref).await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&staff, &app, &summary).await;
    let shown = text(&html);
    assert!(shown.contains("Cambios guardados."));
    assert!(shown.contains("Datos del proyecto modificados:"), "{shown}");
    assert!(
        shown.contains("Empleos comprometidos"),
        "field names in Spanish: {shown}"
    );

    // Other staff: the code name, no investor, no forms.
    let (other, _) = app.signed_in(Role::Staff).await;
    let (status, html) = page(&other, &app, &summary).await;
    assert_eq!(status, 200);
    assert!(!html.contains(&org_name), "the investor stays hidden");
    assert!(html.contains("Nave Norte"));
    assert!(!html.contains(&format!("/office/projects/{id}/move")));
    let (_, board) = page(&other, &app, "/office").await;
    assert!(!board.contains(&org_name));
    assert!(
        board.contains(&format!("id=\"card-{id}\"")),
        "on everybody's board"
    );
    let (_, theirs) = page(&other, &app, "/office?mine=1").await;
    assert!(
        !theirs.contains(&format!("id=\"card-{id}\"")),
        "not on their own board"
    );
    let (_, own) = page(&staff, &app, "/office?mine=1").await;
    assert!(own.contains(&format!("id=\"card-{id}\"")));
    assert_eq!(page(&other, &app, &edit).await.0, 403);
    let res = send(
        &other,
        &app,
        "/office",
        &format!("/office/projects/{id}/move"),
        &[("to", "site_search"), ("version", "9")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        page(&other, &app, "/office/projects/does-not-exist")
            .await
            .0,
        404
    );
}

async fn the_board_stays_quick_with_five_thousand_projects(app: TestApp) {
    let (staff, staff_id) = app.signed_in(Role::Staff).await;
    let stages = [
        "inquiry",
        "qualified",
        "site_search",
        "visits",
        "decision",
        "establishment",
        "financing",
        "construction",
        "operating",
        "aftercare",
        "on_hold",
        "lost",
    ];
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let start = time::OffsetDateTime::now_utc() - time::Duration::days(400);
    for i in 0..5000i64 {
        let at = besaya::db::timestamp(start + time::Duration::minutes(i * 97));
        sqlx::query(
            "INSERT INTO projects (id, code_name, owner_id, confidential, stage, stage_since, held_from, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $6, $6)",
        )
        .bind(besaya::db::new_id())
        .bind(format!("Carga {i:04}"))
        .bind(&staff_id)
        .bind(i % 2)
        .bind(stages[(i % 12) as usize])
        .bind(&at)
        .bind(if i % 12 >= 10 { Some("visits") } else { None })
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT stage, COUNT(*) FROM projects GROUP BY stage")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    assert!(total >= 5000);

    let _ = page(&staff, &app, "/office").await;
    let started = Instant::now();
    let (status, board) = page(&staff, &app, "/office").await;
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(3), "the board took {took:?}");
    assert!(
        text(&board).contains(&format!("{} proyectos en total.", besaya_thousands(total))),
        "{}",
        text(&board).chars().take(600).collect::<String>()
    );
    let cards = board.matches("class=\"project-card\"").count() as i64;
    let expected: i64 = counts.iter().map(|(_, n)| (*n).min(30)).sum();
    assert_eq!(cards, expected, "at most 30 cards a column");
    for (stage, n) in &counts {
        if *n > 30 {
            assert!(
                board.contains(&format!("href=\"/office/projects?stage={stage}\"")),
                "a link to all {n} of {stage}"
            );
        }
    }
    // The newest of the stage comes first.
    let newest = sqlx::query_scalar::<_, String>(
        "SELECT id FROM projects WHERE stage = 'inquiry' ORDER BY stage_since DESC, id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(column_of(&board, &newest).as_deref(), Some("inquiry"));
    let (_, list) = page(&staff, &app, "/office/projects?stage=lost").await;
    let rows = |html: &str| -> Vec<String> {
        html.split("<th scope=\"row\"><a href=\"/office/projects/")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect()
    };
    let first_page = rows(&list);
    assert_eq!(first_page.len(), 50, "fifty a page");
    let next = list
        .split("<a href=\"")
        .find_map(|s| {
            s.split_once("\" rel=\"next\"")
                .map(|(h, _)| h.replace("&#38;", "&").replace("&amp;", "&"))
        })
        .expect("the list pages on");
    assert!(
        next.starts_with("/office/projects?stage=lost&after="),
        "{next}"
    );
    let (status, second) = page(&staff, &app, &next).await;
    assert_eq!(status, 200);
    let second_page = rows(&second);
    assert_eq!(second_page.len(), 50);
    assert!(
        second_page.iter().all(|id| !first_page.contains(id)),
        "no project twice"
    );
}

/// A whole number as the pages show it in Spanish (`5.012`).
fn besaya_thousands(n: i64) -> String {
    let s = n.to_string();
    if s.len() <= 3 {
        return s;
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}
