//! Inquiries from the public site, on both databases: the honeypot, the rate limit
//! per address, one owner each (the one with the fewest open), e-mails to the
//! sender and the owner, the office's list (waiting ones first, late ones marked),
//! answering (the clock stops, the sender gets the answer), dismissing, qualifying
//! into a project (once), access, and the validation messages.

use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, new_client};

backends!(
    the_honeypot_stores_nothing,
    the_rate_limit_answers_429_after_n,
    each_inquiry_gets_the_least_busy_owner_and_both_get_mail,
    the_list_puts_waiting_ones_first_and_marks_late_ones,
    answering_stops_the_clock_and_mails_the_sender,
    qualifying_creates_a_project_once,
    dismissing_needs_a_reason_and_stops_the_clock,
    only_the_office_sees_inquiries,
    bad_input_is_explained_next_to_each_field,
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

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

fn error_codes(problem: &Value) -> Vec<(String, String)> {
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

/// A valid inquiry from `email`, in `lang`.
fn inquiry(email: &str, lang: &str) -> Value {
    json!({
        "name": "Laura Gómez",
        "email": email,
        "company": "Acme Components GmbH",
        "country": "Alemania",
        "message": "Buscamos 20.000 m² con 2 MW para una planta de componentes.",
        "cnae_code": "24.51",
        "land_m2": 20000.0,
        "jobs": 80,
        "investment_eur": 12000000.0,
        "lang": lang,
        "consent": true
    })
}

/// Sends an inquiry through the public API; returns its id.
async fn send(app: &TestApp, email: &str, lang: &str) -> String {
    let (status, body) = post(app, None, "/api/v1/inquiries", inquiry(email, lang)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// Forgets the inquiries counted per address (each test sends from 127.0.0.1).
async fn reset_rate(app: &TestApp) {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key LIKE 'inquiry:%'")
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

/// Makes the given users the only active staff (the demo may hold others).
async fn only_staff(app: &TestApp, keep: &[&str]) {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'staff'")
        .fetch_all(app.state.db.reader())
        .await
        .unwrap();
    for id in ids {
        if !keep.contains(&id.as_str()) {
            sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
                .bind(&id)
                .execute(app.state.db.writer())
                .await
                .unwrap();
        }
    }
}

async fn rename(app: &TestApp, id: &str, name: &str) {
    sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn owner_of(app: &TestApp, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT owner_id FROM inquiries WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

/// Moves an inquiry's arrival `hours` into the past.
async fn received_hours_ago(app: &TestApp, id: &str, hours: i64) {
    let t = time::OffsetDateTime::now_utc() - time::Duration::hours(hours);
    sqlx::query("UPDATE inquiries SET received_at = $1 WHERE id = $2")
        .bind(besaya::db::timestamp(t))
        .bind(id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

/// The public form's fields, valid.
fn form_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Laura Gómez"),
        ("email", "laura@acme.example"),
        ("company", "Acme Components GmbH"),
        ("message", "Buscamos una nave de 5.000 m²."),
        ("land_m2", "5.000"),
        ("jobs", "40"),
        ("consent", "yes"),
        ("website", ""),
    ]
}

async fn the_honeypot_stores_nothing(app: TestApp) {
    let visitor = new_client();
    let page = visitor
        .get(app.url("/inquiry"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The trap is there, hidden from people and out of the tab order.
    let trap = page.find(r#"name="website""#).expect("the honeypot field");
    let around = &page[page[..trap].rfind("<div").unwrap()..trap + 120];
    assert!(
        around.contains(r#"class="visually-hidden" aria-hidden="true""#),
        "{around}"
    );
    assert!(around.contains(r#"tabindex="-1""#) && around.contains(r#"autocomplete="off""#));

    // From a site's page, the message starts with the site (an unpublished one is not named).
    let (site, name): (String, String) =
        sqlx::query_as("SELECT id, name FROM sites WHERE published = 1 ORDER BY name LIMIT 1")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    let about = visitor
        .get(app.url(&format!("/inquiry?site={site}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        about.contains(&format!("Me interesa el emplazamiento «{name}")),
        "{about}"
    );
    let hidden: String = sqlx::query_scalar("SELECT id FROM sites WHERE published = 0 LIMIT 1")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let plain = visitor
        .get(app.url(&format!("/inquiry?site={hidden}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!plain.contains("Me interesa el emplazamiento"));

    let mut fields = form_fields();
    fields.retain(|(k, _)| *k != "website");
    fields.push(("website", "https://cheap-pills.example"));
    let res = app
        .post_form(&visitor, "/inquiry", "/inquiry", &fields)
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/inquiry/thanks");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM jobs WHERE payload LIKE '%laura@acme.example%'"
        )
        .await,
        0,
        "no e-mail either"
    );

    // A person, the same form without the trap: stored, with the consent given.
    let res = app
        .post_form(&visitor, "/inquiry", "/inquiry", &form_fields())
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/inquiry/thanks");
    let thanks = visitor
        .get(app.url("/inquiry/thanks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        thanks.contains("en un plazo máximo de 48 horas"),
        "{thanks}"
    );
    let (land, jobs, lang, consent): (Option<f64>, Option<i64>, String, String) =
        sqlx::query_as("SELECT land_m2, jobs, lang, consent_text FROM inquiries")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!((land, jobs, lang.as_str()), (Some(5000.0), Some(40), "es"));
    assert!(consent.starts_with("Acepto que la Oficina"), "{consent}");
}

async fn the_rate_limit_answers_429_after_n(app: TestApp) {
    assert_eq!(app.config.inquiry_rate_per_hour, 5);
    // A refused inquiry does not count.
    let (status, _) = post(&app, None, "/api/v1/inquiries", json!({ "name": "x" })).await;
    assert_eq!(status, 422);
    for n in 0..5 {
        send(&app, &format!("n{n}@acme.example"), "en").await;
    }
    let res = app
        .client
        .post(app.url("/api/v1/inquiries"))
        .json(&inquiry("sixth@acme.example", "en"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "too_many_requests");

    // The form, from the same address, says so in Spanish.
    let visitor = new_client();
    let res = app
        .post_form(&visitor, "/inquiry", "/inquiry", &form_fields())
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Demasiadas consultas"), "{html}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inquiries").await, 5);

    // Another address (behind a trusted proxy) is not held back by this one.
    let behind = TestApp::spawn_with(app_backend(&app), |c| {
        c.trust_forwarded_for = true;
        c.inquiry_rate_per_hour = 1;
    })
    .await;
    let from = |ip: &'static str| {
        behind
            .client
            .post(behind.url("/api/v1/inquiries"))
            .header("x-forwarded-for", ip)
            .json(&inquiry("p@acme.example", "es"))
            .send()
    };
    assert_eq!(from("203.0.113.7").await.unwrap().status(), 201);
    assert_eq!(from("203.0.113.7").await.unwrap().status(), 429);
    assert_eq!(from("198.51.100.2").await.unwrap().status(), 201);
}

fn app_backend(app: &TestApp) -> crate::helpers::Backend {
    match app.state.db.backend() {
        besaya::db::Backend::Sqlite => crate::helpers::Backend::Sqlite,
        besaya::db::Backend::Postgres => crate::helpers::Backend::Postgres,
    }
}

async fn each_inquiry_gets_the_least_busy_owner_and_both_get_mail(app: TestApp) {
    let bruno = app
        .create_user("bruno@besaya.example", Role::Staff, "x")
        .await;
    let ana = app
        .create_user("ana@besaya.example", Role::Staff, "x")
        .await;
    let admin = app
        .create_user("jefa@besaya.example", Role::Admin, "x")
        .await;
    rename(&app, &bruno, "Bruno Staff").await;
    rename(&app, &ana, "Ana Staff").await;
    rename(&app, &admin, "Aaa Jefa").await;
    sqlx::query("UPDATE users SET lang = 'en' WHERE id = $1")
        .bind(&bruno)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    only_staff(&app, &[&ana, &bruno]).await;

    // Both free: by name. Then the one with fewer open inquiries.
    let first = send(&app, "first@acme.example", "en").await;
    assert_eq!(owner_of(&app, &first).await.as_deref(), Some(ana.as_str()));
    let second = send(&app, "second@acme.example", "es").await;
    assert_eq!(
        owner_of(&app, &second).await.as_deref(),
        Some(bruno.as_str())
    );
    let third = send(&app, "third@acme.example", "es").await;
    assert_eq!(owner_of(&app, &third).await.as_deref(), Some(ana.as_str()));
    // An answered inquiry is no longer open: Bruno (1 open) vs Ana (2 open, 1 answered).
    sqlx::query(
        "UPDATE inquiries SET status = 'answered', answered_at = received_at WHERE id = $1",
    )
    .bind(&first)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    sqlx::query(
        "UPDATE inquiries SET status = 'answered', answered_at = received_at WHERE id = $1",
    )
    .bind(&third)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let fourth = send(&app, "fourth@acme.example", "es").await;
    assert_eq!(owner_of(&app, &fourth).await.as_deref(), Some(ana.as_str()));
    // No staff left: the administrator.
    only_staff(&app, &[]).await;
    reset_rate(&app).await;
    let fifth = send(&app, "fifth@acme.example", "es").await;
    assert_eq!(
        owner_of(&app, &fifth).await.as_deref(),
        Some(admin.as_str())
    );

    let report = app.run_jobs().await;
    assert_eq!(report.failed, 0);
    let mails = app.mails();
    // The sender, in the form's language, with the promised time.
    let ack = mails
        .iter()
        .find(|m| m.0 == "first@acme.example")
        .expect("acknowledgement");
    assert!(ack.1.contains("We have received your inquiry"), "{}", ack.1);
    assert!(ack.2.contains("within 48 hours"), "{}", ack.2);
    let ack_es = mails
        .iter()
        .find(|m| m.0 == "second@acme.example")
        .expect("acknowledgement");
    assert!(
        ack_es.1.contains("Hemos recibido su consulta"),
        "{}",
        ack_es.1
    );
    // The owner, in the owner's language, with the link to the inquiry's page.
    let to_bruno: Vec<_> = mails
        .iter()
        .filter(|m| m.0 == "bruno@besaya.example")
        .collect();
    assert_eq!(to_bruno.len(), 1);
    assert!(
        to_bruno[0]
            .1
            .starts_with("New inquiry for you: Laura Gómez (Acme Components GmbH)"),
        "{}",
        to_bruno[0].1
    );
    assert!(
        to_bruno[0]
            .2
            .contains(&format!("/office/inquiries/{second}")),
        "{}",
        to_bruno[0].2
    );
    let to_ana: Vec<_> = mails
        .iter()
        .filter(|m| m.0 == "ana@besaya.example")
        .collect();
    assert_eq!(to_ana.len(), 3);
    assert!(
        to_ana
            .iter()
            .all(|m| m.1.starts_with("Nueva consulta a su cargo"))
    );
    assert!(mails.iter().any(|m| m.0 == "jefa@besaya.example"));
    // Every arrival is in the change log.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'inquiry' AND action = 'create'"
        )
        .await,
        5
    );
}

async fn the_list_puts_waiting_ones_first_and_marks_late_ones(app: TestApp) {
    let (staff, staff_id) = app.token(Role::Staff).await;
    let old = send(&app, "old@acme.example", "es").await;
    let recent = send(&app, "recent@acme.example", "es").await;
    let answered = send(&app, "answered@acme.example", "es").await;
    let dismissed = send(&app, "dismissed@acme.example", "es").await;
    received_hours_ago(&app, &old, 72).await; // past the 48 h target
    received_hours_ago(&app, &recent, 1).await;
    received_hours_ago(&app, &answered, 120).await;
    received_hours_ago(&app, &dismissed, 2).await;
    let version = |v: &Value| v["version"].as_i64().unwrap();
    let (_, a) = get(&app, &staff, &format!("/api/v1/inquiries/{answered}")).await;
    let (status, _) = post(
        &app,
        Some(&staff),
        &format!("/api/v1/inquiries/{answered}/answer"),
        json!({ "answer": "Le llamamos mañana.", "version": version(&a) }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, d) = get(&app, &staff, &format!("/api/v1/inquiries/{dismissed}")).await;
    let (status, _) = post(
        &app,
        Some(&staff),
        &format!("/api/v1/inquiries/{dismissed}/dismiss"),
        json!({ "reason": "Duplicada", "version": version(&d) }),
    )
    .await;
    assert_eq!(status, 200);

    let (status, page) = get(&app, &staff, "/api/v1/inquiries").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = items(&page)
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // Waiting first, oldest first; then the rest, newest first.
    assert_eq!(
        ids,
        vec![
            old.as_str(),
            recent.as_str(),
            dismissed.as_str(),
            answered.as_str()
        ]
    );
    let first = &items(&page)[0];
    assert_eq!(first["clock"]["late"], true);
    assert_eq!(first["clock"]["stopped"], false);
    assert!(first["clock"]["elapsed_seconds"].as_i64().unwrap() >= 72 * 3600);
    assert_eq!(items(&page)[1]["clock"]["late"], false);
    // Answered within minutes of the (moved) arrival? No: 120 h after it, so late, and stopped.
    assert_eq!(items(&page)[3]["clock"]["stopped"], true);

    // Page by page, the same order.
    let mut seen = Vec::new();
    let mut path = "/api/v1/inquiries?limit=1".to_owned();
    loop {
        let (status, p) = get(&app, &staff, &path).await;
        assert_eq!(status, 200, "{p}");
        seen.extend(
            items(&p)
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned()),
        );
        match p["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/inquiries?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    // Filters.
    let (_, waiting) = get(&app, &staff, "/api/v1/inquiries?status=new").await;
    assert_eq!(items(&waiting).len(), 2);
    let (status, bad) = get(&app, &staff, "/api/v1/inquiries?status=urgent").await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&bad),
        vec![("status".to_owned(), "invalid_choice".to_owned())]
    );
    let owner = owner_of(&app, &old).await.unwrap();
    let (_, by_owner) = get(&app, &staff, &format!("/api/v1/inquiries?owner_id={owner}")).await;
    assert!(
        items(&by_owner)
            .iter()
            .all(|i| i["owner_id"] == owner.as_str())
    );
    assert!(!items(&by_owner).is_empty());
    let (_, mine) = get(&app, &staff, "/api/v1/inquiries?mine=true").await;
    assert!(
        items(&mine)
            .iter()
            .all(|i| i["owner_id"] == staff_id.as_str())
    );
    let (status, _) = get(&app, &staff, "/api/v1/inquiries?cursor=bm9wZQ").await;
    assert_eq!(status, 422);

    // The page shows the same order, the age and the late marker.
    let (browser, _) = app.signed_in(Role::Staff).await;
    let html = browser
        .get(app.url("/office/inquiries"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let position = |id: &str| {
        html.find(&format!(r#"data-id="{id}""#))
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    assert!(position(&old) < position(&recent));
    assert!(position(&recent) < position(&dismissed));
    assert!(position(&dismissed) < position(&answered));
    let old_row = &html[position(&old)..position(&recent)];
    assert!(old_row.contains(r#"data-late="true""#), "{old_row}");
    assert!(
        old_row.contains("hace 3 días") && old_row.contains("Fuera de plazo"),
        "{old_row}"
    );
    let recent_row = &html[position(&recent)..position(&dismissed)];
    assert!(
        recent_row.contains("hace 1 h") && !recent_row.contains("Fuera de plazo"),
        "{recent_row}"
    );
    let filtered = browser
        .get(app.url("/office/inquiries?status=dismissed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(filtered.contains(&dismissed) && !filtered.contains(&old));
}

async fn answering_stops_the_clock_and_mails_the_sender(app: TestApp) {
    let (staff, staff_id) = app.token(Role::Staff).await;
    let id = send(&app, "laura@acme.example", "en").await;
    received_hours_ago(&app, &id, 5).await;
    let (_, before) = get(&app, &staff, &format!("/api/v1/inquiries/{id}")).await;
    assert_eq!(before["clock"]["stopped"], false);
    assert_eq!(before["status"], "new");
    let v = before["version"].as_i64().unwrap();
    let path = format!("/api/v1/inquiries/{id}/answer");
    // Stale version: 409 and nothing sent.
    let (status, problem) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "answer": "Hola", "version": v + 7 }),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(problem["current_version"], v);
    let (status, problem) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "answer": "  ", "version": v }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&problem),
        vec![("answer".to_owned(), "required".to_owned())]
    );
    let text = "We have three plots with 2 MW.\nThe Office will call you on Monday.";
    let (status, after) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "answer": text, "version": v }),
    )
    .await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["status"], "answered");
    assert_eq!(after["clock"]["stopped"], true);
    assert_eq!(after["clock"]["late"], false);
    assert!(after["clock"]["elapsed_seconds"].as_i64().unwrap() >= 5 * 3600);
    assert!(after["answered_at"].is_string());
    assert_eq!(after["answer"], text);
    // Later, the clock reads the same: it stopped.
    let (_, later) = get(&app, &staff, &format!("/api/v1/inquiries/{id}")).await;
    assert_eq!(
        later["clock"]["elapsed_seconds"],
        after["clock"]["elapsed_seconds"]
    );
    // Only once.
    let (status, problem) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "answer": "Again", "version": after["version"] }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&problem),
        vec![("status".to_owned(), "not_open".to_owned())]
    );

    app.run_jobs().await;
    let mails = app.mails();
    let answer = mails
        .iter()
        .find(|m| m.0 == "laura@acme.example" && m.1.contains("Answer to your inquiry"))
        .expect("the answer, in English");
    assert!(
        answer.2.contains("We have three plots with 2 MW."),
        "{}",
        answer.2
    );
    assert!(
        answer.2.contains("The Office will call you on Monday."),
        "{}",
        answer.2
    );
    let actor: Option<String> = sqlx::query_scalar(
        "SELECT actor_id FROM audit_log WHERE entity = 'inquiry' AND entity_id = $1 AND action = 'answer'",
    )
    .bind(&id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(actor.as_deref(), Some(staff_id.as_str()));

    // On the page: answered in Spanish, with a flash, and the form is gone.
    reset_rate(&app).await;
    let other = send(&app, "otra@acme.example", "es").await;
    let (browser, _) = app.signed_in(Role::Staff).await;
    let page = format!("/office/inquiries/{other}");
    let html = browser
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"action="/office/inquiries/"#) && html.contains("/answer"));
    // An empty answer: the message next to the field.
    let res = app
        .post_form(
            &browser,
            &page,
            &format!("{page}/answer"),
            &[("answer", ""), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#"id="answer-error">Este dato es obligatorio."#),
        "{html}"
    );
    // A stale version: the conflict, the text kept.
    let res = app
        .post_form(
            &browser,
            &page,
            &format!("{page}/answer"),
            &[("answer", "Texto escrito"), ("version", "9")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Otra persona ha cambiado esta consulta"),
        "{html}"
    );
    assert!(html.contains(">Texto escrito</textarea>"), "{html}");
    let res = app
        .post_form(
            &browser,
            &page,
            &format!("{page}/answer"),
            &[("answer", "Le llamamos."), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = browser
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Respuesta enviada. El reloj de la consulta se ha detenido."),
        "{html}"
    );
    assert!(html.contains("respondida en"), "{html}");
    assert!(!html.contains(&format!(r#"action="{page}/answer""#)));
}

async fn qualifying_creates_a_project_once(app: TestApp) {
    let (staff, staff_id) = app.token(Role::Staff).await;
    only_staff(&app, &[&staff_id]).await;
    let id = send(&app, "laura@acme.example", "es").await;
    let org: String = sqlx::query_scalar("SELECT id FROM organizations ORDER BY name LIMIT 1")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let (_, i) = get(&app, &staff, &format!("/api/v1/inquiries/{id}")).await;
    let v = i["version"].as_i64().unwrap();
    // Answered first: it may still be qualified.
    let (status, i) = post(
        &app,
        Some(&staff),
        &format!("/api/v1/inquiries/{id}/answer"),
        json!({ "answer": "Hablemos.", "version": v }),
    )
    .await;
    assert_eq!(status, 200);
    let v = i["version"].as_i64().unwrap();
    let path = format!("/api/v1/inquiries/{id}/qualify");
    // A code name too short and an unknown organisation: 422, nothing created.
    let (status, problem) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "code_name": "X", "investor_org_id": "no-such-org", "version": v }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let codes = error_codes(&problem);
    assert!(
        codes.contains(&("code_name".to_owned(), "too_short".to_owned())),
        "{codes:?}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM projects").await, 0);
    let (status, project) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "code_name": "Proyecto Faro", "investor_org_id": org, "version": v }),
    )
    .await;
    assert_eq!(status, 201, "{project}");
    assert_eq!(project["stage"], "qualified");
    assert_eq!(project["code_name"], "Proyecto Faro");
    assert_eq!(project["inquiry_id"], id.as_str());
    assert_eq!(project["owner_id"], staff_id.as_str());
    assert_eq!(project["investor_org_id"], org.as_str());
    assert_eq!(project["cnae_code"], "2451");
    assert_eq!(
        project["description"],
        "Buscamos 20.000 m² con 2 MW para una planta de componentes."
    );
    let pid = project["id"].as_str().unwrap();
    let (_, i) = get(&app, &staff, &format!("/api/v1/inquiries/{id}")).await;
    assert_eq!(i["status"], "qualified");
    assert_eq!(i["project_id"], pid);
    assert_eq!(i["project_code_name"], "Proyecto Faro");
    assert_eq!(i["clock"]["stopped"], true);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM project_events WHERE project_id = $1")
            .bind(pid)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert!(kinds.contains(&"inquiry_qualified".to_owned()), "{kinds:?}");
    // Not twice: 409 naming the project.
    let (status, problem) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "version": i["version"] }),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(problem["existing_id"], pid);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM projects").await, 1);

    // Another staff member not on this confidential project sees only its code name.
    let (other, _) = app.token(Role::Staff).await;
    let (_, seen) = get(&app, &other, &format!("/api/v1/inquiries/{id}")).await;
    assert_eq!(seen["withheld"], true);
    assert_eq!(seen["name"], "");
    assert_eq!(seen["email"], "");
    assert_eq!(seen["message"], "");
    assert!(seen["company"].is_null());
    assert_eq!(seen["project_code_name"], "Proyecto Faro");
    let (_, list) = get(&app, &other, "/api/v1/inquiries").await;
    assert!(!list.to_string().contains("Laura"), "{list}");

    // Through the page: no code name given, the next one; off to the project.
    let second = send(&app, "pedro@acme.example", "es").await;
    let (browser, browser_id) = app.signed_in(Role::Staff).await;
    let page = format!("/office/inquiries/{second}");
    let res = app
        .post_form(
            &browser,
            &page,
            &format!("{page}/qualify"),
            &[("code_name", ""), ("investor_org_id", ""), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (code, stage, inquiry_id): (String, String, Option<String>) =
        sqlx::query_as("SELECT code_name, stage, inquiry_id FROM projects WHERE inquiry_id = $1")
            .bind(&second)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    let pid2: String = sqlx::query_scalar("SELECT id FROM projects WHERE inquiry_id = $1")
        .bind(&second)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(to, format!("/office/projects/{pid2}"));
    assert!(code.starts_with("P-"), "{code}");
    assert_eq!(
        (stage.as_str(), inquiry_id.as_deref()),
        ("qualified", Some(second.as_str()))
    );
    // Whoever qualified it (not its owner) is on the project's team.
    let team: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM project_team WHERE project_id = $1")
            .bind(&pid2)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(team, vec![browser_id]);
    // The page no longer offers to qualify it; posting again says why.
    let res = app
        .post_form(
            &browser,
            &page,
            &format!("{page}/qualify"),
            &[("code_name", "Otro"), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("ya se cualificó como proyecto"), "{html}");
}

async fn dismissing_needs_a_reason_and_stops_the_clock(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let id = send(&app, "spam@acme.example", "es").await;
    let path = format!("/api/v1/inquiries/{id}/dismiss");
    let (status, problem) = post(&app, Some(&staff), &path, json!({ "version": 1 })).await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&problem),
        vec![("reason".to_owned(), "required".to_owned())]
    );
    let (status, i) = post(
        &app,
        Some(&staff),
        &path,
        json!({ "reason": "Spam", "version": 1 }),
    )
    .await;
    assert_eq!(status, 200, "{i}");
    assert_eq!(i["status"], "dismissed");
    assert_eq!(i["dismiss_reason"], "Spam");
    assert_eq!(i["clock"]["stopped"], true);
    // A dismissed inquiry is not qualified.
    let (status, problem) = post(
        &app,
        Some(&staff),
        &format!("/api/v1/inquiries/{id}/qualify"),
        json!({ "version": i["version"] }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&problem),
        vec![("status".to_owned(), "not_open".to_owned())]
    );
    // Reassigning checks the new owner, and the version.
    let (status, problem) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &format!("/api/v1/inquiries/{id}"),
        Some(json!({ "owner_id": "nobody", "version": i["version"] })),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        error_codes(&problem),
        vec![("owner_id".to_owned(), "not_staff".to_owned())]
    );
    let (_, colleague_id) = app.token(Role::Staff).await;
    let (status, moved) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &format!("/api/v1/inquiries/{id}"),
        Some(json!({ "owner_id": colleague_id, "version": i["version"] })),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["owner_id"], colleague_id.as_str());
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &format!("/api/v1/inquiries/{id}"),
        Some(json!({ "owner_id": colleague_id, "version": i["version"] })),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'inquiry' AND action IN ('dismiss', 'reassign')").await,
        2
    );
}

async fn only_the_office_sees_inquiries(app: TestApp) {
    let id = send(&app, "laura@acme.example", "es").await;
    // Without a token: 401.
    let res = app.get("/api/v1/inquiries").await;
    assert_eq!(res.status(), 401);
    for role in [
        Role::Company,
        Role::Investor,
        Role::PactMember,
        Role::TrainingCentre,
    ] {
        let (t, _) = app.token(role).await;
        assert_eq!(get(&app, &t, "/api/v1/inquiries").await.0, 403, "{role}");
        assert_eq!(
            get(&app, &t, &format!("/api/v1/inquiries/{id}")).await.0,
            403,
            "{role}"
        );
        let (status, _) = post(
            &app,
            Some(&t),
            &format!("/api/v1/inquiries/{id}/answer"),
            json!({ "answer": "x", "version": 1 }),
        )
        .await;
        assert_eq!(status, 403, "{role}");
        let (status, _) = post(
            &app,
            Some(&t),
            &format!("/api/v1/inquiries/{id}/qualify"),
            json!({ "version": 1 }),
        )
        .await;
        assert_eq!(status, 403, "{role}");
    }
    // Pages: the visitor is asked to log in; other roles learn nothing (404).
    let res = new_client()
        .get(app.url("/office/inquiries"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    for role in [Role::Company, Role::Investor] {
        let (browser, _) = app.signed_in(role).await;
        for path in [
            "/office/inquiries".to_owned(),
            format!("/office/inquiries/{id}"),
        ] {
            let res = browser.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{role} {path}");
        }
        let res = app
            .post_form(
                &browser,
                "/inquiry",
                &format!("/office/inquiries/{id}/dismiss"),
                &[("reason", "x"), ("version", "1")],
            )
            .await;
        assert_eq!(res.status(), 404, "{role}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM inquiries WHERE status = 'new'").await,
        1
    );
    // The office: the list and the page.
    let (browser, _) = app.signed_in(Role::Staff).await;
    let html = browser
        .get(app.url(&format!("/office/inquiries/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Consulta de Laura Gómez"), "{html}");
    assert!(html.contains("laura@acme.example"));
    assert!(html.contains("2451"), "the activity");
    assert!(html.contains("20.000 m²"), "{html}");
    assert!(html.contains("12.000.000 €"), "{html}");
    let missing = browser
        .get(app.url("/office/inquiries/no-such-inquiry"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

async fn bad_input_is_explained_next_to_each_field(app: TestApp) {
    let (status, problem) = post(
        &app,
        None,
        "/api/v1/inquiries",
        json!({
            "name": " ",
            "email": "laura@",
            "phone": "call me",
            "message": "",
            "cnae_code": "99.99",
            "land_m2": -5.0,
            "jobs": 5000000,
            "lang": "fr",
            "consent": false
        }),
    )
    .await;
    assert_eq!(status, 422);
    let mut codes = error_codes(&problem);
    codes.sort();
    let expected: Vec<(String, String)> = [
        ("cnae_code", "unknown_cnae"),
        ("consent", "consent_required"),
        ("email", "invalid_email"),
        ("jobs", "out_of_range"),
        ("land_m2", "out_of_range"),
        ("lang", "invalid_choice"),
        ("message", "required"),
        ("name", "required"),
        ("phone", "invalid_phone"),
    ]
    .iter()
    .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(codes, expected);
    let messages = problem["errors"].to_string();
    assert!(messages.contains("Unknown CNAE code: 99.99"), "{messages}");
    // Unknown fields and malformed bodies are refused too, never a 500.
    let (status, _) = post(
        &app,
        None,
        "/api/v1/inquiries",
        json!({ "consent": true, "admin": true }),
    )
    .await;
    assert_eq!(status, 422);
    let res = app
        .client
        .post(app.url("/api/v1/inquiries"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inquiries").await, 0);

    // The form: each message next to its field, in Spanish, what was typed kept.
    let visitor = new_client();
    let res = app
        .post_form(
            &visitor,
            "/inquiry",
            "/inquiry",
            &[
                ("name", "Laura"),
                ("email", "laura@"),
                ("message", ""),
                ("cnae_code", "99.99"),
                ("land_m2", "mucho"),
                ("jobs", "2,5"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for (field, message) in [
        (
            "email",
            "Escriba una dirección de correo electrónico válida",
        ),
        ("message", "Este dato es obligatorio."),
        ("cnae_code", "Código CNAE desconocido: 99.99."),
        ("land_m2", "«mucho» no es un número."),
        ("jobs", "Escriba un número entero (no «2,5»)."),
        ("consent", "debe aceptar el tratamiento de sus datos"),
    ] {
        let marker = format!(r#"id="{field}-error">"#);
        let at = html
            .find(&marker)
            .unwrap_or_else(|| panic!("no error for {field}: {html}"));
        assert!(
            html[at..].starts_with(&format!("{marker}{message}"))
                || html[at..at + 300].contains(message),
            "{field}: {}",
            &html[at..at + 200]
        );
        assert!(
            html.contains(&format!(r##"href="#{field}""##)),
            "summary link to {field}"
        );
    }
    assert!(html.contains(r#"value="Laura""#) && html.contains(r#"value="mucho""#));
    assert!(
        html.contains(r#"id="email" name="email" value="laura@""#),
        "kept"
    );
    assert!(!html.contains(r#"id="name-error""#));
    // In English for an English visitor.
    let english = new_client();
    english
        .get(app.url("/lang/en?next=/inquiry"))
        .send()
        .await
        .unwrap();
    let res = app
        .post_form(
            &english,
            "/inquiry",
            "/inquiry",
            &[
                ("name", "Laura"),
                ("email", "laura@acme.example"),
                ("message", "Hello"),
                ("land_m2", "12,500"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("To send the inquiry you must agree to the processing of your data."),
        "{html}"
    );
    assert!(
        !html.contains("land_m2-error"),
        "12,500 is a number in English"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
    // The English form, sent: the inquiry is in English, the consent too.
    let res = app
        .post_form(
            &english,
            "/inquiry",
            "/inquiry",
            &[
                ("name", "Laura"),
                ("email", "laura@acme.example"),
                ("message", "Hello"),
                ("land_m2", "12,500"),
                ("consent", "yes"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (lang, land, consent): (String, Option<f64>, String) =
        sqlx::query_as("SELECT lang, land_m2, consent_text FROM inquiries")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!((lang.as_str(), land), ("en", Some(12500.0)));
    assert!(consent.starts_with("I agree that"), "{consent}");
}
