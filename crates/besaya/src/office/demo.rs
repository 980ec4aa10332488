//! The Office's demo data: three fictional staff members (no password: they own
//! records, they cannot sign in), a dozen fictional investor projects, one in each
//! stage, with a backdated stage history, interactions, tasks (one overdue, one due
//! tomorrow), site proposals with the investor's feedback, and two inquiries
//! waiting. `--scale N` adds N/20 generated projects for the benchmarks.
//! Loaded once: nothing is added when projects exist (generated ones top up).

use besaya_domain::office::{self, Stage};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};

use crate::db::{self, Db, OptF64};

struct Staff {
    email: &'static str,
    name: &'static str,
    lang: &'static str,
}

const STAFF: [Staff; 3] = [
    Staff {
        email: "lucia.fernandez@oficina.demo.invalid",
        name: "Lucía Fernández Ruiz (demo)",
        lang: "es",
    },
    Staff {
        email: "marcos.diaz@oficina.demo.invalid",
        name: "Marcos Díaz Herrera (demo)",
        lang: "es",
    },
    Staff {
        email: "helen.carter@oficina.demo.invalid",
        name: "Helen Carter (demo)",
        lang: "en",
    },
];

struct DemoProject {
    code: &'static str,
    stage: Stage,
    cnae: &'static str,
    description: &'static str,
    /// Requirements as the body of the sites matching.
    requirements: &'static str,
    jobs: i64,
    investment: f64,
    confidential: bool,
    reason: Option<&'static str>,
}

const PROJECTS: [DemoProject; 12] = [
    DemoProject {
        code: "Acebo",
        stage: Stage::Inquiry,
        cnae: "2511",
        description: "Fabricante europeo de estructuras metálicas que busca una segunda planta en el norte de España.",
        requirements: r#"{"area_m2":{"min":8000,"importance":"required"},"power_kva":{"min":800,"importance":"preferred"}}"#,
        jobs: 45,
        investment: 6_500_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Brezo",
        stage: Stage::Qualified,
        cnae: "2229",
        description: "Inyección de plásticos técnicos para automoción; necesita nave con puente grúa.",
        requirements: r#"{"area_m2":{"min":3000,"max":6000,"importance":"required"},"use":{"cnae":"C","importance":"required"}}"#,
        jobs: 30,
        investment: 3_200_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Cierzo",
        stage: Stage::SiteSearch,
        cnae: "2712",
        description: "Montaje de cuadros eléctricos de media tensión para redes de distribución.",
        requirements: r#"{"area_m2":{"min":5000,"importance":"required"},"power_kva":{"min":1000,"importance":"required"},"motorway_km":{"max":5,"importance":"preferred"}}"#,
        jobs: 60,
        investment: 9_000_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Dársena",
        stage: Stage::Visits,
        cnae: "5210",
        description: "Operador logístico con tráfico ferroviario hacia el puerto de Santander.",
        requirements: r#"{"area_m2":{"min":20000,"importance":"required"},"rail_siding":{"importance":"required"},"port_km":{"max":40,"importance":"preferred"}}"#,
        jobs: 80,
        investment: 14_000_000.0,
        confidential: false,
        reason: None,
    },
    DemoProject {
        code: "Encina",
        stage: Stage::Decision,
        cnae: "1089",
        description: "Planta de ingredientes alimentarios a partir de subproductos lácteos.",
        requirements: r#"{"area_m2":{"min":10000,"importance":"required"},"water_m3_day":{"min":200,"importance":"required"},"gas":{"importance":"preferred"}}"#,
        jobs: 55,
        investment: 18_000_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Faro",
        stage: Stage::Establishment,
        cnae: "2611",
        description: "Ensamblaje de componentes electrónicos de potencia para renovables.",
        requirements: r#"{"area_m2":{"min":4000,"importance":"required"}}"#,
        jobs: 40,
        investment: 7_500_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Galerna",
        stage: Stage::Financing,
        cnae: "2530",
        description: "Calderería pesada para hidrógeno verde: depósitos a presión.",
        requirements: r#"{"area_m2":{"min":12000,"importance":"required"},"power_kva":{"min":2000,"importance":"required"}}"#,
        jobs: 120,
        investment: 35_000_000.0,
        confidential: true,
        reason: None,
    },
    DemoProject {
        code: "Hayedo",
        stage: Stage::Construction,
        cnae: "1621",
        description: "Fabricación de tableros de madera contralaminada con madera de la región.",
        requirements: r#"{"area_m2":{"min":15000,"importance":"required"}}"#,
        jobs: 70,
        investment: 22_000_000.0,
        confidential: false,
        reason: None,
    },
    DemoProject {
        code: "Ínsula",
        stage: Stage::Operating,
        cnae: "2059",
        description: "Planta de reciclado químico de plásticos mezclados.",
        requirements: r#"{"area_m2":{"min":25000,"importance":"required"}}"#,
        jobs: 90,
        investment: 40_000_000.0,
        confidential: false,
        reason: None,
    },
    DemoProject {
        code: "Junco",
        stage: Stage::Aftercare,
        cnae: "2841",
        description: "Ampliación de una planta de máquinas herramienta ya instalada en la comarca.",
        requirements: r#"{}"#,
        jobs: 25,
        investment: 4_000_000.0,
        confidential: false,
        reason: None,
    },
    DemoProject {
        code: "Lapa",
        stage: Stage::OnHold,
        cnae: "3030",
        description: "Componentes aeronáuticos en material compuesto.",
        requirements: r#"{"area_m2":{"min":6000,"importance":"required"}}"#,
        jobs: 35,
        investment: 8_000_000.0,
        confidential: true,
        reason: Some("El inversor espera la adjudicación de un contrato antes de decidir."),
    },
    DemoProject {
        code: "Marea",
        stage: Stage::Lost,
        cnae: "2410",
        description: "Acería eléctrica de pequeño tamaño.",
        requirements: r#"{"area_m2":{"min":40000,"importance":"required"},"power_kva":{"min":50000,"importance":"required"}}"#,
        jobs: 150,
        investment: 60_000_000.0,
        confidential: true,
        reason: Some(
            "Eligió un emplazamiento en otra región con mayor potencia eléctrica disponible.",
        ),
    },
];

