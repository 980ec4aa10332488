//! The Pact's demo: fictional needs of the district's large firms (the demo
//! organisations of `data/demo_organizations.csv`) with answers in every state,
//! dated back from today in business days (national and Cantabrian holidays) so
//! that the response clock means the same whatever the day they are loaded:
//!
//! - high-voltage maintenance with ISO 9001 (Aceros Trefilados): negotiating, one
//!   answer at the meeting stage, one interested, one declined, one invited;
//! - industrial cleaning (Cauchos y Neumáticos Saja): answered within target;
//! - steel structures EN 1090 (Química Barreda): agreed with 185.000 € awarded
//!   locally, an answer accepted and one rejected, the 3-month follow-ups sent
//!   (the owner's answered) and the 6-month ones to come;
//! - 15 CNC machinists (talent): overdue, nobody answered yet;
//! - more grid capacity at an estate (infrastructure and energy), routed to the
//!   regional development agency, which answered;
//! - a slow activity licence (permit), routed to the Torrelavega council,
//!   shortlisted;
//! - an R&D partner (draft), wooden pallets (submitted, awaiting triage), bulk
//!   transport to the port (closed with a reason), a warehouse to rent (expired).
//!
//! Two company users without password (an administrator sends them a reset link):
//! the purchasing desk of Aceros Trefilados and the bids desk of Ingeniería
//! Eléctrica Polanco, the ISO 9001 electrical contractor. Loaded once: a second
//! run finds the first need and adds nothing.

use std::collections::HashMap;

use besaya_domain::pact::follow_up_dates;
use serde_json::json;
use sqlx::AnyConnection;
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::db::{self, Db};
use crate::office::procedures::calendar;
use crate::office::work::madrid;

/// The purchasing user of Aceros Trefilados del Besaya (company, no password).
pub const TRACTOR_USER_EMAIL: &str = "compras@atrebesa.demo.invalid";
/// The bids user of Ingeniería Eléctrica Polanco (company, no password).
pub const CONTRACTOR_USER_EMAIL: &str = "ofertas@iep-polanco.demo.invalid";

const ATREBESA: &str = "A39001011";
const SAJA: &str = "B39001029";
const BARREDA: &str = "A39001037";
const IEP: &str = "B39001078";
const MONTAJES_ELECTRICOS: &str = "B39001441";
const BOBINADOS: &str = "B39001391";
const ANIEVAS: &str = "B39001409";
const LIMPIEZAS_NORTE: &str = "B39001805";
const LIMPIEZAS_BUELNA: &str = "B39001813";
const ESTRUCTURAS_BUELNA: &str = "B39001318";
const TARSOLA: &str = "B39001292";
const CIFP: &str = "Q3900112H";
const IES_BUELNA: &str = "Q3900232D";
const ADIC: &str = "Q3900218C";
const TORRELAVEGA: &str = "P3900109D";
const TRANSPORT: &str = "B39001946";

const FIRST_TITLE: &str =
    "Mantenimiento preventivo de subestaciones y centros de transformación (alta tensión)";

/// The day `n` business days before `today`.
fn business_days_ago(today: Date, n: u32) -> Date {
    let h = calendar::national();
    let mut d = today;
    let mut left = n;
    while left > 0 {
        d = d.previous_day().unwrap_or(d);
        if h.is_business_day(d) {
            left -= 1;
        }
    }
    d
}

