//! The daily close: at local midnight every unit's own figures for the day that ended are
//! stored, so that trends are sums of stored days; days missed while the server was down are
//! closed when it starts. Driven by the app's clock, so tests move through days at will.

use chrono::NaiveDate;

use super::{App, AppError};
use crate::domain::command::day_bounds;
use crate::domain::time::local_date;
use crate::domain::trends::days_to_close;
use crate::store::Day;

/// Closes `date` (again, if it was closed: its rows are replaced); answers how many units.
/// Only a day that has ended is closed.
pub async fn close_day(app: &App, date: NaiveDate) -> Result<usize, AppError> {
    let now = app.clock.now();
    if date >= local_date(now) {
        return Err(crate::domain::DomainError::invalid("date", crate::domain::error::Reason::InFuture).into());
    }
    let (starts, ends) = day_bounds(date);
    Ok(app.store.close_day(Day { date, starts, ends, until: ends, followup_windows: app.settings.followup_windows }, app.settings.fever, now).await?)
}

/// Closes every day not yet closed up to yesterday (since the last close, or the first fact;
/// at most a year back), oldest first, then counts again the closed days late facts were
/// noted for; answers the days closed.
pub async fn close_due_days(app: &App) -> Result<Vec<NaiveDate>, AppError> {
    let today = local_date(app.clock.now());
    let last = app.store.last_closed_day().await?;
    let first = if last.is_none() { app.store.first_fact_day().await? } else { None };
    let due = days_to_close(last, first, today);
    for day in &due {
        let units = close_day(app, *day).await?;
        tracing::info!(%day, units, "closed the day");
    }
    // Late check-ins and passages whose recount a crash or a close beside them left undone.
    while app.store.recount_late_facts().await? > 0 {}
    Ok(due)
}

/// Runs for as long as the server: closes missed days at once, then every day that ends
/// (checked each minute against the app's clock).
pub async fn close_days_forever(app: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(err) = close_due_days(&app).await {
            tracing::warn!(%err, "could not close the day; will try again");
        }
    }
}
