//! PostgreSQL's side of passages as a group write (`passages::Passages`): the reads of a group
//! through the sqlx helpers the other passage writes use (`claim_id`, `person_for`, …), and
//! its writes, one statement per kind, in the transaction of `postgres::write_group`.

use sqlx::{Postgres, QueryBuilder};

use super::StoreResult;
use super::client_ids::{Claim, taken};
use super::passages::{Found, NewFound, PassageJob, PassagePlan, looks_up_roster, looks_up_typed_name};
use super::postgres::PgStore;
use super::sql::CHUNK;
use crate::domain::AlertKind;

type Tx = super::postgres::PgTx;

/// For each request, in order: claims its id, then finds or creates its person and reads the
/// names its plan may need (see `passages`, on why the read phase writes).
pub(crate) async fn read_group(tx: &mut Tx, jobs: &[PassageJob]) -> StoreResult<Vec<Found>> {
    let mut found = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (caller, passage, checkpoint) = (&job.caller, &job.passage, &job.checkpoint);
        let claim = PgStore::claim_id(tx, caller, "passage", passage.id, passage.fingerprint.as_deref(), &checkpoint.unit_path).await?;
        if claim == Claim::Repeat {
            found.push(Found::Repeat(PgStore::find_passage(tx, passage.id, job.fever).await?));
            continue;
        }
        let person = PgStore::person_for(tx, &passage.person, caller.now).await?;
        let mut new = NewFound::default();
        if let (Some(person), true) = (&person, looks_up_typed_name(passage)) {
            new.last_typed = PgStore::last_typed(tx, person.id, &checkpoint.unit_path).await?.map(|(at, name, _)| (at, name));
        }
        if let (Some(number), true) = (&passage.person.id_number, looks_up_roster(job)) {
            new.on_roster = PgStore::on_roster(tx, number.as_str(), &checkpoint.unit_path).await?.map(|(name, _)| name);
        }
        new.person = person;
        found.push(Found::New(new));
    }
    Ok(found)
}

/// Writes a group's passages, their audit entries and the alerts of its fevers.
pub(crate) async fn write_group(tx: &mut Tx, plan: &PassagePlan<'_>) -> StoreResult<()> {
    for chunk in plan.rows.chunks(CHUNK) {
        let mut query = QueryBuilder::<Postgres>::new(
            "INSERT INTO passages (id, checkpoint_id, unit_path, county_code, person_id, plate, direction, temperature, purpose, from_place, to_place, \
             outcome, at, recorded_at, actor, registration_id, name, phone) ",
        );
        query.push_values(chunk, |mut row, planned| {
            let (caller, checkpoint, passage) = (&planned.job.caller, &planned.job.checkpoint, &planned.passage);
            row.push_bind(passage.id)
                .push_bind(checkpoint.id)
                .push_bind(checkpoint.unit_path.as_str().to_string())
                .push_bind(checkpoint.unit_path.county_code().map(str::to_string))
                .push_bind(planned.person)
                .push_bind(passage.plate.as_ref().map(|p| p.as_str().to_string()))
                .push_bind(passage.direction.as_str())
                .push_bind(passage.temperature.map(|t| t.celsius()))
                .push_bind(passage.purpose.clone())
                .push_bind(passage.from.clone())
                .push_bind(passage.to.clone())
                .push_bind(passage.outcome.as_str())
                .push_bind(passage.at)
                .push_bind(caller.now)
                .push_bind(caller.login.clone())
                .push_bind(None::<uuid::Uuid>)
                .push_bind(passage.person.name.clone())
                .push_bind(passage.person.phone.as_ref().map(|p| p.as_str().to_string()));
        });
        query.push(" ON CONFLICT (id) DO NOTHING");
        // An id a client did not claim, already a passage's: the group is written again a
        // request at a time, and that one alone is refused.
        if query.build().execute(&mut **tx).await?.rows_affected() != chunk.len() as u64 {
            return Err(taken());
        }
    }
    for chunk in plan.rows.chunks(CHUNK) {
        let mut audit = QueryBuilder::<Postgres>::new("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, county_code, detail) ");
        audit.push_values(chunk, |mut row, planned| {
            let (caller, path) = (&planned.job.caller, &planned.job.checkpoint.unit_path);
            row.push_bind(caller.now)
                .push_bind(caller.login.clone())
                .push_bind("create")
                .push_bind("passage")
                .push_bind(planned.passage.id.to_string())
                .push_bind(path.as_str().to_string())
                .push_bind(path.county_code().map(str::to_string))
                .push_bind(planned.audit.clone());
        });
        audit.build().execute(&mut **tx).await?;
    }
    for planned in &plan.rows {
        if let Some(alert) = &planned.alert {
            let (caller, checkpoint) = (&planned.job.caller, &planned.job.checkpoint);
            PgStore::raise_alert(tx, AlertKind::Fever, &checkpoint.unit_path, &checkpoint.unit_code, &alert.subject, &alert.target, caller.now).await?;
        }
    }
    for (path, day) in &plan.late {
        sqlx::query(super::history::LATE_FACT_INSERT).bind(path).bind(day).execute(&mut **tx).await?;
    }
    Ok(())
}
