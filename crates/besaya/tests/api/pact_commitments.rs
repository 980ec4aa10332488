//! The Pact's commitments tree, on both databases: the roll-up by weight over
//! three levels (a cancelled child ignored); a loop refused; a stale version
//! 409; the owner's representative reports progress but not the title, another
//! representative is refused (403: they read the workspace, so the record is no
//! secret) and a user without a seat gets 404; a commitment from an agreement
//! links its meeting as `decided` and the agreement gives only one; the export
//! imports back with no change; a file with bad rows or a stale version applies
//! nothing and names the rows; the public tree hides a private node and its
//! subtree; an indicator-linked leaf moves when a need is answered within target;
//! the pages show the tree with its words and the representative's short form.

use besaya::pact::commitments::model::tree;
use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends};

backends!(
    a_three_level_tree_rolls_up_by_weight_and_refuses_loops,
    the_owner_reports_progress_and_others_may_not,
    an_agreement_gives_one_commitment_linked_to_its_meeting,
    the_export_imports_back_with_no_change,
    a_bad_file_applies_nothing_and_names_the_rows,
    the_public_tree_hides_a_private_subtree,
    an_indicator_leaf_moves_when_a_need_is_answered_in_time,
    the_pages_show_the_tree_and_the_short_form,
    the_import_page_previews_then_applies,
);

const T0: &str = "2026-01-01T00:00:00.000000Z";

async fn org(app: &TestApp, name: &str, tax: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, version, created_at, updated_at) \
         VALUES ($1, $2, 'union', $3, 1, $4, $4)",
    )
    .bind(&id)
    .bind(name)
    .bind(tax)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// A current member for `org` with `user` as its representative.
async fn represent(app: &TestApp, org: &str, user: &str) {
    let member = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_members (id, organization_id, college, joined_on, version, created_at, updated_at) \
         VALUES ($1, $2, 'unions', '2025-01-01', 1, $3, $3)",
    )
    .bind(&member)
    .bind(org)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO pact_representatives (member_id, user_id, role, created_at) VALUES ($1, $2, 'holder', $3)",
    )
    .bind(&member)
    .bind(user)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::PATCH, path, Some(body)).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

/// Creates a commitment; returns (id, reference).
async fn commit(app: &TestApp, token: &str, body: Value) -> (String, String) {
    let (s, v) = post(app, token, "/api/v1/pact/commitments", body.clone()).await;
    assert_eq!(s, 201, "{body} → {v}");
    (
        v["commitment"]["id"].as_str().unwrap().to_owned(),
        v["commitment"]["reference"].as_str().unwrap().to_owned(),
    )
}

fn line<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["commitment"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))
}

/// root ─┬─ a ─┬─ a1 (in progress 50, weight 3)
///       │     ├─ a2 (finished, weight 1)
///       │     └─ a3 (cancelled, 0)
///       └─ b (in progress 20)
async fn three_levels(app: &TestApp, staff: &str) -> [String; 6] {
    let (root, _) = commit(app, staff, json!({"title": "Suelo industrial y energía"})).await;
    let (a, _) = commit(
        app,
        staff,
        json!({"title": "Bolsa de suelo", "parent_id": root}),
    )
    .await;
    let (a1, _) = commit(
        app,
        staff,
        json!({"title": "Inventario de parcelas", "parent_id": a, "status": "in_progress", "progress": 50, "weight": 3}),
    )
    .await;
    let (a2, _) = commit(
        app,
        staff,
        json!({"title": "Mapa de redes", "parent_id": a, "status": "finished"}),
    )
    .await;
    let (a3, _) = commit(
        app,
        staff,
        json!({"title": "Estudio descartado", "parent_id": a, "status": "cancelled"}),
    )
    .await;
    let (b, _) = commit(
        app,
        staff,
        json!({"title": "Comunidad energética", "parent_id": root, "status": "in_progress", "progress": 20}),
    )
    .await;
    [root, a, a1, a2, a3, b]
}

