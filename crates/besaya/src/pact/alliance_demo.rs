//! The alliance's demo: the pact's member organisations by college (the demo
//! organisations of `data/demo_organizations.csv`, looked up by tax id) with
//! fictional representatives, the three working groups, their meetings with
//! minutes, attendance and agreements, and the commitments tree in every state
//! shown (planned, in progress, delayed, finished, cancelled), three of them fed
//! by indicators and one private. Dated back from today (meetings at Madrid
//! times): past meetings held, one cancelled, one scheduled ahead.
//!
//! Loaded once, in one transaction: a second run finds the first working group
//! and adds nothing. Without the demo directory it adds nothing either.

use std::collections::HashMap;

use besaya_domain::alliance::College;
use sqlx::AnyConnection;
use time::{Date, Duration, Month, PrimitiveDateTime, Time, Weekday};

use crate::db::{self, Audit, Changes, Db};
use crate::office::work::madrid;
use crate::pact::alliance::{RefKind, next_reference};

/// The name of the first working group: the demo is loaded when it exists.
pub const FIRST_GROUP: &str = "Suelo industrial y energía";

/// Tax ids of the demo organisations in the pact.
const INDUSTRIA: &str = "S3900216G";
const EDUCACION: &str = "S3900217E";
const ADIC: &str = "Q3900218C";
const EMPLEO: &str = "Q3900219A";
const TORRELAVEGA: &str = "P3900109D";
const CORRALES: &str = "P3900205J";
const POLANCO: &str = "P3900203E";
const AEB: &str = "G39001102";
const CAMARA: &str = "Q3900220I";
const ATREBESA: &str = "A39001011";
const SAJA: &str = "B39001029";
const BARREDA: &str = "A39001037";
const FEMETAL: &str = "G39002217";
const TRANSPORTISTAS: &str = "G39002258";
const SINDICATO: &str = "G39001110";
const USMETAL: &str = "G39002274";
const QUIMICA: &str = "G39002282";
const CIFP: &str = "Q3900112H";
const ITMC: &str = "G39001136";

/// The pact was signed this many days before today.
const FOUNDED: i64 = 540;

struct DemoMember {
    tax: &'static str,
    college: College,
    /// Days after the founding.
    joined_after: i64,
    /// Days before today.
    left_ago: Option<i64>,
    notes: &'static str,
    /// E-mail, name; the first is the holder, the others alternates.
    reps: &'static [(&'static str, &'static str)],
}

