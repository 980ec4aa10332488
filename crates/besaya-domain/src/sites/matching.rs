//! Matching an investor's requirements against sites.
//!
//! Each stated criterion is `Required` or `Preferred`. For every site it gives a
//! [`Check`]: `Pass`, `Fail` or `Unknown` when the site lacks the fact. Unknown
//! is never a pass: a site whose power supply nobody recorded is not shown as
//! meeting a 2,000 kVA requirement, it is shown as "incomplete", so the
//! promoter knows what to ask the owner.
//!
//! The checks carry numbers, codes and dates, not sentences: the web layer
//! phrases them in Spanish or English from [`Wanted`] and [`Offered`]
//! ("needs 2,000 kVA, site offers 800 kVA"). Evaluation borrows from the
//! requirements and the sites and allocates only the list of checks, because
//! a search runs over every site of the district on each keystroke of a filter.

use std::cmp::Ordering;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use time::Date;

use super::availability::Availability;
use crate::directory::{display_cnae, format_date};

/// How much a criterion matters to the investor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// A site that fails it is eliminated.
    Required,
    /// Passing it raises the site's score.
    Preferred,
}

/// A stated criterion: the value wanted and how much it matters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Want<T> {
    pub value: T,
    pub importance: Importance,
}

impl<T> Want<T> {
    pub fn required(value: T) -> Self {
        Self {
            value,
            importance: Importance::Required,
        }
    }

    pub fn preferred(value: T) -> Self {
        Self {
            value,
            importance: Importance::Preferred,
        }
    }
}

/// A closed interval with either end optional; both bounds included.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Range {
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

impl Range {
    pub fn contains(&self, x: f64) -> bool {
        self.min.is_none_or(|m| x >= m) && self.max.is_none_or(|m| x <= m)
    }
}

/// What an investor asks of a site. Every criterion is optional; only stated
/// ones are checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirements {
    /// Plot or floor area in m².
    pub area_m2: Option<Want<Range>>,
    /// The investor's activity as a CNAE code: a section letter (`C`) or 2 to
    /// 4 digits (`24`, `241`, `2410`), as [`crate::directory::normalize_cnae`]
    /// stores it (dots and spaces are ignored anyway).
    pub use_cnae: Option<Want<String>>,
    pub min_power_kva: Option<Want<f64>>,
    /// A rail siding on the site.
    pub rail: Option<Want<()>>,
    /// A natural gas connection.
    pub gas: Option<Want<()>>,
    pub min_water_m3_day: Option<Want<f64>>,
    pub max_port_km: Option<Want<f64>>,
    pub max_motorway_km: Option<Want<f64>>,
    pub max_sale_price_m2: Option<Want<f64>>,
    pub max_rent_m2_month: Option<Want<f64>>,
    /// The date the investor needs to start, `YYYY-MM-DD` in JSON.
    #[serde(with = "want_date")]
    pub available_by: Option<Want<Date>>,
    /// INE codes of the municipalities acceptable to the investor.
    pub municipalities: Option<Want<Vec<String>>>,
}

impl Requirements {
    /// How many criteria are stated.
    pub fn stated(&self) -> usize {
        [
            self.area_m2.is_some(),
            self.use_cnae.is_some(),
            self.min_power_kva.is_some(),
            self.rail.is_some(),
            self.gas.is_some(),
            self.min_water_m3_day.is_some(),
            self.max_port_km.is_some(),
            self.max_motorway_km.is_some(),
            self.max_sale_price_m2.is_some(),
            self.max_rent_m2_month.is_some(),
            self.available_by.is_some(),
            self.municipalities.is_some(),
        ]
        .into_iter()
        .filter(|&s| s)
        .count()
    }
}

/// `available_by` in JSON: `{"value": "2026-03-01", "importance": "required"}`.
mod want_date {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};
    use time::Date;

    use super::{Importance, Want};
    use crate::directory::{format_date, parse_date};

    #[derive(Serialize, Deserialize)]
    struct Repr {
        value: String,
        importance: Importance,
    }

    pub fn serialize<S: Serializer>(v: &Option<Want<Date>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|w| Repr {
                value: format_date(w.value),
                importance: w.importance,
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Want<Date>>, D::Error> {
        Option::<Repr>::deserialize(d)?
            .map(|r| {
                parse_date(&r.value)
                    .map(|value| Want {
                        value,
                        importance: r.importance,
                    })
                    .ok_or_else(|| D::Error::custom("available_by is a date, YYYY-MM-DD"))
            })
            .transpose()
    }
}

/// The uses a site's planning allows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Uses {
    /// CNAE sections (`C`) and divisions (`24`) the plan allows; longer codes
    /// (`241`) are understood as prefixes too. Empty when not stated.
    pub codes: Vec<String>,
    /// The plan's own words, when nobody has coded them yet.
    pub text: Option<String>,
}

/// What matching needs to know about a site. Every fact is optional: `None`
/// means unknown, never "no".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteFacts {
    pub area_m2: Option<f64>,
    pub uses: Uses,
    pub power_kva: Option<f64>,
    pub rail: Option<bool>,
    pub gas: Option<bool>,
    pub water_m3_day: Option<f64>,
    pub port_km: Option<f64>,
    pub motorway_km: Option<f64>,
    pub sale_price_m2: Option<f64>,
    pub rent_m2_month: Option<f64>,
    pub availability: Option<Availability>,
    pub available_from: Option<Date>,
    /// INE code.
    pub municipality: String,
}

/// The result of one criterion on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The site lacks the fact. Never counted as a pass.
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
        }
    }
}

/// The criteria, in the order checks are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Area,
    Use,
    Power,
    Rail,
    Gas,
    Water,
    PortDistance,
    MotorwayDistance,
    SalePrice,
    RentPrice,
    AvailableBy,
    Municipality,
}

