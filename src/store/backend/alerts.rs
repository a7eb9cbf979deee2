//! `AlertStore` for this backend, and `raise_alert`, which the other stores call inside
//! their own transactions so an alert commits with the fact that caused it.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, Tx, audit};
use crate::domain::{AlertKind, Caller, Target, TargetKind, TaskKind, UnitPath};
use crate::store::scope::Scope;
use crate::store::{AlertStore, SqlStore, StoreError, StoreResult, Task};

#[async_trait]
impl AlertStore for SqlStore<Db> {
    async fn tasks(&self, caller: &Caller, first: u32) -> StoreResult<(Vec<Task>, i64)> {
        let first = i64::from(first);
        let mut total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM alerts l JOIN alert_recipients r ON r.alert_id = l.id JOIN accounts a ON a.id = r.account_id \
             WHERE a.login = $1 AND l.acknowledged_at IS NULL",
        )
        .bind(&caller.login)
        .fetch_one(&self.reader)
        .await?;
        let alerts: Vec<AlertRow> = sqlx::query_as(
            "SELECT l.kind, l.id, l.due, l.subject, l.target_kind, l.target_id, l.target_unit, l.target_day FROM alerts l JOIN alert_recipients r ON r.alert_id = l.id \
             JOIN accounts a ON a.id = r.account_id WHERE a.login = $1 AND l.acknowledged_at IS NULL ORDER BY l.due, l.id LIMIT $2",
        )
        .bind(&caller.login)
        .bind(first)
        .fetch_all(&self.reader)
        .await?;
        let mut tasks: Vec<Task> = alerts
            .into_iter()
            .map(|(kind, id, due, subject, target_kind, target_id, target_unit, target_day)| {
                let kind = TaskKind::of_alert(AlertKind::from_stored(&kind)?);
                Ok::<_, StoreError>(Task { kind, id, due, subject, target: stored_target(&target_kind, target_id, target_unit, target_day)? })
            })
            .collect::<Result<_, _>>()?;
        if caller.role.screens() {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM screening_tasks t WHERE ");
            Scope::of(&caller.scope).push_within(&mut count, "t.unit_path").push(" AND t.done_at IS NULL");
            total += count.build_query_scalar::<i64>().fetch_one(&self.reader).await?;
            let mut query = QueryBuilder::new(
                // The person as the task's place knows them: its roster, else its checkpoints.
                "SELECT t.id, t.created_at, COALESCE((SELECT r.name FROM residents r WHERE r.id_number = n.id_number AND r.unit_path = t.unit_path LIMIT 1), \
                 (SELECT p.name FROM passages p WHERE p.person_id = t.person_id AND p.unit_path = t.unit_path AND p.name IS NOT NULL ORDER BY p.at DESC LIMIT 1), n.name), \
                 t.reason, t.person_id FROM screening_tasks t JOIN people n ON n.id = t.person_id \
                 WHERE ",
            );
            Scope::of(&caller.scope).push_within(&mut query, "t.unit_path").push(" AND t.done_at IS NULL ORDER BY t.created_at, t.id LIMIT ").push_bind(first);
            let screenings = query.build_query_as::<(uuid::Uuid, chrono::DateTime<chrono::Utc>, String, String, uuid::Uuid)>().fetch_all(&self.reader).await?;
            tasks.extend(screenings.into_iter().map(|(id, due, name, reason, person)| Task {
                kind: TaskKind::ScreenContact,
                id,
                due,
                subject: format!("{name} · {reason}"),
                target: Target::person(person),
            }));
        }
        tasks.sort_by_key(|t| t.due);
        Ok((tasks, total))
    }

    async fn acknowledge(&self, caller: &Caller, alert: uuid::Uuid) -> StoreResult<()> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT l.unit_path FROM alerts l JOIN alert_recipients r ON r.alert_id = l.id JOIN accounts a ON a.id = r.account_id WHERE l.id = $1 AND a.login = $2",
        )
        .bind(alert)
        .bind(&caller.login)
        .fetch_optional(&self.reader)
        .await?;
        let path = found.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL")
            .bind(caller.now)
            .bind(&caller.login)
            .bind(alert)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, caller, "acknowledge", "alert", alert, path.as_str(), serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn finish_screening_task(&self, caller: &Caller, task: uuid::Uuid) -> StoreResult<()> {
        let mut query = QueryBuilder::new("SELECT unit_path FROM screening_tasks WHERE id = ");
        query.push_bind(task).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let path = query.build_query_scalar::<String>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE screening_tasks SET done_at = $1 WHERE id = $2 AND done_at IS NULL").bind(caller.now).bind(task).execute(&mut *tx).await?;
        audit(&mut tx, caller, "finish", "screening_task", task, path.as_str(), serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl SqlStore<Db> {
    /// Raises an alert about a unit to those who must act on it: the grid leaders (网格长)
    /// of the village or grids on its path (an account over it, or named on it) and the
    /// HQ accounts over it.
    pub(crate) async fn raise_alert(
        tx: &mut Tx,
        kind: AlertKind,
        path: &UnitPath,
        unit_code: &str,
        subject: &str,
        target: &Target,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<uuid::Uuid> {
        let id = Self::insert_alert(tx, kind, path, subject, target, now).await?;
        let leaders = crate::store::alerts::leader_units(path, unit_code);
        let mut query = sqlx::QueryBuilder::new("INSERT INTO alert_recipients (account_id, alert_id) SELECT DISTINCT a.id, ");
        query.push_bind(id).push(" FROM accounts a JOIN units u ON u.code = a.unit_code WHERE (a.role = 'hq' AND substr(").push_bind(path.as_str().to_string());
        query.push(", 1, length(u.path)) = u.path) OR (a.role = 'grid_leader' AND a.unit_code IN (");
        let mut list = query.separated(", ");
        for code in &leaders {
            list.push_bind(code.to_string());
        }
        query.push(")) OR a.id IN (SELECT s.account_id FROM unit_staff s WHERE s.duty = 'leader' AND s.unit_code IN (");
        let mut list = query.separated(", ");
        for code in &leaders {
            list.push_bind(code.to_string());
        }
        query.push("))");
        query.build().execute(&mut **tx).await?;
        Ok(id)
    }

    /// Raises an alert to the leaders and HQ of exactly one unit: a step of escalation.
    pub(crate) async fn raise_alert_at(
        tx: &mut Tx,
        kind: AlertKind,
        path: &UnitPath,
        level_code: &str,
        subject: &str,
        target: &Target,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<uuid::Uuid> {
        let id = Self::insert_alert(tx, kind, path, subject, target, now).await?;
        sqlx::query(
            "INSERT INTO alert_recipients (account_id, alert_id) SELECT DISTINCT a.id, $1 FROM accounts a \
             WHERE (a.role IN ('grid_leader', 'hq') AND a.unit_code = $2) OR a.id IN (SELECT s.account_id FROM unit_staff s WHERE s.duty = 'leader' AND s.unit_code = $2)",
        )
        .bind(id)
        .bind(level_code)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }

    pub(crate) async fn insert_alert(
        tx: &mut Tx,
        kind: AlertKind,
        path: &UnitPath,
        subject: &str,
        target: &Target,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<uuid::Uuid> {
        let id = uuid::Uuid::now_v7();
        sqlx::query(
            "INSERT INTO alerts (id, kind, unit_path, county_code, subject, target_kind, target_id, due, created_at, target_unit, target_day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)",
        )
        .bind(id)
        .bind(kind.as_str())
        .bind(path.as_str())
        .bind(path.county_code())
        .bind(subject)
        .bind(target.kind.as_str())
        .bind(target.id)
        .bind(now)
        .bind(target.kind.eq(&TargetKind::Report).then_some(target.unit.as_deref()).flatten())
        .bind(target.day)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }
}

/// An alert as the inbox reads it: kind, id, due, subject, and its target's kind, id, unit
/// and day.
type AlertRow = (String, uuid::Uuid, chrono::DateTime<chrono::Utc>, String, String, uuid::Uuid, Option<String>, Option<chrono::NaiveDate>);

/// What a stored alert points at. Alerts never point at rounds (they need the unit they are
/// seen from, which an alert does not keep); a report is kept as its unit and day.
pub(crate) fn stored_target(kind: &str, id: uuid::Uuid, unit: Option<String>, day: Option<chrono::NaiveDate>) -> StoreResult<Target> {
    match TargetKind::from_stored(kind)? {
        TargetKind::Round => Err(crate::domain::UnknownWord { kind: "alert target", word: kind.to_string() }.into()),
        TargetKind::Report => match (unit, day) {
            (Some(unit), Some(day)) => Ok(Target::report(&unit, day)),
            _ => Err(crate::domain::UnknownWord { kind: "alert target", word: kind.to_string() }.into()),
        },
        kind => Ok(Target { kind, id, unit: None, day: None }),
    }
}
