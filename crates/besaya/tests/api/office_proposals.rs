//! Site proposals on both databases: the office's tab ranks the published sites
//! with the project's requirements (a site failing a required criterion is not
//! ranked, but the office may still propose any published site by id — through
//! the API or the "other site" form), unpublished and duplicate proposals are
//! refused, a proposal is withdrawn and proposed again, the investor's feedback
//! is recorded (with its version) and seen by the staff, another investor gets
//! 404, unassigned staff on a confidential project only read, and the e-mails go
//! to the right people in their language.

use besaya::auth::User;
use besaya::i18n::Lang;
use besaya::office::projects::{self, ProjectInput};
use besaya_domain::office::Stage;
use besaya_domain::{Email, Role};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, backends, new_client};

backends!(
    proposing_uses_the_matching_and_refuses_bad_sites,
    a_proposal_is_withdrawn_and_proposed_again,
    the_investor_gives_feedback_that_the_staff_sees,
    access_follows_the_project,
    e_mails_go_to_the_right_people_in_their_language,
);

/// Requirements no demo site meets: an area between 77,000 and 78,000 m² and 3 MVA.
fn requirements() -> Value {
    json!({
        "area_m2": {"min": 77000, "max": 78000},
        "power_kva": {"min": 3000},
        "rail_siding": {"importance": "preferred"}
    })
}

struct Person {
    id: String,
    email: String,
    token: String,
    name: String,
}

/// An active user (optionally acting for organisations) with a password and an API token.
async fn person(app: &TestApp, role: Role, lang: Lang, orgs: &[&str], name: &str) -> Person {
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
    Person {
        id,
        email,
        token,
        name: name.to_owned(),
    }
}

/// A browser session of a person.
async fn session(app: &TestApp, p: &Person) -> reqwest::Client {
    let client = new_client();
    let res = app.login(&client, &p.email, PASSWORD).await;
    assert_eq!(res.status(), 303, "login {}", p.email);
    client
}

/// Two organisations of the demo data: (id, name).
async fn two_orgs(app: &TestApp) -> [(String, String); 2] {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organizations ORDER BY name LIMIT 2")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    [rows[0].clone(), rows[1].clone()]
}

