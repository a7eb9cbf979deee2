//! The demo's schematic boundaries: the county's townships as a grid of cells around 科尔沁区,
//! and the first township's villages as a grid inside its cell. Shapes to show a map with,
//! not surveyed ones, and marked so (the map's legend says "schematic").

use serde_json::json;

use super::{App, AppError};
use crate::domain::{UnitCode, UnitPath};

/// Where the grid lies: around 科尔沁区 (longitude, latitude of its south-west corner) and the
/// size of a township's cell in degrees.
const ORIGIN: (f64, f64) = (121.95, 43.30);
const CELL: (f64, f64) = (0.16, 0.11);
const COLUMNS: usize = 6;

/// A point inside the `i`th township's cell (for its checkpoint).
pub fn township_point(i: usize) -> (f64, f64) {
    (ORIGIN.0 + (i % COLUMNS) as f64 * CELL.0 + CELL.0 * 0.7, ORIGIN.1 + (i / COLUMNS) as f64 * CELL.1 + CELL.1 * 0.7)
}

fn square(west: f64, south: f64, width: f64, height: f64) -> serde_json::Value {
    let (east, north) = (west + width, south + height);
    json!({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]})
}

pub async fn load(app: &App, county: &str) -> Result<(), AppError> {
    let root = app.system_caller(UnitPath::root());
    let townships = app.store.children(&root.scope, &UnitCode::parse(county)?).await?;
    let mut features = Vec::new();
    for (i, (township, _)) in townships.iter().enumerate() {
        let (west, south) = (ORIGIN.0 + (i % COLUMNS) as f64 * CELL.0, ORIGIN.1 + (i / COLUMNS) as f64 * CELL.1);
        features.push(json!({"type": "Feature", "properties": {"code": township.code}, "geometry": square(west, south, CELL.0, CELL.1)}));
        if i == 0 {
            let villages = app.store.children(&root.scope, &UnitCode::parse(&township.code)?).await?;
            let side = (villages.len() as f64).sqrt().ceil().max(1.0) as usize;
            let (w, h) = (CELL.0 / side as f64, CELL.1 / side as f64);
            for (j, (village, _)) in villages.iter().enumerate() {
                let (vw, vs) = (west + (j % side) as f64 * w, south + (j / side) as f64 * h);
                features.push(json!({"type": "Feature", "properties": {"code": village.code}, "geometry": square(vw, vs, w, h)}));
            }
        }
    }
    let collection = json!({"type": "FeatureCollection", "features": features}).to_string();
    super::maps::import(app, &root, &collection, "code", true).await?;
    Ok(())
}
