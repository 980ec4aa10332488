//! Reading the audit log: the administrator's page with filters and
//! `GET /api/v1/audit`. (Writing it is `db::Audit`, used by every write.)

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiError, ApiQuery, Page, Paging};
use crate::auth::{Admin, ApiUser};
use crate::db::Sql;
use crate::users::policy;
use crate::web::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(page))
}

pub fn api_router() -> Router<AppState> {
    Router::new().route("/audit", get(api_list))
}

/// One entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The user who acted; null for the system (CLI, jobs, demo loader).
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The changed fields: `{ "field": { "before": ..., "after": ... } }`.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: String,
    actor_id: Option<String>,
    actor_email: Option<String>,
    entity: String,
    entity_id: String,
    action: String,
    changes: String,
}

/// Filters of the audit log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The acting user's id or e-mail address.
    pub actor: Option<String>,
    /// `user`, `organization`, `api_token`, `job`...
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// From this date (`YYYY-MM-DD`, UTC), inclusive.
    #[param(format = Date)]
    pub from: Option<String>,
    /// To this date (`YYYY-MM-DD`, UTC), inclusive.
    #[param(format = Date)]
    pub to: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn date(field: &str, raw: Option<&str>) -> Result<Option<String>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(s, &fmt)
                .map(|d| Some(d.to_string()))
                .map_err(|_| ApiError::field(field, "invalid_date", "a date as YYYY-MM-DD"))
        }
    }
}

/// Newest first; returns up to `limit + 1` rows.
async fn query(
    state: &AppState,
    q: &AuditQuery,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Entry>, ApiError> {
    let from = date("from", q.from.as_deref())?;
    let to = date("to", q.to.as_deref())?;
    let mut sql = Sql::new(
        "SELECT a.id, a.at, a.actor_id, u.email AS actor_email, a.entity, a.entity_id, a.action, a.changes \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE 1 = 1",
    );
    if let Some(actor) = q.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sql.push(" AND (a.actor_id = ")
            .bind(actor.to_owned())
            .push(" OR u.email_norm = ")
            .bind(actor.to_lowercase())
            .push(")");
    }
    if let Some(e) = q.entity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sql.push(" AND a.entity = ").bind(e.to_owned());
    }
    if let Some(e) = q
        .entity_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        sql.push(" AND a.entity_id = ").bind(e.to_owned());
    }
    if let Some(f) = from {
        sql.push(" AND a.at >= ").bind(format!("{f}T00:00:00"));
    }
    if let Some(t) = to {
        sql.push(" AND a.at < ").bind(format!("{t}T99"));
    }
    if let Some(a) = after {
        sql.push(" AND a.id < ").bind(a);
    }
    sql.push(" ORDER BY a.id DESC LIMIT ").bind(limit + 1);
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args)
        .fetch_all(state.db.reader())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_email: r.actor_email,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            changes: serde_json::from_str(&r.changes).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}

/// The audit log, newest first (administrator only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Entry>),
        (status = 400, description = "Malformed query", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Page<Entry>>, ApiError> {
    if !policy::can_administer(&actor) {
        return Err(ApiError::Forbidden);
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let after = match &paging.after {
        Some(a) => Some(a.parse::<i64>().map_err(|_| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "cursor is not one this API gave",
            )
        })?),
        None => None,
    };
    let rows = query(&state, &q, after, i64::from(paging.limit.get())).await?;
    Ok(Json(paging.page(rows, |e| e.id.to_string())))
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    ctx: PageCtx,
    entries: Vec<Entry>,
    actor: String,
    entity: String,
    entity_id: String,
    from: String,
    to: String,
    next: Option<i64>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    actor: Option<String>,
    entity: Option<String>,
    entity_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<i64>,
}

async fn page(
    State(state): State<AppState>,
    Admin(_, ctx): Admin,
    Query(p): Query<PageQuery>,
) -> Response {
    let q = AuditQuery {
        actor: p.actor.clone(),
        entity: p.entity.clone(),
        entity_id: p.entity_id.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        ..AuditQuery::default()
    };
    let (entries, error) = match query(&state, &q, p.before, 100).await {
        Ok(e) => (e, None),
        Err(ApiError::Validation(_)) => (Vec::new(), Some(ctx.tr.t("audit-bad-date").to_owned())),
        Err(e) => return ctx.fail(anyhow::anyhow!("{e}")).into_response(),
    };
    let mut entries = entries;
    let next = if entries.len() > 100 {
        entries.truncate(100);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    render(&AuditPage {
        entries,
        actor: p.actor.unwrap_or_default(),
        entity: p.entity.unwrap_or_default(),
        entity_id: p.entity_id.unwrap_or_default(),
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        next,
        error,
        ctx,
    })
}

impl Entry {
    /// The changes as one line of `field: before → after`.
    pub fn summary(&self) -> String {
        let Some(map) = self.changes.as_object() else {
            return String::new();
        };
        // The list shows the first fields, each cut short; the API has them all.
        const SHOWN: usize = 6;
        let show = |x: &serde_json::Value| {
            let s = match x {
                serde_json::Value::Null => "—".to_owned(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if s.chars().count() > 60 {
                format!("{}…", s.chars().take(60).collect::<String>())
            } else {
                s
            }
        };
        // What says which record this is and what happened to it first.
        const FIRST: [&str; 5] = [
            "name",
            "merged_into",
            "merged_from",
            "merged_tax_id",
            "users_moved",
        ];
        let mut fields: Vec<(&String, &serde_json::Value)> = map.iter().collect();
        fields.sort_by_key(|(k, _)| FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()));
        let mut parts: Vec<String> = fields
            .into_iter()
            .take(SHOWN)
            .map(|(k, v)| format!("{k}: {} → {}", show(&v["before"]), show(&v["after"])))
            .collect();
        if map.len() > SHOWN {
            parts.push(format!("(+{})", map.len() - SHOWN));
        }
        parts.join("; ")
    }
}
