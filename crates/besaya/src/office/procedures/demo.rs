//! Demo procedures: on the demo projects from the decision stage on, procedures
//! from the catalogue held by the demo councils and the regional department (and
//! a distribution operator when the directory has one), with event histories dated back from today so that,
//! whatever the day they are loaded, one is overdue («Proyecto Faro»'s building
//! licence), one is paused for a correction with the investor's document request
//! open («Proyecto Galerna»'s building licence), one was resolved by silence
//! («Proyecto Hayedo»'s urban compatibility report) and others are granted,
//! running or pending. A user of the Torrelavega council (`pact_member`, no
//! password, like the other demo people) follows its procedures.
//!
//! `--scale N` gives the generated projects procedures so that the Torrelavega
//! council holds about `N × 0.4` of them (40,000 at 100,000), for the benchmarks.
//! Loaded once; generated ones top up.

use std::collections::HashMap;

use besaya_domain::directory::format_date;
use besaya_domain::procedures::{Clock, EventKind, Rules, Silence, Term, TermUnit};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::AnyConnection;
use time::{Date, Duration, Weekday};

use super::calendar;
use crate::db::{self, Db};
use crate::office::portal::documents::{self, NewDocument};
use crate::office::work::madrid;

/// The demo user of the Torrelavega council.
pub const COUNCIL_USER_EMAIL: &str = "licencias@ayto-torrelavega.demo.invalid";
const COUNCIL_USER_NAME: &str = "Rosa Gutiérrez Pellón, técnica de licencias (demo)";
const TORRELAVEGA: &str = "39087";
const REGION_NAME: &str = "Consejería de Industria, Empleo e Innovación de ejemplo (demo)";
/// A distribution operator, used when the directory has it.
const OPERATOR_NAME: &str = "Distribuidora eléctrica del Besaya de ejemplo (demo)";

/// Catalogue entries of the seed (ids fixed by the migration).
const URBAN: &str = "01938f00-0000-7000-8000-000000000002";
const EIA_SIMPLIFIED: &str = "01938f00-0000-7000-8000-000000000004";
const COMPROBACION: &str = "01938f00-0000-7000-8000-000000000006";
const BUILDING: &str = "01938f00-0000-7000-8000-000000000007";
const ACTIVITY: &str = "01938f00-0000-7000-8000-000000000008";
const REGISTER: &str = "01938f00-0000-7000-8000-000000000009";
const GRID: &str = "01938f00-0000-7000-8000-000000000010";

