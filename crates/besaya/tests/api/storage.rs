//! Storage stories on both backends: migrations, optimistic versions, the
//! append-only audit log, de-duplication by tax id, foreign keys, and many writers.

use besaya::db::versioned::{BumpError, Versioned};
use besaya::db::{Audit, Changes, VersionConflict, bump_version};
use besaya::orgs::ValidOrg;
use besaya::orgs::store::{self, WriteError, insert_many};
use besaya_domain::Nif;
use besaya_domain::directory::TaxId;

use crate::helpers::{TestApp, backends};

backends!(
    migrations_and_demo_load_are_idempotent,
    a_stale_version_is_a_conflict_and_writes_nothing,
    the_audit_log_is_append_only,
    tax_ids_are_unique_and_municipalities_must_exist,
    many_concurrent_writers_all_succeed,
);

fn org(name: &str, digits: u32, muni: Option<&str>) -> ValidOrg {
    ValidOrg {
        name: name.into(),
        trade_name: None,
        kind: "company",
        tax_id: TaxId::Spanish(Nif::entity('B', digits).unwrap()),
        cnae_version: "2025",
        cnae_codes: vec!["2451".into()],
        municipality_code: muni.map(str::to_owned),
        address: None,
        lat: None,
        lon: None,
        employees: None,
        size_band: None,
        description: String::new(),
        capabilities: String::new(),
        certifications: Vec::new(),
        website: None,
        email: None,
        phone: None,
        pact_member: false,
        dir3_code: None,
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

async fn migrations_and_demo_load_are_idempotent(app: TestApp) {
    app.state.db.migrate().await.unwrap();
    let orgs = count(&app, "SELECT COUNT(*) FROM organizations").await;
    assert!(orgs >= 10, "the demo has fictional organisations");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM cnae_codes WHERE version = '2009'"
        )
        .await,
        1010
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM cnae_codes WHERE version = '2025'"
        )
        .await,
        1060
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM municipalities").await,
        102
    );
    let again = besaya::demo::load(&app.state.db, &app.config, 0)
        .await
        .unwrap();
    assert_eq!(again.reference_rows, 0);
    assert_eq!(again.organizations, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organizations").await,
        orgs
    );
    let scaled = besaya::demo::load(&app.state.db, &app.config, 120)
        .await
        .unwrap();
    assert_eq!(scaled.organizations, 120);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organizations").await,
        orgs + 120
    );
}

