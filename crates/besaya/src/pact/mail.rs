//! The Pact's e-mails to people, composed in the recipient's language (see
//! [`crate::mail::Kind::Pact`]): an invitation to answer a need (to the
//! candidate's users, or the organisation's address in Spanish), a new
//! expression of interest (to the broker, or all office staff), identities
//! released (both sides), a meeting asked and an answer accepted (to the
//! candidate). Needs are named by reference and title, never by their owner.

use fluent_bundle::FluentValue;
use sqlx::AnyConnection;

use crate::AppState;
use crate::i18n::{I18n, Lang};
use crate::mail::Body;

/// A need as an e-mail names it.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub reference: &'a str,
    pub title: &'a str,
    /// The page to open.
    pub link: &'a str,
}

/// An e-mail of the Pact.
#[derive(Debug, Clone, Copy)]
pub enum PactMail<'a> {
    /// To a candidate organisation: invited to answer.
    Invited { about: About<'a>, summary: &'a str },
    /// To the broker (or the office): a candidate expressed interest.
    Interest {
        about: About<'a>,
        candidate: &'a str,
    },
    /// To both sides: the identities are released (`other`: the other side's name).
    Released { about: About<'a>, other: &'a str },
    /// To the candidate: the owner asks for a meeting.
    Meeting { about: About<'a> },
    /// To the candidate: its answer was accepted.
    Accepted { about: About<'a> },
}

impl PactMail<'_> {
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let with = |id: &str, args: &[(&str, String)]| {
            let args: Vec<(&str, FluentValue<'_>)> = args
                .iter()
                .map(|(k, v)| (*k, FluentValue::from(v.clone())))
                .collect();
            i18n.message(lang, id, &args)
        };
        let about = match self {
            PactMail::Invited { about, .. }
            | PactMail::Interest { about, .. }
            | PactMail::Released { about, .. }
            | PactMail::Meeting { about }
            | PactMail::Accepted { about } => about,
        };
        let base = vec![
            ("reference", about.reference.to_owned()),
            ("title", about.title.to_owned()),
        ];
        let (key, paragraphs) = match *self {
            PactMail::Invited { summary, .. } => {
                let mut p = vec![with("pact-api-mail-invited-text", &base)];
                if !summary.trim().is_empty() {
                    p.push(summary.trim().to_owned());
                }
                p.push(with("pact-api-mail-invited-anonymous", &[]));
                ("invited", p)
            }
            PactMail::Interest { candidate, .. } => {
                let mut args = base.clone();
                args.push(("candidate", candidate.to_owned()));
                ("interest", vec![with("pact-api-mail-interest-text", &args)])
            }
            PactMail::Released { other, .. } => {
                let mut args = base.clone();
                args.push(("other", other.to_owned()));
                ("released", vec![with("pact-api-mail-released-text", &args)])
            }
            PactMail::Meeting { .. } => {
                ("meeting", vec![with("pact-api-mail-meeting-text", &base)])
            }
            PactMail::Accepted { .. } => {
                ("accepted", vec![with("pact-api-mail-accepted-text", &base)])
            }
        };
        (
            with(&format!("pact-api-mail-{key}-subject"), &base),
            Body {
                greeting: with("mail-greeting", &[("name", to_name.to_owned())]),
                paragraphs,
                action_label: with(&format!("pact-api-mail-{key}-action"), &[]),
                action_url: about.link.to_owned(),
                after: Vec::new(),
                signature: with("mail-signature", &[]),
            },
        )
    }
}

/// Someone to write to: e-mail, name, language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub name: String,
    pub lang: Lang,
}

fn recipients(rows: Vec<(String, String, String)>) -> Vec<Recipient> {
    rows.into_iter()
        .map(|(email, name, lang)| Recipient {
            email,
            name,
            lang: Lang::from_code(&lang).unwrap_or_default(),
        })
        .collect()
}

/// The active users of an organisation; if none, the organisation's own
/// address (in Spanish); if none either, nobody.
pub async fn organization(
    conn: &mut AnyConnection,
    org_id: &str,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let users: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.name, u.lang FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
         WHERE uo.organization_id = $1 AND u.active = 1 ORDER BY u.email",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    if !users.is_empty() {
        return Ok(recipients(users));
    }
    let org: Option<(Option<String>, String)> =
        sqlx::query_as("SELECT email, name FROM organizations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(org
        .and_then(|(email, name)| {
            email
                .filter(|e| !e.trim().is_empty())
                .map(|email| Recipient {
                    email,
                    name,
                    lang: Lang::Es,
                })
        })
        .into_iter()
        .collect())
}

/// Every active office user (admin and staff).
pub async fn office(conn: &mut AnyConnection) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT email, name, lang FROM users WHERE role IN ('admin', 'staff') AND active = 1 ORDER BY email",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(recipients(rows))
}

/// The broker of a need if set and active, else every office user.
pub async fn broker_or_office(
    conn: &mut AnyConnection,
    broker_id: Option<&str>,
) -> Result<Vec<Recipient>, sqlx::Error> {
    if let Some(id) = broker_id {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT email, name, lang FROM users WHERE id = $1 AND active = 1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        if !rows.is_empty() {
            return Ok(recipients(rows));
        }
    }
    office(conn).await
}

/// Enqueues `m` to each recipient, in their language, in the caller's transaction.
pub async fn send(
    state: &AppState,
    conn: &mut AnyConnection,
    to: &[Recipient],
    m: PactMail<'_>,
) -> anyhow::Result<()> {
    for r in to {
        let out = crate::mail::compose(
            &state.i18n,
            r.lang,
            &r.email,
            &r.name,
            crate::mail::Kind::Pact(m),
        )?;
        crate::mail::enqueue(&mut *conn, &out).await?;
    }
    Ok(())
}

/// The link to a need's page.
pub fn need_link(state: &AppState, need_id: &str) -> String {
    format!("{}/pact/needs/{need_id}", state.config.public_base())
}
