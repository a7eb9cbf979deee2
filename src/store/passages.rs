//! Passages as a kind of group write (`sql::GroupWrite`): the passages staff log at a
//! checkpoint go through the same group committer as check-ins. `Passages` is the type; this
//! file holds the rules of a group (its reads, `PassagePlan`), `passages_sqlite.rs` and
//! `passages_postgres.rs` each backend's statements.
//!
//! A passage does not split cleanly into read, plan and write: before it knows what it
//! writes it must claim the client's id (`client_ids`) and find or create the person seen
//! (`person_for`), then read how the checkpoint knows them. So its **read phase also claims
//! and creates**: for each request in order it claims the id, finds or creates the person,
//! and reads the names the plan may need (`Found`). Both are inserts the write needs anyway,
//! made inside the group's transaction, so a group that fails leaves neither. What those reads
//! cannot see is what this group itself is about to write, and the plan adds it: a name typed
//! at the checkpoint by an earlier request of the group, and a request sent twice in one group
//! (answered as the first). The write phase then only inserts: passages, their audit entries,
//! fever alerts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checkpoints::{PersonRow, fever_subject, written_passage};
use super::client_ids::taken;
use super::{Checkpoint, NewPassage, Passage, StoreResult};
use crate::domain::{Caller, Plate, Target, Temperature};

/// A passage waiting for the group committer, and where to send its answer.
pub(crate) struct PassageJob {
    pub caller: Caller,
    pub checkpoint: Checkpoint,
    pub passage: NewPassage,
    pub fever: Temperature,
    pub reply: tokio::sync::oneshot::Sender<StoreResult<Passage>>,
}

impl super::sql::Job for PassageJob {
    type Answer = StoreResult<Passage>;

    fn reply(self, answer: StoreResult<StoreResult<Passage>>) {
        let _ = self.reply.send(answer.and_then(|own| own));
    }
}

/// Passages as a kind of group write: the plan is `PassagePlan`; SQLite's reads and writes
/// are `passages_sqlite::GroupWriter`'s, PostgreSQL's `passages_postgres`'s.
pub(crate) struct Passages;

impl super::sql::GroupWrite for Passages {
    type Job = PassageJob;
    type Reads = Vec<Found>;
    type Plan<'a> = PassagePlan<'a>;
    type Statements<'c> = super::passages_sqlite::GroupWriter<'c>;
    const NAME: &'static str = "passage";

    fn plan<'a>(jobs: &'a [PassageJob], reads: &'a Vec<Found>) -> PassagePlan<'a> {
        PassagePlan::new(jobs, reads)
    }

    fn answers(plan: PassagePlan<'_>) -> Vec<StoreResult<Passage>> {
        plan.answers
    }

    fn prepare<'c>(db: &'c super::sqlite_raw::Connection<'c>) -> StoreResult<Self::Statements<'c>> {
        Ok(super::passages_sqlite::GroupWriter::new(db))
    }

    fn read_sqlite(statements: &mut Self::Statements<'_>, jobs: &[PassageJob]) -> StoreResult<Vec<Found>> {
        statements.read(jobs)
    }

    fn write_sqlite(statements: &mut Self::Statements<'_>, plan: &PassagePlan<'_>) -> StoreResult<()> {
        statements.write(plan)
    }

    fn read_postgres(tx: &mut super::postgres::PgTx, jobs: &[PassageJob]) -> impl std::future::Future<Output = StoreResult<Vec<Found>>> + Send {
        super::passages_postgres::read_group(tx, jobs)
    }

    fn write_postgres(tx: &mut super::postgres::PgTx, plan: &Self::Plan<'_>) -> impl std::future::Future<Output = StoreResult<()>> + Send {
        super::passages_postgres::write_group(tx, plan)
    }
}

/// What the read phase found for one request (one per request, in their order).
#[derive(Debug)]
pub(crate) enum Found {
    /// The same request was made before: the passage it wrote, or `None` when an earlier
    /// request of this group writes it.
    Repeat(Option<Passage>),
    New(NewFound),
}

#[derive(Debug, Default)]
pub(crate) struct NewFound {
    /// The person the passage names, found or just created; `None` when it names nobody.
    pub person: Option<PersonRow>,
    /// When the passage names someone by ID number alone (`looks_up_typed_name`): the name
    /// the checkpoint's staff last typed for them, and when, among passages before this group.
    pub last_typed: Option<(DateTime<Utc>, String)>,
    /// For a fever's alert (`looks_up_roster`): the person's name on the roster of the
    /// checkpoint's subtree.
    pub on_roster: Option<String>,
}

