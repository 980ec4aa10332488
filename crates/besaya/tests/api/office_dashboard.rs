//! The Office's dashboard on both databases, over the Office's demo data set: the
//! figures follow from the demo's twelve projects (one per stage) and its two
//! inquiries waiting, the page shows them as charts and tables in both
//! languages, and only the office sees them.

use besaya_domain::Role;
use serde_json::Value;

use crate::helpers::{TestApp, backends};

backends!(
    the_figures_follow_the_records,
    only_the_office_sees_the_dashboard,
    an_investor_organisation_outlives_deletion,
);

async fn with_office_demo(app: &TestApp) {
    let added = besaya::office::demo::load(&app.state.db, 0).await.unwrap();
    assert_eq!(added, 12);
    assert_eq!(
        besaya::office::demo::load(&app.state.db, 0).await.unwrap(),
        0,
        "loading twice adds nothing"
    );
}

async fn dashboard(app: &TestApp, token: &str) -> Value {
    let res = app
        .client
        .get(app.url("/api/v1/office/dashboard"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn the_figures_follow_the_records(app: TestApp) {
    with_office_demo(&app).await;
    let (token, _) = app.token(Role::Staff).await;
    let d = dashboard(&app, &token).await;

    // One demo project in each of the 12 stages.
    let stages = d["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 12);
    assert!(stages.iter().all(|s| s["count"] == 1), "{stages:?}");

    // Furthest stage reached: the on-hold and the lost one got to the decision.
    let reached: Vec<(String, u64, u64)> = d["conversions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["from"].as_str().unwrap().to_owned(),
                c["reached_from"].as_u64().unwrap(),
                c["reached_to"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(reached[0], ("inquiry".into(), 12, 11));
    assert_eq!(reached[3], ("visits".into(), 9, 8));
    assert_eq!(reached[4], ("decision".into(), 8, 5));
    assert_eq!(reached[8], ("operating".into(), 2, 1));
    assert_eq!(d["conversions"][4]["rate"], 0.625);

    // Every stay before the current one is finished: each active stage up to
    // the decision was left by the projects that went further.
    let days = d["median_days"].as_array().unwrap();
    assert_eq!(days[0]["stage"], "inquiry");
    assert_eq!(days[0]["stays"], 11);
    assert!(days[0]["median_days"].as_f64().unwrap() >= 6.0);
    assert_eq!(days[9]["stage"], "aftercare");
    assert_eq!(days[9]["stays"], 0);
    assert!(days[9]["median_days"].is_null());

    // Jobs and investment of the projects not lost (the lost one promised 150 jobs).
    assert_eq!(d["jobs"]["committed"], 650.0);
    assert_eq!(d["jobs"]["verified"], 81.0 + 22.0);
    assert_eq!(d["investment_eur"]["verified"], (40e6 + 4e6) * 0.8);

    // Two inquiries waiting, 3 h and 60 h old, against 48 h.
    let inq = &d["inquiries"];
    assert_eq!(inq["waiting"], 2);
    assert_eq!(inq["late"], 1);
    assert_eq!(inq["target_hours"], 48);
    let ages: Vec<u64> = inq["ages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .collect();
    assert_eq!(ages, vec![1, 0, 1, 0]);
    let oldest = inq["oldest_hours"].as_f64().unwrap();
    assert!((60.0..60.5).contains(&oldest), "{oldest}");

    // A move shows at once: the inquiry project qualifies.
    let id: String = sqlx::query_scalar("SELECT id FROM projects WHERE stage = 'inquiry'")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let res = app
        .client
        .post(app.url(&format!("/api/v1/projects/{id}/transitions")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "to": "qualified", "version": 1 }))
        .send()
        .await
        .unwrap();
    // Staff may move a confidential project only when assigned; the admin may.
    let moved = if res.status() == 200 {
        true
    } else {
        let (admin, _) = app.token(Role::Admin).await;
        let res = app
            .client
            .post(app.url(&format!("/api/v1/projects/{id}/transitions")))
            .bearer_auth(&admin)
            .json(&serde_json::json!({ "to": "qualified", "version": 1 }))
            .send()
            .await
            .unwrap();
        res.status() == 200
    };
    assert!(moved);
    let d = dashboard(&app, &token).await;
    assert_eq!(d["stages"][0]["count"], 0);
    assert_eq!(d["stages"][1]["count"], 2);
    assert_eq!(d["median_days"][0]["stays"], 12);
}

async fn only_the_office_sees_the_dashboard(app: TestApp) {
    with_office_demo(&app).await;
    let res = app
        .client
        .get(app.url("/api/v1/office/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    for role in [Role::Company, Role::Investor, Role::PactMember] {
        let (token, _) = app.token(role).await;
        let res = app
            .client
            .get(app.url("/api/v1/office/dashboard"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{role}");
        let (client, _) = app.signed_in(role).await;
        let res = client
            .get(app.url("/office/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{role}");
    }

    let (client, _) = app.signed_in(Role::Staff).await;
    let page = client
        .get(app.url("/office/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Proyectos por fase"), "Spanish by default");
    assert!(html.contains("Búsqueda de emplazamiento"));
    assert!(html.contains("<svg"), "a chart");
    assert!(html.contains("id=\"table-stages\""), "and its table");
    // 650 committed jobs, written the Spanish way… and 35.2 M€ verified.
    assert!(html.contains("<td>650</td>"), "{html}");
    assert!(html.contains("35.200.000"));
    assert!(html.contains("62,5 %"), "decision → establishment: 5 of 8");

    let res = client.get(app.url("/lang/en")).send().await.unwrap();
    assert!(res.status().is_redirection());
    let html = client
        .get(app.url("/office/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Projects by stage"));
    assert!(html.contains("35,200,000"));
    assert!(html.contains("62.5 %"));
    assert!(!html.contains("office-dash-"), "no key left untranslated");
}

/// Deleting the directory record of a project's investor would orphan the case
/// (and used to fail with a server error): it is refused with 409.
async fn an_investor_organisation_outlives_deletion(app: TestApp) {
    with_office_demo(&app).await;
    let (org, version): (String, i64) = sqlx::query_as(
        "SELECT o.id, o.version FROM organizations o JOIN projects p ON p.investor_org_id = o.id LIMIT 1",
    )
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    let (admin, _) = app.token(Role::Admin).await;
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/organizations/{org}?version={version}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("investor of 1 project"),
        "{body}"
    );
    let still: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE id = $1")
        .bind(&org)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(still, 1);
}
