//! Screening: key areas, returnee registration, door-to-door rounds. Inputs arrive as
//! people typed them (JSON or a form) and are parsed here into domain types.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::{DomainError, Problems, Reason};
use crate::domain::screening::observe_until;
use crate::domain::text::{label, optional, optional_label, optional_text, person_name};
use crate::domain::time::Window;
use crate::domain::{Caller, Health, IdNumber, KeyArea, Phone, Residence, Stay, Temperature, Transport, UnitCode, VisitOutcome};
use crate::domain::{Permission, UnitPath};
use crate::store::{Arrival, NewResident, NewReturnee};
pub use crate::store::{CoverageRow, KeyAreaRecord, ReturneeItem, Round, ScreeningFigures, Unit, Unvisited};

use super::{App, AppError};

/// At most this many stays in one travel history.
const MAX_STAYS: usize = 30;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct KeyAreaInput {
    /// A division code (42, 4201, 420102) or a name (湖北省, 武汉市).
    pub area: String,
    /// The first day it is a key area (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub valid_from: String,
    /// The last day, if it is known (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub valid_to: Option<String>,
}

/// Parses a unit's code from a path or a query: one that cannot be a code is not found.
fn unit_code(raw: &str) -> Result<UnitCode, AppError> {
    UnitCode::parse(raw).map_err(|_| AppError::NotFound)
}

/// The key areas that apply in the caller's subtree: anyone logged in may read them.
pub async fn key_areas(app: &App, caller: &Caller) -> Result<Vec<KeyAreaRecord>, AppError> {
    Ok(app.store.key_areas(&caller.scope).await?)
}

/// Declares a key area over the caller's subtree (HQ); the returnees below are re-derived.
pub async fn add_key_area(app: &App, caller: &Caller, input: &KeyAreaInput) -> Result<KeyAreaRecord, AppError> {
    caller.require(caller.role.may(Permission::Command), "declare key areas")?;
    // Every problem at once: the days first, then the area over them.
    let mut problems = Problems::default();
    let valid_to = problems.check(optional(input.valid_to.as_deref().unwrap_or_default(), |to| Window::KEY_AREA.date("valid_to", to, caller.now)));
    let valid_from = problems.check(Window::KEY_AREA.date("valid_from", &input.valid_from, caller.now));
    let area = match (valid_from, valid_to) {
        (Some(from), Some(to)) => problems.check(KeyArea::new(&input.area, from, to)),
        _ => {
            // The area on its own, over any days, so that its problem is said too.
            let _ = problems.check(KeyArea::new(&input.area, caller.now.date_naive(), None));
            None
        }
    };
    problems.finish()?;
    let Some(area) = area else { unreachable!("a field without a value has its problem kept") };
    Ok(app.store.add_key_area(caller, &area).await?)
}

