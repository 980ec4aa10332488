//! Where a site is: a checked point, straight-line distances to what investors
//! ask about (motorway, port, airport) and the outline of the plot.
//!
//! Everything here is bounded to Cantabria: the platform covers the Besaya
//! district and its surroundings, so a point outside the region is a typing
//! mistake far more often than a real site, and the commonest mistake of all is
//! latitude and longitude swapped, which gets its own answer.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A position in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// Cantabria's bounding box, with a margin: a site just over the border with
/// Asturias, Castilla y León or Biscay is still accepted.
const LAT_MIN: f64 = 42.75;
const LAT_MAX: f64 = 43.52;
const LON_MIN: f64 = -4.86;
#[expect(
    clippy::approx_constant,
    reason = "a longitude east of Castro Urdiales, not π"
)]
const LON_MAX: f64 = -3.14;

/// The mean Earth radius of the IUGG, in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Why a latitude and longitude cannot be a site's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PointProblem {
    #[error("the coordinates are not numbers")]
    NotFinite,
    #[error("a latitude is between -90 and 90 and a longitude between -180 and 180")]
    OutOfRange,
    #[error("latitude and longitude seem swapped")]
    Swapped,
    #[error("the point is outside Cantabria")]
    OutsideCantabria,
}

fn in_cantabria(lat: f64, lon: f64) -> bool {
    (LAT_MIN..=LAT_MAX).contains(&lat) && (LON_MIN..=LON_MAX).contains(&lon)
}

/// A site's position from what was typed or imported: finite, on Earth, and
/// in Cantabria. When the two numbers only make sense the other way round the
/// answer is [`PointProblem::Swapped`], so the form can offer to swap them.
pub fn check_point(lat: f64, lon: f64) -> Result<Point, PointProblem> {
    if !lat.is_finite() || !lon.is_finite() {
        return Err(PointProblem::NotFinite);
    }
    if lat.abs() > 90.0 || lon.abs() > 180.0 {
        return Err(PointProblem::OutOfRange);
    }
    if in_cantabria(lat, lon) {
        Ok(Point { lat, lon })
    } else if in_cantabria(lon, lat) {
        Err(PointProblem::Swapped)
    } else {
        Err(PointProblem::OutsideCantabria)
    }
}

/// Great-circle distance in km on a sphere of the Earth's mean radius: within
/// 0.5 % of the ellipsoid, far better than a straight line is a road anyway.
pub fn haversine_km(a: Point, b: Point) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A named place distances are measured to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Landmark {
    pub name: &'static str,
    pub point: Point,
}

const fn landmark(name: &'static str, lat: f64, lon: f64) -> Landmark {
    Landmark {
        name,
        point: Point { lat, lon },
    }
}

/// Junctions of the A-67 (Cantabria–Meseta) and the A-8 (Cantábrico) in and
/// near the Besaya district.
///
/// These are approximate positions (to about a kilometre, not surveyed), good
/// enough for a straight-line "nearest motorway junction" shown as a first
/// hint. A site may override the figure with the real road distance, which is
/// what an investor's logistics team will check.
pub const MOTORWAY_JUNCTIONS: &[Landmark] = &[
    landmark("Santander (A-67, S-10)", 43.448, -3.843),
    landmark("Santa Cruz de Bezana (A-67, S-20)", 43.442, -3.895),
    landmark("Polanco / Requejada (A-67)", 43.386, -4.017),
    landmark("Barreda (A-67)", 43.367, -4.043),
    landmark("Sierrapando (A-8, A-67)", 43.346, -4.025),
    landmark("Torrelavega (A-8, A-67)", 43.342, -4.060),
    landmark("Reocín / Puente San Miguel (A-8)", 43.344, -4.090),
    landmark("Cartes (A-67)", 43.325, -4.068),
    landmark("Los Corrales de Buelna (A-67)", 43.262, -4.064),
    landmark("Somahoz (A-67)", 43.245, -4.060),
];

/// The commercial docks of the port of Santander at Raos.
pub const PORT_OF_SANTANDER: Landmark = landmark("Puerto de Santander (Raos)", 43.440, -3.820);

/// Seve Ballesteros–Santander airport.
pub const SANTANDER_AIRPORT: Landmark =
    landmark("Aeropuerto Seve Ballesteros-Santander", 43.427, -3.820);

