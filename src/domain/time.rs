//! Times as people write them: stored in UTC, read and shown in the region's zone.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::error::{DomainError, Reason};

/// The region's time zone: days, windows and paper logs are in local time.
pub const REGION_TZ: Tz = chrono_tz::Asia::Shanghai;

/// The years a time may fall in at all: `0000-01-01` or `9999-12-31` is a slip of the
/// keyboard, never a date of this work. Each kind of record narrows it (see `Window`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// An instant: RFC 3339 with a zone, or a local `YYYY-MM-DD HH:MM[:SS]` (a `T` may stand
/// for the space) in the region's zone; years outside `YEARS` are refused.
pub fn parse_time(field: &'static str, raw: &str) -> Result<DateTime<Utc>, DomainError> {
    let raw = raw.trim();
    // Nothing typed is said as such, not with the format nobody asked for.
    if raw.is_empty() {
        return Err(DomainError::invalid(field, Reason::Empty));
    }
    let at = match DateTime::parse_from_rfc3339(raw) {
        Ok(at) => at.with_timezone(&Utc),
        Err(_) => {
            let local = raw.replacen('T', " ", 1);
            ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(&local, format).ok())
                .and_then(|naive| REGION_TZ.from_local_datetime(&naive).earliest())
                .map(|at| at.with_timezone(&Utc))
                .ok_or(DomainError::invalid(field, Reason::TimeFormat))?
        }
    };
    if !YEARS.contains(&at.with_timezone(&REGION_TZ).year()) {
        return Err(DomainError::invalid(field, Reason::YearRange));
    }
    Ok(at)
}

/// A day, `YYYY-MM-DD`; years outside `YEARS` are refused.
pub fn parse_date(field: &'static str, raw: &str) -> Result<NaiveDate, DomainError> {
    if raw.trim().is_empty() {
        return Err(DomainError::invalid(field, Reason::Empty));
    }
    let day = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| DomainError::invalid(field, Reason::DateFormat))?;
    if !YEARS.contains(&day.year()) {
        return Err(DomainError::invalid(field, Reason::YearRange));
    }
    Ok(day)
}

const DAY: i64 = 24 * 60;

/// How far from the caller's now a time typed for each kind of record may lie: far enough
/// for paper brought in late and for what is planned, not so far that a slip of the
/// keyboard is stored. Every window is here. A refused time is told the window, in the
/// region's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Minutes before now.
    pub back: i64,
    /// Minutes after now.
    pub ahead: i64,
}

impl Window {
    /// A passage's time: a checkpoint's paper log typed in up to 90 days later; a few
    /// minutes ahead for a phone whose clock runs fast.
    pub const PASSAGE: Window = Window { back: 90 * DAY, ahead: 5 };
    /// A returnee's arrival: registered up to a year later (a round finds people who came
    /// back months ago). Not ahead: the arrival starts the observation window, which would
    /// colour the household before anyone came.
    pub const ARRIVAL: Window = Window { back: 366 * DAY, ahead: 5 };
    /// The days of a travel history (旅居史): the last two years; up to the arrival.
    pub const TRAVEL: Window = Window { back: 2 * 366 * DAY, ahead: DAY };
    /// A returnee's expected departure: from a year back (typed in late) to a year ahead.
    pub const DEPARTURE: Window = Window { back: 366 * DAY, ahead: 366 * DAY };
    /// The start of an isolation order: recorded up to four weeks late (an order on paper
    /// first), or set up to four weeks ahead.
    pub const ISOLATION_START: Window = Window { back: 28 * DAY, ahead: 28 * DAY };
    /// A key area's dates: declared for a few years either way.
    pub const KEY_AREA: Window = Window { back: 3 * 366 * DAY, ahead: 3 * 366 * DAY };
    /// A checkpoint's shift: entered up to a month late, planned up to three months ahead.
    pub const SHIFT: Window = Window { back: 31 * DAY, ahead: 92 * DAY };
    /// A check-in's day: today, or one of the seven days before (a paper list brought in).
    pub const CHECKIN_DAY: Window = Window { back: 7 * DAY, ahead: 0 };

    /// The first and last instants of the window around `now`, widened to whole minutes so
    /// that the times a message names are inside.
    pub fn bounds(self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let minute = Duration::minutes(1);
        let from = now - Duration::minutes(self.back);
        let from = from.duration_trunc(minute).unwrap_or(from);
        let to = now + Duration::minutes(self.ahead);
        let to = match to.duration_trunc(minute) {
            Ok(down) if down < to => down + minute,
            _ => to,
        };
        (from, to)
    }

    /// The first and last days of the window around `now`, in the region's calendar.
    pub fn days(self, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        (local_date(now - Duration::minutes(self.back)), local_date(now + Duration::minutes(self.ahead)))
    }

