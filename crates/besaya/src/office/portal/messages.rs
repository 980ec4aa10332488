//! Messages: one thread per project between the investor's users and the office.
//! Every new message goes on the timeline and is announced by e-mail — from the
//! investor to the project's owner and team, from the office to the active
//! investor users of the project's organisation — each in the recipient's
//! language, enqueued in the same transaction.

use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool, FromRow};
use utoipa::ToSchema;

use super::mail::PortalMail;
use crate::auth::User;
use crate::db::{self, Audit, Changes};
use crate::i18n::{I18n, Lang};
use crate::office::policy;
use crate::office::projects::{Project, record_event};

/// Longest message, in characters.
pub const BODY_MAX: usize = 5000;

/// A message of a project's thread.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct Message {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    /// `office` or `investor`: which side wrote it.
    #[schema(example = "investor")]
    pub author_side: String,
    pub body: String,
    pub at: String,
}

/// The messages of a project, oldest first, at most `limit` after the cursor
/// `after` (`at|id` of the last one seen).
pub async fn list(
    pool: &AnyPool,
    project_id: &str,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<Message>, sqlx::Error> {
    let mut sql = db::Sql::new(
        "SELECT m.id, m.author_id, u.name AS author_name, \
         CASE WHEN u.role = 'investor' THEN 'investor' ELSE 'office' END AS author_side, m.body, m.at \
         FROM project_messages m JOIN users u ON u.id = m.author_id WHERE m.project_id = ",
    );
    sql.bind(project_id.to_owned());
    if let Some((at, id)) = after {
        sql.push(" AND (m.at > ")
            .bind(at.to_owned())
            .push(" OR (m.at = ")
            .bind(at.to_owned())
            .push(" AND m.id > ")
            .bind(id.to_owned())
            .push("))");
    }
    sql.push(" ORDER BY m.at, m.id LIMIT ").bind(limit);
    let (text, args) = sql.build()?;
    sqlx::query_as_with(&text, args).fetch_all(pool).await
}

/// One message by id.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<Message>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.author_id, u.name AS author_name, \
         CASE WHEN u.role = 'investor' THEN 'investor' ELSE 'office' END AS author_side, m.body, m.at \
         FROM project_messages m JOIN users u ON u.id = m.author_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The last `limit` messages of a project, oldest first (for the pages).
pub async fn latest(
    pool: &AnyPool,
    project_id: &str,
    limit: i64,
) -> Result<Vec<Message>, sqlx::Error> {
    let mut rows: Vec<Message> = sqlx::query_as(
        "SELECT m.id, m.author_id, u.name AS author_name, \
         CASE WHEN u.role = 'investor' THEN 'investor' ELSE 'office' END AS author_side, m.body, m.at \
         FROM project_messages m JOIN users u ON u.id = m.author_id WHERE m.project_id = $1 \
         ORDER BY m.at DESC, m.id DESC LIMIT $2",
    )
    .bind(project_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.reverse();
    Ok(rows)
}

/// Who hears of a new message: (email, name, language).
#[derive(Debug, Clone, FromRow)]
struct Recipient {
    email: String,
    name: String,
    lang: String,
}

/// Where the e-mails' links lead and how they are written.
pub struct Notify<'a> {
    pub i18n: &'a I18n,
    /// The platform's public address, without a trailing slash.
    pub base: &'a str,
}

/// Adds a message by `author` (who may write: checked by the caller) to the
/// thread, with its timeline entry, audit and e-mails. Returns its id.
pub async fn post(
    conn: &mut AnyConnection,
    notify: &Notify<'_>,
    author: &User,
    project: &Project,
    body: &str,
) -> anyhow::Result<String> {
    let id = db::new_id();
    sqlx::query("INSERT INTO project_messages (id, project_id, author_id, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(&project.id)
        .bind(&author.id)
        .bind(body)
        .bind(db::now())
        .execute(&mut *conn)
        .await?;
    let from_investor = policy::is_investor(author);
    record_event(
        &mut *conn,
        &project.id,
        Some(&author.id),
        "message",
        json!({ "author": author.name }),
        true,
    )
    .await?;
    Audit {
        actor: Some(&author.id),
        entity: "project_message",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("project_id", project.id.clone())
            .created("length", body.chars().count() as i64),
    }
    .record(&mut *conn)
    .await?;
    let recipients: Vec<Recipient> = if from_investor {
        sqlx::query_as(
            "SELECT email, name, lang FROM users WHERE active = 1 AND id <> $1 \
             AND (id = $2 OR id IN (SELECT user_id FROM project_team WHERE project_id = $3)) ORDER BY email_norm",
        )
        .bind(&author.id)
        .bind(&project.owner_id)
        .bind(&project.id)
        .fetch_all(&mut *conn)
        .await?
    } else {
        match &project.investor_org_id {
            Some(org) => {
                sqlx::query_as(
                    "SELECT u.email, u.name, u.lang FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
                     WHERE uo.organization_id = $1 AND u.role = 'investor' AND u.active = 1 AND u.id <> $2 \
                     ORDER BY u.email_norm",
                )
                .bind(org)
                .bind(&author.id)
                .fetch_all(&mut *conn)
                .await?
            }
            None => Vec::new(),
        }
    };
    // Staff read the code name (e-mail is no place for a confidential investor);
    // investors the code name too, as their portal shows it.
    let (title, link) = if from_investor {
        (
            project.code_name.clone(),
            format!("{}/office/projects/{}/messages", notify.base, project.id),
        )
    } else {
        (
            project.code_name.clone(),
            format!("{}/portal/projects/{}/messages", notify.base, project.id),
        )
    };
    for r in recipients {
        let lang = Lang::from_code(&r.lang).unwrap_or_default();
        let mail = crate::mail::compose(
            notify.i18n,
            lang,
            &r.email,
            &r.name,
            crate::mail::Kind::Portal(PortalMail::Message {
                project: &title,
                author: &author.name,
                to_office: from_investor,
                link: &link,
            }),
        )?;
        crate::mail::enqueue(&mut *conn, &mail).await?;
    }
    Ok(id)
}
