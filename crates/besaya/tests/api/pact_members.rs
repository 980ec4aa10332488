//! The pact's members, representatives and working groups, on both databases:
//! the secretariat adds a member (college from the organisation's kind); a
//! second membership overlapping in time is refused; leaving moves it to the
//! former members; the public sees no e-mails and no notes while a seat sees
//! the representatives; a representative must act for the organisation; a
//! company without a seat gets 404; group names are unique; stale versions get
//! 409; `group_recipients` writes only to current members' representatives;
//! every change is in the audit log.

use besaya::pact::members::store;
use besaya_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, backends, new_client};

backends!(
    simultaneous_adds_of_one_organisation_give_one_membership,
    a_member_joins_cannot_overlap_and_leaves,
    the_public_list_hides_representatives_and_notes,
    a_representative_must_act_for_the_organisation,
    a_company_without_a_seat_sees_no_groups,
    groups_have_unique_names_versions_and_members,
    group_recipients_are_current_members_representatives,
    the_pages_add_a_member_and_show_errors_next_to_fields,
    a_group_page_lists_its_meetings_and_its_chair_calls_them,
);

async fn org(app: &TestApp, name: &str, kind: &str) -> (String, String) {
    let id = uuid::Uuid::now_v7().to_string();
    let tax = format!("Q{}", &uuid::Uuid::now_v7().simple().to_string()[24..]).to_uppercase();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
    )
    .bind(&id)
    .bind(name)
    .bind(kind)
    .bind(&tax)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    (id, tax)
}

