//! The Pact's scan, run by the job worker every few minutes (next to the task
//! reminders) and by `besaya jobs run-pending`:
//!
//! - **expiry**: open needs (published or answered) past their deadline move to
//!   `expired` through the store's move (audited, on the timeline);
//! - **overdue**: published needs still without a qualified answer past their
//!   target (business days, national and Cantabrian holidays) → one e-mail to the
//!   broker, or to every member of the office when none is assigned, in their
//!   language, once (`needs.overdue_notified_at`);
//! - **follow-ups due** (`need_followups.due_on <= today`, not sent) → an e-mail
//!   to the users of the side asked (the owner's or the accepted candidate's
//!   organisation; its own address in Spanish when it has no users) with a link
//!   to `/pact/followups/{id}`; marked sent.
//!
//! Safe with several instances: each e-mail is enqueued in the same transaction
//! as a conditional `UPDATE ... WHERE <mark> IS NULL` that claims it, so a second
//! instance finds the mark and sends nothing.

use anyhow::Context;
use fluent_bundle::FluentValue;
use serde_json::json;
use time::Date;

use super::dashboard;
use crate::AppState;
use crate::db::{self, Audit, Changes};
use crate::i18n::{I18n, Lang};
use crate::mail::Body;
use crate::office::pages::local_date;
use crate::office::procedures::calendar;
use crate::office::work::madrid;

/// What a scan did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanReport {
    pub expired: usize,
    pub overdue_notified: usize,
    pub followups_sent: usize,
}

/// What the job worker runs: the scan of today in Madrid.
pub async fn scan(state: &AppState) -> anyhow::Result<ScanReport> {
    scan_on(state, madrid::today()).await
}

/// The scan as seen on `today`.
pub async fn scan_on(state: &AppState, today: Date) -> anyhow::Result<ScanReport> {
    Ok(ScanReport {
        expired: expire(state, today).await.context("expiring needs")?,
        overdue_notified: overdue(state, today).await.context("overdue needs")?,
        followups_sent: followups(state, today).await.context("follow-ups")?,
    })
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Open needs past their deadline → expired, each through the store's move.
async fn expire(state: &AppState, today: Date) -> anyhow::Result<usize> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM needs WHERE status IN ('published', 'answered') \
         AND deadline IS NOT NULL AND deadline < $1 ORDER BY deadline, id",
    )
    .bind(iso(today))
    .fetch_all(state.db.reader())
    .await?;
    let mut n = 0;
    for id in ids {
        let mut tx = state.db.writer().begin().await?;
        match super::store::expire(&mut tx, &id, today).await {
            Ok(true) => {
                tx.commit().await?;
                n += 1;
            }
            // Another instance moved it first.
            Ok(false) | Err(super::store::WriteError::Conflict(_)) => tx.rollback().await?,
            Err(e) => {
                tx.rollback().await?;
                return Err(anyhow::anyhow!("expiring need {id}: {e}"));
            }
        }
    }
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    id: String,
    kind: String,
    published_at: String,
}

/// Published needs without an answer past their target → the broker (or the office) once.
async fn overdue(state: &AppState, today: Date) -> anyhow::Result<usize> {
    let rows: Vec<OpenRow> = sqlx::query_as(
        "SELECT id, kind, published_at FROM needs WHERE status = 'published' \
         AND first_answer_at IS NULL AND overdue_notified_at IS NULL AND published_at IS NOT NULL \
         ORDER BY published_at, id",
    )
    .fetch_all(state.db.reader())
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let targets = dashboard::targets(&state.db).await?;
    let holidays = calendar::national();
    let mut n = 0;
    for r in rows {
        let Some(published_on) =
            madrid::parse_stored(&r.published_at).map(|t| madrid::local(t).date())
        else {
            continue;
        };
        let target = targets
            .get(&r.kind)
            .copied()
            .unwrap_or(besaya_domain::pact::DEFAULT_TARGET_DAYS);
        let clock =
            besaya_domain::pact::response_clock(published_on, target, None, today, holidays);
        if !clock.late {
            continue;
        }
        let late = holidays.business_days_between(clock.due_on, today);
        if notify_overdue(state, &r.id, clock.due_on, late)
            .await
            .with_context(|| format!("need {}", r.id))?
        {
            n += 1;
        }
    }
    Ok(n)
}

