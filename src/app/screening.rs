//! Screening: key areas, returnee registration, door-to-door rounds. Inputs arrive as
//! people typed them (JSON or a form) and are parsed here into domain types.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::{DomainError, Reason, label, optional, optional_label, optional_text, person_name};
use crate::domain::screening::observe_until;
use crate::domain::time::Window;
use crate::domain::{Caller, Health, IdNumber, KeyArea, Phone, Residence, Stay, Temperature, Transport, UnitCode, VisitOutcome};
use crate::store::{Arrival, KeyAreaRecord, NewResident, NewReturnee, ReturneeItem, Round};

use super::{App, AppError};

/// At most this many stays in one travel history.
const MAX_STAYS: usize = 30;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct KeyAreaInput {
    pub area: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

pub async fn add_key_area(app: &App, caller: &Caller, input: &KeyAreaInput) -> Result<KeyAreaRecord, AppError> {
    caller.require(caller.role.commands(), "declare key areas")?;
    let valid_to = optional(input.valid_to.as_deref().unwrap_or_default(), |to| Window::KEY_AREA.date("valid_to", to, caller.now))?;
    let area = KeyArea::new(&input.area, Window::KEY_AREA.date("valid_from", &input.valid_from, caller.now)?, valid_to)?;
    Ok(app.store.add_key_area(caller, &area).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StayInput {
    pub place: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A returnee as the API and the form give one: either `resident_id`, or an ID number and
/// name (with `household_id` for someone not yet on the roster).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReturneeInput {
    pub id: Option<Uuid>,
    pub resident_id: Option<Uuid>,
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub relation: String,
    pub household_id: Option<Uuid>,
    pub origin: String,
    pub travel: Vec<StayInput>,
    pub arrived_at: String,
    pub transport: String,
    pub transport_detail: String,
    pub health: String,
    pub temperature: Option<f64>,
    pub contacts: String,
    pub expected_departure: String,
}

fn optional_date(field: &'static str, raw: Option<&str>, window: Window, caller: &Caller) -> Result<Option<NaiveDate>, DomainError> {
    optional(raw.unwrap_or_default(), |day| window.date(field, day, caller.now))
}

impl ReturneeInput {
    pub fn parse(&self, caller: &Caller, observation_days: u32) -> Result<NewReturnee, DomainError> {
        let arrival = match self.resident_id {
            Some(id) => Arrival::Resident(id),
            None => Arrival::Person {
                resident: NewResident {
                    id: Uuid::now_v7(),
                    fingerprint: None,
                    // Needed only for someone not yet on the roster; storage checks that.
                    name: if self.name.trim().is_empty() { String::new() } else { person_name("name", &self.name)? },
                    id_number: IdNumber::parse(&self.id_number)?,
                    relation: optional_label("relation", &self.relation, 20)?.unwrap_or_default(),
                    phone: optional(&self.phone, Phone::parse)?,
                    residence: Residence::Permanent,
                },
                household_id: self.household_id,
            },
        };
        if self.travel.len() > MAX_STAYS {
            return Err(DomainError::invalid("travel", Reason::TooMany(MAX_STAYS)));
        }
        let travel = self
            .travel
            .iter()
            .filter(|s| !s.place.trim().is_empty())
            .map(|s| {
                Stay::new(
                    &s.place,
                    optional_date("travel", s.from.as_deref(), Window::TRAVEL, caller)?,
                    optional_date("travel", s.to.as_deref(), Window::TRAVEL, caller)?,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let arrived_at = Window::ARRIVAL.time("arrived_at", &self.arrived_at, caller.now)?;
        Ok(NewReturnee {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, self),
            arrival,
            origin: label("origin", &self.origin, 100)?,
            travel,
            arrived_at,
            transport: Transport::parse(&self.transport)?,
            transport_detail: optional_text("transport", &self.transport_detail, 30)?,
            health: if self.health.trim().is_empty() { Health::Well } else { Health::parse(&self.health)? },
            temperature: self.temperature.map(Temperature::from_celsius).transpose()?,
            contacts: optional_text("contacts", &self.contacts, 500)?,
            expected_departure: optional_date("expected_departure", Some(&self.expected_departure), Window::DEPARTURE, caller)?,
            observe_until: observe_until(arrived_at, observation_days),
        })
    }
}

pub async fn register_returnee(app: &App, caller: &Caller, input: &ReturneeInput) -> Result<ReturneeItem, AppError> {
    caller.require(caller.role.screens(), "register returnees")?;
    let returnee = input.parse(caller, app.settings.observation_days)?;
    Ok(app.store.register_returnee(caller, &returnee).await?)
}

/// Returns households to their colour once their returnees' observation windows end.
pub async fn expire_observations(app: &App) -> Result<usize, AppError> {
    let caller = app.system_caller(crate::domain::UnitPath::root());
    Ok(app.store.expire_observations(&caller).await?)
}

pub async fn open_round(app: &App, caller: &Caller, unit: &str, name: &str) -> Result<Round, AppError> {
    caller.require(caller.role.commands(), "open screening rounds")?;
    let unit = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    Ok(app.store.open_round(caller, &unit, &label("name", name, 50)?).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct VisitInput {
    pub household_id: Uuid,
    pub outcome: String,
    pub note: String,
}

pub async fn record_visit(app: &App, caller: &Caller, round: Uuid, input: &VisitInput) -> Result<(), AppError> {
    caller.require(caller.role.screens(), "record visits")?;
    let outcome = VisitOutcome::parse(&input.outcome)?;
    let note = optional_text("note", &input.note, 200)?;
    Ok(app.store.record_visit(caller, round, input.household_id, outcome, note.as_deref()).await?)
}

/// A unit's returnees with their travel and health, and the 四知四清 figures: roster readers
/// only, and the reading is audited, since the list names people and their health.
pub async fn returnees(app: &App, caller: &Caller, unit: &UnitCode, limit: u32) -> Result<(crate::store::ScreeningFigures, Vec<ReturneeItem>), AppError> {
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let found = app.store.unit(&caller.scope, unit).await?.ok_or(AppError::NotFound)?;
    let list = app.store.returnees(&caller.scope, unit, caller.now, limit).await?.ok_or(AppError::NotFound)?;
    app.store.record_read(caller, "returnees", unit.as_str(), &found.path, serde_json::json!({"what": "list", "count": list.1.len()})).await?;
    Ok(list)
}
