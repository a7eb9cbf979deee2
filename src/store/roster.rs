//! Roster import: all or nothing, idempotent, and holding the writer only for short
//! transactions and its last one.
//!
//! An import is planned from what is stored (read beside the writer, not on it), then what it
//! will create or change is **staged** (`import_households`, `import_residents`) in chunks,
//! each a short transaction of its own that other writes (check-ins, passages, edits) come
//! between; one last transaction moves the staged rows in, so the import is seen whole or not
//! at all. That transaction grows with the rows it moves (no lookups, no JSON: about 3.5 µs a
//! new resident on SQLite on the 2-core development machine), and first checks that nothing
//! the plan relied on has changed meanwhile (a household or a person it creates now exists,
//! one it changes was changed by someone else); if something has, it writes nothing and the
//! import is planned and staged again. A run's staged rows are deleted when it ends, by a
//! task if the import is dropped (its HTTP client went away), or by a later import if its
//! process was killed (`STALE_RUN`).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use super::scope::Scope;
use crate::domain::roster::{RosterHousehold, RosterResident};
use crate::domain::table::{RowError, RowProblem};
use crate::domain::{Caller, ColourFacts, UnitCode, UnitPath};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// `progress` is told how many residents have been staged so far, and all of them once
    /// they are written.
    async fn import_roster(
        &self,
        caller: &Caller,
        into: &UnitCode,
        households: &[RosterHousehold],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportSummary>;
}

/// How many times an import is planned and staged again when what it planned from changed
/// before its last transaction, before it gives up and asks for the file again.
pub(crate) const ATTEMPTS: usize = 3;

/// A run that began this long before an import is taken for one whose process was killed:
/// that import deletes what it staged. (Staging and moving in all of Tongliao's roster takes
/// under a minute; a run taken for stopped while it was still going finds its rows gone at its
/// last transaction, and is planned and staged again.)
pub(crate) const STALE_RUN: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

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

/// One household of the file: its id (new, or the stored household's) and what is stored.
pub(crate) struct HouseholdPlan<'a> {
    pub household: &'a RosterHousehold,
    pub id: Uuid,
    pub existing: Option<StoredHousehold>,
}

pub(crate) type Key = (String, String);

pub(crate) fn key(h: &RosterHousehold) -> Key {
    (h.unit_code.to_string(), h.household_no.clone())
}

/// What an import writes, decided from the file and what is stored before any of it is.
pub(crate) struct Plan<'a> {
    pub summary: ImportSummary,
    pub households: Vec<HouseholdPlan<'a>>,
    /// The households (indices into `households`) it creates or changes.
    pub staged_households: Vec<usize>,
    /// The residents it creates (no stored record) or changes, with their household's index.
    pub staged_residents: Vec<(&'a RosterResident, usize, Option<StoredResident>)>,
    /// Stored households whose residents change, and so perhaps their colour.
    pub touched_households: Vec<Uuid>,
    /// Units whose figures change.
    pub touched_units: Vec<String>,
    /// Stored paths of the units the file names, by code.
    pub unit_paths: HashMap<String, String>,
}

impl Plan<'_> {
    /// Planned creations and changes of households, and of residents.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let s = &self.summary;
        (s.households_created, s.households_updated, s.residents_created, s.residents_updated)
    }

    pub fn writes_nothing(&self) -> bool {
        self.staged_households.is_empty() && self.staged_residents.is_empty()
    }

    /// Staged household rows, as JSON for the staging statement: (id, unit code, path, county,
    /// number, head, address, colour, cause, seen head, seen address); a new household has a
    /// colour (its residents' residence is all that decides it) and nothing seen.
    pub fn household_rows(&self, chunk: &[usize]) -> String {
        let rows: Vec<_> = chunk
            .iter()
            .map(|&i| {
                let p = &self.households[i];
                let h = p.household;
                let path = self.unit_paths[h.unit_code.as_str()].as_str();
                let (address, colour, seen) = match &p.existing {
                    None => {
                        let (colour, cause) = ColourFacts { renters: h.renters(), ..Default::default() }.colour();
                        (h.address.as_deref(), Some((colour.as_str(), cause.as_str())), None)
                    }
                    Some(e) => (h.address.as_deref().or(e.address.as_deref()), None, Some((e.head_name.as_str(), e.address.as_deref()))),
                };
                (
                    p.id.simple().to_string(),
                    h.unit_code.as_str(),
                    path,
                    UnitPath::county_of(path),
                    h.household_no.as_str(),
                    h.head_name(),
                    address,
                    colour.map(|c| c.0),
                    colour.map(|c| c.1),
                    seen.map(|s| s.0),
                    seen.and_then(|s| s.1),
                )
            })
            .collect();
        super::sql::json_rows(&rows)
    }

    /// Staged resident rows, as JSON for the staging statement: (id, household, path, county,
    /// name, ID number, sex, birth date, relation, phone, residence) and, for a change, what
    /// was stored (household, name, relation, phone, residence).
    pub fn resident_rows(&self, chunk: &[(&RosterResident, usize, Option<StoredResident>)]) -> String {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(r, i, stored)| {
                let h = self.households[*i].household;
                let path = self.unit_paths[h.unit_code.as_str()].as_str();
                (
                    stored.as_ref().map_or_else(Uuid::now_v7, |s| s.id).simple().to_string(),
                    self.households[*i].id.simple().to_string(),
                    path,
                    UnitPath::county_of(path),
                    r.name.as_str(),
                    r.id_number.as_str(),
                    r.id_number.sex().as_str(),
                    r.id_number.birth_date().format("%Y-%m-%d").to_string(),
                    r.relation.as_str(),
                    r.phone.as_ref().map(|p| p.as_str()),
                    r.residence.as_str(),
                    stored.as_ref().map(|s| s.household_id.simple().to_string()),
                    stored.as_ref().map(|s| s.name.as_str()),
                    stored.as_ref().map(|s| s.relation.as_str()),
                    stored.as_ref().and_then(|s| s.phone.as_deref()),
                    stored.as_ref().map(|s| s.residence.as_str()),
                )
            })
            .collect();
        super::sql::json_rows(&rows)
    }
}