impl Criterion {
    pub const ALL: [Self; 12] = [
        Self::Area,
        Self::Use,
        Self::Power,
        Self::Rail,
        Self::Gas,
        Self::Water,
        Self::PortDistance,
        Self::MotorwayDistance,
        Self::SalePrice,
        Self::RentPrice,
        Self::AvailableBy,
        Self::Municipality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Area => "area",
            Self::Use => "use",
            Self::Power => "power",
            Self::Rail => "rail",
            Self::Gas => "gas",
            Self::Water => "water",
            Self::PortDistance => "port_distance",
            Self::MotorwayDistance => "motorway_distance",
            Self::SalePrice => "sale_price",
            Self::RentPrice => "rent_price",
            Self::AvailableBy => "available_by",
            Self::Municipality => "municipality",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What the investor asked, in the terms a reason is phrased in. Together with
/// the [`Criterion`] (which gives the unit) it is enough for a template.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wanted<'a> {
    /// Area: between `min` and `max` m².
    Range(&'a Range),
    /// Use: the investor's CNAE code as stated (its section, for a numeric
    /// code, is [`section_of`] it).
    Code(&'a str),
    /// Power (kVA), water (m³/day).
    AtLeast(f64),
    /// Port and motorway (km), sale price (€/m²), rent (€/m² a month).
    AtMost(f64),
    /// Rail siding, gas connection.
    Present,
    /// Available by this date.
    By(Date),
    /// One of these municipalities (INE codes).
    OneOf(&'a [String]),
}

/// What the site offers, in the same terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Offered<'a> {
    /// The site lacks the fact.
    Unknown,
    /// Area, power, water, distance or price, in the criterion's unit.
    Amount(f64),
    /// Whether the site has a rail siding or gas connection.
    Has(bool),
    /// The uses the plan allows: codes (empty when not coded) and free text.
    Uses(&'a Uses),
    /// The site's availability and the date it is free from, if known.
    Availability {
        status: Availability,
        from: Option<Date>,
    },
    /// The site's municipality (INE code).
    Municipality(&'a str),
}

/// One criterion checked on one site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check<'a> {
    pub criterion: Criterion,
    pub importance: Importance,
    pub outcome: Outcome,
    pub wanted: Wanted<'a>,
    pub offered: Offered<'a>,
}

impl Check<'_> {
    /// The reason in English for the API, e.g. "needs 2,000 kVA, site offers
    /// 800 kVA". Pages phrase their own from `wanted` and `offered`.
    pub fn reason_en(&self) -> String {
        let wanted = self.wanted_en();
        let offered = match (self.criterion, self.offered) {
            (Criterion::SalePrice, Offered::Unknown) => {
                "site: not for sale or price unknown".to_owned()
            }
            (Criterion::RentPrice, Offered::Unknown) => {
                "site: not for rent or rent unknown".to_owned()
            }
            (_, Offered::Uses(Uses { codes, text })) if codes.is_empty() => match text {
                Some(t) if !t.trim().is_empty() => {
                    format!("site: unknown (plan says \"{}\")", t.trim())
                }
                _ => "site: unknown".to_owned(),
            },
            (_, Offered::Unknown) => "site: unknown".to_owned(),
            (c, Offered::Amount(x)) => match c {
                Criterion::Area => format!("site has {} m²", format_number_en(x)),
                Criterion::PortDistance | Criterion::MotorwayDistance => {
                    format!("site is {} km away", format_number_en(x))
                }
                Criterion::SalePrice | Criterion::RentPrice => {
                    format!("site asks {}", amount_en(c, x))
                }
                _ => format!("site offers {}", amount_en(c, x)),
            },
            (_, Offered::Has(true)) => "site has it".to_owned(),
            (_, Offered::Has(false)) => "site has none".to_owned(),
            (_, Offered::Uses(Uses { codes, .. })) => format!(
                "site allows {}",
                codes
                    .iter()
                    .map(|c| display_cnae(c.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, Offered::Availability { status, from }) => match (status, from) {
                (Availability::Sold, _) => "site is sold".to_owned(),
                (Availability::InTender, _) => "site is in a public tender".to_owned(),
                (Availability::Available, None) => "site is available now".to_owned(),
                (Availability::Available, Some(d)) => {
                    format!("site is available from {}", format_date(d))
                }
                (Availability::Reserved, None) => "site is reserved".to_owned(),
                (Availability::Let, None) => "site is let".to_owned(),
                (Availability::Reserved, Some(d)) => {
                    format!("site is reserved, free from {}", format_date(d))
                }
                (Availability::Let, Some(d)) => {
                    format!("site is let, free from {}", format_date(d))
                }
            },
            (_, Offered::Municipality("")) => "site: municipality unknown".to_owned(),
            (_, Offered::Municipality(m)) => format!("site is in {m}"),
        };
        format!("{wanted}, {offered}")
    }

    fn wanted_en(&self) -> String {
        let c = self.criterion;
        match self.wanted {
            Wanted::Range(Range { min, max }) => match (*min, *max) {
                (Some(a), Some(b)) => {
                    format!("needs {}–{} m²", format_number_en(a), format_number_en(b))
                }
                (Some(a), None) => format!("needs at least {} m²", format_number_en(a)),
                (None, Some(b)) => format!("needs at most {} m²", format_number_en(b)),
                (None, None) => "needs any area".to_owned(),
            },
            Wanted::Code(code) => {
                let shown = display_cnae(code.trim());
                match section_of(code) {
                    Some(s) if code.trim().starts_with(|c: char| c.is_ascii_digit()) => {
                        format!("needs use {shown} (section {s})")
                    }
                    _ => format!("needs use {shown}"),
                }
            }
            Wanted::AtLeast(x) if c == Criterion::Water => {
                format!("needs {} of water", amount_en(c, x))
            }
            Wanted::AtLeast(x) => format!("needs {}", amount_en(c, x)),
            Wanted::AtMost(x) => match c {
                Criterion::PortDistance => {
                    format!("needs the port within {} km", format_number_en(x))
                }
                Criterion::MotorwayDistance => {
                    format!(
                        "needs a motorway junction within {} km",
                        format_number_en(x)
                    )
                }
                Criterion::SalePrice => {
                    format!("needs a sale price of at most {}", amount_en(c, x))
                }
                Criterion::RentPrice => format!("needs a rent of at most {}", amount_en(c, x)),
                _ => format!("needs at most {}", format_number_en(x)),
            },
            Wanted::Present => match c {
                Criterion::Rail => "needs a rail siding".to_owned(),
                Criterion::Gas => "needs a natural gas connection".to_owned(),
                _ => format!("needs {}", c.as_str()),
            },
            Wanted::By(d) => format!("needs it available by {}", format_date(d)),
            Wanted::OneOf(list) => format!("needs a site in {}", list.join(", ")),
        }
    }
}

/// An amount with the unit its criterion is measured in.
fn amount_en(c: Criterion, x: f64) -> String {
    let n = format_number_en(x);
    match c {
        Criterion::Area => format!("{n} m²"),
        Criterion::Power => format!("{n} kVA"),
        Criterion::Water => format!("{n} m³/day"),
        Criterion::PortDistance | Criterion::MotorwayDistance => format!("{n} km"),
        Criterion::SalePrice => format!("{n} €/m²"),
        Criterion::RentPrice => format!("{n} €/m² a month"),
        _ => n,
    }
}

/// A number as English text shows it: comma thousands, at most two decimals,
/// trailing zeros dropped (`2000` → `2,000`, `3200.5` → `3,200.5`, `0.125` →
/// `0.13`).
pub fn format_number_en(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    // Saturating: figures beyond 10^17 are not areas or prices.
    let cents = (x.abs() * 100.0).round() as u64;
    let (int, frac) = (cents / 100, cents % 100);
    let digits = int.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if x < 0.0 && cents > 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac > 0 {
        out.push('.');
        if frac % 10 == 0 {
            out.push(char::from(b'0' + (frac / 10) as u8));
        } else {
            out.push_str(&format!("{frac:02}"));
        }
    }
    out
}

/// Where a site stands against the requirements as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every required criterion passes.
    Match,
    /// No required criterion fails, at least one is unknown.
    Incomplete,
    /// A required criterion fails.
    Eliminated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::Incomplete => "incomplete",
            Self::Eliminated => "eliminated",
        }
    }

    /// The status a list of checks implies.
    pub fn of(checks: &[Check<'_>]) -> Self {
        summarise(checks).0
    }
}

/// One site against the requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation<'a> {
    pub status: Status,
    /// 0 to 100: how well the site meets the preferred criteria.
    pub score: f64,
    /// One per stated criterion, in [`Criterion`] order.
    pub checks: Vec<Check<'a>>,
}

/// Score points taken off for each required criterion the site cannot be
/// checked on, so that among incomplete sites those with fewer unknowns come
/// first. Small on purpose: less than the smallest step one preferred
/// criterion makes (unknown instead of fail, out of twelve: 100 × 0.25 / 12 ≈
/// 2.1 points), so a missing fact or two does not outweigh a better match.
pub const REQUIRED_UNKNOWN_PENALTY: f64 = 1.0;

fn summarise(checks: &[Check<'_>]) -> (Status, f64) {
    let mut tally = Tally::default();
    for c in checks {
        tally.add(c);
    }
    tally.finish()
}

/// Running counts of outcomes, from which status and score follow.
#[derive(Default)]
struct Tally {
    required_fail: bool,
    required_unknown: u32,
    preferred: u32,
    points: f64,
}

impl Tally {
    fn add(&mut self, c: &Check<'_>) {
        match (c.importance, c.outcome) {
            (Importance::Required, Outcome::Fail) => self.required_fail = true,
            (Importance::Required, Outcome::Unknown) => self.required_unknown += 1,
            (Importance::Required, Outcome::Pass) => {}
            (Importance::Preferred, o) => {
                self.preferred += 1;
                self.points += match o {
                    Outcome::Pass => 1.0,
                    Outcome::Unknown => 0.25,
                    Outcome::Fail => 0.0,
                };
            }
        }
    }

    fn finish(&self) -> (Status, f64) {
        let status = if self.required_fail {
            Status::Eliminated
        } else if self.required_unknown > 0 {
            Status::Incomplete
        } else {
            Status::Match
        };
        let base = if self.preferred == 0 {
            100.0
        } else {
            100.0 * self.points / f64::from(self.preferred)
        };
        let penalty = REQUIRED_UNKNOWN_PENALTY * f64::from(self.required_unknown);
        (status, (base - penalty).clamp(0.0, 100.0))
    }
}

/// A known, usable number: NaN and infinities in the data count as unknown.
fn known(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

fn numeric<'a>(
    criterion: Criterion,
    want: &Want<f64>,
    fact: Option<f64>,
    at_least: bool,
) -> Check<'a> {
    let w = want.value;
    let (outcome, offered) = match known(fact) {
        None => (Outcome::Unknown, Offered::Unknown),
        Some(x) => {
            let ok = if at_least { x >= w } else { x <= w };
            (pass_if(ok), Offered::Amount(x))
        }
    };
    Check {
        criterion,
        importance: want.importance,
        outcome,
        wanted: if at_least {
            Wanted::AtLeast(w)
        } else {
            Wanted::AtMost(w)
        },
        offered,
    }
}

fn flag<'a>(criterion: Criterion, want: &Want<()>, fact: Option<bool>) -> Check<'a> {
    let (outcome, offered) = match fact {
        None => (Outcome::Unknown, Offered::Unknown),
        Some(has) => (pass_if(has), Offered::Has(has)),
    };
    Check {
        criterion,
        importance: want.importance,
        outcome,
        wanted: Wanted::Present,
        offered,
    }
}

fn pass_if(ok: bool) -> Outcome {
    if ok { Outcome::Pass } else { Outcome::Fail }
}

/// A CNAE code's characters as compared: upper case, without dots or spaces.
fn cnae_bytes(s: &str) -> impl Iterator<Item = u8> + Clone + '_ {
    s.bytes()
        .filter(|b| !matches!(b, b'.' | b' '))
        .map(|b| b.to_ascii_uppercase())
}

/// The CNAE section of a numeric code, from its division (its first two
/// digits): `24`, `241` and `24.10` are all in section `C`. `None` for a code
/// that does not start with two digits or a division that does not exist.
///
/// The table is CNAE-2009's. CNAE-2025 moved some divisions (58–63 are split
/// between J and a new K, and later sections shift); it is used only to
/// compare a code with the sections a site's plan allows, and plans in force
/// were written against CNAE-2009.
pub fn section_of(division: &str) -> Option<char> {
    let mut it = cnae_bytes(division);
    let (a, b) = (it.next()?, it.next()?);
    if !a.is_ascii_digit() || !b.is_ascii_digit() {
        return None;
    }
    let d = (a - b'0') * 10 + (b - b'0');
    let s = match d {
        1..=3 => 'A',
        5..=9 => 'B',
        10..=33 => 'C',
        35 => 'D',
        36..=39 => 'E',
        41..=43 => 'F',
        45..=47 => 'G',
        49..=53 => 'H',
        55..=56 => 'I',
        58..=63 => 'J',
        64..=66 => 'K',
        68 => 'L',
        69..=75 => 'M',
        77..=82 => 'N',
        84 => 'O',
        85 => 'P',
        86..=88 => 'Q',
        90..=93 => 'R',
        94..=96 => 'S',
        97..=98 => 'T',
        99 => 'U',
        _ => return None,
    };
    Some(s)
}

/// The wanted CNAE code as compared, prepared once per search rather than
/// once per site.
struct WantedCode {
    /// Upper case, without dots or spaces.
    key: Vec<u8>,
    section: Option<char>,
}

impl WantedCode {
    fn new(code: &str) -> Self {
        let key: Vec<u8> = cnae_bytes(code).collect();
        let section = match key.as_slice() {
            [c] if c.is_ascii_uppercase() => Some(char::from(*c)),
            _ => section_of(code),
        };
        Self { key, section }
    }

