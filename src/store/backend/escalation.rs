//! `EscalationStore` for this backend: taking lapses up the grid, one recorded step at a time.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{AlertKind, Caller, LapseKind, Role, UnitPath};
use crate::store::scope::Scope;
use crate::store::{EscalationStore, MAX_PAGE, SqlStore, StoreResult};

#[async_trait]
impl EscalationStore for SqlStore<Db> {
    async fn escalation_rules(&self) -> StoreResult<Vec<crate::store::escalation::Rule>> {
        Ok(sqlx::query_as("SELECT kind, delay_minutes, steps FROM escalation_rules ORDER BY kind").fetch_all(&self.reader).await?)
    }

    async fn escalate(&self, lapses: &[crate::store::escalation::Lapse], now: chrono::DateTime<chrono::Utc>) -> StoreResult<usize> {
        use crate::store::escalation::*;
        let rules = self.escalation_rules().await?;
        let rule = |kind: LapseKind| rules.iter().find(|r| r.kind == kind).cloned();
        // Alerts nobody has acknowledged climb from the level above the alert's own.
        type Unacknowledged =
            (uuid::Uuid, String, String, String, String, uuid::Uuid, chrono::DateTime<chrono::Utc>, Option<String>, Option<chrono::NaiveDate>);
        let alerts: Vec<Unacknowledged> = sqlx::query_as(
            "SELECT id, kind, unit_path, subject, target_kind, target_id, created_at, target_unit, target_day FROM alerts \
             WHERE acknowledged_at IS NULL AND kind <> 'escalation'",
        )
        .fetch_all(&self.reader)
        .await?;
        // A lapse the unit's own leader already holds (a report not confirmed) climbs from the
        // level above it.
        let mut all: Vec<(Lapse, usize)> = lapses.iter().map(|l| (l.clone(), l.path.depth() - usize::from(l.starts_above))).collect();
        for (id, kind, path, subject, target_kind, target_id, at, target_unit, target_day) in alerts {
            let path = UnitPath::from_stored(path);
            let top = path.depth().saturating_sub(1);
            let target = super::alerts::stored_target(&target_kind, target_id, target_unit, target_day)?;
            let title = format!("{} · {subject}", AlertKind::from_stored(&kind)?);
            all.push((Lapse { kind: LapseKind::AlertUnacknowledged, subject: id.to_string(), since: at, path, title, target, starts_above: false }, top));
        }
        // Every step taken so far, read once for the whole sweep.
        let done: std::collections::HashSet<(String, String, i64)> =
            sqlx::query_as::<_, (String, String, i64)>("SELECT kind, subject, step FROM escalations").fetch_all(&self.reader).await?.into_iter().collect();
        let mut taken = 0;
        for (lapse, top) in all {
            let Some(rule) = rule(lapse.kind) else { continue };
            let levels = ladder(&lapse.path, top);
            let delay = chrono::Duration::minutes(rule.delay_minutes);
            let due: Vec<usize> =
                (1..=rule.steps.max(0) as usize).filter(|step| lapse.since + delay * (*step as i32) <= now && *step <= levels.len()).collect();
            if due.is_empty() {
                continue;
            }
            for step in due.into_iter().filter(|s| !done.contains(&(lapse.kind.to_string(), lapse.subject.clone(), *s as i64))) {
                let (depth, code) = &levels[step - 1];
                let level_path = prefix(&lapse.path, *depth);
                let mut tx = self.writer.begin().await?;
                let recorded = sqlx::query(
                    "INSERT INTO escalations (kind, subject, step, unit_path, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, subject, step) DO NOTHING",
                )
                .bind(lapse.kind.as_str())
                .bind(&lapse.subject)
                .bind(step as i64)
                .bind(level_path.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if recorded.rows_affected() == 0 {
                    continue;
                }
                let alert = Self::raise_alert_at(&mut tx, AlertKind::Escalation, &lapse.path, code, &lapse.title, &lapse.target, now).await?;
                sqlx::query("UPDATE escalations SET alert_id = $1 WHERE kind = $2 AND subject = $3 AND step = $4")
                    .bind(alert)
                    .bind(lapse.kind.as_str())
                    .bind(&lapse.subject)
                    .bind(step as i64)
                    .execute(&mut *tx)
                    .await?;
                let system = Caller { login: "system".into(), role: Role::Admin, scope: level_path.clone(), now };
                audit(&mut tx, &system, "escalate", lapse.kind.as_str(), &lapse.subject, lapse.path.as_str(), serde_json::json!({"step": step, "to": code}))
                    .await?;
                tx.commit().await?;
                taken += 1;
            }
        }
        Ok(taken)
    }

    async fn escalations(&self, scope: &UnitPath, limit: u32) -> StoreResult<Vec<crate::store::escalation::Escalation>> {
        let mut query = QueryBuilder::new("SELECT kind, subject, step, unit_path, at FROM escalations WHERE ");
        Scope::of(scope).push_within(&mut query, "unit_path").push(" ORDER BY at DESC LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        Ok(query.build_query_as().fetch_all(&self.reader).await?)
    }
}
