//! The daily sign-off (日报告、零报告): each village's grid leader confirms the day's report,
//! even when every figure is zero; a township confirms after all its villages, a county after
//! all its townships. A confirmation keeps the figures as they were, so that a fact entered
//! later for that day shows as a change beside them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Serialize;

use super::command::DayFigures;
use super::error::{DomainError, Reason};
use super::unit::Level;

/// The levels that sign off a day: the village, the township over it, the county over that.
pub fn signs_off(level: Level) -> bool {
    matches!(level, Level::County | Level::Township | Level::Village)
}

/// Whether a unit of this level waits for its children before it may confirm (a village's
/// children are villager groups and grids, which do not sign off).
pub fn waits_for_children(level: Level) -> bool {
    matches!(level, Level::County | Level::Township)
}

/// How many days back an unconfirmed report stays in the leader's inbox (and climbs the grid):
/// a day missed stays to be confirmed for a week, not for ever.
pub const OPEN_DAYS: i64 = 7;

/// The hour (region time) by which a day's report is due: 18:00 unless the region sets another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDeadline(NaiveTime);

impl Default for ReportDeadline {
    fn default() -> ReportDeadline {
        ReportDeadline(NaiveTime::from_hms_opt(18, 0, 0).expect("18:00 exists"))
    }
}

impl ReportDeadline {
    /// `HH:MM`, as the command line takes it.
    pub fn parse(raw: &str) -> Result<ReportDeadline, DomainError> {
        NaiveTime::parse_from_str(raw.trim(), "%H:%M").map(ReportDeadline).map_err(|_| DomainError::invalid("report_deadline", Reason::TimeFormat))
    }

    /// The instant a day's report falls due.
    pub fn due(self, day: NaiveDate) -> DateTime<Utc> {
        super::time::REGION_TZ.from_local_datetime(&day.and_time(self.0)).earliest().expect("China keeps no daylight saving").with_timezone(&Utc)
    }

    /// The days whose reports are due by `now` and still open for confirmation, newest first.
    pub fn overdue_days(self, now: DateTime<Utc>) -> Vec<NaiveDate> {
        let today = super::time::local_date(now);
        (0..OPEN_DAYS).map(|back| today - chrono::Duration::days(back)).filter(|day| self.due(*day) <= now).collect()
    }
}

/// The day a confirmation is for: `YYYY-MM-DD`, never after today (today may be confirmed before
/// its deadline: the deadline is when it is due, not when it opens), and no further back than a
/// day stays open (`OPEN_DAYS`): a report of last spring is not signed off today.
pub fn confirmable_day(raw: &str, today: NaiveDate) -> Result<NaiveDate, DomainError> {
    let day = super::time::parse_date("date", raw)?;
    if day > today {
        return Err(DomainError::invalid("date", Reason::InFuture));
    }
    let first = today - chrono::Duration::days(OPEN_DAYS - 1);
    if day < first {
        return Err(DomainError::invalid("date", Reason::DateWindow(first, today)));
    }
    Ok(day)
}

/// What names a day's lapse and its escalations: the unit and the day.
pub fn report_subject(unit: &str, day: NaiveDate) -> String {
    format!("{unit}/{day}")
}

/// The figures as confirmed: each figure by its name (`totals.returnees` for a nested one).
pub type Snapshot = BTreeMap<String, i64>;

/// A day's figures as a snapshot to keep.
pub fn snapshot(figures: &DayFigures) -> Snapshot {
    let mut out = Snapshot::new();
    flatten("", &serde_json::to_value(figures).unwrap_or_default(), &mut out);
    out
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Snapshot) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, inner) in fields {
                let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                flatten(&key, inner, out);
            }
        }
        other => {
            if let Some(n) = other.as_i64() {
                out.insert(prefix.to_string(), n);
            }
        }
    }
}

/// Figures that stand as they are now whatever the day (households, colours, residents and
/// so who is expected to check in, registrations waiting): they change with the roster, not
/// with that day's facts, so a difference in them is no change since confirmation.
const STANDING_NOW: &[&str] = &["households", "households_by_colour.", "residents", "checkins_expected", "registrations_pending"];

/// A figure that differs from what was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// The figure's name as the dashboard answer spells it (`totals.returnees` for a total).
    pub figure: String,
    pub confirmed: i64,
    pub now: i64,
}

/// What changed in that day's figures since they were confirmed.
pub fn changes(confirmed: &Snapshot, now: &DayFigures) -> Vec<Change> {
    let now = snapshot(now);
    let day_bound = |key: &str| !STANDING_NOW.iter().any(|standing| if standing.ends_with('.') { key.starts_with(standing) } else { key == *standing });
    let mut keys: Vec<&String> = confirmed.keys().chain(now.keys()).filter(|k| day_bound(k)).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let (was, is) = (confirmed.get(key).copied().unwrap_or(0), now.get(key).copied().unwrap_or(0));
            (was != is).then(|| Change { figure: key.clone(), confirmed: was, now: is })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_fact_shows_as_a_change_and_the_roster_does_not() {
        let mut figures = DayFigures { fevers: 1, residents: 10, ..DayFigures::default() };
        figures.totals.fevers = 3;
        let kept = snapshot(&figures);
        assert_eq!(kept["totals.fevers"], 3);
        assert!(changes(&kept, &figures).is_empty());
        figures.fevers = 2;
        figures.totals.fevers = 4;
        figures.residents = 11;
        figures.households_by_colour.red = 1;
        let changed = changes(&kept, &figures);
        assert_eq!(changed, [Change { figure: "fevers".into(), confirmed: 1, now: 2 }, Change { figure: "totals.fevers".into(), confirmed: 3, now: 4 }]);
    }

    #[test]
    fn the_deadline_is_region_time_and_a_week_of_days_stays_open() {
        let deadline = ReportDeadline::parse("18:00").unwrap();
        let day = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        assert_eq!(deadline.due(day).to_rfc3339(), "2020-02-01T10:00:00+00:00");
        assert!(ReportDeadline::parse("25:00").is_err());
        let before = deadline.due(day) - chrono::Duration::minutes(1);
        assert_eq!(deadline.overdue_days(before).first(), Some(&(day - chrono::Duration::days(1))));
        let after = deadline.due(day);
        assert_eq!(deadline.overdue_days(after).len(), OPEN_DAYS as usize);
        assert_eq!(deadline.overdue_days(after)[0], day);
    }
}
