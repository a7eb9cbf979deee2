//! `CheckpointStore` for this backend: checkpoints, shifts, poster tokens.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Checkpoint, CheckpointStore, NewCheckpoint, OnDuty, Shift, SqlStore, StoreError, StoreResult, UnitStore};

#[async_trait]
impl CheckpointStore for SqlStore<Db> {
    async fn create_checkpoint(&self, caller: &Caller, checkpoint: &NewCheckpoint, token: &str) -> StoreResult<Checkpoint> {
        let unit = self.unit(&caller.scope, &checkpoint.unit_code).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        if Self::claim_id(&mut tx, caller, "checkpoint", checkpoint.id, checkpoint.fingerprint.as_deref(), &unit.path).await?
            == crate::store::client_ids::Claim::New
        {
            let inserted = sqlx::query(
                "INSERT INTO checkpoints (id, unit_code, unit_path, county_code, name, kind, lat, lon, token, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (id) DO NOTHING",
            )
            .bind(checkpoint.id)
            .bind(&unit.code)
            .bind(unit.path.as_str())
            .bind(unit.path.county_code())
            .bind(&checkpoint.name)
            .bind(checkpoint.kind.as_str())
            .bind(checkpoint.location.map(|l| l.lat))
            .bind(checkpoint.location.map(|l| l.lon))
            .bind(token)
            .bind(caller.now)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            audit(
                &mut tx,
                caller,
                "create",
                "checkpoint",
                checkpoint.id,
                unit.path.as_str(),
                serde_json::json!({"name": checkpoint.name, "kind": checkpoint.kind.as_str()}),
            )
            .await?;
        }
        tx.commit().await?;
        self.checkpoint(&caller.scope, checkpoint.id).await?.ok_or(StoreError::NotFound)
    }

    async fn checkpoint(&self, scope: &UnitPath, id: uuid::Uuid) -> StoreResult<Option<Checkpoint>> {
        use crate::store::checkpoints::*;
        let mut query = QueryBuilder::new(format!("{CHECKPOINT_SELECT} WHERE id = "));
        query.push_bind(id).push(" AND ");
        Scope::of(scope).push_within(&mut query, "unit_path");
        Ok(query.build_query_as::<CheckpointRow>().fetch_optional(&self.reader).await?.map(Checkpoint::from))
    }

    async fn checkpoints(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Checkpoint>>> {
        use crate::store::checkpoints::*;
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let mut query = QueryBuilder::new(format!("{CHECKPOINT_SELECT} WHERE "));
        Scope::of(&unit.path).push_within(&mut query, "unit_path").push(" ORDER BY unit_path, name");
        Ok(Some(query.build_query_as::<CheckpointRow>().fetch_all(&self.reader).await?.into_iter().map(Checkpoint::from).collect()))
    }

    async fn rotate_token(&self, caller: &Caller, id: uuid::Uuid, token: &str) -> StoreResult<()> {
        let checkpoint = self.checkpoint(&caller.scope, id).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE checkpoints SET token = $1, updated_at = $2 WHERE id = $3").bind(token).bind(caller.now).bind(id).execute(&mut *tx).await?;
        audit(&mut tx, caller, "rotate_token", "checkpoint", id, checkpoint.unit_path.as_str(), serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn checkpoint_by_token(&self, token: &str) -> StoreResult<Option<Checkpoint>> {
        use crate::store::checkpoints::*;
        let sql = format!("{CHECKPOINT_SELECT} WHERE token = $1");
        Ok(sqlx::query_as::<_, CheckpointRow>(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(&self.reader).await?.map(Checkpoint::from))
    }

    async fn add_shift(
        &self,
        caller: &Caller,
        checkpoint: uuid::Uuid,
        starts_at: chrono::DateTime<chrono::Utc>,
        ends_at: chrono::DateTime<chrono::Utc>,
        staff: &[OnDuty],
    ) -> StoreResult<Shift> {
        let found = self.checkpoint(&caller.scope, checkpoint).await?.ok_or(StoreError::NotFound)?;
        let id = uuid::Uuid::now_v7();
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO checkpoint_shifts (id, checkpoint_id, starts_at, ends_at, staff, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(checkpoint)
            .bind(starts_at)
            .bind(ends_at)
            .bind(serde_json::to_string(staff).unwrap_or_else(|_| "[]".into()))
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            caller,
            "create",
            "shift",
            id,
            found.unit_path.as_str(),
            serde_json::json!({"checkpoint": checkpoint, "starts_at": starts_at, "ends_at": ends_at}),
        )
        .await?;
        tx.commit().await?;
        Ok(Shift { id, starts_at, ends_at, staff: staff.to_vec() })
    }

    async fn shifts(
        &self,
        scope: &UnitPath,
        checkpoint: uuid::Uuid,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<Vec<Shift>>> {
        if self.checkpoint(scope, checkpoint).await?.is_none() {
            return Ok(None);
        }
        let rows: Vec<(uuid::Uuid, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>, String)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, staff FROM checkpoint_shifts WHERE checkpoint_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at",
        )
        .bind(checkpoint)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        let shifts = rows.into_iter().map(|(id, starts_at, ends_at, staff)| {
            let on_duty = serde_json::from_str(&staff).map_err(|_| crate::domain::UnknownWord { kind: "shift staff", word: staff.clone() })?;
            Ok::<_, StoreError>(Shift { id, starts_at, ends_at, staff: on_duty })
        });
        Ok(Some(shifts.collect::<Result<_, _>>()?))
    }
}
