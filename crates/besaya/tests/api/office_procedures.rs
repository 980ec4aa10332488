//! Procedures across administrations, on both databases: the journey of a
//! building licence (the office adds it, the council declares the file complete
//! and asks for a correction, the investor uploads it through the portal, the
//! council grants it) with its legal due date as the domain computes it and the
//! e-mails of each step; who sees and records what (404 for what is not yours);
//! the catalogue with its version checks and cycles; local holidays moving due
//! dates; refused events naming what is allowed; the administrations' list with
//! its filters and pages; the checklist's reasons; the audit trail.

use besaya::i18n::Lang;
use besaya::office::procedures::calendar;
use besaya::office::projects::{self, ValidProject};
use besaya::office::work::madrid;
use besaya_domain::directory::{format_date, parse_date};
use besaya_domain::office::Stage;
use besaya_domain::procedures::{Clock, EventKind, Holidays, Rules, Silence, Term, TermUnit};
use besaya_domain::{Email, Role};
use serde_json::{Value, json};
use time::{Date, Duration, Weekday};

use crate::helpers::{PASSWORD, TestApp, backends};

backends!(
    a_building_licence_goes_from_complete_to_granted,
    each_side_sees_only_its_own,
    the_catalogue_keeps_versions_and_refuses_cycles,
    a_local_holiday_moves_the_due_date,
    refused_events_say_what_is_allowed,
    the_administrations_list_filters_and_pages,
    the_checklist_proposes_by_activity_and_power,
    the_demo_shows_every_kind_of_procedure,
    an_administration_with_procedures_is_merged_not_deleted,
);

const URBAN: &str = "01938f00-0000-7000-8000-000000000002";
const EIA_SIMPLIFIED: &str = "01938f00-0000-7000-8000-000000000004";
const IEA: &str = "01938f00-0000-7000-8000-000000000005";
const BUILDING: &str = "01938f00-0000-7000-8000-000000000007";
const GRID: &str = "01938f00-0000-7000-8000-000000000010";

// ---- Setting the scene ----