async fn acts_for(app: &TestApp, user: &str, org: &str) {
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(user)
        .bind(org)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: Method,
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

fn error_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
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

async fn audit_actions(app: &TestApp, entity_id: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT action, changes FROM audit_log WHERE entity_id = $1 ORDER BY id")
        .bind(entity_id)
        .fetch_all(app.state.db.reader())
        .await
        .unwrap()
}

/// A member added through the API by a new secretariat token: (member id, token).
async fn member(app: &TestApp, token: &str, tax: &str, joined: &str) -> Value {
    let (s, body) = call(
        app,
        Some(token),
        Method::POST,
        "/api/v1/pact/members",
        Some(json!({ "tax_id": tax, "joined_on": joined })),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    body
}

async fn simultaneous_adds_of_one_organisation_give_one_membership(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (org_id, tax) = org(
        &app,
        "Federación de Prueba del Besaya",
        "business_association",
    )
    .await;
    // Eight secretaries add it at the same moment: one membership, the others
    // told why, no server error (on PostgreSQL the overlap check alone races).
    let add = |day: u32| {
        call(
            &app,
            Some(&staff),
            Method::POST,
            "/api/v1/pact/members",
            Some(json!({ "tax_id": tax, "joined_on": format!("2026-02-{day:02}") })),
        )
    };
    let (a, b, c, d, e, f, g, h) = tokio::join!(
        add(1),
        add(2),
        add(3),
        add(4),
        add(5),
        add(6),
        add(7),
        add(8)
    );
    let answers = [a, b, c, d, e, f, g, h];
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    for (s, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*s, 422, "{body}");
        let codes = error_codes(body);
        assert!(
            codes.contains(&("joined_on".into(), "mem_membership_overlaps".into()))
                || codes.contains(&("joined_on".into(), "mem_membership_open".into())),
            "{body}"
        );
    }
    let (open,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM pact_members WHERE organization_id = $1 AND left_on IS NULL",
    )
    .bind(&org_id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(open, 1);

    // The database itself refuses a second open membership.
    let second = sqlx::query(
        "INSERT INTO pact_members (id, organization_id, college, joined_on, version, created_at, \
         updated_at) VALUES ($1, $2, 'others', '2026-05-01', 1, '2026-05-01T00:00:00Z', \
         '2026-05-01T00:00:00Z')",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&org_id)
    .execute(app.state.db.writer())
    .await;
    assert!(
        second.is_err_and(|e| besaya::db::is_unique_violation(&e)),
        "a unique index on open memberships"
    );
}

async fn a_member_joins_cannot_overlap_and_leaves(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (_, tax) = org(&app, "Sindicato Comarcal del Besaya", "union").await;
    let m = member(&app, &staff, &tax, "2026-01-15").await;
    assert_eq!(m["college"], "unions", "the college comes from the kind");
    assert_eq!(m["current"], true);
    let id = m["id"].as_str().unwrap().to_owned();

    // A second membership overlapping the first is refused next to the date.
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/members",
        Some(json!({ "tax_id": tax, "joined_on": "2026-03-01", "college": "others" })),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert!(error_codes(&body).contains(&("joined_on".into(), "mem_membership_overlaps".into())));

    // Leaving: the date it left; a stale version is refused.
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/members/{id}"),
        Some(json!({ "version": m["version"], "left_on": "2026-02-01" })),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["current"], false);
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/members/{id}"),
        Some(json!({ "version": m["version"], "notes": "otra nota" })),
    )
    .await;
    assert_eq!(s, 409, "a stale version");
    // Leaving before joining is refused.
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/members/{id}"),
        Some(json!({ "version": body["version"], "left_on": "2025-12-01" })),
    )
    .await;
    assert_eq!(s, 422);
    assert!(error_codes(&body).contains(&("left_on".into(), "mem_left_before_joined".into())));

    // The public list shows it among the former members, with its dates.
    let list = app.get_json("/api/v1/pact/members?current=true", 200).await;
    let in_current = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == id.as_str());
    assert!(!in_current, "a member that left is not current");
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["current"] == true)
    );
    let list = app
        .get_json("/api/v1/pact/members?current=false", 200)
        .await;
    let former = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .expect("listed as former");
    assert_eq!(former["current"], false);
    assert_eq!(former["left_on"], "2026-02-01");
    assert_eq!(former["joined_on"], "2026-01-15");
    let html = app.get("/pact/members").await.text().await.unwrap();
    let former_part = &html[html.find("former-heading").unwrap()..];
    assert!(former_part.contains("Sindicato Comarcal del Besaya"));
    assert!(
        former_part.contains("01/02/2026"),
        "the date it left, in Spanish"
    );

    // It may join again after leaving.
    let again = member(&app, &staff, &tax, "2026-03-01").await;
    assert_eq!(again["current"], true);

    // The audit log names the changes.
    let log = audit_actions(&app, &id).await;
    assert_eq!(log[0].0, "create");
    assert!(log[0].1.contains("\"college\""), "{:?}", log[0]);
    assert_eq!(log[1].0, "update");
    assert!(
        log[1].1.contains("left_on") && log[1].1.contains("2026-02-01"),
        "{:?}",
        log[1]
    );
}

async fn the_public_list_hides_representatives_and_notes(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (org_id, tax) = org(&app, "Ayuntamiento de Prueba del Besaya", "administration").await;
    let m = member(&app, &staff, &tax, "2026-01-01").await;
    let id = m["id"].as_str().unwrap().to_owned();
    assert_eq!(m["college"], "administrations");
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/members/{id}"),
        Some(json!({ "version": m["version"], "notes": "Nota interna reservada" })),
    )
    .await;
    assert_eq!(s, 200);
    let email = format!("alcaldia-{}@besaya.example", uuid::Uuid::now_v7().simple());
    let rep = app.create_user(&email, Role::PactMember, PASSWORD).await;
    acts_for(&app, &rep, &org_id).await;
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        &format!("/api/v1/pact/members/{id}/representatives"),
        Some(json!({ "email": email.to_uppercase(), "role": "holder" })),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["representatives"][0]["email"], email.as_str());

    // The public API and page: no e-mails, no notes.
    let (s, public) = call(&app, None, Method::GET, "/api/v1/pact/members", None).await;
    assert_eq!(s, 200);
    let text = public.to_string();
    assert!(text.contains("Ayuntamiento de Prueba del Besaya"));
    assert!(!text.contains(&email), "no e-mail for the public");
    assert!(!text.contains("Nota interna"), "no notes for the public");
    assert!(!text.contains("representatives"));
    let html = app.get("/pact/members").await.text().await.unwrap();
    assert!(html.contains("Ayuntamiento de Prueba del Besaya"));
    assert!(!html.contains(&email) && !html.contains("Nota interna"));

    // The representative has a seat: sees representatives and notes.
    let client = new_client();
    assert_eq!(app.login(&client, &email, PASSWORD).await.status(), 303);
    let html = client
        .get(app.url("/pact/members"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&email), "a seat sees the representatives");
    assert!(html.contains("Nota interna reservada"));
    assert!(html.contains("Titular"));
    assert!(
        !html.contains("/pact/members/new"),
        "only the secretariat adds"
    );

    // Removing the representative ends the seat.
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::DELETE,
        &format!("/api/v1/pact/members/{id}/representatives/{rep}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let res = client.get(app.url("/pact/groups")).send().await.unwrap();
    assert_eq!(res.status(), 404, "no seat any more");
    let log = audit_actions(&app, &id).await;
    let actions: Vec<&str> = log.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "update",
            "add_representative",
            "remove_representative"
        ]
    );
}

