//! Escalation (a deadline rule engine): a lapse — a missed follow-up, an alert nobody has
//! acknowledged — climbs one level of the grid (village, township, county) each time its
//! rule's delay passes again, with every step recorded. Rules are rows of `escalation_rules`,
//! so later kinds of lapse (disinfection overdue, service requests, inspection deadlines)
//! are a new row and a new source of lapses, not new code paths.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::UnitPath;

/// Something overdue: which rule it falls under, what it is, since when, and where.
#[derive(Debug, Clone)]
pub struct Lapse {
    pub kind: &'static str,
    /// Names the lapse uniquely within its kind (an order and its slot, an alert).
    pub subject: String,
    pub since: DateTime<Utc>,
    pub path: UnitPath,
    /// What the escalation alerts say, and where they lead.
    pub title: String,
    pub link: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = EscalationRule)]
pub struct Rule {
    pub kind: String,
    pub delay_minutes: i64,
    pub steps: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Escalation {
    pub kind: String,
    pub subject: String,
    pub step: i64,
    pub unit_path: String,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait EscalationStore {
    async fn escalation_rules(&self) -> StoreResult<Vec<Rule>>;
    /// Takes every step due by `now` for the given lapses and for alerts not acknowledged,
    /// each once; returns how many steps were taken.
    async fn escalate(&self, lapses: &[Lapse], now: DateTime<Utc>) -> StoreResult<usize>;
    /// Steps taken in the scope, newest first.
    async fn escalations(&self, scope: &UnitPath, limit: u32) -> StoreResult<Vec<Escalation>>;
}

/// The levels a lapse climbs: the village (or grid) above it, the township, the county —
/// the ancestors at depths 5, 4 and 3 no deeper than `top`.
pub(crate) fn ladder(path: &UnitPath, top: usize) -> Vec<(usize, String)> {
    let codes: Vec<&str> = path.codes().collect();
    [5usize, 4, 3].into_iter().filter(|depth| *depth <= top.min(codes.len())).map(|depth| (depth, codes[depth - 1].to_string())).collect()
}

/// The path of the ancestor at `depth`.
pub(crate) fn prefix(path: &UnitPath, depth: usize) -> UnitPath {
    let codes: Vec<&str> = path.codes().take(depth).collect();
    UnitPath::from_stored(format!("/{}/", codes.join("/")))
}

macro_rules! impl_escalation {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::EscalationStore for $store {
            async fn escalation_rules(&self) -> $crate::store::StoreResult<Vec<$crate::store::escalation::Rule>> {
                Ok(sqlx::query_as("SELECT kind, delay_minutes, steps FROM escalation_rules ORDER BY kind").fetch_all(&self.reader).await?)
            }

            async fn escalate(&self, lapses: &[$crate::store::escalation::Lapse], now: chrono::DateTime<chrono::Utc>) -> $crate::store::StoreResult<usize> {
                use $crate::store::escalation::*;
                let rules = self.escalation_rules().await?;
                let rule = |kind: &str| rules.iter().find(|r| r.kind == kind).cloned();
                // Alerts nobody has acknowledged climb from the level above the alert's own.
                let alerts: Vec<(uuid::Uuid, String, String, String, String, chrono::DateTime<chrono::Utc>)> =
                    sqlx::query_as("SELECT id, kind, unit_path, subject, link, created_at FROM alerts WHERE acknowledged_at IS NULL AND kind <> 'escalation'")
                        .fetch_all(&self.reader)
                        .await?;
                let mut all: Vec<(Lapse, usize)> = lapses.iter().map(|l| (l.clone(), l.path.depth())).collect();
                all.extend(alerts.into_iter().map(|(id, kind, path, subject, link, at)| {
                    let path = $crate::domain::UnitPath::from_stored(path);
                    let top = path.depth().saturating_sub(1);
                    (Lapse { kind: "alert_unacknowledged", subject: id.to_string(), since: at, path, title: format!("{kind} · {subject}"), link }, top)
                }));
                // Every step taken so far, read once for the whole sweep.
                let done: std::collections::HashSet<(String, String, i64)> =
                    sqlx::query_as::<_, (String, String, i64)>("SELECT kind, subject, step FROM escalations").fetch_all(&self.reader).await?.into_iter().collect();
                let mut taken = 0;
                for (lapse, top) in all {
                    let Some(rule) = rule(lapse.kind) else { continue };
                    let levels = ladder(&lapse.path, top);
                    let delay = chrono::Duration::minutes(rule.delay_minutes);
                    let due: Vec<usize> = (1..=rule.steps.max(0) as usize).filter(|step| lapse.since + delay * (*step as i32) <= now && *step <= levels.len()).collect();
                    if due.is_empty() {
                        continue;
                    }
                    for step in due.into_iter().filter(|s| !done.contains(&(lapse.kind.to_string(), lapse.subject.clone(), *s as i64))) {
                        let (depth, code) = &levels[step - 1];
                        let level_path = prefix(&lapse.path, *depth);
                        let mut tx = self.writer.begin().await?;
                        let recorded = sqlx::query("INSERT INTO escalations (kind, subject, step, unit_path, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, subject, step) DO NOTHING")
                            .bind(lapse.kind)
                            .bind(&lapse.subject)
                            .bind(step as i64)
                            .bind(level_path.as_str())
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        if recorded.rows_affected() == 0 {
                            continue;
                        }
                        let alert = Self::raise_alert_at(&mut tx, "escalation", &lapse.path, code, &lapse.title, &lapse.link, now).await?;
                        sqlx::query("UPDATE escalations SET alert_id = $1 WHERE kind = $2 AND subject = $3 AND step = $4")
                            .bind(alert)
                            .bind(lapse.kind)
                            .bind(&lapse.subject)
                            .bind(step as i64)
                            .execute(&mut *tx)
                            .await?;
                        let system = $crate::domain::Caller { login: "system".into(), role: $crate::domain::Role::Admin, scope: level_path.clone(), now };
                        $crate::store::sql::audit!(tx, system, "escalate", lapse.kind, &lapse.subject, lapse.path.as_str(), serde_json::json!({"step": step, "to": code}));
                        tx.commit().await?;
                        taken += 1;
                    }
                }
                Ok(taken)
            }

            async fn escalations(&self, scope: &$crate::domain::UnitPath, limit: u32) -> $crate::store::StoreResult<Vec<$crate::store::escalation::Escalation>> {
                let query = sqlx::query_as("SELECT kind, subject, step, unit_path, at FROM escalations WHERE unit_path >= $1 AND unit_path < $2 ORDER BY at DESC LIMIT $3");
                Ok($crate::store::sql::bind_range!(query, scope).bind(i64::from(limit.clamp(1, $crate::store::MAX_PAGE))).fetch_all(&self.reader).await?)
            }
        }
    };
}
pub(crate) use impl_escalation;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lapse_climbs_village_township_county() {
        let group = UnitPath::from_stored("/15/1505/150502/150502001/150502001001/150502001001001/".into());
        let levels: Vec<String> = ladder(&group, group.depth()).into_iter().map(|(_, c)| c).collect();
        assert_eq!(levels, ["150502001001", "150502001", "150502"]);
        let village = UnitPath::from_stored("/15/1505/150502/150502001/150502001001/".into());
        let above: Vec<String> = ladder(&village, village.depth() - 1).into_iter().map(|(_, c)| c).collect();
        assert_eq!(above, ["150502001", "150502"], "an alert at a village climbs from the township");
        assert_eq!(prefix(&group, 4).as_str(), "/15/1505/150502/150502001/");
    }
}