const MEMBERS: &[DemoMember] = &[
    DemoMember {
        tax: INDUSTRIA,
        college: College::Administrations,
        joined_after: 0,
        left_ago: None,
        notes: "Firmante promotor del Pacto.",
        reps: &[
            (
                "begona.setien@industria.demo.invalid",
                "Begoña Setién Ruiz (demo)",
            ),
            (
                "alvaro.cobo@industria.demo.invalid",
                "Álvaro Cobo Revuelta (demo)",
            ),
        ],
    },
    DemoMember {
        tax: ADIC,
        college: College::Administrations,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[
            (
                "raquel.pellon@adic.demo.invalid",
                "Raquel Pellón Abascal (demo)",
            ),
            (
                "javier.quintana@adic.demo.invalid",
                "Javier Quintana Mazo (demo)",
            ),
        ],
    },
    DemoMember {
        tax: EMPLEO,
        college: College::Administrations,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "luis.bustamante@empleo.demo.invalid",
            "Luis Bustamante Ortiz (demo)",
        )],
    },
    DemoMember {
        tax: EDUCACION,
        college: College::Administrations,
        joined_after: 90,
        left_ago: None,
        notes: "Se incorporó para la mesa de competencias y empleo.",
        reps: &[(
            "marta.collantes@educacion.demo.invalid",
            "Marta Collantes Herrera (demo)",
        )],
    },
    DemoMember {
        tax: TORRELAVEGA,
        college: College::Administrations,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "carmen.villegas@torrelavega.demo.invalid",
            "Carmen Villegas Gómez (demo)",
        )],
    },
    DemoMember {
        tax: CORRALES,
        college: College::Administrations,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "pedro.mantecon@loscorrales.demo.invalid",
            "Pedro Mantecón Díaz (demo)",
        )],
    },
    DemoMember {
        tax: POLANCO,
        college: College::Administrations,
        joined_after: 200,
        left_ago: None,
        notes: "",
        reps: &[(
            "elena.garrido@polanco.demo.invalid",
            "Elena Garrido Sañudo (demo)",
        )],
    },
    DemoMember {
        tax: AEB,
        college: College::Employers,
        joined_after: 0,
        left_ago: None,
        notes: "Preside la mesa de proveedores.",
        reps: &[
            (
                "ignacio.ceballos@aeb.demo.invalid",
                "Ignacio Ceballos Pérez (demo)",
            ),
            (
                "lorena.arce@aeb.demo.invalid",
                "Lorena Arce Gutiérrez (demo)",
            ),
        ],
    },
    DemoMember {
        tax: CAMARA,
        college: College::Employers,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "francisco.hoyos@camara.demo.invalid",
            "Francisco Hoyos Lavín (demo)",
        )],
    },
    DemoMember {
        tax: ATREBESA,
        college: College::Employers,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "sonia.bolado@atrebesa.demo.invalid",
            "Sonia Bolado Fernández (demo)",
        )],
    },
    DemoMember {
        tax: SAJA,
        college: College::Employers,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "ruben.cuesta@saja.demo.invalid",
            "Rubén Cuesta Argumosa (demo)",
        )],
    },
    DemoMember {
        tax: BARREDA,
        college: College::Employers,
        joined_after: 60,
        left_ago: None,
        notes: "",
        reps: &[(
            "patricia.diego@barreda.demo.invalid",
            "Patricia Diego Calderón (demo)",
        )],
    },
    DemoMember {
        tax: FEMETAL,
        college: College::Employers,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "andres.ruiz@femetal.demo.invalid",
            "Andrés Ruiz Sainz (demo)",
        )],
    },
    DemoMember {
        tax: TRANSPORTISTAS,
        college: College::Employers,
        joined_after: 0,
        left_ago: Some(150),
        notes: "Dejó el Pacto al integrarse en la Confederación de Empresarios.",
        reps: &[(
            "jorge.pelayo@transportistas.demo.invalid",
            "Jorge Pelayo Saro (demo)",
        )],
    },
    DemoMember {
        tax: SINDICATO,
        college: College::Unions,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[
            (
                "rosa.gomez@sindicato.demo.invalid",
                "Rosa Gómez Toca (demo)",
            ),
            (
                "miguelangel.portilla@sindicato.demo.invalid",
                "Miguel Ángel Portilla Bezanilla (demo)",
            ),
        ],
    },
    DemoMember {
        tax: USMETAL,
        college: College::Unions,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "jesus.fernandez@usmetal.demo.invalid",
            "Jesús Fernández Cagigas (demo)",
        )],
    },
    DemoMember {
        tax: QUIMICA,
        college: College::Unions,
        joined_after: 120,
        left_ago: None,
        notes: "",
        reps: &[(
            "nuria.saiz@ftquimica.demo.invalid",
            "Nuria Saiz Higuera (demo)",
        )],
    },
    DemoMember {
        tax: CIFP,
        college: College::Others,
        joined_after: 0,
        left_ago: None,
        notes: "",
        reps: &[(
            "teresa.incera@cifpbesaya.demo.invalid",
            "Teresa Incera López (demo)",
        )],
    },
    DemoMember {
        tax: ITMC,
        college: College::Others,
        joined_after: 30,
        left_ago: None,
        notes: "",
        reps: &[(
            "daniel.obregon@itmc.demo.invalid",
            "Daniel Obregón Velarde (demo)",
        )],
    },
];

struct DemoGroup {
    name: &'static str,
    description: &'static str,
    chair: &'static str,
    members: &'static [&'static str],
}

const GROUPS: &[DemoGroup] = &[
    DemoGroup {
        name: FIRST_GROUP,
        description: "Suelo industrial disponible, accesos y capacidad de la red eléctrica en los polígonos de la comarca; comunidades energéticas y autoconsumo compartido.",
        chair: ADIC,
        members: &[
            ADIC,
            INDUSTRIA,
            TORRELAVEGA,
            CORRALES,
            POLANCO,
            AEB,
            ATREBESA,
            BARREDA,
            SINDICATO,
            ITMC,
        ],
    },
    DemoGroup {
        name: "Competencias y empleo",
        description: "Perfiles de difícil cobertura, formación profesional dual y para el empleo, relevo generacional en las plantillas industriales.",
        chair: EMPLEO,
        members: &[
            EMPLEO, EDUCACION, CIFP, AEB, ATREBESA, SAJA, SINDICATO, USMETAL, QUIMICA,
        ],
    },
    DemoGroup {
        name: "Proveedores",
        description: "Compras de las empresas tractoras a proveedores de la comarca: necesidades publicadas en el Pacto, jornadas de encuentro y contratación local.",
        chair: AEB,
        members: &[
            AEB,
            CAMARA,
            FEMETAL,
            ATREBESA,
            SAJA,
            BARREDA,
            ADIC,
            TORRELAVEGA,
            USMETAL,
        ],
    },
];

struct DemoMeeting {
    group: usize,
    title: &'static str,
    /// Days from today (negative: past).
    day: i64,
    status: &'static str,
    place: &'static str,
    agenda: &'static str,
    minutes: &'static str,
    /// The members whose holder came.
    attendees: &'static [&'static str],
    /// A guest without a user account.
    guest: Option<&'static str>,
    agreements: &'static [&'static str],
}

