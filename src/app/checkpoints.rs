//! Checkpoints: setting them up, logging passages (a fever raises an alert at once),
//! travellers registering themselves through a poster, and tracing a case.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use chrono::{DateTime, Duration, Utc};

use crate::domain::error::{DomainError, Problems, Reason};
use crate::domain::text::{TypedNumber, label, optional, optional_text, person_name, public_text};
use crate::domain::time::{Window, parse_time};
use crate::domain::{Caller, CheckpointKind, Direction, IdNumber, Location, Outcome, Permission, Phone, Plate, Temperature, UnitCode};
pub use crate::store::{Checkpoint, OnDuty, Passage, Registration, Shift};
use crate::store::{NewCheckpoint, NewPassage, NewRegistration, PersonKey};

use super::{App, AppError, accounts::random_token};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckpointInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again
    /// answers the stored record; the id with another body, another kind of record or from
    /// outside the record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    pub unit_code: String,
    pub name: String,
    #[schema(value_type = CheckpointKind)]
    pub kind: String,
    /// Both or neither; a number, or its text as typed.
    #[schema(value_type = Option<f64>)]
    pub lat: Option<TypedNumber>,
    #[schema(value_type = Option<f64>)]
    pub lon: Option<TypedNumber>,
}

/// Sets up a checkpoint in a unit, with a poster token of its own.
pub async fn create(app: &App, caller: &Caller, input: &CheckpointInput) -> Result<Checkpoint, AppError> {
    caller.require(caller.role.may(Permission::ManageCheckpoints), "set up checkpoints")?;
    // Every field is checked and every problem reported at once.
    let mut problems = Problems::default();
    let unit_code = problems.check(UnitCode::parse(&input.unit_code));
    let name = problems.check(label("title", &input.name, 50));
    let kind = problems.check(CheckpointKind::parse(&input.kind));
    let location = problems.check(Location::typed(input.lat.as_ref(), input.lon.as_ref()));
    problems.finish()?;
    let (Some(unit_code), Some(name), Some(kind), Some(location)) = (unit_code, name, kind, location) else {
        unreachable!("a field without a value has its problem kept")
    };
    let checkpoint =
        NewCheckpoint { id: input.id.unwrap_or_else(Uuid::now_v7), fingerprint: super::fingerprint(input.id, input), unit_code, name, kind, location };
    Ok(app.store.create_checkpoint(caller, &checkpoint, &poster_token()?).await?)
}

/// A poster's token: short enough for a QR code a phone reads from a metre away, long
/// enough (96 bits) that nobody guesses one.
fn poster_token() -> Result<String, AppError> {
    Ok(random_token()?[..24].to_string())
}

/// Gives a checkpoint a new poster token (old posters stop working) and answers it anew.
pub async fn rotate_token(app: &App, caller: &Caller, id: Uuid) -> Result<Checkpoint, AppError> {
    caller.require(caller.role.may(Permission::ManageCheckpoints), "set up checkpoints")?;
    app.store.rotate_token(caller, id, &poster_token()?).await?;
    show(app, caller, id).await
}

/// A checkpoint in the caller's subtree (with its poster token): anyone logged in there may
/// read it.
pub async fn show(app: &App, caller: &Caller, id: Uuid) -> Result<Checkpoint, AppError> {
    app.store.checkpoint(&caller.scope, id).await?.ok_or(AppError::NotFound)
}

/// The checkpoints of a unit's subtree.
pub async fn of_unit(app: &App, caller: &Caller, unit: &str) -> Result<Vec<Checkpoint>, AppError> {
    let unit = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    app.store.checkpoints(&caller.scope, &unit).await?.ok_or(AppError::NotFound)
}

/// Where an account starts its day: a checkpoint account with one checkpoint in its area
/// lands on that checkpoint's page (`Some`); everyone else on their unit's page (`None`).
pub async fn landing(app: &App, caller: &Caller, unit: &str) -> Result<Option<Uuid>, AppError> {
    if caller.role != crate::domain::Role::Checkpoint {
        return Ok(None);
    }
    let checkpoints = of_unit(app, caller, unit).await?;
    Ok(match checkpoints.as_slice() {
        [only] => Some(only.id),
        _ => None,
    })
}

/// `[from, to)` as a query names it (RFC 3339 or local time), each end its default when left out.
fn span(from: Option<&str>, to: Option<&str>, default: (DateTime<Utc>, DateTime<Utc>)) -> Result<(DateTime<Utc>, DateTime<Utc>), DomainError> {
    let from = from.map(|f| parse_time("from", f)).transpose()?.unwrap_or(default.0);
    let to = to.map(|t| parse_time("to", t)).transpose()?.unwrap_or(default.1);
    Ok((from, to))
}