/// Whether a new passage takes the name the checkpoint last typed for its person: it names
/// someone by ID number alone. (`known_as` without the roster: not every role that reads
/// passages reads the roster, and never what the public typed.)
pub(crate) fn looks_up_typed_name(passage: &NewPassage) -> bool {
    passage.person.name.is_none() && passage.person.id_number.is_some()
}

/// Whether a new passage's fever alert may name its person as the roster does: a fever, of
/// someone named by ID number alone, logged by a role that reads the roster.
pub(crate) fn looks_up_roster(job: &PassageJob) -> bool {
    looks_up_typed_name(&job.passage) && job.caller.role.reads_roster() && job.passage.temperature.is_some_and(|t| t.is_fever(job.fever))
}

/// A passage the group writes.
pub(crate) struct PlannedPassage<'a> {
    pub job: &'a PassageJob,
    /// The passage as stored: with the name the checkpoint last typed when staff typed none.
    pub passage: NewPassage,
    pub person: Option<Uuid>,
    /// Its audit entry's detail.
    pub audit: String,
    pub alert: Option<PlannedAlert>,
}

/// A fever's alert, to the leaders and HQ over the checkpoint (`raise_alert`).
pub(crate) struct PlannedAlert {
    pub subject: String,
    pub target: Target,
}

/// What a group of passages writes and answers, worked out once for both backends.
pub(crate) struct PassagePlan<'a> {
    pub rows: Vec<PlannedPassage<'a>>,
    /// The (unit, day) of passages on a day before today, noted in `late_facts`.
    pub late: std::collections::BTreeSet<(String, chrono::NaiveDate)>,
    answers: Vec<StoreResult<Passage>>,
}

impl<'a> PassagePlan<'a> {
    pub fn new(jobs: &'a [PassageJob], found: &'a [Found]) -> PassagePlan<'a> {
        let mut rows: Vec<PlannedPassage<'a>> = Vec::with_capacity(jobs.len());
        let mut answers: Vec<StoreResult<Passage>> = Vec::with_capacity(jobs.len());
        for (job, found) in jobs.iter().zip(found) {
            let answer = match found {
                Found::Repeat(Some(stored)) => Ok(stored.clone()),
                // Sent twice in this group: answered as the first, which this group writes.
                Found::Repeat(None) => {
                    let first = jobs.iter().zip(&answers).find(|(earlier, _)| earlier.passage.id == job.passage.id);
                    first.and_then(|(_, answer)| answer.as_ref().ok().cloned()).ok_or_else(taken)
                }
                Found::New(found) => {
                    let row = Self::row(job, found, &rows);
                    let answer = written_passage(&job.caller, &job.checkpoint, &row.passage, found.person.as_ref(), job.fever);
                    rows.push(row);
                    Ok(answer)
                }
            };
            answers.push(answer);
        }
        let late = rows
            .iter()
            .filter_map(|row| super::history::late(&row.job.checkpoint.unit_path, crate::domain::time::local_date(row.passage.at), row.job.caller.now))
            .collect();
        PassagePlan { rows, late, answers }
    }

    fn row(job: &'a PassageJob, found: &NewFound, earlier: &[PlannedPassage<'a>]) -> PlannedPassage<'a> {
        let person = found.person.as_ref();
        let mut passage = job.passage.clone();
        if looks_up_typed_name(&job.passage) {
            passage.person.name = person.and_then(|p| last_typed_name(job, p.id, found.last_typed.as_ref(), earlier));
        }
        let alert = passage.temperature.filter(|t| t.is_fever(job.fever)).map(|temperature| {
            let who = fever_who(
                passage.person.name.clone(),
                person.map(|p| (p.id_number.as_deref(), p.name.as_str())),
                found.on_roster.clone(),
                passage.plate.as_ref(),
            );
            PlannedAlert {
                subject: fever_subject(temperature, &who, &job.checkpoint.name),
                target: person.map_or(Target::checkpoint(job.checkpoint.id), |p| Target::person(p.id)),
            }
        });
        let person = person.map(|p| p.id);
        let audit = audit_detail(&job.checkpoint, person, &passage).to_string();
        PlannedPassage { job, passage, person, audit, alert }
    }
}

