//! The small closed vocabularies of a site: whether it can be had, what it is,
//! its flood risk and the state of its soil. Each has a stable snake_case name
//! (stored in the database, sent by the API, used as a translation key).

use serde::{Deserialize, Serialize};

/// Whether a site can be had, and on what terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Available,
    Reserved,
    Sold,
    Let,
    /// Offered through a public tender: who gets it, and when, is not ours to say.
    InTender,
}

impl Availability {
    pub const ALL: [Self; 5] = [
        Self::Available,
        Self::Reserved,
        Self::Sold,
        Self::Let,
        Self::InTender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Reserved => "reserved",
            Self::Sold => "sold",
            Self::Let => "let",
            Self::InTender => "in_tender",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Whether a site's availability may change from `from` to `to`.
///
/// The rule follows what can happen to a real plot: a sale or a lease ends
/// only by the site coming back on the market, a reservation can lapse, and a
/// tender can be declared void. `None` (never stated) may become anything.
/// Moving to the same state is not a change, so it is refused: the caller
/// records nothing.
pub fn can_move(from: Option<Availability>, to: Availability) -> bool {
    use Availability::*;
    let Some(from) = from else {
        return true;
    };
    match from {
        Available => matches!(to, Reserved | InTender | Sold | Let),
        InTender => matches!(to, Available | Reserved | Sold | Let),
        Reserved => matches!(to, Available | Sold | Let),
        Let => matches!(to, Available | Sold),
        Sold => matches!(to, Available),
    }
}

/// The states a site may move to from `from`, in [`Availability::ALL`] order
/// (what an edit form offers).
pub fn allowed_from(from: Option<Availability>) -> Vec<Availability> {
    Availability::ALL
        .into_iter()
        .filter(|&to| can_move(from, to))
        .collect()
}

/// What is on offer: bare land or something built on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    Plot,
    Building,
    Warehouse,
    Office,
}

impl SiteKind {
    pub const ALL: [Self; 4] = [Self::Plot, Self::Building, Self::Warehouse, Self::Office];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plot => "plot",
            Self::Building => "building",
            Self::Warehouse => "warehouse",
            Self::Office => "office",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Flood risk as the river basin authority's maps put it. The variant for "no
/// risk" is `NoRisk` so that it never reads like `Option::None` in a match; its
/// name is still `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FloodRisk {
    #[serde(rename = "none")]
    NoRisk,
    Low,
    Medium,
    High,
}

impl FloodRisk {
    pub const ALL: [Self; 4] = [Self::NoRisk, Self::Low, Self::Medium, Self::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoRisk => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The state of the soil: old industrial land may need cleaning before use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentalStatus {
    Clean,
    Brownfield,
    Remediated,
    UnderAssessment,
}

impl EnvironmentalStatus {
    pub const ALL: [Self; 4] = [
        Self::Clean,
        Self::Brownfield,
        Self::Remediated,
        Self::UnderAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Brownfield => "brownfield",
            Self::Remediated => "remediated",
            Self::UnderAssessment => "under_assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Availability::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for a in Availability::ALL {
            assert_eq!(Availability::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
            assert_eq!(
                serde_json::from_str::<Availability>(&format!("\"{}\"", a.as_str())).unwrap(),
                a
            );
        }
        for k in SiteKind::ALL {
            assert_eq!(SiteKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        for r in FloodRisk::ALL {
            assert_eq!(FloodRisk::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        for e in EnvironmentalStatus::ALL {
            assert_eq!(EnvironmentalStatus::parse(e.as_str()), Some(e));
            assert_eq!(
                serde_json::to_string(&e).unwrap(),
                format!("\"{}\"", e.as_str())
            );
        }
        assert_eq!(InTender.as_str(), "in_tender");
        assert_eq!(FloodRisk::NoRisk.as_str(), "none");
        assert_eq!(
            EnvironmentalStatus::UnderAssessment.as_str(),
            "under_assessment"
        );
        assert_eq!(Availability::parse("Available"), None);
        assert_eq!(FloodRisk::parse("no_risk"), None);
    }

    #[test]
    fn moves_follow_the_life_of_a_site() {
        assert_eq!(
            allowed_from(Some(Available)),
            [Reserved, Sold, Let, InTender]
        );
        assert_eq!(
            allowed_from(Some(InTender)),
            [Available, Reserved, Sold, Let]
        );
        assert_eq!(allowed_from(Some(Reserved)), [Available, Sold, Let]);
        assert_eq!(allowed_from(Some(Let)), [Available, Sold]);
        assert_eq!(allowed_from(Some(Sold)), [Available]);
        assert_eq!(allowed_from(None), Availability::ALL);
        assert!(!can_move(Some(Sold), Let), "a sold site first comes back");
        assert!(!can_move(Some(Let), Reserved));
        assert!(!can_move(Some(Reserved), InTender));
    }

    proptest! {
        #[test]
        fn never_to_the_same_state(i in 0usize..5) {
            let a = Availability::ALL[i];
            prop_assert!(!can_move(Some(a), a));
            prop_assert!(can_move(None, a));
            prop_assert!(can_move(Some(a), Available) || a == Available);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,20}") {
            let _ = Availability::parse(&s);
            let _ = SiteKind::parse(&s);
            let _ = FloodRisk::parse(&s);
            let _ = EnvironmentalStatus::parse(&s);
        }
    }
}
