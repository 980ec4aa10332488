//! The directory's organisations as the ranking reads them ([`profile_of`]),
//! a need as a ranking query ([`query_of`]), the ranked list of a need
//! ([`matches`]) and a reason in words ([`reason_text`]). The ranking itself is
//! pure, in `besaya_domain::matching`; the index lives in the directory's index
//! (`crate::orgs::index`) and is kept current from the same change feed.
//!
//! Who may answer what (by the organisation's kind):
//! - supply, service, land, other: companies and `other` organisations;
//! - talent: companies, training centres and `other`;
//! - rnd: companies, research centres, training centres and `other`;
//! - permit_regulatory, infrastructure_energy: administrations only (they are
//!   routed to the responsible administration).
//!
//! Investors, unions and business associations are never candidates.
//!
//! CNAE codes: an organisation classified in CNAE-2009 keeps its codes (the
//! catalogue holds no correspondence table between the two versions); the
//! ranking compares them as they are, which is right at the section and, for
//! most divisions, at the division level.

use std::collections::HashMap;

use besaya_domain::directory::{SizeBand, display_cnae, format_date};
use besaya_domain::matching::{CnaeLevel, NeedQuery, OrgProfile, Reason};
use besaya_domain::pact::NeedKind;
use fluent_bundle::FluentValue;
use serde::Serialize;
use serde_json::{Value, json};
use time::Date;
use utoipa::ToSchema;

use super::model::Need;
use crate::AppState;
use crate::i18n::Tr;
use crate::reference::Catalog;

/// What the ranking reads of an organisation's row (besides codes and
/// certifications).
#[derive(Debug, Clone, Copy)]
pub struct OrgFacts<'a> {
    pub name: &'a str,
    pub trade_name: Option<&'a str>,
    pub capabilities: &'a str,
    pub description: &'a str,
    pub cnae_version: &'a str,
    pub municipality_code: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub size_band: Option<&'a str>,
    pub employees: Option<i64>,
}

/// An organisation as the ranking reads it.
pub fn profile_of(
    org: &OrgFacts<'_>,
    codes: &[String],
    certs: &[(String, Option<Date>)],
    catalog: &Catalog,
) -> OrgProfile {
    let version = crate::reference::catalog::cnae_version(org.cnae_version).unwrap_or("2025");
    let mut titles = String::new();
    for c in codes {
        if let Some(info) = catalog.cnae(version, c) {
            if !titles.is_empty() {
                titles.push(' ');
            }
            titles.push_str(&info.title_es);
        }
    }
    let municipality = org.municipality_code.and_then(|m| catalog.municipality(m));
    let location = match (org.lat, org.lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => municipality.map(|m| (m.lat, m.lon)),
    };
    let name = match org.trade_name {
        Some(t) if !t.trim().is_empty() && t != org.name => format!("{} {t}", org.name),
        _ => org.name.to_owned(),
    };
    OrgProfile {
        name,
        capabilities: org.capabilities.to_owned(),
        description: org.description.to_owned(),
        cnae_codes: codes.to_vec(),
        cnae_titles: titles,
        certifications: certs.to_vec(),
        municipality: org.municipality_code.and_then(|m| m.parse().ok()),
        in_district: municipality.is_some_and(|m| m.in_district),
        location,
        size: org
            .size_band
            .and_then(SizeBand::parse)
            .or_else(|| org.employees.map(SizeBand::for_headcount)),
    }
}

/// Whether an organisation of kind `org_kind` may answer a need of `kind`.
pub fn eligible(kind: NeedKind, org_kind: &str) -> bool {
    use NeedKind::*;
    match kind {
        PermitRegulatory | InfrastructureEnergy => org_kind == "administration",
        Talent => matches!(org_kind, "company" | "training_centre" | "other"),
        Rnd => matches!(
            org_kind,
            "company" | "research_centre" | "training_centre" | "other"
        ),
        Supply | Service | Land | Other => matches!(org_kind, "company" | "other"),
    }
}

/// One ranked organisation, as the API and the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchItem {
    pub organization_id: String,
    pub name: String,
    /// 0–100.
    pub score: f32,
    /// Holds every required certification and fits the size asked.
    pub complete: bool,
    /// Already invited to this need.
    pub invited: bool,
    /// `{"code": ..., "message": ..., ...the reason's fields}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Value>,
    /// The reasons themselves (for pages that word them in their language).
    #[serde(skip)]
    pub raw: Vec<Reason>,
}

/// The ranked list of a need.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchList {
    /// Some candidate of the right kind in the whole directory holds every requirement.
    pub answerable: bool,
    /// How many organisations of the right kind were candidates at all.
    pub candidates: usize,
    pub items: Vec<MatchItem>,
}

/// A need as the ranking reads it.
pub fn query_of(state: &AppState, need: &Need) -> NeedQuery {
    let mut text = need.summary.clone();
    if !need.description.is_empty() {
        text.push('\n');
        text.push_str(&need.description);
    }
    let municipality = need
        .municipality_code
        .as_deref()
        .and_then(|m| state.catalog.municipality(m));
    NeedQuery {
        title: need.title.clone(),
        text,
        cnae_codes: need.cnae_codes.clone(),
        required_certifications: need.required_certifications.clone(),
        municipality: need
            .municipality_code
            .as_deref()
            .and_then(|m| m.parse().ok()),
        location: municipality.map(|m| (m.lat, m.lon)),
        min_size: need.min_size_band.as_deref().and_then(SizeBand::parse),
    }
}

