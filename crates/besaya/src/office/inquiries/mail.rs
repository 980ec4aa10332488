//! The e-mails of inquiries, each in its recipient's language: the acknowledgement
//! and the answer to the sender (the form's language), the notice to the owner
//! (the owner's language).

use crate::i18n::{I18n, Lang};
use crate::mail::Body;

/// One message about an inquiry (see [`crate::mail::Kind::Inquiry`]).
#[derive(Debug, Clone, Copy)]
pub enum InquiryMail<'a> {
    /// To the sender: received; the office answers within `hours`.
    Received { hours: u32, link: &'a str },
    /// To its owner on the staff: an inquiry to answer, with a link to its page.
    Assigned {
        sender: &'a str,
        company: &'a str,
        link: &'a str,
    },
    /// To the sender: the office's answer.
    Answer { answer: &'a str, link: &'a str },
}

impl InquiryMail<'_> {
    /// The subject and body in `lang`.
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let t = |id: &str| i18n.message(lang, id, &[]);
        let ta = |id: &str, k: &str, v: String| i18n.message(lang, id, &[(k, v.into())]);
        let greeting = ta("mail-greeting", "name", to_name.to_owned());
        let signature = t("mail-signature");
        match *self {
            InquiryMail::Received { hours, link } => (
                t("office-inq-mail-received-subject"),
                Body {
                    greeting,
                    paragraphs: vec![
                        t("office-inq-mail-received-text"),
                        i18n.message(
                            lang,
                            "office-inq-mail-received-hours",
                            &[("hours", hours.into())],
                        ),
                    ],
                    action_label: t("office-inq-mail-sites-action"),
                    action_url: link.to_owned(),
                    after: vec![t("office-inq-mail-received-ignore")],
                    signature,
                },
            ),
            InquiryMail::Assigned {
                sender,
                company,
                link,
            } => {
                let who = if company.trim().is_empty() {
                    sender.to_owned()
                } else {
                    format!("{sender} ({company})")
                };
                (
                    ta("office-inq-mail-assigned-subject", "sender", who.clone()),
                    Body {
                        greeting,
                        paragraphs: vec![ta("office-inq-mail-assigned-text", "sender", who)],
                        action_label: t("office-inq-mail-assigned-action"),
                        action_url: link.to_owned(),
                        after: Vec::new(),
                        signature,
                    },
                )
            }
            InquiryMail::Answer { answer, link } => {
                let mut paragraphs = vec![t("office-inq-mail-answer-text")];
                paragraphs.extend(
                    answer
                        .split('\n')
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned),
                );
                (
                    t("office-inq-mail-answer-subject"),
                    Body {
                        greeting,
                        paragraphs,
                        action_label: t("office-inq-mail-sites-action"),
                        action_url: link.to_owned(),
                        after: Vec::new(),
                        signature,
                    },
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{Kind, compose};

    #[test]
    fn every_message_is_translated_in_both_languages() {
        let i18n = I18n::load().unwrap();
        for lang in Lang::ALL {
            for m in [
                InquiryMail::Received {
                    hours: 48,
                    link: "https://besaya.example/sites",
                },
                InquiryMail::Assigned {
                    sender: "Laura <b>",
                    company: "Acme",
                    link: "https://besaya.example/office/inquiries/x",
                },
                InquiryMail::Answer {
                    answer: "Primera línea.\n\nSegunda línea.",
                    link: "https://besaya.example/sites",
                },
            ] {
                let out =
                    compose(&i18n, lang, "laura@acme.example", "Laura", Kind::Inquiry(m)).unwrap();
                assert!(!out.subject.contains("office-inq"), "{}", out.subject);
                assert!(!out.text.contains("office-inq"), "{}", out.text);
                assert!(!out.html.contains("Laura <b>"), "escaped: {}", out.html);
            }
        }
        let answer = compose(
            &i18n,
            Lang::En,
            "a@b.example",
            "A",
            Kind::Inquiry(InquiryMail::Answer {
                answer: "Primera línea.\n\nSegunda línea.",
                link: "x",
            }),
        )
        .unwrap();
        assert!(answer.text.contains("Primera línea.") && answer.text.contains("Segunda línea."));
        let es = compose(
            &i18n,
            Lang::Es,
            "a@b.example",
            "A",
            Kind::Inquiry(InquiryMail::Received {
                hours: 48,
                link: "x",
            }),
        )
        .unwrap();
        assert!(es.text.contains("48"), "{}", es.text);
        assert_ne!(es.subject, answer.subject);
    }
}