/// Removes a key area (HQ); the returnees below are re-derived.
pub async fn remove_key_area(app: &App, caller: &Caller, id: Uuid) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::Command), "declare key areas")?;
    Ok(app.store.remove_key_area(caller, id).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StayInput {
    pub place: String,
    #[schema(format = Date)]
    pub from: Option<String>,
    #[schema(format = Date)]
    pub to: Option<String>,
}

/// A returnee as the API and the form give one: either `resident_id`, or an ID number and
/// name (with `household_id` for someone not yet on the roster).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReturneeInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again
    /// answers the stored record; the id with another body, another kind of record or from
    /// outside the record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    /// A resident already on the roster; else `id_number` and `name` (and `household_id`
    /// for someone not yet on it).
    pub resident_id: Option<Uuid>,
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub relation: String,
    pub household_id: Option<Uuid>,
    pub origin: String,
    pub travel: Vec<StayInput>,
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`; from a year back to now (5 minutes
    /// ahead at most).
    pub arrived_at: String,
    /// train, bus, car, flight or other.
    #[schema(value_type = Transport)]
    pub transport: String,
    pub transport_detail: String,
    /// well (the default) or unwell.
    #[schema(value_type = Option<Health>)]
    pub health: String,
    /// °C.
    pub temperature: Option<f64>,
    pub contacts: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub expected_departure: String,
}

fn optional_date(field: &'static str, raw: Option<&str>, window: Window, caller: &Caller) -> Result<Option<NaiveDate>, DomainError> {
    optional(raw.unwrap_or_default(), |day| window.date(field, day, caller.now))
}

impl ReturneeInput {
    /// Every field is checked and every problem reported at once.
    pub fn parse(&self, caller: &Caller, observation_days: u32) -> Result<NewReturnee, DomainError> {
        let mut problems = Problems::default();
        let arrival = match self.resident_id {
            Some(id) => Some(Arrival::Resident(id)),
            None => {
                // The name is needed only for someone not yet on the roster; storage checks that.
                let name = if self.name.trim().is_empty() { Some(String::new()) } else { problems.check(person_name("name", &self.name)) };
                let id_number = problems.check(IdNumber::parse(&self.id_number));
                let relation = problems.check(optional_label("relation", &self.relation, 20));
                let phone = problems.check(optional(&self.phone, Phone::parse));
                match (name, id_number, relation, phone) {
                    (Some(name), Some(id_number), Some(relation), Some(phone)) => Some(Arrival::Person {
                        resident: NewResident {
                            id: Uuid::now_v7(),
                            fingerprint: None,
                            name,
                            id_number,
                            relation: relation.unwrap_or_default(),
                            phone,
                            residence: Residence::Permanent,
                        },
                        household_id: self.household_id,
                    }),
                    _ => None,
                }
            }
        };
        if self.travel.len() > MAX_STAYS {
            problems.push(DomainError::invalid("travel", Reason::TooMany(MAX_STAYS)));
        }
        let travel = problems.check(
            self.travel
                .iter()
                .take(MAX_STAYS)
                .filter(|s| !s.place.trim().is_empty())
                .map(|s| {
                    Stay::new(
                        &s.place,
                        optional_date("travel", s.from.as_deref(), Window::TRAVEL, caller)?,
                        optional_date("travel", s.to.as_deref(), Window::TRAVEL, caller)?,
                    )
                })
                .collect::<Result<Vec<_>, _>>(),
        );
        let arrived_at = problems.check(Window::ARRIVAL.time("arrived_at", &self.arrived_at, caller.now));
        let origin = problems.check(label("origin", &self.origin, 100));
        let transport = problems.check(Transport::parse(&self.transport));
        let transport_detail = problems.check(optional_text("transport_detail", &self.transport_detail, 30));
        let health = problems.check(if self.health.trim().is_empty() { Ok(Health::Well) } else { Health::parse(&self.health) });
        let temperature = problems.check(self.temperature.map(Temperature::from_celsius).transpose());
        let contacts = problems.check(optional_text("contacts", &self.contacts, 500));
        let expected_departure = problems.check(optional_date("expected_departure", Some(&self.expected_departure), Window::DEPARTURE, caller));
        problems.finish()?;
        let (
            Some(arrival),
            Some(travel),
            Some(arrived_at),
            Some(origin),
            Some(transport),
            Some(transport_detail),
            Some(health),
            Some(temperature),
            Some(contacts),
            Some(expected_departure),
        ) = (arrival, travel, arrived_at, origin, transport, transport_detail, health, temperature, contacts, expected_departure)
        else {
            unreachable!("a field without a value has its problem kept")
        };
        Ok(NewReturnee {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, self),
            arrival,
            origin,
            travel,
            arrived_at,
            transport,
            transport_detail,
            health,
            temperature,
            contacts,
            expected_departure,
            observe_until: observe_until(arrived_at, observation_days),
        })
    }
}

/// Registers a returnee: the household turns yellow, or red from a key area.
pub async fn register_returnee(app: &App, caller: &Caller, input: &ReturneeInput) -> Result<ReturneeItem, AppError> {
    caller.require(caller.role.may(Permission::Screen), "register returnees")?;
    let returnee = input.parse(caller, app.settings.observation_days)?;
    Ok(app.store.register_returnee(caller, &returnee).await?)
}

/// A returnee as the page's form of `unit` sends one: the household they stay with as typed —
/// its number (户号) under the unit, with its group's name before it where several groups use
/// the number (`一组 001`) — checked with every other field, so that a household not found is
/// said with the form's other problems.
pub async fn register_returnee_typed(app: &App, caller: &Caller, unit: &str, input: ReturneeInput, household: &str) -> Result<ReturneeItem, AppError> {
    caller.require(caller.role.may(Permission::Screen), "register returnees")?;
    let household = match household.trim() {
        "" => Ok(None),
        typed => household_numbered(app, caller, unit, typed).await?.map(Some),
    };
    let input = ReturneeInput { household_id: household.clone().ok().flatten(), ..input };
    let returnee = match (household, input.parse(caller, app.settings.observation_days)) {
        (Ok(_), parsed) => parsed?,
        (Err(bad), Ok(_)) => return Err(bad.into()),
        (Err(bad), Err(others)) => {
            let mut all: Vec<DomainError> = others.each().into_iter().cloned().collect();
            all.push(bad);
            return Err(DomainError::Several(all).into());
        }
    };
    Ok(app.store.register_returnee(caller, &returnee).await?)
}

/// The household numbered as typed (`001`, `一组 001`, `和平社区 一组 001`) under `unit`: one,
/// or a problem of the form's `household` field.
async fn household_numbered(app: &App, caller: &Caller, unit: &str, typed: &str) -> Result<Result<Uuid, DomainError>, AppError> {
    let unknown = || DomainError::invalid("household", Reason::Unknown);
    let (group, number) = match typed.rsplit_once(char::is_whitespace) {
        Some((group, number)) => (group.trim(), number.trim()),
        None => ("", typed),
    };
    let Ok(code) = UnitCode::parse(unit) else { return Ok(Err(unknown())) };
    let found = app.store.numbered(&caller.scope, &code, number).await?.unwrap_or_default();
    // Every word before the number names the group or its village (`一组`, `和平社区 一组`).
    let found: Vec<(Uuid, String)> = found.into_iter().filter(|(_, names)| group.split_whitespace().all(|word| names.contains(word))).collect();
    Ok(match found.as_slice() {
        [] => Err(unknown()),
        [(id, _)] => Ok(*id),
        several => Err(DomainError::invalid("household", Reason::SeveralHouseholds(several.len()))),
    })
}

/// Returns households to their colour once their returnees' observation windows end.
pub async fn expire_observations(app: &App) -> Result<usize, AppError> {
    let caller = app.system_caller(UnitPath::root());
    Ok(app.store.expire_observations(&caller).await?)
}

/// Opens a screening round (e.g. 春节返乡排查) over a unit.
pub async fn open_round(app: &App, caller: &Caller, unit: &str, name: &str) -> Result<Round, AppError> {
    caller.require(caller.role.may(Permission::Command), "open screening rounds")?;
    let unit = unit_code(unit)?;
    Ok(app.store.open_round(caller, &unit, &label("title", name, 50)?).await?)
}

/// The open rounds covering a unit, each with the unit's coverage.
pub async fn rounds(app: &App, caller: &Caller, unit: &str) -> Result<Vec<Round>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    app.store.rounds(&caller.scope, &unit_code(unit)?).await?.ok_or(AppError::NotFound)
}

/// A round's coverage below a unit: the households visited and not, in all and per child unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    pub households: i64,
    pub visited: i64,
    /// Only when every household below the unit has been visited (不漏一户).
    pub complete: bool,
    pub units: Vec<CoverageRow>,
}

pub async fn coverage(app: &App, caller: &Caller, round: Uuid, unit: &str) -> Result<Coverage, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let units = app.store.coverage(&caller.scope, round, &unit_code(unit)?).await?.ok_or(AppError::NotFound)?;
    let households: i64 = units.iter().map(|r| r.households).sum();
    let visited: i64 = units.iter().map(|r| r.visited).sum();
    Ok(Coverage { households, visited, complete: visited >= households, units })
}

/// The households below a unit not yet visited in a round.
pub async fn unvisited(app: &App, caller: &Caller, round: Uuid, unit: &str, limit: u32) -> Result<Vec<Unvisited>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    Ok(app.store.unvisited(&caller.scope, round, &unit_code(unit)?, 0, limit).await?.ok_or(AppError::NotFound)?.0)
}

/// A round's sheet for a unit, as its page shows it: the round, the unit, the coverage per
/// child unit and the households still to visit.
pub struct RoundSheet {
    pub round: Round,
    pub unit: Unit,
    pub rows: Vec<CoverageRow>,
    /// The page of households still to visit, from the `unvisited_from`th, of `unvisited_total`.
    pub unvisited: Vec<Unvisited>,
    pub unvisited_from: u32,
    pub unvisited_total: i64,
}

/// A round's sheet for `unit` (blank: the caller's own unit, as a link from the inbox gives none).
pub async fn round_sheet(app: &App, caller: &Caller, round: Uuid, unit: &str, from: u32, limit: u32) -> Result<RoundSheet, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let own = caller.scope.codes().last().unwrap_or_default();
    let code = unit_code(if unit.trim().is_empty() { own } else { unit })?;
    let rows = app.store.coverage(&caller.scope, round, &code).await?.ok_or(AppError::NotFound)?;
    let found = app.store.rounds(&caller.scope, &code).await?.unwrap_or_default().into_iter().find(|r| r.id == round).ok_or(AppError::NotFound)?;
    let unit = app.store.unit(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
    let (unvisited, unvisited_total) = app.store.unvisited(&caller.scope, round, &code, from, limit).await?.unwrap_or_default();
    Ok(RoundSheet { round: found, unit, rows, unvisited, unvisited_from: from, unvisited_total })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct VisitInput {
    pub household_id: Uuid,
    /// visited, nobody_home or refused.
    #[schema(value_type = VisitOutcome)]
    pub outcome: String,
    pub note: String,
}

/// Records a household's visit in a round (the latest outcome counts).
pub async fn record_visit(app: &App, caller: &Caller, round: Uuid, input: &VisitInput) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::Screen), "record visits")?;
    let outcome = VisitOutcome::parse(&input.outcome)?;
    let note = optional_text("note", &input.note, 200)?;
    Ok(app.store.record_visit(caller, round, input.household_id, outcome, note.as_deref()).await?)
}

/// A unit's returnees, newest first, with the 四知四清 figures of its subtree.
pub struct Returnees {
    pub unit: Unit,
    pub figures: ScreeningFigures,
    /// The page of returnees from the `from`th; `figures.returnees` says how many in all.
    pub items: Vec<ReturneeItem>,
    pub from: u32,
}

/// A unit's returnees with their travel and health, and the 四知四清 figures: roster readers
/// only, and the reading is audited, since the list names people and their health.
pub async fn returnees(app: &App, caller: &Caller, unit: &str, from: u32, limit: u32) -> Result<Returnees, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    let unit = unit_code(unit)?;
    let found = app.store.unit(&caller.scope, &unit).await?.ok_or(AppError::NotFound)?;
    let (figures, items) = app.store.returnees(&caller.scope, &unit, caller.now, from, limit).await?.ok_or(AppError::NotFound)?;
    app.store.record_read(caller, "returnees", unit.as_str(), &found.path, serde_json::json!({"what": "list", "count": items.len()})).await?;
    Ok(Returnees { unit: found, figures, items, from })
}
