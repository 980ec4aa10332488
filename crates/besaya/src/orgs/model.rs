//! The organisation record: what the API returns, what every entry path
//! (API, pages, import) sends, and the one validation they share.

use besaya_domain::Email;
use besaya_domain::directory::{
    Certification, SizeBand, TaxId, format_date, is_dir3, is_phone, normalize_cnae,
    normalize_website, parse_date,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::KINDS;
use crate::i18n::Tr;
use crate::reference::Catalog;
use crate::reference::catalog::cnae_version;
use crate::web::invalid::{Messages, text};

/// An organisation of the directory.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    #[schema(example = "01936b2e-6c1a-7d3e-9f00-000000000001")]
    pub id: String,
    pub name: String,
    pub trade_name: Option<String>,
    /// `company`, `administration`, `business_association`, `union`,
    /// `training_centre`, `research_centre`, `investor` or `other`.
    #[schema(example = "company")]
    pub kind: String,
    /// Spanish NIF (normalised, without `ES`) or a foreign VAT number with its country prefix.
    #[schema(example = "B39001015")]
    pub tax_id: String,
    /// The CNAE classification of `cnae_codes`: `2025` or `2009`.
    #[schema(example = "2025")]
    pub cnae_version: String,
    /// Activity codes without dots; the first is the primary activity.
    #[schema(example = json!(["2451", "2562"]))]
    pub cnae_codes: Vec<String>,
    /// INE code of the municipality, 5 digits.
    #[schema(example = "39087")]
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub employees: Option<i64>,
    /// EU size band: `micro`, `small`, `medium` or `large`.
    pub size_band: Option<String>,
    pub description: String,
    /// What they make and can do, in free text.
    pub capabilities: String,
    pub certifications: Vec<CertificationDto>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub pact_member: bool,
    /// DIR3 code of a public administration.
    pub dir3_code: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A certification as the API shows and takes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CertificationDto {
    #[schema(example = "ISO 9001:2015")]
    pub name: String,
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(example = "2027-05-31")]
    pub expires_on: Option<String>,
}

/// The fields of an organisation as sent to create one (`POST`), or merged over
/// the stored record for a change (`PATCH`, JSON merge patch: a field sent as
/// `null` is cleared, a field left out is kept).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    pub name: Option<String>,
    pub trade_name: Option<String>,
    pub kind: Option<String>,
    pub tax_id: Option<String>,
    /// Default `2025`.
    pub cnae_version: Option<String>,
    pub cnae_codes: Option<Vec<String>>,
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub employees: Option<i64>,
    /// Derived from `employees` when left out.
    pub size_band: Option<String>,
    pub description: Option<String>,
    pub capabilities: Option<String>,
    pub certifications: Option<Vec<CertificationDto>>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub pact_member: Option<bool>,
    pub dir3_code: Option<String>,
    /// Required on `PATCH`: the version read; a stale one gets 409.
    pub version: Option<i64>,
}

impl From<&Organization> for OrgInput {
    fn from(o: &Organization) -> Self {
        Self {
            name: Some(o.name.clone()),
            trade_name: o.trade_name.clone(),
            kind: Some(o.kind.clone()),
            tax_id: Some(o.tax_id.clone()),
            cnae_version: Some(o.cnae_version.clone()),
            cnae_codes: Some(o.cnae_codes.clone()),
            municipality_code: o.municipality_code.clone(),
            address: o.address.clone(),
            lat: o.lat,
            lon: o.lon,
            employees: o.employees,
            size_band: o.size_band.clone(),
            description: Some(o.description.clone()),
            capabilities: Some(o.capabilities.clone()),
            certifications: Some(o.certifications.clone()),
            website: o.website.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            pact_member: Some(o.pact_member),
            dir3_code: o.dir3_code.clone(),
            version: Some(o.version),
        }
    }
}

/// An organisation that passed validation, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrg {
    pub name: String,
    pub trade_name: Option<String>,
    pub kind: &'static str,
    pub tax_id: TaxId,
    pub cnae_version: &'static str,
    pub cnae_codes: Vec<String>,
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub employees: Option<i64>,
    pub size_band: Option<SizeBand>,
    pub description: String,
    pub capabilities: String,
    pub certifications: Vec<Certification>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub pact_member: bool,
    pub dir3_code: Option<String>,
}

/// The directory's messages: `org-err-{code}` in the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMessages;

impl Messages for OrgMessages {
    const PREFIX: &'static str = "org-err-";
}

/// One invalid field of an organisation.
pub type Invalid = crate::web::invalid::Invalid<OrgMessages>;

