//! The command view's reads: figures and maps over a unit's whole subtree.

use async_trait::async_trait;

use super::StoreResult;
use super::units::Unit;
use crate::domain::command::Tile;
use crate::domain::{UnitCode, UnitPath};

/// A tile with the unit it belongs to: (unit code, unit name, tile).
pub type PlacedTile = (String, String, Tile);

#[async_trait]
pub trait CommandStore {
    /// The unit and at most `limit` of its subtree's households as map tiles, in (unit path,
    /// household number) order; `None` if the unit is outside the scope.
    async fn colour_tiles(&self, scope: &UnitPath, unit: &UnitCode, limit: usize) -> StoreResult<Option<(Unit, Vec<PlacedTile>)>>;
}
