//! Screening (排查): key areas, returnees with their observation window, and door-to-door
//! rounds with their coverage. A returnee's facts colour the household in the same
//! transaction that writes them.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{NewResident, StoreResult};
use crate::domain::{Caller, Health, IdNumber, KeyArea, Stay, Temperature, Transport, UnitCode, UnitPath, VisitOutcome};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = KeyArea)]
pub struct KeyAreaRecord {
    pub id: Uuid,
    /// A division code (42, 4201, 420102) or a name (湖北省, 武汉市).
    pub area: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// The unit whose subtree it applies to.
    #[schema(value_type = String)]
    pub unit_path: UnitPath,
    pub created_by: String,
    /// The place's name when `area` is a code: from the imported divisions, else the
    /// province's (42 → 湖北省; 4201 → 湖北省 4201).
    pub area_name: Option<String>,
}

/// Who arrived: a resident already on the roster, or someone to add to a household.
#[derive(Debug, Clone)]
pub enum Arrival {
    Resident(Uuid),
    /// Found by ID number in the caller's subtree, else added to `household_id` as `resident`.
    Person {
        resident: NewResident,
        household_id: Option<Uuid>,
    },
}

#[derive(Debug, Clone)]
pub struct NewReturnee {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub arrival: Arrival,
    pub origin: String,
    pub travel: Vec<Stay>,
    pub arrived_at: DateTime<Utc>,
    pub transport: Transport,
    pub transport_detail: Option<String>,
    pub health: Health,
    pub temperature: Option<Temperature>,
    pub contacts: Option<String>,
    pub expected_departure: Option<NaiveDate>,
    pub observe_until: DateTime<Utc>,
}

/// A returnee as lists show them: ID number and phone masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Returnee)]
pub struct ReturneeItem {
    pub id: Uuid,
    pub resident_id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    pub name: String,
    /// Masked.
    pub id_number: String,
    pub address: Option<String>,
    pub origin: String,
    pub travel: Vec<Stay>,
    pub arrived_at: DateTime<Utc>,
    pub transport: Transport,
    pub transport_detail: Option<String>,
    pub health: Health,
    pub temperature: Option<f64>,
    pub expected_departure: Option<NaiveDate>,
    pub observe_until: DateTime<Utc>,
    pub in_observation: bool,
    pub from_key_area: bool,
}

