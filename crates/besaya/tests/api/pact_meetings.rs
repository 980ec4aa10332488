//! The working groups' meetings through the API, on both databases: a group
//! meets (scheduled, convened, held), records its minutes, two agreements and
//! the attendance of two organisations, and sends its minutes — references,
//! e-mails once per representative of a current member in their language (not
//! the former member's); the ICS (CRLF, folded, stable UID, cancelled); a
//! document with a lying name; refused moves, stale versions, end before
//! start; who may write (the chair's representative yes, another seat 403, no
//! seat 404); an agreement a commitment comes from cannot be deleted; the pages.

use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, new_client};
use crate::pact::{fields, get, patch, post, send, user};

backends!(
    a_group_meets_records_and_mails_its_minutes,
    the_ics_is_valid_and_follows_the_meeting,
    who_may_write_and_what_is_refused,
    the_pages_show_and_record_a_meeting,
    agreements_added_at_once_get_distinct_numbers,
);

const T0: &str = "2026-01-01T00:00:00.000000Z";

async fn org(app: &TestApp, name: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO organizations (id, name, kind, tax_id, version, created_at, updated_at) \
         VALUES ($1, $2, 'other', $3, 1, $4, $4)",
    )
    .bind(&id)
    .bind(name)
    .bind(format!(
        "T{}",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    ))
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

/// A membership of `org` (left on `left_on` if given); its id.
async fn member(app: &TestApp, org: &str, college: &str, left_on: Option<&str>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_members (id, organization_id, college, joined_on, left_on, version, created_at, updated_at) \
         VALUES ($1, $2, $3, '2025-01-01', $4, 1, $5, $5)",
    )
    .bind(&id)
    .bind(org)
    .bind(college)
    .bind(left_on)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    id
}

async fn represent(app: &TestApp, member: &str, user: &str, lang: &str) {
    sqlx::query(
        "INSERT INTO pact_representatives (member_id, user_id, role, created_at) VALUES ($1, $2, 'holder', $3)",
    )
    .bind(member)
    .bind(user)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang)
        .bind(user)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn group(app: &TestApp, name: &str, chair: &str, members: &[&str]) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO pact_groups (id, name, chair_member_id, version, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $4)",
    )
    .bind(&id)
    .bind(name)
    .bind(chair)
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    for m in members {
        sqlx::query(
            "INSERT INTO pact_group_members (group_id, member_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(m)
        .bind(T0)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    }
    id
}

/// The cast: the secretariat, two current members (the chair's representative
/// in English, another in Spanish), a former member's representative, a pact
/// user without a seat; one group with the three members.
struct Cast {
    staff: String,
    chair: String,
    chair_id: String,
    chair_org: String,
    other: String,
    other_id: String,
    other_org: String,
    former: String,
    outsider: String,
    group: String,
}

async fn cast(app: &TestApp) -> Cast {
    let (_, staff) = user(app, "secretaria@besaya.example", Role::Staff, &[]).await;
    let chair_org = org(app, "Ayuntamiento de Torrelavega").await;
    let other_org = org(app, "Unión Sindical del Besaya").await;
    let former_org = org(app, "Asociación Antigua").await;
    let m_chair = member(app, &chair_org, "administrations", None).await;
    let m_other = member(app, &other_org, "unions", None).await;
    let m_former = member(app, &former_org, "others", Some("2025-06-30")).await;
    let (chair_id, chair) = user(app, "chair@besaya.example", Role::PactMember, &[]).await;
    let (other_id, other) = user(app, "union@besaya.example", Role::PactMember, &[]).await;
    let (former_id, former) = user(app, "former@besaya.example", Role::PactMember, &[]).await;
    let (_, outsider) = user(app, "outsider@besaya.example", Role::PactMember, &[]).await;
    represent(app, &m_chair, &chair_id, "en").await;
    represent(app, &m_other, &other_id, "es").await;
    represent(app, &m_former, &former_id, "es").await;
    let group = group(
        app,
        "Suelo industrial y energía",
        &m_chair,
        &[&m_chair, &m_other, &m_former],
    )
    .await;
    Cast {
        staff,
        chair,
        chair_id,
        chair_org,
        other,
        other_id,
        other_org,
        former,
        outsider,
        group,
    }
}

