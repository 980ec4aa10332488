//! The e-mails of procedures, composed in the recipient's language (see
//! [`crate::mail::Kind::Procedure`]): a procedure assigned to an administration,
//! a correction requested (to the investor), a correction handed in (to the
//! administration), and a step recorded by the administration (to the project's
//! owner). Projects are named by their code names.

use fluent_bundle::FluentValue;

use crate::i18n::{I18n, Lang};
use crate::mail::Body;
use crate::office::pages::local_date;

/// A procedure as an e-mail names it.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub name_es: &'a str,
    pub name_en: &'a str,
    /// The project's code name.
    pub project: &'a str,
    /// The administration that holds it.
    pub administration: &'a str,
    /// The page to open.
    pub link: &'a str,
}

/// An e-mail about a procedure.
#[derive(Debug, Clone, Copy)]
pub enum ProcMail<'a> {
    /// To the users of the administration the procedure is assigned to.
    Assigned(Named<'a>),
    /// To the investor's users: a correction is requested (`note`: what is asked).
    CorrectionRequested { about: Named<'a>, note: &'a str },
    /// To the administration's users: the investor handed in the correction.
    Corrected {
        about: Named<'a>,
        /// The new due date (`YYYY-MM-DD`), when the clock runs.
        due_on: Option<&'a str>,
    },
    /// To the project's owner: the administration recorded a step.
    Event {
        about: Named<'a>,
        /// The event's kind (`granted`, `complete`...).
        kind: &'a str,
        on_date: &'a str,
        due_on: Option<&'a str>,
    },
}

impl ProcMail<'_> {
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let t = |id: &str| i18n.message(lang, id, &[]);
        let with = |id: &str, args: &[(&str, String)]| {
            let args: Vec<(&str, FluentValue<'_>)> = args
                .iter()
                .map(|(k, v)| (*k, FluentValue::from(v.clone())))
                .collect();
            i18n.message(lang, id, &args)
        };
        let about = match self {
            ProcMail::Assigned(a)
            | ProcMail::CorrectionRequested { about: a, .. }
            | ProcMail::Corrected { about: a, .. }
            | ProcMail::Event { about: a, .. } => a,
        };
        let procedure = match lang {
            Lang::Es => about.name_es,
            Lang::En => about.name_en,
        }
        .to_owned();
        let project = about.project.to_owned();
        let administration = about.administration.to_owned();
        let date = |d: &str| local_date(lang, d);
        let base = [
            ("procedure", procedure.clone()),
            ("project", project.clone()),
        ];
        let greeting = with("mail-greeting", &[("name", to_name.to_owned())]);
        let signature = t("mail-signature");
        let link = about.link.to_owned();
        match *self {
            ProcMail::Assigned(_) => (
                with("mail-proc-assigned-subject", &base),
                Body {
                    greeting,
                    paragraphs: vec![with("mail-proc-assigned-text", &base)],
                    action_label: t("mail-proc-assigned-action"),
                    action_url: link,
                    after: Vec::new(),
                    signature,
                },
            ),
            ProcMail::CorrectionRequested { note, .. } => {
                let mut paragraphs = vec![with(
                    "mail-proc-correction-text",
                    &[
                        ("procedure", procedure.clone()),
                        ("project", project.clone()),
                        ("administration", administration.clone()),
                    ],
                )];
                if !note.trim().is_empty() {
                    paragraphs.push(with(
                        "mail-proc-correction-what",
                        &[("note", note.trim().to_owned())],
                    ));
                }
                (
                    with("mail-proc-correction-subject", &base),
                    Body {
                        greeting,
                        paragraphs,
                        action_label: t("mail-proc-correction-action"),
                        action_url: link,
                        after: Vec::new(),
                        signature,
                    },
                )
            }
            ProcMail::Corrected { due_on, .. } => (
                with("mail-proc-corrected-subject", &base),
                Body {
                    greeting,
                    paragraphs: vec![with(
                        "mail-proc-corrected-text",
                        &[
                            ("procedure", procedure.clone()),
                            ("project", project.clone()),
                            ("due_on", due_on.map(date).unwrap_or_else(|| "—".into())),
                        ],
                    )],
                    action_label: t("mail-proc-corrected-action"),
                    action_url: link,
                    after: Vec::new(),
                    signature,
                },
            ),
            ProcMail::Event {
                kind,
                on_date,
                due_on,
                ..
            } => {
                let event = t(&format!("proc-event-{kind}"));
                let mut paragraphs = vec![with(
                    "mail-proc-event-text",
                    &[
                        ("procedure", procedure.clone()),
                        ("project", project.clone()),
                        ("administration", administration.clone()),
                        ("event", event.clone()),
                        ("on_date", date(on_date)),
                    ],
                )];
                if let Some(d) = due_on {
                    paragraphs.push(with("mail-proc-event-due", &[("due_on", date(d))]));
                }
                (
                    with(
                        "mail-proc-event-subject",
                        &[
                            ("procedure", procedure.clone()),
                            ("project", project.clone()),
                            ("event", event),
                        ],
                    ),
                    Body {
                        greeting,
                        paragraphs,
                        action_label: t("mail-proc-event-action"),
                        action_url: link,
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
    fn every_procedure_mail_exists_in_both_languages() {
        let i18n = I18n::load().unwrap();
        let about = Named {
            name_es: "Licencia de obra",
            name_en: "Building licence",
            project: "Acebo <b>",
            administration: "Ayuntamiento de Torrelavega",
            link: "https://besaya.example/procedures/1",
        };
        let all = [
            ProcMail::Assigned(about),
            ProcMail::CorrectionRequested {
                about,
                note: "Falta el plano de situación",
            },
            ProcMail::Corrected {
                about,
                due_on: Some("2026-03-02"),
            },
            ProcMail::Event {
                about,
                kind: "granted",
                on_date: "2026-02-27",
                due_on: Some("2026-03-02"),
            },
        ];
        for lang in Lang::ALL {
            for m in all {
                let out =
                    compose(&i18n, lang, "ana@besaya.example", "Ana", Kind::Procedure(m)).unwrap();
                assert!(!out.subject.contains("mail-proc"), "{}", out.subject);
                assert!(!out.text.contains("mail-proc"), "{}", out.text);
                assert!(!out.text.contains("proc-event-"), "{}", out.text);
                assert!(out.text.contains("besaya.example/procedures/1"));
                assert!(!out.html.contains("Acebo <b>"), "the name is escaped");
            }
        }
        let es = compose(&i18n, Lang::Es, "a@b.es", "Ana", Kind::Procedure(all[3])).unwrap();
        let en = compose(&i18n, Lang::En, "a@b.es", "Ana", Kind::Procedure(all[3])).unwrap();
        assert!(es.subject.contains("Licencia de obra"), "{}", es.subject);
        assert!(en.subject.contains("Building licence"), "{}", en.subject);
        assert!(es.text.contains("02/03/2026"), "{}", es.text);
        assert!(en.text.contains("2 Mar 2026"), "{}", en.text);
    }
}
