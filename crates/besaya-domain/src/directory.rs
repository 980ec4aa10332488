//! Rules of the directory of organisations: tax ids (Spanish or foreign VAT),
//! the EU size bands, DIR3 codes, CNAE code lists, certifications and the small
//! value checks every entry path (API, pages, import) shares.

use std::fmt;

use time::Date;
use time::macros::format_description;

use crate::tax_id::{Nif, NifError};

/// The tax id of an organisation: a Spanish NIF checked by its control character,
/// or a foreign VAT number with its two-letter country prefix (`DE123456789`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxId {
    Spanish(Nif),
    Foreign(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    #[error("the tax id is empty")]
    Empty,
    #[error("not a valid Spanish NIF: {0}")]
    Nif(NifError),
    #[error("a foreign VAT number is a country prefix and 2 to 13 letters or digits")]
    Foreign,
}

impl TaxId {
    /// Spaces, dots and hyphens are ignored and case is not significant. Two
    /// leading letters mean a VAT country prefix: `ES` is checked as a NIF, any
    /// other country is accepted by shape (its own registry is the authority).
    pub fn parse(raw: &str) -> Result<Self, TaxIdError> {
        let s: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\t' | '/'))
            .flat_map(char::to_uppercase)
            .collect();
        if s.is_empty() {
            return Err(TaxIdError::Empty);
        }
        let prefix: Vec<char> = s.chars().take(2).collect();
        let is_prefixed = prefix.len() == 2 && prefix.iter().all(char::is_ascii_uppercase);
        if !is_prefixed || s.starts_with("ES") {
            return Nif::parse(&s).map(Self::Spanish).map_err(TaxIdError::Nif);
        }
        let number = &s[2..];
        if !(2..=13).contains(&number.len())
            || !number.chars().all(|c| c.is_ascii_alphanumeric())
            || !number.chars().any(|c| c.is_ascii_digit())
        {
            return Err(TaxIdError::Foreign);
        }
        Ok(Self::Foreign(s))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Spanish(n) => n.as_str(),
            Self::Foreign(s) => s,
        }
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Size of an enterprise by the EU definition (Recommendation 2003/361/EC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeBand {
    Micro,
    Small,
    Medium,
    Large,
}

impl SizeBand {
    pub const ALL: [Self; 4] = [Self::Micro, Self::Small, Self::Medium, Self::Large];

    /// The band the staff headcount alone allows: fewer than 10, 50 and 250.
    pub fn for_headcount(employees: i64) -> Self {
        match employees {
            ..10 => Self::Micro,
            10..50 => Self::Small,
            50..250 => Self::Medium,
            _ => Self::Large,
        }
    }

    /// Turnover or balance sheet may put a firm in a larger band than its
    /// headcount, never a smaller one: a firm of 300 people is never small.
    pub fn fits(self, employees: i64) -> bool {
        self >= Self::for_headcount(employees)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Micro => "micro",
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// A DIR3 code of a Spanish public body: 9 characters, a letter and 8 letters or
/// digits (`L01390875`, `A06002788`, `E00003901`).
pub fn is_dir3(s: &str) -> bool {
    s.len() == 9
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A CNAE code as typed (`24.51`, `2451`, ` c `) in its stored form: upper case,
/// without dots or spaces. Returns `None` when it cannot be a CNAE code at all.
pub fn normalize_cnae(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .flat_map(char::to_uppercase)
        .collect();
    let is_section = s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase());
    let is_numeric = (2..=4).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit());
    (is_section || is_numeric).then_some(s)
}

/// The codes of a spreadsheet cell or form field, in order (the first is the
/// primary activity), separated by commas, semicolons, bars or white space.
pub fn split_codes(cell: &str) -> Vec<String> {
    cell.split(|c: char| matches!(c, ',' | ';' | '|') || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The CNAE code in its usual printed form: `2451` → `24.51`, `245` → `24.5`.
pub fn display_cnae(code: &str) -> String {
    if code.len() > 2 && code.chars().all(|c| c.is_ascii_digit()) {
        format!("{}.{}", &code[..2], &code[2..])
    } else {
        code.to_owned()
    }
}

/// A certification as held: the standard, the certificate number, who issued it
/// and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    pub name: String,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub expires_on: Option<Date>,
}

/// Why a certifications cell cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificationError {
    #[error("certification {0} has no name")]
    NoName(usize),
    #[error("certification {0} has more than four parts (name | number | issuer | expires_on)")]
    TooManyParts(usize),
    #[error("certification {0} expires on a date that is not YYYY-MM-DD")]
    BadDate(usize),
}

impl Certification {
    /// Valid on `today` when it has no expiry date or expires today or later.
    pub fn is_valid_on(&self, today: Date) -> bool {
        self.expires_on.is_none_or(|d| d >= today)
    }

    /// Reads the spreadsheet form: certifications separated by `;`, each
    /// `name | number | issuer | expires_on` (the last three optional).
    pub fn parse_list(cell: &str) -> Result<Vec<Self>, CertificationError> {
        let mut out = Vec::new();
        for (i, item) in cell
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .enumerate()
        {
            let n = i + 1;
            let parts: Vec<&str> = item.split('|').map(str::trim).collect();
            if parts.len() > 4 {
                return Err(CertificationError::TooManyParts(n));
            }
            let part = |k: usize| {
                parts
                    .get(k)
                    .filter(|s| !s.is_empty())
                    .map(|s| (*s).to_owned())
            };
            let name = part(0).ok_or(CertificationError::NoName(n))?;
            let expires_on = match part(3) {
                None => None,
                Some(d) => Some(parse_date(&d).ok_or(CertificationError::BadDate(n))?),
            };
            out.push(Self {
                name,
                number: part(1),
                issuer: part(2),
                expires_on,
            });
        }
        Ok(out)
    }

    /// The spreadsheet form of a list, read back by [`Certification::parse_list`].
    pub fn format_list(list: &[Self]) -> String {
        list.iter()
            .map(|c| {
                format!(
                    "{} | {} | {} | {}",
                    c.name,
                    c.number.as_deref().unwrap_or(""),
                    c.issuer.as_deref().unwrap_or(""),
                    c.expires_on.map(format_date).unwrap_or_default()
                )
                .trim_end_matches([' ', '|'])
                .to_owned()
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An ISO date, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

pub fn format_date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// A number as people type it: `5000`, `5.000`, `5 000`, `12,5`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    let normalised = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1
        || t.split_once('.')
            .is_some_and(|(_, frac)| frac.len() == 3 && !t.starts_with("0."))
    {
        // "5.000" is five thousand in Spain.
        t.replace('.', "")
    } else {
        t
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `1.200` as Spanish thousands.
pub fn is_thousands(s: &str) -> bool {
    let mut groups = s.split('.');
    let first = groups.next().unwrap_or("");
    s.contains('.')
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// A yes/no cell as people type it in Spanish or English.
pub fn parse_flag(s: &str) -> Option<bool> {
    match crate::text::fold(s.trim()).as_str() {
        "si" | "s" | "yes" | "y" | "true" | "1" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// A web address people can follow: `http(s)://` and a dotted host, no spaces.
/// A bare `www.example.es` gets `https://` in front.
pub fn normalize_website(raw: &str) -> Option<String> {
    let s = raw.trim();
    let with_scheme = if s.starts_with("http://") || s.starts_with("https://") {
        s.to_owned()
    } else if s.contains("://") {
        return None;
    } else {
        format!("https://{s}")
    };
    let rest = with_scheme.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    let ok = with_scheme.len() <= 300
        && host_ok
        && !with_scheme
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    ok.then_some(with_scheme)
}

/// A phone number as people write it: digits, spaces, `+`, dots, hyphens and
/// brackets, with 6 to 15 digits.
pub fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (6..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'))
        && s.matches('+').count() <= 1
        && (!s.contains('+') || s.trim_start().starts_with('+'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn spanish_and_foreign_tax_ids() {
        let valid = Nif::entity('B', 3_900_101).unwrap();
        let lower = valid.as_str().to_lowercase();
        assert_eq!(TaxId::parse(&lower).unwrap(), TaxId::Spanish(valid.clone()));
        assert_eq!(
            TaxId::parse(&format!("ES{}", valid.as_str())).unwrap(),
            TaxId::Spanish(valid.clone())
        );
        let mut wrong = valid.as_str().to_owned();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert!(matches!(
            TaxId::parse(&wrong),
            Err(TaxIdError::Nif(NifError::Control))
        ));
        assert_eq!(
            TaxId::parse("de 123 456 789").unwrap(),
            TaxId::Foreign("DE123456789".into())
        );
        assert_eq!(
            TaxId::parse("FRAB123456789").unwrap().as_str(),
            "FRAB123456789"
        );
        assert_eq!(TaxId::parse("DE"), Err(TaxIdError::Foreign));
        assert_eq!(TaxId::parse("DEABCDEF"), Err(TaxIdError::Foreign));
        assert_eq!(TaxId::parse("  "), Err(TaxIdError::Empty));
    }

    #[test]
    fn size_bands_follow_the_eu_headcount_ceilings() {
        assert_eq!(SizeBand::for_headcount(0), SizeBand::Micro);
        assert_eq!(SizeBand::for_headcount(9), SizeBand::Micro);
        assert_eq!(SizeBand::for_headcount(10), SizeBand::Small);
        assert_eq!(SizeBand::for_headcount(49), SizeBand::Small);
        assert_eq!(SizeBand::for_headcount(50), SizeBand::Medium);
        assert_eq!(SizeBand::for_headcount(249), SizeBand::Medium);
        assert_eq!(SizeBand::for_headcount(250), SizeBand::Large);
        assert!(
            SizeBand::Medium.fits(40),
            "turnover may make a firm of 40 medium"
        );
        assert!(
            !SizeBand::Small.fits(300),
            "300 people are never a small firm"
        );
        assert_eq!(SizeBand::parse("large"), Some(SizeBand::Large));
        assert_eq!(SizeBand::parse("huge"), None);
    }

    #[test]
    fn cnae_codes_are_normalised_and_split() {
        assert_eq!(normalize_cnae("24.51").as_deref(), Some("2451"));
        assert_eq!(normalize_cnae(" c ").as_deref(), Some("C"));
        assert_eq!(normalize_cnae("24.5.1.9"), None);
        assert_eq!(normalize_cnae("2x"), None);
        assert_eq!(
            split_codes("24.51, 25.62;3311 | 4321"),
            ["24.51", "25.62", "3311", "4321"]
        );
        assert_eq!(display_cnae("2451"), "24.51");
        assert_eq!(display_cnae("24"), "24");
        assert_eq!(display_cnae("C"), "C");
    }

    #[test]
    fn certifications_round_trip_through_their_cell() {
        let cell = "ISO 9001:2015 | ES-0123/2019 | AENOR | 2027-05-31; IATF 16949";
        let list = Certification::parse_list(cell).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].expires_on, Some(date!(2027 - 05 - 31)));
        assert_eq!(list[1].number, None);
        assert_eq!(
            Certification::parse_list(&Certification::format_list(&list)).unwrap(),
            list
        );
        assert_eq!(
            Certification::parse_list("ISO 9001 | 1 | X | 31/05/2027"),
            Err(CertificationError::BadDate(1))
        );
        assert_eq!(
            Certification::parse_list(" | 1"),
            Err(CertificationError::NoName(1))
        );
        assert!(list[0].is_valid_on(date!(2027 - 05 - 31)));
        assert!(!list[0].is_valid_on(date!(2027 - 06 - 01)));
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("5000"), Some(5000.0));
        assert_eq!(parse_number("5.000"), Some(5000.0));
        assert_eq!(parse_number("20.000"), Some(20000.0));
        assert_eq!(parse_number("5 000"), Some(5000.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number("2.5"), Some(2.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn small_value_checks() {
        assert!(is_dir3("L01390875"));
        assert!(!is_dir3("l01390875"));
        assert!(!is_dir3("L0139087"));
        assert_eq!(parse_flag("Sí"), Some(true));
        assert_eq!(parse_flag("no"), Some(false));
        assert_eq!(parse_flag("quizá"), None);
        assert_eq!(
            normalize_website("www.example.es").as_deref(),
            Some("https://www.example.es")
        );
        assert_eq!(normalize_website("javascript:alert(1)"), None);
        assert_eq!(normalize_website("ftp://example.es"), None);
        assert_eq!(normalize_website("https://exa mple.es"), None);
        assert!(is_phone("+34 942 000 123"));
        assert!(is_phone("(942) 00-01-23"));
        assert!(!is_phone("942 000 12a"));
        assert!(!is_phone("12 +34"));
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = TaxId::parse(&s);
            let _ = normalize_cnae(&s);
            let _ = Certification::parse_list(&s);
            let _ = normalize_website(&s);
            let _ = is_phone(&s);
            let _ = parse_flag(&s);
        }
    }
}
