//! Times as people write them: stored in UTC, read and shown in the region's zone.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::error::{DomainError, Reason};

/// The region's time zone: days, windows and paper logs are in local time.
pub const REGION_TZ: Tz = chrono_tz::Asia::Shanghai;

/// An instant: RFC 3339 with a zone, or a local `YYYY-MM-DD HH:MM[:SS]` (a `T` may stand
/// for the space) in the region's zone.
pub fn parse_time(field: &'static str, raw: &str) -> Result<DateTime<Utc>, DomainError> {
    let raw = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    let local = raw.replacen('T', " ", 1);
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&local, format).ok())
        .and_then(|naive| REGION_TZ.from_local_datetime(&naive).earliest())
        .map(|at| at.with_timezone(&Utc))
        .ok_or(DomainError::invalid(field, Reason::TimeFormat))
}

pub fn parse_date(field: &'static str, raw: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| DomainError::invalid(field, Reason::DateFormat))
}

/// The local calendar day of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&REGION_TZ).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_beijing_time() {
        let at = parse_time("at", "2020-02-01T08:30").unwrap();
        assert_eq!(at.to_rfc3339(), "2020-02-01T00:30:00+00:00");
        assert_eq!(parse_time("at", "2020-02-01 08:30:15").unwrap().to_rfc3339(), "2020-02-01T00:30:15+00:00");
        assert_eq!(parse_time("at", "2020-02-01T00:30:00Z").unwrap(), at);
        assert!(parse_time("at", "yesterday").is_err());
        assert_eq!(local_date(parse_time("at", "2020-02-01T23:59").unwrap()), NaiveDate::from_ymd_opt(2020, 2, 1).unwrap());
        assert!(parse_date("valid_from", "2020-02-30").is_err());
    }
}
