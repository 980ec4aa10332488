//! E-mail: composed in the recipient's language from the Fluent catalogues and
//! two templates (text and HTML), enqueued as a job in the same transaction as the
//! change that causes it, and sent by the job over SMTP (lettre) — or, with no
//! SMTP configured, written as `.eml` files under `<data_dir>/mail`.

use std::path::PathBuf;

use anyhow::Context;
use askama::Template;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::config::Config;
use crate::i18n::{I18n, Lang};

/// A composed message, as stored in the job's payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where messages go.
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
            Mailer::Files { dir, .. } => write!(f, "Mailer::Files({})", dir.display()),
        }
    }
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config.mail_from.parse().with_context(|| {
            format!("mail_from {:?} is not an e-mail address", config.mail_from)
        })?;
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .with_context(|| format!("smtp_url {url} is not a valid SMTP URL"))?
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir).with_context(|| {
                    format!("cannot create the mail directory {}", dir.display())
                })?;
                Ok(Mailer::Files {
                    transport: AsyncFileTransport::new(&dir),
                    dir,
                    from,
                })
            }
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        }
    }

    /// Sends one message (called by the `send_email` job).
    pub async fn send(&self, m: &Outgoing) -> anyhow::Result<()> {
        let to = Mailbox::new(
            Some(m.to_name.clone()),
            m.to.parse().with_context(|| "recipient address")?,
        );
        let message = Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(m.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                m.text.clone(),
                m.html.clone(),
            ))
            .context("building the message")?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.context("SMTP delivery")?;
                tracing::info!(subject = %m.subject, "e-mail sent");
            }
            Mailer::Files { transport, dir, .. } => {
                let id = transport
                    .send(message)
                    .await
                    .context("writing the .eml file")?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), subject = %m.subject, "e-mail written (no SMTP configured)");
            }
        }
        Ok(())
    }
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlBody<'a> {
    lang: &'a str,
    subject: &'a str,
    body: &'a Body,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextBody<'a> {
    body: &'a Body,
}

/// The parts of a message, already translated.
#[derive(Debug)]
pub struct Body {
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub action_label: String,
    pub action_url: String,
    pub after: Vec<String>,
    pub signature: String,
}

/// The messages the platform sends.
pub enum Kind<'a> {
    Invite {
        inviter: &'a str,
        link: &'a str,
    },
    Reset {
        link: &'a str,
    },
    /// An inquiry from the public site (office::inquiries).
    Inquiry(crate::office::inquiries::InquiryMail<'a>),
    /// The investor portal's e-mails: invitations and new messages (office::portal).
    Portal(crate::office::portal::mail::PortalMail<'a>),
    /// A site the office proposes to an investor (office::proposals).
    SiteProposed(crate::office::proposals::ProposedMail<'a>),
    /// An investor's feedback on a proposed site, to the project's owner.
    SiteFeedback(crate::office::proposals::FeedbackMail<'a>),
    /// A task of the office due tomorrow, or overdue, to its owner (office::work).
    TaskReminder(crate::office::work::reminders::ReminderMail<'a>),
    /// Procedures: assigned, correction requested or handed in, a step recorded
    /// by the administration (office::procedures).
    Procedure(crate::office::procedures::mail::ProcMail<'a>),
    /// The Pact's scan: an overdue need (to its broker), a follow-up due (pact::jobs).
    PactScan(crate::pact::jobs::ScanMail<'a>),
    /// The Pact's e-mails to people: invitations, interest, identities released,
    /// meetings, acceptances (pact::mail).
    Pact(crate::pact::mail::PactMail<'a>),
    /// The alliance's meetings: convocations and minutes (pact::meetings).
    PactMeeting(crate::pact::meetings::mail::MeetingMail<'a>),
}

/// Composes a message for a recipient in their language.
pub fn compose(
    i18n: &I18n,
    lang: Lang,
    to: &str,
    to_name: &str,
    kind: Kind<'_>,
) -> anyhow::Result<Outgoing> {
    let t = |id: &str| i18n.message(lang, id, &[]);
    let ta = |id: &str, k: &str, v: &str| i18n.message(lang, id, &[(k, v.to_owned().into())]);
    let (subject, body) = match kind {
        Kind::Invite { inviter, link } => (
            t("mail-invite-subject"),
            Body {
                greeting: ta("mail-greeting", "name", to_name),
                paragraphs: vec![ta("mail-invite-text", "inviter", inviter)],
                action_label: t("mail-invite-action"),
                action_url: link.to_owned(),
                after: vec![t("mail-invite-expiry"), t("mail-ignore")],
                signature: t("mail-signature"),
            },
        ),
        Kind::Reset { link } => (
            t("mail-reset-subject"),
            Body {
                greeting: ta("mail-greeting", "name", to_name),
                paragraphs: vec![t("mail-reset-text")],
                action_label: t("mail-reset-action"),
                action_url: link.to_owned(),
                after: vec![t("mail-reset-expiry"), t("mail-ignore")],
                signature: t("mail-signature"),
            },
        ),
        Kind::Portal(m) => crate::office::portal::mail::compose(i18n, lang, to_name, m),
        Kind::SiteProposed(m) => m.compose(i18n, lang, to_name),
        Kind::SiteFeedback(m) => m.compose(i18n, lang, to_name),
        Kind::Inquiry(m) => m.compose(i18n, lang, to_name),
        Kind::TaskReminder(m) => m.compose(i18n, lang, to_name),
        Kind::Procedure(m) => m.compose(i18n, lang, to_name),
        Kind::PactScan(m) => m.compose(i18n, lang, to_name),
        Kind::Pact(m) => m.compose(i18n, lang, to_name),
        Kind::PactMeeting(m) => m.compose(i18n, lang, to_name),
    };
    let html = HtmlBody {
        lang: lang.code(),
        subject: &subject,
        body: &body,
    }
    .render()?;
    let text = TextBody { body: &body }.render()?;
    Ok(Outgoing {
        to: to.to_owned(),
        to_name: to_name.to_owned(),
        subject,
        text,
        html,
    })
}

/// Enqueues a message in the caller's transaction.
pub async fn enqueue(conn: &mut AnyConnection, m: &Outgoing) -> anyhow::Result<()> {
    crate::jobs::enqueue(conn, crate::jobs::SEND_EMAIL, &serde_json::to_value(m)?, 5).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_exist_in_both_languages_and_escape_names() {
        let i18n = I18n::load().unwrap();
        for lang in Lang::ALL {
            for kind in [
                Kind::Invite {
                    inviter: "Oficina",
                    link: "https://besaya.example/invitacion?token=abc",
                },
                Kind::Reset {
                    link: "https://besaya.example/password/reset?token=abc",
                },
            ] {
                let m = compose(&i18n, lang, "ana@besaya.example", "Ana <b>", kind).unwrap();
                assert!(!m.subject.starts_with("mail-"), "{}", m.subject);
                assert!(m.text.contains("token=abc"));
                assert!(m.html.contains("token=abc"));
                assert!(
                    m.html.contains("Ana &#60;b&#62;") || m.html.contains("Ana &lt;b&gt;"),
                    "{}",
                    m.html
                );
                assert!(!m.text.contains("mail-"), "{}", m.text);
            }
        }
        let es = compose(&i18n, Lang::Es, "a@b.es", "Ana", Kind::Reset { link: "x" }).unwrap();
        let en = compose(&i18n, Lang::En, "a@b.es", "Ana", Kind::Reset { link: "x" }).unwrap();
        assert_ne!(es.subject, en.subject);
    }
}
