//! Units' boundaries, as GeoJSON brings them (Polygon or MultiPolygon, WGS 84 longitude and
//! latitude), checked whole: every feature's problems are collected with its place in the file,
//! and a file with any is refused. What is kept is the geometry alone, written back as
//! compact GeoJSON; maps are drawn from it with no base map (a published map of China needs an
//! approval number, which a base map would bring in, and a county office may have no internet).

use serde_json::{Value, json};

use super::error::{DomainError, Reason};
use super::lang::Lang;

/// The most points a unit's boundary may hold (a village's surveyed outline has hundreds).
pub const MAX_POINTS: usize = 20_000;
/// The most features a file may hold (a county's villages and groups).
pub const MAX_FEATURES: usize = 5_000;

/// A unit's boundary: polygons, each an outer ring and its holes, each ring (longitude,
/// latitude) pairs, closed (the last point is the first).
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// A feature of a file that cannot be read: its place (1 for the first) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureError {
    pub feature: usize,
    pub problem: FeatureProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureProblem {
    /// No property of that name, or not a unit code.
    NoCode(String),
    /// No geometry, or not a Polygon or MultiPolygon.
    NotAPolygon,
    /// A ring with fewer than four positions, or whose last is not its first.
    OpenRing,
    /// A position that is not two numbers in WGS 84's ranges.
    BadPosition,
    TooManyPoints,
    /// A unit named by a feature before it.
    SameUnitTwice(String),
    /// A code that names no unit the caller may draw.
    UnknownUnit(String),
}

impl FeatureError {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let what = match &self.problem {
            FeatureProblem::NoCode(property) if zh => format!("没有属性 {property}（单位编码），或它不是编码"),
            FeatureProblem::NoCode(property) => format!("no property {property} (the unit's code), or it is no code"),
            FeatureProblem::NotAPolygon if zh => "没有几何形状，或不是 Polygon / MultiPolygon".into(),
            FeatureProblem::NotAPolygon => "no geometry, or not a Polygon or MultiPolygon".into(),
            FeatureProblem::OpenRing if zh => "边界环少于 4 个点，或首尾不相接".into(),
            FeatureProblem::OpenRing => "a ring of fewer than 4 positions, or not closed".into(),
            FeatureProblem::BadPosition if zh => "坐标须为经度（-180 到 180）、纬度（-90 到 90）两个数".into(),
            FeatureProblem::BadPosition => "a position must be two numbers: longitude (-180 to 180), latitude (-90 to 90)".into(),
            FeatureProblem::TooManyPoints if zh => format!("点数超过 {MAX_POINTS}"),
            FeatureProblem::TooManyPoints => format!("more than {MAX_POINTS} points"),
            FeatureProblem::SameUnitTwice(code) if zh => format!("单位 {code} 在前面已出现"),
            FeatureProblem::SameUnitTwice(code) => format!("unit {code} is named by a feature before"),
            FeatureProblem::UnknownUnit(code) if zh => format!("没有编码为 {code} 的单位（或不在您的辖区内）"),
            FeatureProblem::UnknownUnit(code) => format!("no unit {code} (or not in your area)"),
        };
        if zh { format!("第 {} 个要素：{what}", self.feature) } else { format!("feature {}: {what}", self.feature) }
    }
}

