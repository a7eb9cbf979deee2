//! The command view's reads: figures and maps over a unit's whole subtree.

use async_trait::async_trait;

use super::StoreResult;
use super::units::Unit;
use crate::domain::command::{DayFigures, Tile};
use crate::domain::{Temperature, UnitCode, UnitPath};

/// A tile with the unit it belongs to: (unit code, unit name, tile).
pub type PlacedTile = (String, String, Tile);

/// A unit's figures for a day, counted from the facts: each child's over its subtree, and what
/// is registered on the unit itself (in no child).
#[derive(Debug, Clone)]
pub struct DayReport {
    pub unit: Unit,
    pub own: DayFigures,
    pub children: Vec<(Unit, DayFigures)>,
}

/// The day a report counts: local midnight to midnight, with stocks read at `until` (the day's
/// end, or now for today).
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub date: chrono::NaiveDate,
    pub starts: chrono::DateTime<chrono::Utc>,
    pub ends: chrono::DateTime<chrono::Utc>,
    pub until: chrono::DateTime<chrono::Utc>,
    /// The windows in which follow-ups fall due (a server setting; a close keeps its own).
    pub followup_windows: crate::domain::isolation::FollowupWindows,
}

/// A record behind a dashboard figure: who or what, where, when, and the page it is on.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FigureRecord {
    /// A person's name, a household's number and head, an alert's subject.
    pub title: String,
    /// What the list adds: an origin, an address, the checkpoint.
    pub detail: Option<String>,
    /// When it happened (arrived, started, reported, passed, raised), or was registered.
    pub at: chrono::DateTime<chrono::Utc>,
    pub unit_code: String,
    pub unit_name: String,
    /// The page it is on, where there is one.
    pub target: Option<crate::domain::Target>,
}

#[async_trait]
pub trait CommandStore {
    /// The unit and the records that make up one of its day figures, counted as `day_report`
    /// counts it: `limit` from `offset` and how many there are in all; `None` outside the scope.
    #[allow(clippy::too_many_arguments)]
    async fn figure_records(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        metric: crate::domain::trends::Metric,
        day: Day,
        fever: Temperature,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Option<(Unit, Vec<FigureRecord>, i64)>>;
    /// The unit's figures for a day, by child, counted from the facts over the scope; `None`
    /// if the unit is outside it. A fever is a passage at or above `fever`.
    async fn day_report(&self, scope: &UnitPath, unit: &UnitCode, day: Day, fever: Temperature) -> StoreResult<Option<DayReport>>;
    /// The unit and at most `limit` of its subtree's households as map tiles, in (unit path,
    /// household number) order; `None` if the unit is outside the scope.
    async fn colour_tiles(&self, scope: &UnitPath, unit: &UnitCode, limit: usize) -> StoreResult<Option<(Unit, Vec<PlacedTile>)>>;
}