async fn a_stale_version_is_a_conflict_and_writes_nothing(app: TestApp) {
    let id: String = sqlx::query_scalar("SELECT id FROM organizations ORDER BY id LIMIT 1")
        .fetch_one(app.state.db.reader())
        .await
        .unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    assert_eq!(
        bump_version(&mut tx, Versioned::Organizations, &id, 1)
            .await
            .unwrap(),
        2
    );
    sqlx::query("UPDATE organizations SET name = $1 WHERE id = $2")
        .bind("First writer")
        .bind(&id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // A second writer who also read version 1 loses, and its change is rolled back.
    let mut tx = app.state.db.writer().begin().await.unwrap();
    match bump_version(&mut tx, Versioned::Organizations, &id, 1).await {
        Err(BumpError::Conflict(VersionConflict { current })) => assert_eq!(current, Some(2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    tx.rollback().await.unwrap();
    let (name, version): (String, i64) =
        sqlx::query_as("SELECT name, version FROM organizations WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!((name.as_str(), version), ("First writer", 2));

    let mut tx = app.state.db.writer().begin().await.unwrap();
    match bump_version(&mut tx, Versioned::Organizations, "no-such-id", 1).await {
        Err(BumpError::Conflict(VersionConflict { current })) => assert_eq!(current, None),
        other => panic!("expected not found, got {other:?}"),
    }
}

async fn the_audit_log_is_append_only(app: TestApp) {
    let created = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'organization' AND action = 'create'",
    )
    .await;
    assert_eq!(
        created,
        count(&app, "SELECT COUNT(*) FROM organizations").await
    );

    let mut tx = app.state.db.writer().begin().await.unwrap();
    Audit {
        actor: Some("user-1"),
        entity: "organization",
        entity_id: "org-1",
        action: "update",
        changes: Changes::new().field("employees", 10, 12),
    }
    .record(&mut tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (actor, changes): (Option<String>, String) =
        sqlx::query_as("SELECT actor_id, changes FROM audit_log WHERE entity_id = 'org-1'")
            .fetch_one(app.state.db.reader())
            .await
            .unwrap();
    assert_eq!(actor.as_deref(), Some("user-1"));
    assert_eq!(changes, r#"{"employees":{"after":12,"before":10}}"#);

    for sql in [
        "UPDATE audit_log SET actor_id = 'someone else'",
        "DELETE FROM audit_log",
    ] {
        let err = sqlx::query(sql)
            .execute(app.state.db.writer())
            .await
            .expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = 'user-1'"
        )
        .await,
        1
    );
}

async fn tax_ids_are_unique_and_municipalities_must_exist(app: TestApp) {
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let first = store::insert(&mut tx, None, &org("Uno", 1_234_567, Some("39087")))
        .await
        .unwrap();
    let again = store::insert(&mut tx, None, &org("Otra vez uno", 1_234_567, None)).await;
    assert!(
        matches!(&again, Err(WriteError::DuplicateTaxId { existing_id }) if *existing_id == first),
        "a second record with the same tax id points to the first: {again:?}"
    );
    tx.commit().await.unwrap();

    // In one batch, a repeated tax id fails the whole batch.
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let batch = insert_many(
        &mut tx,
        None,
        &[org("Dos", 2_345_678, None), org("Dos bis", 2_345_678, None)],
    )
    .await;
    assert!(batch.is_err(), "a repeated tax id in a batch is refused");
    drop(tx);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organizations WHERE name LIKE 'Dos%'"
        )
        .await,
        0,
        "nothing of the refused batch is stored"
    );

    let mut tx = app.state.db.writer().begin().await.unwrap();
    let err = insert_many(&mut tx, None, &[org("Nowhere", 7_654_321, Some("99999"))])
        .await
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("foreign key"),
        "foreign keys are enforced: {err}"
    );
}

async fn many_concurrent_writers_all_succeed(app: TestApp) {
    let mut tasks = Vec::new();
    for i in 0..24u32 {
        let db = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.writer().begin().await?;
            // Read, then write, in the same transaction: the pattern that deadlocks
            // SQLite's deferred transactions when writers are not serialised.
            let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
                .fetch_one(&mut *tx)
                .await?;
            insert_many(
                &mut tx,
                None,
                &[org(&format!("Concurrent {i}"), 2_000_000 + i, None)],
            )
            .await
            .map_err(|e| match e {
                WriteError::Db(e) => e,
                other => sqlx::Error::Protocol(other.to_string()),
            })?;
            tx.commit().await
        }));
    }
    for t in tasks {
        t.await
            .unwrap()
            .expect("no 'database is locked' for any writer");
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organizations WHERE name LIKE 'Concurrent %'"
        )
        .await,
        24
    );
}

#[tokio::test]
async fn every_foreign_key_has_an_index() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let db = app.state.db.reader();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert!(tables.contains(&"organizations".to_owned()));
    let mut missing = Vec::new();
    for t in &tables {
        let fks: Vec<String> = sqlx::query_scalar(&format!(
            // The leading column of each key (a composite key's index starts with it).
            "SELECT \"from\" FROM pragma_foreign_key_list('{t}') WHERE seq = 0"
        ))
        .fetch_all(db)
        .await
        .unwrap();
        for col in fks {
            let indexed: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM pragma_index_list('{t}') il \
                 JOIN pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = $1"
            ))
            .bind(&col)
            .fetch_one(db)
            .await
            .unwrap();
            if indexed == 0 {
                missing.push(format!("{t}.{col}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "foreign keys without an index: {missing:?}"
    );
}