/// Longest texts accepted, in characters.
const SHORT: usize = 200;
const LONG: usize = 5000;
const MAX_CODES: usize = 10;
const MAX_CERTIFICATIONS: usize = 30;

/// Checks every field against the rules and the reference data; reports every
/// invalid field at once.
pub fn validate(input: &OrgInput, catalog: &Catalog) -> Result<ValidOrg, Vec<Invalid>> {
    let mut e = Vec::new();
    let name = text(&mut e, "name", input.name.as_deref(), SHORT, false);
    if name.is_none() && !e.iter().any(|i: &Invalid| i.field == "name") {
        e.push(Invalid::new("name", "required"));
    }
    let trade_name = text(
        &mut e,
        "trade_name",
        input.trade_name.as_deref(),
        SHORT,
        false,
    );
    let kind = match input
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("kind", "required"));
            None
        }
        Some(k) => {
            let found = KINDS.iter().copied().find(|x| *x == k);
            if found.is_none() {
                e.push(Invalid::with("kind", "invalid_kind", k));
            }
            found
        }
    };
    let tax_id = match input
        .tax_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.push(Invalid::new("tax_id", "required"));
            None
        }
        Some(t) => match TaxId::parse(t) {
            Ok(t) => Some(t),
            Err(besaya_domain::directory::TaxIdError::Nif(
                besaya_domain::tax_id::NifError::Control,
            )) => {
                e.push(Invalid::with("tax_id", "tax_id_control", t));
                None
            }
            Err(_) => {
                e.push(Invalid::with("tax_id", "invalid_tax_id", t));
                None
            }
        },
    };
    let cnae_version = match input.cnae_version.as_deref().map(str::trim) {
        None | Some("") => Some("2025"),
        Some(v) => {
            let found = cnae_version(v);
            if found.is_none() {
                e.push(Invalid::with("cnae_version", "invalid_cnae_version", v));
            }
            found
        }
    };
    let mut cnae_codes: Vec<String> = Vec::new();
    let raw_codes = input.cnae_codes.as_deref().unwrap_or_default();
    if raw_codes.len() > MAX_CODES {
        e.push(Invalid::with(
            "cnae_codes",
            "too_many",
            MAX_CODES.to_string(),
        ));
    } else {
        for (i, raw) in raw_codes.iter().enumerate() {
            let field = format!("cnae_codes[{i}]");
            match normalize_cnae(raw) {
                None => e.push(Invalid::with(&field, "invalid_cnae", raw.trim())),
                Some(code) => {
                    let known = cnae_version
                        .and_then(|v| catalog.cnae(v, &code))
                        .filter(|c| c.level >= 2);
                    match (known, cnae_version) {
                        (None, Some(v)) => e.push(Invalid::with(
                            &field,
                            "unknown_cnae",
                            format!("{} (CNAE-{v})", raw.trim()),
                        )),
                        _ if cnae_codes.contains(&code) => {
                            e.push(Invalid::with(&field, "duplicate_cnae", raw.trim()));
                        }
                        _ => cnae_codes.push(code),
                    }
                }
            }
        }
    }
    let municipality_code = match input
        .municipality_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(m) => {
            if catalog.municipality(m).is_none() {
                e.push(Invalid::with(
                    "municipality_code",
                    "unknown_municipality",
                    m,
                ));
                None
            } else {
                Some(m.to_owned())
            }
        }
    };
    let address = text(&mut e, "address", input.address.as_deref(), 300, false);
    let (lat, lon) = match (input.lat, input.lon) {
        (None, None) => (None, None),
        (Some(lat), Some(lon)) => {
            let mut ok = true;
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                e.push(Invalid::new("lat", "lat_range"));
                ok = false;
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                e.push(Invalid::new("lon", "lon_range"));
                ok = false;
            }
            if ok {
                (Some(lat), Some(lon))
            } else {
                (None, None)
            }
        }
        (Some(_), None) => {
            e.push(Invalid::new("lon", "lat_lon_pair"));
            (None, None)
        }
        (None, Some(_)) => {
            e.push(Invalid::new("lat", "lat_lon_pair"));
            (None, None)
        }
    };
    let employees = match input.employees {
        Some(n) if !(0..=10_000_000).contains(&n) => {
            e.push(Invalid::new("employees", "employees_range"));
            None
        }
        other => other,
    };
    let size_band = match input
        .size_band
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => employees.map(SizeBand::for_headcount),
        Some(b) => match SizeBand::parse(b) {
            None => {
                e.push(Invalid::with("size_band", "invalid_size_band", b));
                None
            }
            Some(band) => {
                if let Some(n) = employees.filter(|n| !band.fits(*n)) {
                    e.push(Invalid::with(
                        "size_band",
                        "size_band_too_small",
                        n.to_string(),
                    ));
                }
                Some(band)
            }
        },
    };
    let description = text(
        &mut e,
        "description",
        input.description.as_deref(),
        LONG,
        true,
    );
    let capabilities = text(
        &mut e,
        "capabilities",
        input.capabilities.as_deref(),
        LONG,
        true,
    );
    let mut certifications = Vec::new();
    let raw_certs = input.certifications.as_deref().unwrap_or_default();
    if raw_certs.len() > MAX_CERTIFICATIONS {
        e.push(Invalid::with(
            "certifications",
            "too_many",
            MAX_CERTIFICATIONS.to_string(),
        ));
    } else {
        for (i, c) in raw_certs.iter().enumerate() {
            let f = |name: &str| format!("certifications[{i}].{name}");
            let name = text(&mut e, &f("name"), Some(&c.name), 120, false);
            if name.is_none() && c.name.trim().is_empty() {
                e.push(Invalid::new(&f("name"), "required"));
            }
            let number = text(&mut e, &f("number"), c.number.as_deref(), 120, false);
            let issuer = text(&mut e, &f("issuer"), c.issuer.as_deref(), 120, false);
            let expires_on = match c
                .expires_on
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                None => None,
                Some(d) => {
                    let parsed = parse_date(d);
                    if parsed.is_none() {
                        e.push(Invalid::with(&f("expires_on"), "invalid_date", d));
                    }
                    parsed
                }
            };
            if let Some(name) = name {
                certifications.push(Certification {
                    name,
                    number,
                    issuer,
                    expires_on,
                });
            }
        }
    }
    let website = match input
        .website
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(w) => {
            let n = normalize_website(w);
            if n.is_none() {
                e.push(Invalid::with("website", "invalid_website", w));
            }
            n
        }
    };
    let email = match input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(m) => match Email::parse(m) {
            Ok(m) => Some(m.as_str().to_owned()),
            Err(_) => {
                e.push(Invalid::with("email", "invalid_email", m));
                None
            }
        },
    };
    let phone = match input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(p) if is_phone(p) => Some(p.to_owned()),
        Some(p) => {
            e.push(Invalid::with("phone", "invalid_phone", p));
            None
        }
    };
    let dir3_code = match input
        .dir3_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(d) => {
            let up = d.to_ascii_uppercase();
            if is_dir3(&up) {
                Some(up)
            } else {
                e.push(Invalid::with("dir3_code", "invalid_dir3", d));
                None
            }
        }
    };
    match (name, kind, tax_id, cnae_version) {
        (Some(name), Some(kind), Some(tax_id), Some(cnae_version)) if e.is_empty() => {
            Ok(ValidOrg {
                name,
                trade_name,
                kind,
                tax_id,
                cnae_version,
                cnae_codes,
                municipality_code,
                address,
                lat,
                lon,
                employees,
                size_band,
                description: description.unwrap_or_default(),
                capabilities: capabilities.unwrap_or_default(),
                certifications,
                website,
                email,
                phone,
                pact_member: input.pact_member.unwrap_or(false),
                dir3_code,
            })
        }
        _ => Err(e),
    }
}

/// A certifications cell's error in the reader's language.
pub fn certification_error(e: &besaya_domain::directory::CertificationError, tr: &Tr) -> String {
    use besaya_domain::directory::CertificationError as E;
    let (key, n) = match e {
        E::NoName(n) => ("cert-err-no-name", n),
        E::TooManyParts(n) => ("cert-err-too-many-parts", n),
        E::BadDate(n) => ("cert-err-bad-date", n),
    };
    tr.t1(key, "n", *n as i64)
}

impl Organization {
    /// The certifications as the domain reads them (a stored date that no longer
    /// parses is left out rather than invented).
    pub fn certifications(&self) -> Vec<Certification> {
        self.certifications
            .iter()
            .map(|c| Certification {
                name: c.name.clone(),
                number: c.number.clone(),
                issuer: c.issuer.clone(),
                expires_on: c.expires_on.as_deref().and_then(parse_date),
            })
            .collect()
    }
}

impl From<&Certification> for CertificationDto {
    fn from(c: &Certification) -> Self {
        Self {
            name: c.name.clone(),
            number: c.number.clone(),
            issuer: c.issuer.clone(),
            expires_on: c.expires_on.map(format_date),
        }
    }
}