async fn user(
    app: &TestApp,
    email: &str,
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
            name: format!("Test {email}"),
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

async fn org_named(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(name)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

/// Companies no project uses yet: (id, name).
async fn free_companies(app: &TestApp, n: i64) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT id, name FROM organizations WHERE kind = 'company' AND id NOT IN \
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
    org: Option<&str>,
    cnae: Option<&str>,
    requirements: &str,
) -> String {
    let v = ValidProject {
        code_name: Some(code.to_owned()),
        investor_org_id: org.map(str::to_owned),
        cnae_code: cnae.map(str::to_owned),
        description: "Planta secreta de laminación en frío".into(),
        requirements: requirements.into(),
        investment_committed_eur: Some(12_000_000.0),
        investment_verified_eur: None,
        investment_verified_on: None,
        investment_evidence_doc_id: None,
        jobs_committed: Some(80),
        jobs_verified: None,
        jobs_verified_on: None,
        jobs_evidence_doc_id: None,
        owner_id: owner.to_owned(),
        team: Vec::new(),
        confidential: true,
    };
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = projects::create(&mut tx, Some(owner), &v, Stage::Decision, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The usual cast: the administrator, a project's owner and an outsider of the
/// office, the Torrelavega council with its user, the Polanco council's user, the
/// regional department, the investor's user and another investor's.
struct Cast {
    admin: String,
    owner_id: String,
    owner: String,
    outsider: String,
    council_org: String,
    council_user_id: String,
    council: String,
    polanco: String,
    region_org: String,
    investor_org_name: String,
    investor: String,
    stranger: String,
    project: String,
}

async fn cast(app: &TestApp) -> Cast {
    let (_, admin) = user(app, "ana@oficina.example", Role::Admin, Lang::Es, &[]).await;
    let (owner_id, owner) = user(app, "olga@oficina.example", Role::Staff, Lang::Es, &[]).await;
    let (_, outsider) = user(app, "pepe@oficina.example", Role::Staff, Lang::En, &[]).await;
    let council_org = org_named(app, "Ayuntamiento de ejemplo de Torrelavega (demo)").await;
    let polanco_org = org_named(app, "Ayuntamiento de ejemplo de Polanco (demo)").await;
    let region_org = org_named(
        app,
        "Consejería de Industria, Empleo e Innovación de ejemplo (demo)",
    )
    .await;
    let (council_user_id, council) = user(
        app,
        "rosa@ayto-torrelavega.example",
        Role::PactMember,
        Lang::Es,
        &[&council_org],
    )
    .await;
    let (_, polanco) = user(
        app,
        "luis@ayto-polanco.example",
        Role::PactMember,
        Lang::En,
        &[&polanco_org],
    )
    .await;
    let orgs = free_companies(app, 2).await;
    let (investor_org, investor_org_name) = orgs[0].clone();
    let (_, investor) = user(
        app,
        "ines@acme.example",
        Role::Investor,
        Lang::Es,
        &[&investor_org],
    )
    .await;
    let (_, stranger) = user(
        app,
        "otro@rival.example",
        Role::Investor,
        Lang::Es,
        &[&orgs[1].0],
    )
    .await;
    let project = project(
        app,
        "Proyecto Tramites",
        &owner_id,
        Some(&investor_org),
        Some("2410"),
        r#"{"power_kva":{"min":2000,"importance":"required"}}"#,
    )
    .await;
    Cast {
        admin,
        owner_id,
        owner,
        outsider,
        council_org,
        council_user_id,
        council,
        polanco,
        region_org,
        investor_org_name,
        investor,
        stranger,
        project,
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

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::PATCH, path, Some(body)).await
}

async fn delete(app: &TestApp, token: &str, path: &str) -> u16 {
    call(app, token, reqwest::Method::DELETE, path, None)
        .await
        .0
}

fn codes(problem: &Value) -> Vec<(String, String)> {
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

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds catalogue entries to a project (as `token`); returns the new procedures.
async fn add(app: &TestApp, token: &str, project: &str, items: Value) -> Vec<Value> {
    let (s, body) = post(
        app,
        token,
        &format!("/api/v1/projects/{project}/procedures"),
        json!({ "items": items }),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    body["items"].as_array().unwrap().clone()
}

fn proc_path(project: &str, pid: &str) -> String {
    format!("/api/v1/projects/{project}/procedures/{pid}")
}

/// Records an event with the version stored now; returns (status, body).
async fn event(
    app: &TestApp,
    token: &str,
    project: &str,
    pid: &str,
    kind: &str,
    on: Option<Date>,
    extra: Value,
) -> (u16, Value) {
    let version: i64 = sqlx::query_scalar("SELECT version FROM procedures WHERE id = $1")
        .bind(pid)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let mut body = json!({ "kind": kind, "version": version });
    if let Some(d) = on {
        body["on_date"] = json!(format_date(d));
    }
    if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
        b.extend(e);
    }
    post(
        app,
        token,
        &format!("{}/events", proc_path(project, pid)),
        body,
    )
    .await
}

/// The last weekday on or before `d`.
fn weekday_before(d: Date) -> Date {
    let mut cur = d;
    while matches!(cur.weekday(), Weekday::Saturday | Weekday::Sunday) {
        cur = cur.previous_day().unwrap();
    }
    cur
}

fn today() -> Date {
    madrid::today()
}

fn date_of(v: &Value) -> Date {
    parse_date(v.as_str().unwrap_or_else(|| panic!("a date: {v}"))).unwrap()
}

/// `d` plus `n` months, date to date (a day the month lacks: its last day).
fn add_months(d: Date, n: u8) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + i32::from(n);
    let month = time::Month::try_from(u8::try_from(total % 12 + 1).unwrap()).unwrap();
    let year = total / 12;
    Date::from_calendar_date(year, month, d.day().min(month.length(year))).unwrap()
}

/// The new e-mails since `before`.
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

fn mails_now(app: &TestApp) -> Vec<(String, String, String)> {
    if app.config.data_dir.join("mail").exists() {
        app.mails()
    } else {
        Vec::new()
    }
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

// ---- Stories ----

async fn a_building_licence_goes_from_complete_to_granted(app: TestApp) {
    let c = cast(&app).await;
    let t0 = today();
    let mut mails = mails_now(&app);

    // The office adds the building licence, held by the Torrelavega council.
    let added = add(
        &app,
        &c.owner,
        &c.project,
        json!([{ "template_id": BUILDING, "administration_org_id": c.council_org }]),
    )
    .await;
    let pid = added[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(added[0]["status"], "pending");
    assert_eq!(added[0]["term_value"], 3);
    assert_eq!(added[0]["term_unit"], "months");
    assert_eq!(added[0]["silence"], "negative");
    assert_eq!(added[0]["due_on"], Value::Null);
    app.run_jobs().await;
    let sent = new_mails(&app, &mails);
    let to_council: Vec<_> = sent
        .iter()
        .filter(|m| m.0 == "rosa@ayto-torrelavega.example")
        .collect();
    assert_eq!(to_council.len(), 1, "{sent:?}");
    assert!(
        to_council[0].1.contains("Licencia de obra"),
        "{}",
        to_council[0].1
    );
    assert!(to_council[0].1.contains("Proyecto Tramites"));
    assert!(to_council[0].2.contains(&format!("/procedures/{pid}")));
    assert!(!to_council[0].2.contains(&c.investor_org_name));
    mails = app.mails();

    // The council declares the file complete twenty days ago: the clock starts.
    let d0 = weekday_before(t0 - Duration::days(20));
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &pid,
        "complete",
        Some(d0),
        json!({}),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["status"], "running");
    let h = calendar::national();
    let rules = Rules {
        term: Term {
            value: 3,
            unit: TermUnit::Months,
        },
        silence: Silence::Negative,
        holidays: h,
    };
    let before = Clock::replay(rules, [(EventKind::Complete, d0)]).unwrap();
    let due_before = before.due_on(rules).unwrap();
    assert_eq!(date_of(&body["due_on"]), due_before);
    assert_eq!(due_before, h.business_day_on_or_after(add_months(d0, 3)));
    assert_eq!(body["started_on"], format_date(d0));
    assert_eq!(body["elapsed"], (t0 - d0).whole_days());
    assert_eq!(body["overdue"], false);
    assert_eq!(
        strings(&body["allowed_events"]),
        [
            "correction_requested",
            "granted",
            "denied",
            "silence",
            "note"
        ]
    );

    // Ten days ago it asks for a correction: the clock pauses, the investor has a
    // document to upload and an e-mail saying what is asked.
    let d1 = weekday_before(t0 - Duration::days(10));
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &pid,
        "correction_requested",
        Some(d1),
        json!({ "note": "Falta el plano de evacuación de pluviales." }),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["status"], "paused");
    assert_eq!(body["due_on"], Value::Null);
    let request = body["events"][1]["document_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(body["events"][1]["kind"], "correction_requested");
    let (s, docs) = get(
        &app,
        &c.investor,
        &format!("/api/v1/projects/{}/documents", c.project),
    )
    .await;
    assert_eq!(s, 200);
    let doc = docs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == request.as_str())
        .expect("the correction is a document request for the investor")
        .clone();
    assert_eq!(doc["status"], "requested");
    assert_eq!(
        doc["title"],
        "Subsanación: Licencia de obra de nueva planta"
    );
    assert_eq!(
        doc["description"],
        "Falta el plano de evacuación de pluviales."
    );
    app.run_jobs().await;
    let sent = new_mails(&app, &mails);
    let to_investor: Vec<_> = sent.iter().filter(|m| m.0 == "ines@acme.example").collect();
    assert_eq!(to_investor.len(), 1, "{sent:?}");
    assert!(to_investor[0].2.contains("Falta el plano"));
    assert!(
        to_investor[0]
            .2
            .contains(&format!("/portal/projects/{}/procedures/{pid}", c.project))
    );
    // The owner hears of every step the administration records.
    assert!(sent.iter().any(|m| {
        m.0 == "olga@oficina.example"
            && m.2
                .contains(&format!("/office/projects/{}/procedures/{pid}", c.project))
    }));
    mails = app.mails();

    // The investor uploads the file through the portal's API: the correction is
    // recorded today and the clock resumes, moved by the paused days.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf("plano"))
            .file_name("plano.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/projects/{}/documents/{request}/file",
            c.project
        )))
        .bearer_auth(&c.investor)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (s, body) = get(&app, &c.investor, &proc_path(&c.project, &pid)).await;
    assert_eq!(s, 200);
    assert_eq!(body["status"], "running", "{body}");
    let last = body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "corrected");
    assert_eq!(last["on_date"], format_date(t0));
    assert_eq!(last["document_id"], request.as_str());
    let after = Clock::replay(
        rules,
        [
            (EventKind::Complete, d0),
            (EventKind::CorrectionRequested, d1),
            (EventKind::Corrected, t0),
        ],
    )
    .unwrap();
    let due_after = date_of(&body["due_on"]);
    assert_eq!(due_after, after.due_on(rules).unwrap());
    // Ley 39/2015, art. 22.1.a: the days from the request to the correction do not count.
    let paused = (t0 - d1).whole_days();
    assert_eq!(
        due_after,
        h.business_day_on_or_after(add_months(d0, 3) + Duration::days(paused))
    );
    assert!(due_after > due_before);
    assert_eq!(
        body["elapsed"],
        (t0 - d0).whole_days() - paused,
        "the paused days do not count"
    );
    app.run_jobs().await;
    let sent = new_mails(&app, &mails);
    let to_council: Vec<_> = sent
        .iter()
        .filter(|m| m.0 == "rosa@ayto-torrelavega.example")
        .collect();
    assert_eq!(to_council.len(), 1, "{sent:?}");
    assert!(to_council[0].2.contains(&format!("/procedures/{pid}")));
    mails = app.mails();
    // The council reads the correction through its procedure, and nothing else of
    // the project's documents.
    let file = format!("{}/documents/{request}/file", proc_path(&c.project, &pid));
    let res = app
        .client
        .get(app.url(&file))
        .bearer_auth(&c.council)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(get(&app, &c.polanco, &file).await.0, 404);
    let direct = format!("/api/v1/projects/{}/documents/{request}/file", c.project);
    assert_eq!(get(&app, &c.council, &direct).await.0, 404);

    // The council grants it today: decided within the term.
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &pid,
        "granted",
        None,
        json!({}),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["status"], "granted");
    assert_eq!(body["resolved_on"], format_date(t0));
    assert_eq!(body["within_term"], true);
    assert_eq!(strings(&body["allowed_events"]), ["note"]);
    app.run_jobs().await;
    let sent = new_mails(&app, &mails);
    assert!(
        sent.iter().any(|m| m.0 == "olga@oficina.example"),
        "{sent:?}"
    );

    // The investor and the staff see every step and the plan with the last date.
    let (s, list) = get(
        &app,
        &c.investor,
        &format!("/api/v1/projects/{}/procedures", c.project),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(list["items"][0]["status"], "granted");
    assert_eq!(list["plan"]["last"], format_date(t0));
    assert_eq!(strings(&list["plan"]["path"]), vec![pid.clone()]);
    let timeline: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, for_investor FROM project_events WHERE project_id = $1 AND kind LIKE 'procedure_%' ORDER BY at, id",
    )
    .bind(&c.project)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "procedure_added",
            "procedure_complete",
            "procedure_correction_requested",
            "procedure_corrected",
            "procedure_granted"
        ]
    );
    assert!(timeline.iter().all(|(_, inv)| *inv == 1));
    // Every change is audited.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT entity, action FROM audit_log WHERE entity IN ('procedure', 'procedure_event') ORDER BY id",
    )
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    let events = audited
        .iter()
        .filter(|(e, _)| e == "procedure_event")
        .count();
    assert_eq!(events, 4, "{audited:?}");
    assert!(audited.contains(&("procedure".into(), "create".into())));
    assert_eq!(
        audited
            .iter()
            .filter(|(e, a)| e == "procedure" && a == "event")
            .count(),
        4
    );
}