async fn notify_overdue(
    state: &AppState,
    id: &str,
    due_on: Date,
    late: i64,
) -> anyhow::Result<bool> {
    let mut tx = state.db.writer().begin().await?;
    let now = db::now();
    let claimed = sqlx::query(
        "UPDATE needs SET overdue_notified_at = $1 WHERE id = $2 AND overdue_notified_at IS NULL \
         AND first_answer_at IS NULL AND status = 'published'",
    )
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let (reference, title, broker_id): (String, String, Option<String>) =
        sqlx::query_as("SELECT reference, title, broker_id FROM needs WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    // The broker if active, otherwise every member of the office.
    let mut to: Vec<(String, String, String)> = match &broker_id {
        Some(b) => sqlx::query_as(
            "SELECT email, name, lang FROM users WHERE id = $1 AND active = 1 AND role IN ('admin', 'staff')",
        )
        .bind(b)
        .fetch_all(&mut *tx)
        .await?,
        None => Vec::new(),
    };
    if to.is_empty() {
        to = sqlx::query_as(
            "SELECT email, name, lang FROM users WHERE active = 1 AND role IN ('admin', 'staff') ORDER BY email",
        )
        .fetch_all(&mut *tx)
        .await?;
    }
    let link = format!("{}/pact/needs/{id}", state.config.public_base());
    let due = iso(due_on);
    for (email, name, lang) in &to {
        let m = crate::mail::compose(
            &state.i18n,
            Lang::from_code(lang).unwrap_or_default(),
            email,
            name,
            crate::mail::Kind::PactScan(ScanMail::Overdue {
                reference: &reference,
                title: &title,
                due_on: &due,
                business_days_late: late,
                link: &link,
            }),
        )?;
        crate::mail::enqueue(&mut tx, &m).await?;
    }
    event(
        &mut tx,
        id,
        None,
        "overdue_notified",
        json!({ "due_on": due, "to": to.len() }),
        &now,
    )
    .await?;
    Audit {
        actor: None,
        entity: "need",
        entity_id: id,
        action: "overdue_notified",
        changes: Changes::new().created("overdue_notified_at", now.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct DueFollowup {
    id: String,
}

/// Follow-ups due and not sent → the side's users, once.
async fn followups(state: &AppState, today: Date) -> anyhow::Result<usize> {
    let due: Vec<DueFollowup> = sqlx::query_as(
        "SELECT id FROM need_followups WHERE sent_at IS NULL AND answered_at IS NULL AND due_on <= $1 \
         ORDER BY due_on, id",
    )
    .bind(iso(today))
    .fetch_all(state.db.reader())
    .await?;
    let mut n = 0;
    for f in due {
        if send_followup(state, &f.id, today)
            .await
            .with_context(|| format!("follow-up {}", f.id))?
        {
            n += 1;
        }
    }
    Ok(n)
}

/// need id, reference, title, side, months, owner organisation, candidate organisation.
type FollowupRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

async fn send_followup(state: &AppState, id: &str, today: Date) -> anyhow::Result<bool> {
    let mut tx = state.db.writer().begin().await?;
    let now = db::now();
    let claimed = sqlx::query(
        "UPDATE need_followups SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL AND due_on <= $3",
    )
    .bind(&now)
    .bind(id)
    .bind(iso(today))
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let row: Option<FollowupRow> = sqlx::query_as(
        "SELECT f.need_id, n.reference, n.title, f.side, CAST(f.months AS BIGINT), n.owner_org_id, \
             a.organization_id FROM need_followups f JOIN needs n ON n.id = f.need_id \
             LEFT JOIN need_answers a ON a.id = f.answer_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((need_id, reference, title, side, months, owner_org, candidate_org)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    let org = if side == "owner" {
        owner_org
    } else {
        candidate_org
    };
    let mut to: Vec<(String, String, String)> = Vec::new();
    if let Some(org) = &org {
        to = sqlx::query_as(
            "SELECT u.email, u.name, u.lang FROM users u JOIN user_organizations uo ON uo.user_id = u.id \
             WHERE uo.organization_id = $1 AND u.active = 1 ORDER BY u.email",
        )
        .bind(org)
        .fetch_all(&mut *tx)
        .await?;
        if to.is_empty() {
            let own: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT name, email FROM organizations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((name, Some(email))) =
                own.filter(|(_, e)| e.as_deref().is_some_and(|e| !e.trim().is_empty()))
            {
                to.push((email, name, "es".to_owned()));
            }
        }
    }
    let link = format!("{}/pact/followups/{id}", state.config.public_base());
    for (email, name, lang) in &to {
        let m = crate::mail::compose(
            &state.i18n,
            Lang::from_code(lang).unwrap_or_default(),
            email,
            name,
            crate::mail::Kind::PactScan(ScanMail::Followup {
                reference: &reference,
                title: &title,
                months,
                link: &link,
            }),
        )?;
        crate::mail::enqueue(&mut tx, &m).await?;
    }
    event(
        &mut tx,
        &need_id,
        None,
        "followup_sent",
        json!({ "followup_id": id, "side": side, "months": months, "to": to.len() }),
        &now,
    )
    .await?;
    Audit {
        actor: None,
        entity: "need_followup",
        entity_id: id,
        action: "send",
        changes: Changes::new().created("sent_at", now.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A row of the need's timeline, recorded by the system.
async fn event(
    conn: &mut sqlx::AnyConnection,
    need_id: &str,
    answer_id: Option<&str>,
    kind: &str,
    detail: serde_json::Value,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO need_events (id, need_id, answer_id, kind, actor_id, at, detail) \
         VALUES ($1, $2, $3, $4, NULL, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(need_id)
    .bind(answer_id)
    .bind(kind)
    .bind(at)
    .bind(detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// An e-mail of the scan (see [`crate::mail::Kind::PactScan`]).
#[derive(Debug, Clone, Copy)]
pub enum ScanMail<'a> {
    /// To the broker (or the office): a published need has no answer past its target.
    Overdue {
        reference: &'a str,
        title: &'a str,
        /// `YYYY-MM-DD`.
        due_on: &'a str,
        business_days_late: i64,
        link: &'a str,
    },
    /// To a side's users: how did the agreement go?
    Followup {
        reference: &'a str,
        title: &'a str,
        months: i64,
        link: &'a str,
    },
}

impl ScanMail<'_> {
    /// The subject and body in `lang`.
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let greeting = i18n.message(
            lang,
            "mail-greeting",
            &[("name", FluentValue::from(to_name.to_owned()))],
        );
        let signature = i18n.message(lang, "mail-signature", &[]);
        match *self {
            ScanMail::Overdue {
                reference,
                title,
                due_on,
                business_days_late,
                link,
            } => {
                let args = [
                    ("reference", FluentValue::from(reference.to_owned())),
                    ("title", FluentValue::from(title.to_owned())),
                    ("due", FluentValue::from(local_date(lang, due_on))),
                    ("days", FluentValue::from(business_days_late)),
                ];
                (
                    i18n.message(lang, "pact-dash-mail-overdue-subject", &args),
                    Body {
                        greeting,
                        paragraphs: vec![i18n.message(lang, "pact-dash-mail-overdue-text", &args)],
                        action_label: i18n.message(lang, "pact-dash-mail-overdue-action", &[]),
                        action_url: link.to_owned(),
                        after: vec![i18n.message(lang, "pact-dash-mail-overdue-why", &[])],
                        signature,
                    },
                )
            }
            ScanMail::Followup {
                reference,
                title,
                months,
                link,
            } => {
                let args = [
                    ("reference", FluentValue::from(reference.to_owned())),
                    ("title", FluentValue::from(title.to_owned())),
                    ("months", FluentValue::from(months)),
                ];
                (
                    i18n.message(lang, "pact-dash-mail-followup-subject", &args),
                    Body {
                        greeting,
                        paragraphs: vec![i18n.message(lang, "pact-dash-mail-followup-text", &args)],
                        action_label: i18n.message(lang, "pact-dash-mail-followup-action", &[]),
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

    #[test]
    fn scan_mails_read_in_both_languages() {
        let i18n = I18n::load().unwrap();
        let all = [
            ScanMail::Overdue {
                reference: "NEC-2026-0007",
                title: "Limpieza <industrial>",
                due_on: "2026-03-02",
                business_days_late: 3,
                link: "https://besaya.example/pact/needs/x",
            },
            ScanMail::Followup {
                reference: "NEC-2026-0007",
                title: "Limpieza <industrial>",
                months: 3,
                link: "https://besaya.example/pact/followups/y",
            },
        ];
        for lang in Lang::ALL {
            for m in all {
                let out = crate::mail::compose(
                    &i18n,
                    lang,
                    "ana@besaya.example",
                    "Ana",
                    crate::mail::Kind::PactScan(m),
                )
                .unwrap();
                assert!(out.subject.contains("NEC-2026-0007"), "{}", out.subject);
                assert!(!out.subject.contains("pact-dash"), "{}", out.subject);
                assert!(!out.text.contains("pact-dash"), "{}", out.text);
                assert!(out.text.contains("besaya.example/pact/"), "{}", out.text);
                assert!(!out.html.contains("<industrial>"), "escaped");
            }
        }
        let es = crate::mail::compose(
            &i18n,
            Lang::Es,
            "a@b.es",
            "Ana",
            crate::mail::Kind::PactScan(all[0]),
        )
        .unwrap();
        let en = crate::mail::compose(
            &i18n,
            Lang::En,
            "a@b.es",
            "Ana",
            crate::mail::Kind::PactScan(all[0]),
        )
        .unwrap();
        assert!(es.text.contains("02/03/2026"), "{}", es.text);
        assert!(en.text.contains("2 Mar 2026"), "{}", en.text);
        assert_ne!(es.subject, en.subject);
    }
}