/// The name the checkpoint's staff last typed for `person` in its subtree: the latest of what
/// was stored before the group and what earlier requests of the group type.
fn last_typed_name(job: &PassageJob, person: Uuid, stored: Option<&(DateTime<Utc>, String)>, earlier: &[PlannedPassage]) -> Option<String> {
    let in_group = earlier
        .iter()
        .filter(|row| row.person == Some(person) && job.checkpoint.unit_path.contains(&row.job.checkpoint.unit_path))
        .filter_map(|row| Some((row.passage.at, row.passage.person.name.as_ref()?)));
    // The latest; of two at the same time, the one written last.
    stored
        .map(|(at, name)| (*at, name))
        .into_iter()
        .chain(in_group)
        .fold(None, |last: Option<(DateTime<Utc>, &String)>, next| match last {
            Some(last) if last.0 > next.0 => Some(last),
            _ => Some(next),
        })
        .map(|(_, name)| name.clone())
}

/// Whom a fever alert names: as staff typed them (`typed`); else someone with an ID number as
/// the checkpoint's grid knows them (`known`, from `known_as`), or by their masked number;
/// someone without one by the name they are kept under; nobody by the plate. `person` is
/// the person's (ID number, name).
pub(crate) fn fever_who(typed: Option<String>, person: Option<(Option<&str>, &str)>, known: Option<String>, plate: Option<&Plate>) -> String {
    match (typed, person) {
        (Some(name), _) => name,
        (None, Some((Some(number), _))) => known.unwrap_or_else(|| crate::domain::id_number::mask(number)),
        (None, Some((None, name))) => name.to_string(),
        (None, None) => plate.map(|p| p.as_str().to_string()).unwrap_or_default(),
    }
}

/// The detail of a passage's audit entry.
pub(crate) fn audit_detail(checkpoint: &Checkpoint, person: Option<Uuid>, passage: &NewPassage) -> serde_json::Value {
    serde_json::json!({"checkpoint": checkpoint.id, "person": person, "outcome": passage.outcome.as_str(), "temperature": passage.temperature.map(|t| t.celsius())})
}

/// Finds someone by ID number: made first if new (`$1` id, `$2` ID number, `$3` time), then
/// read (`PERSON_BY_NUMBER`, `$1` ID number).
pub(crate) const PERSON_BY_NUMBER_INSERT: &str =
    "INSERT INTO people (id, id_number, name, phone, created_at) VALUES ($1, $2, '', NULL, $3) ON CONFLICT (id_number) DO NOTHING";
pub(crate) const PERSON_BY_NUMBER: &str = "SELECT id, name, id_number, phone FROM people WHERE id_number = $1";
/// Someone without an ID number, by name (`$1`) and phone (`$2`).
pub(crate) const PERSON_BY_NAME: &str = "SELECT id, name, id_number, phone FROM people WHERE id_number IS NULL AND name = $1 AND phone = $2 LIMIT 1";
/// A new person without an ID number: `$1` id, `$2` name, `$3` phone, `$4` time.
pub(crate) const PERSON_INSERT: &str = "INSERT INTO people (id, name, phone, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, id_number, phone";

