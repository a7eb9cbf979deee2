//! Maps of units: boundaries loaded from GeoJSON (a file for many units, or one unit at a
//! time), and a unit's children coloured by one of their figures for a day, with the
//! unit's checkpoints as points. Setting boundaries is HQ's work (`Permission::Command`);
//! reading a map is reading the dashboard's figures.

use chrono::NaiveDate;

use super::{App, AppError};
use crate::domain::boundaries::{Boundary, FeatureError, FeatureProblem, MapMetric, read_features};
use crate::domain::{Caller, DomainError, Permission, UnitCode};
use crate::store::NewBoundary;
pub use crate::store::{Checkpoint, Unit};

/// Loads the boundaries of a GeoJSON file, naming units by `code_property`: all or nothing,
/// every problem of every feature said with its place (a unit unknown or outside the caller's
/// area too). Answers how many units were drawn.
pub async fn import(app: &App, caller: &Caller, text: &str, code_property: &str, schematic: bool) -> Result<usize, AppError> {
    caller.require(caller.role.may(Permission::Command), "draw units' boundaries")?;
    let several = |errors: Vec<FeatureError>| AppError::from(DomainError::Several(errors.into_iter().map(DomainError::Feature).collect()));
    let (features, mut errors) = read_features(text, code_property.trim());
    let boundaries: Vec<NewBoundary> = features
        .iter()
        .map(|(_, code, boundary)| Ok(NewBoundary { unit: UnitCode::parse(code)?, geometry: boundary.to_geojson(), schematic }))
        .collect::<Result<_, DomainError>>()?;
    let place = |code: &str| features.iter().find(|(_, c, _)| c == code).map_or(0, |(place, ..)| *place);
    if errors.is_empty() {
        // The store checks every unit and writes all or none: one pass for a good file.
        let unknown = app.store.set_boundaries(caller, &boundaries).await?;
        if unknown.is_empty() {
            return Ok(boundaries.len());
        }
        errors.extend(unknown.iter().map(|code| FeatureError { feature: place(code), problem: FeatureProblem::UnknownUnit(code.clone()) }));
    } else {
        // A refused file still says which of its readable features name no unit of the area.
        for b in &boundaries {
            if app.store.unit(&caller.scope, &b.unit).await?.is_none() {
                errors.push(FeatureError { feature: place(b.unit.as_str()), problem: FeatureProblem::UnknownUnit(b.unit.as_str().to_string()) });
            }
        }
    }
    errors.sort_by_key(|e| e.feature);
    Err(several(errors))
}

/// Sets one unit's boundary from a GeoJSON Feature or geometry.
pub async fn set_one(app: &App, caller: &Caller, unit: &str, geojson: &str) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::Command), "draw units' boundaries")?;
    let unit = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    let boundary = Boundary::parse_one(geojson)?;
    let unknown = app.store.set_boundaries(caller, &[NewBoundary { unit, geometry: boundary.to_geojson(), schematic: false }]).await?;
    if unknown.is_empty() { Ok(()) } else { Err(AppError::NotFound) }
}

/// A unit's map for a day: each child with its boundary (if it has one) and its value of the
/// metric, and the checkpoints of the unit's area.
pub struct UnitMap {
    pub unit: Unit,
    pub date: NaiveDate,
    pub metric: MapMetric,
    pub children: Vec<MapChild>,
    pub checkpoints: Vec<Checkpoint>,
    /// Some boundary drawn is the demo's generated shape, not a surveyed one.
    pub schematic: bool,
}

pub struct MapChild {
    pub code: String,
    pub name: String,
    pub boundary: Option<Boundary>,
    pub value: Option<f64>,
}

pub async fn map(app: &App, caller: &Caller, unit: &str, metric: &str, date: &str) -> Result<UnitMap, AppError> {
    let metric = MapMetric::parse(metric)?;
    let board = super::command::dashboard(app, caller, unit, date).await?;
    let code = UnitCode::parse(&board.unit.code)?;
    let stored = app.store.child_boundaries(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
    let checkpoints = app.store.checkpoints(&caller.scope, &code).await?.unwrap_or_default();
    let mut schematic = false;
    let mut children = Vec::with_capacity(board.children.len());
    for (child, figures) in &board.children {
        let found = stored.iter().find(|b| b.unit_code == child.code);
        let boundary = match found {
            Some(b) => {
                schematic |= b.schematic;
                let value: serde_json::Value = serde_json::from_str(&b.geometry).map_err(|e| AppError::Internal(e.to_string()))?;
                Some(Boundary::from_geojson(&value).map_err(|e| AppError::Internal(format!("stored boundary of {}: {e:?}", child.code)))?)
            }
            None => None,
        };
        children.push(MapChild { code: child.code.clone(), name: child.name.clone(), boundary, value: metric.value(figures) });
    }
    Ok(UnitMap { unit: board.unit, date: board.date, metric, children, checkpoints, schematic })
}