    /// Whether a code the plan allows covers this one: a section letter covers
    /// every code in the section, a numeric code every code it is a prefix of
    /// (`24` covers `241` and `2410`, not `25`).
    fn allowed_by(&self, allowed: &str) -> bool {
        let mut first = None;
        let mut n = 0;
        for b in cnae_bytes(allowed) {
            let digit_matches = b.is_ascii_digit() && self.key.get(n) == Some(&b);
            let ok = match first {
                None => {
                    first = Some(b);
                    b.is_ascii_uppercase() || digit_matches
                }
                // A section is a single letter.
                Some(f) if f.is_ascii_uppercase() => false,
                Some(_) => digit_matches,
            };
            if !ok {
                return false;
            }
            n += 1;
        }
        match first {
            None => false,
            Some(f) if f.is_ascii_uppercase() => self.section == Some(char::from(f)),
            Some(_) => n >= 2,
        }
    }
}

/// The requirements with what can be worked out once, before the sites.
struct Prepared<'a> {
    req: &'a Requirements,
    code: Option<WantedCode>,
}

impl<'a> Prepared<'a> {
    fn new(req: &'a Requirements) -> Self {
        Self {
            req,
            code: req.use_cnae.as_ref().map(|w| WantedCode::new(&w.value)),
        }
    }
}