fn new_meeting(group: &str) -> Value {
    json!({
        "group_id": group,
        "title": "Primera reunión de la mesa, con orden del día largo",
        "starts_at": "2026-12-01T10:00",
        "ends_at": "2026-12-01T12:30",
        "place": "Sala de plenos; Torrelavega",
        "agenda": "1. Suelo disponible en Barreda\n2. Precio de la energía\n3. Ruegos y preguntas",
    })
}

async fn schedule(app: &TestApp, token: &str, group: &str) -> Value {
    let (s, m) = post(app, token, "/api/v1/pact/meetings", new_meeting(group)).await;
    assert_eq!(s, 201, "{m}");
    m
}

async fn to_status(app: &TestApp, token: &str, m: &Value, status: &str) -> (u16, Value) {
    post(
        app,
        token,
        &format!("/api/v1/pact/meetings/{}/status", m["id"].as_str().unwrap()),
        json!({"status": status, "version": m["version"]}),
    )
    .await
}

async fn agreements_added_at_once_get_distinct_numbers(app: TestApp) {
    let c = cast(&app).await;
    let m = schedule(&app, &c.chair, &c.group).await;
    let (s, held) = to_status(&app, &c.chair, &m, "held").await;
    assert_eq!(s, 200, "{held}");
    let path = format!(
        "/api/v1/pact/meetings/{}/agreements",
        m["id"].as_str().unwrap()
    );
    let add = |n: u32| {
        post(
            &app,
            &c.chair,
            &path,
            json!({ "text": format!("Acuerdo {n}") }),
        )
    };
    let (a, b, d, e) = tokio::join!(add(1), add(2), add(3), add(4));
    let mut positions = Vec::new();
    for (s, body) in [a, b, d, e] {
        assert_eq!(s, 201, "{body}");
        positions.push(body["position"].as_i64().unwrap());
    }
    positions.sort_unstable();
    assert_eq!(positions, vec![1, 2, 3, 4], "one number each, none twice");
}

