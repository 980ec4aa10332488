//! `besaya user create | list` and `besaya token create`.

use std::io::BufRead;

use anyhow::Context;
use besaya_domain::identity::check_password;
use besaya_domain::{Email, Nif, Role};

use super::store::{self, CreateError, NewUser};
use crate::cli::UserCommand;
use crate::config::Config;
use crate::db::Db;
use crate::i18n::Lang;

async fn open(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url(), 2).await?;
    db.migrate().await?;
    Ok(db)
}

pub async fn run(config: &Config, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create {
            email,
            name,
            role,
            org,
            lang,
            password_stdin: _,
        } => {
            let email = Email::parse(&email)
                .map_err(|_| anyhow::anyhow!("--email {email:?} is not a valid e-mail address"))?;
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let lang =
                Lang::from_code(&lang).ok_or_else(|| anyhow::anyhow!("--lang is es or en"))?;
            let name = name.trim().to_owned();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= 200,
                "--name has 1 to 200 characters"
            );
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            check_password(&password, Some(email.as_str()))
                .map_err(|e| anyhow::anyhow!("password refused: {e}"))?;
            let db = open(config).await?;
            let mut organization_ids = Vec::new();
            for o in &org {
                let by_tax = Nif::parse(o)
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default();
                let id: Option<String> =
                    sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1 OR tax_id = $2")
                        .bind(o)
                        .bind(by_tax)
                        .fetch_optional(db.reader())
                        .await?;
                organization_ids
                    .push(id.ok_or_else(|| anyhow::anyhow!("--org {o}: no such organisation"))?);
            }
            let hash = crate::auth::password::hash(password).await?;
            let mut tx = db.writer().begin().await?;
            let id = store::create(
                &mut tx,
                None,
                &NewUser {
                    email: email.clone(),
                    name,
                    role,
                    lang,
                    organization_ids,
                    password_hash: Some(hash),
                },
            )
            .await
            .map_err(|e| match e {
                CreateError::DuplicateEmail => {
                    anyhow::anyhow!("a user with the e-mail address {email} already exists")
                }
                other => anyhow::anyhow!("{other}"),
            })?;
            tx.commit().await?;
            db.close().await;
            println!("user {email} created ({role}), id {id}");
            Ok(())
        }
        UserCommand::List => {
            let db = open(config).await?;
            let mut after = None;
            println!(
                "{:<36}  {:<15}  {:<6}  {:<8}  email / name",
                "id", "role", "lang", "status"
            );
            loop {
                let page = store::list(
                    db.reader(),
                    &store::Filter {
                        after: after.clone(),
                        limit: 500,
                        ..store::Filter::default()
                    },
                )
                .await?;
                let more = page.len() > 500;
                for u in page.iter().take(500) {
                    let status = match (u.active, u.has_password) {
                        (false, _) => "inactive",
                        (true, false) => "invited",
                        (true, true) => "active",
                    };
                    println!(
                        "{:<36}  {:<15}  {:<6}  {:<8}  {} / {}",
                        u.id,
                        u.role.as_str(),
                        u.lang,
                        status,
                        u.email,
                        u.name
                    );
                }
                if !more {
                    break;
                }
                after = page.get(499).map(|u| u.email.to_lowercase());
            }
            db.close().await;
            Ok(())
        }
    }
}

pub async fn create_token(config: &Config, email: &str, name: &str) -> anyhow::Result<()> {
    let email = Email::parse(email)
        .map_err(|_| anyhow::anyhow!("--email {email:?} is not a valid e-mail address"))?;
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 100,
        "--name has 1 to 100 characters"
    );
    let db = open(config).await?;
    let Some((user_id, _, true)) = store::credentials(db.reader(), &email).await? else {
        anyhow::bail!("no active user with the e-mail address {email}");
    };
    let mut tx = db.writer().begin().await?;
    let (_, token) = crate::auth::tokens::create(&mut tx, None, &user_id, name).await?;
    tx.commit().await?;
    db.close().await;
    // The only time the token is shown.
    println!("{token}");
    Ok(())
}