fn use_check<'a>(want: &'a Want<String>, code: &WantedCode, site: &'a SiteFacts) -> Check<'a> {
    let codes = &site.uses.codes;
    let outcome = if codes.is_empty() {
        Outcome::Unknown
    } else {
        pass_if(codes.iter().any(|a| code.allowed_by(a)))
    };
    Check {
        criterion: Criterion::Use,
        importance: want.importance,
        outcome,
        wanted: Wanted::Code(&want.value),
        offered: Offered::Uses(&site.uses),
    }
}

fn available_by_check<'a>(want: &Want<Date>, site: &SiteFacts) -> Check<'a> {
    let by = want.value;
    let from = site.available_from;
    let free_by = from.is_some_and(|f| f <= by);
    let (outcome, offered) = match site.availability {
        None => (Outcome::Unknown, Offered::Unknown),
        Some(status) => {
            let outcome = match status {
                Availability::Available => pass_if(from.is_none_or(|f| f <= by)),
                Availability::Reserved | Availability::Let => pass_if(free_by),
                Availability::Sold => Outcome::Fail,
                Availability::InTender => Outcome::Unknown,
            };
            (outcome, Offered::Availability { status, from })
        }
    };
    Check {
        criterion: Criterion::AvailableBy,
        importance: want.importance,
        outcome,
        wanted: Wanted::By(by),
        offered,
    }
}

/// Checks one site against the requirements: one [`Check`] per stated
/// criterion, in [`Criterion`] order, and the status and score they imply.
pub fn evaluate<'a>(req: &'a Requirements, site: &'a SiteFacts) -> Evaluation<'a> {
    let mut checks = Vec::with_capacity(req.stated());
    walk(&Prepared::new(req), site, |c| {
        checks.push(c);
        ControlFlow::Continue(())
    });
    let (status, score) = summarise(&checks);
    Evaluation {
        status,
        score,
        checks,
    }
}

/// Runs every stated criterion on a site, in [`Criterion`] order, until
/// `emit` says to stop (ranking stops at the first required failure).
fn walk<'a>(
    prep: &Prepared<'a>,
    site: &'a SiteFacts,
    mut emit: impl FnMut(Check<'a>) -> ControlFlow<()>,
) {
    let req = prep.req;
    macro_rules! emit {
        ($check:expr) => {
            if emit($check).is_break() {
                return;
            }
        };
    }
    if let Some(w) = &req.area_m2 {
        let r = w.value;
        let (outcome, offered) = match known(site.area_m2) {
            None => (Outcome::Unknown, Offered::Unknown),
            Some(a) => (pass_if(r.contains(a)), Offered::Amount(a)),
        };
        emit!(Check {
            criterion: Criterion::Area,
            importance: w.importance,
            outcome,
            wanted: Wanted::Range(&w.value),
            offered,
        });
    }
    if let (Some(w), Some(code)) = (&req.use_cnae, &prep.code) {
        emit!(use_check(w, code, site));
    }
    if let Some(w) = &req.min_power_kva {
        emit!(numeric(Criterion::Power, w, site.power_kva, true));
    }
    if let Some(w) = &req.rail {
        emit!(flag(Criterion::Rail, w, site.rail));
    }
    if let Some(w) = &req.gas {
        emit!(flag(Criterion::Gas, w, site.gas));
    }
    if let Some(w) = &req.min_water_m3_day {
        emit!(numeric(Criterion::Water, w, site.water_m3_day, true));
    }
    if let Some(w) = &req.max_port_km {
        emit!(numeric(Criterion::PortDistance, w, site.port_km, false));
    }
    if let Some(w) = &req.max_motorway_km {
        emit!(numeric(
            Criterion::MotorwayDistance,
            w,
            site.motorway_km,
            false,
        ));
    }
    if let Some(w) = &req.max_sale_price_m2 {
        emit!(numeric(Criterion::SalePrice, w, site.sale_price_m2, false));
    }
    if let Some(w) = &req.max_rent_m2_month {
        emit!(numeric(Criterion::RentPrice, w, site.rent_m2_month, false));
    }
    if let Some(w) = &req.available_by {
        emit!(available_by_check(w, site));
    }
    if let Some(w) = &req.municipalities {
        let m = site.municipality.as_str();
        emit!(Check {
            criterion: Criterion::Municipality,
            importance: w.importance,
            outcome: pass_if(w.value.iter().any(|x| same(x, m))),
            wanted: Wanted::OneOf(&w.value),
            offered: Offered::Municipality(m),
        });
    }
}

