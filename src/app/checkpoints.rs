//! Checkpoints: setting them up, logging passages (a fever raises an alert at once),
//! travellers registering themselves through a poster, and tracing a case.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::{DomainError, Reason, label, optional, optional_text, person_name, public_text};
use crate::domain::time::Window;
use crate::domain::{Caller, CheckpointKind, Direction, IdNumber, Location, Outcome, Phone, Plate, Temperature, UnitCode};
use crate::store::{Checkpoint, NewCheckpoint, NewPassage, NewRegistration, OnDuty, Passage, PersonKey, Registration, Shift};

use super::{App, AppError, accounts::random_token};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CheckpointInput {
    pub id: Option<Uuid>,
    pub unit_code: String,
    pub name: String,
    pub kind: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

pub async fn create(app: &App, caller: &Caller, input: &CheckpointInput) -> Result<Checkpoint, AppError> {
    caller.require(caller.role.manages_checkpoints(), "set up checkpoints")?;
    let location = match (input.lat, input.lon) {
        (Some(lat), Some(lon)) => Some(Location::new(lat, lon)?),
        (None, None) => None,
        _ => return Err(DomainError::invalid("lat", Reason::Coordinates).into()),
    };
    let checkpoint = NewCheckpoint {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        fingerprint: super::fingerprint(input.id, input),
        unit_code: UnitCode::parse(&input.unit_code)?,
        name: label("name", &input.name, 50)?,
        kind: CheckpointKind::parse(&input.kind)?,
        location,
    };
    Ok(app.store.create_checkpoint(caller, &checkpoint, &poster_token()?).await?)
}

/// A poster's token: short enough for a QR code a phone reads from a metre away, long
/// enough (96 bits) that nobody guesses one.
fn poster_token() -> Result<String, AppError> {
    Ok(random_token()?[..24].to_string())
}

pub async fn rotate_token(app: &App, caller: &Caller, id: Uuid) -> Result<(), AppError> {
    caller.require(caller.role.manages_checkpoints(), "set up checkpoints")?;
    Ok(app.store.rotate_token(caller, id, &poster_token()?).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ShiftInput {
    pub starts_at: String,
    pub ends_at: String,
    pub staff: Vec<OnDuty>,
}

pub async fn add_shift(app: &App, caller: &Caller, checkpoint: Uuid, input: &ShiftInput) -> Result<Shift, AppError> {
    caller.require(caller.role.manages_checkpoints(), "set up checkpoints")?;
    let starts_at = Window::SHIFT.time("starts_at", &input.starts_at, caller.now)?;
    let ends_at = Window::SHIFT.time("ends_at", &input.ends_at, caller.now)?;
    if ends_at <= starts_at {
        return Err(DomainError::invalid("ends_at", Reason::DateOrder).into());
    }
    if input.staff.len() > 12 {
        return Err(DomainError::invalid("staff", Reason::TooMany(12)).into());
    }
    let staff = input
        .staff
        .iter()
        .map(|s| {
            Ok(OnDuty {
                name: person_name("name", &s.name)?,
                duty: label("duty", &s.duty, 20)?,
                phone: optional(s.phone.as_deref().unwrap_or_default(), Phone::parse)?.map(|p| p.as_str().to_string()),
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    Ok(app.store.add_shift(caller, checkpoint, starts_at, ends_at, &staff).await?)
}

/// A passage as staff log it: a direction, an outcome, and an ID number, a name or a plate;
/// the rest may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PassageInput {
    pub id: Option<Uuid>,
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub plate: String,
    pub direction: String,
    pub temperature: Option<f64>,
    pub purpose: String,
    pub from: String,
    pub to: String,
    pub outcome: String,
    pub at: String,
}

impl PassageInput {
    pub fn parse(&self, caller: &Caller, checkpoint: Uuid) -> Result<NewPassage, DomainError> {
        let at = match self.at.trim() {
            "" => caller.now,
            at => Window::PASSAGE.time("at", at, caller.now)?,
        };
        let person = PersonKey {
            id_number: optional(&self.id_number, IdNumber::parse)?,
            name: optional(&self.name, |n| person_name("name", n))?,
            phone: optional(&self.phone, Phone::parse)?,
        };
        let plate = optional(&self.plate, Plate::parse)?;
        // A passage names someone (by ID number or name) or at least a vehicle.
        if person.id_number.is_none() && person.name.is_none() && plate.is_none() {
            return Err(DomainError::invalid("id_number", Reason::NamesNobody));
        }
        Ok(NewPassage {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, &(checkpoint, self)),
            checkpoint_id: checkpoint,
            person,
            plate,
            direction: Direction::parse(&self.direction)?,
            temperature: self.temperature.map(Temperature::from_celsius).transpose()?,
            purpose: optional_text("purpose", &self.purpose, 100)?,
            from: optional_text("from", &self.from, 100)?,
            to: optional_text("to", &self.to, 100)?,
            outcome: Outcome::parse(&self.outcome)?,
            at,
        })
    }
}

pub async fn log_passage(app: &App, caller: &Caller, checkpoint: Uuid, input: &PassageInput) -> Result<Passage, AppError> {
    caller.require(caller.role.logs_passages(), "log passages")?;
    let passage = input.parse(caller, checkpoint)?;
    Ok(app.store.log_passage(caller, &passage, app.settings.fever).await?)
}

/// What a traveller types on the public page. It takes no id: a traveller names no record
/// but their own new registration.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RegistrationInput {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub plate: String,
    pub from: String,
    pub to: String,
    pub purpose: String,
}

impl RegistrationInput {
    /// Every field is checked and every problem reported at once, so a traveller fixes the
    /// form in one go.
    pub fn parse(&self) -> Result<NewRegistration, Vec<DomainError>> {
        fn keep<T>(errors: &mut Vec<DomainError>, result: Result<T, DomainError>) -> Option<T> {
            result.map_err(|e| errors.push(e)).ok()
        }
        let mut errors = Vec::new();
        let name = keep(&mut errors, person_name("name", &self.name));
        let id_number = keep(&mut errors, IdNumber::parse(&self.id_number));
        let phone = keep(&mut errors, Phone::parse(&self.phone));
        let plate = keep(&mut errors, optional(&self.plate, Plate::parse));
        let from = keep(&mut errors, public_text("from", &self.from, 100));
        let to = keep(&mut errors, public_text("to", &self.to, 100));
        let purpose = keep(&mut errors, public_text("purpose", &self.purpose, 100));
        match (name, id_number, phone, plate, from, to, purpose) {
            (Some(name), Some(id_number), Some(phone), Some(plate), Some(from), Some(to), Some(purpose)) => {
                Ok(NewRegistration { id: Uuid::now_v7(), fingerprint: None, name, id_number, phone, plate, from, to, purpose })
            }
            _ => Err(errors),
        }
    }
}

pub enum RegisterError {
    UnknownPoster,
    Invalid(Vec<DomainError>),
    Failed(AppError),
}

pub async fn register_self(app: &App, token: &str, input: &RegistrationInput) -> Result<Registration, RegisterError> {
    let registration = input.parse().map_err(RegisterError::Invalid)?;
    match app.store.register_self(token, &registration, app.clock.now()).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(RegisterError::UnknownPoster),
        Err(err) => Err(RegisterError::Failed(err.into())),
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ConfirmInput {
    pub temperature: f64,
    pub direction: String,
    pub outcome: String,
}

pub async fn confirm_registration(app: &App, caller: &Caller, id: Uuid, input: &ConfirmInput) -> Result<Passage, AppError> {
    caller.require(caller.role.logs_passages(), "log passages")?;
    let temperature = Temperature::from_celsius(input.temperature)?;
    let direction = if input.direction.trim().is_empty() { Direction::In } else { Direction::parse(&input.direction)? };
    let outcome = if input.outcome.trim().is_empty() { Outcome::Passed } else { Outcome::parse(&input.outcome)? };
    Ok(app.store.confirm_registration(caller, id, temperature, direction, outcome, app.settings.fever).await?)
}
