//! The home page: what the platform is and its modules.

use askama::Template;
use axum::response::Response;

use super::{PageCtx, render};

/// A module of the platform as presented on the home page.
pub struct Module {
    pub title: String,
    pub text: String,
    /// Where it lives, once it exists.
    pub href: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    ctx: PageCtx,
    modules: Vec<Module>,
}

pub async fn index(ctx: PageCtx) -> Response {
    let m = |key: &str, href: Option<&'static str>| Module {
        title: ctx.tr.t(&format!("{key}-title")).to_owned(),
        text: ctx.tr.t(&format!("{key}-text")).to_owned(),
        href,
    };
    let modules = vec![
        m("module-office", None),
        m("module-pact", None),
        m("module-sites", None),
        // Visitors are asked to log in; investors have no directory.
        m(
            "module-directory",
            (ctx.user.is_none() || ctx.can_read_directory()).then_some("/directory"),
        ),
        m("module-skills", None),
        m("module-plan", None),
        m("module-opendata", Some("/api/docs")),
    ];
    render(&HomePage { ctx, modules })
}
