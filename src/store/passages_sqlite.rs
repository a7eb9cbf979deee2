//! SQLite's side of passages as a group write (`passages::Passages`): a group's statements,
//! straight on the writer's connection (`sqlite_raw`), each prepared the first time a turn of
//! groups (`sqlite_committer`) needs it. The SQL is the sqlx side's (`backend/passages.rs`,
//! `backend/client_ids.rs`), where SQLite reads `$n` as the n-th parameter.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checkpoints::{PASSAGE_SELECT, PassageRow, PersonRow};
use super::client_ids::{CLAIM, Claim, STORED_CLAIM, stored_claim, taken};
use super::passages::{
    Found, NewFound, PASSAGE_INSERT, PERSON_BY_NAME, PERSON_BY_NUMBER, PERSON_BY_NUMBER_INSERT, PERSON_INSERT, PassageJob, PassagePlan, PlannedAlert,
    looks_up_roster, looks_up_typed_name,
};
use super::scope::Scope;
use super::sqlite_raw::{Connection, Row, Statement, Value, date_text, time_text};
use super::{Checkpoint, PersonKey, StoreResult};
use crate::domain::{AlertKind, Direction, Outcome, Temperature, UnitPath};

/// A statement prepared the first time it is used on the connection.
struct Lazy<'c> {
    sql: String,
    statement: Option<Statement<'c>>,
}

impl<'c> Lazy<'c> {
    fn new(sql: impl Into<String>) -> Lazy<'c> {
        Lazy { sql: sql.into(), statement: None }
    }

    fn on(&mut self, db: &'c Connection<'c>) -> StoreResult<&mut Statement<'c>> {
        match &mut self.statement {
            Some(statement) => Ok(statement),
            empty => Ok(empty.insert(db.prepare(&self.sql)?)),
        }
    }
}

/// The statements of a group of passages on the writer's connection.
pub(crate) struct GroupWriter<'c> {
    db: &'c Connection<'c>,
    claim: Lazy<'c>,
    stored_claim: Lazy<'c>,
    stored_passage: Lazy<'c>,
    person_by_number_insert: Lazy<'c>,
    person_by_number: Lazy<'c>,
    person_by_name: Lazy<'c>,
    person_insert: Lazy<'c>,
    last_typed: Lazy<'c>,
    on_roster: Lazy<'c>,
    insert: Lazy<'c>,
    audit: Lazy<'c>,
    alert: Lazy<'c>,
    late: Lazy<'c>,
}