/// Every eligible candidate, ranked (id, name, match). Not worded.
fn ranked(
    state: &AppState,
    need: &Need,
    today: Date,
) -> Vec<(String, String, besaya_domain::matching::Match)> {
    let q = query_of(state, need);
    let ranking = state.directory.rank_need(&q, today, usize::MAX);
    let kind = need.kind();
    let owner = need.owner_org_id.as_deref();
    ranking
        .matches
        .into_iter()
        .filter_map(|m| {
            let (id, name, org_kind) = state.directory.doc_org(m.doc)?;
            (eligible(kind, &org_kind) && Some(id.as_str()) != owner).then_some((id, name, m))
        })
        .collect()
}

/// The scores of the eligible candidates (for the invitations).
pub fn scores(state: &AppState, need: &Need, today: Date) -> HashMap<String, f32> {
    ranked(state, need, today)
        .into_iter()
        .map(|(id, _, m)| (id, m.score))
        .collect()
}

/// The best `limit` organisations for `need` on `today`, worded by `tr`
/// (the API passes English). The directory index is synced first.
pub async fn matches(
    state: &AppState,
    tr: &Tr,
    need: &Need,
    today: Date,
    limit: usize,
) -> Result<MatchList, anyhow::Error> {
    state.directory.sync(&state.db, &state.catalog).await?;
    let invited: Vec<String> =
        sqlx::query_scalar("SELECT organization_id FROM need_answers WHERE need_id = $1")
            .bind(&need.id)
            .fetch_all(state.db.reader())
            .await?;
    let all = ranked(state, need, today);
    let answerable = all.iter().any(|(_, _, m)| m.complete);
    let candidates = all.len();
    let items = all
        .into_iter()
        .take(limit)
        .map(|(id, name, m)| MatchItem {
            invited: invited.contains(&id),
            organization_id: id,
            name,
            score: m.score,
            complete: m.complete,
            reasons: m.reasons.iter().map(|r| reason_json(tr, r)).collect(),
            raw: m.reasons,
        })
        .collect();
    Ok(MatchList {
        answerable,
        candidates,
        items,
    })
}

/// A reason as JSON: its fields (dates as `YYYY-MM-DD`) and its `message`.
pub fn reason_json(tr: &Tr, r: &Reason) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut v {
        match r {
            Reason::Certification { expires_on, .. } => {
                m.insert("expires_on".into(), json!(expires_on.map(format_date)));
            }
            Reason::CertificationExpired { expired_on, .. } => {
                m.insert("expired_on".into(), json!(format_date(*expired_on)));
            }
            _ => {}
        }
        m.insert("message".into(), json!(reason_text(tr, r)));
    }
    v
}

fn level_key(l: CnaeLevel) -> &'static str {
    match l {
        CnaeLevel::Class => "class",
        CnaeLevel::Group => "group",
        CnaeLevel::Division => "division",
        CnaeLevel::Section => "section",
    }
}

fn size_key(s: SizeBand) -> String {
    format!("pact-api-size-{}", s.as_str())
}

/// A reason in one sentence, in `tr`'s language.
pub fn reason_text(tr: &Tr, r: &Reason) -> String {
    let s = |v: &str| FluentValue::from(v.to_owned());
    let date =
        |d: Date| FluentValue::from(crate::office::pages::local_date(tr.lang, &format_date(d)));
    let code = |c: &str| FluentValue::from(display_cnae(c));
    match r {
        Reason::Cnae {
            need_code,
            org_code,
            level,
            ..
        } => tr.tn(
            &format!("pact-api-reason-cnae-{}", level_key(*level)),
            &[("need", code(need_code)), ("org", code(org_code))],
        ),
        Reason::Text { words, .. } => tr.tn(
            "pact-api-reason-text",
            &[
                ("words", s(&words.join(", "))),
                ("count", FluentValue::from(words.len())),
            ],
        ),
        Reason::Certification {
            required,
            held,
            expires_on,
            ..
        } => match expires_on {
            Some(d) => tr.tn(
                "pact-api-reason-certification-until",
                &[
                    ("required", s(required)),
                    ("held", s(held)),
                    ("date", date(*d)),
                ],
            ),
            None => tr.tn(
                "pact-api-reason-certification",
                &[("required", s(required)), ("held", s(held))],
            ),
        },
        Reason::CertificationExpired {
            required,
            held,
            expired_on,
        } => tr.tn(
            "pact-api-reason-certification-expired",
            &[
                ("required", s(required)),
                ("held", s(held)),
                ("date", date(*expired_on)),
            ],
        ),
        Reason::CertificationMissing { required } => tr.tn(
            "pact-api-reason-certification-missing",
            &[("required", s(required))],
        ),
        Reason::SameMunicipality { .. } => tr.t("pact-api-reason-same-municipality").to_owned(),
        Reason::InDistrict { .. } => tr.t("pact-api-reason-in-district").to_owned(),
        Reason::Distance { km, .. } => tr.tn(
            "pact-api-reason-distance",
            &[("km", FluentValue::from(f64::from(km.round())))],
        ),
        Reason::SizeFits { required, size, .. } => tr.tn(
            "pact-api-reason-size-fits",
            &[
                ("required", s(tr.t(&size_key(*required)))),
                ("size", s(tr.t(&size_key(*size)))),
            ],
        ),
        Reason::SizeTooSmall { required, size } => tr.tn(
            "pact-api-reason-size-too-small",
            &[
                ("required", s(tr.t(&size_key(*required)))),
                ("size", s(tr.t(&size_key(*size)))),
            ],
        ),
        Reason::SizeUnknown { required } => tr.tn(
            "pact-api-reason-size-unknown",
            &[("required", s(tr.t(&size_key(*required))))],
        ),
    }
}
