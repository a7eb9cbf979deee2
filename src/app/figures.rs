//! The records behind a dashboard figure: every figure is a link to the list that makes it up,
//! counted the same way, scoped as always.

use super::{App, AppError};
use crate::domain::command::{day_bounds, report_date};
use crate::domain::trends::Metric;
use crate::domain::{Caller, Permission, UnitCode};
pub use crate::store::FigureRecord;
use crate::store::{Day, Unit};

/// A page of the records behind one figure of a unit's day.
pub struct FigureList {
    pub unit: Unit,
    pub date: chrono::NaiveDate,
    pub metric: Metric,
    pub records: Vec<FigureRecord>,
    /// How many records make up the figure (the figure itself).
    pub total: i64,
}

/// The records that make up `metric` of a unit's day (`YYYY-MM-DD`, today when blank), `limit`
/// from `offset`: as many in all as the dashboard's figure. Roster readers only, as the
/// dashboard; the reading is audited like a list of people.
pub async fn records(app: &App, caller: &Caller, unit: &str, metric: &str, date: &str, offset: u32, limit: u32) -> Result<FigureList, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    // A figure's name is part of the address: one that names none is a page that does not exist.
    let metric = Metric::parse(metric).map_err(|_| AppError::NotFound)?;
    super::page_limit(limit)?;
    let date = report_date(date, crate::domain::time::local_date(caller.now))?;
    let (starts, ends) = day_bounds(date);
    let day = Day { date, starts, ends, until: ends.min(caller.now), followup_windows: app.settings.followup_windows };
    let (unit, records, total) =
        app.store.figure_records(&caller.scope, &code, metric, day, app.settings.fever, offset, limit).await?.ok_or(AppError::NotFound)?;
    let detail = serde_json::json!({"what": "figure", "figure": metric.as_str(), "date": date, "offset": offset, "count": records.len()});
    app.store.record_read(caller, "figure", code.as_str(), &unit.path, detail).await?;
    Ok(FigureList { unit, date, metric, records, total })
}
