//! Trends: a unit's figures day by day. Days before today come from the daily close (each
//! unit's own figures stored at local midnight, summed over the subtree); today is live.

use chrono::NaiveDate;
use serde::Serialize;

use super::DomainError;
use super::command::DayFigures;
use super::error::Reason;
use super::words::words;

/// The longest range a trend covers, in days.
pub const MAX_TREND_DAYS: i64 = 366;
/// The range a trend covers when none is asked for.
pub const DEFAULT_TREND_DAYS: i64 = 30;
/// How far back a missed close is caught up at start.
pub const MAX_CATCH_UP_DAYS: i64 = 366;

words!(
    /// A figure that has a trend: the dashboard's figures by their API names.
    Metric, "metrics", {
        Households = "households", Red = "households_red", Yellow = "households_yellow", Blue = "households_blue",
        White = "households_white", Residents = "residents", ReturneesArrived = "returnees_arrived",
        ReturneesInObservation = "returnees_in_observation", ReturneesFromKeyAreas = "returnees_from_key_areas",
        IsolatedHome = "isolated_home", IsolatedCentral = "isolated_central", IsolationsStarted = "isolations_started",
        IsolationsReleased = "isolations_released", FollowupsDone = "followups_done",
        FollowupsDue = "followups_due", FollowupsOverdue = "followups_overdue", CheckinsExpected = "checkins_expected",
        CheckinsReported = "checkins_reported", CheckinsUnwell = "checkins_unwell", PassagesIn = "passages_in",
        PassagesOut = "passages_out", TurnedBack = "turned_back", Referred = "referred", Fevers = "fevers",
        RegistrationsPending = "registrations_pending", AlertsOpen = "alerts_open", AlertsAcknowledged = "alerts_acknowledged",
        AlertsEscalated = "alerts_escalated",
    }
);

impl Metric {
    /// The metric's value among a day's figures.
    pub fn of(self, f: &DayFigures) -> i64 {
        use Metric::*;
        match self {
            Households => f.households,
            Red => f.households_by_colour.red,
            Yellow => f.households_by_colour.yellow,
            Blue => f.households_by_colour.blue,
            White => f.households_by_colour.white,
            Residents => f.residents,
            ReturneesArrived => f.returnees_arrived,
            ReturneesInObservation => f.returnees_in_observation,
            ReturneesFromKeyAreas => f.returnees_from_key_areas,
            IsolatedHome => f.isolated_home,
            IsolatedCentral => f.isolated_central,
            IsolationsStarted => f.isolations_started,
            IsolationsReleased => f.isolations_released,
            FollowupsDone => f.followups_done,
            FollowupsDue => f.followups_due,
            FollowupsOverdue => f.followups_overdue,
            CheckinsExpected => f.checkins_expected,
            CheckinsReported => f.checkins_reported,
            CheckinsUnwell => f.checkins_unwell,
            PassagesIn => f.passages_in,
            PassagesOut => f.passages_out,
            TurnedBack => f.turned_back,
            Referred => f.referred,
            Fevers => f.fevers,
            RegistrationsPending => f.registrations_pending,
            AlertsOpen => f.alerts_open,
            AlertsAcknowledged => f.alerts_acknowledged,
            AlertsEscalated => f.alerts_escalated,
        }
    }

    /// The metrics a trend shows when none are asked for.
    pub const DEFAULT: &'static [Metric] =
        &[Metric::CheckinsReported, Metric::ReturneesArrived, Metric::IsolatedHome, Metric::IsolatedCentral, Metric::PassagesIn, Metric::Fevers];

    /// A comma-separated list of metrics (the defaults when blank), each once, in the order given.
    pub fn parse_list(raw: &str) -> Result<Vec<Metric>, DomainError> {
        if raw.trim().is_empty() {
            return Ok(Metric::DEFAULT.to_vec());
        }
        let mut metrics = Vec::new();
        for word in raw.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let metric = Metric::parse(word)?;
            if !metrics.contains(&metric) {
                metrics.push(metric);
            }
        }
        Ok(metrics)
    }
}

/// The days a trend covers, first to last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayRange {
    /// `first_day` and `last_day` as typed (`YYYY-MM-DD`; blank: the last 30 days to today,
    /// or 30 days from a given first day): never after today, the first not after the last, at
    /// most a year.
    pub fn parse(first: &str, last: &str, today: NaiveDate) -> Result<DayRange, DomainError> {
        let day = |field: &'static str, raw: &str| -> Result<Option<NaiveDate>, DomainError> {
            if raw.trim().is_empty() {
                return Ok(None);
            }
            let day = super::time::parse_date(field, raw)?;
            if day > today {
                return Err(DomainError::invalid(field, Reason::InFuture));
            }
            Ok(Some(day))
        };
        let (first, last) = (day("first_day", first)?, day("last_day", last)?);
        let span = chrono::Duration::days(DEFAULT_TREND_DAYS - 1);
        let (first, last) = match (first, last) {
            (Some(first), Some(last)) => (first, last),
            (Some(first), None) => (first, (first + span).min(today)),
            (None, Some(last)) => (last - span, last),
            (None, None) => (today - span, today),
        };
        if last < first {
            return Err(DomainError::invalid("last_day", Reason::DateOrder));
        }
        if (last - first).num_days() + 1 > MAX_TREND_DAYS {
            // At most a year: the first day a range up to `last` may begin on.
            return Err(DomainError::invalid("first_day", Reason::DateWindow(last - chrono::Duration::days(MAX_TREND_DAYS - 1), last)));
        }
        Ok(DayRange { first, last })
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        self.first.iter_days().take_while({
            let last = self.last;
            move |d| *d <= last
        })
    }

    pub fn len(&self) -> usize {
        usize::try_from((self.last - self.first).num_days() + 1).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.last < self.first
    }
}

