//! Roster import: all or nothing, in one transaction, idempotent.

use async_trait::async_trait;
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::roster::RosterHousehold;
use crate::domain::{Caller, UnitCode};


#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub households_created: usize,
    pub households_updated: usize,
    pub households_unchanged: usize,
    pub residents_created: usize,
    pub residents_updated: usize,
    pub residents_unchanged: usize,
}

#[async_trait]
pub trait RosterStore {
    /// Writes a parsed roster under `into` (which must be in the caller's scope). Every
    /// household's unit must lie under `into`, and no resident may already be registered
    /// outside it; otherwise nothing is written and every offending row is named.
    /// `progress` is told how many residents have been written so far.
    async fn import_roster(
        &self,
        caller: &Caller,
        into: &UnitCode,
        households: &[RosterHousehold],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportSummary>;
}

/// What is already stored of a household in the file.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredHousehold {
    pub id: Uuid,
    pub unit_code: String,
    pub household_no: String,
    pub head_name: String,
    pub address: Option<String>,
}

/// What is already stored of a resident in the file.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredResident {
    pub id: Uuid,
    pub id_number: String,
    pub household_id: Uuid,
    pub unit_path: String,
    pub name: String,
    pub relation: String,
    pub phone: Option<String>,
    pub residence: String,
}

/// The plan for one household of the file, decided before anything is written.
pub(crate) struct HouseholdPlan<'a> {
    pub household: &'a RosterHousehold,
    pub id: Uuid,
    pub existing: Option<StoredHousehold>,
}

pub(crate) type Key = (String, String);

pub(crate) fn key(h: &RosterHousehold) -> Key {
    (h.unit_code.to_string(), h.household_no.clone())
}