async fn a_representative_must_act_for_the_organisation(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (_, tax) = org(
        &app,
        "Asociación Empresarial de Prueba",
        "business_association",
    )
    .await;
    let (other_org, _) = org(&app, "Otra Empresa", "company").await;
    let m = member(&app, &staff, &tax, "2026-01-01").await;
    assert_eq!(m["college"], "employers");
    let id = m["id"].as_str().unwrap();
    let email = format!("ajeno-{}@besaya.example", uuid::Uuid::now_v7().simple());
    let u = app.create_user(&email, Role::Company, PASSWORD).await;
    acts_for(&app, &u, &other_org).await;
    let path = format!("/api/v1/pact/members/{id}/representatives");
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        &path,
        Some(json!({ "email": email, "role": "alternate" })),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(
        error_codes(&body),
        [("email".to_owned(), "mem_not_of_organization".to_owned())]
    );
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        &path,
        Some(json!({ "email": "nadie@besaya.example", "role": "jefe" })),
    )
    .await;
    assert_eq!(s, 422);
    let codes = error_codes(&body);
    assert!(codes.contains(&("email".into(), "mem_unknown_user".into())));
    assert!(codes.contains(&("role".into(), "mem_invalid_role".into())));
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_representatives")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(rows, 0, "nothing written");

    // On the page the message is next to the field, in Spanish.
    let (client, _) = app.signed_in(Role::Staff).await;
    let page = format!("/pact/members/{id}");
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/representatives"),
            &[("email", &email), ("role", "holder")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"email-error\""));
    assert!(html.contains("Ese usuario no actúa por Asociación Empresarial de Prueba"));
}

async fn a_company_without_a_seat_sees_no_groups(app: TestApp) {
    let (client, _) = app.signed_in(Role::Company).await;
    for path in ["/pact/groups", "/pact/groups/new", "/pact/members/new"] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    // The public list is open to the company too, without the workspace's links.
    let res = client.get(app.url("/pact/members")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.text().await.unwrap().contains("href=\"/pact/groups\""));
    let (token, _) = app.token(Role::Company).await;
    let (s, _) = call(&app, Some(&token), Method::GET, "/api/v1/pact/groups", None).await;
    assert_eq!(s, 404);
    let (s, _) = call(
        &app,
        Some(&token),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "Mesa intrusa" })),
    )
    .await;
    assert_eq!(s, 404);
    // A `pact_member` user who represents no member has no seat either.
    let (token, _) = app.token(Role::PactMember).await;
    let (s, _) = call(&app, Some(&token), Method::GET, "/api/v1/pact/groups", None).await;
    assert_eq!(s, 404);
    // Anonymous: login for pages, 401 for the API.
    let res = new_client()
        .get(app.url("/pact/groups"))
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
    let (s, _) = call(&app, None, Method::GET, "/api/v1/pact/groups", None).await;
    assert_eq!(s, 401);
}

