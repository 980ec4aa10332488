//! The story through the API, on both databases: a large company posts
//! its need for high-voltage maintenance, the office publishes it and invites
//! the best-ranked local organisations, two express interest (the first answer
//! stops the clock), one is shortlisted, a meeting is asked, both sides consent
//! (identities hidden until then), it is accepted with an amount (the need is
//! agreed, follow-ups are planned) — with the e-mails of each step; and an
//! offer's attachment uploaded, downloaded, refused when of the wrong type.

use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends};
use crate::pact::{cast, get, post, published_need};

backends!(the_story_of_a_need, an_offer_with_its_attachment);

async fn answer_of(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, a) = get(app, token, path).await;
    assert_eq!(status, 200, "{a}");
    a
}

async fn the_story_of_a_need(app: TestApp) {
    let c = cast(&app).await;
    let need = published_need(&app, &c).await;
    let id = need["id"].as_str().unwrap().to_owned();
    let reference = need["reference"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/needs/{id}");
    assert_eq!(need["status"], "published");
    assert!(need["first_answer_at"].is_null());

    // The office ranks and invites the three electrical companies.
    let (_, m) = get(&app, &c.staff, &format!("{path}/matches")).await;
    assert_eq!(
        m["items"][0]["organization_id"],
        json!(c.certified_org),
        "{m}"
    );
    let (status, inv) = post(
        &app,
        &c.staff,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.certified_org, c.plain_org, c.expired_org]}),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    let ids: Vec<String> = inv["answer_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    let (cert_a, plain_a, expired_a) = (&ids[0], &ids[1], &ids[2]);
    // Inviting again adds nobody; the owner cannot be invited.
    let (status, again) = post(
        &app,
        &c.staff,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.certified_org]}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(again["answer_ids"], json!([]));
    let (status, p) = post(
        &app,
        &c.staff,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.owner_org]}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let (status, _) = post(
        &app,
        &c.owner,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.plain_org]}),
    )
    .await;
    assert_eq!(status, 403, "the office invites");
    // The invitation reaches the candidate's user, in Spanish, naming the need
    // but not its owner.
    app.run_jobs().await;
    let mails = app.mails();
    let invite = mails
        .iter()
        .find(|(to, _, _)| to == "jefa@electro.test")
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(invite.1.contains(&reference), "{}", invite.1);
    assert!(invite.2.contains("anónima"), "{}", invite.2);
    assert!(!invite.2.contains("Química Grande"), "{}", invite.2);

    // The first expression of interest: answered, the clock stops.
    let a_path = format!("{path}/answers/{cert_a}");
    let (status, a) = post(
        &app,
        &c.certified,
        &format!("{a_path}/interest"),
        json!({"proposal": "Mantenimiento anual con guardias 24 h y cuadrilla propia de alta tensión.",
               "questions": "¿Qué marca son las celdas?", "presentation": "Instaladora con 35 técnicos.",
               "offer_text": "Precio cerrado anual", "offer_amount_eur": 125000.5, "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["status"], "interested");
    assert_eq!(a["offer_amount_cents"], 12_500_050);
    assert!(a["candidate_consent_at"].is_null(), "no consent sent");
    let (_, n) = get(&app, &c.staff, &path).await;
    assert_eq!(n["status"], "answered");
    let first_answer_at = n["first_answer_at"].clone();
    assert!(first_answer_at.is_string());
    assert_eq!(n["clock"]["answered"], true);
    // Once answered, no second interest (422), stale version (409).
    let (status, _) = post(
        &app,
        &c.certified,
        &format!("{a_path}/interest"),
        json!({"proposal": "Otra", "version": 2}),
    )
    .await;
    assert_eq!(status, 422);
    let p_path = format!("{path}/answers/{plain_a}");
    let (status, _) = post(
        &app,
        &c.plain,
        &format!("{p_path}/interest"),
        json!({"proposal": "Sí", "version": 5}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, p) = post(
        &app,
        &c.plain,
        &format!("{p_path}/interest"),
        json!({"proposal": "  ", "version": 1}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    // A candidate acts only on its own answer.
    let (status, _) = post(
        &app,
        &c.certified,
        &format!("{p_path}/interest"),
        json!({"proposal": "Yo", "version": 1}),
    )
    .await;
    assert_eq!(status, 404);
    // The second: the need stays answered, its first answer unchanged.
    let (status, _) = post(
        &app,
        &c.plain,
        &format!("{p_path}/interest"),
        json!({"proposal": "Podemos hacerlo con subcontrata.", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, d) = post(
        &app,
        &c.expired,
        &format!("{path}/answers/{expired_a}/decline"),
        json!({"reason": "Sin capacidad", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["status"], "declined");
    let (_, n) = get(&app, &c.staff, &path).await;
    assert_eq!(n["status"], "answered");
    assert_eq!(n["first_answer_at"], first_answer_at);
    // The broker learns of each interest.
    app.run_jobs().await;
    assert!(
        app.mails()
            .iter()
            .any(|(to, s, _)| to == "pact-staff@besaya.test" && s.contains(&reference))
    );

    // The owner sees the two interested answers, anonymised.
    let (_, answers) = get(&app, &c.owner, &format!("{path}/answers")).await;
    let answers = answers.as_array().unwrap().clone();
    assert_eq!(answers.len(), 2, "{answers:?}");
    for a in &answers {
        assert_eq!(a["organization_hidden"], true);
        assert!(a["organization_id"].is_null());
        assert!(
            a["organization_name"]
                .as_str()
                .unwrap()
                .starts_with("Candidato")
        );
        assert!(a["score"].is_null());
    }
    let text = Value::Array(answers).to_string();
    assert!(
        !text.contains("Electro Alta") && !text.contains(&c.certified_org),
        "{text}"
    );

    // Shortlisted by the owner: negotiating. A bad move names the allowed ones.
    let t = format!("{a_path}/transitions");
    let (status, p) = post(&app, &c.owner, &t, json!({"to": "accepted", "version": 2})).await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["allowed"], json!(["shortlisted", "rejected"]));
    let (status, p) = post(
        &app,
        &c.certified,
        &t,
        json!({"to": "shortlisted", "version": 2}),
    )
    .await;
    assert_eq!(status, 403, "the candidate does not decide: {p}");
    let (status, a) = post(
        &app,
        &c.owner,
        &t,
        json!({"to": "shortlisted", "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let (_, n) = get(&app, &c.staff, &path).await;
    assert_eq!(n["status"], "negotiating");
    // A meeting asked: the owner's consent; still hidden until the candidate's.
    let (status, a) = post(&app, &c.owner, &t, json!({"to": "meeting", "version": 3})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["status"], "meeting");
    assert!(a["owner_consent_at"].is_string());
    assert_eq!(a["organization_hidden"], true);
    let (_, seen) = get(&app, &c.certified, &path).await;
    assert_eq!(
        seen["owner_hidden"], true,
        "the candidate has not consented"
    );
    // The candidate consents: both learn who the other is.
    let (status, a) = post(
        &app,
        &c.certified,
        &format!("{a_path}/consent"),
        json!({"version": 4}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["identities_released"], true);
    let a = answer_of(&app, &c.owner, &a_path).await;
    assert_eq!(a["organization_hidden"], false);
    assert_eq!(
        a["organization_name"],
        "Electro Alta Tensión Torrelavega (test)"
    );
    assert_eq!(a["organization_id"], json!(c.certified_org));
    let (_, seen) = get(&app, &c.certified, &path).await;
    assert_eq!(seen["owner_hidden"], false);
    assert_eq!(seen["owner_name"], "Química Grande del Besaya (test)");
    // The other candidate stays hidden, and sees no owner.
    let b = answer_of(&app, &c.owner, &p_path).await;
    assert_eq!(b["organization_hidden"], true);
    let (_, seen) = get(&app, &c.plain, &path).await;
    assert_eq!(seen["owner_hidden"], true);
    app.run_jobs().await;
    let mails = app.mails();
    // The candidate: invited, meeting asked, identities released; the owner:
    // identities released.
    for (to, n) in [("owner@quimica.test", 1), ("jefa@electro.test", 3)] {
        let got = mails.iter().filter(|(t, _, _)| t == to).count();
        assert_eq!(got, n, "{to}: {mails:?}");
    }
    let released = mails
        .iter()
        .find(|(t, _, b)| {
            t == "owner@quimica.test" && b.contains("Electro Alta Tensión Torrelavega")
        })
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(released.1.contains(&reference));

    // Accepted with the amount: agreed, follow-ups at 3 and 6 months for each side.
    let (status, p) = post(
        &app,
        &c.owner,
        &t,
        json!({"to": "accepted", "amount_eur": -1, "version": 5}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let (status, a) = post(
        &app,
        &c.owner,
        &t,
        json!({"to": "accepted", "amount_eur": 120000, "version": 5}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["status"], "accepted");
    let (_, n) = get(&app, &c.staff, &path).await;
    assert_eq!(n["status"], "agreed");
    assert_eq!(n["agreed_amount_cents"], 12_000_000);
    assert!(n["agreed_at"].is_string());
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT side, months FROM need_followups WHERE need_id = $1 ORDER BY side, months",
    )
    .bind(&id)
    .fetch_all(app.state.db.reader())
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            ("candidate".to_owned(), 3),
            ("candidate".to_owned(), 6),
            ("owner".to_owned(), 3),
            ("owner".to_owned(), 6)
        ]
    );
    // The other answer is left as it was; the need takes no more decisions.
    let b = answer_of(&app, &c.staff, &p_path).await;
    assert_eq!(b["status"], "interested");
    let (status, _) = post(
        &app,
        &c.owner,
        &format!("{p_path}/transitions"),
        json!({"to": "shortlisted", "version": b["version"]}),
    )
    .await;
    assert_eq!(status, 422);

    // The funnel and the timeline tell the story.
    let (_, f) = get(&app, &c.staff, &format!("{path}/funnel")).await;
    assert_eq!(
        (
            f["invited"].as_i64(),
            f["interested"].as_i64(),
            f["declined"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(
        (
            f["shortlisted"].as_i64(),
            f["meeting"].as_i64(),
            f["accepted"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let (_, events) = get(&app, &c.staff, &format!("{path}/events")).await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|k| !matches!(*k, "invited" | "interested" | "declined" | "consent"))
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "submitted",
            "published",
            "answered",
            "shortlisted",
            "negotiating",
            "meeting",
            "identities_released",
            "accepted",
            "agreed"
        ]
    );
}

async fn an_offer_with_its_attachment(app: TestApp) {
    let c = cast(&app).await;
    let need = published_need(&app, &c).await;
    let path = format!("/api/v1/needs/{}", need["id"].as_str().unwrap());
    let (_, inv) = post(
        &app,
        &c.staff,
        &format!("{path}/invitations"),
        json!({"organization_ids": [c.certified_org, c.plain_org]}),
    )
    .await;
    let a_path = format!(
        "{path}/answers/{}/files",
        inv["answer_ids"][0].as_str().unwrap()
    );
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let upload = |token: &str, bytes: Vec<u8>, name: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        app.client
            .post(app.url(&a_path))
            .bearer_auth(token.to_owned())
            .multipart(form)
    };
    // The wrong kind of file is refused (by its content, not its name).
    let res = upload(&c.certified, b"just text, not a pdf".to_vec(), "oferta.pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    // Another candidate may not attach to this answer.
    let res = upload(&c.plain, pdf.clone(), "oferta.pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let res = upload(&c.certified, pdf.clone(), "Oferta Electro.pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let f: Value = res.json().await.unwrap();
    assert_eq!(f["content_type"], "application/pdf");
    assert_eq!(f["size"], pdf.len());
    let (_, list) = get(&app, &c.certified, &a_path).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Downloaded as it was sent, as an attachment.
    let file_url = format!("{a_path}/{}", f["id"].as_str().unwrap());
    let res = app
        .client
        .get(app.url(&file_url))
        .bearer_auth(&c.staff)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    // Not for the other candidate, nor for the owner before interest.
    for t in [&c.plain, &c.owner] {
        let res = app
            .client
            .get(app.url(&file_url))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
    }
    let _ = Role::Company;
}