/// Straight-line distances from a site, rounded to 0.1 km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distances {
    pub motorway_km: f64,
    /// The name of the nearest junction in [`MOTORWAY_JUNCTIONS`].
    pub motorway_junction: &'static str,
    pub port_km: f64,
    pub airport_km: f64,
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// The distances a new site starts with, before anyone types road distances.
pub fn distances_from(p: Point) -> Distances {
    let (motorway_km, motorway_junction) = MOTORWAY_JUNCTIONS
        .iter()
        .map(|j| (haversine_km(p, j.point), j.name))
        .fold(
            (f64::INFINITY, ""),
            |best, cur| {
                if cur.0 < best.0 { cur } else { best }
            },
        );
    Distances {
        motorway_km: round_to(motorway_km, 1),
        motorway_junction,
        port_km: round_to(haversine_km(p, PORT_OF_SANTANDER.point), 1),
        airport_km: round_to(haversine_km(p, SANTANDER_AIRPORT.point), 1),
    }
}

/// The largest outline document accepted, in bytes.
pub const MAX_OUTLINE_BYTES: usize = 1_000_000;
/// The most positions an outline may have, over all its rings: a cadastral
/// parcel has tens; thousands mean a traced coastline or a mistake.
pub const MAX_OUTLINE_POSITIONS: usize = 10_000;

/// Why a GeoJSON text is not a usable site outline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutlineError {
    #[error("the outline is not valid JSON")]
    NotJson,
    /// The type found (empty when there is none): only `Polygon`,
    /// `MultiPolygon` or a `Feature` with one of them are outlines.
    #[error("an outline is a GeoJSON Polygon or MultiPolygon, not {0:?}")]
    UnsupportedType(String),
    #[error("each ring of an outline has at least 4 positions and ends where it starts")]
    Ring,
    #[error("each position of an outline is [longitude, latitude] in numbers")]
    Position,
    #[error("the outline is outside Cantabria")]
    OutsideCantabria,
    #[error("the outline has latitude and longitude swapped (GeoJSON is [longitude, latitude])")]
    Swapped,
    #[error("the outline is too large (at most 1 MB and 10,000 positions)")]
    TooLarge,
}

/// A checked plot outline, kept as normalised GeoJSON for the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    geometry: String,
    centroid: Point,
    bbox: (Point, Point),
}

impl Outline {
    /// The geometry alone as compact GeoJSON, `{"type":…,"coordinates":…}`,
    /// positions `[lon, lat]` rounded to 7 decimals (about a centimetre) and
    /// without altitude.
    pub fn geometry_json(&self) -> &str {
        &self.geometry
    }

    /// The mean of the outer rings' vertices (the closing one not counted):
    /// inside any reasonable plot, and where the map puts its marker.
    pub fn centroid(&self) -> Point {
        self.centroid
    }

    /// South-west and north-east corners.
    pub fn bbox(&self) -> (Point, Point) {
        self.bbox
    }
}

/// Reads a plot outline: a GeoJSON `Polygon` or `MultiPolygon` geometry, or a
/// `Feature` whose geometry is one (its properties are dropped).
pub fn parse_outline(json: &str) -> Result<Outline, OutlineError> {
    if json.len() > MAX_OUTLINE_BYTES {
        return Err(OutlineError::TooLarge);
    }
    let doc: Value = serde_json::from_str(json).map_err(|_| OutlineError::NotJson)?;
    let geometry = match type_of(&doc) {
        "Feature" => match doc.get("geometry") {
            Some(g @ Value::Object(_)) => g,
            _ => return Err(OutlineError::UnsupportedType(String::new())),
        },
        _ => &doc,
    };
    let kind = type_of(geometry);
    if !matches!(kind, "Polygon" | "MultiPolygon") {
        return Err(OutlineError::UnsupportedType(kind.to_owned()));
    }
    let coordinates = geometry.get("coordinates").ok_or(OutlineError::Ring)?;
    let polygons: Vec<&Value> = if kind == "Polygon" {
        vec![coordinates]
    } else {
        array(coordinates, OutlineError::Ring)?.iter().collect()
    };
    if polygons.is_empty() {
        return Err(OutlineError::Ring);
    }

    let mut reader = Reader::default();
    let mut parsed: Vec<Vec<Vec<Point>>> = Vec::with_capacity(polygons.len());
    for polygon in polygons {
        let rings = array(polygon, OutlineError::Ring)?;
        if rings.is_empty() {
            return Err(OutlineError::Ring);
        }
        let mut out = Vec::with_capacity(rings.len());
        for (i, ring) in rings.iter().enumerate() {
            out.push(reader.ring(ring, i == 0)?);
        }
        parsed.push(out);
    }

    let mut text = String::with_capacity(32 + reader.positions * 28);
    text.push_str("{\"type\":\"");
    text.push_str(kind);
    text.push_str("\",\"coordinates\":");
    if kind == "Polygon" {
        write_polygon(&mut text, parsed.first().map_or(&[][..], Vec::as_slice));
    } else {
        text.push('[');
        for (i, polygon) in parsed.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            write_polygon(&mut text, polygon);
        }
        text.push(']');
    }
    text.push('}');

    let n = reader.outer_vertices.max(1) as f64;
    Ok(Outline {
        geometry: text,
        centroid: Point {
            lat: reader.lat_sum / n,
            lon: reader.lon_sum / n,
        },
        bbox: (
            Point {
                lat: reader.lat_min,
                lon: reader.lon_min,
            },
            Point {
                lat: reader.lat_max,
                lon: reader.lon_max,
            },
        ),
    })
}