/// A unit's trend: the days, and each metric's value on each of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Trend {
    #[schema(value_type = Vec<String>, format = Date)]
    pub days: Vec<NaiveDate>,
    /// Each metric asked for (by its API name), one value per day.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<i64>>)]
    pub series: Series,
}

/// Each metric's values, in the order the metrics were asked for (a JSON object).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series(pub Vec<(Metric, Vec<i64>)>);

impl Serialize for Series {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (metric, values) in &self.0 {
            map.serialize_entry(metric.as_str(), values)?;
        }
        map.end()
    }
}

impl Trend {
    /// The trend of `metrics` over the figures of each day, in order.
    pub fn of(metrics: &[Metric], days: Vec<(NaiveDate, DayFigures)>) -> Trend {
        let series = metrics.iter().map(|m| (*m, days.iter().map(|(_, f)| m.of(f)).collect())).collect();
        Trend { days: days.into_iter().map(|(d, _)| d).collect(), series: Series(series) }
    }
}

/// The days a close must still store: each day after the last closed one (or from the first
/// fact's day, when none was ever closed) up to yesterday, at most `MAX_CATCH_UP_DAYS` back.
pub fn days_to_close(last_closed: Option<NaiveDate>, first_fact: Option<NaiveDate>, today: NaiveDate) -> Vec<NaiveDate> {
    let Some(yesterday) = today.pred_opt() else { return Vec::new() };
    let earliest = today - chrono::Duration::days(MAX_CATCH_UP_DAYS);
    let from = match (last_closed, first_fact) {
        (Some(closed), _) => closed.succ_opt().unwrap_or(closed),
        (None, Some(first)) => first,
        (None, None) => return Vec::new(),
    };
    let from = from.max(earliest);
    from.iter_days().take_while(|d| *d <= yesterday).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Field {
        fn field(&self) -> Option<&'static str>;
    }

    impl Field for DomainError {
        fn field(&self) -> Option<&'static str> {
            match self {
                DomainError::Invalid { field, .. } => Some(field),
                _ => None,
            }
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_defaults_to_the_last_thirty_days_and_is_checked() {
        let today = day("2020-03-01");
        assert_eq!(DayRange::parse("", "", today).unwrap(), DayRange { first: day("2020-02-01"), last: today });
        assert_eq!(DayRange::parse("2020-02-20", "", today).unwrap().last, today);
        assert_eq!(DayRange::parse("", "2020-02-10", today).unwrap().first, day("2020-01-12"));
        assert_eq!(DayRange::parse("2020-02-10", "2020-02-10", today).unwrap().len(), 1);
        assert_eq!(DayRange::parse("2020-02-10", "2020-02-01", today).unwrap_err().field(), Some("last_day"));
        assert_eq!(DayRange::parse("2020-03-02", "", today).unwrap_err().field(), Some("first_day"));
        assert_eq!(DayRange::parse("2019-01-01", "2020-02-01", today).unwrap_err().field(), Some("first_day"));
        assert_eq!(DayRange::parse("2/1", "", today).unwrap_err().field(), Some("first_day"));
        assert_eq!(DayRange::parse("2019-03-02", "2020-03-01", today).unwrap().len(), 366);
    }

    #[test]
    fn metrics_are_named_as_the_api_names_them() {
        assert_eq!(Metric::parse_list("fevers, checkins_reported,fevers").unwrap(), vec![Metric::Fevers, Metric::CheckinsReported]);
        assert_eq!(Metric::parse_list(" ").unwrap(), Metric::DEFAULT);
        assert_eq!(Metric::parse_list("fevers,colds").unwrap_err().field(), Some("metrics"));
        let mut f = DayFigures::default();
        f.households_by_colour.red = 3;
        f.fevers = 2;
        assert_eq!((Metric::Red.of(&f), Metric::Fevers.of(&f)), (3, 2));
    }

    #[test]
    fn a_missed_close_is_caught_up_from_the_day_after_the_last_but_not_forever() {
        let today = day("2020-03-01");
        assert_eq!(days_to_close(Some(day("2020-02-27")), None, today), vec![day("2020-02-28"), day("2020-02-29")]);
        assert!(days_to_close(Some(day("2020-02-29")), None, today).is_empty());
        assert_eq!(days_to_close(None, Some(day("2020-02-29")), today), vec![day("2020-02-29")]);
        assert!(days_to_close(None, None, today).is_empty());
        assert!(days_to_close(None, Some(today), today).is_empty());
        assert_eq!(days_to_close(None, Some(day("2010-01-01")), today).len(), MAX_CATCH_UP_DAYS as usize);
    }
}