/// The duty shifts overlapping `[from, to)`: the last day and the next week when neither is
/// given.
pub async fn shifts(app: &App, caller: &Caller, checkpoint: Uuid, from: Option<&str>, to: Option<&str>) -> Result<Vec<Shift>, AppError> {
    let (from, to) = match (from, to) {
        (None, None) => (caller.now - Duration::days(1), caller.now + Duration::days(7)),
        _ => span(from, to, (caller.now - Duration::days(1), caller.now + Duration::minutes(5)))?,
    };
    app.store.shifts(&caller.scope, checkpoint, from, to).await?.ok_or(AppError::NotFound)
}

/// The shifts the staff's page shows: from twelve hours ago to two days ahead.
pub async fn shifts_around_now(app: &App, caller: &Caller, checkpoint: Uuid) -> Result<Vec<Shift>, AppError> {
    let (from, to) = (caller.now - Duration::hours(12), caller.now + Duration::days(2));
    app.store.shifts(&caller.scope, checkpoint, from, to).await?.ok_or(AppError::NotFound)
}

/// The passages at a checkpoint in `[from, to)` (the last day by default), newest first, ID
/// numbers and phones masked; `limit` 200 by default.
pub async fn passages(
    app: &App,
    caller: &Caller,
    checkpoint: Uuid,
    from: Option<&str>,
    to: Option<&str>,
    offset: u32,
    limit: Option<u32>,
) -> Result<(Vec<Passage>, i64), AppError> {
    let (from, to) = span(from, to, (caller.now - Duration::days(1), caller.now + Duration::minutes(5)))?;
    let limit = super::page_limit(limit.unwrap_or(200))?;
    app.store.passages(&caller.scope, checkpoint, from, to, offset, limit, app.settings.fever).await?.ok_or(AppError::NotFound)
}

/// The self-registrations of the last day not yet confirmed (the newest `PENDING_SHOWN`), and
/// how many there are.
pub async fn registrations(app: &App, caller: &Caller, checkpoint: Uuid) -> Result<(Vec<Registration>, i64), AppError> {
    app.store.pending_registrations(&caller.scope, checkpoint, caller.now - Duration::days(1)).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ShiftInput {
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`; from 31 days back to 92 days ahead.
    pub starts_at: String,
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`; from 31 days back to 92 days ahead.
    pub ends_at: String,
    /// Up to 12 people on duty.
    pub staff: Vec<OnDuty>,
}

/// Adds a duty shift (e.g. 24 h of a medic, a police officer and a cadre).
pub async fn add_shift(app: &App, caller: &Caller, checkpoint: Uuid, input: &ShiftInput) -> Result<Shift, AppError> {
    caller.require(caller.role.may(Permission::ManageCheckpoints), "set up checkpoints")?;
    // Every field is checked and every problem reported at once.
    let mut problems = Problems::default();
    let starts_at = problems.check(Window::SHIFT.time("starts_at", &input.starts_at, caller.now));
    let ends_at = problems.check(Window::SHIFT.time("ends_at", &input.ends_at, caller.now));
    if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at)
        && ends_at <= starts_at
    {
        problems.push(DomainError::invalid("ends_at", Reason::DateOrder));
    }
    if input.staff.len() > 12 {
        problems.push(DomainError::invalid("staff", Reason::TooMany(12)));
    }
    let mut staff = Vec::new();
    for s in input.staff.iter().take(12) {
        let name = problems.check(person_name("staff_name", &s.name));
        let duty = problems.check(label("staff_duty", &s.duty, 20));
        let phone = problems.check(optional(s.phone.as_deref().unwrap_or_default(), Phone::parse));
        if let (Some(name), Some(duty), Some(phone)) = (name, duty, phone) {
            staff.push(OnDuty { name, duty, phone: phone.map(|p| p.as_str().to_string()) });
        }
    }
    problems.finish()?;
    let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) else { unreachable!("a field without a value has its problem kept") };
    Ok(app.store.add_shift(caller, checkpoint, starts_at, ends_at, &staff).await?)
}

