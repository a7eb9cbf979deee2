//! Importing division files: the official five-file layout or a generic sheet.

use crate::domain::divisions;
use crate::domain::table::RowError;
use crate::domain::{Caller, Permission};
pub use crate::store::UpsertSummary;

use super::{App, AppError, files};

/// Imports sheets given as (file stem, bytes). Official files are taken parents first;
/// the whole set is one transaction.
pub async fn import(app: &App, caller: &Caller, sheets: &[(String, Vec<u8>)]) -> Result<UpsertSummary, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "import units")?;
    let mut ordered: Vec<&(String, Vec<u8>)> = sheets.iter().collect();
    ordered.sort_by_key(|(stem, _)| divisions::OFFICIAL_FILES.iter().position(|(name, _, _)| name == stem).unwrap_or(usize::MAX));
    let mut units = Vec::new();
    let mut errors: Vec<RowError> = Vec::new();
    for (stem, bytes) in ordered {
        let parsed = files::read_table(bytes).map_err(|e| vec![e]).and_then(|table| divisions::parse(stem, &table));
        match parsed {
            Ok(parsed) => units.extend(parsed),
            Err(errs) => errors.extend(errs),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Rows(errors));
    }
    Ok(app.store.upsert_units(caller, &units).await?)
}
