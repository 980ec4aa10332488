//! The home page: what the platform is and its modules.

use std::sync::OnceLock;

use askama::Template;
use axum::body::Bytes;
use axum::response::{Html, IntoResponse, Response};

use super::{PageCtx, render};
use crate::i18n::Lang;

/// The home page of an anonymous visitor without a flash message, rendered once
/// per language: it depends on nothing else (the catalogues are compiled in), and
/// it is the page most requests ask for (issue #2 measures it against bare axum).
static ANONYMOUS: [OnceLock<(String, Bytes)>; 2] = [OnceLock::new(), OnceLock::new()];

fn slot(lang: Lang) -> &'static OnceLock<(String, Bytes)> {
    match lang {
        Lang::Es => &ANONYMOUS[0],
        Lang::En => &ANONYMOUS[1],
    }
}

/// A module of the platform as presented on the home page: the catalogue keys of
/// its title and text (rendered pre-escaped), and where it lives, once it exists.
pub struct Module {
    pub title: &'static str,
    pub text: &'static str,
    pub href: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    ctx: PageCtx,
    modules: Vec<Module>,
}

pub async fn index(ctx: PageCtx) -> Response {
    let cacheable = ctx.user.is_none() && ctx.flash.is_none();
    if cacheable
        && let Some((href, page)) = slot(ctx.lang).get()
        && *href == ctx.switch_href
    {
        return Html(page.clone()).into_response();
    }
    let m = |title, text, href| Module { title, text, href };
    let modules = vec![
        m("module-office-title", "module-office-text", None),
        // Signed-in users reach the needs; visitors the public summary figures.
        m(
            "module-pact-title",
            "module-pact-text",
            Some(match &ctx.user {
                Some(u) if u.role != besaya_domain::Role::Investor => "/pact",
                _ => "/pact/summary",
            }),
        ),
        m("module-sites-title", "module-sites-text", Some("/sites")),
        // Visitors are asked to log in; investors have no directory.
        m(
            "module-directory-title",
            "module-directory-text",
            (ctx.user.is_none() || ctx.can_read_directory()).then_some("/directory"),
        ),
        m("module-skills-title", "module-skills-text", None),
        m("module-plan-title", "module-plan-text", None),
        m(
            "module-opendata-title",
            "module-opendata-text",
            Some("/open-data"),
        ),
    ];
    if !cacheable {
        return render(&HomePage { ctx, modules });
    }
    let (lang, href) = (ctx.lang, ctx.switch_href.clone());
    match (HomePage { ctx, modules }).render() {
        Ok(html) => {
            let page = Bytes::from(html);
            // The first render wins; a page with another switch link (a query
            // string on `/`) is served but not kept.
            let _ = slot(lang).set((href, page.clone()));
            Html(page).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                Html(super::page::FALLBACK_500),
            )
                .into_response()
        }
    }
}
