//! The e-mails of meetings, in each recipient's language (see
//! [`crate::mail::Kind::PactMeeting`]): the convocation (title, day and time in
//! Madrid, place, agenda, the meeting's page and its `.ics`: the mailer sends no
//! attachments) and the minutes (text and agreements).

use fluent_bundle::FluentValue;
use sqlx::AnyConnection;

use super::model::{Agreement, Meeting};
use crate::AppState;
use crate::i18n::{I18n, Lang};
use crate::mail::Body;
use crate::office::work::madrid;
use crate::pact::mail::Recipient;

/// An e-mail about a meeting.
#[derive(Debug, Clone, Copy)]
pub enum MeetingMail<'a> {
    /// The convocation; `updated` when one was sent before.
    Invitation {
        meeting: &'a Meeting,
        updated: bool,
        base: &'a str,
    },
    /// The minutes with the agreements.
    Minutes {
        meeting: &'a Meeting,
        agreements: &'a [Agreement],
        base: &'a str,
    },
}

/// `1 de diciembre de 2026, 10:00–12:00` in Madrid.
pub fn when_text(i18n: &I18n, lang: Lang, starts_at: &str, ends_at: &str) -> String {
    let (Some(s), Some(e)) = (
        madrid::parse_stored(starts_at),
        madrid::parse_stored(ends_at),
    ) else {
        return format!("{starts_at} – {ends_at}");
    };
    let (s, e) = (madrid::local(s), madrid::local(e));
    let day = |d: time::Date| {
        let month = i18n.message(
            lang,
            &format!("office-work-month-{}", u8::from(d.month())),
            &[],
        );
        i18n.message(
            lang,
            "office-work-date",
            &[
                ("day", FluentValue::from(d.day().to_string())),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(d.year().to_string())),
            ],
        )
    };
    if s.date() == e.date() {
        format!(
            "{}, {:02}:{:02}–{:02}:{:02}",
            day(s.date()),
            s.hour(),
            s.minute(),
            e.hour(),
            e.minute()
        )
    } else {
        format!(
            "{}, {:02}:{:02} – {}, {:02}:{:02}",
            day(s.date()),
            s.hour(),
            s.minute(),
            day(e.date()),
            e.hour(),
            e.minute()
        )
    }
}

/// The non-blank lines of a text, trimmed.
fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

impl MeetingMail<'_> {
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let with = |id: &str, args: &[(&str, String)]| {
            let args: Vec<(&str, FluentValue<'_>)> = args
                .iter()
                .map(|(k, v)| (*k, FluentValue::from(v.clone())))
                .collect();
            i18n.message(lang, id, &args)
        };
        let (m, base) = match self {
            MeetingMail::Invitation { meeting, base, .. }
            | MeetingMail::Minutes { meeting, base, .. } => (*meeting, *base),
        };
        let args = vec![
            ("reference", m.reference.clone()),
            ("title", m.title.clone()),
            ("group", m.group_name.clone()),
            ("when", when_text(i18n, lang, &m.starts_at, &m.ends_at)),
        ];
        let link = format!("{base}/pact/meetings/{}", m.id);
        let mut paragraphs = Vec::new();
        let (subject, action) = match self {
            MeetingMail::Invitation { updated, .. } => {
                let key = if *updated { "updated" } else { "invitation" };
                paragraphs.push(with(&format!("pact-meet-mail-{key}-text"), &args));
                paragraphs.push(with("pact-meet-mail-when", &args));
                if !m.place.trim().is_empty() {
                    paragraphs.push(with("pact-meet-mail-place", &[("place", m.place.clone())]));
                }
                if !m.agenda.trim().is_empty() {
                    // One paragraph per item: the HTML part keeps them apart.
                    paragraphs.push(with("pact-meet-mail-agenda", &[]));
                    paragraphs.extend(lines(&m.agenda));
                }
                paragraphs.push(with(
                    "pact-meet-mail-ics",
                    &[("link", format!("{link}/calendar.ics"))],
                ));
                (
                    with(&format!("pact-meet-mail-{key}-subject"), &args),
                    with("pact-meet-mail-invitation-action", &[]),
                )
            }
            MeetingMail::Minutes { agreements, .. } => {
                paragraphs.push(with("pact-meet-mail-minutes-text", &args));
                paragraphs.extend(lines(&m.minutes));
                if !agreements.is_empty() {
                    paragraphs.push(with("pact-meet-mail-agreements", &[]));
                    for a in *agreements {
                        paragraphs.push(format!(
                            "{}. {} ({})",
                            a.position,
                            a.text.split_whitespace().collect::<Vec<_>>().join(" "),
                            a.reference
                        ));
                    }
                }
                (
                    with("pact-meet-mail-minutes-subject", &args),
                    with("pact-meet-mail-minutes-action", &[]),
                )
            }
        };
        (
            subject,
            Body {
                greeting: with("mail-greeting", &[("name", to_name.to_owned())]),
                paragraphs,
                action_label: action,
                action_url: link,
                after: Vec::new(),
                signature: with("mail-signature", &[]),
            },
        )
    }
}

/// Enqueues `m` to each recipient, in their language, in the caller's transaction.
pub async fn send(
    state: &AppState,
    conn: &mut AnyConnection,
    to: &[Recipient],
    m: MeetingMail<'_>,
) -> anyhow::Result<()> {
    for r in to {
        let out = crate::mail::compose(
            &state.i18n,
            r.lang,
            &r.email,
            &r.name,
            crate::mail::Kind::PactMeeting(m),
        )?;
        crate::mail::enqueue(&mut *conn, &out).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Meeting {
        Meeting {
            id: "m1".into(),
            reference: "REU-2026-001".into(),
            group_id: "g1".into(),
            group_name: "Suelo industrial".into(),
            title: "Primera reunión".into(),
            starts_at: "2026-07-01T08:00:00.000000Z".into(),
            ends_at: "2026-07-01T10:00:00.000000Z".into(),
            place: "Torrelavega".into(),
            agenda: "Suelo\n\nEnergía".into(),
            minutes: "Se acuerda.\nSe levanta la sesión.".into(),
            status: "held".into(),
            allowed_moves: Vec::new(),
            invitations_sent_at: None,
            minutes_sent_at: None,
            created_by: None,
            may_edit: true,
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
            chair_member_id: None,
        }
    }

    #[test]
    fn meeting_mails_exist_in_both_languages_with_madrid_time() {
        let i18n = I18n::load().unwrap();
        let m = meeting();
        let agreements = [];
        for lang in Lang::ALL {
            for mail in [
                MeetingMail::Invitation {
                    meeting: &m,
                    updated: false,
                    base: "https://besaya.example",
                },
                MeetingMail::Invitation {
                    meeting: &m,
                    updated: true,
                    base: "https://besaya.example",
                },
                MeetingMail::Minutes {
                    meeting: &m,
                    agreements: &agreements,
                    base: "https://besaya.example",
                },
            ] {
                let (subject, body) = mail.compose(&i18n, lang, "Ana");
                assert!(!subject.contains("pact-meet"), "{subject}");
                assert!(subject.contains("REU-2026-001"));
                for p in &body.paragraphs {
                    assert!(!p.contains("pact-meet"), "{p}");
                }
                assert_eq!(body.action_url, "https://besaya.example/pact/meetings/m1");
            }
        }
        // Summer time: 08:00 UTC is 10:00 in Madrid.
        assert_eq!(
            when_text(&i18n, Lang::Es, &m.starts_at, &m.ends_at),
            "1 de julio de 2026, 10:00–12:00"
        );
    }
}
