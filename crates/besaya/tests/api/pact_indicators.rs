//! Indicators fed by the platform's data, the semester report and the public
//! progress page, on both databases: each indicator computed from hand-built
//! needs and projects (business days across the New Year holidays, the share
//! rounded down, `from` inclusive, only operating and aftercare projects); the
//! records behind a value are as many as the value and never name a need's
//! owner or a project's investor for a representative; who may read what
//! (anonymous 401 or login, no seat 404); the report's "X of N finished" and
//! the meetings held in that semester only; the XLSX's three sheets; the public
//! page without private commitments, descriptions or e-mail addresses.

use besaya::pact::indicators::value::{records, value};
use besaya_domain::Role;
use besaya_domain::alliance::Indicator;
use calamine::Reader;
use serde_json::Value;
use time::macros::date;

use crate::helpers::{TestApp, backends};

backends!(
    indicators_are_counted_from_the_needs_and_projects,
    the_records_behind_a_value_are_one_click_away_without_owners,
    the_report_counts_commitments_and_lists_the_semesters_meetings,
    the_public_progress_page_shows_no_confidential_data,
);

const T0: &str = "2025-11-01T09:00:00Z";

async fn org(app: &TestApp, name: &str, email: Option<&str>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, email, version, created_at, updated_at) \
         VALUES ($1, $2, 'company', $3, $4, 1, $5, $5)",
    )
    .bind(&id)
    .bind(name)
    .bind(format!("T{}", &uuid::Uuid::now_v7().simple().to_string()[20..]))
    .bind(email)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// A need as the store would have left it.
#[derive(Clone, Default)]
struct N<'a> {
    kind: &'a str,
    title: &'a str,
    status: &'a str,
    owner: &'a str,
    published: Option<&'a str>,
    first_answer: Option<&'a str>,
    agreed: Option<&'a str>,
    amount_cents: Option<i64>,
}

