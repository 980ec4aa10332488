//! The Pact's dashboard, public summary, scan and follow-ups, on both databases:
//! the figures of hand-built needs (median business days to the first answer with
//! the New Year and Epiphany holidays skipped, the share within target, the
//! overdue list, agreements and amounts) — who sees what (office: owners and
//! brokers; pact member: references only; company: 404); the public summary
//! without anything confidential; the scan e-mails each overdue need and each
//! follow-up once, even with two scans at the same time, and expires needs past
//! their deadline; a follow-up is answered once, by its side only.

use besaya::auth::User;
use besaya::pact::dashboard;
use besaya::pact::jobs;
use besaya_domain::Role;
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::date;

use crate::helpers::{PASSWORD, TestApp, backends, link_in, new_client};

backends!(
    the_figures_are_computed_from_the_needs_with_business_days,
    the_public_summary_has_no_confidential_text,
    the_scan_sends_each_mail_once_and_expires_needs,
    a_followup_is_answered_once_by_its_side,
    the_demo_has_every_state_once,
);

async fn org(app: &TestApp, name: &str, email: Option<&str>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, email, version, created_at, updated_at) \
         VALUES ($1, $2, 'company', $3, $4, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
    )
    .bind(&id)
    .bind(name)
    .bind(format!("T{}", &uuid::Uuid::now_v7().simple().to_string()[20..]))
    .bind(email)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

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

/// A need as the store would have left it.
#[derive(Clone, Default)]
struct N<'a> {
    kind: &'a str,
    title: &'a str,
    status: &'a str,
    owner: &'a str,
    broker: Option<&'a str>,
    published: Option<&'a str>,
    first_answer: Option<&'a str>,
    deadline: Option<&'a str>,
    amount_cents: Option<i64>,
}

async fn need(app: &TestApp, n: N<'_>) -> (String, String) {
    let id = uuid::Uuid::now_v7().to_string();
    let reference = format!("NEC-T-{}", &uuid::Uuid::now_v7().simple().to_string()[22..]);
    sqlx::query(
        "INSERT INTO needs (id, reference, kind, title, summary, owner_org_id, status, broker_id, published_at, \
         first_answer_at, deadline, agreed_amount_cents, agreed_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'Resumen confidencial de la necesidad', $5, $6, $7, $8, $9, $10, $11, $12, 1, \
         '2025-12-01T09:00:00Z', '2025-12-01T09:00:00Z')",
    )
    .bind(&id)
    .bind(&reference)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.owner)
    .bind(n.status)
    .bind(n.broker)
    .bind(n.published)
    .bind(n.first_answer)
    .bind(n.deadline)
    .bind(n.amount_cents)
    .bind((n.status == "agreed").then_some("2026-01-09T12:00:00Z"))
    .execute(app.state.db.writer())
    .await
    .unwrap();
    (id, reference)
}

async fn answer(app: &TestApp, need_id: &str, org: &str, status: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO need_answers (id, need_id, organization_id, status, invited_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '2025-12-01T09:00:00Z', 1, '2025-12-01T09:00:00Z', '2025-12-01T09:00:00Z')",
    )
    .bind(&id)
    .bind(need_id)
    .bind(org)
    .bind(status)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

