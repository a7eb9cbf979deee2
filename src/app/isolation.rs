//! Isolation: ordering it, following up twice a day, extending or ending it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::{DomainError, Problems, Reason};
use crate::domain::isolation::{DEFAULT_ISOLATION_DAYS, IsolationKind, IsolationReason, MAX_ISOLATION_DAYS, Need, Reached, Symptom, parse_list, planned_end};
use crate::domain::text::{TypedNumber, optional, optional_text, optional_whole, text};
use crate::domain::time::Window;
use chrono::{DateTime, Utc};

use crate::domain::{Caller, Login, Permission, Temperature, UnitCode};
pub use crate::store::{Escalation, Followup, Isolation, Rule};
use crate::store::{NewFollowup, NewIsolation};

use super::tasks::{FollowupState, followup_state};
use super::{App, AppError};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IsolationInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again
    /// answers the stored record; the id with another body, another kind of record or from
    /// outside the record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    pub resident_id: Option<Uuid>,
    #[schema(value_type = IsolationKind)]
    pub kind: String,
    pub place: String,
    /// Local time or RFC 3339; now when left out; from 28 days back to 28 days ahead.
    pub start: String,
    /// 14 when left out (a form's emptied field is refused: it says nothing): a number, or
    /// its text as typed.
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 60)]
    pub days: Option<TypedNumber>,
    /// The paired cadre (结对包保), who holds at most 3 households.
    pub cadre_login: String,
    #[schema(value_type = IsolationReason)]
    pub reason: String,
    pub note: String,
}

/// An order's length in days as typed: blank is `None`.
fn typed_days(days: Option<&TypedNumber>) -> Result<Option<u32>, DomainError> {
    Ok(optional_whole(days, "days", 1, i64::from(MAX_ISOLATION_DAYS))?.map(|days| days as u32))
}

impl IsolationInput {
    /// Every field is checked and every problem reported at once.
    pub fn parse(&self, caller: &Caller) -> Result<NewIsolation, DomainError> {
        let mut problems = Problems::default();
        let resident_id = problems.check(self.resident_id.ok_or(DomainError::invalid("resident_id", Reason::Empty)));
        let kind = problems.check(IsolationKind::parse(&self.kind));
        let reason = problems.check(IsolationReason::parse(&self.reason));
        let place = problems.check(optional_text("place", &self.place, 100));
        let starts_at = match self.start.trim() {
            "" => Some(caller.now),
            start => problems.check(Window::ISOLATION_START.time("start", start, caller.now)),
        };
        let days = problems.check(match &self.days {
            Some(typed) if typed.is_blank() => Err(DomainError::invalid("days", Reason::Empty)),
            days => typed_days(days.as_ref()),
        });
        let cadre = problems.check(optional(&self.cadre_login, Login::parse).map_err(|e| e.named("cadre_login")));
        let note = problems.check(optional_text("note", &self.note, 500));
        problems.finish()?;
        let (Some(resident_id), Some(kind), Some(reason), Some(place), Some(starts_at), Some(days), Some(cadre), Some(note)) =
            (resident_id, kind, reason, place, starts_at, days, cadre, note)
        else {
            unreachable!("a field without a value has its problem kept")
        };
        Ok(NewIsolation {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, self),
            resident_id,
            kind,
            place,
            reason,
            note,
            starts_at,
            planned_end: planned_end(starts_at, days.unwrap_or(DEFAULT_ISOLATION_DAYS))?,
            cadre,
        })
    }
}

/// Ordering isolation is a grid leader's (or HQ's) decision.
pub async fn order(app: &App, caller: &Caller, input: &IsolationInput) -> Result<Isolation, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "order isolation")?;
    let order = input.parse(caller)?;
    Ok(app.store.order_isolation(caller, &order, crate::domain::isolation::MAX_HOUSEHOLDS_PER_CADRE).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FollowupInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again
    /// answers the stored record; the id with another body, another kind of record or from
    /// outside the record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    /// °C: a number, or its text as typed (`36.5`, `36.5℃`).
    #[schema(value_type = Option<f64>)]
    pub temperature: Option<TypedNumber>,
    #[schema(value_type = Vec<Symptom>)]
    pub symptoms: Vec<String>,
    #[schema(value_type = Vec<Need>)]
    pub needs: Vec<String>,
    #[schema(value_type = Reached)]
    pub reached: String,
    pub note: String,
}

