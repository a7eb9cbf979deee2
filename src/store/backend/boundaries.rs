//! `BoundaryStore` for this backend.

use async_trait::async_trait;
use sqlx::QueryBuilder;

use super::{Db, audit};
use crate::domain::{Caller, UnitCode, UnitPath};
use crate::store::boundaries::{NewBoundary, StoredBoundary};
use crate::store::scope::Scope;
use crate::store::{BoundaryStore, SqlStore, StoreResult, UnitStore};

#[async_trait]
impl BoundaryStore for SqlStore<Db> {
    async fn set_boundaries(&self, caller: &Caller, boundaries: &[NewBoundary]) -> StoreResult<Vec<String>> {
        let mut tx = self.writer.begin().await?;
        let mut unknown = Vec::new();
        let mut paths = Vec::with_capacity(boundaries.len());
        for b in boundaries {
            let mut query = QueryBuilder::new("SELECT path FROM units WHERE code = ");
            query.push_bind(b.unit.as_str().to_string()).push(" AND ");
            Scope::of(&caller.scope).push_within(&mut query, "path");
            match query.build_query_scalar::<String>().fetch_optional(&mut *tx).await? {
                Some(path) => paths.push(path),
                None => unknown.push(b.unit.as_str().to_string()),
            }
        }
        if !unknown.is_empty() {
            return Ok(unknown);
        }
        for (b, path) in boundaries.iter().zip(paths) {
            sqlx::query(
                "INSERT INTO unit_boundaries (unit_code, unit_path, geometry, schematic, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (unit_code) DO UPDATE SET geometry = excluded.geometry, schematic = excluded.schematic, set_by = excluded.set_by, set_at = excluded.set_at",
            )
            .bind(b.unit.as_str())
            .bind(&path)
            .bind(&b.geometry)
            .bind(b.schematic)
            .bind(&caller.login)
            .bind(caller.now)
            .execute(&mut *tx)
            .await?;
            audit(&mut tx, caller, "set_boundary", "unit", b.unit.as_str(), &path, serde_json::json!({"schematic": b.schematic})).await?;
        }
        tx.commit().await?;
        Ok(Vec::new())
    }

    async fn child_boundaries(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<StoredBoundary>>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT b.unit_code, b.geometry, b.schematic FROM unit_boundaries b JOIN units u ON u.code = b.unit_code WHERE u.parent_code = $1 ORDER BY b.unit_code",
        )
        .bind(&unit.code)
        .fetch_all(&self.reader)
        .await?;
        Ok(Some(rows.into_iter().map(|(unit_code, geometry, schematic)| StoredBoundary { unit_code, geometry, schematic }).collect()))
    }
}
