//! Pages: languages, the switch, error pages, static files and the headers every
//! response carries. (Pages read no database yet, so these run on SQLite only;
//! the database stories run on both backends.)

use crate::helpers::{Backend, TestApp};

async fn app() -> TestApp {
    TestApp::spawn_empty(Backend::Sqlite).await
}

async fn page(app: &TestApp, path: &str, accept_language: Option<&str>) -> (u16, String) {
    let mut req = app.client.get(app.url(path));
    if let Some(l) = accept_language {
        req = req.header("accept-language", l);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{path} is HTML"
    );
    (status, res.text().await.unwrap())
}

/// No untranslated message id (`home-title`, `module-pact-text`...) leaks into a page.
fn assert_translated(html: &str) {
    for id in besaya::i18n::I18n::ids(besaya::i18n::Lang::Es) {
        assert!(
            !html.contains(&format!(">{id}<")) && !html.contains(&format!("> {id}")),
            "untranslated key {id} in page"
        );
    }
}

#[tokio::test]
async fn home_is_spanish_by_default_and_english_on_request() {
    let app = app().await;
    let (status, es) = page(&app, "/", None).await;
    assert_eq!(status, 200);
    assert!(es.contains(r#"<html lang="es">"#));
    assert!(es.contains("<title>Inicio · Besaya</title>"));
    assert!(es.contains("Oficina de atracción de inversiones"));
    assert!(es.contains("Pacto Industrial"));
    assert!(
        es.contains(r#"href="/api/docs""#),
        "links to the modules that exist"
    );
    assert_translated(&es);

    let (_, en) = page(&app, "/", Some("en-GB,en;q=0.9,es;q=0.5")).await;
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(en.contains("<title>Home · Besaya</title>"));
    assert!(en.contains("Investment attraction office"));
    assert!(
        !en.contains("Próximamente"),
        "no Spanish left on the English page"
    );
    assert_translated(&en);
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let app = app().await;
    let res = app.get("/lang/en?next=%2Fapi%2Fdocs").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/api/docs");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // The cookie wins over the browser's Accept-Language.
    let (_, html) = page(&app, "/", Some("es-ES")).await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(
        html.contains(r#"href="/lang/es?next=%2F""#),
        "switch back to Spanish"
    );
    app.get("/lang/es?next=%2F").await;
    let (_, html) = page(&app, "/", Some("en")).await;
    assert!(html.contains(r#"<html lang="es">"#));
}

#[tokio::test]
async fn the_switch_never_redirects_off_site() {
    let app = app().await;
    for next in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "",
        "evil",
    ] {
        let res = app.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/", "next={next}");
    }
    let (status, _) = page(&app, "/lang/fr?next=%2F", None).await;
    assert_eq!(status, 404, "unknown languages are not accepted");
}

#[tokio::test]
async fn unknown_pages_are_friendly_404s_in_both_languages() {
    let app = app().await;
    let (status, es) = page(&app, "/no-existe", None).await;
    assert_eq!(status, 404);
    assert!(es.contains("Página no encontrada"));
    assert!(es.contains(r#"href="/""#));
    let (status, en) = page(&app, "/does/not/exist?x=1", Some("en")).await;
    assert_eq!(status, 404);
    assert!(en.contains("Page not found"));
    assert_translated(&en);
}

#[tokio::test]
async fn error_pages_render_in_the_users_language() {
    use axum::response::IntoResponse;
    let app = app().await;
    let i18n = app.state.i18n.clone();
    for (lang, text) in [
        (besaya::i18n::Lang::Es, "Error interno"),
        (besaya::i18n::Lang::En, "Internal error"),
    ] {
        let ctx = besaya::web::PageCtx::bare(besaya::i18n::Tr::new(i18n.clone(), lang));
        let res = ctx.fail(anyhow::anyhow!("disk on fire")).into_response();
        assert_eq!(res.status(), 500);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains(text), "{html}");
        assert!(!html.contains("disk on fire"), "internal detail leaked");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    for path in [
        "/",
        "/no-existe",
        "/api/v1/reference/cnae",
        "/api/v1/nope",
        "/static/css/besaya.css",
        "/healthz",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(h.contains_key("permissions-policy"), "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn request_ids_are_kept_and_responses_compressed() {
    let app = app().await;
    let res = app
        .client
        .get(app.url("/"))
        .header("x-request-id", "trace-me-42")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-me-42");
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn static_files_are_embedded_typed_and_cacheable() {
    let app = app().await;
    let res = app.get("/static/vendor/htmx/htmx.min.js").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    let etag = res.headers()["etag"].clone();
    assert!(res.text().await.unwrap().contains("htmx"));
    let again = app
        .client
        .get(app.url("/static/vendor/htmx/htmx.min.js"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let css = app.get("/static/css/besaya.css").await;
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(app.get("/static/nope.js").await.status(), 404);
    assert_eq!(app.get("/static/../Cargo.toml").await.status(), 404);
}

#[tokio::test]
async fn api_docs_page_loads_vendored_swagger_ui() {
    let app = app().await;
    let (status, html) = page(&app, "/api/docs", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("Documentación de la API"));
    assert!(html.contains("/static/vendor/swagger-ui/swagger-ui-bundle.js"));
    assert!(!html.contains("<script>"), "no inline script");
    assert_eq!(
        app.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
            .await
            .status(),
        200
    );
}
