//! Reference data: the CNAE classification (versioned) and Cantabria's
//! municipalities with the district flag. Loaded by `besaya demo` from the data
//! files shipped in `data/`, served read-only by the API.

pub mod catalog;
pub mod load;

pub use catalog::Catalog;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use besaya_domain::text::fold;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiError, ApiQuery, Page, Paging};
use crate::db::{Flag, Sql, like_escape};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/reference/municipalities", get(list_municipalities))
        .route("/reference/cnae", get(list_cnae))
}

/// A municipality of Cantabria.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Municipality {
    /// INE code, 5 digits.
    #[schema(example = "39087")]
    pub ine_code: String,
    pub name: String,
    /// Traditional comarca.
    pub comarca: String,
    pub lat: f64,
    pub lon: f64,
    /// Whether it belongs to the Besaya district as configured.
    #[sqlx(try_from = "i64")]
    #[schema(value_type = bool)]
    pub in_district: Flag,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Text in the name (accent- and case-insensitive).
    pub q: Option<String>,
    /// Only municipalities in (true) or out of (false) the district.
    pub district: Option<bool>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Municipalities of Cantabria, by INE code.
#[utoipa::path(get, path = "/api/v1/reference/municipalities", tag = "reference",
    params(MunicipalityQuery),
    responses(
        (status = 200, description = "A page of municipalities", body = Page<Municipality>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_municipalities(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<MunicipalityQuery>,
) -> Result<axum::Json<Page<Municipality>>, ApiError> {
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let mut sql = Sql::new(
        "SELECT ine_code, name, comarca, lat, lon, in_district FROM municipalities WHERE 1 = 1",
    );
    if let Some(after) = &paging.after {
        sql.push(" AND ine_code > ").bind(after.clone());
    }
    if let Some(d) = query.district {
        sql.push(" AND in_district = ").bind(i64::from(d));
    }
    for word in words(query.q.as_deref()) {
        sql.push(" AND search_text LIKE ")
            .bind(word)
            .push(" ESCAPE '\\'");
    }
    sql.push(" ORDER BY ine_code LIMIT ").bind(paging.fetch());
    let (text, args) = sql.build()?;
    let rows: Vec<Municipality> = sqlx::query_as_with(&text, args)
        .fetch_all(state.db.reader())
        .await?;
    Ok(axum::Json(paging.page(rows, |m| m.ine_code.clone())))
}

/// An activity code of the CNAE classification.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct CnaeCode {
    /// The classification: `2009` (the one loaded today) or `2025`.
    #[schema(example = "2009")]
    pub version: String,
    /// Section letter, or 2, 3 or 4 digits without dots.
    #[schema(example = "2451")]
    pub code: String,
    /// 1 section, 2 division, 3 group, 4 class.
    pub level: i64,
    pub parent: Option<String>,
    pub title_es: String,
    pub title_en: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CnaeQuery {
    /// A code prefix (`24`, `24.5`) or words of the title in Spanish or English,
    /// accent- and case-insensitive.
    pub q: Option<String>,
    /// The classification version; default `2009`.
    #[param(pattern = "^(2009|2025)$")]
    pub version: Option<String>,
    /// Only this level (1 section … 4 class).
    #[param(minimum = 1, maximum = 4)]
    pub level: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Search the CNAE classification by code or title.
#[utoipa::path(get, path = "/api/v1/reference/cnae", tag = "reference",
    params(CnaeQuery),
    responses(
        (status = 200, description = "A page of activity codes in code order", body = Page<CnaeCode>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid version, level, limit or cursor", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_cnae(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CnaeQuery>,
) -> Result<axum::Json<Page<CnaeCode>>, ApiError> {
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let version = query.version.as_deref().unwrap_or("2009");
    if !matches!(version, "2009" | "2025") {
        return Err(ApiError::field(
            "version",
            "unknown_version",
            "version is 2009 or 2025",
        ));
    }
    if query.level.is_some_and(|l| !(1..=4).contains(&l)) {
        return Err(ApiError::field(
            "level",
            "out_of_range",
            "level is 1, 2, 3 or 4",
        ));
    }
    let mut sql = Sql::new(
        "SELECT version, code, level, parent, title_es, title_en FROM cnae_codes WHERE version = ",
    );
    sql.bind(version.to_owned());
    if let Some(after) = &paging.after {
        sql.push(" AND code > ").bind(after.clone());
    }
    if let Some(level) = query.level {
        sql.push(" AND level = ").bind(level);
    }
    let q = query.q.as_deref().unwrap_or("").trim();
    let code_like: String = q.chars().filter(|c| *c != '.' && *c != ' ').collect();
    if !q.is_empty() {
        sql.push(" AND (");
        if !code_like.is_empty() && code_like.chars().all(|c| c.is_ascii_alphanumeric()) {
            sql.push("code LIKE ")
                .bind(format!("{}%", like_escape(&code_like.to_ascii_uppercase())))
                .push(" ESCAPE '\\' OR ");
        }
        sql.push("(1 = 1");
        for word in words(Some(q)) {
            sql.push(" AND search_text LIKE ")
                .bind(word)
                .push(" ESCAPE '\\'");
        }
        sql.push("))");
    }
    sql.push(" ORDER BY code LIMIT ").bind(paging.fetch());
    let (text, args) = sql.build()?;
    let rows: Vec<CnaeCode> = sqlx::query_as_with(&text, args)
        .fetch_all(state.db.reader())
        .await?;
    Ok(axum::Json(paging.page(rows, |c| c.code.clone())))
}

/// Each folded word of a search as a `%word%` pattern (at most 8 words).
fn words(q: Option<&str>) -> Vec<String> {
    fold(q.unwrap_or(""))
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("%{}%", like_escape(w)))
        .collect()
}
