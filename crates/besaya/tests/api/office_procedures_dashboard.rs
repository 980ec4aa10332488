//! The procedures' dashboard and the procedures' calendar entries, on both
//! databases: the figures of a hand-built set of procedures (recorded through the
//! store, as the pages and the API record them) — median days to decision with
//! the pauses for corrections left out, the share resolved within the legal term,
//! the overdue ones — the same on the page and in the API; who may see it (the
//! office only: 404 for anybody else); confidentiality (the investor of a
//! confidential project named only to those who may see it); and the legal due
//! dates in each kind of user's private calendar feed, read back by a real
//! iCalendar parser.

use std::collections::BTreeMap;
use std::str::FromStr;

use besaya::auth::User;
use besaya::office::procedures::store::{self, AddItem, NewEvent};
use besaya::office::projects::{self, ValidProject};
use besaya_domain::Role;
use besaya_domain::office::Stage;
use besaya_domain::procedures::EventKind;
use icalendar::Component;
use serde_json::Value;
use time::macros::date;
use time::{Date, Duration};

use crate::helpers::{TestApp, backends};

backends!(
    the_figures_of_the_administrations_are_computed_from_the_clocks,
    only_the_office_sees_the_dashboard_and_confidential_investors_stay_hidden,
    due_dates_go_to_the_calendar_of_whoever_follows_the_procedure,
);

const URBAN_REPORT: &str = "01938f00-0000-7000-8000-000000000002";
const EIA_ORDINARY: &str = "01938f00-0000-7000-8000-000000000003";
const EIA_SIMPLIFIED: &str = "01938f00-0000-7000-8000-000000000004";
const ENV_CHECK: &str = "01938f00-0000-7000-8000-000000000006";
const BUILDING: &str = "01938f00-0000-7000-8000-000000000007";
const ACTIVITY: &str = "01938f00-0000-7000-8000-000000000008";
const INDUSTRIAL_REGISTER: &str = "01938f00-0000-7000-8000-000000000009";

/// An organisation of the directory; returns its id.
async fn org(app: &TestApp, name: &str, kind: &str, dir3: Option<&str>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, dir3_code, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
    )
    .bind(&id)
    .bind(name)
    .bind(kind)
    .bind(format!("T{}", &uuid::Uuid::now_v7().simple().to_string()[20..]))
    .bind(dir3)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// Links a user to an organisation (acting for it).
