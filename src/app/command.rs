//! The command view: the four-colour household map of a unit (a village or a grid).

use super::{App, AppError};
use crate::domain::command::{ColourMap, MAX_MAP_HOUSEHOLDS};
use crate::domain::error::Reason;
use crate::domain::{Caller, DomainError, Permission, UnitCode};
pub use crate::store::Unit;

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