/// A project owned by `owner`, stored as the projects module stores it.
async fn project(
    app: &TestApp,
    owner: &Person,
    org: Option<&str>,
    confidential: bool,
    req: Value,
) -> String {
    let actor = User {
        id: owner.id.clone(),
        email: owner.email.clone(),
        name: owner.name.clone(),
        role: Role::Staff,
        lang: Lang::Es,
        version: 1,
        organization_ids: Vec::new(),
    };
    let input = ProjectInput {
        investor_org_id: org.map(str::to_owned),
        requirements: Some(serde_json::from_value(req).unwrap()),
        confidential: Some(confidential),
        description: Some("Planta de transformados metálicos".into()),
        ..Default::default()
    };
    let valid = projects::validate(&input, &app.state.catalog, &actor).unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = projects::create(&mut tx, Some(&actor.id), &valid, Stage::Qualified, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A site through the API; returns its id.
async fn site(
    app: &TestApp,
    staff: &str,
    name: &str,
    published: bool,
    area: f64,
    power: f64,
) -> String {
    let (status, body) = call(
        app,
        staff,
        reqwest::Method::POST,
        "/api/v1/sites",
        Some(json!({"name": name, "kind": "plot", "municipality_code": "39087", "published": published,
            "area_m2": area, "power_kva": power, "rail_siding": true})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

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

async fn propose(
    app: &TestApp,
    token: &str,
    project: &str,
    site: &str,
    note: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({ "site_id": site });
    if let Some(n) = note {
        body["note"] = json!(n);
    }
    call(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/projects/{project}/proposals"),
        Some(body),
    )
    .await
}

async fn proposals(app: &TestApp, token: &str, project: &str) -> (u16, Vec<Value>) {
    let (status, body) = call(
        app,
        token,
        reqwest::Method::GET,
        &format!("/api/v1/projects/{project}/proposals"),
        None,
    )
    .await;
    (
        status,
        body["items"].as_array().cloned().unwrap_or_default(),
    )
}

async fn feedback(
    app: &TestApp,
    token: &str,
    project: &str,
    pid: &str,
    body: Value,
) -> (u16, Value) {
    call(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/projects/{project}/proposals/{pid}/feedback"),
        Some(body),
    )
    .await
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

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The part of an HTML page from the element with `id` to the next `<section`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let Some(start) = html.find(&marker) else {
        return "";
    };
    let rest = &html[start..];
    let end = rest[1..].find("<section").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

async fn proposing_uses_the_matching_and_refuses_bad_sites(app: TestApp) {
    let owner = person(&app, Role::Staff, Lang::Es, &[], "Olga Técnica").await;
    let [(org, _), _] = two_orgs(&app).await;
    let id = project(&app, &owner, Some(&org), true, requirements()).await;
    let fits = site(
        &app,
        &owner.token,
        "Parcela Grande Norte",
        true,
        77500.0,
        4000.0,
    )
    .await;
    let weak = site(
        &app,
        &owner.token,
        "Parcela Grande Sur",
        true,
        77200.0,
        800.0,
    )
    .await;
    let draft = site(
        &app,
        &owner.token,
        "Parcela Borrador",
        false,
        77600.0,
        5000.0,
    )
    .await;

    // The tab ranks the published sites: the one that fits, not the one short of
    // power (a required criterion), not the unpublished one.
    let browser = session(&app, &owner).await;
    let (status, html) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Requisitos del proyecto") && html.contains("al menos 3.000 kVA"),
        "{html}"
    );
    let ranked = section(&html, "ranked");
    assert!(ranked.contains("Parcela Grande Norte"), "{ranked}");
    assert!(ranked.contains("check-pass") && ranked.contains("Cumple lo obligatorio"));
    assert!(
        !ranked.contains("Parcela Grande Sur") && !ranked.contains("Parcela Borrador"),
        "{ranked}"
    );
    assert!(ranked.contains(&format!("name=\"site_id\" value=\"{fits}\"")));
    // Any published site can still be picked on purpose, never a draft.
    let other = section(&html, "other");
    assert!(
        other.contains(&format!("value=\"{weak}\""))
            && !other.contains(&format!("value=\"{draft}\""))
    );

    // Without requirements the tab says so and leads to the project's form.
    let bare = project(&app, &owner, Some(&org), true, json!({})).await;
    let (status, html) = page(&app, &browser, &format!("/office/projects/{bare}/sites")).await;
    assert_eq!(status, 200);
    assert!(html.contains("todavía no tiene requisitos de emplazamiento"));
    assert!(html.contains(&format!("href=\"/office/projects/{bare}/edit\"")));
    assert!(section(&html, "ranked").is_empty() && !section(&html, "other").is_empty());

    // A note too long is shown next to that site's note, in Spanish, kept.
    let long = "x".repeat(2001);
    let res = app
        .post_form(
            &browser,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", &fits), ("note", &long)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"note-{fits}-error\""))
            && html.contains("Como máximo 2000 caracteres"),
        "{html}"
    );
    assert!(html.contains(&long));

    // Proposed from the form: back to the tab, marked as proposed.
    let res = app
        .post_form(
            &browser,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", &fits), ("note", "Tiene 4 MVA contratables")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/office/projects/{id}/sites")
    );
    let (_, html) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert!(
        html.contains("Emplazamiento propuesto. Hemos avisado"),
        "flash"
    );
    assert!(section(&html, "ranked").contains("Ya propuesto"));
    assert!(section(&html, "proposals").contains("Tiene 4 MVA contratables"));

    // The same site again: 409 naming the standing proposal, also on the form.
    let (status, body) = propose(&app, &owner.token, &id, &fits, None).await;
    assert_eq!(status, 409, "{body}");
    let (_, list) = proposals(&app, &owner.token, &id).await;
    assert_eq!(body["existing_id"], list[0]["id"]);
    let res = app
        .post_form(
            &browser,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", &fits), ("note", ""), ("from", "other")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("ya está propuesto a este proyecto")
    );

    // Unpublished and unknown sites are refused with a field error.
    let (status, body) = propose(&app, &owner.token, &id, &draft, None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        field_codes(&body),
        vec![("site_id".into(), "site_not_published".into())]
    );
    let (status, body) = propose(&app, &owner.token, &id, "no-such-site", None).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&body),
        vec![("site_id".into(), "unknown_site".into())]
    );
    let (status, body) = propose(&app, &owner.token, &id, "  ", None).await;
    assert_eq!(
        (status, field_codes(&body)),
        (422, vec![("site_id".into(), "site_required".into())])
    );

    // The weak site is not ranked, but the office may propose it knowingly.
    let (status, body) = propose(
        &app,
        &owner.token,
        &id,
        &weak,
        Some("Le falta potencia, pero es ampliable"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["site_name"], "Parcela Grande Sur");
    assert_eq!(body["site_url"], format!("/sites/{weak}"));
    assert_eq!(body["sheet_url"], format!("/sites/{weak}/sheet"));
    assert_eq!(body["version"], 1);
    assert!(body["feedback"].is_null() && body["withdrawn_at"].is_null());
    let (_, html) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert!(section(&html, "proposals").contains("No cumple algún requisito obligatorio"));

    // The form for any other site takes its reference (any case); an unknown one
    // is shown next to that field.
    let (status, far) = call(
        &app,
        &owner.token,
        reqwest::Method::POST,
        "/api/v1/sites",
        Some(
            json!({"name": "Nave Lejana", "reference": "ZZ-P01", "kind": "building",
            "municipality_code": "39087", "published": true, "area_m2": 1000}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{far}");
    let (_, html) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert!(section(&html, "other").contains("<option value=\"ZZ-P01\">Nave Lejana"));
    let res = app
        .post_form(
            &browser,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", "ZZ-P99"), ("note", "Otra"), ("from", "other")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"other_site-error\"")
            && html.contains("No existe ese emplazamiento: ZZ-P99")
    );
    assert!(
        html.contains("value=\"ZZ-P99\"") && html.contains(">Otra</textarea>"),
        "values kept"
    );
    let res = app
        .post_form(
            &browser,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", "zz-p01"), ("note", ""), ("from", "other")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, list) = proposals(&app, &owner.token, &id).await;
    assert!(
        list.iter()
            .any(|p| p["site_id"] == far["id"] && p["site_reference"] == "ZZ-P01")
    );

    // Timeline (shown to the investor) and audit.
    let events: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kind, detail, for_investor FROM project_events WHERE project_id = $1 AND kind = 'proposal' ORDER BY at",
    )
    .bind(&id)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(events.len(), 3);
    assert!(events[0].1.contains("Parcela Grande Norte") && events[0].2 == 1);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'site_proposal' AND action = 'create' AND actor_id = $1",
    )
    .bind(&owner.id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

async fn a_proposal_is_withdrawn_and_proposed_again(app: TestApp) {
    let owner = person(&app, Role::Staff, Lang::Es, &[], "Olga Técnica").await;
    let [(org, _), _] = two_orgs(&app).await;
    let investor = person(&app, Role::Investor, Lang::Es, &[&org], "Iñigo Inversor").await;
    let id = project(&app, &owner, Some(&org), true, requirements()).await;
    let s = site(&app, &owner.token, "Nave Retirable", true, 77500.0, 4000.0).await;
    let (_, p) = propose(&app, &owner.token, &id, &s, None).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let (status, _) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "interested", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);

    let path = format!("/api/v1/projects/{id}/proposals/{pid}");
    let (status, body) = call(
        &app,
        &owner.token,
        reqwest::Method::DELETE,
        &format!("{path}?version=1"),
        None,
    )
    .await;
    assert_eq!(status, 409, "stale: {body}");
    assert_eq!(body["current_version"], 2);
    let (status, _) = call(
        &app,
        &owner.token,
        reqwest::Method::DELETE,
        &format!("{path}?version=2"),
        None,
    )
    .await;
    assert_eq!(status, 204);

    // The office keeps it, marked; the investor no longer sees it.
    let (_, list) = proposals(&app, &owner.token, &id).await;
    assert_eq!(list.len(), 1);
    assert!(list[0]["withdrawn_at"].is_string());
    let (status, list) = proposals(&app, &investor.token, &id).await;
    assert_eq!((status, list.len()), (200, 0));
    let browser = session(&app, &investor).await;
    let (_, html) = page(&app, &browser, &format!("/portal/projects/{id}/sites")).await;
    assert!(
        !html.contains("Nave Retirable") && html.contains("todavía no le ha propuesto"),
        "{html}"
    );
    // Feedback on a withdrawn proposal is refused.
    let (status, body) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "interested", "version": 3}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        field_codes(&body),
        vec![("feedback".into(), "proposal_withdrawn".into())]
    );
    // Withdrawing twice is refused too.
    let (status, _) = call(&app, &owner.token, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 422);

    // Proposed again: the same record, standing, its old feedback cleared.
    let (status, again) = propose(&app, &owner.token, &id, &s, Some("Otra vez disponible")).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["id"], pid.as_str());
    assert!(again["withdrawn_at"].is_null() && again["feedback"].is_null());
    assert_eq!(again["note"], "Otra vez disponible");
    let (_, list) = proposals(&app, &investor.token, &id).await;
    assert_eq!(list.len(), 1);

    // Withdrawn through the page as well, with the timeline entry.
    let staff = session(&app, &owner).await;
    let version = again["version"].as_i64().unwrap().to_string();
    let res = app
        .post_form(
            &staff,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/{pid}/withdraw"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 409, "a stale version shows a conflict");
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Otra persona ha cambiado esta propuesta")
    );
    let res = app
        .post_form(
            &staff,
            &format!("/office/projects/{id}/sites"),
            &format!("/office/projects/{id}/sites/{pid}/withdraw"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &staff, &format!("/office/projects/{id}/sites")).await;
    assert!(
        section(&html, "proposals").contains("Retirado el"),
        "{html}"
    );
    let withdrawn: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM project_events WHERE project_id = $1 AND kind = 'proposal_withdrawn' AND for_investor = 1",
    )
    .bind(&id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(withdrawn, 2);
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'site_proposal' AND entity_id = $1 ORDER BY id",
    )
    .bind(&pid)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(
        audited,
        ["create", "feedback", "withdraw", "repropose", "withdraw"]
    );
}

