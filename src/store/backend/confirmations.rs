//! `ConfirmationStore` for this backend.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use super::{Db, audit};
use crate::domain::confirmations::{Snapshot, report_subject};
use crate::domain::{Caller, DomainError, LapseKind, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Confirmation, ConfirmationStore, Owed, SqlStore, StoreError, StoreResult};

type Row = (String, NaiveDate, String, DateTime<Utc>, String);

fn confirmation((unit_code, day, confirmed_by, confirmed_at, figures): Row) -> StoreResult<Confirmation> {
    let figures: Snapshot = serde_json::from_str(&figures).map_err(|e| StoreError::Engine(format!("a confirmation's figures: {e}")))?;
    Ok(Confirmation { unit_code, day, confirmed_by, confirmed_at, figures })
}

#[async_trait]
impl ConfirmationStore for SqlStore<Db> {
    async fn confirm_day(&self, caller: &Caller, unit: &UnitCode, day: NaiveDate, figures: &Snapshot, wait_for_children: bool) -> StoreResult<Confirmation> {
        let mut tx = self.writer.begin().await?;
        let mut query = QueryBuilder::new("SELECT path FROM units WHERE code = ");
        query.push_bind(unit.as_str()).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "path");
        let path: String = query.build_query_scalar().fetch_optional(&mut *tx).await?.ok_or(StoreError::NotFound)?;
        if wait_for_children {
            let waiting: Vec<String> = sqlx::query_scalar(
                "SELECT u.name FROM units u WHERE u.parent_code = $1 \
                 AND NOT EXISTS (SELECT 1 FROM report_confirmations c WHERE c.unit_code = u.code AND c.day = $2) ORDER BY u.code",
            )
            .bind(unit.as_str())
            .bind(day)
            .fetch_all(&mut *tx)
            .await?;
            if !waiting.is_empty() {
                return Err(DomainError::Unconfirmed(waiting).into());
            }
        }
        let replaced: Option<Row> =
            sqlx::query_as("SELECT unit_code, day, confirmed_by, confirmed_at, figures FROM report_confirmations WHERE unit_code = $1 AND day = $2")
                .bind(unit.as_str())
                .bind(day)
                .fetch_optional(&mut *tx)
                .await?;
        let kept = serde_json::to_string(figures).map_err(|e| StoreError::Engine(e.to_string()))?;
        sqlx::query(
            "INSERT INTO report_confirmations (unit_code, unit_path, day, confirmed_by, confirmed_at, figures) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (unit_code, day) DO UPDATE SET confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at, figures = excluded.figures",
        )
        .bind(unit.as_str())
        .bind(&path)
        .bind(day)
        .bind(&caller.login)
        .bind(caller.now)
        .bind(&kept)
        .execute(&mut *tx)
        .await?;
        // The escalations of the day's lapse are answered by the confirmation itself.
        let subject = report_subject(unit.as_str(), day);
        sqlx::query(
            "UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE acknowledged_at IS NULL \
             AND id IN (SELECT alert_id FROM escalations WHERE kind = $3 AND subject = $4)",
        )
        .bind(caller.now)
        .bind(&caller.login)
        .bind(LapseKind::ReportUnconfirmed.as_str())
        .bind(&subject)
        .execute(&mut *tx)
        .await?;
        let replaced = replaced.map(confirmation).transpose()?;
        let detail = serde_json::json!({"day": day, "figures": figures, "replaced": replaced});
        audit(&mut tx, caller, "confirm", "report", &subject, &path, detail).await?;
        tx.commit().await?;
        Ok(Confirmation { unit_code: unit.as_str().to_string(), day, confirmed_by: caller.login.clone(), confirmed_at: caller.now, figures: figures.clone() })
    }

    async fn confirmations(&self, scope: &UnitPath, units: &[String], day: NaiveDate) -> StoreResult<Vec<Confirmation>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::new("SELECT unit_code, day, confirmed_by, confirmed_at, figures FROM report_confirmations WHERE day = ");
        query.push_bind(day).push(" AND unit_code IN (");
        let mut list = query.separated(", ");
        for code in units {
            list.push_bind(code.clone());
        }
        query.push(") AND ");
        Scope::of(scope).push_within(&mut query, "unit_path");
        let rows: Vec<Row> = query.build_query_as().fetch_all(&self.reader).await?;
        rows.into_iter().map(confirmation).collect()
    }

    async fn owed_reports(&self, scope: &UnitPath, unit: Option<&str>, days: &[NaiveDate]) -> StoreResult<Vec<Owed>> {
        let mut owed = Vec::new();
        for day in days {
            let (starts, _) = crate::domain::command::day_bounds(*day);
            let mut query =
                QueryBuilder::new("SELECT u.code, u.name, u.path FROM units u WHERE u.level IN ('county', 'township', 'village') AND u.created_at < ");
            query.push_bind(starts);
            query.push(" AND NOT EXISTS (SELECT 1 FROM report_confirmations c WHERE c.unit_code = u.code AND c.day = ").push_bind(*day).push(")");
            if let Some(code) = unit {
                query.push(" AND u.code = ").push_bind(code.to_string());
            }
            query.push(" AND ");
            Scope::of(scope).push_within(&mut query, "u.path");
            let rows: Vec<(String, String, String)> = query.build_query_as().fetch_all(&self.reader).await?;
            owed.extend(rows.into_iter().map(|(unit_code, unit_name, path)| Owed { unit_code, unit_name, unit_path: UnitPath::from_stored(path), day: *day }));
        }
        Ok(owed)
    }
}
