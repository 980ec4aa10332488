//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated
//! from the handlers (utoipa) and browsable at `/api/docs`.

mod extract;
mod page;
mod patch;
mod problem;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;

use crate::AppState;

pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use page::{Page, PageQuery, Paging};
pub use patch::{DeleteQuery, merge_patch};
pub use problem::{ApiError, FieldError, Problem, problem_response};

/// Largest JSON body the API reads (bigger ones get 413).
pub const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Besaya API",
        version = "1",
        description = "The JSON API of Besaya, the industrial platform of the Besaya district \
            (Torrelavega, Cantabria). Lists take `limit` (1–500, default 50) and `cursor` and answer \
            `{ \"items\": [...], \"next_cursor\": ... }`. Errors are `application/problem+json` \
            with a stable `code`. Open data is published under CC BY 4.0.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    paths(
        crate::reference::list_municipalities,
        crate::reference::list_cnae,
        crate::users::routes::api_me,
        crate::users::routes::api_list,
        crate::users::routes::api_create,
        crate::users::routes::api_get,
        crate::users::routes::api_update,
        crate::orgs::api::list,
        crate::orgs::api::create,
        crate::orgs::api::read,
        crate::orgs::api::update,
        crate::orgs::api::remove,
        crate::orgs::api::merge,
        crate::sites::api::list,
        crate::sites::api::create,
        crate::sites::api::read,
        crate::sites::api::update,
        crate::sites::api::remove,
        crate::sites::api::transition,
        crate::sites::api::match_sites,
        crate::sites::api::list_estates,
        crate::sites::api::create_estate,
        crate::sites::api::read_estate,
        crate::sites::api::update_estate,
        crate::sites::api::remove_estate,
        crate::audit::api_list,
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "reference", description = "Classifications and municipalities"),
        (name = "users", description = "Users and their roles"),
        (name = "directory", description = "The directory of organisations"),
        (name = "sites", description = "Industrial estates and sites: the public catalogue, requirement matching"),
        (name = "office", description = "The Office: inquiries, investor projects, their activity, site proposals, documents and messages"),
        (name = "pact", description = "The Industrial Pact: needs of large companies, ranked local answers, brokered expressions of interest and offers, the funnel"),
        (name = "audit", description = "Who changed what, when"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme: `Authorization: Bearer <token>`, tokens
/// created on the account page or with `besaya token create`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .merge(crate::reference::api_router())
        .merge(crate::users::api_router())
        .merge(crate::orgs::api_router())
        .merge(crate::sites::api_router())
        .merge(crate::office::api_router())
        .merge(crate::pact::api_router())
        .merge(crate::audit::api_router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

async fn openapi_json() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::office::openapi());
    doc.merge(crate::pact::openapi());
    match doc.to_json() {
        Ok(json) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json,
        )
            .into_response(),
        Err(e) => ApiError::Internal(e.into()).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
