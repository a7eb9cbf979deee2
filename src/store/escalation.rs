//! Escalation (a deadline rule engine): a lapse — a missed follow-up, an alert nobody has
//! acknowledged — climbs one level of the grid (village, township, county) each time its
//! rule's delay passes again, with every step recorded. Rules are rows of `escalation_rules`,
//! so later kinds of lapse (disinfection overdue, service requests, inspection deadlines)
//! are a new row, a new word of `LapseKind` and a new source of lapses, not new code paths.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{LapseKind, Target, UnitPath};

/// Something overdue: which rule it falls under, what it is, since when, and where.
#[derive(Debug, Clone)]
pub struct Lapse {
    pub kind: LapseKind,
    /// Names the lapse uniquely within its kind (an order and its slot, an alert).
    pub subject: String,
    pub since: DateTime<Utc>,
    pub path: UnitPath,
    /// What the escalation alerts say, and what they point at.
    pub title: String,
    pub target: Target,
    /// Whether its first step is the level above its own unit: the unit's own leader already
    /// has it in the inbox (a day's report not confirmed).
    pub starts_above: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = EscalationRule)]
pub struct Rule {
    #[sqlx(try_from = "String")]
    pub kind: LapseKind,
    pub delay_minutes: i64,
    pub steps: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Escalation {
    #[sqlx(try_from = "String")]
    pub kind: LapseKind,
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
