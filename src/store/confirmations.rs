//! The daily sign-off (日报告、零报告): a unit's day confirmed with its figures as they were,
//! and the days still owed.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::confirmations::Snapshot;
use crate::domain::{Caller, UnitCode, UnitPath};

/// A unit's day, confirmed: by whom, when, and the figures as they were then.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Confirmation {
    pub unit_code: String,
    pub day: NaiveDate,
    pub confirmed_by: String,
    pub confirmed_at: DateTime<Utc>,
    /// Each figure by its name as the dashboard answer spells it (`totals.returnees` for a
    /// total), as it stood when confirmed.
    pub figures: Snapshot,
}

/// A unit that owes a day's report.
#[derive(Debug, Clone)]
pub struct Owed {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: UnitPath,
    pub day: NaiveDate,
}

#[async_trait]
pub trait ConfirmationStore {
    /// Confirms the unit's day with these figures, as the caller, replacing an earlier
    /// confirmation (the audit log keeps it) and closing the escalations of the day's lapse.
    /// When `wait_for_children`, refuses (`DomainError::Unconfirmed`, naming them) while any
    /// child unit has not confirmed the day. `NotFound` outside the caller's scope.
    async fn confirm_day(&self, caller: &Caller, unit: &UnitCode, day: NaiveDate, figures: &Snapshot, wait_for_children: bool) -> StoreResult<Confirmation>;
    /// The confirmations of these units (codes) for the day, within the scope.
    async fn confirmations(&self, scope: &UnitPath, units: &[String], day: NaiveDate) -> StoreResult<Vec<Confirmation>>;
    /// The villages, townships and counties in the scope (only `unit` when given) that owe one
    /// of `days`: set up before the day began and not confirmed it.
    async fn owed_reports(&self, scope: &UnitPath, unit: Option<&str>, days: &[NaiveDate]) -> StoreResult<Vec<Owed>>;
}