/// Loads the Office's demo records; returns how many projects it added.
pub async fn load(db: &Db, scale: u32) -> anyhow::Result<u64> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(db.reader())
        .await?;
    let generated = i64::from(scale / 20);
    if existing >= PROJECTS.len() as i64 + generated {
        crate::office::procedures::demo::load(db, scale).await?;
        return Ok(0);
    }
    let orgs: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM organizations WHERE kind = 'company' ORDER BY name, id LIMIT 40",
    )
    .fetch_all(db.reader())
    .await?;
    // Three of the five demo investors have a project; two are left for trying
    // the journey from a fresh inquiry.
    let investors: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM organizations WHERE kind = 'investor' ORDER BY name, id LIMIT 3",
    )
    .fetch_all(db.reader())
    .await?;
    let sites: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM sites WHERE published = 1 ORDER BY reference, id LIMIT 40",
    )
    .fetch_all(db.reader())
    .await?;
    let mut tx = db.writer().begin().await?;
    let staff = staff_ids(&mut tx).await?;
    let now = OffsetDateTime::now_utc();
    let mut added = 0;
    if existing == 0 {
        for (i, p) in PROJECTS.iter().enumerate() {
            let org = match i {
                2 | 4 | 6 => investors.get(i / 2 - 1).or(orgs.get(i)),
                _ => orgs.get(i),
            }
            .cloned();
            let owner = &staff[i % staff.len()];
            let id = insert(
                &mut tx,
                &Insert {
                    code: &format!("Proyecto {}", p.code),
                    org: org.as_deref(),
                    cnae: p.cnae,
                    description: p.description,
                    requirements: p.requirements,
                    jobs: p.jobs,
                    investment: p.investment,
                    confidential: p.confidential,
                    owner,
                    team: &[staff[(i + 1) % staff.len()].clone()],
                    stage: p.stage,
                    reason: p.reason,
                    started: now - Duration::days(30 + 25 * i as i64),
                    verified: matches!(p.stage, Stage::Operating | Stage::Aftercare),
                },
            )
            .await?;
            activity(&mut tx, &id, owner, i, now).await?;
            if matches!(p.stage, Stage::Visits | Stage::Decision) {
                proposals(&mut tx, &id, owner, &sites, i, now).await?;
            }
            added += 1;
        }
        inquiries(&mut tx, &staff, now).await?;
    }
    let mut rng = SmallRng::seed_from_u64(20);
    let start = (existing - PROJECTS.len() as i64).max(0);
    for n in start..generated {
        let stage = Stage::ALL[rng.gen_range(0..Stage::ALL.len())];
        let owner = &staff[rng.gen_range(0..staff.len())];
        let org = (!orgs.is_empty()).then(|| orgs[rng.gen_range(0..orgs.len())].clone());
        insert(
            &mut tx,
            &Insert {
                code: &format!("G-{:05}", n + 1),
                org: org.as_deref(),
                cnae: "2511",
                description: "Proyecto generado para las pruebas de rendimiento.",
                requirements: "{}",
                jobs: rng.gen_range(5..200),
                investment: f64::from(rng.gen_range(1u32..500)) * 100_000.0,
                confidential: rng.gen_bool(0.7),
                owner,
                team: &[],
                stage,
                reason: stage.needs_reason().then_some("Generado"),
                started: now - Duration::days(rng.gen_range(10..900)),
                verified: matches!(stage, Stage::Operating | Stage::Aftercare),
            },
        )
        .await?;
        added += 1;
    }
    tx.commit().await?;
    crate::office::procedures::demo::load(db, scale).await?;
    Ok(added)
}

