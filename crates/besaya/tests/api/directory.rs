//! The directory of organisations through the API, the importer and the
//! exporter, on both databases: Spanish search, filters, the record's rules,
//! duplicates and merges, versions, all-or-nothing imports and safe exports.

use std::sync::Arc;

use besaya::i18n::{Lang, Tr};
use besaya::orgs::import::{self, Progress};
use besaya::orgs::index::{Filter, Sort};
use besaya::orgs::{export, store};
use besaya_domain::{Nif, Role};
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends};

backends!(
    search_is_spanish_aware_and_ranked,
    filters_combine_and_page_with_a_total,
    a_record_is_validated_field_by_field,
    duplicates_are_refused_and_point_to_the_existing_record,
    changes_are_merge_patches_with_a_version,
    delete_refuses_records_with_users,
    merging_moves_users_and_is_audited,
    writes_of_other_processes_reach_the_index,
    an_import_with_bad_rows_writes_nothing_then_all_of_it,
    exports_are_safe_and_read_back,
);

// One connection, so the second write reuses the statement the first prepared.
mod coordinates_after_a_record_without_them {
    use crate::helpers::{Backend, TestApp};
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::coordinates_after_a_record_without_them(
            TestApp::spawn_with(Backend::Sqlite, |c| c.database_max_connections = 1).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::coordinates_after_a_record_without_them(
            TestApp::spawn_with(Backend::Postgres, |c| c.database_max_connections = 1).await,
        )
        .await
    }
}