fn type_of(v: &Value) -> &str {
    v.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn array(v: &Value, err: OutlineError) -> Result<&Vec<Value>, OutlineError> {
    v.as_array().ok_or(err)
}

/// Running totals while the rings are read.
struct Reader {
    positions: usize,
    outer_vertices: usize,
    lat_sum: f64,
    lon_sum: f64,
    lat_min: f64,
    lat_max: f64,
    lon_min: f64,
    lon_max: f64,
}

impl Default for Reader {
    fn default() -> Self {
        Self {
            positions: 0,
            outer_vertices: 0,
            lat_sum: 0.0,
            lon_sum: 0.0,
            lat_min: f64::INFINITY,
            lat_max: f64::NEG_INFINITY,
            lon_min: f64::INFINITY,
            lon_max: f64::NEG_INFINITY,
        }
    }
}

impl Reader {
    fn ring(&mut self, ring: &Value, outer: bool) -> Result<Vec<Point>, OutlineError> {
        let positions = array(ring, OutlineError::Ring)?;
        self.positions += positions.len();
        if self.positions > MAX_OUTLINE_POSITIONS {
            return Err(OutlineError::TooLarge);
        }
        if positions.len() < 4 {
            return Err(OutlineError::Ring);
        }
        let points = positions
            .iter()
            .map(position)
            .collect::<Result<Vec<_>, _>>()?;
        if points.first() != points.last() {
            return Err(OutlineError::Ring);
        }
        for p in &points {
            self.lat_min = self.lat_min.min(p.lat);
            self.lat_max = self.lat_max.max(p.lat);
            self.lon_min = self.lon_min.min(p.lon);
            self.lon_max = self.lon_max.max(p.lon);
        }
        if outer {
            for p in &points[1..] {
                self.lat_sum += p.lat;
                self.lon_sum += p.lon;
            }
            self.outer_vertices += points.len() - 1;
        }
        Ok(points)
    }
}

/// One GeoJSON position, `[lon, lat]` or `[lon, lat, altitude]` (RFC 7946 §3.1.1).
fn position(v: &Value) -> Result<Point, OutlineError> {
    let numbers = array(v, OutlineError::Position)?;
    let (lon, lat) = match numbers.as_slice() {
        [lon, lat] | [lon, lat, _] => (lon.as_f64(), lat.as_f64()),
        _ => return Err(OutlineError::Position),
    };
    if numbers.get(2).is_some_and(|alt| !alt.is_number()) {
        return Err(OutlineError::Position);
    }
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(OutlineError::Position);
    };
    check_point(lat, lon).map_err(|p| match p {
        PointProblem::NotFinite | PointProblem::OutOfRange => OutlineError::Position,
        PointProblem::Swapped => OutlineError::Swapped,
        PointProblem::OutsideCantabria => OutlineError::OutsideCantabria,
    })
}