/// The 四知四清 figures of a subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScreeningFigures {
    pub households: i64,
    pub residents: i64,
    pub returnees: i64,
    pub returnees_from_key_areas: i64,
    pub in_observation: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: Uuid,
    pub unit_code: String,
    pub name: String,
    pub opened_at: DateTime<Utc>,
    pub households: i64,
    pub visited: i64,
    /// Only when every household of the unit has been visited (不漏一户).
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageRow {
    pub code: String,
    pub name: String,
    pub households: i64,
    pub visited: i64,
    pub not_visited: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unvisited {
    pub id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    pub head_name: String,
    pub address: Option<String>,
    /// The last outcome if someone went and found nobody home, or was refused.
    pub last_outcome: Option<VisitOutcome>,
}

#[async_trait]
pub trait ScreeningStore {
    /// Declares a key area over the caller's scope, and re-derives the returnees below it.
    async fn add_key_area(&self, caller: &Caller, area: &KeyArea) -> StoreResult<KeyAreaRecord>;
    async fn remove_key_area(&self, caller: &Caller, id: Uuid) -> StoreResult<()>;
    /// Key areas that apply anywhere in the scope: declared above it or inside it.
    async fn key_areas(&self, scope: &UnitPath) -> StoreResult<Vec<KeyAreaRecord>>;
    /// Registers a returnee (adding them to a household if new) and colours the household.
    /// A retried request (same id) returns the first registration.
    async fn register_returnee(&self, caller: &Caller, returnee: &NewReturnee) -> StoreResult<ReturneeItem>;
    /// The returnees of a unit's subtree, newest arrival first, and its 四知四清 figures.
    async fn returnees(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        now: DateTime<Utc>,
        from: u32,
        limit: u32,
    ) -> StoreResult<Option<(ScreeningFigures, Vec<ReturneeItem>)>>;
    /// Returnees from key areas, in their observation window, with no isolation order under
    /// way: each needs a grid leader's decision (the inbox's "returnee to screen"). The
    /// `first` who arrived earliest, and how many there are in all.
    async fn returnees_to_screen(&self, scope: &UnitPath, now: DateTime<Utc>, first: u32) -> StoreResult<(Vec<ReturneeItem>, i64)>;
    /// Re-derives the colours of households whose returnees' windows have ended by `caller.now`.
    async fn expire_observations(&self, caller: &Caller) -> StoreResult<usize>;
    async fn open_round(&self, caller: &Caller, unit: &UnitCode, name: &str) -> StoreResult<Round>;
    /// Open rounds covering a unit (on it or above it), with the unit's coverage.
    async fn rounds(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Round>>>;
    /// Records (or replaces) a household's visit in a round.
    async fn record_visit(&self, caller: &Caller, round: Uuid, household: Uuid, outcome: VisitOutcome, note: Option<&str>) -> StoreResult<()>;
    /// Coverage of a round below a unit: one row per child unit (or the unit itself).
    async fn coverage(&self, scope: &UnitPath, round: Uuid, unit: &UnitCode) -> StoreResult<Option<Vec<CoverageRow>>>;
    /// Households below a unit not yet visited in a round.
    /// The households below `unit` not visited in the round: `limit` of them from the
    /// `from`th, and how many in all.
    async fn unvisited(&self, scope: &UnitPath, round: Uuid, unit: &UnitCode, from: u32, limit: u32) -> StoreResult<Option<(Vec<Unvisited>, i64)>>;
}

/// Every stay that counts for key areas: the travel history and the origin up to arrival.
pub(crate) fn stays_of(origin: &str, travel: &[Stay], arrived_at: DateTime<Utc>) -> Vec<Stay> {
    let mut stays = travel.to_vec();
    let arrival = crate::domain::time::local_date(arrived_at);
    stays.push(Stay { place: origin.to_string(), from: None, to: Some(arrival) });
    stays
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReturneeRow {
    pub id: Uuid,
    pub resident_id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    pub name: String,
    pub id_number: String,
    pub address: Option<String>,
    pub origin: String,
    pub travel: String,
    pub arrived_at: DateTime<Utc>,
    #[sqlx(try_from = "String")]
    pub transport: Transport,
    pub transport_detail: Option<String>,
    #[sqlx(try_from = "String")]
    pub health: Health,
    pub temperature: Option<f64>,
    pub expected_departure: Option<NaiveDate>,
    pub observe_until: DateTime<Utc>,
    pub from_key_area: bool,
}

impl ReturneeRow {
    pub(crate) fn item(self, now: DateTime<Utc>) -> super::StoreResult<ReturneeItem> {
        let travel = serde_json::from_str(&self.travel).map_err(|_| crate::domain::UnknownWord { kind: "travel", word: self.travel.clone() })?;
        Ok(ReturneeItem {
            id: self.id,
            resident_id: self.resident_id,
            household_id: self.household_id,
            unit_code: self.unit_code,
            name: self.name,
            id_number: crate::domain::id_number::mask(&self.id_number),
            address: self.address,
            origin: self.origin,
            travel,
            arrived_at: self.arrived_at,
            transport: self.transport,
            transport_detail: self.transport_detail,
            health: self.health,
            temperature: self.temperature,
            expected_departure: self.expected_departure,
            observe_until: self.observe_until,
            in_observation: self.observe_until > now,
            from_key_area: self.from_key_area,
        })
    }
}

pub(crate) const RETURNEE_SELECT: &str = "SELECT t.id, t.resident_id, t.household_id, h.unit_code, r.name, r.id_number, h.address, t.origin, t.travel, t.arrived_at, \
     t.transport, t.transport_detail, t.health, t.temperature, t.expected_departure, t.observe_until, t.from_key_area \
     FROM returnees t JOIN residents r ON r.id = t.resident_id JOIN households h ON h.id = t.household_id";

#[derive(sqlx::FromRow)]
pub(crate) struct KeyAreaRow {
    pub id: Uuid,
    pub area: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub unit_path: String,
    pub created_by: String,
}

pub(crate) const KEY_AREA_SELECT: &str = "SELECT id, area, valid_from, valid_to, unit_path, created_by FROM key_areas";

/// The key areas that apply at a path: those declared on it or above it.
pub(crate) fn areas_over(rows: &[KeyAreaRow], path: &str) -> Vec<KeyArea> {
    rows.iter()
        .filter(|row| path.starts_with(row.unit_path.as_str()))
        .map(|row| KeyArea { area: row.area.clone(), valid_from: row.valid_from, valid_to: row.valid_to })
        .collect()
}

impl From<KeyAreaRow> for KeyAreaRecord {
    fn from(row: KeyAreaRow) -> KeyAreaRecord {
        KeyAreaRecord {
            id: row.id,
            area: row.area,
            valid_from: row.valid_from,
            valid_to: row.valid_to,
            unit_path: UnitPath::from_stored(row.unit_path),
            created_by: row.created_by,
            area_name: None,
        }
    }
}

/// Parses an ID number read back from storage.
pub(crate) fn stored_id_number(raw: &str) -> Option<IdNumber> {
    IdNumber::parse(raw).ok()
}
