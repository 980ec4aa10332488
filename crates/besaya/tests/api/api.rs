//! The API skeleton: OpenAPI, problem+json errors, the list/cursor convention and
//! the reference data endpoints, on both backends.

use serde_json::Value;

use crate::helpers::{TestApp, backends};

backends!(
    municipalities_page_through_with_cursors,
    district_follows_the_configuration,
    cnae_search_is_accent_and_case_insensitive,
    search_input_is_data_not_sql,
    bad_list_parameters_are_problems,
    readiness_checks_the_database,
);

async fn municipalities_page_through_with_cursors(app: TestApp) {
    let mut seen = Vec::new();
    let mut path = "/api/v1/reference/municipalities?limit=40".to_owned();
    let mut pages = 0;
    loop {
        let page = app.get_json(&path, 200).await;
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 40);
        seen.extend(
            items
                .iter()
                .map(|m| m["ine_code"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/reference/municipalities?limit=40&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 102, "Cantabria has 102 municipalities");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "in INE order, without repeats");
    let first = app
        .get_json("/api/v1/reference/municipalities?limit=1", 200)
        .await;
    assert_eq!(first["items"][0]["ine_code"], "39001");
    assert_eq!(first["items"][0]["name"], "Alfoz de Lloredo");
}

async fn district_follows_the_configuration(app: TestApp) {
    // Default: the traditional comarca "Besaya" of the shipped file.
    let page = app
        .get_json(
            "/api/v1/reference/municipalities?district=true&limit=500",
            200,
        )
        .await;
    let codes: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ine_code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"39003"),
        "Anievas is in the comarca Besaya: {codes:?}"
    );
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["in_district"] == true)
    );
    let out = app
        .get_json(
            "/api/v1/reference/municipalities?district=false&limit=500",
            200,
        )
        .await;
    assert_eq!(codes.len() + out["items"].as_array().unwrap().len(), 102);
    // A configured list replaces it.
    besaya::reference::load::sync_district(&app.state.db, &["39087".into(), "39025".into()])
        .await
        .unwrap();
    let page = app
        .get_json("/api/v1/reference/municipalities?district=true", 200)
        .await;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Los Corrales de Buelna", "Torrelavega"]);
    // Unknown and malformed codes are configuration errors, and change nothing.
    let err = besaya::reference::load::sync_district(&app.state.db, &["39999".into()])
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not municipalities of Cantabria"),
        "{err}"
    );
    assert!(
        besaya::reference::load::sync_district(&app.state.db, &["Torrelavega".into()])
            .await
            .is_err()
    );
    let still = app
        .get_json("/api/v1/reference/municipalities?district=true", 200)
        .await;
    assert_eq!(still["items"].as_array().unwrap().len(), 2);
}

fn codes(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn cnae_search_is_accent_and_case_insensitive(app: TestApp) {
    let plain = app
        .get_json("/api/v1/reference/cnae?q=fundicion%20HIERRO", 200)
        .await;
    assert_eq!(codes(&plain), ["2451"]);
    assert_eq!(plain["items"][0]["title_es"], "Fundición de hierro");
    let accented = app
        .get_json("/api/v1/reference/cnae?q=Fundici%C3%B3n&level=4", 200)
        .await;
    assert_eq!(codes(&accented), ["2451", "2452", "2453", "2454"]);
    let english = app
        .get_json("/api/v1/reference/cnae?q=casting%20of%20steel", 200)
        .await;
    assert_eq!(codes(&english), ["2452"]);
    let by_code = app.get_json("/api/v1/reference/cnae?q=24.5", 200).await;
    assert_eq!(codes(&by_code)[..3], ["245", "2451", "2452"]);
    let sections = app
        .get_json("/api/v1/reference/cnae?level=1&limit=500", 200)
        .await;
    assert_eq!(codes(&sections).len(), 21, "CNAE-2009 has 21 sections");
    let sections_2025 = app
        .get_json("/api/v1/reference/cnae?version=2025&level=1&limit=500", 200)
        .await;
    assert_eq!(codes(&sections_2025).len(), 22, "CNAE-2025 has 22 sections");
    let machining = app
        .get_json(
            "/api/v1/reference/cnae?version=2025&q=mecanizado&level=4",
            200,
        )
        .await;
    assert_eq!(
        codes(&machining),
        ["2553"],
        "CNAE-2025 sits beside CNAE-2009"
    );
    let bad = app
        .get_json("/api/v1/reference/cnae?version=2030", 422)
        .await;
    assert_eq!(bad["errors"][0]["field"], "version");
}

async fn search_input_is_data_not_sql(app: TestApp) {
    for q in [
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "x') UNION SELECT 1,2,3,4,5,6 --",
        "%%25",
    ] {
        let path = format!(
            "/api/v1/reference/cnae?q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        );
        let page = app.get_json(&path, 200).await;
        assert!(codes(&page).is_empty(), "{q:?} matched {:?}", codes(&page));
        let path = format!(
            "/api/v1/reference/municipalities?q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        );
        let page = app.get_json(&path, 200).await;
        assert!(page["items"].as_array().unwrap().is_empty(), "{q:?}");
    }
    let torre = app
        .get_json("/api/v1/reference/municipalities?q=TORRE", 200)
        .await;
    assert_eq!(torre["items"][0]["ine_code"], "39087");
}

async fn bad_list_parameters_are_problems(app: TestApp) {
    for (path, status, code, field) in [
        (
            "/api/v1/reference/municipalities?limit=0",
            422,
            "validation_failed",
            Some("limit"),
        ),
        (
            "/api/v1/reference/municipalities?limit=501",
            422,
            "validation_failed",
            Some("limit"),
        ),
        (
            "/api/v1/reference/municipalities?limit=-3",
            422,
            "validation_failed",
            Some("limit"),
        ),
        (
            "/api/v1/reference/municipalities?limit=ten",
            400,
            "invalid_query",
            None,
        ),
        (
            "/api/v1/reference/municipalities?limit=99999999999999999999",
            400,
            "invalid_query",
            None,
        ),
        (
            "/api/v1/reference/municipalities?district=maybe",
            400,
            "invalid_query",
            None,
        ),
        (
            "/api/v1/reference/municipalities?cursor=not-ours",
            422,
            "validation_failed",
            Some("cursor"),
        ),
        (
            "/api/v1/reference/cnae?version=1993",
            422,
            "validation_failed",
            Some("version"),
        ),
        (
            "/api/v1/reference/cnae?level=7",
            422,
            "validation_failed",
            Some("level"),
        ),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), status, "{path}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], code, "{path}: {body}");
        assert_eq!(body["status"], status, "{path}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["field"], field, "{path}: {body}");
        }
    }
}

async fn readiness_checks_the_database(app: TestApp) {
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.state.db.close().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "liveness does not need the database"
    );
}

#[tokio::test]
async fn openapi_document_is_3_1_and_describes_the_routes() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let doc = app.get_json("/api/v1/openapi.json", 200).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Besaya API");
    for path in ["/api/v1/reference/municipalities", "/api/v1/reference/cnae"] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    for path in ["/api/v1/nope", "/api/v1/reference/nope/deeper", "/api/v1/"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_found");
    }
    let res = app
        .client
        .delete(app.url("/api/v1/reference/cnae"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn metrics_live_on_their_own_address() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    app.get_json("/api/v1/reference/cnae?q=acero", 200).await;
    let text = app
        .client
        .get(format!("{}/metrics", app.metrics))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#"besaya_http_requests_total{method="GET",route="/api/v1/reference/cnae",status="200"} 1"#),
        "{text}"
    );
    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the public address"
    );
}