async fn member_of(app: &TestApp, user: &str, org: &str) {
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(user)
        .bind(org)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn user(app: &TestApp, id: &str) -> User {
    besaya::users::store::get(app.state.db.reader(), id)
        .await
        .unwrap()
        .expect("an active user")
}

/// A project owned by `owner` with `team`, of investor `investor`.
async fn project(
    app: &TestApp,
    code: &str,
    owner: &str,
    team: &[&str],
    confidential: bool,
    investor: &str,
) -> String {
    let v = ValidProject {
        code_name: Some(code.to_owned()),
        investor_org_id: Some(investor.to_owned()),
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
    let id = projects::create(&mut tx, None, &v, Stage::Establishment, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Adds a catalogue entry to a project, held by `administration`; returns the procedure's id.
async fn add(
    app: &TestApp,
    actor: &User,
    project_id: &str,
    template: &str,
    administration: &str,
) -> String {
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let project = projects::get(&mut tx, project_id).await.unwrap().unwrap();
    let ids = store::add(
        &app.state,
        &mut tx,
        actor,
        &project,
        &[AddItem {
            template_id: template.to_owned(),
            administration_org_id: Some(administration.to_owned()),
        }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ids.len(), 1);
    ids[0].clone()
}

/// Records events on a procedure, in order, as `actor`.
async fn record(app: &TestApp, actor: &User, procedure: &str, steps: &[(EventKind, Date)]) {
    for (kind, on) in steps {
        let version: i64 = sqlx::query_scalar("SELECT version FROM procedures WHERE id = $1")
            .bind(procedure)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
        let mut tx = app.state.db.writer().begin().await.unwrap();
        store::record(
            &app.state,
            &mut tx,
            actor,
            procedure,
            version,
            &NewEvent {
                kind: *kind,
                on_date: *on,
                note: String::new(),
                document_id: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{kind:?} on {on}: {e}"));
        tx.commit().await.unwrap();
    }
}

/// (status, due_on) as the store keeps them.
async fn stored(app: &TestApp, procedure: &str) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, due_on FROM procedures WHERE id = $1")
        .bind(procedure)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

fn today() -> Date {
    besaya::office::work::madrid::today()
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, String) {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The hand-built set: two administrations, two projects, nine procedures.
struct World {
    /// The owner of Roble (open project), and of nothing else.
    sara: (String, String),
    /// The owner of Abedul (confidential project).
    olga: (String, String),
    admin: (String, String),
    council: String,
    region: String,
    roble: String,
    abedul: String,
    investor_roble: String,
    /// The investor of the confidential project.
    secret_investor: String,
    /// Running, past its due date (the council's, on Abedul).
    overdue: String,
    /// Running, due in three months (the region's, on Roble).
    running: String,
    /// Paused for a correction (the region's, on Roble).
    paused: String,
}

async fn world(app: &TestApp) -> World {
    let sara = app.token(Role::Staff).await;
    let olga = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let actor = user(app, &admin.1).await;
    let council = org(
        app,
        "Ayuntamiento de Prueba",
        "administration",
        Some("L01390870"),
    )
    .await;
    let region = org(
        app,
        "Gobierno de Prueba — Medio Ambiente",
        "administration",
        None,
    )
    .await;
    let investor_roble = org(app, "Aceros del Norte SA", "investor", None).await;
    let secret_investor = org(app, "Inversiones Secretas SL", "investor", None).await;
    let roble = project(app, "Roble", &sara.1, &[], false, &investor_roble).await;
    let abedul = project(app, "Abedul", &olga.1, &[], true, &secret_investor).await;
    use EventKind::*;
    let d0 = date!(2025 - 01 - 10);

    // The council: granted in 31 days; granted in 59 days less a 10-day pause (49);
    // resolved by positive silence after its 30 business days (59 days, late).
    let p1 = add(app, &actor, &roble, BUILDING, &council).await;
    record(
        app,
        &actor,
        &p1,
        &[(Complete, d0), (Granted, date!(2025 - 02 - 10))],
    )
    .await;
    let p2 = add(app, &actor, &roble, ACTIVITY, &council).await;
    record(
        app,
        &actor,
        &p2,
        &[
            (Complete, d0),
            (CorrectionRequested, date!(2025 - 01 - 20)),
            (Corrected, date!(2025 - 01 - 30)),
            (Granted, date!(2025 - 03 - 10)),
        ],
    )
    .await;
    let p3 = add(app, &actor, &roble, URBAN_REPORT, &council).await;
    record(
        app,
        &actor,
        &p3,
        &[(Complete, d0), (Silence, date!(2025 - 03 - 10))],
    )
    .await;
    // Overdue: complete 120 days ago, a three-month term.
    let overdue = add(app, &actor, &abedul, BUILDING, &council).await;
    record(
        app,
        &actor,
        &overdue,
        &[(Complete, today() - Duration::days(120))],
    )
    .await;
    // Not filed yet.
    add(app, &actor, &abedul, ACTIVITY, &council).await;

    // The region: paused; denied in 10 days; a correction before the file was
    // complete pauses no clock (10 days); running, due in three months.
    let paused = add(app, &actor, &roble, EIA_SIMPLIFIED, &region).await;
    record(
        app,
        &actor,
        &paused,
        &[(Complete, d0), (CorrectionRequested, date!(2025 - 01 - 15))],
    )
    .await;
    let p7 = add(app, &actor, &abedul, EIA_ORDINARY, &region).await;
    record(
        app,
        &actor,
        &p7,
        &[(Complete, d0), (Denied, date!(2025 - 01 - 20))],
    )
    .await;
    let p9 = add(app, &actor, &abedul, INDUSTRIAL_REGISTER, &region).await;
    record(
        app,
        &actor,
        &p9,
        &[
            (Filed, date!(2025 - 02 - 03)),
            (CorrectionRequested, date!(2025 - 02 - 04)),
            (Corrected, date!(2025 - 02 - 14)),
            (Complete, date!(2025 - 02 - 17)),
            (Granted, date!(2025 - 02 - 27)),
        ],
    )
    .await;
    let running = add(app, &actor, &roble, ENV_CHECK, &region).await;
    record(app, &actor, &running, &[(Complete, today())]).await;

    // The clocks as the store keeps them: what the figures are built on.
    assert_eq!(stored(app, &p3).await.0, "silence_positive");
    assert_eq!(stored(app, &paused).await, ("paused".to_owned(), None));
    let (status, due) = stored(app, &overdue).await;
    assert_eq!(status, "running");
    assert!(due.unwrap() < today().to_string(), "past its due date");

    World {
        sara,
        olga,
        admin,
        council,
        region,
        roble,
        abedul,
        investor_roble,
        secret_investor,
        overdue,
        running,
        paused,
    }
}

fn admin_figures<'a>(d: &'a Value, id: &str) -> &'a Value {
    let a = d["administrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["administration_org_id"] == id)
        .unwrap_or_else(|| panic!("administration {id} in {d}"));
    &a["figures"]
}

async fn the_figures_of_the_administrations_are_computed_from_the_clocks(app: TestApp) {
    let w = world(&app).await;
    let (status, body) = get(&app, Some(&w.admin.0), "/api/v1/procedures/dashboard").await;
    assert_eq!(status, 200, "{body}");
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["today"], today().to_string());

    let council = admin_figures(&d, &w.council);
    assert_eq!(council["pending"], 1);
    assert_eq!(council["in_progress"], 1);
    assert_eq!(council["resolved"], 3);
    assert_eq!(council["overdue"], 1);
    assert_eq!(council["decisions"], 3);
    // 31, 49 (59 less the 10 paused days), 59.
    assert_eq!(council["median_days_to_decision"], 49.0);
    assert_eq!(council["resolved_with_term"], 3);
    assert_eq!(
        council["resolved_within_term"], 2,
        "silence comes after the due date"
    );
    let share = council["within_term_share"].as_f64().unwrap();
    assert!((share - 2.0 / 3.0).abs() < 1e-9, "{share}");

    let region = admin_figures(&d, &w.region);
    assert_eq!(region["pending"], 0);
    assert_eq!(region["in_progress"], 2, "paused and running");
    assert_eq!(region["resolved"], 2);
    assert_eq!(region["overdue"], 0);
    // 10 and 10: the correction before the complete file paused nothing.
    assert_eq!(region["median_days_to_decision"], 10.0);
    assert_eq!(region["within_term_share"], 1.0);

    let total = &d["total"];
    assert_eq!(total["pending"], 1);
    assert_eq!(total["in_progress"], 3);
    assert_eq!(total["resolved"], 5);
    assert_eq!(total["overdue"], 1);
    // 10, 10, 31, 49, 59.
    assert_eq!(total["median_days_to_decision"], 31.0);
    assert_eq!(total["resolved_within_term"], 4);
    assert_eq!(total["within_term_share"], 0.8);
    // The administrations by name, with their DIR3 code where known.
    let names: Vec<&str> = d["administrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Ayuntamiento de Prueba",
            "Gobierno de Prueba — Medio Ambiente"
        ]
    );
    assert_eq!(d["administrations"][0]["dir3_code"], "L01390870");

    let statuses: BTreeMap<String, i64> = d["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_owned(),
                s["count"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, i64> = [
        ("pending", 1),
        ("filed", 0),
        ("running", 2),
        ("paused", 1),
        ("granted", 3),
        ("denied", 1),
        ("silence_positive", 1),
        ("silence_negative", 0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(statuses, expected);

    // The overdue list: the one procedure, with its delay in calendar days and a link.
    let due = stored(&app, &w.overdue).await.1.unwrap();
    let overdue = d["overdue"].as_array().unwrap();
    assert_eq!(overdue.len(), 1);
    let o = &overdue[0];
    assert_eq!(o["procedure_id"], w.overdue.as_str());
    assert_eq!(o["project_code_name"], "Abedul");
    assert_eq!(o["administration_name"], "Ayuntamiento de Prueba");
    assert_eq!(o["due_on"], due.as_str());
    let due_day = Date::parse(
        &due,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    assert_eq!(o["days_overdue"], (today() - due_day).whole_days());
    assert_eq!(o["silence"], "negative");
    assert_eq!(
        o["url"],
        format!("/office/projects/{}/procedures/{}", w.abedul, w.overdue)
    );
    assert_eq!(
        o["investor_name"], "Inversiones Secretas SL",
        "the administrator sees it"
    );

    // The page shows the same figures, in Spanish, in tables.
    let (client, _) = app.signed_in(Role::Admin).await;
    let html = client
        .get(app.url("/office/procedures/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<h1>Trámites: cuadro de mando</h1>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<dd id="fig-median">31 días (5 resoluciones)</dd>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<dd id="fig-within">80 % (4 de 5)</dd>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<dd id="fig-overdue" class="late">1</dd>"#),
        "{html}"
    );
    let row = |name: &str| {
        let start = html
            .find(&format!("<th scope=\"row\">{name}"))
            .unwrap_or_else(|| panic!("{name} row"));
        html[start..start + html[start..].find("</tr>").unwrap()].to_owned()
    };
    let council_row = row("Ayuntamiento de Prueba");
    assert!(council_row.contains("DIR3 L01390870"), "{council_row}");
    for cell in [
        "<td>1</td>",
        "<td>3</td>",
        "<td>49 días (3 resoluciones)</td>",
        "<td>66,7 % (2 de 3)</td>",
    ] {
        assert!(council_row.contains(cell), "{cell} in {council_row}");
    }
    assert!(row("Concedido").contains("<td>3</td>"), "statuses by name");
    let overdue_row = row(&format!(
        "<a href=\"/office/projects/{}/procedures/{}\">Licencia de obra de nueva planta</a>",
        w.abedul, w.overdue
    ));
    assert!(overdue_row.contains("Silencio negativo"), "{overdue_row}");
    assert!(overdue_row.contains("Abedul"), "{overdue_row}");
}

async fn only_the_office_sees_the_dashboard_and_confidential_investors_stay_hidden(app: TestApp) {
    let w = world(&app).await;
    // Nobody outside the office learns the dashboard exists.
    assert_eq!(get(&app, None, "/api/v1/procedures/dashboard").await.0, 401);
    for role in [
        Role::PactMember,
        Role::Investor,
        Role::Company,
        Role::TrainingCentre,
    ] {
        let (token, id) = app.token(role).await;
        member_of(&app, &id, &w.council).await;
        let (status, body) = get(&app, Some(&token), "/api/v1/procedures/dashboard").await;
        assert_eq!(status, 404, "{role}: {body}");
        assert!(body.contains("not_found"), "problem+json: {body}");
    }
    for role in [Role::PactMember, Role::Investor] {
        let (client, _) = app.signed_in(role).await;
        let res = client
            .get(app.url("/office/procedures/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{role}");
    }

    // Staff not assigned to the confidential project see its code name only.
    let (pepe_token, _) = app.token(Role::Staff).await;
    let (status, body) = get(&app, Some(&pepe_token), "/api/v1/procedures/dashboard").await;
    assert_eq!(status, 200);
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["overdue"][0]["project_code_name"], "Abedul");
    assert_eq!(d["overdue"][0]["investor_name"], Value::Null);
    assert!(!body.contains("Inversiones Secretas"), "{body}");
    let (pepe, _) = app.signed_in(Role::Staff).await;
    let html = pepe
        .get(app.url("/office/procedures/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Abedul"));
    assert!(
        !html.contains("Inversiones Secretas"),
        "the investor stays hidden"
    );
    // Its owner sees the investor.
    let (_, body) = get(&app, Some(&w.olga.0), "/api/v1/procedures/dashboard").await;
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["overdue"][0]["investor_name"], "Inversiones Secretas SL");
    // The figures are the same for every office user.
    let (_, sara) = get(&app, Some(&w.sara.0), "/api/v1/procedures/dashboard").await;
    let sara: Value = serde_json::from_str(&sara).unwrap();
    assert_eq!(sara["total"], d["total"]);
    assert_eq!(sara["administrations"], d["administrations"]);

    // The office dashboard links here; in English for an English reader.
    let (client, id) = app.signed_in(Role::Staff).await;
    let office = client
        .get(app.url("/office/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(office.contains("href=\"/office/procedures/dashboard\""));
    let _ = id;
    client.get(app.url("/lang/en")).send().await.unwrap();
    let en = client
        .get(app.url("/office/procedures/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("<h1>Procedures dashboard</h1>"), "{en}");
    assert!(
        en.contains(r#"<dd id="fig-median">31 days (5 decisions)</dd>"#),
        "{en}"
    );
    assert!(en.contains("Negative silence: deemed refused"), "{en}");
    assert!(!en.contains("Trámites: cuadro de mando"));
}

/// Stores a feed for `user_id` and returns its path.
async fn feed_of(app: &TestApp, user_id: &str) -> String {
    let raw = besaya::auth::secret::random_token();
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(besaya::auth::secret::hash(&raw))
        .bind("2026-01-01T00:00:00.000000Z")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    format!("/calendar/{raw}.ics")
}

/// The procedures' events of a feed: uid → (summary, start, end, description, url).
async fn due_events(
    app: &TestApp,
    path: &str,
) -> BTreeMap<String, (String, String, String, String, String)> {
    let res = reqwest::get(app.url(path)).await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let ics = res.text().await.unwrap();
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let cal = icalendar::Calendar::from_str(&ics).expect("a valid calendar");
    let show = |d: Option<icalendar::DatePerhapsTime>| match d {
        Some(icalendar::DatePerhapsTime::Date(d)) => d.to_string(),
        other => panic!("an all-day event, not {other:?}"),
    };
    cal.components
        .iter()
        .filter_map(|c| c.as_event())
        .filter(|e| e.get_uid().is_some_and(|u| u.starts_with("procedure-")))
        .map(|e| {
            (
                e.get_uid().unwrap().to_owned(),
                (
                    e.get_summary().unwrap_or_default().to_owned(),
                    show(e.get_start()),
                    show(e.get_end()),
                    e.get_description().unwrap_or_default().to_owned(),
                    e.get_url().unwrap_or_default().to_owned(),
                ),
            )
        })
        .collect()
}

async fn due_dates_go_to_the_calendar_of_whoever_follows_the_procedure(app: TestApp) {
    let w = world(&app).await;
    let host = "127.0.0.1:8080";
    let uid = |p: &str| format!("procedure-{p}@{host}");
    let (overdue_due, running_due) = (
        stored(&app, &w.overdue).await.1.unwrap(),
        stored(&app, &w.running).await.1.unwrap(),
    );
    let next = |d: &str| {
        let d = Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
        d.next_day().unwrap().to_string()
    };

    // The owner of Roble: its running procedure, not the paused or resolved ones.
    let sara = due_events(&app, &feed_of(&app, &w.sara.1).await).await;
    assert_eq!(
        sara.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.running)]
    );
    let e = &sara[&uid(&w.running)];
    assert_eq!(
        e.0,
        "Vence el plazo: Comprobación ambiental (informe regional de la licencia de actividad) («Roble»)"
    );
    assert_eq!(
        (e.1.as_str(), e.2.as_str()),
        (running_due.as_str(), next(&running_due).as_str())
    );
    assert!(
        e.3.contains("Administración: Gobierno de Prueba — Medio Ambiente"),
        "{}",
        e.3
    );
    assert!(
        e.3.contains("el silencio es negativo: la solicitud se entiende denegada"),
        "{}",
        e.3
    );
    assert!(
        e.4.ends_with(&format!(
            "/office/projects/{}/procedures/{}",
            w.roble, w.running
        )),
        "{}",
        e.4
    );

    // The owner of Abedul, in English: the overdue one, still in her calendar.
    sqlx::query("UPDATE users SET lang = 'en' WHERE id = $1")
        .bind(&w.olga.1)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let olga = due_events(&app, &feed_of(&app, &w.olga.1).await).await;
    assert_eq!(
        olga.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.overdue)]
    );
    let e = &olga[&uid(&w.overdue)];
    assert_eq!(e.0, "Deadline: Building licence (new building) (“Abedul”)");
    assert_eq!(e.1, overdue_due);
    assert!(e.3.contains("silence is negative"), "{}", e.3);

    // The administrator: every running procedure. Other staff: none of theirs.
    let admin = due_events(&app, &feed_of(&app, &w.admin.1).await).await;
    let mut all = vec![uid(&w.overdue), uid(&w.running)];
    all.sort();
    assert_eq!(admin.keys().cloned().collect::<Vec<_>>(), all);
    let (_, pepe) = app.token(Role::Staff).await;
    assert!(
        due_events(&app, &feed_of(&app, &pepe).await)
            .await
            .is_empty()
    );

    // The investor of Roble: its procedure, linked to its portal.
    let (_, investor) = app.token(Role::Investor).await;
    member_of(&app, &investor, &w.investor_roble).await;
    let inv = due_events(&app, &feed_of(&app, &investor).await).await;
    assert_eq!(
        inv.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.running)]
    );
    assert!(inv[&uid(&w.running)].4.ends_with(&format!(
        "/portal/projects/{}/procedures/{}",
        w.roble, w.running
    )));
    // The investor of the confidential project sees its own overdue procedure.
    let (_, secret) = app.token(Role::Investor).await;
    member_of(&app, &secret, &w.secret_investor).await;
    let sec = due_events(&app, &feed_of(&app, &secret).await).await;
    assert_eq!(
        sec.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.overdue)]
    );

    // The council's user makes its own feed on the account page: the procedures
    // its administration holds, by the code name only, linked to its own page.
    let (client, council_user) = app.signed_in(Role::PactMember).await;
    member_of(&app, &council_user, &w.council).await;
    let res = app
        .post_form(&client, "/account/calendar", "/account/calendar", &[])
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let marker = "id=\"feed-url\" value=\"";
    let start = html.find(marker).expect("the new address is shown") + marker.len();
    let url = &html[start..start + html[start..].find('"').unwrap()];
    let path = url[url.find("/calendar/").unwrap()..].to_owned();
    let council = due_events(&app, &path).await;
    assert_eq!(
        council.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.overdue)]
    );
    let e = &council[&uid(&w.overdue)];
    assert_eq!(
        e.0,
        "Vence el plazo: Licencia de obra de nueva planta («Abedul»)"
    );
    assert!(
        e.4.ends_with(&format!("/procedures/{}", w.overdue)),
        "{}",
        e.4
    );
    assert!(!e.4.contains("/office/"), "{}", e.4);
    let raw = reqwest::get(app.url(&path))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("Inversiones Secretas"),
        "never the investor's name"
    );
    // The region's user: its running one.
    let (_, region_user) = app.token(Role::PactMember).await;
    member_of(&app, &region_user, &w.region).await;
    let region_feed = feed_of(&app, &region_user).await;
    let region = due_events(&app, &region_feed).await;
    assert_eq!(
        region.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.running)]
    );

    // A correction request pauses the clock: the due date leaves the calendars;
    // the correction brings it back under the same UID.
    let actor = user(&app, &w.admin.1).await;
    record(
        &app,
        &actor,
        &w.running,
        &[(EventKind::CorrectionRequested, today())],
    )
    .await;
    assert!(due_events(&app, &region_feed).await.is_empty());
    record(&app, &actor, &w.running, &[(EventKind::Corrected, today())]).await;
    let back = due_events(&app, &region_feed).await;
    assert_eq!(
        back.keys().cloned().collect::<Vec<_>>(),
        vec![uid(&w.running)]
    );
    let _ = &w.paused;
}
