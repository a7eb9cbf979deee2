//! Checkpoints (卡点, 劝返点, 检查点) and the passages logged at them.

use serde::Serialize;

use super::error::{DomainError, Problems, Reason};
use super::text::TypedNumber;

use super::words::words;

words!(
    /// 卡点 (a road block), 劝返点 (where travellers are persuaded to turn back), 检查点.
    CheckpointKind, "kind", { Checkpoint = "checkpoint" | "卡点", PersuasionPoint = "persuasion_point" | "劝返点", MonitoringPoint = "monitoring_point" | "检查点" | "监测点" }
);
words!(Direction, "direction", { In = "in" | "进", Out = "out" | "出" });
words!(
    /// What became of a passage: passed, turned back (劝返) or sent to a doctor.
    Outcome, "outcome", { Passed = "passed" | "通行" | "放行", TurnedBack = "turned_back" | "劝返", Referred = "referred" | "送医" | "转诊" }
);

/// A body temperature in tenths of a degree Celsius, so that comparing it with the fever
/// line is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Temperature(i16);

impl Temperature {
    pub const DEFAULT_FEVER: Temperature = Temperature(373);

    pub fn from_celsius(celsius: f64) -> Result<Temperature, DomainError> {
        let tenths = (celsius * 10.0).round();
        if !(340.0..=430.0).contains(&tenths) {
            return Err(DomainError::invalid("temperature", Reason::TemperatureRange));
        }
        Ok(Temperature(tenths as i16))
    }

    /// A temperature as typed (°C; a trailing ℃, °C or C is dropped); blank is none, and text
    /// that is no number is said so.
    pub fn typed(raw: Option<&TypedNumber>) -> Result<Option<Temperature>, DomainError> {
        super::text::optional_decimal(raw, "temperature", Reason::TemperatureFormat, &['℃', 'C', 'c', '°'])?.map(Temperature::from_celsius).transpose()
    }

    /// A temperature as typed, which must be given.
    pub fn parse(raw: &str) -> Result<Temperature, DomainError> {
        Temperature::typed(Some(&TypedNumber::Text(raw.to_string())))?.ok_or(DomainError::invalid("temperature", Reason::Empty))
    }

    pub fn celsius(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    pub fn is_fever(self, line: Temperature) -> bool {
        self >= line
    }
}

impl std::fmt::Display for Temperature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.celsius())
    }
}

/// A vehicle plate as written on it: a province character, a letter, and 4–6 letters or
/// digits (new-energy plates have six), with an optional trailing 挂/学/警/领/使.
/// Spaces, dots and dashes people type are dropped; letters are upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Plate(String);

impl Plate {
    pub fn parse(raw: &str) -> Result<Plate, DomainError> {
        let plate: String = raw.chars().filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '.' | '-')).map(|c| c.to_ascii_uppercase()).collect();
        let chars: Vec<char> = plate.chars().collect();
        let bad = || DomainError::invalid("plate", Reason::PlateFormat);
        let (body, _suffix) = match chars.last() {
            Some('挂' | '学' | '警' | '领' | '使') => (&chars[..chars.len() - 1], true),
            _ => (&chars[..], false),
        };
        if body.len() < 6 || body.len() > 8 {
            return Err(bad());
        }
        if !is_cjk(body[0]) || !body[1].is_ascii_uppercase() || !body[2..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Err(bad());
        }
        Ok(Plate(plate))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A point on the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

impl Location {
    pub fn new(lat: f64, lon: f64) -> Result<Location, DomainError> {
        let mut problems = Problems::default();
        if !(-90.0..=90.0).contains(&lat) {
            problems.push(DomainError::invalid("lat", Reason::Coordinates));
        }
        if !(-180.0..=180.0).contains(&lon) {
            problems.push(DomainError::invalid("lon", Reason::Coordinates));
        }
        problems.finish()?;
        Ok(Location { lat, lon })
    }

    /// A place as typed: both ends or neither; each problem of each.
    pub fn typed(lat: Option<&TypedNumber>, lon: Option<&TypedNumber>) -> Result<Option<Location>, DomainError> {
        let mut problems = Problems::default();
        let end = |raw, field, range: std::ops::RangeInclusive<f64>| {
            super::text::optional_decimal(raw, field, Reason::Coordinates, &[])?
                .map(|n| if range.contains(&n) { Ok(n) } else { Err(DomainError::invalid(field, Reason::Coordinates)) })
                .transpose()
        };
        let lat = problems.check(end(lat, "lat", -90.0..=90.0));
        let lon = problems.check(end(lon, "lon", -180.0..=180.0));
        problems.finish()?;
        match (lat.flatten(), lon.flatten()) {
            (Some(lat), Some(lon)) => Ok(Some(Location { lat, lon })),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(DomainError::invalid("lat", Reason::Empty)),
            (Some(_), None) => Err(DomainError::invalid("lon", Reason::Empty)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fever_line_is_exact_at_its_edge() {
        let line = Temperature::DEFAULT_FEVER;
        assert!(Temperature::from_celsius(37.3).unwrap().is_fever(line));
        assert!(!Temperature::from_celsius(37.2).unwrap().is_fever(line));
        assert!(Temperature::parse("38.1℃").unwrap().is_fever(line));
        assert!(Temperature::from_celsius(52.0).is_err());
        assert!(Temperature::parse("hot").is_err());
        let hot = Temperature::parse("hot").unwrap_err();
        assert_eq!(hot.message(crate::domain::Lang::Zh), "体温: 应为数字（℃），如 36.5");
        assert_eq!(Temperature::typed(Some(&TypedNumber::from(String::new()))).unwrap(), None, "blank is none");
        assert_eq!(Temperature::typed(Some(&TypedNumber::from(36.6))).unwrap(), Some(Temperature(366)));
    }

    #[test]
    fn a_place_names_each_bad_end() {
        let text = |s: &str| TypedNumber::from(s.to_string());
        let err = Location::typed(Some(&text("95")), Some(&text("east"))).unwrap_err();
        let fields: Vec<_> = err.each().iter().map(|e| e.message(crate::domain::Lang::En)).collect();
        assert_eq!(fields.len(), 2, "{fields:?}");
        assert!(fields[0].starts_with("Latitude") && fields[1].starts_with("Longitude"), "{fields:?}");
        assert_eq!(Location::typed(Some(&text(" ")), None).unwrap(), None);
        assert!(Location::new(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn plates_are_normalised() {
        assert_eq!(Plate::parse("蒙G 12345").unwrap().as_str(), "蒙G12345");
        assert_eq!(Plate::parse("蒙g·d12345").unwrap().as_str(), "蒙GD12345");
        assert_eq!(Plate::parse("京A1234学").unwrap().as_str(), "京A1234学");
        for bad in ["", "12345", "蒙12345", "蒙G1", "<script>"] {
            assert!(Plate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn words_in_both_languages() {
        assert_eq!(Outcome::parse("劝返").unwrap(), Outcome::TurnedBack);
        assert_eq!(Direction::parse("IN").unwrap(), Direction::In);
        assert_eq!(CheckpointKind::parse("persuasion_point").unwrap().as_str(), "persuasion_point");
        let err = Outcome::parse("waved").unwrap_err();
        assert!(err.message(crate::domain::Lang::En).contains("passed, turned back, referred"), "{err}");
    }
}
