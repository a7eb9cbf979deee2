//! Isolation orders and their follow-ups. An active order is a fact of its household's colour
//! (red, under isolation), kept true in the transaction that orders, extends or ends it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::isolation::{IsolationKind, IsolationReason, Need, Reached, Symptom};
use crate::domain::{Caller, Login, Temperature, UnitCode, UnitPath};

#[derive(Debug, Clone)]
pub struct NewIsolation {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub resident_id: Uuid,
    pub kind: IsolationKind,
    pub place: Option<String>,
    pub reason: IsolationReason,
    pub note: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    pub cadre: Option<Login>,
}

#[derive(Debug, Clone)]
pub struct NewFollowup {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub temperature: Option<Temperature>,
    pub symptoms: Vec<Symptom>,
    pub needs: Vec<Need>,
    pub reached: Reached,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Followup {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub temperature: Option<f64>,
    pub symptoms: Vec<Symptom>,
    pub needs: Vec<Need>,
    pub reached: Reached,
    pub note: Option<String>,
    pub actor: String,
}

/// Lists of words are stored as JSON text (the same in both databases).
#[derive(sqlx::FromRow)]
pub(crate) struct FollowupRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub temperature: Option<f64>,
    pub symptoms: String,
    pub needs: String,
    pub reached: String,
    pub note: Option<String>,
    pub actor: String,
}

impl TryFrom<FollowupRow> for Followup {
    type Error = super::StoreError;
    fn try_from(row: FollowupRow) -> StoreResult<Followup> {
        Ok(Followup {
            id: row.id,
            at: row.at,
            temperature: row.temperature,
            symptoms: super::sql::stored_list(&row.symptoms)?,
            needs: super::sql::stored_list(&row.needs)?,
            reached: Reached::from_stored(&row.reached)?,
            note: row.note,
            actor: row.actor,
        })
    }
}

/// An order as lists show it (the ID number masked); the record adds its follow-ups.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Isolation {
    pub id: Uuid,
    pub resident_id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub name: String,
    pub id_number: String,
    pub address: Option<String>,
    pub kind: IsolationKind,
    pub place: Option<String>,
    pub reason: IsolationReason,
    pub note: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub cadre_login: Option<String>,
    pub followups: Vec<Followup>,
}

impl Isolation {
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && self.starts_at <= now && now < self.planned_end
    }
}

#[async_trait]
pub trait IsolationStore {
    /// Orders isolation for a resident in scope; the household turns red. A paired cadre holds
    /// at most `max_households` households under active orders. A retried request (same id)
    /// returns the first order.
    async fn order_isolation(&self, caller: &Caller, order: &NewIsolation, max_households: usize) -> StoreResult<Isolation>;
    /// The order with its follow-ups; `None` outside the scope.
    async fn isolation(&self, scope: &UnitPath, id: Uuid) -> StoreResult<Option<Isolation>>;
    /// Orders in a unit's subtree (active ones only, or all) with their follow-ups, newest
    /// first: `limit` of them from `offset`, and how many there are in all.
    async fn isolations(&self, scope: &UnitPath, unit: &UnitCode, active_only: bool, offset: u32, limit: u32) -> StoreResult<Option<(Vec<Isolation>, i64)>>;
    /// Records a follow-up; a fever, a symptom or "not reached" raises an alert at once.
    async fn record_followup(&self, caller: &Caller, id: Uuid, followup: &NewFollowup, fever: Temperature) -> StoreResult<Followup>;
    /// Moves the planned end (extending, or shortening to end early on that day).
    async fn extend_isolation(&self, caller: &Caller, id: Uuid, planned_end: DateTime<Utc>, reason: &str) -> StoreResult<Isolation>;
    /// Ends the order now with a reason; the household's colour follows.
    async fn end_isolation(&self, caller: &Caller, id: Uuid, reason: &str) -> StoreResult<Isolation>;
    /// Active orders whose paired cadre is `login`.
    async fn orders_of_cadre(&self, login: &str, now: DateTime<Utc>) -> StoreResult<Vec<Isolation>>;
    /// Every active order (for the escalation engine).
    async fn active_orders(&self, now: DateTime<Utc>) -> StoreResult<Vec<Isolation>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct IsolationRow {
    pub id: Uuid,
    pub resident_id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    pub unit_path: String,
    pub name: String,
    pub id_number: String,
    pub address: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: IsolationKind,
    pub place: Option<String>,
    #[sqlx(try_from = "String")]
    pub reason: IsolationReason,
    pub note: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub cadre_login: Option<String>,
}

impl IsolationRow {
    pub(crate) fn with(self, followups: Vec<Followup>) -> Isolation {
        Isolation {
            id: self.id,
            resident_id: self.resident_id,
            household_id: self.household_id,
            unit_code: self.unit_code,
            unit_path: UnitPath::from_stored(self.unit_path),
            name: self.name,
            id_number: crate::domain::id_number::mask(&self.id_number),
            address: self.address,
            kind: self.kind,
            place: self.place,
            reason: self.reason,
            note: self.note,
            starts_at: self.starts_at,
            planned_end: self.planned_end,
            ended_at: self.ended_at,
            end_reason: self.end_reason,
            cadre_login: self.cadre_login,
            followups,
        }
    }
}

pub(crate) const ISOLATION_SELECT: &str = "SELECT i.id, i.resident_id, i.household_id, h.unit_code, i.unit_path, r.name, r.id_number, h.address, i.kind, i.place, \
     i.reason, i.note, i.starts_at, i.planned_end, i.ended_at, i.end_reason, a.login AS cadre_login \
     FROM isolations i JOIN residents r ON r.id = i.resident_id JOIN households h ON h.id = i.household_id LEFT JOIN accounts a ON a.id = i.cadre_id";

pub(crate) const FOLLOWUP_SELECT: &str = "SELECT id, at, temperature, symptoms, needs, reached, note, actor FROM followups";

/// The subject of a follow-up alert: who, and what was wrong.
pub(crate) fn followup_subject(name: &str, followup: &NewFollowup, fever: Temperature) -> String {
    let mut parts = vec![name.to_string()];
    if let Some(t) = followup.temperature.filter(|t| t.is_fever(fever)) {
        parts.push(format!("{t} °C"));
    }
    parts.extend(followup.symptoms.iter().map(|s| s.as_str().to_string()));
    if followup.reached == Reached::NotReached {
        parts.push(Reached::NotReached.as_str().to_string());
    }
    parts.join(" · ")
}

/// Whether a follow-up must raise an alert.
pub(crate) fn followup_alarms(followup: &NewFollowup, fever: Temperature) -> bool {
    followup.temperature.is_some_and(|t| t.is_fever(fever)) || !followup.symptoms.is_empty() || followup.reached == Reached::NotReached
}
