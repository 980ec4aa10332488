//! Inviting the investor's people to the portal: a new user with the role
//! investor, linked to the project's investor organisation, gets the invitation
//! e-mail with a one-time link to set a password (as the administrator's
//! invitation does). An e-mail address that already belongs to an investor user
//! is linked to the organisation instead (and told so by e-mail).

use besaya_domain::{Email, Role};
use serde_json::json;
use sqlx::AnyConnection;

use super::Invalid;
use super::mail::PortalMail;
use crate::auth::User;
use crate::db::{self, Audit, Changes};
use crate::i18n::{I18n, Lang};
use crate::office::projects::{Project, record_event};
use crate::users::links::{self, Purpose};
use crate::users::store::{self, CreateError, NewUser};
use crate::web::invalid::text;

/// A person to invite, once checked.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub name: String,
    pub email: Email,
    pub lang: Lang,
}

/// Checks the invitation's fields (`lang` defaults to Spanish).
pub fn validate(
    name: Option<&str>,
    email: Option<&str>,
    lang: Option<&str>,
) -> Result<Invitee, Vec<Invalid>> {
    let mut e = Vec::new();
    let name = text(&mut e, "name", name, 200, false);
    if name.is_none() && !e.iter().any(|i: &Invalid| i.field == "name") {
        e.push(Invalid::new("name", "required"));
    }
    let email = match email.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(Invalid::new("email", "required"));
            None
        }
        Some(raw) => match Email::parse(raw) {
            Ok(m) => Some(m),
            Err(_) => {
                e.push(Invalid::with(
                    "email",
                    "invalid_email",
                    raw.chars().take(100).collect::<String>(),
                ));
                None
            }
        },
    };
    let lang = match lang.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Lang::Es),
        Some(l) => Lang::from_code(l).or_else(|| {
            e.push(Invalid::with(
                "lang",
                "invalid_lang",
                l.chars().take(20).collect::<String>(),
            ));
            None
        }),
    };
    match (name, email, lang) {
        (Some(name), Some(email), Some(lang)) if e.is_empty() => Ok(Invitee { name, email, lang }),
        _ => Err(e),
    }
}

/// What the invitation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new user was created and e-mailed the invitation.
    Invited,
    /// An existing investor user was linked to the organisation (and told so).
    Linked,
    /// The user was already linked to the organisation: nothing changed.
    AlreadyLinked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Linked => "linked",
            Self::AlreadyLinked => "already_linked",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("the project has no investor organisation")]
    NoOrganisation,
    /// The address belongs to a user who is not an investor, or is deactivated.
    #[error("the e-mail address belongs to another kind of user")]
    Taken(Invalid),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<CreateError> for InviteError {
    fn from(e: CreateError) -> Self {
        match e {
            CreateError::DuplicateEmail => Self::Taken(Invalid::new("email", "email_taken")),
            CreateError::UnknownOrganization(_) => Self::NoOrganisation,
            CreateError::Db(e) => Self::Db(e),
        }
    }
}

/// Invites `who` to follow `project` (whose investor organisation it must have),
/// in the caller's transaction. Returns what happened and the user's id.
pub async fn invite(
    conn: &mut AnyConnection,
    i18n: &I18n,
    base: &str,
    inviter: &User,
    project: &Project,
    who: &Invitee,
) -> Result<(Outcome, String), InviteError> {
    let org = project
        .investor_org_id
        .clone()
        .ok_or(InviteError::NoOrganisation)?;
    // The investor knows its projects by their code names (the portal shows them).
    let project_name = project.code_name.clone();
    let existing: Option<(String, String, i64, String, String)> =
        sqlx::query_as("SELECT id, role, active, name, lang FROM users WHERE email_norm = $1")
            .bind(who.email.normalized())
            .fetch_optional(&mut *conn)
            .await?;
    let (outcome, user_id) = match existing {
        None => {
            let id = store::create(
                &mut *conn,
                Some(&inviter.id),
                &NewUser {
                    email: who.email.clone(),
                    name: who.name.clone(),
                    role: Role::Investor,
                    lang: who.lang,
                    organization_ids: vec![org.clone()],
                    password_hash: None,
                },
            )
            .await?;
            let token = links::create(&mut *conn, &id, Purpose::Invite).await?;
            let link = format!("{base}/invitation?token={token}");
            let mail = crate::mail::compose(
                i18n,
                who.lang,
                who.email.as_str(),
                &who.name,
                crate::mail::Kind::Portal(PortalMail::Invite {
                    inviter: &inviter.name,
                    project: &project_name,
                    link: &link,
                }),
            )?;
            crate::mail::enqueue(&mut *conn, &mail).await?;
            (Outcome::Invited, id)
        }
        Some((id, role, active, name, lang)) => {
            if role != Role::Investor.as_str() {
                return Err(InviteError::Taken(Invalid::new("email", "not_investor")));
            }
            if active == 0 {
                return Err(InviteError::Taken(Invalid::new("email", "inactive_user")));
            }
            let linked: Option<String> = sqlx::query_scalar(
                "SELECT user_id FROM user_organizations WHERE user_id = $1 AND organization_id = $2",
            )
            .bind(&id)
            .bind(&org)
            .fetch_optional(&mut *conn)
            .await?;
            if linked.is_some() {
                (Outcome::AlreadyLinked, id)
            } else {
                sqlx::query(
                    "INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)",
                )
                .bind(&id)
                .bind(&org)
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2",
                )
                .bind(db::now())
                .bind(&id)
                .execute(&mut *conn)
                .await?;
                Audit {
                    actor: Some(&inviter.id),
                    entity: "user",
                    entity_id: &id,
                    action: "link_organization",
                    changes: Changes::new().created("organization_id", org.clone()),
                }
                .record(&mut *conn)
                .await?;
                let lang = Lang::from_code(&lang).unwrap_or_default();
                let link = format!("{base}/portal/projects/{}", project.id);
                let mail = crate::mail::compose(
                    i18n,
                    lang,
                    who.email.as_str(),
                    &name,
                    crate::mail::Kind::Portal(PortalMail::Access {
                        inviter: &inviter.name,
                        project: &project_name,
                        link: &link,
                    }),
                )?;
                crate::mail::enqueue(&mut *conn, &mail).await?;
                (Outcome::Linked, id)
            }
        }
    };
    if outcome != Outcome::AlreadyLinked {
        record_event(
            &mut *conn,
            &project.id,
            Some(&inviter.id),
            "investor_invited",
            json!({ "name": who.name, "email": who.email.as_str(), "outcome": outcome.as_str() }),
            false,
        )
        .await?;
        Audit {
            actor: Some(&inviter.id),
            entity: "project",
            entity_id: &project.id,
            action: "invite_investor",
            changes: Changes::new()
                .created("user_id", user_id.clone())
                .created("email", who.email.as_str())
                .created("outcome", outcome.as_str()),
        }
        .record(&mut *conn)
        .await?;
    }
    Ok((outcome, user_id))
}

/// The investor users of an organisation: (name, e-mail, has set a password, active).
pub async fn people(
    pool: &sqlx::AnyPool,
    org: &str,
) -> Result<Vec<(String, String, bool, bool)>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT u.name, u.email, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, u.active \
         FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
         WHERE uo.organization_id = $1 AND u.role = 'investor' ORDER BY u.name, u.email_norm",
    )
    .bind(org)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, e, p, a)| (n, e, p != 0, a != 0))
        .collect())
}
