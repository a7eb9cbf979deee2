//! Alerts and the task inbox: what an account must act on now. Alerts are raised by the
//! other stores inside the transaction of the fact that causes them; screening tasks are
//! written when a contact list is turned into work.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Caller, Target, TaskKind};

/// One thing to do, and the record it is about (the doors make its link).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub kind: TaskKind,
    pub id: Uuid,
    pub due: DateTime<Utc>,
    pub subject: String,
    pub target: Target,
}

#[async_trait]
pub trait AlertStore {
    /// The caller's inbox as storage keeps it: alerts sent to them not yet acknowledged, and
    /// screening tasks in their subtree not yet done. Answers the oldest `first` of each kind
    /// (so the oldest `first` of both are among them), oldest first, and how many there are in all.
    async fn tasks(&self, caller: &Caller, first: u32) -> StoreResult<(Vec<Task>, i64)>;
    /// Acknowledges an alert sent to the caller.
    async fn acknowledge(&self, caller: &Caller, alert: Uuid) -> StoreResult<()>;
    /// Marks a screening task done (the person has been seen).
    async fn finish_screening_task(&self, caller: &Caller, task: Uuid) -> StoreResult<()>;
}

/// The depth of a village (嘎查村) on a path: region, city, county, township, village.
pub(crate) const VILLAGE_DEPTH: usize = 5;

/// The units whose leaders an alert about a unit reaches: the village and the grids on its
/// path, or the unit itself above a village.
pub(crate) fn leader_units<'a>(path: &'a crate::domain::UnitPath, unit_code: &'a str) -> Vec<&'a str> {
    let leaders: Vec<&str> = path.codes().skip(VILLAGE_DEPTH - 1).collect();
    if leaders.is_empty() { vec![unit_code] } else { leaders }
}
