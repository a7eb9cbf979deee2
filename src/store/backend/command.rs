//! `CommandStore` for this backend.

use async_trait::async_trait;
use sqlx::QueryBuilder;

use super::Db;
use crate::domain::command::Tile;
use crate::domain::{Colour, UnitCode, UnitPath};
use crate::store::command::PlacedTile;
use crate::store::scope::Scope;
use crate::store::{CommandStore, SqlStore, StoreResult, Unit, UnitStore};

#[async_trait]
impl CommandStore for SqlStore<Db> {
    async fn colour_tiles(&self, scope: &UnitPath, unit: &UnitCode, limit: usize) -> StoreResult<Option<(Unit, Vec<PlacedTile>)>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let mut query =
            QueryBuilder::new("SELECT h.unit_code, u.name, h.id, h.household_no, h.colour FROM households h JOIN units u ON u.code = h.unit_code WHERE ");
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path");
        query.push(" ORDER BY h.unit_path, h.household_no LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        let rows: Vec<(String, String, uuid::Uuid, String, String)> = query.build_query_as().fetch_all(&self.reader).await?;
        let tiles = rows
            .into_iter()
            .map(|(code, name, household_id, household_no, colour)| {
                Ok((code, name, Tile { household_id, household_no, colour: Colour::from_stored(&colour)? }))
            })
            .collect::<StoreResult<_>>()?;
        Ok(Some((unit, tiles)))
    }
}
