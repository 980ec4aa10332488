//! The records of procedures: catalogue entries ([`Template`]), a project's
//! procedures ([`Procedure`]) with their events ([`ProcEvent`]), the plan of a
//! project ([`PlanView`]), the checklist ([`ChecklistEntry`]), local holidays, and
//! who may do what with a procedure ([`procedure_access`]).

use besaya_domain::Role;
use besaya_domain::procedures::{EventKind, Reason, Silence, Status, Term, TermUnit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::User;
use crate::i18n::Lang;
use crate::office::policy::Access;
use crate::web::invalid::Messages;

/// Validation messages of procedures: `office-proc-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcMessages;

impl Messages for ProcMessages {
    const PREFIX: &'static str = "office-proc-err-";
}

/// One invalid field of a procedure, a template, an event or a local holiday.
pub type Invalid = crate::web::invalid::Invalid<ProcMessages>;

/// The levels of government (or bodies) that decide procedures.
pub const LEVELS: [&str; 5] = ["council", "region", "state", "registry", "operator"];

/// An entry of the procedure catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Template {
    pub id: String,
    /// Stable short code (`building_licence`).
    pub code: String,
    pub name_es: String,
    pub name_en: String,
    /// `council`, `region`, `state`, `registry` or `operator`.
    pub level: String,
    /// Who decides, in words.
    pub authority_es: String,
    pub authority_en: String,
    /// The administration proposed when the procedure is added to a project.
    pub administration_org_id: Option<String>,
    pub administration_name: Option<String>,
    pub administration_dir3: Option<String>,
    pub legal_basis: String,
    pub source_url: Option<String>,
    /// The maximum term: `term_value` `term_unit`.
    pub term_value: i64,
    /// `business_days`, `calendar_days` or `months`.
    pub term_unit: String,
    /// False: the term is to be confirmed.
    pub term_confirmed: bool,
    /// What silence means once the term has passed: `positive` or `negative`.
    pub silence: String,
    /// The checklist proposes it to projects whose CNAE code starts with one of
    /// these (digits; empty: any activity)...
    pub rule_cnae_prefixes: Vec<String>,
    /// ... and that ask for at least this power (kVA; `null`: any).
    pub rule_min_power_kva: Option<f64>,
    pub notes_es: String,
    pub notes_en: String,
    pub active: bool,
    pub position: i64,
    /// The templates this one waits for (ids).
    pub depends_on: Vec<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Template {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
        }
    }

    pub fn authority(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.authority_es,
            Lang::En => &self.authority_en,
        }
    }

    pub fn notes(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.notes_es,
            Lang::En => &self.notes_en,
        }
    }

    pub fn term(&self) -> Option<Term> {
        Some(Term {
            value: u32::try_from(self.term_value).ok().filter(|v| *v > 0)?,
            unit: TermUnit::parse(&self.term_unit)?,
        })
    }

    pub fn silence(&self) -> Option<Silence> {
        Silence::parse(&self.silence)
    }
}

/// The fields of a catalogue entry, as the API and the form send them. On
/// `PATCH` the current entry is merged with the patch (RFC 7386) and validated whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    /// 2–60 characters: lower-case letters, digits and `_`; unique.
    pub code: Option<String>,
    pub name_es: Option<String>,
    pub name_en: Option<String>,
    /// `council`, `region`, `state`, `registry` or `operator`.
    pub level: Option<String>,
    pub authority_es: Option<String>,
    pub authority_en: Option<String>,
    /// An organisation of kind `administration` (or any organisation for operators).
    pub administration_org_id: Option<String>,
    pub legal_basis: Option<String>,
    /// `https://...`
    pub source_url: Option<String>,
    /// 1–3650.
    pub term_value: Option<i64>,
    /// `business_days`, `calendar_days` or `months`.
    pub term_unit: Option<String>,
    /// Default false: the term is to be confirmed.
    pub term_confirmed: Option<bool>,
    /// `positive` or `negative`.
    pub silence: Option<String>,
    /// CNAE prefixes (digits, e.g. "24", "2351").
    pub rule_cnae_prefixes: Option<Vec<String>>,
    /// kVA, 0–10,000,000.
    pub rule_min_power_kva: Option<f64>,
    pub notes_es: Option<String>,
    pub notes_en: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    pub position: Option<i64>,
    /// Ids of the templates this one waits for (no cycles).
    pub depends_on: Option<Vec<String>>,
}

