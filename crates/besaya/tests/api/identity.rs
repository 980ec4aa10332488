//! Identity and access, as users meet it: login and logout, throttling, invitations,
//! password resets (through a real SMTP server too), sessions, API tokens, the
//! users API with versions, jobs and the audit log.

use besaya_domain::Role;
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, TestApp, backends, link_in, new_client, parse_mail};

backends!(
    login_and_logout,
    forms_without_the_csrf_token_are_refused,
    wrong_passwords_are_throttled_per_account,
    an_invited_user_sets_a_password_and_logs_in,
    a_password_reset_works_once_and_ends_sessions,
    reset_emails_to_one_address_are_limited,
    logging_out_everywhere_ends_every_session,
    the_language_preference_follows_the_account,
    a_stale_profile_edit_is_refused,
    api_tokens_are_shown_once_and_revocable,
    users_api_validates_and_detects_stale_versions,
    failing_jobs_retry_with_backoff_then_wait_for_the_administrator,
    jobs_are_claimed_once_by_concurrent_workers,
    the_audit_log_answers_the_administrator,
);

async fn login_and_logout(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    let res = app
        .login(&client, "ana@besaya.example", "not the password")
        .await;
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(html.contains("El correo electrónico o la contraseña no son correctos."));
    assert!(
        html.contains(r#"value="ana@besaya.example""#),
        "the e-mail is kept"
    );
    // Unknown account: the very same message.
    let res = app.login(&client, "nadie@besaya.example", PASSWORD).await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("no son correctos"));

    let res = app.login(&client, "ANA@besaya.example", PASSWORD).await;
    assert_eq!(res.status(), 303, "e-mail addresses are case-insensitive");
    assert_eq!(res.headers()["location"], "/account");
    let cookies: Vec<&str> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("besaya_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let page = client.get(app.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mi cuenta") && html.contains("Test staff"));
    assert!(
        !html.contains(r#"href="/admin/users""#),
        "staff see no administration links"
    );

    let res = app.post_form(&client, "/account", "/logout", &[]).await;
    assert_eq!(res.status(), 303);
    let res = client.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=%2Faccount");
}