async fn followup(
    app: &TestApp,
    need_id: &str,
    answer_id: &str,
    side: &str,
    months: i64,
    due: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO need_followups (id, need_id, answer_id, side, months, due_on) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(need_id)
    .bind(answer_id)
    .bind(side)
    .bind(months)
    .bind(due)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

async fn api(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Five published needs around New Year and Epiphany 2026, seen on Monday 12 January:
/// - A (service, agreed, 185.000 €): published Wed 31 Dec, first answer Wed 7 Jan —
///   3 business days (1 and 6 January skipped; 5 without the holidays): within 5;
/// - B (service): Fri 2 Jan → Mon 5 Jan, 1 day: within;
/// - C (supply): Mon 22 Dec → Thu 8 Jan, 10 days: late;
/// - D (service): published Fri 2 Jan, unanswered, due Mon 12 Jan (today): undecided;
/// - E (talent, target 10): published Mon 15 Dec, unanswered, due Tue 30 Dec: overdue
///   by 7 business days;
/// - and a draft, which is not on the clock.
///
/// Median of 3, 1, 10 = 3; within target 2 of the 4 decided (A, B, C, E) = 50 %.
async fn the_figures_are_computed_from_the_needs_with_business_days(app: TestApp) {
    let owner = org(&app, "Aceros Confidenciales, S.A.", None).await;
    let broker = app
        .create_user("broker@besaya.example", Role::Staff, PASSWORD)
        .await;
    let base = N {
        kind: "service",
        status: "answered",
        owner: &owner,
        ..N::default()
    };
    need(
        &app,
        N {
            title: "Necesidad A",
            status: "agreed",
            published: Some("2025-12-31T09:00:00Z"),
            first_answer: Some("2026-01-07T10:00:00Z"),
            amount_cents: Some(18_500_000),
            ..base.clone()
        },
    )
    .await;
    need(
        &app,
        N {
            title: "Necesidad B",
            published: Some("2026-01-02T09:00:00Z"),
            first_answer: Some("2026-01-05T10:00:00Z"),
            ..base.clone()
        },
    )
    .await;
    need(
        &app,
        N {
            title: "Necesidad C",
            kind: "supply",
            status: "negotiating",
            published: Some("2025-12-22T09:00:00Z"),
            first_answer: Some("2026-01-08T10:00:00Z"),
            ..base.clone()
        },
    )
    .await;
    need(
        &app,
        N {
            title: "Necesidad D",
            status: "published",
            published: Some("2026-01-02T09:00:00Z"),
            ..base.clone()
        },
    )
    .await;
    let (e_id, e_ref) = need(
        &app,
        N {
            title: "Quince torneros CNC",
            kind: "talent",
            status: "published",
            broker: Some(&broker),
            published: Some("2025-12-15T09:00:00Z"),
            ..base.clone()
        },
    )
    .await;
    need(
        &app,
        N {
            title: "Borrador",
            status: "draft",
            ..base.clone()
        },
    )
    .await;

    let office = user(&app, &broker).await;
    let today = date!(2026 - 01 - 12);
    let d = dashboard::compute(&app.state.db, &office, today, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let t = &d.total;
    assert_eq!(t.needs, 6);
    assert_eq!(t.published, 5);
    assert_eq!(t.answered, 3);
    assert_eq!(
        t.median_days_to_first_answer,
        Some(3),
        "holidays are not business days"
    );
    assert_eq!((t.within_target, t.decided), (2, 4));
    assert_eq!(t.within_target_share, Some(0.5));
    assert_eq!(t.overdue, 1);
    assert_eq!((t.agreements, t.awarded_cents), (1, 18_500_000));
    // By kind: services A, B, D (and the draft); talent E; supply C.
    let kind = |k: &str| d.kinds.iter().find(|x| x.kind == k).unwrap();
    assert_eq!(kind("service").figures.needs, 4);
    assert_eq!(kind("service").figures.median_days_to_first_answer, Some(2));
    assert_eq!(kind("talent").target_days, 10);
    assert_eq!(kind("talent").figures.overdue, 1);
    assert_eq!(kind("supply").figures.within_target_share, Some(0.0));
    assert_eq!(d.kinds.len(), 8);
    let count = |s: &str| d.statuses.iter().find(|x| x.status == s).unwrap().count;
    assert_eq!(
        (count("draft"), count("published"), count("agreed")),
        (1, 2, 1)
    );
    // The overdue list: E, 7 business days late, with owner and broker for the office.
    assert_eq!(d.overdue.len(), 1);
    let o = &d.overdue[0];
    assert_eq!(
        (o.need_id.as_str(), o.reference.as_str()),
        (e_id.as_str(), e_ref.as_str())
    );
    assert_eq!(o.due_on, "2025-12-30");
    assert_eq!(o.business_days_late, 7);
    assert_eq!(o.owner_name.as_deref(), Some("Aceros Confidenciales, S.A."));
    assert_eq!(o.broker_name.as_deref(), Some("Test staff"));

    // A pact member sees the reference and title, never the owner or broker.
    let (_, member_id) = app.token(Role::PactMember).await;
    let member = user(&app, &member_id).await;
    let m = dashboard::compute(&app.state.db, &member, today, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(m.overdue[0].reference, e_ref);
    assert_eq!(m.overdue[0].owner_name, None);
    assert_eq!(m.overdue[0].broker_name, None);

    // Through the API and the pages: office and pact members 200, a company 404.
    let (office_token, _) = app.token(Role::Staff).await;
    let (status, body) = api(&app, "/api/v1/pact/dashboard", Some(&office_token)).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"]["median_days_to_first_answer"], 3);
    assert_eq!(body["total"]["awarded_cents"], 18_500_000);
    let (member_token, _) = app.token(Role::PactMember).await;
    let (status, body) = api(&app, "/api/v1/pact/dashboard", Some(&member_token)).await;
    assert_eq!(status, 200);
    assert!(
        !body.to_string().contains("Aceros Confidenciales"),
        "{body}"
    );
    let (company_token, _) = app.token(Role::Company).await;
    let (status, _) = api(&app, "/api/v1/pact/dashboard", Some(&company_token)).await;
    assert_eq!(status, 404);
    let (status, _) = api(&app, "/api/v1/pact/dashboard", None).await;
    assert_eq!(status, 401);

    let (client, _) = app.signed_in(Role::Staff).await;
    let html = client
        .get(app.url("/pact/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Pacto: cuadro de mando"), "{html}");
    assert!(html.contains("Quince torneros CNC"));
    assert!(html.contains("Aceros Confidenciales, S.A."));
    assert!(html.contains("185.000 €"), "the amount in Spanish");
    let (client, _) = app.signed_in(Role::PactMember).await;
    let res = client.get(app.url("/pact/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Quince torneros CNC"));
    assert!(!html.contains("Aceros Confidenciales"));
    let (client, _) = app.signed_in(Role::Company).await;
    let res = client.get(app.url("/pact/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

async fn the_public_summary_has_no_confidential_text(app: TestApp) {
    let owner = org(&app, "Tractora Secreta, S.A.", None).await;
    let (_, reference) = need(
        &app,
        N {
            kind: "service",
            title: "Mantenimiento confidencial de la línea 3",
            status: "agreed",
            owner: &owner,
            published: Some("2025-12-31T09:00:00Z"),
            first_answer: Some("2026-01-07T10:00:00Z"),
            amount_cents: Some(12_345_600),
            ..N::default()
        },
    )
    .await;
    need(
        &app,
        N {
            kind: "talent",
            title: "Perfiles secretos",
            status: "published",
            owner: &owner,
            published: Some("2026-01-02T09:00:00Z"),
            ..N::default()
        },
    )
    .await;
    let secrets = [
        "Tractora Secreta",
        "Mantenimiento confidencial",
        "Perfiles secretos",
        "Resumen confidencial",
        reference.as_str(),
    ];
    // No login needed.
    let (status, body) = api(&app, "/api/v1/pact/summary", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["published"], 2);
    assert_eq!(body["answered"], 1);
    assert_eq!(body["agreed"], 1);
    assert_eq!(body["awarded_eur"], 123_456);
    assert_eq!(body["median_days_to_first_answer"], 3);
    // Long past both targets: A answered within 5 days, the talent need never answered.
    assert_eq!(body["within_target_share"], 0.5);
    let talent = body["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "talent")
        .unwrap();
    assert_eq!(
        (talent["published"].as_i64(), talent["answered"].as_i64()),
        (Some(1), Some(0))
    );
    let text = body.to_string();
    for s in secrets {
        assert!(!text.contains(s), "{s} in {text}");
    }
    for lang in ["es", "en"] {
        let res = new_client()
            .get(app.url("/pact/summary"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        for s in secrets {
            assert!(!html.contains(s), "{s} in the {lang} page");
        }
        let title = if lang == "es" {
            "El Pacto en cifras"
        } else {
            "The Pact in figures"
        };
        assert!(html.contains(title), "{html}");
    }
    // It is documented, without security.
    let doc = app.get_json("/api/v1/openapi.json", 200).await;
    assert!(doc["paths"]["/api/v1/pact/summary"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/pact/dashboard"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/pact/summary"]["get"]["security"].is_null());
}

async fn the_scan_sends_each_mail_once_and_expires_needs(app: TestApp) {
    let owner = org(&app, "Dueña, S.A.", None).await;
    let candidate = org(
        &app,
        "Candidata Sin Usuarios, S.L.",
        Some("info@candidata.example"),
    )
    .await;
    let broker = app
        .create_user("broker-scan@besaya.example", Role::Staff, PASSWORD)
        .await;
    let owner_user = app
        .create_user("compras@duena.example", Role::Company, PASSWORD)
        .await;
    member_of(&app, &owner_user, &owner).await;
    // Published Fri 2 Jan, service (5 days): due Mon 12 Jan; seen on Tue 20 Jan, overdue.
    let (late_id, late_ref) = need(
        &app,
        N {
            kind: "service",
            title: "Limpieza industrial",
            status: "published",
            owner: &owner,
            broker: Some(&broker),
            published: Some("2026-01-02T09:00:00Z"),
            deadline: Some("2026-03-01"),
            ..N::default()
        },
    )
    .await;
    // Answered in time: no notice.
    need(
        &app,
        N {
            kind: "service",
            title: "Respondida",
            status: "answered",
            owner: &owner,
            broker: Some(&broker),
            published: Some("2026-01-02T09:00:00Z"),
            first_answer: Some("2026-01-05T09:00:00Z"),
            deadline: Some("2026-03-01"),
            ..N::default()
        },
    )
    .await;
    // Deadline passed: expired (and so never notified as overdue).
    let (gone_id, _) = need(
        &app,
        N {
            kind: "land",
            title: "Nave en alquiler",
            status: "published",
            owner: &owner,
            published: Some("2025-12-01T09:00:00Z"),
            deadline: Some("2026-01-10"),
            ..N::default()
        },
    )
    .await;
    // An agreement with its follow-ups: the 3-month ones due, the 6-month ones not.
    let (agreed_id, agreed_ref) = need(
        &app,
        N {
            kind: "supply",
            title: "Estructuras",
            status: "agreed",
            owner: &owner,
            published: Some("2025-06-02T09:00:00Z"),
            first_answer: Some("2025-06-03T09:00:00Z"),
            amount_cents: Some(100),
            ..N::default()
        },
    )
    .await;
    let accepted = answer(&app, &agreed_id, &candidate, "accepted").await;
    let owner_3 = followup(&app, &agreed_id, &accepted, "owner", 3, "2026-01-15").await;
    followup(&app, &agreed_id, &accepted, "candidate", 3, "2026-01-15").await;
    followup(&app, &agreed_id, &accepted, "owner", 6, "2026-04-15").await;

    let today = date!(2026 - 01 - 20);
    // Two instances scanning at once: each notice and follow-up goes out once.
    let (a, b) = tokio::join!(
        jobs::scan_on(&app.state, today),
        jobs::scan_on(&app.state, today)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.overdue_notified + b.overdue_notified, 1, "{a:?} {b:?}");
    assert_eq!(a.followups_sent + b.followups_sent, 2, "{a:?} {b:?}");
    assert_eq!(a.expired + b.expired, 1, "{a:?} {b:?}");
    let again = jobs::scan_on(&app.state, today).await.unwrap();
    assert_eq!(again, jobs::ScanReport::default());

    let status: String = sqlx::query_scalar("SELECT status FROM needs WHERE id = $1")
        .bind(&gone_id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "expired");
    let notified: Option<String> =
        sqlx::query_scalar("SELECT overdue_notified_at FROM needs WHERE id = $1")
            .bind(&late_id)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert!(notified.is_some());
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM need_events WHERE need_id = $1 AND kind = 'overdue_notified'",
    )
    .bind(&late_id)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(events, 1);

    app.run_jobs().await;
    let mails = app.mails();
    let to = |addr: &str| mails.iter().filter(|m| m.0 == addr).collect::<Vec<_>>();
    // The broker alone, about the overdue need, in Spanish, with its link.
    let broker_mails = to("broker-scan@besaya.example");
    assert_eq!(broker_mails.len(), 1, "{mails:?}");
    assert!(
        broker_mails[0].1.contains(&late_ref),
        "{}",
        broker_mails[0].1
    );
    assert!(
        broker_mails[0]
            .1
            .starts_with("Sin respuesta fuera de plazo")
    );
    assert!(
        broker_mails[0]
            .2
            .contains(&format!("/pact/needs/{late_id}"))
    );
    assert!(
        broker_mails[0].2.contains("12/01/2026"),
        "{}",
        broker_mails[0].2
    );
    // The follow-ups: the owner's user and the candidate's own address, each once.
    let owner_mails = to("compras@duena.example");
    assert_eq!(owner_mails.len(), 1, "{mails:?}");
    assert!(owner_mails[0].1.contains(&agreed_ref));
    assert_eq!(
        link_in(&owner_mails[0].2, "/pact/followups/")
            .rsplit('/')
            .next()
            .unwrap(),
        owner_3
    );
    assert_eq!(to("info@candidata.example").len(), 1, "{mails:?}");
    assert_eq!(mails.len(), 3, "{mails:?}");
}

async fn a_followup_is_answered_once_by_its_side(app: TestApp) {
    let owner = org(&app, "Propietaria, S.A.", None).await;
    let candidate = org(&app, "Candidata, S.L.", None).await;
    let (need_id, reference) = need(
        &app,
        N {
            kind: "supply",
            title: "Estructuras EN 1090",
            status: "agreed",
            owner: &owner,
            published: Some("2025-06-02T09:00:00Z"),
            first_answer: Some("2025-06-03T09:00:00Z"),
            ..N::default()
        },
    )
    .await;
    let accepted = answer(&app, &need_id, &candidate, "accepted").await;
    let fu = followup(&app, &need_id, &accepted, "owner", 3, "2026-01-15").await;
    let later = followup(&app, &need_id, &accepted, "owner", 6, "2099-01-15").await;
    let path = format!("/pact/followups/{fu}");

    let owner_user = app
        .create_user("compras@propietaria.example", Role::Company, PASSWORD)
        .await;
    member_of(&app, &owner_user, &owner).await;
    let client = new_client();
    app.login(&client, "compras@propietaria.example", PASSWORD)
        .await;
    let html = client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&reference), "{html}");
    assert!(html.contains("¿Cómo ha ido?"), "{html}");
    assert!(html.contains(r#"name="satisfied""#));

    // Without choosing: 422, the error next to the choice, the comment kept.
    let res = app
        .post_form(&client, &path, &path, &[("comment", "Bien, con matices")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Indica si estáis satisfechos"), "{html}");
    assert!(html.contains("Bien, con matices"));

    let res = app
        .post_form(
            &client,
            &path,
            &path,
            &[("satisfied", "yes"), ("comment", "Plazos cumplidos")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Plazos cumplidos"));
    assert!(
        html.contains("hemos guardado vuestra respuesta"),
        "the flash says it was saved: {html}"
    );
    assert!(
        !html.contains(r#"name="satisfied""#),
        "no form once answered"
    );

    // Once: a second answer (a hand-made POST) changes nothing.
    let token = app.csrf(&client, "/account").await;
    let res = client
        .post(app.url(&path))
        .form(&[
            ("_csrf", token.as_str()),
            ("satisfied", "no"),
            ("comment", "Otra cosa"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (answer, satisfied): (Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT answer, CAST(satisfied AS BIGINT) FROM need_followups WHERE id = $1",
    )
    .bind(&fu)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(
        (answer.as_deref(), satisfied),
        (Some("Plazos cumplidos"), Some(1))
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'need_followup' AND entity_id = $1",
    )
    .bind(&fu)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // Not open before its day.
    let html = client
        .get(app.url(&format!("/pact/followups/{later}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Esta pregunta se abre el 15/01/2099"),
        "{html}"
    );

    // The candidate's users may not answer the owner's question: 404; the office reads it.
    let cand_user = app
        .create_user("ofertas@candidata.example", Role::Company, PASSWORD)
        .await;
    member_of(&app, &cand_user, &candidate).await;
    let other = new_client();
    app.login(&other, "ofertas@candidata.example", PASSWORD)
        .await;
    let res = other.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let (office, _) = app.signed_in(Role::Staff).await;
    let res = office.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Plazos cumplidos"));

    // The dashboard shows the answer to the office.
    let (token, _) = app.token(Role::Admin).await;
    let (_, body) = api(&app, "/api/v1/pact/dashboard", Some(&token)).await;
    let answers = body["followups"].as_array().unwrap();
    assert_eq!(answers.len(), 1, "{body}");
    assert_eq!(answers[0]["satisfied"], true);
    assert_eq!(answers[0]["answer"], "Plazos cumplidos");
}

async fn the_demo_has_every_state_once(app: TestApp) {
    besaya::office::demo::load(&app.state.db, 0).await.unwrap();
    assert_eq!(besaya::pact::demo::load(&app.state.db).await.unwrap(), 10);
    assert_eq!(
        besaya::pact::demo::load(&app.state.db).await.unwrap(),
        0,
        "loaded once"
    );
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT status FROM need_answers ORDER BY status")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [
            "accepted",
            "declined",
            "interested",
            "invited",
            "meeting",
            "rejected",
            "shortlisted"
        ]
    );
    let needs: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT status FROM needs ORDER BY status")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(
        needs,
        [
            "agreed",
            "answered",
            "closed",
            "draft",
            "expired",
            "negotiating",
            "published",
            "submitted"
        ]
    );
    let (token, _) = app.token(Role::Admin).await;
    let (_, d) = api(&app, "/api/v1/pact/dashboard", Some(&token)).await;
    assert_eq!(d["total"]["agreements"], 1);
    assert_eq!(d["total"]["awarded_cents"], 18_500_000);
    assert_eq!(d["total"]["overdue"], 1, "{d}");
    assert_eq!(
        d["overdue"][0]["title"],
        "15 operarios de mecanizado CNC para el nuevo taller de hileras"
    );
    assert_eq!(d["followups"].as_array().unwrap().len(), 1);
    assert_eq!(d["followups_waiting"], 1);
    // The two company users, tied to their firms, without password.
    for email in [
        besaya::pact::demo::TRACTOR_USER_EMAIL,
        besaya::pact::demo::CONTRACTOR_USER_EMAIL,
    ] {
        let (role, orgs): (String, i64) = sqlx::query_as(
            "SELECT u.role, COUNT(uo.organization_id) FROM users u \
             JOIN user_organizations uo ON uo.user_id = u.id WHERE u.email_norm = $1 GROUP BY u.role",
        )
        .bind(email)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
        assert_eq!((role.as_str(), orgs), ("company", 1));
    }
    // The scan of the demo: the overdue need once; the follow-ups already sent.
    let r = jobs::scan(&app.state).await.unwrap();
    assert_eq!(
        (r.overdue_notified, r.expired, r.followups_sent),
        (1, 0, 0),
        "{r:?}"
    );
}
