//! The home page: what the platform is and its modules.

use askama::Template;
use axum::response::Response;

use super::{PageCtx, render};

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
    render(&HomePage { ctx, modules })
}
