//! Importing a roster file into a unit.

use crate::domain::table::RowError;
use crate::domain::{Caller, Permission, UnitCode, roster};
pub use crate::store::ImportSummary;

use super::{App, AppError, files};

/// Reads, checks and writes a roster file: all of it, or (with every bad row named) none.
/// `progress` is told (residents staged so far, residents in the file); see `RosterStore`.
pub async fn import(
    app: &App,
    caller: &Caller,
    into: &UnitCode,
    bytes: &[u8],
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> Result<ImportSummary, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "import roster")?;
    let started = std::time::Instant::now();
    let table = files::read_table(bytes).map_err(|e| AppError::Rows(vec![e]))?;
    tracing::debug!(elapsed = ?started.elapsed(), rows = table.rows.len(), "roster import: read the file");
    let households = roster::parse(&table, into).map_err(AppError::Rows)?;
    drop(table);
    tracing::debug!(elapsed = ?started.elapsed(), households = households.len(), "roster import: read and checked the file");
    let total = households.iter().map(|h| h.residents.len()).sum();
    Ok(app.store.import_roster(caller, into, &households, &|done| progress(done, total)).await?)
}

/// Whether the caller may import a file (into `unit`, if one is named), asked before the file
/// is read: an account that may not sends its megabytes for nothing.
pub async fn may_import(app: &App, caller: &Caller, unit: Option<&UnitCode>) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "import")?;
    if let Some(unit) = unit {
        app.store.unit(&caller.scope, unit).await?.ok_or(AppError::NotFound)?;
    }
    Ok(())
}

/// The errors of a rejected file as lines for a person, at most `limit` of them.
pub fn describe(errors: &[RowError], lang: crate::domain::Lang, limit: usize) -> Vec<String> {
    let mut lines: Vec<String> = errors.iter().take(limit).map(|e| e.message(lang)).collect();
    if errors.len() > limit {
        lines.push(match lang {
            crate::domain::Lang::Zh => format!("……另有 {} 处错误", errors.len() - limit),
            crate::domain::Lang::En => format!("… and {} more", errors.len() - limit),
        });
    }
    lines
}