impl From<&Template> for TemplateInput {
    fn from(t: &Template) -> Self {
        Self {
            code: Some(t.code.clone()),
            name_es: Some(t.name_es.clone()),
            name_en: Some(t.name_en.clone()),
            level: Some(t.level.clone()),
            authority_es: Some(t.authority_es.clone()),
            authority_en: Some(t.authority_en.clone()),
            administration_org_id: t.administration_org_id.clone(),
            legal_basis: Some(t.legal_basis.clone()),
            source_url: t.source_url.clone(),
            term_value: Some(t.term_value),
            term_unit: Some(t.term_unit.clone()),
            term_confirmed: Some(t.term_confirmed),
            silence: Some(t.silence.clone()),
            rule_cnae_prefixes: Some(t.rule_cnae_prefixes.clone()),
            rule_min_power_kva: t.rule_min_power_kva,
            notes_es: Some(t.notes_es.clone()),
            notes_en: Some(t.notes_en.clone()),
            active: Some(t.active),
            position: Some(t.position),
            depends_on: Some(t.depends_on.clone()),
        }
    }
}

/// A catalogue entry once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTemplate {
    pub code: String,
    pub name_es: String,
    pub name_en: String,
    pub level: String,
    pub authority_es: String,
    pub authority_en: String,
    pub administration_org_id: Option<String>,
    pub legal_basis: String,
    pub source_url: Option<String>,
    pub term: Term,
    pub term_confirmed: bool,
    pub silence: Silence,
    /// Digits only, without duplicates.
    pub rule_cnae_prefixes: Vec<String>,
    pub rule_min_power_kva: Option<f64>,
    pub notes_es: String,
    pub notes_en: String,
    pub active: bool,
    pub position: i64,
    pub depends_on: Vec<String>,
}

/// A procedure of a project, with where it stands today (Europe/Madrid).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Procedure {
    pub id: String,
    pub project_id: String,
    /// The project's code name (never the investor's name).
    pub project_code_name: String,
    /// The project's CNAE code (what the administration needs to know of the activity).
    pub project_cnae_code: Option<String>,
    /// The catalogue entry it came from (`null` once that entry is deleted).
    pub template_id: Option<String>,
    pub template_code: Option<String>,
    pub name_es: String,
    pub name_en: String,
    /// The administration that holds it.
    pub administration_org_id: String,
    pub administration_name: String,
    pub administration_dir3: Option<String>,
    pub legal_basis: String,
    pub term_value: i64,
    /// `business_days`, `calendar_days` or `months`.
    pub term_unit: String,
    /// `positive` or `negative`: what silence means at the due date.
    pub silence: String,
    /// The administration's file number.
    pub file_reference: Option<String>,
    /// `pending`, `filed`, `running`, `paused`, `granted`, `denied`,
    /// `silence_positive`, `silence_negative`.
    pub status: String,
    /// `YYYY-MM-DD`.
    pub filed_on: Option<String>,
    /// The day the file was complete (the clock runs from the next day).
    pub started_on: Option<String>,
    /// The legal due date (`null` before the file is complete and while paused).
    pub due_on: Option<String>,
    pub resolved_on: Option<String>,
    /// Term units run by today, pauses left out.
    pub elapsed: u32,
    /// Term units left until the due date (negative: overdue).
    pub remaining: Option<i64>,
    /// Running past its due date without a decision.
    pub overdue: bool,
    /// For a resolved procedure: decided on or before the due date.
    pub within_term: Option<bool>,
    /// The procedures of the same project this one waits for (ids).
    pub depends_on: Vec<String>,
    pub notes: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Procedure {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
        }
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Pending)
    }

    pub fn term(&self) -> Term {
        Term {
            value: u32::try_from(self.term_value).unwrap_or(1).max(1),
            unit: TermUnit::parse(&self.term_unit).unwrap_or(TermUnit::BusinessDays),
        }
    }

    pub fn silence_kind(&self) -> Silence {
        Silence::parse(&self.silence).unwrap_or(Silence::Negative)
    }
}

