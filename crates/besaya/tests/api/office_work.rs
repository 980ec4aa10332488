//! The office's working notes on a project, on both databases: interactions and
//! tasks through the API (versions, validation, need-to-know access, the
//! timeline), the reminders (once the day before, once overdue, to the owner in
//! their language, never twice), the private calendar feed (valid RFC 5545 read
//! back by a real parser, exactly the user's items, revoked → 404), and the
//! activity pages.

use std::str::FromStr;

use besaya::office::projects::{self, ValidProject};
use besaya_domain::Role;
use besaya_domain::office::Stage;
use icalendar::{Component, EventLike};
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::{TestApp, backends, csrf_of};

backends!(
    interactions_are_recorded_changed_and_deleted_with_versions,
    tasks_are_added_done_and_owned_by_the_team,
    only_those_who_work_on_a_project_see_its_activity,
    reminders_go_once_the_day_before_and_once_overdue,
    the_calendar_feed_is_valid_and_holds_exactly_the_users_items,
    the_activity_pages_log_and_close_work,
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

async fn delete(app: &TestApp, token: &str, path: &str) -> u16 {
    call(app, Some(token), reqwest::Method::DELETE, path, None)
        .await
        .0
}

fn errors(problem: &Value) -> Vec<(String, String)> {
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

/// Two demo organisations: (id, name).
async fn orgs(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as("SELECT id, name FROM organizations ORDER BY name, id LIMIT 2")
        .fetch_all(app.state.db.reader())
        .await
        .unwrap()
}

/// A project owned by `owner` with `team`, of investor `org`.
async fn project(
    app: &TestApp,
    code: &str,
    owner: &str,
    team: &[&str],
    confidential: bool,
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
        team: team.iter().map(|s| (*s).to_owned()).collect(),
        confidential,
    };
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = projects::create(&mut tx, None, &v, Stage::Qualified, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// An investor's API token, acting for `org`.
async fn investor(app: &TestApp, org: &str) -> (String, String) {
    let (token, id) = app.token(Role::Investor).await;
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(&id)
        .bind(org)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    (token, id)
}

/// The timeline's (kind, detail) of a project, oldest first.
async fn timeline(app: &TestApp, project: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, detail FROM project_events WHERE project_id = $1 ORDER BY at, id",
    )
    .bind(project)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(k, d)| (k, serde_json::from_str(&d).unwrap()))
        .collect()
}

async fn audit_actions(app: &TestApp, entity: &str, id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(id)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap()
}

async fn interactions_are_recorded_changed_and_deleted_with_versions(app: TestApp) {
    let (token, owner) = app.token(Role::Staff).await;
    let pid = project(&app, "Roble", &owner, &[], true, None).await;
    let base = format!("/api/v1/projects/{pid}/interactions");

    // Bad input: every field says what is wrong, in English, never a 500.
    let (status, problem) = post(
        &app,
        &token,
        &base,
        json!({ "kind": "lunch", "occurred_at": "ayer a las diez", "duration_minutes": 0 }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        errors(&problem),
        vec![
            ("kind".to_owned(), "unknown_kind".to_owned()),
            ("occurred_at".to_owned(), "invalid_datetime".to_owned()),
            ("duration_minutes".to_owned(), "out_of_range".to_owned()),
            ("subject".to_owned(), "missing_value".to_owned()),
        ]
    );
    assert!(
        problem["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("ayer a las diez")
    );
    let (status, _) = post(&app, &token, &base, json!({ "kind": "call", "subject": "x", "occurred_at": "2026-12-01T10:00", "colour": "red" })).await;
    assert_eq!(status, 422, "unknown fields are refused");

    // Madrid's wall clock without an offset: 10:00 in December is 09:00 UTC.
    let (status, first) = post(
        &app,
        &token,
        &base,
        json!({ "kind": "meeting", "occurred_at": "2026-12-01T10:00", "duration_minutes": 90, "subject": "Presentación de la comarca", "people": "Ana, Luis", "location": "Torrelavega", "notes": "Traer planos" }),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["occurred_at"], "2026-12-01T09:00:00.000000Z");
    assert_eq!(
        (first["version"].as_i64(), first["created_by"].as_str()),
        (Some(1), Some(owner.as_str()))
    );
    let (_, second) = post(&app, &token, &base, json!({ "kind": "call", "occurred_at": "2026-12-02T16:30:00+01:00", "subject": "Seguimiento" })).await;
    let iid = first["id"].as_str().unwrap();

    // Newest first, paged with a cursor.
    let (status, page) = get(&app, &token, &format!("{base}?limit=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["items"][0]["id"], second["id"]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let (_, page2) = get(&app, &token, &format!("{base}?limit=1&cursor={cursor}")).await;
    assert_eq!(page2["items"][0]["id"], first["id"]);
    assert!(page2["next_cursor"].is_null());
    assert_eq!(
        get(&app, &token, &format!("{base}?cursor=garbage!"))
            .await
            .0,
        422
    );

    // A change names the version read: a stale one is 409 and changes nothing.
    let one = format!("{base}/{iid}");
    let (status, changed) = patch(
        &app,
        &token,
        &one,
        json!({ "subject": "Presentación revisada", "version": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (changed["version"].as_i64(), changed["people"].as_str()),
        (Some(2), Some("Ana, Luis"))
    );
    let (status, stale) = patch(
        &app,
        &token,
        &one,
        json!({ "subject": "Otra", "version": 1 }),
    )
    .await;
    assert_eq!((status, stale["current_version"].as_i64()), (409, Some(2)));
    assert_eq!(
        patch(&app, &token, &one, json!({ "subject": "Sin versión" }))
            .await
            .0,
        422
    );
    assert_eq!(
        patch(&app, &token, &one, json!({ "subject": "", "version": 2 }))
            .await
            .0,
        422
    );
    assert_eq!(
        get(&app, &token, &one).await.1["subject"],
        "Presentación revisada"
    );

    // Deleting: stale version 409, then gone.
    assert_eq!(delete(&app, &token, &format!("{one}?version=1")).await, 409);
    assert_eq!(delete(&app, &token, &format!("{one}?version=2")).await, 204);
    assert_eq!(get(&app, &token, &one).await.0, 404);
    assert_eq!(delete(&app, &token, &format!("{one}?version=2")).await, 404);
    // An interaction of another project is not reachable through this one.
    let other = project(&app, "Olmo", &owner, &[], true, None).await;
    let sid = second["id"].as_str().unwrap();
    assert_eq!(
        get(
            &app,
            &token,
            &format!("/api/v1/projects/{other}/interactions/{sid}")
        )
        .await
        .0,
        404
    );

    // The internal timeline and the audit log have it all.
    let kinds: Vec<(String, Value)> = timeline(&app, &pid)
        .await
        .into_iter()
        .filter(|(k, _)| k.starts_with("interaction"))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "interaction".to_owned(),
                json!({ "kind": "meeting", "subject": "Presentación de la comarca" })
            ),
            (
                "interaction".to_owned(),
                json!({ "kind": "call", "subject": "Seguimiento" })
            ),
            (
                "interaction_updated".to_owned(),
                json!({ "kind": "meeting", "subject": "Presentación revisada" })
            ),
            (
                "interaction_deleted".to_owned(),
                json!({ "kind": "meeting", "subject": "Presentación revisada" })
            ),
        ]
    );
    let for_investor: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM project_events WHERE project_id = $1 AND kind LIKE 'interaction%' AND for_investor = 1")
        .bind(&pid)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(
        for_investor, 0,
        "the investor never sees interactions on the portal"
    );
    assert_eq!(
        audit_actions(&app, "interaction", iid).await,
        vec!["create", "update", "delete"]
    );
}

async fn tasks_are_added_done_and_owned_by_the_team(app: TestApp) {
    let (token, owner) = app.token(Role::Staff).await;
    let (_, mate) = app.token(Role::Staff).await;
    let (_, outsider) = app.token(Role::Staff).await;
    let (_, company) = app.token(Role::Company).await;
    let pid = project(&app, "Castaño", &owner, &[&mate], true, None).await;
    let base = format!("/api/v1/projects/{pid}/tasks");

    let (status, problem) = post(&app, &token, &base, json!({ "due_on": "31/12/2026" })).await;
    assert_eq!(status, 422);
    assert_eq!(
        errors(&problem),
        vec![
            ("title".to_owned(), "missing_value".to_owned()),
            ("due_on".to_owned(), "invalid_date".to_owned())
        ]
    );
    // The owner must be of the office and work on this (confidential) project.
    let (status, problem) = post(
        &app,
        &token,
        &base,
        json!({ "title": "Dosier", "due_on": "2026-12-31", "owner_id": company }),
    )
    .await;
    assert_eq!(
        (status, errors(&problem)),
        (422, vec![("owner_id".to_owned(), "not_staff".to_owned())])
    );
    let (status, problem) = post(
        &app,
        &token,
        &base,
        json!({ "title": "Dosier", "due_on": "2026-12-31", "owner_id": outsider }),
    )
    .await;
    assert_eq!(
        (status, errors(&problem)),
        (422, vec![("owner_id".to_owned(), "not_on_team".to_owned())])
    );

    // Default owner: whoever adds it.
    let (status, mine) = post(
        &app,
        &token,
        &base,
        json!({ "title": "Enviar el dosier", "due_on": "2026-12-31", "notes": "Con el plano" }),
    )
    .await;
    assert_eq!(status, 201, "{mine}");
    assert_eq!(
        (
            mine["owner_id"].as_str(),
            mine["done"].as_bool(),
            mine["version"].as_i64()
        ),
        (Some(owner.as_str()), Some(false), Some(1))
    );
    let (status, theirs) = post(
        &app,
        &token,
        &base,
        json!({ "title": "Llamar al ayuntamiento", "due_on": "2026-12-15", "owner_id": mate }),
    )
    .await;
    assert_eq!(status, 201, "{theirs}");
    let tid = mine["id"].as_str().unwrap();
    let one = format!("{base}/{tid}");

    // Done with the version read; a stale one is 409.
    let (status, done) = patch(&app, &token, &one, json!({ "done": true, "version": 1 })).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (
            done["done"].as_bool(),
            done["version"].as_i64(),
            done["done_at"].is_string()
        ),
        (Some(true), Some(2), true)
    );
    assert_eq!(
        patch(&app, &token, &one, json!({ "done": false, "version": 1 }))
            .await
            .0,
        409
    );
    // The open ones, by due day; the done ones.
    let (_, open) = get(&app, &token, &format!("{base}?done=false")).await;
    let titles: Vec<&str> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Llamar al ayuntamiento"]);
    let (_, closed) = get(&app, &token, &format!("{base}?done=true")).await;
    assert_eq!(closed["items"][0]["id"], mine["id"]);
    let (_, all) = get(&app, &token, &base).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        get(&app, &token, &format!("{base}?done=maybe")).await.0,
        400
    );

    // Reopened, moved to another day: the reminders start afresh.
    sqlx::query(
        "UPDATE tasks SET reminded_before_at = '2026-12-30T08:00:00.000000Z' WHERE id = $1",
    )
    .bind(tid)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let (status, reopened) = patch(
        &app,
        &token,
        &one,
        json!({ "done": false, "due_on": "2027-01-15", "version": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(
        (
            reopened["done"].as_bool(),
            reopened["done_at"].is_null(),
            reopened["reminded_before_at"].is_null()
        ),
        (Some(false), true, true)
    );
    assert_eq!(
        patch(
            &app,
            &token,
            &one,
            json!({ "owner_id": outsider, "version": 3 })
        )
        .await
        .0,
        422,
        "not handed to someone off the team"
    );
    assert_eq!(delete(&app, &token, &format!("{one}?version=2")).await, 409);
    assert_eq!(delete(&app, &token, &format!("{one}?version=3")).await, 204);

    let events: Vec<(String, Value)> = timeline(&app, &pid)
        .await
        .into_iter()
        .filter(|(k, _)| k.starts_with("task"))
        .collect();
    assert_eq!(
        events,
        vec![
            (
                "task_created".to_owned(),
                json!({ "title": "Enviar el dosier", "due_on": "2026-12-31" })
            ),
            (
                "task_created".to_owned(),
                json!({ "title": "Llamar al ayuntamiento", "due_on": "2026-12-15" })
            ),
            (
                "task_done".to_owned(),
                json!({ "title": "Enviar el dosier" })
            ),
            (
                "task_updated".to_owned(),
                json!({ "title": "Enviar el dosier", "due_on": "2027-01-15" })
            ),
            (
                "task_reopened".to_owned(),
                json!({ "title": "Enviar el dosier" })
            ),
            (
                "task_deleted".to_owned(),
                json!({ "title": "Enviar el dosier" })
            ),
        ]
    );
    assert_eq!(
        audit_actions(&app, "task", tid).await,
        vec!["create", "update", "update", "delete"]
    );
}

async fn only_those_who_work_on_a_project_see_its_activity(app: TestApp) {
    let (owner_token, owner) = app.token(Role::Staff).await;
    let (outsider, _) = app.token(Role::Staff).await;
    let (admin, _) = app.token(Role::Admin).await;
    let (company, _) = app.token(Role::Company).await;
    let orgs = orgs(&app).await;
    let (investor_a, _) = investor(&app, &orgs[0].0).await;
    let (investor_b, _) = investor(&app, &orgs[1].0).await;
    let secret = project(&app, "Secreto", &owner, &[], true, Some(&orgs[0].0)).await;
    let open = project(&app, "Abierto", &owner, &[], false, Some(&orgs[0].0)).await;
    let body =
        json!({ "kind": "visit", "occurred_at": "2026-12-01T10:00:00Z", "subject": "Visita" });
    let task = json!({ "title": "Tarea", "due_on": "2026-12-01" });

    for kind in ["interactions", "tasks"] {
        let path = format!("/api/v1/projects/{secret}/{kind}");
        assert_eq!(get(&app, &owner_token, &path).await.0, 200);
        assert_eq!(get(&app, &admin, &path).await.0, 200);
        // Staff off the team of a confidential project: they know it exists, not its activity.
        assert_eq!(get(&app, &outsider, &path).await.0, 403);
        // The investor's own users: internal to the office.
        assert_eq!(get(&app, &investor_a, &path).await.0, 403);
        // Anyone else must not learn the project exists.
        assert_eq!(get(&app, &investor_b, &path).await.0, 404);
        assert_eq!(get(&app, &company, &path).await.0, 404);
        assert_eq!(app.get(&path).await.status(), 401);
        // Ids that cannot be ours (a NUL, which PostgreSQL refuses): 404, not 500.
        for bad in ["%00", "a%00b", "x%0Ay"] {
            let p = format!("/api/v1/projects/{bad}/{kind}");
            assert_eq!(get(&app, &owner_token, &p).await.0, 404, "{p}");
            let p = format!("/api/v1/projects/{secret}/{kind}/{bad}");
            assert_eq!(get(&app, &owner_token, &p).await.0, 404, "{p}");
        }
        assert_eq!(
            get(
                &app,
                &owner_token,
                &format!("/api/v1/projects/no-such-project/{kind}")
            )
            .await
            .0,
            404
        );
    }
    let secret_i = format!("/api/v1/projects/{secret}/interactions");
    let secret_t = format!("/api/v1/projects/{secret}/tasks");
    assert_eq!(post(&app, &outsider, &secret_i, body.clone()).await.0, 403);
    assert_eq!(post(&app, &outsider, &secret_t, task.clone()).await.0, 403);
    assert_eq!(
        post(&app, &investor_a, &secret_i, body.clone()).await.0,
        403
    );
    assert_eq!(
        post(&app, &investor_b, &secret_i, body.clone()).await.0,
        404
    );
    let (status, made) = post(&app, &owner_token, &secret_i, body.clone()).await;
    assert_eq!(status, 201);
    let iid = made["id"].as_str().unwrap();
    assert_eq!(
        patch(
            &app,
            &outsider,
            &format!("{secret_i}/{iid}"),
            json!({ "subject": "x", "version": 1 })
        )
        .await
        .0,
        403
    );
    assert_eq!(
        delete(&app, &investor_b, &format!("{secret_i}/{iid}")).await,
        404
    );
    assert_eq!(
        delete(&app, &outsider, &format!("{secret_i}/{iid}")).await,
        403
    );
    assert_eq!(
        get(&app, &owner_token, &format!("{secret_i}/{iid}"))
            .await
            .0,
        200
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE project_id = $1")
        .bind(&secret)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(count, 1, "nothing written by those refused");

    // A project that is not confidential is open to the whole office.
    assert_eq!(
        post(
            &app,
            &outsider,
            &format!("/api/v1/projects/{open}/interactions"),
            body
        )
        .await
        .0,
        201
    );
    assert_eq!(
        post(
            &app,
            &outsider,
            &format!("/api/v1/projects/{open}/tasks"),
            task
        )
        .await
        .0,
        201
    );
    assert_eq!(
        get(&app, &investor_a, &format!("/api/v1/projects/{open}/tasks"))
            .await
            .0,
        403
    );
}

/// The mails written so far: (to, subject, text).
fn mails(app: &TestApp) -> Vec<(String, String, String)> {
    let mut m = app.mails();
    m.sort();
    m
}

async fn reminders_go_once_the_day_before_and_once_overdue(app: TestApp) {
    let (token, ana) = app.token(Role::Staff).await;
    let (_, helen) = app.token(Role::Staff).await;
    sqlx::query("UPDATE users SET lang = 'en', name = 'Helen Carter' WHERE id = $1")
        .bind(&helen)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let orgs = orgs(&app).await;
    let pid = project(&app, "Avellano", &ana, &[&helen], true, Some(&orgs[0].0)).await;
    let base = format!("/api/v1/projects/{pid}/tasks");
    let add = |title: &str, due: &str, owner: &str| json!({ "title": title, "due_on": due, "owner_id": owner });
    let today = date!(2030 - 03 - 10);
    let (_, tomorrow) = post(
        &app,
        &token,
        &base,
        add("Preparar la visita", "2030-03-11", &ana),
    )
    .await;
    let (_, late) = post(
        &app,
        &token,
        &base,
        add("Send the land offer", "2030-03-05", &helen),
    )
    .await;
    post(&app, &token, &base, add("Más adelante", "2030-03-20", &ana)).await;
    post(&app, &token, &base, add("Hoy mismo", "2030-03-10", &ana)).await;
    let (_, closed) = post(&app, &token, &base, add("Ya hecha", "2030-03-01", &ana)).await;
    assert_eq!(
        patch(
            &app,
            &token,
            &format!("{base}/{}", closed["id"].as_str().unwrap()),
            json!({ "done": true, "version": 1 })
        )
        .await
        .0,
        200
    );

    assert_eq!(
        besaya::office::work::send_task_reminders(&app.state, today)
            .await
            .unwrap(),
        2
    );
    // Run again, or by another instance: nothing more.
    assert_eq!(
        besaya::office::work::send_task_reminders(&app.state, today)
            .await
            .unwrap(),
        0
    );
    app.run_jobs().await;
    let emails: std::collections::HashMap<String, String> =
        sqlx::query_as("SELECT id, email FROM users WHERE id IN ($1, $2)")
            .bind(&ana)
            .bind(&helen)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let sent = mails(&app);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    let to_ana = sent.iter().find(|m| m.0 == emails[&ana]).unwrap();
    assert_eq!(to_ana.1, "Tarea para mañana: Preparar la visita");
    // The owner may see the investor, so the project goes by the investor's name.
    assert!(
        to_ana.2.contains(&format!("del proyecto {}", orgs[0].1)),
        "{}",
        to_ana.2
    );
    assert!(to_ana.2.contains("11 de marzo de 2030"), "{}", to_ana.2);
    assert!(
        to_ana
            .2
            .contains(&format!("/office/projects/{pid}/activity")),
        "{}",
        to_ana.2
    );
    let to_helen = sent.iter().find(|m| m.0 == emails[&helen]).unwrap();
    assert_eq!(to_helen.1, "Overdue task: Send the land offer");
    assert!(
        to_helen.2.contains("was due on 5 March 2030"),
        "{}",
        to_helen.2
    );
    assert!(to_helen.2.contains("Hello Helen Carter"), "{}", to_helen.2);

    let marks: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT title, reminded_before_at, reminded_overdue_at FROM tasks WHERE project_id = $1 ORDER BY title")
            .bind(&pid)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    for (title, before, overdue) in &marks {
        let expect = (
            title == "Preparar la visita",
            title == "Send the land offer",
        );
        assert_eq!((before.is_some(), overdue.is_some()), expect, "{title}");
    }

    // The next day the visit is due today: nothing. The day after it is overdue: once.
    assert_eq!(
        besaya::office::work::send_task_reminders(&app.state, date!(2030 - 03 - 11))
            .await
            .unwrap(),
        1,
        "only 'Hoy mismo', now overdue"
    );
    assert_eq!(
        besaya::office::work::send_task_reminders(&app.state, date!(2030 - 03 - 12))
            .await
            .unwrap(),
        1,
        "'Preparar la visita' overdue"
    );
    // Two scans at once (two instances): the reminder still goes once.
    let (a, b) = tokio::join!(
        besaya::office::work::send_task_reminders(&app.state, date!(2030 - 03 - 19)),
        besaya::office::work::send_task_reminders(&app.state, date!(2030 - 03 - 19)),
    );
    assert_eq!(
        a.unwrap() + b.unwrap(),
        1,
        "'Más adelante' is due tomorrow, once"
    );
    app.run_jobs().await;
    let subjects: Vec<String> = mails(&app).into_iter().map(|m| m.1).collect();
    assert_eq!(subjects.len(), 5, "{subjects:#?}");
    assert_eq!(
        subjects
            .iter()
            .filter(|s| s.contains("Preparar la visita"))
            .count(),
        2
    );
    assert!(subjects.contains(&"Tarea vencida: Preparar la visita".to_owned()));
    assert!(
        !subjects.iter().any(|s| s.contains("Ya hecha")),
        "no reminder for a task done"
    );
    let _ = tomorrow;
    let _ = late;
    let reminded = timeline(&app, &pid)
        .await
        .into_iter()
        .filter(|(k, _)| k == "task_reminded")
        .count();
    assert_eq!(reminded, 5);
}

/// Creates a calendar feed on the account page; returns the feed's path.
async fn make_feed(app: &TestApp, client: &reqwest::Client) -> String {
    let res = app
        .post_form(client, "/account/calendar", "/account/calendar", &[])
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let marker = "id=\"feed-url\" value=\"";
    let start = html.find(marker).expect("the new address is shown") + marker.len();
    let url = &html[start..start + html[start..].find('"').unwrap()];
    let path = &url[url.find("/calendar/").unwrap()..];
    assert!(path.ends_with(".ics"), "{path}");
    path.to_owned()
}

/// Fetches a feed: (status, body); asserts the calendar's content type on success.
async fn fetch(app: &TestApp, path: &str) -> (u16, String) {
    let res = reqwest::get(app.url(path)).await.unwrap();
    let status = res.status().as_u16();
    if status == 200 {
        assert_eq!(
            res.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
    }
    (status, res.text().await.unwrap())
}

/// The events of a feed read back by `icalendar`: uid → (summary, start, end, location).
fn events(
    ics: &str,
) -> std::collections::BTreeMap<String, (String, String, String, Option<String>)> {
    // RFC 5545 framing: CRLF everywhere, no line longer than 75 octets.
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line ending in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let unfolded = icalendar::parser::unfold(ics);
    for needed in ["VERSION:2.0", "METHOD:PUBLISH", "PRODID:"] {
        assert!(unfolded.contains(&format!("\r\n{needed}")), "{needed}");
    }
    let cal = icalendar::Calendar::from_str(ics).expect("a valid calendar");
    let show = |d: Option<icalendar::DatePerhapsTime>| match d {
        Some(icalendar::DatePerhapsTime::Date(d)) => format!("date {d}"),
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => {
            format!("utc {}", t.format("%Y-%m-%dT%H:%M"))
        }
        other => panic!("not a date or a UTC time: {other:?}"),
    };
    cal.components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            assert!(e.get_timestamp().is_some(), "DTSTAMP");
            (
                e.get_uid().expect("UID").to_owned(),
                (
                    e.get_summary().unwrap_or_default().to_owned(),
                    show(e.get_start()),
                    show(e.get_end()),
                    e.get_location().map(str::to_owned),
                ),
            )
        })
        .collect()
}

async fn the_calendar_feed_is_valid_and_holds_exactly_the_users_items(app: TestApp) {
    let (client, sara) = app.signed_in(Role::Staff).await;
    let (other_token, other) = app.token(Role::Staff).await;
    let (sara_token, _) = {
        let mut tx = app.state.db.writer().begin().await.unwrap();
        let t = besaya::auth::tokens::create(&mut tx, None, &sara, "test")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (t.1, ())
    };
    let orgs = orgs(&app).await;
    let (investor_token, investor_id) = investor(&app, &orgs[0].0).await;
    let mine = project(&app, "Tejo", &sara, &[], true, Some(&orgs[0].0)).await;
    let team = project(&app, "Sauce", &other, &[&sara], true, Some(&orgs[1].0)).await;
    let elsewhere = project(&app, "Pino", &other, &[], false, Some(&orgs[1].0)).await;
    let _ = investor_token;

    // Subjects are one line: the new lines go into the description (people, then the link).
    let nasty = "Reunión; coste, plazos \\ y \"más\" — ñandúes €€€ çà ü 日本語 ".repeat(2);
    let long_place = "Polígono Industrial de Barreda, nave 7; acceso por la calle Ría del Besaya, junto a la báscula";
    let inter = |kind: &str, when: &str, subject: &str| json!({ "kind": kind, "occurred_at": when, "subject": subject, "duration_minutes": 45, "people": "Ana, Luis", "location": long_place });
    let (_, m1) = post(
        &app,
        &sara_token,
        &format!("/api/v1/projects/{mine}/interactions"),
        inter("meeting", "2099-01-15T10:00", &nasty),
    )
    .await;
    post(
        &app,
        &sara_token,
        &format!("/api/v1/projects/{mine}/interactions"),
        inter("call", "2099-01-16T10:00", "Una llamada"),
    )
    .await;
    let (_, v2) = post(&app, &other_token, &format!("/api/v1/projects/{team}/interactions"), json!({ "kind": "visit", "occurred_at": "2099-07-01T09:30:00Z", "subject": "Visita a la nave" })).await;
    post(
        &app,
        &other_token,
        &format!("/api/v1/projects/{elsewhere}/interactions"),
        inter("meeting", "2099-01-20T10:00", "No es suya"),
    )
    .await;
    post(
        &app,
        &sara_token,
        &format!("/api/v1/projects/{mine}/interactions"),
        inter("meeting", "2001-01-20T10:00", "Hace mucho"),
    )
    .await;
    let (_, t1) = post(
        &app,
        &sara_token,
        &format!("/api/v1/projects/{mine}/tasks"),
        json!({ "title": "Enviar oferta, sin falta; ya", "due_on": "2099-02-28" }),
    )
    .await;
    let (_, t2) = post(
        &app,
        &other_token,
        &format!("/api/v1/projects/{team}/tasks"),
        json!({ "title": "Tarea de Sara en Sauce", "due_on": "2099-03-01", "owner_id": sara }),
    )
    .await;
    let (_, t3) = post(
        &app,
        &sara_token,
        &format!("/api/v1/projects/{mine}/tasks"),
        json!({ "title": "Hecha", "due_on": "2099-02-01" }),
    )
    .await;
    patch(
        &app,
        &sara_token,
        &format!(
            "/api/v1/projects/{mine}/tasks/{}",
            t3["id"].as_str().unwrap()
        ),
        json!({ "done": true, "version": 1 }),
    )
    .await;
    post(
        &app,
        &other_token,
        &format!("/api/v1/projects/{team}/tasks"),
        json!({ "title": "De otro", "due_on": "2099-03-01" }),
    )
    .await;

    // No feed yet; a made-up one is 404.
    assert_eq!(
        fetch(
            &app,
            &format!("/calendar/{}.ics", besaya::auth::secret::random_token())
        )
        .await
        .0,
        404
    );
    assert_eq!(fetch(&app, "/calendar/short.ics").await.0, 404);
    let page = client
        .get(app.url("/account/calendar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Todavía no tiene una dirección de calendario"),
        "the page is in Spanish"
    );
    let path = make_feed(&app, &client).await;
    let token = path
        .trim_start_matches("/calendar/")
        .trim_end_matches(".ics");
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM calendar_feeds WHERE user_id = $1")
            .bind(&sara)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(
        stored,
        besaya::auth::secret::hash(token),
        "only the hash is kept"
    );
    let page = client
        .get(app.url("/account/calendar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(token), "the address is shown once");

    let (status, ics) = fetch(&app, &path).await;
    assert_eq!(status, 200);
    let evs = events(&ics);
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let host = "127.0.0.1:8080";
    let uids: Vec<String> = evs.keys().cloned().collect();
    let mut expected = vec![
        format!("interaction-{}@{host}", id(&m1)),
        format!("interaction-{}@{host}", id(&v2)),
        format!("task-{}@{host}", id(&t1)),
        format!("task-{}@{host}", id(&t2)),
    ];
    expected.sort();
    assert_eq!(
        uids, expected,
        "open tasks of hers, meetings and visits of her projects; nothing else"
    );
    let meeting = &evs[&format!("interaction-{}@{host}", id(&m1))];
    // Escaped on the way out, read back intact (the parser unescapes).
    assert_eq!(
        meeting.0,
        format!("Reunión: {} ({})", nasty.trim(), orgs[0].1)
    );
    assert_eq!(
        (meeting.1.as_str(), meeting.2.as_str()),
        ("utc 2099-01-15T09:00", "utc 2099-01-15T09:45")
    );
    assert_eq!(meeting.3.as_deref(), Some(long_place));
    let unfolded = icalendar::parser::unfold(&ics);
    assert!(
        unfolded.contains("SUMMARY:Reunión: Reunión\\; coste\\, plazos \\\\ y"),
        "TEXT escaping"
    );
    assert!(
        unfolded.contains("LOCATION:Polígono Industrial de Barreda\\, nave 7\\; acceso"),
        "TEXT escaping"
    );
    assert!(
        unfolded.contains("DESCRIPTION:Participantes: Ana\\, Luis\\nhttp"),
        "a new line as \\n"
    );
    let task = &evs[&format!("task-{}@{host}", id(&t1))];
    assert_eq!(
        task.0,
        format!("Tarea: Enviar oferta, sin falta; ya ({})", orgs[0].1)
    );
    assert_eq!(
        (task.1.as_str(), task.2.as_str()),
        ("date 2099-02-28", "date 2099-03-01")
    );
    let visit = &evs[&format!("interaction-{}@{host}", id(&v2))];
    assert_eq!(visit.1, "utc 2099-07-01T09:30");
    assert!(
        visit.0.starts_with("Visita: Visita a la nave"),
        "{}",
        visit.0
    );

    // Taken off the team of the confidential project: her task there keeps its
    // place in her calendar, under the code name only.
    sqlx::query("DELETE FROM project_team WHERE project_id = $1 AND user_id = $2")
        .bind(&team)
        .bind(&sara)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let evs = events(&fetch(&app, &path).await.1);
    assert_eq!(
        evs[&format!("task-{}@{host}", id(&t2))].0,
        "Tarea: Tarea de Sara en Sauce (Sauce)"
    );
    assert!(!evs.contains_key(&format!("interaction-{}@{host}", id(&v2))));
    assert!(
        !evs.values().any(|e| e.0.contains(&orgs[1].1)),
        "the investor of Sauce is never named"
    );

    // The investor's feed: its own project's meetings, by its name, no tasks, in English.
    sqlx::query("UPDATE users SET lang = 'en' WHERE id = $1")
        .bind(&investor_id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let raw = besaya::auth::secret::random_token();
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(&investor_id)
        .bind(besaya::auth::secret::hash(&raw))
        .bind("2026-01-01T00:00:00.000000Z")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let evs = events(&fetch(&app, &format!("/calendar/{raw}.ics")).await.1);
    let summaries: Vec<&str> = evs.values().map(|e| e.0.as_str()).collect();
    assert_eq!(
        summaries,
        vec![format!("Meeting: {} ({})", nasty.trim(), orgs[0].1).as_str()]
    );
    let investor_ics =
        icalendar::parser::unfold(&fetch(&app, &format!("/calendar/{raw}.ics")).await.1);
    assert!(investor_ics.contains(&format!("/portal/projects/{mine}")));
    assert!(!investor_ics.contains("/office/"));

    // Replaced: the old address is 404, the new one works. Revoked: 404.
    let newer = make_feed(&app, &client).await;
    assert_ne!(newer, path);
    assert_eq!(fetch(&app, &path).await.0, 404);
    assert_eq!(fetch(&app, &newer).await.0, 200);
    let token_page = client
        .get(app.url("/account/calendar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&token_page);
    let res = client
        .post(app.url("/account/calendar/revoke"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(fetch(&app, &newer).await.0, 404);
    assert_eq!(
        audit_actions(&app, "calendar_feed", &sara).await,
        vec!["create", "replace", "revoke"]
    );
    // A revoked user's feed is gone too: an inactive account's address is 404.
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&investor_id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    assert_eq!(fetch(&app, &format!("/calendar/{raw}.ics")).await.0, 404);
}

async fn the_activity_pages_log_and_close_work(app: TestApp) {
    let (client, owner) = app.signed_in(Role::Staff).await;
    let (outsider, _) = app.signed_in(Role::Staff).await;
    let orgs = orgs(&app).await;
    let pid = project(&app, "Fresno", &owner, &[], true, Some(&orgs[0].0)).await;
    let page = format!("/office/projects/{pid}/activity");

    let res = client.get(app.url(&page)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(&orgs[0].1), "the owner sees the investor");
    assert!(html.contains("Registrar una interacción") && html.contains("Añadir una tarea"));

    // Errors next to their fields, values kept, in Spanish.
    let res = app
        .post_form(
            &client,
            &page,
            &format!("/office/projects/{pid}/interactions"),
            &[
                ("kind", "meeting"),
                ("occurred_at", "mañana"),
                ("duration_minutes", "mucho"),
                ("subject", ""),
                ("people", "Ana"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"i-occurred_at-error\"")
            && html.contains("Fecha y hora no válidas: mañana"),
        "{html}"
    );
    assert!(
        html.contains("id=\"i-subject-error\"") && html.contains("id=\"i-duration_minutes-error\"")
    );
    assert!(html.contains("value=\"Ana\""), "typed values are kept");

    let res = app
        .post_form(
            &client,
            &page,
            &format!("/office/projects/{pid}/interactions"),
            &[
                ("kind", "visit"),
                ("occurred_at", "2026-12-01T10:30"),
                ("duration_minutes", "60"),
                ("subject", "Visita a <b>la nave</b>"),
                ("people", "Ana"),
                ("location", "Barreda"),
                ("notes", "Primera línea\nSegunda línea"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], page.as_str());
    let html = client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Interacción registrada."), "flash");
    assert!(
        html.contains("Visita a &#60;b&#62;la nave&#60;/b&#62;")
            || html.contains("Visita a &lt;b&gt;la nave&lt;/b&gt;"),
        "escaped"
    );
    assert!(
        html.contains("1 de diciembre de 2026, 10:30"),
        "shown in Madrid time, in Spanish"
    );
    assert!(html.contains("Primera línea<br>Segunda línea"));

    let res = app
        .post_form(
            &client,
            &page,
            &format!("/office/projects/{pid}/tasks"),
            &[("title", ""), ("due_on", "31/12")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"t-title-error\"") && html.contains("id=\"t-due_on-error\""));
    for (title, due) in [
        ("Firmar el acuerdo", "2099-12-31"),
        ("Llamar a la consejería", "2001-01-01"),
    ] {
        let res = app
            .post_form(
                &client,
                &page,
                &format!("/office/projects/{pid}/tasks"),
                &[("title", title), ("due_on", due), ("owner_id", &owner)],
            )
            .await;
        assert_eq!(res.status(), 303, "{title}");
    }
    let html = client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let overdue_at = html.find("Llamar a la consejería").unwrap();
    let later_at = html.find("Firmar el acuerdo").unwrap();
    assert!(overdue_at < later_at, "open tasks by due day");
    assert!(
        html[overdue_at..later_at].contains("Vencida"),
        "the overdue one is marked"
    );

    // /office/tasks: mine, overdue first; marking one done from there comes back there.
    let res = client.get(app.url("/office/tasks")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("2 tareas pendientes, 1 vencida."), "{html}");
    assert!(html.find("Llamar a la consejería").unwrap() < html.find("Firmar el acuerdo").unwrap());
    let tid: String =
        sqlx::query_scalar("SELECT id FROM tasks WHERE title = 'Llamar a la consejería'")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    let res = app
        .post_form(
            &client,
            "/office/tasks",
            &format!("/office/projects/{pid}/tasks/{tid}/done"),
            &[("version", "1"), ("back", "tasks")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/office/tasks");
    let html = client
        .get(app.url("/office/tasks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tarea marcada como hecha.") && !html.contains("Llamar a la consejería"));
    // A stale button: 409 with a message, nothing changed.
    let res = app
        .post_form(
            &client,
            &page,
            &format!("/office/projects/{pid}/tasks/{tid}/reopen"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Otra persona ha cambiado esta tarea")
    );
    let res = app
        .post_form(
            &client,
            &page,
            &format!("/office/projects/{pid}/tasks/{tid}/reopen"),
            &[("version", "2")],
        )
        .await;
    assert_eq!(res.status(), 303);

    // Off the team of a confidential project: 403, the code name only.
    let res = outsider.get(app.url(&page)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Fresno") && !html.contains(&orgs[0].1),
        "never the investor's name"
    );
    assert!(!html.contains("Visita a"), "nor the activity");
    let res = app
        .post_form(
            &outsider,
            "/office/tasks",
            &format!("/office/projects/{pid}/tasks"),
            &[("title", "Intrusa"), ("due_on", "2099-01-01")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // Not of the office: 403; a project that does not exist: 404.
    let (company, _) = app.signed_in(Role::Company).await;
    assert_eq!(
        company.get(app.url(&page)).send().await.unwrap().status(),
        403
    );
    assert_eq!(
        company
            .get(app.url("/office/tasks"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        client
            .get(app.url("/office/projects/nope/activity"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Anonymous visitors are sent to log in.
    let anon = crate::helpers::new_client();
    assert_eq!(anon.get(app.url(&page)).send().await.unwrap().status(), 303);
}