/// A stored timestamp: `day` at `hour`:00 in Madrid.
fn at(day: Date, hour: u8) -> String {
    let t = Time::from_hms(hour.min(23), 0, 0).unwrap_or(Time::MIDNIGHT);
    db::timestamp(madrid::from_local(PrimitiveDateTime::new(day, t)))
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// One demo answer: the organisation, its steps (business days ago), its texts.
struct DemoAnswer {
    org: &'static str,
    status: &'static str,
    invited: u32,
    /// The expression of interest (or the refusal).
    answered: Option<u32>,
    /// Shortlisted, meeting asked, accepted/rejected.
    decided: Option<u32>,
    proposal: &'static str,
    questions: &'static str,
    presentation: &'static str,
    offer_text: &'static str,
    offer_eur: Option<i64>,
    /// Both sides consented (identities released).
    released: bool,
}

const fn invited(org: &'static str, invited: u32) -> DemoAnswer {
    DemoAnswer {
        org,
        status: "invited",
        invited,
        answered: None,
        decided: None,
        proposal: "",
        questions: "",
        presentation: "",
        offer_text: "",
        offer_eur: None,
        released: false,
    }
}

struct DemoNeed {
    owner: &'static str,
    by_tractor_user: bool,
    kind: &'static str,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    cnae: &'static str,
    cpv: &'static str,
    certifications: &'static [&'static str],
    quantity: Option<&'static str>,
    recurrence: Option<&'static str>,
    municipality: &'static str,
    min_size: Option<&'static str>,
    anonymous: bool,
    status: &'static str,
    /// Business days ago: created, submitted, published.
    created: u32,
    submitted: Option<u32>,
    published: Option<u32>,
    /// Deadline in calendar days from today (negative: past).
    deadline_days: i64,
    routed: Option<&'static str>,
    broker: Option<&'static str>,
    answers: Vec<DemoAnswer>,
    /// Closed (business days ago, reason), agreed (business days ago, €).
    closed: Option<(u32, &'static str)>,
    agreed: Option<(u32, i64)>,
}

fn needs() -> Vec<DemoNeed> {
    vec![
        DemoNeed {
            owner: ATREBESA,
            by_tractor_user: true,
            kind: "service",
            title: FIRST_TITLE,
            summary: "Contrato anual de mantenimiento preventivo y correctivo de dos subestaciones de 55 kV y doce centros de transformación de la planta de Tanos, con empresa certificada ISO 9001.",
            description: "Buscamos una empresa instaladora de alta tensión de la comarca para el mantenimiento de nuestras instalaciones eléctricas: revisiones reglamentarias, termografías, ensayos de aceite de transformadores, mantenimiento de celdas y atención de averías 24 horas con presencia en planta en menos de dos horas. Se exige certificación ISO 9001 vigente y personal con formación en trabajos en tensión.",
            cnae: "4321,3314",
            cpv: "50711000-2",
            certifications: &["ISO 9001"],
            quantity: Some("2 subestaciones y 12 centros de transformación"),
            recurrence: Some("yearly"),
            municipality: "39087",
            min_size: Some("small"),
            anonymous: true,
            status: "negotiating",
            created: 16,
            submitted: Some(15),
            published: Some(14),
            deadline_days: 60,
            routed: None,
            broker: Some("lucia.fernandez@oficina.demo.invalid"),
            answers: vec![
                DemoAnswer {
                    org: IEP,
                    status: "meeting",
                    invited: 14,
                    answered: Some(12),
                    decided: Some(6),
                    proposal: "Mantenimiento integral con dos brigadas de alta tensión, plan de revisiones reglamentarias y guardia 24 horas desde Polanco (15 minutos de la planta).",
                    questions: "¿Disponen de los protocolos de las últimas inspecciones periódicas? ¿Hay paradas programadas en verano?",
                    presentation: "Ingeniería e instaladora eléctrica con 54 personas, certificada ISO 9001 e ISO 45001, con contratos de mantenimiento en tres plantas químicas de la comarca.",
                    offer_text: "Oferta anual cerrada con las revisiones y bolsa de 200 horas para correctivos.",
                    offer_eur: Some(96_000),
                    released: true,
                },
                DemoAnswer {
                    org: MONTAJES_ELECTRICOS,
                    status: "interested",
                    invited: 14,
                    answered: Some(11),
                    decided: None,
                    proposal: "Revisiones y correctivos de alta tensión con nuestras brigadas de redes; termografía subcontratada.",
                    questions: "¿Se admite una certificación ISO 9001 en trámite (auditoría en febrero)?",
                    presentation: "Contratista de redes de media y alta tensión de Los Corrales de Buelna.",
                    offer_text: "",
                    offer_eur: None,
                    released: false,
                },
                DemoAnswer {
                    org: BOBINADOS,
                    status: "declined",
                    invited: 14,
                    answered: Some(13),
                    decided: None,
                    proposal: "",
                    questions: "",
                    presentation: "",
                    offer_text: "",
                    offer_eur: None,
                    released: false,
                },
                invited(ANIEVAS, 14),
            ],
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: SAJA,
            by_tractor_user: false,
            kind: "service",
            title: "Limpieza industrial de naves de mezclado y vulcanizado",
            summary: "Limpieza semanal de las naves de mezclado y de prensas, y limpieza a fondo en las dos paradas anuales, con retirada de negro de humo y restos de caucho.",
            description: "Servicio de limpieza industrial con equipos de aspiración de alta potencia e hidrolimpieza, personal formado en espacios confinados y gestión de los residuos por gestor autorizado.",
            cnae: "8122",
            cpv: "90911300-9",
            certifications: &["ISO 14001"],
            quantity: Some("8.000 m² semanales y 2 paradas al año"),
            recurrence: Some("weekly"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "answered",
            created: 11,
            submitted: Some(10),
            published: Some(9),
            deadline_days: 45,
            routed: None,
            broker: Some("marcos.diaz@oficina.demo.invalid"),
            answers: vec![
                DemoAnswer {
                    org: LIMPIEZAS_NORTE,
                    status: "interested",
                    invited: 9,
                    answered: Some(6),
                    decided: None,
                    proposal: "Equipo fijo de cuatro personas en turno de noche y camión aspirador para las paradas.",
                    questions: "¿Qué ventana horaria tienen las naves de prensas?",
                    presentation: "Empresa de limpieza industrial de Torrelavega con clientes en la química y el metal.",
                    offer_text: "Tarifa mensual fija más las paradas por presupuesto.",
                    offer_eur: Some(7_500),
                    released: false,
                },
                invited(LIMPIEZAS_BUELNA, 9),
            ],
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: BARREDA,
            by_tractor_user: false,
            kind: "supply",
            title: "Estructuras metálicas EN 1090 para el nuevo almacén de graneles",
            summary: "Fabricación y montaje de 120 t de estructura metálica en clase de ejecución EXC2 para un almacén de graneles, con marcado CE según EN 1090.",
            description: "Pórticos, correas y arriostramientos en acero S355 galvanizado, con planos de taller a cargo del fabricante y montaje en la planta de Barreda.",
            cnae: "2511",
            cpv: "44212300-7",
            certifications: &["EN 1090-2"],
            quantity: Some("120 t"),
            recurrence: Some("one_off"),
            municipality: "39087",
            min_size: None,
            anonymous: false,
            status: "agreed",
            created: 112,
            submitted: Some(111),
            published: Some(110),
            deadline_days: -60,
            routed: None,
            broker: Some("lucia.fernandez@oficina.demo.invalid"),
            answers: vec![
                DemoAnswer {
                    org: ESTRUCTURAS_BUELNA,
                    status: "accepted",
                    invited: 110,
                    answered: Some(107),
                    decided: Some(88),
                    proposal: "Fabricación en nuestro taller de Barros y montaje con grúa propia en seis semanas.",
                    questions: "¿Está disponible el estudio geotécnico para las placas de anclaje?",
                    presentation: "Fabricante de estructuras con certificado EN 1090-2 hasta EXC3 e ISO 9001.",
                    offer_text: "Precio cerrado por tonelada montada.",
                    offer_eur: Some(185_000),
                    released: true,
                },
                DemoAnswer {
                    org: TARSOLA,
                    status: "rejected",
                    invited: 110,
                    answered: Some(106),
                    decided: Some(90),
                    proposal: "Fabricación de la estructura; el montaje, con un socio.",
                    questions: "",
                    presentation: "Calderería de Tanos.",
                    offer_text: "",
                    offer_eur: Some(199_000),
                    released: false,
                },
            ],
            closed: None,
            agreed: Some((88, 185_000)),
        },
        DemoNeed {
            owner: ATREBESA,
            by_tractor_user: true,
            kind: "talent",
            title: "15 operarios de mecanizado CNC para el nuevo taller de hileras",
            summary: "Quince personas con formación en mecanizado CNC (torno y centro de mecanizado) para el taller de hileras que abre en primavera, a tres turnos.",
            description: "Buscamos centros de formación y empresas de empleo de la comarca que puedan formar o aportar perfiles de mecanizado CNC (Fanuc y Heidenhain), con prácticas en la planta.",
            cnae: "2562",
            cpv: "",
            certifications: &[],
            quantity: Some("15 personas"),
            recurrence: Some("one_off"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "published",
            created: 16,
            submitted: Some(15),
            published: Some(14),
            deadline_days: 30,
            routed: None,
            broker: Some("marcos.diaz@oficina.demo.invalid"),
            answers: vec![invited(CIFP, 14), invited(IES_BUELNA, 14)],
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: BARREDA,
            by_tractor_user: false,
            kind: "infrastructure_energy",
            title: "Ampliar 20 MW la potencia eléctrica disponible en el polígono de Barreda",
            summary: "La electrificación de las calderas exige 20 MW más de potencia de acceso; pedimos un calendario de refuerzo de la red del polígono.",
            description: "Necesitamos conocer la capacidad de acceso disponible en la subestación que alimenta el polígono y los plazos para un refuerzo, para planificar la sustitución de calderas de gas por calderas eléctricas.",
            cnae: "3512",
            cpv: "",
            certifications: &[],
            quantity: Some("20 MW"),
            recurrence: Some("one_off"),
            municipality: "39087",
            min_size: None,
            anonymous: false,
            status: "answered",
            created: 22,
            submitted: Some(21),
            published: Some(20),
            deadline_days: 120,
            routed: Some(ADIC),
            broker: Some("lucia.fernandez@oficina.demo.invalid"),
            answers: vec![DemoAnswer {
                org: ADIC,
                status: "interested",
                invited: 20,
                answered: Some(17),
                decided: None,
                proposal: "Coordinaremos con la distribuidora un estudio de capacidad del nudo y el calendario del refuerzo previsto en el plan de inversiones.",
                questions: "¿Cuál es el perfil de carga previsto y desde qué fecha?",
                presentation: "Agencia regional de desarrollo industrial, gestora del suelo del polígono.",
                offer_text: "",
                offer_eur: None,
                released: false,
            }],
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: SAJA,
            by_tractor_user: false,
            kind: "permit_regulatory",
            title: "Licencia de actividad para la nueva nave de recauchutado",
            summary: "La licencia de actividad de la nave de recauchutado lleva cinco meses en tramitación; pedimos una reunión para desbloquearla.",
            description: "Se presentó la documentación completa; falta el informe de un servicio municipal. Pedimos saber qué falta y un calendario.",
            cnae: "2211",
            cpv: "",
            certifications: &[],
            quantity: None,
            recurrence: None,
            municipality: "39087",
            min_size: None,
            anonymous: false,
            status: "negotiating",
            created: 27,
            submitted: Some(26),
            published: Some(25),
            deadline_days: 90,
            routed: Some(TORRELAVEGA),
            broker: Some("marcos.diaz@oficina.demo.invalid"),
            answers: vec![DemoAnswer {
                org: TORRELAVEGA,
                status: "shortlisted",
                invited: 25,
                answered: Some(21),
                decided: Some(18),
                proposal: "Revisaremos el expediente con el servicio de medio ambiente y propondremos una fecha de resolución.",
                questions: "¿Han presentado el anexo de ruidos actualizado?",
                presentation: "Servicio de licencias del Ayuntamiento.",
                offer_text: "",
                offer_eur: None,
                released: false,
            }],
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: ATREBESA,
            by_tractor_user: true,
            kind: "rnd",
            title: "Socio de I+D para un recubrimiento de alambre sin cromo",
            summary: "Buscamos un grupo de investigación o ingeniería para desarrollar un recubrimiento de pasivado sin cromo para alambre galvanizado.",
            description: "Proyecto de dos años con ensayos en nuestra línea piloto; posible financiación regional.",
            cnae: "7219",
            cpv: "",
            certifications: &[],
            quantity: None,
            recurrence: Some("one_off"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "draft",
            created: 2,
            submitted: None,
            published: None,
            deadline_days: 150,
            routed: None,
            broker: None,
            answers: Vec::new(),
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: SAJA,
            by_tractor_user: false,
            kind: "supply",
            title: "Palés de madera tratada NIMF-15",
            summary: "30.000 palés al año de madera tratada según NIMF-15 para la exportación de neumáticos.",
            description: "Entregas semanales en la planta de Sierrapando; medidas europeas y especiales.",
            cnae: "1624",
            cpv: "44616000-5",
            certifications: &[],
            quantity: Some("30.000 palés al año"),
            recurrence: Some("weekly"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "submitted",
            created: 3,
            submitted: Some(1),
            published: None,
            deadline_days: 60,
            routed: None,
            broker: None,
            answers: Vec::new(),
            closed: None,
            agreed: None,
        },
        DemoNeed {
            owner: BARREDA,
            by_tractor_user: false,
            kind: "service",
            title: "Transporte de graneles al puerto de Santander",
            summary: "Transporte en camión cisterna de carbonato sódico a granel hasta el puerto, 40 viajes por semana.",
            description: "Se piden cisternas de descarga neumática y conductores con ADR.",
            cnae: "4941",
            cpv: "60100000-9",
            certifications: &[],
            quantity: Some("40 viajes por semana"),
            recurrence: Some("ongoing"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "closed",
            created: 42,
            submitted: Some(41),
            published: Some(40),
            deadline_days: 20,
            routed: None,
            broker: Some("lucia.fernandez@oficina.demo.invalid"),
            answers: vec![DemoAnswer {
                org: TRANSPORT,
                status: "declined",
                invited: 40,
                answered: Some(37),
                decided: None,
                proposal: "",
                questions: "",
                presentation: "",
                offer_text: "",
                offer_eur: None,
                released: false,
            }],
            closed: Some((
                30,
                "La empresa lo ha resuelto con su transportista habitual: no hubo oferta local con cisternas de descarga neumática.",
            )),
            agreed: None,
        },
        DemoNeed {
            owner: ATREBESA,
            by_tractor_user: true,
            kind: "land",
            title: "Nave de 2.000 m² en alquiler cerca de Tanos",
            summary: "Nave de almacenaje de unos 2.000 m² con puente grúa, a menos de 5 km de la planta, para dos años.",
            description: "Para almacenar bobinas de alambrón durante la reforma del parque de materias primas.",
            cnae: "6820",
            cpv: "",
            certifications: &[],
            quantity: Some("2.000 m²"),
            recurrence: Some("one_off"),
            municipality: "39087",
            min_size: None,
            anonymous: true,
            status: "expired",
            created: 37,
            submitted: Some(36),
            published: Some(35),
            deadline_days: -10,
            routed: None,
            broker: Some("marcos.diaz@oficina.demo.invalid"),
            answers: Vec::new(),
            closed: None,
            agreed: None,
        },
    ]
}

/// Loads the Pact's demo needs and answers; returns how many needs were added.
pub async fn load(db: &Db) -> anyhow::Result<u64> {
    let mut tx = db.writer().begin().await?;
    let ids = org_ids(&mut tx).await?;
    let Some(atrebesa) = ids.get(ATREBESA).cloned() else {
        // Without the demo directory there is nobody to post needs.
        tx.rollback().await?;
        return Ok(0);
    };
    let tractor_user = company_user(
        &mut tx,
        TRACTOR_USER_EMAIL,
        "Íñigo Sainz Cuesta, compras de Aceros Trefilados (demo)",
        &atrebesa,
    )
    .await?;
    if let Some(iep) = ids.get(IEP) {
        company_user(
            &mut tx,
            CONTRACTOR_USER_EMAIL,
            "Marta Ruiz Gómez, ofertas de Ingeniería Eléctrica Polanco (demo)",
            iep,
        )
        .await?;
    }
    let done: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM needs WHERE title = $1 AND owner_org_id = $2")
            .bind(FIRST_TITLE)
            .bind(&atrebesa)
            .fetch_one(&mut *tx)
            .await?;
    if done > 0 {
        tx.commit().await?;
        return Ok(0);
    }
    let staff: HashMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT email_norm, id FROM users WHERE role IN ('admin', 'staff')",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let today = madrid::today();
    let year = today.year();
    let mut last: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT CAST(last AS BIGINT) FROM need_counters WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(0);
    let mut added = 0;
    for n in needs() {
        let (Some(owner), true) = (
            ids.get(n.owner),
            n.routed.is_none_or(|r| ids.contains_key(r)),
        ) else {
            continue;
        };
        last += 1;
        let reference = format!("NEC-{year}-{last:04}");
        let created_by = n.by_tractor_user.then(|| tractor_user.clone());
        let broker = n.broker.and_then(|b| staff.get(b).cloned());
        insert_need(
            &mut tx, &n, &ids, owner, &reference, created_by, broker, today,
        )
        .await?;
        added += 1;
    }
    sqlx::query(
        "INSERT INTO need_counters (year, last) VALUES ($1, $2) \
         ON CONFLICT (year) DO UPDATE SET last = excluded.last",
    )
    .bind(i64::from(year))
    .bind(last)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(added)
}

async fn org_ids(conn: &mut AnyConnection) -> anyhow::Result<HashMap<&'static str, String>> {
    let mut out = HashMap::new();
    for tax in [
        ATREBESA,
        SAJA,
        BARREDA,
        IEP,
        MONTAJES_ELECTRICOS,
        BOBINADOS,
        ANIEVAS,
        LIMPIEZAS_NORTE,
        LIMPIEZAS_BUELNA,
        ESTRUCTURAS_BUELNA,
        TARSOLA,
        CIFP,
        IES_BUELNA,
        ADIC,
        TORRELAVEGA,
        TRANSPORT,
    ] {
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE tax_id = $1")
                .bind(tax)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(id) = id {
            out.insert(tax, id);
        }
    }
    Ok(out)
}

/// A company user of `org` without password; its id.
async fn company_user(
    conn: &mut AnyConnection,
    email: &str,
    name: &str,
    org: &str,
) -> anyhow::Result<String> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email_norm = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    let id = match found {
        Some(id) => id,
        None => {
            let id = db::new_id();
            let now = db::now();
            sqlx::query(
                "INSERT INTO users (id, email, email_norm, name, role, lang, password_hash, active, version, created_at, updated_at) \
                 VALUES ($1, $2, $2, $3, 'company', 'es', NULL, 1, 1, $4, $4)",
            )
            .bind(&id)
            .bind(email)
            .bind(name)
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
    .bind(org)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A row of the timeline: at, answer, kind, actor, detail.
type Event<'a> = (
    String,
    Option<String>,
    &'a str,
    Option<String>,
    serde_json::Value,
);

#[allow(clippy::too_many_arguments)]
async fn insert_need(
    conn: &mut AnyConnection,
    n: &DemoNeed,
    ids: &HashMap<&'static str, String>,
    owner: &str,
    reference: &str,
    created_by: Option<String>,
    broker: Option<String>,
    today: Date,
) -> anyhow::Result<()> {
    let id = db::new_id();
    let ago = |b: u32| business_days_ago(today, b);
    let created_at = at(ago(n.created), 9);
    let submitted_at = n.submitted.map(|b| at(ago(b), 10));
    let published_at = n.published.map(|b| at(ago(b), 12));
    // The first qualified answer: the earliest expression of interest.
    let first = n
        .answers
        .iter()
        .filter(|a| !matches!(a.status, "invited" | "declined"))
        .filter_map(|a| a.answered)
        .max()
        .map(|b| at(ago(b), 11));
    let deadline = today + Duration::days(n.deadline_days);
    let agreed_at = n.agreed.map(|(b, _)| at(ago(b), 13));
    let closed_at = match (n.closed, n.status) {
        (Some((b, _)), _) => Some(at(ago(b), 13)),
        (None, "expired") => deadline.next_day().map(|d| at(d, 0)),
        _ => None,
    };
    let updated_at = [
        Some(created_at.clone()),
        submitted_at.clone(),
        published_at.clone(),
        first.clone(),
        agreed_at.clone(),
        closed_at.clone(),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or_else(db::now);
    let certs = serde_json::to_string(n.certifications)?;
    let routed = n.routed.and_then(|r| ids.get(r).cloned());
    sqlx::query(
        "INSERT INTO needs (id, reference, kind, title, summary, description, cnae_codes, cpv_codes, \
         required_certifications, quantity, recurrence, municipality_code, deadline, min_size_band, owner_org_id, \
         anonymous, status, close_reason, routed_org_id, broker_id, created_by, submitted_at, published_at, \
         first_answer_at, agreed_at, agreed_amount_cents, closed_at, overdue_notified_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
         $22, $23, $24, $25, $26, $27, NULL, $28, $29, $30)",
    )
    .bind(&id)
    .bind(reference)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.summary)
    .bind(n.description)
    .bind(n.cnae)
    .bind(n.cpv)
    .bind(&certs)
    .bind(n.quantity)
    .bind(n.recurrence)
    .bind(n.municipality)
    .bind(iso(deadline))
    .bind(n.min_size)
    .bind(owner)
    .bind(i64::from(n.anonymous))
    .bind(n.status)
    .bind(n.closed.map(|(_, r)| r))
    .bind(&routed)
    .bind(&broker)
    .bind(&created_by)
    .bind(&submitted_at)
    .bind(&published_at)
    .bind(&first)
    .bind(&agreed_at)
    .bind(n.agreed.map(|(_, eur)| eur * 100))
    .bind(&closed_at)
    .bind(2 + n.answers.len() as i64)
    .bind(&created_at)
    .bind(&updated_at)
    .execute(&mut *conn)
    .await?;

    let mut events: Vec<Event<'_>> = Vec::new();
    let mv = |from: &str, to: &str| json!({ "from": from, "to": to });
    events.push((
        created_at.clone(),
        None,
        "created",
        created_by.clone(),
        json!({}),
    ));
    if let Some(s) = &submitted_at {
        events.push((
            s.clone(),
            None,
            "submitted",
            created_by.clone(),
            mv("draft", "submitted"),
        ));
    }
    if let Some(p) = &published_at {
        events.push((
            p.clone(),
            None,
            "published",
            broker.clone(),
            mv("submitted", "published"),
        ));
    }
    if let Some(f) = &first {
        events.push((
            f.clone(),
            None,
            "answered",
            None,
            mv("published", "answered"),
        ));
    }
    for a in &n.answers {
        let Some(org) = ids.get(a.org) else {
            continue;
        };
        let answer_id = db::new_id();
        let invited_at = at(ago(a.invited), 12);
        let answered_at = a.answered.map(|b| at(ago(b), 11));
        let decided_at = a.decided.map(|b| at(ago(b), 16));
        let qualified = !matches!(a.status, "invited" | "declined");
        let candidate_consent = (a.released || (qualified && a.status != "rejected"))
            .then(|| answered_at.clone())
            .flatten();
        let owner_consent = a.released.then(|| decided_at.clone()).flatten();
        let meeting_at = (a.status == "meeting").then(|| at(today + Duration::days(3), 10));
        let last = [
            Some(invited_at.clone()),
            answered_at.clone(),
            decided_at.clone(),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or_else(|| invited_at.clone());
        sqlx::query(
            "INSERT INTO need_answers (id, need_id, organization_id, status, score, invited_by, invited_at, proposal, \
             questions, presentation, offer_text, offer_amount_cents, answered_at, owner_consent_at, candidate_consent_at, \
             meeting_at, decided_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(&answer_id)
        .bind(&id)
        .bind(org)
        .bind(a.status)
        .bind(&broker)
        .bind(&invited_at)
        .bind(a.proposal)
        .bind(a.questions)
        .bind(a.presentation)
        .bind(a.offer_text)
        .bind(a.offer_eur.map(|e| e * 100))
        .bind(&answered_at)
        .bind(&owner_consent)
        .bind(&candidate_consent)
        .bind(&meeting_at)
        .bind(&decided_at)
        .bind(1 + i64::from(a.answered.is_some()) + i64::from(a.decided.is_some()))
        .bind(&invited_at)
        .bind(&last)
        .execute(&mut *conn)
        .await?;
        let aid = Some(answer_id.clone());
        events.push((
            invited_at.clone(),
            aid.clone(),
            "invited",
            broker.clone(),
            json!({}),
        ));
        if let Some(t) = &answered_at {
            let kind = if a.status == "declined" {
                "declined"
            } else {
                "interested"
            };
            events.push((t.clone(), aid.clone(), kind, None, json!({})));
        }
        if let Some(t) = &decided_at {
            match a.status {
                "shortlisted" | "meeting" | "accepted" => {
                    events.push((
                        t.clone(),
                        aid.clone(),
                        "shortlisted",
                        broker.clone(),
                        json!({}),
                    ));
                    if a.status == "meeting" {
                        events.push((t.clone(), aid.clone(), "meeting", broker.clone(), json!({})));
                    }
                    if a.status == "accepted" {
                        events.push((
                            t.clone(),
                            aid.clone(),
                            "accepted",
                            broker.clone(),
                            json!({}),
                        ));
                    }
                }
                other => events.push((t.clone(), aid.clone(), other, broker.clone(), json!({}))),
            }
        }
        if a.released
            && let Some(t) = &decided_at
        {
            events.push((
                t.clone(),
                aid.clone(),
                "identities_released",
                None,
                json!({}),
            ));
        }
        // The follow-ups of an agreement: 3 and 6 months, both sides; those due, sent.
        if a.status == "accepted"
            && let Some((b, _)) = n.agreed
        {
            for (months, due) in [3_i64, 6].into_iter().zip(follow_up_dates(ago(b))) {
                for side in ["owner", "candidate"] {
                    let sent = (due <= today).then(|| at(due, 9));
                    let (answer, satisfied, answered_at, answered_by) = if sent.is_some()
                        && side == "owner"
                    {
                        (
                            Some(
                                "Plazos cumplidos y buena coordinación en el montaje. Repetiríamos con ellos.",
                            ),
                            Some(1_i64),
                            due.next_day().map(|d| at(d, 17)),
                            created_by.clone(),
                        )
                    } else {
                        (None, None, None, None)
                    };
                    sqlx::query(
                        "INSERT INTO need_followups (id, need_id, answer_id, side, months, due_on, sent_at, answer, \
                         satisfied, answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(db::new_id())
                    .bind(&id)
                    .bind(&answer_id)
                    .bind(side)
                    .bind(months)
                    .bind(iso(due))
                    .bind(&sent)
                    .bind(answer)
                    .bind(satisfied)
                    .bind(&answered_at)
                    .bind(&answered_by)
                    .execute(&mut *conn)
                    .await?;
                }
            }
        }
    }
    match n.status {
        "negotiating" => {
            if let Some(t) = n
                .answers
                .iter()
                .filter_map(|a| a.decided)
                .max()
                .map(|b| at(ago(b), 16))
            {
                events.push((
                    t,
                    None,
                    "negotiating",
                    broker.clone(),
                    mv("answered", "negotiating"),
                ));
            }
        }
        "agreed" => {
            if let Some(t) = &agreed_at {
                events.push((
                    t.clone(),
                    None,
                    "negotiating",
                    broker.clone(),
                    mv("answered", "negotiating"),
                ));
                events.push((
                    t.clone(),
                    None,
                    "agreed",
                    broker.clone(),
                    mv("negotiating", "agreed"),
                ));
            }
        }
        "closed" => {
            if let Some(t) = &closed_at {
                events.push((
                    t.clone(),
                    None,
                    "closed",
                    broker.clone(),
                    mv("published", "closed"),
                ));
            }
        }
        "expired" => {
            if let Some(t) = &closed_at {
                events.push((t.clone(), None, "expired", None, mv("published", "expired")));
            }
        }
        _ => {}
    }
    events.sort_by(|a, b| a.0.cmp(&b.0));
    for (when, answer_id, kind, actor, detail) in events {
        sqlx::query(
            "INSERT INTO need_events (id, need_id, answer_id, kind, actor_id, at, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(db::new_id())
        .bind(&id)
        .bind(answer_id)
        .bind(kind)
        .bind(actor)
        .bind(when)
        .bind(detail.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use besaya_domain::pact::{NeedStatus, response_clock};

    #[test]
    fn the_stories_hold_on_any_day() {
        let h = calendar::national();
        let mut day = time::macros::date!(2026 - 01 - 01);
        for _ in 0..400 {
            let needs = needs();
            for n in &needs {
                assert!(NeedStatus::parse(n.status).is_some(), "{}", n.status);
                if let Some(p) = n.published {
                    let published = business_days_ago(day, p);
                    // On a weekend or holiday, today itself is not counted.
                    let today_counts = i64::from(!h.is_business_day(day));
                    assert_eq!(
                        h.business_days_between(published, day) + today_counts,
                        i64::from(p)
                    );
                }
            }
            // The machinists' need (talent, 10 days) is overdue, the cleaning answered in time.
            let cnc = &needs[3];
            let p = business_days_ago(day, cnc.published.unwrap());
            assert!(response_clock(p, 10, None, day, h).late);
            let cleaning = &needs[1];
            let p = business_days_ago(day, cleaning.published.unwrap());
            let a = business_days_ago(day, cleaning.answers[0].answered.unwrap());
            assert!(!response_clock(p, 5, Some(a), day, h).late);
            // The agreement's 3-month follow-ups are due, the 6-month ones are not.
            let agreed = business_days_ago(day, needs[2].agreed.unwrap().0);
            let [three, six] = follow_up_dates(agreed);
            assert!(three <= day && six > day, "{day}: {three} {six}");
            day = day.next_day().unwrap();
        }
    }
}
