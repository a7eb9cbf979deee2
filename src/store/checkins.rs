//! Daily check-ins (报平安): one per resident per local day, written in batches, and each
//! unit's expected / reported / missing figures for a day.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::checkin::{Report, Via};
use crate::domain::{Caller, UnitCode, UnitPath};

#[derive(Debug, Clone)]
pub struct NewCheckin {
    pub resident_id: Uuid,
    pub day: NaiveDate,
    pub report: Report,
    pub via: Via,
    /// Seconds from opening the form to sending it, when a form was used.
    pub seconds_to_fill: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckedIn {
    pub resident_id: Uuid,
    pub day: NaiveDate,
    pub same_as_yesterday: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub resident_id: Uuid,
    pub name: String,
    pub household_id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckinSummary {
    pub day: NaiveDate,
    pub expected: i64,
    pub reported: i64,
    pub missing_count: i64,
    /// Check-ins the same as the day before and sent in a hurry: to review.
    pub flagged: i64,
    pub missing: Vec<Missing>,
}

/// A household reached through its check-in link: who lives there, and who has reported today.
#[derive(Debug, Clone)]
pub struct CheckinHousehold {
    pub id: Uuid,
    pub household_no: String,
    pub unit_path: UnitPath,
    /// (resident, name, relation, reported today)
    pub members: Vec<(Uuid, String, String, bool)>,
}

/// On whose behalf check-ins are written.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A caller already known: a page's session, a household's link, the command line.
    Caller(Caller),
    /// An API request's session, not yet looked up. The group committer looks up the sessions
    /// of all the requests in a group with one query, just before it writes them: a request
    /// costs no read of its own, and a session ended before its group is looked up writes
    /// nothing. The account must pass `domain::checkin::may_report`.
    Session { token: String, now: DateTime<Utc> },
}

impl Principal {
    /// When the request was made.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Principal::Caller(caller) => caller.now,
            Principal::Session { now, .. } => *now,
        }
    }
}

#[async_trait]
pub trait CheckinStore {
    /// Writes check-ins, all or none: every resident must lie in the caller's scope (else the
    /// rows that do not are named). A resident's second check-in of a day replaces the first.
    /// An unknown or expired session is `StoreError::NoSession`.
    async fn check_in(&self, who: &Principal, checkins: &[NewCheckin]) -> StoreResult<Vec<CheckedIn>>;
    /// The household's check-in link token, made if it has none yet.
    async fn checkin_token(&self, caller: &Caller, household: Uuid, new_token: &str) -> StoreResult<String>;
    /// The household a check-in link opens (public: the token is the key), as of `day`.
    async fn checkin_household(&self, token: &str, day: NaiveDate) -> StoreResult<Option<CheckinHousehold>>;
    /// A unit's figures for a day and (up to `limit` of) who has not reported.
    async fn checkin_summary(&self, scope: &UnitPath, unit: &UnitCode, day: NaiveDate, limit: u32) -> StoreResult<Option<CheckinSummary>>;
}

/// A request's check-ins waiting for the group committer, each with its row number; the
/// committer checks them against the caller's scope for the whole group at once.
pub(crate) struct CheckinJob {
    pub who: Principal,
    pub rows: Vec<(usize, NewCheckin)>,
    pub reply: tokio::sync::oneshot::Sender<StoreResult<Vec<CheckedIn>>>,
}

impl super::sql::Job for CheckinJob {
    /// A request whose rows fall outside its scope fails alone, not its group.
    type Answer = StoreResult<Vec<CheckedIn>>;

    fn reply(self, answer: StoreResult<StoreResult<Vec<CheckedIn>>>) {
        let _ = self.reply.send(answer.and_then(|own| own));
    }
}

pub(crate) use super::checkins_sql::impl_checkins;