/// Who holds a demo procedure.
#[derive(Clone, Copy)]
enum Holder {
    /// The council of a municipality (INE code).
    Council(&'static str),
    Region,
    Operator,
}

/// How a demo procedure went, in days before today.
#[derive(Clone, Copy)]
enum Story {
    Pending,
    /// Running: complete `days` ago.
    Running {
        complete: i64,
    },
    /// Complete long enough ago to be overdue now.
    Overdue {
        complete: i64,
    },
    /// Complete, then a correction requested (still open).
    Paused {
        filed: i64,
        complete: i64,
        request: i64,
    },
    /// Complete, decided `granted` days ago (within term or not).
    Granted {
        complete: i64,
        decided: i64,
    },
    /// Complete, the term passed, silence recorded a few days after the due date.
    Silence {
        complete: i64,
    },
}

struct Demo {
    project: &'static str,
    template: &'static str,
    holder: Holder,
    story: Story,
}

const DEMO: [Demo; 16] = [
    // Encina (decision): the urban report running, the licences not filed yet.
    Demo {
        project: "Proyecto Encina",
        template: URBAN,
        holder: Holder::Council(TORRELAVEGA),
        story: Story::Running { complete: 12 },
    },
    Demo {
        project: "Proyecto Encina",
        template: BUILDING,
        holder: Holder::Council(TORRELAVEGA),
        story: Story::Pending,
    },
    Demo {
        project: "Proyecto Encina",
        template: ACTIVITY,
        holder: Holder::Council(TORRELAVEGA),
        story: Story::Pending,
    },
    // Faro (establishment): the building licence is overdue.
    Demo {
        project: "Proyecto Faro",
        template: URBAN,
        holder: Holder::Council("39054"),
        story: Story::Granted {
            complete: 170,
            decided: 150,
        },
    },
    Demo {
        project: "Proyecto Faro",
        template: BUILDING,
        holder: Holder::Council("39054"),
        story: Story::Overdue { complete: 120 },
    },
    // Galerna (financing): the building licence waits for the investor's correction.
    Demo {
        project: "Proyecto Galerna",
        template: URBAN,
        holder: Holder::Council(TORRELAVEGA),
        story: Story::Granted {
            complete: 90,
            decided: 70,
        },
    },
    Demo {
        project: "Proyecto Galerna",
        template: EIA_SIMPLIFIED,
        holder: Holder::Region,
        story: Story::Running { complete: 40 },
    },
    Demo {
        project: "Proyecto Galerna",
        template: BUILDING,
        holder: Holder::Council(TORRELAVEGA),
        story: Story::Paused {
            filed: 45,
            complete: 38,
            request: 9,
        },
    },
    Demo {
        project: "Proyecto Galerna",
        template: GRID,
        holder: Holder::Operator,
        story: Story::Running { complete: 20 },
    },
    // Hayedo (construction): the urban report was resolved by silence.
    Demo {
        project: "Proyecto Hayedo",
        template: URBAN,
        holder: Holder::Council("39025"),
        story: Story::Silence { complete: 110 },
    },
    Demo {
        project: "Proyecto Hayedo",
        template: BUILDING,
        holder: Holder::Council("39025"),
        story: Story::Granted {
            complete: 60,
            decided: 25,
        },
    },
    Demo {
        project: "Proyecto Hayedo",
        template: ACTIVITY,
        holder: Holder::Council("39025"),
        story: Story::Running { complete: 15 },
    },
    // Ínsula (operating): everything decided, one after its due date.
    Demo {
        project: "Proyecto Ínsula",
        template: URBAN,
        holder: Holder::Council("39060"),
        story: Story::Granted {
            complete: 400,
            decided: 380,
        },
    },
    Demo {
        project: "Proyecto Ínsula",
        template: BUILDING,
        holder: Holder::Council("39060"),
        story: Story::Granted {
            complete: 360,
            decided: 300,
        },
    },
    Demo {
        project: "Proyecto Ínsula",
        template: COMPROBACION,
        holder: Holder::Region,
        story: Story::Granted {
            complete: 330,
            decided: 200,
        },
    },
    Demo {
        project: "Proyecto Ínsula",
        template: REGISTER,
        holder: Holder::Region,
        story: Story::Granted {
            complete: 120,
            decided: 100,
        },
    },
];

/// The last weekday on or before `d` (events are dated on working days).
fn weekday_on_or_before(d: Date) -> Date {
    let mut cur = d;
    while matches!(cur.weekday(), Weekday::Saturday | Weekday::Sunday) {
        cur = cur.previous_day().unwrap_or(cur);
        if cur == Date::MIN {
            break;
        }
    }
    cur
}

fn days_ago(today: Date, n: i64) -> Date {
    weekday_on_or_before(today - Duration::days(n))
}

/// A catalogue entry as the demo copies it.
struct Tpl {
    name_es: String,
    name_en: String,
    legal_basis: String,
    term_value: i64,
    term_unit: String,
    silence: String,
}

impl Tpl {
    fn term(&self) -> Term {
        Term {
            value: u32::try_from(self.term_value).unwrap_or(1).max(1),
            unit: TermUnit::parse(&self.term_unit).unwrap_or(TermUnit::BusinessDays),
        }
    }

    fn silence(&self) -> Silence {
        Silence::parse(&self.silence).unwrap_or(Silence::Negative)
    }
}

async fn catalogue(conn: &mut AnyConnection) -> anyhow::Result<HashMap<String, Tpl>> {
    let rows: Vec<(String, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, name_es, name_en, legal_basis, term_value, term_unit, silence FROM procedure_templates",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name_es, name_en, legal_basis, term_value, term_unit, silence)| {
                (
                    id,
                    Tpl {
                        name_es,
                        name_en,
                        legal_basis,
                        term_value,
                        term_unit,
                        silence,
                    },
                )
            },
        )
        .collect())
}

/// The demo organisations that hold procedures: councils by municipality, the
/// regional department, and a distribution operator when the directory has one
/// (the demo directory has none: the grid access procedure is then left out).
struct Holders {
    councils: HashMap<String, String>,
    region: Option<String>,
    operator: Option<String>,
}

impl Holders {
    fn of(&self, h: Holder) -> Option<&String> {
        match h {
            Holder::Council(m) => self.councils.get(m),
            Holder::Region => self.region.as_ref(),
            Holder::Operator => self.operator.as_ref(),
        }
    }
}

