//! Rules of the sites module: the industrial plots, buildings and warehouses
//! offered to investors in the Besaya district, and how an investor's
//! requirements are matched against them.
//!
//! - [`cadastre`]: the cadastral reference that identifies each property.
//! - [`geo`]: positions, distances to motorway, port and airport, outlines.
//! - [`availability`]: availability and its allowed changes, and the other
//!   closed vocabularies of a site.
//! - [`matching`]: requirement matching and ranking.

pub mod availability;
pub mod cadastre;
pub mod geo;
pub mod matching;

pub use availability::{
    Availability, EnvironmentalStatus, FloodRisk, SiteKind, allowed_from, can_move,
};
pub use cadastre::{CadastralRef, CadastreError};
pub use geo::{
    Distances, Landmark, Outline, OutlineError, Point, PointProblem, check_point, distances_from,
    haversine_km, parse_outline,
};
pub use matching::{
    Check, Criterion, Evaluation, Importance, Offered, Outcome, Range, Ranked, Requirements,
    SiteFacts, Status, Uses, Want, Wanted, evaluate, rank,
};