async fn groups_have_unique_names_versions_and_members(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (_, tax) = org(&app, "Gobierno Regional de Prueba", "administration").await;
    let chair = member(&app, &staff, &tax, "2026-01-01").await;
    let chair_id = chair["id"].as_str().unwrap();
    let (s, g) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "Suelo industrial y energía", "chair_member_id": chair_id })),
    )
    .await;
    assert_eq!(s, 201, "{g}");
    assert_eq!(g["chair_name"], "Gobierno Regional de Prueba");
    let gid = g["id"].as_str().unwrap().to_owned();
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "SUELO INDUSTRIAL Y ENERGÍA" })),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    // (`LOWER` of non-ASCII letters differs between the databases; the exact name is refused on both.)
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "Suelo industrial y energía" })),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        error_codes(&body),
        [("name".to_owned(), "mem_group_name_taken".to_owned())]
    );

    // Members: a current member joins; a stranger id is refused.
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        &format!("/api/v1/pact/groups/{gid}/members"),
        Some(json!({ "member_id": chair_id })),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["member_count"], 1);
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::POST,
        &format!("/api/v1/pact/groups/{gid}/members"),
        Some(json!({ "member_id": "no-such-member" })),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(error_codes(&body)[0].1, "mem_not_current_member");

    // A stale version of the group is refused, on the API and on the page.
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/groups/{gid}"),
        Some(json!({ "version": g["version"], "description": "Tarde" })),
    )
    .await;
    assert_eq!(s, 409);
    let (client, _) = app.signed_in(Role::Staff).await;
    let page = format!("/pact/groups/{gid}");
    let res = app
        .post_form(
            &client,
            &page,
            &page,
            &[("name", "Suelo y energía"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Otra persona ha cambiado")
    );
    let now = app
        .get_json_auth(&staff, &format!("/api/v1/pact/groups/{gid}"))
        .await;
    let (s, body) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/groups/{gid}"),
        Some(json!({ "version": now["version"], "description": "Suelo y redes eléctricas" })),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["description"], "Suelo y redes eléctricas");
    assert_eq!(
        body["members"][0]["organization_name"],
        "Gobierno Regional de Prueba"
    );

    // The page lists the group with its members.
    let html = client
        .get(app.url("/pact/groups"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Suelo industrial y energía"));
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::DELETE,
        &format!("/api/v1/pact/groups/{gid}/members/{chair_id}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let log = audit_actions(&app, &gid).await;
    let actions: Vec<&str> = log.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(actions, ["create", "add_member", "update", "remove_member"]);
    assert!(log[2].1.contains("Suelo y redes eléctricas"));
}

async fn group_recipients_are_current_members_representatives(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (a_org, a_tax) = org(&app, "Miembro Actual", "union").await;
    let (b_org, b_tax) = org(&app, "Miembro Saliente", "union").await;
    let (c_org, c_tax) = org(&app, "Miembro Fuera de la Mesa", "union").await;
    let a = member(&app, &staff, &a_tax, "2025-01-01").await;
    let b = member(&app, &staff, &b_tax, "2025-01-01").await;
    let c = member(&app, &staff, &c_tax, "2025-01-01").await;
    let (s, g) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "Proveedores" })),
    )
    .await;
    assert_eq!(s, 201);
    let gid = g["id"].as_str().unwrap().to_owned();
    let mut reps = Vec::new();
    for (m, o, name) in [
        (&a, &a_org, "a1"),
        (&a, &a_org, "a2"),
        (&b, &b_org, "b1"),
        (&c, &c_org, "c1"),
    ] {
        let email = format!("{name}-{}@besaya.example", uuid::Uuid::now_v7().simple());
        let u = app.create_user(&email, Role::PactMember, PASSWORD).await;
        acts_for(&app, &u, o).await;
        let (s, body) = call(
            &app,
            Some(&staff),
            Method::POST,
            &format!(
                "/api/v1/pact/members/{}/representatives",
                m["id"].as_str().unwrap()
            ),
            Some(json!({ "email": email })),
        )
        .await;
        assert_eq!(s, 201, "{body}");
        reps.push((u, email));
    }
    for m in [&a, &b] {
        let (s, _) = call(
            &app,
            Some(&staff),
            Method::POST,
            &format!("/api/v1/pact/groups/{gid}/members"),
            Some(json!({ "member_id": m["id"] })),
        )
        .await;
        assert_eq!(s, 201);
    }
    // b leaves; a2 is deactivated.
    let b_now = app
        .get_json_auth(
            &staff,
            &format!("/api/v1/pact/members/{}", b["id"].as_str().unwrap()),
        )
        .await;
    let (s, _) = call(
        &app,
        Some(&staff),
        Method::PATCH,
        &format!("/api/v1/pact/members/{}", b["id"].as_str().unwrap()),
        Some(json!({ "version": b_now["version"], "left_on": "2025-06-30" })),
    )
    .await;
    assert_eq!(s, 200);
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&reps[1].0)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let got = store::group_recipients(&app.state.db, &gid, besaya::office::work::madrid::today())
        .await
        .unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].user_id, reps[0].0);
    assert_eq!(got[0].email, reps[0].1);
    assert_eq!(got[0].organization_name, "Miembro Actual");
    assert_eq!(got[0].organization_id, a_org);
    assert_eq!(got[0].lang, "es");
    // On a day b was still a member, its representative is written to as well.
    let earlier = store::group_recipients(&app.state.db, &gid, time::macros::date!(2025 - 03 - 01))
        .await
        .unwrap();
    assert_eq!(earlier.len(), 2);
}