const MEETINGS: &[DemoMeeting] = &[
    DemoMeeting {
        group: 0,
        title: "Sesión constitutiva de la mesa de suelo industrial y energía",
        day: -130,
        status: "held",
        place: "Sala de juntas de la Agencia de Desarrollo Industrial, Torrelavega",
        agenda: "1. Constitución de la mesa y elección de la presidencia.\n2. Diagnóstico del suelo industrial disponible.\n3. Capacidad de la red eléctrica en el polígono de Tanos.\n4. Ruegos y preguntas.",
        minutes: "Se constituye la mesa con la presidencia de la Agencia de Desarrollo Industrial. La Agencia presenta un primer recuento de parcelas libres en Tanos, Barros y Requejada; varios miembros señalan que los datos están dispersos entre ayuntamientos y propietarios privados. Las empresas exponen que dos ampliaciones están paradas por falta de potencia eléctrica en Tanos. Se adoptan los acuerdos que constan.",
        attendees: &[
            ADIC,
            INDUSTRIA,
            TORRELAVEGA,
            CORRALES,
            AEB,
            ATREBESA,
            SINDICATO,
        ],
        guest: Some("Técnico de la distribuidora eléctrica (invitado)"),
        agreements: &[
            "Elaborar y publicar un inventario único del suelo industrial disponible en la comarca, con superficies, servicios y titularidad de cada parcela.",
            "Pedir a la distribuidora eléctrica un plan de refuerzo de la capacidad de acceso a la red en el polígono de Tanos y revisar su avance en cada sesión.",
        ],
    },
    DemoMeeting {
        group: 1,
        title: "Diagnóstico de perfiles de difícil cobertura",
        day: -110,
        status: "held",
        place: "Centro Integrado de Formación Profesional Besaya, aula 3",
        agenda: "1. Constitución de la mesa.\n2. Perfiles que las empresas no encuentran.\n3. Oferta de formación profesional en la comarca.\n4. Propuestas.",
        minutes: "Las empresas señalan el mecanizado CNC, el mantenimiento electromecánico y la soldadura como los perfiles más difíciles de cubrir. El centro de formación ofrece plazas de prácticas y un grupo nuevo si las empresas se comprometen a acoger alumnado. Los sindicatos piden que la formación sea en horario laboral para la plantilla en activo. Se adoptan los acuerdos que constan.",
        attendees: &[
            EMPLEO, EDUCACION, CIFP, AEB, ATREBESA, SAJA, SINDICATO, USMETAL,
        ],
        guest: None,
        agreements: &[
            "Poner en marcha un programa de formación en mecanizado CNC con prácticas en las empresas de la comarca, para 45 personas en dos años.",
            "Crear una bolsa comarcal de empleo industrial compartida entre las empresas del Pacto.",
        ],
    },
    DemoMeeting {
        group: 2,
        title: "Compras locales de las empresas tractoras",
        day: -95,
        status: "held",
        place: "Cámara de Comercio de Torrelavega",
        agenda: "1. Constitución de la mesa.\n2. Cómo publican sus necesidades las empresas tractoras.\n3. Objetivos de compra local.\n4. Jornada de proveedores.",
        minutes: "La Asociación Empresarial presenta el circuito de necesidades del Pacto: las empresas publican lo que buscan y la Oficina invita a proveedores de la comarca. Se acuerda medir dos resultados con los datos de la plataforma: las necesidades respondidas en plazo y los importes adjudicados a empresas locales. La Cámara se ofrece a organizar una jornada de encuentro.",
        attendees: &[AEB, CAMARA, FEMETAL, ATREBESA, SAJA, ADIC, USMETAL],
        guest: None,
        agreements: &[
            "Responder en plazo a las necesidades que las empresas publiquen en el Pacto, con el objetivo de doce necesidades respondidas en plazo este año.",
            "Aumentar las compras de las empresas tractoras a proveedores de la comarca hasta 500.000 € adjudicados a través del Pacto.",
            "Organizar una jornada de encuentro entre empresas tractoras y proveedores de la comarca.",
        ],
    },
    DemoMeeting {
        group: 1,
        title: "Seguimiento del programa de formación",
        day: -50,
        status: "cancelled",
        place: "Centro Integrado de Formación Profesional Besaya, aula 3",
        agenda: "1. Seguimiento del programa de mecanizado CNC.\n2. Bolsa comarcal de empleo.",
        minutes: "",
        attendees: &[],
        guest: None,
        agreements: &[],
    },
    DemoMeeting {
        group: 0,
        title: "Seguimiento del refuerzo eléctrico y comunidad energética",
        day: -35,
        status: "held",
        place: "Videoconferencia",
        agenda: "1. Inventario de suelo industrial: presentación.\n2. Plan de refuerzo de la red en Tanos.\n3. Propuesta de comunidad energética en Barros.",
        minutes: "La Agencia presenta el inventario de suelo, ya publicado. La distribuidora ha entregado el estudio de capacidad, pero el calendario de obras sigue pendiente y el plazo comprometido ha vencido; la mesa pide a la Consejería que medie. El Ayuntamiento de Los Corrales de Buelna propone una comunidad energética en el polígono de Barros con cubiertas de las naves.",
        attendees: &[
            ADIC, INDUSTRIA, CORRALES, POLANCO, AEB, BARREDA, SINDICATO, ITMC,
        ],
        guest: None,
        agreements: &[
            "Impulsar una comunidad energética en el polígono de Barros con las empresas interesadas y el Ayuntamiento de Los Corrales de Buelna.",
        ],
    },
    DemoMeeting {
        group: 1,
        title: "Seguimiento del programa de formación y relevo generacional",
        day: -21,
        status: "held",
        place: "Centro Integrado de Formación Profesional Besaya, aula 3",
        agenda: "1. Seguimiento del programa de mecanizado CNC.\n2. Bolsa comarcal de empleo.\n3. Relevo generacional en las plantillas.",
        minutes: "El primer grupo de quince alumnos ha terminado y doce han sido contratados. El Servicio Regional de Empleo informa de que su portal ya ofrece la bolsa que se quería crear, por lo que la mesa desiste de una bolsa propia. Empresas y sindicatos acuerdan estudiar un plan de relevo generacional; el documento de trabajo es confidencial.",
        attendees: &[EMPLEO, CIFP, AEB, ATREBESA, SAJA, SINDICATO, QUIMICA],
        guest: None,
        agreements: &[
            "Colaborar con el portal de empleo del Servicio Regional de Empleo en lugar de crear una bolsa comarcal propia.",
            "Estudiar con las empresas y los sindicatos un plan de relevo generacional en las plantillas industriales; el documento de trabajo es confidencial hasta su acuerdo.",
        ],
    },
    DemoMeeting {
        group: 2,
        title: "Jornada de proveedores y balance de compras locales",
        day: -14,
        status: "held",
        place: "Cámara de Comercio de Torrelavega",
        agenda: "1. Balance de la jornada de proveedores.\n2. Necesidades respondidas en plazo.\n3. Importes adjudicados a empresas locales.",
        minutes: "La jornada reunió a seis empresas tractoras y cuarenta proveedores. La Oficina presenta los datos de la plataforma: necesidades respondidas en plazo e importes adjudicados a empresas de la comarca, que avanzan hacia los objetivos. Se acuerda repetir la jornada cada año.",
        attendees: &[
            AEB,
            CAMARA,
            FEMETAL,
            ATREBESA,
            BARREDA,
            TORRELAVEGA,
            USMETAL,
        ],
        guest: Some("Responsable de compras de una empresa tractora (invitada)"),
        agreements: &[
            "Repetir cada año la jornada de proveedores y abrirla a los centros de formación.",
        ],
    },
    DemoMeeting {
        group: 0,
        title: "Revisión del inventario de suelo y de la demanda de potencia",
        day: 9,
        status: "scheduled",
        place: "Sala de juntas de la Agencia de Desarrollo Industrial, Torrelavega",
        agenda: "1. Actualización del inventario de suelo industrial.\n2. Calendario de obras de la distribuidora.\n3. Comunidad energética de Barros: empresas interesadas.\n4. Ruegos y preguntas.",
        minutes: "",
        attendees: &[],
        guest: None,
        agreements: &[],
    },
];

