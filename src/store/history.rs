//! The daily close: each unit's own figures stored per local day, so that a trend of any unit
//! is a sum over a path range. Late facts for a closed day are recounted into it by
//! `backend/derived.rs`, in the transaction that writes them.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreResult;
use super::command::Day;
use super::units::Unit;
use crate::domain::command::DayFigures;
use crate::domain::{Temperature, UnitCode, UnitPath};

#[async_trait]
pub trait HistoryStore {
    /// Stores every unit's own figures for `day` (replacing what was stored for it), counted
    /// from the facts as the dashboard counts them, in one transaction; answers how many units.
    async fn close_day(&self, day: Day, fever: Temperature, now: DateTime<Utc>) -> StoreResult<usize>;
    /// The last day closed, if any.
    async fn last_closed_day(&self) -> StoreResult<Option<NaiveDate>>;
    /// The local day of the first thing ever written (the audit log's first entry).
    async fn first_fact_day(&self) -> StoreResult<Option<NaiveDate>>;
    /// The unit's stored figures of each closed day in `first..=last`, summed over its subtree,
    /// in day order (days with nothing stored are left out); `None` if the unit is outside the
    /// scope.
    async fn closed_days(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        first: NaiveDate,
        last: NaiveDate,
    ) -> StoreResult<Option<(Unit, Vec<(NaiveDate, DayFigures)>)>>;
    /// Counts again the stored figures of each closed day a late check-in or passage was
    /// noted for (`late_facts`), and removes those notes, in one transaction; notes of days
    /// not yet closed stay for after their close. Answers how many notes were taken.
    async fn recount_late_facts(&self) -> StoreResult<usize>;
}

/// Notes a check-in or passage written for a day before today, in the group's transaction
/// (SQLite reads `$n` as the n-th parameter).
pub(crate) const LATE_FACT_INSERT: &str = "INSERT INTO late_facts (unit_path, day) VALUES ($1, $2)";

/// The (unit, day) a fact of `day` must be noted for, written at `now`: days before today only.
pub(crate) fn late(path: &UnitPath, day: NaiveDate, now: DateTime<Utc>) -> Option<(String, NaiveDate)> {
    (day < crate::domain::time::local_date(now)).then(|| (path.as_str().to_owned(), day))
}

/// The stored figures, by column, in the order `values` gives them.
pub(crate) const COLUMNS: &[&str] = &[
    "households",
    "red",
    "yellow",
    "blue",
    "white",
    "residents",
    "checkins_expected",
    "registrations_pending",
    // Counted from the facts of the day (recounted when a late fact lands): from here on.
    "returnees_arrived",
    "returnees_in_observation",
    "returnees_from_key_areas",
    "isolated_home",
    "isolated_central",
    "isolations_started",
    "isolations_released",
    "followups_done",
    "followups_due",
    "followups_overdue",
    "checkins_reported",
    "checkins_unwell",
    "passages_in",
    "passages_out",
    "turned_back",
    "referred",
    "fevers",
    "alerts_open",
    "alerts_acknowledged",
    "alerts_escalated",
];

/// Where in `COLUMNS` the figures counted from a day's facts begin; the ones before stand as
/// they stood at the close (households, colours, residents, who is expected, what is pending).
pub(crate) const COUNTED_FROM: usize = 8;

/// A unit's figures as stored, in `COLUMNS` order.
pub(crate) fn values(f: &DayFigures) -> [i64; 28] {
    let c = &f.households_by_colour;
    [
        f.households,
        c.red,
        c.yellow,
        c.blue,
        c.white,
        f.residents,
        f.checkins_expected,
        f.registrations_pending,
        f.returnees_arrived,
        f.returnees_in_observation,
        f.returnees_from_key_areas,
        f.isolated_home,
        f.isolated_central,
        f.isolations_started,
        f.isolations_released,
        f.followups_done,
        f.followups_due,
        f.followups_overdue,
        f.checkins_reported,
        f.checkins_unwell,
        f.passages_in,
        f.passages_out,
        f.turned_back,
        f.referred,
        f.fevers,
        f.alerts_open,
        f.alerts_acknowledged,
        f.alerts_escalated,
    ]
}

/// Figures read back from values in `COLUMNS` order (cumulative totals are not stored).
pub(crate) fn figures(v: &[i64; 28]) -> DayFigures {
    let mut f = DayFigures::default();
    let c = &mut f.households_by_colour;
    (f.households, c.red, c.yellow, c.blue, c.white, f.residents, f.checkins_expected, f.registrations_pending) =
        (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    (f.returnees_arrived, f.returnees_in_observation, f.returnees_from_key_areas) = (v[8], v[9], v[10]);
    (f.isolated_home, f.isolated_central, f.isolations_started, f.isolations_released, f.followups_done) = (v[11], v[12], v[13], v[14], v[15]);
    (f.followups_due, f.followups_overdue) = (v[16], v[17]);
    (f.checkins_reported, f.checkins_unwell) = (v[18], v[19]);
    (f.passages_in, f.passages_out, f.turned_back, f.referred, f.fevers) = (v[20], v[21], v[22], v[23], v[24]);
    (f.alerts_open, f.alerts_acknowledged, f.alerts_escalated) = (v[25], v[26], v[27]);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_stored_and_read_back_in_its_column() {
        assert_eq!(COLUMNS.len(), 28);
        let v: [i64; 28] = std::array::from_fn(|i| i as i64 + 1);
        assert_eq!(values(&figures(&v)), v);
        assert_eq!(COLUMNS[COUNTED_FROM], "returnees_arrived");
        let f = figures(&v);
        assert_eq!((f.households_by_colour.white, f.fevers, f.alerts_escalated), (5, 25, 28));
    }
}