async fn each_side_sees_only_its_own(app: TestApp) {
    let c = cast(&app).await;
    let added = add(
        &app,
        &c.owner,
        &c.project,
        json!([
            { "template_id": BUILDING, "administration_org_id": c.council_org },
            { "template_id": EIA_SIMPLIFIED, "administration_org_id": c.region_org },
        ]),
    )
    .await;
    let building = added.iter().find(|p| p["template_id"] == BUILDING).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let eia = added
        .iter()
        .find(|p| p["template_id"] == EIA_SIMPLIFIED)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The catalogue's dependency is copied: the licence waits for the assessment.
    let b = added.iter().find(|p| p["id"] == building.as_str()).unwrap();
    assert_eq!(strings(&b["depends_on"]), vec![eia.clone()]);
    let list = format!("/api/v1/projects/{}/procedures", c.project);

    // The council sees its procedure only, the code name and the activity, never
    // the investor, the description, the figures or the other administration's.
    let (s, seen) = get(&app, &c.council, &list).await;
    assert_eq!(s, 200);
    let items = seen["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], building.as_str());
    assert_eq!(items[0]["project_code_name"], "Proyecto Tramites");
    assert_eq!(items[0]["project_cnae_code"], "2410");
    assert_eq!(strings(&items[0]["depends_on"]), Vec::<String>::new());
    assert_eq!(seen["plan"]["items"].as_array().unwrap().len(), 1);
    let (s, one) = get(&app, &c.council, &proc_path(&c.project, &building)).await;
    assert_eq!(s, 200);
    for body in [seen.to_string(), one.to_string()] {
        assert!(!body.contains(&c.investor_org_name), "{body}");
        assert!(!body.contains("laminación"), "{body}");
        assert!(!body.contains(&eia), "{body}");
        assert!(!body.contains("12000000"), "{body}");
    }
    assert_eq!(
        get(&app, &c.council, &proc_path(&c.project, &eia)).await.0,
        404
    );
    assert_eq!(
        get(
            &app,
            &c.council,
            &format!("/api/v1/projects/{}/procedures/checklist", c.project)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get(&app, &c.council, &format!("/api/v1/projects/{}", c.project))
            .await
            .0,
        404
    );
    // It may set its file number, nothing else.
    let (s, body) = patch(
        &app,
        &c.council,
        &proc_path(&c.project, &building),
        json!({ "version": one["version"], "file_reference": "OBR/2026/0457" }),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["file_reference"], "OBR/2026/0457");
    let (s, _) = patch(
        &app,
        &c.council,
        &proc_path(&c.project, &building),
        json!({ "version": body["version"], "notes": "quiero cambiar esto" }),
    )
    .await;
    assert_eq!(s, 403);
    // The office's notes stay in the office.
    let (s, noted) = patch(
        &app,
        &c.owner,
        &proc_path(&c.project, &building),
        json!({ "version": body["version"], "notes": "Llamar al arquitecto municipal el lunes" }),
    )
    .await;
    assert_eq!(s, 200, "{noted}");
    assert_eq!(noted["notes"], "Llamar al arquitecto municipal el lunes");
    assert_eq!(noted["file_reference"], "OBR/2026/0457");
    for token in [&c.council, &c.investor] {
        let (_, seen) = get(&app, token, &proc_path(&c.project, &building)).await;
        assert_eq!(seen["notes"], "", "{seen}");
        assert_eq!(seen["version"], noted["version"]);
    }
    let body = noted;

    // Another council: as if nothing existed.
    let (s, _) = get(&app, &c.polanco, &list).await;
    assert_eq!(s, 404);
    assert_eq!(
        get(&app, &c.polanco, &proc_path(&c.project, &building))
            .await
            .0,
        404
    );
    let (s, _) = post(
        &app,
        &c.polanco,
        &format!("{}/events", proc_path(&c.project, &building)),
        json!({ "kind": "complete", "version": body["version"] }),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = patch(
        &app,
        &c.polanco,
        &proc_path(&c.project, &building),
        json!({ "version": body["version"], "file_reference": "X" }),
    )
    .await;
    assert_eq!(s, 404);
    let (s, page) = get(&app, &c.polanco, "/api/v1/procedures").await;
    assert_eq!(s, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 0);

    // Another project's investor: 404 too.
    assert_eq!(get(&app, &c.stranger, &list).await.0, 404);
    assert_eq!(
        get(&app, &c.stranger, &proc_path(&c.project, &building))
            .await
            .0,
        404
    );
    assert_eq!(get(&app, &c.stranger, "/api/v1/procedures").await.0, 403);

    // Staff outside the confidential project see the procedures, not the investor,
    // and record nothing.
    let (s, seen) = get(&app, &c.outsider, &list).await;
    assert_eq!(s, 200);
    assert_eq!(seen["items"].as_array().unwrap().len(), 2);
    assert!(!seen.to_string().contains(&c.investor_org_name));
    let (s, _) = post(
        &app,
        &c.outsider,
        &format!("{}/events", proc_path(&c.project, &building)),
        json!({ "kind": "complete", "version": body["version"] }),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(
        post(
            &app,
            &c.outsider,
            &list,
            json!({ "items": [{ "template_id": URBAN }] })
        )
        .await
        .0,
        403
    );

    // The investor sees both, and may not declare its own file complete.
    let (s, seen) = get(&app, &c.investor, &list).await;
    assert_eq!(s, 200);
    assert_eq!(seen["items"].as_array().unwrap().len(), 2);
    let (s, refused) = event(
        &app,
        &c.investor,
        &c.project,
        &building,
        "complete",
        None,
        json!({}),
    )
    .await;
    assert_eq!(s, 422, "{refused}");
    assert_eq!(codes(&refused), [("kind".into(), "not_permitted".into())]);
    assert_eq!(strings(&refused["allowed"]), ["note"]);
    assert_eq!(
        post(
            &app,
            &c.investor,
            &list,
            json!({ "items": [{ "template_id": URBAN }] })
        )
        .await
        .0,
        403
    );
    // Roles without procedures read no catalogue.
    let (_, company) = user(&app, "c@empresa.example", Role::Company, Lang::Es, &[]).await;
    assert_eq!(
        get(&app, &company, "/api/v1/procedure-templates").await.0,
        403
    );
    assert_eq!(
        get(&app, &c.council, "/api/v1/procedure-templates").await.0,
        200
    );
    let _ = (&c.admin, &c.owner_id, &c.council_user_id);
}

async fn the_catalogue_keeps_versions_and_refuses_cycles(app: TestApp) {
    let c = cast(&app).await;
    let new = json!({
        "code": "licencia_primera_ocupacion",
        "name_es": "Licencia de primera ocupación",
        "name_en": "First occupation licence",
        "level": "council",
        "authority_es": "Ayuntamiento",
        "authority_en": "Council",
        "administration_org_id": c.council_org,
        "legal_basis": "Ley de Cantabria 5/2022",
        "term_value": 20,
        "term_unit": "business_days",
        "term_confirmed": false,
        "silence": "positive",
        "rule_cnae_prefixes": ["24", "25.1"],
        "depends_on": [BUILDING]
    });
    // Staff may read, only the administrator may write.
    assert_eq!(
        post(&app, &c.owner, "/api/v1/procedure-templates", new.clone())
            .await
            .0,
        403
    );
    let res = app
        .client
        .post(app.url("/api/v1/procedure-templates"))
        .bearer_auth(&c.admin)
        .json(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/procedure-templates/{id}"));
    assert_eq!(strings(&created["depends_on"]), [BUILDING]);
    assert_eq!(strings(&created["rule_cnae_prefixes"]), ["24", "251"]);
    assert_eq!(
        created["administration_name"],
        "Ayuntamiento de ejemplo de Torrelavega (demo)"
    );
    assert_eq!(created["version"], 1);
    let (s, again) = post(&app, &c.admin, "/api/v1/procedure-templates", new.clone()).await;
    assert_eq!(s, 422);
    assert_eq!(codes(&again), [("code".into(), "duplicate_code".into())]);
    let mut bad = new.clone();
    bad["code"] = json!("Mal Código");
    bad["term_value"] = json!(0);
    bad["term_unit"] = json!("weeks");
    bad["silence"] = json!("maybe");
    bad["depends_on"] = json!(["01938f00-0000-7000-8000-00000000ffff"]);
    let (s, refused) = post(&app, &c.admin, "/api/v1/procedure-templates", bad).await;
    assert_eq!(s, 422);
    let got = codes(&refused);
    for want in [
        ("code", "invalid_code"),
        ("term_value", "out_of_range"),
        ("term_unit", "invalid_unit"),
        ("silence", "invalid_silence"),
    ] {
        assert!(got.contains(&(want.0.into(), want.1.into())), "{got:?}");
    }
    let mut unknown = new.clone();
    unknown["code"] = json!("otra_cosa");
    unknown["depends_on"] = json!(["01938f00-0000-7000-8000-00000000ffff"]);
    let (s, refused) = post(&app, &c.admin, "/api/v1/procedure-templates", unknown).await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&refused),
        [("depends_on[0]".into(), "unknown_template".into())]
    );

    // Changes name the version read.
    let path = format!("/api/v1/procedure-templates/{id}");
    let (s, stale) = patch(
        &app,
        &c.admin,
        &path,
        json!({ "version": 7, "term_value": 30 }),
    )
    .await;
    assert_eq!(s, 409);
    assert_eq!(stale["current_version"], 1);
    let (s, changed) = patch(
        &app,
        &c.admin,
        &path,
        json!({ "version": 1, "term_value": 30, "term_confirmed": true, "id": "ignored" }),
    )
    .await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(changed["term_value"], 30);
    assert_eq!(changed["version"], 2);
    assert_eq!(
        patch(
            &app,
            &c.owner,
            &path,
            json!({ "version": 2, "term_value": 3 })
        )
        .await
        .0,
        403
    );

    // The building licence waiting for the new entry would close a circle.
    let (_, building) = get(
        &app,
        &c.owner,
        &format!("/api/v1/procedure-templates/{BUILDING}"),
    )
    .await;
    let mut deps = strings(&building["depends_on"]);
    deps.push(id.clone());
    let (s, refused) = patch(
        &app,
        &c.admin,
        &format!("/api/v1/procedure-templates/{BUILDING}"),
        json!({ "version": building["version"], "depends_on": deps }),
    )
    .await;
    assert_eq!(s, 422, "{refused}");
    assert_eq!(
        codes(&refused),
        [("depends_on".into(), "dependency_cycle".into())]
    );
    let (s, itself) = patch(
        &app,
        &c.admin,
        &path,
        json!({ "version": 2, "depends_on": [id.clone()] }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&itself),
        [("depends_on[0]".into(), "self_dependency".into())]
    );

    // A project's procedure keeps its copy when the entry goes.
    let added = add(&app, &c.owner, &c.project, json!([{ "template_id": id }])).await;
    let pid = added[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(added[0]["term_value"], 30);
    assert_eq!(
        delete(&app, &c.admin, &format!("{path}?version=1")).await,
        409
    );
    assert_eq!(
        delete(&app, &c.owner, &format!("{path}?version=2")).await,
        403
    );
    assert_eq!(
        delete(&app, &c.admin, &format!("{path}?version=2")).await,
        204
    );
    assert_eq!(get(&app, &c.admin, &path).await.0, 404);
    let (s, kept) = get(&app, &c.owner, &proc_path(&c.project, &pid)).await;
    assert_eq!(s, 200);
    assert_eq!(kept["template_id"], Value::Null);
    assert_eq!(kept["name_es"], "Licencia de primera ocupación");
    assert_eq!(kept["term_value"], 30);
    let (s, all) = get(&app, &c.investor, "/api/v1/procedure-templates?active=true").await;
    assert_eq!(s, 200);
    assert_eq!(all.as_array().unwrap().len(), 10);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'procedure_template' AND entity_id = $1",
    )
    .bind(&id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 3, "create, update, delete");
}

async fn a_local_holiday_moves_the_due_date(app: TestApp) {
    let c = cast(&app).await;
    let added = add(
        &app,
        &c.owner,
        &c.project,
        json!([{ "template_id": URBAN, "administration_org_id": c.council_org }]),
    )
    .await;
    let pid = added[0]["id"].as_str().unwrap().to_owned();
    let d0 = weekday_before(today() - Duration::days(3));
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &pid,
        "complete",
        Some(d0),
        json!({}),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    let h = calendar::national();
    let due = date_of(&body["due_on"]);
    assert_eq!(due, h.add_business_days(d0, 30));
    // A business day inside the term becomes Torrelavega's local holiday.
    let mut local = d0 + Duration::days(7);
    while !h.is_business_day(local) {
        local += Duration::days(1);
    }
    assert!(local < due);
    let holiday = json!({
        "municipality_code": "39087",
        "on_date": format_date(local),
        "name_es": "Fiesta de la Virgen Grande",
        "name_en": "Virgen Grande festivity"
    });
    assert_eq!(
        post(&app, &c.owner, "/api/v1/local-holidays", holiday.clone())
            .await
            .0,
        403
    );
    let (s, created) = post(&app, &c.admin, "/api/v1/local-holidays", holiday.clone()).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(created["municipality_name"], "Torrelavega");
    let (s, again) = post(&app, &c.admin, "/api/v1/local-holidays", holiday).await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&again),
        [("on_date".into(), "duplicate_holiday".into())]
    );
    let (s, unknown) = post(
        &app,
        &c.admin,
        "/api/v1/local-holidays",
        json!({ "municipality_code": "99999", "on_date": "2026-13-01", "name_es": "", "name_en": "x" }),
    )
    .await;
    assert_eq!(s, 422);
    let got = codes(&unknown);
    assert!(
        got.contains(&("on_date".into(), "invalid_date".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("name_es".into(), "required".into())),
        "{got:?}"
    );

    let (_, moved) = get(&app, &c.council, &proc_path(&c.project, &pid)).await;
    let with_local: Holidays = h.with([local]);
    assert_eq!(
        date_of(&moved["due_on"]),
        with_local.add_business_days(d0, 30)
    );
    assert_eq!(date_of(&moved["due_on"]), h.add_business_days(due, 1));
    let (s, list) = get(&app, &c.council, "/api/v1/local-holidays").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Removed, the due date goes back.
    let hid = created["id"].as_str().unwrap();
    assert_eq!(
        delete(&app, &c.owner, &format!("/api/v1/local-holidays/{hid}")).await,
        403
    );
    assert_eq!(
        delete(&app, &c.admin, &format!("/api/v1/local-holidays/{hid}")).await,
        204
    );
    assert_eq!(
        delete(&app, &c.admin, &format!("/api/v1/local-holidays/{hid}")).await,
        404
    );
    let (_, back) = get(&app, &c.council, &proc_path(&c.project, &pid)).await;
    assert_eq!(date_of(&back["due_on"]), due);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'local_holiday'")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 2);
}

async fn refused_events_say_what_is_allowed(app: TestApp) {
    let c = cast(&app).await;
    let added = add(
        &app,
        &c.owner,
        &c.project,
        json!([
            { "template_id": BUILDING, "administration_org_id": c.council_org },
            { "template_id": URBAN, "administration_org_id": c.council_org },
        ]),
    )
    .await;
    let id_of = |t: &str| {
        added.iter().find(|p| p["template_id"] == t).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (building, urban) = (id_of(BUILDING), id_of(URBAN));
    let t0 = today();
    let d0 = weekday_before(t0 - Duration::days(10));

    // Nothing but filing, completing or a note before the file is complete.
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "granted",
        Some(d0),
        json!({}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(codes(&refused), [("kind".into(), "not_allowed".into())]);
    assert_eq!(strings(&refused["allowed"]), ["filed", "complete", "note"]);
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "approved",
        None,
        json!({}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(codes(&refused), [("kind".into(), "invalid_kind".into())]);
    // Not in the future, and dates as dates.
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "complete",
        Some(t0 + Duration::days(1)),
        json!({}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&refused),
        [("on_date".into(), "date_in_future".into())]
    );
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "complete",
        None,
        json!({ "on_date": "31/02/2026" }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(codes(&refused), [("on_date".into(), "invalid_date".into())]);
    let (s, _) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "complete",
        Some(d0),
        json!({}),
    )
    .await;
    assert_eq!(s, 201);
    // Not before the last step.
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "granted",
        Some(d0 - Duration::days(3)),
        json!({}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&refused),
        [("on_date".into(), "before_previous".into())]
    );
    // Silence only once the term has passed.
    let (s, refused) = event(
        &app,
        &c.council,
        &c.project,
        &building,
        "silence",
        None,
        json!({}),
    )
    .await;
    assert_eq!(s, 422, "{refused}");
    assert_eq!(codes(&refused), [("kind".into(), "term_not_passed".into())]);
    assert_eq!(
        strings(&refused["allowed"]),
        [
            "correction_requested",
            "granted",
            "denied",
            "silence",
            "note"
        ]
    );
    // A stale version.
    let (s, _) = post(
        &app,
        &c.council,
        &format!("{}/events", proc_path(&c.project, &building)),
        json!({ "kind": "note", "version": 1, "note": "hola" }),
    )
    .await;
    assert_eq!(s, 409);
    // A document of another project is not one to hand in.
    let (s, refused) = event(
        &app,
        &c.owner,
        &c.project,
        &building,
        "granted",
        None,
        json!({ "document_id": "01938f00-0000-7000-8000-00000000dead" }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&refused),
        [("document_id".into(), "unknown_document".into())]
    );

    // Completed long ago, the urban report is overdue: silence applies, positive.
    let long_ago = weekday_before(t0 - Duration::days(200));
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &urban,
        "complete",
        Some(long_ago),
        json!({}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(body["overdue"], true);
    assert!(body["remaining"].as_i64().unwrap() < 0);
    let (s, overdue) = get(&app, &c.council, "/api/v1/procedures?overdue=true").await;
    assert_eq!(s, 200);
    let ids: Vec<&str> = overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [urban.as_str()]);
    let (s, body) = event(
        &app,
        &c.council,
        &c.project,
        &urban,
        "silence",
        None,
        json!({}),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["status"], "silence_positive");
    assert_eq!(body["within_term"], false);
    assert_eq!(body["overdue"], false);
}

async fn the_administrations_list_filters_and_pages(app: TestApp) {
    let c = cast(&app).await;
    let mut council_ids = Vec::new();
    for n in 0..4 {
        let p = project(
            &app,
            &format!("Proyecto Lista {n}"),
            &c.owner_id,
            None,
            None,
            "{}",
        )
        .await;
        let added = add(
            &app,
            &c.owner,
            &p,
            json!([
                { "template_id": URBAN, "administration_org_id": c.council_org },
                { "template_id": GRID, "administration_org_id": c.region_org },
            ]),
        )
        .await;
        let urban = added.iter().find(|x| x["template_id"] == URBAN).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if n < 2 {
            let d = weekday_before(today() - Duration::days(5 + 3 * n));
            let (s, _) = event(&app, &c.council, &p, &urban, "complete", Some(d), json!({})).await;
            assert_eq!(s, 201);
        }
        council_ids.push(urban);
    }
    // Pages of two, through every procedure the council holds, by due date then none.
    let mut seen: Vec<Value> = Vec::new();
    let mut path = "/api/v1/procedures?limit=2".to_owned();
    loop {
        let (s, page) = get(&app, &c.council, &path).await;
        assert_eq!(s, 200, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cur) => path = format!("/api/v1/procedures?limit=2&cursor={cur}"),
            None => break,
        }
    }
    let mut ids: Vec<String> = seen
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(
        seen.iter()
            .all(|p| p["administration_org_id"] == c.council_org.as_str())
    );
    assert!(seen.iter().all(|p| p["notes"] == ""));
    let dues: Vec<Option<&str>> = seen.iter().map(|p| p["due_on"].as_str()).collect();
    assert!(dues[0].is_some() && dues[1].is_some() && dues[2].is_none() && dues[3].is_none());
    assert!(dues[0] <= dues[1]);
    ids.sort();
    let mut want = council_ids.clone();
    want.sort();
    assert_eq!(ids, want);

    // Filters: a status, words of the code name.
    let (_, running) = get(&app, &c.council, "/api/v1/procedures?status=running").await;
    assert_eq!(running["items"].as_array().unwrap().len(), 2);
    let (_, one) = get(&app, &c.council, "/api/v1/procedures?q=lista%203").await;
    let items = one["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["project_code_name"], "Proyecto Lista 3");
    // A search pages like the list: dated first, then the rest.
    let mut found: Vec<Value> = Vec::new();
    let mut path = "/api/v1/procedures?q=LISTA&limit=3".to_owned();
    loop {
        let (s, page) = get(&app, &c.council, &path).await;
        assert_eq!(s, 200, "{page}");
        found.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cur) => path = format!("/api/v1/procedures?q=LISTA&limit=3&cursor={cur}"),
            None => break,
        }
    }
    let found_ids: Vec<&str> = found.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let listed: Vec<&str> = seen.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(found_ids, listed, "the same order as the list");
    let (s, bad) = get(&app, &c.council, "/api/v1/procedures?status=flying").await;
    assert_eq!(s, 422);
    assert_eq!(codes(&bad), [("status".into(), "invalid_status".into())]);
    assert_eq!(
        get(&app, &c.council, "/api/v1/procedures?cursor=zzz")
            .await
            .0,
        422
    );
    assert_eq!(
        get(&app, &c.council, "/api/v1/procedures?limit=0").await.0,
        422
    );
    // Another administration's procedures are not in the council's list, even asked for.
    let (_, other) = get(
        &app,
        &c.council,
        &format!("/api/v1/procedures?administration_org_id={}", c.region_org),
    )
    .await;
    assert_eq!(other["items"].as_array().unwrap().len(), 0);
    // The office sees them all, or one administration's.
    let (_, all) = get(&app, &c.owner, "/api/v1/procedures?limit=100").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 8);
    let (_, region) = get(
        &app,
        &c.owner,
        &format!("/api/v1/procedures?administration_org_id={}", c.region_org),
    )
    .await;
    assert_eq!(region["items"].as_array().unwrap().len(), 4);
    assert_eq!(get(&app, &c.investor, "/api/v1/procedures").await.0, 403);
}