async fn need(app: &TestApp, n: N<'_>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let reference = format!("NEC-T-{}", &uuid::Uuid::now_v7().simple().to_string()[22..]);
    sqlx::query(
        "INSERT INTO needs (id, reference, kind, title, summary, owner_org_id, status, published_at, \
         first_answer_at, agreed_amount_cents, agreed_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'Resumen', $5, $6, $7, $8, $9, $10, 1, $11, $11)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.owner)
    .bind(n.status)
    .bind(n.published)
    .bind(n.first_answer)
    .bind(n.amount_cents)
    .bind(n.agreed)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// A project now in `stage`, with its stays (`stage`, entered, left).
async fn project(
    app: &TestApp,
    code: &str,
    investor: &str,
    owner: &str,
    stage: &str,
    stays: &[(&str, &str, Option<&str>)],
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let since = stays.last().map_or(T0, |s| s.1);
    sqlx::query(
        "INSERT INTO projects (id, code_name, investor_org_id, owner_id, stage, stage_since, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&id)
    .bind(code)
    .bind(investor)
    .bind(owner)
    .bind(stage)
    .bind(since)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    for (s, entered, left) in stays {
        sqlx::query(
            "INSERT INTO project_stages (id, project_id, stage, entered_at, left_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&id)
        .bind(s)
        .bind(entered)
        .bind(left)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
    id
}

/// Makes `user` a representative of `org`'s current membership (made when it
/// has none: one open membership per organisation).
async fn represent(app: &TestApp, user: &str, org: &str) -> String {
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM pact_members WHERE organization_id = $1 AND left_on IS NULL",
    )
    .bind(org)
    .fetch_optional(app.state.db.reader())
    .await
    .unwrap();
    let member = match open {
        Some(id) => id,
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO pact_members (id, organization_id, college, joined_on, version, created_at, updated_at) \
                 VALUES ($1, $2, 'employers', '2025-01-01', 1, $3, $3)",
            )
            .bind(&id)
            .bind(org)
            .bind(T0)
            .execute(app.state.db.writer())
            .await
            .unwrap();
            id
        }
    };
    sqlx::query(
        "INSERT INTO pact_representatives (member_id, user_id, role, created_at) VALUES ($1, $2, 'holder', $3)",
    )
    .bind(&member)
    .bind(user)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    member
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

/// Needs around New Year and Epiphany 2026, seen on Monday 12 January 2026
/// (targets: service and supply 5 business days, talent 10):
/// - A service, published Wed 31 Dec, answered Wed 7 Jan: 3 days, within; agreed 9 Jan, 185.000 €;
/// - G service, published Wed 31 Dec, answered Thu 8 Jan: 4 days with 1 and 6 January
///   skipped (6 weekdays without them, which would be late): within;
/// - B service, Fri 2 Jan → Mon 5 Jan: within;
/// - C supply, Mon 22 Dec → Thu 8 Jan, 10 days: late (negotiating, an amount typed but not agreed);
/// - D service, published Fri 2 Jan, unanswered, due today: not decided yet;
/// - E talent, published Mon 15 Dec, unanswered, due 30 Dec: decided, late;
/// - H talent, published Mon 1 Dec, closed unanswered: decided, not within;
/// - J supply, Mon 3 Nov → Tue 4 Nov: within; agreed 20 Nov, 50.000 €;
/// - K service, Mon 1 Dec → Wed 3 Dec: within.
///
/// All time: within A, G, B, J, K = 5 of 8 decided = 62.5 % → 62.
async fn the_needs(app: &TestApp) -> String {
    let owner = org(app, "Aceros Confidenciales, S.A.", None).await;
    let n = |title, kind, status, published, first_answer| N {
        kind,
        title,
        status,
        owner: &owner,
        published: Some(published),
        first_answer,
        ..N::default()
    };
    need(
        app,
        N {
            agreed: Some("2026-01-09T12:00:00Z"),
            amount_cents: Some(18_500_000),
            ..n(
                "Necesidad A",
                "service",
                "agreed",
                "2025-12-31T09:00:00Z",
                Some("2026-01-07T10:00:00Z"),
            )
        },
    )
    .await;
    need(
        app,
        n(
            "Necesidad G",
            "service",
            "answered",
            "2025-12-31T09:00:00Z",
            Some("2026-01-08T10:00:00Z"),
        ),
    )
    .await;
    need(
        app,
        n(
            "Necesidad B",
            "service",
            "answered",
            "2026-01-02T09:00:00Z",
            Some("2026-01-05T10:00:00Z"),
        ),
    )
    .await;
    need(
        app,
        N {
            amount_cents: Some(1_000_000),
            ..n(
                "Necesidad C",
                "supply",
                "negotiating",
                "2025-12-22T09:00:00Z",
                Some("2026-01-08T10:00:00Z"),
            )
        },
    )
    .await;
    need(
        app,
        n(
            "Necesidad D",
            "service",
            "published",
            "2026-01-02T09:00:00Z",
            None,
        ),
    )
    .await;
    need(
        app,
        n(
            "Necesidad E",
            "talent",
            "published",
            "2025-12-15T09:00:00Z",
            None,
        ),
    )
    .await;
    need(
        app,
        n(
            "Necesidad H",
            "talent",
            "closed",
            "2025-12-01T09:00:00Z",
            None,
        ),
    )
    .await;
    need(
        app,
        N {
            agreed: Some("2025-11-20T12:00:00Z"),
            amount_cents: Some(5_000_000),
            ..n(
                "Necesidad J",
                "supply",
                "agreed",
                "2025-11-03T09:00:00Z",
                Some("2025-11-04T10:00:00Z"),
            )
        },
    )
    .await;
    need(
        app,
        n(
            "Necesidad K",
            "service",
            "answered",
            "2025-12-01T09:00:00Z",
            Some("2025-12-03T10:00:00Z"),
        ),
    )
    .await;
    need(
        app,
        N {
            kind: "service",
            title: "Borrador",
            status: "draft",
            owner: &owner,
            ..N::default()
        },
    )
    .await;
    owner
}

/// Four projects: P1 operating since 5 Jan 2026; P2 in aftercare, operating from
/// 1 Jun 2025; P3 under construction; P4 lost after operating.
async fn the_projects(app: &TestApp) {
    let investor = org(app, "Inversora Secreta, S.L.", None).await;
    let owner = app
        .create_user(
            "promotor@besaya.example",
            Role::Staff,
            crate::helpers::PASSWORD,
        )
        .await;
    project(
        app,
        "Proyecto Roble",
        &investor,
        &owner,
        "operating",
        &[
            (
                "construction",
                "2025-03-01T09:00:00Z",
                Some("2026-01-05T09:00:00Z"),
            ),
            ("operating", "2026-01-05T09:00:00Z", None),
        ],
    )
    .await;
    project(
        app,
        "Proyecto Haya",
        &investor,
        &owner,
        "aftercare",
        &[
            (
                "operating",
                "2025-06-01T09:00:00Z",
                Some("2025-12-01T09:00:00Z"),
            ),
            ("aftercare", "2025-12-01T09:00:00Z", None),
        ],
    )
    .await;
    project(
        app,
        "Proyecto Tejo",
        &investor,
        &owner,
        "construction",
        &[("construction", "2025-09-01T09:00:00Z", None)],
    )
    .await;
    project(
        app,
        "Proyecto Acebo",
        &investor,
        &owner,
        "lost",
        &[
            (
                "operating",
                "2025-09-01T09:00:00Z",
                Some("2025-10-01T09:00:00Z"),
            ),
            ("lost", "2025-10-01T09:00:00Z", None),
        ],
    )
    .await;
}

async fn indicators_are_counted_from_the_needs_and_projects(app: TestApp) {
    the_needs(&app).await;
    the_projects(&app).await;
    let db = &app.state.db;
    let today = date!(2026 - 01 - 12);
    let v = |i, from| value(db, i, from, today);

    assert_eq!(
        v(Indicator::NeedsWithinTarget, None).await.unwrap(),
        5,
        "A, G (only within with the holidays skipped), B, J, K"
    );
    assert_eq!(
        v(Indicator::NeedsWithinTargetShare, None).await.unwrap(),
        62,
        "5 of 8 decided = 62.5 %, rounded down"
    );
    // `from` is inclusive, on the day of publication in Madrid.
    let dec31 = Some(date!(2025 - 12 - 31));
    assert_eq!(v(Indicator::NeedsWithinTarget, dec31).await.unwrap(), 3);
    let jan1 = Some(date!(2026 - 01 - 01));
    assert_eq!(v(Indicator::NeedsWithinTarget, jan1).await.unwrap(), 1);
    // From 15 December: within A, G, B of decided A, G, B, C, E = 60 %; D undecided.
    let dec15 = Some(date!(2025 - 12 - 15));
    assert_eq!(
        v(Indicator::NeedsWithinTargetShare, dec15).await.unwrap(),
        60
    );
    // Nothing decided: 0, not a division by zero.
    let later = Some(date!(2026 - 01 - 10));
    assert_eq!(
        v(Indicator::NeedsWithinTargetShare, later).await.unwrap(),
        0
    );

    // Agreements and amounts: only needs agreed, by the day of the agreement.
    assert_eq!(v(Indicator::NeedsAgreed, None).await.unwrap(), 2);
    assert_eq!(v(Indicator::LocalAwarded, None).await.unwrap(), 23_500_000);
    assert_eq!(v(Indicator::NeedsAgreed, jan1).await.unwrap(), 1);
    assert_eq!(v(Indicator::LocalAwarded, jan1).await.unwrap(), 18_500_000);
    let jan10 = Some(date!(2026 - 01 - 10));
    assert_eq!(v(Indicator::LocalAwarded, jan10).await.unwrap(), 0);

    // Projects: operating or aftercare now, by the day they entered operation.
    assert_eq!(v(Indicator::ProjectsOperating, None).await.unwrap(), 2);
    assert_eq!(v(Indicator::ProjectsOperating, jan1).await.unwrap(), 1);
    let jun1 = Some(date!(2025 - 06 - 01));
    assert_eq!(v(Indicator::ProjectsOperating, jun1).await.unwrap(), 2);
    let jun2 = Some(date!(2025 - 06 - 02));
    assert_eq!(v(Indicator::ProjectsOperating, jun2).await.unwrap(), 1);
}

async fn the_records_behind_a_value_are_one_click_away_without_owners(app: TestApp) {
    let owner = the_needs(&app).await;
    the_projects(&app).await;
    let db = &app.state.db;
    let today = date!(2026 - 01 - 12);

    // As many records as the value, for every counting indicator.
    for (i, n) in [
        (Indicator::NeedsWithinTarget, 5),
        (Indicator::NeedsAgreed, 2),
        (Indicator::ProjectsOperating, 2),
    ] {
        assert_eq!(value(db, i, None, today).await.unwrap(), n, "{i:?}");
        assert_eq!(
            records(db, i, None, today).await.unwrap().len() as i64,
            n,
            "{i:?}"
        );
    }
    let g = records(db, Indicator::NeedsWithinTarget, None, today)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.title == "Necesidad G")
        .unwrap();
    assert_eq!(g.published_on.as_deref(), Some("2025-12-31"));
    assert_eq!(g.first_answer_on.as_deref(), Some("2026-01-08"));
    assert_eq!(g.business_days, Some(4), "1 and 6 January are holidays");
    assert_eq!(g.target_days, Some(5));
    assert_eq!(g.within_target, Some(true));
    // The share's records are its denominator, each marked.
    let share = records(db, Indicator::NeedsWithinTargetShare, None, today)
        .await
        .unwrap();
    assert_eq!(share.len(), 8);
    assert_eq!(
        share
            .iter()
            .filter(|r| r.within_target == Some(true))
            .count(),
        5
    );

    // A representative of a current member reads the workspace's API; the
    // records carry references, titles and code names, never owner or investor.
    let (token, rep) = app.token(Role::PactMember).await;
    let their_org = org(&app, "Cámara de Comercio de Torrelavega", None).await;
    represent(&app, &rep, &their_org).await;
    let (status, list) = api(&app, "/api/v1/pact/indicators", Some(&token)).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 5);
    assert_eq!(list[0]["code"], "needs_within_target");
    for code in ["needs_agreed", "projects_operating", "needs_within_target"] {
        let (status, d) = api(
            &app,
            &format!("/api/v1/pact/indicators/{code}"),
            Some(&token),
        )
        .await;
        assert_eq!(status, 200, "{d}");
        assert_eq!(
            d["value"].as_i64().unwrap(),
            d["records"].as_array().unwrap().len() as i64,
            "{code}: {d}"
        );
        let text = d.to_string();
        assert!(!text.contains("Aceros Confidenciales"), "{text}");
        assert!(!text.contains("Inversora Secreta"), "{text}");
        assert!(!text.contains(&owner), "no owner id either: {text}");
    }
    let (_, p) = api(
        &app,
        "/api/v1/pact/indicators/projects_operating",
        Some(&token),
    )
    .await;
    let codes: Vec<&str> = p["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["Proyecto Haya", "Proyecto Roble"]);
    // From a day: fewer; a bad day 422 naming the field; an unknown code 404.
    let (_, d) = api(
        &app,
        "/api/v1/pact/indicators/needs_agreed?from=2026-01-01",
        Some(&token),
    )
    .await;
    assert_eq!(d["value"], 1);
    assert_eq!(d["from"], "2026-01-01");
    let (status, e) = api(
        &app,
        "/api/v1/pact/indicators/needs_agreed?from=31-12-2025",
        Some(&token),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e.to_string().contains("from"), "{e}");
    let (status, _) = api(&app, "/api/v1/pact/indicators/drop_table", Some(&token)).await;
    assert_eq!(status, 404);
    // No seat: 404; no token: 401.
    let (company, _) = app.token(Role::Company).await;
    let (status, _) = api(&app, "/api/v1/pact/indicators", Some(&company)).await;
    assert_eq!(status, 404);
    let (status, _) = api(&app, "/api/v1/pact/indicators", None).await;
    assert_eq!(status, 401);

    // The pages: the representative sees the table with its caption and no
    // links to the office's records; the office gets the links.
    let (client, rep2) = app.signed_in(Role::PactMember).await;
    represent(&app, &rep2, &their_org).await;
    let res = client
        .get(app.url("/pact/indicators/needs_within_target"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Necesidades respondidas en plazo"), "{html}");
    assert!(html.contains("Necesidad G"));
    assert!(html.contains("<caption>"));
    assert!(
        !html.contains("/pact/needs/"),
        "no links for a representative"
    );
    assert!(!html.contains("Aceros Confidenciales"));
    let res = client
        .get(app.url("/pact/indicators/needs_within_target?from=ayer"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("«ayer» no es una fecha"), "{html}");
    assert!(html.contains("error-summary"));
    let res = client
        .get(app.url("/pact/indicators/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client
        .get(app.url("/pact/indicators"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (office, _) = app.signed_in(Role::Staff).await;
    let html = office
        .get(app.url("/pact/indicators/projects_operating"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("/office/projects/"), "{html}");
    // Anonymous: to the login page; signed in without a seat: 404.
    let res = crate::helpers::new_client()
        .get(app.url("/pact/indicators"))
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
    let (company, _) = app.signed_in(Role::Company).await;
    let res = company
        .get(app.url("/pact/indicators"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

struct C<'a> {
    reference: &'a str,
    parent: Option<&'a str>,
    position: i64,
    title: &'a str,
    description: &'a str,
    owner: Option<&'a str>,
    status: &'a str,
    due: Option<&'a str>,
    indicator: Option<(&'a str, i64)>,
    public: bool,
}

async fn commitment(app: &TestApp, c: C<'_>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_commitments (id, reference, parent_id, position, title, description, owner_org_id, \
         status, progress, weight, due_on, indicator, indicator_baseline, indicator_target, public, version, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 1, $9, $10, 0, $11, $12, 1, $13, $13)",
    )
    .bind(&id)
    .bind(c.reference)
    .bind(c.parent)
    .bind(c.position)
    .bind(c.title)
    .bind(c.description)
    .bind(c.owner)
    .bind(c.status)
    .bind(c.due)
    .bind(c.indicator.map(|i| i.0))
    .bind(c.indicator.map(|i| i.1))
    .bind(i64::from(c.public))
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// A tree of eight commitments (seen today, December 2026):
/// - 1 "Suelo industrial" (public, owner Ayuntamiento): children 1.1 finished,
///   1.2 in progress due 31 Jan 2026 (delayed), 1.3 planned → delayed;
/// - 2 "Plan cancelado": cancelled;
/// - 3 "Respuestas en plazo": linked to needs_within_target, target 10 → 5 of 10, in progress;
/// - 4 "Asunto reservado" (private) with 4.1 finished (public, but under a private one) → finished.
///
/// Finished 1.1, 4, 4.1 = 3 of 8; in progress 3; delayed 1, 1.2; planned 1.3; cancelled 2.
async fn the_tree(app: &TestApp) {
    let owner = org(
        app,
        "Ayuntamiento de Torrelavega",
        Some("secreto@ayto.example"),
    )
    .await;
    let base = C {
        reference: "",
        parent: None,
        position: 1,
        title: "",
        description: "",
        owner: Some(&owner),
        status: "planned",
        due: None,
        indicator: None,
        public: true,
    };
    let root = commitment(
        app,
        C {
            reference: "COM-2026-001",
            title: "Suelo industrial",
            description: "Descripción reservada a los miembros",
            ..base
        },
    )
    .await;
    for (r, pos, title, status, due) in [
        ("COM-2026-002", 1, "Suelo: inventario", "finished", None),
        (
            "COM-2026-003",
            2,
            "Suelo: licencias",
            "in_progress",
            Some("2026-01-31"),
        ),
        ("COM-2026-004", 3, "Suelo: conexiones", "planned", None),
    ] {
        commitment(
            app,
            C {
                reference: r,
                parent: Some(&root),
                position: pos,
                title,
                status,
                due,
                ..base
            },
        )
        .await;
    }
    commitment(
        app,
        C {
            reference: "COM-2026-005",
            position: 2,
            title: "Plan cancelado",
            status: "cancelled",
            ..base
        },
    )
    .await;
    commitment(
        app,
        C {
            reference: "COM-2026-006",
            position: 3,
            title: "Respuestas en plazo",
            indicator: Some(("needs_within_target", 10)),
            ..base
        },
    )
    .await;
    let private = commitment(
        app,
        C {
            reference: "COM-2026-007",
            position: 4,
            title: "Asunto reservado",
            status: "in_progress",
            public: false,
            ..base
        },
    )
    .await;
    commitment(
        app,
        C {
            reference: "COM-2026-008",
            parent: Some(&private),
            title: "Subasunto reservado",
            status: "finished",
            ..base
        },
    )
    .await;
}

async fn meeting(
    app: &TestApp,
    group: &str,
    reference: &str,
    title: &str,
    starts_at: &str,
    status: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_meetings (id, reference, group_id, title, starts_at, ends_at, status, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
    )
    .bind(&id)
    .bind(reference)
    .bind(group)
    .bind(title)
    .bind(starts_at)
    .bind(format!("{}T23:59:00Z", &starts_at[..10]))
    .bind(status)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

async fn the_meetings(app: &TestApp) {
    let group = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_groups (id, name, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)",
    )
    .bind(&group)
    .bind("Mesa de suelo industrial y energía")
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let held = meeting(
        app,
        &group,
        "REU-2026-004",
        "Reunión de septiembre",
        "2026-09-15T08:00:00Z",
        "held",
    )
    .await;
    // 00:30 on 1 July in Madrid: the second half.
    meeting(
        app,
        &group,
        "REU-2026-003",
        "Reunión de medianoche",
        "2026-06-30T22:30:00Z",
        "held",
    )
    .await;
    meeting(
        app,
        &group,
        "REU-2026-001",
        "Reunión de marzo",
        "2026-03-10T09:00:00Z",
        "held",
    )
    .await;
    meeting(
        app,
        &group,
        "REU-2026-005",
        "Reunión prevista",
        "2026-10-01T09:00:00Z",
        "scheduled",
    )
    .await;
    meeting(
        app,
        &group,
        "REU-2026-006",
        "Reunión anulada",
        "2026-10-02T09:00:00Z",
        "cancelled",
    )
    .await;
    let o1 = org(app, "Sindicato Comarcal", None).await;
    let o2 = org(app, "Asociación de Empresas del Besaya", None).await;
    for (name, o) in [("Ana", &o1), ("Luis", &o2), ("Marta", &o2)] {
        sqlx::query(
            "INSERT INTO pact_attendance (id, meeting_id, name, organization_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&held)
        .bind(name)
        .bind(o)
        .bind(T0)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
    for (pos, r) in [(1, "ACU-2026-001"), (2, "ACU-2026-002")] {
        sqlx::query(
            "INSERT INTO pact_agreements (id, reference, meeting_id, position, text, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'Acuerdo', 1, $5, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(r)
        .bind(&held)
        .bind(pos)
        .bind(T0)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
}

async fn the_report_counts_commitments_and_lists_the_semesters_meetings(app: TestApp) {
    the_needs(&app).await;
    the_tree(&app).await;
    the_meetings(&app).await;
    let (token, rep) = app.token(Role::PactMember).await;
    let their_org = org(&app, "Cámara de Comercio", None).await;
    represent(&app, &rep, &their_org).await;

    let (status, r) = api(&app, "/api/v1/pact/report?semester=2026-S2", Some(&token)).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["first_day"], "2026-07-01");
    assert_eq!(r["last_day"], "2026-12-31");
    assert_eq!(r["previous"], "2026-S1");
    assert_eq!(r["next"], "2027-S1");
    let c = &r["counts"];
    assert_eq!(
        [
            &c["total"],
            &c["finished"],
            &c["in_progress"],
            &c["delayed"],
            &c["planned"],
            &c["cancelled"]
        ],
        [8, 3, 1, 2, 1, 1].map(Value::from).each_ref(),
        "{c}"
    );
    assert_eq!(r["commitments"].as_array().unwrap().len(), 8);
    // Held meetings of the semester only, by date: midnight in Madrid counts.
    let groups = r["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    let m: Vec<&str> = groups[0]["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reference"].as_str().unwrap())
        .collect();
    assert_eq!(m, ["REU-2026-003", "REU-2026-004"]);
    let sept = &groups[0]["meetings"][1];
    assert_eq!(sept["attendees"], 3);
    assert_eq!(sept["agreements"], 2);
    assert_eq!(sept["organizations"].as_array().unwrap().len(), 2);
    // Indicators against their targets: 5 needs within target of 10.
    let ind = &r["indicators"][0];
    assert_eq!(ind["indicator"], "needs_within_target");
    assert_eq!(
        (&ind["value"], &ind["target"]),
        (&Value::from(5), &Value::from(10))
    );
    assert_eq!(ind["progress"], 50);

    // The first half: only the March meeting.
    let (_, s1) = api(&app, "/api/v1/pact/report?semester=2026-S1", Some(&token)).await;
    assert_eq!(s1["groups"][0]["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(s1["groups"][0]["meetings"][0]["reference"], "REU-2026-001");
    // A bad semester: 422 naming the field.
    let (status, e) = api(&app, "/api/v1/pact/report?semester=2026-S3", Some(&token)).await;
    assert_eq!(status, 422);
    assert!(e.to_string().contains("semester"), "{e}");
    let (status, _) = api(&app, "/api/v1/pact/report", None).await;
    assert_eq!(status, 401);

    // The printable page in Spanish.
    let (client, rep2) = app.signed_in(Role::PactMember).await;
    represent(&app, &rep2, &their_org).await;
    let res = client
        .get(app.url("/pact/report?semester=2026-S2"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(
            "3 de 8 compromisos finalizados, 1 en curso, 2 con retraso, 1 sin empezar, 1 cancelado."
        ),
        "{html}"
    );
    assert!(html.contains("Informe del segundo semestre de 2026"));
    assert!(html.contains("Reunión de septiembre"));
    assert!(!html.contains("Reunión de marzo"));
    assert!(!html.contains("Reunión prevista"));
    assert!(
        html.contains("semester=2026-S1"),
        "a link to the previous one"
    );
    let res = client
        .get(app.url("/pact/report?semester=primavera"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("«primavera» no es un semestre")
    );

    // The workbook: three sheets in the user's language, one row per record.
    let res = client
        .get(app.url("/pact/report.xlsx?semester=2026-S2"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("2026-s2.xlsx")
    );
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "a ZIP");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Compromisos", "Reuniones", "Indicadores"]
    );
    let rows = |book: &mut calamine::Xlsx<_>, name: &str| {
        book.worksheet_range(name).unwrap().rows().count()
    };
    assert_eq!(rows(&mut book, "Compromisos"), 9);
    assert_eq!(rows(&mut book, "Reuniones"), 3);
    assert_eq!(rows(&mut book, "Indicadores"), 2);
    let sheet = book.worksheet_range("Compromisos").unwrap();
    assert_eq!(sheet.get((0, 2)).unwrap().to_string(), "Título");
    assert_eq!(sheet.get((1, 2)).unwrap().to_string(), "Suelo industrial");
    // In English after switching the language: English sheets.
    client
        .get(app.url("/lang/en?next=%2Fpact%2Freport"))
        .send()
        .await
        .unwrap();
    let bytes = client
        .get(app.url("/pact/report.xlsx?semester=2026-S2"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Commitments", "Meetings", "Indicators"]
    );
    // No seat: 404.
    let (company, _) = app.signed_in(Role::Company).await;
    let res = company
        .get(app.url("/pact/report.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

async fn the_public_progress_page_shows_no_confidential_data(app: TestApp) {
    the_needs(&app).await;
    the_tree(&app).await;
    the_meetings(&app).await;

    let (status, p) = api(&app, "/api/v1/pact/progress", None).await;
    assert_eq!(status, 200, "{p}");
    let refs: Vec<&str> = p["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        [
            "COM-2026-001",
            "COM-2026-002",
            "COM-2026-003",
            "COM-2026-004",
            "COM-2026-005",
            "COM-2026-006"
        ]
    );
    assert_eq!(p["counts"]["total"], 6);
    assert_eq!(
        p["commitments"][0]["owner_name"],
        "Ayuntamiento de Torrelavega"
    );
    assert_eq!(p["commitments"][5]["indicator_value"], 5);
    assert_eq!(p["commitments"][5]["indicator_target"], 10);
    let text = p.to_string();
    for secret in [
        "Asunto reservado",
        "Subasunto reservado",
        "Descripción reservada",
        "secreto@ayto.example",
        "Reunión de septiembre",
        "ACU-2026-001",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    // The page, for anybody, in both languages.
    let client = crate::helpers::new_client();
    let res = client.get(app.url("/pact/progress")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Avance del Pacto"), "{html}");
    assert!(html.contains("Suelo industrial"));
    assert!(html.contains("Con retraso"));
    assert!(html.contains("1 de 6 compromisos finalizados"), "{html}");
    for secret in [
        "Asunto reservado",
        "Subasunto reservado",
        "Descripción reservada",
        "secreto@ayto.example",
        "Reunión de septiembre",
    ] {
        assert!(!html.contains(secret), "{secret} on the page");
    }
    let res = client
        .get(app.url("/lang/en?next=%2Fpact%2Fprogress"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection() || res.status().is_success());
    let html = client
        .get(app.url("/pact/progress"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Progress of the Pact"), "{html}");
    // Documented in the OpenAPI document.
    let doc = app.get_json("/api/v1/openapi.json", 200).await;
    for path in [
        "/api/v1/pact/progress",
        "/api/v1/pact/report",
        "/api/v1/pact/indicators",
        "/api/v1/pact/indicators/{code}",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["PactReport"].is_object());
    assert!(html.contains("1 of 6 commitments finished"), "{html}");
}