impl Boundary {
    /// A GeoJSON geometry (or a Feature holding one).
    pub fn from_geojson(value: &Value) -> Result<Boundary, FeatureProblem> {
        let geometry = if value.get("type").and_then(Value::as_str) == Some("Feature") { value.get("geometry").unwrap_or(&Value::Null) } else { value };
        let coordinates = geometry.get("coordinates").ok_or(FeatureProblem::NotAPolygon)?;
        let polygons = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![polygon(coordinates)?],
            Some("MultiPolygon") => coordinates.as_array().ok_or(FeatureProblem::NotAPolygon)?.iter().map(polygon).collect::<Result<_, _>>()?,
            _ => return Err(FeatureProblem::NotAPolygon),
        };
        if polygons.is_empty() {
            return Err(FeatureProblem::NotAPolygon);
        }
        let boundary = Boundary { polygons };
        if boundary.points() > MAX_POINTS {
            return Err(FeatureProblem::TooManyPoints);
        }
        Ok(boundary)
    }

    /// One GeoJSON geometry, as the API takes it: a Feature or a bare geometry.
    pub fn parse_one(text: &str) -> Result<Boundary, DomainError> {
        let value: Value = serde_json::from_str(text).map_err(|_| DomainError::invalid("boundary", Reason::NotABoundary))?;
        Boundary::from_geojson(&value).map_err(|_| DomainError::invalid("boundary", Reason::NotABoundary))
    }

    pub fn points(&self) -> usize {
        self.polygons.iter().flatten().map(Vec::len).sum()
    }

    /// The geometry as compact GeoJSON, as stored.
    pub fn to_geojson(&self) -> String {
        let ring = |r: &Vec<(f64, f64)>| r.iter().map(|(x, y)| json!([x, y])).collect::<Vec<_>>();
        let polygons: Vec<Vec<Vec<Value>>> = self.polygons.iter().map(|p| p.iter().map(ring).collect()).collect();
        json!({"type": "MultiPolygon", "coordinates": polygons}).to_string()
    }

    /// (west, south, east, north).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in self.polygons.iter().flatten().flatten() {
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
        b
    }

    /// Where a label goes: the bounds (west, south, east, north) of the largest outer ring;
    /// the label sits at their middle and fits their width.
    pub fn label_box(&self) -> (f64, f64, f64, f64) {
        let bounds =
            |r: &Vec<(f64, f64)>| r.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, &(x, y)| (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y)));
        let area = |b: &(f64, f64, f64, f64)| (b.2 - b.0) * (b.3 - b.1);
        self.polygons.iter().filter_map(|p| p.first()).map(bounds).max_by(|a, b| area(a).total_cmp(&area(b))).unwrap_or_default()
    }
}

fn polygon(value: &Value) -> Result<Vec<Vec<(f64, f64)>>, FeatureProblem> {
    let rings = value.as_array().ok_or(FeatureProblem::NotAPolygon)?;
    if rings.is_empty() {
        return Err(FeatureProblem::OpenRing);
    }
    rings
        .iter()
        .map(|ring| {
            let positions = ring.as_array().ok_or(FeatureProblem::NotAPolygon)?;
            let points: Vec<(f64, f64)> = positions.iter().map(position).collect::<Result<_, _>>()?;
            if points.len() < 4 || points.first() != points.last() {
                return Err(FeatureProblem::OpenRing);
            }
            Ok(points)
        })
        .collect()
}

fn position(value: &Value) -> Result<(f64, f64), FeatureProblem> {
    let pair = value.as_array().filter(|p| p.len() >= 2).ok_or(FeatureProblem::BadPosition)?;
    let (lon, lat) = (pair[0].as_f64().ok_or(FeatureProblem::BadPosition)?, pair[1].as_f64().ok_or(FeatureProblem::BadPosition)?);
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(FeatureProblem::BadPosition);
    }
    Ok((lon, lat))
}