    /// Checks an instant.
    pub fn check_time(self, field: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
        let (from, to) = self.bounds(now);
        if (from..=to).contains(&at) {
            return Ok(at);
        }
        let local = |at: DateTime<Utc>| at.with_timezone(&REGION_TZ).naive_local();
        Err(DomainError::invalid(field, Reason::TimeWindow(local(from), local(to))))
    }

    /// Parses an instant and checks it; a year the parser refuses is told the window too.
    pub fn time(self, field: &'static str, raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
        match parse_time(field, raw) {
            Ok(at) => self.check_time(field, at, now),
            Err(DomainError::Invalid { reason: Reason::YearRange, .. }) => self.check_time(field, DateTime::<Utc>::MIN_UTC, now),
            Err(err) => Err(err),
        }
    }

    /// Checks a day.
    pub fn check_date(self, field: &'static str, day: NaiveDate, now: DateTime<Utc>) -> Result<NaiveDate, DomainError> {
        let (from, to) = self.days(now);
        if (from..=to).contains(&day) { Ok(day) } else { Err(DomainError::invalid(field, Reason::DateWindow(from, to))) }
    }

    /// Parses a day and checks it; a year the parser refuses is told the window too.
    pub fn date(self, field: &'static str, raw: &str, now: DateTime<Utc>) -> Result<NaiveDate, DomainError> {
        match parse_date(field, raw) {
            Ok(day) => self.check_date(field, day, now),
            Err(DomainError::Invalid { reason: Reason::YearRange, .. }) => self.check_date(field, NaiveDate::MIN, now),
            Err(err) => Err(err),
        }
    }
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

    fn reason<T: std::fmt::Debug>(result: Result<T, DomainError>) -> Reason {
        match result {
            Err(DomainError::Invalid { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn years_far_from_ours_are_refused() {
        for bad in ["0000-01-01T00:00", "1899-12-31T23:59", "2201-01-01T00:00", "9999-12-31T00:00", "0000-01-01T00:00:00Z"] {
            assert_eq!(reason(parse_time("at", bad)), Reason::YearRange, "{bad}");
        }
        assert!(parse_time("at", "-2026-12-01T08:00").is_err());
        assert_eq!(reason(parse_date("valid_from", "0000-01-01")), Reason::YearRange);
        assert_eq!(reason(parse_date("valid_from", "9999-12-31")), Reason::YearRange);
        assert!(parse_date("valid_from", "1900-01-01").is_ok() && parse_date("valid_to", "2200-12-31").is_ok());
    }

    #[test]
    fn a_window_takes_its_edges_and_names_itself() {
        let now = parse_time("now", "2026-12-02T08:00:30").unwrap();
        let window = Window::PASSAGE;
        // 90 days back to the minute, five minutes ahead rounded up to the next minute.
        assert!(window.time("at", "2026-09-03T08:00", now).is_ok());
        assert!(window.time("at", "2026-12-02T08:06", now).is_ok());
        let late = window.time("at", "2026-12-02T08:06:01", now).unwrap_err();
        assert_eq!(late.message(crate::domain::Lang::En), "Time: must be between 2026-09-03 08:00 and 2026-12-02 08:06 (Beijing time)");
        assert_eq!(late.message(crate::domain::Lang::Zh), "时间: 须在 2026-09-03 08:00 到 2026-12-02 08:06（北京时间）之间");
        assert!(window.time("at", "2026-09-03T07:59", now).is_err());
        // A year the parser refuses is told the window as well.
        assert_eq!(reason(window.time("at", "0000-01-01T00:00", now)), reason(window.time("at", "2026-09-03T07:59", now)));
        assert_eq!(reason(window.time("at", "yesterday", now)), Reason::TimeFormat);

        let days = Window::KEY_AREA;
        let (first, last) = days.days(now);
        assert_eq!((first.to_string(), last.to_string()), ("2023-11-30".to_string(), "2029-12-04".to_string()));
        assert!(days.date("valid_from", "2023-11-30", now).is_ok() && days.date("valid_to", "2029-12-04", now).is_ok());
        let early = days.date("valid_from", "2023-11-29", now).unwrap_err();
        assert_eq!(early.message(crate::domain::Lang::En), "From: must be between 2023-11-30 and 2029-12-04");
        assert_eq!(reason(days.date("valid_from", "9999-12-31", now)), Reason::DateWindow(first, last));
    }

    #[test]
    fn a_days_window_ends_on_todays_date_just_before_midnight() {
        let now = parse_time("now", "2026-12-02T23:59:45").unwrap();
        assert_eq!(Window::CHECKIN_DAY.days(now), (NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
        assert!(Window::CHECKIN_DAY.date("date", "2026-12-03", now).is_err());
    }
}
