//! Task reminders by e-mail: the day before a task is due, and once when it is
//! overdue, to the task's owner in their language, with a link to the project.
//!
//! Each reminder goes out once: the scan marks the task with an `UPDATE ...
//! WHERE reminded_... IS NULL` and enqueues the e-mail in the same transaction,
//! so two instances scanning at once never send it twice (the second update
//! finds the mark and changes nothing).

use anyhow::Context;
use besaya_domain::directory::format_date;
use serde_json::json;
use time::Date;

use super::{madrid, pages::long_date};
use crate::AppState;
use crate::db::{self, Audit, Changes};
use crate::i18n::{I18n, Lang, Tr};
use crate::mail::Body;
use crate::office::{policy, projects};
use fluent_bundle::FluentValue;

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// Due tomorrow.
    Before,
    /// Past its due day and still open.
    Overdue,
}

impl Which {
    fn column(self) -> &'static str {
        match self {
            Which::Before => "reminded_before_at",
            Which::Overdue => "reminded_overdue_at",
        }
    }
}

/// Sends the reminders due on `today` (Madrid's calendar day): one per task
/// due tomorrow, one per open task due before today, each only once. Returns
/// how many were enqueued.
pub async fn send_task_reminders(state: &AppState, today: Date) -> anyhow::Result<usize> {
    let Some(tomorrow) = today.next_day() else {
        return Ok(0);
    };
    let today_s = format_date(today);
    let tomorrow_s = format_date(tomorrow);
    let due: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.id, t.due_on FROM tasks t JOIN users u ON u.id = t.owner_id \
         WHERE t.done_at IS NULL AND u.active = 1 AND \
         ((t.due_on = $1 AND t.reminded_before_at IS NULL) OR (t.due_on < $2 AND t.reminded_overdue_at IS NULL)) \
         ORDER BY t.due_on, t.id",
    )
    .bind(&tomorrow_s)
    .bind(&today_s)
    .fetch_all(state.db.reader())
    .await
    .context("looking for tasks to remind")?;
    let mut sent = 0;
    for (id, due_on) in due {
        let which = if due_on < today_s {
            Which::Overdue
        } else {
            Which::Before
        };
        if remind(state, &id, which, &today_s, &tomorrow_s)
            .await
            .with_context(|| format!("reminding task {id}"))?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Marks one task reminded and enqueues its e-mail, in one transaction; false
/// when another run got there first (or the task changed meanwhile).
async fn remind(
    state: &AppState,
    id: &str,
    which: Which,
    today: &str,
    tomorrow: &str,
) -> anyhow::Result<bool> {
    let mut tx = state.db.writer().begin().await?;
    let col = which.column();
    let (cond, day) = match which {
        Which::Before => ("due_on = $3", tomorrow),
        Which::Overdue => ("due_on < $3", today),
    };
    let now = db::now();
    let marked = sqlx::query(&format!(
        "UPDATE tasks SET {col} = $1 WHERE id = $2 AND {cond} AND {col} IS NULL AND done_at IS NULL"
    ))
    .bind(&now)
    .bind(id)
    .bind(day)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT project_id, title, due_on, owner_id FROM tasks WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((project_id, title, due_on, owner_id)) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    let (Some(owner), Some(project)) = (
        crate::users::store::get(state.db.reader(), &owner_id).await?,
        projects::get(&mut tx, &project_id).await?,
    ) else {
        tx.rollback().await?;
        return Ok(false);
    };
    // The project as the owner may see it: the code name when they may not see the investor.
    let title_of_project = match policy::access(&owner, &project.case()) {
        Some(a) => project.title(a).to_owned(),
        None => project.code_name.clone(),
    };
    let due_text = store_day(&due_on)
        .map(|d| long_date(&Tr::new(state.i18n.clone(), owner.lang), d))
        .unwrap_or_else(|| due_on.clone());
    let link = format!(
        "{}/office/projects/{}/activity",
        state.config.public_base(),
        project.id
    );
    let mail = crate::mail::compose(
        &state.i18n,
        owner.lang,
        &owner.email,
        &owner.name,
        crate::mail::Kind::TaskReminder(ReminderMail {
            title: &title,
            project: &title_of_project,
            due: &due_text,
            link: &link,
            overdue: which == Which::Overdue,
        }),
    )?;
    crate::mail::enqueue(&mut tx, &mail).await?;
    let kind = match which {
        Which::Before => "before",
        Which::Overdue => "overdue",
    };
    projects::record_event(
        &mut tx,
        &project.id,
        None,
        "task_reminded",
        json!({ "title": title, "to": owner.name, "when": kind }),
        false,
    )
    .await?;
    Audit {
        actor: None,
        entity: "task",
        entity_id: id,
        action: "remind",
        changes: Changes::new().created(col, now.as_str()),
    }
    .record(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A reminder's e-mail: the task, its project as the owner may see it, the due
/// day in the owner's language, and the link to the project's activity.
#[derive(Debug, Clone, Copy)]
pub struct ReminderMail<'a> {
    pub title: &'a str,
    pub project: &'a str,
    pub due: &'a str,
    pub link: &'a str,
    /// Past its due day (otherwise due tomorrow).
    pub overdue: bool,
}

impl ReminderMail<'_> {
    /// The subject and body in `lang`.
    pub fn compose(&self, i18n: &I18n, lang: Lang, to_name: &str) -> (String, Body) {
        let args = [
            ("title", FluentValue::from(self.title.to_owned())),
            ("project", FluentValue::from(self.project.to_owned())),
            ("due", FluentValue::from(self.due.to_owned())),
        ];
        let which = if self.overdue { "overdue" } else { "due" };
        let subject = i18n.message(lang, &format!("mail-task-{which}-subject"), &args);
        let body = Body {
            greeting: i18n.message(
                lang,
                "mail-greeting",
                &[("name", FluentValue::from(to_name.to_owned()))],
            ),
            paragraphs: vec![i18n.message(lang, &format!("mail-task-{which}-text"), &args)],
            action_label: i18n.message(lang, "mail-task-action", &[]),
            action_url: self.link.to_owned(),
            after: vec![i18n.message(lang, "mail-task-why", &[])],
            signature: i18n.message(lang, "mail-signature", &[]),
        };
        (subject, body)
    }
}

fn store_day(s: &str) -> Option<Date> {
    super::store::day(s)
}

/// What the job worker runs every few minutes: the reminders of today in Madrid.
pub async fn scan(state: &AppState) -> anyhow::Result<usize> {
    send_task_reminders(state, madrid::today()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_read_in_both_languages() {
        let i18n = I18n::load().unwrap();
        for overdue in [false, true] {
            for lang in Lang::ALL {
                let m = crate::mail::compose(
                    &i18n,
                    lang,
                    "ana@besaya.example",
                    "Ana <b>",
                    crate::mail::Kind::TaskReminder(ReminderMail {
                        title: "Enviar el dosier, ya",
                        project: "P-2026-001",
                        due: "1 de diciembre de 2026",
                        link: "https://besaya.example/office/projects/x/activity",
                        overdue,
                    }),
                )
                .unwrap();
                assert!(m.subject.contains("Enviar el dosier, ya"), "{}", m.subject);
                assert!(!m.subject.starts_with("mail-"), "{}", m.subject);
                for part in [&m.text, &m.html] {
                    assert!(part.contains("P-2026-001"), "{part}");
                    assert!(part.contains("/office/projects/x/activity"), "{part}");
                    assert!(!part.contains("mail-task"), "{part}");
                }
                assert!(!m.html.contains("Ana <b>"), "{}", m.html);
            }
        }
        let due = |lang| {
            ReminderMail {
                title: "t",
                project: "p",
                due: "d",
                link: "l",
                overdue: false,
            }
            .compose(&i18n, lang, "Ana")
            .0
        };
        assert_ne!(due(Lang::Es), due(Lang::En));
    }
}