/// Where an indicator counts from.
#[derive(Clone, Copy)]
enum Counted {
    AllTime,
    StartOfYear,
    Founding,
}

struct DemoCommitment {
    parent: Option<usize>,
    title: &'static str,
    description: &'static str,
    owner: &'static str,
    /// The meeting (index in `MEETINGS`) where it was decided, and the
    /// agreement (index in that meeting) it comes from.
    decided: usize,
    agreement: Option<usize>,
    reviewed: &'static [usize],
    status: &'static str,
    progress: i64,
    weight: i64,
    /// Days from today.
    starts: i64,
    due: i64,
    indicator: Option<(&'static str, i64, i64, Counted)>,
    public: bool,
    /// Title, due (days from today), done (days from today).
    milestones: &'static [(&'static str, i64, Option<i64>)],
}

const fn node(
    parent: Option<usize>,
    title: &'static str,
    description: &'static str,
    owner: &'static str,
    decided: usize,
) -> DemoCommitment {
    DemoCommitment {
        parent,
        title,
        description,
        owner,
        decided,
        agreement: None,
        reviewed: &[],
        status: "in_progress",
        progress: 0,
        weight: 1,
        starts: -120,
        due: 400,
        indicator: None,
        public: true,
        milestones: &[],
    }
}

fn commitments() -> Vec<DemoCommitment> {
    vec![
        // 0
        DemoCommitment {
            reviewed: &[4],
            ..node(
                None,
                "Suelo industrial y energía para crecer",
                "Que las empresas que quieren ampliar o instalarse encuentren suelo y potencia eléctrica en la comarca.",
                ADIC,
                0,
            )
        },
        // 1
        DemoCommitment {
            agreement: Some(0),
            reviewed: &[4],
            status: "finished",
            progress: 100,
            weight: 2,
            starts: -125,
            due: -40,
            milestones: &[
                ("Recogida de datos de los ayuntamientos", -90, Some(-95)),
                ("Publicación del inventario", -40, Some(-42)),
            ],
            ..node(
                Some(0),
                "Inventario único de suelo industrial disponible",
                "Parcelas libres de los polígonos de la comarca con superficie, servicios y titularidad, publicado y actualizado cada trimestre.",
                ADIC,
                0,
            )
        },
        // 2: delayed (due in the past, not finished)
        DemoCommitment {
            agreement: Some(1),
            reviewed: &[4],
            status: "in_progress",
            progress: 40,
            weight: 3,
            starts: -125,
            due: -20,
            milestones: &[
                ("Estudio de capacidad del nudo de Tanos", -80, Some(-70)),
                ("Calendario de obras de la distribuidora", -20, None),
                ("Entrada en servicio del refuerzo", 200, None),
            ],
            ..node(
                Some(0),
                "Refuerzo de la capacidad eléctrica del polígono de Tanos",
                "Plan de la distribuidora para ampliar la potencia disponible en el polígono, con calendario de obras.",
                INDUSTRIA,
                0,
            )
        },
        // 3: planned
        DemoCommitment {
            agreement: Some(0),
            status: "planned",
            progress: 0,
            weight: 1,
            starts: 30,
            due: 365,
            milestones: &[("Empresas adheridas y estatutos", 120, None)],
            ..node(
                Some(0),
                "Comunidad energética en el polígono de Barros",
                "Autoconsumo compartido con las cubiertas de las naves y el Ayuntamiento.",
                CORRALES,
                4,
            )
        },
        // 4: fed by projects in operation
        DemoCommitment {
            status: "in_progress",
            weight: 1,
            starts: -35,
            due: 300,
            indicator: Some(("projects_operating", 0, 4, Counted::AllTime)),
            ..node(
                Some(0),
                "Proyectos de inversión en funcionamiento en la comarca",
                "Inversiones acompañadas por la Oficina que llegan a operar.",
                ADIC,
                4,
            )
        },
        // 5
        DemoCommitment {
            reviewed: &[5],
            ..node(
                None,
                "Más personas formadas para la industria de la comarca",
                "Cubrir los perfiles que las empresas no encuentran con formación y empleo de la comarca.",
                EMPLEO,
                1,
            )
        },
        // 6
        DemoCommitment {
            agreement: Some(0),
            reviewed: &[5],
            status: "in_progress",
            progress: 55,
            weight: 3,
            starts: -100,
            due: 300,
            milestones: &[
                ("Diseño del programa con las empresas", -80, Some(-85)),
                ("Primer grupo de 15 alumnos", -25, Some(-24)),
                ("Segundo grupo de 15 alumnos", 120, None),
            ],
            ..node(
                Some(5),
                "Programa de formación en mecanizado CNC",
                "45 personas formadas en dos años, con prácticas en las empresas de la comarca.",
                CIFP,
                1,
            )
        },
        // 7: cancelled
        DemoCommitment {
            agreement: Some(1),
            reviewed: &[5],
            status: "cancelled",
            progress: 10,
            weight: 1,
            starts: -100,
            due: 200,
            ..node(
                Some(5),
                "Bolsa comarcal de empleo industrial",
                "Sustituida por la colaboración con el portal del Servicio Regional de Empleo.",
                AEB,
                1,
            )
        },
        // 8: private
        DemoCommitment {
            agreement: Some(1),
            status: "in_progress",
            progress: 20,
            weight: 2,
            starts: -20,
            due: 180,
            public: false,
            milestones: &[("Documento de trabajo con las plantillas", 60, None)],
            ..node(
                Some(5),
                "Plan de relevo generacional en las plantillas industriales",
                "Documento de trabajo confidencial entre empresas y sindicatos hasta su acuerdo.",
                SINDICATO,
                5,
            )
        },
        // 9
        DemoCommitment {
            reviewed: &[6],
            ..node(
                None,
                "Más compras a proveedores de la comarca",
                "Que las empresas tractoras compren más a empresas de la comarca.",
                AEB,
                2,
            )
        },
        // 10: fed by needs answered within target, this year
        DemoCommitment {
            agreement: Some(0),
            reviewed: &[6],
            status: "in_progress",
            weight: 2,
            starts: -95,
            due: 300,
            indicator: Some(("needs_within_target", 0, 12, Counted::StartOfYear)),
            ..node(
                Some(9),
                "Necesidades del Pacto respondidas en plazo",
                "Doce necesidades de las empresas respondidas por proveedores de la comarca dentro del plazo de su tipo.",
                AEB,
                2,
            )
        },
        // 11: fed by euros awarded locally (target 500.000 €)
        DemoCommitment {
            agreement: Some(1),
            reviewed: &[6],
            status: "in_progress",
            weight: 2,
            starts: -95,
            due: 400,
            indicator: Some(("local_awarded", 0, 50_000_000, Counted::Founding)),
            ..node(
                Some(9),
                "500.000 € adjudicados a empresas de la comarca",
                "Importe de los acuerdos de las necesidades del Pacto con proveedores locales.",
                CAMARA,
                2,
            )
        },
        // 12: finished
        DemoCommitment {
            agreement: Some(2),
            reviewed: &[6],
            status: "finished",
            progress: 100,
            weight: 1,
            starts: -95,
            due: -20,
            milestones: &[
                ("Convocatoria a empresas y proveedores", -50, Some(-52)),
                ("Celebración de la jornada", -25, Some(-25)),
            ],
            ..node(
                Some(9),
                "Jornada de encuentro con proveedores de la comarca",
                "Encuentro entre compradores de las empresas tractoras y proveedores locales.",
                CAMARA,
                2,
            )
        },
    ]
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A stored timestamp: `day` at `hour`:00 in Madrid.
fn at(day: Date, hour: u8) -> String {
    let t = Time::from_hms(hour.min(23), 0, 0).unwrap_or(Time::MIDNIGHT);
    db::timestamp(madrid::from_local(PrimitiveDateTime::new(day, t)))
}

/// `today + days`, moved off the weekend (backwards in the past, forwards ahead).
fn weekday(today: Date, days: i64) -> Date {
    let mut d = today + Duration::days(days);
    while matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        d = if days < 0 {
            d - Duration::days(1)
        } else {
            d + Duration::days(1)
        };
    }
    d
}

