//! The alliance's demo, on both databases: loaded once (a second run adds
//! nothing); the three working groups with chairs and members; members in the
//! four colleges and a former one whose representative has no seat; meetings
//! held with minutes, attendance and agreements, one cancelled, one ahead; the
//! commitments tree showing every status, fed by three indicators, one private.

use std::collections::{BTreeSet, HashMap};

use besaya_domain::alliance::{CommitmentStatus, Node, Shown, roll_up};
use time::Date;

use crate::helpers::{TestApp, backends};

backends!(the_alliance_demo_loads_once_with_every_state);

fn day(s: &str) -> Date {
    besaya_domain::directory::parse_date(s).expect("a stored date")
}

async fn load(app: &TestApp) -> u64 {
    besaya::pact::alliance_demo::load(&app.state.db)
        .await
        .expect("the demo loads")
}

/// id, parent, position, weight, status, progress, due, indicator, public.
type Row = (
    String,
    Option<String>,
    i64,
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
);

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

async fn the_alliance_demo_loads_once_with_every_state(app: TestApp) {
    let db = app.state.db.reader();
    besaya::office::demo::load(&app.state.db, 0).await.unwrap();
    besaya::pact::demo::load(&app.state.db).await.unwrap();
    assert_eq!(load(&app).await, 13, "13 commitments");
    assert_eq!(load(&app).await, 0, "loaded once");
    let count = |sql: &'static str| count(&app, sql);
    assert_eq!(count("SELECT COUNT(*) FROM pact_commitments").await, 13);
    assert_eq!(count("SELECT COUNT(*) FROM pact_groups").await, 3);
    let today = besaya::office::work::madrid::today();
    let iso = besaya_domain::directory::format_date(today);

    // The three working groups, each with a chair among its members.
    let groups: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT g.name, COUNT(gm.member_id), \
         SUM(CASE WHEN gm.member_id = g.chair_member_id THEN 1 ELSE 0 END) \
         FROM pact_groups g JOIN pact_group_members gm ON gm.group_id = g.id \
         GROUP BY g.name ORDER BY g.name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "Competencias y empleo",
            "Proveedores",
            "Suelo industrial y energía"
        ]
    );
    for (name, members, chairs) in &groups {
        assert!(*members >= 5, "{name}: {members} members");
        assert_eq!(*chairs, 1, "{name}: its chair is one of its members");
    }

    // Members in the four colleges; one former member.
    let colleges: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT college FROM pact_members WHERE left_on IS NULL ORDER BY college",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(
        colleges,
        ["administrations", "employers", "others", "unions"]
    );
    let former: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.id, o.name FROM pact_members m JOIN organizations o ON o.id = m.organization_id \
         WHERE m.left_on IS NOT NULL AND m.left_on < $1",
    )
    .bind(&iso)
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(former.len(), 1, "{former:?}");

    // Representatives: pact members without password, linked to their
    // organisation; a current one has a seat, the former member's has none.
    let reps: Vec<(String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT u.id, u.role, r.member_id, u.password_hash, \
         (SELECT COUNT(*) FROM user_organizations uo WHERE uo.user_id = u.id AND uo.organization_id = m.organization_id) \
         FROM pact_representatives r JOIN users u ON u.id = r.user_id JOIN pact_members m ON m.id = r.member_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert!(reps.len() >= 19, "{} representatives", reps.len());
    assert!(
        reps.iter()
            .all(|r| r.1 == "pact_member" && r.3.is_none() && r.4 == 1),
        "{reps:?}"
    );
    let alternates =
        count("SELECT COUNT(*) FROM pact_representatives WHERE role = 'alternate'").await;
    assert!(alternates >= 1);
    for (user_id, _, member, _, _) in &reps {
        let user = besaya::users::store::get(db, user_id)
            .await
            .unwrap()
            .expect("an active user");
        let seat = besaya::pact::alliance::seat(&app.state.db, Some(&user), today)
            .await
            .unwrap();
        let is_former = *member == former[0].0;
        assert_eq!(seat.in_workspace(), !is_former, "{}", user.email);
    }

    // Meetings: held ones with minutes, attendance and agreements; one
    // cancelled; one scheduled ahead. References REU-/ACU-YYYY-NNN.
    let meetings: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT m.reference, m.status, m.starts_at, m.minutes, \
         (SELECT COUNT(*) FROM pact_attendance a WHERE a.meeting_id = m.id), \
         (SELECT COUNT(*) FROM pact_agreements g WHERE g.meeting_id = m.id) \
         FROM pact_meetings m ORDER BY m.starts_at",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let status_count = |s: &str| meetings.iter().filter(|m| m.1 == s).count();
    assert!(status_count("held") >= 4);
    assert_eq!(status_count("cancelled"), 1);
    assert_eq!(status_count("scheduled"), 1);
    for (reference, status, starts, minutes, attendance, agreements) in &meetings {
        assert!(reference.starts_with("REU-"), "{reference}");
        let starts = besaya::office::work::madrid::parse_stored(starts).expect("a stored time");
        match status.as_str() {
            "held" => {
                assert!(starts < now, "{reference} held in the past");
                assert!(minutes.len() > 100, "{reference} has minutes");
                assert!(*attendance >= 3, "{reference} attendance");
                assert!(*agreements >= 1, "{reference} agreements");
            }
            "scheduled" => assert!(starts > now, "{reference} is ahead"),
            _ => assert_eq!((*attendance, *agreements), (0, 0)),
        }
    }
    let agreement_refs: Vec<String> =
        sqlx::query_scalar("SELECT reference FROM pact_agreements ORDER BY reference")
            .fetch_all(db)
            .await
            .unwrap();
    assert!(agreement_refs.len() >= 9);
    assert!(agreement_refs.iter().all(|r| r.starts_with("ACU-")));

    // The tree: every status shown, three indicators, one private commitment,
    // commitments made from agreements and linked to their meetings.
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, parent_id, position, weight, status, progress, due_on, indicator, public \
             FROM pact_commitments ORDER BY position",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let nodes: Vec<Node> = rows
        .iter()
        .map(|r| Node {
            id: r.0.clone(),
            parent_id: r.1.clone(),
            position: r.2,
            weight: u32::try_from(r.3).unwrap(),
            status: CommitmentStatus::parse(&r.4).unwrap(),
            progress: u8::try_from(r.5).unwrap(),
            from_indicator: r.7.is_some(),
            due_on: r.6.as_deref().map(day),
        })
        .collect();
    let shown: BTreeSet<Shown> = roll_up(&nodes, today).iter().map(|r| r.shown).collect();
    assert_eq!(shown, Shown::ALL.into_iter().collect::<BTreeSet<_>>());
    // The same through the commitments' tree, with the indicators' values: every
    // status shown; the public tree leaves the private commitment out; the
    // indicators' commitments are in progress (targets above the demo's values).
    let tree = besaya::pact::commitments::model::tree(&app.state.db, today, false)
        .await
        .unwrap();
    assert_eq!(tree.len(), 13);
    let shown: BTreeSet<Shown> = tree.iter().map(|l| l.shown).collect();
    assert_eq!(shown, Shown::ALL.into_iter().collect::<BTreeSet<_>>());
    for line in tree.iter().filter(|l| l.commitment.indicator.is_some()) {
        assert_eq!(line.shown, Shown::InProgress, "{}", line.commitment.title);
        assert!(line.progress < 100, "{}", line.commitment.title);
        assert!(line.indicator_value.is_some(), "{}", line.commitment.title);
    }
    let awarded = tree
        .iter()
        .find(|l| l.commitment.indicator.as_deref() == Some("local_awarded"))
        .unwrap();
    assert!(
        awarded.progress > 0,
        "the demo's 185.000 € count towards 500.000 €"
    );
    let public = besaya::pact::commitments::model::tree(&app.state.db, today, true)
        .await
        .unwrap();
    assert_eq!(public.len(), 12, "the private commitment is left out");
    assert!(public.iter().all(|l| l.commitment.public));
    let roots = rows.iter().filter(|r| r.1.is_none()).count();
    assert_eq!(roots, 3);
    let indicators: BTreeSet<&str> = rows.iter().filter_map(|r| r.7.as_deref()).collect();
    assert_eq!(
        indicators,
        ["local_awarded", "needs_within_target", "projects_operating"]
            .into_iter()
            .collect()
    );
    assert_eq!(rows.iter().filter(|r| r.8 == 0).count(), 1, "one private");
    let targets: HashMap<String, (Option<i64>, Option<String>)> =
        sqlx::query_as::<_, (String, Option<i64>, Option<String>)>(
            "SELECT indicator, indicator_target, indicator_from FROM pact_commitments WHERE indicator IS NOT NULL",
        )
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|(i, t, f)| (i, (t, f)))
        .collect();
    assert_eq!(targets["local_awarded"].0, Some(50_000_000), "500.000 €");
    let jan1 = format!("{}-01-01", today.year());
    assert_eq!(
        targets["needs_within_target"].1.as_deref(),
        Some(jan1.as_str())
    );
    assert!(
        count("SELECT COUNT(*) FROM pact_commitments WHERE agreement_id IS NOT NULL").await >= 8
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM pact_commitments c WHERE NOT EXISTS (SELECT 1 FROM pact_commitment_meetings l \
             WHERE l.commitment_id = c.id AND l.role = 'decided')"
        )
        .await,
        0,
        "every commitment links the meeting where it was decided"
    );
    assert!(
        count("SELECT COUNT(*) FROM pact_commitment_meetings WHERE role = 'reviewed'").await >= 5
    );
    assert!(count("SELECT COUNT(*) FROM pact_milestones WHERE done_on IS NOT NULL").await >= 3);
    assert!(count("SELECT COUNT(*) FROM pact_milestones WHERE done_on IS NULL").await >= 3);
    // Everything created is audited.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'pact_commitment' AND action = 'create'"
        )
        .await,
        13
    );
    assert!(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'pact_meeting'").await >= 8);
}
