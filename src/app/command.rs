//! The command view: a unit's figures for a day over its subtree (the dashboard), and the
//! four-colour household map of a village or grid.

use super::{App, AppError};
use crate::domain::command::{ColourMap, DayFigures, MAX_MAP_HOUSEHOLDS, day_bounds, report_date};
use crate::domain::error::Reason;
use crate::domain::{Caller, DomainError, Permission, UnitCode};
use crate::store::Day;
pub use crate::store::Unit;

/// A unit's figures for a day: its whole subtree's, and each child's.
pub struct Dashboard {
    pub unit: Unit,
    pub date: chrono::NaiveDate,
    /// The whole subtree's.
    pub figures: DayFigures,
    /// What is registered on the unit itself, in none of its children.
    pub own: DayFigures,
    pub children: Vec<(Unit, DayFigures)>,
}

/// The figures of a unit's subtree for a day (`YYYY-MM-DD`, today when blank), counted live from
/// the facts: a write shows on the next read.
pub async fn dashboard(app: &App, caller: &Caller, unit: &str, date: &str) -> Result<Dashboard, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    let date = report_date(date, crate::domain::time::local_date(caller.now))?;
    let (starts, ends) = day_bounds(date);
    let day = Day { date, starts, ends, until: ends.min(caller.now), followup_windows: app.settings.followup_windows };
    let report = app.store.day_report(&caller.scope, &code, day, app.settings.fever).await?.ok_or(AppError::NotFound)?;
    let mut figures = report.own;
    for (_, child) in &report.children {
        figures.add(child);
    }
    Ok(Dashboard { unit: report.unit, date, figures, own: report.own, children: report.children })
}

/// Whether the caller's first page is their own unit's dashboard: HQ, grid leaders and
/// inspectors, whose day starts with how their unit is doing (and for HQ and leaders, its
/// sign-off); the others land on their own work's page.
pub fn lands_on_dashboard(caller: &Caller) -> bool {
    matches!(caller.role, crate::domain::Role::Hq | crate::domain::Role::GridLeader | crate::domain::Role::Inspector)
}

/// The evening report sheet (日报表) of a unit for a day, in the caller's language.
pub async fn daily_sheet(app: &App, caller: &Caller, unit: &str, date: &str, format: SheetFormat, lang: crate::domain::Lang) -> Result<Vec<u8>, AppError> {
    let board = dashboard(app, caller, unit, date).await?;
    match format {
        SheetFormat::Xlsx => super::report::xlsx(&board, lang, caller.now),
        SheetFormat::Csv => Ok(super::report::csv(&board, lang).into_bytes()),
    }
}

/// The file the evening sheet is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            SheetFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Csv => "csv",
        }
    }
}

/// A unit and its map.
pub struct UnitColourMap {
    pub unit: Unit,
    pub map: ColourMap,
}

/// Every household of the unit's subtree as a tile in its colour, grouped by villager group or
/// grid. A unit with more households than one map holds is refused: pick a village or grid.
pub async fn colour_map(app: &App, caller: &Caller, unit: &str) -> Result<UnitColourMap, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    let (unit, tiles) = app.store.colour_tiles(&caller.scope, &code, MAX_MAP_HOUSEHOLDS + 1).await?.ok_or(AppError::NotFound)?;
    if tiles.len() > MAX_MAP_HOUSEHOLDS {
        return Err(DomainError::invalid("unit", Reason::TooMany(MAX_MAP_HOUSEHOLDS)).into());
    }
    let map = ColourMap::new(unit.code.clone(), unit.name.clone(), tiles);
    Ok(UnitColourMap { unit, map })
}