/// A file's features: each readable feature's place, unit code (from `code_property`) and
/// boundary, in file order, and every problem of the others. A FeatureCollection, or a single
/// Feature; a file that is neither is one problem of "feature 0".
pub fn read_features(text: &str, code_property: &str) -> (Vec<(usize, String, Boundary)>, Vec<FeatureError>) {
    let whole = |problem| (Vec::new(), vec![FeatureError { feature: 0, problem }]);
    let Ok(value) = serde_json::from_str::<Value>(text) else { return whole(FeatureProblem::NotAPolygon) };
    let features: Vec<&Value> = match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => value.get("features").and_then(Value::as_array).map(|f| f.iter().collect()).unwrap_or_default(),
        Some("Feature") => vec![&value],
        _ => return whole(FeatureProblem::NotAPolygon),
    };
    if features.len() > MAX_FEATURES {
        return whole(FeatureProblem::TooManyPoints);
    }
    let mut found: Vec<(usize, String, Boundary)> = Vec::new();
    let mut errors = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let error = |problem| FeatureError { feature: i + 1, problem };
        let code = feature.get("properties").and_then(|p| p.get(code_property)).and_then(|c| match c {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let code = match code.filter(|c| super::UnitCode::parse(c).is_ok()) {
            Some(code) => code,
            None => {
                errors.push(error(FeatureProblem::NoCode(code_property.to_string())));
                continue;
            }
        };
        if found.iter().any(|(_, c, _)| *c == code) {
            errors.push(error(FeatureProblem::SameUnitTwice(code)));
            continue;
        }
        match Boundary::from_geojson(feature) {
            Ok(boundary) => found.push((i + 1, code, boundary)),
            Err(problem) => errors.push(error(problem)),
        }
    }
    (found, errors)
}

/// What a map of units colours its children by: the check-in rate (the default), red
/// households per 100 households, or any figure with a trend (`fevers`, `followups_overdue`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMetric {
    CheckinRate,
    RedPer100,
    Figure(super::trends::Metric),
}