async fn the_pages_add_a_member_and_show_errors_next_to_fields(app: TestApp) {
    let (_, tax) = org(&app, "Centro de Formación de Prueba", "training_centre").await;
    let (client, _) = app.signed_in(Role::Staff).await;
    let form = client
        .get(app.url("/pact/members/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(&format!(
            "<option value=\"{tax}\">Centro de Formación de Prueba</option>"
        )),
        "offered in the list"
    );
    let res = app
        .post_form(
            &client,
            "/pact/members/new",
            "/pact/members/new",
            &[("tax_id", "X0000000Z"), ("joined_on", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("error-summary"));
    assert!(
        html.contains("id=\"tax_id-error\"")
            && html.contains("No existe la organización X0000000Z")
    );
    assert!(html.contains("id=\"joined_on-error\""));
    let res = app
        .post_form(
            &client,
            "/pact/members/new",
            "/pact/members/new",
            &[("tax_id", &tax.to_lowercase()), ("joined_on", "2026-02-02")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/pact/members/"));
    let html = client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Centro de Formación de Prueba"));
    assert!(html.contains("Otras entidades"), "college from the kind");
    assert!(
        html.contains("Miembro añadido al Pacto."),
        "the flash message"
    );
    // Now a member: not offered again; listed under its college.
    let form = client
        .get(app.url("/pact/members/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!form.contains(&format!("<option value=\"{tax}\">")));
    let html = app.get("/pact/members").await.text().await.unwrap();
    let others = &html[html.find("id=\"college-others\"").unwrap()..];
    assert!(others.contains("Centro de Formación de Prueba"));
    assert!(others.contains("02/02/2026"));
}

async fn meeting(app: &TestApp, group: &str, title: &str, starts: &str, ends: &str, status: &str) {
    sqlx::query(
        "INSERT INTO pact_meetings (id, reference, group_id, title, starts_at, ends_at, status, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $5, $5)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(format!("REU-T-{}", &uuid::Uuid::now_v7().simple().to_string()[22..]))
    .bind(group)
    .bind(title)
    .bind(starts)
    .bind(ends)
    .bind(status)
    .execute(app.state.db.writer())
    .await
    .unwrap();
}

async fn a_group_page_lists_its_meetings_and_its_chair_calls_them(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (chair_org, chair_tax) = org(&app, "Presidencia de Prueba", "administration").await;
    let (other_org, other_tax) = org(&app, "Vocal de Prueba", "union").await;
    let chair = member(&app, &staff, &chair_tax, "2025-01-01").await;
    let other = member(&app, &staff, &other_tax, "2025-01-01").await;
    let (s, g) = call(
        &app,
        Some(&staff),
        Method::POST,
        "/api/v1/pact/groups",
        Some(json!({ "name": "Capacidades y empleo", "chair_member_id": chair["id"] })),
    )
    .await;
    assert_eq!(s, 201);
    let gid = g["id"].as_str().unwrap().to_owned();
    meeting(
        &app,
        &gid,
        "Constitución de la mesa",
        "2025-05-05T08:00:00Z",
        "2025-05-05T10:00:00Z",
        "held",
    )
    .await;
    meeting(
        &app,
        &gid,
        "Seguimiento anual",
        "2099-01-12T09:00:00Z",
        "2099-01-12T11:00:00Z",
        "scheduled",
    )
    .await;
    let mut clients = Vec::new();
    for (m, o) in [(&chair, &chair_org), (&other, &other_org)] {
        let email = format!("rep-{}@besaya.example", uuid::Uuid::now_v7().simple());
        let u = app.create_user(&email, Role::PactMember, PASSWORD).await;
        acts_for(&app, &u, o).await;
        let (s, _) = call(
            &app,
            Some(&staff),
            Method::POST,
            &format!(
                "/api/v1/pact/members/{}/representatives",
                m["id"].as_str().unwrap()
            ),
            Some(json!({ "email": email })),
        )
        .await;
        assert_eq!(s, 201);
        let c = new_client();
        assert_eq!(app.login(&c, &email, PASSWORD).await.status(), 303);
        clients.push(c);
    }
    let page = format!("/pact/groups/{gid}");
    let html = clients[0]
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let upcoming =
        &html[html.find("upcoming-meetings").unwrap()..html.find("past-meetings").unwrap()];
    assert!(upcoming.contains("Seguimiento anual"));
    let past = &html[html.find("past-meetings").unwrap()..];
    assert!(past.contains("Constitución de la mesa"));
    assert!(past.contains("05/05/2025, 10:00"), "the hour in Madrid");
    assert!(
        html.contains(&format!("href=\"/pact/groups/{gid}/meetings/new\"")),
        "the chair's representative calls meetings"
    );
    assert!(
        !html.contains("name=\"version\""),
        "no edit form without the secretariat"
    );
    let html = clients[1]
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Seguimiento anual"));
    assert!(
        !html.contains("/meetings/new"),
        "another member does not call them"
    );
    let res = app
        .post_form(
            &clients[1],
            &page,
            &page,
            &[("name", "Mía"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The list of groups shows the next and the last meeting.
    let html = clients[1]
        .get(app.url("/pact/groups"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Seguimiento anual") && html.contains("Constitución de la mesa"));
    let api = app
        .get_json_auth(&staff, &format!("/api/v1/pact/groups/{gid}"))
        .await;
    assert_eq!(api["next_meeting"]["title"], "Seguimiento anual");
    assert_eq!(api["last_meeting"]["title"], "Constitución de la mesa");

    // The API is in the OpenAPI document under its own operation ids.
    let doc = app.get_json("/api/v1/openapi.json", 200).await;
    for (path, method, op) in [
        ("/api/v1/pact/members", "get", "alliance_list_members"),
        (
            "/api/v1/pact/members/{id}",
            "patch",
            "alliance_update_member",
        ),
        (
            "/api/v1/pact/members/{id}/representatives/{user_id}",
            "delete",
            "alliance_remove_representative",
        ),
        (
            "/api/v1/pact/groups/{id}/members",
            "post",
            "alliance_add_group_member",
        ),
    ] {
        assert_eq!(doc["paths"][path][method]["operationId"], op, "{path}");
    }
}

impl TestApp {
    async fn get_json_auth(&self, token: &str, path: &str) -> Value {
        let (s, body) = call(self, Some(token), Method::GET, path, None).await;
        assert_eq!(s, 200, "GET {path}");
        body
    }
}