async fn the_checklist_proposes_by_activity_and_power(app: TestApp) {
    let c = cast(&app).await;
    let path = format!("/api/v1/projects/{}/procedures/checklist", c.project);
    let (s, list) = get(&app, &c.owner, &path).await;
    assert_eq!(s, 200, "{list}");
    let entry = |code: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["template"]["code"] == code)
            .unwrap_or_else(|| panic!("{code} in the checklist"))
            .clone()
    };
    // A steelworks (CNAE 24.10) asking for 2,000 kVA.
    let iea = entry("integrated_environmental_authorisation");
    assert_eq!(iea["applies"], true);
    assert_eq!(
        iea["reasons"],
        json!([{ "reason": "cnae_in", "prefix": "24" }])
    );
    let grid = entry("grid_access_connection");
    assert_eq!(grid["applies"], true);
    assert_eq!(
        grid["reasons"],
        json!([{ "reason": "power_at_least", "min": 1000.0 }])
    );
    let building = entry("building_licence");
    assert_eq!(building["applies"], true);
    assert_eq!(building["reasons"], json!([{ "reason": "always" }]));
    let simplified = entry("eia_simplified");
    assert_eq!(simplified["applies"], false);
    assert_eq!(simplified["reasons"], json!([{ "reason": "cnae_outside" }]));
    assert_eq!(iea["added"], false);
    // Added (with the catalogue's default administration, or none: then refused).
    let (s, refused) = post(
        &app,
        &c.owner,
        &format!("/api/v1/projects/{}/procedures", c.project),
        json!({ "items": [{ "template_id": IEA }] }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&refused),
        [(
            "items[0].administration_org_id".into(),
            "no_administration".into()
        )]
    );
    add(
        &app,
        &c.owner,
        &c.project,
        json!([{ "template_id": IEA, "administration_org_id": c.region_org }]),
    )
    .await;
    let (_, list) = get(&app, &c.owner, &path).await;
    let iea = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["template"]["id"] == IEA)
        .unwrap()
        .clone();
    assert_eq!(iea["added"], true);
    let (s, twice) = post(
        &app,
        &c.owner,
        &format!("/api/v1/projects/{}/procedures", c.project),
        json!({ "items": [{ "template_id": IEA, "administration_org_id": c.region_org }] }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(
        codes(&twice),
        [("items[0].template_id".into(), "already_added".into())]
    );
    // The investor follows its procedures but does not plan them.
    assert_eq!(get(&app, &c.investor, &path).await.0, 403);
    // A project deleted takes its procedures with it.
    assert_eq!(
        delete(&app, &c.admin, &format!("/api/v1/projects/{}", c.project)).await,
        204
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM procedures")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

async fn the_demo_shows_every_kind_of_procedure(app: TestApp) {
    besaya::office::demo::load(&app.state.db, 0).await.unwrap();
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM procedures")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap()
    };
    let first = count().await;
    assert!(first >= 12, "{first}");
    // Loaded once.
    besaya::demo::load(&app.state.db, &app.config, 0)
        .await
        .unwrap();
    assert_eq!(count().await, first);

    // The council's demo user follows its procedures across projects.
    let council_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email_norm = $1")
        .bind(besaya::office::procedures::demo::COUNCIL_USER_EMAIL)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let (_, council) = besaya::auth::tokens::create(&mut tx, None, &council_id, "demo")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (s, page) = get(&app, &council, "/api/v1/procedures?limit=100").await;
    assert_eq!(s, 200);
    let mine = page["items"].as_array().unwrap();
    assert!(mine.len() >= 5, "{page}");
    assert!(
        mine.iter()
            .all(|p| p["administration_name"] == "Ayuntamiento de ejemplo de Torrelavega (demo)")
    );
    let paused = mine
        .iter()
        .find(|p| p["status"] == "paused")
        .expect("a procedure paused for a correction");
    assert_eq!(paused["project_code_name"], "Proyecto Galerna");
    let (_, detail) = get(
        &app,
        &council,
        &proc_path(
            paused["project_id"].as_str().unwrap(),
            paused["id"].as_str().unwrap(),
        ),
    )
    .await;
    let request = detail["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(request["kind"], "correction_requested");
    let status: String = sqlx::query_scalar("SELECT status FROM project_documents WHERE id = $1")
        .bind(request["document_id"].as_str().unwrap())
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(
        status, "requested",
        "the investor has the correction to upload"
    );

    // Across administrations: one overdue, one resolved by silence, some granted.
    let (_, admin) = user(&app, "ana@oficina.example", Role::Admin, Lang::Es, &[]).await;
    let (_, all) = get(&app, &admin, "/api/v1/procedures?limit=100").await;
    let all = all["items"].as_array().unwrap();
    let by = |code: &str, name: &str| {
        all.iter()
            .find(|p| p["project_code_name"] == code && p["template_code"] == name)
            .unwrap_or_else(|| panic!("{code} {name}"))
            .clone()
    };
    let overdue = by("Proyecto Faro", "building_licence");
    assert_eq!(overdue["status"], "running");
    assert_eq!(overdue["overdue"], true);
    let silence = by("Proyecto Hayedo", "urban_compatibility_report");
    assert_eq!(silence["status"], "silence_positive");
    assert_eq!(silence["within_term"], false);
    assert!(
        all.iter()
            .any(|p| p["status"] == "granted" && p["within_term"] == true)
    );
    assert!(all.iter().any(|p| p["status"] == "pending"));
    // The plan of a project follows the catalogue's dependencies.
    let galerna = paused["project_id"].as_str().unwrap();
    let (_, plan) = get(
        &app,
        &admin,
        &format!("/api/v1/projects/{galerna}/procedures/plan"),
    )
    .await;
    assert!(plan["last"].is_string(), "{plan}");
    assert!(!plan["path"].as_array().unwrap().is_empty());
    // The catalogue proposes the demo administrations by default.
    let (_, building) = get(
        &app,
        &admin,
        &format!("/api/v1/procedure-templates/{BUILDING}"),
    )
    .await;
    assert_eq!(
        building["administration_name"],
        "Ayuntamiento de ejemplo de Torrelavega (demo)"
    );

    // With a scale, the generated projects give the council about 0.4 per unit.
    besaya::office::demo::load(&app.state.db, 200)
        .await
        .unwrap();
    let generated: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedures p JOIN projects pr ON pr.id = p.project_id \
         JOIN organizations o ON o.id = p.administration_org_id \
         WHERE pr.code_name LIKE 'G-%' AND o.name = 'Ayuntamiento de ejemplo de Torrelavega (demo)'",
    )
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(generated, 80);
    let (s, page) = get(&app, &council, "/api/v1/procedures?overdue=true&limit=500").await;
    assert_eq!(s, 200);
    assert!(page["items"].as_array().unwrap().len() > 1);
}

/// Deleting the directory record of an administration that decides procedures
/// would lose their clocks (and used to fail with a server error): it is refused
/// with 409; merging it moves its procedures and catalogue entries to the survivor.
async fn an_administration_with_procedures_is_merged_not_deleted(app: TestApp) {
    besaya::office::demo::load(&app.state.db, 0).await.unwrap();
    let c = cast(&app).await;
    let version = |id: String| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>("SELECT version FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_one(app.state.db.reader())
                .await
                .unwrap()
        }
    };
    let held = |id: String| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM procedures WHERE administration_org_id = $1",
            )
            .bind(id)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap()
        }
    };
    // A council without users of its own, that the demo gives procedures.
    let corrales = org_named(
        &app,
        "Ayuntamiento de ejemplo de Los Corrales de Buelna (demo)",
    )
    .await;
    let before = held(corrales.clone()).await;
    assert!(before > 0, "the demo assigns procedures to the council");
    let v = version(corrales.clone()).await;
    let path = format!("/api/v1/organizations/{corrales}?version={v}");
    let (s, body) = call(&app, &c.admin, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(s, 409, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("procedure"),
        "{body}"
    );
    assert_eq!(held(corrales.clone()).await, before);

    // Merged into another council's record (as a duplicate would be): its
    // procedures follow.
    let council_before = held(c.council_org.clone()).await;
    let (s, body) = post(
        &app,
        &c.admin,
        &format!("/api/v1/organizations/{}/merge", c.council_org),
        json!({ "from": corrales, "version": version(c.council_org.clone()).await }),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(held(corrales.clone()).await, 0);
    assert_eq!(held(c.council_org.clone()).await, council_before + before);
}