async fn the_investor_gives_feedback_that_the_staff_sees(app: TestApp) {
    let owner = person(&app, Role::Staff, Lang::Es, &[], "Olga Técnica").await;
    let [(org, _), (other_org, _)] = two_orgs(&app).await;
    let investor = person(&app, Role::Investor, Lang::Es, &[&org], "Iñigo Inversor").await;
    let rival = person(&app, Role::Investor, Lang::Es, &[&other_org], "Rita Rival").await;
    let id = project(&app, &owner, Some(&org), true, requirements()).await;
    let s = site(&app, &owner.token, "Nave del Puerto", true, 77500.0, 4000.0).await;
    let (_, p) = propose(&app, &owner.token, &id, &s, Some("Junto al apartadero")).await;
    let pid = p["id"].as_str().unwrap().to_owned();

    // The investor's tab: the site, its facts, its pages, the note and a form.
    let browser = session(&app, &investor).await;
    let tab = format!("/portal/projects/{id}/sites");
    let (status, html) = page(&app, &browser, &tab).await;
    assert_eq!(status, 200);
    let code: String = sqlx::query_scalar("SELECT code_name FROM projects WHERE id = $1")
        .bind(&id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert!(
        html.contains(&code),
        "the investor knows the project by its code name, as on every portal tab"
    );
    assert!(
        html.contains("Nave del Puerto")
            && html.contains("77.500 m²")
            && html.contains("4.000 kVA"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/sites/{s}\""))
            && html.contains(&format!("href=\"/sites/{s}/sheet\""))
    );
    assert!(html.contains("Junto al apartadero") && html.contains("Quiere visitarlo"));
    assert!(
        html.contains("aria-current=\"page\"")
            && html.contains(&format!("/portal/projects/{id}/documents"))
    );

    // Nothing chosen: the error is next to the choices, the comment kept.
    let action = format!("/portal/projects/{id}/sites/{pid}/feedback");
    let res = app
        .post_form(
            &browser,
            &tab,
            &action,
            &[("comment", "¿Hay acceso para camiones?"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"feedback-{pid}-error\""))
            && html.contains("Elija una respuesta"),
        "{html}"
    );
    assert!(html.contains("¿Hay acceso para camiones?"));
    let res = app
        .post_form(
            &browser,
            &tab,
            &action,
            &[
                ("feedback", "visit_requested"),
                ("comment", "¿El martes a las 10?"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &browser, &tab).await;
    assert!(html.contains("Hemos guardado su opinión"));
    assert!(html.contains(&format!("id=\"feedback-{pid}-visit_requested\" name=\"feedback\" value=\"visit_requested\" checked")), "{html}");
    // The same form sent again from a stale page: a clear conflict.
    let res = app
        .post_form(
            &browser,
            &tab,
            &action,
            &[("feedback", "interested"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("ha cambiado desde que abrió la página")
    );

    // Through the API: a bad answer, a stale version, then a change of mind.
    let (status, body) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "maybe", "version": 2}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&body),
        vec![("feedback".into(), "invalid_feedback".into())]
    );
    let (status, body) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "interested", "version": 1}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["current_version"], 2);
    let (status, body) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "interested", "comment": "Nos encaja", "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["feedback"].as_str(), body["version"].as_i64()),
        (Some("interested"), Some(3))
    );

    // The staff see it: API and tab.
    let (_, list) = proposals(&app, &owner.token, &id).await;
    assert_eq!(list[0]["feedback"], "interested");
    assert_eq!(list[0]["feedback_comment"], "Nos encaja");
    assert_eq!(list[0]["feedback_by"], investor.id.as_str());
    assert_eq!(list[0]["feedback_by_name"], "Iñigo Inversor");
    let staff = session(&app, &owner).await;
    let (_, html) = page(&app, &staff, &format!("/office/projects/{id}/sites")).await;
    let shown = section(&html, "proposals");
    assert!(
        shown.contains("Le interesa")
            && shown.contains("Nos encaja")
            && shown.contains("Iñigo Inversor"),
        "{shown}"
    );
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM project_events WHERE project_id = $1 AND kind = 'feedback' AND for_investor = 1 ORDER BY at",
    )
    .bind(&id)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(kinds.len(), 2);
    assert!(
        kinds[1].contains("\"feedback\":\"interested\"") && kinds[1].contains("Nave del Puerto")
    );

    // Another investor: the project does not exist for it.
    let (status, _) = proposals(&app, &rival.token, &id).await;
    assert_eq!(status, 404);
    let (status, _) = feedback(
        &app,
        &rival.token,
        &id,
        &pid,
        json!({"feedback": "not_interested", "version": 3}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = propose(&app, &rival.token, &id, &s, None).await;
    assert_eq!(status, 404);
    let rival_browser = session(&app, &rival).await;
    let (status, html) = page(&app, &rival_browser, &tab).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Nave del Puerto"));
    let res = app
        .post_form(
            &rival_browser,
            "/account",
            &action,
            &[("feedback", "not_interested"), ("version", "3")],
        )
        .await;
    assert_eq!(res.status(), 404);
    // The investor's own: no office tab, and it cannot propose (403).
    let (status, _) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert_eq!(status, 404);
    let (status, _) = propose(&app, &investor.token, &id, &s, None).await;
    assert_eq!(status, 403);
    // The office's people do not use the investor's tab.
    let (status, _) = page(&app, &staff, &tab).await;
    assert_eq!(status, 404);
}

async fn access_follows_the_project(app: TestApp) {
    let owner = person(&app, Role::Staff, Lang::Es, &[], "Olga Técnica").await;
    let outsider = person(&app, Role::Staff, Lang::Es, &[], "Pepe Ajeno").await;
    let company = person(&app, Role::Company, Lang::Es, &[], "Carla Empresa").await;
    let [(org, org_name), _] = two_orgs(&app).await;
    let investor = person(&app, Role::Investor, Lang::Es, &[&org], "Iñigo Inversor").await;
    let id = project(&app, &owner, Some(&org), true, requirements()).await;
    let s = site(
        &app,
        &owner.token,
        "Nave Confidencial",
        true,
        77500.0,
        4000.0,
    )
    .await;
    let t = site(&app, &owner.token, "Nave Segunda", true, 77400.0, 4000.0).await;
    let (_, p) = propose(&app, &owner.token, &id, &s, None).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let (status, _) = feedback(
        &app,
        &investor.token,
        &id,
        &pid,
        json!({"feedback": "not_interested", "comment": "Lo comentamos en el consejo de Acme", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);

    // Unassigned staff on a confidential project read, without the investor.
    let (status, list) = proposals(&app, &outsider.token, &id).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["feedback"], "not_interested");
    assert!(
        list[0]["feedback_comment"].is_null()
            && list[0]["feedback_by"].is_null()
            && list[0]["feedback_by_name"].is_null()
    );
    let (status, _) = propose(&app, &outsider.token, &id, &t, None).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        &outsider.token,
        reqwest::Method::DELETE,
        &format!("/api/v1/projects/{id}/proposals/{pid}"),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = feedback(
        &app,
        &outsider.token,
        &id,
        &pid,
        json!({"feedback": "interested", "version": 2}),
    )
    .await;
    assert_eq!(status, 403);
    let browser = session(&app, &outsider).await;
    let (status, html) = page(&app, &browser, &format!("/office/projects/{id}/sites")).await;
    assert_eq!(status, 200);
    assert!(html.contains("no está asignado a este proyecto confidencial"));
    assert!(
        !html.contains(&org_name),
        "the investor's name is not shown"
    );
    assert!(!html.contains("Iñigo Inversor") && !html.contains("consejo de Acme"));
    assert!(
        !html.contains("/sites/propose") && !html.contains("/withdraw"),
        "read-only"
    );
    let res = app
        .post_form(
            &browser,
            "/account",
            &format!("/office/projects/{id}/sites/propose"),
            &[("site_id", &t), ("note", "")],
        )
        .await;
    assert_eq!(res.status(), 403);

    // Other roles: 404; no token: 401.
    let (status, _) = proposals(&app, &company.token, &id).await;
    assert_eq!(status, 404);
    let company_browser = session(&app, &company).await;
    let (status, _) = page(
        &app,
        &company_browser,
        &format!("/office/projects/{id}/sites"),
    )
    .await;
    assert_eq!(status, 404);
    let res = app.get(&format!("/api/v1/projects/{id}/proposals")).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let (status, _) = proposals(&app, &owner.token, "no-such-project").await;
    assert_eq!(status, 404);

    // The office on the investor's behalf (staff who may change the project).
    let (status, body) = feedback(
        &app,
        &owner.token,
        &id,
        &pid,
        json!({"feedback": "visit_requested", "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["feedback_by"], owner.id.as_str());

    // Pages of the list, and ids that cannot be ours.
    let (status, _) = propose(&app, &owner.token, &id, &t, None).await;
    assert_eq!(status, 201);
    let path = format!("/api/v1/projects/{id}/proposals");
    let (status, first) = call(
        &app,
        &owner.token,
        reqwest::Method::GET,
        &format!("{path}?limit=1"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(first["items"][0]["site_id"], t.as_str(), "newest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = call(
        &app,
        &owner.token,
        reqwest::Method::GET,
        &format!("{path}?limit=1&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(second["items"][0]["site_id"], s.as_str());
    assert!(second["next_cursor"].is_null());
    let (status, _) = call(
        &app,
        &owner.token,
        reqwest::Method::GET,
        &format!("{path}?cursor=bm9wZQ"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &app,
        &owner.token,
        reqwest::Method::GET,
        &format!("{path}?limit=0"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = proposals(&app, &owner.token, "a%00b").await;
    assert_eq!(status, 404);
    let (status, _) = feedback(
        &app,
        &owner.token,
        &id,
        "a%00b",
        json!({"feedback": "interested", "version": 1}),
    )
    .await;
    assert_eq!(status, 404);

    // An anonymous visitor is sent to log in.
    let res = new_client()
        .get(app.url(&format!("/portal/projects/{id}/sites")))
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
}

async fn e_mails_go_to_the_right_people_in_their_language(app: TestApp) {
    let owner = person(&app, Role::Staff, Lang::En, &[], "Olga Owner").await;
    let [(org, org_name), (other_org, _)] = two_orgs(&app).await;
    let es = person(&app, Role::Investor, Lang::Es, &[&org], "Iñigo Inversor").await;
    let en = person(&app, Role::Investor, Lang::En, &[&org], "Ian Investor").await;
    let gone = person(&app, Role::Investor, Lang::Es, &[&org], "Gonzalo Baja").await;
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&gone.id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let colleague = person(&app, Role::Company, Lang::Es, &[&org], "Carla Empresa").await;
    let rival = person(&app, Role::Investor, Lang::Es, &[&other_org], "Rita Rival").await;
    let id = project(&app, &owner, Some(&org), true, requirements()).await;
    let s = site(&app, &owner.token, "Nave Correo", true, 77500.0, 4000.0).await;

    let (status, p) = propose(&app, &owner.token, &id, &s, Some("Con muelle de carga")).await;
    assert_eq!(status, 201);
    let pid = p["id"].as_str().unwrap().to_owned();
    let report = app.run_jobs().await;
    assert_eq!((report.done, report.failed), (2, 0));
    let mails = app.mails();
    let to: Vec<&str> = mails.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(mails.len(), 2, "only the active investor users: {to:?}");
    for who in [&gone, &colleague, &rival, &owner] {
        assert!(
            !to.contains(&who.email.as_str()),
            "{} got a mail",
            who.email
        );
    }
    let to_es = mails
        .iter()
        .find(|m| m.0 == es.email)
        .expect("mail to the Spanish investor");
    let to_en = mails
        .iter()
        .find(|m| m.0 == en.email)
        .expect("mail to the English investor");
    // The investor knows the project by its code name, as its portal shows it.
    let code: String = sqlx::query_scalar("SELECT code_name FROM projects WHERE id = $1")
        .bind(&id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(
        to_es.1,
        format!("Un emplazamiento para su proyecto «{code}»")
    );
    assert_eq!(to_en.1, format!("A site for your project “{code}”"));
    assert!(
        mails.iter().all(|m| !m.1.contains(&org_name)),
        "no subject names the investor"
    );
    assert!(
        to_es.2.contains("Hola, Iñigo Inversor")
            && to_es.2.contains("Nave Correo")
            && to_es.2.contains("Con muelle de carga")
    );
    assert!(
        to_en.2.contains("Hello Ian Investor")
            && to_en.2.contains("The office's note: Con muelle de carga"),
        "{}",
        to_en.2
    );
    for m in [to_es, to_en] {
        assert!(
            m.2.contains(&format!("/portal/projects/{id}/sites")),
            "{}",
            m.2
        );
    }

    // The investor answers: the owner hears, in English.
    let (status, _) = feedback(
        &app,
        &es.token,
        &id,
        &pid,
        json!({"feedback": "visit_requested", "comment": "¿Jueves?", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 3);
    let to_owner = mails
        .iter()
        .find(|m| m.0 == owner.email)
        .expect("mail to the owner");
    assert_eq!(to_owner.1, format!("“{code}”: feedback on Nave Correo"));
    assert!(
        to_owner.2.contains("Iñigo Inversor")
            && to_owner.2.contains("wants a visit")
            && to_owner.2.contains("¿Jueves?"),
        "{}",
        to_owner.2
    );
    assert!(to_owner.2.contains(&format!("/office/projects/{id}/sites")));

    // The owner recording it on the investor's behalf does not mail itself.
    let (status, _) = feedback(
        &app,
        &owner.token,
        &id,
        &pid,
        json!({"feedback": "interested", "version": 2}),
    )
    .await;
    assert_eq!(status, 200);
    app.run_jobs().await;
    assert_eq!(app.mails().len(), 3);
}
