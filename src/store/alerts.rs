//! Alerts and the task inbox: what an account must act on now. Alerts are raised by the
//! other stores inside the transaction of the fact that causes them; screening tasks are
//! written when a contact list is turned into work.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::Caller;

/// One thing to do, with the page that clears it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub kind: String,
    pub id: Uuid,
    pub due: DateTime<Utc>,
    pub subject: String,
    pub link: String,
}

#[async_trait]
pub trait AlertStore {
    /// The caller's inbox: alerts sent to them not yet acknowledged, and screening tasks
    /// in their subtree not yet done; oldest first.
    async fn tasks(&self, caller: &Caller) -> StoreResult<Vec<Task>>;
    /// Acknowledges an alert sent to the caller.
    async fn acknowledge(&self, caller: &Caller, alert: Uuid) -> StoreResult<()>;
    /// Marks a screening task done (the person has been seen).
    async fn finish_screening_task(&self, caller: &Caller, task: Uuid) -> StoreResult<()>;
}

/// The depth of a village (嘎查村) on a path: region, city, county, township, village.
pub(crate) const VILLAGE_DEPTH: usize = 5;

macro_rules! impl_alerts {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AlertStore for $store {
            async fn tasks(&self, caller: &$crate::domain::Caller) -> $crate::store::StoreResult<Vec<$crate::store::Task>> {
                let alerts: Vec<(String, uuid::Uuid, chrono::DateTime<chrono::Utc>, String, String)> = sqlx::query_as(
                    "SELECT l.kind, l.id, l.due, l.subject, l.link FROM alerts l JOIN alert_recipients r ON r.alert_id = l.id \
                     JOIN accounts a ON a.id = r.account_id WHERE a.login = $1 AND l.acknowledged_at IS NULL ORDER BY l.due LIMIT 500",
                )
                .bind(&caller.login)
                .fetch_all(&self.reader)
                .await?;
                let mut tasks: Vec<$crate::store::Task> =
                    alerts.into_iter().map(|(kind, id, due, subject, link)| $crate::store::Task { kind: format!("{kind}_alert"), id, due, subject, link }).collect();
                if caller.role.screens() {
                    let query = sqlx::query_as::<_, (uuid::Uuid, chrono::DateTime<chrono::Utc>, String, String, uuid::Uuid)>(
                        // The person as the task's place knows them: its roster, else its checkpoints.
                        "SELECT t.id, t.created_at, COALESCE((SELECT r.name FROM residents r WHERE r.id_number = n.id_number AND r.unit_path = t.unit_path LIMIT 1), \
                         (SELECT p.name FROM passages p WHERE p.person_id = t.person_id AND p.unit_path = t.unit_path AND p.name IS NOT NULL ORDER BY p.at DESC LIMIT 1), n.name), \
                         t.reason, t.person_id FROM screening_tasks t JOIN people n ON n.id = t.person_id \
                         WHERE t.unit_path >= $1 AND t.unit_path < $2 AND t.done_at IS NULL ORDER BY t.created_at LIMIT 500",
                    );
                    let screenings = $crate::store::sql::bind_range!(query, caller.scope).fetch_all(&self.reader).await?;
                    tasks.extend(screenings.into_iter().map(|(id, due, name, reason, person)| $crate::store::Task {
                        kind: "screen_contact".into(),
                        id,
                        due,
                        subject: format!("{name} · {reason}"),
                        link: format!("/people/{person}"),
                    }));
                }
                tasks.sort_by_key(|t| t.due);
                Ok(tasks)
            }

            async fn acknowledge(&self, caller: &$crate::domain::Caller, alert: uuid::Uuid) -> $crate::store::StoreResult<()> {
                let found: Option<String> = sqlx::query_scalar(
                    "SELECT l.unit_path FROM alerts l JOIN alert_recipients r ON r.alert_id = l.id JOIN accounts a ON a.id = r.account_id WHERE l.id = $1 AND a.login = $2",
                )
                .bind(alert)
                .bind(&caller.login)
                .fetch_optional(&self.reader)
                .await?;
                let path = found.ok_or($crate::store::StoreError::NotFound)?;
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL")
                    .bind(caller.now)
                    .bind(&caller.login)
                    .bind(alert)
                    .execute(&mut *tx)
                    .await?;
                $crate::store::sql::audit!(tx, caller, "acknowledge", "alert", alert, path.as_str(), serde_json::json!({}));
                tx.commit().await?;
                Ok(())
            }

            async fn finish_screening_task(&self, caller: &$crate::domain::Caller, task: uuid::Uuid) -> $crate::store::StoreResult<()> {
                let query = sqlx::query_scalar::<_, String>("SELECT unit_path FROM screening_tasks WHERE id = $3 AND unit_path >= $1 AND unit_path < $2");
                let path = $crate::store::sql::bind_range!(query, caller.scope).bind(task).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE screening_tasks SET done_at = $1 WHERE id = $2 AND done_at IS NULL").bind(caller.now).bind(task).execute(&mut *tx).await?;
                $crate::store::sql::audit!(tx, caller, "finish", "screening_task", task, path.as_str(), serde_json::json!({}));
                tx.commit().await?;
                Ok(())
            }
        }

        impl $store {
            /// Raises an alert about a unit to those who must act on it: the grid leaders (网格长)
            /// of the village or grids on its path (an account over it, or named on it) and the
            /// HQ accounts over it.
            async fn raise_alert(
                tx: &mut $crate::store::sql::Tx<$store>,
                kind: &str,
                path: &$crate::domain::UnitPath,
                unit_code: &str,
                subject: &str,
                link: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<uuid::Uuid> {
                let id = Self::insert_alert(tx, kind, path, subject, link, now).await?;
                let mut leaders: Vec<&str> = path.codes().skip($crate::store::alerts::VILLAGE_DEPTH - 1).collect();
                if leaders.is_empty() {
                    leaders.push(unit_code);
                }
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
            async fn raise_alert_at(
                tx: &mut $crate::store::sql::Tx<$store>,
                kind: &str,
                path: &$crate::domain::UnitPath,
                level_code: &str,
                subject: &str,
                link: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<uuid::Uuid> {
                let id = Self::insert_alert(tx, kind, path, subject, link, now).await?;
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

            async fn insert_alert(
                tx: &mut $crate::store::sql::Tx<$store>,
                kind: &str,
                path: &$crate::domain::UnitPath,
                subject: &str,
                link: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<uuid::Uuid> {
                let id = uuid::Uuid::now_v7();
                sqlx::query("INSERT INTO alerts (id, kind, unit_path, county_code, subject, link, due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(id)
                    .bind(kind)
                    .bind(path.as_str())
                    .bind(path.county_code())
                    .bind(subject)
                    .bind(link)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                Ok(id)
            }
        }
    };
}
pub(crate) use impl_alerts;