fn write_polygon(out: &mut String, rings: &[Vec<Point>]) {
    out.push('[');
    for (i, ring) in rings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (j, p) in ring.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            // Writing to a String cannot fail.
            let _ = write!(out, "[{},{}]", round_to(p.lon, 7), round_to(p.lat, 7));
        }
        out.push(']');
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TORRELAVEGA: Point = Point {
        lat: 43.3494,
        lon: -4.0479,
    };

    #[test]
    fn points_are_checked_against_cantabria() {
        assert_eq!(check_point(43.3494, -4.0479), Ok(TORRELAVEGA));
        assert_eq!(check_point(-4.0479, 43.3494), Err(PointProblem::Swapped));
        assert_eq!(
            check_point(40.4168, -3.7038),
            Err(PointProblem::OutsideCantabria)
        );
        assert_eq!(check_point(91.0, -4.0), Err(PointProblem::OutOfRange));
        assert_eq!(check_point(43.0, -181.0), Err(PointProblem::OutOfRange));
        assert_eq!(check_point(f64::NAN, -4.0), Err(PointProblem::NotFinite));
        assert_eq!(
            check_point(43.3, f64::INFINITY),
            Err(PointProblem::NotFinite)
        );
    }

    #[test]
    fn haversine_matches_known_distances() {
        assert_eq!(haversine_km(TORRELAVEGA, TORRELAVEGA), 0.0);
        // Santander–Torrelavega is about 23 km as the crow flies.
        let santander = Point {
            lat: 43.4623,
            lon: -3.8100,
        };
        let d = haversine_km(TORRELAVEGA, santander);
        assert!((22.0..24.0).contains(&d), "{d}");
        // One degree of latitude is 111.2 km on this sphere.
        let a = Point {
            lat: 43.0,
            lon: -4.0,
        };
        let b = Point {
            lat: 44.0,
            lon: -4.0,
        };
        assert!((haversine_km(a, b) - 111.195).abs() < 0.01);
        assert!((haversine_km(a, b) - haversine_km(b, a)).abs() < 1e-9);
    }

    #[test]
    fn distances_pick_the_nearest_junction_and_round() {
        let d = distances_from(Point {
            lat: 43.262,
            lon: -4.064,
        });
        assert_eq!(d.motorway_junction, "Los Corrales de Buelna (A-67)");
        assert_eq!(d.motorway_km, 0.0);
        assert!((26.0..30.0).contains(&d.port_km), "{}", d.port_km);
        assert_eq!(d.port_km, (d.port_km * 10.0).round() / 10.0);
        let d = distances_from(TORRELAVEGA);
        assert!(d.motorway_km < 2.0, "{d:?}");
        assert!((20.0..24.0).contains(&d.airport_km), "{d:?}");
        for j in MOTORWAY_JUNCTIONS {
            assert!(check_point(j.point.lat, j.point.lon).is_ok(), "{}", j.name);
        }
    }

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[-4.05,43.35],[-4.04,43.35],[-4.04,43.36],[-4.05,43.36],[-4.05,43.35]]]}"#;

    #[test]
    fn polygons_and_features_are_normalised() {
        let o = parse_outline(SQUARE).unwrap();
        assert_eq!(o.geometry_json(), SQUARE);
        assert!((o.centroid().lat - 43.355).abs() < 1e-9);
        assert!((o.centroid().lon + 4.045).abs() < 1e-9);
        assert_eq!(
            o.bbox(),
            (
                Point {
                    lat: 43.35,
                    lon: -4.05
                },
                Point {
                    lat: 43.36,
                    lon: -4.04
                }
            )
        );

        let feature = r#"{"type": "Feature", "properties": {"name": "Parcela 12"},
            "geometry": {"type": "Polygon", "coordinates": [[
              [-4.050000001, 43.35, 12.5], [-4.04, 43.35, 12], [-4.04, 43.36, 13],
              [-4.05, 43.36, 12], [-4.050000001, 43.35, 12.5]]]}}"#;
        assert_eq!(parse_outline(feature).unwrap().geometry_json(), SQUARE);

        let multi = r#"{"type":"MultiPolygon","coordinates":[
            [[[-4.05,43.35],[-4.04,43.35],[-4.04,43.36],[-4.05,43.35]]],
            [[[-4.03,43.35],[-4.02,43.35],[-4.02,43.36],[-4.03,43.36],[-4.03,43.35]],
             [[-4.029,43.351],[-4.021,43.351],[-4.021,43.359],[-4.029,43.351]]]]}"#;
        let o = parse_outline(multi).unwrap();
        assert!(
            o.geometry_json()
                .starts_with(r#"{"type":"MultiPolygon","coordinates":[[[[-4.05,43.35],"#)
        );
        let reparsed: Value = serde_json::from_str(o.geometry_json()).unwrap();
        assert_eq!(reparsed["coordinates"].as_array().unwrap().len(), 2);
        assert_eq!(
            o.bbox().1,
            Point {
                lat: 43.36,
                lon: -4.02
            }
        );
        assert_eq!(parse_outline(o.geometry_json()).unwrap(), o);
    }

    #[test]
    fn bad_outlines_say_why() {
        use OutlineError::*;
        assert_eq!(parse_outline("{\"type\":"), Err(NotJson));
        assert_eq!(parse_outline(""), Err(NotJson));
        assert_eq!(
            parse_outline(r#"{"type":"Point","coordinates":[-4.05,43.35]}"#),
            Err(UnsupportedType("Point".into()))
        );
        assert_eq!(
            parse_outline(r#"{"type":"FeatureCollection","features":[]}"#),
            Err(UnsupportedType("FeatureCollection".into()))
        );
        assert_eq!(
            parse_outline(r#"{"type":"Feature","geometry":null}"#),
            Err(UnsupportedType(String::new()))
        );
        assert_eq!(parse_outline("[1,2]"), Err(UnsupportedType(String::new())));
        // Open ring, too short ring, no ring.
        assert_eq!(
            parse_outline(
                r#"{"type":"Polygon","coordinates":[[[-4.05,43.35],[-4.04,43.35],[-4.04,43.36],[-4.05,43.36]]]}"#
            ),
            Err(Ring)
        );
        assert_eq!(
            parse_outline(
                r#"{"type":"Polygon","coordinates":[[[-4.05,43.35],[-4.04,43.35],[-4.05,43.35]]]}"#
            ),
            Err(Ring)
        );
        assert_eq!(
            parse_outline(r#"{"type":"Polygon","coordinates":[]}"#),
            Err(Ring)
        );
        assert_eq!(parse_outline(r#"{"type":"Polygon"}"#), Err(Ring));
        assert_eq!(
            parse_outline(r#"{"type":"MultiPolygon","coordinates":[]}"#),
            Err(Ring)
        );
        // Positions that are not [lon, lat].
        for bad in [
            r#"[[["-4.05",43.35],[-4.04,43.35],[-4.04,43.36],["-4.05",43.35]]]"#,
            r#"[[[-4.05],[-4.04,43.35],[-4.04,43.36],[-4.05]]]"#,
            r#"[[[-4.05,43.35,1,2],[-4.04,43.35],[-4.04,43.36],[-4.05,43.35,1,2]]]"#,
            r#"[[[-4.05,43.35,"x"],[-4.04,43.35],[-4.04,43.36],[-4.05,43.35,"x"]]]"#,
            r#"[[[-400,43.35],[-4.04,43.35],[-4.04,43.36],[-400,43.35]]]"#,
            r#"[[1,2,3,4]]"#,
        ] {
            let json = format!(r#"{{"type":"Polygon","coordinates":{bad}}}"#);
            assert_eq!(parse_outline(&json), Err(Position), "{bad}");
        }
        assert_eq!(
            parse_outline(
                r#"{"type":"Polygon","coordinates":[[[43.35,-4.05],[43.35,-4.04],[43.36,-4.04],[43.35,-4.05]]]}"#
            ),
            Err(Swapped)
        );
        assert_eq!(
            parse_outline(
                r#"{"type":"Polygon","coordinates":[[[-3.70,40.41],[-3.69,40.41],[-3.69,40.42],[-3.70,40.41]]]}"#
            ),
            Err(OutsideCantabria)
        );
    }

    #[test]
    fn large_outlines_are_refused() {
        let mut ring: Vec<String> = (0..10_001)
            .map(|i| format!("[{},43.35]", -4.05 + f64::from(i) * 1e-7))
            .collect();
        ring.push("[-4.05,43.35]".into());
        let json = format!(
            r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
            ring.join(",")
        );
        assert!(json.len() < MAX_OUTLINE_BYTES);
        assert_eq!(parse_outline(&json), Err(OutlineError::TooLarge));
        let padded = format!("{SQUARE}{}", " ".repeat(MAX_OUTLINE_BYTES));
        assert_eq!(parse_outline(&padded), Err(OutlineError::TooLarge));
    }

    proptest! {
        #[test]
        fn outline_parsing_never_panics(s in "\\PC{0,200}") {
            let _ = parse_outline(&s);
        }

        #[test]
        fn generated_rings_round_trip(
            pts in prop::collection::vec((43.0f64..43.5, -4.8f64..-3.2), 3..30)
        ) {
            let mut ring: Vec<String> = pts.iter().map(|(lat, lon)| format!("[{lon},{lat}]")).collect();
            ring.push(ring[0].clone());
            let json = format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, ring.join(","));
            let o = parse_outline(&json).unwrap();
            let again = parse_outline(o.geometry_json()).unwrap();
            prop_assert_eq!(again.geometry_json(), o.geometry_json());
            let (sw, ne) = o.bbox();
            let c = o.centroid();
            prop_assert!(sw.lat <= c.lat && c.lat <= ne.lat && sw.lon <= c.lon && c.lon <= ne.lon);
        }

        #[test]
        fn check_point_never_panics(lat in any::<f64>(), lon in any::<f64>()) {
            if let Ok(p) = check_point(lat, lon) {
                let d = distances_from(p);
                prop_assert!(d.motorway_km.is_finite() && d.port_km < 200.0);
            }
        }
    }
}
