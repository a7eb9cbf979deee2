//! SQLite's side of check-ins as a group write (`checkins::Checkins`): the statements a group
//! runs, straight on the writer's connection (`sqlite_raw`), prepared once and kept from turn to
//! turn (`sqlite_committer`, which also begins, commits and rolls back).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::accounts::{AccountRow, SESSION_ACCOUNT};
use super::checkins::{CheckinJob, GroupKeys, GroupPlan, GroupReads, UPSERT};
use super::sqlite_raw::{Connection, Statement, Value, date_text, time_text};
use super::{Account, StoreResult};
use crate::domain::Health;
use crate::domain::UnitPath;
use crate::domain::checkin::{Report, Whereabouts};

/// The statements of a group of check-ins, prepared on the writer's connection.
pub(crate) struct GroupWriter<'c> {
    session: Statement<'c>,
    home: Statement<'c>,
    report: Statement<'c>,
    insert: Statement<'c>,
    audit: Statement<'c>,
    late: Statement<'c>,
    status_now: Statement<'c>,
    count: Statement<'c>,
}

impl<'c> GroupWriter<'c> {
    pub fn prepare(db: &'c Connection<'c>) -> StoreResult<GroupWriter<'c>> {
        Ok(GroupWriter {
            session: db.prepare(&format!("SELECT {SESSION_ACCOUNT} WHERE s.token = ?1"))?,
            home: db.prepare("SELECT household_id, unit_path FROM residents WHERE id = ?1")?,
            report: db.prepare("SELECT status, symptoms, location, place FROM checkins WHERE resident_id = ?1 AND day = ?2")?,
            insert: db.prepare(&format!(
                "INSERT INTO checkins (resident_id, day, household_id, unit_path, county_code, status, symptoms, location, place, at, via, actor, same_as_yesterday) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13){UPSERT}"
            ))?,
            audit: db.prepare("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, county_code, detail) VALUES (?1, ?2, 'create', 'checkins', ?3, ?4, ?5, ?6)")?,
            late: db.prepare(super::history::LATE_FACT_INSERT)?,
            status_now: db.prepare("SELECT status = 'unwell' FROM checkins WHERE resident_id = ?1 AND day = ?2")?,
            count: db.prepare(
                "INSERT INTO checkin_counts (day, unit_path, reported, unwell) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (day, unit_path) DO UPDATE SET reported = reported + excluded.reported, unwell = unwell + excluded.unwell",
            )?,
        })
    }

    /// What a group needs, read inside its transaction, so that a session ended before the
    /// commit writes nothing.
    pub fn read(&mut self, jobs: &[CheckinJob]) -> StoreResult<GroupReads> {
        let keys = GroupKeys::of(jobs);
        Ok(GroupReads { sessions: self.sessions(&keys.tokens)?, homes: self.homes(&keys.residents)?, yesterday: self.reports_before(&keys.timed)? })
    }

    /// Writes a group's planned rows, the counts beside them and the audit entries.
    pub fn write(&mut self, plan: &GroupPlan) -> StoreResult<()> {
        // Each (unit, day)'s change of `checkin_counts`: a new check-in is reported, a second
        // report of the day only moves it between well and unwell. The one writer reads the
        // status a row replaces in its own transaction, so nothing comes between (a second
        // row of the same day in this group finds the first).
        let mut counts: std::collections::BTreeMap<(&str, NaiveDate), (i64, i64)> = std::collections::BTreeMap::new();
        for row in &plan.rows {
            let (c, caller) = (row.checkin, plan.caller_of(row.job));
            let day = date_text(c.day);
            let mut before: Option<bool> = None;
            self.status_now.query(&[Value::uuid(&c.resident_id), Value::Text(&day)], |stored| {
                before = Some(stored.int(0) == Some(1));
                Ok(())
            })?;
            let unwell = i64::from(c.report.status == Health::Unwell);
            let count = counts.entry((row.path.as_str(), c.day)).or_default();
            match before {
                None => *count = (count.0 + 1, count.1 + unwell),
                Some(was) => count.1 += unwell - i64::from(was),
            }
            let symptoms = serde_json::to_string(&c.report.symptoms).unwrap_or_else(|_| "[]".into());
            self.insert.run(&[
                Value::uuid(&c.resident_id),
                Value::Text(&day),
                Value::uuid(&row.household),
                Value::Text(row.path.as_str()),
                Value::opt_text(row.path.county_code()),
                Value::Text(c.report.status.as_str()),
                Value::Text(&symptoms),
                Value::Text(c.report.location.as_str()),
                Value::opt_text(c.report.place.as_deref()),
                Value::Text(&time_text(caller.now)),
                Value::Text(c.via.as_str()),
                Value::Text(caller.login.as_str()),
                Value::Int(i64::from(row.same_as_yesterday)),
            ])?;
        }
        for ((path, day), (reported, unwell)) in counts {
            if (reported, unwell) != (0, 0) {
                self.count.run(&[Value::Text(&date_text(day)), Value::Text(path), Value::Int(reported), Value::Int(unwell)])?;
            }
        }
        for entry in &plan.audits {
            let caller = plan.caller_of(entry.job);
            self.audit.run(&[
                Value::Text(&time_text(caller.now)),
                Value::Text(caller.login.as_str()),
                Value::Text(&entry.count.to_string()),
                Value::Text(entry.unit_path.as_str()),
                Value::opt_text(entry.unit_path.county_code()),
                Value::Text(&entry.detail),
            ])?;
        }
        for (path, day) in &plan.late {
            self.late.run(&[Value::Text(path), Value::Text(&date_text(*day))])?;
        }
        Ok(())
    }

    /// The account and expiry of each session.
    fn sessions(&mut self, tokens: &[&str]) -> StoreResult<HashMap<String, (DateTime<Utc>, Account)>> {
        let mut sessions = HashMap::new();
        for token in tokens {
            self.session.query(&[Value::Text(token)], |row| {
                // The columns of SESSION_ACCOUNT, in its order.
                let account = AccountRow {
                    id: row.uuid(0)?,
                    login: row.required_text(1)?,
                    role: row.required_text(2)?,
                    unit_code: row.required_text(3)?,
                    path: row.required_text(4)?,
                    display_name: row.required_text(5)?,
                };
                sessions.insert(token.to_string(), (row.time(8)?, account.into_account()?));
                Ok(())
            })?;
        }
        Ok(sessions)
    }

    /// Where each resident lives: household and unit.
    fn homes(&mut self, residents: &[Uuid]) -> StoreResult<HashMap<Uuid, (Uuid, UnitPath)>> {
        let mut homes = HashMap::with_capacity(residents.len());
        for id in residents {
            self.home.query(&[Value::uuid(id)], |row| {
                homes.insert(*id, (row.uuid(0)?, UnitPath::from_stored(row.required_text(1)?)));
                Ok(())
            })?;
        }
        Ok(homes)
    }

    /// The report of the day before each (resident, day).
    fn reports_before(&mut self, wanted: &[(Uuid, NaiveDate)]) -> StoreResult<HashMap<(Uuid, NaiveDate), Report>> {
        let mut found = HashMap::new();
        for (id, day) in wanted {
            let Some(before) = day.pred_opt() else { continue };
            self.report.query(&[Value::uuid(id), Value::Text(&date_text(before))], |row| {
                let symptoms = row.required_text(1)?;
                let report = Report {
                    status: Health::from_stored(&row.required_text(0)?)?,
                    symptoms: super::sql::stored_list(&symptoms)?,
                    location: Whereabouts::from_stored(&row.required_text(2)?)?,
                    place: row.text(3)?,
                };
                found.insert((*id, *day), report);
                Ok(())
            })?;
        }
        Ok(found)
    }
}