async fn staff_ids(conn: &mut AnyConnection) -> anyhow::Result<Vec<String>> {
    let now = db::now();
    let mut ids = Vec::new();
    for s in &STAFF {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM users WHERE email_norm = $1")
                .bind(s.email)
                .fetch_optional(&mut *conn)
                .await?;
        let id = match found {
            Some(id) => id,
            None => {
                let id = db::new_id();
                sqlx::query(
                    "INSERT INTO users (id, email, email_norm, name, role, lang, password_hash, active, version, created_at, updated_at) \
                     VALUES ($1, $2, $2, $3, 'staff', $4, NULL, 1, 1, $5, $5)",
                )
                .bind(&id)
                .bind(s.email)
                .bind(s.name)
                .bind(s.lang)
                .bind(&now)
                .execute(&mut *conn)
                .await?;
                id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

struct Insert<'a> {
    code: &'a str,
    org: Option<&'a str>,
    cnae: &'a str,
    description: &'a str,
    requirements: &'a str,
    jobs: i64,
    investment: f64,
    confidential: bool,
    owner: &'a str,
    team: &'a [String],
    stage: Stage,
    reason: Option<&'a str>,
    /// When the project arrived; it then went through the active stages up to its own.
    started: OffsetDateTime,
    verified: bool,
}

/// The active stages a project went through to reach `stage` (for on hold and
/// lost: up to the decision).
fn path_to(stage: Stage) -> (Vec<Stage>, Option<Stage>) {
    let last_active = if stage.is_active() {
        stage
    } else {
        Stage::Decision
    };
    let mut path: Vec<Stage> = Stage::ACTIVE
        .into_iter()
        .take_while(|s| s.rank() <= last_active.rank())
        .collect();
    let held = (!stage.is_active()).then_some(last_active);
    if !stage.is_active() {
        path.push(stage);
    }
    (path, held)
}

async fn insert(conn: &mut AnyConnection, p: &Insert<'_>) -> anyhow::Result<String> {
    let id = db::new_id();
    let (path, held) = path_to(p.stage);
    // Stays of 6 to 40 days, ending before today.
    let mut at = p.started;
    let mut stays = Vec::new();
    for (i, s) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let days = 6 + (p.code.len() as i64 * 7 + i as i64 * 13) % 35;
        let left = (!last).then(|| at + Duration::days(days));
        stays.push((*s, at, left));
        if let Some(l) = left {
            at = l;
        }
    }
    let since = stays.last().map_or(p.started, |s| s.1);
    let today = OffsetDateTime::now_utc().date();
    let verified_on = p
        .verified
        .then(|| besaya_domain::directory::format_date(today - Duration::days(20)));
    sqlx::query(
        "INSERT INTO projects (id, code_name, investor_org_id, cnae_code, description, requirements, \
         investment_committed_eur, investment_verified_eur, investment_verified_on, jobs_committed, jobs_verified, \
         jobs_verified_on, owner_id, confidential, stage, stage_since, held_from, stage_reason, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9, $12, $13, $14, $15, $16, $17, 1, $18, $15)",
    )
    .bind(&id)
    .bind(p.code)
    .bind(p.org)
    .bind(p.cnae)
    .bind(p.description)
    .bind(p.requirements)
    .bind(OptF64(Some(p.investment)))
    .bind(OptF64(p.verified.then_some(p.investment * 0.8)))
    .bind(&verified_on)
    .bind(p.jobs)
    .bind(p.verified.then_some(p.jobs * 9 / 10))
    .bind(p.owner)
    .bind(i64::from(p.confidential))
    .bind(p.stage.as_str())
    .bind(db::timestamp(since))
    .bind(held.map(Stage::as_str))
    .bind(p.reason)
    .bind(db::timestamp(p.started))
    .execute(&mut *conn)
    .await?;
    for u in p.team {
        sqlx::query("INSERT INTO project_team (project_id, user_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(u)
            .execute(&mut *conn)
            .await?;
    }
    let mut prev: Option<Stage> = None;
    for (stage, entered, left) in &stays {
        let reason = (!stage.is_active()).then_some(p.reason).flatten();
        sqlx::query(
            "INSERT INTO project_stages (id, project_id, stage, entered_at, left_at, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(db::new_id())
        .bind(&id)
        .bind(stage.as_str())
        .bind(db::timestamp(*entered))
        .bind(left.map(db::timestamp))
        .bind(p.owner)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
        let (kind, detail) = match prev {
            None => ("created", json!({ "stage": stage.as_str() })),
            Some(from) => (
                "stage",
                json!({ "from": from.as_str(), "to": stage.as_str(), "reason": reason.unwrap_or("") }),
            ),
        };
        debug_assert!(prev.is_none_or(|f| office::can_move(f, None, *stage) || !stage.is_active()));
        sqlx::query(
            "INSERT INTO project_events (id, project_id, at, actor_id, kind, detail, for_investor) VALUES ($1, $2, $3, $4, $5, $6, 1)",
        )
        .bind(db::new_id())
        .bind(&id)
        .bind(db::timestamp(*entered))
        .bind(p.owner)
        .bind(kind)
        .bind(detail.to_string())
        .execute(&mut *conn)
        .await?;
        prev = Some(*stage);
    }
    crate::db::Audit {
        actor: None,
        entity: "project",
        entity_id: &id,
        action: "create",
        changes: crate::db::Changes::new()
            .created("code_name", p.code)
            .created("stage", p.stage.as_str()),
    }
    .record(conn)
    .await?;
    Ok(id)
}

async fn activity(
    conn: &mut AnyConnection,
    project: &str,
    owner: &str,
    i: usize,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let meetings = [
        (
            "call",
            "Primera llamada con la dirección financiera",
            "Directora financiera; técnico de la Oficina",
        ),
        (
            "meeting",
            "Reunión de presentación de la comarca",
            "Consejero delegado; alcalde; técnico de la Oficina",
        ),
        (
            "visit",
            "Visita a dos parcelas del polígono",
            "Director de operaciones; gestor del polígono",
        ),
    ];
    for (n, (kind, subject, people)) in meetings.iter().enumerate().take(1 + i % 3) {
        let at = now - Duration::days(5 + 9 * n as i64 + i as i64);
        let stamp = db::timestamp(at);
        sqlx::query(
            "INSERT INTO interactions (id, project_id, kind, occurred_at, duration_minutes, subject, people, notes, created_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $4, $4)",
        )
        .bind(db::new_id())
        .bind(project)
        .bind(*kind)
        .bind(&stamp)
        .bind(60i64)
        .bind(*subject)
        .bind(*people)
        .bind("Notas de ejemplo: próximos pasos acordados y documentación pendiente.")
        .bind(owner)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO project_events (id, project_id, at, actor_id, kind, detail, for_investor) VALUES ($1, $2, $3, $4, 'interaction', $5, 0)",
        )
        .bind(db::new_id())
        .bind(project)
        .bind(&stamp)
        .bind(owner)
        .bind(json!({ "kind": kind, "subject": subject }).to_string())
        .execute(&mut *conn)
        .await?;
    }
    // The first project's task is overdue; the second's is due tomorrow; the rest later.
    let today = now.date();
    let due = match i {
        0 => today - Duration::days(2),
        1 => today + Duration::days(1),
        _ => today + Duration::days(7 + i as i64),
    };
    let title = match i {
        0 => "Enviar al inversor el informe de compatibilidad urbanística",
        1 => "Preparar la visita a las parcelas propuestas",
        _ => "Llamar al inversor para revisar el calendario",
    };
    let stamp = db::now();
    sqlx::query(
        "INSERT INTO tasks (id, project_id, title, notes, due_on, owner_id, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, '', $4, $5, $5, 1, $6, $6)",
    )
    .bind(db::new_id())
    .bind(project)
    .bind(title)
    .bind(besaya_domain::directory::format_date(due))
    .bind(owner)
    .bind(&stamp)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn proposals(
    conn: &mut AnyConnection,
    project: &str,
    owner: &str,
    sites: &[String],
    i: usize,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let feedback = [Some("interested"), Some("not_interested"), None];
    for (n, site) in sites.iter().skip(i * 3).take(3).enumerate() {
        let at = db::timestamp(now - Duration::days(12 - n as i64));
        let fb = feedback[n % feedback.len()];
        sqlx::query(
            "INSERT INTO site_proposals (id, project_id, site_id, note, proposed_by, proposed_at, feedback, feedback_comment, feedback_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $6, $6)",
        )
        .bind(db::new_id())
        .bind(project)
        .bind(site)
        .bind("Cumple la superficie y la potencia pedidas.")
        .bind(owner)
        .bind(&at)
        .bind(fb)
        .bind(fb.map(|f| match f {
            "interested" => "Nos interesa: ¿podemos visitarla el mes que viene?",
            _ => "Demasiado lejos de la autovía para nuestro tráfico de camiones.",
        }))
        .bind(fb.map(|_| at.clone()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn inquiries(
    conn: &mut AnyConnection,
    staff: &[String],
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let rows = [
        (
            "Jan Kowalski",
            "jan.kowalski@example.com",
            "Baltic Steel Components (demo)",
            "PL",
            "We are looking for 5,000 m² with 1 MW for a galvanising line. What is available near Torrelavega?",
            "en",
            3,
        ),
        (
            "Ana Belén Ortiz",
            "ana.ortiz@example.com",
            "Quesería La Vega (demo)",
            "ES",
            "Buscamos una nave de unos 1.500 m² con agua abundante para ampliar la producción.",
            "es",
            60,
        ),
    ];
    for (n, (name, email, company, country, message, lang, hours)) in rows.iter().enumerate() {
        let at = db::timestamp(now - Duration::hours(*hours));
        sqlx::query(
            "INSERT INTO inquiries (id, name, email, company, country, message, lang, consent_text, consent_at, status, owner_id, received_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $9, 1, $9, $9)",
        )
        .bind(db::new_id())
        .bind(*name)
        .bind(*email)
        .bind(*company)
        .bind(*country)
        .bind(*message)
        .bind(*lang)
        .bind("Acepto que la Oficina trate mis datos para responder a esta consulta.")
        .bind(&at)
        .bind(&staff[n % staff.len()])
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_paths_follow_the_allowed_moves() {
        for p in &PROJECTS {
            let (path, held) = path_to(p.stage);
            assert_eq!(path.first(), Some(&Stage::Inquiry));
            assert_eq!(path.last(), Some(&p.stage));
            let mut held_now = None;
            for w in path.windows(2) {
                assert!(
                    office::can_move(w[0], held_now, w[1]),
                    "{} → {}",
                    w[0],
                    w[1]
                );
                held_now = office::held_from_after(w[0], held_now, w[1]);
            }
            assert_eq!(held_now, held);
            assert_eq!(p.stage.needs_reason(), p.reason.is_some());
        }
        for p in &PROJECTS {
            let r: crate::sites::api::MatchRequest =
                serde_json::from_str(p.requirements).unwrap_or_else(|e| panic!("{}: {e}", p.code));
            let back = serde_json::to_value(&r).unwrap();
            assert!(back.is_object(), "{}", p.code);
        }
        let stages: std::collections::HashSet<Stage> = PROJECTS.iter().map(|p| p.stage).collect();
        assert_eq!(
            stages.len(),
            Stage::ALL.len(),
            "one demo project in every stage"
        );
    }
}
