//! `RosterStore` for this backend: stage a planned import in short transactions, then move it
//! in with one that checks nothing it was planned from changed (see `store::roster`).

use sqlx::QueryBuilder;

use async_trait::async_trait;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use super::{Db, Tx, audit, derived};
use crate::domain::roster::RosterHousehold;
use crate::domain::table::{RowError, RowProblem};
use crate::domain::{Caller, UnitCode, UnitPath};
use crate::store::roster::{ATTEMPTS, MAX_NAMED_ELSEWHERE, Plan, STALE_RUN, StoredResident, Unfinished, plan};
use crate::store::scope::Scope;
use crate::store::sql::{CHUNK, Dialect as _};
use crate::store::{ImportSummary, RosterStore, SqlStore, StoreError, StoreResult, Unit, UnitStore};

#[async_trait]
impl RosterStore for SqlStore<Db> {
    async fn import_roster(
        &self,
        caller: &Caller,
        into: &UnitCode,
        households: &[RosterHousehold],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportSummary> {
        let into = self.unit(&caller.scope, into).await?.ok_or(StoreError::NotFound)?;
        let subtree = Scope::of(&into.path);
        // 1. Every unit named in the file must lie under `into`.
        let unit_paths = self.roster_units(&subtree, households).await?;
        Self::roster_discard_stale(&self.reader, &self.writer, caller.now - STALE_RUN).await?;
        let total: usize = households.iter().map(|h| h.residents.len()).sum();
        for _ in 0..ATTEMPTS {
            // 2. Plan from what is stored: read beside the writer, not on it.
            let phase = Instant::now();
            let (stored_households, stored_residents) = Self::roster_stored(&self.reader, households).await?;
            self.refuse_held_elsewhere(caller, &into, households, &unit_paths, &stored_residents).await?;
            let plan = plan(households, unit_paths.clone(), &subtree, stored_households, stored_residents).map_err(StoreError::Rows)?;
            tracing::debug!(elapsed = ?phase.elapsed(), "roster import: planned");
            if plan.writes_nothing() || self.roster_write(caller, &into, &plan, progress).await? {
                progress(total);
                return Ok(plan.summary);
            }
            tracing::info!("roster import: what it planned from changed before it was moved in; planning again");
        }
        Err(StoreError::Rows(vec![RowError { row: 0, column: None, problem: RowProblem::ChangedDuringImport }]))
    }
}

impl SqlStore<Db> {
    /// The path of every unit the file names, each of which must lie in `subtree`.
    async fn roster_units(&self, subtree: &Scope, households: &[RosterHousehold]) -> StoreResult<HashMap<String, String>> {
        let codes: Vec<String> = households.iter().map(|h| h.unit_code.to_string()).collect::<HashSet<_>>().into_iter().collect();
        let mut unit_paths: HashMap<String, String> = HashMap::new();
        for chunk in codes.chunks(CHUNK) {
            let mut query = QueryBuilder::new("SELECT code, path FROM units WHERE ");
            subtree.push_within(&mut query, "path").push(" AND code IN (");
            let mut list = query.separated(", ");
            for code in chunk {
                list.push_bind(code.as_str());
            }
            query.push(")");
            let found: Vec<(String, String)> = query.build_query_as().fetch_all(&self.reader).await?;
            unit_paths.extend(found);
        }
        let mut errors = Vec::new();
        for h in households.iter().filter(|h| !unit_paths.contains_key(h.unit_code.as_str())) {
            for r in &h.residents {
                errors.push(RowError { row: r.row, column: Some("unit_code"), problem: RowProblem::UnitNotInScope(h.unit_code.to_string()) });
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(StoreError::Rows(errors));
        }
        Ok(unit_paths)
    }

    /// Rows naming someone registered outside `into`: the HQ over both places settles each
    /// (its inbox is told), and the file is refused naming the rows, not the places (`plan`
    /// names them), or naming none when there are many.
    async fn refuse_held_elsewhere(
        &self,
        caller: &Caller,
        into: &Unit,
        households: &[RosterHousehold],
        unit_paths: &HashMap<String, String>,
        stored_residents: &HashMap<String, StoredResident>,
    ) -> StoreResult<()> {
        let subtree = Scope::of(&into.path);
        let elsewhere: Vec<StoreError> = households
            .iter()
            .flat_map(|h| h.residents.iter().map(move |r| (h, r)))
            .filter_map(|(h, r)| {
                let stored = stored_residents.get(r.id_number.as_str()).filter(|s| !subtree.contains(&s.unit_path))?;
                Some(StoreError::HeldElsewhere {
                    household: stored.household_id,
                    path: UnitPath::from_stored(stored.unit_path.clone()),
                    wanted: UnitPath::from_stored(unit_paths.get(h.unit_code.as_str()).cloned().unwrap_or_else(|| into.path.as_str().to_string())),
                    id_number: r.id_number.as_str().to_string(),
                })
            })
            .collect();
        if !elsewhere.is_empty() {
            let mut tx = self.writer.begin().await?;
            let detail = serde_json::json!({"registered_elsewhere": elsewhere.len()});
            audit(&mut tx, caller, "refuse", "roster", into.code.as_str(), into.path.as_str(), detail).await?;
            tx.commit().await?;
        }
        let many = elsewhere.len() > MAX_NAMED_ELSEWHERE;
        // Every conflict reaches the HQ over its two places (once a day each), so a file
        // that probes numbers is seen there whatever else it holds.
        for conflict in elsewhere {
            let told = self.held_elsewhere(caller, conflict).await;
            if !matches!(told, StoreError::Domain(_)) {
                tracing::warn!(%told, "could not tell the HQ over both places of an ID number registered in each");
            }
        }
        if many {
            let problem = RowProblem::ManyRegisteredElsewhere;
            return Err(StoreError::Rows(vec![RowError { row: 0, column: Some("id_number"), problem }]));
        }
        Ok(())
    }

    /// Stages the plan, chunk by chunk (step 3), and moves it in, in one transaction (step 4):
    /// `false` if what it was planned from changed before the move (nothing is written then).
    /// The staged rows are deleted either way, even if the import is stopped.
    async fn roster_write(&self, caller: &Caller, into: &Unit, plan: &Plan<'_>, progress: &(dyn Fn(usize) + Send + Sync)) -> StoreResult<bool> {
        let run = uuid::Uuid::now_v7();
        let unfinished = {
            let writer = self.writer.clone();
            Unfinished::new(async move {
                if let Err(err) = Self::roster_discard_run(&writer, run).await {
                    tracing::warn!(%err, "could not delete a stopped roster import's staged rows; the next import will");
                }
            })
        };
        let moved = async {
            if let Some(statement) = Self::BEFORE_BULK {
                sqlx::query(statement).execute(&self.writer).await?;
            }
            Self::roster_stage(&self.writer, caller, &into.path, run, plan, progress).await?;
            Self::roster_move(&self.writer, caller, into, run, plan).await
        }
        .await;
        let after_bulk = match Self::AFTER_BULK {
            Some(statement) => sqlx::raw_sql(statement).execute(&self.writer).await.map(|_| ()),
            None => Ok(()),
        };
        after_bulk?;
        let phase = Instant::now();
        let discarded = Self::roster_discard_run(&self.writer, run).await;
        unfinished.done();
        tracing::debug!(elapsed = ?phase.elapsed(), "roster import: deleted the staged rows");
        match moved? {
            true => {
                if let Err(err) = discarded {
                    tracing::warn!(%err, "could not delete a roster import's staged rows; the next import will");
                }
                Ok(true)
            }
            false => {
                discarded?;
                Ok(false)
            }
        }
    }

    /// What is stored of the file's households (by unit and number) and residents (by
    /// ID number).
    pub(crate) async fn roster_stored(
        reader: &sqlx::Pool<Db>,
        households: &[crate::domain::roster::RosterHousehold],
    ) -> StoreResult<(
        std::collections::HashMap<crate::store::roster::Key, crate::store::roster::StoredHousehold>,
        std::collections::HashMap<String, crate::store::roster::StoredResident>,
    )> {
        use crate::store::roster::*;
        use crate::store::sql::{Dialect as _, JSON_CHUNK, json_rows};
        let mut stored_households = std::collections::HashMap::new();
        let sql = format!(
            "SELECT h.id, h.unit_code, h.household_no, h.head_name, h.address FROM {} JOIN households h ON h.unit_code = j.value ->> 0 AND h.household_no = j.value ->> 1",
            Self::JSON_ROWS
        );
        for chunk in households.chunks(JSON_CHUNK) {
            let keys: Vec<(&str, &str)> = chunk.iter().map(|h| (h.unit_code.as_str(), h.household_no.as_str())).collect();
            let found: Vec<StoredHousehold> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(json_rows(&keys)).fetch_all(reader).await?;
            stored_households.extend(found.into_iter().map(|s| ((s.unit_code.clone(), s.household_no.clone()), s)));
        }
        let mut stored_residents = std::collections::HashMap::new();
        let sql = format!(
            "SELECT r.id, r.id_number, r.household_id, r.unit_path, r.name, r.relation, r.phone, r.residence FROM {} JOIN residents r ON r.id_number = j.value ->> 0",
            Self::JSON_ROWS
        );
        let numbers: Vec<(&str,)> = households.iter().flat_map(|h| &h.residents).map(|r| (r.id_number.as_str(),)).collect();
        for chunk in numbers.chunks(JSON_CHUNK) {
            let found: Vec<StoredResident> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(json_rows(chunk)).fetch_all(reader).await?;
            stored_residents.extend(found.into_iter().map(|s| (s.id_number.clone(), s)));
        }
        Ok((stored_households, stored_residents))
    }

    /// Writes the plan's rows to the staging tables, a chunk a transaction; each chunk's
    /// JSON is built while the database writes the one before.
    pub(crate) async fn roster_stage(
        writer: &sqlx::Pool<Db>,
        caller: &Caller,
        into: &UnitPath,
        run: uuid::Uuid,
        plan: &crate::store::roster::Plan<'_>,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<()> {
        use crate::store::sql::{Dialect as _, JSON_CHUNK};
        let phase = std::time::Instant::now();
        sqlx::query("INSERT INTO import_runs (id, unit_path, started_at) VALUES ($1, $2, $3)")
            .bind(run)
            .bind(into.as_str())
            .bind(caller.now)
            .execute(writer)
            .await?;
        let sql = format!(
            "INSERT INTO import_households (run_id, id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, seen_head_name, seen_address) \
             SELECT $2, {}, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10 FROM {}",
            Self::uuid("j.value ->> 0"),
            Self::JSON_ROWS
        );
        let mut chunks = plan.staged_households.chunks(JSON_CHUNK);
        let mut next = chunks.next().map(|c| plan.household_rows(c));
        while let Some(json) = next.take() {
            let write = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(json).bind(run).execute(writer);
            let (written, built) = tokio::join!(write, async { chunks.next().map(|c| plan.household_rows(c)) });
            written?;
            next = built;
        }
        let sql = format!(
            "INSERT INTO import_residents (run_id, id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, \
             seen_household_id, seen_name, seen_relation, seen_phone, seen_residence) \
             SELECT $2, {}, {}, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, {}, j.value ->> 8, j.value ->> 9, j.value ->> 10, \
             {}, j.value ->> 12, j.value ->> 13, j.value ->> 14, j.value ->> 15 FROM {}",
            Self::uuid("j.value ->> 0"),
            Self::uuid("j.value ->> 1"),
            Self::date("j.value ->> 7"),
            Self::uuid("j.value ->> 11"),
            Self::JSON_ROWS
        );
        let mut written = 0;
        let mut chunks = plan.staged_residents.chunks(JSON_CHUNK);
        let mut next = chunks.next().map(|c| (plan.resident_rows(c), c.len()));
        while let Some((json, count)) = next.take() {
            let write = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(json).bind(run).execute(writer);
            let (written_now, built) = tokio::join!(write, async { chunks.next().map(|c| (plan.resident_rows(c), c.len())) });
            written_now?;
            next = built;
            written += count;
            progress(written);
        }
        tracing::debug!(elapsed = ?phase.elapsed(), "roster import: staged households and residents");
        Ok(())
    }

    /// Moves a run's staged rows in, in one transaction; `false` (and nothing written) if
    /// something the plan relied on changed since it was made: a household or a person
    /// it creates exists now, one it changes is no longer as it was, or the run was taken
    /// for a stopped one and deleted.
    pub(crate) async fn roster_move(
        writer: &sqlx::Pool<Db>,
        caller: &Caller,
        into: &Unit,
        run: uuid::Uuid,
        plan: &crate::store::roster::Plan<'_>,
    ) -> StoreResult<bool> {
        let phase = Instant::now();
        let (households_created, households_updated, residents_created, residents_updated) = plan.counts();
        let mut tx = writer.begin().await?;
        // Each step writes exactly what was planned, or the plan is out of date.
        if !as_planned(&mut tx, sqlx::query("DELETE FROM import_runs WHERE id = $1").bind(run), 1, phase).await? {
            return Ok(false);
        }
        let households_in = sqlx::query(
            "INSERT INTO households (id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, created_at, updated_at) \
                 SELECT id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, $2, $2 \
                 FROM import_households WHERE run_id = $1 AND seen_head_name IS NULL",
        )
        .bind(run)
        .bind(caller.now);
        if !as_planned(&mut tx, households_in, households_created, phase).await? {
            return Ok(false);
        }
        let households_changed = sqlx::query(
            "UPDATE households SET head_name = s.head_name, address = s.address, updated_at = $2 FROM import_households s \
                 WHERE s.run_id = $1 AND s.seen_head_name IS NOT NULL AND households.id = s.id \
                 AND households.head_name = s.seen_head_name AND households.address IS NOT DISTINCT FROM s.seen_address",
        )
        .bind(run)
        .bind(caller.now);
        if !as_planned(&mut tx, households_changed, households_updated, phase).await? {
            return Ok(false);
        }
        let residents_in = sqlx::query(
                "INSERT INTO residents (id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, created_at, updated_at) \
                 SELECT id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, $2, $2 \
                 FROM import_residents WHERE run_id = $1 AND seen_name IS NULL",
            )
            .bind(run)
            .bind(caller.now);
        if !as_planned(&mut tx, residents_in, residents_created, phase).await? {
            return Ok(false);
        }
        let residents_changed = sqlx::query(
            "UPDATE residents SET household_id = s.household_id, unit_path = s.unit_path, county_code = s.county_code, name = s.name, \
                 relation = s.relation, phone = s.phone, residence = s.residence, updated_at = $2 FROM import_residents s \
                 WHERE s.run_id = $1 AND s.seen_name IS NOT NULL AND residents.id = s.id AND residents.household_id = s.seen_household_id \
                 AND residents.name = s.seen_name AND residents.relation = s.seen_relation \
                 AND residents.phone IS NOT DISTINCT FROM s.seen_phone AND residents.residence = s.seen_residence",
        )
        .bind(run)
        .bind(caller.now);
        if !as_planned(&mut tx, residents_changed, residents_updated, phase).await? {
            return Ok(false);
        }
        if households_created > 0 {
            derived::record_first_colours_of_run(&mut tx, caller, run).await?;
        }
        tracing::debug!(elapsed = ?phase.elapsed(), "roster import: first colours");
        derived::refresh(&mut tx, caller, &plan.touched_households, &plan.touched_units).await?;
        tracing::debug!(elapsed = ?phase.elapsed(), "roster import: colours and counts");
        audit(&mut tx, caller, "import", "roster", &into.code, into.path.as_str(), serde_json::json!(plan.summary)).await?;
        tx.commit().await?;
        tracing::debug!(elapsed = ?phase.elapsed(), "roster import: moved the staged rows in");
        Ok(true)
    }

    /// Deletes a run's staged rows and the run. On one writer, a chunk a transaction: a
    /// range of ids, so that no chunk reads past the rows deleted before it.
    pub(crate) async fn roster_discard_run(writer: &sqlx::Pool<Db>, run: uuid::Uuid) -> StoreResult<()> {
        use crate::store::sql::Dialect as _;
        sqlx::query("DELETE FROM import_runs WHERE id = $1").bind(run).execute(writer).await?;
        for table in ["import_residents", "import_households"] {
            if !Self::ONE_WRITER {
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE run_id = $1"))).bind(run).execute(writer).await?;
                continue;
            }
            let end = format!("SELECT id FROM {table} WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT 1 OFFSET {}", crate::store::sql::JSON_CHUNK - 1);
            let mut after = uuid::Uuid::nil();
            loop {
                let last: Option<uuid::Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(end.clone())).bind(run).bind(after).fetch_optional(writer).await?;
                let delete = format!("DELETE FROM {table} WHERE run_id = $1 AND id > $2{}", if last.is_some() { " AND id <= $3" } else { "" });
                let mut query = sqlx::query(sqlx::AssertSqlSafe(delete)).bind(run).bind(after);
                if let Some(last) = last {
                    query = query.bind(last);
                }
                query.execute(writer).await?;
                match last {
                    Some(last) => after = last,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// Deletes what runs that began before `before` staged (their process was killed),
    /// and what ended runs left (their process was killed before they deleted it).
    pub(crate) async fn roster_discard_stale(reader: &sqlx::Pool<Db>, writer: &sqlx::Pool<Db>, before: chrono::DateTime<chrono::Utc>) -> StoreResult<()> {
        let stale: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM import_runs WHERE started_at < $1").bind(before).fetch_all(reader).await?;
        for run in stale {
            tracing::info!(%run, "deleting the staged rows of a roster import that did not end");
            Self::roster_discard_run(writer, run).await?;
        }
        // A run is written before its first staged row and deleted with its last
        // transaction: staged rows without a run are an ended run's. One seek a run.
        for table in ["import_households", "import_residents"] {
            let sql = format!("SELECT run_id FROM {table} WHERE run_id > $1 ORDER BY run_id LIMIT 1");
            let mut after = uuid::Uuid::nil();
            while let Some(run) = sqlx::query_scalar::<_, uuid::Uuid>(sqlx::AssertSqlSafe(sql.clone())).bind(after).fetch_optional(reader).await? {
                let running: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM import_runs WHERE id = $1)").bind(run).fetch_one(reader).await?;
                if !running {
                    Self::roster_discard_run(writer, run).await?;
                }
                after = run;
            }
        }
        Ok(())
    }
}

/// Runs one step of moving a run in: whether it wrote exactly the `expected` rows the plan
/// counted. A step with nothing to write is not run (its statement would still read the
/// run); a unique violation means a household or a person it creates exists now.
async fn as_planned(tx: &mut Tx, step: sqlx::query::Query<'_, Db, <Db as sqlx::Database>::Arguments>, expected: usize, phase: Instant) -> StoreResult<bool> {
    if expected == 0 {
        return Ok(true);
    }
    let done = match step.execute(&mut **tx).await {
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => return Ok(false),
        done => done?.rows_affected(),
    };
    if done != expected as u64 {
        tracing::debug!(done, expected, "roster import: the stored rows changed since the plan");
        return Ok(false);
    }
    tracing::debug!(elapsed = ?phase.elapsed(), done, "roster import: moved in");
    Ok(true)
}