async fn a_group_meets_records_and_mails_its_minutes(app: TestApp) {
    let c = cast(&app).await;
    // Scheduled by the chair's representative, in Madrid's time (winter: UTC+1).
    let m = schedule(&app, &c.chair, &c.group).await;
    let id = m["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/pact/meetings/{id}");
    assert!(
        m["reference"].as_str().unwrap().starts_with("REU-2026-"),
        "{m}"
    );
    assert_eq!(m["starts_at"], "2026-12-01T09:00:00.000000Z");
    assert_eq!(m["ends_at"], "2026-12-01T11:30:00.000000Z");
    assert_eq!(m["status"], "scheduled");
    assert_eq!(m["allowed_moves"], json!(["held", "cancelled"]));
    let second = schedule(&app, &c.staff, &c.group).await;
    assert_ne!(second["reference"], m["reference"]);

    // The convocation: once per representative of a current member, in their language.
    let (s, sent) = post(&app, &c.chair, &format!("{path}/invitations"), json!({})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["recipients"], 2);
    assert!(sent["meeting"]["invitations_sent_at"].is_string());
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(!mails.iter().any(|(to, _, _)| to == "former@besaya.example"));
    let (_, subject_en, text_en) = mails
        .iter()
        .find(|(to, _, _)| to == "chair@besaya.example")
        .unwrap()
        .clone();
    let (_, subject_es, text_es) = mails
        .iter()
        .find(|(to, _, _)| to == "union@besaya.example")
        .unwrap()
        .clone();
    assert!(subject_en.contains("Invitation"), "{subject_en}");
    assert!(subject_es.contains("Convocatoria"), "{subject_es}");
    assert!(
        text_es.contains("1 de diciembre de 2026, 10:00–12:30"),
        "{text_es}"
    );
    assert!(text_es.contains("Sala de plenos; Torrelavega"), "{text_es}");
    assert!(text_es.contains("2. Precio de la energía"), "{text_es}");
    assert!(text_es.contains(&format!("/pact/meetings/{id}/calendar.ics")));
    assert!(text_en.contains("December"), "{text_en}");

    // Sent again after a change: an updated convocation.
    let (s, changed) = patch(
        &app,
        &c.staff,
        &path,
        json!({"place": "Casa de Cultura", "version": m["version"]}),
    )
    .await;
    assert_eq!(s, 200, "{changed}");
    let (s, _) = post(&app, &c.staff, &format!("{path}/invitations"), json!({})).await;
    assert_eq!(s, 200);
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 4);
    assert!(
        mails.iter().any(|(to, s, t)| to == "union@besaya.example"
            && s.contains("actualizada")
            && t.contains("Casa de Cultura")),
        "{mails:?}"
    );

    // Held, then the minutes, two agreements and who came.
    let (s, held) = to_status(&app, &c.chair, &changed, "held").await;
    assert_eq!(s, 200, "{held}");
    assert_eq!(held["allowed_moves"], json!([]));
    let (s, with_minutes) = patch(
        &app,
        &c.chair,
        &path,
        json!({"minutes": "Se revisa el suelo disponible y se acuerda pedir un estudio.", "version": held["version"]}),
    )
    .await;
    assert_eq!(s, 200, "{with_minutes}");
    let mut agreements = Vec::new();
    for text in [
        "Encargar un estudio de suelo industrial disponible.",
        "Pedir a la comercializadora una tarifa conjunta.",
    ] {
        let (s, a) = post(
            &app,
            &c.chair,
            &format!("{path}/agreements"),
            json!({ "text": text }),
        )
        .await;
        assert_eq!(s, 201, "{a}");
        agreements.push(a);
    }
    assert_eq!(agreements[0]["position"], 1);
    assert_eq!(agreements[1]["position"], 2);
    let r0 = agreements[0]["reference"].as_str().unwrap();
    let r1 = agreements[1]["reference"].as_str().unwrap();
    assert!(r0.starts_with("ACU-2026-") && r1.starts_with("ACU-2026-") && r0 != r1);
    let (s, att) = send(
        &app,
        &c.chair,
        reqwest::Method::PUT,
        &format!("{path}/attendance"),
        Some(json!({"attendees": [
            {"user_id": c.chair_id},
            {"user_id": c.other_id},
            {"name": "Marta Ruiz", "organization_id": c.other_org},
            {"name": "Invitado sin organización"},
        ]})),
    )
    .await;
    assert_eq!(s, 200, "{att}");
    assert_eq!(att["people"], 4);
    assert_eq!(att["organizations"], 2);
    assert_eq!(att["attendees"][0]["organization_id"], c.chair_org.as_str());
    assert_eq!(
        att["attendees"][0]["organization_name"],
        "Ayuntamiento de Torrelavega"
    );
    assert_eq!(att["attendees"][1]["organization_id"], c.other_org.as_str());
    // Saving replaces the list.
    let (s, att) = send(
        &app,
        &c.chair,
        reqwest::Method::PUT,
        &format!("{path}/attendance"),
        Some(json!({"attendees": [{"user_id": c.chair_id}, {"user_id": c.other_id}]})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(att["people"], 2);
    assert_eq!(att["organizations"], 2);

    // Every seat reads it all; the agreement is readable on its own.
    let (s, detail) = get(&app, &c.other, &path).await;
    assert_eq!(s, 200);
    assert_eq!(detail["agreements"].as_array().unwrap().len(), 2);
    assert_eq!(detail["attendance"]["people"], 2);
    assert_eq!(detail["may_edit"], false);
    let (s, one) = get(
        &app,
        &c.other,
        &format!(
            "/api/v1/pact/agreements/{}",
            agreements[1]["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        one["text"],
        "Pedir a la comercializadora una tarifa conjunta."
    );

    // The minutes go to the representatives and the attendees, once each.
    let (s, sent) = post(&app, &c.chair, &format!("{path}/minutes/send"), json!({})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["recipients"], 2);
    assert!(sent["meeting"]["minutes_sent_at"].is_string());
    app.run_jobs().await;
    let mails = app.mails();
    assert_eq!(mails.len(), 6);
    let minutes_es = mails
        .iter()
        .find(|(to, s, _)| to == "union@besaya.example" && s.contains("Acta"))
        .expect("the minutes in Spanish");
    assert!(minutes_es.2.contains("se acuerda pedir un estudio"));
    assert!(minutes_es.2.contains("1. Encargar un estudio"));
    assert!(minutes_es.2.contains(r1));

    // Audited.
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity IN ('pact_meeting', 'pact_agreement') AND actor_id IS NOT NULL",
    )
    .fetch_one(app.state.db.reader())
    .await
    .unwrap();
    assert!(audited >= 10, "{audited}");

    // The list, filtered by group and dates, pages with a cursor.
    let (s, list) = get(
        &app,
        &c.other,
        &format!(
            "/api/v1/pact/meetings?group_id={}&from=2026-12-01&to=2026-12-02&limit=1",
            c.group
        ),
    )
    .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let cursor = list["next_cursor"].as_str().expect("a second page");
    let (_, rest) = get(
        &app,
        &c.other,
        &format!(
            "/api/v1/pact/meetings?group_id={}&limit=1&cursor={cursor}",
            c.group
        ),
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_ne!(rest["items"][0]["id"], list["items"][0]["id"]);
    let (_, none) = get(&app, &c.other, "/api/v1/pact/meetings?from=2027-01-01").await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
}

async fn the_ics_is_valid_and_follows_the_meeting(app: TestApp) {
    let c = cast(&app).await;
    let m = schedule(&app, &c.staff, &c.group).await;
    let id = m["id"].as_str().unwrap();
    let login = new_client();
    let res = app
        .login(&login, "union@besaya.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(res.status(), 303);
    let ics_path = format!("/pact/meetings/{id}/calendar.ics");
    let base = app.base.clone();
    let fetch = |client: reqwest::Client, path: String| {
        let url = format!("{base}{path}");
        async move {
            let res = client.get(url).send().await.unwrap();
            let status = res.status().as_u16();
            let ct = res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (status, ct, res.text().await.unwrap())
        }
    };
    let (s, ct, ics) = fetch(login.clone(), ics_path.clone()).await;
    assert_eq!(s, 200, "{ics}");
    assert!(ct.starts_with("text/calendar"), "{ct}");
    // CRLF only, no line over 75 octets, folded lines start with a space.
    assert!(!ics.replace("\r\n", "").contains('\n'));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    assert!(ics.contains("\r\n "), "a long line is folded: {ics}");
    let unfolded = ics.replace("\r\n ", "");
    let uid = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("UID:"))
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        unfolded.contains("DTSTART:20261201T090000Z\r\n"),
        "{unfolded}"
    );
    assert!(unfolded.contains("DTEND:20261201T113000Z\r\n"));
    assert!(unfolded.contains("LOCATION:Sala de plenos\\; Torrelavega\r\n"));
    assert!(unfolded.contains("SEQUENCE:1\r\n"));
    assert!(unfolded.contains("2. Precio de la energía"));
    assert!(unfolded.contains(&format!(
        "URL:{}/pact/meetings/{id}",
        app.state.config.public_base()
    )));
    assert!(unfolded.contains("STATUS:CONFIRMED\r\n"));
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);

    // Cancelled: same UID, a higher SEQUENCE, STATUS:CANCELLED.
    let (s, _) = to_status(&app, &c.staff, &m, "cancelled").await;
    assert_eq!(s, 200);
    let (_, _, ics) = fetch(login.clone(), ics_path.clone()).await;
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("UID:{uid}\r\n")));
    assert!(unfolded.contains("SEQUENCE:2\r\n"));
    assert!(unfolded.contains("STATUS:CANCELLED\r\n"));

    // A user without a seat: 404; anonymous: sent to log in.
    let (outsider_client, _) = app.signed_in(Role::Company).await;
    let (s, _, _) = fetch(outsider_client, ics_path.clone()).await;
    assert_eq!(s, 404);
    let (s, _, _) = fetch(new_client(), ics_path).await;
    assert_eq!(s, 303);

    // The member's calendar feed lists the meeting with the same UID.
    let feed = besaya::office::work::calendar::feed_for(
        &app.state,
        &besaya::users::store::get(app.state.db.reader(), &c.other_id)
            .await
            .unwrap()
            .unwrap(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    assert!(
        feed.replace("\r\n ", "")
            .contains(&format!("UID:{uid}\r\n"))
    );
}

async fn who_may_write_and_what_is_refused(app: TestApp) {
    let c = cast(&app).await;
    // No seat (a former member's representative, a pact user without
    // membership): 404 on reads and writes; anonymous: 401.
    for token in [&c.former, &c.outsider] {
        let (s, _) = post(&app, token, "/api/v1/pact/meetings", new_meeting(&c.group)).await;
        assert_eq!(s, 404);
    }
    let res = app
        .client
        .get(app.url("/api/v1/pact/meetings"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    // Another seat reads but may not write: 403.
    let (s, _) = post(
        &app,
        &c.other,
        "/api/v1/pact/meetings",
        new_meeting(&c.group),
    )
    .await;
    assert_eq!(s, 403);
    let m = schedule(&app, &c.chair, &c.group).await;
    let id = m["id"].as_str().unwrap();
    let path = format!("/api/v1/pact/meetings/{id}");
    for token in [&c.former, &c.outsider] {
        let (s, _) = get(&app, token, &path).await;
        assert_eq!(s, 404);
    }
    let (s, _) = get(&app, &c.other, &path).await;
    assert_eq!(s, 200);
    let (s, _) = patch(
        &app,
        &c.other,
        &path,
        json!({"title": "No", "version": m["version"]}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(&app, &c.other, &format!("{path}/invitations"), json!({})).await;
    assert_eq!(s, 403);
    let (s, _) = get(&app, &c.staff, "/api/v1/pact/meetings/not-a-meeting").await;
    assert_eq!(s, 404);

    // Bad input: 422 with the fields.
    let mut bad = new_meeting(&c.group);
    bad["ends_at"] = json!("2026-12-01T09:00");
    bad["title"] = json!(" ");
    let (s, p) = post(&app, &c.staff, "/api/v1/pact/meetings", bad).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), vec!["title", "ends_at"]);
    let mut bad = new_meeting(&c.group);
    bad["starts_at"] = json!("el martes");
    let (s, p) = post(&app, &c.staff, "/api/v1/pact/meetings", bad).await;
    assert_eq!(s, 422);
    assert_eq!(fields(&p), vec!["starts_at"]);
    // Minutes, agreements and attendance wait for the meeting to be held.
    let (s, p) = patch(
        &app,
        &c.staff,
        &path,
        json!({"minutes": "Acta", "version": m["version"]}),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), vec!["minutes"]);
    let (s, _) = post(
        &app,
        &c.staff,
        &format!("{path}/agreements"),
        json!({"text": "Acuerdo"}),
    )
    .await;
    assert_eq!(s, 422);
    let (s, p) = post(&app, &c.staff, &format!("{path}/minutes/send"), json!({})).await;
    assert_eq!(s, 422, "{p}");

    // A document with a lying name is refused; a real PDF is kept and served.
    let upload = |bytes: Vec<u8>, name: &str, token: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        app.client
            .post(app.url(&format!("{path}/documents")))
            .bearer_auth(token.to_owned())
            .multipart(form)
            .send()
    };
    let res = upload(
        b"MZ\x90\x00 not a pdf at all".to_vec(),
        "orden.pdf",
        &c.chair,
    )
    .await
    .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let res = upload(pdf.clone(), "orden.pdf", &c.other).await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = upload(pdf.clone(), "orden del día.pdf", &c.chair)
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let doc: Value = res.json().await.unwrap();
    let (s, docs) = get(&app, &c.other, &format!("{path}/documents")).await;
    assert_eq!(s, 200);
    assert_eq!(docs[0]["id"], doc["id"]);
    let res = app
        .client
        .get(app.url(&format!("{path}/documents/{}", doc["id"].as_str().unwrap())))
        .bearer_auth(&c.other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);

    // Moves: held → scheduled is refused with the allowed moves; a stale version 409.
    let (s, held) = to_status(&app, &c.chair, &m, "held").await;
    assert_eq!(s, 200);
    let (s, p) = to_status(&app, &c.chair, &held, "scheduled").await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(p["allowed"], json!([]));
    let (s, p) = to_status(&app, &c.chair, &m, "cancelled").await;
    assert_eq!(s, 422, "{p}");
    let (s, p) = patch(
        &app,
        &c.chair,
        &path,
        json!({"title": "Viejo", "version": m["version"]}),
    )
    .await;
    assert_eq!(s, 409, "{p}");
    let (s, p) = post(&app, &c.chair, &format!("{path}/invitations"), json!({})).await;
    assert_eq!(s, 422, "{p}");

    // Attendance: an unknown user or a guest without a name is refused.
    let (s, p) = send(
        &app,
        &c.chair,
        reqwest::Method::PUT,
        &format!("{path}/attendance"),
        Some(json!({"attendees": [{"user_id": "0190-nobody"}, {"name": ""}]})),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(
        fields(&p),
        vec!["attendees[0].user_id", "attendees[1].name"]
    );

    // An agreement with a commitment cannot be deleted; another can, and the
    // rest are renumbered.
    let mut ids = Vec::new();
    for text in ["Primero", "Segundo", "Tercero"] {
        let (s, a) = post(
            &app,
            &c.chair,
            &format!("{path}/agreements"),
            json!({"text": text}),
        )
        .await;
        assert_eq!(s, 201);
        ids.push(a["id"].as_str().unwrap().to_owned());
    }
    sqlx::query(
        "INSERT INTO pact_commitments (id, reference, title, agreement_id, version, created_at, updated_at) \
         VALUES ($1, 'COM-2026-901', 'Estudio de suelo', $2, 1, $3, $3)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&ids[1])
    .bind(T0)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let (_, a1) = get(
        &app,
        &c.other,
        &format!("/api/v1/pact/agreements/{}", ids[1]),
    )
    .await;
    assert_eq!(a1["commitment"]["reference"], "COM-2026-901");
    let appr = &app;
    let del = |aid: String, token: String| async move {
        send(
            appr,
            &token,
            reqwest::Method::DELETE,
            &format!("/api/v1/pact/agreements/{aid}"),
            None,
        )
        .await
    };
    let (s, p) = del(ids[1].clone(), c.chair.clone()).await;
    assert_eq!(s, 422, "{p}");
    let (s, _) = del(ids[0].clone(), c.other.clone()).await;
    assert_eq!(s, 403);
    let (s, _) = del(ids[0].clone(), c.chair.clone()).await;
    assert_eq!(s, 204);
    let (_, list) = get(&app, &c.chair, &format!("{path}/agreements")).await;
    let positions: Vec<(i64, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["position"].as_i64().unwrap(),
                a["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        vec![(1, "Segundo".into()), (2, "Tercero".into())]
    );
    // An archived group calls no more meetings.
    sqlx::query("UPDATE pact_groups SET archived_at = $1 WHERE id = $2")
        .bind(T0)
        .bind(&c.group)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (s, p) = post(
        &app,
        &c.staff,
        "/api/v1/pact/meetings",
        new_meeting(&c.group),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), vec!["group_id"]);
    // A stale agreement edit: 409.
    let (s, _) = patch(
        &app,
        &c.chair,
        &format!("/api/v1/pact/agreements/{}", ids[2]),
        json!({"text": "Tercero bis", "version": 7}),
    )
    .await;
    assert_eq!(s, 409);
}

async fn the_pages_show_and_record_a_meeting(app: TestApp) {
    let c = cast(&app).await;
    let client = new_client();
    let res = app
        .login(
            &client,
            "secretaria@besaya.example",
            crate::helpers::PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 303);
    let new_path = format!("/pact/groups/{}/meetings/new", c.group);
    // End before start: the form again with the error next to the field.
    let res = app
        .post_form(
            &client,
            &new_path,
            &new_path,
            &[
                ("title", "Reunión de diciembre"),
                ("date", "2026-12-01"),
                ("start_time", "12:00"),
                ("end_time", "10:00"),
                ("place", "Torrelavega"),
                ("agenda", "Suelo"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("error-summary"));
    assert!(html.contains("id=\"end_time-error\""), "{html}");
    let res = app
        .post_form(
            &client,
            &new_path,
            &new_path,
            &[
                ("title", "Reunión de diciembre"),
                ("date", "2026-12-01"),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
                ("place", "Torrelavega"),
                ("agenda", "Suelo\nEnergía"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = res.headers()["location"].to_str().unwrap().to_owned();
    let html = client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Reunión de diciembre"));
    assert!(html.contains("1 de diciembre de 2026"), "{html}");
    assert!(html.contains("REU-2026-"));
    // Held, then attendance from the checklist and a guest.
    let version = |html: &str| {
        let marker = "name=\"version\" value=\"";
        let s = html.find(marker).unwrap() + marker.len();
        html[s..s + html[s..].find('"').unwrap()].to_owned()
    };
    let v = version(&html);
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/status"),
            &[("status", "held"), ("version", &v)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/attendance"),
            &[
                ("user", &c.chair_id),
                ("user", &c.other_id),
                ("guest_name", "Marta Ruiz"),
                ("guest_org", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/agreements"),
            &[("text", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/agreements"),
            &[("text", "Encargar un estudio de suelo.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("3 asistentes de 2 organizaciones"), "{html}");
    assert!(html.contains("Encargar un estudio de suelo."));
    assert!(html.contains("ACU-2026-"));
    // The secretariat is offered to turn the agreement into a commitment.
    assert!(html.contains("/pact/commitments/new?agreement="));
    // An emptied agreement: the error next to its text.
    let marker = format!("action=\"{page}/agreements/");
    let s = html.find(&marker).unwrap() + marker.len();
    let aid = html[s..s + html[s..].find('"').unwrap()].to_owned();
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/agreements/{aid}"),
            &[("text", " "), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("id=\"text-{aid}-error\"")), "{html}");
    // Another member's representative reads the page but may not change it.
    let union = new_client();
    app.login(&union, "union@besaya.example", crate::helpers::PASSWORD)
        .await;
    let html = union
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Encargar un estudio de suelo."));
    assert!(!html.contains(&format!("action=\"{page}/agreements\"")));
    let res = app
        .post_form(
            &union,
            &page,
            &format!("{page}/agreements"),
            &[("text", "Otro")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The list shows it; a user without a seat gets 404, an anonymous one logs in.
    let list = client
        .get(app.url("/pact/meetings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Reunión de diciembre"));
    let (company, _) = app.signed_in(Role::Company).await;
    let res = company.get(app.url(&page)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = new_client().get(app.url(&page)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let _ = c.other_org;
}
