//! The authorization matrix: every role against every protected page and API
//! route. Anonymous → login page (pages) or 401 (API); a role without the right →
//! 403; a record the user may not see → 404.

use besaya_domain::Role;

use crate::helpers::{Backend, TestApp, new_client};

const ADMIN_PAGES: [&str; 4] = [
    "/admin/users",
    "/admin/users/new",
    "/admin/audit",
    "/admin/jobs",
];

#[tokio::test]
async fn pages_follow_the_role() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let anonymous = new_client();
    for path in ["/account"].iter().chain(ADMIN_PAGES.iter()) {
        let res = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "anonymous {path}");
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?next="),
            "{path}"
        );
    }
    for role in Role::ALL {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(
            client
                .get(app.url("/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{role} /account"
        );
        for path in ADMIN_PAGES {
            let status = client.get(app.url(path)).send().await.unwrap().status();
            let expected = if role == Role::Admin { 200 } else { 403 };
            assert_eq!(status, expected, "{role} {path}");
        }
        let home = client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            home.contains(r#"href="/admin/users""#),
            role == Role::Admin,
            "{role} navigation"
        );
    }
}

#[tokio::test]
async fn api_routes_follow_the_role() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, admin_id) = app.token(Role::Admin).await;
    for path in [
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/audit",
        &format!("/api/v1/users/{admin_id}"),
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "anonymous {path}");
    }
    for role in Role::ALL {
        let (token, own_id) = app.token(role).await;
        let get = |path: String| {
            let token = token.clone();
            let client = app.client.clone();
            let url = app.url(&path);
            async move {
                client
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let admin = role == Role::Admin;
        assert_eq!(get("/api/v1/me".into()).await, 200, "{role}");
        assert_eq!(
            get("/api/v1/users".into()).await,
            if admin { 200 } else { 403 },
            "{role} users"
        );
        assert_eq!(
            get("/api/v1/audit".into()).await,
            if admin { 200 } else { 403 },
            "{role} audit"
        );
        assert_eq!(
            get(format!("/api/v1/users/{own_id}")).await,
            200,
            "{role} sees themself"
        );
        assert_eq!(
            get(format!("/api/v1/users/{admin_id}")).await,
            if admin { 200 } else { 404 },
            "{role} another user's record"
        );
        let patch = app
            .client
            .patch(app.url(&format!("/api/v1/users/{own_id}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({"version": 1, "name": "Nuevo nombre"}))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(patch, if admin { 200 } else { 403 }, "{role} edits users");
    }
}

/// The directory: everyone signed in but investors reads it; the office creates,
/// imports and exports; the administrator merges and deletes; anonymous visitors
/// are sent to log in.
#[tokio::test]
async fn directory_pages_follow_the_role() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let org: String = sqlx::query_scalar("SELECT id FROM organizations ORDER BY name LIMIT 1")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let read = [
        "/directory".to_owned(),
        format!("/directory/{org}"),
        "/directory/export.csv".into(),
    ];
    let office = [
        "/directory/new".to_owned(),
        "/directory/import".into(),
        format!("/directory/{org}/edit"),
    ];
    let anonymous = new_client();
    for path in read.iter().chain(office.iter()) {
        let res = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "anonymous {path}");
    }
    for role in Role::ALL {
        let (client, _) = app.signed_in(role).await;
        for path in &read {
            let status = client.get(app.url(path)).send().await.unwrap().status();
            let expected = if role == Role::Investor { 403 } else { 200 };
            assert_eq!(status, expected, "{role} {path}");
        }
        for path in &office {
            let status = client.get(app.url(path)).send().await.unwrap().status();
            let expected = if role.is_office() { 200 } else { 403 };
            assert_eq!(status, expected, "{role} {path}");
        }
        let home = client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            home.contains(r#"href="/directory""#),
            role != Role::Investor,
            "{role} navigation"
        );
        // Merging and deleting are the administrator's.
        let page = client
            .get(app.url(&format!("/directory/{org}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            page.contains("/merge\""),
            role == Role::Admin,
            "{role} merge form"
        );
    }
}
