//! Units' boundaries (for the maps of units): GeoJSON geometry, checked in `domain::boundaries`
//! before it gets here.

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::{Caller, UnitCode, UnitPath};

/// A boundary to store: the unit, its geometry as compact GeoJSON, and whether it is schematic.
#[derive(Debug, Clone)]
pub struct NewBoundary {
    pub unit: UnitCode,
    pub geometry: String,
    pub schematic: bool,
}

/// A stored boundary of a unit.
#[derive(Debug, Clone)]
pub struct StoredBoundary {
    pub unit_code: String,
    pub geometry: String,
    pub schematic: bool,
}

#[async_trait]
pub trait BoundaryStore {
    /// Sets the boundaries of units in the caller's scope, all or none: answers the codes that
    /// name no unit there (and then writes nothing). Each unit's is audited.
    async fn set_boundaries(&self, caller: &Caller, boundaries: &[NewBoundary]) -> StoreResult<Vec<String>>;
    /// The boundaries of the children of `unit`, if it lies in `scope`.
    async fn child_boundaries(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<StoredBoundary>>>;
}