impl<'c> GroupWriter<'c> {
    pub fn new(db: &'c Connection<'c>) -> GroupWriter<'c> {
        let within = Scope::condition("unit_path", 2);
        GroupWriter {
            db,
            claim: Lazy::new(format!("{CLAIM} RETURNING id")),
            stored_claim: Lazy::new(STORED_CLAIM),
            stored_passage: Lazy::new(format!("{PASSAGE_SELECT} WHERE p.id = $1")),
            person_by_number_insert: Lazy::new(PERSON_BY_NUMBER_INSERT),
            person_by_number: Lazy::new(PERSON_BY_NUMBER),
            person_by_name: Lazy::new(PERSON_BY_NAME),
            person_insert: Lazy::new(PERSON_INSERT),
            // As `last_typed` and `on_roster` (backend/passages.rs) read them.
            last_typed: Lazy::new(format!(
                "SELECT at, name FROM passages WHERE person_id = $1 AND {within} AND name IS NOT NULL AND registration_id IS NULL ORDER BY at DESC LIMIT 1"
            )),
            on_roster: Lazy::new(format!("SELECT name FROM residents WHERE id_number = $1 AND {within} LIMIT 1")),
            insert: Lazy::new(format!("{PASSAGE_INSERT} RETURNING id")),
            audit: Lazy::new(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, county_code, detail) VALUES ($1, $2, 'create', 'passage', $3, $4, $5, $6)",
            ),
            alert: Lazy::new(
                "INSERT INTO alerts (id, kind, unit_path, county_code, subject, target_kind, target_id, due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            ),
            late: Lazy::new(super::history::LATE_FACT_INSERT),
        }
    }

    /// For each request, in order: claims its id, then finds or creates its person and reads
    /// the names its plan may need (see `passages`, on why the read phase writes).
    pub fn read(&mut self, jobs: &[PassageJob]) -> StoreResult<Vec<Found>> {
        let mut found = Vec::with_capacity(jobs.len());
        for job in jobs {
            let (caller, passage, checkpoint) = (&job.caller, &job.passage, &job.checkpoint);
            if self.claim(job)? == Claim::Repeat {
                found.push(Found::Repeat(self.stored_passage(passage.id, job.fever)?));
                continue;
            }
            let person = self.person_for(&passage.person, caller.now)?;
            let mut new = NewFound::default();
            if let (Some(person), true) = (&person, looks_up_typed_name(passage)) {
                new.last_typed = self.last_typed(person.id, &checkpoint.unit_path)?;
            }
            if let (Some(number), true) = (&passage.person.id_number, looks_up_roster(job)) {
                new.on_roster = self.on_roster(number.as_str(), &checkpoint.unit_path)?;
            }
            new.person = person;
            found.push(Found::New(new));
        }
        Ok(found)
    }

    /// Writes a group's passages, each with its audit entry and, for a fever, its alert.
    pub fn write(&mut self, plan: &PassagePlan) -> StoreResult<()> {
        for row in &plan.rows {
            let (caller, checkpoint, passage) = (&row.job.caller, &row.job.checkpoint, &row.passage);
            let path = &checkpoint.unit_path;
            let mut written = 0;
            self.insert.on(self.db)?.query(
                &[
                    Value::uuid(&passage.id),
                    Value::uuid(&checkpoint.id),
                    Value::Text(path.as_str()),
                    Value::opt_text(path.county_code()),
                    Value::opt_uuid(row.person.as_ref()),
                    Value::opt_text(passage.plate.as_ref().map(|p| p.as_str())),
                    Value::Text(passage.direction.as_str()),
                    Value::opt_real(passage.temperature.map(|t| t.celsius())),
                    Value::opt_text(passage.purpose.as_deref()),
                    Value::opt_text(passage.from.as_deref()),
                    Value::opt_text(passage.to.as_deref()),
                    Value::Text(passage.outcome.as_str()),
                    Value::Text(&time_text(passage.at)),
                    Value::Text(&time_text(caller.now)),
                    Value::Text(&caller.login),
                    Value::Null,
                    Value::opt_text(passage.person.name.as_deref()),
                    Value::opt_text(passage.person.phone.as_ref().map(|p| p.as_str())),
                ],
                |_| {
                    written += 1;
                    Ok(())
                },
            )?;
            // An id a client did not claim, already a passage's: the group is written again a
            // request at a time, and this one alone is refused.
            if written == 0 {
                return Err(taken());
            }
            self.audit.on(self.db)?.run(&[
                Value::Text(&time_text(caller.now)),
                Value::Text(&caller.login),
                Value::Text(&passage.id.to_string()),
                Value::Text(path.as_str()),
                Value::opt_text(path.county_code()),
                Value::Text(&row.audit),
            ])?;
            if let Some(alert) = &row.alert {
                self.raise_alert(checkpoint, alert, caller.now)?;
            }
        }
        for (path, day) in &plan.late {
            self.late.on(self.db)?.run(&[Value::Text(path), Value::Text(&date_text(*day))])?;
        }
        Ok(())
    }

    /// A fever's alert, sent as `raise_alert` (backend/alerts.rs) sends it: to the grid
    /// leaders of the village or grids on the checkpoint's path and the HQ accounts over it.
    fn raise_alert(&mut self, checkpoint: &Checkpoint, alert: &PlannedAlert, now: DateTime<Utc>) -> StoreResult<()> {
        let (id, path) = (Uuid::now_v7(), &checkpoint.unit_path);
        self.alert.on(self.db)?.run(&[
            Value::uuid(&id),
            Value::Text(AlertKind::Fever.as_str()),
            Value::Text(path.as_str()),
            Value::opt_text(path.county_code()),
            Value::Text(&alert.subject),
            Value::Text(alert.target.kind.as_str()),
            Value::uuid(&alert.target.id),
            Value::Text(&time_text(now)),
        ])?;
        // Fevers are few, and their list of leaders is as long as the path: prepared each time.
        let leaders = super::alerts::leader_units(path, &checkpoint.unit_code);
        let list = (0..leaders.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
        let recipients = self.db.prepare(&format!(
            "INSERT INTO alert_recipients (account_id, alert_id) SELECT DISTINCT a.id, $1 FROM accounts a JOIN units u ON u.code = a.unit_code \
             WHERE (a.role = 'hq' AND substr($2, 1, length(u.path)) = u.path) OR (a.role = 'grid_leader' AND a.unit_code IN ({list})) \
             OR a.id IN (SELECT s.account_id FROM unit_staff s WHERE s.duty = 'leader' AND s.unit_code IN ({list}))"
        ));
        let mut params = vec![Value::uuid(&id), Value::Text(path.as_str())];
        params.extend(leaders.iter().map(|code| Value::Text(code)));
        recipients?.run(&params)
    }

    /// Claims a passage's id, as `claim_id` does (a server-made id is always new).
    fn claim(&mut self, job: &PassageJob) -> StoreResult<Claim> {
        let (caller, passage) = (&job.caller, &job.passage);
        let Some(fingerprint) = passage.fingerprint.as_deref() else { return Ok(Claim::New) };
        let mut inserted = false;
        let params = [
            Value::uuid(&passage.id),
            Value::Text("passage"),
            Value::Text(job.checkpoint.unit_path.as_str()),
            Value::Text(fingerprint),
            Value::Text(&time_text(caller.now)),
        ];
        self.claim.on(self.db)?.query(&params, |_| {
            inserted = true;
            Ok(())
        })?;
        if inserted {
            return Ok(Claim::New);
        }
        let mut stored = None;
        self.stored_claim.on(self.db)?.query(&[Value::uuid(&passage.id)], |row| {
            stored = Some((row.required_text(0)?, row.required_text(1)?, row.required_text(2)?));
            Ok(())
        })?;
        stored_claim(caller, "passage", fingerprint, stored.ok_or_else(taken)?)
    }

    /// The person a passage names, found or added, as `person_for` does.
    fn person_for(&mut self, key: &PersonKey, now: DateTime<Utc>) -> StoreResult<Option<PersonRow>> {
        fn person(found: &mut Option<PersonRow>) -> impl FnMut(&Row) -> StoreResult<()> + '_ {
            |row| {
                *found = Some(PersonRow { id: row.uuid(0)?, name: row.required_text(1)?, id_number: row.text(2)?, phone: row.text(3)? });
                Ok(())
            }
        }
        let mut found = None;
        let name = key.name.as_deref().unwrap_or_default();
        let phone = key.phone.as_ref().map(|p| p.as_str());
        let created = time_text(now);
        if let Some(number) = &key.id_number {
            self.person_by_number_insert.on(self.db)?.run(&[Value::uuid(&Uuid::now_v7()), Value::Text(number.as_str()), Value::Text(&created)])?;
            self.person_by_number.on(self.db)?.query(&[Value::Text(number.as_str())], person(&mut found))?;
            return Ok(found);
        }
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(phone) = phone {
            self.person_by_name.on(self.db)?.query(&[Value::Text(name), Value::Text(phone)], person(&mut found))?;
            if found.is_some() {
                return Ok(found);
            }
        }
        let id = Uuid::now_v7();
        let params = [Value::uuid(&id), Value::Text(name), Value::opt_text(phone), Value::Text(&created)];
        self.person_insert.on(self.db)?.query(&params, person(&mut found))?;
        Ok(found)
    }

    /// The name the checkpoint's subtree last typed for a person, and when.
    fn last_typed(&mut self, person: Uuid, scope: &UnitPath) -> StoreResult<Option<(DateTime<Utc>, String)>> {
        let scope = Scope::of(scope);
        let (low, high) = scope.ends();
        let mut found = None;
        self.last_typed.on(self.db)?.query(&[Value::uuid(&person), Value::Text(low), Value::Text(high)], |row| {
            found = Some((row.time(0)?, row.required_text(1)?));
            Ok(())
        })?;
        Ok(found)
    }

    /// A person's name on the roster of the subtree.
    fn on_roster(&mut self, id_number: &str, scope: &UnitPath) -> StoreResult<Option<String>> {
        let scope = Scope::of(scope);
        let (low, high) = scope.ends();
        let mut found = None;
        self.on_roster.on(self.db)?.query(&[Value::Text(id_number), Value::Text(low), Value::Text(high)], |row| {
            found = Some(row.required_text(0)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// A passage as lists show it (`PASSAGE_SELECT`), if it is written.
    fn stored_passage(&mut self, id: Uuid, fever: Temperature) -> StoreResult<Option<super::Passage>> {
        let mut found = None;
        self.stored_passage.on(self.db)?.query(&[Value::uuid(&id)], |row| {
            found = Some(PassageRow {
                id: row.uuid(0)?,
                checkpoint_id: row.uuid(1)?,
                checkpoint_name: row.required_text(2)?,
                person_id: row.opt_uuid(3)?,
                name: row.text(4)?,
                id_number: row.text(5)?,
                phone: row.text(6)?,
                plate: row.text(7)?,
                direction: Direction::from_stored(&row.required_text(8)?)?,
                temperature: row.real(9),
                purpose: row.text(10)?,
                from_place: row.text(11)?,
                to_place: row.text(12)?,
                outcome: Outcome::from_stored(&row.required_text(13)?)?,
                at: row.time(14)?,
                actor: row.required_text(15)?,
            });
            Ok(())
        })?;
        Ok(found.map(|row| row.passage(fever)))
    }
}