/// A passage, written once (a second insert of its id writes nothing).
pub(crate) const PASSAGE_INSERT: &str = "INSERT INTO passages (id, checkpoint_id, unit_path, county_code, person_id, plate, direction, temperature, purpose, \
     from_place, to_place, outcome, at, recorded_at, actor, registration_id, name, phone) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CheckpointKind, Direction, IdNumber, Outcome, Role, UnitPath};
    use crate::store::PersonKey;

    fn checkpoint(path: &str) -> Checkpoint {
        let unit_path = UnitPath::from_stored(path.into());
        let unit_code = unit_path.codes().last().unwrap().to_string();
        Checkpoint {
            id: Uuid::now_v7(),
            unit_code,
            unit_path,
            name: "和平路卡点".into(),
            kind: CheckpointKind::Checkpoint,
            lat: None,
            lon: None,
            token: String::new(),
        }
    }

    fn job(checkpoint: &Checkpoint, id: Uuid, person: PersonKey, temperature: f64, at: &str) -> PassageJob {
        let caller = Caller { login: "checkpoint".into(), role: Role::GridLeader, scope: UnitPath::root(), now: at.parse().unwrap() };
        let passage = NewPassage {
            id,
            fingerprint: None,
            checkpoint_id: checkpoint.id,
            person,
            plate: None,
            direction: Direction::In,
            temperature: Some(Temperature::from_celsius(temperature).unwrap()),
            purpose: None,
            from: None,
            to: None,
            outcome: Outcome::Passed,
            at: at.parse().unwrap(),
        };
        PassageJob { caller, checkpoint: checkpoint.clone(), passage, fever: Temperature::DEFAULT_FEVER, reply: tokio::sync::oneshot::channel().0 }
    }

    fn new(person: &PersonRow, last_typed: Option<(&str, &str)>, on_roster: Option<&str>) -> Found {
        Found::New(NewFound {
            person: Some(person.clone()),
            last_typed: last_typed.map(|(at, name)| (at.parse().unwrap(), name.to_string())),
            on_roster: on_roster.map(str::to_string),
        })
    }

    /// A group in which one person passes three times (named, then by number alone at the
    /// same checkpoint and at one outside its subtree) and a request comes twice: each
    /// passage takes the name typed last in its checkpoint's subtree, this group's included,
    /// and the second copy of a request is answered as the first, written once.
    #[test]
    fn a_group_sees_the_names_it_types_and_writes_a_request_once() {
        let village = checkpoint("/15/1505/150502/150502001/");
        let elsewhere = checkpoint("/15/1505/150502/150502002/");
        let number = IdNumber::parse("11010519491231002X").unwrap();
        let person = PersonRow { id: Uuid::now_v7(), name: String::new(), id_number: Some(number.as_str().to_string()), phone: None };
        let named = PersonKey { id_number: Some(number.clone()), name: Some("王强".into()), phone: None };
        let by_number = PersonKey { id_number: Some(number), name: None, phone: None };
        let (first, second, third) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let jobs = [
            job(&village, first, named, 36.5, "2020-02-01T09:00:00Z"),
            job(&village, second, by_number.clone(), 38.0, "2020-02-01T10:00:00Z"),
            job(&village, second, by_number.clone(), 38.0, "2020-02-01T10:00:00Z"),
            job(&elsewhere, third, by_number, 36.5, "2020-02-01T11:00:00Z"),
        ];
        let found = [
            new(&person, None, None),
            new(&person, Some(("2020-01-31T09:00:00Z", "王老强")), Some("王强(户籍)")),
            Found::Repeat(None),
            new(&person, Some(("2020-01-30T09:00:00Z", "老王")), None),
        ];
        let plan = PassagePlan::new(&jobs, &found);

        let names: Vec<Option<&str>> = plan.rows.iter().map(|row| row.passage.person.name.as_deref()).collect();
        assert_eq!(names, [Some("王强"), Some("王强"), Some("老王")], "the later of the stored name and the group's own");
        assert_eq!(plan.rows.len(), 3, "the second copy writes nothing");
        let alert = plan.rows[1].alert.as_ref().expect("38.0 is a fever");
        assert_eq!(alert.subject, "38.0 °C · 王强 · 和平路卡点");
        assert_eq!(alert.target, Target::person(person.id));
        assert!(plan.rows[0].alert.is_none() && plan.rows[2].alert.is_none());
        let answers = plan.answers;
        assert_eq!(answers[2].as_ref().unwrap().id, second);
        assert_eq!(answers[2].as_ref().unwrap().name.as_deref(), Some("王强"));
    }

    #[test]
    fn a_fever_names_as_typed_then_as_known_then_by_masked_number_or_plate() {
        let plate = Plate::parse("蒙G12345").unwrap();
        let number = Some("11010519491231002X");
        assert_eq!(fever_who(Some("王强".into()), Some((number, "")), Some("roster".into()), None), "王强");
        assert_eq!(fever_who(None, Some((number, "")), Some("王大强".into()), None), "王大强");
        assert_eq!(fever_who(None, Some((number, "")), None, None), crate::domain::id_number::mask("11010519491231002X"));
        assert_eq!(fever_who(None, Some((None, "赵大")), None, None), "赵大");
        assert_eq!(fever_who(None, None, None, Some(&plate)), plate.as_str());
    }
}
