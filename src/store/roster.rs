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

                // 2. Look up what is stored already, inside the transaction so nothing moves under us.
                let mut stored_households: HashMap<Key, StoredHousehold> = HashMap::new();
                for chunk in households.chunks(CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT id, unit_code, household_no, head_name, address FROM households WHERE (unit_code, household_no) IN (");
                    let mut list = query.separated(", ");
                    for h in chunk {
                        list.push("(").push_bind_unseparated(h.unit_code.as_str()).push_unseparated(", ").push_bind_unseparated(h.household_no.as_str()).push_unseparated(")");
                    }
                    query.push(")");
                    let found: Vec<StoredHousehold> = query.build_query_as().fetch_all(&mut *tx).await?;
                    stored_households.extend(found.into_iter().map(|s| ((s.unit_code.clone(), s.household_no.clone()), s)));
                }
                let residents: Vec<(&$crate::domain::roster::RosterResident, &$crate::domain::roster::RosterHousehold)> =
                    households.iter().flat_map(|h| h.residents.iter().map(move |r| (r, h))).collect();
                let mut stored_residents: HashMap<String, StoredResident> = HashMap::new();
                for chunk in residents.chunks(CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT id, id_number, household_id, unit_path, name, relation, phone, residence FROM residents WHERE id_number IN (");
                    let mut list = query.separated(", ");
                    for (r, _) in chunk {
                        list.push_bind(r.id_number.as_str());
                    }
                    query.push(")");
                    let found: Vec<StoredResident> = query.build_query_as().fetch_all(&mut *tx).await?;
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
                for chunk in new_households.chunks(CHUNK) {
                    let mut query = sqlx::QueryBuilder::new(
                        "INSERT INTO households (id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, created_at, updated_at) ",
                    );
                    query.push_values(chunk, |mut row, plan| {
                        let h = plan.household;
                        let path = $crate::domain::UnitPath::from_stored(unit_paths[h.unit_code.as_str()].clone());
                        // A household new to the store has no isolation or returnee facts yet:
                        // its residents' residence is all that decides its colour.
                        let (colour, cause) = $crate::domain::ColourFacts { renters: h.renters(), ..Default::default() }.colour();
                        row.push_bind(plan.id)
                            .push_bind(h.unit_code.as_str())
                            .push_bind(path.as_str().to_string())
                            .push_bind(path.county_code().map(str::to_string))
                            .push_bind(h.household_no.as_str())
                            .push_bind(h.head_name())
                            .push_bind(h.address.as_deref())
                            .push_bind(colour.as_str())
                            .push_bind(cause.as_str())
                            .push_bind(caller.now)
                            .push_bind(caller.now);
                    });
                    query.build().execute(&mut *tx).await?;
                    Self::record_colour_changes(
                        &mut tx,
                        caller,
                        chunk.iter().map(|p| {
                            let (colour, cause) = $crate::domain::ColourFacts { renters: p.household.renters(), ..Default::default() }.colour();
                            (p.id, None, colour, cause)
                        }),
                    )
                    .await?;
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

                let plan_of: HashMap<Key, &HouseholdPlan> = plans.iter().map(|p| (key(p.household), p)).collect();
                let mut written = 0;
                let new_residents: Vec<_> = residents.iter().filter(|(r, _)| !stored_residents.contains_key(r.id_number.as_str())).collect();
                for chunk in new_residents.chunks(CHUNK) {
                    let mut query = sqlx::QueryBuilder::new(
                        "INSERT INTO residents (id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, created_at, updated_at) ",
                    );
                    query.push_values(chunk, |mut row, (r, h)| {
                        let path = &unit_paths[h.unit_code.as_str()];
                        row.push_bind(uuid::Uuid::now_v7())
                            .push_bind(plan_of[&key(h)].id)
                            .push_bind(path.as_str())
                            .push_bind($crate::domain::UnitPath::from_stored(path.clone()).county_code().map(str::to_string))
                            .push_bind(r.name.as_str())
                            .push_bind(r.id_number.as_str())
                            .push_bind(r.id_number.sex().as_str())
                            .push_bind(r.id_number.birth_date())
                            .push_bind(r.relation.as_str())
                            .push_bind(r.phone.as_ref().map(|p| p.as_str().to_string()))
                            .push_bind(r.residence.as_str())
                            .push_bind(caller.now)
                            .push_bind(caller.now);
                    });
                    query.build().execute(&mut *tx).await?;
                    written += chunk.len();
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
                tx.commit().await?;
                Ok(summary)
            }
        }
    };
}
pub(crate) use impl_roster;
