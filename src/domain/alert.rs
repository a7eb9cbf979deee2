//! Alerts and the task inbox: what each is, and the record it points at. Storage keeps the
//! kind and id of that record; the doors make the link (a page's address is theirs to choose).

use serde::Serialize;
use uuid::Uuid;

use super::words::words;

words!(
    /// What raised an alert (stored with it).
    AlertKind, "kind", { Fever = "fever", Followup = "followup", IdConflict = "id_conflict", Escalation = "escalation" }
);

words!(
    /// A line of the inbox: an alert of each kind, or work computed from facts.
    TaskKind, "kind", {
        FeverAlert = "fever_alert", FollowupAlert = "followup_alert", IdConflictAlert = "id_conflict_alert", EscalationAlert = "escalation_alert",
        ScreenContact = "screen_contact", ReturneeToScreen = "returnee_to_screen", HouseholdsToVisit = "households_to_visit",
        FollowupDue = "followup_due", FollowupOverdue = "followup_overdue", ReleaseDue = "release_due",
        ReportUnconfirmed = "report_unconfirmed",
    }
);

impl TaskKind {
    pub fn of_alert(kind: AlertKind) -> TaskKind {
        match kind {
            AlertKind::Fever => TaskKind::FeverAlert,
            AlertKind::Followup => TaskKind::FollowupAlert,
            AlertKind::IdConflict => TaskKind::IdConflictAlert,
            AlertKind::Escalation => TaskKind::EscalationAlert,
        }
    }

    /// Alerts are acknowledged; other tasks are done by doing the work.
    pub fn is_alert(self) -> bool {
        matches!(self, TaskKind::FeverAlert | TaskKind::FollowupAlert | TaskKind::IdConflictAlert | TaskKind::EscalationAlert)
    }
}

words!(
    /// A lapse the escalation engine climbs the grid with (one rule per kind).
    LapseKind, "kind", { FollowupMissed = "followup_missed", AlertUnacknowledged = "alert_unacknowledged", ReportUnconfirmed = "report_unconfirmed" }
);

words!(
    /// The kind of record a task or alert points at.
    TargetKind, "target", { Person = "person", Household = "household", Isolation = "isolation", Checkpoint = "checkpoint", Round = "round", Report = "report" }
);

/// The record a task or alert is about. A screening round is seen from a unit, which it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Target {
    pub kind: TargetKind,
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The day of a unit's report (a report is a unit's day, not a record with an id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<chrono::NaiveDate>,
}

impl Target {
    pub fn person(id: Uuid) -> Target {
        Target { kind: TargetKind::Person, id, unit: None, day: None }
    }

    pub fn household(id: Uuid) -> Target {
        Target { kind: TargetKind::Household, id, unit: None, day: None }
    }

    pub fn isolation(id: Uuid) -> Target {
        Target { kind: TargetKind::Isolation, id, unit: None, day: None }
    }

    pub fn checkpoint(id: Uuid) -> Target {
        Target { kind: TargetKind::Checkpoint, id, unit: None, day: None }
    }

    pub fn round(id: Uuid, unit: &str) -> Target {
        Target { kind: TargetKind::Round, id, unit: Some(unit.to_string()), day: None }
    }

    /// A unit's report of a day: its id is nil, the unit and the day name it.
    pub fn report(unit: &str, day: chrono::NaiveDate) -> Target {
        Target { kind: TargetKind::Report, id: Uuid::nil(), unit: Some(unit.to_string()), day: Some(day) }
    }
}
