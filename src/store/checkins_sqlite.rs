//! SQLite's side of the check-in group committer: a group's reads and writes run straight on
//! the writer's connection (`sqlite_raw`), in one transaction, with no round trip to sqlx's
//! connection thread between statements.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::accounts::{AccountRow, SESSION_ACCOUNT};
use super::checkins::{CheckinJob, GroupKeys, GroupPlan, GroupReads, UPSERT};
use super::sqlite::SqliteStore;
use super::sqlite_raw::{Connection, Value, date_text, time_text};
use super::{Account, CheckedIn, StoreResult};
use crate::domain::UnitPath;
use crate::domain::checkin::Report;

impl SqliteStore {
    /// Writes the check-ins of a group of requests (see `commit_in_groups`): takes the
    /// writer's connection from its sqlx thread once, and runs the group on it here.
    pub(crate) async fn write_checkins(writer: SqlitePool, jobs: &[CheckinJob]) -> StoreResult<Vec<StoreResult<Vec<CheckedIn>>>> {
        let mut connection = writer.acquire().await?;
        let mut handle = connection.lock_handle().await?;
        commit_group(&Connection::new(&mut handle), jobs)
    }
}

/// Writes the check-ins of a group of requests in one transaction, reading what the group
/// needs inside it, so a session ended before the commit writes nothing. On any error the
/// transaction rolls back whole.
fn commit_group(db: &Connection, jobs: &[CheckinJob]) -> StoreResult<Vec<StoreResult<Vec<CheckedIn>>>> {
    let written = write_group(db, jobs);
    if written.is_err() && db.in_transaction() {
        db.execute("ROLLBACK")?;
    }
    written
}

fn write_group(db: &Connection, jobs: &[CheckinJob]) -> StoreResult<Vec<StoreResult<Vec<CheckedIn>>>> {
    db.execute("BEGIN IMMEDIATE")?;
    let keys = GroupKeys::of(jobs);
    let reads = GroupReads { sessions: sessions(db, &keys.tokens)?, homes: homes(db, &keys.residents)?, yesterday: reports_before(db, &keys.timed)? };
    let plan = GroupPlan::new(jobs, &reads);
    let mut insert = db.prepare(&format!(
        "INSERT INTO checkins (resident_id, day, household_id, unit_path, county_code, status, symptoms, location, place, at, via, actor, same_as_yesterday) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13){UPSERT}"
    ))?;
    for row in &plan.rows {
        let (c, caller) = (row.checkin, plan.caller_of(row.job));
        let symptoms = serde_json::to_string(&c.report.symptoms).unwrap_or_else(|_| "[]".into());
        insert.run(&[
            Value::uuid(&c.resident_id),
            Value::Text(&date_text(c.day)),
            Value::uuid(&row.household),
            Value::Text(row.path.as_str()),
            Value::opt_text(row.path.county_code()),
            Value::Text(&c.report.status),
            Value::Text(&symptoms),
            Value::Text(&c.report.location),
            Value::opt_text(c.report.place.as_deref()),
            Value::Text(&time_text(caller.now)),
            Value::Text(c.via.as_str()),
            Value::Text(caller.login.as_str()),
            Value::Int(i64::from(row.same_as_yesterday)),
        ])?;
    }
    let mut audit = db.prepare("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, detail) VALUES (?1, ?2, 'create', 'checkins', ?3, ?4, ?5)")?;
    for entry in &plan.audits {
        let caller = plan.caller_of(entry.job);
        audit.run(&[Value::Text(&time_text(caller.now)), Value::Text(caller.login.as_str()), Value::Text(&entry.count.to_string()), Value::Text(entry.unit_path.as_str()), Value::Text(&entry.detail)])?;
    }
    drop((insert, audit));
    db.execute("COMMIT")?;
    Ok(plan.into_answers())
}

/// The account and expiry of each session.
fn sessions(db: &Connection, tokens: &[&str]) -> StoreResult<HashMap<String, (DateTime<Utc>, Account)>> {
    let mut sessions = HashMap::new();
    let mut query = db.prepare(&format!("SELECT {SESSION_ACCOUNT} WHERE s.token = ?1"))?;
    for token in tokens {
        query.query(&[Value::Text(token)], |row| {
            // The columns of SESSION_ACCOUNT, in its order.
            let account = AccountRow { id: row.uuid(0)?, login: row.required_text(1)?, role: row.required_text(2)?, unit_code: row.required_text(3)?, path: row.required_text(4)?, display_name: row.required_text(5)? };
            sessions.insert(token.to_string(), (row.time(8)?, account.into_account()?));
            Ok(())
        })?;
    }
    Ok(sessions)
}

/// Where each resident lives: household and unit.
fn homes(db: &Connection, residents: &[Uuid]) -> StoreResult<HashMap<Uuid, (Uuid, UnitPath)>> {
    let mut homes = HashMap::with_capacity(residents.len());
    let mut query = db.prepare("SELECT household_id, unit_path FROM residents WHERE id = ?1")?;
    for id in residents {
        query.query(&[Value::uuid(id)], |row| {
            homes.insert(*id, (row.uuid(0)?, UnitPath::from_stored(row.required_text(1)?)));
            Ok(())
        })?;
    }
    Ok(homes)
}

/// The report of the day before each (resident, day).
fn reports_before(db: &Connection, wanted: &[(Uuid, NaiveDate)]) -> StoreResult<HashMap<(Uuid, NaiveDate), Report>> {
    let mut found = HashMap::new();
    let mut query = db.prepare("SELECT status, symptoms, location, place FROM checkins WHERE resident_id = ?1 AND day = ?2")?;
    for (id, day) in wanted {
        let Some(before) = day.pred_opt() else { continue };
        query.query(&[Value::uuid(id), Value::Text(&date_text(before))], |row| {
            let symptoms = row.required_text(1)?;
            let report = Report { status: row.required_text(0)?, symptoms: serde_json::from_str(&symptoms).unwrap_or_default(), location: row.required_text(2)?, place: row.text(3)? };
            found.insert((*id, *day), report);
            Ok(())
        })?;
    }
    Ok(found)
}
