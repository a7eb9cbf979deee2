//! The daily sign-off (日报告、零报告): a village's grid leader confirms the village's day, even
//! when every figure is zero; a township's leader or HQ confirms after all its villages, a
//! county's after all its townships. Each unit confirms only its own day. A day owed after the
//! deadline is a task in the unit's inbox and climbs the grid (`report_unconfirmed`).

use chrono::{DateTime, Utc};

use super::command::Dashboard;
use super::{App, AppError};
use crate::domain::confirmations::{Change, changes, confirmable_day, report_subject, signs_off, snapshot, waits_for_children};
use crate::domain::error::Reason;
use crate::domain::{Caller, DomainError, LapseKind, Permission, Target, TaskKind, UnitCode};
pub use crate::store::Confirmation;
use crate::store::{Lapse, Task};

/// The caller's own unit: the last code of their scope.
fn own_unit(caller: &Caller) -> Option<&str> {
    caller.scope.codes().last()
}

/// Confirms the caller's own unit's day (`YYYY-MM-DD`, not after today) with its figures as
/// they stand now. Confirming again replaces the earlier confirmation (kept in the audit log):
/// a leader who has seen a late fact confirms the day as it now is.
pub async fn confirm(app: &App, caller: &Caller, unit: &str, date: &str) -> Result<Confirmation, AppError> {
    caller.require(caller.role.may(Permission::ConfirmReports), "confirm the day's report")?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    if own_unit(caller) != Some(code.as_str()) {
        // A unit outside the caller's area is not found, as everywhere; one inside it is theirs
        // to read but another's to confirm.
        app.store.unit(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
        return Err(DomainError::invalid("unit", Reason::NotOwnUnit).into());
    }
    let day = confirmable_day(date, crate::domain::time::local_date(caller.now))?;
    let board = super::command::dashboard(app, caller, code.as_str(), &day.to_string()).await?;
    if !signs_off(board.unit.level) {
        return Err(DomainError::invalid("unit", Reason::NoSignOff).into());
    }
    Ok(app.store.confirm_day(caller, &code, day, &snapshot(&board.figures), waits_for_children(board.unit.level)).await?)
}

/// A unit's confirmation of a day, and what has changed since.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Confirmed {
    #[serde(flatten)]
    pub confirmation: Confirmation,
    /// The day's figures that differ now from those confirmed: both numbers.
    pub changes: Vec<Change>,
}

/// Where a dashboard's day stands in the sign-off.
pub struct SignOff {
    /// Whether the unit signs off days at all (villages, townships, counties).
    pub applies: bool,
    pub unit: Option<Confirmed>,
    /// Each child's confirmation, by code, in the dashboard's order (children that do not
    /// sign off have none, and none is asked of them).
    pub children: Vec<(String, Option<Confirmed>)>,
    /// The children (names) whose confirmation the unit waits for.
    pub waiting: Vec<String>,
    /// Whether the caller may confirm it now: their own unit, a role that confirms, and no
    /// child waited for.
    pub may_confirm: bool,
}

/// The sign-off state of a dashboard's unit and its children for its day.
pub async fn sign_off(app: &App, caller: &Caller, board: &Dashboard) -> Result<SignOff, AppError> {
    let mut codes: Vec<String> = board.children.iter().map(|(u, _)| u.code.clone()).collect();
    codes.push(board.unit.code.clone());
    let found = app.store.confirmations(&caller.scope, &codes, board.date).await?;
    let state =
        |code: &str, figures| found.iter().find(|c| c.unit_code == code).map(|c| Confirmed { changes: changes(&c.figures, figures), confirmation: c.clone() });
    let applies = signs_off(board.unit.level);
    let children: Vec<(String, Option<Confirmed>)> = board.children.iter().map(|(u, f)| (u.code.clone(), state(&u.code, f))).collect();
    let waiting: Vec<String> = if waits_for_children(board.unit.level) {
        board.children.iter().zip(&children).filter(|(_, (_, c))| c.is_none()).map(|((u, _), _)| u.name.clone()).collect()
    } else {
        Vec::new()
    };
    let may_confirm = applies
        && caller.role.may(Permission::ConfirmReports)
        && own_unit(caller) == Some(board.unit.code.as_str())
        && board.date <= crate::domain::time::local_date(caller.now)
        && waiting.is_empty();
    Ok(SignOff { applies, unit: state(&board.unit.code, &board.figures), children, waiting, may_confirm })
}

/// The caller's own unit's days owed past their deadline, as inbox tasks (for those who
/// confirm them).
pub async fn owed_tasks(app: &App, caller: &Caller) -> Result<Vec<Task>, AppError> {
    let Some(unit) = own_unit(caller).filter(|_| caller.role.may(Permission::ConfirmReports)) else { return Ok(Vec::new()) };
    let deadline = app.settings.report_deadline;
    let owed = app.store.owed_reports(&caller.scope, Some(unit), &deadline.overdue_days(caller.now)).await?;
    Ok(owed
        .into_iter()
        .map(|o| Task {
            kind: TaskKind::ReportUnconfirmed,
            id: uuid::Uuid::nil(),
            due: deadline.due(o.day),
            subject: format!("{} · {}", o.unit_name, o.day),
            target: Target::report(&o.unit_code, o.day),
        })
        .collect())
}

/// Every day owed past its deadline, as lapses the escalation engine climbs from the level
/// above the unit (whose own leader holds it as a task).
pub async fn lapses(app: &App, now: DateTime<Utc>) -> Result<Vec<Lapse>, AppError> {
    let deadline = app.settings.report_deadline;
    let root = crate::domain::UnitPath::root();
    let owed = app.store.owed_reports(&root, None, &deadline.overdue_days(now)).await?;
    Ok(owed
        .into_iter()
        .map(|o| Lapse {
            kind: LapseKind::ReportUnconfirmed,
            subject: report_subject(&o.unit_code, o.day),
            since: deadline.due(o.day),
            title: format!("report_unconfirmed · {} · {}", o.unit_name, o.day),
            target: Target::report(&o.unit_code, o.day),
            path: o.unit_path,
            starts_above: true,
        })
        .collect())
}
