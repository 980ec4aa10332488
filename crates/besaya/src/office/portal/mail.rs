//! The portal's e-mails, composed in the recipient's language (see
//! [`crate::mail::Kind::Portal`]).

use crate::i18n::{I18n, Lang};
use crate::mail::Body;

/// An e-mail of the investor portal.
#[derive(Debug, Clone, Copy)]
pub enum PortalMail<'a> {
    /// A new user of the investor, invited to follow a project: the link sets a password.
    Invite {
        inviter: &'a str,
        project: &'a str,
        link: &'a str,
    },
    /// An investor user who already had an account can now follow one more project.
    Access {
        inviter: &'a str,
        project: &'a str,
        link: &'a str,
    },
    /// A new message on a project's thread; `to_office` when staff receive it.
    Message {
        project: &'a str,
        author: &'a str,
        to_office: bool,
        link: &'a str,
    },
}

/// The subject and body of a portal e-mail.
pub fn compose(i18n: &I18n, lang: Lang, to_name: &str, m: PortalMail<'_>) -> (String, Body) {
    let t = |id: &str| i18n.message(lang, id, &[]);
    let with = |id: &str, args: &[(&str, &str)]| {
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = args
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned().into()))
            .collect();
        i18n.message(lang, id, &args)
    };
    let greeting = with("mail-greeting", &[("name", to_name)]);
    let signature = t("mail-signature");
    match m {
        PortalMail::Invite {
            inviter,
            project,
            link,
        } => (
            with("portal-mail-invite-subject", &[("project", project)]),
            Body {
                greeting,
                paragraphs: vec![
                    with(
                        "portal-mail-invite-text",
                        &[("inviter", inviter), ("project", project)],
                    ),
                    t("portal-mail-invite-what"),
                ],
                action_label: t("portal-mail-invite-action"),
                action_url: link.to_owned(),
                after: vec![t("mail-invite-expiry"), t("mail-ignore")],
                signature,
            },
        ),
        PortalMail::Access {
            inviter,
            project,
            link,
        } => (
            with("portal-mail-access-subject", &[("project", project)]),
            Body {
                greeting,
                paragraphs: vec![
                    with(
                        "portal-mail-access-text",
                        &[("inviter", inviter), ("project", project)],
                    ),
                    t("portal-mail-invite-what"),
                ],
                action_label: t("portal-mail-access-action"),
                action_url: link.to_owned(),
                after: Vec::new(),
                signature,
            },
        ),
        PortalMail::Message {
            project,
            author,
            to_office,
            link,
        } => {
            let text = if to_office {
                "portal-mail-message-text-office"
            } else {
                "portal-mail-message-text-investor"
            };
            (
                with("portal-mail-message-subject", &[("project", project)]),
                Body {
                    greeting,
                    paragraphs: vec![with(text, &[("author", author), ("project", project)])],
                    action_label: t("portal-mail-message-action"),
                    action_url: link.to_owned(),
                    after: vec![t("portal-mail-message-after")],
                    signature,
                },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_portal_mail_exists_in_both_languages() {
        let i18n = I18n::load().unwrap();
        let all = [
            PortalMail::Invite {
                inviter: "Olga",
                project: "Acme <b>",
                link: "https://besaya.example/invitation?token=abc",
            },
            PortalMail::Access {
                inviter: "Olga",
                project: "Acme <b>",
                link: "https://besaya.example/portal?x=abc",
            },
            PortalMail::Message {
                project: "Acme <b>",
                author: "Olga",
                to_office: false,
                link: "https://besaya.example/portal/projects/1/messages?abc",
            },
            PortalMail::Message {
                project: "P-2026-001",
                author: "Inés",
                to_office: true,
                link: "https://besaya.example/office/projects/1/messages?abc",
            },
        ];
        for lang in Lang::ALL {
            for m in all {
                let out = crate::mail::compose(
                    &i18n,
                    lang,
                    "ana@besaya.example",
                    "Ana",
                    crate::mail::Kind::Portal(m),
                )
                .unwrap();
                assert!(!out.subject.contains("portal-mail"), "{}", out.subject);
                assert!(!out.text.contains("portal-mail"), "{}", out.text);
                assert!(out.text.contains("abc"), "{}", out.text);
                assert!(
                    !out.html.contains("Acme <b>"),
                    "names are escaped: {}",
                    out.html
                );
            }
        }
        let es = compose(&i18n, Lang::Es, "Ana", all[2]);
        let en = compose(&i18n, Lang::En, "Ana", all[2]);
        assert_ne!(es.0, en.0);
        assert!(es.0.contains("Acme"), "{}", es.0);
    }
}