impl MapMetric {
    pub fn parse(raw: &str) -> Result<MapMetric, DomainError> {
        match raw.trim() {
            "" => Ok(MapMetric::CheckinRate),
            typed if super::words::same_word(typed, "checkin_rate") => Ok(MapMetric::CheckinRate),
            typed if super::words::same_word(typed, "red_per_100") => Ok(MapMetric::RedPer100),
            other => super::trends::Metric::parse(other).map(MapMetric::Figure).map_err(|_| {
                DomainError::invalid(
                    "metric",
                    Reason::OneOf("checkin_rate red_per_100 fevers followups_overdue …", "checkin_rate red_per_100 fevers followups_overdue …"),
                )
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MapMetric::CheckinRate => "checkin_rate",
            MapMetric::RedPer100 => "red_per_100",
            MapMetric::Figure(metric) => metric.as_str(),
        }
    }

    /// The metric's value among a unit's figures; none where it has no meaning (no one expected
    /// to check in, no households).
    pub fn value(self, f: &super::command::DayFigures) -> Option<f64> {
        match self {
            MapMetric::CheckinRate => f.checkin_rate(),
            MapMetric::RedPer100 => (f.households > 0).then(|| (f.households_by_colour.red as f64 * 1000.0 / f.households as f64).round() / 10.0),
            MapMetric::Figure(metric) => Some(metric.of(f) as f64),
        }
    }

    /// Every metric a map offers, the two rates first.
    pub fn all() -> Vec<MapMetric> {
        let mut all = vec![MapMetric::CheckinRate, MapMetric::RedPer100];
        all.extend(super::trends::Metric::ALL.iter().map(|m| MapMetric::Figure(*m)));
        all
    }
}

/// The place of a point on a map `width` × `height` showing `bounds` (west, south, east, north):
/// longitudes shrunk by the cosine of the middle latitude, so shapes keep their proportions,
/// fitted inside with `margin` on each side, north up.
pub struct Projection {
    west: f64,
    north: f64,
    scale: f64,
    shrink: f64,
    left: f64,
    top: f64,
}

impl Projection {
    pub fn fit(bounds: (f64, f64, f64, f64), width: f64, height: f64, margin: f64) -> Projection {
        let (west, south, east, north) = bounds;
        let shrink = ((south + north) / 2.0).to_radians().cos().max(0.1);
        let (span_x, span_y) = (((east - west) * shrink).max(1e-9), (north - south).max(1e-9));
        let scale = ((width - 2.0 * margin) / span_x).min((height - 2.0 * margin) / span_y);
        let left = margin + ((width - 2.0 * margin) - span_x * scale) / 2.0;
        let top = margin + ((height - 2.0 * margin) - span_y * scale) / 2.0;
        Projection { west, north, scale, shrink, left, top }
    }

    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        (self.left + (lon - self.west) * self.shrink * self.scale, self.top + (self.north - lat) * self.scale)
    }
}

/// Five classes of a figure's values, by equal steps from the smallest to the largest: the
/// class (0–4) of each value, and each class's lower bound.
pub fn classes(values: &[f64]) -> (Vec<usize>, [f64; 5]) {
    let (min, max) = values.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if values.is_empty() {
        return (Vec::new(), [0.0; 5]);
    }
    let step = (max - min) / 5.0;
    let bounds = std::array::from_fn(|i| min + step * i as f64);
    let class = |v: f64| if step <= 0.0 { 0 } else { (((v - min) / step) as usize).min(4) };
    (values.iter().map(|v| class(*v)).collect(), bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[122.0,43.5],[122.1,43.5],[122.1,43.6],[122.0,43.6],[122.0,43.5]]]}"#;

    #[test]
    fn a_polygon_is_read_and_written_back() {
        let b = Boundary::parse_one(SQUARE).unwrap();
        assert_eq!(b.points(), 5);
        assert_eq!(Boundary::parse_one(&b.to_geojson()).unwrap(), b, "stored as read");
        assert_eq!(b.label_box(), (122.0, 43.5, 122.1, 43.6));
    }

    #[test]
    fn every_bad_feature_is_told_with_its_place() {
        let file = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"150502001"},"geometry":{"type":"Polygon","coordinates":[[[122,43],[123,43],[123,44],[122,44],[122,43]]]}},
            {"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[122,43],[123,43],[123,44],[122,44],[122,43]]]}},
            {"type":"Feature","properties":{"code":"150502002"},"geometry":{"type":"Polygon","coordinates":[[[122,43],[123,43],[123,44],[122,44]]]}},
            {"type":"Feature","properties":{"code":"150502003"},"geometry":{"type":"Point","coordinates":[122,43]}},
            {"type":"Feature","properties":{"code":150502004},"geometry":{"type":"Polygon","coordinates":[[[222,43],[123,43],[123,44],[122,44],[222,43]]]}},
            {"type":"Feature","properties":{"code":"150502001"},"geometry":{"type":"Polygon","coordinates":[[[122,43],[123,43],[123,44],[122,44],[122,43]]]}}
        ]}"#;
        let (readable, errors) = read_features(file, "code");
        assert_eq!(readable.len(), 1, "the readable feature is kept beside the problems");
        let places: Vec<usize> = errors.iter().map(|e| e.feature).collect();
        assert_eq!(places, [2, 3, 4, 5, 6]);
        assert_eq!(errors[0].message(Lang::Zh), "第 2 个要素：没有属性 code（单位编码），或它不是编码");
        assert!(errors[4].message(Lang::En).contains("150502001 is named by a feature before"));
        let good = r#"{"type":"Feature","properties":{"dm":"150502001"},"geometry":{"type":"MultiPolygon","coordinates":[[[[122,43],[123,43],[123,44],[122,44],[122,43]]]]}}"#;
        let (found, errors) = read_features(good, "dm");
        assert!(errors.is_empty() && found[0].1 == "150502001", "another property names the code");
    }

    #[test]
    fn a_projection_fits_the_bounds_north_up() {
        let p = Projection::fit((122.0, 43.0, 123.0, 44.0), 400.0, 400.0, 10.0);
        let (x0, y0) = p.point(122.0, 44.0);
        let (x1, y1) = p.point(123.0, 43.0);
        assert!(y0 < y1 && x0 < x1, "north is up, east is right");
        assert!((y1 - y0 - 380.0).abs() < 1e-6, "the taller side fills the height");
        assert!(((x1 - x0) - 380.0 * 44.0f64.to_radians().cos().min(1.0)).abs() < 3.0, "longitudes shrunk");
    }

    #[test]
    fn values_fall_into_five_classes() {
        let (classes, bounds) = classes(&[0.0, 10.0, 5.0, 9.99]);
        assert_eq!(classes, [0, 4, 2, 4]);
        assert_eq!(bounds[1], 2.0);
    }
}