async fn holders(conn: &mut AnyConnection) -> anyhow::Result<Holders> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, municipality_code FROM organizations WHERE kind = 'administration' \
         AND name LIKE 'Ayuntamiento de ejemplo de %' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let councils = rows
        .into_iter()
        .filter_map(|(id, m)| m.map(|m| (m, id)))
        .collect();
    let region: Option<String> = sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(REGION_NAME)
        .fetch_optional(&mut *conn)
        .await?;
    let operator: Option<String> =
        sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
            .bind(OPERATOR_NAME)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(Holders {
        councils,
        region,
        operator,
    })
}

/// The catalogue's default administrations, where none is set.
async fn default_holders(conn: &mut AnyConnection, h: &Holders) -> anyhow::Result<()> {
    let council = h.councils.get(TORRELAVEGA);
    for (level, org) in [
        ("council", council),
        ("region", h.region.as_ref()),
        ("operator", h.operator.as_ref()),
    ] {
        if let Some(org) = org {
            sqlx::query(
                "UPDATE procedure_templates SET administration_org_id = $1 \
                 WHERE level = $2 AND administration_org_id IS NULL",
            )
            .bind(org)
            .bind(level)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The council's demo user (no password: an administrator sends it a password
/// reset or an invitation to try the administration's pages).
async fn council_user(conn: &mut AnyConnection, council: &str) -> anyhow::Result<()> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email_norm = $1")
        .bind(COUNCIL_USER_EMAIL)
        .fetch_optional(&mut *conn)
        .await?;
    let id = match found {
        Some(id) => id,
        None => {
            let id = db::new_id();
            let now = db::now();
            sqlx::query(
                "INSERT INTO users (id, email, email_norm, name, role, lang, password_hash, active, version, created_at, updated_at) \
                 VALUES ($1, $2, $2, $3, 'pact_member', 'es', NULL, 1, 1, $4, $4)",
            )
            .bind(&id)
            .bind(COUNCIL_USER_EMAIL)
            .bind(COUNCIL_USER_NAME)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
            id
        }
    };
    sqlx::query(
        "INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(council)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The events of a story and the clock they replay into.
fn steps(
    story: Story,
    today: Date,
    tpl: &Tpl,
    holidays: &besaya_domain::procedures::Holidays,
) -> Vec<(EventKind, Date)> {
    use EventKind as E;
    let rules = Rules {
        term: tpl.term(),
        silence: tpl.silence(),
        holidays,
    };
    match story {
        Story::Pending => Vec::new(),
        Story::Running { complete } | Story::Overdue { complete } => {
            vec![(E::Complete, days_ago(today, complete))]
        }
        Story::Paused {
            filed,
            complete,
            request,
        } => vec![
            (E::Filed, days_ago(today, filed)),
            (E::Complete, days_ago(today, complete)),
            (E::CorrectionRequested, days_ago(today, request)),
        ],
        Story::Granted { complete, decided } => vec![
            (E::Complete, days_ago(today, complete)),
            (E::Granted, days_ago(today, decided)),
        ],
        Story::Silence { complete } => {
            let start = days_ago(today, complete);
            let mut clock = Clock::default();
            let _ = clock.apply(rules, E::Complete, start);
            let due = clock.due_on(rules).unwrap_or(today);
            let on = (due + Duration::days(3)).min(today);
            vec![(E::Complete, start), (E::Silence, on)]
        }
    }
}

/// One procedure with its events, inserted with its derived columns; returns its id.
#[allow(clippy::too_many_arguments)]
async fn insert_procedure(
    conn: &mut AnyConnection,
    project_id: &str,
    template_id: &str,
    tpl: &Tpl,
    org: &str,
    steps: &[(EventKind, Date)],
    holidays: &besaya_domain::procedures::Holidays,
    actor: Option<&str>,
) -> anyhow::Result<(String, Vec<String>)> {
    let rules = Rules {
        term: tpl.term(),
        silence: tpl.silence(),
        holidays,
    };
    let clock = Clock::replay(rules, steps.iter().copied())
        .map_err(|(i, e)| anyhow::anyhow!("demo event {i} refused: {e}"))?;
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO procedures (id, project_id, template_id, name_es, name_en, administration_org_id, legal_basis, \
         term_value, term_unit, silence, status, filed_on, started_on, due_on, resolved_on, notes, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '', 1, $16, $16)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(template_id)
    .bind(&tpl.name_es)
    .bind(&tpl.name_en)
    .bind(org)
    .bind(&tpl.legal_basis)
    .bind(tpl.term_value)
    .bind(&tpl.term_unit)
    .bind(&tpl.silence)
    .bind(clock.status.as_str())
    .bind(clock.filed_on.map(format_date))
    .bind(clock.started_on.map(format_date))
    .bind(clock.due_on(rules).map(format_date))
    .bind(clock.resolved_on.map(format_date))
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    let mut event_ids = Vec::new();
    for (n, (kind, on)) in steps.iter().enumerate() {
        let eid = db::new_id();
        // Recorded in order, a second apart, at the end of the day they are dated.
        let at = format!("{}T17:00:{:02}.000000Z", format_date(*on), n.min(59));
        sqlx::query(
            "INSERT INTO procedure_events (id, procedure_id, kind, on_date, note, document_id, actor_id, at) \
             VALUES ($1, $2, $3, $4, '', NULL, $5, $6)",
        )
        .bind(&eid)
        .bind(&id)
        .bind(kind.as_str())
        .bind(format_date(*on))
        .bind(actor)
        .bind(&at)
        .execute(&mut *conn)
        .await?;
        event_ids.push(eid);
    }
    Ok((id, event_ids))
}

/// Loads the demo procedures (and, with `scale`, the generated ones); returns how
/// many procedures it added.
pub async fn load(db: &Db, scale: u32) -> anyhow::Result<u64> {
    let mut tx = db.writer().begin().await?;
    let holders = holders(&mut tx).await?;
    default_holders(&mut tx, &holders).await?;
    if let Some(council) = holders.councils.get(TORRELAVEGA) {
        council_user(&mut tx, council).await?;
    }
    let catalogue = catalogue(&mut tx).await?;
    let today = madrid::today();
    let mut added = 0u64;
    let existing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedures p JOIN projects pr ON pr.id = p.project_id \
         WHERE pr.code_name LIKE 'Proyecto %'",
    )
    .fetch_one(&mut *tx)
    .await?;
    if existing == 0 {
        added += demo_procedures(&mut tx, &holders, &catalogue, today).await?;
    }
    tx.commit().await?;
    if scale > 0
        && let Some(council) = holders.councils.get(TORRELAVEGA)
    {
        added += generated(db, council, &catalogue, today, scale).await?;
    }
    Ok(added)
}

async fn demo_procedures(
    conn: &mut AnyConnection,
    holders: &Holders,
    catalogue: &HashMap<String, Tpl>,
    today: Date,
) -> anyhow::Result<u64> {
    let projects: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, code_name, owner_id FROM projects WHERE code_name LIKE 'Proyecto %' \
         AND stage IN ('decision', 'establishment', 'financing', 'construction', 'operating')",
    )
    .fetch_all(&mut *conn)
    .await?;
    let projects: HashMap<String, (String, String)> = projects
        .into_iter()
        .map(|(id, code, owner)| (code, (id, owner)))
        .collect();
    let mut municipal: HashMap<String, besaya_domain::procedures::Holidays> = HashMap::new();
    let mut added = 0;
    let mut by_project: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for d in &DEMO {
        let (Some((project_id, owner)), Some(tpl), Some(org)) = (
            projects.get(d.project),
            catalogue.get(d.template),
            holders.of(d.holder),
        ) else {
            continue;
        };
        let holidays = match d.holder {
            Holder::Council(m) => {
                if !municipal.contains_key(m) {
                    let local: Vec<String> = sqlx::query_scalar(
                        "SELECT on_date FROM local_holidays WHERE municipality_code = $1",
                    )
                    .bind(m)
                    .fetch_all(&mut *conn)
                    .await?;
                    let dates = local
                        .iter()
                        .filter_map(|s| besaya_domain::directory::parse_date(s));
                    municipal.insert(m.to_owned(), calendar::national().with(dates));
                }
                municipal
                    .get(m)
                    .cloned()
                    .unwrap_or_else(|| calendar::national().clone())
            }
            _ => calendar::national().clone(),
        };
        let steps = steps(d.story, today, tpl, &holidays);
        let (id, events) = insert_procedure(
            conn, project_id, d.template, tpl, org, &steps, &holidays, None,
        )
        .await?;
        if matches!(d.story, Story::Paused { .. }) {
            // The correction asked of the investor, as a document to upload.
            let title = format!("Subsanación: {}", tpl.name_es);
            let doc = documents::create(
                &mut *conn,
                Some(owner),
                project_id,
                &NewDocument {
                    title,
                    description: "Falta el estudio de seguridad y salud firmado y el plano de \
                         evacuación de aguas pluviales."
                        .to_owned(),
                    due_on: None,
                    for_investor: true,
                    request: true,
                },
            )
            .await?;
            if let Some(last) = events.last() {
                sqlx::query(
                    "UPDATE procedure_events SET document_id = $1, note = $2 WHERE id = $3",
                )
                .bind(&doc)
                .bind("Falta el estudio de seguridad y salud firmado y el plano de evacuación de aguas pluviales.")
                .bind(last)
                .execute(&mut *conn)
                .await?;
            }
        }
        by_project
            .entry(project_id.clone())
            .or_default()
            .push((d.template.to_owned(), id));
        added += 1;
    }
    // Dependencies as the catalogue has them.
    let deps: Vec<(String, String)> =
        sqlx::query_as("SELECT template_id, depends_on_id FROM procedure_template_deps")
            .fetch_all(&mut *conn)
            .await?;
    for procs in by_project.values() {
        let of: HashMap<&str, &str> = procs
            .iter()
            .map(|(t, p)| (t.as_str(), p.as_str()))
            .collect();
        for (t, d) in &deps {
            if let (Some(p), Some(q)) = (of.get(t.as_str()), of.get(d.as_str())) {
                sqlx::query(
                    "INSERT INTO procedure_deps (procedure_id, depends_on_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(*p)
                .bind(*q)
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(added)
}

/// Procedures of the generated projects held by the council, about `scale × 0.4`.
async fn generated(
    db: &Db,
    council: &str,
    catalogue: &HashMap<String, Tpl>,
    today: Date,
    scale: u32,
) -> anyhow::Result<u64> {
    let target = i64::from(scale) * 2 / 5;
    let have: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedures p JOIN projects pr ON pr.id = p.project_id \
         WHERE pr.code_name LIKE 'G-%' AND p.administration_org_id = $1",
    )
    .bind(council)
    .fetch_one(db.reader())
    .await?;
    if have >= target {
        return Ok(0);
    }
    let projects: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM projects WHERE code_name LIKE 'G-%' AND NOT EXISTS \
         (SELECT 1 FROM procedures p WHERE p.project_id = projects.id) ORDER BY code_name",
    )
    .fetch_all(db.reader())
    .await?;
    if projects.is_empty() {
        return Ok(0);
    }
    let mut templates: Vec<(&String, &Tpl)> = catalogue.iter().collect();
    templates.sort_by(|a, b| a.0.cmp(b.0));
    let missing = target - have;
    let per = usize::try_from(missing.div_euclid(i64::try_from(projects.len()).unwrap_or(1)) + 1)
        .unwrap_or(1)
        .max(1);
    let holidays = calendar::national();
    let mut rng = SmallRng::seed_from_u64(7);
    let mut rows: Vec<GenRow> = Vec::new();
    let mut left = missing;
    'outer: for p in &projects {
        for k in 0..per {
            if left <= 0 {
                break 'outer;
            }
            let (tid, tpl) = templates[k % templates.len()];
            let rules = Rules {
                term: tpl.term(),
                silence: tpl.silence(),
                holidays,
            };
            let story = match rng.gen_range(0..10) {
                0 | 1 => Story::Pending,
                2..=4 => Story::Running {
                    complete: rng.gen_range(1..60),
                },
                5 => Story::Overdue {
                    complete: rng.gen_range(200..400),
                },
                6 => Story::Paused {
                    filed: 80,
                    complete: rng.gen_range(40..70),
                    request: rng.gen_range(1..30),
                },
                7 | 8 => {
                    let complete = rng.gen_range(100..700);
                    Story::Granted {
                        complete,
                        decided: complete - rng.gen_range(10..90),
                    }
                }
                _ => Story::Silence {
                    complete: rng.gen_range(300..700),
                },
            };
            let steps = steps(story, today, tpl, holidays);
            let Ok(clock) = Clock::replay(rules, steps.iter().copied()) else {
                continue;
            };
            rows.push(GenRow {
                id: db::new_id(),
                project_id: p.clone(),
                template_id: tid.clone(),
                due_on: clock.due_on(rules).map(format_date),
                clock,
                steps,
            });
            left -= 1;
        }
    }
    let now = db::now();
    let mut tx = db.writer().begin().await?;
    for chunk in rows.chunks(50) {
        let mut sql = db::Sql::new(
            "INSERT INTO procedures (id, project_id, template_id, name_es, name_en, administration_org_id, legal_basis, \
             term_value, term_unit, silence, status, filed_on, started_on, due_on, resolved_on, notes, version, created_at, updated_at) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            let Some(tpl) = catalogue.get(&r.template_id) else {
                continue;
            };
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(");
            sql.bind(r.id.clone()).push(", ");
            sql.bind(r.project_id.clone()).push(", ");
            sql.bind(r.template_id.clone()).push(", ");
            sql.bind(tpl.name_es.clone()).push(", ");
            sql.bind(tpl.name_en.clone()).push(", ");
            sql.bind(council.to_owned()).push(", ");
            sql.bind(tpl.legal_basis.clone()).push(", ");
            sql.bind(tpl.term_value).push(", ");
            sql.bind(tpl.term_unit.clone()).push(", ");
            sql.bind(tpl.silence.clone()).push(", ");
            sql.bind(r.clock.status.as_str().to_owned()).push(", ");
            sql.bind(r.clock.filed_on.map(format_date)).push(", ");
            sql.bind(r.clock.started_on.map(format_date)).push(", ");
            sql.bind(r.due_on.clone()).push(", ");
            sql.bind(r.clock.resolved_on.map(format_date))
                .push(", '', 1, ");
            sql.bind(now.clone()).push(", ");
            sql.bind(now.clone()).push(")");
        }
        let (text, args) = sql.build()?;
        sqlx::query_with(&text, args).execute(&mut *tx).await?;
        let events: Vec<(&GenRow, usize, EventKind, Date)> = chunk
            .iter()
            .flat_map(|r| {
                r.steps
                    .iter()
                    .enumerate()
                    .map(move |(n, (k, d))| (r, n, *k, *d))
            })
            .collect();
        for part in events.chunks(100) {
            let mut sql = db::Sql::new(
                "INSERT INTO procedure_events (id, procedure_id, kind, on_date, note, at) VALUES ",
            );
            for (i, (r, n, k, d)) in part.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push("(");
                sql.bind(db::new_id()).push(", ");
                sql.bind(r.id.clone()).push(", ");
                sql.bind(k.as_str().to_owned()).push(", ");
                sql.bind(format_date(*d)).push(", '', ");
                sql.bind(format!("{}T17:00:{:02}.000000Z", format_date(*d), n))
                    .push(")");
            }
            let (text, args) = sql.build()?;
            sqlx::query_with(&text, args).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(u64::try_from(rows.len()).unwrap_or(0))
}

struct GenRow {
    id: String,
    project_id: String,
    template_id: String,
    due_on: Option<String>,
    clock: Clock,
    steps: Vec<(EventKind, Date)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use besaya_domain::procedures::{Holidays, Status, assess};

    fn tpl(value: i64, unit: &str, silence: &str) -> Tpl {
        Tpl {
            name_es: "x".into(),
            name_en: "x".into(),
            legal_basis: String::new(),
            term_value: value,
            term_unit: unit.into(),
            silence: silence.into(),
        }
    }

    /// Whatever the day the demo loads, its stories end where the demo says.
    #[test]
    fn the_stories_hold_on_any_day() {
        let h = calendar::national();
        let months = tpl(3, "months", "negative");
        let days = tpl(30, "business_days", "positive");
        let mut day = time::macros::date!(2025 - 01 - 01);
        while day < time::macros::date!(2026 - 12 - 31) {
            let check = |story: Story, t: &Tpl| {
                let rules = Rules {
                    term: t.term(),
                    silence: t.silence(),
                    holidays: h,
                };
                let s = steps(story, day, t, h);
                let clock = Clock::replay(rules, s.iter().copied()).unwrap();
                assert!(s.iter().all(|(_, d)| *d <= day));
                assess(&clock, rules, day)
            };
            let overdue = check(Story::Overdue { complete: 120 }, &months);
            assert!(overdue.overdue, "{day}");
            let paused = check(
                Story::Paused {
                    filed: 45,
                    complete: 38,
                    request: 9,
                },
                &months,
            );
            assert_eq!(paused.status, Status::Paused, "{day}");
            let silence = check(Story::Silence { complete: 110 }, &days);
            assert_eq!(silence.status, Status::SilencePositive, "{day}");
            let running = check(Story::Running { complete: 12 }, &days);
            assert!(
                running.status == Status::Running && !running.overdue,
                "{day}"
            );
            day = day.next_day().unwrap();
        }
        assert!(!Holidays::default().is_holiday(day));
    }
}