async fn a_three_level_tree_rolls_up_by_weight_and_refuses_loops(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let [root, a, a1, a2, a3, b] = three_levels(&app, &staff).await;
    let (s, list) = get(&app, &staff, "/api/v1/pact/commitments").await;
    assert_eq!(s, 200);
    // (50 × 3 + 100 × 1) / 4 = 62; the cancelled one does not count.
    assert_eq!(line(&list, &a)["progress"], 62);
    assert_eq!(line(&list, &a)["shown"], "in_progress");
    // (62 + 20) / 2 = 41.
    assert_eq!(line(&list, &root)["progress"], 41);
    assert_eq!(line(&list, &root)["number"], "1");
    assert_eq!(line(&list, &a1)["number"], "1.1.1");
    assert!(list["next_cursor"].is_null(), "the whole tree in one page");

    // Pages of two lines give the same tree in the same order.
    let mut paged = Vec::new();
    let mut url = "/api/v1/pact/commitments?limit=2".to_owned();
    loop {
        let (s, page) = get(&app, &staff, &url).await;
        assert_eq!(s, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        paged.extend(items.iter().map(|l| l["number"].clone()));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/pact/commitments?limit=2&cursor={c}"),
            None => break,
        }
    }
    let whole: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["number"].clone())
        .collect();
    assert_eq!(paged, whole);
    let (s, bad) = get(&app, &staff, "/api/v1/pact/commitments?cursor=nope").await;
    assert_eq!(s, 422, "{bad}");
    assert_eq!(line(&list, &a3)["number"], "1.1.3");
    assert_eq!(line(&list, &a3)["shown"], "cancelled");
    // A position out of range is refused, not overflowed (found by the fuzzer).
    let (s, v) = post(
        &app,
        &staff,
        "/api/v1/pact/commitments",
        json!({"title": "Al final", "parent_id": root, "position": i64::MAX}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["errors"][0]["field"], "position", "{v}");
    assert_eq!(line(&list, &b)["number"], "1.2");
    assert_eq!(line(&list, &a2)["depth"], 2);
    let refs: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["commitment"]["reference"].as_str().unwrap())
        .collect();
    assert!(refs.iter().all(|r| r.starts_with("COM-")), "{refs:?}");

    // Moving the root under its own grandchild is a loop: 422, nothing moved.
    let (_, root_v) = get(&app, &staff, &format!("/api/v1/pact/commitments/{root}")).await;
    let version = root_v["commitment"]["version"].as_i64().unwrap();
    let (s, v) = patch(
        &app,
        &staff,
        &format!("/api/v1/pact/commitments/{root}"),
        json!({"version": version, "parent_id": a1}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["errors"][0]["code"], "com_loop", "{v}");
    assert_eq!(v["errors"][0]["field"], "parent_id");

    // A stale version is a conflict.
    let path = format!("/api/v1/pact/commitments/{b}");
    let (_, bv) = get(&app, &staff, &path).await;
    let v0 = bv["commitment"]["version"].as_i64().unwrap();
    let (s, _) = patch(&app, &staff, &path, json!({"version": v0, "progress": 30})).await;
    assert_eq!(s, 200);
    let (s, _) = patch(&app, &staff, &path, json!({"version": v0, "progress": 40})).await;
    assert_eq!(s, 409);
    let (_, bv) = get(&app, &staff, &path).await;
    assert_eq!(bv["commitment"]["progress"], 30);

    // A node with children cannot be deleted; a leaf can, and is audited.
    let (s, _) = call(
        &app,
        &staff,
        reqwest::Method::DELETE,
        &format!("/api/v1/pact/commitments/{a}"),
        None,
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = call(
        &app,
        &staff,
        reqwest::Method::DELETE,
        &format!("/api/v1/pact/commitments/{a3}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'pact_commitment' AND entity_id = $1",
    )
    .bind(&a3)
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 2, "create and delete");
}

async fn the_owner_reports_progress_and_others_may_not(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let owner = org(&app, "Sindicato del Besaya", "G39000001").await;
    let other = org(&app, "Asociación de Empresarios", "G39000002").await;
    let (rep, rep_id) = app.token(Role::PactMember).await;
    represent(&app, &owner, &rep_id).await;
    let (stranger_rep, stranger_id) = app.token(Role::PactMember).await;
    represent(&app, &other, &stranger_id).await;
    let (no_seat, _) = app.token(Role::Company).await;
    let (id, _) = commit(
        &app,
        &staff,
        json!({"title": "Plan de formación", "owner_org_id": owner}),
    )
    .await;
    let path = format!("/api/v1/pact/commitments/{id}");

    let (s, v) = get(&app, &rep, &path).await;
    assert_eq!(s, 200);
    assert_eq!(v["may_report"], true);
    assert_eq!(v["may_edit"], false);
    let (s, v) = patch(
        &app,
        &rep,
        &path,
        json!({"version": 1, "status": "in_progress", "progress": 35}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["progress"], 35);
    assert_eq!(v["commitment"]["version"], 2);
    // Not the title.
    let (s, _) = patch(&app, &rep, &path, json!({"version": 2, "title": "Otro"})).await;
    assert_eq!(s, 403);
    // Milestones, yes.
    let (s, m) = post(
        &app,
        &rep,
        &format!("{path}/milestones"),
        json!({"title": "Primer curso", "due_on": "2027-03-01"}),
    )
    .await;
    assert_eq!(s, 201, "{m}");
    let (s, m) = patch(
        &app,
        &rep,
        &format!("/api/v1/pact/milestones/{}", m["id"].as_str().unwrap()),
        json!({"version": 1, "done_on": "2027-02-20"}),
    )
    .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["done_on"], "2027-02-20");
    // Another member's representative reads, but may not report: 403.
    let (s, _) = get(&app, &stranger_rep, &path).await;
    assert_eq!(s, 200);
    let (s, _) = patch(
        &app,
        &stranger_rep,
        &path,
        json!({"version": 2, "progress": 90}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(
        &app,
        &stranger_rep,
        &format!("{path}/milestones"),
        json!({"title": "Intruso", "due_on": "2027-03-01"}),
    )
    .await;
    assert_eq!(s, 403);
    // Without a seat: 404 everywhere.
    let (s, _) = get(&app, &no_seat, &path).await;
    assert_eq!(s, 404);
    let (s, _) = get(&app, &no_seat, "/api/v1/pact/commitments").await;
    assert_eq!(s, 404);
    let (_, v) = get(&app, &staff, &path).await;
    assert_eq!(v["commitment"]["title"], "Plan de formación");
    assert_eq!(v["commitment"]["progress"], 35);
}

async fn an_agreement_gives_one_commitment_linked_to_its_meeting(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let group = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_groups (id, name, version, created_at, updated_at) VALUES ($1, 'Mesa de suelo', 1, $2, $2)",
    )
    .bind(&group)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let meeting = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_meetings (id, reference, group_id, title, starts_at, ends_at, status, version, created_at, updated_at) \
         VALUES ($1, 'REU-2026-900', $2, 'Primera reunión', '2026-10-01T08:00:00Z', '2026-10-01T10:00:00Z', 'held', 1, $3, $3)",
    )
    .bind(&meeting)
    .bind(&group)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let agreement = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_agreements (id, reference, meeting_id, position, text, version, created_at, updated_at) \
         VALUES ($1, 'ACU-2026-900', $2, 1, $3, 1, $4, $4)",
    )
    .bind(&agreement)
    .bind(&meeting)
    .bind("Crear una bolsa de suelo industrial público. La Oficina la gestionará con los ayuntamientos.")
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();

    let path = format!("/api/v1/pact/agreements/{agreement}/commitment");
    let (s, v) = post(&app, &staff, &path, json!({"weight": 2})).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        v["commitment"]["title"],
        "Crear una bolsa de suelo industrial público"
    );
    assert!(
        v["commitment"]["description"]
            .as_str()
            .unwrap()
            .contains("ayuntamientos")
    );
    assert_eq!(v["commitment"]["weight"], 2);
    assert_eq!(v["commitment"]["agreement_reference"], "ACU-2026-900");
    assert_eq!(v["meetings"][0]["meeting_id"], meeting.as_str());
    assert_eq!(v["meetings"][0]["role"], "decided");
    let id = v["commitment"]["id"].as_str().unwrap().to_owned();

    // Only one commitment per agreement.
    let (s, v) = post(&app, &staff, &path, json!({})).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["errors"][0]["code"], "com_agreement_taken");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_commitments")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 1);

    // A reviewed meeting is linked and unlinked; the decided one stays.
    let (s, v) = post(
        &app,
        &staff,
        &format!("/api/v1/pact/commitments/{id}/meetings"),
        json!({"meeting_id": meeting, "role": "reviewed"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v.as_array().unwrap().len(), 2);
    let (s, _) = call(
        &app,
        &staff,
        reqwest::Method::DELETE,
        &format!("/api/v1/pact/commitments/{id}/meetings/{meeting}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, v) = get(&app, &staff, &format!("/api/v1/pact/commitments/{id}")).await;
    assert_eq!(v["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(v["meetings"][0]["role"], "decided");

    // The page pre-fills the form from the agreement; saving a second one is refused.
    let (c, _) = app.signed_in(Role::Staff).await;
    let new = format!("/pact/commitments/new?agreement={agreement}");
    let html = c
        .get(app.url(&new))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("value=\"Crear una bolsa de suelo industrial público\""),
        "{html}"
    );
    assert!(html.contains("ACU-2026-900"), "{html}");
    let res = app
        .post_form(
            &c,
            &new,
            "/pact/commitments/new",
            &[
                ("version", "0"),
                ("agreement_id", &agreement),
                ("title", "Otra vez"),
                ("status", "planned"),
                ("progress", "0"),
                ("weight", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("ya tiene su compromiso"), "{body}");
}

async fn export(app: &TestApp, token: &str) -> Vec<u8> {
    let res = client()
        .get(app.url("/api/v1/pact/commitments/export.csv"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    res.bytes().await.unwrap().to_vec()
}

async fn import(app: &TestApp, token: &str, bytes: Vec<u8>, dry_run: bool) -> (u16, Value) {
    let res = client()
        .post(app.url(&format!(
            "/api/v1/pact/commitments/import?dry_run={dry_run}"
        )))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "text/csv")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap())
}

async fn the_export_imports_back_with_no_change(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let owner = org(&app, "Ayuntamiento de Torrelavega", "P3908700A").await;
    let ids = three_levels(&app, &staff).await;
    let (s, _) = patch(
        &app,
        &staff,
        &format!("/api/v1/pact/commitments/{}", ids[5]),
        json!({"version": 1, "owner_org_id": owner, "due_on": "2027-06-30",
               "description": "-Texto que empieza por guion, con \"comillas\"\ny otra línea"}),
    )
    .await;
    assert_eq!(s, 200);
    let before = export(&app, &staff).await;
    let text = String::from_utf8(before.clone()).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM");
    assert!(
        text.contains("number,reference,parent_reference,title"),
        "{text}"
    );
    assert!(text.contains("P3908700A"), "{text}");
    assert!(text.contains("'-Texto"), "neutralised: {text}");

    let (s, r) = import(&app, &staff, before.clone(), false).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["rows"], 6);
    assert_eq!(r["created"], 0);
    assert_eq!(r["updated"], 0);
    assert_eq!(r["unchanged"], 6);
    assert_eq!(r["applied"], true);
    let after = export(&app, &staff).await;
    assert_eq!(
        String::from_utf8(after).unwrap(),
        text,
        "nothing changed, not even a version"
    );

    // A row of the file changed and a new row under the number of a row of the
    // same file: applied in one go.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let b_line = lines
        .iter()
        .position(|l| l.contains("Comunidad energética"))
        .unwrap();
    lines[b_line] = lines[b_line].replace("Comunidad energética", "Comunidad energética local");
    lines.push(",,1.1,Nueva línea de trabajo,,,,planned,,10,1,,,,,,,,true,,".into());
    let (s, r) = import(&app, &staff, lines.join("\r\n").into_bytes(), false).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["updated"], 1);
    assert_eq!(r["created"], 1);
    let (_, list) = get(&app, &staff, "/api/v1/pact/commitments").await;
    let new = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["commitment"]["title"] == "Nueva línea de trabajo")
        .unwrap();
    assert_eq!(new["commitment"]["parent_id"], ids[1].as_str());
    assert_eq!(new["number"], "1.1.4");

    // The first file is stale now for the row changed: an error, nothing applied.
    let (s, r) = import(&app, &staff, before, false).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["applied"], false);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{r}");
    assert_eq!(errors[0]["code"], "com_stale_row");
    assert_eq!(errors[0]["column"], "version");
    assert_eq!(errors[0]["line"], b_line + 1);
    let (_, v) = get(
        &app,
        &staff,
        &format!("/api/v1/pact/commitments/{}", ids[5]),
    )
    .await;
    assert_eq!(v["commitment"]["title"], "Comunidad energética local");
}

async fn a_bad_file_applies_nothing_and_names_the_rows(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (_, root_ref) = commit(&app, &staff, json!({"title": "Raíz"})).await;
    let csv = format!(
        "number,reference,parent_reference,title,status,progress,indicator,indicator_target\r\n\
         1,,{root_ref},Buena fila,planned,10,,\r\n\
         2,,{root_ref},Indicador raro,planned,0,empleos_creados,10\r\n\
         3,,{root_ref},Demasiado avance,in_progress,120,,\r\n\
         4,,COM-1999-999,Padre perdido,planned,0,,\r\n"
    );
    let (s, r) = import(&app, &staff, csv.clone().into_bytes(), false).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["applied"], false);
    let errors: Vec<(i64, String, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (3, "indicator".into(), "empleos_creados".into()),
            (4, "progress".into(), "120".into()),
            (5, "parent_reference".into(), "COM-1999-999".into()),
        ]
    );
    assert!(
        r["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("0–100")
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_commitments")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 1, "the good row was not applied either");
    // A dry run of the good row alone writes nothing either.
    let good = format!("title,parent_reference\r\nSola,{root_ref}\r\n");
    let (s, r) = import(&app, &staff, good.into_bytes(), true).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["created"], 1);
    assert_eq!(r["applied"], false);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_commitments")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 1);
    // A representative may not import.
    let o = org(&app, "Sindicato", "G39000003").await;
    let (rep, rep_id) = app.token(Role::PactMember).await;
    represent(&app, &o, &rep_id).await;
    let (s, _) = import(&app, &rep, csv.into_bytes(), true).await;
    assert_eq!(s, 403);
}

async fn the_public_tree_hides_a_private_subtree(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (root, _) = commit(&app, &staff, json!({"title": "Público"})).await;
    let (hidden, _) = commit(
        &app,
        &staff,
        json!({"title": "Reservado", "parent_id": root, "public": false, "status": "in_progress", "progress": 100}),
    )
    .await;
    let (_under, _) = commit(
        &app,
        &staff,
        json!({"title": "Debajo del reservado", "parent_id": hidden}),
    )
    .await;
    let (_shown, _) = commit(&app, &staff, json!({"title": "Visible", "parent_id": root})).await;
    let today = besaya::office::work::madrid::today();
    let all = tree(&app.state.db, today, false).await.unwrap();
    assert_eq!(all.len(), 4);
    let public = tree(&app.state.db, today, true).await.unwrap();
    let titles: Vec<&str> = public.iter().map(|l| l.commitment.title.as_str()).collect();
    assert_eq!(titles, vec!["Público", "Visible"]);
    assert_eq!(public[0].number, "1");
    assert_eq!(public[1].number, "1.2", "numbers as in the whole tree");
}

async fn an_indicator_leaf_moves_when_a_need_is_answered_in_time(app: TestApp) {
    let (staff, _) = app.token(Role::Staff).await;
    let (root, _) = commit(&app, &staff, json!({"title": "Respuesta ágil"})).await;
    let (leaf, _) = commit(
        &app,
        &staff,
        json!({"title": "Respuestas en plazo", "parent_id": root,
               "indicator": "needs_within_target", "indicator_target": 4,
               "indicator_from": "2026-01-01"}),
    )
    .await;
    // An indicator needs a target.
    let (s, v) = post(
        &app,
        &staff,
        "/api/v1/pact/commitments",
        json!({"title": "Sin meta", "indicator": "needs_agreed"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "indicator_target");
    let (_, list) = get(&app, &staff, "/api/v1/pact/commitments").await;
    assert_eq!(line(&list, &leaf)["progress"], 0);
    assert_eq!(line(&list, &leaf)["indicator_value"], 0);

    let owner = org(&app, "Empresa tractora", "A39000009").await;
    for (title, published, answered) in [
        (
            "Ya respondida",
            "2026-03-02T09:00:00Z",
            "2026-03-03T09:00:00Z",
        ),
        // Before `indicator_from`: does not count.
        ("Antigua", "2025-11-03T09:00:00Z", "2025-11-04T09:00:00Z"),
    ] {
        sqlx::query(
            "INSERT INTO needs (id, reference, kind, title, summary, owner_org_id, status, published_at, \
             first_answer_at, version, created_at, updated_at) \
             VALUES ($1, $2, 'service', $3, 'Resumen', $4, 'answered', $5, $6, 1, $7, $7)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(format!("NEC-T-{}", &uuid::Uuid::now_v7().simple().to_string()[22..]))
        .bind(title)
        .bind(&owner)
        .bind(published)
        .bind(answered)
        .bind(T0)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
    let (_, list) = get(&app, &staff, "/api/v1/pact/commitments").await;
    assert_eq!(line(&list, &leaf)["indicator_value"], 1);
    assert_eq!(line(&list, &leaf)["progress"], 25, "1 of 4");
    assert_eq!(line(&list, &leaf)["shown"], "in_progress");
    assert_eq!(line(&list, &root)["progress"], 25, "the parent follows");
}

async fn the_pages_show_the_tree_and_the_short_form(app: TestApp) {
    let (staff_c, _) = app.signed_in(Role::Staff).await;
    let (staff, _) = app.token(Role::Staff).await;
    let owner = org(&app, "Sindicato del Besaya", "G39000001").await;
    let (root, _) = commit(&app, &staff, json!({"title": "Empleo de calidad"})).await;
    let (leaf, _) = commit(
        &app,
        &staff,
        json!({"title": "Plan de formación", "parent_id": root, "owner_org_id": owner,
               "status": "in_progress", "progress": 40, "due_on": "2020-01-31"}),
    )
    .await;
    let html = staff_c
        .get(app.url("/pact/commitments"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Plan de formación"), "{html}");
    assert!(html.contains("com-status-delayed"), "{html}");
    assert!(html.contains("Con retraso"), "{html}");
    assert!(html.contains("40 %"), "{html}");
    assert!(
        html.contains("0 de 2 finalizados, 0 en curso, 2 con retraso"),
        "{html}"
    );
    assert!(html.contains("/pact/commitments/import"), "{html}");
    assert!(html.contains("31/01/2020"), "{html}");

    // The representative's form has status and progress only, and saves them.
    let (rep_c, rep_id) = app.signed_in(Role::PactMember).await;
    represent(&app, &owner, &rep_id).await;
    let edit = format!("/pact/commitments/{leaf}/edit");
    let form = rep_c
        .get(app.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("name=\"progress\""), "{form}");
    assert!(!form.contains("name=\"title\""), "{form}");
    let res = app
        .post_form(
            &rep_c,
            &edit,
            &edit,
            &[
                ("version", "1"),
                ("status", "in_progress"),
                ("progress", "70"),
                ("title", "Intento de cambiar el título"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, v) = get(&app, &staff, &format!("/api/v1/pact/commitments/{leaf}")).await;
    assert_eq!(v["commitment"]["progress"], 70);
    assert_eq!(v["commitment"]["title"], "Plan de formación");
    // A stale form says so (409), an out-of-range progress is shown at the field.
    let res = app
        .post_form(
            &rep_c,
            &edit,
            &edit,
            &[
                ("version", "1"),
                ("status", "in_progress"),
                ("progress", "80"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .post_form(
            &rep_c,
            &edit,
            &edit,
            &[
                ("version", "2"),
                ("status", "in_progress"),
                ("progress", "120"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("progress-error"), "{body}");
    // The representative cannot open the full form of the root nor create.
    let res = rep_c
        .get(app.url(&format!("/pact/commitments/{root}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A signed-in user without a seat gets 404; an anonymous visitor, the login.
    let (company, _) = app.signed_in(Role::Company).await;
    let res = company
        .get(app.url("/pact/commitments"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = crate::helpers::new_client()
        .get(app.url("/pact/commitments"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // The detail page links the indicator records, milestones and meetings.
    let html = staff_c
        .get(app.url(&format!("/pact/commitments/{leaf}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Hitos"), "{html}");
    assert!(html.contains("Sindicato del Besaya"), "{html}");
}

async fn the_import_page_previews_then_applies(app: TestApp) {
    let (staff_c, _) = app.signed_in(Role::Staff).await;
    let (staff, _) = app.token(Role::Staff).await;
    let (_, root_ref) = commit(&app, &staff, json!({"title": "Raíz"})).await;
    let token = app.csrf(&staff_c, "/pact/commitments/import").await;
    let upload = |csv: String| {
        reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.into_bytes())
                    .file_name("compromisos.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            )
    };
    // A bad row: the preview lists it, nothing is written, no apply button.
    let bad = format!("title,parent_reference,progress\r\nUna,{root_ref},120\r\n");
    let res = staff_c
        .post(app.url("/pact/commitments/import"))
        .multipart(upload(bad))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Fuera del intervalo permitido (0–100)"),
        "{html}"
    );
    assert!(!html.contains("name=\"data\""), "{html}");
    // A good file: a preview with the apply button; nothing written yet.
    let good = format!("title,parent_reference,progress\r\nNueva desde Excel,{root_ref},15\r\n");
    let res = staff_c
        .post(app.url("/pact/commitments/import"))
        .multipart(upload(good))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("1 compromisos nuevos"), "{html}");
    let marker = "name=\"data\" value=\"";
    let start = html.find(marker).expect("the apply form") + marker.len();
    let data = html[start..start + html[start..].find('"').unwrap()].to_owned();
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM pact_commitments")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);
    let res = staff_c
        .post(app.url("/pact/commitments/import"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("_csrf", token.clone())
                .text("file_name", "compromisos.csv")
                .text("data", data),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(count().await, 2);
    // Without the CSRF token: refused.
    let res = staff_c
        .post(app.url("/pact/commitments/import"))
        .multipart(reqwest::multipart::Form::new().text("data", "eA=="))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