/// One event of a procedure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcEvent {
    pub id: String,
    pub procedure_id: String,
    /// `filed`, `complete`, `correction_requested`, `corrected`, `granted`,
    /// `denied`, `silence`, `note`.
    pub kind: String,
    /// The date the law counts (`YYYY-MM-DD`).
    pub on_date: String,
    pub note: String,
    /// The project document handed in or requested with the event.
    pub document_id: Option<String>,
    pub document_title: Option<String>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// When it was recorded.
    pub at: String,
}

/// One procedure laid on the calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRow {
    pub procedure_id: String,
    pub name_es: String,
    pub name_en: String,
    pub administration_name: String,
    pub status: String,
    /// When it started or is expected to (`YYYY-MM-DD`).
    pub start: String,
    /// When it ended or is expected to end (`YYYY-MM-DD`).
    pub end: String,
    /// On the critical path.
    pub critical: bool,
}

impl PlanRow {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
        }
    }
}

/// A project's procedures on the calendar with the critical path.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PlanView {
    pub items: Vec<PlanRow>,
    /// The critical path: procedure ids, first to last.
    pub path: Vec<String>,
    /// The expected date of the last decision (`YYYY-MM-DD`).
    pub last: Option<String>,
}

/// One catalogue entry as the checklist proposes it (or not) for a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistEntry {
    pub template: Template,
    /// The entry applies to the project's characteristics.
    pub applies: bool,
    /// Why: `{"reason": "always" | "cnae_in" (prefix) | "cnae_outside" | "no_cnae" |
    /// "power_at_least" (min) | "power_below" (min) | "no_power" (min)}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    /// The project already has a procedure from this entry.
    pub added: bool,
}

/// A local holiday of a municipality: the clocks of its administrations skip it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalHoliday {
    pub id: String,
    /// INE code of the municipality.
    pub municipality_code: String,
    pub municipality_name: String,
    /// `YYYY-MM-DD`.
    pub on_date: String,
    pub name_es: String,
    pub name_en: String,
}

impl LocalHoliday {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.name_es,
            Lang::En => &self.name_en,
        }
    }
}

/// What a user may do with one procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProcAccess {
    /// May see it (always true when access is given).
    pub see: bool,
    /// Office staff or administrator with edit rights on the project: everything.
    pub office: bool,
    /// A user of the administration that holds it: records the file's steps and
    /// decisions, sets the file reference.
    pub administration: bool,
    /// The project's investor: reads, hands in corrections, adds notes.
    pub investor: bool,
    /// May see the project's details (investor, description, figures); an
    /// administration sees the code name and the CNAE code only.
    pub see_project_details: bool,
}

impl ProcAccess {
    /// Whether this user may record an event of `kind` (whatever the status).
    pub fn may_record(&self, kind: EventKind) -> bool {
        use EventKind as E;
        if self.office {
            return true;
        }
        let mut ok = false;
        if self.administration {
            ok |= matches!(
                kind,
                E::Filed
                    | E::Complete
                    | E::CorrectionRequested
                    | E::Granted
                    | E::Denied
                    | E::Silence
                    | E::Note
            );
        }
        if self.investor {
            ok |= matches!(kind, E::Corrected | E::Note);
        }
        ok
    }