async fn forms_without_the_csrf_token_are_refused(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    client.get(app.url("/login")).send().await.unwrap();
    for token in [None, Some("forged-token-forged-token-forged-token-xyz1")] {
        let mut form = vec![("email", "ana@besaya.example"), ("password", PASSWORD)];
        if let Some(t) = token {
            form.push(("_csrf", t));
        }
        let res = client
            .post(app.url("/login"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{token:?}");
        assert!(res.text().await.unwrap().contains("Acceso no permitido"));
    }
}

async fn wrong_passwords_are_throttled_per_account(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    app.create_user("berta@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            app.login(&client, "ana@besaya.example", "wrong password!")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..4], &[401; 4]);
    assert_eq!(statuses[9], 429, "{statuses:?}");
    let res = app.login(&client, "ana@besaya.example", PASSWORD).await;
    assert_eq!(res.status(), 429, "even the right password waits");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Demasiados intentos fallidos"),
        "says when to retry: {html}"
    );
    assert!(html.contains("minutos") || html.contains("minuto"));
    // The same address can still log in to another account.
    let res = app
        .login(&new_client(), "berta@besaya.example", PASSWORD)
        .await;
    assert_eq!(res.status(), 303);
}

async fn an_invited_user_sets_a_password_and_logs_in(app: TestApp) {
    let (admin, _) = app.signed_in(Role::Admin).await;
    let res = app
        .post_form(
            &admin,
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("email", "tomas@besaya.example"),
                ("name", "Tomás Técnico"),
                ("role", "staff"),
                ("lang", "es"),
                ("tax_ids", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Invalid input is shown next to the fields, nothing is created.
    let res = app
        .post_form(
            &admin,
            "/admin/users/new",
            "/admin/users/new",
            &[
                ("email", "no-es-correo"),
                ("name", ""),
                ("role", "root"),
                ("lang", "es"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r##"href="#email""##) && html.contains(r#"id="email-error""#),
        "summary linked to the field"
    );
    assert!(html.contains("Escriba un nombre") && html.contains("Elija uno de los perfiles"));

    assert_eq!(app.run_jobs().await.done, 1);
    let mails = app.mails();
    assert_eq!(mails.len(), 1);
    let (to, subject, text) = &mails[0];
    assert_eq!(to, "tomas@besaya.example");
    assert!(subject.starts_with("Invitación a Besaya"), "{subject}");
    let link = link_in(text, "/invitation?token=");

    let visitor = new_client();
    let page = visitor.get(app.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let res = app
        .set_password(&visitor, &link, "/invitation", &token, "corta", "corta")
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("al menos 10 caracteres"));
    let res = app
        .set_password(
            &visitor,
            &link,
            "/invitation",
            &token,
            "mi nave en Cartes",
            "mi nave en Cartes",
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    assert_eq!(
        app.login(&visitor, "tomas@besaya.example", "mi nave en Cartes")
            .await
            .status(),
        303
    );
    // The link works once.
    assert_eq!(
        new_client()
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .status(),
        410
    );
}

async fn a_password_reset_works_once_and_ends_sessions(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Company, PASSWORD)
        .await;
    let elsewhere = new_client();
    assert_eq!(
        app.login(&elsewhere, "ana@besaya.example", PASSWORD)
            .await
            .status(),
        303
    );

    let client = new_client();
    let unknown = app
        .post_form(
            &client,
            "/password/forgot",
            "/password/forgot",
            &[("email", "nadie@besaya.example")],
        )
        .await
        .text()
        .await
        .unwrap();
    let known = app
        .post_form(
            &client,
            "/password/forgot",
            "/password/forgot",
            &[("email", "Ana@Besaya.example")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(known.contains("Revise su correo"));
    assert_eq!(
        unknown, known,
        "the answer does not reveal whether the account exists"
    );
    assert_eq!(
        app.run_jobs().await.done,
        1,
        "one message, for the real account"
    );
    let (_, subject, text) = app.mails().remove(0);
    assert!(subject.contains("Restablecer"));
    let link = link_in(&text, "/password/reset?token=");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let res = app
        .set_password(
            &client,
            &link,
            "/password/reset",
            &token,
            "otra nave en Reocín",
            "otra cosa distinta",
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("no coinciden"));
    let res = app
        .set_password(
            &client,
            &link,
            "/password/reset",
            &token,
            "otra nave en Reocín",
            "otra nave en Reocín",
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.login(&new_client(), "ana@besaya.example", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login(&new_client(), "ana@besaya.example", "otra nave en Reocín")
            .await
            .status(),
        303
    );
    assert_eq!(
        elsewhere
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "old sessions ended"
    );
    let again = app
        .set_password(
            &new_client(),
            "/password/forgot",
            "/password/reset",
            &token,
            "tercera nave industrial",
            "tercera nave industrial",
        )
        .await;
    assert_eq!(again.status(), 410, "a reset link works once");
}

async fn reset_emails_to_one_address_are_limited(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    let mut pages = Vec::new();
    for _ in 0..6 {
        let res = app
            .post_form(
                &client,
                "/password/forgot",
                "/password/forgot",
                &[("email", "ana@besaya.example")],
            )
            .await;
        assert_eq!(res.status(), 200);
        pages.push(res.text().await.unwrap());
    }
    assert!(
        pages.iter().all(|p| p.contains("Revise su correo")),
        "the same answer every time"
    );
    assert_eq!(
        app.run_jobs().await.done,
        3,
        "three e-mails, then none for a while"
    );
    // Another address is not affected.
    app.create_user("berta@besaya.example", Role::Staff, PASSWORD)
        .await;
    app.post_form(
        &client,
        "/password/forgot",
        "/password/forgot",
        &[("email", "berta@besaya.example")],
    )
    .await;
    assert_eq!(app.run_jobs().await.done, 1);
}

async fn logging_out_everywhere_ends_every_session(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Investor, PASSWORD)
        .await;
    let (a, b) = (new_client(), new_client());
    app.login(&a, "ana@besaya.example", PASSWORD).await;
    app.login(&b, "ana@besaya.example", PASSWORD).await;
    assert_eq!(
        b.get(app.url("/account")).send().await.unwrap().status(),
        200
    );
    let res = app
        .post_form(&a, "/account", "/account/sessions/revoke-all", &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        a.get(app.url("/account")).send().await.unwrap().status(),
        303
    );
    assert_eq!(
        b.get(app.url("/account")).send().await.unwrap().status(),
        303
    );
}

async fn the_language_preference_follows_the_account(app: TestApp) {
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    app.login(&client, "ana@besaya.example", PASSWORD).await;
    client
        .get(app.url("/lang/en?next=%2F"))
        .send()
        .await
        .unwrap();
    app.post_form(&client, "/account", "/logout", &[]).await;
    // Another browser, which asks for Spanish: after login the account's English wins.
    let other = new_client();
    let res = app.login(&other, "ana@besaya.example", PASSWORD).await;
    assert_eq!(res.status(), 303);
    let html = other
        .get(app.url("/account"))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("My account"));
}

async fn a_stale_profile_edit_is_refused(app: TestApp) {
    let (client, _) = app.signed_in(Role::Company).await;
    let v1 = app
        .post_form(
            &client,
            "/account",
            "/account/profile",
            &[
                ("name", "Primera versión"),
                ("lang", "es"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(v1.status(), 303);
    let stale = app
        .post_form(
            &client,
            "/account",
            "/account/profile",
            &[
                ("name", "Edición perdida"),
                ("lang", "es"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(
        html.contains("Otra persona ha modificado"),
        "says someone else changed it"
    );
    assert!(
        html.contains(r#"value="Primera versión""#),
        "shows what is stored now"
    );
}

async fn api_tokens_are_shown_once_and_revocable(app: TestApp) {
    let (client, user_id) = app.signed_in(Role::PactMember).await;
    let res = app
        .post_form(
            &client,
            "/account",
            "/account/tokens",
            &[("name", "informes")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let start = html.find(r#"<code id="new-token">"#).unwrap() + r#"<code id="new-token">"#.len();
    let token = html[start..start + html[start..].find('<').unwrap()].to_owned();
    assert!(
        token.starts_with("bsy_") && token.len() == 47,
        "256-bit token: {token}"
    );
    let page = client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("informes") && !page.contains(&token),
        "never shown again"
    );
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens WHERE user_id = $1")
        .bind(&user_id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_ne!(stored, token, "stored hashed");

    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["role"], "pact_member");
    let last_used: Option<String> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens WHERE user_id = $1")
            .bind(&user_id)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert!(last_used.is_some(), "last use recorded");

    let token_id: String = sqlx::query_scalar("SELECT id FROM api_tokens WHERE user_id = $1")
        .bind(&user_id)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let res = app
        .post_form(
            &client,
            "/account",
            &format!("/account/tokens/{token_id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    for bad in [
        token.as_str(),
        "bsy_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "garbage",
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/me"))
            .bearer_auth(bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{bad}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}

async fn users_api_validates_and_detects_stale_versions(app: TestApp) {
    let (admin, admin_id) = app.token(Role::Admin).await;
    let post = |body: Value| {
        app.client
            .post(app.url("/api/v1/users"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    let res = post(json!({"email": "no", "name": "", "role": "root"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "name", "role"]);
    let res =
        post(json!({"email": "x@besaya.example", "name": "X", "role": "staff", "colour": "red"}))
            .await
            .unwrap();
    assert_eq!(res.status(), 422, "unknown fields are refused");
    let res = post(json!({"email": "luis@besaya.example", "name": "Luis", "role": "company"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let luis: Value = res.json().await.unwrap();
    assert_eq!(luis["has_password"], false);
    assert_eq!(luis["version"], 1);
    let res = post(json!({"email": "LUIS@besaya.example", "name": "Luis bis", "role": "company"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let id = luis["id"].as_str().unwrap();

    let patch = |body: Value| {
        app.client
            .patch(app.url(&format!("/api/v1/users/{id}")))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    let res = patch(json!({"version": 1, "role": "investor", "name": "Luis Inversor"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(
        (updated["role"].as_str(), updated["version"].as_i64()),
        (Some("investor"), Some(2))
    );
    let res = patch(json!({"version": 1, "name": "Perdido"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "version_conflict");
    assert_eq!(problem["current_version"], 2);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let now: Value = res.json().await.unwrap();
    assert_eq!(
        now["name"], "Luis Inversor",
        "the stale update wrote nothing"
    );
    // Organisations are kept and listed with each user; unknown ones are refused.
    let org: String = sqlx::query_scalar("SELECT id FROM organizations ORDER BY id LIMIT 1")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let res = patch(json!({"version": 2, "organization_ids": [org]}))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list: Value = app
        .client
        .get(app.url("/api/v1/users?q=luis"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["organization_ids"], json!([org]));
    let res = patch(json!({"version": 3, "organization_ids": ["no-such-org"]}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/users/{admin_id}")))
        .bearer_auth(&admin)
        .json(&json!({"version": 1, "active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        422,
        "an administrator cannot lock themself out"
    );
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

async fn failing_jobs_retry_with_backoff_then_wait_for_the_administrator(app: TestApp) {
    // An SMTP server that is not there: every delivery fails.
    let app = TestApp::spawn_with(
        if app.state.db.backend() == besaya::db::Backend::Sqlite {
            Backend::Sqlite
        } else {
            Backend::Postgres
        },
        |c| {
            c.smtp_url = Some(besaya::config::SecretUrl::new("smtp://127.0.0.1:1"));
        },
    )
    .await;
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    app.post_form(
        &new_client(),
        "/password/forgot",
        "/password/forgot",
        &[("email", "ana@besaya.example")],
    )
    .await;
    let report = app.run_jobs().await;
    assert_eq!((report.done, report.failed), (0, 1));
    let (status, attempts, run_at, error): (String, i64, String, Option<String>) =
        sqlx::query_as("SELECT status, attempts, run_at, last_error FROM jobs")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(run_at > besaya::db::now(), "retried later, not now");
    assert!(error.unwrap().contains("SMTP"));
    assert_eq!(
        app.run_jobs().await,
        besaya::jobs::RunReport::default(),
        "not due yet"
    );
    // Make it due again until it runs out of attempts.
    for _ in 0..4 {
        sqlx::query("UPDATE jobs SET run_at = $1")
            .bind("2000-01-01T00:00:00.000000Z")
            .execute(app.state.db.writer())
            .await
            .unwrap();
        app.run_jobs().await;
    }
    let status: String = sqlx::query_scalar("SELECT status FROM jobs")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "failed");
    let (admin, _) = app.signed_in(Role::Admin).await;
    let page = admin
        .get(app.url("/admin/jobs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("send_email") && page.contains("Reintentar"));
    let id: String = sqlx::query_scalar("SELECT id FROM jobs")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let res = app
        .post_form(
            &admin,
            "/admin/jobs",
            &format!("/admin/jobs/{id}/retry"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (status, attempts): (String, i64) = sqlx::query_as("SELECT status, attempts FROM jobs")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 0));
}

async fn jobs_are_claimed_once_by_concurrent_workers(app: TestApp) {
    let mut tx = app.state.db.writer().begin().await.unwrap();
    for i in 0..30 {
        let m = besaya::mail::Outgoing {
            to: format!("n{i}@besaya.example"),
            to_name: format!("N{i}"),
            subject: format!("Mensaje {i}"),
            text: "texto".into(),
            html: "<p>texto</p>".into(),
        };
        besaya::mail::enqueue(&mut tx, &m).await.unwrap();
    }
    tx.commit().await.unwrap();
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let state = app.state.clone();
            tokio::spawn(async move {
                besaya::jobs::run_pending(&state, &format!("w{w}"))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut done = 0;
    for w in workers {
        done += w.await.unwrap().done;
    }
    assert_eq!(done, 30, "every job ran exactly once");
    assert_eq!(app.mails().len(), 30);
}

async fn the_audit_log_answers_the_administrator(app: TestApp) {
    let (admin, _) = app.token(Role::Admin).await;
    let (staff, _) = app.token(Role::Staff).await;
    app.client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "eva@besaya.example", "name": "Eva", "role": "staff"}))
        .send()
        .await
        .unwrap();
    let page: Value = app
        .client
        .get(app.url("/api/v1/audit?entity=user&limit=1"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = &page["items"][0];
    assert_eq!(entry["action"], "create");
    assert_eq!(entry["changes"]["email"]["after"], "eva@besaya.example");
    assert!(entry["actor_email"].as_str().unwrap().starts_with("admin-"));
    assert!(page["next_cursor"].is_string());
    let res = app
        .client
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .client
        .get(app.url("/api/v1/audit?from=ayer"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let today = &besaya::db::now()[..10];
    let res: Value = app
        .client
        .get(app.url(&format!("/api/v1/audit?from={today}&to={today}&limit=500")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(res["items"].as_array().unwrap().len() >= 3);
    let none: Value = app
        .client
        .get(app.url("/api/v1/audit?to=2020-01-01"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(none["items"].as_array().unwrap().is_empty());
}

/// A reset link followed from a message received by a real SMTP server (aiosmtpd).
#[tokio::test]
async fn a_reset_link_arrives_over_real_smtp() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut smtpd = Smtpd(
        std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs"),
    );
    let smtpd = &mut smtpd.0;
    // Wait until it accepts connections (or tell why it cannot start).
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = smtpd.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(smtpd.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!(
                "aiosmtpd exited ({status}): {err}\nInstall it with `pip install aiosmtpd` (scripts/test does)."
            );
        }
        assert!(started.elapsed().as_secs() < 15, "aiosmtpd did not start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.smtp_url = Some(besaya::config::SecretUrl::new(format!(
            "smtp://127.0.0.1:{port}"
        )));
        c.public_url = "https://besaya.example/".into();
    })
    .await;
    app.create_user("ana@besaya.example", Role::Staff, PASSWORD)
        .await;
    let client = new_client();
    app.post_form(
        &client,
        "/password/forgot",
        "/password/forgot",
        &[("email", "ana@besaya.example")],
    )
    .await;
    let report = app.run_jobs().await;
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM jobs")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(report.done, 1, "{error:?}");
    let inbox = dir.path().join("new");
    let files: Vec<_> = std::fs::read_dir(&inbox).unwrap().collect();
    assert_eq!(files.len(), 1, "one message delivered");
    let raw = std::fs::read(files[0].as_ref().unwrap().path()).unwrap();
    let (to, subject, text) = parse_mail(&raw);
    assert_eq!(to, "ana@besaya.example");
    assert!(subject.contains("Restablecer su contraseña"));
    assert!(
        text.contains("https://besaya.example/password/reset?token="),
        "links use the public URL"
    );
    let link = link_in(&text, "/password/reset?token=");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    assert_eq!(token.len(), 43, "256 bits");
    let res = app
        .set_password(
            &client,
            &link,
            "/password/reset",
            &token,
            "nueva nave en Barreda",
            "nueva nave en Barreda",
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.login(&new_client(), "ana@besaya.example", "nueva nave en Barreda")
            .await
            .status(),
        303
    );
}

/// Stops the SMTP server however the test ends.
struct Smtpd(std::process::Child);

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
