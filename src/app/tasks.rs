//! The task inbox, computed from facts, and the minute-by-minute sweep that keeps time-driven
//! facts true: observation windows closing, isolation starting, lapses escalating.

use chrono::{DateTime, Utc};

use crate::domain::isolation::Slot;
use uuid::Uuid;

use crate::domain::{Caller, LapseKind, Permission, Target, TaskKind, UnitCode, UnitPath};
pub use crate::store::Task;
use crate::store::{Isolation, Lapse};

use super::{App, AppError};

/// A page of the inbox, and how many tasks wait in all.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub tasks: Vec<Task>,
    pub total: i64,
}

/// Everything the caller must do now, oldest first: alerts and contacts to screen (kept in
/// storage), follow-ups due or overdue for the orders they are paired with, returnees from
/// key areas awaiting a decision (for those who order isolation), households not yet visited
/// in the open rounds over their unit, and days to confirm. `limit` of them from `from`.
pub async fn inbox(app: &App, caller: &Caller, from: u32, limit: u32) -> Result<Inbox, AppError> {
    crate::domain::text::number_between("limit", limit, 0, i64::from(crate::store::MAX_PAGE))?;
    // The page is among the first `first` of each source, whatever the others hold.
    let first = from.saturating_add(limit);
    let (mut tasks, mut total) = app.store.tasks(caller, first).await?;
    let mut computed = Vec::new();
    if caller.role.screens() {
        for order in app.store.orders_of_cadre(&caller.login, caller.now).await? {
            computed.extend(followup_task(app, &order, caller.now));
        }
    }
    if caller.role.writes_roster() {
        let (returnees, waiting) = app.store.returnees_to_screen(&caller.scope, caller.now, first).await?;
        total += waiting;
        tasks.extend(returnees.into_iter().map(|returnee| Task {
            kind: TaskKind::ReturneeToScreen,
            id: returnee.id,
            due: returnee.arrived_at,
            subject: format!("{} · {}", returnee.name, returnee.origin),
            target: Target::household(returnee.household_id),
        }));
    }
    if caller.role.holds_households()
        && let Some(unit) = caller.scope.codes().last().and_then(|c| UnitCode::parse(c).ok())
    {
        for round in app.store.rounds(&caller.scope, &unit).await?.unwrap_or_default() {
            if round.households > round.visited {
                computed.push(Task {
                    kind: TaskKind::HouseholdsToVisit,
                    id: round.id,
                    due: caller.now,
                    subject: format!("{} · {}", round.name, round.households - round.visited),
                    target: Target::round(round.id, unit.as_str()),
                });
            }
        }
    }
    computed.extend(super::confirmations::owed_tasks(app, caller).await?);
    total += computed.len() as i64;
    tasks.extend(computed);
    tasks.sort_by_key(|t| t.due);
    Ok(Inbox { tasks: tasks.into_iter().skip(from as usize).take(limit as usize).collect(), total })
}

/// How many tasks wait in the caller's inbox (the header's badge).
pub async fn inbox_count(app: &App, caller: &Caller) -> Result<usize, AppError> {
    Ok(usize::try_from(inbox(app, caller, 0, 0).await?.total).unwrap_or(usize::MAX))
}

/// Acknowledges an alert sent to the caller (anyone may acknowledge their own).
pub async fn acknowledge(app: &App, caller: &Caller, alert: Uuid) -> Result<(), AppError> {
    Ok(app.store.acknowledge(caller, alert).await?)
}

/// Marks a contact screened.
pub async fn finish_screening(app: &App, caller: &Caller, task: Uuid) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::Screen), "screen people")?;
    Ok(app.store.finish_screening_task(caller, task).await?)
}

/// Where an order stands against its follow-up windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupState {
    /// A window is open and nobody has followed up in it yet.
    Due(Slot),
    /// The last window closed without a follow-up since it opened.
    Overdue(Slot),
    /// The planned end has passed: a final follow-up, then release.
    ReleaseDue,
    Done,
}

pub fn followup_state(app: &App, order: &Isolation, now: DateTime<Utc>) -> FollowupState {
    if now >= order.planned_end {
        return FollowupState::ReleaseDue;
    }
    let slots = app.settings.followup_windows.slots(order.starts_at, order.planned_end);
    let followed_since = |at: DateTime<Utc>| order.followups.iter().any(|f| f.at >= at);
    if let Some(open) = slots.iter().find(|s| s.contains(now))
        && !order.followups.iter().any(|f| open.contains(f.at))
    {
        return FollowupState::Due(*open);
    }
    match slots.iter().rfind(|s| s.closes <= now) {
        Some(last) if !followed_since(last.opens) => FollowupState::Overdue(*last),
        _ => FollowupState::Done,
    }
}

fn followup_task(app: &App, order: &Isolation, now: DateTime<Utc>) -> Option<Task> {
    let (kind, due) = match followup_state(app, order, now) {
        FollowupState::Due(slot) => (TaskKind::FollowupDue, slot.closes),
        FollowupState::Overdue(slot) => (TaskKind::FollowupOverdue, slot.closes),
        FollowupState::ReleaseDue => (TaskKind::ReleaseDue, order.planned_end),
        FollowupState::Done => return None,
    };
    Some(Task {
        kind, id: order.id, due, subject: format!("{} · {}", order.name, order.address.as_deref().unwrap_or("")), target: Target::isolation(order.id)
    })
}

/// The lapses of follow-up the escalation engine climbs: each order's last missed window.
fn missed_followups(app: &App, orders: &[Isolation], now: DateTime<Utc>) -> Vec<Lapse> {
    orders
        .iter()
        .filter_map(|order| match followup_state(app, order, now) {
            FollowupState::Overdue(slot) => Some(Lapse {
                kind: LapseKind::FollowupMissed,
                subject: format!("{}/{}", order.id, slot.key()),
                since: slot.closes,
                path: order.unit_path.clone(),
                title: format!("followup_missed · {}", order.name),
                target: Target::isolation(order.id),
                starts_above: false,
            }),
            _ => None,
        })
        .collect()
}

/// What the server does every minute, as of the app's clock.
pub async fn sweep(app: &App) -> Result<usize, AppError> {
    let now = app.clock.now();
    let caller = app.system_caller(UnitPath::root());
    let mut changed = app.store.expire_observations(&caller).await?;
    let orders = app.store.active_orders(now).await?;
    let mut lapses = missed_followups(app, &orders, now);
    lapses.extend(super::confirmations::lapses(app, now).await?);
    changed += app.store.escalate(&lapses, now).await?;
    app.store.forget_login_attempts(now - chrono::Duration::hours(1), now - chrono::Duration::days(super::accounts::DEVICE_TRUST_DAYS)).await?;
    Ok(changed)
}