    /// The events `status` allows that this user may record.
    pub fn recordable(&self, status: Status) -> Vec<EventKind> {
        status
            .allowed()
            .iter()
            .copied()
            .filter(|k| self.may_record(*k))
            .collect()
    }

    /// Change the administration, dependencies, notes, or delete it.
    pub fn may_edit(&self) -> bool {
        self.office
    }

    /// Set the file reference (the office and the administration).
    pub fn may_set_file_reference(&self) -> bool {
        self.office || self.administration
    }
}

/// What `user` may do with `proc`, given the user's access to its project
/// (`policy::access`, `None` for users outside the project); `None`: answer 404.
pub fn procedure_access(
    user: &User,
    proc: &Procedure,
    project_access: Option<Access>,
) -> Option<ProcAccess> {
    let administration = user.role == Role::PactMember
        && user.organization_ids.contains(&proc.administration_org_id);
    match project_access {
        Some(a) if a.investor => Some(ProcAccess {
            see: true,
            office: false,
            administration: false,
            investor: true,
            see_project_details: true,
        }),
        Some(a) if user.role.is_office() => Some(ProcAccess {
            see: true,
            office: a.edit,
            administration: false,
            investor: false,
            see_project_details: a.see_investor,
        }),
        _ if administration => Some(ProcAccess {
            see: true,
            office: false,
            administration: true,
            investor: false,
            see_project_details: false,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, orgs: &[&str]) -> User {
        User {
            id: "u".into(),
            email: "u@besaya.test".into(),
            name: "U".into(),
            role,
            lang: Lang::Es,
            version: 1,
            organization_ids: orgs.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn procedure() -> Procedure {
        Procedure {
            id: "p".into(),
            project_id: "x".into(),
            project_code_name: "Acebo".into(),
            project_cnae_code: None,
            template_id: None,
            template_code: None,
            name_es: "Licencia".into(),
            name_en: "Licence".into(),
            administration_org_id: "council".into(),
            administration_name: "Council".into(),
            administration_dir3: None,
            legal_basis: String::new(),
            term_value: 3,
            term_unit: "months".into(),
            silence: "negative".into(),
            file_reference: None,
            status: "running".into(),
            filed_on: None,
            started_on: None,
            due_on: None,
            resolved_on: None,
            elapsed: 0,
            remaining: None,
            overdue: false,
            within_term: None,
            depends_on: Vec::new(),
            notes: String::new(),
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn who_records_what() {
        let p = procedure();
        let council = procedure_access(&user(Role::PactMember, &["council"]), &p, None);
        let council = council.unwrap_or_default();
        assert!(council.administration && !council.see_project_details);
        assert_eq!(
            council.recordable(Status::Running),
            vec![
                EventKind::CorrectionRequested,
                EventKind::Granted,
                EventKind::Denied,
                EventKind::Silence,
                EventKind::Note
            ]
        );
        assert!(!council.may_record(EventKind::Corrected));
        assert_eq!(
            procedure_access(&user(Role::PactMember, &["region"]), &p, None),
            None
        );
        let investor = Access {
            edit: false,
            see_investor: true,
            investor: true,
        };
        let inv = procedure_access(&user(Role::Investor, &["acme"]), &p, Some(investor));
        let inv = inv.unwrap_or_default();
        assert_eq!(
            inv.recordable(Status::Paused),
            vec![EventKind::Corrected, EventKind::Note]
        );
        assert!(inv.recordable(Status::Running) == vec![EventKind::Note]);
        let outsider = procedure_access(&user(Role::Staff, &[]), &p, Some(Access::default()));
        let outsider = outsider.unwrap_or_default();
        assert!(outsider.see && !outsider.office && !outsider.see_project_details);
        assert!(outsider.recordable(Status::Running).is_empty());
        let admin = Access {
            edit: true,
            see_investor: true,
            investor: false,
        };
        let a = procedure_access(&user(Role::Admin, &[]), &p, Some(admin)).unwrap_or_default();
        assert_eq!(a.recordable(Status::Running).len(), 5);
    }
}
