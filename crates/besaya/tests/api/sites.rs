//! Sites through the API and the open data, on both databases: public reads of
//! published sites only, filters that eliminate unknown facts, matching with a
//! reason per criterion, validation (cadastral letters, coordinates), versions,
//! availability moves, estates, GeoJSON and CSV.

use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends};

backends!(
    the_public_reads_published_sites_only,
    filters_eliminate_sites_lacking_the_fact,
    matching_explains_every_criterion,
    a_site_is_validated_before_saving,
    changes_need_the_version_and_availability_moves_by_rule,
    estates_hold_sites,
    open_data_is_valid_and_public_only,
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

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

fn error_fields(problem: &Value) -> Vec<(String, String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                        e["message"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn the_public_reads_published_sites_only(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let res = app.get("/api/v1/sites?limit=500").await;
    assert_eq!(res.status(), 200);
    let public_total: usize = res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let public: Value = res.json().await.unwrap();
    assert_eq!(items(&public).len(), public_total);
    assert!(items(&public).iter().all(|s| s["published"] == true));
    assert!(items(&public).iter().all(|s| s["internal_notes"].is_null()));
    let (status, all) = get(&app, Some(&staff), "/api/v1/sites?limit=500").await;
    assert_eq!(status, 200);
    let hidden: Vec<&Value> = items(&all)
        .iter()
        .filter(|s| s["published"] == false)
        .collect();
    assert!(!hidden.is_empty(), "the demo has unpublished sites");
    assert_eq!(items(&all).len(), public_total + hidden.len());
    let id = hidden[0]["id"].as_str().unwrap();
    assert_eq!(get(&app, None, &format!("/api/v1/sites/{id}")).await.0, 404);
    assert_eq!(
        get(&app, Some(&staff), &format!("/api/v1/sites/{id}"))
            .await
            .0,
        200
    );
    // An investor (signed in, not the office) sees what the public sees.
    let (investor, _) = app.token(Role::Investor).await;
    assert_eq!(
        get(&app, Some(&investor), &format!("/api/v1/sites/{id}"))
            .await
            .0,
        404
    );
    // A token that is not valid is refused rather than ignored.
    assert_eq!(get(&app, Some("not-a-token"), "/api/v1/sites").await.0, 401);
    // Only the office writes.
    for role in [
        Role::Company,
        Role::Investor,
        Role::PactMember,
        Role::TrainingCentre,
    ] {
        let (t, _) = app.token(role).await;
        let (status, _) = post(
            &app,
            Some(&t),
            "/api/v1/sites",
            json!({"name": "X", "kind": "plot", "municipality_code": "39087"}),
        )
        .await;
        assert_eq!(status, 403, "{role:?}");
    }
    let (status, _) = post(&app, None, "/api/v1/sites", json!({"name": "X"})).await;
    assert_eq!(status, 401);
}

async fn filters_eliminate_sites_lacking_the_fact(app: TestApp) {
    let (status, page) = get(
        &app,
        None,
        "/api/v1/sites?kind=plot&area_min=5000&area_max=20000&min_power_kva=1000&rail=true&limit=500",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let found = items(&page);
    assert!(found.len() >= 3, "the demo has plots that qualify: {page}");
    for s in found {
        let area = s["area_m2"].as_f64().unwrap();
        assert!((5000.0..=20000.0).contains(&area), "{s}");
        assert!(s["power_kva"].as_f64().unwrap() >= 1000.0, "{s}");
        assert_eq!(s["rail_siding"], true);
        assert_eq!(s["kind"], "plot");
    }
    // Spanish thousands are understood; a word is not a number.
    let (_, spanish) = get(&app, None, "/api/v1/sites?kind=plot&area_min=5.000&area_max=20.000&min_power_kva=1.000&rail=true&limit=500").await;
    assert_eq!(items(&spanish).len(), found.len());
    let (status, problem) = get(&app, None, "/api/v1/sites?area_min=mucho").await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem)[0].0, "area_min");
    // A use filter passes sites whose plan allows the section or the division.
    let (_, metal) = get(&app, None, "/api/v1/sites?use=24.10&limit=500").await;
    assert!(!items(&metal).is_empty());
    for s in items(&metal) {
        let uses: Vec<&str> = s["permitted_uses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert!(uses.contains(&"C") || uses.contains(&"24"), "{uses:?}");
    }
}

async fn matching_explains_every_criterion(app: TestApp) {
    let body = json!({
        "area_m2": {"min": 5000, "max": 20000},
        "power_kva": {"min": 1000},
        "rail_siding": {},
        "gas": {"importance": "preferred"},
    });
    let (status, res) = post(&app, None, "/api/v1/sites/match", body.clone()).await;
    assert_eq!(status, 200, "{res}");
    let results = res["results"].as_array().unwrap();
    let considered = res["considered"].as_u64().unwrap();
    let eliminated = res["eliminated"].as_u64().unwrap();
    let incomplete = res["incomplete"].as_u64().unwrap();
    assert_eq!(results.len() as u64 + eliminated, considered);
    let matches: Vec<&Value> = results.iter().filter(|r| r["status"] == "match").collect();
    assert!(matches.len() >= 3, "{res}");
    assert_eq!(results.len() - matches.len(), incomplete as usize);
    // Matches come first, then sites where a required fact is unknown.
    let first_incomplete = results
        .iter()
        .position(|r| r["status"] == "incomplete")
        .unwrap_or(results.len());
    assert!(
        results[first_incomplete..]
            .iter()
            .all(|r| r["status"] == "incomplete")
    );
    for r in results {
        let checks = r["checks"].as_array().unwrap();
        assert_eq!(checks.len(), 4, "one check per stated criterion");
        for c in checks {
            assert!(!c["reason"].as_str().unwrap().is_empty());
            if c["importance"] == "required" {
                assert_ne!(c["outcome"], "fail", "a failed requirement eliminates: {r}");
                if r["status"] == "match" {
                    assert_eq!(c["outcome"], "pass");
                }
            }
        }
        if r["status"] == "incomplete" {
            assert!(
                checks
                    .iter()
                    .any(|c| c["importance"] == "required" && c["outcome"] == "unknown")
            );
        }
    }
    // A plot with too little power: eliminated when power is required, ranked
    // lower (with its reason) when it is only preferred.
    let (staff, _) = app.token(Role::Staff).await;
    let (_, weak) = post(&app, Some(&staff), "/api/v1/sites", json!({"name": "Parcela débil", "kind": "plot", "municipality_code": "39054", "published": true, "area_m2": 9000, "power_kva": 630, "rail_siding": true})).await;
    let (_, res) = post(&app, None, "/api/v1/sites/match", body.clone()).await;
    assert!(
        res["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["site_id"] != weak["id"])
    );
    let preferred = json!({"power_kva": {"min": 1000, "importance": "preferred"}, "rail_siding": {}, "area_m2": {"min": 5000, "max": 20000}});
    let (_, res) = post(&app, None, "/api/v1/sites/match", preferred).await;
    let row = res["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["site_id"] == weak["id"])
        .expect("ranked, not eliminated");
    assert_eq!(row["status"], "match");
    assert_eq!(row["score"], 0.0);
    let power_check = row["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == "power")
        .unwrap();
    assert_eq!(power_check["outcome"], "fail");
    assert_eq!(
        power_check["reason"],
        "needs 1,000 kVA, site offers 630 kVA"
    );
    let top = &res["results"][0];
    assert!(
        top["score"].as_f64().unwrap() > 0.0,
        "sites meeting the preference rank first"
    );
    // Unknown facts never pass: hiding incomplete sites leaves only full matches.
    let mut strict = body.clone();
    strict["include_incomplete"] = json!(false);
    let (_, res) = post(&app, None, "/api/v1/sites/match", strict).await;
    assert!(
        res["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "match")
    );
    // Bad requirements are named.
    let (status, problem) = post(
        &app,
        None,
        "/api/v1/sites/match",
        json!({"use": {"cnae": "metal"}, "available_by": {"date": "mañana"}}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = error_fields(&problem).into_iter().map(|e| e.0).collect();
    assert!(
        fields.contains(&"use".to_owned()) && fields.contains(&"available_by".to_owned()),
        "{problem}"
    );
    let (status, _) = post(
        &app,
        None,
        "/api/v1/sites/match",
        json!({"power_kva": {"min": -5}}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post(&app, None, "/api/v1/sites/match", json!({"colour": "blue"})).await;
    assert_eq!(status, 422);
}

async fn a_site_is_validated_before_saving(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let base = json!({"name": "Parcela de prueba", "kind": "plot", "municipality_code": "39087"});
    // A wrong control letter names the right ones.
    let mut bad = base.clone();
    bad["cadastral_refs"] = json!(["9872023VH5797S0001WA"]);
    let (status, problem) = post(&app, Some(&staff), "/api/v1/sites", bad).await;
    assert_eq!(status, 422, "{problem}");
    let (field, code, message) = error_fields(&problem).remove(0);
    assert_eq!(
        (field.as_str(), code.as_str()),
        ("cadastral_refs", "cadastre_control")
    );
    assert!(message.contains("WX"), "{message}");
    // Swapped coordinates are flagged with the likely intended ones; far away ones too.
    let mut swapped = base.clone();
    swapped["lat"] = json!(-4.05);
    swapped["lon"] = json!(43.35);
    let (status, problem) = post(&app, Some(&staff), "/api/v1/sites", swapped).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem)[0].1, "point_swapped");
    let mut madrid = base.clone();
    madrid["lat"] = json!(40.41);
    madrid["lon"] = json!(-3.70);
    let (_, problem) = post(&app, Some(&staff), "/api/v1/sites", madrid).await;
    assert_eq!(error_fields(&problem)[0].1, "point_outside");
    let mut half = base.clone();
    half["lat"] = json!(43.35);
    let (_, problem) = post(&app, Some(&staff), "/api/v1/sites", half).await;
    assert_eq!(error_fields(&problem)[0].1, "lat_lon_pair");
    let mut numbers = base.clone();
    numbers["area_m2"] = json!(-3);
    numbers["net_area_m2"] = json!(10);
    numbers["kind"] = json!("castle");
    numbers["permitted_uses"] = json!(["ZZ"]);
    let (_, problem) = post(&app, Some(&staff), "/api/v1/sites", numbers).await;
    let codes: Vec<String> = error_fields(&problem).into_iter().map(|e| e.1).collect();
    assert!(
        codes.contains(&"figure_range".to_owned())
            && codes.contains(&"invalid_choice".to_owned())
            && codes.contains(&"invalid_use".to_owned()),
        "{codes:?}"
    );
    // A valid site: unknown facts stay null, distances are computed from the coordinates.
    let mut good = base.clone();
    good["lat"] = json!(43.3371);
    good["lon"] = json!(-4.0593);
    good["cadastral_refs"] = json!(["9872023 vh5797s 0001 wx"]);
    good["area_m2"] = json!(8000);
    good["reference"] = json!("TEST-1");
    let (status, site) = post(&app, Some(&staff), "/api/v1/sites", good.clone()).await;
    assert_eq!(status, 201, "{site}");
    assert_eq!(site["cadastral_refs"], json!(["9872023VH5797S0001WX"]));
    for unknown in [
        "power_kva",
        "rail_siding",
        "gas",
        "sale_price_m2",
        "availability",
        "flood_risk",
    ] {
        assert!(site[unknown].is_null(), "{unknown} stays unknown");
    }
    assert_eq!(
        site["published"], false,
        "new sites are drafts until published"
    );
    let motorway = &site["distances"]["motorway"];
    assert_eq!(motorway["source"], "computed");
    assert!(motorway["km"].as_f64().unwrap() < 5.0, "{motorway}");
    assert!(site["distances"]["port"]["km"].as_f64().unwrap() > 15.0);
    // The reference is unique.
    let (status, problem) = post(&app, Some(&staff), "/api/v1/sites", good).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem)[0].0, "reference");
    // A given distance overrides the computed one.
    let (status, site2) = post(&app, Some(&staff), "/api/v1/sites", json!({"name": "Nave", "kind": "warehouse", "municipality_code": "Torrelavega", "lat": 43.34, "lon": -4.06, "motorway_km": 2.5})).await;
    assert_eq!(status, 201, "{site2}");
    assert_eq!(site2["municipality_code"], "39087");
    assert_eq!(
        site2["distances"]["motorway"],
        json!({"km": 2.5, "source": "given", "to": site2["distances"]["motorway"]["to"]})
    );
}

async fn changes_need_the_version_and_availability_moves_by_rule(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (_, site) = post(&app, Some(&staff), "/api/v1/sites", json!({"name": "Parcela V", "kind": "plot", "municipality_code": "39087", "availability": "available", "published": true})).await;
    let id = site["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/sites/{id}");
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &path,
        Some(json!({"power_kva": 1200})),
    )
    .await;
    assert_eq!(status, 422, "the version is required");
    let (status, changed) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &path,
        Some(json!({"power_kva": 1200, "version": 1})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["power_kva"], 1200.0);
    assert_eq!(changed["version"], 2);
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &path,
        Some(json!({"power_kva": 900, "version": 1})),
    )
    .await;
    assert_eq!(status, 409, "a stale version loses nothing");
    assert_eq!(get(&app, None, &path).await.1["power_kva"], 1200.0);
    // Clearing a fact makes it unknown again.
    let (_, cleared) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &path,
        Some(json!({"power_kva": null, "version": 2})),
    )
    .await;
    assert!(cleared["power_kva"].is_null());
    // The availability moves through its transitions only.
    let (status, problem) = call(
        &app,
        Some(&staff),
        reqwest::Method::PATCH,
        &path,
        Some(json!({"availability": "sold", "version": 3})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem)[0].1, "use_transitions");
    let moves = format!("{path}/transitions");
    let (status, sold) = post(
        &app,
        Some(&staff),
        &moves,
        json!({"to": "sold", "effective_on": "2026-11-01", "version": 3}),
    )
    .await;
    assert_eq!(status, 200, "{sold}");
    assert_eq!(sold["availability"], "sold");
    let (status, problem) = post(
        &app,
        Some(&staff),
        &moves,
        json!({"to": "reserved", "version": 4}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        error_fields(&problem)[0].2.contains("allowed: available"),
        "{problem}"
    );
    let (status, _) = post(
        &app,
        Some(&staff),
        &moves,
        json!({"to": "available", "version": 3}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, back) = post(
        &app,
        Some(&staff),
        &moves,
        json!({"to": "available", "available_from": "2027-03-01", "version": 4}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(back["available_from"], "2027-03-01");
    // Every move is in the audit log.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'site' AND entity_id = $1 AND action = 'transition'")
        .bind(&id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Deleting needs the office and the right version.
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::DELETE,
        &format!("{path}?version=1"),
        None,
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::DELETE,
        &format!("{path}?version=5"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(get(&app, Some(&staff), &path).await.0, 404);
}

async fn estates_hold_sites(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (status, estates) = get(&app, None, "/api/v1/estates").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = estates
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let outline = json!({"type": "Polygon", "coordinates": [[[-4.05, 43.35], [-4.04, 43.35], [-4.04, 43.355], [-4.05, 43.35]]]});
    let (status, estate) = post(&app, Some(&staff), "/api/v1/estates", json!({"name": "Polígono de Prueba", "municipality_code": "39087", "outline": outline, "status": "planned"})).await;
    assert_eq!(status, 201, "{estate}");
    assert!(
        estate["lat"].as_f64().is_some(),
        "the centre comes from the outline"
    );
    let (status, _) = post(
        &app,
        Some(&staff),
        "/api/v1/estates",
        json!({"name": "Polígono de Prueba", "municipality_code": "39087"}),
    )
    .await;
    assert_eq!(status, 422);
    let swapped = json!({"type": "Polygon", "coordinates": [[[43.35, -4.05], [43.35, -4.04], [43.355, -4.04], [43.35, -4.05]]]});
    let (status, problem) = post(
        &app,
        Some(&staff),
        "/api/v1/estates",
        json!({"name": "Otro", "municipality_code": "39087", "outline": swapped}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem)[0].1, "outline_swapped");
    let eid = estate["id"].as_str().unwrap();
    let (status, site) = post(
        &app,
        Some(&staff),
        "/api/v1/sites",
        json!({"name": "P1", "kind": "plot", "municipality_code": "39087", "estate_id": eid}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(site["estate_name"], "Polígono de Prueba");
    let (status, _) = call(
        &app,
        Some(&staff),
        reqwest::Method::DELETE,
        &format!("/api/v1/estates/{eid}"),
        None,
    )
    .await;
    assert_eq!(status, 409, "an estate with sites stays");
    let (status, _) = post(
        &app,
        Some(&staff),
        "/api/v1/sites",
        json!({"name": "P2", "kind": "plot", "municipality_code": "39087", "estate_id": "nope"}),
    )
    .await;
    assert_eq!(status, 422);
}

async fn open_data_is_valid_and_public_only(app: TestApp) {
    let res = app.get("/open-data/sites.geojson").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/geo+json");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let geo: Value = res.json().await.unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    assert_eq!(geo["license"], "CC-BY-4.0");
    let features = geo["features"].as_array().unwrap();
    let (_, public) = get(&app, None, "/api/v1/sites?limit=500").await;
    let with_point = items(&public)
        .iter()
        .filter(|s| !s["lat"].is_null())
        .count();
    assert_eq!(features.len(), with_point);
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (-4.9..-3.1).contains(&lon) && (42.7..43.6).contains(&lat),
            "RFC 7946 order is [lon, lat]"
        );
        let p = f["properties"].as_object().unwrap();
        for private in [
            "internal_notes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "published",
        ] {
            assert!(!p.contains_key(private), "{private} is not open data");
        }
    }
    // Gzipped once per revision and served as it is to clients that accept it.
    for _ in 0..2 {
        let res = app
            .client
            .get(app.url("/open-data/sites.geojson"))
            .header("accept-encoding", "gzip, br;q=0")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let bytes = res.bytes().await.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .unwrap();
        let unzipped: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            unzipped["features"].as_array().unwrap().len(),
            features.len()
        );
    }
    let res = app
        .client
        .get(app.url("/open-data/sites.geojson"))
        .header("accept-encoding", "gzip;q=0")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("content-encoding").is_none(),
        "gzip;q=0 refuses gzip"
    );
    // Unchanged data answers 304; a change moves the tag.
    let res = app
        .client
        .get(app.url("/open-data/sites.geojson"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    let (staff, _) = app.token(Role::Staff).await;
    post(&app, Some(&staff), "/api/v1/sites", json!({"name": "Nueva", "kind": "plot", "municipality_code": "39087", "lat": 43.34, "lon": -4.05, "published": true})).await;
    let res = app
        .client
        .get(app.url("/open-data/sites.geojson"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let geo: Value = res.json().await.unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), with_point + 1);
    // Filters apply; bad ones get problem+json.
    let (_, rail) = get(&app, None, "/open-data/sites.geojson?rail=yes").await;
    assert!(
        rail["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["rail_siding"] == true)
    );
    let res = app.get("/open-data/sites.geojson?min_power_kva=lots").await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // CSV: a header, one row per published site, unknown as an empty cell.
    let res = app.get("/open-data/sites.csv").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = res.text().await.unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert!(
        headers
            .iter()
            .all(|h| h != "internal_notes" && h != "contact_email")
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), items(&public).len() + 1);
    let power = headers.iter().position(|h| h == "power_kva").unwrap();
    assert!(
        rows.iter().any(|r| r[power].is_empty()),
        "unknown power is an empty cell, not 0"
    );
}
