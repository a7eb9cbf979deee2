//! Trends: a unit's figures day by day over a range. Days before today are the daily close's
//! stored figures summed over the unit's subtree; today is counted live, as the dashboard is.

use super::{App, AppError};
use crate::domain::command::DayFigures;
use crate::domain::time::local_date;
pub use crate::domain::trends::Trend;
use crate::domain::trends::{DayRange, Metric};
use crate::domain::{Caller, Permission, UnitCode};
pub use crate::store::Unit;

/// A unit's trend and the range it covers.
pub struct UnitTrend {
    pub unit: Unit,
    pub range: DayRange,
    pub metrics: Vec<Metric>,
    pub trend: Trend,
}

/// The trend of `metrics` (comma-separated; a default set when blank) for `unit` from
/// `first_day` to `last_day` (`YYYY-MM-DD`; the last 30 days by default, at most a year).
pub async fn trends(app: &App, caller: &Caller, unit: &str, metrics: &str, first_day: &str, last_day: &str) -> Result<UnitTrend, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    let today = local_date(caller.now);
    let mut problems = crate::domain::error::Problems::default();
    let metrics = problems.check(Metric::parse_list(metrics));
    let range = problems.check(DayRange::parse(first_day, last_day, today));
    problems.finish()?;
    let (Some(metrics), Some(range)) = (metrics, range) else { unreachable!("problems are reported above") };
    let (unit, figures) = days(app, caller, &code, range, None).await?;
    Ok(UnitTrend { unit, range, trend: Trend::of(&metrics, figures), metrics })
}

/// Every figure of each day of `range` for the unit's subtree: stored days summed, zero for a
/// day never closed, today live (or `today` when the caller has just counted it).
pub async fn days(
    app: &App,
    caller: &Caller,
    code: &UnitCode,
    range: DayRange,
    today_figures: Option<&DayFigures>,
) -> Result<(Unit, Vec<(chrono::NaiveDate, DayFigures)>), AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let today = local_date(caller.now);
    let (unit, stored) = app.store.closed_days(&caller.scope, code, range.first, range.last).await?.ok_or(AppError::NotFound)?;
    let mut stored = stored.into_iter().peekable();
    let mut figures = Vec::with_capacity(range.len());
    for day in range.days() {
        let f = if day == today {
            match today_figures {
                Some(f) => *f,
                None => super::command::dashboard(app, caller, code.as_str(), "").await?.figures,
            }
        } else {
            match stored.peek() {
                Some((d, _)) if *d == day => stored.next().map(|(_, f)| f).unwrap_or_default(),
                _ => DayFigures::default(),
            }
        };
        figures.push((day, f));
    }
    Ok((unit, figures))
}