/// The most rows a refused roster names of people registered where the caller holds nothing;
/// past it the file is refused whole, naming none, so that it cannot probe ID numbers in bulk.
pub(crate) const MAX_NAMED_ELSEWHERE: usize = 20;

/// Plans an import from the file and what is stored of it: every resident stored outside
/// `into` (the subtree imported into) is an error by row. `unit_paths` holds the path of every unit the file names.
pub(crate) fn plan<'a>(
    households: &'a [RosterHousehold],
    unit_paths: HashMap<String, String>,
    into: &Scope,
    mut stored_households: HashMap<Key, StoredHousehold>,
    mut stored_residents: HashMap<String, StoredResident>,
) -> Result<Plan<'a>, Vec<RowError>> {
    let errors: Vec<RowError> = households
        .iter()
        .flat_map(|h| &h.residents)
        .filter(|r| stored_residents.get(r.id_number.as_str()).is_some_and(|s| !into.contains(&s.unit_path)))
        .map(|r| RowError { row: r.row, column: Some("id_number"), problem: RowProblem::RegisteredElsewhere })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let households: Vec<HouseholdPlan> = households
        .iter()
        .map(|h| {
            let existing = stored_households.remove(&key(h));
            HouseholdPlan { household: h, id: existing.as_ref().map_or_else(Uuid::now_v7, |e| e.id), existing }
        })
        .collect();
    let mut summary = ImportSummary::default();
    let mut staged_households = Vec::new();
    let mut staged_residents = Vec::new();
    let mut touched_households = Vec::new();
    let mut touched_units: HashSet<String> = HashSet::new();
    for (i, p) in households.iter().enumerate() {
        let h = p.household;
        match &p.existing {
            None => {
                summary.households_created += 1;
                staged_households.push(i);
                touched_units.insert(h.unit_code.to_string());
            }
            Some(e) if e.head_name == h.head_name() && e.address.as_deref() == h.address.as_deref().or(e.address.as_deref()) => {
                summary.households_unchanged += 1
            }
            Some(_) => {
                summary.households_updated += 1;
                staged_households.push(i);
            }
        }
        for r in &h.residents {
            let Some(stored) = stored_residents.remove(r.id_number.as_str()) else {
                summary.residents_created += 1;
                staged_residents.push((r, i, None));
                // An existing household that gains residents may change colour and counts.
                if p.existing.is_some() {
                    touched_households.push(p.id);
                    touched_units.insert(h.unit_code.to_string());
                }
                continue;
            };
            let phone = r.phone.as_ref().map(|p| p.as_str());
            let same = stored.household_id == p.id
                && stored.name == r.name
                && stored.relation == r.relation
                && stored.phone.as_deref() == phone
                && stored.residence == r.residence.as_str();
            if same {
                summary.residents_unchanged += 1;
                continue;
            }
            summary.residents_updated += 1;
            touched_households.push(p.id);
            touched_units.insert(h.unit_code.to_string());
            if stored.household_id != p.id {
                // A resident's path is their household's: its last code is the household's unit.
                touched_households.push(stored.household_id);
                touched_units.extend(UnitPath::from_stored(stored.unit_path.clone()).codes().last().map(str::to_string));
            }
            staged_residents.push((r, i, Some(stored)));
        }
    }
    touched_households.sort();
    touched_households.dedup();
    // New households are written with their colour: only stored ones are re-derived.
    let created: HashSet<Uuid> = households.iter().filter(|p| p.existing.is_none()).map(|p| p.id).collect();
    touched_households.retain(|id| !created.contains(id));
    Ok(Plan { summary, households, staged_households, staged_residents, touched_households, touched_units: touched_units.into_iter().collect(), unit_paths })
}

/// What a run staged, deleted if the import is dropped before it ends (its HTTP client went
/// away): a task started then deletes it. `done` when the import deleted it itself.
pub(crate) struct Unfinished(Option<Pin<Box<dyn Future<Output = ()> + Send + 'static>>>);

impl Unfinished {
    pub fn new(discard: impl Future<Output = ()> + Send + 'static) -> Unfinished {
        Unfinished(Some(Box::pin(discard)))
    }

    pub fn done(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let (Some(discard), Ok(runtime)) = (self.0.take(), tokio::runtime::Handle::try_current()) {
            runtime.spawn(discard);
        }
    }
}
