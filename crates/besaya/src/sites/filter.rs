//! The catalogue's list filters, shared by the pages, the API and the open data.
//! A site that lacks the fact a filter asks about does not pass it: investors
//! eliminate what they cannot check.

use besaya_domain::directory::{normalize_cnae, parse_flag, parse_number};
use besaya_domain::sites::availability::{Availability, SiteKind};
use besaya_domain::sites::matching::section_of;
use besaya_domain::text::fold;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{Invalid, Site};

/// The filters as received (query strings; blank means "any").
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RawFilter {
    /// Words in the name, reference, estate, municipality or description.
    pub q: Option<String>,
    /// `plot`, `building`, `warehouse` or `office`.
    pub kind: Option<String>,
    /// An estate's id.
    pub estate: Option<String>,
    /// INE code of the municipality.
    pub municipality: Option<String>,
    /// `available`, `reserved`, `sold`, `let` or `in_tender`.
    pub availability: Option<String>,
    /// Smallest area, m².
    pub area_min: Option<String>,
    /// Largest area, m².
    pub area_max: Option<String>,
    /// A use as a CNAE section or division (`C`, `24`) the plan must allow.
    #[serde(rename = "use")]
    #[param(rename = "use")]
    pub use_cnae: Option<String>,
    /// Least electrical capacity available, kVA.
    pub min_power_kva: Option<String>,
    /// `true`: only sites with a rail siding.
    pub rail: Option<String>,
    /// Highest sale price, €/m².
    pub max_sale_price_m2: Option<String>,
    /// Highest rent, €/m² a month.
    pub max_rent_m2_month: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Filter {
    words: Vec<String>,
    pub kind: Option<SiteKind>,
    pub estate: Option<String>,
    pub municipality: Option<String>,
    pub availability: Option<Availability>,
    pub area_min: Option<f64>,
    pub area_max: Option<f64>,
    pub use_cnae: Option<String>,
    pub min_power_kva: Option<f64>,
    pub rail: bool,
    pub max_sale_price_m2: Option<f64>,
    pub max_rent_m2_month: Option<f64>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn number(errors: &mut Vec<Invalid>, field: &str, v: &Option<String>) -> Option<f64> {
    let s = blank(v)?;
    match parse_number(s) {
        Some(n) if n >= 0.0 => Some(n),
        _ => {
            errors.push(Invalid::with(field, "number", s));
            None
        }
    }
}

impl RawFilter {
    pub fn parse(&self) -> Result<Filter, Vec<Invalid>> {
        let mut e = Vec::new();
        let kind = blank(&self.kind).and_then(|k| {
            let v = SiteKind::parse(k);
            if v.is_none() {
                e.push(Invalid::with("kind", "invalid_choice", k));
            }
            v
        });
        let availability = blank(&self.availability).and_then(|a| {
            let v = Availability::parse(a);
            if v.is_none() {
                e.push(Invalid::with("availability", "invalid_choice", a));
            }
            v
        });
        let use_cnae = blank(&self.use_cnae).and_then(|u| {
            let v = normalize_cnae(u);
            if v.is_none() {
                e.push(Invalid::with("use", "invalid_use", u));
            }
            v
        });
        let rail = match blank(&self.rail) {
            None => false,
            Some(r) => parse_flag(r).unwrap_or_else(|| {
                e.push(Invalid::with("rail", "invalid_choice", r));
                false
            }),
        };
        let q = blank(&self.q).unwrap_or("");
        if q.chars().count() > 200 {
            e.push(Invalid::with("q", "too_long", "200"));
        }
        let f = Filter {
            words: fold(q).split_whitespace().map(str::to_owned).collect(),
            kind,
            estate: blank(&self.estate).map(str::to_owned),
            municipality: blank(&self.municipality).map(str::to_owned),
            availability,
            area_min: number(&mut e, "area_min", &self.area_min),
            area_max: number(&mut e, "area_max", &self.area_max),
            use_cnae,
            min_power_kva: number(&mut e, "min_power_kva", &self.min_power_kva),
            rail,
            max_sale_price_m2: number(&mut e, "max_sale_price_m2", &self.max_sale_price_m2),
            max_rent_m2_month: number(&mut e, "max_rent_m2_month", &self.max_rent_m2_month),
        };
        if e.is_empty() { Ok(f) } else { Err(e) }
    }
}

/// Whether the uses a plan allows include the wanted CNAE code.
pub fn allows_use(permitted: &[String], wanted: &str) -> bool {
    let section = if wanted.len() == 1 {
        wanted.chars().next()
    } else {
        section_of(wanted)
    };
    permitted.iter().any(|p| {
        if p.len() == 1 {
            section.is_some_and(|s| p.starts_with(s))
        } else if wanted.len() == 1 {
            section_of(p) == section
        } else {
            wanted.starts_with(p.as_str())
        }
    })
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    pub fn matches(&self, s: &Site) -> bool {
        fn at_least(v: Option<f64>, min: Option<f64>) -> bool {
            min.is_none_or(|m| v.is_some_and(|x| x >= m))
        }
        fn at_most(v: Option<f64>, max: Option<f64>) -> bool {
            max.is_none_or(|m| v.is_some_and(|x| x <= m))
        }
        self.kind.is_none_or(|k| s.kind == k.as_str())
            && self
                .estate
                .as_deref()
                .is_none_or(|e| s.estate_id.as_deref() == Some(e))
            && self
                .municipality
                .as_deref()
                .is_none_or(|m| s.municipality_code == m)
            && self
                .availability
                .is_none_or(|a| s.availability.as_deref() == Some(a.as_str()))
            && at_least(s.area_m2, self.area_min)
            && at_most(s.area_m2, self.area_max)
            && at_least(s.power_kva, self.min_power_kva)
            && (!self.rail || s.rail_siding == Some(true))
            && at_most(s.sale_price_m2, self.max_sale_price_m2)
            && at_most(s.rent_m2_month, self.max_rent_m2_month)
            && self
                .use_cnae
                .as_deref()
                .is_none_or(|u| allows_use(&s.permitted_uses, u))
            && (self.words.is_empty() || {
                let hay = fold(&format!(
                    "{} {} {} {} {}",
                    s.name,
                    s.reference.as_deref().unwrap_or(""),
                    s.estate_name.as_deref().unwrap_or(""),
                    s.municipality_name,
                    s.description
                ));
                self.words.iter().all(|w| hay.contains(w.as_str()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_by_section_and_division() {
        let allowed = vec!["C".to_owned(), "52".to_owned()];
        assert!(allows_use(&allowed, "24"));
        assert!(allows_use(&allowed, "2410"));
        assert!(allows_use(&allowed, "C"));
        assert!(allows_use(&allowed, "5210"));
        assert!(allows_use(&allowed, "H"));
        assert!(!allows_use(&allowed, "49"));
        assert!(!allows_use(&allowed, "G"));
        assert!(!allows_use(&[], "24"));
    }
}