/// A passage as staff log it: a direction, an outcome, and an ID number, a name or a plate;
/// the rest may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PassageInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again
    /// answers the stored record; the id with another body, another kind of record or from
    /// outside the record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub plate: String,
    #[schema(value_type = Direction)]
    pub direction: String,
    /// °C: a number, or its text as typed (`36.5`, `36.5℃`).
    #[schema(value_type = Option<f64>)]
    pub temperature: Option<TypedNumber>,
    pub purpose: String,
    pub from: String,
    pub to: String,
    #[schema(value_type = Outcome)]
    pub outcome: String,
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`; now by default; from 90 days back
    /// (paper logs entered later) to 5 minutes ahead.
    pub at: String,
}

impl PassageInput {
    /// Every field is checked and every problem reported at once.
    pub fn parse(&self, caller: &Caller, checkpoint: Uuid) -> Result<NewPassage, DomainError> {
        let mut problems = Problems::default();
        let at = match self.at.trim() {
            "" => Some(caller.now),
            at => problems.check(Window::PASSAGE.time("at", at, caller.now)),
        };
        let id_number = problems.check(optional(&self.id_number, IdNumber::parse));
        let name = problems.check(optional(&self.name, |n| person_name("name", n)));
        let phone = problems.check(optional(&self.phone, Phone::parse));
        let plate = problems.check(optional(&self.plate, Plate::parse));
        // A passage names someone (by ID number or name) or at least a vehicle.
        let blank = |raw: &str| raw.trim().is_empty();
        if blank(&self.id_number) && blank(&self.name) && blank(&self.plate) {
            problems.push(DomainError::invalid("id_number", Reason::NamesNobody));
        }
        let direction = problems.check(Direction::parse(&self.direction));
        let temperature = problems.check(Temperature::typed(self.temperature.as_ref()));
        let purpose = problems.check(optional_text("purpose", &self.purpose, 100));
        let from = problems.check(optional_text("from", &self.from, 100));
        let to = problems.check(optional_text("to", &self.to, 100));
        let outcome = problems.check(Outcome::parse(&self.outcome));
        problems.finish()?;
        let (
            Some(at),
            Some(id_number),
            Some(name),
            Some(phone),
            Some(plate),
            Some(direction),
            Some(temperature),
            Some(purpose),
            Some(from),
            Some(to),
            Some(outcome),
        ) = (at, id_number, name, phone, plate, direction, temperature, purpose, from, to, outcome)
        else {
            unreachable!("a field without a value has its problem kept")
        };
        Ok(NewPassage {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            fingerprint: super::fingerprint(self.id, &(checkpoint, self)),
            checkpoint_id: checkpoint,
            person: PersonKey { id_number, name, phone },
            plate,
            direction,
            temperature,
            purpose,
            from,
            to,
            outcome,
            at,
        })
    }
}

/// Logs a passage; a temperature at or above the fever line alerts the unit's grid leader and
/// HQ at once.
pub async fn log_passage(app: &App, caller: &Caller, checkpoint: Uuid, input: &PassageInput) -> Result<Passage, AppError> {
    caller.require(caller.role.may(Permission::LogPassages), "log passages")?;
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

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConfirmInput {
    /// °C, taken at the checkpoint: a number, or its text as typed (`36.5`, `36.5℃`).
    #[schema(value_type = f64)]
    pub temperature: Option<TypedNumber>,
    /// `in` by default.
    #[schema(value_type = Option<Direction>)]
    pub direction: String,
    /// `passed` by default.
    #[schema(value_type = Option<Outcome>)]
    pub outcome: String,
}

/// Confirms a self-registration with a temperature: it becomes a passage.
pub async fn confirm_registration(app: &App, caller: &Caller, id: Uuid, input: &ConfirmInput) -> Result<Passage, AppError> {
    caller.require(caller.role.may(Permission::LogPassages), "log passages")?;
    // Every field is checked and every problem reported at once.
    let mut problems = Problems::default();
    let temperature = problems.check(Temperature::typed(input.temperature.as_ref()).and_then(|t| t.ok_or(DomainError::invalid("temperature", Reason::Empty))));
    let direction = problems.check(if input.direction.trim().is_empty() { Ok(Direction::In) } else { Direction::parse(&input.direction) });
    let outcome = problems.check(if input.outcome.trim().is_empty() { Ok(Outcome::Passed) } else { Outcome::parse(&input.outcome) });
    problems.finish()?;
    let (Some(temperature), Some(direction), Some(outcome)) = (temperature, direction, outcome) else {
        unreachable!("a field without a value has its problem kept")
    };
    Ok(app.store.confirm_registration(caller, id, temperature, direction, outcome, app.settings.fever).await?)
}

/// The name of the checkpoint whose poster carries `token` (`/r/{token}`), if the token is a
/// current one: what a poster opens to the public, and nothing beside it.
pub async fn poster_checkpoint_name(app: &App, token: &str) -> Result<Option<String>, AppError> {
    if !super::accounts::plausible_token(token) {
        return Ok(None);
    }
    Ok(app.store.checkpoint_by_token(token).await?.map(|c| c.name))
}