/// String equality written out: INE codes are 5 bytes, where a call to
/// `memcmp` per wanted municipality costs more than the comparison.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The sites that survive the requirements, best first, and how many fell out.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a, K> {
    /// Sites looked at.
    pub considered: usize,
    /// Sites a required criterion ruled out.
    pub eliminated: usize,
    /// Sites with a required criterion unknown (listed only when asked for).
    pub incomplete: usize,
    pub results: Vec<(K, Evaluation<'a>)>,
}

/// Evaluates every site and orders the survivors: matches before incomplete
/// sites, then by score (highest first), then by key, so the same data always
/// gives the same list. Incomplete sites are listed only when
/// `include_incomplete`; they are counted either way.
pub fn rank<'a, K: Ord>(
    req: &'a Requirements,
    sites: impl IntoIterator<Item = (K, &'a SiteFacts)>,
    include_incomplete: bool,
) -> Ranked<'a, K> {
    let prep = Prepared::new(req);
    let mut considered = 0;
    let mut eliminated = 0;
    let mut incomplete = 0;
    let mut results = Vec::new();
    for (key, site) in sites {
        considered += 1;
        // Most sites fall out: a first pass only counts outcomes, and the list
        // of checks is built for the sites that are listed.
        let mut tally = Tally::default();
        walk(&prep, site, |c| {
            tally.add(&c);
            if tally.required_fail {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let (status, score) = tally.finish();
        let listed = match status {
            Status::Eliminated => {
                eliminated += 1;
                false
            }
            Status::Incomplete => {
                incomplete += 1;
                include_incomplete
            }
            Status::Match => true,
        };
        if listed {
            let mut checks = Vec::with_capacity(req.stated());
            walk(&prep, site, |c| {
                checks.push(c);
                ControlFlow::Continue(())
            });
            results.push((
                key,
                Evaluation {
                    status,
                    score,
                    checks,
                },
            ));
        }
    }
    results.sort_by(|(ka, a), (kb, b)| order(a, b).then_with(|| ka.cmp(kb)));
    Ranked {
        considered,
        eliminated,
        incomplete,
        results,
    }
}

fn order(a: &Evaluation<'_>, b: &Evaluation<'_>) -> Ordering {
    a.status
        .cmp(&b.status)
        .then_with(|| b.score.total_cmp(&a.score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn site() -> SiteFacts {
        SiteFacts {
            area_m2: Some(12_000.0),
            uses: Uses {
                codes: vec!["C".into(), "52".into()],
                text: None,
            },
            power_kva: Some(800.0),
            rail: Some(true),
            gas: Some(false),
            water_m3_day: Some(150.0),
            port_km: Some(28.4),
            motorway_km: Some(1.2),
            sale_price_m2: Some(75.0),
            rent_m2_month: None,
            availability: Some(Availability::Available),
            available_from: None,
            municipality: "39087".into(),
        }
    }

    /// The single check of a requirement set with one criterion stated.
    fn only(req: &Requirements, site: &SiteFacts) -> (Outcome, String) {
        let e = evaluate(req, site);
        assert_eq!(e.checks.len(), 1);
        (e.checks[0].outcome, e.checks[0].reason_en())
    }

    fn outcome(req: &Requirements, site: &SiteFacts) -> Outcome {
        only(req, site).0
    }

    #[test]
    fn area_range() {
        let req = |min, max| Requirements {
            area_m2: Some(Want::required(Range { min, max })),
            ..Default::default()
        };
        let s = site();
        assert_eq!(
            outcome(&req(Some(5_000.0), Some(20_000.0)), &s),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&req(Some(12_000.0), Some(12_000.0)), &s),
            Outcome::Pass
        );
        let (o, why) = only(&req(Some(15_000.0), Some(20_000.0)), &s);
        assert_eq!(o, Outcome::Fail);
        assert_eq!(why, "needs 15,000–20,000 m², site has 12,000 m²");
        assert_eq!(outcome(&req(None, Some(3_200.5)), &s), Outcome::Fail);
        assert_eq!(
            only(&req(Some(500.0), None), &s).1,
            "needs at least 500 m², site has 12,000 m²"
        );
        let unknown = SiteFacts {
            area_m2: None,
            ..site()
        };
        let (o, why) = only(&req(Some(5_000.0), Some(20_000.0)), &unknown);
        assert_eq!(o, Outcome::Unknown);
        assert_eq!(why, "needs 5,000–20,000 m², site: unknown");
        let nan = SiteFacts {
            area_m2: Some(f64::NAN),
            ..site()
        };
        assert_eq!(outcome(&req(Some(5_000.0), None), &nan), Outcome::Unknown);
    }

    #[test]
    fn use_by_section_or_division() {
        let req = |code: &str| Requirements {
            use_cnae: Some(Want::required(code.to_owned())),
            ..Default::default()
        };
        let s = site(); // allows section C and division 52
        for code in [
            "C", "c", "24", "241", "2410", "24.10", "10", "33", "52", "5210", "52.24",
        ] {
            assert_eq!(outcome(&req(code), &s), Outcome::Pass, "{code}");
        }
        for code in ["H", "49", "4941", "35", "", "ZZ"] {
            assert_eq!(outcome(&req(code), &s), Outcome::Fail, "{code}");
        }
        assert_eq!(
            only(&req("4941"), &s).1,
            "needs use 49.41 (section H), site allows C, 52"
        );
        // A division listed covers its classes, not its section.
        let division_only = SiteFacts {
            uses: Uses {
                codes: vec!["24".into()],
                text: None,
            },
            ..site()
        };
        assert_eq!(outcome(&req("2410"), &division_only), Outcome::Pass);
        assert_eq!(outcome(&req("25"), &division_only), Outcome::Fail);
        assert_eq!(outcome(&req("C"), &division_only), Outcome::Fail);
        let class = SiteFacts {
            uses: Uses {
                codes: vec!["241".into()],
                text: None,
            },
            ..site()
        };
        assert_eq!(outcome(&req("2410"), &class), Outcome::Pass);
        assert_eq!(outcome(&req("24"), &class), Outcome::Fail);
        // Badly coded entries in a plan cover nothing.
        let odd = SiteFacts {
            uses: Uses {
                codes: vec!["2A".into(), "2".into(), "CC".into(), "".into(), "Ç".into()],
                text: None,
            },
            ..site()
        };
        for code in ["2410", "2", "C", "CC", "20"] {
            assert_eq!(outcome(&req(code), &odd), Outcome::Fail, "{code}");
        }
        let spaced = SiteFacts {
            uses: Uses {
                codes: vec![" c ".into(), "24.1".into()],
                text: None,
            },
            ..site()
        };
        assert_eq!(outcome(&req("1011"), &spaced), Outcome::Pass);
        assert_eq!(outcome(&req("24.10"), &spaced), Outcome::Pass);
        // Not coded: unknown, with the plan's words when there are some.
        let text_only = SiteFacts {
            uses: Uses {
                codes: vec![],
                text: Some("Industrial y almacenaje".into()),
            },
            ..site()
        };
        let (o, why) = only(&req("2410"), &text_only);
        assert_eq!(o, Outcome::Unknown);
        assert_eq!(
            why,
            "needs use 24.10 (section C), site: unknown (plan says \"Industrial y almacenaje\")"
        );
        let nothing = SiteFacts {
            uses: Uses::default(),
            ..site()
        };
        assert_eq!(only(&req("C"), &nothing).1, "needs use C, site: unknown");
    }

    #[test]
    fn cnae_sections() {
        for (code, section) in [
            ("01", Some('A')),
            ("03", Some('A')),
            ("04", None),
            ("05", Some('B')),
            ("10", Some('C')),
            ("2410", Some('C')),
            ("24.10", Some('C')),
            ("33", Some('C')),
            ("34", None),
            ("35", Some('D')),
            ("38", Some('E')),
            ("43", Some('F')),
            ("46", Some('G')),
            ("52", Some('H')),
            ("56", Some('I')),
            ("62", Some('J')),
            ("64", Some('K')),
            ("68", Some('L')),
            ("71", Some('M')),
            ("77", Some('N')),
            ("84", Some('O')),
            ("85", Some('P')),
            ("86", Some('Q')),
            ("90", Some('R')),
            ("96", Some('S')),
            ("97", Some('T')),
            ("99", Some('U')),
            ("00", None),
            ("2", None),
            ("C", None),
            ("", None),
        ] {
            assert_eq!(section_of(code), section, "{code}");
        }
    }

    #[test]
    fn numeric_thresholds() {
        let s = site();
        let power = |kva, importance| Requirements {
            min_power_kva: Some(Want {
                value: kva,
                importance,
            }),
            ..Default::default()
        };
        let (o, why) = only(&power(2_000.0, Importance::Required), &s);
        assert_eq!(o, Outcome::Fail);
        assert_eq!(why, "needs 2,000 kVA, site offers 800 kVA");
        assert_eq!(
            outcome(&power(800.0, Importance::Required), &s),
            Outcome::Pass
        );

        let water = Requirements {
            min_water_m3_day: Some(Want::required(150.5)),
            ..Default::default()
        };
        assert_eq!(
            only(&water, &s),
            (
                Outcome::Fail,
                "needs 150.5 m³/day of water, site offers 150 m³/day".into()
            )
        );

        let port = Requirements {
            max_port_km: Some(Want::required(20.0)),
            ..Default::default()
        };
        assert_eq!(
            only(&port, &s),
            (
                Outcome::Fail,
                "needs the port within 20 km, site is 28.4 km away".into()
            )
        );
        let motorway = Requirements {
            max_motorway_km: Some(Want::required(2.0)),
            ..Default::default()
        };
        assert_eq!(outcome(&motorway, &s), Outcome::Pass);
        let far = SiteFacts {
            motorway_km: None,
            ..site()
        };
        assert_eq!(outcome(&motorway, &far), Outcome::Unknown);

        let sale = Requirements {
            max_sale_price_m2: Some(Want::required(60.0)),
            ..Default::default()
        };
        assert_eq!(
            only(&sale, &s),
            (
                Outcome::Fail,
                "needs a sale price of at most 60 €/m², site asks 75 €/m²".into()
            )
        );
        let rent_only = SiteFacts {
            sale_price_m2: None,
            rent_m2_month: Some(4.25),
            ..site()
        };
        assert_eq!(
            only(&sale, &rent_only),
            (
                Outcome::Unknown,
                "needs a sale price of at most 60 €/m², site: not for sale or price unknown".into()
            )
        );
        let rent = Requirements {
            max_rent_m2_month: Some(Want::required(4.5)),
            ..Default::default()
        };
        assert_eq!(
            only(&rent, &rent_only),
            (
                Outcome::Pass,
                "needs a rent of at most 4.5 €/m² a month, site asks 4.25 €/m² a month".into()
            )
        );
        assert_eq!(outcome(&rent, &s), Outcome::Unknown);
    }

    #[test]
    fn rail_and_gas() {
        let rail = Requirements {
            rail: Some(Want::required(())),
            ..Default::default()
        };
        let gas = Requirements {
            gas: Some(Want::required(())),
            ..Default::default()
        };
        let s = site();
        assert_eq!(
            only(&rail, &s),
            (Outcome::Pass, "needs a rail siding, site has it".into())
        );
        assert_eq!(
            only(&gas, &s),
            (
                Outcome::Fail,
                "needs a natural gas connection, site has none".into()
            )
        );
        let unknown = SiteFacts {
            rail: None,
            gas: None,
            ..site()
        };
        assert_eq!(
            only(&rail, &unknown),
            (
                Outcome::Unknown,
                "needs a rail siding, site: unknown".into()
            )
        );
        assert_eq!(outcome(&gas, &unknown), Outcome::Unknown);
    }

    #[test]
    fn available_by_date() {
        let by = date!(2026 - 06 - 30);
        let req = Requirements {
            available_by: Some(Want::required(by)),
            ..Default::default()
        };
        let at = |availability, available_from| SiteFacts {
            availability,
            available_from,
            ..site()
        };
        use Availability::*;
        let early = Some(date!(2026 - 03 - 01));
        let late = Some(date!(2026 - 09 - 01));
        for (availability, from, expected) in [
            (Some(Available), None, Outcome::Pass),
            (Some(Available), early, Outcome::Pass),
            (Some(Available), Some(by), Outcome::Pass),
            (Some(Available), late, Outcome::Fail),
            (Some(Reserved), None, Outcome::Fail),
            (Some(Reserved), early, Outcome::Pass),
            (Some(Reserved), late, Outcome::Fail),
            (Some(Let), None, Outcome::Fail),
            (Some(Let), early, Outcome::Pass),
            (Some(Let), late, Outcome::Fail),
            (Some(Sold), None, Outcome::Fail),
            (Some(Sold), early, Outcome::Fail),
            (Some(InTender), early, Outcome::Unknown),
            (Some(InTender), None, Outcome::Unknown),
            (None, early, Outcome::Unknown),
            (None, None, Outcome::Unknown),
        ] {
            assert_eq!(
                outcome(&req, &at(availability, from)),
                expected,
                "{availability:?} from {from:?}"
            );
        }
        assert_eq!(
            only(&req, &at(Some(Available), late)).1,
            "needs it available by 2026-06-30, site is available from 2026-09-01"
        );
        assert_eq!(
            only(&req, &at(Some(Sold), None)).1,
            "needs it available by 2026-06-30, site is sold"
        );
        assert_eq!(
            only(&req, &at(Some(Let), late)).1,
            "needs it available by 2026-06-30, site is let, free from 2026-09-01"
        );
    }

    #[test]
    fn municipalities_are_never_unknown() {
        let req = Requirements {
            municipalities: Some(Want::required(vec!["39087".into(), "39052".into()])),
            ..Default::default()
        };
        assert_eq!(outcome(&req, &site()), Outcome::Pass);
        let elsewhere = SiteFacts {
            municipality: "39001".into(),
            ..site()
        };
        assert_eq!(
            only(&req, &elsewhere),
            (
                Outcome::Fail,
                "needs a site in 39087, 39052, site is in 39001".into()
            )
        );
        let blank = SiteFacts {
            municipality: String::new(),
            ..site()
        };
        assert_eq!(outcome(&req, &blank), Outcome::Fail);
    }

    #[test]
    fn status_and_score_follow_importance() {
        let s = site();
        // Nothing stated: every site matches fully.
        let nothing = Requirements::default();
        let e = evaluate(&nothing, &s);
        assert_eq!(
            (e.status, e.score, e.checks.len()),
            (Status::Match, 100.0, 0)
        );

        // A required fail eliminates; the same criterion preferred only scores.
        let mut req = Requirements {
            min_power_kva: Some(Want::required(2_000.0)),
            rail: Some(Want::preferred(())),
            ..Default::default()
        };
        assert_eq!(evaluate(&req, &s).status, Status::Eliminated);
        req.min_power_kva = Some(Want::preferred(2_000.0));
        let e = evaluate(&req, &s);
        assert_eq!(e.status, Status::Match);
        assert_eq!(e.score, 50.0);

        // A required unknown makes it incomplete, never a match.
        req.rent_m2_month_required();
        let e = evaluate(&req, &s);
        assert_eq!(e.status, Status::Incomplete);
        assert_eq!(e.score, 50.0 - REQUIRED_UNKNOWN_PENALTY);

        // Preferred unknown counts a quarter.
        let req = Requirements {
            gas: Some(Want::preferred(())),
            rail: Some(Want::preferred(())),
            max_rent_m2_month: Some(Want::preferred(5.0)),
            min_power_kva: Some(Want::preferred(500.0)),
            ..Default::default()
        };
        let e = evaluate(&req, &s);
        assert_eq!(e.status, Status::Match);
        assert_eq!(e.score, 100.0 * (1.0 + 1.0 + 0.25) / 4.0);
        let order: Vec<Criterion> = e.checks.iter().map(|c| c.criterion).collect();
        assert_eq!(
            order,
            [
                Criterion::Power,
                Criterion::Rail,
                Criterion::Gas,
                Criterion::RentPrice
            ]
        );
    }

    impl Requirements {
        fn rent_m2_month_required(&mut self) {
            self.max_rent_m2_month = Some(Want::required(5.0));
        }
    }

    #[test]
    fn ranking_orders_matches_then_incomplete_then_score_then_key() {
        let req = Requirements {
            min_power_kva: Some(Want::required(500.0)),
            rail: Some(Want::preferred(())),
            gas: Some(Want::preferred(())),
            ..Default::default()
        };
        let full = site(); // power ok, rail yes, gas no: match, 50
        let both = SiteFacts {
            gas: Some(true),
            ..site()
        }; // match, 100
        let weak = SiteFacts {
            power_kva: Some(100.0),
            ..site()
        }; // eliminated
        let unknown_power = SiteFacts {
            power_kva: None,
            gas: Some(true),
            ..site()
        }; // incomplete, 99
        let unknown_gas = SiteFacts {
            gas: None,
            ..site()
        }; // match, 62.5
        let sites = [
            ("e", &full),
            ("d", &both),
            ("c", &weak),
            ("b", &unknown_power),
            ("a", &unknown_gas),
            ("f", &full),
        ];
        let r = rank(&req, sites, true);
        assert_eq!((r.considered, r.eliminated, r.incomplete), (6, 1, 1));
        let keys: Vec<&str> = r.results.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["d", "a", "e", "f", "b"]);
        assert_eq!(r.results[4].1.status, Status::Incomplete);
        assert_eq!(r.results[4].1.score, 99.0);

        let r = rank(&req, sites, false);
        assert_eq!((r.considered, r.eliminated, r.incomplete), (6, 1, 1));
        let keys: Vec<&str> = r.results.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["d", "a", "e", "f"]);

        // Same data in another order: same list.
        let mut reversed = sites;
        reversed.reverse();
        let again = rank(&req, reversed, true);
        let keys: Vec<&str> = again.results.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["d", "a", "e", "f", "b"]);
    }

    #[test]
    fn fewer_required_unknowns_rank_higher_among_incomplete() {
        let req = Requirements {
            rail: Some(Want::required(())),
            gas: Some(Want::required(())),
            ..Default::default()
        };
        let one = SiteFacts {
            rail: None,
            gas: Some(true),
            ..site()
        };
        let two = SiteFacts {
            rail: None,
            gas: None,
            ..site()
        };
        let r = rank(&req, [(1, &two), (2, &one)], true);
        let keys: Vec<i32> = r.results.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, [2, 1]);
    }

    #[test]
    fn english_numbers() {
        for (x, s) in [
            (0.0, "0"),
            (2000.0, "2,000"),
            (3200.5, "3,200.5"),
            (1_234_567.891, "1,234,567.89"),
            (0.125, "0.13"),
            (999.999, "1,000"),
            (100.0, "100"),
            (-1500.0, "-1,500"),
            (-0.001, "0"),
            (4.05, "4.05"),
        ] {
            assert_eq!(format_number_en(x), s, "{x}");
        }
    }

    #[test]
    fn requirements_round_trip_through_json() {
        let req = Requirements {
            area_m2: Some(Want::required(Range {
                min: Some(5_000.0),
                max: None,
            })),
            rail: Some(Want::preferred(())),
            available_by: Some(Want::required(date!(2026 - 06 - 30))),
            municipalities: Some(Want::preferred(vec!["39087".into()])),
            ..Default::default()
        };
        let json = serde_json::to_string(&req).unwrap();
        assert!(json.contains(r#""available_by":{"value":"2026-06-30","importance":"required"}"#));
        assert_eq!(serde_json::from_str::<Requirements>(&json).unwrap(), req);
        let sparse: Requirements = serde_json::from_str(
            r#"{"min_power_kva":{"value":2000,"importance":"required"},
                "available_by":{"value":"2027-01-01","importance":"preferred"}}"#,
        )
        .unwrap();
        assert_eq!(sparse.stated(), 2);
        assert!(
            serde_json::from_str::<Requirements>(
                r#"{"available_by":{"value":"01/01/2027","importance":"preferred"}}"#
            )
            .is_err()
        );
        for c in Criterion::ALL {
            assert_eq!(Criterion::parse(c.as_str()), Some(c));
        }
    }

    fn want<T: std::fmt::Debug + Clone + 'static>(
        value: impl Strategy<Value = T>,
    ) -> impl Strategy<Value = Option<Want<T>>> {
        prop::option::of((value, any::<bool>()).prop_map(|(value, required)| Want {
            value,
            importance: if required {
                Importance::Required
            } else {
                Importance::Preferred
            },
        }))
    }

    fn a_date() -> impl Strategy<Value = Date> {
        (0i64..2000).prop_map(|d| date!(2025 - 01 - 01) + time::Duration::days(d))
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![0.0f64..100_000.0, any::<f64>()]
    }

    fn requirements() -> impl Strategy<Value = Requirements> {
        (
            (
                want(
                    (prop::option::of(number()), prop::option::of(number()))
                        .prop_map(|(min, max)| Range { min, max }),
                ),
                want("[A-Z]|[0-9]{2,4}|\\PC{0,5}"),
                want(number()),
                want(Just(())),
                want(Just(())),
                want(number()),
            ),
            (
                want(number()),
                want(number()),
                want(number()),
                want(number()),
                want(a_date()),
                want(prop::collection::vec("390[0-9]{2}", 0..4)),
            ),
        )
            .prop_map(
                |((a, u, p, r, g, w), (pk, mk, sp, rp, ab, m))| Requirements {
                    area_m2: a,
                    use_cnae: u,
                    min_power_kva: p,
                    rail: r,
                    gas: g,
                    min_water_m3_day: w,
                    max_port_km: pk,
                    max_motorway_km: mk,
                    max_sale_price_m2: sp,
                    max_rent_m2_month: rp,
                    available_by: ab,
                    municipalities: m,
                },
            )
    }

    fn site_facts() -> impl Strategy<Value = SiteFacts> {
        let n = || prop::option::of(number());
        (
            (
                n(),
                prop::collection::vec("[A-Z]|[0-9]{2,3}|\\PC{0,3}", 0..4),
                prop::option::of("\\PC{0,10}"),
                n(),
                prop::option::of(any::<bool>()),
                prop::option::of(any::<bool>()),
                n(),
            ),
            (
                n(),
                n(),
                n(),
                n(),
                prop::option::of(0usize..5),
                prop::option::of(a_date()),
                "390[0-9]{2}",
            ),
        )
            .prop_map(
                |(
                    (area, codes, text, power, rail, gas, water),
                    (port, mw, sale, rent, av, from, muni),
                )| {
                    SiteFacts {
                        area_m2: area,
                        uses: Uses { codes, text },
                        power_kva: power,
                        rail,
                        gas,
                        water_m3_day: water,
                        port_km: port,
                        motorway_km: mw,
                        sale_price_m2: sale,
                        rent_m2_month: rent,
                        availability: av.map(|i| Availability::ALL[i]),
                        available_from: from,
                        municipality: muni,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn rank_is_consistent_and_never_panics(
            req in requirements(),
            sites in prop::collection::vec(site_facts(), 0..20),
            include in any::<bool>(),
        ) {
            let r = rank(&req, sites.iter().enumerate(), include);
            prop_assert_eq!(r.considered, sites.len());
            let listed_incomplete = r.results.iter().filter(|(_, e)| e.status == Status::Incomplete).count();
            let expected_incomplete = if include { r.incomplete } else { 0 };
            prop_assert_eq!(listed_incomplete, expected_incomplete);
            prop_assert_eq!(
                r.results.len() + r.eliminated + if include { 0 } else { r.incomplete },
                sites.len()
            );
            for (key, e) in &r.results {
                prop_assert_eq!(e.checks.len(), req.stated());
                prop_assert!((0.0..=100.0).contains(&e.score));
                prop_assert!(e.checks.windows(2).all(|w| w[0].criterion < w[1].criterion));
                let required = e.checks.iter().filter(|c| c.importance == Importance::Required);
                let fails = required.clone().any(|c| c.outcome == Outcome::Fail);
                let unknowns = required.clone().any(|c| c.outcome == Outcome::Unknown);
                prop_assert!(!fails, "a listed site has no required fail");
                prop_assert_eq!(e.status == Status::Match, !unknowns);
                prop_assert_eq!(Status::of(&e.checks), e.status);
                prop_assert_eq!(evaluate(&req, &sites[*key]), e.clone());
                for c in &e.checks {
                    let _ = c.reason_en();
                }
            }
            for w in r.results.windows(2) {
                let (a, b) = (&w[0].1, &w[1].1);
                prop_assert!(
                    a.status < b.status
                        || (a.status == b.status && (a.score > b.score || (a.score == b.score && w[0].0 < w[1].0)))
                );
            }
        }

        #[test]
        fn unknown_is_never_a_pass(req in requirements(), site in site_facts()) {
            let e = evaluate(&req, &site);
            for c in &e.checks {
                if c.offered == Offered::Unknown {
                    prop_assert_ne!(c.outcome, Outcome::Pass);
                }
                if let Offered::Uses(Uses { codes, .. }) = c.offered
                    && codes.is_empty()
                {
                    prop_assert_eq!(c.outcome, Outcome::Unknown);
                }
            }
        }

        #[test]
        fn numbers_never_panic(x in any::<f64>()) {
            let _ = format_number_en(x);
        }
    }
}
