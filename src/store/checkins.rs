//! Daily check-ins (报平安): one per resident per local day, written in batches, and each
//! unit's expected / reported / missing figures for a day.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{Account, StoreError, StoreResult};
use crate::domain::checkin::{Report, Via};
use crate::domain::table::{RowError, RowProblem};
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckedIn {
    pub resident_id: Uuid,
    pub day: NaiveDate,
    pub same_as_yesterday: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Missing {
    pub resident_id: Uuid,
    pub name: String,
    pub household_id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    /// Masked, unless the caller holds the household (包联): then in full, and the reading
    /// is audited.
    pub phone: Option<String>,
    /// Whether the caller holds the household (包联), so sees its phone numbers in full.
    pub held: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckinSummary {
    pub day: NaiveDate,
    pub expected: i64,
    pub reported: i64,
    /// How many have not reported, in all: `missing` is the page of them from `missing_from`.
    pub missing_count: i64,
    /// Where `missing` starts in the whole list (0 for the first page).
    pub missing_from: u32,
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
    ///
    /// With `renew`, the household gets `new_token` even if it had a link: the old link stops
    /// working at once (a link handed to the wrong person, or lost).
    async fn checkin_token(&self, caller: &Caller, household: Uuid, new_token: &str, renew: bool) -> StoreResult<String>;
    /// The household a check-in link opens (public: the token is the key), as of `day`.
    async fn checkin_household(&self, token: &str, day: NaiveDate) -> StoreResult<Option<CheckinHousehold>>;
    /// A unit's figures for a day and who has not reported: `limit` of them from the
    /// `from`th, and how many in all.
    async fn checkin_summary(&self, caller: &Caller, unit: &UnitCode, day: NaiveDate, from: u32, limit: u32) -> StoreResult<Option<CheckinSummary>>;
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

/// Check-ins as a kind of group write (`sql::GroupWrite`): the plan is `GroupPlan`; SQLite's
/// reads and writes are `checkins_sqlite::GroupWriter`'s, PostgreSQL's `checkins_postgres`'s.
pub(crate) struct Checkins;

impl super::sql::GroupWrite for Checkins {
    type Job = CheckinJob;
    type Reads = GroupReads;
    type Plan<'a> = GroupPlan<'a>;
    type Statements<'c> = super::checkins_sqlite::GroupWriter<'c>;
    const NAME: &'static str = "checkin";

    fn plan<'a>(jobs: &'a [CheckinJob], reads: &'a GroupReads) -> GroupPlan<'a> {
        GroupPlan::new(jobs, reads)
    }

    fn answers(plan: GroupPlan<'_>) -> Vec<StoreResult<Vec<CheckedIn>>> {
        plan.into_answers()
    }

    fn prepare<'c>(db: &'c super::sqlite_raw::Connection<'c>) -> StoreResult<Self::Statements<'c>> {
        super::checkins_sqlite::GroupWriter::prepare(db)
    }

    fn read_sqlite(statements: &mut Self::Statements<'_>, jobs: &[CheckinJob]) -> StoreResult<GroupReads> {
        statements.read(jobs)
    }

    fn write_sqlite(statements: &mut Self::Statements<'_>, plan: &GroupPlan<'_>) -> StoreResult<()> {
        statements.write(plan)
    }

    fn read_postgres(tx: &mut super::postgres::PgTx, jobs: &[CheckinJob]) -> impl std::future::Future<Output = StoreResult<GroupReads>> + Send {
        super::checkins_postgres::read_group(tx, jobs)
    }

    fn write_postgres(tx: &mut super::postgres::PgTx, plan: &Self::Plan<'_>) -> impl std::future::Future<Output = StoreResult<()>> + Send {
        super::checkins_postgres::write_group(tx, plan)
    }
}

/// A resident's second check-in of a day replaces the first.
pub(crate) const UPSERT: &str = " ON CONFLICT (resident_id, day) DO UPDATE SET status = excluded.status, symptoms = excluded.symptoms, \
     location = excluded.location, place = excluded.place, at = excluded.at, via = excluded.via, actor = excluded.actor, \
     same_as_yesterday = excluded.same_as_yesterday";

/// What a group of requests must have read before its rows can be planned: the accounts of its
/// sessions (with their expiry), where each resident lives, and the reports of the day before.
pub(crate) struct GroupReads {
    pub sessions: HashMap<String, (DateTime<Utc>, Account)>,
    /// resident → (household, unit)
    pub homes: HashMap<Uuid, (Uuid, UnitPath)>,
    /// (resident, day) → the report of the day before
    pub yesterday: HashMap<(Uuid, NaiveDate), Report>,
}

/// What the committer must read for a group, in one look-up per kind.
pub(crate) struct GroupKeys<'j> {
    /// The session tokens of its API requests.
    pub tokens: Vec<&'j str>,
    /// Every resident it names.
    pub residents: Vec<Uuid>,
    /// The (resident, day) of each form's check-in: only a timed check-in can be flagged
    /// "same as yesterday", so API rows skip the look back.
    pub timed: Vec<(Uuid, NaiveDate)>,
}

impl<'j> GroupKeys<'j> {
    pub fn of(jobs: &'j [CheckinJob]) -> GroupKeys<'j> {
        let mut tokens: Vec<&str> =
            jobs.iter().filter_map(|job| if let Principal::Session { token, .. } = &job.who { Some(token.as_str()) } else { None }).collect();
        tokens.sort();
        tokens.dedup();
        let checkins = || jobs.iter().flat_map(|job| &job.rows).map(|(_, c)| c);
        let mut residents: Vec<Uuid> = checkins().map(|c| c.resident_id).collect();
        residents.sort();
        residents.dedup();
        let mut timed: Vec<(Uuid, NaiveDate)> = checkins().filter(|c| c.seconds_to_fill.is_some()).map(|c| (c.resident_id, c.day)).collect();
        timed.sort();
        timed.dedup();
        GroupKeys { tokens, residents, timed }
    }
}

/// A row a group writes.
pub(crate) struct PlannedRow<'a> {
    /// The index of the request it came from.
    pub job: usize,
    pub checkin: &'a NewCheckin,
    pub household: Uuid,
    pub path: &'a UnitPath,
    pub same_as_yesterday: bool,
}

/// What an audit entry of check-ins records: how many, and (the first 100 of) whom.
#[derive(Serialize)]
struct AuditDetail {
    count: usize,
    residents: Vec<Uuid>,
}

/// The audit entry of one request that writes.
pub(crate) struct PlannedAudit {
    pub job: usize,
    /// The smallest unit holding all its rows.
    pub unit_path: UnitPath,
    pub count: usize,
    pub detail: String,
}

/// What a group of requests writes, worked out from what the committer read. The rules live
/// here once; each backend only reads and writes (`Checkins`, the `GroupWrite` of check-ins).
pub(crate) struct GroupPlan<'a> {
    /// Who writes each request; `None` where it is refused.
    callers: Vec<Option<Caller>>,
    /// One row per resident and day: of two requests for the same person and day in one
    /// group, the later one's.
    pub rows: Vec<PlannedRow<'a>>,
    pub audits: Vec<PlannedAudit>,
    /// The (unit, day) of rows for a day before today, noted in `late_facts`.
    pub late: std::collections::BTreeSet<(String, NaiveDate)>,
    answers: Vec<StoreResult<Vec<CheckedIn>>>,
}

impl<'a> GroupPlan<'a> {
    /// A request whose session is not current, whose account may not report, or with a
    /// resident outside its caller's scope, is refused whole.
    pub fn new(jobs: &'a [CheckinJob], reads: &'a GroupReads) -> GroupPlan<'a> {
        let mut callers = Vec::with_capacity(jobs.len());
        let mut answers = Vec::with_capacity(jobs.len());
        for job in jobs {
            let caller = Self::caller(&job.who, &reads.sessions).and_then(|caller| {
                let errors: Vec<RowError> = job
                    .rows
                    .iter()
                    .filter(|(_, c)| !reads.homes.get(&c.resident_id).is_some_and(|(_, path)| caller.scope.contains(path)))
                    .map(|(row, _)| RowError { row: *row, column: Some("resident_id"), problem: RowProblem::NotFound })
                    .collect();
                if errors.is_empty() { Ok(caller) } else { Err(StoreError::Rows(errors)) }
            });
            match caller {
                Ok(caller) => {
                    callers.push(Some(caller));
                    answers.push(Ok(Vec::with_capacity(job.rows.len())));
                }
                Err(err) => {
                    callers.push(None);
                    answers.push(Err(err));
                }
            }
        }
        let mut rows = Vec::new();
        let mut audits = Vec::new();
        for (j, job) in jobs.iter().enumerate() {
            let Ok(answer) = &mut answers[j] else { continue };
            let mut places = Vec::with_capacity(job.rows.len());
            for (_, c) in &job.rows {
                let (household, path) = &reads.homes[&c.resident_id];
                let same_as_yesterday = crate::domain::checkin::same_as_yesterday(&c.report, reads.yesterday.get(&(c.resident_id, c.day)), c.seconds_to_fill);
                answer.push(CheckedIn { resident_id: c.resident_id, day: c.day, same_as_yesterday });
                rows.push(PlannedRow { job: j, checkin: c, household: *household, path, same_as_yesterday });
                places.push(path);
            }
            if !answer.is_empty() {
                let detail = AuditDetail { count: answer.len(), residents: answer.iter().take(100).map(|a| a.resident_id).collect() };
                let detail = serde_json::to_string(&detail).expect("a count and ids serialise");
                audits.push(PlannedAudit { job: j, unit_path: UnitPath::common(places), count: answer.len(), detail });
            }
        }
        // A statement may touch a row once.
        let mut last: HashMap<(Uuid, NaiveDate), usize> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            last.insert((row.checkin.resident_id, row.checkin.day), i);
        }
        let mut i = 0;
        rows.retain(|row| {
            i += 1;
            last[&(row.checkin.resident_id, row.checkin.day)] == i - 1
        });
        let late = rows
            .iter()
            .filter_map(|row| {
                let now = callers[row.job].as_ref().expect("only requests that write have rows").now;
                super::history::late(row.path, row.checkin.day, now)
            })
            .collect();
        GroupPlan { callers, rows, audits, late, answers }
    }

    /// The caller of a request: given, or the account of its session if that session is
    /// current and its account may report check-ins.
    fn caller(who: &Principal, sessions: &HashMap<String, (DateTime<Utc>, Account)>) -> StoreResult<Caller> {
        match who {
            Principal::Caller(caller) => Ok(caller.clone()),
            Principal::Session { token, now } => {
                let (_, account) = sessions.get(token).filter(|(expires_at, _)| expires_at > now).ok_or(StoreError::NoSession)?;
                let caller = account.caller(*now);
                crate::domain::checkin::may_report(&caller)?;
                Ok(caller)
            }
        }
    }

    /// Who writes request `job` (one that is not refused).
    pub fn caller_of(&self, job: usize) -> &Caller {
        self.callers[job].as_ref().expect("only requests that write have rows and audits")
    }

    /// Each request's answer, in the order of the jobs, once the group has committed.
    pub fn into_answers(self) -> Vec<StoreResult<Vec<CheckedIn>>> {
        self.answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn job(who: Principal, residents: &[Uuid]) -> CheckinJob {
        let day = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        let report = Report { status: crate::domain::Health::Well, symptoms: Vec::new(), location: crate::domain::checkin::Whereabouts::Home, place: None };
        let rows = residents
            .iter()
            .enumerate()
            .map(|(i, id)| (i + 1, NewCheckin { resident_id: *id, day, report: report.clone(), via: Via::Api, seconds_to_fill: None }))
            .collect();
        CheckinJob { who, rows, reply: tokio::sync::oneshot::channel().0 }
    }

    /// A group of four requests: one in scope, one naming a resident outside it, one with an
    /// ended session, and a second for a resident already in the group.
    #[test]
    fn a_group_writes_each_resident_once_and_refuses_requests_whole() {
        let now: DateTime<Utc> = "2020-02-01T01:00:00Z".parse().unwrap();
        let group = UnitPath::from_stored("/15/1505/150502/150502001/150502001001/150502001001001/".into());
        let other = UnitPath::from_stored("/15/1505/150502/150502001/150502001001/150502001001002/".into());
        let member = Account {
            id: Uuid::now_v7(),
            login: "member1".into(),
            role: Role::GridMember,
            unit_code: "150502001001001".into(),
            scope: group.clone(),
            display_name: String::new(),
        };
        let (here, also_here, elsewhere) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let reads = GroupReads {
            sessions: HashMap::from([
                ("current".into(), (now + chrono::Duration::hours(1), member.clone())),
                ("ended".into(), (now - chrono::Duration::hours(1), member)),
            ]),
            homes: HashMap::from([(here, (Uuid::now_v7(), group.clone())), (also_here, (Uuid::now_v7(), group.clone())), (elsewhere, (Uuid::now_v7(), other))]),
            yesterday: HashMap::new(),
        };
        let session = |token: &str| Principal::Session { token: token.into(), now };
        let jobs = [
            job(session("current"), &[here, also_here]),
            job(session("current"), &[here, elsewhere]),
            job(session("ended"), &[here]),
            job(session("current"), &[here]),
        ];
        let plan = GroupPlan::new(&jobs, &reads);

        let written: Vec<(usize, Uuid)> = plan.rows.iter().map(|row| (row.job, row.checkin.resident_id)).collect();
        assert_eq!(written, [(0, also_here), (3, here)], "each resident once, the later request's row");
        assert_eq!(plan.audits.iter().map(|a| (a.job, a.count)).collect::<Vec<_>>(), [(0, 2), (3, 1)]);
        assert_eq!(plan.audits[0].unit_path, group);
        assert_eq!(plan.caller_of(3).login, "member1");
        let answers = plan.into_answers();
        assert_eq!(answers[0].as_ref().unwrap().len(), 2);
        match &answers[1] {
            Err(StoreError::Rows(rows)) => assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2]),
            other => panic!("expected the out-of-scope row named, got {other:?}"),
        }
        assert!(matches!(answers[2], Err(StoreError::NoSession)));
        assert_eq!(answers[3].as_ref().unwrap().len(), 1);
    }
}
