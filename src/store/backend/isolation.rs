//! `IsolationStore` for this backend: orders, follow-ups, release.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, Tx, audit, derived};
use crate::domain::{AlertKind, Caller, DomainError, Login, Role, Target, Temperature, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Followup, Isolation, IsolationStore, MAX_PAGE, NewFollowup, NewIsolation, SqlStore, StoreError, StoreResult, UnitStore};

#[async_trait]
impl IsolationStore for SqlStore<Db> {
    async fn order_isolation(&self, caller: &Caller, order: &NewIsolation, max_households: usize) -> StoreResult<Isolation> {
        use StoreError;
        let mut query =
            QueryBuilder::new("SELECT r.household_id, r.unit_path, h.unit_code FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id = ");
        query.push_bind(order.resident_id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "r.unit_path");
        let (household, path, unit_code) =
            query.build_query_as::<(uuid::Uuid, String, String)>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let path = UnitPath::from_stored(path);
        let mut tx = self.writer.begin().await?;
        if Self::claim_id(&mut tx, caller, "isolation", order.id, order.fingerprint.as_deref(), &path).await? == crate::store::client_ids::Claim::New {
            let open = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM isolations WHERE resident_id = $1 AND ended_at IS NULL")
                .bind(order.resident_id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_some() {
                return Err(StoreError::Conflict("an isolation order for this resident"));
            }
            let cadre = match &order.cadre {
                None => None,
                Some(login) => Some(Self::paired_cadre(&mut tx, caller, login, &path, household, max_households).await?),
            };
            let inserted = sqlx::query(
                "INSERT INTO isolations (id, resident_id, household_id, unit_path, county_code, kind, place, reason, note, starts_at, planned_end, cadre_id, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING",
            )
            .bind(order.id)
            .bind(order.resident_id)
            .bind(household)
            .bind(path.as_str())
            .bind(path.county_code())
            .bind(order.kind.as_str())
            .bind(&order.place)
            .bind(order.reason.as_str())
            .bind(&order.note)
            .bind(order.starts_at)
            .bind(order.planned_end)
            .bind(cadre)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            let detail = serde_json::json!({"resident_id": order.resident_id, "kind": order.kind.as_str(), "reason": order.reason.as_str(), "planned_end": order.planned_end});
            audit(&mut tx, caller, "create", "isolation", order.id, path.as_str(), detail).await?;
            derived::refresh(&mut tx, caller, &[household], &[unit_code]).await?;
            derived::dated_fact(&mut tx, caller.now, path.as_str(), order.starts_at).await?;
        }
        tx.commit().await?;
        self.isolation(&caller.scope, order.id).await?.ok_or(StoreError::NotFound)
    }

    async fn isolation(&self, scope: &UnitPath, id: uuid::Uuid) -> StoreResult<Option<Isolation>> {
        use crate::store::isolation::*;
        let mut query = QueryBuilder::new(format!("{ISOLATION_SELECT} WHERE i.id = "));
        query.push_bind(id).push(" AND ");
        Scope::of(scope).push_within(&mut query, "i.unit_path");
        let Some(row) = query.build_query_as::<IsolationRow>().fetch_optional(&self.reader).await? else { return Ok(None) };
        let mut followups = self.followups_of(&[id]).await?;
        Ok(Some(row.with(followups.remove(&id).unwrap_or_default())))
    }

    async fn isolations(&self, scope: &UnitPath, unit: &UnitCode, active_only: bool, offset: u32, limit: u32) -> StoreResult<Option<(Vec<Isolation>, i64)>> {
        use crate::store::isolation::*;
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let filter = if active_only { " AND i.ended_at IS NULL" } else { "" };
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM isolations i WHERE ");
        Scope::of(&unit.path).push_within(&mut count, "i.unit_path").push(filter);
        let total: i64 = count.build_query_scalar().fetch_one(&self.reader).await?;
        let mut query = QueryBuilder::new(format!("{ISOLATION_SELECT} WHERE "));
        Scope::of(&unit.path).push_within(&mut query, "i.unit_path").push(filter);
        query.push(" ORDER BY i.starts_at DESC, i.id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE))).push(" OFFSET ").push_bind(i64::from(offset));
        let rows = query.build_query_as::<IsolationRow>().fetch_all(&self.reader).await?;
        // Each order with its follow-ups, so that where it stands is told right.
        Ok(Some((self.with_followups(rows).await?, total)))
    }

    async fn record_followup(&self, caller: &Caller, id: uuid::Uuid, followup: &NewFollowup, fever: Temperature) -> StoreResult<Followup> {
        use crate::store::isolation::*;
        let order = self.isolation(&caller.scope, id).await?.ok_or(StoreError::NotFound)?;
        if order.ended_at.is_some() {
            return Err(StoreError::Domain(DomainError::NotAllowed("follow up an order that has ended")));
        }
        let words = |list: Vec<&str>| serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
        let mut tx = self.writer.begin().await?;
        let claim = Self::claim_id(&mut tx, caller, "followup", followup.id, followup.fingerprint.as_deref(), &order.unit_path).await?;
        if claim == crate::store::client_ids::Claim::New {
            let inserted = sqlx::query(
                "INSERT INTO followups (id, isolation_id, unit_path, at, temperature, symptoms, needs, reached, note, actor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
            )
            .bind(followup.id)
            .bind(id)
            .bind(order.unit_path.as_str())
            .bind(caller.now)
            .bind(followup.temperature.map(|t| t.celsius()))
            .bind(words(followup.symptoms.iter().map(|s| s.as_str()).collect()))
            .bind(words(followup.needs.iter().map(|n| n.as_str()).collect()))
            .bind(followup.reached.as_str())
            .bind(&followup.note)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            let detail = serde_json::json!({"isolation": id, "temperature": followup.temperature.map(|t| t.celsius()), "reached": followup.reached.as_str()});
            audit(&mut tx, caller, "create", "followup", followup.id, order.unit_path.as_str(), detail).await?;
            if followup_alarms(followup, fever) {
                let subject = followup_subject(&order.name, followup, fever);
                Self::raise_alert(&mut tx, AlertKind::Followup, &order.unit_path, &order.unit_code, &subject, &Target::isolation(id), caller.now).await?;
            }
        }
        let sql = format!("{FOLLOWUP_SELECT} WHERE id = $1");
        let row: FollowupRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(followup.id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        row.try_into()
    }

    async fn extend_isolation(&self, caller: &Caller, id: uuid::Uuid, planned_end: chrono::DateTime<chrono::Utc>, reason: &str) -> StoreResult<Isolation> {
        let order = self.isolation(&caller.scope, id).await?.ok_or(StoreError::NotFound)?;
        if order.ended_at.is_some() {
            return Err(StoreError::Domain(DomainError::NotAllowed("change an order that has ended")));
        }
        if planned_end <= order.starts_at {
            return Err(StoreError::Domain(DomainError::invalid("days", crate::domain::error::Reason::DateOrder)));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE isolations SET planned_end = $1 WHERE id = $2").bind(planned_end).bind(id).execute(&mut *tx).await?;
        audit(
            &mut tx,
            caller,
            "extend",
            "isolation",
            id,
            order.unit_path.as_str(),
            serde_json::json!({"planned_end": [order.planned_end, planned_end], "reason": reason}),
        )
        .await?;
        tx.commit().await?;
        self.isolation(&caller.scope, id).await?.ok_or(StoreError::NotFound)
    }

    async fn end_isolation(&self, caller: &Caller, id: uuid::Uuid, reason: &str) -> StoreResult<Isolation> {
        let order = self.isolation(&caller.scope, id).await?.ok_or(StoreError::NotFound)?;
        if order.ended_at.is_some() {
            return Ok(order);
        }
        if caller.now >= order.planned_end {
            // Release on the planned day needs a final follow-up, taken that day or later.
            let day_starts = {
                use chrono::TimeZone;
                let day = crate::domain::time::local_date(order.planned_end);
                crate::domain::time::REGION_TZ
                    .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
                    .earliest()
                    .expect("no gap")
                    .with_timezone(&chrono::Utc)
            };
            if !order.followups.iter().any(|f| f.at >= day_starts && f.reached != crate::domain::isolation::Reached::NotReached) {
                return Err(StoreError::Domain(DomainError::NotAllowed("release without a final follow-up on the planned day")));
            }
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE isolations SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL")
            .bind(caller.now)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            caller,
            "end",
            "isolation",
            id,
            order.unit_path.as_str(),
            serde_json::json!({"reason": reason, "early": caller.now < order.planned_end}),
        )
        .await?;
        derived::refresh(&mut tx, caller, &[order.household_id], std::slice::from_ref(&order.unit_code)).await?;
        tx.commit().await?;
        self.isolation(&caller.scope, id).await?.ok_or(StoreError::NotFound)
    }

    async fn orders_of_cadre(&self, login: &str, now: chrono::DateTime<chrono::Utc>) -> StoreResult<Vec<Isolation>> {
        let sql = format!("{} WHERE a.login = $1 AND i.ended_at IS NULL AND i.starts_at <= $2 ORDER BY i.starts_at", crate::store::isolation::ISOLATION_SELECT);
        let rows: Vec<crate::store::isolation::IsolationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(login).bind(now).fetch_all(&self.reader).await?;
        self.with_followups(rows).await
    }

    async fn active_orders(&self, now: chrono::DateTime<chrono::Utc>) -> StoreResult<Vec<Isolation>> {
        let sql = format!("{} WHERE i.ended_at IS NULL AND i.starts_at <= $1 ORDER BY i.starts_at", crate::store::isolation::ISOLATION_SELECT);
        let rows: Vec<crate::store::isolation::IsolationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).fetch_all(&self.reader).await?;
        self.with_followups(rows).await
    }
}

impl SqlStore<Db> {
    /// The paired cadre's account: one who screens, sees the household, and holds fewer
    /// than `max` other households under active orders (结对包保 1–3 户).
    pub(crate) async fn paired_cadre(
        tx: &mut Tx,
        caller: &Caller,
        login: &Login,
        path: &UnitPath,
        household: uuid::Uuid,
        max: usize,
    ) -> StoreResult<uuid::Uuid> {
        use crate::domain::{DomainError, error::Reason};
        let found: Option<(uuid::Uuid, String, String)> =
            sqlx::query_as("SELECT a.id, a.role, u.path FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1")
                .bind(login.as_str())
                .fetch_optional(&mut **tx)
                .await?;
        // An account neither below nor above the caller answers as an unknown one: nothing
        // tells which logins exist elsewhere.
        let unknown = || StoreError::Domain(DomainError::invalid("cadre_login", Reason::Unknown));
        let (id, role, scope) = found.ok_or_else(unknown)?;
        let scope = UnitPath::from_stored(scope);
        if !(caller.scope.contains(&scope) || scope.contains(&caller.scope)) {
            return Err(unknown());
        }
        let role = Role::from_stored(&role)?;
        if !role.screens() || !scope.contains(path) {
            return Err(StoreError::Domain(DomainError::NotAllowed("pair a cadre who cannot see the household")));
        }
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT household_id) FROM isolations WHERE cadre_id = $1 AND ended_at IS NULL AND household_id <> $2")
                .bind(id)
                .bind(household)
                .fetch_one(&mut **tx)
                .await?;
        if held as usize >= max {
            return Err(StoreError::Domain(DomainError::invalid("cadre_login", Reason::TooMany(max))));
        }
        Ok(id)
    }

    pub(crate) async fn followups_of(&self, ids: &[uuid::Uuid]) -> StoreResult<std::collections::HashMap<uuid::Uuid, Vec<Followup>>> {
        let mut all: std::collections::HashMap<uuid::Uuid, Vec<Followup>> = std::collections::HashMap::new();
        for chunk in ids.chunks(crate::store::sql::CHUNK) {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT isolation_id, id, at, temperature, symptoms, needs, reached, note, actor FROM followups WHERE isolation_id IN (",
            );
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(") ORDER BY at");
            let rows: Vec<FollowupColumns> = query.build_query_as().fetch_all(&self.reader).await?;
            for (isolation, id, at, temperature, symptoms, needs, reached, note, actor) in rows {
                let row = crate::store::isolation::FollowupRow { id, at, temperature, symptoms, needs, reached, note, actor };
                all.entry(isolation).or_default().push(row.try_into()?);
            }
        }
        Ok(all)
    }

    pub(crate) async fn with_followups(&self, rows: Vec<crate::store::isolation::IsolationRow>) -> StoreResult<Vec<Isolation>> {
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let mut followups = self.followups_of(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let id = r.id;
                r.with(followups.remove(&id).unwrap_or_default())
            })
            .collect())
    }
}

/// A follow-up's columns, after its order's id.
type FollowupColumns = (uuid::Uuid, uuid::Uuid, chrono::DateTime<chrono::Utc>, Option<f64>, String, String, String, Option<String>, String);