impl FollowupInput {
    /// A follow-up of the order `isolation`.
    /// Every field is checked and every problem reported at once.
    pub fn parse(&self, isolation: Uuid) -> Result<NewFollowup, DomainError> {
        let mut problems = Problems::default();
        let reached = problems.check(Reached::parse(&self.reached));
        let temperature = problems.check(Temperature::typed(self.temperature.as_ref()));
        let symptoms = problems.check(parse_list(&self.symptoms, Symptom::parse));
        let needs = problems.check(parse_list(&self.needs, Need::parse));
        let note = problems.check(optional_text("note", &self.note, 500));
        problems.finish()?;
        let (Some(reached), Some(temperature), Some(symptoms), Some(needs), Some(note)) = (reached, temperature, symptoms, needs, note) else {
            unreachable!("a field without a value has its problem kept")
        };
        Ok(NewFollowup {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, &(isolation, self)),
            temperature,
            symptoms,
            needs,
            reached,
            note,
        })
    }
}

/// The paired cadre, grid members and leaders follow up (日监测、日报告、日回访).
pub async fn follow_up(app: &App, caller: &Caller, id: Uuid, input: &FollowupInput) -> Result<Followup, AppError> {
    caller.require(caller.role.may(Permission::Screen), "follow up isolation")?;
    let followup = input.parse(id)?;
    Ok(app.store.record_followup(caller, id, &followup, app.settings.fever).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EndInput {
    pub reason: String,
    /// With `days`: the order's new length from its start, instead of ending it now; a
    /// number, or its text as typed (blank: end now).
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 60)]
    pub days: Option<TypedNumber>,
}

/// Ends an order now (a reason is required), or sets its length anew (extends or shortens).
pub async fn end_or_extend(app: &App, caller: &Caller, id: Uuid, input: &EndInput) -> Result<Isolation, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "end isolation")?;
    // Every field is checked and every problem reported at once.
    let mut problems = Problems::default();
    let reason = problems.check(text("reason", &input.reason, 200));
    let days = problems.check(typed_days(input.days.as_ref()));
    problems.finish()?;
    let (Some(reason), Some(days)) = (reason, days) else { unreachable!("a field without a value has its problem kept") };
    match days {
        Some(days) => {
            let order = app.store.isolation(&caller.scope, id).await?.ok_or(AppError::NotFound)?;
            Ok(app.store.extend_isolation(caller, id, planned_end(order.starts_at, days)?, &reason).await?)
        }
        None => Ok(app.store.end_isolation(caller, id, &reason).await?),
    }
}

/// An order in full (the resident, the household, the follow-ups): the reading is audited,
/// naming what it was read for (`page`, `api`, `notice`).
pub async fn show(app: &App, caller: &Caller, id: Uuid, what: &'static str) -> Result<Isolation, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let order = app.store.isolation(&caller.scope, id).await?.ok_or(AppError::NotFound)?;
    app.store.record_read(caller, "isolation", &id.to_string(), &order.unit_path, serde_json::json!({"what": what})).await?;
    Ok(order)
}

/// A unit's isolation orders in full (names, addresses, notes, follow-ups), newest first:
/// `limit` from `offset`, and how many there are in all. Roster readers only, and the reading
/// is audited like each order's.
pub async fn of_unit(app: &App, caller: &Caller, unit: &str, active_only: bool, offset: u32, limit: u32) -> Result<(Vec<Isolation>, i64), AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    let unit = &UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    let found = app.store.unit(&caller.scope, unit).await?.ok_or(AppError::NotFound)?;
    let (orders, total) = app.store.isolations(&caller.scope, unit, active_only, offset, limit).await?.ok_or(AppError::NotFound)?;
    let detail = serde_json::json!({"what": "list", "offset": offset, "count": orders.len()});
    app.store.record_read(caller, "isolations", unit.as_str(), &found.path, detail).await?;
    Ok((orders, total))
}

/// Where an order stands against its twice-daily follow-up windows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standing {
    /// due, overdue, release_due, done or ended.
    #[schema(value_type = String)]
    pub state: &'static str,
    /// When the open or missed window closes, or the planned end.
    pub due: Option<DateTime<Utc>>,
}

pub fn standing(app: &App, order: &Isolation, now: DateTime<Utc>) -> Standing {
    let (state, due) = match followup_state(app, order, now) {
        _ if order.ended_at.is_some() => ("ended", None),
        FollowupState::Due(slot) => ("due", Some(slot.closes)),
        FollowupState::Overdue(slot) => ("overdue", Some(slot.closes)),
        FollowupState::ReleaseDue => ("release_due", Some(order.planned_end)),
        FollowupState::Done => ("done", None),
    };
    Standing { state, due }
}

/// The escalation rules and the steps taken in the caller's subtree (newest first, at most 200).
pub async fn escalations(app: &App, caller: &Caller) -> Result<(Vec<Rule>, Vec<Escalation>), AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let items = app.store.escalations(&caller.scope, 200).await?;
    let rules = app.store.escalation_rules().await?;
    Ok((rules, items))
}