/// A record without coordinates, then one with them: the null and the number
/// bind as the same type (sqlx's `Any` driver once bound a null `f64` as
/// PostgreSQL `float4`, and the cached statement refused the next number).
async fn coordinates_after_a_record_without_them(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    create(&app, &token, json!({"name": "Sin coordenadas (demo)", "kind": "company", "tax_id": tax(3900301), "municipality_code": "39087"})).await;
    let org = create(&app, &token, json!({"name": "Con coordenadas (demo)", "kind": "company", "tax_id": tax(3900302), "municipality_code": "39087", "lat": 43.35, "lon": -4.05})).await;
    assert_eq!(org["lat"], 43.35);
    let id = org["id"].as_str().unwrap();
    let (status, changed) = send(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/organizations/{id}"),
        Some(json!({"lat": null, "lon": null, "version": 1})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    let (status, changed) = send(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/organizations/{id}"),
        Some(json!({"lat": 43.36, "lon": -4.06, "version": 2})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["lon"], -4.06);
}

fn tax(digits: u32) -> String {
    Nif::entity('B', digits).unwrap().to_string()
}

async fn send(
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
    send(app, token, reqwest::Method::GET, path, None).await
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, org) = send(
        app,
        token,
        reqwest::Method::POST,
        "/api/v1/organizations",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{org}");
    org
}

async fn search_is_spanish_aware_and_ranked(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    let foundry = "Fundiciones Ejemplo del Besaya, S.A. (demo)";
    for q in ["fundicion", "Fundición", "FUNDICIONES", "fundi"] {
        let (status, page) = get(&app, &token, &format!("/api/v1/organizations?q={q}")).await;
        assert_eq!(status, 200);
        assert!(
            names(&page).contains(&foundry.to_owned()),
            "{q}: {:?}",
            names(&page)
        );
    }
    // Stemming: the plural finds the singular.
    create(
        &app,
        &token,
        json!({"name": "Talleres Zeta", "kind": "company", "tax_id": tax(7_100_001),
               "capabilities": "Soldadura de aluminio"}),
    )
    .await;
    let (_, page) = get(
        &app,
        &token,
        "/api/v1/organizations?q=soldaduras%20aluminio",
    )
    .await;
    assert_eq!(
        names(&page),
        ["Talleres Zeta"],
        "both words must match (AND)"
    );
    // Ranking: the word in the name beats the word only in the description.
    create(
        &app,
        &token,
        json!({"name": "Calderería Quimera", "kind": "company", "tax_id": tax(7_100_002)}),
    )
    .await;
    create(
        &app,
        &token,
        json!({"name": "Servicios Quimera", "kind": "company", "tax_id": tax(7_100_003),
               "description": "Trabajamos con una calderería de la zona."}),
    )
    .await;
    let (_, page) = get(&app, &token, "/api/v1/organizations?q=quimera%20caldereria").await;
    assert_eq!(names(&page), ["Calderería Quimera", "Servicios Quimera"]);
    // CNAE titles are searched too: 24.51 is "Fundición de hierro".
    let (_, page) = get(&app, &token, "/api/v1/organizations?q=hierro&cnae=2451").await;
    assert!(!names(&page).is_empty());
    // Input that looks like SQL or markup is only text.
    for q in [
        "'; DROP TABLE organizations; --",
        "<script>",
        "%",
        "_",
        "\\",
    ] {
        let (status, _) = get(
            &app,
            &token,
            &format!("/api/v1/organizations?q={}", urlencode(q)),
        )
        .await;
        assert_eq!(status, 200, "{q}");
    }
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn filters_combine_and_page_with_a_total(app: TestApp) {
    let (token, _) = app.token(Role::Admin).await;
    let res = app
        .client
        .get(app.url("/api/v1/organizations?kind=administration&limit=5"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let total: usize = res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page: Value = res.json().await.unwrap();
    assert!(total > 5, "the demo has more than 5 administrations");
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    // Following the cursors visits every administration once, in name order.
    let mut seen: Vec<String> = names(&page);
    let mut cursor = page["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let (_, next) = get(
            &app,
            &token,
            &format!("/api/v1/organizations?kind=administration&limit=5&cursor={c}"),
        )
        .await;
        assert!(
            next["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["kind"] == "administration")
        );
        seen.extend(names(&next));
        cursor = next["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), total);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|n| besaya_domain::text::fold(n));
    assert_eq!(seen, sorted, "without a search, by name");

    // A section letter and code prefixes filter on the activities.
    let (_, c) = get(&app, &token, "/api/v1/organizations?cnae=C&limit=500").await;
    let (_, d24) = get(&app, &token, "/api/v1/organizations?cnae=24&limit=500").await;
    let (_, c2451) = get(&app, &token, "/api/v1/organizations?cnae=24.51&limit=500").await;
    let n = |v: &Value| v["items"].as_array().unwrap().len();
    assert!(n(&c) > n(&d24) && n(&d24) >= n(&c2451) && n(&c2451) >= 1);
    assert!(d24["items"].as_array().unwrap().iter().all(|o| {
        o["cnae_codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("24"))
    }));
    // District, pact membership, size and certification.
    let (_, all) = get(&app, &token, "/api/v1/organizations?limit=500").await;
    let (_, district) = get(
        &app,
        &token,
        "/api/v1/organizations?district=true&limit=500",
    )
    .await;
    assert!(n(&district) < n(&all));
    let in_district: Vec<String> =
        sqlx::query_scalar("SELECT ine_code FROM municipalities WHERE in_district = 1")
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert!(district["items"].as_array().unwrap().iter().all(|o| {
        o["municipality_code"]
            .as_str()
            .is_some_and(|m| in_district.iter().any(|d| d == m))
    }));
    let (_, pact) = get(
        &app,
        &token,
        "/api/v1/organizations?pact_member=true&limit=500",
    )
    .await;
    assert!(
        n(&pact) > 0
            && pact["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["pact_member"] == true)
    );
    let (_, large) = get(
        &app,
        &token,
        "/api/v1/organizations?size_band=large&limit=500",
    )
    .await;
    assert!(
        n(&large) > 0
            && large["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["size_band"] == "large")
    );
    create(
        &app,
        &token,
        json!({"name": "Caducada", "kind": "company", "tax_id": tax(7_200_001),
               "certifications": [{"name": "ISO 50001", "expires_on": "2020-01-01"}]}),
    )
    .await;
    create(
        &app,
        &token,
        json!({"name": "Vigente", "kind": "company", "tax_id": tax(7_200_002),
               "certifications": [{"name": "ISO 50001", "expires_on": "2099-01-01"}]}),
    )
    .await;
    let (_, iso) = get(
        &app,
        &token,
        "/api/v1/organizations?certification=iso%2050001&limit=500",
    )
    .await;
    assert!(names(&iso).contains(&"Vigente".to_owned()));
    assert!(
        !names(&iso).contains(&"Caducada".to_owned()),
        "an expired certificate does not count"
    );
    // The other orders: headcount (largest first, unknown last), latest change, and
    // a search by name; each page continues the previous one.
    let employees = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["employees"].as_i64().unwrap_or(-1))
            .collect()
    };
    let (_, p1) = get(
        &app,
        &token,
        "/api/v1/organizations?sort=employees&limit=30",
    )
    .await;
    let c = p1["next_cursor"].as_str().unwrap().to_owned();
    let (_, p2) = get(
        &app,
        &token,
        &format!("/api/v1/organizations?sort=employees&limit=30&cursor={c}"),
    )
    .await;
    let mut both = employees(&p1);
    both.extend(employees(&p2));
    assert!(both.windows(2).all(|w| w[0] >= w[1]), "{both:?}");
    let (_, latest) = get(&app, &token, "/api/v1/organizations?sort=updated&limit=1").await;
    assert_eq!(names(&latest), ["Vigente"], "the latest change first");
    let (_, by_name) = get(
        &app,
        &token,
        "/api/v1/organizations?q=ejemplo&sort=name&limit=500",
    )
    .await;
    let listed = names(&by_name);
    let mut sorted = listed.clone();
    sorted.sort_by_key(|n| besaya_domain::text::fold(n));
    assert!(listed.len() > 10);
    assert_eq!(listed, sorted);

    // A new record takes its place in the name order at once.
    create(
        &app,
        &token,
        json!({"name": "Ábaco Primero", "kind": "company", "tax_id": tax(7_200_003)}),
    )
    .await;
    let (_, first) = get(&app, &token, "/api/v1/organizations?limit=1").await;
    assert_eq!(
        names(&first),
        ["Ábaco Primero"],
        "accents do not count in the order"
    );
    // Bad filters are 422 with the field named.
    for (q, field) in [
        ("kind=nave", "kind"),
        ("cnae=2x", "cnae"),
        ("size_band=huge", "size_band"),
        ("sort=price", "sort"),
        ("limit=0", "limit"),
        ("cursor=garbage", "cursor"),
    ] {
        let (status, p) = get(&app, &token, &format!("/api/v1/organizations?{q}")).await;
        assert_eq!(status, 422, "{q}");
        assert_eq!(p["errors"][0]["field"], field, "{q}");
    }
}

async fn a_record_is_validated_field_by_field(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    let (status, p) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/organizations",
        Some(json!({
            "name": " ", "kind": "nave", "tax_id": "B12345678",
            "cnae_codes": ["99.99", "25.53", "2553"], "municipality_code": "28079",
            "lat": 43.3, "employees": 300, "size_band": "small",
            "website": "javascript:alert(1)", "email": "no es correo", "phone": "abc",
            "dir3_code": "X", "certifications": [{"name": "ISO 9001", "expires_on": "31/12/2027"}],
            "description": "nul\u{0000}byte"
        })),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "name",
        "kind",
        "tax_id",
        "cnae_codes[0]",
        "cnae_codes[2]",
        "municipality_code",
        "lon",
        "size_band",
        "website",
        "email",
        "phone",
        "dir3_code",
        "certifications[0].expires_on",
        "description",
    ] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    assert!(
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["message"].as_str().unwrap().is_empty())
    );
    // Unknown fields and wrong types are refused, not ignored.
    let (status, _) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/organizations",
        Some(json!({"name": "X", "kind": "company", "tax_id": tax(7_300_001), "colour": "red"})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/organizations",
        Some(
            json!({"name": "X", "kind": "company", "tax_id": tax(7_300_001), "employees": "many"}),
        ),
    )
    .await;
    assert_eq!(status, 422);
    // A valid record: codes normalised, size derived, foreign VAT accepted.
    let org = create(
        &app,
        &token,
        json!({"name": "Batterien GmbH", "kind": "investor", "tax_id": "de 123 456 789",
               "cnae_codes": ["27.20"], "employees": 40, "website": "www.example.de"}),
    )
    .await;
    assert_eq!(org["tax_id"], "DE123456789");
    assert_eq!(org["cnae_codes"], json!(["2720"]));
    assert_eq!(org["size_band"], "small");
    assert_eq!(org["website"], "https://www.example.de");
    assert_eq!(org["cnae_version"], "2025");
    // Older files use CNAE-2009: accepted with its version.
    let old = create(
        &app,
        &token,
        json!({"name": "Antigua", "kind": "company", "tax_id": tax(7_300_002),
               "cnae_version": "2009", "cnae_codes": ["2562"]}),
    )
    .await;
    assert_eq!(old["cnae_version"], "2009");
    // Who may write: not a company user, not a pact member.
    for role in [Role::Company, Role::PactMember, Role::TrainingCentre] {
        let (t, _) = app.token(role).await;
        let (status, _) = send(
            &app,
            &t,
            reqwest::Method::POST,
            "/api/v1/organizations",
            Some(json!({"name": "X", "kind": "company", "tax_id": tax(7_300_003)})),
        )
        .await;
        assert_eq!(status, 403, "{role}");
    }
    let (t, _) = app.token(Role::Investor).await;
    assert_eq!(
        get(&app, &t, "/api/v1/organizations").await.0,
        403,
        "investors do not browse the directory"
    );
}

async fn duplicates_are_refused_and_point_to_the_existing_record(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    let first = create(
        &app,
        &token,
        json!({"name": "Primera", "kind": "company", "tax_id": tax(7_400_001)}),
    )
    .await;
    for spelling in [
        tax(7_400_001),
        format!("es-{}", tax(7_400_001).to_lowercase()),
    ] {
        let (status, p) = send(
            &app,
            &token,
            reqwest::Method::POST,
            "/api/v1/organizations",
            Some(json!({"name": "Segunda", "kind": "company", "tax_id": spelling})),
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(p["code"], "duplicate");
        assert_eq!(p["existing_id"], first["id"]);
    }
    // Changing another record to that tax id is refused the same way.
    let other = create(
        &app,
        &token,
        json!({"name": "Otra", "kind": "company", "tax_id": tax(7_400_002)}),
    )
    .await;
    let (status, p) = send(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/organizations/{}", other["id"].as_str().unwrap()),
        Some(json!({"version": 1, "tax_id": tax(7_400_001)})),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(p["existing_id"], first["id"]);
}

async fn changes_are_merge_patches_with_a_version(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let org = create(
        &app,
        &staff,
        json!({"name": "Parches", "kind": "company", "tax_id": tax(7_500_001),
               "phone": "+34 942 000 000", "employees": 20}),
    )
    .await;
    let path = format!("/api/v1/organizations/{}", org["id"].as_str().unwrap());
    let (status, p) = send(
        &app,
        &staff,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"phone": null})),
    )
    .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (422, Some("version"))
    );
    let (status, changed) = send(
        &app,
        &staff,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"version": 1, "phone": null, "capabilities": "Corte por láser"})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["phone"], Value::Null, "null clears");
    assert_eq!(changed["employees"], 20, "left out is kept");
    assert_eq!(changed["version"], 2);
    // Sending back what GET returned, with a change, works too.
    let (_, mut whole) = get(&app, &staff, &path).await;
    whole["trade_name"] = json!("Parches");
    let (status, _) = send(
        &app,
        &staff,
        reqwest::Method::PATCH,
        &path,
        Some(whole.clone()),
    )
    .await;
    assert_eq!(status, 200);
    // The same version again is stale: 409, nothing written.
    let (status, p) = send(&app, &staff, reqwest::Method::PATCH, &path, Some(whole)).await;
    assert_eq!(status, 409);
    assert_eq!(p["current_version"], 3);
    // A company user edits its own profile only, and not its kind.
    let (company, company_id) = app.token(Role::Company).await;
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(&company_id)
        .bind(org["id"].as_str().unwrap())
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (status, _) = send(
        &app,
        &company,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"version": 3, "capabilities": "Corte por láser y plegado"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        &company,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"version": 4, "kind": "investor"})),
    )
    .await;
    assert_eq!(status, 422);
    for (field, value) in [
        ("pact_member", json!(true)),
        ("tax_id", json!(tax(7_500_002))),
    ] {
        let (status, p) = send(
            &app,
            &company,
            reqwest::Method::PATCH,
            &path,
            Some(json!({"version": 4, field: value})),
        )
        .await;
        assert_eq!(
            (status, p["errors"][0]["field"].as_str()),
            (422, Some(field))
        );
    }
    let foundry: String =
        sqlx::query_scalar("SELECT id FROM organizations WHERE name LIKE 'Fundiciones Ejemplo%'")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    let (status, _) = send(
        &app,
        &company,
        reqwest::Method::PATCH,
        &format!("/api/v1/organizations/{foundry}"),
        Some(json!({"version": 1, "phone": "942000001"})),
    )
    .await;
    assert_eq!(status, 403, "another firm's profile");
    // Every change is in the audit log with what changed.
    let changes: Vec<String> = sqlx::query_scalar(
        "SELECT changes FROM audit_log WHERE entity = 'organization' AND entity_id = $1 AND action = 'update' ORDER BY id",
    )
    .bind(org["id"].as_str().unwrap())
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(changes.len(), 3);
    assert!(changes[0].contains("\"phone\"") && changes[0].contains("Corte por l"));
}