macro_rules! impl_roster {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::RosterStore for $store {
            async fn import_roster(
                &self,
                caller: &$crate::domain::Caller,
                into: &$crate::domain::UnitCode,
                households: &[$crate::domain::roster::RosterHousehold],
                progress: &(dyn Fn(usize) + Send + Sync),
            ) -> $crate::store::StoreResult<$crate::store::ImportSummary> {
                use std::collections::{HashMap, HashSet};
                use $crate::domain::table::{RowError, RowProblem};
                use $crate::store::roster::*;
                use $crate::store::sql::CHUNK;

                let into = self.unit(&caller.scope, into).await?.ok_or($crate::store::StoreError::NotFound)?;
                let (low, high) = into.path.range();

                // 1. Every unit named in the file must lie under `into`.
                let codes: Vec<String> = households.iter().map(|h| h.unit_code.to_string()).collect::<HashSet<_>>().into_iter().collect();
                let mut unit_paths: HashMap<String, String> = HashMap::new();
                for chunk in codes.chunks(CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT code, path FROM units WHERE path >= ");
                    query.push_bind(low.as_str()).push(" AND path < ").push_bind(high.as_str()).push(" AND code IN (");
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
                    return Err($crate::store::StoreError::Rows(errors));
                }

                let mut tx = self.writer.begin().await?;

                let phase = std::time::Instant::now();
                // 2. Look up what is stored already, inside the transaction so nothing moves under us.
                use $crate::store::sql::{Dialect as _, JSON_CHUNK, json_rows};
                let mut stored_households: HashMap<Key, StoredHousehold> = HashMap::new();
                let sql = format!(
                    "SELECT h.id, h.unit_code, h.household_no, h.head_name, h.address FROM {} JOIN households h ON h.unit_code = j.value ->> 0 AND h.household_no = j.value ->> 1",
                    Self::JSON_ROWS
                );
                for chunk in households.chunks(JSON_CHUNK) {
                    let keys: Vec<(&str, &str)> = chunk.iter().map(|h| (h.unit_code.as_str(), h.household_no.as_str())).collect();
                    let found: Vec<StoredHousehold> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(json_rows(&keys)).fetch_all(&mut *tx).await?;
                    stored_households.extend(found.into_iter().map(|s| ((s.unit_code.clone(), s.household_no.clone()), s)));
                }
                let residents: Vec<(&$crate::domain::roster::RosterResident, &$crate::domain::roster::RosterHousehold)> =
                    households.iter().flat_map(|h| h.residents.iter().map(move |r| (r, h))).collect();
                let mut stored_residents: HashMap<String, StoredResident> = HashMap::new();
                let sql = format!(
                    "SELECT r.id, r.id_number, r.household_id, r.unit_path, r.name, r.relation, r.phone, r.residence FROM {} JOIN residents r ON r.id_number = j.value ->> 0",
                    Self::JSON_ROWS
                );
                for chunk in residents.chunks(JSON_CHUNK) {
                    let keys: Vec<(&str,)> = chunk.iter().map(|(r, _)| (r.id_number.as_str(),)).collect();
                    let found: Vec<StoredResident> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(json_rows(&keys)).fetch_all(&mut *tx).await?;
                    stored_residents.extend(found.into_iter().map(|s| (s.id_number.clone(), s)));
                }
                for (r, _) in &residents {
                    if let Some(s) = stored_residents.get(r.id_number.as_str()) {
                        if !(low.as_str() <= s.unit_path.as_str() && s.unit_path.as_str() < high.as_str()) {
                            errors.push(RowError { row: r.row, column: Some("id_number"), problem: RowProblem::RegisteredElsewhere });
                        }
                    }
                }
                if !errors.is_empty() {
                    return Err($crate::store::StoreError::Rows(errors));
                }

                tracing::debug!(elapsed = ?phase.elapsed(), "roster import: looked up stored households and residents");
                let phase = std::time::Instant::now();
                // 3. Write: new households and residents in bulk, changed ones one by one.
                let mut summary = $crate::store::ImportSummary::default();
                let plans: Vec<HouseholdPlan> = households
                    .iter()
                    .map(|h| {
                        let existing = stored_households.remove(&key(h));
                        HouseholdPlan { household: h, id: existing.as_ref().map_or_else(uuid::Uuid::now_v7, |e| e.id), existing }
                    })
                    .collect();
                let mut touched_units: HashSet<String> = HashSet::new();
                let mut touched_households: Vec<uuid::Uuid> = Vec::new();
                let new_households: Vec<&HouseholdPlan> = plans.iter().filter(|p| p.existing.is_none()).collect();
                let sql = format!(
                    "INSERT INTO households (id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, created_at, updated_at) \
                     SELECT {}, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, $2, $2 FROM {}",
                    Self::uuid("j.value ->> 0"),
                    Self::JSON_ROWS
                );
                let colour_sql = Self::colour_changes_sql();
                // Each chunk's JSON (households and their first colours) is built while the
                // database writes the one before.
                let build = |chunk: &[&HouseholdPlan]| {
                    // A household new to the store has no isolation or returnee facts yet: its
                    // residents' residence is all that decides its colour.
                    let colours: Vec<_> = chunk
                        .iter()
                        .map(|p| {
                            let (colour, cause) = $crate::domain::ColourFacts { renters: p.household.renters(), ..Default::default() }.colour();
                            (p.id, None, colour, cause)
                        })
                        .collect();
                    let rows: Vec<_> = chunk
                        .iter()
                        .zip(&colours)
                        .map(|(plan, (_, _, colour, cause))| {
                            let h = plan.household;
                            let path = unit_paths[h.unit_code.as_str()].as_str();
                            let county = $crate::domain::UnitPath::from_stored(path.to_string()).county_code().map(str::to_string);
                            (plan.id.simple().to_string(), h.unit_code.as_str(), path, county, h.household_no.as_str(), h.head_name(), h.address.as_deref(), colour.as_str(), cause.as_str())
                        })
                        .collect();
                    (json_rows(&rows), $crate::store::households::colour_changes_json(&colours))
                };
                let mut chunks = new_households.chunks(JSON_CHUNK);
                let mut next = chunks.next().map(&build);
                while let Some((households_json, colours_json)) = next.take() {
                    let write = async {
                        sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(households_json).bind(caller.now).execute(&mut *tx).await?;
                        sqlx::query(sqlx::AssertSqlSafe(colour_sql.clone())).bind(colours_json).bind(caller.now).bind(caller.login.as_str()).execute(&mut *tx).await
                    };
                    let (written, built) = tokio::join!(write, async { chunks.next().map(&build) });
                    written?;
                    next = built;
                }
                summary.households_created = new_households.len();
                touched_units.extend(new_households.iter().map(|p| p.household.unit_code.to_string()));
                for plan in plans.iter().filter(|p| p.existing.is_some()) {
                    let existing = plan.existing.as_ref().expect("filtered");
                    let h = plan.household;
                    let address = h.address.clone().or(existing.address.clone());
                    if existing.head_name == h.head_name() && existing.address == address {
                        summary.households_unchanged += 1;
                        continue;
                    }
                    sqlx::query("UPDATE households SET head_name = $1, address = $2, updated_at = $3 WHERE id = $4")
                        .bind(h.head_name())
                        .bind(&address)
                        .bind(caller.now)
                        .bind(plan.id)
                        .execute(&mut *tx)
                        .await?;
                    summary.households_updated += 1;
                }
                tracing::debug!(elapsed = ?phase.elapsed(), "roster import: wrote households");
                let phase = std::time::Instant::now();

                let plan_of: HashMap<Key, &HouseholdPlan> = plans.iter().map(|p| (key(p.household), p)).collect();
                let mut written = 0;
                let new_residents: Vec<_> = residents.iter().filter(|(r, _)| !stored_residents.contains_key(r.id_number.as_str())).collect();
                let sql = format!(
                    "INSERT INTO residents (id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, created_at, updated_at) \
                     SELECT {}, {}, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, {}, j.value ->> 8, j.value ->> 9, j.value ->> 10, $2, $2 FROM {}",
                    Self::uuid("j.value ->> 0"),
                    Self::uuid("j.value ->> 1"),
                    Self::date("j.value ->> 7"),
                    Self::JSON_ROWS
                );
                // Each chunk's JSON is built while the database writes the one before.
                // (the household's address in memory, its id, its county)
                let mut household_of: Option<(usize, String, Option<String>)> = None;
                let mut chunk_rows = |chunk: &[&(&$crate::domain::roster::RosterResident, &$crate::domain::roster::RosterHousehold)]| {
                    let mut rows = Vec::with_capacity(chunk.len());
                    for (r, h) in chunk {
                        // Residents come household by household: look each household up once.
                        let address = std::ptr::from_ref::<$crate::domain::roster::RosterHousehold>(h) as usize;
                        if !household_of.as_ref().is_some_and(|(last, _, _)| *last == address) {
                            let path = unit_paths[h.unit_code.as_str()].clone();
                            let county = $crate::domain::UnitPath::from_stored(path.clone()).county_code().map(str::to_string);
                            household_of = Some((address, plan_of[&key(h)].id.simple().to_string(), county));
                        }
                        let (_, household_id, county) = household_of.as_ref().expect("set above");
                        rows.push((
                            uuid::Uuid::now_v7().simple().to_string(),
                            household_id.clone(),
                            unit_paths[h.unit_code.as_str()].as_str(),
                            county.clone(),
                            r.name.as_str(),
                            r.id_number.as_str(),
                            r.id_number.sex().as_str(),
                            r.id_number.birth_date().format("%Y-%m-%d").to_string(),
                            r.relation.as_str(),
                            r.phone.as_ref().map(|p| p.as_str()),
                            r.residence.as_str(),
                        ));
                    }
                    (json_rows(&rows), rows.len())
                };
                let mut chunks = new_residents.chunks(JSON_CHUNK);
                let mut next = chunks.next().map(&mut chunk_rows);
                while let Some((json, count)) = next.take() {
                    let write = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(json).bind(caller.now).execute(&mut *tx);
                    let (written_now, built) = tokio::join!(write, async { chunks.next().map(&mut chunk_rows) });
                    written_now?;
                    next = built;
                    written += count;
                    progress(written);
                }
                summary.residents_created = new_residents.len();
                for (r, h) in residents.iter().filter(|(r, _)| stored_residents.contains_key(r.id_number.as_str())) {
                    let stored = &stored_residents[r.id_number.as_str()];
                    let plan = plan_of[&key(h)];
                    let path = &unit_paths[h.unit_code.as_str()];
                    let phone = r.phone.as_ref().map(|p| p.as_str().to_string());
                    let same = stored.household_id == plan.id
                        && stored.name == r.name
                        && stored.relation == r.relation
                        && stored.phone == phone
                        && stored.residence == r.residence.as_str();
                    if same {
                        summary.residents_unchanged += 1;
                        continue;
                    }
                    sqlx::query("UPDATE residents SET household_id = $1, unit_path = $2, name = $3, relation = $4, phone = $5, residence = $6, updated_at = $7 WHERE id = $8")
                        .bind(plan.id)
                        .bind(path.as_str())
                        .bind(r.name.as_str())
                        .bind(r.relation.as_str())
                        .bind(&phone)
                        .bind(r.residence.as_str())
                        .bind(caller.now)
                        .bind(stored.id)
                        .execute(&mut *tx)
                        .await?;
                    summary.residents_updated += 1;
                    touched_households.push(plan.id);
                    touched_units.insert(h.unit_code.to_string());
                    if stored.household_id != plan.id {
                        touched_households.push(stored.household_id);
                        let old_unit: String = sqlx::query_scalar("SELECT unit_code FROM households WHERE id = $1").bind(stored.household_id).fetch_one(&mut *tx).await?;
                        touched_units.insert(old_unit);
                    }
                }
                progress(residents.len());
                tracing::debug!(elapsed = ?phase.elapsed(), "roster import: wrote residents");
                let phase = std::time::Instant::now();
                // Existing households that gained residents may change colour.
                touched_households.extend(plans.iter().filter(|p| p.existing.is_some()).map(|p| p.id));
                touched_units.extend(plans.iter().filter(|p| p.existing.is_some() && p.household.residents.iter().any(|r| !stored_residents.contains_key(r.id_number.as_str()))).map(|p| p.household.unit_code.to_string()));
                touched_households.sort();
                touched_households.dedup();
                Self::refresh_colours(&mut tx, caller, &touched_households).await?;
                let touched_units: Vec<String> = touched_units.into_iter().collect();
                Self::refresh_counts(&mut tx, &touched_units).await?;
                if summary != ($crate::store::ImportSummary { households_unchanged: households.len(), residents_unchanged: residents.len(), ..Default::default() }) {
                    $crate::store::sql::audit!(tx, caller, "import", "roster", into.code, into.path.as_str(), serde_json::json!(summary));
                }
                tracing::debug!(elapsed = ?phase.elapsed(), "roster import: refreshed colours and counts");
                let phase = std::time::Instant::now();
                tx.commit().await?;
                tracing::debug!(elapsed = ?phase.elapsed(), "roster import: committed");
                if let Some(statement) = Self::AFTER_BULK {
                    sqlx::query(statement).execute(&self.writer).await?;
                }
                Ok(summary)
            }
        }
    };
}
pub(crate) use impl_roster;