async fn audit_create(
    conn: &mut AnyConnection,
    entity: &str,
    id: &str,
    changes: Changes,
) -> Result<(), sqlx::Error> {
    Audit {
        actor: None,
        entity,
        entity_id: id,
        action: "create",
        changes,
    }
    .record(conn)
    .await
}

/// A `pact_member` user without password, linked to its organisation; its id.
async fn representative(
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
                 VALUES ($1, $2, $2, $3, 'pact_member', 'es', NULL, 1, 1, $4, $4)",
            )
            .bind(&id)
            .bind(email)
            .bind(name)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
            audit_create(
                conn,
                "user",
                &id,
                Changes::new()
                    .created("email", email)
                    .created("role", "pact_member"),
            )
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

/// Loads the alliance's demo once; returns how many commitments it added.
pub async fn load(db: &Db) -> anyhow::Result<u64> {
    let mut tx = db.writer().begin().await?;
    let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_groups WHERE name = $1")
        .bind(FIRST_GROUP)
        .fetch_one(&mut *tx)
        .await?;
    let mut orgs: HashMap<&'static str, String> = HashMap::new();
    for m in MEMBERS {
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE tax_id = $1")
                .bind(m.tax)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = id {
            orgs.insert(m.tax, id);
        }
    }
    // Loaded already, or no demo directory: nothing to add.
    if done > 0 || orgs.len() < MEMBERS.len() {
        tx.rollback().await?;
        return Ok(0);
    }
    let staff: Option<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE email_norm = 'lucia.fernandez@oficina.demo.invalid'",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let today = madrid::today();
    let founded = today - Duration::days(FOUNDED);

    // Members and their representatives: member id and holder (user id, name).
    let mut members: HashMap<&'static str, String> = HashMap::new();
    let mut holders: HashMap<&'static str, (String, &'static str)> = HashMap::new();
    for m in MEMBERS {
        let org = &orgs[m.tax];
        let id = db::new_id();
        let joined = founded + Duration::days(m.joined_after);
        let left = m.left_ago.map(|d| today - Duration::days(d));
        let created = at(joined, 9);
        let updated = left.map_or_else(|| created.clone(), |l| at(l, 9));
        sqlx::query(
            "INSERT INTO pact_members (id, organization_id, college, joined_on, left_on, notes, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(org)
        .bind(m.college.as_str())
        .bind(iso(joined))
        .bind(left.map(iso))
        .bind(m.notes)
        .bind(1 + i64::from(left.is_some()))
        .bind(&created)
        .bind(&updated)
        .execute(&mut *tx)
        .await?;
        audit_create(
            &mut tx,
            "pact_member",
            &id,
            Changes::new()
                .created("organization_id", org.as_str())
                .created("college", m.college.as_str())
                .created("joined_on", iso(joined))
                .created("left_on", left.map(iso)),
        )
        .await?;
        for (i, (email, name)) in m.reps.iter().enumerate() {
            let user = representative(&mut tx, email, name, org).await?;
            let role = if i == 0 { "holder" } else { "alternate" };
            sqlx::query(
                "INSERT INTO pact_representatives (member_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&id)
            .bind(&user)
            .bind(role)
            .bind(&created)
            .execute(&mut *tx)
            .await?;
            if i == 0 {
                holders.insert(m.tax, (user, *name));
            }
        }
        members.insert(m.tax, id);
    }

    // Working groups, created at the founding.
    let mut groups = Vec::new();
    for g in GROUPS {
        let id = db::new_id();
        let created = at(founded + Duration::days(10), 10);
        sqlx::query(
            "INSERT INTO pact_groups (id, name, description, chair_member_id, archived_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, NULL, 1, $5, $5)",
        )
        .bind(&id)
        .bind(g.name)
        .bind(g.description)
        .bind(&members[g.chair])
        .bind(&created)
        .execute(&mut *tx)
        .await?;
        for m in g.members {
            sqlx::query(
                "INSERT INTO pact_group_members (group_id, member_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(&id)
            .bind(&members[m])
            .bind(&created)
            .execute(&mut *tx)
            .await?;
        }
        audit_create(
            &mut tx,
            "pact_group",
            &id,
            Changes::new()
                .created("name", g.name)
                .created("chair_member_id", members[g.chair].as_str()),
        )
        .await?;
        groups.push(id);
    }

    // Meetings in date order (references follow the calendar), with their
    // attendance and agreements.
    let mut order: Vec<usize> = (0..MEETINGS.len()).collect();
    order.sort_by_key(|&i| MEETINGS[i].day);
    let mut meetings: Vec<(String, Date)> = vec![(String::new(), today); MEETINGS.len()];
    let mut agreements: Vec<Vec<String>> = vec![Vec::new(); MEETINGS.len()];
    for i in order {
        let m = &MEETINGS[i];
        let day = weekday(today, m.day);
        let id = db::new_id();
        let reference = next_reference(&mut tx, RefKind::Meeting, day.year()).await?;
        let created = at(weekday(day, -20), 9);
        let invited = (m.status != "cancelled" || m.day < 0).then(|| at(weekday(day, -14), 9));
        let minutes_sent = (m.status == "held").then(|| at(weekday(day, 3), 12));
        let updated = match m.status {
            "held" => at(weekday(day, 3), 12),
            "cancelled" => at(weekday(day, -2), 13),
            _ => invited.clone().unwrap_or_else(|| created.clone()),
        };
        let version = match m.status {
            "held" => 3,
            "cancelled" => 2,
            _ => 1,
        };
        sqlx::query(
            "INSERT INTO pact_meetings (id, reference, group_id, title, starts_at, ends_at, place, agenda, minutes, status, \
             invitations_sent_at, minutes_sent_at, created_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(&id)
        .bind(&reference)
        .bind(&groups[m.group])
        .bind(m.title)
        .bind(at(day, 10))
        .bind(at(day, 12))
        .bind(m.place)
        .bind(m.agenda)
        .bind(m.minutes)
        .bind(m.status)
        .bind(&invited)
        .bind(&minutes_sent)
        .bind(&staff)
        .bind(version)
        .bind(&created)
        .bind(&updated)
        .execute(&mut *tx)
        .await?;
        audit_create(
            &mut tx,
            "pact_meeting",
            &id,
            Changes::new()
                .created("reference", reference.as_str())
                .created("title", m.title)
                .created("status", m.status),
        )
        .await?;
        let held_at = at(day, 12);
        for tax in m.attendees {
            let Some((user, name)) = holders.get(tax) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO pact_attendance (id, meeting_id, user_id, name, organization_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(db::new_id())
            .bind(&id)
            .bind(user)
            .bind(*name)
            .bind(&orgs[tax])
            .bind(&held_at)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(guest) = m.guest {
            sqlx::query(
                "INSERT INTO pact_attendance (id, meeting_id, user_id, name, organization_id, created_at) \
                 VALUES ($1, $2, NULL, $3, NULL, $4)",
            )
            .bind(db::new_id())
            .bind(&id)
            .bind(guest)
            .bind(&held_at)
            .execute(&mut *tx)
            .await?;
        }
        for (pos, text) in m.agreements.iter().enumerate() {
            let aid = db::new_id();
            let aref = next_reference(&mut tx, RefKind::Agreement, day.year()).await?;
            sqlx::query(
                "INSERT INTO pact_agreements (id, reference, meeting_id, position, text, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(&aid)
            .bind(&aref)
            .bind(&id)
            .bind(pos as i64 + 1)
            .bind(*text)
            .bind(&held_at)
            .execute(&mut *tx)
            .await?;
            audit_create(
                &mut tx,
                "pact_agreement",
                &aid,
                Changes::new()
                    .created("reference", aref.as_str())
                    .created("meeting_id", id.as_str()),
            )
            .await?;
            agreements[i].push(aid);
        }
        meetings[i] = (id, day);
    }

    // The commitments tree, parents first (the list is in that order).
    let list = commitments();
    let start_of_year = Date::from_calendar_date(today.year(), Month::January, 1)?;
    let mut ids: Vec<String> = Vec::new();
    let mut positions: HashMap<Option<usize>, i64> = HashMap::new();
    for c in &list {
        let id = db::new_id();
        let (meeting, decided_day) = &meetings[c.decided];
        let created = at(*decided_day, 13);
        let reference = next_reference(&mut tx, RefKind::Commitment, decided_day.year()).await?;
        let position = positions.entry(c.parent).or_insert(0);
        *position += 1;
        let agreement = c
            .agreement
            .and_then(|a| agreements[c.decided].get(a).cloned());
        let (indicator, baseline, target, from) = match c.indicator {
            Some((code, baseline, target, from)) => (
                Some(code),
                baseline,
                Some(target),
                match from {
                    Counted::AllTime => None,
                    Counted::StartOfYear => Some(iso(start_of_year)),
                    Counted::Founding => Some(iso(founded)),
                },
            ),
            None => (None, 0, None, None),
        };
        let updated = c
            .reviewed
            .iter()
            .map(|&r| at(meetings[r].1, 13))
            .max()
            .unwrap_or_else(|| created.clone());
        sqlx::query(
            "INSERT INTO pact_commitments (id, reference, parent_id, position, title, description, owner_org_id, agreement_id, \
             status, progress, weight, starts_on, due_on, indicator, indicator_baseline, indicator_target, indicator_from, \
             public, version, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
        )
        .bind(&id)
        .bind(&reference)
        .bind(c.parent.and_then(|p| ids.get(p).cloned()))
        .bind(*position)
        .bind(c.title)
        .bind(c.description)
        .bind(&orgs[c.owner])
        .bind(&agreement)
        .bind(c.status)
        .bind(c.progress)
        .bind(c.weight)
        .bind(iso(today + Duration::days(c.starts)))
        .bind(iso(today + Duration::days(c.due)))
        .bind(indicator)
        .bind(baseline)
        .bind(target)
        .bind(&from)
        .bind(i64::from(c.public))
        .bind(1 + c.reviewed.len() as i64)
        .bind(&staff)
        .bind(&created)
        .bind(&updated)
        .execute(&mut *tx)
        .await?;
        audit_create(
            &mut tx,
            "pact_commitment",
            &id,
            Changes::new()
                .created("reference", reference.as_str())
                .created("title", c.title)
                .created("status", c.status)
                .created("indicator", indicator),
        )
        .await?;
        let links = std::iter::once((meeting.as_str(), "decided", created.clone())).chain(
            c.reviewed
                .iter()
                .map(|&r| (meetings[r].0.as_str(), "reviewed", at(meetings[r].1, 13))),
        );
        for (meeting, role, when) in links {
            sqlx::query(
                "INSERT INTO pact_commitment_meetings (commitment_id, meeting_id, role, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&id)
            .bind(meeting)
            .bind(role)
            .bind(when)
            .execute(&mut *tx)
            .await?;
        }
        for (title, due, done) in c.milestones {
            let due_on = today + Duration::days(*due);
            let done_on = done.map(|d| today + Duration::days(d));
            sqlx::query(
                "INSERT INTO pact_milestones (id, commitment_id, title, due_on, done_on, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(db::new_id())
            .bind(&id)
            .bind(*title)
            .bind(iso(due_on))
            .bind(done_on.map(iso))
            .bind(1 + i64::from(done_on.is_some()))
            .bind(&created)
            .bind(done_on.map_or_else(|| created.clone(), |d| at(d, 17)))
            .execute(&mut *tx)
            .await?;
        }
        ids.push(id);
    }
    tx.commit().await?;
    Ok(list.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use besaya_domain::alliance::{CommitmentStatus, Indicator, MeetingStatus};

    #[test]
    fn the_demo_tables_hold_together() {
        let list = commitments();
        for (i, c) in list.iter().enumerate() {
            assert!(c.parent.is_none_or(|p| p < i), "parents first: {}", c.title);
            assert!(CommitmentStatus::parse(c.status).is_some(), "{}", c.status);
            assert!(c.decided < MEETINGS.len());
            assert_eq!(MEETINGS[c.decided].status, "held", "{}", c.title);
            if let Some(a) = c.agreement {
                assert!(a < MEETINGS[c.decided].agreements.len(), "{}", c.title);
            }
            assert!(c.reviewed.iter().all(|&r| MEETINGS[r].status == "held"));
            if let Some((code, _, target, _)) = c.indicator {
                assert!(Indicator::parse(code).is_some() && target > 0);
            }
            assert!(MEMBERS.iter().any(|m| m.tax == c.owner));
        }
        for m in MEETINGS {
            assert!(MeetingStatus::parse(m.status).is_some());
            assert!(m.group < GROUPS.len());
            let group = &GROUPS[m.group];
            assert!(m.attendees.iter().all(|a| group.members.contains(a)));
        }
        for g in GROUPS {
            assert!(g.members.contains(&g.chair));
            assert!(
                g.members
                    .iter()
                    .all(|t| MEMBERS.iter().any(|m| m.tax == *t && m.left_ago.is_none()))
            );
        }
    }
}