async fn delete_refuses_records_with_users(app: TestApp) {
    let (admin, _) = app.token(Role::Admin).await;
    let (staff, _) = app.token(Role::Staff).await;
    let org = create(
        &app,
        &admin,
        json!({"name": "Borrable", "kind": "other", "tax_id": tax(7_600_001)}),
    )
    .await;
    let path = format!("/api/v1/organizations/{}", org["id"].as_str().unwrap());
    assert_eq!(
        send(&app, &staff, reqwest::Method::DELETE, &path, None)
            .await
            .0,
        403
    );
    assert_eq!(
        send(
            &app,
            &admin,
            reqwest::Method::DELETE,
            &format!("{path}?version=7"),
            None
        )
        .await
        .0,
        409
    );
    let (_, user_id) = app.token(Role::Company).await;
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(&user_id)
        .bind(org["id"].as_str().unwrap())
        .execute(app.state.db.writer())
        .await
        .unwrap();
    assert_eq!(
        send(&app, &admin, reqwest::Method::DELETE, &path, None)
            .await
            .0,
        409
    );
    sqlx::query("DELETE FROM user_organizations WHERE user_id = $1")
        .bind(&user_id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    assert_eq!(
        send(
            &app,
            &admin,
            reqwest::Method::DELETE,
            &format!("{path}?version=1"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(get(&app, &admin, &path).await.0, 404);
    let (_, page) = get(&app, &admin, "/api/v1/organizations?q=borrable").await;
    assert!(names(&page).is_empty(), "gone from the search too");
}

async fn merging_moves_users_and_is_audited(app: TestApp) {
    let (admin, _) = app.token(Role::Admin).await;
    let survivor = create(
        &app,
        &admin,
        json!({"name": "Aceros Ejemplo", "kind": "company", "tax_id": tax(7_700_001),
               "cnae_codes": ["2410"]}),
    )
    .await;
    let loser = create(
        &app,
        &admin,
        json!({"name": "Aceros Ejemplo", "kind": "company", "tax_id": tax(7_700_002),
               "phone": "+34 942 000 777", "cnae_codes": ["2434"],
               "certifications": [{"name": "ISO 9001"}]}),
    )
    .await;
    let (_, user_id) = app.token(Role::Company).await;
    sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
        .bind(&user_id)
        .bind(loser["id"].as_str().unwrap())
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let path = format!(
        "/api/v1/organizations/{}/merge",
        survivor["id"].as_str().unwrap()
    );
    let (staff, _) = app.token(Role::Staff).await;
    let body = json!({"from": loser["id"], "version": 1});
    assert_eq!(
        send(
            &app,
            &staff,
            reqwest::Method::POST,
            &path,
            Some(body.clone())
        )
        .await
        .0,
        403
    );
    assert_eq!(
        send(
            &app,
            &admin,
            reqwest::Method::POST,
            &path,
            Some(json!({"from": loser["id"], "version": 9}))
        )
        .await
        .0,
        409
    );
    let (status, merged) = send(&app, &admin, reqwest::Method::POST, &path, Some(body)).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["phone"], "+34 942 000 777", "blank fields completed");
    assert_eq!(merged["cnae_codes"], json!(["2410", "2434"]));
    assert_eq!(merged["certifications"][0]["name"], "ISO 9001");
    let (status, _) = get(
        &app,
        &admin,
        &format!("/api/v1/organizations/{}", loser["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 404);
    let orgs: Vec<String> =
        sqlx::query_scalar("SELECT organization_id FROM user_organizations WHERE user_id = $1")
            .bind(&user_id)
            .fetch_all(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(orgs, [survivor["id"].as_str().unwrap()]);
    let audit: String = sqlx::query_scalar(
        "SELECT changes FROM audit_log WHERE action = 'merge' AND entity_id = $1",
    )
    .bind(loser["id"].as_str().unwrap())
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert!(audit.contains(survivor["id"].as_str().unwrap()) && audit.contains("users_moved"));
    let on_survivor: String = sqlx::query_scalar(
        "SELECT changes FROM audit_log WHERE action = 'merge' AND entity_id = $1",
    )
    .bind(survivor["id"].as_str().unwrap())
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert!(
        on_survivor.contains(loser["id"].as_str().unwrap())
            && on_survivor.contains(&tax(7_700_002))
    );
}

async fn writes_of_other_processes_reach_the_index(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    // Another instance, or the CLI, writes straight to the database.
    let catalog = &app.state.catalog;
    let tr = Tr::new(app.state.i18n.clone(), Lang::Es);
    let csv = format!(
        "tax_id,name,kind,capabilities\n{},Galvanizados Nuevos,company,galvanizado en caliente\n",
        tax(7_800_001)
    );
    let existing = import::existing_tax_ids(&app.state.db).await.unwrap();
    let report = import::check(
        csv.as_bytes(),
        catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert!(report.is_clean(), "{:?}", report.errors);
    import::commit(
        &app.state.db,
        None,
        &report.valid,
        &Arc::new(Progress::default()),
    )
    .await
    .unwrap();
    let (_, page) = get(&app, &token, "/api/v1/organizations?q=galvanizado").await;
    assert_eq!(
        names(&page).first().map(String::as_str),
        Some("Galvanizados Nuevos"),
        "found, and first: the word is in its name"
    );
}

/// A CSV of `n` firms, `bad` of them wrong in different ways (every 50th row).
fn firms_csv(n: u32, bad: bool) -> (String, Vec<usize>) {
    firms_csv_from(6_000_000, n, bad)
}

fn firms_csv_from(base: u32, n: u32, bad: bool) -> (String, Vec<usize>) {
    let mut s = String::from("tax_id;name;kind;cnae_codes;municipality_code;employees\n");
    let mut bad_lines = Vec::new();
    for i in 0..n {
        let line = i as usize + 2;
        let mut row = [
            tax(base + i),
            format!("Firma {i}"),
            "company".into(),
            "2553".into(),
            "39087".into(),
            "12".into(),
        ];
        if bad && i % 50 == 7 {
            bad_lines.push(line);
            match (i / 50) % 5 {
                0 => row[0] = "B1234567X".into(),
                1 => row[4] = "99999".into(),
                2 => row[5] = "muchos".into(),
                3 => row[2] = "nave".into(),
                _ => row[0] = tax(base),
            }
        }
        s.push_str(&row.join(";"));
        s.push('\n');
    }
    (s, bad_lines)
}

async fn an_import_with_bad_rows_writes_nothing_then_all_of_it(app: TestApp) {
    let tr = Tr::new(app.state.i18n.clone(), Lang::Es);
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organizations")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap()
    };
    let before = count().await;
    let existing = import::existing_tax_ids(&app.state.db).await.unwrap();
    let (file, bad_lines) = firms_csv(1000, true);
    let report = import::check(
        file.as_bytes(),
        &app.state.catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert_eq!(report.rows, 1000);
    let mut lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    lines.dedup();
    assert_eq!(
        lines, bad_lines,
        "each bad row is named once, by its spreadsheet row number"
    );
    assert_eq!(bad_lines.len(), 20);
    assert!(
        report
            .errors
            .iter()
            .all(|e| !e.column.is_empty() && !e.message.is_empty())
    );
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.column == "tax_id" && e.message.contains("fila 2")),
        "a repeated tax id names the first row"
    );
    assert!(!report.is_clean());
    assert_eq!(count().await, before, "a dry run writes nothing");

    let (file, _) = firms_csv(1000, false);
    let report = import::check(
        file.as_bytes(),
        &app.state.catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert!(
        report.is_clean(),
        "{:?}",
        &report.errors[..report.errors.len().min(3)]
    );
    assert_eq!((report.new, report.updates), (1000, 0));
    let done = import::commit(
        &app.state.db,
        None,
        &report.valid,
        &Arc::new(Progress::default()),
    )
    .await
    .unwrap();
    assert_eq!(done.created, 1000);
    assert_eq!(count().await, before + 1000);

    // All or nothing: a commit that fails half way leaves nothing behind.
    let (file, _) = firms_csv_from(6_100_000, 10, false);
    let mut rows = import::check(
        file.as_bytes(),
        &app.state.catalog,
        &tr,
        &std::collections::HashMap::new(),
        &Progress::default(),
    )
    .valid;
    let clash = rows[0].0.clone();
    rows.push((clash, None));
    let after = count().await;
    assert!(
        import::commit(&app.state.db, None, &rows, &Arc::new(Progress::default()))
            .await
            .is_err()
    );
    assert_eq!(count().await, after, "the failed commit wrote nothing");

    // Windows-1252 and a semicolon, with Spanish headers; names the municipality by name.
    let mut latin = b"NIF;Nombre;Tipo;Municipio\r\n".to_vec();
    latin.extend_from_slice(tax(7_900_001).as_bytes());
    latin.extend_from_slice(b";Fundici\xf3n Pe\xf1a;empresa;Torrelavega\r\n");
    let existing = import::existing_tax_ids(&app.state.db).await.unwrap();
    let report = import::check(
        &latin,
        &app.state.catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(report.valid[0].0.name, "Fundición Peña");
    assert_eq!(
        report.valid[0].0.municipality_code.as_deref(),
        Some("39087")
    );

    // Files that are not spreadsheets, or broken ones, say why in the user's language.
    for (bytes, says) in [
        (b"%PDF-1.7 ...".to_vec(), "Guárdelo como XLSX o CSV"),
        (b"".to_vec(), "está vacío"),
        (b"tax_id,name,name\n".to_vec(), "columnas repetidas"),
        (
            b"tax_id,name,kind\nB1,\"sin cerrar,company\n".to_vec(),
            "mal formado",
        ),
    ] {
        let r = import::check(
            &bytes,
            &app.state.catalog,
            &tr,
            &existing,
            &Progress::default(),
        );
        assert_eq!(r.errors.len(), 1);
        assert!(
            r.errors[0].message.contains(says),
            "{}",
            r.errors[0].message
        );
        assert!(!r.is_clean());
    }
    let stray = format!(
        "tax_id,name,kind\n{},Con resto,company,,perdido\n",
        tax(7_900_002)
    );
    let r = import::check(
        stray.as_bytes(),
        &app.state.catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert!(
        r.errors
            .iter()
            .any(|e| e.message.contains("columnas sin cabecera")),
        "{:?}",
        r.errors
    );

    // The template downloads and is itself a valid import.
    let template = import::template_csv(&tr);
    let report = import::check(
        &template,
        &app.state.catalog,
        &tr,
        &existing,
        &Progress::default(),
    );
    assert!(report.is_clean(), "{:?}", report.errors);
}

async fn exports_are_safe_and_read_back(app: TestApp) {
    let (token, _) = app.token(Role::Staff).await;
    create(
        &app,
        &token,
        json!({"name": "=HYPERLINK(\"http://example.es\",\"x\")", "kind": "company",
               "tax_id": tax(7_950_001), "trade_name": "<script>alert(1)</script>",
               "capabilities": "+34 y -5 @todos", "employees": 12}),
    )
    .await;
    let state = &app.state;
    let filter = Filter {
        q: Some("hyperlink".into()),
        ..Filter::default()
    };
    let csv = export::export(
        &state.db,
        &state.directory,
        &state.catalog,
        &filter,
        Sort::Name,
        export::Format::Csv,
    )
    .await
    .unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with(&format!("{},updated_on\r\n", import::COLUMNS.join(","))));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert!(
        text.contains(&format!(",{today}\r\n")),
        "the date of the last change, typed"
    );
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'+34 y -5 @todos"));
    assert!(
        text.contains("<script>alert(1)</script>"),
        "text is kept as text"
    );
    let xlsx = export::export(
        &state.db,
        &state.directory,
        &state.catalog,
        &Filter::default(),
        Sort::Name,
        export::Format::Xlsx,
    )
    .await
    .unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // The export of everything reads back as a clean import of updates.
    let tr = Tr::new(state.i18n.clone(), Lang::En);
    let existing = import::existing_tax_ids(&state.db).await.unwrap();
    let report = import::check(&xlsx, &state.catalog, &tr, &existing, &Progress::default());
    assert!(
        report.is_clean(),
        "{:?}",
        &report.errors[..report.errors.len().min(5)]
    );
    assert!(
        report.ignored_columns.is_empty(),
        "{:?}",
        report.ignored_columns
    );
    assert_eq!(report.updates, existing.len());
    let back = report
        .valid
        .iter()
        .find(|(v, _)| v.tax_id.as_str() == tax(7_950_001))
        .unwrap();
    assert_eq!(
        back.0.name, "=HYPERLINK(\"http://example.es\",\"x\")",
        "the XLSX keeps the value itself"
    );
    assert_eq!(back.0.employees, Some(12), "numbers stay numbers");
    let _ = store::get;
}

/// The form on the pages: errors next to their fields in Spanish, a stale edit
/// answered 409 with what the other person changed and the user's values kept,
/// and markup in data shown as text.
#[tokio::test]
async fn the_form_reports_errors_and_stale_edits() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (client, _) = app.signed_in(Role::Staff).await;
    let res = app
        .post_form(
            &client,
            "/directory/new",
            "/directory/new",
            &[
                ("name", "<script>alert(1)</script>"),
                ("kind", "company"),
                ("tax_id", "B12345678"),
                ("cnae_version", "2025"),
                ("cnae_1", "99.99"),
                ("lat", "43,3"),
                ("employees", "muchos"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="tax_id-error""#) && html.contains("carácter de control"));
    assert!(
        html.contains(r#"id="cnae_1-error""#) && html.contains("no existe en la clasificación")
    );
    assert!(
        html.contains(r#"id="lon-error""#),
        "latitude without longitude"
    );
    assert!(html.contains(r#"id="employees-error""#));
    let name_input = &html[html.find(r#"id="name""#).unwrap()..][..200];
    assert!(
        name_input.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || name_input.contains("&#60;script"),
        "the typed name is kept, escaped: {name_input}"
    );
    assert!(!html.contains("<script>alert(1)</script>"));

    let ok = app
        .post_form(
            &client,
            "/directory/new",
            "/directory/new",
            &[
                ("name", "Formulario Ejemplo"),
                ("kind", "company"),
                ("tax_id", &tax(8_100_001)),
                ("cnae_version", "2025"),
                ("cnae_1", "25.53"),
                ("municipality_code", "los corrales de buelna"),
                ("lat", "43,35"),
                ("lon", "-4,05"),
                (
                    "certifications",
                    "ISO 9001 | A-1 | AENOR | 2030-01-01\nEN 1090-2",
                ),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let location = ok.headers()["location"].to_str().unwrap().to_owned();
    let id = location.trim_start_matches("/directory/").to_owned();
    let detail = client
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("25.53 Mecanizado de metales") && detail.contains("EN 1090-2"));
    assert!(
        detail.contains("Los Corrales de Buelna"),
        "the municipality picked by its name"
    );
    let stored: Option<String> =
        sqlx::query_scalar("SELECT municipality_code FROM organizations WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(stored.as_deref(), Some("39025"), "stored as its INE code");

    // Two people edit; the second one's save is stale.
    let edit = format!("/directory/{id}/edit");
    let (other, _) = app.signed_in(Role::Admin).await;
    let first = app
        .post_form(
            &other,
            &edit,
            &edit,
            &[
                ("name", "Formulario Ejemplo"),
                ("kind", "company"),
                ("tax_id", &tax(8_100_001)),
                ("cnae_1", "25.53"),
                ("phone", "942 000 111"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(first.status(), 303);
    let stale = app
        .post_form(
            &client,
            &edit,
            &edit,
            &[
                ("name", "Formulario Ejemplo Renombrado"),
                ("kind", "company"),
                ("tax_id", &tax(8_100_001)),
                ("cnae_1", "25.53"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(
        html.contains("942 000 111"),
        "shows what the other person saved"
    );
    assert!(
        html.contains(r#"value="Formulario Ejemplo Renombrado""#),
        "keeps the user's value"
    );
    assert!(
        html.contains(r#"name="version" value="2""#),
        "ready to save over version 2"
    );
    let again = app
        .post_form(
            &client,
            &edit,
            &edit,
            &[
                ("name", "Formulario Ejemplo Renombrado"),
                ("kind", "company"),
                ("tax_id", &tax(8_100_001)),
                ("cnae_1", "25.53"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(again.status(), 303);

    // A duplicate tax id on the form links to the record that holds it.
    let dup = app
        .post_form(
            &client,
            "/directory/new",
            "/directory/new",
            &[
                ("name", "Copia"),
                ("kind", "company"),
                ("tax_id", &tax(8_100_001)),
            ],
        )
        .await;
    assert_eq!(dup.status(), 409);
    assert!(
        dup.text()
            .await
            .unwrap()
            .contains(&format!(r#"href="/directory/{id}""#))
    );
}

/// The import page: the upload limit answers with a clear message, a clean file
/// goes through check → report → commit, and only the uploader sees the import.
#[tokio::test]
async fn the_import_page_checks_then_commits() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| c.import_max_mb = 1).await;
    let (client, _) = app.signed_in(Role::Staff).await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let client = client.clone();
        let app = &app;
        async move {
            let token = app.csrf(&client, "/directory/import").await;
            let form = reqwest::multipart::Form::new().text("_csrf", token).part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            client
                .post(app.url("/directory/import"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let big = upload(vec![b'a'; 1024 * 1024 + 10], "grande.csv").await;
    assert_eq!(big.status(), 413);
    assert!(
        big.text()
            .await
            .unwrap()
            .contains("supera el límite de 1 MB")
    );

    let csv = format!(
        "tax_id,name,kind\n{},Subida Uno,company\n{},Subida Dos,company\n",
        tax(8_200_001),
        tax(8_200_002)
    );
    let res = upload(csv.into_bytes(), "dos.csv").await;
    assert_eq!(res.status(), 303);
    let report_path = res.headers()["location"].to_str().unwrap().to_owned();
    let mut html = String::new();
    for _ in 0..100 {
        html = client
            .get(app.url(&report_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !html.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        html.contains("El archivo está limpio: 2 filas válidas"),
        "{html}"
    );
    // Someone else cannot see or commit it.
    let (stranger, _) = app.signed_in(Role::Staff).await;
    assert_eq!(
        stranger
            .get(app.url(&report_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let commit = app
        .post_form(&client, &report_path, &format!("{report_path}/commit"), &[])
        .await;
    assert_eq!(commit.status(), 303);
    for _ in 0..100 {
        html = client
            .get(app.url(&report_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !html.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(html.contains("2 organizaciones nuevas"), "{html}");
    let list = client
        .get(app.url("/directory?q=subida"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Subida Uno") && list.contains("Subida Dos"));
    // The template downloads as a CSV with the columns.
    let template = client
        .get(app.url("/directory/import/template.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        template.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        template
            .text()
            .await
            .unwrap()
            .contains("tax_id,name,trade_name,kind")
    );
}
